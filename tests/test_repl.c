/* v8host-shell's prompt driven through a pseudo-terminal (forkpty), as a person would type into
 * it: every keystroke goes to the terminal, and the checks read what the terminal shows (escape
 * sequences removed, except in the colour test). VH_SHELL_PATH, VH_SHELL_TESTS and
 * VH_SHELL_LIBEDIT come from tests/CMakeLists.txt. Waits are generous bounds, never timings. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_util.h"

#ifndef VH_SHELL_PATH
#error "VH_SHELL_PATH must name the v8host-shell binary"
#endif

#define WAIT_MS 20000

typedef struct term {
  pid_t pid;
  int fd;
  char *raw, *screen;  /* everything written to the terminal; the same without escapes */
  size_t raw_length, screen_length, mark;  /* expectations look after mark */
  int escape;          /* the escape-sequence state of the stripper */
} term;

static void append(char **buf, size_t *length, const char *data, size_t n) {
  *buf = realloc(*buf, *length + n + 1);
  assert_non_null(*buf);
  memcpy(*buf + *length, data, n);
  *length += n;
  (*buf)[*length] = '\0';
}

/* Keeps the text: drops CSI (ESC [ ... final), OSC (ESC ] ... BEL), two-byte escapes, CR, BEL. */
static void strip_into_screen(term *t, const char *data, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)data[i];
    if (t->escape == 1) {
      t->escape = c == '[' ? 2 : c == ']' ? 3 : 0;
    } else if (t->escape == 2) {
      if (c >= 0x40 && c <= 0x7e) t->escape = 0;
    } else if (t->escape == 3) {
      if (c == 7) t->escape = 0;
    } else if (c == 27) {
      t->escape = 1;
    } else if (c != '\r' && c != 7) {
      append(&t->screen, &t->screen_length, (const char *)&c, 1);
    }
  }
}

/* Reads what the shell wrote, for at most ms milliseconds; false once the terminal closed. */
static bool pump(term *t, int ms) {
  struct pollfd p = {t->fd, POLLIN, 0};
  int n = poll(&p, 1, ms);
  if (n <= 0) return true;
  char buf[4096];
  ssize_t got = read(t->fd, buf, sizeof buf);
  if (got <= 0) return !(got == 0 || (got < 0 && errno == EIO));
  append(&t->raw, &t->raw_length, buf, (size_t)got);
  strip_into_screen(t, buf, (size_t)got);
  return true;
}

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Starts the shell on a new terminal, 120 columns wide, in tests/shell/. */
static void start(term *t, const char *history, bool colors) {
  memset(t, 0, sizeof *t);
  append(&t->raw, &t->raw_length, "", 0);
  append(&t->screen, &t->screen_length, "", 0);
  struct winsize ws = {.ws_row = 40, .ws_col = 120};
  fflush(NULL);
  t->pid = forkpty(&t->fd, NULL, NULL, &ws);
  assert_true(t->pid >= 0);
  if (t->pid == 0) {
    if (chdir(VH_SHELL_TESTS) != 0) _exit(126);
    setenv("V8HOST_HISTORY", history ? history : "", 1);
    setenv("TERM", "xterm", 1);
    if (colors) unsetenv("NO_COLOR");
    else setenv("NO_COLOR", "1", 1);
    execl(VH_SHELL_PATH, VH_SHELL_PATH, (char *)NULL);
    _exit(127);
  }
}

static void type(term *t, const char *keys) {
  size_t n = strlen(keys);
  assert_int_equal(write(t->fd, keys, n), (ssize_t)n);
}

/* Waits until text appears on the screen after the mark; the mark moves past it. */
static void see(term *t, const char *text) {
  long end = now_ms() + WAIT_MS;
  for (;;) {
    const char *at = strstr(t->screen + t->mark, text);
    if (at) {
      t->mark = (size_t)(at - t->screen) + strlen(text);
      return;
    }
    if (now_ms() > end || !pump(t, 50)) break;
  }
  if (getenv("VH_REPL_TEST_RAW")) {
    for (size_t i = 0; i < t->raw_length; i++) {
      unsigned char c = (unsigned char)t->raw[i];
      if (c < 32 && c != '\n') fprintf(stderr, "\\x%02x", c);
      else fputc(c, stderr);
    }
  }
  fail_msg("the terminal never showed \"%s\"; after the mark it shows:\n%s", text, t->screen + t->mark);
}

/* Waits for the prompt ("> ", or "... " for a continued input) after the mark, as a person
 * waits for it before typing. */
static void prompt(term *t) {
  long end = now_ms() + WAIT_MS;
  for (;;) {
    const char *a = strstr(t->screen + t->mark, "> "), *b = strstr(t->screen + t->mark, "... ");
    const char *at = a && (!b || a < b) ? a : b;
    if (at) {
      t->mark = (size_t)(at - t->screen) + (at == a ? 2 : 4);
      return;
    }
    if (now_ms() > end || !pump(t, 50)) break;
  }
  fail_msg("no prompt; after the mark the terminal shows:\n%s", t->screen + t->mark);
}

/* Waits for the prompt, types a line and waits until `shows` appears. */
static void enter(term *t, const char *line, const char *shows) {
  prompt(t);
  type(t, line);
  type(t, "\r");
  see(t, shows);
}

/* Types a line that does not complete the input: the continuation prompt "... " follows. */
static void enter_more(term *t, const char *line) {
  enter(t, line, "\n... ");
  t->mark -= 4;  /* the next enter() waits for that prompt */
}

/* Waits for the shell to exit; its exit status, or -1. */
static int wait_exit(term *t) {
  long end = now_ms() + WAIT_MS;
  int status = 0;
  for (;;) {
    pid_t got = waitpid(t->pid, &status, WNOHANG);
    if (got == t->pid) break;
    if (now_ms() > end) {
      kill(t->pid, SIGKILL);
      waitpid(t->pid, &status, 0);
      print_message("the shell did not exit; the screen:\n%s\n", t->screen);
      break;
    }
    if (!pump(t, 50)) {
      struct timespec nap = {0, 10 * 1000 * 1000};
      nanosleep(&nap, NULL);
    }
  }
  while (pump(t, 0) && poll(&(struct pollfd){t->fd, POLLIN, 0}, 1, 0) > 0) {}
  close(t->fd);
  free(t->raw);
  free(t->screen);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void finish(term *t) {
  prompt(t);
  type(t, "\x04");  /* Ctrl-D */
  assert_int_equal(wait_exit(t), 0);
}

/* ---- the tests ---------------------------------------------------------------------------- */

/* Each kind of value, printed as node's prompt prints it. */
static void test_values(void **state) {
  (void)state;
  term t;
  start(&t, NULL, false);
  enter(&t, "'s' + 'tr'", "\n'str'\n");
  enter(&t, "10n ** 2n", "\n100n\n");
  enter(&t, "Symbol('sym')", "\nSymbol(sym)\n");
  enter(&t, "({u: undefined, n: null, t: true})", "\n{ u: undefined, n: null, t: true }\n");
  enter(&t, "{ a: 1, b: 'two' }", "\n{ a: 1, b: 'two' }\n");  /* an object, as at node's prompt */
  enter(&t, "{ let inBlock = 3; inBlock * 2 }", "\n6\n");    /* a block */
  enter(&t, "function fn() {}; fn", "\n[Function: fn]\n");
  enter(&t, "(async () => {})", "\n[AsyncFunction (anonymous)]\n");
  enter(&t, "class K {}; K", "\n[class K]\n");
  enter(&t, "class L extends K { constructor() { super(); this.v = 1 } }; new L", "\nL { v: 1 }\n");
  enter(&t, "new Map([[1, 'one']])", "\nMap(1) { 1 => 'one' }\n");
  enter(&t, "new Set(['s'])", "\nSet(1) { 's' }\n");
  enter(&t, "Promise.resolve(3)", "\nPromise { 3 }\n");
  enter(&t, "new Promise(() => {})", "\nPromise { <pending> }\n");
  enter(&t, "(p => (p.catch(() => {}), p))(Promise.reject(6))", "\nPromise { <rejected> 6 }\n");
  enter(&t, "var o = {}; o.o = o; o", "\n<ref *1> { o: [Circular *1] }\n");
  enter(&t, "({a: {b: {c: {d: {}}}}})", "\n{ a: { b: { c: [Object] } } }\n");
  enter(&t, "[1, 2, 3, 4, 5, 6, 7]", "\n[\n  1, 2, 3, 4,\n  5, 6, 7\n]\n");
  enter(&t, "new Error('bad')", "\nError: bad\n    at <stdin>:1:1\n");
  enter(&t, "[, 'hole']", "\n[ <1 empty item>, 'hole' ]\n");
  enter(&t, "new Uint8Array([1, 2])", "\nUint8Array(2) [ 1, 2 ]\n");
  /* Replacing what the printer uses changes nothing: it captured the intrinsics at start. */
  enter(&t, "Object.keys = () => []; Array.prototype.join = () => 'x'; Map.prototype.entries = null; 1",
        "\n1\n");
  enter(&t, "[{a: 1}, new Map([[2, 3]])]", "\n[ { a: 1 }, Map(1) { 2 => 3 } ]\n");
  finish(&t);
}

/* Colours only on a terminal, and not with NO_COLOR (the other tests). */
static void test_colours(void **state) {
  (void)state;
  term t;
  start(&t, NULL, true);
  enter(&t, "6 * 7", "\n42\n");
  enter(&t, "'s' + 1", "\n's1'\n");
  assert_non_null(strstr(t.raw, "\x1b[33m42\x1b[39m"));
  assert_non_null(strstr(t.raw, "\x1b[32m's1'\x1b[39m"));
  finish(&t);
  start(&t, NULL, false);
  enter(&t, "6 * 7", "\n42\n");
  assert_null(strstr(t.raw, "\x1b[33m"));
  finish(&t);
}

#ifdef VH_SHELL_LIBEDIT
static char *read_text(const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char *text = calloc(1, 65536);
  assert_non_null(text);
  size_t n = fread(text, 1, 65535, f);
  text[n] = '\0';
  fclose(f);
  return text;
}

/* The Up key brings back the last line, also in the next session (the history file). */
static void test_history(void **state) {
  (void)state;
  char history[] = "/tmp/vh_repl_history_XXXXXX";
  int fd = mkstemp(history);
  assert_true(fd >= 0);
  close(fd);
  unlink(history);  /* the shell starts without one and makes it */
  term t;
  start(&t, history, false);
  enter(&t, "40 + 2", "\n42\n");
  enter(&t, "1 + 1", "\n2\n");
  prompt(&t);
  type(&t, "\x1b[A\x1b[A");  /* Up, Up */
  type(&t, "\r");
  see(&t, "\n42\n");
  finish(&t);
  start(&t, history, false);
  prompt(&t);
  type(&t, "\x1b[A\r");
  see(&t, "\n42\n");  /* the last line of the first session was its Up-recalled 40 + 2 */
  finish(&t);
  char *saved = read_text(history);
  assert_non_null(strstr(saved, "40"));
  free(saved);
  unlink(history);
}

/* Tab completes globals and properties. */
static void test_completion(void **state) {
  (void)state;
  term t;
  start(&t, NULL, false);
  prompt(&t);
  type(&t, "Math.ma\t");
  see(&t, "Math.max");
  type(&t, "(3, 9)\r");
  see(&t, "\n9\n");
  enter(&t, "const longVariableName = 5", "\nundefined\n");
  enter(&t, "globalThis.someGlobalForTab = 6", "\n6\n");
  prompt(&t);
  type(&t, "someGlob\t");
  see(&t, "someGlobalForTab");
  type(&t, " * 7\r");
  see(&t, "\n42\n");
  /* Line editing: Ctrl-A goes to the start of the line, where the typing goes on. */
  prompt(&t);
  type(&t, "2 * 5\x01" "1 + \r");
  see(&t, "\n11\n");
  finish(&t);
}
#endif

/* An incomplete statement continues on the next line. */
static void test_multiline(void **state) {
  (void)state;
  term t;
  start(&t, NULL, false);
  enter_more(&t, "function triple(a) {");
  enter_more(&t, "  return a * 3;");
  enter(&t, "}", "\nundefined\n");
  enter(&t, "triple(5)", "\n15\n");
  enter_more(&t, "`one");
  enter(&t, "two`", "\n'one\\ntwo'\n");
  enter_more(&t, "[1,");
  enter(&t, "2]", "\n[ 1, 2 ]\n");
  enter_more(&t, "if (true) {");
  enter(&t, ".break", ".break\n");
  enter(&t, "'after .break'", "\n'after .break'\n");
  finish(&t);
}

/* Top-level await, and let/const that persist between lines. */
static void test_await_and_declarations(void **state) {
  (void)state;
  term t;
  start(&t, NULL, false);
  enter(&t, "await Promise.resolve(8)", "\n8\n");
  enter(&t, "let later = await new Promise((r) => setTimeout(() => r('done'), 20))", "\nundefined\n");
  enter(&t, "later", "\n'done'\n");
  enter(&t, "const c1 = 5", "\nundefined\n");
  enter(&t, "c1 * 2", "\n10\n");
  enter(&t, "let l1 = 'kept'", "\nundefined\n");
  enter(&t, "l1", "\n'kept'\n");
  enter(&t, "const {da, db: [dc]} = await Promise.resolve({da: 1, db: [2]}), dd = 3", "\nundefined\n");
  enter(&t, "[da, dc, dd]", "\n[ 1, 2, 3 ]\n");
  enter(&t, "await Promise.reject(new TypeError('rejected'))", "Uncaught TypeError: rejected\n");
  enter(&t, "1 + 2", "\n3\n");
  /* A timer fires while the prompt waits, without another line. */
  enter(&t, "setTimeout(() => print('idle timer'), 50), 'set'", "\n'set'\n");
  see(&t, "idle timer\n");
  finish(&t);
}

/* Ctrl-C stops the running script and the prompt goes on; at an empty prompt, twice exits. */
static void test_ctrl_c(void **state) {
  (void)state;
  term t;
  start(&t, NULL, false);
  enter(&t, "while (true) {}", "while (true) {}\n");
  struct timespec nap = {0, 200 * 1000 * 1000};
  nanosleep(&nap, NULL);  /* not a timing assertion: the loop is interrupted whenever it runs */
  type(&t, "\x03");
  see(&t, "interrupted by Ctrl-C\n");
  enter(&t, "6 * 7", "\n42\n");
  enter(&t, "await new Promise((r) => setTimeout(r, 1e9))", "setTimeout(r, 1e9))\n");
  nanosleep(&nap, NULL);
  type(&t, "\x03");
  see(&t, "interrupted by Ctrl-C\n");
  enter(&t, "7 * 7", "\n49\n");
  prompt(&t);
  type(&t, "notDefinedName");
  see(&t, "notDefinedName");
  type(&t, "\x03");  /* drops the line: it never runs */
  enter(&t, "1 + 1", "\n2\n");
  assert_null(strstr(t.screen, "ReferenceError"));
  prompt(&t);
  type(&t, "\x03");
  see(&t, "(To exit, press Ctrl+C again or Ctrl+D or type .exit)");
  type(&t, "\x03");
  assert_int_equal(wait_exit(&t), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values),
      cmocka_unit_test(test_colours),
#ifdef VH_SHELL_LIBEDIT
      cmocka_unit_test(test_history),
      cmocka_unit_test(test_completion),
#endif
      cmocka_unit_test(test_multiline),
      cmocka_unit_test(test_await_and_declarations),
      cmocka_unit_test(test_ctrl_c),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
