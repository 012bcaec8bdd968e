/* point.c — a JavaScript class backed by C: Point, whose x and y live in a malloc'd struct.
 *
 * What it shows:
 *   - vh_class_define(): a constructor (`new Point(x, y)`), methods norm(), add(other) and
 *     toString(), accessors x and y, and a finalizer that frees the struct;
 *   - vh_runtime_global_class(): every engine of the runtime gets a global `Point`;
 *   - the brand belongs to the runtime: a Point made in engine A works in engine B (its methods,
 *     B's methods on it, as an argument), while plain objects and forged prototypes are refused;
 *   - the finalizer runs exactly once per Point: at garbage collection or at runtime disposal.
 *
 * Build against an installed v8host (-lm for hypot() from <math.h>):
 *   cc -Wall -Wextra point.c $(pkg-config --cflags --libs v8host) -lm -o point */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <v8host.h>

/* For main(): a failing call prints where and why, and the program exits with status 1. */
#define CHECK(call)                                                                        \
  do {                                                                                     \
    int rc_ = (call);                                                                      \
    if (rc_ != VH_OK) {                                                                    \
      fprintf(stderr, "%s:%d: %s -> %s\n", __FILE__, __LINE__, #call, vh_err_name(rc_));   \
      return 1;                                                                            \
    }                                                                                      \
  } while (0)

/* For callbacks and helpers: a failing call returns its code. A host function that returns an
 * error code throws it into the script (VH_EEXCEPTION rethrows what was thrown). */
#define TRY(call)                 \
  do {                            \
    int rc_ = (call);             \
    if (rc_ != VH_OK) return rc_; \
  } while (0)

/* The native part of an instance. */
typedef struct Point {
  double x, y;
} Point;

/* The class data: handed to every callback as info->data and to the finalizer. Keeping the
 * class handle here (not in a global) lets the same code serve several runtimes. */
typedef struct PointClass {
  vh_class cls;
  int made;      /* Points allocated and attached to an instance */
  int finalized; /* finalizer calls */
} PointClass;

static PointClass *point_class(const vh_call_info *info) { return (PointClass *)info->data; }

/* Throws a TypeError into the calling script; the callback then returns VH_EEXCEPTION. */
static int type_error(const vh_call_info *info, const char *message) {
  TRY(vh_throw_error(info->engine, VH_ERROR_KIND_TYPE_ERROR, message));
  return VH_EEXCEPTION;
}

/* argv[i] as a double, or a TypeError. */
static int number_arg(const vh_call_info *info, size_t i, const char *message, double *out) {
  if (i >= info->argc) return type_error(info, message);
  int rc = vh_value_double(info->argv[i], out);
  return rc == VH_ETYPE ? type_error(info, message) : rc;
}

/* The Point behind a value. VH_EBRAND (not a Point) becomes a TypeError. For `this` of a method
 * the brand has been checked already (V8 throws "Illegal invocation" before the call). */
static int unwrap(const vh_call_info *info, vh_value value, const char *message, Point **out) {
  void *native;
  int rc = vh_class_unwrap(value, point_class(info)->cls, &native);
  if (rc == VH_EBRAND) return type_error(info, message);
  TRY(rc);
  *out = native;
  return VH_OK;
}

/* new Point(x, y) */
static int point_construct(const vh_call_info *info, void **native) {
  double x, y;
  TRY(number_arg(info, 0, "Point: x must be a number", &x));
  TRY(number_arg(info, 1, "Point: y must be a number", &y));
  Point *p = malloc(sizeof *p);
  if (!p) return VH_ENOMEM; /* thrown as an Error "VH_ENOMEM: out of memory" */
  p->x = x;
  p->y = y;
  *native = p; /* from here on the finalizer owns it */
  point_class(info)->made++;
  return VH_OK;
}

/* Called once per instance: at garbage collection or runtime disposal. No v8host calls here. */
static void point_finalize(void *native, void *class_data) {
  PointClass *pc = class_data;
  if (native) pc->finalized++;
  free(native);
}

/* p.norm(): the distance from the origin. */
static int point_norm(const vh_call_info *info, vh_value *result) {
  Point *p;
  TRY(unwrap(info, info->this_value, "Point.prototype.norm: this is not a Point", &p));
  return vh_new_double(info->engine, hypot(p->x, p->y), result);
}

/* p.add(other): a new Point, made from C with vh_class_new_instance (no constructor call). */
static int point_add(const vh_call_info *info, vh_value *result) {
  Point *p, *q;
  TRY(unwrap(info, info->this_value, "Point.prototype.add: this is not a Point", &p));
  if (info->argc < 1) return type_error(info, "Point.prototype.add: a Point expected");
  TRY(unwrap(info, info->argv[0], "Point.prototype.add: the argument is not a Point", &q));
  Point *sum = malloc(sizeof *sum);
  if (!sum) return VH_ENOMEM;
  sum->x = p->x + q->x;
  sum->y = p->y + q->y;
  int rc = vh_class_new_instance(info->engine, point_class(info)->cls, sum, result);
  if (rc != VH_OK) {
    free(sum); /* not attached: the finalizer will not see it */
    return rc;
  }
  point_class(info)->made++;
  return VH_OK;
}

/* p.toString(): "Point(3, 4)" */
static int point_to_string(const vh_call_info *info, vh_value *result) {
  Point *p;
  TRY(unwrap(info, info->this_value, "Point.prototype.toString: this is not a Point", &p));
  char text[80];
  snprintf(text, sizeof text, "Point(%g, %g)", p->x, p->y);
  return vh_new_string_utf8(info->engine, text, VH_AUTO_LENGTH, result);
}

/* Accessors: p.x, p.y (read and write). */
static int point_coordinate(const vh_call_info *info, vh_value *result, int which) {
  Point *p;
  TRY(unwrap(info, info->this_value, "Point: this is not a Point", &p));
  return vh_new_double(info->engine, which == 0 ? p->x : p->y, result);
}
static int point_set_coordinate(const vh_call_info *info, int which) {
  Point *p;
  double v;
  TRY(unwrap(info, info->this_value, "Point: this is not a Point", &p));
  TRY(number_arg(info, 0, "Point: a coordinate must be a number", &v));
  if (which == 0)
    p->x = v;
  else
    p->y = v;
  return VH_OK;
}
static int point_get_x(const vh_call_info *info, vh_value *r) { return point_coordinate(info, r, 0); }
static int point_get_y(const vh_call_info *info, vh_value *r) { return point_coordinate(info, r, 1); }
static int point_set_x(const vh_call_info *info, vh_value *r) {
  (void)r;
  return point_set_coordinate(info, 0);
}
static int point_set_y(const vh_call_info *info, vh_value *r) {
  (void)r;
  return point_set_coordinate(info, 1);
}

/* Evaluates an expression in engine e and prints it as a string, or prints what it threw. */
static int show(vh_engine e, const char *engine_name, const char *expression) {
  char source[512];
  snprintf(source, sizeof source, "String(%s)", expression);
  vh_value v;
  int rc = vh_eval(e, source, VH_AUTO_LENGTH, "point.js", &v);
  if (rc == VH_EEXCEPTION) {
    vh_exception ex;
    TRY(vh_exception_take(e, &ex));
    printf("  %s> %s  =>  threw %s\n", engine_name, expression, ex.message);
    vh_exception_free(&ex);
    return VH_OK;
  }
  TRY(rc);
  char text[128];
  TRY(vh_value_string_utf8(v, text, sizeof text, NULL));
  printf("  %s> %s  =>  %s\n", engine_name, expression, text);
  return VH_OK;
}

int main(void) {
  vh_runtime rt;
  CHECK(vh_runtime_new(NULL, &rt));

  /* The class: defined once per runtime, a global of every engine. */
  static PointClass points; /* outlives the runtime: the finalizer writes to it at dispose */
  const vh_method_def methods[] = {
      {"norm", point_norm},
      {"add", point_add},
      {"toString", point_to_string},
  };
  const vh_accessor_def accessors[] = {
      {"x", point_get_x, point_set_x},
      {"y", point_get_y, point_set_y},
  };
  vh_class_def def = {0};
  def.struct_size = sizeof def;
  def.name = "Point";
  def.construct = point_construct;
  def.finalize = point_finalize;
  def.methods = methods;
  def.method_count = sizeof methods / sizeof methods[0];
  def.accessors = accessors;
  def.accessor_count = sizeof accessors / sizeof accessors[0];
  def.data = &points;
  CHECK(vh_class_define(rt, &def, &points.cls));
  CHECK(vh_runtime_global_class(rt, points.cls));

  /* Two engines (realms) of one runtime; both get Point at creation. */
  vh_engine a, b;
  CHECK(vh_engine_new(rt, NULL, &a));
  CHECK(vh_engine_new(rt, NULL, &b));
  vh_scope scope; /* opened on A; calls naming B enter B for the call */
  CHECK(vh_scope_open(a, &scope));

  printf("Engine A makes points:\n");
  CHECK(vh_eval(a, "globalThis.p = new Point(3, 4); globalThis.q = new Point(1, 2);",
                VH_AUTO_LENGTH, "a.js", NULL));
  CHECK(show(a, "A", "p"));
  CHECK(show(a, "A", "p.norm()"));
  CHECK(show(a, "A", "p.add(q)"));

  /* Hand A's p to B: the very same object, set on B's global as fromA. */
  vh_value global_a, global_b, p;
  CHECK(vh_engine_global(a, &global_a));
  CHECK(vh_get(a, global_a, "p", &p));
  CHECK(vh_engine_global(b, &global_b));
  CHECK(vh_set(b, global_b, "fromA", p));

  printf("Engine B uses A's point (the brand is the runtime's):\n");
  CHECK(show(b, "B", "fromA.norm()"));
  CHECK(show(b, "B", "fromA.add(new Point(10, 20))"));
  CHECK(show(b, "B", "new Point(10, 20).add(fromA)"));
  CHECK(show(b, "B", "Point.prototype.norm.call(fromA)"));
  CHECK(show(b, "B", "(fromA.x = 6, fromA.y = 8, fromA.norm())"));
  CHECK(show(b, "B", "fromA instanceof Point"));
  printf("  (instanceof is per realm: fromA's prototype is A's Point.prototype)\n");
  CHECK(show(a, "A", "p"));

  printf("Engine B refuses what is not a Point:\n");
  CHECK(show(b, "B", "Point.prototype.norm.call({ x: 3, y: 4 })"));
  CHECK(show(b, "B", "Point.prototype.norm.call(Object.create(Point.prototype))"));
  CHECK(show(b, "B", "fromA.add({ x: 1, y: 1 })"));
  CHECK(show(b, "B", "new Point('3', 4)"));
  CHECK(show(b, "B", "Point(3, 4)"));

  printf("Garbage:\n");
  CHECK(show(b, "B", "Array.from({ length: 1000 }, (_, i) => new Point(i, i).add(fromA)).length"));
  CHECK(vh_scope_close(scope));
  CHECK(vh_runtime_gc(rt));
  printf("  %d Points made, %d finalized after a full GC\n", points.made, points.finalized);

  /* Disposal finalizes the Points still alive (p, q, ...): each exactly once. */
  CHECK(vh_runtime_dispose(rt));
  printf("After vh_runtime_dispose: %d Points made, %d finalized\n", points.made,
         points.finalized);
  return points.made == points.finalized ? 0 : 1;
}
