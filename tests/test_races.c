/* Hostile timing: disposal racing a garbage collection that releases proxies, interrupts racing
 * disposal, cycles of three runtimes through proxies on three threads, stops that must reach
 * the runtime a proxy call runs in, and workers that stop or wait for each other. Every wait
 * either completes or fails with its documented code; nothing hangs (a hang fails the test
 * through hang_guard() instead of stalling the suite). Also run under ThreadSanitizer
 * (scripts/tsan.sh). */
#include "test_util.h"

#include <signal.h>
#include <unistd.h>
#include <uv.h>

/* A hang is the failure these tests look for: after `seconds`, the process ends with a message
 * (a deadlocked thread cannot be unwound). */
static void on_hang(int sig) {
  (void)sig;
  static const char msg[] = "test_races: deadlock: a wait did not end\n";
  if (write(2, msg, sizeof msg - 1) < 0) _exit(3);
  _exit(3);
}
static void hang_guard(unsigned seconds) {
  signal(SIGALRM, on_hang);
  alarm(seconds);
}

/* The number of rounds of a race: fewer with VH_RACES_QUICK set (scripts/tsan.sh: under
 * ThreadSanitizer each round is ten times slower, and what it looks for needs no sweep). */
static int rounds(int n) { return getenv("VH_RACES_QUICK") ? (n + 3) / 4 : n; }

/* The message of the pending exception (or the code's name), for failure reports. */
static void describe(vh_engine e, int rc, char *buf, size_t size) {
  vh_exception x;
  snprintf(buf, size, "%s", vh_err_name(rc));
  if (rc == VH_EEXCEPTION && vh_exception_take(e, &x) == VH_OK) {
    snprintf(buf, size, "%s", x.message);
    vh_exception_free(&x);
  }
  vh_exception_discard(e);
}

/* Gives `to` a global `name`: a proxy of what `src` evaluates to in `from`. Main thread. */
static void give_proxy(rt_engine *from, const char *src, rt_engine *to, const char *name) {
  vh_scope sf, st;
  vh_value v, p;
  assert_ok(vh_scope_open(from->e, &sf));
  assert_ok(vh_scope_open(to->e, &st));
  assert_ok(vh_eval(from->e, src, VH_AUTO_LENGTH, "give.js", &v));
  assert_ok(vh_pass(to->e, v, &p, NULL));
  assert_ok(set_global(to->e, name, p));
  assert_ok(vh_scope_close(st));
  assert_ok(vh_scope_close(sf));
}

/* ---- §2: disposal racing the release of proxies ------------------------------------------------ */

/* Two runtimes s and d, with an array of 20000 of s's objects passed to d as its global `arr`
 * (one proxy: its elements become proxies as d reads them); then d runs d_script. */
static void pass_objects(rt_engine *s, rt_engine *d, const char *d_script) {
  vh_scope ss, sd;
  vh_value objs, proxies;
  rt_engine_new(s, 0);
  rt_engine_new(d, 0);
  assert_ok(vh_scope_open(s->e, &ss));
  assert_ok(vh_scope_open(d->e, &sd));
  assert_ok(vh_eval(s->e, "Array.from({length: 20000}, (_, i) => ({i}))", VH_AUTO_LENGTH, "s.js", &objs));
  assert_ok(vh_pass(d->e, objs, &proxies, NULL));
  assert_ok(set_global(d->e, "arr", proxies));
  assert_ok(vh_eval(d->e, d_script, VH_AUTO_LENGTH, "d.js", NULL));
  assert_ok(vh_scope_close(sd));
  assert_ok(vh_scope_close(ss));
}

/* What the other thread does to d's runtime while this one disposes s's. */
typedef struct other_side {
  vh_runtime rt;
  int (*act)(vh_runtime);
  uv_barrier_t *go;
  unsigned delay_us;
  int rc;
} other_side;

static void other_side_main(void *arg) {
  other_side *o = arg;
  uv_barrier_wait(o->go);
  if (o->delay_us) usleep(o->delay_us);
  o->rc = o->act(o->rt);
}

/* act(d) on another thread while this thread disposes s, both let go at once; the other thread
 * (delay_other) or this one waits shift_us first. Both must return VH_OK. */
static void race_dispose(vh_runtime s, vh_runtime d, int (*act)(vh_runtime), unsigned shift_us, bool delay_other) {
  uv_barrier_t go;
  uv_thread_t t;
  other_side o = {d, act, &go, delay_other ? shift_us : 0, -1};
  assert_int_equal(uv_barrier_init(&go, 2), 0);
  assert_int_equal(uv_thread_create(&t, other_side_main, &o), 0);
  uv_barrier_wait(&go);
  if (!delay_other) usleep(shift_us);
  int rc = vh_runtime_dispose(s);
  assert_int_equal(uv_thread_join(&t), 0);
  uv_barrier_destroy(&go);
  assert_ok(rc);
  assert_ok(o.rc);
}

/* The destination's GC collects thousands of proxies (each releasing its record towards the
 * source) on one thread while the source is disposed on another: no record is freed while the
 * other side still reads it, and no thread resets the other isolate's handles (ASan: no
 * use-after-free; no crash). */
static void test_dispose_source_while_dest_collects(void **state) {
  (void)state;
  for (int round = 0; round < rounds(40); round++) {
    rt_engine s, d;
    pass_objects(&s, &d, "let n = 0; for (let k = 0; k < arr.length; k++) n += arr[k].i; arr = null; n");
    /* Where the two overlap depends on the machine: each round shifts one side by a different
     * amount (0 to 13 ms), so that some round has the GC's weak callbacks running while the
     * disposal goes through the records. The GC may hold D's lock; disposing S never needs it. */
    race_dispose(s.rt, d.rt, vh_runtime_gc, (unsigned)(round / 2) * 700u, round % 2);
    assert_ok(vh_runtime_gc(d.rt));
    assert_ok(vh_runtime_dispose(d.rt));
  }
}

/* The mirror image: the destination is disposed (releasing its proxies' records towards the
 * source) while the source is disposed on another thread. */
static void test_dispose_both_sides_at_once(void **state) {
  (void)state;
  for (int round = 0; round < rounds(30); round++) {
    rt_engine s, d;
    pass_objects(&s, &d, "globalThis.kept = Array.from(arr)");
    /* The two disposals take about as long: shift one by 0 to 7 ms, either way, so that some
     * round has D releasing its records while S goes through them. */
    race_dispose(s.rt, d.rt, vh_runtime_dispose, (unsigned)(round / 2) * 500u, round % 2);
  }
}

/* ---- §2: interrupts requested while the runtime is disposed ----------------------------------- */

static void never_runs(vh_runtime rt, void *data) {
  (void)rt;
  (void)data;
}

typedef struct interrupter {
  vh_runtime rt;
  uv_barrier_t *go;
  int accepted;
} interrupter;

static void interrupter_main(void *arg) {
  interrupter *it = arg;
  uv_barrier_wait(it->go);
  for (;;) {
    int rc = vh_runtime_interrupt(it->rt, never_runs, NULL);
    if (rc == VH_EDISPOSED) break;
    if (rc != VH_OK) abort();
    it->accepted++;
    (void)vh_runtime_terminate(it->rt);
  }
}

/* Requests accepted while the runtime is being disposed are freed with it (LeakSanitizer finds
 * the ones that were not, under the sanitizer build); every call returns VH_OK or VH_EDISPOSED. */
static void test_interrupt_during_dispose(void **state) {
  (void)state;
  for (int round = 0; round < rounds(40); round++) {
    rt_engine r;
    uv_barrier_t go;
    uv_thread_t t;
    rt_engine_new(&r, 0);
    interrupter it = {r.rt, &go, 0};
    assert_int_equal(uv_barrier_init(&go, 2), 0);
    assert_int_equal(uv_thread_create(&t, interrupter_main, &it), 0);
    uv_barrier_wait(&go);
    assert_ok(vh_runtime_dispose(r.rt));
    assert_int_equal(uv_thread_join(&t), 0);
    uv_barrier_destroy(&go);
  }
}

/* ---- §5: cycles of runtimes, one thread each -------------------------------------------------- */

typedef struct ring_thread {
  vh_engine e;
  int iterations;
  int ok, timed_out, other_errors, rc_open;
  char first_error[256];
  uv_barrier_t *all_hold;
} ring_thread;

static void ring_main(void *arg) {
  ring_thread *r = arg;
  vh_scope s;
  r->rc_open = vh_scope_open(r->e, &s);
  uv_barrier_wait(r->all_hold);
  if (r->rc_open != VH_OK) return;
  for (int i = 0; i < r->iterations; i++) {
    int rc = vh_eval(r->e, "next.hop()", VH_AUTO_LENGTH, "ring.js", NULL);
    if (rc == VH_OK) {
      r->ok++;
      continue;
    }
    char msg[256];
    describe(r->e, rc, msg, sizeof msg);
    if (strstr(msg, "VH_ETIMEDOUT")) {
      r->timed_out++;
      continue;
    }
    if (r->other_errors++ == 0) snprintf(r->first_error, sizeof r->first_error, "%s", msg);
  }
  vh_scope_close(s);
}

/* n runtimes in a ring: runtime i's hop() calls work() of runtime i+1 through a proxy, whose
 * work() calls back into runtime i+2's count(). Each of n threads holds its runtime and calls
 * next.hop(): every thread needs three runtimes, each held by another thread. With a short
 * proxy_wait_ms every call completes or throws VH_ETIMEDOUT; the run always ends. */
static void run_ring(int n, int iterations) {
  rt_engine r[5];
  ring_thread th[5];
  uv_thread_t t[5];
  uv_barrier_t all_hold;
  for (int i = 0; i < n; i++) {
    rt_engine_new(&r[i], 1000);
    vh_scope s;
    assert_ok(vh_scope_open(r[i].e, &s));
    assert_ok(vh_eval(r[i].e,
                      "globalThis.n = 0; globalThis.api = { hop() { return next.work() },"
                      " work() { return next.count() }, count() { return ++n } }",
                      VH_AUTO_LENGTH, "ring.js", NULL));
    assert_ok(vh_scope_close(s));
  }
  for (int i = 0; i < n; i++) give_proxy(&r[(i + 1) % n], "api", &r[i], "next");
  hang_guard(100);
  assert_int_equal(uv_barrier_init(&all_hold, (unsigned)n), 0);
  for (int i = 0; i < n; i++) {
    memset(&th[i], 0, sizeof th[i]);
    th[i].e = r[i].e;
    th[i].iterations = iterations;
    th[i].all_hold = &all_hold;
    assert_int_equal(uv_thread_create(&t[i], ring_main, &th[i]), 0);
  }
  int ok = 0, timed_out = 0;
  for (int i = 0; i < n; i++) {
    assert_int_equal(uv_thread_join(&t[i]), 0);
    ok += th[i].ok;
    timed_out += th[i].timed_out;
  }
  alarm(0);
  uv_barrier_destroy(&all_hold);
  print_message("  ring of %d: %d calls completed, %d timed out\n", n, ok, timed_out);
  for (int i = 0; i < n; i++) {
    assert_ok(th[i].rc_open);
    if (th[i].other_errors) fail_msg("thread %d: %d unexpected failures, first: %s", i, th[i].other_errors, th[i].first_error);
  }
  assert_int_equal(ok + timed_out, n * iterations);
  assert_true(ok > 0);
  for (int i = 0; i < n; i++) assert_ok(vh_runtime_dispose(r[i].rt));
}

static void test_ring_of_three(void **state) {
  (void)state;
  run_ring(3, rounds(300));
}

static void test_ring_of_five(void **state) {
  (void)state;
  run_ring(5, rounds(100));
}

/* ---- §3: a stop of the destination stops the source's script it waits on --------------------- */

static void stop_through_proxy(const char *call, bool by_deadline) {
  rt_engine s, d;
  rt_engine_new(&s, 0);
  rt_engine_new(&d, 0);
  give_proxy(&s,
             "({ spin() { for (;;) {} },"
             "   block() { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 'woke' } })",
             &d, "src");
  hang_guard(60);
  vh_scope sd;
  uv_thread_t t;
  terminator st = {d.rt, 200, 0};
  assert_ok(vh_scope_open(d.e, &sd));
  if (by_deadline)
    assert_ok(vh_runtime_set_deadline(d.rt, 200));
  else
    assert_int_equal(uv_thread_create(&t, terminate_after, &st), 0);
  int rc = vh_eval(d.e, call, VH_AUTO_LENGTH, "d.js", NULL);
  if (!by_deadline) assert_int_equal(uv_thread_join(&t), 0);
  alarm(0);
  if (rc != (by_deadline ? VH_ETIMEDOUT : VH_ETERMINATED)) {
    char msg[256];
    describe(d.e, rc, msg, sizeof msg);
    fail_msg("%s returned %s", call, msg);
  }
  /* Both runtimes work afterwards. */
  assert_eval_string(d.e, "'d' + 1", "d1");
  vh_scope ss;
  assert_ok(vh_scope_open(s.e, &ss));
  assert_eval_string(s.e, "'s' + 2", "s2");
  assert_ok(vh_scope_close(ss));
  assert_eval_string(d.e, "typeof src.spin", "function");
  assert_ok(vh_scope_close(sd));
  assert_ok(vh_runtime_dispose(d.rt));
  assert_ok(vh_runtime_dispose(s.rt));
}

static void test_deadline_stops_source_loop(void **state) {
  (void)state;
  stop_through_proxy("src.spin()", true);
}
static void test_terminate_stops_source_loop(void **state) {
  (void)state;
  stop_through_proxy("try { src.spin() } catch (e) {} for (;;) {}", false);
}
static void test_deadline_stops_source_atomics_wait(void **state) {
  (void)state;
  stop_through_proxy("src.block()", true);
}

/* ---- §4: workers that stop or wait for each other --------------------------------------------- */

typedef struct pair_ctl {
  vh_worker w[2];
  vh_engine e[2];
  uv_barrier_t both;
  int rc[2];
  int done; /* under mu */
  uv_mutex_t mu;
  uv_cond_t cv;
} pair_ctl;

typedef struct pair_arg {
  pair_ctl *ctl;
  int me;
} pair_arg;

static void pair_done(pair_ctl *c) {
  uv_mutex_lock(&c->mu);
  c->done++;
  uv_cond_signal(&c->cv);
  uv_mutex_unlock(&c->mu);
}

static void pair_wait(pair_ctl *c, int n) {
  uv_mutex_lock(&c->mu);
  while (c->done < n) uv_cond_wait(&c->cv, &c->mu);
  uv_mutex_unlock(&c->mu);
}

static void pair_start(pair_ctl *c) {
  memset(c, 0, sizeof *c);
  assert_int_equal(uv_barrier_init(&c->both, 2), 0);
  assert_int_equal(uv_mutex_init(&c->mu), 0);
  assert_int_equal(uv_cond_init(&c->cv), 0);
  for (int i = 0; i < 2; i++) assert_ok(vh_worker_start(NULL, NULL, NULL, &c->w[i], &c->e[i]));
}

static void pair_end(pair_ctl *c) {
  uv_barrier_destroy(&c->both);
  uv_cond_destroy(&c->cv);
  uv_mutex_destroy(&c->mu);
}

/* Posts task to each worker of c, with its pair_arg (which holds while task runs: each task
 * calls pair_done last), and waits until both called pair_done. */
static void pair_post_both(pair_ctl *c, vh_task_cb task) {
  pair_arg a[2];
  for (int i = 0; i < 2; i++) {
    a[i].ctl = c;
    a[i].me = i;
    assert_ok(vh_engine_post(c->e[i], task, &a[i]));
  }
  pair_wait(c, 2);
}

/* Each result of c is VH_OK or VH_EDEADLK, and one of them VH_EDEADLK: the cycle was found. */
static void assert_one_deadlocked(const pair_ctl *c) {
  for (int i = 0; i < 2; i++)
    if (c->rc[i] != VH_OK && c->rc[i] != VH_EDEADLK) fail_msg("worker %d: %s", i, vh_err_name(c->rc[i]));
  assert_true(c->rc[0] == VH_EDEADLK || c->rc[1] == VH_EDEADLK);
}

static void noop_task(vh_engine e, int status, void *data) {
  (void)e;
  (void)status;
  (void)data;
}

static void post_and_wait_other(vh_engine e, int status, void *data) {
  (void)e;
  pair_arg *a = data;
  if (status != VH_OK) return;
  uv_barrier_wait(&a->ctl->both);
  a->ctl->rc[a->me] = vh_engine_post_and_wait(a->ctl->e[1 - a->me], noop_task, NULL);
  pair_done(a->ctl);
}

/* Each worker's task waits for a task on the other worker: neither loop can run the other's
 * task. Each wait returns VH_OK or VH_EDEADLK (and then its task is never called). */
static void test_workers_post_and_wait_each_other(void **state) {
  (void)state;
  pair_ctl c;
  pair_start(&c);
  hang_guard(60);
  pair_post_both(&c, post_and_wait_other);
  alarm(0);
  assert_one_deadlocked(&c);
  /* Both loops still work. */
  for (int i = 0; i < 2; i++) assert_ok(vh_engine_post_and_wait(c.e[i], noop_task, NULL));
  for (int i = 0; i < 2; i++) assert_ok(vh_worker_stop(c.w[i]));
  pair_end(&c);
}

static void stop_other(vh_engine e, int status, void *data) {
  (void)e;
  pair_arg *a = data;
  if (status != VH_OK) return;
  uv_barrier_wait(&a->ctl->both);
  a->ctl->rc[a->me] = vh_worker_stop(a->ctl->w[1 - a->me]);
  pair_done(a->ctl);
}

/* Two workers stop each other from tasks: each waits for the other's thread to end, which is
 * running the task that waits. Each stop returns VH_OK or VH_EDEADLK; both workers end. */
static void test_workers_stop_each_other(void **state) {
  (void)state;
  pair_ctl c;
  pair_start(&c);
  hang_guard(60);
  pair_post_both(&c, stop_other);
  assert_one_deadlocked(&c);
  /* Both were stopped: their runtimes go away (tasks posted now are refused). */
  for (int i = 0; i < 2; i++) {
    while (vh_engine_post(c.e[i], noop_task, NULL) == VH_OK) uv_sleep(5);
    assert_status(VH_EDISPOSED, vh_worker_stop(c.w[i]));
  }
  alarm(0);
  uv_sleep(100); /* the orphaned threads free themselves as they end */
  pair_end(&c);
}

static void open_other(vh_engine e, int status, void *data) {
  (void)e;
  pair_arg *a = data;
  if (status != VH_OK) return;
  vh_scope s;
  uv_barrier_wait(&a->ctl->both);
  a->ctl->rc[a->me] = vh_scope_open(a->ctl->e[1 - a->me], &s);
  if (a->ctl->rc[a->me] == VH_OK) vh_scope_close(s);
  pair_done(a->ctl);
}

/* Two loops' tasks, each holding its runtime, open a scope on the other's: one of them is
 * refused with VH_EDEADLK (the other then gets the lock). */
static void test_loops_open_scopes_on_each_other(void **state) {
  (void)state;
  pair_ctl c;
  pair_start(&c);
  hang_guard(60);
  pair_post_both(&c, open_other);
  alarm(0);
  assert_one_deadlocked(&c);
  for (int i = 0; i < 2; i++) assert_ok(vh_worker_stop(c.w[i]));
  pair_end(&c);
}

/* Stopping a worker from a thread holding its runtime could never end (the worker needs it to
 * finish): VH_EBUSY, and the worker keeps running until stopped properly. */
static void test_stop_worker_while_holding_it(void **state) {
  (void)state;
  vh_worker w;
  vh_engine e;
  vh_scope s;
  assert_ok(vh_worker_start(NULL, NULL, NULL, &w, &e));
  hang_guard(60);
  assert_ok(vh_scope_open(e, &s));
  assert_status(VH_EBUSY, vh_worker_stop(w));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_post_and_wait(e, noop_task, NULL));
  assert_ok(vh_worker_stop(w));
  alarm(0);
}

/* ---- a worker's thread keeps its runtime between tasks and lends it --------------------------- */

static double now_ms(void) { return (double)uv_hrtime() / 1e6; }

typedef struct open_timed {
  vh_engine other;
  int rc;
  double ms;
} open_timed;

static void open_other_timed(vh_engine e, int status, void *data) {
  (void)e;
  open_timed *o = data;
  if (status != VH_OK) return;
  vh_scope s;
  double t0 = now_ms();
  o->rc = vh_scope_open(o->other, &s);
  o->ms = now_ms() - t0;
  if (o->rc == VH_OK) {
    if (vh_eval(o->other, "1", VH_AUTO_LENGTH, NULL, NULL) != VH_OK) o->rc = VH_EEXCEPTION;
    vh_scope_close(s);
  }
}

/* A task of worker 0, holding its own runtime, opens a scope on worker 1's runtime, which worker
 * 1's thread keeps while idle after a task: worker 1 lends it (no VH_EDEADLK: nothing waits in a
 * cycle), within a wake-up, every round. */
static void test_task_opens_scope_on_idle_worker(void **state) {
  (void)state;
  pair_ctl c;
  pair_start(&c);
  hang_guard(60);
  double worst = 0;
  for (int i = 0; i < rounds(200); i++) {
    assert_ok(vh_engine_post_and_wait(c.e[1], noop_task, NULL));
    open_timed o = {c.e[1], -1, 0};
    assert_ok(vh_engine_post_and_wait(c.e[0], open_other_timed, &o));
    assert_ok(o.rc);
    if (o.ms > worst) worst = o.ms;
  }
  alarm(0);
  print_message("worst wait of a task for an idle worker's runtime: %.3f ms\n", worst);
  assert_true(worst < 100.0);
  for (int i = 0; i < 2; i++) assert_ok(vh_worker_stop(c.w[i]));
  pair_end(&c);
}

typedef struct hammer {
  pair_ctl *ctl;
  int me;
  int left;
  int ok, deadlk, other;
} hammer;

/* Opens a scope on the other worker's runtime from a task, then posts itself again. */
static void hammer_task(vh_engine e, int status, void *data) {
  hammer *h = data;
  if (status != VH_OK) {
    h->other++;
    pair_done(h->ctl);
    return;
  }
  vh_scope s;
  int rc = vh_scope_open(h->ctl->e[1 - h->me], &s);
  if (rc == VH_OK) {
    h->ok++;
    vh_scope_close(s);
  } else if (rc == VH_EDEADLK) {
    h->deadlk++;
  } else {
    h->other++;
  }
  if (--h->left == 0 || vh_engine_post(e, hammer_task, h) != VH_OK) pair_done(h->ctl);
}

/* Both workers' tasks keep opening scopes on the other's runtime, while each worker keeps its
 * own between tasks: every open ends (VH_OK, or VH_EDEADLK when both tasks held their runtimes
 * at once), nothing hangs, and a thread outside still gets both runtimes promptly. */
static void test_workers_open_each_other_repeatedly(void **state) {
  (void)state;
  pair_ctl c;
  hammer h[2];
  pair_start(&c);
  hang_guard(120);
  for (int i = 0; i < 2; i++) {
    h[i] = (hammer){&c, i, rounds(2000), 0, 0, 0};
    assert_ok(vh_engine_post(c.e[i], hammer_task, &h[i]));
  }
  double worst = 0;
  for (int k = 0; k < 50; k++) {
    for (int i = 0; i < 2; i++) {
      vh_scope s;
      double t0 = now_ms();
      assert_ok(vh_scope_open(c.e[i], &s));
      double dt = now_ms() - t0;
      if (dt > worst) worst = dt;
      assert_ok(vh_scope_close(s));
    }
    uv_sleep(1);
  }
  pair_wait(&c, 2);
  alarm(0);
  for (int i = 0; i < 2; i++) {
    assert_int_equal(h[i].other, 0);
    assert_int_equal(h[i].ok + h[i].deadlk, rounds(2000));
  }
  print_message("opens: %d + %d ok, %d + %d VH_EDEADLK; worst outside wait %.3f ms\n", h[0].ok, h[1].ok,
                h[0].deadlk, h[1].deadlk, worst);
  assert_true(worst < 1000.0);
  for (int i = 0; i < 2; i++) assert_ok(vh_worker_stop(c.w[i]));
  pair_end(&c);
}

static int make_shared_object(vh_engine e, void *data) {
  (void)data;
  return vh_eval(e, "globalThis.shared = { x: 41, inc() { return ++this.x; } }", VH_AUTO_LENGTH, NULL, NULL);
}

/* A proxy in a runtime of this thread, of an object of a worker's runtime: each operation
 * waits for the worker's runtime holding nothing (proxy_wait_ms: 1 s here); the worker, idle
 * after a task, lends it at once, every time. */
static void test_proxy_into_idle_worker(void **state) {
  (void)state;
  vh_runtime_options o;
  assert_ok(vh_runtime_options_init(&o));
  o.proxy_wait_ms = 1000;
  rt_engine w_side;
  vh_worker w;
  assert_ok(vh_worker_start(&o, make_shared_object, NULL, &w, &w_side.e));
  w_side.rt = (vh_runtime){0};
  rt_engine d;
  rt_engine_new(&d, 1000);
  hang_guard(60);
  give_proxy(&w_side, "shared", &d, "p");
  double worst = 0;
  for (int i = 0; i < rounds(200); i++) {
    assert_ok(vh_engine_post_and_wait(w_side.e, noop_task, NULL));
    vh_scope s;
    vh_value v;
    int32_t n = 0;
    assert_ok(vh_scope_open(d.e, &s));
    double t0 = now_ms();
    int rc = vh_eval(d.e, "p.inc()", VH_AUTO_LENGTH, NULL, &v);
    double dt = now_ms() - t0;
    if (rc != VH_OK) {
      char why[256];
      describe(d.e, rc, why, sizeof why);
      fail_msg("round %d: %s", i, why);
    }
    assert_ok(vh_value_int32(v, &n));
    assert_int_equal(n, 42 + i);
    assert_ok(vh_scope_close(s));
    if (dt > worst) worst = dt;
  }
  alarm(0);
  print_message("worst proxy call into an idle worker: %.3f ms\n", worst);
  assert_true(worst < 100.0);
  assert_ok(vh_runtime_dispose(d.rt));
  assert_ok(vh_worker_stop(w));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dispose_source_while_dest_collects),
      cmocka_unit_test(test_dispose_both_sides_at_once),
      cmocka_unit_test(test_interrupt_during_dispose),
      cmocka_unit_test(test_ring_of_three),
      cmocka_unit_test(test_ring_of_five),
      cmocka_unit_test(test_deadline_stops_source_loop),
      cmocka_unit_test(test_terminate_stops_source_loop),
      cmocka_unit_test(test_deadline_stops_source_atomics_wait),
      cmocka_unit_test(test_workers_post_and_wait_each_other),
      cmocka_unit_test(test_workers_stop_each_other),
      cmocka_unit_test(test_loops_open_scopes_on_each_other),
      cmocka_unit_test(test_stop_worker_while_holding_it),
      cmocka_unit_test(test_task_opens_scope_on_idle_worker),
      cmocka_unit_test(test_workers_open_each_other_repeatedly),
      cmocka_unit_test(test_proxy_into_idle_worker),
  };
  /* VH_TEST_FILTER=name runs one test (for running them one by one under a sanitizer). */
  const char *filter = getenv("VH_TEST_FILTER");
  if (filter) cmocka_set_test_filter(filter);
  return cmocka_run_group_tests(tests, NULL, NULL);
}
