/* Shared helpers for the cmocka tests (C only, real V8). */
#ifndef VH_TEST_UTIL_H
#define VH_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <v8host.h>

/* Asserts a status code, printing both names on failure. */
#define assert_status(expected, call)                                                 \
  do {                                                                                \
    int vh_got_ = (call);                                                             \
    if (vh_got_ != (expected)) {                                                      \
      print_error("%s returned %s, expected %s\n", #call, vh_err_name(vh_got_),       \
                  vh_err_name(expected));                                             \
      fail();                                                                         \
    }                                                                                 \
  } while (0)
#define assert_ok(call) assert_status(VH_OK, call)

/* Evaluates source in engine and returns the completion value (asserting success). */
static inline vh_value eval_ok(vh_engine e, const char *source) {
  vh_value v;
  memset(&v, 0, sizeof v);
  assert_ok(vh_eval(e, source, VH_AUTO_LENGTH, "test.js", &v));
  return v;
}

/* globalThis[name] = value in engine e: vh_engine_global() then vh_set(). */
static inline int set_global(vh_engine e, const char *name, vh_value value) {
  vh_value global;
  int rc = vh_engine_global(e, &global);
  return rc != VH_OK ? rc : vh_set(e, global, name, value);
}

/* Evaluates source and asserts the completion value is the string expected. */
static inline void assert_eval_string(vh_engine e, const char *source, const char *expected) {
  char buf[1024];
  vh_value v = eval_ok(e, source);
  assert_ok(vh_get_string_utf8(v, buf, sizeof buf, NULL));
  assert_string_equal(buf, expected);
}

/* Resident set size of this process in KiB, from /proc/self/status. */
static inline long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "VmRSS:", 6) == 0) kib = strtol(line + 6, NULL, 10);
  fclose(f);
  return kib;
}

#ifdef VH_TEST_FIXTURE
/* The common fixture: one runtime and engine per test group (group_setup/group_teardown), a
 * fresh scope per test (setup/teardown; after each test a pending exception is dropped and
 * the microtasks run). */
static vh_runtime g_rt;
static vh_engine g_e;
static vh_scope g_scope;

static int group_setup(void **state) {
  (void)state;
  if (vh_runtime_new(NULL, &g_rt) != VH_OK) return -1;
  return vh_engine_new(g_rt, NULL, &g_e) == VH_OK ? 0 : -1;
}
static int group_teardown(void **state) {
  (void)state;
  return vh_runtime_dispose(g_rt) == VH_OK ? 0 : -1;
}
static int setup(void **state) {
  (void)state;
  return vh_scope_open(g_e, &g_scope) == VH_OK ? 0 : -1;
}
static int teardown(void **state) {
  (void)state;
  vh_exception_discard(g_e);
  vh_runtime_run_microtasks(g_rt); /* nothing a test queued carries over to the next one */
  return vh_scope_close(g_scope) == VH_OK ? 0 : -1;
}
#endif

#ifdef VH_TEST_TWO_RUNTIMES
/* Two runtimes for tests of what crosses between them, made per test: ra with engines a and a2
 * (a scope open on a), rb with engines b and b2 (a scope open on b). */
typedef struct fixture {
  vh_runtime ra, rb;
  vh_engine a, a2, b, b2;
  vh_scope sa, sb;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (!f) return -1;
  *state = f;
  if (vh_runtime_new(NULL, &f->ra) != VH_OK || vh_runtime_new(NULL, &f->rb) != VH_OK ||
      vh_engine_new(f->ra, NULL, &f->a) != VH_OK || vh_engine_new(f->ra, NULL, &f->a2) != VH_OK ||
      vh_engine_new(f->rb, NULL, &f->b) != VH_OK || vh_engine_new(f->rb, NULL, &f->b2) != VH_OK ||
      vh_scope_open(f->a, &f->sa) != VH_OK || vh_scope_open(f->b, &f->sb) != VH_OK)
    return -1;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  int rc = 0;
  if (vh_scope_close(f->sb) != VH_OK || vh_scope_close(f->sa) != VH_OK) rc = -1;
  if (vh_runtime_dispose(f->rb) != VH_OK || vh_runtime_dispose(f->ra) != VH_OK) rc = -1;
  free(f);
  return rc;
}
#endif

#endif
