/* shell.c — v8host-shell: runs scripts and modules in one engine, with print and test262's $262.
 *
 *   v8host-shell [OPTION | FILE]... [--args ARG...]   run them in order, in one engine
 *   v8host-shell                                      an interactive prompt (shell_repl.c)
 *
 * The options are one table, `options` below: each row is a spelling, its argument, the
 * function that applies it and its help line (the usage text is made from the rows). A new
 * option is a new row and, when it runs something, a new action kind.
 *
 * A FILE ending in .mjs, or a .js file whose top level has import/export (it fails to compile as
 * a script with V8's "Cannot use import statement outside a module" / "Unexpected token
 * 'export'"), runs as a module, as --module FILE would.
 *
 * Then the runtime's loop runs until nothing is pending (promises, timers), and the shell waits
 * for every agent to finish. Exit status: 0 success; 1 an uncaught exception, or an unhandled
 * rejection under --unhandled-rejections=strict (the default), also in an agent; 2 a usage
 * error (an unknown option, a missing argument, a file that cannot be read); 3 a script or
 * module that fails to parse (a SyntaxError); 4 a module whose imports cannot be resolved,
 * loaded or linked.
 *
 * An uncaught exception is reported on stderr as
 *   Uncaught <constructor name>: <message>      (an Error; "Uncaught (<typeof>) <String(value)>"
 *                                                otherwise, e.g. "Uncaught (number) 1")
 *     <file>:<line>:<column>                    (where it was thrown)
 *       at ...                                  (the stack's frames, when it has any)
 * and an unhandled rejection the same way with "Unhandled rejection: " for "Uncaught ". */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "shell.h"

enum { STATUS_OK = 0, STATUS_UNCAUGHT = 1, STATUS_USAGE = 2, STATUS_EARLY = 3, STATUS_RESOLUTION = 4 };

typedef enum { ACTION_SCRIPT, ACTION_MODULE, ACTION_EVAL } action_kind;

typedef struct action {
  action_kind kind;
  const char *arg;     /* the file, or the code of -e */
  char *source;        /* the file's text */
  size_t length;
} action;

static shell_runtime main_srt;

/* ---- uncaught exceptions of the main runtime's loop ---------------------------------------- */

static void main_error_handler(vh_engine engine, vh_error_event event, const vh_exception *error,
                               void *data) {
  shell_runtime *srt = data;
  uv_loop_t *loop;
  bool rejection = event == VH_ERROR_EVENT_UNHANDLED_REJECTION;
  /* A rejection nobody handled is not an exception someone threw: a runner tells them apart. */
  shell_report_as(srt, engine, error, rejection ? "Unhandled rejection: " : "Uncaught ", NULL);
  if (srt->interactive || (rejection && srt->rejections_warn)) return;
  srt->failed = true;
  if (vh_runtime_loop(srt->runtime, &loop) == VH_OK) uv_stop(loop);  /* the shell exits with 1 */
}

/* ---- modules ------------------------------------------------------------------------------- */

static int on_module_start(vh_engine engine, vh_synthetic_module module, void *data) {
  shell_runtime *srt = data;
  vh_value yes;
  srt->module_started = true;
  int rc = vh_new_bool(engine, true, &yes);
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
  char user_path[4096];
  snprintf(user_path, sizeof user_path, "%s", real);
  free(real);
  srt->module_started = false;
  srt->load_error[0] = '\0';
  rc = vh_module_eval(engine, entry.data, entry.length, entry_name, NULL);
  shell_buf_free(&entry);
  if (rc == VH_OK) return STATUS_OK;
  bool early = !srt->module_started;
  int status = early ? STATUS_EARLY : STATUS_UNCAUGHT;
  if (rc == VH_EEXCEPTION) {
    vh_exception ex;
    char note[700];
    note[0] = '\0';
    if (vh_exception_take(engine, &ex) != VH_OK) return status;
    /* Before evaluation: a module that did not parse (3), or an import that could not be
     * resolved, loaded or linked (4). V8 reports the latter as SyntaxErrors too, so its
     * messages are told apart by their words. */
    if (early && (srt->load_error[0] || strstr(ex.message, "The requested module") ||
                  strstr(ex.message, "Detected cycle while resolving") ||
                  strstr(ex.message, "conflicting star exports")))
      status = STATUS_RESOLUTION;
    if (status == STATUS_RESOLUTION && srt->load_error[0])
      snprintf(note, sizeof note, "  (%s)\n  phase: resolution", srt->load_error);
    else if (early)
      snprintf(note, sizeof note, "  phase: %s", status == STATUS_RESOLUTION ? "resolution" : "parse");
    /* A value thrown without a location (a top-level await's rejection with a non-Error, say)
     * is placed in the user's file, never in the shell's entry module. */
    vh_exception shown = ex;
    if (!shown.resource_name || strncmp(shown.resource_name, "v8host-shell:", 13) == 0) {
      shown.resource_name = user_path;
      shown.line = shown.column = 0;
    }
    shell_report(srt, engine, &shown, note[0] ? note : NULL);
    vh_exception_free(&ex);
  } else {
    fprintf(stderr, "v8host-shell: cannot run module %s: %s\n", path, vh_err_name(rc));
  }
  return status;
}

/* Whether a classic script's source is a module by its looks: it does not compile as a script
 * because of a top-level import or export (node decides by the extension; this also catches
 * a module saved as .js). */
static bool looks_like_module(vh_engine engine, const char *source, size_t length) {
  uint8_t *cache = NULL;
  size_t cache_length = 0;
  vh_exception ex;
  bool module = false;
  int rc = vh_code_cache_create(engine, source, length, "<probe>", &cache, &cache_length);
  vh_free(cache);
  if (rc == VH_EEXCEPTION && vh_exception_take(engine, &ex) == VH_OK) {
    module = strstr(ex.message, "Cannot use import statement outside a module") ||
             strstr(ex.message, "Unexpected token 'export'") ||
             strstr(ex.message, "Cannot use 'import.meta' outside a module");
    vh_exception_free(&ex);
  }
  return module;
}

static bool ends_with(const char *text, const char *suffix) {
  size_t n = strlen(text), m = strlen(suffix);
  return n >= m && strcmp(text + n - m, suffix) == 0;
}

/* ---- the command line ------------------------------------------------------------------- */

/* What the command line asks for: the actions in order, and the settings. */
typedef struct config {
  action *actions;
  int count;
  bool files_only;        /* after "--": every argument is a file */
  bool rejections_warn;   /* --unhandled-rejections=warn */
  char **script_args;     /* after --args */
  int script_argc;
  const char *snapshot_blob;   /* --snapshot-blob */
  const char *build_snapshot;  /* --build-snapshot */
} config;

/* One option. An option with an argument takes it from the next argv element, or after '='
 * when its name ends in '=' ("--unhandled-rejections=warn"). apply returns -1 to go on, or the
 * exit status to stop with (a usage error, or 0 after --help). `rest` and `rest_count` are the
 * arguments after this one, for an option that takes them all (--args); it sets *used. */
typedef struct option_row {
  const char *name, *alias;
  const char *arg;         /* the argument's name in the usage, NULL when it takes none */
  int (*apply)(config *c, const char *value, char **rest, int rest_count, int *used);
  const char *help;
} option_row;

static int opt_eval(config *c, const char *value, char **rest, int rest_count, int *used);
static int opt_module(config *c, const char *value, char **rest, int rest_count, int *used);
static int opt_rejections(config *c, const char *value, char **rest, int rest_count, int *used);
static int opt_args(config *c, const char *value, char **rest, int rest_count, int *used);
static int opt_files_only(config *c, const char *value, char **rest, int rest_count, int *used);
static int opt_help(config *c, const char *value, char **rest, int rest_count, int *used);
static int opt_snapshot_blob(config *c, const char *value, char **rest, int rest_count, int *used);
static int opt_build_snapshot(config *c, const char *value, char **rest, int rest_count, int *used);

/* Every option of the shell, in the order the usage lists them. */
static const option_row options[] = {
    {"-e", "--eval", "CODE", opt_eval, "run CODE as a classic script"},
    {"--module", "-m", "FILE", opt_module, "run FILE as an ES module (as FILE does for .mjs)"},
    {"--unhandled-rejections=", NULL, "strict|warn", opt_rejections,
     "strict (default): an unhandled rejection fails the run (status 1); warn: it is only reported"},
    {"--args", NULL, "ARG...", opt_args,
     "the rest are the script's arguments: scriptArgs = [FILE, ARG...], arguments = [ARG...]"},
    {"--snapshot-blob", NULL, "FILE", opt_snapshot_blob,
     "start from the startup snapshot in FILE (with --build-snapshot: write it)"},
    {"--build-snapshot", NULL, "SCRIPT", opt_build_snapshot,
     "run SCRIPT and write the heap to the --snapshot-blob FILE, then exit"},
    {"--", NULL, NULL, opt_files_only, "every later argument is a FILE"},
    {"-h", "--help", NULL, opt_help, "show this help"},
};

static void print_usage(FILE *f) {
  fputs("usage: v8host-shell [OPTION | FILE]... [--args ARG...]\n"
        "  FILE                          run a classic script (.mjs, or import/export: a module)\n"
        "  --inspect[=[HOST:]PORT]       serve DevTools/VS Code on 127.0.0.1:9229 (docs/debugging.md)\n"
        "  --inspect-brk[=[HOST:]PORT]   the same, and wait for the debugger, paused on the first line\n"
        "  --cpu-prof FILE               write a CPU profile of the run to FILE (.cpuprofile JSON)\n"
        "  --heap-snapshot FILE          write a heap snapshot taken at the end to FILE (.heapsnapshot)\n", f);
  for (size_t i = 0; i < sizeof options / sizeof *options; i++) {
    const option_row *o = &options[i];
    char head[64];
    size_t n = strlen(o->name);
    bool inline_value = n > 0 && o->name[n - 1] == '=';
    snprintf(head, sizeof head, "%s%s%s%s%s", o->name, o->alias ? ", " : "", o->alias ? o->alias : "",
             o->arg && !inline_value ? " " : "", o->arg ? o->arg : "");
    if (strlen(head) < 30) fprintf(f, "  %-30s%s\n", head, o->help);
    else fprintf(f, "  %s\n  %-30s%s\n", head, "", o->help);
  }
  fputs("All run in order in one engine; without any, an interactive prompt reads stdin.\n"
        "Exit status: 0 ok, 1 uncaught exception (or unhandled rejection when strict), 2 usage\n"
        "error, 3 parse error, 4 an import that cannot be resolved or linked.\n", f);
}

static int usage(const char *problem, const char *arg) {
  fprintf(stderr, "v8host-shell: %s%s%s\n", problem, arg ? ": " : "", arg ? arg : "");
  print_usage(stderr);
  return STATUS_USAGE;
}

static action *add_action(config *c, action_kind kind, const char *arg) {
  action *a = &c->actions[c->count++];
  memset(a, 0, sizeof *a);
  a->kind = kind;
  a->arg = arg;
  return a;
}

static int opt_eval(config *c, const char *value, char **rest, int rest_count, int *used) {
  (void)rest, (void)rest_count, (void)used;
  add_action(c, ACTION_EVAL, value);
  return -1;
}
static int opt_module(config *c, const char *value, char **rest, int rest_count, int *used) {
  (void)rest, (void)rest_count, (void)used;
  add_action(c, ACTION_MODULE, value);
  return -1;
}
static int opt_rejections(config *c, const char *value, char **rest, int rest_count, int *used) {
  (void)rest, (void)rest_count, (void)used;
  if (strcmp(value, "strict") == 0) c->rejections_warn = false;
  else if (strcmp(value, "warn") == 0) c->rejections_warn = true;
  else return usage("--unhandled-rejections takes strict or warn, not", value);
  return -1;
}
static int opt_args(config *c, const char *value, char **rest, int rest_count, int *used) {
  (void)value;
  c->script_args = rest;
  c->script_argc = rest_count;
  *used = rest_count;
  return -1;
}
static int opt_files_only(config *c, const char *value, char **rest, int rest_count, int *used) {
  (void)value, (void)rest, (void)rest_count, (void)used;
  c->files_only = true;
  return -1;
}
static int opt_snapshot_blob(config *c, const char *value, char **rest, int rest_count, int *used) {
  (void)rest, (void)rest_count, (void)used;
  c->snapshot_blob = value;
  return -1;
}
static int opt_build_snapshot(config *c, const char *value, char **rest, int rest_count, int *used) {
  (void)rest, (void)rest_count, (void)used;
  c->build_snapshot = value;
  return -1;
}
static int opt_help(config *c, const char *value, char **rest, int rest_count, int *used) {
  (void)c, (void)value, (void)rest, (void)rest_count, (void)used;
  print_usage(stdout);
  return STATUS_OK;
}

/* Parses argv into c; returns -1 on success, or the exit status. */
static int parse(int argc, char **argv, config *c) {
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (c->files_only || arg[0] != '-' || strcmp(arg, "-") == 0) {
      add_action(c, ends_with(arg, ".mjs") ? ACTION_MODULE : ACTION_SCRIPT, arg);
      continue;
    }
    /* --inspect[=[HOST:]PORT] and --inspect-brk[=...]: an optional value, parsed by
     * shell_inspect.c (docs/debugging.md). */
    int inspect = shell_inspect_option(arg);
    if (inspect < 0) return usage("malformed option", arg);
    if (inspect > 0) continue;
    /* --cpu-prof FILE, --heap-snapshot FILE: shell_prof.c (docs/diagnostics.md). */
    int prof = shell_prof_option(argc, argv, &i);
    if (prof < 0) return usage("missing argument after", arg);
    if (prof > 0) continue;
    const option_row *o = NULL;
    const char *value = NULL;
    for (size_t k = 0; !o && k < sizeof options / sizeof *options; k++) {
      size_t n = strlen(options[k].name);
      if (n > 0 && options[k].name[n - 1] == '=') {
        if (strncmp(arg, options[k].name, n) == 0) o = &options[k], value = arg + n;
        else if (strncmp(arg, options[k].name, n - 1) == 0 && arg[n - 1] == '\0')
          return usage("missing '=VALUE' after", arg);
      } else if (strcmp(arg, options[k].name) == 0 ||
                 (options[k].alias && strcmp(arg, options[k].alias) == 0)) {
        o = &options[k];
      }
    }
    if (!o) return usage("unknown option", arg);
    if (o->arg && !value && strcmp(o->name, "--args") != 0) {
      if (i + 1 >= argc) return usage("missing argument after", arg);
      value = argv[++i];
    }
    int used = 0;
    int status = o->apply(c, value, argv + i + 1, argc - i - 1, &used);
    if (status >= 0) return status;
    i += used;
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
    if (a->kind == ACTION_SCRIPT && looks_like_module(engine, a->source, a->length))
      a->kind = ACTION_MODULE;
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

static void free_actions(config *c) {
  for (int i = 0; i < c->count; i++) free(c->actions[i].source);
  free(c->actions);
}

int main(int argc, char **argv) {
  config c = {0};
  int status;
  shell_realm *realm;
  c.actions = calloc((size_t)argc + 1, sizeof *c.actions);
  if (!c.actions) return STATUS_UNCAUGHT;
  if ((status = parse(argc, argv, &c)) >= 0 || (status = read_files(c.actions, c.count)) >= 0) {
    free_actions(&c);
    return status;
  }
  if (c.build_snapshot) {
    status = c.snapshot_blob ? shell_snapshot_build(c.snapshot_blob, c.build_snapshot)
                             : usage("--build-snapshot needs", "--snapshot-blob FILE");
    free_actions(&c);
    return status;
  }
  main_srt.rejections_warn = c.rejections_warn;
  main_srt.script_args = c.script_args;
  main_srt.script_argc = c.script_argc;
  for (int i = 0; i < c.count && !main_srt.script_name; i++)
    if (c.actions[i].kind != ACTION_EVAL) main_srt.script_name = c.actions[i].arg;
  shell_agents_init(c.rejections_warn);
  int rc = c.snapshot_blob ? shell_snapshot_runtime(c.snapshot_blob, &main_srt.runtime)
                           : vh_runtime_new(NULL, &main_srt.runtime);
  if (rc == VH_OK) rc = vh_runtime_set_error_handler(main_srt.runtime, main_error_handler, &main_srt);
  if (rc == VH_OK) rc = vh_runtime_set_module_loader(main_srt.runtime, shell_module_loader, &main_srt);
  if (rc == VH_OK) rc = shell_realm_new(&main_srt, &realm);
  if (rc == VH_OK) rc = shell_inspect_start(realm->engine);
  if (rc == VH_OK) rc = shell_prof_start(main_srt.runtime);
  if (rc != VH_OK) {
    fprintf(stderr, "v8host-shell: cannot set up the engine: %s\n", vh_err_name(rc));
    return STATUS_UNCAUGHT;
  }

  if (c.count == 0) {
    status = shell_repl(&main_srt, realm);
  } else {
    status = shell_inspect_before_run(realm->engine) == VH_OK
                 ? run_actions(&main_srt, realm->engine, c.actions, c.count)
                 : STATUS_UNCAUGHT;
    if (status == STATUS_OK) {
      /* Promises and timers run to completion; an uncaught exception stops the loop. */
      rc = vh_runtime_run(main_srt.runtime, VH_RUN_MODE_DEFAULT, NULL);
      if (rc != VH_OK) fprintf(stderr, "v8host-shell: vh_runtime_run: %s\n", vh_err_name(rc));
      if (main_srt.failed) status = STATUS_UNCAUGHT;
    }
  }
  free_actions(&c);

  if (status != STATUS_OK && shell_agents_running()) {
    /* Agents may wait for the main thread forever: leave without them. */
    fflush(stdout);
    fflush(stderr);
    _exit(status);
  }
  shell_agents_join();  /* the shell exits only when its agents are done */
  if (status == STATUS_OK && shell_agents_failed()) status = STATUS_UNCAUGHT;
  shell_inspect_stop();
  if (!shell_prof_finish(main_srt.runtime) && status == STATUS_OK) status = STATUS_UNCAUGHT;
  rc = vh_runtime_dispose(main_srt.runtime);
  if (rc != VH_OK) fprintf(stderr, "v8host-shell: vh_runtime_dispose: %s\n", vh_err_name(rc));
  shell_realms_free(&main_srt);
  return status;
}
