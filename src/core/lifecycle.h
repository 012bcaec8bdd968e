// Tear-down shared by runtime and engine disposal.
#pragma once

#include "core/objects.h"

namespace vh {

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
