// vh_pool_*: a pool of engines, each in a runtime of its own, for "one fresh engine per
// request": acquire hands out an idle engine (or makes one, up to max_size), release resets it
// (vh_engine_reset) and keeps it for the next request; trim disposes engines idle too long.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/call.h"
#include "embed/snapshot.h"
#include "core/versioned.h"
#include "v8host.h"

namespace vh {
namespace {

using Clock = std::chrono::steady_clock;

struct Idle {
  vh_engine engine;
  Clock::time_point since;
};

struct Pool {
  uint64_t handle = 0;
  vh_pool_options opts{};
  vh_runtime_options runtime_opts{};
  bool has_runtime_opts = false;
  std::string snapshot;  // a copy: the caller's buffer need not outlive vh_pool_new
  std::mutex mu;
  std::condition_variable freed;
  std::vector<Idle> idle;                // most recently released last
  std::unordered_set<uint64_t> out;      // engines handed out
  size_t making = 0;                     // engines being made outside the mutex
  size_t total() const { return idle.size() + out.size() + making; }
};

HandleTable<Pool> g_pool_table;

int resolve_pool(vh_pool handle, Pool** out) {
  if (handle.id_ == 0) return VH_EINVAL;
  Pool* p = g_pool_table.get(handle.id_);
  if (!p) return VH_EDISPOSED;
  *out = p;
  return VH_OK;
}

void dispose_pooled(vh_engine engine) {
  vh_runtime runtime;
  if (vh_engine_runtime(engine, &runtime) == VH_OK) vh_runtime_dispose(runtime);
}

// A new engine in a runtime of its own, set up by the host's callbacks.
int make_pooled(Pool* p, vh_engine* out) {
  vh_runtime runtime;
  const vh_runtime_options* ro = p->has_runtime_opts ? &p->runtime_opts : nullptr;
  if (!p->snapshot.empty()) {
    VH_TRY(vh_runtime_new_from_snapshot(ro, p->snapshot.data(), p->snapshot.size(), &runtime));
  } else {
    VH_TRY(vh_runtime_new(ro, &runtime));
  }
  int rc = p->opts.runtime_setup ? p->opts.runtime_setup(runtime, p->opts.data) : VH_OK;
  vh_engine engine{};
  if (rc == VH_OK) rc = vh_engine_new(runtime, nullptr, &engine);
  if (rc == VH_OK && p->opts.engine_setup) rc = p->opts.engine_setup(engine, p->opts.data);
  if (rc != VH_OK) {
    vh_runtime_dispose(runtime);
    return rc;
  }
  *out = engine;
  return VH_OK;
}

// Disposes idle engines beyond min_size idle for idle_ms or longer; returns how many.
size_t trim_locked(Pool* p, std::vector<vh_engine>* doomed) {
  if (p->opts.idle_ms == 0) return 0;
  Clock::time_point now = Clock::now();
  auto limit = std::chrono::milliseconds(p->opts.idle_ms);
  size_t n = 0;
  // The oldest are at the front.
  while (!p->idle.empty() && p->total() > p->opts.min_size && now - p->idle.front().since >= limit) {
    doomed->push_back(p->idle.front().engine);
    p->idle.erase(p->idle.begin());
    ++n;
  }
  return n;
}

}  // namespace
}  // namespace vh

using namespace vh;

extern "C" {

int vh_pool_new(const vh_pool_options* options, vh_pool* out) {
  if (!options || !out) return VH_EINVAL;
  auto p = std::make_unique<Pool>();
  p->opts.struct_size = sizeof p->opts;
  VH_TRY(copy_versioned(options, sizeof(vh_pool_options), &p->opts));
  if (p->opts.max_size == 0 || p->opts.min_size > p->opts.max_size) return VH_EINVAL;
  if (p->opts.snapshot_length != 0 && !p->opts.snapshot) return VH_EINVAL;
  if (p->opts.runtime_options) {
    p->runtime_opts.struct_size = sizeof p->runtime_opts;
    VH_TRY(copy_versioned(p->opts.runtime_options, sizeof(vh_runtime_options), &p->runtime_opts));
    p->has_runtime_opts = true;
    p->opts.runtime_options = nullptr;
  }
  if (p->opts.snapshot) {
    VH_TRY(vh_snapshot_check(p->opts.snapshot, p->opts.snapshot_length));
    p->snapshot.assign(static_cast<const char*>(p->opts.snapshot), p->opts.snapshot_length);
    p->opts.snapshot = nullptr;
  }
  for (size_t i = 0; i < p->opts.min_size; ++i) {
    vh_engine e;
    int rc = make_pooled(p.get(), &e);
    if (rc != VH_OK) {
      for (Idle& idle : p->idle) dispose_pooled(idle.engine);
      return rc;
    }
    p->idle.push_back(Idle{e, Clock::now()});
  }
  p->handle = g_pool_table.add(p.get());
  if (p->handle == 0) {
    for (Idle& idle : p->idle) dispose_pooled(idle.engine);
    return VH_ENOMEM;
  }
  out->id_ = p->handle;
  p.release();
  return VH_OK;
}

int vh_pool_acquire(vh_pool pool, vh_engine* out) {
  if (!out) return VH_EINVAL;
  Pool* p;
  VH_TRY(resolve_pool(pool, &p));
  std::unique_lock<std::mutex> lock(p->mu);
  auto deadline = Clock::now() + std::chrono::milliseconds(p->opts.wait_ms);
  while (p->idle.empty() && p->total() >= p->opts.max_size) {
    if (p->opts.wait_ms == 0) return VH_EBUSY;
    if (p->freed.wait_until(lock, deadline) == std::cv_status::timeout &&
        p->idle.empty() && p->total() >= p->opts.max_size)
      return VH_ETIMEDOUT;
  }
  if (!p->idle.empty()) {
    vh_engine e = p->idle.back().engine;  // the most recently used: its memory is warm
    p->idle.pop_back();
    p->out.insert(e.id_);
    *out = e;
    return VH_OK;
  }
  ++p->making;
  lock.unlock();
  vh_engine e;
  int rc = make_pooled(p, &e);
  lock.lock();
  --p->making;
  if (rc != VH_OK) {
    p->freed.notify_one();
    return rc;
  }
  p->out.insert(e.id_);
  *out = e;
  return VH_OK;
}

int vh_pool_release(vh_pool pool, vh_engine engine) {
  Pool* p;
  VH_TRY(resolve_pool(pool, &p));
  {
    std::lock_guard<std::mutex> lock(p->mu);
    if (engine.id_ == 0 || p->out.count(engine.id_) == 0) return VH_EINVAL;
  }
  // Reset outside the pool's mutex: other engines come and go meanwhile.
  int rc = vh_engine_reset(engine);
  if (rc == VH_EBUSY) return rc;  // a scope is still open on it: still the caller's
  if (rc == VH_OK && p->opts.engine_setup) rc = p->opts.engine_setup(engine, p->opts.data);
  std::vector<vh_engine> doomed;
  {
    std::lock_guard<std::mutex> lock(p->mu);
    p->out.erase(engine.id_);
    if (rc == VH_OK) p->idle.push_back(Idle{engine, Clock::now()});
    else doomed.push_back(engine);  // not reusable: replaced on demand
    trim_locked(p, &doomed);
  }
  p->freed.notify_one();
  for (vh_engine e : doomed) dispose_pooled(e);
  return VH_OK;
}

int vh_pool_trim(vh_pool pool, size_t* disposed) {
  Pool* p;
  VH_TRY(resolve_pool(pool, &p));
  std::vector<vh_engine> doomed;
  {
    std::lock_guard<std::mutex> lock(p->mu);
    trim_locked(p, &doomed);
  }
  for (vh_engine e : doomed) dispose_pooled(e);
  if (disposed) *disposed = doomed.size();
  return VH_OK;
}

int vh_pool_dispose(vh_pool pool) {
  Pool* p;
  VH_TRY(resolve_pool(pool, &p));
  {
    std::lock_guard<std::mutex> lock(p->mu);
    if (!p->out.empty() || p->making != 0) return VH_EBUSY;
  }
  g_pool_table.remove(p->handle);
  for (Idle& idle : p->idle) dispose_pooled(idle.engine);
  delete p;
  return VH_OK;
}

}  // extern "C"
