// Who waits for whom: deadlock detection for the library's blocking waits.
//
// A thread that blocks in the library (for a runtime's lock, for a loop to run a posted task,
// for a worker's thread to end) publishes one edge: the atomic that names the thread it waits
// for (a runtime's owner mark, a loop's runner, a worker's thread ordinal). Following the edges
// from a waiter, thread to thread, either ends at a thread that is not blocked in the library
// (it is running, so the wait will end when it is done) or comes back to the waiter: a cycle,
// which no amount of waiting ends. Waits that can return an error check for that cycle every
// kWaitSliceMs and fail with VH_EDEADLK; waits that cannot (re-taking a runtime the thread must
// have back) still publish their edge so that the others find the cycle.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

namespace vh {

// How often a blocked waiter looks for a cycle. Short enough that a deadlock is reported at
// once as far as a person can tell; long enough that the check (a mutex and a short walk) costs
// nothing measurable. Only contended waits pay it.
constexpr unsigned kWaitSliceMs = 10;

// The thread a waiter waits for, as an ordinal read when the graph is walked (0: none).
using WaitTarget = std::shared_ptr<const std::atomic<uint32_t>>;

// Publishes, while it lives, that thread `me` is blocked waiting for `target`'s thread.
class WaitEdge {
 public:
  WaitEdge(uint32_t me, WaitTarget target);
  ~WaitEdge();
  WaitEdge(const WaitEdge&) = delete;
  WaitEdge& operator=(const WaitEdge&) = delete;
  // Points the edge elsewhere (a waiter that now waits for something else).
  void retarget(WaitTarget target);
  // Whether the edges from this waiter lead back to it: the wait can never end.
  bool deadlocked() const;

 private:
  uint32_t me_;
};

// Waits on cv (lock held) until done(), read under the lock, looking for a cycle from edge's
// waiter every kWaitSliceMs with the lock released (the walk takes other threads' locks). On a
// cycle, give_up() decides under the lock: true ends the wait, false (the wait may still end,
// say it was already under way) waits on. Answers true when done, false when given up; either
// way the lock is held again.
template <typename Done, typename GiveUp>
bool wait_unless_deadlocked(const WaitEdge& edge, std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                            Done done, GiveUp give_up) {
  while (!done()) {
    if (cv.wait_for(lock, std::chrono::milliseconds(kWaitSliceMs), done)) break;
    lock.unlock();
    bool cycle = edge.deadlocked();
    lock.lock();
    if (cycle && give_up()) return false;
  }
  return true;
}

// A target that always names one thread (a worker's thread, joined by vh_worker_stop).
inline WaitTarget fixed_wait_target(uint32_t thread) { return std::make_shared<const std::atomic<uint32_t>>(thread); }

}  // namespace vh
