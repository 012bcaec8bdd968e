/* Host proxies: vh_pass between runtimes, the proxy traps, exceptions, identity, promises,
 * symbols, lifetimes and disposal (single thread; threads are in test_marshal_threads.c). */
#include "test_util.h"

static vh_runtime g_ra, g_rb;
static vh_engine g_a, g_a2, g_b; /* g_a and g_a2 share runtime A; g_b is in runtime B */
static vh_scope g_sa, g_sb;

static int group_setup(void **state) {
  (void)state;
  if (vh_runtime_new(NULL, &g_ra) != VH_OK || vh_runtime_new(NULL, &g_rb) != VH_OK) return -1;
  if (vh_engine_new(g_ra, NULL, &g_a) != VH_OK || vh_engine_new(g_ra, NULL, &g_a2) != VH_OK ||
      vh_engine_new(g_rb, NULL, &g_b) != VH_OK)
    return -1;
  return 0;
}
static int group_teardown(void **state) {
  (void)state;
  return vh_runtime_dispose(g_rb) == VH_OK && vh_runtime_dispose(g_ra) == VH_OK ? 0 : -1;
}
/* Both runtimes held by this thread (A outer, B inner). */
static int setup(void **state) {
  (void)state;
  return vh_scope_open(g_a, &g_sa) == VH_OK && vh_scope_open(g_b, &g_sb) == VH_OK ? 0 : -1;
}
static int teardown(void **state) {
  (void)state;
  vh_exception_discard(g_a);
  vh_exception_discard(g_a2);
  vh_exception_discard(g_b);
  return vh_scope_close(g_sb) == VH_OK && vh_scope_close(g_sa) == VH_OK ? 0 : -1;
}

/* Evaluates src (resource "a.js"/"b.js"); an exception fails the test with its message. */
static vh_value run(vh_engine e, const char *src) { return eval_named(e, src, e.id_ == g_b.id_ ? "b.js" : "a.js"); }
/* Asserts that src, run as a block (its declarations stay local), evaluates to true. */
static void js_check(vh_engine e, const char *src, int line) {
  char block[2048]; /* on the stack: a failing run() jumps out of here */
  bool b = false;
  assert_true(strlen(src) + 5 <= sizeof block);
  snprintf(block, sizeof block, "{\n%s\n}", src);
  if (vh_value_bool(run(e, block), &b) != VH_OK || !b) fail_msg("line %d: JS check false: %s", line, src);
}
#define JS(e, src) js_check((e), (src), __LINE__)

/* Evaluates src in engine from, passes the result into engine to as global name. */
static vh_pass_kind pass_as(vh_engine from, const char *src, vh_engine to, const char *name, vh_value *out) {
  vh_value v, passed;
  vh_pass_kind how = 0;
  v = run(from, src);
  assert_ok(vh_pass(to, v, &passed, &how));
  assert_ok(set_global(to, name, passed));
  if (out) *out = passed;
  return how;
}
static bool is_kind(vh_value v, vh_kind k) {
  bool b = false;
  assert_ok(vh_is(v, k, &b));
  return b;
}
static void pump(int rounds) {
  for (int i = 0; i < rounds; i++) {
    assert_ok(vh_runtime_run_microtasks(g_ra));
    assert_ok(vh_runtime_run_microtasks(g_rb));
  }
}

/* Primitives are copied exactly both ways: numbers (-0, NaN), strings (one-byte, two-byte,
 * surrogates, NUL), booleans, BigInts (multi-word, negative), undefined and null. */
/* A proxy is used in a long loop: V8 may collect the proxy object mid-call (nothing on the stack
 * holds it once the call began); its record must live on while the trap runs (a use-after-free
 * once). Object.keys of a proxied class works (no invariant error from the proxy's target). */
static void test_proxy_in_long_loop_and_class_keys(void **state) {
  (void)state;
  vh_value p;
  assert_int_equal(pass_as(g_a, "({ f(i) { return i & 1 }, C: class K { static s() {} } })", g_b, "loop_obj", &p),
                   VH_PASS_KIND_PROXY);
  JS(g_b, "(() => { let u = 0; for (let i = 0; i < 200000; i++) u += loop_obj.f(i); return u === 100000 })()");
  JS(g_b, "Object.keys(loop_obj.C).length === 0 && Reflect.ownKeys(loop_obj.C).includes('s')");
  JS(g_b, "({ ...loop_obj.C }).constructor === Object && Object.assign({}, loop_obj.C) !== null");
}

static void test_pass_primitives(void **state) {
  (void)state;
  static const char *const exprs[] = {
      "42", "-0", "NaN", "-1.5e300", "Infinity", "2 ** 53 + 2", "''", "'plain ascii'",
      "'caf\\u00e9 \\u00ff'", "'\\u65e5\\u672c \\ud83d\\ude00 \\u20ac'", "'a\\u0000b'", "'\\ud800x'",
      "'\\u00e9'.repeat(70000)", "'\\u4e00'.repeat(70000) + 'z'", "true", "false", "0n", "-1n",
      "2n ** 200n + 12345n", "-(2n ** 130n) - 7n", "undefined", "null"};
  vh_engine dirs[2][2] = {{g_a, g_b}, {g_b, g_a}};
  char check[256];
  for (size_t d = 0; d < 2; d++)
    for (size_t i = 0; i < sizeof exprs / sizeof *exprs; i++) {
      if (pass_as(dirs[d][0], exprs[i], dirs[d][1], "prim", NULL) != VH_PASS_KIND_PRIMITIVE)
        fail_msg("%s not passed as a primitive", exprs[i]);
      snprintf(check, sizeof check, "Object.is(prim, %s) && typeof prim === typeof (%s)", exprs[i], exprs[i]);
      JS(dirs[d][1], check);
    }
  /* exact values as the host reads them in the destination */
  vh_value v, out;
  char buf[64];
  size_t len = 0, count = 8;
  bool neg = false;
  uint64_t words[8] = {0};
  vh_pass_kind how = 0;
  assert_ok(vh_new_string_latin1(g_a, "caf\xe9", 4, &v)); /* a one-byte, non-ASCII string */
  assert_ok(vh_pass(g_b, v, &out, &how));
  assert_int_equal(how, VH_PASS_KIND_PRIMITIVE);
  assert_ok(vh_value_string_utf8(out, buf, sizeof buf, &len));
  assert_int_equal(len, 5);
  assert_string_equal(buf, "caf\xc3\xa9");
  pass_as(g_a, "-(2n ** 130n) - 7n", g_b, "prim", &out);
  assert_ok(vh_value_bigint_words(out, &neg, &count, words));
  assert_true(neg);
  assert_int_equal(count, 3);
  assert_true(words[0] == 7 && words[1] == 0 && words[2] == 4);
  double dbl = 0;
  pass_as(g_a, "-1.5e300", g_b, "prim", &out);
  assert_ok(vh_value_double(out, &dbl));
  assert_true(dbl == -1.5e300);
}

/* Within one runtime an object passes as the very object (VH_PASS_KIND_DIRECT, strict-equal). */
static void test_pass_direct_same_runtime(void **state) {
  (void)state;
  vh_value v, out;
  vh_pass_kind how = 0;
  bool same = false;
  v = run(g_a, "globalThis.direct = { n: 1, f() { return this.n } }; direct");
  assert_ok(vh_pass(g_a2, v, &out, &how));
  assert_int_equal(how, VH_PASS_KIND_DIRECT);
  assert_ok(vh_strict_equals(v, out, &same));
  assert_true(same);
  assert_false(is_kind(out, VH_KIND_PROXY));
  assert_ok(set_global(g_a2, "d", out));
  JS(g_a2, "d.f() === 1 && (d.n = 2, true)");
  JS(g_a, "direct.n === 2");
}

/* Objects of every kind cross runtimes as proxies (never SHARED), and behave as their source. */
static void test_pass_proxy_kinds(void **state) {
  (void)state;
  static const char *const cases[][2] = {
      {"({ a: 1 })", "p.a === 1 && typeof p === 'object'"},
      {"[1, 2, 3]", "Array.isArray(p) && p.length === 3 && p[2] === 3"},
      {"(function add(x, y) { return x + y })", "typeof p === 'function' && p(2, 3) === 5"},
      {"(class K { constructor(v) { this.v = v } })", "typeof p === 'function' && new p(4).v === 4"},
      {"new Map([[1, 'one']])", "p.get(1) === 'one' && p.size === 1 && p.has(1)"},
      {"new Date(86400000)", "p.getTime() === 86400000"},
      {"Promise.resolve(1)", "typeof p.then === 'function'"},
      {"new ArrayBuffer(8)", "p.byteLength === 8"},
      {"new Uint8Array([5, 6])", "p.length === 2 && p[1] === 6"},
  };
  vh_value out;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    vh_pass_kind how = pass_as(g_a, cases[i][0], g_b, "p", &out);
    if (how != VH_PASS_KIND_PROXY) fail_msg("%s passed as %d, expected VH_PASS_KIND_PROXY", cases[i][0], (int)how);
    assert_true(is_kind(out, VH_KIND_PROXY));
    JS(g_b, cases[i][1]);
  }
}

/* get/set/has/delete on a proxy act on the source object (visible there), also from the host. */
static void test_get_set_has_delete(void **state) {
  (void)state;
  pass_as(g_a, "globalThis.src = { x: 1, y: 2, nested: { deep: 'yes' } }; src", g_b, "p", NULL);
  JS(g_b, "p.x === 1 && p.nested.deep === 'yes' && p.missing === undefined");
  JS(g_b, "p.z = 3; p.x = 10; delete p.y");
  JS(g_b, "'z' in p && 'x' in p && !('y' in p) && !('missing' in p) && 'toString' in p");
  JS(g_a, "src.z === 3 && src.x === 10 && !('y' in src)");
  JS(g_b, "globalThis.bobj = { k: 7 }; p.fromB = bobj; p.fromB === bobj");
  JS(g_a, "src.fromB.k === 7");
  assert_true(is_kind(run(g_a, "src.fromB"), VH_KIND_PROXY));
  /* the host's object calls on the proxy */
  vh_value p = run(g_b, "p"), v;
  int32_t n = 0;
  bool b = false;
  assert_ok(vh_get(g_b, p, "x", &v));
  assert_ok(vh_value_int32(v, &n));
  assert_int_equal(n, 10);
  assert_ok(vh_new_int32(g_b, 99, &v));
  assert_ok(vh_set(g_b, p, "host", v));
  assert_ok(vh_has(g_b, p, "host", &b));
  assert_true(b);
  assert_ok(vh_delete(g_b, p, "z", &b));
  assert_true(b);
  JS(g_a, "src.host === 99 && !('z' in src)");
}

/* A refused set or delete on a proxy reports false (a TypeError in strict code), like on the
 * source object itself, and changes nothing. */
static void test_refused_set_delete(void **state) {
  (void)state;
  pass_as(g_a, "globalThis.ro = {}; Object.defineProperty(ro, 'k', { value: 1, writable: false, configurable: false });"
               " Object.defineProperty(ro, 'acc', { get() { return 2 }, configurable: false }); ro", g_b, "pro", NULL);
  JS(g_b, "Reflect.deleteProperty(pro, 'k') === false && pro.k === 1");
  JS(g_b, "(() => { 'use strict'; try { delete pro.k; return false } catch (e) { return e instanceof TypeError } })()");
  /* sloppy code: a refused assignment is silently ignored, also once the descriptor was read */
  JS(g_b, "pro.k = 3; Object.getOwnPropertyDescriptor(pro, 'k').value === 1 && (pro.k = 4, pro.k === 1)");
  JS(g_b, "Reflect.set(pro, 'k', 5) === false && pro.k === 1");
  JS(g_b, "Reflect.set(pro, 'acc', 5) === false && pro.acc === 2"); /* accessor without setter */
  JS(g_b, "(() => { 'use strict'; try { pro.k = 2; return false } catch (e) { return e instanceof TypeError } })()");
  JS(g_a, "ro.k === 1");
}

/* ownKeys and descriptors come from the source, non-configurable and frozen properties included
 * without tripping the Proxy invariants; defineProperty reaches the source. */
static void test_keys_and_descriptors(void **state) {
  (void)state;
  run(g_a, "globalThis.ks = { a: 1, b: 2, [Symbol('s1')]: 3 };"
           "Object.defineProperty(ks, 'hidden', { value: 4, enumerable: false, configurable: true });"
           "Object.defineProperty(ks, 'fixed', { value: 5, enumerable: true, writable: false, configurable: false });"
           "globalThis.fr = Object.freeze({ a: 1, b: [2] })");
  pass_as(g_a, "ks", g_b, "p", NULL);
  pass_as(g_a, "fr", g_b, "pf", NULL);
  JS(g_b, "Object.keys(p).join() === 'a,b,fixed'");
  JS(g_b, "Object.getOwnPropertyNames(p).join() === 'a,b,hidden,fixed'");
  JS(g_b, "const k = Reflect.ownKeys(p); k.length === 5 && typeof k[4] === 'symbol' && k[4].description === 's1'");
  JS(g_b, "const d = Object.getOwnPropertyDescriptor(p, 'fixed');"
          " d.value === 5 && d.writable === false && d.configurable === false && d.enumerable === true");
  JS(g_b, "Object.getOwnPropertyDescriptor(p, 'fixed').value === 5"); /* twice: invariants hold */
  JS(g_b, "Object.getOwnPropertyDescriptor(p, 'hidden').enumerable === false");
  JS(g_b, "Object.getOwnPropertyDescriptor(p, 'nope') === undefined");
  JS(g_b, "JSON.stringify(p) === '{\"a\":1,\"b\":2,\"fixed\":5}'");
  JS(g_b, "Object.keys(pf).join() === 'a,b' && pf.a === 1 && pf.b[0] === 2");
  JS(g_b, "const d = Object.getOwnPropertyDescriptor(pf, 'b'); d.value === pf.b && !d.writable && !d.configurable");
  JS(g_b, "const c = { ...pf }; c.a === 1 && c.b === pf.b");
  JS(g_b, "Reflect.defineProperty(pf, 'z', { value: 1 }) === false");
  JS(g_b, "try { Object.defineProperty(pf, 'z', { value: 1 }); false } catch (e) { e instanceof TypeError }");
  pass_as(g_a, "[10, 20]", g_b, "parr", NULL);
  JS(g_b, "Object.keys(parr).join() === '0,1' && Object.getOwnPropertyDescriptor(parr, 'length').value === 2");
  /* defineProperty: data, accessor (a B getter called by A), non-configurable */
  JS(g_b, "Object.defineProperty(p, 'dp', { value: 6, writable: true, enumerable: false, configurable: true }) === p");
  JS(g_a, "const d = Object.getOwnPropertyDescriptor(ks, 'dp'); d.value === 6 && d.writable && !d.enumerable && d.configurable");
  JS(g_b, "Object.defineProperty(p, 'acc', { get() { return this.a * 100 }, enumerable: true, configurable: true }); p.acc === 100");
  JS(g_a, "ks.acc === 100 && typeof Object.getOwnPropertyDescriptor(ks, 'acc').get === 'function'");
  JS(g_b, "Object.defineProperty(p, 'nc', { value: 8 }); Object.getOwnPropertyDescriptor(p, 'nc').configurable === false");
  JS(g_a, "ks.nc === 8 && !Object.getOwnPropertyDescriptor(ks, 'nc').configurable");
}

/* getPrototypeOf reaches the source's chain: instanceof and inherited methods work. */
static void test_prototypes(void **state) {
  (void)state;
  run(g_a, "class Base { hi() { return 'hi ' + this.n } } class Derived extends Base { constructor() { super(); this.n = 3 } }"
           " globalThis.Base = Base; globalThis.Derived = Derived; globalThis.inst = new Derived(); globalThis.bare = Object.create(null)");
  pass_as(g_a, "inst", g_b, "pi", NULL);
  pass_as(g_a, "Derived", g_b, "pD", NULL);
  pass_as(g_a, "Base", g_b, "pBase", NULL);
  pass_as(g_a, "bare", g_b, "pbare", NULL);
  JS(g_b, "Object.getPrototypeOf(pi) === pD.prototype && Object.getPrototypeOf(pD.prototype) === pBase.prototype");
  JS(g_b, "pi instanceof pD && pi instanceof pBase && pi.hi() === 'hi 3'");
  JS(g_b, "Object.getPrototypeOf(pbare) === null");
}

/* Functions: typeof, this and arguments both ways; objects of the destination arrive in the
 * source as proxies, the source's own objects come back as the originals. */
static void test_calls(void **state) {
  (void)state;
  run(g_a, "globalThis.fns = { x: 5, add(a, b) { return a + b + this.x }, same(o) { return o === fns },"
           " arity() { return arguments.length }, readK(o) { return o.k }, keep(o) { globalThis.kept = o; return o },"
           " twice(fn, v) { return fn(v) * 2 }, isThis(o) { return this === o } }; globalThis.arrow = () => 1");
  pass_as(g_a, "fns", g_b, "pf", NULL);
  pass_as(g_a, "arrow", g_b, "parrow", NULL);
  JS(g_b, "typeof pf.add === 'function' && typeof pf === 'object' && typeof parrow === 'function'");
  JS(g_b, "pf.add(1, 2) === 8 && pf.add.call({ x: 100 }, 1, 2) === 103 && pf.add.apply(pf, [1, 1]) === 7");
  JS(g_b, "pf.add.name === 'add' && pf.add.length === 2 && parrow() === 1");
  JS(g_b, "pf.same(pf) === true && pf.same({}) === false && pf.isThis(pf) === true");
  JS(g_b, "pf.arity(1, 'a', null, undefined) === 4 && pf.arity() === 0");
  JS(g_b, "pf.readK({ k: 'from B' }) === 'from B'");
  JS(g_b, "globalThis.bk = { k: 1 }; pf.keep(bk) === bk");
  assert_true(is_kind(run(g_a, "kept"), VH_KIND_PROXY));
  JS(g_a, "kept.k === 1");
  JS(g_b, "pf.twice(v => v + 1, 3) === 8"); /* A calls back into B, nested on this thread */
  /* the host calls a proxied function with arguments of the destination */
  vh_value fn = run(g_b, "pf.add"), args[2], out;
  int32_t n = 0;
  assert_ok(vh_new_int32(g_b, 20, &args[0]));
  assert_ok(vh_new_int32(g_b, 30, &args[1]));
  assert_ok(vh_call(g_b, fn, run(g_b, "pf"), 2, args, &out));
  assert_ok(vh_value_int32(out, &n));
  assert_int_equal(n, 55);
}

/* Constructors: new through a proxy builds in the source; non-constructors and class
 * constructors without new throw TypeError. */
static void test_construct(void **state) {
  (void)state;
  run(g_a, "globalThis.Point = class Point { constructor(x, y) { this.x = x; this.y = y } sum() { return this.x + this.y }"
           " static make() { return new Point(1, 1) } }; globalThis.Old = function Old(v) { this.v = v }; globalThis.arrow2 = () => 1");
  pass_as(g_a, "Point", g_b, "pP", NULL);
  pass_as(g_a, "Old", g_b, "pOld", NULL);
  pass_as(g_a, "arrow2", g_b, "parrow2", NULL);
  JS(g_b, "new pP(2, 3).sum() === 5 && new pP(2, 3) instanceof pP && pP.make().sum() === 2");
  JS(g_b, "new pOld(9).v === 9 && new pP({ k: 1 }, 2).x.k === 1");
  JS(g_a, "Point.prototype.isPrototypeOf(Point.make())");
  JS(g_b, "try { new parrow2(); false } catch (e) { e instanceof TypeError }");
  JS(g_b, "try { pP(1, 2); false } catch (e) { e instanceof TypeError && /class constructor/i.test(e.message) }");
}

/* Iteration protocols and well-known symbols work on proxies: for...of, spread, Array.from,
 * destructuring, Map/Set iterators, Symbol.toPrimitive, Symbol.toStringTag. */
static void test_iteration_and_well_known(void **state) {
  (void)state;
  run(g_a, "globalThis.list = [1, 2, 3]; globalThis.gen = { *[Symbol.iterator]() { yield 'a'; yield 'b' } };"
           " globalThis.m = new Map([['k1', 1], ['k2', 2]]); globalThis.st = new Set([7, 8]);"
           " globalThis.prim = { [Symbol.toPrimitive](hint) { return hint === 'number' ? 42 : 'as-' + hint } };"
           " globalThis.tagged = { [Symbol.toStringTag]: 'Tagged' }");
  pass_as(g_a, "list", g_b, "pl", NULL);
  pass_as(g_a, "gen", g_b, "pg", NULL);
  pass_as(g_a, "m", g_b, "pm", NULL);
  pass_as(g_a, "st", g_b, "pst", NULL);
  pass_as(g_a, "prim", g_b, "pp", NULL);
  pass_as(g_a, "tagged", g_b, "ptag", NULL);
  JS(g_b, "let s = 0; for (const v of pl) s += v; s === 6");
  JS(g_b, "[...pl].join() === '1,2,3' && Math.max(...pl) === 3");
  JS(g_b, "Array.from(pl).map(x => x * 2).join() === '2,4,6' && Array.prototype.map.call(pl, x => x + 1).join() === '2,3,4'");
  JS(g_b, "const [a, , c] = pl; a === 1 && c === 3");
  JS(g_b, "[...pg].join() === 'a,b' && typeof pl[Symbol.iterator] === 'function'");
  JS(g_b, "Array.from(pm, ([k, v]) => k + v).join() === 'k11,k22' && [...pst].join() === '7,8'");
  JS(g_b, "const [[k, v]] = pm; k === 'k1' && v === 1");
  JS(g_b, "`${pp}` === 'as-string' && +pp === 42 && pp + '' === 'as-default'");
  JS(g_b, "Object.prototype.toString.call(ptag) === '[object Tagged]'");
}

/* Errors thrown in the source arrive as the same kind, message and stack (with the source's
 * resource name); other thrown values arrive as themselves (objects proxied). */
static void test_exceptions(void **state) {
  (void)state;
  assert_ok(vh_eval(g_a, "globalThis.thrownObj = { code: 7 };\nglobalThis.thrower = {\n"
                         "  nat() { return null.x },\n  type() { throw new TypeError('bad type') },\n"
                         "  range() { throw new RangeError('bad range') },\n  plain() { throw new Error('plain error') },\n"
                         "  num() { throw 42 },\n  obj() { throw thrownObj },\n"
                         "  get bad() { throw new RangeError('getter') } }",
                    VH_AUTO_LENGTH, "source-a.js", NULL));
  pass_as(g_a, "thrower", g_b, "pt", NULL);
  pass_as(g_a, "thrownObj", g_b, "pto", NULL);
  JS(g_b, "try { pt.type(); false } catch (e) { e instanceof TypeError && e.message === 'bad type' && e.stack.includes('source-a.js') }");
  JS(g_b, "try { pt.range(); false } catch (e) { e instanceof RangeError && e.message === 'bad range' && e.stack.includes('source-a.js') }");
  JS(g_b, "try { pt.plain(); false } catch (e) { e instanceof Error && e.name === 'Error' && e.message === 'plain error'"
          " && e.stack.includes('source-a.js') }");
  JS(g_b, "try { pt.nat(); false } catch (e) { e instanceof TypeError && e.message.includes('null') }");
  JS(g_b, "try { pt.bad; false } catch (e) { e instanceof RangeError && e.message === 'getter' }");
  JS(g_b, "try { pt.num(); false } catch (e) { e === 42 }");
  JS(g_b, "try { pt.obj(); false } catch (e) { e === pto && e.code === 7 }");
  /* uncaught: the host sees B's exception with A's message and stack */
  vh_exception x;
  assert_status(VH_EEXCEPTION, vh_eval(g_b, "pt.range()", VH_AUTO_LENGTH, "b.js", NULL));
  assert_ok(vh_exception_take(g_b, &x));
  if (!strstr(x.message, "RangeError: bad range")) fail_msg("message '%s'", x.message);
  if (!x.stack || !strstr(x.stack, "source-a.js")) fail_msg("stack '%s'", x.stack ? x.stack : "(null)");
  assert_true(is_kind(x.value, VH_KIND_ERROR));
  vh_exception_free(&x);
  JS(g_b, "try { pt.num(); false } catch (e) { e === 42 }"); /* B usable afterwards */
}

/* The other way round, nested: a B function, passed as an argument to an A function that calls
 * it, throws a TypeError that A's code catches as its own TypeError (A has two engines). */
static void test_exception_from_callback(void **state) {
  (void)state;
  run(g_a, "globalThis.catcher = { catchIt(fn) { try { fn(); return 'no throw' }"
           " catch (e) { return [e instanceof TypeError, e.message].join() } } }");
  pass_as(g_a, "catcher", g_b, "pcat", NULL);
  JS(g_b, "pcat.catchIt(() => 1) === 'no throw'");
  JS(g_b, "pcat.catchIt(() => { throw new TypeError('from B') }) === 'true,from B'");
  JS(g_b, "pcat.catchIt(() => { null.x }).startsWith('true,')");
}

/* Identity: one proxy per source object (vh_pass twice, set_global, JS access), originals when
 * passed back home, cycles preserved both ways. */
static void test_identity(void **state) {
  (void)state;
  vh_value v, p1, p2, home, home2;
  bool same = false;
  v = run(g_a, "globalThis.cyc = { name: 'c', is(o) { return o === cyc } }; cyc.self = cyc; cyc.arr = [cyc]; cyc");
  assert_ok(vh_pass(g_b, v, &p1, NULL));
  assert_ok(vh_pass(g_b, v, &p2, NULL));
  assert_ok(vh_strict_equals(p1, p2, &same));
  assert_true(same);
  assert_ok(set_global(g_b, "pc", p1));
  assert_ok(set_global(g_b, "pc2", v)); /* a value of A given to B's call is passed too */
  JS(g_b, "pc === pc2 && pc.self === pc && pc.self.self === pc && pc.arr[0] === pc");
  JS(g_b, "pc.is(pc) && pc.is(pc.self) && !pc.is({})");
  assert_ok(vh_pass(g_a, p1, &home, NULL));
  assert_ok(vh_strict_equals(home, v, &same));
  assert_true(same);
  assert_ok(vh_pass(g_a2, p1, &home2, NULL)); /* any engine of the home runtime */
  assert_ok(vh_strict_equals(home2, v, &same));
  assert_true(same);
  pass_as(g_b, "globalThis.bcyc = {}; bcyc.me = bcyc; bcyc", g_a, "pbc", NULL);
  JS(g_a, "pbc.me === pbc && pbc.me.me === pbc");
  JS(g_b, "pc.back = bcyc; pc.back === bcyc");
  JS(g_a, "cyc.back === pbc");
}

/* Awaiting a proxied promise gets its value; a rejected one rejects with its reason. */
static void test_promises(void **state) {
  (void)state;
  run(g_a, "globalThis.pa = new Promise(r => { globalThis.resA = r });"
           " globalThis.pr = new Promise((_, j) => { globalThis.rejA = j })");
  pass_as(g_a, "pa", g_b, "ppa", NULL);
  pass_as(g_a, "pr", g_b, "ppr", NULL);
  run(g_b, "globalThis.got = 'pending'; globalThis.err = null; globalThis.thenGot = null;"
           " (async () => { got = await ppa })(); (async () => { try { await ppr } catch (e) { err = e } })();"
           " ppa.then(v => { thenGot = v })");
  pump(3);
  JS(g_b, "got === 'pending' && err === null");
  run(g_a, "resA(42); rejA(new RangeError('nope'))");
  pump(4);
  JS(g_b, "got === 42 && thenGot === 42");
  JS(g_b, "err !== null && err.message === 'nope' && err.name === 'RangeError'");
}

/* Well-known symbols map to the destination's own (all 13 of them). */
static void test_symbols_well_known(void **state) {
  (void)state;
  static const char *const names[] = {"asyncIterator", "hasInstance", "isConcatSpreadable", "iterator",
                                      "match", "matchAll", "replace", "search", "species", "split",
                                      "toPrimitive", "toStringTag", "unscopables"};
  char src[128], missed[256] = "";
  bool same = false;
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    snprintf(src, sizeof src, "Symbol.%s", names[i]);
    if (pass_as(g_a, src, g_b, "sym", NULL) != VH_PASS_KIND_PRIMITIVE) fail_msg("%s not primitive", src);
    snprintf(src, sizeof src, "sym === Symbol.%s", names[i]);
    assert_ok(vh_value_bool(run(g_b, src), &same));
    if (!same) snprintf(missed + strlen(missed), sizeof missed - strlen(missed), " Symbol.%s", names[i]);
  }
  if (missed[0]) fail_msg("not mapped to B's own:%s", missed);
}

/* Other symbols keep their description and, per source symbol, their identity. */
static void test_symbols_other(void **state) {
  (void)state;
  vh_value s, p1;
  vh_pass_kind how = 0;
  s = run(g_a, "globalThis.mine = Symbol('tag'); mine");
  assert_ok(vh_pass(g_b, s, &p1, &how));
  assert_int_equal(how, VH_PASS_KIND_PRIMITIVE);
  assert_ok(set_global(g_b, "ps", p1));
  JS(g_b, "typeof ps === 'symbol' && ps.description === 'tag' && ps !== Symbol.for('tag')");
  pass_as(g_a, "Symbol()", g_b, "pnone", NULL);
  JS(g_b, "typeof pnone === 'symbol' && pnone.description === undefined");
  JS(g_b, "ps !== pnone");
}

/* A non-well-known symbol maps to one symbol per source symbol: passing it twice gives the same
 * symbol, so symbol keys read from a proxy (Reflect.ownKeys) find their properties. */
static void test_symbols_identity(void **state) {
  (void)state;
  vh_value s, p1, p2;
  bool same = false;
  s = run(g_a, "globalThis.tagSym = Symbol('tag'); globalThis.withSym = { [tagSym]: 'found' }; tagSym");
  assert_ok(vh_pass(g_b, s, &p1, NULL));
  assert_ok(vh_pass(g_b, s, &p2, NULL));
  assert_ok(vh_strict_equals(p1, p2, &same));
  if (!same) fail_msg("the same source symbol passed twice gave two different symbols");
  pass_as(g_a, "withSym", g_b, "pws", NULL);
  JS(g_b, "const k = Reflect.ownKeys(pws)[0]; k === Reflect.ownKeys(pws)[0] && pws[k] === 'found' && k in pws");
}

/* A collected proxy releases its source object; while the proxy lives the object stays. */
static void test_lifetime_proxy_releases(void **state) {
  (void)state;
  vh_scope sa, sb;
  vh_value obj, px;
  vh_ref weak;
  assert_ok(vh_scope_open(g_a, &sa));
  assert_ok(vh_scope_open(g_b, &sb));
  obj = run(g_a, "({ payload: new Array(1000).fill(7) })");
  assert_ok(vh_ref_new(obj, 0, &weak));
  assert_ok(vh_pass(g_b, obj, &px, NULL));
  assert_ok(set_global(g_b, "held", px));
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_scope_close(sa));
  for (int i = 0; i < 2; i++) { /* the proxy lives: the object stays */
    assert_ok(vh_runtime_gc(g_rb));
    assert_ok(vh_runtime_gc(g_ra));
  }
  assert_ok(vh_scope_open(g_a, &sa));
  assert_ok(vh_ref_get(weak, &obj));
  assert_ok(vh_scope_close(sa));
  assert_ok(vh_scope_open(g_b, &sb));
  JS(g_b, "held.payload[999] === 7 && delete globalThis.held");
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_runtime_gc(g_rb)); /* collects the proxy: the release is queued for A */
  assert_ok(vh_runtime_gc(g_ra)); /* takes A's lock (drains the queue), then collects */
  assert_ok(vh_scope_open(g_a, &sa));
  assert_status(VH_ECOLLECTED, vh_ref_get(weak, &obj));
  assert_ok(vh_ref_dispose(weak));
  assert_ok(vh_scope_close(sa));
}

/* A proxy's operations run in the realm of the engine its object was made in, and go on in
 * another engine of that runtime once that engine is disposed. */
static void test_outlives_home_engine(void **state) {
  (void)state;
  vh_runtime rx;
  vh_engine ex1, ex2;
  vh_scope sx, sb;
  open_runtime(NULL, &rx, &ex1, NULL);
  assert_ok(vh_engine_new(rx, NULL, &ex2));
  assert_ok(vh_scope_open(ex1, &sx));
  assert_ok(vh_scope_open(g_b, &sb));
  run(ex1, "globalThis.tag = 'one'; 0");
  /* Made in ex2 while ex1's scope is the open one. */
  pass_as(ex2,
          "globalThis.tag = 'two';"
          "({ x: 1, tag() { return tag }, takes(cb) { return cb(40) + 2 } })",
          g_b, "home", NULL);
  JS(g_b, "home.x === 1 && home.tag() === 'two' && home.takes(v => v) === 42");
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_engine_dispose(ex2));
  assert_ok(vh_scope_open(g_b, &sb));
  JS(g_b, "home.x === 1 && home.takes(v => v) === 42 && (home.y = 5, home.y === 5) && 'x' in home");
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_scope_close(sx));
  assert_ok(vh_runtime_dispose(rx));
}

/* The engine a proxy was made for is disposed after its traps have run (and cached it): the
 * proxy, still reachable from another engine of its runtime, works there. */
static void test_outlives_its_engine(void **state) {
  (void)state;
  vh_runtime ry;
  vh_engine ey1, ey2;
  vh_scope sy, sa;
  vh_value obj, px;
  assert_ok(vh_runtime_new(NULL, &ry));
  assert_ok(vh_engine_new(ry, NULL, &ey1));
  assert_ok(vh_engine_new(ry, NULL, &ey2));
  assert_ok(vh_scope_open(g_a, &sa));
  assert_ok(vh_scope_open(ey1, &sy));
  obj = run(g_a, "({ x: 1, inner: { y: 2 }, f(a) { return a + 1 } })");
  assert_ok(vh_pass(ey2, obj, &px, NULL));
  put_global(ey2, "p", px);
  put_global(ey1, "p", px);
  JS(ey2, "p.x === 1 && p.inner.y === 2 && p.f(1) === 2");
  assert_ok(vh_scope_close(sy));
  assert_ok(vh_engine_dispose(ey2));
  assert_ok(vh_scope_open(ey1, &sy));
  JS(ey1, "p.x === 1 && p.inner.y === 2 && p.f(2) === 3 && Object.keys(p).length === 3");
  /* (made in the realm the trap runs in: the disposed engine's, whose context the proxy keeps) */
  JS(ey1, "try { p.f(1n); false } catch (e) { e.constructor.name === 'TypeError' && e.message.includes('BigInt') }");
  assert_ok(vh_scope_close(sy));
  assert_ok(vh_scope_close(sa));
  assert_ok(vh_runtime_dispose(ry));
}

/* Disposing the source runtime turns its proxies into throwers of "VH_EDISPOSED..." Errors. */
static void test_dispose_source(void **state) {
  (void)state;
  vh_runtime rx;
  vh_engine ex;
  vh_scope sx, sb;
  open_runtime(NULL, &rx, &ex, &sx);
  assert_ok(vh_scope_open(g_b, &sb));
  pass_as(ex, "globalThis.o = { x: 1, f() { return 2 }, K: class {} }; o", g_b, "dead", NULL);
  pass_as(ex, "o.f", g_b, "deadf", NULL);
  pass_as(ex, "o.K", g_b, "deadK", NULL);
  JS(g_b, "dead.x === 1 && deadf() === 2");
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_scope_close(sx));
  assert_ok(vh_runtime_dispose(rx));
  assert_ok(vh_scope_open(g_b, &sb));
  static const char *const ops[] = {"dead.x", "deadf()", "new deadK()", "Object.keys(dead)", "'x' in dead",
                                    "dead.y = 1", "delete dead.x", "Object.getPrototypeOf(dead)",
                                    "Object.getOwnPropertyDescriptor(dead, 'x')", "[...dead]"};
  char src[256];
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
    snprintf(src, sizeof src, "try { %s; false } catch (e) { e instanceof Error && e.message.startsWith('VH_EDISPOSED') }", ops[i]);
    JS(g_b, src);
  }
  JS(g_b, "1 + 1 === 2");
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_runtime_gc(g_rb)); /* collecting dead proxies is harmless */
}

/* Disposing the destination releases the source objects its proxies held; the source works on. */
static void test_dispose_destination(void **state) {
  (void)state;
  vh_runtime ry;
  vh_engine ey;
  vh_scope sa, sy, sb;
  vh_value obj;
  vh_ref weak;
  open_runtime(NULL, &ry, &ey, NULL);
  assert_ok(vh_scope_open(g_a, &sa));
  assert_ok(vh_scope_open(ey, &sy));
  obj = run(g_a, "({ v: 'kept by Y' })");
  assert_ok(vh_ref_new(obj, 0, &weak));
  assert_ok(set_global(ey, "held", obj)); /* Y's global holds a proxy of it */
  JS(ey, "held.v === 'kept by Y'");
  pass_as(ey, "globalThis.yobj = { w: 1 }; yobj", g_a, "fromY", NULL);
  assert_ok(vh_scope_close(sy));
  assert_ok(vh_scope_close(sa));
  assert_ok(vh_runtime_gc(g_ra));
  assert_ok(vh_scope_open(g_a, &sa));
  assert_ok(vh_ref_get(weak, &obj)); /* held by Y's proxy */
  JS(g_a, "fromY.w === 1");
  assert_ok(vh_scope_close(sa));
  assert_ok(vh_runtime_dispose(ry));
  assert_ok(vh_runtime_gc(g_ra));
  assert_ok(vh_scope_open(g_a, &sa));
  assert_status(VH_ECOLLECTED, vh_ref_get(weak, &obj));
  assert_ok(vh_ref_dispose(weak));
  JS(g_a, "try { fromY.w; false } catch (e) { e.message.startsWith('VH_EDISPOSED') }");
  JS(g_a, "delete globalThis.fromY; [1, 2].map(x => x * 2).join() === '2,4'");
  assert_ok(vh_scope_open(g_b, &sb)); /* A still passes objects to other runtimes */
  pass_as(g_a, "({ still: 'works' })", g_b, "after", NULL);
  JS(g_b, "after.still === 'works'");
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_scope_close(sa));
}

/* Keys a proxy is passed again come from the record's key cache: every key still reads its own
 * property when many keys share the cache's slots, when keys are long (not cached), two-byte,
 * or computed (a new string each time), and when the real object changes between reads. */
static void test_repeated_keys(void **state) {
  (void)state;
  pass_as(g_a,
          "(() => { const o = {}; for (let i = 0; i < 50; i++) o['k' + i] = i;"
          " o['\u043a\u043b\u044e\u0447'] = 'two-byte'; o['long'.repeat(30)] = 'long'; return o })()",
          g_b, "pr", NULL);
  JS(g_b, "(() => { let s = 0; for (let r = 0; r < 20; r++) for (let i = 0; i < 50; i++) s += pr['k' + i];"
          " return s === 20 * 1225 })()");
  JS(g_b, "(() => { for (let r = 0; r < 5; r++) { if (pr.k0 !== 0 || pr.k1 !== 1 || pr.k2 !== 2 || pr.k3 !== 3 ||"
          " pr.k4 !== 4 || pr['\u043a\u043b\u044e\u0447'] !== 'two-byte' || pr['long'.repeat(30)] !== 'long') return false }"
          " return true })()");
  run(g_a, "globalThis.real = undefined");
  vh_value real;
  pass_as(g_b, "pr", g_a, "real", &real); /* home again: A's own object */
  JS(g_a, "real.k7 === 7 && (real.k7 = 'changed', true)");
  JS(g_b, "pr.k7 === 'changed' && ('k7' in pr) && !('k99' in pr) && (pr.k99 = 99, pr.k99 === 99)");
}

/* The library's count of crossings back from a source into a trap's destination (proxy.cc;
 * hidden in the shared library: this test links the static one). */
uint64_t vh_internal_proxy_crossings(void);

/* Runs src in B and returns how many times proxy operations crossed back into B meanwhile. */
static uint64_t crossings_of(const char *src) {
  uint64_t before = vh_internal_proxy_crossings();
  run(g_b, src);
  return vh_internal_proxy_crossings() - before;
}

/* A proxied getOwnPropertyDescriptor crosses back into the destination once, whatever the
 * descriptor carries: a primitive value, an object value (a new proxy), a getter and a setter
 * (two functions), a non-configurable property (the target mirrored too); none for an absent
 * property. Other operations likewise: at most one crossing back each. */
static void test_descriptor_crosses_back_once(void **state) {
  (void)state;
  pass_as(g_a,
          "(() => { const o = { n: 1, obj: { deep: 2 }, get acc() { return 3 }, set acc(v) {} };"
          " Object.defineProperty(o, 'fixed', { value: 'f', writable: false, enumerable: true, configurable: false });"
          " return o })()",
          g_b, "pd", NULL);
  /* warm-up: the handler class and the first trap's lookups */
  run(g_b, "Object.getOwnPropertyDescriptor(pd, 'n')");
  assert_int_equal(crossings_of("globalThis.d1 = Object.getOwnPropertyDescriptor(pd, 'n')"), 1);
  assert_int_equal(crossings_of("globalThis.d2 = Object.getOwnPropertyDescriptor(pd, 'obj')"), 1);
  assert_int_equal(crossings_of("globalThis.d3 = Object.getOwnPropertyDescriptor(pd, 'acc')"), 1);
  assert_int_equal(crossings_of("globalThis.d4 = Object.getOwnPropertyDescriptor(pd, 'fixed')"), 1);
  assert_int_equal(crossings_of("globalThis.d5 = Object.getOwnPropertyDescriptor(pd, 'absent')"), 0);
  JS(g_b, "d1.value === 1 && d1.writable && d1.enumerable && d1.configurable && !('get' in d1)");
  JS(g_b, "d2.value.deep === 2 && d2.value === pd.obj");
  JS(g_b, "typeof d3.get === 'function' && typeof d3.set === 'function' && !('value' in d3) && d3.get() === 3");
  JS(g_b, "d4.value === 'f' && !d4.writable && d4.enumerable && !d4.configurable && d5 === undefined");
  JS(g_b, "Object.getPrototypeOf(d1) === Object.prototype"); /* V8 copies the trap's result */
  /* the same count with a hundred keys or one, with five arguments or none */
  pass_as(g_a, "(() => { const o = {}; for (let i = 0; i < 100; i++) o['k' + i] = i; return o })()", g_b, "pk", NULL);
  pass_as(g_a, "(...args) => ({ n: args.length, first: args[0] })", g_b, "pf", NULL);
  assert_int_equal(crossings_of("globalThis.k1 = Reflect.ownKeys(pk)"), 1);
  assert_int_equal(crossings_of("pd.n"), 0);      /* a primitive result: no crossing at all */
  assert_int_equal(crossings_of("pd.obj"), 1);    /* an object: one, for its proxy */
  assert_int_equal(crossings_of("globalThis.r5 = pf({}, [], 3, 'x', () => 1)"), 1);
  assert_int_equal(crossings_of("globalThis.r0 = pf()"), 1);
  assert_int_equal(crossings_of("pd.n = 5"), 0);
  JS(g_b, "k1.length === 100 && k1[99] === 'k99' && r5.n === 5 && r0.n === 0 && pd.n === 5");
}

/* A host function of A throwing each standard kind (vh_throw_error), called through a proxy
 * from B: the kind table is the one host functions use, so each arrives as B's own kind. */
static int cb_throw_kind_arg(const vh_call_info *info, vh_value *result) {
  (void)result;
  int32_t kind = 0;
  if (info->argc < 1 || vh_value_int32(info->argv[0], &kind) != VH_OK) return VH_EINVAL;
  int rc = vh_throw_error(info->engine, (vh_error_kind)kind, "from host");
  return rc == VH_OK ? VH_EEXCEPTION : rc;
}

/* Every standard error kind thrown in A arrives in B as an error of B's matching constructor
 * (its prototype B's <Kind>.prototype), with message, stack and cause; AggregateError with its
 * errors; subclasses as their nearest standard ancestor; errors from V8 itself (a SyntaxError
 * of JSON.parse) and from host functions likewise. */
static void test_exceptions_every_kind(void **state) {
  (void)state;
  static const char *const kinds[] = {"Error",     "TypeError", "RangeError", "SyntaxError",
                                      "ReferenceError", "EvalError", "URIError"};
  assert_ok(vh_eval(g_a,
                    "globalThis.kinds = {\n"
                    "  make(name) { throw new globalThis[name]('m:' + name, { cause: { why: name } }) },\n"
                    "  agg() { throw new AggregateError([new TypeError('t1'), 7], 'many', { cause: 'c' }) },\n"
                    "  sub() { class Mine extends RangeError {} throw new Mine('mine') },\n"
                    "  subAgg() { class Many extends AggregateError {} throw new Many([1], 'sub-agg') },\n"
                    "  deep() { class A extends SyntaxError {} class B extends A {} throw new B('deep') },\n"
                    "  json() { return JSON.parse('{') },\n"
                    "  ref() { return notDefinedAnywhere },\n"
                    "  noCause() { throw new URIError('plain') } }",
                    VH_AUTO_LENGTH, "source-kinds.js", NULL));
  pass_as(g_a, "kinds", g_b, "pk", NULL);
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; ++i) {
    char src[512];
    snprintf(src, sizeof src,
             "try { pk.make('%s'); false } catch (e) { e instanceof %s && e.constructor === %s &&"
             " Object.getPrototypeOf(e) === %s.prototype && e.name === '%s' && e.message === 'm:%s' &&"
             " e.stack.includes('source-kinds.js') && e.cause.why === '%s' &&"
             " !Object.getOwnPropertyDescriptor(e, 'cause').enumerable }",
             kinds[i], kinds[i], kinds[i], kinds[i], kinds[i], kinds[i], kinds[i]);
    JS(g_b, src);
  }
  JS(g_b, "try { pk.agg(); false } catch (e) { e.constructor === AggregateError && e.message === 'many' &&"
          " e.cause === 'c' && e.errors.length === 2 && e.errors[0].message === 't1' && e.errors[1] === 7 &&"
          " e.stack.includes('source-kinds.js') }");
  JS(g_b, "try { pk.sub(); false } catch (e) { e.constructor === RangeError && e.message === 'mine' }");
  JS(g_b, "try { pk.subAgg(); false } catch (e) { e.constructor === AggregateError && e.errors[0] === 1 }");
  JS(g_b, "try { pk.deep(); false } catch (e) { e.constructor === SyntaxError && e.message === 'deep' }");
  JS(g_b, "try { pk.json(); false } catch (e) { e.constructor === SyntaxError && e.message.length > 0 }");
  JS(g_b, "try { pk.ref(); false } catch (e) { e.constructor === ReferenceError && e.message.includes('notDefinedAnywhere') }");
  JS(g_b, "try { pk.noCause(); false } catch (e) { e.constructor === URIError && !('cause' in e) }");
  /* from a host function of A, by the same table */
  vh_value fn, passed;
  assert_ok(vh_new_function(g_a, "hostThrow", cb_throw_kind_arg, NULL, &fn));
  assert_ok(vh_pass(g_b, fn, &passed, NULL));
  put_global(g_b, "hostThrow", passed);
  static const vh_error_kind host_kinds[] = {VH_ERROR_KIND_ERROR,     VH_ERROR_KIND_TYPE_ERROR, VH_ERROR_KIND_RANGE_ERROR, VH_ERROR_KIND_SYNTAX_ERROR,
                                             VH_ERROR_KIND_REFERENCE_ERROR, VH_ERROR_KIND_EVAL_ERROR, VH_ERROR_KIND_URI_ERROR, VH_ERROR_KIND_AGGREGATE_ERROR};
  static const char *const host_names[] = {"Error",     "TypeError", "RangeError", "SyntaxError",
                                           "ReferenceError", "EvalError", "URIError", "AggregateError"};
  for (size_t i = 0; i < sizeof host_kinds / sizeof *host_kinds; ++i) {
    char src[256];
    snprintf(src, sizeof src,
             "try { hostThrow(%d); false } catch (e) { e.constructor === %s && e.message === 'from host' }",
             (int)host_kinds[i], host_names[i]);
    JS(g_b, src);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_pass_primitives, setup, teardown),
      cmocka_unit_test_setup_teardown(test_proxy_in_long_loop_and_class_keys, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pass_direct_same_runtime, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pass_proxy_kinds, setup, teardown),
      cmocka_unit_test_setup_teardown(test_get_set_has_delete, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refused_set_delete, setup, teardown),
      cmocka_unit_test_setup_teardown(test_keys_and_descriptors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_prototypes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_calls, setup, teardown),
      cmocka_unit_test_setup_teardown(test_construct, setup, teardown),
      cmocka_unit_test_setup_teardown(test_iteration_and_well_known, setup, teardown),
      cmocka_unit_test_setup_teardown(test_exceptions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_exception_from_callback, setup, teardown),
      cmocka_unit_test_setup_teardown(test_exceptions_every_kind, setup, teardown),
      cmocka_unit_test_setup_teardown(test_descriptor_crosses_back_once, setup, teardown),
      cmocka_unit_test_setup_teardown(test_repeated_keys, setup, teardown),
      cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
      cmocka_unit_test_setup_teardown(test_promises, setup, teardown),
      cmocka_unit_test_setup_teardown(test_symbols_well_known, setup, teardown),
      cmocka_unit_test_setup_teardown(test_symbols_other, setup, teardown),
      cmocka_unit_test_setup_teardown(test_symbols_identity, setup, teardown),
      cmocka_unit_test(test_lifetime_proxy_releases),
      cmocka_unit_test(test_outlives_home_engine),
      cmocka_unit_test(test_outlives_its_engine),
      cmocka_unit_test(test_dispose_source),
      cmocka_unit_test(test_dispose_destination),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

