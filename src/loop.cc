// The event loop (see include/v8host/loop.h): a runtime's libuv loop, tasks posted from any
// thread, V8's platform tasks, microtasks after every callback, and the reporting of uncaught
// exceptions and unhandled rejections.
#include "internal/loop.h"

#include <libplatform/libplatform.h>
#include <uv.h>

#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>

#include "internal/call.h"
#include "v8host.h"

namespace vh {

// A poster waiting in vh_post_and_wait.
struct Waiter {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  int status = VH_OK;
  void finish(int s) {
    std::lock_guard<std::mutex> lock(mu);
    status = s;
    done = true;
    cv.notify_all();
  }
};

struct Task {
  vh_task fn;
  void* data;
  uint64_t engine;
  Waiter* waiter;   // nullptr for vh_post
  bool stop_loop;   // a worker's stop request (fn is nullptr)

  // Its engine or runtime is gone: called once with VH_EDISPOSED, so its data can be freed.
  void cancel() const {
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
  uv_async_t* async = nullptr;  // valid while alive
};

struct LoopState;

// libuv handles live in their own block: their close callbacks may run after the runtime is
// gone (on a host's loop).
struct LoopHandles {
  uv_async_t async;
  uv_timer_t pump;
  int open = 0;
  LoopState* state = nullptr;  // cleared at disposal: a late callback is a no-op
};

struct Rejection {
  v8::Global<v8::Promise> promise;
  v8::Global<v8::Value> reason;
};

struct LoopHandles;

struct LoopState {
  Runtime* rt = nullptr;
  uv_loop_t own;
  uv_loop_t* loop = nullptr;
  bool owns_loop = false;
  LoopHandles* handles = nullptr;
  std::shared_ptr<TaskQueue> queue;
  std::atomic<uint32_t> running{0};  // ordinal of the thread inside uv_run, 0 when none
  bool keep_alive = false;           // a worker's loop waits for tasks while idle
  bool stopping = false;
  vh_error_handler error_handler = nullptr;
  void* error_data = nullptr;
  std::vector<Rejection> rejections;
  std::vector<Task> batch;  // the tasks being run; swapped with the queue, keeping both capacities
};

v8::Platform* platform();

namespace {

constexpr uint64_t kPumpIntervalMs = 50;  // V8's delayed tasks run at most this late

void on_handle_closed(uv_handle_t* handle) {
  auto* h = static_cast<LoopHandles*>(handle->data);
  if (--h->open == 0) delete h;
}

// Runs V8's tasks for the isolate that are due (the lock is held).
void pump_platform(Runtime* rt) {
  while (v8::platform::PumpMessageLoop(platform(), rt->isolate, v8::platform::MessageLoopBehavior::kDoNotWait)) {
  }
}

// Reports an event through the runtime's handler, or to stderr. A scope is open on engine.
void report(Engine* engine, vh_error_event event, v8::Local<v8::Value> value, v8::Local<v8::Message> message) {
  LoopState* ls = engine->rt->loop;
  EngineCall call;
  if (call.enter(vh_engine{engine->handle}, false) != VH_OK) return;
  vh_exception x;
  if (describe_exception(call, value, message, &x) != VH_OK) return;
  if (ls && ls->error_handler) {
    ls->error_handler(vh_engine{engine->handle}, event, &x, ls->error_data);
  } else {
    const char* what = event == VH_EVENT_UNHANDLED_REJECTION ? "Unhandled rejection: " : "";
    if (x.resource_name)
      fprintf(stderr, "%s%s\n    at %s:%d:%d\n", what, x.message, x.resource_name, x.line, x.column);
    else
      fprintf(stderr, "%s%s\n", what, x.message);
  }
  vh_exception_clear(&x);
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
  v8::Isolate* iso = promise->GetIsolate();
  Runtime* rt = runtime_of(iso);
  if (!rt || !rt->loop) return;
  std::vector<Rejection>& list = rt->loop->rejections;
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
  report(e, VH_EVENT_UNCAUGHT_EXCEPTION, exception, message);
  close_library_scope(scope);
}

// Reports the rejections still unhandled after the microtasks (the lock is held).
void report_rejections(Runtime* rt) {
  if (!rt->loop || rt->loop->rejections.empty()) return;
  std::vector<Rejection> list;
  list.swap(rt->loop->rejections);
  v8::Isolate* iso = rt->isolate;
  for (Rejection& r : list) {
    v8::HandleScope handles(iso);
    v8::Local<v8::Promise> promise = r.promise.Get(iso);
    Engine* e = engine_for(rt, promise->GetCreationContext());
    if (!e) continue;
    vh_scope scope;
    if (vh_scope_open(vh_engine{e->handle}, &scope) != VH_OK) continue;
    v8::Local<v8::Value> reason = r.reason.Get(iso);
    report(e, VH_EVENT_UNHANDLED_REJECTION, reason, v8::Exception::CreateMessage(iso, reason));
    close_library_scope(scope);
  }
}

// Runs one task (the loop's thread; takes the lock through the scope it opens).
void run_task(const Task& task) {
  Engine* e = engine_table().get(task.engine);
  vh_engine engine{task.engine};
  vh_scope scope;
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
    run_task(tasks[i]);
  }
  tasks.clear();
  ls->batch.swap(tasks);  // keep the capacity for the next wake-up
}

void on_wakeup(uv_async_t* handle) {
  LoopState* ls = static_cast<LoopHandles*>(handle->data)->state;
  if (ls) drain_tasks(ls);
}

void on_pump(uv_timer_t* handle) {
  LoopState* ls = static_cast<LoopHandles*>(handle->data)->state;
  if (!ls) return;
  Runtime* rt = ls->rt;
  RuntimeLock lock(rt);
  pump_platform(rt);
  run_microtasks(rt);
}

}  // namespace

void run_microtasks(Runtime* rt) {
  rt->isolate->PerformMicrotaskCheckpoint();
  report_rejections(rt);
}

void after_callback(Engine* engine) {
  Runtime* rt = engine->rt;
  if (engine->has_pending) {
    v8::Isolate* iso = rt->isolate;
    v8::HandleScope handles(iso);
    v8::Local<v8::Value> exception = engine->pending_exception.Get(iso);
    v8::Local<v8::Message> message;
    if (!engine->pending_message.IsEmpty()) message = engine->pending_message.Get(iso);
    engine->pending_exception.Reset();
    engine->pending_message.Reset();
    engine->has_pending = false;
    report(engine, VH_EVENT_UNCAUGHT_EXCEPTION, exception, message);
  }
  // V8's own platform tasks are left to the pump timer and to each run's start: pumping takes
  // the platform's mutex, a cost per callback that tasks and timers should not pay.
  run_microtasks(rt);
}

uv_loop_t* uv_loop_of(Runtime* rt) { return rt->loop ? rt->loop->loop : nullptr; }

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
  uv_async_init(ls->loop, &ls->handles->async, on_wakeup);
  uv_timer_init(ls->loop, &ls->handles->pump);
  ls->handles->open = 2;
  // Neither keeps a run alive by itself: a run ends when no task, timer or work is pending.
  uv_unref(reinterpret_cast<uv_handle_t*>(&ls->handles->async));
  uv_timer_start(&ls->handles->pump, on_pump, kPumpIntervalMs, kPumpIntervalMs);
  uv_unref(reinterpret_cast<uv_handle_t*>(&ls->handles->pump));
  ls->queue->async = &ls->handles->async;
  rt->isolate->SetPromiseRejectCallback(on_promise_reject);
  rt->isolate->AddMessageListenerWithErrorLevel(on_uncaught_message, v8::Isolate::kMessageError);
  rt->loop = ls.release();
  return VH_OK;
}

int check_loop_idle(Runtime* rt) {
  // Also from the running thread itself (a callback of the loop): the loop's state is in use.
  return rt->loop && rt->loop->running.load(std::memory_order_relaxed) != 0 ? VH_EBUSY : VH_OK;
}

void destroy_loop(Runtime* rt) {
  LoopState* ls = rt->loop;
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
  ls->handles->state = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&ls->handles->async), on_handle_closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&ls->handles->pump), on_handle_closed);
  if (ls->owns_loop) {
    // Let the closes (and any work still finishing on the thread pool) complete.
    while (uv_loop_close(ls->loop) == UV_EBUSY) uv_run(ls->loop, UV_RUN_ONCE);
  }
  rt->loop = nullptr;
  delete ls;
}

void drive_until_settled(Runtime* rt, v8::Local<v8::Promise> promise) {
  LoopState* ls = rt->loop;
  for (int idle_rounds = 0; promise->State() == v8::Promise::kPending && idle_rounds < 2;) {
    pump_platform(rt);
    run_microtasks(rt);
    if (promise->State() != v8::Promise::kPending) break;
    // Something else must settle it: the loop's timers, tasks or async work, if it runs here.
    bool alive = false;
    if (ls && ls->running.load(std::memory_order_relaxed) == 0) {
      uint32_t me = ThreadState::current()->ordinal;
      uint32_t expected = 0;
      if (ls->running.compare_exchange_strong(expected, me)) {
        drain_tasks(ls);
        alive = uv_run(ls->loop, UV_RUN_ONCE) != 0;
        ls->running.store(0, std::memory_order_relaxed);
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
        if (e->rt->loop) queue = e->rt->loop->queue;
      }) ||
      !queue)
    return VH_EDISPOSED;
  std::lock_guard<std::mutex> lock(queue->mu);
  if (!queue->alive) return VH_EDISPOSED;
  queue->tasks.push_back(task);
  uv_async_send(queue->async);
  return VH_OK;
}

}  // namespace

int post_stop(Runtime* rt) {
  std::lock_guard<std::mutex> lock(rt->loop->queue->mu);
  if (!rt->loop->queue->alive) return VH_EDISPOSED;
  rt->loop->queue->tasks.push_back(Task{nullptr, nullptr, 0, nullptr, true});
  uv_async_send(rt->loop->queue->async);
  return VH_OK;
}

void keep_loop_alive(Runtime* rt) {
  rt->loop->keep_alive = true;
  uv_ref(reinterpret_cast<uv_handle_t*>(&rt->loop->handles->async));
}

bool claim_loop(Runtime* rt) {
  uint32_t expected = 0;
  return rt->loop->running.compare_exchange_strong(expected, ThreadState::current()->ordinal);
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
// (if one did, V8 archives this thread's state properly then, at that thread's cost). The
// runtime is never held between tasks: other threads take it exactly as before.
// V8's lock is only ever taken under the runtime's mutex (lock.h), here too.
class LoopResidency {
 public:
  explicit LoopResidency(Runtime* rt) : rt_(rt) {
    // A thread that holds the runtime already (a run from inside a callback) is resident.
    if (rt->lock_owner.load(std::memory_order_relaxed) == ThreadState::current()->ordinal) return;
    std::lock_guard<std::timed_mutex> lock(rt->link->mu);
    outer_.emplace(rt->isolate);
    idle_.emplace(rt->isolate);
  }
  ~LoopResidency() {
    if (!outer_) return;
    std::lock_guard<std::timed_mutex> lock(rt_->link->mu);
    idle_.reset();   // takes V8's lock back (restoring this thread's state)
    outer_.reset();  // and frees what V8 kept for this thread
  }
  LoopResidency(const LoopResidency&) = delete;
  LoopResidency& operator=(const LoopResidency&) = delete;

 private:
  Runtime* rt_;
  std::optional<v8::Locker> outer_;
  std::optional<v8::Unlocker> idle_;
};

}  // namespace

int run_claimed_loop(Runtime* rt, uv_run_mode mode, bool* alive) {
  LoopState* ls = rt->loop;
  LoopResidency resident(rt);
  bool more;
  for (;;) {
    {
      RuntimeLock lock(rt);
      pump_platform(rt);
      run_microtasks(rt);
    }
    drain_tasks(ls);
    more = uv_run(ls->loop, mode) != 0;
    if (mode != UV_RUN_DEFAULT || ls->stopping) break;
    std::lock_guard<std::mutex> lock(ls->queue->mu);
    if (ls->queue->tasks.empty()) break;  // tasks posted just as the run ended: go round again
  }
  {
    std::lock_guard<std::mutex> lock(ls->queue->mu);
    more = more || !ls->queue->tasks.empty();
  }
  ls->running.store(0, std::memory_order_relaxed);
  if (alive) *alive = more;
  return VH_OK;
}

}  // namespace vh

using namespace vh;

extern "C" {

int vh_runtime_run(vh_runtime runtime, vh_run_mode mode, bool* alive) {
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  uv_run_mode m;
  switch (mode) {
    case VH_RUN_DEFAULT: m = UV_RUN_DEFAULT; break;
    case VH_RUN_ONCE: m = UV_RUN_ONCE; break;
    case VH_RUN_NOWAIT: m = UV_RUN_NOWAIT; break;
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

int vh_post(vh_engine engine, vh_task task, void* data) {
  if (!task) return VH_EINVAL;
  return post(engine, Task{task, data, engine.id_, nullptr, false});
}

int vh_post_and_wait(vh_engine engine, vh_task task, void* data) {
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
  Waiter waiter;
  VH_TRY(post(engine, Task{task, data, engine.id_, &waiter, false}));
  std::unique_lock<std::mutex> lock(waiter.mu);
  waiter.cv.wait(lock, [&] { return waiter.done; });
  return waiter.status;
}

int vh_runtime_set_error_handler(vh_runtime runtime, vh_error_handler handler, void* data) {
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  RuntimeLock lock(rt);
  rt->loop->error_handler = handler;
  rt->loop->error_data = data;
  return VH_OK;
}

}  // extern "C"
