/* shell_host.c — what scripts get from the shell besides print and $262, as d8 and qjs give it:
 *   read(path)        the file's text (UTF-8)
 *   readbuffer(path)  the file's bytes, as a new ArrayBuffer
 *   load(path)        runs the file as a classic script in this realm's global scope; returns
 *                     its completion value
 *   scriptArgs        [the first file, ...the arguments after --args] (qjs)
 *   arguments         [...the arguments after --args] (d8)
 * Paths are relative to the working directory. A failure is a JavaScript exception (TypeError
 * for a bad argument, Error naming the path and the reason otherwise). All are non-enumerable
 * globals.
 *
 * And the prompt's value printer: inspect.js (embedded at build time as shell_inspect_js) is
 * evaluated here, when the engine is made, so that it captures the intrinsics before any user
 * script could replace them. It gets two host functions it cannot do without: kind(v), brand
 * checks through vh_is (which run no script), and promise(p), a promise's state and result. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "shell.h"
#include "shell_inspect_js.h"

/* A file larger than this is refused: a string or buffer of it would not fit V8's limits. */
#define SHELL_MAX_FILE ((size_t)512 * 1024 * 1024)

/* ---- reading files -------------------------------------------------------------------------- */

static int throw_text(vh_engine engine, vh_error_kind kind, const char *text) {
  return vh_throw_error(engine, kind, text) == VH_OK ? VH_EEXCEPTION : VH_ENOMEM;
}

/* The path argument of fn as a new string (vh_free), or VH_EEXCEPTION with a TypeError. */
static int path_arg(const vh_call_info *info, const char *fn, char **path) {
  vh_type type = VH_TYPE_UNDEFINED;
  if (info->argc > 0) vh_typeof(info->argv[0], &type);
  if (type != VH_TYPE_STRING) {
    char text[128];
    snprintf(text, sizeof text, "%s: the path must be a string", fn);
    return throw_text(info->engine, VH_ERROR_KIND_TYPE_ERROR, text);
  }
  int rc = vh_value_string_utf8_dup(info->argv[0], path, NULL);
  if (rc == VH_OK && strlen(*path) == 0) {
    vh_free(*path);
    char text[128];
    snprintf(text, sizeof text, "%s: the path is empty", fn);
    return throw_text(info->engine, VH_ERROR_KIND_TYPE_ERROR, text);
  }
  return rc;
}

/* Reads at most SHELL_MAX_FILE bytes: a pipe or a device (/dev/zero) may never end. 0 or errno. */
static int read_bounded(const char *path, char **data, size_t *length) {
  FILE *f = fopen(path, "rb");
  shell_buf b = {0};
  char chunk[65536];
  size_t n;
  if (!f) return errno ? errno : EIO;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.length <= SHELL_MAX_FILE) shell_buf_add(&b, chunk, n);
  int error = ferror(f) ? (errno ? errno : EIO) : b.length > SHELL_MAX_FILE ? EFBIG : 0;
  fclose(f);
  if (error) {
    shell_buf_free(&b);
    return error;
  }
  if (!b.data) shell_buf_add(&b, "", 0);
  *data = b.data;
  *length = b.length;
  return 0;
}

/* Reads the file at path (at most SHELL_MAX_FILE bytes), or throws an Error naming it. */
static int read_or_throw(const vh_call_info *info, const char *fn, char **data, size_t *length) {
  char *path;
  int rc = path_arg(info, fn, &path);
  if (rc != VH_OK) return rc;
  struct stat st;
  int error = 0;
  if (stat(path, &st) != 0) error = errno;
  else if (S_ISDIR(st.st_mode)) error = EISDIR;
  else if (S_ISREG(st.st_mode) && (size_t)st.st_size > SHELL_MAX_FILE) error = EFBIG;
  if (!error) error = read_bounded(path, data, length);
  if (error) {
    shell_buf text = {0};
    shell_buf_printf(&text, "%s: cannot read '%s': %s", fn, path, strerror(error));
    vh_free(path);
    rc = throw_text(info->engine, VH_ERROR_KIND_ERROR, text.data);
    shell_buf_free(&text);
    return rc;
  }
  vh_free(path);
  return VH_OK;
}

static int js_read(const vh_call_info *info, vh_value *result) {
  char *data;
  size_t length;
  int rc = read_or_throw(info, "read", &data, &length);
  if (rc != VH_OK) return rc;
  rc = vh_new_string_utf8(info->engine, data, length, result);
  free(data);
  return rc;
}

static int js_readbuffer(const vh_call_info *info, vh_value *result) {
  shell_realm *realm = info->data;
  char *data;
  size_t length;
  int rc = read_or_throw(info, "readbuffer", &data, &length);
  if (rc != VH_OK) return rc;
  /* One char per byte, turned into an ArrayBuffer by inspect.js's bytesToBuffer (captured
   * intrinsics): the public API has no call that makes an ArrayBuffer from bytes. */
  vh_value bytes, fn;
  rc = vh_new_string_latin1(info->engine, data, length, &bytes);
  free(data);
  if (rc == VH_OK) rc = vh_ref_get(realm->to_buffer_fn, &fn);
  if (rc == VH_OK) rc = vh_call(info->engine, fn, (vh_value){0}, 1, &bytes, result);
  return rc;
}

static int js_load(const vh_call_info *info, vh_value *result) {
  char *path, *source;
  size_t length;
  int rc = read_or_throw(info, "load", &source, &length);
  if (rc != VH_OK) return rc;
  rc = vh_value_string_utf8_dup(info->argv[0], &path, NULL);
  /* A SyntaxError or a throw propagates to load's caller as it is (VH_EEXCEPTION rethrows). */
  if (rc == VH_OK) rc = vh_eval(info->engine, source, length, path, result);
  vh_free(path);
  free(source);
  return rc;
}

static int string_array(vh_engine engine, const char *first, char **items, int count, vh_value *out) {
  vh_value s;
  uint32_t n = 0;
  int rc = vh_new_array(engine, 0, out);
  if (rc == VH_OK && first) {
    rc = vh_new_string_utf8(engine, first, VH_AUTO_LENGTH, &s);
    if (rc == VH_OK) rc = vh_set_index(engine, *out, n++, s);
  }
  for (int i = 0; rc == VH_OK && i < count; i++) {
    rc = vh_new_string_utf8(engine, items[i], VH_AUTO_LENGTH, &s);
    if (rc == VH_OK) rc = vh_set_index(engine, *out, n++, s);
  }
  return rc;
}

/* ---- the value printer ---------------------------------------------------------------------- */

/* host.kind(v): the bits inspect.js names K_PROMISE .. K_REGEXP, in this order. */
static const vh_kind inspect_kinds[] = {
    VH_KIND_PROMISE, VH_KIND_PROXY, VH_KIND_MAP, VH_KIND_SET, VH_KIND_ERROR, VH_KIND_ARRAY_BUFFER,
    VH_KIND_SHARED_ARRAY_BUFFER, VH_KIND_TYPED_ARRAY, VH_KIND_DATA_VIEW, VH_KIND_DATE, VH_KIND_REGEXP};

static int js_kind(const vh_call_info *info, vh_value *result) {
  int32_t bits = 0;
  vh_type type = VH_TYPE_UNDEFINED;
  if (info->argc > 0) vh_typeof(info->argv[0], &type);
  if (type == VH_TYPE_OBJECT || type == VH_TYPE_FUNCTION) {
    for (size_t i = 0; i < sizeof inspect_kinds / sizeof *inspect_kinds; i++) {
      bool is = false;
      if (vh_is(info->argv[0], inspect_kinds[i], &is) == VH_OK && is) bits |= 1 << i;
    }
  }
  return vh_new_int32(info->engine, bits, result);
}

/* host.promise(p): [0] pending, [1, value] fulfilled, [2, reason] rejected. */
static int js_promise(const vh_call_info *info, vh_value *result) {
  vh_promise_status state = VH_PROMISE_STATUS_PENDING;
  vh_value n, settled;
  int rc = info->argc > 0 ? vh_promise_state(info->argv[0], &state) : VH_ETYPE;
  if (rc == VH_ETYPE) return throw_text(info->engine, VH_ERROR_KIND_TYPE_ERROR, "not a promise");
  if (rc == VH_OK) rc = vh_new_array(info->engine, 0, result);
  if (rc == VH_OK) rc = vh_new_int32(info->engine, (int32_t)state - VH_PROMISE_STATUS_PENDING, &n);
  if (rc == VH_OK) rc = vh_set_index(info->engine, *result, 0, n);
  if (rc == VH_OK && state != VH_PROMISE_STATUS_PENDING) {
    rc = vh_promise_result(info->argv[0], &settled);
    if (rc == VH_OK) rc = vh_set_index(info->engine, *result, 1, settled);
  }
  return rc;
}

static int make_printer(shell_realm *realm) {
  vh_engine e = realm->engine;
  vh_value factory, host, api, fn;
  int rc = vh_eval(e, (const char *)shell_inspect_js, sizeof shell_inspect_js - 1, "<v8host-shell inspect.js>", &factory);
  if (rc == VH_OK) rc = vh_new_object(e, &host);
  if (rc == VH_OK) rc = shell_add_function(e, host, "kind", js_kind, realm);
  if (rc == VH_OK) rc = shell_add_function(e, host, "promise", js_promise, realm);
  if (rc == VH_OK) rc = vh_call(e, factory, (vh_value){0}, 1, &host, &api);
  if (rc == VH_OK) rc = vh_get(e, api, "inspect", &fn);
  if (rc == VH_OK) rc = vh_ref_new(fn, 1, &realm->inspect_fn);
  if (rc == VH_OK) rc = vh_get(e, api, "complete", &fn);
  if (rc == VH_OK) rc = vh_ref_new(fn, 1, &realm->complete_fn);
  if (rc == VH_OK) rc = vh_get(e, api, "bytesToBuffer", &fn);
  if (rc == VH_OK) rc = vh_ref_new(fn, 1, &realm->to_buffer_fn);
  return rc;
}

char *shell_inspect(shell_realm *realm, vh_value value, bool colors) {
  vh_engine e = realm->engine;
  vh_value fn, args[2], text;
  char *out = NULL;
  args[0] = value;
  if (vh_ref_get(realm->inspect_fn, &fn) == VH_OK && vh_new_bool(e, colors, &args[1]) == VH_OK &&
      vh_call(e, fn, (vh_value){0}, 2, args, &text) == VH_OK)
    vh_value_string_utf8_dup(text, &out, NULL);
  vh_exception_discard(e);
  return out;
}

char *shell_complete(shell_realm *realm, vh_value object, const char *prefix) {
  vh_engine e = realm->engine;
  vh_value fn, args[2], text;
  char *out = NULL;
  args[0] = object;
  if (vh_ref_get(realm->complete_fn, &fn) == VH_OK &&
      vh_new_string_utf8(e, prefix, VH_AUTO_LENGTH, &args[1]) == VH_OK &&
      vh_call(e, fn, (vh_value){0}, 2, args, &text) == VH_OK)
    vh_value_string_utf8_dup(text, &out, NULL);
  vh_exception_discard(e);
  return out;
}

/* ---- installing ----------------------------------------------------------------------------- */

int shell_install_host(shell_realm *realm) {
  vh_engine e = realm->engine;
  shell_runtime *srt = realm->srt;
  vh_value fn, args;
  int rc = make_printer(realm);
  if (rc == VH_OK) rc = vh_new_function(e, "read", js_read, realm, &fn);
  if (rc == VH_OK) rc = shell_define_global(e, "read", fn);
  if (rc == VH_OK) rc = vh_new_function(e, "readbuffer", js_readbuffer, realm, &fn);
  if (rc == VH_OK) rc = shell_define_global(e, "readbuffer", fn);
  if (rc == VH_OK) rc = vh_new_function(e, "load", js_load, realm, &fn);
  if (rc == VH_OK) rc = shell_define_global(e, "load", fn);
  if (rc == VH_OK)
    rc = string_array(e, srt->script_name ? srt->script_name : "", srt->script_args, srt->script_argc, &args);
  if (rc == VH_OK) rc = shell_define_global(e, "scriptArgs", args);
  if (rc == VH_OK) rc = string_array(e, NULL, srt->script_args, srt->script_argc, &args);
  if (rc == VH_OK) rc = shell_define_global(e, "arguments", args);
  return rc;
}
