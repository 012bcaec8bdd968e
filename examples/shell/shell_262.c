/* shell_262.c — $262, the host object test262 expects (its INTERPRETING.md):
 *   createRealm()           a new engine in the same runtime; returns that engine's $262
 *   evalScript(source)      runs a classic script in this realm's global scope
 *   detachArrayBuffer(buf)  detaches it (vh_array_buffer_detach)
 *   gc()                    a full garbage collection (vh_runtime_gc)
 *   global                  this realm's global object
 *   agent                   see shell_agent.c */
#define _XOPEN_SOURCE 700
#include <stdlib.h>
#include <string.h>

#include "shell.h"

int shell_add_function(vh_engine engine, vh_value object, const char *name, vh_host_function_cb fn,
                       void *data) {
  vh_value f;
  int rc = vh_new_function(engine, name, fn, data, &f);
  return rc == VH_OK ? vh_set(engine, object, name, f) : rc;
}

static int js_create_realm(const vh_call_info *info, vh_value *result) {
  shell_realm *realm = info->data, *fresh;
  int rc = shell_realm_new(realm->srt, &fresh);
  if (rc != VH_OK) return rc;
  return vh_ref_get(fresh->d262, result);
}

/* evalScript(source): the completion value; a SyntaxError or a throw propagates as it is (the
 * exception is pending in this realm's engine: returning VH_EEXCEPTION rethrows it). */
static int js_eval_script(const vh_call_info *info, vh_value *result) {
  shell_realm *realm = info->data;
  char *source;
  size_t length;
  vh_value arg = {0};
  int rc = info->argc > 0 ? VH_OK : vh_new_undefined(info->engine, &arg);
  if (rc != VH_OK) return rc;
  rc = shell_to_string(realm->srt, info->engine, info->argc > 0 ? info->argv[0] : arg, &source, &length);
  if (rc != VH_OK) return rc;
  rc = vh_eval(realm->engine, source, length, "<evalScript>", result);
  vh_free(source);
  return rc;
}

/* detachArrayBuffer(buffer): releases the buffer's memory; its views read as length 0. */
static int js_detach(const vh_call_info *info, vh_value *result) {
  vh_engine e = info->engine;
  int rc = info->argc > 0 ? vh_array_buffer_detach(e, info->argv[0]) : VH_ETYPE;
  if (rc == VH_ETYPE)
    return vh_throw_error(e, VH_ERROR_KIND_TYPE_ERROR, "$262.detachArrayBuffer: the argument is not a detachable ArrayBuffer") == VH_OK
               ? VH_EEXCEPTION
               : VH_EINVAL;
  return rc == VH_OK ? vh_new_null(e, result) : rc;
}

static int js_gc(const vh_call_info *info, vh_value *result) {
  shell_realm *realm = info->data;
  (void)result;
  return vh_runtime_gc(realm->srt->runtime);
}

int shell_install_262(shell_realm *realm) {
  vh_engine e = realm->engine;
  vh_value d262, global, agent;
  int rc = vh_new_object(e, &d262);
  if (rc == VH_OK) rc = vh_engine_global(e, &global);
  if (rc == VH_OK) rc = shell_add_function(e, d262, "createRealm", js_create_realm, realm);
  if (rc == VH_OK) rc = shell_add_function(e, d262, "evalScript", js_eval_script, realm);
  if (rc == VH_OK) rc = shell_add_function(e, d262, "detachArrayBuffer", js_detach, realm);
  if (rc == VH_OK) rc = shell_add_function(e, d262, "gc", js_gc, realm);
  if (rc == VH_OK) rc = vh_set(e, d262, "global", global);
  if (rc == VH_OK) rc = shell_agent_object(realm, &agent);
  if (rc == VH_OK) rc = vh_set(e, d262, "agent", agent);
  if (rc == VH_OK) rc = shell_define_global(e, "$262", d262);
  if (rc == VH_OK) rc = vh_ref_new(d262, 1, &realm->d262);
  return rc;
}
