// Per-thread state: the value arena and the stack of open scopes.
//
// A vh_value is (thread ordinal, slot index, serial). The slot holds the V8 Local and the serial
// of the value that occupies it; serials only grow on a thread (the values of one host call
// share one serial, each in its own slot), so no later occupant of a slot carries an earlier
// one's serial, and a value whose scope closed (slot truncated away, or reused by a newer
// value) is recognised, never aliased. The
// arena is per thread, not per runtime, because scopes nest strictly per thread across
// runtimes, and because V8 handle scopes are per thread too.
#pragma once

#include <v8.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

#include "core/objects.h"
#include "core/runtime_link.h"
#include "v8host/errors.h"
#include "v8host/types.h"

// Debug builds (and the sanitizer builds, CMakeLists.txt) check the thread-state invariant at
// every transition (ThreadState::enter/leave below) and abort with a message when it is broken.
#if !defined(NDEBUG) && !defined(VH_STATE_CHECKS)
#define VH_STATE_CHECKS 1
#endif

#define VH_TRY_LOOKUP(expr)         \
  do {                              \
    int vh_lookup_rc_ = (expr);     \
    if (vh_lookup_rc_) return vh_lookup_rc_; \
  } while (0)

namespace vh {

struct Slot {
  uint64_t serial;  // 0: a reserved slot that no value occupies (yet)
  Runtime* rt;
  v8::Local<v8::Value> local;
};

// The value slots of a thread: a stack that only grows at the end and is cut back to a mark
// when a scope closes. Hand-rolled rather than std::vector so that a push is three plain stores
// (the trampoline pushes every argument of every host call).
class SlotArena {
 public:
  SlotArena() = default;
  SlotArena(const SlotArena&) = delete;
  SlotArena& operator=(const SlotArena&) = delete;
  ~SlotArena() { std::free(data_); }

  size_t size() const { return size_; }
  Slot& operator[](size_t i) { return data_[i]; }
  const Slot& operator[](size_t i) const { return data_[i]; }
  void truncate(size_t mark) { size_ = mark; }

  // Appends a slot and returns its index.
  size_t push(uint64_t serial, Runtime* rt, v8::Local<v8::Value> local) {
    if (size_ == capacity_) grow(size_ + 1);
    return push_reserved(serial, rt, local);
  }
  // Appends n slots and returns the first: the caller fills them before any lookup can reach
  // them (the trampoline's callback values, written in one pass).
  Slot* append(size_t n) {
    if (capacity_ - size_ < n) grow(size_ + n);
    Slot* first = data_ + size_;
    size_ += n;
    return first;
  }
  size_t push_reserved(uint64_t serial, Runtime* rt, v8::Local<v8::Value> local) {
    Slot* s = data_ + size_;
    s->serial = serial;
    s->rt = rt;
    s->local = local;
    return size_++;
  }

 private:
  void grow(size_t need) {
    size_t capacity = capacity_ ? capacity_ * 2 : 256;
    while (capacity < need) capacity *= 2;
    void* data = std::realloc(data_, capacity * sizeof(Slot));  // Slot is trivially copyable
    if (!data) std::abort();  // as std::vector would (bad_alloc under -fno-exceptions)
    data_ = static_cast<Slot*>(data);
    capacity_ = capacity;
  }
  Slot* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// What one step of a thread's state changes (Transition::fields).
enum TransitionField : unsigned {
  kLockField = 1u << 0,     // rt's lock was just taken (mutex, V8's Locker): held, owner marks,
                            // and rt's entered engine is this thread's: engine (nullptr for a
                            // fresh lock; what it had, for a lock taken back after a wait).
                            // leave: given up, entered cleared (another thread's is not ours)
  kLoopField = 1u << 1,     // rt's loop is claimed for this thread (enter may refuse)
  kCurrentField = 1u << 2,  // rt becomes the thread's current runtime
  kUseField = 1u << 3,      // engine is counted in use (disposal waits for zero)
  kEnteredField = 1u << 4,  // engine becomes its runtime's entered engine
  kJsField = 1u << 5,       // one more call that may run script in rt (heap limit, stops)
  kNestField = 1u << 6,     // one level deeper in host callbacks (bounded by kMaxCallDepth)
  kFrameField = 1u << 7,    // rt (or nullptr: none) becomes the runtime of the innermost host
                            // callback's frame (frame_rt)
  kAllFields = (1u << 8) - 1,
};

// One step of a thread's state: what opening a scope, an API call, a host frame, a proxy
// operation, taking a lock or running a loop changes, and what it replaced.
// ThreadState::enter() makes the change and records what it replaced; ThreadState::leave()
// undoes it. These two are the only writers of: the thread's current runtime (current_rt), the
// runtime of its innermost host callback (frame_rt), its host nesting (depth), the runtimes
// whose locks it holds (held, with each one's Runtime::lock_owner and RuntimeLink::owner
// marks), a runtime's entered engine (Runtime::entered), the calls running script in a runtime
// (Runtime::js_calls), an engine's users (Engine::in_use) and the thread running a runtime's
// loop (Runtime::loop_thread). scripts/check-state-writes.sh (ctest `state_writes`) fails on a
// write of one of them anywhere else.
struct Transition {
  Transition() = default;
  Transition(unsigned f, Runtime* r, Engine* e = nullptr) : rt(r), engine(e), fields(f) {}
  // What the constructor sets, for a step kept in a longer-lived object (a scope, an API
  // call): `step = Transition(...)` would copy the three prev_* fields too, and the compiler
  // stores something for each (three stores per API call for nothing).
  void set(unsigned f, Runtime* r, Engine* e = nullptr) {
    rt = r;
    engine = e;
    fields = f;
  }
  Runtime* rt = nullptr;
  Engine* engine = nullptr;
  unsigned fields = 0;  // TransitionField bits
  // Filled by enter(), read by leave() only for the fields the step has: left uninitialised
  // (an API call makes a step: no stores for what it does not use).
  Runtime* prev_current;
  Engine* prev_entered;
  Runtime* prev_frame_rt;
};

// One scope: open while its index is below ThreadState::open_scopes. Its V8 scope objects are
// reset in reverse order of construction when it closes (pop_scope); the record itself stays for
// the next scope opened at its depth (open_scope sets what that scope uses).
struct ScopeRecord {
  uint64_t serial = 0;
  Transition step;  // step.rt made current, step.engine entered and in use (enter/leave)
  size_t mark = 0;                 // arena size when the scope opened: its values are >= mark
  size_t escape_slot = SIZE_MAX;   // reserved parent slot for the escaped value
  bool escaped = false;
  bool owns_lock = false;  // this scope took the runtime's lock and releases it on close
  std::optional<v8::Locker> locker;
  std::optional<v8::Isolate::Scope> isolate_scope;
  std::optional<v8::HandleScope> handles;
  std::optional<v8::EscapableHandleScope> escapable;
  std::optional<v8::Context::Scope> context_scope;
};

struct ThreadState {
  uint32_t ordinal = 0;  // unique per thread for the life of the process, never 0 (but in
                         // g_no_thread_state)
  uint64_t next_serial = 1;
  // The runtime whose isolate this thread entered last (innermost scope, running callback or
  // call). Invariant: current_rt's lock is held by this thread, and its isolate is V8's current
  // one. Lets hot paths skip Isolate::GetCurrent() (a PLT call and a pthread key lookup in
  // libnode) and the lock-owner load.
  Runtime* current_rt = nullptr;
  // Number of open scopes: scopes[0, open_scopes) (scopes may hold more records, kept for reuse).
  size_t open_scopes = 0;
  // The stack limit of this thread for every runtime it locks (limits.cc); 0: V8's own.
  uintptr_t stack_limit = 0;
  // Scopes below this index belong to callers of the running host callback: the callback may
  // not close them (V8 is executing inside them).
  size_t frame_floor = 0;
  // Nesting on this thread of host frames (host functions, module loaders and hooks, synthetic
  // inits: HostFrame) and proxy traps (JS -> C -> JS -> C ...). A call that would run script or
  // enter a frame or trap at kMaxCallDepth (core/call.h) fails with VH_EDEPTH.
  uint32_t depth = 0;
  // Set by vh_throw inside a host callback: the callback's frame has a thrown exception.
  bool frame_threw = false;
  // Handle of the engine whose call last returned VH_EEXCEPTION in the current callback frame:
  // a callback returning VH_EEXCEPTION rethrows that engine's pending exception.
  uint64_t last_failed_engine = 0;
  // Runtime of the innermost running host callback (nullptr outside callbacks).
  Runtime* frame_rt = nullptr;
  // The runtimes whose locks this thread holds, outermost first (lock.h keeps it): a thread
  // that must wait for another runtime releases all of them meanwhile (proxy.cc).
  std::vector<Runtime*> held;
  SlotArena slots;
  // One record per depth this thread has reached, each allocated once: records never move (V8
  // scope objects must not), and one is kept when its scope closes, so that opening a scope
  // allocates nothing (a std::deque allocated and freed a block of two records each time the
  // depth crossed a block's end: ~290 of the ~690 instructions of a scope's open and close).
  std::vector<std::unique_ptr<ScopeRecord>> scopes;

  // The calling thread's state, created on first use.
  static ThreadState* current();
  // The calling thread's state, or nullptr when the thread never used the library.
  static ThreadState* peek();
  static ThreadState* create();  // current()'s slow path

  vh_value push(Runtime* rt, v8::Local<v8::Value> local) {
    uint64_t serial = next_serial++;
    size_t index = slots.push(serial, rt, local);
    return vh_value{serial, ordinal, static_cast<uint32_t>(index)};
  }

  // The one state transition (Transition above): makes step's changes, in the order lock,
  // loop, current runtime, uses, entered engine, script calls, nesting, frame, and records what
  // they replaced in step. False only for a step with `loop` whose loop another thread runs:
  // then nothing changed.
  // kFields (TransitionField bits) are changed by every step of this call site (step.fields
  // has them all); kMaybe are changed when step.fields has them. Nothing else is even tested
  // (inlined, enter and leave come down to the very loads and stores the step needs), so one
  // step may be entered in parts: EngineCall enters its engine's context after the rest.
  template <unsigned kFields, unsigned kMaybe = 0>
  bool enter(Transition& step);
  // Undoes what enter(step) did, in the reverse order (the same kFields and kMaybe).
  template <unsigned kFields, unsigned kMaybe = 0>
  void leave(const Transition& step);

  // The invariant, checked after every enter/leave in builds with VH_STATE_CHECKS (aborts with
  // a message naming the broken part):
  //  1. every runtime in held is held by this thread: its lock_owner and its link's owner are
  //     this thread's ordinal; none is in held twice;
  //  2. current_rt, when set, is held by this thread (its lock_owner is this thread) — except
  //     while the thread waits holding nothing (wait_holding_nothing, lock.cc), when held is
  //     empty and the thread runs nothing;
  //  3. a runtime's entered engine, when set, belongs to it and is in use (in_use > 0);
  //  4. no count goes below zero: Engine::in_use, Runtime::js_calls, depth;
  //  5. the scope stack is consistent: frame_floor <= open_scopes <= scopes.size() (a record is
  //     there before its scope counts as open, and stays after it closes);
  //  6. a runtime's loop is run by one thread at a time (enter claims it with a compare-and-swap
  //     from 0, and only the claiming step's leave gives it back).
  void check(const Transition& step) const;
};

// What tls_state points at on a thread that has no state (yet, or any more): ordinal 0, which no
// value carries, so a lookup fails its thread test without first testing for a null state.
extern ThreadState g_no_thread_state;

// The calling thread's state, &g_no_thread_state when it has none (peek() and current() say
// nullptr / make one). __thread rather than thread_local: a C++ extern thread_local is reached
// through a wrapper call; initial-exec: no __tls_get_addr in the shared library.
extern __thread ThreadState* tls_state __attribute__((tls_model("initial-exec")));

// Reports a broken thread-state invariant (VH_STATE_CHECKS builds) and aborts: a library bug.
[[noreturn]] void state_broken(const char* what);

inline ThreadState* ThreadState::peek() {
  ThreadState* ts = tls_state;
  return ts != &g_no_thread_state ? ts : nullptr;
}
inline ThreadState* ThreadState::current() {
  ThreadState* ts = tls_state;
  return ts != &g_no_thread_state ? ts : create();
}

template <unsigned kFields, unsigned kMaybe>
inline bool ThreadState::enter(Transition& step) {
  // Read once: the stores below (an in_use count) could alias step.fields for the compiler.
  const unsigned fields = step.fields;
  auto has = [fields](unsigned f) { return (kFields & f) || ((kMaybe & f) && (fields & f)); };
#ifdef VH_STATE_CHECKS
  if (kFields & ~fields) state_broken("a transition lacks a field its enter() always changes");
#endif
  Runtime* rt = step.rt;
  Engine* engine = step.engine;
  if (has(kLockField)) {
    held.push_back(rt);
    rt->lock_owner.store(ordinal, std::memory_order_relaxed);
    rt->link->owner.store(ordinal, std::memory_order_relaxed);
    rt->entered = engine;
  }
  if (has(kLoopField)) {
    uint32_t expected = 0;
    if (!rt->loop_thread.compare_exchange_strong(expected, ordinal)) {
      if (has(kLockField)) {  // undo what came before: nothing changed
        held.pop_back();
        rt->lock_owner.store(0, std::memory_order_relaxed);
        rt->link->owner.store(0, std::memory_order_relaxed);
      }
      return false;
    }
  }
  if (has(kCurrentField)) {
    step.prev_current = current_rt;
    current_rt = rt;
  }
  if (has(kUseField)) ++engine->in_use;
  if (has(kEnteredField)) {
    step.prev_entered = engine->rt->entered;
    engine->rt->entered = engine;
  }
  if (has(kJsField)) ++rt->js_calls;
  if (has(kNestField)) ++depth;
  if (has(kFrameField)) {
    step.prev_frame_rt = frame_rt;
    frame_rt = rt;
  }
#ifdef VH_STATE_CHECKS
  check(step);
#endif
  return true;
}

template <unsigned kFields, unsigned kMaybe>
inline void ThreadState::leave(const Transition& step) {
  const unsigned fields = step.fields;
  auto has = [fields](unsigned f) { return (kFields & f) || ((kMaybe & f) && (fields & f)); };
  Runtime* rt = step.rt;
  Engine* engine = step.engine;
#ifdef VH_STATE_CHECKS
  if ((has(kUseField) && engine->in_use == 0) || (has(kJsField) && rt->js_calls <= 0) ||
      (has(kNestField) && depth == 0))
    state_broken("a count would go below zero (in_use, js_calls or depth)");
#endif
  if (has(kFrameField)) frame_rt = step.prev_frame_rt;
  if (has(kNestField)) --depth;
  if (has(kJsField)) --rt->js_calls;
  if (has(kEnteredField)) engine->rt->entered = step.prev_entered;
  if (has(kUseField)) --engine->in_use;
  if (has(kCurrentField)) current_rt = step.prev_current;
  if (has(kLoopField)) rt->loop_thread.store(0, std::memory_order_relaxed);
  if (has(kLockField)) {
    // Normally the last entry; a scope may outlive a lock taken after it (lock_runtime order).
    for (size_t i = held.size(); i-- > 0;) {
      if (held[i] == rt) {
        held.erase(held.begin() + static_cast<long>(i));
        break;
      }
    }
    rt->lock_owner.store(0, std::memory_order_relaxed);
    rt->link->owner.store(0, std::memory_order_relaxed);
    rt->entered = nullptr;
  }
#ifdef VH_STATE_CHECKS
  check(step);
#endif
}

// Looks a value up for the calling thread, without checking another runtime's lock:
// kLookupOtherRuntime when the value is of a runtime other than the current one (lookup_value
// then checks that runtime's lock). For the hottest readers (value.cc): one that tail-calls its
// out-of-line form in that case makes no call on its fast path, so it saves no registers.
constexpr int kLookupOtherRuntime = 1;
inline int lookup_value_current(vh_value value, const Slot** out) {
  if (value.serial_ == 0) return VH_EINVAL;
  const ThreadState* ts = tls_state;  // never null: g_no_thread_state has ordinal 0
  if (value.thread_ != ts->ordinal) return VH_EWRONG_THREAD;
  if (value.slot_ >= ts->slots.size()) return VH_ESCOPE_CLOSED;
  const Slot& slot = ts->slots[value.slot_];
  if (slot.serial != value.serial_) return VH_ESCOPE_CLOSED;
  if (slot.rt != ts->current_rt) return kLookupOtherRuntime;
  *out = &slot;
  return VH_OK;
}

// Looks a value up for the calling thread. Checks: empty handle, thread, scope still open, and
// that its runtime's lock is held by this thread. On success *out points at the slot (valid
// until the arena grows: copy what you need before pushing). Inline: every value call runs it.
int lookup_value_slow(const ThreadState* ts, const Slot& slot);
inline int lookup_value(vh_value value, const Slot** out) {
  int rc = lookup_value_current(value, out);
  if (__builtin_expect(rc != kLookupOtherRuntime, 1)) return rc;
  const Slot& slot = tls_state->slots[value.slot_];
  VH_TRY_LOOKUP(lookup_value_slow(tls_state, slot));
  *out = &slot;
  return VH_OK;
}

// Closes a scope the library opened around a host callback (a task, an async completion, a
// worker's init, an error handler), first closing any scopes the callback left open above it:
// a forgotten scope must not keep the runtime locked for ever.
void close_library_scope(vh_scope scope);

// Closes the innermost open scope of ts: truncates its values, restores entered engine, releases
// V8 scopes and (if it took it) the runtime's lock. Its record stays, for the next open.
void pop_scope(ThreadState* ts);

}  // namespace vh
