// vh_pass and the strategies of the ways a value crosses engines (marshal.h: classify() picks
// one, pass_way() runs it): within a runtime the value itself; between runtimes primitives are
// copied, symbols mapped (symbol.cc), shared-backed buffers, views and memories rebuilt
// over the same memory (shared.cc), anything else becomes a host proxy (proxy.cc).
#include <new>
#include <vector>

#include "core/call.h"
#include "core/v8_compat.h"
#include "core/stop.h"
#include "marshal/marshal.h"
#include "marshal/proxy.h"
#include "marshal/symbol.h"
#include "v8host.h"

namespace vh {

namespace {

// Copies this large are checked against the receiving runtime's heap limit first.
constexpr size_t kCheckedCopyBytes = 1u << 20;

// Whether a copy of bytes fits under the receiving runtime's heap limit. A copy made while
// script of that runtime runs (a proxy trap passing a string in) that does not fit stops that
// script, as reaching the limit would: V8 itself would let one object of any size past the limit.
bool copy_fits(v8::Isolate* to, size_t bytes) {
  if (bytes < kCheckedCopyBytes) return true;
  Runtime* rt = runtime_of(to);
  if (!rt || rt->js_calls == 0) return true;  // the host's own copy: as any host allocation
  v8::HeapStatistics s;
  to->GetHeapStatistics(&s);
  if (s.used_heap_size() + bytes <= s.heap_size_limit()) return true;
  stop_for_heap_limit(rt);
  return false;
}

// Sizes a host buffer for a string script made: its length is bounded by V8's largest string
// (about 2^29 units), yet the buffer may still not be had; that is VH_ENOMEM, not an abort.
template <typename T>
bool grow(std::vector<T>* buffer, int length) {
  try {
    buffer->resize(static_cast<size_t>(length));
  } catch (const std::bad_alloc&) {
    return false;
  }
  return true;
}

// A string's length code units (Unit: uint8_t for a one-byte string, uint16_t for a two-byte
// one) read through a buffer, on the stack when short, into a new string of to.
template <typename Unit>
int copy_units(v8::Isolate* from, v8::Local<v8::String> s, int length, v8::Isolate* to,
               v8::NewStringType type, v8::Local<v8::String>* copy) {
  constexpr int kStackUnits = 128;
  Unit stack[kStackUnits];
  std::vector<Unit> heap;
  Unit* units = stack;
  if (length > kStackUnits) {
    if (!grow(&heap, length)) return VH_ENOMEM;
    units = heap.data();
  }
  bool ok;
  if constexpr (sizeof(Unit) == 1) {
    compat::write_one_byte(from, s, 0, length, units);
    ok = v8::String::NewFromOneByte(to, units, type, length).ToLocal(copy);
  } else {
    compat::write_two_byte(from, s, 0, length, units);
    ok = v8::String::NewFromTwoByte(to, units, type, length).ToLocal(copy);
  }
  return ok ? VH_OK : VH_ENOMEM;
}

}  // namespace

int copy_string(v8::Isolate* from, v8::Local<v8::String> s, v8::Isolate* to, v8::NewStringType type,
                v8::Local<v8::Value>* out) {
  int length = s->Length();
  bool one_byte = s->IsOneByte();
  if (!copy_fits(to, static_cast<size_t>(length) * (one_byte ? 1 : 2))) return VH_EHEAPLIMIT;
  v8::Local<v8::String> copy;
  VH_TRY(one_byte ? copy_units<uint8_t>(from, s, length, to, type, &copy)
                  : copy_units<uint16_t>(from, s, length, to, type, &copy));
  *out = copy;
  return VH_OK;
}

namespace {

int copy_bigint(v8::Local<v8::BigInt> big, Engine* to, v8::Local<v8::Value>* out) {
  int count = big->WordCount();
  std::vector<uint64_t> words(static_cast<size_t>(count) + 1);
  int sign = 0;
  big->ToWordsArray(&sign, &count, words.data());
  v8::Local<v8::BigInt> copy;
  if (count == 0) {
    *out = v8::BigInt::New(to->rt->isolate, 0);
    return VH_OK;
  }
  if (!v8::BigInt::NewFromWords(strong_local(to->context), sign, count, words.data()).ToLocal(&copy))
    return VH_ENOMEM;
  *out = copy;
  return VH_OK;
}

// Copies a primitive other than a symbol into runtime to (strings first: the common case).
int copy_primitive(Runtime* from, v8::Local<v8::Value> value, Engine* to, v8::Local<v8::Value>* out) {
  v8::Isolate* iso = to->rt->isolate;
  if (value->IsString()) return copy_string(from->isolate, value.As<v8::String>(), iso, v8::NewStringType::kNormal, out);
  if (value->IsNumber()) *out = v8::Number::New(iso, value.As<v8::Number>()->Value());
  else if (value->IsBoolean()) *out = v8::Boolean::New(iso, value.As<v8::Boolean>()->Value());
  else if (value->IsUndefined()) *out = v8::Undefined(iso);
  else if (value->IsNull()) *out = v8::Null(iso);
  else if (value->IsBigInt()) return copy_bigint(value.As<v8::BigInt>(), to, out);
  else return VH_ETYPE;
  return VH_OK;
}

}  // namespace

// pass_way()'s body, inlined into vh_pass (its out-of-line call saved six registers there, ~28
// instructions per share).
inline int run_way(Way* way, Runtime* from, v8::Local<v8::Value> value, Engine* to, v8::Local<v8::Value>* out) {
  switch (*way) {
    case Way::kAsIs:
    case Way::kDirect:
      *out = value;  // a Local is valid in every context of its isolate
      return VH_OK;
    case Way::kCopy:
      return copy_primitive(from, value, to, out);
    case Way::kSymbol:
      return pass_symbol(from, value.As<v8::Symbol>(), to, out);
    case Way::kSharedBuffer:
      *out = pass_shared_buffer(from, value.As<v8::SharedArrayBuffer>(), to);
      return VH_OK;
    case Way::kSharedView:
      return pass_shared_view(from, value.As<v8::ArrayBufferView>(), to, out);
    case Way::kSharedMemory: {
      int rc = pass_wasm_memory(from, value.As<v8::Object>(), to, out);
      if (rc != VH_ETYPE) return rc;
      *way = Way::kProxy;  // this V8 cannot carry it: a proxy then
      return pass_proxy(from, value.As<v8::Object>(), to, out);
    }
    case Way::kProxy:
      return pass_proxy(from, value.As<v8::Object>(), to, out);
  }
  return VH_ETYPE;
}

int pass_way(Way* way, Runtime* from, v8::Local<v8::Value> value, Engine* to, v8::Local<v8::Value>* out) {
  return run_way(way, from, value, to, out);
}

int call_arg_across(const EngineCall& call, const Slot* slot, v8::Local<v8::Value>* out) {
  return pass_value(slot->rt, slot->local, call.engine, out, nullptr);
}

}  // namespace vh

using namespace vh;

extern "C" {

// Resolve, look up, classify, run the strategy, the result. No context is entered here: a
// primitive, a symbol or a buffer the engine already has needs none, and the strategies that
// make an object enter to's context themselves.
int vh_pass(vh_engine to, vh_value value, vh_value* out, vh_pass_kind* how) {
  if (!out) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.resolve(to, false));
  const Slot* slot;
  VH_TRY(lookup_value(value, &slot));
  Way way = classify(slot->rt, call.rt, slot->local);
  v8::Local<v8::Value> passed;
  VH_TRY(run_way(&way, slot->rt, slot->local, call.engine, &passed));
  *out = call.result(passed);
  if (how) *how = pass_kind_of(way);
  return VH_OK;
}

}  // extern "C"
