// Host proxies (see marshal/proxy.h): identity, creation, the traps, lifetimes, and the wait
// for the source runtime that never holds the waiter's own runtime.
#include "marshal/proxy.h"
#include "core/v8_compat.h"

#include <chrono>
#include <new>
#include <memory>
#include <string>
#include <vector>

#include "core/call.h"
#include "core/frame.h"
#include "marshal/descriptor.h"
#include "core/error_kinds.h"
#include "core/stop.h"
#include "marshal/marshal.h"
#include "core/v8_compat.h"

namespace vh {

namespace {

// ---- the handler class -----------------------------------------------------------------------

// Every trap of ECMAScript's Proxy, by name, with its body: the table at the end of this file
// (kTraps, after ProxyOp). The handler defines all of them as own properties, so V8 never looks
// a trap up on a prototype (where script could put one and be handed the handler as `this`).
struct Trap {
  const char* name;
  v8::FunctionCallback callback;
};
const Trap* trap_table(size_t* count);

// The brand of a handler: its internal field 1 holds this object's address. Only new_proxy
// stores it, and script cannot write internal fields, so an object whose field 1 holds it is a
// handler, and its field 0 is its ProxyRecord.
alignas(8) const char kHandlerBrand = 0;  // aligned: V8 stores aligned pointers only

// The handler class of rt's proxies: instances hold their ProxyRecord in internal field 0 and
// the brand in field 1, and have every trap as an own, read-only method; new_proxy gives their
// prototype a null one. A handler is reachable from no script (V8 passes it only as a trap's
// `this`, and the traps are its own C++ functions), and each trap checks its receiver besides
// (handler_record) before it reads field 0. That check is the brand rather than a
// v8::Signature: V8's receiver check (IsTemplateFor, in its API-call builtin) cost ~230
// instructions per proxied get (callgrind), the brand ~70 (InternalFieldCount is a call).
v8::Local<v8::FunctionTemplate> handler_class(Runtime* rt) {
  v8::Isolate* iso = rt->isolate;
  if (!rt->marshal->handler_class.IsEmpty()) return strong_local(rt->marshal->handler_class);
  v8::Local<v8::FunctionTemplate> cls = v8::FunctionTemplate::New(iso);
  cls->InstanceTemplate()->SetInternalFieldCount(2);
  size_t count;
  const Trap* traps = trap_table(&count);
  for (const Trap* t = traps; t != traps + count; ++t) {
    v8::Local<v8::String> name;
    if (!v8::String::NewFromUtf8(iso, t->name, v8::NewStringType::kInternalized).ToLocal(&name)) continue;
    cls->InstanceTemplate()->Set(name,
                                 v8::FunctionTemplate::New(iso, t->callback, v8::Local<v8::Value>(), v8::Local<v8::Signature>(), 0,
                                                           v8::ConstructorBehavior::kThrow),
                                 static_cast<v8::PropertyAttribute>(v8::ReadOnly | v8::DontDelete | v8::DontEnum));
  }
  rt->marshal->handler_class.Reset(iso, cls);
  return cls;
}

// The record of a trap's receiver when it is a handler, else nullptr. Nothing else is read
// before the brand matched: the receiver must be an object made from an API template (so V8
// reads its fields as stored, with no check that could end the process: ArrayBuffers and views
// also have two embedder fields, of another kind), with exactly two fields (a plain object, an
// array, another proxy or the global proxy have none; a host-class instance has one), and field
// 1 is compared as a pointer, never followed (the only other library objects with two fields
// are fast_reads.cc's probes, which hold pointers of their own and never reach script).
ProxyRecord* handler_record(v8::Local<v8::Object> receiver) {
  if (!receiver->IsApiWrapper() || receiver->InternalFieldCount() != 2 ||
      compat::internal_field(receiver, 1) != &kHandlerBrand)
    return nullptr;
  return static_cast<ProxyRecord*>(compat::internal_field(receiver, 0));
}

// The record behind a proxy of rt made by this library, or nullptr for any other proxy.
ProxyRecord* record_of(Runtime* rt, v8::Local<v8::Proxy> proxy) {
  if (rt->marshal->handler_class.IsEmpty()) return nullptr;
  v8::Local<v8::Value> handler = proxy->GetHandler();
  if (!handler->IsObject() || !strong_local(rt->marshal->handler_class)->HasInstance(handler)) return nullptr;
  return static_cast<ProxyRecord*>(compat::internal_field(handler.As<v8::Object>(), 0));
}

// The function behind a callable proxy's target (new_proxy). Never called: a call or `new` on the
// proxy goes to its apply or construct trap, and the target is reachable from no script.
void dummy_function(const v8::FunctionCallbackInfo<v8::Value>&) {}

// ---- lifetimes -------------------------------------------------------------------------------

// The destination is done with rec (its proxy was collected, or its runtime is being
// disposed; the destination's lock is held and its handles are reset). Under g_link_mu the
// two sides agree who frees the record: the side that finishes second. While the source lives,
// its object is queued for the next thread that takes the source's lock, which resets it (a
// thread never touches another isolate's handles) and frees the record. Once the source's
// disposal began, that disposal owns the object: it frees the record after resetting it, unless
// it is done already, and then the record (no handle left in it) is freed here.
void release_record(ProxyRecord* rec) {
  std::lock_guard<std::mutex> lock(g_link_mu);
  RuntimeLink* source = rec->source.get();
  rec->dest_done = true;
  if (source->alive) {
    source->rt->marshal->exported.erase(rec);
    source->release_queue.push_back(rec);
    source->has_releases.store(true, std::memory_order_release);
  } else if (rec->source_done) {
    delete rec;
  }
}

// A proxy's handler was collected, so the proxy was too and no trap of it runs (weak callback,
// in the destination's GC, its lock held).
void on_handler_collected(const v8::WeakCallbackInfo<ProxyRecord>& info) {
  ProxyRecord* rec = info.GetParameter();
  rec->handler.Reset();
  rec->proxy.Reset();
  if (rec->keys) rec->keys->reset_dest();
  rec->dest->marshal->live_records.erase(rec);
  auto it = rec->dest->marshal->proxies.find(rec->id);
  if (it != rec->dest->marshal->proxies.end() && it->second == rec) rec->dest->marshal->proxies.erase(it);
  release_record(rec);
}

}  // namespace

void destroy_proxies(Runtime* rt) {
  std::vector<ProxyRecord*> exported;
  {
    std::lock_guard<std::mutex> lock(g_link_mu);
    rt->link->alive = false;
    exported.assign(rt->marshal->exported.begin(), rt->marshal->exported.end());
    rt->marshal->exported.clear();
  }
  drain_releases(rt);
  // Proxies elsewhere of objects here: the objects go now; those proxies throw from now on.
  // Their records are the destinations'; the ones a destination let go of meanwhile (its
  // release_record saw this runtime dead) are freed here, once their handle here is reset.
  for (ProxyRecord* rec : exported) {
    rec->object.Reset();
    if (rec->keys) rec->keys->reset_source();
  }
  {
    std::lock_guard<std::mutex> lock(g_link_mu);
    for (ProxyRecord* rec : exported) {
      rec->source_done = true;
      if (rec->dest_done) delete rec;
    }
  }
  // Proxies here of objects elsewhere: give the objects back.
  for (ProxyRecord* rec : rt->marshal->live_records) {
    rec->proxy.Reset();
    rec->handler.Reset();
    if (rec->keys) rec->keys->reset_dest();
    release_record(rec);
  }
  rt->marshal->live_records.clear();
  rt->marshal->proxies.clear();
  rt->marshal->handler_class.Reset();
  rt->marshal->id_key.Reset();
}

namespace {

// Runs on the thread running script in rt (an interrupt): stops it if the proxy operation the
// stop was meant for is still the one running here.
void stop_if_serving(v8::Isolate* isolate, void* data) {
  Runtime* rt = runtime_of(isolate);
  if (rt && rt->marshal->serving.load(std::memory_order_relaxed) == reinterpret_cast<uintptr_t>(data))
    isolate->TerminateExecution();
}

}  // namespace

void propagate_stop(Runtime* rt) {
  // A chain longer than this would have overflowed the stack long before (kMaxCallDepth).
  for (int hops = 0; rt && hops < 1024; ++hops) {
    uint64_t into = rt->marshal->calling_into.load(std::memory_order_relaxed);
    Runtime* source = into ? runtime_table().get(into) : nullptr;
    if (!source || source == rt) return;
    uint64_t serial = source->marshal->serving.load(std::memory_order_relaxed);
    // The serial rides in the data pointer: nothing to free if V8 never runs the interrupt.
    if (serial) source->isolate->RequestInterrupt(stop_if_serving, reinterpret_cast<void*>(static_cast<uintptr_t>(serial)));
    rt = source;
  }
}

namespace {

// Makes the proxy in engine to (of runtime dest) for rec, whose source side (source, object,
// id, source engine) the caller has filled in, and files the record in dest. shape is an
// object of the proxied object's shape (callable, constructible, an array): the object itself,
// or the target of a proxy of it. VH_OK or VH_ENOMEM (rec is untouched on the dest side).
int new_proxy(Engine* to, v8::Local<v8::Object> shape, ProxyRecord* rec, v8::Local<v8::Value>* out) {
  Runtime* dest = to->rt;
  v8::Isolate* iso = dest->isolate;
  v8::Local<v8::Context> ctx = strong_local(to->context);
  v8::Context::Scope in_context(ctx);
  // The target only gives the proxy its shape: callable (and constructible) like the object,
  // an array for an array (Array.isArray), a plain object otherwise. It holds nothing.
  v8::Local<v8::Object> target;
  if (shape->IsFunction()) {
    v8::Local<v8::Function> fn;
    v8::ConstructorBehavior construct =
        shape->IsConstructor() ? v8::ConstructorBehavior::kAllow : v8::ConstructorBehavior::kThrow;
    if (!v8::Function::New(ctx, dummy_function, v8::Local<v8::Value>(), 0, construct).ToLocal(&fn))
      return VH_ENOMEM;
    target = fn;
    // Bound, it keeps [[Call]] and [[Construct]] but has no own non-configurable properties
    // (an API function has arguments and caller), which the ownKeys invariant would demand.
    // The engine's own bind, captured before its script ran (script may replace it since).
    v8::Local<v8::Value> bound;
    if (!to->intrinsics.function_bind.IsEmpty() &&
        strong_local(to->intrinsics.function_bind)->Call(ctx, fn, 0, nullptr).ToLocal(&bound) && bound->IsFunction())
      target = bound.As<v8::Object>();
  } else if (shape->IsArray()) {
    target = v8::Array::New(iso);
  } else {
    target = v8::Object::New(iso);
  }
  v8::Local<v8::Object> handler;
  if (!handler_class(dest)->InstanceTemplate()->NewInstance(ctx).ToLocal(&handler)) return VH_ENOMEM;
  // Its prototype is the handler class's prototype object of this realm, library-owned and
  // reachable only through handlers; that object's own prototype is set to null once per realm
  // (not per proxy: no map change per handler). So nothing a script defines on Object.prototype
  // is ever looked up on a handler.
  v8::Local<v8::Value> shared = compat::prototype_of(handler);
  if (!shared->IsObject()) return VH_ENOMEM;
  if (!compat::prototype_of(shared.As<v8::Object>())->IsNull() &&
      !compat::set_prototype(ctx, shared.As<v8::Object>(), v8::Null(iso)).FromMaybe(false))
    return VH_ENOMEM;
  v8::Local<v8::Proxy> proxy;
  if (!v8::Proxy::New(ctx, target, handler).ToLocal(&proxy)) return VH_ENOMEM;
  rec->dest = dest;
  rec->dest_engine = to->handle;
  rec->proxy.Reset(iso, proxy);
  rec->proxy.SetWeak();
  rec->handler.Reset(iso, handler);
  rec->handler.SetWeak(rec, on_handler_collected, v8::WeakCallbackType::kParameter);
  compat::set_internal_field(handler, 0, rec);
  compat::set_internal_field(handler, 1, const_cast<char*>(&kHandlerBrand));
  dest->marshal->live_records.insert(rec);
  // A record whose proxy died while its handler still runs a trap keeps living until that
  // handler is collected; the map now points at the new one (the old one's callback checks).
  if (rec->id) dest->marshal->proxies[rec->id] = rec;
  *out = proxy;
  return VH_OK;
}

// The proxy in `to` of the object a proxy of another runtime stands for (rec: that proxy's
// record, whose source is neither from nor to's runtime): to's existing proxy of the object,
// or a new one sharing rec's handle, so identity holds whichever way the object came. False
// when rec's source is gone (the caller then proxies the proxy, which reports that on use).
bool forward_proxy(ProxyRecord* rec, v8::Local<v8::Object> proxy, Engine* to, v8::Local<v8::Value>* out, int* rc) {
  Runtime* dest = to->rt;
  if (rec->id) {
    auto it = dest->marshal->proxies.find(rec->id);
    if (it != dest->marshal->proxies.end() && !it->second->proxy.IsEmpty()) {
      *out = it->second->proxy.Get(dest->isolate);
      *rc = VH_OK;
      return true;
    }
  }
  auto* made = new ProxyRecord();
  {
    // The source's disposal marks it dead under this mutex before it resets the handles of
    // its exported records: with the mutex held and the source alive, rec's handle can be
    // shared (rec, pinned by the proxy this thread holds, keeps a share: this one is never the
    // last), and the new record is exported before that disposal can look. No V8 call here:
    // a GC under this mutex would deadlock in release_record.
    std::lock_guard<std::mutex> lock(g_link_mu);
    if (!rec->source->alive || rec->object.IsEmpty()) {
      delete made;
      return false;
    }
    made->source = rec->source;
    made->object.ShareFrom(rec->object);
    made->id = rec->id;
    made->source_engine = rec->source_engine;
    made->source_engine_is_home = rec->source_engine_is_home;
    rec->source->rt->marshal->exported.insert(made);
  }
  *rc = new_proxy(to, proxy.As<v8::Proxy>()->GetTarget().As<v8::Object>(), made, out);
  if (*rc != VH_OK) release_record(made);  // the source frees it (under its lock) as for a collected proxy
  return true;
}

}  // namespace

int pass_proxy(Runtime* from, v8::Local<v8::Object> object, Engine* to, v8::Local<v8::Value>* out) {
  Runtime* dest = to->rt;
  v8::Isolate* iso = dest->isolate;
  if (object->IsProxy()) {
    ProxyRecord* rec = record_of(from, object.As<v8::Proxy>());
    // Home again: a proxy of one of dest's own objects unwraps to the object.
    if (rec && rec->source->rt == dest && !rec->object.IsEmpty()) {
      *out = rec->object.Get(iso);
      return VH_OK;
    }
    // A proxy of a third runtime's object: dest's proxy of the original, not a proxy of a proxy.
    int rc;
    if (rec && rec->source->rt != dest && forward_proxy(rec, object, to, out, &rc)) return rc;
  }
  uint64_t id = identity_of(from, object);
  if (id) {
    auto it = dest->marshal->proxies.find(id);
    if (it != dest->marshal->proxies.end() && !it->second->proxy.IsEmpty()) {
      *out = it->second->proxy.Get(iso);
      return VH_OK;
    }
  }
  auto* rec = new ProxyRecord();
  rec->source = from->link;
  rec->id = id;
  v8::Local<v8::Context> home;
  Engine* home_engine = object->GetCreationContext().ToLocal(&home) ? engine_of(home) : nullptr;
  rec->source_engine_is_home = home_engine != nullptr;
  if (!home_engine && !from->engines.empty()) home_engine = *from->engines.begin();
  if (home_engine) rec->source_engine = home_engine->handle;
  rec->object.Reset(from->isolate, object);  // this thread holds from's lock
  int rc = new_proxy(to, object, rec, out);
  if (rc != VH_OK) {
    delete rec;  // its handle's only share, dropped under from's lock
    return rc;
  }
  std::lock_guard<std::mutex> lock(g_link_mu);
  from->marshal->exported.insert(rec);
  return VH_OK;
}

// ---- the traps -------------------------------------------------------------------------------
//
// Every trap has the same shape: check its receiver and gather its inputs in the destination
// (where it is called), cross into the source once (ProxyOp::enter_source: the lock, the
// isolate, the object's realm), pass the inputs over as a batch and act, then cross back once
// (ProxyOp::Back) to pass the results over and build the answer.

namespace {

// Times this thread crossed back from a source into a trap's destination (ProxyOp::Back): what
// vh_internal_proxy_crossings reports, for the test that one operation crosses back a constant
// number of times whatever it carries (tests/test_marshal_proxy.c). A thread-local add.
thread_local uint64_t t_dest_crossings = 0;

// One trap's work: finds the record, takes the source runtime (directly when this thread holds
// it; else without holding the destination while waiting), enters it, and passes values both
// ways. When check() or enter_source() returns false the trap has thrown and must return.
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
    if (counted_js_) {
      ts_->leave<kUseField | kJsField>(source_step_);
      source_->marshal->serving.store(prev_serving_, std::memory_order_relaxed);
      dest_->marshal->calling_into.store(prev_calling_, std::memory_order_relaxed);
    }
    if (took_source_) unlock_runtime(source_, &slocker_);
    if (dest_step_.rt) ts_->leave<kNestField | kUseField>(dest_step_);
  }

  // Back in the destination for as long as it lives, with the source's handles still usable:
  // the one crossing back of an operation (nested ones, and one made before the source was
  // entered, switch nothing and count nothing).
  class Back {
   public:
    explicit Back(ProxyOp& op) : op_(op) {
      if (op.in_dest_++ == 0) {
        scope_.emplace(op.diso_);
        ++t_dest_crossings;
      }
    }
    ~Back() { --op_.in_dest_; }
    Back(const Back&) = delete;
    Back& operator=(const Back&) = delete;

   private:
    ProxyOp& op_;
    std::optional<v8::Isolate::Scope> scope_;
  };

  // check() + enter_source(), for the traps with nothing to gather in the destination first.
  bool begin() { return check() && enter_source(); }

  // In the destination: the receiver's brand, the nesting depth, the destination engine.
  bool check() {
    rec_ = handler_record(info_.This());
    if (!rec_) return fail(VH_EBRAND, "a proxy trap was called on something other than its handler");
    dest_ = rec_->dest;
    ts_ = ThreadState::current();
    // A trap nests on the stack like a host callback (C frames, the source's script): same bound.
    if (ts_->depth >= kMaxCallDepth) return fail(VH_EDEPTH, "calls between engines and the host are nested too deeply");
    dest_engine_ = rec_->dest_cached;
    if (!dest_engine_ || rec_->dest_cached_gen != dest_->marshal->engine_generation) {
      dest_engine_ = engine_table().get(rec_->dest_engine);
      if (dest_engine_) {
        rec_->dest_cached = dest_engine_;
        rec_->dest_cached_gen = dest_->marshal->engine_generation;
      } else {
        // The proxy's engine is gone: the realm running the trap, else the innermost one.
        dest_engine_ = callback_engine(0, diso_, dest_);
        if (!dest_engine_) return fail(VH_EDISPOSED, "no engine of the proxy's runtime is left");
      }
    }
    dest_step_.set(kNestField | kUseField, dest_, dest_engine_);
    ts_->enter<kNestField | kUseField>(dest_step_);
    return true;
  }

  // The crossing into the source: its lock, its isolate, the object's realm, a TryCatch.
  bool enter_source() {
    const std::shared_ptr<RuntimeLink>& shared_link = rec_->source;
    RuntimeLink* link = shared_link.get();
    if (link->owner.load(std::memory_order_relaxed) == ts_->ordinal) {
      // This thread holds the source (a scope open on it): it is alive, and nobody can dispose
      // it meanwhile (disposal refuses a runtime whose lock is held). No global mutex needed.
      source_ = link->rt;
      if (link->has_releases.load(std::memory_order_acquire)) drain_releases(source_);
    } else {
      if (!link->mu.try_lock()) {
        int waited = wait_holding_nothing(ts_, shared_link, std::chrono::milliseconds(dest_->marshal->proxy_wait_ms));
        if (waited == VH_ETIMEDOUT)
          return fail(VH_ETIMEDOUT, "the proxied object's runtime stayed busy longer than proxy_wait_ms");
        if (waited != VH_OK) return fail(VH_ETERMINATED, "a runtime was stopped while the operation waited");
      }
      // Disposal marks the link dead holding this mutex (RuntimeLink::alive): with it held, the
      // answer is final, and the Runtime is only touched when alive.
      if (!link->alive) {
        link->mu.unlock();
        return fail(VH_EDISPOSED, "the proxied object's runtime has been disposed");
      }
      source_ = link->rt;
      enter_locked_runtime(source_, ts_, &slocker_);
      took_source_ = true;
    }
    if (rec_->object.IsEmpty()) return fail(VH_EDISPOSED, "the proxied object has been released");
    v8::Isolate* siso = source_->isolate;
    siso_scope_.emplace(siso);
    in_dest_ = 0;
    shandles_.emplace(siso);
    object_ = rec_->object.Get(siso);
    // Work in the realm the real object belongs to: values passed in (callbacks, errors they
    // throw) are made there, where the object's own code expects them. While the engine it was
    // made in lives, that is its context (known since the proxy was made: no lookup).
    source_engine_ = rec_->source_cached;
    bool home;
    if (source_engine_ && rec_->source_cached_gen == source_->marshal->engine_generation) {
      home = rec_->source_cached_home;
      if (!home && !object_->GetCreationContext().ToLocal(&sctx_)) sctx_ = strong_local(source_engine_->context);
    } else if (!resolve_source_engine(&home)) {
      return fail(VH_EDISPOSED, "no engine of the proxied object's runtime is left");
    }
    if (home) sctx_ = strong_local(source_engine_->context);
    source_step_.set(kUseField | kJsField, source_, source_engine_);
    ts_->enter<kUseField | kJsField>(source_step_);
    counted_js_ = true;
    // Marks where this thread runs on dest's behalf, for propagate_stop. Only the lock holders
    // write these: plain loads and stores. The serial is unique in the process (ordinal and a
    // serial of this thread), so a late stop meant for this operation never hits a later one.
    prev_serving_ = source_->marshal->serving.load(std::memory_order_relaxed);
    prev_calling_ = dest_->marshal->calling_into.load(std::memory_order_relaxed);
    source_->marshal->serving.store((static_cast<uint64_t>(ts_->ordinal) << 40) | (ts_->next_serial++ & ((1ull << 40) - 1)),
                           std::memory_order_relaxed);
    dest_->marshal->calling_into.store(source_->handle, std::memory_order_relaxed);
    sctx_scope_.emplace(sctx_);
    tc_.emplace(siso);
    return true;
  }

  v8::Local<v8::Object> object() const { return object_; }
  // The source engine's Reflect.set / Reflect.setPrototypeOf as captured at its creation
  // (empty if it had none).
  v8::Local<v8::Function> reflect_set() const { return intrinsic(&Intrinsics::reflect_set); }
  v8::Local<v8::Function> reflect_set_prototype_of() const { return intrinsic(&Intrinsics::reflect_set_prototype_of); }
  v8::Local<v8::Function> intrinsic(v8::Global<v8::Function> Intrinsics::*f) const {
    return (source_engine_->intrinsics.*f).IsEmpty() ? v8::Local<v8::Function>() : strong_local(source_engine_->intrinsics.*f);
  }
  v8::Local<v8::Context> context() const { return sctx_; }
  v8::Isolate* source_isolate() const { return source_->isolate; }
  v8::Isolate* dest_isolate() const { return diso_; }
  Runtime* dest() const { return dest_; }
  Runtime* source() const { return source_; }

  // A property key of the destination, passed into the source: a string key is copied as an
  // internalized string (most keys are, and the source's lookup then skips its own
  // internalization), without going through pass_value's dispatch.
  // A short key is looked up first in the record's KeyCache, by identity: passed again, it needs
  // no copy.
  bool key_to_source(v8::Local<v8::Value> key, v8::Local<v8::Value>* out) {
    if (!key->IsString()) return to_source(key, out);
    v8::Local<v8::String> text = key.As<v8::String>();
    bool cacheable = text->Length() <= KeyCache::kMaxLength;
    uint32_t slot = 0;
    if (cacheable) {
      slot = static_cast<uint32_t>(text->GetIdentityHash()) % KeyCache::kSize;
      if (rec_->keys && rec_->keys->dest[slot] == text) {
        *out = rec_->keys->source[slot].Get(source_->isolate);
        return true;
      }
    }
    if (copy_string(diso_, text, source_->isolate, v8::NewStringType::kInternalized, out) != VH_OK) {
      fail(VH_ENOMEM, "a key could not be passed to the proxied object's runtime");
      return false;
    }
    if (cacheable) {
      if (!rec_->keys) rec_->keys.reset(new (std::nothrow) KeyCache());
      if (rec_->keys) {
        rec_->keys->dest[slot].Reset(diso_, text);
        rec_->keys->source[slot].Reset(source_->isolate, out->As<v8::String>());
      }
    }
    return true;
  }

  // A value of the destination, passed into the source (in the source).
  bool to_source(v8::Local<v8::Value> v, v8::Local<v8::Value>* out) {
    if (pass_value(dest_, v, source_engine_, out, nullptr) == VH_OK) return true;
    fail(VH_ENOMEM, "a value could not be passed to the proxied object's runtime");
    return false;
  }
  // A batch of them (in place).
  bool to_source(std::vector<v8::Local<v8::Value>>* values) {
    for (v8::Local<v8::Value>& v : *values)
      if (!to_source(v, &v)) return false;
    return true;
  }

  // A value of the source, passed into the destination: only under a Back.
  bool to_dest(v8::Local<v8::Value> v, v8::Local<v8::Value>* out) {
    if (pass_value(source_, v, dest_engine_, out, nullptr) == VH_OK) return true;
    fail(VH_ENOMEM, "a value could not be passed back from the proxied object's runtime");
    return false;
  }

  // Returns a source value as the trap's result. The common primitives go straight into V8's
  // return value (no value to build, no crossing back); anything else is passed by the
  // marshaling rules.
  void give(v8::Local<v8::Value> v) {
    v8::ReturnValue<v8::Value> rv = info_.GetReturnValue();
    if (v->IsInt32()) return rv.Set(v.As<v8::Int32>()->Value());
    if (v->IsNumber()) return rv.Set(v.As<v8::Number>()->Value());
    if (v->IsBoolean()) return rv.Set(v->IsTrue());
    if (v->IsUndefined()) return rv.SetUndefined();
    if (v->IsNull()) return rv.SetNull();
    Back back(*this);
    v8::Local<v8::Value> out;
    if (to_dest(v, &out)) rv.Set(out);
  }

  // The source operation failed: its exception, thrown in the destination as an error of the
  // same standard kind (error_kinds.h; a subclass as its nearest standard ancestor) with the
  // same message, stack and cause (or, for a thrown non-error, the value itself). Nothing of
  // the source error is read through a getter or a prototype script could have changed. The
  // fields are read in the source first, then passed over and the copy made in one crossing.
  void rethrow() {
    if (tc_->HasTerminated() || !tc_->HasCaught()) {
      // The source was stopped under the operation. This thread entered the source only for
      // it, so no script of the source is left running here: the source works again.
      if (took_source_) end_stop(source_);
      fail(VH_ETERMINATED, "the proxied object's runtime stopped the operation");
      return;
    }
    v8::Local<v8::Value> exception = tc_->Exception();
    if (!exception->IsNativeError()) {
      Back back(*this);
      v8::Local<v8::Value> value;
      if (to_dest(exception, &value)) diso_->ThrowException(value);
      return;
    }
    v8::Local<v8::Object> error = exception.As<v8::Object>();
    int kind = error_kind_of(source_engine_, error);
    v8::Local<v8::Value> message, stack, cause, errors;
    bool has_message = own_data(error, "message", &message), has_stack = own_data(error, "stack", &stack);
    bool has_cause = own_data(error, "cause", &cause);
    bool has_errors = kind == VH_ERROR_KIND_AGGREGATE_ERROR && own_data(error, "errors", &errors);
    tc_->Reset();  // what reading the fields threw (a stack formatter) is not the error's
    Back back(*this);
    v8::Local<v8::Value> text, dstack, dcause, derrors;
    if (has_message && message->IsString() && !to_dest(message, &text)) return;
    if (has_stack && stack->IsString() && !to_dest(stack, &dstack)) return;
    if (has_cause && !to_dest(cause, &dcause)) return;
    if (has_errors && !to_dest(errors, &derrors)) return;
    v8::Local<v8::Context> dctx = diso_->GetCurrentContext();
    v8::Local<v8::Value> copy = make_error_of_kind(
        diso_, dest_engine_, kind, text.IsEmpty() ? v8::String::Empty(diso_) : text.As<v8::String>());
    if (copy->IsObject()) {
      // Defined, not assigned: an own data property, whatever the destination's prototypes say.
      v8::Local<v8::Object> object = copy.As<v8::Object>();
      auto define = [&](const char* key, v8::Local<v8::Value> value) {
        v8::Local<v8::String> name;
        if (!value.IsEmpty() && v8::String::NewFromUtf8(diso_, key, v8::NewStringType::kInternalized).ToLocal(&name))
          object->DefineOwnProperty(dctx, name, value, v8::DontEnum).FromMaybe(false);
      };
      define("stack", dstack);
      define("cause", dcause);
      define("errors", derrors);
    }
    diso_->ThrowException(copy);
  }

  // Throws the status's Error (with its code) in the destination; returns false for the callers
  // of check() and enter_source().
  bool fail(int rc, const char* sentence) {
    Back back(*this);
    throw_status(diso_, rc, sentence);
    return false;
  }

 private:
  // The engine to work in and whether the object's realm is its context: the engine the object
  // was made in while it lives; else the object's creation context with its engine (or any
  // engine of the source). Kept in the record until an engine of the source goes.
  bool resolve_source_engine(bool* home) {
    Engine* recorded = engine_table().get(rec_->source_engine);
    *home = recorded && rec_->source_engine_is_home && recorded->rt == source_;
    if (*home) {
      source_engine_ = recorded;
    } else {
      bool has_context = object_->GetCreationContext().ToLocal(&sctx_);
      source_engine_ = has_context ? engine_of(sctx_) : nullptr;
      if (!source_engine_) source_engine_ = recorded;
      if (!source_engine_ || source_engine_->rt != source_)
        source_engine_ = source_->engines.empty() ? nullptr : *source_->engines.begin();
      if (!source_engine_) return false;
      if (!has_context) sctx_ = strong_local(source_engine_->context);
      // With no creation context the engine's own context is the realm from now on.
      *home = !has_context;
    }
    rec_->source_cached = source_engine_;
    rec_->source_cached_gen = source_->marshal->engine_generation;
    rec_->source_cached_home = *home;
    return true;
  }

  // An own data property of a source object (an error: no proxy), read without running a
  // getter: through its property descriptor, whose fields V8 makes as own data properties.
  // False when absent, an accessor, or unreadable.
  bool own_data(v8::Local<v8::Object> object, const char* key, v8::Local<v8::Value>* out) {
    v8::Isolate* siso = source_->isolate;
    v8::Local<v8::String> name, value_key = v8::String::NewFromUtf8Literal(siso, "value");
    v8::Local<v8::Value> desc;
    if (object->IsProxy() || !v8::String::NewFromUtf8(siso, key, v8::NewStringType::kInternalized).ToLocal(&name) ||
        !object->GetOwnPropertyDescriptor(sctx_, name).ToLocal(&desc) || !desc->IsObject())
      return false;
    v8::Local<v8::Object> d = desc.As<v8::Object>();
    return d->HasOwnProperty(sctx_, value_key).FromMaybe(false) && d->Get(sctx_, value_key).ToLocal(out);
  }

  const v8::FunctionCallbackInfo<v8::Value>& info_;
  v8::Isolate* diso_;
  ThreadState* ts_ = nullptr;
  ProxyRecord* rec_ = nullptr;
  Runtime* dest_ = nullptr;
  Runtime* source_ = nullptr;
  Engine* dest_engine_ = nullptr;
  Engine* source_engine_ = nullptr;
  int in_dest_ = 1;  // Backs open, and 1 until the source is entered: a trap starts in dest
  bool took_source_ = false;
  bool counted_js_ = false;
  uint64_t prev_serving_ = 0;
  uint64_t prev_calling_ = 0;
  Transition dest_step_;    // one level deeper, the destination engine in use
  Transition source_step_;  // the source engine in use, a script call counted in the source
  std::optional<v8::Locker> slocker_;
  std::optional<v8::Isolate::Scope> siso_scope_;
  std::optional<v8::HandleScope> shandles_;
  std::optional<v8::Context::Scope> sctx_scope_;
  std::optional<v8::TryCatch> tc_;
  v8::Local<v8::Object> object_;
  v8::Local<v8::Context> sctx_;
};

// Upper bounds on what a trap copies into a host-side buffer: the arguments of one call (as
// vh_call's) and the own keys passed back in one crossing (more keys cross back in batches of
// this many).
constexpr uint32_t kMaxTrapArgs = 65535;
constexpr uint32_t kKeyBatch = 65536;

// Reads the destination's argument array (a real array: the Proxy machinery makes it, dense,
// so reading its own elements runs no script), in the destination. More than kMaxTrapArgs: a
// RangeError.
bool gather_args(ProxyOp& op, v8::Local<v8::Value> array, std::vector<v8::Local<v8::Value>>* out) {
  if (!array->IsArray()) return true;
  v8::Local<v8::Array> args = array.As<v8::Array>();
  v8::Isolate* diso = op.dest_isolate();
  uint32_t n = args->Length();
  if (n > kMaxTrapArgs) {
    throw_status(diso, VH_ERANGE, "more than 65535 arguments for a proxied function", VH_ERROR_KIND_RANGE_ERROR);
    return false;
  }
  out->resize(n);
  v8::Local<v8::Context> ctx = diso->GetCurrentContext();
  for (uint32_t i = 0; i < n; ++i)
    if (!args->Get(ctx, i).ToLocal(&(*out)[i])) return false;
  return true;
}

// The own keys of the real object as a destination array: read in the source, passed back and
// stored in one crossing per kKeyBatch keys. The keys array is V8's own (dense, own elements:
// reading it runs no script).
void own_keys(ProxyOp& op, const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Local<v8::Array> keys;
  if (!op.object()
           ->GetOwnPropertyNames(op.context(), v8::PropertyFilter::ALL_PROPERTIES,
                                 v8::KeyConversionMode::kConvertToString)
           .ToLocal(&keys))
    return op.rethrow();
  // The trap must return a real array of the destination (not a proxy of the source's).
  uint32_t n = keys->Length();
  v8::Isolate* diso = op.dest_isolate();
  std::vector<v8::Local<v8::Value>> batch;
  v8::Local<v8::Array> out;
  for (uint32_t start = 0; start < n || out.IsEmpty(); start += kKeyBatch) {
    uint32_t m = n - start < kKeyBatch ? n - start : kKeyBatch;
    batch.resize(m);
    for (uint32_t i = 0; i < m; ++i)
      if (!keys->Get(op.context(), start + i).ToLocal(&batch[i])) return op.rethrow();
    ProxyOp::Back back(op);
    for (v8::Local<v8::Value>& key : batch)
      if (!op.to_dest(key, &key)) return;
    if (start == 0 && m == n) {
      out = v8::Array::New(diso, batch.data(), batch.size());  // the common case: one batch
      break;
    }
    if (out.IsEmpty()) out = v8::Array::New(diso);
    v8::Local<v8::Context> dctx = diso->GetCurrentContext();
    for (uint32_t i = 0; i < m; ++i)
      if (!out->CreateDataProperty(dctx, start + i, batch[i]).FromMaybe(false)) return;
    if (start + m >= n) break;
  }
  info.GetReturnValue().Set(out);
}

// Object.setPrototypeOf through a proxy sets the real object's prototype (false when it
// refuses: a non-extensible object, a cycle). The target stays extensible, so any answer
// keeps the invariants. A script Proxy as the real object goes through the captured
// Reflect.setPrototypeOf: V8's SetPrototype would swallow what its trap throws.
void set_prototype_of(ProxyOp& op, const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Local<v8::Value> proto, done;
  if (!op.to_source(info[1], &proto)) return;
  if (!proto->IsObject() && !proto->IsNull()) return info.GetReturnValue().Set(false);
  v8::Local<v8::Function> reflect = op.reflect_set_prototype_of();
  if (!op.object()->IsProxy() || reflect.IsEmpty())
    return info.GetReturnValue().Set(compat::set_prototype(op.context(), op.object(), proto).FromMaybe(false));
  v8::Local<v8::Value> args[] = {op.object(), proto};
  if (!reflect->Call(op.context(), v8::Undefined(op.source_isolate()), 2, args).ToLocal(&done)) return op.rethrow();
  info.GetReturnValue().Set(done->IsTrue());
}

using Info = v8::FunctionCallbackInfo<v8::Value>;

// The has and deleteProperty traps: the key into the source, then test (Has or Delete on the
// real object), whose answer the trap returns.
template <typename Test>
void key_test_trap(const Info& info, Test test) {
  ProxyOp op(info);
  v8::Local<v8::Value> key;
  bool answer;
  if (!op.begin() || !op.key_to_source(info[1], &key)) return;
  if (!test(op.object(), op.context(), key).To(&answer)) return op.rethrow();
  info.GetReturnValue().Set(answer);
}

// The traps (handler.<name>(target, ...args) in the destination).
const Trap kTraps[] = {
    {"get",
     [](const Info& info) {
       ProxyOp op(info);
       v8::Local<v8::Value> key, result;
       if (!op.begin() || !op.key_to_source(info[1], &key)) return;
       if (!op.object()->Get(op.context(), key).ToLocal(&result)) return op.rethrow();
       op.give(result);
     }},
    {"set",
     [](const Info& info) {
       ProxyOp op(info);
       v8::Local<v8::Value> key, value;
       if (!op.begin() || !op.key_to_source(info[1], &key) || !op.to_source(info[2], &value)) return;
       // Reflect.set reports a refused assignment (a frozen object, a non-writable property) as
       // false, which the Proxy machinery turns into a TypeError in strict code; Object::Set
       // would not.
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
     }},
    {"has",
     [](const Info& info) {
       key_test_trap(info, [](v8::Local<v8::Object> o, v8::Local<v8::Context> c, v8::Local<v8::Value> k) {
         return o->Has(c, k);
       });
     }},
    {"deleteProperty",
     [](const Info& info) {
       key_test_trap(info, [](v8::Local<v8::Object> o, v8::Local<v8::Context> c, v8::Local<v8::Value> k) {
         return o->Delete(c, k);
       });
     }},
    {"ownKeys",
     [](const Info& info) {
       ProxyOp op(info);
       if (op.begin()) own_keys(op, info);
     }},
    {"getOwnPropertyDescriptor",
     [](const Info& info) {
       ProxyOp op(info);
       v8::Local<v8::Value> key, desc;
       if (!op.begin() || !op.key_to_source(info[1], &key)) return;
       if (!key->IsName()) return;  // keys reach traps as strings or symbols
       if (!op.object()->GetOwnPropertyDescriptor(op.context(), key.As<v8::Name>()).ToLocal(&desc))
         return op.rethrow();
       if (!desc->IsObject()) return;  // undefined: no such property
       Desc d;
       if (!read_desc(op.source(), op.context(), desc.As<v8::Object>(), &d)) return op.rethrow();
       // One crossing back: the values passed over, the result built, the target mirrored.
       ProxyOp::Back back(op);
       if ((d.has_value && !op.to_dest(d.value, &d.value)) || (d.has_get && !op.to_dest(d.get, &d.get)) ||
           (d.has_set && !op.to_dest(d.set, &d.set)))
         return;
       v8::Local<v8::Object> out = make_desc(op.dest(), d);
       mirror_non_configurable(op.dest_isolate(), info[0], info[1], d);
       info.GetReturnValue().Set(out);
     }},
    {"defineProperty",
     [](const Info& info) {
       ProxyOp op(info);
       // Gathered in the destination: V8 hands the trap a descriptor object it made
       // (FromPropertyDescriptor): own fields only.
       Desc d;
       if (!op.check() || !info[2]->IsObject() ||
           !read_desc(op.dest(), op.dest_isolate()->GetCurrentContext(), info[2].As<v8::Object>(), &d))
         return;
       Desc sd = d;
       v8::Local<v8::Value> key;
       if (!op.enter_source() || !op.key_to_source(info[1], &key)) return;
       if ((d.has_value && !op.to_source(d.value, &sd.value)) || (d.has_get && !op.to_source(d.get, &sd.get)) ||
           (d.has_set && !op.to_source(d.set, &sd.set)))
         return;
       std::optional<v8::PropertyDescriptor> pd;
       build_desc(op.source_isolate(), sd, &pd);
       bool done;
       if (!key->IsName() || !op.object()->DefineProperty(op.context(), key.As<v8::Name>(), *pd).To(&done))
         return op.rethrow();
       if (done && d.has_configurable && !d.configurable) {
         ProxyOp::Back back(op);
         mirror_non_configurable(op.dest_isolate(), info[0], info[1], d);
       }
       info.GetReturnValue().Set(done);
     }},
    {"getPrototypeOf",
     [](const Info& info) {
       ProxyOp op(info);
       if (op.begin()) op.give(compat::prototype_of(op.object()));
     }},
    {"setPrototypeOf",
     [](const Info& info) {
       ProxyOp op(info);
       if (op.begin()) set_prototype_of(op, info);
     }},
    // The proxy's target is never made non-extensible (its keys would then have to match the
    // real object's exactly at every step), so a proxy is extensible and refuses to stop being
    // so: Object.preventExtensions / seal / freeze of a proxy throw a TypeError and the Reflect
    // forms return false, without touching the real object. Neither needs the source runtime.
    {"isExtensible", [](const Info& info) { info.GetReturnValue().Set(true); }},
    {"preventExtensions", [](const Info& info) { info.GetReturnValue().Set(false); }},
    {"apply",
     [](const Info& info) {
       ProxyOp op(info);
       v8::Local<v8::Value> receiver, result;
       std::vector<v8::Local<v8::Value>> args;
       if (!op.check() || !gather_args(op, info[2], &args) || !op.enter_source() ||
           !op.to_source(info[1], &receiver) || !op.to_source(&args))
         return;
       if (!op.object()->IsFunction()) return;  // the shape was taken from it: never, but no cast unchecked
       if (!op.object()
                .As<v8::Function>()
                ->Call(op.context(), receiver, static_cast<int>(args.size()), args.data())
                .ToLocal(&result))
         return op.rethrow();
       op.give(result);
     }},
    {"construct",
     [](const Info& info) {
       ProxyOp op(info);
       std::vector<v8::Local<v8::Value>> args;
       if (!op.check() || !gather_args(op, info[1], &args) || !op.enter_source() || !op.to_source(&args)) return;
       if (!op.object()->IsFunction()) return;
       v8::Local<v8::Object> result;
       if (!op.object()
                .As<v8::Function>()
                ->NewInstance(op.context(), static_cast<int>(args.size()), args.data())
                .ToLocal(&result))
         return op.rethrow();
       op.give(result);
     }},
};

const Trap* trap_table(size_t* count) {
  *count = sizeof kTraps / sizeof *kTraps;
  return kTraps;
}

}  // namespace

void proxy_external_references(std::vector<intptr_t>* out) {
  for (const Trap& t : kTraps) out->push_back(reinterpret_cast<intptr_t>(t.callback));
  out->push_back(reinterpret_cast<intptr_t>(dummy_function));
}

}  // namespace vh

extern "C" uint64_t vh_internal_proxy_crossings(void) { return vh::t_dest_crossings; }
