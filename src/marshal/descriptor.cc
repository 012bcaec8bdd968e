// Property descriptors without script (marshal/descriptor.h).
#include "marshal/descriptor.h"
#include "core/v8_compat.h"

namespace vh {

// Reads the fields of a descriptor object that V8 made (from a trap's arguments or from
// GetOwnPropertyDescriptor): only own properties are read, so nothing script put on
// Object.prototype (a `get` there, say) is seen, and no getter runs. False when reading fails.
bool read_desc(v8::Local<v8::Context> ctx, v8::Local<v8::Object> object, Desc* d) {
  v8::Isolate* iso = compat::isolate_of(ctx);
  auto field = [&](const char* name, bool* has, v8::Local<v8::Value>* out) {
    v8::Local<v8::String> key;
    if (!v8::String::NewFromUtf8(iso, name, v8::NewStringType::kInternalized).ToLocal(&key) ||
        !object->HasOwnProperty(ctx, key).To(has))
      return false;
    return !*has || object->Get(ctx, key).ToLocal(out);
  };
  v8::Local<v8::Value> writable, enumerable, configurable;
  if (!field("value", &d->has_value, &d->value) || !field("get", &d->has_get, &d->get) ||
      !field("set", &d->has_set, &d->set) || !field("writable", &d->has_writable, &writable) ||
      !field("enumerable", &d->has_enumerable, &enumerable) ||
      !field("configurable", &d->has_configurable, &configurable))
    return false;
  if (d->has_writable) d->writable = writable->BooleanValue(iso);
  if (d->has_enumerable) d->enumerable = enumerable->BooleanValue(iso);
  if (d->has_configurable) d->configurable = configurable->BooleanValue(iso);
  return true;
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
