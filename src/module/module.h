// ES modules (module.cc): the per-engine module map and the isolate-wide callbacks.
#pragma once

#include <v8.h>

#include <vector>

#include "core/objects.h"

namespace vh {

// Installs the isolate's module callbacks (dynamic import, import.meta). Runtime creation.
void install_module_callbacks(Runtime* rt);

// Frees an engine's module map (engine disposal; the lock is held).
void destroy_module_map(Engine* engine);

// For snapshots (embed/snapshot.cc): the C callbacks of the module layer's functions, for the
// external-reference registry.
void module_external_references(std::vector<intptr_t>* out);

}  // namespace vh
