// Host functions (per engine and per runtime), errors and throwing, globals.
#include <cstring>

#include "core/error_kinds.h"
#include "host/host.h"
#include "marshal/marshal.h"
#include "v8host.h"

namespace vh {
namespace {

void free_collected_function(const v8::WeakCallbackInfo<HostFunction>& info) {
  HostFunction* rec = info.GetParameter();
  rec->weak.Reset();
  rec->rt->host->functions.erase(rec);
  delete rec;
}

int make_error(EngineCall& call, vh_error_kind kind, const char* message, v8::Local<v8::Value>* out) {
  if (!message) return VH_EINVAL;
  v8::Local<v8::String> text;
  VH_TRY(make_utf8_string(call.isolate, message, VH_AUTO_LENGTH, v8::NewStringType::kNormal, &text));
  if (error_kind_index(kind) < 0) return VH_EINVAL;
  *out = make_error_of_kind(call.isolate, call.engine, kind, text);
  return VH_OK;
}

// Throws into the running host callback, or makes the exception pending in the engine.
int throw_value(EngineCall& call, v8::Local<v8::Value> exception) {
  if (call.ts->frame_rt == call.rt) {
    call.isolate->ThrowException(exception);
    call.ts->frame_threw = true;
    return VH_OK;
  }
  record_pending(call.engine, exception, v8::Exception::CreateMessage(call.isolate, exception));
  return VH_OK;
}

}  // namespace

int make_engine_function(vh_engine engine, const char* name, const HostFunction& proto,
                         vh_value* out) {
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  v8::Local<v8::String> fn_name;
  VH_TRY(make_name(call.isolate, name ? name : "", &fn_name));
  auto* rec = new HostFunction();
  rec->kind = proto.kind;
  rec->fn = proto.fn;
  rec->numeric = proto.numeric;
  rec->data = proto.data;
  rec->name = name ? name : "";
  rec->engine_handle = call.engine->handle;
  rec->rt = call.rt;
  v8::FunctionCallback callback = rec->kind == HostFunction::kNumeric ? numeric_callback : host_callback;
  v8::Local<v8::Function> fn;
  if (!v8::Function::New(call.context, callback, v8::External::New(call.isolate, rec), 0,
                         v8::ConstructorBehavior::kAllow)
           .ToLocal(&fn)) {
    delete rec;
    return VH_ENOMEM;
  }
  fn->SetName(fn_name);
  // The record lives as long as the function: freed when it is collected (or with the runtime).
  rec->weak.Reset(call.isolate, fn);
  rec->weak.SetWeak(rec, free_collected_function, v8::WeakCallbackType::kParameter);
  call.rt->host->functions.insert(rec);
  *out = call.result(fn);
  return VH_OK;
}

int make_runtime_global_function(vh_runtime runtime, const char* name, const HostFunction& proto) {
  if (!name || is_reserved_global(name)) return VH_EINVAL;
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  RuntimeLock lock(rt);
  v8::Local<v8::String> fn_name;
  VH_TRY(make_name(rt->isolate, name, &fn_name));
  HostFunction* rec = new_runtime_record(rt, proto.kind, proto.fn, proto.data, nullptr);
  rec->numeric = proto.numeric;
  rec->name = name;
  v8::Local<v8::FunctionTemplate> tmpl = host_template(rt, rec, v8::Local<v8::Signature>());
  tmpl->SetClassName(fn_name);
  return register_runtime_global(rt, name, tmpl);
}

int register_runtime_global(Runtime* rt, const std::string& name, v8::Local<v8::FunctionTemplate> tmpl) {
  for (RuntimeGlobal& g : rt->host->globals) {
    if (g.name == name) {
      g.tmpl.Reset(rt->isolate, tmpl);
      return VH_OK;
    }
  }
  rt->host->globals.push_back(RuntimeGlobal{name, v8::Global<v8::FunctionTemplate>(rt->isolate, tmpl)});
  return VH_OK;
}

int install_runtime_globals(Engine* engine, v8::Local<v8::Context> ctx) {
  Runtime* rt = engine->rt;
  v8::Isolate* iso = rt->isolate;
  v8::TryCatch tc(iso);
  v8::Local<v8::Object> global = ctx->Global();
  for (const RuntimeGlobal& g : rt->host->globals) {
    v8::Local<v8::String> name;
    v8::Local<v8::Function> fn;
    VH_TRY(make_name(iso, g.name.c_str(), &name));
    // Defined, not assigned: a script's setter of the same name is replaced, not run; only a
    // non-configurable property (which script cannot give up) refuses the global.
    bool defined = false;
    if (!strong_local(g.tmpl)->GetFunction(ctx).ToLocal(&fn) ||
        !global->CreateDataProperty(ctx, name, fn).To(&defined)) {
      if (tc.HasCaught()) record_pending(engine, tc.Exception(), tc.Message());
      return VH_EEXCEPTION;
    }
    if (!defined) {
      std::string text = "Cannot redefine property: " + g.name;
      v8::Local<v8::Value> error = v8::Exception::TypeError(
          v8::String::NewFromUtf8(iso, text.c_str()).FromMaybe(v8::String::Empty(iso)));
      record_pending(engine, error, v8::Exception::CreateMessage(iso, error));
      return VH_EEXCEPTION;
    }
  }
  return VH_OK;
}

// Names of a fresh engine's non-configurable globals: a runtime global can never be set there.
bool is_reserved_global(const char* name) {
  return !strcmp(name, "undefined") || !strcmp(name, "NaN") || !strcmp(name, "Infinity");
}

}  // namespace vh

using namespace vh;

extern "C" {

bool vh_call_is_construct(const vh_call_info* info) { return info && info->new_target.serial_ != 0; }

int vh_new_function(vh_engine engine, const char* name, vh_host_function_cb callback, void* data,
                    vh_value* out) {
  if (!callback || !out) return VH_EINVAL;
  HostFunction proto;
  proto.fn = callback;
  proto.data = data;
  return make_engine_function(engine, name, proto, out);
}

int vh_new_error(vh_engine engine, vh_error_kind kind, const char* message, vh_value* out) {
  if (!out) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  v8::Local<v8::Value> error;
  VH_TRY(make_error(call, kind, message, &error));
  *out = call.result(error);
  return VH_OK;
}

int vh_throw(vh_engine engine, vh_value value) {
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  v8::Local<v8::Value> v;
  VH_TRY(call_arg(call, value, &v));
  return throw_value(call, v);
}

int vh_throw_error(vh_engine engine, vh_error_kind kind, const char* message) {
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  v8::Local<v8::Value> error;
  VH_TRY(make_error(call, kind, message, &error));
  return throw_value(call, error);
}

int vh_runtime_global_function(vh_runtime runtime, const char* name, vh_host_function_cb callback,
                               void* data) {
  if (!callback) return VH_EINVAL;
  HostFunction proto;
  proto.fn = callback;
  proto.data = data;
  return make_runtime_global_function(runtime, name, proto);
}

int vh_engine_install_globals(vh_engine engine) {
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  return install_runtime_globals(call.engine, call.context);
}

}  // extern "C"
