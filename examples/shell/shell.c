/* shell.c — v8host-shell: runs scripts and modules in one engine, with print and test262's $262.
 *
 *   v8host-shell [FILE | --module FILE | -e CODE]...     run them in order, in one engine
 *   v8host-shell                                         an interactive prompt on stdin
 *
 * Then the runtime's loop runs until nothing is pending (promises, timers), and the shell waits
 * for every agent to finish. Exit status: 0 success; 1 an uncaught exception or unhandled
 * rejection (also in an agent); 2 a usage error (an unknown option, a missing argument, a file
 * that cannot be read); 3 a script or module that fails before running (a SyntaxError, an import
 * that cannot be resolved or linked).
 *
 * An uncaught exception is reported on stderr as
 *   Uncaught <constructor name>: <message>      (an Error; "Uncaught <String(value)>" otherwise)
 *     <file>:<line>:<column>                    (where it was thrown)
 *       at ...                                  (the stack's frames, when it has any)
 *
 * The prompt reads stdin line by line; each line is a script run in the same engine (so state is
 * kept), and its completion value is printed: a primitive as String(value), a function as
 * [Function: name], an Error as String(error), another object as JSON when it has a JSON form
 * (else String(value)). Errors are reported and the prompt goes on; at the end of input the loop
 * runs until idle and the status is 0. "> " is printed only when stdin is a terminal. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "shell.h"

enum { STATUS_OK = 0, STATUS_UNCAUGHT = 1, STATUS_USAGE = 2, STATUS_EARLY = 3 };

typedef enum { ACTION_SCRIPT, ACTION_MODULE, ACTION_EVAL } action_kind;

typedef struct action {
  action_kind kind;
  const char *arg;     /* the file, or the code of -e */
  char *source;        /* the file's text */
  size_t length;
} action;

static const char usage_text[] =
    "usage: v8host-shell [FILE | --module FILE | -e CODE]... [-- FILE...]\n"
    "  FILE           run a classic script\n"
    "  --module FILE  run an ES module (relative imports resolve from its folder)\n"
    "  -e CODE        run CODE as a classic script\n"
    "  --cpu-prof F   write a CPU profile of the run to F (.cpuprofile JSON)\n"
    "  --heap-snapshot F  write a heap snapshot taken at the end to F (.heapsnapshot JSON)\n"
    "  -h, --help     show this help\n"
    "All run in order in one engine; without any, an interactive prompt reads stdin.\n"
    "Exit status: 0 ok, 1 uncaught exception, 2 usage error, 3 failed before running.\n";

static shell_runtime main_srt;

/* ---- uncaught exceptions of the main runtime's loop ---------------------------------------- */

static void main_error_handler(vh_engine engine, vh_error_event event, const vh_exception *error,
                               void *data) {
  shell_runtime *srt = data;
  uv_loop_t *loop;
  (void)event;
  shell_report(srt, engine, error, NULL);
  if (srt->interactive) return;
  srt->failed = true;
  if (vh_runtime_loop(srt->runtime, &loop) == VH_OK) uv_stop(loop);  /* the shell exits with 1 */
}

/* ---- modules ------------------------------------------------------------------------------- */

static int on_module_start(vh_engine engine, vh_value module, void *data) {
  shell_runtime *srt = data;
  vh_value yes;
  srt->module_started = true;
  int rc = vh_bool(engine, true, &yes);
  return rc == VH_OK ? vh_module_set_export(engine, module, "started", yes) : rc;
}

static void add_js_string(shell_buf *b, const char *text) {
  shell_buf_add(b, "\"", 1);
  for (const char *p = text; *p; p++) {
    if (*p == '"' || *p == '\\') shell_buf_add(b, "\\", 1);
    if (*p == '\n') shell_buf_puts(b, "\\n");
    else if (*p == '\r') shell_buf_puts(b, "\\r");
    else shell_buf_add(b, p, 1);
  }
  shell_buf_add(b, "\"", 1);
}

/* Runs the module in path. The module is imported by an entry module whose first import is a
 * synthetic module: its evaluation marks the start of evaluation, so what fails before it (a
 * SyntaxError anywhere in the graph, an import that cannot be resolved or linked) is told from
 * what fails while running. The file itself is loaded unchanged, through the loader. */
static int run_module(shell_runtime *srt, vh_engine engine, const char *path, int serial) {
  char start_name[64], entry_name[64];
  const char *exports[] = {"started"};
  shell_buf entry = {0};
  char *real = realpath(path, NULL);
  if (!real) {
    fprintf(stderr, "v8host-shell: cannot resolve %s: %s\n", path, strerror(errno));
    return STATUS_USAGE;
  }
  snprintf(start_name, sizeof start_name, "v8host-shell:start:%d", serial);
  snprintf(entry_name, sizeof entry_name, "v8host-shell:entry:%d", serial);
  int rc = vh_module_define_synthetic(engine, start_name, exports, 1, on_module_start, srt);
  if (rc != VH_OK) {
    fprintf(stderr, "v8host-shell: vh_module_define_synthetic: %s\n", vh_err_name(rc));
    free(real);
    return STATUS_EARLY;
  }
  shell_buf_printf(&entry, "import \"%s\";\nimport ", start_name);
  add_js_string(&entry, real);
  shell_buf_puts(&entry, ";\n");
  free(real);
  srt->module_started = false;
  srt->load_error[0] = '\0';
  rc = vh_module_eval(engine, entry.data, entry.length, entry_name, NULL);
  shell_buf_free(&entry);
  if (rc == VH_OK) return STATUS_OK;
  bool early = !srt->module_started;
  if (rc == VH_EEXCEPTION) {
    char note[600];
    snprintf(note, sizeof note, "  (%s)", srt->load_error);
    shell_report_pending(srt, engine, early && srt->load_error[0] ? note : NULL);
  } else {
    fprintf(stderr, "v8host-shell: cannot run module %s: %s\n", path, vh_err_name(rc));
  }
  return early ? STATUS_EARLY : STATUS_UNCAUGHT;
}

/* ---- the prompt ---------------------------------------------------------------------------- */

static const char formatter_source[] =
    "(function format(v) {\n"
    "  const toString = Object.prototype.toString;\n"
    "  if (typeof v === 'function') return '[Function' + (v.name ? ': ' + v.name : ' (anonymous)') + ']';\n"
    "  if (v === null || typeof v !== 'object') return String(v);\n"
    "  if (toString.call(v) === '[object Error]') return String(v);\n"
    "  try {\n"
    "    const json = JSON.stringify(v, (k, x) => typeof x === 'bigint' ? x + 'n' : x);\n"
    "    if (json !== undefined && (json !== '{}' || toString.call(v) === '[object Object]')) return json;\n"
    "  } catch (e) {}\n"
    "  try { return String(v); } catch (e) { return toString.call(v); }\n"
    "})";

static void print_result(shell_runtime *srt, vh_engine engine, vh_value formatter, vh_value value) {
  vh_value text;
  char *s;
  size_t n;
  if (vh_call(engine, formatter, (vh_value){0}, 1, &value, &text) == VH_OK &&
      vh_dup_string_utf8(text, &s, &n) == VH_OK) {
    fwrite(s, 1, n, stdout);
    fputc('\n', stdout);
    fflush(stdout);
    vh_free(s);
  } else {
    shell_report_pending(srt, engine, NULL);
  }
}

static int repl(shell_runtime *srt, vh_engine engine) {
  bool tty = isatty(STDIN_FILENO);
  char *line = NULL;
  size_t capacity = 0;
  ssize_t n;
  vh_ref formatter_ref;
  vh_scope scope;
  vh_value formatter;
  srt->interactive = true;
  int rc = vh_scope_open(engine, &scope);
  if (rc == VH_OK) rc = vh_eval(engine, formatter_source, VH_AUTO_LENGTH, "<format>", &formatter);
  if (rc == VH_OK) rc = vh_ref_new(formatter, 1, &formatter_ref);
  vh_scope_close(scope);
  if (rc != VH_OK) {
    fprintf(stderr, "v8host-shell: cannot set up the prompt: %s\n", vh_err_name(rc));
    return STATUS_UNCAUGHT;
  }
  for (;;) {
    if (tty) {
      fputs("> ", stdout);
      fflush(stdout);
    }
    if ((n = getline(&line, &capacity, stdin)) < 0) break;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    if (strspn(line, " \t") == (size_t)n) continue;
    vh_value value;
    if (vh_scope_open(engine, &scope) != VH_OK) break;
    rc = vh_eval(engine, line, (size_t)n, "<stdin>", &value);
    if (rc == VH_OK && vh_ref_get(formatter_ref, &formatter) == VH_OK)
      print_result(srt, engine, formatter, value);
    else if (rc == VH_EEXCEPTION)
      shell_report_pending(srt, engine, NULL);
    else if (rc != VH_OK)
      fprintf(stderr, "v8host-shell: %s\n", vh_err_name(rc));
    vh_scope_close(scope);
    vh_runtime_run(srt->runtime, VH_RUN_NOWAIT, NULL);  /* promise reactions, due timers */
  }
  if (tty) fputc('\n', stdout);
  free(line);
  vh_ref_delete(formatter_ref);
  vh_runtime_run(srt->runtime, VH_RUN_DEFAULT, NULL);
  return STATUS_OK;
}

/* ---- main ---------------------------------------------------------------------------------- */

static int usage(const char *problem, const char *arg) {
  fprintf(stderr, "v8host-shell: %s%s%s\n%s", problem, arg ? ": " : "", arg ? arg : "", usage_text);
  return STATUS_USAGE;
}

/* Parses argv into actions; returns -1 on success, or the exit status. */
static int parse(int argc, char **argv, action *actions, int *count) {
  bool files_only = false;
  int prof;
  *count = 0;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    action *a = &actions[*count];
    memset(a, 0, sizeof *a);
    if (files_only || arg[0] != '-' || strcmp(arg, "-") == 0) {
      a->kind = ACTION_SCRIPT;
      a->arg = arg;
    } else if (strcmp(arg, "--") == 0) {
      files_only = true;
      continue;
    } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
      fputs(usage_text, stdout);
      return STATUS_OK;
    } else if (strcmp(arg, "-e") == 0 || strcmp(arg, "--module") == 0) {
      if (i + 1 >= argc) return usage("missing argument after", arg);
      a->kind = arg[1] == 'e' ? ACTION_EVAL : ACTION_MODULE;
      a->arg = argv[++i];
    } else if ((prof = shell_prof_option(argc, argv, &i)) != 0) {
      if (prof < 0) return usage("missing argument after", arg);
      continue;
    } else {
      return usage("unknown option", arg);
    }
    (*count)++;
  }
  return -1;
}

/* Reads every file first: one that cannot be read is a usage error, before anything runs. */
static int read_files(action *actions, int count) {
  for (int i = 0; i < count; i++) {
    action *a = &actions[i];
    if (a->kind == ACTION_EVAL) continue;
    a->source = strcmp(a->arg, "-") == 0 ? NULL : shell_read_file(a->arg, &a->length);
    if (!a->source) {
      fprintf(stderr, "v8host-shell: cannot read %s: %s\n", a->arg,
              strcmp(a->arg, "-") == 0 ? "reading a script from stdin is not supported" : strerror(errno));
      return STATUS_USAGE;
    }
  }
  return -1;
}

static int run_actions(shell_runtime *srt, vh_engine engine, action *actions, int count) {
  int modules = 0;
  for (int i = 0; i < count; i++) {
    action *a = &actions[i];
    vh_scope scope;
    int status, rc = vh_scope_open(engine, &scope);
    if (rc != VH_OK) {
      fprintf(stderr, "v8host-shell: vh_scope_open: %s\n", vh_err_name(rc));
      return STATUS_UNCAUGHT;
    }
    if (a->kind == ACTION_SCRIPT)
      status = shell_run_script(srt, engine, a->source, a->length, a->arg);
    else if (a->kind == ACTION_EVAL)
      status = shell_run_script(srt, engine, a->arg, strlen(a->arg), "<eval>");
    else
      status = run_module(srt, engine, a->arg, ++modules);
    vh_scope_close(scope);
    if (status != STATUS_OK) return status;
    if (srt->failed) return STATUS_UNCAUGHT;  /* reported while a module drove the loop */
  }
  return STATUS_OK;
}

int main(int argc, char **argv) {
  action *actions = calloc((size_t)argc + 1, sizeof *actions);
  int count = 0, status;
  shell_realm *realm;
  if (!actions) return STATUS_UNCAUGHT;
  if ((status = parse(argc, argv, actions, &count)) >= 0 || (status = read_files(actions, count)) >= 0) {
    for (int i = 0; i < count; i++) free(actions[i].source);
    free(actions);
    return status;
  }
  shell_agents_init();
  int rc = vh_runtime_new(NULL, &main_srt.runtime);
  if (rc == VH_OK) rc = vh_runtime_set_error_handler(main_srt.runtime, main_error_handler, &main_srt);
  if (rc == VH_OK) rc = vh_runtime_set_module_loader(main_srt.runtime, shell_module_loader, &main_srt);
  if (rc == VH_OK) rc = shell_realm_new(&main_srt, &realm);
  if (rc == VH_OK) rc = shell_prof_start(main_srt.runtime);
  if (rc != VH_OK) {
    fprintf(stderr, "v8host-shell: cannot set up the engine: %s\n", vh_err_name(rc));
    return STATUS_UNCAUGHT;
  }

  if (count == 0) {
    status = repl(&main_srt, realm->engine);
  } else {
    status = run_actions(&main_srt, realm->engine, actions, count);
    if (status == STATUS_OK) {
      /* Promises and timers run to completion; an uncaught exception stops the loop. */
      rc = vh_runtime_run(main_srt.runtime, VH_RUN_DEFAULT, NULL);
      if (rc != VH_OK) fprintf(stderr, "v8host-shell: vh_runtime_run: %s\n", vh_err_name(rc));
      if (main_srt.failed) status = STATUS_UNCAUGHT;
    }
  }
  for (int i = 0; i < count; i++) free(actions[i].source);
  free(actions);

  if (status != STATUS_OK && shell_agents_running()) {
    /* Agents may wait for the main thread forever: leave without them. */
    fflush(stdout);
    fflush(stderr);
    _exit(status);
  }
  shell_agents_join();  /* the shell exits only when its agents are done */
  if (status == STATUS_OK && shell_agents_failed()) status = STATUS_UNCAUGHT;
  if (!shell_prof_finish(main_srt.runtime) && status == STATUS_OK) status = STATUS_UNCAUGHT;
  rc = vh_runtime_dispose(main_srt.runtime);
  if (rc != VH_OK) fprintf(stderr, "v8host-shell: vh_runtime_dispose: %s\n", vh_err_name(rc));
  shell_realms_free(&main_srt);
  return status;
}
