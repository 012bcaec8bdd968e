// Async host functions: placeholder until the implementation lands.
#include "internal/loop.h"
