// Memory the host touches directly: buffers V8 allocates for the host to fill, buffers and
// strings over host memory, and the data pointer of a buffer or view (include/v8host/buffer.h).
#include <memory>
#include <optional>

#include "core/call.h"
#include "marshal/marshal.h"
#include "v8host.h"

using namespace vh;

namespace {

// V8 builds with the sandbox refuse backing stores outside the sandbox (10.x called the
// feature V8_SANDBOXED_POINTERS, 11.x V8_ENABLE_SANDBOX).
#if defined(V8_ENABLE_SANDBOX) || defined(V8_SANDBOXED_POINTERS)
constexpr bool kExternalMemoryAllowed = false;
#else
constexpr bool kExternalMemoryAllowed = true;
#endif

// Memory from a runtime's allocator, freed by that allocator whenever V8 drops the store: the
// store may outlive the runtime (a SharedArrayBuffer passed to another runtime, a transferred
// ArrayBuffer), so the deleter keeps the allocator alive itself.
struct AllocatorHold {
  std::shared_ptr<v8::ArrayBuffer::Allocator> allocator;
};

void free_allocated(void* data, size_t length, void* hold) {
  auto* h = static_cast<AllocatorHold*>(hold);
  h->allocator->Free(data, length);
  delete h;
}

// Memory of the host, handed back through its callback.
struct HostFree {
  vh_free_cb cb;
  void* user;
};

void free_host(void* data, size_t length, void* host) {
  auto* h = static_cast<HostFree*>(host);
  if (h->cb) h->cb(data, length, h->user);
  delete h;
}

// A backing store of `length` zero bytes from the runtime's allocator. V8's own
// ArrayBuffer::NewBackingStore(isolate, length) ends the process when the allocation fails; the
// allocator itself reports failure, so a huge length is VH_ENOMEM here.
template <typename Buffer>
int allocate_store(Runtime* rt, size_t length, std::unique_ptr<v8::BackingStore>* out) {
  if (length > VH_ARRAY_BUFFER_MAX_LENGTH) return VH_ERANGE;
  if (length == 0) {
    // V8 never calls the deleter of a store without memory: nothing to hold or free.
    *out = Buffer::NewBackingStore(nullptr, 0, v8::BackingStore::EmptyDeleter, nullptr);
    return VH_OK;
  }
  void* data = rt->allocator->Allocate(length);  // zero-filled
  if (!data) return VH_ENOMEM;
  auto* hold = new (std::nothrow) AllocatorHold{rt->allocator};
  if (!hold) {
    rt->allocator->Free(data, length);
    return VH_ENOMEM;
  }
  *out = Buffer::NewBackingStore(data, length, free_allocated, hold);
  return VH_OK;
}

template <typename Buffer>
int new_buffer(vh_engine engine, size_t length, void** data, vh_value* out) {
  if (!out) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  std::unique_ptr<v8::BackingStore> store;
  VH_TRY(allocate_store<Buffer>(call.rt, length, &store));
  void* bytes = store->Data();
  v8::Local<Buffer> buffer = Buffer::New(call.isolate, std::move(store));
  if (data) *data = length ? bytes : nullptr;
  *out = call.result(buffer);
  return VH_OK;
}

template <typename Buffer>
int new_external_buffer(vh_engine engine, void* data, size_t length, vh_free_cb free_cb, void* user,
                        vh_value* out) {
  if (!data || !out) return VH_EINVAL;
  if (length > VH_ARRAY_BUFFER_MAX_LENGTH) return VH_ERANGE;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  if (!kExternalMemoryAllowed) return VH_ENOTSUP;
  auto* host = new (std::nothrow) HostFree{free_cb, user};
  if (!host) return VH_ENOMEM;
  std::shared_ptr<v8::BackingStore> store = Buffer::NewBackingStore(data, length, free_host, host);
  *out = call.result(Buffer::New(call.isolate, std::move(store)));
  return VH_OK;
}

// The string resources V8 reads in place; Dispose is V8's "done with it" (the one call of the
// host's free callback).
template <typename Base, typename Char>
class ExternalString final : public Base {
 public:
  ExternalString(const Char* data, size_t length, vh_free_cb cb, void* user)
      : data_(data), length_(length), cb_(cb), user_(user) {}
  const Char* data() const override { return data_; }
  size_t length() const override { return length_; }
  void Dispose() override {
    if (cb_) cb_(const_cast<Char*>(data_), length_, user_);
    delete this;
  }

 private:
  const Char* data_;
  size_t length_;
  vh_free_cb cb_;
  void* user_;
};

using ExternalLatin1 = ExternalString<v8::String::ExternalOneByteStringResource, char>;
using ExternalUtf16 = ExternalString<v8::String::ExternalStringResource, uint16_t>;

template <typename Resource, typename Char, typename Make>
int new_external_string(vh_engine engine, const Char* data, size_t length, vh_free_cb free_cb,
                        void* user, vh_value* out, Make make) {
  if (!data || !out) return VH_EINVAL;
  // Checked before V8 sees the resource: V8 refuses a too-long one without disposing it.
  if (length > static_cast<size_t>(v8::String::kMaxLength)) return VH_ERANGE;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  auto* resource = new (std::nothrow) Resource(data, length, free_cb, user);
  if (!resource) return VH_ENOMEM;
  v8::Local<v8::String> s;
  if (!make(call.isolate, resource).ToLocal(&s)) {
    // Not reached within the bounds above; V8 kept nothing, so the resource is still ours.
    delete resource;
    return VH_ENOMEM;
  }
  *out = call.result(s);
  return VH_OK;
}

}  // namespace

extern "C" {

int vh_new_array_buffer(vh_engine engine, size_t length, void** data, vh_value* out) {
  return new_buffer<v8::ArrayBuffer>(engine, length, data, out);
}

int vh_new_shared_array_buffer(vh_engine engine, size_t length, void** data, vh_value* out) {
  return new_buffer<v8::SharedArrayBuffer>(engine, length, data, out);
}

int vh_new_external_array_buffer(vh_engine engine, void* data, size_t length, vh_free_cb free_cb,
                                 void* user, vh_value* out) {
  return new_external_buffer<v8::ArrayBuffer>(engine, data, length, free_cb, user, out);
}

int vh_new_external_shared_array_buffer(vh_engine engine, void* data, size_t length,
                                        vh_free_cb free_cb, void* user, vh_value* out) {
  return new_external_buffer<v8::SharedArrayBuffer>(engine, data, length, free_cb, user, out);
}

int vh_array_buffer_detach(vh_engine engine, vh_value buffer) {
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  v8::Local<v8::Value> v;
  VH_TRY(call_arg(call, buffer, &v));
  if (!v->IsArrayBuffer() || !v.As<v8::ArrayBuffer>()->IsDetachable()) return VH_ETYPE;
  v.As<v8::ArrayBuffer>()->Detach();
  return VH_OK;
}

int vh_array_buffer_data(vh_value value, void** data, size_t* length) {
  const Slot* slot;
  VH_TRY(lookup_value(value, &slot));
  v8::Local<v8::Value> v = slot->local;
  void* base;
  size_t size;
  if (v->IsArrayBuffer()) {
    v8::Local<v8::ArrayBuffer> ab = v.As<v8::ArrayBuffer>();
    if (ab->WasDetached()) return VH_EDETACHED;
    base = ab->Data();
    size = ab->ByteLength();
  } else if (v->IsSharedArrayBuffer()) {
    // The store's length: the API's ByteLength() reads 0 for a growable SAB on V8 10.2.
    std::shared_ptr<v8::BackingStore> store = v.As<v8::SharedArrayBuffer>()->GetBackingStore();
    base = store->Data();
    size = store->ByteLength();
  } else if (v->IsArrayBufferView()) {
    v8::Local<v8::ArrayBufferView> view = v.As<v8::ArrayBufferView>();
    // Buffer() may allocate (it moves an on-heap view's elements out) and the window needs the
    // serializer: the value's isolate must be the current one, which it is not when another
    // runtime's scope is innermost.
    std::optional<v8::Isolate::Scope> enter;
    if (slot->rt != tls_state->current_rt) enter.emplace(slot->rt->isolate);
    v8::Local<v8::ArrayBuffer> buffer = view->Buffer();
    size_t buffer_length;
    if (buffer.As<v8::Value>()->IsSharedArrayBuffer()) {
      std::shared_ptr<v8::BackingStore> store = buffer->GetBackingStore();
      base = store->Data();
      buffer_length = store->ByteLength();
    } else {
      if (buffer->WasDetached()) return VH_EDETACHED;
      base = buffer->Data();
      buffer_length = buffer->ByteLength();
    }
    size = view_window_length(slot->rt->isolate, view, buffer, buffer_length);
    if (size) base = static_cast<char*>(base) + view->ByteOffset();
  } else {
    return VH_ETYPE;
  }
  if (data) *data = size ? base : nullptr;
  if (length) *length = size;
  return VH_OK;
}

int vh_new_external_string_latin1(vh_engine engine, const char* data, size_t length,
                                  vh_free_cb free_cb, void* user, vh_value* out) {
  return new_external_string<ExternalLatin1>(
      engine, data, length, free_cb, user, out,
      [](v8::Isolate* iso, ExternalLatin1* r) { return v8::String::NewExternalOneByte(iso, r); });
}

int vh_new_external_string_utf16(vh_engine engine, const uint16_t* data, size_t length,
                                 vh_free_cb free_cb, void* user, vh_value* out) {
  return new_external_string<ExternalUtf16>(
      engine, data, length, free_cb, user, out,
      [](v8::Isolate* iso, ExternalUtf16* r) { return v8::String::NewExternalTwoByte(iso, r); });
}

}  // extern "C"
