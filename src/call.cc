// Shared call machinery: recording exceptions, string conversion helpers.
#include "internal/call.h"

#include <cstdlib>
#include <cstring>

namespace vh {

int EngineCall::failed(const v8::TryCatch& tc) {
  if (tc.HasTerminated() || !tc.HasCaught()) return VH_ETERMINATED;
  v8::Local<v8::Value> exception = tc.Exception();
  engine->pending_exception.Reset(isolate, exception);
  v8::Local<v8::Message> message = tc.Message();
  if (!rt->rethrown_exception.IsEmpty()) {
    if (exception->StrictEquals(rt->rethrown_exception.Get(isolate))) message = rt->rethrown_message.Get(isolate);
    rt->rethrown_exception.Reset();
    rt->rethrown_message.Reset();
  }
  if (message.IsEmpty())
    engine->pending_message.Reset();
  else
    engine->pending_message.Reset(isolate, message);
  engine->has_pending = true;
  ts->last_failed_engine = engine->handle;
  return VH_EEXCEPTION;
}

int make_utf8_string(v8::Isolate* isolate, const char* data, size_t length, v8::NewStringType type,
                     v8::Local<v8::String>* out) {
  if (length == VH_AUTO_LENGTH) {
    if (!data) return VH_EINVAL;
    length = strlen(data);
  }
  if (!data && length != 0) return VH_EINVAL;
  if (length > static_cast<size_t>(v8::String::kMaxLength) * 3) return VH_ERANGE;
  if (length > INT32_MAX) return VH_ERANGE;
  if (!v8::String::NewFromUtf8(isolate, length ? data : "", type, static_cast<int>(length))
           .ToLocal(out))
    return VH_ERANGE;
  return VH_OK;
}

int make_name(v8::Isolate* isolate, const char* name, v8::Local<v8::String>* out) {
  if (!name) return VH_EINVAL;
  return make_utf8_string(isolate, name, strlen(name), v8::NewStringType::kInternalized, out);
}

char* dup_utf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  if (value.IsEmpty()) return nullptr;
  v8::String::Utf8Value text(isolate, value);
  if (!*text) return nullptr;
  char* copy = static_cast<char*>(malloc(text.length() + 1));
  if (copy) memcpy(copy, *text, text.length() + 1);
  return copy;
}

}  // namespace vh
