// Two reads the fast-path trampolines (numeric.cc) make on every call, without V8's
// out-of-line parts.
//
// Object::GetAlignedPointerFromInternalField() is inline except for one call,
// CanHaveInternalField(), which tells a JSObject from other heap objects; External::Value() is
// not inline at all. Together they were ~20 of the ~35 instructions a native method added to a
// raw V8 callback. Where the trampolines use them the answer is known beforehand: V8's
// signature check has established that the holder is an instance of a host class template
// (a JSObject with internal fields), and a callback's data is the v8::External host_template()
// made. So the field is read the way V8's own inline code reads it once that check has passed
// (v8-internal.h's Internals, the header V8's inline functions use), skipping only the check.
//
// The layout is the one of V8 10.x (both fields right after the JSObject header; external
// pointers raw, or through the table when V8 is built sandboxed). Other versions, and builds
// with V8's API checks, use the public calls. At run time verify_fast_reads() compares both
// reads with the public API on real objects before the first use; should they ever disagree,
// the public calls are used (one well-predicted branch per call).
#pragma once

#include <v8-version.h>
#include <v8.h>

#include "core/v8_compat.h"


namespace vh {

// VH_FAST_READS (v8_compat.h): whether the layout reads below are compiled in.
// Whether the fast reads were verified on this process's V8. Written once, by the first
// engine's creation, before any script runs; every later reader runs script of an engine made
// after that (a plain bool: the trampolines load it once per call).
extern bool g_fast_reads;

#if VH_FAST_READS
// The reads themselves, unconditional: V8's inline code after its type check.
inline void* layout_internal_field(v8::Local<v8::Object> object, int index) {
  using I = v8::internal::Internals;
  using A = v8::internal::Address;
  A obj = *reinterpret_cast<A*>(*object);
  int offset = I::kJSObjectHeaderSize + I::kEmbedderDataSlotSize * index;
#ifdef V8_SANDBOXED_EXTERNAL_POINTERS
  offset += I::kEmbedderDataSlotRawPayloadOffset;
#endif
  return reinterpret_cast<void*>(I::ReadExternalPointerField(I::GetIsolateForSandbox(obj), obj, offset,
                                                             v8::internal::kEmbedderDataSlotPayloadTag));
}

inline void* layout_external_value(v8::Local<v8::Value> external) {
  using I = v8::internal::Internals;
  using A = v8::internal::Address;
  A obj = *reinterpret_cast<A*>(*external);
  return reinterpret_cast<void*>(I::ReadExternalPointerField(I::GetIsolateForSandbox(obj), obj,
                                                             I::kJSObjectHeaderSize,
                                                             v8::internal::kExternalObjectValueTag));
}
#endif

// The pointer of a v8::External.
inline void* fast_external_value(v8::Local<v8::Value> external) {
#if VH_FAST_READS
  if (__builtin_expect(g_fast_reads, 1)) return layout_external_value(external);
#endif
  return external.As<v8::External>()->Value();
}

// Whether a call was made with `new`: FunctionCallbackInfo::IsConstructCall(), which tests
// new.target for undefined through its map and oddball kind; with V8 10.x's layout a compare
// with the isolate's undefined root decides the same (undefined is one object per isolate).
inline bool is_construct_call(const v8::FunctionCallbackInfo<v8::Value>& info) {
#if VH_FAST_READS
  using I = v8::internal::Internals;
  using A = v8::internal::Address;
  return *reinterpret_cast<A*>(*info.NewTarget()) != *I::GetRoot(info.GetIsolate(), I::kUndefinedValueRootIndex);
#else
  return info.IsConstructCall();
#endif
}

// Checks both reads against the public API on an External and an object with internal fields
// made in context (of isolate, whose lock is held); sets g_fast_reads when both agree. Once
// per process (later calls return at once); the first engine's creation calls it.
void verify_fast_reads(v8::Isolate* isolate, v8::Local<v8::Context> context);

}  // namespace vh
