/* Resizable ArrayBuffer and growable SharedArrayBuffer (issue 12, section 1): V8 10.2 keeps them
 * behind --harmony-rab-gsab, whose implementation ends the process on lines of plain script
 * (Atomics on views over such buffers hit a fatal CHECK). The library turns the flag on only when
 * the host opts in (VH_PROCESS_FLAG_UNSAFE_RAB_GSAB); see docs/limits.md.
 *
 * Every line that used to end the process runs in a child process (this executable again, with
 * "--child"), so that a regression fails the test instead of killing the runner. The child
 * prints the completion value (or "threw: <message>") and exits 0; the parent checks the exit
 * status and the text. */
#include "test_util.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* ---- the child --------------------------------------------------------------------------------- */

static int child_main(const char *mode, const char *source) {
  if (strcmp(mode, "optin") == 0) {
    if (opt_in_rab_gsab() != VH_OK) return 10;
  }
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  if (vh_runtime_new(NULL, &rt) != VH_OK || vh_engine_new(rt, NULL, &e) != VH_OK ||
      vh_scope_open(e, &s) != VH_OK)
    return 11;
  vh_value v;
  char buf[512];
  int rc = vh_eval(e, source, VH_AUTO_LENGTH, "child.js", &v);
  if (rc == VH_OK) {
    /* String(value), through a function of the engine: the completion value may be a number. */
    vh_value to_string, str;
    vh_value undef;
    if (vh_eval(e, "String", VH_AUTO_LENGTH, "x.js", &to_string) != VH_OK ||
        vh_eval(e, "undefined", VH_AUTO_LENGTH, "x.js", &undef) != VH_OK ||
        vh_call(e, to_string, undef, 1, &v, &str) != VH_OK ||
        vh_value_string_utf8(str, buf, sizeof buf, NULL) != VH_OK)
      return 14;
    printf("%s", buf);
  } else if (rc == VH_EEXCEPTION) {
    vh_exception x;
    if (vh_exception_take(e, &x) != VH_OK) return 15;
    printf("threw: %s", x.message ? x.message : "?");
    vh_exception_free(&x);
  } else {
    printf("status: %s", vh_err_name(rc));
  }
  fflush(stdout);
  vh_scope_close(s);
  vh_runtime_dispose(rt);
  return 0;
}

/* ---- the parent -------------------------------------------------------------------------------- */

static char g_self[4096];

/* Runs source in a child (mode "default" or "optin"); returns its exit code (128 + signal when
 * it died of one) and its output in out. */
static int run_child(const char *mode, const char *source, char *out, size_t size) {
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  /* V8's fatal errors print to stderr: keep it, it explains a failure. */
  char *argv[] = {g_self, (char *)"--child", (char *)mode, (char *)source, NULL};
  pid_t pid;
  assert_int_equal(posix_spawn(&pid, g_self, &fa, NULL, argv, environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  size_t n = 0;
  ssize_t r;
  while (n + 1 < size && (r = read(fds[0], out + n, size - 1 - n)) > 0) n += (size_t)r;
  out[n] = 0;
  close(fds[0]);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

static void expect(const char *mode, const char *source, const char *expected) {
  char out[1024];
  int code = run_child(mode, source, out, sizeof out);
  if (code != 0 || strcmp(out, expected) != 0) {
    print_error("[%s] %s\n  exit %d, printed \"%s\", expected \"%s\"\n", mode, source, code, out, expected);
    fail();
  }
}

/* The lines of issue 12 that ended the process (fatal CHECK) or misbehaved with the flag on: by
 * default none reaches those paths. maxByteLength is an unknown option then, ignored as the
 * language says: the buffers are fixed-length ones. */
static void test_default_crash_lines_survive(void **state) {
  (void)state;
  expect("default", "Atomics.load(new Int32Array(new ArrayBuffer(16, {maxByteLength: 40})), 0)", "0");
  expect("default", "Atomics.load(new Int32Array(new SharedArrayBuffer(16, {maxByteLength: 40})), 0)", "0");
  expect("default", "String(Atomics.load(new BigInt64Array(new SharedArrayBuffer(16, {maxByteLength: 40})), 0))", "0");
  expect("default", "String(Atomics.load(new BigInt64Array(new ArrayBuffer(16, {maxByteLength: 40})), 0))", "0");
  expect("default", "Atomics.store(new Int32Array(new SharedArrayBuffer(16, {maxByteLength: 40})), 0, 5)", "5");
  expect("default", "Atomics.add(new Int32Array(new SharedArrayBuffer(16, {maxByteLength: 40})), 0, 5)", "0");
  expect("default", "Object.prototype.toString.call(new Uint8Array(new ArrayBuffer(8, {maxByteLength: 16})))",
         "[object Uint8Array]");
}

/* What is and is not enabled by default (docs/limits.md): no resizable or growable buffers. */
static void test_default_has_no_resizable_buffers(void **state) {
  (void)state;
  expect("default",
         "[typeof ArrayBuffer.prototype.resize, typeof SharedArrayBuffer.prototype.grow,"
         " new ArrayBuffer(8, {maxByteLength: 16}).resizable,"
         " new SharedArrayBuffer(8, {maxByteLength: 16}).growable].join()",
         "undefined,undefined,,");
}

/* The opt-in turns them on (on V8 10.2, with its unsafe paths: not run here). */
static void test_opt_in_enables_growable_sab(void **state) {
  (void)state;
  expect("optin",
         "const s = new SharedArrayBuffer(8, {maxByteLength: 16}); s.grow(12);"
         " [s.growable, s.byteLength, s.maxByteLength].join()",
         "true,12,16");
}

/* The options are read once, when V8 starts: afterwards vh_process_configure says so. */
static void test_configure_after_start_is_busy(void **state) {
  (void)state;
  vh_runtime rt;
  assert_ok(vh_runtime_new(NULL, &rt));
  vh_process_options po;
  vh_process_options_init(&po);
  po.flags = VH_PROCESS_FLAG_UNSAFE_RAB_GSAB;
  assert_status(VH_EBUSY, vh_process_configure(&po));
  assert_ok(vh_runtime_dispose(rt));
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "--child") == 0) return child_main(argv[2], argv[3]);
  ssize_t n = readlink("/proc/self/exe", g_self, sizeof g_self - 1);
  if (n <= 0) return 1;
  g_self[n] = 0;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_default_crash_lines_survive),
      cmocka_unit_test(test_default_has_no_resizable_buffers),
      cmocka_unit_test(test_opt_in_enables_growable_sab),
      cmocka_unit_test(test_configure_after_start_is_busy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
