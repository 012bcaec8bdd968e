// What a runtime is doing (include/v8host/diagnostics.h): statistics, memory pressure, the
// host's near-heap-limit callback (which limits.cc's heap-limit handler consults first), and
// its garbage collection callback.
#include <cstddef>
#include <cstdio>
#include <cstring>

#include "core/call.h"
#include "core/stop.h"
#include "core/v8_compat.h"
#include "core/lock.h"
#include "debug/diagnostics.h"
#include "host/host.h"
#include "marshal/marshal.h"
#include "v8host.h"

namespace vh {

namespace {

// V8's GCType (one bit per call) as the host sees it; false for a kind a later V8 adds.
bool gc_kind_of(v8::GCType type, vh_gc_kind* out) {
  switch (type) {
    case v8::kGCTypeScavenge:
    case compat::kGCTypeMinor: *out = VH_GC_KIND_SCAVENGE; return true;
    case v8::kGCTypeMarkSweepCompact: *out = VH_GC_KIND_MARK_COMPACT; return true;
    case v8::kGCTypeIncrementalMarking: *out = VH_GC_KIND_INCREMENTAL; return true;
    case v8::kGCTypeProcessWeakCallbacks: *out = VH_GC_KIND_WEAK_PROCESSING; return true;
    default: return false;
  }
}

// V8 runs these on the thread holding the isolate (which holds the runtime's lock), so
// gc_cb, changed only under that lock, cannot change during the call.
void tell_gc(Runtime* rt, v8::GCType type, vh_gc_phase phase) {
  vh_gc_kind kind;
  if (rt->debug->gc_cb && gc_kind_of(type, &kind)) rt->debug->gc_cb(vh_runtime{rt->handle}, kind, phase, rt->debug->gc_data);
}

void on_gc_start(v8::Isolate*, v8::GCType type, v8::GCCallbackFlags, void* data) {
  tell_gc(static_cast<Runtime*>(data), type, VH_GC_PHASE_START);
}

void on_gc_end(v8::Isolate*, v8::GCType type, v8::GCCallbackFlags, void* data) {
  tell_gc(static_cast<Runtime*>(data), type, VH_GC_PHASE_END);
}

}  // namespace

void set_gc_callback(Runtime* rt, vh_gc_cb cb, void* data) {
  bool installed = rt->debug->gc_cb != nullptr;
  rt->debug->gc_cb = cb;
  rt->debug->gc_data = data;
  // Installed once while a callback is set (a replacement only swaps the fields): V8 keeps a
  // list, and a second pair with the same data would tell the host twice.
  if (cb && !installed) {
    rt->isolate->AddGCPrologueCallback(on_gc_start, rt);
    rt->isolate->AddGCEpilogueCallback(on_gc_end, rt);
  } else if (!cb && installed) {
    rt->isolate->RemoveGCPrologueCallback(on_gc_start, rt);
    rt->isolate->RemoveGCEpilogueCallback(on_gc_end, rt);
  }
}

}  // namespace vh

using namespace vh;

extern "C" {

int vh_runtime_memory_pressure(vh_runtime runtime, vh_memory_pressure level) {
  v8::MemoryPressureLevel v8_level;
  switch (level) {
    case VH_MEMORY_PRESSURE_NONE: v8_level = v8::MemoryPressureLevel::kNone; break;
    case VH_MEMORY_PRESSURE_MODERATE: v8_level = v8::MemoryPressureLevel::kModerate; break;
    case VH_MEMORY_PRESSURE_CRITICAL: v8_level = v8::MemoryPressureLevel::kCritical; break;
    default: return VH_EINVAL;
  }
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  // V8 allows this call from any thread: on a thread other than the isolate's it only posts
  // the collection.
  rt->isolate->MemoryPressureNotification(v8_level);
  return VH_OK;
}

int vh_runtime_stats_get(vh_runtime runtime, vh_runtime_stats* out) {
  if (!out) return VH_EINVAL;
  // The first release ended at spaces (proxies_exported came later): a caller compiled against
  // it gets that much. A newer caller's larger struct gets what this library knows; struct_size
  // says how much that was either way.
  constexpr size_t kFirstSize = offsetof(vh_runtime_stats, proxies_exported);
  if (out->struct_size < kFirstSize) return VH_EVERSION;
  size_t filled = out->struct_size < sizeof(vh_runtime_stats) ? kFirstSize : sizeof(vh_runtime_stats);
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  vh_runtime_stats s{};
  s.struct_size = filled;
  VH_TRY(vh_runtime_heap_stats(runtime, &s.heap));
  {
    RuntimeLock lock(rt);
    s.engines = rt->engines.size();
    s.references = rt->refs.size();
    s.class_instances = rt->host->instances.size();
    // One record per proxy, both ways: live_records holds this runtime's proxies (rt->marshal->proxies,
    // by object id, may lack one whose object has no id); exported the records of proxies
    // elsewhere of objects here, kept exact under g_link_mu by pass_proxy, forward_proxy and
    // release_record (a proxy collected or its runtime disposed) on other threads.
    s.proxies_imported = rt->marshal->live_records.size();
    {
      std::lock_guard<std::mutex> marshal(g_link_mu);
      s.proxies_exported = rt->marshal->exported.size();
    }
    size_t n = rt->isolate->NumberOfHeapSpaces();
    for (size_t i = 0; i < n && s.space_count < VH_HEAP_SPACE_MAX; ++i) {
      v8::HeapSpaceStatistics hs;
      if (!rt->isolate->GetHeapSpaceStatistics(&hs, i)) continue;
      vh_heap_space& sp = s.spaces[s.space_count++];
      std::snprintf(sp.name, sizeof sp.name, "%s", hs.space_name() ? hs.space_name() : "");
      sp.size = hs.space_size();
      sp.used = hs.space_used_size();
      sp.available = hs.space_available_size();
    }
  }
  std::memcpy(static_cast<void*>(out), &s, filled);
  return VH_OK;
}

int vh_runtime_set_gc_cb(vh_runtime runtime, vh_gc_cb cb, void* data) {
  return set_under_lock(runtime, [&](Runtime* rt) {
    set_gc_callback(rt, cb, data);
  });
}

int vh_runtime_set_heap_limit_cb(vh_runtime runtime, vh_heap_limit_cb cb, void* data) {
  return set_under_lock(runtime, [&](Runtime* rt) {
    rt->heap_limit_cb = cb;
    rt->heap_limit_data = data;
  });
}

}  // extern "C"
