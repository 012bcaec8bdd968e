/* Host proxies across threads: two runtimes calling into each other from two threads never
 * deadlock, and a proxy operation waits for a busy runtime at most proxy_wait_ms. */
#include "test_util.h"

#include <uv.h>

/* Evaluates src; an exception fails the test with its message. Main thread only. */
static vh_value run(vh_engine e, const char *src) { return eval_named(e, src, "main.js"); }
static void js_true(vh_engine e, const char *src) {
  bool b = false;
  assert_ok(vh_value_bool(run(e, src), &b));
  if (!b) fail_msg("JS check false: %s", src);
}

/* Gives each runtime `count`, `api` (inc, viaBack) and `other`: the other runtime's api, a
 * proxy. The vh_pass calls run on the main thread holding both runtimes. */
static void link_pair(rt_engine *a, rt_engine *b) {
  vh_scope sa, sb;
  vh_value api_a, api_b, pa, pb;
  vh_pass_kind how_a = 0, how_b = 0;
  const char *src = "globalThis.count = 0; globalThis.api = { inc() { return ++count },"
                    " viaBack() { return other.backInc() }, backInc() { return ++count } }; api";
  assert_ok(vh_scope_open(a->e, &sa));
  assert_ok(vh_scope_open(b->e, &sb));
  api_a = run(a->e, src);
  api_b = run(b->e, src);
  assert_ok(vh_pass(b->e, api_a, &pa, &how_a));
  assert_ok(vh_pass(a->e, api_b, &pb, &how_b));
  assert_int_equal(how_a, VH_PASS_KIND_PROXY);
  assert_int_equal(how_b, VH_PASS_KIND_PROXY);
  assert_ok(set_global(b->e, "other", pa));
  assert_ok(set_global(a->e, "other", pb));
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_scope_close(sa));
}

/* ---- two threads calling each other ---------------------------------------------------------- */

typedef struct caller {
  vh_engine e;
  const char *method; /* the method of `other` to call */
  int iterations;
  int rc_open, rc_setup, rc_close, calls_ok, failures;
  char first_error[256];
  double seconds;
  uv_barrier_t *both_hold; /* passed once both threads hold their runtimes */
  uv_mutex_t *mu;
  uv_cond_t *cv;
  int *finished; /* under mu */
} caller;

/* Holds its runtime in one scope for the whole loop, calling other[method]() each time. */
static void caller_main(void *arg) {
  caller *c = arg;
  vh_scope s;
  vh_value other, fn;
  c->rc_open = vh_scope_open(c->e, &s);
  uv_barrier_wait(c->both_hold);
  uint64_t t0 = uv_hrtime();
  if (c->rc_open == VH_OK) {
    c->rc_setup = vh_eval(c->e, "other", VH_AUTO_LENGTH, "thread.js", &other);
    if (c->rc_setup == VH_OK) c->rc_setup = vh_get(c->e, other, c->method, &fn);
    for (int i = 0; c->rc_setup == VH_OK && i < c->iterations; i++) {
      int rc = vh_call(c->e, fn, other, 0, NULL, NULL);
      if (rc == VH_OK) {
        c->calls_ok++;
        continue;
      }
      if (c->failures++ == 0) {
        vh_exception x;
        snprintf(c->first_error, sizeof c->first_error, "%s", vh_err_name(rc));
        if (rc == VH_EEXCEPTION && vh_exception_take(c->e, &x) == VH_OK) {
          snprintf(c->first_error, sizeof c->first_error, "%s", x.message);
          vh_exception_free(&x);
        }
      }
      vh_exception_discard(c->e);
    }
    c->rc_close = vh_scope_close(s);
  }
  c->seconds = (double)(uv_hrtime() - t0) / 1e9;
  uv_mutex_lock(c->mu);
  ++*c->finished;
  uv_cond_signal(c->cv);
  uv_mutex_unlock(c->mu);
}

/* Starts one caller per runtime and waits (bounded) for both; checks each finished cleanly. */
static void run_callers(rt_engine *a, rt_engine *b, const char *method, int iterations) {
  uv_mutex_t mu;
  uv_cond_t cv;
  uv_barrier_t both_hold;
  int finished = 0;
  caller c[2];
  uv_thread_t t[2];
  assert_int_equal(uv_barrier_init(&both_hold, 2), 0);
  assert_int_equal(uv_mutex_init(&mu), 0);
  assert_int_equal(uv_cond_init(&cv), 0);
  for (int i = 0; i < 2; i++) {
    memset(&c[i], 0, sizeof c[i]);
    c[i].e = i == 0 ? a->e : b->e;
    c[i].method = method;
    c[i].iterations = iterations;
    c[i].both_hold = &both_hold;
    c[i].mu = &mu;
    c[i].cv = &cv;
    c[i].finished = &finished;
  }
  uint64_t start = uv_hrtime();
  assert_int_equal(uv_thread_create(&t[0], caller_main, &c[0]), 0);
  assert_int_equal(uv_thread_create(&t[1], caller_main, &c[1]), 0);
  uv_mutex_lock(&mu);
  while (finished < 2)
    if (uv_cond_timedwait(&cv, &mu, 90ull * 1000000000ull) == UV_ETIMEDOUT) break;
  int done = finished;
  uv_mutex_unlock(&mu);
  if (done < 2) fail_msg("deadlock: only %d of 2 threads finished within 90 s", done); /* threads leak */
  assert_int_equal(uv_thread_join(&t[0]), 0);
  assert_int_equal(uv_thread_join(&t[1]), 0);
  print_message("  %d + %d calls of other.%s(): threads took %.2f s and %.2f s, %.2f s in all\n", iterations,
                iterations, method, c[0].seconds, c[1].seconds, (double)(uv_hrtime() - start) / 1e9);
  for (int i = 0; i < 2; i++) {
    assert_ok(c[i].rc_open);
    assert_ok(c[i].rc_setup);
    assert_ok(c[i].rc_close);
    if (c[i].failures) fail_msg("thread %d: %d failed calls, first: %s", i + 1, c[i].failures, c[i].first_error);
    assert_int_equal(c[i].calls_ok, iterations);
  }
  uv_barrier_destroy(&both_hold);
  uv_cond_destroy(&cv);
  uv_mutex_destroy(&mu);
}

static void assert_count(rt_engine *p, int expected) {
  vh_scope s;
  int32_t n = -1;
  assert_ok(vh_scope_open(p->e, &s));
  assert_ok(vh_value_int32(run(p->e, "count"), &n));
  assert_ok(vh_scope_close(s));
  assert_int_equal(n, expected);
}

/* Thread 1 holding A calls B's inc() through its proxy 10,000 times while thread 2 holding B
 * does the same into A: no deadlock (each waits without its own lock), exact counts. */
static void test_two_threads_call_each_other(void **state) {
  (void)state;
  rt_engine a, b;
  rt_engine_new(&a, 0);
  rt_engine_new(&b, 0);
  link_pair(&a, &b);
  run_callers(&a, &b, "inc", 10000);
  assert_count(&a, 10000);
  assert_count(&b, 10000);
  assert_ok(vh_runtime_dispose(b.rt));
  assert_ok(vh_runtime_dispose(a.rt));
}

/* Round trips across threads: A's thread calls B's viaBack(), which calls back into A
 * (other.backInc()) while B's thread does the mirror image; counts exact, no deadlock. */
static void test_two_threads_nested_round_trips(void **state) {
  (void)state;
  rt_engine a, b;
  rt_engine_new(&a, 0);
  rt_engine_new(&b, 0);
  link_pair(&a, &b);
  run_callers(&a, &b, "viaBack", 2000);
  assert_count(&a, 2000); /* A's own calls, come back through B */
  assert_count(&b, 2000);
  assert_ok(vh_runtime_dispose(b.rt));
  assert_ok(vh_runtime_dispose(a.rt));
}

/* ---- waiting for a busy runtime ---------------------------------------------------------------- */

typedef struct holder {
  vh_engine e;
  unsigned ms;
  int rc_open, rc_close;
  uv_sem_t holding;
} holder;

/* Opens a scope (holding the runtime), says so, sleeps ms, closes it. */
static void holder_main(void *arg) {
  holder *h = arg;
  vh_scope s;
  h->rc_open = vh_scope_open(h->e, &s);
  uv_sem_post(&h->holding);
  if (h->rc_open != VH_OK) return;
  uv_sleep(h->ms);
  h->rc_close = vh_scope_close(s);
}

static void start_holder(holder *h, uv_thread_t *t, vh_engine e, unsigned ms) {
  memset(h, 0, sizeof *h);
  h->e = e;
  h->ms = ms;
  assert_int_equal(uv_sem_init(&h->holding, 0), 0);
  assert_int_equal(uv_thread_create(t, holder_main, h), 0);
  uv_sem_wait(&h->holding);
  assert_ok(h->rc_open);
}
static void join_holder(holder *h, uv_thread_t *t) {
  assert_int_equal(uv_thread_join(t), 0);
  assert_ok(h->rc_close);
  uv_sem_destroy(&h->holding);
}

/* Evaluates src in e (a scope open), returns the elapsed milliseconds; text gets the string
 * result or the exception's message. */
static double timed_eval(vh_engine e, const char *src, char *text, size_t cap) {
  vh_value v;
  vh_exception x;
  uint64_t t0 = uv_hrtime();
  int rc = vh_eval(e, src, VH_AUTO_LENGTH, "timed.js", &v);
  double ms = (double)(uv_hrtime() - t0) / 1e6;
  if (rc == VH_EEXCEPTION) {
    assert_ok(vh_exception_take(e, &x));
    snprintf(text, cap, "%s", x.message);
    vh_exception_free(&x);
  } else {
    assert_ok(rc);
    assert_ok(vh_value_string_utf8(v, text, cap, NULL));
  }
  return ms;
}

/* B's proxy_wait_ms = 200: while another thread holds A for 1 s, B's use of a proxy of an A
 * object throws "VH_ETIMEDOUT..." after about 200 ms; once A is free it works again. */
static void test_proxy_wait_timeout(void **state) {
  (void)state;
  rt_engine a, b;
  holder h;
  uv_thread_t t;
  vh_scope sb;
  vh_value other, v;
  vh_exception x;
  char text[512];
  rt_engine_new(&a, 0);
  rt_engine_new(&b, 200);
  link_pair(&a, &b);
  start_holder(&h, &t, a.e, 1000);
  assert_ok(vh_scope_open(b.e, &sb));
  double ms = timed_eval(b.e, "try { String(other.inc()) } catch (e) { (e instanceof Error) + ' ' + e.code + ' ' + e.message }",
                         text, sizeof text);
  if (strncmp(text, "true VH_ETIMEDOUT VH_ETIMEDOUT: ", 32) != 0) fail_msg("got '%s'", text);
  if (ms < 150 || ms >= 900) fail_msg("timed out after %.1f ms, expected about 200", ms);
  /* from the host: the call fails with the same Error, pending in B */
  other = run(b.e, "other");
  assert_status(VH_EEXCEPTION, vh_get(b.e, other, "count", &v));
  assert_ok(vh_exception_take(b.e, &x));
  if (!strstr(x.message, "VH_ETIMEDOUT")) fail_msg("message '%s'", x.message);
  vh_exception_free(&x);
  js_true(b.e, "1 + 1 === 2"); /* B itself stayed usable */
  join_holder(&h, &t);
  ms = timed_eval(b.e, "String(other.inc())", text, sizeof text);
  assert_string_equal(text, "1");
  if (ms >= 150) fail_msg("with A free the call took %.1f ms", ms);
  assert_ok(vh_scope_close(sb));
  assert_count(&a, 1); /* the timed-out calls did nothing */
  assert_ok(vh_runtime_dispose(b.rt));
  assert_ok(vh_runtime_dispose(a.rt));
}

/* A proxy operation waits for a busy runtime rather than failing: with the default limit, with
 * UINT64_MAX ("without limit") and with any other large limit. */
static void test_proxy_wait_long_limits(void **state) {
  (void)state;
  static const uint64_t limits[] = {0, UINT64_MAX, (uint64_t)1 << 40, UINT64_MAX - 1, (uint64_t)1 << 62};
  char text[512], report[2048] = "";
  for (size_t i = 0; i < sizeof limits / sizeof *limits; i++) {
    rt_engine a, b;
    holder h;
    uv_thread_t t;
    vh_scope sb;
    rt_engine_new(&a, 0);
    rt_engine_new(&b, limits[i]);
    link_pair(&a, &b);
    start_holder(&h, &t, a.e, 300);
    assert_ok(vh_scope_open(b.e, &sb));
    double ms = timed_eval(b.e, "try { String(other.inc()) } catch (e) { e.message }", text, sizeof text);
    if (strcmp(text, "1") != 0 || ms < 200)
      snprintf(report + strlen(report), sizeof report - strlen(report),
               "\n  proxy_wait_ms %llu: got '%.40s' after %.1f ms (A held for 300 ms)", (unsigned long long)limits[i],
               text, ms);
    assert_ok(vh_scope_close(sb));
    join_holder(&h, &t);
    assert_ok(vh_runtime_dispose(b.rt));
    assert_ok(vh_runtime_dispose(a.rt));
  }
  if (report[0]) fail_msg("the call did not wait for A:%s", report);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_two_threads_call_each_other),
      cmocka_unit_test(test_two_threads_nested_round_trips),
      cmocka_unit_test(test_proxy_wait_timeout),
      cmocka_unit_test(test_proxy_wait_long_limits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
