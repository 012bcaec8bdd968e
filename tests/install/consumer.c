/* consumer.c — a program built against an *installed* v8host (tests/install/run_install_test.sh
 * builds it through find_package(v8host) and through pkg-config, shared and static).
 * Prints "consumer: 6*7 = 42 ..." and exits 0 when the installed library works. */
#include <stdio.h>
#include <v8host.h>

int main(void) {
  if (vh_version() != VH_VERSION_NUMBER) {
    fprintf(stderr, "consumer: headers are %d, library is %d\n", VH_VERSION_NUMBER, vh_version());
    return 1;
  }
  vh_engine engine;
  int rc = vh_engine_new_private(NULL, NULL, &engine);
  if (rc != VH_OK) {
    fprintf(stderr, "consumer: vh_engine_new_private: %s\n", vh_strerror(rc));
    return 1;
  }
  vh_scope scope;
  int32_t n = 0;
  rc = vh_scope_open(engine, &scope);
  if (rc == VH_OK) {
    vh_value v;
    rc = vh_eval(engine, "6*7", VH_AUTO_LENGTH, "consumer.js", &v);
    if (rc == VH_OK) rc = vh_value_int32(v, &n);
    vh_scope_close(scope);
  }
  int drc = vh_engine_dispose(engine);
  if (rc != VH_OK || drc != VH_OK || n != 42) {
    fprintf(stderr, "consumer: failed: %s / dispose %s / n = %d\n", vh_strerror(rc), vh_strerror(drc),
            (int)n);
    return 1;
  }
  printf("consumer: 6*7 = %d (v8host %d, V8 %s)\n", (int)n, vh_version(), vh_v8_version());
  return 0;
}
