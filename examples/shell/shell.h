/* shell.h — the pieces of v8host-shell shared between its files.
 *
 *   shell.c        main: the option table, scripts, modules, -e, the exit status
 *   shell_repl.c   the interactive prompt: line editing, history, completion, Ctrl-C, await
 *   shell_hoist.c  the names a declaration binds, for an await at the prompt
 *   shell_realm.c  engines set up for the shell (print, $262), strings, error reports, the loader
 *   shell_host.c   read, readbuffer, load, scriptArgs, arguments; the value printer's setup
 *                  (inspect.js, embedded at build time)
 *   shell_262.c    $262, the host object of test262 (createRealm, evalScript, gc, ...)
 *   shell_agent.c  $262.agent: runtimes on threads of their own, broadcasts and reports
 *   shell_prof.c   --cpu-prof and --heap-snapshot
 *
 * Only the public v8host API is used, and libuv for threads, time and the loop's handles. */
#ifndef V8HOST_SHELL_H
#define V8HOST_SHELL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <v8host.h>

typedef struct shell_agent shell_agent;
typedef struct shell_realm shell_realm;

/* A growable byte buffer, always NUL-terminated once anything was added. */
typedef struct shell_buf {
  char *data;
  size_t length, capacity;
} shell_buf;

void shell_buf_add(shell_buf *b, const char *text, size_t length);
void shell_buf_puts(shell_buf *b, const char *text);
void shell_buf_printf(shell_buf *b, const char *format, ...);
void shell_buf_free(shell_buf *b);

/* What the shell keeps per runtime: the main one, or one per agent. */
typedef struct shell_runtime {
  vh_runtime runtime;
  shell_agent *agent;    /* the agent living in this runtime; NULL for the main runtime */
  shell_realm *realms;   /* every engine set up by shell_realm_new, newest first */
  vh_ref string_fn;      /* the first realm's String, for conversions */
  bool interactive;      /* the prompt: an uncaught error is reported, and the shell goes on */
  bool failed;           /* an uncaught exception or unhandled rejection was reported */
  bool module_started;   /* set when the module being run starts evaluating */
  bool rejections_warn;  /* --unhandled-rejections=warn: reported, but the run goes on */
  /* The command line's script arguments (after --args), for scriptArgs and arguments. */
  const char *script_name;
  char **script_args;
  int script_argc;
  /* The module loader's memory for its last answer, and why its last failure failed. */
  char *loaded_name, *loaded_source;
  char load_error[512];
} shell_runtime;

/* An engine the shell set up: the loop's builtins, print and $262. */
struct shell_realm {
  shell_runtime *srt;
  vh_engine engine;
  vh_ref d262;           /* this realm's $262, which createRealm() returns */
  /* inspect.js's functions, made before any user script ran (see shell_host.c). */
  vh_ref inspect_fn, complete_fn, to_buffer_fn;
  shell_realm *next;
};

/* ---- shell_realm.c ---- */

/* Sets up engine in srt (the first call also takes the realm's String for conversions). */
int shell_realm_init(shell_runtime *srt, vh_engine engine, shell_realm **out);
/* Makes a new engine in srt's runtime and sets it up. */
int shell_realm_new(shell_runtime *srt, shell_realm **out);
/* Frees the realm structs (the engines go with the runtime). */
void shell_realms_free(shell_runtime *srt);

/* String(value) as a new UTF-8 string (free with vh_free). VH_EEXCEPTION leaves the exception
 * pending in engine. */
int shell_to_string(shell_runtime *srt, vh_engine engine, vh_value value, char **out, size_t *length);

/* "<constructor name>: <message>" for an Error, "(<typeof>) <String(value)>" otherwise (so a
 * thrown 1 reads "(number) 1"). Never NULL; free with free(). Runs script; drops any exception
 * that throws. */
char *shell_describe(shell_runtime *srt, vh_engine engine, vh_value value);

/* Writes one report of an uncaught exception to stderr in a single write: "Uncaught " and the
 * describe() line, then "  <file>:<line>:<column>", then the stack's frames, then `note` if not
 * NULL. shell_report_as says `prefix` instead of "Uncaught " ("Unhandled rejection: "). */
void shell_report(shell_runtime *srt, vh_engine engine, const vh_exception *error, const char *note);
void shell_report_as(shell_runtime *srt, vh_engine engine, const vh_exception *error,
                     const char *prefix, const char *note);

/* Takes the exception pending in engine and reports it (see shell_report). */
void shell_report_pending(shell_runtime *srt, vh_engine engine, const char *note);

/* The module loader: "./x.js" and "../x.js" against the referrer's folder (the current folder
 * for a referrer that is no path, such as "<eval>"), absolute paths as they are; the resolved
 * name is the file's real path. Bare specifiers are refused. data is the shell_runtime. */
int shell_module_loader(vh_engine engine, const char *specifier, const char *referrer,
                        vh_module_source *out, void *data);

/* Reads a whole file, NUL-terminated (free with free()); NULL with errno set on failure. */
char *shell_read_file(const char *path, size_t *length);

/* Compiles source as a classic script (a SyntaxError: 3), then runs it (a throw: 1), reporting
 * what failed. 0 on success. */
int shell_run_script(shell_runtime *srt, vh_engine engine, const char *source, size_t length,
                     const char *name);

/* Defines a non-enumerable global (vh_define_property), as print and $262 are. */
int shell_define_global(vh_engine engine, const char *name, vh_value value);

/* ---- shell_host.c ---- */

/* Defines read, readbuffer, load, scriptArgs and arguments in the realm, and makes its value
 * printer (realm->inspect_fn and friends). Called when the engine is made. */
int shell_install_host(shell_realm *realm);

/* How the prompt prints value: node's util.inspect layout, colours when `colors`. A new string
 * (free with vh_free), or NULL when printing threw (the exception is dropped). */
char *shell_inspect(shell_realm *realm, vh_value value, bool colors);

/* The names completing `prefix` among the properties of object and its prototypes, sorted, one
 * per line; a new string (free with vh_free) or NULL. */
char *shell_complete(shell_realm *realm, vh_value object, const char *prefix);

/* ---- shell_hoist.c ---- */

/* For an input that starts with a let/const/var declaration list: the names it binds, comma-
 * separated, into names; "let" or "var" (for var) into *kind; and into body the input with the
 * list turned into one parenthesized assignment ("({a, b} = await f(), c = 1\n); rest"). false
 * when the input does not start so or the scanner cannot follow it. */
bool shell_hoist_declarations(const char *src, size_t n, shell_buf *names, const char **kind,
                              shell_buf *body);

/* ---- shell_snapshot.c ---- */

/* --build-snapshot: runs script_path in a snapshot builder and writes the blob to blob_path.
 * Returns the exit status (0, 1 on a throw or a refusal, 2 when the script cannot be read). */
int shell_snapshot_build(const char *blob_path, const char *script_path);
/* --snapshot-blob alone: the shell's runtime from the blob in blob_path (errors reported). */
int shell_snapshot_runtime(const char *blob_path, vh_runtime *out);

/* ---- shell_repl.c ---- */

/* The interactive prompt on stdin, until end of input (or Ctrl-D, or Ctrl-C twice). */
int shell_repl(shell_runtime *srt, shell_realm *realm);

/* ---- shell_262.c ---- */

/* Makes the realm's $262 object and sets it as the global "$262". */
int shell_install_262(shell_realm *realm);

/* Adds a host function named name to object. */
int shell_add_function(vh_engine engine, vh_value object, const char *name, vh_host_function_cb fn,
                       void *data);

/* ---- shell_agent.c ---- */

/* rejections_warn: an agent's unhandled rejection is reported but does not fail it. */
void shell_agents_init(bool rejections_warn);
/* Makes $262.agent for a realm: start/broadcast/getReport on the main runtime,
 * receiveBroadcast/report/leaving in an agent; sleep and monotonicNow in both. */
int shell_agent_object(shell_realm *realm, vh_value *out);
/* Whether an agent thread has not finished yet. */
bool shell_agents_running(void);
/* Waits until every agent has finished, and joins their threads. */
void shell_agents_join(void);
/* Whether an agent reported an uncaught exception. */
bool shell_agents_failed(void);

/* ---- shell_inspect.c ---- */

/* --inspect[=[host:]port], --inspect-brk[=...]: 1 when arg is one (0: not one; -1: malformed). */
int shell_inspect_option(const char *arg);
/* With --inspect: attaches the inspector to engine's runtime, listens, prints the URL. */
int shell_inspect_start(vh_engine engine);
/* With --inspect-brk: waits for a debugger, then pauses on the first statement run. */
int shell_inspect_before_run(vh_engine engine);
void shell_inspect_stop(void);

/* ---- shell_prof.c ---- */

/* --cpu-prof FILE, --heap-snapshot FILE at argv[*i]: 1 (consumed, *i advanced), 0 (not one of
 * them), -1 (the FILE is missing). */
int shell_prof_option(int argc, char **argv, int *i);
/* Starts the CPU profile when --cpu-prof was given. */
int shell_prof_start(vh_runtime runtime);
/* Writes the profile and the snapshot asked for; false when one could not be written. */
bool shell_prof_finish(vh_runtime runtime);

#endif
