/**
 * @file v8host/exception.h
 * @brief JavaScript exceptions, as a state of the engine.
 *
 * A call that runs JavaScript and sees it throw returns ::VH_EEXCEPTION and leaves the exception
 * pending in the engine. While it is pending, calls that would run JavaScript in that engine are
 * refused with ::VH_EPENDING_EXCEPTION; vh_exception_take() hands it to the host and clears it.
 */
#ifndef V8HOST_EXCEPTION_H
#define V8HOST_EXCEPTION_H

#include "v8host/api.h"

#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A taken exception. Strings are valid UTF-8 (lone surrogates become U+FFFD), NUL-terminated,
 *  owned by the struct. */
typedef struct vh_exception {
  /** The thrown value, in the scope that was innermost at vh_exception_take(). */
  vh_value value;
  /** V8's message, e.g. "Uncaught TypeError: x is not a function"; never NULL. */
  char *message;
  /** The thrown value's `stack` property when it is an Error, else NULL. */
  char *stack;
  /** The resource name of the script where it was thrown ("<anonymous>" for vh_eval() without a
   *  name), or NULL when no script is involved (e.g. a vh_json_parse() SyntaxError). */
  char *resource_name;
  /** 1-based line where it was thrown; 0 when unknown. */
  int line;
  /** 1-based column where it was thrown; 0 when unknown. */
  int column;
} vh_exception;

/**
 * @brief Whether an exception is pending in @p engine.
 * @param engine the engine.
 * @param[out] out must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED.
 * @par Thread: any; without the runtime's lock the answer is a snapshot another thread may change.
 */
VH_API int vh_exception_pending(vh_engine engine, bool *out);

/**
 * @brief Takes the pending exception out of @p engine, clearing it.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param[out] out filled on success; must not be NULL. Release it with vh_exception_free().
 * @return ::VH_OK; ::VH_ENOEXCEPTION (none pending; @p out untouched); ::VH_ENOMEM; ::VH_EINVAL;
 *         ::VH_EDISPOSED; ::VH_ENOSCOPE; ::VH_EWRONG_THREAD.
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_exception_take(vh_engine engine, vh_exception *out);

/**
 * @brief Frees the strings of a taken exception and zeroes it. Safe on a zeroed struct and
 *        twice in a row; NULL is ignored. Any thread. Never fails.
 * @param exception a taken (or zeroed) exception; NULL is ignored.
 */
VH_API void vh_exception_free(vh_exception *exception);

/**
 * @brief Drops the pending exception of @p engine, if any, without looking at it.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @return ::VH_OK (also when none was pending); ::VH_EINVAL; ::VH_EDISPOSED; ::VH_ENOSCOPE;
 *         ::VH_EWRONG_THREAD.
 */
VH_API int vh_exception_discard(vh_engine engine);

#ifdef __cplusplus
}
#endif
#endif
