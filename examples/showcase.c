/* showcase.c — a tour of v8host: two engines in one runtime evaluate scripts and share an
 * object as the very same object; errors arrive with their location. */
#include <stdio.h>
#include <v8host.h>

#define CHECK(call)                                                              \
  do {                                                                           \
    int rc_ = (call);                                                            \
    if (rc_ != VH_OK) {                                                          \
      fprintf(stderr, "%s:%d: %s -> %s\n", __FILE__, __LINE__, #call, vh_err_name(rc_)); \
      return 1;                                                                  \
    }                                                                            \
  } while (0)

static void print_value(const char *label, vh_value v) {
  char text[256];
  if (vh_get_string_utf8(v, text, sizeof text, NULL) == VH_OK) printf("  %-28s %s\n", label, text);
}

int main(void) {
  printf("v8host %d.%d.%d on V8 %s\n", VH_VERSION_MAJOR, VH_VERSION_MINOR, VH_VERSION_PATCH,
         vh_v8_version());
  vh_runtime rt;
  vh_engine a, b;
  CHECK(vh_runtime_new(NULL, &rt));
  CHECK(vh_engine_new(rt, NULL, &a));
  CHECK(vh_engine_new(rt, NULL, &b));

  vh_scope scope;
  CHECK(vh_scope_open(a, &scope));
  printf("Two engines, one runtime:\n");
  vh_value v, point, global_b, json;
  CHECK(vh_eval(a, "globalThis.origin = 'engine A'; `${origin}: ${[1, 2, 3].map(x => x * x)}`",
                VH_AUTO_LENGTH, "a.js", &v));
  print_value("A evaluates:", v);
  CHECK(vh_eval(b, "typeof origin", VH_AUTO_LENGTH, "b.js", &v));
  print_value("B sees A's global as:", v);

  /* An object made in A, handed to B: the very same object (same runtime). */
  CHECK(vh_eval(a, "({ x: 3, y: 4, norm() { return Math.hypot(this.x, this.y); } })",
                VH_AUTO_LENGTH, "a.js", &point));
  CHECK(vh_engine_global(b, &global_b));
  CHECK(vh_set(b, global_b, "point", point));
  CHECK(vh_eval(b, "`point.norm() = ${point.norm()}`", VH_AUTO_LENGTH, "b.js", &v));
  print_value("B calls A's object:", v);
  CHECK(vh_json_stringify(b, point, &json));
  print_value("JSON in B:", json);

  /* Errors carry their location. */
  int rc = vh_eval(b, "\n  null.boom", VH_AUTO_LENGTH, "b-fails.js", NULL);
  if (rc == VH_EEXCEPTION) {
    vh_exception ex;
    CHECK(vh_exception_take(b, &ex));
    printf("  %-28s %s (%s:%d:%d)\n", "B throws:", ex.message, ex.resource_name, ex.line, ex.column);
    vh_exception_clear(&ex);
  }
  CHECK(vh_scope_close(scope));

  /* A value kept after its scope closed is refused, not a crash. */
  int32_t n;
  rc = vh_get_int32(v, &n);
  printf("  %-28s %s\n", "A stale value gives:", vh_err_name(rc));

  CHECK(vh_runtime_dispose(rt));
  return 0;
}
