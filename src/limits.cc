// Resource limits: the heap limit that stops a script instead of aborting the process,
// termination and interrupts from any thread, deadlines (one watchdog thread for the process),
// stack limits for threads with small stacks, and heap statistics.
#include "internal/limits.h"

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <algorithm>
#include <thread>

#include "internal/call.h"
#include "v8host.h"

namespace vh {
namespace {

constexpr size_t kMinHeapBytes = 8u << 20;
constexpr size_t kHeapHeadroom = 16u << 20;  // room past the limit for the stopped script to unwind

// V8 is about to run out of heap: stop the script (V8 would abort the process otherwise) and
// give it room to unwind. V8 restores the initial limit once the heap is below half of it.
size_t near_heap_limit(void* data, size_t current_limit, size_t initial_limit) {
  auto* rt = static_cast<Runtime*>(data);
  ThreadState* ts = ThreadState::peek();
  if (rt->js_calls == 0 && (!ts || ts->depth == 0)) {
    // The host itself is allocating (a large string, say): no script to stop, and stopping
    // would hit the next, innocent one. Room enough for the allocation instead; the limit
    // comes back once the heap shrinks, and the next script that allocates is stopped then.
    return current_limit * 2 + (256u << 20);
  }
  if (size_t raised = host_heap_limit(rt, current_limit, initial_limit)) return raised;
  int expected = 0;
  rt->stop_reason.compare_exchange_strong(expected, VH_EHEAPLIMIT);
  rt->isolate->TerminateExecution();
  size_t extra = current_limit / 2 > kHeapHeadroom ? current_limit / 2 : kHeapHeadroom;
  return current_limit + extra;
}

// ---- the deadline watchdog ----------------------------------------------------------------------

struct Watchdog {
  std::mutex mu;
  std::condition_variable cv;
  // deadline -> (runtime handle, the runtime's deadline generation when it was set)
  std::multimap<std::chrono::steady_clock::time_point, std::pair<uint64_t, uint64_t>> deadlines;
  bool started = false;
};

// Never destroyed: its thread may still wait on it while the process exits.
Watchdog& watchdog() {
  static Watchdog* w = new Watchdog();
  return *w;
}

void watchdog_main() {
  Watchdog& w = watchdog();
  std::unique_lock<std::mutex> lock(w.mu);
  for (;;) {
    if (w.deadlines.empty()) {
      w.cv.wait(lock);
      continue;
    }
    auto first = w.deadlines.begin();
    if (std::chrono::steady_clock::now() < first->first) {
      w.cv.wait_until(lock, first->first);
      continue;
    }
    std::pair<uint64_t, uint64_t> entry = first->second;
    w.deadlines.erase(first);
    // Within the table's lock the runtime cannot be freed under us.
    runtime_table().with(entry.first, [&](Runtime* rt) {
      if (rt->deadline_generation.load(std::memory_order_relaxed) != entry.second) return;  // cleared
      int expected = 0;
      rt->stop_reason.compare_exchange_strong(expected, VH_ETIMEDOUT);
      rt->isolate->TerminateExecution();
    });
  }
}

// V8 may deliver a request twice (it is re-requested after a lock is taken, in case the first was
// lost): the pending list decides; a request no longer in it has run and been freed.
void run_interrupt(v8::Isolate* iso, void* data) {
  auto* request = static_cast<Interrupt*>(data);
  Runtime* rt = runtime_of(iso);
  {
    std::lock_guard<std::mutex> lock(rt->interrupts_mu);
    auto it = std::find(rt->interrupts.begin(), rt->interrupts.end(), request);
    if (it == rt->interrupts.end()) return;
    rt->interrupts.erase(it);
    rt->has_interrupts.store(!rt->interrupts.empty(), std::memory_order_release);
  }
  request->fn(vh_runtime{request->runtime}, request->data);
  delete request;
}

}  // namespace

void reissue_requests(Runtime* rt) {
  if (rt->stop_reason.load(std::memory_order_relaxed) != 0) rt->isolate->TerminateExecution();
  std::lock_guard<std::mutex> lock(rt->interrupts_mu);
  for (Interrupt* request : rt->interrupts) rt->isolate->RequestInterrupt(run_interrupt, request);
}

void free_interrupts(Runtime* rt) {
  std::lock_guard<std::mutex> lock(rt->interrupts_mu);
  for (Interrupt* request : rt->interrupts) delete request;
  rt->interrupts.clear();
  rt->has_interrupts.store(false, std::memory_order_relaxed);
}

void install_heap_limit(Runtime* rt) {
  rt->isolate->AddNearHeapLimitCallback(near_heap_limit, rt);
  rt->isolate->AutomaticallyRestoreInitialHeapLimit(0.5);
}

int configure_heap(const vh_runtime_options& opts, v8::Isolate::CreateParams* params) {
  if (opts.heap_max_bytes == 0) return VH_OK;
  if (opts.heap_max_bytes < kMinHeapBytes) return VH_EINVAL;
  params->constraints.ConfigureDefaultsFromHeapSize(0, opts.heap_max_bytes);
  return VH_OK;
}

int stopped_status(Runtime* rt, ThreadState* ts) {
  int reason = rt->stop_reason.load(std::memory_order_relaxed);
  if (reason == 0) reason = VH_ETERMINATED;
  // Back in the host with no script of the runtime left on this thread: the runtime works
  // again. (Deeper, the script being stopped is still unwinding through its callers.)
  if (ts->depth == 0) {
    rt->isolate->CancelTerminateExecution();
    rt->stop_reason.store(0, std::memory_order_relaxed);
  }
  return reason;
}

uintptr_t thread_stack_limit() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  void* low = nullptr;
  size_t size = 0;
  int rc = pthread_attr_getstack(&attr, &low, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0 || !low) return 0;
  // V8 assumes about 1 MiB of stack below where it is entered. With less, give it the real
  // bottom, less room for the C frames of host callbacks and of V8's own overflow handling.
  constexpr size_t kV8Stack = 984u << 10, kMargin = 160u << 10;
  uintptr_t bottom = reinterpret_cast<uintptr_t>(low);
  uintptr_t here = reinterpret_cast<uintptr_t>(&attr);
  if (here - bottom > kV8Stack + kMargin) return 0;  // enough: V8's own limit is right
  return bottom + kMargin;
}

}  // namespace vh

using namespace vh;

extern "C" {

int vh_runtime_terminate(vh_runtime runtime) {
  if (runtime.id_ == 0) return VH_EINVAL;
  bool found = runtime_table().with(runtime.id_, [](Runtime* rt) {
    int expected = 0;
    rt->stop_reason.compare_exchange_strong(expected, VH_ETERMINATED);
    rt->isolate->TerminateExecution();
  });
  return found ? VH_OK : VH_EDISPOSED;
}

int vh_runtime_interrupt(vh_runtime runtime, vh_interrupt_fn fn, void* data) {
  if (runtime.id_ == 0 || !fn) return VH_EINVAL;
  auto* request = new Interrupt{runtime.id_, fn, data};
  bool found = runtime_table().with(runtime.id_, [&](Runtime* rt) {
    {
      std::lock_guard<std::mutex> lock(rt->interrupts_mu);
      rt->interrupts.push_back(request);
      rt->has_interrupts.store(true, std::memory_order_release);
    }
    rt->isolate->RequestInterrupt(run_interrupt, request);
  });
  if (!found) delete request;
  return found ? VH_OK : VH_EDISPOSED;
}

int vh_runtime_set_deadline(vh_runtime runtime, uint64_t timeout_ms) {
  if (runtime.id_ == 0) return VH_EINVAL;
  uint64_t generation = 0;
  bool found = runtime_table().with(runtime.id_, [&](Runtime* rt) {
    generation = rt->deadline_generation.fetch_add(1, std::memory_order_relaxed) + 1;  // voids older ones
    // A deadline that already fired, with nothing run since, is cancelled too: otherwise the
    // next, unrelated call would be the one stopped.
    int fired = VH_ETIMEDOUT;
    if (rt->stop_reason.compare_exchange_strong(fired, 0)) rt->isolate->CancelTerminateExecution();
  });
  if (!found) return VH_EDISPOSED;
  if (timeout_ms == 0) return VH_OK;
  constexpr uint64_t kCenturyMs = 1000ull * 3600 * 24 * 365 * 100;
  if (timeout_ms > kCenturyMs) timeout_ms = kCenturyMs;
  Watchdog& w = watchdog();
  std::lock_guard<std::mutex> lock(w.mu);
  if (!w.started) {
    std::thread(watchdog_main).detach();
    w.started = true;
  }
  w.deadlines.emplace(std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms),
                      std::make_pair(runtime.id_, generation));
  w.cv.notify_one();
  return VH_OK;
}

int vh_runtime_heap_stats(vh_runtime runtime, vh_heap_stats* out) {
  if (!out) return VH_EINVAL;
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  RuntimeLock lock(rt);
  v8::HeapStatistics s;
  rt->isolate->GetHeapStatistics(&s);
  out->used = s.used_heap_size();
  out->total = s.total_heap_size();
  out->limit = s.heap_size_limit();
  out->external = s.external_memory();
  out->malloced = s.malloced_memory();
  return VH_OK;
}

}  // extern "C"
