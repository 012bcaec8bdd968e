// Number conversions on the hot paths of host calls and value reads, without V8's out-of-line
// calls where V8's own inline code needs none.
//
// A small integer (Smi) is a tagged value, not a heap object: V8's public headers read it
// inline (v8-internal.h's Internals, which V8's inline functions use in every version), while
// Value::IsNumber() and Number::Value() are out-of-line calls (~26 instructions for the pair).
// Making a Number from an int32 (Integer::New: a handle for the Smi) costs about a third of
// Number::New (which enters V8's VM state and goes through the factory).
#pragma once

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <v8.h>

#include "core/v8_compat.h"

#include <cmath>
#include <cstdint>

namespace vh {

// The int32 a double truncates to, INT32_MIN for NaN and what does not fit. cvttsd2si gives
// INT32_MIN for NaN and out-of-range values, which then fail the round-trip test of
// int32_value() (INT32_MIN itself passes, as it should), so one conversion and one compare
// decide. Elsewhere (no SSE2: aarch64, ...) a range test gives the same answer.
inline int32_t truncate_to_int32(double d) {
#if defined(__SSE2__)
  return _mm_cvttsd_si32(_mm_set_sd(d));
#else
  return d > -2147483649.0 && d < 2147483648.0 ? static_cast<int32_t>(d) : INT32_MIN;
#endif
}

// Whether d is exactly an int32 (-0 is not: it is a Number of its own), and which.
inline bool int32_value(double d, int32_t* out) {
  int32_t i = truncate_to_int32(d);
  if (static_cast<double>(i) != d || (i == 0 && std::signbit(d))) return false;
  *out = i;
  return true;
}

// Whether value is a small integer (V8's Smi), and its value. False for every other value,
// HeapNumbers included: the caller then asks V8.
// With V8 10.x's handle layout (VH_FAST_READS, v8_compat.h: a Local points at a slot holding the
// tagged word) the word is read inline; with other V8s (whose handles may be direct) through the
// public API, true for every int32 Number then.
inline bool smi_value(v8::Local<v8::Value> value, int32_t* out) {
#if VH_FAST_READS
  using I = v8::internal::Internals;
  v8::internal::Address a = *reinterpret_cast<const v8::internal::Address*>(*value);
  if (I::HasHeapObjectTag(a)) return false;
  *out = I::SmiValue(a);
  return true;
#else
  if (!value->IsInt32()) return false;
  *out = value.As<v8::Int32>()->Value();
  return true;
#endif
}

// A Number for d: a Smi handle when d is an int32 that fits one (Number::New makes the same
// value the slower way), else Number::New.
inline v8::Local<v8::Number> new_number(v8::Isolate* iso, double d) {
  int32_t i;
  if (int32_value(d, &i)) return v8::Integer::New(iso, i);
  return v8::Number::New(iso, d);
}

}  // namespace vh
