/**
 * @file v8host/scope.h
 * @brief Scopes: the lifetime of values, and the runtime's lock.
 *
 * Every value lives in the scope that was innermost on its thread when the value was made, and
 * dies when that scope closes. Scopes nest strictly per thread (across runtimes too): the
 * innermost must be closed first. The first scope a thread opens on a runtime takes the
 * runtime's lock (waiting for another thread to release it); closing it releases the lock.
 *
 * A scope is opened on an engine, which becomes the engine calls run in by default while the
 * scope is innermost; calls naming another engine of the same runtime enter that one for the
 * call, which costs a little more.
 */
#ifndef V8HOST_SCOPE_H
#define V8HOST_SCOPE_H

#include "v8host/api.h"

#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Opens a scope on @p engine, taking its runtime's lock if this thread does not hold it.
 *
 * @param engine the engine; its runtime's lock is waited for when another thread holds it.
 * @param[out] out receives the scope; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; ::VH_EDEADLK (the thread holding the runtime
 *         waits, directly or through other threads, for a runtime, loop or worker this thread
 *         holds or runs: the wait could never end; found within about 10 ms of the cycle
 *         closing; nothing is opened).
 * @par Thread: any. The scope and its values belong to the calling thread.
 * @par Ownership: close it with vh_scope_close() on the same thread, innermost first.
 */
VH_API int vh_scope_open(vh_engine engine, vh_scope *out);

/**
 * @brief Opens an escapable scope: like vh_scope_open(), and vh_scope_escape() may move exactly
 * one value out of it into the enclosing scope.
 *
 * @param engine the engine; its runtime's lock is waited for when another thread holds it.
 * @param[out] out receives the scope; must not be NULL.
 * @return as vh_scope_open(), and ::VH_ENOSCOPE when this thread has no scope open on the
 *         engine's runtime (there would be nothing to escape into).
 */
VH_API int vh_scope_open_escapable(vh_engine engine, vh_scope *out);

/**
 * @brief Moves @p value out of the escapable scope @p scope into the scope enclosing it.
 *
 * @param scope an open escapable scope of this thread.
 * @param value a value made while @p scope (or a scope inside it) was open.
 * @param[out] out receives the escaped value, valid until the enclosing scope closes; must not
 *        be NULL.
 * @return ::VH_OK; ::VH_EESCAPE (not escapable, escaped once already, or @p value is not from
 *         inside @p scope); ::VH_ESCOPE_CLOSED (@p scope or @p value is closed);
 *         ::VH_ERUNTIME_MISMATCH (@p value of another runtime than the scope's);
 *         ::VH_EWRONG_THREAD; ::VH_EINVAL. A failed escape does not use up the scope's one escape.
 * @par Thread: the scope's thread.
 */
VH_API int vh_scope_escape(vh_scope scope, vh_value value, vh_value *out);

/**
 * @brief Closes @p scope: its values die, and when it was this thread's outermost scope on the
 * runtime, the runtime's lock is released.
 *
 * @param scope an open scope of this thread.
 * @return ::VH_OK; ::VH_ESCOPE_ORDER (a scope opened after it is still open; nothing is closed);
 *         ::VH_ESCOPE_CLOSED (closed already); ::VH_EWRONG_THREAD (opened by another thread);
 *         ::VH_EINVAL (empty handle).
 * @par Thread: the thread that opened it.
 */
VH_API int vh_scope_close(vh_scope scope);

#ifdef __cplusplus
}
#endif
#endif
