/* Promises made and settled from C; reactions run only at vh_runtime_run_microtasks (promise.h). */
#define VH_TEST_FIXTURE
#include "test_util.h"

static vh_promise_status state_of(vh_value p) {
  vh_promise_status s = 0;
  assert_ok(vh_promise_state(p, &s));
  return s;
}
static int32_t result_i32(vh_value p) {
  vh_value v;
  int32_t n = 0;
  assert_ok(vh_promise_result(p, &v));
  assert_ok(vh_value_int32(v, &n));
  return n;
}

/* A new promise is pending (result VH_EBUSY); resolving fulfils it at once with the value. */
static void test_resolve(void **state) {
  (void)state;
  vh_value p, v;
  vh_deferred d;
  bool is_promise = false;
  assert_ok(vh_new_promise(g_e, &p, &d));
  assert_ok(vh_is(p, VH_KIND_PROMISE, &is_promise));
  assert_true(is_promise);
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_PENDING);
  assert_status(VH_EBUSY, vh_promise_result(p, &v));
  assert_ok(vh_deferred_resolve(g_e, d, i32(42)));
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_FULFILLED);
  assert_int_equal(result_i32(p), 42);
  assert_ok(set_global(g_e, "p", p));
  assert_js("p instanceof Promise");
}

/* Rejecting makes the promise rejected with the very reason object. */
static void test_reject(void **state) {
  (void)state;
  vh_value p, reason, got;
  vh_deferred d;
  bool same = false;
  assert_ok(vh_new_promise(g_e, &p, &d));
  assert_ok(set_global(g_e, "p", p));
  eval_ok(g_e, "p.catch(() => {})"); /* handled */
  assert_ok(vh_new_error(g_e, VH_ERROR_KIND_TYPE_ERROR, "nope", &reason));
  assert_ok(vh_deferred_reject(g_e, d, reason));
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_REJECTED);
  assert_ok(vh_promise_result(p, &got));
  assert_ok(vh_strict_equals(got, reason, &same));
  assert_true(same);
}

/* Reactions (`then`) run only when the host runs microtasks, not at settle or at the next eval. */
static void test_reactions_wait_for_microtasks(void **state) {
  (void)state;
  vh_value p;
  vh_deferred d;
  assert_ok(vh_new_promise(g_e, &p, &d));
  assert_ok(set_global(g_e, "p", p));
  eval_ok(g_e, "var seen = 0; var chained = p.then(v => { seen = v; return v + 1; });"
               " var rejectedChain = p.then(() => { throw new Error('in reaction'); });");
  assert_ok(vh_deferred_resolve(g_e, d, i32(7)));
  assert_js("seen === 0"); /* settled, but the reaction has not run */
  assert_js("seen === 0"); /* nor at the end of another script */
  assert_ok(vh_runtime_run_microtasks(g_rt));
  assert_js("seen === 7");
  vh_value chained = eval_ok(g_e, "chained");
  assert_int_equal(state_of(chained), VH_PROMISE_STATUS_FULFILLED);
  assert_int_equal(result_i32(chained), 8);
  /* a throwing reaction rejects its promise; run_microtasks itself succeeded */
  vh_value rc = eval_ok(g_e, "rejectedChain.catch(() => {}); rejectedChain");
  assert_int_equal(state_of(rc), VH_PROMISE_STATUS_REJECTED);
  bool b = true;
  assert_ok(vh_exception_pending(g_e, &b));
  assert_false(b);
  /* JS-made reactions wait too */
  eval_ok(g_e, "var later = 0; Promise.resolve(3).then(v => later = v)");
  assert_js("later === 0");
  assert_ok(vh_runtime_run_microtasks(g_rt));
  assert_js("later === 3");
}

/* Resolving with a thenable or another promise follows it (settled after microtasks). */
static void test_resolve_follows_thenables(void **state) {
  (void)state;
  vh_value p, q, inner, v;
  vh_deferred d, dq, dinner;
  /* a thenable */
  assert_ok(vh_new_promise(g_e, &p, &d));
  assert_ok(vh_deferred_resolve(g_e, d, eval_ok(g_e, "({ then(res) { res(5); } })")));
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_PENDING); /* the then-job is queued */
  assert_ok(vh_runtime_run_microtasks(g_rt));
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_FULFILLED);
  assert_int_equal(result_i32(p), 5);
  /* another pending promise: follows it once that one settles */
  assert_ok(vh_new_promise(g_e, &q, &dq));
  assert_ok(vh_new_promise(g_e, &inner, &dinner));
  assert_ok(vh_deferred_resolve(g_e, dq, inner));
  assert_ok(vh_runtime_run_microtasks(g_rt));
  assert_int_equal(state_of(q), VH_PROMISE_STATUS_PENDING);
  assert_status(VH_EBUSY, vh_promise_result(q, &v));
  assert_ok(vh_deferred_resolve(g_e, dinner, i32(9)));
  assert_ok(vh_runtime_run_microtasks(g_rt));
  assert_int_equal(state_of(q), VH_PROMISE_STATUS_FULFILLED);
  assert_int_equal(result_i32(q), 9);
  /* a rejected promise: the follower is rejected too */
  assert_ok(vh_new_promise(g_e, &p, &d));
  assert_ok(vh_deferred_resolve(g_e, d, eval_ok(g_e, "var rj = Promise.reject(11); rj.catch(() => {}); rj")));
  assert_ok(set_global(g_e, "follower", p));
  eval_ok(g_e, "follower.catch(() => {})");
  assert_ok(vh_runtime_run_microtasks(g_rt));
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_REJECTED);
  assert_int_equal(result_i32(p), 11);
  /* a thenable whose then throws rejects */
  assert_ok(vh_new_promise(g_e, &p, &d));
  assert_ok(vh_deferred_resolve(g_e, d, eval_ok(g_e, "({ then() { throw 'bad then'; } })")));
  assert_ok(set_global(g_e, "badThen", p));
  eval_ok(g_e, "badThen.catch(() => {})");
  assert_ok(vh_runtime_run_microtasks(g_rt));
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_REJECTED);
}

/* A deferred settles once: any second use is VH_EDISPOSED and changes nothing. */
static void test_deferred_used_twice(void **state) {
  (void)state;
  vh_value p;
  vh_deferred d;
  assert_ok(vh_new_promise(g_e, &p, &d));
  assert_ok(vh_deferred_resolve(g_e, d, i32(1)));
  assert_status(VH_EDISPOSED, vh_deferred_resolve(g_e, d, i32(2)));
  assert_status(VH_EDISPOSED, vh_deferred_reject(g_e, d, i32(3)));
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_FULFILLED);
  assert_int_equal(result_i32(p), 1);
  assert_ok(vh_new_promise(g_e, &p, &d));
  assert_ok(set_global(g_e, "p", p));
  eval_ok(g_e, "p.catch(() => {})");
  assert_ok(vh_deferred_reject(g_e, d, i32(4)));
  assert_status(VH_EDISPOSED, vh_deferred_resolve(g_e, d, i32(5)));
  assert_status(VH_EDISPOSED, vh_deferred_reject(g_e, d, i32(6)));
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_REJECTED);
  assert_int_equal(result_i32(p), 4);
}

/* Promises made by JS are read from C like any other. */
static void test_js_promise(void **state) {
  (void)state;
  vh_value p, reason, msg;
  char buf[16];
  bool is_err = false;
  p = eval_ok(g_e, "var jp = Promise.reject(new Error('x')); jp.catch(() => {}); jp");
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_REJECTED);
  assert_ok(vh_promise_result(p, &reason));
  assert_ok(vh_is(reason, VH_KIND_ERROR, &is_err));
  assert_true(is_err);
  assert_ok(vh_get(g_e, reason, "message", &msg));
  assert_ok(vh_value_string_utf8(msg, buf, sizeof buf, NULL));
  assert_string_equal(buf, "x");
  p = eval_ok(g_e, "(async () => 21 * 2)()");
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_FULFILLED); /* no await: settled synchronously */
  assert_int_equal(result_i32(p), 42);
  p = eval_ok(g_e, "new Promise(() => {})");
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_PENDING);
  assert_status(VH_EBUSY, vh_promise_result(p, &reason));
}

/* Reading a non-promise is VH_ETYPE (a thenable is not a promise); bad arguments VH_EINVAL. */
static void test_non_promise_and_misuse(void **state) {
  (void)state;
  vh_promise_status s = 0;
  vh_value v, p;
  vh_deferred d;
  assert_status(VH_ETYPE, vh_promise_state(i32(1), &s));
  assert_status(VH_ETYPE, vh_promise_state(eval_ok(g_e, "({ then() {} })"), &s));
  assert_status(VH_ETYPE, vh_promise_result(eval_ok(g_e, "({})"), &v));
  assert_int_equal(s, 0);
  assert_ok(vh_new_promise(g_e, &p, &d));
  assert_status(VH_EINVAL, vh_promise_state(p, NULL));
  assert_status(VH_EINVAL, vh_promise_state((vh_value){0}, &s));
  assert_status(VH_EINVAL, vh_promise_result(p, NULL));
  assert_status(VH_EINVAL, vh_new_promise(g_e, NULL, &d));
  assert_status(VH_EINVAL, vh_new_promise(g_e, &v, NULL));
  assert_status(VH_EINVAL, vh_new_promise((vh_engine){0}, &v, &d));
  assert_status(VH_EINVAL, vh_deferred_resolve(g_e, (vh_deferred){0}, i32(1)));
  assert_status(VH_EINVAL, vh_deferred_resolve(g_e, d, (vh_value){0}));
  assert_status(VH_EINVAL, vh_deferred_reject((vh_engine){0}, d, i32(1)));
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_PENDING); /* refused calls did not use the deferred */
  assert_ok(vh_deferred_resolve(g_e, d, i32(3)));
  assert_int_equal(result_i32(p), 3);
  assert_status(VH_EINVAL, vh_runtime_run_microtasks((vh_runtime){0}));
}

/* A deferred of runtime A used with an engine (or value) of runtime B: VH_ERUNTIME_MISMATCH. */
static void test_runtime_mismatch(void **state) {
  (void)state;
  vh_runtime rt2;
  vh_engine e2;
  vh_scope s2;
  vh_value p, v2, p2;
  vh_deferred d, d2;
  assert_ok(vh_new_promise(g_e, &p, &d));
  open_runtime(NULL, &rt2, &e2, &s2);
  assert_ok(vh_new_int32(e2, 1, &v2));
  int rc_resolve = vh_deferred_resolve(e2, d, v2);
  int rc_reject = vh_deferred_reject(e2, d, v2);
  vh_value p3;
  vh_deferred d3;
  assert_ok(vh_new_promise(g_e, &p3, &d3));
  int rc_value = vh_deferred_resolve(g_e, d3, v2); /* right engine, value of runtime B: copied */
  int32_t passed = rc_value == VH_OK ? result_i32(p3) : -1; /* p3 dies with B's scope below */
  assert_ok(vh_new_promise(e2, &p2, &d2));         /* B's deferred never used: freed at dispose */
  assert_ok(vh_scope_close(s2));
  assert_ok(vh_runtime_dispose(rt2));
  assert_status(VH_ERUNTIME_MISMATCH, rc_resolve);
  assert_status(VH_ERUNTIME_MISMATCH, rc_reject);
  assert_status(VH_OK, rc_value);
  assert_int_equal(passed, 1);
  assert_status(VH_EDISPOSED, vh_deferred_resolve(g_e, d2, i32(1))); /* died with runtime B */
  assert_int_equal(state_of(p), VH_PROMISE_STATUS_PENDING);
  assert_ok(vh_deferred_resolve(g_e, d, i32(8))); /* still usable with its own runtime */
  assert_int_equal(result_i32(p), 8);
}

/* Deferreds never used are freed with their runtime (ASan's leak check covers this). */
static void test_unused_deferreds_freed(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  vh_value p;
  vh_deferred d[100];
  open_runtime(NULL, &rt, &e, &s);
  for (int i = 0; i < 100; ++i) assert_ok(vh_new_promise(e, &p, &d[i]));
  assert_ok(vh_deferred_resolve(e, d[0], p)); /* one used (with a pending promise) */
  assert_ok(vh_scope_close(s));
  /* a deferred outlives its scope: usable in a later one */
  assert_ok(vh_scope_open(e, &s));
  vh_value v;
  assert_ok(vh_new_int32(e, 1, &v));
  assert_ok(vh_deferred_resolve(e, d[1], v));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
  for (int i = 0; i < 100; ++i) assert_status(VH_EDISPOSED, vh_deferred_resolve(g_e, d[i], i32(1)));
}

/* Without a scope, making a promise is refused; run_microtasks takes the lock itself. */
static void test_no_scope(void **state) {
  (void)state;
  vh_value p;
  vh_deferred d;
  assert_status(VH_ENOSCOPE, vh_new_promise(g_e, &p, &d));
  assert_ok(vh_runtime_run_microtasks(g_rt));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_resolve, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reject, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reactions_wait_for_microtasks, setup, teardown),
      cmocka_unit_test_setup_teardown(test_resolve_follows_thenables, setup, teardown),
      cmocka_unit_test_setup_teardown(test_deferred_used_twice, setup, teardown),
      cmocka_unit_test_setup_teardown(test_js_promise, setup, teardown),
      cmocka_unit_test_setup_teardown(test_non_promise_and_misuse, setup, teardown),
      cmocka_unit_test_setup_teardown(test_runtime_mismatch, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unused_deferreds_freed, setup, teardown),
      cmocka_unit_test(test_no_scope),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
