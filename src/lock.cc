// Blocking for a runtime's lock (see internal/lock.h and internal/waits.h).
#include "internal/lock.h"

namespace vh {

int wait_for_lock(const std::shared_ptr<RuntimeLink>& link, ThreadState* ts, bool detect) {
  // The edge names whoever holds the runtime: the link outlives the runtime (the edge's
  // shared_ptr, aliasing its owner mark, keeps it), so the walk never reads freed memory.
  WaitEdge edge(ts->ordinal, WaitTarget(link, &link->owner));
  for (;;) {
    if (link->mu.try_lock_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitSliceMs)))
      return VH_OK;
    if (detect && edge.deadlocked()) return VH_EDEADLK;
    // Without detect the wait goes on; the edge lets the other waiters of a cycle find it.
  }
}

}  // namespace vh
