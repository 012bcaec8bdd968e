/* Async host functions: vh_engine_queue_work (loop.h). */
#include <stdatomic.h>
#include <uv.h>

#include "test_util.h"

static vh_runtime g_rt;
static vh_engine g_e;
static int g_uncaught, g_rejections;
static char g_last_error[256];

static void on_error(vh_engine engine, vh_error_event event, const vh_exception *error, void *data) {
  (void)engine;
  (void)data;
  if (event == VH_ERROR_EVENT_UNCAUGHT_EXCEPTION) g_uncaught++;
  else g_rejections++;
  snprintf(g_last_error, sizeof g_last_error, "%s", error->message);
}

/* ---- the async host functions under test ---------------------------------------------------- */

/* What the pool computes and done reads. */
typedef struct job {
  int n;
  int sleep_ms;
  int work_status; /* what work returns */
  int done_rc;     /* what done returns when it does not throw */
  int mode;        /* see done_job */
  long result;
} job;

enum { MODE_RESOLVE, MODE_UNTOUCHED, MODE_THROW_ERROR, MODE_THROW_VALUE, MODE_STATUS, MODE_STRING };

static atomic_int g_work_runs;
static atomic_int g_done_calls, g_done_disposed, g_done_bad_engine;

static int work_job(void *data) {
  job *j = data;
  if (j->sleep_ms) uv_sleep((unsigned)j->sleep_ms);
  j->result = (long)j->n * j->n;
  atomic_fetch_add(&g_work_runs, 1);
  return j->work_status;
}

static int done_job(vh_engine engine, int status, void *data, vh_value *result) {
  job *j = data;
  atomic_fetch_add(&g_done_calls, 1);
  if (status == VH_EDISPOSED) {
    atomic_fetch_add(&g_done_disposed, 1);
    if (engine.id_ != 0) atomic_fetch_add(&g_done_bad_engine, 1);
    free(j);
    return VH_OK;
  }
  int mode = j->mode, rc = j->done_rc;
  long r = j->result;
  free(j);
  switch (mode) {
    case MODE_RESOLVE: return vh_new_double(engine, (double)r, result);
    case MODE_UNTOUCHED: return rc;
    case MODE_THROW_ERROR:
      assert_ok(vh_throw_error(engine, VH_ERROR_KIND_RANGE_ERROR, "too big"));
      return VH_EEXCEPTION;
    case MODE_THROW_VALUE: {
      vh_value v;
      assert_ok(vh_new_int32(engine, 42, &v));
      assert_ok(vh_throw(engine, v));
      return VH_EEXCEPTION;
    }
    case MODE_STATUS:
      if (status < 0) return status; /* a negative code rejects with "<VH_NAME>: ..." */
      return vh_new_int32(engine, status, result);
    case MODE_STRING: return vh_new_string_utf8(engine, "from the pool", VH_AUTO_LENGTH, result);
  }
  return VH_EINVAL;
}

/* compute(n, mode = 0, sleepMs = 20, workStatus = 0, doneRc = 0): a promise. */
static int cb_compute(const vh_call_info *info, vh_value *result) {
  int32_t a[5] = {0, MODE_RESOLVE, 20, VH_OK, VH_OK};
  for (size_t i = 0; i < info->argc && i < 5; ++i) {
    int rc = vh_value_int32(info->argv[i], &a[i]);
    if (rc != VH_OK) return rc;
  }
  job *j = calloc(1, sizeof *j);
  j->n = a[0];
  j->mode = a[1];
  j->sleep_ms = a[2];
  j->work_status = a[3];
  j->done_rc = a[4];
  int rc = vh_engine_queue_work(info->engine, work_job, done_job, j, result);
  if (rc != VH_OK) free(j);
  return rc;
}

static int setup_engine(vh_engine e) {
  vh_value f;
  if (vh_engine_install_builtins(e, VH_BUILTIN_ALL) != VH_OK) return -1;
  if (vh_new_function(e, "compute", cb_compute, NULL, &f) != VH_OK) return -1;
  return set_global(e, "compute", f) == VH_OK ? 0 : -1;
}

static int setup(void **state) {
  (void)state;
  g_uncaught = g_rejections = 0;
  g_last_error[0] = 0;
  atomic_store(&g_work_runs, 0);
  atomic_store(&g_done_calls, 0);
  atomic_store(&g_done_disposed, 0);
  atomic_store(&g_done_bad_engine, 0);
  if (vh_runtime_new(NULL, &g_rt) != VH_OK) return -1;
  if (vh_engine_new(g_rt, NULL, &g_e) != VH_OK) return -1;
  if (vh_runtime_set_error_handler(g_rt, on_error, NULL) != VH_OK) return -1;
  vh_scope s;
  if (vh_scope_open(g_e, &s) != VH_OK) return -1;
  int rc = setup_engine(g_e);
  vh_scope_close(s);
  return rc;
}
static int teardown(void **state) {
  (void)state;
  return g_rt.id_ == 0 || vh_runtime_dispose(g_rt) == VH_OK ? 0 : -1;
}

#define assert_js(src) assert_js_scoped(g_e, src)

/* ---- tests -------------------------------------------------------------------------------- */

static void test_resolve_from_pool(void **state) {
  (void)state;
  eval_scoped(g_e, "var out, p = compute(7), log = [];"
                   "(async () => { out = await p; log.push('awaited'); })();"
                   "log.push('sync');");
  assert_js("p instanceof Promise");
  assert_js("out === undefined");
  run_until_empty(g_rt);
  assert_js("out === 49");
  assert_js("log.join() === 'sync,awaited'");
  assert_int_equal(atomic_load(&g_work_runs), 1);
  assert_int_equal(atomic_load(&g_done_calls), 1);
  assert_int_equal(g_uncaught + g_rejections, 0);
}

static void test_resolve_values(void **state) {
  (void)state;
  eval_scoped(g_e, "var u = 'unset', s;"
                   "compute(1, 1, 0).then(v => { u = v; });"
                   "compute(1, 5, 0).then(v => { s = v; });");
  run_until_empty(g_rt);
  assert_js("u === undefined");
  assert_js("s === 'from the pool'");
}

static void test_reject_by_throw(void **state) {
  (void)state;
  eval_scoped(g_e, "var caught, caught2;"
                   "(async () => { try { await compute(3, 2); } catch (e) { caught = e; } })();"
                   "compute(3, 3).catch(e => { caught2 = e; });");
  run_until_empty(g_rt);
  assert_js("caught instanceof RangeError && caught.message === 'too big'");
  assert_js("caught2 === 42");
  assert_int_equal(g_uncaught, 0);
  assert_int_equal(g_rejections, 0);
  /* The exception went into the promise: nothing is left pending in the engine. */
  bool pending = true;
  assert_ok(vh_exception_pending(g_e, &pending));
  assert_false(pending);
}

static void test_reject_by_code(void **state) {
  (void)state;
  char src[512];
  /* done returns VH_ETYPE itself; done passes on the work's VH_ERANGE */
  snprintf(src, sizeof src,
           "var msg, msg2;"
           "compute(1, 1, 0, 0, %d).catch(e => { msg = e instanceof Error && e.code === 'VH_ETYPE' && e.message; });"
           "compute(1, 4, 0, %d).catch(e => { msg2 = e instanceof Error && e.code === 'VH_ERANGE' && e.message; });",
           VH_ETYPE, VH_ERANGE);
  eval_scoped(g_e, src);
  run_until_empty(g_rt);
  char expected[256], buf[256];
  vh_scope s;
  assert_ok(vh_scope_open(g_e, &s));
  assert_ok(vh_value_string_utf8(eval_ok(g_e, "msg"), buf, sizeof buf, NULL));
  snprintf(expected, sizeof expected, "VH_ETYPE: %s", vh_strerror(VH_ETYPE));
  assert_string_equal(buf, expected);
  assert_ok(vh_value_string_utf8(eval_ok(g_e, "msg2"), buf, sizeof buf, NULL));
  assert_true(strncmp(buf, "VH_ERANGE: ", 11) == 0);
  assert_ok(vh_scope_close(s));
  assert_int_equal(g_uncaught + g_rejections, 0);
}

static void test_unhandled_rejection_reported(void **state) {
  (void)state;
  eval_scoped(g_e, "compute(3, 2);");
  run_until_empty(g_rt);
  assert_int_equal(g_rejections, 1);
  assert_non_null(strstr(g_last_error, "too big"));
}

static void test_status_passed(void **state) {
  (void)state;
  eval_scoped(g_e, "var st; compute(0, 4, 1, 5).then(v => { st = v; });");
  run_until_empty(g_rt);
  assert_js("st === 5");
}

static void test_many_concurrent(void **state) {
  (void)state;
  eval_scoped(g_e, "var total, ps = [];"
                   "for (let i = 0; i < 100; i++) ps.push(compute(i, 0, i % 5));"
                   "Promise.all(ps).then(v => { total = v.reduce((a, b) => a + b, 0); });");
  run_until_empty(g_rt);
  /* sum of i^2 for i < 100 */
  assert_js("total === 328350");
  assert_int_equal(atomic_load(&g_done_calls), 100);
}

static void test_dispose_in_flight(void **state) {
  (void)state;
  eval_scoped(g_e, "compute(1, 0, 100); compute(2, 0, 50); compute(3, 0, 0);");
  assert_ok(vh_runtime_dispose(g_rt));
  g_rt.id_ = 0;
  assert_int_equal(atomic_load(&g_done_calls), 3);
  assert_int_equal(atomic_load(&g_done_disposed), 3);
  assert_int_equal(atomic_load(&g_done_bad_engine), 0);
  assert_int_equal(atomic_load(&g_work_runs), 3);
}

static void test_engine_disposed_in_flight(void **state) {
  (void)state;
  vh_engine e2;
  vh_scope s;
  assert_ok(vh_engine_new(g_rt, NULL, &e2));
  assert_ok(vh_scope_open(e2, &s));
  assert_int_equal(setup_engine(e2), 0);
  eval_ok(e2, "compute(5, 0, 30).then(() => { throw new Error('must not run'); });");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e2));
  eval_scoped(g_e, "var ok; compute(2, 0, 10).then(v => { ok = v; });");
  run_until_empty(g_rt);
  assert_js("ok === 4");
  assert_int_equal(atomic_load(&g_done_calls), 2);
  assert_int_equal(atomic_load(&g_done_disposed), 1);
  assert_int_equal(atomic_load(&g_done_bad_engine), 0);
  assert_int_equal(g_uncaught + g_rejections, 0);
}

static void test_host_loop_dispose_in_flight(void **state) {
  (void)state;
  uv_loop_t loop;
  assert_int_equal(uv_loop_init(&loop), 0);
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  open_runtime_on_loop(&loop, &rt, &e, &s);
  assert_int_equal(setup_engine(e), 0);
  eval_ok(e, "var v; compute(6, 0, 5).then(x => { v = x; });");
  assert_ok(vh_scope_close(s));
  uv_run(&loop, UV_RUN_DEFAULT); /* the host runs its loop */
  assert_ok(vh_scope_open(e, &s));
  bool b = false;
  assert_ok(vh_value_bool(eval_ok(e, "v === 36"), &b));
  assert_true(b);
  eval_ok(e, "compute(1, 0, 50); compute(2, 0, 0);");
  assert_ok(vh_scope_close(s));
  /* The runtime goes away first; the completions run when the host runs its loop. */
  assert_ok(vh_runtime_dispose(rt));
  assert_int_equal(atomic_load(&g_done_disposed), 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(atomic_load(&g_done_calls), 3);
  assert_int_equal(atomic_load(&g_done_disposed), 2);
  assert_int_equal(uv_loop_close(&loop), 0);
}

static int done_unused(vh_engine engine, int status, void *data, vh_value *result) {
  (void)engine, (void)status, (void)data, (void)result;
  return VH_OK;
}
static int work_unused(void *data) {
  (void)data;
  return 0;
}

static void test_invalid_args(void **state) {
  (void)state;
  vh_scope s;
  vh_value p;
  assert_ok(vh_scope_open(g_e, &s));
  assert_status(VH_EINVAL, vh_engine_queue_work(g_e, NULL, done_unused, NULL, &p));
  assert_status(VH_EINVAL, vh_engine_queue_work(g_e, work_unused, NULL, NULL, &p));
  assert_status(VH_EINVAL, vh_engine_queue_work(g_e, work_unused, done_unused, NULL, NULL));
  vh_engine none = {0};
  assert_status(VH_EINVAL, vh_engine_queue_work(none, work_unused, done_unused, NULL, &p));
  assert_ok(vh_scope_close(s));
  /* without the lock */
  assert_status(VH_ENOSCOPE, vh_engine_queue_work(g_e, work_unused, done_unused, NULL, &p));
  /* the promise of a direct call */
  assert_ok(vh_scope_open(g_e, &s));
  assert_ok(vh_engine_queue_work(g_e, work_unused, done_unused, NULL, &p));
  vh_promise_status st;
  assert_ok(vh_promise_state(p, &st));
  assert_int_equal(st, VH_PROMISE_STATUS_PENDING);
  assert_ok(vh_scope_close(s));
  run_until_empty(g_rt);
}

/* ---- from another thread, on a worker ------------------------------------------------------- */

static atomic_int g_reported;

static int cb_report(const vh_call_info *info, vh_value *result) {
  (void)result;
  int32_t n = -1;
  if (info->argc > 0) vh_value_int32(info->argv[0], &n);
  atomic_store(&g_reported, n);
  return VH_OK;
}

static int worker_init(vh_engine engine, void *data) {
  (void)data;
  vh_value f;
  if (setup_engine(engine) != 0) return VH_EINVAL;
  if (vh_new_function(engine, "report", cb_report, NULL, &f) != VH_OK) return VH_EINVAL;
  return set_global(engine, "report", f);
}

static bool wait_reported(int n) {
  for (int i = 0; i < 500 && atomic_load(&g_reported) != n; ++i) uv_sleep(10);
  return atomic_load(&g_reported) == n;
}

static void test_worker(void **state) {
  (void)state;
  atomic_store(&g_reported, 0);
  vh_worker w;
  vh_engine we;
  assert_ok(vh_worker_start(NULL, worker_init, NULL, &w, &we));
  /* This thread holds the worker's lock while the worker runs its loop. */
  vh_scope s;
  assert_ok(vh_scope_open(we, &s));
  eval_ok(we, "compute(9, 0, 10).then(v => report(v));");
  assert_ok(vh_scope_close(s));
  assert_true(wait_reported(81));
  /* Work in flight when the worker stops: done is told VH_EDISPOSED. */
  assert_ok(vh_scope_open(we, &s));
  eval_ok(we, "compute(4, 0, 200).then(v => report(v));");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_worker_stop(w));
  assert_int_equal(atomic_load(&g_done_calls), 2);
  assert_int_equal(atomic_load(&g_done_disposed), 1);
  assert_int_equal(atomic_load(&g_reported), 81);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_resolve_from_pool, setup, teardown),
      cmocka_unit_test_setup_teardown(test_resolve_values, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reject_by_throw, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reject_by_code, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unhandled_rejection_reported, setup, teardown),
      cmocka_unit_test_setup_teardown(test_status_passed, setup, teardown),
      cmocka_unit_test_setup_teardown(test_many_concurrent, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dispose_in_flight, setup, teardown),
      cmocka_unit_test_setup_teardown(test_engine_disposed_in_flight, setup, teardown),
      cmocka_unit_test_setup_teardown(test_host_loop_dispose_in_flight, setup, teardown),
      cmocka_unit_test_setup_teardown(test_invalid_args, setup, teardown),
      cmocka_unit_test_setup_teardown(test_worker, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
