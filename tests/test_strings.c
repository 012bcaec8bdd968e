/* Strings: making them from UTF-8, Latin-1, UTF-16 and copying them out (v8host/value.h). */
#define VH_TEST_FIXTURE /* g_rt, g_e, g_scope and their setup/teardown */
#include "test_util.h"

/* Stores v as globalThis.s so that JS can look at it. */
static void put_s(vh_value v) {
  vh_value g;
  assert_ok(vh_engine_global(g_e, &g));
  assert_ok(vh_set(g_e, g, "s", v));
}

/* UTF-8 with 2-, 3- and 4-byte characters survives the round trip; JS sees the right units. */
static void test_utf8_round_trip_multibyte(void **state) {
  (void)state;
  const char *text = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"; /* "héllo € 😀" */
  vh_value v;
  char buf[64];
  size_t len = 0;
  assert_ok(vh_new_string_utf8(g_e, text, VH_AUTO_LENGTH, &v));
  put_s(v);
  assert_js("s.length === 10 && s.charCodeAt(1) === 0xE9 && s.charCodeAt(6) === 0x20AC"
            " && s.codePointAt(8) === 0x1F600");
  assert_ok(vh_value_string_utf8(v, buf, sizeof buf, &len));
  assert_int_equal(len, strlen(text));
  assert_string_equal(buf, text);
  /* and a string made by JS comes out as the same UTF-8 */
  assert_eval_string(g_e, "'h\\u00e9llo \\u20ac \\u{1F600}'", text);
}

/* An explicit length keeps embedded NULs, in JS and when read back. */
static void test_embedded_nul(void **state) {
  (void)state;
  vh_value v;
  char buf[8];
  size_t len = 0;
  assert_ok(vh_new_string_utf8(g_e, "a\0b\0", 4, &v));
  put_s(v);
  assert_js("s.length === 4 && s.charCodeAt(1) === 0 && s[2] === 'b' && s.charCodeAt(3) === 0");
  assert_ok(vh_value_string_utf8(v, buf, sizeof buf, &len));
  assert_int_equal(len, 4);
  assert_memory_equal(buf, "a\0b\0", 5);
  /* a length shorter than the text takes only that prefix */
  assert_ok(vh_new_string_utf8(g_e, "abcdef", 3, &v));
  put_s(v);
  assert_js("s === 'abc'");
}

/* VH_AUTO_LENGTH measures a NUL-terminated string (stopping at the NUL). */
static void test_auto_length(void **state) {
  (void)state;
  vh_value v;
  assert_ok(vh_new_string_utf8(g_e, "ab\0cd", VH_AUTO_LENGTH, &v));
  put_s(v);
  assert_js("s === 'ab'");
  assert_ok(vh_new_string_latin1(g_e, "xyz", VH_AUTO_LENGTH, &v));
  put_s(v);
  assert_js("s === 'xyz'");
  const uint16_t u16[] = {'h', 'i', 0, 'x'};
  assert_ok(vh_new_string_utf16(g_e, u16, VH_AUTO_LENGTH, &v));
  put_s(v);
  assert_js("s === 'hi'");
}

/* Invalid UTF-8 becomes U+FFFD, one per maximal invalid subsequence, as documented. */
static void test_invalid_utf8_replaced(void **state) {
  (void)state;
  vh_value v;
  assert_ok(vh_new_string_utf8(g_e, "\xff", VH_AUTO_LENGTH, &v));
  put_s(v);
  assert_js("s.length === 1 && s.charCodeAt(0) === 0xFFFD");
  /* truncated 3-byte sequence then a valid char: one replacement for the truncated part */
  assert_ok(vh_new_string_utf8(g_e, "a\xe2\x82z", VH_AUTO_LENGTH, &v));
  put_s(v);
  assert_js("s.length === 3 && s[0] === 'a' && s.charCodeAt(1) === 0xFFFD && s[2] === 'z'");
  /* truncated 4-byte sequence at the very end */
  assert_ok(vh_new_string_utf8(g_e, "\xf0\x9f\x98", 3, &v));
  put_s(v);
  assert_js("s.length === 1 && s.charCodeAt(0) === 0xFFFD");
  /* reading it back gives the UTF-8 of U+FFFD */
  char buf[8];
  assert_ok(vh_value_string_utf8(v, buf, sizeof buf, NULL));
  assert_string_equal(buf, "\xef\xbf\xbd");
}

/* Latin-1 bytes map to U+0000..U+00FF and read back as the same bytes. */
static void test_latin1_create_and_read(void **state) {
  (void)state;
  vh_value v;
  char buf[8];
  size_t len = 0;
  assert_ok(vh_new_string_latin1(g_e, "caf\xe9\xff", 5, &v));
  put_s(v);
  assert_js("s === 'caf\\u00e9\\u00ff' && s.charCodeAt(3) === 0xE9");
  assert_ok(vh_value_string_latin1(v, buf, sizeof buf, &len));
  assert_int_equal(len, 5);
  assert_memory_equal(buf, "caf\xe9\xff", 6);
  assert_ok(vh_value_string_utf8(v, buf, sizeof buf, &len));
  assert_int_equal(len, 7);
  assert_string_equal(buf, "caf\xc3\xa9\xc3\xbf");
  /* a two-byte string whose characters all fit in Latin-1 reads as Latin-1 too */
  const uint16_t u16[] = {0xE9, 'x'};
  assert_ok(vh_new_string_utf16(g_e, u16, 2, &v));
  assert_ok(vh_value_string_latin1(v, buf, sizeof buf, &len));
  assert_int_equal(len, 2);
  assert_memory_equal(buf, "\xe9x", 3);
}

/* Reading Latin-1 from a string with a character above U+00FF → VH_ERANGE, length untouched. */
static void test_latin1_read_out_of_range(void **state) {
  (void)state;
  vh_value v = eval_ok(g_e, "'a\\u20ac'");
  char buf[16] = "unchanged";
  size_t len = 12345;
  assert_status(VH_ERANGE, vh_value_string_latin1(v, buf, sizeof buf, &len));
  assert_int_equal(len, 12345);
  assert_string_equal(buf, "unchanged");
  assert_status(VH_ERANGE, vh_value_string_latin1(v, NULL, 0, &len));
  assert_int_equal(len, 12345);
}

/* UTF-16 keeps lone surrogates in JS and reads back unit for unit; UTF-8 out gives U+FFFD. */
static void test_utf16_lone_surrogate(void **state) {
  (void)state;
  const uint16_t units[] = {'a', 0xD800, 'b', 0xDFFF, 0xD83D, 0xDE00};
  vh_value v;
  uint16_t back[8];
  size_t len = 0;
  assert_ok(vh_new_string_utf16(g_e, units, 6, &v));
  put_s(v);
  assert_js("s.length === 6 && s.charCodeAt(1) === 0xD800 && s.charCodeAt(3) === 0xDFFF"
            " && s.codePointAt(4) === 0x1F600");
  assert_ok(vh_value_string_utf16(v, back, 8, &len));
  assert_int_equal(len, 6);
  assert_memory_equal(back, units, sizeof units);
  assert_int_equal(back[6], 0);
  char buf[32];
  assert_ok(vh_value_string_utf8(v, buf, sizeof buf, &len));
  assert_string_equal(buf, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xf0\x9f\x98\x80");
  assert_int_equal(len, strlen(buf));
}

/* A NULL buffer asks for the length only (bytes or units, without the terminator). */
static void test_length_query(void **state) {
  (void)state;
  vh_value v = eval_ok(g_e, "'\\u00e9\\u{1F600}x'");
  size_t len = 0;
  assert_ok(vh_value_string_utf8(v, NULL, 0, &len));
  assert_int_equal(len, 2 + 4 + 1);
  assert_ok(vh_value_string_utf16(v, NULL, 0, &len));
  assert_int_equal(len, 1 + 2 + 1);
  v = eval_ok(g_e, "'\\u00e9t\\u00e9'");
  assert_ok(vh_value_string_latin1(v, NULL, 0, &len));
  assert_int_equal(len, 3);
  assert_status(VH_EINVAL, vh_value_string_utf8(v, NULL, 0, NULL));
  assert_status(VH_EINVAL, vh_value_string_utf16(v, NULL, 0, NULL));
  assert_status(VH_EINVAL, vh_value_string_latin1(v, NULL, 0, NULL));
}

/* Too small a buffer → VH_ERANGE, nothing written, length set to the need. */
static void test_capacity_too_small(void **state) {
  (void)state;
  vh_value v = eval_ok(g_e, "'hello'");
  char buf[8] = "zzzzzzz";
  uint16_t ubuf[4] = {9, 9, 9, 9};
  size_t len = 0;
  /* capacity equal to the length leaves no room for the NUL */
  assert_status(VH_ERANGE, vh_value_string_utf8(v, buf, 5, &len));
  assert_int_equal(len, 5);
  assert_string_equal(buf, "zzzzzzz");
  len = 0;
  assert_status(VH_ERANGE, vh_value_string_utf8(v, buf, 0, &len));
  assert_int_equal(len, 5);
  len = 0;
  assert_status(VH_ERANGE, vh_value_string_latin1(v, buf, 2, &len));
  assert_int_equal(len, 5);
  assert_string_equal(buf, "zzzzzzz");
  len = 0;
  assert_status(VH_ERANGE, vh_value_string_utf16(v, ubuf, 4, &len));
  assert_int_equal(len, 5);
  assert_int_equal(ubuf[0], 9);
  assert_status(VH_ERANGE, vh_value_string_utf8(v, buf, 3, NULL)); /* length may be NULL */
  /* exactly need + 1 fits */
  assert_ok(vh_value_string_utf8(v, buf, 6, NULL));
  assert_string_equal(buf, "hello");
}

/* Readers are strict: a number, a String object or a symbol is not a string (VH_ETYPE). */
static void test_not_a_string(void **state) {
  (void)state;
  const char *srcs[] = {"42", "new String('x')", "Symbol('x')", "null"};
  char buf[16];
  uint16_t ubuf[16];
  size_t len;
  char *dup = NULL;
  for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; ++i) {
    vh_value v = eval_ok(g_e, srcs[i]);
    assert_status(VH_ETYPE, vh_value_string_utf8(v, buf, sizeof buf, &len));
    assert_status(VH_ETYPE, vh_value_string_utf16(v, ubuf, 16, &len));
    assert_status(VH_ETYPE, vh_value_string_latin1(v, buf, sizeof buf, &len));
    assert_status(VH_ETYPE, vh_value_string_utf8_dup(v, &dup, &len));
    assert_null(dup);
  }
}

/* vh_value_string_utf8_dup returns a malloc'd NUL-terminated copy with its length; vh_free frees it. */
static void test_dup_string(void **state) {
  (void)state;
  vh_value v;
  char *copy = NULL;
  size_t len = 0;
  assert_ok(vh_new_string_utf8(g_e, "x\0y\xe2\x82\xac", 6, &v));
  assert_ok(vh_value_string_utf8_dup(v, &copy, &len));
  assert_non_null(copy);
  assert_int_equal(len, 6);
  assert_memory_equal(copy, "x\0y\xe2\x82\xac", 7);
  vh_free(copy);
  copy = NULL;
  assert_ok(vh_value_string_utf8_dup(eval_ok(g_e, "''"), &copy, NULL));
  assert_non_null(copy);
  assert_string_equal(copy, "");
  vh_free(copy);
  vh_free(NULL);
  assert_status(VH_EINVAL, vh_value_string_utf8_dup(v, NULL, &len));
}

/* Empty strings from every encoding, including NULL data with length 0, read back empty. */
static void test_empty_strings(void **state) {
  (void)state;
  vh_value v[5];
  assert_ok(vh_new_string_utf8(g_e, "", 0, &v[0]));
  assert_ok(vh_new_string_utf8(g_e, NULL, 0, &v[1]));
  assert_ok(vh_new_string_latin1(g_e, NULL, 0, &v[2]));
  assert_ok(vh_new_string_utf16(g_e, NULL, 0, &v[3]));
  assert_ok(vh_new_string_utf8(g_e, "", VH_AUTO_LENGTH, &v[4]));
  for (int i = 0; i < 5; ++i) {
    char buf[1] = {'q'};
    uint16_t ubuf[1] = {7};
    size_t len = 99;
    vh_type t;
    assert_ok(vh_typeof(v[i], &t));
    assert_int_equal(t, VH_TYPE_STRING);
    assert_ok(vh_value_string_utf8(v[i], buf, 1, &len));
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], 0);
    assert_ok(vh_value_string_utf16(v[i], ubuf, 1, &len));
    assert_int_equal(ubuf[0], 0);
    assert_ok(vh_value_string_latin1(v[i], buf, 1, &len));
    assert_int_equal(len, 0);
    put_s(v[i]);
    assert_js("s === ''");
  }
}

/* NULL data with a non-zero (or automatic) length → VH_EINVAL; NULL out → VH_EINVAL. */
static void test_null_data_rejected(void **state) {
  (void)state;
  vh_value v;
  assert_status(VH_EINVAL, vh_new_string_utf8(g_e, NULL, 1, &v));
  assert_status(VH_EINVAL, vh_new_string_utf8(g_e, NULL, VH_AUTO_LENGTH, &v));
  assert_status(VH_EINVAL, vh_new_string_latin1(g_e, NULL, 3, &v));
  assert_status(VH_EINVAL, vh_new_string_latin1(g_e, NULL, VH_AUTO_LENGTH, &v));
  assert_status(VH_EINVAL, vh_new_string_utf16(g_e, NULL, 3, &v));
  assert_status(VH_EINVAL, vh_new_string_utf16(g_e, NULL, VH_AUTO_LENGTH, &v));
  assert_status(VH_EINVAL, vh_new_string_utf8(g_e, "x", 1, NULL));
  assert_status(VH_EINVAL, vh_new_string_latin1(g_e, "x", 1, NULL));
  const uint16_t x16[1] = {'x'};
  assert_status(VH_EINVAL, vh_new_string_utf16(g_e, x16, 1, NULL));
}

/* Lengths beyond V8's maximum are refused with VH_ERANGE before the data is read. */
static void test_huge_length_rejected(void **state) {
  (void)state;
  static const char small[4] = "abc";
  static const uint16_t small16[4] = {'a', 'b', 'c', 0};
  const size_t lens[] = {(size_t)INT32_MAX + 1, (size_t)1 << 40};
  vh_value v;
  for (size_t i = 0; i < 2; ++i) {
    assert_status(VH_ERANGE, vh_new_string_utf8(g_e, small, lens[i], &v));
    assert_status(VH_ERANGE, vh_new_string_latin1(g_e, small, lens[i], &v));
    assert_status(VH_ERANGE, vh_new_string_utf16(g_e, small16, lens[i], &v));
    assert_status(VH_ERANGE, vh_eval(g_e, small, lens[i], "huge.js", &v));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_utf8_round_trip_multibyte, setup, teardown),
      cmocka_unit_test_setup_teardown(test_embedded_nul, setup, teardown),
      cmocka_unit_test_setup_teardown(test_auto_length, setup, teardown),
      cmocka_unit_test_setup_teardown(test_invalid_utf8_replaced, setup, teardown),
      cmocka_unit_test_setup_teardown(test_latin1_create_and_read, setup, teardown),
      cmocka_unit_test_setup_teardown(test_latin1_read_out_of_range, setup, teardown),
      cmocka_unit_test_setup_teardown(test_utf16_lone_surrogate, setup, teardown),
      cmocka_unit_test_setup_teardown(test_length_query, setup, teardown),
      cmocka_unit_test_setup_teardown(test_capacity_too_small, setup, teardown),
      cmocka_unit_test_setup_teardown(test_not_a_string, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dup_string, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty_strings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_null_data_rejected, setup, teardown),
      cmocka_unit_test_setup_teardown(test_huge_length_rejected, setup, teardown),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
