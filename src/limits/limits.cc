// The limits a host sets on a runtime: its heap size (made, at creation, a stop rather than the
// end of the process: core/stop.cc), deadlines (one watchdog thread for the process), and
// termination and interrupts from any thread, which also reach the script a runtime waits on
// through a proxy and wake its loop; and heap statistics.
#include "limits/limits.h"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <algorithm>
#include <thread>

#include "core/call.h"
#include "marshal/proxy.h"
#include "loop/loop.h"
#include "v8host.h"

namespace vh {
namespace {

constexpr size_t kMinHeapBytes = 8u << 20;

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
      if (rt->limits->deadline_generation.load(std::memory_order_relaxed) != entry.second) return;  // cleared
      int expected = 0;
      rt->stop_reason.compare_exchange_strong(expected, VH_ETIMEDOUT);
      rt->isolate->TerminateExecution();
      propagate_stop(rt);
      wake_loop(rt);  // a run or a top-level await waiting on a timer ends now
    });
  }
}

}  // namespace

int configure_heap(const vh_runtime_options& opts, v8::Isolate::CreateParams* params) {
  if (opts.heap_max_bytes == 0) return VH_OK;
  if (opts.heap_max_bytes < kMinHeapBytes) return VH_EINVAL;
  params->constraints.ConfigureDefaultsFromHeapSize(0, opts.heap_max_bytes);
  return VH_OK;
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
    propagate_stop(rt);
    wake_loop(rt);  // a run or a top-level await waiting on a timer ends now
  });
  return found ? VH_OK : VH_EDISPOSED;
}

int vh_runtime_interrupt(vh_runtime runtime, vh_interrupt_cb fn, void* data) {
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
    generation = rt->limits->deadline_generation.fetch_add(1, std::memory_order_relaxed) + 1;  // voids older ones
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
