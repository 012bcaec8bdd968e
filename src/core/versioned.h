// Size-versioned option structs (vh_runtime_options, vh_engine_options, vh_class_def).
//
// The first member of each is its size as the caller compiled it. An older caller's struct is
// shorter: missing fields keep their defaults (zero). A newer caller's is longer: accepted only
// when every byte this library does not know is zero, so a request for a feature this version
// lacks is refused (VH_EVERSION) instead of silently ignored.
#pragma once

#include <cstddef>
#include <cstring>

#include "v8host/errors.h"

namespace vh {

// Copies the caller's struct into out (pre-filled with defaults). min_size: the smallest size
// any released header had (through its last field).
template <typename T>
int copy_versioned(const T* user, size_t min_size, T* out) {
  size_t size = user->struct_size;
  if (size < min_size) return VH_EVERSION;
  const unsigned char* bytes = reinterpret_cast<const unsigned char*>(user);
  for (size_t i = sizeof(T); i < size; ++i)
    if (bytes[i] != 0) return VH_EVERSION;
  std::memcpy(static_cast<void*>(out), user, size < sizeof(T) ? size : sizeof(T));
  out->struct_size = sizeof(T);
  return VH_OK;
}

}  // namespace vh
