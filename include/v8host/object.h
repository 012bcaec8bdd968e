/**
 * @file v8host/object.h
 * @brief Properties, calls and JSON: the calls that may run JavaScript.
 *
 * Each may run script (getters, setters, proxies, toJSON), so each returns ::VH_EEXCEPTION when
 * that throws (the exception is then pending in @p engine) and refuses to start with
 * ::VH_EPENDING_EXCEPTION while one is pending. Besides the codes listed, each returns the common
 * codes of v8host/value.h. The target must be an object (functions and arrays are objects);
 * anything else gives ::VH_ETYPE. Names are NUL-terminated UTF-8; use the `_key` forms for names
 * with embedded NULs or for symbols.
 *
 * Thread: the thread holding the engine's runtime lock (with a scope open), for all of them.
 */
#ifndef V8HOST_OBJECT_H
#define V8HOST_OBJECT_H

#include "v8host/api.h"

#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief `object[name]`.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param object the target object.
 * @param name the property name, NUL-terminated UTF-8; must not be NULL.
 * @param[out] out must not be NULL.
 * @return ::VH_OK; ::VH_EEXCEPTION; ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not an object);
 *         ::VH_EINVAL; the common codes.
 */
VH_API int vh_get(vh_engine engine, vh_value object, const char *name, vh_value *out);
/**
 * @brief `object[name] = value`, with the semantics of a sloppy-mode assignment: a set that
 * JavaScript refuses silently (a frozen object, a non-writable property, a setter-less accessor)
 * is ignored and the call returns ::VH_OK; a setter or proxy trap that throws gives
 * ::VH_EEXCEPTION. Read the property back when the difference matters.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param object the target object.
 * @param name the property name, NUL-terminated UTF-8; must not be NULL.
 * @param value the value to assign.
 * @return ::VH_OK; ::VH_EEXCEPTION; ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not an object);
 *         ::VH_EINVAL; the common codes.
 */
VH_API int vh_set(vh_engine engine, vh_value object, const char *name, vh_value value);
/**
 * @brief `name in object`.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param object the target object.
 * @param name the property name, NUL-terminated UTF-8; must not be NULL.
 * @param[out] out must not be NULL.
 * @return ::VH_OK; ::VH_EEXCEPTION; ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not an object);
 *         ::VH_EINVAL; the common codes.
 */
VH_API int vh_has(vh_engine engine, vh_value object, const char *name, bool *out);
/**
 * @brief `delete object[name]`.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param object the target object.
 * @param name the property name, NUL-terminated UTF-8; must not be NULL.
 * @param[out] deleted the operator's result; may be NULL.
 * @return ::VH_OK; ::VH_EEXCEPTION; ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not an object);
 *         ::VH_EINVAL; the common codes.
 */
VH_API int vh_delete(vh_engine engine, vh_value object, const char *name, bool *deleted);

/**
 * @brief `object[index]`.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param object the target object.
 * @param index the element index.
 * @param[out] out receives the value; must not be NULL.
 * @return ::VH_OK; ::VH_EEXCEPTION; ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not an object);
 *         ::VH_EINVAL; the common codes.
 */
VH_API int vh_get_index(vh_engine engine, vh_value object, uint32_t index, vh_value *out);
/**
 * @brief `object[index] = value`.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param object the target object.
 * @param index the element index.
 * @param value the value to assign.
 * @return ::VH_OK; ::VH_EEXCEPTION; ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not an object);
 *         ::VH_EINVAL; the common codes.
 */
VH_API int vh_set_index(vh_engine engine, vh_value object, uint32_t index, vh_value value);
/**
 * @brief `index in object`.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param object the target object.
 * @param index the element index.
 * @param[out] out receives the result; must not be NULL.
 * @return ::VH_OK; ::VH_EEXCEPTION; ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not an object);
 *         ::VH_EINVAL; the common codes.
 */
VH_API int vh_has_index(vh_engine engine, vh_value object, uint32_t index, bool *out);
/**
 * @brief `delete object[index]`.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param object the target object.
 * @param index the element index.
 * @param[out] deleted may be NULL.
 * @return ::VH_OK; ::VH_EEXCEPTION; ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not an object);
 *         ::VH_EINVAL; the common codes.
 */
VH_API int vh_delete_index(vh_engine engine, vh_value object, uint32_t index, bool *deleted);

/**
 * @brief `object[key]`, with any key value (converted with ToPropertyKey, which may run JS).
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param object the target object.
 * @param key the key, any value (converted with ToPropertyKey).
 * @param[out] out receives the value; must not be NULL.
 * @return ::VH_OK; ::VH_EEXCEPTION; ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not an object);
 *         ::VH_EINVAL; the common codes.
 */
VH_API int vh_get_key(vh_engine engine, vh_value object, vh_value key, vh_value *out);
/**
 * @brief `object[key] = value`.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param object the target object.
 * @param key the key, any value (converted with ToPropertyKey).
 * @param value the value to assign.
 * @return ::VH_OK; ::VH_EEXCEPTION; ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not an object);
 *         ::VH_EINVAL; the common codes.
 */
VH_API int vh_set_key(vh_engine engine, vh_value object, vh_value key, vh_value value);
/**
 * @brief `key in object`.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param object the target object.
 * @param key the key, any value (converted with ToPropertyKey).
 * @param[out] out receives the result; must not be NULL.
 * @return ::VH_OK; ::VH_EEXCEPTION; ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not an object);
 *         ::VH_EINVAL; the common codes.
 */
VH_API int vh_has_key(vh_engine engine, vh_value object, vh_value key, bool *out);
/**
 * @brief `delete object[key]`.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param object the target object.
 * @param key the key, any value (converted with ToPropertyKey).
 * @param[out] deleted may be NULL.
 * @return ::VH_OK; ::VH_EEXCEPTION; ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not an object);
 *         ::VH_EINVAL; the common codes.
 */
VH_API int vh_delete_key(vh_engine engine, vh_value object, vh_value key, bool *deleted);

/** Flags for vh_define_property(): attributes the new property lacks (0: as `object[name] = v`
 *  would make it, writable, enumerable and configurable). */
enum {
  /** Not writable. */
  VH_PROPERTY_READ_ONLY = 1u << 0,
  /** Not enumerable: hidden from `for...in`, `Object.keys` and `JSON.stringify`. */
  VH_PROPERTY_DONT_ENUM = 1u << 1,
  /** Not configurable: `delete` fails and the attributes cannot change. */
  VH_PROPERTY_DONT_DELETE = 1u << 2,
  /** Every flag. */
  VH_PROPERTY_ALL = VH_PROPERTY_READ_ONLY | VH_PROPERTY_DONT_ENUM | VH_PROPERTY_DONT_DELETE
};
/**
 * @brief Defines an own data property, as `Object.defineProperty(object, name, {value, writable,
 *        enumerable, configurable})`: no setter runs, and an existing property of that name is
 *        replaced when it is configurable.
 *
 * Hosts use it for globals and host objects that scripts should not see in `for...in` (the
 * library's builtins are defined with ::VH_PROPERTY_DONT_ENUM through it).
 * @param engine the engine; a scope of its runtime must be open.
 * @param object the target object (a proxy runs its `defineProperty` trap).
 * @param name NUL-terminated UTF-8 (invalid bytes become U+FFFD); must not be NULL.
 * @param value the property's value.
 * @param flags ::VH_PROPERTY_READ_ONLY, ::VH_PROPERTY_DONT_ENUM, ::VH_PROPERTY_DONT_DELETE, or'ed.
 * @return ::VH_OK; ::VH_EINVAL (NULL name, an empty handle, an unknown flag); ::VH_ETYPE (the
 *         target is not an object); ::VH_EEXCEPTION (a proxy trap threw, or the definition is
 *         refused: a non-configurable property of that name, a non-extensible object; the
 *         pending exception is then a TypeError "Cannot redefine property: <name>");
 *         ::VH_EPENDING_EXCEPTION; and the common codes of v8host/value.h.
 * @par Thread: the thread holding the engine's runtime lock. Nothing to free.
 */
VH_API int vh_define_property(vh_engine engine, vh_value object, const char *name, vh_value value,
                              unsigned flags);

/** Flags for vh_own_keys(). */
enum {
  /** Also non-enumerable properties. */
  VH_KEYS_NON_ENUMERABLE = 1u << 0,
  /** Also symbol keys. */
  VH_KEYS_SYMBOLS = 1u << 1,
  /** All own keys, as `Reflect.ownKeys`. */
  VH_KEYS_ALL = VH_KEYS_NON_ENUMERABLE | VH_KEYS_SYMBOLS
};
/**
 * @brief The object's own property keys as a new array, in property order. With flags 0 it is
 * `Object.keys(object)`; with ::VH_KEYS_ALL it is `Reflect.ownKeys(object)`. Integer keys come
 * as strings.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param object the target object.
 * @param flags 0 or VH_KEYS_* flags ORed together.
 * @param[out] out receives the array; must not be NULL.
 * @return also ::VH_EINVAL for an unknown flag.
 */
VH_API int vh_own_keys(vh_engine engine, vh_value object, unsigned flags, vh_value *out);

/**
 * @brief Calls @p function with @p this_value and arguments.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param function the function to call.
 * @param this_value the receiver; an empty handle (`(vh_value){0}`) means undefined.
 * @param argc number of arguments.
 * @param argv the arguments; may be NULL when @p argc is 0.
 * @param[out] out the return value; may be NULL to drop it.
 * @return ::VH_ETYPE when @p function is not callable; ::VH_ERANGE when argc > 65535.
 */
VH_API int vh_call(vh_engine engine, vh_value function, vh_value this_value, size_t argc,
            const vh_value *argv, vh_value *out);

/**
 * @brief `JSON.parse(text)`.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param text the JSON text, UTF-8; must not be NULL.
 * @param length bytes, or ::VH_AUTO_LENGTH. A syntax error is a pending SyntaxError
 *        (::VH_EEXCEPTION).
 * @param[out] out receives the parsed value; must not be NULL.
 * @return ::VH_OK; ::VH_EEXCEPTION (a SyntaxError is pending); the common codes.
 */
VH_API int vh_json_parse(vh_engine engine, const char *text, size_t length, vh_value *out);
/**
 * @brief `JSON.stringify(value)`.
 * @param engine the engine to run in; a scope of its runtime must be open on this thread.
 * @param value the value to serialise.
 * @param[out] out a string, or undefined when the value has no JSON form (undefined, a function).
 * @return ::VH_OK; ::VH_EEXCEPTION; ::VH_EPENDING_EXCEPTION; ::VH_ETYPE (not an object);
 *         ::VH_EINVAL; the common codes.
 */
VH_API int vh_json_stringify(vh_engine engine, vh_value value, vh_value *out);

#ifdef __cplusplus
}
#endif
#endif
