// The life cycle of runtimes and engines (runtime.cc, engine.cc): the embedding layer's part
// of a Runtime, making and freeing a Runtime with the parts of every layer, and the tear-down
// shared by runtime and engine disposal.
#pragma once

#include <v8.h>

#include "core/objects.h"

namespace vh {

struct SnapshotState;  // snapshot.cc: a snapshot builder's creator, or a loaded blob

// The embedding layer's part of a Runtime (Runtime::embed; core/objects.h).
struct EmbedPart {
  SnapshotState* snapshot = nullptr;  // runtimes made for or from a snapshot only
  Engine* private_owner = nullptr;    // set for a runtime made by vh_engine_new_private
  v8::Global<v8::Value> security_token;  // shared by all engines: direct access between them
};

// A new Runtime with a fresh part of every layer (runtime.cc).
Runtime* make_runtime();
// Frees rt and its parts (after its isolate is gone, or before it was made).
void free_runtime(Runtime* rt);

// Frees an engine's V8 state and its handle; the caller holds the runtime's lock and removes the
// engine from rt->engines itself.
void destroy_engine_object(Engine* e);

// An engine's context, bound and unbound (engine creation, disposal and vh_engine_reset):
// bind_context makes ctx the engine's (its handle already assigned); unbind_context drops what
// the engine kept of its context (timers, buffers, modules, the pending exception, intrinsics,
// the inspector's target) and the context's pointer back to it, keeping e->context itself.
// The caller holds the runtime's lock.
void bind_context(Engine* e, v8::Local<v8::Context> ctx);
void unbind_context(Engine* e);

// Disposes a runtime with its engines and references. VH_EBUSY when a scope is open on it.
int dispose_runtime(Runtime* rt);

}  // namespace vh
