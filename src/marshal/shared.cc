// The shared-backing-store path of the marshaling layer: a SharedArrayBuffer, or a TypedArray /
// DataView over one, crossing runtimes becomes a new object of the destination realm over the
// very same memory (the source's std::shared_ptr<v8::BackingStore>): zero copy, O(1) in the size.
//
// What V8 10.2 (libnode 18, --harmony-rab-gsab) does here, checked on this machine — the design
// below follows from it:
//
// * Identity key. sab->GetBackingStore() hands out the internal i::BackingStore itself (a
//   shared_ptr to it, cast), so BackingStore::get() is the same pointer in every isolate that
//   has a SAB over the store, and it does not change when a growable SAB grows (a growable
//   shared store reserves maxByteLength up front and grows in place). Data() is stable across
//   grow() too, but every zero-length non-growable SAB has Data() == nullptr: not an identity.
//   So the cache key is the BackingStore pointer. It cannot be reused by another store while
//   the cached SAB lives (that SAB holds the store); once the weak Global is cleared the
//   entry is dead and is replaced.
//
// * Growable SABs and the public API. A growable SAB's JSArrayBuffer keeps its length in the
//   backing store, and its own byte_length field stays 0: SharedArrayBuffer::ByteLength()
//   returns 0 for every growable SAB (BackingStore::ByteLength() is right, and follows grow()),
//   and v8::<Kind>Array::New / DataView::New over a growable SAB — and ValueDeserializer, which
//   uses the same factory — die on CHECK(byte_length <= buffer->byte_length()). Views over a
//   growable SAB are therefore made by calling the realm's own constructor from C++
//   (new Int16Array(sab, offset[, length])), which takes the builtin's path. 10.2 has no public
//   "is growable" / MaxByteLength; ByteLength() == 0 is the tell (a zero-length non-growable SAB
//   also reads 0 and takes the slower path, harmlessly). SharedArrayBuffer::New(isolate, store)
//   keeps the store's growability and maxByteLength.
//
// * Length-tracking views (new Uint8Array(gsab, offset), no length). The public API cannot tell
//   them from fixed-length ones: TypedArray::Length() / ByteLength() return the length at
//   creation and are never updated (a tracking DataView even reports 0), and a fixed-length
//   view can cover the whole buffer by coincidence. ValueSerializer (format version 15 here)
//   writes the view's JSArrayBufferView flags, bit 0 = is_length_tracking, bit 1 =
//   is_backed_by_rab: serializing the view (the SAB goes out as an id through the delegate, no
//   bytes are copied, ~0.3-0.5 us) is the public way to read the bit. Only views over growable
//   SABs need it: V8 makes a view length-tracking only over a resizable/growable buffer.
//
// * view->Buffer() on an on-heap typed array (small `new Uint8Array(n)`) would move its data off
//   the heap into a new ArrayBuffer; HasBuffer() is false exactly for those, and such a view is
//   never SAB-backed, so it is asked first. For a view over a SAB, Buffer() only makes a handle.
#include <v8-version.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <optional>

#include "core/call.h"
#include "core/v8_compat.h"
#include "marshal/buffer_cache.h"
#include "marshal/marshal.h"
#include "v8host.h"

namespace vh {
namespace {

// The view kinds V8 10.2 has (no Float16Array yet), written once: X(Kind, V8 class, element
// size). The copy's byte form stores their numbers (view_kind(), copy.cc): append new kinds,
// never reorder. The global constructor of each is named after its V8 class.
#define VH_VIEW_KINDS(X)                         \
  X(Int8, Int8Array, 1)                          \
  X(Uint8, Uint8Array, 1)                        \
  X(Uint8Clamped, Uint8ClampedArray, 1)          \
  X(Int16, Int16Array, 2)                        \
  X(Uint16, Uint16Array, 2)                      \
  X(Int32, Int32Array, 4)                        \
  X(Uint32, Uint32Array, 4)                      \
  X(Float32, Float32Array, 4)                    \
  X(Float64, Float64Array, 8)                    \
  X(BigInt64, BigInt64Array, 8)                  \
  X(BigUint64, BigUint64Array, 8)                \
  X(DataView, DataView, 1)

enum class Kind {
#define VH_KIND_ENUM_(kind, cls, size) k##kind,
  VH_VIEW_KINDS(VH_KIND_ENUM_)
#undef VH_KIND_ENUM_
};

struct KindInfo {
  const char* name;  // the global constructor's name
  size_t element_size;
};

const KindInfo& info(Kind k) {
  static const KindInfo table[] = {
#define VH_KIND_INFO_(kind, cls, size) {#cls, size},
      VH_VIEW_KINDS(VH_KIND_INFO_)
#undef VH_KIND_INFO_
  };
  return table[static_cast<int>(k)];
}

bool is_kind(v8::Local<v8::Value> v, Kind k) {
  switch (k) {
#define VH_KIND_IS_(kind, cls, size) \
  case Kind::k##kind: return v->Is##cls();
    VH_VIEW_KINDS(VH_KIND_IS_)
#undef VH_KIND_IS_
  }
  return false;
}

Kind kind_of(v8::Local<v8::ArrayBufferView> v) {
#define VH_KIND_OF_(kind, cls, size) \
  if (v->Is##cls()) return Kind::k##kind;
  VH_VIEW_KINDS(VH_KIND_OF_)
#undef VH_KIND_OF_
  return Kind::kDataView;  // not reached: every view is one of the kinds
}

// A view through V8's API (length in elements; bytes for a DataView). Only over a buffer whose
// JSArrayBuffer byte_length is right: never over a growable SAB (see the top of the file).
template <typename Buffer>
v8::Local<v8::ArrayBufferView> api_view(Kind k, v8::Local<Buffer> b, size_t offset, size_t length) {
  switch (k) {
#define VH_KIND_NEW_(kind, cls, size) \
  case Kind::k##kind: return v8::cls::New(b, offset, length);
    VH_VIEW_KINDS(VH_KIND_NEW_)
#undef VH_KIND_NEW_
  }
  return {};
}

// The view's length as the API reports it: elements, or bytes for a DataView. Right for a
// fixed-length view; for a length-tracking one it is the length at creation.
size_t raw_length(v8::Local<v8::ArrayBufferView> v, Kind k) {
  return k == Kind::kDataView ? v->ByteLength() : v.As<v8::TypedArray>()->Length();
}

// Whether a SAB may be growable (see the top of the file). V8 10.2 reports ByteLength() 0 for
// every growable SAB. Other V8 versions are not verified: there every SAB is assumed growable,
// which costs the slower view path but stays correct.
bool may_be_growable(v8::Local<v8::SharedArrayBuffer> sab) {
#if VH_V8_GROWABLE_SAB_LENGTH_ZERO
  return sab->ByteLength() == 0;
#else
  (void)sab;
  return true;
#endif
}

// ---- the identity cache (marshal/buffer_cache.h) -------------------------------------------

// Whether a SAB's length is behind its store's: a shared WebAssembly memory grows its store in
// place, and the old buffer object keeps the old length (memory.buffer is a new SAB after
// grow()). A growable SAB follows its store; on V8 10.2 its ByteLength() reads 0 (see the top),
// as does a zero-length SAB: both count as current (so a shared wasm memory of 0 initial pages
// passed again after growing arrives at length 0 in an engine that already had it).
bool is_stale(v8::Local<v8::SharedArrayBuffer> sab, const v8::BackingStore& store) {
  size_t length = sab->ByteLength();
  return length != 0 && length != store.ByteLength();
}

// Holds sab weakly in slot: the cache never keeps a SAB alive; a phantom weak Global is
// cleared by the GC, no callback needed.
inline void hold_weakly(v8::Isolate* iso, v8::Global<v8::SharedArrayBuffer>& slot,
                        v8::Local<v8::SharedArrayBuffer> sab) {
  slot.Reset(iso, sab);
  slot.SetWeak();
}

// The engine of runtime from whose realm src was made, when from has several engines:
// nullptr when that engine was disposed (nobody can pass src's counterpart back there). Out of
// line: the usual runtime has one engine, and this needs a HandleScope of from.
__attribute__((noinline)) Engine* creation_engine(Runtime* from, v8::Local<v8::SharedArrayBuffer> src) {
  v8::HandleScope handles(from->isolate);
  v8::Local<v8::Context> home;
  if (!src->GetCreationContext().ToLocal(&home)) return nullptr;
  return engine_of(home);
}

// Registers a SAB of runtime from that is about to leave it in the cache of the engine it was
// made in, so that passing its counterpart back there yields the original object (round-trip
// identity), as for any other SAB over the store that engine has seen. Called whenever a pass
// made a new SAB: an engine's entry for a store address may be dead, and the address reused
// by another store, whose source is then not registered yet. A registered source stays so as
// long as it lives (a live entry's address cannot be reused), so this is one lookup.
inline void remember_home(Runtime* from, v8::Local<v8::SharedArrayBuffer> src, const void* key,
                          uint64_t hash) {
  // The usual case, and cheaper: with one engine, that is where the SAB lives (made there, or
  // in an engine since disposed, where nobody can pass it back to).
  Engine* e = from->engines.size() == 1 ? *from->engines.begin() : creation_engine(from, src);
  if (!e) return;
  v8::Global<v8::SharedArrayBuffer>& slot = e->shared_buffers->slot(key, hash);
  if (slot.IsEmpty()) {
    hold_weakly(from->isolate, slot, src);
    return;
  }
  // The home's own SAB is stale (its wasm memory grew) and src has the length of now: src is
  // what passing the store back must give.
  v8::HandleScope handles(from->isolate);
  v8::Local<v8::SharedArrayBuffer> home = slot.Get(from->isolate);
  if (src->ByteLength() != home->ByteLength() && !is_stale(src, *src->GetBackingStore()))
    hold_weakly(from->isolate, slot, src);
}

// Engine to's SAB over src's store (src: of runtime from; to's isolate entered, its context
// entered here if needed): the cached one while it lives, else a new one, remembered in to and,
// for the way back, at src's home. O(1) in the size: a JS object over the same store
// (growability and maxByteLength come with the store). Inline, with the cache's lookup: this is
// the whole of a share, and a share of a new buffer is otherwise V8's SharedArrayBuffer::New and
// little else.
inline v8::Local<v8::SharedArrayBuffer> share_buffer(Runtime* from, v8::Local<v8::SharedArrayBuffer> src,
                                                     Engine* to) {
  // The key is the store's address: see the top of the file (stable across isolates and grow).
  std::shared_ptr<v8::BackingStore> store = src->GetBackingStore();
  const void* key = store.get();
  uint64_t hash = BufferCache::hash(key);
  v8::Isolate* iso = to->rt->isolate;
  v8::Global<v8::SharedArrayBuffer>& slot = to->shared_buffers->slot(key, hash);
  if (!slot.IsEmpty()) {
    v8::Local<v8::SharedArrayBuffer> cached = slot.Get(iso);
    if (!is_stale(cached, *store)) return cached;
    // A WebAssembly memory grew in place since: a new SAB with the new length replaces it.
  }
  // A new SAB: the source's home table is consulted after V8 has made it; start loading the
  // line now (the table is usually cold when a new buffer arrives).
  if (from->engines.size() == 1) (*from->engines.begin())->shared_buffers->prefetch(key, hash);
  // A SAB is made in the isolate's current context's realm: the runtime records which engine's
  // context is entered on top. Only here: a buffer the engine has needs no context.
  std::optional<v8::Context::Scope> enter;
  if (to->rt->entered != to) enter.emplace(strong_local(to->context));
  v8::Local<v8::SharedArrayBuffer> sab = v8::SharedArrayBuffer::New(iso, std::move(store));
  hold_weakly(iso, slot, sab);
  remember_home(from, src, key, hash);
  return sab;
}

// ---- reading a view's length-tracking bit (source side) -----------------------------------

// Names every SAB with id 0: only the shape of the view's record is wanted.
class FlagsDelegate final : public v8::ValueSerializer::Delegate {
 public:
  void ThrowDataCloneError(v8::Local<v8::String>) override {}
  v8::Maybe<uint32_t> GetSharedArrayBufferId(v8::Isolate*, v8::Local<v8::SharedArrayBuffer>) override {
    return v8::Just<uint32_t>(0);
  }
};

bool read_varint(const uint8_t*& p, const uint8_t* end, uint64_t* out) {
  uint64_t v = 0;
  for (int shift = 0; p < end && shift < 64; shift += 7) {
    uint8_t b = *p++;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

// Parses what ValueSerializer wrote for a lone view: header (0xFF, version), the buffer
// ('u' id for a SAB, 't' id for a transferred ArrayBuffer), then 'V', subtag, offset, length
// and, from format version 14 on, the flags. Returns the flags, or -1 when the bytes are not
// that shape (then the caller treats the view as fixed-length).
int parse_view_flags(const uint8_t* p, size_t size) {
  const uint8_t* end = p + size;
  uint64_t version, ignored, flags;
  if (p == end || *p++ != 0xFF || !read_varint(p, end, &version)) return -1;
  if (p == end || (*p != 'u' && *p != 't')) return -1;
  ++p;
  if (!read_varint(p, end, &ignored)) return -1;
  if (p == end || *p++ != 'V') return -1;
  for (int i = 0; i < 3; ++i)  // subtag, offset, length
    if (!read_varint(p, end, &ignored)) return -1;
  if (version < 14) return 0;  // no flags then: no length-tracking views either
  if (!read_varint(p, end, &flags)) return -1;
  return static_cast<int>(flags & 0x7fffffff);
}

// Whether view (of isolate iso, whose lock this thread holds) is length-tracking. buffer is
// its buffer; a non-shared one is registered as transferred so that its bytes are not copied.
bool is_length_tracking(v8::Isolate* iso, v8::Local<v8::ArrayBufferView> view,
                        v8::Local<v8::ArrayBuffer> buffer) {
  v8::Local<v8::Context> ctx;
  if (!view->GetCreationContext().ToLocal(&ctx)) return false;
  // The serializer may allocate handles and consult the current isolate: enter the view's
  // (another runtime's scope may be the innermost one on this thread).
  std::optional<v8::Isolate::Scope> enter;
  if (v8::Isolate::GetCurrent() != iso) enter.emplace(iso);
  v8::HandleScope handles(iso);
  v8::TryCatch tc(iso);
  FlagsDelegate delegate;
  v8::ValueSerializer ser(iso, &delegate);
  if (!buffer.As<v8::Value>()->IsSharedArrayBuffer()) ser.TransferArrayBuffer(0, buffer);
  ser.WriteHeader();
  if (!ser.WriteValue(ctx, view).FromMaybe(false)) return false;
  std::pair<uint8_t*, size_t> bytes = ser.Release();
  int flags = parse_view_flags(bytes.first, bytes.second);
  std::free(bytes.first);  // the default delegate allocates with realloc
  return flags > 0 && (flags & 1);
}

// ---- views over a growable SAB (destination side) ------------------------------------------

// An own data property of a plain or function object, read without running script: through
// the property descriptor (GetOwnPropertyDescriptor calls no JS getter on a non-proxy), so a
// getter script put there is never called. False when absent or an accessor.
bool own_data_property(v8::Local<v8::Context> ctx, v8::Local<v8::Object> obj, const char* name,
                       v8::Local<v8::Value>* out) {
  v8::Isolate* iso = compat::isolate_of(ctx);
  if (obj->IsProxy()) return false;
  v8::Local<v8::String> key, value_key = v8::String::NewFromUtf8Literal(iso, "value");
  v8::Local<v8::Value> desc;
  if (!v8::String::NewFromUtf8(iso, name, v8::NewStringType::kInternalized).ToLocal(&key) ||
      !obj->GetOwnPropertyDescriptor(ctx, key).ToLocal(&desc) || !desc->IsObject())
    return false;
  v8::Local<v8::Object> d = desc.As<v8::Object>();
  // A data descriptor has an own "value"; an accessor's has none (and Get would then reach
  // Object.prototype, where script may have put anything).
  if (!d->HasOwnProperty(ctx, value_key).FromMaybe(false)) return false;
  return d->Get(ctx, value_key).ToLocal(out);
}

// Whether c is the realm's own constructor whose prototype is proto: a native function (no
// script), not bound, not a proxy, whose own "prototype" is proto. Script may replace the
// global Int16Array or Int16Array.prototype.constructor; such a replacement is refused here,
// so the marshaling layer never calls script of the destination.
bool is_intrinsic_constructor(v8::Local<v8::Context> ctx, v8::Local<v8::Value> c,
                              v8::Local<v8::Value> proto) {
  if (!c->IsFunction() || c->IsProxy()) return false;
  v8::Local<v8::Function> f = c.As<v8::Function>();
  if (f->ScriptId() != v8::UnboundScript::kNoScriptId || !f->GetBoundFunction()->IsUndefined())
    return false;
  v8::Local<v8::Value> p;
  return own_data_property(ctx, f, "prototype", &p) && p->StrictEquals(proto);
}

// The constructor of kind k of the realm of ctx (entered). Its prototype object comes from a
// view the API makes (V8 takes it from the native context, not from a property); the function
// is found through that prototype's "constructor" or the global of the same name and checked.
int intrinsic_constructor(v8::Local<v8::Context> ctx, Kind k, v8::Local<v8::Function>* out) {
  v8::Isolate* iso = compat::isolate_of(ctx);
  v8::Local<v8::Value> proto = compat::prototype_of(api_view(k, v8::ArrayBuffer::New(iso, 0), 0, 0));
  v8::Local<v8::Value> c;
  if (proto->IsObject() && own_data_property(ctx, proto.As<v8::Object>(), "constructor", &c) &&
      is_intrinsic_constructor(ctx, c, proto)) {
    *out = c.As<v8::Function>();
    return VH_OK;
  }
  if (own_data_property(ctx, ctx->Global(), info(k).name, &c) && is_intrinsic_constructor(ctx, c, proto)) {
    *out = c.As<v8::Function>();
    return VH_OK;
  }
  return VH_ETYPE;  // both replaced by script: no trustworthy constructor left in this realm
}

// new <Kind>(sab, offset[, length]) in the destination realm (ctx entered): the only way V8
// 10.2 makes a view over a growable SAB, and the only way to make a length-tracking one. The
// result is checked (kind, buffer, offset, length) before it is handed out.
int construct_view(Engine* to, v8::Local<v8::Context> ctx, Kind k, v8::Local<v8::SharedArrayBuffer> sab,
                   size_t offset, bool tracking, size_t length, v8::Local<v8::Value>* out) {
  v8::Isolate* iso = to->rt->isolate;
  v8::Local<v8::Function> ctor;
  VH_TRY(intrinsic_constructor(ctx, k, &ctor));
  v8::Local<v8::Value> argv[3] = {sab, v8::Number::New(iso, static_cast<double>(offset)),
                                  v8::Number::New(iso, static_cast<double>(length))};
  v8::TryCatch tc(iso);
  v8::Local<v8::Object> obj;
  if (!ctor->NewInstance(ctx, tracking ? 2 : 3, argv).ToLocal(&obj)) {
    if (tc.HasTerminated() || !tc.HasCaught()) return VH_ETERMINATED;
    record_pending(to, tc.Exception(), tc.Message());
    return VH_EEXCEPTION;
  }
  if (!is_kind(obj, k)) return VH_ETYPE;
  v8::Local<v8::ArrayBufferView> view = obj.As<v8::ArrayBufferView>();
  if (view->ByteOffset() != offset || !view->Buffer()->StrictEquals(sab) ||
      (!tracking && raw_length(view, k) != length))
    return VH_ETYPE;
  *out = obj;
  return VH_OK;
}

}  // namespace

bool is_shared_view(v8::Isolate* iso, v8::Local<v8::Value> value) {
  if (!value->IsArrayBufferView()) return false;
  v8::Local<v8::ArrayBufferView> view = value.As<v8::ArrayBufferView>();
  if (!view->HasBuffer()) return false;  // on-heap: its buffer is never shared (see the top)
  // Buffer() makes a handle in the view's isolate, which need not be the current one.
  v8::HandleScope handles(iso);
  return view->Buffer()->IsSharedArrayBuffer();
}

v8::Local<v8::SharedArrayBuffer> pass_shared_buffer(Runtime* from, v8::Local<v8::SharedArrayBuffer> src,
                                                    Engine* to) {
  return share_buffer(from, src, to);
}

int pass_shared_view(Runtime* from, v8::Local<v8::ArrayBufferView> view, Engine* to, v8::Local<v8::Value>* out) {
  v8::Local<v8::Context> ctx = strong_local(to->context);
  std::optional<v8::Context::Scope> enter;  // the views are made in to's realm
  if (to->rt->entered != to) enter.emplace(ctx);
  // Handles of the source runtime (its isolate need not be entered): the view's buffer, the
  // SAB's creation context.
  v8::HandleScope from_handles(from->isolate);
  v8::Local<v8::SharedArrayBuffer> src = view->Buffer().As<v8::Value>().As<v8::SharedArrayBuffer>();
  v8::Local<v8::SharedArrayBuffer> sab = share_buffer(from, src, to);
  Kind k = kind_of(view);
  size_t offset = view->ByteOffset();
  if (!may_be_growable(src)) {
    *out = api_view(k, sab, offset, raw_length(view, k));
    return VH_OK;
  }
  bool tracking = is_length_tracking(from->isolate, view, view->Buffer());
  return construct_view(to, ctx, k, sab, offset, tracking, tracking ? 0 : raw_length(view, k), out);
}

// ---- shared WebAssembly.Memory ----------------------------------------------------------------
//
// V8 10.2 has no API that makes a WasmMemoryObject over an existing store, but its
// ValueSerializer carries a shared one (as postMessage does between workers): tag
// kWasmMemoryTransfer, the maximum, then the buffer as a SharedArrayBuffer id the delegate
// names. The source side serializes the Memory with a delegate that keeps the buffer; the
// destination deserializes with a delegate that answers with the engine's SAB over the same
// store (share_buffer: the identity-cached one). V8 makes the Memory (WasmMemoryObject::New
// attaches it to the store, so a grow() on either side is seen by both, as between workers).

namespace {

class MemoryOutDelegate final : public v8::ValueSerializer::Delegate {
 public:
  void ThrowDataCloneError(v8::Local<v8::String>) override {}
  // GCC's -Wmaybe-uninitialized flags V8's own Nothing<T>() (an empty Maybe leaves its value
  // unset by design) once it is inlined here, under the sanitizers' optimisation levels.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
  v8::Maybe<uint32_t> GetSharedArrayBufferId(v8::Isolate*, v8::Local<v8::SharedArrayBuffer> sab) override {
    if (!buffer.IsEmpty()) return v8::Nothing<uint32_t>();  // one buffer per Memory
    buffer = sab;
    return v8::Just<uint32_t>(0);
  }
#pragma GCC diagnostic pop
  v8::Local<v8::SharedArrayBuffer> buffer;
};

class MemoryInDelegate final : public v8::ValueDeserializer::Delegate {
 public:
  explicit MemoryInDelegate(v8::Local<v8::SharedArrayBuffer> sab) : sab_(sab) {}
  v8::MaybeLocal<v8::SharedArrayBuffer> GetSharedArrayBufferFromId(v8::Isolate*, uint32_t id) override {
    if (id != 0) return {};
    return sab_;
  }

 private:
  v8::Local<v8::SharedArrayBuffer> sab_;
};

}  // namespace

bool is_shared_wasm_memory(v8::Isolate* iso, v8::Local<v8::Value> value) {
  if (!value->IsWasmMemoryObject()) return false;
  v8::HandleScope handles(iso);
  return value.As<v8::WasmMemoryObject>()->Buffer().As<v8::Value>()->IsSharedArrayBuffer();
}

int pass_wasm_memory(Runtime* from, v8::Local<v8::Object> memory, Engine* to, v8::Local<v8::Value>* out) {
  v8::Isolate* from_iso = from->isolate;
  std::pair<uint8_t*, size_t> bytes{nullptr, 0};
  v8::Local<v8::SharedArrayBuffer> src;
  {
    v8::Local<v8::Context> ctx;
    if (!memory->GetCreationContext().ToLocal(&ctx)) return VH_ETYPE;
    std::optional<v8::Isolate::Scope> enter;
    if (v8::Isolate::GetCurrent() != from_iso) enter.emplace(from_iso);
    v8::EscapableHandleScope handles(from_iso);
    v8::Context::Scope in_ctx(ctx);
    v8::TryCatch tc(from_iso);
    MemoryOutDelegate delegate;
    v8::ValueSerializer ser(from_iso, &delegate);
    ser.WriteHeader();
    if (!ser.WriteValue(ctx, memory).FromMaybe(false) || delegate.buffer.IsEmpty()) {
      std::free(ser.Release().first);
      return VH_ETYPE;  // this V8 does not carry it: the caller makes a proxy
    }
    bytes = ser.Release();
    src = handles.Escape(delegate.buffer);
  }
  v8::Local<v8::Context> ctx = strong_local(to->context);
  std::optional<v8::Context::Scope> enter;
  if (to->rt->entered != to) enter.emplace(ctx);
  v8::Local<v8::SharedArrayBuffer> sab = share_buffer(from, src, to);
  v8::Isolate* iso = to->rt->isolate;
  v8::TryCatch tc(iso);
  MemoryInDelegate delegate(sab);
  v8::ValueDeserializer des(iso, bytes.first, bytes.second, &delegate);
  v8::Local<v8::Value> result;
  bool ok = des.ReadHeader(ctx).FromMaybe(false) && des.ReadValue(ctx).ToLocal(&result) &&
            result->IsWasmMemoryObject();
  std::free(bytes.first);  // the default delegate allocates with realloc
  if (!ok) return tc.HasTerminated() ? VH_ETERMINATED : VH_ETYPE;
  *out = result;
  return VH_OK;
}

size_t view_window_length(v8::Isolate* iso, v8::Local<v8::ArrayBufferView> view,
                          v8::Local<v8::ArrayBuffer> buffer, size_t buffer_length) {
  Kind k = kind_of(view);
  size_t offset = view->ByteOffset();
  bool shared = buffer.As<v8::Value>()->IsSharedArrayBuffer();
  // A fixed buffer cannot have a length-tracking view; 10.2 cannot tell a resizable
  // ArrayBuffer from a fixed one, so every non-shared one is asked.
  bool tracking = buffer_length > 0 &&
                  (!shared || may_be_growable(buffer.As<v8::Value>().As<v8::SharedArrayBuffer>())) &&
                  is_length_tracking(iso, view, buffer);
  if (offset > buffer_length) return 0;
  if (tracking) {
    size_t element = info(k).element_size;
    return (buffer_length - offset) / element * element;
  }
  size_t length = raw_length(view, k) * info(k).element_size;
  return length <= buffer_length - offset ? length : 0;
}

int view_kind(v8::Local<v8::ArrayBufferView> view) { return static_cast<int>(kind_of(view)); }
int view_kind_count() { return static_cast<int>(Kind::kDataView) + 1; }
size_t view_element_size(int kind) { return info(static_cast<Kind>(kind)).element_size; }
v8::Local<v8::ArrayBufferView> new_view(int kind, v8::Local<v8::ArrayBuffer> buffer, size_t offset,
                                        size_t length) {
  return api_view(static_cast<Kind>(kind), buffer, offset, length);
}

}  // namespace vh
