/* shell_agent.c — $262.agent: test262's agents, each a runtime on a thread of its own.
 *
 * On the main runtime:
 *   start(source)         starts an agent and returns once its script has been evaluated
 *   broadcast(sab, num)   hands the SharedArrayBuffer (and num) to every running agent's
 *                         receiveBroadcast callback; returns once each callback has been called
 *   getReport()           the next report of any agent, in the order they were sent, or null
 * In an agent:
 *   receiveBroadcast(fn)  fn(sab, num) is called for each broadcast
 *   report(value)         queues String(value) for the main thread's getReport()
 *   leaving()             the agent ends once nothing is pending in its loop
 * In both: sleep(ms) and monotonicNow() (milliseconds since the shell started).
 *
 * An agent's thread makes its runtime and engine, evaluates its script, then runs the runtime's
 * loop. Until leaving() (or an uncaught exception, which is reported and makes the agent leave)
 * a referenced uv_async_t of ours keeps that loop waiting for broadcasts; after it, the loop
 * runs until nothing is pending and the agent is finished. (vh_worker_start's loop runs until
 * vh_worker_stop, and nothing tells when it is idle, hence a thread of our own.)
 *
 * A broadcast passes the buffer with vh_pass, which needs both runtimes' locks on one thread:
 * the main thread, inside the host function (so holding the main runtime), opens a scope on the
 * agent's engine (taking the agent runtime's lock while the agent is between callbacks), passes
 * the buffer, keeps it in a vh_ref, closes the scope, and posts a task that calls the callback
 * on the agent's thread. */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "shell.h"

typedef struct broadcast_wait {
  int remaining;  /* agents whose callback has not been called yet (under g.mu) */
} broadcast_wait;

typedef struct message {
  shell_agent *agent;
  vh_ref sab, number;  /* as the agent's engine sees them */
  broadcast_wait *wait;
  struct message *next;
} message;

typedef struct report {
  char *text;
  size_t length;
  struct report *next;
} report;

struct shell_agent {
  int id;
  char name[32];
  char *source;
  uv_thread_t thread;
  bool has_thread;
  uv_sem_t ready;
  int start_status;
  shell_runtime srt;
  vh_engine engine;
  uv_async_t keepalive;
  bool has_keepalive;
  /* The agent's thread only: */
  bool leaving;
  bool has_callback;
  vh_ref callback;
  message *pending, *pending_tail;  /* broadcasts that came before receiveBroadcast */
  /* Under g.mu: */
  bool started, finished;
  int inflight;  /* broadcasts being passed or posted, not yet taken by the agent's thread */
  shell_agent *next;
};

static struct {
  uv_mutex_t mu;
  uv_cond_t cond;
  shell_agent *agents, *last;
  int count;
  report *reports, *reports_last;
  bool failed;
  uint64_t t0;
  bool rejections_warn;     /* --unhandled-rejections=warn; set before any agent starts */
} g;

void shell_agents_init(bool rejections_warn) {
  g.rejections_warn = rejections_warn;
  uv_mutex_init(&g.mu);
  uv_cond_init(&g.cond);
  g.t0 = uv_hrtime();
}

static int throw_error(vh_engine e, vh_error_kind kind, const char *message) {
  int rc = vh_throw_error(e, kind, message);
  return rc == VH_OK ? VH_EEXCEPTION : rc;
}

static void release_wait(broadcast_wait *w) {
  uv_mutex_lock(&g.mu);
  w->remaining--;
  uv_cond_broadcast(&g.cond);
  uv_mutex_unlock(&g.mu);
}

static void agent_leave(shell_agent *a) {
  if (a->leaving) return;
  a->leaving = true;
  if (a->has_keepalive) uv_unref((uv_handle_t *)&a->keepalive);
}

static void agent_failed(shell_agent *a) {
  uv_mutex_lock(&g.mu);
  g.failed = true;
  uv_mutex_unlock(&g.mu);
  agent_leave(a);
}

/* Uncaught exceptions and unhandled rejections of an agent: reported; the agent leaves. */
static void agent_error_handler(vh_engine engine, vh_error_event event, const vh_exception *error,
                                void *data) {
  shell_agent *a = data;
  bool rejection = event == VH_ERROR_EVENT_UNHANDLED_REJECTION;
  shell_report_as(&a->srt, engine, error, rejection ? "Unhandled rejection: " : "Uncaught ", NULL);
  if (!(rejection && g.rejections_warn)) agent_failed(a);
}

/* ---- broadcasts, on the agent's thread ----------------------------------------------------- */

static void call_broadcast(shell_agent *a, vh_engine engine, message *m) {
  vh_value fn, args[2];
  int rc = vh_ref_get(a->callback, &fn);
  if (rc == VH_OK) rc = vh_ref_get(m->sab, &args[0]);
  if (rc == VH_OK) rc = vh_ref_get(m->number, &args[1]);
  vh_ref_dispose(m->sab);
  vh_ref_dispose(m->number);
  release_wait(m->wait);  /* the callback is being called: broadcast() may return */
  free(m);
  if (rc == VH_OK) rc = vh_call(engine, fn, (vh_value){0}, 2, args, NULL);
  if (rc == VH_EEXCEPTION) {
    shell_report_pending(&a->srt, engine, NULL);
    agent_failed(a);
  } else if (rc != VH_OK) {
    fprintf(stderr, "v8host-shell: agent %d: cannot call the broadcast callback: %s\n", a->id, vh_err_name(rc));
    agent_failed(a);
  }
}

static void deliver(vh_engine engine, int status, void *data) {
  message *m = data;
  shell_agent *a = m->agent;
  if (status != VH_OK) {
    release_wait(m->wait);
    free(m);
  } else if (!a->has_callback) {
    if (a->pending_tail) a->pending_tail->next = m;
    else a->pending = m;
    a->pending_tail = m;
  } else {
    call_broadcast(a, engine, m);
  }
  uv_mutex_lock(&g.mu);
  a->inflight--;
  uv_mutex_unlock(&g.mu);
}

/* Posted by receiveBroadcast when broadcasts came before it. */
static void deliver_pending(vh_engine engine, int status, void *data) {
  shell_agent *a = data;
  while (a->pending) {
    message *m = a->pending;
    a->pending = m->next;
    if (!a->pending) a->pending_tail = NULL;
    if (status == VH_OK && a->has_callback) {
      call_broadcast(a, engine, m);
    } else {
      release_wait(m->wait);
      free(m);
    }
  }
  uv_mutex_lock(&g.mu);
  a->inflight--;
  uv_mutex_unlock(&g.mu);
}

/* ---- the agent's thread -------------------------------------------------------------------- */

static void on_keepalive(uv_async_t *handle) { (void)handle; }

static void agent_main(void *arg) {
  shell_agent *a = arg;
  shell_runtime *srt = &a->srt;
  shell_realm *realm = NULL;
  uv_loop_t *loop = NULL;
  srt->agent = a;
  int rc = vh_runtime_new(NULL, &srt->runtime);
  if (rc == VH_OK) rc = vh_runtime_set_error_handler(srt->runtime, agent_error_handler, a);
  if (rc == VH_OK) rc = vh_runtime_set_module_loader(srt->runtime, shell_module_loader, srt);
  if (rc == VH_OK) rc = vh_runtime_loop(srt->runtime, &loop);
  if (rc == VH_OK) {
    if (uv_async_init(loop, &a->keepalive, on_keepalive) == 0) a->has_keepalive = true;
    else rc = VH_ENOMEM;
  }
  if (rc == VH_OK) rc = shell_realm_new(srt, &realm);
  if (rc == VH_OK) {
    vh_scope scope;
    a->engine = realm->engine;
    rc = vh_scope_open(a->engine, &scope);
    if (rc == VH_OK) {
      /* A script that fails is reported (its resource name, "<agent N>", says whose). */
      if (shell_run_script(srt, a->engine, a->source, strlen(a->source), a->name) != 0) agent_failed(a);
      vh_scope_close(scope);
    }
  }
  uv_mutex_lock(&g.mu);
  a->started = rc == VH_OK;
  a->finished = rc != VH_OK;
  uv_mutex_unlock(&g.mu);
  a->start_status = rc;
  uv_sem_post(&a->ready);

  while (rc == VH_OK) {
    bool alive = false;
    vh_runtime_run(srt->runtime, VH_RUN_MODE_DEFAULT, &alive);
    uv_mutex_lock(&g.mu);
    bool done = a->leaving && !alive && a->inflight == 0;
    if (done) a->finished = true;
    uv_mutex_unlock(&g.mu);
    if (done) break;
    uv_sleep(1);  /* a broadcast is being passed to us: its task is about to be posted */
  }
  while (a->pending) {  /* broadcasts nobody received: let their broadcast() return */
    message *m = a->pending;
    a->pending = m->next;
    release_wait(m->wait);
    free(m);
  }
  if (a->has_keepalive) uv_close((uv_handle_t *)&a->keepalive, NULL);  /* closes in the disposal */
  if (srt->runtime.id_) {
    int d = vh_runtime_dispose(srt->runtime);
    if (d != VH_OK) fprintf(stderr, "v8host-shell: agent %d: vh_runtime_dispose: %s\n", a->id, vh_err_name(d));
  }
  shell_realms_free(srt);
}

/* ---- $262.agent on the main runtime --------------------------------------------------------- */

static int js_start(const vh_call_info *info, vh_value *result) {
  shell_realm *realm = info->data;
  char *source;
  (void)result;
  if (info->argc < 1) return throw_error(info->engine, VH_ERROR_KIND_TYPE_ERROR, "$262.agent.start: no source");
  int rc = shell_to_string(realm->srt, info->engine, info->argv[0], &source, NULL);
  if (rc != VH_OK) return rc;
  shell_agent *a = calloc(1, sizeof *a);
  if (!a) {
    vh_free(source);
    return VH_ENOMEM;
  }
  a->source = source;
  uv_sem_init(&a->ready, 0);
  uv_mutex_lock(&g.mu);
  a->id = ++g.count;
  if (g.last) g.last->next = a;
  else g.agents = a;
  g.last = a;
  uv_mutex_unlock(&g.mu);
  snprintf(a->name, sizeof a->name, "<agent %d>", a->id);
  if (uv_thread_create(&a->thread, agent_main, a) != 0) {
    uv_mutex_lock(&g.mu);
    a->finished = true;
    uv_mutex_unlock(&g.mu);
    uv_sem_destroy(&a->ready);
    return throw_error(info->engine, VH_ERROR_KIND_ERROR, "$262.agent.start: cannot create a thread");
  }
  a->has_thread = true;
  uv_sem_wait(&a->ready);
  uv_sem_destroy(&a->ready);
  if (a->start_status != VH_OK) {
    char text[160];
    snprintf(text, sizeof text, "$262.agent.start: cannot set up the agent's runtime: %s",
             vh_err_name(a->start_status));
    return throw_error(info->engine, VH_ERROR_KIND_ERROR, text);
  }
  return VH_OK;
}

/* Passes value into the agent's engine and keeps it in *ref. The agent's lock is held. */
static int pass_to(shell_agent *a, vh_value value, bool must_share, vh_ref *ref) {
  vh_value passed;
  vh_pass_kind how;
  int rc = vh_pass(a->engine, value, &passed, &how);
  if (rc == VH_OK && must_share && how != VH_PASS_KIND_SHARED) return VH_ETYPE;
  return rc == VH_OK ? vh_ref_new(passed, 1, ref) : rc;
}

static int js_broadcast(const vh_call_info *info, vh_value *result) {
  vh_engine e = info->engine;
  bool shared = false;
  vh_value number;
  vh_type type = VH_TYPE_UNDEFINED;
  (void)result;
  if (info->argc > 0) vh_is(info->argv[0], VH_KIND_SHARED_ARRAY_BUFFER, &shared);
  if (!shared)
    return throw_error(e, VH_ERROR_KIND_TYPE_ERROR, "$262.agent.broadcast: the first argument must be a SharedArrayBuffer");
  if (info->argc > 1) {
    number = info->argv[1];
    vh_typeof(number, &type);
  } else {
    vh_new_undefined(e, &number);
  }
  if (type == VH_TYPE_OBJECT || type == VH_TYPE_FUNCTION || type == VH_TYPE_SYMBOL)
    return throw_error(e, VH_ERROR_KIND_TYPE_ERROR, "$262.agent.broadcast: the second argument must be a primitive");

  broadcast_wait *w = calloc(1, sizeof *w);
  shell_agent **targets = NULL;
  int n = 0, first_error = VH_OK;
  if (!w) return VH_ENOMEM;
  uv_mutex_lock(&g.mu);
  targets = calloc((size_t)g.count + 1, sizeof *targets);
  for (shell_agent *a = g.agents; a && targets; a = a->next) {
    if (!a->started || a->finished) continue;
    a->inflight++;  /* keeps the agent from finishing until the task below has run */
    w->remaining++;
    targets[n++] = a;
  }
  uv_mutex_unlock(&g.mu);
  if (!targets) {
    free(w);
    return VH_ENOMEM;
  }
  for (int i = 0; i < n; i++) {
    shell_agent *a = targets[i];
    message *m = calloc(1, sizeof *m);
    vh_scope scope;
    int rc = m ? vh_scope_open(a->engine, &scope) : VH_ENOMEM;  /* waits for the agent's lock */
    if (rc == VH_OK) {
      m->agent = a;
      m->wait = w;
      rc = pass_to(a, info->argv[0], true, &m->sab);
      if (rc == VH_OK) rc = pass_to(a, number, false, &m->number);
      vh_scope_close(scope);
    }
    if (rc == VH_OK) rc = vh_engine_post(a->engine, deliver, m);
    if (rc != VH_OK) {
      uv_mutex_lock(&g.mu);
      a->inflight--;
      w->remaining--;
      uv_mutex_unlock(&g.mu);
      free(m);
      if (first_error == VH_OK) first_error = rc;
    }
  }
  uv_mutex_lock(&g.mu);
  while (w->remaining > 0) uv_cond_wait(&g.cond, &g.mu);
  uv_mutex_unlock(&g.mu);
  free(w);
  free(targets);
  if (first_error != VH_OK) {
    char text[200];
    snprintf(text, sizeof text, "$262.agent.broadcast: cannot pass the buffer to an agent: %s%s",
             vh_err_name(first_error),
             first_error == VH_ETYPE ? " (vh_pass did not take the shared path)" : "");
    return throw_error(e, VH_ERROR_KIND_ERROR, text);
  }
  return VH_OK;
}

static int js_get_report(const vh_call_info *info, vh_value *result) {
  uv_mutex_lock(&g.mu);
  report *r = g.reports;
  if (r) {
    g.reports = r->next;
    if (!g.reports) g.reports_last = NULL;
  }
  uv_mutex_unlock(&g.mu);
  if (!r) return vh_new_null(info->engine, result);
  int rc = vh_new_string_utf8(info->engine, r->text, r->length, result);
  vh_free(r->text);
  free(r);
  return rc;
}

/* ---- $262.agent in an agent ---------------------------------------------------------------- */

static int js_receive_broadcast(const vh_call_info *info, vh_value *result) {
  shell_agent *a = ((shell_realm *)info->data)->srt->agent;
  vh_type type = VH_TYPE_UNDEFINED;
  vh_ref ref;
  (void)result;
  if (info->argc > 0) vh_typeof(info->argv[0], &type);
  if (type != VH_TYPE_FUNCTION)
    return throw_error(info->engine, VH_ERROR_KIND_TYPE_ERROR, "$262.agent.receiveBroadcast: the argument must be a function");
  int rc = vh_ref_new(info->argv[0], 1, &ref);
  if (rc != VH_OK) return rc;
  if (a->has_callback) vh_ref_dispose(a->callback);
  a->callback = ref;
  a->has_callback = true;
  if (a->pending) {
    uv_mutex_lock(&g.mu);
    a->inflight++;
    uv_mutex_unlock(&g.mu);
    rc = vh_engine_post(a->engine, deliver_pending, a);
    if (rc != VH_OK) {
      uv_mutex_lock(&g.mu);
      a->inflight--;
      uv_mutex_unlock(&g.mu);
    }
  }
  return rc;
}

static int js_report(const vh_call_info *info, vh_value *result) {
  shell_realm *realm = info->data;
  report *r = calloc(1, sizeof *r);
  vh_value arg = {0};
  (void)result;
  if (!r) return VH_ENOMEM;
  int rc = info->argc > 0 ? VH_OK : vh_new_undefined(info->engine, &arg);
  if (rc == VH_OK)
    rc = shell_to_string(realm->srt, info->engine, info->argc > 0 ? info->argv[0] : arg, &r->text, &r->length);
  if (rc != VH_OK) {
    free(r);
    return rc;
  }
  uv_mutex_lock(&g.mu);
  if (g.reports_last) g.reports_last->next = r;
  else g.reports = r;
  g.reports_last = r;
  uv_mutex_unlock(&g.mu);
  return VH_OK;
}

static int js_leaving(const vh_call_info *info, vh_value *result) {
  (void)result;
  agent_leave(((shell_realm *)info->data)->srt->agent);
  return VH_OK;
}

/* ---- both ---------------------------------------------------------------------------------- */

static int js_sleep(const vh_call_info *info, vh_value *result) {
  double ms = 0;
  (void)result;
  if (info->argc > 0 && vh_value_double(info->argv[0], &ms) != VH_OK)
    return throw_error(info->engine, VH_ERROR_KIND_TYPE_ERROR, "$262.agent.sleep: the argument must be a number");
  if (ms > 0) uv_sleep(ms > 4e9 ? 4000000000u : (unsigned)ms);
  return VH_OK;
}

static int js_monotonic_now(const vh_call_info *info, vh_value *result) {
  return vh_new_double(info->engine, (double)(uv_hrtime() - g.t0) / 1e6, result);
}

int shell_agent_object(shell_realm *realm, vh_value *out) {
  vh_engine e = realm->engine;
  vh_value agent;
  int rc = vh_new_object(e, &agent);
  if (rc == VH_OK && !realm->srt->agent) {
    rc = shell_add_function(e, agent, "start", js_start, realm);
    if (rc == VH_OK) rc = shell_add_function(e, agent, "broadcast", js_broadcast, realm);
    if (rc == VH_OK) rc = shell_add_function(e, agent, "getReport", js_get_report, realm);
  } else if (rc == VH_OK) {
    rc = shell_add_function(e, agent, "receiveBroadcast", js_receive_broadcast, realm);
    if (rc == VH_OK) rc = shell_add_function(e, agent, "report", js_report, realm);
    if (rc == VH_OK) rc = shell_add_function(e, agent, "leaving", js_leaving, realm);
  }
  if (rc == VH_OK) rc = shell_add_function(e, agent, "sleep", js_sleep, realm);
  if (rc == VH_OK) rc = shell_add_function(e, agent, "monotonicNow", js_monotonic_now, realm);
  if (rc == VH_OK) *out = agent;
  return rc;
}

/* ---- the end ------------------------------------------------------------------------------- */

bool shell_agents_running(void) {
  bool running = false;
  uv_mutex_lock(&g.mu);
  for (shell_agent *a = g.agents; a; a = a->next)
    if (!a->finished) running = true;
  uv_mutex_unlock(&g.mu);
  return running;
}

void shell_agents_join(void) {
  uv_mutex_lock(&g.mu);
  shell_agent *a = g.agents;
  g.agents = g.last = NULL;
  uv_mutex_unlock(&g.mu);
  while (a) {
    shell_agent *next = a->next;
    if (a->has_thread) uv_thread_join(&a->thread);
    vh_free(a->source);
    free(a);
    a = next;
  }
  uv_mutex_lock(&g.mu);
  while (g.reports) {
    report *r = g.reports;
    g.reports = r->next;
    vh_free(r->text);
    free(r);
  }
  g.reports_last = NULL;
  uv_mutex_unlock(&g.mu);
}

bool shell_agents_failed(void) {
  uv_mutex_lock(&g.mu);
  bool failed = g.failed;
  uv_mutex_unlock(&g.mu);
  return failed;
}
