/* Branded host classes: construction, methods, accessors, brand, unwrap, finalizers (class.h). */
#include "test_util.h"

typedef struct point {
  int32_t x, y;
} point;

/* Per-test state; every test defines its classes in a runtime of its own. */
static vh_runtime g_rt;
static vh_engine g_e;
static vh_scope g_scope;
static vh_class g_point;
static int g_class_data; /* its address is the Point class's data */
static int g_made, g_finalized, g_bad_class_data;

static int cb_point_ctor(const vh_call_info *info, void **native) {
  int32_t x = 0, y = 0;
  if (info->data != &g_class_data) return VH_EINVAL;
  if (info->argc > 0 && vh_value_int32(info->argv[0], &x) != VH_OK) return VH_ETYPE;
  if (info->argc > 1 && vh_value_int32(info->argv[1], &y) != VH_OK) return VH_ETYPE;
  if (x < 0) { /* a failed constructor: nothing attached, no finalizer */
    int rc = vh_throw_error(info->engine, VH_ERROR_KIND_RANGE_ERROR, "negative x");
    return rc == VH_OK ? VH_EEXCEPTION : rc;
  }
  point *p = malloc(sizeof *p);
  if (!p) return VH_ENOMEM;
  p->x = x;
  p->y = y;
  *native = p;
  ++g_made;
  return VH_OK;
}
static void point_finalize(void *native, void *class_data) {
  if (class_data != &g_class_data) ++g_bad_class_data;
  free(native); /* a second call for the same pointer is a double free under ASan */
  ++g_finalized;
}
static point *self(const vh_call_info *info) {
  void *p = NULL;
  return vh_class_unwrap(info->this_value, g_point, &p) == VH_OK ? p : NULL;
}
static int cb_sum(const vh_call_info *info, vh_value *result) {
  point *p = self(info);
  return p ? vh_new_int32(info->engine, p->x + p->y, result) : VH_EBRAND;
}
static int cb_get_x(const vh_call_info *info, vh_value *result) {
  point *p = self(info);
  return p ? vh_new_int32(info->engine, p->x, result) : VH_EBRAND;
}
static int cb_set_x(const vh_call_info *info, vh_value *result) {
  (void)result;
  point *p = self(info);
  return p ? vh_value_int32(info->argv[0], &p->x) : VH_EBRAND;
}
static int cb_origin(const vh_call_info *info, vh_value *result) { /* static: Point.origin() */
  point *p = calloc(1, sizeof *p);
  if (!p) return VH_ENOMEM;
  int rc = vh_class_new_instance(info->engine, g_point, p, result);
  if (rc != VH_OK) free(p);
  else ++g_made;
  return rc;
}
static int cb_noop(const vh_call_info *info, vh_value *result) {
  (void)info;
  (void)result;
  return VH_OK;
}

static const vh_method_def k_point_methods[] = {{"sum", cb_sum}};
static const vh_accessor_def k_point_accessors[] = {{"x", cb_get_x, cb_set_x}, {"sumRO", cb_sum, NULL}};
static const vh_method_def k_point_statics[] = {{"origin", cb_origin}};

static vh_class_def point_def(void) {
  vh_class_def d;
  memset(&d, 0, sizeof d);
  d.struct_size = sizeof d;
  d.name = "Point";
  d.construct = cb_point_ctor;
  d.finalize = point_finalize;
  d.methods = k_point_methods;
  d.method_count = 1;
  d.accessors = k_point_accessors;
  d.accessor_count = 2;
  d.static_methods = k_point_statics;
  d.static_method_count = 1;
  d.data = &g_class_data;
  return d;
}
static vh_class_def plain_def(const char *name) {
  vh_class_def d;
  memset(&d, 0xA5, sizeof d); /* vh_class_def_init must set every field */
  assert_ok(vh_class_def_init(&d));
  d.name = name;
  d.construct = cb_point_ctor;
  d.finalize = point_finalize;
  d.data = &g_class_data;
  return d;
}

static vh_class g_child;
/* A runtime with Point (and, when with_child, Child extends Point) as globals, then an engine. */
static int setup_runtime(bool with_child) {
  g_made = g_finalized = g_bad_class_data = 0;
  vh_class_def d = point_def(), c = plain_def("Child");
  if (vh_runtime_new(NULL, &g_rt) != VH_OK || vh_class_define(g_rt, &d, &g_point) != VH_OK ||
      vh_runtime_global_class(g_rt, g_point) != VH_OK)
    return -1;
  c.parent = g_point; /* before Point is used in any engine */
  if (with_child && (vh_class_define(g_rt, &c, &g_child) != VH_OK ||
                     vh_runtime_global_class(g_rt, g_child) != VH_OK))
    return -1;
  if (vh_engine_new(g_rt, NULL, &g_e) != VH_OK) return -1;
  return vh_scope_open(g_e, &g_scope) == VH_OK ? 0 : -1;
}
static int setup(void **state) {
  (void)state;
  return setup_runtime(false);
}
static int setup_child(void **state) {
  (void)state;
  return setup_runtime(true);
}
static int teardown(void **state) {
  (void)state;
  vh_exception_discard(g_e);
  if (vh_scope_close(g_scope) != VH_OK || vh_runtime_dispose(g_rt) != VH_OK) return -1;
  /* every instance is finalized exactly once by the end of the runtime, with the class data */
  return g_finalized == g_made && g_bad_class_data == 0 ? 0 : -1;
}

#define assert_js(src) assert_js_in(g_e, src)
static point *unwrap_point(vh_value v) {
  void *p = NULL;
  assert_ok(vh_class_unwrap(v, g_point, &p));
  assert_non_null(p);
  return p;
}

/* `new Point(1,2)` makes an instance whose methods, accessors and static work on its native. */
static void test_construct_methods_accessors(void **state) {
  (void)state;
  vh_value v = eval_ok(g_e, "var p = new Point(1, 2); p");
  point *p = unwrap_point(v);
  assert_int_equal(p->x, 1);
  assert_int_equal(p->y, 2);
  assert_js("p instanceof Point && Point.name === 'Point' && p.sum() === 3 && p.x === 1");
  assert_js("p.x = 10; p.x === 10 && p.sum() === 12");
  assert_int_equal(p->x, 10); /* the setter wrote the native struct */
  assert_js("p.sumRO === 12");
  assert_js("p.sumRO = 5; p.sumRO === 12"); /* read-only accessor: sloppy assignment ignored */
  assert_js("(() => { 'use strict'; try { p.sumRO = 5; } catch (e) { return e instanceof TypeError; } })()");
  assert_js("var o = Point.origin(); o instanceof Point && o.sum() === 0 && o.x === 0");
  assert_js("!Object.keys(Point.prototype).includes('sum')"); /* methods are not enumerable */
  assert_int_equal(g_made, 2);
  /* a constructor that throws: the error reaches JS, nothing is attached or finalized */
  assert_js("(() => { try { new Point(-1, 0); } catch (e) { return e instanceof RangeError && e.message === 'negative x'; } })()");
  assert_int_equal(g_made, 2);
  /* vh_construct on the constructor from C */
  vh_value ctor, out, args[2];
  assert_ok(vh_class_constructor(g_e, g_point, &ctor));
  assert_ok(vh_new_int32(g_e, 4, &args[0]));
  assert_ok(vh_new_int32(g_e, 5, &args[1]));
  assert_ok(vh_construct(g_e, ctor, 2, args, &out));
  assert_int_equal(unwrap_point(out)->y, 5);
  assert_ok(set_global(g_e, "ctorFromC", ctor));
  assert_js("ctorFromC === Point");
}

/* Calling a class constructor without `new` is a TypeError. */
static void test_call_without_new(void **state) {
  (void)state;
  assert_js("(() => { try { Point(1, 2); } catch (e) { return e instanceof TypeError; } return false; })()");
  assert_int_equal(g_made, 0);
}

/* construct = NULL: `new` throws a TypeError, vh_class_new_instance still works and unwraps. */
static void test_not_constructible(void **state) {
  (void)state;
  static int native_marker;
  vh_class_def d = plain_def("Opaque");
  d.construct = NULL;
  d.finalize = NULL;
  vh_class opaque;
  vh_value v;
  void *p = NULL;
  assert_ok(vh_class_define(g_rt, &d, &opaque));
  assert_ok(vh_runtime_global_class(g_rt, opaque));
  assert_ok(vh_engine_install_globals(g_e));
  assert_js("(() => { try { new Opaque(); } catch (e) { return e instanceof TypeError; } return false; })()");
  assert_ok(vh_class_new_instance(g_e, opaque, &native_marker, &v));
  assert_ok(vh_class_unwrap(v, opaque, &p));
  assert_ptr_equal(p, &native_marker);
  assert_ok(set_global(g_e, "op", v));
  assert_js("op instanceof Opaque");
  assert_status(VH_EBRAND, vh_class_unwrap(v, g_point, &p));
}

/* Methods and accessors throw "Illegal invocation" on anything without the brand. */
static void test_brand_checks(void **state) {
  (void)state;
  vh_class other;
  vh_class_def d = plain_def("Other");
  assert_ok(vh_class_define(g_rt, &d, &other));
  assert_ok(vh_runtime_global_class(g_rt, other));
  assert_ok(vh_engine_install_globals(g_e));
  eval_ok(g_e, "function illegal(f) { try { f(); } catch (e) {"
               " return e instanceof TypeError && /Illegal invocation/.test(e.message); } return false; }"
               "var sum = Point.prototype.sum;"
               "var getX = Object.getOwnPropertyDescriptor(Point.prototype, 'x').get;"
               "var setX = Object.getOwnPropertyDescriptor(Point.prototype, 'x').set;");
  assert_js("illegal(() => sum.call({}))");
  assert_js("illegal(() => sum.call(new Other(1, 2)))");
  assert_js("illegal(() => Object.create(Point.prototype).sum())");
  assert_js("illegal(() => Object.create(Point.prototype).x)");
  assert_js("illegal(() => getX.call({}))");
  assert_js("illegal(() => setX.call(new Other(), 3))");
  assert_js("illegal(() => sum.call(5))");
  assert_js("sum.call(new Point(2, 3)) === 5"); /* the real thing passes */
}

/* vh_class_unwrap: the pointer for the class; VH_EBRAND for everything else. */
static void test_unwrap(void **state) {
  (void)state;
  vh_class other;
  vh_class_def d = plain_def("Other");
  void *p = NULL;
  assert_ok(vh_class_define(g_rt, &d, &other));
  vh_value pt = eval_ok(g_e, "new Point(7, 8)");
  vh_value ot, ctor;
  assert_ok(vh_class_constructor(g_e, other, &ctor));
  assert_ok(vh_construct(g_e, ctor, 0, NULL, &ot));
  assert_int_equal(unwrap_point(pt)->x, 7);
  assert_status(VH_EBRAND, vh_class_unwrap(ot, g_point, &p));
  assert_status(VH_EBRAND, vh_class_unwrap(pt, other, &p));
  assert_status(VH_EBRAND, vh_class_unwrap(eval_ok(g_e, "({ x: 1, y: 2 })"), g_point, &p));
  assert_status(VH_EBRAND, vh_class_unwrap(eval_ok(g_e, "Object.create(Point.prototype)"), g_point, &p));
  assert_status(VH_EBRAND, vh_class_unwrap(eval_ok(g_e, "Object.setPrototypeOf({}, new Point(1, 1))"), g_point, &p));
  assert_status(VH_EBRAND, vh_class_unwrap(eval_ok(g_e, "42"), g_point, &p));
  assert_status(VH_EBRAND, vh_class_unwrap(eval_ok(g_e, "'Point'"), g_point, &p));
  assert_status(VH_EBRAND, vh_class_unwrap(eval_ok(g_e, "undefined"), g_point, &p));
  assert_status(VH_EBRAND, vh_class_unwrap(eval_ok(g_e, "Point"), g_point, &p));
  assert_null(p); /* failing calls leave the out-parameter untouched */
  assert_status(VH_EINVAL, vh_class_unwrap(pt, g_point, NULL));
  assert_status(VH_EINVAL, vh_class_unwrap((vh_value){0}, g_point, &p));
  assert_status(VH_EINVAL, vh_class_unwrap(pt, (vh_class){0}, &p));
}

/* The brand is the runtime's: engine B's methods accept engine A's instance; constructors differ. */
static void test_across_engines(void **state) {
  (void)state;
  vh_engine b;
  vh_value a_inst, a_ctor, b_ctor;
  bool same = true;
  assert_ok(vh_engine_new(g_rt, NULL, &b));
  a_inst = eval_ok(g_e, "new Point(20, 22)");
  assert_ok(set_global(b, "aInst", a_inst));
  assert_js_in(b, "Point.prototype.sum.call(aInst) === 42");
  assert_js_in(b, "Object.getOwnPropertyDescriptor(Point.prototype, 'x').get.call(aInst) === 20");
  vh_value b_inst = eval_ok(b, "new Point(1, 1)");
  void *p = NULL;
  assert_ok(vh_class_unwrap(b_inst, g_point, &p));
  assert_int_equal(unwrap_point(a_inst)->y, 22);
  /* Each engine is a JS realm with its own constructor and prototype, as with built-ins across
   * iframes: A's instance is not `instanceof` B's Point, though it passes B's brand checks. */
  assert_ok(vh_class_constructor(g_e, g_point, &a_ctor));
  assert_ok(vh_class_constructor(b, g_point, &b_ctor));
  assert_ok(vh_strict_equals(a_ctor, b_ctor, &same));
  assert_false(same);
  assert_js_in(b, "!(aInst instanceof Point)");
  assert_ok(vh_engine_dispose(b));
}

/* A class of another runtime: VH_ERUNTIME_MISMATCH from unwrap, constructor_of and friends. */
static void test_runtime_mismatch(void **state) {
  (void)state;
  vh_runtime rt2;
  vh_class cls2;
  vh_class_def d = plain_def("Far");
  vh_value v = eval_ok(g_e, "new Point(1, 2)");
  void *p = NULL;
  assert_ok(vh_runtime_new(NULL, &rt2));
  assert_ok(vh_class_define(rt2, &d, &cls2));
  assert_status(VH_ERUNTIME_MISMATCH, vh_class_unwrap(v, cls2, &p));
  assert_status(VH_ERUNTIME_MISMATCH, vh_class_constructor(g_e, cls2, &v));
  assert_status(VH_ERUNTIME_MISMATCH, vh_class_new_instance(g_e, cls2, NULL, &v));
  assert_status(VH_ERUNTIME_MISMATCH, vh_runtime_global_class(g_rt, cls2));
  d.name = "Child";
  d.parent = g_point;
  assert_status(VH_ERUNTIME_MISMATCH, vh_class_define(rt2, &d, &cls2));
  assert_ok(vh_runtime_dispose(rt2));
}

/* Parent classes: subclass instances pass the parent's brand and unwrap as it, not vice versa. */
static void test_parent_class(void **state) {
  (void)state;
  vh_class child = g_child;
  void *p = NULL;
  vh_value c = eval_ok(g_e, "var c = new Child(3, 4); c");
  assert_js("c instanceof Child && c instanceof Point && c.sum() === 7 && c.x === 3");
  assert_js("Point.prototype.sum.call(c) === 7");
  assert_int_equal(unwrap_point(c)->y, 4);
  assert_ok(vh_class_unwrap(c, child, &p));
  assert_ptr_equal(p, unwrap_point(c));
  vh_value parent_inst = eval_ok(g_e, "new Point(1, 1)");
  assert_status(VH_EBRAND, vh_class_unwrap(parent_inst, child, &p));
}

/* A parent already used in an engine can still get subclasses (V8 fixes only the child). */
static void test_parent_in_use(void **state) {
  (void)state;
  vh_class child;
  vh_class_def d = plain_def("Late");
  eval_ok(g_e, "new Point(1, 1)");
  d.parent = g_point;
  assert_ok(vh_class_define(g_rt, &d, &child));
  vh_value late, g;
  assert_ok(vh_class_new_instance(g_e, child, NULL, &late));
  ++g_made; /* the finalizer will count it (free(NULL) is fine) */
  assert_ok(vh_engine_global(g_e, &g));
  assert_ok(vh_set(g_e, g, "late", late));
  /* the late subclass inherits the in-use parent's prototype, and passes its brand */
  assert_js("late instanceof Point && Object.getPrototypeOf(Object.getPrototypeOf(late)) === Point.prototype");
  void *native = (void *)1;
  assert_ok(vh_class_unwrap(late, g_point, &native));
  assert_null(native);
}

/* An instance whose constructor has not attached a native part (seen inside its constructor,
 * or leaked by a constructor that threw) is not unwrappable: VH_EBRAND, never a wild pointer;
 * its methods throw instead of reading native memory. */
static int g_unwrap_in_ctor_rc;
static int cb_leaky_ctor(const vh_call_info *info, void **native) {
  void *p = (void *)1;
  vh_value g;
  g_unwrap_in_ctor_rc = vh_class_unwrap(info->this_value, g_point, &p);
  if (vh_engine_global(info->engine, &g) == VH_OK) vh_set(info->engine, g, "leaked", info->this_value);
  (void)native;
  vh_throw_error(info->engine, VH_ERROR_KIND_ERROR, "constructor fails");
  return VH_EEXCEPTION;
}
static void test_unattached_instance(void **state) {
  (void)state;
  vh_class leaky;
  vh_class_def d = plain_def("Leaky");
  d.construct = cb_leaky_ctor;
  d.parent = g_point;
  assert_ok(vh_class_define(g_rt, &d, &leaky));
  vh_value ctor, g, leaked;
  assert_ok(vh_class_constructor(g_e, leaky, &ctor));
  assert_ok(vh_engine_global(g_e, &g));
  assert_ok(vh_set(g_e, g, "Leaky", ctor));
  assert_js("(() => { try { new Leaky(); return false; } catch (e) { return e.message === 'constructor fails'; } })()");
  assert_int_equal(g_unwrap_in_ctor_rc, VH_EBRAND);
  assert_ok(vh_get(g_e, g, "leaked", &leaked));
  void *p = (void *)1;
  assert_status(VH_EBRAND, vh_class_unwrap(leaked, g_point, &p));
  assert_status(VH_EBRAND, vh_class_unwrap(leaked, leaky, &p));
  assert_ptr_equal(p, (void *)1);
}

/* A constructor that makes its native part and also throws: the native is still finalized,
 * exactly once (the teardown checks every made native against the finalizer's count). */
static int cb_throwing_ctor(const vh_call_info *info, void **native) {
  point *p = calloc(1, sizeof *p);
  if (!p) return VH_ENOMEM;
  *native = p;
  ++g_made;
  vh_throw_error(info->engine, VH_ERROR_KIND_ERROR, "made, then threw");
  return VH_OK;
}
static void test_constructor_throws_after_making_native(void **state) {
  (void)state;
  vh_class cls;
  vh_class_def d = plain_def("Thrower");
  d.construct = cb_throwing_ctor;
  assert_ok(vh_class_define(g_rt, &d, &cls));
  vh_value ctor, g;
  assert_ok(vh_class_constructor(g_e, cls, &ctor));
  assert_ok(vh_engine_global(g_e, &g));
  assert_ok(vh_set(g_e, g, "Thrower", ctor));
  assert_js("(() => { try { new Thrower(); return false; } catch (e) { return e.message === 'made, then threw'; } })()");
}

/* A JS subclass `class P3 extends Point {}` makes real Point instances. */
static void test_js_subclass(void **state) {
  (void)state;
  vh_value v = eval_ok(g_e, "class P3 extends Point { twice() { return 2 * this.sum(); } }"
                            " var p3 = new P3(3, 4); p3");
  point *p = unwrap_point(v);
  assert_int_equal(p->x, 3);
  assert_int_equal(p->y, 4);
  assert_js("p3 instanceof P3 && p3 instanceof Point && p3.twice() === 14");
}

/* Finalizers: once per collected instance at GC, once per survivor at runtime dispose. */
static void test_finalizers(void **state) {
  (void)state;
  eval_ok(g_e, "(() => { for (let i = 0; i < 50; ++i) new Point(i, i); })();"
               " globalThis.keep = [new Point(1, 1), Point.origin(), new Point(2, 2)];");
  vh_value kept = eval_ok(g_e, "keep[1]");
  assert_int_equal(g_made, 53);
  assert_ok(vh_scope_close(g_scope)); /* drop every handle this test holds */
  assert_ok(vh_runtime_gc(g_rt));
  assert_ok(vh_runtime_gc(g_rt));
  assert_int_equal(g_finalized, 50);
  assert_ok(vh_scope_open(g_e, &g_scope));
  point *p;
  assert_status(VH_ESCOPE_CLOSED, vh_class_unwrap(kept, g_point, (void **)&p));
  assert_js("keep.length === 3 && keep[0].sum() === 2 && keep[2].x === 2"); /* survivors intact */
  eval_ok(g_e, "keep.pop()");
  assert_ok(vh_scope_close(g_scope));
  assert_ok(vh_runtime_gc(g_rt));
  assert_ok(vh_runtime_gc(g_rt));
  assert_int_equal(g_finalized, 51);
  assert_ok(vh_runtime_dispose(g_rt)); /* the two survivors, exactly once each */
  assert_int_equal(g_finalized, 53);
  assert_int_equal(g_bad_class_data, 0);
  /* recreate what teardown expects */
  vh_class_def d = point_def();
  assert_ok(vh_runtime_new(NULL, &g_rt));
  assert_ok(vh_class_define(g_rt, &d, &g_point));
  assert_ok(vh_engine_new(g_rt, NULL, &g_e));
  assert_ok(vh_scope_open(g_e, &g_scope));
}

/* vh_runtime_global_class: in new engines at creation, in older ones after install. */
static void test_global_class(void **state) {
  (void)state;
  vh_class late;
  vh_class_def d = plain_def("Late");
  assert_js("typeof Point === 'function'");
  assert_ok(vh_class_define(g_rt, &d, &late));
  assert_js("typeof Late === 'undefined'");
  assert_ok(vh_runtime_global_class(g_rt, late));
  assert_js("typeof Late === 'undefined'");
  assert_ok(vh_engine_install_globals(g_e));
  assert_js("new Late(5, 6) instanceof Late && Late.name === 'Late'");
  vh_engine e2;
  assert_ok(vh_engine_new(g_rt, NULL, &e2));
  assert_js_in(e2, "typeof Late === 'function' && typeof Point === 'function'");
  assert_ok(vh_engine_dispose(e2));
  assert_status(VH_EINVAL, vh_runtime_global_class(g_rt, (vh_class){0}));
  assert_status(VH_EINVAL, vh_runtime_global_class((vh_runtime){0}, late));
}

/* vh_class_define refuses bad definitions. */
static void test_define_misuse(void **state) {
  (void)state;
  vh_class c;
  vh_class_def d = plain_def("Bad");
  vh_method_def null_cb = {"m", NULL}, null_name = {NULL, cb_noop};
  vh_accessor_def neither = {"a", NULL, NULL}, set_only = {"w", NULL, cb_noop};
  d.name = NULL;
  assert_status(VH_EINVAL, vh_class_define(g_rt, &d, &c));
  d = plain_def("Bad");
  d.struct_size = sizeof d - 8;
  assert_status(VH_EVERSION, vh_class_define(g_rt, &d, &c));
  d.struct_size = 0;
  assert_status(VH_EVERSION, vh_class_define(g_rt, &d, &c));
  /* a newer caller's larger struct: refused when a field unknown here is set, else accepted */
  struct {
    vh_class_def def;
    uint64_t future_field;
  } newer;
  memset(&newer, 0, sizeof newer);
  newer.def = plain_def("Newer");
  newer.def.struct_size = sizeof newer;
  newer.future_field = 1;
  assert_status(VH_EVERSION, vh_class_define(g_rt, &newer.def, &c));
  newer.future_field = 0;
  assert_ok(vh_class_define(g_rt, &newer.def, &c));
  d = plain_def("Bad");
  d.accessors = &neither;
  d.accessor_count = 1;
  assert_status(VH_EINVAL, vh_class_define(g_rt, &d, &c));
  d.accessors = NULL;
  assert_status(VH_EINVAL, vh_class_define(g_rt, &d, &c));
  d = plain_def("Bad");
  d.method_count = 2;
  assert_status(VH_EINVAL, vh_class_define(g_rt, &d, &c));
  d.methods = &null_cb;
  d.method_count = 1;
  assert_status(VH_EINVAL, vh_class_define(g_rt, &d, &c));
  d.methods = &null_name;
  assert_status(VH_EINVAL, vh_class_define(g_rt, &d, &c));
  d = plain_def("Bad");
  d.static_method_count = 1;
  assert_status(VH_EINVAL, vh_class_define(g_rt, &d, &c));
  /* vh_class_def_init: every field zero but struct_size; NULL refused */
  vh_class_def zero, init;
  memset(&zero, 0, sizeof zero);
  memset(&init, 0x5A, sizeof init);
  assert_ok(vh_class_def_init(&init));
  assert_int_equal(init.struct_size, sizeof init);
  zero.struct_size = sizeof zero;
  assert_memory_equal(&init, &zero, sizeof init);
  assert_status(VH_EINVAL, vh_class_def_init(NULL));
  assert_status(VH_EINVAL, vh_class_define(g_rt, &init, &c)); /* no name yet */
  d = plain_def("Bad");
  assert_status(VH_EINVAL, vh_class_define(g_rt, &d, NULL));
  assert_status(VH_EINVAL, vh_class_define(g_rt, NULL, &c));
  assert_status(VH_EINVAL, vh_class_define((vh_runtime){0}, &d, &c));
  d.parent = (vh_class){999999};
  assert_status(VH_EDISPOSED, vh_class_define(g_rt, &d, &c));
  /* a write-only accessor is fine: reading it gives undefined */
  d = plain_def("WriteOnly");
  d.accessors = &set_only;
  d.accessor_count = 1;
  assert_ok(vh_class_define(g_rt, &d, &c));
  assert_ok(vh_runtime_global_class(g_rt, c));
  assert_ok(vh_engine_install_globals(g_e));
  assert_js("var wo = new WriteOnly(); wo.w = 1; wo.w === undefined");
  vh_value v;
  assert_status(VH_EINVAL, vh_class_constructor(g_e, g_point, NULL));
  assert_status(VH_EINVAL, vh_class_new_instance(g_e, g_point, NULL, NULL));
  assert_status(VH_EINVAL, vh_class_constructor((vh_engine){0}, g_point, &v));
}

/* Class handles go stale with their runtime: VH_EDISPOSED afterwards. */
static void test_stale_class_handle(void **state) {
  (void)state;
  vh_runtime rt2;
  vh_class cls2;
  vh_class_def d = plain_def("Gone");
  vh_value v = eval_ok(g_e, "({})");
  void *p = NULL;
  assert_ok(vh_runtime_new(NULL, &rt2));
  assert_ok(vh_class_define(rt2, &d, &cls2));
  assert_ok(vh_runtime_dispose(rt2));
  assert_status(VH_EDISPOSED, vh_class_constructor(g_e, cls2, &v));
  assert_status(VH_EDISPOSED, vh_class_new_instance(g_e, cls2, NULL, &v));
  assert_status(VH_EDISPOSED, vh_class_unwrap(v, cls2, &p));
  assert_status(VH_EDISPOSED, vh_runtime_global_class(g_rt, cls2));
  assert_status(VH_EDISPOSED, vh_runtime_global_class(rt2, cls2));
  d.parent = cls2;
  assert_status(VH_EDISPOSED, vh_class_define(g_rt, &d, &cls2));
  d = plain_def("X");
  assert_status(VH_EDISPOSED, vh_class_define(rt2, &d, &cls2));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_construct_methods_accessors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_call_without_new, setup, teardown),
      cmocka_unit_test_setup_teardown(test_not_constructible, setup, teardown),
      cmocka_unit_test_setup_teardown(test_brand_checks, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unwrap, setup, teardown),
      cmocka_unit_test_setup_teardown(test_across_engines, setup, teardown),
      cmocka_unit_test_setup_teardown(test_runtime_mismatch, setup, teardown),
      cmocka_unit_test_setup_teardown(test_parent_class, setup_child, teardown),
      cmocka_unit_test_setup_teardown(test_parent_in_use, setup, teardown),
      cmocka_unit_test_setup_teardown(test_js_subclass, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unattached_instance, setup, teardown),
      cmocka_unit_test_setup_teardown(test_constructor_throws_after_making_native, setup, teardown),
      cmocka_unit_test_setup_teardown(test_finalizers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_global_class, setup, teardown),
      cmocka_unit_test_setup_teardown(test_define_misuse, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stale_class_handle, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
