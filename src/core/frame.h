// A host frame: the thread state around a call from V8 into host C code (host functions, module
// loaders, import.meta hooks, synthetic module inits). Saved on entry, restored on exit, so such
// calls nest: values made inside die on return, scopes left open are closed, the caller's scopes
// cannot be closed from inside, and nested calls that fail can be rethrown.
#pragma once

#include <v8.h>

#include "core/objects.h"
#include "core/thread_state.h"

namespace vh {

class HostFrame {
 public:
  HostFrame(ThreadState* ts, Runtime* rt, Engine* engine)
      : ts_(ts), rt_(rt), engine_(engine), mark_(ts->slots.size()), floor_(ts->frame_floor),
        last_failed_(ts->last_failed_engine), frame_rt_(ts->frame_rt), entered_(rt->entered),
        current_rt_(ts->current_rt), threw_(ts->frame_threw) {
    ts->frame_floor = ts->open_scopes;
    ts->frame_threw = false;
    ts->last_failed_engine = 0;
    ts->frame_rt = rt;
    ts->current_rt = rt;  // V8 runs rt's code on this thread, so rt is current and locked
    ++ts->depth;
    rt->entered = engine;
    ++engine->in_use;
  }
  ~HostFrame() {
    // Scopes the host code left open are closed for it, innermost first.
    while (ts_->open_scopes > ts_->frame_floor) pop_scope(ts_);
    ts_->slots.truncate(mark_);
    ts_->frame_floor = floor_;
    ts_->frame_threw = threw_;
    ts_->last_failed_engine = last_failed_;
    ts_->frame_rt = frame_rt_;
    ts_->current_rt = current_rt_;
    --ts_->depth;
    rt_->entered = entered_;
    --engine_->in_use;
  }
  HostFrame(const HostFrame&) = delete;
  HostFrame& operator=(const HostFrame&) = delete;

  // The host code returned VH_EEXCEPTION after a v8host call of it failed: rethrows that call's
  // pending exception into V8, keeping its original message (location) for whoever catches it
  // next. False when there is none to rethrow.
  bool rethrow_failed(v8::Isolate* iso) { return rethrow_failed(ts_, rt_, iso); }
  // The same for the innermost frame of ts, running code of rt (for callers that keep the
  // frame object out of the slow path, so the compiler can keep its fields in registers).
  static bool rethrow_failed(ThreadState* ts, Runtime* rt, v8::Isolate* iso) {
    Engine* failed = ts->last_failed_engine ? engine_table().get(ts->last_failed_engine) : nullptr;
    if (!failed || !failed->has_pending || failed->rt != rt) return false;
    v8::Local<v8::Value> exception = failed->pending_exception.Get(iso);
    if (!failed->pending_message.IsEmpty()) {
      rt->rethrown_exception.Reset(iso, exception);
      rt->rethrown_message.Reset(iso, failed->pending_message.Get(iso));
    }
    failed->pending_exception.Reset();
    failed->pending_message.Reset();
    failed->has_pending = false;
    iso->ThrowException(exception);
    return true;
  }

 private:
  ThreadState* ts_;
  Runtime* rt_;
  Engine* engine_;
  size_t mark_, floor_;
  uint64_t last_failed_;
  Runtime* frame_rt_;
  Engine* entered_;
  Runtime* current_rt_;
  bool threw_;
};

}  // namespace vh
