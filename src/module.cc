// ES modules: placeholder until the implementation lands.
#include "internal/module.h"
#include "v8host.h"

namespace vh {
void install_module_callbacks(Runtime*) {}
void destroy_module_map(Engine*) {}
}  // namespace vh
