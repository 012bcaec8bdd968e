// vh_engine_*: engines (V8 contexts), evaluating scripts in them, their global object.
#include "core/call.h"
#include "core/v8_compat.h"
#include "host/fast_reads.h"
#include "host/host.h"
#include "debug/inspector.h"
#include "loop/loop.h"
#include "marshal/buffer_cache.h"
#include "marshal/marshal.h"
#include "module/module.h"
#include "embed/snapshot.h"
#include "core/versioned.h"
#include "embed/lifecycle.h"
#include "limits/safe_builtins.h"
#include "v8host.h"

namespace vh {

void destroy_engine_object(Engine* e) {
  unbind_context(e);
  e->context.Reset();
  engine_table().remove(e->handle);
  delete e->shared_buffers;
  delete e;
}

void unbind_context(Engine* e) {
  ++e->rt->marshal->engine_generation;  // proxy records forget the engines they cached (proxy.cc)
  inspector_engine_destroyed(e);
  cancel_engine_timers(e);
  e->shared_buffers->clear();  // its weak Globals, while the lock is held
  destroy_module_map(e);
  clear_pending(e);
  e->intrinsics.Reset();
  v8::HandleScope handles(e->rt->isolate);
  v8::Local<v8::Context> ctx = e->context.Get(e->rt->isolate);
  // Objects made in this context may outlive it; a stale pointer back must not.
  ctx->SetAlignedPointerInEmbedderData(kEngineEmbedderSlot, nullptr);
}

}  // namespace vh

using namespace vh;

namespace {

// Reads the intrinsics of a fresh context (no script has run in it, so its globals are still
// the realm's own). Absent ones stay empty; their users fall back or refuse.
void capture_intrinsics(Engine* e, v8::Local<v8::Context> ctx) {
  Runtime* rt = e->rt;
  v8::Isolate* iso = rt->isolate;
  v8::Context::Scope entered(ctx);
  v8::TryCatch quiet(iso);
  auto get = [&](v8::Local<v8::Value> from, const char* name) -> v8::Local<v8::Value> {
    v8::Local<v8::String> key;
    v8::Local<v8::Value> v;
    if (!from->IsObject() || !v8::String::NewFromUtf8(iso, name, v8::NewStringType::kInternalized).ToLocal(&key) ||
        !from.As<v8::Object>()->Get(ctx, key).ToLocal(&v))
      return v8::Undefined(iso);
    return v;
  };
  auto keep = [&](v8::Global<v8::Function>* slot, v8::Local<v8::Value> v) {
    if (v->IsFunction()) slot->Reset(iso, v.As<v8::Function>());
  };
  v8::Local<v8::Value> global = ctx->Global(), reflect = get(global, "Reflect");
  Intrinsics& in = e->intrinsics;
  keep(&in.reflect_set, get(reflect, "set"));
  keep(&in.reflect_set_prototype_of, get(reflect, "setPrototypeOf"));
  keep(&in.function_bind, get(get(get(global, "Function"), "prototype"), "bind"));
  for (int i = 0; i < kErrorKindCount; ++i) {
    v8::Local<v8::Value> proto = get(get(global, error_kind_name(i)), "prototype");
    if (proto->IsObject()) in.error_protos[i].Reset(iso, proto.As<v8::Object>());
  }
  if (rt->marshal->symbol_match_all.IsEmpty()) {
    v8::Local<v8::Value> symbol = get(global, "Symbol");
    v8::Local<v8::Value> match_all = get(symbol, "matchAll"), species = get(symbol, "species");
    if (match_all->IsSymbol()) rt->marshal->symbol_match_all.Reset(iso, match_all.As<v8::Symbol>());
    if (species->IsSymbol()) rt->marshal->symbol_species.Reset(iso, species.As<v8::Symbol>());
  }
}

}  // namespace

// Makes ctx the engine's context: the runtime's security token, the pointer back to the engine,
// the intrinsics read before any script runs, the runtime's globals, the inspector's target.
void vh::bind_context(Engine* e, v8::Local<v8::Context> ctx) {
  Runtime* rt = e->rt;
  ctx->SetSecurityToken(rt->embed->security_token.Get(rt->isolate));
  ctx->SetAlignedPointerInEmbedderData(kEngineEmbedderSlot, e);
  e->context.Reset(rt->isolate, ctx);
  capture_intrinsics(e, ctx);
  if (!rt->host->globals.empty()) {
    v8::Context::Scope entered(ctx);
    // Cannot fail: registration refuses the names a fresh engine holds non-configurably.
    install_runtime_globals(e, ctx);
  }
  inspector_engine_created(e);
}

namespace {

int new_engine(Runtime* rt, const vh_engine_options* options, Engine** out) {
  vh_engine_options opts{};
  opts.struct_size = sizeof opts;
  if (options) VH_TRY(copy_versioned(options, sizeof(vh_engine_options), &opts));
  if (opts.reserved_flags != 0) return VH_EINVAL;
  auto e = std::make_unique<Engine>();
  e->rt = rt;
  RuntimeLock lock(rt);
  if (rt->embed->snapshot) VH_TRY(check_snapshot_bindings(rt));  // before script can call a record
  v8::Local<v8::Context> ctx = v8::Context::New(rt->isolate);
  if (ctx.IsEmpty()) return VH_ENOMEM;
  // Before any script can run in it; a context restored from a snapshot has them already (the
  // builder's context had them when it was serialized).
  if (!snapshot_restored(rt)) VH_TRY(install_safe_builtins(rt, ctx, rt->embed->snapshot == nullptr));
  verify_fast_reads(rt->isolate, ctx);  // once per process, before any script can run
  e->handle = engine_table().add(e.get());
  if (e->handle == 0) return VH_ENOMEM;
  e->shared_buffers = new BufferCache();  // freed by destroy_engine_object
  bind_context(e.get(), ctx);
  rt->engines.insert(e.get());
  *out = e.release();
  return VH_OK;
}

}  // namespace

extern "C" {

int vh_engine_new(vh_runtime runtime, const vh_engine_options* options, vh_engine* out) {
  if (!out) return VH_EINVAL;
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  Engine* e;
  VH_TRY(new_engine(rt, options, &e));
  out->id_ = e->handle;
  return VH_OK;
}

int vh_engine_new_private(const vh_runtime_options* runtime_options,
                          const vh_engine_options* engine_options, vh_engine* out) {
  if (!out) return VH_EINVAL;
  if (engine_options) {  // checked before the runtime is made, so a bad struct costs nothing
    vh_engine_options opts{};
    VH_TRY(copy_versioned(engine_options, sizeof(vh_engine_options), &opts));
  }
  vh_runtime runtime;
  VH_TRY(vh_runtime_new(runtime_options, &runtime));
  Runtime* rt = runtime_table().get(runtime.id_);
  Engine* e;
  int rc = new_engine(rt, engine_options, &e);
  if (rc != VH_OK) {
    dispose_runtime(rt);
    return rc;
  }
  rt->embed->private_owner = e;
  out->id_ = e->handle;
  return VH_OK;
}

int vh_engine_dispose(vh_engine engine) {
  Engine* e;
  VH_TRY(resolve_engine(engine, &e));
  Runtime* rt = e->rt;
  if (rt->embed->private_owner == e) return dispose_runtime(rt);
  RuntimeLock lock(rt);  // in_use is the lock holder's to read: take the lock first
  if (e->in_use) return VH_EBUSY;
  rt->engines.erase(e);
  destroy_engine_object(e);
  return VH_OK;
}

bool vh_engine_equal(vh_engine a, vh_engine b) { return a.id_ == b.id_; }

int vh_engine_runtime(vh_engine engine, vh_runtime* out) {
  if (!out) return VH_EINVAL;
  Engine* e;
  VH_TRY(resolve_engine(engine, &e));
  out->id_ = e->rt->handle;
  return VH_OK;
}

int vh_engine_global(vh_engine engine, vh_value* out) {
  if (!out) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  return call.result_to(call.context->Global(), out);
}

int vh_eval(vh_engine engine, const char* source, size_t length, const char* resource_name,
            vh_value* out) {
  if (!source) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, true));
  v8::Isolate* iso = call.isolate;
  if (length == VH_AUTO_LENGTH) length = strlen(source);
  v8::Local<v8::String> text;
  VH_TRY(make_utf8_string(iso, source, length, v8::NewStringType::kNormal, &text));
  v8::Local<v8::String> name;
  VH_TRY(make_utf8_string(iso, resource_name ? resource_name : "<anonymous>", VH_AUTO_LENGTH,
                          v8::NewStringType::kNormal, &name));
  v8::TryCatch tc(iso);
  v8::ScriptOrigin origin = compat::script_origin(iso, name);
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> result;
  if (!v8::Script::Compile(call.context, text, &origin).ToLocal(&script) ||
      !script->Run(call.context).ToLocal(&result))
    return call.failed(tc);
  return call.result_to(result, out);
}

}  // extern "C"
