// Properties (by name, index and key value), own keys, calls, construction and JSON: calls that
// run script.
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

// Shared body of the four property operations, written once for every key form: enter the
// engine, take the object, then the value (set only: value is not null), then the key, in that
// order (a call with several bad arguments answers for the first). op runs V8's operation under
// a TryCatch and answers false where it threw. Op: (EngineCall&, Local<Object>, KeyType<Key>,
// Local<Value> value) -> bool; an index key (uint32_t) picks V8's element overloads, which skip
// the key conversion.
template <typename Key, typename Op>
int property_call(vh_engine engine, vh_value object, const vh_value* value, const Key& key, Op op) {
  EngineCall call;
  VH_TRY(call.enter(engine, true));
  v8::Local<v8::Object> o;
  VH_TRY(call_object_arg(call, object, &o));
  v8::Local<v8::Value> v;
  if (value) VH_TRY(call_arg(call, *value, &v));
  KeyType<Key> k;
  VH_TRY(resolve_key(call, key, &k));
  v8::TryCatch tc(call.isolate);
  if (!op(call, o, k, v)) return call.failed(tc);
  return VH_OK;
}

template <typename Key>
int get_property(vh_engine engine, vh_value object, const Key& key, vh_value* out) {
  if (!out) return VH_EINVAL;
  return property_call(engine, object, nullptr, key, [out](EngineCall& c, auto o, auto k, auto) {
    v8::Local<v8::Value> v;
    if (!o->Get(c.context, k).ToLocal(&v)) return false;
    *out = c.result(v);
    return true;
  });
}

template <typename Key>
int set_property(vh_engine engine, vh_value object, const Key& key, vh_value value) {
  return property_call(engine, object, &value, key, [](EngineCall& c, auto o, auto k, auto v) {
    return o->Set(c.context, k, v).IsJust();
  });
}

template <typename Key>
int has_property(vh_engine engine, vh_value object, const Key& key, bool* out) {
  if (!out) return VH_EINVAL;
  return property_call(engine, object, nullptr, key, [out](EngineCall& c, auto o, auto k, auto) {
    return o->Has(c.context, k).To(out);
  });
}

// deleted may be null: the caller does not ask whether the property went.
template <typename Key>
int delete_property(vh_engine engine, vh_value object, const Key& key, bool* deleted) {
  return property_call(engine, object, nullptr, key, [deleted](EngineCall& c, auto o, auto k, auto) {
    bool result;
    if (!o->Delete(c.context, k).To(&result)) return false;
    if (deleted) *deleted = result;
    return true;
  });
}

// The start of vh_call and vh_construct: argc checked, the engine entered (refused while an
// exception is pending), then the function, the receiver (vh_call only: this_value not null;
// its empty handle is undefined) and the arguments taken, in that order (a call with several bad
// arguments answers for the first). Up to kInlineArgs arguments (most calls) are held in place.
class ScriptCall {
 public:
  EngineCall call;
  v8::Local<v8::Function> fn;
  v8::Local<v8::Value> receiver;

  int enter(vh_engine engine, vh_value function, const vh_value* this_value, size_t argc,
            const vh_value* argv) {
    if (argc > kMaxArgs) return VH_ERANGE;
    VH_TRY(call.enter(engine, true));
    v8::Local<v8::Value> f;
    VH_TRY(call_arg(call, function, &f));
    if (!f->IsFunction()) return VH_ETYPE;
    fn = f.As<v8::Function>();
    if (this_value) {
      receiver = v8::Undefined(call.isolate);
      if (this_value->serial_ != 0) VH_TRY(call_arg(call, *this_value, &receiver));
    }
    if (argc > kInlineArgs) {
      heap_args_.resize(argc);
      args_ = heap_args_.data();
    }
    for (size_t i = 0; i < argc; ++i) VH_TRY(call_arg(call, argv[i], &args_[i]));
    argc_ = static_cast<int>(argc);
    return VH_OK;
  }
  int argc() const { return argc_; }
  v8::Local<v8::Value>* argv() { return args_; }

 private:
  v8::Local<v8::Value> inline_args_[kInlineArgs];
  std::vector<v8::Local<v8::Value>> heap_args_;
  v8::Local<v8::Value>* args_ = inline_args_;
  int argc_ = 0;
};

}  // namespace

extern "C" {

// The three key kinds, written once: X(name suffix, key parameter type, key form). Each kind
// gets the four property calls: vh_get##suffix, vh_set##suffix, vh_has##suffix and
// vh_delete##suffix.
#define VH_KEY_KINDS(X)         \
  X(, const char*, NameKey)     \
  X(_index, uint32_t, IndexKey) \
  X(_key, vh_value, ValueKey)

#define VH_PROPERTY_CALLS_(suffix, Param, Form)                              \
  int vh_get##suffix(vh_engine e, vh_value o, Param key, vh_value* out) {    \
    return get_property(e, o, Form{key}, out);                               \
  }                                                                          \
  int vh_set##suffix(vh_engine e, vh_value o, Param key, vh_value v) {       \
    return set_property(e, o, Form{key}, v);                                 \
  }                                                                          \
  int vh_has##suffix(vh_engine e, vh_value o, Param key, bool* out) {        \
    return has_property(e, o, Form{key}, out);                               \
  }                                                                          \
  int vh_delete##suffix(vh_engine e, vh_value o, Param key, bool* deleted) { \
    return delete_property(e, o, Form{key}, deleted);                        \
  }
VH_KEY_KINDS(VH_PROPERTY_CALLS_)
#undef VH_PROPERTY_CALLS_
#undef VH_KEY_KINDS

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
  ScriptCall s;
  VH_TRY(s.enter(engine, function, &this_value, argc, argv));
  v8::TryCatch tc(s.call.isolate);
  v8::Local<v8::Value> result;
  if (!s.fn->Call(s.call.context, s.receiver, s.argc(), s.argv()).ToLocal(&result))
    return s.call.failed(tc);
  return s.call.result_to(result, out);
}

int vh_construct(vh_engine engine, vh_value constructor, size_t argc, const vh_value* argv,
                 vh_value* out) {
  if (!out || (argc && !argv)) return VH_EINVAL;
  ScriptCall s;
  VH_TRY(s.enter(engine, constructor, nullptr, argc, argv));
  v8::TryCatch tc(s.call.isolate);
  v8::Local<v8::Object> result;
  if (!s.fn->NewInstance(s.call.context, s.argc(), s.argv()).ToLocal(&result))
    return s.call.failed(tc);
  *out = s.call.result(result);
  return VH_OK;
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
