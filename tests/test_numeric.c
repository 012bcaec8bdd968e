/* The numeric fast path: numeric host functions and native methods (function.h, class.h). */
#include <math.h>

#include "test_util.h"

/* ---- per-test state: a runtime with the Vec class as a global, one engine, one scope -------- */

typedef struct vec {
  double x, y;
} vec;

static vh_runtime g_rt;
static vh_engine g_e;
static vh_scope g_scope;
static vh_class g_vec;
static int g_class_data; /* its address is Vec's class data */
static int g_made, g_finalized, g_bad_class_data;

/* What the last call of a probing callback saw. */
#define MAX_RECORDED 20000
static int g_calls;
static size_t g_argc;
static double g_args[MAX_RECORDED];
static void *g_data;
static void *g_native;
static double g_result_at_entry;
static double g_ret;  /* what the returning callbacks set *result to */
static int g_code;    /* what the failing callbacks return */

static void record(const double *args, size_t argc, double *result, void *data) {
  ++g_calls;
  g_argc = argc;
  for (size_t i = 0; i < argc && i < MAX_RECORDED; ++i) g_args[i] = args[i];
  g_data = data;
  g_result_at_entry = *result;
}
static void reset_probe(void) {
  g_calls = 0;
  g_argc = 9999;
  g_data = g_native = (void *)1;
  g_result_at_entry = 0;
  for (size_t i = 0; i < 64; ++i) g_args[i] = 12345.0;
}

/* ---- numeric functions -------------------------------------------------------------------- */

/* Records the call and leaves *result alone (the call returns NaN). */
static int nf_probe(const double *args, size_t argc, double *result, void *data) {
  record(args, argc, result, data);
  return VH_OK;
}
/* Records the call and returns g_ret. */
static int nf_ret(const double *args, size_t argc, double *result, void *data) {
  record(args, argc, result, data);
  *result = g_ret;
  return VH_OK;
}
static int nf_sum(const double *args, size_t argc, double *result, void *data) {
  (void)data;
  double s = 0;
  ++g_calls;
  for (size_t i = 0; i < argc; ++i) s += args[i];
  *result = s;
  return VH_OK;
}
/* Returns *(double *)data. */
static int nf_data(const double *args, size_t argc, double *result, void *data) {
  (void)args;
  (void)argc;
  *result = *(const double *)data;
  return VH_OK;
}
/* Records the call, sets a result, and fails with g_code. */
static int nf_fail(const double *args, size_t argc, double *result, void *data) {
  record(args, argc, result, data);
  *result = 1;
  return g_code;
}

/* ---- the Vec class ------------------------------------------------------------------------ */

static int vec_ctor(const vh_call_info *info, void **native) {
  vec *v = calloc(1, sizeof *v);
  if (!v) return VH_ENOMEM;
  if (info->argc > 0 && vh_value_double(info->argv[0], &v->x) != VH_OK) v->x = -1;
  if (info->argc > 1 && vh_value_double(info->argv[1], &v->y) != VH_OK) v->y = -1;
  *native = v;
  ++g_made;
  return VH_OK;
}
static void vec_finalize(void *native, void *class_data) {
  if (class_data != &g_class_data) ++g_bad_class_data;
  free(native); /* a second call for the same pointer is a double free under ASan */
  ++g_finalized;
}
static int nm_probe(void *native, const double *args, size_t argc, double *result, void *data) {
  g_native = native;
  record(args, argc, result, data);
  return VH_OK;
}
static int nm_ret(void *native, const double *args, size_t argc, double *result, void *data) {
  g_native = native;
  record(args, argc, result, data);
  *result = g_ret;
  return VH_OK;
}
static int nm_fail(void *native, const double *args, size_t argc, double *result, void *data) {
  g_native = native;
  record(args, argc, result, data);
  return g_code;
}
/* v.dot(a, b) = x*a + y*b */
static int nm_dot(void *native, const double *args, size_t argc, double *result, void *data) {
  (void)data;
  const vec *v = native;
  ++g_calls;
  if (argc != 2) return VH_EINVAL;
  *result = v->x * args[0] + v->y * args[1];
  return VH_OK;
}
/* v.total(...) = x + y + every argument */
static int nm_total(void *native, const double *args, size_t argc, double *result, void *data) {
  (void)data;
  const vec *v = native;
  double s = v->x + v->y;
  ++g_calls;
  for (size_t i = 0; i < argc; ++i) s += args[i];
  *result = s;
  return VH_OK;
}
static int cb_norm2(const vh_call_info *info, vh_value *result) { /* a checked method beside them: x*x + y*y */
  void *p = NULL;
  int rc = vh_class_unwrap(info->this_value, g_vec, &p);
  if (rc != VH_OK) return rc;
  const vec *v = p;
  return vh_new_double(info->engine, v->x * v->x + v->y * v->y, result);
}

static const vh_native_method_def k_vec_natives[] = {
    {"probe", nm_probe}, {"ret", nm_ret}, {"fail", nm_fail}, {"dot", nm_dot}, {"total", nm_total}};
static const vh_method_def k_vec_methods[] = {{"norm2", cb_norm2}};

static vh_class_def vec_def(const char *name) {
  vh_class_def d;
  memset(&d, 0, sizeof d);
  d.struct_size = sizeof d;
  d.name = name;
  d.construct = vec_ctor;
  d.finalize = vec_finalize;
  d.methods = k_vec_methods;
  d.method_count = 1;
  d.native_methods = k_vec_natives;
  d.native_method_count = sizeof k_vec_natives / sizeof k_vec_natives[0];
  d.data = &g_class_data;
  return d;
}

static const char k_helpers[] =
    "function thrown(f) {"
    "  try { f(); } catch (e) {"
    "    return (e instanceof TypeError ? 'TypeError' : e instanceof Error ? 'Error' : 'non-error')"
    "        + '|' + e.message;"
    "  }"
    "  return 'no throw';"
    "}"
    "function illegal(f) { return /^TypeError\\|.*Illegal invocation/.test(thrown(f)); }";

static int setup(void **state) {
  (void)state;
  g_made = g_finalized = g_bad_class_data = 0;
  reset_probe();
  vh_class_def d = vec_def("Vec");
  vh_value v;
  if (vh_runtime_new(NULL, &g_rt) != VH_OK || vh_class_define(g_rt, &d, &g_vec) != VH_OK ||
      vh_runtime_global_class(g_rt, g_vec) != VH_OK || vh_engine_new(g_rt, NULL, &g_e) != VH_OK ||
      vh_scope_open(g_e, &g_scope) != VH_OK)
    return -1;
  return vh_eval(g_e, k_helpers, VH_AUTO_LENGTH, "helpers.js", &v) == VH_OK ? 0 : -1;
}
static int teardown(void **state) {
  (void)state;
  vh_exception_discard(g_e);
  if (vh_scope_close(g_scope) != VH_OK || vh_runtime_dispose(g_rt) != VH_OK) return -1;
  /* every instance finalized exactly once, with the class data */
  return g_finalized == g_made && g_bad_class_data == 0 ? 0 : -1;
}

static vh_value run(vh_engine e, const char *src) { return eval_ok(e, src); }
static void assert_js_string(vh_engine e, const char *src, const char *expected) {
  char buf[1024];
  assert_ok(vh_value_string_utf8(run(e, src), buf, sizeof buf, NULL));
  if (strcmp(buf, expected) != 0) fail_msg("`%s` gave '%s', expected '%s'", src, buf, expected);
}

#define assert_js(src) assert_js_in(g_e, src)

/* A call and what it throws, as thrown() (k_helpers) reports it: "kind|message". */
typedef struct thrown_case {
  const char *src, *expected;
} thrown_case;

/* Each of count cases throws what it expects in g_e. */
static void assert_thrown(const thrown_case *cases, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    char src[256];
    snprintf(src, sizeof src, "thrown(() => %s)", cases[i].src);
    assert_js_string(g_e, src, cases[i].expected);
  }
}

static double eval_double(vh_engine e, const char *src) {
  double d = 0;
  assert_ok(vh_value_double(run(e, src), &d));
  return d;
}
static vh_value make_num(vh_engine e, const char *name, vh_numeric_function_cb cb, void *data) {
  vh_value f;
  assert_ok(vh_new_function_numeric(e, name, cb, data, &f));
  return f;
}
static void def_num(vh_engine e, const char *name, vh_numeric_function_cb cb, void *data) {
  assert_ok(set_global(e, name, make_num(e, name, cb, data)));
}
static bool same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }
static vec *unwrap_vec(vh_value v) {
  void *p = NULL;
  assert_ok(vh_class_unwrap(v, g_vec, &p));
  assert_non_null(p);
  return p;
}
/* Expected message of an Error thrown for a status code: "<VH_NAME>: <vh_strerror text>". */
static void status_text(char *buf, size_t size, const char *kind, int code) {
  snprintf(buf, size, "%s|%s: %s", kind, vh_err_name(code), vh_strerror(code));
}

/* ======================== numeric functions ================================================ */

/* Arguments arrive as exact doubles: none, one, several, fractions, -0, NaN, the infinities. */
static void test_numeric_args(void **state) {
  (void)state;
  def_num(g_e, "probe", nf_probe, NULL);

  run(g_e, "probe()");
  assert_int_equal(g_calls, 1);
  assert_int_equal(g_argc, 0);
  assert_null(g_data);

  run(g_e, "probe(1)");
  assert_int_equal(g_argc, 1);
  assert_true(g_args[0] == 1.0);

  run(g_e, "probe(0.1, -0, NaN, Infinity, -Infinity, 1e308, 5e-324, -2.5)");
  assert_int_equal(g_calls, 3);
  assert_int_equal(g_argc, 8); /* the largest call on the inline path */
  assert_true(g_args[0] == 0.1);
  assert_true(g_args[1] == 0.0 && signbit(g_args[1]));
  assert_true(isnan(g_args[2]));
  assert_true(isinf(g_args[3]) && g_args[3] > 0);
  assert_true(isinf(g_args[4]) && g_args[4] < 0);
  assert_true(g_args[5] == 1e308);
  assert_true(g_args[6] == 5e-324);
  assert_true(g_args[7] == -2.5);

  /* a +0 stays +0, small integers and values beyond int32 are exact */
  run(g_e, "probe(0, 2147483647, -2147483648, 2147483648, 9007199254740993, 1/3)");
  assert_int_equal(g_argc, 6);
  assert_true(g_args[0] == 0.0 && !signbit(g_args[0]));
  assert_true(g_args[1] == 2147483647.0);
  assert_true(g_args[2] == -2147483648.0);
  assert_true(g_args[3] == 2147483648.0);
  assert_true(g_args[4] == 9007199254740992.0); /* the double JS made of the literal */
  assert_true(g_args[5] == 1.0 / 3.0);

  /* `this` is ignored: a method call and .call with any receiver pass the same arguments */
  run(g_e, "({ m: probe }).m(7.5)");
  assert_int_equal(g_argc, 1);
  assert_true(g_args[0] == 7.5);
  run(g_e, "probe.call('a string', 1, 2)");
  assert_int_equal(g_argc, 2);
  assert_true(g_args[0] == 1 && g_args[1] == 2);
  assert_int_equal(g_calls, 6);
}

/* More than 8 arguments take the heap path: argc as passed, every value exact. */
static void test_numeric_many_args(void **state) {
  (void)state;
  def_num(g_e, "probe", nf_probe, NULL);
  run(g_e, "probe(1, 2, 3, 4, 5, 6, 7, 8, -0.5)");
  assert_int_equal(g_argc, 9);
  for (int i = 0; i < 8; ++i) assert_true(g_args[i] == i + 1);
  assert_true(g_args[8] == -0.5);

  run(g_e, "probe(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, -0, NaN, -Infinity)");
  assert_int_equal(g_argc, 12);
  assert_true(g_args[0] == 0.1 && g_args[8] == 0.9);
  assert_true(g_args[9] == 0 && signbit(g_args[9]));
  assert_true(isnan(g_args[10]));
  assert_true(isinf(g_args[11]) && g_args[11] < 0);

  run(g_e, "probe.apply(null, Array.from({ length: 10000 }, (_, i) => i * 0.25 - 100))");
  assert_int_equal(g_argc, 10000);
  for (int i = 0; i < 10000; ++i)
    if (g_args[i] != i * 0.25 - 100) fail_msg("argument %d is %g, expected %g", i, g_args[i], i * 0.25 - 100);
  run(g_e, "probe(...new Array(300).fill(3.5))");
  assert_int_equal(g_argc, 300);
  assert_true(g_args[0] == 3.5 && g_args[299] == 3.5);
  assert_int_equal(g_calls, 4);

  /* the result of the heap path reaches JS too */
  def_num(g_e, "sum", nf_sum, NULL);
  assert_js("sum(1, 2, 3, 4, 5, 6, 7, 8, 9, 10.5) === 55.5");
  assert_js("sum(...new Array(1000).fill(0.5)) === 500");
}

/* *result starts as NaN; returned values come back exactly, integral ones as equal numbers. */
static void test_numeric_results(void **state) {
  (void)state;
  def_num(g_e, "probe", nf_probe, NULL);
  def_num(g_e, "ret", nf_ret, NULL);
  g_result_at_entry = 0;
  assert_js("Number.isNaN(probe()) && typeof probe() === 'number'");
  assert_true(isnan(g_result_at_entry));
  g_result_at_entry = 0;
  assert_js("Number.isNaN(probe(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))"); /* heap path too */
  assert_true(isnan(g_result_at_entry));

  static const double values[] = {0.0, 42.0, -1.0, 2.5, -1e-300, 2147483647.0, -2147483648.0,
                                  2147483648.0, -2147483649.0, 4294967296.0, 9007199254740992.0,
                                  1e300, 5e-324, 0.1};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; ++i) {
    g_ret = values[i];
    double got = eval_double(g_e, "ret()");
    if (!same_bits(got, values[i])) fail_msg("ret() gave %.17g, expected %.17g", got, values[i]);
    got = eval_double(g_e, "ret(1, 2, 3, 4, 5, 6, 7, 8, 9)");
    if (!same_bits(got, values[i])) fail_msg("heap ret() gave %.17g, expected %.17g", got, values[i]);
  }
  g_ret = 42;
  assert_js("ret() === 42 && Number.isInteger(ret()) && Object.is(ret(), 42)");
  g_ret = 0;
  assert_js("Object.is(ret(), 0) && !Object.is(ret(), -0)");
  g_ret = -0.0;
  assert_js("Object.is(ret(), -0) && 1 / ret() === -Infinity");
  assert_js("Object.is(ret(1, 2, 3, 4, 5, 6, 7, 8, 9), -0)");
  g_ret = 2.5;
  assert_js("ret() === 2.5");
  g_ret = -2147483648.0;
  assert_js("ret() === -2147483648 && (ret() | 0) === -2147483648");
  g_ret = 2147483648.0;
  assert_js("ret() === 2147483648 && ret() === 2 ** 31");
  g_ret = INFINITY;
  assert_js("ret() === Infinity");
  g_ret = -INFINITY;
  assert_js("ret() === -Infinity");
  g_ret = NAN;
  assert_js("Number.isNaN(ret())");
  /* results keep working in a hot loop the optimizer compiles */
  g_ret = 3;
  assert_js("(() => { let s = 0; for (let i = 0; i < 200000; ++i) s += ret(i); return s === 600000; })()");
  g_ret = -0.0;
  assert_js("(() => { let ok = true; for (let i = 0; i < 100000; ++i) ok = ok && Object.is(ret(), -0); return ok; })()");
  g_ret = 0.75;
  assert_js("(() => { let s = 0; for (let i = 0; i < 100000; ++i) s += ret(); return s === 75000; })()");
}

/* Non-Number arguments throw a TypeError naming the function and the (1-based) position; the
 * function is not called; no conversion is attempted (valueOf is not run). */
static void test_numeric_type_errors(void **state) {
  (void)state;
  def_num(g_e, "add", nf_probe, NULL);
  static const thrown_case cases[] = {
      {"add('1')", "TypeError|add: argument 1 is not a number"},
      {"add(undefined)", "TypeError|add: argument 1 is not a number"},
      {"add(null)", "TypeError|add: argument 1 is not a number"},
      {"add(true)", "TypeError|add: argument 1 is not a number"},
      {"add({})", "TypeError|add: argument 1 is not a number"},
      {"add(1n)", "TypeError|add: argument 1 is not a number"},
      {"add(new Number(1))", "TypeError|add: argument 1 is not a number"},
      {"add(Symbol())", "TypeError|add: argument 1 is not a number"},
      {"add([])", "TypeError|add: argument 1 is not a number"},
      {"add(1, 'x')", "TypeError|add: argument 2 is not a number"},
      {"add(1, 2, undefined)", "TypeError|add: argument 3 is not a number"},
      {"add(1, 2, 3, 4, 5, 6, 7, {})", "TypeError|add: argument 8 is not a number"},
      {"add(1, 2, 3, 4, 5, 6, 7, 8, 1n)", "TypeError|add: argument 9 is not a number"}, /* heap path */
      {"add(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 'twelve', 13)", "TypeError|add: argument 12 is not a number"},
      {"add('a', 'b')", "TypeError|add: argument 1 is not a number"}, /* the first bad one */
  };
  assert_thrown(cases, sizeof cases / sizeof cases[0]);
  assert_int_equal(g_calls, 0);
  /* no coercion: valueOf / Symbol.toPrimitive never run */
  assert_js("(() => { let ran = false; const o = { valueOf() { ran = true; return 1; } };"
            " return /^TypeError/.test(thrown(() => add(o))) && !ran; })()");
  assert_int_equal(g_calls, 0);
  /* after the optimizer has seen only numbers, a string still throws and is not passed */
  assert_js("(() => { for (let i = 0; i < 100000; ++i) add(i); return true; })()");
  assert_int_equal(g_calls, 100000);
  assert_js_string(g_e, "(() => { const f = x => add(x); for (let i = 0; i < 50000; ++i) f(i);"
                          " return thrown(() => f('s')); })()",
                     "TypeError|add: argument 1 is not a number");
  assert_int_equal(g_calls, 150000);
  /* an unnamed function's message starts with its empty name */
  assert_ok(set_global(g_e, "anon", make_num(g_e, NULL, nf_probe, NULL)));
  assert_js_string(g_e, "thrown(() => anon(1, 'x'))", "TypeError|: argument 2 is not a number");
  assert_int_equal(g_calls, 150000);
  /* uncaught: vh_eval fails with the TypeError pending */
  vh_exception x;
  assert_status(VH_EEXCEPTION, vh_eval(g_e, "add('no')", VH_AUTO_LENGTH, "t.js", NULL));
  assert_ok(vh_exception_take(g_e, &x));
  if (!strstr(x.message, "TypeError: add: argument 1 is not a number")) fail_msg("message '%s'", x.message);
  vh_exception_free(&x);
  assert_int_equal(g_calls, 150000);
}

/* A negative status throws an Error "<VH_NAME>: <vh_strerror text>"; the result is dropped. */
static void test_numeric_status(void **state) {
  (void)state;
  static const int codes[] = {VH_ERANGE, VH_EINVAL, VH_ETYPE, VH_ENOMEM, VH_EEXCEPTION};
  def_num(g_e, "failing", nf_fail, NULL);
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
    char expected[512];
    g_code = codes[i];
    status_text(expected, sizeof expected, "Error", codes[i]);
    assert_js_string(g_e, "thrown(() => failing(1))", expected);
    assert_js_string(g_e, "thrown(() => failing(1, 2, 3, 4, 5, 6, 7, 8, 9))", expected); /* heap path */
  }
  assert_int_equal(g_calls, 10);
  g_code = VH_ERANGE;
  assert_js("(() => { try { failing(); } catch (e) { return e.constructor === Error && e.message.startsWith('VH_ERANGE: '); } return false; })()");
  assert_js("(() => { try { failing(); } catch (e) { return e.code === 'VH_ERANGE'; } return false; })()");
  /* uncaught, through vh_eval */
  vh_exception x;
  assert_status(VH_EEXCEPTION, vh_eval(g_e, "failing(2)", VH_AUTO_LENGTH, "t.js", NULL));
  assert_ok(vh_exception_take(g_e, &x));
  if (!strstr(x.message, "VH_ERANGE: ")) fail_msg("message '%s'", x.message);
  vh_exception_free(&x);
}

/* The user data pointer is handed to every call, as a pointer (not a copy). */
static void test_numeric_data(void **state) {
  (void)state;
  static double three = 3, four = 4;
  static int marker;
  def_num(g_e, "three", nf_data, &three);
  def_num(g_e, "four", nf_data, &four);
  def_num(g_e, "probe", nf_probe, &marker);
  assert_js("three() === 3 && four() === 4");
  three = 3.25;
  assert_js("three() === 3.25");
  run(g_e, "probe(1)");
  assert_ptr_equal(g_data, &marker);
  run(g_e, "probe(1, 2, 3, 4, 5, 6, 7, 8, 9)");
  assert_ptr_equal(g_data, &marker);
}

/* The function's `name`, typeof, and a call from C through vh_call. */
static void test_numeric_name_and_vh_call(void **state) {
  (void)state;
  vh_value f = make_num(g_e, "hypotenuse", nf_sum, NULL), out, args[3];
  double d = 0;
  assert_ok(set_global(g_e, "h", f));
  assert_js("h.name === 'hypotenuse' && typeof h === 'function' && h instanceof Function");
  assert_ok(set_global(g_e, "anon", make_num(g_e, NULL, nf_sum, NULL)));
  assert_js("anon.name === ''");
  assert_ok(vh_new_double(g_e, 1.5, &args[0]));
  assert_ok(vh_new_int32(g_e, 2, &args[1]));
  assert_ok(vh_new_double(g_e, -0.25, &args[2]));
  assert_ok(vh_call(g_e, f, (vh_value){0}, 3, args, &out));
  assert_ok(vh_value_double(out, &d));
  assert_true(d == 3.25);
  assert_ok(vh_new_string_utf8(g_e, "4", VH_AUTO_LENGTH, &args[1]));
  int calls = g_calls;
  assert_status(VH_EEXCEPTION, vh_call(g_e, f, (vh_value){0}, 3, args, &out));
  assert_int_equal(g_calls, calls);
  vh_exception x;
  assert_ok(vh_exception_take(g_e, &x));
  if (!strstr(x.message, "hypotenuse: argument 2 is not a number")) fail_msg("message '%s'", x.message);
  vh_exception_free(&x);
}

/* vh_new_function_numeric misuse; a numeric function from engine A works when called in B. */
static void test_numeric_new_misuse_and_engines(void **state) {
  (void)state;
  vh_value f;
  assert_status(VH_EINVAL, vh_new_function_numeric(g_e, "f", NULL, NULL, &f));
  assert_status(VH_EINVAL, vh_new_function_numeric(g_e, "f", nf_sum, NULL, NULL));
  assert_status(VH_EINVAL, vh_new_function_numeric((vh_engine){0}, "f", nf_sum, NULL, &f));
  vh_engine b;
  vh_scope sb;
  static int marker;
  assert_ok(vh_engine_new(g_rt, NULL, &b));
  /* no scope open on this thread: refused */
  assert_ok(vh_scope_close(g_scope));
  int rc_noscope = vh_new_function_numeric(b, "f", nf_sum, NULL, &f);
  assert_ok(vh_scope_open(g_e, &g_scope));
  assert_status(VH_ENOSCOPE, rc_noscope);
  assert_ok(vh_scope_open(b, &sb));
  vh_value fa = make_num(g_e, "fromA", nf_probe, &marker);
  assert_ok(set_global(b, "fromA", fa));
  run(b, "fromA(1.5, 2.5)");
  assert_int_equal(g_calls, 1);
  assert_int_equal(g_argc, 2);
  assert_true(g_args[1] == 2.5);
  assert_ptr_equal(g_data, &marker);
  assert_ok(vh_eval(b, k_helpers, VH_AUTO_LENGTH, "helpers.js", NULL));
  /* the TypeError is made in the function's own realm (A's), as for any built-in */
  assert_js_string(b, "(() => { try { fromA('x'); } catch (e) { return e.name + '|' + e.message; } })()",
                   "TypeError|fromA: argument 1 is not a number");
  assert_int_equal(g_calls, 1);
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_engine_dispose(b));
  assert_status(VH_EDISPOSED, vh_new_function_numeric(b, "f", nf_sum, NULL, &f));
}

/* Numeric functions dropped by script are collected; kept ones survive GC and keep working. */
static void test_numeric_gc(void **state) {
  (void)state;
  static double seven = 7;
  vh_scope inner;
  assert_ok(vh_scope_open(g_e, &inner));
  for (int i = 0; i < 200; ++i) make_num(g_e, "tmp", nf_data, &seven);
  def_num(g_e, "kept", nf_data, &seven);
  assert_ok(vh_scope_close(inner));
  assert_ok(vh_scope_close(g_scope));
  assert_ok(vh_runtime_gc(g_rt));
  assert_ok(vh_runtime_gc(g_rt));
  assert_ok(vh_scope_open(g_e, &g_scope));
  assert_js("kept() === 7 && kept.name === 'kept'");
  run(g_e, "globalThis.kept = undefined");
  assert_ok(vh_scope_close(g_scope));
  assert_ok(vh_runtime_gc(g_rt));
  assert_ok(vh_scope_open(g_e, &g_scope));
  def_num(g_e, "again", nf_data, &seven);
  assert_js("again() === 7");
}

/* A numeric function outlives the engine that made it while another engine holds it. */
static void test_numeric_after_engine_dispose(void **state) {
  (void)state;
  static double five = 5;
  vh_engine a;
  vh_scope sa;
  assert_ok(vh_engine_new(g_rt, NULL, &a));
  assert_ok(vh_scope_open(a, &sa));
  vh_value f = make_num(a, "fromA", nf_data, &five);
  vh_value p = make_num(a, "probeA", nf_probe, &five);
  assert_ok(set_global(g_e, "fromA", f));
  assert_ok(set_global(g_e, "probeA", p));
  assert_ok(vh_scope_close(sa));
  assert_ok(vh_engine_dispose(a));
  assert_ok(vh_scope_close(g_scope));
  assert_ok(vh_runtime_gc(g_rt));
  assert_ok(vh_runtime_gc(g_rt));
  assert_ok(vh_scope_open(g_e, &g_scope));
  assert_js("fromA() === 5 && fromA(1, 2, 3, 4, 5, 6, 7, 8, 9) === 5");
  reset_probe();
  run(g_e, "probeA(0.5, 1, 2, 3, 4, 5, 6, 7, 8)");
  assert_int_equal(g_calls, 1);
  assert_int_equal(g_argc, 9);
  assert_true(g_args[0] == 0.5 && g_args[8] == 8);
  assert_ptr_equal(g_data, &five);
  assert_js("(() => { try { probeA('x'); } catch (e) { return e.name + '|' + e.message; } })()"
            " === 'TypeError|probeA: argument 1 is not a number'");
  assert_int_equal(g_calls, 1);
}

/* Runtime globals: in engines made after; in older ones via install; each engine its own. */
static void test_runtime_global_numeric(void **state) {
  (void)state;
  static double one = 1, two = 2;
  vh_runtime rt;
  vh_engine before, after, later;
  vh_scope s;
  vh_value f1, f2;
  bool same = true;
  open_runtime(NULL, &rt, &before, NULL);
  assert_ok(vh_runtime_global_numeric(rt, "hostNum", nf_data, &one)); /* no lock held here */
  assert_ok(vh_engine_new(rt, NULL, &after));
  assert_ok(vh_scope_open(after, &s));
  assert_js_in(after, "typeof hostNum === 'function' && hostNum() === 1");
  assert_js_in(after, "Object.getOwnPropertyDescriptor(globalThis, 'hostNum').enumerable");
  assert_js_in(before, "typeof hostNum === 'undefined'");
  assert_ok(vh_engine_install_globals(before));
  assert_js_in(before, "hostNum() === 1 && hostNum instanceof Function");
  assert_ok(vh_engine_install_globals(before)); /* twice is harmless */
  assert_js_in(before, "hostNum() === 1");
  /* each engine its own function object */
  assert_ok(vh_get(before, run(before, "globalThis"), "hostNum", &f1));
  assert_ok(vh_get(after, run(after, "globalThis"), "hostNum", &f2));
  assert_ok(vh_strict_equals(f1, f2, &same));
  assert_false(same);
  run(before, "hostNum.tag = 'before'");
  assert_js_in(after, "hostNum.tag === undefined");
  /* the argument check names the global */
  assert_ok(vh_eval(after, k_helpers, VH_AUTO_LENGTH, "helpers.js", NULL));
  assert_js_string(after, "thrown(() => hostNum(1, 2, 'three'))", "TypeError|hostNum: argument 3 is not a number");
  /* arguments, argc and data of a runtime global */
  assert_ok(vh_runtime_global_numeric(rt, "probeG", nf_probe, &two));
  assert_ok(vh_engine_install_globals(after));
  reset_probe();
  assert_js_in(after, "Number.isNaN(probeG(0.5, -0, 1, 2, 3, 4, 5, 6, 7))");
  assert_int_equal(g_calls, 1);
  assert_int_equal(g_argc, 9);
  assert_true(g_args[0] == 0.5 && signbit(g_args[1]) && g_args[8] == 7);
  assert_ptr_equal(g_data, &two);
  /* re-registering replaces it for later installs only */
  assert_ok(vh_runtime_global_numeric(rt, "hostNum", nf_data, &two));
  assert_js_in(after, "hostNum() === 1");
  assert_ok(vh_engine_new(rt, NULL, &later));
  assert_js_in(later, "hostNum() === 2");
  assert_ok(vh_engine_install_globals(after));
  assert_js_in(after, "hostNum() === 2");
  assert_ok(vh_scope_close(s));
  /* misuse */
  assert_status(VH_EINVAL, vh_runtime_global_numeric(rt, NULL, nf_data, &one));
  assert_status(VH_EINVAL, vh_runtime_global_numeric(rt, "x", NULL, &one));
  assert_status(VH_EINVAL, vh_runtime_global_numeric((vh_runtime){0}, "x", nf_data, &one));
  assert_status(VH_EINVAL, vh_runtime_global_numeric(rt, "undefined", nf_data, &one));
  assert_status(VH_EINVAL, vh_runtime_global_numeric(rt, "NaN", nf_data, &one));
  assert_status(VH_EINVAL, vh_runtime_global_numeric(rt, "Infinity", nf_data, &one));
  /* the refused names changed nothing */
  assert_ok(vh_scope_open(later, &s));
  assert_ok(vh_engine_install_globals(later));
  assert_js_in(later, "undefined === void 0 && Number.isNaN(NaN) && Infinity === 1 / 0");
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_runtime_global_numeric(rt, "x", nf_data, &one));
}

/* A runtime global's `name` is the global's name (as for vh_runtime_global_function). */
static void test_runtime_global_numeric_name(void **state) {
  (void)state;
  static double one = 1;
  vh_engine e2;
  assert_ok(vh_runtime_global_numeric(g_rt, "namedNum", nf_data, &one));
  assert_ok(vh_engine_install_globals(g_e));
  assert_ok(vh_engine_new(g_rt, NULL, &e2));
  assert_js_string(g_e, "namedNum.name", "namedNum");
  assert_js_string(e2, "namedNum.name", "namedNum");
  assert_ok(vh_engine_dispose(e2));
}

/* ======================== native methods =================================================== */

/* On an instance: the instance's native pointer, the class data, the arguments and the result. */
static void test_native_basic(void **state) {
  (void)state;
  vh_value v = run(g_e, "var v = new Vec(3, 4); v");
  vec *native = unwrap_vec(v);
  assert_js("v.dot(2, 0.5) === 8 && v.norm2() === 25");
  assert_js("Vec.prototype.dot.name === 'dot' && typeof v.probe === 'function'");
  assert_js("!Object.getOwnPropertyDescriptor(Vec.prototype, 'dot').enumerable"
            " && !Object.keys(Vec.prototype).includes('probe') && !v.hasOwnProperty('dot')");

  reset_probe();
  assert_js("Number.isNaN(v.probe())");
  assert_int_equal(g_calls, 1);
  assert_int_equal(g_argc, 0);
  assert_ptr_equal(g_native, native);
  assert_ptr_equal(g_data, &g_class_data);
  assert_true(isnan(g_result_at_entry));

  run(g_e, "v.probe(0.1, -0, NaN, -Infinity, 1e-310)");
  assert_int_equal(g_argc, 5);
  assert_true(g_args[0] == 0.1);
  assert_true(g_args[1] == 0 && signbit(g_args[1]));
  assert_true(isnan(g_args[2]));
  assert_true(isinf(g_args[3]) && g_args[3] < 0);
  assert_true(g_args[4] == 1e-310);

  /* heap path */
  g_result_at_entry = 0;
  assert_js("Number.isNaN(v.probe(1, 2, 3, 4, 5, 6, 7, 8, 9.5, 10))");
  assert_int_equal(g_argc, 10);
  for (int i = 0; i < 8; ++i) assert_true(g_args[i] == i + 1);
  assert_true(g_args[8] == 9.5 && g_args[9] == 10);
  assert_ptr_equal(g_native, native);
  assert_true(isnan(g_result_at_entry));
  run(g_e, "v.probe(...Array.from({ length: 5000 }, (_, i) => -i / 8))");
  assert_int_equal(g_argc, 5000);
  for (int i = 0; i < 5000; ++i) if (g_args[i] != -i / 8.0) fail_msg("argument %d is %g", i, g_args[i]);
  assert_js("v.total(1, 2, 3, 4, 5, 6, 7, 8, 9, 10) === 62");
  assert_js("v.total() === 7 && v.total(0.5) === 7.5");

  /* results */
  g_ret = -0.0;
  assert_js("Object.is(v.ret(), -0) && Object.is(v.ret(1, 2, 3, 4, 5, 6, 7, 8, 9), -0)");
  g_ret = 0.0;
  assert_js("Object.is(v.ret(), 0)");
  g_ret = 12;
  assert_js("v.ret() === 12 && Number.isInteger(v.ret())");
  g_ret = 6.125;
  assert_js("v.ret() === 6.125 && v.ret(1, 2, 3, 4, 5, 6, 7, 8, 9) === 6.125");
  g_ret = 1e20;
  assert_js("v.ret() === 1e20");
  g_ret = -INFINITY;
  assert_js("v.ret() === -Infinity");
  /* a second instance has its own native pointer */
  vh_value w = run(g_e, "var w = new Vec(-1, 0.5); w");
  run(g_e, "w.probe()");
  assert_ptr_equal(g_native, unwrap_vec(w));
  assert_js("w.dot(2, 2) === -1");
  /* hot loop under the optimizer */
  assert_js("(() => { let s = 0; for (let i = 0; i < 200000; ++i) s += v.dot(1, i & 1); return s === 200000 * 3 + 100000 * 4; })()");
}

/* Native method argument errors and status codes, as for numeric functions. */
static void test_native_type_errors_and_status(void **state) {
  (void)state;
  run(g_e, "var v = new Vec(1, 2)");
  reset_probe();
  static const thrown_case cases[] = {
      {"v.probe('1')", "TypeError|Vec.prototype.probe: argument 1 is not a number"},
      {"v.probe(undefined)", "TypeError|Vec.prototype.probe: argument 1 is not a number"},
      {"v.probe(1, {})", "TypeError|Vec.prototype.probe: argument 2 is not a number"},
      {"v.probe(1, 2, 3n)", "TypeError|Vec.prototype.probe: argument 3 is not a number"},
      {"v.probe(new Number(4))", "TypeError|Vec.prototype.probe: argument 1 is not a number"},
      {"v.probe(1, 2, 3, 4, 5, 6, 7, 8, 9, null)", "TypeError|Vec.prototype.probe: argument 10 is not a number"},
      {"v.dot(1, '2')", "TypeError|Vec.prototype.dot: argument 2 is not a number"},
  };
  assert_thrown(cases, sizeof cases / sizeof cases[0]);
  assert_int_equal(g_calls, 0);
  assert_js("(() => { let ran = false; const o = { valueOf() { ran = true; return 1; } };"
            " return /^TypeError/.test(thrown(() => v.dot(o, 1))) && !ran; })()");
  assert_int_equal(g_calls, 0);

  static const int codes[] = {VH_ERANGE, VH_EINVAL, VH_EBRAND};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
    char expected[512];
    g_code = codes[i];
    status_text(expected, sizeof expected, "Error", codes[i]);
    assert_js_string(g_e, "thrown(() => v.fail(1))", expected);
    assert_js_string(g_e, "thrown(() => v.fail(1, 2, 3, 4, 5, 6, 7, 8, 9))", expected);
  }
  assert_int_equal(g_calls, 6);
  char expected[512];
  status_text(expected, sizeof expected, "Error", VH_EINVAL);
  assert_js_string(g_e, "thrown(() => v.dot(1))", expected); /* nm_dot wants two arguments */
}

/* The brand: a plain object, another class's instance, a forged prototype, a primitive, the
 * constructor itself: all TypeError "Illegal invocation", the callback not called. */
static void test_native_brand(void **state) {
  (void)state;
  vh_class other;
  vh_class_def d = vec_def("Other"); /* same native methods and names, another class */
  assert_ok(vh_class_define(g_rt, &d, &other));
  assert_ok(vh_runtime_global_class(g_rt, other));
  assert_ok(vh_engine_install_globals(g_e));
  reset_probe();
  run(g_e, "var probe = Vec.prototype.probe, dot = Vec.prototype.dot;");
  assert_js("illegal(() => probe.call({}))");
  assert_js("illegal(() => probe.call({}, 1, 2))");
  assert_js("illegal(() => probe.call(new Other(1, 2), 1))");
  assert_js("illegal(() => Object.create(Vec.prototype).probe(1))");
  assert_js("illegal(() => Object.create(Vec.prototype).dot(1, 2))");
  assert_js("illegal(() => probe.call(Object.setPrototypeOf({}, new Vec(1, 1))))");
  assert_js("illegal(() => probe.call(5))");
  assert_js("illegal(() => probe.call('s'))");
  assert_js("illegal(() => probe.call(undefined))");
  assert_js("illegal(() => probe.call(null))");
  assert_js("illegal(() => probe())");
  assert_js("illegal(() => probe.call(Vec))");
  assert_js("illegal(() => probe.call(Vec.prototype))");
  assert_js("illegal(() => ({ probe }).probe(1))");
  assert_js("illegal(() => probe.call({}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10))"); /* heap-path arity */
  assert_int_equal(g_calls, 0);
  /* Other's own method works on Other's instance with Other's native pointer */
  vh_value o = run(g_e, "var o = new Other(5, 6); o");
  void *onative = NULL;
  assert_ok(vh_class_unwrap(o, other, &onative));
  run(g_e, "o.probe(1)");
  assert_int_equal(g_calls, 1);
  assert_ptr_equal(g_native, onative);
  assert_js("o.dot(1, 1) === 11 && illegal(() => Other.prototype.dot.call(new Vec(1, 1), 1, 1))");
  /* the real thing passes */
  assert_js("dot.call(new Vec(2, 3), 1, 1) === 5");
}

/* An instance made in engine A, called with engine B's method of the same runtime: works. */
static void test_native_across_engines(void **state) {
  (void)state;
  vh_engine b;
  vh_scope sb;
  assert_ok(vh_engine_new(g_rt, NULL, &b));
  assert_ok(vh_scope_open(b, &sb));
  vh_value a_inst = run(g_e, "new Vec(20, 22)");
  vec *native = unwrap_vec(a_inst);
  assert_ok(set_global(b, "aInst", a_inst));
  reset_probe();
  assert_js_in(b, "!(aInst instanceof Vec) && Vec.prototype.dot.call(aInst, 1, 1) === 42");
  assert_js_in(b, "Number.isNaN(Vec.prototype.probe.call(aInst, 0.5, 1, 2, 3, 4, 5, 6, 7, 8))");
  assert_int_equal(g_calls, 2);
  assert_int_equal(g_argc, 9);
  assert_true(g_args[0] == 0.5 && g_args[8] == 8);
  assert_ptr_equal(g_native, native);
  assert_ptr_equal(g_data, &g_class_data);
  assert_js_in(b, "aInst.dot(0.5, 0) === 10"); /* A's own method, called from B */
  /* and the other way: B's instance with A's method */
  vh_value b_inst = run(b, "new Vec(1.5, 2)");
  assert_ok(set_global(g_e, "bInst", b_inst));
  run(g_e, "Vec.prototype.probe.call(bInst)");
  assert_ptr_equal(g_native, unwrap_vec(b_inst));
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_engine_dispose(b));
}

/* A JS subclass instance (class S extends Vec) works with the parent's native pointer. */
static void test_native_js_subclass(void **state) {
  (void)state;
  vh_value s = run(g_e, "class S extends Vec { twice(a, b) { return 2 * super.dot(a, b); } }"
                            " var s = new S(1.5, 2); s");
  vec *native = unwrap_vec(s);
  assert_true(native->x == 1.5 && native->y == 2);
  reset_probe();
  run(g_e, "s.probe(1, 2)");
  assert_int_equal(g_calls, 1);
  assert_ptr_equal(g_native, native);
  assert_ptr_equal(g_data, &g_class_data);
  assert_js("s instanceof S && s.dot(2, 1) === 5 && s.twice(2, 1) === 10");
  assert_js("Vec.prototype.dot.call(s, 1, 1) === 3.5");
  assert_js("s.total(1, 2, 3, 4, 5, 6, 7, 8, 9) === 48.5"); /* heap path */
  /* S.prototype without an instance is still forged */
  assert_js("illegal(() => Object.create(S.prototype).dot(1, 1))");
}

/* A C-level child class (parent = Vec): its instances get Vec's native methods with their own
 * native pointer; its own native methods refuse a Vec instance. */
static void test_native_parent_class(void **state) {
  (void)state;
  static const vh_native_method_def child_natives[] = {{"childProbe", nm_probe}};
  vh_class child;
  vh_class_def d;
  memset(&d, 0, sizeof d);
  d.struct_size = sizeof d;
  d.name = "Child";
  d.construct = vec_ctor;
  d.finalize = vec_finalize;
  d.native_methods = child_natives;
  d.native_method_count = 1;
  d.parent = g_vec;
  d.data = &g_class_data; /* the finalizer checks the data */
  assert_ok(vh_class_define(g_rt, &d, &child));
  assert_ok(vh_runtime_global_class(g_rt, child));
  assert_ok(vh_engine_install_globals(g_e));
  vh_value c = run(g_e, "var c = new Child(7, 1); c");
  void *cn = NULL;
  assert_ok(vh_class_unwrap(c, child, &cn));
  reset_probe();
  run(g_e, "c.probe(3)");
  assert_ptr_equal(g_native, cn);
  run(g_e, "c.childProbe(4)");
  assert_ptr_equal(g_native, cn);
  assert_int_equal(g_calls, 2);
  assert_js("c instanceof Vec && c.dot(1, 2) === 9");
  assert_js("illegal(() => Child.prototype.childProbe.call(new Vec(1, 1)))");
  assert_int_equal(g_calls, 3); /* the dot call only */
}

/* Native methods are not constructors: `new obj.method()` throws a TypeError, uncalled. */
static void test_native_not_constructor(void **state) {
  (void)state;
  run(g_e, "var v = new Vec(1, 1)");
  reset_probe();
  assert_js("/^TypeError\\|/.test(thrown(() => new v.probe()))");
  assert_js("/^TypeError\\|/.test(thrown(() => new v.dot(1, 2)))");
  assert_js("/^TypeError\\|/.test(thrown(() => new Vec.prototype.probe(1)))");
  assert_js("/^TypeError\\|/.test(thrown(() => Reflect.construct(Vec.prototype.probe, [])))");
  assert_js("/^TypeError\\|/.test(thrown(() => { class X extends Vec.prototype.probe {} }))");
  assert_js("!('prototype' in Vec.prototype.probe)");
  assert_int_equal(g_calls, 0);
}

/* vh_class_new_instance: the method gets exactly the pointer given (also NULL). */
static void test_native_new_instance_pointer(void **state) {
  (void)state;
  static vec marker = {10, 20};
  vh_value a, b;
  assert_ok(vh_class_new_instance(g_e, g_vec, NULL, &b));
  ++g_made; /* the finalizer counts it too (free(NULL) is fine) */
  assert_ok(set_global(g_e, "nullInst", b));
  reset_probe();
  run(g_e, "nullInst.probe(1)");
  assert_int_equal(g_calls, 1);
  assert_null(g_native);
  vec *heap = malloc(sizeof *heap);
  assert_non_null(heap);
  *heap = marker;
  assert_ok(vh_class_new_instance(g_e, g_vec, heap, &a));
  ++g_made;
  assert_ok(set_global(g_e, "made", a));
  run(g_e, "made.probe()");
  assert_ptr_equal(g_native, heap);
  assert_js("made.dot(1, 1) === 30");
}

/* vh_class_define refuses bad native method tables. */
static void test_native_define_misuse(void **state) {
  (void)state;
  vh_class c;
  vh_class_def d = vec_def("Bad");
  const vh_native_method_def null_name[] = {{"ok", nm_probe}, {NULL, nm_probe}};
  const vh_native_method_def null_cb[] = {{"ok", nm_probe}, {"m", NULL}};
  d.native_methods = NULL;
  d.native_method_count = 1;
  assert_status(VH_EINVAL, vh_class_define(g_rt, &d, &c));
  d.native_methods = null_name;
  d.native_method_count = 2;
  assert_status(VH_EINVAL, vh_class_define(g_rt, &d, &c));
  d.native_methods = null_cb;
  assert_status(VH_EINVAL, vh_class_define(g_rt, &d, &c));
  /* the valid prefix alone is fine; a NULL table with a zero count too */
  d.native_method_count = 1;
  assert_ok(vh_class_define(g_rt, &d, &c));
  d = vec_def("NoNatives");
  d.native_methods = NULL;
  d.native_method_count = 0;
  assert_ok(vh_class_define(g_rt, &d, &c));
  assert_ok(vh_runtime_global_class(g_rt, c));
  assert_ok(vh_engine_install_globals(g_e));
  assert_js("new NoNatives(3, 4) instanceof NoNatives && NoNatives.prototype.dot === undefined"
            " && typeof NoNatives.prototype.norm2 === 'function'");
  /* strings and arrays are copied: the definition need not outlive the call */
  vh_native_method_def *table = malloc(sizeof *table);
  char *name = strdup("copied");
  assert_non_null(table);
  assert_non_null(name);
  table[0].name = name;
  table[0].callback = nm_dot;
  d = vec_def("Copied");
  d.native_methods = table;
  d.native_method_count = 1;
  assert_ok(vh_class_define(g_rt, &d, &c));
  free(name);
  free(table);
  assert_ok(vh_runtime_global_class(g_rt, c));
  assert_ok(vh_engine_install_globals(g_e));
  assert_js("new Copied(2, 3).copied(1, 1) === 5 && Copied.prototype.copied.name === 'copied'");
  assert_js_string(g_e, "thrown(() => new Copied().copied('x', 1))",
                     "TypeError|Copied.prototype.copied: argument 1 is not a number");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_numeric_args, setup, teardown),
      cmocka_unit_test_setup_teardown(test_numeric_many_args, setup, teardown),
      cmocka_unit_test_setup_teardown(test_numeric_results, setup, teardown),
      cmocka_unit_test_setup_teardown(test_numeric_type_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_numeric_status, setup, teardown),
      cmocka_unit_test_setup_teardown(test_numeric_data, setup, teardown),
      cmocka_unit_test_setup_teardown(test_numeric_name_and_vh_call, setup, teardown),
      cmocka_unit_test_setup_teardown(test_numeric_new_misuse_and_engines, setup, teardown),
      cmocka_unit_test_setup_teardown(test_numeric_gc, setup, teardown),
      cmocka_unit_test_setup_teardown(test_numeric_after_engine_dispose, setup, teardown),
      cmocka_unit_test_setup_teardown(test_runtime_global_numeric, setup, teardown),
      cmocka_unit_test_setup_teardown(test_runtime_global_numeric_name, setup, teardown),
      cmocka_unit_test_setup_teardown(test_native_basic, setup, teardown),
      cmocka_unit_test_setup_teardown(test_native_type_errors_and_status, setup, teardown),
      cmocka_unit_test_setup_teardown(test_native_brand, setup, teardown),
      cmocka_unit_test_setup_teardown(test_native_across_engines, setup, teardown),
      cmocka_unit_test_setup_teardown(test_native_js_subclass, setup, teardown),
      cmocka_unit_test_setup_teardown(test_native_parent_class, setup, teardown),
      cmocka_unit_test_setup_teardown(test_native_not_constructor, setup, teardown),
      cmocka_unit_test_setup_teardown(test_native_new_instance_pointer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_native_define_misuse, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
