/* shell_realm.c — engines set up for v8host-shell (builtins, print, $262), string conversion,
 * reports of uncaught exceptions, the module loader, and running a classic script. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

/* ---- buffers -------------------------------------------------------------------------------- */

void shell_buf_add(shell_buf *b, const char *text, size_t length) {
  if (b->length + length + 1 > b->capacity) {
    size_t capacity = b->capacity ? b->capacity : 128;
    while (capacity < b->length + length + 1) capacity *= 2;
    char *grown = realloc(b->data, capacity);
    if (!grown) abort();
    b->data = grown;
    b->capacity = capacity;
  }
  if (length) memcpy(b->data + b->length, text, length);
  b->length += length;
  b->data[b->length] = '\0';
}

void shell_buf_puts(shell_buf *b, const char *text) { shell_buf_add(b, text, strlen(text)); }

void shell_buf_printf(shell_buf *b, const char *format, ...) {
  char small[512];
  va_list ap;
  va_start(ap, format);
  int n = vsnprintf(small, sizeof small, format, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof small) {
    shell_buf_add(b, small, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  if (!big) abort();
  va_start(ap, format);
  vsnprintf(big, (size_t)n + 1, format, ap);
  va_end(ap);
  shell_buf_add(b, big, (size_t)n);
  free(big);
}

void shell_buf_free(shell_buf *b) {
  free(b->data);
  memset(b, 0, sizeof *b);
}

/* ---- strings -------------------------------------------------------------------------------- */

int shell_to_string(shell_runtime *srt, vh_engine engine, vh_value value, char **out, size_t *length) {
  vh_type type;
  int rc = vh_typeof(value, &type);
  if (rc != VH_OK) return rc;
  if (type != VH_TYPE_STRING) {
    vh_value fn;
    rc = vh_ref_get(srt->string_fn, &fn);
    if (rc == VH_OK) rc = vh_call(engine, fn, (vh_value){0}, 1, &value, &value);
    if (rc != VH_OK) return rc;
  }
  return vh_value_string_utf8_dup(value, out, length);
}

/* value[name] converted with String(), or NULL (any exception dropped). Free with vh_free. */
static char *property_string(shell_runtime *srt, vh_engine engine, vh_value object, const char *name) {
  vh_value v;
  vh_type type;
  char *text = NULL;
  if (vh_get(engine, object, name, &v) != VH_OK || vh_typeof(v, &type) != VH_OK ||
      type == VH_TYPE_UNDEFINED || shell_to_string(srt, engine, v, &text, NULL) != VH_OK)
    text = NULL;
  vh_exception_discard(engine);
  return text;
}

static char *dup_text(const char *a, const char *b, const char *c) {
  shell_buf buf = {0};
  shell_buf_puts(&buf, a);
  shell_buf_puts(&buf, b);
  if (c) shell_buf_puts(&buf, c);
  return buf.data;
}

char *shell_describe(shell_runtime *srt, vh_engine engine, vh_value value) {
  vh_type type = VH_TYPE_UNDEFINED;
  bool is_error = false;
  vh_typeof(value, &type);
  if (type == VH_TYPE_OBJECT || type == VH_TYPE_FUNCTION) vh_is(value, VH_KIND_ERROR, &is_error);
  if (is_error) {
    char *name = NULL, *message;
    vh_value ctor;
    vh_type ctor_type;
    if (vh_get(engine, value, "constructor", &ctor) == VH_OK && vh_typeof(ctor, &ctor_type) == VH_OK &&
        ctor_type == VH_TYPE_FUNCTION)
      name = property_string(srt, engine, ctor, "name");
    vh_exception_discard(engine);
    if (name && !*name) {
      vh_free(name);
      name = NULL;
    }
    if (!name) name = property_string(srt, engine, value, "name");
    message = property_string(srt, engine, value, "message");
    char *full = dup_text(name ? name : "Error", ": ", message ? message : "");
    vh_free(name);
    vh_free(message);
    return full;
  }
  /* Not an Error: its type first, so a test runner tells a thrown 1 from a thrown "1". */
  static const char *const type_names[] = {"", "undefined", "null", "boolean", "number", "bigint",
                                           "string", "symbol", "object", "function"};
  const char *type_name = (unsigned)type < sizeof type_names / sizeof *type_names ? type_names[type] : "?";
  char head[32];
  snprintf(head, sizeof head, "(%s) ", type_name);
  char *text = NULL;
  if (shell_to_string(srt, engine, value, &text, NULL) != VH_OK) {
    vh_exception_discard(engine);
    return dup_text(head, "<a value String() cannot convert>", NULL);
  }
  char *line = dup_text(head, text, NULL);
  vh_free(text);
  return line;
}

void shell_report_as(shell_runtime *srt, vh_engine engine, const vh_exception *error,
                     const char *prefix, const char *note) {
  shell_buf b = {0};
  char *first = shell_describe(srt, engine, error->value);
  shell_buf_printf(&b, "%s%s\n", prefix, first);
  free(first);
  if (error->resource_name) {
    if (error->line > 0)
      shell_buf_printf(&b, "  %s:%d:%d\n", error->resource_name, error->line, error->column);
    else
      shell_buf_printf(&b, "  %s\n", error->resource_name);
  }
  /* The stack's frames: the lines from the first "    at " on (its header repeats the message). */
  const char *frames = error->stack ? strstr(error->stack, "\n    at ") : NULL;
  if (frames) shell_buf_printf(&b, "%s\n", frames + 1);
  if (note) shell_buf_printf(&b, "%s\n", note);
  fflush(stdout);
  fwrite(b.data, 1, b.length, stderr);
  fflush(stderr);
  shell_buf_free(&b);
}

void shell_report(shell_runtime *srt, vh_engine engine, const vh_exception *error, const char *note) {
  shell_report_as(srt, engine, error, "Uncaught ", note);
}

void shell_report_pending(shell_runtime *srt, vh_engine engine, const char *note) {
  vh_exception ex;
  int rc = vh_exception_take(engine, &ex);
  if (rc != VH_OK) {
    fprintf(stderr, "Uncaught exception (vh_exception_take: %s)\n", vh_err_name(rc));
    return;
  }
  shell_report(srt, engine, &ex, note);
  vh_exception_free(&ex);
}

/* ---- print ---------------------------------------------------------------------------------- */

/* print(...args): one line on stdout, the arguments converted with String() and joined by spaces. */
static int js_print(const vh_call_info *info, vh_value *result) {
  shell_realm *realm = info->data;
  shell_buf line = {0};
  (void)result;
  for (size_t i = 0; i < info->argc; i++) {
    char *text;
    size_t length;
    int rc = shell_to_string(realm->srt, info->engine, info->argv[i], &text, &length);
    if (rc != VH_OK) {
      shell_buf_free(&line);
      return rc;  /* VH_EEXCEPTION: String() threw; it is rethrown to the caller */
    }
    if (i) shell_buf_add(&line, " ", 1);
    shell_buf_add(&line, text, length);
    vh_free(text);
  }
  shell_buf_add(&line, "\n", 1);
  fwrite(line.data, 1, line.length, stdout);  /* one write: lines of agents do not interleave */
  fflush(stdout);
  shell_buf_free(&line);
  return VH_OK;
}

int shell_define_global(vh_engine engine, const char *name, vh_value value) {
  vh_value global;
  int rc = vh_engine_global(engine, &global);
  return rc == VH_OK ? vh_define_property(engine, global, name, value, VH_PROPERTY_DONT_ENUM) : rc;
}

/* ---- realms --------------------------------------------------------------------------------- */

int shell_realm_init(shell_runtime *srt, vh_engine engine, shell_realm **out) {
  shell_realm *realm = calloc(1, sizeof *realm);
  vh_value global, fn;
  vh_scope scope;
  if (!realm) return VH_ENOMEM;
  realm->srt = srt;
  realm->engine = engine;
  int rc = vh_scope_open(engine, &scope);
  if (rc != VH_OK) {
    free(realm);
    return rc;
  }
  rc = vh_engine_install_builtins(engine, VH_BUILTIN_ALL);
  if (rc == VH_OK && srt->string_fn.id_ == 0) {
    rc = vh_engine_global(engine, &global);
    if (rc == VH_OK) rc = vh_get(engine, global, "String", &fn);
    if (rc == VH_OK) rc = vh_ref_new(fn, 1, &srt->string_fn);
  }
  if (rc == VH_OK) rc = vh_new_function(engine, "print", js_print, realm, &fn);
  if (rc == VH_OK) rc = shell_define_global(engine, "print", fn);
  if (rc == VH_OK) rc = shell_install_262(realm);
  if (rc == VH_OK) rc = shell_install_host(realm);
  vh_exception_discard(engine);
  vh_scope_close(scope);
  if (rc != VH_OK) {
    free(realm);
    return rc;
  }
  realm->next = srt->realms;
  srt->realms = realm;
  *out = realm;
  return VH_OK;
}

int shell_realm_new(shell_runtime *srt, shell_realm **out) {
  vh_engine engine;
  int rc = vh_engine_new(srt->runtime, NULL, &engine);
  if (rc != VH_OK) return rc;
  rc = shell_realm_init(srt, engine, out);
  if (rc != VH_OK) vh_engine_dispose(engine);
  return rc;
}

void shell_realms_free(shell_runtime *srt) {
  while (srt->realms) {
    shell_realm *next = srt->realms->next;
    free(srt->realms);
    srt->realms = next;
  }
  free(srt->loaded_name);
  free(srt->loaded_source);
  srt->loaded_name = srt->loaded_source = NULL;
}

/* ---- files and the module loader ------------------------------------------------------------ */

char *shell_read_file(const char *path, size_t *length) {
  FILE *f = fopen(path, "rb");
  shell_buf b = {0};
  char chunk[65536];
  size_t n;
  if (!f) return NULL;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) shell_buf_add(&b, chunk, n);
  if (ferror(f)) {
    int e = errno;
    fclose(f);
    shell_buf_free(&b);
    errno = e ? e : EIO;
    return NULL;
  }
  fclose(f);
  if (!b.data) shell_buf_add(&b, "", 0);
  if (length) *length = b.length;
  return b.data;
}

static bool is_relative(const char *specifier) {
  return strncmp(specifier, "./", 2) == 0 || strncmp(specifier, "../", 3) == 0;
}

int shell_module_loader(vh_engine engine, const char *specifier, const char *referrer,
                        vh_module_source *out, void *data) {
  shell_runtime *srt = data;
  shell_buf path = {0};
  (void)engine;
  free(srt->loaded_name);
  free(srt->loaded_source);
  srt->loaded_name = srt->loaded_source = NULL;
  srt->load_error[0] = '\0';
  if (specifier[0] == '/') {
    shell_buf_puts(&path, specifier);
  } else if (is_relative(specifier)) {
    /* Against the referrer's folder: a path's dirname; the current folder for "<eval>" and such. */
    const char *slash = referrer && referrer[0] != '<' ? strrchr(referrer, '/') : NULL;
    if (slash == referrer) shell_buf_add(&path, "/", 1);
    else if (slash) shell_buf_add(&path, referrer, (size_t)(slash - referrer));
    else shell_buf_add(&path, ".", 1);
    shell_buf_printf(&path, "/%s", specifier);
  } else {
    snprintf(srt->load_error, sizeof srt->load_error,
             "'%s' is a bare specifier: only './', '../' and '/' paths are resolved", specifier);
    return VH_EINVAL;
  }
  char *real = realpath(path.data, NULL);
  if (!real) {
    snprintf(srt->load_error, sizeof srt->load_error, "cannot resolve %s: %s", path.data, strerror(errno));
    shell_buf_free(&path);
    return VH_EINVAL;
  }
  shell_buf_free(&path);
  size_t length;
  char *source = shell_read_file(real, &length);
  if (!source) {
    snprintf(srt->load_error, sizeof srt->load_error, "cannot read %s: %s", real, strerror(errno));
    free(real);
    return VH_EINVAL;
  }
  /* The library copies both when the loader returns; they are freed on the next call. */
  srt->loaded_name = real;
  srt->loaded_source = source;
  out->resolved_name = real;
  out->source = source;
  out->source_length = length;
  return VH_OK;
}

/* ---- classic scripts ------------------------------------------------------------------------ */

int shell_run_script(shell_runtime *srt, vh_engine engine, const char *source, size_t length,
                     const char *name) {
  uint8_t *cache = NULL;
  size_t cache_length = 0;
  /* Compiling first tells a script that fails before running (a SyntaxError) from one that throws. */
  int rc = vh_code_cache_create(engine, source, length, name, &cache, &cache_length);
  if (rc == VH_EEXCEPTION) {
    shell_report_pending(srt, engine, NULL);
    return 3;
  }
  if (rc != VH_OK) {
    fprintf(stderr, "v8host-shell: cannot compile %s: %s\n", name, vh_err_name(rc));
    return 3;
  }
  rc = vh_eval_with_cache(engine, source, length, name, cache, cache_length, NULL, NULL);
  vh_free(cache);
  if (rc == VH_EEXCEPTION) {
    shell_report_pending(srt, engine, NULL);
    return 1;
  }
  if (rc != VH_OK) {
    fprintf(stderr, "v8host-shell: cannot run %s: %s\n", name, vh_err_name(rc));
    return 1;
  }
  return 0;
}
