// Workers: a runtime on a thread of its own, running its loop until stopped.
#include <uv.h>

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>

#include "core/call.h"
#include "loop/loop.h"
#include "core/versioned.h"
#include "core/waits.h"
#include "v8host.h"

namespace vh {

struct Worker {
  uint64_t handle = 0;
  uv_thread_t thread;
  uv_sem_t started;
  vh_runtime_options options{};
  bool has_options = false;
  vh_worker_init_cb init = nullptr;
  void* data = nullptr;
  vh_runtime runtime{};
  vh_engine engine{};
  int status = VH_OK;       // of start-up: runtime, engine, init
  uint32_t thread_ordinal = 0;
  // The end of the thread, for vh_worker_stop. A stop that finds it can never come (VH_EDEADLK)
  // orphans the worker: its thread then detaches itself and frees the Worker as it ends.
  std::mutex end_mu;
  std::condition_variable end_cv;
  bool ended = false;
  bool orphaned = false;
};

HandleTable<Worker> g_worker_table;

namespace {

void worker_main(void* arg) {
  auto* w = static_cast<Worker*>(arg);
  w->thread_ordinal = ThreadState::current()->ordinal;
  int rc = vh_runtime_new(w->has_options ? &w->options : nullptr, &w->runtime);
  if (rc == VH_OK) rc = vh_engine_new(w->runtime, nullptr, &w->engine);
  if (rc == VH_OK && w->init) {
    vh_scope scope;
    rc = vh_scope_open(w->engine, &scope);
    if (rc == VH_OK) {
      rc = w->init(w->engine, w->data);
      Engine* e = engine_table().get(w->engine.id_);
      // A failed init's code is the answer: an exception it left is not reported as well.
      if (e && rc == VH_OK) after_callback(e);
      if (rc != VH_OK) vh_exception_discard(w->engine);
      close_library_scope(scope);
    }
  }
  if (rc == VH_OK) {
    Runtime* rt = runtime_table().get(w->runtime.id_);
    keep_loop_alive(rt);
    claim_loop(rt);  // before start-up returns: nobody else can run or dispose it meanwhile
    w->status = VH_OK;
    uv_sem_post(&w->started);
    run_claimed_loop(rt, UV_RUN_DEFAULT, nullptr);  // until the stop request
    vh_runtime_dispose(w->runtime);
    std::unique_lock<std::mutex> lock(w->end_mu);
    if (w->orphaned) {
      lock.unlock();
      pthread_detach(w->thread);  // uv_thread_t is a pthread_t on the platforms libuv's threads use
      delete w;
      return;
    }
    w->ended = true;
    w->end_cv.notify_all();
    return;
  }
  if (w->runtime.id_) vh_runtime_dispose(w->runtime);
  w->status = rc;
  uv_sem_post(&w->started);
}

}  // namespace
}  // namespace vh

using namespace vh;

extern "C" {

int vh_worker_start(const vh_runtime_options* options, vh_worker_init_cb init, void* data, vh_worker* out,
                    vh_engine* engine) {
  if (!out) return VH_EINVAL;
  auto w = std::make_unique<Worker>();
  if (options) {
    // The same version rule as vh_runtime_new (older: defaults; newer: unknown tail zero).
    w->options.struct_size = sizeof w->options;
    VH_TRY(copy_versioned(options, sizeof(vh_runtime_options), &w->options));
    w->has_options = true;
  }
  w->init = init;
  w->data = data;
  if (uv_sem_init(&w->started, 0) != 0) return VH_ENOMEM;
  if (uv_thread_create(&w->thread, worker_main, w.get()) != 0) {
    uv_sem_destroy(&w->started);
    return VH_ENOMEM;
  }
  uv_sem_wait(&w->started);
  uv_sem_destroy(&w->started);
  if (w->status != VH_OK) {
    uv_thread_join(&w->thread);
    return w->status;
  }
  w->handle = g_worker_table.add(w.get());
  if (w->handle == 0) return VH_ENOMEM;  // (the thread keeps running; practically unreachable)
  out->id_ = w->handle;
  if (engine) *engine = w->engine;
  w.release();
  return VH_OK;
}

int vh_worker_stop(vh_worker worker) {
  if (worker.id_ == 0) return VH_EINVAL;
  // Looked up and removed in one step: of two threads stopping it at once, one gets it.
  Worker* w = nullptr;
  ThreadState* ts = ThreadState::current();
  bool busy = false;
  bool taken = g_worker_table.take(worker.id_, [&](Worker* found) {
    // Its own thread, or a thread that holds its runtime (a scope open on it): the worker could
    // not finish its tasks and be disposed while this thread waits.
    Runtime* rt = runtime_table().get(found->runtime.id_);
    busy = ts->ordinal == found->thread_ordinal ||
           (rt && rt->lock_owner.load(std::memory_order_relaxed) == ts->ordinal);
    if (!busy) w = found;
    return !busy;
  });
  if (busy) return VH_EBUSY;
  if (!taken) return VH_EDISPOSED;
  Runtime* rt = runtime_table().get(w->runtime.id_);
  if (rt) post_stop(rt);
  // Waits for the thread to end; detects a worker that waits (its task, directly or through
  // other threads) for something this thread holds: another worker stopping this one, say.
  WaitEdge edge(ts->ordinal, fixed_wait_target(w->thread_ordinal));
  std::unique_lock<std::mutex> lock(w->end_mu);
  if (!wait_unless_deadlocked(edge, w->end_cv, lock, [&] { return w->ended; }, [&] { return !w->ended; })) {
    // The stop request stays queued: the worker stops once its loop gets to it.
    w->orphaned = true;
    return VH_EDEADLK;
  }
  lock.unlock();
  uv_thread_join(&w->thread);
  delete w;
  return VH_OK;
}

}  // extern "C"
