// vh_code_cache_create, vh_eval_with_cache: V8's code cache, to compile a script once and reuse
// the compiled code in another engine, runtime or process.
//
// The bytes handed out are a 40-byte header of ours followed by V8's cached data. The header is
// needed because V8 10.2 checks only the *length* of the source against a cache (its "source
// hash" is the length and the module flag): a cache made for another text of the same length is
// accepted and runs the other text's code. V8 also keeps the resource name the cache was made
// with, so a cache used under another name would report the old name in stack traces. So the
// header binds the cache to the exact source bytes and resource name (an xxHash64 key over
// both) and carries an xxHash64 of V8's bytes: a cache whose header does not match, or whose
// bytes were damaged, is rejected here before V8 reads it. That makes rejecting a corrupted
// cache independent of V8's own checksum (--verify-snapshot-checksum, on in this build but off
// by default in release builds of some V8 versions; a corrupted cache V8 does not catch can
// crash the process), and V8 checks the rest: its version and flags.
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/call.h"
#include "core/hash.h"
#include "core/v8_compat.h"
#include "v8host.h"

using namespace vh;

namespace {

// ---- The header in front of V8's bytes (native byte order: a cache is as specific to the
// machine as the V8 build that made it). Read and written with memcpy: a caller's buffer need
// not be aligned. A multiple of 8 bytes, so the payload of a malloc'd cache stays
// pointer-aligned, which spares V8 a copy. ----
constexpr uint32_t kMagic = 0x31434856;  // "VHC1" in little-endian
constexpr uint32_t kFormat = 1;

struct Header {
  uint32_t magic;
  uint32_t format;
  uint64_t payload_length;  // bytes of V8 data after the header
  uint64_t source_length;   // bytes of UTF-8 source
  uint64_t key;             // xxh64 of the source bytes, then of the resource name
  uint64_t payload_hash;    // xxh64 of the V8 data
};
static_assert(sizeof(Header) == 40, "the cache header is 40 bytes, without padding");

const char* name_or_default(const char* resource_name) {
  return resource_name ? resource_name : "<anonymous>";
}

uint64_t cache_key(const char* source, size_t length, const char* name) {
  return xxh64(name, strlen(name), xxh64(source, length, 0));
}

// The V8 payload of cache when its header matches this source and name; nullptr otherwise
// (not a cache of ours, another source text or name, truncated, extended or damaged, or an
// empty cache).
const uint8_t* matching_payload(const uint8_t* cache, size_t cache_length, const char* source,
                                size_t length, const char* name, int* payload_length) {
  if (cache_length <= sizeof(Header)) return nullptr;
  Header h;
  memcpy(&h, cache, sizeof h);
  if (h.magic != kMagic || h.format != kFormat) return nullptr;
  if (h.payload_length != cache_length - sizeof(Header)) return nullptr;
  if (h.payload_length > static_cast<uint64_t>(INT32_MAX)) return nullptr;
  if (h.source_length != length || h.key != cache_key(source, length, name)) return nullptr;
  if (h.payload_hash != xxh64(cache + sizeof(Header), h.payload_length, 0)) return nullptr;
  *payload_length = static_cast<int>(h.payload_length);
  return cache + sizeof(Header);
}

// The start of both calls: enters the engine (refused while an exception is pending: a
// SyntaxError becomes the engine's pending exception), then makes the source text and resource
// name as V8 strings (VH_ERANGE for a source too long). Resolves *length (VH_AUTO_LENGTH: up to
// the NUL) and *name (NULL: the default name) in place: the caches are keyed by both as resolved.
int enter_source(EngineCall& call, vh_engine engine, const char* source, size_t* length,
                 const char** name, v8::Local<v8::String>* text, v8::Local<v8::String>* v8_name) {
  VH_TRY(call.enter(engine, true));
  if (*length == VH_AUTO_LENGTH) *length = strlen(source);
  *name = name_or_default(*name);
  VH_TRY(make_utf8_string(call.isolate, source, *length, v8::NewStringType::kNormal, text));
  return make_utf8_string(call.isolate, *name, VH_AUTO_LENGTH, v8::NewStringType::kNormal, v8_name);
}

}  // namespace

extern "C" {

int vh_code_cache_create(vh_engine engine, const char* source, size_t length,
                         const char* resource_name, uint8_t** cache, size_t* cache_length) {
  if (!source || !cache || !cache_length) return VH_EINVAL;
  // Compiling runs no script, but a SyntaxError becomes the engine's pending exception, so the
  // call is refused (VH_EPENDING_EXCEPTION) while one is pending, like vh_eval().
  EngineCall call;
  const char* name = resource_name;
  v8::Local<v8::String> text, v8_name;
  VH_TRY(enter_source(call, engine, source, &length, &name, &text, &v8_name));
  v8::Isolate* iso = call.isolate;
  v8::TryCatch tc(iso);
  v8::ScriptOrigin origin = compat::script_origin(iso, v8_name);
  v8::ScriptCompiler::Source src(text, origin);
  // Eager: the cache then holds the bytecode of every function, not just the top level.
  v8::Local<v8::UnboundScript> unbound;
  if (!v8::ScriptCompiler::CompileUnboundScript(iso, &src, v8::ScriptCompiler::kEagerCompile)
           .ToLocal(&unbound))
    return call.failed(tc);
  std::unique_ptr<v8::ScriptCompiler::CachedData> data(
      v8::ScriptCompiler::CreateCodeCache(unbound));
  // V8 makes no cache for some scripts (those containing an asm.js module): the result is then
  // an empty cache, which vh_eval_with_cache() takes and reports as not accepted.
  if (!data || data->length <= 0) {
    uint8_t* empty = static_cast<uint8_t*>(malloc(1));
    if (!empty) return VH_ENOMEM;
    *cache = empty;
    *cache_length = 0;
    return VH_OK;
  }
  size_t payload = static_cast<size_t>(data->length);
  uint8_t* bytes = static_cast<uint8_t*>(malloc(sizeof(Header) + payload));
  if (!bytes) return VH_ENOMEM;
  Header h{kMagic, kFormat, payload, length, cache_key(source, length, name),
           xxh64(data->data, payload, 0)};
  memcpy(bytes, &h, sizeof h);
  memcpy(bytes + sizeof h, data->data, payload);
  *cache = bytes;
  *cache_length = sizeof(Header) + payload;
  return VH_OK;
}

// cache == NULL with cache_length 0 is plain vh_eval(); NULL with a nonzero length is VH_EINVAL
// (as for strings elsewhere in the API). Any other bytes are a cache candidate: an empty one
// (cache_length 0), one V8 could not make, and any that does not match (foreign, truncated,
// corrupted, another source or resource name, another V8 build or flags) is rejected: the script
// is compiled from source and *accepted is false. As every failing call, a call that fails
// (including VH_EEXCEPTION from the script) leaves *accepted and *out untouched.
int vh_eval_with_cache(vh_engine engine, const char* source, size_t length,
                       const char* resource_name, const uint8_t* cache, size_t cache_length,
                       bool* accepted, vh_value* out) {
  if (!source) return VH_EINVAL;
  if (!cache && cache_length != 0) return VH_EINVAL;
  EngineCall call;
  const char* name = resource_name;
  v8::Local<v8::String> text, v8_name;
  VH_TRY(enter_source(call, engine, source, &length, &name, &text, &v8_name));
  v8::Isolate* iso = call.isolate;
  int payload_length = 0;
  const uint8_t* payload =
      cache ? matching_payload(cache, cache_length, source, length, name, &payload_length)
            : nullptr;
  v8::TryCatch tc(iso);
  v8::ScriptOrigin origin = compat::script_origin(iso, v8_name);
  // The Source owns (and deletes) the CachedData; the bytes stay the caller's.
  v8::ScriptCompiler::Source src(
      text, origin,
      payload ? new v8::ScriptCompiler::CachedData(payload, payload_length,
                                                   v8::ScriptCompiler::CachedData::BufferNotOwned)
              : nullptr);
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> result;
  if (!v8::ScriptCompiler::Compile(call.context, &src,
                                   payload ? v8::ScriptCompiler::kConsumeCodeCache
                                           : v8::ScriptCompiler::kNoCompileOptions)
           .ToLocal(&script))
    return call.failed(tc);
  // Not rejected also when V8 found the script in the runtime's own compilation cache (compiled
  // there before under the same name) and so had no need to read the payload.
  bool used = payload && !src.GetCachedData()->rejected;
  if (!script->Run(call.context).ToLocal(&result)) return call.failed(tc);
  if (accepted) *accepted = used;
  return call.result_to(result, out);
}

}  // extern "C"
