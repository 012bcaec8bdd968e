// Promises made and settled from C: a Deferred owns the resolver until it is used once.
#include "host/host.h"
#include "marshal/marshal.h"
#include "v8host.h"

namespace vh {

struct Deferred {
  uint64_t handle = 0;
  Runtime* rt = nullptr;
  v8::Global<v8::Promise::Resolver> resolver;
};

// The deferreds' handles (constant-initialised, never destroyed: see core/handle_table.h).
namespace {
HandleTable<Deferred> g_deferred_table;
inline HandleTable<Deferred>& deferred_table() { return g_deferred_table; }
}  // namespace

void destroy_deferreds(Runtime* rt) {
  for (Deferred* d : rt->host->deferreds) {
    d->resolver.Reset();
    deferred_table().remove(d->handle);
    delete d;
  }
  rt->host->deferreds.clear();
}

namespace {

int settle(vh_engine engine, vh_deferred handle, vh_value value, bool resolve) {
  if (handle.id_ == 0) return VH_EINVAL;
  Deferred* d = deferred_table().get(handle.id_);
  if (!d) return VH_EDISPOSED;
  EngineCall call;
  VH_TRY(call.enter(engine, true));
  if (d->rt != call.rt) return VH_ERUNTIME_MISMATCH;
  v8::Local<v8::Value> v;
  VH_TRY(call_arg(call, value, &v));
  v8::Local<v8::Promise::Resolver> resolver = d->resolver.Get(call.isolate);
  // The deferred is used up whatever settling does: a promise settles once.
  d->resolver.Reset();
  call.rt->host->deferreds.erase(d);
  deferred_table().remove(d->handle);
  delete d;
  v8::TryCatch tc(call.isolate);
  v8::Maybe<bool> done = resolve ? resolver->Resolve(call.context, v) : resolver->Reject(call.context, v);
  if (done.IsNothing()) return call.failed(tc);
  return VH_OK;
}

template <typename Read>
int read_promise(vh_value promise, Read read) {
  const Slot* slot;
  VH_TRY(lookup_value(promise, &slot));
  if (!slot->local->IsPromise()) return VH_ETYPE;
  return read(slot->rt, slot->local.As<v8::Promise>());
}

}  // namespace
}  // namespace vh

using namespace vh;

extern "C" {

int vh_new_promise(vh_engine engine, vh_value* promise, vh_deferred* deferred) {
  if (!promise || !deferred) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(call.context).ToLocal(&resolver)) return VH_ENOMEM;
  auto* d = new Deferred();
  d->rt = call.rt;
  d->resolver.Reset(call.isolate, resolver);
  d->handle = deferred_table().add(d);
  if (d->handle == 0) {
    delete d;
    return VH_ENOMEM;
  }
  call.rt->host->deferreds.insert(d);
  *promise = call.result(resolver->GetPromise());
  deferred->id_ = d->handle;
  return VH_OK;
}

int vh_deferred_resolve(vh_engine engine, vh_deferred deferred, vh_value value) {
  return settle(engine, deferred, value, true);
}

int vh_deferred_reject(vh_engine engine, vh_deferred deferred, vh_value reason) {
  return settle(engine, deferred, reason, false);
}

int vh_promise_state(vh_value promise, vh_promise_status* out) {
  if (!out) return VH_EINVAL;
  return read_promise(promise, [out](Runtime*, v8::Local<v8::Promise> p) {
    switch (p->State()) {
      case v8::Promise::kPending: *out = VH_PROMISE_STATUS_PENDING; break;
      case v8::Promise::kFulfilled: *out = VH_PROMISE_STATUS_FULFILLED; break;
      case v8::Promise::kRejected: *out = VH_PROMISE_STATUS_REJECTED; break;
    }
    return VH_OK;
  });
}

int vh_promise_result(vh_value promise, vh_value* out) {
  if (!out) return VH_EINVAL;
  return read_promise(promise, [out](Runtime* rt, v8::Local<v8::Promise> p) {
    if (p->State() == v8::Promise::kPending) return VH_EBUSY;
    *out = ThreadState::peek()->push(rt, p->Result());
    return VH_OK;
  });
}

}  // extern "C"
