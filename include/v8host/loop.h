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
  VH_RUN_DEFAULT = 0, /**< until nothing is left to do (no pending task, timer or work) */
  VH_RUN_ONCE,        /**< one iteration, waiting for something to do if nothing is ready */
  VH_RUN_NOWAIT       /**< one iteration, without waiting */
} vh_run_mode;

/**
 * @brief Runs the runtime's loop.
 *
 * @param mode as uv_run's.
 * @param[out] alive set to whether work remains (pending tasks, active timers or work); may be
 *        NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED; ::VH_EBUSY (the loop is already running: on
 *         another thread, or this call was made from inside one of its callbacks; also a
 *         worker's loop, which its own thread runs).
 * @par Thread: any, with or without a scope open on the runtime; one at a time.
 */
VH_API int vh_runtime_run(vh_runtime runtime, vh_run_mode mode, bool *alive);

/**
 * @brief The runtime's libuv loop, for the host's own handles. Do not close it.
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
typedef void (*vh_task)(vh_engine engine, int status, void *data);

/**
 * @brief Posts @p task to run on @p engine's loop. Never runs it inline.
 *
 * Tasks run in the order they were posted (from one thread); each exactly once — with
 * ::VH_EDISPOSED if the engine or runtime goes away first.
 *
 * @return ::VH_OK; ::VH_EINVAL (NULL task, empty handle); ::VH_EDISPOSED (the engine or its
 *         runtime is gone: the task will not be called); ::VH_ENOMEM.
 * @par Thread: any. Safe to call concurrently with the runtime's disposal.
 */
VH_API int vh_post(vh_engine engine, vh_task task, void *data);

/**
 * @brief Posts @p task and waits until it has run.
 *
 * When the calling thread holds the runtime's lock (inside a callback, or with a scope open on
 * the runtime) the task runs at once on this thread: waiting for the loop would deadlock.
 * Otherwise someone must be running the runtime's loop (a worker, or a thread in
 * vh_runtime_run()).
 *
 * @return ::VH_OK (it ran); ::VH_EDISPOSED (the engine or runtime went away before or while
 *         waiting: the task was called with ::VH_EDISPOSED, or not at all when this is returned
 *         at once); ::VH_EINVAL; ::VH_ENOMEM.
 * @par Thread: any.
 */
VH_API int vh_post_and_wait(vh_engine engine, vh_task task, void *data);

/** A worker: a runtime living on a thread of its own, running its loop. */
typedef struct vh_worker {
  uint64_t id_;
} vh_worker;

/**
 * @brief Sets up a worker's engine, on the worker's thread, before its loop starts.
 * @param engine the worker's engine, with a scope open on it.
 * @return ::VH_OK to start the loop; a negative code stops the worker: vh_worker_start()
 *         returns that code.
 */
typedef int (*vh_worker_init)(vh_engine engine, void *data);

/**
 * @brief Starts a worker: a thread that makes a runtime (with @p options) and an engine, calls
 *        @p init there, then runs the loop until vh_worker_stop(). Returns once init has run.
 *
 * The loop keeps running while idle, waiting for posted tasks.
 *
 * @param init may be NULL.
 * @param[out] out the worker; must not be NULL.
 * @param[out] engine the worker's engine, to post tasks to; may be NULL.
 * @return ::VH_OK; init's code; the codes of vh_runtime_new(); ::VH_ENOMEM (no thread).
 * @par Thread: any.
 */
VH_API int vh_worker_start(const vh_runtime_options *options, vh_worker_init init, void *data,
                           vh_worker *out, vh_engine *engine);

/**
 * @brief Stops a worker cleanly: tasks already posted run, then the loop stops, the runtime is
 *        disposed (timers cancelled, tasks posted later called with ::VH_EDISPOSED) and the
 *        thread is joined.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED (stopped already); ::VH_EBUSY (called from the
 *         worker's own thread).
 * @par Thread: any other than the worker's.
 */
VH_API int vh_worker_stop(vh_worker worker);

/** What the error handler is told about. */
typedef enum vh_error_event {
  /** An exception escaped a task, timer or async completion callback. */
  VH_EVENT_UNCAUGHT_EXCEPTION = 1,
  /** A promise was rejected and no handler was attached by the end of the microtasks that
   *  followed. */
  VH_EVENT_UNHANDLED_REJECTION
} vh_error_event;

/**
 * @brief Receives uncaught exceptions and unhandled rejections of a runtime.
 * @param engine where it happened, with a scope open on it.
 * @param event what happened.
 * @param error the exception or rejection reason, with its message and location (owned by the
 *        library; valid during the call).
 */
typedef void (*vh_error_handler)(vh_engine engine, vh_error_event event, const vh_exception *error,
                                 void *data);

/**
 * @brief Sets the runtime's error handler. NULL (the default) prints each event to stderr as
 *        "Uncaught <message>" or "Unhandled rejection: <message>" with its location.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED. Any thread; waits for the runtime's lock.
 */
VH_API int vh_runtime_set_error_handler(vh_runtime runtime, vh_error_handler handler, void *data);

/**
 * @brief Work for libuv's thread pool: runs there, so it must not call v8host functions.
 * @return a status handed to the completion.
 */
typedef int (*vh_async_work)(void *data);

/**
 * @brief The completion of async work: runs on the runtime's loop with a scope open on the
 *        engine, and settles the promise.
 * @param status what the work returned.
 * @param[out] result the value to fulfil the promise with (left untouched: undefined).
 * @return ::VH_OK to fulfil; to reject, vh_throw() a value (or vh_throw_error()) and return
 *         ::VH_EEXCEPTION; any other negative code rejects with an Error "<VH_NAME>: <text>".
 *         Called with ::VH_EDISPOSED as @p status (and the empty engine) when the engine went
 *         away meanwhile: free @p data then.
 */
typedef int (*vh_async_done)(vh_engine engine, int status, void *data, vh_value *result);

/**
 * @brief Runs @p work on libuv's thread pool and settles a new promise with @p done on the
 *        runtime's loop: the building block of asynchronous host functions.
 * @param work must not be NULL. @param done must not be NULL.
 * @param[out] promise the promise, in the current scope; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_ENOMEM; the common engine codes.
 * @par Thread: the thread holding the runtime's lock (typically inside a host function).
 */
VH_API int vh_async_queue(vh_engine engine, vh_async_work work, vh_async_done done, void *data,
                          vh_value *promise);

/** Builtins for vh_engine_install_builtins(). */
enum {
  VH_BUILTIN_TIMERS = 1u << 0,          /**< setTimeout, setInterval, clearTimeout, clearInterval */
  VH_BUILTIN_QUEUE_MICROTASK = 1u << 1, /**< queueMicrotask */
  VH_BUILTIN_CONSOLE = 1u << 2,         /**< console.log, console.error, console.warn */
  VH_BUILTIN_STRUCTURED_CLONE = 1u << 3, /**< structuredClone(value, { transfer }) (see copy.h) */
  VH_BUILTIN_ALL = 15u
};

/**
 * @brief Installs builtins in @p engine's global object.
 * @param flags a mix of VH_BUILTIN_*.
 * @return ::VH_OK; ::VH_EINVAL (unknown flag); the common engine codes.
 * @par Thread: the thread holding the runtime's lock.
 */
VH_API int vh_engine_install_builtins(vh_engine engine, unsigned flags);

/** Levels of console output. */
typedef enum vh_console_level { VH_CONSOLE_LOG = 1, VH_CONSOLE_WARN, VH_CONSOLE_ERROR } vh_console_level;

/**
 * @brief Receives console output: one call per console.log/warn/error, the arguments formatted
 *        and joined by spaces, without a trailing newline.
 */
typedef void (*vh_console_sink)(vh_engine engine, vh_console_level level, const char *text,
                                size_t length, void *data);

/**
 * @brief Sets where console output of the runtime's engines goes. NULL (the default) writes
 *        log to stdout and warn/error to stderr, each with a newline.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED. Any thread; waits for the runtime's lock.
 */
VH_API int vh_runtime_set_console(vh_runtime runtime, vh_console_sink sink, void *data);

#ifdef __cplusplus
}
#endif
#endif
