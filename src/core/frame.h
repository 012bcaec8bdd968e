// A host frame: the thread state around a call from V8 into host C code (host functions, module
// loaders, import.meta hooks, synthetic module inits). Saved on entry, restored on exit, so such
// calls nest: values made inside die on return, scopes left open are closed, the caller's scopes
// cannot be closed from inside, and nested calls that fail can be rethrown.
#pragma once

#include <v8.h>

#include "core/call.h"
#include "core/objects.h"
#include "core/thread_state.h"

namespace vh {

// The engine a callback from V8 into rt works in: the engine its function or proxy was made in
// (made_in, a handle; 0: none), while that engine lives; else the realm V8 runs it in; else
// (a disposed engine's function called from another realm without an engine) rt's entered
// engine. nullptr when rt has none left.
inline Engine* callback_engine(uint64_t made_in, v8::Isolate* isolate, Runtime* rt) {
  Engine* engine = made_in ? engine_table().get(made_in) : nullptr;
  if (!engine) engine = engine_of(isolate->GetCurrentContext());
  if (!engine) engine = rt->entered;
  return engine;
}

// The thread state of a host frame: the constructor enters it, leave() restores what it
// replaced. Left explicitly, it needs no exception cleanup around the host call (which the
// compiler would otherwise prepare for by keeping the whole frame in memory): the trampoline
// (host/callback.cc) leaves it on each of its return paths; HostFrame below is the scoped form.
class FrameState {
 public:
  FrameState(ThreadState* ts, Runtime* rt, Engine* engine)
      : ts_(ts), rt_(rt), engine_(engine), mark_(ts->slots.size()), floor_(ts->frame_floor),
        last_failed_(ts->last_failed_engine), threw_(ts->frame_threw) {
    ts->frame_floor = ts->open_scopes;
    ts->frame_threw = false;
    ts->last_failed_engine = 0;
    // V8 runs rt's code on this thread, so rt is locked by it; the frame makes it current for
    // the callback's calls. Usually it is current already, but not under a host proxy's trap,
    // which runs the source runtime's code without making it current (marshal/proxy.cc).
    // (Setting it always costs less than testing whether to.)
    // The step is rebuilt from scalars in leave() rather than kept as a member: the frame's
    // fields then stay scalars the compiler can keep in registers across the host call.
    Transition step(kFrameSteps, rt, engine);
    ts->enter<kFrameSteps>(step);
    prev_current_ = step.prev_current;
    prev_entered_ = step.prev_entered;
    prev_frame_rt_ = step.prev_frame_rt;
  }
  void leave() {
    // Scopes the host code left open are closed for it, innermost first.
    if (__builtin_expect(ts_->open_scopes > ts_->frame_floor, 0)) close_left_scopes(ts_);
    ts_->slots.truncate(mark_);
    ts_->frame_floor = floor_;
    ts_->frame_threw = threw_;
    ts_->last_failed_engine = last_failed_;
    Transition step(kFrameSteps, rt_, engine_);
    step.prev_current = prev_current_;
    step.prev_entered = prev_entered_;
    step.prev_frame_rt = prev_frame_rt_;
    ts_->leave<kFrameSteps>(step);
  }
  FrameState(const FrameState&) = delete;
  FrameState& operator=(const FrameState&) = delete;

  // The host code returned VH_EEXCEPTION after a v8host call of it failed: rethrows that call's
  // pending exception into V8, keeping its original message (location) for whoever catches it
  // next. False when there is none to rethrow.
  bool rethrow_failed(v8::Isolate* iso) { return rethrow_failed(ts_, rt_, iso); }
  // The same for the innermost frame of ts, running code of rt (for callers that keep the
  // frame object out of the slow path, so the compiler can keep its fields in registers).
  static bool rethrow_failed(ThreadState* ts, Runtime* rt, v8::Isolate* iso) {
    Engine* failed = ts->last_failed_engine ? engine_table().get(ts->last_failed_engine) : nullptr;
    if (!failed || !failed->has_pending || failed->rt != rt) return false;
    v8::Local<v8::Message> message;
    v8::Local<v8::Value> exception = pending_exception(failed, iso, &message);
    note_rethrow(rt, exception, message);
    clear_pending(failed);
    iso->ThrowException(exception);
    return true;
  }

 private:
  static constexpr unsigned kFrameSteps = kFrameField | kCurrentField | kNestField | kEnteredField | kUseField;
  // Out of line: the scopes a host callback left open, closed down to its frame's floor.
  __attribute__((noinline, cold)) static void close_left_scopes(ThreadState* ts) {
    while (ts->open_scopes > ts->frame_floor) pop_scope(ts);
  }
  ThreadState* ts_;
  Runtime* rt_;      // the frame's runtime (frame_rt)
  Engine* engine_;   // entered and in use, one level deeper
  size_t mark_, floor_;
  uint64_t last_failed_;
  bool threw_;
  Runtime* prev_current_;   // what enter() replaced
  Runtime* prev_frame_rt_;
  Engine* prev_entered_;
};

// A host frame for the length of a C++ scope: around a call from V8 into host C code.
class HostFrame : public FrameState {
 public:
  using FrameState::FrameState;
  ~HostFrame() { leave(); }
};

}  // namespace vh
