/* Stops of script the loop runs: a heap limit reached in a microtask, a promise reaction or a
 * timer callback stops it with VH_EHEAPLIMIT (it grew the heap without end before); a terminate
 * or a deadline ends vh_runtime_run and a module's pending top-level await at once (before: the
 * terminate waited for the next timer, the deadline never fired). */
#include "test_util.h"

#include <uv.h>

#define MIB (1024u * 1024u)

static const char kAllocateForever[] = "const a = []; for (;;) a.push(new Array(1000).fill(1.5));";

static void new_runtime(size_t heap, vh_runtime *rt, vh_engine *e) {
  vh_runtime_options o;
  assert_ok(vh_runtime_options_init(&o));
  o.heap_max_bytes = heap;
  assert_ok(vh_runtime_new(&o, rt));
  assert_ok(vh_engine_new(*rt, NULL, e));
  vh_scope s;
  assert_ok(vh_scope_open(*e, &s));
  assert_ok(vh_engine_install_builtins(*e, VH_BUILTIN_TIMERS));
  assert_ok(vh_scope_close(s));
}

static void assert_works(vh_runtime rt, vh_engine e) {
  vh_scope s;
  vh_value v;
  int32_t n = 0;
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_eval(e, "[1, 2, 3].map(x => x * 2).length", VH_AUTO_LENGTH, NULL, &v));
  assert_ok(vh_value_int32(v, &n));
  assert_int_equal(n, 3);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_run_microtasks(rt));
}

/* A reaction that allocates without end: vh_runtime_run_microtasks returns VH_EHEAPLIMIT. */
static void test_heap_limit_in_microtask(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  new_runtime(16 * MIB, &rt, &e);
  char source[256];
  snprintf(source, sizeof source, "Promise.resolve().then(() => { %s }); 0", kAllocateForever);
  eval_scoped(e, source);
  assert_status(VH_EHEAPLIMIT, vh_runtime_run_microtasks(rt));
  assert_works(rt, e);
  assert_ok(vh_runtime_dispose(rt));
}

/* A chain of reactions, each short, that keeps what it allocates: vh_runtime_run returns
 * VH_EHEAPLIMIT (each reaction is brief, so only the heap limit can end the chain). */
static void test_heap_limit_in_reaction_chain(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  new_runtime(16 * MIB, &rt, &e);
  eval_scoped(e, "(() => { const kept = []; const step = () => { kept.push(new Array(1e4).fill(1.5));"
                   " return Promise.resolve().then(step); }; step(); })(); 0");
  assert_status(VH_EHEAPLIMIT, vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, NULL));
  assert_works(rt, e);
  assert_ok(vh_runtime_dispose(rt));
}

/* A timer callback that allocates without end: vh_runtime_run returns VH_EHEAPLIMIT; the timers
 * still pending stay for the next run. */
static void test_heap_limit_in_timer(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  bool alive = false;
  new_runtime(16 * MIB, &rt, &e);
  char source[256];
  snprintf(source, sizeof source, "setTimeout(() => { %s }, 1); globalThis.later = 0; setTimeout(() => later++, 30); 0",
           kAllocateForever);
  eval_scoped(e, source);
  assert_status(VH_EHEAPLIMIT, vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, &alive));
  assert_true(alive);
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, &alive));
  assert_false(alive);
  vh_scope s;
  vh_value v;
  int32_t n = 0;
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_eval(e, "later", VH_AUTO_LENGTH, NULL, &v));
  assert_ok(vh_value_int32(v, &n));
  assert_int_equal(n, 1);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
}

static const char kWaitsLong[] = "await new Promise(resolve => setTimeout(resolve, 8000)); export const done = 1;";

/* A terminate 200 ms into a module's top-level await that waits on an 8 s timer: vh_module_eval
 * returns VH_ETERMINATED at once, and the runtime works. */
static void test_terminate_during_top_level_await(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  uv_thread_t t;
  new_runtime(0, &rt, &e);
  terminator j = {rt, 200, 0};
  assert_ok(vh_scope_open(e, &s));
  uint64_t t0 = uv_hrtime();
  assert_int_equal(uv_thread_create(&t, terminate_after, &j), 0);
  assert_status(VH_ETERMINATED, vh_module_eval(e, kWaitsLong, VH_AUTO_LENGTH, "waits.mjs", NULL));
  assert_int_equal(uv_thread_join(&t), 0);
  assert_true((uv_hrtime() - t0) / 1000000 < 4000);
  assert_ok(vh_scope_close(s));
  assert_works(rt, e);
  assert_ok(vh_runtime_dispose(rt));
}

/* A deadline during a module's top-level await ends it with VH_ETIMEDOUT. */
static void test_deadline_during_top_level_await(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  new_runtime(0, &rt, &e);
  assert_ok(vh_scope_open(e, &s));
  uint64_t t0 = uv_hrtime();
  assert_ok(vh_runtime_set_deadline(rt, 200));
  assert_status(VH_ETIMEDOUT, vh_module_eval(e, kWaitsLong, VH_AUTO_LENGTH, "waits.mjs", NULL));
  assert_ok(vh_runtime_set_deadline(rt, 0));
  assert_true((uv_hrtime() - t0) / 1000000 < 4000);
  assert_ok(vh_scope_close(s));
  assert_works(rt, e);
  assert_ok(vh_runtime_dispose(rt));
}

/* A deadline and a terminate end a run that would go on for ever (an interval), with the
 * matching status; the interval is still there for a later run. */
static void test_stops_end_a_run(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  bool alive = false;
  uv_thread_t t;
  new_runtime(0, &rt, &e);
  eval_scoped(e, "globalThis.ticks = 0; setInterval(() => ticks++, 5); 0");
  assert_ok(vh_runtime_set_deadline(rt, 100));
  assert_status(VH_ETIMEDOUT, vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, &alive));
  assert_ok(vh_runtime_set_deadline(rt, 0));
  assert_true(alive);
  terminator j = {rt, 100, 0};
  assert_int_equal(uv_thread_create(&t, terminate_after, &j), 0);
  assert_status(VH_ETERMINATED, vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, &alive));
  assert_int_equal(uv_thread_join(&t), 0);
  assert_true(alive);
  assert_works(rt, e);
  assert_ok(vh_runtime_dispose(rt));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_heap_limit_in_microtask),
      cmocka_unit_test(test_heap_limit_in_reaction_chain),
      cmocka_unit_test(test_heap_limit_in_timer),
      cmocka_unit_test(test_terminate_during_top_level_await),
      cmocka_unit_test(test_deadline_during_top_level_await),
      cmocka_unit_test(test_stops_end_a_run),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
