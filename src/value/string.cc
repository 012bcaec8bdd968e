// Strings: making them from UTF-8, Latin-1 and UTF-16, and copying them out.
#include <cstdlib>
#include <cstring>

#include "core/call.h"
#include "core/v8_compat.h"
#include "v8host.h"

using namespace vh;

namespace {

// Common shape of the three copy-out calls: look up, check it is a string, measure, and copy
// when the caller's buffer (capacity counted with the terminator) is large enough.
template <typename Unit, typename Measure, typename Write>
int copy_out(vh_value value, Unit* buffer, size_t capacity, size_t* length, Measure measure,
             Write write) {
  if (!buffer && !length) return VH_EINVAL;
  const Slot* slot;
  VH_TRY(lookup_value(value, &slot));
  if (!slot->local->IsString()) return VH_ETYPE;
  v8::Isolate* iso = slot->rt->isolate;
  v8::Local<v8::String> s = slot->local.As<v8::String>();
  size_t need;
  VH_TRY(measure(iso, s, &need));
  if (!buffer) {
    *length = need;
    return VH_OK;
  }
  if (capacity < need + 1) {
    if (length) *length = need;
    return VH_ERANGE;
  }
  write(iso, s, buffer, need);
  buffer[need] = 0;
  if (length) *length = need;
  return VH_OK;
}

// Common body of the Latin-1 (Unit uint8_t) and UTF-16 (uint16_t) makers: VH_AUTO_LENGTH
// reads up to the 0 unit; a string longer than V8's largest is VH_ERANGE.
template <typename Unit>
int new_string_units(vh_engine engine, const Unit* units, size_t length, vh_value* out) {
  if (!out) return VH_EINVAL;
  if (length == VH_AUTO_LENGTH) {
    if (!units) return VH_EINVAL;
    length = 0;
    while (units[length]) ++length;
  }
  if (!units && length) return VH_EINVAL;
  if (length > static_cast<size_t>(v8::String::kMaxLength)) return VH_ERANGE;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  static const Unit kEmpty[1] = {0};
  const Unit* data = length ? units : kEmpty;
  v8::Local<v8::String> s;
  bool made;
  if constexpr (sizeof(Unit) == 1)
    made = v8::String::NewFromOneByte(call.isolate, data, v8::NewStringType::kNormal, static_cast<int>(length))
               .ToLocal(&s);
  else
    made = v8::String::NewFromTwoByte(call.isolate, data, v8::NewStringType::kNormal, static_cast<int>(length))
               .ToLocal(&s);
  if (!made) return VH_ERANGE;
  *out = call.result(s);
  return VH_OK;
}

int measure_utf8(v8::Isolate* iso, v8::Local<v8::String> s, size_t* need) {
  *need = compat::utf8_length(iso, s);
  return VH_OK;
}

void write_utf8(v8::Isolate* iso, v8::Local<v8::String> s, char* buffer, size_t need) {
  compat::write_utf8(iso, s, buffer, need);
}

}  // namespace

extern "C" {

int vh_new_string_utf8(vh_engine engine, const char* utf8, size_t length, vh_value* out) {
  if (!out) return VH_EINVAL;
  EngineCall call;
  VH_TRY(call.enter(engine, false));
  v8::Local<v8::String> s;
  VH_TRY(make_utf8_string(call.isolate, utf8, length, v8::NewStringType::kNormal, &s));
  *out = call.result(s);
  return VH_OK;
}

int vh_new_string_latin1(vh_engine engine, const char* latin1, size_t length, vh_value* out) {
  return new_string_units(engine, reinterpret_cast<const uint8_t*>(latin1), length, out);
}

int vh_new_string_utf16(vh_engine engine, const uint16_t* utf16, size_t length, vh_value* out) {
  return new_string_units(engine, utf16, length, out);
}

int vh_value_string_utf8(vh_value value, char* buffer, size_t capacity, size_t* length) {
  return copy_out(value, buffer, capacity, length, measure_utf8, write_utf8);
}

int vh_value_string_utf16(vh_value value, uint16_t* buffer, size_t capacity, size_t* length) {
  return copy_out(
      value, buffer, capacity, length,
      [](v8::Isolate*, v8::Local<v8::String> s, size_t* need) -> int {
        *need = static_cast<size_t>(s->Length());
        return VH_OK;
      },
      [](v8::Isolate* iso, v8::Local<v8::String> s, uint16_t* buf, size_t need) {
        compat::write_two_byte(iso, s, 0, static_cast<uint32_t>(need), buf);
      });
}

int vh_value_string_latin1(vh_value value, char* buffer, size_t capacity, size_t* length) {
  return copy_out(
      value, buffer, capacity, length,
      [](v8::Isolate*, v8::Local<v8::String> s, size_t* need) -> int {
        if (!s->ContainsOnlyOneByte()) return VH_ERANGE;
        *need = static_cast<size_t>(s->Length());
        return VH_OK;
      },
      [](v8::Isolate* iso, v8::Local<v8::String> s, char* buf, size_t need) {
        compat::write_one_byte(iso, s, 0, static_cast<uint32_t>(need), reinterpret_cast<uint8_t*>(buf));
      });
}

int vh_value_string_utf8_dup(vh_value value, char** out, size_t* length) {
  if (!out) return VH_EINVAL;
  size_t need;
  VH_TRY(vh_value_string_utf8(value, nullptr, 0, &need));
  char* buffer = static_cast<char*>(malloc(need + 1));
  if (!buffer) return VH_ENOMEM;
  int rc = vh_value_string_utf8(value, buffer, need + 1, nullptr);
  if (rc != VH_OK) {
    free(buffer);
    return rc;
  }
  *out = buffer;
  if (length) *length = need;
  return VH_OK;
}

}  // extern "C"
