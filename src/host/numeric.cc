// The numeric fast path: host functions and native methods that take and return doubles.
//
// Why a second kind of host function: a vh_host_function_cb sees checked values in a callback
// scope, which costs the trampoline and every value call a few dozen instructions. Functions
// that only compute on numbers (math libraries, getters of native state) need none of that:
// these trampolines read Numbers straight from V8 and set the return value directly, so a call
// costs about what a raw V8 callback does.
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>

#include "host/host.h"
#include "core/error_kinds.h"
#include "core/fast_numbers.h"
#include "core/v8_compat.h"
#include "v8host.h"

namespace vh {
namespace {

constexpr int kInlineArgs = 8;

// Cold paths, kept out of the trampolines so their hot code stays small.
__attribute__((noinline, cold)) void throw_not_number(const v8::FunctionCallbackInfo<v8::Value>& info,
                                                      const HostFunction* rec, int index) {
  std::string text = rec->name + ": argument " + std::to_string(index + 1) + " is not a number";
  throw_message(info.GetIsolate(), VH_ERROR_KIND_TYPE_ERROR, text.c_str());
}

__attribute__((noinline, cold)) void throw_failed_construction(const v8::FunctionCallbackInfo<v8::Value>& info) {
  throw_message(info.GetIsolate(), VH_ERROR_KIND_TYPE_ERROR, "Illegal invocation");
}

__attribute__((noinline, cold)) void throw_failed(const v8::FunctionCallbackInfo<v8::Value>& info, int rc) {
  throw_status(info.GetIsolate(), rc);
}

// Sets a double return value; an integral result in int32 range (but not -0) as a small
// integer, which V8 sets inline, any other through Number::New.
inline void return_number(const v8::FunctionCallbackInfo<v8::Value>& info, double result) {
  int32_t i;
  if (int32_value(result, &i)) return info.GetReturnValue().Set(i);
  info.GetReturnValue().Set(result);
}

// Reads the arguments into args (argc of them); false, with a TypeError thrown, when one is
// not a Number.
inline bool read_numbers(const v8::FunctionCallbackInfo<v8::Value>& info, const HostFunction* rec,
                         double* args, int argc) {
  for (int i = 0; i < argc; ++i) {
    v8::Local<v8::Value> a = info[i];
    int32_t small;
    if (smi_value(a, &small)) {  // the common case, without V8's two calls
      args[i] = small;
      continue;
    }
    if (!a->IsNumber()) {
      throw_not_number(info, rec, i);
      return false;
    }
    args[i] = a.As<v8::Number>()->Value();
  }
  return true;
}

// Runs call(args, argc, &result) with the arguments read, then returns or throws.
template <typename Call>
__attribute__((noinline)) void run_numeric_heap(const v8::FunctionCallbackInfo<v8::Value>& info,
                                                const HostFunction* rec, Call call) {
  int argc = info.Length();
  std::unique_ptr<double[]> args(new double[argc]);
  if (!read_numbers(info, rec, args.get(), argc)) return;
  double result = std::numeric_limits<double>::quiet_NaN();
  int rc = call(args.get(), static_cast<size_t>(argc), &result);
  if (rc != VH_OK) return throw_failed(info, rc);
  return_number(info, result);
}

template <typename Call>
inline void run_numeric(const v8::FunctionCallbackInfo<v8::Value>& info, const HostFunction* rec, Call call) {
  int argc = info.Length();
  if (argc > kInlineArgs) return run_numeric_heap(info, rec, call);
  double args[kInlineArgs];
  if (!read_numbers(info, rec, args, argc)) return;
  double result = std::numeric_limits<double>::quiet_NaN();
  int rc = call(args, static_cast<size_t>(argc), &result);
  if (rc != VH_OK) return throw_failed(info, rc);
  return_number(info, result);
}

__attribute__((noinline)) void native_method_with_args(const v8::FunctionCallbackInfo<v8::Value>& info,
                                                     const HostFunction* rec, const Instance* inst) {
  run_numeric(info, rec, [rec, inst](const double* args, size_t argc, double* result) {
    return rec->native(inst->native, args, argc, result, rec->data);
  });
}

}  // namespace

void numeric_callback(const v8::FunctionCallbackInfo<v8::Value>& info) {
  auto* rec = static_cast<HostFunction*>(fast_external_value(info.Data()));
  run_numeric(info, rec, [rec](const double* args, size_t argc, double* result) {
    return rec->numeric(args, argc, result, rec->data);
  });
}

namespace {

// A call without arguments (a getter-like method, the common case) has its own short path:
// no argument array in the frame, no loop. kLayout: the holder's field and the callback's
// External are read as V8's inline code reads them (fast_reads.h, verified); the public calls
// otherwise. Two instantiations rather than a test per read, so that the hot one makes no call
// but the host's and keeps only `info` live across it.
template <bool kLayout>
inline void native_method(const v8::FunctionCallbackInfo<v8::Value>& info) {
  // V8's signature check has passed: the holder is an instance of the class (or a subclass).
#if VH_FAST_READS
  Instance* inst = static_cast<Instance*>(kLayout ? layout_internal_field(compat::holder(info), kInstanceField)
                                                  : compat::internal_field(compat::holder(info), kInstanceField));
  auto* rec = static_cast<HostFunction*>(kLayout ? layout_external_value(info.Data())
                                                 : info.Data().As<v8::External>()->Value());
#else
  Instance* inst = instance_of(compat::holder(info));
  auto* rec = static_cast<HostFunction*>(info.Data().As<v8::External>()->Value());
#endif
  if (__builtin_expect(!inst, 0)) return throw_failed_construction(info);
  if (info.Length() != 0) return native_method_with_args(info, rec, inst);
  static const double kNoArgs[1] = {0};
  double result = std::numeric_limits<double>::quiet_NaN();
  int rc = rec->native(inst->native, kNoArgs, 0, &result, rec->data);
  if (__builtin_expect(rc != VH_OK, 0)) return throw_failed(info, rc);
  return_number(info, result);
}

__attribute__((noinline)) void native_method_public(const v8::FunctionCallbackInfo<v8::Value>& info) {
  native_method<false>(info);
}

}  // namespace

void native_method_callback(const v8::FunctionCallbackInfo<v8::Value>& info) {
#if VH_FAST_READS
  if (__builtin_expect(g_fast_reads, 1)) return native_method<true>(info);
#endif
  native_method_public(info);
}

}  // namespace vh

using namespace vh;

extern "C" {

int vh_new_function_numeric(vh_engine engine, const char* name, vh_numeric_function_cb callback,
                            void* data, vh_value* out) {
  if (!callback || !out) return VH_EINVAL;
  HostFunction proto;
  proto.kind = HostFunction::kNumeric;
  proto.numeric = callback;
  proto.data = data;
  return make_engine_function(engine, name, proto, out);
}

int vh_runtime_global_numeric(vh_runtime runtime, const char* name, vh_numeric_function_cb callback,
                              void* data) {
  if (!callback) return VH_EINVAL;
  HostFunction proto;
  proto.kind = HostFunction::kNumeric;
  proto.numeric = callback;
  proto.data = data;
  return make_runtime_global_function(runtime, name, proto);
}

}  // extern "C"
