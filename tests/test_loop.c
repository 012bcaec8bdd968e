/* The event loop: tasks posted from any thread, vh_engine_post_and_wait, vh_runtime_run, host loops,
 * workers, disposal while posting, and the error handler. */
#include "test_util.h"

#include <uv.h>

/* Tasks run on the loop's thread; cmocka assertions stay on the main thread, so tasks and helper
 * threads record what they saw and the test checks it afterwards. */

static vh_runtime runtime_of(vh_engine e) {
  vh_runtime rt;
  assert_ok(vh_engine_runtime(e, &rt));
  return rt;
}

/* ---- many threads posting to a worker -------------------------------------------------------- */

#define POST_THREADS 4
#define POSTS_PER_THREAD 25000
#define POSTS_TOTAL (POST_THREADS * POSTS_PER_THREAD)

/* Written only by the tasks (the worker's thread); read by main after a vh_engine_post_and_wait. */
static struct {
  int calls[POSTS_TOTAL];      /* how often each task was called */
  int last_seq[POST_THREADS];  /* the last sequence number run, per posting thread */
  int out_of_order;
  int bad_status;
  int eval_failed;
} many;

typedef struct poster {
  vh_engine e;
  int thread;
  int failed_posts; /* posts that did not return VH_OK */
  uv_barrier_t *go;
} poster;

/* Each task carries its posting thread and sequence number as index = thread * N + seq. */
static void counted_task(vh_engine e, int status, void *data) {
  int index = (int)(uintptr_t)data;
  int thread = index / POSTS_PER_THREAD, seq = index % POSTS_PER_THREAD;
  many.calls[index]++;
  if (status != VH_OK) {
    many.bad_status++;
    return;
  }
  if (seq <= many.last_seq[thread]) many.out_of_order++;
  many.last_seq[thread] = seq;
  if (vh_eval(e, "++count", VH_AUTO_LENGTH, NULL, NULL) != VH_OK) many.eval_failed++;
}

static void post_many(void *arg) {
  poster *p = arg;
  uv_barrier_wait(p->go);
  for (int seq = 0; seq < POSTS_PER_THREAD; seq++) {
    uintptr_t index = (uintptr_t)(p->thread * POSTS_PER_THREAD + seq);
    if (vh_engine_post(p->e, counted_task, (void *)index) != VH_OK) p->failed_posts++;
  }
}

static int define_count(vh_engine e, void *data) {
  (void)data;
  return vh_eval(e, "globalThis.count = 0", VH_AUTO_LENGTH, "init.js", NULL);
}

/* Reads the JS `count` into *(int32_t *)data. */
static void read_count(vh_engine e, int status, void *data) {
  vh_value v;
  if (status != VH_OK) return;
  if (vh_eval(e, "count", VH_AUTO_LENGTH, NULL, &v) == VH_OK) vh_value_int32(v, data);
}

static void test_many_threads_post(void **state) {
  (void)state;
  vh_worker w;
  vh_engine e;
  uv_thread_t threads[POST_THREADS];
  poster posters[POST_THREADS];
  uv_barrier_t go;
  int32_t count = -1;
  memset(&many, 0, sizeof many);
  for (int t = 0; t < POST_THREADS; t++) many.last_seq[t] = -1;
  assert_ok(vh_worker_start(NULL, define_count, NULL, &w, &e));
  assert_int_equal(uv_barrier_init(&go, POST_THREADS), 0);
  for (int t = 0; t < POST_THREADS; t++) {
    posters[t] = (poster){.e = e, .thread = t, .go = &go};
    assert_int_equal(uv_thread_create(&threads[t], post_many, &posters[t]), 0);
  }
  for (int t = 0; t < POST_THREADS; t++) assert_int_equal(uv_thread_join(&threads[t]), 0);
  uv_barrier_destroy(&go);
  /* Posted after every other task: when it has run, they all have. */
  assert_ok(vh_engine_post_and_wait(e, read_count, &count));
  for (int t = 0; t < POST_THREADS; t++) assert_int_equal(posters[t].failed_posts, 0);
  assert_int_equal(count, POSTS_TOTAL);
  assert_int_equal(many.bad_status, 0);
  assert_int_equal(many.eval_failed, 0);
  assert_int_equal(many.out_of_order, 0);
  for (int i = 0; i < POSTS_TOTAL; i++)
    if (many.calls[i] != 1) fail_msg("task %d was called %d times", i, many.calls[i]);
  for (int t = 0; t < POST_THREADS; t++) assert_int_equal(many.last_seq[t], POSTS_PER_THREAD - 1);
  assert_ok(vh_worker_stop(w));
}

/* ---- vh_engine_post_and_wait ------------------------------------------------------------------------ */

typedef struct where {
  uv_thread_t thread;
  int status;
  int calls;
  int32_t count;
} where;

static void note_thread(vh_engine e, int status, void *data) {
  where *w = data;
  w->thread = uv_thread_self();
  w->status = status;
  w->calls++;
  if (status == VH_OK) {
    vh_value v;
    if (vh_eval(e, "++count", VH_AUTO_LENGTH, NULL, &v) == VH_OK) vh_value_int32(v, &w->count);
  }
}

typedef struct waiter_job {
  vh_engine e;
  where seen;
  int rc;
  uv_thread_t self;
} waiter_job;

static void post_and_wait_from_thread(void *arg) {
  waiter_job *j = arg;
  j->self = uv_thread_self();
  j->rc = vh_engine_post_and_wait(j->e, note_thread, &j->seen);
}

/* From a thread other than the worker's: the task runs on the worker, the call waits for it. */
static void test_post_and_wait_other_thread(void **state) {
  (void)state;
  vh_worker w;
  vh_engine e;
  waiter_job j[3];
  uv_thread_t threads[3];
  uv_thread_t worker_thread;
  memset(j, 0, sizeof j);
  assert_ok(vh_worker_start(NULL, define_count, NULL, &w, &e));
  for (int i = 0; i < 3; i++) {
    j[i].e = e;
    j[i].rc = 0x7fff;
    assert_int_equal(uv_thread_create(&threads[i], post_and_wait_from_thread, &j[i]), 0);
  }
  for (int i = 0; i < 3; i++) assert_int_equal(uv_thread_join(&threads[i]), 0);
  worker_thread = j[0].seen.thread;
  for (int i = 0; i < 3; i++) {
    assert_status(VH_OK, j[i].rc);
    assert_int_equal(j[i].seen.calls, 1);
    assert_status(VH_OK, j[i].seen.status);
    assert_true(uv_thread_equal(&j[i].seen.thread, &worker_thread));
    assert_false(uv_thread_equal(&j[i].seen.thread, &j[i].self));
  }
  /* The three increments happened one after the other: 1, 2, 3 in some order. */
  assert_int_equal(j[0].seen.count + j[1].seen.count + j[2].seen.count, 6);
  /* And from the main thread. */
  where here = {0};
  uv_thread_t me = uv_thread_self();
  assert_ok(vh_engine_post_and_wait(e, note_thread, &here));
  assert_int_equal(here.calls, 1);
  assert_int_equal(here.count, 4);
  assert_false(uv_thread_equal(&here.thread, &me));
  assert_ok(vh_worker_stop(w));
}

/* A task that runs deep recursion: V8's stack guard on the loop's thread must be its own
 * (RangeError, not a crash) whatever thread used the runtime before. Adds 1 to count. */
static void deep_then_count(vh_engine e, int status, void *data) {
  int *failures = data;
  vh_value v;
  bool caught = false;
  if (status != VH_OK ||
      vh_eval(e, "try { (function f() { f(); })(); false } catch (x) { x instanceof RangeError }",
              VH_AUTO_LENGTH, NULL, &v) != VH_OK ||
      vh_value_bool(v, &caught) != VH_OK || !caught || vh_eval(e, "++count", VH_AUTO_LENGTH, NULL, NULL) != VH_OK)
    (*failures)++;
}

/* The loop's thread keeps V8's per-thread state for its runtime between tasks (loop.cc); another
 * thread taking the runtime meanwhile makes V8 archive that state and restore it for the next
 * task. Alternating the two, each side sees the other's writes and runs script normally. */
static void test_worker_runtime_shared_between_tasks(void **state) {
  (void)state;
  vh_worker w;
  vh_engine e;
  int failures = 0;
  assert_ok(vh_worker_start(NULL, define_count, NULL, &w, &e));
  for (int i = 0; i < 50; i++) {
    vh_scope s;
    int32_t count = -1;
    assert_ok(vh_engine_post(e, deep_then_count, &failures));
    /* Here, on the main thread, while the worker may be between tasks (or running one). */
    assert_ok(vh_scope_open(e, &s));
    assert_ok(vh_value_int32(eval_ok(e, "++count"), &count));
    assert_true(count >= 2 * i + 1 && count <= 2 * i + 2);
    assert_eval_string(e, "try { (function f() { f(); })(); 'no' } catch (x) { x.name }", "RangeError");
    assert_ok(vh_scope_close(s));
    assert_ok(vh_engine_post_and_wait(e, read_count, &count));
    assert_int_equal(count, 2 * i + 2);
  }
  assert_int_equal(failures, 0);
  assert_ok(vh_worker_stop(w));
}

/* From the thread holding the runtime (a scope open): the task runs inline, at once, here. */
static void test_post_and_wait_inline(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  where here = {0};
  uv_thread_t me = uv_thread_self();
  open_runtime(NULL, &rt, &e, &s);
  eval_ok(e, "globalThis.count = 10");
  assert_ok(vh_engine_post_and_wait(e, note_thread, &here)); /* nobody runs the loop: would deadlock */
  assert_int_equal(here.calls, 1);
  assert_status(VH_OK, here.status);
  assert_int_equal(here.count, 11);
  assert_true(uv_thread_equal(&here.thread, &me));
  /* The scope is still ours and usable. */
  int32_t n = 0;
  assert_ok(vh_value_int32(eval_ok(e, "count"), &n));
  assert_int_equal(n, 11);
  assert_ok(vh_scope_close(s));
  /* Nothing was queued: a run has nothing to do. */
  bool alive = true;
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_NOWAIT, &alive));
  assert_false(alive);
  assert_int_equal(here.calls, 1);
  assert_ok(vh_runtime_dispose(rt));
}

/* Inside a task (the worker's thread holds the lock): also inline. */
static void nested_post_and_wait(vh_engine e, int status, void *data) {
  where *outer = data;
  if (status != VH_OK) return;
  where inner = {0};
  outer->status = vh_engine_post_and_wait(e, note_thread, &inner);
  outer->calls = inner.calls;
  outer->count = inner.count;
  outer->thread = inner.thread;
}

static void test_post_and_wait_inside_task(void **state) {
  (void)state;
  vh_worker w;
  vh_engine e;
  where outer = {0};
  where check = {0};
  outer.status = 0x7fff;
  assert_ok(vh_worker_start(NULL, define_count, NULL, &w, &e));
  assert_ok(vh_engine_post_and_wait(e, note_thread, &check)); /* learns the worker's thread */
  assert_ok(vh_engine_post_and_wait(e, nested_post_and_wait, &outer));
  assert_status(VH_OK, outer.status);
  assert_int_equal(outer.calls, 1);
  assert_int_equal(outer.count, 2);
  assert_true(uv_thread_equal(&outer.thread, &check.thread));
  assert_ok(vh_worker_stop(w));
}

/* ---- posting to what is gone ----------------------------------------------------------------- */

static int never_calls;
static void never_task(vh_engine e, int status, void *data) {
  (void)e;
  (void)status;
  (void)data;
  never_calls++;
}

static void test_post_disposed(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e, e2, priv;
  never_calls = 0;
  open_runtime(NULL, &rt, &e, NULL);
  assert_ok(vh_engine_new(rt, NULL, &e2));
  /* Bad arguments. */
  assert_status(VH_EINVAL, vh_engine_post(e, NULL, NULL));
  assert_status(VH_EINVAL, vh_engine_post((vh_engine){0}, never_task, NULL));
  assert_status(VH_EINVAL, vh_engine_post_and_wait(e, NULL, NULL));
  assert_status(VH_EINVAL, vh_engine_post_and_wait((vh_engine){0}, never_task, NULL));
  /* A disposed engine of a live runtime. */
  assert_ok(vh_engine_dispose(e2));
  assert_status(VH_EDISPOSED, vh_engine_post(e2, never_task, NULL));
  assert_status(VH_EDISPOSED, vh_engine_post_and_wait(e2, never_task, NULL));
  /* A disposed runtime. */
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_engine_post(e, never_task, NULL));
  assert_status(VH_EDISPOSED, vh_engine_post_and_wait(e, never_task, NULL));
  /* A disposed private engine (and with it its runtime). */
  assert_ok(vh_engine_new_private(NULL, NULL, &priv));
  assert_ok(vh_engine_dispose(priv));
  assert_status(VH_EDISPOSED, vh_engine_post(priv, never_task, NULL));
  assert_status(VH_EDISPOSED, vh_engine_post_and_wait(priv, never_task, NULL));
  /* A task refused at posting is never called. */
  assert_int_equal(never_calls, 0);
}

/* Tasks still queued when the runtime (or their engine) goes away: called with VH_EDISPOSED and
 * the empty engine, exactly once. */
typedef struct cancel_note {
  int calls;
  int status;
  uint64_t engine_id;
} cancel_note;

static void note_cancel(vh_engine e, int status, void *data) {
  cancel_note *n = data;
  n->calls++;
  n->status = status;
  n->engine_id = e.id_;
}

/* A task that opens a scope and forgets it does not keep the runtime locked: the library closes
 * what its callback left open, so the runtime can be disposed afterwards. */
static void leaky_task(vh_engine e, int status, void *data) {
  vh_scope s;
  if (status == VH_OK) *(int *)data = vh_scope_open(e, &s);
}
static void test_task_leaving_scope_open(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  int opened = -1;
  open_runtime(NULL, &rt, &e, NULL);
  assert_ok(vh_engine_post(e, leaky_task, &opened));
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, NULL));
  assert_status(VH_OK, opened);
  assert_ok(vh_runtime_dispose(rt));
}

static void test_queued_at_disposal(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e, gone;
  cancel_note notes[6];
  for (int i = 0; i < 6; i++) notes[i] = (cancel_note){0, 0x7fff, 99};
  open_runtime(NULL, &rt, &e, NULL);
  assert_ok(vh_engine_new(rt, NULL, &gone));
  /* A task for an engine disposed before the run: called with VH_EDISPOSED by the run. */
  assert_ok(vh_engine_post(gone, note_cancel, &notes[5]));
  assert_ok(vh_engine_dispose(gone));
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, NULL));
  assert_int_equal(notes[5].calls, 1);
  assert_status(VH_EDISPOSED, notes[5].status);
  assert_int_equal(notes[5].engine_id, 0);
  /* Tasks never run: called by the disposal. */
  for (int i = 0; i < 5; i++) assert_ok(vh_engine_post(e, note_cancel, &notes[i]));
  for (int i = 0; i < 5; i++) assert_int_equal(notes[i].calls, 0); /* never inline */
  assert_ok(vh_runtime_dispose(rt));
  for (int i = 0; i < 5; i++) {
    assert_int_equal(notes[i].calls, 1);
    assert_status(VH_EDISPOSED, notes[i].status);
    assert_int_equal(notes[i].engine_id, 0);
  }
  assert_int_equal(notes[5].calls, 1);
}

/* A waiter whose task is cancelled by the disposal returns VH_EDISPOSED. */
typedef struct blocked_waiter {
  vh_engine e;
  cancel_note note;
  int rc;
  uv_sem_t posting;
} blocked_waiter;

static void wait_for_unrun_task(void *arg) {
  blocked_waiter *b = arg;
  uv_sem_post(&b->posting);
  b->rc = vh_engine_post_and_wait(b->e, note_cancel, &b->note);
}

static void test_post_and_wait_cancelled(void **state) {
  (void)state;
  vh_runtime rt;
  blocked_waiter b = {.note = {0, 0x7fff, 99}, .rc = 0x7fff};
  uv_thread_t t;
  open_runtime(NULL, &rt, &b.e, NULL);
  assert_int_equal(uv_sem_init(&b.posting, 0), 0);
  assert_int_equal(uv_thread_create(&t, wait_for_unrun_task, &b), 0);
  uv_sem_wait(&b.posting);
  uv_sleep(50); /* by now the task is queued (nobody runs the loop) and the thread waits */
  assert_int_equal(b.note.calls, 0);
  assert_ok(vh_runtime_dispose(rt));
  assert_int_equal(uv_thread_join(&t), 0);
  uv_sem_destroy(&b.posting);
  assert_status(VH_EDISPOSED, b.rc);
  if (b.note.calls == 0) {
    /* Only if the thread was preempted for 50 ms before posting: refused, never called. */
    print_message("  (the disposal came before the post)\n");
    return;
  }
  assert_int_equal(b.note.calls, 1);
  assert_status(VH_EDISPOSED, b.note.status);
  assert_int_equal(b.note.engine_id, 0);
}

/* ---- disposal racing with posters ------------------------------------------------------------ */

#define RACE_THREADS 3
#define RACE_CAP (1 << 20) /* posts per thread at most */
#define RACE_ROUNDS 4

typedef struct race_poster {
  vh_engine e;
  int thread;
  int *post_rc;       /* [RACE_CAP], written by this thread */
  int posted;         /* posts made */
  int ok_after_gone;  /* a VH_OK after a VH_EDISPOSED */
  int other_rc;       /* neither VH_OK nor VH_EDISPOSED */
  uv_mutex_t *mu;
  int *progress;      /* under mu: total VH_OK posts of all threads */
} race_poster;

/* Written by the tasks only (whatever thread runs them); read after every thread is joined. */
static int *race_calls[RACE_THREADS];
static int race_ok, race_disposed, race_bad;

static void race_task(vh_engine e, int status, void *data) {
  uintptr_t index = (uintptr_t)data;
  race_calls[index / RACE_CAP][index % RACE_CAP]++;
  if (status == VH_OK && e.id_ != 0) {
    race_ok++;
  } else if (status == VH_EDISPOSED && e.id_ == 0) {
    race_disposed++;
  } else {
    race_bad++;
  }
}

static void race_post(void *arg) {
  race_poster *p = arg;
  int gone = 0, after = 0;
  for (int i = 0; i < RACE_CAP && after < 100; i++) {
    int rc = vh_engine_post(p->e, race_task, (void *)(uintptr_t)(p->thread * RACE_CAP + i));
    p->post_rc[i] = rc;
    p->posted = i + 1;
    if (rc == VH_OK) {
      if (gone) p->ok_after_gone++;
      if (i % 256 == 0) {
        uv_mutex_lock(p->mu);
        *p->progress += 256;
        uv_mutex_unlock(p->mu);
      }
    } else if (rc == VH_EDISPOSED) {
      gone = 1;
    } else {
      p->other_rc++;
    }
    if (gone) after++;
    for (volatile int k = 0; k < 1000; k++) {
    } /* paced, so that the disposal falls mid-stream */
  }
}

/* One round: posters race with the disposal, on a runtime run by this thread (use_worker = 0)
 * or on a worker stopped by this thread (use_worker = 1). */
static void dispose_race_round(int use_worker) {
  vh_runtime rt = {0};
  vh_engine e;
  vh_worker w;
  uv_thread_t threads[RACE_THREADS];
  race_poster posters[RACE_THREADS];
  uv_mutex_t mu;
  int progress = 0;
  race_ok = race_disposed = race_bad = 0;
  assert_int_equal(uv_mutex_init(&mu), 0);
  if (use_worker) {
    assert_ok(vh_worker_start(NULL, NULL, NULL, &w, &e));
  } else {
    open_runtime(NULL, &rt, &e, NULL);
  }
  for (int t = 0; t < RACE_THREADS; t++) {
    race_calls[t] = calloc(RACE_CAP, sizeof(int));
    assert_non_null(race_calls[t]);
    posters[t] = (race_poster){.e = e, .thread = t, .mu = &mu, .progress = &progress};
    posters[t].post_rc = calloc(RACE_CAP, sizeof(int));
    assert_non_null(posters[t].post_rc);
    assert_int_equal(uv_thread_create(&threads[t], race_post, &posters[t]), 0);
  }
  /* Let the posters get going, running what they post meanwhile, then pull the rug. */
  for (int spins = 0; spins < 2000; spins++) {
    uv_mutex_lock(&mu);
    int p = progress;
    uv_mutex_unlock(&mu);
    if (p >= 3000) break;
    if (!use_worker) assert_ok(vh_runtime_run(rt, VH_RUN_MODE_NOWAIT, NULL));
    uv_sleep(1);
  }
  if (use_worker) {
    assert_ok(vh_worker_stop(w));
  } else {
    assert_ok(vh_runtime_run(rt, VH_RUN_MODE_NOWAIT, NULL));
    assert_ok(vh_runtime_dispose(rt));
  }
  for (int t = 0; t < RACE_THREADS; t++) assert_int_equal(uv_thread_join(&threads[t]), 0);
  uv_mutex_destroy(&mu);

  int posted_ok = 0, refused = 0;
  for (int t = 0; t < RACE_THREADS; t++) {
    race_poster *p = &posters[t];
    assert_int_equal(p->ok_after_gone, 0);
    assert_int_equal(p->other_rc, 0);
    assert_true(p->posted < RACE_CAP); /* each saw the disposal before running out */
    for (int i = 0; i < p->posted; i++) {
      int calls = race_calls[t][i];
      if (p->post_rc[i] == VH_OK) {
        posted_ok++;
        if (calls != 1) fail_msg("thread %d post %d: VH_OK, called %d times", t, i, calls);
      } else {
        refused++;
        if (calls != 0) fail_msg("thread %d post %d: refused, called %d times", t, i, calls);
      }
    }
    free(p->post_rc);
    free(race_calls[t]);
  }
  assert_int_equal(race_bad, 0);
  assert_int_equal(race_ok + race_disposed, posted_ok);
  assert_true(race_ok > 0);
  assert_true(refused >= RACE_THREADS * 100);
  print_message("  %s round: %d posts ran, %d cancelled, %d refused\n",
                use_worker ? "worker" : "runtime", race_ok, race_disposed, refused);
}

static void test_dispose_while_posting(void **state) {
  (void)state;
  for (int r = 0; r < RACE_ROUNDS; r++) dispose_race_round(0);
}

static void test_worker_stop_while_posting(void **state) {
  (void)state;
  for (int r = 0; r < RACE_ROUNDS; r++) dispose_race_round(1);
}

/* ---- values of a task die with it ------------------------------------------------------------ */

typedef struct kept {
  vh_value v;
  int rc_inside, rc_later;
  int32_t n;
} kept;

static void keep_value(vh_engine e, int status, void *data) {
  kept *k = data;
  if (status != VH_OK) return;
  if (vh_new_int32(e, 42, &k->v) == VH_OK) k->rc_inside = vh_value_int32(k->v, &k->n);
}

static void use_kept_value(vh_engine e, int status, void *data) {
  kept *k = data;
  int32_t n;
  (void)e;
  if (status != VH_OK) return;
  k->rc_later = vh_value_int32(k->v, &n);
}

static void test_task_values_die(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  kept k = {.rc_inside = 0x7fff, .rc_later = 0x7fff};
  open_runtime(NULL, &rt, &e, NULL);
  assert_ok(vh_engine_post(e, keep_value, &k));
  assert_ok(vh_engine_post(e, use_kept_value, &k));
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, NULL));
  assert_status(VH_OK, k.rc_inside);
  assert_int_equal(k.n, 42);
  assert_status(VH_ESCOPE_CLOSED, k.rc_later);
  /* From the host thread, after the run, too. */
  int32_t n;
  vh_scope s;
  assert_ok(vh_scope_open(e, &s));
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(k.v, &n));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
}

/* ---- vh_runtime_run -------------------------------------------------------------------------- */

static int simple_calls;
static void simple_task(vh_engine e, int status, void *data) {
  (void)data;
  if (status == VH_OK && e.id_ != 0) simple_calls++;
}

static void test_run_modes(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  bool alive = true;
  simple_calls = 0;
  open_runtime(NULL, &rt, &e, NULL);
  /* Nothing to do: every mode returns at once (well before the 50 ms platform pump). */
  vh_run_mode modes[3] = {VH_RUN_MODE_DEFAULT, VH_RUN_MODE_ONCE, VH_RUN_MODE_NOWAIT};
  for (int m = 0; m < 3; m++) {
    uint64_t best = UINT64_MAX; /* the fastest of three, so a preemption cannot fail the test */
    for (int attempt = 0; attempt < 3; attempt++) {
      uint64_t t0 = uv_hrtime();
      alive = true;
      assert_ok(vh_runtime_run(rt, modes[m], &alive));
      assert_false(alive);
      uint64_t took = uv_hrtime() - t0;
      if (took < best) best = took;
    }
    assert_true(best < 40 * 1000 * 1000);
  }
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, NULL)); /* alive may be NULL */
  /* Posted tasks wait for the next run; each mode runs what is queued. */
  for (int m = 0; m < 3; m++) {
    for (int i = 0; i < 3; i++) assert_ok(vh_engine_post(e, simple_task, NULL));
    assert_int_equal(simple_calls, 3 * m);
    alive = true;
    assert_ok(vh_runtime_run(rt, modes[m], &alive));
    assert_int_equal(simple_calls, 3 * (m + 1));
    assert_false(alive);
  }
  /* A bad mode. */
  assert_status(VH_EINVAL, vh_runtime_run(rt, (vh_run_mode)7, NULL));
  assert_status(VH_EINVAL, vh_runtime_run((vh_runtime){0}, VH_RUN_MODE_DEFAULT, NULL));
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, NULL));
}

/* Tasks a task posts run in the same DEFAULT run (the run goes on while tasks are queued). */
static int chain_left;
static void chain_task(vh_engine e, int status, void *data) {
  (void)data;
  if (status != VH_OK) return;
  if (--chain_left > 0) vh_engine_post(e, chain_task, NULL);
}

static void test_run_default_runs_reposted(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  bool alive = true;
  chain_left = 100;
  open_runtime(NULL, &rt, &e, NULL);
  assert_ok(vh_engine_post(e, chain_task, NULL));
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, &alive));
  assert_int_equal(chain_left, 0);
  assert_false(alive);
  /* NOWAIT runs one batch: a task posted by a task waits for the next run. */
  chain_left = 3;
  assert_ok(vh_engine_post(e, chain_task, NULL));
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_NOWAIT, &alive));
  assert_true(chain_left < 3);
  for (int i = 0; i < 10 && chain_left > 0; i++) assert_ok(vh_runtime_run(rt, VH_RUN_MODE_NOWAIT, &alive));
  assert_int_equal(chain_left, 0);
  assert_ok(vh_runtime_dispose(rt));
}

/* A host handle on the runtime's loop whose callback holds the loop (not the runtime's lock). */
typedef struct holder {
  uv_timer_t timer;
  uv_sem_t entered, release;
  vh_runtime rt;
  int run_rc;
  bool alive;
} holder;

static void hold_loop(uv_timer_t *t) {
  holder *h = t->data;
  uv_sem_post(&h->entered);
  uv_sem_wait(&h->release);
  uv_close((uv_handle_t *)t, NULL);
}

static void run_loop_thread(void *arg) {
  holder *h = arg;
  h->run_rc = vh_runtime_run(h->rt, VH_RUN_MODE_DEFAULT, &h->alive);
}

static int busy_run_rc;
static void run_inside_task(vh_engine e, int status, void *data) {
  (void)data;
  if (status != VH_OK) return;
  busy_run_rc = vh_runtime_run(runtime_of(e), VH_RUN_MODE_NOWAIT, NULL);
}

static void test_run_busy(void **state) {
  (void)state;
  holder h;
  uv_loop_t *loop;
  uv_thread_t t;
  vh_engine e;
  memset(&h, 0, sizeof h);
  h.run_rc = 0x7fff;
  simple_calls = 0;
  open_runtime(NULL, &h.rt, &e, NULL);
  assert_ok(vh_runtime_loop(h.rt, &loop));
  assert_non_null(loop);
  assert_int_equal(uv_sem_init(&h.entered, 0), 0);
  assert_int_equal(uv_sem_init(&h.release, 0), 0);
  assert_int_equal(uv_timer_init(loop, &h.timer), 0);
  h.timer.data = &h;
  assert_int_equal(uv_timer_start(&h.timer, hold_loop, 0, 0), 0);
  assert_int_equal(uv_thread_create(&t, run_loop_thread, &h), 0);
  uv_sem_wait(&h.entered);
  /* Another thread is running the loop (outside any callback's lock). */
  assert_status(VH_EBUSY, vh_runtime_run(h.rt, VH_RUN_MODE_NOWAIT, NULL));
  assert_status(VH_EBUSY, vh_runtime_run(h.rt, VH_RUN_MODE_DEFAULT, NULL));
  assert_status(VH_EBUSY, vh_runtime_dispose(h.rt));
  /* Posting is fine meanwhile; the running thread picks it up. */
  assert_ok(vh_engine_post(e, simple_task, NULL));
  uv_sem_post(&h.release);
  assert_int_equal(uv_thread_join(&t), 0);
  assert_status(VH_OK, h.run_rc);
  assert_ok(vh_runtime_run(h.rt, VH_RUN_MODE_DEFAULT, NULL));
  assert_int_equal(simple_calls, 1);
  /* From inside a task of the loop: VH_EBUSY too. */
  busy_run_rc = 0x7fff;
  assert_ok(vh_engine_post(e, run_inside_task, NULL));
  assert_ok(vh_runtime_run(h.rt, VH_RUN_MODE_DEFAULT, NULL));
  assert_status(VH_EBUSY, busy_run_rc);
  uv_sem_destroy(&h.entered);
  uv_sem_destroy(&h.release);
  assert_ok(vh_runtime_dispose(h.rt));
}

/* vh_runtime_run on a worker's runtime, from outside and inside: the worker runs it. */
static void test_run_worker_busy(void **state) {
  (void)state;
  vh_worker w;
  vh_engine e;
  assert_ok(vh_worker_start(NULL, NULL, NULL, &w, &e));
  /* Once a task has run, the worker's thread is surely inside its loop. (Right after
   * vh_worker_start returns it may not be yet, and another thread's vh_runtime_run or
   * vh_runtime_dispose then gets VH_OK: a known bug, see the report.) */
  assert_ok(vh_engine_post_and_wait(e, simple_task, NULL));
  assert_status(VH_EBUSY, vh_runtime_run(runtime_of(e), VH_RUN_MODE_NOWAIT, NULL));
  assert_status(VH_EBUSY, vh_runtime_dispose(runtime_of(e)));
  busy_run_rc = 0x7fff;
  assert_ok(vh_engine_post_and_wait(e, run_inside_task, NULL));
  assert_status(VH_EBUSY, busy_run_rc);
  assert_ok(vh_worker_stop(w));
}

/* ---- vh_runtime_loop and host loops ---------------------------------------------------------- */

static void test_runtime_loop(void **state) {
  (void)state;
  vh_runtime rt;
  uv_loop_t *loop = NULL;
  assert_ok(vh_runtime_new(NULL, &rt));
  assert_status(VH_EINVAL, vh_runtime_loop(rt, NULL));
  assert_ok(vh_runtime_loop(rt, &loop));
  assert_non_null(loop);
  assert_true(loop != uv_default_loop());
  assert_ok(vh_runtime_dispose(rt));
  uv_loop_t *after = (uv_loop_t *)1;
  assert_status(VH_EDISPOSED, vh_runtime_loop(rt, &after));
  assert_true(after == (uv_loop_t *)1);
}

typedef struct host_loop_state {
  uv_timer_t tick;
  int ticks;
  int calls;
  int wrong_thread;
  uv_thread_t host_thread;
} host_loop_state;

static host_loop_state hl;

static void host_task(vh_engine e, int status, void *data) {
  (void)data;
  uv_thread_t me = uv_thread_self();
  if (status == VH_OK && e.id_ != 0) hl.calls++;
  if (!uv_thread_equal(&me, &hl.host_thread)) hl.wrong_thread++;
}

/* The host's own handle keeps its loop going until the tasks have run (or a second passed). */
static void host_tick(uv_timer_t *t) {
  if (++hl.ticks >= 1000 || hl.calls == 10) uv_close((uv_handle_t *)t, NULL);
}

static void test_host_loop(void **state) {
  (void)state;
  uv_loop_t loop;
  vh_runtime_options o;
  vh_runtime rt;
  vh_engine e;
  uv_loop_t *got = NULL;
  cancel_note late = {0, 0x7fff, 99};
  memset(&hl, 0, sizeof hl);
  hl.host_thread = uv_thread_self();
  assert_int_equal(uv_loop_init(&loop), 0);
  vh_runtime_options_init(&o);
  o.loop = &loop;
  open_runtime(&o, &rt, &e, NULL);
  assert_ok(vh_runtime_loop(rt, &got));
  assert_ptr_equal(got, &loop);
  /* Tasks run when the host runs its loop. */
  for (int i = 0; i < 10; i++) assert_ok(vh_engine_post(e, host_task, NULL));
  assert_int_equal(uv_timer_init(&loop, &hl.tick), 0);
  assert_int_equal(uv_timer_start(&hl.tick, host_tick, 1, 1), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(hl.calls, 10);
  assert_int_equal(hl.wrong_thread, 0);
  assert_true(hl.ticks < 1000);
  /* vh_runtime_run works on a host loop too. */
  assert_ok(vh_engine_post(e, host_task, NULL));
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, NULL));
  assert_int_equal(hl.calls, 11);
  /* Disposal: a task never run is cancelled; the runtime's handles close on the host's loop,
   * which the host keeps running until uv_loop_close succeeds. */
  assert_ok(vh_engine_post(e, note_cancel, &late));
  assert_ok(vh_runtime_dispose(rt));
  assert_int_equal(late.calls, 1);
  assert_status(VH_EDISPOSED, late.status);
  int rc = UV_EBUSY, rounds = 0;
  while ((rc = uv_loop_close(&loop)) == UV_EBUSY && rounds < 100) {
    uv_run(&loop, UV_RUN_NOWAIT);
    rounds++;
  }
  assert_int_equal(rc, 0);
  assert_true(rounds >= 1); /* the runtime's handles were still closing */
}

/* A host loop run on a thread of the host's own, fed from main. */
typedef struct host_thread_job {
  uv_loop_t loop;
  uv_async_t quit;
  int run_rc;
} host_thread_job;

static void on_quit(uv_async_t *a) { uv_close((uv_handle_t *)a, NULL); }

static void host_loop_thread(void *arg) {
  host_thread_job *j = arg;
  j->run_rc = uv_run(&j->loop, UV_RUN_DEFAULT);
}

static void test_host_loop_on_host_thread(void **state) {
  (void)state;
  host_thread_job j;
  vh_runtime_options o;
  vh_runtime rt;
  vh_engine e;
  uv_thread_t t;
  where seen[5];
  memset(&j, 0, sizeof j);
  memset(seen, 0, sizeof seen);
  assert_int_equal(uv_loop_init(&j.loop), 0);
  assert_int_equal(uv_async_init(&j.loop, &j.quit, on_quit), 0); /* keeps the loop alive */
  vh_runtime_options_init(&o);
  o.loop = &j.loop;
  open_runtime(&o, &rt, &e, NULL);
  {
    vh_scope s;
    assert_ok(vh_scope_open(e, &s));
    eval_ok(e, "globalThis.count = 0");
    assert_ok(vh_scope_close(s));
  }
  assert_int_equal(uv_thread_create(&t, host_loop_thread, &j), 0);
  for (int i = 0; i < 5; i++) assert_ok(vh_engine_post_and_wait(e, note_thread, &seen[i]));
  for (int i = 0; i < 5; i++) {
    assert_int_equal(seen[i].calls, 1);
    assert_int_equal(seen[i].count, i + 1);
  }
  /* Stop the host's loop, then dispose (the loop is not running) and finish the closes. */
  assert_int_equal(uv_async_send(&j.quit), 0);
  assert_int_equal(uv_thread_join(&t), 0);
  assert_ok(vh_runtime_dispose(rt));
  int rc, rounds = 0;
  while ((rc = uv_loop_close(&j.loop)) == UV_EBUSY && rounds++ < 100) uv_run(&j.loop, UV_RUN_DEFAULT);
  assert_int_equal(rc, 0);
}

/* ---- workers --------------------------------------------------------------------------------- */

static int failing_init(vh_engine e, void *data) {
  (void)e;
  *(int *)data += 1;
  return VH_EINVAL;
}

static int throwing_init(vh_engine e, void *data) {
  (void)data;
  return vh_eval(e, "throw new Error('init failed')", VH_AUTO_LENGTH, "init.js", NULL);
}

static void test_worker_init_fails(void **state) {
  (void)state;
  vh_worker w = {12345};
  vh_engine e = {777};
  int init_calls = 0;
  assert_status(VH_EINVAL, vh_worker_start(NULL, failing_init, &init_calls, &w, &e));
  assert_int_equal(init_calls, 1);
  assert_int_equal(w.id_, 12345); /* out-parameters untouched */
  assert_int_equal(e.id_, 777);
  assert_status(VH_EEXCEPTION, vh_worker_start(NULL, throwing_init, NULL, &w, &e));
  assert_status(VH_EINVAL, vh_worker_start(NULL, NULL, NULL, NULL, &e));
  assert_status(VH_EINVAL, vh_worker_stop((vh_worker){0}));
  /* A worker without init and without asking for its engine. */
  assert_ok(vh_worker_start(NULL, NULL, NULL, &w, NULL));
  assert_ok(vh_worker_stop(w));
}

/* The init runs on the worker's thread, before vh_worker_start returns. */
typedef struct init_note {
  uv_thread_t thread;
  int calls;
} init_note;

static int noting_init(vh_engine e, void *data) {
  init_note *n = data;
  n->thread = uv_thread_self();
  n->calls++;
  return vh_eval(e, "globalThis.count = 100", VH_AUTO_LENGTH, "init.js", NULL);
}

static void test_worker_init_runs_on_worker(void **state) {
  (void)state;
  vh_worker w;
  vh_engine e;
  init_note n = {0};
  where seen = {0};
  vh_runtime_options o;
  vh_runtime_options_init(&o);
  assert_ok(vh_worker_start(&o, noting_init, &n, &w, &e));
  assert_int_equal(n.calls, 1);
  assert_ok(vh_engine_post_and_wait(e, note_thread, &seen));
  assert_true(uv_thread_equal(&seen.thread, &n.thread));
  assert_int_equal(seen.count, 101);
  assert_ok(vh_worker_stop(w));
}

static int stop_run_ok, stop_run_other;
static void stop_counted(vh_engine e, int status, void *data) {
  (void)data;
  if (status == VH_OK && e.id_ != 0)
    stop_run_ok++;
  else
    stop_run_other++;
}

/* Stop runs the tasks already posted first. */
static void test_worker_stop_runs_posted(void **state) {
  (void)state;
  for (int round = 0; round < 3; round++) {
    vh_worker w;
    vh_engine e;
    stop_run_ok = stop_run_other = 0;
    assert_ok(vh_worker_start(NULL, NULL, NULL, &w, &e));
    for (int i = 0; i < 1000; i++) assert_ok(vh_engine_post(e, stop_counted, NULL));
    assert_ok(vh_worker_stop(w));
    assert_int_equal(stop_run_ok, 1000);
    assert_int_equal(stop_run_other, 0);
    /* Afterwards: refused, never called. */
    assert_status(VH_EDISPOSED, vh_engine_post(e, stop_counted, NULL));
    assert_status(VH_EDISPOSED, vh_engine_post_and_wait(e, stop_counted, NULL));
    assert_int_equal(stop_run_ok + stop_run_other, 1000);
  }
}

typedef struct self_stop {
  vh_worker w;
  int rc;
} self_stop;

static void stop_from_inside(vh_engine e, int status, void *data) {
  self_stop *s = data;
  (void)e;
  if (status == VH_OK) s->rc = vh_worker_stop(s->w);
}

static void test_worker_stop_misuse(void **state) {
  (void)state;
  self_stop s = {.rc = 0x7fff};
  vh_engine e;
  assert_ok(vh_worker_start(NULL, define_count, NULL, &s.w, &e));
  assert_ok(vh_engine_post_and_wait(e, stop_from_inside, &s));
  assert_status(VH_EBUSY, s.rc);
  /* The worker still works. */
  where seen = {0};
  assert_ok(vh_engine_post_and_wait(e, note_thread, &seen));
  assert_int_equal(seen.calls, 1);
  vh_runtime rt = runtime_of(e);
  assert_ok(vh_worker_stop(s.w));
  assert_status(VH_EDISPOSED, vh_worker_stop(s.w));
  /* The worker's runtime went with it. */
  assert_status(VH_EDISPOSED, vh_runtime_run(rt, VH_RUN_MODE_NOWAIT, NULL));
}

/* ---- the error handler ----------------------------------------------------------------------- */

#define MAX_EVENTS 8
static struct {
  int count;
  vh_error_event event[MAX_EVENTS];
  char message[MAX_EVENTS][160];
  char resource[MAX_EVENTS][64];
  int line[MAX_EVENTS];
  int engine_ok[MAX_EVENTS];
  uintptr_t data[MAX_EVENTS];
} events;

static void record_error(vh_engine e, vh_error_event event, const vh_exception *x, void *data) {
  int i = events.count++;
  if (i >= MAX_EVENTS) return;
  events.event[i] = event;
  snprintf(events.message[i], sizeof events.message[i], "%s", x->message ? x->message : "(null)");
  snprintf(events.resource[i], sizeof events.resource[i], "%s",
           x->resource_name ? x->resource_name : "(null)");
  events.line[i] = x->line;
  events.data[i] = (uintptr_t)data;
  /* The engine has a scope open: usable here. */
  vh_value v;
  events.engine_ok[i] = vh_eval(e, "1", VH_AUTO_LENGTH, NULL, &v) == VH_OK;
}

static void eval_task(vh_engine e, int status, void *data) {
  if (status != VH_OK) return;
  vh_eval(e, data, VH_AUTO_LENGTH, "task.js", NULL);
}

/* A runtime with the recording handler. */
static void error_setup(vh_runtime *rt, vh_engine *e) {
  memset(&events, 0, sizeof events);
  assert_ok(vh_runtime_new(NULL, rt));
  assert_ok(vh_engine_new(*rt, NULL, e));
  assert_ok(vh_runtime_set_error_handler(*rt, record_error, (void *)(uintptr_t)0xabc));
}

static void test_error_uncaught_exception(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  error_setup(&rt, &e);
  assert_ok(vh_engine_post(e, eval_task, "let a = 1;\n  null.x"));
  assert_ok(vh_engine_post(e, eval_task, "globalThis.after = 'still running'"));
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, NULL));
  assert_int_equal(events.count, 1);
  assert_int_equal(events.event[0], VH_ERROR_EVENT_UNCAUGHT_EXCEPTION);
  assert_non_null(strstr(events.message[0], "TypeError"));
  assert_non_null(strstr(events.message[0], "null"));
  assert_string_equal(events.resource[0], "task.js");
  assert_int_equal(events.line[0], 2);
  assert_true(events.engine_ok[0]);
  assert_int_equal(events.data[0], 0xabc);
  /* The loop went on; the exception is no longer pending in the engine. */
  vh_scope s;
  bool pending = true;
  assert_ok(vh_scope_open(e, &s));
  assert_eval_string(e, "after", "still running");
  assert_ok(vh_exception_pending(e, &pending));
  assert_false(pending);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
}

/* The handler of a worker set from its init; a thrown non-Error value. */
static int set_handler_init(vh_engine e, void *data) {
  (void)data;
  vh_runtime rt;
  int rc = vh_engine_runtime(e, &rt);
  if (rc == VH_OK) rc = vh_runtime_set_error_handler(rt, record_error, NULL);
  return rc;
}

static void test_error_handler_on_worker(void **state) {
  (void)state;
  vh_worker w;
  vh_engine e;
  memset(&events, 0, sizeof events);
  assert_ok(vh_worker_start(NULL, set_handler_init, NULL, &w, &e));
  assert_ok(vh_engine_post_and_wait(e, eval_task, "throw 'a string'"));
  assert_ok(vh_engine_post_and_wait(e, eval_task, "Promise.reject(42)"));
  assert_ok(vh_worker_stop(w));
  assert_int_equal(events.count, 2);
  assert_int_equal(events.event[0], VH_ERROR_EVENT_UNCAUGHT_EXCEPTION);
  assert_non_null(strstr(events.message[0], "a string"));
  assert_int_equal(events.event[1], VH_ERROR_EVENT_UNHANDLED_REJECTION);
  assert_non_null(strstr(events.message[1], "42"));
}

static void test_error_unhandled_rejection(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  error_setup(&rt, &e);
  assert_ok(vh_engine_post(e, eval_task, "\n\nPromise.reject(new Error('nobody catches me'))"));
  /* Rejected inside a reaction: the promise `then` returned is unhandled. */
  assert_ok(vh_engine_post(e, eval_task, "Promise.resolve().then(() => { throw new RangeError('in a reaction'); })"));
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, NULL));
  assert_int_equal(events.count, 2);
  assert_int_equal(events.event[0], VH_ERROR_EVENT_UNHANDLED_REJECTION);
  assert_non_null(strstr(events.message[0], "nobody catches me"));
  assert_string_equal(events.resource[0], "task.js");
  assert_int_equal(events.line[0], 3);
  assert_true(events.engine_ok[0]);
  assert_int_equal(events.event[1], VH_ERROR_EVENT_UNHANDLED_REJECTION);
  assert_non_null(strstr(events.message[1], "RangeError: in a reaction"));
  assert_ok(vh_runtime_dispose(rt));
}

static void test_error_handled_rejection_not_reported(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  error_setup(&rt, &e);
  /* .catch attached synchronously after the rejection. */
  assert_ok(vh_engine_post(e, eval_task,
                    "const p = Promise.reject(new Error('late')); p.catch(() => { globalThis.caught = 1; });"));
  /* Rejected in one reaction, handled by a later reaction of the same microtask run. */
  assert_ok(vh_engine_post(e, eval_task,
                    "Promise.resolve()"
                    "  .then(() => { globalThis.q = Promise.reject(new Error('later')); })"
                    "  .then(() => { q.catch(() => { globalThis.caught++; }); });"));
  /* Rejected and handled with await. */
  assert_ok(vh_engine_post(e, eval_task,
                    "(async () => { try { await Promise.reject(new Error('awaited')); }"
                    "               catch (e) { globalThis.caught++; } })();"));
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, NULL));
  assert_int_equal(events.count, 0);
  vh_scope s;
  int32_t caught = 0;
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_value_int32(eval_ok(e, "caught"), &caught));
  assert_int_equal(caught, 3);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
}

/* vh_runtime_run_microtasks reports unhandled rejections too (outside any loop run). */
static void test_run_microtasks_reports(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  error_setup(&rt, &e);
  assert_ok(vh_scope_open(e, &s));
  eval_ok(e, "globalThis.p = Promise.resolve().then(() => { throw new Error('from a microtask'); });"
             "Promise.reject(new Error('handled')).catch(() => {}); 0");
  assert_int_equal(events.count, 0); /* reactions wait for the host */
  assert_ok(vh_runtime_run_microtasks(rt));
  assert_int_equal(events.count, 1);
  assert_int_equal(events.event[0], VH_ERROR_EVENT_UNHANDLED_REJECTION);
  assert_non_null(strstr(events.message[0], "from a microtask"));
  /* A handler attached after the report does not make it reported again, nor unreported. */
  eval_ok(e, "p.catch(() => {}); 0");
  assert_ok(vh_runtime_run_microtasks(rt));
  assert_int_equal(events.count, 1);
  assert_ok(vh_scope_close(s));
  /* Without a scope (the call takes the lock). */
  assert_ok(vh_engine_post(e, eval_task, "Promise.reject(new Error('second'))"));
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, NULL));
  assert_int_equal(events.count, 2);
  assert_non_null(strstr(events.message[1], "second"));
  assert_ok(vh_runtime_dispose(rt));
}

static void test_error_handler_args(void **state) {
  (void)state;
  vh_runtime rt;
  assert_status(VH_EINVAL, vh_runtime_set_error_handler((vh_runtime){0}, NULL, NULL));
  assert_ok(vh_runtime_new(NULL, &rt));
  assert_ok(vh_runtime_set_error_handler(rt, record_error, NULL));
  assert_ok(vh_runtime_set_error_handler(rt, NULL, NULL)); /* back to stderr */
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_runtime_set_error_handler(rt, record_error, NULL));
}

/* ---- a worker keeps its runtime between tasks and lends it ----------------------------------- */

/* A worker's thread keeps its runtime's lock from one task to the next; a thread that needs the
 * runtime wakes it and gets it within one wake-up of the worker's thread. The bound below is far
 * above that (tens of microseconds, a few milliseconds on a loaded machine) and far below a
 * failure: a worker that did not lend would hold the runtime for ever. */
#define LEND_BOUND_MS 100.0

static double now_ms(void) { return (double)uv_hrtime() / 1e6; }

static void nop_task(vh_engine e, int status, void *data) {
  (void)e;
  (void)status;
  (void)data;
}

static int define_n(vh_engine e, void *data) {
  (void)data;
  return vh_eval(e, "globalThis.n = 0", VH_AUTO_LENGTH, NULL, NULL);
}

/* Idle in its loop right after a task (holding its runtime), the worker lends it: to a scope
 * opened from this thread and to a call that takes the lock for its duration, every time. */
static void test_worker_lends_idle_runtime(void **state) {
  (void)state;
  vh_worker w;
  vh_engine e;
  assert_ok(vh_worker_start(NULL, define_n, NULL, &w, &e));
  vh_runtime rt = runtime_of(e);
  double worst_scope = 0, worst_call = 0;
  for (int i = 1; i <= 200; i++) {
    assert_ok(vh_engine_post_and_wait(e, nop_task, NULL)); /* the worker's thread keeps the runtime */
    double t0 = now_ms();
    vh_scope s;
    assert_ok(vh_scope_open(e, &s));
    double dt = now_ms() - t0;
    if (dt > worst_scope) worst_scope = dt;
    int32_t n = 0;
    assert_ok(vh_value_int32(eval_ok(e, "++n"), &n));
    assert_int_equal(n, i);
    assert_ok(vh_scope_close(s));

    assert_ok(vh_engine_post_and_wait(e, nop_task, NULL));
    vh_loop_stats st;
    t0 = now_ms();
    assert_ok(vh_runtime_loop_stats(rt, &st)); /* takes the lock without a scope */
    dt = now_ms() - t0;
    if (dt > worst_call) worst_call = dt;
  }
  print_message("worst wait: scope %.3f ms, lock-taking call %.3f ms\n", worst_scope, worst_call);
  assert_true(worst_scope < LEND_BOUND_MS);
  assert_true(worst_call < LEND_BOUND_MS);
  /* Without a scope, a call on the idle worker's engine says so (nobody uses the runtime). */
  vh_value v;
  assert_status(VH_ENOSCOPE, vh_new_int32(e, 1, &v));
  assert_ok(vh_worker_stop(w));
}

static void count_task(vh_engine e, int status, void *data) {
  (void)data;
  if (status == VH_OK) vh_eval(e, "++n", VH_AUTO_LENGTH, NULL, NULL);
}

typedef struct lend_poster {
  vh_engine e;
  int posts;
  int failed;
} lend_poster;

static void post_counted(void *arg) {
  lend_poster *p = arg;
  for (int i = 0; i < p->posts; i++)
    if (vh_engine_post(p->e, count_task, NULL) != VH_OK) p->failed++;
}

static void read_n(vh_engine e, int status, void *data) {
  vh_value v;
  if (status == VH_OK && vh_eval(e, "n", VH_AUTO_LENGTH, NULL, &v) == VH_OK) vh_value_int32(v, data);
}

/* While another thread keeps the worker busy with tasks, scopes opened from here get the
 * runtime at a task boundary, every time, and every task still runs once. */
static void test_worker_lends_between_tasks(void **state) {
  (void)state;
  vh_worker w;
  vh_engine e;
  assert_ok(vh_worker_start(NULL, define_n, NULL, &w, &e));
  lend_poster p = {e, 20000, 0};
  uv_thread_t poster_thread;
  assert_int_equal(uv_thread_create(&poster_thread, post_counted, &p), 0);
  double worst = 0;
  int mine = 0;
  for (int i = 0; i < 200; i++) {
    double t0 = now_ms();
    vh_scope s;
    assert_ok(vh_scope_open(e, &s));
    double dt = now_ms() - t0;
    if (dt > worst) worst = dt;
    eval_ok(e, "++n");
    mine++;
    assert_ok(vh_scope_close(s));
    uv_sleep(0);
  }
  assert_int_equal(uv_thread_join(&poster_thread), 0);
  assert_int_equal(p.failed, 0);
  int32_t n = -1;
  assert_ok(vh_engine_post_and_wait(e, read_n, &n));
  assert_int_equal(n, p.posts + mine);
  print_message("worst wait for a scope while tasks run: %.3f ms\n", worst);
  assert_true(worst < LEND_BOUND_MS);
  assert_ok(vh_worker_stop(w));
}

static int install_timers(vh_engine e, void *data) {
  (void)data;
  return vh_engine_install_builtins(e, VH_BUILTIN_TIMERS);
}

static void eval_data_task(vh_engine e, int status, void *data) {
  if (status == VH_OK) vh_eval(e, data, VH_AUTO_LENGTH, NULL, NULL);
}

/* Issue 12 on a worker: setTimeout / clearTimeout / setInterval / clearInterval called on the
 * worker's own thread (in a task, in timer callbacks) start and stop their timers in place,
 * with no trip through the cross-thread queue: the only tasks queued are the host's own. */
static void test_worker_timers_not_posted(void **state) {
  (void)state;
  vh_worker w;
  vh_engine e;
  assert_ok(vh_worker_start(NULL, install_timers, NULL, &w, &e));
  vh_runtime rt = runtime_of(e);
  vh_loop_stats before, after;
  assert_ok(vh_runtime_loop_stats(rt, &before));
  assert_ok(vh_engine_post_and_wait(e, eval_data_task, TIMERS_TO_FOUR_JS));
  uint64_t mine = 1;
  int32_t n = 0;
  for (int i = 0; i < 500 && n != 4; i++) {
    uv_sleep(2);
    assert_ok(vh_engine_post_and_wait(e, read_n, &n));
    mine++;
  }
  assert_int_equal(n, 4);
  assert_ok(vh_runtime_loop_stats(rt, &after));
  assert_int_equal(after.tasks_posted - before.tasks_posted, mine);
  assert_ok(vh_worker_stop(w));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_many_threads_post),
      cmocka_unit_test(test_post_and_wait_other_thread),
      cmocka_unit_test(test_worker_runtime_shared_between_tasks),
      cmocka_unit_test(test_post_and_wait_inline),
      cmocka_unit_test(test_post_and_wait_inside_task),
      cmocka_unit_test(test_post_disposed),
      cmocka_unit_test(test_queued_at_disposal),
      cmocka_unit_test(test_task_leaving_scope_open),
      cmocka_unit_test(test_post_and_wait_cancelled),
      cmocka_unit_test(test_dispose_while_posting),
      cmocka_unit_test(test_worker_stop_while_posting),
      cmocka_unit_test(test_task_values_die),
      cmocka_unit_test(test_run_modes),
      cmocka_unit_test(test_run_default_runs_reposted),
      cmocka_unit_test(test_run_busy),
      cmocka_unit_test(test_run_worker_busy),
      cmocka_unit_test(test_runtime_loop),
      cmocka_unit_test(test_host_loop),
      cmocka_unit_test(test_host_loop_on_host_thread),
      cmocka_unit_test(test_worker_init_fails),
      cmocka_unit_test(test_worker_init_runs_on_worker),
      cmocka_unit_test(test_worker_stop_runs_posted),
      cmocka_unit_test(test_worker_stop_misuse),
      cmocka_unit_test(test_error_uncaught_exception),
      cmocka_unit_test(test_error_handler_on_worker),
      cmocka_unit_test(test_error_unhandled_rejection),
      cmocka_unit_test(test_error_handled_rejection_not_reported),
      cmocka_unit_test(test_run_microtasks_reports),
      cmocka_unit_test(test_error_handler_args),
      cmocka_unit_test(test_worker_lends_idle_runtime),
      cmocka_unit_test(test_worker_lends_between_tasks),
      cmocka_unit_test(test_worker_timers_not_posted),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
