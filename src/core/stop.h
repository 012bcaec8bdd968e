// How a running script is reached and stopped, and how its runtime comes back (stop.cc). Every
// call into script uses these: the call prologue (call.h), the loop, proxies; the limits a host
// sets are above, in limits/.
#pragma once

#include <v8.h>

#include <cstddef>
#include <cstdint>

#include "core/objects.h"
#include "core/thread_state.h"
#include "v8host/runtime.h"

namespace vh {

// Installs the near-heap-limit callback that stops the script over the limit (VH_EHEAPLIMIT)
// instead of letting V8 end the process, and records the configured limit.
void install_heap_limit(Runtime* rt);

// The limit the host's vh_runtime_set_heap_limit_cb grants (once per runtime), or 0.
size_t host_heap_limit(Runtime* rt, size_t current_limit, size_t initial_limit);

// The status of a call its runtime's stop ended (VH_ETERMINATED, VH_ETIMEDOUT or
// VH_EHEAPLIMIT); ends the stop when no script of the runtime is left on this thread.
int stopped_status(Runtime* rt, ThreadState* ts);
// Lets the runtime run script again, unless a heap-limit stop left the heap over its limit.
void end_stop(Runtime* rt);
// Stops the running script for the heap limit (a stop already under way keeps its reason).
void stop_for_heap_limit(Runtime* rt);

// A host's vh_runtime_interrupt request, pending until V8 runs it on the lock holder's thread.
struct Interrupt {
  uint64_t runtime;
  vh_interrupt_cb fn;
  void* data;
};
// V8's interrupt callback for an Interrupt (data); runs it once and frees it.
void run_interrupt(v8::Isolate* iso, void* data);
// Called by the next lock holder: a stop or interrupt requested while no thread held the
// runtime is requested again, so it reaches the next script.
void reissue_requests(Runtime* rt);
// Frees the interrupts that never ran (at disposal).
void free_interrupts(Runtime* rt);

// This thread's stack limit for every isolate it enters (one per thread; thread_state.cc).
uintptr_t thread_stack_limit();

}  // namespace vh
