// ES modules: the per-engine module map, the host loader and import.meta hooks, synthetic modules
// (exports made in C), dynamic import() and top-level await.
//
// Every module an engine has compiled or created is in its ModuleMap under its resolved name;
// V8 hands us modules (the referrer of a static import, the module whose import.meta is read,
// a synthetic module being evaluated) and the map finds their names by identity hash.
// The host's hooks (loader, import.meta hook, synthetic init) run in a HostFrame
// (core/frame.h), as host functions do in callback.cc: their values and leftover scopes are
// released when they return, and an exception they throw is theirs to report through the status
// they return.
#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error_kinds.h"
#include "core/call.h"
#include "marshal/marshal.h"
#include "core/v8_compat.h"
#include "host/host.h"
#include "loop/loop.h"
#include "core/frame.h"
#include "core/stop.h"
#include "module/module.h"
#include "v8host.h"

namespace vh {

struct SyntheticDef {
  std::vector<std::string> exports;
  vh_synthetic_init_cb init = nullptr;
  void* data = nullptr;
};

struct ModuleEntry {
  std::string name;
  v8::Global<v8::Module> module;
  int hash = 0;
};

// A synthetic module whose init is running, named by its vh_synthetic_module handle: an id
// never reused in the process, so a handle kept past its init is recognised.
struct SyntheticInit {
  v8::Local<v8::Module> module;
  const SyntheticDef* def;
  uint64_t id;
};

std::atomic<uint64_t> g_next_synthetic_id{1};

struct ModuleMap {
  std::unordered_map<std::string, std::unique_ptr<ModuleEntry>> by_name;
  std::unordered_multimap<int, ModuleEntry*> by_hash;  // identity hash -> entry
  std::unordered_map<std::string, SyntheticDef> synthetic;  // defined, created on first import
  std::vector<SyntheticInit*> initializing;  // inits running now (they nest)
  int linking = 0;  // InstantiateModule calls running in this engine
};

void destroy_module_map(Engine* engine) {
  // The runtime remembers that modules were loaded: their namespaces may stay reachable.
  if (engine->modules) engine->rt->module->dropped_modules = true;
  delete engine->modules;  // the Globals reset themselves
  engine->modules = nullptr;
}

namespace {

ModuleMap* map_of(Engine* e) {
  if (!e->modules) e->modules = new ModuleMap();
  return e->modules;
}

ModuleEntry* find_entry(ModuleMap* map, v8::Local<v8::Module> module) {
  if (!map) return nullptr;
  auto range = map->by_hash.equal_range(module->GetIdentityHash());
  for (auto it = range.first; it != range.second; ++it)
    if (it->second->module == module) return it->second;
  return nullptr;
}

ModuleEntry* find_name(ModuleMap* map, const std::string& name) {
  auto it = map->by_name.find(name);
  return it == map->by_name.end() ? nullptr : it->second.get();
}

void add_entry(Engine* e, const std::string& name, v8::Local<v8::Module> module) {
  ModuleMap* map = map_of(e);
  auto entry = std::make_unique<ModuleEntry>();
  entry->name = name;
  entry->module.Reset(e->rt->isolate, module);
  entry->hash = module->GetIdentityHash();
  map->by_hash.emplace(entry->hash, entry.get());
  map->by_name[name] = std::move(entry);
}

void remove_entry(ModuleMap* map, const std::string& name) {
  auto it = map->by_name.find(name);
  if (it == map->by_name.end()) return;
  auto range = map->by_hash.equal_range(it->second->hash);
  for (auto h = range.first; h != range.second; ++h)
    if (h->second == it->second.get()) {
      map->by_hash.erase(h);
      break;
    }
  map->by_name.erase(it);
}

std::string to_std(v8::Isolate* iso, v8::Local<v8::Value> value) {
  if (value.IsEmpty() || !value->IsString()) return std::string();
  v8::String::Utf8Value text(iso, value);
  return *text ? std::string(*text, text.length()) : std::string();
}

v8::Local<v8::String> v8_str(v8::Isolate* iso, const std::string& s) {
  v8::Local<v8::String> out;
  if (s.size() > static_cast<size_t>(v8::String::kMaxLength) / 3 ||
      !v8::String::NewFromUtf8(iso, s.data(), v8::NewStringType::kNormal, static_cast<int>(s.size()))
           .ToLocal(&out))
    out = v8::String::Empty(iso);
  return out;
}

void throw_error(v8::Isolate* iso, const std::string& text) {
  iso->ThrowException(v8::Exception::Error(v8_str(iso, text)));
}

void throw_cannot_load(v8::Isolate* iso, const std::string& spec, const std::string& referrer,
                       const std::string& reason) {
  throw_error(iso, "Cannot load module '" + spec + "' from '" + referrer + "': " + reason);
}

// The loader failed with rc: the same message, and the Error carries `code`.
void throw_loader_status(v8::Isolate* iso, const std::string& spec, const std::string& referrer, int rc) {
  iso->ThrowException(status_error(
      iso, rc, "Cannot load module '" + spec + "' from '" + referrer + "': " + vh_err_name(rc)));
}

// Runs the loader for one import. On VH_OK *name is the resolved name and *source the text
// (when *has_source). Whatever the loader throws is dropped: its status decides.
int call_loader(Engine* e, const std::string& spec, const std::string& referrer, std::string* name,
                std::string* source, bool* has_source) {
  Runtime* rt = e->rt;
  v8::Isolate* iso = rt->isolate;
  ThreadState* ts = ThreadState::current();
  if (ts->depth >= kMaxCallDepth) return VH_EDEPTH;
  v8::HandleScope handles(iso);
  v8::TryCatch tc(iso);
  int rc;
  {
    HostFrame frame(ts, rt, e);
    vh_module_source out{};
    out.source_length = VH_AUTO_LENGTH;
    rc = rt->module->module_loader(vh_engine{e->handle}, spec.c_str(), referrer.c_str(), &out,
                           rt->module->module_loader_data);
    if (rc == VH_OK && (tc.HasCaught() || ts->frame_threw)) rc = VH_EEXCEPTION;
    if (rc == VH_OK && !out.resolved_name) rc = VH_EINVAL;
    if (rc == VH_OK) {
      *name = out.resolved_name;
      *has_source = out.source != nullptr;
      if (out.source) {
        size_t length = out.source_length == VH_AUTO_LENGTH ? strlen(out.source) : out.source_length;
        if (length > INT32_MAX)
          rc = VH_ERANGE;  // more than V8 can take (and likely a bad length)
        else
          source->assign(out.source, length);
      }
    }
  }
  if (tc.HasTerminated()) tc.ReThrow();
  return rc > 0 ? VH_OK : rc;
}

v8::MaybeLocal<v8::Value> synthetic_steps(v8::Local<v8::Context> ctx, v8::Local<v8::Module> module);

// The module a specifier imported from referrer resolves to: from the map, made from a
// synthetic definition, or compiled from the loader's source (and added to the map). Empty,
// with an exception thrown, on failure.
v8::MaybeLocal<v8::Module> load_module(Engine* e, const std::string& spec, const std::string& referrer) {
  v8::Isolate* iso = e->rt->isolate;
  ModuleMap* map = map_of(e);
  std::string name, source;
  bool has_source = false;
  if (map->synthetic.count(spec)) {
    name = spec;  // a synthetic module's own name needs no loader
  } else if (!e->rt->module->module_loader) {
    throw_cannot_load(iso, spec, referrer, "no module loader is set");
    return {};
  } else {
    int rc = call_loader(e, spec, referrer, &name, &source, &has_source);
    if (iso->IsExecutionTerminating()) return {};
    if (rc != VH_OK) {
      throw_loader_status(iso, spec, referrer, rc);
      return {};
    }
  }
  if (ModuleEntry* entry = find_name(map, name)) return entry->module.Get(iso);

  auto def = map->synthetic.find(name);
  if (def != map->synthetic.end()) {
    std::vector<v8::Local<v8::String>> exports;
    for (const std::string& n : def->second.exports) exports.push_back(v8_str(iso, n));
    v8::Local<v8::Module> module =
        compat::new_synthetic_module(iso, v8_str(iso, name), exports, synthetic_steps);
    add_entry(e, name, module);
    return module;
  }
  if (!has_source) {
    throw_cannot_load(iso, spec, referrer, "no module '" + name + "' is loaded or defined");
    return {};
  }
  v8::Local<v8::String> text;
  int rc = make_utf8_string(iso, source.data(), source.size(), v8::NewStringType::kNormal, &text);
  if (rc != VH_OK) {
    throw_loader_status(iso, spec, referrer, rc);
    return {};
  }
  v8::ScriptOrigin origin = compat::script_origin(iso, v8_str(iso, name), 0, 0, true);
  v8::ScriptCompiler::Source src(text, origin);
  v8::TryCatch tc(iso);  // rethrown with its message: a SyntaxError keeps its module's location
  v8::Local<v8::Module> module;
  if (!v8::ScriptCompiler::CompileModule(iso, &src).ToLocal(&module)) {
    tc.ReThrow();
    return {};
  }
  add_entry(e, name, module);
  return module;
}

// V8's ResolveModuleCallback for static imports.
v8::MaybeLocal<v8::Module> resolve_static(v8::Local<v8::Context> ctx, v8::Local<v8::String> specifier,
                                          v8::Local<v8::FixedArray>, v8::Local<v8::Module> referrer) {
  v8::Isolate* iso = compat::isolate_of(ctx);
  Engine* e = engine_of(ctx);
  if (!e) {
    throw_error(iso, "the engine has been disposed");
    return {};
  }
  ModuleEntry* from = find_entry(e->modules, referrer);
  return load_module(e, to_std(iso, specifier), from ? from->name : std::string());
}

// Links module if it is not linked yet.
bool link(Engine* e, v8::Local<v8::Context> ctx, v8::Local<v8::Module> module) {
  if (module->GetStatus() != v8::Module::kUninstantiated) return true;
  ModuleMap* map = map_of(e);
  ++map->linking;
  bool ok = module->InstantiateModule(ctx, resolve_static).IsJust();
  --map->linking;
  return ok;
}

// Synthetic evaluation steps: run the definition's init in a hook frame.
v8::MaybeLocal<v8::Value> synthetic_steps(v8::Local<v8::Context> ctx, v8::Local<v8::Module> module) {
  v8::Isolate* iso = compat::isolate_of(ctx);
  v8::EscapableHandleScope handles(iso);
  Engine* e = engine_of(ctx);
  ModuleEntry* entry = e ? find_entry(e->modules, module) : nullptr;
  if (!entry || !e->modules->synthetic.count(entry->name)) {
    throw_error(iso, "the synthetic module's engine has been disposed");
    return {};
  }
  Runtime* rt = e->rt;
  ModuleMap* map = e->modules;
  SyntheticDef def = map->synthetic[entry->name];  // copied: the init may define more
  std::string name = entry->name;
  ThreadState* ts = ThreadState::current();
  if (ts->depth >= kMaxCallDepth) {
    throw_status(iso, VH_EDEPTH);
    return {};
  }
  SyntheticInit rec{module, &def, g_next_synthetic_id.fetch_add(1, std::memory_order_relaxed)};
  map->initializing.push_back(&rec);
  int rc;
  bool threw;
  {
    HostFrame frame(ts, rt, e);
    rc = def.init(vh_engine{e->handle}, vh_synthetic_module{rec.id}, def.data);
    threw = ts->frame_threw || (rc == VH_EEXCEPTION && frame.rethrow_failed(iso));
  }
  for (size_t i = map->initializing.size(); i-- > 0;)
    if (map->initializing[i] == &rec) {
      map->initializing.erase(map->initializing.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  if (threw) return {};
  if (rc < 0) {
    iso->ThrowException(status_error(iso, rc, "Cannot initialise synthetic module '" + name + "': " + vh_err_name(rc)));
    return {};
  }
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(ctx).ToLocal(&resolver) ||
      resolver->Resolve(ctx, v8::Undefined(iso)).IsNothing())
    return {};
  return handles.Escape(resolver->GetPromise());
}

void return_data(const v8::FunctionCallbackInfo<v8::Value>& info) { info.GetReturnValue().Set(info.Data()); }

// Loads, links and evaluates an import()ed module: a promise of its namespace, or empty with an
// exception thrown.
v8::MaybeLocal<v8::Value> import_now(Engine* e, v8::Local<v8::Context> ctx, const std::string& spec,
                                     const std::string& referrer) {
  v8::Isolate* iso = compat::isolate_of(ctx);
  if (map_of(e)->linking) {
    throw_cannot_load(iso, spec, referrer, "modules are being linked");
    return {};
  }
  v8::Local<v8::Module> module;
  if (!load_module(e, spec, referrer).ToLocal(&module) || !link(e, ctx, module)) return {};
  v8::Module::Status status = module->GetStatus();
  if (status == v8::Module::kInstantiating || status == v8::Module::kEvaluating) {
    throw_cannot_load(iso, spec, referrer, "the module is being evaluated");
    return {};
  }
  v8::Local<v8::Value> result;
  if (!module->Evaluate(ctx).ToLocal(&result)) return {};
  if (module->GetStatus() == v8::Module::kErrored) return result;  // a rejected promise
  v8::Local<v8::Value> ns = module->GetModuleNamespace();
  if (!result->IsPromise()) return ns;
  v8::Local<v8::Function> then;
  if (!v8::Function::New(ctx, return_data, ns, 0, v8::ConstructorBehavior::kThrow).ToLocal(&then))
    return {};
  v8::Local<v8::Promise> chained;
  if (!result.As<v8::Promise>()->Then(ctx, then).ToLocal(&chained)) return {};
  return chained;
}

// The microtask that carries out an import(): data is [resolver, specifier, referrer]. Run as
// a job, as the spec's HostLoadImportedModule is, so that the importing module has finished
// its synchronous evaluation (V8 cannot evaluate a module that is evaluating).
void import_job(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* iso = info.GetIsolate();
  v8::HandleScope handles(iso);
  v8::Local<v8::Context> ctx = iso->GetCurrentContext();
  v8::Local<v8::Array> data = info.Data().As<v8::Array>();
  v8::Local<v8::Value> parts[3];
  for (uint32_t i = 0; i < 3; ++i)
    if (!data->Get(ctx, i).ToLocal(&parts[i])) return;
  v8::Local<v8::Promise::Resolver> resolver = parts[0].As<v8::Promise::Resolver>();
  std::string spec = to_std(iso, parts[1]), referrer = to_std(iso, parts[2]);
  Engine* e = engine_of(ctx);
  v8::TryCatch tc(iso);
  v8::Local<v8::Value> result;
  bool ok;
  if (e) {
    ok = import_now(e, ctx, spec, referrer).ToLocal(&result);
  } else {
    throw_cannot_load(iso, spec, referrer, "the engine has been disposed");
    ok = false;
  }
  if (ok) {
    resolver->Resolve(ctx, result).FromMaybe(false);
    return;
  }
  if (tc.HasTerminated() || !tc.HasCaught()) {
    if (tc.HasCaught()) tc.ReThrow();
    return;
  }
  v8::Local<v8::Value> exception = tc.Exception();
  tc.Reset();
  resolver->Reject(ctx, exception).FromMaybe(false);
}

// V8's HostImportModuleDynamicallyCallback: a promise settled by import_job.
v8::MaybeLocal<v8::Promise> import_dynamic(v8::Local<v8::Context> ctx, v8::Local<v8::Data>,
                                           v8::Local<v8::Value> resource_name,
                                           v8::Local<v8::String> specifier, v8::Local<v8::FixedArray>) {
  v8::Isolate* iso = compat::isolate_of(ctx);
  v8::EscapableHandleScope handles(iso);
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(ctx).ToLocal(&resolver)) return {};
  v8::Local<v8::Value> parts[] = {resolver, specifier,
                                  resource_name->IsString() ? resource_name
                                                            : v8::String::Empty(iso).As<v8::Value>()};
  v8::Local<v8::Array> data = v8::Array::New(iso, parts, 3);
  v8::Local<v8::Function> job;
  if (!v8::Function::New(ctx, import_job, data, 0, v8::ConstructorBehavior::kThrow).ToLocal(&job))
    return {};
  iso->EnqueueMicrotask(job);
  return handles.Escape(resolver->GetPromise());
}

// V8's HostInitializeImportMetaObjectCallback: runs the runtime's hook (what it throws is
// dropped: import.meta stays as filled so far).
void init_import_meta(v8::Local<v8::Context> ctx, v8::Local<v8::Module> module, v8::Local<v8::Object> meta) {
  Engine* e = engine_of(ctx);
  if (!e || !e->rt->module->import_meta_hook) return;
  ModuleEntry* entry = find_entry(e->modules, module);
  if (!entry) return;
  Runtime* rt = e->rt;
  v8::Isolate* iso = rt->isolate;
  ThreadState* ts = ThreadState::current();
  if (ts->depth >= kMaxCallDepth) return;
  std::string name = entry->name;
  v8::HandleScope handles(iso);
  v8::TryCatch tc(iso);
  {
    HostFrame frame(ts, rt, e);
    vh_value value = ts->push(rt, meta);
    (void)rt->module->import_meta_hook(vh_engine{e->handle}, name.c_str(), value, rt->module->import_meta_data);
  }
  if (tc.HasTerminated()) tc.ReThrow();
}

// Makes exception the engine's pending exception, with the location of its throw: a rethrown
// exception keeps its first message, an Error the place its stack trace starts.
int fail_with(EngineCall& call, v8::Local<v8::Value> exception) {
  v8::Local<v8::Message> message = caught_message(call.rt, exception, v8::Local<v8::Message>());
  if (message.IsEmpty()) message = v8::Exception::CreateMessage(call.isolate, exception);
  record_pending(call.engine, exception, message);
  call.ts->last_failed_engine = call.engine->handle;
  return VH_EEXCEPTION;
}

}  // namespace

void install_module_callbacks(Runtime* rt) {
  rt->isolate->SetHostImportModuleDynamicallyCallback(import_dynamic);
  rt->isolate->SetHostInitializeImportMetaObjectCallback(init_import_meta);
}

void module_external_references(std::vector<intptr_t>* out) {
  out->push_back(reinterpret_cast<intptr_t>(return_data));
  out->push_back(reinterpret_cast<intptr_t>(import_job));
  out->push_back(reinterpret_cast<intptr_t>(synthetic_steps));
}

}  // namespace vh

using namespace vh;

extern "C" {

int vh_runtime_set_module_loader(vh_runtime runtime, vh_module_loader_cb loader, void* data) {
  return set_under_lock(runtime, [&](Runtime* rt) {
    rt->module->module_loader = loader;
    rt->module->module_loader_data = loader ? data : nullptr;
  });
}

int vh_runtime_set_import_meta_hook(vh_runtime runtime, vh_import_meta_hook_cb hook, void* data) {
  return set_under_lock(runtime, [&](Runtime* rt) {
    rt->module->import_meta_hook = hook;
    rt->module->import_meta_data = hook ? data : nullptr;
  });
}

int vh_module_eval(vh_engine engine, const char* source, size_t length, const char* resolved_name,
                   vh_value* namespace_out) {
  if (!source || !resolved_name) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, true));
  v8::Isolate* iso = call.isolate;
  v8::Local<v8::Context> ctx = call.context;
  ModuleMap* map = map_of(call.engine);
  std::string name = resolved_name;
  if (map->by_name.count(name) || map->synthetic.count(name)) return VH_EINVAL;
  if (map->linking) return VH_EBUSY;  // a loader of this engine is running
  if (length == VH_AUTO_LENGTH) length = strlen(source);
  v8::Local<v8::String> text, resource;
  VH_TRY(make_utf8_string(iso, source, length, v8::NewStringType::kNormal, &text));
  VH_TRY(make_utf8_string(iso, resolved_name, VH_AUTO_LENGTH, v8::NewStringType::kNormal, &resource));

  v8::Local<v8::Module> module;
  v8::Local<v8::Promise> promise;
  {
    v8::TryCatch tc(iso);
    v8::ScriptOrigin origin = compat::script_origin(iso, resource, 0, 0, true);
    v8::ScriptCompiler::Source src(text, origin);
    if (!v8::ScriptCompiler::CompileModule(iso, &src).ToLocal(&module)) return call.failed(tc);
    add_entry(call.engine, name, module);  // before linking: a cycle back to it finds it
    if (!link(call.engine, ctx, module)) {
      remove_entry(map, name);  // unlinked: the name may be evaluated again
      return call.failed(tc);
    }
    v8::Local<v8::Value> result;
    if (!module->Evaluate(ctx).ToLocal(&result)) return call.failed(tc);
    if (!result->IsPromise()) return call.result_to(module->GetModuleNamespace(), namespace_out);
    promise = result.As<v8::Promise>();
    // Its rejection is this call's exception, not an unhandled rejection for the loop to report
    // (reporting would also format the error's stack, which loses the location we want).
    // MarkAsHandled queues nothing; a handler attached with Catch would queue a reaction job
    // that keeps the engine's context (and all its modules) alive until microtasks next run.
    // Only a promise rejected already was reported to the rejection tracker: it takes a real
    // handler, which tells the tracker (the error path; it rarely matters).
    if (promise->State() != v8::Promise::kRejected) {
      promise->MarkAsHandled();
    } else {
      v8::Local<v8::Function> ignore;
      if (!v8::Function::New(ctx, return_data, v8::Undefined(iso)).ToLocal(&ignore) ||
          promise->Catch(ctx, ignore).IsEmpty())
        return call.failed(tc);
    }
  }
  if (promise->State() == v8::Promise::kPending) drive_until_settled(call.rt, promise);
  switch (promise->State()) {
    case v8::Promise::kFulfilled:
      return call.result_to(module->GetModuleNamespace(), namespace_out);
    case v8::Promise::kRejected:
      return fail_with(call, promise->Result());
    default:
      if (iso->IsExecutionTerminating() || call.rt->stop_reason.load(std::memory_order_relaxed) != 0)
        return stopped_status(call.rt, call.ts);
      return fail_with(call, v8::Exception::Error(v8_str(
                                 iso, "Top-level await of module '" + name +
                                          "' did not settle: nothing is left that could settle it")));
  }
}

int vh_module_define_synthetic(vh_engine engine, const char* resolved_name,
                               const char* const* export_names, size_t export_count,
                               vh_synthetic_init_cb init, void* data) {
  if (!resolved_name || !export_names || export_count == 0 || !init) return VH_EINVAL;
  SyntheticDef def;
  def.init = init;
  def.data = data;
  for (size_t i = 0; i < export_count; ++i) {
    if (!export_names[i]) return VH_EINVAL;
    for (const std::string& seen : def.exports)
      if (seen == export_names[i]) return VH_EINVAL;  // V8 refuses duplicate exports
    def.exports.emplace_back(export_names[i]);
  }
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  ModuleMap* map = map_of(call.engine);
  std::string name = resolved_name;
  if (map->by_name.count(name) || map->synthetic.count(name)) return VH_EINVAL;
  map->synthetic.emplace(name, std::move(def));
  return VH_OK;
}

int vh_module_set_export(vh_engine engine, vh_synthetic_module module, const char* name, vh_value value) {
  if (!name || module.id_ == 0) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  ModuleMap* map = call.engine->modules;
  SyntheticInit* rec = nullptr;
  if (map)
    for (SyntheticInit* r : map->initializing)
      if (r->id == module.id_) rec = r;
  if (!rec) return VH_EDISPOSED;  // its init returned, or another engine's module
  bool known = false;
  for (const std::string& n : rec->def->exports) known = known || n == name;
  if (!known) return VH_EINVAL;
  v8::Local<v8::Value> v;
  VH_TRY(call_arg(call, value, &v));
  v8::Local<v8::String> key;
  VH_TRY(make_name(call.isolate, name, &key));
  v8::TryCatch tc(call.isolate);
  if (rec->module->SetSyntheticModuleExport(call.isolate, key, v).IsNothing()) return call.failed(tc);
  return VH_OK;
}

}  // extern "C"
