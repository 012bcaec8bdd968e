// ES modules (module.cc): the per-engine module map and the isolate-wide callbacks.
#pragma once

#include <v8.h>

#include "core/objects.h"

namespace vh {

// Installs the isolate's module callbacks (dynamic import, import.meta). Runtime creation.
void install_module_callbacks(Runtime* rt);

// Frees an engine's module map (engine disposal; the lock is held).
void destroy_module_map(Engine* engine);

}  // namespace vh
