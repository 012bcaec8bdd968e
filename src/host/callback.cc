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
#include "embed/snapshot.h"

namespace vh {

namespace {

constexpr int kInlineArgs = 8;

// Finishes a callback: turns its status (and result) into V8's return value or exception.
void finish(const v8::FunctionCallbackInfo<v8::Value>& info, HostFunction* rec, Runtime* rt,
            ThreadState* ts, HostFrame& frame, int rc, vh_value result, void* native) {
  v8::Isolate* iso = info.GetIsolate();
  // A constructor that produced its native part owns it to the instance, whatever else
  // happened (a throw, a stop): the finalizer must see it exactly once.
  if (rec->kind == HostFunction::kConstructor && rc == VH_OK) attach_instance(rec->cls, info.This(), native);
  if (ts->frame_threw) return;  // vh_throw already threw; it wins over the status
  if (iso->IsExecutionTerminating()) return;  // the script is being stopped: nothing to return
  if (rc == VH_EEXCEPTION) {
    if (!frame.rethrow_failed(iso))
      throw_message(iso, VH_ERROR, "VH_EEXCEPTION: the host function reported an exception it did not throw");
    return;
  }
  if (rc != VH_OK) return throw_status(iso, rc);
  if (rec->kind == HostFunction::kConstructor) return;  // attached above
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

}  // namespace

void host_callback(const v8::FunctionCallbackInfo<v8::Value>& info) {
  auto* rec = static_cast<HostFunction*>(info.Data().As<v8::External>()->Value());
  Runtime* rt = rec->rt;
  ThreadState* ts = ThreadState::current();

  Engine* engine = callback_engine(rec->engine_handle, info.GetIsolate(), rt);
  if (!engine) return throw_message(info.GetIsolate(), VH_ERROR, "the host function's engine has been disposed");

  bool construct = info.IsConstructCall();
  if (rec->kind == HostFunction::kConstructor) {
    if (!construct) {
      std::string text = "Class constructor " + rec->cls->name + " cannot be invoked without 'new'";
      return throw_message(info.GetIsolate(), VH_TYPE_ERROR, text.c_str());
    }
    if (!rec->cls->construct) return throw_message(info.GetIsolate(), VH_TYPE_ERROR, "Illegal constructor");
  }
  if (ts->depth >= kMaxCallDepth) return throw_status(info.GetIsolate(), VH_EDEPTH);

  // V8 starts internal fields as undefined, which does not read as a null pointer: mark the
  // new instance "no native part yet" before anything (its constructor callback, or script
  // it calls) can see it, so unwrap gives VH_EBRAND until attach_instance().
  if (rec->kind == HostFunction::kConstructor)
    compat::set_internal_field(info.This(), kInstanceField, nullptr);

  HostFrame frame(ts, rt, engine);
  // The arguments, `this` and new.target go into the callback scope in one reservation.
  int argc = info.Length();
  vh_value inline_argv[kInlineArgs];
  std::unique_ptr<vh_value[]> heap_argv;
  vh_value* argv = inline_argv;
  if (argc > kInlineArgs) {
    heap_argv.reset(new vh_value[argc]);
    argv = heap_argv.get();
  }
  ts->slots.reserve(static_cast<size_t>(argc) + 2);
  uint64_t serial = ts->next_serial;
  uint32_t thread = ts->ordinal;
  for (int i = 0; i < argc; ++i) {
    size_t slot = ts->slots.push_reserved(serial, rt, info[i]);
    argv[i] = vh_value{serial++, thread, static_cast<uint32_t>(slot)};
  }
  vh_call_info call_info;
  call_info.engine = vh_engine{engine->handle};
  size_t this_slot = ts->slots.push_reserved(serial, rt, info.This());
  call_info.this_value = vh_value{serial++, thread, static_cast<uint32_t>(this_slot)};
  if (construct) {
    size_t target_slot = ts->slots.push_reserved(serial, rt, info.NewTarget());
    call_info.new_target = vh_value{serial++, thread, static_cast<uint32_t>(target_slot)};
  } else {
    call_info.new_target = vh_value{};
  }
  ts->next_serial = serial;
  call_info.argc = static_cast<size_t>(argc);
  call_info.argv = argv;
  call_info.data = rec->data;

  vh_value result{};
  void* native = nullptr;
  int rc = rec->kind == HostFunction::kConstructor ? rec->cls->construct(&call_info, &native)
                                                   : rec->fn(&call_info, &result);
  finish(info, rec, rt, ts, frame, rc, result, native);
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

HostFunction* new_runtime_record(Runtime* rt, HostFunction::Kind kind, vh_host_function fn,
                                 void* data, HostClass* cls) {
  // A snapshot runtime numbers its records: the blob refers to them by registration order.
  auto* rec = rt->snapshot ? snapshot_record(rt) : new HostFunction();
  rec->kind = kind;
  rec->fn = fn;
  rec->data = data;
  rec->cls = cls;
  rec->rt = rt;
  rt->functions.insert(rec);
  return rec;
}

}  // namespace vh
