/* Hostile scripts against host functions and host classes: every callback the library installs
 * is called with the wrong receivers (plain objects, primitives, objects made from the class's
 * prototype, instances of another class, proxies, instances whose constructor failed) and on a
 * realm whose globals and prototypes are poisoned. Each refuses with a TypeError or works; none
 * reads a native pointer it did not attach. */
#define VH_TEST_FIXTURE
#include "test_util.h"

static int g_finalized;

static int construct_cb(const vh_call_info *info, void **native) {
  bool fail_it = false;
  if (info->argc > 0) vh_value_bool(info->argv[0], &fail_it);
  if (fail_it) return VH_ERANGE; /* the constructor fails: no native part is attached */
  static int payload = 7;
  *native = &payload;
  return VH_OK;
}
static void finalize_cb(void *native, void *data) {
  (void)native;
  (void)data;
  g_finalized++;
}
/* A method that reads its receiver's native pointer through the brand check. */
static int method_cb(const vh_call_info *info, vh_value *result) {
  return vh_new_int32(info->engine, 1, result);
}
static int native_cb(void *native, const double *args, size_t argc, double *result, void *data) {
  (void)args;
  (void)argc;
  (void)data;
  *result = *(int *)native; /* would crash on a pointer the library did not attach */
  return VH_OK;
}
static int plain_fn(const vh_call_info *info, vh_value *result) {
  return vh_new_int32(info->engine, (int32_t)info->argc, result);
}

/* Evaluates src; an exception fails the test with its message. */
static vh_value run(vh_engine e, const char *src) { return eval_named(e, src, "hostile.js"); }

static void check_string(vh_engine e, const char *src, const char *expected) {
  char buf[256];
  assert_ok(vh_value_string_utf8(run(e, src), buf, sizeof buf, NULL));
  assert_string_equal(buf, expected);
}

static void define_classes(vh_class *host, vh_class *other) {
  static const vh_method_def methods[] = {{"m", method_cb}};
  static const vh_accessor_def accessors[] = {{"x", method_cb, method_cb}};
  static const vh_native_method_def natives[] = {{"nm", native_cb}};
  static const vh_method_def statics[] = {{"s", method_cb}};
  vh_class_def def;
  memset(&def, 0, sizeof def);
  def.struct_size = sizeof def;
  def.name = "Host";
  def.construct = construct_cb;
  def.finalize = finalize_cb;
  def.methods = methods;
  def.method_count = 1;
  def.accessors = accessors;
  def.accessor_count = 1;
  def.native_methods = natives;
  def.native_method_count = 1;
  def.static_methods = statics;
  def.static_method_count = 1;
  assert_ok(vh_class_define(g_rt, &def, host));
  def.name = "Other";
  assert_ok(vh_class_define(g_rt, &def, other));
}

static void test_wrong_receivers(void **state) {
  (void)state;
  vh_class host, other;
  vh_value ctor, fn;
  define_classes(&host, &other);
  assert_ok(vh_class_constructor(g_e, host, &ctor));
  assert_ok(set_global(g_e, "Host", ctor));
  assert_ok(vh_class_constructor(g_e, other, &ctor));
  assert_ok(set_global(g_e, "Other", ctor));
  assert_ok(vh_new_function(g_e, "plain", plain_fn, NULL, &fn));
  assert_ok(set_global(g_e, "plain", fn));
  /* The receivers a script can make; each method, accessor and native method refuses them. */
  run(g_e,
          "globalThis.receivers = [{}, 1, 'str', Symbol('s'), null, undefined, Object.create(Host.prototype),"
          "  new Other(), new Proxy(new Host(), {}), new Proxy({}, {}), plain, Host, [], new Date()];"
          "try { new Host(true) } catch (e) {}"
          "class Sub extends Host { constructor() { try { super(true) } catch (e) {} return {} } } new Sub();"
          "const d = Object.getOwnPropertyDescriptor(Host.prototype, 'x');"
          "globalThis.callables = [Host.prototype.m, Host.prototype.nm, d.get, d.set];"
          "globalThis.refused = 0; globalThis.total = 0;"
          "for (const f of callables) for (const r of receivers) {"
          "  total++; try { f.call(r, 1); } catch (e) { if (e instanceof TypeError) refused++ } }");
  check_string(g_e, "`${refused}/${total}`", "56/56");
  /* the right receivers work, subclasses included, and construction with any new.target */
  check_string(g_e, "class Sub2 extends Host {} const s = new Sub2();"
                          "String([new Host().m(), new Host().nm(), new Host().x, s.m(), s.nm(), Host.s(),"
                          "  Host.prototype.nm.call(Reflect.construct(Host, [], Other)), Reflect.construct(Host, [], Sub2).nm()])",
                          "1,7,1,1,7,1,7,7");
  /* a plain host function takes any receiver */
  check_string(g_e, "String(receivers.map(r => plain.call(r, 1, 2)).every(n => n === 2))", "true");
}

/* Host functions and classes on a realm whose globals and prototypes are poisoned: they read
 * nothing from it. */
static void test_poisoned_realm(void **state) {
  (void)state;
  vh_class host, other;
  vh_value ctor, fn, v;
  vh_engine e;
  vh_scope s;
  define_classes(&host, &other);
  assert_ok(vh_engine_new(g_rt, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_class_constructor(e, host, &ctor));
  assert_ok(set_global(e, "Host", ctor));
  assert_ok(vh_new_function(e, "plain", plain_fn, NULL, &fn));
  assert_ok(set_global(e, "plain", fn));
  run(e, "const dp = Object.defineProperty, E = Error, nd = (d) => Object.assign(Object.create(null), d);"
             "const boom = nd({ get() { throw new E('poisoned') }, configurable: true });"
             "for (const k of ['value', 'get', 'set', 'constructor', 'prototype', 'name', 'length', 'message', 'stack'])"
             "  dp(Object.prototype, k, boom);"
             "dp(Function.prototype, 'call', boom); dp(Function.prototype, 'apply', boom);"
             "for (const k of ['Object', 'Reflect', 'Error', 'TypeError', 'RangeError', 'Function', 'Symbol'])"
             "  dp(globalThis, k, boom);");
  assert_ok(vh_eval(e, "const h = new Host(); [h.m(), h.nm(), h.x, plain(1, 2, 3)].join()", VH_AUTO_LENGTH, "p.js", &v));
  char text[64];
  assert_ok(vh_value_string_utf8(v, text, sizeof text, NULL));
  assert_string_equal(text, "1,7,1,3");
  /* the library's own errors are still of the realm's intrinsic kinds */
  assert_ok(vh_eval(e, "let r; try { new Host(true) } catch (e) { r = e } r", VH_AUTO_LENGTH, "p.js", &v));
  bool is_error = false;
  assert_ok(vh_is(v, VH_KIND_ERROR, &is_error));
  assert_true(is_error);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_wrong_receivers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_poisoned_realm, setup, teardown),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
