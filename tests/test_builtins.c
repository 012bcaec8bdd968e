/* Builtins: timers, queueMicrotask and console (loop.h). */
#include <stdatomic.h>
#include <time.h>
#include <uv.h>

#include "test_util.h"

/* Each test gets a fresh runtime with all builtins, a console sink and an error handler. */
static vh_runtime g_rt;
static vh_engine g_e;

#define MAX_LINES 32
static struct {
  int count;
  vh_console_level level[MAX_LINES];
  char text[MAX_LINES][256];
  size_t length[MAX_LINES];
} g_console;

static struct {
  int uncaught, rejections;
  char last[256];
} g_errors;

static void sink(vh_engine engine, vh_console_level level, const char *text, size_t length, void *data) {
  (void)engine;
  assert_ptr_equal(data, &g_console);
  if (g_console.count >= MAX_LINES) return;
  int i = g_console.count++;
  g_console.level[i] = level;
  g_console.length[i] = length;
  size_t n = length < sizeof g_console.text[i] - 1 ? length : sizeof g_console.text[i] - 1;
  memcpy(g_console.text[i], text, n);
  g_console.text[i][n] = '\0';
}

static void on_error(vh_engine engine, vh_error_event event, const vh_exception *error, void *data) {
  (void)engine;
  (void)data;
  if (event == VH_ERROR_EVENT_UNCAUGHT_EXCEPTION) g_errors.uncaught++;
  else g_errors.rejections++;
  snprintf(g_errors.last, sizeof g_errors.last, "%s", error->message);
}

static int setup(void **state) {
  (void)state;
  memset(&g_console, 0, sizeof g_console);
  memset(&g_errors, 0, sizeof g_errors);
  if (vh_runtime_new(NULL, &g_rt) != VH_OK) return -1;
  if (vh_engine_new(g_rt, NULL, &g_e) != VH_OK) return -1;
  if (vh_runtime_set_console(g_rt, sink, &g_console) != VH_OK) return -1;
  if (vh_runtime_set_error_handler(g_rt, on_error, NULL) != VH_OK) return -1;
  vh_scope s;
  if (vh_scope_open(g_e, &s) != VH_OK) return -1;
  int rc = vh_engine_install_builtins(g_e, VH_BUILTIN_ALL);
  vh_scope_close(s);
  return rc == VH_OK ? 0 : -1;
}
static int teardown(void **state) {
  (void)state;
  return vh_runtime_dispose(g_rt) == VH_OK ? 0 : -1;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Evaluates src in a scope of its own. */
#define assert_js(src) assert_js_scoped(g_e, src)
static void js_string(const char *src, char *buf, size_t size) {
  vh_scope s;
  assert_ok(vh_scope_open(g_e, &s));
  assert_ok(vh_value_string_utf8(eval_ok(g_e, src), buf, size, NULL));
  assert_ok(vh_scope_close(s));
}

/* ---- timers ------------------------------------------------------------------------------- */

static void test_timeout_order(void **state) {
  (void)state;
  eval_scoped(g_e,
              "var order = [];"
              "setTimeout(() => order.push(30), 30);"
              "setTimeout(() => order.push(10), 10);"
              "setTimeout(() => order.push(20), 20);"
              "setTimeout(() => order.push('a'), 15);"
              "setTimeout(() => order.push('b'), 15);"
              "setTimeout(() => order.push('c'), 15);"
              "setTimeout(() => order.push('z0'));");
  assert_js("order.length === 0");  /* never inline */
  run_until_empty(g_rt);
  char buf[128];
  js_string("order.join()", buf, sizeof buf);
  assert_string_equal(buf, "z0,10,a,b,c,20,30");
}

static void test_ids_and_coercion(void **state) {
  (void)state;
  eval_scoped(g_e,
              "var ids = [setTimeout(() => {}), setInterval(() => {}, 5), setTimeout(() => {}, NaN),"
              "           setTimeout(() => {}, -100), setTimeout(() => {}, '3'), setTimeout(() => {}, 1e12)];"
              "ids.forEach(clearTimeout); var fired = [];"
              "setTimeout(() => fired.push('neg'), -5);"
              "setTimeout(() => fired.push('nan'), NaN);"
              "setTimeout(() => fired.push('obj'), { valueOf() { return 2; } });"
              "var self; setTimeout(function () { self = this; }, 1);");
  assert_js("ids.every(id => Number.isInteger(id) && id > 0)");
  assert_js("new Set(ids).size === ids.length");
  assert_js("ids.every((id, i) => i === 0 || id > ids[i - 1])");
  /* Non-functions are a TypeError; a throwing delay conversion propagates. */
  assert_js("(() => { try { setTimeout('1 + 1', 1); } catch (e) { return e instanceof TypeError; } })()");
  assert_js("(() => { try { setInterval({}, 1); } catch (e) { return e instanceof TypeError; } })()");
  assert_js("(() => { try { setTimeout(); } catch (e) { return e instanceof TypeError; } })()");
  assert_js("(() => { try { setTimeout(() => {}, { valueOf() { throw 7; } }); } catch (e) { return e === 7; } })()");
  run_until_empty(g_rt);
  assert_js("fired.join() === 'neg,nan,obj'");
  assert_js("self === globalThis");
  assert_int_equal(g_errors.uncaught, 0);
}

static void test_clear_before_firing(void **state) {
  (void)state;
  eval_scoped(g_e,
              "var fired = false, done = false;"
              "var id = setTimeout(() => { fired = true; }, 10);"
              "clearTimeout(id); clearTimeout(id); clearTimeout(123456); clearTimeout(undefined);"
              "clearTimeout(null); clearTimeout('nope'); clearTimeout({}); clearInterval(-1); clearTimeout(1.5);"
              "var iid = setInterval(() => { fired = true; }, 5); clearInterval(iid);"
              "var t2 = setTimeout(() => { fired = true; }, 5); clearInterval(t2);" /* either clears either */
              "setTimeout(() => { done = true; }, 30);");
  run_until_empty(g_rt);
  assert_js("!fired && done");
}

static void test_interval(void **state) {
  (void)state;
  eval_scoped(g_e,
              "var n = 0, after = 0;"
              "var id = setInterval((step) => { n += step; if (n === 5) clearInterval(id); }, 5, 1);"
              "var id2 = setInterval(() => { if (++after === 4) clearInterval(id2); }, 2);");
  double t0 = now_ms();
  run_until_empty(g_rt);
  assert_true(now_ms() - t0 >= 20);
  assert_js("n === 5");
  assert_js("after === 4");
}

static void test_extra_args(void **state) {
  (void)state;
  eval_scoped(g_e,
              "var got;"
              "setTimeout(function (a, b, c, d) { got = [a, b, c, d, arguments.length]; }, 1, 1, 'two', { three: 3 });");
  run_until_empty(g_rt);
  assert_js("JSON.stringify(got) === '[1,\"two\",{\"three\":3},null,3]'");
}

static void test_throwing_callback_reported(void **state) {
  (void)state;
  eval_scoped(g_e,
              "var after = false, ticks = 0;"
              "setTimeout(() => { throw new Error('boom'); }, 5);"
              "var id = setInterval(() => { if (++ticks === 3) clearInterval(id); throw new RangeError('tick'); }, 3);"
              "setTimeout(() => { after = true; }, 40);");
  run_until_empty(g_rt);
  assert_js("after && ticks === 3");
  assert_int_equal(g_errors.uncaught, 4);
  assert_int_equal(g_errors.rejections, 0);
  /* A rejection left unhandled by a timer callback is reported as such. */
  eval_scoped(g_e, "setTimeout(() => { Promise.reject(new Error('nobody')); }, 1);");
  run_until_empty(g_rt);
  assert_int_equal(g_errors.rejections, 1);
  assert_non_null(strstr(g_errors.last, "nobody"));
  /* An exception thrown by a queueMicrotask callback reaches the handler too (V8 reports it
   * itself, no call of ours sees it). */
  eval_scoped(g_e, "setTimeout(() => queueMicrotask(() => { throw new TypeError('from a microtask'); }), 1);");
  run_until_empty(g_rt);
  assert_int_equal(g_errors.uncaught, 5);
  assert_non_null(strstr(g_errors.last, "from a microtask"));
}

static void test_microtask_order(void **state) {
  (void)state;
  eval_scoped(g_e,
              "var log = [];"
              "setTimeout(() => {"
              "  log.push('t1');"
              "  queueMicrotask(() => log.push('t1-micro'));"
              "  Promise.resolve().then(() => log.push('t1-then'));"
              "}, 0);"
              "setTimeout(() => log.push('t2'), 0);"
              "Promise.resolve().then(() => log.push('p1'));"
              "queueMicrotask(() => { log.push('m1'); queueMicrotask(() => log.push('m1-nested')); });"
              "Promise.resolve().then(() => log.push('p2'));"
              "log.push('sync');");
  assert_js("log.join() === 'sync'");
  run_until_empty(g_rt);
  char buf[256];
  js_string("log.join()", buf, sizeof buf);
  assert_string_equal(buf, "sync,p1,m1,p2,m1-nested,t1,t1-micro,t1-then,t2");
  assert_js("(() => { try { queueMicrotask(1); } catch (e) { return e instanceof TypeError; } })()");
  assert_js("(() => { try { queueMicrotask(); } catch (e) { return e instanceof TypeError; } })()");
}

/* ---- console ------------------------------------------------------------------------------ */

static void test_console_sink(void **state) {
  (void)state;
  eval_scoped(g_e,
              "console.log('a', 1, 2.5, undefined, null, true, { x: 1, y: [1, 2] }, [1, 'b'], 'c d');"
              "console.warn('careful');"
              "console.error('bad', -0, NaN);"
              "console.log();"
              "var cyc = {}; cyc.self = cyc; console.log(cyc);"
              "console.log(Symbol('s'), 10n, function f() { return 1; });"
              "console.log(new Error('oops'));"
              "console.log({ toJSON() { throw 1; } }, { toJSON() { throw 1; }, toString() { throw 2; } });"
              "console.log('h\\u00e9llo \\u{1F600}', { toJSON() { return undefined; } });"
              "console.log('nul\\0byte');");
  assert_int_equal(g_console.count, 10);
  assert_int_equal(g_console.level[0], VH_CONSOLE_LEVEL_LOG);
  assert_string_equal(g_console.text[0], "a 1 2.5 undefined null true {\"x\":1,\"y\":[1,2]} [1,\"b\"] c d");
  assert_int_equal(g_console.level[1], VH_CONSOLE_LEVEL_WARN);
  assert_string_equal(g_console.text[1], "careful");
  assert_int_equal(g_console.level[2], VH_CONSOLE_LEVEL_ERROR);
  assert_string_equal(g_console.text[2], "bad 0 NaN");
  assert_string_equal(g_console.text[3], "");
  assert_int_equal(g_console.length[3], 0);
  assert_string_equal(g_console.text[4], "[object Object]");
  assert_string_equal(g_console.text[5], "Symbol(s) 10 function f() { return 1; }");
  assert_true(strncmp(g_console.text[6], "Error: oops", 11) == 0);
  assert_string_equal(g_console.text[7], "[object Object] [object]");
  assert_string_equal(g_console.text[8], "h\xc3\xa9llo \xf0\x9f\x98\x80 [object Object]");
  assert_int_equal(g_console.length[9], 8);
  assert_memory_equal(g_console.text[9], "nul\0byte", 8);
  /* console.* returns undefined and never throws. */
  assert_js("console.log({ get x() { throw 1; } }) === undefined");
  assert_int_equal(g_console.count, 11);
  assert_string_equal(g_console.text[10], "[object Object]");
  assert_int_equal(g_errors.uncaught, 0);
}

static void test_console_default_sink(void **state) {
  (void)state;
  assert_ok(vh_runtime_set_console(g_rt, NULL, NULL));
  eval_scoped(g_e,
              "console.log('[test_builtins] console.log to stdout', { ok: true });"
              "console.warn('[test_builtins] console.warn to stderr');"
              "console.error('[test_builtins] console.error to stderr', 42);");
  fflush(stdout);
  assert_int_equal(g_console.count, 0);
  vh_runtime stale = {0};
  assert_status(VH_EINVAL, vh_runtime_set_console(stale, sink, NULL));
}

static void test_console_in_timer(void **state) {
  (void)state;
  eval_scoped(g_e, "setTimeout((x) => console.log('tick', x), 1, { n: 1 });");
  assert_int_equal(g_console.count, 0);
  run_until_empty(g_rt);
  assert_int_equal(g_console.count, 1);
  assert_string_equal(g_console.text[0], "tick {\"n\":1}");
}

/* Every method of V8's own console (an engine without the builtin has it) exists on the
 * builtin's console, as a function. Today only log, warn and error did. */
static void test_console_has_every_v8_method(void **state) {
  (void)state;
  vh_engine plain;
  vh_scope s;
  char names[1024];
  assert_ok(vh_engine_new(g_rt, NULL, &plain));
  assert_ok(vh_scope_open(plain, &s));
  vh_value v = eval_ok(plain,
                       "Object.getOwnPropertyNames(console)"
                       ".filter(k => typeof console[k] === 'function').sort().join()");
  assert_ok(vh_value_string_utf8(v, names, sizeof names, NULL));
  assert_ok(vh_scope_close(s));
  assert_non_null(strstr(names, "timeEnd")); /* V8's list is what we think it is */
  char src[1400];
  snprintf(src, sizeof src,
           "'%s'.split(',').filter(k => typeof console[k] !== 'function').join() || 'all there'", names);
  assert_ok(vh_scope_open(g_e, &s));
  assert_eval_string(g_e, src, "all there");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(plain));
}

/* Each method reaches the sink with its level. */
static void test_console_levels(void **state) {
  (void)state;
  eval_scoped(g_e,
              "console.info('i', 1); console.debug('d'); console.dir({ a: 1 }); console.dirxml('x');"
              "console.table([1]);"
              "console.assert(true, 'not shown'); console.assert(0, 'shown', 2); console.assert(false);"
              "console.count(); console.count('c'); console.count(); console.countReset();"
              "console.count(); console.countReset('nope');"
              "console.time('t'); console.time('t'); console.timeLog('t', 'more'); console.timeEnd('t');"
              "console.timeEnd('t');"
              "console.group('g'); console.log('in\\nside'); console.groupCollapsed(); console.warn('deeper');"
              "console.groupEnd(); console.groupEnd(); console.groupEnd(); console.log('out');"
              "console.clear(); console.profile(); console.profileEnd(); console.timeStamp();"
              "console.context();"
              "function f() { console.trace('here', 1); } f();");
  static const struct {
    vh_console_level level;
    const char *text; /* a prefix when it ends in '*' */
  } want[] = {
      {VH_CONSOLE_LEVEL_INFO, "i 1"},
      {VH_CONSOLE_LEVEL_DEBUG, "d"},
      {VH_CONSOLE_LEVEL_LOG, "{\"a\":1}"},
      {VH_CONSOLE_LEVEL_LOG, "x"},
      {VH_CONSOLE_LEVEL_LOG, "[1]"},
      {VH_CONSOLE_LEVEL_ERROR, "Assertion failed: shown 2"},
      {VH_CONSOLE_LEVEL_ERROR, "Assertion failed"},
      {VH_CONSOLE_LEVEL_INFO, "default: 1"},
      {VH_CONSOLE_LEVEL_INFO, "c: 1"},
      {VH_CONSOLE_LEVEL_INFO, "default: 2"},
      {VH_CONSOLE_LEVEL_INFO, "default: 1"},
      {VH_CONSOLE_LEVEL_WARN, "Count for 'nope' does not exist"},
      {VH_CONSOLE_LEVEL_WARN, "Timer 't' already exists"},
      {VH_CONSOLE_LEVEL_INFO, "t: *"},
      {VH_CONSOLE_LEVEL_INFO, "t: *"},
      {VH_CONSOLE_LEVEL_WARN, "Timer 't' does not exist"},
      {VH_CONSOLE_LEVEL_LOG, "g"},
      {VH_CONSOLE_LEVEL_LOG, "  in\n  side"},
      {VH_CONSOLE_LEVEL_WARN, "    deeper"},
      {VH_CONSOLE_LEVEL_LOG, "out"},
      {VH_CONSOLE_LEVEL_CLEAR, ""},
      {VH_CONSOLE_LEVEL_TRACE, "Trace: here 1\n    at f (test.js:1:*"},
  };
  size_t n = sizeof want / sizeof want[0];
  assert_int_equal(g_console.count, (int)n);
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(want[i].text);
    bool prefix = len && want[i].text[len - 1] == '*';
    if (g_console.level[i] != want[i].level ||
        (prefix ? strncmp(g_console.text[i], want[i].text, len - 1) != 0
                : strcmp(g_console.text[i], want[i].text) != 0)) {
      print_error("line %zu: level %d \"%s\", expected %d \"%s\"\n", i, g_console.level[i],
                  g_console.text[i], want[i].level, want[i].text);
      fail();
    }
  }
  assert_true(strstr(g_console.text[13], "ms more") != NULL);
  assert_int_equal(g_errors.uncaught, 0);
}

/* ---- running and disposal ----------------------------------------------------------------- */

static void test_run_default_waits(void **state) {
  (void)state;
  eval_scoped(g_e,
              "var fired = [];"
              "setTimeout(() => fired.push(1), 10);"
              "setTimeout(() => { fired.push(2); setTimeout(() => fired.push(3), 30); }, 20);");
  double t0 = now_ms();
  bool alive = true;
  assert_ok(vh_runtime_run(g_rt, VH_RUN_MODE_DEFAULT, &alive));
  assert_false(alive);
  assert_true(now_ms() - t0 >= 45);
  assert_js("fired.join() === '1,2,3'");
  /* Nothing left: returns at once. */
  t0 = now_ms();
  assert_ok(vh_runtime_run(g_rt, VH_RUN_MODE_DEFAULT, &alive));
  assert_false(alive);
  assert_true(now_ms() - t0 < 100);
}

static void test_run_nowait(void **state) {
  (void)state;
  /* Let the loop's cached time go stale: the timer must still count from when it was set. */
  uv_sleep(250);
  eval_scoped(g_e, "var fired = false; setTimeout(() => { fired = true; }, 200);");
  double t0 = now_ms();
  bool alive = false;
  assert_ok(vh_runtime_run(g_rt, VH_RUN_MODE_NOWAIT, &alive));
  assert_true(alive);
  assert_true(now_ms() - t0 < 150);
  assert_js("!fired");
  /* ONCE may come back early (the loop also wakes for V8's platform tasks) */
  for (int i = 0; i < 100 && alive; ++i) assert_ok(vh_runtime_run(g_rt, VH_RUN_MODE_ONCE, &alive));
  assert_js("fired");
  assert_false(alive);
  assert_true(now_ms() - t0 >= 190);
}

static void test_dispose_with_active_timers(void **state) {
  (void)state;
  eval_scoped(g_e,
              "var n = 0;"
              "setInterval(() => { n++; }, 1, { big: new Array(1000).fill(7) });"
              "for (let i = 0; i < 50; i++) setTimeout(() => {}, 10000 + i, [i]);"
              "setTimeout(() => {}, 1);");
  bool alive = false;
  assert_ok(vh_runtime_run(g_rt, VH_RUN_MODE_ONCE, &alive));
  assert_true(alive);
  /* teardown disposes the runtime with the interval and 50 timeouts still active */
}

static void test_dispose_engine_with_timer(void **state) {
  (void)state;
  vh_engine e2;
  assert_ok(vh_engine_new(g_rt, NULL, &e2));
  vh_scope s;
  assert_ok(vh_scope_open(e2, &s));
  assert_ok(vh_engine_install_builtins(e2, VH_BUILTIN_TIMERS | VH_BUILTIN_CONSOLE));
  eval_ok(e2, "setTimeout(() => console.log('never'), 20); setInterval(() => console.log('never'), 5);");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e2));
  /* Its timers are cancelled with it: they no longer keep the loop alive. */
  bool alive = true;
  assert_ok(vh_runtime_run(g_rt, VH_RUN_MODE_NOWAIT, &alive));
  assert_false(alive);
  eval_scoped(g_e, "var done = false; setTimeout(() => { done = true; }, 30);");
  run_until_empty(g_rt);
  assert_js("done");
  assert_int_equal(g_console.count, 0);
  assert_int_equal(g_errors.uncaught, 0);
}

static void test_flags(void **state) {
  (void)state;
  vh_scope s;
  assert_ok(vh_scope_open(g_e, &s));
  assert_status(VH_EINVAL, vh_engine_install_builtins(g_e, 16));
  assert_status(VH_EINVAL, vh_engine_install_builtins(g_e, VH_BUILTIN_ALL | 0x100));
  vh_engine none = {0};
  assert_status(VH_EINVAL, vh_engine_install_builtins(none, VH_BUILTIN_ALL));
  assert_ok(vh_engine_install_builtins(g_e, 0));
  assert_ok(vh_engine_install_builtins(g_e, VH_BUILTIN_ALL)); /* twice: harmless */
  assert_ok(vh_scope_close(s));
  assert_status(VH_ENOSCOPE, vh_engine_install_builtins(g_e, VH_BUILTIN_ALL));
  eval_scoped(g_e, "var ok = false; setTimeout(() => { ok = true; console.log('again'); }, 1);");
  run_until_empty(g_rt);
  assert_js("ok");
  assert_int_equal(g_console.count, 1);

  /* Each flag installs only its own globals (V8 has a console of its own, which prints nothing). */
  vh_engine e2;
  assert_ok(vh_engine_new(g_rt, NULL, &e2));
  assert_ok(vh_scope_open(e2, &s));
  assert_ok(vh_engine_install_builtins(e2, VH_BUILTIN_QUEUE_MICROTASK));
  bool b = false;
  assert_ok(vh_value_bool(eval_ok(e2, "typeof queueMicrotask === 'function' && typeof setTimeout === 'undefined'"
                                    " && typeof clearInterval === 'undefined'"), &b));
  eval_ok(e2, "console.log('not ours')");
  assert_int_equal(g_console.count, 1);
  assert_true(b);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e2));
}

static void test_host_loop(void **state) {
  (void)state;
  uv_loop_t loop;
  assert_int_equal(uv_loop_init(&loop), 0);
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  open_runtime_on_loop(&loop, &rt, &e, &s);
  assert_ok(vh_engine_install_builtins(e, VH_BUILTIN_ALL));
  eval_ok(e, "var n = 0; setTimeout(() => n++, 5); setTimeout(() => n++, 10);");
  assert_ok(vh_scope_close(s));
  /* The host runs its loop itself. */
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_ok(vh_scope_open(e, &s));
  bool b = false;
  assert_ok(vh_value_bool(eval_ok(e, "n === 2 && this === globalThis"), &b));
  assert_true(b);
  eval_ok(e, "setInterval(() => {}, 1, {}); setTimeout(() => {}, 100000);");
  assert_ok(vh_scope_close(s));
  /* Disposed with timers active: their handles close when the host runs its loop again. */
  assert_ok(vh_runtime_dispose(rt));
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
}

/* ---- workers ------------------------------------------------------------------------------ */

static atomic_int g_reported;
static atomic_int g_report_count;

static int cb_report(const vh_call_info *info, vh_value *result) {
  (void)result;
  int32_t n = -1;
  if (info->argc > 0) vh_value_int32(info->argv[0], &n);
  atomic_store(&g_reported, n);
  atomic_fetch_add(&g_report_count, 1);
  return VH_OK;
}

static int worker_init(vh_engine engine, void *data) {
  (void)data;
  int rc = vh_engine_install_builtins(engine, VH_BUILTIN_ALL);
  if (rc != VH_OK) return rc;
  vh_value f;
  rc = vh_new_function(engine, "report", cb_report, NULL, &f);
  if (rc != VH_OK) return rc;
  return set_global(engine, "report", f);
}

static void task_set_timer(vh_engine engine, int status, void *data) {
  (void)data;
  if (status != VH_OK) return;
  vh_value v;
  vh_eval(engine,
          "var n = 0; var id = setInterval(() => { if (++n === 3) { clearInterval(id);"
          " setTimeout((x) => report(x), 10, 42); } }, 5);"
          "setTimeout(() => {}, 100000);" /* still pending when the worker stops */,
          VH_AUTO_LENGTH, "task.js", &v);
}

static bool wait_count(int n) {
  for (int i = 0; i < 500 && atomic_load(&g_report_count) < n; ++i) uv_sleep(10);
  return atomic_load(&g_report_count) >= n;
}

static void test_worker_timers(void **state) {
  (void)state;
  atomic_store(&g_reported, 0);
  atomic_store(&g_report_count, 0);
  vh_worker w;
  vh_engine we;
  assert_ok(vh_worker_start(NULL, worker_init, NULL, &w, &we));
  assert_ok(vh_engine_post(we, task_set_timer, NULL));
  assert_true(wait_count(1));
  assert_int_equal(atomic_load(&g_reported), 42);

  /* From another thread, holding the worker's lock while its loop runs: the timers are started
   * and cleared by the worker's thread. */
  vh_scope s;
  assert_ok(vh_scope_open(we, &s));
  eval_ok(we,
          "var late = setTimeout(() => report(-1), 30);"
          "setTimeout(() => report(7), 10);"
          "clearTimeout(late);");
  assert_ok(vh_scope_close(s));
  assert_true(wait_count(2));
  assert_int_equal(atomic_load(&g_reported), 7);
  uv_sleep(60);
  assert_int_equal(atomic_load(&g_report_count), 2); /* the cleared one never ran */

  double t0 = now_ms();
  assert_ok(vh_worker_stop(w));
  assert_true(now_ms() - t0 < 5000);
  assert_status(VH_EDISPOSED, vh_engine_post(we, task_set_timer, NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_timeout_order, setup, teardown),
      cmocka_unit_test_setup_teardown(test_ids_and_coercion, setup, teardown),
      cmocka_unit_test_setup_teardown(test_clear_before_firing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_interval, setup, teardown),
      cmocka_unit_test_setup_teardown(test_extra_args, setup, teardown),
      cmocka_unit_test_setup_teardown(test_throwing_callback_reported, setup, teardown),
      cmocka_unit_test_setup_teardown(test_microtask_order, setup, teardown),
      cmocka_unit_test_setup_teardown(test_console_sink, setup, teardown),
      cmocka_unit_test_setup_teardown(test_console_default_sink, setup, teardown),
      cmocka_unit_test_setup_teardown(test_console_in_timer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_console_has_every_v8_method, setup, teardown),
      cmocka_unit_test_setup_teardown(test_console_levels, setup, teardown),
      cmocka_unit_test_setup_teardown(test_run_default_waits, setup, teardown),
      cmocka_unit_test_setup_teardown(test_run_nowait, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dispose_with_active_timers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dispose_engine_with_timer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_flags, setup, teardown),
      cmocka_unit_test_setup_teardown(test_host_loop, setup, teardown),
      cmocka_unit_test_setup_teardown(test_worker_timers, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
