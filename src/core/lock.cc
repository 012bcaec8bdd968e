// Blocking for runtimes' locks (see core/lock.h and core/waits.h): the plain wait of
// one lock, and the wait of a thread that holds runtimes for another one without holding any.
#include "core/lock.h"

#include <memory>
#include <vector>

namespace vh {

std::mutex g_link_mu;

void drain_releases(Runtime* rt) {
  std::vector<ReleaseOnLock*> queued;
  {
    std::lock_guard<std::mutex> lock(g_link_mu);
    queued.swap(rt->link->release_queue);
    rt->link->has_releases.store(false, std::memory_order_relaxed);
  }
  for (ReleaseOnLock* released : queued) delete released;
}

namespace {

// Tries every mutex of held; on success all are locked (returns held.size()); otherwise none
// is, and the index of the one that was busy is returned.
size_t try_lock_all(const std::vector<Runtime*>& held) {
  for (size_t i = 0; i < held.size(); ++i) {
    if (held[i]->link->mu.try_lock()) continue;
    for (size_t j = 0; j < i; ++j) held[j]->link->mu.unlock();
    return i;
  }
  return held.size();
}

// The stop reason of a runtime in held that was told to stop, or 0.
int stop_requested(const std::vector<Runtime*>& held) {
  for (Runtime* r : held) {
    int reason = r->stop_reason.load(std::memory_order_relaxed);
    if (reason) return reason;
  }
  return 0;
}

WaitTarget owner_of(Runtime* r) { return WaitTarget(r->link, &r->link->owner); }

// While it lives, the calling thread counts as waiting for link's mutex; a loop's thread that
// keeps the runtime between its tasks is woken, and lends it (RuntimeLink::lender, loop.cc).
class Wanting {
 public:
  explicit Wanting(RuntimeLink* link) : link_(link) {
    link->wanted.fetch_add(1, std::memory_order_seq_cst);
    if (link->lender.load(std::memory_order_seq_cst) != 0 && link->wake_lender)
      link->wake_lender(link->wake_target.get());
  }
  ~Wanting() { link_->wanted.fetch_sub(1, std::memory_order_seq_cst); }
  Wanting(const Wanting&) = delete;
  Wanting& operator=(const Wanting&) = delete;

 private:
  RuntimeLink* link_;
};

// Waits for mu until deadline, counted as wanting it.
bool wait_for_mutex(RuntimeLink* link, std::chrono::steady_clock::time_point deadline) {
  Wanting wanting(link);
  return link->mu.try_lock_until(deadline);
}

}  // namespace

int wait_for_lock(const std::shared_ptr<RuntimeLink>& link, ThreadState* ts, bool detect) {
  // The edge names whoever holds the runtime: the link outlives the runtime (the edge's
  // shared_ptr, aliasing its owner mark, keeps it), so the walk never reads freed memory.
  WaitEdge edge(ts->ordinal, WaitTarget(link, &link->owner));
  Wanting wanting(link.get());
  for (;;) {
    if (link->mu.try_lock_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitSliceMs)))
      return VH_OK;
    if (detect && edge.deadlocked()) return VH_EDEADLK;
    // Without detect the wait goes on; the edge lets the other waiters of a cycle find it.
  }
}

int wait_holding_nothing(ThreadState* ts, const std::shared_ptr<RuntimeLink>& s, std::chrono::milliseconds wait) {
  // Release everything, innermost first: V8's lock (an Unlocker archives this thread's state
  // for the isolate), the owner marks, the mutex. Parked: none of them can be disposed meanwhile.
  std::vector<Runtime*> held = ts->held;
  // Each one's entered engine as this thread's frames left it: the threads that hold them
  // meanwhile have their own, and this thread gets its own back.
  std::vector<Engine*> entered(held.size());
  std::vector<std::unique_ptr<v8::Unlocker>> unlocked;
  unlocked.reserve(held.size());
  for (size_t i = held.size(); i-- > 0;) {
    Runtime* r = held[i];
    entered[i] = r->entered;
    r->parked.fetch_add(1, std::memory_order_relaxed);
    unlocked.push_back(std::make_unique<v8::Unlocker>(r->isolate));
    Transition taken(kLockField, r);
    ts->leave<kLockField>(taken);  // out of held, owner marks cleared
    r->link->mu.unlock();
  }

  auto deadline = std::chrono::steady_clock::now() + wait;
  WaitEdge edge(ts->ordinal, WaitTarget(s, &s->owner));
  std::optional<Wanting> wanting(s.get());
  int status = VH_ETIMEDOUT;
  for (;;) {
    int stop = stop_requested(held);
    if (stop) {
      status = stop;
      break;
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    auto slice = std::min(deadline, now + std::chrono::milliseconds(kWaitSliceMs));
    if (!s->mu.try_lock_until(slice)) continue;
    size_t busy = try_lock_all(held);
    if (busy == held.size()) {
      status = VH_OK;
      break;
    }
    // One of ours is busy: let the source go, wait until that one is free (holding nothing),
    // then try everything again.
    s->mu.unlock();
    edge.retarget(owner_of(held[busy]));
    if (wait_for_mutex(held[busy]->link.get(), slice)) held[busy]->link->mu.unlock();
    edge.retarget(WaitTarget(s, &s->owner));
  }
  wanting.reset();
  if (status != VH_OK) {
    // Ours back, however long it takes (the script must go on where it was); same algorithm.
    for (;;) {
      size_t busy = try_lock_all(held);
      if (busy == held.size()) break;
      edge.retarget(owner_of(held[busy]));
      RuntimeLink* link = held[busy]->link.get();
      if (wait_for_mutex(link, std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitSliceMs)))
        link->mu.unlock();
    }
  }

  // All ours again: the owner marks, then V8's locks (uncontended now; the outermost, released
  // last, is taken back first).
  for (size_t i = 0; i < held.size(); ++i) {
    Transition taken(kLockField, held[i], entered[i]);
    ts->enter<kLockField>(taken);  // back in held, in the same order, and the owner marks
  }
  while (!unlocked.empty()) unlocked.pop_back();
  for (Runtime* r : held) {
    r->parked.fetch_sub(1, std::memory_order_relaxed);
    // As enter_locked_runtime: V8's relock restored this thread's stack guard, which forgets
    // a stop or interrupt requested meanwhile.
    if (r->stop_reason.load(std::memory_order_relaxed) != 0 || r->has_interrupts.load(std::memory_order_acquire))
      reissue_requests(r);
  }
  return status;
}

}  // namespace vh
