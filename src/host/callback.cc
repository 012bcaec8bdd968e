// The host callback trampoline: V8 calls it for every host-made function, it presents the call
// to C as a vh_call_info in a callback scope, and turns the callback's status into a return
// value or an exception.
#include <memory>
#include <string>

#include "core/error_kinds.h"
#include "core/v8_compat.h"
#include "core/frame.h"
#include "host/host.h"
#include "marshal/marshal.h"

namespace vh {

namespace {

constexpr int kInlineArgs = 8;

// Finishes a callback whose outcome is not a plain return of a value of its own runtime: turns
// its status (and result) into V8's exception or return value. Cold: the common outcome is
// handled inline by run_callback.
__attribute__((noinline)) void finish(const v8::FunctionCallbackInfo<v8::Value>& info, Runtime* rt,
                                      ThreadState* ts, int rc, vh_value result) {
  v8::Isolate* iso = info.GetIsolate();
  if (ts->frame_threw) return;  // vh_throw already threw; it wins over the status
  if (iso->IsExecutionTerminating()) return;  // the script is being stopped: nothing to return
  if (rc == VH_EEXCEPTION) {
    if (!HostFrame::rethrow_failed(ts, rt, iso))
      throw_status(iso, VH_EEXCEPTION, "the host function reported an exception it did not throw");
    return;
  }
  if (rc != VH_OK) return throw_status(iso, rc);
  if (result.serial_ == 0) return;
  const Slot* slot;
  int looked = lookup_value(result, &slot);
  if (looked != VH_OK) return throw_status(iso, looked);
  if (slot->rt == rt) return info.GetReturnValue().Set(slot->local);
  // A value of another runtime: returned the way vh_pass would pass it.
  Engine* engine = rt->entered;
  v8::Local<v8::Value> passed;
  int rc2 = engine ? pass_value(slot->rt, slot->local, engine, &passed, nullptr) : VH_EDISPOSED;
  if (rc2 != VH_OK) return throw_status(iso, rc2);
  info.GetReturnValue().Set(passed);
}

// The same for a constructor callback: the instance owns the native part it produced, whatever
// else happened (a throw, a stop), so that the finalizer sees it exactly once.
__attribute__((noinline)) void finish_construct(const v8::FunctionCallbackInfo<v8::Value>& info,
                                                HostFunction* rec, ThreadState* ts, int rc, void* native) {
  if (rc == VH_OK) attach_instance(rec->cls, info.This(), native);
  v8::Isolate* iso = info.GetIsolate();
  if (ts->frame_threw) return;
  if (iso->IsExecutionTerminating()) return;
  if (rc == VH_EEXCEPTION) {
    if (!HostFrame::rethrow_failed(ts, rec->rt, iso))
      throw_status(iso, VH_EEXCEPTION, "the host function reported an exception it did not throw");
    return;
  }
  if (rc != VH_OK) return throw_status(iso, rc);
}

// The handle of `this` (k = 0) or of argument k - 1 of a call: V8 10.x keeps the receiver
// right below the arguments (FunctionCallbackInfo: This() is values_ - 1, info[i] values_ + i),
// so with its handle layout (VH_FAST_READS) the handles are one pointer apart, read without the
// bounds test info[i] makes; elsewhere through the public calls.
class CallValues {
 public:
  explicit CallValues(const v8::FunctionCallbackInfo<v8::Value>& info)
#if VH_FAST_READS
      : base_(reinterpret_cast<v8::internal::Address*>(*info.This())) {}
  v8::Local<v8::Value> operator()(int k) const { return compat::local_at(base_ + k); }

 private:
  v8::internal::Address* base_;
#else
      : info_(info) {}
  v8::Local<v8::Value> operator()(int k) const { return k == 0 ? v8::Local<v8::Value>(info_.This()) : info_[k - 1]; }

 private:
  const v8::FunctionCallbackInfo<v8::Value>& info_;
#endif
};

// Runs the host function of rec for this call in a callback frame: `this`, the arguments and
// (kConstruct: a call with `new`) new.target go into the callback scope in one reservation of
// the thread's arena, written in one pass; argv has room for the arguments.
// All of them share one serial: a serial must never name two occupants of one slot, and each of
// these slots gets it once (values made later get newer serials).
template <bool kConstruct>
__attribute__((always_inline)) inline void run_callback(const v8::FunctionCallbackInfo<v8::Value>& info,
                                                        HostFunction* rec, ThreadState* ts, Engine* engine,
                                                        vh_value* argv) {
  Runtime* rt = rec->rt;
  const int argc = info.Length();
  const CallValues values(info);
  FrameState frame(ts, rt, engine);
  const size_t first = ts->slots.size();
  Slot* slots = ts->slots.append(static_cast<size_t>(argc) + (kConstruct ? 2 : 1));
  const uint64_t serial = ts->next_serial++;
  const uint32_t thread = ts->ordinal;
  auto handle = [&](size_t k) { return vh_value{serial, thread, static_cast<uint32_t>(first + k)}; };
  for (int k = 0; k <= argc; ++k) {
    slots[k].serial = serial;
    slots[k].rt = rt;
    slots[k].local = values(k);
  }
  for (int i = 0; i < argc; ++i) argv[i] = handle(static_cast<size_t>(i) + 1);
  vh_call_info call_info;
  call_info.engine = vh_engine{engine->handle};
  call_info.this_value = handle(0);
  if (kConstruct) {
    slots[argc + 1].serial = serial;
    slots[argc + 1].rt = rt;
    slots[argc + 1].local = info.NewTarget();
    call_info.new_target = handle(static_cast<size_t>(argc) + 1);
  } else {
    call_info.new_target = vh_value{};
  }
  call_info.argc = static_cast<size_t>(argc);
  call_info.argv = argv;
  call_info.data = rec->data;

  if (kConstruct && rec->kind == HostFunction::kConstructor) {
    void* native = nullptr;
    int rc = rec->cls->construct(&call_info, &native);
    finish_construct(info, rec, ts, rc, native);
    return frame.leave();
  }
  vh_value result{};
  int rc = rec->fn(&call_info, &result);
  // The common outcome inline: VH_OK, nothing thrown, no result or a value of this runtime.
  // (While the script is being stopped, V8 ignores a return value.)
  if (__builtin_expect(rc == VH_OK && !ts->frame_threw, 1)) {
    if (result.serial_ == 0) return frame.leave();
    // lookup_value()'s checks, with what this frame already knows: ts is this thread's, and a
    // value of rt is of a runtime this thread holds.
    if (result.thread_ == thread && result.slot_ < ts->slots.size()) {
      const Slot& slot = ts->slots[result.slot_];
      if (slot.serial == result.serial_ && slot.rt == rt) {
        info.GetReturnValue().Set(slot.local);
        return frame.leave();
      }
    }
  }
  finish(info, rt, ts, rc, result);
  frame.leave();
}

template <bool kConstruct>
__attribute__((noinline)) void run_callback_heap(const v8::FunctionCallbackInfo<v8::Value>& info,
                                                 HostFunction* rec, ThreadState* ts, Engine* engine) {
  std::unique_ptr<vh_value[]> argv(new vh_value[static_cast<size_t>(info.Length())]);
  run_callback<kConstruct>(info, rec, ts, engine, argv.get());
}

__attribute__((noinline, cold)) void throw_disposed(const v8::FunctionCallbackInfo<v8::Value>& info) {
  throw_message(info.GetIsolate(), VH_ERROR_KIND_ERROR, "the host function's engine has been disposed");
}

// A host class's constructor, or a call with `new` of a plain host function.
__attribute__((noinline)) void construct_callback(const v8::FunctionCallbackInfo<v8::Value>& info,
                                                  HostFunction* rec) {
  ThreadState* ts = ThreadState::current();
  Engine* engine = callback_engine(rec->engine_handle, info.GetIsolate(), rec->rt);
  if (!engine) return throw_disposed(info);
  bool construct = is_construct_call(info);
  if (rec->kind == HostFunction::kConstructor) {
    if (!construct) {
      std::string text = "Class constructor " + rec->cls->name + " cannot be invoked without 'new'";
      return throw_message(info.GetIsolate(), VH_ERROR_KIND_TYPE_ERROR, text.c_str());
    }
    if (!rec->cls->construct) return throw_message(info.GetIsolate(), VH_ERROR_KIND_TYPE_ERROR, "Illegal constructor");
  }
  if (ts->depth >= kMaxCallDepth) return throw_status(info.GetIsolate(), VH_EDEPTH);
  // V8 starts internal fields as undefined, which does not read as a null pointer: mark the
  // new instance "no native part yet" before anything (its constructor callback, or script
  // it calls) can see it, so unwrap gives VH_EBRAND until attach_instance().
  if (rec->kind == HostFunction::kConstructor) compat::set_internal_field(info.This(), kInstanceField, nullptr);
  if (info.Length() > kInlineArgs) return run_callback_heap<true>(info, rec, ts, engine);
  vh_value argv[kInlineArgs];
  run_callback<true>(info, rec, ts, engine, argv);
}

}  // namespace

void host_callback(const v8::FunctionCallbackInfo<v8::Value>& info) {
  auto* rec = static_cast<HostFunction*>(fast_external_value(info.Data()));
  if (__builtin_expect(rec->kind == HostFunction::kConstructor || is_construct_call(info), 0))
    return construct_callback(info, rec);
  ThreadState* ts = ThreadState::current();
  Engine* engine = callback_engine(rec->engine_handle, info.GetIsolate(), rec->rt);
  if (__builtin_expect(!engine, 0)) return throw_disposed(info);
  if (__builtin_expect(ts->depth >= kMaxCallDepth, 0)) return throw_status(info.GetIsolate(), VH_EDEPTH);
  if (__builtin_expect(info.Length() > kInlineArgs, 0)) return run_callback_heap<false>(info, rec, ts, engine);
  vh_value argv[kInlineArgs];
  run_callback<false>(info, rec, ts, engine, argv);
}

v8::Local<v8::FunctionTemplate> host_template(Runtime* rt, HostFunction* record,
                                              v8::Local<v8::Signature> signature) {
  v8::ConstructorBehavior behavior = record->kind == HostFunction::kMethod
                                         ? v8::ConstructorBehavior::kThrow
                                         : v8::ConstructorBehavior::kAllow;
  v8::FunctionCallback callback = record->kind == HostFunction::kNumeric        ? numeric_callback
                                  : record->kind == HostFunction::kNativeMethod ? native_method_callback
                                                                                : host_callback;
  if (record->kind == HostFunction::kNativeMethod) behavior = v8::ConstructorBehavior::kThrow;
  return v8::FunctionTemplate::New(rt->isolate, callback, v8::External::New(rt->isolate, record),
                                   signature, 0, behavior);
}

HostFunction* new_runtime_record(Runtime* rt, HostFunction::Kind kind, vh_host_function_cb fn,
                                 void* data, HostClass* cls) {
  // A snapshot runtime numbers its records: the blob refers to them by registration order.
  auto* rec = rt->host->order.next();
  rec->kind = kind;
  rec->fn = fn;
  rec->data = data;
  rec->cls = cls;
  rec->rt = rt;
  rt->host->functions.insert(rec);
  return rec;
}

}  // namespace vh
