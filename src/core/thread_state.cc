// Per-thread arena and scope stack (see core/thread_state.h), and value lookup.
#include "core/thread_state.h"

#include <atomic>

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
    ThreadState* ts = tls_state;
    if (!ts) return;
    while (!ts->scopes.empty()) pop_scope(ts);
    tls_state = nullptr;
    delete ts;
  }
};
thread_local ThreadReaper tls_reaper;

}  // namespace

__thread ThreadState* tls_state __attribute__((tls_model("initial-exec"))) = nullptr;

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

void pop_scope(ThreadState* ts) {
  ScopeRecord& r = ts->scopes.back();
  ts->slots.truncate(r.mark);
  if (r.engine) {
    r.rt->entered = r.prev_entered;
    --r.engine->in_use;
  }
  r.context_scope.reset();
  r.escapable.reset();
  r.handles.reset();
  r.isolate_scope.reset();
  ts->current_rt = r.prev_rt;
  --ts->open_scopes;
  if (r.owns_lock) {
    unlock_runtime(r.rt, &r.locker);
  }
  ts->scopes.pop_back();
}

}  // namespace vh
