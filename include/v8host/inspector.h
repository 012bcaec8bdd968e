/**
 * @file v8host/inspector.h
 * @brief Debugging and profiling: V8's inspector (the Chrome DevTools Protocol) over a runtime.
 *
 * An inspector is attached to one runtime; each engine of the runtime appears to a debugger
 * as an execution context with a name. A session exchanges Chrome DevTools Protocol (CDP)
 * messages: the host sends requests (JSON text) with vh_inspector_session_send() and receives
 * replies and notifications through its ::vh_inspector_message_cb. vh_inspector_listen()
 * serves the runtime to DevTools and VS Code over a WebSocket on 127.0.0.1.
 *
 * While script is paused (a breakpoint, a step, `debugger`), the thread that ran it stays
 * inside V8 and serves only protocol messages (a nested loop), calling the host's
 * ::vh_inspector_paused_cb between them; the runtime's other work waits, other runtimes are
 * unaffected. vh_runtime_terminate() and deadlines still stop a paused script.
 *
 * Builds without the inspector (see docs/debugging.md) return ::VH_ENOTSUP from every function
 * here; builds without libwebsockets return it from vh_inspector_listen() only.
 */
#ifndef V8HOST_INSPECTOR_H
#define V8HOST_INSPECTOR_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "v8host/api.h"
#include "v8host/errors.h"
#include "v8host/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An inspector attached to a runtime. Made by vh_inspector_new(). */
typedef struct vh_inspector {
  uint64_t id_;
} vh_inspector;

/** A protocol session of an inspector. Made by vh_inspector_session_new(). */
typedef struct vh_inspector_session {
  uint64_t id_;
} vh_inspector_session;

/**
 * @brief Receives one protocol message (a reply or a notification, JSON in UTF-8) for a
 *        session. Called on the thread that dispatched the request or runs the paused script,
 *        with the runtime's lock held; it may call vh_inspector_session_send() and
 *        vh_inspector_session_dispose(), but must not run script or dispose the runtime.
 * @param session the session the message belongs to.
 * @param message valid only during the call; not NUL-terminated.
 * @param length the message's length in bytes.
 * @param data the data given to vh_inspector_session_new().
 */
typedef void (*vh_inspector_message_cb)(vh_inspector_session session, const char *message,
                                        size_t length, void *data);

/**
 * @brief Called repeatedly on the runtime's thread while its script is paused (at least every
 *        50 ms, and after each batch of messages), so the host can do other work, such as
 *        feeding messages from a transport of its own with vh_inspector_session_send(). It
 *        must return soon and must not run script in the paused runtime.
 */
typedef void (*vh_inspector_paused_cb)(vh_inspector inspector, void *data);

/** Options for vh_inspector_new(); versioned by size like ::vh_runtime_options. */
typedef struct vh_inspector_options {
  /** sizeof(vh_inspector_options) as the caller compiled it; set by vh_inspector_options_init(). */
  size_t struct_size;
  /** The target's title in DevTools' list (copied); NULL for "v8host". */
  const char *title;
  /** Called while paused (see ::vh_inspector_paused_cb); NULL for none. */
  vh_inspector_paused_cb paused;
  /** Handed to @ref paused; may be NULL. */
  void *paused_data;
} vh_inspector_options;

/**
 * @brief Fills @p options with the defaults and sets its struct_size (inline).
 * @param[out] options the options to fill; must not be NULL.
 * @return ::VH_OK, or ::VH_EINVAL when @p options is NULL. Any thread.
 */
static inline int vh_inspector_options_init(vh_inspector_options *options) {
  if (!options) return VH_EINVAL;
  memset(options, 0, sizeof *options);
  options->struct_size = sizeof *options;
  return VH_OK;
}

/**
 * @brief Attaches an inspector to @p runtime. Its engines, present and future, appear as
 *        contexts named "engine <n>" until vh_inspector_set_engine_name() names them.
 * @param runtime the runtime to inspect.
 * @param options NULL for the defaults.
 * @param out receives the inspector; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL (NULL @p out); ::VH_EDISPOSED (no such runtime); ::VH_EBUSY (the
 *         runtime already has an inspector); ::VH_EVERSION (options from a newer header with
 *         fields set); ::VH_ENOTSUP (a build without the inspector).
 * @par Thread: any thread that may use the runtime (it takes the runtime's lock).
 * The inspector lives until vh_inspector_dispose() or the runtime's disposal.
 */
VH_API int vh_inspector_new(vh_runtime runtime, const vh_inspector_options *options,
                            vh_inspector *out);

/**
 * @brief Closes an inspector: its sessions end (their callbacks are not called again), its
 *        endpoint stops, its contexts disappear from debuggers.
 * @param inspector the inspector.
 * @return ::VH_OK; ::VH_EINVAL (empty handle); ::VH_EDISPOSED (already closed, or the runtime is
 *         gone); ::VH_EBUSY (called
 *         while the runtime's script is paused or a message is being dispatched, e.g. from a
 *         callback); ::VH_ENOTSUP.
 * @par Thread: any thread that may use the runtime.
 */
VH_API int vh_inspector_dispose(vh_inspector inspector);

/**
 * @brief Names @p engine's context in debuggers (DevTools' context menu, VS Code's list).
 * @param inspector the inspector of @p engine's runtime.
 * @param engine the engine to name.
 * @param name UTF-8, copied; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL (NULL name); ::VH_EDISPOSED (no such inspector or engine);
 *         ::VH_ERUNTIME_MISMATCH (the engine belongs to another runtime); ::VH_ENOTSUP.
 * @par Thread: any thread that may use the runtime.
 */
VH_API int vh_inspector_set_engine_name(vh_inspector inspector, vh_engine engine, const char *name);

/**
 * @brief Opens a protocol session. It is connected to V8 by the runtime's thread (as requests
 *        are dispatched, see vh_inspector_session_send()), before its first request.
 * @param inspector the inspector.
 * @param on_message receives replies and notifications; must not be NULL.
 * @param data passed to @p on_message.
 * @param out receives the session; must not be NULL.
 * @return ::VH_OK; ::VH_EINVAL; ::VH_EDISPOSED (no such inspector); ::VH_ENOMEM; ::VH_ENOTSUP.
 * @par Thread: any (it does not take the runtime's lock).
 */
VH_API int vh_inspector_session_new(vh_inspector inspector, vh_inspector_message_cb on_message,
                                    void *data, vh_inspector_session *out);

/**
 * @brief Queues one CDP request (JSON, UTF-8; invalid UTF-8 becomes U+FFFD) for the session.
 *
 * Never dispatches on the calling thread: the request is dispatched by the runtime's thread:
 * at once when it is paused; by an interrupt when its script is running; by a task on its loop
 * (vh_runtime_run()) when idle; or by vh_inspector_dispatch(). Malformed requests get an error
 * reply, as V8 produces it.
 * @param session the session.
 * @param message must not be NULL.
 * @param length the message's length in bytes (::VH_AUTO_LENGTH: NUL-terminated), at most
 *        64 MiB.
 * @return ::VH_OK; ::VH_EINVAL (NULL message, empty handle); ::VH_ERANGE (longer than 64 MiB);
 *         ::VH_EDISPOSED (the session is closed); ::VH_ENOMEM; ::VH_ENOTSUP.
 * @par Thread: any (also from a ::vh_inspector_message_cb or ::vh_inspector_paused_cb).
 */
VH_API int vh_inspector_session_send(vh_inspector_session session, const char *message,
                                     size_t length);

/**
 * @brief Closes a session. Its callback is not called after this returns (except when this is
 *        called from that very callback, which then finishes). When it was the last session of
 *        a paused runtime, the script resumes. Requests still queued are dropped.
 * @param session the session.
 * @return ::VH_OK; ::VH_EINVAL (empty handle); ::VH_EDISPOSED (already closed, or its inspector
 *         or runtime is gone); ::VH_ENOTSUP.
 * @par Thread: any.
 */
VH_API int vh_inspector_session_dispose(vh_inspector_session session);

/**
 * @brief Dispatches every request queued for the inspector's sessions now, on this thread.
 *        A request that pauses script (e.g. `Runtime.evaluate` of `debugger`) runs the paused
 *        loop inside this call until the script resumes.
 * @param inspector the inspector.
 * @return ::VH_OK; ::VH_EINVAL (empty handle); ::VH_EDISPOSED; ::VH_ENOTSUP.
 * @par Thread: any thread that may use the runtime.
 */
VH_API int vh_inspector_dispatch(vh_inspector inspector);

/**
 * @brief "Wait for the debugger, then break on the first line" (node's --inspect-brk) of one
 *        engine: serves protocol messages on this thread until a client sends
 *        `Runtime.runIfWaitingForDebugger` (DevTools and VS Code do once they are set up), then
 *        schedules one pause in @p engine and returns.
 *
 *        The pause comes when the library or the host next enters @p engine's context through
 *        V8's API to run script (vh_eval(), vh_module_eval(), a function call, a timer or other
 *        loop callback of that engine) and that script's first statement is about to run: the
 *        sessions get `Debugger.paused` (reason "Break on start") on it. Script of the runtime's
 *        other engines, before or in between, runs to its end unpaused, and so does the
 *        library's own work. The pause is used up once it happened; it is dropped when the
 *        engine is disposed or reset (vh_engine_reset()) or the inspector closes, and it leads
 *        to no pause (and is used up) when no session has `Debugger.enable`d by then. Not seen
 *        as entering the engine: a function of @p engine called directly by another engine's
 *        script, and its promise reactions run in a microtask checkpoint; they pause only if
 *        the pause's interrupt, asked for by this call or by an entry of @p engine that ran no
 *        script, is still outstanding when they run. Calling it again before the pause came
 *        moves the one pending pause to the new engine.
 * @param inspector the inspector.
 * @param engine the engine to pause in; it must belong to the inspector's runtime.
 * @param wait_ms how long to wait for a client; 0: do not wait (schedule the pause only if a
 *        client already sent `Runtime.runIfWaitingForDebugger`); UINT64_MAX: no limit.
 * @return ::VH_OK; ::VH_ETIMEDOUT (no client said go in time; no pause is scheduled);
 *         ::VH_ETERMINATED (vh_runtime_terminate() or a deadline while waiting; the stop request
 *         stays, as for any stop requested while no script runs); ::VH_EINVAL (empty handle);
 *         ::VH_EDISPOSED (no such inspector or engine, or the inspector was closed by a callback
 *         while waiting); ::VH_ERUNTIME_MISMATCH; ::VH_ENOTSUP.
 * @par Thread: any thread that may use the runtime.
 */
VH_API int vh_inspector_pause_on_start(vh_inspector inspector, vh_engine engine, uint64_t wait_ms);

/** Options for vh_inspector_listen(); versioned by size like ::vh_runtime_options. */
typedef struct vh_inspector_listen_options {
  /** sizeof(vh_inspector_listen_options); set by vh_inspector_listen_options_init(). */
  size_t struct_size;
  /** TCP port; 0 for one the system picks (read it back with vh_inspector_url()). */
  uint16_t port;
  /** The address to bind, as text; NULL for "127.0.0.1". Anything but a loopback address
   *  needs @ref allow_remote. */
  const char *host;
  /** Must be true to bind a non-loopback address. DANGEROUS: the protocol has no
   *  authentication, and whoever reaches the port can run any code in the process. */
  bool allow_remote;
} vh_inspector_listen_options;

/**
 * @brief Fills @p options with the defaults (port 9229, 127.0.0.1) and sets its struct_size.
 * @param[out] options the options to fill; must not be NULL.
 * @return ::VH_OK, or ::VH_EINVAL when @p options is NULL. Any thread.
 */
static inline int vh_inspector_listen_options_init(vh_inspector_listen_options *options) {
  if (!options) return VH_EINVAL;
  memset(options, 0, sizeof *options);
  options->struct_size = sizeof *options;
  options->port = 9229;
  return VH_OK;
}

/**
 * @brief Serves the inspector to DevTools and VS Code: HTTP `GET /json/list` (and `/json`),
 *        `/json/version`, and one WebSocket session per connection to the listed
 *        `webSocketDebuggerUrl`, on a thread of its own. Requests reach the runtime as with
 *        vh_inspector_session_send(): someone must run the runtime's loop (or script) for
 *        them to be answered. Stops at vh_inspector_dispose() or the runtime's disposal.
 * @param inspector the inspector.
 * @param options NULL for the defaults (vh_inspector_listen_options_init()).
 * @return ::VH_OK; ::VH_EINVAL (a non-loopback @p host without allow_remote, or a host that is
 *         not a numeric address); ::VH_EBUSY (already listening, or the port is taken);
 *         ::VH_EDISPOSED; ::VH_EVERSION; ::VH_ENOMEM; ::VH_ENOTSUP (built without libwebsockets
 *         or without the inspector).
 * @par Thread: any.
 */
VH_API int vh_inspector_listen(vh_inspector inspector, const vh_inspector_listen_options *options);

/**
 * @brief The WebSocket URL debuggers connect to ("ws://127.0.0.1:9229/<id>"), NUL-terminated.
 * @param inspector the inspector.
 * @param buffer receives it when @p capacity suffices; may be NULL when @p capacity is 0.
 * @param capacity the size of @p buffer in bytes.
 * @param length receives the URL's length without the NUL; must not be NULL.
 * @return ::VH_OK; ::VH_ERANGE (@p capacity too small; @p length is set); ::VH_EINVAL;
 *         ::VH_EDISPOSED; ::VH_ENOTSUP (not listening, or no endpoint in this build).
 * @par Thread: any.
 */
VH_API int vh_inspector_url(vh_inspector inspector, char *buffer, size_t capacity, size_t *length);

#ifdef __cplusplus
}
#endif

#endif
