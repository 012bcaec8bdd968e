// The shared prologue of API calls: validate handles, check the thread holds the lock, enter the
// right isolate and context, and turn V8 failures into status codes.
#pragma once

#include <v8.h>

#include <optional>

#include "core/stop.h"
#include "core/lock.h"
#include "core/objects.h"
#include "core/thread_state.h"
#include "v8host/errors.h"
#include "v8host/exception.h"
#include "v8host/types.h"

#define VH_TRY(expr)              \
  do {                            \
    int vh_rc_ = (expr);          \
    if (vh_rc_ != VH_OK) return vh_rc_; \
  } while (0)

namespace vh {

// Host callbacks nest (JS -> C -> JS ...) at most this deep on a thread; calls that would run
// script deeper fail with VH_EDEPTH, long before C frames could outrun V8's stack guard.
constexpr uint32_t kMaxCallDepth = 256;

// The status for "this thread does not hold rt's lock". A worker's loop thread that keeps the
// runtime between its tasks (RuntimeLink::lender) counts as nobody: it lends it on demand.
inline int not_locked_status(const Runtime* rt) {
  uint32_t owner = rt->lock_owner.load(std::memory_order_relaxed);
  return owner == 0 || owner == rt->link->lender.load(std::memory_order_relaxed) ? VH_ENOSCOPE : VH_EWRONG_THREAD;
}

// Resolves an engine handle: VH_EINVAL for the empty handle, VH_EDISPOSED for a stale one.
inline int resolve_engine(vh_engine handle, Engine** out) {
  if (handle.id_ == 0) return VH_EINVAL;
  Engine* e = engine_table().get(handle.id_);
  if (!e) return VH_EDISPOSED;
  *out = e;
  return VH_OK;
}

inline int resolve_runtime(vh_runtime handle, Runtime** out) {
  if (handle.id_ == 0) return VH_EINVAL;
  Runtime* rt = runtime_table().get(handle.id_);
  if (!rt) return VH_EDISPOSED;
  *out = rt;
  return VH_OK;
}

// An API call working in one engine, on a thread that holds the engine's runtime lock (has a
// scope open). Construct, then check enter(); the destructor undoes what enter() did.
class EngineCall {
 public:
  EngineCall() = default;
  EngineCall(const EngineCall&) = delete;
  EngineCall& operator=(const EngineCall&) = delete;
  ~EngineCall() {
    if (!engine) return;
    if (context_scope_) {
      ts->leave<kEnteredField>(step_);
      context_scope_.reset();
    }
    if (isolate_scope_) {  // resolve() made rt current: another runtime's was
      isolate_scope_.reset();
      ts->leave<kCurrentField>(step_);
    }
    ts->leave<kUseField, kJsField>(step_);
  }

  // runs_js: the call may run script, so it is refused while an exception is pending.
  int enter(vh_engine handle, bool runs_js) {
    VH_TRY(resolve(handle, runs_js));
    enter_context();
    return VH_OK;
  }

  // enter() in two steps, for a call that may not need the engine's context at all (vh_pass of
  // a SharedArrayBuffer the engine already has): resolve() makes every check and takes the
  // engine (and its isolate, when another runtime's is current), and can fail; enter_context()
  // cannot.
  int resolve(vh_engine handle, bool runs_js) {
    Engine* e;
    VH_TRY(resolve_engine(handle, &e));
    Runtime* r = e->rt;
    ThreadState* t = ThreadState::peek();
    if (!t) return not_locked_status(r);
    // current_rt is locked by this thread and current in V8; any other runtime must be checked.
    bool other_runtime = r != t->current_rt;
    if (other_runtime && r->lock_owner.load(std::memory_order_relaxed) != t->ordinal)
      return not_locked_status(r);
    if (runs_js) {
      if (e->has_pending || (t->frame_threw && t->frame_rt == r)) return VH_EPENDING_EXCEPTION;
      if (t->depth >= kMaxCallDepth) return VH_EDEPTH;
    }
    engine = e;
    rt = r;
    ts = t;
    isolate = r->isolate;
    context = strong_local(e->context);
    step_.set(kUseField | (runs_js ? kJsField : 0u), r, e);
    t->enter<kUseField, kJsField>(step_);
    // Another runtime's scope may be innermost on this thread: make this isolate current (the
    // step's second part; the destructor tells the two cases apart by isolate_scope_).
    if (other_runtime) {
      isolate_scope_.emplace(isolate);
      step_.fields |= kCurrentField;
      t->enter<kCurrentField>(step_);
    }
    return VH_OK;
  }
  void enter_context() {
    if (rt->entered != engine) {
      context_scope_.emplace(context);
      step_.fields |= kEnteredField;  // the step's last part (thread_state.h, enter)
      ts->enter<kEnteredField>(step_);
    }
  }

  // (An argument value as this call's engine sees it: marshal.h's call_arg, which passes in a
  // value of another runtime by the marshaling rules.)

  // Puts a result in the innermost scope.
  vh_value result(v8::Local<v8::Value> local) { return ts->push(rt, local); }
  // A call's result, unless the runtime was told to stop while it ran: a script can finish before
  // V8 acts on the request (its last act a builtin that never checks, such as filling a huge
  // array), and the stop is this call's, not the next script's.
  int result_to(v8::Local<v8::Value> local, vh_value* out) {
    if ((step_.fields & kJsField) && rt->stop_reason.load(std::memory_order_relaxed) != 0) return stopped_status(rt, ts);
    if (out) *out = result(local);
    return VH_OK;
  }

  // After a V8 call came back empty: records the exception as pending in the engine; or the stop
  // status when the call was stopped (or told to stop while it ran).
  int failed(const v8::TryCatch& tc);

  Engine* engine = nullptr;
  Runtime* rt = nullptr;
  ThreadState* ts = nullptr;
  v8::Isolate* isolate = nullptr;
  v8::Local<v8::Context> context;

 private:
  std::optional<v8::Isolate::Scope> isolate_scope_;
  std::optional<v8::Context::Scope> context_scope_;
  // The engine in use, a script call counted; the runtime current, when another one was; and
  // (enter_context) the engine entered, when its context was not already.
  Transition step_;
};

// Holds a runtime's lock (and an isolate and handle scope) for an internal operation such as
// creating or disposing an engine. Waits when another thread holds the lock.
class RuntimeLock {
 public:
  explicit RuntimeLock(Runtime* rt) : rt_(rt), ts_(ThreadState::current()) {
    if (rt->lock_owner.load(std::memory_order_relaxed) != ts_->ordinal) lock_runtime(rt, ts_, &locker_);
    isolate_scope_.emplace(rt->isolate);
    step_.set(kCurrentField, rt);
    ts_->enter<kCurrentField>(step_);
    handles_.emplace(rt->isolate);
  }
  ~RuntimeLock() {
    handles_.reset();
    isolate_scope_.reset();
    ts_->leave<kCurrentField>(step_);
    if (locker_) unlock_runtime(rt_, &locker_);
  }
  RuntimeLock(const RuntimeLock&) = delete;
  RuntimeLock& operator=(const RuntimeLock&) = delete;

 private:
  Runtime* rt_;
  ThreadState* ts_;
  Transition step_;  // rt current
  std::optional<v8::Locker> locker_;
  std::optional<v8::Isolate::Scope> isolate_scope_;
  std::optional<v8::HandleScope> handles_;
};

// Resolves a runtime handle and runs set(rt) under the runtime's lock: the one shape of the calls
// that install a host hook or callback on a runtime (vh_runtime_set_*). VH_OK, or
// resolve_runtime's status.
template <typename Set>
int set_under_lock(vh_runtime handle, Set&& set) {
  Runtime* rt;
  VH_TRY(resolve_runtime(handle, &rt));
  RuntimeLock lock(rt);
  set(rt);
  return VH_OK;
}

// Fills out (as vh_exception_take does) from an exception and its message (which may be
// empty); the value goes into the innermost scope. VH_OK or VH_ENOMEM.
int describe_exception(EngineCall& call, v8::Local<v8::Value> exception, v8::Local<v8::Message> message,
                       vh_exception* out);

// Makes exception (with its message, which may be empty) the engine's pending exception.
void record_pending(Engine* engine, v8::Local<v8::Value> exception, v8::Local<v8::Message> message);

// The engine's pending exception (has_pending: there is one), and its message in *message
// (empty when it has none).
inline v8::Local<v8::Value> pending_exception(Engine* engine, v8::Isolate* isolate, v8::Local<v8::Message>* message) {
  *message = engine->pending_message.IsEmpty() ? v8::Local<v8::Message>() : engine->pending_message.Get(isolate);
  return engine->pending_exception.Get(isolate);
}

// Forgets the engine's pending exception (taken, rethrown, reported, carried by a promise or
// discarded).
inline void clear_pending(Engine* engine) {
  engine->pending_exception.Reset();
  engine->pending_message.Reset();
  engine->has_pending = false;
}

// A host callback rethrows exception into rt, first thrown with message (empty: nothing to
// keep): when rt catches that very value next, it keeps that message (the first throw's
// location) rather than the rethrow site's (caught_message).
void note_rethrow(Runtime* rt, v8::Local<v8::Value> exception, v8::Local<v8::Message> message);
// The message to record for exception, just caught in rt with message: the first throw's when
// it is the value a host callback rethrew (note_rethrow). Forgets the rethrow either way.
v8::Local<v8::Message> caught_message(Runtime* rt, v8::Local<v8::Value> exception, v8::Local<v8::Message> message);
// Forgets a noted rethrow (runtime disposal).
void forget_rethrow(Runtime* rt);

// V8 string helpers shared by the value and object calls.
// A string from UTF-8 of a given length; VH_ERANGE when too long for V8.
int make_utf8_string(v8::Isolate* isolate, const char* data, size_t length,
                     v8::NewStringType type, v8::Local<v8::String>* out);
// A property name (NUL-terminated UTF-8), internalized.
int make_name(v8::Isolate* isolate, const char* name, v8::Local<v8::String>* out);
// A malloc'd NUL-terminated UTF-8 copy of a value's string form (or nullptr).
char* dup_utf8(v8::Isolate* isolate, v8::Local<v8::Value> value);

}  // namespace vh
