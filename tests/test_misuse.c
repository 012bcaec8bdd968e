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
 * Every function marked VH_API in include/ appears in at least one row: test_every_function_covered
 * reads the headers and checks it. No function is excluded; the two static inline option
 * initialisers have rows too. Cases deliberately left out of the table, and why:
 *   - the calls that wait for a runtime's lock (vh_scope_open, vh_engine_new, vh_engine_dispose of
 *     an ordinary engine, vh_runtime_gc, vh_runtime_run_microtasks, vh_runtime_heap_stats,
 *     vh_ref_delete, the runtime-global registrations, vh_class_define, the vh_runtime_set_*
 *     hooks) called while another thread holds it: waiting is their documented behaviour, not
 *     misuse, and a row would block (test_threads.c covers the wait);
 *   - vh_post_and_wait from a thread while nobody runs the loop: it waits, as documented;
 *   - what docs/misuse.md lists as not detectable (pointers and lengths that lie about their
 *     memory, v8host calls from finalizers or numeric functions, concurrent disposal);
 *   - cases that ended the process or wedged a runtime before they were fixed, now tested where
 *     they belong: vh_array above 134,217,725 (test_values.c), a task leaving a scope open
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
  vh_promise_state state;
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
static int numeric_noop(const double *args, size_t argc, double *result, void *data) {
  (void)args;
  (void)argc;
  (void)data;
  *result = 0;
  return VH_OK;
}
static void noop_task(vh_engine engine, int status, void *data) {
  (void)engine;
  (void)status;
  (void)data;
}
static int noop_work(void *data) {
  (void)data;
  return 0;
}
static int noop_done(vh_engine engine, int status, void *data, vh_value *result) {
  (void)engine;
  (void)status;
  (void)data;
  (void)result;
  return VH_OK;
}
static void noop_interrupt(vh_runtime runtime, void *data) {
  (void)runtime;
  (void)data;
}
static int noop_syn_init(vh_engine engine, vh_synthetic_module module, void *data) {
  (void)engine;
  (void)module;
  (void)data;
  return VH_OK;
}
static int failing_init(vh_engine engine, void *data) {
  (void)engine;
  (void)data;
  return VH_ERANGE;
}
static int no_loader(vh_engine engine, const char *specifier, const char *referrer,
                     vh_module_source *out, void *data) {
  (void)engine;
  (void)specifier;
  (void)referrer;
  (void)out;
  (void)data;
  return VH_EINVAL;
}

/* ---- rows that need more than one call --------------------------------------------------------- */

/* Disposes the ok result of a call that was expected to fail, so a surprise does not leak. */
static int runtime_new_with(const vh_runtime_options *o) {
  int rc = vh_runtime_new(o, &S.rt);
  if (rc == VH_OK) vh_runtime_dispose(S.rt);
  return rc;
}
static int runtime_new_size(size_t size) {
  struct {
    vh_runtime_options o;
    uint64_t newer_field;
  } big;
  memset(&big, 0, sizeof big);
  big.o.struct_size = size;
  return runtime_new_with(&big.o);
}
static int runtime_new_newer_nonzero(void) {
  struct {
    vh_runtime_options o;
    uint64_t newer_field;
  } big;
  memset(&big, 0, sizeof big);
  big.o.struct_size = sizeof big;
  big.newer_field = 1;
  return runtime_new_with(&big.o);
}
static int runtime_new_heap(size_t bytes) {
  vh_runtime_options o;
  vh_runtime_options_init(&o);
  o.heap_max_bytes = bytes;
  return runtime_new_with(&o);
}
static int runtime_new_wait_forever(void) {
  vh_runtime_options o;
  vh_runtime_options_init(&o);
  o.proxy_wait_ms = UINT64_MAX;
  return runtime_new_with(&o);
}
static int process_configure_flags(size_t size, uint64_t flags) {
  vh_process_options o;
  vh_process_options_init(&o);
  if (size) o.struct_size = size;
  o.flags = flags;
  return vh_process_configure(&o);
}
static int engine_new_size(size_t size, uint64_t reserved) {
  struct {
    vh_engine_options o;
    uint64_t newer_field;
  } big;
  memset(&big, 0, sizeof big);
  big.o.struct_size = size;
  big.o.reserved_flags = reserved;
  int rc = vh_engine_new(F.r3, &big.o, &S.e);
  if (rc == VH_OK) vh_engine_dispose(S.e);
  return rc;
}
static int engine_new_newer_nonzero(void) {
  struct {
    vh_engine_options o;
    uint64_t newer_field;
  } big;
  memset(&big, 0, sizeof big);
  big.o.struct_size = sizeof big;
  big.newer_field = 1;
  int rc = vh_engine_new(F.r3, &big.o, &S.e);
  if (rc == VH_OK) vh_engine_dispose(S.e);
  return rc;
}
static int private_new(const vh_runtime_options *ro, const vh_engine_options *eo) {
  int rc = vh_engine_new_private(ro, eo, &S.e);
  if (rc == VH_OK) vh_engine_dispose(S.e);
  return rc;
}
static int private_bad_runtime_options(void) {
  vh_runtime_options o;
  vh_runtime_options_init(&o);
  o.struct_size = 1;
  return private_new(&o, NULL);
}
static int private_bad_engine_options(void) {
  vh_engine_options o;
  vh_engine_options_init(&o);
  o.struct_size = 0;
  return private_new(NULL, &o);
}
static int private_reserved_flags(void) {
  vh_engine_options o;
  vh_engine_options_init(&o);
  o.reserved_flags = 1;
  return private_new(NULL, &o);
}
static int private_heap_too_small(void) {
  vh_runtime_options o;
  vh_runtime_options_init(&o);
  o.heap_max_bytes = 1 << 20;
  return private_new(&o, NULL);
}
static int worker_start_with(const vh_runtime_options *o, vh_worker_init init) {
  int rc = vh_worker_start(o, init, NULL, &S.w, NULL);
  if (rc == VH_OK) vh_worker_stop(S.w);
  return rc;
}
static int worker_start_size(size_t size) {
  struct {
    vh_runtime_options o;
    uint64_t newer_field;
  } big;
  memset(&big, 0, sizeof big);
  big.o.struct_size = size;
  return worker_start_with(&big.o, NULL);
}
static int worker_start_heap_too_small(void) {
  vh_runtime_options o;
  vh_runtime_options_init(&o);
  o.heap_max_bytes = 4096;
  return worker_start_with(&o, NULL);
}

/* A scope opened on the private engine, so that its disposal (or its runtime's) is refused. */
static int dispose_private_with_scope(bool whole_runtime) {
  vh_scope s;
  vh_runtime rt;
  TRY_OK(vh_engine_runtime(F.priv, &rt));
  TRY_OK(vh_scope_open(F.priv, &s));
  int rc = whole_runtime ? vh_runtime_dispose(rt) : vh_engine_dispose(F.priv);
  TRY_OK(vh_scope_close(s));
  return rc;
}
static vh_runtime worker_runtime(void) {
  vh_runtime rt = {0};
  vh_engine_runtime(F.worker_engine, &rt);
  return rt;
}

/* Escapes. Each opens its own escapable scope on e1 and closes it. */
static int escape_twice(void) {
  vh_scope esc;
  vh_value v, out;
  TRY_OK(vh_scope_open_escapable(F.e1, &esc));
  TRY_OK(vh_int32(F.e1, 3, &v));
  TRY_OK(vh_scope_escape(esc, v, &out));
  int rc = vh_scope_escape(esc, v, &S.v);
  TRY_OK(vh_scope_close(esc));
  return rc;
}
static int escape_other_runtime(void) {
  vh_scope esc;
  vh_value v;
  TRY_OK(vh_scope_open_escapable(F.e1, &esc));
  TRY_OK(vh_object(F.e2, &v)); /* a value of r2, made inside the escapable scope of r1 */
  int rc = vh_scope_escape(esc, v, &S.v);
  TRY_OK(vh_scope_close(esc));
  return rc;
}
/* Escapes value from a new escapable scope on engine e (closed again). */
static int escape_from(vh_engine e, vh_value value) {
  vh_scope esc;
  TRY_OK(vh_scope_open_escapable(e, &esc));
  int rc = vh_scope_escape(esc, value, &S.v);
  TRY_OK(vh_scope_close(esc));
  return rc;
}
static int escape_value(vh_value value) { return escape_from(F.e1, value); }
static int escape_null_out(void) {
  vh_scope esc;
  vh_value v;
  TRY_OK(vh_scope_open_escapable(F.e1, &esc));
  TRY_OK(vh_int32(F.e1, 3, &v));
  int rc = vh_scope_escape(esc, v, NULL);
  TRY_OK(vh_scope_close(esc));
  return rc;
}
static int close_twice(void) {
  vh_scope s;
  TRY_OK(vh_scope_open(F.e1, &s));
  TRY_OK(vh_scope_close(s));
  return vh_scope_close(s);
}
/* A scope closed while one opened inside it on another runtime is still open. */
static int close_out_of_order_across_runtimes(void) {
  vh_scope a, b;
  TRY_OK(vh_scope_open(F.e1, &a));
  TRY_OK(vh_scope_open(F.e2, &b));
  int rc = vh_scope_close(a);
  TRY_OK(vh_scope_close(b));
  TRY_OK(vh_scope_close(a));
  return rc;
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
      vh_throw_error(info->engine, VH_ERROR, "thrown");
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
  TRY_OK(vh_function_new(F.e1, "misuse", misuse_cb, &selectors[which], &fn));
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
    case W_RUN_OWN_LOOP: F.worker_rc = vh_runtime_run(worker_runtime(), VH_RUN_NOWAIT, NULL); break;
    case W_POST_AND_WAIT_INLINE: F.worker_rc = vh_post_and_wait(engine, noop_task, NULL); break;
    default: F.worker_rc = vh_runtime_dispose(worker_runtime()); break;
  }
}
static int from_worker(int which) {
  static int selectors[8];
  selectors[which] = which;
  F.worker_rc = 0x7fff;
  TRY_OK(vh_post_and_wait(F.worker_engine, worker_task, &selectors[which]));
  return F.worker_rc;
}

/* Class definitions, each with one defect. */
enum {
  DEF_SIZE_ZERO,
  DEF_NO_NAME,
  DEF_METHODS_NULL,
  DEF_METHOD_NO_CALLBACK,
  DEF_METHOD_NO_NAME,
  DEF_ACCESSOR_NEITHER,
  DEF_STATICS_NULL,
  DEF_NATIVE_NULL_HUGE,
  DEF_ACCESSORS_NULL_HUGE,
  DEF_PARENT_OTHER_RUNTIME,
  DEF_PARENT_DISPOSED,
  DEF_NEWER_NONZERO,
  DEF_INVALID_UTF8_NAME
};
static int define_class(vh_runtime rt, int defect) {
  struct {
    vh_class_def def;
    uint64_t newer_field;
  } big;
  vh_class_def *d = &big.def;
  vh_method_def method = {"m", noop_fn};
  vh_accessor_def accessor = {"a", NULL, NULL};
  memset(&big, 0, sizeof big);
  d->struct_size = sizeof *d;
  d->name = "Misuse";
  switch (defect) {
    case DEF_SIZE_ZERO: d->struct_size = 0; break;
    case DEF_NO_NAME: d->name = NULL; break;
    case DEF_METHODS_NULL: d->method_count = 1; break;
    case DEF_METHOD_NO_CALLBACK:
      method.callback = NULL;
      d->methods = &method;
      d->method_count = 1;
      break;
    case DEF_METHOD_NO_NAME:
      method.name = NULL;
      d->methods = &method;
      d->method_count = 1;
      break;
    case DEF_ACCESSOR_NEITHER:
      d->accessors = &accessor;
      d->accessor_count = 1;
      break;
    case DEF_STATICS_NULL: d->static_method_count = 2; break;
    case DEF_NATIVE_NULL_HUGE: d->native_method_count = SIZE_MAX; break;
    case DEF_ACCESSORS_NULL_HUGE: d->accessor_count = SIZE_MAX; break;
    case DEF_PARENT_OTHER_RUNTIME: d->parent = F.cls2; break;
    case DEF_PARENT_DISPOSED: d->parent = F.cls_dead; break;
    case DEF_NEWER_NONZERO:
      d->struct_size = sizeof big;
      big.newer_field = 1;
      break;
    case DEF_INVALID_UTF8_NAME: d->name = "Cl\xff"; break;
  }
  return vh_class_define(rt, d, &S.cls);
}
/* A class whose name is not UTF-8: the constructor's name has U+FFFD. */
static int class_invalid_utf8_name(void) {
  vh_value ctor, name;
  TRY_OK(define_class(F.r1, DEF_INVALID_UTF8_NAME));
  TRY_OK(vh_class_constructor_of(F.e1, S.cls, &ctor));
  TRY_OK(vh_get(F.e1, ctor, "name", &name));
  TRY_OK(vh_get_string_utf8(name, S.buf, sizeof S.buf, NULL));
  CHECK(strcmp(S.buf, "Cl\xef\xbf\xbd") == 0);
  return VH_OK;
}

/* Modules. */
static int module_eval_twice(void) {
  TRY_OK(vh_module_eval(F.e1, "export const a = 1;", VH_AUTO_LENGTH, "twice.mjs", NULL));
  return vh_module_eval(F.e1, "export const a = 2;", VH_AUTO_LENGTH, "twice.mjs", &S.v);
}
static int synthetic_name_taken(void) {
  TRY_OK(vh_module_define_synthetic(F.e1, "syn-taken", kExports, 1, noop_syn_init, NULL));
  return vh_module_define_synthetic(F.e1, "syn-taken", kExports, 1, noop_syn_init, NULL);
}
static int synthetic_duplicate_exports(void) {
  const char *names[2] = {"a", "a"};
  return vh_module_define_synthetic(F.e1, "syn-dup", names, 2, noop_syn_init, NULL);
}
static int synthetic_null_export(void) {
  const char *names[2] = {"a", NULL};
  return vh_module_define_synthetic(F.e1, "syn-null", names, 2, noop_syn_init, NULL);
}
/* Inside a synthetic module's init: set an export it does not have, or with a closed value. */
static int set_export_rc;
static int misusing_syn_init(vh_engine engine, vh_synthetic_module module, void *data) {
  int which = *(const int *)data;
  vh_value v;
  if (vh_int32(engine, 1, &v) != VH_OK) return VH_EINVAL;
  switch (which) {
    case 0: set_export_rc = vh_module_set_export(engine, module, "nope", v); break;
    case 1: set_export_rc = vh_module_set_export(engine, module, "a", F.closed); break;
    case 2: set_export_rc = vh_module_set_export(engine, module, "a", NV); break;
    case 3: set_export_rc = vh_module_set_export(engine, module, NULL, v); break;
    default: set_export_rc = vh_module_set_export(engine, module, "a", F.obj2); break;
  }
  return VH_OK;
}
static int set_export_in_init(int which) {
  static int selectors[8];
  static int serial;
  char name[32], src[96];
  selectors[which] = which;
  set_export_rc = 0x7fff;
  snprintf(name, sizeof name, "syn-misuse-%d", ++serial);
  snprintf(src, sizeof src, "import * as m from '%s';", name);
  TRY_OK(vh_module_define_synthetic(F.e1, name, kExports, 2, misusing_syn_init, &selectors[which]));
  char entry[48];
  snprintf(entry, sizeof entry, "entry-%d.mjs", serial);
  int rc = vh_module_eval(F.e1, src, VH_AUTO_LENGTH, entry, NULL);
  vh_exception_discard(F.e1);
  if (rc != VH_OK) return rc + 2000;
  return set_export_rc;
}
/* The module handle of a synthetic init kept past its return. */
static vh_synthetic_module kept_module;
static int keeping_syn_init(vh_engine engine, vh_synthetic_module module, void *data) {
  (void)data;
  vh_value v;
  kept_module = module;
  if (vh_int32(engine, 1, &v) != VH_OK) return VH_EINVAL;
  return vh_module_set_export(engine, module, "a", v);
}
static int set_export_after_init(void) {
  TRY_OK(vh_module_define_synthetic(F.e1, "syn-kept", kExports, 1, keeping_syn_init, NULL));
  TRY_OK(vh_module_eval(F.e1, "import { a } from 'syn-kept';", VH_AUTO_LENGTH, "kept.mjs", NULL));
  return vh_module_set_export(F.e1, kept_module, "a", F.num);
}

/* Strings: what invalid UTF-8 becomes, and lone surrogates going out. */
static int utf16_equals(vh_value v, const uint16_t *want, size_t n) {
  size_t len = 0;
  TRY_OK(vh_get_string_utf16(v, S.buf16, 64, &len));
  CHECK(len == n && (n == 0 || memcmp(S.buf16, want, n * 2) == 0));
  return VH_OK;
}
static int utf8_invalid_becomes_fffd(void) {
  /* "a", a lone continuation byte, a truncated 3-byte sequence, "b", an overlong encoding */
  static const uint16_t want[] = {'a', 0xFFFD, 0xFFFD, 'b', 0xFFFD, 0xFFFD};
  TRY_OK(vh_string_utf8(F.e1, "a\x80\xe2\x82" "b\xc0\xaf", 7, &S.v));
  return utf16_equals(S.v, want, 6);
}
static int utf8_embedded_nul_kept(void) {
  static const uint16_t want[] = {'a', 0, 'b'};
  TRY_OK(vh_string_utf8(F.e1, "a\0b", 3, &S.v));
  return utf16_equals(S.v, want, 3);
}
static int utf8_null_empty(void) {
  TRY_OK(vh_string_utf8(F.e1, NULL, 0, &S.v));
  return utf16_equals(S.v, NULL, 0);
}
static int eval_invalid_utf8(void) {
  static const uint16_t want[] = {0xFFFD, 'x'};
  TRY_OK(vh_eval(F.e1, "'\xff" "x'", VH_AUTO_LENGTH, "\xfe.js", &S.v));
  return utf16_equals(S.v, want, 2);
}
static int eval_invalid_utf8_resource_name(void) {
  vh_exception x;
  int rc = vh_eval(F.e1, "throw new Error('e')", VH_AUTO_LENGTH, "n\xff.js", NULL);
  CHECK(rc == VH_EEXCEPTION);
  TRY_OK(vh_exception_take(F.e1, &x));
  int ok = x.resource_name && strcmp(x.resource_name, "n\xef\xbf\xbd.js") == 0;
  vh_exception_clear(&x);
  CHECK(ok);
  return VH_OK;
}
static int property_name_invalid_utf8(void) {
  vh_value obj, back;
  int32_t n = 0;
  TRY_OK(vh_object(F.e1, &obj));
  TRY_OK(vh_set(F.e1, obj, "k\xff", F.num));
  TRY_OK(vh_get(F.e1, obj, "k\xef\xbf\xbd", &back)); /* the same property: "k\uFFFD" */
  TRY_OK(vh_get_int32(back, &n));
  CHECK(n == 7);
  return VH_OK;
}
static int symbol_invalid_utf8(void) {
  static const uint16_t want[] = {'s', 0xFFFD};
  vh_value sym, desc;
  TRY_OK(vh_symbol(F.e1, "s\xff", &sym));
  TRY_OK(set_global(F.e1, "misuseSym", sym));
  TRY_OK(vh_eval(F.e1, "misuseSym.description", VH_AUTO_LENGTH, NULL, &desc));
  return utf16_equals(desc, want, 2);
}
static int json_invalid_utf8(void) {
  static const uint16_t want[] = {0xFFFD};
  TRY_OK(vh_json_parse(F.e1, "\"\xff\"", VH_AUTO_LENGTH, &S.v));
  return utf16_equals(S.v, want, 1);
}
static int error_message_invalid_utf8(void) {
  static const uint16_t want[] = {'m', 0xFFFD};
  vh_value err, msg;
  TRY_OK(vh_error_new(F.e1, VH_RANGE_ERROR, "m\xff", &err));
  TRY_OK(vh_get(F.e1, err, "message", &msg));
  return utf16_equals(msg, want, 2);
}
static int function_name_invalid_utf8(void) {
  static const uint16_t want[] = {'f', 0xFFFD};
  vh_value fn, name;
  TRY_OK(vh_function_new(F.e1, "f\xff", noop_fn, NULL, &fn));
  TRY_OK(vh_get(F.e1, fn, "name", &name));
  return utf16_equals(name, want, 2);
}
static int function_name_null_is_empty(void) {
  vh_value fn, name;
  TRY_OK(vh_function_new(F.e1, NULL, noop_fn, NULL, &fn));
  TRY_OK(vh_get(F.e1, fn, "name", &name));
  return utf16_equals(name, NULL, 0);
}
static int lone_surrogate_out_utf8(void) {
  size_t len = 0;
  TRY_OK(vh_get_string_utf8(F.lone, S.buf, sizeof S.buf, &len));
  CHECK(len == 4 && memcmp(S.buf, "x\xef\xbf\xbd", 5) == 0);
  return VH_OK;
}
static int lone_surrogate_dup(void) {
  char *s = NULL;
  size_t len = 0;
  TRY_OK(vh_dup_string_utf8(F.lone, &s, &len));
  int ok = len == 4 && memcmp(s, "x\xef\xbf\xbd", 5) == 0;
  vh_free(s);
  CHECK(ok);
  return VH_OK;
}
static int utf16_lone_surrogate_kept(void) {
  static const uint16_t in[] = {0xDC00, 'z'};
  TRY_OK(vh_string_utf16(F.e1, in, 2, &S.v));
  return utf16_equals(S.v, in, 2);
}
/* A copy-out into a buffer that is too small: VH_ERANGE, *length set to the need, nothing written. */
static int copy_out_too_small(void) {
  memset(S.buf, 'Z', sizeof S.buf);
  S.len = 0;
  int rc = vh_get_string_utf8(F.str, S.buf, 3, &S.len); /* "abc" needs 4 with its NUL */
  CHECK(S.len == 3 && S.buf[0] == 'Z');
  return rc;
}
static int bigint_words_too_few(void) {
  vh_value big;
  TRY_OK(vh_eval(F.e1, "2n ** 100n", VH_AUTO_LENGTH, NULL, &big));
  S.count = 1;
  int rc = vh_get_bigint_words(big, &S.b, &S.count, S.words);
  CHECK(S.count == 2);
  return rc;
}
static int capacity_lie_is_trusted(void) {
  /* A capacity larger than the buffer is believed: only the string's bytes and a NUL are written. */
  memset(S.buf, 'Z', sizeof S.buf);
  TRY_OK(vh_get_string_utf8(F.str, S.buf, SIZE_MAX, &S.len));
  CHECK(S.len == 3 && strcmp(S.buf, "abc") == 0 && S.buf[4] == 'Z');
  return VH_OK;
}
static int bigint_words_capacity_huge(void) {
  S.count = SIZE_MAX;
  TRY_OK(vh_get_bigint_words(F.big, &S.b, &S.count, S.words));
  CHECK(S.count == 1 && S.words[0] == 5 && !S.b);
  return VH_OK;
}

static int detach_twice(void) {
  vh_value ab, len;
  int32_t n = -1;
  TRY_OK(vh_eval(F.e1, "globalThis.toDetach = new ArrayBuffer(16); toDetach", VH_AUTO_LENGTH, NULL, &ab));
  TRY_OK(vh_array_buffer_detach(F.e1, ab));
  TRY_OK(vh_array_buffer_detach(F.e1, ab));
  TRY_OK(vh_eval(F.e1, "toDetach.byteLength", VH_AUTO_LENGTH, NULL, &len));
  TRY_OK(vh_get_int32(len, &n));
  CHECK(n == 0);
  return VH_OK;
}
static int detach_shared(void) {
  vh_value sab;
  TRY_OK(vh_eval(F.e1, "new SharedArrayBuffer(8)", VH_AUTO_LENGTH, NULL, &sab));
  return vh_array_buffer_detach(F.e1, sab);
}

/* buffer.h: host memory no row frees (no callback given; it lives as long as the process). */
static char kHostBytes[8];
static const uint16_t kHostUnits[2] = {0x68, 0x69};
/* diagnostics.h */
static int discard_output(const char *data, size_t length, void *user) {
  (void)data, (void)length, (void)user;
  return VH_OK;
}
static int stop_output(const char *data, size_t length, void *user) {
  (void)data, (void)length, (void)user;
  return -77;
}
static int stats_of(vh_runtime rt, size_t size) {
  static vh_runtime_stats st;
  memset(&st, 0, sizeof st);
  st.struct_size = size;
  int rc = vh_runtime_stats_get(rt, &st);
  if (rc == VH_OK) CHECK(st.engines >= 1 && st.space_count > 0);
  return rc;
}
static void count_gc(vh_runtime rt, vh_gc_kind kind, vh_gc_phase phase, void *data) {
  (void)rt, (void)kind, (void)phase;
  ++*(int *)data;
}
/* sets a GC callback, collects (told), removes it, collects again (not told) */
static int gc_cb_set_then_removed(void) {
  static int calls;
  calls = 0;
  TRY_OK(vh_runtime_set_gc_cb(F.r1, count_gc, &calls));
  TRY_OK(vh_runtime_gc(F.r1));
  CHECK(calls >= 2);
  int seen = calls;
  TRY_OK(vh_runtime_set_gc_cb(F.r1, NULL, NULL));
  TRY_OK(vh_runtime_gc(F.r1));
  CHECK(calls == seen);
  return VH_OK;
}
static int profile_twice(void) {
  TRY_OK(vh_runtime_cpu_profile_start(F.r1, 0));
  CHECK(vh_runtime_cpu_profile_start(F.r1, 0) == VH_EBUSY);
  return vh_runtime_cpu_profile_stop(F.r1, discard_output, NULL);
}
/* copy.h */
static const uint8_t kBadBytes[16] = {'V', 'H', 'C', 'B', 99};
static int copy_with_size(size_t size) {
  struct {
    vh_copy_options o;
    uint64_t newer_field;
  } big;
  memset(&big, 0, sizeof big);
  big.o.struct_size = size;
  if (size > sizeof big.o) big.newer_field = 1;
  return vh_engine_copy(F.e1, F.num, F.e1, &big.o, &S.v);
}
static int copy_transfer(const vh_value *list, size_t count) {
  vh_copy_options o;
  vh_copy_options_init(&o);
  o.transfer = list;
  o.transfer_count = count;
  return vh_engine_copy(F.e1, F.obj, F.e2, &o, &S.v);
}
static int copy_to_bytes_ok(void) {
  uint8_t *bytes = NULL;
  size_t n = 0;
  TRY_OK(vh_engine_copy_to_bytes(F.e1, F.date, &bytes, &n));
  CHECK(bytes && n > 16);
  vh_free(bytes);
  return VH_OK;
}
static int copy_function(void) {
  int rc = vh_engine_copy(F.e1, F.fn, F.e2, NULL, &S.v);
  vh_exception_discard(F.e1);
  return rc;
}
static int copy_options_init_ok(void) {
  vh_copy_options o;
  TRY_OK(vh_copy_options_init(&o));
  CHECK(o.struct_size == sizeof o && o.transfer_count == 0 && o.transfer == NULL);
  return VH_OK;
}
static int data_of_detached(void) {
  vh_value ab;
  TRY_OK(vh_eval(F.e1, "new ArrayBuffer(8)", VH_AUTO_LENGTH, NULL, &ab));
  TRY_OK(vh_array_buffer_detach(F.e1, ab));
  return vh_array_buffer_data(ab, &S.native, &S.len);
}

/* Values of another runtime given to calls that name an engine: passed, not refused. */
static int set_other_runtime_value(void) {
  vh_value back;
  vh_pass_kind how = 0;
  TRY_OK(vh_set(F.e1, F.obj, "o2", F.obj2));
  TRY_OK(vh_get(F.e1, F.obj, "o2", &back));
  TRY_OK(vh_pass(F.e2, back, &S.v, &how)); /* a proxy passed back home arrives as the original */
  TRY_OK(vh_strict_equals(S.v, F.obj2, &S.b));
  CHECK(S.b);
  return VH_OK;
}
static int get_through_other_runtime_object(void) {
  int32_t n = 0;
  TRY_OK(vh_get(F.e1, F.obj2, "x", &S.v));
  TRY_OK(vh_get_int32(S.v, &n));
  CHECK(n == 2);
  return VH_OK;
}
static int call_other_runtime_function(void) {
  int32_t n = 0;
  TRY_OK(vh_call(F.e1, F.fn2, NV, 1, &F.num, &S.v));
  TRY_OK(vh_get_int32(S.v, &n));
  CHECK(n == 7 + 2);
  return VH_OK;
}
static int throw_other_runtime_value(void) {
  bool pending = false;
  TRY_OK(vh_throw(F.e1, F.obj2));
  TRY_OK(vh_exception_pending(F.e1, &pending));
  TRY_OK(vh_exception_discard(F.e1));
  CHECK(pending);
  return VH_OK;
}
static int resolve_with_other_runtime_value(void) {
  vh_value p;
  vh_deferred d;
  vh_promise_state st = 0;
  TRY_OK(vh_promise_new(F.e1, &p, &d));
  TRY_OK(vh_deferred_resolve(F.e1, d, F.num2));
  TRY_OK(vh_promise_state_of(p, &st));
  CHECK(st == VH_PROMISE_FULFILLED);
  return VH_OK;
}
static int pass_other_runtime_object(void) {
  TRY_OK(vh_pass(F.e1, F.obj2, &S.v, &S.how));
  CHECK(S.how == VH_PASS_PROXY);
  return VH_OK;
}
static int stringify_other_runtime_object(void) {
  TRY_OK(vh_json_stringify(F.e1, F.obj2, &S.v));
  TRY_OK(vh_get_string_utf8(S.v, S.buf, sizeof S.buf, NULL));
  CHECK(strcmp(S.buf, "{\"x\":2}") == 0);
  return VH_OK;
}
static int copy_other_runtime_buffer(void) {
  TRY_OK(vh_copy_array_buffer(F.e1, F.ab2, &S.v));
  TRY_OK(vh_is(S.v, VH_KIND_ARRAY_BUFFER, &S.b));
  CHECK(S.b);
  return VH_OK;
}
static int set_key_other_runtime_key(void) {
  vh_value key;
  TRY_OK(vh_string_utf8(F.e2, "k2", VH_AUTO_LENGTH, &key));
  TRY_OK(vh_set_key(F.e1, F.obj, key, F.num));
  TRY_OK(vh_has(F.e1, F.obj, "k2", &S.b));
  CHECK(S.b);
  return VH_OK;
}
static int ref_of_other_runtime_value(void) {
  vh_ref r;
  TRY_OK(vh_ref_new(F.obj2, 1, &r));
  TRY_OK(vh_ref_get(r, &S.v));
  TRY_OK(vh_strict_equals(S.v, F.obj2, &S.b));
  TRY_OK(vh_ref_delete(r));
  CHECK(S.b);
  return VH_OK;
}

/* An exception pending in ep does not stop calls that run no script, nor other engines. */
static int pending_exception_reported(void) {
  TRY_OK(vh_exception_pending(F.ep, &S.b));
  CHECK(S.b);
  return VH_OK;
}
static int take_when_none_pending(void) {
  memset(&S.ex, 0xA5, sizeof S.ex);
  return vh_exception_take(F.e1, &S.ex);
}
static int clear_twice(void) {
  vh_exception x;
  memset(&x, 0, sizeof x);
  vh_exception_clear(&x);
  vh_exception_clear(&x);
  vh_exception_clear(NULL);
  return VH_OK;
}
static int construct_arrow(void) {
  int rc = vh_construct(F.e1, F.arrow, 0, NULL, &S.v);
  vh_exception_discard(F.e1);
  return rc;
}
static int json_syntax_error(void) {
  int rc = vh_json_parse(F.e1, "{", VH_AUTO_LENGTH, &S.v);
  vh_exception_discard(F.e1);
  return rc;
}
static int install_globals_after_register(void) {
  TRY_OK(vh_runtime_global_function(F.r1, "misuseGlobal", noop_fn, NULL));
  return vh_engine_install_globals(F.e1b);
}

/* References. */
static int ref_dec_at_zero(void) { return vh_ref_dec(F.ref_zero, &S.u32); }
static int ref_inc_at_max(void) { return vh_ref_inc(F.ref_max, &S.u32); }

/* Promises. */
static int deferred_settled_twice(bool resolve) {
  return resolve ? vh_deferred_resolve(F.e1, F.def_used, F.num)
                 : vh_deferred_reject(F.e1, F.def_used, F.num);
}

/* Code cache. */
static int cache_garbage(size_t length) {
  static const uint8_t junk[64] = {1, 2, 3, 4};
  S.b = true;
  TRY_OK(vh_eval_with_cache(F.e1, "40 + 2", VH_AUTO_LENGTH, "cg.js", junk, length, &S.b, &S.v));
  CHECK(!S.b);
  return VH_OK;
}
static int cache_create_ok_then_free(void) {
  TRY_OK(vh_code_cache_create(F.e1, "1 + 1", VH_AUTO_LENGTH, "cc.js", &S.cache, &S.len));
  vh_free(S.cache);
  return VH_OK;
}

/* Version and errors: never fail. */
static int version_ok(void) {
  CHECK(vh_version() == VH_VERSION_NUMBER);
  return VH_OK;
}
static int v8_version_ok(void) {
  CHECK(vh_v8_version() != NULL && vh_v8_version()[0] != 0);
  return VH_OK;
}
static int strerror_unknown(int code) {
  CHECK(strcmp(vh_strerror(code), "unknown error") == 0);
  return VH_OK;
}
static int err_name_unknown(int code) {
  CHECK(strcmp(vh_err_name(code), "VH_E?") == 0);
  return VH_OK;
}
static int call_is_construct_null(void) {
  CHECK(!vh_call_is_construct(NULL));
  return VH_OK;
}
static int free_null(void) {
  vh_free(NULL);
  return VH_OK;
}
/* vh_value_is_empty looks at the handle only: true for the empty handle alone. */
static int is_empty_is(vh_value v, bool want) {
  CHECK(vh_value_is_empty(v) == want);
  return VH_OK;
}
/* vh_engine_equal and vh_runtime_equal: the same handle, whatever its state, and nothing else. */
static int engines_equal_are(vh_engine a, vh_engine b, bool want) {
  CHECK(vh_engine_equal(a, b) == want && vh_engine_equal(b, a) == want);
  return VH_OK;
}
static int runtimes_equal_are(vh_runtime a, vh_runtime b, bool want) {
  CHECK(vh_runtime_equal(a, b) == want && vh_runtime_equal(b, a) == want);
  return VH_OK;
}
static int deadline_forever_then_clear(void) {
  TRY_OK(vh_runtime_set_deadline(F.r_term, UINT64_MAX));
  return vh_runtime_set_deadline(F.r_term, 0);
}
static int run_with_scope_open(void) { return vh_runtime_run(F.r1, VH_RUN_NOWAIT, &S.b); }
static int post_and_wait_inline(void) { return vh_post_and_wait(F.e1, noop_task, NULL); }

/* ---- the rows ---------------------------------------------------------------------------------- */

/* Row flags. */

/* ---- the inspector (rows expect VH_ENOTSUP in a build without it: VH_TEST_HAVE_INSPECTOR) --- */

#ifdef VH_TEST_HAVE_INSPECTOR
#define IC(code) (code)
#else
#define IC(code) VH_ENOTSUP
#endif
#ifdef VH_TEST_HAVE_INSPECTOR_SERVER
#define ISC(code) (code)
#else
#define ISC(code) VH_ENOTSUP
#endif

/* A runtime with an engine and an inspector of its own, for one row. */
typedef struct insp_fix {
  vh_runtime rt;
  vh_engine e;
  vh_inspector in;
  int rc;
} insp_fix;
static int insp_open(insp_fix *f) {
  memset(f, 0, sizeof *f);
  int rc = vh_runtime_new(NULL, &f->rt);
  if (rc == VH_OK) rc = vh_engine_new(f->rt, NULL, &f->e);
  if (rc == VH_OK) rc = vh_inspector_new(f->rt, NULL, &f->in);
  return rc;
}
static int insp_done(insp_fix *f, int rc) {
  vh_runtime_dispose(f->rt);
  return rc;
}
static void insp_noop_message(vh_inspector_session s, const char *m, size_t n, void *d) {
  (void)s; (void)m; (void)n; (void)d;
}
enum insp_case { IN_NEW_NULL_OUT, IN_NEW_SECOND, IN_NEW_SIZE_ZERO, IN_CLOSE_TWICE, IN_CLOSE_IN_CALLBACK,
                 IN_NAME_NULL, IN_NAME_OTHER_RUNTIME, IN_NAME_DISPOSED_ENGINE, IN_SESSION_NULL_CB,
                 IN_SESSION_NULL_OUT, IN_SESSION_CLOSED_INSPECTOR, IN_SEND_NULL, IN_SEND_TOO_LONG,
                 IN_SEND_CLOSED, IN_CLOSE_SESSION_TWICE, IN_DISPATCH_CLOSED, IN_PAUSE_TIMEOUT,
                 IN_PAUSE_OTHER_RUNTIME, IN_LISTEN_REMOTE, IN_LISTEN_NOT_NUMERIC, IN_LISTEN_SIZE_ZERO,
                 IN_LISTEN_TWICE, IN_URL_NULL_LENGTH, IN_URL_NOT_LISTENING, IN_URL_SMALL_BUFFER };
static int close_in_callback_rc;
static void insp_close_in_callback(vh_inspector_session s, const char *m, size_t n, void *d) {
  (void)s; (void)m; (void)n;
  close_in_callback_rc = vh_inspector_close(*(vh_inspector *)d);
}
static int inspector_case(enum insp_case c) {
  insp_fix f;
  int rc = insp_open(&f);
  if (rc != VH_OK) return insp_done(&f, rc);
  vh_inspector_session s;
  vh_inspector_options o;
  vh_inspector_listen_options lo;
  vh_inspector_options_init(&o);
  vh_inspector_listen_options_init(&lo);
  lo.port = 0;
  size_t len;
  char buf[4];
  switch (c) {
    case IN_NEW_NULL_OUT: rc = vh_inspector_new(f.rt, NULL, NULL); break;
    case IN_NEW_SECOND: rc = vh_inspector_new(f.rt, NULL, &(vh_inspector){0}); break;
    case IN_NEW_SIZE_ZERO:
      vh_inspector_close(f.in);
      o.struct_size = 0;
      rc = vh_inspector_new(f.rt, &o, &(vh_inspector){0});
      break;
    case IN_CLOSE_TWICE: vh_inspector_close(f.in); rc = vh_inspector_close(f.in); break;
    case IN_CLOSE_IN_CALLBACK:
      close_in_callback_rc = VH_OK;
      vh_inspector_session_new(f.in, insp_close_in_callback, &f.in, &s);
      vh_inspector_session_send(s, "{\"id\":1,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"1\"}}", VH_AUTO_LENGTH);
      vh_inspector_dispatch(f.in);
      rc = close_in_callback_rc;
      break;
    case IN_NAME_NULL: rc = vh_inspector_set_engine_name(f.in, f.e, NULL); break;
    case IN_NAME_OTHER_RUNTIME: rc = vh_inspector_set_engine_name(f.in, F.e2, "x"); break;
    case IN_NAME_DISPOSED_ENGINE: rc = vh_inspector_set_engine_name(f.in, F.e_dead, "x"); break;
    case IN_SESSION_NULL_CB: rc = vh_inspector_session_new(f.in, NULL, NULL, &s); break;
    case IN_SESSION_NULL_OUT: rc = vh_inspector_session_new(f.in, insp_noop_message, NULL, NULL); break;
    case IN_SESSION_CLOSED_INSPECTOR:
      vh_inspector_close(f.in);
      rc = vh_inspector_session_new(f.in, insp_noop_message, NULL, &s);
      break;
    case IN_SEND_NULL:
      vh_inspector_session_new(f.in, insp_noop_message, NULL, &s);
      rc = vh_inspector_session_send(s, NULL, 0);
      break;
    case IN_SEND_TOO_LONG:
      vh_inspector_session_new(f.in, insp_noop_message, NULL, &s);
      rc = vh_inspector_session_send(s, "{}", (size_t)65 << 20);
      break;
    case IN_SEND_CLOSED:
      vh_inspector_session_new(f.in, insp_noop_message, NULL, &s);
      vh_inspector_session_close(s);
      rc = vh_inspector_session_send(s, "{}", 2);
      break;
    case IN_CLOSE_SESSION_TWICE:
      vh_inspector_session_new(f.in, insp_noop_message, NULL, &s);
      vh_inspector_session_close(s);
      rc = vh_inspector_session_close(s);
      break;
    case IN_DISPATCH_CLOSED: vh_inspector_close(f.in); rc = vh_inspector_dispatch(f.in); break;
    case IN_PAUSE_TIMEOUT: rc = vh_inspector_pause_on_start(f.in, f.e, 1); break;
    case IN_PAUSE_OTHER_RUNTIME: rc = vh_inspector_pause_on_start(f.in, F.e2, 1); break;
    case IN_LISTEN_REMOTE: lo.host = "0.0.0.0"; rc = vh_inspector_listen(f.in, &lo); break;
    case IN_LISTEN_NOT_NUMERIC: lo.host = "localhost"; rc = vh_inspector_listen(f.in, &lo); break;
    case IN_LISTEN_SIZE_ZERO: lo.struct_size = 0; rc = vh_inspector_listen(f.in, &lo); break;
    case IN_LISTEN_TWICE:
      rc = vh_inspector_listen(f.in, &lo);
      if (rc == VH_OK) rc = vh_inspector_listen(f.in, &lo);
      break;
    case IN_URL_NULL_LENGTH: rc = vh_inspector_url(f.in, buf, sizeof buf, NULL); break;
    case IN_URL_NOT_LISTENING: rc = vh_inspector_url(f.in, buf, sizeof buf, &len); break;
    case IN_URL_SMALL_BUFFER:
      rc = vh_inspector_listen(f.in, &lo);
      if (rc == VH_OK) rc = vh_inspector_url(f.in, buf, sizeof buf, &len);
      if (rc == VH_ERANGE && len < 20) rc = VH_TEST_WRONG;  /* the length needed is reported */
      break;
  }
  return insp_done(&f, rc);
}

/* A synthetic module handle no init ever had. */
#define MADE_UP_MODULE ((vh_synthetic_module){UINT64_MAX})

#define T 1u /* runs on the row thread while the main thread holds r1, r2 and priv */
#define W 2u /* writes its out-parameters although it fails (a documented exception) */

/* Each engine call with good arguments, for the engine under test. */
#define E_vh_undefined(e) vh_undefined(e, &S.v)
#define E_vh_null(e) vh_null(e, &S.v)
#define E_vh_bool(e) vh_bool(e, true, &S.v)
#define E_vh_int32(e) vh_int32(e, 1, &S.v)
#define E_vh_uint32(e) vh_uint32(e, 1, &S.v)
#define E_vh_int64(e) vh_int64(e, 1, &S.v)
#define E_vh_double(e) vh_double(e, 1.5, &S.v)
#define E_vh_bigint_int64(e) vh_bigint_int64(e, -1, &S.v)
#define E_vh_bigint_uint64(e) vh_bigint_uint64(e, 1, &S.v)
#define E_vh_bigint_words(e) vh_bigint_words(e, false, 2, kWords, &S.v)
#define E_vh_string_utf8(e) vh_string_utf8(e, "s", VH_AUTO_LENGTH, &S.v)
#define E_vh_string_latin1(e) vh_string_latin1(e, "s", VH_AUTO_LENGTH, &S.v)
#define E_vh_string_utf16(e) vh_string_utf16(e, kUtf16, 2, &S.v)
#define E_vh_symbol(e) vh_symbol(e, "d", &S.v)
#define E_vh_object(e) vh_object(e, &S.v)
#define E_vh_array(e) vh_array(e, 3, &S.v)
#define E_vh_date(e) vh_date(e, 0, &S.v)
#define E_vh_eval(e) vh_eval(e, "1", VH_AUTO_LENGTH, "m.js", &S.v)
#define E_vh_engine_global(e) vh_engine_global(e, &S.v)
#define E_vh_get(e) vh_get(e, F.obj, "x", &S.v)
#define E_vh_set(e) vh_set(e, F.obj, "x", F.num)
#define E_vh_has(e) vh_has(e, F.obj, "x", &S.b)
#define E_vh_delete(e) vh_delete(e, F.obj, "nope", &S.b)
#define E_vh_get_index(e) vh_get_index(e, F.arr, 0, &S.v)
#define E_vh_set_index(e) vh_set_index(e, F.arr, 0, F.num)
#define E_vh_has_index(e) vh_has_index(e, F.arr, 0, &S.b)
#define E_vh_delete_index(e) vh_delete_index(e, F.arr, 99, &S.b)
#define E_vh_get_key(e) vh_get_key(e, F.obj, F.str, &S.v)
#define E_vh_set_key(e) vh_set_key(e, F.obj, F.str, F.num)
#define E_vh_has_key(e) vh_has_key(e, F.obj, F.str, &S.b)
#define E_vh_delete_key(e) vh_delete_key(e, F.obj, F.sym, &S.b)
#define E_vh_define_property(e) vh_define_property(e, F.obj, "d", F.num, VH_PROPERTY_DONT_ENUM)
#define E_vh_own_keys(e) vh_own_keys(e, F.obj, 0, &S.v)
#define E_vh_call(e) vh_call(e, F.fn, NV, 1, &F.num, &S.v)
#define E_vh_json_parse(e) vh_json_parse(e, "[1]", VH_AUTO_LENGTH, &S.v)
#define E_vh_json_stringify(e) vh_json_stringify(e, F.obj, &S.v)
#define E_vh_exception_take(e) vh_exception_take(e, &S.ex)
#define E_vh_exception_discard(e) vh_exception_discard(e)
#define E_vh_function_new(e) vh_function_new(e, "f", noop_fn, NULL, &S.v)
#define E_vh_function_new_numeric(e) vh_function_new_numeric(e, "f", numeric_noop, NULL, &S.v)
#define E_vh_error_new(e) vh_error_new(e, VH_TYPE_ERROR, "m", &S.v)
#define E_vh_throw(e) vh_throw(e, F.num)
#define E_vh_throw_error(e) vh_throw_error(e, VH_ERROR, "m")
#define E_vh_construct(e) vh_construct(e, F.ctor, 0, NULL, &S.v)
#define E_vh_engine_install_globals(e) vh_engine_install_globals(e)
#define E_vh_class_constructor_of(e) vh_class_constructor_of(e, F.cls1, &S.v)
#define E_vh_class_new_instance(e) vh_class_new_instance(e, F.cls1, NULL, &S.v)
#define E_vh_promise_new(e) vh_promise_new(e, &S.v, &S.def)
#define E_vh_deferred_resolve(e) vh_deferred_resolve(e, F.def1, F.num)
#define E_vh_deferred_reject(e) vh_deferred_reject(e, F.def1, F.num)
#define E_vh_pass(e) vh_pass(e, F.obj, &S.v, &S.how)
#define E_vh_copy_array_buffer(e) vh_copy_array_buffer(e, F.ab, &S.v)
#define E_vh_array_buffer_detach(e) vh_array_buffer_detach(e, F.ab)
#define E_vh_module_eval(e) vh_module_eval(e, "export const a = 1;", VH_AUTO_LENGTH, "fresh.mjs", &S.v)
#define E_vh_module_define_synthetic(e) vh_module_define_synthetic(e, "syn-fresh", kExports, 1, noop_syn_init, NULL)
#define E_vh_module_set_export(e) vh_module_set_export(e, MADE_UP_MODULE, "a", F.num)
#define E_vh_code_cache_create(e) vh_code_cache_create(e, "1", VH_AUTO_LENGTH, "c.js", &S.cache, &S.len)
#define E_vh_eval_with_cache(e) vh_eval_with_cache(e, "1", VH_AUTO_LENGTH, "c.js", NULL, 0, &S.b, &S.v)
#define E_vh_async_queue(e) vh_async_queue(e, noop_work, noop_done, NULL, &S.v)
#define E_vh_engine_install_builtins(e) vh_engine_install_builtins(e, VH_BUILTIN_CONSOLE)
#define E_vh_engine_copy(e) vh_engine_copy(e, F.num, F.e1, NULL, &S.v)
#define E_vh_engine_copy_to_bytes(e) vh_engine_copy_to_bytes(e, F.num, &S.cache, &S.len)
#define E_vh_engine_copy_from_bytes(e) vh_engine_copy_from_bytes(e, kBadBytes, sizeof kBadBytes, &S.v)
#define E_vh_new_array_buffer(e) vh_new_array_buffer(e, 8, &S.native, &S.v)
#define E_vh_new_shared_array_buffer(e) vh_new_shared_array_buffer(e, 8, &S.native, &S.v)
#define E_vh_new_external_array_buffer(e) vh_new_external_array_buffer(e, kHostBytes, 8, NULL, NULL, &S.v)
#define E_vh_new_external_shared_array_buffer(e) vh_new_external_shared_array_buffer(e, kHostBytes, 8, NULL, NULL, &S.v)
#define E_vh_new_external_string_latin1(e) vh_new_external_string_latin1(e, kHostBytes, 8, NULL, NULL, &S.v)
#define E_vh_new_external_string_utf16(e) vh_new_external_string_utf16(e, kHostUnits, 2, NULL, NULL, &S.v)

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

/* Each value-only call with good arguments, for the value under test. */
#define R_vh_typeof(val_) vh_typeof(val_, &S.type)
#define R_vh_is(val_) vh_is(val_, VH_KIND_ARRAY, &S.b)
#define R_vh_get_bool(val_) vh_get_bool(val_, &S.b)
#define R_vh_get_double(val_) vh_get_double(val_, &S.d)
#define R_vh_get_int32(val_) vh_get_int32(val_, &S.i32)
#define R_vh_get_uint32(val_) vh_get_uint32(val_, &S.u32)
#define R_vh_get_int64(val_) vh_get_int64(val_, &S.i64)
#define R_vh_get_bigint_int64(val_) vh_get_bigint_int64(val_, &S.i64, &S.b)
#define R_vh_get_bigint_uint64(val_) vh_get_bigint_uint64(val_, &S.u64, NULL)
#define R_vh_get_bigint_words(val_) vh_get_bigint_words(val_, &S.b, &S.count, NULL)
#define R_vh_get_string_utf8(val_) vh_get_string_utf8(val_, NULL, 0, &S.len)
#define R_vh_get_string_utf16(val_) vh_get_string_utf16(val_, NULL, 0, &S.len)
#define R_vh_get_string_latin1(val_) vh_get_string_latin1(val_, NULL, 0, &S.len)
#define R_vh_dup_string_utf8(val_) vh_dup_string_utf8(val_, &S.dup, &S.len)
#define R_vh_get_date(val_) vh_get_date(val_, &S.d)
#define R_vh_array_length(val_) vh_array_length(val_, &S.u32)
#define R_vh_strict_equals(val_) vh_strict_equals(val_, F.num, &S.b)
#define R_vh_promise_state_of(val_) vh_promise_state_of(val_, &S.state)
#define R_vh_promise_result(val_) vh_promise_result(val_, &S.v)
#define R_vh_class_unwrap(val_) vh_class_unwrap(val_, F.cls1, &S.native)
#define R_vh_ref_new(val_) vh_ref_new(val_, 1, &S.ref)
#define R_vh_scope_escape(val_) escape_value(val_)
#define R_vh_array_buffer_data(val_) vh_array_buffer_data(val_, &S.native, &S.len)

/* The value misuses every call that takes a value gets. */
#define VALUE_ROWS_MAIN(X, fn)                                                           \
  X(fn, empty_value, VH_EINVAL, 0, R_##fn(NV))                                           \
  X(fn, closed_value, VH_ESCOPE_CLOSED, 0, R_##fn(F.closed))                             \
  X(fn, value_kept_from_callback, VH_ESCOPE_CLOSED, 0, R_##fn(F.cb_kept))                \
  X(fn, made_up_value, VH_ESCOPE_CLOSED, 0, R_##fn(made_up_value()))
#define VALUE_ROWS(X, fn)                                                                \
  VALUE_ROWS_MAIN(X, fn)                                                                 \
  X(fn, value_of_other_thread, VH_EWRONG_THREAD, T, R_##fn(F.num))

/* runtime.h, version.h, errors.h */
#define RUNTIME_ROWS(X)                                                                              \
  X(vh_version, never_fails, VH_OK, T, version_ok())                                                 \
  X(vh_v8_version, never_fails, VH_OK, T, v8_version_ok())                                           \
  X(vh_strerror, unknown_code, VH_OK, T, strerror_unknown(12345))                                    \
  X(vh_strerror, int_min, VH_OK, 0, strerror_unknown(INT_MIN))                                       \
  X(vh_err_name, unknown_code, VH_OK, T, err_name_unknown(1))                                        \
  X(vh_err_name, int_min, VH_OK, 0, err_name_unknown(INT_MIN))                                       \
  X(vh_runtime_options_init, null_options, VH_EINVAL, 0, vh_runtime_options_init(NULL))              \
  X(vh_engine_options_init, null_options, VH_EINVAL, 0, vh_engine_options_init(NULL))                \
  X(vh_process_options_init, null_options, VH_EINVAL, 0, vh_process_options_init(NULL))              \
  X(vh_process_configure, null_options, VH_EINVAL, 0, vh_process_configure(NULL))                    \
  X(vh_process_configure, struct_size_zero, VH_EVERSION, 0, process_configure_flags(1, 0))           \
  X(vh_process_configure, unknown_flag, VH_EINVAL, 0, process_configure_flags(0, 1u << 7))           \
  X(vh_process_configure, after_v8_started, VH_EBUSY, T, process_configure_flags(0, 0))              \
  X(vh_runtime_new, null_out, VH_EINVAL, 0, vh_runtime_new(NULL, NULL))                              \
  X(vh_runtime_new, struct_size_zero, VH_EVERSION, 0, runtime_new_size(0))                           \
  X(vh_runtime_new, struct_size_older_than_first, VH_EVERSION, 0, runtime_new_size(sizeof(size_t)))  \
  X(vh_runtime_new, newer_struct_nonzero_field, VH_EVERSION, 0, runtime_new_newer_nonzero())         \
  X(vh_runtime_new, newer_struct_zero_fields, VH_OK, 0, runtime_new_size(sizeof(vh_runtime_options) + 8)) \
  X(vh_runtime_new, heap_below_8_mib, VH_EINVAL, 0, runtime_new_heap((8u << 20) - 1))                \
  X(vh_runtime_new, heap_size_max, VH_OK, 0, runtime_new_heap(SIZE_MAX))                             \
  X(vh_runtime_new, proxy_wait_forever, VH_OK, 0, runtime_new_wait_forever())                        \
  X(vh_runtime_dispose, empty_runtime, VH_EINVAL, 0, vh_runtime_dispose(NR))                         \
  X(vh_runtime_dispose, made_up_runtime, VH_EDISPOSED, 0, vh_runtime_dispose(made_up_runtime()))     \
  X(vh_runtime_dispose, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_dispose(F.rt_dead))            \
  X(vh_runtime_dispose, scope_open_on_it, VH_EBUSY, 0, vh_runtime_dispose(F.r1))                     \
  X(vh_runtime_dispose, scope_open_on_other_thread, VH_EBUSY, T, vh_runtime_dispose(F.r1))           \
  X(vh_runtime_dispose, inside_its_host_callback, VH_EBUSY, 0, in_callback(CB_DISPOSE_OWN_RUNTIME))  \
  X(vh_runtime_dispose, private_runtime_scope_open, VH_EBUSY, 0, dispose_private_with_scope(true))  \
  X(vh_runtime_dispose, worker_runtime_loop_running, VH_EBUSY, 0, vh_runtime_dispose(worker_runtime())) \
  X(vh_runtime_dispose, worker_runtime_from_its_task, VH_EBUSY, 0, from_worker(W_DISPOSE_OWN_RUNTIME)) \
  X(vh_runtime_gc, empty_runtime, VH_EINVAL, 0, vh_runtime_gc(NR))                                   \
  X(vh_runtime_gc, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_gc(F.rt_dead))                      \
  X(vh_runtime_gc, made_up_runtime, VH_EDISPOSED, 0, vh_runtime_gc(made_up_runtime()))               \
  X(vh_runtime_terminate, empty_runtime, VH_EINVAL, 0, vh_runtime_terminate(NR))                     \
  X(vh_runtime_terminate, disposed_runtime, VH_EDISPOSED, T, vh_runtime_terminate(F.rt_dead))        \
  X(vh_runtime_terminate, from_other_thread, VH_OK, T, vh_runtime_terminate(F.r_term))               \
  X(vh_runtime_set_deadline, empty_runtime, VH_EINVAL, 0, vh_runtime_set_deadline(NR, 5))            \
  X(vh_runtime_set_deadline, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_set_deadline(F.rt_dead, 5)) \
  X(vh_runtime_set_deadline, from_other_thread, VH_OK, T, vh_runtime_set_deadline(F.r1, 0))          \
  X(vh_runtime_set_deadline, timeout_uint64_max, VH_OK, 0, deadline_forever_then_clear())            \
  X(vh_runtime_interrupt, empty_runtime, VH_EINVAL, 0, vh_runtime_interrupt(NR, noop_interrupt, NULL)) \
  X(vh_runtime_interrupt, null_fn, VH_EINVAL, 0, vh_runtime_interrupt(F.r1, NULL, NULL))             \
  X(vh_runtime_interrupt, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_interrupt(F.rt_dead, noop_interrupt, NULL)) \
  X(vh_runtime_interrupt, from_other_thread, VH_OK, T, vh_runtime_interrupt(F.r1, noop_interrupt, NULL)) \
  X(vh_runtime_heap_stats, null_out, VH_EINVAL, 0, vh_runtime_heap_stats(F.r1, NULL))               \
  X(vh_runtime_heap_stats, empty_runtime, VH_EINVAL, 0, vh_runtime_heap_stats(NR, &S.hs))            \
  X(vh_runtime_heap_stats, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_heap_stats(F.rt_dead, &S.hs)) \
  X(vh_runtime_run_microtasks, empty_runtime, VH_EINVAL, 0, vh_runtime_run_microtasks(NR))           \
  X(vh_runtime_run_microtasks, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_run_microtasks(F.rt_dead)) \
  X(vh_runtime_run_microtasks, inside_host_callback, VH_OK, 0, in_callback(CB_RUN_MICROTASKS_NESTED)) \
  X(vh_engine_new, null_out, VH_EINVAL, 0, vh_engine_new(F.r1, NULL, NULL))                          \
  X(vh_engine_new, empty_runtime, VH_EINVAL, 0, vh_engine_new(NR, NULL, &S.e))                       \
  X(vh_engine_new, disposed_runtime, VH_EDISPOSED, 0, vh_engine_new(F.rt_dead, NULL, &S.e))          \
  X(vh_engine_new, struct_size_zero, VH_EVERSION, 0, engine_new_size(0, 0))                          \
  X(vh_engine_new, reserved_flags_set, VH_EINVAL, 0, engine_new_size(sizeof(vh_engine_options), 1))  \
  X(vh_engine_new, newer_struct_nonzero_field, VH_EVERSION, 0, engine_new_newer_nonzero())           \
  X(vh_engine_new, newer_struct_zero_fields, VH_OK, 0, engine_new_size(sizeof(vh_engine_options) + 8, 0)) \
  X(vh_engine_new_private, null_out, VH_EINVAL, 0, vh_engine_new_private(NULL, NULL, NULL))          \
  X(vh_engine_new_private, bad_runtime_options, VH_EVERSION, 0, private_bad_runtime_options())       \
  X(vh_engine_new_private, bad_engine_options, VH_EVERSION, 0, private_bad_engine_options())         \
  X(vh_engine_new_private, reserved_flags_set, VH_EINVAL, 0, private_reserved_flags())               \
  X(vh_engine_new_private, heap_below_8_mib, VH_EINVAL, 0, private_heap_too_small())                 \
  X(vh_engine_dispose, empty_engine, VH_EINVAL, 0, vh_engine_dispose(NE))                            \
  X(vh_engine_dispose, made_up_engine, VH_EDISPOSED, 0, vh_engine_dispose(made_up_engine()))         \
  X(vh_engine_dispose, disposed_engine, VH_EDISPOSED, 0, vh_engine_dispose(F.e_dead))                \
  X(vh_engine_dispose, engine_of_disposed_runtime, VH_EDISPOSED, 0, vh_engine_dispose(F.e_dead_rt))  \
  X(vh_engine_dispose, disposed_private_engine, VH_EDISPOSED, 0, vh_engine_dispose(F.priv_dead))     \
  X(vh_engine_dispose, scope_open_on_it, VH_EBUSY, 0, vh_engine_dispose(F.e1))                       \
  X(vh_engine_dispose, inside_its_host_callback, VH_EBUSY, 0, in_callback(CB_DISPOSE_OWN_ENGINE))    \
  X(vh_engine_dispose, private_scope_open, VH_EBUSY, 0, dispose_private_with_scope(false))           \
  X(vh_engine_dispose, private_held_by_other_thread, VH_EBUSY, T, vh_engine_dispose(F.priv))         \
  X(vh_engine_equal, two_empty_engines, VH_OK, 0, engines_equal_are(NE, NE, true))                   \
  X(vh_engine_equal, empty_and_live, VH_OK, 0, engines_equal_are(NE, F.e1, false))                   \
  X(vh_engine_equal, two_engines, VH_OK, 0, engines_equal_are(F.e1, F.e1b, false))                   \
  X(vh_engine_equal, disposed_engine_itself, VH_OK, 0, engines_equal_are(F.e_dead, F.e_dead, true))  \
  X(vh_engine_equal, made_up_engine, VH_OK, 0, engines_equal_are(made_up_engine(), F.e1, false))     \
  X(vh_engine_equal, from_other_thread, VH_OK, T, engines_equal_are(F.e1, F.e1, true))               \
  X(vh_runtime_equal, two_empty_runtimes, VH_OK, 0, runtimes_equal_are(NR, NR, true))                \
  X(vh_runtime_equal, empty_and_live, VH_OK, 0, runtimes_equal_are(NR, F.r1, false))                 \
  X(vh_runtime_equal, two_runtimes, VH_OK, 0, runtimes_equal_are(F.r1, F.r2, false))                 \
  X(vh_runtime_equal, disposed_runtime_itself, VH_OK, 0, runtimes_equal_are(F.rt_dead, F.rt_dead, true)) \
  X(vh_runtime_equal, made_up_runtime, VH_OK, 0, runtimes_equal_are(made_up_runtime(), F.r1, false)) \
  X(vh_runtime_equal, from_other_thread, VH_OK, T, runtimes_equal_are(F.r1, F.r1, true))             \
  X(vh_engine_runtime, null_out, VH_EINVAL, 0, vh_engine_runtime(F.e1, NULL))                        \
  X(vh_engine_runtime, empty_engine, VH_EINVAL, 0, vh_engine_runtime(NE, &S.rt))                     \
  X(vh_engine_runtime, disposed_engine, VH_EDISPOSED, 0, vh_engine_runtime(F.e_dead, &S.rt))         \
  X(vh_engine_runtime, engine_of_disposed_runtime, VH_EDISPOSED, 0, vh_engine_runtime(F.e_dead_rt, &S.rt)) \
  X(vh_engine_runtime, from_other_thread, VH_OK, T, vh_engine_runtime(F.e1, &S.rt))                  \
  X(vh_eval, null_source, VH_EINVAL, 0, vh_eval(F.e1, NULL, 0, NULL, &S.v))                          \
  X(vh_eval, length_over_int32_max, VH_ERANGE, 0, vh_eval(F.e1, "1", (size_t)INT32_MAX + 1, NULL, &S.v)) \
  X(vh_eval, length_size_max_minus_1, VH_ERANGE, 0, vh_eval(F.e1, "1", SIZE_MAX - 1, NULL, &S.v))    \
  X(vh_eval, length_negative_int, VH_ERANGE, 0, vh_eval(F.e1, "1", (size_t)(int)-5, NULL, &S.v))     \
  X(vh_eval, invalid_utf8_source, VH_OK, 0, eval_invalid_utf8())                                     \
  X(vh_eval, invalid_utf8_resource_name, VH_OK, 0, eval_invalid_utf8_resource_name())                \
  X(vh_eval, null_out_allowed, VH_OK, 0, vh_eval(F.e1, "1", VH_AUTO_LENGTH, NULL, NULL))             \
  X(vh_eval, other_engine_while_one_pending, VH_OK, 0, vh_eval(F.e1b, "1", VH_AUTO_LENGTH, NULL, &S.v)) \
  X(vh_eval, inside_callback_after_throw, VH_EPENDING_EXCEPTION, 0, in_callback(CB_EVAL_AFTER_THROW)) \
  ENGINE_ROWS(X, vh_eval)                                                                            \
  PENDING_ROW(X, vh_eval)                                                                            \
  X(vh_engine_global, null_out, VH_EINVAL, 0, vh_engine_global(F.e1, NULL))                          \
  X(vh_engine_global, exception_pending_still_works, VH_OK, 0, vh_engine_global(F.ep, &S.v))         \
  ENGINE_ROWS(X, vh_engine_global)

/* scope.h */
#define SCOPE_ROWS(X)                                                                                \
  X(vh_scope_open, null_out, VH_EINVAL, 0, vh_scope_open(F.e1, NULL))                                \
  X(vh_scope_open, empty_engine, VH_EINVAL, 0, vh_scope_open(NE, &S.s))                              \
  X(vh_scope_open, made_up_engine, VH_EDISPOSED, 0, vh_scope_open(made_up_engine(), &S.s))           \
  X(vh_scope_open, disposed_engine, VH_EDISPOSED, 0, vh_scope_open(F.e_dead, &S.s))                  \
  X(vh_scope_open, engine_of_disposed_runtime, VH_EDISPOSED, 0, vh_scope_open(F.e_dead_rt, &S.s))    \
  X(vh_scope_open_escapable, null_out, VH_EINVAL, 0, vh_scope_open_escapable(F.e1, NULL))            \
  X(vh_scope_open_escapable, empty_engine, VH_EINVAL, 0, vh_scope_open_escapable(NE, &S.s))          \
  X(vh_scope_open_escapable, disposed_engine, VH_EDISPOSED, 0, vh_scope_open_escapable(F.e_dead, &S.s)) \
  X(vh_scope_open_escapable, no_scope, VH_ENOSCOPE, 0, vh_scope_open_escapable(F.e3, &S.s))          \
  X(vh_scope_open_escapable, engine_held_by_other_thread, VH_ENOSCOPE, T, vh_scope_open_escapable(F.e1, &S.s)) \
  X(vh_scope_escape, null_out, VH_EINVAL, 0, escape_null_out())                                      \
  X(vh_scope_escape, empty_scope, VH_EINVAL, 0, vh_scope_escape(NS, F.num, &S.v))                    \
  X(vh_scope_escape, closed_scope, VH_ESCOPE_CLOSED, 0, vh_scope_escape(F.s_closed, F.num, &S.v))    \
  X(vh_scope_escape, made_up_scope, VH_ESCOPE_CLOSED, 0, vh_scope_escape(made_up_scope(), F.num, &S.v)) \
  X(vh_scope_escape, scope_of_other_thread, VH_EWRONG_THREAD, T, vh_scope_escape(F.s2, F.num2, &S.v)) \
  X(vh_scope_escape, not_escapable, VH_EESCAPE, 0, vh_scope_escape(F.s2, F.num2, &S.v))              \
  X(vh_scope_escape, value_older_than_scope, VH_EESCAPE, 0, escape_value(F.num))                     \
  X(vh_scope_escape, second_escape, VH_EESCAPE, 0, escape_twice())                                   \
  X(vh_scope_escape, value_of_other_runtime, VH_ERUNTIME_MISMATCH, 0, escape_other_runtime())        \
  X(vh_scope_escape, own_scope_value_of_other_thread, VH_EWRONG_THREAD, T, escape_from(F.e3, F.num)) \
  VALUE_ROWS_MAIN(X, vh_scope_escape)                                                                \
  X(vh_scope_close, empty_scope, VH_EINVAL, 0, vh_scope_close(NS))                                   \
  X(vh_scope_close, closed_twice, VH_ESCOPE_CLOSED, 0, close_twice())                                \
  X(vh_scope_close, closed_scope, VH_ESCOPE_CLOSED, 0, vh_scope_close(F.s_closed))                   \
  X(vh_scope_close, made_up_scope, VH_ESCOPE_CLOSED, 0, vh_scope_close(made_up_scope()))             \
  X(vh_scope_close, not_innermost, VH_ESCOPE_ORDER, 0, vh_scope_close(F.s1))                         \
  X(vh_scope_close, not_innermost_across_runtimes, VH_ESCOPE_ORDER, 0, close_out_of_order_across_runtimes()) \
  X(vh_scope_close, scope_of_other_thread, VH_EWRONG_THREAD, T, vh_scope_close(F.s2))                \
  X(vh_scope_close, callers_scope_from_callback, VH_ESCOPE_ORDER, 0, in_callback(CB_CLOSE_CALLER_SCOPE))

/* value.h: making values */
#define MAKER_ROWS(X)                                                                                \
  X(vh_undefined, null_out, VH_EINVAL, 0, vh_undefined(F.e1, NULL))                                  \
  ENGINE_ROWS(X, vh_undefined)                                                                       \
  X(vh_null, null_out, VH_EINVAL, 0, vh_null(F.e1, NULL))                                            \
  ENGINE_ROWS(X, vh_null)                                                                            \
  X(vh_bool, null_out, VH_EINVAL, 0, vh_bool(F.e1, true, NULL))                                      \
  ENGINE_ROWS(X, vh_bool)                                                                            \
  X(vh_int32, null_out, VH_EINVAL, 0, vh_int32(F.e1, 1, NULL))                                       \
  X(vh_int32, exception_pending_still_works, VH_OK, 0, vh_int32(F.ep, 1, &S.v))                      \
  ENGINE_ROWS(X, vh_int32)                                                                           \
  X(vh_uint32, null_out, VH_EINVAL, 0, vh_uint32(F.e1, 1, NULL))                                     \
  ENGINE_ROWS(X, vh_uint32)                                                                          \
  X(vh_int64, null_out, VH_EINVAL, 0, vh_int64(F.e1, 1, NULL))                                       \
  X(vh_int64, above_2_pow_53, VH_ERANGE, 0, vh_int64(F.e1, INT64_MAX, &S.v))                         \
  X(vh_int64, below_minus_2_pow_53, VH_ERANGE, 0, vh_int64(F.e1, INT64_MIN, &S.v))                   \
  ENGINE_ROWS(X, vh_int64)                                                                           \
  X(vh_double, null_out, VH_EINVAL, 0, vh_double(F.e1, 1, NULL))                                     \
  ENGINE_ROWS(X, vh_double)                                                                          \
  X(vh_bigint_int64, null_out, VH_EINVAL, 0, vh_bigint_int64(F.e1, 1, NULL))                         \
  ENGINE_ROWS(X, vh_bigint_int64)                                                                    \
  X(vh_bigint_uint64, null_out, VH_EINVAL, 0, vh_bigint_uint64(F.e1, 1, NULL))                       \
  ENGINE_ROWS(X, vh_bigint_uint64)                                                                   \
  X(vh_bigint_words, null_out, VH_EINVAL, 0, vh_bigint_words(F.e1, false, 2, kWords, NULL))          \
  X(vh_bigint_words, null_words, VH_EINVAL, 0, vh_bigint_words(F.e1, false, 2, NULL, &S.v))          \
  X(vh_bigint_words, count_zero, VH_EINVAL, 0, vh_bigint_words(F.e1, false, 0, kWords, &S.v))        \
  X(vh_bigint_words, count_16385, VH_ERANGE, 0, vh_bigint_words(F.e1, false, 16385, kWords, &S.v))   \
  X(vh_bigint_words, count_size_max, VH_ERANGE, 0, vh_bigint_words(F.e1, true, SIZE_MAX, kWords, &S.v)) \
  ENGINE_ROWS(X, vh_bigint_words)                                                                    \
  X(vh_string_utf8, null_out, VH_EINVAL, 0, vh_string_utf8(F.e1, "s", 1, NULL))                      \
  X(vh_string_utf8, null_with_length, VH_EINVAL, 0, vh_string_utf8(F.e1, NULL, 3, &S.v))             \
  X(vh_string_utf8, null_auto_length, VH_EINVAL, 0, vh_string_utf8(F.e1, NULL, VH_AUTO_LENGTH, &S.v)) \
  X(vh_string_utf8, null_length_zero, VH_OK, 0, utf8_null_empty())                                   \
  X(vh_string_utf8, length_over_int32_max, VH_ERANGE, 0, vh_string_utf8(F.e1, "s", (size_t)INT32_MAX + 1, &S.v)) \
  X(vh_string_utf8, length_size_max_minus_1, VH_ERANGE, 0, vh_string_utf8(F.e1, "s", SIZE_MAX - 1, &S.v)) \
  X(vh_string_utf8, invalid_utf8, VH_OK, 0, utf8_invalid_becomes_fffd())                             \
  X(vh_string_utf8, embedded_nul, VH_OK, 0, utf8_embedded_nul_kept())                                \
  ENGINE_ROWS(X, vh_string_utf8)                                                                     \
  X(vh_string_latin1, null_out, VH_EINVAL, 0, vh_string_latin1(F.e1, "s", 1, NULL))                  \
  X(vh_string_latin1, null_with_length, VH_EINVAL, 0, vh_string_latin1(F.e1, NULL, 3, &S.v))         \
  X(vh_string_latin1, null_auto_length, VH_EINVAL, 0, vh_string_latin1(F.e1, NULL, VH_AUTO_LENGTH, &S.v)) \
  X(vh_string_latin1, length_over_int32_max, VH_ERANGE, 0, vh_string_latin1(F.e1, "s", (size_t)INT32_MAX + 1, &S.v)) \
  X(vh_string_latin1, length_size_max_minus_1, VH_ERANGE, 0, vh_string_latin1(F.e1, "s", SIZE_MAX - 1, &S.v)) \
  ENGINE_ROWS(X, vh_string_latin1)                                                                   \
  X(vh_string_utf16, null_out, VH_EINVAL, 0, vh_string_utf16(F.e1, kUtf16, 2, NULL))                 \
  X(vh_string_utf16, null_with_length, VH_EINVAL, 0, vh_string_utf16(F.e1, NULL, 3, &S.v))           \
  X(vh_string_utf16, null_auto_length, VH_EINVAL, 0, vh_string_utf16(F.e1, NULL, VH_AUTO_LENGTH, &S.v)) \
  X(vh_string_utf16, length_over_int32_max, VH_ERANGE, 0, vh_string_utf16(F.e1, kUtf16, (size_t)INT32_MAX + 1, &S.v)) \
  X(vh_string_utf16, length_size_max_minus_1, VH_ERANGE, 0, vh_string_utf16(F.e1, kUtf16, SIZE_MAX - 1, &S.v)) \
  X(vh_string_utf16, lone_surrogate_kept, VH_OK, 0, utf16_lone_surrogate_kept())                     \
  ENGINE_ROWS(X, vh_string_utf16)                                                                    \
  X(vh_symbol, null_out, VH_EINVAL, 0, vh_symbol(F.e1, "d", NULL))                                   \
  X(vh_symbol, null_description_allowed, VH_OK, 0, vh_symbol(F.e1, NULL, &S.v))                      \
  X(vh_symbol, invalid_utf8_description, VH_OK, 0, symbol_invalid_utf8())                            \
  ENGINE_ROWS(X, vh_symbol)                                                                          \
  X(vh_object, null_out, VH_EINVAL, 0, vh_object(F.e1, NULL))                                        \
  ENGINE_ROWS(X, vh_object)                                                                          \
  X(vh_array, null_out, VH_EINVAL, 0, vh_array(F.e1, 1, NULL))                                       \
  X(vh_array, length_over_int32_max, VH_ERANGE, 0, vh_array(F.e1, (uint32_t)INT32_MAX + 1, &S.v))    \
  X(vh_array, length_negative_int, VH_ERANGE, 0, vh_array(F.e1, (uint32_t)-1, &S.v))                 \
  ENGINE_ROWS(X, vh_array)                                                                           \
  X(vh_date, null_out, VH_EINVAL, 0, vh_date(F.e1, 0, NULL))                                         \
  X(vh_date, nan_is_invalid_date, VH_OK, 0, vh_date(F.e1, 0.0 / 0.0, &S.v))                          \
  X(vh_date, beyond_range_is_invalid_date, VH_OK, 0, vh_date(F.e1, 1e300, &S.v))                     \
  ENGINE_ROWS(X, vh_date)

/* value.h: types and reading */
#define READER_ROWS(X)                                                                               \
  X(vh_typeof, null_out, VH_EINVAL, 0, vh_typeof(F.num, NULL))                                       \
  VALUE_ROWS(X, vh_typeof)                                                                           \
  X(vh_is, null_out, VH_EINVAL, 0, vh_is(F.num, VH_KIND_ARRAY, NULL))                                \
  X(vh_is, kind_zero, VH_EINVAL, 0, vh_is(F.num, (vh_kind)0, &S.b))                                  \
  X(vh_is, kind_unknown, VH_EINVAL, 0, vh_is(F.num, (vh_kind)999, &S.b))                             \
  X(vh_is, kind_negative, VH_EINVAL, 0, vh_is(F.num, (vh_kind)-1, &S.b))                             \
  VALUE_ROWS(X, vh_is)                                                                               \
  X(vh_get_bool, null_out, VH_EINVAL, 0, vh_get_bool(F.num, NULL))                                   \
  X(vh_get_bool, wrong_type, VH_ETYPE, 0, vh_get_bool(F.num, &S.b))                                  \
  VALUE_ROWS(X, vh_get_bool)                                                                         \
  X(vh_get_double, null_out, VH_EINVAL, 0, vh_get_double(F.num, NULL))                               \
  X(vh_get_double, wrong_type, VH_ETYPE, 0, vh_get_double(F.str, &S.d))                              \
  X(vh_get_double, bigint_is_not_number, VH_ETYPE, 0, vh_get_double(F.big, &S.d))                    \
  VALUE_ROWS(X, vh_get_double)                                                                       \
  X(vh_get_int32, null_out, VH_EINVAL, 0, vh_get_int32(F.num, NULL))                                 \
  X(vh_get_int32, value_of_unknown_thread, VH_EWRONG_THREAD, 0, vh_get_int32(foreign_value(), &S.i32)) \
  X(vh_get_int32, wrong_type, VH_ETYPE, 0, vh_get_int32(F.obj, &S.i32))                              \
  VALUE_ROWS(X, vh_get_int32)                                                                        \
  X(vh_get_uint32, null_out, VH_EINVAL, 0, vh_get_uint32(F.num, NULL))                               \
  X(vh_get_uint32, wrong_type, VH_ETYPE, 0, vh_get_uint32(F.str, &S.u32))                            \
  VALUE_ROWS(X, vh_get_uint32)                                                                       \
  X(vh_get_int64, null_out, VH_EINVAL, 0, vh_get_int64(F.num, NULL))                                 \
  X(vh_get_int64, wrong_type, VH_ETYPE, 0, vh_get_int64(F.big, &S.i64))                              \
  VALUE_ROWS(X, vh_get_int64)                                                                        \
  X(vh_get_bigint_int64, null_out, VH_EINVAL, 0, vh_get_bigint_int64(F.big, NULL, NULL))             \
  X(vh_get_bigint_int64, wrong_type, VH_ETYPE, 0, vh_get_bigint_int64(F.num, &S.i64, NULL))          \
  VALUE_ROWS(X, vh_get_bigint_int64)                                                                 \
  X(vh_get_bigint_uint64, null_out, VH_EINVAL, 0, vh_get_bigint_uint64(F.big, NULL, &S.b))           \
  X(vh_get_bigint_uint64, wrong_type, VH_ETYPE, 0, vh_get_bigint_uint64(F.num, &S.u64, NULL))        \
  VALUE_ROWS(X, vh_get_bigint_uint64)                                                                \
  X(vh_get_bigint_words, null_negative, VH_EINVAL, 0, vh_get_bigint_words(F.big, NULL, &S.count, NULL)) \
  X(vh_get_bigint_words, null_count, VH_EINVAL, 0, vh_get_bigint_words(F.big, &S.b, NULL, S.words))  \
  X(vh_get_bigint_words, wrong_type, VH_ETYPE, 0, vh_get_bigint_words(F.num, &S.b, &S.count, NULL))  \
  X(vh_get_bigint_words, capacity_too_small, VH_ERANGE, W, bigint_words_too_few())                   \
  X(vh_get_bigint_words, capacity_size_max, VH_OK, 0, bigint_words_capacity_huge())                  \
  VALUE_ROWS(X, vh_get_bigint_words)                                                                 \
  X(vh_get_string_utf8, buffer_and_length_null, VH_EINVAL, 0, vh_get_string_utf8(F.str, NULL, 0, NULL)) \
  X(vh_get_string_utf8, wrong_type, VH_ETYPE, 0, vh_get_string_utf8(F.num, S.buf, 64, &S.len))       \
  X(vh_get_string_utf8, capacity_too_small, VH_ERANGE, W, copy_out_too_small())                      \
  X(vh_get_string_utf8, capacity_size_max, VH_OK, 0, capacity_lie_is_trusted())                      \
  X(vh_get_string_utf8, lone_surrogate_out, VH_OK, 0, lone_surrogate_out_utf8())                     \
  VALUE_ROWS(X, vh_get_string_utf8)                                                                  \
  X(vh_get_string_utf16, buffer_and_length_null, VH_EINVAL, 0, vh_get_string_utf16(F.str, NULL, 0, NULL)) \
  X(vh_get_string_utf16, wrong_type, VH_ETYPE, 0, vh_get_string_utf16(F.obj, S.buf16, 64, &S.len))   \
  VALUE_ROWS(X, vh_get_string_utf16)                                                                 \
  X(vh_get_string_latin1, buffer_and_length_null, VH_EINVAL, 0, vh_get_string_latin1(F.str, NULL, 0, NULL)) \
  X(vh_get_string_latin1, wrong_type, VH_ETYPE, 0, vh_get_string_latin1(F.num, S.buf, 64, &S.len))   \
  X(vh_get_string_latin1, above_u00ff, VH_ERANGE, 0, vh_get_string_latin1(F.euro, S.buf, 64, &S.len)) \
  VALUE_ROWS(X, vh_get_string_latin1)                                                                \
  X(vh_dup_string_utf8, null_out, VH_EINVAL, 0, vh_dup_string_utf8(F.str, NULL, &S.len))             \
  X(vh_dup_string_utf8, wrong_type, VH_ETYPE, 0, vh_dup_string_utf8(F.num, &S.dup, &S.len))          \
  X(vh_dup_string_utf8, lone_surrogate_out, VH_OK, 0, lone_surrogate_dup())                          \
  VALUE_ROWS(X, vh_dup_string_utf8)                                                                  \
  X(vh_get_date, null_out, VH_EINVAL, 0, vh_get_date(F.date, NULL))                                  \
  X(vh_get_date, wrong_type, VH_ETYPE, 0, vh_get_date(F.num, &S.d))                                  \
  VALUE_ROWS(X, vh_get_date)                                                                         \
  X(vh_array_length, null_out, VH_EINVAL, 0, vh_array_length(F.arr, NULL))                           \
  X(vh_array_length, wrong_type, VH_ETYPE, 0, vh_array_length(F.obj, &S.u32))                        \
  VALUE_ROWS(X, vh_array_length)                                                                     \
  X(vh_strict_equals, null_out, VH_EINVAL, 0, vh_strict_equals(F.num, F.num, NULL))                  \
  X(vh_strict_equals, values_of_two_runtimes, VH_ERUNTIME_MISMATCH, 0, vh_strict_equals(F.num, F.num2, &S.b)) \
  X(vh_strict_equals, second_value_closed, VH_ESCOPE_CLOSED, 0, vh_strict_equals(F.num, F.closed, &S.b)) \
  X(vh_strict_equals, second_value_empty, VH_EINVAL, 0, vh_strict_equals(F.num, NV, &S.b))           \
  X(vh_strict_equals, second_value_of_other_thread, VH_EWRONG_THREAD, T, vh_strict_equals(F.t_num, F.num, &S.b)) \
  VALUE_ROWS(X, vh_strict_equals)                                                                    \
  X(vh_free, null, VH_OK, T, free_null())                                                            \
  X(vh_value_is_empty, empty_value, VH_OK, 0, is_empty_is(NV, true))                                 \
  X(vh_value_is_empty, live_value, VH_OK, 0, is_empty_is(F.num, false))                              \
  X(vh_value_is_empty, closed_value, VH_OK, 0, is_empty_is(F.closed, false))                         \
  X(vh_value_is_empty, made_up_value, VH_OK, 0, is_empty_is(made_up_value(), false))                 \
  X(vh_value_is_empty, value_of_other_thread, VH_OK, T, is_empty_is(F.num, false))

/* object.h */
#define OBJECT_ROWS(X)                                                                               \
  X(vh_get, null_out, VH_EINVAL, 0, vh_get(F.e1, F.obj, "x", NULL))                                  \
  X(vh_get, null_name, VH_EINVAL, 0, vh_get(F.e1, F.obj, NULL, &S.v))                                \
  X(vh_get, target_not_object, VH_ETYPE, 0, vh_get(F.e1, F.num, "x", &S.v))                          \
  X(vh_get, empty_target, VH_EINVAL, 0, vh_get(F.e1, NV, "x", &S.v))                                 \
  X(vh_get, closed_target, VH_ESCOPE_CLOSED, 0, vh_get(F.e1, F.closed, "x", &S.v))                   \
  X(vh_get, target_of_other_thread, VH_EWRONG_THREAD, T, vh_get(F.e3, F.obj, "x", &S.v))             \
  X(vh_get, target_of_other_runtime, VH_OK, 0, get_through_other_runtime_object())                   \
  ENGINE_ROWS(X, vh_get)                                                                             \
  PENDING_ROW(X, vh_get)                                                                             \
  X(vh_set, null_name, VH_EINVAL, 0, vh_set(F.e1, F.obj, NULL, F.num))                               \
  X(vh_set, target_not_object, VH_ETYPE, 0, vh_set(F.e1, F.str, "x", F.num))                         \
  X(vh_set, empty_value, VH_EINVAL, 0, vh_set(F.e1, F.obj, "x", NV))                                 \
  X(vh_set, closed_value, VH_ESCOPE_CLOSED, 0, vh_set(F.e1, F.obj, "x", F.closed))                   \
  X(vh_set, value_of_other_thread, VH_EWRONG_THREAD, T, vh_set(F.e3, F.t_obj, "x", F.num))           \
  X(vh_set, value_of_other_runtime, VH_OK, 0, set_other_runtime_value())                             \
  X(vh_set, invalid_utf8_name, VH_OK, 0, property_name_invalid_utf8())                               \
  ENGINE_ROWS(X, vh_set)                                                                             \
  PENDING_ROW(X, vh_set)                                                                             \
  X(vh_define_property, null_name, VH_EINVAL, 0, vh_define_property(F.e1, F.obj, NULL, F.num, 0))  \
  X(vh_define_property, unknown_flag, VH_EINVAL, 0, vh_define_property(F.e1, F.obj, "d", F.num, 8u)) \
  X(vh_define_property, target_not_object, VH_ETYPE, 0, vh_define_property(F.e1, F.str, "d", F.num, 0)) \
  X(vh_define_property, empty_value, VH_EINVAL, 0, vh_define_property(F.e1, F.obj, "d", NV, 0))    \
  X(vh_define_property, closed_value, VH_ESCOPE_CLOSED, 0, vh_define_property(F.e1, F.obj, "d", F.closed, 0)) \
  ENGINE_ROWS(X, vh_define_property)                                                                 \
  PENDING_ROW(X, vh_define_property)                                                                 \
  X(vh_has, null_out, VH_EINVAL, 0, vh_has(F.e1, F.obj, "x", NULL))                                  \
  X(vh_has, null_name, VH_EINVAL, 0, vh_has(F.e1, F.obj, NULL, &S.b))                                \
  X(vh_has, target_not_object, VH_ETYPE, 0, vh_has(F.e1, F.num, "x", &S.b))                          \
  X(vh_has, closed_target, VH_ESCOPE_CLOSED, 0, vh_has(F.e1, F.closed, "x", &S.b))                   \
  X(vh_has, target_of_other_thread, VH_EWRONG_THREAD, T, vh_has(F.e3, F.obj, "x", &S.b))             \
  ENGINE_ROWS(X, vh_has)                                                                             \
  PENDING_ROW(X, vh_has)                                                                             \
  X(vh_delete, null_name, VH_EINVAL, 0, vh_delete(F.e1, F.obj, NULL, &S.b))                          \
  X(vh_delete, null_deleted_allowed, VH_OK, 0, vh_delete(F.e1, F.obj, "nope", NULL))                 \
  X(vh_delete, target_not_object, VH_ETYPE, 0, vh_delete(F.e1, F.num, "x", &S.b))                    \
  X(vh_delete, closed_target, VH_ESCOPE_CLOSED, 0, vh_delete(F.e1, F.closed, "x", &S.b))             \
  X(vh_delete, target_of_other_thread, VH_EWRONG_THREAD, T, vh_delete(F.e3, F.obj, "x", &S.b))       \
  ENGINE_ROWS(X, vh_delete)                                                                          \
  PENDING_ROW(X, vh_delete)                                                                          \
  X(vh_get_index, null_out, VH_EINVAL, 0, vh_get_index(F.e1, F.arr, 0, NULL))                        \
  X(vh_get_index, target_not_object, VH_ETYPE, 0, vh_get_index(F.e1, F.num, 0, &S.v))                \
  X(vh_get_index, closed_target, VH_ESCOPE_CLOSED, 0, vh_get_index(F.e1, F.closed, 0, &S.v))         \
  X(vh_get_index, index_uint32_max, VH_OK, 0, vh_get_index(F.e1, F.arr, UINT32_MAX, &S.v))           \
  X(vh_get_index, target_of_other_thread, VH_EWRONG_THREAD, T, vh_get_index(F.e3, F.arr, 0, &S.v))   \
  ENGINE_ROWS(X, vh_get_index)                                                                       \
  PENDING_ROW(X, vh_get_index)                                                                       \
  X(vh_set_index, target_not_object, VH_ETYPE, 0, vh_set_index(F.e1, F.num, 0, F.num))               \
  X(vh_set_index, empty_value, VH_EINVAL, 0, vh_set_index(F.e1, F.arr, 0, NV))                       \
  X(vh_set_index, closed_value, VH_ESCOPE_CLOSED, 0, vh_set_index(F.e1, F.arr, 0, F.closed))         \
  X(vh_set_index, value_of_other_thread, VH_EWRONG_THREAD, T, vh_set_index(F.e3, F.t_obj, 0, F.num)) \
  ENGINE_ROWS(X, vh_set_index)                                                                       \
  PENDING_ROW(X, vh_set_index)                                                                       \
  X(vh_has_index, null_out, VH_EINVAL, 0, vh_has_index(F.e1, F.arr, 0, NULL))                        \
  X(vh_has_index, target_not_object, VH_ETYPE, 0, vh_has_index(F.e1, F.num, 0, &S.b))                \
  X(vh_has_index, closed_target, VH_ESCOPE_CLOSED, 0, vh_has_index(F.e1, F.closed, 0, &S.b))         \
  ENGINE_ROWS(X, vh_has_index)                                                                       \
  PENDING_ROW(X, vh_has_index)                                                                       \
  X(vh_delete_index, target_not_object, VH_ETYPE, 0, vh_delete_index(F.e1, F.num, 0, &S.b))          \
  X(vh_delete_index, closed_target, VH_ESCOPE_CLOSED, 0, vh_delete_index(F.e1, F.closed, 0, &S.b))   \
  ENGINE_ROWS(X, vh_delete_index)                                                                    \
  PENDING_ROW(X, vh_delete_index)                                                                    \
  X(vh_get_key, null_out, VH_EINVAL, 0, vh_get_key(F.e1, F.obj, F.str, NULL))                        \
  X(vh_get_key, empty_key, VH_EINVAL, 0, vh_get_key(F.e1, F.obj, NV, &S.v))                          \
  X(vh_get_key, closed_key, VH_ESCOPE_CLOSED, 0, vh_get_key(F.e1, F.obj, F.closed, &S.v))            \
  X(vh_get_key, key_of_other_thread, VH_EWRONG_THREAD, T, vh_get_key(F.e3, F.t_obj, F.str, &S.v))    \
  X(vh_get_key, target_not_object, VH_ETYPE, 0, vh_get_key(F.e1, F.num, F.str, &S.v))               \
  ENGINE_ROWS(X, vh_get_key)                                                                         \
  PENDING_ROW(X, vh_get_key)                                                                         \
  X(vh_set_key, empty_key, VH_EINVAL, 0, vh_set_key(F.e1, F.obj, NV, F.num))                         \
  X(vh_set_key, closed_value, VH_ESCOPE_CLOSED, 0, vh_set_key(F.e1, F.obj, F.str, F.closed))         \
  X(vh_set_key, key_of_other_runtime, VH_OK, 0, set_key_other_runtime_key())                         \
  X(vh_set_key, value_of_other_thread, VH_EWRONG_THREAD, T, vh_set_key(F.e3, F.t_obj, F.t_num, F.num)) \
  ENGINE_ROWS(X, vh_set_key)                                                                         \
  PENDING_ROW(X, vh_set_key)                                                                         \
  X(vh_has_key, null_out, VH_EINVAL, 0, vh_has_key(F.e1, F.obj, F.str, NULL))                        \
  X(vh_has_key, closed_key, VH_ESCOPE_CLOSED, 0, vh_has_key(F.e1, F.obj, F.closed, &S.b))            \
  X(vh_has_key, key_of_other_thread, VH_EWRONG_THREAD, T, vh_has_key(F.e3, F.t_obj, F.str, &S.b))    \
  ENGINE_ROWS(X, vh_has_key)                                                                         \
  PENDING_ROW(X, vh_has_key)                                                                         \
  X(vh_delete_key, empty_key, VH_EINVAL, 0, vh_delete_key(F.e1, F.obj, NV, &S.b))                    \
  X(vh_delete_key, closed_target, VH_ESCOPE_CLOSED, 0, vh_delete_key(F.e1, F.closed, F.str, &S.b))   \
  X(vh_delete_key, key_of_other_thread, VH_EWRONG_THREAD, T, vh_delete_key(F.e3, F.t_obj, F.str, &S.b)) \
  ENGINE_ROWS(X, vh_delete_key)                                                                      \
  PENDING_ROW(X, vh_delete_key)                                                                      \
  X(vh_own_keys, null_out, VH_EINVAL, 0, vh_own_keys(F.e1, F.obj, 0, NULL))                          \
  X(vh_own_keys, unknown_flag, VH_EINVAL, 0, vh_own_keys(F.e1, F.obj, 4, &S.v))                      \
  X(vh_own_keys, target_not_object, VH_ETYPE, 0, vh_own_keys(F.e1, F.str, 0, &S.v))                  \
  X(vh_own_keys, closed_target, VH_ESCOPE_CLOSED, 0, vh_own_keys(F.e1, F.closed, 0, &S.v))           \
  X(vh_own_keys, target_of_other_thread, VH_EWRONG_THREAD, T, vh_own_keys(F.e3, F.obj, 0, &S.v))     \
  ENGINE_ROWS(X, vh_own_keys)                                                                        \
  PENDING_ROW(X, vh_own_keys)                                                                        \
  X(vh_call, argv_null_argc_1, VH_EINVAL, 0, vh_call(F.e1, F.fn, NV, 1, NULL, &S.v))                 \
  X(vh_call, argc_65536, VH_ERANGE, 0, vh_call(F.e1, F.fn, NV, 65536, &F.num, &S.v))                 \
  X(vh_call, argc_size_max, VH_ERANGE, 0, vh_call(F.e1, F.fn, NV, SIZE_MAX, &F.num, &S.v))           \
  X(vh_call, not_callable, VH_ETYPE, 0, vh_call(F.e1, F.obj, NV, 0, NULL, &S.v))                     \
  X(vh_call, empty_function, VH_EINVAL, 0, vh_call(F.e1, NV, NV, 0, NULL, &S.v))                     \
  X(vh_call, closed_function, VH_ESCOPE_CLOSED, 0, vh_call(F.e1, F.closed, NV, 0, NULL, &S.v))       \
  X(vh_call, closed_this, VH_ESCOPE_CLOSED, 0, vh_call(F.e1, F.fn, F.closed, 0, NULL, &S.v))         \
  X(vh_call, closed_argument, VH_ESCOPE_CLOSED, 0, vh_call(F.e1, F.fn, NV, 1, &F.closed, &S.v))      \
  X(vh_call, empty_argument, VH_EINVAL, 0, vh_call(F.e1, F.fn, NV, 1, &NV, &S.v))                    \
  X(vh_call, empty_this_is_undefined, VH_OK, 0, vh_call(F.e1, F.fn, NV, 0, NULL, NULL))              \
  X(vh_call, argument_of_other_thread, VH_EWRONG_THREAD, T, vh_call(F.e3, F.fn, NV, 0, NULL, &S.v))  \
  X(vh_call, function_of_other_runtime, VH_OK, 0, call_other_runtime_function())                     \
  ENGINE_ROWS(X, vh_call)                                                                            \
  PENDING_ROW(X, vh_call)                                                                            \
  X(vh_json_parse, null_out, VH_EINVAL, 0, vh_json_parse(F.e1, "1", VH_AUTO_LENGTH, NULL))           \
  X(vh_json_parse, null_text, VH_EINVAL, 0, vh_json_parse(F.e1, NULL, 0, &S.v))                      \
  X(vh_json_parse, length_over_int32_max, VH_ERANGE, 0, vh_json_parse(F.e1, "1", (size_t)INT32_MAX + 1, &S.v)) \
  X(vh_json_parse, length_size_max_minus_1, VH_ERANGE, 0, vh_json_parse(F.e1, "1", SIZE_MAX - 1, &S.v)) \
  X(vh_json_parse, syntax_error, VH_EEXCEPTION, 0, json_syntax_error())                              \
  X(vh_json_parse, invalid_utf8, VH_OK, 0, json_invalid_utf8())                                      \
  ENGINE_ROWS(X, vh_json_parse)                                                                      \
  PENDING_ROW(X, vh_json_parse)                                                                      \
  X(vh_json_stringify, null_out, VH_EINVAL, 0, vh_json_stringify(F.e1, F.obj, NULL))                 \
  X(vh_json_stringify, empty_value, VH_EINVAL, 0, vh_json_stringify(F.e1, NV, &S.v))                 \
  X(vh_json_stringify, closed_value, VH_ESCOPE_CLOSED, 0, vh_json_stringify(F.e1, F.closed, &S.v))   \
  X(vh_json_stringify, value_of_other_thread, VH_EWRONG_THREAD, T, vh_json_stringify(F.e3, F.obj, &S.v)) \
  X(vh_json_stringify, value_of_other_runtime, VH_OK, 0, stringify_other_runtime_object())           \
  ENGINE_ROWS(X, vh_json_stringify)                                                                  \
  PENDING_ROW(X, vh_json_stringify)

/* exception.h, ref.h */
#define EXCEPTION_REF_ROWS(X)                                                                        \
  X(vh_exception_pending, null_out, VH_EINVAL, 0, vh_exception_pending(F.ep, NULL))                  \
  X(vh_exception_pending, empty_engine, VH_EINVAL, 0, vh_exception_pending(NE, &S.b))                \
  X(vh_exception_pending, disposed_engine, VH_EDISPOSED, 0, vh_exception_pending(F.e_dead, &S.b))    \
  X(vh_exception_pending, engine_of_disposed_runtime, VH_EDISPOSED, 0, vh_exception_pending(F.e_dead_rt, &S.b)) \
  X(vh_exception_pending, from_other_thread, VH_OK, T, vh_exception_pending(F.ep, &S.b))             \
  X(vh_exception_pending, reports_pending, VH_OK, 0, pending_exception_reported())                   \
  X(vh_exception_take, null_out, VH_EINVAL, 0, vh_exception_take(F.ep, NULL))                        \
  X(vh_exception_take, none_pending, VH_ENOEXCEPTION, 0, take_when_none_pending())                   \
  ENGINE_ROWS(X, vh_exception_take)                                                                  \
  X(vh_exception_clear, null_and_twice, VH_OK, T, clear_twice())                                     \
  X(vh_exception_discard, none_pending, VH_OK, 0, vh_exception_discard(F.e1))                        \
  ENGINE_ROWS(X, vh_exception_discard)                                                               \
  X(vh_ref_new, null_out, VH_EINVAL, 0, vh_ref_new(F.obj, 1, NULL))                                  \
  X(vh_ref_new, value_of_other_runtime, VH_OK, 0, ref_of_other_runtime_value())                      \
  VALUE_ROWS(X, vh_ref_new)                                                                          \
  X(vh_ref_inc, empty_ref, VH_EINVAL, 0, vh_ref_inc(NREF, &S.u32))                                   \
  X(vh_ref_inc, made_up_ref, VH_EDISPOSED, 0, vh_ref_inc(made_up_ref(), &S.u32))                     \
  X(vh_ref_inc, deleted_ref, VH_EDISPOSED, 0, vh_ref_inc(F.ref_deleted, &S.u32))                     \
  X(vh_ref_inc, ref_of_disposed_runtime, VH_EDISPOSED, 0, vh_ref_inc(F.ref_dead, &S.u32))            \
  X(vh_ref_inc, no_scope, VH_ENOSCOPE, 0, vh_ref_inc(F.ref3, &S.u32))                                \
  X(vh_ref_inc, runtime_held_by_other_thread, VH_EWRONG_THREAD, T, vh_ref_inc(F.ref1, &S.u32))      \
  X(vh_ref_inc, count_at_uint32_max, VH_ERANGE, 0, ref_inc_at_max())                                 \
  X(vh_ref_dec, empty_ref, VH_EINVAL, 0, vh_ref_dec(NREF, &S.u32))                                   \
  X(vh_ref_dec, deleted_ref, VH_EDISPOSED, 0, vh_ref_dec(F.ref_deleted, &S.u32))                     \
  X(vh_ref_dec, ref_of_disposed_runtime, VH_EDISPOSED, 0, vh_ref_dec(F.ref_dead, &S.u32))            \
  X(vh_ref_dec, no_scope, VH_ENOSCOPE, 0, vh_ref_dec(F.ref3, &S.u32))                                \
  X(vh_ref_dec, runtime_held_by_other_thread, VH_EWRONG_THREAD, T, vh_ref_dec(F.ref1, &S.u32))      \
  X(vh_ref_dec, count_at_zero, VH_ERANGE, 0, ref_dec_at_zero())                                      \
  X(vh_ref_get, null_out, VH_EINVAL, 0, vh_ref_get(F.ref1, NULL))                                    \
  X(vh_ref_get, empty_ref, VH_EINVAL, 0, vh_ref_get(NREF, &S.v))                                     \
  X(vh_ref_get, deleted_ref, VH_EDISPOSED, 0, vh_ref_get(F.ref_deleted, &S.v))                       \
  X(vh_ref_get, ref_of_disposed_runtime, VH_EDISPOSED, 0, vh_ref_get(F.ref_dead, &S.v))              \
  X(vh_ref_get, no_scope, VH_ENOSCOPE, 0, vh_ref_get(F.ref3, &S.v))                                  \
  X(vh_ref_get, runtime_held_by_other_thread, VH_EWRONG_THREAD, T, vh_ref_get(F.ref1, &S.v))        \
  X(vh_ref_delete, empty_ref, VH_EINVAL, 0, vh_ref_delete(NREF))                                     \
  X(vh_ref_delete, made_up_ref, VH_EDISPOSED, 0, vh_ref_delete(made_up_ref()))                       \
  X(vh_ref_delete, deleted_twice, VH_EDISPOSED, 0, vh_ref_delete(F.ref_deleted))                     \
  X(vh_ref_delete, ref_of_disposed_runtime, VH_EDISPOSED, 0, vh_ref_delete(F.ref_dead))

/* function.h */
#define FUNCTION_ROWS(X)                                                                             \
  X(vh_call_is_construct, null_info, VH_OK, T, call_is_construct_null())                             \
  X(vh_function_new, null_callback, VH_EINVAL, 0, vh_function_new(F.e1, "f", NULL, NULL, &S.v))      \
  X(vh_function_new, null_out, VH_EINVAL, 0, vh_function_new(F.e1, "f", noop_fn, NULL, NULL))        \
  X(vh_function_new, null_name_is_empty, VH_OK, 0, function_name_null_is_empty())                    \
  X(vh_function_new, invalid_utf8_name, VH_OK, 0, function_name_invalid_utf8())                      \
  ENGINE_ROWS(X, vh_function_new)                                                                    \
  X(vh_function_new_numeric, null_callback, VH_EINVAL, 0, vh_function_new_numeric(F.e1, "f", NULL, NULL, &S.v)) \
  X(vh_function_new_numeric, null_out, VH_EINVAL, 0, vh_function_new_numeric(F.e1, "f", numeric_noop, NULL, NULL)) \
  X(vh_function_new_numeric, null_name_allowed, VH_OK, 0, vh_function_new_numeric(F.e1, NULL, numeric_noop, NULL, &S.v)) \
  ENGINE_ROWS(X, vh_function_new_numeric)                                                            \
  X(vh_runtime_global_numeric, null_name, VH_EINVAL, 0, vh_runtime_global_numeric(F.r1, NULL, numeric_noop, NULL)) \
  X(vh_runtime_global_numeric, null_callback, VH_EINVAL, 0, vh_runtime_global_numeric(F.r1, "n", NULL, NULL)) \
  X(vh_runtime_global_numeric, name_nan, VH_EINVAL, 0, vh_runtime_global_numeric(F.r1, "NaN", numeric_noop, NULL)) \
  X(vh_runtime_global_numeric, empty_runtime, VH_EINVAL, 0, vh_runtime_global_numeric(NR, "n", numeric_noop, NULL)) \
  X(vh_runtime_global_numeric, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_global_numeric(F.rt_dead, "n", numeric_noop, NULL)) \
  X(vh_runtime_global_function, null_name, VH_EINVAL, 0, vh_runtime_global_function(F.r1, NULL, noop_fn, NULL)) \
  X(vh_runtime_global_function, null_callback, VH_EINVAL, 0, vh_runtime_global_function(F.r1, "g", NULL, NULL)) \
  X(vh_runtime_global_function, name_undefined, VH_EINVAL, 0, vh_runtime_global_function(F.r1, "undefined", noop_fn, NULL)) \
  X(vh_runtime_global_function, name_infinity, VH_EINVAL, 0, vh_runtime_global_function(F.r1, "Infinity", noop_fn, NULL)) \
  X(vh_runtime_global_function, empty_runtime, VH_EINVAL, 0, vh_runtime_global_function(NR, "g", noop_fn, NULL)) \
  X(vh_runtime_global_function, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_global_function(F.rt_dead, "g", noop_fn, NULL)) \
  X(vh_runtime_global_function, invalid_utf8_name, VH_OK, 0, vh_runtime_global_function(F.r3, "g\xff", noop_fn, NULL)) \
  X(vh_error_new, null_out, VH_EINVAL, 0, vh_error_new(F.e1, VH_ERROR, "m", NULL))                   \
  X(vh_error_new, null_message, VH_EINVAL, 0, vh_error_new(F.e1, VH_ERROR, NULL, &S.v))              \
  X(vh_error_new, kind_zero, VH_EINVAL, 0, vh_error_new(F.e1, (vh_error_kind)0, "m", &S.v))          \
  X(vh_error_new, kind_unknown, VH_EINVAL, 0, vh_error_new(F.e1, (vh_error_kind)9, "m", &S.v))       \
  X(vh_error_new, invalid_utf8_message, VH_OK, 0, error_message_invalid_utf8())                      \
  ENGINE_ROWS(X, vh_error_new)                                                                       \
  X(vh_throw, empty_value, VH_EINVAL, 0, vh_throw(F.e1, NV))                                         \
  X(vh_throw, closed_value, VH_ESCOPE_CLOSED, 0, vh_throw(F.e1, F.closed))                           \
  X(vh_throw, value_of_other_thread, VH_EWRONG_THREAD, T, vh_throw(F.e3, F.num))                     \
  X(vh_throw, value_of_other_runtime, VH_OK, 0, throw_other_runtime_value())                         \
  X(vh_throw, exception_pending_is_replaced, VH_OK, 0, vh_throw(F.ep, F.num))                        \
  ENGINE_ROWS(X, vh_throw)                                                                           \
  X(vh_throw_error, null_message, VH_EINVAL, 0, vh_throw_error(F.e1, VH_ERROR, NULL))                \
  X(vh_throw_error, kind_unknown, VH_EINVAL, 0, vh_throw_error(F.e1, (vh_error_kind)42, "m"))        \
  ENGINE_ROWS(X, vh_throw_error)                                                                     \
  X(vh_construct, null_out, VH_EINVAL, 0, vh_construct(F.e1, F.ctor, 0, NULL, NULL))                 \
  X(vh_construct, argv_null_argc_2, VH_EINVAL, 0, vh_construct(F.e1, F.ctor, 2, NULL, &S.v))         \
  X(vh_construct, argc_65536, VH_ERANGE, 0, vh_construct(F.e1, F.ctor, 65536, &F.num, &S.v))         \
  X(vh_construct, argc_size_max, VH_ERANGE, 0, vh_construct(F.e1, F.ctor, SIZE_MAX, &F.num, &S.v))   \
  X(vh_construct, not_a_function, VH_ETYPE, 0, vh_construct(F.e1, F.obj, 0, NULL, &S.v))             \
  X(vh_construct, not_a_constructor, VH_EEXCEPTION, 0, construct_arrow())                            \
  X(vh_construct, empty_constructor, VH_EINVAL, 0, vh_construct(F.e1, NV, 0, NULL, &S.v))            \
  X(vh_construct, closed_argument, VH_ESCOPE_CLOSED, 0, vh_construct(F.e1, F.ctor, 1, &F.closed, &S.v)) \
  X(vh_construct, constructor_of_other_thread, VH_EWRONG_THREAD, T, vh_construct(F.e3, F.ctor, 0, NULL, &S.v)) \
  ENGINE_ROWS(X, vh_construct)                                                                       \
  PENDING_ROW(X, vh_construct)                                                                       \
  X(vh_engine_install_globals, exception_pending_still_works, VH_OK, 0, vh_engine_install_globals(F.ep)) \
  X(vh_engine_install_globals, twice, VH_OK, 0, install_globals_after_register())                    \
  ENGINE_ROWS(X, vh_engine_install_globals)

/* class.h */
#define CLASS_ROWS(X)                                                                                \
  X(vh_class_def_init, null_def, VH_EINVAL, 0, vh_class_def_init(NULL))                              \
  X(vh_class_define, null_out, VH_EINVAL, 0, vh_class_define(F.r1, NULL, NULL))                      \
  X(vh_class_define, null_def, VH_EINVAL, 0, vh_class_define(F.r1, NULL, &S.cls))                    \
  X(vh_class_define, empty_runtime, VH_EINVAL, 0, define_class(NR, -1))                              \
  X(vh_class_define, disposed_runtime, VH_EDISPOSED, 0, define_class(F.rt_dead, -1))                 \
  X(vh_class_define, struct_size_zero, VH_EVERSION, 0, define_class(F.r1, DEF_SIZE_ZERO))            \
  X(vh_class_define, newer_struct_nonzero_field, VH_EVERSION, 0, define_class(F.r1, DEF_NEWER_NONZERO)) \
  X(vh_class_define, null_name, VH_EINVAL, 0, define_class(F.r1, DEF_NO_NAME))                       \
  X(vh_class_define, null_methods_count_1, VH_EINVAL, 0, define_class(F.r1, DEF_METHODS_NULL))       \
  X(vh_class_define, method_null_callback, VH_EINVAL, 0, define_class(F.r1, DEF_METHOD_NO_CALLBACK)) \
  X(vh_class_define, method_null_name, VH_EINVAL, 0, define_class(F.r1, DEF_METHOD_NO_NAME))         \
  X(vh_class_define, accessor_without_get_or_set, VH_EINVAL, 0, define_class(F.r1, DEF_ACCESSOR_NEITHER)) \
  X(vh_class_define, null_static_methods_count_2, VH_EINVAL, 0, define_class(F.r1, DEF_STATICS_NULL)) \
  X(vh_class_define, null_native_methods_count_size_max, VH_EINVAL, 0, define_class(F.r1, DEF_NATIVE_NULL_HUGE)) \
  X(vh_class_define, null_accessors_count_size_max, VH_EINVAL, 0, define_class(F.r1, DEF_ACCESSORS_NULL_HUGE)) \
  X(vh_class_define, parent_of_other_runtime, VH_ERUNTIME_MISMATCH, 0, define_class(F.r1, DEF_PARENT_OTHER_RUNTIME)) \
  X(vh_class_define, parent_disposed, VH_EDISPOSED, 0, define_class(F.r1, DEF_PARENT_DISPOSED))      \
  X(vh_class_define, invalid_utf8_name, VH_OK, 0, class_invalid_utf8_name())                         \
  X(vh_class_constructor_of, null_out, VH_EINVAL, 0, vh_class_constructor_of(F.e1, F.cls1, NULL))    \
  X(vh_class_constructor_of, empty_class, VH_EINVAL, 0, vh_class_constructor_of(F.e1, NCLS, &S.v))   \
  X(vh_class_constructor_of, class_of_disposed_runtime, VH_EDISPOSED, 0, vh_class_constructor_of(F.e1, F.cls_dead, &S.v)) \
  X(vh_class_constructor_of, class_of_other_runtime, VH_ERUNTIME_MISMATCH, 0, vh_class_constructor_of(F.e1, F.cls2, &S.v)) \
  ENGINE_ROWS(X, vh_class_constructor_of)                                                            \
  X(vh_class_new_instance, null_out, VH_EINVAL, 0, vh_class_new_instance(F.e1, F.cls1, NULL, NULL))  \
  X(vh_class_new_instance, empty_class, VH_EINVAL, 0, vh_class_new_instance(F.e1, NCLS, NULL, &S.v)) \
  X(vh_class_new_instance, class_of_disposed_runtime, VH_EDISPOSED, 0, vh_class_new_instance(F.e1, F.cls_dead, NULL, &S.v)) \
  X(vh_class_new_instance, class_of_other_runtime, VH_ERUNTIME_MISMATCH, 0, vh_class_new_instance(F.e1, F.cls2, NULL, &S.v)) \
  ENGINE_ROWS(X, vh_class_new_instance)                                                              \
  X(vh_class_unwrap, null_native, VH_EINVAL, 0, vh_class_unwrap(F.inst, F.cls1, NULL))               \
  X(vh_class_unwrap, empty_class, VH_EINVAL, 0, vh_class_unwrap(F.inst, NCLS, &S.native))            \
  X(vh_class_unwrap, made_up_class, VH_EDISPOSED, 0, vh_class_unwrap(F.inst, made_up_class(), &S.native)) \
  X(vh_class_unwrap, class_of_disposed_runtime, VH_EDISPOSED, 0, vh_class_unwrap(F.inst, F.cls_dead, &S.native)) \
  X(vh_class_unwrap, class_of_other_runtime, VH_ERUNTIME_MISMATCH, 0, vh_class_unwrap(F.inst, F.cls2, &S.native)) \
  X(vh_class_unwrap, value_of_other_runtime, VH_ERUNTIME_MISMATCH, 0, vh_class_unwrap(F.inst2, F.cls1, &S.native)) \
  X(vh_class_unwrap, plain_object, VH_EBRAND, 0, vh_class_unwrap(F.obj, F.cls1, &S.native))          \
  X(vh_class_unwrap, primitive, VH_EBRAND, 0, vh_class_unwrap(F.num, F.cls1, &S.native))             \
  VALUE_ROWS(X, vh_class_unwrap)                                                                     \
  X(vh_runtime_global_class, empty_runtime, VH_EINVAL, 0, vh_runtime_global_class(NR, F.cls1))       \
  X(vh_runtime_global_class, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_global_class(F.rt_dead, F.cls1)) \
  X(vh_runtime_global_class, empty_class, VH_EINVAL, 0, vh_runtime_global_class(F.r1, NCLS))         \
  X(vh_runtime_global_class, class_of_disposed_runtime, VH_EDISPOSED, 0, vh_runtime_global_class(F.r1, F.cls_dead)) \
  X(vh_runtime_global_class, class_of_other_runtime, VH_ERUNTIME_MISMATCH, 0, vh_runtime_global_class(F.r1, F.cls2)) \
  X(vh_runtime_global_class, class_named_undefined, VH_EINVAL, 0, vh_runtime_global_class(F.r1, F.cls_reserved))

/* promise.h */
#define PROMISE_ROWS(X)                                                                              \
  X(vh_promise_new, null_promise, VH_EINVAL, 0, vh_promise_new(F.e1, NULL, &S.def))                  \
  X(vh_promise_new, null_deferred, VH_EINVAL, 0, vh_promise_new(F.e1, &S.v, NULL))                   \
  ENGINE_ROWS(X, vh_promise_new)                                                                     \
  X(vh_deferred_resolve, empty_deferred, VH_EINVAL, 0, vh_deferred_resolve(F.e1, NDEF, F.num))       \
  X(vh_deferred_resolve, made_up_deferred, VH_EDISPOSED, 0, vh_deferred_resolve(F.e1, made_up_deferred(), F.num)) \
  X(vh_deferred_resolve, settled_deferred, VH_EDISPOSED, 0, deferred_settled_twice(true))            \
  X(vh_deferred_resolve, deferred_of_disposed_runtime, VH_EDISPOSED, 0, vh_deferred_resolve(F.e1, F.def_dead, F.num)) \
  X(vh_deferred_resolve, deferred_of_other_runtime, VH_ERUNTIME_MISMATCH, 0, vh_deferred_resolve(F.e1, F.def2, F.num)) \
  X(vh_deferred_resolve, empty_value, VH_EINVAL, 0, vh_deferred_resolve(F.e1, F.def1, NV))           \
  X(vh_deferred_resolve, closed_value, VH_ESCOPE_CLOSED, 0, vh_deferred_resolve(F.e1, F.def1, F.closed)) \
  X(vh_deferred_resolve, value_of_other_thread, VH_EWRONG_THREAD, T, vh_deferred_resolve(F.e3, F.t_def, F.num)) \
  X(vh_deferred_resolve, value_of_other_runtime, VH_OK, 0, resolve_with_other_runtime_value())       \
  ENGINE_ROWS(X, vh_deferred_resolve)                                                                \
  PENDING_ROW(X, vh_deferred_resolve)                                                                \
  X(vh_deferred_reject, empty_deferred, VH_EINVAL, 0, vh_deferred_reject(F.e1, NDEF, F.num))         \
  X(vh_deferred_reject, settled_deferred, VH_EDISPOSED, 0, deferred_settled_twice(false))            \
  X(vh_deferred_reject, deferred_of_disposed_runtime, VH_EDISPOSED, 0, vh_deferred_reject(F.e1, F.def_dead, F.num)) \
  X(vh_deferred_reject, deferred_of_other_runtime, VH_ERUNTIME_MISMATCH, 0, vh_deferred_reject(F.e1, F.def2, F.num)) \
  X(vh_deferred_reject, closed_value, VH_ESCOPE_CLOSED, 0, vh_deferred_reject(F.e1, F.def1, F.closed)) \
  X(vh_deferred_reject, value_of_other_thread, VH_EWRONG_THREAD, T, vh_deferred_reject(F.e3, F.t_def, F.num)) \
  ENGINE_ROWS(X, vh_deferred_reject)                                                                 \
  PENDING_ROW(X, vh_deferred_reject)                                                                 \
  X(vh_promise_state_of, null_out, VH_EINVAL, 0, vh_promise_state_of(F.promise_done, NULL))          \
  X(vh_promise_state_of, not_a_promise, VH_ETYPE, 0, vh_promise_state_of(F.obj, &S.state))           \
  VALUE_ROWS(X, vh_promise_state_of)                                                                 \
  X(vh_promise_result, null_out, VH_EINVAL, 0, vh_promise_result(F.promise_done, NULL))              \
  X(vh_promise_result, not_a_promise, VH_ETYPE, 0, vh_promise_result(F.num, &S.v))                   \
  X(vh_promise_result, still_pending, VH_EBUSY, 0, vh_promise_result(F.promise_pending, &S.v))       \
  X(vh_promise_result, promise_of_other_runtime, VH_OK, 0, vh_promise_result(F.promise2, &S.v))      \
  VALUE_ROWS(X, vh_promise_result)

/* marshal.h */
#define MARSHAL_ROWS(X)                                                                              \
  X(vh_pass, null_out, VH_EINVAL, 0, vh_pass(F.e1, F.obj2, NULL, &S.how))                            \
  X(vh_pass, null_how_allowed, VH_OK, 0, vh_pass(F.e1, F.obj2, &S.v, NULL))                          \
  X(vh_pass, empty_value, VH_EINVAL, 0, vh_pass(F.e1, NV, &S.v, &S.how))                             \
  X(vh_pass, closed_value, VH_ESCOPE_CLOSED, 0, vh_pass(F.e1, F.closed, &S.v, &S.how))               \
  X(vh_pass, value_kept_from_callback, VH_ESCOPE_CLOSED, 0, vh_pass(F.e2, F.cb_kept, &S.v, &S.how))  \
  X(vh_pass, value_of_other_thread, VH_EWRONG_THREAD, T, vh_pass(F.e3, F.obj, &S.v, &S.how))         \
  X(vh_pass, value_of_other_runtime, VH_OK, 0, pass_other_runtime_object())                          \
  ENGINE_ROWS(X, vh_pass)                                                                            \
  X(vh_copy_array_buffer, null_out, VH_EINVAL, 0, vh_copy_array_buffer(F.e1, F.ab, NULL))            \
  X(vh_copy_array_buffer, not_a_buffer, VH_ETYPE, 0, vh_copy_array_buffer(F.e1, F.obj, &S.v))        \
  X(vh_copy_array_buffer, empty_value, VH_EINVAL, 0, vh_copy_array_buffer(F.e1, NV, &S.v))           \
  X(vh_copy_array_buffer, closed_value, VH_ESCOPE_CLOSED, 0, vh_copy_array_buffer(F.e1, F.closed, &S.v)) \
  X(vh_copy_array_buffer, value_of_other_thread, VH_EWRONG_THREAD, T, vh_copy_array_buffer(F.e3, F.ab, &S.v)) \
  X(vh_copy_array_buffer, buffer_of_other_runtime, VH_OK, 0, copy_other_runtime_buffer())            \
  ENGINE_ROWS(X, vh_copy_array_buffer)                                                               \
  X(vh_array_buffer_detach, empty_value, VH_EINVAL, 0, vh_array_buffer_detach(F.e1, NV))             \
  X(vh_array_buffer_detach, closed_value, VH_ESCOPE_CLOSED, 0, vh_array_buffer_detach(F.e1, F.closed)) \
  X(vh_array_buffer_detach, value_of_other_thread, VH_EWRONG_THREAD, T, vh_array_buffer_detach(F.e3, F.ab)) \
  X(vh_array_buffer_detach, not_a_buffer, VH_ETYPE, 0, vh_array_buffer_detach(F.e1, F.obj))          \
  X(vh_array_buffer_detach, shared_buffer, VH_ETYPE, 0, detach_shared())                             \
  X(vh_array_buffer_detach, buffer_of_other_runtime_arrives_as_proxy, VH_ETYPE, 0, vh_array_buffer_detach(F.e1, F.ab2)) \
  X(vh_array_buffer_detach, detached_twice, VH_OK, 0, detach_twice())                                \
  ENGINE_ROWS(X, vh_array_buffer_detach)

/* Allocations no allocator can give (2^52 bytes): VH_ENOMEM. Left out under AddressSanitizer,
 * whose allocator ends the process on such a request unless allocator_may_return_null=1. */
#if defined(__SANITIZE_ADDRESS__)
#define HUGE_ALLOC_ROWS(X)
#else
#define HUGE_ALLOC_ROWS(X)                                                                           \
  X(vh_new_array_buffer, length_beyond_memory, VH_ENOMEM, 0, vh_new_array_buffer(F.e1, (size_t)1 << 52, &S.native, &S.v)) \
  X(vh_new_shared_array_buffer, length_beyond_memory, VH_ENOMEM, 0, vh_new_shared_array_buffer(F.e1, (size_t)1 << 52, &S.native, &S.v))
#endif

/* buffer.h */
#define BUFFER_ROWS(X)                                                                               \
  X(vh_new_array_buffer, null_out, VH_EINVAL, 0, vh_new_array_buffer(F.e1, 8, &S.native, NULL))      \
  X(vh_new_array_buffer, null_data_allowed, VH_OK, 0, vh_new_array_buffer(F.e1, 8, NULL, &S.v))      \
  X(vh_new_array_buffer, length_above_max, VH_ERANGE, 0, vh_new_array_buffer(F.e1, SIZE_MAX, &S.native, &S.v)) \
  HUGE_ALLOC_ROWS(X)                                                                                 \
  ENGINE_ROWS(X, vh_new_array_buffer)                                                                \
  X(vh_new_shared_array_buffer, null_out, VH_EINVAL, 0, vh_new_shared_array_buffer(F.e1, 8, &S.native, NULL)) \
  X(vh_new_shared_array_buffer, length_above_max, VH_ERANGE, 0, vh_new_shared_array_buffer(F.e1, SIZE_MAX, &S.native, &S.v)) \
  ENGINE_ROWS(X, vh_new_shared_array_buffer)                                                         \
  X(vh_new_external_array_buffer, null_data, VH_EINVAL, 0, vh_new_external_array_buffer(F.e1, NULL, 0, NULL, NULL, &S.v)) \
  X(vh_new_external_array_buffer, null_out, VH_EINVAL, 0, vh_new_external_array_buffer(F.e1, kHostBytes, 8, NULL, NULL, NULL)) \
  X(vh_new_external_array_buffer, length_above_max, VH_ERANGE, 0, vh_new_external_array_buffer(F.e1, kHostBytes, SIZE_MAX, NULL, NULL, &S.v)) \
  ENGINE_ROWS(X, vh_new_external_array_buffer)                                                       \
  X(vh_new_external_shared_array_buffer, null_data, VH_EINVAL, 0, vh_new_external_shared_array_buffer(F.e1, NULL, 0, NULL, NULL, &S.v)) \
  X(vh_new_external_shared_array_buffer, null_out, VH_EINVAL, 0, vh_new_external_shared_array_buffer(F.e1, kHostBytes, 8, NULL, NULL, NULL)) \
  X(vh_new_external_shared_array_buffer, length_above_max, VH_ERANGE, 0, vh_new_external_shared_array_buffer(F.e1, kHostBytes, SIZE_MAX, NULL, NULL, &S.v)) \
  ENGINE_ROWS(X, vh_new_external_shared_array_buffer)                                                \
  X(vh_array_buffer_data, not_a_buffer, VH_ETYPE, 0, vh_array_buffer_data(F.obj, &S.native, &S.len)) \
  X(vh_array_buffer_data, detached, VH_EDETACHED, 0, data_of_detached())                             \
  X(vh_array_buffer_data, null_outs_allowed, VH_OK, 0, vh_array_buffer_data(F.ab, NULL, NULL))       \
  X(vh_array_buffer_data, buffer_of_other_runtime, VH_OK, 0, vh_array_buffer_data(F.ab2, &S.native, &S.len)) \
  VALUE_ROWS(X, vh_array_buffer_data)                                                                \
  X(vh_new_external_string_latin1, null_data, VH_EINVAL, 0, vh_new_external_string_latin1(F.e1, NULL, 0, NULL, NULL, &S.v)) \
  X(vh_new_external_string_latin1, null_out, VH_EINVAL, 0, vh_new_external_string_latin1(F.e1, kHostBytes, 8, NULL, NULL, NULL)) \
  X(vh_new_external_string_latin1, huge_length, VH_ERANGE, 0, vh_new_external_string_latin1(F.e1, kHostBytes, SIZE_MAX, NULL, NULL, &S.v)) \
  ENGINE_ROWS(X, vh_new_external_string_latin1)                                                      \
  X(vh_new_external_string_utf16, null_data, VH_EINVAL, 0, vh_new_external_string_utf16(F.e1, NULL, 0, NULL, NULL, &S.v)) \
  X(vh_new_external_string_utf16, null_out, VH_EINVAL, 0, vh_new_external_string_utf16(F.e1, kHostUnits, 2, NULL, NULL, NULL)) \
  X(vh_new_external_string_utf16, huge_length, VH_ERANGE, 0, vh_new_external_string_utf16(F.e1, kHostUnits, SIZE_MAX, NULL, NULL, &S.v)) \
  ENGINE_ROWS(X, vh_new_external_string_utf16)                                                       \
  COPY_ROWS(X)

/* diagnostics.h */
#define DIAGNOSTICS_ROWS(X)                                                                          \
  X(vh_runtime_memory_pressure, empty_runtime, VH_EINVAL, 0, vh_runtime_memory_pressure(NR, VH_MEMORY_PRESSURE_MODERATE)) \
  X(vh_runtime_memory_pressure, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_memory_pressure(F.rt_dead, VH_MEMORY_PRESSURE_MODERATE)) \
  X(vh_runtime_memory_pressure, unknown_level, VH_EINVAL, 0, vh_runtime_memory_pressure(F.r1, (vh_memory_pressure)99)) \
  X(vh_runtime_memory_pressure, runtime_held_by_other_thread, VH_OK, T, vh_runtime_memory_pressure(F.r1, VH_MEMORY_PRESSURE_NONE)) \
  X(vh_runtime_set_heap_limit_cb, empty_runtime, VH_EINVAL, 0, vh_runtime_set_heap_limit_cb(NR, NULL, NULL)) \
  X(vh_runtime_set_heap_limit_cb, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_set_heap_limit_cb(F.rt_dead, NULL, NULL)) \
  X(vh_runtime_set_heap_limit_cb, null_callback_removes, VH_OK, 0, vh_runtime_set_heap_limit_cb(F.r1, NULL, NULL)) \
  X(vh_runtime_stats_get, null_out, VH_EINVAL, 0, vh_runtime_stats_get(F.r1, NULL))                   \
  X(vh_runtime_stats_get, empty_runtime, VH_EINVAL, 0, stats_of(NR, sizeof(vh_runtime_stats)))         \
  X(vh_runtime_stats_get, disposed_runtime, VH_EDISPOSED, 0, stats_of(F.rt_dead, sizeof(vh_runtime_stats))) \
  X(vh_runtime_stats_get, struct_size_zero, VH_EVERSION, 0, stats_of(F.r1, 0))                         \
  X(vh_runtime_stats_get, works, VH_OK, 0, stats_of(F.r1, sizeof(vh_runtime_stats)))                   \
  X(vh_runtime_stats_get, first_release_size, VH_OK, 0, stats_of(F.r1, offsetof(vh_runtime_stats, proxies_exported))) \
  X(vh_runtime_stats_get, below_first_release_size, VH_EVERSION, 0, stats_of(F.r1, offsetof(vh_runtime_stats, proxies_exported) - 1)) \
  X(vh_runtime_set_gc_cb, empty_runtime, VH_EINVAL, 0, vh_runtime_set_gc_cb(NR, count_gc, NULL))         \
  X(vh_runtime_set_gc_cb, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_set_gc_cb(F.rt_dead, count_gc, NULL)) \
  X(vh_runtime_set_gc_cb, null_callback_removes, VH_OK, 0, vh_runtime_set_gc_cb(F.r1, NULL, NULL))       \
  X(vh_runtime_set_gc_cb, set_then_removed, VH_OK, 0, gc_cb_set_then_removed())                        \
  X(vh_runtime_cpu_profile_start, empty_runtime, VH_EINVAL, 0, vh_runtime_cpu_profile_start(NR, 0))  \
  X(vh_runtime_cpu_profile_start, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_cpu_profile_start(F.rt_dead, 0)) \
  X(vh_runtime_cpu_profile_start, interval_too_small, VH_ERANGE, 0, vh_runtime_cpu_profile_start(F.r1, 1)) \
  X(vh_runtime_cpu_profile_start, interval_too_large, VH_ERANGE, 0, vh_runtime_cpu_profile_start(F.r1, UINT32_MAX)) \
  X(vh_runtime_cpu_profile_stop, empty_runtime, VH_EINVAL, 0, vh_runtime_cpu_profile_stop(NR, discard_output, NULL)) \
  X(vh_runtime_cpu_profile_stop, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_cpu_profile_stop(F.rt_dead, discard_output, NULL)) \
  X(vh_runtime_cpu_profile_stop, null_write, VH_EINVAL, 0, vh_runtime_cpu_profile_stop(F.r1, NULL, NULL)) \
  X(vh_runtime_cpu_profile_stop, none_running, VH_EINVAL, 0, vh_runtime_cpu_profile_stop(F.r1, discard_output, NULL)) \
  X(vh_runtime_cpu_profile_stop, started_twice_then_stopped, VH_OK, 0, profile_twice())              \
  X(vh_runtime_heap_snapshot, empty_runtime, VH_EINVAL, 0, vh_runtime_heap_snapshot(NR, discard_output, NULL)) \
  X(vh_runtime_heap_snapshot, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_heap_snapshot(F.rt_dead, discard_output, NULL)) \
  X(vh_runtime_heap_snapshot, null_write, VH_EINVAL, 0, vh_runtime_heap_snapshot(F.r1, NULL, NULL))  \
  X(vh_runtime_heap_snapshot, write_stops_it, -77, 0, vh_runtime_heap_snapshot(F.r1, stop_output, NULL))

/* copy.h */
#define COPY_ROWS(X)                                                                                 \
  DIAGNOSTICS_ROWS(X)                                                                                \
  X(vh_copy_options_init, null_options, VH_EINVAL, 0, vh_copy_options_init(NULL))                    \
  X(vh_copy_options_init, fills_defaults, VH_OK, 0, copy_options_init_ok())                          \
  X(vh_engine_copy, null_out, VH_EINVAL, 0, vh_engine_copy(F.e1, F.obj, F.e2, NULL, NULL))           \
  X(vh_engine_copy, null_options_allowed, VH_OK, 0, vh_engine_copy(F.e1, F.date, F.e2, NULL, &S.v))   \
  X(vh_engine_copy, struct_size_zero, VH_EVERSION, 0, copy_with_size(0))                             \
  X(vh_engine_copy, struct_size_newer_with_unknown_field, VH_EVERSION, 0, copy_with_size(sizeof(vh_copy_options) + 8)) \
  X(vh_engine_copy, null_transfer_with_count, VH_EINVAL, 0, copy_transfer(NULL, 1))                  \
  X(vh_engine_copy, huge_transfer_count, VH_ERANGE, 0, copy_transfer(&F.ab, SIZE_MAX))               \
  X(vh_engine_copy, transfer_not_a_buffer, VH_ETYPE, 0, copy_transfer(&F.obj, 1))                    \
  X(vh_engine_copy, transfer_of_other_runtime, VH_ETYPE, 0, copy_transfer(&F.ab2, 1))                \
  X(vh_engine_copy, transfer_closed_value, VH_ESCOPE_CLOSED, 0, copy_transfer(&F.closed, 1))         \
  X(vh_engine_copy, uncopyable_value, VH_EEXCEPTION, 0, copy_function())                             \
  X(vh_engine_copy, value_of_other_runtime, VH_ERUNTIME_MISMATCH, 0, vh_engine_copy(F.e1, F.obj2, F.e2, NULL, &S.v)) \
  X(vh_engine_copy, empty_value, VH_EINVAL, 0, vh_engine_copy(F.e1, NV, F.e2, NULL, &S.v))           \
  X(vh_engine_copy, closed_value, VH_ESCOPE_CLOSED, 0, vh_engine_copy(F.e1, F.closed, F.e2, NULL, &S.v)) \
  X(vh_engine_copy, empty_destination, VH_EINVAL, 0, vh_engine_copy(F.e1, F.obj, NE, NULL, &S.v))    \
  X(vh_engine_copy, disposed_destination, VH_EDISPOSED, 0, vh_engine_copy(F.e1, F.obj, F.e_dead, NULL, &S.v)) \
  X(vh_engine_copy, destination_not_held, VH_ENOSCOPE, 0, vh_engine_copy(F.e1, F.obj, F.e3, NULL, &S.v)) \
  ENGINE_ROWS(X, vh_engine_copy)                                                                     \
  PENDING_ROW(X, vh_engine_copy)                                                                     \
  X(vh_engine_copy_to_bytes, null_bytes, VH_EINVAL, 0, vh_engine_copy_to_bytes(F.e1, F.obj, NULL, &S.len)) \
  X(vh_engine_copy_to_bytes, null_length, VH_EINVAL, 0, vh_engine_copy_to_bytes(F.e1, F.obj, &S.cache, NULL)) \
  X(vh_engine_copy_to_bytes, works, VH_OK, 0, copy_to_bytes_ok())                                    \
  X(vh_engine_copy_to_bytes, value_of_other_runtime, VH_ERUNTIME_MISMATCH, 0, vh_engine_copy_to_bytes(F.e1, F.obj2, &S.cache, &S.len)) \
  X(vh_engine_copy_to_bytes, closed_value, VH_ESCOPE_CLOSED, 0, vh_engine_copy_to_bytes(F.e1, F.closed, &S.cache, &S.len)) \
  ENGINE_ROWS(X, vh_engine_copy_to_bytes)                                                            \
  PENDING_ROW(X, vh_engine_copy_to_bytes)                                                            \
  X(vh_engine_copy_from_bytes, null_out, VH_EINVAL, 0, vh_engine_copy_from_bytes(F.e1, kBadBytes, 16, NULL)) \
  X(vh_engine_copy_from_bytes, null_bytes_with_length, VH_EINVAL, 0, vh_engine_copy_from_bytes(F.e1, NULL, 16, &S.v)) \
  X(vh_engine_copy_from_bytes, empty, VH_EBADDATA, 0, vh_engine_copy_from_bytes(F.e1, NULL, 0, &S.v)) \
  X(vh_engine_copy_from_bytes, bad_header, VH_EBADDATA, 0, vh_engine_copy_from_bytes(F.e1, kBadBytes, sizeof kBadBytes, &S.v)) \
  X(vh_engine_copy_from_bytes, huge_length, VH_EBADDATA, 0, vh_engine_copy_from_bytes(F.e1, kBadBytes, SIZE_MAX, &S.v)) \
  ENGINE_ROWS(X, vh_engine_copy_from_bytes)

/* module.h, code_cache.h */
#define MODULE_ROWS(X)                                                                               \
  X(vh_runtime_set_module_loader, empty_runtime, VH_EINVAL, 0, vh_runtime_set_module_loader(NR, no_loader, NULL)) \
  X(vh_runtime_set_module_loader, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_set_module_loader(F.rt_dead, no_loader, NULL)) \
  X(vh_runtime_set_module_loader, null_loader_allowed, VH_OK, 0, vh_runtime_set_module_loader(F.r1, NULL, NULL)) \
  X(vh_runtime_set_import_meta_hook, empty_runtime, VH_EINVAL, 0, vh_runtime_set_import_meta_hook(NR, NULL, NULL)) \
  X(vh_runtime_set_import_meta_hook, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_set_import_meta_hook(F.rt_dead, NULL, NULL)) \
  X(vh_module_eval, null_source, VH_EINVAL, 0, vh_module_eval(F.e1, NULL, 0, "n.mjs", &S.v))         \
  X(vh_module_eval, null_name, VH_EINVAL, 0, vh_module_eval(F.e1, "1;", VH_AUTO_LENGTH, NULL, &S.v)) \
  X(vh_module_eval, length_over_int32_max, VH_ERANGE, 0, vh_module_eval(F.e1, "1;", (size_t)INT32_MAX + 1, "big.mjs", &S.v)) \
  X(vh_module_eval, length_size_max_minus_1, VH_ERANGE, 0, vh_module_eval(F.e1, "1;", SIZE_MAX - 1, "big2.mjs", &S.v)) \
  X(vh_module_eval, name_loaded_already, VH_EINVAL, 0, module_eval_twice())                          \
  ENGINE_ROWS(X, vh_module_eval)                                                                     \
  PENDING_ROW(X, vh_module_eval)                                                                     \
  X(vh_module_define_synthetic, null_name, VH_EINVAL, 0, vh_module_define_synthetic(F.e1, NULL, kExports, 1, noop_syn_init, NULL)) \
  X(vh_module_define_synthetic, null_exports, VH_EINVAL, 0, vh_module_define_synthetic(F.e1, "s", NULL, 1, noop_syn_init, NULL)) \
  X(vh_module_define_synthetic, no_exports, VH_EINVAL, 0, vh_module_define_synthetic(F.e1, "s", kExports, 0, noop_syn_init, NULL)) \
  X(vh_module_define_synthetic, null_init, VH_EINVAL, 0, vh_module_define_synthetic(F.e1, "s", kExports, 1, NULL, NULL)) \
  X(vh_module_define_synthetic, null_export_name, VH_EINVAL, 0, synthetic_null_export())             \
  X(vh_module_define_synthetic, duplicate_export, VH_EINVAL, 0, synthetic_duplicate_exports())       \
  X(vh_module_define_synthetic, name_taken, VH_EINVAL, 0, synthetic_name_taken())                    \
  ENGINE_ROWS(X, vh_module_define_synthetic)                                                         \
  X(vh_module_set_export, made_up_module, VH_EDISPOSED, 0, vh_module_set_export(F.e1, MADE_UP_MODULE, "a", F.num)) \
  X(vh_module_set_export, empty_module, VH_EINVAL, 0, vh_module_set_export(F.e1, (vh_synthetic_module){0}, "a", F.num)) \
  X(vh_module_set_export, module_kept_past_init, VH_EDISPOSED, 0, set_export_after_init())           \
  X(vh_module_set_export, not_an_export, VH_EINVAL, 0, set_export_in_init(0))                        \
  X(vh_module_set_export, closed_value, VH_ESCOPE_CLOSED, 0, set_export_in_init(1))                  \
  X(vh_module_set_export, empty_value, VH_EINVAL, 0, set_export_in_init(2))                          \
  X(vh_module_set_export, null_name, VH_EINVAL, 0, set_export_in_init(3))                            \
  X(vh_module_set_export, value_of_other_runtime, VH_OK, 0, set_export_in_init(4))                   \
  ENGINE_ROWS(X, vh_module_set_export)                                                               \
  X(vh_code_cache_create, null_source, VH_EINVAL, 0, vh_code_cache_create(F.e1, NULL, 0, NULL, &S.cache, &S.len)) \
  X(vh_code_cache_create, null_cache, VH_EINVAL, 0, vh_code_cache_create(F.e1, "1", VH_AUTO_LENGTH, NULL, NULL, &S.len)) \
  X(vh_code_cache_create, null_cache_length, VH_EINVAL, 0, vh_code_cache_create(F.e1, "1", VH_AUTO_LENGTH, NULL, &S.cache, NULL)) \
  X(vh_code_cache_create, length_over_int32_max, VH_ERANGE, 0, vh_code_cache_create(F.e1, "1", (size_t)INT32_MAX + 1, NULL, &S.cache, &S.len)) \
  X(vh_code_cache_create, ok, VH_OK, 0, cache_create_ok_then_free())                                 \
  ENGINE_ROWS(X, vh_code_cache_create)                                                               \
  PENDING_ROW(X, vh_code_cache_create)                                                               \
  X(vh_eval_with_cache, null_source, VH_EINVAL, 0, vh_eval_with_cache(F.e1, NULL, 0, NULL, NULL, 0, &S.b, &S.v)) \
  X(vh_eval_with_cache, null_cache_with_length, VH_EINVAL, 0, vh_eval_with_cache(F.e1, "1", VH_AUTO_LENGTH, NULL, NULL, 5, &S.b, &S.v)) \
  X(vh_eval_with_cache, length_size_max_minus_1, VH_ERANGE, 0, vh_eval_with_cache(F.e1, "1", SIZE_MAX - 1, NULL, NULL, 0, &S.b, &S.v)) \
  X(vh_eval_with_cache, garbage_cache_rejected, VH_OK, 0, cache_garbage(64))                         \
  X(vh_eval_with_cache, cache_length_size_max_rejected, VH_OK, 0, cache_garbage(SIZE_MAX))           \
  ENGINE_ROWS(X, vh_eval_with_cache)                                                                 \
  PENDING_ROW(X, vh_eval_with_cache)


/* Snapshots, engine reset and pools (snapshot.h, pool.h). */
static const uint8_t kJunk80[80] = {'V', '8', 'H'};
static int snapshot_runtime_size(size_t size) {
  vh_runtime_options o;
  vh_runtime_options_init(&o);
  o.struct_size = size;
  return vh_snapshot_runtime_new(&o, &S.rt);
}
static int snapshot_builder(int (*with)(vh_runtime, vh_engine)) {
  vh_runtime rt;
  vh_engine e;
  TRY_OK(vh_snapshot_runtime_new(NULL, &rt));
  TRY_OK(vh_engine_new(rt, NULL, &e));
  int rc = with(rt, e);
  if (rc != VH_OK || vh_runtime_dispose(rt) != VH_EDISPOSED) vh_runtime_dispose(rt);
  return rc;
}
static int create_then_free(vh_runtime rt, vh_engine e) {
  void *blob;
  size_t len;
  int rc = vh_snapshot_create(rt, e, &blob, &len);
  if (rc == VH_OK) {
    rc = vh_snapshot_check(blob, len);
    vh_free(blob);
  }
  return rc;
}
static int create_with_other_engine(vh_runtime rt, vh_engine e) {
  void *blob;
  size_t len;
  (void)e;
  return vh_snapshot_create(rt, F.e1, &blob, &len);
}
static int create_with_scope_open(vh_runtime rt, vh_engine e) {
  void *blob;
  size_t len;
  vh_scope s;
  TRY_OK(vh_scope_open(e, &s));
  int rc = vh_snapshot_create(rt, e, &blob, &len);
  vh_scope_close(s);
  return rc;
}
static int snapshot_builder_ok(void) { return snapshot_builder(create_then_free); }
static int pool_with(size_t min, size_t max, const void *snapshot, size_t length, size_t struct_size) {
  vh_pool_options o;
  vh_pool pool;
  vh_pool_options_init(&o);
  o.struct_size = struct_size;
  o.min_size = min;
  o.max_size = max;
  o.snapshot = snapshot;
  o.snapshot_length = length;
  int rc = vh_pool_new(&o, &pool);
  if (rc == VH_OK) rc = vh_pool_dispose(pool);
  return rc;
}
static int pool_ok(void) { return pool_with(1, 2, NULL, 0, sizeof(vh_pool_options)); }
/* Runs with(pool, engine) on a pool of one with its engine handed out, then cleans up. */
static int pool_holding(int (*with)(vh_pool, vh_engine)) {
  vh_pool_options o;
  vh_pool pool;
  vh_engine e;
  vh_pool_options_init(&o);
  TRY_OK(vh_pool_new(&o, &pool));
  TRY_OK(vh_pool_acquire(pool, &e));
  int rc = with(pool, e);
  vh_pool_release(pool, e);
  vh_pool_dispose(pool);
  return rc;
}
static int pool_acquire_second(vh_pool p, vh_engine e) {
  (void)e;
  return vh_pool_acquire(p, &S.e);
}
static int pool_dispose_held(vh_pool p, vh_engine e) {
  (void)e;
  return vh_pool_dispose(p);
}
static int pool_release_foreign(vh_pool p, vh_engine e) {
  (void)e;
  return vh_pool_release(p, F.e1);
}
static int pool_release_scope_open(vh_pool p, vh_engine e) {
  vh_scope s;
  TRY_OK(vh_scope_open(e, &s));
  int rc = vh_pool_release(p, e);
  vh_scope_close(s);
  return rc;
}
static int pool_trim_ok(vh_pool p, vh_engine e) {
  (void)e;
  return vh_pool_trim(p, NULL);
}
static vh_pool made_up_pool(void) { return (vh_pool){0x00000007003fff00ull}; }
static const vh_pool NPOOL;

/* loop.h */
#define LOOP_ROWS(X)                                                                                 \
  X(vh_runtime_run, empty_runtime, VH_EINVAL, 0, vh_runtime_run(NR, VH_RUN_NOWAIT, NULL))            \
  X(vh_runtime_run, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_run(F.rt_dead, VH_RUN_NOWAIT, NULL)) \
  X(vh_runtime_run, unknown_mode, VH_EINVAL, 0, vh_runtime_run(F.r1, (vh_run_mode)7, NULL))          \
  X(vh_runtime_run, scope_open_allowed, VH_OK, 0, run_with_scope_open())                             \
  X(vh_runtime_run, loop_running_on_other_thread, VH_EBUSY, 0, vh_runtime_run(worker_runtime(), VH_RUN_NOWAIT, NULL)) \
  X(vh_runtime_run, inside_its_own_loop, VH_EBUSY, 0, from_worker(W_RUN_OWN_LOOP))                   \
  X(vh_runtime_loop_stats, null_out, VH_EINVAL, 0, vh_runtime_loop_stats(F.r1, NULL))                \
  X(vh_runtime_loop_stats, empty_runtime, VH_EINVAL, 0, vh_runtime_loop_stats(NR, &S.ls))            \
  X(vh_runtime_loop_stats, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_loop_stats(F.rt_dead, &S.ls)) \
  X(vh_runtime_loop, null_out, VH_EINVAL, 0, vh_runtime_loop(F.r1, NULL))                            \
  X(vh_runtime_loop, empty_runtime, VH_EINVAL, 0, vh_runtime_loop(NR, &S.loop))                      \
  X(vh_runtime_loop, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_loop(F.rt_dead, &S.loop))         \
  X(vh_post, null_task, VH_EINVAL, 0, vh_post(F.e1, NULL, NULL))                                     \
  X(vh_post, empty_engine, VH_EINVAL, 0, vh_post(NE, noop_task, NULL))                               \
  X(vh_post, disposed_engine, VH_EDISPOSED, 0, vh_post(F.e_dead, noop_task, NULL))                   \
  X(vh_post, engine_of_disposed_runtime, VH_EDISPOSED, 0, vh_post(F.e_dead_rt, noop_task, NULL))     \
  X(vh_post, engine_of_stopped_worker, VH_EDISPOSED, 0, vh_post(F.worker_dead_engine, noop_task, NULL)) \
  X(vh_post, from_other_thread, VH_OK, T, vh_post(F.e1, noop_task, NULL))                            \
  X(vh_post_and_wait, null_task, VH_EINVAL, 0, vh_post_and_wait(F.e1, NULL, NULL))                   \
  X(vh_post_and_wait, empty_engine, VH_EINVAL, 0, vh_post_and_wait(NE, noop_task, NULL))             \
  X(vh_post_and_wait, disposed_engine, VH_EDISPOSED, 0, vh_post_and_wait(F.e_dead, noop_task, NULL)) \
  X(vh_post_and_wait, engine_of_stopped_worker, VH_EDISPOSED, 0, vh_post_and_wait(F.worker_dead_engine, noop_task, NULL)) \
  X(vh_post_and_wait, lock_held_runs_inline, VH_OK, 0, post_and_wait_inline())                       \
  X(vh_post_and_wait, from_inside_its_loop, VH_OK, 0, from_worker(W_POST_AND_WAIT_INLINE))           \
  X(vh_worker_start, null_out, VH_EINVAL, 0, vh_worker_start(NULL, NULL, NULL, NULL, NULL))          \
  X(vh_worker_start, struct_size_zero, VH_EVERSION, 0, worker_start_size(0))                         \
  X(vh_worker_start, newer_struct_zero_fields, VH_OK, 0, worker_start_size(sizeof(vh_runtime_options) + 8)) \
  X(vh_worker_start, heap_below_8_mib, VH_EINVAL, 0, worker_start_heap_too_small())                  \
  X(vh_worker_start, init_fails, VH_ERANGE, 0, worker_start_with(NULL, failing_init))                \
  X(vh_worker_stop, empty_worker, VH_EINVAL, 0, vh_worker_stop(NW))                                  \
  X(vh_worker_stop, made_up_worker, VH_EDISPOSED, 0, vh_worker_stop(made_up_worker()))              \
  X(vh_worker_stop, stopped_worker, VH_EDISPOSED, 0, vh_worker_stop(F.worker_dead))                  \
  X(vh_worker_stop, from_its_own_thread, VH_EBUSY, 0, from_worker(W_STOP_SELF))                      \
  X(vh_runtime_set_error_handler, empty_runtime, VH_EINVAL, 0, vh_runtime_set_error_handler(NR, NULL, NULL)) \
  X(vh_runtime_set_error_handler, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_set_error_handler(F.rt_dead, NULL, NULL)) \
  X(vh_runtime_set_error_handler, null_handler_allowed, VH_OK, 0, vh_runtime_set_error_handler(F.r1, NULL, NULL)) \
  X(vh_async_queue, null_work, VH_EINVAL, 0, vh_async_queue(F.e1, NULL, noop_done, NULL, &S.v))      \
  X(vh_async_queue, null_done, VH_EINVAL, 0, vh_async_queue(F.e1, noop_work, NULL, NULL, &S.v))      \
  X(vh_async_queue, null_promise, VH_EINVAL, 0, vh_async_queue(F.e1, noop_work, noop_done, NULL, NULL)) \
  ENGINE_ROWS(X, vh_async_queue)                                                                     \
  X(vh_engine_install_builtins, unknown_flag, VH_EINVAL, 0, vh_engine_install_builtins(F.e1, 16))    \
  X(vh_engine_install_builtins, all_flags, VH_OK, 0, vh_engine_install_builtins(F.e1b, VH_BUILTIN_ALL)) \
  ENGINE_ROWS(X, vh_engine_install_builtins)                                                         \
  X(vh_runtime_set_console, empty_runtime, VH_EINVAL, 0, vh_runtime_set_console(NR, NULL, NULL))     \
  X(vh_runtime_set_console, disposed_runtime, VH_EDISPOSED, 0, vh_runtime_set_console(F.rt_dead, NULL, NULL))

#define INSPECTOR_ROWS(X)                                                                            \
  X(vh_inspector_options_init, null, VH_EINVAL, 0, vh_inspector_options_init(NULL))                   \
  X(vh_inspector_listen_options_init, null, VH_EINVAL, 0, vh_inspector_listen_options_init(NULL))     \
  X(vh_inspector_new, null_out, IC(VH_EINVAL), 0, inspector_case(IN_NEW_NULL_OUT))                    \
  X(vh_inspector_new, empty_runtime, IC(VH_EINVAL), 0, vh_inspector_new(NR, NULL, &(vh_inspector){0})) \
  X(vh_inspector_new, disposed_runtime, IC(VH_EDISPOSED), 0, vh_inspector_new(F.rt_dead, NULL, &(vh_inspector){0})) \
  X(vh_inspector_new, second_on_runtime, IC(VH_EBUSY), 0, inspector_case(IN_NEW_SECOND))             \
  X(vh_inspector_new, struct_size_zero, IC(VH_EVERSION), 0, inspector_case(IN_NEW_SIZE_ZERO))        \
  X(vh_inspector_close, empty_inspector, IC(VH_EINVAL), 0, vh_inspector_close((vh_inspector){0}))    \
  X(vh_inspector_close, closed_inspector, IC(VH_EDISPOSED), 0, inspector_case(IN_CLOSE_TWICE))       \
  X(vh_inspector_close, inside_message_callback, IC(VH_EBUSY), 0, inspector_case(IN_CLOSE_IN_CALLBACK)) \
  X(vh_inspector_set_engine_name, null_name, IC(VH_EINVAL), 0, inspector_case(IN_NAME_NULL))         \
  X(vh_inspector_set_engine_name, engine_of_other_runtime, IC(VH_ERUNTIME_MISMATCH), 0, inspector_case(IN_NAME_OTHER_RUNTIME)) \
  X(vh_inspector_set_engine_name, disposed_engine, IC(VH_EDISPOSED), 0, inspector_case(IN_NAME_DISPOSED_ENGINE)) \
  X(vh_inspector_session_new, null_callback, IC(VH_EINVAL), 0, inspector_case(IN_SESSION_NULL_CB))  \
  X(vh_inspector_session_new, null_out, IC(VH_EINVAL), 0, inspector_case(IN_SESSION_NULL_OUT))      \
  X(vh_inspector_session_new, closed_inspector, IC(VH_EDISPOSED), 0, inspector_case(IN_SESSION_CLOSED_INSPECTOR)) \
  X(vh_inspector_session_send, null_message, IC(VH_EINVAL), 0, inspector_case(IN_SEND_NULL))        \
  X(vh_inspector_session_send, longer_than_64_mib, IC(VH_ERANGE), 0, inspector_case(IN_SEND_TOO_LONG)) \
  X(vh_inspector_session_send, closed_session, IC(VH_EDISPOSED), 0, inspector_case(IN_SEND_CLOSED)) \
  X(vh_inspector_session_send, empty_session, IC(VH_EINVAL), 0, vh_inspector_session_send((vh_inspector_session){0}, "{}", 2)) \
  X(vh_inspector_session_close, empty_session, IC(VH_EINVAL), 0, vh_inspector_session_close((vh_inspector_session){0})) \
  X(vh_inspector_session_close, closed_session, IC(VH_EDISPOSED), 0, inspector_case(IN_CLOSE_SESSION_TWICE)) \
  X(vh_inspector_dispatch, empty_inspector, IC(VH_EINVAL), 0, vh_inspector_dispatch((vh_inspector){0})) \
  X(vh_inspector_dispatch, closed_inspector, IC(VH_EDISPOSED), 0, inspector_case(IN_DISPATCH_CLOSED)) \
  X(vh_inspector_pause_on_start, no_client_in_time, IC(VH_ETIMEDOUT), 0, inspector_case(IN_PAUSE_TIMEOUT)) \
  X(vh_inspector_pause_on_start, engine_of_other_runtime, IC(VH_ERUNTIME_MISMATCH), 0, inspector_case(IN_PAUSE_OTHER_RUNTIME)) \
  X(vh_inspector_listen, non_loopback_without_allow_remote, ISC(VH_EINVAL), 0, inspector_case(IN_LISTEN_REMOTE)) \
  X(vh_inspector_listen, host_not_numeric, ISC(VH_EINVAL), 0, inspector_case(IN_LISTEN_NOT_NUMERIC)) \
  X(vh_inspector_listen, struct_size_zero, ISC(VH_EVERSION), 0, inspector_case(IN_LISTEN_SIZE_ZERO)) \
  X(vh_inspector_listen, already_listening, ISC(VH_EBUSY), 0, inspector_case(IN_LISTEN_TWICE))      \
  X(vh_inspector_url, null_length, IC(VH_EINVAL), 0, inspector_case(IN_URL_NULL_LENGTH))            \
  X(vh_inspector_url, not_listening, IC(VH_ENOTSUP), 0, inspector_case(IN_URL_NOT_LISTENING))       \
  X(vh_inspector_url, buffer_too_small, ISC(VH_ERANGE), 0, inspector_case(IN_URL_SMALL_BUFFER))

/* snapshot.h, pool.h */
#define SNAPSHOT_ROWS(X)                                                                             \
  X(vh_snapshot_runtime_new, null_out, VH_EINVAL, 0, vh_snapshot_runtime_new(NULL, NULL))            \
  X(vh_snapshot_runtime_new, struct_size_zero, VH_EVERSION, 0, snapshot_runtime_size(0))             \
  X(vh_snapshot_runtime_new, ok, VH_OK, 0, snapshot_builder_ok())                                    \
  X(vh_snapshot_create, null_blob, VH_EINVAL, 0, vh_snapshot_create(F.r1, F.e1, NULL, &S.len))      \
  X(vh_snapshot_create, null_length, VH_EINVAL, 0, vh_snapshot_create(F.r1, F.e1, (void **)&S.cache, NULL)) \
  X(vh_snapshot_create, empty_runtime, VH_EINVAL, 0, vh_snapshot_create(NR, F.e1, (void **)&S.cache, &S.len)) \
  X(vh_snapshot_create, disposed_runtime, VH_EDISPOSED, 0, vh_snapshot_create(F.rt_dead, F.e1, (void **)&S.cache, &S.len)) \
  X(vh_snapshot_create, disposed_engine, VH_EDISPOSED, 0, vh_snapshot_create(F.r1, F.e_dead, (void **)&S.cache, &S.len)) \
  X(vh_snapshot_create, not_a_builder, VH_EINVAL, 0, vh_snapshot_create(F.r1, F.e1, (void **)&S.cache, &S.len)) \
  X(vh_snapshot_create, engine_of_other_runtime, VH_ERUNTIME_MISMATCH, 0, snapshot_builder(create_with_other_engine)) \
  X(vh_snapshot_create, scope_open, VH_EBUSY, 0, snapshot_builder(create_with_scope_open))           \
  X(vh_snapshot_check, null_blob, VH_EINVAL, 0, vh_snapshot_check(NULL, 100))                        \
  X(vh_snapshot_check, zero_length, VH_EBADDATA, 0, vh_snapshot_check(kJunk80, 0))                   \
  X(vh_snapshot_check, junk, VH_EBADDATA, 0, vh_snapshot_check(kJunk80, sizeof kJunk80))             \
  X(vh_snapshot_check, length_size_max, VH_EBADDATA, 0, vh_snapshot_check(kJunk80, SIZE_MAX))        \
  X(vh_runtime_new_from_snapshot, null_blob, VH_EINVAL, 0, vh_runtime_new_from_snapshot(NULL, NULL, 100, &S.rt)) \
  X(vh_runtime_new_from_snapshot, null_out, VH_EINVAL, 0, vh_runtime_new_from_snapshot(NULL, kJunk80, 80, NULL)) \
  X(vh_runtime_new_from_snapshot, junk, VH_EBADDATA, 0, vh_runtime_new_from_snapshot(NULL, kJunk80, 80, &S.rt)) \
  X(vh_engine_reset, empty_engine, VH_EINVAL, 0, vh_engine_reset(NE))                                \
  X(vh_engine_reset, made_up_engine, VH_EDISPOSED, 0, vh_engine_reset(made_up_engine()))             \
  X(vh_engine_reset, disposed_engine, VH_EDISPOSED, 0, vh_engine_reset(F.e_dead))                    \
  X(vh_engine_reset, scope_open_on_it, VH_EBUSY, 0, vh_engine_reset(F.e1))                           \
  X(vh_pool_options_init, null_options, VH_EINVAL, 0, vh_pool_options_init(NULL))                    \
  X(vh_pool_new, null_options, VH_EINVAL, 0, vh_pool_new(NULL, (vh_pool *)&S.u64))                   \
  X(vh_pool_new, max_size_zero, VH_EINVAL, 0, pool_with(0, 0, NULL, 0, sizeof(vh_pool_options)))     \
  X(vh_pool_new, min_above_max, VH_EINVAL, 0, pool_with(3, 2, NULL, 0, sizeof(vh_pool_options)))     \
  X(vh_pool_new, struct_size_zero, VH_EVERSION, 0, pool_with(0, 1, NULL, 0, 0))                      \
  X(vh_pool_new, null_snapshot_with_length, VH_EINVAL, 0, pool_with(0, 1, NULL, 10, sizeof(vh_pool_options))) \
  X(vh_pool_new, junk_snapshot, VH_EBADDATA, 0, pool_with(0, 1, kJunk80, 80, sizeof(vh_pool_options))) \
  X(vh_pool_new, ok, VH_OK, 0, pool_ok())                                                            \
  X(vh_pool_acquire, null_out, VH_EINVAL, 0, vh_pool_acquire(made_up_pool(), NULL))                  \
  X(vh_pool_acquire, empty_pool, VH_EINVAL, 0, vh_pool_acquire(NPOOL, &S.e))                         \
  X(vh_pool_acquire, made_up_pool, VH_EDISPOSED, 0, vh_pool_acquire(made_up_pool(), &S.e))           \
  X(vh_pool_acquire, all_handed_out, VH_EBUSY, 0, pool_holding(pool_acquire_second))                 \
  X(vh_pool_release, empty_pool, VH_EINVAL, 0, vh_pool_release(NPOOL, F.e1))                         \
  X(vh_pool_release, made_up_pool, VH_EDISPOSED, 0, vh_pool_release(made_up_pool(), F.e1))           \
  X(vh_pool_release, engine_not_of_pool, VH_EINVAL, 0, pool_holding(pool_release_foreign))           \
  X(vh_pool_release, scope_open_on_it, VH_EBUSY, 0, pool_holding(pool_release_scope_open))           \
  X(vh_pool_trim, empty_pool, VH_EINVAL, 0, vh_pool_trim(NPOOL, NULL))                               \
  X(vh_pool_trim, made_up_pool, VH_EDISPOSED, 0, vh_pool_trim(made_up_pool(), NULL))                 \
  X(vh_pool_trim, null_count_allowed, VH_OK, 0, pool_holding(pool_trim_ok))                          \
  X(vh_pool_dispose, empty_pool, VH_EINVAL, 0, vh_pool_dispose(NPOOL))                               \
  X(vh_pool_dispose, made_up_pool, VH_EDISPOSED, 0, vh_pool_dispose(made_up_pool()))                 \
  X(vh_pool_dispose, engine_handed_out, VH_EBUSY, 0, pool_holding(pool_dispose_held))

#define ALL_ROWS(X)                                                                                  \
  RUNTIME_ROWS(X)                                                                                    \
  SCOPE_ROWS(X)                                                                                      \
  MAKER_ROWS(X)                                                                                      \
  READER_ROWS(X)                                                                                     \
  OBJECT_ROWS(X)                                                                                     \
  EXCEPTION_REF_ROWS(X)                                                                              \
  FUNCTION_ROWS(X)                                                                                   \
  CLASS_ROWS(X)                                                                                      \
  PROMISE_ROWS(X)                                                                                    \
  MARSHAL_ROWS(X)                                                                                    \
  BUFFER_ROWS(X)                                                                                     \
  MODULE_ROWS(X)                                                                                     \
  LOOP_ROWS(X)                                                                                       \
  INSPECTOR_ROWS(X)                                                                                  \
  SNAPSHOT_ROWS(X)

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
  if ((tr->setup_rc = vh_object(F.e3, &F.t_obj)) != VH_OK ||
      (tr->setup_rc = vh_int32(F.e3, 3, &F.t_num)) != VH_OK ||
      (tr->setup_rc = vh_promise_new(F.e3, &(vh_value){0}, &F.t_def)) != VH_OK) {
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
  assert_ok(vh_runtime_new(NULL, &F.rt_dead));
  assert_ok(vh_engine_new(F.rt_dead, NULL, &F.e_dead_rt));
  memset(&def, 0, sizeof def);
  def.struct_size = sizeof def;
  def.name = "Dead";
  assert_ok(vh_class_define(F.rt_dead, &def, &F.cls_dead));
  assert_ok(vh_scope_open(F.e_dead_rt, &s));
  assert_ok(vh_object(F.e_dead_rt, &v));
  assert_ok(vh_ref_new(v, 1, &F.ref_dead));
  assert_ok(vh_promise_new(F.e_dead_rt, &v, &F.def_dead));
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
  assert_ok(vh_object(F.e3, &v));
  assert_ok(vh_ref_new(v, 1, &F.ref3));
  assert_ok(vh_scope_close(s));

  /* A value whose scope has closed, and that closed scope. */
  assert_ok(vh_scope_open(F.e1, &s));
  assert_ok(vh_int32(F.e1, 99, &F.closed));
  assert_ok(vh_scope_close(s));
  F.s_closed = s;

  assert_ok(vh_scope_open(F.e1, &F.s1));
  assert_ok(vh_int32(F.e1, 7, &F.num));
  assert_ok(vh_string_utf8(F.e1, "abc", VH_AUTO_LENGTH, &F.str));
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
  assert_ok(vh_promise_new(F.e1, &F.promise_pending, &F.def1));
  assert_ok(vh_class_new_instance(F.e1, F.cls1, &F, &F.inst));
  assert_ok(vh_promise_new(F.e1, &v, &F.def_used));
  assert_ok(vh_deferred_resolve(F.e1, F.def_used, F.num));
  assert_ok(vh_ref_new(F.obj, 1, &F.ref1));
  assert_ok(vh_ref_new(F.num, UINT32_MAX, &F.ref_max));
  assert_ok(vh_ref_new(F.num, 0, &F.ref_zero));
  assert_ok(vh_ref_new(F.obj, 1, &F.ref_deleted));
  assert_ok(vh_ref_delete(F.ref_deleted));
  /* A host callback's argument, kept past the callback's return. */
  assert_ok(vh_function_new(F.e1, "keep", keep_arg, NULL, &keeper));
  assert_ok(vh_call(F.e1, keeper, NV, 1, &F.num, NULL));
  /* An exception pending in ep. */
  assert_status(VH_EEXCEPTION, vh_eval(F.ep, "throw new Error('pending')", VH_AUTO_LENGTH, "ep.js", NULL));

  assert_ok(vh_scope_open(F.e2, &F.s2));
  assert_ok(vh_int32(F.e2, 8, &F.num2));
  F.obj2 = eval_in(F.e2, "({ x: 2 })");
  F.fn2 = eval_in(F.e2, "(function g(a) { return a + 2 })");
  F.ab2 = eval_in(F.e2, "new ArrayBuffer(4)");
  F.promise2 = eval_in(F.e2, "Promise.reject(new Error('r2'))");
  eval_in(F.e2, "Promise.reject(1).catch(() => 0); 0");
  assert_ok(vh_class_new_instance(F.e2, F.cls2, NULL, &F.inst2));
  assert_ok(vh_promise_new(F.e2, &v, &F.def2));
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

/* Every function the headers export (VH_API) has at least one row. The headers are found next to
 * this source file; a build from elsewhere skips the check. */
static bool has_row(const char *fn) {
  for (size_t i = 0; i < ROW_COUNT; i++)
    if (!strcmp(kRows[i].fn, fn)) return true;
  return false;
}

static int check_header(const char *path, int *functions) {
  FILE *f = fopen(path, "r");
  char line[512];
  int missing = 0;
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    const char *api = strstr(line, "VH_API ");
    const char *paren, *start;
    char name[128];
    if (!api || strstr(line, "#define")) continue;
    paren = strchr(api, '(');
    if (!paren) continue;
    start = paren;
    while (start > api && (start[-1] == '_' || (start[-1] >= 'a' && start[-1] <= 'z') ||
                           (start[-1] >= '0' && start[-1] <= '9')))
      start--;
    if ((size_t)(paren - start) >= sizeof name || paren == start) continue;
    memcpy(name, start, (size_t)(paren - start));
    name[paren - start] = 0;
    ++*functions;
    if (!has_row(name)) {
      print_error("%s (%s) has no misuse row\n", name, path);
      missing++;
    }
  }
  fclose(f);
  return missing;
}

static void test_every_function_covered(void **state) {
  (void)state;
  char dir[1024], path[1200];
  const char *slash = strrchr(__FILE__, '/');
  DIR *d;
  struct dirent *ent;
  int missing = 0, functions = 0, headers = 0;
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
    int m = check_header(path, &functions);
    assert_true(m >= 0);
    missing += m;
    headers++;
  }
  closedir(d);
  print_message("  %d VH_API functions in %d headers, %d without a row\n", functions, headers, missing);
  assert_true(functions > 100);
  assert_int_equal(missing, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_misuse_table),
      cmocka_unit_test(test_every_function_covered),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
