// Builtins: placeholder until the implementation lands.
#include "internal/loop.h"

namespace vh {
void destroy_builtins(Runtime*) {}
}  // namespace vh
