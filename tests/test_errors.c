/* Status codes: names, descriptions and values, all generated from VH_ERROR_TABLE. */
#include "test_util.h"

struct code_row {
  int value;
  const char *name;
  const char *text;
};

#define ROW_(name, value, text) {value, #name, text},
static const struct code_row k_codes[] = {VH_ERROR_TABLE(ROW_)};
#undef ROW_
#define N_CODES (sizeof k_codes / sizeof k_codes[0])

/* vh_err_name gives the table's symbolic name for every code. */
static void test_err_name_matches_table(void **state) {
  (void)state;
  for (size_t i = 0; i < N_CODES; ++i) {
    const char *got = vh_err_name(k_codes[i].value);
    assert_non_null(got);
    assert_string_equal(got, k_codes[i].name);
  }
}

/* vh_strerror gives the table's description for every code. */
static void test_strerror_matches_table(void **state) {
  (void)state;
  for (size_t i = 0; i < N_CODES; ++i) {
    const char *got = vh_strerror(k_codes[i].value);
    assert_non_null(got);
    assert_true(strlen(got) > 0);
    assert_string_equal(got, k_codes[i].text);
  }
}

/* Names and descriptions are non-empty and distinct, so a log line identifies the code. */
static void test_names_distinct_nonempty(void **state) {
  (void)state;
  for (size_t i = 0; i < N_CODES; ++i) {
    const char *ni = vh_err_name(k_codes[i].value);
    const char *ti = vh_strerror(k_codes[i].value);
    assert_true(strlen(ni) > 3);
    assert_int_equal(strncmp(ni, "VH_", 3), 0);
    assert_true(strlen(ti) > 0);
    assert_string_not_equal(ni, "VH_E?");
    assert_string_not_equal(ti, "unknown error");
    for (size_t j = i + 1; j < N_CODES; ++j) {
      assert_string_not_equal(ni, vh_err_name(k_codes[j].value));
      assert_string_not_equal(ti, vh_strerror(k_codes[j].value));
    }
  }
}

/* Unknown codes give the documented fallbacks, never NULL. */
static void test_unknown_codes(void **state) {
  (void)state;
  int lowest = 0;
#define LOWEST_(name, value, text) if ((value) < lowest) lowest = (value);
  VH_ERROR_TABLE(LOWEST_)
#undef LOWEST_
  const int unknown[] = {1, 42, lowest - 1, -1000, INT32_MIN, INT32_MAX};
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; ++i) {
    assert_string_equal(vh_strerror(unknown[i]), "unknown error");
    assert_string_equal(vh_err_name(unknown[i]), "VH_E?");
  }
}

/* VH_OK is 0, every error is negative and the values are distinct (rc < 0 tests failure). */
static void test_values_ok_zero_errors_negative_distinct(void **state) {
  (void)state;
  assert_int_equal(VH_OK, 0);
  assert_int_equal(k_codes[0].value, VH_OK);
  assert_string_equal(vh_err_name(0), "VH_OK");
  assert_string_equal(vh_strerror(0), "success");
  for (size_t i = 0; i < N_CODES; ++i) {
    if (k_codes[i].value != VH_OK) assert_true(k_codes[i].value < 0);
    for (size_t j = i + 1; j < N_CODES; ++j) assert_int_not_equal(k_codes[i].value, k_codes[j].value);
  }
  /* the enum constants agree with the table */
  assert_int_equal(VH_EINVAL, -1);
  assert_int_equal(VH_ETERMINATED, -18);
  assert_string_equal(vh_err_name(VH_ECOLLECTED), "VH_ECOLLECTED");
}

/* The strings are static: repeated calls give the same pointer (no allocation to free). */
static void test_strings_are_static(void **state) {
  (void)state;
  for (size_t i = 0; i < N_CODES; ++i) {
    assert_ptr_equal(vh_err_name(k_codes[i].value), vh_err_name(k_codes[i].value));
    assert_ptr_equal(vh_strerror(k_codes[i].value), vh_strerror(k_codes[i].value));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_err_name_matches_table),
      cmocka_unit_test(test_strerror_matches_table),
      cmocka_unit_test(test_names_distinct_nonempty),
      cmocka_unit_test(test_unknown_codes),
      cmocka_unit_test(test_values_ok_zero_errors_negative_distinct),
      cmocka_unit_test(test_strings_are_static),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
