// What a runtime is doing (include/v8host/diagnostics.h): memory pressure, and the host's
// near-heap-limit callback, which limits.cc's heap-limit handler consults first.
#include <cstddef>
#include <cstdio>
#include <cstring>

#include "internal/call.h"
#include "internal/limits.h"
#include "v8host.h"

namespace vh {

size_t host_heap_limit(Runtime* rt, size_t current_limit, size_t initial_limit) {
  if (!rt->heap_limit_cb) return 0;
  size_t wanted = rt->heap_limit_cb(vh_runtime{rt->handle}, current_limit, initial_limit, rt->heap_limit_data);
  if (wanted <= current_limit || rt->heap_limit_raised) return 0;
  rt->heap_limit_raised = true;
  return wanted;
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
  // This is the struct's first release: a caller's is at least this large. A newer caller's
  // larger struct gets what this library knows, and struct_size says how much that was.
  if (out->struct_size < sizeof(vh_runtime_stats)) return VH_EVERSION;
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  vh_runtime_stats s{};
  s.struct_size = sizeof s;
  VH_TRY(vh_runtime_heap_stats(runtime, &s.heap));
  {
    RuntimeLock lock(rt);
    s.engines = rt->engines.size();
    s.references = rt->refs.size();
    s.class_instances = rt->instances.size();
    s.proxies_imported = rt->proxies.size();
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
  std::memcpy(static_cast<void*>(out), &s, sizeof s);
  return VH_OK;
}

int vh_runtime_set_heap_limit_cb(vh_runtime runtime, vh_heap_limit_cb cb, void* data) {
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  RuntimeLock lock(rt);
  rt->heap_limit_cb = cb;
  rt->heap_limit_data = data;
  return VH_OK;
}

}  // extern "C"
