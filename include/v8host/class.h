/**
 * @file v8host/class.h
 * @brief Branded host classes: JavaScript classes whose instances carry a C pointer.
 *
 * A class is defined once per runtime. Each engine gets its own constructor and prototype,
 * made the first time the engine uses the class, so `instanceof` works within each realm as
 * in JavaScript. Every instance carries the class's brand: prototype methods and accessors
 * check it and throw a TypeError ("Illegal invocation") when called on anything else — an
 * instance of another class, a plain object, or an object whose prototype was forged with
 * `Object.create(Cls.prototype)`. The brand is the runtime's, not the engine's: an instance made
 * in one engine passes the check in every engine of the runtime.
 *
 * Each instance holds one native pointer. The class's finalizer is called for it exactly once:
 * when the instance is garbage collected, or when the runtime is disposed, whichever is first.
 */
#ifndef V8HOST_CLASS_H
#define V8HOST_CLASS_H

#include <string.h>

#include "v8host/api.h"
#include "v8host/errors.h"
#include "v8host/function.h"
#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A host class of a runtime. Valid until its runtime is disposed. */
typedef struct vh_class {
  uint64_t id_;
} vh_class;

/**
 * @brief The constructor callback: makes the native part of a new instance.
 *
 * Called for `new Cls(...)` in script (and by vh_construct()); info->this_value is the new
 * instance and info->data the class's data.
 *
 * @param info the call, as for a host function; valid until the callback returns.
 * @param[out] native set it to the instance's native pointer (NULL is allowed).
 * @return ::VH_OK, or throw as a host function does (vh_throw_error() + ::VH_EEXCEPTION). On
 *         failure no native pointer is attached and the finalizer is not called.
 */
typedef int (*vh_class_constructor_cb)(const vh_call_info *info, void **native);

/**
 * @brief Called exactly once per instance with its native pointer (also when NULL).
 *
 * It runs during garbage collection or runtime disposal: it must not call v8host functions. Free
 * the native state and return.
 *
 * @param native the instance's pointer.
 * @param class_data the class's data.
 */
typedef void (*vh_class_finalizer_cb)(void *native, void *class_data);

/** A method (prototype or static) of a class definition. */
typedef struct vh_method_def {
  const char *name;          /**< NUL-terminated UTF-8; must not be NULL */
  vh_host_function_cb callback; /**< must not be NULL; info->data is the class's data */
} vh_method_def;

/** An accessor property of the prototype. At least one of get and set. */
typedef struct vh_accessor_def {
  const char *name;     /**< NUL-terminated UTF-8; must not be NULL */
  vh_host_function_cb get; /**< called with no arguments; may be NULL (write-only) */
  vh_host_function_cb set; /**< called with the new value as argv[0]; may be NULL (read-only) */
} vh_accessor_def;

/**
 * @brief A native method: the fast path for methods that compute on an instance's native state
 *        and numbers (a class's vh_native_method_def).
 *
 * Like ::vh_numeric_function_cb, with the instance's native pointer first. The brand is checked
 * before the call (a TypeError "Illegal invocation" for anything but an instance), and so are
 * the arguments (each must be a Number). It must not call v8host functions.
 *
 * @param native the receiver's native pointer (as vh_class_unwrap() would give).
 * @param args the arguments, args[i] for i < argc; never NULL.
 * @param argc how many the script passed.
 * @param[out] result the return value; starts as NaN.
 * @param data the class's data.
 */
typedef int (*vh_native_method_cb)(void *native, const double *args, size_t argc, double *result,
                                void *data);

/** A native method of a class definition. */
typedef struct vh_native_method_def {
  const char *name;          /**< NUL-terminated UTF-8; must not be NULL */
  vh_native_method_cb callback; /**< must not be NULL */
} vh_native_method_def;

/** A class definition, for vh_class_define(). Fill it with vh_class_def_init(), then set the
 *  fields; versioned by size like ::vh_runtime_options (unknown trailing fields must be 0). */
typedef struct vh_class_def {
  /** sizeof(vh_class_def) as the caller compiled it; set by vh_class_def_init(). */
  size_t struct_size;
  /** The class name (constructor's `name`, the global's name); must not be NULL. */
  const char *name;
  /** Makes the native part; NULL makes the class not constructible from script (`new` throws a
   *  TypeError); instances then come from vh_class_new_instance() only. */
  vh_class_constructor_cb construct;
  /** Called once per instance; may be NULL. */
  vh_class_finalizer_cb finalize;
  /** Prototype methods; may be NULL when method_count is 0. */
  const vh_method_def *methods;
  size_t method_count; /**< Number of entries in methods. */
  /** Prototype accessors; may be NULL when accessor_count is 0. */
  const vh_accessor_def *accessors;
  size_t accessor_count; /**< Number of entries in accessors. */
  /** Methods of the constructor itself (no brand check); may be NULL when the count is 0. */
  const vh_method_def *static_methods;
  size_t static_method_count; /**< Number of entries in static_methods. */
  /** A class of the same runtime to inherit from (prototype chain and brand: an instance of
   *  this class passes the parent's brand checks); the empty handle for none. */
  vh_class parent;
  /** Handed to every callback as info->data and to the finalizer. */
  void *data;
  /** Prototype methods on the numeric fast path; may be NULL when native_method_count is 0. */
  const vh_native_method_def *native_methods;
  size_t native_method_count; /**< Number of entries in native_methods. */
} vh_class_def;

/**
 * @brief Fills @p def with the defaults (no name, no callbacks, no members, no parent) and sets
 *        its struct_size. Inline, so that the size recorded is the one the caller was compiled
 *        with.
 * @param[out] def the definition to fill; must not be NULL.
 * @return ::VH_OK, or ::VH_EINVAL when @p def is NULL. Any thread.
 */
static inline int vh_class_def_init(vh_class_def *def) {
  if (!def) return VH_EINVAL;
  memset(def, 0, sizeof *def);
  def->struct_size = sizeof *def;
  return VH_OK;
}

/**
 * @brief Defines a class in @p runtime. Strings in @p def are copied; the arrays need not outlive
 *        the call.
 *
 * @param runtime the runtime the class belongs to.
 * @param def the definition; must not be NULL.
 * @param[out] out the class; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL (NULL name/out/callback, an accessor with neither get nor set,
 *         arrays NULL with counts above 0); ::VH_EVERSION (struct_size); ::VH_EDISPOSED;
 *         ::VH_ERUNTIME_MISMATCH (parent of another runtime); ::VH_ENOMEM. A parent may be
 *         in use already: subclasses can be defined at any time.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_class_define(vh_runtime runtime, const vh_class_def *def, vh_class *out);

/**
 * @brief The class's constructor in @p engine (made on first use).
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param cls a class of the engine's runtime.
 * @param[out] out must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED (engine or class); ::VH_ERUNTIME_MISMATCH (a class
 *         of another runtime); ::VH_ENOSCOPE; ::VH_EWRONG_THREAD.
 */
VH_API int vh_class_constructor(vh_engine engine, vh_class cls, vh_value *out);

/**
 * @brief Makes an instance in @p engine with @p native attached, without calling the class's
 *        constructor callback. The finalizer will be called for @p native.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param cls a class of the engine's runtime.
 * @param native the instance's native pointer; may be NULL.
 * @param[out] out receives the instance; must not be NULL.
 * @return as vh_class_constructor().
 */
VH_API int vh_class_new_instance(vh_engine engine, vh_class cls, void *native, vh_value *out);

/**
 * @brief The native pointer of an instance of @p cls (or of a class inheriting from it).
 * @param value the value to unwrap.
 * @param cls the class to check against.
 * @param[out] native must not be NULL.
 * @return ::VH_OK; ::VH_EBRAND (not an instance of the class: a plain object, another class, a
 *         forged prototype, a primitive); ::VH_EINVAL; ::VH_EDISPOSED (the class);
 *         ::VH_ERUNTIME_MISMATCH; the common value codes.
 * @par Thread: the value's thread.
 */
VH_API int vh_class_unwrap(vh_value value, vh_class cls, void **native);

/**
 * @brief Registers the class as a global (under its name) of every engine of the runtime, like
 *        vh_runtime_global_function().
 * @param runtime the runtime.
 * @param cls a class of @p runtime.
 * @return ::VH_OK; ::VH_EINVAL (also for a class named `undefined`, `NaN` or `Infinity`);
 *         ::VH_EDISPOSED; ::VH_ERUNTIME_MISMATCH; ::VH_ENOMEM.
 */
VH_API int vh_runtime_global_class(vh_runtime runtime, vh_class cls);

#ifdef __cplusplus
}
#endif
#endif
