/* What a runtime is doing (diagnostics.h): memory pressure from any thread, the host's
 * near-heap-limit callback (told before the library stops a script, may raise the limit once),
 * statistics (proxies both ways, the struct's older size), and the garbage collection callback. */
#include "test_util.h"

#include <stddef.h>
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
  open_runtime(o, &rt, &e, NULL);
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
  open_runtime(NULL, &rt, &e, &s);
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
  assert_int_equal(st.proxies_exported, 0); /* nothing of rt's was passed out */
  st.struct_size = offsetof(vh_runtime_stats, proxies_exported) - 1;
  assert_status(VH_EVERSION, vh_runtime_stats_get(rt, &st));
  assert_status(VH_EINVAL, vh_runtime_stats_get(rt, NULL));
  assert_ok(vh_scope_close(so));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(other));
  assert_ok(vh_runtime_dispose(rt));
  st.struct_size = sizeof st;
  assert_status(VH_EDISPOSED, vh_runtime_stats_get(rt, &st));
}

static vh_runtime_stats stats(vh_runtime rt) {
  vh_runtime_stats st;
  memset(&st, 0, sizeof st);
  st.struct_size = sizeof st;
  assert_ok(vh_runtime_stats_get(rt, &st));
  assert_int_equal(st.struct_size, sizeof st);
  return st;
}

/* A's object seen from B and C: two proxies exported by A, one imported by each; B's proxy
 * collected in B drops one, C's disposal the other. */
static void test_runtime_stats_exported(void **state) {
  (void)state;
  vh_runtime a, b, c;
  vh_engine ea, eb, ec;
  vh_scope sa, sb, sc;
  vh_value obj, in_b, in_c;
  open_runtime(NULL, &a, &ea, NULL);
  open_runtime(NULL, &b, &eb, NULL);
  open_runtime(NULL, &c, &ec, NULL);
  assert_ok(vh_scope_open(ea, &sa));
  obj = eval_ok(ea, "({ x: 1 })");
  assert_ok(vh_scope_open(eb, &sb));
  assert_ok(vh_pass(eb, obj, &in_b, NULL));
  assert_int_equal(stats(a).proxies_exported, 1);
  assert_int_equal(stats(b).proxies_imported, 1);
  assert_ok(vh_scope_close(sb)); /* B's proxy is no longer held by anything */
  assert_ok(vh_scope_open(ec, &sc));
  assert_ok(vh_pass(ec, obj, &in_c, NULL));
  assert_int_equal(stats(a).proxies_exported, 2);
  assert_int_equal(stats(a).proxies_imported, 0);
  assert_int_equal(stats(b).proxies_imported, 1); /* not collected yet */
  assert_int_equal(stats(c).proxies_imported, 1);
  assert_int_equal(stats(c).proxies_exported, 0);
  /* A's collection does not touch B's proxy; B's does */
  assert_ok(vh_runtime_gc(a));
  assert_int_equal(stats(a).proxies_exported, 2);
  assert_ok(vh_runtime_gc(b));
  assert_int_equal(stats(b).proxies_imported, 0);
  assert_int_equal(stats(a).proxies_exported, 1);
  assert_int_equal(stats(c).proxies_imported, 1);
  /* C's proxy still works, and A counts it until C goes */
  vh_value x;
  assert_ok(vh_get(ec, in_c, "x", &x));
  assert_ok(vh_scope_close(sc));
  assert_ok(vh_runtime_dispose(c));
  assert_int_equal(stats(a).proxies_exported, 0);
  assert_ok(vh_scope_close(sa));
  assert_ok(vh_runtime_dispose(b));
  assert_ok(vh_runtime_dispose(a));
}

/* A's object passed to B, and B's proxy of it passed on to C: C's proxy stands for A's object,
 * so it counts as A's export, not B's. */
static void test_runtime_stats_forwarded(void **state) {
  (void)state;
  vh_runtime a, b, c;
  vh_engine ea, eb, ec;
  vh_scope sa, sb, sc;
  vh_value in_b, in_c;
  open_runtime(NULL, &a, &ea, NULL);
  open_runtime(NULL, &b, &eb, NULL);
  open_runtime(NULL, &c, &ec, NULL);
  assert_ok(vh_scope_open(ea, &sa));
  assert_ok(vh_scope_open(eb, &sb));
  assert_ok(vh_scope_open(ec, &sc));
  assert_ok(vh_pass(eb, eval_ok(ea, "({ y: 2 })"), &in_b, NULL));
  assert_ok(vh_pass(ec, in_b, &in_c, NULL));
  assert_int_equal(stats(a).proxies_exported, 2);
  assert_int_equal(stats(b).proxies_exported, 0);
  assert_int_equal(stats(b).proxies_imported, 1);
  assert_int_equal(stats(c).proxies_imported, 1);
  assert_ok(vh_scope_close(sc));
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_scope_close(sa));
  /* B disposed: its proxy goes, C's (of A's object) stays */
  assert_ok(vh_runtime_dispose(b));
  assert_int_equal(stats(a).proxies_exported, 1);
  assert_ok(vh_runtime_dispose(a)); /* A disposed: C's proxy is dead, C still counts it */
  assert_int_equal(stats(c).proxies_imported, 1);
  assert_ok(vh_runtime_dispose(c));
}

/* A caller compiled against the first release's struct (ending at spaces) is served that much,
 * and nothing past it is written. */
static void test_runtime_stats_first_release_size(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  open_runtime(NULL, &rt, &e, NULL);
  const size_t first = offsetof(vh_runtime_stats, proxies_exported);
  unsigned char buf[sizeof(vh_runtime_stats) + 8];
  memset(buf, 0xAB, sizeof buf);
  vh_runtime_stats *st = (vh_runtime_stats *)(void *)buf;
  st->struct_size = first;
  assert_ok(vh_runtime_stats_get(rt, st));
  assert_int_equal(st->struct_size, first);
  assert_int_equal(st->engines, 1);
  assert_true(st->space_count >= 4 && st->heap.used > 0);
  for (size_t i = first; i < sizeof buf; i++) assert_int_equal(buf[i], 0xAB);
  /* a size between the two is served the first release's fields as well */
  memset(buf, 0xAB, sizeof buf);
  st->struct_size = sizeof(vh_runtime_stats) - 1;
  assert_ok(vh_runtime_stats_get(rt, st));
  assert_int_equal(st->struct_size, first);
  for (size_t i = first; i < sizeof buf; i++) assert_int_equal(buf[i], 0xAB);
  /* a newer caller's larger struct: this library's size */
  st->struct_size = sizeof buf;
  assert_ok(vh_runtime_stats_get(rt, st));
  assert_int_equal(st->struct_size, sizeof(vh_runtime_stats));
  assert_int_equal(st->proxies_exported, 0);
  assert_ok(vh_runtime_dispose(rt));
}

typedef struct gc_log {
  vh_runtime rt;
  int starts[5], ends[5]; /* by vh_gc_kind */
  int depth, max_depth;
  int wrong; /* calls for another runtime, or an unknown kind or phase */
} gc_log;

static void on_gc(vh_runtime rt, vh_gc_kind kind, vh_gc_phase phase, void *data) {
  gc_log *log = data;
  if (rt.id_ != log->rt.id_ || kind < VH_GC_KIND_SCAVENGE || kind > VH_GC_KIND_WEAK_PROCESSING) {
    log->wrong++;
    return;
  }
  if (phase == VH_GC_PHASE_START) {
    log->starts[kind]++;
    if (++log->depth > log->max_depth) log->max_depth = log->depth;
  } else if (phase == VH_GC_PHASE_END) {
    log->ends[kind]++;
    log->depth--;
  } else {
    log->wrong++;
  }
}

static int gc_total(const int *counts) {
  int n = 0;
  for (int k = 0; k < 5; k++) n += counts[k];
  return n;
}

static void test_gc_callback(void **state) {
  (void)state;
  vh_runtime rt, other;
  vh_engine e;
  vh_scope s;
  vh_value v;
  assert_ok(vh_runtime_new(NULL, &rt));
  assert_ok(vh_runtime_new(NULL, &other));
  assert_ok(vh_engine_new(rt, NULL, &e));
  gc_log log, other_log;
  memset(&log, 0, sizeof log);
  memset(&other_log, 0, sizeof other_log);
  log.rt = rt;
  other_log.rt = other;
  assert_ok(vh_runtime_set_gc_cb(rt, on_gc, &log));
  assert_ok(vh_runtime_set_gc_cb(other, on_gc, &other_log));
  /* a forced collection: at least one full one, each start followed by its end */
  assert_ok(vh_runtime_gc(rt));
  assert_true(log.starts[VH_GC_KIND_MARK_COMPACT] >= 1);
  assert_int_equal(log.ends[VH_GC_KIND_MARK_COMPACT], log.starts[VH_GC_KIND_MARK_COMPACT]);
  for (int k = 0; k < 5; k++) assert_int_equal(log.ends[k], log.starts[k]);
  assert_int_equal(log.depth, 0);
  assert_true(log.max_depth >= 1);
  assert_int_equal(log.wrong, 0);
  assert_int_equal(gc_total(other_log.starts), 0); /* another runtime's callback is not told */
  /* script garbage: young-generation collections are told as well */
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_eval(e, "let a = []; for (let i = 0; i < 200000; i++) { a.push(new Array(8).fill(i)); if (a.length === 1000) a = []; } a.length", VH_AUTO_LENGTH, "g.js", &v));
  assert_ok(vh_scope_close(s));
  assert_true(log.starts[VH_GC_KIND_SCAVENGE] >= 1);
  for (int k = 0; k < 5; k++) assert_int_equal(log.ends[k], log.starts[k]);
  assert_int_equal(log.depth, 0);
  /* replacing it: the new one is told once per collection phase, the old one no more */
  gc_log second;
  memset(&second, 0, sizeof second);
  second.rt = rt;
  int before = gc_total(log.starts);
  assert_ok(vh_runtime_set_gc_cb(rt, on_gc, &second));
  assert_ok(vh_runtime_gc(rt));
  assert_int_equal(gc_total(log.starts), before);
  assert_true(second.starts[VH_GC_KIND_MARK_COMPACT] >= 1);
  for (int k = 0; k < 5; k++) assert_int_equal(second.ends[k], second.starts[k]);
  /* removed: no more calls */
  assert_ok(vh_runtime_set_gc_cb(rt, NULL, NULL));
  int after = gc_total(second.starts) + gc_total(second.ends);
  assert_ok(vh_runtime_gc(rt));
  assert_ok(vh_runtime_memory_pressure(rt, VH_MEMORY_PRESSURE_CRITICAL));
  assert_int_equal(gc_total(second.starts) + gc_total(second.ends), after);
  assert_ok(vh_runtime_set_gc_cb(rt, NULL, NULL)); /* removing twice is fine */
  /* disposal with a callback set is clean and tells it nothing. (This V8's teardown runs no
   * collection, so this would pass without disposal's removal as well; under ASan it shows no
   * call reaches freed state.) */
  assert_ok(vh_runtime_set_gc_cb(rt, on_gc, &log));
  before = gc_total(log.starts) + gc_total(log.ends);
  assert_ok(vh_runtime_dispose(rt));
  assert_int_equal(gc_total(log.starts) + gc_total(log.ends), before);
  assert_status(VH_EDISPOSED, vh_runtime_set_gc_cb(rt, on_gc, &log));
  assert_status(VH_EINVAL, vh_runtime_set_gc_cb((vh_runtime){0}, on_gc, &log));
  assert_int_equal(other_log.wrong, 0);
  assert_ok(vh_runtime_dispose(other));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_heap_limit_callback_told_first),
      cmocka_unit_test(test_heap_limit_callback_raises_once),
      cmocka_unit_test(test_heap_limit_callback_removed),
      cmocka_unit_test(test_memory_pressure),
      cmocka_unit_test(test_runtime_stats),
      cmocka_unit_test(test_runtime_stats_exported),
      cmocka_unit_test(test_runtime_stats_forwarded),
      cmocka_unit_test(test_runtime_stats_first_release_size),
      cmocka_unit_test(test_gc_callback),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
