/* Reusing engines: vh_engine_reset gives a fresh global with the runtime's host globals kept;
 * a pool never hands out one engine to two threads at once, trims idle engines, warms from a
 * snapshot. */
#include "test_util.h"

#include <pthread.h>

static int answer(const vh_call_info *info, vh_value *result) {
  return vh_new_double(info->engine, 42, result);
}

static void reset_gives_fresh_global_with_host_globals(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  assert_ok(vh_runtime_new(NULL, &rt));
  assert_ok(vh_runtime_global_function(rt, "answer", answer, NULL));
  assert_ok(vh_engine_new(rt, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  eval_ok(e, "var leftover = 1; globalThis.other = 2; answer = 'replaced';");
  assert_status(VH_EBUSY, vh_engine_reset(e)); /* a scope is open on it */
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_reset(e));
  assert_ok(vh_scope_open(e, &s));
  assert_eval_string(e, "typeof leftover + ' ' + typeof other + ' ' + answer()", "undefined undefined 42");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_engine_reset(e));
  vh_engine none = {0};
  assert_status(VH_EINVAL, vh_engine_reset(none));
}

/* A reset engine lets its old context go (nothing of it is kept: intrinsics, timers, modules),
 * and the new context is bound as a new engine's is: a proxy of another runtime's function works
 * there (its target is made with the new realm's captured intrinsics), even once the script has
 * replaced Function.prototype.bind. */
static void reset_releases_old_context_and_binds_new_one(void **state) {
  (void)state;
  vh_runtime rt, other;
  vh_engine e, o;
  vh_scope s, so;
  vh_heap_stats before, after;
  assert_ok(vh_runtime_new(NULL, &rt));
  assert_ok(vh_runtime_new(NULL, &other));
  assert_ok(vh_engine_new(rt, NULL, &e));
  assert_ok(vh_engine_new(other, NULL, &o));
  assert_ok(vh_scope_open(e, &s));
  eval_ok(e, "globalThis.big = []; for (let i = 0; i < 400000; ++i) big.push({ i, s: 'x' + i });");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_gc(rt));
  assert_ok(vh_runtime_heap_stats(rt, &before));
  assert_ok(vh_engine_reset(e));
  assert_ok(vh_runtime_gc(rt));
  assert_ok(vh_runtime_heap_stats(rt, &after));
  assert_true(after.used + (size_t)16 * 1024 * 1024 < before.used); /* the old global's data went */
  assert_ok(vh_scope_open(e, &s));
  eval_ok(e, "Function.prototype.bind = () => { throw new Error('poisoned'); };");
  assert_ok(vh_scope_open(o, &so));
  vh_value fn, passed, result;
  assert_ok(vh_eval(o, "(a, b) => a * b", VH_AUTO_LENGTH, "o.js", &fn));
  assert_ok(vh_pass(e, fn, &passed, NULL));
  vh_value global;
  assert_ok(vh_engine_global(e, &global));
  assert_ok(vh_set(e, global, "mul", passed));
  assert_ok(vh_eval(e, "typeof mul + ':' + mul(6, 7)", VH_AUTO_LENGTH, "e.js", &result));
  char text[64];
  size_t len;
  assert_ok(vh_value_string_utf8(result, text, sizeof text, &len));
  assert_string_equal(text, "function:42");
  assert_ok(vh_scope_close(so));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(other));
  assert_ok(vh_runtime_dispose(rt));
}

typedef struct {
  vh_pool pool;
  int *owner;             /* per engine id slot: who holds it now (0: nobody) */
  pthread_mutex_t *mu;
  int id;
  int failures;
} worker_arg;

static int g_holders[4096];
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *p) {
  worker_arg *a = p;
  for (int i = 0; i < 40; ++i) {
    vh_engine e;
    if (vh_pool_acquire(a->pool, &e) != VH_OK) {
      a->failures++;
      continue;
    }
    size_t slot = (size_t)(e.id_ & 4095);
    pthread_mutex_lock(&g_mu);
    if (g_holders[slot] != 0) a->failures++; /* handed out twice at once */
    g_holders[slot] = a->id;
    pthread_mutex_unlock(&g_mu);
    vh_scope s;
    vh_value v;
    int32_t n = 0;
    if (vh_scope_open(e, &s) == VH_OK) {
      /* A global from an earlier request would show here: every request sees a fresh one. */
      if (vh_eval(e, "typeof seen === 'undefined' ? (globalThis.seen = 1, 7) : 99", VH_AUTO_LENGTH,
                  "req.js", &v) != VH_OK ||
          vh_value_int32(v, &n) != VH_OK || n != 7)
        a->failures++;
      vh_scope_close(s);
    } else {
      a->failures++;
    }
    pthread_mutex_lock(&g_mu);
    if (g_holders[slot] != a->id) a->failures++;
    g_holders[slot] = 0;
    pthread_mutex_unlock(&g_mu);
    if (vh_pool_release(a->pool, e) != VH_OK) a->failures++;
  }
  return NULL;
}

static void pool_never_hands_out_an_engine_twice(void **state) {
  (void)state;
  vh_pool_options o;
  vh_pool pool;
  assert_ok(vh_pool_options_init(&o));
  o.min_size = 2;
  o.max_size = 4; /* fewer than the threads: they wait for each other */
  o.wait_ms = 60000;
  assert_ok(vh_pool_new(&o, &pool));
  pthread_t threads[8];
  worker_arg args[8];
  for (int i = 0; i < 8; ++i) {
    args[i] = (worker_arg){pool, g_holders, &g_mu, i + 1, 0};
    pthread_create(&threads[i], NULL, worker, &args[i]);
  }
  for (int i = 0; i < 8; ++i) pthread_join(threads[i], NULL);
  for (int i = 0; i < 8; ++i) assert_int_equal(args[i].failures, 0);
  assert_ok(vh_pool_dispose(pool));
  assert_status(VH_EDISPOSED, vh_pool_dispose(pool));
}

static void pool_limits_release_and_trim(void **state) {
  (void)state;
  vh_pool_options o;
  vh_pool pool;
  vh_engine a, b, c;
  assert_ok(vh_pool_options_init(&o));
  o.max_size = 2;
  /* Long enough that releasing b (a reset, slow on a loaded machine) never trims c first. */
  o.idle_ms = 500;
  assert_ok(vh_pool_new(&o, &pool));
  assert_ok(vh_pool_acquire(pool, &a));
  assert_ok(vh_pool_acquire(pool, &b));
  assert_true(a.id_ != b.id_);
  assert_status(VH_EBUSY, vh_pool_acquire(pool, &c)); /* max_size out, no wait */
  assert_status(VH_EBUSY, vh_pool_dispose(pool));
  assert_ok(vh_pool_release(pool, a));
  assert_status(VH_EINVAL, vh_pool_release(pool, a)); /* twice */
  assert_ok(vh_pool_acquire(pool, &c));
  assert_int_equal(c.id_, a.id_); /* reused, not made again */
  assert_ok(vh_pool_release(pool, c));
  assert_ok(vh_pool_release(pool, b));
  size_t trimmed = 0;
  assert_ok(vh_pool_trim(pool, &trimmed));
  assert_int_equal(trimmed, 0); /* idle for less than idle_ms */
  struct timespec ts = {0, 600 * 1000 * 1000};
  nanosleep(&ts, NULL);
  assert_ok(vh_pool_trim(pool, &trimmed));
  assert_int_equal(trimmed, 2); /* min_size 0: every idle one past idle_ms */
  assert_status(VH_EDISPOSED, vh_engine_reset(a));
  assert_ok(vh_pool_dispose(pool));
  o.max_size = 0;
  assert_status(VH_EINVAL, vh_pool_new(&o, &pool));
}

static int runtime_setup(vh_runtime rt, void *data) {
  (void)data;
  return vh_runtime_global_function(rt, "answer", answer, NULL);
}

static void pool_warm_from_snapshot(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  void *blob;
  size_t len;
  assert_ok(vh_snapshot_runtime_new(NULL, &rt));
  assert_ok(runtime_setup(rt, NULL));
  assert_ok(vh_engine_new(rt, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  eval_ok(e, "var fromSetup = answer() + 1;");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_snapshot_create(rt, e, &blob, &len));

  vh_pool_options o;
  vh_pool pool;
  assert_ok(vh_pool_options_init(&o));
  o.min_size = 1;
  o.max_size = 1;
  o.snapshot = blob;
  o.snapshot_length = len;
  o.runtime_setup = runtime_setup;
  assert_ok(vh_pool_new(&o, &pool));
  vh_free(blob); /* the pool keeps a copy */
  for (int i = 0; i < 3; ++i) {
    assert_ok(vh_pool_acquire(pool, &e));
    assert_ok(vh_scope_open(e, &s));
    assert_eval_string(e, "typeof mine + ' ' + fromSetup + ' ' + answer()", "undefined 43 42");
    eval_ok(e, "var mine = 1;");
    assert_ok(vh_scope_close(s));
    assert_ok(vh_pool_release(pool, e));
  }
  assert_ok(vh_pool_dispose(pool));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reset_gives_fresh_global_with_host_globals),
      cmocka_unit_test(reset_releases_old_context_and_binds_new_one),
      cmocka_unit_test(pool_never_hands_out_an_engine_twice),
      cmocka_unit_test(pool_limits_release_and_trim),
      cmocka_unit_test(pool_warm_from_snapshot),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
