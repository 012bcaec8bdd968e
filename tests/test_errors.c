/* Status codes: names, descriptions and values, all generated from VH_ERROR_TABLE; and
 * docs/errors.md against the headers and the library: its table of codes (names, values, order),
 * every code it names, and every limit it states. */
#include "test_util.h"

#include <stdbool.h>

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

/* ---- docs/errors.md against the headers ------------------------------------------------------ */


/* The text of docs/errors.md; the test is skipped outside a source tree. */
static char *errors_md(void) {
  char *text = source_text("docs/errors.md");
  if (!text) skip();
  return text;
}

static bool is_code_char(char c) { return c == '_' || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/* The table "## Status codes" lists every code of VH_ERROR_TABLE, once, in its order, with its
 * value: rows "| `NAME` | value | ...". */
static void test_doc_code_table_matches_header(void **state) {
  (void)state;
  char *md = errors_md();
  const char *at = strstr(md, "## Status codes");
  size_t row = 0;
  assert_non_null(at);
  at = strstr(at, "|---|");
  assert_non_null(at);
  at = strchr(at, '\n') + 1;
  while (strncmp(at, "| `", 3) == 0) {
    char name[64];
    long value;
    char *end;
    const char *tick = strchr(at + 3, '`');
    assert_non_null(tick);
    assert_true((size_t)(tick - (at + 3)) < sizeof name);
    memcpy(name, at + 3, (size_t)(tick - (at + 3)));
    name[tick - (at + 3)] = 0;
    assert_true(strncmp(tick, "` | ", 4) == 0);
    value = strtol(tick + 4, &end, 10);
    assert_true(end > tick + 4 && strncmp(end, " |", 2) == 0);
    if (row >= N_CODES) {
      print_error("docs/errors.md lists %s (%ld) beyond the %zu codes of errors.h\n", name, value, N_CODES);
      fail();
    }
    if (strcmp(name, k_codes[row].name) != 0 || value != k_codes[row].value) {
      print_error("docs/errors.md row %zu: %s = %ld; errors.h: %s = %d\n", row + 1, name, value,
                  k_codes[row].name, k_codes[row].value);
      fail();
    }
    row++;
    at = strchr(at, '\n');
    assert_non_null(at);
    at++;
  }
  assert_int_equal(row, N_CODES);
  free(md);
}

/* Every VH_E... name anywhere in docs/errors.md is a status code, and the examples of
 * vh_strerror and vh_err_name quote what they return. */
static void test_doc_names_only_real_codes(void **state) {
  (void)state;
  char *md = errors_md();
  int seen = 0;
  for (const char *at = md; (at = strstr(at, "VH_E")) != NULL; at += 4) {
    char name[64];
    size_t n = 0;
    bool known = false;
    if (at > md && is_code_char(at[-1])) continue;
    while (is_code_char(at[n]) && n < sizeof name - 1) {
      name[n] = at[n];
      n++;
    }
    name[n] = 0;
    /* "VH_E?", vh_err_name's answer for an unknown code; "VH_E*", any code */
    if (n == 4 && (at[n] == '?' || at[n] == '*')) continue;
    /* names that begin like a code but are none: the table macro and two error kinds */
    if (!strcmp(name, "VH_ERROR_TABLE") || !strcmp(name, "VH_ERROR_KIND_ERROR") || !strcmp(name, "VH_ERROR_KIND_EVAL_ERROR")) continue;
    for (size_t i = 0; i < N_CODES; i++) known = known || strcmp(name, k_codes[i].name) == 0;
    if (!known) print_error("docs/errors.md names %s, which errors.h does not define\n", name);
    assert_true(known);
    seen++;
  }
  assert_true(seen >= (int)N_CODES); /* every code is in the table at least */
  char quoted[128];
  snprintf(quoted, sizeof quoted, "vh_strerror(int code);   /* \"%s\" */", vh_strerror(VH_ESCOPE_CLOSED));
  assert_non_null(strstr(md, quoted));
  snprintf(quoted, sizeof quoted, "vh_err_name(int code);   /* \"%s\" */", vh_err_name(VH_ESCOPE_CLOSED));
  assert_non_null(strstr(md, quoted));
  free(md);
}

/* Reads the number written at p: digits (thousands commas allowed), "2^N", "2^N-K" or
 * "2^N - K", or UINT32_MAX; then an optional " MiB". False when there is none. */
static bool parse_limit(const char *p, uint64_t *out) {
  uint64_t v = 0;
  char *end;
  if (strncmp(p, "UINT32_MAX", 10) == 0) {
    v = UINT32_MAX;
    p += 10;
  } else if (strncmp(p, "2^", 2) == 0) {
    unsigned long exp = strtoul(p + 2, &end, 10);
    if (end == p + 2 || exp > 63) return false;
    v = (uint64_t)1 << exp;
    p = end;
    const char *minus = strncmp(p, " - ", 3) == 0 ? p + 3 : (*p == '-' ? p + 1 : NULL);
    if (minus && *minus >= '0' && *minus <= '9') {
      v -= strtoull(minus, &end, 10);
      p = end;
    }
  } else if (*p >= '0' && *p <= '9') {
    while ((*p >= '0' && *p <= '9') || (*p == ',' && p[1] >= '0' && p[1] <= '9')) {
      if (*p != ',') v = v * 10 + (uint64_t)(*p - '0');
      p++;
    }
  } else {
    return false;
  }
  if (strncmp(p, " MiB", 4) == 0) v <<= 20;
  *out = v;
  return true;
}

/* The limit written right after the first occurrence of before in text (nothing found: fails). */
static uint64_t limit_after(const char *text, const char *file, const char *before) {
  const char *at = strstr(text, before);
  uint64_t v = 0;
  if (!at || !parse_limit(at + strlen(before), &v)) {
    print_error("%s: no limit after \"%s\"\n", file, before);
    fail();
  }
  return v;
}

/* The library at each limit, in a runtime of its own. */
typedef struct limit_env {
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
} limit_env;

static void check_array_limit(limit_env *env, uint64_t limit) {
  vh_value v;
  assert_true(limit < UINT32_MAX);
  assert_status(VH_ERANGE, vh_new_array(env->e, (uint32_t)(limit + 1), &v));
  assert_ok(vh_new_array(env->e, 1000, &v));
}

static void check_int64_limit(limit_env *env, uint64_t limit) {
  vh_value v;
  double d;
  assert_ok(vh_new_int64(env->e, (int64_t)limit, &v));
  assert_ok(vh_value_double(v, &d));
  assert_true(d == (double)limit);
  assert_ok(vh_new_int64(env->e, -(int64_t)limit, &v));
  assert_status(VH_ERANGE, vh_new_int64(env->e, (int64_t)limit + 1, &v));
  assert_status(VH_ERANGE, vh_new_int64(env->e, -(int64_t)limit - 1, &v));
}

static void check_bigint_words_limit(limit_env *env, uint64_t limit) {
  uint64_t *words = calloc((size_t)limit + 1, sizeof *words);
  vh_value v;
  size_t count = 0;
  bool negative;
  assert_non_null(words);
  words[limit - 1] = 1;
  assert_ok(vh_new_bigint_words(env->e, false, (size_t)limit, words, &v));
  assert_ok(vh_value_bigint_words(v, &negative, &count, NULL));
  assert_int_equal(count, limit);
  assert_status(VH_ERANGE, vh_new_bigint_words(env->e, false, (size_t)limit + 1, words, &v));
  free(words);
}

static size_t args_seen;
static int count_args(const vh_call_info *info, vh_value *result) {
  args_seen = info->argc;
  return vh_new_uint32(info->engine, (uint32_t)info->argc, result);
}

static void check_argument_limit(limit_env *env, uint64_t limit) {
  vh_value *argv = calloc((size_t)limit + 1, sizeof *argv);
  vh_value fn, one, got, obj;
  uint32_t n = 0;
  assert_non_null(argv);
  assert_ok(vh_new_int32(env->e, 1, &one));
  for (uint64_t i = 0; i <= limit; i++) argv[i] = one;
  assert_ok(vh_new_function(env->e, "count", count_args, NULL, &fn));
  assert_ok(vh_call(env->e, fn, (vh_value){0}, (size_t)limit, argv, &got));
  assert_ok(vh_value_uint32(got, &n));
  assert_int_equal(n, limit);
  assert_status(VH_ERANGE, vh_call(env->e, fn, (vh_value){0}, (size_t)limit + 1, argv, &got));
  /* a host function as the constructor: a script one would overflow V8's stack with that many */
  args_seen = 0;
  assert_ok(vh_construct(env->e, fn, (size_t)limit, argv, &obj));
  assert_int_equal(args_seen, limit);
  assert_status(VH_ERANGE, vh_construct(env->e, fn, (size_t)limit + 1, argv, &obj));
  free(argv);
}

static void check_heap_limit(limit_env *env, uint64_t limit) {
  vh_runtime_options o;
  vh_runtime rt;
  (void)env;
  vh_runtime_options_init(&o);
  o.heap_max_bytes = (size_t)limit - 1;
  assert_status(VH_EINVAL, vh_runtime_new(&o, &rt));
  o.heap_max_bytes = (size_t)limit;
  assert_ok(vh_runtime_new(&o, &rt));
  assert_ok(vh_runtime_dispose(rt));
}

static void check_ref_limit(limit_env *env, uint64_t limit) {
  vh_value v;
  vh_ref ref;
  uint32_t count = 0;
  assert_ok(vh_new_object(env->e, &v));
  assert_ok(vh_ref_new(v, (uint32_t)limit, &ref));
  assert_status(VH_ERANGE, vh_ref_inc(ref, &count));
  assert_ok(vh_ref_dec(ref, &count));
  assert_int_equal(count, limit - 1);
  assert_ok(vh_ref_inc(ref, &count));
  assert_int_equal(count, limit);
  assert_ok(vh_ref_dispose(ref));
}

/* A host function that calls itself through vh_call until a call fails: the deepest level
 * entered and the status of the call refused there. */
static int deepest, deepest_rc;
static vh_value nest_fn;
static int nest(const vh_call_info *info, vh_value *result) {
  (void)result;
  int level = ++deepest;
  int rc = vh_call(info->engine, nest_fn, (vh_value){0}, 0, NULL, NULL);
  if (rc != VH_OK && deepest == level) deepest_rc = rc;
  return rc; /* VH_EDEPTH throws an Error into the caller, VH_EEXCEPTION rethrows it */
}

static void check_depth_limit(limit_env *env, uint64_t limit) {
  deepest = 0;
  deepest_rc = VH_OK;
  assert_ok(vh_new_function(env->e, "nest", nest, NULL, &nest_fn));
  assert_status(VH_EEXCEPTION, vh_call(env->e, nest_fn, (vh_value){0}, 0, NULL, NULL));
  assert_ok(vh_exception_discard(env->e));
  assert_int_equal(deepest, limit); /* the limit-th nested callback's call was refused */
  assert_status(VH_EDEPTH, deepest_rc);
}

typedef struct doc_limit {
  const char *doc;       /* in docs/errors.md, the text right before the limit */
  const char *doc_again; /* NULL, or a second place in docs/errors.md that states it */
  const char *header;    /* NULL, or the header (include/v8host/) that states it too */
  const char *in_header; /* in that header, the text right before the limit */
  void (*check)(limit_env *env, uint64_t limit);
} doc_limit;

static const doc_limit k_limits[] = {
    {"`heap_max_bytes` set below ", NULL, "runtime.h", "heap_max_bytes set below ", check_heap_limit},
    {"`vh_new_int64` beyond \xc2\xb1", NULL, "value.h", "::VH_ERANGE when |n| > ", check_int64_limit},
    {"`vh_new_array` length above ", NULL, "value.h", "::VH_ERANGE when @p length > ", check_array_limit},
    {"BigInt word count above ", NULL, "value.h", "@param count number of words, 1 to ", check_bigint_words_limit},
    {"`vh_ref_inc` at `", NULL, "ref.h", "::VH_ERANGE (count at ", check_ref_limit},
    {"`vh_construct` with more than ", NULL, "object.h", "::VH_ERANGE when argc > ", check_argument_limit},
    {"`vh_construct` with more than ", NULL, "function.h", "::VH_ERANGE (argc > ", NULL},
    {"made inside the ", "| host callbacks nested more than ", NULL, NULL, check_depth_limit},
};

/* Every limit docs/errors.md states is the one the header documents, and the library's. */
static void test_doc_limits_match_headers(void **state) {
  (void)state;
  char *md = errors_md();
  limit_env env;
  open_runtime(NULL, &env.rt, &env.e, &env.s);
  for (size_t i = 0; i < sizeof k_limits / sizeof k_limits[0]; i++) {
    const doc_limit *l = &k_limits[i];
    uint64_t doc = limit_after(md, "docs/errors.md", l->doc);
    if (l->doc_again) {
      uint64_t again = limit_after(md, "docs/errors.md", l->doc_again);
      if (again != doc) print_error("docs/errors.md: %s%llu but %s%llu\n", l->doc,
                                    (unsigned long long)doc, l->doc_again, (unsigned long long)again);
      assert_true(again == doc);
    }
    if (l->header) {
      char rel[64];
      snprintf(rel, sizeof rel, "include/v8host/%s", l->header);
      char *h = source_text(rel);
      assert_non_null(h);
      uint64_t in_header = limit_after(h, l->header, l->in_header);
      if (in_header != doc)
        print_error("docs/errors.md: %s%llu; %s: %s%llu\n", l->doc, (unsigned long long)doc, l->header,
                    l->in_header, (unsigned long long)in_header);
      assert_true(in_header == doc);
      free(h);
    }
    if (l->check) l->check(&env, doc);
  }
  assert_ok(vh_scope_close(env.s));
  assert_ok(vh_runtime_dispose(env.rt));
  free(md);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_err_name_matches_table),
      cmocka_unit_test(test_strerror_matches_table),
      cmocka_unit_test(test_names_distinct_nonempty),
      cmocka_unit_test(test_unknown_codes),
      cmocka_unit_test(test_values_ok_zero_errors_negative_distinct),
      cmocka_unit_test(test_strings_are_static),
      cmocka_unit_test(test_doc_code_table_matches_header),
      cmocka_unit_test(test_doc_names_only_real_codes),
      cmocka_unit_test(test_doc_limits_match_headers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
