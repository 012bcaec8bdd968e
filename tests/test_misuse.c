/* Misuse, walked as a table: every public function, each way of misusing it, and the status code
 * docs/misuse.md says it gets. One row per (function, misuse): a small function that makes the
 * call and returns its status. The driver runs every row, checks the code, and checks that a
 * failing call left its out-parameters untouched (errors.md, "Out-parameters").
 *
 * The fixture, made once on the main thread (test_misuse_table):
 *   r1: engines e1 (scope s1 open), e1b, ep (an exception always pending); r2: engine e2 (scope s2
 *   open, inside s1); r3: engine e3, held by nobody on the main thread (no-scope rows); a private
 *   engine priv; a running worker. Handles of each kind made and then disposed. Values of r1 and
 *   r2 in s1/s2, a value whose scope has closed, and a value a host callback kept past its return.
 * Rows flagged T run on a libuv thread while the main thread holds r1, r2 and priv; that thread
 * holds r3 (scope on e3) with values of its own, so an engine call there can be handed a value of
 * the main thread. Every other row runs on the main thread.
 *
 * The rows live in one file a public header, tests/misuse/rows_NAME.inc for include/v8host/NAME.h
 * (with the helpers only those rows use); this file is the driver: the fixture, what rows of
 * several headers share, the table, the row thread and the tests.
 *
 * Every function include/v8host/NAME.h declares (VH_API, and the static inline option initialisers)
 * appears in at least one row of rows_NAME.inc, and every row there names a function of NAME.h:
 * test_every_function_covered reads the headers and checks both. No function is excluded. Cases
 * deliberately left out of the table, and why:
 *   - the calls that wait for a runtime's lock (vh_scope_open, vh_engine_new, vh_engine_dispose of
 *     an ordinary engine, vh_runtime_gc, vh_runtime_run_microtasks, vh_runtime_heap_stats,
 *     vh_ref_dispose, the runtime-global registrations, vh_class_define, the vh_runtime_set_*
 *     hooks) called while another thread holds it: waiting is their documented behaviour, not
 *     misuse, and a row would block (test_threads.c covers the wait);
 *   - vh_engine_post_and_wait from a thread while nobody runs the loop: it waits, as documented;
 *   - what docs/misuse.md lists as not detectable (pointers and lengths that lie about their
 *     memory, v8host calls from finalizers or numeric functions, concurrent disposal);
 *   - cases that ended the process or wedged a runtime before they were fixed, now tested where
 *     they belong: vh_new_array above 134,217,725 (test_values.c), a task leaving a scope open
 *     (test_loop.c), host allocations past the heap limit (test_limits.c). */
#include "test_util.h"

#include <dirent.h>
#include <limits.h>
#include <uv.h>

/* A row's own check of what the call did (not just its code) failed. Not a status code. */
#define VH_TEST_WRONG 1000

#define CHECK(cond)                         \
  do {                                      \
    if (!(cond)) return VH_TEST_WRONG;      \
  } while (0)
#define TRY_OK(call)                        \
  do {                                      \
    int try_rc_ = (call);                   \
    if (try_rc_ != VH_OK) return try_rc_ + 2000; /* a setup step failed: shows as a wrong code */ \
  } while (0)

/* ---- the fixture ------------------------------------------------------------------------------ */

typedef struct fixture {
  vh_runtime r1, r2, r3, r_term;
  vh_engine e1, e1b, ep, e2, e3, priv;
  vh_scope s1, s2, s_priv, s_closed;
  /* values of r1 (main thread, scope s1) */
  vh_value num, str, obj, fn, ctor, arrow, arr, big, date, sym, promise_pending, promise_done, ab,
      inst, lone, euro;
  /* values of r2 (main thread, scope s2) */
  vh_value num2, obj2, fn2, ab2, inst2, promise2;
  vh_value closed;  /* its scope has closed */
  vh_value cb_kept; /* a host callback's argument kept past the callback's return */
  vh_class cls1, cls2, cls_dead, cls_reserved;
  vh_deferred def1, def2, def_used, def_dead;
  vh_ref ref1, ref3, ref_deleted, ref_dead, ref_max, ref_zero;
  /* disposed: a runtime; an engine of r1; an engine of the disposed runtime; a private engine;
   * a stopped worker and its engine */
  vh_runtime rt_dead;
  vh_engine e_dead, e_dead_rt, priv_dead, worker_dead_engine;
  vh_worker worker, worker_dead;
  vh_engine worker_engine;
  /* made by the row thread, in its scope on e3 */
  vh_value t_obj, t_num;
  vh_deferred t_def;
  int cb_rc, worker_rc;
} fixture;

static fixture F;

/* Out-parameters of the rows. Filled with 0xA5 before each row: a failing call must leave them so. */
typedef struct scratch {
  vh_value v;
  vh_scope s;
  vh_runtime rt;
  vh_engine e;
  vh_ref ref;
  vh_class cls;
  vh_deferred def;
  vh_worker w;
  vh_exception ex;
  vh_heap_stats hs;
  vh_loop_stats ls;
  vh_type type;
  vh_promise_status state;
  vh_pass_kind how;
  struct uv_loop_s *loop;
  void *native;
  char *dup;
  uint8_t *cache;
  size_t len, count;
  bool b, b2;
  int32_t i32;
  uint32_t u32;
  int64_t i64;
  uint64_t u64;
  double d;
  uint64_t words[4];
  char buf[64];
  uint16_t buf16[64];
} scratch;

static scratch S;

/* Empty (zero-initialised) handles of every kind. */
static const vh_value NV;
static const vh_engine NE;
static const vh_runtime NR;
static const vh_scope NS;
static const vh_ref NREF;
static const vh_class NCLS;
static const vh_deferred NDEF;
static const vh_worker NW;

/* Handles that were never handed out: a table index far beyond any used, or a slot far beyond the
 * thread's values. */
static vh_engine made_up_engine(void) { return (vh_engine){0x00000007003fff00ull}; }
static vh_runtime made_up_runtime(void) { return (vh_runtime){0x00000007003fff00ull}; }
static vh_ref made_up_ref(void) { return (vh_ref){0x00000007003fff00ull}; }
static vh_value made_up_value(void) { return (vh_value){0x7fffffffffffull, F.num.thread_, 1u << 30}; }
static vh_scope made_up_scope(void) { return (vh_scope){0x7fffffffffffull, F.s1.thread_, 1000}; }
static vh_class made_up_class(void) { return (vh_class){0x00000007003fff00ull}; }
static vh_deferred made_up_deferred(void) { return (vh_deferred){0x00000007003fff00ull}; }
static vh_worker made_up_worker(void) { return (vh_worker){0x00000007003fff00ull}; }
/* A value naming a thread that never existed. */
static vh_value foreign_value(void) { return (vh_value){5, 0x7ffffff0u, 0}; }

static const uint64_t kWords[2] = {1, 2};
static const uint16_t kUtf16[3] = {'h', 'i', 0};
static const char *const kExports[2] = {"a", "b"};

/* ---- callbacks the rows use ------------------------------------------------------------------- */

static int noop_fn(const vh_call_info *info, vh_value *result) {
  (void)info;
  (void)result;
  return VH_OK;
}
static int keep_arg(const vh_call_info *info, vh_value *result) {
  (void)result;
  if (info->argc > 0) F.cb_kept = info->argv[0];
  return VH_OK;
}
static void noop_task(vh_engine engine, int status, void *data) {
  (void)engine;
  (void)status;
  (void)data;
}

/* ---- rows that need more than one call --------------------------------------------------------- */

static vh_runtime worker_runtime(void) {
  vh_runtime rt = {0};
  vh_engine_runtime(F.worker_engine, &rt);
  return rt;
}

/* Inside a host callback: the callback does one misuse and keeps its status in F.cb_rc. */
enum {
  CB_CLOSE_CALLER_SCOPE,
  CB_DISPOSE_OWN_RUNTIME,
  CB_DISPOSE_OWN_ENGINE,
  CB_EVAL_AFTER_THROW,
  CB_RUN_MICROTASKS_NESTED
};
static int misuse_cb(const vh_call_info *info, vh_value *result) {
  (void)result;
  int which = *(const int *)info->data;
  switch (which) {
    case CB_CLOSE_CALLER_SCOPE: F.cb_rc = vh_scope_close(F.s2); return VH_OK;
    case CB_DISPOSE_OWN_RUNTIME: F.cb_rc = vh_runtime_dispose(F.r1); return VH_OK;
    case CB_DISPOSE_OWN_ENGINE: F.cb_rc = vh_engine_dispose(info->engine); return VH_OK;
    case CB_EVAL_AFTER_THROW:
      vh_throw_error(info->engine, VH_ERROR_KIND_ERROR, "thrown");
      F.cb_rc = vh_eval(F.e1b, "1", VH_AUTO_LENGTH, NULL, NULL);
      return VH_EEXCEPTION;
    default: F.cb_rc = vh_runtime_run_microtasks(F.r1); return VH_OK;
  }
}
static int in_callback(int which) {
  static int selectors[8];
  vh_value fn;
  selectors[which] = which;
  F.cb_rc = 0x7fff;
  TRY_OK(vh_new_function(F.e1, "misuse", misuse_cb, &selectors[which], &fn));
  int rc = vh_call(F.e1, fn, NV, 1, &F.num, NULL);
  vh_exception_discard(F.e1);
  if (rc != VH_OK && rc != VH_EEXCEPTION) return rc + 2000;
  return F.cb_rc;
}

/* On the worker's own thread, through a task: one misuse, its status in F.worker_rc. */
enum { W_STOP_SELF, W_RUN_OWN_LOOP, W_POST_AND_WAIT_INLINE, W_DISPOSE_OWN_RUNTIME };
static void worker_task(vh_engine engine, int status, void *data) {
  int which = *(const int *)data;
  if (status != VH_OK) {
    F.worker_rc = status + 3000;
    return;
  }
  switch (which) {
    case W_STOP_SELF: F.worker_rc = vh_worker_stop(F.worker); break;
    case W_RUN_OWN_LOOP: F.worker_rc = vh_runtime_run(worker_runtime(), VH_RUN_MODE_NOWAIT, NULL); break;
    case W_POST_AND_WAIT_INLINE: F.worker_rc = vh_engine_post_and_wait(engine, noop_task, NULL); break;
    default: F.worker_rc = vh_runtime_dispose(worker_runtime()); break;
  }
}
static int from_worker(int which) {
  static int selectors[8];
  selectors[which] = which;
  F.worker_rc = 0x7fff;
  TRY_OK(vh_engine_post_and_wait(F.worker_engine, worker_task, &selectors[which]));
  return F.worker_rc;
}

/* Strings: what invalid UTF-8 becomes, and lone surrogates going out. */
static int utf16_equals(vh_value v, const uint16_t *want, size_t n) {
  size_t len = 0;
  TRY_OK(vh_value_string_utf16(v, S.buf16, 64, &len));
  CHECK(len == n && (n == 0 || memcmp(S.buf16, want, n * 2) == 0));
  return VH_OK;
}

/* ---- the rows ---------------------------------------------------------------------------------- */

/* Row flags. */
#define T 1u /* runs on the row thread while the main thread holds r1, r2 and priv */
#define W 2u /* writes its out-parameters although it fails (a documented exception) */

/* The engine misuses every call that names an engine gets. */
#define ENGINE_ROWS(X, fn)                                                               \
  X(fn, empty_engine, VH_EINVAL, 0, E_##fn(NE))                                          \
  X(fn, made_up_engine, VH_EDISPOSED, 0, E_##fn(made_up_engine()))                       \
  X(fn, disposed_engine, VH_EDISPOSED, 0, E_##fn(F.e_dead))                              \
  X(fn, engine_of_disposed_runtime, VH_EDISPOSED, 0, E_##fn(F.e_dead_rt))                \
  X(fn, no_scope, VH_ENOSCOPE, 0, E_##fn(F.e3))                                          \
  X(fn, engine_held_by_other_thread, VH_EWRONG_THREAD, T, E_##fn(F.e1))
/* For calls that may run script: refused while an exception is pending in the engine. */
#define PENDING_ROW(X, fn) X(fn, exception_pending, VH_EPENDING_EXCEPTION, 0, E_##fn(F.ep))

/* The value misuses every call that takes a value gets. */
#define VALUE_ROWS_MAIN(X, fn)                                                           \
  X(fn, empty_value, VH_EINVAL, 0, R_##fn(NV))                                           \
  X(fn, closed_value, VH_ESCOPE_CLOSED, 0, R_##fn(F.closed))                             \
  X(fn, value_kept_from_callback, VH_ESCOPE_CLOSED, 0, R_##fn(F.cb_kept))                \
  X(fn, made_up_value, VH_ESCOPE_CLOSED, 0, R_##fn(made_up_value()))
#define VALUE_ROWS(X, fn)                                                                \
  VALUE_ROWS_MAIN(X, fn)                                                                 \
  X(fn, value_of_other_thread, VH_EWRONG_THREAD, T, R_##fn(F.num))

/* Bytes that are no snapshot (rows of snapshot.h and pool.h). */
static const uint8_t kJunk80[80] = {'V', '8', 'H'};

/* One row file a public header: tests/misuse/rows_NAME.inc holds the rows (and their helpers) of
 * the functions include/v8host/NAME.h declares, as the macro ROWS_NAME(X). */
#include "misuse/rows_version.inc"
#include "misuse/rows_errors.inc"
#include "misuse/rows_runtime.inc"
#include "misuse/rows_scope.inc"
#include "misuse/rows_value.inc"
#include "misuse/rows_object.inc"
#include "misuse/rows_exception.inc"
#include "misuse/rows_ref.inc"
#include "misuse/rows_function.inc"
#include "misuse/rows_class.inc"
#include "misuse/rows_promise.inc"
#include "misuse/rows_marshal.inc"
#include "misuse/rows_buffer.inc"
#include "misuse/rows_diagnostics.inc"
#include "misuse/rows_copy.inc"
#include "misuse/rows_module.inc"
#include "misuse/rows_code_cache.inc"
#include "misuse/rows_loop.inc"
#include "misuse/rows_inspector.inc"
#include "misuse/rows_snapshot.inc"
#include "misuse/rows_pool.inc"

/* The row files, in the order the table runs them. */
#define ROW_FILES(EACH, X)                                                                         \
  EACH(version, X)                                                                                 \
  EACH(errors, X)                                                                                  \
  EACH(runtime, X)                                                                                 \
  EACH(scope, X)                                                                                   \
  EACH(value, X)                                                                                   \
  EACH(object, X)                                                                                  \
  EACH(exception, X)                                                                               \
  EACH(ref, X)                                                                                     \
  EACH(function, X)                                                                                \
  EACH(class, X)                                                                                   \
  EACH(promise, X)                                                                                 \
  EACH(marshal, X)                                                                                 \
  EACH(buffer, X)                                                                                  \
  EACH(diagnostics, X)                                                                             \
  EACH(copy, X)                                                                                    \
  EACH(module, X)                                                                                  \
  EACH(code_cache, X)                                                                              \
  EACH(loop, X)                                                                                    \
  EACH(inspector, X)                                                                               \
  EACH(snapshot, X)                                                                                \
  EACH(pool, X)
#define ROWS_OF(name, X) ROWS_##name(X)
#define ALL_ROWS(X) ROW_FILES(ROWS_OF, X)

/* ---- the table --------------------------------------------------------------------------------- */

#define DEFINE_ROW(fn, tag, code, flags, expr) \
  static int row_##fn##_##tag(void) { return (expr); }
ALL_ROWS(DEFINE_ROW)

typedef struct row {
  const char *fn;
  const char *misuse;
  int expected;
  unsigned flags;
  int (*call)(void);
} row;

#define TABLE_ROW(fn, tag, code, flags, expr) {#fn, #tag, code, flags, row_##fn##_##tag},
static const row kRows[] = {ALL_ROWS(TABLE_ROW)};
#define ROW_COUNT (sizeof kRows / sizeof kRows[0])

/* Every row asserts its documented code, without exceptions: the library bugs this table found
 * are fixed (the last, vh_worker_start refusing a newer options struct, included). */

typedef struct outcome {
  int rc;
  bool wrote; /* the out-parameters changed */
} outcome;

/* Main thread only: undo what earlier rows may have left (an exception pending in e1, e1b or
 * e2) and make sure ep still has its pending exception. */
static void reset_engines(void) {
  bool pending = false;
  vh_exception_discard(F.e1);
  vh_exception_discard(F.e1b);
  vh_exception_discard(F.e2);
  if (vh_exception_pending(F.ep, &pending) == VH_OK && !pending)
    vh_eval(F.ep, "throw new Error('pending')", VH_AUTO_LENGTH, "ep.js", NULL);
}

static outcome run_row(const row *r) {
  static scratch untouched;
  outcome o;
  memset(&untouched, 0xA5, sizeof untouched);
  memset(&S, 0xA5, sizeof S);
  o.rc = r->call();
  o.wrote = memcmp(&S, &untouched, sizeof S) != 0;
  return o;
}

/* Checks one outcome; prints and counts a mismatch instead of stopping at the first. */
static int judge(const row *r, outcome o) {
  if (o.rc != r->expected) {
    print_error("%s / %s%s: got %s (%d), expected %s\n", r->fn, r->misuse,
                (r->flags & T) ? " [thread]" : "", vh_err_name(o.rc), o.rc, vh_err_name(r->expected));
    return 1;
  }
  if (o.rc != VH_OK && o.wrote && !(r->flags & W)) {
    print_error("%s / %s: failed with %s but changed its out-parameters\n", r->fn, r->misuse,
                vh_err_name(o.rc));
    return 1;
  }
  return 0;
}

/* ---- the row thread ---------------------------------------------------------------------------- */

typedef struct thread_run {
  int setup_rc;
  outcome out[ROW_COUNT];
} thread_run;

static void row_thread(void *arg) {
  thread_run *tr = arg;
  vh_scope s;
  /* This thread holds r3, with values of its own; the main thread holds r1, r2 and priv. */
  tr->setup_rc = vh_scope_open(F.e3, &s);
  if (tr->setup_rc != VH_OK) return;
  if ((tr->setup_rc = vh_new_object(F.e3, &F.t_obj)) != VH_OK ||
      (tr->setup_rc = vh_new_int32(F.e3, 3, &F.t_num)) != VH_OK ||
      (tr->setup_rc = vh_new_promise(F.e3, &(vh_value){0}, &F.t_def)) != VH_OK) {
    vh_scope_close(s);
    return;
  }
  for (size_t i = 0; i < ROW_COUNT; i++)
    if (kRows[i].flags & T) tr->out[i] = run_row(&kRows[i]);
  tr->setup_rc = vh_scope_close(s);
}

/* ---- setting up and tearing down ---------------------------------------------------------------- */

static vh_value eval_in(vh_engine e, const char *src) { return eval_ok(e, src); }

static void make_dead_handles(void) {
  vh_engine e;
  vh_scope s;
  vh_value v;
  vh_class_def def;
  /* A runtime, with an engine, a class, a reference and a deferred, then disposed. */
  open_runtime(NULL, &F.rt_dead, &F.e_dead_rt, NULL);
  memset(&def, 0, sizeof def);
  def.struct_size = sizeof def;
  def.name = "Dead";
  assert_ok(vh_class_define(F.rt_dead, &def, &F.cls_dead));
  assert_ok(vh_scope_open(F.e_dead_rt, &s));
  assert_ok(vh_new_object(F.e_dead_rt, &v));
  assert_ok(vh_ref_new(v, 1, &F.ref_dead));
  assert_ok(vh_new_promise(F.e_dead_rt, &v, &F.def_dead));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(F.rt_dead));
  /* An engine of r1, disposed; a private engine, disposed; a worker, stopped. */
  assert_ok(vh_engine_new(F.r1, NULL, &F.e_dead));
  assert_ok(vh_engine_dispose(F.e_dead));
  assert_ok(vh_engine_new_private(NULL, NULL, &e));
  F.priv_dead = e;
  assert_ok(vh_engine_dispose(F.priv_dead));
  assert_ok(vh_worker_start(NULL, NULL, NULL, &F.worker_dead, &F.worker_dead_engine));
  assert_ok(vh_worker_stop(F.worker_dead));
}

static void setup_fixture(void) {
  vh_scope s;
  vh_value v, keeper;
  vh_class_def def;
  memset(&F, 0, sizeof F);
  assert_ok(vh_runtime_new(NULL, &F.r1));
  assert_ok(vh_runtime_new(NULL, &F.r2));
  assert_ok(vh_runtime_new(NULL, &F.r3));
  assert_ok(vh_runtime_new(NULL, &F.r_term));
  assert_ok(vh_engine_new(F.r1, NULL, &F.e1));
  assert_ok(vh_engine_new(F.r1, NULL, &F.e1b));
  assert_ok(vh_engine_new(F.r1, NULL, &F.ep));
  assert_ok(vh_engine_new(F.r2, NULL, &F.e2));
  assert_ok(vh_engine_new(F.r3, NULL, &F.e3));
  assert_ok(vh_engine_new_private(NULL, NULL, &F.priv));
  assert_ok(vh_worker_start(NULL, NULL, NULL, &F.worker, &F.worker_engine));
  make_dead_handles();

  memset(&def, 0, sizeof def);
  def.struct_size = sizeof def;
  def.name = "One";
  assert_ok(vh_class_define(F.r1, &def, &F.cls1));
  def.name = "undefined";
  assert_ok(vh_class_define(F.r1, &def, &F.cls_reserved));
  def.name = "Two";
  assert_ok(vh_class_define(F.r2, &def, &F.cls2));

  /* A reference of r3, made while this thread briefly holds r3. */
  assert_ok(vh_scope_open(F.e3, &s));
  assert_ok(vh_new_object(F.e3, &v));
  assert_ok(vh_ref_new(v, 1, &F.ref3));
  assert_ok(vh_scope_close(s));

  /* A value whose scope has closed, and that closed scope. */
  assert_ok(vh_scope_open(F.e1, &s));
  assert_ok(vh_new_int32(F.e1, 99, &F.closed));
  assert_ok(vh_scope_close(s));
  F.s_closed = s;

  assert_ok(vh_scope_open(F.e1, &F.s1));
  assert_ok(vh_new_int32(F.e1, 7, &F.num));
  assert_ok(vh_new_string_utf8(F.e1, "abc", VH_AUTO_LENGTH, &F.str));
  F.obj = eval_in(F.e1, "({ x: 1, y: 2 })");
  F.fn = eval_in(F.e1, "(function f(a) { return a })");
  F.ctor = eval_in(F.e1, "(class C { constructor() { this.k = 1 } })");
  F.arrow = eval_in(F.e1, "(() => 1)");
  F.arr = eval_in(F.e1, "[1, 2, 3]");
  F.big = eval_in(F.e1, "5n");
  F.date = eval_in(F.e1, "new Date(0)");
  F.sym = eval_in(F.e1, "Symbol('s')");
  F.promise_done = eval_in(F.e1, "Promise.resolve(1)");
  F.ab = eval_in(F.e1, "new ArrayBuffer(8)");
  F.lone = eval_in(F.e1, "'x\\uD800'");
  F.euro = eval_in(F.e1, "'\\u20AC'");
  assert_ok(vh_new_promise(F.e1, &F.promise_pending, &F.def1));
  assert_ok(vh_class_new_instance(F.e1, F.cls1, &F, &F.inst));
  assert_ok(vh_new_promise(F.e1, &v, &F.def_used));
  assert_ok(vh_deferred_resolve(F.e1, F.def_used, F.num));
  assert_ok(vh_ref_new(F.obj, 1, &F.ref1));
  assert_ok(vh_ref_new(F.num, UINT32_MAX, &F.ref_max));
  assert_ok(vh_ref_new(F.num, 0, &F.ref_zero));
  assert_ok(vh_ref_new(F.obj, 1, &F.ref_deleted));
  assert_ok(vh_ref_dispose(F.ref_deleted));
  /* A host callback's argument, kept past the callback's return. */
  assert_ok(vh_new_function(F.e1, "keep", keep_arg, NULL, &keeper));
  assert_ok(vh_call(F.e1, keeper, NV, 1, &F.num, NULL));
  /* An exception pending in ep. */
  assert_status(VH_EEXCEPTION, vh_eval(F.ep, "throw new Error('pending')", VH_AUTO_LENGTH, "ep.js", NULL));

  assert_ok(vh_scope_open(F.e2, &F.s2));
  assert_ok(vh_new_int32(F.e2, 8, &F.num2));
  F.obj2 = eval_in(F.e2, "({ x: 2 })");
  F.fn2 = eval_in(F.e2, "(function g(a) { return a + 2 })");
  F.ab2 = eval_in(F.e2, "new ArrayBuffer(4)");
  F.promise2 = eval_in(F.e2, "Promise.reject(new Error('r2'))");
  eval_in(F.e2, "Promise.reject(1).catch(() => 0); 0");
  assert_ok(vh_class_new_instance(F.e2, F.cls2, NULL, &F.inst2));
  assert_ok(vh_new_promise(F.e2, &v, &F.def2));
}

static void teardown_fixture(void) {
  assert_ok(vh_scope_close(F.s2));
  assert_ok(vh_scope_close(F.s1));
  assert_ok(vh_worker_stop(F.worker));
  assert_ok(vh_engine_dispose(F.priv));
  assert_ok(vh_runtime_dispose(F.r_term));
  assert_ok(vh_runtime_dispose(F.r3));
  assert_ok(vh_runtime_dispose(F.r2));
  assert_ok(vh_runtime_dispose(F.r1));
}

/* ---- the tests --------------------------------------------------------------------------------- */

/* Walks the table: the T rows on a libuv thread, then the others on this thread. */
static void test_misuse_table(void **state) {
  (void)state;
  static thread_run tr;
  uv_thread_t t;
  int failures = 0, thread_rows = 0;
  setup_fixture();

  /* The row thread runs while this thread holds r1 (s1), r2 (s2) and priv (s_priv). */
  assert_ok(vh_scope_open(F.priv, &F.s_priv));
  memset(&tr, 0, sizeof tr);
  assert_int_equal(uv_thread_create(&t, row_thread, &tr), 0);
  assert_int_equal(uv_thread_join(&t), 0);
  assert_ok(vh_scope_close(F.s_priv));
  assert_ok(tr.setup_rc);
  for (size_t i = 0; i < ROW_COUNT; i++) {
    if (!(kRows[i].flags & T)) continue;
    thread_rows++;
    failures += judge(&kRows[i], tr.out[i]);
  }

  for (size_t i = 0; i < ROW_COUNT; i++) {
    if (kRows[i].flags & T) continue;
    reset_engines();
    failures += judge(&kRows[i], run_row(&kRows[i]));
  }
  print_message("  %zu rows (%d on another thread), %d wrong\n", ROW_COUNT, thread_rows, failures);
  reset_engines();
  vh_exception_discard(F.ep);
  teardown_fixture();
  assert_int_equal(failures, 0);
}

/* Every function the headers export (VH_API), and every static inline one, has at least one row in
 * the row file of the header that declares it, and every row of a file names a function of that
 * file's header. The headers are found next to this source file; a build from elsewhere skips the
 * check. */

/* The rows of each file stand in kRows one file after the other, in ROW_FILES order. */
#define COUNT_ROW(fn, tag, code, flags, expr) +1
#define FILE_ENTRY(name, X) {#name ".h", "tests/misuse/rows_" #name ".inc", 0 ROWS_##name(COUNT_ROW)},
typedef struct row_file {
  const char *header, *path;
  size_t rows;
} row_file;
static const row_file kFiles[] = {ROW_FILES(FILE_ENTRY, _)};
#define FILE_COUNT (sizeof kFiles / sizeof kFiles[0])

/* The first row of file k in kRows. */
static size_t first_row(size_t k) {
  size_t first = 0;
  for (size_t i = 0; i < k; i++) first += kFiles[i].rows;
  return first;
}

static int file_of(const char *header) {
  for (size_t k = 0; k < FILE_COUNT; k++)
    if (!strcmp(kFiles[k].header, header)) return (int)k;
  return -1;
}

static bool has_row(int file, const char *fn) {
  if (file < 0) return false;
  size_t first = first_row((size_t)file);
  for (size_t i = first; i < first + kFiles[file].rows; i++)
    if (!strcmp(kRows[i].fn, fn)) return true;
  return false;
}

static bool is_ident(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/* Checks the functions of one header (file name name, at path) against its row file. */
static int check_header(const char *path, const char *name, int *functions) {
  FILE *f = fopen(path, "r");
  char line[512];
  int missing = 0, file = file_of(name);
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    const char *api = strstr(line, "VH_API ");
    const char *paren, *start;
    char fn[128];
    if (!api) api = strstr(line, "static inline ");
    if (!api || strstr(line, "#define")) continue;
    paren = strchr(api, '(');
    if (!paren) continue;
    start = paren;
    while (start > api && (start[-1] == '_' || (start[-1] >= 'a' && start[-1] <= 'z') ||
                           (start[-1] >= '0' && start[-1] <= '9')))
      start--;
    if ((size_t)(paren - start) >= sizeof fn || paren == start) continue;
    memcpy(fn, start, (size_t)(paren - start));
    fn[paren - start] = 0;
    ++*functions;
    if (!has_row(file, fn)) {
      print_error("%s (%s) has no misuse row in tests/misuse/rows_%.*s.inc\n", fn, path,
                  (int)(strlen(name) - 2), name);
      missing++;
    }
  }
  fclose(f);
  return missing;
}

/* Checks that every row of file k names a function its header declares ("name(" in the text). */
static int check_rows_of(size_t k) {
  char rel[128];
  char *text;
  int wrong = 0;
  snprintf(rel, sizeof rel, "include/v8host/%s", kFiles[k].header);
  text = source_text(rel);
  if (!text) {
    print_error("%s has rows but %s does not exist\n", kFiles[k].path, rel);
    return 1;
  }
  for (size_t i = first_row(k); i < first_row(k) + kFiles[k].rows; i++) {
    const char *at = text;
    size_t n = strlen(kRows[i].fn);
    bool declared = false;
    while (!declared && (at = strstr(at, kRows[i].fn)) != NULL) {
      declared = (at == text || !is_ident(at[-1])) && at[n] == '(';
      at += n;
    }
    if (!declared) {
      print_error("%s: row %s / %s, but %s does not declare %s\n", kFiles[k].path, kRows[i].fn,
                  kRows[i].misuse, kFiles[k].header, kRows[i].fn);
      wrong++;
    }
  }
  free(text);
  return wrong;
}

static void test_every_function_covered(void **state) {
  (void)state;
  char dir[1024], path[1200];
  const char *slash = strrchr(__FILE__, '/');
  DIR *d;
  struct dirent *ent;
  int missing = 0, functions = 0, headers = 0, misplaced = 0;
  size_t rows = 0;
  if (!slash || (size_t)(slash - __FILE__) + 32 > sizeof dir) skip();
  snprintf(dir, sizeof dir, "%.*s/../include/v8host", (int)(slash - __FILE__), __FILE__);
  d = opendir(dir);
  if (!d) {
    print_message("  %s not found: skipped\n", dir);
    skip();
  }
  while ((ent = readdir(d)) != NULL) {
    size_t n = strlen(ent->d_name);
    if (n < 3 || strcmp(ent->d_name + n - 2, ".h") != 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
    int m = check_header(path, ent->d_name, &functions);
    assert_true(m >= 0);
    missing += m;
    headers++;
  }
  closedir(d);
  for (size_t k = 0; k < FILE_COUNT; k++) {
    misplaced += check_rows_of(k);
    rows += kFiles[k].rows;
  }
  print_message("  %d functions in %d headers, %d without a row in their header's row file; %zu row files, "
                "%d rows naming a function their header does not declare\n",
                functions, headers, missing, FILE_COUNT, misplaced);
  assert_int_equal(rows, ROW_COUNT); /* kFiles accounts for every row of the table */
  assert_true(functions > 100);
  assert_int_equal(missing, 0);
  assert_int_equal(misplaced, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_misuse_table),
      cmocka_unit_test(test_every_function_covered),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
