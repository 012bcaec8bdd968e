/* Properties, own keys, calls and JSON (v8host/object.h). */
#define VH_TEST_FIXTURE /* g_rt, g_e, g_scope and their setup/teardown */
#include "test_util.h"

/* Takes the pending exception and checks its message contains needle. */
static void take_expect(vh_engine e, const char *needle) {
  vh_exception x;
  assert_ok(vh_exception_take(e, &x));
  if (!strstr(x.message, needle)) fail_msg("message '%s' lacks '%s'", x.message, needle);
  vh_exception_free(&x);
}

/* get/set/has/delete by name behave as the JS operators. */
static void test_by_name(void **state) {
  (void)state;
  vh_value o, v;
  bool b = false, deleted = false;
  vh_type t;
  assert_ok(vh_new_object(g_e, &o));
  assert_ok(vh_set(g_e, o, "answer", i32(42)));
  assert_ok(vh_has(g_e, o, "answer", &b));
  assert_true(b);
  assert_ok(vh_get(g_e, o, "answer", &v));
  assert_int_equal(get_i32(v), 42);
  assert_ok(vh_has(g_e, o, "toString", &b)); /* `in` sees inherited properties */
  assert_true(b);
  assert_ok(vh_delete(g_e, o, "answer", &deleted));
  assert_true(deleted);
  assert_ok(vh_has(g_e, o, "answer", &b));
  assert_false(b);
  assert_ok(vh_get(g_e, o, "answer", &v));
  assert_ok(vh_typeof(v, &t));
  assert_int_equal(t, VH_TYPE_UNDEFINED);
  assert_ok(vh_delete(g_e, o, "missing", NULL)); /* deleted may be NULL */
  /* a non-configurable property is not deleted: the operator's false */
  o = eval_ok(g_e, "Object.defineProperty({}, 'fixed', {value: 1})");
  deleted = true;
  assert_ok(vh_delete(g_e, o, "fixed", &deleted));
  assert_false(deleted);
  /* UTF-8 names */
  assert_ok(vh_set(g_e, o, "caf\xc3\xa9", i32(5)));
  put_global(g_e, "o", o);
  assert_js("o['caf\\u00e9'] === 5");
  assert_status(VH_EINVAL, vh_get(g_e, o, NULL, &v));
  assert_status(VH_EINVAL, vh_get(g_e, o, "x", NULL));
  assert_status(VH_EINVAL, vh_has(g_e, o, "x", NULL));
  assert_status(VH_EINVAL, vh_set(g_e, o, NULL, v));
}

/* get/set/has/delete by index work on arrays, updating length, holes reported by has. */
static void test_by_index(void **state) {
  (void)state;
  vh_value a, v;
  uint32_t len = 0;
  bool b = true, deleted = false;
  assert_ok(vh_new_array(g_e, 0, &a));
  assert_ok(vh_set_index(g_e, a, 3, str("three")));
  assert_ok(vh_value_array_length(a, &len));
  assert_int_equal(len, 4);
  assert_ok(vh_has_index(g_e, a, 0, &b));
  assert_false(b);
  assert_ok(vh_has_index(g_e, a, 3, &b));
  assert_true(b);
  assert_ok(vh_get_index(g_e, a, 3, &v));
  char buf[16];
  assert_ok(vh_value_string_utf8(v, buf, sizeof buf, NULL));
  assert_string_equal(buf, "three");
  assert_ok(vh_delete_index(g_e, a, 3, &deleted));
  assert_true(deleted);
  assert_ok(vh_has_index(g_e, a, 3, &b));
  assert_false(b);
  /* indexes on plain objects are the same as their string names */
  vh_value o;
  assert_ok(vh_new_object(g_e, &o));
  assert_ok(vh_set_index(g_e, o, 4294967294u, i32(1)));
  put_global(g_e, "o", o);
  assert_js("o['4294967294'] === 1");
  assert_ok(vh_get(g_e, o, "4294967294", &v));
  assert_int_equal(get_i32(v), 1);
}

/* Key values: string, symbol and number keys address the same properties JS does. */
static void test_by_key_value(void **state) {
  (void)state;
  vh_value o, sym, v;
  bool b = false, deleted = false;
  assert_ok(vh_new_object(g_e, &o));
  assert_ok(vh_new_symbol(g_e, "k", &sym));
  assert_ok(vh_set_key(g_e, o, str("name"), i32(1)));
  assert_ok(vh_set_key(g_e, o, sym, i32(2)));
  assert_ok(vh_set_key(g_e, o, i32(7), i32(3)));
  put_global(g_e, "o", o);
  put_global(g_e, "sym", sym);
  assert_js("o.name === 1 && o[sym] === 2 && o['7'] === 3 && Object.keys(o).length === 2");
  assert_ok(vh_get_key(g_e, o, sym, &v));
  assert_int_equal(get_i32(v), 2);
  assert_ok(vh_get(g_e, o, "7", &v));
  assert_int_equal(get_i32(v), 3);
  assert_ok(vh_has_key(g_e, o, sym, &b));
  assert_true(b);
  assert_ok(vh_delete_key(g_e, o, sym, &deleted));
  assert_true(deleted);
  assert_ok(vh_has_key(g_e, o, sym, &b));
  assert_false(b);
  assert_ok(vh_has_key(g_e, o, eval_ok(g_e, "7.0"), &b));
  assert_true(b);
}

/* The _key forms handle names with embedded NULs (the plain form stops at the NUL). */
static void test_key_with_embedded_nul(void **state) {
  (void)state;
  vh_value o, key, v;
  bool b = true;
  assert_ok(vh_new_object(g_e, &o));
  assert_ok(vh_new_string_utf8(g_e, "a\0b", 3, &key));
  assert_ok(vh_set_key(g_e, o, key, i32(9)));
  put_global(g_e, "o", o);
  assert_js("o['a\\0b'] === 9 && !('a' in o)");
  assert_ok(vh_has(g_e, o, "a", &b));
  assert_false(b);
  assert_ok(vh_get_key(g_e, o, key, &v));
  assert_int_equal(get_i32(v), 9);
}

/* Accessors defined in JS run on host get/set. */
static void test_accessors_run(void **state) {
  (void)state;
  vh_value o = eval_ok(g_e, "globalThis.acc = {_x: 0, get x() { return this._x * 2; },"
                            " set x(v) { this._x = v + 1; }}");
  vh_value v;
  assert_ok(vh_set(g_e, o, "x", i32(20)));
  assert_js("acc._x === 21");
  assert_ok(vh_get(g_e, o, "x", &v));
  assert_int_equal(get_i32(v), 42);
}

/* A throwing getter → VH_EEXCEPTION; while pending every JS-running call is refused. */
static void test_throwing_getter_then_pending(void **state) {
  (void)state;
  vh_value o = eval_ok(g_e, "({get bad() { throw new TypeError('getter boom'); }, ok: 1})");
  vh_value v = i32(1), keys, fn = eval_ok(g_e, "(function () { return 1; })");
  bool b = false;
  assert_status(VH_EEXCEPTION, vh_get(g_e, o, "bad", &v));
  assert_ok(vh_exception_pending(g_e, &b));
  assert_true(b);
  assert_status(VH_EPENDING_EXCEPTION, vh_get(g_e, o, "ok", &v));
  assert_status(VH_EPENDING_EXCEPTION, vh_set(g_e, o, "ok", v));
  assert_status(VH_EPENDING_EXCEPTION, vh_has(g_e, o, "ok", &b));
  assert_status(VH_EPENDING_EXCEPTION, vh_delete(g_e, o, "ok", NULL));
  assert_status(VH_EPENDING_EXCEPTION, vh_get_index(g_e, o, 0, &v));
  assert_status(VH_EPENDING_EXCEPTION, vh_get_key(g_e, o, v, &v));
  assert_status(VH_EPENDING_EXCEPTION, vh_own_keys(g_e, o, 0, &keys));
  assert_status(VH_EPENDING_EXCEPTION, vh_call(g_e, fn, (vh_value){0}, 0, NULL, &v));
  assert_status(VH_EPENDING_EXCEPTION, vh_json_parse(g_e, "1", VH_AUTO_LENGTH, &v));
  assert_status(VH_EPENDING_EXCEPTION, vh_json_stringify(g_e, o, &v));
  assert_status(VH_EPENDING_EXCEPTION, vh_eval(g_e, "1", VH_AUTO_LENGTH, NULL, &v));
  take_expect(g_e, "getter boom");
  assert_ok(vh_get(g_e, o, "ok", &v));
  assert_int_equal(get_i32(v), 1);
}

/* A throwing setter, proxy trap or key conversion also gives VH_EEXCEPTION. */
static void test_other_throwing_paths(void **state) {
  (void)state;
  vh_value o = eval_ok(g_e, "({set s(v) { throw new Error('setter boom'); }})");
  vh_value p = eval_ok(g_e, "new Proxy({}, {has() { throw new Error('trap boom'); }})");
  vh_value k = eval_ok(g_e, "({toString() { throw new Error('key boom'); }})");
  vh_value v;
  bool b;
  assert_status(VH_EEXCEPTION, vh_set(g_e, o, "s", i32(1)));
  take_expect(g_e, "setter boom");
  assert_status(VH_EEXCEPTION, vh_has(g_e, p, "x", &b));
  take_expect(g_e, "trap boom");
  assert_status(VH_EEXCEPTION, vh_get_key(g_e, o, k, &v));
  take_expect(g_e, "key boom");
}

/* A set refused silently by JS (frozen object) behaves as a sloppy-mode assignment, as object.h
 * documents: VH_OK, and the object is unchanged; a throwing setter still gives VH_EEXCEPTION. */
static void test_set_on_frozen_object(void **state) {
  (void)state;
  vh_value o = eval_ok(g_e, "globalThis.frozen = Object.freeze({a: 1})");
  assert_ok(vh_set(g_e, o, "a", i32(2)));
  assert_ok(vh_set(g_e, o, "b", i32(2)));
  assert_ok(vh_set_index(g_e, o, 0, i32(2)));
  assert_js("frozen.a === 1 && !('b' in frozen) && !(0 in frozen)");
}

/* A non-object target → VH_ETYPE for every property call. */
static void test_non_object_target(void **state) {
  (void)state;
  const char *srcs[] = {"42", "'str'", "undefined", "null", "Symbol()", "1n"};
  for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; ++i) {
    vh_value t = eval_ok(g_e, srcs[i]), v = i32(0);
    bool b;
    assert_status(VH_ETYPE, vh_get(g_e, t, "length", &v));
    assert_status(VH_ETYPE, vh_set(g_e, t, "x", v));
    assert_status(VH_ETYPE, vh_has(g_e, t, "x", &b));
    assert_status(VH_ETYPE, vh_delete(g_e, t, "x", &b));
    assert_status(VH_ETYPE, vh_get_index(g_e, t, 0, &v));
    assert_status(VH_ETYPE, vh_set_index(g_e, t, 0, v));
    assert_status(VH_ETYPE, vh_has_index(g_e, t, 0, &b));
    assert_status(VH_ETYPE, vh_delete_index(g_e, t, 0, &b));
    assert_status(VH_ETYPE, vh_get_key(g_e, t, v, &v));
    assert_status(VH_ETYPE, vh_set_key(g_e, t, v, v));
    assert_status(VH_ETYPE, vh_has_key(g_e, t, v, &b));
    assert_status(VH_ETYPE, vh_delete_key(g_e, t, v, &b));
    assert_status(VH_ETYPE, vh_own_keys(g_e, t, 0, &v));
  }
  /* functions and arrays are objects */
  vh_value f = eval_ok(g_e, "(function named() {})"), v;
  assert_ok(vh_get(g_e, f, "name", &v));
  assert_ok(vh_set(g_e, f, "extra", v));
}

/* vh_define_property: the flags are the attributes the property lacks; no setter runs; a refused
 * definition is a pending TypeError. The builtins are defined through it, non-enumerable. */
static void test_define_property(void **state) {
  (void)state;
  vh_value o = eval_ok(g_e, "globalThis.dp = {set s(v) { globalThis.setterRan = true; }};"
                            " Object.defineProperty(dp, 'fixed', {value: 1}); dp");
  assert_ok(vh_define_property(g_e, o, "plain", i32(1), 0));
  assert_ok(vh_define_property(g_e, o, "hidden", i32(2), VH_PROPERTY_DONT_ENUM));
  assert_ok(vh_define_property(g_e, o, "ro", i32(3), VH_PROPERTY_READ_ONLY | VH_PROPERTY_DONT_DELETE));
  assert_ok(vh_define_property(g_e, o, "s", i32(4), 0));
  assert_js("JSON.stringify(Object.getOwnPropertyDescriptor(dp, 'plain')) ==="
            " '{\"value\":1,\"writable\":true,\"enumerable\":true,\"configurable\":true}'");
  assert_js("JSON.stringify(Object.getOwnPropertyDescriptor(dp, 'hidden')) ==="
            " '{\"value\":2,\"writable\":true,\"enumerable\":false,\"configurable\":true}'");
  assert_js("JSON.stringify(Object.getOwnPropertyDescriptor(dp, 'ro')) ==="
            " '{\"value\":3,\"writable\":false,\"enumerable\":true,\"configurable\":false}'");
  assert_js("dp.s === 4 && globalThis.setterRan === undefined");
  assert_status(VH_EEXCEPTION, vh_define_property(g_e, o, "fixed", i32(5), 0));
  take_expect(g_e, "Cannot redefine property: fixed");
  vh_value p = eval_ok(g_e, "new Proxy({}, {defineProperty() { throw new Error('trap boom'); }})");
  assert_status(VH_EEXCEPTION, vh_define_property(g_e, p, "x", i32(1), 0));
  take_expect(g_e, "trap boom");
  assert_ok(vh_engine_install_builtins(g_e, VH_BUILTIN_ALL));
  assert_js("!Object.keys(globalThis).some((k) => ['setTimeout', 'console', 'queueMicrotask',"
            " 'clearInterval'].includes(k)) && typeof setTimeout === 'function'");
}

/* vh_own_keys: flags 0 = Object.keys (integer keys first, as strings); ALL = Reflect.ownKeys. */
static void test_own_keys(void **state) {
  (void)state;
  vh_value o = eval_ok(g_e, "globalThis.ko = {b: 1, 10: 1, a: 1, 2: 1, [Symbol.for('s')]: 1};"
                            " Object.defineProperty(ko, 'hidden', {value: 1, enumerable: false});"
                            " ko");
  vh_value k;
  uint32_t len = 0;
  assert_ok(vh_own_keys(g_e, o, 0, &k));
  assert_ok(vh_value_array_length(k, &len));
  assert_int_equal(len, 4);
  put_global(g_e, "k", k);
  assert_js("k[0] === '2' && k[1] === '10' && k[2] === 'b' && k[3] === 'a'");
  assert_js("Object.keys(ko).every((x, i) => x === k[i])");
  assert_ok(vh_own_keys(g_e, o, VH_KEYS_ALL, &k));
  put_global(g_e, "k", k);
  assert_js("((r) => r.length === 6 && k.length === 6 && r.every((x, i) => x === k[i]))"
            "(Reflect.ownKeys(ko)) && k[5] === Symbol.for('s') && k[0] === '2'");
  assert_ok(vh_own_keys(g_e, o, VH_KEYS_NON_ENUMERABLE, &k));
  put_global(g_e, "k", k);
  assert_js("k.length === 5 && k.includes('hidden') && k.every(x => typeof x === 'string')");
  assert_ok(vh_own_keys(g_e, o, VH_KEYS_SYMBOLS, &k));
  put_global(g_e, "k", k);
  assert_js("k.length === 5 && !k.includes('hidden') && k.includes(Symbol.for('s'))");
  assert_ok(vh_own_keys(g_e, eval_ok(g_e, "['x', 'y']"), 0, &k));
  put_global(g_e, "k", k);
  assert_js("k.length === 2 && k[0] === '0' && k[1] === '1'");
  assert_status(VH_EINVAL, vh_own_keys(g_e, o, 1u << 2, &k));
  assert_status(VH_EINVAL, vh_own_keys(g_e, o, 0x80000000u, &k));
  assert_status(VH_EINVAL, vh_own_keys(g_e, o, 0, NULL));
}

/* vh_call passes this (empty handle = undefined) and 0, 1 or many (> 8) arguments in order. */
static void test_call_this_and_args(void **state) {
  (void)state;
  vh_value f = eval_ok(g_e, "(function () { 'use strict';"
                            " return [this === undefined ? 'u' : this.tag, arguments.length,"
                            " Array.prototype.join.call(arguments, ',')].join('|'); })");
  vh_value self = eval_ok(g_e, "({tag: 'me'})");
  vh_value empty = {0}, r;
  vh_value argv[12];
  char buf[128];
  for (int i = 0; i < 12; ++i) argv[i] = i32(i * 10);
  assert_ok(vh_call(g_e, f, empty, 0, NULL, &r));
  assert_ok(vh_value_string_utf8(r, buf, sizeof buf, NULL));
  assert_string_equal(buf, "u|0|");
  assert_ok(vh_call(g_e, f, self, 1, argv + 7, &r));
  assert_ok(vh_value_string_utf8(r, buf, sizeof buf, NULL));
  assert_string_equal(buf, "me|1|70");
  assert_ok(vh_call(g_e, f, self, 8, argv, &r));
  assert_ok(vh_value_string_utf8(r, buf, sizeof buf, NULL));
  assert_string_equal(buf, "me|8|0,10,20,30,40,50,60,70");
  assert_ok(vh_call(g_e, f, empty, 12, argv, &r));
  assert_ok(vh_value_string_utf8(r, buf, sizeof buf, NULL));
  assert_string_equal(buf, "u|12|0,10,20,30,40,50,60,70,80,90,100,110");
  assert_ok(vh_call(g_e, f, self, 0, NULL, NULL)); /* out may be NULL */
  /* a host object passed as an argument is the very object */
  vh_value ident = eval_ok(g_e, "(x => x)"), eq_out;
  bool same = false;
  assert_ok(vh_call(g_e, ident, empty, 1, &self, &eq_out));
  assert_ok(vh_strict_equals(eq_out, self, &same));
  assert_true(same);
}

/* vh_call refuses non-functions (VH_ETYPE), argv NULL with argc > 0 (VH_EINVAL), too many args. */
static void test_call_errors(void **state) {
  (void)state;
  vh_value o = eval_ok(g_e, "({})"), empty = {0}, r;
  vh_value thrower = eval_ok(g_e, "(function () { throw new RangeError('call boom'); })");
  vh_value fn = eval_ok(g_e, "(function () {})");
  assert_status(VH_ETYPE, vh_call(g_e, o, empty, 0, NULL, &r));
  assert_status(VH_ETYPE, vh_call(g_e, i32(1), empty, 0, NULL, &r));
  assert_status(VH_EINVAL, vh_call(g_e, fn, empty, 2, NULL, &r));
  assert_status(VH_ERANGE, vh_call(g_e, fn, empty, 65536, &o, &r));
  assert_status(VH_EINVAL, vh_call(g_e, empty, empty, 0, NULL, &r));
  vh_value with_empty[2] = {o, {0}};
  assert_status(VH_EINVAL, vh_call(g_e, fn, empty, 2, with_empty, &r));
  assert_status(VH_EEXCEPTION, vh_call(g_e, thrower, empty, 0, NULL, &r));
  take_expect(g_e, "RangeError: call boom");
}

/* vh_json_parse builds the value; invalid JSON is a pending SyntaxError. */
static void test_json_parse(void **state) {
  (void)state;
  vh_value v;
  const char *text = "{\"a\": [1, 2.5, {\"b\": \"c\\u00e9\"}], \"n\": null}  trailing";
  assert_ok(vh_json_parse(g_e, text, strlen(text) - strlen("  trailing"), &v));
  put_global(g_e, "parsed", v);
  assert_js("parsed.a.length === 3 && parsed.a[1] === 2.5 && parsed.a[2].b === 'c\\u00e9'"
            " && parsed.n === null");
  assert_ok(vh_json_parse(g_e, "\"s\"", VH_AUTO_LENGTH, &v));
  vh_type t;
  assert_ok(vh_typeof(v, &t));
  assert_int_equal(t, VH_TYPE_STRING);
  assert_status(VH_EEXCEPTION, vh_json_parse(g_e, "{bad json}", VH_AUTO_LENGTH, &v));
  vh_exception x;
  bool is_err = false;
  assert_ok(vh_exception_take(g_e, &x));
  assert_non_null(strstr(x.message, "SyntaxError"));
  assert_ok(vh_is(x.value, VH_KIND_ERROR, &is_err));
  assert_true(is_err);
  put_global(g_e, "jsonErr", x.value);
  vh_exception_free(&x);
  assert_js("jsonErr instanceof SyntaxError");
  assert_status(VH_EEXCEPTION, vh_json_parse(g_e, "", 0, &v));
  take_expect(g_e, "SyntaxError");
  assert_status(VH_EINVAL, vh_json_parse(g_e, NULL, 0, &v));
  assert_status(VH_EINVAL, vh_json_parse(g_e, "1", 1, NULL));
}

/* vh_json_stringify gives a string, or undefined for values without a JSON form. */
static void test_json_stringify(void **state) {
  (void)state;
  vh_value v = eval_ok(g_e, "({a: 1, b: [true, null, 'x'], u: undefined, f() {}})"), out;
  char buf[128];
  vh_type t;
  assert_ok(vh_json_stringify(g_e, v, &out));
  assert_ok(vh_value_string_utf8(out, buf, sizeof buf, NULL));
  assert_string_equal(buf, "{\"a\":1,\"b\":[true,null,\"x\"]}");
  assert_ok(vh_json_stringify(g_e, eval_ok(g_e, "undefined"), &out));
  assert_ok(vh_typeof(out, &t));
  assert_int_equal(t, VH_TYPE_UNDEFINED);
  assert_ok(vh_json_stringify(g_e, eval_ok(g_e, "(function () {})"), &out));
  assert_ok(vh_typeof(out, &t));
  assert_int_equal(t, VH_TYPE_UNDEFINED);
  assert_ok(vh_json_stringify(g_e, eval_ok(g_e, "'q\"'"), &out));
  assert_ok(vh_value_string_utf8(out, buf, sizeof buf, NULL));
  assert_string_equal(buf, "\"q\\\"\"");
  assert_status(VH_EEXCEPTION,
                vh_json_stringify(g_e, eval_ok(g_e, "({toJSON() { throw new Error('tj'); }})"), &out));
  take_expect(g_e, "tj");
  assert_status(VH_EEXCEPTION, vh_json_stringify(g_e, eval_ok(g_e, "1n"), &out));
  take_expect(g_e, "BigInt");
  assert_status(VH_EINVAL, vh_json_stringify(g_e, v, NULL));
}

/* In a new engine of g_rt where setup ran: vh_json_stringify of what value evaluates to must
 * succeed and give expected. */
static void assert_stringify_after(const char *setup, const char *value, const char *expected) {
  vh_engine e2;
  vh_scope s2;
  vh_value out;
  char buf[64] = "";
  assert_ok(vh_engine_new(g_rt, NULL, &e2));
  assert_ok(vh_scope_open(e2, &s2));
  eval_ok(e2, setup);
  int rc = vh_json_stringify(e2, eval_ok(e2, value), &out);
  if (rc == VH_OK) assert_ok(vh_value_string_utf8(out, buf, sizeof buf, NULL));
  vh_exception_discard(e2);
  assert_ok(vh_scope_close(s2));
  assert_ok(vh_engine_dispose(e2));
  assert_ok(rc);
  assert_string_equal(buf, expected);
}

/* Script replacing JSON.stringify must not change what the host's vh_json_stringify returns. */
static void test_json_stringify_ignores_script_override(void **state) {
  (void)state;
  assert_stringify_after("JSON.stringify = function () { return 'hijacked'; }", "({a: [1]})", "{\"a\":[1]}");
}

/* Script deleting globalThis.JSON must not break vh_json_stringify either. */
static void test_json_stringify_without_global_json(void **state) {
  (void)state;
  assert_stringify_after("delete globalThis.JSON", "[1, 'two']", "[1,\"two\"]");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_by_name, setup, teardown),
      cmocka_unit_test_setup_teardown(test_define_property, setup, teardown),
      cmocka_unit_test_setup_teardown(test_by_index, setup, teardown),
      cmocka_unit_test_setup_teardown(test_by_key_value, setup, teardown),
      cmocka_unit_test_setup_teardown(test_key_with_embedded_nul, setup, teardown),
      cmocka_unit_test_setup_teardown(test_accessors_run, setup, teardown),
      cmocka_unit_test_setup_teardown(test_throwing_getter_then_pending, setup, teardown),
      cmocka_unit_test_setup_teardown(test_other_throwing_paths, setup, teardown),
      cmocka_unit_test_setup_teardown(test_set_on_frozen_object, setup, teardown),
      cmocka_unit_test_setup_teardown(test_non_object_target, setup, teardown),
      cmocka_unit_test_setup_teardown(test_own_keys, setup, teardown),
      cmocka_unit_test_setup_teardown(test_call_this_and_args, setup, teardown),
      cmocka_unit_test_setup_teardown(test_call_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_json_parse, setup, teardown),
      cmocka_unit_test_setup_teardown(test_json_stringify, setup, teardown),
      cmocka_unit_test_setup_teardown(test_json_stringify_ignores_script_override, setup, teardown),
      cmocka_unit_test_setup_teardown(test_json_stringify_without_global_json, setup, teardown),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
