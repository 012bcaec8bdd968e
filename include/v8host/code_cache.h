/**
 * @file v8host/code_cache.h
 * @brief V8's code cache: compile a script once, reuse the compiled code in another engine or
 *        a later process.
 *
 * A cache is tied to the exact source text and to the V8 build and flags; V8 checks both and
 * rejects a cache that does not match, in which case the script is compiled from source and
 * the caller is told.
 */
#ifndef V8HOST_CODE_CACHE_H
#define V8HOST_CODE_CACHE_H

#include "v8host/api.h"
#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Compiles a classic script (without running it) and produces its code cache.
 * @param source UTF-8, @p length bytes or ::VH_AUTO_LENGTH; must not be NULL.
 * @param resource_name NULL for "<anonymous>".
 * @param[out] cache receives a malloc'd buffer; free it with vh_free(). Must not be NULL.
 * @param[out] cache_length its size in bytes; must not be NULL.
 * @return ::VH_OK; ::VH_EEXCEPTION (a SyntaxError, pending); ::VH_ENOMEM; ::VH_EINVAL;
 *         ::VH_ERANGE; the common engine codes.
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_code_cache_create(vh_engine engine, const char *source, size_t length,
                                const char *resource_name, uint8_t **cache, size_t *cache_length);

/**
 * @brief Like vh_eval(), compiling with a code cache when it is accepted.
 * @param cache the bytes from vh_code_cache_create() (of any engine or process); may be NULL
 *        (then it is plain vh_eval()).
 * @param[out] accepted set to whether V8 used the cache (false: rejected and compiled from
 *        source — for another source text, another V8 build or other flags); may be NULL.
 * @return as vh_eval().
 */
VH_API int vh_eval_with_cache(vh_engine engine, const char *source, size_t length,
                              const char *resource_name, const uint8_t *cache, size_t cache_length,
                              bool *accepted, vh_value *out);

#ifdef __cplusplus
}
#endif
#endif
