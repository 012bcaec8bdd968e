/**
 * @file v8host/runtime.h
 * @brief Runtimes (V8 isolates), engines (V8 contexts), and evaluating scripts.
 *
 * A runtime is heavy (about a millisecond and a few MiB); runtimes run in parallel on different
 * threads. An engine is light; a runtime holds any number of them, and objects pass between the
 * engines of one runtime as the very same objects. Any thread may use a runtime, one thread at a
 * time: opening a scope (v8host/scope.h) takes the runtime's lock, closing the outermost scope
 * releases it.
 */
#ifndef V8HOST_RUNTIME_H
#define V8HOST_RUNTIME_H

#include "v8host/api.h"

#include <string.h>

#include "v8host/errors.h"
#include "v8host/types.h"

struct uv_loop_s; /* libuv's uv_loop_t */

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Options for vh_runtime_new(). Versioned by its size: fill it with
 * vh_runtime_options_init(), then change the fields you need.
 *
 * A program compiled against an older header passes a smaller struct: the library uses the
 * defaults for the fields it lacks. One compiled against a newer header passes a larger one: the
 * library accepts it when every field it does not know is zero (the default), and refuses it
 * with ::VH_EVERSION otherwise.
 */
typedef struct vh_runtime_options {
  /** sizeof(vh_runtime_options) as the caller compiled it; set by vh_runtime_options_init(). */
  size_t struct_size;
  /** The most the runtime's JavaScript heap may use, in bytes; 0 for V8's default (which
   *  depends on the machine's memory). A script that needs more is stopped: its call returns
   *  ::VH_EHEAPLIMIT and the runtime stays usable (see vh_runtime_new()). At least 8 MiB. */
  size_t heap_max_bytes;
  /** How long an operation on a host proxy in this runtime waits for the proxied object's
   *  runtime when another thread holds it, in milliseconds, before it throws an Error
   *  "VH_ETIMEDOUT: ..."; 0 for the default, 10000; UINT64_MAX to wait without limit. */
  uint64_t proxy_wait_ms;
  /** The libuv loop (a uv_loop_t) the runtime's work runs on, or NULL for a loop of its own. A
   *  host loop must outlive the runtime, and the host keeps running it: the runtime's handles
   *  close on it after disposal. Tasks posted to the runtime do not keep a host loop alive (a
   *  host loop with no handles of its own returns at once from uv_run); vh_runtime_run() runs
   *  them on it. */
  struct uv_loop_s *loop;
} vh_runtime_options;

/**
 * @brief Fills @p options with the defaults and sets its struct_size. Inline, so that the size
 *        recorded is the one the caller was compiled with.
 * @param options must not be NULL.
 * @return ::VH_OK, or ::VH_EINVAL when @p options is NULL. Any thread.
 */
static inline int vh_runtime_options_init(vh_runtime_options *options) {
  if (!options) return VH_EINVAL;
  memset(options, 0, sizeof *options);
  options->struct_size = sizeof *options;
  return VH_OK;
}

/** Flags of vh_process_options.flags. */
typedef enum vh_process_flag {
  /**
   * Resizable ArrayBuffer and growable SharedArrayBuffer on a V8 that keeps them behind
   * `--harmony-rab-gsab` (V8 before 11.1, such as Debian's 10.2). UNSAFE there: V8 10.2's
   * implementation is unfinished, and one line of script (`Atomics.load` on a view over a
   * resizable or growable buffer) ends the process with a fatal CHECK. Set it only for trusted
   * scripts. On V8 11.1 and later both features are on by default and this flag changes
   * nothing. See docs/limits.md, "What the engine enables".
   */
  VH_PROCESS_FLAG_UNSAFE_RAB_GSAB = 1u << 0
} vh_process_flag;

/**
 * @brief Process-wide options for vh_process_configure(). Versioned by its size, as
 *        vh_runtime_options: fill it with vh_process_options_init().
 */
typedef struct vh_process_options {
  /** sizeof(vh_process_options) as the caller compiled it; set by vh_process_options_init(). */
  size_t struct_size;
  /** A mix of VH_PROCESS_FLAG_*; 0 (the default) for the safe configuration. */
  uint64_t flags;
} vh_process_options;

/**
 * @brief Fills @p options with the defaults and sets its struct_size (inline, as
 *        vh_runtime_options_init()).
 * @param[out] options the options to fill; must not be NULL.
 * @return ::VH_OK, or ::VH_EINVAL when @p options is NULL. Any thread.
 */
static inline int vh_process_options_init(vh_process_options *options) {
  if (!options) return VH_EINVAL;
  memset(options, 0, sizeof *options);
  options->struct_size = sizeof *options;
  return VH_OK;
}

/**
 * @brief Sets process-wide options, which V8 reads once, when the first runtime starts it.
 *
 * Call it before the first vh_runtime_new() (or vh_worker_start()) of the process; it may be
 * called several times before that, the last call winning. Without it, V8 starts with the
 * defaults (every flag 0).
 *
 * @param options must not be NULL; filled by vh_process_options_init().
 * @return ::VH_OK; ::VH_EINVAL (@p options NULL, or an unknown flag); ::VH_EVERSION (an unknown
 *         struct_size); ::VH_EBUSY (V8 has already started: the options in force stay as they
 *         are).
 * @par Thread: any; safe while other threads create their first runtimes (then either the
 *      options apply to the start, or the call returns ::VH_EBUSY).
 */
VH_API int vh_process_configure(const vh_process_options *options);

/**
 * @brief Creates a runtime (a V8 isolate).
 *
 * The first call in the process also starts V8 (its platform, and the process-wide options of
 * vh_process_configure()); that start-up is safe when several threads create runtimes at once.
 *
 * Heap limit: when a script's allocations reach heap_max_bytes, V8 would abort the process. The
 * runtime instead lets the heap grow past the limit for a moment so the script can be stopped:
 * the call that ran it returns ::VH_EHEAPLIMIT (so does every call of the host callbacks nested
 * in it), no exception is pending, and once that call returns the configured limit is in force
 * again: used heap at most heap_max_bytes plus max(heap_max_bytes / 2, 16 MiB). A runtime whose
 * script kept more than 80% of its limit stays stopped (its calls return ::VH_EHEAPLIMIT at
 * once) until the host releases what holds it and calls vh_runtime_gc(). Other runtimes are
 * unaffected. See docs/limits.md.
 *
 * @param options NULL for the defaults, or a struct filled by vh_runtime_options_init().
 * @param[out] out receives the runtime; must not be NULL; untouched on failure.
 * @return ::VH_OK; ::VH_EINVAL (@p out NULL, or heap_max_bytes set below 8 MiB); ::VH_EVERSION
 *         (an unknown struct_size); ::VH_ENOMEM.
 * @par Thread: any. The runtime is not bound to the creating thread.
 * @par Ownership: the caller disposes the runtime with vh_runtime_dispose().
 */
VH_API int vh_runtime_new(const vh_runtime_options *options, vh_runtime *out);

/**
 * @brief Whether two runtime handles name the same runtime (the handles' fields are private: do
 *        not compare them yourself). Two empty handles are equal; a disposed runtime's handle
 *        stays equal to its copies and to no other runtime's. Never fails.
 * @param a a runtime handle, empty or stale allowed.
 * @param b a runtime handle, empty or stale allowed.
 * @return true when they are the same handle. Any thread; never takes a lock.
 */
VH_API bool vh_runtime_equal(vh_runtime a, vh_runtime b);

/**
 * @brief Disposes a runtime, and with it every engine and reference it still holds.
 *
 * Handles of those engines and references become stale: later calls give ::VH_EDISPOSED.
 * Values of the runtime can no longer be open, since no scope may be open (see below).
 *
 * @param runtime the runtime.
 * @return ::VH_OK; ::VH_EINVAL (empty handle); ::VH_EDISPOSED (already disposed); ::VH_EBUSY (a
 *         scope is open on it, on this thread or another; its loop is running, here or on
 *         another thread (a worker's: use vh_worker_stop()); a thread waits in one of its proxy
 *         operations; nothing was disposed).
 * @par Thread: any thread, while no other thread uses the runtime or is about to.
 */
VH_API int vh_runtime_dispose(vh_runtime runtime);

/**
 * @brief Runs a full garbage collection in the runtime now. Meant for tests and diagnostics, and
 *        to resume a runtime kept stopped because its heap stayed full (docs/limits.md): once
 *        the collection finds the heap back under its limit (with no script of the runtime
 *        running on this thread), its scripts run again.
 * @param runtime the runtime.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_runtime_gc(vh_runtime runtime);

/**
 * @brief Stops the JavaScript running in @p runtime now, from any thread.
 *
 * The call that was running it (and every host callback's call nested in it) returns
 * ::VH_ETERMINATED; the runtime works normally afterwards. When no script is running, the next
 * one to start is stopped instead (V8's rule), so a host that terminates "just in case" should
 * expect that.
 *
 * @param runtime the runtime.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED.
 * @par Thread: any, without the runtime's lock. Safe against the runtime's concurrent disposal.
 */
VH_API int vh_runtime_terminate(vh_runtime runtime);

/**
 * @brief Sets a deadline for the scripts of @p runtime: when it passes while a script runs, the
 *        script is stopped and its call returns ::VH_ETIMEDOUT (the runtime works afterwards).
 *
 * @param runtime the runtime.
 * @param timeout_ms milliseconds from now; 0 clears the deadline (one that already passed while
 *        no script ran is cancelled as well). The deadline stays until it fires or is cleared:
 *        set it before a call and clear it after.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED.
 * @par Thread: any.
 */
VH_API int vh_runtime_set_deadline(vh_runtime runtime, uint64_t timeout_ms);

/**
 * @brief Called on the thread running the runtime's script, at a point where it is safe to stop
 *        (see vh_runtime_interrupt()). It may call vh_runtime_terminate(); it must not call
 *        v8host functions that need a scope.
 */
typedef void (*vh_interrupt_cb)(vh_runtime runtime, void *data);

/**
 * @brief Asks the thread running @p runtime's script to call @p fn soon, from any thread. If no
 *        script is running, it is called when the next one runs.
 * @param runtime the runtime.
 * @param fn called on the thread running the script; must not be NULL.
 * @param data handed to @p fn; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL (NULL fn); ::VH_EDISPOSED.
 * @par Thread: any, without the runtime's lock.
 */
VH_API int vh_runtime_interrupt(vh_runtime runtime, vh_interrupt_cb fn, void *data);

/** Heap statistics of a runtime, in bytes. */
typedef struct vh_heap_stats {
  size_t used;        /**< live objects and garbage not yet collected */
  size_t total;       /**< heap memory reserved by V8 */
  size_t limit;       /**< the most the heap may use (heap_max_bytes or V8's default) */
  size_t external;    /**< memory held outside the heap for it (e.g. ArrayBuffer contents) */
  size_t malloced;    /**< memory V8 allocated with malloc for this runtime */
} vh_heap_stats;

/**
 * @brief The runtime's heap statistics.
 * @param runtime the runtime.
 * @param[out] out must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_runtime_heap_stats(vh_runtime runtime, vh_heap_stats *out);

/**
 * @brief Runs the runtime's microtask queue (promise reactions) until it is empty.
 *
 * Microtasks never run on their own: a promise's `then` callbacks run when the host calls this,
 * or when the runtime's loop runs (after every task, timer and async completion; see loop.h).
 * Exceptions thrown by reactions do not propagate here; they reject the promises the reactions
 * return. Unhandled rejections left afterwards are reported (vh_runtime_set_error_handler()).
 *
 * @param runtime the runtime.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; ::VH_EHEAPLIMIT, ::VH_ETERMINATED, ::VH_ETIMEDOUT
 *         (a reaction was stopped by the heap limit, vh_runtime_terminate() or a deadline: the
 *         microtasks still queued are dropped, no rejection of them is reported, and the runtime
 *         works afterwards; see docs/limits.md).
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_runtime_run_microtasks(vh_runtime runtime);

/**
 * @brief Options for vh_engine_new(); versioned by size like ::vh_runtime_options.
 */
typedef struct vh_engine_options {
  /** sizeof(vh_engine_options) as the caller compiled it; set by vh_engine_options_init(). */
  size_t struct_size;
  /** Reserved; must be 0. (64 bits: no tail padding, so every later field changes the size.) */
  uint64_t reserved_flags;
} vh_engine_options;

/**
 * @brief Fills @p options with the defaults and sets its struct_size (inline, as
 *        vh_runtime_options_init()).
 * @param options must not be NULL.
 * @return ::VH_OK, or ::VH_EINVAL when @p options is NULL. Any thread.
 */
static inline int vh_engine_options_init(vh_engine_options *options) {
  if (!options) return VH_EINVAL;
  memset(options, 0, sizeof *options);
  options->struct_size = sizeof *options;
  return VH_OK;
}

/**
 * @brief Creates an engine (a V8 context) in @p runtime.
 * @param runtime the runtime to create it in.
 * @param options NULL for the defaults, or a struct filled by vh_engine_options_init().
 * @param[out] out receives the engine; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EVERSION; ::VH_EDISPOSED (the runtime); ::VH_ENOMEM.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 * @par Ownership: dispose it with vh_engine_dispose(), or let vh_runtime_dispose() do so.
 */
VH_API int vh_engine_new(vh_runtime runtime, const vh_engine_options *options, vh_engine *out);

/**
 * @brief Creates an engine in a private runtime of its own, disposed together with the engine.
 * @param runtime_options as for vh_runtime_new() (NULL for defaults).
 * @param engine_options as for vh_engine_new() (NULL for defaults).
 * @param[out] out receives the engine; must not be NULL.
 * @return as vh_runtime_new() and vh_engine_new().
 * @par Thread: any.
 */
VH_API int vh_engine_new_private(const vh_runtime_options *runtime_options,
                          const vh_engine_options *engine_options, vh_engine *out);

/**
 * @brief Disposes an engine. Its objects stay valid wherever they are still referenced: values
 * in open scopes, references, and other engines of the runtime keep working.
 *
 * An engine created by vh_engine_new_private() also disposes its runtime.
 *
 * @param engine the engine.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED (already disposed); ::VH_EBUSY (a scope opened
 *         on this engine is still open, or, for a private engine, any scope on its runtime: a
 *         private engine's disposal never waits, as disposing a runtime never does).
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_engine_dispose(vh_engine engine);

/**
 * @brief Whether two engine handles name the same engine (the handles' fields are private: do
 *        not compare them yourself). Two empty handles are equal; a disposed engine's handle
 *        stays equal to its copies and to no other engine's. Never fails.
 * @param a an engine handle, empty or stale allowed.
 * @param b an engine handle, empty or stale allowed.
 * @return true when they are the same handle. Any thread; never takes a lock.
 */
VH_API bool vh_engine_equal(vh_engine a, vh_engine b);

/**
 * @brief The runtime an engine lives in.
 * @param engine the engine.
 * @param[out] out must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED. Any thread.
 */
VH_API int vh_engine_runtime(vh_engine engine, vh_runtime *out);

/**
 * @brief Compiles and runs a classic script in @p engine's global scope.
 *
 * @param engine where to run it; a scope of its runtime must be open on this thread.
 * @param source the script's text, UTF-8 (invalid sequences become U+FFFD); must not be NULL.
 * @param length its length in bytes, or ::VH_AUTO_LENGTH when NUL-terminated. Embedded NUL bytes
 *        are part of the source when a length is given.
 * @param resource_name the name stack traces and exceptions report (a file name or URL); NULL
 *        for "<anonymous>".
 * @param[out] out receives the completion value in the current scope; may be NULL to drop it.
 * @return ::VH_OK; ::VH_EEXCEPTION (a SyntaxError or a throw; the exception is pending in the
 *         engine, see vh_exception_take()); ::VH_EPENDING_EXCEPTION; ::VH_EINVAL; ::VH_ERANGE
 *         (source longer than V8's maximum string length); ::VH_EDISPOSED; ::VH_ENOSCOPE;
 *         ::VH_EWRONG_THREAD; ::VH_ETERMINATED.
 * @par Thread: the thread holding the runtime's lock (the one with a scope open on it).
 */
VH_API int vh_eval(vh_engine engine, const char *source, size_t length, const char *resource_name,
            vh_value *out);

/**
 * @brief The engine's global object.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param[out] out receives it in the current scope; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; ::VH_ENOSCOPE; ::VH_EWRONG_THREAD.
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_engine_global(vh_engine engine, vh_value *out);

#ifdef __cplusplus
}
#endif
#endif
