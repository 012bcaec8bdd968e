// What the debug layer gives the runtime's own life cycle (embed/runtime.cc): the host's GC
// callback (diagnostics.cc) and the CPU profiler (profiler.cc), both torn down at disposal.
#pragma once

#include "core/objects.h"
#include "v8host/diagnostics.h"

namespace v8 {
class CpuProfiler;
}

namespace vh {

struct Inspector;  // inspector/inspector_impl.h

// The debug layer's part of a Runtime (Runtime::debug; core/objects.h).
struct DebugPart {
  // The running CPU profile's profiler (profiler.cc), or null.
  v8::CpuProfiler* cpu_profiler = nullptr;
  // The host's garbage collection callback (diagnostics.cc); V8's prologue and epilogue
  // callbacks are installed while it is set. Lock held to read or change.
  vh_gc_cb gc_cb = nullptr;
  void* gc_data = nullptr;
  Inspector* inspector = nullptr;  // the runtime's V8 inspector, when attached; lock held
};

// Sets (cb non-null) or clears the host's garbage collection callback; the lock is held.
void set_gc_callback(Runtime* rt, vh_gc_cb cb, void* data);

// Stops and frees the runtime's running CPU profile, if any; the lock is held.
void stop_profiler(Runtime* rt);

}  // namespace vh
