/* Resource limits: the host survives whatever a script does. Heap limits end in VH_EHEAPLIMIT
 * (not a process abort), termination and deadlines work from other threads, recursion ends in a
 * RangeError or VH_EDEPTH, small thread stacks are respected; the runtime works afterwards. */
#include "test_util.h"

#include <stdlib.h>
#include <uv.h>

/* Runs source in a scope of e; returns the status; *text gets the completion value as JSON or
 * the exception's message (both may be empty). */
static int run(vh_engine e, const char *source, char *text, size_t size) {
  vh_scope s;
  vh_value v, json;
  assert_ok(vh_scope_open(e, &s));
  int rc = vh_eval(e, source, VH_AUTO_LENGTH, "limits.js", &v);
  text[0] = 0;
  if (rc == VH_OK && vh_json_stringify(e, v, &json) == VH_OK) vh_value_string_utf8(json, text, size, NULL);
  if (rc == VH_EEXCEPTION) {
    vh_exception x;
    assert_ok(vh_exception_take(e, &x));
    snprintf(text, size, "%s", x.message);
    vh_exception_free(&x);
  }
  assert_ok(vh_scope_close(s));
  return rc;
}

static void assert_runs(vh_engine e, const char *source, const char *expected_json) {
  char text[256];
  assert_status(VH_OK, run(e, source, text, sizeof text));
  assert_string_equal(text, expected_json);
}

/* Unbounded allocation under heap_max_bytes gives VH_EHEAPLIMIT, no exception pending, twice in a
 * row; the runtime works afterwards and another runtime is unaffected. */
static void test_heap_limit(void **state) {
  (void)state;
  vh_runtime_options o;
  vh_runtime rt, other;
  vh_engine e, oe;
  char text[256];
  bool pending = true;
  assert_ok(vh_runtime_options_init(&o));
  o.heap_max_bytes = 32u << 20;
  open_runtime(&o, &rt, &e, NULL);
  open_runtime(NULL, &other, &oe, NULL);
  assert_status(VH_EHEAPLIMIT, run(e, "(() => { const a = []; while (true) a.push(new Array(1000).fill(a.length)); })()", text, sizeof text));
  assert_ok(vh_exception_pending(e, &pending));
  assert_false(pending);
  assert_runs(e, "[1, 2, 3].map(x => x * 2)", "[2,4,6]");
  assert_runs(oe, "'fine'", "\"fine\"");
  assert_status(VH_EHEAPLIMIT, run(e, "(() => { const b = []; while (true) b.push({ x: b.length }); })()", text, sizeof text));
  assert_runs(e, "'ok'", "\"ok\"");
  vh_heap_stats hs;
  assert_ok(vh_runtime_heap_stats(rt, &hs));
  assert_true(hs.used > 0 && hs.limit >= (32u << 20) && hs.total >= hs.used);
  assert_status(VH_EINVAL, vh_runtime_heap_stats(rt, NULL));
  assert_ok(vh_runtime_dispose(rt));
  assert_ok(vh_runtime_dispose(other));
  assert_status(VH_EDISPOSED, vh_runtime_heap_stats(rt, &hs));
}

/* vh_runtime_terminate from another thread stops an endless script with VH_ETERMINATED; the
 * runtime works afterwards; stale and empty handles are refused. */
static void test_terminate(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  char text[256];
  uv_thread_t t;
  terminator j = {{0}, 100, -1};
  open_runtime(NULL, &rt, &e, NULL);
  j.rt = rt;
  assert_int_equal(uv_thread_create(&t, terminate_after, &j), 0);
  assert_status(VH_ETERMINATED, run(e, "while (true) {}", text, sizeof text));
  assert_int_equal(uv_thread_join(&t), 0);
  assert_status(VH_OK, j.rc);
  assert_runs(e, "40 + 2", "42");
  assert_status(VH_EINVAL, vh_runtime_terminate((vh_runtime){0}));
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_runtime_terminate(rt));
}

/* A deadline stops a script with VH_ETIMEDOUT; a cleared deadline never fires; the runtime works. */
static void test_deadline(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  char text[256];
  open_runtime(NULL, &rt, &e, NULL);
  uint64_t t0 = uv_hrtime();
  assert_ok(vh_runtime_set_deadline(rt, 100));
  assert_status(VH_ETIMEDOUT, run(e, "for (;;) {}", text, sizeof text));
  uint64_t elapsed_ms = (uv_hrtime() - t0) / 1000000;
  assert_true(elapsed_ms >= 90 && elapsed_ms < 5000);
  assert_ok(vh_runtime_set_deadline(rt, 0));
  assert_runs(e, "'ok'", "\"ok\"");
  /* A deadline that passes while nothing runs, then is cleared, does not stop the next call. */
  assert_ok(vh_runtime_set_deadline(rt, 10));
  uv_sleep(60);
  assert_ok(vh_runtime_set_deadline(rt, 0));
  assert_runs(e, "'after an idle deadline'", "\"after an idle deadline\"");
  /* A deadline cleared before it passes does not stop a later script. */
  assert_ok(vh_runtime_set_deadline(rt, 50));
  assert_ok(vh_runtime_set_deadline(rt, 0));
  uv_sleep(120);
  assert_runs(e, "let s = 0; for (let i = 0; i < 1e6; i++) s += i; s > 0", "true");
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_runtime_set_deadline(rt, 10));
}

/* Host allocations past heap_max_bytes (no script running) neither stop the next, innocent
 * script nor end the process; the next script that allocates without bound is still stopped. */
static void test_heap_limit_host_allocations(void **state) {
  (void)state;
  vh_runtime_options o;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  vh_value big;
  char text[256];
  assert_ok(vh_runtime_options_init(&o));
  o.heap_max_bytes = 16u << 20;
  open_runtime(&o, &rt, &e, NULL);
  size_t size = 12u << 20;
  char *bytes = malloc(size);
  assert_non_null(bytes);
  memset(bytes, 'x', size);
  assert_ok(vh_scope_open(e, &s));
  for (int i = 0; i < 3; i++) assert_ok(vh_new_string_latin1(e, bytes, size, &big));
  assert_ok(vh_scope_close(s));
  free(bytes);
  assert_runs(e, "1 + 1", "2");
  assert_status(VH_EHEAPLIMIT, run(e, "(() => { const a = []; while (true) a.push({ n: a.length }); })()", text, sizeof text));
  assert_runs(e, "'ok'", "\"ok\"");
  assert_ok(vh_runtime_dispose(rt));
}

static void count_fn(vh_runtime rt, void *data) {
  (void)rt;
  ++*(int *)data;
}

/* A stop or an interrupt requested while no thread holds the runtime is not lost (V8 drops it
 * when a thread takes the lock): the next script is stopped, the interrupt runs once. */
static void test_requests_while_idle(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  char text[256];
  int count = 0;
  open_runtime(NULL, &rt, &e, NULL);
  assert_ok(vh_runtime_interrupt(rt, count_fn, &count));
  assert_status(VH_OK, run(e, "let s = 0; for (let i = 0; i < 3e7; i++) s += i; s > 0", text, sizeof text));
  assert_int_equal(count, 1);
  assert_ok(vh_runtime_terminate(rt));
  assert_status(VH_ETERMINATED, run(e, "let t = 0; for (let i = 0; i < 3e7; i++) t += i; 1", text, sizeof text));
  assert_runs(e, "'ok'", "\"ok\"");
  assert_int_equal(count, 1);
  assert_ok(vh_runtime_dispose(rt));
}

static void interrupt_fn(vh_runtime rt, void *data) {
  ++*(int *)data;
  vh_runtime_terminate(rt);
}

typedef struct {
  vh_runtime rt;
  int *count;
} interrupt_job;

static void interrupter(void *arg) {
  interrupt_job *j = arg;
  uv_sleep(100);
  vh_runtime_interrupt(j->rt, interrupt_fn, j->count);
}

/* vh_runtime_interrupt runs its function on the script's thread; here it terminates the script. */
static void test_interrupt(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  char text[256];
  int count = 0;
  uv_thread_t t;
  open_runtime(NULL, &rt, &e, NULL);
  interrupt_job j = {rt, &count};
  assert_int_equal(uv_thread_create(&t, interrupter, &j), 0);
  assert_status(VH_ETERMINATED, run(e, "while (true) {}", text, sizeof text));
  assert_int_equal(uv_thread_join(&t), 0);
  assert_int_equal(count, 1);
  assert_runs(e, "'ok'", "\"ok\"");
  assert_status(VH_EINVAL, vh_runtime_interrupt(rt, NULL, NULL));
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_runtime_interrupt(rt, interrupt_fn, &count));
}

static int cb_bounce(const vh_call_info *info, vh_value *result) {
  return vh_eval(info->engine, "bounce()", VH_AUTO_LENGTH, "bounce.js", result);
}

/* Stack overflow: plain JS recursion is a RangeError; recursion bouncing between JS and a host
 * function ends in a clear error (VH_EDEPTH or RangeError), never a crash; the engine works after. */
static void test_recursion(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  assert_ok(vh_runtime_new(NULL, &rt));
  assert_ok(vh_runtime_global_function(rt, "bounce", cb_bounce, NULL));
  assert_ok(vh_engine_new(rt, NULL, &e));
  assert_runs(e, "function r() { return r(); } try { r(); } catch (e) { e.constructor.name }", "\"RangeError\"");
  assert_runs(e, "try { bounce(); 'no error' } catch (e) { e instanceof RangeError || e.message.startsWith('VH_EDEPTH') }", "true");
  assert_runs(e, "'still fine'", "\"still fine\"");
  assert_ok(vh_runtime_dispose(rt));
}

typedef struct {
  vh_engine e;
  char text[256];
  int rc;
} deep_job;

static void deep_on_small_stack(void *arg) {
  deep_job *j = arg;
  vh_scope s;
  vh_value v;
  j->rc = vh_scope_open(j->e, &s);
  if (j->rc != VH_OK) return;
  j->rc = vh_eval(j->e, "function f(n) { return n ? 1 + f(n - 1) : 0; } try { f(1e6) } catch (e) { e.constructor.name }",
                  VH_AUTO_LENGTH, "deep.js", &v);
  if (j->rc == VH_OK) vh_value_string_utf8(v, j->text, sizeof j->text, NULL);
  vh_scope_close(s);
}

/* On a thread with a 256 KiB stack (V8 assumes about 1 MiB), deep recursion is a RangeError,
 * not a segmentation fault. */
static void test_small_stack_thread(void **state) {
  (void)state;
  vh_runtime rt;
  deep_job j;
  memset(&j, 0, sizeof j);
  open_runtime(NULL, &rt, &j.e, NULL);
  uv_thread_options_t options;
  options.flags = UV_THREAD_HAS_STACK_SIZE;
  options.stack_size = 256u << 10;
  uv_thread_t t;
  assert_int_equal(uv_thread_create_ex(&t, &options, deep_on_small_stack, &j), 0);
  assert_int_equal(uv_thread_join(&t), 0);
  assert_status(VH_OK, j.rc);
  assert_string_equal(j.text, "RangeError");
  assert_ok(vh_runtime_dispose(rt));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_heap_limit),    cmocka_unit_test(test_terminate),
      cmocka_unit_test(test_deadline),      cmocka_unit_test(test_interrupt),
      cmocka_unit_test(test_requests_while_idle), cmocka_unit_test(test_heap_limit_host_allocations),
      cmocka_unit_test(test_recursion),     cmocka_unit_test(test_small_stack_thread),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
