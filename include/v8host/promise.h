/**
 * @file v8host/promise.h
 * @brief Promises made and settled from C.
 *
 * Settling a promise queues its reactions as microtasks; they run when the host calls
 * vh_runtime_run_microtasks() or when the runtime's loop runs (loop.h) — never in the middle of
 * a call, so the host decides when script runs.
 */
#ifndef V8HOST_PROMISE_H
#define V8HOST_PROMISE_H

#include "v8host/api.h"
#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The settling side of a promise made by vh_new_promise(). Used once. */
typedef struct vh_deferred {
  uint64_t id_;
} vh_deferred;

/** A promise's state. */
typedef enum vh_promise_status {
  VH_PROMISE_STATUS_PENDING = 1,
  VH_PROMISE_STATUS_FULFILLED,
  VH_PROMISE_STATUS_REJECTED
} vh_promise_status;

/**
 * @brief Makes a pending promise and the deferred that settles it.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param[out] promise the promise, in the current scope; must not be NULL.
 * @param[out] deferred must not be NULL. It stays valid past the scope until used by
 *        vh_deferred_resolve() or vh_deferred_reject(), or until the runtime is disposed.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_ENOMEM; the common engine codes.
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_new_promise(vh_engine engine, vh_value *promise, vh_deferred *deferred);

/**
 * @brief Resolves the promise with @p value (a thenable is followed, as in JavaScript), and frees
 *        the deferred.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param deferred from vh_new_promise(); used once.
 * @param value the value to resolve with.
 * @return ::VH_OK; ::VH_EDISPOSED (deferred used already); ::VH_EINVAL; ::VH_ERUNTIME_MISMATCH;
 *         ::VH_EEXCEPTION; the common engine codes.
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_deferred_resolve(vh_engine engine, vh_deferred deferred, vh_value value);

/**
 * @brief Rejects the promise with @p reason and frees the deferred. Codes as vh_deferred_resolve().
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param deferred from vh_new_promise(); used once.
 * @param reason the rejection reason (any value).
 * @return as vh_deferred_resolve().
 */
VH_API int vh_deferred_reject(vh_engine engine, vh_deferred deferred, vh_value reason);

/**
 * @brief A promise's state.
 * @param promise the promise.
 * @param[out] out receives the state; must not be NULL.
 * @return ::VH_OK; ::VH_ETYPE (not a promise); the common value codes.
 */
VH_API int vh_promise_state(vh_value promise, vh_promise_status *out);

/**
 * @brief A settled promise's value (fulfilled) or reason (rejected), in the current scope.
 * @param promise a settled promise.
 * @param[out] out receives the value or reason; must not be NULL.
 * @return ::VH_OK; ::VH_ETYPE (not a promise); ::VH_EBUSY (still pending); the common value codes.
 */
VH_API int vh_promise_result(vh_value promise, vh_value *out);

#ifdef __cplusplus
}
#endif
#endif
