// The event loop's internal interface (loop.cc).
#pragma once

#include <uv.h>
#include <v8.h>

#include <memory>

#include "core/objects.h"
#include "v8host/loop.h"

namespace vh {

struct LoopState;  // loop.cc: the runtime's libuv loop, posted tasks, error reporting
struct TaskQueue;  // loop.cc: the posting side of the loop, shared with posters
struct Timers;     // builtins.cc: setTimeout/setInterval timers of the runtime
struct Consoles;   // console.cc: console.count/time/group state of the runtime's engines

// The loop layer's part of a Runtime (Runtime::loop; core/objects.h). (Which thread runs the
// loop is core's: Runtime::loop_thread, read by a stop.)
struct LoopPart {
  LoopState* state = nullptr;  // create_loop .. destroy_loop
  // The loop's queue, kept until the Runtime is freed: a stop requested from another thread
  // wakes the loop through it, safely even while disposal tears the loop down (loop.cc).
  std::shared_ptr<TaskQueue> queue;
  Timers* timers = nullptr;      // made on first use (builtins.cc)
  Consoles* consoles = nullptr;  // made on first use (console.cc)
  vh_console_sink_cb console_sink = nullptr;
  void* console_data = nullptr;
};

// Makes the runtime's loop state (runtime creation): host_loop, or a loop of its own.
int create_loop(Runtime* rt, uv_loop_t* host_loop);
// VH_EBUSY when another thread is running the runtime's loop (it cannot be disposed then).
int check_loop_idle(Runtime* rt);
// Whether this thread may touch the loop's libuv handles now: it is the thread running the loop
// (inside one of its callbacks), or nobody runs it. False when the runtime has no loop.
bool loop_is_mine(Runtime* rt);
// Closes it (runtime disposal, lock held, engines gone): tasks still queued are called with
// VH_EDISPOSED; an own loop is run until its handles have closed, then closed.
void destroy_loop(Runtime* rt);
uv_loop_t* uv_loop_of(Runtime* rt);

// Runs microtasks, then reports unhandled rejections (the lock is held). Stopped (rt's
// stop_reason set), V8 has dropped the rest of the queue.
void run_microtasks(Runtime* rt);
// Wakes rt's loop if it waits (any thread, rt still in the runtime table, even while it is
// being disposed): a stop requested meanwhile ends the run.
void wake_loop(Runtime* rt);
// After a task, timer or async completion ran in engine (a scope is open on it): reports an
// exception left pending there as uncaught and runs the microtasks (V8's platform tasks run from
// the pump timer, every 50 ms, and at the start of each run).
void after_callback(Engine* engine);

// Runs microtasks, V8's platform tasks and (when it is not running elsewhere) the loop, until
// promise is settled or nothing is left that could settle it. The runtime's lock is held.
void drive_until_settled(Runtime* rt, v8::Local<v8::Promise> promise);

// Builtins (builtins.cc): cancels and closes the runtime's timers (runtime disposal, before
// destroy_loop; the lock is held).
void destroy_builtins(Runtime* rt);

// Cancels the timers of an engine being disposed (the lock is held), so they neither fire nor
// keep the loop alive.
void cancel_engine_timers(Engine* engine);

// Workers: the loop waits for tasks while idle; a stop request queued behind earlier tasks.
void keep_loop_alive(Runtime* rt);
int post_stop(Runtime* rt);
// The body of vh_runtime_run: VH_EBUSY when another thread (or a callback) runs the loop; the
// stop status when the runtime was stopped during the run (not for a worker's loop).
int run_loop(Runtime* rt, uv_run_mode mode, bool* alive);
// Marks the loop as run by this thread (false: someone else runs it); a worker claims it before
// its start-up returns, so no other thread can run or dispose it in between.
bool claim_loop(Runtime* rt);
int run_claimed_loop(Runtime* rt, uv_run_mode mode, bool* alive);

}  // namespace vh
