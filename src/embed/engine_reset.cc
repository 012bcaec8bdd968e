// vh_engine_reset: gives an engine a fresh global (a new V8 context) under the same handle.
#include "core/call.h"
#include "host/host.h"
#include "embed/lifecycle.h"
#include "loop/loop.h"
#include "module/module.h"
#include "embed/snapshot.h"
#include "limits/safe_builtins.h"
#include "v8host.h"

using namespace vh;

extern "C" {

int vh_engine_reset(vh_engine engine) {
  Engine* e;
  VH_TRY(resolve_engine(engine, &e));
  Runtime* rt = e->rt;
  RuntimeLock lock(rt);  // in_use is the lock holder's to read: take the lock first
  if (e->in_use) return VH_EBUSY;
  if (rt->embed->snapshot) VH_TRY(check_snapshot_bindings(rt));
  v8::Isolate* iso = rt->isolate;
  // A runtime made from a snapshot gives every new context the snapshot's state.
  v8::Local<v8::Context> fresh = v8::Context::New(iso);
  if (fresh.IsEmpty()) return VH_ENOMEM;
  // Before any script can run in it; a context restored from a snapshot has them already (the
  // builder's context had them when it was serialized).
  if (!snapshot_restored(rt)) VH_TRY(install_safe_builtins(rt, fresh, rt->embed->snapshot == nullptr));
  // What the engine kept of its old context goes with it, as when an engine is disposed; the
  // fresh context is bound as a new engine's is (engine.cc).
  unbind_context(e);
  bind_context(e, fresh);
  return VH_OK;
}

}  // extern "C"
