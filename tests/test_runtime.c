/* Runtimes: creation, options, disposal, GC, microtasks, versions (real V8, no mocks). */
#include "test_util.h"

#include <uv.h>

/* ---- first test: several threads start V8 at once ------------------------------------------- */

#define STARTUP_THREADS 8

typedef struct startup_job {
  uv_barrier_t *barrier;
  int rc_new, rc_engine, rc_scope, rc_eval, rc_read, rc_close, rc_dispose;
  int32_t result;
  int index;
} startup_job;

static void startup_thread(void *arg) {
  startup_job *job = arg;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  vh_value v;
  char src[64];
  uv_barrier_wait(job->barrier);
  /* All threads reach here together: the first vh_runtime_new of the process races. */
  job->rc_new = vh_runtime_new(NULL, &rt);
  if (job->rc_new != VH_OK) return;
  job->rc_engine = vh_engine_new(rt, NULL, &e);
  if (job->rc_engine == VH_OK) {
    job->rc_scope = vh_scope_open(e, &s);
    if (job->rc_scope == VH_OK) {
      snprintf(src, sizeof src, "%d * 1000 + 7", job->index);
      job->rc_eval = vh_eval(e, src, VH_AUTO_LENGTH, "startup.js", &v);
      if (job->rc_eval == VH_OK) job->rc_read = vh_value_int32(v, &job->result);
      job->rc_close = vh_scope_close(s);
    }
  }
  job->rc_dispose = vh_runtime_dispose(rt);
}

/* Several threads creating the process's first runtimes at the same moment all get working ones. */
static void test_concurrent_first_start(void **state) {
  (void)state;
  uv_barrier_t barrier;
  uv_thread_t threads[STARTUP_THREADS];
  startup_job jobs[STARTUP_THREADS];
  assert_int_equal(uv_barrier_init(&barrier, STARTUP_THREADS), 0);
  for (int i = 0; i < STARTUP_THREADS; i++) {
    memset(&jobs[i], 0x7f, sizeof jobs[i]); /* not VH_OK: a step skipped is a failure */
    jobs[i].barrier = &barrier;
    jobs[i].index = i + 1;
    assert_int_equal(uv_thread_create(&threads[i], startup_thread, &jobs[i]), 0);
  }
  for (int i = 0; i < STARTUP_THREADS; i++) assert_int_equal(uv_thread_join(&threads[i]), 0);
  uv_barrier_destroy(&barrier);
  for (int i = 0; i < STARTUP_THREADS; i++) {
    assert_status(VH_OK, jobs[i].rc_new);
    assert_status(VH_OK, jobs[i].rc_engine);
    assert_status(VH_OK, jobs[i].rc_scope);
    assert_status(VH_OK, jobs[i].rc_eval);
    assert_status(VH_OK, jobs[i].rc_read);
    assert_status(VH_OK, jobs[i].rc_close);
    assert_status(VH_OK, jobs[i].rc_dispose);
    assert_int_equal(jobs[i].result, (i + 1) * 1000 + 7);
  }
}

/* ---- creation and options -------------------------------------------------------------------- */

/* Evaluates "20 + 22" in a fresh engine of rt and checks the runtime really works. */
static void check_runtime_works(vh_runtime rt) {
  vh_engine e;
  vh_scope s;
  int32_t n = 0;
  assert_ok(vh_engine_new(rt, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_value_int32(eval_ok(e, "20 + 22"), &n));
  assert_int_equal(n, 42);
  assert_ok(vh_scope_close(s));
}

/* NULL options give a working runtime. */
static void test_new_null_options(void **state) {
  (void)state;
  vh_runtime rt;
  memset(&rt, 0, sizeof rt);
  assert_ok(vh_runtime_new(NULL, &rt));
  assert_true(rt.id_ != 0); /* a real handle, not the empty one */
  check_runtime_works(rt);
  assert_ok(vh_runtime_dispose(rt));
}

/* Options filled by vh_runtime_options_init give a working runtime; init rejects NULL. */
static void test_new_init_options(void **state) {
  (void)state;
  vh_runtime_options opts;
  vh_runtime rt;
  memset(&opts, 0xab, sizeof opts);
  assert_ok(vh_runtime_options_init(&opts));
  assert_int_equal(opts.struct_size, sizeof(vh_runtime_options));
  assert_int_equal(opts.heap_max_bytes, 0);
  assert_ok(vh_runtime_new(&opts, &rt));
  check_runtime_works(rt);
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EINVAL, vh_runtime_options_init(NULL));
}

/* Size versioning: a struct smaller than any released header's is refused with VH_EVERSION; a
 * larger one (a newer header) is accepted when the fields this library does not know are zero,
 * and refused when one is set (a feature this version lacks must not be silently ignored). */
static void test_new_wrong_struct_size(void **state) {
  (void)state;
  struct {
    vh_runtime_options opts;
    uint64_t newer_field;
  } newer;
  vh_runtime rt = {12345};
  const size_t sizes[] = {0, 1, sizeof(vh_runtime_options) - 1};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    assert_ok(vh_runtime_options_init(&newer.opts));
    newer.opts.struct_size = sizes[i];
    assert_status(VH_EVERSION, vh_runtime_new(&newer.opts, &rt));
    assert_int_equal(rt.id_, 12345); /* untouched on failure */
  }
  memset(&newer, 0, sizeof newer);
  newer.opts.struct_size = sizeof newer;
  newer.newer_field = 7;
  assert_status(VH_EVERSION, vh_runtime_new(&newer.opts, &rt));
  assert_int_equal(rt.id_, 12345);
  newer.newer_field = 0;
  assert_ok(vh_runtime_new(&newer.opts, &rt));
  assert_ok(vh_runtime_dispose(rt));
}

/* NULL out, or a reserved field set, is VH_EINVAL and leaves out untouched. */
static void test_new_einval(void **state) {
  (void)state;
  vh_runtime_options opts;
  vh_runtime rt = {777};
  assert_status(VH_EINVAL, vh_runtime_new(NULL, NULL));
  assert_ok(vh_runtime_options_init(&opts));
  assert_status(VH_EINVAL, vh_runtime_new(&opts, NULL));
  opts.heap_max_bytes = (8u << 20) - 1; /* below the 8 MiB minimum */
  assert_status(VH_EINVAL, vh_runtime_new(&opts, &rt));
  assert_int_equal(rt.id_, 777);
}

/* ---- disposal ------------------------------------------------------------------------------- */

/* Dispose works once; a second dispose and other calls on the stale handle give VH_EDISPOSED. */
static void test_dispose_twice(void **state) {
  (void)state;
  vh_runtime rt, rt2;
  vh_engine e;
  assert_ok(vh_runtime_new(NULL, &rt));
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_runtime_gc(rt));
  assert_status(VH_EDISPOSED, vh_runtime_run_microtasks(rt));
  assert_status(VH_EDISPOSED, vh_engine_new(rt, NULL, &e));
  /* A newer runtime (possibly in the reused table entry) is not reachable via the stale handle. */
  assert_ok(vh_runtime_new(NULL, &rt2));
  assert_status(VH_EDISPOSED, vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_engine_new(rt, NULL, &e));
  check_runtime_works(rt2);
  assert_ok(vh_runtime_dispose(rt2));
}

/* The empty (zeroed) runtime handle is rejected with VH_EINVAL by every runtime call. */
static void test_empty_handle(void **state) {
  (void)state;
  vh_runtime empty;
  vh_engine e;
  memset(&empty, 0, sizeof empty);
  assert_status(VH_EINVAL, vh_runtime_dispose(empty));
  assert_status(VH_EINVAL, vh_runtime_gc(empty));
  assert_status(VH_EINVAL, vh_runtime_run_microtasks(empty));
  assert_status(VH_EINVAL, vh_engine_new(empty, NULL, &e));
}

/* Disposing a runtime with a scope open is refused (VH_EBUSY) and disposes nothing. */
static void test_dispose_busy(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  vh_value v;
  int32_t n = 0;
  open_runtime(NULL, &rt, &e, &s);
  v = eval_ok(e, "globalThis.kept = 5; kept");
  assert_status(VH_EBUSY, vh_runtime_dispose(rt));
  /* Nothing was disposed: the value, the engine and its global are intact. */
  assert_ok(vh_value_int32(v, &n));
  assert_int_equal(n, 5);
  assert_ok(vh_value_int32(eval_ok(e, "kept + 1"), &n));
  assert_int_equal(n, 6);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_scope_open(e, &s));
}

/* Disposing a runtime disposes its remaining engines: their handles then give VH_EDISPOSED. */
static void test_dispose_disposes_engines(void **state) {
  (void)state;
  vh_runtime rt, out_rt;
  vh_engine e1, e2, other;
  vh_scope s;
  vh_value v;
  open_runtime(NULL, &rt, &e1, NULL);
  assert_ok(vh_engine_new(rt, NULL, &e2));
  vh_ref ref;
  assert_ok(vh_scope_open(e1, &s));
  eval_ok(e1, "globalThis.x = 1");
  assert_ok(vh_ref_new(eval_ok(e2, "globalThis.y = {}"), 1, &ref));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_ref_dispose(ref)); /* its references went with it */

  assert_status(VH_EDISPOSED, vh_scope_open(e1, &s));
  assert_status(VH_EDISPOSED, vh_scope_open(e2, &s));
  assert_status(VH_EDISPOSED, vh_engine_runtime(e1, &out_rt));
  assert_status(VH_EDISPOSED, vh_engine_dispose(e1));
  assert_status(VH_EDISPOSED, vh_engine_dispose(e2));

  /* vh_eval on a disposed engine, while a scope of another runtime is open on this thread. */
  assert_ok(vh_engine_new_private(NULL, NULL, &other));
  assert_ok(vh_scope_open(other, &s));
  assert_status(VH_EDISPOSED, vh_eval(e1, "1", VH_AUTO_LENGTH, "x.js", &v));
  assert_status(VH_EDISPOSED, vh_eval(e2, "1", VH_AUTO_LENGTH, NULL, NULL));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(other));
  /* ... and without any scope open. */
  assert_status(VH_EDISPOSED, vh_eval(e1, "1", VH_AUTO_LENGTH, "x.js", &v));
}

/* Disposing one runtime while a scope of another is open on this thread leaves the latter intact. */
static void test_dispose_other_runtime_inside_scope(void **state) {
  (void)state;
  vh_runtime a, b;
  vh_engine ea, eb;
  vh_scope s;
  vh_value kept;
  int32_t n = 0;
  assert_ok(vh_runtime_new(NULL, &a));
  assert_ok(vh_runtime_new(NULL, &b));
  assert_ok(vh_engine_new(a, NULL, &ea));
  assert_ok(vh_engine_new(b, NULL, &eb));
  assert_ok(vh_scope_open(ea, &s));
  kept = eval_ok(ea, "globalThis.k = [1, 2, 3]; k");
  assert_ok(vh_engine_new(b, NULL, &eb)); /* creating in b while a's scope is open */
  assert_ok(vh_runtime_gc(b));
  assert_ok(vh_runtime_run_microtasks(b));
  assert_ok(vh_runtime_dispose(b));
  assert_ok(vh_value_int32(eval_ok(ea, "k.length + k[2]"), &n));
  assert_int_equal(n, 6);
  uint32_t len = 0;
  assert_ok(vh_value_array_length(kept, &len));
  assert_int_equal(len, 3);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(a));
}

/* ---- GC and microtasks ---------------------------------------------------------------------- */

/* vh_runtime_gc collects an object nothing holds any more (observed via a weak reference). */
static void test_gc(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  vh_value v, got;
  vh_ref weak, strong;
  int32_t n = 0;
  open_runtime(NULL, &rt, &e, NULL);
  assert_ok(vh_runtime_gc(rt)); /* without any scope open: takes the lock itself */

  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_ref_new(eval_ok(e, "({ garbage: true })"), 0, &weak));
  assert_ok(vh_ref_new(eval_ok(e, "({ kept: 9 })"), 1, &strong));
  assert_ok(vh_scope_close(s));

  assert_ok(vh_runtime_gc(rt));

  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_runtime_gc(rt)); /* with a scope open on this thread */
  assert_status(VH_ECOLLECTED, vh_ref_get(weak, &v));
  assert_ok(vh_ref_get(strong, &v));
  assert_ok(vh_get(e, v, "kept", &got));
  assert_ok(vh_value_int32(got, &n));
  assert_int_equal(n, 9);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_ref_dispose(weak));
  assert_ok(vh_ref_dispose(strong));
  assert_ok(vh_runtime_dispose(rt));
}

/* Promise reactions run only when the host calls vh_runtime_run_microtasks, all of them. */
static void test_run_microtasks(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  int32_t n = -1;
  open_runtime(NULL, &rt, &e, &s);
  eval_ok(e, "globalThis.r = 0; Promise.resolve().then(() => r = 1)");
  assert_ok(vh_value_int32(eval_ok(e, "r"), &n));
  assert_int_equal(n, 0); /* not run by vh_eval */
  assert_ok(vh_runtime_run_microtasks(rt));
  assert_ok(vh_value_int32(eval_ok(e, "r"), &n));
  assert_int_equal(n, 1);

  /* A chain runs to the end (the queue is drained, including reactions queued by reactions). */
  eval_ok(e, "globalThis.steps = 0;"
             "Promise.resolve().then(() => steps++).then(() => steps++).then(() => steps++)");
  assert_ok(vh_runtime_run_microtasks(rt));
  assert_ok(vh_value_int32(eval_ok(e, "steps"), &n));
  assert_int_equal(n, 3);
  assert_ok(vh_scope_close(s));

  /* Without a scope open: the call takes the lock itself. */
  assert_ok(vh_scope_open(e, &s));
  eval_ok(e, "globalThis.late = 'no'; Promise.resolve().then(() => late = 'yes')");
  assert_eval_string(e, "late", "no");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_run_microtasks(rt));
  assert_ok(vh_scope_open(e, &s));
  assert_eval_string(e, "late", "yes");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
}

/* A reaction that throws does not fail run_microtasks: it rejects the derived promise instead. */
static void test_microtask_throw(void **state) {
  (void)state;
  vh_engine e;
  vh_runtime rt;
  vh_scope s;
  bool pending = true;
  assert_ok(vh_engine_new_private(NULL, NULL, &e));
  assert_ok(vh_engine_runtime(e, &rt));
  assert_ok(vh_scope_open(e, &s));
  eval_ok(e, "globalThis.seen = 'none';"
             "Promise.resolve().then(() => { throw new Error('boom'); })"
             "  .catch(err => { seen = err.message; });");
  assert_ok(vh_runtime_run_microtasks(rt));
  assert_ok(vh_exception_pending(e, &pending));
  assert_false(pending);
  assert_eval_string(e, "seen", "boom");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));
}

/* ---- versions ------------------------------------------------------------------------------- */

/* The linked library's version matches the header's, and the V8 version is a real one. */
static void test_versions(void **state) {
  (void)state;
  const char *v8 = vh_v8_version();
  assert_int_equal(vh_version(), VH_VERSION_NUMBER);
  assert_int_equal(VH_VERSION_NUMBER,
                   VH_VERSION_MAJOR * 10000 + VH_VERSION_MINOR * 100 + VH_VERSION_PATCH);
  assert_non_null(v8);
  assert_true(strlen(v8) > 0);
  /* "major.minor...": digits, then a dot. */
  assert_true(v8[0] >= '1' && v8[0] <= '9');
  assert_non_null(strchr(v8, '.'));
  assert_ptr_equal(vh_v8_version(), v8); /* static string */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      /* Must stay first: V8's platform must not have been started yet. */
      cmocka_unit_test(test_concurrent_first_start),
      cmocka_unit_test(test_new_null_options),
      cmocka_unit_test(test_new_init_options),
      cmocka_unit_test(test_new_wrong_struct_size),
      cmocka_unit_test(test_new_einval),
      cmocka_unit_test(test_dispose_twice),
      cmocka_unit_test(test_empty_handle),
      cmocka_unit_test(test_dispose_busy),
      cmocka_unit_test(test_dispose_disposes_engines),
      cmocka_unit_test(test_dispose_other_runtime_inside_scope),
      cmocka_unit_test(test_gc),
      cmocka_unit_test(test_run_microtasks),
      cmocka_unit_test(test_microtask_throw),
      cmocka_unit_test(test_versions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
