// Host proxies (see internal/proxy.h): identity, creation, the traps, lifetimes, and the wait
// for the source runtime that never holds the waiter's own runtime.
#include "internal/proxy.h"
#include "internal/snapshot.h"

#include <chrono>
#include <string>
#include <vector>

#include "internal/call.h"
#include "internal/host.h"
#include "internal/marshal.h"

namespace vh {

std::mutex g_marshal_mu;

namespace {

std::atomic<uint64_t> g_next_object_id{1};

// ---- identity --------------------------------------------------------------------------------

// The private symbol that holds identity ids in rt (made on first use).
v8::Local<v8::Private> id_key(Runtime* rt) {
  if (rt->id_key.IsEmpty())
    rt->id_key.Reset(rt->isolate, v8::Private::New(rt->isolate, v8::String::NewFromUtf8Literal(rt->isolate, "v8host.id")));
  return rt->id_key.Get(rt->isolate);
}

// A context of rt to work on object in: its creation context, else any engine's.
bool context_for(Runtime* rt, v8::Local<v8::Object> object, v8::Local<v8::Context>* out) {
  if (object->GetCreationContext().ToLocal(out)) return true;
  if (rt->engines.empty()) return false;
  *out = strong_local((*rt->engines.begin())->context);
  return true;
}

// The identity id of object (of runtime rt), assigned on first use: a private property, so the
// object keeps it for life and script cannot see or change it. 0 when none can be had.
uint64_t identity_of(Runtime* rt, v8::Local<v8::Object> object) {
  v8::Isolate* iso = rt->isolate;
  v8::Isolate::Scope entered(iso);
  v8::HandleScope handles(iso);
  v8::Local<v8::Context> ctx;
  if (!context_for(rt, object, &ctx)) return 0;
  v8::Context::Scope in_context(ctx);
  v8::Local<v8::Private> key = id_key(rt);
  v8::Local<v8::Value> v;
  if (object->GetPrivate(ctx, key).ToLocal(&v) && v->IsNumber())
    return static_cast<uint64_t>(v.As<v8::Number>()->Value());
  uint64_t id = g_next_object_id.fetch_add(1, std::memory_order_relaxed);
  if (object->SetPrivate(ctx, key, v8::Number::New(iso, static_cast<double>(id))).FromMaybe(false)) return id;
  return 0;
}

// ---- the handler class -----------------------------------------------------------------------

void trap_get(const v8::FunctionCallbackInfo<v8::Value>& info);
void trap_set(const v8::FunctionCallbackInfo<v8::Value>& info);
void trap_has(const v8::FunctionCallbackInfo<v8::Value>& info);
void trap_delete(const v8::FunctionCallbackInfo<v8::Value>& info);
void trap_own_keys(const v8::FunctionCallbackInfo<v8::Value>& info);
void trap_get_own_property_descriptor(const v8::FunctionCallbackInfo<v8::Value>& info);
void trap_define_property(const v8::FunctionCallbackInfo<v8::Value>& info);
void trap_get_prototype_of(const v8::FunctionCallbackInfo<v8::Value>& info);
void trap_apply(const v8::FunctionCallbackInfo<v8::Value>& info);
void trap_construct(const v8::FunctionCallbackInfo<v8::Value>& info);

// The traps by name (also listed in the snapshot's external-reference registry).
struct Trap {
  const char* name;
  v8::FunctionCallback callback;
};
const Trap kTraps[] = {{"get", trap_get},
                       {"set", trap_set},
                       {"has", trap_has},
                       {"deleteProperty", trap_delete},
                       {"ownKeys", trap_own_keys},
                       {"getOwnPropertyDescriptor", trap_get_own_property_descriptor},
                       {"defineProperty", trap_define_property},
                       {"getPrototypeOf", trap_get_prototype_of},
                       {"apply", trap_apply},
                       {"construct", trap_construct}};

// The handler class of rt's proxies: instances hold their ProxyRecord in internal field 0 and
// have the traps as own methods. The traps need no signature check of `this`: a Proxy's
// handler is unreachable from script, so V8 alone calls them, with the handler as `this`.
v8::Local<v8::FunctionTemplate> handler_class(Runtime* rt) {
  v8::Isolate* iso = rt->isolate;
  if (!rt->handler_class.IsEmpty()) return strong_local(rt->handler_class);
  v8::Local<v8::FunctionTemplate> cls = v8::FunctionTemplate::New(iso);
  cls->InstanceTemplate()->SetInternalFieldCount(1);
  for (const Trap& t : kTraps) {
    cls->InstanceTemplate()->Set(
        v8::String::NewFromUtf8(iso, t.name, v8::NewStringType::kInternalized).ToLocalChecked(),
        v8::FunctionTemplate::New(iso, t.callback, v8::Local<v8::Value>(), v8::Local<v8::Signature>(),
                                  0, v8::ConstructorBehavior::kThrow));
  }
  rt->handler_class.Reset(iso, cls);
  return cls;
}

// The record behind a proxy of rt made by this library, or nullptr for any other proxy.
ProxyRecord* record_of(Runtime* rt, v8::Local<v8::Proxy> proxy) {
  if (rt->handler_class.IsEmpty()) return nullptr;
  v8::Local<v8::Value> handler = proxy->GetHandler();
  if (!handler->IsObject() || !strong_local(rt->handler_class)->HasInstance(handler)) return nullptr;
  return static_cast<ProxyRecord*>(handler.As<v8::Object>()->GetAlignedPointerFromInternalField(0));
}

void dummy_function(const v8::FunctionCallbackInfo<v8::Value>&) {}  // never called: traps are

// ---- lifetimes -------------------------------------------------------------------------------

// Hands rec's object back to its runtime: queued for the next thread that takes that runtime's
// lock (which frees the record), or freed now when that runtime is gone (its disposal has reset
// the object already).
void release_record(ProxyRecord* rec) {
  std::lock_guard<std::mutex> lock(g_marshal_mu);
  RuntimeLink* source = rec->source.get();
  if (source->alive) {
    source->exported.erase(rec);
    source->release_queue.push_back(rec);
    source->has_releases.store(true, std::memory_order_release);
  } else {
    delete rec;
  }
}

// A proxy's handler was collected, so the proxy was too and no trap of it runs (weak callback,
// in the destination's GC, its lock held).
void on_handler_collected(const v8::WeakCallbackInfo<ProxyRecord>& info) {
  ProxyRecord* rec = info.GetParameter();
  rec->handler.Reset();
  rec->proxy.Reset();
  rec->dest->live_records.erase(rec);
  auto it = rec->dest->proxies.find(rec->id);
  if (it != rec->dest->proxies.end() && it->second == rec) rec->dest->proxies.erase(it);
  release_record(rec);
}

}  // namespace

void drain_releases(Runtime* rt) {
  std::vector<ProxyRecord*> queued;
  {
    std::lock_guard<std::mutex> lock(g_marshal_mu);
    queued.swap(rt->link->release_queue);
    rt->link->has_releases.store(false, std::memory_order_relaxed);
  }
  for (ProxyRecord* rec : queued) {
    rec->object.Reset();
    delete rec;
  }
}

void destroy_proxies(Runtime* rt) {
  std::vector<ProxyRecord*> exported;
  {
    std::lock_guard<std::mutex> lock(g_marshal_mu);
    rt->link->alive = false;
    exported.assign(rt->link->exported.begin(), rt->link->exported.end());
    rt->link->exported.clear();
  }
  drain_releases(rt);
  // Proxies elsewhere of objects here: the objects go now; those proxies throw from now on.
  for (ProxyRecord* rec : exported) rec->object.Reset();
  // Proxies here of objects elsewhere: give the objects back.
  for (ProxyRecord* rec : rt->live_records) {
    rec->proxy.Reset();
    rec->handler.Reset();
    release_record(rec);
  }
  rt->live_records.clear();
  rt->proxies.clear();
  rt->handler_class.Reset();
  rt->id_key.Reset();
  rt->reflect_set.Reset();
  rt->function_bind.Reset();
  rt->symbol_match_all.Reset();
  rt->symbol_species.Reset();
  rt->symbols_by_id.clear();
  rt->symbol_ids.clear();
}

namespace {

std::atomic<uint64_t> g_next_symbol_id{1};

// The process-wide id of a symbol of rt (assigned on first crossing), 0 if none yet and !assign.
uint64_t symbol_id(Runtime* rt, v8::Local<v8::Symbol> symbol, bool assign) {
  int hash = symbol->GetIdentityHash();
  auto range = rt->symbol_ids.equal_range(hash);
  for (auto it = range.first; it != range.second; ++it)
    if (it->second.first.Get(rt->isolate)->StrictEquals(symbol)) return it->second.second;
  if (!assign) return 0;
  uint64_t id = g_next_symbol_id.fetch_add(1, std::memory_order_relaxed);
  rt->symbol_ids.emplace(hash, std::make_pair(v8::Global<v8::Symbol>(rt->isolate, symbol), id));
  rt->symbols_by_id.emplace(id, v8::Global<v8::Symbol>(rt->isolate, symbol));
  return id;
}

// A well-known symbol of from, as to's own; empty when symbol is not well-known.
v8::Local<v8::Symbol> well_known_in(Runtime* from, v8::Local<v8::Symbol> symbol, Runtime* to) {
  using Getter = v8::Local<v8::Symbol> (*)(v8::Isolate*);
  static const Getter kWellKnown[] = {
      v8::Symbol::GetAsyncIterator, v8::Symbol::GetHasInstance, v8::Symbol::GetIsConcatSpreadable,
      v8::Symbol::GetIterator,      v8::Symbol::GetMatch,       v8::Symbol::GetReplace,
      v8::Symbol::GetSearch,        v8::Symbol::GetSplit,       v8::Symbol::GetToPrimitive,
      v8::Symbol::GetToStringTag,   v8::Symbol::GetUnscopables};
  for (Getter well_known : kWellKnown)
    if (symbol->StrictEquals(well_known(from->isolate))) return well_known(to->isolate);
  // The two V8 10.2 has no getter for, read from each runtime's first engine.
  const v8::Global<v8::Symbol> Runtime::*kCaptured[] = {&Runtime::symbol_match_all, &Runtime::symbol_species};
  for (auto member : kCaptured)
    if (!(from->*member).IsEmpty() && !(to->*member).IsEmpty() &&
        symbol->StrictEquals((from->*member).Get(from->isolate)))
      return (to->*member).Get(to->isolate);
  return v8::Local<v8::Symbol>();
}

}  // namespace

int pass_symbol(Runtime* from, v8::Local<v8::Symbol> symbol, Engine* to, v8::Local<v8::Value>* out) {
  Runtime* dest = to->rt;
  v8::Local<v8::Symbol> known = well_known_in(from, symbol, dest);
  if (!known.IsEmpty()) {
    *out = known;
    return VH_OK;
  }
  // Any other symbol: one symbol per source symbol in each runtime, through a shared id, so
  // identity holds both ways (both runtimes keep the symbols that crossed alive).
  uint64_t id = symbol_id(from, symbol, true);
  auto it = dest->symbols_by_id.find(id);
  if (it != dest->symbols_by_id.end()) {
    *out = it->second.Get(dest->isolate);
    return VH_OK;
  }
  v8::Local<v8::Value> description = symbol->Description(from->isolate);
  v8::Local<v8::Value> copied;
  if (description->IsString()) VH_TRY(pass_value(from, description, to, &copied, nullptr));
  v8::Local<v8::Symbol> mapped =
      v8::Symbol::New(dest->isolate, copied.IsEmpty() ? v8::Local<v8::String>() : copied.As<v8::String>());
  dest->symbols_by_id.emplace(id, v8::Global<v8::Symbol>(dest->isolate, mapped));
  dest->symbol_ids.emplace(mapped->GetIdentityHash(),
                           std::make_pair(v8::Global<v8::Symbol>(dest->isolate, mapped), id));
  *out = mapped;
  return VH_OK;
}

int pass_proxy(Runtime* from, v8::Local<v8::Object> object, Engine* to, v8::Local<v8::Value>* out) {
  Runtime* dest = to->rt;
  v8::Isolate* iso = dest->isolate;
  // Home again: a proxy of one of dest's own objects unwraps to the object.
  if (object->IsProxy()) {
    ProxyRecord* rec = record_of(from, object.As<v8::Proxy>());
    if (rec && rec->source->rt == dest && !rec->object.IsEmpty()) {
      *out = rec->object.Get(iso);
      return VH_OK;
    }
  }
  uint64_t id = identity_of(from, object);
  if (id) {
    auto it = dest->proxies.find(id);
    if (it != dest->proxies.end() && !it->second->proxy.IsEmpty()) {
      *out = it->second->proxy.Get(iso);
      return VH_OK;
    }
  }
  v8::Local<v8::Context> ctx = strong_local(to->context);
  v8::Context::Scope in_context(ctx);
  // The target only gives the proxy its shape: callable (and constructible) like the object,
  // an array for an array (Array.isArray), a plain object otherwise. It holds nothing.
  v8::Local<v8::Object> target;
  bool callable = object->IsFunction();
  if (callable) {
    v8::Local<v8::Function> fn;
    v8::ConstructorBehavior construct =
        object->IsConstructor() ? v8::ConstructorBehavior::kAllow : v8::ConstructorBehavior::kThrow;
    if (!v8::Function::New(ctx, dummy_function, v8::Local<v8::Value>(), 0, construct).ToLocal(&fn))
      return VH_ENOMEM;
    target = fn;
    // Bound, it keeps [[Call]] and [[Construct]] but has no own non-configurable properties
    // (an API function has arguments and caller), which the ownKeys invariant would demand.
    v8::Local<v8::Value> bound;
    if (!dest->function_bind.IsEmpty() &&
        dest->function_bind.Get(iso)->Call(ctx, fn, 0, nullptr).ToLocal(&bound) && bound->IsFunction())
      target = bound.As<v8::Object>();
  } else if (object->IsArray()) {
    target = v8::Array::New(iso);
  } else {
    target = v8::Object::New(iso);
  }
  v8::Local<v8::Object> handler;
  if (!handler_class(dest)->InstanceTemplate()->NewInstance(ctx).ToLocal(&handler)) return VH_ENOMEM;
  v8::Local<v8::Proxy> proxy;
  if (!v8::Proxy::New(ctx, target, handler).ToLocal(&proxy)) return VH_ENOMEM;

  auto* rec = new ProxyRecord();
  rec->source = from->link;
  rec->dest = dest;
  rec->id = id;
  rec->dest_engine = to->handle;
  v8::Local<v8::Context> home;
  Engine* home_engine = object->GetCreationContext().ToLocal(&home) ? engine_of(home) : nullptr;
  rec->source_engine_is_home = home_engine != nullptr;
  if (!home_engine && !from->engines.empty()) home_engine = *from->engines.begin();
  if (home_engine) rec->source_engine = home_engine->handle;
  rec->object.Reset(from->isolate, object);
  rec->proxy.Reset(iso, proxy);
  rec->proxy.SetWeak();
  rec->handler.Reset(iso, handler);
  rec->handler.SetWeak(rec, on_handler_collected, v8::WeakCallbackType::kParameter);
  handler->SetAlignedPointerInInternalField(0, rec);
  dest->live_records.insert(rec);
  // A record whose proxy died while its handler still runs a trap keeps living until that
  // handler is collected; the map now points at the new one (the old one's callback checks).
  if (id) dest->proxies[id] = rec;
  {
    std::lock_guard<std::mutex> lock(g_marshal_mu);
    from->link->exported.insert(rec);
  }
  *out = proxy;
  return VH_OK;
}

// ---- the traps -------------------------------------------------------------------------------

namespace {

// One trap's work: finds the record, takes the source runtime (directly when this thread holds
// it; else without holding the destination while waiting), enters it, and passes values both
// ways. When begin() returns false the trap has thrown and must return.
class ProxyOp {
 public:
  explicit ProxyOp(const v8::FunctionCallbackInfo<v8::Value>& info)
      : info_(info), diso_(info.GetIsolate()) {}
  ProxyOp(const ProxyOp&) = delete;
  ProxyOp& operator=(const ProxyOp&) = delete;
  ~ProxyOp() {
    tc_.reset();
    sctx_scope_.reset();
    shandles_.reset();
    siso_scope_.reset();
    if (source_engine_) --source_engine_->in_use;
    if (counted_js_) --source_->js_calls;
    if (took_source_) unlock_runtime(source_, &slocker_);
    if (dest_engine_) --dest_engine_->in_use;
  }

  bool begin() {
    rec_ = static_cast<ProxyRecord*>(info_.This()->GetAlignedPointerFromInternalField(0));
    dest_ = rec_->dest;
    ts_ = ThreadState::current();
    dest_engine_ = engine_table().get(rec_->dest_engine);
    if (!dest_engine_) dest_engine_ = engine_of(diso_->GetCurrentContext());
    if (!dest_engine_) dest_engine_ = dest_->entered;
    if (!dest_engine_) return fail("VH_EDISPOSED: no engine of the proxy's runtime is left");
    ++dest_engine_->in_use;
    RuntimeLink* link = rec_->source.get();
    if (link->owner.load(std::memory_order_relaxed) == ts_->ordinal) {
      // This thread holds the source (a scope open on it): it is alive, and nobody can dispose
      // it meanwhile (disposal refuses a runtime whose lock is held). No global mutex needed.
      source_ = link->rt;
      if (link->has_releases.load(std::memory_order_acquire)) drain_releases(source_);
    } else {
      if (!link->mu.try_lock() && !wait_for_source(link))
        return fail("VH_ETIMEDOUT: the proxied object's runtime stayed busy longer than proxy_wait_ms");
      // Disposal holds this mutex while it marks the link dead: with it held, the answer is
      // final, and the Runtime is only touched when alive.
      if (!source_alive()) {
        link->mu.unlock();
        return fail("VH_EDISPOSED: the proxied object's runtime has been disposed");
      }
      source_ = link->rt;
      enter_locked_runtime(source_, ts_, &slocker_);
      took_source_ = true;
    }
    if (rec_->object.IsEmpty()) return fail("VH_EDISPOSED: the proxied object has been released");
    siso_scope_.emplace(source_->isolate);
    shandles_.emplace(source_->isolate);
    object_ = rec_->object.Get(source_->isolate);
    // Work in the realm the real object belongs to: values passed in (callbacks, errors they
    // throw) are made there, where the object's own code expects them. While the engine it was
    // made in lives, that is its context (known since the proxy was made: no lookup).
    source_engine_ = engine_table().get(rec_->source_engine);
    bool has_context = source_engine_ && rec_->source_engine_is_home && source_engine_->rt == source_;
    if (has_context) {
      sctx_ = strong_local(source_engine_->context);
    } else {
      has_context = object_->GetCreationContext().ToLocal(&sctx_);
      source_engine_ = has_context ? engine_of(sctx_) : nullptr;
      if (!source_engine_) source_engine_ = engine_table().get(rec_->source_engine);
    }
    if (!source_engine_ || source_engine_->rt != source_)
      source_engine_ = source_->engines.empty() ? nullptr : *source_->engines.begin();
    if (!source_engine_) return fail("VH_EDISPOSED: no engine of the proxied object's runtime is left");
    ++source_engine_->in_use;
    ++source_->js_calls;
    counted_js_ = true;
    if (!has_context) sctx_ = strong_local(source_engine_->context);
    sctx_scope_.emplace(sctx_);
    tc_.emplace(source_->isolate);
    return true;
  }

  v8::Local<v8::Object> object() const { return object_; }
  v8::Local<v8::Function> reflect_set() const {
    return source_->reflect_set.IsEmpty() ? v8::Local<v8::Function>() : source_->reflect_set.Get(source_->isolate);
  }
  v8::Local<v8::Context> context() const { return sctx_; }
  v8::Isolate* source_isolate() const { return source_->isolate; }

  // A property key of the destination, passed into the source: a string key is copied as an
  // internalized string (most keys are, and the source's lookup then skips its own
  // internalization), without going through pass_value's dispatch.
  bool key_to_source(v8::Local<v8::Value> key, v8::Local<v8::Value>* out) {
    if (!key->IsString()) return to_source(key, out);
    if (copy_string(diso_, key.As<v8::String>(), source_->isolate, v8::NewStringType::kInternalized, out) == VH_OK)
      return true;
    fail("VH_ENOMEM: a key could not be passed to the proxied object's runtime");
    return false;
  }

  // A value of the destination, passed into the source.
  bool to_source(v8::Local<v8::Value> v, v8::Local<v8::Value>* out) {
    if (pass_value(dest_, v, source_engine_, out, nullptr) == VH_OK) return true;
    fail("VH_ENOMEM: a value could not be passed to the proxied object's runtime");
    return false;
  }

  // A value of the source, passed into the destination.
  bool to_dest(v8::Local<v8::Value> v, v8::Local<v8::Value>* out) {
    v8::Isolate::Scope dest_entered(diso_);
    if (pass_value(source_, v, dest_engine_, out, nullptr) == VH_OK) return true;
    fail("VH_ENOMEM: a value could not be passed back from the proxied object's runtime");
    return false;
  }

  // Returns a source value as the trap's result. The common primitives go straight into V8's
  // return value (no value to build, no re-entering the destination isolate); anything else
  // is passed by the marshaling rules.
  void give(v8::Local<v8::Value> v) {
    v8::ReturnValue<v8::Value> rv = info_.GetReturnValue();
    if (v->IsInt32()) return rv.Set(v.As<v8::Int32>()->Value());
    if (v->IsNumber()) return rv.Set(v.As<v8::Number>()->Value());
    if (v->IsBoolean()) return rv.Set(v->IsTrue());
    if (v->IsUndefined()) return rv.SetUndefined();
    if (v->IsNull()) return rv.SetNull();
    v8::Local<v8::Value> out;
    if (to_dest(v, &out)) rv.Set(out);
  }

  // The source operation failed: its exception, thrown in the destination as an error of the
  // same kind with the same message and stack (or, for a thrown non-error, the value itself).
  void rethrow() {
    v8::Isolate* siso = source_->isolate;
    if (tc_->HasTerminated() || !tc_->HasCaught()) {
      // The source was stopped under the operation. This thread entered the source only for
      // it, so no script of the source is left running here: the source works again.
      if (took_source_) {
        siso->CancelTerminateExecution();
        source_->stop_reason.store(0, std::memory_order_relaxed);
      }
      fail("VH_ETERMINATED: the proxied object's runtime stopped the operation");
      return;
    }
    v8::Local<v8::Value> exception = tc_->Exception();
    if (!exception->IsNativeError()) {
      v8::Local<v8::Value> value;
      if (to_dest(exception, &value)) diso_->ThrowException(value);
      return;
    }
    v8::Local<v8::Object> error = exception.As<v8::Object>();
    std::string name = property_text(error, "name"), message = property_text(error, "message");
    v8::Local<v8::Value> stack;
    std::string stack_text;
    if (v8::TryCatch::StackTrace(sctx_, exception).ToLocal(&stack) && stack->IsString()) {
      v8::String::Utf8Value utf8(siso, stack);
      if (*utf8) stack_text = *utf8;
    }
    v8::Isolate::Scope dest_entered(diso_);
    v8::Local<v8::String> text =
        v8::String::NewFromUtf8(diso_, message.c_str(), v8::NewStringType::kNormal).ToLocalChecked();
    v8::Local<v8::Value> copy = name == "TypeError"        ? v8::Exception::TypeError(text)
                                : name == "RangeError"     ? v8::Exception::RangeError(text)
                                : name == "SyntaxError"    ? v8::Exception::SyntaxError(text)
                                : name == "ReferenceError" ? v8::Exception::ReferenceError(text)
                                                           : v8::Exception::Error(text);
    if (!stack_text.empty()) {
      v8::Local<v8::Context> dctx = diso_->GetCurrentContext();
      copy.As<v8::Object>()
          ->Set(dctx, v8::String::NewFromUtf8Literal(diso_, "stack"),
                v8::String::NewFromUtf8(diso_, stack_text.c_str(), v8::NewStringType::kNormal).ToLocalChecked())
          .Check();
    }
    diso_->ThrowException(copy);
  }

  // Throws an Error with text in the destination; returns false for begin()'s callers.
  bool fail(const char* text) {
    v8::Isolate::Scope dest_entered(diso_);
    throw_message(diso_, VH_ERROR, text);
    return false;
  }

 private:
  bool source_alive() {
    std::lock_guard<std::mutex> lock(g_marshal_mu);
    return rec_->source->alive;
  }

  // The String() of a property of a source object ("" when it throws or is missing).
  std::string property_text(v8::Local<v8::Object> object, const char* key) {
    v8::Isolate* siso = source_->isolate;
    v8::TryCatch quiet(siso);
    v8::Local<v8::Value> v;
    v8::Local<v8::String> s;
    if (!object->Get(sctx_, v8::String::NewFromUtf8(siso, key).ToLocalChecked()).ToLocal(&v) ||
        v->IsUndefined() || !v->ToString(sctx_).ToLocal(&s))
      return "";
    v8::String::Utf8Value utf8(siso, s);
    return *utf8 ? *utf8 : "";
  }

  // The source is busy on another thread: release the destination (so a thread there waiting
  // for us can go on), then take both mutexes, never blocking on one while holding the other
  // (the std::lock algorithm), giving up on the source after proxy_wait_ms. On true the
  // source's mutex is held (its Runtime not touched yet); the destination is ours again
  // either way.
  bool wait_for_source(RuntimeLink* s) {
    RuntimeLink* d = dest_->link.get();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(dest_->proxy_wait_ms);
    dest_->parked.fetch_add(1, std::memory_order_relaxed);
    std::optional<v8::Unlocker> unlocked;
    unlocked.emplace(diso_);
    dest_->lock_owner.store(0, std::memory_order_relaxed);
    d->owner.store(0, std::memory_order_relaxed);
    d->mu.unlock();
    bool got = false;
    for (;;) {
      if (!s->mu.try_lock_until(deadline)) break;
      if (d->mu.try_lock()) {
        got = true;
        break;
      }
      s->mu.unlock();
      d->mu.lock();  // our own runtime: we must have it back, however long it takes
      if (s->mu.try_lock()) {
        got = true;
        break;
      }
      d->mu.unlock();
    }
    if (!got) d->mu.lock();
    dest_->lock_owner.store(ts_->ordinal, std::memory_order_relaxed);
    d->owner.store(ts_->ordinal, std::memory_order_relaxed);
    unlocked.reset();  // V8's lock of the destination, uncontended now
    dest_->parked.fetch_sub(1, std::memory_order_relaxed);
    return got;
  }

  const v8::FunctionCallbackInfo<v8::Value>& info_;
  v8::Isolate* diso_;
  ThreadState* ts_ = nullptr;
  ProxyRecord* rec_ = nullptr;
  Runtime* dest_ = nullptr;
  Runtime* source_ = nullptr;
  Engine* dest_engine_ = nullptr;
  Engine* source_engine_ = nullptr;
  bool took_source_ = false;
  bool counted_js_ = false;
  std::optional<v8::Locker> slocker_;
  std::optional<v8::Isolate::Scope> siso_scope_;
  std::optional<v8::HandleScope> shandles_;
  std::optional<v8::Context::Scope> sctx_scope_;
  std::optional<v8::TryCatch> tc_;
  v8::Local<v8::Object> object_;
  v8::Local<v8::Context> sctx_;
};

void trap_get(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ProxyOp op(info);
  v8::Local<v8::Value> key, result;
  if (!op.begin() || !op.key_to_source(info[1], &key)) return;
  if (!op.object()->Get(op.context(), key).ToLocal(&result)) return op.rethrow();
  op.give(result);
}

void trap_set(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ProxyOp op(info);
  v8::Local<v8::Value> key, value;
  if (!op.begin() || !op.key_to_source(info[1], &key) || !op.to_source(info[2], &value)) return;
  // Reflect.set reports a refused assignment (a frozen object, a non-writable property) as false,
  // which the Proxy machinery turns into a TypeError in strict code; Object::Set would not.
  v8::Local<v8::Function> reflect_set = op.reflect_set();
  v8::Local<v8::Value> done;
  if (reflect_set.IsEmpty()) {
    bool ok;
    if (!op.object()->Set(op.context(), key, value).To(&ok)) return op.rethrow();
    return info.GetReturnValue().Set(ok);
  }
  v8::Local<v8::Value> args[] = {op.object(), key, value};
  if (!reflect_set->Call(op.context(), v8::Undefined(op.source_isolate()), 3, args).ToLocal(&done))
    return op.rethrow();
  info.GetReturnValue().Set(done->IsTrue());
}

void trap_has(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ProxyOp op(info);
  v8::Local<v8::Value> key;
  if (!op.begin() || !op.key_to_source(info[1], &key)) return;
  bool found;
  if (!op.object()->Has(op.context(), key).To(&found)) return op.rethrow();
  info.GetReturnValue().Set(found);
}

void trap_delete(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ProxyOp op(info);
  v8::Local<v8::Value> key;
  if (!op.begin() || !op.key_to_source(info[1], &key)) return;
  bool done;
  if (!op.object()->Delete(op.context(), key).To(&done)) return op.rethrow();
  info.GetReturnValue().Set(done);
}

void trap_own_keys(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ProxyOp op(info);
  if (!op.begin()) return;
  v8::Local<v8::Array> keys;
  if (!op.object()
           ->GetOwnPropertyNames(op.context(), v8::PropertyFilter::ALL_PROPERTIES,
                                 v8::KeyConversionMode::kConvertToString)
           .ToLocal(&keys))
    return op.rethrow();
  // The trap must return a real array of the destination (not a proxy of the source's).
  uint32_t n = keys->Length();
  std::vector<v8::Local<v8::Value>> passed(n);
  for (uint32_t i = 0; i < n; ++i) {
    v8::Local<v8::Value> key;
    if (!keys->Get(op.context(), i).ToLocal(&key)) return op.rethrow();
    if (!op.to_dest(key, &passed[i])) return;
  }
  v8::Isolate::Scope dest_entered(info.GetIsolate());
  info.GetReturnValue().Set(v8::Array::New(info.GetIsolate(), passed.data(), passed.size()));
}

// Copies field `name` of a source descriptor object onto a destination one, if present.
bool copy_field(ProxyOp& op, v8::Local<v8::Object> from, v8::Local<v8::Object> to, const char* name) {
  v8::Isolate* siso = op.source_isolate();
  v8::Local<v8::String> skey = v8::String::NewFromUtf8(siso, name).ToLocalChecked();
  bool has;
  if (!from->HasOwnProperty(op.context(), skey).To(&has)) return false;
  if (!has) return true;
  v8::Local<v8::Value> v, passed;
  if (!from->Get(op.context(), skey).ToLocal(&v) || !op.to_dest(v, &passed)) return false;
  v8::Isolate* diso = to->GetIsolate();
  v8::Isolate::Scope dest_entered(diso);
  return to->CreateDataProperty(diso->GetCurrentContext(), v8::String::NewFromUtf8(diso, name).ToLocalChecked(), passed)
      .FromMaybe(false);
}

// Proxy invariants: a property reported (or defined) non-configurable must exist so on the
// target. The target is filled in lazily, with the descriptor just reported.
void mirror_non_configurable(const v8::FunctionCallbackInfo<v8::Value>& info, v8::Local<v8::Object> desc) {
  v8::Isolate* iso = info.GetIsolate();
  v8::Local<v8::Context> ctx = iso->GetCurrentContext();
  v8::Local<v8::Value> configurable;
  if (!desc->Get(ctx, v8::String::NewFromUtf8Literal(iso, "configurable")).ToLocal(&configurable) ||
      configurable->BooleanValue(iso))
    return;
  v8::Local<v8::Object> object_ctor = ctx->Global()
                                          ->Get(ctx, v8::String::NewFromUtf8Literal(iso, "Object"))
                                          .ToLocalChecked()
                                          .As<v8::Object>();
  v8::Local<v8::Value> define;
  if (!object_ctor->Get(ctx, v8::String::NewFromUtf8Literal(iso, "defineProperty")).ToLocal(&define) ||
      !define->IsFunction())
    return;
  v8::Local<v8::Value> args[] = {info[0], info[1], desc};
  v8::TryCatch quiet(iso);
  v8::Local<v8::Value> ignored;
  if (!define.As<v8::Function>()->Call(ctx, object_ctor, 3, args).ToLocal(&ignored)) return;
}

void trap_get_own_property_descriptor(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ProxyOp op(info);
  v8::Local<v8::Value> key, desc;
  if (!op.begin() || !op.key_to_source(info[1], &key)) return;
  if (!key->IsName()) return;  // keys reach traps as strings or symbols
  if (!op.object()->GetOwnPropertyDescriptor(op.context(), key.As<v8::Name>()).ToLocal(&desc)) return op.rethrow();
  if (!desc->IsObject()) return;  // undefined: no such property
  v8::Isolate* diso = info.GetIsolate();
  v8::Local<v8::Object> out;
  {
    v8::Isolate::Scope dest_entered(diso);
    out = v8::Object::New(diso);
  }
  for (const char* field : {"value", "writable", "get", "set", "enumerable", "configurable"})
    if (!copy_field(op, desc.As<v8::Object>(), out, field)) return op.rethrow();
  v8::Isolate::Scope dest_entered(diso);
  mirror_non_configurable(info, out);
  info.GetReturnValue().Set(out);
}

void trap_define_property(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ProxyOp op(info);
  v8::Local<v8::Value> key;
  if (!op.begin() || !op.key_to_source(info[1], &key) || !info[2]->IsObject()) return;
  // Read the destination descriptor's fields, pass each, build the source descriptor.
  v8::Isolate* diso = info.GetIsolate();
  v8::Local<v8::Object> desc = info[2].As<v8::Object>();
  auto field = [&](const char* name, v8::Local<v8::Value>* out) {
    v8::Isolate::Scope dest_entered(diso);
    v8::Local<v8::Context> dctx = diso->GetCurrentContext();
    v8::Local<v8::String> k = v8::String::NewFromUtf8(diso, name).ToLocalChecked();
    bool has = false;
    if (!desc->Has(dctx, k).To(&has) || !has) return false;
    return desc->Get(dctx, k).ToLocal(out);
  };
  v8::Local<v8::Value> value, get, set, writable, enumerable, configurable;
  bool has_value = field("value", &value), has_get = field("get", &get), has_set = field("set", &set);
  bool has_writable = field("writable", &writable), has_enum = field("enumerable", &enumerable),
       has_conf = field("configurable", &configurable);
  v8::Local<v8::Value> svalue, sget, sset;
  if ((has_value && !op.to_source(value, &svalue)) || (has_get && !op.to_source(get, &sget)) ||
      (has_set && !op.to_source(set, &sset)))
    return;
  std::optional<v8::PropertyDescriptor> pd;
  v8::Local<v8::Value> undefined = v8::Undefined(op.source_isolate());
  if (has_get || has_set)
    pd.emplace(has_get ? sget : undefined, has_set ? sset : undefined);
  else if (has_value && has_writable)
    pd.emplace(svalue, writable->BooleanValue(diso));
  else if (has_value)
    pd.emplace(svalue);
  else
    pd.emplace();
  if (has_enum) pd->set_enumerable(enumerable->BooleanValue(diso));
  if (has_conf) pd->set_configurable(configurable->BooleanValue(diso));
  bool done;
  if (!key->IsName() || !op.object()->DefineProperty(op.context(), key.As<v8::Name>(), *pd).To(&done))
    return op.rethrow();
  v8::Isolate::Scope dest_entered(diso);
  if (done) mirror_non_configurable(info, desc);
  info.GetReturnValue().Set(done);
}

void trap_get_prototype_of(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ProxyOp op(info);
  if (!op.begin()) return;
  op.give(op.object()->GetPrototype());
}

// Reads the destination's argument array (a real array: the Proxy machinery makes it).
bool source_args(ProxyOp& op, v8::Local<v8::Value> array, std::vector<v8::Local<v8::Value>>* out) {
  if (!array->IsArray()) return true;
  v8::Local<v8::Array> args = array.As<v8::Array>();
  v8::Isolate* diso = args->GetIsolate();
  uint32_t n = args->Length();
  out->resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    v8::Local<v8::Value> v;
    {
      v8::Isolate::Scope dest_entered(diso);
      if (!args->Get(diso->GetCurrentContext(), i).ToLocal(&v)) return false;
    }
    if (!op.to_source(v, &(*out)[i])) return false;
  }
  return true;
}

void trap_apply(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ProxyOp op(info);
  v8::Local<v8::Value> receiver, result;
  std::vector<v8::Local<v8::Value>> args;
  if (!op.begin() || !op.to_source(info[1], &receiver) || !source_args(op, info[2], &args)) return;
  if (!op.object()
           .As<v8::Function>()
           ->Call(op.context(), receiver, static_cast<int>(args.size()), args.data())
           .ToLocal(&result))
    return op.rethrow();
  op.give(result);
}

void trap_construct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ProxyOp op(info);
  std::vector<v8::Local<v8::Value>> args;
  if (!op.begin() || !source_args(op, info[1], &args)) return;
  v8::Local<v8::Object> result;
  if (!op.object()
           .As<v8::Function>()
           ->NewInstance(op.context(), static_cast<int>(args.size()), args.data())
           .ToLocal(&result))
    return op.rethrow();
  op.give(result);
}

}  // namespace
void proxy_external_references(std::vector<intptr_t>* out) {
  for (const Trap& t : kTraps) out->push_back(reinterpret_cast<intptr_t>(t.callback));
  out->push_back(reinterpret_cast<intptr_t>(dummy_function));
}

}  // namespace vh
