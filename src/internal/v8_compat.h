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
//   - Context/Object::GetIsolate() and Object::GetPrototype() are gone in 14.x.
#pragma once

#include <v8-version.h>
#include <v8.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#define VH_V8_AT_LEAST(major, minor) \
  (V8_MAJOR_VERSION > (major) || (V8_MAJOR_VERSION == (major) && V8_MINOR_VERSION >= (minor)))

namespace vh {
namespace compat {

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

}  // namespace compat
}  // namespace vh
