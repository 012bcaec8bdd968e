// Pending exceptions: whether one is pending, taking it (value, message, location), dropping it.
#include <cstdlib>

#include "core/call.h"
#include "v8host.h"

namespace vh {

int describe_exception(EngineCall& call, v8::Local<v8::Value> exception, v8::Local<v8::Message> message,
                       vh_exception* out) {
  v8::Isolate* iso = call.isolate;
  v8::Local<v8::Context> ctx = call.context;
  // Reading the stack or converting a thrown non-Error may run script (getters, toString);
  // whatever that throws is swallowed here: the exception being reported is the first one.
  v8::TryCatch tc(iso);
  vh_exception x{};
  if (!message.IsEmpty()) {
    x.message = dup_utf8(iso, message->Get());
    x.resource_name = message->GetScriptResourceName()->IsString()
                          ? dup_utf8(iso, message->GetScriptResourceName())
                          : nullptr;
    x.line = message->GetLineNumber(ctx).FromMaybe(0);
    x.column = message->GetStartColumn(ctx).FromMaybe(-1) + 1;
  }
  if (!x.message) {
    v8::Local<v8::String> text;
    x.message = exception->ToString(ctx).ToLocal(&text) ? dup_utf8(iso, text) : nullptr;
    if (!x.message) x.message = strdup("Uncaught exception");
  }
  v8::Local<v8::Value> stack;
  if (exception->IsNativeError() && v8::TryCatch::StackTrace(ctx, exception).ToLocal(&stack) &&
      stack->IsString())
    x.stack = dup_utf8(iso, stack);
  if (!x.message) {
    vh_exception_free(&x);
    return VH_ENOMEM;
  }
  x.value = call.result(exception);
  *out = x;
  return VH_OK;
}

}  // namespace vh

using namespace vh;

extern "C" {

int vh_exception_pending(vh_engine engine, bool* out) {
  if (!out) return VH_EINVAL;
  Engine* e;
  VH_TRY(resolve_engine(engine, &e));
  *out = e->has_pending;
  return VH_OK;
}

int vh_exception_take(vh_engine engine, vh_exception* out) {
  if (!out) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  Engine* e = call.engine;
  if (!e->has_pending) return VH_ENOEXCEPTION;
  v8::Local<v8::Message> message;
  v8::Local<v8::Value> exception = pending_exception(e, call.isolate, &message);
  VH_TRY(describe_exception(call, exception, message, out));
  clear_pending(e);
  return VH_OK;
}

void vh_exception_free(vh_exception* exception) {
  if (!exception) return;
  free(exception->message);
  free(exception->stack);
  free(exception->resource_name);
  *exception = vh_exception{};
}

int vh_exception_discard(vh_engine engine) {
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  clear_pending(call.engine);
  return VH_OK;
}

}  // extern "C"
