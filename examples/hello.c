/* hello.c — the smallest v8host program: evaluate a script, read the result. */
#include <stdio.h>
#include <v8host.h>

int main(void) {
  vh_engine engine;
  int rc = vh_engine_new_private(NULL, NULL, &engine);
  if (rc != VH_OK) {
    fprintf(stderr, "engine: %s\n", vh_strerror(rc));
    return 1;
  }
  vh_scope scope;
  vh_scope_open(engine, &scope);

  vh_value result;
  rc = vh_eval(engine, "'Hello, ' + ['V8', 'host'].join('')", VH_AUTO_LENGTH, "hello.js", &result);
  if (rc == VH_OK) {
    char text[64];
    if (vh_value_string_utf8(result, text, sizeof text, NULL) == VH_OK) printf("%s\n", text);
  } else if (rc == VH_EEXCEPTION) {
    vh_exception ex;
    vh_exception_take(engine, &ex);
    fprintf(stderr, "%s:%d:%d: %s\n", ex.resource_name, ex.line, ex.column, ex.message);
    vh_exception_free(&ex);
  }

  vh_scope_close(scope);
  vh_engine_dispose(engine);
  return rc == VH_OK ? 0 : 1;
}
