/**
 * @file v8host/function.h
 * @brief Host functions: C callbacks that JavaScript calls, and throwing from C.
 *
 * A host function receives a ::vh_call_info describing the call. Its values (arguments, `this`,
 * `new.target`, the callee) live in a callback scope that closes when the callback returns: a
 * value kept past that gives ::VH_ESCOPE_CLOSED (keep a ::vh_ref to hold one longer). Values the
 * callback makes land in the same callback scope. Scopes the callback opens must be closed
 * before it returns; any left open are closed for it.
 *
 * While a callback runs, the runtime's lock is held by the calling thread, so every value call
 * is available; scopes opened before the call cannot be closed from inside it
 * (::VH_ESCOPE_ORDER).
 */
#ifndef V8HOST_FUNCTION_H
#define V8HOST_FUNCTION_H

#include "v8host/api.h"
#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a host function is called with. Valid only during the callback. */
typedef struct vh_call_info {
  /** The engine the function belongs to (where it was created); use it for calls. */
  vh_engine engine;
  /** `this`. As for any V8 API function, a call with an undefined or null receiver (also from
   *  strict code) gets the global object, and a primitive receiver arrives wrapped in an object. */
  vh_value this_value;
  /** `new.target` when called with `new`; the empty handle otherwise (test with
   *  vh_value_is_empty() or vh_call_is_construct()). */
  vh_value new_target;
  /** Number of arguments passed. */
  size_t argc;
  /** The arguments; argv[i] for i < argc. */
  const vh_value *argv;
  /** The user data given when the function was made. */
  void *data;
} vh_call_info;

/**
 * @brief A host function.
 *
 * @param info the call; valid until the callback returns.
 * @param[out] result set it to the return value; left untouched, the call returns undefined.
 * @return ::VH_OK to return normally. To throw, call vh_throw() or vh_throw_error() and return
 *         ::VH_EEXCEPTION. Returning ::VH_EEXCEPTION after a v8host call that failed with it (the
 *         exception then pending in some engine) rethrows that exception into the caller, with its
 *         message and location. Any other negative code throws an `Error` whose message is
 *         "<VH_NAME>: <vh_strerror text>" and whose `code` property is "<VH_NAME>".
 */
typedef int (*vh_host_function_cb)(const vh_call_info *info, vh_value *result);

/**
 * Whether a call was made with `new`. Never fails; NULL gives false.
 * @param info the call; may be NULL.
 * @return true when called with `new`.
 */
VH_API bool vh_call_is_construct(const vh_call_info *info);

/**
 * @brief Makes a JavaScript function in @p engine that calls @p callback.
 *
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param name the function's `name` (NUL-terminated UTF-8); NULL for "".
 * @param callback must not be NULL.
 * @param data handed to the callback as info->data; may be NULL. Not freed by the library.
 * @param[out] out the function, in the current scope; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; ::VH_ENOSCOPE; ::VH_EWRONG_THREAD.
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_new_function(vh_engine engine, const char *name, vh_host_function_cb callback,
                           void *data, vh_value *out);

/**
 * @brief A numeric host function: the fast path for host functions that compute on numbers.
 *
 * It receives its arguments as doubles and returns a double: no values, no callback scope, no
 * engine, so a call costs about what a raw V8 callback costs. Every argument must be a Number
 * in the calling script; any other argument makes the call throw a TypeError ("<name>: argument
 * <i> is not a number", counting from 1) without calling the function. It is for pure computation: it must not
 * call v8host functions.
 *
 * @param args the arguments, args[i] for i < argc; never NULL.
 * @param argc how many the script passed.
 * @param[out] result the return value; starts as NaN.
 * @param data the user data given when the function was made.
 * @return ::VH_OK to return *result; any negative code throws an Error "<VH_NAME>: <text>"
 *         with `code` "<VH_NAME>".
 */
typedef int (*vh_numeric_function_cb)(const double *args, size_t argc, double *result, void *data);

/**
 * @brief Makes a JavaScript function in @p engine that calls a numeric host function.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param name the function's `name`; NULL for "".
 * @param callback must not be NULL.
 * @param data handed to every call; may be NULL. Not freed by the library.
 * @param[out] out the function, in the current scope; must not be NULL.
 * @return as vh_new_function().
 */
VH_API int vh_new_function_numeric(vh_engine engine, const char *name,
                                   vh_numeric_function_cb callback, void *data, vh_value *out);

/**
 * @brief Registers a numeric host function as a global of every engine of @p runtime, like
 *        vh_runtime_global_function().
 * @param runtime the runtime.
 * @param name the global's name and the function's `name`; must not be NULL.
 * @param callback must not be NULL.
 * @param data handed to every call; may be NULL.
 * @return as vh_runtime_global_function().
 */
VH_API int vh_runtime_global_numeric(vh_runtime runtime, const char *name,
                                     vh_numeric_function_cb callback, void *data);

/** Constructors of the standard error types, for vh_throw_error() and vh_new_error(). The
 *  error is made with the engine's own intrinsic constructor's prototype (a script that replaced
 *  the global `EvalError` does not change what ::VH_ERROR_KIND_EVAL_ERROR makes). An error thrown through a
 *  proxy between runtimes arrives as the destination's error of the same kind (marshaling.md). */
typedef enum vh_error_kind {
  VH_ERROR_KIND_ERROR = 1,       /**< an `Error` */
  VH_ERROR_KIND_TYPE_ERROR,      /**< a `TypeError` */
  VH_ERROR_KIND_RANGE_ERROR,     /**< a `RangeError` */
  VH_ERROR_KIND_SYNTAX_ERROR,    /**< a `SyntaxError` */
  VH_ERROR_KIND_REFERENCE_ERROR, /**< a `ReferenceError` */
  VH_ERROR_KIND_EVAL_ERROR,      /**< an `EvalError` */
  VH_ERROR_KIND_URI_ERROR,       /**< a `URIError` */
  VH_ERROR_KIND_AGGREGATE_ERROR  /**< an `AggregateError` with an empty `errors` array */
} vh_error_kind;

/**
 * @brief Makes a new error object of @p kind with @p message (its stack is captured here).
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param kind the error constructor.
 * @param message NUL-terminated UTF-8; must not be NULL.
 * @param[out] out receives the error; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL (NULL or unknown kind); the common engine codes.
 */
VH_API int vh_new_error(vh_engine engine, vh_error_kind kind, const char *message, vh_value *out);

/**
 * @brief Throws @p value.
 *
 * Inside a host function of this runtime: the value is thrown into the calling script when the
 * callback returns (return ::VH_EEXCEPTION). Outside any host function: the value becomes the
 * engine's pending exception, as if a call had thrown it.
 *
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param value the value to throw (any value).
 * @return ::VH_OK; ::VH_EINVAL; the common engine codes. A value of another runtime is passed in
 *         first (marshal.h).
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_throw(vh_engine engine, vh_value value);

/**
 * @brief vh_new_error() then vh_throw(). Codes as those two.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param kind the error constructor.
 * @param message NUL-terminated UTF-8; must not be NULL.
 * @return as vh_new_error() and vh_throw().
 */
VH_API int vh_throw_error(vh_engine engine, vh_error_kind kind, const char *message);

/**
 * @brief Calls @p constructor with `new` and the arguments.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param constructor the function to call with `new`.
 * @param argc number of arguments.
 * @param argv may be NULL when @p argc is 0.
 * @param[out] out the new object; must not be NULL.
 * @return ::VH_OK; ::VH_EEXCEPTION (also for a function that is not a constructor, such as an
 *         arrow function: a TypeError is pending); ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not a
 *         function); ::VH_ERANGE (argc > 65535); the common engine codes.
 */
VH_API int vh_construct(vh_engine engine, vh_value constructor, size_t argc, const vh_value *argv,
                        vh_value *out);

/**
 * @brief Registers a host function as a global of every engine of @p runtime: engines created
 *        afterwards get their own instance at creation; existing ones get it from
 *        vh_engine_install_globals().
 * @param runtime the runtime.
 * @param name the global's name and the function's `name`; must not be NULL, nor one of the
 *        names a fresh engine holds non-configurably (`undefined`, `NaN`, `Infinity`).
 *        Registering a name twice replaces the earlier registration for engines installed
 *        afterwards.
 * @param callback must not be NULL.
 * @param data handed to every call as info->data.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; ::VH_ENOMEM.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_runtime_global_function(vh_runtime runtime, const char *name,
                                      vh_host_function_cb callback, void *data);

/**
 * @brief Installs the runtime's registered globals (functions and classes) in an engine that
 *        existed before they were registered. Installing twice is harmless: each global is
 *        defined again to the engine's own instance.
 *
 * Globals are defined as writable, enumerable, configurable data properties (as
 * `Object.defineProperty` would), replacing a configurable property of the same name — a
 * script's accessor included, whose setter is not called.
 *
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; ::VH_ENOSCOPE; ::VH_EWRONG_THREAD;
 *         ::VH_EEXCEPTION (a non-configurable property of that name exists: a TypeError
 *         "Cannot redefine property: <name>" is pending in the engine; globals before it in
 *         registration order are installed, the ones after it are not).
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_engine_install_globals(vh_engine engine);

#ifdef __cplusplus
}
#endif
#endif
