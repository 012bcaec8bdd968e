// Builtins (see include/v8host/loop.h): setTimeout/setInterval/clearTimeout/clearInterval on
// libuv timers, queueMicrotask; the console is in console.cc.
//
// Timers. Each timer is a heap block holding a uv_timer_t and Globals for its callback and
// arguments; the runtime's Timers table maps ids to the blocks whose handle is not yet closed.
// Everything but the close callback happens with the runtime's lock held. libuv is not
// thread-safe: a timer handle is only touched on the thread that may run the loop (this thread
// is running it, or nobody is: see check_loop_idle). A thread that holds the lock while another
// thread runs the loop (a worker's engine used from outside) posts the start or stop to the loop
// instead. The close callback only frees the block (it may run after the runtime is gone, on a
// host's loop).
#include <uv.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "loop/builtins.h"
#include "core/call.h"
#include "marshal/marshal.h"
#include "marshal/copy.h"
#include "loop/loop.h"
#include "v8host.h"

namespace vh {

namespace {

enum class TimerState { kLive, kCleared, kFinished };

struct Timer {
  uv_timer_t handle;
  Runtime* rt = nullptr;  // valid while the handle is active (disposal closes every timer)
  uint64_t id = 0;
  uint64_t engine = 0;    // the engine whose setTimeout made it
  uint64_t delay = 1;
  uint64_t repeat = 0;    // 0: one-shot
  bool inited = false;    // uv_timer_init done (on the loop's thread)
  // kLive: scheduled; kCleared: to be closed on the loop's thread (cleared from elsewhere, or a
  // one-shot that is firing); kFinished: out of the table, its handle closed or closing.
  TimerState state = TimerState::kLive;
  v8::Global<v8::Function> fn;
  std::vector<v8::Global<v8::Value>> args;
};

}  // namespace

struct Timers {
  uint64_t next_id = 0;
  int firing = 0;  // inside a timer callback: the loop's cached time is not refreshed then
  std::unordered_map<uint64_t, Timer*> live;  // every timer not yet kFinished, by id
};

namespace {

constexpr double kMaxDelayMs = 2147483647.0;  // larger delays become 1 ms, as in Node.js

// Whether this thread may touch the runtime's loop now (lock held): it runs it, or nobody does.
// On the loop's own thread (a timer or task callback) timers start and stop in place, without
// a trip through the cross-thread queue.
bool loop_here(Runtime* rt) { return loop_is_mine(rt); }

Timers* timers_of(Runtime* rt) {
  if (!rt->loop->timers) rt->loop->timers = new Timers();
  return rt->loop->timers;
}

void on_timer_closed(uv_handle_t* handle) { delete static_cast<Timer*>(handle->data); }

void release_values(Timer* t) {
  t->fn.Reset();
  t->args.clear();
}

// Marks the timer finished, drops its values and closes its handle (freed when closed).
void close_timer(Timer* t) {
  t->state = TimerState::kFinished;
  release_values(t);
  if (t->inited) {
    uv_timer_stop(&t->handle);
    uv_close(reinterpret_cast<uv_handle_t*>(&t->handle), on_timer_closed);
  } else {
    delete t;
  }
}

// Takes the timer out of the table and closes it (lock held, loop's thread or idle loop).
void finish(Runtime* rt, Timer* t) {
  if (t->state == TimerState::kFinished) return;
  if (rt->loop->timers) rt->loop->timers->live.erase(t->id);
  close_timer(t);
}

void on_timer(uv_timer_t* handle);

// Starts the timer's handle (lock held, loop's thread or idle loop).
void start(Runtime* rt, Timer* t) {
  uv_loop_t* loop = uv_loop_of(rt);
  uv_timer_init(loop, &t->handle);
  t->handle.data = t;
  t->inited = true;
  // The loop's cached time may be old (it has not run for a while): count from now. Not inside
  // a timer callback, where a zero-delay chain could then keep the timer phase from ending.
  if (!rt->loop->timers->firing) uv_update_time(loop);
  uv_timer_start(&t->handle, on_timer, t->delay, t->repeat);
}

// Does what a timer is waiting for on the loop's thread: start it, or close it.
void settle_timer(Runtime* rt, Timer* t) {
  if (t->state == TimerState::kCleared)
    finish(rt, t);
  else if (t->state == TimerState::kLive && !t->inited)
    start(rt, t);
}

struct TimerOp {
  uint64_t id;
};

void timer_op_task(vh_engine engine, int status, void* data) {
  uint64_t id = static_cast<TimerOp*>(data)->id;
  delete static_cast<TimerOp*>(data);
  if (status != VH_OK) return;  // engine or runtime gone: disposal or the next firing closes it
  Engine* e = engine_table().get(engine.id_);
  if (!e || !e->rt->loop->timers) return;
  auto it = e->rt->loop->timers->live.find(id);
  if (it != e->rt->loop->timers->live.end()) settle_timer(e->rt, it->second);
}

// Starts or closes the timer now when the loop is ours, else asks the loop's thread to.
int schedule(Runtime* rt, Timer* t) {
  if (loop_here(rt)) {
    settle_timer(rt, t);
    return VH_OK;
  }
  auto* op = new TimerOp{t->id};
  int rc = vh_engine_post(vh_engine{t->engine}, timer_op_task, op);
  if (rc != VH_OK) delete op;
  return rc;
}

void cancel(Runtime* rt, Timer* t) {
  if (t->state != TimerState::kLive) return;
  t->state = TimerState::kCleared;
  release_values(t);
  // When posting fails the engine is going away: its next firing (or disposal) closes it.
  schedule(rt, t);
}

void on_timer(uv_timer_t* handle) {
  auto* t = static_cast<Timer*>(handle->data);
  Runtime* rt = t->rt;
  vh_engine engine{t->engine};
  vh_scope scope;
  if (vh_scope_open(engine, &scope) != VH_OK) {
    // The engine was disposed: cancel quietly.
    RuntimeLock lock(rt);
    finish(rt, t);
    return;
  }
  if (t->state != TimerState::kLive) {
    finish(rt, t);  // cleared from another thread meanwhile
    vh_scope_close(scope);
    return;
  }
  Engine* e = engine_table().get(t->engine);
  if (!t->repeat) t->state = TimerState::kCleared;  // clearTimeout(own id) is a no-op now
  {
    EngineCall call;
    if (call.enter(engine, false) == VH_OK) {
      v8::Isolate* iso = call.isolate;
      v8::Local<v8::Function> fn = t->fn.Get(iso);
      std::vector<v8::Local<v8::Value>> args;
      args.reserve(t->args.size());
      for (const auto& a : t->args) args.push_back(a.Get(iso));
      ++rt->loop->timers->firing;
      // A loop run may be nested in a host callback (drive_until_settled): leave its record of
      // the last failed call as it was.
      uint64_t last_failed = call.ts->last_failed_engine;
      v8::TryCatch tc(iso);
      v8::Local<v8::Value> ignored;
      // `this` is the global object, as in HTML.
      if (!fn->Call(call.context, call.context->Global(), static_cast<int>(args.size()), args.data())
               .ToLocal(&ignored))
        call.failed(tc);  // pending in the engine: after_callback reports it
      call.ts->last_failed_engine = last_failed;
      --rt->loop->timers->firing;
    }
  }
  if (t->state == TimerState::kCleared) finish(rt, t);  // one-shot done, or cleared by itself
  after_callback(e);
  vh_scope_close(scope);
}

// ---- JavaScript functions ----------------------------------------------------------------------

int kTimeoutTag, kIntervalTag;

int throw_type_error(vh_engine engine, const char* text) {
  VH_TRY(vh_throw_error(engine, VH_ERROR_KIND_TYPE_ERROR, text));
  return VH_EEXCEPTION;
}

// setTimeout(fn, ms, ...args) and setInterval (info->data tells which).
int js_set_timer(const vh_call_info* info, vh_value* result) {
  bool interval = info->data == &kIntervalTag;
  EngineCall call;
  VH_TRY(call.enter(info->engine, false));
  v8::Local<v8::Value> fn;
  if (info->argc < 1 || call_arg(call, info->argv[0], &fn) != VH_OK || !fn->IsFunction())
    return throw_type_error(info->engine, interval ? "setInterval: the callback must be a function"
                                                   : "setTimeout: the callback must be a function");
  double ms = 0;
  if (info->argc >= 2) {
    v8::Local<v8::Value> delay;
    VH_TRY(call_arg(call, info->argv[1], &delay));
    v8::TryCatch tc(call.isolate);
    if (!delay->NumberValue(call.context).To(&ms)) return call.failed(tc);
  }
  // NaN, negative and zero delays count as 0, which the loop rounds up to 1 ms (as Node does).
  if (!(ms >= 1) || ms > kMaxDelayMs) ms = 1;
  Runtime* rt = call.rt;
  if (!uv_loop_of(rt)) return VH_EDISPOSED;
  Timers* tm = timers_of(rt);
  auto* t = new Timer();
  t->rt = rt;
  t->id = ++tm->next_id;
  t->engine = call.engine->handle;
  t->delay = static_cast<uint64_t>(ms);
  t->repeat = interval ? t->delay : 0;
  t->fn.Reset(call.isolate, fn.As<v8::Function>());
  for (size_t i = 2; i < info->argc; ++i) {
    v8::Local<v8::Value> a;
    int rc = call_arg(call, info->argv[i], &a);
    if (rc != VH_OK) {
      release_values(t);
      delete t;
      return rc;
    }
    t->args.emplace_back(call.isolate, a);
  }
  tm->live[t->id] = t;
  int rc = schedule(rt, t);
  if (rc != VH_OK) {
    tm->live.erase(t->id);
    release_values(t);
    delete t;
    return rc;
  }
  *result = call.result(v8::Number::New(call.isolate, static_cast<double>(t->id)));
  return VH_OK;
}

// clearTimeout(id) and clearInterval(id): unknown and cleared ids are ignored.
int js_clear_timer(const vh_call_info* info, vh_value*) {
  if (info->argc < 1) return VH_OK;
  EngineCall call;
  VH_TRY(call.enter(info->engine, false));
  v8::Local<v8::Value> v;
  VH_TRY(call_arg(call, info->argv[0], &v));
  if (v->IsNullOrUndefined()) return VH_OK;
  double d;
  {
    v8::TryCatch tc(call.isolate);
    if (!v->NumberValue(call.context).To(&d)) return call.failed(tc);
  }
  Timers* tm = call.rt->loop->timers;
  if (!tm || !(d >= 1) || d > 9007199254740991.0 || d != std::floor(d)) return VH_OK;
  auto it = tm->live.find(static_cast<uint64_t>(d));
  // Each engine clears its own timers only (as each window has its own list in HTML).
  if (it == tm->live.end() || it->second->engine != call.engine->handle) return VH_OK;
  cancel(call.rt, it->second);
  return VH_OK;
}

int js_queue_microtask(const vh_call_info* info, vh_value*) {
  EngineCall call;
  VH_TRY(call.enter(info->engine, false));
  v8::Local<v8::Value> fn;
  if (info->argc < 1 || call_arg(call, info->argv[0], &fn) != VH_OK || !fn->IsFunction())
    return throw_type_error(info->engine, "queueMicrotask: the callback must be a function");
  call.isolate->EnqueueMicrotask(fn.As<v8::Function>());
  return VH_OK;
}

}  // namespace

// ---- installing (shared with console.cc) -------------------------------------------------------

// Builtins are non-enumerable, as the ECMAScript globals and methods are (through the public
// vh_define_property, which hosts use for their own globals too).
int define(EngineCall& call, v8::Local<v8::Object> target, const char* name, v8::Local<v8::Value> value) {
  return vh_define_property(vh_engine{call.engine->handle}, call.result(target), name,
                            call.result(value), VH_PROPERTY_DONT_ENUM);
}

int define_function(EngineCall& call, v8::Local<v8::Object> target, const char* name,
                    vh_host_function_cb fn, void* data) {
  vh_value f;
  VH_TRY(vh_new_function(vh_engine{call.engine->handle}, name, fn, data, &f));
  v8::Local<v8::Value> local;
  VH_TRY(call_arg(call, f, &local));
  return define(call, target, name, local);
}

void destroy_builtins(Runtime* rt) {
  destroy_console(rt);
  Timers* tm = rt->loop->timers;
  if (!tm) return;
  for (auto& entry : tm->live) close_timer(entry.second);
  delete tm;
  rt->loop->timers = nullptr;
}

// Cancels the timers of an engine whose context goes away (lock held): engine.cc's
// unbind_context calls it when the engine is disposed or reset. Each is marked cleared and its
// values released, so none runs again; it is closed now on the loop's thread, otherwise when it
// next fires. The engine's console state goes too.
void cancel_engine_timers(Engine* engine) {
  Runtime* rt = engine->rt;
  if (!rt->loop->timers) return;
  std::vector<Timer*> mine;
  for (auto& entry : rt->loop->timers->live)
    if (entry.second->engine == engine->handle) mine.push_back(entry.second);
  for (Timer* t : mine) {
    t->state = TimerState::kCleared;
    release_values(t);
    if (loop_here(rt)) finish(rt, t);  // otherwise closed when it next fires
  }
  forget_engine_console(engine);
}

}  // namespace vh

using namespace vh;

extern "C" {

int vh_engine_install_builtins(vh_engine engine, unsigned flags) {
  if (flags & ~static_cast<unsigned>(VH_BUILTIN_ALL)) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  v8::Local<v8::Object> global = call.context->Global();
  if (flags & VH_BUILTIN_TIMERS) {
    VH_TRY(define_function(call, global, "setTimeout", js_set_timer, &kTimeoutTag));
    VH_TRY(define_function(call, global, "setInterval", js_set_timer, &kIntervalTag));
    VH_TRY(define_function(call, global, "clearTimeout", js_clear_timer, nullptr));
    VH_TRY(define_function(call, global, "clearInterval", js_clear_timer, nullptr));
  }
  if (flags & VH_BUILTIN_QUEUE_MICROTASK)
    VH_TRY(define_function(call, global, "queueMicrotask", js_queue_microtask, nullptr));
  if (flags & VH_BUILTIN_CONSOLE) {
    VH_TRY(install_console(call, global));
  }
  if (flags & VH_BUILTIN_STRUCTURED_CLONE) VH_TRY(install_structured_clone(engine));
  return VH_OK;
}

int vh_runtime_set_console(vh_runtime runtime, vh_console_sink_cb sink, void* data) {
  return set_under_lock(runtime, [&](Runtime* rt) {
    rt->loop->console_sink = sink;
    rt->loop->console_data = data;
  });
}

}  // extern "C"
