// The runtime's lock as a thread sees it: its mutex and the link (lock.h takes and releases it;
// the owner marks are written by the thread-state transitions, thread_state.h).
#pragma once

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <unordered_set>
#include <vector>

#include "core/waits.h"

namespace vh {

struct Runtime;
struct ProxyRecord;

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

// Guards every RuntimeLink's alive flag, export set and release queue (short critical sections;
// never held while waiting for a runtime).
extern std::mutex g_marshal_mu;

struct RuntimeLink {
  RuntimeMutex mu;              // the runtime's lock
  Runtime* rt = nullptr;        // valid while alive
  bool alive = true;            // g_marshal_mu; false once disposal began
  // Records of proxies (in other runtimes) whose real object lives in this runtime.
  std::unordered_set<ProxyRecord*> exported;  // g_marshal_mu
  // Records whose proxy was collected elsewhere: their object here is released by the next
  // thread that takes this runtime's lock (a collector never waits for another runtime).
  std::vector<ProxyRecord*> release_queue;    // g_marshal_mu
  std::atomic<bool> has_releases{false};
  // The lock holder's thread ordinal (a mirror of Runtime::lock_owner that stays readable after
  // the runtime is gone: proxies of its objects read it).
  std::atomic<uint32_t> owner{0};
};

}  // namespace vh
