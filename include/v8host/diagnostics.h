/**
 * @file v8host/diagnostics.h
 * @brief What a runtime is doing: memory pressure, the host's say near the heap limit, garbage
 *        collection hooks, CPU profiles and heap snapshots.
 *
 * See docs/diagnostics.md. Heap statistics: vh_runtime_heap_stats() (runtime.h).
 */
#ifndef V8HOST_DIAGNOSTICS_H
#define V8HOST_DIAGNOSTICS_H

#include "v8host/api.h"
#include "v8host/types.h"
#include "v8host/runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How short of memory the system is, for vh_runtime_memory_pressure(). */
typedef enum vh_memory_pressure {
  VH_MEMORY_PRESSURE_NONE = 0,  /**< back to normal */
  VH_MEMORY_PRESSURE_MODERATE,  /**< V8 collects more eagerly */
  VH_MEMORY_PRESSURE_CRITICAL   /**< V8 collects as much as it can, as soon as it can */
} vh_memory_pressure;

/**
 * @brief Tells the runtime's V8 how short of memory the system is (V8's
 *        MemoryPressureNotification). With ::VH_MEMORY_PRESSURE_CRITICAL from the thread holding
 *        the runtime, a full garbage collection runs before the call returns; from any other
 *        thread V8 schedules it for the thread that runs the runtime next.
 * @param runtime the runtime.
 * @param level how short of memory the system is.
 * @return ::VH_OK; ::VH_EINVAL (empty handle, unknown level); ::VH_EDISPOSED.
 * @par Thread: any; never waits for the runtime's lock.
 */
VH_API int vh_runtime_memory_pressure(vh_runtime runtime, vh_memory_pressure level);

/**
 * Called when a running script brings the runtime's heap near its limit, before the library
 * stops the script with ::VH_EHEAPLIMIT. Runs on the thread running the script, inside V8's
 * garbage collector: it must not call v8host (or V8); log, decide, return.
 * @param runtime the runtime.
 * @param current_limit the heap limit now, in bytes.
 * @param initial_limit the limit the runtime was made with.
 * @param data the pointer given to vh_runtime_set_heap_limit_cb().
 * @return a new limit above @p current_limit to let the script go on (honoured once per
 *         runtime: after that the callback is still told, but the script is stopped); 0 (or
 *         anything not above @p current_limit) to let the library stop the script.
 */
typedef size_t (*vh_heap_limit_cb)(vh_runtime runtime, size_t current_limit, size_t initial_limit,
                                   void *data);

/**
 * @brief Sets (or with NULL, removes) the runtime's near-heap-limit callback.
 * @param runtime the runtime.
 * @param cb may be NULL.
 * @param data handed to @p cb; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL (empty handle); ::VH_EDISPOSED.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_runtime_set_heap_limit_cb(vh_runtime runtime, vh_heap_limit_cb cb, void *data);

/** One space of the V8 heap, in ::vh_runtime_stats. */
typedef struct vh_heap_space {
  char name[32];    /**< V8's name: "new_space", "old_space", "code_space", ... (NUL-terminated) */
  size_t size;      /**< bytes reserved for the space */
  size_t used;      /**< bytes of objects in it */
  size_t available; /**< bytes still free in it */
} vh_heap_space;

/** The most heap spaces ::vh_runtime_stats reports (V8 10.2 has 8). */
#define VH_HEAP_SPACE_MAX 16

/**
 * What a runtime holds, for vh_runtime_stats_get(); versioned by size: fields may be added at
 * the end in later versions, and struct_size tells a newer caller how much was filled.
 */
typedef struct vh_runtime_stats {
  /** sizeof(vh_runtime_stats) as the caller compiled it; set it before the call. */
  size_t struct_size;
  vh_heap_stats heap;         /**< as vh_runtime_heap_stats() gives them */
  size_t engines;             /**< live engines */
  size_t references;          /**< live references (vh_ref) */
  size_t class_instances;     /**< live instances of host classes, not yet finalized */
  size_t proxies_imported;    /**< host proxies living in this runtime for objects of others
                                   (one whose runtime was disposed counts until collected) */
  size_t space_count;         /**< entries of @ref spaces filled */
  vh_heap_space spaces[VH_HEAP_SPACE_MAX]; /**< the heap's spaces */
  /**
   * Host proxies living in other runtimes for objects of this one (added after the struct's
   * first release, which ends at `spaces`: a caller compiled against that does not get it).
   * One per proxy: an object seen from two runtimes counts twice; a proxy made by forwarding a
   * proxy of this runtime's object (A -> B -> C) counts as one of this runtime's. It drops when
   * such a proxy is collected in its runtime (that runtime's garbage collection, not this
   * one's), when its runtime is disposed, and to 0 when this runtime is disposed.
   */
  size_t proxies_exported;
} vh_runtime_stats;

/**
 * @brief The runtime's statistics: heap totals and per space, and the library's objects in it.
 * @param runtime the runtime.
 * @param[in,out] out struct_size set by the caller; must not be NULL. A struct_size at least the
 *        first release's (offsetof(vh_runtime_stats, proxies_exported)) but below
 *        sizeof(vh_runtime_stats) gets the first release's fields only; nothing past
 *        struct_size is written.
 * @return ::VH_OK (struct_size set to the size filled: at most the caller's); ::VH_EINVAL (NULL,
 *         empty handle); ::VH_EVERSION (struct_size smaller than this struct's first release);
 *         ::VH_EDISPOSED.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 *      Costs a few counters and V8's heap statistics: no walk over the heap.
 */
VH_API int vh_runtime_stats_get(vh_runtime runtime, vh_runtime_stats *out);

/** What kind of garbage collection a ::vh_gc_cb is told about (V8's GCType). */
typedef enum vh_gc_kind {
  VH_GC_KIND_SCAVENGE = 1,     /**< a young-generation collection (V8's scavenge or minor mark-compact) */
  VH_GC_KIND_MARK_COMPACT,     /**< a full collection (V8's mark-sweep-compact) */
  VH_GC_KIND_INCREMENTAL,      /**< incremental marking of a full collection begins */
  VH_GC_KIND_WEAK_PROCESSING   /**< V8 runs the weak callbacks a collection left (finalizers) */
} vh_gc_kind;

/** Whether a ::vh_gc_cb is told of a collection's start or end. */
typedef enum vh_gc_phase {
  VH_GC_PHASE_START = 1, /**< before the collection (V8's GC prologue) */
  VH_GC_PHASE_END        /**< after it (V8's GC epilogue) */
} vh_gc_phase;

/**
 * Told at the start and at the end of each garbage collection of a runtime. Runs on the thread
 * holding the runtime, inside V8's garbage collector: it must not call v8host for that runtime
 * (nor V8), and must return quickly (the runtime's script waits). Collections may nest (a
 * ::VH_GC_KIND_WEAK_PROCESSING pair inside or right after a ::VH_GC_KIND_MARK_COMPACT one); each
 * start is followed by one end of the same kind while the callback stays set.
 * @param runtime the runtime collecting.
 * @param kind what kind of collection.
 * @param phase its start or its end.
 * @param data the pointer given to vh_runtime_set_gc_cb().
 */
typedef void (*vh_gc_cb)(vh_runtime runtime, vh_gc_kind kind, vh_gc_phase phase, void *data);

/**
 * @brief Sets (or with NULL, removes) the runtime's garbage collection callback (V8's GC
 *        prologue and epilogue callbacks). A new callback replaces the previous one. Once this
 *        call returns with NULL, or once vh_runtime_dispose() began, the callback is never
 *        called again.
 * @param runtime the runtime.
 * @param cb may be NULL (removes it).
 * @param data handed to @p cb; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL (empty handle); ::VH_EDISPOSED.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 *      Not from inside a ::vh_gc_cb (it runs inside V8's collector).
 */
VH_API int vh_runtime_set_gc_cb(vh_runtime runtime, vh_gc_cb cb, void *data);

/**
 * Receives output piece by piece (a CPU profile, a heap snapshot). Runs on the calling thread,
 * inside the call that produces the output; must not call v8host for the same runtime.
 * @param data @p length bytes of UTF-8 JSON, not NUL-terminated.
 * @param length the number of bytes at @p data.
 * @param user the pointer given with the callback.
 * @return ::VH_OK to go on; any other value stops the output, and the call returns it.
 */
typedef int (*vh_write_cb)(const char *data, size_t length, void *user);

/**
 * @brief Starts sampling the runtime's JavaScript (V8's CPU profiler, one sample per
 *        @p interval_us microseconds) until vh_runtime_cpu_profile_stop().
 * @param runtime the runtime.
 * @param interval_us the sampling interval, 50 to 1000000; 0 for the default (1000).
 * @return ::VH_OK; ::VH_EINVAL (empty handle); ::VH_ERANGE (interval); ::VH_EBUSY (a profile is
 *         running already); ::VH_EDISPOSED.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_runtime_cpu_profile_start(vh_runtime runtime, uint32_t interval_us);

/**
 * @brief Stops the profile vh_runtime_cpu_profile_start() started and writes it through
 *        @p write in the `.cpuprofile` JSON format (what Chrome DevTools and speedscope open:
 *        `nodes` with `id`, `callFrame` {`functionName`, `scriptId`, `url`, `lineNumber`,
 *        `columnNumber`, 0-based}, `hitCount`, `children`; `startTime`, `endTime` in
 *        microseconds; `samples`; `timeDeltas`).
 * @param runtime the runtime.
 * @param write must not be NULL.
 * @param user handed to @p write; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL (empty handle, NULL @p write, no profile running);
 *         ::VH_EDISPOSED; ::VH_ENOMEM; what @p write returned to stop. The profile is stopped
 *         and freed in every case but ::VH_EINVAL.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_runtime_cpu_profile_stop(vh_runtime runtime, vh_write_cb write, void *user);

/**
 * @brief Takes a heap snapshot of the runtime and writes it through @p write in the
 *        `.heapsnapshot` JSON format (what Chrome DevTools opens).
 * @param runtime the runtime.
 * @param write must not be NULL.
 * @param user handed to @p write; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; what @p write returned to stop.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 *      Takes time and memory in proportion to the heap.
 */
VH_API int vh_runtime_heap_snapshot(vh_runtime runtime, vh_write_cb write, void *user);

#ifdef __cplusplus
}
#endif
#endif
