// ES modules (module.cc): the per-engine module map and the isolate-wide callbacks.
#pragma once

#include <v8.h>

#include <vector>

#include "core/objects.h"
#include "v8host/module.h"

namespace vh {

// The module layer's part of a Runtime (Runtime::module; core/objects.h).
struct ModulePart {
  // The host's hooks (vh_runtime_set_module_loader, vh_runtime_set_import_meta_hook).
  vh_module_loader_cb module_loader = nullptr;
  void* module_loader_data = nullptr;
  vh_import_meta_hook_cb import_meta_hook = nullptr;
  void* import_meta_data = nullptr;
  // An engine of this runtime dropped the modules it had loaded (reset or disposal): their
  // namespaces may stay reachable (embed/snapshot.cc refuses to snapshot such a runtime).
  bool dropped_modules = false;
};

// Installs the isolate's module callbacks (dynamic import, import.meta). Runtime creation.
void install_module_callbacks(Runtime* rt);

// Frees an engine's module map (engine disposal; the lock is held).
void destroy_module_map(Engine* engine);

// For snapshots (embed/snapshot.cc): the C callbacks of the module layer's functions, for the
// external-reference registry.
void module_external_references(std::vector<intptr_t>* out);

}  // namespace vh
