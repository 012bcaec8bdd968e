// The event loop (see include/v8host/loop.h): a runtime's libuv loop, tasks posted from any
// thread, V8's platform tasks, microtasks after every callback, and the reporting of uncaught
// exceptions and unhandled rejections.
#include "loop/loop.h"
#include "core/v8_compat.h"

#include <libplatform/libplatform.h>
#include <uv.h>

#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>

#include "core/call.h"
#include "core/stop.h"
#include "core/waits.h"
#include "core/platform.h"
#include "v8host.h"

namespace vh {

// A poster waiting in vh_engine_post_and_wait.
// Shared by the poster and the task (two references): a poster that gave up (VH_EDEADLK) leaves
// it to the task, which frees it when it finishes.
struct Waiter {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  bool started = false;    // the task began to run: the poster waits for it now, whatever happens
  bool cancelled = false;  // the poster gave up first: the task is not run
  int status = VH_OK;
  std::atomic<int> refs{0};
  // Called by the loop before it runs the task: false when the poster gave up on it.
  bool start() {
    std::lock_guard<std::mutex> lock(mu);
    if (cancelled) return false;
    started = true;
    return true;
  }
  void finish(int s) {
    {
      std::lock_guard<std::mutex> lock(mu);
      status = s;
      done = true;
      cv.notify_all();
    }
    release();
  }
  void release() {
    if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
};

struct Task {
  vh_task_cb fn;
  void* data;
  uint64_t engine;
  Waiter* waiter;   // nullptr for vh_engine_post
  bool stop_loop;   // a worker's stop request (fn is nullptr)

  // Its engine or runtime is gone: called once with VH_EDISPOSED, so its data can be freed
  // (unless its poster gave up on it: then it is not called at all).
  void cancel() const {
    if (waiter && !waiter->start()) return waiter->release();
    fn(vh_engine{}, VH_EDISPOSED, data);
    if (waiter) waiter->finish(VH_EDISPOSED);
  }
};

// The posting side of a loop, shared with posters so that a runtime disposed while a thread
// posts is seen as disposed rather than as freed memory.
struct TaskQueue {
  std::mutex mu;
  std::vector<Task> tasks;  // a vector swapped with the loop's batch: no allocation per wake-up
  bool alive = true;
  // The thread running the loop (mirrors LoopState::running, here because posters may outlive
  // the runtime): what a vh_engine_post_and_wait waits for, in the wait-for graph (waits.h).
  std::atomic<uint32_t> runner{0};
  uv_async_t* async = nullptr;  // valid while alive
  uint64_t posted = 0;          // every task queued so far (vh_runtime_loop_stats)
};

struct LoopState;

// libuv handles live in their own block: their close callbacks may run after the runtime is
// gone (on a host's loop).
struct LoopHandles {
  uv_async_t async;
  uv_timer_t pump;
  uv_check_t stop_check;  // ends a run after an iteration in which the runtime was stopped
  // V8 posted a foreground task for the runtime, or background work of it ended: pump. Ref'd
  // only while a run waits for V8's work (wait_for_platform_work).
  uv_async_t platform_wake;
  int open = 0;
  LoopState* state = nullptr;  // cleared at disposal: a late callback is a no-op
};

struct Rejection {
  v8::Global<v8::Promise> promise;
  v8::Global<v8::Value> reason;
};

struct LoopHandles;

// A worker's loop thread keeps its runtime between tasks: the runtime's lock and its isolate
// entered, taken for the first task of a wake-up and kept after the last. Each task's scope is
// then a nested one, which takes neither V8's Locker nor enters the isolate: that was about
// half of what a posted task cost its loop's thread (~1 200 of ~2 100 instructions). The
// runtime is lent on demand: a thread that must wait for its lock counts itself in the link's
// `wanted` and wakes the loop (lock.cc, Wanting); the loop lets go before its next task, and
// at the end of the wake-up, and does not take it again while anyone waits. So a thread that
// needs the runtime of an idle worker waits one wake-up of the worker's thread, and a thread
// that waits while tasks run gets it at the next task boundary. Only workers' loops keep their
// runtime: a loop the host runs (vh_runtime_run) may run the host's own libuv callbacks, which
// could block waiting for a thread that needs the runtime.
// The lock fields are written only by lock_runtime / unlock_runtime (lock.h), here as elsewhere.
class Residency {
 public:
  bool held() const { return held_; }
  // Keeps rt for this thread when nobody waits for it (taking its lock as a task's scope would:
  // waiting, with the deadlock check). False when it is not kept (a waiter, or a cycle).
  bool take(Runtime* rt) {
    if (held_) return true;
    RuntimeLink* link = rt->link.get();
    if (link->wanted.load(std::memory_order_seq_cst) != 0) return false;
    ThreadState* ts = ThreadState::current();
    if (lock_runtime(rt, ts, &locker_, true) != VH_OK) return false;
    isolate_.emplace(rt->isolate);
    held_ = true;
    link->lender.store(ts->ordinal, std::memory_order_seq_cst);
    // A thread that began to wait before `lender` was set did not wake us: see it here.
    if (link->wanted.load(std::memory_order_seq_cst) != 0) {
      lend(rt);
      return false;
    }
    return true;
  }
  // Lets the runtime go (a waiter, the end of the run).
  void lend(Runtime* rt) {
    if (!held_) return;
    rt->link->lender.store(0, std::memory_order_seq_cst);
    isolate_.reset();
    unlock_runtime(rt, &locker_);
    held_ = false;
  }
  // Before each task and after the last: lets the runtime go when a thread waits for it, else
  // keeps it (and, held, frees the objects of proxies collected elsewhere meanwhile, which the
  // next lock of the runtime would have freed).
  void settle(Runtime* rt, bool keep) {
    RuntimeLink* link = rt->link.get();
    if (link->wanted.load(std::memory_order_seq_cst) != 0) return lend(rt);
    if (keep && take(rt) && link->has_releases.load(std::memory_order_acquire)) drain_releases(rt);
  }

 private:
  bool held_ = false;
  std::optional<v8::Locker> locker_;
  std::optional<v8::Isolate::Scope> isolate_;
};

struct LoopState {
  Runtime* rt = nullptr;
  uv_loop_t own;
  uv_loop_t* loop = nullptr;
  bool owns_loop = false;
  LoopHandles* handles = nullptr;
  std::shared_ptr<TaskQueue> queue;
  bool keep_alive = false;           // a worker's loop waits for tasks while idle
  bool stopping = false;
  vh_error_handler_cb error_handler = nullptr;
  void* error_data = nullptr;
  std::vector<Rejection> rejections;
  std::vector<Task> batch;  // the tasks being run; swapped with the queue, keeping both capacities
  std::shared_ptr<IsolateWork> platform_work;  // what V8 has in flight for the runtime
  bool resident = false;  // a worker's run: the loop keeps the runtime between tasks
  Residency residency;
  bool idle_jobs_seen = false;   // wait_for_platform_work saw only idle jobs, since idle_jobs_since
  uint64_t idle_jobs_since = 0;  // uv_now
};

namespace {

constexpr uint64_t kPumpIntervalMs = 50;  // V8's delayed tasks run at most this late

void on_handle_closed(uv_handle_t* handle) {
  auto* h = static_cast<LoopHandles*>(handle->data);
  if (--h->open == 0) delete h;
}

// Runs V8's tasks for the isolate that are due (the lock is held).
void pump_platform(Runtime* rt) {
  // A task may run script (a FinalizationRegistry's callback): a heap limit stops it.
  ThreadState* ts = ThreadState::current();
  Transition script(kJsField, rt);
  ts->enter<kJsField>(script);
  while (v8::platform::PumpMessageLoop(platform(), rt->isolate, v8::platform::MessageLoopBehavior::kDoNotWait)) {
  }
  ts->leave<kJsField>(script);
}

// Calls the runtime's error handler, containing what it leaves behind: an exception it left
// pending in an engine of the runtime (a vh_eval of its own that threw, a vh_throw) is
// discarded when it returns, since nobody is there to take it and every later call in that
// engine would fail with VH_EPENDING_EXCEPTION; so is a thrown flag of this thread's frame.
// Exceptions pending before the call stay.
void call_error_handler(LoopState* ls, Engine* engine, vh_error_event event, const vh_exception* x) {
  Runtime* rt = engine->rt;
  std::vector<Engine*> clean;
  for (Engine* e : rt->engines)
    if (!e->has_pending) clean.push_back(e);
  ThreadState* ts = ThreadState::current();
  bool frame_threw = ts->frame_threw;
  uint64_t last_failed = ts->last_failed_engine;
  ls->error_handler(vh_engine{engine->handle}, event, x, ls->error_data);
  ts->frame_threw = frame_threw;
  ts->last_failed_engine = last_failed;
  for (Engine* e : clean) {
    // The handler may have disposed another engine of the runtime: only those still there.
    if (!rt->engines.count(e) || !e->has_pending) continue;
    clear_pending(e);
  }
}

// Reports an event through the runtime's handler, or to stderr. A scope is open on engine.
void report(Engine* engine, vh_error_event event, v8::Local<v8::Value> value, v8::Local<v8::Message> message) {
  LoopState* ls = engine->rt->loop->state;
  EngineCall call;
  if (call.enter(vh_engine{engine->handle}, false) != VH_OK) return;
  vh_exception x;
  if (describe_exception(call, value, message, &x) != VH_OK) return;
  if (ls && ls->error_handler) {
    call_error_handler(ls, engine, event, &x);
  } else {
    const char* what = event == VH_ERROR_EVENT_UNHANDLED_REJECTION ? "Unhandled rejection: " : "";
    if (x.resource_name)
      fprintf(stderr, "%s%s\n    at %s:%d:%d\n", what, x.message, x.resource_name, x.line, x.column);
    else
      fprintf(stderr, "%s%s\n", what, x.message);
  }
  vh_exception_free(&x);
}

// An engine of rt to report in: the one of context, else any.
Engine* engine_for(Runtime* rt, v8::MaybeLocal<v8::Context> context) {
  v8::Local<v8::Context> ctx;
  Engine* e = context.ToLocal(&ctx) ? engine_of(ctx) : nullptr;
  if (!e && !rt->engines.empty()) e = *rt->engines.begin();
  return e;
}

void on_promise_reject(v8::PromiseRejectMessage message) {
  v8::Local<v8::Promise> promise = message.GetPromise();
  v8::Isolate* iso = compat::isolate_of(promise);
  Runtime* rt = runtime_of(iso);
  if (!rt || !rt->loop->state) return;
  std::vector<Rejection>& list = rt->loop->state->rejections;
  switch (message.GetEvent()) {
    case v8::kPromiseRejectWithNoHandler:
      list.push_back(Rejection{v8::Global<v8::Promise>(iso, promise), v8::Global<v8::Value>(iso, message.GetValue())});
      break;
    case v8::kPromiseHandlerAddedAfterReject:
      for (size_t i = 0; i < list.size(); ++i) {
        if (list[i].promise == promise) {
          list.erase(list.begin() + static_cast<long>(i));
          break;
        }
      }
      break;
    default:
      break;
  }
}

// An exception nobody caught that V8 reports itself: one thrown by a microtask (a
// queueMicrotask callback; promise reactions reject their promise instead). Reported in the
// engine the microtask belongs to, like an exception escaping a task.
void on_uncaught_message(v8::Local<v8::Message> message, v8::Local<v8::Value> exception) {
  v8::Isolate* iso = v8::Isolate::GetCurrent();
  Runtime* rt = iso ? runtime_of(iso) : nullptr;
  if (!rt) return;
  Engine* e = engine_for(rt, iso->GetEnteredOrMicrotaskContext());
  if (!e) return;
  vh_scope scope;
  if (vh_scope_open(vh_engine{e->handle}, &scope) != VH_OK) return;
  report(e, VH_ERROR_EVENT_UNCAUGHT_EXCEPTION, exception, message);
  close_library_scope(scope);
}

// Reports the rejections still unhandled after the microtasks (the lock is held).
void report_rejections(Runtime* rt) {
  if (!rt->loop->state || rt->loop->state->rejections.empty()) return;
  std::vector<Rejection> list;
  list.swap(rt->loop->state->rejections);
  v8::Isolate* iso = rt->isolate;
  for (Rejection& r : list) {
    v8::HandleScope handles(iso);
    v8::Local<v8::Promise> promise = r.promise.Get(iso);
    Engine* e = engine_for(rt, promise->GetCreationContext());
    if (!e) continue;
    vh_scope scope;
    if (vh_scope_open(vh_engine{e->handle}, &scope) != VH_OK) continue;
    v8::Local<v8::Value> reason = r.reason.Get(iso);
    report(e, VH_ERROR_EVENT_UNHANDLED_REJECTION, reason, v8::Exception::CreateMessage(iso, reason));
    close_library_scope(scope);
  }
}

// Runs one task (the loop's thread; takes the lock through the scope it opens).
void run_task(const Task& task) {
  Engine* e = engine_table().get(task.engine);
  vh_engine engine{task.engine};
  vh_scope scope;
  if (task.waiter && !task.waiter->start()) return task.waiter->release();
  if (!e || vh_scope_open(engine, &scope) != VH_OK) return task.cancel();
  task.fn(engine, VH_OK, task.data);
  after_callback(e);
  close_library_scope(scope);
  if (task.waiter) task.waiter->finish(VH_OK);
}

// Runs the tasks queued now (not those posted while they run: the loop comes back for those).
void drain_tasks(LoopState* ls) {
  std::vector<Task> tasks;
  tasks.swap(ls->batch);
  tasks.clear();
  {
    std::lock_guard<std::mutex> lock(ls->queue->mu);
    tasks.swap(ls->queue->tasks);
  }
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (tasks[i].stop_loop) {
      ls->stopping = true;
      uv_unref(reinterpret_cast<uv_handle_t*>(&ls->handles->async));
      uv_stop(ls->loop);
      // Tasks posted after the stop request go back to the queue: disposal calls them with
      // VH_EDISPOSED, as it does the ones posted later still.
      std::lock_guard<std::mutex> lock(ls->queue->mu);
      ls->queue->tasks.insert(ls->queue->tasks.begin(), tasks.begin() + static_cast<long>(i) + 1, tasks.end());
      return;
    }
    if (ls->resident) ls->residency.settle(ls->rt, true);
    run_task(tasks[i]);
  }
  tasks.clear();
  ls->batch.swap(tasks);  // keep the capacity for the next wake-up
  // A thread waiting for the runtime woke the loop (Wanting, lock.cc): let it go now.
  if (ls->resident) ls->residency.settle(ls->rt, false);
}

void on_wakeup(uv_async_t* handle) {
  LoopState* ls = static_cast<LoopHandles*>(handle->data)->state;
  if (ls) drain_tasks(ls);
}

// After each iteration: a stop of the runtime (a heap limit, vh_runtime_terminate, a deadline;
// a terminate or deadline wakes the loop) ends vh_runtime_run, which returns its status. A
// worker's loop, which only its stop request ends, ends the stop instead and goes on.
void on_stop_check(uv_check_t* handle) {
  LoopState* ls = static_cast<LoopHandles*>(handle->data)->state;
  if (!ls || ls->rt->stop_reason.load(std::memory_order_relaxed) == 0) return;
  // A host running its own loop with uv_run: not a run of ours, which alone a stop ends (each of
  // its callbacks ended its own stop, limits.cc stopped_status).
  if (ls->rt->loop_thread.load(std::memory_order_relaxed) == 0) return;
  if (!ls->keep_alive) {
    uv_stop(ls->loop);
    return;
  }
  RuntimeLock lock(ls->rt);
  if (ThreadState::current()->depth == 0) end_stop(ls->rt);
}

// Runs V8's foreground tasks for the loop's runtime, then the microtasks they queued: on the
// pump timer, and when V8 wakes the loop (a handle whose loop state is gone does nothing).
template <typename Handle>
void pump_handle(Handle* handle) {
  LoopState* ls = static_cast<LoopHandles*>(handle->data)->state;
  if (!ls) return;
  Runtime* rt = ls->rt;
  RuntimeLock lock(rt);
  pump_platform(rt);
  run_microtasks(rt);
}

void on_pump(uv_timer_t* handle) { pump_handle(handle); }

// From any thread (platform.cc): V8 posted a foreground task or ended background work.
void wake_for_platform(void* data) { uv_async_send(static_cast<uv_async_t*>(data)); }

void on_platform_wake(uv_async_t* handle) { pump_handle(handle); }

// How long a run waits for V8 jobs that report work left while no worker runs them.
constexpr uint64_t kIdleJobsWaitMs = 1000;

// When the loop has nothing of its own left (the loop's thread, lock not necessarily held):
// if V8 still has work in flight for the runtime (async WebAssembly compiling on a background
// thread, a foreground task queued), waits in the loop until some of it ends, anything else
// arrives or the pump timer fires, and returns true (the caller goes round again). Otherwise
// false at once. Jobs that only report work left, with no worker running them, are waited for
// kIdleJobsWaitMs at most (from when that state was first seen, across runs).
bool wait_for_platform_work(LoopState* ls) {
  PlatformWork state = ls->platform_work ? isolate_work_state(ls->platform_work.get()) : PlatformWork::kNone;
  if (state != PlatformWork::kIdleJobs) ls->idle_jobs_seen = false;
  if (state == PlatformWork::kNone) return false;
  if (state == PlatformWork::kIdleJobs) {
    uv_update_time(ls->loop);
    uint64_t now = uv_now(ls->loop);
    if (!ls->idle_jobs_seen) {
      ls->idle_jobs_seen = true;
      ls->idle_jobs_since = now;
    } else if (now - ls->idle_jobs_since >= kIdleJobsWaitMs) {
      return false;
    }
  }
  uv_handle_t* wake = reinterpret_cast<uv_handle_t*>(&ls->handles->platform_wake);
  uv_handle_t* pump = reinterpret_cast<uv_handle_t*>(&ls->handles->pump);
  uv_ref(wake);
  uv_ref(pump);  // returns within kPumpIntervalMs at the latest
  // A wake-up sent since the check above is still pending in the handle: this returns then.
  uv_run(ls->loop, UV_RUN_ONCE);
  uv_unref(pump);
  uv_unref(wake);
  return true;
}

// Whether V8's work in flight should count as work left (vh_runtime_run's alive).
bool platform_work_left(LoopState* ls) {
  if (!ls->platform_work) return false;
  PlatformWork state = isolate_work_state(ls->platform_work.get());
  if (state == PlatformWork::kRunning) return true;
  if (state == PlatformWork::kNone) return false;
  uv_update_time(ls->loop);
  return !ls->idle_jobs_seen || uv_now(ls->loop) - ls->idle_jobs_since < kIdleJobsWaitMs;
}

}  // namespace

void run_microtasks(Runtime* rt) {
  // Script runs: a heap limit reached in a reaction stops it (limits.cc).
  ThreadState* ts = ThreadState::current();
  Transition script(kJsField, rt);
  ts->enter<kJsField>(script);
  rt->isolate->PerformMicrotaskCheckpoint();
  ts->leave<kJsField>(script);
  // Stopped, V8 dropped the queue; what the stopped script rejected is not reported.
  if (rt->stop_reason.load(std::memory_order_relaxed) != 0) {
    if (rt->loop->state) rt->loop->state->rejections.clear();
    return;
  }
  report_rejections(rt);
}

namespace {

void wake_queue(void* target) {
  auto* queue = static_cast<TaskQueue*>(target);
  std::lock_guard<std::mutex> lock(queue->mu);
  if (queue->alive) uv_async_send(queue->async);
}

}  // namespace

void wake_loop(Runtime* rt) {
  if (TaskQueue* queue = rt->loop->queue.get()) wake_queue(queue);
}

void after_callback(Engine* engine) {
  Runtime* rt = engine->rt;
  if (engine->has_pending) {
    v8::Isolate* iso = rt->isolate;
    v8::HandleScope handles(iso);
    v8::Local<v8::Message> message;
    v8::Local<v8::Value> exception = pending_exception(engine, iso, &message);
    clear_pending(engine);
    report(engine, VH_ERROR_EVENT_UNCAUGHT_EXCEPTION, exception, message);
  }
  // V8's own platform tasks are left to the pump timer and to each run's start: pumping takes
  // the platform's mutex, a cost per callback that tasks and timers should not pay.
  run_microtasks(rt);
}

uv_loop_t* uv_loop_of(Runtime* rt) { return rt->loop->state ? rt->loop->state->loop : nullptr; }

int create_loop(Runtime* rt, uv_loop_t* host_loop) {
  auto ls = std::make_unique<LoopState>();
  ls->rt = rt;
  if (host_loop) {
    ls->loop = host_loop;
  } else {
    if (uv_loop_init(&ls->own) != 0) return VH_ENOMEM;
    ls->loop = &ls->own;
    ls->owns_loop = true;
  }
  ls->handles = new LoopHandles();
  ls->handles->state = ls.get();
  ls->handles->async.data = ls->handles;
  ls->handles->pump.data = ls->handles;
  ls->queue = std::make_shared<TaskQueue>();
  ls->handles->platform_wake.data = ls->handles;
  uv_async_init(ls->loop, &ls->handles->async, on_wakeup);
  uv_timer_init(ls->loop, &ls->handles->pump);
  uv_check_init(ls->loop, &ls->handles->stop_check);
  ls->handles->stop_check.data = ls->handles;
  uv_async_init(ls->loop, &ls->handles->platform_wake, on_platform_wake);
  ls->handles->open = 4;
  uv_unref(reinterpret_cast<uv_handle_t*>(&ls->handles->platform_wake));
  ls->platform_work = track_isolate_work(rt->isolate, wake_for_platform, &ls->handles->platform_wake);
  // Neither keeps a run alive by itself: a run ends when no task, timer or work is pending.
  uv_unref(reinterpret_cast<uv_handle_t*>(&ls->handles->async));
  uv_timer_start(&ls->handles->pump, on_pump, kPumpIntervalMs, kPumpIntervalMs);
  uv_unref(reinterpret_cast<uv_handle_t*>(&ls->handles->pump));
  uv_check_start(&ls->handles->stop_check, on_stop_check);
  uv_unref(reinterpret_cast<uv_handle_t*>(&ls->handles->stop_check));
  ls->queue->async = &ls->handles->async;
  rt->loop->queue = ls->queue;
  // A thread that must wait for the runtime wakes a loop that keeps it (Residency).
  rt->link->wake_lender = wake_queue;
  rt->link->wake_target = ls->queue;
  rt->isolate->SetPromiseRejectCallback(on_promise_reject);
  rt->isolate->AddMessageListenerWithErrorLevel(on_uncaught_message, v8::Isolate::kMessageError);
  rt->loop->state = ls.release();
  return VH_OK;
}

int check_loop_idle(Runtime* rt) {
  // Also from the running thread itself (a callback of the loop): the loop's state is in use.
  return rt->loop_thread.load(std::memory_order_relaxed) != 0 ? VH_EBUSY : VH_OK;
}

bool loop_is_mine(Runtime* rt) {
  if (!rt->loop->state) return false;
  uint32_t running = rt->loop_thread.load(std::memory_order_relaxed);
  return running == 0 || running == ThreadState::current()->ordinal;
}

void destroy_loop(Runtime* rt) {
  LoopState* ls = rt->loop->state;
  if (!ls) return;
  // The listener reports to this loop; it lives in the heap, which a snapshot builder saves.
  rt->isolate->RemoveMessageListeners(on_uncaught_message);
  std::vector<Task> left;
  {
    std::lock_guard<std::mutex> lock(ls->queue->mu);
    ls->queue->alive = false;
    ls->queue->async = nullptr;
    left.swap(ls->queue->tasks);
  }
  for (const Task& task : left) {
    if (!task.stop_loop) task.cancel();
  }
  ls->rejections.clear();
  // No wake-up may be sent to the handle once it is closing.
  untrack_isolate_work(ls->platform_work);
  ls->handles->state = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&ls->handles->async), on_handle_closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&ls->handles->pump), on_handle_closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&ls->handles->stop_check), on_handle_closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&ls->handles->platform_wake), on_handle_closed);
  if (ls->owns_loop) {
    // Let the closes (and any work still finishing on the thread pool) complete.
    while (uv_loop_close(ls->loop) == UV_EBUSY) uv_run(ls->loop, UV_RUN_ONCE);
  }
  rt->loop->state = nullptr;
  delete ls;
}

void drive_until_settled(Runtime* rt, v8::Local<v8::Promise> promise) {
  LoopState* ls = rt->loop->state;
  auto stopped = [rt] { return rt->stop_reason.load(std::memory_order_relaxed) != 0; };
  for (int idle_rounds = 0; promise->State() == v8::Promise::kPending && idle_rounds < 2 && !stopped();) {
    pump_platform(rt);
    run_microtasks(rt);
    if (promise->State() != v8::Promise::kPending || stopped()) break;
    // Something else must settle it: the loop's timers, tasks or async work, if it runs here.
    bool alive = false;
    if (ls && ls->rt->loop_thread.load(std::memory_order_relaxed) == 0) {
      ThreadState* ts = ThreadState::current();
      Transition run(kLoopField, ls->rt);
      if (ts->enter<kLoopField>(run)) {
        drain_tasks(ls);
        ls->queue->runner.store(ts->ordinal, std::memory_order_release);
        alive = uv_run(ls->loop, UV_RUN_ONCE) != 0;
        // V8's own work in flight (async WebAssembly) may settle it too.
        if (!alive) alive = wait_for_platform_work(ls);
        ls->queue->runner.store(0, std::memory_order_release);
        ts->leave<kLoopField>(run);
      }
    }
    idle_rounds = alive ? 0 : idle_rounds + 1;
  }
}

// ---- posting -----------------------------------------------------------------------------------

namespace {

int post(vh_engine engine, const Task& task) {
  std::shared_ptr<TaskQueue> queue;
  if (engine.id_ == 0) return VH_EINVAL;
  if (!engine_table().with(engine.id_, [&](Engine* e) {
        if (e->rt->loop->state) queue = e->rt->loop->state->queue;
      }) ||
      !queue)
    return VH_EDISPOSED;
  std::lock_guard<std::mutex> lock(queue->mu);
  if (!queue->alive) return VH_EDISPOSED;
  queue->tasks.push_back(task);
  ++queue->posted;
  uv_async_send(queue->async);
  return VH_OK;
}

}  // namespace

int post_stop(Runtime* rt) {
  std::lock_guard<std::mutex> lock(rt->loop->state->queue->mu);
  if (!rt->loop->state->queue->alive) return VH_EDISPOSED;
  rt->loop->state->queue->tasks.push_back(Task{nullptr, nullptr, 0, nullptr, true});
  uv_async_send(rt->loop->state->queue->async);
  return VH_OK;
}

void keep_loop_alive(Runtime* rt) {
  rt->loop->state->keep_alive = true;
  uv_ref(reinterpret_cast<uv_handle_t*>(&rt->loop->state->handles->async));
}

bool claim_loop(Runtime* rt) {
  ThreadState* ts = ThreadState::current();
  Transition run(kLoopField, rt);
  if (!ts->enter<kLoopField>(run)) return false;
  rt->loop->state->queue->runner.store(ts->ordinal, std::memory_order_release);
  return true;
}

int run_loop(Runtime* rt, uv_run_mode mode, bool* alive) {
  if (!claim_loop(rt)) return VH_EBUSY;
  return run_claimed_loop(rt, mode, alive);
}

namespace {

// What V8 keeps per thread for an isolate (its stack guard, handle-scope blocks, ...) is set up
// by a thread's outermost Locker and freed again when that Locker goes: about half of what a
// posted task used to cost its loop's thread, once per wake-up. While a thread runs a loop it
// therefore stays resident: it takes an outermost Locker once and at once gives the lock up
// again through an Unlocker, which V8 archives lazily. Each task's own lock is then an inner
// Locker, whose restore is nearly free as long as no other thread used the runtime meanwhile
// (if one did, V8 archives this thread's state properly then, at that thread's cost). This
// alone does not hold the runtime between tasks; a worker's loop also does that (Residency,
// above), and falls back on this while it has lent the runtime.
// V8's lock is only ever taken under the runtime's mutex (lock.h), here too.
class LoopResidency {
 public:
  explicit LoopResidency(Runtime* rt) : rt_(rt) {
    // A thread that holds the runtime already (a run from inside a callback) is resident.
    ThreadState* ts = ThreadState::current();
    if (rt->lock_owner.load(std::memory_order_relaxed) == ts->ordinal) return;
    lock_mutex(rt, ts);
    std::lock_guard<RuntimeMutex> lock(rt->link->mu, std::adopt_lock);
    outer_.emplace(rt->isolate);
    idle_.emplace(rt->isolate);
  }
  ~LoopResidency() {
    if (!outer_) return;
    lock_mutex(rt_, ThreadState::current());
    std::lock_guard<RuntimeMutex> lock(rt_->link->mu, std::adopt_lock);
    idle_.reset();   // takes V8's lock back (restoring this thread's state)
    outer_.reset();  // and frees what V8 kept for this thread
  }
  LoopResidency(const LoopResidency&) = delete;
  LoopResidency& operator=(const LoopResidency&) = delete;

 private:
  // The runtime's mutex alone (V8's lock is taken under it), waiting as lock_runtime does.
  static void lock_mutex(Runtime* rt, ThreadState* ts) {
    if (!rt->link->mu.try_lock()) wait_for_lock(rt->link, ts, false);
  }

  Runtime* rt_;
  std::optional<v8::Locker> outer_;
  std::optional<v8::Unlocker> idle_;
};

}  // namespace

int run_claimed_loop(Runtime* rt, uv_run_mode mode, bool* alive) {
  LoopState* ls = rt->loop->state;
  LoopResidency resident(rt);
  // A worker's loop (its thread runs nothing but the library's callbacks) keeps the runtime
  // between tasks; not from inside a callback that holds it already.
  ls->resident = ls->keep_alive && rt->lock_owner.load(std::memory_order_relaxed) != ThreadState::current()->ordinal;
  bool more = false;
  // A stop of the runtime while the run goes on stays in force until the run returns (the run is
  // the outermost level, limits.cc stopped_status): what the run started is stopped, and the
  // run ends with the stop's status (a worker's run ends the stop and goes on, on_stop_check).
  auto stopped = [&] { return !ls->keep_alive && rt->stop_reason.load(std::memory_order_relaxed) != 0; };
  for (;;) {
    {
      RuntimeLock lock(rt);
      pump_platform(rt);
      run_microtasks(rt);
    }
    if (stopped()) {
      more = uv_loop_alive(ls->loop) != 0;
      break;
    }
    drain_tasks(ls);
    if (stopped()) {
      more = uv_loop_alive(ls->loop) != 0;
      break;
    }
    more = uv_run(ls->loop, mode) != 0;
    if (mode != UV_RUN_DEFAULT || ls->stopping || stopped()) break;
    {
      std::lock_guard<std::mutex> lock(ls->queue->mu);
      if (!ls->queue->tasks.empty()) continue;  // tasks posted just as the run ended: go round again
    }
    // Nothing of the loop's own is left; V8 may still be working for the runtime (async
    // WebAssembly completes with a foreground task): the run lasts until that has ended too.
    if (!wait_for_platform_work(ls)) break;
  }
  ls->residency.lend(rt);
  ls->resident = false;
  {
    std::lock_guard<std::mutex> lock(ls->queue->mu);
    more = more || !ls->queue->tasks.empty();
  }
  ls->queue->runner.store(0, std::memory_order_release);
  if (!more && !ls->stopping) more = platform_work_left(ls);
  Transition run(kLoopField, rt);  // claim_loop's: the run is over
  ThreadState::current()->leave<kLoopField>(run);
  int status = VH_OK;
  if (stopped()) {
    RuntimeLock lock(rt);
    status = stopped_status(rt, ThreadState::current());
  }
  if (alive) *alive = more;
  return status;
}

}  // namespace vh

using namespace vh;

extern "C" {

int vh_runtime_run(vh_runtime runtime, vh_run_mode mode, bool* alive) {
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  uv_run_mode m;
  switch (mode) {
    case VH_RUN_MODE_DEFAULT: m = UV_RUN_DEFAULT; break;
    case VH_RUN_MODE_ONCE: m = UV_RUN_ONCE; break;
    case VH_RUN_MODE_NOWAIT: m = UV_RUN_NOWAIT; break;
    default: return VH_EINVAL;
  }
  return run_loop(rt, m, alive);
}

int vh_runtime_loop(vh_runtime runtime, struct uv_loop_s** out) {
  if (!out) return VH_EINVAL;
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  *out = uv_loop_of(rt);
  return VH_OK;
}

int vh_engine_post(vh_engine engine, vh_task_cb task, void* data) {
  if (!task) return VH_EINVAL;
  return post(engine, Task{task, data, engine.id_, nullptr, false});
}

int vh_engine_post_and_wait(vh_engine engine, vh_task_cb task, void* data) {
  if (!task || engine.id_ == 0) return VH_EINVAL;
  Engine* e = engine_table().get(engine.id_);
  ThreadState* ts = ThreadState::peek();
  if (e && ts && e->rt->lock_owner.load(std::memory_order_relaxed) == ts->ordinal) {
    // This thread holds the runtime: the loop cannot run the task while we wait; run it here.
    vh_scope scope;
    VH_TRY(vh_scope_open(engine, &scope));
    task(engine, VH_OK, data);
    close_library_scope(scope);
    return VH_OK;
  }
  // The loop's queue, kept for the wait: the thread running the loop is what this waits for.
  std::shared_ptr<TaskQueue> queue;
  engine_table().with(engine.id_, [&](Engine* found) {
    if (found->rt->loop->state) queue = found->rt->loop->state->queue;
  });
  if (!queue) return VH_EDISPOSED;
  ThreadState* me = ThreadState::current();
  // The loop is run by this very thread (a callback of the host's own handle on it): it cannot
  // run the task while this waits.
  if (queue->runner.load(std::memory_order_acquire) == me->ordinal) return VH_EDEADLK;
  auto* waiter = new Waiter();  // shared with the task: a wait given up leaves it to the task
  waiter->refs = 2;
  int rc = post(engine, Task{task, data, engine.id_, waiter, false});
  if (rc != VH_OK) {
    delete waiter;
    return rc;
  }
  WaitEdge edge(me->ordinal, WaitTarget(queue, &queue->runner));
  std::unique_lock<std::mutex> lock(waiter->mu);
  // On a cycle the loop's thread waits, directly or through others, for something this thread
  // holds: the task could never run while this waits. Unless it began already (then its own
  // waits end it), it is called off: the loop drops it without calling it.
  if (!wait_unless_deadlocked(edge, waiter->cv, lock, [&] { return waiter->done; },
                              [&] { return !waiter->started && !waiter->done; })) {
    waiter->cancelled = true;
    lock.unlock();
    waiter->release();
    return VH_EDEADLK;
  }
  int status = waiter->status;
  lock.unlock();
  waiter->release();
  return status;
}

int vh_runtime_loop_stats(vh_runtime runtime, vh_loop_stats* out) {
  if (!out) return VH_EINVAL;
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  RuntimeLock lock(rt);
  vh_loop_stats stats{};
  {
    std::lock_guard<std::mutex> queue_lock(rt->loop->state->queue->mu);
    stats.tasks_posted = rt->loop->state->queue->posted;
  }
  *out = stats;
  return VH_OK;
}

int vh_runtime_set_error_handler(vh_runtime runtime, vh_error_handler_cb handler, void* data) {
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  RuntimeLock lock(rt);
  rt->loop->state->error_handler = handler;
  rt->loop->state->error_data = data;
  return VH_OK;
}

}  // extern "C"
