// The marshaling layer's internal interface: passing a V8 value of one runtime into an engine
// of another (or the same) runtime. See include/v8host/marshal.h for the rules.
#pragma once

#include <v8.h>

#include <atomic>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/call.h"
#include "core/objects.h"
#include "v8host/marshal.h"

namespace vh {

struct ProxyRecord;  // proxy.h

// The marshaling layer's part of a Runtime (Runtime::marshal; core/objects.h).
struct MarshalPart {
  // How long a proxy operation waits for another runtime's lock (vh_runtime_options).
  uint64_t proxy_wait_ms = 10000;
  // Proxy operations (proxy.cc), written by the lock holder only: the serial of the innermost
  // operation running in this runtime on behalf of another (0: none), and the handle of the
  // runtime this runtime's innermost proxy operation runs in (0: none). A stop of this runtime
  // follows calling_into to stop the script it waits on there (propagate_stop).
  std::atomic<uint64_t> serving{0};
  std::atomic<uint64_t> calling_into{0};
  // Proxies in this runtime of objects of other runtimes, by the object's identity id.
  std::unordered_map<uint64_t, ProxyRecord*> proxies;
  // Every record of a proxy in this runtime whose handler lives (released at disposal).
  std::unordered_set<ProxyRecord*> live_records;
  // Records of proxies (in other runtimes) whose real object lives in this runtime. Under
  // g_link_mu, while the runtime's link is alive (core/lock.h): destroy_proxies empties it as it
  // marks the link dead.
  std::unordered_set<ProxyRecord*> exported;
  // The private symbol holding an object's identity id (in this runtime's isolate).
  v8::Global<v8::Private> id_key;
  // The handler class of this runtime's proxies (its brand tells our proxies apart).
  v8::Global<v8::FunctionTemplate> handler_class;
  // The two well-known symbols V8 10.2's API has no getter for, read from the first engine
  // before any script ran (embed/engine.cc). A symbol belongs to the isolate, not to a realm:
  // holding it keeps no engine alive (the realm-bound intrinsics are per engine:
  // Engine::intrinsics).
  v8::Global<v8::Symbol> symbol_match_all, symbol_species;
  // Symbols that crossed between runtimes, by a process-wide id, so each keeps its identity:
  // this runtime's symbol for an id, and the id of a symbol (by identity hash). symbol.cc.
  std::unordered_map<uint64_t, v8::Global<v8::Symbol>> symbols_by_id;
  std::unordered_multimap<int, std::pair<v8::Global<v8::Symbol>, uint64_t>> symbol_ids;
  // Bumped (lock held) whenever an engine of this runtime is disposed or reset: proxy records
  // keep the engines their traps work in, resolved once, while this is unchanged (proxy.cc).
  uint32_t engine_generation = 0;
  // The six field names of a property descriptor, internalized once (marshal/descriptor.cc).
  v8::Eternal<v8::String> descriptor_keys[6];
};


// How a value crosses from one runtime into an engine (classify() decides, once; pass_way()
// runs the strategy). kAsIs / kDirect: the same runtime, the value itself (a primitive; an
// object or symbol). Between runtimes: kCopy (a primitive other than a symbol), kSymbol
// (pass_symbol's mapping), kSharedBuffer (a SharedArrayBuffer over the same store), kSharedView (a
// TypedArray / DataView over one), kSharedMemory (a WebAssembly.Memory over shared memory),
// kProxy (a host proxy: anything else).
enum class Way : uint8_t { kAsIs, kDirect, kCopy, kSymbol, kSharedBuffer, kSharedView, kSharedMemory, kProxy };

// What vh_pass reports for each way (Way's order).
inline vh_pass_kind pass_kind_of(Way way) {
  static constexpr vh_pass_kind kKinds[] = {VH_PASS_KIND_PRIMITIVE, VH_PASS_KIND_DIRECT, VH_PASS_KIND_PRIMITIVE,
                                            VH_PASS_KIND_PRIMITIVE, VH_PASS_KIND_SHARED, VH_PASS_KIND_SHARED,
                                            VH_PASS_KIND_SHARED,    VH_PASS_KIND_PROXY};
  return kKinds[static_cast<int>(way)];
}

// Whether value is a TypedArray or DataView over a SharedArrayBuffer / a WebAssembly.Memory over
// shared memory (shared.cc). iso: the isolate value belongs to (not always the current
// one).
bool is_shared_view(v8::Isolate* iso, v8::Local<v8::Value> value);
bool is_shared_wasm_memory(v8::Isolate* iso, v8::Local<v8::Value> value);

// The one classifier: how value (of runtime from) crosses into runtime to. Runs no script and
// enters no context (it reads the value's own type, and a view's or memory's buffer).
inline Way classify(Runtime* from, Runtime* to, v8::Local<v8::Value> value) {
  if (from == to) return value->IsObject() || value->IsSymbol() ? Way::kDirect : Way::kAsIs;
  if (!value->IsObject()) return value->IsSymbol() ? Way::kSymbol : Way::kCopy;
  if (value->IsSharedArrayBuffer()) return Way::kSharedBuffer;
  if (is_shared_view(from->isolate, value)) return Way::kSharedView;
  if (is_shared_wasm_memory(from->isolate, value)) return Way::kSharedMemory;
  return Way::kProxy;
}

// Runs the strategy of way (classify(from, to->rt, value)): *out is value as engine to sees it.
// The calling thread holds both runtimes' locks; to's isolate is entered with a HandleScope
// open (the result is a Local in it); neither context need be entered: a strategy enters the
// one it needs (a new SharedArrayBuffer, view or proxy is made in to's realm; an identity id is
// read in the object's). On failure *out is untouched (VH_ENOMEM, VH_EHEAPLIMIT, VH_ETERMINATED;
// VH_ETYPE / VH_EEXCEPTION from a view over a growable buffer, pending in to). kSharedMemory
// falls back to a proxy when this V8 cannot carry the memory; *way then says kProxy.
int pass_way(Way* way, Runtime* from, v8::Local<v8::Value> value, Engine* to, v8::Local<v8::Value>* out);

// classify + pass_way, for the library's own crossings (arguments, results, proxy traps).
// how (may be null) receives what vh_pass would report. Inline: within one runtime it is a copy
// of the handle.
inline int pass_value(Runtime* from, v8::Local<v8::Value> value, Engine* to, v8::Local<v8::Value>* out,
                      vh_pass_kind* how) {
  Way way = classify(from, to->rt, value);
  if (way <= Way::kDirect) {
    *out = value;  // a Local is valid in every context of its isolate
  } else {
    int rc = pass_way(&way, from, value, to, out);
    if (rc != 0) return rc;
  }
  if (how) *how = pass_kind_of(way);
  return VH_OK;
}

// Such a Memory of runtime from as a WebAssembly.Memory of engine to over the same memory (its
// buffer is to's identity-cached SAB over the store). VH_OK; VH_ETYPE (this V8 does not carry
// it: make a proxy instead); VH_ETERMINATED.
int pass_wasm_memory(Runtime* from, v8::Local<v8::Object> memory, Engine* to, v8::Local<v8::Value>* out);

// Copies a string of isolate from into isolate to (one-byte strings stay one-byte: half the
// memory), as type (kInternalized for property keys: the lookup that follows needs no second
// internalization). Short strings go through a stack buffer: no allocation. VH_OK, VH_ENOMEM;
// VH_EHEAPLIMIT when a copy of 1 MiB or more, made while script of the receiving runtime runs,
// would not fit under its heap limit (that script is stopped then, marshal.cc copy_fits).
int copy_string(v8::Isolate* from, v8::Local<v8::String> s, v8::Isolate* to, v8::NewStringType type,
                v8::Local<v8::Value>* out);

// --- the shared-backing-store path (shared.cc) ---

// The shared path between runtimes, for a SharedArrayBuffer of runtime from: engine to's SAB
// over the same BackingStore (the same object for the same store while it lives in to: the
// engine's identity cache). to's isolate is entered with a HandleScope open; its context need
// not be (it is entered here when a new SAB is made). Cannot fail.
v8::Local<v8::SharedArrayBuffer> pass_shared_buffer(Runtime* from, v8::Local<v8::SharedArrayBuffer> src,
                                                    Engine* to);

// The same for a view over one (see is_shared_view): a view of the same kind, offset and length
// (length-tracking views stay length-tracking) over to's SAB. VH_OK; VH_ENOMEM; VH_ETYPE (a
// view over a growable buffer whose constructor script has replaced in to: none is trusted);
// VH_EEXCEPTION (that constructor threw: pending in to); VH_ETERMINATED.
int pass_shared_view(Runtime* from, v8::Local<v8::ArrayBufferView> view, Engine* to, v8::Local<v8::Value>* out);

// The byte length of view's window as script sees it now (shared.cc): its current
// length when length-tracking, 0 when the resized buffer no longer covers it. buffer is
// view->Buffer() (not detached), buffer_length its current byte length (the BackingStore's:
// the API's ByteLength() is 0 for a growable SAB on 10.2). The window starts at ByteOffset().
size_t view_window_length(v8::Isolate* iso, v8::Local<v8::ArrayBufferView> view,
                          v8::Local<v8::ArrayBuffer> buffer, size_t buffer_length);

// View kinds as numbers 0 .. view_kind_count() - 1 (shared.cc; the copy's byte form
// stores them): a view's kind, a kind's element size (1 for a DataView), and a new view of a
// kind over a non-growable buffer (length in elements, bytes for a DataView; the caller checks
// that the window lies inside the buffer).
int view_kind(v8::Local<v8::ArrayBufferView> view);
int view_kind_count();
size_t view_element_size(int kind);
v8::Local<v8::ArrayBufferView> new_view(int kind, v8::Local<v8::ArrayBuffer> buffer, size_t offset,
                                        size_t length);

// An argument value as call's engine sees it: a value of another runtime is passed in by the
// marshaling rules (pass_value).
int call_arg_across(const EngineCall& call, const Slot* slot, v8::Local<v8::Value>* out);  // marshal.cc
inline int call_arg(const EngineCall& call, vh_value value, v8::Local<v8::Value>* out) {
  const Slot* slot;
  VH_TRY(lookup_value(value, &slot));
  if (slot->rt != call.rt) return call_arg_across(call, slot, out);
  *out = slot->local;
  return VH_OK;
}

// An argument that must be an object.
inline int call_object_arg(const EngineCall& call, vh_value value, v8::Local<v8::Object>* out) {
  v8::Local<v8::Value> v;
  VH_TRY(call_arg(call, value, &v));
  if (!v->IsObject()) return VH_ETYPE;
  *out = v.As<v8::Object>();
  return VH_OK;
}

}  // namespace vh
