// vh_runtime_*: creating and disposing runtimes (V8 isolates).
#include "core/call.h"
#include "core/platform.h"
#include "host/host.h"
#include "debug/inspector.h"
#include "core/stop.h"
#include "debug/diagnostics.h"
#include "limits/limits.h"
#include "loop/loop.h"
#include "module/module.h"
#include "marshal/marshal.h"
#include "marshal/proxy.h"
#include "marshal/symbol.h"
#include "embed/snapshot.h"
#include "core/versioned.h"
#include "embed/lifecycle.h"
#include "v8host.h"

namespace vh {

Runtime* make_runtime() {
  auto* rt = new Runtime();
#define VH_PART_MAKE_(Type, member) rt->member = new Type();
  VH_RUNTIME_PARTS(VH_PART_MAKE_)
#undef VH_PART_MAKE_
  return rt;
}

void free_runtime(Runtime* rt) {
  {
    // Each part is freed at the end of this block, in the reverse of the order make_runtime
    // made them (local objects end last made, first freed): the layers top-down.
#define VH_PART_FREE_(Type, member) std::unique_ptr<Type> free_##member(rt->member);
    VH_RUNTIME_PARTS(VH_PART_FREE_)
#undef VH_PART_FREE_
  }
  delete rt;
}

int dispose_runtime(Runtime* rt) {
  if (rt->lock_owner.load(std::memory_order_relaxed) != 0) return VH_EBUSY;
  if (rt->parked.load(std::memory_order_relaxed) != 0) return VH_EBUSY;
  VH_TRY(check_loop_idle(rt));
  for (Engine* e : rt->engines)
    if (e->in_use) return VH_EBUSY;
  {
    RuntimeLock lock(rt);
    // Again under the lock: a thread that parked its hold of this runtime (a proxy wait) did
    // so before releasing the mutex taken here, so this answer is final.
    if (rt->parked.load(std::memory_order_relaxed) != 0) return VH_EBUSY;
    // No collection the teardown causes reaches the host's callback.
    set_gc_callback(rt, nullptr, nullptr);
    inspector_runtime_disposing(rt);
    for (Engine* e : rt->engines) destroy_engine_object(e);
    rt->engines.clear();
    for (Ref* r : rt->refs) {
      ref_table().remove(r->handle);
      delete r;
    }
    rt->refs.clear();
    destroy_proxies(rt);
    destroy_symbols(rt);
    destroy_host_objects(rt);
    destroy_deferreds(rt);
    destroy_builtins(rt);
    stop_profiler(rt);
    destroy_loop(rt);
    rt->embed->security_token.Reset();
    rt->limits->safe_builtins.Reset();
    forget_rethrow(rt);
  }
  // Interrupts are requested within the table's lock (vh_runtime_interrupt): once the handle is
  // gone none can be added, so freeing them now frees the last of them.
  runtime_table().remove(rt->handle);
  free_interrupts(rt);
  dispose_isolate(rt);  // a snapshot builder's blob is made there: no handle of ours is left
  free_runtime(rt);
  return VH_OK;
}

}  // namespace vh

using namespace vh;

namespace vh {

int new_runtime(const vh_runtime_options* options, SnapshotState* snapshot, vh_runtime* out) {
  std::unique_ptr<SnapshotState, void (*)(SnapshotState*)> snap(snapshot, free_snapshot_state);
  if (!out) return VH_EINVAL;
  vh_runtime_options opts{};
  opts.struct_size = sizeof opts;
  if (options) VH_TRY(copy_versioned(options, sizeof(vh_runtime_options), &opts));

  ensure_platform();
  std::unique_ptr<Runtime, void (*)(Runtime*)> rt(make_runtime(), free_runtime);
  rt->link = std::make_shared<RuntimeLink>();
  rt->link->rt = rt.get();
  // Anything above a century is "forever", capped so steady_clock arithmetic cannot overflow.
  constexpr uint64_t kForeverMs = 1000ull * 3600 * 24 * 365 * 100;
  if (opts.proxy_wait_ms != 0) rt->marshal->proxy_wait_ms = opts.proxy_wait_ms < kForeverMs ? opts.proxy_wait_ms : kForeverMs;
  rt->allocator.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator_shared = rt->allocator;
  VH_TRY(configure_heap(opts, &params));
  rt->embed->snapshot = snap.release();
  rt->isolate = make_isolate(rt.get(), params);  // frees rt->embed->snapshot when it fails
  if (!rt->isolate) return VH_ENOMEM;
  // The host decides when promise reactions run (vh_runtime_run_microtasks).
  rt->isolate->SetData(kRuntimeIsolateSlot, rt.get());
  install_module_callbacks(rt.get());
  install_heap_limit(rt.get());
  if (create_loop(rt.get(), opts.loop) != VH_OK) {
    dispose_isolate(rt.get());
    return VH_ENOMEM;
  }
  rt->isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  {
    RuntimeLock lock(rt.get());
    // One token for all engines: objects of one engine are used directly in the others.
    rt->embed->security_token.Reset(rt->isolate, v8::Symbol::New(rt->isolate));
  }
  rt->handle = runtime_table().add(rt.get());
  if (rt->handle == 0) {
    rt->embed->security_token.Reset();
    dispose_isolate(rt.get());
    return VH_ENOMEM;
  }
  out->id_ = rt->handle;
  rt.release();
  return VH_OK;
}

}  // namespace vh

extern "C" {

int vh_runtime_new(const vh_runtime_options* options, vh_runtime* out) {
  return new_runtime(options, nullptr, out);
}

bool vh_runtime_equal(vh_runtime a, vh_runtime b) { return a.id_ == b.id_; }

int vh_runtime_dispose(vh_runtime runtime) {
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  return dispose_runtime(rt);  // a private runtime's engine goes with it, as every engine does
}

int vh_runtime_gc(vh_runtime runtime) {
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  RuntimeLock lock(rt);
  rt->isolate->LowMemoryNotification();
  // A runtime kept stopped because its heap stayed over the limit works again once the host
  // has released what held the memory (limits.cc, end_stop); not while script runs beneath.
  ThreadState* ts = ThreadState::current();
  if (rt->js_calls == 0 && ts->depth == 0 && rt->stop_reason.load(std::memory_order_relaxed) == VH_EHEAPLIMIT)
    end_stop(rt);
  return VH_OK;
}

int vh_runtime_run_microtasks(vh_runtime runtime) {
  Runtime* rt;
  VH_TRY(resolve_runtime(runtime, &rt));
  RuntimeLock lock(rt);
  run_microtasks(rt);
  // A reaction was stopped (heap limit, terminate, deadline): the rest of the queue is dropped.
  if (rt->stop_reason.load(std::memory_order_relaxed) != 0) return stopped_status(rt, ThreadState::current());
  return VH_OK;
}

}  // extern "C"
