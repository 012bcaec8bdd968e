// Host proxies: a JavaScript Proxy in one runtime (the destination) standing for an object of
// another (the source). Its handler's traps perform each operation on the real object, in the
// source runtime, and pass arguments and results across by the marshaling rules.
#pragma once

#include <v8.h>

#include <vector>

#include <memory>

#include "core/lock.h"
#include "core/objects.h"
#include "marshal/marshal.h"

namespace vh {

// The strong handle to a proxied object, in its (source) runtime, shared by every record that
// stands for the object in any runtime: a proxy of a proxy collapses onto the original's
// handle, so an object passed A -> B -> C gets in C the same record (and proxy) as one passed
// A -> C. The Global lives in the source isolate: it is made, reset, and its last share
// dropped only under the source's lock (drain_releases, destroy_proxies) or after the source's
// disposal has reset it; a share is copied under g_link_mu while the source is alive.
class SourceHandle {
 public:
  bool IsEmpty() const { return !global_ || global_->IsEmpty(); }
  v8::Local<v8::Object> Get(v8::Isolate* iso) const { return global_->Get(iso); }
  void Reset(v8::Isolate* iso, v8::Local<v8::Object> object) {
    global_ = std::make_shared<v8::Global<v8::Object>>(iso, object);
  }
  // Drops this record's share; the last one releases the object.
  void Reset() { global_.reset(); }
  void ShareFrom(const SourceHandle& other) { global_ = other.global_; }

 private:
  std::shared_ptr<v8::Global<v8::Object>> global_;
};

// The property keys a record's traps passed last, each with its copy in the source: a key
// the destination passes again (the same internalized string: obj.x in a loop) is found by
// identity, with no copy and no string-table lookup in the source. Direct-mapped by the key's
// hash; made on the first keyed trap. The destination's strings are made and reset under the
// destination's lock, their copies under the source's (reset_dest / reset_source, before the
// record is freed).
struct KeyCache {
  static constexpr uint32_t kSize = 4;
  static constexpr int kMaxLength = 64;  // longer keys are copied each time
  v8::Global<v8::String> dest[kSize];
  v8::Global<v8::String> source[kSize];
  void reset_dest() {
    for (auto& g : dest) g.Reset();
  }
  void reset_source() {
    for (auto& g : source) g.Reset();
  }
};

// One proxied object. Owned by the destination runtime (dest->marshal->proxies, by id).
struct ProxyRecord : ReleaseOnLock {
  std::shared_ptr<RuntimeLink> source;  // where the real object lives (may die first)
  Runtime* dest = nullptr;              // where the proxy lives
  uint64_t id = 0;                      // the object's identity id (a private property on it)
  uint64_t source_engine = 0;           // engine handle to run operations in, if it still lives
  bool source_engine_is_home = false;   // source_engine is the engine the object was made in
  uint64_t dest_engine = 0;             // engine the proxy was made for
  SourceHandle object;                  // in source: reset under the source's lock
  // The engines the traps work in, resolved by the first trap and kept while the owning
  // runtime's engine_generation (bumped when one of its engines is disposed or reset) says no
  // engine went since: no handle-table lookup per trap. dest_*: read and written under the
  // destination's lock; source_*: under the source's.
  Engine* dest_cached = nullptr;
  uint32_t dest_cached_gen = 0;
  Engine* source_cached = nullptr;
  uint32_t source_cached_gen = 0;
  bool source_cached_home = false;  // the object's realm is source_cached's context
  std::unique_ptr<KeyCache> keys;    // see KeyCache: its halves reset with `handler` and `object`
  // In dest. The record lives as long as the handler: every trap runs with the handler as
  // `this`, so it cannot die during one (the proxy can: nothing on the stack holds it once its
  // call began), and the proxy holds it, so it dies no earlier than the proxy. Its weak callback
  // releases the object. The proxy handle is weak without callback, for identity lookups only.
  v8::Global<v8::Object> handler;
  v8::Global<v8::Object> proxy;
  // Under g_link_mu: which side is done with the record (release_record, destroy_proxies).
  // The destination is done once its handles are reset; the source once `object` is. The side
  // that finishes second frees it: no thread frees a record another may still read.
  bool dest_done = false;
  bool source_done = false;
};

// The proxy standing in engine `to` for object (of runtime from, another runtime): the same
// proxy for the same object while it lives, or the original object when object is itself a
// proxy of one of to's objects; a proxy (of from) of a third runtime's object gives to's proxy
// of that original object. Both locks are held; to's isolate is entered with a
// HandleScope. VH_OK, or VH_ENOMEM.
int pass_proxy(Runtime* from, v8::Local<v8::Object> object, Engine* to, v8::Local<v8::Value>* out);

// The identity id of object (of runtime rt), assigned on first use: a private property, so the
// object keeps it for life and script cannot see or change it. Process-wide unique; 0 when
// none can be had. rt's lock is held.
uint64_t identity_of(Runtime* rt, v8::Local<v8::Object> object);

// A symbol of runtime from as runtime to sees it: well-known symbols map to to's own; any other
// maps to one symbol per source symbol (same description), both ways, so identity holds; a
// registered one (Symbol.for(key)) to to's registered symbol for the same key. Both
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

// For snapshots (embed/snapshot.cc): the traps of the host proxies' handler class, and their
// targets' function, for the external-reference registry.
void proxy_external_references(std::vector<intptr_t>* out);

}  // namespace vh

// For tests only (not exported from the shared library; tests/test_marshal_proxy.c links the
// static one): how many times this thread's proxy operations crossed back from the source into
// the destination so far. One operation crosses back at most once, whatever it passes over
// (own keys: once per 65536 keys).
extern "C" uint64_t vh_internal_proxy_crossings(void);
