// Per-thread state: the value arena and the stack of open scopes.
//
// A vh_value is (thread ordinal, slot index, serial). The slot holds the V8 Local and the serial
// of the value that occupies it; serials are never reused on a thread, so a value whose scope
// closed (slot truncated away, or reused by a newer value) is recognised, never aliased. The
// arena is per thread, not per runtime, because scopes nest strictly per thread across
// runtimes, and because V8 handle scopes are per thread too.
#pragma once

#include <v8.h>

#include <cstdint>
#include <cstdlib>
#include <deque>
#include <optional>
#include <vector>

#include "v8host/errors.h"
#include "v8host/types.h"

#define VH_TRY_LOOKUP(expr)         \
  do {                              \
    int vh_lookup_rc_ = (expr);     \
    if (vh_lookup_rc_) return vh_lookup_rc_; \
  } while (0)

namespace vh {

struct Runtime;
struct Engine;

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
  // Makes room for n more slots, so that n push_reserved calls need no check.
  void reserve(size_t n) {
    if (capacity_ - size_ < n) grow(size_ + n);
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

// One open scope. Members are destroyed explicitly in reverse order of construction (close()).
struct ScopeRecord {
  uint64_t serial = 0;
  Runtime* rt = nullptr;
  Engine* engine = nullptr;
  Engine* prev_entered = nullptr;  // the runtime's entered engine before this scope
  size_t mark = 0;                 // arena size when the scope opened: its values are >= mark
  size_t escape_slot = SIZE_MAX;   // reserved parent slot for the escaped value
  bool escaped = false;
  bool owns_lock = false;  // this scope took the runtime's lock and releases it on close
  Runtime* prev_rt = nullptr;  // the thread's current_rt before this scope
  std::optional<v8::Locker> locker;
  std::optional<v8::Isolate::Scope> isolate_scope;
  std::optional<v8::HandleScope> handles;
  std::optional<v8::EscapableHandleScope> escapable;
  std::optional<v8::Context::Scope> context_scope;
};

struct ThreadState {
  uint32_t ordinal;  // unique per thread for the life of the process, never 0
  uint64_t next_serial = 1;
  // The runtime whose isolate this thread entered last (innermost scope, running callback or
  // call). Invariant: current_rt's lock is held by this thread, and its isolate is V8's current
  // one. Lets hot paths skip Isolate::GetCurrent() (a PLT call and a pthread key lookup in
  // libnode) and the lock-owner load.
  Runtime* current_rt = nullptr;
  // Number of open scopes (scopes.size() of a deque costs a dozen instructions).
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
  std::deque<ScopeRecord> scopes;  // deque: records never move (V8 scope objects must not)

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
};

// The calling thread's state. __thread rather than thread_local: a C++ extern thread_local is
// reached through a wrapper call; initial-exec: no __tls_get_addr in the shared library.
extern __thread ThreadState* tls_state __attribute__((tls_model("initial-exec")));

inline ThreadState* ThreadState::peek() { return tls_state; }
inline ThreadState* ThreadState::current() {
  ThreadState* ts = tls_state;
  return ts ? ts : create();
}

// Looks a value up for the calling thread, without checking another runtime's lock:
// kLookupOtherRuntime when the value is of a runtime other than the current one (lookup_value
// then checks that runtime's lock). For the hottest readers (value.cc): one that tail-calls its
// out-of-line form in that case makes no call on its fast path, so it saves no registers.
constexpr int kLookupOtherRuntime = 1;
inline int lookup_value_current(vh_value value, const Slot** out) {
  if (value.serial_ == 0) return VH_EINVAL;
  ThreadState* ts = tls_state;
  if (!ts || value.thread_ != ts->ordinal) return VH_EWRONG_THREAD;
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

// Pops the innermost scope of ts: truncates its values, restores entered engine, releases
// V8 scopes and (if it took it) the runtime's lock.
void pop_scope(ThreadState* ts);

}  // namespace vh
