/* References: keeping values past their scope, counting, weakness (v8host/ref.h). */
#define VH_TEST_RUNTIME /* g_rt and g_e, made once for the group */
#include "test_util.h"

static vh_scope open_scope(void) {
  vh_scope s;
  assert_ok(vh_scope_open(g_e, &s));
  return s;
}
/* Makes a fresh object {tag: tag} in a scope of its own, references it with count, closes. */
static vh_ref ref_fresh_object(const char *tag, uint32_t count) {
  vh_scope s = open_scope();
  vh_value o, t;
  vh_ref r;
  assert_ok(vh_new_object(g_e, &o));
  assert_ok(vh_new_string_utf8(g_e, tag, VH_AUTO_LENGTH, &t));
  assert_ok(vh_set(g_e, o, "tag", t));
  assert_ok(vh_ref_new(o, count, &r));
  assert_ok(vh_scope_close(s));
  return r;
}
/* Reads ref's object's tag into buf (a scope must be open). */
static void ref_tag(vh_ref r, char *buf, size_t cap) {
  vh_value o, t;
  assert_ok(vh_ref_get(r, &o));
  assert_ok(vh_get(g_e, o, "tag", &t));
  assert_ok(vh_value_string_utf8(t, buf, cap, NULL));
}

/* A counted reference keeps an object alive after its scope closed and a full GC ran. */
static void test_keeps_object_past_scope(void **state) {
  (void)state;
  vh_scope s1 = open_scope();
  vh_value o;
  vh_ref r;
  o = eval_ok(g_e, "({tag: 'kept', n: 5, nested: {deep: [1, 2, 3]}})");
  assert_ok(vh_ref_new(o, 1, &r));
  assert_ok(vh_scope_close(s1));
  assert_ok(vh_runtime_gc(g_rt));
  vh_scope s2 = open_scope();
  char buf[16];
  ref_tag(r, buf, sizeof buf);
  assert_string_equal(buf, "kept");
  vh_value got, g;
  assert_ok(vh_ref_get(r, &got));
  assert_ok(vh_engine_global(g_e, &g));
  assert_ok(vh_set(g_e, g, "fromRef", got));
  assert_eval_string(g_e, "String(fromRef.n + fromRef.nested.deep[2])", "8");
  assert_ok(vh_scope_close(s2));
  assert_ok(vh_ref_dispose(r));
}

/* inc/dec return the new count; dec at zero → VH_ERANGE; inc at UINT32_MAX → VH_ERANGE. */
static void test_counting(void **state) {
  (void)state;
  vh_ref r = ref_fresh_object("counted", 2);
  vh_scope s = open_scope();
  uint32_t c = 0;
  assert_ok(vh_ref_inc(r, &c));
  assert_int_equal(c, 3);
  assert_ok(vh_ref_dec(r, &c));
  assert_int_equal(c, 2);
  assert_ok(vh_ref_dec(r, &c));
  assert_int_equal(c, 1);
  assert_ok(vh_ref_dec(r, NULL));
  c = 77;
  assert_status(VH_ERANGE, vh_ref_dec(r, &c));
  assert_int_equal(c, 77);
  assert_ok(vh_ref_inc(r, NULL));
  assert_ok(vh_ref_dec(r, &c));
  assert_int_equal(c, 0);
  vh_value v;
  vh_ref big;
  assert_ok(vh_new_int32(g_e, 1, &v));
  assert_ok(vh_ref_new(v, UINT32_MAX, &big));
  assert_status(VH_ERANGE, vh_ref_inc(big, &c));
  assert_ok(vh_ref_dec(big, &c));
  assert_true(c == UINT32_MAX - 1);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_ref_dispose(r));
  assert_ok(vh_ref_dispose(big));
}

/* A weak reference (count 0) to an otherwise unreferenced object reports VH_ECOLLECTED after GC. */
static void test_weak_is_collected(void **state) {
  (void)state;
  vh_ref weak0 = ref_fresh_object("weak from the start", 0);
  vh_ref weak1 = ref_fresh_object("weak after dec", 1);
  vh_scope s = open_scope();
  assert_ok(vh_ref_dec(weak1, NULL));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_gc(g_rt)); /* no scope open */
  s = open_scope();
  vh_value v;
  assert_status(VH_ECOLLECTED, vh_ref_get(weak0, &v));
  assert_status(VH_ECOLLECTED, vh_ref_get(weak1, &v));
  /* counting still works on a collected reference, and it stays collected */
  uint32_t c = 0;
  assert_ok(vh_ref_inc(weak0, &c));
  assert_int_equal(c, 1);
  assert_status(VH_ECOLLECTED, vh_ref_get(weak0, &v));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_ref_dispose(weak0));
  assert_ok(vh_ref_dispose(weak1));
}

/* GC run with a scope open also collects weakly referenced objects of closed inner scopes. */
static void test_weak_collected_gc_with_scope_open(void **state) {
  (void)state;
  vh_scope outer = open_scope();
  vh_ref weak = ref_fresh_object("inner", 0);
  vh_value v;
  assert_ok(vh_runtime_gc(g_rt));
  assert_status(VH_ECOLLECTED, vh_ref_get(weak, &v));
  assert_ok(vh_scope_close(outer));
  assert_ok(vh_ref_dispose(weak));
}

/* A weak reference to an object still held by JS (a global) stays alive and is the same object. */
static void test_weak_but_referenced_survives(void **state) {
  (void)state;
  vh_scope s = open_scope();
  vh_value o = eval_ok(g_e, "globalThis.heldObj = {tag: 'held'}");
  vh_ref r;
  assert_ok(vh_ref_new(o, 0, &r));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_gc(g_rt));
  s = open_scope();
  vh_value got;
  bool same = false;
  assert_ok(vh_ref_get(r, &got));
  assert_ok(vh_strict_equals(got, eval_ok(g_e, "heldObj"), &same));
  assert_true(same);
  /* once JS drops it too, it goes */
  eval_ok(g_e, "delete globalThis.heldObj");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_gc(g_rt));
  s = open_scope();
  assert_status(VH_ECOLLECTED, vh_ref_get(r, &got));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_ref_dispose(r));
}

/* inc on a still-alive weak reference makes it strong again: it survives GC. */
static void test_strong_again_after_inc(void **state) {
  (void)state;
  vh_ref r = ref_fresh_object("revived", 0);
  vh_scope s = open_scope();
  uint32_t c = 0;
  assert_ok(vh_ref_inc(r, &c));
  assert_int_equal(c, 1);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_gc(g_rt));
  s = open_scope();
  char buf[16];
  ref_tag(r, buf, sizeof buf);
  assert_string_equal(buf, "revived");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_ref_dispose(r));
}

/* References to primitives (number, string, BigInt) are never collected, even at count 0. */
static void test_primitive_never_collected(void **state) {
  (void)state;
  vh_scope s = open_scope();
  vh_value num, str, big;
  vh_ref rn, rs, rb;
  assert_ok(vh_new_double(g_e, 3.25, &num));
  assert_ok(vh_new_string_utf8(g_e, "a primitive string, not internalized", VH_AUTO_LENGTH, &str));
  big = eval_ok(g_e, "2n ** 100n");
  assert_ok(vh_ref_new(num, 0, &rn));
  assert_ok(vh_ref_new(str, 1, &rs));
  assert_ok(vh_ref_new(big, 0, &rb));
  assert_ok(vh_ref_dec(rs, NULL));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_gc(g_rt));
  assert_ok(vh_runtime_gc(g_rt));
  s = open_scope();
  vh_value v;
  double d = 0;
  char buf[64];
  assert_ok(vh_ref_get(rn, &v));
  assert_ok(vh_value_double(v, &d));
  assert_true(d == 3.25);
  assert_ok(vh_ref_get(rs, &v));
  assert_ok(vh_value_string_utf8(v, buf, sizeof buf, NULL));
  assert_string_equal(buf, "a primitive string, not internalized");
  size_t count = 0;
  bool neg = true;
  assert_ok(vh_ref_get(rb, &v));
  assert_ok(vh_value_bigint_words(v, &neg, &count, NULL));
  assert_int_equal(count, 2);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_ref_dispose(rn));
  assert_ok(vh_ref_dispose(rs));
  assert_ok(vh_ref_dispose(rb));
}

/* After vh_ref_dispose every use of the handle gives VH_EDISPOSED. */
static void test_use_after_delete(void **state) {
  (void)state;
  vh_ref r = ref_fresh_object("gone", 1);
  assert_ok(vh_ref_dispose(r)); /* no scope open: delete takes the lock itself */
  vh_scope s = open_scope();
  vh_value v;
  uint32_t c;
  assert_status(VH_EDISPOSED, vh_ref_get(r, &v));
  assert_status(VH_EDISPOSED, vh_ref_inc(r, &c));
  assert_status(VH_EDISPOSED, vh_ref_dec(r, &c));
  assert_status(VH_EDISPOSED, vh_ref_dispose(r));
  /* a newer reference does not alias the stale handle */
  vh_ref r2 = ref_fresh_object("new", 1);
  assert_status(VH_EDISPOSED, vh_ref_get(r, &v));
  assert_ok(vh_ref_get(r2, &v));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_ref_dispose(r2));
}

/* Disposing the runtime frees its references: their handles give VH_EDISPOSED. */
static void test_runtime_dispose_disposes_refs(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  vh_value v;
  vh_ref strong, weak;
  open_runtime(NULL, &rt, &e, &s);
  assert_ok(vh_new_object(e, &v));
  assert_ok(vh_ref_new(v, 1, &strong));
  assert_ok(vh_ref_new(v, 0, &weak));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
  uint32_t c;
  assert_status(VH_EDISPOSED, vh_ref_get(strong, &v));
  assert_status(VH_EDISPOSED, vh_ref_inc(strong, &c));
  assert_status(VH_EDISPOSED, vh_ref_dec(weak, &c));
  assert_status(VH_EDISPOSED, vh_ref_dispose(strong));
  assert_status(VH_EDISPOSED, vh_ref_dispose(weak));
}

/* Without a scope of the runtime open, get/inc/dec give VH_ENOSCOPE. */
static void test_no_scope(void **state) {
  (void)state;
  vh_ref r = ref_fresh_object("noscope", 1);
  vh_value v;
  uint32_t c;
  assert_status(VH_ENOSCOPE, vh_ref_get(r, &v));
  assert_status(VH_ENOSCOPE, vh_ref_inc(r, &c));
  assert_status(VH_ENOSCOPE, vh_ref_dec(r, &c));
  /* a scope on another runtime does not count */
  vh_engine other;
  vh_scope s;
  assert_ok(vh_engine_new_private(NULL, NULL, &other));
  assert_ok(vh_scope_open(other, &s));
  assert_status(VH_ENOSCOPE, vh_ref_get(r, &v));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(other));
  assert_ok(vh_ref_dispose(r));
}

/* Bad arguments: NULL out, empty handles, values of a closed scope. */
static void test_bad_arguments(void **state) {
  (void)state;
  vh_scope s = open_scope();
  vh_value v, stale;
  vh_ref r, empty = {0};
  assert_ok(vh_new_object(g_e, &v));
  assert_status(VH_EINVAL, vh_ref_new(v, 1, NULL));
  assert_status(VH_EINVAL, vh_ref_get(empty, &v));
  assert_status(VH_EINVAL, vh_ref_inc(empty, NULL));
  assert_status(VH_EINVAL, vh_ref_dec(empty, NULL));
  assert_status(VH_EINVAL, vh_ref_dispose(empty));
  assert_ok(vh_ref_new(v, 1, &r));
  assert_status(VH_EINVAL, vh_ref_get(r, NULL));
  vh_scope inner = open_scope();
  assert_ok(vh_new_object(g_e, &stale));
  assert_ok(vh_scope_close(inner));
  vh_ref r2;
  assert_status(VH_ESCOPE_CLOSED, vh_ref_new(stale, 1, &r2));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_ref_dispose(r));
}

/* A reference works from any engine of its runtime: the value is the very same object. */
static void test_ref_across_engines(void **state) {
  (void)state;
  vh_engine e2;
  vh_scope s;
  vh_value o, got, g;
  vh_ref r;
  assert_ok(vh_engine_new(g_rt, NULL, &e2));
  s = open_scope();
  o = eval_ok(g_e, "globalThis.shared = {tag: 'shared'}");
  assert_ok(vh_ref_new(o, 1, &r));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_scope_open(e2, &s));
  assert_ok(vh_ref_get(r, &got));
  assert_ok(vh_engine_global(e2, &g));
  assert_ok(vh_set(e2, g, "viaRef", got));
  assert_eval_string(e2, "viaRef.tag", "shared");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e2));
  assert_ok(vh_ref_dispose(r));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_keeps_object_past_scope),
      cmocka_unit_test(test_counting),
      cmocka_unit_test(test_weak_is_collected),
      cmocka_unit_test(test_weak_collected_gc_with_scope_open),
      cmocka_unit_test(test_weak_but_referenced_survives),
      cmocka_unit_test(test_strong_again_after_inc),
      cmocka_unit_test(test_primitive_never_collected),
      cmocka_unit_test(test_use_after_delete),
      cmocka_unit_test(test_runtime_dispose_disposes_refs),
      cmocka_unit_test(test_no_scope),
      cmocka_unit_test(test_bad_arguments),
      cmocka_unit_test(test_ref_across_engines),
  };
  return cmocka_run_group_tests(tests, runtime_setup, runtime_teardown);
}
