// The objects behind the public handles: runtimes, engines, references; and their tables.
#pragma once

#include <v8.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "marshal/buffer_cache.h"
#include "core/error_kinds.h"
#include "core/handle_table.h"
#include "v8host/loop.h"
#include "v8host/module.h"
#include "v8host/diagnostics.h"

namespace v8 {
class CpuProfiler;
}

namespace vh {

struct Engine;
struct Ref;
struct HostFunction;
struct ProxyRecord;
struct ModuleMap;  // module.cc: an engine's modules by resolved name
struct LoopState;  // loop.cc: the runtime's libuv loop, posted tasks, error reporting
struct TaskQueue;  // loop.cc: the posting side of the loop, shared with posters
struct Timers;     // builtins.cc: setTimeout/setInterval timers of the runtime
struct Consoles;   // console.cc: console.count/time/group state of the runtime's engines
struct HostClass;
struct Instance;
struct Deferred;
struct Inspector;  // src/inspector/: the runtime's V8 inspector, when attached
struct SnapshotState;  // snapshot.cc: a snapshot builder's creator, or a loaded blob and its bindings

// A global that every engine of a runtime gets its own instance of (functions and classes).
struct RuntimeGlobal {
  std::string name;
  v8::Global<v8::FunctionTemplate> tmpl;
};

struct RuntimeLink;  // lock.h: the runtime's lock and marshaling bookkeeping, shared by proxies

struct Runtime {
  uint64_t handle = 0;
  v8::Isolate* isolate = nullptr;
  std::shared_ptr<RuntimeLink> link;
  // How long a proxy operation waits for another runtime's lock (vh_runtime_options).
  uint64_t proxy_wait_ms = 10000;
  // Calls running script in this runtime right now (EngineCall with runs_js, proxy operations
  // on its objects); read by the heap-limit callback on the lock holder's thread.
  int js_calls = 0;
  // Why V8 was told to stop the running script (0: it was not): VH_ETERMINATED, VH_ETIMEDOUT or
  // VH_EHEAPLIMIT. Set from any thread before TerminateExecution.
  std::atomic<int> stop_reason{0};
  // V8's heap size limit as configured (vh_heap_stats.limit before any stop raised it), and its
  // old generation's share (known once the near-heap-limit callback ran; limits.cc).
  size_t heap_limit = 0;
  size_t heap_old_limit = 0;
  // Interrupts requested and not run yet (limits.cc): re-requested by the next lock holder.
  std::mutex interrupts_mu;
  std::vector<struct Interrupt*> interrupts;
  std::atomic<bool> has_interrupts{false};
  // The running CPU profile's profiler (profiler.cc), or null.
  v8::CpuProfiler* cpu_profiler = nullptr;
  // The host's near-heap-limit callback (diagnostics.cc) and whether it raised the limit yet.
  vh_heap_limit_cb heap_limit_cb = nullptr;
  void* heap_limit_data = nullptr;
  bool heap_limit_raised = false;
  // The host's garbage collection callback (diagnostics.cc); V8's prologue and epilogue
  // callbacks are installed while it is set. Lock held to read or change.
  vh_gc_cb gc_cb = nullptr;
  void* gc_data = nullptr;
  // Bumped by vh_runtime_set_deadline: a deadline of an older generation no longer fires.
  std::atomic<uint64_t> deadline_generation{0};
  // Threads inside a proxy operation of this runtime that released its lock while waiting for
  // another runtime: the runtime cannot be disposed under them.
  std::atomic<int> parked{0};
  // Proxy operations (proxy.cc), written by the lock holder only: the serial of the innermost
  // operation running in this runtime on behalf of another (0: none), and the handle of the
  // runtime this runtime's innermost proxy operation runs in (0: none). A stop of this runtime
  // follows calling_into to stop the script it waits on there (propagate_stop).
  std::atomic<uint64_t> serving{0};
  std::atomic<uint64_t> calling_into{0};
  // Proxies in this runtime of objects of other runtimes, by the object's identity id.
  std::unordered_map<uint64_t, ProxyRecord*> proxies;
  // Every record of a proxy in this runtime whose handler lives (released at disposal).
  std::unordered_set<ProxyRecord*> live_records;
  // The private symbol holding an object's identity id (in this runtime's isolate).
  v8::Global<v8::Private> id_key;
  // The handler class of this runtime's proxies (its brand tells our proxies apart).
  v8::Global<v8::FunctionTemplate> handler_class;
  // The two well-known symbols V8 10.2's API has no getter for, read from the first engine
  // before any script ran. A symbol belongs to the isolate, not to a realm: holding it keeps
  // no engine alive (the realm-bound intrinsics are per engine: Engine::intrinsics).
  v8::Global<v8::Symbol> symbol_match_all, symbol_species;
  // Symbols that crossed between runtimes, by a process-wide id, so each keeps its identity:
  // this runtime's symbol for an id, and the id of a symbol (by identity hash).
  std::unordered_map<uint64_t, v8::Global<v8::Symbol>> symbols_by_id;
  std::unordered_multimap<int, std::pair<v8::Global<v8::Symbol>, uint64_t>> symbol_ids;
  LoopState* loop = nullptr;
  // The loop's queue, kept until the Runtime is freed: a stop requested from another thread
  // wakes the loop through it, safely even while disposal tears the loop down (loop.cc).
  std::shared_ptr<TaskQueue> loop_queue;
  Inspector* inspector = nullptr;  // lock held to read or change
  Timers* timers = nullptr;  // made on first use (builtins.cc)
  Consoles* consoles = nullptr;  // made on first use (console.cc)
  vh_console_sink console_sink = nullptr;
  void* console_data = nullptr;
  // ES modules (module.cc).
  vh_module_loader module_loader = nullptr;
  void* module_loader_data = nullptr;
  vh_import_meta_hook import_meta_hook = nullptr;
  void* import_meta_data = nullptr;
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
  v8::Global<v8::Value> security_token;  // shared by all engines: direct access between them
  std::unordered_set<Engine*> engines;
  std::unordered_set<Ref*> refs;
  std::unordered_set<HostClass*> classes;
  std::unordered_set<Instance*> instances;    // live class instances, finalized at dispose
  std::unordered_set<HostFunction*> functions;  // host function records (freed at dispose/GC)
  std::unordered_set<Deferred*> deferreds;
  std::vector<RuntimeGlobal> globals;
  Engine* private_owner = nullptr;
  SnapshotState* snapshot = nullptr;  // runtimes made for or from a snapshot only
  // An exception a host callback rethrew from a nested call, with the message of where it was
  // first thrown: when the same value is caught again, that message (location) is kept rather
  // than the rethrow site's. Written and read only by note_rethrow/caught_message (call.h).
  v8::Global<v8::Value> rethrown_exception;
  v8::Global<v8::Message> rethrown_message;
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
  void Reset();
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
  // twice yields the same object while it lives (weak; marshal_shared.cc).
  BufferCache shared_buffers;
  ModuleMap* modules = nullptr;  // made on first use (module.cc)
};

struct Ref {
  uint64_t handle = 0;
  Runtime* rt = nullptr;
  v8::Global<v8::Value> value;
  uint32_t count = 0;
  bool can_be_weak = false;  // objects only: primitives are never observably collected
};

// The handle tables: constant-initialised globals (see handle_table.h), never destroyed.
extern HandleTable<Runtime> g_runtime_table;
extern HandleTable<Engine> g_engine_table;
extern HandleTable<Ref> g_ref_table;
extern HandleTable<HostClass> g_class_table;
extern HandleTable<Deferred> g_deferred_table;
inline HandleTable<Runtime>& runtime_table() { return g_runtime_table; }
inline HandleTable<Engine>& engine_table() { return g_engine_table; }
inline HandleTable<Ref>& ref_table() { return g_ref_table; }
inline HandleTable<HostClass>& class_table() { return g_class_table; }
inline HandleTable<Deferred>& deferred_table() { return g_deferred_table; }

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

// Starts V8 once per process (flags, platform); safe from many threads at once.
void ensure_platform();

}  // namespace vh
