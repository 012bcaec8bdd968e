/* Stress: 8 threads, 4 runtimes, every runtime driven by 2 of the threads taking turns through
 * scopes. The runtimes share SharedArrayBuffers (passed with vh_pass: VH_PASS_KIND_SHARED) and each
 * holds proxies of an object of every other runtime (VH_PASS_KIND_PROXY, both ways round the ring).
 * Each thread does a fixed number of rounds; a round, in one scope on its runtime, does
 *   - Atomics.add on shared counters of all four buffers (one counter all threads hit, one of its
 *     own), from whichever runtime the thread drives;
 *   - two calls through proxies, into the runtime after its own (+1) and the one before it (+2),
 *     which increment a plain counter there;
 *   - a call that returns a fresh object of the next runtime, read through its new proxy (and, now
 *     and then between turns, a garbage collection that lets those proxies die and their objects
 *     be released across runtimes).
 * The proxy calls make every runtime wait for its neighbours while they wait for theirs: a ring of
 * waits that deadlocks unless proxy operations let go of their own runtime while they wait
 * (threading.md). At the end every counter must add up exactly (nothing lost, nothing twice) and
 * every thread must have finished: a watchdog fails the test after 50 s instead of letting it hang. */
#include "test_util.h"

#include <sched.h>
#include <unistd.h>
#include <uv.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define VH_UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define VH_UNDER_SANITIZER 1
#endif
#endif
#ifdef VH_UNDER_SANITIZER
#define ROUNDS 10000
#else
#define ROUNDS 30000
#endif

#define GC_EVERY 2000
#define RUNTIMES 4
#define THREADS 8
#define WATCHDOG_SECONDS 50

typedef struct stress {
  vh_runtime rt[RUNTIMES];
  vh_engine e[RUNTIMES];
  uv_mutex_t mu;
  uv_cond_t cv;
  int finished; /* under mu */
  uv_barrier_t go; /* all eight start together */
} stress;

typedef struct worker {
  stress *st;
  int index;        /* 0..7 */
  int runtime;      /* index / 2 */
  int rounds_done;  /* read by the watchdog's report only after a timeout */
  int failures;
  int first_rc;
  char first_error[256];
  double seconds;
} worker;

/* The per-runtime setup script: the counter object the other runtimes call into. */
static const char kSetup[] =
    "globalThis.api = { count: 0, calls: 0, made: 0,"
    " inc(k) { this.calls++; this.count += k; return this.count },"
    " make(k) { this.made++; return { v: k } } };"
    "globalThis.views = []; globalThis.peers = []; api";

static vh_value run(vh_engine e, const char *src) { return eval_named(e, src, "stress.js"); }

/* On the main thread, holding all four runtimes: the buffers and the proxies. */
static void link_runtimes(stress *st) {
  vh_scope s[RUNTIMES];
  vh_value api[RUNTIMES], sab[RUNTIMES];
  for (int i = 0; i < RUNTIMES; i++) assert_ok(vh_scope_open(st->e[i], &s[i]));
  for (int i = 0; i < RUNTIMES; i++) {
    api[i] = run(st->e[i], kSetup);
    /* slot 0: hit by every thread; slots 1..8: one per thread */
    sab[i] = run(st->e[i], "new SharedArrayBuffer(4 * 9)");
  }
  for (int i = 0; i < RUNTIMES; i++) {
    vh_value views, peers, global;
    assert_ok(vh_engine_global(st->e[i], &global));
    assert_ok(vh_get(st->e[i], global, "views", &views));
    assert_ok(vh_get(st->e[i], global, "peers", &peers));
    for (int j = 0; j < RUNTIMES; j++) {
      vh_value passed;
      vh_pass_kind how = 0;
      /* Buffer j as runtime i sees it: itself at home, the same memory elsewhere. */
      assert_ok(vh_pass(st->e[i], sab[j], &passed, &how));
      assert_int_equal(how, i == j ? VH_PASS_KIND_DIRECT : VH_PASS_KIND_SHARED);
      assert_ok(vh_set_index(st->e[i], views, (uint32_t)j, passed));
      if (i == j) continue;
      assert_ok(vh_pass(st->e[i], api[j], &passed, &how));
      assert_int_equal(how, VH_PASS_KIND_PROXY);
      assert_ok(vh_set_index(st->e[i], peers, (uint32_t)j, passed));
    }
    run(st->e[i], "views = views.map(b => new Int32Array(b)); 0");
  }
  for (int i = RUNTIMES - 1; i >= 0; i--) assert_ok(vh_scope_close(s[i]));
}

static void note_failure(worker *w, int rc) {
  if (w->failures++ > 0) return;
  w->first_rc = rc;
  snprintf(w->first_error, sizeof w->first_error, "%s", vh_err_name(rc));
  if (rc == VH_EEXCEPTION) {
    vh_exception x;
    if (vh_exception_take(w->st->e[w->runtime], &x) == VH_OK) {
      snprintf(w->first_error, sizeof w->first_error, "%s", x.message);
      vh_exception_free(&x);
    }
  }
}

static void worker_main(void *arg) {
  worker *w = arg;
  stress *st = w->st;
  vh_engine e = st->e[w->runtime];
  char src[512];
  uint64_t t0;
  int next = (w->runtime + 1) % RUNTIMES, prev = (w->runtime + RUNTIMES - 1) % RUNTIMES;
  snprintf(src, sizeof src,
           "for (let j = 0; j < 4; j++) { Atomics.add(views[j], 0, 1); Atomics.add(views[j], %d, 1) }"
           " peers[%d].inc(1); peers[%d].inc(2);"
           " if (peers[%d].make(%d).v !== %d) throw new Error('wrong value through a fresh proxy'); 0",
           1 + w->index, next, prev, next, w->index, w->index);
  uv_barrier_wait(&st->go);
  t0 = uv_hrtime();
  for (int i = 0, batch = 1; i < ROUNDS; batch = batch % 3 + 1) {
    vh_scope s;
    int rc = vh_scope_open(e, &s); /* takes turns with the runtime's other thread */
    if (rc != VH_OK) {
      note_failure(w, rc);
      i++;
      continue;
    }
    /* One to three rounds per turn, yielding the CPU in between while holding the runtime, so
     * that proxy calls into it from the neighbours find it busy and have to wait. */
    for (int k = 0; k < batch && i < ROUNDS; k++, i++) {
      if (k > 0) sched_yield();
      rc = vh_eval(e, src, VH_AUTO_LENGTH, "round.js", NULL);
      if (rc != VH_OK) {
        note_failure(w, rc);
        vh_exception_discard(e);
      }
      w->rounds_done = i + 1;
    }
    rc = vh_scope_close(s);
    if (rc != VH_OK) note_failure(w, rc);
    /* Now and then, between turns: collect this runtime, so that the proxies made by make() die
     * here and their objects are released in the neighbour's runtime by whichever thread holds
     * it next. */
    if (i % GC_EVERY < 3 && (rc = vh_runtime_gc(st->rt[w->runtime])) != VH_OK) note_failure(w, rc);
  }
  w->seconds = (double)(uv_hrtime() - t0) / 1e9;
  uv_mutex_lock(&st->mu);
  st->finished++;
  uv_cond_signal(&st->cv);
  uv_mutex_unlock(&st->mu);
}

static int32_t int_of(vh_engine e, const char *src) {
  int32_t n = INT32_MIN;
  assert_ok(vh_value_int32(run(e, src), &n));
  return n;
}

static void test_ring_of_runtimes(void **state) {
  (void)state;
  static stress st;
  static worker w[THREADS];
  uv_thread_t t[THREADS];
  vh_runtime_options o;
  uint64_t start;
  int finished;
  memset(&st, 0, sizeof st);
  assert_ok(vh_runtime_options_init(&o));
  /* Proxy operations wait as long as it takes: a wait that never ends is a deadlock, and the
   * watchdog reports it; a time-out would only turn it into a miscount. */
  o.proxy_wait_ms = UINT64_MAX;
  for (int i = 0; i < RUNTIMES; i++) {
    open_runtime(&o, &st.rt[i], &st.e[i], NULL);
  }
  link_runtimes(&st);
  assert_int_equal(uv_mutex_init(&st.mu), 0);
  assert_int_equal(uv_cond_init(&st.cv), 0);
  assert_int_equal(uv_barrier_init(&st.go, THREADS), 0);

  start = uv_hrtime();
  for (int i = 0; i < THREADS; i++) {
    memset(&w[i], 0, sizeof w[i]);
    w[i].st = &st;
    w[i].index = i;
    w[i].runtime = i / 2;
    assert_int_equal(uv_thread_create(&t[i], worker_main, &w[i]), 0);
  }
  /* The watchdog: all eight must finish within 50 s. */
  uint64_t deadline = uv_hrtime() + (uint64_t)WATCHDOG_SECONDS * 1000000000u;
  uv_mutex_lock(&st.mu);
  while (st.finished < THREADS) {
    uint64_t now = uv_hrtime();
    if (now >= deadline || uv_cond_timedwait(&st.cv, &st.mu, deadline - now) == UV_ETIMEDOUT) break;
  }
  finished = st.finished;
  uv_mutex_unlock(&st.mu);
  if (finished < THREADS) {
    /* Deadlocked (or starved): the threads cannot be joined, and exiting normally could block on
     * the runtimes they hold. Report and leave at once. */
    print_error("watchdog: only %d of %d threads finished within %d s\n", finished, THREADS,
                WATCHDOG_SECONDS);
    for (int i = 0; i < THREADS; i++)
      print_error("  thread %d (runtime %d): %d of %d rounds\n", i, w[i].runtime, w[i].rounds_done, ROUNDS);
    fflush(stdout);
    fflush(stderr);
    _exit(1);
  }
  for (int i = 0; i < THREADS; i++) assert_int_equal(uv_thread_join(&t[i]), 0);
  double seconds = (double)(uv_hrtime() - start) / 1e9;
  for (int i = 0; i < THREADS; i++) {
    if (w[i].failures) print_error("thread %d: %d failures, first: %s\n", i, w[i].failures, w[i].first_error);
    assert_int_equal(w[i].failures, 0);
    assert_int_equal(w[i].rounds_done, ROUNDS);
  }
  double slowest = 0;
  for (int i = 0; i < THREADS; i++) slowest = w[i].seconds > slowest ? w[i].seconds : slowest;
  print_message("  %d threads x %d rounds on %d runtimes in %.2f s (slowest thread %.2f s)\n", THREADS,
                ROUNDS, RUNTIMES, seconds, slowest);

  /* Every counter adds up, read through every runtime's own view of each buffer. */
  vh_scope s[RUNTIMES];
  char src[160];
  for (int i = 0; i < RUNTIMES; i++) assert_ok(vh_scope_open(st.e[i], &s[i]));
  for (int i = 0; i < RUNTIMES; i++) {
    for (int j = 0; j < RUNTIMES; j++) {
      snprintf(src, sizeof src, "Atomics.load(views[%d], 0)", j);
      assert_int_equal(int_of(st.e[i], src), THREADS * ROUNDS * 1);
      for (int k = 0; k < THREADS; k++) {
        snprintf(src, sizeof src, "Atomics.load(views[%d], %d)", j, 1 + k);
        assert_int_equal(int_of(st.e[i], src), ROUNDS);
      }
    }
    /* Runtime i is called by the 2 threads of runtime i-1 (inc(1)) and the 2 of runtime i+1 (inc(2)). */
    assert_int_equal(int_of(st.e[i], "api.calls"), 4 * ROUNDS);
    assert_int_equal(int_of(st.e[i], "api.count"), 2 * ROUNDS * 1 + 2 * ROUNDS * 2);
    assert_int_equal(int_of(st.e[i], "api.made"), 2 * ROUNDS);
  }
  for (int i = RUNTIMES - 1; i >= 0; i--) assert_ok(vh_scope_close(s[i]));
  for (int i = 0; i < RUNTIMES; i++) assert_ok(vh_runtime_dispose(st.rt[i]));
  uv_barrier_destroy(&st.go);
  uv_cond_destroy(&st.cv);
  uv_mutex_destroy(&st.mu);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ring_of_runtimes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
