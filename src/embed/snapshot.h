// Startup snapshots (snapshot.cc): the hooks the runtime and engine code call. (The host
// layer keeps its records in registration order for them: host.h, RecordOrder.)
#pragma once

#include <v8.h>

#include <cstdint>
#include <vector>

#include "core/objects.h"
#include "embed/lifecycle.h"
#include "v8host/runtime.h"

namespace vh {

// runtime.cc: makes a runtime; snapshot (may be NULL) is owned by it from the call on.
int new_runtime(const vh_runtime_options* options, SnapshotState* snapshot, vh_runtime* out);

// Makes rt's isolate: a plain one, one owned by a SnapshotCreator (a builder), or one
// deserialized from a blob. On failure returns NULL and frees rt->embed->snapshot.
v8::Isolate* make_isolate(Runtime* rt, v8::Isolate::CreateParams& params);
// Disposes rt's isolate (and its snapshot state), whatever made it. Called by dispose_runtime
// after every handle of the runtime is gone: a builder being turned into a blob serializes there.
void dispose_isolate(Runtime* rt);
void free_snapshot_state(SnapshotState* state);

// vh_engine_new on a runtime from a blob: VH_EBADDATA unless the host has registered, in order,
// the host functions and classes the blob was made with.
int check_snapshot_bindings(Runtime* rt);

// True for a runtime made from a blob: its contexts are the blob's, made by a builder of this
// very build (the blob's build id), and already hold what the library installs in a context.
bool snapshot_restored(Runtime* rt);

// snapshot_heap.cc: VH_ENOTSUP when the heap holds what V8 cannot serialize without ending the
// process (an Intl object: a global handle to a Foreign); VH_ENOMEM when it cannot be looked at.
// The isolate is locked and entered.
int check_heap_serializable(v8::Isolate* iso);


}  // namespace vh
