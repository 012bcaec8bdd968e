/**
 * @file v8host/errors.h
 * @brief Status codes. Every fallible v8host call returns one of them as an `int`.
 *
 * ::VH_OK is 0 and every error is negative, so `if (rc < 0)` tests for failure. A failing
 * call leaves its out-parameters untouched, with one documented exception: the copy-out calls
 * (vh_value_string_utf8() and friends, vh_value_bigint_words()) report the size they need through
 * their length parameter when they fail with ::VH_ERANGE. The table below is the single source of the
 * codes, of vh_err_name() and of vh_strerror().
 */
#ifndef V8HOST_ERRORS_H
#define V8HOST_ERRORS_H

#include "v8host/api.h"

/** The status codes, one X(name, value, description) per code: the single list the enum,
 *  vh_err_name() and vh_strerror() are made from. */
#define VH_ERROR_TABLE(X)                                                                     \
  X(VH_OK, 0, "success")                                                                      \
  X(VH_EINVAL, -1, "invalid argument (NULL pointer, empty handle, bad length or flag)")       \
  X(VH_ENOMEM, -2, "out of memory")                                                           \
  X(VH_EDISPOSED, -3, "the runtime, engine or reference has been disposed")                   \
  X(VH_ESCOPE_CLOSED, -4, "the value's scope has been closed")                                \
  X(VH_EWRONG_THREAD, -5, "the value, scope or runtime is in use by another thread")          \
  X(VH_ERUNTIME_MISMATCH, -6, "the value belongs to another runtime")                         \
  X(VH_ENOSCOPE, -7, "no scope of this runtime is open on the calling thread")                \
  X(VH_ESCOPE_ORDER, -8, "scopes must be closed innermost first")                             \
  X(VH_EESCAPE, -9, "the scope is not escapable, has escaped a value already, or the value "  \
                       "is not inside it")                                                    \
  X(VH_EEXCEPTION, -10, "a JavaScript exception was thrown; take it with vh_exception_take") \
  X(VH_EPENDING_EXCEPTION, -11, "an exception is pending in the engine; take it first")       \
  X(VH_ETYPE, -12, "the value is not of the type the call needs")                             \
  X(VH_ERANGE, -13, "a number or length is out of the range the call accepts")                \
  X(VH_EBUSY, -14, "the runtime or engine is in use (a scope is open on it)")                 \
  X(VH_ECOLLECTED, -15, "the weak reference's value has been garbage collected")              \
  X(VH_ENOEXCEPTION, -16, "no exception is pending")                                          \
  X(VH_EVERSION, -17, "the options struct has a size this library does not know")             \
  X(VH_ETERMINATED, -18, "execution was terminated")                                         \
  X(VH_EBRAND, -19, "the object is not an instance of the host class")                        \
  X(VH_EDEPTH, -20, "calls between engines and the host are nested too deeply")             \
  X(VH_ETIMEDOUT, -21, "a deadline or wait limit passed")                                    \
  X(VH_EHEAPLIMIT, -22, "the script reached the runtime's heap limit and was stopped")           \
  X(VH_EDEADLK, -23, "waiting would deadlock (the caller holds what the awaited party needs)") \
  X(VH_EDETACHED, -24, "the ArrayBuffer has been detached")                                   \
  X(VH_ENOTSUP, -25, "not supported by this build or by the V8 in use")                       \
  X(VH_EBADDATA, -26, "the bytes are malformed, truncated or from an incompatible build")

/** Status codes; see the table in this header. */
typedef enum vh_status {
#define VH_ERROR_ENUM_(name, value, text) name = value,
  VH_ERROR_TABLE(VH_ERROR_ENUM_)
#undef VH_ERROR_ENUM_
} vh_status;

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief A sentence describing a status code, e.g. "the value's scope has been closed".
 * @param code any int; an unknown code gives "unknown error".
 * @return a static string; never NULL; do not free. Any thread.
 */
VH_API const char *vh_strerror(int code);

/**
 * @brief The symbolic name of a status code, e.g. "VH_ESCOPE_CLOSED".
 * @param code any int; an unknown code gives "VH_E?".
 * @return a static string; never NULL; do not free. Any thread.
 */
VH_API const char *vh_err_name(int code);

#ifdef __cplusplus
}
#endif
#endif
