/**
 * @file v8host/code_cache.h
 * @brief V8's code cache: compile a script once, reuse the compiled code in another engine or
 *        a later process.
 *
 * A cache is tied to the exact source text and resource name, and to the V8 build and flags.
 * v8host checks the text, the name and the cache's integrity (V8 10.2 itself checks only the
 * text's length, and would run another script's code for a same-length text); V8 checks its
 * build and flags. A cache that does not match, or is damaged or truncated, is rejected: the
 * script is compiled from source and the caller is told. The checks catch accidents, not
 * forgery: use caches from a trusted place.
 */
#ifndef V8HOST_CODE_CACHE_H
#define V8HOST_CODE_CACHE_H

#include "v8host/api.h"
#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Compiles a classic script, every function eagerly, without running it, and produces its
 *        code cache.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param source UTF-8, @p length bytes or ::VH_AUTO_LENGTH; must not be NULL.
 * @param length bytes, or ::VH_AUTO_LENGTH when NUL-terminated.
 * @param resource_name NULL for "<anonymous>"; the cache is tied to it.
 * @param[out] cache receives a malloc'd buffer, never NULL on success; free it with vh_free().
 *        Must not be NULL.
 * @param[out] cache_length its size in bytes; must not be NULL. It may be 0 when V8 cannot cache
 *        the script (one containing an asm.js module); such an empty cache is rejected by
 *        vh_eval_with_cache().
 * @return ::VH_OK; ::VH_EEXCEPTION (a SyntaxError, pending); ::VH_EPENDING_EXCEPTION;
 *         ::VH_ENOMEM; ::VH_EINVAL; ::VH_ERANGE; the common engine codes.
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_code_cache_create(vh_engine engine, const char *source, size_t length,
                                const char *resource_name, uint8_t **cache, size_t *cache_length);

/**
 * @brief Like vh_eval(), compiling with a code cache when it is accepted.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param source the script, UTF-8; must not be NULL.
 * @param length bytes, or ::VH_AUTO_LENGTH when NUL-terminated.
 * @param resource_name as for vh_eval(); must be the one the cache was made with for it to be
 *        accepted.
 * @param cache the bytes from vh_code_cache_create() (of any engine or process); may be NULL
 *        only with @p cache_length 0 (then it is plain vh_eval(), *accepted false); NULL with a
 *        nonzero length is ::VH_EINVAL. A @p cache_length of 0 is an empty cache: rejected.
 * @param cache_length the size of @p cache in bytes.
 * @param[out] accepted set on success to whether the code came from the cache (also true when
 *        this runtime had already compiled the same text under the same name). False means
 *        rejected: another source text or resource name; a damaged, truncated or empty cache;
 *        another V8 build or flags. Untouched when the call fails, VH_EEXCEPTION included. May
 *        be NULL.
 * @param[out] out as for vh_eval().
 * @return as vh_eval().
 */
VH_API int vh_eval_with_cache(vh_engine engine, const char *source, size_t length,
                              const char *resource_name, const uint8_t *cache, size_t cache_length,
                              bool *accepted, vh_value *out);

#ifdef __cplusplus
}
#endif
#endif
