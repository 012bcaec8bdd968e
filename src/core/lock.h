// The runtime lock.
//
// V8's Locker cannot be tried or timed, and a thread blocked in it holds whatever else it holds.
// So the real arbiter is our own mutex (tried, or waited for with a deadline), in a RuntimeLink that outlives the runtime (a
// thread waiting for a runtime that is being disposed wakes up to a dead link instead of freed
// memory); V8's Locker is taken right after, always uncontended. With try and timed locking, a
// proxy operation that needs another runtime can avoid deadlock: it releases every runtime the
// thread holds while it waits (see marshal/proxy.cc); other waits publish what they wait for, so
// cycles are found (waits.h).
#pragma once

#include <v8.h>

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "core/objects.h"
#include "core/stop.h"
#include "core/thread_state.h"
#include "core/waits.h"
#include "v8host/errors.h"

#define VH_TRY_LOCK(expr)                   \
  do {                                      \
    int vh_lock_rc_ = (expr);               \
    if (vh_lock_rc_ != VH_OK) return vh_lock_rc_; \
  } while (0)

namespace vh {

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

// Deletes what is queued on rt's link (its lock is held). lock.cc.
void drain_releases(Runtime* rt);

// Takes rt's lock for this thread (waiting), then V8's Locker.
// With rt's mutex held: V8's Locker, the owner marks, and the queued releases.
inline void enter_locked_runtime(Runtime* rt, ThreadState* ts, std::optional<v8::Locker>* locker) {
  locker->emplace(rt->isolate);
  ts->held.push_back(rt);
  // V8 sets its stack limit from where a thread first locks the isolate: ours is one per thread,
  // whatever runtime and however deep (limits.cc, thread_stack_limit). V8 keeps the limit a
  // thread had when it lets the isolate go and sets it again when that thread locks it next
  // (StackGuard::InitThread, from the per-thread data, which lasts as long as the isolate): set
  // once, it holds; the runtime remembers only the last thread that set one, so another sets its
  // own again (~120 instructions per lock saved when one thread keeps taking the runtime).
  if (ts->stack_limit && rt->stack_limit_thread != ts->ordinal) {
    rt->isolate->SetStackLimit(ts->stack_limit);
    rt->stack_limit_thread = ts->ordinal;
  }
  rt->lock_owner.store(ts->ordinal, std::memory_order_relaxed);
  rt->link->owner.store(ts->ordinal, std::memory_order_relaxed);
  if (rt->link->has_releases.load(std::memory_order_acquire)) drain_releases(rt);
  // Taking V8's lock restores this thread's archived stack-guard state, which drops a stop or
  // interrupt requested while nobody held the runtime: ask again.
  if (rt->stop_reason.load(std::memory_order_relaxed) != 0 || rt->has_interrupts.load(std::memory_order_acquire))
    reissue_requests(rt);
}

// Blocks until this thread has rt's mutex, publishing the wait (waits.h). With detect, gives up
// with VH_EDEADLK when the wait can never end; without, waits for good. lock.cc.
int wait_for_lock(const std::shared_ptr<RuntimeLink>& link, ThreadState* ts, bool detect);

// For a thread that holds runtimes (ts->held, the innermost running script) and needs s, which
// another thread holds: releases every runtime it holds, so that no thread ever blocks on a
// runtime while holding one (what makes waits deadlock-free for any number of runtimes and
// threads); waits for s, at most `wait`; and takes back everything it held, never blocking on
// one mutex while holding another (the std::lock algorithm). The wait for s ends early when a
// runtime it released is told to stop. VH_OK: s's mutex is held as well (its Runtime not
// touched); VH_ETIMEDOUT; or the stop reason. Every runtime the thread held is its own again in
// any case: that last step has no bound, but waits only for threads that are running, never
// for a waiting one (they hold nothing), and publishes its edge so cycles through loops and
// workers are found by the others (waits.h). lock.cc.
int wait_holding_nothing(ThreadState* ts, const std::shared_ptr<RuntimeLink>& s, std::chrono::milliseconds wait);

// Takes rt's lock for this thread. VH_OK; VH_EDEADLK (detect only: another thread holding rt
// waits, directly or through others, for something this thread holds).
inline int lock_runtime(Runtime* rt, ThreadState* ts, std::optional<v8::Locker>* locker, bool detect = false) {
  if (!rt->link->mu.try_lock()) VH_TRY_LOCK(wait_for_lock(rt->link, ts, detect));
  enter_locked_runtime(rt, ts, locker);
  return VH_OK;
}

// Forgets rt in the thread's list of held runtimes (normally its last entry).
inline void forget_held(ThreadState* ts, Runtime* rt) {
  for (size_t i = ts->held.size(); i-- > 0;) {
    if (ts->held[i] == rt) {
      ts->held.erase(ts->held.begin() + static_cast<long>(i));
      return;
    }
  }
}

inline void unlock_runtime(Runtime* rt, std::optional<v8::Locker>* locker) {
  ThreadState* ts = ThreadState::peek();
  if (ts) forget_held(ts, rt);
  rt->lock_owner.store(0, std::memory_order_relaxed);
  rt->link->owner.store(0, std::memory_order_relaxed);
  locker->reset();
  rt->link->mu.unlock();
}

}  // namespace vh
