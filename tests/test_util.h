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
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <stdbool.h>
#include <uv.h>

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

/* Evaluates source in engine under the resource name name and returns the completion value; any
 * other status than VH_OK fails the test, with the exception's message when script threw. */
static inline vh_value eval_named(vh_engine e, const char *source, const char *name) {
  vh_value v;
  memset(&v, 0, sizeof v);
  int rc = vh_eval(e, source, VH_AUTO_LENGTH, name, &v);
  if (rc == VH_EEXCEPTION) {
    vh_exception x;
    assert_ok(vh_exception_take(e, &x));
    print_error("%s\n  threw: %s\n", source, x.message);
    vh_exception_free(&x);
    fail();
  }
  assert_ok(rc);
  return v;
}

/* globalThis[name] = value in engine e: vh_engine_global() then vh_set(). */
static inline int set_global(vh_engine e, const char *name, vh_value value) {
  vh_value global;
  int rc = vh_engine_global(e, &global);
  return rc != VH_OK ? rc : vh_set(e, global, name, value);
}

/* Evaluates source in engine ("test.js") and returns the completion value (asserting success). */
static inline vh_value eval_ok(vh_engine e, const char *source) { return eval_named(e, source, "test.js"); }

/* The completion value of source in engine, asserted to be a boolean. */
static inline bool eval_bool_in(vh_engine e, const char *source) {
  bool b = false;
  assert_ok(vh_value_bool(eval_ok(e, source), &b));
  return b;
}

/* eval_bool_in inside a scope of its own, for a caller that holds none. */
static inline bool eval_bool_scoped(vh_engine e, const char *source) {
  vh_scope s;
  bool b;
  assert_ok(vh_scope_open(e, &s));
  b = eval_bool_in(e, source);
  assert_ok(vh_scope_close(s));
  return b;
}

/* eval_ok of source in a scope of its own (the completion value goes with it), for a caller
 * that holds none. */
static inline void eval_scoped(vh_engine e, const char *source) {
  vh_scope s;
  assert_ok(vh_scope_open(e, &s));
  eval_ok(e, source);
  assert_ok(vh_scope_close(s));
}

/* Runs rt's loop until nothing is left in it: VH_OK, and not alive. */
static inline void run_until_empty(vh_runtime rt) {
  bool alive = true;
  assert_ok(vh_runtime_run(rt, VH_RUN_MODE_DEFAULT, &alive));
  assert_false(alive);
}

/* Fails the test unless src evaluates to true in engine e. */
#define assert_js_in(e, src)                                                                  \
  do {                                                                                        \
    if (!eval_bool_in((e), (src))) fail_msg("JS check failed: %s", (const char *)(src));     \
  } while (0)
/* The same, in a scope of its own. */
#define assert_js_scoped(e, src)                                                              \
  do {                                                                                        \
    if (!eval_bool_scoped((e), (src))) fail_msg("JS check failed: %s", (const char *)(src)); \
  } while (0)

/* The status of source evaluated in a fresh scope of e; an exception it threw is dropped. */
static inline int run_scoped(vh_engine e, const char *source) {
  vh_scope s;
  assert_ok(vh_scope_open(e, &s));
  int rc = vh_eval(e, source, VH_AUTO_LENGTH, "run.js", NULL);
  vh_exception_discard(e);
  assert_ok(vh_scope_close(s));
  return rc;
}

/* assert_js_scoped for each of count scripts in e. */
static inline void assert_js_all_scoped(vh_engine e, const char *const *scripts, size_t count) {
  for (size_t i = 0; i < count; ++i) assert_js_scoped(e, scripts[i]);
}

/* Each of count scripts is true in a new private engine, and again once that engine is reset
 * (vh_engine_reset: a reset engine must be as a new one). */
static inline void assert_js_all_new_and_reset(const char *const *scripts, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    vh_engine e;
    assert_ok(vh_engine_new_private(NULL, NULL, &e));
    assert_js_scoped(e, scripts[i]);
    assert_ok(vh_engine_reset(e));
    assert_js_scoped(e, scripts[i]);
    assert_ok(vh_engine_dispose(e));
  }
}

/* A snapshot builder whose engine ran setup (VH_OK, run_scoped) makes a blob; *loaded is a
 * runtime made from it, *e an engine of that runtime. */
static inline void runtime_from_snapshot(const char *setup, vh_runtime *loaded, vh_engine *e) {
  vh_runtime builder;
  vh_engine b;
  void *blob;
  size_t length;
  assert_ok(vh_snapshot_runtime_new(NULL, &builder));
  assert_ok(vh_engine_new(builder, NULL, &b));
  assert_status(VH_OK, run_scoped(b, setup));
  assert_ok(vh_snapshot_create(builder, b, &blob, &length));
  assert_ok(vh_runtime_new_from_snapshot(NULL, blob, length, loaded));
  vh_free(blob);
  assert_ok(vh_engine_new(*loaded, NULL, e));
}

/* Timers set and cleared from timer callbacks, all on the loop's own thread: globalThis.n ends
 * at 4 once they ran (a cleared one would add 100 or 1000). */
#define TIMERS_TO_FOUR_JS                                                     \
  "globalThis.n = 0;"                                                         \
  "setTimeout(() => {"                                                        \
  "  n++;"                                                                    \
  "  clearTimeout(setTimeout(() => { n += 100; }, 1));"                       \
  "  const iv = setInterval(() => { if (++n === 4) clearInterval(iv); }, 1);" \
  "}, 1);"                                                                    \
  "clearTimeout(setTimeout(() => { n += 1000; }, 1));"

/* Sets globalThis[name] = v in engine e, so script can inspect a host-made value. */
static inline void put_global(vh_engine e, const char *name, vh_value v) { assert_ok(set_global(e, name, v)); }

/* A new runtime (options may be NULL) with one engine; with s, a scope open on the engine. */
static inline void open_runtime(const vh_runtime_options *options, vh_runtime *rt, vh_engine *e, vh_scope *s) {
  assert_ok(vh_runtime_new(options, rt));
  assert_ok(vh_engine_new(*rt, NULL, e));
  if (s) assert_ok(vh_scope_open(*e, s));
}

/* Opts this process in to resizable and growable buffers (VH_PROCESS_FLAG_UNSAFE_RAB_GSAB; V8
 * 10.2 keeps them behind an unsafe flag, docs/limits.md). Before any runtime; VH_OK or the
 * status of vh_process_configure. */
static inline int opt_in_rab_gsab(void) {
  vh_process_options po;
  vh_process_options_init(&po);
  po.flags = VH_PROCESS_FLAG_UNSAFE_RAB_GSAB;
  return vh_process_configure(&po);
}

/* Two runtimes, each with one engine and a scope open on it: ra (a, sa), then rb (b, sb). */
static inline void open_two_runtimes(vh_runtime *ra, vh_engine *a, vh_scope *sa, vh_runtime *rb, vh_engine *b,
                                     vh_scope *sb) {
  assert_ok(vh_runtime_new(NULL, ra));
  assert_ok(vh_runtime_new(NULL, rb));
  assert_ok(vh_engine_new(*ra, NULL, a));
  assert_ok(vh_engine_new(*rb, NULL, b));
  assert_ok(vh_scope_open(*a, sa));
  assert_ok(vh_scope_open(*b, sb));
}

/* open_runtime on a loop the host runs (vh_runtime_options.loop). */
static inline void open_runtime_on_loop(uv_loop_t *loop, vh_runtime *rt, vh_engine *e, vh_scope *s) {
  vh_runtime_options o;
  assert_ok(vh_runtime_options_init(&o));
  o.loop = loop;
  open_runtime(&o, rt, e, s);
}

/* One runtime with one engine. */
typedef struct rt_engine {
  vh_runtime rt;
  vh_engine e;
} rt_engine;

/* A new runtime with the given proxy_wait_ms (0: the default) and one engine, into p. */
static inline void rt_engine_new(rt_engine *p, uint64_t proxy_wait_ms) {
  vh_runtime_options o;
  assert_ok(vh_runtime_options_init(&o));
  o.proxy_wait_ms = proxy_wait_ms;
  open_runtime(&o, &p->rt, &p->e, NULL);
}

/* A thread body (uv_thread_create) that sleeps delay_ms, then terminates rt's script; rc gets
 * vh_runtime_terminate's status. */
typedef struct terminator {
  vh_runtime rt;
  unsigned delay_ms;
  int rc;
} terminator;
static inline void terminate_after(void *arg) {
  terminator *t = arg;
  uv_sleep(t->delay_ms);
  t->rc = vh_runtime_terminate(t->rt);
}

/* Evaluates source and asserts the completion value is the string expected. */
static inline void assert_eval_string(vh_engine e, const char *source, const char *expected) {
  char buf[1024];
  vh_value v = eval_ok(e, source);
  assert_ok(vh_value_string_utf8(v, buf, sizeof buf, NULL));
  assert_string_equal(buf, expected);
}

/* The text of a file of the source tree (rel: relative to its top, found next to this header),
 * or NULL (with a message) when the tests do not run from a source tree. Free it. */
static inline char *source_text(const char *rel) {
  const char *slash = strrchr(__FILE__, '/');
  char path[1200];
  FILE *f;
  long size;
  char *text;
  if (!slash) return NULL;
  snprintf(path, sizeof path, "%.*s/../%s", (int)(slash - __FILE__), __FILE__, rel);
  f = fopen(path, "r");
  if (!f) {
    print_message("  %s not found\n", path);
    return NULL;
  }
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  rewind(f);
  text = calloc(1, (size_t)size + 1);
  assert_non_null(text);
  assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
  fclose(f);
  return text;
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

#if defined(VH_TEST_FIXTURE) || defined(VH_TEST_RUNTIME)
/* One runtime g_rt with one engine g_e: made by runtime_setup, disposed by runtime_teardown (as
 * group or per-test setup). VH_TEST_RUNTIME gives just these. */
static vh_runtime g_rt;
static vh_engine g_e;

static inline int runtime_setup(void **state) {
  (void)state;
  if (vh_runtime_new(NULL, &g_rt) != VH_OK) return -1;
  return vh_engine_new(g_rt, NULL, &g_e) == VH_OK ? 0 : -1;
}
static inline int runtime_teardown(void **state) {
  (void)state;
  return vh_runtime_dispose(g_rt) == VH_OK ? 0 : -1;
}
#endif

#ifdef VH_TEST_FIXTURE
/* The common fixture: the runtime and engine per test group (group_setup/group_teardown), a
 * fresh scope per test (setup/teardown; after each test a pending exception is dropped and
 * the microtasks run). assert_js(src) checks that src is true in g_e. */
static vh_scope g_scope;

static int group_setup(void **state) { return runtime_setup(state); }
static int group_teardown(void **state) { return runtime_teardown(state); }
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
static inline bool eval_bool(const char *source) { return eval_bool_in(g_e, source); }
/* An int32 Number and a string made in g_e, and a Number read as an int32. */
static inline vh_value i32(int32_t n) {
  vh_value v;
  assert_ok(vh_new_int32(g_e, n, &v));
  return v;
}
static inline vh_value str(const char *s) {
  vh_value v;
  assert_ok(vh_new_string_utf8(g_e, s, VH_AUTO_LENGTH, &v));
  return v;
}
static inline int32_t get_i32(vh_value v) {
  int32_t n = 0;
  assert_ok(vh_value_int32(v, &n));
  return n;
}
#define assert_js(src) assert_js_in(g_e, src)
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

/* Runs this test binary again once per case, as `<self> flag <i>` for i < count, each in a child
 * process (so a case that ends the process is seen, not suffered); the binary's main() runs case
 * i for that flag and exits 0 on success. Fails the test after all ran unless every child exited
 * 0, printing name_of(i) and how each failure ended. */
static inline void run_self_cases(const char *self, const char *flag, size_t count, const char *(*name_of)(size_t)) {
  int failed = 0;
  for (size_t i = 0; i < count; ++i) {
    char arg[32];
    int status = -1;
    snprintf(arg, sizeof arg, "%zu", i);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      execl("/proc/self/exe", self, flag, arg, (char *)NULL);
      _exit(127);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      print_error("%s: %s %d\n", name_of(i), WIFEXITED(status) ? "exit" : "signal",
                  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
      failed++;
    }
  }
  assert_int_equal(failed, 0);
}

/* The other half of run_self_cases, for main(): when this process was started as
 * `<self> flag <i>`, runs case run_case(i) (an i not below count: exit status 2) and answers
 * true with *exit_status set; false for an ordinary run. */
static inline bool run_self_case(int argc, char **argv, const char *flag, size_t count, int (*run_case)(size_t),
                                 int *exit_status) {
  if (argc != 3 || strcmp(argv[1], flag) != 0) return false;
  size_t i = (size_t)strtoul(argv[2], NULL, 10);
  *exit_status = i < count ? run_case(i) : 2;
  return true;
}

#endif
