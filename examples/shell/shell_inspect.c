/* shell_inspect.c — `--inspect[=[host:]port]` and `--inspect-brk[=[host:]port]`: serves the main
 * runtime to Chrome DevTools and VS Code (docs/debugging.md), printing the ws:// URL as node
 * does. The endpoint binds 127.0.0.1 only; a host other than a loopback address is refused. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

static bool inspect_on, inspect_brk;
static int inspect_port = 9229;
static char inspect_host[64] = "127.0.0.1";
static vh_inspector inspector;

/* "PORT" or "HOST:PORT" after the '='. */
static bool parse_address(const char *text) {
  const char *colon = strrchr(text, ':');
  const char *port = colon ? colon + 1 : text;
  if (colon) {
    size_t n = (size_t)(colon - text);
    if (n == 0 || n >= sizeof inspect_host) return false;
    memcpy(inspect_host, text, n);
    inspect_host[n] = 0;
  }
  char *end;
  long p = strtol(port, &end, 10);
  if (*port == 0 || *end != 0 || p < 0 || p > 65535) return false;
  inspect_port = (int)p;
  return true;
}

int shell_inspect_option(const char *arg) {
  const char *rest;
  if (strncmp(arg, "--inspect-brk", 13) == 0) {
    inspect_brk = true;
    rest = arg + 13;
  } else if (strncmp(arg, "--inspect", 9) == 0) {
    rest = arg + 9;
  } else {
    return 0;
  }
  if (*rest != 0 && (*rest != '=' || !parse_address(rest + 1))) return -1;
  inspect_on = true;
  return 1;
}

int shell_inspect_start(vh_engine engine) {
  if (!inspect_on) return VH_OK;
  vh_runtime runtime;
  vh_inspector_options options;
  vh_inspector_listen_options listen;
  vh_inspector_options_init(&options);
  options.title = "v8host-shell";
  vh_inspector_listen_options_init(&listen);
  listen.port = (uint16_t)inspect_port;
  listen.host = inspect_host;
  int rc = vh_engine_runtime(engine, &runtime);
  if (rc == VH_OK) rc = vh_inspector_new(runtime, &options, &inspector);
  if (rc == VH_OK) rc = vh_inspector_set_engine_name(inspector, engine, "main");
  if (rc == VH_OK) rc = vh_inspector_listen(inspector, &listen);
  char url[256];
  size_t length;
  if (rc == VH_OK) rc = vh_inspector_url(inspector, url, sizeof url, &length);
  if (rc != VH_OK) {
    fprintf(stderr, "v8host-shell: cannot start the inspector on %s:%d: %s\n", inspect_host, inspect_port,
            vh_err_name(rc));
    return rc;
  }
  fprintf(stderr, "Debugger listening on %s\nFor help, see: docs/debugging.md\n", url);
  return VH_OK;
}

int shell_inspect_before_run(vh_engine engine) {
  if (!inspect_brk) return VH_OK;
  int rc = vh_inspector_pause_on_start(inspector, engine, UINT64_MAX);
  if (rc == VH_OK) fprintf(stderr, "Debugger attached.\n");
  return rc;
}

void shell_inspect_stop(void) {
  if (inspect_on) vh_inspector_dispose(inspector);
}
