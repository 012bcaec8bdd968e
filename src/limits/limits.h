// Resource limits (limits.cc): heap limit, termination, deadlines, small-stack threads.
#pragma once

#include <v8.h>

#include <cstdint>

#include "core/objects.h"
#include "core/thread_state.h"
#include "v8host/runtime.h"

namespace vh {

// Applies heap_max_bytes to the isolate's creation parameters. VH_EINVAL below the minimum.
int configure_heap(const vh_runtime_options& opts, v8::Isolate::CreateParams* params);
// Installs the near-heap-limit callback that stops a script instead of letting V8 abort.
void install_heap_limit(Runtime* rt);

// The host's say near the heap limit (diagnostics.cc), asked by the heap-limit handler before
// it stops a script: a raised limit to return to V8, or 0 to stop the script as usual.
size_t host_heap_limit(Runtime* rt, size_t current_limit, size_t initial_limit);

// Sets or (cb null) removes the host's garbage collection callback, adding or removing V8's GC
// prologue and epilogue callbacks (diagnostics.cc; rt's lock held). Disposal removes it first.
void set_gc_callback(Runtime* rt, vh_gc_cb cb, void* data);

// Stops and frees a CPU profile still running (profiler.cc; runtime disposal, under its lock).
void stop_profiler(Runtime* rt);

// After a call saw V8 stop without an exception (termination): the status for it
// (VH_EHEAPLIMIT, VH_ETIMEDOUT or VH_ETERMINATED). At the outermost host level it also ends the
// termination so the runtime works again.
int stopped_status(Runtime* rt, ThreadState* ts);
// Ends a stop once no script of rt is left running on this thread: the runtime works again.
// Not after a heap-limit stop that left the heap over the limit: then it stays stopped (every
// script it starts is stopped at once) until a collection finds the heap back under it.
void end_stop(Runtime* rt);
// Stops rt's running script because of its heap limit (any thread holding rt's lock).
void stop_for_heap_limit(Runtime* rt);

// A pending interrupt request (vh_runtime_interrupt).
struct Interrupt {
  uint64_t runtime;
  vh_interrupt_fn fn;
  void* data;
};
// Frees interrupts never run (runtime disposal).
void free_interrupts(Runtime* rt);

// The stack limit of the calling thread, given to V8 each time the thread locks any runtime
// (0 when the thread's stack cannot be found: V8's own). Computed once per thread.
uintptr_t thread_stack_limit();

}  // namespace vh
