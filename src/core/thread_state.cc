// Per-thread arena and scope stack (see core/thread_state.h), and value lookup.
#include "core/thread_state.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "core/stop.h"
#include "core/lock.h"
#include "core/objects.h"
#include "v8host/errors.h"

namespace vh {
namespace {

std::atomic<uint32_t> g_next_ordinal{1};

// Frees the thread's state when the thread ends. Scopes still open then are a host bug; they
// are closed innermost first so that V8's scope objects unwind in order.
struct ThreadReaper {
  ~ThreadReaper() {
    ThreadState* ts = ThreadState::peek();
    if (!ts) return;
    while (ts->open_scopes > 0) pop_scope(ts);
    tls_state = &g_no_thread_state;
    delete ts;
  }
};
thread_local ThreadReaper tls_reaper;

}  // namespace

ThreadState g_no_thread_state;
__thread ThreadState* tls_state __attribute__((tls_model("initial-exec"))) = &g_no_thread_state;

ThreadState* ThreadState::create() {
  ThreadState* ts = new ThreadState();
  ts->ordinal = g_next_ordinal.fetch_add(1, std::memory_order_relaxed);
  ts->stack_limit = thread_stack_limit();
  tls_state = ts;
  (void)&tls_reaper;  // odr-use registers the destructor for this thread
  return ts;
}

int lookup_value_slow(const ThreadState* ts, const Slot& slot) {
  // A value of a runtime other than the current one: that runtime may have been unlocked for a
  // while (waiting for another runtime) and be used by another thread now; its handles are not
  // ours to touch then.
  return slot.rt->lock_owner.load(std::memory_order_relaxed) == ts->ordinal ? VH_OK : VH_EWRONG_THREAD;
}

void state_broken(const char* what) {
  std::fprintf(stderr, "v8host: thread state invariant broken: %s\n", what);
  std::abort();
}

void ThreadState::check(const Transition& step) const {
  for (size_t i = 0; i < held.size(); ++i) {
    Runtime* rt = held[i];
    if (rt->lock_owner.load(std::memory_order_relaxed) != ordinal ||
        rt->link->owner.load(std::memory_order_relaxed) != ordinal)
      state_broken("a runtime in held has another owner mark than this thread");
    for (size_t j = 0; j < i; ++j)
      if (held[j] == rt) state_broken("a runtime is in held twice");
  }
  if (current_rt && current_rt->lock_owner.load(std::memory_order_relaxed) != ordinal &&
      current_rt->parked.load(std::memory_order_relaxed) == 0)
    state_broken("the current runtime is not held by this thread");
  // What enter() recorded is read only for the fields the step has (the rest is not set).
  Runtime* prev = (step.fields & kCurrentField) ? step.prev_current : nullptr;
  Engine* engine = (step.fields & (kUseField | kEnteredField)) ? step.engine : nullptr;
  for (Runtime* rt : {step.rt, prev, engine ? engine->rt : nullptr}) {
    if (!rt || rt->lock_owner.load(std::memory_order_relaxed) != ordinal) continue;
    if (rt->entered && (rt->entered->rt != rt || rt->entered->in_use == 0))
      state_broken("a runtime's entered engine is not one of its engines in use");
    if (rt->js_calls < 0) state_broken("a runtime's js_calls is negative");
  }
  if (frame_floor > open_scopes || open_scopes > scopes.size())
    state_broken("the scope stack and its counts disagree");
}

void pop_scope(ThreadState* ts) {
  ScopeRecord& r = *ts->scopes[ts->open_scopes - 1];
  ts->slots.truncate(r.mark);
  r.context_scope.reset();
  r.escapable.reset();
  r.handles.reset();
  r.isolate_scope.reset();
  --ts->open_scopes;
  ts->leave<kCurrentField | kUseField | kEnteredField>(r.step);
  if (r.owns_lock) {
    unlock_runtime(r.step.rt, &r.locker);
  }
}

}  // namespace vh
