/**
 * @file v8host/loop.h
 * @brief The event loop: libuv drives each runtime's asynchronous work, as in Node.js.
 *
 * Every runtime has a libuv loop: its own, or one the host hands it in vh_runtime_options.
 * Running the loop (vh_runtime_run(), or a worker's thread) runs, in order of their arrival:
 * tasks posted from any thread, timers, work finished on libuv's thread pool (async host
 * functions), and V8's own platform tasks for the runtime (garbage collection, delayed tasks).
 * After each of these, the runtime's microtasks run (promise reactions), then unhandled promise
 * rejections are reported. An exception that escapes a task or timer callback is reported too
 * (vh_runtime_set_error_handler()); the loop goes on.
 *
 * Callbacks take the runtime's lock when they run: the thread running the loop need not hold
 * it, and other threads may use the runtime between callbacks.
 */
#ifndef V8HOST_LOOP_H
#define V8HOST_LOOP_H

#include "v8host/api.h"
#include "v8host/exception.h"
#include "v8host/runtime.h"
#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

struct uv_loop_s; /* libuv's uv_loop_t; include <uv.h> to use it */

/** How vh_runtime_run() runs, as uv_run's modes. */
typedef enum vh_run_mode {
  VH_RUN_MODE_DEFAULT = 0, /**< until nothing is left to do (no pending task, timer or work) */
  VH_RUN_MODE_ONCE,        /**< one iteration, waiting for something to do if nothing is ready */
  VH_RUN_MODE_NOWAIT       /**< one iteration, without waiting */
} vh_run_mode;

/**
 * @brief Runs the runtime's loop.
 *
 * @param runtime the runtime.
 * @param mode as uv_run's.
 * @param[out] alive set to whether work remains (pending tasks, active timers or work); may be
 *        NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; ::VH_EBUSY (the loop is already running: on
 *         another thread, or this call was made from inside one of its callbacks; also a
 *         worker's loop, which its own thread runs); ::VH_EHEAPLIMIT, ::VH_ETERMINATED,
 *         ::VH_ETIMEDOUT (script the run started was stopped by the heap limit,
 *         vh_runtime_terminate() or a deadline, or a terminate or deadline came while the run
 *         waited: the run ends after that callback, what is still pending stays for the next
 *         run, and @p alive says whether any is; see docs/limits.md).
 * @par Thread: any, with or without a scope open on the runtime; one at a time.
 */
VH_API int vh_runtime_run(vh_runtime runtime, vh_run_mode mode, bool *alive);

/**
 * @brief The runtime's libuv loop, for the host's own handles. Do not close it.
 * @param runtime the runtime.
 * @param[out] out must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED. Any thread.
 */
VH_API int vh_runtime_loop(vh_runtime runtime, struct uv_loop_s **out);

/**
 * @brief A task posted to an engine.
 *
 * @param engine the engine, with a scope open on it (values made here die when the task
 *        returns); the empty handle when @p status is not ::VH_OK.
 * @param status ::VH_OK when it runs; ::VH_EDISPOSED when the engine or its runtime was
 *        disposed before it could run — then free @p data and return.
 * @param data the poster's data.
 */
typedef void (*vh_task_cb)(vh_engine engine, int status, void *data);

/**
 * @brief Posts @p task to run on @p engine's loop. Never runs it inline.
 *
 * Tasks run in the order they were posted (from one thread); each exactly once — with
 * ::VH_EDISPOSED if the engine or runtime goes away first.
 *
 * @param engine the engine to run @p task on.
 * @param task must not be NULL.
 * @param data handed to @p task; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL (NULL task, empty handle); ::VH_EDISPOSED (the engine or its
 *         runtime is gone: the task will not be called); ::VH_ENOMEM.
 * @par Thread: any. Safe to call concurrently with the runtime's disposal.
 */
VH_API int vh_engine_post(vh_engine engine, vh_task_cb task, void *data);

/**
 * @brief Posts @p task and waits until it has run.
 *
 * When the calling thread holds the runtime's lock (inside a callback, or with a scope open on
 * the runtime) the task runs at once on this thread: waiting for the loop would deadlock.
 * Otherwise someone must be running the runtime's loop (a worker, or a thread in
 * vh_runtime_run()).
 *
 * @param engine the engine to run @p task on.
 * @param task must not be NULL.
 * @param data handed to @p task; may be NULL.
 * @return ::VH_OK (it ran); ::VH_EDISPOSED (the engine or runtime went away before or while
 *         waiting: the task was called with ::VH_EDISPOSED, or not at all when this is returned
 *         at once); ::VH_EINVAL; ::VH_ENOMEM; ::VH_EDEADLK (the thread running the loop waits,
 *         directly or through other threads, for something this thread holds, such as its
 *         runtime's lock or its own loop, or this thread runs that loop itself: the task could
 *         never run; it is called off and never called, and @p data stays the caller's).
 * @par Thread: any.
 */
VH_API int vh_engine_post_and_wait(vh_engine engine, vh_task_cb task, void *data);

/** A worker: a runtime living on a thread of its own, running its loop. */
typedef struct vh_worker {
  uint64_t id_;
} vh_worker;

/**
 * @brief Sets up a worker's engine, on the worker's thread, before its loop starts.
 * @param engine the worker's engine, with a scope open on it.
 * @param data the data given to vh_worker_start().
 * @return ::VH_OK to start the loop; a negative code stops the worker: vh_worker_start()
 *         returns that code.
 */
typedef int (*vh_worker_init_cb)(vh_engine engine, void *data);

/**
 * @brief Starts a worker: a thread that makes a runtime (with @p options) and an engine, calls
 *        @p init there, then runs the loop until vh_worker_stop(). Returns once init has run.
 *
 * The loop keeps running while idle, waiting for posted tasks.
 *
 * @param options for the worker's runtime, as for vh_runtime_new(); may be NULL.
 * @param init may be NULL.
 * @param data handed to @p init; may be NULL.
 * @param[out] out the worker; must not be NULL.
 * @param[out] engine the worker's engine, to post tasks to; may be NULL.
 * @return ::VH_OK; init's code; the codes of vh_runtime_new(); ::VH_ENOMEM (no thread).
 * @par Thread: any.
 */
VH_API int vh_worker_start(const vh_runtime_options *options, vh_worker_init_cb init, void *data,
                           vh_worker *out, vh_engine *engine);

/**
 * @brief Stops a worker cleanly: tasks already posted run, then the loop stops, the runtime is
 *        disposed (timers cancelled, tasks posted later called with ::VH_EDISPOSED) and the
 *        thread is joined.
 * @param worker the worker.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED (stopped already); ::VH_EBUSY (called from the
 *         worker's own thread, or from a thread that holds the worker's runtime: nothing is
 *         done); ::VH_EDEADLK (the worker's thread waits, directly or through other threads,
 *         for something this thread holds, e.g. two workers stopping each other from tasks:
 *         the stop request stays queued, the worker stops when its loop reaches it and its
 *         thread then ends on its own; the handle is spent either way).
 * @par Thread: any other than the worker's.
 */
VH_API int vh_worker_stop(vh_worker worker);

/** Counters of a runtime's loop, for diagnostics and tests. */
typedef struct vh_loop_stats {
  /** Tasks that went through the runtime's cross-thread task queue since it was made: those of
   *  vh_engine_post() and vh_engine_post_and_wait() (but not a vh_engine_post_and_wait() run at once on the calling
   *  thread), and the library's own, such as a timer started or cleared from a thread other
   *  than the one running the loop. A timer started or cleared on the loop's own thread (in a
   *  task or timer callback) or while nobody runs the loop does not count. */
  uint64_t tasks_posted;
} vh_loop_stats;

/**
 * @brief Reads the counters of the runtime's loop.
 * @param runtime the runtime.
 * @param[out] out must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED.
 * @par Thread: any; waits for and takes the runtime's lock when this thread does not hold it.
 */
VH_API int vh_runtime_loop_stats(vh_runtime runtime, vh_loop_stats *out);

/** What the error handler is told about. */
typedef enum vh_error_event {
  /** An exception escaped a task, timer or async completion callback. */
  VH_ERROR_EVENT_UNCAUGHT_EXCEPTION = 1,
  /** A promise was rejected and no handler was attached by the end of the microtasks that
   *  followed. */
  VH_ERROR_EVENT_UNHANDLED_REJECTION
} vh_error_event;

/**
 * @brief Receives uncaught exceptions and unhandled rejections of a runtime.
 * @param engine where it happened, with a scope open on it.
 * @param event what happened.
 * @param error the exception or rejection reason, with its message and location (owned by the
 *        library; valid during the call).
 * @param data the data given to vh_runtime_set_error_handler().
 *
 * The handler may use the engine (and others of the runtime); whatever it leaves pending there
 * (an exception of its own vh_eval() or vh_call() that it did not take, a vh_throw()) is
 * discarded when it returns: it never makes the runtime's later tasks fail with
 * ::VH_EPENDING_EXCEPTION. An exception pending in an engine before the handler was called
 * stays.
 */
typedef void (*vh_error_handler_cb)(vh_engine engine, vh_error_event event, const vh_exception *error,
                                 void *data);

/**
 * @brief Sets the runtime's error handler. NULL (the default) prints each event to stderr as
 *        "Uncaught <message>" or "Unhandled rejection: <message>" with its location.
 * @param runtime the runtime.
 * @param handler the handler, or NULL for the default.
 * @param data handed to @p handler; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED. Any thread; waits for the runtime's lock.
 */
VH_API int vh_runtime_set_error_handler(vh_runtime runtime, vh_error_handler_cb handler, void *data);

/**
 * @brief Work for libuv's thread pool: runs there, so it must not call v8host functions.
 * @return a status handed to the completion.
 */
typedef int (*vh_work_cb)(void *data);

/**
 * @brief The completion of async work: runs on the runtime's loop with a scope open on the
 *        engine, and settles the promise.
 * @param engine the engine that queued the work, with a scope open on it.
 * @param status what the work returned.
 * @param data the data given to vh_engine_queue_work().
 * @param[out] result the value to fulfil the promise with (left untouched: undefined).
 * @return ::VH_OK to fulfil; to reject, vh_throw() a value (or vh_throw_error()) and return
 *         ::VH_EEXCEPTION; any other negative code rejects with an Error "<VH_NAME>: <text>".
 *         Called with ::VH_EDISPOSED as @p status (and the empty engine) when the engine went
 *         away meanwhile: free @p data then.
 */
typedef int (*vh_after_work_cb)(vh_engine engine, int status, void *data, vh_value *result);

/**
 * @brief Runs @p work on libuv's thread pool and settles a new promise with @p done on the
 *        runtime's loop: the building block of asynchronous host functions.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param work must not be NULL. @param done must not be NULL.
 * @param data handed to @p work and @p done; may be NULL.
 * @param[out] promise the promise, in the current scope; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_ENOMEM; the common engine codes.
 * @par Thread: the thread holding the runtime's lock (typically inside a host function).
 */
VH_API int vh_engine_queue_work(vh_engine engine, vh_work_cb work, vh_after_work_cb done, void *data,
                          vh_value *promise);

/** Builtins for vh_engine_install_builtins(). */
enum {
  VH_BUILTIN_TIMERS = 1u << 0,          /**< setTimeout, setInterval, clearTimeout, clearInterval */
  VH_BUILTIN_QUEUE_MICROTASK = 1u << 1, /**< queueMicrotask */
  VH_BUILTIN_CONSOLE = 1u << 2,         /**< console, with every method of V8's console (see
                                             vh_console_level for what each sends) */
  VH_BUILTIN_STRUCTURED_CLONE = 1u << 3, /**< structuredClone(value, { transfer }) (see copy.h) */
  VH_BUILTIN_ALL = 15u
};

/**
 * @brief Installs builtins in @p engine's global object.
 * @param engine the engine; a scope of its runtime must be open on this thread.
 * @param flags a mix of VH_BUILTIN_*.
 * @return ::VH_OK; ::VH_EINVAL (unknown flag); the common engine codes.
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_engine_install_builtins(vh_engine engine, unsigned flags);

/**
 * Levels of console output. The first three are those of 1.0; the others were added after it
 * (a sink compiled against an older header sees them as values it does not know: treat those
 * as ::VH_CONSOLE_LEVEL_LOG).
 */
typedef enum vh_console_level {
  VH_CONSOLE_LEVEL_LOG = 1, /**< log, dir, dirxml, table, group, groupCollapsed */
  VH_CONSOLE_LEVEL_WARN,    /**< warn; countReset, time, timeLog, timeEnd misused (unknown label...) */
  VH_CONSOLE_LEVEL_ERROR,   /**< error; assert when the assertion fails ("Assertion failed[: ...]") */
  VH_CONSOLE_LEVEL_INFO,    /**< info; count ("label: n"), timeLog and timeEnd ("label: 1.234ms") */
  VH_CONSOLE_LEVEL_DEBUG,   /**< debug */
  VH_CONSOLE_LEVEL_TRACE,   /**< trace: "Trace[: ...]" then "\n    at ..." lines of the JS stack */
  VH_CONSOLE_LEVEL_CLEAR    /**< clear: empty text; the default output ignores it */
} vh_console_level;

/**
 * @brief Receives console output: one call per message of a console method, the arguments
 *        formatted and joined by spaces, without a trailing newline, indented by two spaces per
 *        open console.group (every line). Methods without output (time, groupEnd, profile,
 *        profileEnd, timeStamp, context, a passing assert) make no call.
 */
typedef void (*vh_console_sink_cb)(vh_engine engine, vh_console_level level, const char *text,
                                size_t length, void *data);

/**
 * @brief Sets where console output of the runtime's engines goes. NULL (the default) writes
 *        log, info and debug to stdout, warn, error and trace to stderr, each with a newline,
 *        and ignores clear.
 * @param runtime the runtime.
 * @param sink the sink, or NULL for the default.
 * @param data handed to @p sink; may be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED. Any thread; waits for the runtime's lock.
 */
VH_API int vh_runtime_set_console(vh_runtime runtime, vh_console_sink_cb sink, void *data);

#ifdef __cplusplus
}
#endif
#endif
