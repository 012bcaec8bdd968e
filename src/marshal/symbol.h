// Symbols crossing between runtimes (symbol.cc): each keeps its identity both ways.
#pragma once

#include <v8.h>

#include "core/objects.h"

namespace vh {

// A symbol of runtime from as runtime to sees it: well-known symbols map to to's own; any other
// maps to one symbol per source symbol (same description), both ways, so identity holds; a
// registered one (Symbol.for(key)) to to's registered symbol for the same key. Both
// runtimes keep the symbols that crossed alive until they are disposed.
int pass_symbol(Runtime* from, v8::Local<v8::Symbol> symbol, Engine* to, v8::Local<v8::Value>* out);

// Drops the symbols rt keeps (runtime disposal, its lock held).
void destroy_symbols(Runtime* rt);

}  // namespace vh
