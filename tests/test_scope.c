/* Scopes: value lifetimes, escaping, close order, and scopes of two runtimes on one thread. */
#define VH_TEST_RUNTIME /* g_rt and g_e, made afresh for each test */
#include "test_util.h"

static int32_t read_int(vh_value v) {
  int32_t n = INT32_MIN;
  assert_ok(vh_value_int32(v, &n));
  return n;
}

/* Values live exactly as long as the innermost scope at their making; outer ones survive. */
static void test_nested_scopes(void **state) {
  (void)state;
  vh_scope s1, s2, s3;
  vh_value v1, v2, v3, obj;
  int32_t n;
  assert_ok(vh_scope_open(g_e, &s1));
  assert_ok(vh_new_int32(g_e, 1, &v1));
  obj = eval_ok(g_e, "({ k: 10 })");
  assert_ok(vh_scope_open(g_e, &s2));
  assert_ok(vh_new_int32(g_e, 2, &v2));
  assert_ok(vh_scope_open(g_e, &s3));
  assert_ok(vh_new_int32(g_e, 3, &v3));
  assert_int_equal(read_int(v1) + read_int(v2) + read_int(v3), 6);
  assert_ok(vh_set(g_e, obj, "inner", v3)); /* outer object stores an inner value */
  assert_ok(vh_scope_close(s3));
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(v3, &n));
  assert_int_equal(read_int(v2), 2);
  assert_ok(vh_scope_close(s2));
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(v2, &n));
  assert_int_equal(read_int(v1), 1);
  vh_value inner;
  assert_ok(vh_get(g_e, obj, "inner", &inner)); /* the JS value outlived the handle */
  assert_int_equal(read_int(inner), 3);
  assert_ok(vh_scope_close(s1));
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(v1, &n));
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(inner, &n));
}

/* A value kept past its scope is VH_ESCOPE_CLOSED forever, never an alias of a newer value. */
static void test_closed_value_never_aliases(void **state) {
  (void)state;
  vh_scope s;
  vh_value old_num, old_obj, w, x;
  int32_t n = -1;
  vh_type t = 0;
  bool eq = false;
  assert_ok(vh_scope_open(g_e, &s));
  assert_ok(vh_new_int32(g_e, 111, &old_num));
  old_obj = eval_ok(g_e, "({ who: 'old' })");
  assert_ok(vh_scope_close(s));
  for (int round = 0; round < 50; round++) {
    assert_ok(vh_scope_open(g_e, &s));
    /* New values most likely take the very slots the old ones had. */
    assert_ok(vh_new_int32(g_e, 222 + round, &w));
    x = eval_ok(g_e, "({ who: 'new' })");
    assert_status(VH_ESCOPE_CLOSED, vh_value_int32(old_num, &n));
    assert_int_equal(n, -1); /* out untouched */
    assert_status(VH_ESCOPE_CLOSED, vh_typeof(old_obj, &t));
    assert_status(VH_ESCOPE_CLOSED, vh_typeof(old_num, &t));
    assert_int_equal(t, 0);
    assert_status(VH_ESCOPE_CLOSED, vh_strict_equals(old_obj, x, &eq));
    assert_status(VH_ESCOPE_CLOSED, vh_get(g_e, old_obj, "who", &w));
    assert_status(VH_ESCOPE_CLOSED, vh_ref_new(old_obj, 1, &(vh_ref){0}));
    assert_int_equal(read_int(w), 222 + round);
    assert_eval_string(g_e, "'still ' + 'fine'", "still fine");
    assert_ok(vh_scope_close(s));
  }
}

/* An escapable scope lets exactly one value out; it lives until the enclosing scope closes. */
static void test_escape_once(void **state) {
  (void)state;
  vh_scope outer, esc;
  vh_value a, b, escaped, other = {0};
  int32_t n;
  assert_ok(vh_scope_open(g_e, &outer));
  assert_ok(vh_scope_open_escapable(g_e, &esc));
  a = eval_ok(g_e, "({ answer: 42 })");
  assert_ok(vh_new_int32(g_e, 7, &b));
  assert_status(VH_EINVAL, vh_scope_escape(esc, a, NULL)); /* refused: does not count */
  assert_ok(vh_scope_escape(esc, a, &escaped));
  assert_status(VH_EESCAPE, vh_scope_escape(esc, b, &other));
  assert_status(VH_EESCAPE, vh_scope_escape(esc, a, &other));
  assert_int_equal(other.serial_, 0); /* untouched */
  assert_ok(vh_scope_close(esc));
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(b, &n));
  assert_status(VH_ESCOPE_CLOSED, vh_typeof(a, &(vh_type){0}));
  /* The escaped value works in the enclosing scope, until that closes. */
  vh_value ans;
  assert_ok(vh_get(g_e, escaped, "answer", &ans));
  assert_int_equal(read_int(ans), 42);
  assert_ok(vh_scope_close(outer));
  assert_status(VH_ESCOPE_CLOSED, vh_typeof(escaped, &(vh_type){0}));
}

/* Escapes chain outwards through nested escapable scopes, and may come from a scope inside. */
static void test_escape_chain(void **state) {
  (void)state;
  vh_scope outer, esc1, esc2, inner;
  vh_value v, up1, up2, from_inner, out;
  assert_ok(vh_scope_open(g_e, &outer));
  assert_ok(vh_scope_open_escapable(g_e, &esc1));
  assert_ok(vh_scope_open_escapable(g_e, &esc2));
  v = eval_ok(g_e, "({ depth: 2 })");
  assert_ok(vh_scope_escape(esc2, v, &up1));
  assert_ok(vh_scope_close(esc2));
  assert_ok(vh_scope_escape(esc1, up1, &up2)); /* the value escaped into esc1 goes on out */
  assert_ok(vh_scope_close(esc1));
  assert_status(VH_ESCOPE_CLOSED, vh_typeof(up1, &(vh_type){0}));
  assert_ok(vh_get(g_e, up2, "depth", &out));
  assert_int_equal(read_int(out), 2);

  /* A value of a plain scope still open inside the escapable one. */
  assert_ok(vh_scope_open_escapable(g_e, &esc1));
  assert_ok(vh_scope_open(g_e, &inner));
  assert_ok(vh_new_int32(g_e, 99, &from_inner));
  assert_ok(vh_scope_escape(esc1, from_inner, &out));
  assert_ok(vh_scope_close(inner));
  assert_ok(vh_scope_close(esc1));
  assert_int_equal(read_int(out), 99);
  assert_ok(vh_scope_close(outer));
  assert_status(VH_ESCOPE_CLOSED, vh_typeof(up2, &(vh_type){0}));
  assert_status(VH_ESCOPE_CLOSED, vh_typeof(out, &(vh_type){0}));
}

/* Escaping a value from outside the scope is refused and does not use up the one escape. */
static void test_escape_outside_value(void **state) {
  (void)state;
  vh_scope outer, esc, inner;
  vh_value outside, inside, from_closed, out;
  assert_ok(vh_scope_open(g_e, &outer));
  assert_ok(vh_new_int32(g_e, 5, &outside));
  assert_ok(vh_scope_open_escapable(g_e, &esc));
  assert_status(VH_EESCAPE, vh_scope_escape(esc, outside, &out));
  /* A value from a scope inside it that is already closed is dead. */
  assert_ok(vh_scope_open(g_e, &inner));
  assert_ok(vh_new_int32(g_e, 6, &from_closed));
  assert_ok(vh_scope_close(inner));
  assert_status(VH_ESCOPE_CLOSED, vh_scope_escape(esc, from_closed, &out));
  assert_ok(vh_new_int32(g_e, 8, &inside));
  assert_ok(vh_scope_escape(esc, inside, &out));
  assert_ok(vh_scope_close(esc));
  assert_int_equal(read_int(out), 8);
  assert_int_equal(read_int(outside), 5);
  /* Escaping via a closed escapable scope. */
  assert_status(VH_ESCOPE_CLOSED, vh_scope_escape(esc, outside, &out));
  assert_ok(vh_scope_close(outer));
}

/* Escaping from a plain (non-escapable) scope is VH_EESCAPE. */
static void test_escape_not_escapable(void **state) {
  (void)state;
  vh_scope outer, plain;
  vh_value v, out;
  assert_ok(vh_scope_open(g_e, &outer));
  assert_ok(vh_scope_open(g_e, &plain));
  assert_ok(vh_new_int32(g_e, 1, &v));
  assert_status(VH_EESCAPE, vh_scope_escape(plain, v, &out));
  assert_status(VH_EESCAPE, vh_scope_escape(outer, v, &out));
  assert_status(VH_EINVAL, vh_scope_escape(plain, (vh_value){0}, &out));
  assert_ok(vh_scope_close(plain));
  assert_ok(vh_scope_close(outer));
}

/* A scope opened at the depth of one that closed starts afresh (the library reuses the closed
 * one's record): an escapable scope has its one escape again, a plain one has none, and a scope
 * that did not take its runtime's lock gives none back, whatever the last scope there did. */
static void test_scope_at_a_closed_depth(void **state) {
  (void)state;
  vh_runtime rb;
  vh_engine eb;
  vh_scope outer, s;
  vh_value v, first, second, out;
  open_runtime(NULL, &rb, &eb, NULL);
  assert_ok(vh_scope_open(g_e, &outer));
  assert_ok(vh_scope_open_escapable(g_e, &s));
  assert_ok(vh_new_int32(g_e, 1, &v));
  assert_ok(vh_scope_escape(s, v, &first));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_scope_open(g_e, &s));
  assert_ok(vh_new_int32(g_e, 2, &v));
  assert_status(VH_EESCAPE, vh_scope_escape(s, v, &out));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_scope_open_escapable(g_e, &s));
  assert_ok(vh_new_int32(g_e, 3, &v));
  assert_ok(vh_scope_escape(s, v, &second));
  assert_ok(vh_scope_close(s));
  assert_int_equal(read_int(first) + read_int(second), 4);
  /* B's scope takes B's lock and gives it back; A's scope after it at that depth keeps A's. */
  assert_ok(vh_scope_open(eb, &s));
  assert_eval_string(eb, "'B'", "B");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_scope_open(g_e, &s));
  assert_eval_string(g_e, "'A'", "A");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_scope_open_escapable(g_e, &s)); /* needs A's lock held by this thread */
  assert_ok(vh_scope_close(s));
  assert_eval_string(g_e, "'still A'", "still A");
  assert_int_equal(read_int(first), 1);
  assert_ok(vh_scope_close(outer));
  assert_status(VH_ENOSCOPE, vh_new_int32(g_e, 4, &v));
  assert_ok(vh_runtime_dispose(rb));
}

/* An escapable scope needs an enclosing scope of the same runtime on this thread. */
static void test_escapable_needs_parent(void **state) {
  (void)state;
  vh_scope s, other_s;
  vh_engine other;
  assert_status(VH_ENOSCOPE, vh_scope_open_escapable(g_e, &s));
  /* A scope of another runtime does not count. */
  assert_ok(vh_engine_new_private(NULL, NULL, &other));
  assert_ok(vh_scope_open(other, &other_s));
  assert_status(VH_ENOSCOPE, vh_scope_open_escapable(g_e, &s));
  assert_ok(vh_scope_close(other_s));
  assert_ok(vh_engine_dispose(other));
  /* The refusals left no scope of the runtime open behind. */
  assert_status(VH_ENOSCOPE, vh_new_int32(g_e, 1, &(vh_value){0}));
  assert_status(VH_EINVAL, vh_scope_open_escapable(g_e, NULL));
}

/* Closing an outer scope before an inner one is VH_ESCOPE_ORDER and closes nothing. */
static void test_close_out_of_order(void **state) {
  (void)state;
  vh_scope s1, s2, s3;
  vh_value v1, v2, v3;
  assert_ok(vh_scope_open(g_e, &s1));
  assert_ok(vh_new_int32(g_e, 1, &v1));
  assert_ok(vh_scope_open(g_e, &s2));
  assert_ok(vh_new_int32(g_e, 2, &v2));
  assert_ok(vh_scope_open(g_e, &s3));
  assert_ok(vh_new_int32(g_e, 3, &v3));
  assert_status(VH_ESCOPE_ORDER, vh_scope_close(s1));
  assert_status(VH_ESCOPE_ORDER, vh_scope_close(s2));
  assert_int_equal(read_int(v1), 1);
  assert_int_equal(read_int(v2), 2);
  assert_int_equal(read_int(v3), 3);
  assert_int_equal(read_int(eval_ok(g_e, "40 + 2")), 42); /* lock still held */
  assert_ok(vh_scope_close(s3));
  assert_status(VH_ESCOPE_ORDER, vh_scope_close(s1));
  assert_int_equal(read_int(v2), 2);
  assert_ok(vh_scope_close(s2));
  assert_ok(vh_scope_close(s1));
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(v1, &(int32_t){0}));
}

/* Closing a scope twice is VH_ESCOPE_CLOSED, also after a newer scope reuses its depth. */
static void test_double_close(void **state) {
  (void)state;
  vh_scope s, newer;
  vh_value v;
  assert_ok(vh_scope_open(g_e, &s));
  assert_ok(vh_scope_close(s));
  assert_status(VH_ESCOPE_CLOSED, vh_scope_close(s));
  assert_ok(vh_scope_open(g_e, &newer));
  assert_ok(vh_new_int32(g_e, 4, &v));
  assert_status(VH_ESCOPE_CLOSED, vh_scope_close(s)); /* must not close `newer` */
  assert_int_equal(read_int(v), 4);
  assert_ok(vh_scope_close(newer));
  assert_status(VH_ESCOPE_CLOSED, vh_scope_close(newer));
}

/* The empty scope handle, and NULL or empty arguments to open, are VH_EINVAL. */
static void test_empty_scope_handle(void **state) {
  (void)state;
  vh_scope empty, outer;
  vh_value v, out;
  memset(&empty, 0, sizeof empty);
  assert_status(VH_EINVAL, vh_scope_close(empty));
  assert_status(VH_EINVAL, vh_scope_open(g_e, NULL));
  assert_status(VH_EINVAL, vh_scope_open((vh_engine){0}, &outer));
  assert_ok(vh_scope_open(g_e, &outer));
  assert_ok(vh_new_int32(g_e, 1, &v));
  assert_status(VH_EINVAL, vh_scope_escape(empty, v, &out));
  assert_status(VH_EINVAL, vh_scope_close(empty)); /* also with a scope open */
  assert_ok(vh_scope_close(outer));
}

/* Calls that need a scope refuse with VH_ENOSCOPE when none of the runtime is open. */
static void test_no_scope(void **state) {
  (void)state;
  vh_value v = {0};
  vh_exception ex;
  assert_status(VH_ENOSCOPE, vh_new_int32(g_e, 1, &v));
  assert_status(VH_ENOSCOPE, vh_new_object(g_e, &v));
  assert_status(VH_ENOSCOPE, vh_new_string_utf8(g_e, "s", VH_AUTO_LENGTH, &v));
  assert_status(VH_ENOSCOPE, vh_eval(g_e, "1", VH_AUTO_LENGTH, NULL, &v));
  assert_status(VH_ENOSCOPE, vh_engine_global(g_e, &v));
  assert_status(VH_ENOSCOPE, vh_exception_take(g_e, &ex));
  assert_int_equal(v.serial_, 0);
}

/* Scopes of two runtimes nest on one thread; values of each work; mixing them is refused. */
static void test_two_runtimes_nested(void **state) {
  (void)state;
  vh_runtime rb;
  vh_engine eb;
  vh_scope sa, sb;
  vh_value obj_a, val_a, val_b, obj_b, got, late_a;
  bool eq;
  int32_t n;
  open_runtime(NULL, &rb, &eb, NULL);
  assert_ok(vh_scope_open(g_e, &sa));
  obj_a = eval_ok(g_e, "globalThis.tagA = 'A'; ({})");
  assert_ok(vh_new_int32(g_e, 10, &val_a));
  assert_ok(vh_scope_open(eb, &sb));
  obj_b = eval_ok(eb, "globalThis.tagA = 'B'; ({})");
  assert_ok(vh_new_int32(eb, 20, &val_b));
  /* Both runtimes usable with both scopes open. */
  assert_eval_string(g_e, "tagA", "A");
  assert_eval_string(eb, "tagA", "B");
  assert_int_equal(read_int(val_a) + read_int(val_b), 30);
  assert_ok(vh_set(g_e, obj_a, "k", val_a));
  assert_ok(vh_set(eb, obj_b, "k", val_b));
  /* Cross-runtime mixing: values of the other runtime are passed in (primitives copied, objects
   * proxied: the operation reaches the real object); only engine-less calls refuse them. */
  assert_ok(vh_set(g_e, obj_a, "k", val_b));
  assert_ok(vh_get(g_e, obj_a, "k", &got));
  assert_int_equal(read_int(got), 20);
  assert_ok(vh_set(g_e, obj_b, "k", val_a)); /* through A's proxy of obj_b */
  assert_ok(vh_get(eb, obj_b, "k", &got));
  assert_int_equal(read_int(got), 10);
  assert_ok(vh_get(eb, obj_a, "k", &got)); /* through B's proxy of obj_a */
  assert_int_equal(read_int(got), 20);
  assert_status(VH_ERUNTIME_MISMATCH, vh_strict_equals(val_a, val_b, &eq));
  assert_status(VH_ETYPE, vh_call(g_e, obj_b, (vh_value){0}, 0, NULL, &got)); /* not callable */
  assert_ok(vh_set(g_e, obj_a, "k", val_a));
  /* Nesting is strict across runtimes: A's scope cannot close before B's. */
  assert_status(VH_ESCOPE_ORDER, vh_scope_close(sa));
  assert_status(VH_EBUSY, vh_runtime_dispose(rb));
  /* A value of runtime A made while B's scope is innermost lives in B's scope. */
  assert_ok(vh_new_int32(g_e, 30, &late_a));
  assert_int_equal(read_int(late_a), 30);
  assert_ok(vh_scope_close(sb));
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(val_b, &n));
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(late_a, &n));
  assert_int_equal(read_int(val_a), 10);
  assert_eval_string(g_e, "tagA", "A");
  assert_ok(vh_scope_close(sa));
  assert_ok(vh_runtime_dispose(rb));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nested_scopes),
      cmocka_unit_test(test_closed_value_never_aliases),
      cmocka_unit_test(test_escape_once),
      cmocka_unit_test(test_escape_chain),
      cmocka_unit_test(test_escape_outside_value),
      cmocka_unit_test(test_escape_not_escapable),
      cmocka_unit_test(test_scope_at_a_closed_depth),
      cmocka_unit_test(test_escapable_needs_parent),
      cmocka_unit_test(test_close_out_of_order),
      cmocka_unit_test(test_double_close),
      cmocka_unit_test(test_empty_scope_handle),
      cmocka_unit_test(test_no_scope),
      cmocka_unit_test(test_two_runtimes_nested),
  };
  return cmocka_run_group_tests(tests, runtime_setup, runtime_teardown);
}
