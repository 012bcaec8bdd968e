/* JavaScript exceptions as engine state: pending, take, discard (v8host/exception.h). */
#define VH_TEST_FIXTURE /* g_rt, g_e, g_scope and their setup/teardown */
#include "test_util.h"

static bool pending(vh_engine e) {
  bool b = false;
  assert_ok(vh_exception_pending(e, &b));
  return b;
}
#define assert_contains(hay, needle)                                                    \
  do {                                                                                  \
    if (!(hay) || !strstr((hay), (needle)))                                             \
      fail_msg("'%s' does not contain '%s'", (hay) ? (hay) : "(null)", (needle));       \
  } while (0)

/* A syntax error is VH_EEXCEPTION with V8's message, resource name, exact line and column. */
static void test_syntax_error_details(void **state) {
  (void)state;
  vh_value v;
  vh_exception x;
  bool is_err = false;
  assert_status(VH_EEXCEPTION, vh_eval(g_e, "var a = 1;\nvar b = ;\n", VH_AUTO_LENGTH, "syntax.js", &v));
  assert_true(pending(g_e));
  assert_ok(vh_exception_take(g_e, &x));
  assert_false(pending(g_e));
  assert_non_null(x.message);
  assert_int_equal(strncmp(x.message, "Uncaught SyntaxError: ", 22), 0);
  assert_string_equal(x.resource_name, "syntax.js");
  assert_int_equal(x.line, 2);
  assert_int_equal(x.column, 9); /* the ';' is the 9th character of line 2 */
  assert_ok(vh_is(x.value, VH_KIND_ERROR, &is_err));
  assert_true(is_err);
  vh_exception_free(&x);
}

/* `throw 42`: the value reads 42, the message mentions it, no stack, location of the throw. */
static void test_throw_primitive(void **state) {
  (void)state;
  vh_exception x;
  int32_t n = 0;
  assert_status(VH_EEXCEPTION, vh_eval(g_e, "1;\n  throw 42;", VH_AUTO_LENGTH, "t42.js", NULL));
  assert_ok(vh_exception_take(g_e, &x));
  assert_ok(vh_value_int32(x.value, &n));
  assert_int_equal(n, 42);
  assert_contains(x.message, "42");
  assert_null(x.stack);
  assert_string_equal(x.resource_name, "t42.js");
  assert_int_equal(x.line, 2);
  assert_int_equal(x.column, 3);
  vh_exception_free(&x);
}

/* `throw new Error('x')`: message "Uncaught Error: x"; stack names the resource; line of throw. */
static void test_throw_error_has_stack(void **state) {
  (void)state;
  vh_exception x;
  assert_status(VH_EEXCEPTION,
                vh_eval(g_e, "function thrower() {\n  throw new Error('x');\n}\nthrower();",
                        VH_AUTO_LENGTH, "err.js", NULL));
  assert_ok(vh_exception_take(g_e, &x));
  assert_string_equal(x.message, "Uncaught Error: x");
  assert_non_null(x.stack);
  assert_contains(x.stack, "Error: x");
  assert_contains(x.stack, "err.js");
  assert_contains(x.stack, "thrower");
  assert_string_equal(x.resource_name, "err.js");
  assert_int_equal(x.line, 2);
  assert_int_equal(x.column, 3); /* the throw statement; the stack has the `new` (2:9) */
  vh_exception_free(&x);
}

/* With a NULL resource name, exceptions report "<anonymous>". */
static void test_anonymous_resource(void **state) {
  (void)state;
  vh_exception x;
  assert_status(VH_EEXCEPTION, vh_eval(g_e, "null.x", VH_AUTO_LENGTH, NULL, NULL));
  assert_ok(vh_exception_take(g_e, &x));
  assert_contains(x.message, "TypeError");
  assert_string_equal(x.resource_name, "<anonymous>");
  assert_int_equal(x.line, 1);
  vh_exception_free(&x);
}

/* The taken value is the very object thrown (===), not a copy. */
static void test_thrown_object_identity(void **state) {
  (void)state;
  vh_exception x;
  bool same = false, is_err = true;
  assert_status(VH_EEXCEPTION,
                vh_eval(g_e, "globalThis.errObj = {code: 7}; throw globalThis.errObj;",
                        VH_AUTO_LENGTH, "id.js", NULL));
  assert_ok(vh_exception_take(g_e, &x));
  assert_ok(vh_strict_equals(x.value, eval_ok(g_e, "errObj"), &same));
  assert_true(same);
  assert_ok(vh_is(x.value, VH_KIND_ERROR, &is_err));
  assert_false(is_err);
  assert_null(x.stack); /* not an Error */
  vh_exception_free(&x);
}

/* vh_exception_pending tracks the state; take with none pending → VH_ENOEXCEPTION, out untouched. */
static void test_pending_flag_and_take_none(void **state) {
  (void)state;
  vh_exception x;
  memset(&x, 0xAB, sizeof x);
  assert_false(pending(g_e));
  assert_status(VH_ENOEXCEPTION, vh_exception_take(g_e, &x));
  unsigned char expect[sizeof x];
  memset(expect, 0xAB, sizeof expect);
  assert_memory_equal(&x, expect, sizeof x);
  assert_status(VH_EEXCEPTION, vh_eval(g_e, "throw 1", VH_AUTO_LENGTH, NULL, NULL));
  assert_true(pending(g_e));
  assert_ok(vh_exception_take(g_e, &x));
  assert_false(pending(g_e));
  vh_exception_free(&x);
  assert_status(VH_ENOEXCEPTION, vh_exception_take(g_e, &x));
  assert_status(VH_EINVAL, vh_exception_take(g_e, NULL));
  assert_status(VH_EINVAL, vh_exception_pending(g_e, NULL));
}

/* While pending, JS-running calls are refused but value makers and readers still work. */
static void test_pending_blocks_js_only(void **state) {
  (void)state;
  vh_value v, g;
  int32_t n = 0;
  vh_type t;
  char buf[8];
  assert_status(VH_EEXCEPTION, vh_eval(g_e, "throw 'first'", VH_AUTO_LENGTH, NULL, NULL));
  assert_status(VH_EPENDING_EXCEPTION, vh_eval(g_e, "1", VH_AUTO_LENGTH, NULL, &v));
  assert_ok(vh_new_int32(g_e, 5, &v));
  assert_ok(vh_value_int32(v, &n));
  assert_int_equal(n, 5);
  assert_ok(vh_typeof(v, &t));
  assert_ok(vh_new_string_utf8(g_e, "ok", VH_AUTO_LENGTH, &v));
  assert_ok(vh_value_string_utf8(v, buf, sizeof buf, NULL));
  assert_string_equal(buf, "ok");
  assert_ok(vh_new_object(g_e, &v));
  assert_ok(vh_engine_global(g_e, &g));
  /* the pending exception is still the first one */
  vh_exception x;
  assert_ok(vh_exception_take(g_e, &x));
  assert_contains(x.message, "first");
  vh_exception_free(&x);
  assert_int_equal(n, 5);
  eval_ok(g_e, "1");
}

/* vh_exception_discard drops the exception (and is OK with none pending). */
static void test_discard(void **state) {
  (void)state;
  vh_exception x;
  assert_ok(vh_exception_discard(g_e));
  assert_status(VH_EEXCEPTION, vh_eval(g_e, "throw new Error('dropped')", VH_AUTO_LENGTH, NULL, NULL));
  assert_true(pending(g_e));
  assert_ok(vh_exception_discard(g_e));
  assert_false(pending(g_e));
  assert_status(VH_ENOEXCEPTION, vh_exception_take(g_e, &x));
  eval_ok(g_e, "2");
  vh_engine none = {0};
  assert_status(VH_EINVAL, vh_exception_discard(none));
}

/* vh_exception_free is safe on a zeroed struct, twice in a row, and on NULL; it zeroes. */
static void test_clear_is_safe(void **state) {
  (void)state;
  vh_exception x;
  memset(&x, 0, sizeof x);
  vh_exception_free(&x);
  vh_exception_free(&x);
  vh_exception_free(NULL);
  assert_status(VH_EEXCEPTION, vh_eval(g_e, "throw new Error('c')", VH_AUTO_LENGTH, "c.js", NULL));
  assert_ok(vh_exception_take(g_e, &x));
  vh_exception_free(&x);
  assert_null(x.message);
  assert_null(x.stack);
  assert_null(x.resource_name);
  assert_int_equal(x.line, 0);
  assert_int_equal(x.column, 0);
  vh_exception_free(&x);
}

/* An exception pending in one engine does not block another engine of the same runtime. */
static void test_exception_is_per_engine(void **state) {
  (void)state;
  vh_engine e2;
  vh_value v;
  int32_t n = 0;
  assert_ok(vh_engine_new(g_rt, NULL, &e2));
  assert_status(VH_EEXCEPTION, vh_eval(g_e, "throw 'in e1'", VH_AUTO_LENGTH, NULL, NULL));
  assert_ok(vh_eval(e2, "20 + 1", VH_AUTO_LENGTH, NULL, &v));
  assert_ok(vh_value_int32(v, &n));
  assert_int_equal(n, 21);
  assert_false(pending(e2));
  assert_true(pending(g_e));
  assert_status(VH_EPENDING_EXCEPTION, vh_eval(g_e, "1", VH_AUTO_LENGTH, NULL, NULL));
  /* and the other way round */
  assert_status(VH_EEXCEPTION, vh_eval(e2, "throw 'in e2'", VH_AUTO_LENGTH, NULL, NULL));
  vh_exception x;
  assert_ok(vh_exception_take(g_e, &x));
  assert_contains(x.message, "in e1");
  vh_exception_free(&x);
  eval_ok(g_e, "1");
  assert_ok(vh_exception_take(e2, &x));
  assert_contains(x.message, "in e2");
  vh_exception_free(&x);
  assert_ok(vh_engine_dispose(e2));
}

/* A pending exception survives closing the scope; taking it needs a scope (VH_ENOSCOPE). */
static void test_pending_survives_scope_close(void **state) {
  (void)state;
  vh_engine e;
  vh_scope s;
  vh_exception x;
  bool b = false;
  assert_ok(vh_engine_new_private(NULL, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  assert_status(VH_EEXCEPTION, vh_eval(e, "throw {later: true}", VH_AUTO_LENGTH, NULL, NULL));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_exception_pending(e, &b));
  assert_true(b);
  assert_status(VH_ENOSCOPE, vh_exception_take(e, &x));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_exception_take(e, &x));
  vh_value later;
  assert_ok(vh_get(e, x.value, "later", &later));
  assert_ok(vh_value_bool(later, &b));
  assert_true(b);
  vh_exception_free(&x);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));
}

/* The taken value lives in the scope innermost at take time and dies with it. */
static void test_value_lives_in_take_scope(void **state) {
  (void)state;
  vh_scope inner;
  vh_exception x;
  vh_type t;
  assert_status(VH_EEXCEPTION, vh_eval(g_e, "throw [1]", VH_AUTO_LENGTH, NULL, NULL));
  assert_ok(vh_scope_open(g_e, &inner));
  assert_ok(vh_exception_take(g_e, &x));
  assert_ok(vh_typeof(x.value, &t));
  assert_int_equal(t, VH_TYPE_OBJECT);
  assert_ok(vh_scope_close(inner));
  assert_status(VH_ESCOPE_CLOSED, vh_typeof(x.value, &t));
  vh_exception_free(&x);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_syntax_error_details, setup, teardown),
      cmocka_unit_test_setup_teardown(test_throw_primitive, setup, teardown),
      cmocka_unit_test_setup_teardown(test_throw_error_has_stack, setup, teardown),
      cmocka_unit_test_setup_teardown(test_anonymous_resource, setup, teardown),
      cmocka_unit_test_setup_teardown(test_thrown_object_identity, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pending_flag_and_take_none, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pending_blocks_js_only, setup, teardown),
      cmocka_unit_test_setup_teardown(test_discard, setup, teardown),
      cmocka_unit_test_setup_teardown(test_clear_is_safe, setup, teardown),
      cmocka_unit_test_setup_teardown(test_exception_is_per_engine, setup, teardown),
      cmocka_unit_test(test_pending_survives_scope_close),
      cmocka_unit_test_setup_teardown(test_value_lives_in_take_scope, setup, teardown),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
