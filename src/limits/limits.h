// The limits a host sets (limits.cc): the heap size a runtime is made with. Deadlines,
// termination and interrupts are public calls only; how a script is stopped is core/stop.h.
#pragma once

#include <v8.h>

#include <atomic>
#include <cstdint>

#include "core/objects.h"
#include "v8host/runtime.h"

namespace vh {

// The limits layer's part of a Runtime (Runtime::limits; core/objects.h).
struct LimitsPart {
  // Bumped by vh_runtime_set_deadline: a deadline of an older generation no longer fires.
  std::atomic<uint64_t> deadline_generation{0};
  // The safe builtins' installer (safe_builtins.cc), compiled once for the runtime's engines:
  // each engine binds it to its fresh context. Never kept by a snapshot builder (its blob must
  // hold no handle of ours); reset under the lock at disposal (embed/runtime.cc).
  v8::Global<v8::UnboundScript> safe_builtins;
};

// Applies vh_runtime_options' heap_max_bytes to the isolate's parameters (VH_EINVAL when it is
// set below the least heap V8 can run in).
int configure_heap(const vh_runtime_options& opts, v8::Isolate::CreateParams* params);

}  // namespace vh
