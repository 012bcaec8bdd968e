// What the rest of the library tells the inspector (src/inspector/; no-ops in a build without
// it, src/inspector/stub.cc). All are called with the runtime's lock held.
#pragma once

#include "core/objects.h"

namespace vh {

// A new engine: it appears to debuggers as a context.
void inspector_engine_created(Engine* engine);
// An engine about to be destroyed (its context still set): it disappears from debuggers.
void inspector_engine_destroyed(Engine* engine);
// The runtime is being disposed: its inspector, sessions and endpoint go first.
void inspector_runtime_disposing(Runtime* rt);

}  // namespace vh
