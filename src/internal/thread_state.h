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
#include <deque>
#include <optional>
#include <vector>

#include "v8host/types.h"

namespace vh {

struct Runtime;
struct Engine;

struct Slot {
  uint64_t serial;  // 0: a reserved slot that no value occupies (yet)
  Runtime* rt;
  v8::Local<v8::Value> local;
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
  std::optional<v8::Locker> locker;
  std::optional<v8::Isolate::Scope> isolate_scope;
  std::optional<v8::HandleScope> handles;
  std::optional<v8::EscapableHandleScope> escapable;
  std::optional<v8::Context::Scope> context_scope;
};

struct ThreadState {
  uint32_t ordinal;  // unique per thread for the life of the process, never 0
  uint64_t next_serial = 1;
  std::vector<Slot> slots;
  std::deque<ScopeRecord> scopes;  // deque: records never move (V8 scope objects must not)

  // The calling thread's state, created on first use.
  static ThreadState* current();
  // The calling thread's state, or nullptr when the thread never used the library.
  static ThreadState* peek();

  vh_value push(Runtime* rt, v8::Local<v8::Value> local) {
    uint64_t serial = next_serial++;
    slots.push_back(Slot{serial, rt, local});
    return vh_value{serial, ordinal, static_cast<uint32_t>(slots.size() - 1)};
  }
};

// Looks a value up for the calling thread. Checks: empty handle, thread, scope still open, and
// that its runtime's lock is held by this thread. On success *out points at the slot (valid
// until the arena grows: copy what you need before pushing).
int lookup_value(vh_value value, const Slot** out);

// Pops the innermost scope of ts: truncates its values, restores entered engine, releases
// V8 scopes and (if it took it) the runtime's lock.
void pop_scope(ThreadState* ts);

}  // namespace vh
