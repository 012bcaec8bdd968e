// What the builtins' files share (builtins.cc: timers, queueMicrotask, installing; console.cc).
#pragma once

#include <v8.h>

#include "core/call.h"
#include "v8host/function.h"

namespace vh {

// Defines target[name] = value as an own data property (VH_EEXCEPTION, pending, when it cannot).
int define(EngineCall& call, v8::Local<v8::Object> target, const char* name, v8::Local<v8::Value> value);
// Defines target[name] as a new host function of the engine.
int define_function(EngineCall& call, v8::Local<v8::Object> target, const char* name,
                    vh_host_function_cb fn, void* data);

// console.cc: installs `console` on global (VH_BUILTIN_CONSOLE).
int install_console(EngineCall& call, v8::Local<v8::Object> global);
// Drops the engine's console state (counters, timers, group depth): engine disposal, lock held.
void forget_engine_console(Engine* engine);
// Frees the runtime's console state: runtime disposal, lock held.
void destroy_console(Runtime* rt);

// clone_builtin.cc: defines the global structuredClone(value, { transfer }) in engine.
int install_structured_clone(vh_engine engine);

}  // namespace vh
