/**
 * @file v8host/diagnostics.h
 * @brief What a runtime is doing: memory pressure, the host's say near the heap limit, CPU
 *        profiles and heap snapshots.
 *
 * See docs/diagnostics.md. Heap statistics: vh_runtime_heap_stats() (runtime.h).
 */
#ifndef V8HOST_DIAGNOSTICS_H
#define V8HOST_DIAGNOSTICS_H

#include "v8host/api.h"
#include "v8host/types.h"

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
 * @param cb may be NULL. @param data handed to @p cb; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL (empty handle); ::VH_EDISPOSED.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_runtime_set_heap_limit_cb(vh_runtime runtime, vh_heap_limit_cb cb, void *data);

/**
 * Receives output piece by piece (a CPU profile, a heap snapshot). Runs on the calling thread,
 * inside the call that produces the output; must not call v8host for the same runtime.
 * @param data @p length bytes of UTF-8 JSON, not NUL-terminated.
 * @param user the pointer given with the callback.
 * @return ::VH_OK to go on; any other value stops the output, and the call returns it.
 */
typedef int (*vh_write_cb)(const char *data, size_t length, void *user);

/**
 * @brief Starts sampling the runtime's JavaScript (V8's CPU profiler, one sample per
 *        @p interval_us microseconds) until vh_runtime_cpu_profile_stop().
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
 * @param write must not be NULL. @param user handed to @p write; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL (empty handle, NULL @p write, no profile running);
 *         ::VH_EDISPOSED; ::VH_ENOMEM; what @p write returned to stop. The profile is stopped
 *         and freed in every case but ::VH_EINVAL.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_runtime_cpu_profile_stop(vh_runtime runtime, vh_write_cb write, void *user);

/**
 * @brief Takes a heap snapshot of the runtime and writes it through @p write in the
 *        `.heapsnapshot` JSON format (what Chrome DevTools opens).
 * @param write must not be NULL. @param user handed to @p write; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; what @p write returned to stop.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 *      Takes time and memory in proportion to the heap.
 */
VH_API int vh_runtime_heap_snapshot(vh_runtime runtime, vh_write_cb write, void *user);

#ifdef __cplusplus
}
#endif
#endif
