// xxHash64 (hash.cc): keys and checksums of the byte blobs the library hands out (the code
// cache, snapshots).
#pragma once

#include <cstddef>
#include <cstdint>

namespace vh {

uint64_t xxh64(const void* data, size_t len, uint64_t seed);

}  // namespace vh
