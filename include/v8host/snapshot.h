/**
 * @file v8host/snapshot.h
 * @brief Startup snapshots: a runtime's heap after setup scripts, saved as bytes, and runtimes
 *        made from those bytes (see docs/snapshots.md).
 *
 * A builder runtime (vh_snapshot_runtime_new()) is used as any runtime: register host
 * functions and classes, make an engine, run setup scripts in it. vh_snapshot_create() turns
 * it into a blob (and disposes it). vh_runtime_new_from_snapshot() makes runtimes whose every
 * new engine starts with the setup scripts' globals. The host registers the same host
 * functions and classes on such a runtime, in the same order, before its first engine: their C
 * callbacks and data pointers live in the host's process, not in the blob.
 */
#ifndef V8HOST_SNAPSHOT_H
#define V8HOST_SNAPSHOT_H

#include "v8host/api.h"
#include "v8host/errors.h"
#include "v8host/runtime.h"
#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Creates a builder runtime: a runtime whose state vh_snapshot_create() can save.
 *
 * It works as a runtime of vh_runtime_new(), except that heap_max_bytes is not applied (V8
 * makes the isolate of a snapshot), that its engines have no `SharedArrayBuffer`, `Atomics` or
 * `WebAssembly` (V8 leaves them out of snapshots; engines made from the blob have them), and
 * that it is meant for one thread: use it and call vh_snapshot_create() on the thread that
 * made it.
 * Every host function and class registered on it (vh_runtime_global_function(),
 * vh_runtime_global_numeric(), vh_class_define(), ...) is numbered in registration order; a
 * runtime made from the blob expects the same registrations in the same order.
 *
 * @param options NULL for the defaults, or a struct filled by vh_runtime_options_init().
 * @param[out] out receives the runtime; must not be NULL; untouched on failure.
 * @return ::VH_OK; ::VH_EINVAL (@p out NULL, or an option vh_runtime_new() refuses);
 *         ::VH_EVERSION; ::VH_ENOMEM.
 * @par Thread: any; the runtime is bound to it.
 * @par Ownership: vh_snapshot_create() disposes it, or vh_runtime_dispose() without a blob.
 */
VH_API int vh_snapshot_runtime_new(const vh_runtime_options *options, vh_runtime *out);

/**
 * @brief Saves a builder runtime's heap, with @p engine's context as the state every engine of
 *        a runtime made from the blob starts with, and disposes the runtime.
 *
 * Refused, with nothing changed, when the heap holds what a blob cannot carry: an instance of a
 * host class, a host function of one engine (vh_new_function(), and with it the builtins of
 * vh_engine_install_builtins(): install those on each engine made from the blob), a host proxy
 * of another runtime's object, more than 65536 host-function records, or modules: an engine of
 * the builder loaded one (vh_module_eval(), `import()`; V8 10.2 cannot save a module
 * namespace), or an `Intl` object the heap still holds (V8 10.2 cannot save its ICU object;
 * what V8 caches for toLocaleString() and localeCompare() does not count). Compiled code is
 * kept in the blob.
 *
 * @param runtime a runtime of vh_snapshot_runtime_new().
 * @param engine an engine of @p runtime: its global is what the blob's engines start with.
 * @param[out] blob receives a malloc'd buffer; free it with vh_free(). Must not be NULL.
 * @param[out] length receives its length in bytes. Must not be NULL.
 * @return ::VH_OK (the runtime is disposed); ::VH_EINVAL (a NULL out-parameter, an empty
 *         handle, or a runtime not made by vh_snapshot_runtime_new()); ::VH_EDISPOSED;
 *         ::VH_ERUNTIME_MISMATCH (@p engine of another runtime); ::VH_EBUSY (a scope is open on
 *         the runtime, its loop runs, or a thread waits in one of its proxy operations);
 *         ::VH_ENOTSUP (the heap holds what a blob cannot carry, see above); ::VH_ENOMEM (V8
 *         made no blob, the runtime is disposed; or no memory for the look at the heap that
 *         comes first, the runtime unchanged). On every other failure the runtime is unchanged.
 * @par Thread: the thread that created the runtime.
 */
VH_API int vh_snapshot_create(vh_runtime runtime, vh_engine engine, void **blob, size_t *length);

/**
 * @brief Checks a blob without using it: the header, the V8 version and build it was made
 *        with, its length and its checksum.
 * @param blob the bytes; NULL gives ::VH_EINVAL.
 * @param length their length; any value is safe when @p blob holds at least that many bytes.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EBADDATA (not a blob, truncated, damaged, or made by
 *         another V8 or another build of v8host or V8).
 * @par Thread: any.
 */
VH_API int vh_snapshot_check(const void *blob, size_t length);

/**
 * @brief Creates a runtime from a blob of vh_snapshot_create(): every engine made in it starts
 *        with the state of the engine the blob was made from.
 *
 * The blob is checked first (as vh_snapshot_check()): V8 would end the process on a bad one.
 * The bytes are copied: the caller may free them when this returns. Before its first engine,
 * register on the runtime the host functions and classes the builder had, in the same order,
 * with the same names: vh_engine_new() refuses with ::VH_EBADDATA otherwise. Registrations
 * after those are ordinary ones.
 *
 * @param options NULL for the defaults, or a struct filled by vh_runtime_options_init().
 * @param blob the blob; must not be NULL.
 * @param length its length in bytes.
 * @param[out] out receives the runtime; must not be NULL; untouched on failure.
 * @return ::VH_OK; ::VH_EINVAL (@p blob or @p out NULL, or an option vh_runtime_new()
 *         refuses); ::VH_EBADDATA (as vh_snapshot_check()); ::VH_EVERSION; ::VH_ENOMEM.
 * @par Thread: any. The runtime is not bound to the creating thread.
 * @par Ownership: the caller disposes the runtime with vh_runtime_dispose().
 */
VH_API int vh_runtime_new_from_snapshot(const vh_runtime_options *options, const void *blob,
                                        size_t length, vh_runtime *out);

#ifdef __cplusplus
}
#endif
#endif
