// The runtime's lock as a thread sees it: its mutex and the link (lock.h takes and releases it;
// the owner marks are written by the thread-state transitions, thread_state.h).
#pragma once

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

#include "core/waits.h"

namespace vh {

struct Runtime;

// The runtime's mutex: a plain pthread mutex, locked, tried, or waited for until a steady-clock
// deadline. Not std::timed_mutex: its try_lock_until is pthread_mutex_clocklock, which
// ThreadSanitizer (GCC 12's) does not intercept, so it saw every timed lock's unlock as an
// unlock of an unlocked mutex and knew nothing of what the lock ordered. pthread_mutex_timedlock
// is intercepted; it counts on CLOCK_REALTIME, so it is called in short slices and the steady
// clock decides when the wait is over (a clock step cannot stretch or cut it).
class RuntimeMutex {
 public:
  RuntimeMutex() = default;
  ~RuntimeMutex() { pthread_mutex_destroy(&mu_); }
  RuntimeMutex(const RuntimeMutex&) = delete;
  RuntimeMutex& operator=(const RuntimeMutex&) = delete;
  void lock() { pthread_mutex_lock(&mu_); }
  bool try_lock() { return pthread_mutex_trylock(&mu_) == 0; }
  void unlock() { pthread_mutex_unlock(&mu_); }
  bool try_lock_until(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
      if (try_lock()) return true;
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return false;
      auto slice = std::min<std::chrono::steady_clock::duration>(deadline - now, std::chrono::milliseconds(kWaitSliceMs));
      timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      long long ns = ts.tv_nsec + std::chrono::duration_cast<std::chrono::nanoseconds>(slice).count();
      ts.tv_sec += static_cast<time_t>(ns / 1000000000);
      ts.tv_nsec = static_cast<long>(ns % 1000000000);
      if (pthread_mutex_timedlock(&mu_, &ts) == 0) return true;
    }
  }

 private:
  pthread_mutex_t mu_ = PTHREAD_MUTEX_INITIALIZER;
};

// Something a runtime holds in its isolate for another runtime that the other one is done
// with (marshal's ProxyRecord: the real object of a proxy collected elsewhere). Deleting it
// releases it, and must happen under the holding runtime's lock (a thread touches an isolate's
// handles only with its lock), while the thread that lets it go (a GC callback of the other
// runtime) never waits for that lock: it queues it on the link, and the next thread that takes
// the lock deletes it (drain_releases). A base class with a virtual destructor rather than a
// hook the marshal layer registers: the lock needs nothing of it but `delete`, and the queue's
// type says so.
struct ReleaseOnLock {
  virtual ~ReleaseOnLock() = default;
};

// Guards every RuntimeLink's alive flag and release queue, and what the marshal layer keeps
// consistent with them (a runtime's exported proxy records, a record's done flags). Short
// critical sections; never held while waiting for a runtime. lock.cc.
extern std::mutex g_link_mu;

struct RuntimeLink {
  RuntimeMutex mu;              // the runtime's lock
  Runtime* rt = nullptr;        // valid while alive
  // False once disposal began. Written under g_link_mu with mu held as well (disposal holds
  // the runtime's lock), so a thread holding either reads it safely.
  bool alive = true;
  // Released while alive (g_link_mu), deleted by the next thread that takes this runtime's
  // lock (a collector never waits for another runtime).
  std::vector<ReleaseOnLock*> release_queue;  // g_link_mu
  std::atomic<bool> has_releases{false};
  // The lock holder's thread ordinal (a mirror of Runtime::lock_owner that stays readable after
  // the runtime is gone: proxies of its objects read it).
  std::atomic<uint32_t> owner{0};
  // A worker's loop thread keeps its runtime between tasks and lends it on demand (loop.cc,
  // Residency): `lender` names that thread while it keeps mu (0: nobody keeps it so); `wanted`
  // counts the threads blocked (or about to block) for mu. A waiter counts itself first, then,
  // when a lender keeps mu, wakes it through wake_lender (the loop's queue, kept alive by
  // wake_target; both set once when the runtime is made, before any other thread can see it).
  // The lender sets `lender` first, then reads `wanted`, and lets go when it is non-zero: with
  // both sequentially consistent, one of the two always sees the other (Wanting, lock.cc).
  std::atomic<uint32_t> wanted{0};
  std::atomic<uint32_t> lender{0};
  void (*wake_lender)(void*) = nullptr;
  std::shared_ptr<void> wake_target;
};

}  // namespace vh
