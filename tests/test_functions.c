/* Host functions, throwing from C, calls and construction, runtime-wide globals (function.h). */
#define VH_TEST_FIXTURE /* g_rt, g_e, g_scope and their setup/teardown */
#include "test_util.h"

static vh_value make_fn(vh_engine e, const char *name, vh_host_function_cb cb, void *data) {
  vh_value f;
  assert_ok(vh_new_function(e, name, cb, data, &f));
  return f;
}
static void def_fn(vh_engine e, const char *name, vh_host_function_cb cb, void *data) {
  assert_ok(set_global(e, name, make_fn(e, name, cb, data)));
}
static void take_expect(vh_engine e, const char *needle) {
  vh_exception x;
  assert_ok(vh_exception_take(e, &x));
  if (!strstr(x.message, needle)) fail_msg("message '%s' lacks '%s'", x.message, needle);
  vh_exception_free(&x);
}

/* ---- callbacks ---------------------------------------------------------------------------- */

static int cb_sum(const vh_call_info *info, vh_value *result) {
  int32_t sum = 0, n;
  for (size_t i = 0; i < info->argc; ++i) {
    int rc = vh_value_int32(info->argv[i], &n);
    if (rc != VH_OK) return rc; /* a non-number argument: the status becomes an Error */
    sum += n;
  }
  return vh_new_int32(info->engine, sum, result);
}
static int cb_this(const vh_call_info *info, vh_value *result) {
  *result = info->this_value;
  return VH_OK;
}
static bool g_construct, g_nt_empty;
static int cb_new_target(const vh_call_info *info, vh_value *result) {
  g_construct = vh_call_is_construct(info);
  g_nt_empty = vh_value_is_empty(info->new_target);
  if (g_construct) *result = info->new_target; /* an object returned from `new` replaces this */
  return VH_OK;
}
static int cb_data(const vh_call_info *info, vh_value *result) {
  return vh_new_int32(info->engine, *(const int *)info->data, result);
}
static int cb_nothing(const vh_call_info *info, vh_value *result) {
  (void)info;
  (void)result;
  return VH_OK;
}
static int cb_throw_kind(const vh_call_info *info, vh_value *result) {
  (void)result;
  int rc = vh_throw_error(info->engine, *(const vh_error_kind *)info->data, "boom");
  return rc == VH_OK ? VH_EEXCEPTION : rc;
}
static int cb_throw_arg(const vh_call_info *info, vh_value *result) {
  (void)result;
  int rc = vh_throw(info->engine, info->argv[0]);
  return rc == VH_OK ? VH_EEXCEPTION : rc;
}
static int cb_return_code(const vh_call_info *info, vh_value *result) {
  (void)result;
  return *(const int *)info->data;
}
static int cb_eval_arg(const vh_call_info *info, vh_value *result) {
  char src[256];
  int rc = vh_value_string_utf8(info->argv[0], src, sizeof src, NULL);
  if (rc != VH_OK) return rc;
  return vh_eval(info->engine, src, VH_AUTO_LENGTH, "inner.js", result);
}
static vh_value g_kept_arg, g_kept_made;
static int cb_keep(const vh_call_info *info, vh_value *result) {
  (void)result;
  g_kept_arg = info->argv[0];
  return vh_new_int32(info->engine, 7, &g_kept_made);
}
/* Reads the argument kept by an earlier call of keep() while its own argument sits in the same
 * slot: the result is the status of that read (the slot's new occupant must not answer). */
static int cb_read_kept(const vh_call_info *info, vh_value *result) {
  int32_t n;
  if (info->argv[0].slot_ != g_kept_arg.slot_) return VH_EINVAL; /* not the same slot: no test */
  return vh_new_int32(info->engine, vh_value_int32(g_kept_arg, &n), result);
}
static vh_scope g_leaked[3];
static int cb_leak_scopes(const vh_call_info *info, vh_value *result) {
  int rc = VH_OK;
  for (int i = 0; i < 3 && rc == VH_OK; ++i) rc = vh_scope_open(info->engine, &g_leaked[i]);
  if (rc == VH_OK) rc = vh_new_int32(info->engine, 5, result); /* lands in the innermost leaked scope */
  return rc; /* the three scopes are left open */
}
static int g_close_rc;
static int cb_close_caller(const vh_call_info *info, vh_value *result) {
  (void)result;
  g_close_rc = vh_scope_close(*(const vh_scope *)info->data);
  return VH_OK;
}
static int g_after_throw_rc[4];
static int cb_throw_then_run(const vh_call_info *info, vh_value *result) {
  (void)result;
  vh_value o, v;
  int rc = vh_new_object(info->engine, &o);
  if (rc == VH_OK) rc = vh_throw_error(info->engine, VH_ERROR_KIND_ERROR, "first");
  if (rc != VH_OK) return rc;
  g_after_throw_rc[0] = vh_eval(info->engine, "1", VH_AUTO_LENGTH, NULL, &v);
  g_after_throw_rc[1] = vh_call(info->engine, info->argv[0], (vh_value){0}, 0, NULL, &v);
  g_after_throw_rc[2] = vh_get(info->engine, o, "x", &v);
  g_after_throw_rc[3] = vh_construct(info->engine, info->argv[0], 0, NULL, &v);
  return VH_EEXCEPTION;
}

/* Whether two handles are the same one (a value's handle is all three of its fields). */
static bool same_handle(vh_value a, vh_value b) {
  return a.serial_ == b.serial_ && a.thread_ == b.thread_ && a.slot_ == b.slot_;
}

/* Reads every argument twice (a function first argument is called first, from C, and may call
 * back in); sums the numbers; checks `this` and that each value has its own handle. */
static double g_values_sum;
static bool g_values_construct;
static int cb_values(const vh_call_info *info, vh_value *result) {
  size_t start = 0;
  vh_type t;
  if (info->argc > 0 && vh_typeof(info->argv[0], &t) == VH_OK && t == VH_TYPE_FUNCTION) {
    vh_value inner;
    int rc = vh_call(info->engine, info->argv[0], (vh_value){0}, 0, NULL, &inner);
    if (rc != VH_OK) return rc;
    start = 1;
  }
  double sum = 0, a, b;
  for (size_t i = start; i < info->argc; ++i) {
    int rc = vh_value_double(info->argv[i], &a);
    if (rc == VH_OK) rc = vh_value_double(info->argv[i], &b);
    if (rc != VH_OK) return rc;
    if (a != b || same_handle(info->argv[i], info->this_value)) return VH_ERANGE;
    for (size_t j = 0; j < i; ++j)
      if (same_handle(info->argv[j], info->argv[i])) return VH_ERANGE;
    sum += a;
  }
  if (vh_typeof(info->this_value, &t) != VH_OK || t != VH_TYPE_OBJECT) return VH_ETYPE;
  g_values_sum = sum;
  g_values_construct = vh_call_is_construct(info);
  return vh_new_double(info->engine, sum, result);
}

/* ---- tests -------------------------------------------------------------------------------- */

/* A host function gets its arguments (also more than a few) and its return value reaches JS. */
static void test_args_and_result(void **state) {
  (void)state;
  def_fn(g_e, "sum", cb_sum, NULL);
  assert_js("sum(1, 2, 3) === 6");
  assert_js("sum() === 0");
  assert_js("sum(1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1) === 20");
  assert_js("typeof sum === 'function' && sum.name === 'sum'");
  vh_value anon = make_fn(g_e, NULL, cb_sum, NULL);
  assert_ok(set_global(g_e, "anon", anon));
  assert_js("anon.name === ''");
}

/* `this` is the receiver of a method call; no result set means undefined. */
static void test_this_and_no_result(void **state) {
  (void)state;
  def_fn(g_e, "getThis", cb_this, NULL);
  def_fn(g_e, "nothing", cb_nothing, NULL);
  assert_js("var o = { m: getThis }; o.m() === o");
  assert_js("getThis.call(o) === o");
  assert_js("nothing() === undefined && nothing(1, 2) === undefined");
}

/* new.target: set (and vh_call_is_construct true) under `new`, empty for a plain call. */
static void test_new_target(void **state) {
  (void)state;
  def_fn(g_e, "nt", cb_new_target, NULL);
  g_construct = true;
  g_nt_empty = false;
  assert_js("nt() === undefined");
  assert_false(g_construct);
  assert_true(g_nt_empty);
  assert_js("new nt() === nt"); /* new.target is the function itself */
  assert_true(g_construct);
  assert_false(g_nt_empty);
  /* vh_construct from C is a `new` too */
  vh_value out, f = eval_ok(g_e, "nt");
  g_construct = false;
  assert_ok(vh_construct(g_e, f, 0, NULL, &out));
  assert_true(g_construct);
  assert_false(vh_call_is_construct(NULL));
}

/* The callback's values: every argument reads the same each time, has its own handle, and
 * keeps its value across a nested call into the same function; also with more arguments than
 * the trampoline keeps inline, and under `new` (a plain host function may be constructed). */
static void test_call_values(void **state) {
  (void)state;
  def_fn(g_e, "values", cb_values, NULL);
  assert_js("values() === 0 && values(1.5, -2) === -0.5");
  assert_js("values(1, 2, 3, 4, 5, 6, 7, 8) === 36 && values(1, 2, 3, 4, 5, 6, 7, 8, 9, 10) === 55");
  /* nested: the inner call's values come and go while the outer one's are still read after */
  assert_js("values(() => values(100, 200), 1, 2) === 3");
  assert_js("values(() => values(() => values(7), 1, 2, 3, 4, 5, 6, 7, 8, 9), 10, 20) === 30");
  g_values_construct = false;
  assert_js("new values(1, 2, 3, 4, 5, 6, 7, 8, 9) instanceof values");
  assert_true(g_values_construct);
  assert_true(g_values_sum == 45);
  assert_js("new values(4, 5) instanceof values");
  assert_true(g_values_construct && g_values_sum == 9);
  /* a non-number argument: the status throws */
  assert_js("(() => { try { values(1, 'x'); return false; } catch (e) { return e.message.startsWith('VH_ETYPE'); } })()");
}

/* The data pointer given at creation is handed to every call. */
static void test_data_pointer(void **state) {
  (void)state;
  static int seven = 7, nine = 9;
  def_fn(g_e, "seven", cb_data, &seven);
  def_fn(g_e, "nine", cb_data, &nine);
  assert_js("seven() === 7 && nine() === 9");
  seven = 8; /* a pointer, not a copy */
  assert_js("seven() === 8");
}

/* vh_throw_error of each kind throws that native error type with the message into JS. */
static void test_throw_error_kinds(void **state) {
  (void)state;
  static const vh_error_kind kinds[] = {VH_ERROR_KIND_ERROR, VH_ERROR_KIND_TYPE_ERROR, VH_ERROR_KIND_RANGE_ERROR, VH_ERROR_KIND_SYNTAX_ERROR,
                                        VH_ERROR_KIND_REFERENCE_ERROR};
  static const char *names[] = {"Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError"};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i) {
    char src[256], expected[64];
    def_fn(g_e, "thrower", cb_throw_kind, (void *)&kinds[i]);
    snprintf(src, sizeof src,
             "(() => { try { thrower(); return 'no throw'; } catch (e) {"
             " return (e.constructor === %s) + ':' + e.constructor.name + ':' + e.message; } })()",
             names[i]);
    snprintf(expected, sizeof expected, "true:%s:boom", names[i]);
    assert_eval_string(g_e, src, expected);
  }
  /* vh_new_error makes the same objects without throwing */
  vh_value err;
  assert_ok(vh_new_error(g_e, VH_ERROR_KIND_RANGE_ERROR, "made", &err));
  assert_ok(set_global(g_e, "made", err));
  assert_js("made instanceof RangeError && made.message === 'made' && typeof made.stack === 'string'");
}

/* vh_throw throws the very value: a number, or the same object JS passed in. */
static void test_throw_arbitrary_value(void **state) {
  (void)state;
  def_fn(g_e, "throwIt", cb_throw_arg, NULL);
  assert_js("(() => { try { throwIt(42); } catch (e) { return e === 42; } return false; })()");
  assert_js("(() => { const o = {}; try { throwIt(o); } catch (e) { return e === o; } return false; })()");
  assert_js("(() => { try { throwIt(undefined); } catch (e) { return e === undefined; } return false; })()");
}

/* Another negative code throws an Error named after it; an unthrown VH_EEXCEPTION still throws. */
static void test_status_codes_throw(void **state) {
  (void)state;
  static int etype = VH_ETYPE, erange = VH_ERANGE, eexc = VH_EEXCEPTION;
  def_fn(g_e, "etype", cb_return_code, &etype);
  def_fn(g_e, "erange", cb_return_code, &erange);
  def_fn(g_e, "eexc", cb_return_code, &eexc);
  def_fn(g_e, "sum", cb_sum, NULL);
  assert_js("(() => { try { etype(); } catch (e) { return e instanceof Error && e.message.startsWith('VH_ETYPE'); } })()");
  assert_js("(() => { try { erange(); } catch (e) { return e.message.startsWith('VH_ERANGE'); } })()");
  assert_js("(() => { try { sum(1, 'x'); } catch (e) { return e.message.startsWith('VH_ETYPE'); } })()");
  assert_js("(() => { try { eexc(); } catch (e) { return e instanceof Error; } return false; })()");
  /* each carries the code's name as `code`, an own enumerable data property */
  assert_js("(() => { try { etype(); } catch (e) { const d = Object.getOwnPropertyDescriptor(e, 'code');"
            " return e.code === 'VH_ETYPE' && d.enumerable && d.writable && !('get' in d); } })()");
  assert_js("(() => { try { erange(); } catch (e) { return e.code === 'VH_ERANGE'; } })()");
  assert_js("(() => { try { eexc(); } catch (e) { return e.code === 'VH_EEXCEPTION'; } })()");
  /* a failed v8host call's status, returned by the callback as is */
  assert_js("(() => { try { sum(1, 'x'); } catch (e) { return e.code === 'VH_ETYPE'; } })()");
  /* uncaught: the eval fails and the message names the code */
  assert_status(VH_EEXCEPTION, vh_eval(g_e, "etype()", VH_AUTO_LENGTH, "t.js", NULL));
  take_expect(g_e, "VH_ETYPE");
}

/* Returning VH_EEXCEPTION after a failed v8host call rethrows that exception unchanged. */
static void test_rethrow_failed_call(void **state) {
  (void)state;
  def_fn(g_e, "evalArg", cb_eval_arg, NULL);
  assert_js("evalArg('6 * 7') === 42");
  assert_js("(() => { try { evalArg(\"throw new RangeError('inner')\"); } catch (e) {"
            " return e instanceof RangeError && e.message === 'inner'; } })()");
}

/* Values of the callback (arguments, values it made) die when it returns. */
static void test_value_kept_past_callback(void **state) {
  (void)state;
  int32_t n;
  def_fn(g_e, "keep", cb_keep, NULL);
  eval_ok(g_e, "keep(3)");
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(g_kept_arg, &n));
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(g_kept_made, &n));
  assert_status(VH_ESCOPE_CLOSED, set_global(g_e, "k", g_kept_arg));
  /* A later call's argument in the very slot (values of one call share a serial, each slot
   * gets it once): the kept handle still reads as closed from inside that call. */
  def_fn(g_e, "readKept", cb_read_kept, NULL);
  char src[64];
  snprintf(src, sizeof src, "(keep(3), readKept(4)) === %d", VH_ESCOPE_CLOSED);
  assert_js(src);
}

/* Scopes a callback leaves open are closed for it; the caller's scopes still close in order. */
static void test_callback_leaks_scopes(void **state) {
  (void)state;
  vh_scope inner;
  int32_t n = 0;
  assert_ok(vh_scope_open(g_e, &inner));
  def_fn(g_e, "leak", cb_leak_scopes, NULL);
  assert_ok(vh_value_int32(eval_ok(g_e, "leak() + leak()"), &n));
  assert_int_equal(n, 10);
  for (int i = 0; i < 3; ++i) assert_status(VH_ESCOPE_CLOSED, vh_scope_close(g_leaked[i]));
  vh_value v = i32(1); /* lands in inner, which works as before */
  assert_ok(vh_value_int32(v, &n));
  assert_ok(vh_scope_close(inner));
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(v, &n));
}

/* A callback cannot close a scope opened before it was called. */
static void test_callback_closes_caller_scope(void **state) {
  (void)state;
  vh_scope inner;
  assert_ok(vh_scope_open(g_e, &inner));
  def_fn(g_e, "closer", cb_close_caller, &inner);
  g_close_rc = VH_OK;
  eval_ok(g_e, "closer()");
  assert_int_equal(g_close_rc, VH_ESCOPE_ORDER);
  def_fn(g_e, "closeOuter", cb_close_caller, &g_scope);
  g_close_rc = VH_OK;
  eval_ok(g_e, "closeOuter()");
  assert_int_equal(g_close_rc, VH_ESCOPE_ORDER);
  assert_ok(vh_scope_close(inner)); /* still open, closes normally */
}

/* vh_call and vh_construct run JS functions from C with this and arguments. */
static void test_call_and_construct_js(void **state) {
  (void)state;
  vh_value f, ctor, obj, out, args[2] = {i32(6), i32(7)};
  int32_t n = 0;
  f = eval_ok(g_e, "(function (a, b) { return this.k + a * b; })");
  obj = eval_ok(g_e, "({ k: 100 })");
  assert_ok(vh_call(g_e, f, obj, 2, args, &out));
  assert_ok(vh_value_int32(out, &n));
  assert_int_equal(n, 142);
  ctor = eval_ok(g_e, "(function Pt(x, y) { this.x = x; this.y = y; })");
  assert_ok(vh_construct(g_e, ctor, 2, args, &out));
  assert_ok(set_global(g_e, "pt", out));
  assert_ok(set_global(g_e, "Pt", ctor));
  assert_js("pt instanceof Pt && pt.x === 6 && pt.y === 7");
  assert_ok(vh_construct(g_e, eval_ok(g_e, "(class { constructor() { this.c = 1; } })"), 0, NULL, &out));
  assert_ok(vh_get(g_e, out, "c", &out));
  assert_ok(vh_value_int32(out, &n));
  assert_int_equal(n, 1);
}

/* vh_construct refuses non-functions (VH_ETYPE); an arrow function throws a TypeError. */
static void test_construct_errors(void **state) {
  (void)state;
  vh_value out, v;
  bool b = false;
  assert_status(VH_ETYPE, vh_construct(g_e, i32(5), 0, NULL, &out));
  assert_status(VH_ETYPE, vh_construct(g_e, eval_ok(g_e, "({})"), 0, NULL, &out));
  assert_status(VH_EEXCEPTION, vh_construct(g_e, eval_ok(g_e, "() => 1"), 0, NULL, &out));
  vh_exception x;
  assert_ok(vh_exception_take(g_e, &x));
  assert_ok(set_global(g_e, "err", x.value));
  vh_exception_free(&x);
  assert_js("err instanceof TypeError");
  assert_status(VH_EEXCEPTION,
                vh_construct(g_e, eval_ok(g_e, "(function () { throw new Error('ctor'); })"), 0, NULL, &out));
  take_expect(g_e, "ctor");
  /* misuse */
  v = eval_ok(g_e, "Object");
  assert_status(VH_EINVAL, vh_construct(g_e, v, 0, NULL, NULL));
  assert_status(VH_EINVAL, vh_construct(g_e, v, 1, NULL, &out));
  assert_status(VH_EINVAL, vh_construct(g_e, (vh_value){0}, 0, NULL, &out));
  vh_value *many = calloc(70000, sizeof *many);
  assert_non_null(many);
  for (size_t i = 0; i < 70000; ++i) many[i] = v;
  int rc = vh_construct(g_e, v, 70000, many, &out);
  free(many);
  assert_status(VH_ERANGE, rc);
  assert_ok(vh_exception_pending(g_e, &b));
  assert_false(b);
}

/* vh_throw outside any callback leaves the value pending; the next eval is refused. */
static void test_throw_outside_callback(void **state) {
  (void)state;
  vh_value o = eval_ok(g_e, "({ tag: 'mine' })"), v;
  bool b = false, same = false;
  vh_exception x;
  assert_ok(vh_throw(g_e, o));
  assert_ok(vh_exception_pending(g_e, &b));
  assert_true(b);
  assert_status(VH_EPENDING_EXCEPTION, vh_eval(g_e, "1", VH_AUTO_LENGTH, NULL, &v));
  assert_ok(vh_exception_take(g_e, &x));
  assert_ok(vh_strict_equals(x.value, o, &same));
  assert_true(same);
  vh_exception_free(&x);
  eval_ok(g_e, "1");
  assert_ok(vh_throw_error(g_e, VH_ERROR_KIND_TYPE_ERROR, "outside"));
  assert_status(VH_EPENDING_EXCEPTION, vh_eval(g_e, "1", VH_AUTO_LENGTH, NULL, &v));
  take_expect(g_e, "outside");
}

/* After vh_throw inside a callback, calls that would run JS are refused until it returns. */
static void test_after_throw_js_refused(void **state) {
  (void)state;
  bool b = true;
  def_fn(g_e, "throwThenRun", cb_throw_then_run, NULL);
  assert_js("(() => { try { throwThenRun(function () {}); } catch (e) { return e.message === 'first'; } })()");
  for (int i = 0; i < 4; ++i) assert_int_equal(g_after_throw_rc[i], VH_EPENDING_EXCEPTION);
  assert_ok(vh_exception_pending(g_e, &b));
  assert_false(b);
  assert_js("1 + 1 === 2");
}

/* Runtime globals: in engines made afterwards; in older ones after install; own per engine. */
static void test_runtime_global_function(void **state) {
  (void)state;
  static int one = 1, two = 2;
  vh_runtime rt;
  vh_engine before, after, later;
  vh_scope s;
  vh_value f1, f2;
  bool same = true;
  open_runtime(NULL, &rt, &before, NULL);
  assert_ok(vh_runtime_global_function(rt, "hostVal", cb_data, &one)); /* no lock held here */
  assert_ok(vh_engine_new(rt, NULL, &after));
  assert_ok(vh_scope_open(after, &s));
  assert_js_in(after, "typeof hostVal === 'function' && hostVal.name === 'hostVal' && hostVal() === 1");
  assert_js_in(before, "typeof hostVal === 'undefined'");
  assert_ok(vh_engine_install_globals(before));
  assert_js_in(before, "hostVal() === 1 && hostVal instanceof Function");
  assert_ok(vh_engine_install_globals(before)); /* twice is harmless */
  assert_js_in(before, "hostVal() === 1");
  assert_ok(vh_get(before, eval_ok(before, "globalThis"), "hostVal", &f1));
  assert_ok(vh_get(after, eval_ok(after, "globalThis"), "hostVal", &f2));
  assert_ok(vh_strict_equals(f1, f2, &same));
  assert_false(same);
  /* re-registering replaces it for later installs only (lock held by this thread here) */
  assert_ok(vh_runtime_global_function(rt, "hostVal", cb_data, &two));
  assert_js_in(after, "hostVal() === 1");
  assert_ok(vh_engine_new(rt, NULL, &later));
  assert_js_in(later, "hostVal() === 2");
  assert_ok(vh_engine_install_globals(after));
  assert_js_in(after, "hostVal() === 2");
  assert_ok(vh_scope_close(s));
  assert_status(VH_EINVAL, vh_runtime_global_function(rt, NULL, cb_data, &one));
  assert_status(VH_EINVAL, vh_runtime_global_function(rt, "x", NULL, &one));
  assert_status(VH_EINVAL, vh_runtime_global_function((vh_runtime){0}, "x", cb_data, &one));
  assert_status(VH_ENOSCOPE, vh_engine_install_globals(before));
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_runtime_global_function(rt, "x", cb_data, &one));
  assert_status(VH_EDISPOSED, vh_engine_install_globals(before));
}

/* An install that cannot set a global reports VH_EEXCEPTION with that exception pending. */
static void test_install_globals_failure(void **state) {
  (void)state;
  static int one = 1;
  vh_runtime rt;
  vh_engine e1, e2;
  vh_scope s;
  open_runtime(NULL, &rt, &e1, NULL);
  assert_ok(vh_engine_new(rt, NULL, &e2));
  assert_ok(vh_scope_open(e1, &s));
  eval_ok(e1, "Object.defineProperty(globalThis, 'fixedG', { value: 0, writable: false })");
  eval_ok(e2, "Object.defineProperty(globalThis, 'fixedG', { set(v) { throw new Error('no set'); }, configurable: true })");
  assert_ok(vh_runtime_global_function(rt, "fixedG", cb_data, &one));
  int rc1 = vh_engine_install_globals(e1);
  int rc2 = vh_engine_install_globals(e2);
  vh_exception x = {0};
  int take2 = rc2 == VH_EEXCEPTION ? vh_exception_take(e2, &x) : -999;
  /* A configurable accessor is replaced (its setter never runs); a non-configurable property
   * refuses the global with a pending TypeError. */
  vh_exception x1 = {0};
  int take1 = rc1 == VH_EEXCEPTION ? vh_exception_take(e1, &x1) : -999;
  bool msg1_ok = take1 == VH_OK && x1.message && strstr(x1.message, "Cannot redefine property: fixedG");
  vh_exception_free(&x1);
  bool replaced = false;
  vh_value t = eval_ok(e2, "typeof fixedG === 'function' && fixedG.name === 'fixedG'");
  assert_ok(vh_value_bool(t, &replaced));
  bool msg_ok = take2 == -999;
  vh_exception_free(&x);
  vh_exception_discard(e1);
  vh_exception_discard(e2);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EEXCEPTION, rc1); /* non-configurable global: refused */
  assert_status(VH_OK, take1);
  assert_true(msg1_ok);
  assert_status(VH_OK, rc2); /* configurable accessor: replaced, setter not run */
  assert_true(msg_ok);
  assert_true(replaced);
}

/* vh_engine_global() + vh_set() set globalThis[name]; misuse is refused. */
static void test_set_global_and_misuse(void **state) {
  (void)state;
  vh_value f, v = i32(11);
  assert_ok(set_global(g_e, "eleven", v));
  assert_js("eleven === 11 && globalThis.eleven === 11");
  assert_status(VH_EINVAL, set_global(g_e, NULL, v));
  assert_status(VH_EINVAL, set_global(g_e, "x", (vh_value){0}));
  assert_status(VH_EINVAL, set_global((vh_engine){0}, "x", v));
  assert_status(VH_EINVAL, vh_new_function(g_e, "f", NULL, NULL, &f));
  assert_status(VH_EINVAL, vh_new_function(g_e, "f", cb_sum, NULL, NULL));
  assert_status(VH_EINVAL, vh_new_function((vh_engine){0}, "f", cb_sum, NULL, &f));
  assert_status(VH_EINVAL, vh_throw(g_e, (vh_value){0}));
  assert_status(VH_EINVAL, vh_throw((vh_engine){0}, v));
  assert_status(VH_EINVAL, vh_throw_error(g_e, VH_ERROR_KIND_ERROR, NULL));
  assert_status(VH_EINVAL, vh_throw_error(g_e, (vh_error_kind)0, "x"));
  assert_status(VH_EINVAL, vh_throw_error(g_e, (vh_error_kind)99, "x"));
  assert_status(VH_EINVAL, vh_new_error(g_e, VH_ERROR_KIND_ERROR, "x", NULL));
  assert_status(VH_EINVAL, vh_new_error(g_e, VH_ERROR_KIND_ERROR, NULL, &f));
  bool b = true;
  assert_ok(vh_exception_pending(g_e, &b));
  assert_false(b); /* none of the refused throws left anything pending */
  /* another runtime's value is passed in (a host proxy), and dies with its runtime */
  vh_runtime rt2;
  vh_engine e2;
  vh_scope s2;
  vh_value other;
  open_runtime(NULL, &rt2, &e2, &s2);
  assert_ok(vh_new_object(e2, &other));
  int rc_set = set_global(g_e, "other", other);
  int rc_throw = vh_throw(g_e, other); /* outside a callback: pending in g_e */
  bool pending = false;
  vh_exception_pending(g_e, &pending);
  vh_exception_discard(g_e);
  assert_ok(vh_scope_close(s2));
  assert_ok(vh_runtime_dispose(rt2));
  assert_status(VH_OK, rc_set);
  assert_status(VH_OK, rc_throw);
  assert_true(pending);
  assert_js("typeof other === 'object'");
  assert_js("(() => { try { other.x; return false; } catch (e) { return e.message.startsWith('VH_EDISPOSED'); } })()");
}

/* Without a scope, making a host function is refused with VH_ENOSCOPE. */
static void test_no_scope(void **state) {
  (void)state;
  vh_value f;
  assert_status(VH_ENOSCOPE, vh_new_function(g_e, "f", cb_sum, NULL, &f));
  assert_status(VH_ENOSCOPE, vh_throw_error(g_e, VH_ERROR_KIND_ERROR, "x"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_args_and_result, setup, teardown),
      cmocka_unit_test_setup_teardown(test_this_and_no_result, setup, teardown),
      cmocka_unit_test_setup_teardown(test_new_target, setup, teardown),
      cmocka_unit_test_setup_teardown(test_call_values, setup, teardown),
      cmocka_unit_test_setup_teardown(test_data_pointer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_throw_error_kinds, setup, teardown),
      cmocka_unit_test_setup_teardown(test_throw_arbitrary_value, setup, teardown),
      cmocka_unit_test_setup_teardown(test_status_codes_throw, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rethrow_failed_call, setup, teardown),
      cmocka_unit_test_setup_teardown(test_value_kept_past_callback, setup, teardown),
      cmocka_unit_test_setup_teardown(test_callback_leaks_scopes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_callback_closes_caller_scope, setup, teardown),
      cmocka_unit_test_setup_teardown(test_call_and_construct_js, setup, teardown),
      cmocka_unit_test_setup_teardown(test_construct_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_throw_outside_callback, setup, teardown),
      cmocka_unit_test_setup_teardown(test_after_throw_js_refused, setup, teardown),
      cmocka_unit_test(test_runtime_global_function),
      cmocka_unit_test(test_install_globals_failure),
      cmocka_unit_test_setup_teardown(test_set_global_and_misuse, setup, teardown),
      cmocka_unit_test(test_no_scope),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
