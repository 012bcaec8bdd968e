/* shell_repl.c — the interactive prompt, compared with node's:
 *
 * - Line editing, history and completion come from libedit (BSD-licensed; built in when CMake
 *   finds it). History persists in ~/.v8host_history ($V8HOST_HISTORY names another file; set
 *   to "" it keeps none). Tab completes globals and properties: `Math.ma<TAB>`.
 * - An input that ends too early (V8's "Unexpected end of input" or "Unterminated template
 *   literal") continues on the next line under a "... " prompt.
 * - Each input is a classic script named <stdin>, so top-level let/const/class land in the
 *   global lexical scope and persist. As at node's prompt, an input that starts with "{" and
 *   does not end with ";" is an object literal when it compiles as one.
 * - An input with await at its top level runs inside an async function and is awaited: as an
 *   expression when it is one, else as statements. "At its top level": it does not compile as
 *   a class static block, where await can be neither an operator nor a name (so `await (f())`
 *   counts, and an await inside a nested async function does not); or it fails as a script
 *   with a SyntaxError and mentions await. The names a leading let/const/var list binds
 *   (destructuring included, shell_hoist.c) are declared at the top level first, with let (var
 *   for var), and the list becomes an assignment, so they persist (a const becomes a let).
 * - Ctrl-C while a script runs (or while an await waits) terminates it through
 *   vh_runtime_terminate() from a watcher thread (the signal handler only posts a semaphore):
 *   the runtime goes on and the prompt comes back. At the prompt Ctrl-C drops the line being
 *   typed; at an empty prompt it says how to exit, and a second Ctrl-C exits. Ctrl-D (end of
 *   input) and .exit exit; .break drops a continued input; .help lists these.
 * - Values print as node prints them (inspect.js), coloured only when stdout is a terminal and
 *   NO_COLOR is unset. Errors go to stderr as uncaught exceptions do, and the prompt goes on.
 *
 * When stdin is not a terminal there is no prompt, no editing and no Ctrl-C handling; the rest
 * is the same (scripts can be piped in). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <uv.h>

#include "shell.h"

#ifdef VH_SHELL_LIBEDIT
#include <editline/readline.h>
#endif

static shell_runtime *g_srt;
static shell_realm *g_realm;
static bool g_tty, g_colors;

/* ---- Ctrl-C -------------------------------------------------------------------------------- */

static int sig_pipe[2] = {-1, -1};  /* SIGINT at the prompt: one byte here */
static sem_t watch_sem;             /* SIGINT while script runs: the watcher terminates it */
static atomic_int running;          /* script runs (or the loop waits for an await) */
static atomic_int interrupted;      /* the watcher terminated the runtime */
static atomic_int watcher_quit;
static uv_thread_t watcher_thread;
static uv_async_t wake;             /* wakes the loop when an await is interrupted */

static void on_sigint(int signo) {
  int saved = errno;
  (void)signo;
  if (atomic_load(&running)) {
    sem_post(&watch_sem);  /* async-signal-safe; vh_runtime_terminate is called by the watcher */
  } else {
    char b = 1;
    if (write(sig_pipe[1], &b, 1) < 0) { /* the pipe is full: a Ctrl-C is pending anyway */ }
  }
  errno = saved;
}

static void watcher(void *arg) {
  (void)arg;
  for (;;) {
    while (sem_wait(&watch_sem) != 0) {}
    if (atomic_load(&watcher_quit)) return;
    if (atomic_load(&running)) {
      atomic_store(&interrupted, 1);
      vh_runtime_terminate(g_srt->runtime);
      uv_async_send(&wake);
    }
  }
}

static void on_wake(uv_async_t *handle) { (void)handle; }

/* Whether a Ctrl-C arrived at the prompt since the last call; consumes it. */
static bool take_prompt_sigint(void) {
  char b;
  bool got = false;
  struct pollfd p = {sig_pipe[0], POLLIN, 0};
  while (sig_pipe[0] >= 0 && poll(&p, 1, 0) > 0 && (p.revents & POLLIN) && read(sig_pipe[0], &b, 1) == 1)
    got = true;
  return got;
}

static int start_interrupts(void) {
  uv_loop_t *loop;
  int rc = vh_runtime_loop(g_srt->runtime, &loop);
  if (rc != VH_OK) return rc;
  if (pipe(sig_pipe) != 0 || sem_init(&watch_sem, 0, 0) != 0) return VH_ENOMEM;
  uv_async_init(loop, &wake, on_wake);
  uv_unref((uv_handle_t *)&wake);  /* it must not keep the loop alive */
  if (uv_thread_create(&watcher_thread, watcher, NULL) != 0) return VH_ENOMEM;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;  /* no SA_RESTART: a blocked read returns and sees the pipe */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  return VH_OK;
}

static void stop_interrupts(void) {
  signal(SIGINT, SIG_DFL);
  atomic_store(&watcher_quit, 1);
  sem_post(&watch_sem);
  uv_thread_join(&watcher_thread);
  uv_close((uv_handle_t *)&wake, NULL);
  close(sig_pipe[0]);
  close(sig_pipe[1]);
  sig_pipe[0] = sig_pipe[1] = -1;
}

/* After an interrupt, V8 may still hold a termination for "the next script" (when the signal
 * came between two scripts): running an empty script until one runs consumes it. */
static bool consume_interrupt(vh_engine engine) {
  if (!atomic_exchange(&interrupted, 0)) return false;
  for (int i = 0; i < 3 && vh_eval(engine, "0", 1, "<settle>", NULL) == VH_ETERMINATED; i++) {}
  return true;
}

static void settle_interrupt(vh_engine engine) {
  if (consume_interrupt(engine)) fputs("Script execution was interrupted by Ctrl-C\n", stderr);
}

static void run_loop_now(void);

/* ---- running an input ---------------------------------------------------------------------- */

static void print_value(vh_value value) {
  char *text = shell_inspect(g_realm, value, g_colors);
  if (text) {
    fputs(text, stdout);
    fputc('\n', stdout);
    vh_free(text);
  } else {
    fputs("<the value could not be printed>\n", stdout);
  }
  fflush(stdout);
}

/* Reports a value thrown out of an await (no location but its stack's). */
static void report_thrown(vh_engine engine, vh_value value) {
  vh_exception ex = {0};
  vh_value stack;
  vh_type type;
  bool is_error = false;
  ex.value = value;
  ex.message = (char *)"";
  if (vh_is(value, VH_KIND_ERROR, &is_error) == VH_OK && is_error &&
      vh_get(engine, value, "stack", &stack) == VH_OK && vh_typeof(stack, &type) == VH_OK &&
      type == VH_TYPE_STRING)
    vh_value_string_utf8_dup(stack, &ex.stack, NULL);
  vh_exception_discard(engine);
  shell_report(g_srt, engine, &ex, NULL);
  vh_free(ex.stack);
}

/* Runs the loop until the promise settles, or Ctrl-C. */
static int await_promise(vh_engine engine, vh_value promise) {
  vh_promise_status state = VH_PROMISE_STATUS_PENDING;
  bool alive = true;
  (void)engine;
  atomic_store(&running, 1);
  while (vh_promise_state(promise, &state) == VH_OK && state == VH_PROMISE_STATUS_PENDING && alive &&
         !atomic_load(&interrupted)) {
    if (vh_runtime_run(g_srt->runtime, VH_RUN_MODE_ONCE, &alive) != VH_OK) break;
  }
  atomic_store(&running, 0);
  return state == VH_PROMISE_STATUS_PENDING ? VH_EBUSY : VH_OK;
}

static bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

/* The async wrapper of statements, as a script's source. */
static void statements_code(const char *body, size_t n, shell_buf *code) {
  shell_buf_puts(code, "(async () => { try {\n");
  shell_buf_add(code, body, n);
  shell_buf_puts(code, "\n; return [true, undefined]; } catch (e) { return [false, e]; } })()");
}

static bool compiles(vh_engine engine, const shell_buf *code) {
  uint8_t *cache = NULL;
  size_t cache_length = 0;
  int rc = vh_code_cache_create(engine, code->data, code->length, "<stdin>", &cache, &cache_length);
  vh_free(cache);
  if (rc == VH_EEXCEPTION) vh_exception_discard(engine);
  return rc == VH_OK;
}

/* Declares each of the comma-separated names at the top level (a name an earlier line declared
 * is reused: its "already been declared" error is dropped). */
static void declare(vh_engine engine, const char *kind, const char *names, size_t length) {
  while (length > 0) {
    size_t k = 0;
    while (k < length && names[k] != ',') k++;
    shell_buf decl = {0};
    shell_buf_printf(&decl, "%s %.*s;", kind, (int)k, names);
    if (vh_eval(engine, decl.data, decl.length, "<stdin>", NULL) == VH_EEXCEPTION) vh_exception_discard(engine);
    shell_buf_free(&decl);
    names += k < length ? k + 1 : k;
    length -= k < length ? k + 1 : k;
  }
}

/* Runs src as statements inside an async function. The names a leading let/const/var list
 * binds are declared at the top level first, so that they persist (shell_hoist.c); when that
 * cannot be worked out, a single `let|const|var NAME = ...` still keeps NAME. */
static int run_statements(vh_engine engine, const char *src, size_t n, vh_value *promise) {
  shell_buf names = {0}, body = {0}, code = {0};
  const char *kind = "let";
  int rc;
  if (shell_hoist_declarations(src, n, &names, &kind, &body)) {
    statements_code(body.data, body.length, &code);
    if (compiles(engine, &code)) {
      declare(engine, kind, names.data, names.length);
      atomic_store(&running, 1);
      rc = vh_eval(engine, code.data, code.length, "<stdin>", promise);
      atomic_store(&running, 0);
      shell_buf_free(&names);
      shell_buf_free(&body);
      shell_buf_free(&code);
      return rc;
    }
  }
  shell_buf_free(&names);
  shell_buf_free(&body);
  shell_buf_free(&code);
  const char *p = src, *start = src;
  while (*p == ' ' || *p == '\t') p++;
  const char *kw = strncmp(p, "let ", 4) == 0 ? "let" : strncmp(p, "const ", 6) == 0 ? "const"
                   : strncmp(p, "var ", 4) == 0 ? "var" : NULL;
  if (kw) {
    const char *name = p + strlen(kw);
    while (*name == ' ' || *name == '\t') name++;
    const char *name_end = name;
    while (is_ident_char(*name_end)) name_end++;
    const char *eq = name_end;
    while (*eq == ' ' || *eq == '\t') eq++;
    if (name_end > name && *eq == '=' && eq[1] != '=') {
      declare(engine, strcmp(kw, "var") == 0 ? "var" : "let", name, (size_t)(name_end - name));
      start = name;
    }
  }
  statements_code(start, n - (size_t)(start - src), &code);
  atomic_store(&running, 1);
  rc = vh_eval(engine, code.data, code.length, "<stdin>", promise);
  atomic_store(&running, 0);
  shell_buf_free(&code);
  return rc;
}

/* Runs src wrapped in an async function (see the top of the file); false when it does not
 * compile so either (nothing ran). */
static bool run_with_await(vh_engine engine, const char *src, size_t n) {
  shell_buf code = {0};
  vh_value promise, pair, ok, value;
  /* As an expression, without its trailing semicolons. */
  size_t end = n;
  while (end > 0 && strchr(" \t\r\n;", src[end - 1])) end--;
  shell_buf_puts(&code, "(async () => { try { return [true, (\n");
  shell_buf_add(&code, src, end);
  shell_buf_puts(&code, "\n)]; } catch (e) { return [false, e]; } })()");
  atomic_store(&running, 1);
  int rc = vh_eval(engine, code.data, code.length, "<stdin>", &promise);
  atomic_store(&running, 0);
  if (rc == VH_EEXCEPTION) {
    vh_exception_discard(engine);
    shell_buf_free(&code);
    rc = run_statements(engine, src, n, &promise);
  }
  shell_buf_free(&code);
  if (rc == VH_EEXCEPTION) {  /* a SyntaxError: the wrapper caught everything else */
    vh_exception_discard(engine);
    return false;
  }
  if (rc != VH_OK) return true;  /* VH_ETERMINATED: reported by settle_interrupt */
  if (await_promise(engine, promise) != VH_OK) {
    if (!atomic_load(&interrupted))
      fputs("v8host-shell: the awaited promise can never settle: nothing is left that could settle it\n", stderr);
    return true;
  }
  if (vh_promise_result(promise, &pair) != VH_OK || vh_get_index(engine, pair, 0, &ok) != VH_OK ||
      vh_get_index(engine, pair, 1, &value) != VH_OK) {
    vh_exception_discard(engine);
    return true;
  }
  bool fine = false;
  vh_value_bool(ok, &fine);
  if (fine) print_value(value);
  else report_thrown(engine, value);
  return true;
}

/* Whether src holds the word await (not as part of a longer name). */
static bool mentions_await(const char *src, size_t n) {
  for (size_t i = 0; i + 5 <= n; i++)
    if (memcmp(src + i, "await", 5) == 0 && (i == 0 || !is_ident_char(src[i - 1])) &&
        (i + 5 == n || !is_ident_char(src[i + 5])))
      return true;
  return false;
}

/* Whether src uses await at its top level: it does not compile as a class static block, where
 * await can be neither an operator nor a name, but nested async functions may use it. */
static bool awaits_at_top_level(vh_engine engine, const char *src, size_t n) {
  shell_buf probe = {0};
  shell_buf_puts(&probe, "(class { static {\n");
  shell_buf_add(&probe, src, n);
  shell_buf_puts(&probe, "\n} })");
  bool top = !compiles(engine, &probe);
  shell_buf_free(&probe);
  return top;
}

static bool incomplete_message(const char *m) {
  return strstr(m, "SyntaxError: Unexpected end of input") ||
         strstr(m, "SyntaxError: Unterminated template literal");
}

/* Whether src, which uses await and compiles neither as a script nor in an async function, is
 * only cut short: in an async function left open it fails at the end of the input ("let v =
 * await new Promise((r) => {" and "await 1 +" go on on the next line). */
static bool await_incomplete(vh_engine engine, const char *src, size_t n) {
  shell_buf probe = {0};
  uint8_t *cache = NULL;
  size_t cache_length = 0;
  vh_exception ex;
  bool incomplete = false;
  shell_buf_puts(&probe, "(async () => {\n");
  shell_buf_add(&probe, src, n);
  shell_buf_puts(&probe, "\n");
  if (vh_code_cache_create(engine, probe.data, probe.length, "<stdin>", &cache, &cache_length) == VH_EEXCEPTION &&
      vh_exception_take(engine, &ex) == VH_OK) {
    incomplete = incomplete_message(ex.message);
    vh_exception_free(&ex);
  }
  vh_free(cache);
  shell_buf_free(&probe);
  return incomplete;
}

typedef enum { INPUT_DONE, INPUT_MORE } input_state;

/* As node: an input that starts with "{" and does not end with ";" is an object literal when it
 * compiles as one ("{a: 1}" prints { a: 1 }, not 1); else it is a block. */
static bool object_literal(vh_engine engine, const char *src, size_t n, shell_buf *out) {
  size_t start = strspn(src, " \t\r\n"), end = n;
  while (end > start && strchr(" \t\r\n", src[end - 1])) end--;
  if (start >= end || src[start] != '{' || src[end - 1] == ';') return false;
  shell_buf_add(out, "(", 1);
  shell_buf_add(out, src + start, end - start);
  shell_buf_add(out, "\n)", 2);
  uint8_t *cache = NULL;
  size_t cache_length = 0;
  int rc = vh_code_cache_create(engine, out->data, out->length, "<stdin>", &cache, &cache_length);
  vh_free(cache);
  if (rc == VH_OK) return true;
  vh_exception_discard(engine);
  shell_buf_free(out);
  return false;
}

/* Runs one complete input, or says that it needs more lines. */
static input_state run_input(const char *src, size_t n) {
  vh_engine engine = g_realm->engine;
  vh_scope scope;
  vh_value value;
  input_state result = INPUT_DONE;
  shell_buf literal = {0};
  if (vh_scope_open(engine, &scope) != VH_OK) return INPUT_DONE;
  /* An await at the top level (as node reads it: `await (f())` and `await [x]` too, which a
   * script would read as calls of a variable named await) runs in an async function. */
  if (mentions_await(src, n) && awaits_at_top_level(engine, src, n) && run_with_await(engine, src, n)) {
    run_loop_now();
    vh_scope_close(scope);
    return INPUT_DONE;
  }
  bool as_literal = object_literal(engine, src, n, &literal);
  atomic_store(&running, 1);
  int rc = as_literal ? vh_eval(engine, literal.data, literal.length, "<stdin>", &value)
                      : vh_eval(engine, src, n, "<stdin>", &value);
  atomic_store(&running, 0);
  shell_buf_free(&literal);
  if (rc == VH_OK) {
    print_value(value);
  } else if (rc == VH_EEXCEPTION) {
    vh_exception ex;
    if (vh_exception_take(engine, &ex) == VH_OK) {
      const char *m = ex.message;
      if (incomplete_message(m) || (strstr(m, "SyntaxError") && mentions_await(src, n) &&
                                    await_incomplete(engine, src, n)))
        result = INPUT_MORE;
      /* A SyntaxError in an input that uses await ("await is only valid in async functions",
       * or another one an await caused) is retried inside an async function; when that does
       * not compile either, the first error is the one reported. */
      else if (!(strstr(m, "SyntaxError") && mentions_await(src, n) && run_with_await(engine, src, n)))
        shell_report(g_srt, engine, &ex, NULL);
      vh_exception_free(&ex);
    }
  } else if (rc != VH_ETERMINATED) {
    fprintf(stderr, "v8host-shell: %s\n", vh_err_name(rc));
  }
  if (result == INPUT_DONE) {
    atomic_store(&running, 1);
    vh_runtime_run(g_srt->runtime, VH_RUN_MODE_NOWAIT, NULL);  /* promise reactions, due timers */
    atomic_store(&running, 0);
    settle_interrupt(engine);
  }
  vh_scope_close(scope);
  return result;
}

/* ---- line editing -------------------------------------------------------------------------- */

/* Runs the runtime's loop once without waiting, as Ctrl-C-interruptible script. */
static void run_loop_now(void) {
  vh_engine engine = g_realm->engine;
  vh_scope scope;
  if (vh_scope_open(engine, &scope) != VH_OK) return;
  atomic_store(&running, 1);
  vh_runtime_run(g_srt->runtime, VH_RUN_MODE_NOWAIT, NULL);
  atomic_store(&running, 0);
  settle_interrupt(engine);
  vh_scope_close(scope);
}

/* Waits until stdin has input (1) or a Ctrl-C came (0); -1 on an error. Meanwhile the runtime's
 * loop runs too (timers fire, as at node's prompt): the loop's own file descriptor and next
 * timeout join the poll, and idle() is called before each turn of the loop and again after. */
static int wait_for_input(void (*idle)(bool before)) {
  uv_loop_t *loop = NULL;
  vh_runtime_loop(g_srt->runtime, &loop);
  for (;;) {
    bool alive = loop && uv_loop_alive(loop);
    struct pollfd p[3] = {{STDIN_FILENO, POLLIN, 0}, {sig_pipe[0], POLLIN, 0},
                          {alive ? uv_backend_fd(loop) : -1, POLLIN, 0}};
    int n = poll(p, 3, alive ? uv_backend_timeout(loop) : -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (p[1].revents & POLLIN) {
      take_prompt_sigint();
      return 0;
    }
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) return 1;
    if (alive) {
      idle(true);
      run_loop_now();
      idle(false);
    }
  }
}

#ifdef VH_SHELL_LIBEDIT
static bool got_sigint, typed;  /* typed: a character other than a control key was read */

/* libedit reads through here: a Ctrl-C at the prompt ends the read as end of input would, and
 * got_sigint tells the two apart. */
/* Script output while a line is being edited: the line is erased before, and drawn again after. */
static void edit_idle(bool before) {
  if (before) {
    fputs("\r\x1b[K", stdout);
    fflush(stdout);
  } else {
    rl_forced_update_display();
  }
}

static int repl_getc(FILE *f) {
  (void)f;
  for (;;) {
    int ready = wait_for_input(edit_idle);
    if (ready < 0) return EOF;
    if (ready == 0) {
      got_sigint = true;
      return EOF;
    }
    unsigned char c;
    ssize_t r = read(STDIN_FILENO, &c, 1);
    if (r == 1) {
      if (c >= 0x20 && c != 0x7f) typed = true;
      return c;
    }
    if (r < 0 && errno == EINTR) continue;
    return EOF;
  }
}

/* ---- completion ---- */

static char *completions;       /* names, one per line, from shell_complete */
static const char *next_completion;
static char completion_base[256];  /* "Math." for "Math.ma" */

static char *completion_generator(const char *text, int state) {
  (void)text;
  if (state == 0) next_completion = completions;
  if (!next_completion || !*next_completion) return NULL;
  size_t n = strcspn(next_completion, "\n");
  size_t base = strlen(completion_base);
  char *match = malloc(base + n + 1);
  if (!match) return NULL;
  memcpy(match, completion_base, base);
  memcpy(match + base, next_completion, n);
  match[base + n] = '\0';
  next_completion += n + (next_completion[n] == '\n');
  return match;
}

/* text is the word before the cursor: "Math.ma" completes among Math's properties, "pri" among
 * the global object's. The part before the last dot must be a chain of identifiers: it is
 * evaluated (a getter on the way may run), anything else completes nothing. */
static char **repl_completion(const char *text, int start, int end) {
  (void)start, (void)end;
  rl_attempted_completion_over = 1;  /* never file names */
  const char *dot = strrchr(text, '.');
  size_t base_length = dot ? (size_t)(dot - text) : 0;
  if (base_length + 2 > sizeof completion_base) return NULL;
  for (size_t i = 0; i < base_length; i++)
    if (!is_ident_char(text[i]) && !(text[i] == '.' && i > 0 && text[i - 1] != '.')) return NULL;
  if (dot && base_length == 0) return NULL;
  memcpy(completion_base, text, dot ? base_length + 1 : 0);
  completion_base[dot ? base_length + 1 : 0] = '\0';
  vh_engine engine = g_realm->engine;
  vh_scope scope;
  vh_value object;
  char **matches = NULL;
  if (vh_scope_open(engine, &scope) != VH_OK) return NULL;
  atomic_store(&running, 1);  /* a getter that never returns: Ctrl-C stops it */
  int rc = dot ? vh_eval(engine, text, base_length, "<completion>", &object) : vh_engine_global(engine, &object);
  if (rc == VH_OK) completions = shell_complete(g_realm, object, dot ? dot + 1 : text);
  atomic_store(&running, 0);
  if (!consume_interrupt(engine) && completions && *completions)
    matches = rl_completion_matches(text, completion_generator);
  vh_free(completions);
  completions = NULL;
  vh_exception_discard(engine);
  vh_scope_close(scope);
  return matches;
}

static char *history_path;

static void editing_start(void) {
  const char *env = getenv("V8HOST_HISTORY"), *home = getenv("HOME");
  shell_buf path = {0};
  if (env) shell_buf_puts(&path, env);
  else if (home && *home) shell_buf_printf(&path, "%s/.v8host_history", home);
  history_path = path.data && *path.data ? path.data : NULL;
  if (!history_path) shell_buf_free(&path);
  rl_readline_name = "v8host-shell";
  rl_catch_signals = 0;  /* SIGINT is ours (on_sigint); libedit must not re-raise it */
  rl_getc_function = repl_getc;
  rl_attempted_completion_function = repl_completion;
  rl_completer_word_break_characters = (char *)" \t\n\"\\'`@><=;|&{(+-*/%!~^?:,[]";
  rl_completion_append_character = '\0';
  rl_initialize();
  using_history();
  stifle_history(1000);
  if (history_path) read_history(history_path);
}

static void editing_stop(void) {
  free(history_path);
  history_path = NULL;
}

/* One line from the terminal, without its newline (free with free()); NULL at end of input or
 * on Ctrl-C (*sigint set). */
static char *read_line(const char *prompt, bool *sigint, bool *had_text) {
  got_sigint = typed = false;
  /* libedit's readline() writes the prompt before it takes the terminal out of line mode:
   * keys typed in between would be read as a cooked line (a Ctrl-D lost). Leaving line mode
   * first closes that gap; the terminal is given back as it was once the line is read, so
   * scripts run with echo and Ctrl-C as usual. */
  struct termios saved, raw;
  bool restore = tcgetattr(STDIN_FILENO, &saved) == 0;
  if (restore) {
    raw = saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSADRAIN, &raw);
  }
  char *line = readline(prompt);
  if (restore) tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
  *sigint = got_sigint;
  if (*sigint) {
    /* libedit keeps the line it was editing to itself: whether anything was typed stands for
     * whether the line was empty (typed and then erased counts as typed). */
    *had_text = typed || (line && *line);
    free(line);
    fputc('\n', stdout);  /* the interrupted line stays on screen; the next prompt starts below */
    fflush(stdout);
    return NULL;
  }
  if (line && *line) {
    add_history(line);
    if (history_path) write_history(history_path);  /* every line: a killed shell keeps it too */
  }
  return line;
}
#else
static void editing_start(void) {}
static void editing_stop(void) {}

static const char *plain_prompt;

/* Script output while the prompt waits: on a line of its own, then the prompt again. */
static void plain_idle(bool before) {
  fputs(before ? "\n" : plain_prompt, stdout);
  fflush(stdout);
}

static char *read_line(const char *prompt, bool *sigint, bool *had_text) {
  char *line = NULL;
  size_t capacity = 0;
  plain_prompt = prompt;
  fputs(prompt, stdout);
  fflush(stdout);
  /* In line mode stdin turns readable once a whole line was typed. */
  int ready = wait_for_input(plain_idle);
  ssize_t n = ready == 1 ? getline(&line, &capacity, stdin) : -1;
  *sigint = ready == 0 || take_prompt_sigint();
  *had_text = n > 0 && line[0] != '\n';
  if (n < 0 || *sigint) {
    clearerr(stdin);
    if (*sigint) fputc('\n', stdout);
    free(line);
    return NULL;
  }
  if (n > 0 && line[n - 1] == '\n') line[n - 1] = '\0';
  return line;
}
#endif

/* A line from a pipe or file (no prompt, no editing); NULL at the end. */
static char *read_plain_line(void) {
  char *line = NULL;
  size_t capacity = 0;
  ssize_t n = getline(&line, &capacity, stdin);
  if (n < 0) {
    free(line);
    return NULL;
  }
  if (n > 0 && line[n - 1] == '\n') line[--n] = '\0';
  if (n > 0 && line[n - 1] == '\r') line[--n] = '\0';
  return line;
}

/* ---- the loop ------------------------------------------------------------------------------ */

int shell_repl(shell_runtime *srt, shell_realm *realm) {
  const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
  g_srt = srt;
  g_realm = realm;
  g_tty = isatty(STDIN_FILENO);
  g_colors = isatty(STDOUT_FILENO) && !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0);
  srt->interactive = true;
  if (g_tty) {
    if (start_interrupts() != VH_OK) {
      fputs("v8host-shell: cannot set up Ctrl-C handling\n", stderr);
      return 1;
    }
    editing_start();
  }
  shell_buf input = {0};
  bool warned_exit = false;
  for (;;) {
    bool sigint = false, had_text = false;
    char *line = g_tty ? read_line(input.length ? "... " : "> ", &sigint, &had_text) : read_plain_line();
    if (sigint) {
      /* As node: a Ctrl-C drops what is being typed; at an empty prompt it warns, then exits. */
      if (input.length == 0 && !had_text && warned_exit) break;
      warned_exit = false;
      if (input.length == 0 && !had_text) {
        fputs("(To exit, press Ctrl+C again or Ctrl+D or type .exit)\n", stdout);
        fflush(stdout);
        warned_exit = true;
      }
      input.length = 0;
      continue;
    }
    warned_exit = false;
    if (!line) break;
    if (input.length == 0 && strcmp(line, ".exit") == 0) {
      free(line);
      break;
    }
    if (strcmp(line, ".break") == 0 || (input.length == 0 && strcmp(line, ".help") == 0)) {
      if (line[1] == 'h')
        fputs(".break  drop the input being continued (as Ctrl-C)\n.exit   leave (as Ctrl-D)\n"
              ".help   this list\nKeys: Tab completes; Up and Down walk the history; Ctrl-C stops "
              "a running script\n", stdout);
      fflush(stdout);
      input.length = 0;
      free(line);
      continue;
    }
    if (input.length) shell_buf_add(&input, "\n", 1);
    shell_buf_puts(&input, line);
    free(line);
    if (strspn(input.data, " \t\r\n") == input.length) {
      input.length = 0;
      continue;
    }
    if (run_input(input.data, input.length) == INPUT_DONE) input.length = 0;
  }
  if (g_tty) fputc('\n', stdout);
  fflush(stdout);
  shell_buf_free(&input);
  /* Piped input: what is still pending runs to its end, as after a script. At a terminal the
   * person asked to leave: the shell exits now, as node's prompt does. */
  if (!g_tty) vh_runtime_run(srt->runtime, VH_RUN_MODE_DEFAULT, NULL);
  if (g_tty) {
    editing_stop();
    stop_interrupts();
  }
  return 0;
}
