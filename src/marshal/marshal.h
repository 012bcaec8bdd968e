// The marshaling layer's internal interface: passing a V8 value of one runtime into an engine
// of another (or the same) runtime. See include/v8host/marshal.h for the rules.
#pragma once

#include <v8.h>

#include "core/objects.h"
#include "v8host/marshal.h"

namespace vh {

// How a value crosses from one runtime into an engine (classify() decides, once; pass_way()
// runs the strategy). kAsIs / kDirect: the same runtime, the value itself (a primitive; an
// object or symbol). Between runtimes: kCopy (a primitive other than a symbol), kSymbol
// (pass_symbol's mapping), kSharedBuffer (a SharedArrayBuffer over the same store), kSharedView (a
// TypedArray / DataView over one), kSharedMemory (a WebAssembly.Memory over shared memory),
// kProxy (a host proxy: anything else).
enum class Way : uint8_t { kAsIs, kDirect, kCopy, kSymbol, kSharedBuffer, kSharedView, kSharedMemory, kProxy };

// What vh_pass reports for each way (Way's order).
inline vh_pass_kind pass_kind_of(Way way) {
  static constexpr vh_pass_kind kKinds[] = {VH_PASS_PRIMITIVE, VH_PASS_DIRECT, VH_PASS_PRIMITIVE,
                                            VH_PASS_PRIMITIVE, VH_PASS_SHARED, VH_PASS_SHARED,
                                            VH_PASS_SHARED,    VH_PASS_PROXY};
  return kKinds[static_cast<int>(way)];
}

// Whether value is a TypedArray or DataView over a SharedArrayBuffer / a WebAssembly.Memory over
// shared memory (marshal_shared.cc). iso: the isolate value belongs to (not always the current
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

// --- the shared-backing-store path (marshal_shared.cc) ---

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

// The byte length of view's window as script sees it now (marshal_shared.cc): its current
// length when length-tracking, 0 when the resized buffer no longer covers it. buffer is
// view->Buffer() (not detached), buffer_length its current byte length (the BackingStore's:
// the API's ByteLength() is 0 for a growable SAB on 10.2). The window starts at ByteOffset().
size_t view_window_length(v8::Isolate* iso, v8::Local<v8::ArrayBufferView> view,
                          v8::Local<v8::ArrayBuffer> buffer, size_t buffer_length);

// View kinds as numbers 0 .. view_kind_count() - 1 (marshal_shared.cc; the copy's byte form
// stores them): a view's kind, a kind's element size (1 for a DataView), and a new view of a
// kind over a non-growable buffer (length in elements, bytes for a DataView; the caller checks
// that the window lies inside the buffer).
int view_kind(v8::Local<v8::ArrayBufferView> view);
int view_kind_count();
size_t view_element_size(int kind);
v8::Local<v8::ArrayBufferView> new_view(int kind, v8::Local<v8::ArrayBuffer> buffer, size_t offset,
                                        size_t length);

}  // namespace vh
