// Host proxies: a JavaScript Proxy in one runtime (the destination) standing for an object of
// another (the source). Its handler's traps perform each operation on the real object, in the
// source runtime, and pass arguments and results across by the marshaling rules.
#pragma once

#include <v8.h>

#include <memory>

#include "internal/lock.h"
#include "internal/objects.h"

namespace vh {

// One proxied object. Owned by the destination runtime (dest->proxies, by id).
struct ProxyRecord {
  std::shared_ptr<RuntimeLink> source;  // where the real object lives (may die first)
  Runtime* dest = nullptr;              // where the proxy lives
  uint64_t id = 0;                      // the object's identity id (a private property on it)
  uint64_t source_engine = 0;           // engine handle to run operations in, if it still lives
  bool source_engine_is_home = false;   // source_engine is the engine the object was made in
  uint64_t dest_engine = 0;             // engine the proxy was made for
  v8::Global<v8::Object> object;        // in source: reset under the source's lock
  // In dest. The record lives as long as the handler: every trap runs with the handler as
  // `this`, so it cannot die during one (the proxy can: nothing on the stack holds it once its
  // call began), and the proxy holds it, so it dies no earlier than the proxy. Its weak callback
  // releases the object. The proxy handle is weak without callback, for identity lookups only.
  v8::Global<v8::Object> handler;
  v8::Global<v8::Object> proxy;
  // Under g_marshal_mu: which side is done with the record (release_record, destroy_proxies).
  // The destination is done once its handles are reset; the source once `object` is. The side
  // that finishes second frees it: no thread frees a record another may still read.
  bool dest_done = false;
  bool source_done = false;
};

// The proxy standing in engine `to` for object (of runtime from, another runtime): the same
// proxy for the same object while it lives, or the original object when object is itself a
// proxy of one of to's objects. Both locks are held; to's isolate is entered with a
// HandleScope. VH_OK, or VH_ENOMEM.
int pass_proxy(Runtime* from, v8::Local<v8::Object> object, Engine* to, v8::Local<v8::Value>* out);

// A symbol of runtime from as runtime to sees it: well-known symbols map to to's own; any other
// maps to one symbol per source symbol (same description), both ways, so identity holds. Both
// runtimes keep the symbols that crossed alive until they are disposed.
int pass_symbol(Runtime* from, v8::Local<v8::Symbol> symbol, Engine* to, v8::Local<v8::Value>* out);

// Runtime disposal (rt's lock held): the objects other runtimes' proxies point at here are
// released and those proxies turned dead; rt's own proxies release their objects.
void destroy_proxies(Runtime* rt);

// A stop (termination or deadline) of rt reaches the runtimes its lock holder runs in through
// proxy operations further in: each gets an interrupt that terminates the script there while
// that very operation still runs (later, it does nothing), so the operation returns and rt's own
// stop takes effect. Called with the runtime table's mutex held (the runtimes cannot go).
void propagate_stop(Runtime* rt);

}  // namespace vh
