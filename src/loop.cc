// The event loop: placeholder for drive_until_settled until the loop lands.
#include "internal/loop.h"

#include <libplatform/libplatform.h>

namespace vh {

void drive_until_settled(Runtime* rt, v8::Local<v8::Promise> promise) {
  // Without a loop: microtasks until the promise settles or they stop making progress.
  for (int i = 0; i < 1000 && promise->State() == v8::Promise::kPending; ++i)
    rt->isolate->PerformMicrotaskCheckpoint();
}

}  // namespace vh
