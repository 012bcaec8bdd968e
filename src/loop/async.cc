// Async host functions (see vh_engine_queue_work in include/v8host/loop.h): work on libuv's thread
// pool, then a completion on the runtime's loop that settles a promise.
//
// The request block holds no V8 handle: the promise is settled through a deferred (promise.cc),
// which the runtime owns and frees at its disposal. So a completion that runs after its engine
// or runtime is gone (during disposal, or later on a host's loop) touches neither V8 nor the
// runtime: it calls done with VH_EDISPOSED and frees the block.
#include <uv.h>

#include <string>

#include "core/call.h"
#include "core/error_kinds.h"
#include "marshal/marshal.h"
#include "loop/loop.h"
#include "core/thread_state.h"
#include "v8host.h"

namespace vh {
namespace {

struct AsyncWork {
  uv_work_t req;
  vh_work_cb work = nullptr;
  vh_after_work_cb done = nullptr;
  void* data = nullptr;
  int status = VH_OK;     // what work returned
  uint64_t engine = 0;
  vh_deferred deferred{};
};

void disposed(AsyncWork* w) {
  vh_value ignored{};
  w->done(vh_engine{}, VH_EDISPOSED, w->data, &ignored);
  delete w;
}

void run_work(uv_work_t* req) {
  auto* w = static_cast<AsyncWork*>(req->data);
  w->status = w->work(w->data);
}

// Settles the promise after done returned rc (scope open on the engine, lock held).
void settle(Engine* e, AsyncWork* w, int rc, vh_value result) {
  vh_engine engine{e->handle};
  EngineCall call;
  if (call.enter(engine, false) != VH_OK) return;
  v8::Isolate* iso = call.isolate;
  v8::Local<v8::Value> value = v8::Undefined(iso);
  bool reject = false;
  if (!e->has_pending && rc >= 0 && result.serial_ != 0) {
    // A value of another runtime is passed in by the marshaling rules.
    int got = call_arg(call, result, &value);
    if (got != VH_OK) rc = got;
  }
  if (e->has_pending) {
    // done threw (vh_throw outside a host callback leaves the exception pending here): reject
    // with it, whatever done returned. The pending state is cleared: the promise carries it.
    value = e->pending_exception.Get(iso);
    clear_pending(e);
    reject = true;
  } else if (rc < 0) {
    value = status_error(iso, rc, status_text(rc));
    reject = true;
  }
  vh_value v = call.result(value);
  int settled = reject ? vh_deferred_reject(engine, w->deferred, v) : vh_deferred_resolve(engine, w->deferred, v);
  (void)settled;  // a failure leaves its exception pending: after_callback reports it
}

void after_work(uv_work_t* req, int) {
  auto* w = static_cast<AsyncWork*>(req->data);
  vh_engine engine{w->engine};
  vh_scope scope;
  // During runtime disposal the engines are gone already: nothing here may touch V8 then.
  if (!engine_table().get(w->engine) || vh_scope_open(engine, &scope) != VH_OK) return disposed(w);
  Engine* e = engine_table().get(w->engine);
  // An exception left pending before done runs is not done's: report it first.
  if (e->has_pending) after_callback(e);
  // done runs as a loop callback, outside any host callback that this loop run may be nested
  // in: its vh_throw must leave the exception pending here, not throw it into that callback.
  ThreadState* ts = ThreadState::current();
  Transition outside(kFrameField, nullptr);  // no host callback's frame
  bool frame_threw = ts->frame_threw;
  uint64_t last_failed = ts->last_failed_engine;
  ts->enter<kFrameField>(outside);
  ts->frame_threw = false;
  vh_value result{};
  int rc = w->done(engine, w->status, w->data, &result);
  settle(e, w, rc, result);
  ts->leave<kFrameField>(outside);
  ts->frame_threw = frame_threw;
  ts->last_failed_engine = last_failed;
  after_callback(e);
  close_library_scope(scope);
  delete w;
}

int queue(Runtime* rt, AsyncWork* w) {
  return uv_queue_work(uv_loop_of(rt), &w->req, run_work, after_work) == 0 ? VH_OK : VH_ENOMEM;
}

// Queues the work from the loop's thread when the calling thread does not own the loop.
void queue_task(vh_engine engine, int status, void* data) {
  auto* w = static_cast<AsyncWork*>(data);
  Engine* e = status == VH_OK ? engine_table().get(engine.id_) : nullptr;
  if (!e || !uv_loop_of(e->rt) || queue(e->rt, w) != VH_OK) disposed(w);
}

}  // namespace
}  // namespace vh

using namespace vh;

extern "C" {

int vh_engine_queue_work(vh_engine engine, vh_work_cb work, vh_after_work_cb done, void* data, vh_value* promise) {
  if (!work || !done || !promise) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  Runtime* rt = call.rt;
  if (!uv_loop_of(rt)) return VH_EDISPOSED;
  vh_value p;
  vh_deferred deferred;
  VH_TRY(vh_new_promise(engine, &p, &deferred));
  auto* w = new AsyncWork();
  w->req.data = w;
  w->work = work;
  w->done = done;
  w->data = data;
  w->engine = call.engine->handle;
  w->deferred = deferred;
  int rc;
  if (check_loop_idle(rt) == VH_OK) {
    // libuv is not thread-safe: only the thread that runs the loop (or any, while nobody does)
    // may queue on it.
    rc = queue(rt, w);
  } else {
    rc = vh_engine_post(engine, queue_task, w);
  }
  if (rc != VH_OK) {
    delete w;  // the deferred stays unused: the runtime frees it
    return rc;
  }
  *promise = p;
  return VH_OK;
}

}  // extern "C"
