/* showcase.c — a tour of v8host: two engines in one runtime share an object as the very same
 * object; a second runtime sees objects of the first through host proxies and shares a
 * SharedArrayBuffer's memory; errors arrive with their location. vh_pass() says which way each
 * value took. */
#include <stdio.h>
#include <v8host.h>

#define CHECK(call)                                                                      \
  do {                                                                                   \
    int rc_ = (call);                                                                    \
    if (rc_ != VH_OK) {                                                                  \
      fprintf(stderr, "%s:%d: %s -> %s\n", __FILE__, __LINE__, #call, vh_err_name(rc_)); \
      return 1;                                                                          \
    }                                                                                    \
  } while (0)

static const char *path_name(vh_pass_kind how) {
  switch (how) {
    case VH_PASS_KIND_PRIMITIVE: return "primitive";
    case VH_PASS_KIND_DIRECT: return "direct";
    case VH_PASS_KIND_SHARED: return "shared";
    case VH_PASS_KIND_PROXY: return "proxy";
  }
  return "?";
}

/* Prints a string value. */
static int print_value(const char *label, vh_value v) {
  char text[256];
  int rc = vh_value_string_utf8(v, text, sizeof text, NULL);
  if (rc == VH_OK) printf("  %-30s %s\n", label, text);
  return rc;
}

/* Evaluates a script that yields a string, and prints it. */
static int show(vh_engine e, const char *label, const char *source) {
  vh_value v;
  int rc = vh_eval(e, source, VH_AUTO_LENGTH, "tour.js", &v);
  return rc == VH_OK ? print_value(label, v) : rc;
}

/* Passes value into engine `to` as global `name`, and prints which way it went. */
static int pass_as(vh_engine to, const char *name, vh_value value, vh_value *out) {
  vh_value passed, global;
  vh_pass_kind how;
  int rc = vh_pass(to, value, &passed, &how);
  if (rc == VH_OK) rc = vh_engine_global(to, &global);
  if (rc == VH_OK) rc = vh_set(to, global, name, passed);
  if (rc != VH_OK) return rc;
  printf("  %-30s %s\n", name, path_name(how));
  if (out) *out = passed;
  return VH_OK;
}

int main(void) {
  printf("v8host %d.%d.%d on V8 %s\n", VH_VERSION_MAJOR, VH_VERSION_MINOR, VH_VERSION_PATCH,
         vh_v8_version());
  vh_runtime rt, rt2;
  vh_engine a, b, c;
  CHECK(vh_runtime_new(NULL, &rt));
  CHECK(vh_engine_new(rt, NULL, &a));
  CHECK(vh_engine_new(rt, NULL, &b));
  CHECK(vh_runtime_new(NULL, &rt2));  /* a second heap, lock and thread of JavaScript */
  CHECK(vh_engine_new(rt2, NULL, &c));

  vh_scope scope, scope2;
  CHECK(vh_scope_open(a, &scope));
  printf("Two engines, one runtime:\n");
  vh_value v, point, json;
  CHECK(show(a, "A evaluates:",
             "globalThis.origin = 'engine A'; `${origin}: ${[1, 2, 3].map(x => x * x)}`"));
  CHECK(show(b, "B sees A's global as:", "typeof origin"));

  /* An object made in A, handed to B: the very same object (same runtime). */
  CHECK(vh_eval(a, "({ x: 3, y: 4, norm() { return Math.hypot(this.x, this.y); } })",
                VH_AUTO_LENGTH, "a.js", &point));
  CHECK(pass_as(b, "point", point, &v));
  bool same;
  CHECK(vh_strict_equals(point, v, &same));
  printf("  %-30s %s\n", "the same object in B:", same ? "yes" : "no");
  CHECK(show(b, "B calls A's object:", "`point.norm() = ${point.norm()}`"));
  CHECK(vh_json_stringify(b, point, &json));
  CHECK(print_value("JSON in B:", json));

  /* Errors carry their location. */
  int rc = vh_eval(b, "\n  null.boom", VH_AUTO_LENGTH, "b-fails.js", NULL);
  if (rc == VH_EEXCEPTION) {
    vh_exception ex;
    CHECK(vh_exception_take(b, &ex));
    printf("  %-30s %s (%s:%d:%d)\n", "B throws:", ex.message, ex.resource_name, ex.line, ex.column);
    vh_exception_free(&ex);
  }

  /* A second runtime: objects of the first arrive as host proxies. The calling thread holds
   * both runtimes (a scope open on each). */
  printf("A second runtime (engine C):\n");
  CHECK(vh_scope_open(c, &scope2));
  vh_value answer, box, box_in_c, again, home;
  CHECK(vh_eval(a, "6 * 7", VH_AUTO_LENGTH, "a.js", &answer));
  CHECK(pass_as(c, "answer", answer, NULL));
  CHECK(vh_eval(a,
                "({ greet(who) { return `hello ${who}, from ${origin}`; },\n"
                "   list: [1, 2, 3, 4],\n"
                "   far() { throw new RangeError('too far'); } })",
                VH_AUTO_LENGTH, "a.js", &box));
  CHECK(pass_as(c, "box", box, &box_in_c));
  CHECK(show(c, "C calls a method:", "`${typeof box.greet} -> ${box.greet('C')}`"));
  CHECK(show(c, "C iterates A's array:",
             "let sum = 0; for (const n of box.list) sum += n;\n"
             "`for...of: ${sum}, spread: [${[...box.list]}], isArray: ${Array.isArray(box.list)}`"));
  CHECK(show(c, "C catches A's exception:",
             "try { box.far(); 'no exception' } catch (e) {\n"
             "  `${e instanceof RangeError} ${e.name}: ${e.message} | ${e.stack.split('\\n')[1].trim()}`\n"
             "}"));
  CHECK(show(c, "C reads box.list twice:", "`the same proxy: ${box.list === box.list}`"));
  CHECK(vh_pass(c, box, &again, NULL));
  CHECK(vh_strict_equals(box_in_c, again, &same));
  printf("  %-30s %s\n", "passed twice, one proxy:", same ? "yes" : "no");
  vh_pass_kind how;
  CHECK(vh_pass(a, box_in_c, &home, &how));  /* the proxy, sent back to A's runtime */
  CHECK(vh_strict_equals(home, box, &same));
  printf("  %-30s %s, %s\n", "C's proxy sent home:", path_name(how),
         same ? "unwrapped to the original" : "a new object");

  /* A SharedArrayBuffer crosses as the same memory: writes are seen on both sides. */
  printf("A SharedArrayBuffer, shared into C:\n");
  vh_value cells;  /* an Int32Array over a SharedArrayBuffer */
  CHECK(vh_eval(a, "globalThis.cells = new Int32Array(new SharedArrayBuffer(16)); cells[0] = 1; cells",
                VH_AUTO_LENGTH, "a.js", &cells));
  CHECK(pass_as(c, "cells", cells, NULL));
  CHECK(show(c, "C reads, then writes:",
             "const seen = cells[0]; Atomics.store(cells, 1, 20); `read ${seen}, wrote 20`"));
  CHECK(show(a, "A reads C's write:", "`cells[1] = ${Atomics.load(cells, 1)}`"));
  CHECK(show(a, "A writes again:", "cells[2] = 300; 'cells[2] = 300'"));
  CHECK(show(c, "C sees:", "`[${cells}] (${cells.constructor.name} over ${cells.buffer.byteLength} bytes)`"));
  CHECK(vh_scope_close(scope2));
  CHECK(vh_scope_close(scope));

  /* A value kept after its scope closed is refused, not a crash. */
  int32_t n;
  rc = vh_value_int32(answer, &n);
  printf("  %-30s %s\n", "A stale value gives:", vh_err_name(rc));

  CHECK(vh_runtime_dispose(rt2));
  CHECK(vh_runtime_dispose(rt));
  return 0;
}
