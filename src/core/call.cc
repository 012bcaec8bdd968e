// Shared call machinery: recording exceptions, string conversion helpers.
#include "core/call.h"
#include "core/v8_compat.h"
#include "core/stop.h"

#include <cstdlib>
#include <cstring>

namespace vh {

void record_pending(Engine* engine, v8::Local<v8::Value> exception, v8::Local<v8::Message> message) {
  v8::Isolate* isolate = engine->rt->isolate;
  engine->pending_exception.Reset(isolate, exception);
  if (message.IsEmpty())
    engine->pending_message.Reset();
  else
    engine->pending_message.Reset(isolate, message);
  engine->has_pending = true;
}

void note_rethrow(Runtime* rt, v8::Local<v8::Value> exception, v8::Local<v8::Message> message) {
  if (message.IsEmpty()) return;
  rt->rethrown_exception.Reset(rt->isolate, exception);
  rt->rethrown_message.Reset(rt->isolate, message);
}

v8::Local<v8::Message> caught_message(Runtime* rt, v8::Local<v8::Value> exception, v8::Local<v8::Message> message) {
  if (rt->rethrown_exception.IsEmpty()) return message;
  if (exception->StrictEquals(rt->rethrown_exception.Get(rt->isolate))) message = rt->rethrown_message.Get(rt->isolate);
  forget_rethrow(rt);
  return message;
}

void forget_rethrow(Runtime* rt) {
  rt->rethrown_exception.Reset();
  rt->rethrown_message.Reset();
}

int EngineCall::failed(const v8::TryCatch& tc) {
  // A runtime told to stop during the call answers with the stop, even when what came out is
  // an exception: a proxy operation stopped with it throws one into this runtime (proxy.cc), and
  // a trap that could not copy a string into a full heap throws as it stops the script.
  if (tc.HasTerminated() || !tc.HasCaught() || rt->stop_reason.load(std::memory_order_relaxed) != 0)
    return stopped_status(rt, ts);
  v8::Local<v8::Value> exception = tc.Exception();
  v8::Local<v8::Message> message = caught_message(rt, exception, tc.Message());
  record_pending(engine, exception, message);
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
  if (value.IsEmpty() || !value->IsString()) return nullptr;
  v8::Local<v8::String> s = value.As<v8::String>();
  // Utf8Length counts a lone surrogate as 3 bytes, the size of the U+FFFD that replaces it, so
  // the result is always valid UTF-8.
  size_t length = compat::utf8_length(isolate, s);
  char* copy = static_cast<char*>(malloc(length + 1));
  if (!copy) return nullptr;
  compat::write_utf8(isolate, s, copy, length);
  copy[length] = 0;
  return copy;
}

}  // namespace vh
