/* What a runtime is doing (diagnostics.h): memory pressure from any thread, and the host's
 * near-heap-limit callback (told before the library stops a script, may raise the limit once). */
#include "test_util.h"

#include <uv.h>

typedef struct limit_log {
  int calls;
  size_t first_limit, initial;
  size_t raise_to; /* 0: never raise */
} limit_log;

static size_t on_heap_limit(vh_runtime rt, size_t current, size_t initial, void *data) {
  (void)rt;
  limit_log *log = data;
  if (log->calls++ == 0) log->first_limit = current;
  log->initial = initial;
  return log->raise_to ? current + log->raise_to : 0;
}

static const char kHog[] = "const a = []; while (true) a.push(new Array(1000).fill(a.length)); 1";

static int hog(vh_runtime_options *o, limit_log *log, double *reached_mb) {
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  vh_value v;
  assert_ok(vh_runtime_new(o, &rt));
  assert_ok(vh_engine_new(rt, NULL, &e));
  assert_ok(vh_runtime_set_heap_limit_cb(rt, on_heap_limit, log));
  assert_ok(vh_scope_open(e, &s));
  int rc = vh_eval(e, kHog, VH_AUTO_LENGTH, "hog.js", &v);
  vh_heap_stats hs;
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_heap_stats(rt, &hs));
  *reached_mb = (double)hs.limit / (1 << 20);
  assert_ok(vh_runtime_dispose(rt));
  return rc;
}

static void test_heap_limit_callback_told_first(void **state) {
  (void)state;
  vh_runtime_options o;
  vh_runtime_options_init(&o);
  o.heap_max_bytes = 32u << 20;
  limit_log log = {0};
  double mb;
  assert_int_equal(hog(&o, &log, &mb), VH_EHEAPLIMIT);
  assert_int_equal(log.calls, 1); /* no raise: the script was stopped at the first call */
  assert_true(log.first_limit >= (16u << 20) && log.first_limit <= (64u << 20));
}

static void test_heap_limit_callback_raises_once(void **state) {
  (void)state;
  vh_runtime_options o;
  vh_runtime_options_init(&o);
  o.heap_max_bytes = 32u << 20;
  limit_log log = {0};
  log.raise_to = 32u << 20;
  double mb;
  assert_int_equal(hog(&o, &log, &mb), VH_EHEAPLIMIT);
  /* the first call raised the limit and the script went on; the second stopped it */
  assert_int_equal(log.calls, 2);
}

static void test_heap_limit_callback_removed(void **state) {
  (void)state;
  vh_runtime rt;
  assert_ok(vh_runtime_new(NULL, &rt));
  assert_ok(vh_runtime_set_heap_limit_cb(rt, NULL, NULL));
  assert_status(VH_EINVAL, vh_runtime_set_heap_limit_cb((vh_runtime){0}, NULL, NULL));
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_runtime_set_heap_limit_cb(rt, NULL, NULL));
}

static vh_runtime g_pressure_rt;
static int g_pressure_rc = -1;
static void pressure_thread(void *arg) {
  (void)arg;
  g_pressure_rc = vh_runtime_memory_pressure(g_pressure_rt, VH_MEMORY_PRESSURE_CRITICAL);
}

static void test_memory_pressure(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  vh_value v;
  assert_ok(vh_runtime_new(NULL, &rt));
  assert_ok(vh_engine_new(rt, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  /* garbage, then critical pressure from the thread holding the runtime: collected at once */
  assert_ok(vh_eval(e, "for (let i = 0; i < 200; i++) new Array(10000).fill(i); 0", VH_AUTO_LENGTH, "g.js", &v));
  vh_heap_stats before, after;
  assert_ok(vh_runtime_heap_stats(rt, &before));
  assert_ok(vh_runtime_memory_pressure(rt, VH_MEMORY_PRESSURE_CRITICAL));
  assert_ok(vh_runtime_heap_stats(rt, &after));
  assert_true(after.used < before.used);
  assert_ok(vh_runtime_memory_pressure(rt, VH_MEMORY_PRESSURE_NONE));
  /* from another thread while this one holds the runtime: accepted without waiting */
  g_pressure_rt = rt;
  uv_thread_t t;
  assert_int_equal(uv_thread_create(&t, pressure_thread, NULL), 0);
  uv_thread_join(&t);
  assert_int_equal(g_pressure_rc, VH_OK);
  assert_status(VH_EINVAL, vh_runtime_memory_pressure(rt, (vh_memory_pressure)7));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_runtime_memory_pressure(rt, VH_MEMORY_PRESSURE_MODERATE));
}

static void test_runtime_stats(void **state) {
  (void)state;
  vh_runtime rt, other;
  vh_engine e, e2, o;
  vh_scope s, so;
  vh_value v, passed;
  vh_ref ref;
  assert_ok(vh_runtime_new(NULL, &rt));
  assert_ok(vh_runtime_new(NULL, &other));
  assert_ok(vh_engine_new(rt, NULL, &e));
  assert_ok(vh_engine_new(rt, NULL, &e2));
  assert_ok(vh_engine_new(other, NULL, &o));
  vh_class_def def;
  memset(&def, 0, sizeof def);
  def.struct_size = sizeof def;
  def.name = "Thing";
  vh_class cls;
  assert_ok(vh_class_define(rt, &def, &cls));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_scope_open(o, &so));
  static int native;
  assert_ok(vh_class_new_instance(e, cls, &native, &v));
  assert_ok(vh_ref_new(v, 1, &ref));
  /* two objects of the other runtime passed in: two proxies live here */
  assert_ok(vh_pass(e, eval_ok(o, "({})"), &passed, NULL));
  assert_ok(vh_pass(e, eval_ok(o, "[]"), &passed, NULL));
  vh_runtime_stats st;
  memset(&st, 0, sizeof st);
  st.struct_size = sizeof st;
  assert_ok(vh_runtime_stats_get(rt, &st));
  assert_int_equal(st.struct_size, sizeof st);
  assert_int_equal(st.engines, 2);
  assert_int_equal(st.references, 1);
  assert_int_equal(st.class_instances, 1);
  assert_int_equal(st.proxies_imported, 2);
  assert_true(st.heap.used > 0 && st.heap.limit > st.heap.used);
  assert_true(st.space_count >= 4);
  bool old_space = false;
  size_t used = 0;
  for (size_t i = 0; i < st.space_count; i++) {
    if (strcmp(st.spaces[i].name, "old_space") == 0) old_space = true;
    used += st.spaces[i].used;
  }
  assert_true(old_space);
  assert_true(used > 0);
  st.struct_size = sizeof st - 1;
  assert_status(VH_EVERSION, vh_runtime_stats_get(rt, &st));
  assert_status(VH_EINVAL, vh_runtime_stats_get(rt, NULL));
  assert_ok(vh_scope_close(so));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(other));
  assert_ok(vh_runtime_dispose(rt));
  st.struct_size = sizeof st;
  assert_status(VH_EDISPOSED, vh_runtime_stats_get(rt, &st));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_heap_limit_callback_told_first),
      cmocka_unit_test(test_heap_limit_callback_raises_once),
      cmocka_unit_test(test_heap_limit_callback_removed),
      cmocka_unit_test(test_memory_pressure),
      cmocka_unit_test(test_runtime_stats),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
