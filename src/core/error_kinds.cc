// The standard error kinds (core/error_kinds.h): making an error of a kind in an engine, and
// telling the kind of an error object, both without running script.
#include "core/error_kinds.h"

#include <string>

#include "core/v8_compat.h"

#include "core/call.h"
#include "core/objects.h"
#include "v8host/errors.h"

namespace vh {

namespace {

using Factory = compat::ErrorFactory;

#define VH_KIND_NAME_(kind, name, factory) name,
const char* const kNames[] = {VH_ERROR_KINDS(VH_KIND_NAME_)};
#undef VH_KIND_NAME_
#define VH_KIND_FACTORY_(kind, name, factory) factory,
const Factory kFactories[] = {VH_ERROR_KINDS(VH_KIND_FACTORY_)};
#undef VH_KIND_FACTORY_
static_assert(sizeof kNames / sizeof *kNames == kErrorKindCount, "one name per kind");

// How far error_kind_of follows a prototype chain (script can make one long, not endless).
constexpr int kMaxChain = 64;

// The index of proto among e's intrinsic error prototypes, or -1.
int proto_index(Engine* e, v8::Local<v8::Value> proto) {
  if (!e) return -1;
  for (int i = 0; i < kErrorKindCount; ++i)
    if (!e->intrinsics.error_protos[i].IsEmpty() && strong_local(e->intrinsics.error_protos[i]) == proto) return i;
  return -1;
}

}  // namespace

const char* error_kind_name(int index) { return kNames[index]; }

v8::Local<v8::Value> make_error_of_kind(v8::Isolate* iso, Engine* e, int kind, v8::Local<v8::String> text) {
  int i = error_kind_index(kind);
  if (i < 0) i = 0;
  if (kFactories[i]) return compat::call_error_factory(kFactories[i], text);
  v8::Local<v8::Value> error = v8::Exception::Error(text);
  if (!e || e->intrinsics.error_protos[i].IsEmpty() || !error->IsObject()) return error;
  v8::Local<v8::Context> ctx = iso->GetCurrentContext();
  v8::Local<v8::Object> object = error.As<v8::Object>();
  // A fresh ordinary object: neither call runs script (no proxy, no setter is involved).
  if (!compat::set_prototype(ctx, object, strong_local(e->intrinsics.error_protos[i])).FromMaybe(false)) return error;
  if (kind == VH_ERROR_KIND_AGGREGATE_ERROR)
    object
        ->DefineOwnProperty(ctx, v8::String::NewFromUtf8Literal(iso, "errors"), v8::Array::New(iso, 0),
                            v8::DontEnum)
        .FromMaybe(false);
  return error;
}

int error_kind_of(Engine* e, v8::Local<v8::Object> error) {
  Engine* home = nullptr;
  v8::Local<v8::Context> made_in;
  if (error->GetCreationContext().ToLocal(&made_in)) home = engine_of(made_in);
  v8::Local<v8::Value> proto = compat::prototype_of(error);
  for (int depth = 0; depth < kMaxChain && proto->IsObject(); ++depth) {
    int i = proto_index(home, proto);
    if (i < 0 && home != e) i = proto_index(e, proto);
    if (i >= 0) return VH_ERROR_KIND_ERROR + i;
    proto = compat::prototype_of(proto.As<v8::Object>());  // null for a proxy: its trap is not run
  }
  return VH_ERROR_KIND_ERROR;
}

void throw_message(v8::Isolate* iso, vh_error_kind kind, const char* text) {
  v8::Local<v8::String> message;
  if (!v8::String::NewFromUtf8(iso, text, v8::NewStringType::kNormal).ToLocal(&message))
    message = v8::String::Empty(iso);  // a text too long for V8: the kind still tells
  iso->ThrowException(make_error_of_kind(iso, engine_of(iso->GetCurrentContext()), kind, message));
}

std::string status_text(int rc, const char* sentence) {
  return std::string(vh_err_name(rc)) + ": " + (sentence ? sentence : vh_strerror(rc));
}

// The one place a status becomes a JavaScript error: every error the library raises in script
// for a status (host function and numeric function failures, async rejections, proxy
// operations, module loading) is made here, so that each carries `code`.
v8::Local<v8::Value> status_error(v8::Isolate* iso, int rc, const std::string& message, vh_error_kind kind) {
  v8::Local<v8::String> text;
  if (!v8::String::NewFromUtf8(iso, message.data(), v8::NewStringType::kNormal,
                               static_cast<int>(message.size()))
           .ToLocal(&text))
    text = v8::String::Empty(iso);  // a text too long for V8: the kind and code still tell
  v8::Local<v8::Context> ctx = iso->GetCurrentContext();
  v8::Local<v8::Value> error = make_error_of_kind(iso, engine_of(ctx), kind, text);
  v8::Local<v8::String> code;
  // A fresh error object: defining its own data property runs no script.
  if (error->IsObject() && v8::String::NewFromUtf8(iso, vh_err_name(rc)).ToLocal(&code))
    error.As<v8::Object>()->CreateDataProperty(ctx, v8::String::NewFromUtf8Literal(iso, "code"), code).IsJust();
  return error;
}

// "VH_ETYPE: the value is not of the type the call needs", with code "VH_ETYPE".
void throw_status(v8::Isolate* iso, int rc, const char* sentence, vh_error_kind kind) {
  iso->ThrowException(status_error(iso, rc, status_text(rc, sentence), kind));
}

}  // namespace vh
