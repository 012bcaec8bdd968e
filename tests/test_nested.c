/* Nested calls: host functions that run script in other engines of the same runtime. */
#include "test_util.h"

static vh_runtime g_rt;
static vh_engine g_a, g_b, g_c;
static vh_scope g_scope;

/* evalInB(src): vh_eval(B, src) as "b.js"; a failure is passed on as the callback's status. */
static int cb_eval_in_b(const vh_call_info *info, vh_value *result) {
  char src[512];
  int rc = vh_value_string_utf8(info->argv[0], src, sizeof src, NULL);
  if (rc != VH_OK) return rc;
  return vh_eval(g_b, src, VH_AUTO_LENGTH, "b.js", result);
}
/* safeEvalInB(src): handles B's exception itself and returns "handled: <message>". */
static int cb_safe_eval_in_b(const vh_call_info *info, vh_value *result) {
  char src[512], text[600];
  vh_exception x;
  int rc = vh_value_string_utf8(info->argv[0], src, sizeof src, NULL);
  if (rc != VH_OK) return rc;
  rc = vh_eval(g_b, src, VH_AUTO_LENGTH, "b.js", result);
  if (rc != VH_EEXCEPTION) return rc;
  rc = vh_exception_take(g_b, &x);
  if (rc != VH_OK) return rc;
  snprintf(text, sizeof text, "handled: %s", x.message);
  vh_exception_free(&x);
  return vh_new_string_utf8(info->engine, text, VH_AUTO_LENGTH, result);
}
/* whereAmI(): the `who` global of the engine the call came from (a runtime-wide global). */
static int cb_where_am_i(const vh_call_info *info, vh_value *result) {
  return vh_eval(info->engine, "who", VH_AUTO_LENGTH, "where.js", result);
}
/* newObjectAfterB(): runs script in B, then makes an object in the calling engine. */
static int cb_object_after_b(const vh_call_info *info, vh_value *result) {
  int rc = vh_eval(g_b, "who", VH_AUTO_LENGTH, "b.js", NULL);
  return rc != VH_OK ? rc : vh_new_object(info->engine, result);
}
/* bounce(n): "" for 0, else evaluates `who + bounce(n - 1)` in the next engine (A→B→C→A...). */
static int cb_bounce(const vh_call_info *info, vh_value *result) {
  int32_t n = 0;
  char src[64];
  int rc = vh_value_int32(info->argv[0], &n);
  if (rc != VH_OK) return rc;
  if (n <= 0) return vh_new_string_utf8(info->engine, "", 0, result);
  vh_engine next = info->engine.id_ == g_a.id_ ? g_b : info->engine.id_ == g_b.id_ ? g_c : g_a;
  snprintf(src, sizeof src, "who + bounce(%d)", (int)(n - 1));
  return vh_eval(next, src, VH_AUTO_LENGTH, "bounce.js", result);
}

static int group_setup(void **state) {
  (void)state;
  if (vh_runtime_new(NULL, &g_rt) != VH_OK ||
      vh_runtime_global_function(g_rt, "evalInB", cb_eval_in_b, NULL) != VH_OK ||
      vh_runtime_global_function(g_rt, "safeEvalInB", cb_safe_eval_in_b, NULL) != VH_OK ||
      vh_runtime_global_function(g_rt, "whereAmI", cb_where_am_i, NULL) != VH_OK ||
      vh_runtime_global_function(g_rt, "newObjectAfterB", cb_object_after_b, NULL) != VH_OK ||
      vh_runtime_global_function(g_rt, "bounce", cb_bounce, NULL) != VH_OK)
    return -1;
  if (vh_engine_new(g_rt, NULL, &g_a) != VH_OK || vh_engine_new(g_rt, NULL, &g_b) != VH_OK ||
      vh_engine_new(g_rt, NULL, &g_c) != VH_OK)
    return -1;
  const char *names[] = {"var who = 'A'", "var who = 'B'", "var who = 'C'"};
  vh_engine engines[] = {g_a, g_b, g_c};
  for (int i = 0; i < 3; ++i) {
    vh_scope s;
    if (vh_scope_open(engines[i], &s) != VH_OK) return -1;
    int rc = vh_eval(engines[i], names[i], VH_AUTO_LENGTH, "setup.js", NULL);
    if (vh_scope_close(s) != VH_OK || rc != VH_OK) return -1;
  }
  return 0;
}
static int group_teardown(void **state) {
  (void)state;
  return vh_runtime_dispose(g_rt) == VH_OK ? 0 : -1;
}
static int setup(void **state) {
  (void)state;
  return vh_scope_open(g_a, &g_scope) == VH_OK ? 0 : -1;
}
static int teardown(void **state) {
  (void)state;
  vh_exception_discard(g_a);
  vh_exception_discard(g_b);
  vh_exception_discard(g_c);
  return vh_scope_close(g_scope) == VH_OK ? 0 : -1;
}

static bool pending(vh_engine e) {
  bool b = true;
  assert_ok(vh_exception_pending(e, &b));
  return b;
}
/* Every engine still runs script and sees its own globals. */
static void assert_engines_work(void) {
  assert_eval_string(g_a, "who", "A");
  assert_eval_string(g_b, "who", "B");
  assert_eval_string(g_c, "who", "C");
}

/* A host function called from A evaluates in B and hands B's result back to A's script. */
static void test_eval_in_other_engine(void **state) {
  (void)state;
  assert_js_in(g_a, "evalInB('6 * 7') === 42");
  assert_js_in(g_a, "evalInB('who') === 'B' && who === 'A'");
  assert_js_in(g_a, "evalInB('globalThis.setByA = 1; typeof setByA') === 'number' && typeof setByA === 'undefined'");
  /* an object made in B is the very object in A, with B's prototype */
  assert_js_in(g_a, "var fromB = evalInB('globalThis.made = { n: 5 }; made');"
                    " fromB.n === 5 && !(fromB instanceof Object) && evalInB('made') === fromB");
}

/* After the nested call, A is current again: calls from A see A, values come from A's realm. */
static void test_current_engine_restored(void **state) {
  (void)state;
  assert_js_in(g_a, "whereAmI() === 'A'");
  assert_js_in(g_a, "evalInB('whereAmI()') === 'B' && whereAmI() === 'A'");
  assert_js_in(g_a, "evalInB('1'); whereAmI() === 'A'");
  assert_js_in(g_a, "Object.getPrototypeOf(newObjectAfterB()) === Object.prototype");
  assert_engines_work();
  vh_value o;
  assert_ok(vh_new_object(g_a, &o));
  assert_ok(set_global(g_a, "fromC", o));
  assert_js_in(g_a, "fromC instanceof Object");
  assert_eval_string(g_a, "whereAmI()", "A");
}

/* B's exception rethrown by the callback is caught in A: the same object, B's message. */
static void test_exception_from_b_caught_in_a(void **state) {
  (void)state;
  vh_value in_a, in_b;
  bool same = false;
  assert_js_in(g_a, "var caught = null; try { evalInB(\"globalThis.thrownB = new TypeError('from B');\\n\\nthrow thrownB\"); }"
                    " catch (e) { caught = e; } caught !== null && caught.message === 'from B'"
                    " && caught.name === 'TypeError'");
  in_a = eval_ok(g_a, "caught");
  in_b = eval_ok(g_b, "thrownB");
  assert_ok(vh_strict_equals(in_a, in_b, &same));
  assert_true(same);
  assert_false(pending(g_a));
  assert_false(pending(g_b)); /* the exception moved to A; B is usable */
  assert_engines_work();
}

/* Uncaught in A, the exception reports where B threw it: b.js, line 3. */
static void test_exception_from_b_uncaught(void **state) {
  (void)state;
  vh_exception x;
  assert_status(VH_EEXCEPTION,
                vh_eval(g_a, "1;\nevalInB(\"var q = 1;\\n\\nthrow new RangeError('deep in B')\")",
                        VH_AUTO_LENGTH, "a.js", NULL));
  assert_true(pending(g_a));
  assert_false(pending(g_b));
  assert_ok(vh_exception_take(g_a, &x));
  if (!strstr(x.message, "deep in B")) fail_msg("message '%s'", x.message);
  assert_non_null(x.resource_name);
  assert_string_equal(x.resource_name, "b.js");
  assert_int_equal(x.line, 3);
  assert_non_null(x.stack);
  if (!strstr(x.stack, "b.js")) fail_msg("stack '%s'", x.stack);
  vh_exception_free(&x);
  assert_engines_work();
}

/* A callback may take B's exception itself and return normally: nothing reaches A. */
static void test_callback_handles_b_exception(void **state) {
  (void)state;
  char buf[256];
  vh_value v = eval_ok(g_a, "safeEvalInB(\"throw new Error('oops')\")");
  assert_ok(vh_value_string_utf8(v, buf, sizeof buf, NULL));
  if (strncmp(buf, "handled: ", 9) != 0 || !strstr(buf, "oops")) fail_msg("got '%s'", buf);
  assert_false(pending(g_a));
  assert_false(pending(g_b));
  assert_js_in(g_a, "safeEvalInB('who') === 'B'");
  assert_engines_work();
}

/* Host-function recursion across three engines: bounce(10) runs A→B→C→A… and returns. */
static void test_deep_bounce(void **state) {
  (void)state;
  assert_eval_string(g_a, "bounce(4)", "BCAB");
  assert_eval_string(g_a, "bounce(10)", "BCABCABCAB");
  assert_eval_string(g_c, "bounce(3)", "ABC");
  assert_engines_work();
}

/* Unbounded recursion ends in a JS exception (stack overflow or VH_EDEPTH), never a crash. */
static void test_too_deep_bounce(void **state) {
  (void)state;
  vh_exception x;
  char buf[512];
  assert_status(VH_EEXCEPTION, vh_eval(g_a, "bounce(100000)", VH_AUTO_LENGTH, "top.js", NULL));
  assert_ok(vh_exception_take(g_a, &x));
  bool clear = strstr(x.message, "Maximum call stack size exceeded") || strstr(x.message, "VH_EDEPTH");
  if (!clear) fail_msg("unclear error '%s'", x.message);
  vh_exception_free(&x);
  assert_false(pending(g_b));
  assert_false(pending(g_c));
  /* caught in JS: a RangeError or an Error whose message starts with VH_EDEPTH */
  vh_value v = eval_ok(g_a, "(() => { try { bounce(100000); return 'no error'; } catch (e) {"
                            " return e.name + ': ' + e.message; } })()");
  assert_ok(vh_value_string_utf8(v, buf, sizeof buf, NULL));
  if (strcmp(buf, "RangeError: Maximum call stack size exceeded") != 0 &&
      strncmp(buf, "Error: VH_EDEPTH", 16) != 0)
    fail_msg("unclear error '%s'", buf);
  /* everything works afterwards, including nesting again */
  assert_engines_work();
  assert_eval_string(g_b, "bounce(5)", "CABCA");
  assert_eval_string(g_a, "bounce(10)", "BCABCABCAB");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_eval_in_other_engine, setup, teardown),
      cmocka_unit_test_setup_teardown(test_current_engine_restored, setup, teardown),
      cmocka_unit_test_setup_teardown(test_exception_from_b_caught_in_a, setup, teardown),
      cmocka_unit_test_setup_teardown(test_exception_from_b_uncaught, setup, teardown),
      cmocka_unit_test_setup_teardown(test_callback_handles_b_exception, setup, teardown),
      cmocka_unit_test_setup_teardown(test_deep_bounce, setup, teardown),
      cmocka_unit_test_setup_teardown(test_too_deep_bounce, setup, teardown),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
