// The event loop's internal interface (loop.cc).
#pragma once

#include <v8.h>

#include "internal/objects.h"

namespace vh {

// Runs microtasks, V8's platform tasks and (when the runtime has a loop) the loop, until
// promise is settled or nothing is left that could settle it. The runtime's lock is held.
void drive_until_settled(Runtime* rt, v8::Local<v8::Promise> promise);

}  // namespace vh
