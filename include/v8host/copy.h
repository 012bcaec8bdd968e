/**
 * @file v8host/copy.h
 * @brief The fourth way to pass a value: an explicit copy (structured clone), between any two
 *        engines, with transfer; and to and from bytes.
 *
 * vh_pass() stays the default (see marshal.h). A copy is for data the receiver reads in full:
 * one crossing instead of one per property access. It follows the HTML structured clone
 * algorithm as V8's ValueSerializer implements it: plain objects, arrays, Map, Set, Date,
 * RegExp, BigInt, Boolean/Number/String/BigInt wrapper objects, Error objects, ArrayBuffers,
 * typed arrays and DataViews, with cycles and shared references kept inside one copy. Functions,
 * symbols, proxies, promises, WeakMaps and instances of host classes cannot be copied.
 *
 * Inside a copy between engines:
 * - a SharedArrayBuffer, or a view over one, takes vh_pass()'s shared path: the same memory,
 *   with vh_pass()'s identity rules (::VH_PASS_KIND_SHARED; the very object within one runtime);
 * - an ArrayBuffer listed in ::vh_copy_options.transfer is detached in the source and arrives
 *   over the same memory, without a copy (O(1) in its size);
 * - a WebAssembly.Module arrives compiled (the same code; no recompilation).
 *
 * The byte form (vh_engine_copy_to_bytes(), vh_engine_copy_from_bytes()) is for storage, IPC or
 * another process: a versioned, checked header before V8's wire format. It holds no
 * SharedArrayBuffer, transfer or WebAssembly.Module; malformed, truncated or incompatible bytes
 * give ::VH_EBADDATA.
 */
#ifndef V8HOST_COPY_H
#define V8HOST_COPY_H

#include "v8host/api.h"
#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Options for vh_engine_copy(); versioned by size like ::vh_runtime_options. */
typedef struct vh_copy_options {
  /** sizeof(vh_copy_options) as the caller compiled it; set by vh_copy_options_init(). */
  size_t struct_size;
  /** Number of values in @ref transfer (at most 65536). */
  size_t transfer_count;
  /** ArrayBuffers of the copied value's runtime to transfer: each is detached in the source and
   *  arrives in the copy over the same memory. NULL when transfer_count is 0. */
  const vh_value *transfer;
} vh_copy_options;

/**
 * @brief Fills @p options with the defaults (nothing transferred) and sets its struct_size.
 * @param[out] options the options to fill; must not be NULL.
 * @return ::VH_OK, or ::VH_EINVAL when @p options is NULL. Any thread.
 */
static inline int vh_copy_options_init(vh_copy_options *options) {
  if (!options) return -1; /* VH_EINVAL */
  options->struct_size = sizeof *options;
  options->transfer_count = 0;
  options->transfer = NULL;
  return 0;
}

/**
 * @brief Copies @p value of engine @p from into engine @p to (any two engines, of one runtime or
 *        two), as a structured clone.
 *
 * Serializing reads the value's properties (getters run, in @p from); the copy is then built in
 * @p to. Transferred buffers are detached only when the whole copy succeeded.
 *
 * @param from the engine the value is read in; its runtime must hold @p value.
 * @param value the value to copy.
 * @param to the destination engine.
 * @param options NULL for the defaults; else struct_size set (vh_copy_options_init()).
 * @param[out] out the copy, in the innermost scope; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL (@p out NULL; a NULL @p options->transfer with a count);
 *         ::VH_EVERSION (bad struct_size); ::VH_ERANGE (more than 65536 transfers);
 *         ::VH_ETYPE (a transfer entry that is not a detachable ArrayBuffer of @p from's
 *         runtime, or is listed twice); ::VH_EDETACHED (a transfer entry already detached);
 *         ::VH_EEXCEPTION (the value cannot be copied: a `DataCloneError` is pending in
 *         @p from; or a getter threw, pending in @p from; in @p to only when a view over a
 *         growable SharedArrayBuffer cannot be rebuilt there, its constructor replaced by script); ::VH_ERUNTIME_MISMATCH (@p value is
 *         not of @p from's runtime); ::VH_EPENDING_EXCEPTION (in @p from); the common codes.
 * @par Thread: a thread holding both runtimes' locks.
 */
VH_API int vh_engine_copy(vh_engine from, vh_value value, vh_engine to, const vh_copy_options *options,
                          vh_value *out);

/**
 * @brief Serializes @p value of engine @p engine into a new byte buffer.
 *
 * ArrayBuffers and views are copied into the bytes. SharedArrayBuffers (and views over them),
 * WebAssembly.Modules and everything vh_engine_copy() cannot copy are refused with a
 * `DataCloneError`.
 *
 * @param engine the engine that holds @p value.
 * @param value the value to serialize.
 * @param[out] bytes receives the buffer; free it with vh_free(). Must not be NULL.
 * @param[out] length receives its length; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EEXCEPTION (a `DataCloneError`, or a getter threw: pending
 *         in @p engine); ::VH_ENOMEM; ::VH_ERUNTIME_MISMATCH; ::VH_EPENDING_EXCEPTION; the
 *         common codes.
 * @par Thread: the thread holding the engine's runtime.
 */
VH_API int vh_engine_copy_to_bytes(vh_engine engine, vh_value value, uint8_t **bytes, size_t *length);

/**
 * @brief Rebuilds a value from bytes vh_engine_copy_to_bytes() made (in this process or another,
 *        with a library of the same byte-format version).
 *
 * The bytes are checked, not trusted: malformed, truncated or incompatible input, or a length
 * other than the header says,
 * gives ::VH_EBADDATA (no exception is left pending), never a crash.
 *
 * @param engine the engine the value is rebuilt in.
 * @param bytes the bytes; may be NULL only when @p length is 0 (which is ::VH_EBADDATA).
 * @param length the number of bytes.
 * @param[out] out the value, in the innermost scope; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EBADDATA; ::VH_ENOMEM; the common codes.
 * @par Thread: the thread holding the engine's runtime.
 */
VH_API int vh_engine_copy_from_bytes(vh_engine engine, const uint8_t *bytes, size_t length, vh_value *out);

#ifdef __cplusplus
}
#endif
#endif
