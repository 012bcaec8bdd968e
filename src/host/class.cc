// Branded host classes: one FunctionTemplate per class per runtime, instantiated per engine by
// V8's template cache; instances carry the brand through the template, and an Instance record
// in internal field 0 that holds the native pointer and finalizes it exactly once.
#include "host/host.h"
#include "core/v8_compat.h"
#include "core/versioned.h"
#include "v8host.h"

namespace vh {

// The classes' handles (constant-initialised, never destroyed: see core/handle_table.h).
namespace {
HandleTable<HostClass> g_class_table;
inline HandleTable<HostClass>& class_table() { return g_class_table; }
}  // namespace

namespace {

void finalize_collected(const v8::WeakCallbackInfo<Instance>& info) {
  Instance* inst = info.GetParameter();
  inst->weak.Reset();
  inst->cls->rt->host->instances.erase(inst);
  if (inst->cls->finalize) inst->cls->finalize(inst->native, inst->cls->data);
  delete inst;
}

int check_def(const vh_class_def* def) {
  if (!def->name || (def->method_count && !def->methods) ||
      (def->accessor_count && !def->accessors) ||
      (def->static_method_count && !def->static_methods))
    return VH_EINVAL;
  for (size_t i = 0; i < def->method_count; ++i)
    if (!def->methods[i].name || !def->methods[i].callback) return VH_EINVAL;
  for (size_t i = 0; i < def->static_method_count; ++i)
    if (!def->static_methods[i].name || !def->static_methods[i].callback) return VH_EINVAL;
  if (def->native_method_count && !def->native_methods) return VH_EINVAL;
  for (size_t i = 0; i < def->native_method_count; ++i)
    if (!def->native_methods[i].name || !def->native_methods[i].callback) return VH_EINVAL;
  for (size_t i = 0; i < def->accessor_count; ++i)
    if (!def->accessors[i].name || (!def->accessors[i].get && !def->accessors[i].set)) return VH_EINVAL;
  return VH_OK;
}

// A method-like template (brand-checked through signature when given) for callback fn.
v8::Local<v8::FunctionTemplate> method_template(HostClass* cls, vh_host_function_cb fn,
                                                v8::Local<v8::Signature> signature) {
  HostFunction* rec = new_runtime_record(cls->rt, HostFunction::kMethod, fn, cls->data, cls);
  cls->records.push_back(rec);
  return host_template(cls->rt, rec, signature);
}

// Enters the engine (no script runs: a pending exception does not refuse the call), then
// resolves a class of its runtime.
int enter_class(EngineCall& call, vh_engine engine, vh_class handle, HostClass** out) {
  VH_TRY(call.enter(engine, false));
  VH_TRY(resolve_class(handle, out));
  return (*out)->rt == call.rt ? VH_OK : VH_ERUNTIME_MISMATCH;
}

}  // namespace

int resolve_class(vh_class handle, HostClass** out) {
  if (handle.id_ == 0) return VH_EINVAL;
  HostClass* cls = class_table().get(handle.id_);
  if (!cls) return VH_EDISPOSED;
  *out = cls;
  return VH_OK;
}

void attach_instance(HostClass* cls, v8::Local<v8::Object> object, void* native) {
  auto* inst = new Instance();
  inst->cls = cls;
  inst->native = native;
  compat::set_internal_field(object, kInstanceField, inst);
  inst->weak.Reset(cls->rt->isolate, object);
  inst->weak.SetWeak(inst, finalize_collected, v8::WeakCallbackType::kParameter);
  cls->rt->host->instances.insert(inst);
}

void destroy_host_objects(Runtime* rt) {
  // Finalizers first: each remaining instance exactly once, before its class goes away.
  for (Instance* inst : rt->host->instances) {
    inst->weak.Reset();
    if (inst->cls->finalize) inst->cls->finalize(inst->native, inst->cls->data);
    delete inst;
  }
  rt->host->instances.clear();
  for (HostFunction* rec : rt->host->functions) {
    rec->weak.Reset();
    delete rec;
  }
  rt->host->functions.clear();
  for (HostClass* cls : rt->host->classes) {
    cls->tmpl.Reset();
    class_table().remove(cls->handle);
    delete cls;
  }
  rt->host->classes.clear();
  for (RuntimeGlobal& g : rt->host->globals) g.tmpl.Reset();
  rt->host->globals.clear();
}

}  // namespace vh

using namespace vh;

extern "C" {

int vh_class_define(vh_runtime runtime, const vh_class_def* user_def, vh_class* out) {
  if (!out || !user_def) return VH_EINVAL;
  vh_class_def def_copy{};
  VH_TRY(copy_versioned(user_def, sizeof(vh_class_def), &def_copy));
  const vh_class_def* def = &def_copy;
  VH_TRY(check_def(def));
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  HostClass* parent = nullptr;
  if (def->parent.id_ != 0) {
    VH_TRY(resolve_class(def->parent, &parent));
    if (parent->rt != rt) return VH_ERUNTIME_MISMATCH;
  }
  RuntimeLock lock(rt);
  v8::Isolate* iso = rt->isolate;
  v8::Local<v8::String> class_name;
  VH_TRY(make_name(iso, def->name, &class_name));

  auto* cls = new HostClass();
  cls->rt = rt;
  cls->name = def->name;
  cls->construct = def->construct;
  cls->finalize = def->finalize;
  cls->data = def->data;
  rt->host->classes.insert(cls);  // from here on freed with the runtime, whatever happens below
  HostFunction* ctor = new_runtime_record(rt, HostFunction::kConstructor, nullptr, def->data, cls);
  cls->records.push_back(ctor);
  v8::Local<v8::FunctionTemplate> tmpl = host_template(rt, ctor, v8::Local<v8::Signature>());
  tmpl->SetClassName(class_name);
  tmpl->InstanceTemplate()->SetInternalFieldCount(1);
  if (parent) tmpl->Inherit(strong_local(parent->tmpl));
  v8::Local<v8::Signature> brand = v8::Signature::New(iso, tmpl);
  v8::Local<v8::ObjectTemplate> proto = tmpl->PrototypeTemplate();

  for (size_t i = 0; i < def->method_count; ++i) {
    v8::Local<v8::String> name;
    VH_TRY(make_name(iso, def->methods[i].name, &name));
    v8::Local<v8::FunctionTemplate> m = method_template(cls, def->methods[i].callback, brand);
    m->SetClassName(name);
    proto->Set(name, m, v8::DontEnum);
  }
  for (size_t i = 0; i < def->native_method_count; ++i) {
    v8::Local<v8::String> name;
    VH_TRY(make_name(iso, def->native_methods[i].name, &name));
    HostFunction* rec = new_runtime_record(rt, HostFunction::kNativeMethod, nullptr, def->data, cls);
    rec->native = def->native_methods[i].callback;
    rec->name = cls->name + ".prototype." + def->native_methods[i].name;
    cls->records.push_back(rec);
    v8::Local<v8::FunctionTemplate> m = host_template(rt, rec, brand);
    m->SetClassName(name);
    proto->Set(name, m, v8::DontEnum);
  }
  for (size_t i = 0; i < def->accessor_count; ++i) {
    const vh_accessor_def& a = def->accessors[i];
    v8::Local<v8::String> name;
    VH_TRY(make_name(iso, a.name, &name));
    v8::Local<v8::FunctionTemplate> getter, setter;
    if (a.get) getter = method_template(cls, a.get, brand);
    if (a.set) setter = method_template(cls, a.set, brand);
    proto->SetAccessorProperty(name, getter, setter, v8::DontEnum);
  }
  for (size_t i = 0; i < def->static_method_count; ++i) {
    v8::Local<v8::String> name;
    VH_TRY(make_name(iso, def->static_methods[i].name, &name));
    v8::Local<v8::FunctionTemplate> m =
        method_template(cls, def->static_methods[i].callback, v8::Local<v8::Signature>());
    m->SetClassName(name);
    tmpl->Set(name, m, v8::DontEnum);
  }
  cls->tmpl.Reset(iso, tmpl);
  cls->handle = class_table().add(cls);
  if (cls->handle == 0) return VH_ENOMEM;
  out->id_ = cls->handle;
  return VH_OK;
}

int vh_class_constructor(vh_engine engine, vh_class handle, vh_value* out) {
  if (!out) return VH_EINVAL;
  EngineCall call;
  HostClass* cls;
  VH_TRY(enter_class(call, engine, handle, &cls));
  v8::Local<v8::Function> ctor;
  if (!strong_local(cls->tmpl)->GetFunction(call.context).ToLocal(&ctor)) return VH_ENOMEM;
  *out = call.result(ctor);
  return VH_OK;
}

int vh_class_new_instance(vh_engine engine, vh_class handle, void* native, vh_value* out) {
  if (!out) return VH_EINVAL;
  EngineCall call;
  HostClass* cls;
  VH_TRY(enter_class(call, engine, handle, &cls));
  v8::Local<v8::Object> obj;
  if (!strong_local(cls->tmpl)->InstanceTemplate()->NewInstance(call.context).ToLocal(&obj))
    return VH_ENOMEM;
  attach_instance(cls, obj, native);
  *out = call.result(obj);
  return VH_OK;
}

int vh_class_unwrap(vh_value value, vh_class handle, void** native) {
  if (!native) return VH_EINVAL;
  const Slot* slot;
  VH_TRY(lookup_value(value, &slot));
  HostClass* cls;
  VH_TRY(resolve_class(handle, &cls));
  if (cls->rt != slot->rt) return VH_ERUNTIME_MISMATCH;
  if (!slot->local->IsObject() || !strong_local(cls->tmpl)->HasInstance(slot->local)) return VH_EBRAND;
  // HasInstance: made from this class's template or a subclass's, all of which have the field.
  Instance* inst = instance_of(slot->local.As<v8::Object>());
  if (!inst) return VH_EBRAND;  // its constructor failed or has not returned yet
  *native = inst->native;
  return VH_OK;
}

int vh_runtime_global_class(vh_runtime runtime, vh_class handle) {
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  HostClass* cls;
  VH_TRY(resolve_class(handle, &cls));
  if (is_reserved_global(cls->name.c_str())) return VH_EINVAL;
  if (cls->rt != rt) return VH_ERUNTIME_MISMATCH;
  RuntimeLock lock(rt);
  return register_runtime_global(rt, cls->name, strong_local(cls->tmpl));
}

}  // extern "C"
