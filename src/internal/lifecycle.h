// Tear-down shared by runtime and engine disposal.
#pragma once

#include "internal/objects.h"

namespace vh {

// Frees an engine's V8 state and its handle; the caller holds the runtime's lock and removes the
// engine from rt->engines itself.
void destroy_engine_object(Engine* e);

// Disposes a runtime with its engines and references. VH_EBUSY when a scope is open on it.
int dispose_runtime(Runtime* rt);

}  // namespace vh
