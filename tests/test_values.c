/* Making values, testing their types, reading them back (v8host/value.h). */
#include <math.h>

#define VH_TEST_FIXTURE /* g_rt, g_e, g_scope and their setup/teardown */
#include "test_util.h"

static vh_type type_of(vh_value v) {
  vh_type t = 0;
  assert_ok(vh_typeof(v, &t));
  return t;
}
static bool is_kind(vh_value v, vh_kind k) {
  bool b = false;
  assert_ok(vh_is(v, k, &b));
  return b;
}

/* undefined, null and booleans are made with the right type and read back. */
static void test_undefined_null_bool(void **state) {
  (void)state;
  vh_value u, n, t, f;
  bool b;
  assert_ok(vh_new_undefined(g_e, &u));
  assert_ok(vh_new_null(g_e, &n));
  assert_ok(vh_new_bool(g_e, true, &t));
  assert_ok(vh_new_bool(g_e, false, &f));
  assert_int_equal(type_of(u), VH_TYPE_UNDEFINED);
  assert_int_equal(type_of(n), VH_TYPE_NULL);
  assert_int_equal(type_of(t), VH_TYPE_BOOLEAN);
  assert_ok(vh_value_bool(t, &b));
  assert_true(b);
  assert_ok(vh_value_bool(f, &b));
  assert_false(b);
  assert_status(VH_ETYPE, vh_value_bool(n, &b));
  put_global(g_e, "u_", u);
  put_global(g_e, "n_", n);
  assert_true(eval_bool("u_ === undefined && n_ === null"));
}

/* vh_value_is_empty: true for the zero handle only; a made value (undefined included) is not
 * empty, and stays not empty after its scope closed (the handle is looked at, not the slot). */
static void test_value_is_empty(void **state) {
  (void)state;
  vh_value empty, u, inner;
  vh_scope s;
  memset(&empty, 0, sizeof empty);
  assert_true(vh_value_is_empty(empty));
  assert_ok(vh_new_undefined(g_e, &u));
  assert_false(vh_value_is_empty(u));
  assert_ok(vh_scope_open(g_e, &s));
  assert_ok(vh_new_object(g_e, &inner));
  assert_false(vh_value_is_empty(inner));
  assert_ok(vh_scope_close(s));
  assert_false(vh_value_is_empty(inner));
  assert_status(VH_ESCOPE_CLOSED, vh_typeof(inner, &(vh_type){0}));
  assert_status(VH_EINVAL, vh_typeof(empty, &(vh_type){0}));
}

/* Numbers made from int32/uint32/int64/double read back exactly through every reader. */
static void test_numbers_round_trip(void **state) {
  (void)state;
  vh_value v;
  int32_t i32;
  uint32_t u32;
  int64_t i64;
  double d;
  assert_ok(vh_new_int32(g_e, INT32_MIN, &v));
  assert_ok(vh_value_int32(v, &i32));
  assert_int_equal(i32, INT32_MIN);
  assert_ok(vh_new_uint32(g_e, UINT32_MAX, &v));
  assert_ok(vh_value_uint32(v, &u32));
  assert_true(u32 == UINT32_MAX);
  assert_ok(vh_value_double(v, &d));
  assert_true(d == 4294967295.0);
  assert_status(VH_ERANGE, vh_value_int32(v, &i32));
  assert_ok(vh_new_int64(g_e, (int64_t)1 << 53, &v));
  assert_ok(vh_value_int64(v, &i64));
  assert_true(i64 == (int64_t)1 << 53);
  assert_ok(vh_new_int64(g_e, -((int64_t)1 << 53), &v));
  assert_ok(vh_value_int64(v, &i64));
  assert_true(i64 == -((int64_t)1 << 53));
  assert_ok(vh_new_int64(g_e, -1234567890123LL, &v));
  assert_ok(vh_value_int64(v, &i64));
  assert_true(i64 == -1234567890123LL);
  assert_ok(vh_new_double(g_e, 0.1, &v));
  assert_ok(vh_value_double(v, &d));
  assert_true(d == 0.1);
  assert_int_equal(type_of(v), VH_TYPE_NUMBER);
  assert_ok(vh_new_double(g_e, -INFINITY, &v));
  assert_ok(vh_value_double(v, &d));
  assert_true(isinf(d) && d < 0);
  assert_ok(vh_new_double(g_e, NAN, &v));
  assert_ok(vh_value_double(v, &d));
  assert_true(isnan(d));
  put_global(g_e, "nan_", v);
  assert_true(eval_bool("Number.isNaN(nan_)"));
}

/* vh_new_int64 refuses integers a double cannot hold exactly (|n| > 2^53). */
static void test_int64_out_of_range(void **state) {
  (void)state;
  vh_value v;
  assert_status(VH_ERANGE, vh_new_int64(g_e, ((int64_t)1 << 53) + 1, &v));
  assert_status(VH_ERANGE, vh_new_int64(g_e, -((int64_t)1 << 53) - 1, &v));
  assert_status(VH_ERANGE, vh_new_int64(g_e, INT64_MAX, &v));
  assert_status(VH_ERANGE, vh_new_int64(g_e, INT64_MIN, &v));
  assert_ok(vh_new_double(g_e, 9007199254740994.0, &v));
  int64_t i;
  assert_status(VH_ERANGE, vh_value_int64(v, &i));
}

/* Integer readers are strict: fractions, NaN, out of range → VH_ERANGE; non-number → VH_ETYPE. */
static void test_int_readers_strict(void **state) {
  (void)state;
  vh_value v;
  int32_t i = 77;
  uint32_t u = 77;
  assert_ok(vh_new_double(g_e, 1.5, &v));
  assert_status(VH_ERANGE, vh_value_int32(v, &i));
  assert_status(VH_ERANGE, vh_value_uint32(v, &u));
  assert_ok(vh_new_double(g_e, NAN, &v));
  assert_status(VH_ERANGE, vh_value_int32(v, &i));
  assert_ok(vh_new_double(g_e, 2147483648.0, &v));
  assert_status(VH_ERANGE, vh_value_int32(v, &i));
  assert_ok(vh_value_uint32(v, &u));
  assert_true(u == 2147483648u);
  assert_ok(vh_new_double(g_e, INFINITY, &v));
  assert_status(VH_ERANGE, vh_value_int32(v, &i));
  assert_ok(vh_new_int32(g_e, -1, &v));
  assert_status(VH_ERANGE, vh_value_uint32(v, &u));
  assert_ok(vh_new_double(g_e, 4294967296.0, &v));
  assert_status(VH_ERANGE, vh_value_uint32(v, &u));
  assert_int_equal(i, 77); /* failing calls leave out-parameters untouched */
  v = eval_ok(g_e, "'12'");
  assert_status(VH_ETYPE, vh_value_int32(v, &i));
  assert_status(VH_ETYPE, vh_value_double(v, &(double){0}));
  v = eval_ok(g_e, "-0");
  i = 5;
  assert_ok(vh_value_int32(v, &i));
  assert_int_equal(i, 0);
  assert_ok(vh_value_uint32(v, &u));
  assert_true(u == 0);
}

/* Numbers that are small integers in V8 (read inline) and ones that are not (read through V8)
 * give the same answers; vh_new_double makes the same Number script would (-0 stays -0). */
static void test_number_representations(void **state) {
  (void)state;
  int32_t i;
  uint32_t u;
  int64_t i64;
  double d;
  /* script-made: small integers, and integral values V8 keeps as heap numbers */
  vh_value v = eval_ok(g_e, "-7");
  assert_ok(vh_value_double(v, &d));
  assert_true(d == -7.0);
  assert_ok(vh_value_int32(v, &i));
  assert_int_equal(i, -7);
  assert_ok(vh_value_int64(v, &i64));
  assert_true(i64 == -7);
  assert_status(VH_ERANGE, vh_value_uint32(v, &u));
  v = eval_ok(g_e, "2 ** 31 - 1");
  assert_ok(vh_value_int32(v, &i));
  assert_int_equal(i, INT32_MAX);
  v = eval_ok(g_e, "-(2 ** 31)");
  assert_ok(vh_value_int32(v, &i));
  assert_int_equal(i, INT32_MIN);
  assert_status(VH_ERANGE, vh_value_uint32(v, &u));
  v = eval_ok(g_e, "2 ** 40");
  assert_status(VH_ERANGE, vh_value_int32(v, &i));
  assert_ok(vh_value_int64(v, &i64));
  assert_true(i64 == (int64_t)1 << 40);
  v = eval_ok(g_e, "0.5 + 0.5"); /* a computed 1 */
  assert_ok(vh_value_int32(v, &i));
  assert_int_equal(i, 1);
  /* host-made */
  const double made[] = {0.0, -0.0, 3.0, -3.0, 2147483647.0, -2147483648.0, 2147483648.0, 1073741824.0, 0.25};
  const char *checks[] = {"Object.is(x_, 0)", "Object.is(x_, -0)", "x_ === 3", "x_ === -3",
                          "x_ === 2147483647", "x_ === -2147483648", "x_ === 2147483648",
                          "x_ === 1073741824", "x_ === 0.25"};
  for (size_t k = 0; k < sizeof made / sizeof made[0]; ++k) {
    assert_ok(vh_new_double(g_e, made[k], &v));
    assert_int_equal(type_of(v), VH_TYPE_NUMBER);
    assert_ok(vh_value_double(v, &d));
    assert_true(d == made[k] && signbit(d) == signbit(made[k]));
    put_global(g_e, "x_", v);
    if (!eval_bool(checks[k])) fail_msg("vh_new_double(%g): %s is false", made[k], checks[k]);
  }
}

/* BigInts from int64/uint64 read back exactly, losslessly. */
static void test_bigint_int64_uint64(void **state) {
  (void)state;
  vh_value v;
  int64_t i;
  uint64_t u;
  bool lossless = false;
  assert_ok(vh_new_bigint_int64(g_e, INT64_MIN, &v));
  assert_int_equal(type_of(v), VH_TYPE_BIGINT);
  assert_ok(vh_value_bigint_int64(v, &i, &lossless));
  assert_true(i == INT64_MIN);
  assert_true(lossless);
  assert_ok(vh_new_bigint_uint64(g_e, UINT64_MAX, &v));
  lossless = false;
  assert_ok(vh_value_bigint_uint64(v, &u, &lossless));
  assert_true(u == UINT64_MAX);
  assert_true(lossless);
  put_global(g_e, "big_", v);
  assert_true(eval_bool("big_ === 18446744073709551615n"));
  /* uint64 max does not fit an int64: wraps, lossless false */
  lossless = true;
  assert_ok(vh_value_bigint_int64(v, &i, &lossless));
  assert_true(i == -1);
  assert_false(lossless);
  assert_ok(vh_value_bigint_int64(v, &i, NULL));
  assert_status(VH_ETYPE, vh_value_bigint_int64(eval_ok(g_e, "1"), &i, NULL));
}

/* BigInt reads report lossless=false (and the low 64 bits) when out of range. */
static void test_bigint_lossy_reads(void **state) {
  (void)state;
  vh_value v = eval_ok(g_e, "2n ** 64n + 5n");
  uint64_t u;
  int64_t i;
  bool lossless = true;
  assert_ok(vh_value_bigint_uint64(v, &u, &lossless));
  assert_false(lossless);
  assert_true(u == 5);
  v = eval_ok(g_e, "-1n");
  lossless = true;
  assert_ok(vh_value_bigint_uint64(v, &u, &lossless));
  assert_false(lossless);
  assert_true(u == UINT64_MAX);
  lossless = false;
  assert_ok(vh_value_bigint_int64(v, &i, &lossless));
  assert_true(lossless);
  assert_true(i == -1);
}

/* Multi-word and negative BigInts from words round-trip exactly, and JS sees the same number. */
static void test_bigint_words_round_trip(void **state) {
  (void)state;
  const uint64_t words[3] = {0x0123456789abcdefULL, 0xfedcba9876543210ULL, 0x42};
  vh_value v;
  uint64_t back[4] = {0};
  size_t count = 4;
  bool neg = false;
  assert_ok(vh_new_bigint_words(g_e, true, 3, words, &v));
  assert_ok(vh_value_bigint_words(v, &neg, &count, back));
  assert_true(neg);
  assert_int_equal(count, 3);
  assert_memory_equal(back, words, sizeof words);
  put_global(g_e, "bw_", v);
  assert_true(eval_bool("bw_ === -(0x42n << 128n | 0xfedcba9876543210n << 64n | 0x0123456789abcdefn)"));
  /* a count-only query */
  count = 0;
  assert_ok(vh_value_bigint_words(v, &neg, &count, NULL));
  assert_int_equal(count, 3);
  /* positive, one word */
  assert_ok(vh_new_bigint_words(g_e, false, 1, words, &v));
  count = 4;
  assert_ok(vh_value_bigint_words(v, &neg, &count, back));
  assert_false(neg);
  assert_int_equal(count, 1);
  assert_true(back[0] == words[0]);
  /* bad arguments */
  assert_status(VH_EINVAL, vh_new_bigint_words(g_e, false, 0, words, &v));
  assert_status(VH_EINVAL, vh_new_bigint_words(g_e, false, 1, NULL, &v));
  assert_status(VH_ERANGE, vh_new_bigint_words(g_e, false, 16385, words, &v));
}

/* Too small a word buffer → VH_ERANGE with count set to the need. */
static void test_bigint_words_capacity(void **state) {
  (void)state;
  vh_value v = eval_ok(g_e, "2n ** 130n");
  uint64_t back[2] = {7, 7};
  size_t count = 2;
  bool neg = true;
  assert_status(VH_ERANGE, vh_value_bigint_words(v, &neg, &count, back));
  assert_int_equal(count, 3);
  assert_true(back[0] == 7 && back[1] == 7);
  assert_status(VH_ETYPE, vh_value_bigint_words(eval_ok(g_e, "({})"), &neg, &count, back));
  count = 2; /* zero has no words */
  assert_ok(vh_value_bigint_words(eval_ok(g_e, "0n"), &neg, &count, back));
  assert_int_equal(count, 0);
  assert_false(neg);
}

/* Symbols have type symbol; two with the same description are different values. */
static void test_symbols(void **state) {
  (void)state;
  vh_value a, b, c;
  bool eq = true;
  assert_ok(vh_new_symbol(g_e, "tag", &a));
  assert_ok(vh_new_symbol(g_e, "tag", &b));
  assert_ok(vh_new_symbol(g_e, NULL, &c));
  assert_int_equal(type_of(a), VH_TYPE_SYMBOL);
  assert_int_equal(type_of(c), VH_TYPE_SYMBOL);
  assert_ok(vh_strict_equals(a, b, &eq));
  assert_false(eq);
  assert_ok(vh_strict_equals(a, a, &eq));
  assert_true(eq);
  put_global(g_e, "sa_", a);
  put_global(g_e, "sc_", c);
  assert_eval_string(g_e, "typeof sa_ + ':' + sa_.description + ':' + sc_.description",
                     "symbol:tag:undefined");
}

/* Objects and arrays: the right types, array length readable, holes as documented. */
static void test_objects_and_arrays(void **state) {
  (void)state;
  vh_value o, a;
  uint32_t len = 0;
  assert_ok(vh_new_object(g_e, &o));
  assert_int_equal(type_of(o), VH_TYPE_OBJECT);
  assert_ok(vh_new_array(g_e, 5, &a));
  /* Beyond what V8 can allocate at once: an error code, not the end of the process. */
  vh_value too_long = {0};
  assert_status(VH_ERANGE, vh_new_array(g_e, 134217726u, &too_long));
  assert_status(VH_ERANGE, vh_new_array(g_e, UINT32_MAX, &too_long));
  assert_int_equal(too_long.serial_, 0);
  assert_int_equal(type_of(a), VH_TYPE_OBJECT);
  assert_ok(vh_value_array_length(a, &len));
  assert_int_equal(len, 5);
  put_global(g_e, "o_", o);
  put_global(g_e, "a_", a);
  assert_true(eval_bool("Object.getPrototypeOf(o_) === Object.prototype && Array.isArray(a_)"
                        " && !(0 in a_)"));
  assert_status(VH_ETYPE, vh_value_array_length(o, &len));
  assert_ok(vh_value_array_length(eval_ok(g_e, "[1,2,3,,]"), &len));
  assert_int_equal(len, 4);
}

/* Dates keep their time value; NaN makes an Invalid Date; non-dates are refused. */
static void test_dates(void **state) {
  (void)state;
  vh_value d;
  double ms = 0;
  assert_ok(vh_new_date(g_e, 1700000000123.0, &d));
  assert_ok(vh_value_date(d, &ms));
  assert_true(ms == 1700000000123.0);
  assert_true(is_kind(d, VH_KIND_DATE));
  put_global(g_e, "d_", d);
  assert_eval_string(g_e, "d_.toISOString()", "2023-11-14T22:13:20.123Z");
  assert_ok(vh_new_date(g_e, NAN, &d));
  assert_ok(vh_value_date(d, &ms));
  assert_true(isnan(ms));
  put_global(g_e, "d_", d);
  assert_true(eval_bool("d_ instanceof Date && isNaN(d_)"));
  assert_eval_string(g_e, "String(d_)", "Invalid Date");
  assert_ok(vh_new_date(g_e, 8.64e15 + 1, &d));
  assert_ok(vh_value_date(d, &ms));
  assert_true(isnan(ms));
  assert_status(VH_ETYPE, vh_value_date(eval_ok(g_e, "1700000000123"), &ms));
}

/* vh_typeof tells every type apart, null from object and functions from objects. */
static void test_typeof_all(void **state) {
  (void)state;
  static const struct {
    const char *src;
    vh_type t;
  } cases[] = {
      {"undefined", VH_TYPE_UNDEFINED}, {"null", VH_TYPE_NULL},
      {"false", VH_TYPE_BOOLEAN},       {"3.5", VH_TYPE_NUMBER},
      {"3n", VH_TYPE_BIGINT},           {"'s'", VH_TYPE_STRING},
      {"Symbol()", VH_TYPE_SYMBOL},     {"({})", VH_TYPE_OBJECT},
      {"[]", VH_TYPE_OBJECT},           {"(function(){})", VH_TYPE_FUNCTION},
      {"(() => 1)", VH_TYPE_FUNCTION},  {"(class {})", VH_TYPE_FUNCTION},
      {"new Date(0)", VH_TYPE_OBJECT},  {"/x/", VH_TYPE_OBJECT},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    vh_type t = type_of(eval_ok(g_e, cases[i].src));
    if (t != cases[i].t) fail_msg("typeof %s: got %d, want %d", cases[i].src, t, cases[i].t);
  }
}

/* vh_is recognises each kind, and refuses a look-alike of it. */
static void test_is_every_kind(void **state) {
  (void)state;
  static const struct {
    vh_kind k;
    const char *yes, *no;
  } cases[] = {
      {VH_KIND_ARRAY, "[1]", "({length: 1, 0: 1})"},
      {VH_KIND_DATE, "new Date(0)", "Date.now()"},
      {VH_KIND_ERROR, "new RangeError('r')", "({name: 'Error', message: 'm'})"},
      {VH_KIND_PROMISE, "Promise.resolve(1)", "({then() {}})"},
      {VH_KIND_REGEXP, "/a+/g", "'/a+/g'"},
      {VH_KIND_MAP, "new Map", "new WeakMap"},
      {VH_KIND_SET, "new Set", "new Map"},
      {VH_KIND_PROXY, "new Proxy({}, {})", "({})"},
      {VH_KIND_ARRAY_BUFFER, "new ArrayBuffer(8)", "new SharedArrayBuffer(8)"},
      {VH_KIND_SHARED_ARRAY_BUFFER, "new SharedArrayBuffer(8)", "new ArrayBuffer(8)"},
      {VH_KIND_TYPED_ARRAY, "new Uint8Array(4)", "new DataView(new ArrayBuffer(4))"},
      {VH_KIND_DATA_VIEW, "new DataView(new ArrayBuffer(4))", "new Uint8Array(4)"},
      {VH_KIND_INT32, "-7", "1.5"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    if (!is_kind(eval_ok(g_e, cases[i].yes), cases[i].k))
      fail_msg("kind %d: %s should match", cases[i].k, cases[i].yes);
    if (is_kind(eval_ok(g_e, cases[i].no), cases[i].k))
      fail_msg("kind %d: %s should not match", cases[i].k, cases[i].no);
  }
  assert_false(is_kind(eval_ok(g_e, "2147483648"), VH_KIND_INT32));
  bool b = true;
  vh_value v = eval_ok(g_e, "[]");
  assert_status(VH_EINVAL, vh_is(v, (vh_kind)0, &b));
  assert_status(VH_EINVAL, vh_is(v, (vh_kind)999, &b));
  assert_true(b);
}

/* vh_strict_equals is JS ===: identity for objects, NaN !== NaN, 1 === 1. */
static void test_strict_equals(void **state) {
  (void)state;
  vh_value a = eval_ok(g_e, "globalThis.eqObj = {x: 1}");
  vh_value a2 = eval_ok(g_e, "eqObj");
  vh_value b = eval_ok(g_e, "({x: 1})");
  vh_value n1, n2, one1, one2;
  bool eq = false;
  assert_ok(vh_strict_equals(a, a2, &eq));
  assert_true(eq);
  assert_ok(vh_strict_equals(a, b, &eq));
  assert_false(eq);
  assert_ok(vh_new_double(g_e, NAN, &n1));
  n2 = eval_ok(g_e, "NaN");
  assert_ok(vh_strict_equals(n1, n2, &eq));
  assert_false(eq);
  assert_ok(vh_strict_equals(n1, n1, &eq));
  assert_false(eq);
  assert_ok(vh_new_int32(g_e, 1, &one1));
  assert_ok(vh_new_double(g_e, 1.0, &one2));
  assert_ok(vh_strict_equals(one1, one2, &eq));
  assert_true(eq);
  assert_ok(vh_strict_equals(eval_ok(g_e, "'ab'"), eval_ok(g_e, "'a' + 'b'"), &eq));
  assert_true(eq);
  assert_ok(vh_strict_equals(one1, eval_ok(g_e, "'1'"), &eq));
  assert_false(eq);
}

/* NULL out-parameters are refused with VH_EINVAL rather than crashing. */
static void test_null_out_pointers(void **state) {
  (void)state;
  vh_value v = eval_ok(g_e, "42");
  vh_value big = eval_ok(g_e, "42n");
  size_t count = 1;
  bool neg;
  assert_status(VH_EINVAL, vh_new_undefined(g_e, NULL));
  assert_status(VH_EINVAL, vh_new_null(g_e, NULL));
  assert_status(VH_EINVAL, vh_new_bool(g_e, true, NULL));
  assert_status(VH_EINVAL, vh_new_int32(g_e, 1, NULL));
  assert_status(VH_EINVAL, vh_new_uint32(g_e, 1, NULL));
  assert_status(VH_EINVAL, vh_new_int64(g_e, 1, NULL));
  assert_status(VH_EINVAL, vh_new_double(g_e, 1, NULL));
  assert_status(VH_EINVAL, vh_new_bigint_int64(g_e, 1, NULL));
  assert_status(VH_EINVAL, vh_new_bigint_uint64(g_e, 1, NULL));
  assert_status(VH_EINVAL, vh_new_bigint_words(g_e, false, 1, &(uint64_t){1}, NULL));
  assert_status(VH_EINVAL, vh_new_symbol(g_e, "x", NULL));
  assert_status(VH_EINVAL, vh_new_object(g_e, NULL));
  assert_status(VH_EINVAL, vh_new_array(g_e, 1, NULL));
  assert_status(VH_EINVAL, vh_new_date(g_e, 0, NULL));
  assert_status(VH_EINVAL, vh_typeof(v, NULL));
  assert_status(VH_EINVAL, vh_is(v, VH_KIND_INT32, NULL));
  assert_status(VH_EINVAL, vh_value_bool(v, NULL));
  assert_status(VH_EINVAL, vh_value_double(v, NULL));
  assert_status(VH_EINVAL, vh_value_int32(v, NULL));
  assert_status(VH_EINVAL, vh_value_uint32(v, NULL));
  assert_status(VH_EINVAL, vh_value_int64(v, NULL));
  assert_status(VH_EINVAL, vh_value_bigint_int64(big, NULL, NULL));
  assert_status(VH_EINVAL, vh_value_bigint_uint64(big, NULL, NULL));
  assert_status(VH_EINVAL, vh_value_bigint_words(big, NULL, &count, NULL));
  assert_status(VH_EINVAL, vh_value_bigint_words(big, &neg, NULL, NULL));
  assert_status(VH_EINVAL, vh_value_date(v, NULL));
  assert_status(VH_EINVAL, vh_value_array_length(v, NULL));
  assert_status(VH_EINVAL, vh_strict_equals(v, v, NULL));
}

/* The empty (zeroed) value handle is refused with VH_EINVAL by readers and takers of values. */
static void test_empty_value_handle(void **state) {
  (void)state;
  vh_value empty;
  memset(&empty, 0, sizeof empty);
  vh_value v = eval_ok(g_e, "1");
  vh_type t;
  bool b;
  int32_t i;
  double d;
  uint32_t u;
  size_t n;
  assert_status(VH_EINVAL, vh_typeof(empty, &t));
  assert_status(VH_EINVAL, vh_is(empty, VH_KIND_ARRAY, &b));
  assert_status(VH_EINVAL, vh_value_bool(empty, &b));
  assert_status(VH_EINVAL, vh_value_int32(empty, &i));
  assert_status(VH_EINVAL, vh_value_double(empty, &d));
  assert_status(VH_EINVAL, vh_value_date(empty, &d));
  assert_status(VH_EINVAL, vh_value_array_length(empty, &u));
  assert_status(VH_EINVAL, vh_value_string_utf8(empty, NULL, 0, &n));
  assert_status(VH_EINVAL, vh_strict_equals(empty, v, &b));
  assert_status(VH_EINVAL, vh_strict_equals(v, empty, &b));
  vh_value g;
  assert_ok(vh_engine_global(g_e, &g));
  assert_status(VH_EINVAL, vh_set(g_e, g, "x", empty));
  assert_status(VH_EINVAL, vh_get(g_e, empty, "x", &v));
  vh_ref r;
  assert_status(VH_EINVAL, vh_ref_new(empty, 1, &r));
  vh_engine no_engine;
  memset(&no_engine, 0, sizeof no_engine);
  assert_status(VH_EINVAL, vh_new_int32(no_engine, 1, &v));
}

/* Values of two runtimes cannot be compared (VH_ERUNTIME_MISMATCH); closed values are refused. */
static void test_cross_runtime_and_closed(void **state) {
  (void)state;
  vh_engine other;
  vh_scope s, inner;
  vh_value mine = eval_ok(g_e, "1"), theirs, stale;
  bool eq = true;
  int32_t i;
  assert_ok(vh_engine_new_private(NULL, NULL, &other));
  assert_ok(vh_scope_open(other, &s));
  assert_ok(vh_new_int32(other, 1, &theirs));
  assert_status(VH_ERUNTIME_MISMATCH, vh_strict_equals(mine, theirs, &eq));
  assert_true(eq);
  assert_ok(vh_scope_open(other, &inner));
  assert_ok(vh_new_int32(other, 9, &stale));
  assert_ok(vh_scope_close(inner));
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(stale, &i));
  assert_ok(vh_new_int32(other, 10, &theirs)); /* may reuse the slot; the old handle still fails */
  assert_status(VH_ESCOPE_CLOSED, vh_value_int32(stale, &i));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(other));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_undefined_null_bool, setup, teardown),
      cmocka_unit_test_setup_teardown(test_value_is_empty, setup, teardown),
      cmocka_unit_test_setup_teardown(test_numbers_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_int64_out_of_range, setup, teardown),
      cmocka_unit_test_setup_teardown(test_int_readers_strict, setup, teardown),
      cmocka_unit_test_setup_teardown(test_number_representations, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bigint_int64_uint64, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bigint_lossy_reads, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bigint_words_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bigint_words_capacity, setup, teardown),
      cmocka_unit_test_setup_teardown(test_symbols, setup, teardown),
      cmocka_unit_test_setup_teardown(test_objects_and_arrays, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dates, setup, teardown),
      cmocka_unit_test_setup_teardown(test_typeof_all, setup, teardown),
      cmocka_unit_test_setup_teardown(test_is_every_kind, setup, teardown),
      cmocka_unit_test_setup_teardown(test_strict_equals, setup, teardown),
      cmocka_unit_test_setup_teardown(test_null_out_pointers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty_value_handle, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cross_runtime_and_closed, setup, teardown),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
