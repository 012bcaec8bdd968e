// The objects behind the public handles: runtimes (core's part of one, and the names of the
// parts the layers above add), engines, references.
#pragma once

#include <v8.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/error_kinds.h"
#include "core/handle_table.h"
#include "v8host/diagnostics.h"

namespace vh {

struct Engine;
struct Ref;
struct Interrupt;  // core/stop.cc: a vh_runtime_interrupt not run yet

// The parts of a Runtime that belong to the layers above core, bottom-up, written once:
// X(type, Runtime member). Each is declared in its own layer's header (src/README.md lists the
// layers). Core sees only their names: a part is held through a pointer, made when the runtime
// is made and freed when it is freed (embed/runtime.cc, make_runtime / free_runtime), so it is
// there for the Runtime's whole life. A layer's code touches its own part and the parts below
// it, never one above.
#define VH_RUNTIME_PARTS(X)                                                                               \
  X(MarshalPart, marshal) /* marshal/marshal.h: proxies, identity ids, symbols that crossed */            \
  X(HostPart, host)       /* host/host.h: host functions, classes, instances, deferreds, globals */       \
  X(LoopPart, loop)       /* loop/loop.h: the event loop, timers, consoles */                             \
  X(LimitsPart, limits)   /* limits/limits.h: deadlines, the safe builtins' installer */                  \
  X(ModulePart, module)   /* module/module.h: the host's module loader and import.meta hook */            \
  X(DebugPart, debug)     /* debug/diagnostics.h: GC callback, CPU profiler, inspector */                 \
  X(EmbedPart, embed)     /* embed/lifecycle.h: snapshot state, the private engine, the security token */

#define VH_PART_DECLARE_(Type, member) struct Type;
VH_RUNTIME_PARTS(VH_PART_DECLARE_)
#undef VH_PART_DECLARE_
struct ModuleMap;    // module/module.cc: an engine's modules by resolved name
class BufferCache;   // marshal/buffer_cache.h: an engine's SharedArrayBuffers by backing store

struct RuntimeLink;  // lock.h: the runtime's lock, outliving the runtime

// A runtime: one V8 isolate and its engines. What core itself needs (the lock, how a script is
// stopped, the engines, references, the current engine) is here; the rest is in the parts.
struct Runtime {
  uint64_t handle = 0;
  v8::Isolate* isolate = nullptr;
  std::shared_ptr<RuntimeLink> link;
  // Calls running script in this runtime right now (EngineCall with runs_js, proxy operations
  // on its objects); read by the heap-limit callback on the lock holder's thread.
  int js_calls = 0;
  // Why V8 was told to stop the running script (0: it was not): VH_ETERMINATED, VH_ETIMEDOUT or
  // VH_EHEAPLIMIT. Set from any thread before TerminateExecution.
  std::atomic<int> stop_reason{0};
  // V8's heap size limit as configured (vh_heap_stats.limit before any stop raised it), and its
  // old generation's share (known once the near-heap-limit callback ran; core/stop.cc).
  size_t heap_limit = 0;
  size_t heap_old_limit = 0;
  // Interrupts requested and not run yet (core/stop.cc): re-requested by the next lock holder.
  std::mutex interrupts_mu;
  std::vector<Interrupt*> interrupts;
  std::atomic<bool> has_interrupts{false};
  // The host's near-heap-limit callback (set by vh_runtime_set_heap_limit_callback in
  // debug/diagnostics.cc, called by core/stop.cc) and whether it raised the limit yet.
  vh_heap_limit_cb heap_limit_cb = nullptr;
  void* heap_limit_data = nullptr;
  bool heap_limit_raised = false;
  // Threads inside a proxy operation of this runtime that released its lock while waiting for
  // another runtime: the runtime cannot be disposed under them.
  std::atomic<int> parked{0};
  // Shared with V8: backing stores keep it alive, so a SharedArrayBuffer's memory that outlives
  // this runtime (shared into another one) is still freed by the allocator that made it.
  std::shared_ptr<v8::ArrayBuffer::Allocator> allocator;
  // Ordinal of the thread holding the lock through v8host scopes or calls; 0 when none.
  std::atomic<uint32_t> lock_owner{0};
  // Ordinal of the thread running the runtime's loop (inside uv_run: a run, or a module's
  // top-level await; loop.cc writes it); 0 when none. A stop on that thread ends only when the
  // run returns (core/stop.cc).
  std::atomic<uint32_t> loop_thread{0};
  // Ordinal of the last thread that set its stack limit on this isolate (lock.h); only the lock
  // holder reads or writes it.
  uint32_t stack_limit_thread = 0;
  // The engine whose context is entered at the top of the lock holder's stack.
  Engine* entered = nullptr;
  std::unordered_set<Engine*> engines;
  std::unordered_set<Ref*> refs;
  // An exception a host callback rethrew from a nested call, with the message of where it was
  // first thrown: when the same value is caught again, that message (location) is kept rather
  // than the rethrow site's. Written and read only by note_rethrow/caught_message (call.h).
  v8::Global<v8::Value> rethrown_exception;
  v8::Global<v8::Message> rethrown_message;
  // The parts of the layers above, bottom-up (never null from creation to disposal).
#define VH_PART_MEMBER_(Type, member) Type* member = nullptr;
  VH_RUNTIME_PARTS(VH_PART_MEMBER_)
#undef VH_PART_MEMBER_
};

// Intrinsics of one engine's realm, read from its fresh global before any script ran
// (engine.cc) and released with the engine: script may replace the globals later, and a
// capture held by the runtime would keep that engine's whole realm alive after its disposal.
// A member is empty when the fresh realm did not have it (never, on a V8 that has them).
struct Intrinsics {
  v8::Global<v8::Function> reflect_set;    // a set that reports refusal (Object::Set does not)
  v8::Global<v8::Function> reflect_set_prototype_of;  // Object::SetPrototype swallows what a
                                                      // script Proxy's trap throws
  v8::Global<v8::Function> function_bind;  // Function.prototype.bind: a target without own
                                           // non-configurable properties (proxy.cc)
  v8::Global<v8::Object> error_protos[kErrorKindCount];  // <Kind>.prototype, error_kinds.h order
  void Reset() {
    reflect_set.Reset();
    reflect_set_prototype_of.Reset();
    function_bind.Reset();
    for (v8::Global<v8::Object>& proto : error_protos) proto.Reset();
  }
};

struct Engine {
  uint64_t handle = 0;
  Runtime* rt = nullptr;
  v8::Global<v8::Context> context;
  Intrinsics intrinsics;
  // Scopes opened on this engine plus calls running in it: disposal waits for zero.
  uint32_t in_use = 0;
  std::atomic<bool> has_pending{false};  // read without the lock by vh_exception_pending
  v8::Global<v8::Value> pending_exception;
  v8::Global<v8::Message> pending_message;
  // SharedArrayBuffers passed in from other runtimes, by backing store: the same store passed
  // twice yields the same object while it lives (weak; marshal/shared.cc). Made and freed with
  // the engine (embed/engine.cc).
  BufferCache* shared_buffers = nullptr;
  ModuleMap* modules = nullptr;  // made on first use (module/module.cc), freed with the engine
};

struct Ref {
  uint64_t handle = 0;
  Runtime* rt = nullptr;
  v8::Global<v8::Value> value;
  uint32_t count = 0;
  bool can_be_weak = false;  // objects only: primitives are never observably collected
};

// The Runtime an isolate belongs to (isolate data slot 0).
inline Runtime* runtime_of(v8::Isolate* isolate) { return static_cast<Runtime*>(isolate->GetData(0)); }
constexpr uint32_t kRuntimeIsolateSlot = 0;


// A Local that aliases a Global's slot, without making a new handle (as Node's
// PersistentToLocal::Strong): valid while the Global holds its object.
template <typename T>
inline v8::Local<T> strong_local(const v8::Global<T>& global) {
  static_assert(sizeof(v8::Global<T>) == sizeof(v8::Local<T>), "Global and Local differ in layout");
  return *reinterpret_cast<const v8::Local<T>*>(&global);
}

// Embedder data slot of a context that points back at its Engine.
constexpr int kEngineEmbedderSlot = 1;

// The Engine of a context, or nullptr for a disposed engine's context.
inline Engine* engine_of(v8::Local<v8::Context> context) {
  return static_cast<Engine*>(context->GetAlignedPointerFromEmbedderData(kEngineEmbedderSlot));
}


}  // namespace vh
