// The marshaling layer's internal interface: passing a V8 value of one runtime into an engine
// of another (or the same) runtime. See include/v8host/marshal.h for the rules.
#pragma once

#include <v8.h>

#include "internal/objects.h"
#include "v8host/marshal.h"

namespace vh {

// Passes value (of runtime from) into engine to. The calling thread holds both runtimes'
// locks; to's isolate is entered with a HandleScope open (the result is a Local in it). For
// different runtimes, from's isolate need not be entered: the functions enter it as needed.
// On failure *out is untouched; VH_EEXCEPTION leaves the exception pending in engine to.
int pass_value(Runtime* from, v8::Local<v8::Value> value, Engine* to, v8::Local<v8::Value>* out,
               vh_pass_kind* how);

// --- the shared-backing-store path (marshal_shared.cc) ---

// Whether value is a SharedArrayBuffer, or a TypedArray/DataView whose buffer is one.
bool is_shared_backed(v8::Local<v8::Value> value);

// Rebuilds a shared-backed value (see is_shared_backed) of runtime from in engine to (another
// runtime): a SharedArrayBuffer over the same BackingStore (the same object for the same store
// while it lives in to: the engine's identity cache), and views of the same kind, offset and
// length (length-tracking views stay length-tracking). to's isolate is entered with a
// HandleScope open (its context is entered here when needed). VH_OK; VH_ENOMEM; VH_ETYPE (a
// view over a growable buffer whose constructor script has replaced in to: none is trusted);
// VH_EEXCEPTION (that constructor threw: pending in to); VH_ETERMINATED.
int pass_shared(Runtime* from, v8::Local<v8::Value> value, Engine* to, v8::Local<v8::Value>* out);

// Drops an engine's identity cache of shared buffers (engine disposal; the lock is held).
void clear_shared_cache(Engine* engine);

}  // namespace vh
