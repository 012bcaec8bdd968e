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
#include "core/runtime_link.h"
#include "core/stop.h"
#include "core/thread_state.h"
#include "core/waits.h"
#include "v8host/errors.h"

namespace vh {

// Deletes what is queued on rt's link (its lock is held). lock.cc.
void drain_releases(Runtime* rt);

// Takes rt's lock for this thread (waiting), then V8's Locker.
// With rt's mutex held: V8's Locker, the owner marks, and the queued releases.
inline void enter_locked_runtime(Runtime* rt, ThreadState* ts, std::optional<v8::Locker>* locker) {
  locker->emplace(rt->isolate);
  Transition taken(kLockField, rt);
  ts->enter<kLockField>(taken);  // held, and the owner marks
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
  if (!rt->link->mu.try_lock()) {
    int rc = wait_for_lock(rt->link, ts, detect);
    if (rc != VH_OK) return rc;
  }
  enter_locked_runtime(rt, ts, locker);
  return VH_OK;
}

// Gives rt's lock up (taken by lock_runtime or enter_locked_runtime on this thread).
inline void unlock_runtime(Runtime* rt, std::optional<v8::Locker>* locker) {
  Transition taken(kLockField, rt);
  ThreadState::peek()->leave<kLockField>(taken);
  locker->reset();
  rt->link->mu.unlock();
}

}  // namespace vh
