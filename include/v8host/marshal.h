/**
 * @file v8host/marshal.h
 * @brief Passing values between engines, and between runtimes.
 *
 * vh_pass() hands a value of one engine to another and chooses one of these ways, which the
 * caller can ask about:
 * - ::VH_PASS_KIND_PRIMITIVE: numbers, strings, booleans, BigInts, undefined and null are copied;
 *   symbols are mapped (well-known symbols to the destination's, others to one symbol per
 *   source symbol, so identity holds).
 * - ::VH_PASS_KIND_DIRECT: both engines share a runtime: the very object, at native speed.
 * - ::VH_PASS_KIND_SHARED: a SharedArrayBuffer, or a TypedArray/DataView over one, crossing runtimes:
 *   a new object of the same kind over the same memory (zero copy; growable buffers stay
 *   growable; the same buffer passed twice into one engine yields the same object).
 * - ::VH_PASS_KIND_PROXY: anything else crossing runtimes: a JavaScript Proxy whose operations the
 *   host performs on the real object in its runtime. The same object always yields the same
 *   proxy while it lives; a proxy passed back to its home runtime arrives as the original.
 *
 * Every call that takes a value and an engine (setting a property, call arguments, a host
 * function's return value, ...) accepts a value of another runtime and passes it this way.
 * Non-shared ArrayBuffers and their views are never shared silently: they take the proxy path
 * (use vh_array_buffer_copy() for an explicit copy).
 *
 * Threads: the calling thread must hold both runtimes' locks (a scope open on each). A proxy's
 * operations later run on whatever thread uses the proxy: when that thread does not hold the
 * source runtime, it waits for it without holding any runtime's lock (so runtimes calling into
 * each other from any number of threads cannot deadlock), up to the destination runtime's
 * proxy_wait_ms, after which the operation throws an Error "VH_ETIMEDOUT: ...".
 */
#ifndef V8HOST_MARSHAL_H
#define V8HOST_MARSHAL_H

#include "v8host/api.h"
#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How vh_pass() passed a value. */
typedef enum vh_pass_kind {
  VH_PASS_KIND_PRIMITIVE = 1, /**< a primitive, copied (a symbol mapped) */
  VH_PASS_KIND_DIRECT,        /**< the same runtime: the very object */
  VH_PASS_KIND_SHARED,        /**< a SharedArrayBuffer or a view over one: the same memory */
  VH_PASS_KIND_PROXY          /**< anything else across runtimes: a Proxy to the real object */
} vh_pass_kind;

/**
 * @brief Passes @p value into engine @p to.
 *
 * @param to the destination engine; a scope of its runtime must be open on this thread.
 * @param value any value of any runtime whose lock this thread holds.
 * @param[out] out the value as @p to sees it, in the innermost scope; must not be NULL.
 * @param[out] how which way was taken; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; ::VH_ENOSCOPE / ::VH_EWRONG_THREAD (this thread
 *         does not hold @p to's runtime); ::VH_EHEAPLIMIT (a string of 1 MiB or more, passed
 *         while script of @p to's runtime runs, does not fit under its heap limit: that script
 *         is stopped, as at the limit; see docs/limits.md); the common value codes for
 *         @p value.
 * @par Thread: a thread holding both runtimes' locks.
 */
VH_API int vh_pass(vh_engine to, vh_value value, vh_value *out, vh_pass_kind *how);

/**
 * @brief Copies an ArrayBuffer or SharedArrayBuffer (or the bytes a TypedArray/DataView views, as
 *        script sees them now) into a new, non-shared ArrayBuffer of engine @p to, of any runtime.
 *        The explicit alternative to proxying a non-shared buffer.
 * @param to the destination engine; a scope of its runtime must be open on this thread.
 * @param value the buffer or view to copy, of any runtime whose lock this thread holds.
 * @param[out] out the new ArrayBuffer; must not be NULL.
 * @return ::VH_OK; ::VH_ETYPE (not an ArrayBuffer or view); ::VH_ENOMEM; the common codes.
 */
VH_API int vh_array_buffer_copy(vh_engine to, vh_value value, vh_value *out);

/**
 * @brief Detaches an ArrayBuffer: its memory is released and every view over it reads as
 *        length 0 (what `postMessage` transfer does; test262's $262.detachArrayBuffer).
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param buffer a detachable ArrayBuffer (not a SharedArrayBuffer, not a WebAssembly memory's).
 * @return ::VH_OK; ::VH_ETYPE (not an ArrayBuffer, or not detachable); ::VH_EINVAL; the common
 *         engine and value codes.
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_array_buffer_detach(vh_engine engine, vh_value buffer);

#ifdef __cplusplus
}
#endif
#endif
