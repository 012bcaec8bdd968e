// Making primitive and simple object values, testing types, reading numbers, dates, BigInts.
#include <cmath>
#include <cstdlib>

#include "core/call.h"
#include "core/fast_numbers.h"
#include "v8host.h"

using namespace vh;

namespace {

constexpr double kMaxSafeInteger = 9007199254740992.0;  // 2^53
constexpr size_t kMaxBigIntWords = 16384;

// Shared body of the value makers: enter the engine, build the value, put it in the scope.
template <typename Make>
int make_value(vh_engine engine, vh_value* out, Make make) {
  if (!out) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  v8::Local<v8::Value> v;
  VH_TRY(make(call, &v));
  *out = call.result(v);
  return VH_OK;
}

// make_primitive's other case: the engine's runtime is not the thread's current one. Out of
// line, so that the common case needs no EngineCall in its frame.
template <typename Make>
__attribute__((noinline)) int make_primitive_entered(vh_engine engine, vh_value* out, Make make) {
  return make_value(engine, out, [&](EngineCall& c, v8::Local<v8::Value>* v) -> int {
    *v = make(c.isolate);
    return VH_OK;
  });
}

// Shared body of the primitive makers. A primitive needs only its isolate, not a context:
// when the engine's runtime is the thread's current one (the common case: a scope or callback
// of it is innermost), skip EngineCall's context and bookkeeping. Make: (Isolate*) -> Local.
template <typename Make>
int make_primitive(vh_engine engine, vh_value* out, Make make) {
  if (!out) return VH_EINVAL;
  Engine* e;
  VH_TRY(resolve_engine(engine, &e));
  ThreadState* ts = tls_state;  // g_no_thread_state (no current runtime) when the thread has none
  if (e->rt == ts->current_rt) {
    *out = ts->push(e->rt, make(e->rt->isolate));
    return VH_OK;
  }
  return make_primitive_entered(engine, out, make);
}

// Shared body of the readers: look the value up, then read it.
template <typename Read>
inline int read_value(vh_value value, Read read) {
  const Slot* slot;
  VH_TRY(lookup_value(value, &slot));
  return read(slot->rt->isolate, slot->local);
}

// Shared body of the readers of one kind of value: check out, look the value up, check its
// kind (is: a v8::Value test such as &v8::Value::IsDate), then *out = read(value).
template <typename Out, typename Read>
int read_kind(vh_value value, bool (v8::Value::*is)() const, Out* out, Read read) {
  if (!out) return VH_EINVAL;
  return read_value(value, [&](v8::Isolate*, v8::Local<v8::Value> v) -> int {
    if (!((*v)->*is)()) return VH_ETYPE;
    *out = read(v);
    return VH_OK;
  });
}

// The BigInt readers to 64 bits: as (v8::BigInt::Int64Value or Uint64Value) says whether the
// value fitted, which goes to *lossless when the caller asks.
template <typename Int>
int read_bigint64(vh_value value, Int* out, bool* lossless, Int (v8::BigInt::*as)(bool*) const) {
  return read_kind(value, &v8::Value::IsBigInt, out, [&](v8::Local<v8::Value> v) {
    bool exact;
    Int n = ((*v.As<v8::BigInt>())->*as)(&exact);
    if (lossless) *lossless = exact;
    return n;
  });
}

// The Number in a slot that is not a small integer (out of line: two calls into V8).
__attribute__((noinline)) int heap_number(const Slot* slot, double* out) {
  if (!slot->local->IsNumber()) return VH_ETYPE;
  *out = slot->local.As<v8::Number>()->Value();
  return VH_OK;
}

// The Number in a slot, a small integer read as V8's inline code reads it (core/fast_numbers.h).
inline int slot_number(const Slot* slot, double* out) {
  int32_t small;
  if (smi_value(slot->local, &small)) {
    *out = small;
    return VH_OK;
  }
  return heap_number(slot, out);
}

__attribute__((noinline)) int read_number_checked(vh_value value, double* out) {
  const Slot* slot;
  VH_TRY(lookup_value(value, &slot));
  return slot_number(slot, out);
}

// vh_value_double's body: every call on its way is a tail call (the common one, a small
// integer of the current runtime, makes none).
inline int read_number(vh_value value, double* out) {
  if (!out) return VH_EINVAL;
  const Slot* slot;
  int rc = lookup_value_current(value, &slot);
  if (rc == kLookupOtherRuntime) return read_number_checked(value, out);
  if (rc != VH_OK) return rc;
  return slot_number(slot, out);
}

// An integer within [lo, hi] from a Number that is not a small integer.
template <typename Int>
__attribute__((noinline)) int read_integer_slow(const Slot* slot, double lo, double hi, Int* out) {
  double d;
  VH_TRY(heap_number(slot, &d));
  if (!(d >= lo && d <= hi) || std::trunc(d) != d) return VH_ERANGE;
  *out = static_cast<Int>(d);
  return VH_OK;
}

template <typename Int>
inline int integer_of(const Slot* slot, double lo, double hi, Int* out) {
  int32_t small;
  if (smi_value(slot->local, &small)) {  // an integer already: only the range to check
    if (!(small >= lo && small <= hi)) return VH_ERANGE;
    *out = static_cast<Int>(small);
    return VH_OK;
  }
  return read_integer_slow(slot, lo, hi, out);
}

template <typename Int>
__attribute__((noinline)) int read_integer_checked(vh_value value, double lo, double hi, Int* out) {
  const Slot* slot;
  VH_TRY(lookup_value(value, &slot));
  return integer_of(slot, lo, hi, out);
}

// Reads a Number that is an integer within [lo, hi]; shaped as read_number.
template <typename Int>
inline int read_integer(vh_value value, double lo, double hi, Int* out) {
  if (!out) return VH_EINVAL;
  const Slot* slot;
  int rc = lookup_value_current(value, &slot);
  if (rc == kLookupOtherRuntime) return read_integer_checked(value, lo, hi, out);
  if (rc != VH_OK) return rc;
  return integer_of(slot, lo, hi, out);
}

}  // namespace

extern "C" {

int vh_new_undefined(vh_engine engine, vh_value* out) {
  return make_primitive(engine, out, [](v8::Isolate* iso) -> v8::Local<v8::Value> { return v8::Undefined(iso); });
}

int vh_new_null(vh_engine engine, vh_value* out) {
  return make_primitive(engine, out, [](v8::Isolate* iso) -> v8::Local<v8::Value> { return v8::Null(iso); });
}

int vh_new_bool(vh_engine engine, bool b, vh_value* out) {
  return make_primitive(engine, out, [b](v8::Isolate* iso) -> v8::Local<v8::Value> { return v8::Boolean::New(iso, b); });
}

int vh_new_int32(vh_engine engine, int32_t n, vh_value* out) {
  return make_primitive(engine, out, [n](v8::Isolate* iso) -> v8::Local<v8::Value> { return v8::Integer::New(iso, n); });
}

int vh_new_uint32(vh_engine engine, uint32_t n, vh_value* out) {
  return make_primitive(engine, out, [n](v8::Isolate* iso) -> v8::Local<v8::Value> { return v8::Integer::NewFromUnsigned(iso, n); });
}

int vh_new_int64(vh_engine engine, int64_t n, vh_value* out) {
  if (n > (int64_t{1} << 53) || n < -(int64_t{1} << 53)) return VH_ERANGE;
  return make_primitive(engine, out, [n](v8::Isolate* iso) -> v8::Local<v8::Value> {
    return v8::Number::New(iso, static_cast<double>(n));
  });
}

int vh_new_double(vh_engine engine, double n, vh_value* out) {
  return make_primitive(engine, out, [n](v8::Isolate* iso) -> v8::Local<v8::Value> { return new_number(iso, n); });
}

int vh_new_bigint_int64(vh_engine engine, int64_t n, vh_value* out) {
  return make_primitive(engine, out, [n](v8::Isolate* iso) -> v8::Local<v8::Value> { return v8::BigInt::New(iso, n); });
}

int vh_new_bigint_uint64(vh_engine engine, uint64_t n, vh_value* out) {
  return make_primitive(engine, out, [n](v8::Isolate* iso) -> v8::Local<v8::Value> { return v8::BigInt::NewFromUnsigned(iso, n); });
}

int vh_new_bigint_words(vh_engine engine, bool negative, size_t count, const uint64_t* words,
                    vh_value* out) {
  if (!words || count == 0) return VH_EINVAL;
  if (count > kMaxBigIntWords) return VH_ERANGE;
  return make_value(engine, out, [&](EngineCall& c, v8::Local<v8::Value>* v) -> int {
    v8::TryCatch tc(c.isolate);
    v8::Local<v8::BigInt> big;
    if (!v8::BigInt::NewFromWords(c.context, negative ? 1 : 0, static_cast<int>(count), words)
             .ToLocal(&big))
      return VH_ERANGE;
    *v = big;
    return VH_OK;
  });
}

int vh_new_symbol(vh_engine engine, const char* description, vh_value* out) {
  return make_value(engine, out, [description](EngineCall& c, v8::Local<v8::Value>* v) -> int {
    v8::Local<v8::String> desc;
    if (description) VH_TRY(make_name(c.isolate, description, &desc));
    *v = v8::Symbol::New(c.isolate, desc);
    return VH_OK;
  });
}

int vh_new_object(vh_engine engine, vh_value* out) {
  return make_value(engine, out, [](EngineCall& c, v8::Local<v8::Value>* v) {
    *v = v8::Object::New(c.isolate);
    return VH_OK;
  });
}

int vh_new_array(vh_engine engine, uint32_t length, vh_value* out) {
  // V8 allocates the elements up front and ends the process above its FixedArray maximum.
  constexpr uint32_t kMaxArrayLength = 134217725;
  if (length > kMaxArrayLength) return VH_ERANGE;
  return make_value(engine, out, [length](EngineCall& c, v8::Local<v8::Value>* v) {
    *v = v8::Array::New(c.isolate, static_cast<int>(length));
    return VH_OK;
  });
}

int vh_new_date(vh_engine engine, double ms, vh_value* out) {
  return make_value(engine, out, [ms](EngineCall& c, v8::Local<v8::Value>* v) -> int {
    return v8::Date::New(c.context, ms).ToLocal(v) ? VH_OK : VH_ENOMEM;
  });
}

int vh_typeof(vh_value value, vh_type* out) {
  if (!out) return VH_EINVAL;
  return read_value(value, [out](v8::Isolate*, v8::Local<v8::Value> v) -> int {
    vh_type t;
    if (v->IsUndefined()) t = VH_TYPE_UNDEFINED;
    else if (v->IsNull()) t = VH_TYPE_NULL;
    else if (v->IsBoolean()) t = VH_TYPE_BOOLEAN;
    else if (v->IsNumber()) t = VH_TYPE_NUMBER;
    else if (v->IsBigInt()) t = VH_TYPE_BIGINT;
    else if (v->IsString()) t = VH_TYPE_STRING;
    else if (v->IsSymbol()) t = VH_TYPE_SYMBOL;
    else if (v->IsFunction()) t = VH_TYPE_FUNCTION;
    else t = VH_TYPE_OBJECT;
    *out = t;
    return VH_OK;
  });
}

int vh_is(vh_value value, vh_kind kind, bool* out) {
  if (!out) return VH_EINVAL;
  // A C caller may pass any int: switch on it as an int, not as the enum (UB out of range).
  int k = static_cast<int>(kind);
  return read_value(value, [k, out](v8::Isolate*, v8::Local<v8::Value> v) -> int {
    bool r;
    switch (k) {
      case VH_KIND_ARRAY: r = v->IsArray(); break;
      case VH_KIND_DATE: r = v->IsDate(); break;
      case VH_KIND_ERROR: r = v->IsNativeError(); break;
      case VH_KIND_PROMISE: r = v->IsPromise(); break;
      case VH_KIND_REGEXP: r = v->IsRegExp(); break;
      case VH_KIND_MAP: r = v->IsMap(); break;
      case VH_KIND_SET: r = v->IsSet(); break;
      case VH_KIND_PROXY: r = v->IsProxy(); break;
      case VH_KIND_ARRAY_BUFFER: r = v->IsArrayBuffer(); break;
      case VH_KIND_SHARED_ARRAY_BUFFER: r = v->IsSharedArrayBuffer(); break;
      case VH_KIND_TYPED_ARRAY: r = v->IsTypedArray(); break;
      case VH_KIND_DATA_VIEW: r = v->IsDataView(); break;
      case VH_KIND_INT32: r = v->IsInt32(); break;
      default: return VH_EINVAL;
    }
    *out = r;
    return VH_OK;
  });
}

int vh_value_bool(vh_value value, bool* out) {
  return read_kind(value, &v8::Value::IsBoolean, out,
                   [](v8::Local<v8::Value> v) { return v.As<v8::Boolean>()->Value(); });
}

int vh_value_double(vh_value value, double* out) { return read_number(value, out); }

int vh_value_int32(vh_value value, int32_t* out) {
  return read_integer(value, INT32_MIN, INT32_MAX, out);
}

int vh_value_uint32(vh_value value, uint32_t* out) { return read_integer(value, 0, UINT32_MAX, out); }

int vh_value_int64(vh_value value, int64_t* out) {
  return read_integer(value, -kMaxSafeInteger, kMaxSafeInteger, out);
}

int vh_value_bigint_int64(vh_value value, int64_t* out, bool* lossless) {
  return read_bigint64(value, out, lossless, &v8::BigInt::Int64Value);
}

int vh_value_bigint_uint64(vh_value value, uint64_t* out, bool* lossless) {
  return read_bigint64(value, out, lossless, &v8::BigInt::Uint64Value);
}

int vh_value_bigint_words(vh_value value, bool* negative, size_t* count, uint64_t* words) {
  if (!negative || !count) return VH_EINVAL;
  return read_value(value, [&](v8::Isolate*, v8::Local<v8::Value> v) -> int {
    if (!v->IsBigInt()) return VH_ETYPE;
    v8::Local<v8::BigInt> big = v.As<v8::BigInt>();
    size_t need = static_cast<size_t>(big->WordCount());
    if (!words) {
      *count = need;
      return VH_OK;
    }
    if (*count < need) {
      *count = need;
      return VH_ERANGE;
    }
    int sign = 0;
    int n = static_cast<int>(need);
    big->ToWordsArray(&sign, &n, words);
    *negative = sign != 0;
    *count = static_cast<size_t>(n);
    return VH_OK;
  });
}

int vh_value_date(vh_value value, double* out) {
  return read_kind(value, &v8::Value::IsDate, out,
                   [](v8::Local<v8::Value> v) { return v.As<v8::Date>()->ValueOf(); });
}

int vh_value_array_length(vh_value value, uint32_t* out) {
  return read_kind(value, &v8::Value::IsArray, out,
                   [](v8::Local<v8::Value> v) { return v.As<v8::Array>()->Length(); });
}

int vh_strict_equals(vh_value a, vh_value b, bool* out) {
  if (!out) return VH_EINVAL;
  const Slot* sa;
  const Slot* sb;
  VH_TRY(lookup_value(a, &sa));
  VH_TRY(lookup_value(b, &sb));
  if (sa->rt != sb->rt) return VH_ERUNTIME_MISMATCH;
  *out = sa->local->StrictEquals(sb->local);
  return VH_OK;
}

bool vh_value_is_empty(vh_value value) { return value.serial_ == 0; }

void vh_free(void* memory) { free(memory); }

}  // extern "C"
