// What the debug layer gives the runtime's own life cycle (embed/runtime.cc): the host's GC
// callback (diagnostics.cc) and the CPU profiler (profiler.cc), both torn down at disposal.
#pragma once

#include "core/objects.h"
#include "v8host/diagnostics.h"

namespace vh {

// Sets (cb non-null) or clears the host's garbage collection callback; the lock is held.
void set_gc_callback(Runtime* rt, vh_gc_cb cb, void* data);

// Stops and frees the runtime's running CPU profile, if any; the lock is held.
void stop_profiler(Runtime* rt);

}  // namespace vh
