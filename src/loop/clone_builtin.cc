// The structuredClone(value, { transfer }) builtin (VH_BUILTIN_STRUCTURED_CLONE): the copy of
// copy.h within the calling engine, written with the public API only.
#include <cstdlib>
#include <vector>

#include "core/call.h"
#include "loop/builtins.h"
#include "marshal/copy.h"
#include "v8host.h"

namespace vh {

namespace {

constexpr uint32_t kMaxTransfers = 65536;  // as vh_engine_copy

// Throws a DataCloneError (an Error named "DataCloneError", as in browsers) in engine e: left
// pending there, so the host function's VH_EEXCEPTION rethrows it.
int throw_clone_error(vh_engine e, const char* message) {
  EngineCall call;
  VH_TRY(call.enter(e, false));
  v8::TryCatch tc(call.isolate);
  throw_data_clone_error(call.isolate, message);
  return call.failed(tc);
}

int throw_type(vh_engine e, const char* message) {
  int rc = vh_throw_error(e, VH_ERROR_KIND_TYPE_ERROR, message);
  return rc == VH_OK ? VH_EEXCEPTION : rc;
}

// options.transfer as a list of values (an Array; its elements read with [[Get]], as script
// would). VH_EEXCEPTION with the exception pending when options or transfer are malformed or a
// getter throws.
int read_transfer(vh_engine e, vh_value options, std::vector<vh_value>* out) {
  vh_type type;
  if (vh_typeof(options, &type) != VH_OK) return VH_EINVAL;
  if (type == VH_TYPE_UNDEFINED || type == VH_TYPE_NULL) return VH_OK;
  if (type != VH_TYPE_OBJECT && type != VH_TYPE_FUNCTION)
    return throw_type(e, "structuredClone: the options must be an object");
  vh_value list;
  VH_TRY(vh_get(e, options, "transfer", &list));
  VH_TRY(vh_typeof(list, &type));
  if (type == VH_TYPE_UNDEFINED) return VH_OK;
  bool is_array = false;
  VH_TRY(vh_is(list, VH_KIND_ARRAY, &is_array));
  if (!is_array) return throw_type(e, "structuredClone: options.transfer must be an array");
  uint32_t n;
  VH_TRY(vh_value_array_length(list, &n));
  if (n > kMaxTransfers) return throw_clone_error(e, "structuredClone: too many values to transfer");
  out->resize(n);
  for (uint32_t i = 0; i < n; ++i) VH_TRY(vh_get_index(e, list, i, &(*out)[i]));
  return VH_OK;
}

int js_structured_clone(const vh_call_info* info, vh_value* result) {
  vh_engine e = info->engine;
  if (info->argc < 1) return throw_type(e, "structuredClone: 1 argument required, but only 0 present");
  std::vector<vh_value> transfer;
  if (info->argc > 1) VH_TRY(read_transfer(e, info->argv[1], &transfer));
  vh_copy_options opts;
  vh_copy_options_init(&opts);
  opts.transfer = transfer.data();
  opts.transfer_count = transfer.size();
  int rc = vh_engine_copy(e, info->argv[0], e, &opts, result);
  switch (rc) {
    case VH_ETYPE:
      return throw_clone_error(e, "structuredClone: only distinct, detachable ArrayBuffers can be transferred");
    case VH_EDETACHED:
      return throw_clone_error(e, "structuredClone: an ArrayBuffer to transfer is detached");
    default:
      return rc;  // VH_EEXCEPTION: the DataCloneError or a getter's exception, rethrown
  }
}

}  // namespace

int install_structured_clone(vh_engine engine) {
  vh_value fn, global;
  VH_TRY(vh_new_function(engine, "structuredClone", js_structured_clone, nullptr, &fn));
  VH_TRY(vh_engine_global(engine, &global));
  // Non-enumerable, as the other builtins and ECMAScript's own globals.
  return vh_define_property(engine, global, "structuredClone", fn, VH_PROPERTY_DONT_ENUM);
}

}  // namespace vh
