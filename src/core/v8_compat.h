// Every difference between the V8 versions the library builds against (10.2, Debian 12's
// libnode, to 14.x), in one place: the rest of the sources call these and never test
// V8_MAJOR_VERSION themselves (scripts/check-portability.sh compiles them against each).
//
// What changed, and where:
//   - ScriptOrigin lost its Isolate parameter (12.x keeps both forms; 13 drops the old one).
//   - SyntheticModule::New takes a MemorySpan of export names from 12.x on.
//   - FunctionCallbackInfo::Holder() is gone in 13.x; This() is the holder there (no hidden
//     prototypes are left since 10.x, and signature-checked receivers are the instance itself).
//   - String::Utf8Length/WriteUtf8/Write/WriteOneByte became the *V2 calls (13.x, old ones
//     removed in 14.x), with flags instead of options and sizes as size_t.
//   - Internal fields take a type tag in 14.x (the library uses the default tag everywhere).
//   - Context/Object/Promise::GetIsolate() and Object::Get/SetPrototype() are gone in 14.x
//     (the isolate then is the current one; see isolate_of).
//   - Exception::RangeError & co. take an options argument from 12.x on.
//   - v8::Platform and v8::TaskRunner: 11.x replaced Platform::PostJob by CreateJob and dropped
//     OnCriticalMemoryPressure(size_t); 12.x made embedders override the *Impl calls that take
//     a SourceLocation (and a priority for worker tasks and foreground runners); 13.x made the
//     old entry points non-virtual. PlatformBase and TaskRunnerBase below turn each form into
//     one set of hooks, so the wrapper platform (platform.cc) is written once.
//   - Resizable ArrayBuffer / growable SharedArrayBuffer ship from 11.1 (before: a flag).
//   - The field-read fast path (fast_reads.h) knows V8 10.x's object layout only.
#pragma once

#include <v8-platform.h>
#include <v8-version.h>
#include <v8.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#define VH_V8_AT_LEAST(major, minor) \
  (V8_MAJOR_VERSION > (major) || (V8_MAJOR_VERSION == (major) && V8_MINOR_VERSION >= (minor)))

// From which V8 on resizable ArrayBuffer and growable SharedArrayBuffer ship by default (11.1).
// Before that they sit behind --harmony-rab-gsab, whose implementation in 10.2 is unfinished:
// Atomics.load and the BigInt Atomics on a view over a resizable or growable buffer hit a fatal
// CHECK, so any script could end the process. The flag is therefore an explicit opt-in
// (VH_PROCESS_FLAG_UNSAFE_RAB_GSAB).
#define VH_V8_SHIPS_RAB_GSAB VH_V8_AT_LEAST(11, 1)

// V8 10.2 exactly (Debian 12's libnode): the version src/inspector/v8_inspector_abi.h declares.
#define VH_V8_IS_10_2 (V8_MAJOR_VERSION == 10 && V8_MINOR_VERSION == 2)

// Whether fast_reads.h may read internal fields and externals through V8 10.x's object layout
// (never with V8's API checks, which the layout read would skip).
#if V8_MAJOR_VERSION == 10 && !defined(V8_ENABLE_CHECKS)
#define VH_FAST_READS 1
#else
#define VH_FAST_READS 0
#endif

// Whether a growable SharedArrayBuffer reports ByteLength() 0 (V8 10.2, verified there; other
// versions are not, and marshal/shared.cc then takes the slower path that is always right).
#define VH_V8_GROWABLE_SAB_LENGTH_ZERO VH_V8_IS_10_2

namespace vh {
namespace compat {

#if VH_FAST_READS
// The Local whose handle is the slot at p (V8 10.x: a Local is the address of a slot holding a
// tagged word). For slots V8 made, e.g. a FunctionCallbackInfo's arguments.
inline v8::Local<v8::Value> local_at(v8::internal::Address* p) {
  v8::Local<v8::Value> local;
  static_assert(sizeof(local) == sizeof(p), "a Local is one pointer");
  std::memcpy(static_cast<void*>(&local), &p, sizeof(p));
  return local;
}
#endif

// ---- scripts and modules ---------------------------------------------------------------------

inline v8::ScriptOrigin script_origin(v8::Isolate* isolate, v8::Local<v8::Value> name, int line_offset = 0,
                                      int column_offset = 0, bool is_module = false,
                                      v8::Local<v8::Value> source_map_url = v8::Local<v8::Value>()) {
#if VH_V8_AT_LEAST(12, 0)
  (void)isolate;
  return v8::ScriptOrigin(name, line_offset, column_offset, false, -1, source_map_url, false, false, is_module);
#else
  return v8::ScriptOrigin(isolate, name, line_offset, column_offset, false, -1, source_map_url, false, false,
                          is_module);
#endif
}

inline v8::Local<v8::Module> new_synthetic_module(v8::Isolate* isolate, v8::Local<v8::String> name,
                                                  const std::vector<v8::Local<v8::String>>& exports,
                                                  v8::Module::SyntheticModuleEvaluationSteps steps) {
#if VH_V8_AT_LEAST(12, 0)
  return v8::Module::CreateSyntheticModule(
      isolate, name, v8::MemorySpan<const v8::Local<v8::String>>(exports.data(), exports.size()), steps);
#else
  return v8::Module::CreateSyntheticModule(isolate, name, exports, steps);
#endif
}

// ---- callbacks -------------------------------------------------------------------------------

template <typename T>
inline v8::Local<v8::Object> holder(const v8::FunctionCallbackInfo<T>& info) {
#if VH_V8_AT_LEAST(13, 0)
  return info.This();
#else
  return info.Holder();
#endif
}

// ---- internal fields -------------------------------------------------------------------------

inline void* internal_field(v8::Local<v8::Object> object, int index) {
#if VH_V8_AT_LEAST(14, 0)
  return object->GetAlignedPointerFromInternalField(index, v8::kEmbedderDataTypeTagDefault);
#else
  return object->GetAlignedPointerFromInternalField(index);
#endif
}

inline void set_internal_field(v8::Local<v8::Object> object, int index, void* value) {
#if VH_V8_AT_LEAST(14, 0)
  object->SetAlignedPointerInInternalField(index, value, v8::kEmbedderDataTypeTagDefault);
#else
  object->SetAlignedPointerInInternalField(index, value);
#endif
}

// ---- objects ---------------------------------------------------------------------------------

inline v8::Local<v8::Value> prototype_of(v8::Local<v8::Object> object) {
#if VH_V8_AT_LEAST(14, 0)
  return object->GetPrototypeV2();
#else
  return object->GetPrototype();
#endif
}

inline v8::Maybe<bool> set_prototype(v8::Local<v8::Context> ctx, v8::Local<v8::Object> object,
                                     v8::Local<v8::Value> proto) {
#if VH_V8_AT_LEAST(14, 0)
  return object->SetPrototypeV2(ctx, proto);
#else
  return object->SetPrototype(ctx, proto);
#endif
}

// The isolate of a context / of a heap object. 14.x has no such accessor; there the isolate the
// thread entered last (Isolate::GetCurrent()) stands in, which is right only where the caller
// runs in the object's own isolate. Call sites that may hold another isolate's object take the
// isolate as a parameter instead (marshal/shared.cc's is_shared_view). Nothing runs on 14.x
// yet (compile only), so this is not verified there.
inline v8::Isolate* isolate_of(v8::Local<v8::Context> ctx) {
#if VH_V8_AT_LEAST(14, 0)
  (void)ctx;
  return v8::Isolate::GetCurrent();
#else
  return ctx->GetIsolate();
#endif
}

template <typename T>
inline v8::Isolate* isolate_of(v8::Local<T> object) {
#if VH_V8_AT_LEAST(14, 0)
  (void)object;
  return v8::Isolate::GetCurrent();
#else
  return object->GetIsolate();
#endif
}

// ---- errors ----------------------------------------------------------------------------------

// The type of v8::Exception::Error & co., and a call of one with a message only (12.x added an
// options parameter, passed empty here).
using ErrorFactory = decltype(&v8::Exception::Error);

template <typename... Rest>
inline v8::Local<v8::Value> call_error_factory(v8::Local<v8::Value> (*factory)(v8::Local<v8::String>, Rest...),
                                               v8::Local<v8::String> message) {
  return factory(message, Rest()...);
}

// ---- strings ---------------------------------------------------------------------------------

// Bytes of the UTF-8 form (unpaired surrogates as U+FFFD), without a terminator.
inline size_t utf8_length(v8::Isolate* isolate, v8::Local<v8::String> s) {
#if VH_V8_AT_LEAST(13, 0)
  return s->Utf8LengthV2(isolate);
#else
  return static_cast<size_t>(s->Utf8Length(isolate));
#endif
}

// Writes the UTF-8 form into buffer (at most capacity bytes, never a partial character, no
// terminator, unpaired surrogates as U+FFFD); returns the bytes written.
inline size_t write_utf8(v8::Isolate* isolate, v8::Local<v8::String> s, char* buffer, size_t capacity) {
#if VH_V8_AT_LEAST(13, 0)
  return s->WriteUtf8V2(isolate, buffer, capacity, v8::String::WriteFlags::kReplaceInvalidUtf8);
#else
  int cap = capacity > static_cast<size_t>(INT32_MAX) ? INT32_MAX : static_cast<int>(capacity);
  return static_cast<size_t>(s->WriteUtf8(isolate, buffer, cap, nullptr,
                                          v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8));
#endif
}

// Copies length UTF-16 code units from offset (the caller checked the range), no terminator.
inline void write_two_byte(v8::Isolate* isolate, v8::Local<v8::String> s, uint32_t offset, uint32_t length,
                           uint16_t* buffer) {
#if VH_V8_AT_LEAST(13, 0)
  s->WriteV2(isolate, offset, length, buffer);
#else
  s->Write(isolate, buffer, static_cast<int>(offset), static_cast<int>(length), v8::String::NO_NULL_TERMINATION);
#endif
}

// Copies length Latin-1 characters from offset (the caller checked the range and that the
// string is one-byte), no terminator.
inline void write_one_byte(v8::Isolate* isolate, v8::Local<v8::String> s, uint32_t offset, uint32_t length,
                           uint8_t* buffer) {
#if VH_V8_AT_LEAST(13, 0)
  s->WriteOneByteV2(isolate, offset, length, buffer);
#else
  s->WriteOneByte(isolate, buffer, static_cast<int>(offset), static_cast<int>(length),
                  v8::String::NO_NULL_TERMINATION);
#endif
}

// ---- platform --------------------------------------------------------------------------------

// Where a task was posted from: V8's SourceLocation from 12.x on, nothing before.
#if VH_V8_AT_LEAST(12, 0)
using TaskLocation = v8::SourceLocation;
#else
struct TaskLocation {};
#endif

// A TaskRunner written once: subclasses implement the post_* hooks, which every V8 version's
// virtual entry points call.
class TaskRunnerBase : public v8::TaskRunner {
 protected:
  virtual void post(std::unique_ptr<v8::Task> task, const TaskLocation& where) = 0;
  virtual void post_non_nestable(std::unique_ptr<v8::Task> task, const TaskLocation& where) = 0;
  virtual void post_delayed(std::unique_ptr<v8::Task> task, double delay_in_seconds, const TaskLocation& where) = 0;
  virtual void post_non_nestable_delayed(std::unique_ptr<v8::Task> task, double delay_in_seconds,
                                         const TaskLocation& where) = 0;
  virtual void post_idle(std::unique_ptr<v8::IdleTask> task, const TaskLocation& where) = 0;

#if VH_V8_AT_LEAST(12, 0)
  // 12.x's still-virtual PostTask & co. call these; 13.x's non-virtual ones too.
  void PostTaskImpl(std::unique_ptr<v8::Task> task, const v8::SourceLocation& where) override {
    post(std::move(task), where);
  }
  void PostNonNestableTaskImpl(std::unique_ptr<v8::Task> task, const v8::SourceLocation& where) override {
    post_non_nestable(std::move(task), where);
  }
  void PostDelayedTaskImpl(std::unique_ptr<v8::Task> task, double delay, const v8::SourceLocation& where) override {
    post_delayed(std::move(task), delay, where);
  }
  void PostNonNestableDelayedTaskImpl(std::unique_ptr<v8::Task> task, double delay,
                                      const v8::SourceLocation& where) override {
    post_non_nestable_delayed(std::move(task), delay, where);
  }
  void PostIdleTaskImpl(std::unique_ptr<v8::IdleTask> task, const v8::SourceLocation& where) override {
    post_idle(std::move(task), where);
  }
#else
 public:
  void PostTask(std::unique_ptr<v8::Task> task) override { post(std::move(task), {}); }
  void PostNonNestableTask(std::unique_ptr<v8::Task> task) override { post_non_nestable(std::move(task), {}); }
  void PostDelayedTask(std::unique_ptr<v8::Task> task, double delay) override {
    post_delayed(std::move(task), delay, {});
  }
  void PostNonNestableDelayedTask(std::unique_ptr<v8::Task> task, double delay) override {
    post_non_nestable_delayed(std::move(task), delay, {});
  }
  void PostIdleTask(std::unique_ptr<v8::IdleTask> task) override { post_idle(std::move(task), {}); }
#endif
};

// Posting to another runner, keeping the location where V8 has one.
inline void post_task(v8::TaskRunner* r, std::unique_ptr<v8::Task> task, const TaskLocation& where) {
#if VH_V8_AT_LEAST(13, 0)
  r->PostTask(std::move(task), where);
#else
  (void)where;
  r->PostTask(std::move(task));
#endif
}
inline void post_non_nestable_task(v8::TaskRunner* r, std::unique_ptr<v8::Task> task, const TaskLocation& where) {
#if VH_V8_AT_LEAST(13, 0)
  r->PostNonNestableTask(std::move(task), where);
#else
  (void)where;
  r->PostNonNestableTask(std::move(task));
#endif
}
inline void post_delayed_task(v8::TaskRunner* r, std::unique_ptr<v8::Task> task, double delay,
                              const TaskLocation& where) {
#if VH_V8_AT_LEAST(13, 0)
  r->PostDelayedTask(std::move(task), delay, where);
#else
  (void)where;
  r->PostDelayedTask(std::move(task), delay);
#endif
}
inline void post_non_nestable_delayed_task(v8::TaskRunner* r, std::unique_ptr<v8::Task> task, double delay,
                                           const TaskLocation& where) {
#if VH_V8_AT_LEAST(13, 0)
  r->PostNonNestableDelayedTask(std::move(task), delay, where);
#else
  (void)where;
  r->PostNonNestableDelayedTask(std::move(task), delay);
#endif
}
inline void post_idle_task(v8::TaskRunner* r, std::unique_ptr<v8::IdleTask> task, const TaskLocation& where) {
#if VH_V8_AT_LEAST(13, 0)
  r->PostIdleTask(std::move(task), where);
#else
  (void)where;
  r->PostIdleTask(std::move(task));
#endif
}

// A Platform wrapper written once: subclasses implement the hooks, which every V8 version's
// virtual entry points call, and pass work on to the wrapped platform with the calls below.
class PlatformBase : public v8::Platform {
 public:
  explicit PlatformBase(std::unique_ptr<v8::Platform> inner) : inner_(std::move(inner)) {}
  v8::Platform* inner() { return inner_.get(); }
#if !VH_V8_AT_LEAST(11, 0)
  bool OnCriticalMemoryPressure(size_t length) override { return inner_->OnCriticalMemoryPressure(length); }
#endif

 protected:
  std::unique_ptr<v8::Platform> inner_;

  virtual std::shared_ptr<v8::TaskRunner> foreground_runner(v8::Isolate* isolate, v8::TaskPriority priority) = 0;
  virtual void post_on_worker(v8::TaskPriority priority, std::unique_ptr<v8::Task> task,
                              const TaskLocation& where) = 0;
  virtual void post_delayed_on_worker(v8::TaskPriority priority, std::unique_ptr<v8::Task> task, double delay,
                                      const TaskLocation& where) = 0;
  // Makes a job (not started) or, before 11.x, posts it (V8 10.x's only entry point).
  virtual std::unique_ptr<v8::JobHandle> job(v8::TaskPriority priority, std::unique_ptr<v8::JobTask> task,
                                             const TaskLocation& where) = 0;

 public:
#if VH_V8_AT_LEAST(12, 0)
  std::shared_ptr<v8::TaskRunner> GetForegroundTaskRunner(v8::Isolate* isolate, v8::TaskPriority priority) override {
    return foreground_runner(isolate, priority);
  }
#if !VH_V8_AT_LEAST(13, 0)
  // Still virtual in 12.x; its default already calls the one above, this keeps it so.
  std::shared_ptr<v8::TaskRunner> GetForegroundTaskRunner(v8::Isolate* isolate) override {
    return foreground_runner(isolate, v8::TaskPriority::kUserBlocking);
  }
#endif

 protected:
  std::unique_ptr<v8::JobHandle> CreateJobImpl(v8::TaskPriority priority, std::unique_ptr<v8::JobTask> task,
                                               const v8::SourceLocation& where) override {
    return job(priority, std::move(task), where);
  }
  void PostTaskOnWorkerThreadImpl(v8::TaskPriority priority, std::unique_ptr<v8::Task> task,
                                  const v8::SourceLocation& where) override {
    post_on_worker(priority, std::move(task), where);
  }
  void PostDelayedTaskOnWorkerThreadImpl(v8::TaskPriority priority, std::unique_ptr<v8::Task> task, double delay,
                                         const v8::SourceLocation& where) override {
    post_delayed_on_worker(priority, std::move(task), delay, where);
  }
#else
  std::shared_ptr<v8::TaskRunner> GetForegroundTaskRunner(v8::Isolate* isolate) override {
    return foreground_runner(isolate, v8::TaskPriority::kUserBlocking);
  }
  void CallOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    post_on_worker(v8::TaskPriority::kUserVisible, std::move(task), {});
  }
  void CallBlockingTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    post_on_worker(v8::TaskPriority::kUserBlocking, std::move(task), {});
  }
  void CallLowPriorityTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    post_on_worker(v8::TaskPriority::kBestEffort, std::move(task), {});
  }
  void CallDelayedOnWorkerThread(std::unique_ptr<v8::Task> task, double delay) override {
    post_delayed_on_worker(v8::TaskPriority::kUserVisible, std::move(task), delay, {});
  }
#if VH_V8_AT_LEAST(11, 0)
  std::unique_ptr<v8::JobHandle> CreateJob(v8::TaskPriority priority, std::unique_ptr<v8::JobTask> task) override {
    return job(priority, std::move(task), {});
  }
#else
  std::unique_ptr<v8::JobHandle> PostJob(v8::TaskPriority priority, std::unique_ptr<v8::JobTask> task) override {
    return job(priority, std::move(task), {});
  }
#endif
#endif

 protected:
  // What the wrapped platform is given.
  static std::shared_ptr<v8::TaskRunner> inner_foreground_runner(v8::Platform* inner, v8::Isolate* isolate,
                                                                 v8::TaskPriority priority) {
#if VH_V8_AT_LEAST(12, 0)
    return inner->GetForegroundTaskRunner(isolate, priority);
#else
    (void)priority;
    return inner->GetForegroundTaskRunner(isolate);
#endif
  }
  static void inner_post_on_worker(v8::Platform* inner, v8::TaskPriority priority, std::unique_ptr<v8::Task> task,
                                   const TaskLocation& where) {
#if VH_V8_AT_LEAST(13, 0)
    inner->PostTaskOnWorkerThread(priority, std::move(task), where);
#elif VH_V8_AT_LEAST(12, 0)
    switch (priority) {
      case v8::TaskPriority::kUserBlocking: return inner->CallBlockingTaskOnWorkerThread(std::move(task), where);
      case v8::TaskPriority::kBestEffort: return inner->CallLowPriorityTaskOnWorkerThread(std::move(task), where);
      default: return inner->CallOnWorkerThread(std::move(task), where);
    }
#else
    (void)where;
    switch (priority) {
      case v8::TaskPriority::kUserBlocking: return inner->CallBlockingTaskOnWorkerThread(std::move(task));
      case v8::TaskPriority::kBestEffort: return inner->CallLowPriorityTaskOnWorkerThread(std::move(task));
      default: return inner->CallOnWorkerThread(std::move(task));
    }
#endif
  }
  static void inner_post_delayed_on_worker(v8::Platform* inner, v8::TaskPriority priority,
                                           std::unique_ptr<v8::Task> task, double delay, const TaskLocation& where) {
#if VH_V8_AT_LEAST(13, 0)
    inner->PostDelayedTaskOnWorkerThread(priority, std::move(task), delay, where);
#elif VH_V8_AT_LEAST(12, 0)
    (void)priority;  // 12.x's public call has none
    inner->CallDelayedOnWorkerThread(std::move(task), delay, where);
#else
    (void)priority;
    (void)where;
    inner->CallDelayedOnWorkerThread(std::move(task), delay);
#endif
  }
  static std::unique_ptr<v8::JobHandle> inner_job(v8::Platform* inner, v8::TaskPriority priority,
                                                  std::unique_ptr<v8::JobTask> task, const TaskLocation& where) {
#if VH_V8_AT_LEAST(12, 0)
    return inner->CreateJob(priority, std::move(task), where);
#elif VH_V8_AT_LEAST(11, 0)
    (void)where;
    return inner->CreateJob(priority, std::move(task));
#else
    (void)where;
    return inner->PostJob(priority, std::move(task));
#endif
  }
};

// ---- garbage collections ---------------------------------------------------------------------

// The young generation's mark-compact collection: kGCTypeMinorMarkCompact until 12.x,
// kGCTypeMinorMarkSweep from 13.x (the same bit).
#if VH_V8_AT_LEAST(13, 0)
constexpr v8::GCType kGCTypeMinor = v8::kGCTypeMinorMarkSweep;
#else
constexpr v8::GCType kGCTypeMinor = v8::kGCTypeMinorMarkCompact;
#endif

}  // namespace compat
}  // namespace vh
