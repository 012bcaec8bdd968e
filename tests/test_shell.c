/* v8host-shell, run as a program on the scripts of tests/shell/: exit statuses, stdout, and the
 * first lines of stderr. VH_SHELL_PATH and VH_SHELL_TESTS come from tests/CMakeLists.txt. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_util.h"

#ifndef VH_SHELL_PATH
#error "VH_SHELL_PATH must name the v8host-shell binary"
#endif

typedef struct run_result {
  int status;  /* the exit status; -1 when killed or timed out */
  char *out, *err;
} run_result;

static char *slurp_fd(int fd) {
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  ssize_t n;
  lseek(fd, 0, SEEK_SET);
  while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
    len += (size_t)n;
    if (cap - len < 2) buf = realloc(buf, cap *= 2);
  }
  if (buf) buf[len] = '\0';
  close(fd);
  return buf;
}

static int temp_fd(void) {
  char name[] = "/tmp/vh_shell_test_XXXXXX";
  int fd = mkstemp(name);
  if (fd >= 0) unlink(name);
  return fd;
}

/* Runs the shell in tests/shell/ with args (NULL-terminated) and input on stdin (NULL: empty). */
static run_result run_shell(const char *input, const char *const *args) {
  run_result r = {-1, NULL, NULL};
  int in = temp_fd(), out = temp_fd(), err = temp_fd();
  assert_true(in >= 0 && out >= 0 && err >= 0);
  if (input) assert_int_equal(write(in, input, strlen(input)), (ssize_t)strlen(input));
  lseek(in, 0, SEEK_SET);
  const char *argv[32] = {VH_SHELL_PATH};
  int argc = 1;
  for (; args[argc - 1]; argc++) argv[argc] = args[argc - 1];
  argv[argc] = NULL;
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    if (chdir(VH_SHELL_TESTS) != 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execv(VH_SHELL_PATH, (char *const *)argv);
    _exit(127);
  }
  close(in);
  int wstatus = 0;
  struct timespec nap = {0, 10 * 1000 * 1000};
  for (int waited = 0;; waited += 10) {
    pid_t got = waitpid(pid, &wstatus, WNOHANG);
    if (got == pid) break;
    if (waited > 60000) {  /* a hang is a failure, not a stuck test */
      kill(pid, SIGKILL);
      waitpid(pid, &wstatus, 0);
      break;
    }
    nanosleep(&nap, NULL);
  }
  if (WIFEXITED(wstatus)) r.status = WEXITSTATUS(wstatus);
  r.out = slurp_fd(out);
  r.err = slurp_fd(err);
  if (r.status < 0 || getenv("VH_SHELL_TEST_VERBOSE"))
    print_message("status %d\nstdout:\n%s\nstderr:\n%s\n", r.status, r.out, r.err);
  return r;
}

static void free_result(run_result *r) {
  free(r->out);
  free(r->err);
}

/* Line i (0-based) of text, in a static buffer; "" when there is none. */
static const char *line_of(const char *text, int i) {
  static char line[1024];
  for (; i > 0 && text; i--) {
    text = strchr(text, '\n');
    if (text) text++;
  }
  if (!text) return "";
  size_t n = strcspn(text, "\n");
  if (n >= sizeof line) n = sizeof line - 1;
  memcpy(line, text, n);
  line[n] = '\0';
  return line;
}

#define RUN(input, ...) run_shell((input), (const char *const[]){__VA_ARGS__, NULL})

static void expect(run_result r, int status, const char *out, const char *err_first_line) {
  if (r.status != status) print_message("stdout:\n%s\nstderr:\n%s\n", r.out, r.err);
  assert_int_equal(r.status, status);
  if (out) assert_string_equal(r.out, out);
  if (err_first_line) assert_string_equal(line_of(r.err, 0), err_first_line);
  else assert_string_equal(r.err, "");
  free_result(&r);
}

/* ---- --snapshot-blob, --build-snapshot ------------------------------------------------------ */

static void test_snapshot_blob(void **state) {
  (void)state;
  char blob[] = "/tmp/vh_shell_snapshot_XXXXXX";
  int fd = mkstemp(blob);
  assert_true(fd >= 0);
  close(fd);
  expect(RUN(NULL, "--snapshot-blob", blob, "--build-snapshot", "snapshot_setup.js"), 0, "", NULL);
  expect(RUN(NULL, "--snapshot-blob", blob, "-e", "print(greeting, twice(21))"), 0,
         "from the snapshot 42\n", NULL);
  /* A damaged blob is refused, not handed to V8. */
  assert_int_equal(truncate(blob, 1000), 0);
  run_result r = RUN(NULL, "--snapshot-blob", blob, "-e", "print(1)");
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, "is not a snapshot of this build"));
  free_result(&r);
  expect(RUN(NULL, "--build-snapshot", "snapshot_setup.js"), 2, "",
         "v8host-shell: --build-snapshot needs: --snapshot-blob FILE");
  unlink(blob);
}

/* ---- scripts and print -------------------------------------------------------------------- */

static void test_print(void **state) {
  (void)state;
  expect(RUN(NULL, "print.js"), 0,
         "hello world\n2 true null undefined 1.5 0 10 Symbol(s)\n1,2,3 custom\n\none arg\n", NULL);
}

static void test_files_share_one_engine(void **state) {
  (void)state;
  expect(RUN(NULL, "state_a.js", "state_b.js"), 0, "2 kept function function function\n", NULL);
}

static void test_structured_clone_in_shell(void **state) {
  (void)state;
  expect(RUN(NULL, "-e", "const b = new ArrayBuffer(4), c = structuredClone({ b }, { transfer: [b] });"
                         "print(b.byteLength, c.b.byteLength)"),
         0, "0 4\n", NULL);
}

/* Reads a file the shell wrote and checks it with JSON.parse in an engine of our own. */
static void check_json_file(const char *path, const char *check, const char *expected) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char text[1 << 22];
  size_t n = fread(text, 1, sizeof text, f);
  fclose(f);
  assert_true(n > 0 && n < sizeof text);
  vh_engine e;
  vh_scope s;
  vh_value doc;
  assert_ok(vh_engine_new_private(NULL, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_json_parse(e, text, n, &doc));
  assert_ok(set_global(e, "doc", doc));
  assert_eval_string(e, check, expected);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));
}

static void test_profile_and_snapshot_flags(void **state) {
  (void)state;
  char prof[] = "/tmp/vh_shell_prof_XXXXXX", snap[] = "/tmp/vh_shell_snap_XXXXXX";
  int pf = mkstemp(prof), sf = mkstemp(snap);
  assert_true(pf >= 0 && sf >= 0);
  close(pf);
  close(sf);
  expect(RUN(NULL, "--cpu-prof", prof, "--heap-snapshot", snap, "-e",
             "class Kept {} globalThis.k = [new Kept(), new Kept(), new Kept()];"
             "function spinFor() { let x = 0; const end = Date.now() + 200; while (Date.now() < end) x++; return x; }"
             "print(spinFor() > 0)"),
         0, "true\n", NULL);
  check_json_file(prof,
                  "[doc.nodes[0].callFrame.functionName, doc.samples.length === doc.timeDeltas.length,"
                  " doc.nodes.some(n => n.callFrame.functionName === 'spinFor' && n.callFrame.url === '<eval>')].join()",
                  "(root),true,true");
  check_json_file(snap,
                  "const m = doc.snapshot.meta, w = m.node_fields.length, t = m.node_fields.indexOf('type'),"
                  " nm = m.node_fields.indexOf('name'), obj = m.node_types[t].indexOf('object'); let kept = 0;"
                  "for (let i = 0; i < doc.nodes.length; i += w)"
                  "  if (doc.nodes[i + t] === obj && doc.strings[doc.nodes[i + nm]] === 'Kept') kept++;"
                  "`${doc.snapshot.node_count === doc.nodes.length / w} ${kept}`",
                  "true 3");
  expect(RUN(NULL, "--cpu-prof"), 2, "", "v8host-shell: missing argument after: --cpu-prof");
  unlink(prof);
  unlink(snap);
}

static void test_eval_option(void **state) {
  (void)state;
  expect(RUN(NULL, "-e", "print(6 * 7)"), 0, "42\n", NULL);
  expect(RUN(NULL, "-e", "var a = 1", "-e", "print(a + 1)"), 0, "2\n", NULL);
  /* After "--" every argument is a file: nothing runs when one cannot be read. */
  expect(RUN(NULL, "-e", "print('not run')", "--", "state_a.js", "-e"), 2, "",
         "v8host-shell: cannot read -e: No such file or directory");
  expect(RUN(NULL, "-e", "var n = 2", "state_a.js", "-e", "print(n, bump())"), 0, "2 2\n", NULL);
}

/* Async WebAssembly completes on V8's threads: the shell's run waits for it (issue 12). */
static void test_async_wasm_settles(void **state) {
  (void)state;
  expect(RUN(NULL, "-e",
             "WebAssembly.instantiate(new Uint8Array([0,97,115,109,1,0,0,0, 1,5,1,96,0,1,127,"
             " 3,2,1,0, 7,5,1,1,102,0,0, 10,6,1,4,0,65,42,11]))"
             ".then(r => print('instantiated', r.instance.exports.f()))"),
         0, "instantiated 42\n", NULL);
}

static void test_async_runs_to_completion(void **state) {
  (void)state;
  expect(RUN(NULL, "async.js"), 0,
         "sync\nthen\nmicrotask\nawait\ntimeout 0\ninterval\ntimeout 20\n", NULL);
}

/* ---- exit statuses and error reports ------------------------------------------------------ */

static void test_uncaught_error(void **state) {
  (void)state;
  run_result r = RUN(NULL, "throw_error.js");
  assert_int_equal(r.status, 1);
  assert_string_equal(line_of(r.err, 0), "Uncaught TypeError: bad thing");
  assert_string_equal(line_of(r.err, 1), "  throw_error.js:2:3");
  assert_string_equal(line_of(r.err, 2), "    at fail (throw_error.js:2:9)");
  assert_string_equal(line_of(r.err, 3), "    at throw_error.js:4:1");
  assert_string_equal(r.out, "");
  free_result(&r);
}

static void test_uncaught_non_error(void **state) {
  (void)state;
  run_result r = RUN(NULL, "throw_42.js");
  assert_int_equal(r.status, 1);
  /* A thrown non-Error shows its type: a runner tells a thrown 42 from a thrown "42". */
  assert_string_equal(line_of(r.err, 0), "Uncaught (number) 42");
  assert_string_equal(line_of(r.err, 1), "  throw_42.js:1:1");
  free_result(&r);
  expect(RUN(NULL, "-e", "throw 'text'"), 1, "", "Uncaught (string) text");
  expect(RUN(NULL, "-e", "throw '42'"), 1, "", "Uncaught (string) 42");
  expect(RUN(NULL, "-e", "throw 1n"), 1, "", "Uncaught (bigint) 1");
  expect(RUN(NULL, "-e", "throw null"), 1, "", "Uncaught (null) null");
  expect(RUN(NULL, "-e", "throw { toString() { return 'custom' } }"), 1, "", "Uncaught (object) custom");
  expect(RUN(NULL, "-e", "class MyError extends Error {}; throw new MyError('mine')"), 1, "",
         "Uncaught MyError: mine");
}

static void test_syntax_error_is_3(void **state) {
  (void)state;
  run_result r = RUN(NULL, "syntax_error.js");
  assert_int_equal(r.status, 3);
  assert_string_equal(r.out, "");  /* nothing ran */
  assert_string_equal(line_of(r.err, 0), "Uncaught SyntaxError: Unexpected token ';'");
  assert_string_equal(line_of(r.err, 1), "  syntax_error.js:2:7");
  free_result(&r);
  expect(RUN(NULL, "-e", "print(1)", "-e", "}"), 3, "1\n", "Uncaught SyntaxError: Unexpected token '}'");
  /* A SyntaxError thrown while running is an uncaught exception. */
  expect(RUN(NULL, "-e", "JSON.parse('{')"), 1, "", "Uncaught SyntaxError: Unexpected end of JSON input");
}

static void test_usage_errors_are_2(void **state) {
  (void)state;
  run_result r = RUN(NULL, "--no-such-option");
  assert_int_equal(r.status, 2);
  assert_string_equal(line_of(r.err, 0), "v8host-shell: unknown option: --no-such-option");
  assert_string_equal(line_of(r.err, 1), "usage: v8host-shell [OPTION | FILE]... [--args ARG...]");
  free_result(&r);
  expect(RUN(NULL, "-e"), 2, "", "v8host-shell: missing argument after: -e");
  expect(RUN(NULL, "--module"), 2, "", "v8host-shell: missing argument after: --module");
  expect(RUN(NULL, "print.js", "no-such-file.js"), 2, "",
         "v8host-shell: cannot read no-such-file.js: No such file or directory");
  r = RUN(NULL, "--help");
  assert_int_equal(r.status, 0);
  assert_string_equal(line_of(r.out, 0), "usage: v8host-shell [OPTION | FILE]... [--args ARG...]");
  assert_non_null(strstr(r.out, "\n  --unhandled-rejections=strict|warn"));
  free_result(&r);
  expect(RUN(NULL, "--unhandled-rejections=sometimes"), 2, "",
         "v8host-shell: --unhandled-rejections takes strict or warn, not: sometimes");
  expect(RUN(NULL, "--unhandled-rejections"), 2, "",
         "v8host-shell: missing '=VALUE' after: --unhandled-rejections");
}

/* An unhandled rejection has its own prefix; strict (the default) fails the run, warn does not. */
static void test_unhandled_rejection(void **state) {
  (void)state;
  run_result r = RUN(NULL, "rejection.js");
  assert_int_equal(r.status, 1);
  assert_string_equal(r.out, "before\n");
  assert_string_equal(line_of(r.err, 0), "Unhandled rejection: RangeError: nobody handles this");
  assert_string_equal(line_of(r.err, 1), "  rejection.js:2:16");
  free_result(&r);
  expect(RUN(NULL, "-e", "Promise.reject(42)"), 1, "", "Unhandled rejection: (number) 42");
  expect(RUN(NULL, "-e", "(async () => { await null; throw new TypeError('late') })()"), 1, "",
         "Unhandled rejection: TypeError: late");
  expect(RUN(NULL, "-e", "Promise.reject(1).catch(() => print('handled'))"), 0, "handled\n", NULL);
  expect(RUN(NULL, "--unhandled-rejections=strict", "-e", "Promise.reject(2)"), 1, "",
         "Unhandled rejection: (number) 2");
  /* warn: reported, and the run goes on to its end with status 0; a throw still fails it. */
  r = RUN(NULL, "--unhandled-rejections=warn", "rejection.js", "-e", "setTimeout(() => print('after'), 1)");
  assert_int_equal(r.status, 0);
  assert_string_equal(r.out, "before\nafter\n");
  assert_string_equal(line_of(r.err, 0), "Unhandled rejection: RangeError: nobody handles this");
  free_result(&r);
  expect(RUN(NULL, "--unhandled-rejections=warn", "-e", "Promise.reject(1); throw 2"), 1, "",
         "Uncaught (number) 2");
  expect(RUN(NULL, "--unhandled-rejections=warn", "-e",
             "$262.agent.start('Promise.reject(3); $262.agent.leaving()'); print('main')"),
         0, "main\n", "Unhandled rejection: (number) 3");
}

static void test_exception_in_timer_is_uncaught(void **state) {
  (void)state;
  run_result r = RUN(NULL, "timer_throw.js");
  assert_int_equal(r.status, 1);
  assert_string_equal(r.out, "");  /* the loop stopped: the later timer did not run */
  assert_string_equal(line_of(r.err, 0), "Uncaught Error: in a timer");
  assert_string_equal(line_of(r.err, 1), "  timer_throw.js:1:20");
  free_result(&r);
}

/* ---- modules ------------------------------------------------------------------------------- */

static void test_module_graph(void **state) {
  (void)state;
  expect(RUN(NULL, "--module", "modules/main.mjs"), 0,
         "5 math+other other cfg\ndynamic true\nafter top-level await\n", NULL);
  /* A script and a module in one engine; a classic script's import() resolves from its file. */
  expect(RUN(NULL, "-e", "var shared = 'from a script'", "--module", "modules/main.mjs", "-e",
             "import('./modules/lib/cfg.js').then(m => print(shared, m.value))"),
         0, "5 math+other other cfg\ndynamic true\nafter top-level await\nfrom a script cfg\n", NULL);
}

static void test_module_failures(void **state) {
  (void)state;
  /* Resolution (an import that cannot be loaded or linked) is 4; parsing is 3. Both say which. */
  run_result r = RUN(NULL, "--module", "modules/missing.mjs");
  assert_int_equal(r.status, 4);
  assert_non_null(strstr(r.err, "\n  phase: resolution\n"));
  assert_string_equal(r.out, "");
  assert_non_null(strstr(line_of(r.err, 0), "Uncaught Error: Cannot load module './lib/nope.js' from '"));
  assert_non_null(strstr(r.err, "No such file or directory"));
  free_result(&r);
  expect(RUN(NULL, "--module", "modules/badlink.mjs"), 4, "",
         "Uncaught SyntaxError: The requested module './lib/cfg.js' does not provide an export named "
         "'nothere'");
  r = RUN(NULL, "--module", "modules/badsyntax.mjs");
  assert_int_equal(r.status, 3);
  assert_string_equal(line_of(r.err, 0), "Uncaught SyntaxError: Unexpected token '='");
  assert_non_null(strstr(line_of(r.err, 1), "/tests/shell/modules/lib/broken.js:1:14"));
  assert_string_equal(line_of(r.err, 2), "  phase: parse");
  free_result(&r);
  r = RUN(NULL, "--module", "modules/badlink.mjs");
  assert_non_null(strstr(r.err, "\n  phase: resolution\n"));
  free_result(&r);
  /* Throwing while running is 1, not 3. */
  expect(RUN(NULL, "--module", "modules/throws.mjs"), 1, "cfg\n", "Uncaught Error: module threw");
  expect(RUN(NULL, "--module", "modules/no-such.mjs"), 2, "",
         "v8host-shell: cannot read modules/no-such.mjs: No such file or directory");
}

/* ---- $262 ---------------------------------------------------------------------------------- */

static void test_262_members(void **state) {
  (void)state;
  expect(RUN(NULL, "assert.js", "d262_members.js"), 0,
         "createRealm ok\nevalScript ok\ndetachArrayBuffer detached\ngc ok\nagent ok\n", NULL);
}

static void test_realm_objects_are_direct(void **state) {
  (void)state;
  expect(RUN(NULL, "realm_identity.js"), 0,
         "true\ntrue\nfalse true\ntrue 42\ntrue false true\ntrue\n", NULL);
}

static void test_agents_wait_and_wake(void **state) {
  (void)state;
  expect(RUN(NULL, "agents.js"), 0, "woken 4\nok ok ok ok\nnull\n", NULL);
}

static void test_agent_broadcast_before_receive(void **state) {
  (void)state;
  expect(RUN(NULL, "agent_late.js"), 0,
         "broadcast returned\ngot 3 99 | promise after leaving | timer after leaving\n", NULL);
}

static void test_agent_errors_are_reported(void **state) {
  (void)state;
  run_result r = RUN(NULL, "agent_error.js");
  assert_int_equal(r.status, 1);
  assert_string_equal(r.out, "main done\n");
  assert_string_equal(line_of(r.err, 0), "Uncaught Error: agent boom");
  assert_string_equal(line_of(r.err, 1), "  <agent 1>:2:45");
  free_result(&r);
  expect(RUN(NULL, "-e", "$262.agent.start('throw 7'); print('started')"), 1, "started\n", "Uncaught (number) 7");
  expect(RUN(NULL, "-e", "$262.agent.start('let = ;'); print('started')"), 1, "started\n",
         "Uncaught SyntaxError: Unexpected token ';'");
  expect(RUN(NULL, "-e", "$262.agent.start('Promise.reject(new TypeError(\"no\")); $262.agent.leaving()')"), 1,
         "", "Unhandled rejection: TypeError: no");
  expect(RUN(NULL, "-e", "$262.agent.broadcast(new ArrayBuffer(4))"), 1, "",
         "Uncaught TypeError: $262.agent.broadcast: the first argument must be a SharedArrayBuffer");
}

static void test_shell_waits_for_agents(void **state) {
  (void)state;
  /* The main script ends right after the broadcast; the agent prints and leaves 50 ms later. */
  expect(RUN(NULL, "-e",
             "$262.agent.start('$262.agent.receiveBroadcast(() => setTimeout(() => {"
             " print(\"agent done\"); $262.agent.leaving() }, 50))');"
             "print('main done'); $262.agent.broadcast(new SharedArrayBuffer(4))"),
         0, "main done\nagent done\n", NULL);
}

/* ---- the prompt ---------------------------------------------------------------------------- */

/* Piped into the prompt (no terminal: no editing, no colours): values print as node prints
 * them, incomplete input continues, await works, let and const persist. */
static void test_repl(void **state) {
  (void)state;
  run_result r = run_shell("let x = 40\n"
                "x + 2\n"
                "'text'\n"
                "({ a: 1, b: [1, 2] })\n"
                "function twice(n) { return 2 * n }\n"
                "twice\n"
                "throw new Error('oops')\n"
                "x = twice(x)\n"
                "\n"
                "print('x is', x)\n"
                "Promise.resolve(1).then(v => print('then', v)), 'queued'\n"
                "let = ;\n"
                "x\n"
                "setTimeout(() => print('timer after the input'), 10), 'set'\n",
                (const char *const[]){NULL});
  assert_int_equal(r.status, 0);
  assert_string_equal(r.out,
                      "undefined\n42\n'text'\n{ a: 1, b: [ 1, 2 ] }\nundefined\n[Function: twice]\n80\n"
                      "x is 80\nundefined\n'queued'\nthen 1\n80\n'set'\ntimer after the input\n");
  assert_string_equal(line_of(r.err, 0), "Uncaught Error: oops");
  assert_string_equal(line_of(r.err, 1), "  <stdin>:1:1");
  assert_non_null(strstr(r.err, "Uncaught SyntaxError: Unexpected token ';'"));
  free_result(&r);
  r = run_shell("function f(a) {\n  return a * 3;\n}\nf(2)\n"
                "`two\nlines`\n"
                "await Promise.resolve(5)\n"
                "let w = await new Promise((r) => setTimeout(() => r(6), 5))\nw + 1\n"
                "const k = 1\nk + 1\n"
                "let {a, b: [c], ...r} = await Promise.resolve({a: 1, b: [2], z: 3}), d = 4\n[a, c, r, d]\n"
                "let s = `t${await 1}`\ns\n"
                "function f2() { await 1 }\n"
                "await (async () => 8)()\n"
                "let [x1, , ...y1] = await [1, 2, 3]\n[x1, y1]\n"
                "let mv = await new Promise((r) => {\n  r('multi')\n})\nmv\n"
                "await 1 +\n2\n"
                "async function g2() { return await 4 }\nawait g2()\n"
                "await Promise.reject(new RangeError('awaited'))\n"
                "[1, 2n, 'three', Symbol('four'), undefined, null]\n"
                "class A { constructor() { this.me = this } }\nnew A\n"
                "new Map([['k', { deep: { deeper: { deepest: 1 } } }]])\n"
                "[new Set([1]), Promise.resolve(2), new Promise(() => {}), class B extends A {}]\n",
                (const char *const[]){NULL});
  assert_int_equal(r.status, 0);
  assert_string_equal(r.out,
                      "undefined\n6\n'two\\nlines'\n5\nundefined\n7\nundefined\n2\n"
                      "undefined\n[ 1, 2, { z: 3 }, 4 ]\nundefined\n't1'\n"
                      "8\nundefined\n[ 1, [ 3 ] ]\nundefined\n'multi'\n3\nundefined\n4\n"
                      "[ 1, 2n, 'three', Symbol(four), undefined, null ]\nundefined\n"
                      "<ref *1> A { me: [Circular *1] }\n"
                      "Map(1) { 'k' => { deep: { deeper: [Object] } } }\n"
                      "[\n  Set(1) { 1 },\n  Promise { 2 },\n  Promise { <pending> },\n  [class B extends A]\n]\n");
  /* An await where it cannot be is reported as the script's own SyntaxError. */
  assert_string_equal(line_of(r.err, 0),
                      "Uncaught SyntaxError: await is only valid in async functions and the top level bodies of modules");
  assert_string_equal(line_of(r.err, 2), "Uncaught RangeError: awaited");
  free_result(&r);
}

/* ---- what the shell adds for scripts ------------------------------------------------------ */

static void test_modules_without_option(void **state) {
  (void)state;
  /* .mjs runs as a module, as --module would run it. */
  expect(RUN(NULL, "modules/main.mjs"), 0,
         "5 math+other other cfg\ndynamic true\nafter top-level await\n", NULL);
  /* So does a .js whose top level imports. */
  expect(RUN(NULL, "module_syntax.js"), 0, "module by its syntax cfg object\n", NULL);
  /* A top-level await's failure names the user's file, not the shell's entry module. */
  run_result r = RUN(NULL, "modules/tla_throw.mjs");
  assert_int_equal(r.status, 1);
  assert_string_equal(line_of(r.err, 0), "Uncaught (number) 5");
  assert_non_null(strstr(line_of(r.err, 1), "/tests/shell/modules/tla_throw.mjs"));
  assert_null(strstr(r.err, "v8host-shell:"));
  free_result(&r);
}

static void test_file_functions(void **state) {
  (void)state;
  expect(RUN(NULL, "files.js", "--args", "one", "-e"), 0,
         "\"line one\\nline two\\n\"\n"
         "true 18 108 10\n"
         "completion of loaded.js 1 completion of loaded.js 2\n"
         "[\"files.js\",\"one\",\"-e\"] [\"one\",\"-e\"]\n"
         "Error read: cannot read 'no-such.txt': No such file or directory\n"
         "Error readbuffer: cannot read '.': Is a directory\n"
         "Error load: cannot read 'no-such.js': No such file or directory\n"
         "TypeError read: the path must be a string\n"
         "TypeError read: the path must be a string\n"
         "load threw SyntaxError\n",
         NULL);
}

/* print, $262, read... and the library's builtins are there, but not enumerable. */
static void test_globals_not_enumerable(void **state) {
  (void)state;
  expect(RUN(NULL, "-e",
             "const names = []; for (const k in globalThis) names.push(k);"
             "print(names.length, Object.keys(globalThis).length, typeof print, typeof $262,"
             " typeof read, typeof scriptArgs, typeof setTimeout, typeof console.log)"),
         0, "0 0 function object function object function function\n", NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_print),
      cmocka_unit_test(test_snapshot_blob),
      cmocka_unit_test(test_files_share_one_engine),
      cmocka_unit_test(test_eval_option),
      cmocka_unit_test(test_async_wasm_settles),
      cmocka_unit_test(test_structured_clone_in_shell),
      cmocka_unit_test(test_profile_and_snapshot_flags),
      cmocka_unit_test(test_async_runs_to_completion),
      cmocka_unit_test(test_uncaught_error),
      cmocka_unit_test(test_uncaught_non_error),
      cmocka_unit_test(test_syntax_error_is_3),
      cmocka_unit_test(test_usage_errors_are_2),
      cmocka_unit_test(test_unhandled_rejection),
      cmocka_unit_test(test_exception_in_timer_is_uncaught),
      cmocka_unit_test(test_module_graph),
      cmocka_unit_test(test_module_failures),
      cmocka_unit_test(test_262_members),
      cmocka_unit_test(test_realm_objects_are_direct),
      cmocka_unit_test(test_agents_wait_and_wake),
      cmocka_unit_test(test_agent_broadcast_before_receive),
      cmocka_unit_test(test_agent_errors_are_reported),
      cmocka_unit_test(test_shell_waits_for_agents),
      cmocka_unit_test(test_repl),
      cmocka_unit_test(test_modules_without_option),
      cmocka_unit_test(test_file_functions),
      cmocka_unit_test(test_globals_not_enumerable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
