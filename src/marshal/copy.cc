// The copy: a structured clone through V8's ValueSerializer / ValueDeserializer, between any two
// engines or to and from bytes (include/v8host/copy.h).
//
// V8's serializer does the object graph (cycles and shared references through its id map). The
// library's delegate adds what crosses runtimes differently:
// * SharedArrayBuffers go out as ids and come back through vh_pass()'s shared path
//   (pass_value: the same object within a runtime, a SAB over the same store with the
//   destination engine's identity cache across runtimes).
// * Every TypedArray and DataView is a "host object" here (SetTreatArrayBufferViewsAsHostObjects):
//   V8 10.2's deserializer builds views with a factory that dies on a CHECK for a view over a
//   growable SharedArrayBuffer (see shared.cc), so a view over a SAB takes
//   pass_shared_view (kind, offset, length-tracking kept), and a view over an ArrayBuffer is
//   written as its kind, its buffer (through the serializer again, so two views of one buffer
//   share it in the copy), its offset and its current window length, checked against the
//   buffer when read back.
// * WebAssembly.Module objects go out as ids and arrive compiled (FromCompiledModule).
// * Instances of host classes (objects with internal fields) are refused: DataCloneError.
// Also vh_array_buffer_copy(): a buffer's bytes copied into another runtime's new ArrayBuffer.
#include "marshal/copy.h"
#include "core/v8_compat.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "core/call.h"
#include "marshal/marshal.h"
#include "core/versioned.h"
#include "v8host.h"

namespace vh {

namespace {

// The host-object records of the library (a uint32 before each).
enum : uint32_t { kRecordView = 1, kRecordSharedView = 2 };

v8::Local<v8::String> text(v8::Isolate* iso, const char* s) {
  return v8::String::NewFromUtf8(iso, s).FromMaybe(v8::String::Empty(iso));
}

}  // namespace

void throw_data_clone_error(v8::Isolate* iso, v8::Local<v8::String> message) {
  v8::Local<v8::Value> error = v8::Exception::Error(message);
  v8::Local<v8::Context> ctx = iso->GetCurrentContext();
  if (error->IsObject() && !ctx.IsEmpty()) {
    // An own data property on a fresh Error: no setter of script runs.
    if (error.As<v8::Object>()->CreateDataProperty(ctx, text(iso, "name"), text(iso, "DataCloneError")).IsNothing()) {
      // Not reached for a fresh Error; the Error is thrown as it is then.
    }
  }
  iso->ThrowException(error);
}

void throw_data_clone_error(v8::Isolate* iso, const char* message) {
  throw_data_clone_error(iso, text(iso, message));
}

// v8::Nothing<T>() leaves the Maybe's value uninitialized by design; GCC (with the sanitizers'
// inlining) reports copying it as -Wmaybe-uninitialized, a false positive in V8's header.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
class Copier final : public v8::ValueSerializer::Delegate, public v8::ValueDeserializer::Delegate {
 public:
  Copier(Runtime* from, bool bytes_form)
      : from_(from), bytes_form_(bytes_form), ser_(from->isolate, this) {
    ser_.SetTreatArrayBufferViewsAsHostObjects(true);
  }

  bool write(v8::Local<v8::Context> ctx, v8::Local<v8::Value> value,
             const std::vector<v8::Local<v8::ArrayBuffer>>& transfer) {
    ctx_ = ctx;
    for (size_t i = 0; i < transfer.size(); ++i) {
      ser_.TransferArrayBuffer(static_cast<uint32_t>(i), transfer[i]);
      transfer_.push_back(transfer[i]);
      stores_.push_back(transfer[i]->GetBackingStore());
    }
    ser_.WriteHeader();
    bool ok = ser_.WriteValue(ctx, value).FromMaybe(false);
    if (ok) bytes_ = ser_.Release();
    return ok;
  }

  v8::MaybeLocal<v8::Value> read(v8::Local<v8::Context> ctx, Engine* to) {
    v8::Isolate* iso = compat::isolate_of(ctx);
    // The shared path first: V8 forbids script while it deserializes, and rebuilding a view over
    // a growable SAB calls the destination realm's constructor (shared.cc).
    for (v8::Global<v8::Value>& g : shared_) {
      v8::Local<v8::Value> passed;
      if (pass_value(from_, g.Get(iso_of_from()), to, &passed, nullptr) != VH_OK) {
        throw_data_clone_error(iso, "a SharedArrayBuffer or a view over one could not be shared into the destination");
        return {};
      }
      resolved_.push_back(passed);
    }
    v8::ValueDeserializer des(iso, bytes_.first, bytes_.second, this);
    des_ = &des;
    for (size_t i = 0; i < stores_.size(); ++i)
      des.TransferArrayBuffer(static_cast<uint32_t>(i), v8::ArrayBuffer::New(iso, stores_[i]));
    v8::MaybeLocal<v8::Value> result;
    if (des.ReadHeader(ctx).FromMaybe(false)) result = des.ReadValue(ctx);
    des_ = nullptr;
    return result;
  }

  // Reads bytes of the byte form (no source: no ids to resolve).
  static v8::MaybeLocal<v8::Value> read_bytes(v8::Local<v8::Context> ctx, const uint8_t* data, size_t size) {
    Copier reader(compat::isolate_of(ctx));
    v8::ValueDeserializer des(compat::isolate_of(ctx), data, size, &reader);
    reader.des_ = &des;
    if (!des.ReadHeader(ctx).FromMaybe(false)) return {};
    return des.ReadValue(ctx);
  }

  void finish() {
    for (v8::Local<v8::ArrayBuffer> ab : transfer_) ab->Detach();
  }

  std::pair<uint8_t*, size_t> release() {
    std::pair<uint8_t*, size_t> b = bytes_;
    bytes_ = {nullptr, 0};
    return b;
  }

  ~Copier() override { std::free(bytes_.first); }

  // ---- ValueSerializer::Delegate (source isolate) ----

  void ThrowDataCloneError(v8::Local<v8::String> message) override {
    throw_data_clone_error(from_->isolate, message);
  }

  v8::Maybe<bool> WriteHostObject(v8::Isolate* iso, v8::Local<v8::Object> object) override {
    if (!object->IsArrayBufferView()) {
      throw_data_clone_error(iso, "an instance of a host class cannot be copied");
      return v8::Nothing<bool>();
    }
    v8::Local<v8::ArrayBufferView> view = object.As<v8::ArrayBufferView>();
    if (is_shared_view(iso, view)) {
      uint32_t id;
      if (!keep(iso, &shared_, view, "a SharedArrayBuffer cannot be written to bytes").To(&id))
        return v8::Nothing<bool>();
      ser_.WriteUint32(kRecordSharedView);
      ser_.WriteUint32(id);
      return v8::Just(true);
    }
    int kind = view_kind(view);
    v8::Local<v8::ArrayBuffer> buffer = view->Buffer();
    size_t window = buffer->WasDetached() ? 0 : view_window_length(iso, view, buffer, buffer->ByteLength());
    ser_.WriteUint32(kRecordView);
    ser_.WriteUint32(static_cast<uint32_t>(kind));
    // The buffer through the serializer: a detached one is refused there (DataCloneError), one
    // seen before becomes a back reference.
    if (!ser_.WriteValue(ctx_, buffer).FromMaybe(false)) return v8::Nothing<bool>();
    ser_.WriteUint64(window ? view->ByteOffset() : 0);
    ser_.WriteUint64(window / view_element_size(kind));
    return v8::Just(true);
  }

  v8::Maybe<uint32_t> GetSharedArrayBufferId(v8::Isolate* iso, v8::Local<v8::SharedArrayBuffer> sab) override {
    return keep(iso, &shared_, sab, "a SharedArrayBuffer cannot be written to bytes");
  }

  v8::Maybe<uint32_t> GetWasmModuleTransferId(v8::Isolate* iso, v8::Local<v8::WasmModuleObject> module) override {
    return keep(iso, &modules_, module, "a WebAssembly.Module cannot be written to bytes");
  }

  // A value the copy holds by reference (a SharedArrayBuffer or a view over one, a
  // WebAssembly.Module): kept in list, its index there the id its record carries. The bytes
  // form holds no references: there it is refused with a DataCloneError (refusal).
  template <typename T, typename V>
  v8::Maybe<uint32_t> keep(v8::Isolate* iso, std::vector<v8::Global<T>>* list, v8::Local<V> value,
                           const char* refusal) {
    if (bytes_form_) {
      throw_data_clone_error(iso, refusal);
      return v8::Nothing<uint32_t>();
    }
    list->emplace_back(iso, value);
    return v8::Just(static_cast<uint32_t>(list->size() - 1));
  }

  // ---- ValueDeserializer::Delegate (destination isolate) ----

  v8::MaybeLocal<v8::Object> ReadHostObject(v8::Isolate* iso) override {
    uint32_t record = 0, id = 0;
    if (!des_->ReadUint32(&record)) return fail(iso);
    if (record == kRecordSharedView) {
      if (!des_->ReadUint32(&id) || id >= resolved_.size() || !resolved_[id]->IsArrayBufferView()) return fail(iso);
      return resolved_[id].As<v8::Object>();
    }
    if (record != kRecordView) return fail(iso);
    uint32_t kind;
    uint64_t offset, length;
    v8::Local<v8::Value> buffer;
    if (!des_->ReadUint32(&kind) || kind >= static_cast<uint32_t>(view_kind_count())) return fail(iso);
    if (!des_->ReadValue(iso->GetCurrentContext()).ToLocal(&buffer)) return {};
    if (!buffer->IsArrayBuffer() || !des_->ReadUint64(&offset) || !des_->ReadUint64(&length)) return fail(iso);
    // Checked, not trusted (the bytes may come from anywhere): the window must lie inside the
    // buffer, aligned to the element size.
    v8::Local<v8::ArrayBuffer> ab = buffer.As<v8::ArrayBuffer>();
    size_t element = view_element_size(static_cast<int>(kind));
    size_t size = ab->ByteLength();
    if (offset > size || length > (size - offset) / element || offset % element != 0) return fail(iso);
    return new_view(static_cast<int>(kind), ab, static_cast<size_t>(offset), static_cast<size_t>(length));
  }

  v8::MaybeLocal<v8::SharedArrayBuffer> GetSharedArrayBufferFromId(v8::Isolate* iso, uint32_t id) override {
    if (id >= resolved_.size() || !resolved_[id]->IsSharedArrayBuffer()) return fail_sab(iso);
    return resolved_[id].As<v8::SharedArrayBuffer>();
  }

  v8::MaybeLocal<v8::WasmModuleObject> GetWasmModuleFromId(v8::Isolate* iso, uint32_t id) override {
    if (id >= modules_.size()) {
      fail(iso);
      return {};
    }
    return v8::WasmModuleObject::FromCompiledModule(iso, modules_[id].Get(iso_of_from())->GetCompiledModule());
  }

 private:
  // A reader of the byte form: no source, nothing to resolve by id.
  explicit Copier(v8::Isolate* iso) : from_(nullptr), bytes_form_(true), ser_(iso, this) {}

  // A handle of the source isolate made from a Global: the source's handle scope of the copy
  // is still open (a HandleScope is per isolate, whichever isolate is current).
  v8::Isolate* iso_of_from() const { return from_->isolate; }

  v8::MaybeLocal<v8::Object> fail(v8::Isolate* iso) {
    iso->ThrowException(v8::Exception::Error(text(iso, "malformed copy data")));
    return {};
  }
  v8::MaybeLocal<v8::SharedArrayBuffer> fail_sab(v8::Isolate* iso) {
    fail(iso);
    return {};
  }

  Runtime* from_;
  bool bytes_form_;
  v8::ValueSerializer ser_;
  v8::ValueDeserializer* des_ = nullptr;
  v8::Local<v8::Context> ctx_;
  std::pair<uint8_t*, size_t> bytes_{nullptr, 0};
  // SABs and views over them, and wasm modules, by id. Globals: the Locals V8 hands the delegate
  // live in the serializer's own handle scopes, gone when WriteValue returns.
  std::vector<v8::Global<v8::Value>> shared_;
  std::vector<v8::Global<v8::WasmModuleObject>> modules_;
  // shared_ passed into the destination before reading (its handles, in read()'s caller's scope).
  std::vector<v8::Local<v8::Value>> resolved_;
  std::vector<v8::Local<v8::ArrayBuffer>> transfer_;
  std::vector<std::shared_ptr<v8::BackingStore>> stores_;
};

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

Copy::Copy(Runtime* from, bool bytes_form) : impl_(std::make_unique<Copier>(from, bytes_form)) {}
Copy::~Copy() = default;
bool Copy::write(v8::Local<v8::Context> ctx, v8::Local<v8::Value> value,
                 const std::vector<v8::Local<v8::ArrayBuffer>>& transfer) {
  return impl_->write(ctx, value, transfer);
}
v8::MaybeLocal<v8::Value> Copy::read(v8::Local<v8::Context> ctx, Engine* to) { return impl_->read(ctx, to); }
void Copy::finish() { impl_->finish(); }
std::pair<uint8_t*, size_t> Copy::release() { return impl_->release(); }

v8::MaybeLocal<v8::Value> read_bytes(v8::Local<v8::Context> ctx, const uint8_t* data, size_t size) {
  return Copier::read_bytes(ctx, data, size);
}

}  // namespace vh

// ---- the C API ----------------------------------------------------------------------------------

using namespace vh;

namespace {

constexpr size_t kMaxTransfers = 65536;

// The byte form's header: magic "VHCB", the format version, three zero bytes, the payload's
// length (uint64, little-endian), then V8's own wire format (which carries V8's version).
constexpr uint8_t kMagic[4] = {'V', 'H', 'C', 'B'};
constexpr uint8_t kFormatVersion = 1;
constexpr size_t kHeaderSize = 16;

void put_u64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint64_t get_u64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

// The transfer list as ArrayBuffers of runtime rt: each a detachable, attached ArrayBuffer,
// listed once.
int transfer_list(Runtime* rt, const vh_copy_options& opts, std::vector<v8::Local<v8::ArrayBuffer>>* out) {
  for (size_t i = 0; i < opts.transfer_count; ++i) {
    const Slot* slot;
    VH_TRY(lookup_value(opts.transfer[i], &slot));
    v8::Local<v8::Value> v = slot->local;
    if (slot->rt != rt || !v->IsArrayBuffer()) return VH_ETYPE;
    v8::Local<v8::ArrayBuffer> ab = v.As<v8::ArrayBuffer>();
    if (ab->WasDetached()) return VH_EDETACHED;
    if (!ab->IsDetachable()) return VH_ETYPE;
    for (v8::Local<v8::ArrayBuffer> seen : *out)
      if (seen->StrictEquals(ab)) return VH_ETYPE;
    out->push_back(ab);
  }
  return VH_OK;
}

// The value to copy, which must be of the call's runtime.
int source_value(const EngineCall& call, vh_value value, v8::Local<v8::Value>* out) {
  const Slot* slot;
  VH_TRY(lookup_value(value, &slot));
  if (slot->rt != call.rt) return VH_ERUNTIME_MISMATCH;
  *out = slot->local;
  return VH_OK;
}

}  // namespace

extern "C" {

int vh_engine_copy(vh_engine from, vh_value value, vh_engine to, const vh_copy_options* options,
                   vh_value* out) {
  if (!out) return VH_EINVAL;
  vh_copy_options opts{};
  opts.struct_size = sizeof opts;
  if (options) VH_TRY(copy_versioned(options, sizeof(vh_copy_options), &opts));
  if (opts.transfer_count && !opts.transfer) return VH_EINVAL;
  if (opts.transfer_count > kMaxTransfers) return VH_ERANGE;
  EngineCall src;
  VH_TRY(src.enter(from, true));
  // The destination is checked before anything runs in the source.
  Engine* dst;
  VH_TRY(resolve_engine(to, &dst));
  if (dst->rt != src.rt && dst->rt->lock_owner.load(std::memory_order_relaxed) != src.ts->ordinal)
    return not_locked_status(dst->rt);
  // The source's handles of this copy. Escapable: within one runtime the result is made under
  // this scope too and must outlive it.
  v8::EscapableHandleScope handles(src.isolate);
  v8::Local<v8::Value> v;
  VH_TRY(source_value(src, value, &v));
  std::vector<v8::Local<v8::ArrayBuffer>> transfer;
  VH_TRY(transfer_list(src.rt, opts, &transfer));
  Copy copy(src.rt, false);
  {
    v8::TryCatch tc(src.isolate);
    if (!copy.write(src.context, v, transfer)) return src.failed(tc);
  }
  EngineCall dest;
  VH_TRY(dest.enter(to, false));
  v8::EscapableHandleScope dest_handles(dest.isolate);
  v8::Local<v8::Value> result;
  {
    v8::TryCatch tc(dest.isolate);
    if (!copy.read(dest.context, dest.engine).ToLocal(&result)) return dest.failed(tc);
  }
  copy.finish();
  result = dest_handles.Escape(result);
  if (dest.isolate == src.isolate) result = handles.Escape(result);
  *out = dest.result(result);
  return VH_OK;
}

int vh_engine_copy_to_bytes(vh_engine engine, vh_value value, uint8_t** bytes, size_t* length) {
  if (!bytes || !length) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, true));
  v8::HandleScope handles(call.isolate);
  v8::Local<v8::Value> v;
  VH_TRY(source_value(call, value, &v));
  Copy copy(call.rt, true);
  {
    v8::TryCatch tc(call.isolate);
    if (!copy.write(call.context, v, {})) return call.failed(tc);
  }
  std::pair<uint8_t*, size_t> payload = copy.release();
  uint8_t* buffer = static_cast<uint8_t*>(std::malloc(kHeaderSize + payload.second));
  if (!buffer) {
    std::free(payload.first);
    return VH_ENOMEM;
  }
  std::memcpy(buffer, kMagic, 4);
  buffer[4] = kFormatVersion;
  buffer[5] = buffer[6] = buffer[7] = 0;
  put_u64(buffer + 8, payload.second);
  if (payload.second) std::memcpy(buffer + kHeaderSize, payload.first, payload.second);
  std::free(payload.first);
  *bytes = buffer;
  *length = kHeaderSize + payload.second;
  return VH_OK;
}

int vh_engine_copy_from_bytes(vh_engine engine, const uint8_t* bytes, size_t length, vh_value* out) {
  if (!out || (!bytes && length)) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  if (length < kHeaderSize || std::memcmp(bytes, kMagic, 4) != 0 || bytes[4] != kFormatVersion ||
      bytes[5] || bytes[6] || bytes[7] || get_u64(bytes + 8) != length - kHeaderSize)
    return VH_EBADDATA;
  v8::EscapableHandleScope handles(call.isolate);
  v8::TryCatch tc(call.isolate);
  v8::Local<v8::Value> result;
  if (!read_bytes(call.context, bytes + kHeaderSize, length - kHeaderSize).ToLocal(&result)) {
    // Whatever was thrown (V8's "Unable to deserialize", a stack overflow on deep nesting, the
    // library's checks) means the bytes are bad; it is not left pending. A termination is not
    // the bytes' fault.
    if (tc.HasTerminated()) return call.failed(tc);
    return VH_EBADDATA;
  }
  *out = call.result(handles.Escape(result));
  return VH_OK;
}

}  // extern "C"

// ---- vh_array_buffer_copy: the explicit copy of a buffer's bytes into another runtime ----

namespace {

// The bytes of an ArrayBuffer, SharedArrayBuffer or view (of isolate iso, whose lock this
// thread holds), as script sees them now, copied into memory from alloc (alloc->Free releases
// it). VH_ETYPE for anything else, VH_ENOMEM.
int copy_bytes(v8::Isolate* iso, v8::Local<v8::Value> v, v8::ArrayBuffer::Allocator* alloc, void** data,
               size_t* size) {
  v8::HandleScope handles(iso);
  const uint8_t* src = nullptr;
  size_t n = 0;
  std::shared_ptr<v8::BackingStore> store;  // keeps src alive while we copy
  v8::Local<v8::ArrayBufferView> on_heap;
  if (v->IsArrayBuffer() || v->IsSharedArrayBuffer()) {
    store = v->IsArrayBuffer() ? v.As<v8::ArrayBuffer>()->GetBackingStore()
                               : v.As<v8::SharedArrayBuffer>()->GetBackingStore();
    // The store's length is the current one for resizable and growable buffers too (the
    // API's ByteLength() is 0 for a growable SAB); a detached buffer's store is empty.
    n = store->Data() ? store->ByteLength() : 0;
    src = static_cast<const uint8_t*>(store->Data());
  } else if (v->IsArrayBufferView()) {
    v8::Local<v8::ArrayBufferView> view = v.As<v8::ArrayBufferView>();
    if (!view->HasBuffer()) {
      // On-heap (small, fixed, never resizable): CopyContents reads it without moving it.
      on_heap = view;
      n = view->ByteLength();
    } else {
      // The API's offset and length are those at creation: a view over a resizable buffer
      // may since have gone out of bounds (it reads as empty in script), and a length-tracking
      // one has another length. CopyContents would trust them and read past the end of a
      // shrunk buffer, so the bounds are worked out here as script sees them.
      v8::Local<v8::ArrayBuffer> buffer = view->Buffer();
      store = buffer->GetBackingStore();
      size_t buffer_length = store->Data() ? store->ByteLength() : 0;
      n = view_window_length(iso, view, buffer, buffer_length);
      src = static_cast<const uint8_t*>(store->Data()) + (n ? view->ByteOffset() : 0);
    }
  } else {
    return VH_ETYPE;
  }
  if (n == 0) {
    *data = nullptr;
    *size = 0;
    return VH_OK;
  }
  void* copy = alloc->AllocateUninitialized(n);
  if (!copy) return VH_ENOMEM;
  if (!on_heap.IsEmpty())
    n = on_heap->CopyContents(copy, n);
  else
    std::memcpy(copy, src, n);
  *data = copy;
  *size = n;
  return VH_OK;
}

using AllocatorRef = std::shared_ptr<v8::ArrayBuffer::Allocator>;

// A copy's deleter: frees it through the allocator that made it, held until then (the store
// may outlive the runtime).
void free_copy(void* data, size_t size, void* holder) {
  AllocatorRef* alloc = static_cast<AllocatorRef*>(holder);
  (*alloc)->Free(data, size);
  delete alloc;
}

// A new ArrayBuffer of the current isolate holding a copy of value's bytes (value: of a runtime
// this thread holds, see lookup_value).
int copy_into(v8::Isolate* iso, const Slot& slot, v8::Local<v8::ArrayBuffer>* out) {
  // The copy is made by the target runtime's ArrayBuffer::Allocator, the one V8 itself uses for
  // that isolate's buffers: in a sandboxed V8 (V8_ENABLE_SANDBOX) a backing store must lie
  // inside the sandbox, which memory from malloc does not. Not ArrayBuffer::New(isolate, size):
  // that ends the process when the allocation fails; this returns VH_ENOMEM.
  const AllocatorRef& allocator = runtime_of(iso)->allocator;
  std::unique_ptr<AllocatorRef> holder(new (std::nothrow) AllocatorRef(allocator));
  if (!holder) return VH_ENOMEM;
  void* data;
  size_t size;
  // The copy is made inside its own HandleScope of the source isolate (which may be this
  // one): the new buffer is made after it closed, in the caller's scope.
  VH_TRY(copy_bytes(slot.rt->isolate, slot.local, allocator.get(), &data, &size));
  if (size == 0) {
    *out = v8::ArrayBuffer::New(iso, 0);
    return VH_OK;
  }
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(data, size, free_copy, holder.release());
  *out = v8::ArrayBuffer::New(iso, std::move(store));
  return VH_OK;
}

}  // namespace

extern "C" {

// GCC 12 at -O3 (the Release build) warns that the Context::Scope in EngineCall's
// std::optional may be destroyed uninitialized: a known false positive of -Wmaybe-uninitialized
// with std::optional (the scope is only destroyed when it was emplaced).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
int vh_array_buffer_copy(vh_engine to, vh_value value, vh_value* out) {
  if (!out) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(to, false));
  const Slot* slot;
  VH_TRY(lookup_value(value, &slot));
  v8::Local<v8::ArrayBuffer> ab;
  VH_TRY(copy_into(call.isolate, *slot, &ab));
  *out = call.result(ab);
  return VH_OK;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // extern "C"
