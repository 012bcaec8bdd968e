// Property descriptors without script (marshal/descriptor.h).
#include "marshal/descriptor.h"
#include "core/v8_compat.h"
#include "marshal/marshal.h"

namespace vh {

namespace {

// The field names, in the order make_desc adds them (ECMAScript's FromPropertyDescriptor order).
enum Field { kValue, kWritable, kGet, kSet, kEnumerable, kConfigurable, kFieldCount };
const char* const kFieldNames[kFieldCount] = {"value", "writable", "get", "set", "enumerable", "configurable"};

// rt's internalized names of the fields, made on first use and kept for the isolate's life.
// Empty only when V8 cannot allocate.
v8::Local<v8::String> field_name(Runtime* rt, Field f) {
  v8::Isolate* iso = rt->isolate;
  static_assert(sizeof rt->marshal->descriptor_keys / sizeof *rt->marshal->descriptor_keys == kFieldCount, "one name per field");
  v8::Eternal<v8::String>& name = rt->marshal->descriptor_keys[f];
  if (name.IsEmpty()) {
    v8::Local<v8::String> made;
    if (!v8::String::NewFromUtf8(iso, kFieldNames[f], v8::NewStringType::kInternalized).ToLocal(&made)) return made;
    name.Set(iso, made);
  }
  return name.Get(iso);
}

}  // namespace

bool read_desc(Runtime* rt, v8::Local<v8::Context> ctx, v8::Local<v8::Object> object, Desc* d) {
  v8::Isolate* iso = rt->isolate;
  auto field = [&](Field f, bool* has, v8::Local<v8::Value>* out) {
    v8::Local<v8::String> key = field_name(rt, f);
    if (key.IsEmpty() || !object->HasOwnProperty(ctx, key).To(has)) return false;
    return !*has || object->Get(ctx, key).ToLocal(out);
  };
  v8::Local<v8::Value> writable, enumerable, configurable;
  if (!field(kValue, &d->has_value, &d->value) || !field(kGet, &d->has_get, &d->get) ||
      !field(kSet, &d->has_set, &d->set) || !field(kWritable, &d->has_writable, &writable) ||
      !field(kEnumerable, &d->has_enumerable, &enumerable) ||
      !field(kConfigurable, &d->has_configurable, &configurable))
    return false;
  if (d->has_writable) d->writable = writable->BooleanValue(iso);
  if (d->has_enumerable) d->enumerable = enumerable->BooleanValue(iso);
  if (d->has_configurable) d->configurable = configurable->BooleanValue(iso);
  return true;
}

v8::Local<v8::Object> make_desc(Runtime* rt, const Desc& d) {
  v8::Isolate* iso = rt->isolate;
  v8::Local<v8::Name> names[kFieldCount];
  v8::Local<v8::Value> values[kFieldCount];
  size_t n = 0;
  auto add = [&](bool has, Field f, v8::Local<v8::Value> v) {
    if (!has) return;
    names[n] = field_name(rt, f);
    values[n] = v;
    if (!names[n].IsEmpty()) ++n;
  };
  add(d.has_value, kValue, d.value);
  add(d.has_writable, kWritable, v8::Boolean::New(iso, d.writable));
  add(d.has_get, kGet, d.get);
  add(d.has_set, kSet, d.set);
  add(d.has_enumerable, kEnumerable, v8::Boolean::New(iso, d.enumerable));
  add(d.has_configurable, kConfigurable, v8::Boolean::New(iso, d.configurable));
  return v8::Object::New(iso, v8::Null(iso), names, values, n);
}

// The same descriptor as a v8::PropertyDescriptor (for Object::DefineProperty, which runs no
// script of the object's realm on an ordinary object).
void build_desc(v8::Isolate* iso, const Desc& d, std::optional<v8::PropertyDescriptor>* pd) {
  v8::Local<v8::Value> undefined = v8::Undefined(iso);
  if (d.has_get || d.has_set)
    pd->emplace(d.has_get ? d.get : undefined, d.has_set ? d.set : undefined);
  else if (d.has_value && d.has_writable)
    pd->emplace(d.value, d.writable);
  else if (d.has_value)
    pd->emplace(d.value);
  else  // (writable without a value: V8 10.2's PropertyDescriptor cannot say it; left out)
    pd->emplace();
  if (d.has_enumerable) (*pd)->set_enumerable(d.enumerable);
  if (d.has_configurable) (*pd)->set_configurable(d.configurable);
}


void mirror_non_configurable(v8::Isolate* iso, v8::Local<v8::Value> target, v8::Local<v8::Value> key, const Desc& d) {
  if (!d.has_configurable || d.configurable || !target->IsObject() || !key->IsName()) return;
  std::optional<v8::PropertyDescriptor> pd;
  build_desc(iso, d, &pd);
  v8::TryCatch quiet(iso);
  target.As<v8::Object>()->DefineProperty(iso->GetCurrentContext(), key.As<v8::Name>(), *pd).FromMaybe(false);
}

}  // namespace vh
