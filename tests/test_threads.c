/* Threads: values and scopes belong to their thread; the runtime lock hands over; parallelism. */
#include "test_util.h"

#include <uv.h>

/* Results of the calls a helper thread makes; cmocka assertions stay on the main thread. */
typedef struct job {
  vh_runtime rt;
  vh_engine e;
  vh_scope scope;
  vh_value num, obj;
  uv_sem_t go, done, release;
  uv_mutex_t mu;
  int opened; /* under mu */
  int rc[16];
  int32_t i32;
  char text[64];
} job;

static void job_init(job *j) {
  memset(j, 0, sizeof *j);
  for (int i = 0; i < 16; i++) j->rc[i] = 0x7fff; /* not a status: a skipped call fails */
  j->i32 = -1;
  assert_int_equal(uv_sem_init(&j->go, 0), 0);
  assert_int_equal(uv_sem_init(&j->done, 0), 0);
  assert_int_equal(uv_sem_init(&j->release, 0), 0);
  assert_int_equal(uv_mutex_init(&j->mu), 0);
}

static void job_destroy(job *j) {
  uv_sem_destroy(&j->go);
  uv_sem_destroy(&j->done);
  uv_sem_destroy(&j->release);
  uv_mutex_destroy(&j->mu);
}

/* ---- values and scopes of another thread ----------------------------------------------------- */

static void use_foreign_values(void *arg) {
  job *j = arg;
  vh_value out = {0};
  vh_type t;
  bool eq;
  j->rc[0] = vh_value_int32(j->num, &j->i32);
  j->rc[1] = vh_typeof(j->obj, &t);
  j->rc[2] = vh_strict_equals(j->num, j->obj, &eq);
  j->rc[3] = vh_eval(j->e, "1", VH_AUTO_LENGTH, "t.js", &out);
  j->rc[4] = vh_new_int32(j->e, 1, &out);
  j->rc[5] = vh_get(j->e, j->obj, "x", &out);
  j->rc[6] = vh_engine_global(j->e, &out);
  j->rc[7] = vh_ref_new(j->obj, 1, &(vh_ref){0});
  j->rc[8] = vh_scope_close(j->scope);
  j->rc[9] = (out.serial_ == 0) ? VH_OK : VH_EINVAL; /* out untouched by every failure */
}

/* A value or scope of the main thread used from another thread is VH_EWRONG_THREAD. */
static void test_value_wrong_thread(void **state) {
  (void)state;
  job j;
  uv_thread_t t;
  int32_t n = 0;
  job_init(&j);
  assert_ok(vh_engine_new_private(NULL, NULL, &j.e));
  assert_ok(vh_scope_open(j.e, &j.scope));
  assert_ok(vh_new_int32(j.e, 5, &j.num));
  j.obj = eval_ok(j.e, "({ x: 1 })");
  assert_int_equal(uv_thread_create(&t, use_foreign_values, &j), 0);
  assert_int_equal(uv_thread_join(&t), 0);
  for (int i = 0; i <= 8; i++) assert_status(VH_EWRONG_THREAD, j.rc[i]);
  assert_status(VH_OK, j.rc[9]);
  assert_int_equal(j.i32, -1);
  /* Everything still works on the owning thread; the scope was not closed by the attempt. */
  assert_ok(vh_value_int32(j.num, &n));
  assert_int_equal(n, 5);
  assert_ok(vh_scope_close(j.scope));
  assert_ok(vh_engine_dispose(j.e));
  job_destroy(&j);
}

/* A thread's own scope on another runtime does not make the first thread's values usable. */
static void use_foreign_values_with_own_scope(void *arg) {
  job *j = arg;
  vh_engine mine;
  vh_scope s;
  vh_value v;
  j->rc[0] = vh_engine_new_private(NULL, NULL, &mine);
  if (j->rc[0] != VH_OK) return;
  j->rc[1] = vh_scope_open(mine, &s);
  if (j->rc[1] != VH_OK) return;
  j->rc[2] = vh_value_int32(j->num, &j->i32);
  j->rc[3] = vh_new_int32(mine, 9, &v);
  j->rc[4] = vh_new_object(mine, &v);
  if (j->rc[4] == VH_OK) j->rc[4] = vh_set(mine, v, "k", j->num);
  j->rc[5] = vh_scope_close(s);
  j->rc[6] = vh_engine_dispose(mine);
}

static void test_value_wrong_thread_own_scope(void **state) {
  (void)state;
  job j;
  uv_thread_t t;
  job_init(&j);
  assert_ok(vh_engine_new_private(NULL, NULL, &j.e));
  assert_ok(vh_scope_open(j.e, &j.scope));
  assert_ok(vh_new_int32(j.e, 5, &j.num));
  assert_int_equal(uv_thread_create(&t, use_foreign_values_with_own_scope, &j), 0);
  assert_int_equal(uv_thread_join(&t), 0);
  assert_status(VH_OK, j.rc[0]);
  assert_status(VH_OK, j.rc[1]);
  assert_status(VH_EWRONG_THREAD, j.rc[2]);
  assert_status(VH_OK, j.rc[3]);
  assert_status(VH_EWRONG_THREAD, j.rc[4]);
  assert_status(VH_OK, j.rc[5]);
  assert_status(VH_OK, j.rc[6]);
  assert_ok(vh_scope_close(j.scope));
  assert_ok(vh_engine_dispose(j.e));
  job_destroy(&j);
}

/* ---- the runtime lock ------------------------------------------------------------------------ */

static void hold_scope(void *arg) {
  job *j = arg;
  j->rc[0] = vh_scope_open(j->e, &j->scope);
  if (j->rc[0] == VH_OK) j->rc[1] = vh_new_int32(j->e, 77, &j->num);
  uv_sem_post(&j->done);    /* "I hold the runtime" */
  uv_sem_wait(&j->release); /* until main has tried its calls */
  if (j->rc[0] == VH_OK) {
    j->rc[2] = vh_value_int32(j->num, &j->i32);
    j->rc[3] = vh_scope_close(j->scope);
  }
}

/* While another thread holds a scope, this thread's engine calls give VH_EWRONG_THREAD. */
static void test_eval_while_other_thread_holds(void **state) {
  (void)state;
  job j;
  uv_thread_t t;
  vh_value v = {0};
  vh_exception ex;
  job_init(&j);
  open_runtime(NULL, &j.rt, &j.e, NULL);
  assert_int_equal(uv_thread_create(&t, hold_scope, &j), 0);
  uv_sem_wait(&j.done);
  assert_status(VH_OK, j.rc[0]);
  assert_status(VH_EWRONG_THREAD, vh_eval(j.e, "1 + 1", VH_AUTO_LENGTH, "x.js", &v));
  assert_status(VH_EWRONG_THREAD, vh_eval(j.e, "1 + 1", VH_AUTO_LENGTH, NULL, NULL));
  assert_status(VH_EWRONG_THREAD, vh_engine_global(j.e, &v));
  assert_status(VH_EWRONG_THREAD, vh_new_object(j.e, &v));
  assert_status(VH_EWRONG_THREAD, vh_exception_take(j.e, &ex));
  assert_status(VH_EWRONG_THREAD, vh_value_int32(j.num, &(int32_t){0}));
  assert_status(VH_EWRONG_THREAD, vh_scope_close(j.scope));
  assert_status(VH_EBUSY, vh_runtime_dispose(j.rt)); /* a scope is open on another thread */
  /* (vh_engine_dispose would wait for the lock here, as documented: it can only judge whether
   * the engine is in use while holding the lock; test_lock_taking_calls_wait covers the wait.) */
  /* This thread has no scope on the runtime, so there is nothing to escape into. */
  vh_scope esc;
  assert_status(VH_ENOSCOPE, vh_scope_open_escapable(j.e, &esc));
  assert_int_equal(v.serial_, 0);
  uv_sem_post(&j.release);
  assert_int_equal(uv_thread_join(&t), 0);
  assert_status(VH_OK, j.rc[1]);
  assert_status(VH_OK, j.rc[2]);
  assert_int_equal(j.i32, 77);
  assert_status(VH_OK, j.rc[3]);
  /* Released: this thread can now use the runtime. */
  vh_scope s;
  int32_t n = 0;
  assert_ok(vh_scope_open(j.e, &s));
  assert_ok(vh_value_int32(eval_ok(j.e, "1 + 1"), &n));
  assert_int_equal(n, 2);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(j.rt));
  job_destroy(&j);
}

/* The calls that take the runtime's lock themselves wait for the holding thread to let go. */
typedef struct waiter {
  job *j;
  int which;
  int rc;
  int finished; /* under j->mu */
} waiter;

static void lock_taking_call(void *arg) {
  waiter *w = arg;
  vh_engine fresh;
  switch (w->which) {
    case 0: w->rc = vh_runtime_gc(w->j->rt); break;
    case 1: w->rc = vh_runtime_run_microtasks(w->j->rt); break;
    case 2: w->rc = vh_engine_new(w->j->rt, NULL, &fresh); break;
    default: w->rc = vh_engine_dispose(w->j->e); break; /* an engine not in use */
  }
  uv_mutex_lock(&w->j->mu);
  w->finished = 1;
  uv_mutex_unlock(&w->j->mu);
}

static void test_lock_taking_calls_wait(void **state) {
  (void)state;
  enum { N = 4 };
  job j;
  uv_thread_t holder, t[N];
  waiter w[N];
  vh_engine held_engine;
  vh_scope s;
  int32_t n = 0;
  job_init(&j);
  open_runtime(NULL, &j.rt, &held_engine, NULL);
  assert_ok(vh_engine_new(j.rt, NULL, &j.e)); /* the one waiter 3 disposes */
  assert_ok(vh_scope_open(held_engine, &s));
  eval_ok(held_engine, "globalThis.r = 0; Promise.resolve().then(() => r = 1)");
  assert_ok(vh_scope_close(s));
  /* The holder thread opens a scope on held_engine and keeps it until released. */
  job holder_job;
  job_init(&holder_job);
  holder_job.e = held_engine;
  assert_int_equal(uv_thread_create(&holder, hold_scope, &holder_job), 0);
  uv_sem_wait(&holder_job.done);
  assert_status(VH_OK, holder_job.rc[0]);
  for (int i = 0; i < N; i++) {
    w[i] = (waiter){&j, i, 0x7fff, 0};
    assert_int_equal(uv_thread_create(&t[i], lock_taking_call, &w[i]), 0);
  }
  uv_sleep(200);
  uv_mutex_lock(&j.mu);
  for (int i = 0; i < N; i++) assert_int_equal(w[i].finished, 0); /* all still waiting */
  uv_mutex_unlock(&j.mu);
  uv_sem_post(&holder_job.release);
  assert_int_equal(uv_thread_join(&holder), 0);
  for (int i = 0; i < N; i++) assert_int_equal(uv_thread_join(&t[i]), 0);
  for (int i = 0; i < N; i++) assert_status(VH_OK, w[i].rc);
  assert_status(VH_OK, holder_job.rc[3]);
  assert_status(VH_EDISPOSED, vh_scope_open(j.e, &s));
  assert_ok(vh_scope_open(held_engine, &s));
  assert_ok(vh_value_int32(eval_ok(held_engine, "r"), &n));
  assert_int_equal(n, 1); /* the waiting vh_runtime_run_microtasks ran the reaction */
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(j.rt));
  job_destroy(&holder_job);
  job_destroy(&j);
}

static void open_after_main(void *arg) {
  job *j = arg;
  vh_scope s;
  vh_value v, w;
  uv_sem_post(&j->go);
  j->rc[0] = vh_scope_open(j->e, &s); /* blocks while main holds the runtime */
  uv_mutex_lock(&j->mu);
  j->opened = 1;
  uv_mutex_unlock(&j->mu);
  if (j->rc[0] != VH_OK) return;
  j->rc[1] = vh_eval(j->e, "handoff + ' / ' + typeof mainOnly", VH_AUTO_LENGTH, "t2.js", &v);
  if (j->rc[1] == VH_OK) j->rc[2] = vh_value_string_utf8(v, j->text, sizeof j->text, NULL);
  j->rc[3] = vh_new_int32(j->e, 1234, &w);
  if (j->rc[3] == VH_OK) j->rc[4] = vh_value_int32(w, &j->i32);
  j->rc[5] = vh_eval(j->e, "globalThis.fromThread = 2", VH_AUTO_LENGTH, "t2.js", NULL);
  j->rc[6] = vh_scope_close(s);
}

/* A second thread's vh_scope_open waits for the first thread to close, then works normally. */
static void test_scope_open_waits(void **state) {
  (void)state;
  job j;
  uv_thread_t t;
  vh_scope s;
  int opened;
  int32_t n = 0;
  job_init(&j);
  open_runtime(NULL, &j.rt, &j.e, &s);
  eval_ok(j.e, "globalThis.handoff = 'set by main'; var mainOnly = 1");
  assert_int_equal(uv_thread_create(&t, open_after_main, &j), 0);
  uv_sem_wait(&j.go);
  uv_sleep(200); /* ample time for the other thread to get into vh_scope_open */
  uv_mutex_lock(&j.mu);
  opened = j.opened;
  uv_mutex_unlock(&j.mu);
  assert_int_equal(opened, 0); /* still waiting for the lock */
  eval_ok(j.e, "handoff += ', then more'");
  assert_ok(vh_scope_close(s));
  assert_int_equal(uv_thread_join(&t), 0);
  for (int i = 0; i <= 6; i++) assert_status(VH_OK, j.rc[i]);
  assert_string_equal(j.text, "set by main, then more / number");
  assert_int_equal(j.i32, 1234);
  assert_ok(vh_scope_open(j.e, &s));
  assert_ok(vh_value_int32(eval_ok(j.e, "fromThread"), &n));
  assert_int_equal(n, 2);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(j.rt));
  job_destroy(&j);
}

/* ---- parallel runtimes ---------------------------------------------------------------------- */

#define PAR_THREADS 2
#define PAR_EVALS 2000

typedef struct par_job {
  uv_barrier_t *barrier;
  int index;
  int rc;      /* first failing status, or VH_OK */
  int wrong;   /* number of wrong results */
  int done;    /* evaluations completed */
} par_job;

static void parallel_worker(void *arg) {
  par_job *pj = arg;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  vh_value v;
  char src[128];
  double d;
  pj->rc = vh_runtime_new(NULL, &rt);
  if (pj->rc != VH_OK) return;
  if ((pj->rc = vh_engine_new(rt, NULL, &e)) != VH_OK) return;
  uv_barrier_wait(pj->barrier);
  for (int i = 0; i < PAR_EVALS && pj->rc == VH_OK; i++) {
    if ((pj->rc = vh_scope_open(e, &s)) != VH_OK) break;
    snprintf(src, sizeof src,
             "globalThis.acc = (globalThis.acc || 0) + %d; acc * 1000 + %d * %d", i, pj->index,
             i);
    pj->rc = vh_eval(e, src, VH_AUTO_LENGTH, "par.js", &v);
    if (pj->rc == VH_OK) pj->rc = vh_value_double(v, &d);
    if (pj->rc == VH_OK) {
      double acc = (double)i * (i + 1) / 2;
      if (d != acc * 1000 + (double)pj->index * i) pj->wrong++;
      pj->done++;
    }
    int rc_close = vh_scope_close(s);
    if (pj->rc == VH_OK) pj->rc = rc_close;
  }
  int rc_dispose = vh_runtime_dispose(rt);
  if (pj->rc == VH_OK) pj->rc = rc_dispose;
}

/* Two runtimes run scripts in parallel on two threads, each getting its own correct results. */
static void test_parallel_runtimes(void **state) {
  (void)state;
  uv_barrier_t barrier;
  uv_thread_t threads[PAR_THREADS];
  par_job jobs[PAR_THREADS];
  assert_int_equal(uv_barrier_init(&barrier, PAR_THREADS), 0);
  for (int i = 0; i < PAR_THREADS; i++) {
    memset(&jobs[i], 0, sizeof jobs[i]);
    jobs[i].barrier = &barrier;
    jobs[i].index = i + 3;
    assert_int_equal(uv_thread_create(&threads[i], parallel_worker, &jobs[i]), 0);
  }
  for (int i = 0; i < PAR_THREADS; i++) assert_int_equal(uv_thread_join(&threads[i]), 0);
  uv_barrier_destroy(&barrier);
  for (int i = 0; i < PAR_THREADS; i++) {
    assert_status(VH_OK, jobs[i].rc);
    assert_int_equal(jobs[i].done, PAR_EVALS);
    assert_int_equal(jobs[i].wrong, 0);
  }
}

static void use_main_runtime(void *arg) {
  job *j = arg;
  vh_scope s;
  vh_value v;
  j->rc[0] = vh_scope_open(j->e, &s);
  if (j->rc[0] != VH_OK) return;
  j->rc[1] = vh_eval(j->e, "made + ' and used on a thread'", VH_AUTO_LENGTH, NULL, &v);
  if (j->rc[1] == VH_OK) j->rc[2] = vh_value_string_utf8(v, j->text, sizeof j->text, NULL);
  j->rc[3] = vh_scope_close(s);
  j->rc[4] = vh_runtime_gc(j->rt);
}

/* A runtime is not bound to its creating thread: made on main, used on another, disposed on main. */
static void test_runtime_moves_between_threads(void **state) {
  (void)state;
  job j;
  uv_thread_t t;
  vh_scope s;
  job_init(&j);
  open_runtime(NULL, &j.rt, &j.e, &s);
  eval_ok(j.e, "globalThis.made = 'made on main'");
  assert_ok(vh_scope_close(s));
  assert_int_equal(uv_thread_create(&t, use_main_runtime, &j), 0);
  assert_int_equal(uv_thread_join(&t), 0);
  for (int i = 0; i <= 4; i++) assert_status(VH_OK, j.rc[i]);
  assert_string_equal(j.text, "made on main and used on a thread");
  assert_ok(vh_runtime_dispose(j.rt));
  job_destroy(&j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_value_wrong_thread),
      cmocka_unit_test(test_value_wrong_thread_own_scope),
      cmocka_unit_test(test_eval_while_other_thread_holds),
      cmocka_unit_test(test_scope_open_waits),
      cmocka_unit_test(test_lock_taking_calls_wait),
      cmocka_unit_test(test_parallel_runtimes),
      cmocka_unit_test(test_runtime_moves_between_threads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
