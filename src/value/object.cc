// Properties (by name, index and key value), own keys, calls and JSON: calls that run script.
#include <cstring>
#include <string>
#include <vector>

#include "core/call.h"
#include "marshal/marshal.h"
#include "v8host.h"

using namespace vh;

namespace {

constexpr size_t kMaxArgs = 65535;
constexpr size_t kInlineArgs = 8;

// Key forms: each turns the caller's key into a V8 key inside the call.
struct NameKey {
  const char* name;
  int make(EngineCall& c, v8::Local<v8::Value>* key) const {
    v8::Local<v8::String> s;
    VH_TRY(make_name(c.isolate, name, &s));
    *key = s;
    return VH_OK;
  }
};
struct IndexKey {
  uint32_t index;
};
struct ValueKey {
  vh_value value;
  int make(EngineCall& c, v8::Local<v8::Value>* key) const { return call_arg(c, value, key); }
};

// The four property operations, written once for name and value keys; index keys use V8's
// element overloads, which skip the key conversion.
v8::Maybe<bool> has(EngineCall& c, v8::Local<v8::Object> o, v8::Local<v8::Value> k) {
  return o->Has(c.context, k);
}
v8::Maybe<bool> has(EngineCall& c, v8::Local<v8::Object> o, uint32_t i) { return o->Has(c.context, i); }
v8::Maybe<bool> del(EngineCall& c, v8::Local<v8::Object> o, v8::Local<v8::Value> k) {
  return o->Delete(c.context, k);
}
v8::Maybe<bool> del(EngineCall& c, v8::Local<v8::Object> o, uint32_t i) { return o->Delete(c.context, i); }

template <typename Key>
int resolve_key(EngineCall& c, const Key& key, v8::Local<v8::Value>* out) {
  return key.make(c, out);
}
int resolve_key(EngineCall&, const IndexKey& key, uint32_t* out) {
  *out = key.index;
  return VH_OK;
}
template <typename Key>
using KeyType = std::conditional_t<std::is_same_v<Key, IndexKey>, uint32_t, v8::Local<v8::Value>>;

template <typename Key>
int get_property(vh_engine engine, vh_value object, const Key& key, vh_value* out) {
  if (!out) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, true));
  v8::Local<v8::Object> o;
  VH_TRY(call_object_arg(call, object, &o));
  KeyType<Key> k;
  VH_TRY(resolve_key(call, key, &k));
  v8::TryCatch tc(call.isolate);
  v8::Local<v8::Value> v;
  if (!o->Get(call.context, k).ToLocal(&v)) return call.failed(tc);
  *out = call.result(v);
  return VH_OK;
}

template <typename Key>
int set_property(vh_engine engine, vh_value object, const Key& key, vh_value value) {
  EngineCall call;
  VH_TRY(call.enter(engine, true));
  v8::Local<v8::Object> o;
  VH_TRY(call_object_arg(call, object, &o));
  v8::Local<v8::Value> v;
  VH_TRY(call_arg(call, value, &v));
  KeyType<Key> k;
  VH_TRY(resolve_key(call, key, &k));
  v8::TryCatch tc(call.isolate);
  if (o->Set(call.context, k, v).IsNothing()) return call.failed(tc);
  return VH_OK;
}

template <typename Key, typename Op>
int test_property(vh_engine engine, vh_value object, const Key& key, bool* out, Op op) {
  EngineCall call;
  VH_TRY(call.enter(engine, true));
  v8::Local<v8::Object> o;
  VH_TRY(call_object_arg(call, object, &o));
  KeyType<Key> k;
  VH_TRY(resolve_key(call, key, &k));
  v8::TryCatch tc(call.isolate);
  bool result;
  if (!op(call, o, k).To(&result)) return call.failed(tc);
  if (out) *out = result;
  return VH_OK;
}

template <typename Key>
int has_property(vh_engine engine, vh_value object, const Key& key, bool* out) {
  if (!out) return VH_EINVAL;
  return test_property(engine, object, key, out,
                       [](EngineCall& c, v8::Local<v8::Object> o, KeyType<Key> k) { return has(c, o, k); });
}

template <typename Key>
int delete_property(vh_engine engine, vh_value object, const Key& key, bool* deleted) {
  return test_property(engine, object, key, deleted,
                       [](EngineCall& c, v8::Local<v8::Object> o, KeyType<Key> k) { return del(c, o, k); });
}

}  // namespace

extern "C" {

int vh_get(vh_engine e, vh_value o, const char* name, vh_value* out) {
  return get_property(e, o, NameKey{name}, out);
}
int vh_set(vh_engine e, vh_value o, const char* name, vh_value v) {
  return set_property(e, o, NameKey{name}, v);
}
int vh_has(vh_engine e, vh_value o, const char* name, bool* out) {
  return has_property(e, o, NameKey{name}, out);
}
int vh_delete(vh_engine e, vh_value o, const char* name, bool* deleted) {
  return delete_property(e, o, NameKey{name}, deleted);
}

int vh_get_index(vh_engine e, vh_value o, uint32_t i, vh_value* out) {
  return get_property(e, o, IndexKey{i}, out);
}
int vh_set_index(vh_engine e, vh_value o, uint32_t i, vh_value v) {
  return set_property(e, o, IndexKey{i}, v);
}
int vh_has_index(vh_engine e, vh_value o, uint32_t i, bool* out) {
  return has_property(e, o, IndexKey{i}, out);
}
int vh_delete_index(vh_engine e, vh_value o, uint32_t i, bool* deleted) {
  return delete_property(e, o, IndexKey{i}, deleted);
}

int vh_get_key(vh_engine e, vh_value o, vh_value key, vh_value* out) {
  return get_property(e, o, ValueKey{key}, out);
}
int vh_set_key(vh_engine e, vh_value o, vh_value key, vh_value v) {
  return set_property(e, o, ValueKey{key}, v);
}
int vh_has_key(vh_engine e, vh_value o, vh_value key, bool* out) {
  return has_property(e, o, ValueKey{key}, out);
}
int vh_delete_key(vh_engine e, vh_value o, vh_value key, bool* deleted) {
  return delete_property(e, o, ValueKey{key}, deleted);
}

int vh_define_property(vh_engine engine, vh_value object, const char* name, vh_value value,
                       unsigned flags) {
  if (flags & ~static_cast<unsigned>(VH_PROPERTY_ALL)) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, true));
  v8::Local<v8::Object> o;
  VH_TRY(call_object_arg(call, object, &o));
  v8::Local<v8::Value> v;
  VH_TRY(call_arg(call, value, &v));
  v8::Local<v8::String> key;
  VH_TRY(make_name(call.isolate, name, &key));
  int attributes = v8::None;
  if (flags & VH_PROPERTY_READ_ONLY) attributes |= v8::ReadOnly;
  if (flags & VH_PROPERTY_DONT_ENUM) attributes |= v8::DontEnum;
  if (flags & VH_PROPERTY_DONT_DELETE) attributes |= v8::DontDelete;
  v8::TryCatch tc(call.isolate);
  bool defined = false;
  if (!o->DefineOwnProperty(call.context, key, v, static_cast<v8::PropertyAttribute>(attributes))
           .To(&defined))
    return call.failed(tc);
  if (!defined) {
    // V8 answers false (without throwing) for a refused definition; the caller gets it as the
    // TypeError that Object.defineProperty would throw.
    v8::Local<v8::String> text;
    std::string message = std::string("Cannot redefine property: ") + name;
    if (!v8::String::NewFromUtf8(call.isolate, message.c_str()).ToLocal(&text)) return VH_ENOMEM;
    v8::Local<v8::Value> error = v8::Exception::TypeError(text);
    record_pending(call.engine, error, v8::Exception::CreateMessage(call.isolate, error));
    return VH_EEXCEPTION;
  }
  return VH_OK;
}

int vh_own_keys(vh_engine engine, vh_value object, unsigned flags, vh_value* out) {
  if (!out || (flags & ~static_cast<unsigned>(VH_KEYS_ALL))) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, true));
  v8::Local<v8::Object> o;
  VH_TRY(call_object_arg(call, object, &o));
  int filter = v8::PropertyFilter::ALL_PROPERTIES;
  if (!(flags & VH_KEYS_NON_ENUMERABLE)) filter |= v8::PropertyFilter::ONLY_ENUMERABLE;
  if (!(flags & VH_KEYS_SYMBOLS)) filter |= v8::PropertyFilter::SKIP_SYMBOLS;
  v8::TryCatch tc(call.isolate);
  v8::Local<v8::Array> keys;
  if (!o->GetOwnPropertyNames(call.context, static_cast<v8::PropertyFilter>(filter),
                              v8::KeyConversionMode::kConvertToString)
           .ToLocal(&keys))
    return call.failed(tc);
  *out = call.result(keys);
  return VH_OK;
}

int vh_call(vh_engine engine, vh_value function, vh_value this_value, size_t argc,
            const vh_value* argv, vh_value* out) {
  if (argc && !argv) return VH_EINVAL;
  if (argc > kMaxArgs) return VH_ERANGE;
  EngineCall call;
  VH_TRY(call.enter(engine, true));
  v8::Local<v8::Value> fn;
  VH_TRY(call_arg(call, function, &fn));
  if (!fn->IsFunction()) return VH_ETYPE;
  v8::Local<v8::Value> receiver = v8::Undefined(call.isolate);
  if (this_value.serial_ != 0) VH_TRY(call_arg(call, this_value, &receiver));
  v8::Local<v8::Value> inline_args[kInlineArgs];
  std::vector<v8::Local<v8::Value>> heap_args;
  v8::Local<v8::Value>* args = inline_args;
  if (argc > kInlineArgs) {
    heap_args.resize(argc);
    args = heap_args.data();
  }
  for (size_t i = 0; i < argc; ++i) VH_TRY(call_arg(call, argv[i], &args[i]));
  v8::TryCatch tc(call.isolate);
  v8::Local<v8::Value> result;
  if (!fn.As<v8::Function>()->Call(call.context, receiver, static_cast<int>(argc), args).ToLocal(&result))
    return call.failed(tc);
  return call.result_to(result, out);
}

int vh_json_parse(vh_engine engine, const char* text, size_t length, vh_value* out) {
  if (!out || !text) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, true));
  v8::Local<v8::String> s;
  VH_TRY(make_utf8_string(call.isolate, text, length, v8::NewStringType::kNormal, &s));
  v8::TryCatch tc(call.isolate);
  v8::Local<v8::Value> result;
  if (!v8::JSON::Parse(call.context, s).ToLocal(&result)) return call.failed(tc);
  *out = call.result(result);
  return VH_OK;
}

int vh_json_stringify(vh_engine engine, vh_value value, vh_value* out) {
  if (!out) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, true));
  v8::Local<v8::Value> v;
  VH_TRY(call_arg(call, value, &v));
  // V8's JSON::Stringify returns ToString of the result, so a value with no JSON form comes
  // back as the bare word undefined — which no real JSON text can be (a JSON string is quoted).
  // Map it back to undefined, as JSON.stringify does, without consulting script-visible JSON.
  v8::TryCatch tc(call.isolate);
  v8::Local<v8::String> text;
  if (!v8::JSON::Stringify(call.context, v).ToLocal(&text)) return call.failed(tc);
  v8::Local<v8::Value> result = text;
  if (text->Length() == 9 && text->StringEquals(v8::String::NewFromUtf8Literal(call.isolate, "undefined")))
    result = v8::Undefined(call.isolate);
  *out = call.result(result);
  return VH_OK;
}

}  // extern "C"
