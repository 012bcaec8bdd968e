// The runtime lock.
//
// V8's Locker cannot be tried or timed, and a thread blocked in it holds whatever else it holds.
// So the real arbiter is our own timed mutex, in a RuntimeLink that outlives the runtime (a
// thread waiting for a runtime that is being disposed wakes up to a dead link instead of freed
// memory); V8's Locker is taken right after, always uncontended. With try and timed locking, a
// proxy operation that needs another runtime can avoid deadlock: it releases its own runtime
// while it waits (see proxy.cc).
#pragma once

#include <v8.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_set>
#include <vector>

#include "internal/objects.h"
#include "internal/thread_state.h"

namespace vh {

struct ProxyRecord;

// Guards every RuntimeLink's alive flag, export set and release queue (short critical sections;
// never held while waiting for a runtime).
extern std::mutex g_marshal_mu;

struct RuntimeLink {
  std::timed_mutex mu;          // the runtime's lock
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

// Frees the objects of collected proxies queued on rt (its lock is held). proxy.cc.
void drain_releases(Runtime* rt);
// Repeats a pending stop request and pending interrupts (its lock was just taken). limits.cc.
void reissue_requests(Runtime* rt);

// Takes rt's lock for this thread (waiting), then V8's Locker.
// With rt's mutex held: V8's Locker, the owner marks, and the queued releases.
inline void enter_locked_runtime(Runtime* rt, ThreadState* ts, std::optional<v8::Locker>* locker) {
  locker->emplace(rt->isolate);
  // V8 sets its stack limit from where a thread first locks the isolate: ours is one per thread,
  // whatever runtime and however deep (limits.cc, thread_stack_limit).
  if (ts->stack_limit) rt->isolate->SetStackLimit(ts->stack_limit);
  rt->lock_owner.store(ts->ordinal, std::memory_order_relaxed);
  rt->link->owner.store(ts->ordinal, std::memory_order_relaxed);
  if (rt->link->has_releases.load(std::memory_order_acquire)) drain_releases(rt);
  // Taking V8's lock restores this thread's archived stack-guard state, which drops a stop or
  // interrupt requested while nobody held the runtime: ask again.
  if (rt->stop_reason.load(std::memory_order_relaxed) != 0 || rt->has_interrupts.load(std::memory_order_acquire))
    reissue_requests(rt);
}

inline void lock_runtime(Runtime* rt, ThreadState* ts, std::optional<v8::Locker>* locker) {
  rt->link->mu.lock();
  enter_locked_runtime(rt, ts, locker);
}

inline void unlock_runtime(Runtime* rt, std::optional<v8::Locker>* locker) {
  rt->lock_owner.store(0, std::memory_order_relaxed);
  rt->link->owner.store(0, std::memory_order_relaxed);
  locker->reset();
  rt->link->mu.unlock();
}

}  // namespace vh
