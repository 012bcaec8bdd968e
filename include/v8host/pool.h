/**
 * @file v8host/pool.h
 * @brief Reusing engines: resetting an engine to a fresh global, and a pool of engines for
 *        "one fresh engine per request" servers (see docs/runtimes-and-engines.md).
 */
#ifndef V8HOST_POOL_H
#define V8HOST_POOL_H

#include "v8host/api.h"
#include "v8host/errors.h"
#include "v8host/runtime.h"
#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Gives @p engine a fresh global object, as a new engine of its runtime would have:
 *        the globals of earlier scripts are gone, the runtime's host globals
 *        (vh_runtime_global_function(), vh_runtime_global_class()) are installed again, and in
 *        a runtime made from a snapshot the snapshot's state comes back. The handle stays valid.
 *
 * Timers, modules and the pending exception of the old global go with it. Objects of the old
 * global that the host still holds (values, references) stay usable; their host functions run
 * in the runtime's current engine. Builtins (vh_engine_install_builtins()) are per global:
 * install them again.
 *
 * @param engine the engine.
 * @return ::VH_OK; ::VH_EINVAL (empty handle); ::VH_EDISPOSED; ::VH_EBUSY (a scope opened on
 *         this engine is open, or a call runs in it); ::VH_EBADDATA (a runtime from a snapshot
 *         whose host functions were not registered again, see vh_runtime_new_from_snapshot());
 *         ::VH_ENOMEM.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_engine_reset(vh_engine engine);

/** A pool of engines (vh_pool_new()). */
typedef struct vh_pool {
  uint64_t id_; /**< internal */
} vh_pool;

/**
 * @brief Called by a pool for each runtime it makes, before the runtime's engine: register
 *        host functions and classes here (for a pool from a snapshot: the ones the blob was
 *        made with, in the same order). Returns ::VH_OK, or a code that makes the pool give up
 *        this runtime and return the code.
 */
typedef int (*vh_pool_runtime_cb)(vh_runtime runtime, void *data);

/**
 * @brief Called by a pool for each engine it makes and after each reset of a released engine
 *        (install builtins here). Returns ::VH_OK, or a code that makes the pool dispose the
 *        engine (and return the code from vh_pool_acquire() when it was a new one).
 */
typedef int (*vh_pool_engine_cb)(vh_engine engine, void *data);

/**
 * @brief Options for vh_pool_new(); versioned by size like ::vh_runtime_options.
 */
typedef struct vh_pool_options {
  /** sizeof(vh_pool_options) as the caller compiled it; set by vh_pool_options_init(). */
  size_t struct_size;
  /** Engines made by vh_pool_new() and kept however long they stay idle. */
  size_t min_size;
  /** The most engines of the pool at once, idle and handed out; at least 1 and min_size. */
  size_t max_size;
  /** An idle engine beyond min_size is disposed by vh_pool_release() or vh_pool_trim() once
   *  it has been idle this many milliseconds; 0: never. */
  uint64_t idle_ms;
  /** How long vh_pool_acquire() waits for an engine when max_size are handed out, in
   *  milliseconds; 0: it returns ::VH_EBUSY at once. */
  uint64_t wait_ms;
  /** A blob of vh_snapshot_create() the pool's runtimes are made from, or NULL. Copied. */
  const void *snapshot;
  /** The blob's length in bytes. */
  size_t snapshot_length;
  /** Options of the pool's runtimes (copied), or NULL for the defaults. */
  const vh_runtime_options *runtime_options;
  /** Called for each new runtime; may be NULL. */
  vh_pool_runtime_cb runtime_setup;
  /** Called for each new engine and after each reset; may be NULL. */
  vh_pool_engine_cb engine_setup;
  /** Handed to both callbacks. */
  void *data;
} vh_pool_options;

/**
 * @brief Fills @p options with the defaults (max_size 1, the rest 0) and sets its struct_size.
 * @param options must not be NULL.
 * @return ::VH_OK, or ::VH_EINVAL when @p options is NULL. Any thread.
 */
static inline int vh_pool_options_init(vh_pool_options *options) {
  if (!options) return VH_EINVAL;
  memset(options, 0, sizeof *options);
  options->struct_size = sizeof *options;
  options->max_size = 1;
  return VH_OK;
}

/**
 * @brief Creates a pool of engines, each in a runtime of its own (so engines handed out to
 *        different threads run in parallel), and makes min_size of them now.
 * @param options filled by vh_pool_options_init(); must not be NULL.
 * @param[out] out receives the pool; must not be NULL; untouched on failure.
 * @return ::VH_OK; ::VH_EINVAL (NULL, max_size 0 or below min_size, a NULL snapshot with a
 *         length); ::VH_EVERSION; ::VH_EBADDATA (the snapshot, as vh_snapshot_check()); a code
 *         of vh_runtime_new(), vh_engine_new() or a callback (no pool is made).
 * @par Thread: any. The callbacks run on the calling thread.
 * @par Ownership: dispose the pool with vh_pool_dispose().
 */
VH_API int vh_pool_new(const vh_pool_options *options, vh_pool *out);

/**
 * @brief Hands out an engine of the pool, for the caller alone until vh_pool_release(): an
 *        idle one, or a new one (the callbacks run on this thread) when none is idle and fewer
 *        than max_size exist.
 * @param pool the pool.
 * @param[out] out receives the engine; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; ::VH_EBUSY (max_size handed out, wait_ms 0);
 *         ::VH_ETIMEDOUT (none came back within wait_ms); a code of making an engine.
 * @par Thread: any; threads may acquire and release at once (the pool's callbacks then run on
 *      several threads at once).
 */
VH_API int vh_pool_acquire(vh_pool pool, vh_engine *out);

/**
 * @brief Gives an engine back to the pool: it is reset (vh_engine_reset()), set up again, and
 *        handed to a later vh_pool_acquire(). An engine that cannot be reset or set up is
 *        disposed instead. Idle engines past idle_ms are trimmed here.
 * @param pool the pool.
 * @param engine an engine this pool handed out and not taken back yet.
 * @return ::VH_OK; ::VH_EINVAL (an engine not handed out by this pool, or released already);
 *         ::VH_EDISPOSED; ::VH_EBUSY (a scope is still open on it: it stays the caller's).
 * @par Thread: any; the thread must not hold a scope of the engine's runtime.
 */
VH_API int vh_pool_release(vh_pool pool, vh_engine engine);

/**
 * @brief Disposes the idle engines (beyond min_size) that have been idle for idle_ms or more.
 *        A pool never trims on its own between calls: call this from a timer.
 * @param pool the pool.
 * @param[out] disposed receives how many were disposed; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED.
 * @par Thread: any.
 */
VH_API int vh_pool_trim(vh_pool pool, size_t *disposed);

/**
 * @brief Disposes the pool and its idle engines (and their runtimes).
 * @param pool the pool.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; ::VH_EBUSY (an engine is still handed out).
 * @par Thread: any, while no other thread uses the pool or is about to.
 */
VH_API int vh_pool_dispose(vh_pool pool);

#ifdef __cplusplus
}
#endif
#endif
