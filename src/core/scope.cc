// vh_scope_*: opening, escaping from and closing scopes.
#include "core/call.h"
#include "core/lock.h"
#include "v8host.h"

namespace vh {
namespace {

int open_scope(vh_engine handle, bool escapable, vh_scope* out) {
  if (!out) return VH_EINVAL;
  Engine* e;
  VH_TRY(resolve_engine(handle, &e));
  Runtime* rt = e->rt;
  ThreadState* ts = ThreadState::current();
  bool held = rt->lock_owner.load(std::memory_order_relaxed) == ts->ordinal;
  if (escapable && !held) return VH_ENOSCOPE;

  // The record of a scope closed at this depth before, else a new one (thread_state.h).
  if (ts->scopes.size() == ts->open_scopes) ts->scopes.push_back(std::make_unique<ScopeRecord>());
  ScopeRecord& r = *ts->scopes[ts->open_scopes];
  r.owns_lock = !held;
  if (!held) {
    // Waits while another thread holds the runtime; fails when that thread waits, directly or
    // through others, for a runtime, loop or worker this thread holds (a cycle: VH_EDEADLK).
    if (lock_runtime(rt, ts, &r.locker, true) != VH_OK) return VH_EDEADLK;
  }
  r.isolate_scope.emplace(rt->isolate);
  ++ts->open_scopes;
  r.escaped = false;
  if (escapable) {
    r.escapable.emplace(rt->isolate);
    r.escape_slot = ts->slots.push(0, rt, v8::Local<v8::Value>());
  } else {
    r.handles.emplace(rt->isolate);
  }
  r.context_scope.emplace(strong_local(e->context));
  r.step.set(kCurrentField | kUseField | kEnteredField, rt, e);
  ts->enter<kCurrentField | kUseField | kEnteredField>(r.step);
  r.mark = ts->slots.size();
  r.serial = ts->next_serial++;
  *out = vh_scope{r.serial, ts->ordinal, static_cast<uint32_t>(ts->open_scopes - 1)};
  return VH_OK;
}

// Finds the open scope a handle names on the calling thread.
int find_scope(vh_scope scope, ThreadState** ts_out, ScopeRecord** out) {
  if (scope.serial_ == 0) return VH_EINVAL;
  ThreadState* ts = ThreadState::peek();
  if (!ts || scope.thread_ != ts->ordinal) return VH_EWRONG_THREAD;
  if (scope.depth_ >= ts->open_scopes || ts->scopes[scope.depth_]->serial != scope.serial_)
    return VH_ESCOPE_CLOSED;
  *ts_out = ts;
  *out = ts->scopes[scope.depth_].get();
  return VH_OK;
}

}  // namespace
}  // namespace vh

namespace vh {

void close_library_scope(vh_scope scope) {
  ThreadState* ts = ThreadState::peek();
  if (!ts || scope.thread_ != ts->ordinal || scope.depth_ >= ts->open_scopes ||
      ts->scopes[scope.depth_]->serial != scope.serial_)
    return;
  while (ts->open_scopes > scope.depth_) pop_scope(ts);
}

}  // namespace vh

using namespace vh;

extern "C" {

int vh_scope_open(vh_engine engine, vh_scope* out) { return open_scope(engine, false, out); }

int vh_scope_open_escapable(vh_engine engine, vh_scope* out) { return open_scope(engine, true, out); }

int vh_scope_escape(vh_scope scope, vh_value value, vh_value* out) {
  if (!out) return VH_EINVAL;
  ThreadState* ts;
  ScopeRecord* r;
  VH_TRY(find_scope(scope, &ts, &r));
  const Slot* slot;
  VH_TRY(lookup_value(value, &slot));
  if (!r->escapable || r->escaped || value.slot_ < r->mark) return VH_EESCAPE;
  if (slot->rt != r->step.rt) return VH_ERUNTIME_MISMATCH;
  v8::Local<v8::Value> escaped = r->escapable->Escape(slot->local);
  uint64_t serial = ts->next_serial++;
  ts->slots[r->escape_slot] = Slot{serial, r->step.rt, escaped};
  r->escaped = true;
  *out = vh_value{serial, ts->ordinal, static_cast<uint32_t>(r->escape_slot)};
  return VH_OK;
}

int vh_scope_close(vh_scope scope) {
  ThreadState* ts;
  ScopeRecord* r;
  VH_TRY(find_scope(scope, &ts, &r));
  // Innermost first; and a host callback cannot close the scopes of its callers.
  if (scope.depth_ != ts->open_scopes - 1 || scope.depth_ < ts->frame_floor) return VH_ESCOPE_ORDER;
  pop_scope(ts);
  return VH_OK;
}

}  // extern "C"
