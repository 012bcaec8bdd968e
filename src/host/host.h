// Host functions, host classes and their instances: the records behind C callbacks, and the
// trampoline that turns a V8 callback into a vh_host_function_cb call.
#pragma once

#include <v8.h>

#include <string>
#include <unordered_set>
#include <vector>

#include "core/call.h"
#include "host/fast_reads.h"
#include "v8host/class.h"
#include "v8host/function.h"

namespace vh {

struct HostClass;

// What a V8 function's data External points at.
struct HostFunction {
  // kNumeric and kNativeMethod are the fast path (numeric.cc): no vh_call_info, no scope.
  enum Kind { kPlain, kMethod, kConstructor, kNumeric, kNativeMethod };
  Kind kind = kPlain;
  vh_host_function_cb fn = nullptr;
  vh_numeric_function_cb numeric = nullptr;
  vh_native_method_cb native = nullptr;
  std::string name;  // for the fast path's TypeErrors
  void* data = nullptr;
  HostClass* cls = nullptr;       // for methods and constructors
  uint64_t engine_handle = 0;     // engine of a vh_new_function function; 0: the current context's
  Runtime* rt = nullptr;
  v8::Global<v8::Function> weak;  // vh_new_function only: frees the record when collected
};

struct HostClass {
  uint64_t handle = 0;
  Runtime* rt = nullptr;
  std::string name;
  vh_class_constructor_cb construct = nullptr;
  vh_class_finalizer_cb finalize = nullptr;
  void* data = nullptr;
  v8::Global<v8::FunctionTemplate> tmpl;
  std::vector<HostFunction*> records;  // constructor, methods, accessors: owned by the runtime
};

// A live instance: the native pointer and a weak handle whose collection finalizes it.
struct Instance {
  HostClass* cls = nullptr;
  void* native = nullptr;
  v8::Global<v8::Object> weak;
};

struct Deferred;  // promise.cc

// A global that every engine of a runtime gets its own instance of (functions and classes).
struct RuntimeGlobal {
  std::string name;
  v8::Global<v8::FunctionTemplate> tmpl;
};

// The runtime's host-function records in registration order, kept for snapshot runtimes
// (embed/snapshot.cc): a snapshot refers to the records behind its functions by that order.
// A runtime made from a snapshot has its records made before its isolate (`records`, handed out
// in order by next()); a builder appends every new one (`numbering`), at most `limit`.
struct RecordOrder {
  std::vector<HostFunction*> records;
  size_t handed = 0;       // records[handed] is the next registration's, if any
  bool numbering = false;  // a builder: next() appends each new record
  size_t limit = 0;
  bool overflow = false;   // a builder was asked for more than limit records
  RecordOrder() = default;
  RecordOrder(const RecordOrder&) = delete;
  RecordOrder& operator=(const RecordOrder&) = delete;
  // Records never handed out are this order's (a blob's records the host did not register).
  ~RecordOrder() {
    for (size_t i = handed; i < records.size(); ++i) delete records[i];
  }
  // The record the next registration uses (not yet initialised; owned by the caller).
  HostFunction* next() {
    if (handed < records.size()) return records[handed++];
    auto* rec = new HostFunction();
    if (numbering && records.size() < limit) {
      records.push_back(rec);
      ++handed;
    } else if (numbering) {
      overflow = true;
    }
    return rec;
  }
};

// The host layer's part of a Runtime (Runtime::host; core/objects.h).
struct HostPart {
  std::unordered_set<HostClass*> classes;
  std::unordered_set<Instance*> instances;      // live class instances, finalized at dispose
  std::unordered_set<HostFunction*> functions;  // host function records (freed at dispose/GC)
  std::unordered_set<Deferred*> deferreds;
  std::vector<RuntimeGlobal> globals;
  RecordOrder order;
};

// The trampoline every host-made V8 function is created with (and the fast-path ones, for
// kNumeric and kNativeMethod records).
void host_callback(const v8::FunctionCallbackInfo<v8::Value>& info);
void numeric_callback(const v8::FunctionCallbackInfo<v8::Value>& info);
void native_method_callback(const v8::FunctionCallbackInfo<v8::Value>& info);

// The Instance record of an object made from a host class template (nullptr while its
// constructor has not attached one). Inline: V8's field read has an inline fast path.
constexpr int kInstanceField = 0;
inline Instance* instance_of(v8::Local<v8::Object> object) {
  return static_cast<Instance*>(compat::internal_field(object, kInstanceField));
}


// Makes a FunctionTemplate whose calls reach record (owned by rt->host->functions).
v8::Local<v8::FunctionTemplate> host_template(Runtime* rt, HostFunction* record,
                                              v8::Local<v8::Signature> signature);

// Makes a function of one engine for a copy of proto (kind, fn/numeric, data); its record is
// freed when the function is collected.
int make_engine_function(vh_engine engine, const char* name, const HostFunction& proto, vh_value* out);

// Adds or replaces a runtime-wide global (installed in engines by install_runtime_globals).
int register_runtime_global(Runtime* rt, const std::string& name, v8::Local<v8::FunctionTemplate> tmpl);

// vh_runtime_global_function / _numeric: a runtime-owned record copied from proto (kind,
// fn/numeric, data) registered as the runtime global `name`.
int make_runtime_global_function(vh_runtime runtime, const char* name, const HostFunction& proto);

// Allocates a record owned by the runtime (freed at runtime disposal).
HostFunction* new_runtime_record(Runtime* rt, HostFunction::Kind kind, vh_host_function_cb fn,
                                 void* data, HostClass* cls);

// Defines each registered runtime global on the engine's global object. VH_EEXCEPTION (pending
// in the engine) when one cannot be defined.
int install_runtime_globals(Engine* engine, v8::Local<v8::Context> ctx);
// undefined, NaN, Infinity: non-configurable in every fresh engine.
bool is_reserved_global(const char* name);

// Attaches native to a fresh instance object and arranges its finalizer.
void attach_instance(HostClass* cls, v8::Local<v8::Object> object, void* native);

// Finalizes every remaining instance and frees classes, function records and deferreds: part
// of runtime disposal (the lock is held).
void destroy_host_objects(Runtime* rt);

int resolve_class(vh_class handle, HostClass** out);

// Frees the deferreds never used (runtime disposal, lock held).
void destroy_deferreds(Runtime* rt);

}  // namespace vh
