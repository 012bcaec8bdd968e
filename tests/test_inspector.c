/* The inspector through the C API alone (no network): breakpoints by URL, stepping, reading a
 * local while paused, pause on start, a CPU profile, garbage requests, closing, terminating and
 * disposing while paused, and another runtime running while one is paused.
 *
 * The "client" is either this thread (send, then vh_inspector_dispatch) or a second thread that
 * talks to the paused runtime while the first one sits in vh_eval. */
#define VH_TEST_FIXTURE
#include "test_util.h"

#include <uv.h>

/* ---- a tiny CDP client over the C API ---------------------------------------------------- */

#define MAX_MSGS 4096
typedef struct client {
  vh_inspector inspector;
  vh_inspector_session session;
  uv_mutex_t mu;
  uv_cond_t cv;
  char *msgs[MAX_MSGS];
  bool used[MAX_MSGS];
  int count;
  int next_id;
} client;

static void on_message(vh_inspector_session s, const char *message, size_t length, void *data) {
  client *c = data;
  (void)s;
  uv_mutex_lock(&c->mu);
  if (c->count < MAX_MSGS) {
    char *copy = malloc(length + 1);
    memcpy(copy, message, length);
    copy[length] = 0;
    c->msgs[c->count++] = copy;
  }
  uv_cond_broadcast(&c->cv);
  uv_mutex_unlock(&c->mu);
}

static void client_open(client *c, vh_runtime rt, const vh_inspector_options *options) {
  memset(c, 0, sizeof *c);
  uv_mutex_init(&c->mu);
  uv_cond_init(&c->cv);
  assert_ok(vh_inspector_new(rt, options, &c->inspector));
  assert_ok(vh_inspector_session_new(c->inspector, on_message, c, &c->session));
}

static void client_free(client *c) {
  for (int i = 0; i < c->count; i++) free(c->msgs[i]);
  uv_cond_destroy(&c->cv);
  uv_mutex_destroy(&c->mu);
}

/* Sends {"id":N,"method":method,"params":params} and returns N. */
static int client_send(client *c, const char *method, const char *params) {
  char buf[8192];
  uv_mutex_lock(&c->mu);
  int id = ++c->next_id;
  uv_mutex_unlock(&c->mu);
  snprintf(buf, sizeof buf, "{\"id\":%d,\"method\":\"%s\",\"params\":%s}", id, method, params ? params : "{}");
  assert_ok(vh_inspector_session_send(c->session, buf, VH_AUTO_LENGTH));
  return id;
}

/* The first unused message containing needle, waiting up to 10 s (NULL when none came). */
static const char *client_wait(client *c, const char *needle) {
  uint64_t until = uv_hrtime() + 10000000000ull;
  const char *found = NULL;
  uv_mutex_lock(&c->mu);
  while (!found) {
    for (int i = 0; i < c->count && !found; i++)
      if (!c->used[i] && strstr(c->msgs[i], needle)) {
        c->used[i] = true;
        found = c->msgs[i];
      }
    if (found || uv_hrtime() >= until) break;
    uv_cond_timedwait(&c->cv, &c->mu, 50000000);
  }
  uv_mutex_unlock(&c->mu);
  return found;
}

static const char *client_reply(client *c, int id) {
  char needle[32];
  snprintf(needle, sizeof needle, "{\"id\":%d,", id);
  return client_wait(c, needle);
}

/* Sends a request and dispatches it on this thread; returns its reply. */
static const char *client_call(client *c, const char *method, const char *params) {
  int id = client_send(c, method, params);
  assert_ok(vh_inspector_dispatch(c->inspector));
  const char *reply = client_reply(c, id);
  assert_non_null(reply);
  return reply;
}

/* ---- breakpoints, locals and stepping, driven from a second thread ------------------------ */

static const char *kApp =
    "function f(a) {\n"          /* 0 */
    "  var x = a * 2;\n"         /* 1 */
    "  var y = x + 1;\n"         /* 2: the breakpoint */
    "  return y * 10;\n"         /* 3 */
    "}\n"                        /* 4 */
    "String(f(20));\n"           /* 5 */
    "//# sourceMappingURL=app.js.map\n";

typedef struct debug_run {
  client *c;
  bool ok_paused_line2, ok_x, ok_step_line3, ok_y;
} debug_run;

static void debugger_thread(void *arg) {
  debug_run *r = arg;
  client *c = r->c;
  const char *paused = client_wait(c, "\"method\":\"Debugger.paused\"");
  if (!paused) return;
  r->ok_paused_line2 = strstr(paused, "\"lineNumber\":2") != NULL;
  char frame[128] = "";
  const char *id = strstr(paused, "\"callFrameId\":\"");
  if (id) sscanf(id + 15, "%127[^\"]", frame);
  char params[512];
  snprintf(params, sizeof params, "{\"callFrameId\":\"%s\",\"expression\":\"x\"}", frame);
  const char *value = client_reply(c, client_send(c, "Debugger.evaluateOnCallFrame", params));
  r->ok_x = value && strstr(value, "\"value\":40");
  client_send(c, "Debugger.stepOver", NULL);
  paused = client_wait(c, "\"method\":\"Debugger.paused\"");
  if (!paused) return;
  r->ok_step_line3 = strstr(paused, "\"lineNumber\":3") != NULL;
  id = strstr(paused, "\"callFrameId\":\"");
  if (id) sscanf(id + 15, "%127[^\"]", frame);
  snprintf(params, sizeof params, "{\"callFrameId\":\"%s\",\"expression\":\"y\"}", frame);
  value = client_reply(c, client_send(c, "Debugger.evaluateOnCallFrame", params));
  r->ok_y = value && strstr(value, "\"value\":41");
  client_send(c, "Debugger.resume", NULL);
}

static void test_breakpoint_by_url_step_and_locals(void **state) {
  (void)state;
  client c;
  client_open(&c, g_rt, NULL);
  assert_ok(vh_inspector_set_engine_name(c.inspector, g_e, "main"));
  assert_non_null(strstr(client_call(&c, "Runtime.enable", NULL), "\"result\""));
  assert_non_null(client_wait(&c, "\"name\":\"main\""));  /* the engine is a named context */
  client_call(&c, "Debugger.enable", NULL);
  const char *bp = client_call(&c, "Debugger.setBreakpointByUrl", "{\"url\":\"app.js\",\"lineNumber\":2}");
  assert_non_null(strstr(bp, "\"breakpointId\""));

  debug_run run = {&c, false, false, false, false};
  uv_thread_t t;
  assert_int_equal(uv_thread_create(&t, debugger_thread, &run), 0);
  vh_value v;
  assert_ok(vh_runtime_set_deadline(g_rt, 60000));  /* a client that fails must not hang the test */
  assert_ok(vh_eval(g_e, kApp, VH_AUTO_LENGTH, "app.js", &v));
  assert_ok(vh_runtime_set_deadline(g_rt, 0));
  uv_thread_join(&t);
  char out[64];
  assert_ok(vh_value_string_utf8(v, out, sizeof out, NULL));
  assert_string_equal(out, "410");
  assert_true(run.ok_paused_line2);
  assert_true(run.ok_x);
  assert_true(run.ok_step_line3);
  assert_true(run.ok_y);
  /* The script reported its URL and its source map. */
  const char *parsed = client_wait(&c, "\"url\":\"app.js\"");
  assert_non_null(parsed);
  assert_non_null(strstr(parsed, "\"sourceMapURL\":\"app.js.map\""));
  assert_ok(vh_inspector_dispose(c.inspector));
  assert_status(VH_EDISPOSED, vh_inspector_session_send(c.session, "{}", 2));
  client_free(&c);
}

/* Modules report their resolved name as URL. */
static void test_module_url(void **state) {
  (void)state;
  client c;
  client_open(&c, g_rt, NULL);
  client_call(&c, "Debugger.enable", NULL);
  assert_ok(vh_module_eval(g_e, "export const a = 1;\n", VH_AUTO_LENGTH, "file:///mod/a.mjs", NULL));
  const char *parsed = client_wait(&c, "\"url\":\"file:///mod/a.mjs\"");
  assert_non_null(parsed);
  assert_non_null(strstr(parsed, "\"isModule\":true"));
  assert_ok(vh_inspector_dispose(c.inspector));
  client_free(&c);
}

/* ---- pause on start ----------------------------------------------------------------------- */

static void go_thread(void *arg) {
  client *c = arg;
  client_send(c, "Debugger.enable", NULL);
  client_send(c, "Runtime.runIfWaitingForDebugger", NULL);
  const char *paused = client_wait(c, "\"method\":\"Debugger.paused\"");
  if (paused && strstr(paused, "\"lineNumber\":0")) client_send(c, "Runtime.evaluate", "{\"expression\":\"globalThis.sawPause = 1\"}");
  client_send(c, "Debugger.resume", NULL);
}

static void test_pause_on_start(void **state) {
  (void)state;
  client c;
  client_open(&c, g_rt, NULL);
  assert_status(VH_ETIMEDOUT, vh_inspector_pause_on_start(c.inspector, g_e, 20));
  uv_thread_t t;
  assert_int_equal(uv_thread_create(&t, go_thread, &c), 0);
  assert_ok(vh_inspector_pause_on_start(c.inspector, g_e, 10000));
  vh_value v;
  assert_ok(vh_runtime_set_deadline(g_rt, 60000));
  assert_ok(vh_eval(g_e, "var started = 1;\nString(globalThis.sawPause)", VH_AUTO_LENGTH, "start.js", &v));
  assert_ok(vh_runtime_set_deadline(g_rt, 0));
  uv_thread_join(&t);
  char out[16];
  assert_ok(vh_value_string_utf8(v, out, sizeof out, NULL));
  assert_string_equal(out, "1");  /* the client evaluated while paused on line 0 */
  assert_ok(vh_inspector_dispose(c.inspector));
  client_free(&c);
}

/* The same with the runtime's lock released between the wait and the script (as v8host-shell
 * does): V8's own "pause on the next call" request does not survive that; the pause must. */
static void test_pause_on_start_after_relock(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  vh_value v;
  open_runtime(NULL, &rt, &e, NULL);
  client c;
  client_open(&c, rt, NULL);
  uv_thread_t t;
  assert_int_equal(uv_thread_create(&t, go_thread, &c), 0);
  assert_ok(vh_inspector_pause_on_start(c.inspector, e, 10000));  /* no scope open: lock released */
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_runtime_set_deadline(rt, 60000));
  assert_ok(vh_eval(e, "var started = 1;\nString(globalThis.sawPause)", VH_AUTO_LENGTH, "start.js", &v));
  uv_thread_join(&t);
  char out[16];
  assert_ok(vh_value_string_utf8(v, out, sizeof out, NULL));
  assert_string_equal(out, "1");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
  client_free(&c);
}

/* Pause on start names an engine: script of another engine of the runtime runs on unpaused;
 * the pause comes at the first line the named engine runs. */
typedef struct start_run {
  client *c;
  char first_script[64]; /* the top frame's scriptId in the first Debugger.paused ("": none) */
  int first_line;     /* and its line (-1: none) */
} start_run;

static void named_go_thread(void *arg) {
  start_run *r = arg;
  client *c = r->c;
  client_send(c, "Runtime.runIfWaitingForDebugger", NULL);
  const char *paused = client_wait(c, "\"method\":\"Debugger.paused\"");
  if (!paused) return;
  /* callFrames[0].location (its url field is empty in V8 10.2: the script is found by id) */
  const char *where = strstr(paused, "\"location\":{\"scriptId\":\"");
  if (where) {
    sscanf(where + 24, "%63[^\"]", r->first_script);
    const char *line = strstr(where, "\"lineNumber\":");
    if (line) r->first_line = atoi(line + 13);
  }
  char frame[128] = "", params[512];
  const char *id = strstr(paused, "\"callFrameId\":\"");
  if (id) sscanf(id + 15, "%127[^\"]", frame);
  snprintf(params, sizeof params, "{\"callFrameId\":\"%s\",\"expression\":\"globalThis.sawStartB = 1\"}", frame);
  client_reply(c, client_send(c, "Debugger.evaluateOnCallFrame", params));
  client_send(c, "Debugger.resume", NULL);
}

static void test_pause_on_start_named_engine(void **state) {
  (void)state;
  vh_engine b;
  vh_scope sb;
  vh_value v;
  char out[64];
  assert_ok(vh_engine_new(g_rt, NULL, &b));
  client c;
  client_open(&c, g_rt, NULL);
  assert_ok(vh_inspector_set_engine_name(c.inspector, g_e, "A"));
  assert_ok(vh_inspector_set_engine_name(c.inspector, b, "B"));
  client_call(&c, "Runtime.enable", NULL);
  client_call(&c, "Debugger.enable", NULL);
  const char *created = client_wait(&c, "\"name\":\"B\"");
  assert_non_null(created);
  const char *ctx = strstr(created, "\"context\":{\"id\":");
  assert_non_null(ctx);
  int b_context = atoi(ctx + 16);

  start_run run;
  memset(&run, 0, sizeof run);
  run.c = &c;
  run.first_line = -1;
  uv_thread_t t;
  assert_int_equal(uv_thread_create(&t, named_go_thread, &run), 0);
  assert_ok(vh_inspector_pause_on_start(c.inspector, b, 10000));
  assert_ok(vh_runtime_set_deadline(g_rt, 60000)); /* a client that fails must not hang the test */
  /* Engine A first: it must run to its end unpaused (a pause would set A's sawStartB). */
  assert_ok(vh_eval(g_e, "var a = 6 * 7;\nString(a) + ':' + String(globalThis.sawStartB)", VH_AUTO_LENGTH, "a.js", &v));
  assert_ok(vh_value_string_utf8(v, out, sizeof out, NULL));
  assert_string_equal(out, "42:undefined");
  /* Then B: paused on its first line, where the client set B's sawStartB; resumed, it completes. */
  assert_ok(vh_scope_open(b, &sb));
  assert_ok(vh_eval(b, "var started = 1;\nString(globalThis.sawStartB)", VH_AUTO_LENGTH, "b.js", &v));
  assert_ok(vh_value_string_utf8(v, out, sizeof out, NULL));
  assert_string_equal(out, "1");
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_runtime_set_deadline(g_rt, 0));
  uv_thread_join(&t);
  /* The first pause was on line 0 of b.js, a script of B's context. */
  assert_int_equal(run.first_line, 0);
  char want[128];
  snprintf(want, sizeof want, "\"scriptId\":\"%s\",", run.first_script);
  const char *parsed = client_wait(&c, want);
  assert_non_null(parsed);
  assert_non_null(strstr(parsed, "\"url\":\"b.js\""));
  snprintf(want, sizeof want, "\"executionContextId\":%d,", b_context);
  assert_non_null(strstr(parsed, want));
  /* Later script of either engine runs unpaused: the pause was used up. */
  assert_ok(vh_eval(g_e, "String(globalThis.sawStartB)", VH_AUTO_LENGTH, "a2.js", &v));
  assert_ok(vh_value_string_utf8(v, out, sizeof out, NULL));
  assert_string_equal(out, "undefined");
  assert_ok(vh_inspector_dispose(c.inspector));
  assert_ok(vh_engine_dispose(b));
  client_free(&c);
}

/* ---- requests reach a runtime that is busy running script, or idle in its loop ------------ */

static void pause_running_thread(void *arg) {
  client *c = arg;
  client_send(c, "Debugger.enable", NULL);
  client_send(c, "Debugger.pause", NULL);  /* dispatched by an interrupt of the running loop */
  const char *paused = client_wait(c, "\"method\":\"Debugger.paused\"");
  if (!paused) return;
  char frame[128] = "", params[256];
  const char *id = strstr(paused, "\"callFrameId\":\"");
  if (id) sscanf(id + 15, "%127[^\"]", frame);
  snprintf(params, sizeof params, "{\"callFrameId\":\"%s\",\"expression\":\"stop = true\"}", frame);
  client_reply(c, client_send(c, "Debugger.evaluateOnCallFrame", params));
  client_send(c, "Debugger.resume", NULL);
}

static void test_requests_reach_running_script(void **state) {
  (void)state;
  client c;
  client_open(&c, g_rt, NULL);
  /* Set up before the client starts: the pause may come at the spinning script's first statement. */
  eval_ok(g_e, "var stop = false, n = 0; function tick() { n++; }");
  uv_thread_t t;
  assert_int_equal(uv_thread_create(&t, pause_running_thread, &c), 0);
  /* Spins until the client, having paused it from outside, sets stop. The loop calls a function:
   * a Debugger.pause that arrives before the script's first frame exists becomes V8's "pause on
   * the next call". A deadline turns a pause that never comes into a failure, not a hang. */
  assert_ok(vh_runtime_set_deadline(g_rt, 60000));
  assert_eval_string(g_e, "while (!stop) tick(); 'stopped'", "stopped");
  assert_ok(vh_runtime_set_deadline(g_rt, 0));
  uv_thread_join(&t);
  assert_ok(vh_inspector_dispose(c.inspector));
  client_free(&c);
}

typedef struct idle_run {
  client *c;
  bool answered;
} idle_run;

static void idle_client_thread(void *arg) {
  idle_run *r = arg;
  const char *reply = client_reply(r->c, client_send(r->c, "Runtime.evaluate", "{\"expression\":\"20 + 22\"}"));
  r->answered = reply && strstr(reply, "\"value\":42");
  client_send(r->c, "Runtime.evaluate", "{\"expression\":\"clearTimeout(globalThis.keepAlive)\"}");
}

static void test_requests_reach_idle_loop(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  open_runtime(NULL, &rt, &e, &s);
  assert_ok(vh_engine_install_builtins(e, VH_BUILTIN_TIMERS));
  /* A timer far away keeps the loop waiting; the client's second request clears it. */
  eval_ok(e, "globalThis.keepAlive = setTimeout(() => {}, 60000)");
  assert_ok(vh_scope_close(s));
  client c;
  client_open(&c, rt, NULL);
  idle_run run = {&c, false};
  uv_thread_t t;
  assert_int_equal(uv_thread_create(&t, idle_client_thread, &run), 0);
  uint64_t start = uv_hrtime();
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, NULL));  /* returns once the timer is cleared */
  uv_thread_join(&t);
  assert_true(run.answered);
  assert_true(uv_hrtime() - start < 50000000000ull);  /* not the timer's minute: generous bound */
  assert_ok(vh_runtime_dispose(rt));
  client_free(&c);
}

/* ---- a CPU profile ------------------------------------------------------------------------- */

static void test_cpu_profile(void **state) {
  (void)state;
  client c;
  client_open(&c, g_rt, NULL);
  client_call(&c, "Profiler.enable", NULL);
  client_call(&c, "Profiler.setSamplingInterval", "{\"interval\":100}");
  client_call(&c, "Profiler.start", NULL);
  eval_ok(g_e, "function hotLoop() { let s = 0; for (let i = 0; i < 3e7; i++) s += i % 7; return s; }\n"
               "hotLoop();");
  const char *profile = client_call(&c, "Profiler.stop", NULL);
  assert_non_null(strstr(profile, "\"profile\""));
  assert_non_null(strstr(profile, "\"nodes\""));
  assert_non_null(strstr(profile, "\"samples\""));
  assert_non_null(strstr(profile, "hotLoop"));
  assert_ok(vh_inspector_dispose(c.inspector));
  client_free(&c);
}

/* ---- garbage in --------------------------------------------------------------------------- */

static void test_garbage_requests(void **state) {
  (void)state;
  client c;
  client_open(&c, g_rt, NULL);
  const char *bad[] = {"not json", "{", "[]", "{\"id\":\"x\"}", "{\"id\":1}", "\xd8\x5a\x00\x00\x00\x10garbage",
                       "{\"id\":7,\"method\":\"\xff\xfe\"}", ""};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_ok(vh_inspector_session_send(c.session, bad[i], i == 5 ? 14 : strlen(bad[i])));
  assert_ok(vh_inspector_dispatch(c.inspector));
  assert_non_null(client_wait(&c, "\"error\""));  /* V8 answers malformed requests with errors */
  const char *unknown = client_call(&c, "No.suchMethod", NULL);
  assert_non_null(strstr(unknown, "\"error\""));
  assert_non_null(strstr(unknown, "wasn't found"));
  /* A 1 MiB request: a string literal V8 evaluates. */
  size_t n = 1 << 20;
  char *big = malloc(n + 128);
  int len = snprintf(big, 128, "{\"id\":9999,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"'");
  memset(big + len, 'a', n);
  strcpy(big + len + n, "'.length\"}}");
  assert_ok(vh_inspector_session_send(c.session, big, VH_AUTO_LENGTH));
  free(big);
  assert_ok(vh_inspector_dispatch(c.inspector));
  assert_non_null(strstr(client_reply(&c, 9999), "\"value\":1048576"));
  /* 1 MiB of garbage. */
  big = malloc(n);
  memset(big, '{', n);
  assert_ok(vh_inspector_session_send(c.session, big, n));
  free(big);
  assert_ok(vh_inspector_dispatch(c.inspector));
  /* Limits and argument checks. */
  assert_status(VH_ERANGE, vh_inspector_session_send(c.session, "x", (size_t)65 << 20));
  assert_status(VH_EINVAL, vh_inspector_session_send(c.session, NULL, 1));
  /* Still answering, and script still runs. */
  assert_non_null(strstr(client_call(&c, "Runtime.evaluate", "{\"expression\":\"6*7\"}"), "\"value\":42"));
  assert_eval_string(g_e, "'still ' + 'fine'", "still fine");
  assert_ok(vh_inspector_dispose(c.inspector));
  client_free(&c);
}

/* ---- closing, terminating, deadlines while paused ----------------------------------------- */

typedef struct pause_action {
  client *c;
  int kind;  /* 0: close the session; 1: vh_runtime_terminate; 2: nothing (a deadline ends it) */
  int calls;
} pause_action;

static void on_paused(vh_inspector inspector, void *data) {
  pause_action *a = data;
  (void)inspector;
  if (a->calls++ > 0) return;
  if (a->kind == 0) assert_ok(vh_inspector_session_dispose(a->c->session));
  if (a->kind == 1) assert_ok(vh_runtime_terminate(g_rt));
}

static void run_paused(int kind, int expected, const char *expected_value) {
  client c;
  pause_action a = {&c, kind, 0};
  vh_inspector_options o;
  vh_inspector_options_init(&o);
  o.paused = on_paused;
  o.paused_data = &a;
  client_open(&c, g_rt, &o);
  client_call(&c, "Debugger.enable", NULL);
  if (kind == 2) assert_ok(vh_runtime_set_deadline(g_rt, 200));
  vh_value v;
  assert_status(expected, vh_eval(g_e, "var k = 1;\ndebugger;\n'resumed ' + k", VH_AUTO_LENGTH, "p.js", &v));
  if (kind == 2) assert_ok(vh_runtime_set_deadline(g_rt, 0));
  assert_true(a.calls >= 1);  /* it did pause */
  if (expected_value) {
    char out[32];
    assert_ok(vh_value_string_utf8(v, out, sizeof out, NULL));
    assert_string_equal(out, expected_value);
  }
  assert_ok(vh_inspector_dispose(c.inspector));
  client_free(&c);
  assert_eval_string(g_e, "'usable'", "usable");
}

static void test_close_session_while_paused(void **state) {
  (void)state;
  run_paused(0, VH_OK, "resumed 1");
}

static void test_terminate_while_paused(void **state) {
  (void)state;
  run_paused(1, VH_ETERMINATED, NULL);
}

static void test_deadline_while_paused(void **state) {
  (void)state;
  run_paused(2, VH_ETIMEDOUT, NULL);
}

/* ---- another runtime runs while this one is paused ---------------------------------------- */

static void other_runtime_thread(void *arg) {
  int *result = arg;
  vh_engine e;
  vh_scope s;
  vh_value v;
  double d = 0;
  if (vh_engine_new_private(NULL, NULL, &e) != VH_OK) return;
  if (vh_scope_open(e, &s) == VH_OK) {
    if (vh_eval(e, "let s = 0; for (let i = 0; i < 1000; i++) s += i; s", VH_AUTO_LENGTH, "o.js", &v) == VH_OK &&
        vh_value_double(v, &d) == VH_OK)
      *result = (int)d;
    vh_scope_close(s);
  }
  vh_engine_dispose(e);
}

static void run_other_runtime(vh_inspector inspector, void *data) {
  pause_action *a = data;
  (void)inspector;
  if (a->calls++ > 0) return;
  int result = 0;
  uv_thread_t t;
  assert_int_equal(uv_thread_create(&t, other_runtime_thread, &result), 0);
  uv_thread_join(&t);
  assert_int_equal(result, 499500);
  client_send(a->c, "Debugger.resume", NULL);
}

static void test_other_runtime_runs_while_paused(void **state) {
  (void)state;
  client c;
  pause_action a = {&c, 0, 0};
  vh_inspector_options o;
  vh_inspector_options_init(&o);
  o.paused = run_other_runtime;
  o.paused_data = &a;
  client_open(&c, g_rt, &o);
  client_call(&c, "Debugger.enable", NULL);
  assert_eval_string(g_e, "debugger; 'after'", "after");
  assert_int_equal(a.calls, 1);
  assert_ok(vh_inspector_dispose(c.inspector));
  client_free(&c);
}

/* ---- disposal with a session open; misuse ------------------------------------------------- */

static void test_dispose_with_session_open(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  open_runtime(NULL, &rt, &e, NULL);
  client c;
  client_open(&c, rt, NULL);
  client_call(&c, "Debugger.enable", NULL);
  assert_ok(vh_inspector_session_send(c.session, "{\"id\":5,\"method\":\"Runtime.enable\"}", VH_AUTO_LENGTH));
  assert_ok(vh_runtime_dispose(rt));  /* the queued request is dropped, nothing is delivered */
  assert_status(VH_EDISPOSED, vh_inspector_session_send(c.session, "{}", 2));
  assert_status(VH_EDISPOSED, vh_inspector_session_dispose(c.session));
  assert_status(VH_EDISPOSED, vh_inspector_dispose(c.inspector));
  assert_status(VH_EDISPOSED, vh_inspector_dispatch(c.inspector));
  client_free(&c);
}

static void test_misuse(void **state) {
  (void)state;
  vh_inspector in, none = {0};
  vh_inspector_session s = {0};
  assert_status(VH_EINVAL, vh_inspector_new(g_rt, NULL, NULL));
  assert_ok(vh_inspector_new(g_rt, NULL, &in));
  assert_status(VH_EBUSY, vh_inspector_new(g_rt, NULL, &in));  /* one per runtime */
  assert_status(VH_EINVAL, vh_inspector_session_new(in, NULL, NULL, &s));
  assert_status(VH_EINVAL, vh_inspector_set_engine_name(in, g_e, NULL));
  assert_status(VH_EINVAL, vh_inspector_dispose(none));
  assert_status(VH_EINVAL, vh_inspector_session_send(s, "{}", 2));
  size_t len;
  assert_status(VH_ENOTSUP, vh_inspector_url(in, NULL, 0, &len));  /* not listening */
  vh_inspector_listen_options lo;
  vh_inspector_listen_options_init(&lo);
  lo.host = "0.0.0.0";
  int rc = vh_inspector_listen(in, &lo);
  assert_true(rc == VH_EINVAL || rc == VH_ENOTSUP);  /* never without allow_remote */
  assert_ok(vh_inspector_dispose(in));
  assert_status(VH_EDISPOSED, vh_inspector_dispose(in));
}

int main(void) {
  /* A build without the inspector (docs/debugging.md): every call says VH_ENOTSUP, which
   * test_misuse checks; here there is nothing to run. 77: ctest's "skipped". */
  vh_runtime probe;
  vh_inspector none;
  if (vh_runtime_new(NULL, &probe) == VH_OK) {
    int rc = vh_inspector_new(probe, NULL, &none);
    vh_runtime_dispose(probe);
    if (rc == VH_ENOTSUP) {
      printf("the inspector is not in this build: skipped\n");
      return 77;
    }
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_breakpoint_by_url_step_and_locals, setup, teardown),
      cmocka_unit_test_setup_teardown(test_module_url, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pause_on_start, setup, teardown),
      cmocka_unit_test(test_pause_on_start_after_relock),
      cmocka_unit_test_setup_teardown(test_pause_on_start_named_engine, setup, teardown),
      cmocka_unit_test_setup_teardown(test_requests_reach_running_script, setup, teardown),
      cmocka_unit_test(test_requests_reach_idle_loop),
      cmocka_unit_test_setup_teardown(test_cpu_profile, setup, teardown),
      cmocka_unit_test_setup_teardown(test_garbage_requests, setup, teardown),
      cmocka_unit_test_setup_teardown(test_close_session_while_paused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_terminate_while_paused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_deadline_while_paused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_other_runtime_runs_while_paused, setup, teardown),
      cmocka_unit_test(test_dispose_with_session_open),
      cmocka_unit_test_setup_teardown(test_misuse, setup, teardown),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
