// Library replacements for the builtins whose element loops V8 10.2 runs without ever checking
// for a stop (safe_builtins.cc): installed in every context the library makes, before any
// script runs in it.
#pragma once

#include <v8.h>

#include <cstdint>
#include <vector>

#include "core/objects.h"

namespace vh {

// Replaces the builtins of the table in safe_builtins.cc in ctx, a context just made for an
// engine of rt (vh_engine_new, a private engine, vh_engine_reset), not one restored from a
// snapshot (its builder's context had them installed: the callers skip those).
// VH_ENOMEM when V8 could not compile or run the installer (the context is then not used).
// The caller holds the runtime's lock.
// keep_compiled: keep the compiled installer in rt for its next engines (false in a snapshot
// builder).
int install_safe_builtins(Runtime* rt, v8::Local<v8::Context> ctx, bool keep_compiled);

// The C callbacks the replacements hold, for the snapshot's external-reference registry.
void safe_builtins_external_references(std::vector<intptr_t>* out);

}  // namespace vh
