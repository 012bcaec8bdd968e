/**
 * @file v8host/ref.h
 * @brief References: keeping a value past the scope it was made in.
 *
 * A reference has a count. While the count is above zero it keeps its value alive; at zero it
 * becomes weak: the value lives on only while something else holds it, and once collected,
 * vh_ref_get() gives ::VH_ECOLLECTED. Primitive values (numbers, strings, ...) cannot be
 * observed dying, so a reference to one never reports ::VH_ECOLLECTED. A reference belongs to a
 * runtime and may be used on any thread holding that runtime's lock; it is freed by
 * vh_ref_dispose() or when the runtime is disposed (its handle then gives ::VH_EDISPOSED).
 */
#ifndef V8HOST_REF_H
#define V8HOST_REF_H

#include "v8host/api.h"

#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Makes a reference to @p value with an initial @p count (0 makes it weak at once).
 * @param value the value to keep.
 * @param count the initial count.
 * @param[out] out must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_ESCOPE_CLOSED; ::VH_EWRONG_THREAD; ::VH_ENOMEM.
 * @par Thread: the value's thread.
 * @par Ownership: free it with vh_ref_dispose().
 */
VH_API int vh_ref_new(vh_value value, uint32_t count, vh_ref *out);

/**
 * @brief Adds one to the count (a weak reference becomes strong again, if still alive; a
 *        collected one stays collected: the count still changes, vh_ref_get() still gives
 *        ::VH_ECOLLECTED).
 * @param ref the reference.
 * @param[out] count the new count; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; ::VH_ENOSCOPE / ::VH_EWRONG_THREAD (the runtime's
 *         lock is not held by this thread); ::VH_ERANGE (count at UINT32_MAX).
 */
VH_API int vh_ref_inc(vh_ref ref, uint32_t *count);

/**
 * @brief Takes one from the count; at zero the reference becomes weak.
 * @param ref the reference.
 * @param[out] count the new count; may be NULL.
 * @return as vh_ref_inc(), with ::VH_ERANGE when the count is already zero.
 */
VH_API int vh_ref_dec(vh_ref ref, uint32_t *count);

/**
 * @brief The referenced value, put in the innermost open scope.
 * @param ref the reference.
 * @param[out] out must not be NULL.
 * @return ::VH_OK; ::VH_ECOLLECTED (weak and collected); ::VH_EINVAL; ::VH_EDISPOSED;
 *         ::VH_ENOSCOPE; ::VH_EWRONG_THREAD.
 */
VH_API int vh_ref_get(vh_ref ref, vh_value *out);

/**
 * @brief Frees the reference.
 * @param ref the reference.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED (deleted already).
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_ref_dispose(vh_ref ref);

#ifdef __cplusplus
}
#endif
#endif
