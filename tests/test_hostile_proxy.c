/* Hostile scripts against host proxies: a destination (and a source) whose globals and
 * prototypes are poisoned (throwing getters, replaced built-ins), scripts that try to capture a
 * proxy's handler, exotic receivers, huge lengths. Every trap and API path must survive and give
 * the documented result. Also: error kinds, registered symbols and identity across three
 * runtimes, and an engine's memory released at its disposal while others remain. */
#include "test_util.h"

static vh_runtime g_ra, g_rb, g_rc;
static vh_engine g_a, g_b, g_c; /* one engine in each of three runtimes */
static vh_scope g_sa, g_sb, g_sc;

static int group_setup(void **state) {
  (void)state;
  if (vh_runtime_new(NULL, &g_ra) != VH_OK || vh_runtime_new(NULL, &g_rb) != VH_OK ||
      vh_runtime_new(NULL, &g_rc) != VH_OK)
    return -1;
  return vh_engine_new(g_ra, NULL, &g_a) == VH_OK && vh_engine_new(g_rb, NULL, &g_b) == VH_OK &&
                 vh_engine_new(g_rc, NULL, &g_c) == VH_OK
             ? 0
             : -1;
}
static int group_teardown(void **state) {
  (void)state;
  return vh_runtime_dispose(g_rc) == VH_OK && vh_runtime_dispose(g_rb) == VH_OK &&
                 vh_runtime_dispose(g_ra) == VH_OK
             ? 0
             : -1;
}
/* Each test gets fresh engines (the poison of one test must not reach the next). */
static int setup(void **state) {
  (void)state;
  if (vh_engine_new(g_ra, NULL, &g_a) != VH_OK || vh_engine_new(g_rb, NULL, &g_b) != VH_OK ||
      vh_engine_new(g_rc, NULL, &g_c) != VH_OK)
    return -1;
  return vh_scope_open(g_a, &g_sa) == VH_OK && vh_scope_open(g_b, &g_sb) == VH_OK &&
                 vh_scope_open(g_c, &g_sc) == VH_OK
             ? 0
             : -1;
}
static int teardown(void **state) {
  (void)state;
  vh_exception_discard(g_a);
  vh_exception_discard(g_b);
  vh_exception_discard(g_c);
  if (vh_scope_close(g_sc) != VH_OK || vh_scope_close(g_sb) != VH_OK || vh_scope_close(g_sa) != VH_OK) return -1;
  return vh_engine_dispose(g_c) == VH_OK && vh_engine_dispose(g_b) == VH_OK && vh_engine_dispose(g_a) == VH_OK
             ? 0
             : -1;
}

static vh_value run(vh_engine e, const char *src) { return eval_named(e, src, e.id_ == g_a.id_ ? "source-a.js" : "dest.js"); }
static void js_check(vh_engine e, const char *src, int line) {
  char block[4096];
  bool b = false;
  assert_true(strlen(src) + 5 <= sizeof block);
  snprintf(block, sizeof block, "{\n%s\n}", src);
  if (vh_value_bool(run(e, block), &b) != VH_OK || !b) fail_msg("line %d: JS check false: %s", line, src);
}
#define JS(e, src) js_check((e), (src), __LINE__)

static void give(vh_engine from, const char *src, vh_engine to, const char *name) {
  vh_value passed;
  assert_ok(vh_pass(to, run(from, src), &passed, NULL));
  assert_ok(set_global(to, name, passed));
}

/* Script that defines a getter on Object.prototype for every trap name (and every descriptor
 * field): a handler that inherited from it would hand itself to the getter as `this`. */
static const char kCaptureTraps[] =
    "globalThis.captured = [];"
    "for (const k of ['get','set','has','deleteProperty','ownKeys','getOwnPropertyDescriptor',"
    "  'defineProperty','getPrototypeOf','setPrototypeOf','isExtensible','preventExtensions','apply','construct'])"
    "  Object.defineProperty(Object.prototype, k, Object.assign(Object.create(null),"
    "    { configurable: true, get() { captured.push(k + ':' + typeof this); return undefined } }));";

/* The handler of a proxy is unreachable: with a getter for every trap name on the destination's
 * Object.prototype, no proxy operation hands anything to it. (Before the fix, isExtensible,
 * preventExtensions and setPrototypeOf were looked up there and the handler was captured; calling
 * its traps on a plain object crashed the process.) */
static void test_handler_unreachable(void **state) {
  (void)state;
  give(g_a, "({ a: 1, f() { return 2 }, arr: [1, 2] })", g_b, "p");
  give(g_a, "(class K { constructor(v) { this.v = v } })", g_b, "pK");
  run(g_b, kCaptureTraps);
  run(g_b, "p.a; p.z = 1; 'a' in p; delete p.z; Object.keys(p); Object.getOwnPropertyDescriptor(p, 'a');"
           "Reflect.defineProperty(p, 'd', Object.assign(Object.create(null), { value: 1, configurable: true }));"
           "Object.getPrototypeOf(p);"
           "Reflect.setPrototypeOf(p, Object.getPrototypeOf(p)); Object.isExtensible(p); Reflect.preventExtensions(p);"
           "p.f(); new pK(1); [...p.arr]; ({ ...p }); JSON.stringify(p); Object.isFrozen(p)");
  /* Clean up before checking, so a failure does not leave the getters for the teardown. */
  run(g_b, "globalThis.n_captured = captured.length;"
           "for (const k of Object.getOwnPropertyNames(Object.prototype))"
           "  if (Object.getOwnPropertyDescriptor(Object.prototype, k).get) delete Object.prototype[k];"
           "if (captured.length) {"
           "  const h = captured[0]; const t = h.get || h.ownKeys;"
           "  for (const recv of [{}, 1, 'str', p, pK]) try { Reflect.apply(t, recv, [{}, 'x', {}]) } catch (e) {} }");
  char seen[512] = "";
  assert_ok(vh_value_string_utf8(run(g_b, "captured.slice(0, n_captured).join()"), seen, sizeof seen, NULL));
  if (seen[0]) fail_msg("trap getters on Object.prototype ran for: %s", seen);
}

static const char kPoison[] =
    "globalThis.R = {}; for (const k of Reflect.ownKeys(Reflect)) R[k] = Reflect[k];"
    "globalThis.O = { getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,"
    "  keys: Object.keys, isExtensible: Object.isExtensible, getPrototypeOf: Object.getPrototypeOf };"
    "const assign = Object.assign, create = Object.create, dp = Object.defineProperty, E = Error;"
    "globalThis.nd = (d) => assign(create(null), d);"
    "const boom = nd({ get() { throw new E('poisoned') }, configurable: true });"
    "for (const k of ['value', 'writable', 'get', 'set', 'enumerable', 'configurable'])"
    "  dp(Object.prototype, k, boom);"
    "for (const k of ['0', '1', '2']) dp(Array.prototype, k, boom);"
    "dp(Function.prototype, 'bind', boom);"
    "for (const k of ['Object', 'Reflect', 'Symbol', 'Error', 'TypeError', 'EvalError', 'AggregateError', 'Array', 'Function'])"
    "  dp(globalThis, k, boom);";

/* The destination's globals and prototypes poisoned with throwing getters and replaced
 * built-ins (Object, Reflect, Symbol, Error, Function.prototype.bind, Array.prototype): every
 * trap still works and the process survives. (Before the fix, getOwnPropertyDescriptor,
 * object spread of a proxied array and Reflect.defineProperty aborted the process with "Fatal
 * error in v8::ToLocalChecked".) */
static void test_poisoned_destination(void **state) {
  (void)state;
  run(g_a, "globalThis.src = { a: 1, arr: [10, 20], f(x) { return x * 2 }, C: class { constructor(v) { this.v = v } } };"
           "Object.defineProperty(src, 'fixed', { value: 5, enumerable: true, configurable: false })");
  give(g_a, "src", g_b, "p");
  give(g_a, "src.arr", g_b, "parr");
  run(g_b, kPoison);
  JS(g_b, "const d = O.getOwnPropertyDescriptor(p, 'fixed');"
          "R.getOwnPropertyDescriptor(d, 'value').value === 5 && R.getOwnPropertyDescriptor(d, 'configurable').value === false");
  JS(g_b, "R.getOwnPropertyDescriptor(O.getOwnPropertyDescriptor(p, 'a'), 'configurable').value === true");
  JS(g_b, "const c = { ...parr }; c[0] === 10 && c[1] === 20");
  JS(g_b, "R.defineProperty(p, 'nc', nd({ value: 8 })) === true");
  JS(g_b, "R.defineProperty(p, 'acc', nd({ get() { return 9 }, configurable: true })) && p.acc === 9");
  JS(g_b, "p.a === 1 && (p.b = 2) === 2 && 'b' in p && delete p.b && !('b' in p)");
  JS(g_b, "O.keys(p).join() === 'a,arr,f,C,fixed'");
  JS(g_b, "p.f(21) === 42 && new p.C(3).v === 3 && O.isExtensible(p) === true");
  JS(g_b, "R.setPrototypeOf(p, null) === true && O.getPrototypeOf(p) === null");
  JS(g_b, "R.preventExtensions(p) === false");
  give(g_a, "(function named() {})", g_b, "pfn"); /* a new function proxy after bind was poisoned */
  JS(g_b, "typeof pfn === 'function' && pfn() === undefined");
  JS(g_a, "src.nc === 8 && src.acc === 9 && Object.getPrototypeOf(src) === null");
}

/* Slow getters (endless loops) on the destination's globals and prototypes, under a deadline:
 * the traps never run them, so the operations finish and the deadline does not fire. (Before
 * the fix, the first mirrored non-configurable property read the global Object, the deadline
 * stopped the getter, and the process aborted in ToLocalChecked.) */
static void test_slow_getters_under_deadline(void **state) {
  (void)state;
  give(g_a, "globalThis.slow = { a: 1, arr: [1, 2] }; Object.defineProperty(slow, 'nc', { value: 3 }); slow", g_b, "p");
  give(g_a, "slow.arr", g_b, "parr");
  run(g_b, "const dp = Object.defineProperty, assign = Object.assign, create = Object.create;"
           "globalThis.gopd = Object.getOwnPropertyDescriptor; globalThis.rdp = Reflect.defineProperty;"
           "globalThis.nd = (d) => assign(create(null), d);"
           "const slow = nd({ get() { for (;;) {} }, configurable: true });"
           "for (const k of ['value', 'writable', 'get', 'set', 'enumerable', 'configurable', 'setPrototypeOf',"
           "  'isExtensible', 'preventExtensions']) dp(Object.prototype, k, slow);"
           "for (const k of ['Object', 'Reflect', 'Symbol', 'Error', 'Array']) dp(globalThis, k, slow);");
  assert_ok(vh_runtime_set_deadline(g_rb, 3000));
  assert_ok(vh_eval(g_b, "const c = { ...parr }; const d = gopd(p, 'nc'); rdp(p, 'x', nd({ value: 1 }));"
                         "c[1] === 2 && gopd(d, 'value').value === 3",
                    VH_AUTO_LENGTH, "slow.js", NULL));
  assert_ok(vh_runtime_set_deadline(g_rb, 0));
  JS(g_a, "slow.x === 1");
}

/* The source's globals poisoned too: Reflect.set replaced, error names and messages behind
 * throwing getters; set and thrown errors still cross as documented. */
static void test_poisoned_source(void **state) {
  (void)state;
  run(g_a, "globalThis.frozen = Object.freeze({ k: 1 }); globalThis.obj = { n: 0 };"
           "globalThis.thrower = { t() { throw new TypeError('typed') } };"
           "const boom = { get() { throw new Error('poisoned') }, configurable: true };"
           "Object.defineProperty(Reflect, 'set', boom); Object.defineProperty(globalThis, 'Reflect', boom);"
           "Object.defineProperty(Error.prototype, 'name', boom); Object.defineProperty(TypeError.prototype, 'name', boom);"
           "Object.defineProperty(Error.prototype, 'message', boom);");
  give(g_a, "frozen", g_b, "pfr");
  give(g_a, "obj", g_b, "pobj");
  give(g_a, "thrower", g_b, "pt");
  JS(g_b, "Reflect.set(pfr, 'k', 2) === false && Reflect.set(pobj, 'n', 3) === true && pobj.n === 3");
  JS(g_b, "try { pt.t(); false } catch (e) { e instanceof TypeError && e.message === 'typed' }");
}

/* Exotic receivers and arguments: primitives, symbols, host-class instances, other proxies as
 * `this` or new.target; too many arguments; a huge key list. */
static int ok_method(const vh_call_info *info, vh_value *result) {
  (void)info;
  (void)result;
  return VH_OK;
}
static void test_exotic_receivers_and_lengths(void **state) {
  (void)state;
  vh_class_def def;
  vh_class cls;
  vh_value inst;
  static const vh_method_def methods[] = {{"m", ok_method}};
  memset(&def, 0, sizeof def);
  def.struct_size = sizeof def;
  def.name = "Host";
  def.methods = methods;
  def.method_count = 1;
  assert_ok(vh_class_define(g_rb, &def, &cls));
  assert_ok(vh_class_new_instance(g_b, cls, NULL, &inst));
  assert_ok(set_global(g_b, "host", inst));
  run(g_a, "globalThis.big = {}; for (let i = 0; i < 70000; i++) big['k' + i] = i;"
           "globalThis.who = function () { return typeof this }; globalThis.K = class { constructor() { this.ok = 1 } }");
  give(g_a, "big", g_b, "pbig");
  give(g_a, "who", g_b, "pwho");
  give(g_a, "K", g_b, "pK");
  give(g_a, "globalThis.other = {}", g_b, "pother");
  give(g_a, "(class Other {})", g_b, "pOther");
  JS(g_b, "Object.keys(pbig).length === 70000 && Object.keys(pbig)[69999] === 'k69999'");
  JS(g_b, "Reflect.apply(pwho, 42, []) === 'object' && Reflect.apply(pwho, host, []) === 'object'");
  JS(g_b, "Reflect.apply(pwho, Symbol('s'), []) === 'object' && Reflect.apply(pwho, pother, []) === 'object'");
  JS(g_b, "Reflect.construct(pK, [], pOther).ok === 1 && Reflect.construct(pK, [], host.constructor).ok === 1");
  JS(g_b, "Reflect.get(pbig, 'k1', 42) === 1 && Reflect.set(pother, 'x', 1, host) === true");
  JS(g_b, "try { pwho(...new Array(70000).fill(0)); false } catch (e) { e instanceof RangeError }");
  JS(g_b, "host.m() === undefined");
  /* exotic sources: a revoked proxy, a proxy whose every trap throws, a callable one */
  run(g_a, "const r = Proxy.revocable({}, {}); r.revoke(); globalThis.rev = r.proxy;"
           "const h = {}; for (const k of ['get','set','has','deleteProperty','ownKeys','getOwnPropertyDescriptor',"
           "  'defineProperty','getPrototypeOf','setPrototypeOf','apply','construct'])"
           "  h[k] = () => { throw new RangeError('trap ' + k) };"
           "globalThis.thr = new Proxy(function () {}, h)");
  give(g_a, "rev", g_b, "prev");
  give(g_a, "thr", g_b, "pthr");
  JS(g_b, "try { prev.x; false } catch (e) { e instanceof TypeError }");
  JS(g_b, "const ops = [p => p.x, p => { p.x = 1 }, p => 'x' in p, p => delete p.x, p => Object.keys(p),"
          "  p => Object.getOwnPropertyDescriptor(p, 'x'), p => Object.defineProperty(p, 'x', { value: 1 }),"
          "  p => Object.setPrototypeOf(p, {}), p => p(), p => new p()];"
          "ops.map(op => { try { op(pthr); return 'no throw' } catch (e) { return e instanceof RangeError ? '' : e.message } }).join('') === ''");
  /* extensibility: the proxy stays extensible and refuses to stop being so (marshaling.md) */
  JS(g_b, "Object.isExtensible(pother) && Reflect.preventExtensions(pother) === false &&"
          " (() => { try { Object.freeze(pother); return false } catch (e) { return e instanceof TypeError } })()");
  JS(g_a, "Object.isExtensible(other) && !Object.isFrozen(other)");
}

/* Every standard error kind thrown in the source arrives as the destination's own kind, with
 * message, stack and cause; subclasses as their nearest standard ancestor. */
static void test_error_kinds(void **state) {
  (void)state;
  run(g_a, "class MyRange extends RangeError {} class Deeper extends MyRange {}"
           "globalThis.errs = { Error: () => new Error('m0', { cause: 7 }), TypeError: () => new TypeError('m1'),"
           " RangeError: () => new RangeError('m2'), SyntaxError: () => new SyntaxError('m3'),"
           " ReferenceError: () => new ReferenceError('m4'), EvalError: () => new EvalError('m5'),"
           " URIError: () => new URIError('m6'), AggregateError: () => new AggregateError([1, 2], 'm7'),"
           " Deeper: () => new Deeper('m8'), Caused: () => new Error('m9', { cause: { why: 'c' } }) };"
           "globalThis.thrower = { t(k) { throw errs[k]() } };"
           /* a source that lies about names must not change the kind */
           "Object.defineProperty(EvalError.prototype, 'name', { get() { throw 1 } });");
  give(g_a, "thrower", g_b, "pt");
  JS(g_b, "const kinds = [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError];"
          "kinds.every((K, i) => { try { pt.t(K.name); return false } catch (e) {"
          "  return Object.getPrototypeOf(e) === K.prototype && e.message === 'm' + i && e.stack.includes('source-a.js') } })");
  JS(g_b, "try { pt.t('Deeper') } catch (e) { Object.getPrototypeOf(e) === RangeError.prototype && e.message === 'm8' }");
  JS(g_b, "try { pt.t('Error') } catch (e) { e.cause === 7 }");
  JS(g_b, "try { pt.t('Caused') } catch (e) { e.cause.why === 'c' }");
  JS(g_b, "try { pt.t('AggregateError') } catch (e) { e.errors.length === 2 && e.errors[1] === 2 }");
  /* the host's own kinds: the same table */
  static const vh_error_kind kinds[] = {VH_ERROR_KIND_EVAL_ERROR, VH_ERROR_KIND_URI_ERROR, VH_ERROR_KIND_AGGREGATE_ERROR};
  static const char *const names[] = {"EvalError", "URIError", "AggregateError"};
  char check[160];
  for (size_t i = 0; i < 3; i++) {
    vh_value err;
    assert_ok(vh_new_error(g_b, kinds[i], "host", &err));
    assert_ok(set_global(g_b, "herr", err));
    snprintf(check, sizeof check, "herr instanceof %s && herr.message === 'host' && herr.name === '%s'", names[i],
             names[i]);
    JS(g_b, check);
  }
  vh_value err;
  assert_status(VH_EINVAL, vh_new_error(g_b, (vh_error_kind)(VH_ERROR_KIND_AGGREGATE_ERROR + 1), "x", &err));
  JS(g_b, "herr.errors.length === 0");
}

/* The API paths that reach proxies, called by the host on a poisoned destination: each works,
 * and the host's own error kinds are the realm's intrinsics, not the replaced globals. */
static void test_poisoned_api_paths(void **state) {
  (void)state;
  vh_value p, pf, pK, v, keys, json, args[1], err;
  bool b = false;
  int32_t n = 0;
  char text[128];
  give(g_a, "globalThis.api = { a: 1, f(x) { return x + 1 }, K: class { constructor(v) { this.v = v } } }; api", g_b, "p");
  run(g_b, "globalThis.realEval = EvalError.prototype; globalThis.gp = Object.getPrototypeOf;");
  run(g_b, kPoison);
  p = run(g_b, "p");
  assert_ok(vh_get(g_b, p, "a", &v));
  assert_ok(vh_value_int32(v, &n));
  assert_int_equal(n, 1);
  assert_ok(vh_new_int32(g_b, 5, &v));
  assert_ok(vh_set(g_b, p, "b", v));
  assert_ok(vh_has(g_b, p, "b", &b));
  assert_true(b);
  assert_ok(vh_delete(g_b, p, "b", &b));
  assert_true(b);
  assert_ok(vh_own_keys(g_b, p, 0, &keys));
  assert_ok(vh_json_stringify(g_b, p, &json));
  assert_ok(vh_value_string_utf8(json, text, sizeof text, NULL));
  assert_string_equal(text, "{\"a\":1}");
  assert_ok(vh_get(g_b, p, "f", &pf));
  assert_ok(vh_new_int32(g_b, 41, &args[0]));
  assert_ok(vh_call(g_b, pf, p, 1, args, &v));
  assert_ok(vh_value_int32(v, &n));
  assert_int_equal(n, 42);
  assert_ok(vh_get(g_b, p, "K", &pK));
  assert_ok(vh_construct(g_b, pK, 1, args, &v));
  assert_ok(vh_new_error(g_b, VH_ERROR_KIND_EVAL_ERROR, "intrinsic", &err));
  assert_ok(set_global(g_b, "herr", err));
  JS(g_b, "gp(herr) === realEval");
  assert_ok(vh_pass(g_a, p, &v, NULL)); /* home again */
  assert_ok(vh_strict_equals(v, run(g_a, "api"), &b));
  assert_true(b);
}

/* Registered symbols cross as the destination's registered symbol for the same key. */
static void test_registered_symbols(void **state) {
  (void)state;
  give(g_a, "Symbol.for('app.key')", g_b, "s");
  JS(g_b, "s === Symbol.for('app.key') && Symbol.keyFor(s) === 'app.key'");
  run(g_a, "globalThis.keyed = { [Symbol.for('k')]: 'v' }");
  give(g_a, "keyed", g_b, "pk");
  JS(g_b, "pk[Symbol.for('k')] === 'v' && Reflect.ownKeys(pk)[0] === Symbol.for('k')");
  JS(g_b, "pk[Symbol.for('k2')] = 1; true");
  JS(g_a, "keyed[Symbol.for('k2')] === 1");
  give(g_b, "Symbol.for('back')", g_a, "sb");
  JS(g_a, "sb === Symbol.for('back')");
  give(g_a, "Symbol('app.key')", g_b, "plain"); /* an unregistered one of the same description */
  JS(g_b, "plain !== Symbol.for('app.key') && Symbol.keyFor(plain) === undefined");
}

/* Identity across three runtimes: A's object via B into C is C's proxy of the object, the same
 * as A -> C directly; any proxy of it passed to A is the original. */
static void test_identity_three_runtimes(void **state) {
  (void)state;
  vh_value obj, in_b, via_b, direct, home, home2, c_obj, c_in_b;
  bool same = false;
  obj = run(g_a, "globalThis.orig = { n: 1 }; orig");
  assert_ok(vh_pass(g_b, obj, &in_b, NULL));
  assert_ok(vh_pass(g_c, in_b, &via_b, NULL));
  assert_ok(vh_pass(g_c, obj, &direct, NULL));
  assert_ok(vh_strict_equals(via_b, direct, &same));
  assert_true(same);
  assert_ok(vh_pass(g_a, via_b, &home, NULL));
  assert_ok(vh_strict_equals(home, obj, &same));
  assert_true(same);
  /* the other order: C first, then B's proxy */
  run(g_a, "globalThis.orig2 = { n: 2 }");
  assert_ok(vh_pass(g_c, run(g_a, "orig2"), &direct, NULL));
  assert_ok(vh_pass(g_b, run(g_a, "orig2"), &in_b, NULL));
  assert_ok(vh_pass(g_c, in_b, &via_b, NULL));
  assert_ok(vh_strict_equals(via_b, direct, &same));
  assert_true(same);
  /* through script: B hands its proxy to C's function, which keeps it */
  c_obj = run(g_c, "globalThis.keep = { take(o) { globalThis.kept = o; return o.n } }; keep");
  assert_ok(vh_pass(g_b, c_obj, &c_in_b, NULL));
  assert_ok(set_global(g_b, "ckeep", c_in_b));
  assert_ok(vh_pass(g_b, obj, &in_b, NULL));
  assert_ok(set_global(g_b, "pa", in_b));
  JS(g_b, "ckeep.take(pa) === 1");
  assert_ok(vh_pass(g_c, obj, &direct, NULL));
  assert_ok(vh_strict_equals(run(g_c, "kept"), direct, &same));
  assert_true(same);
  assert_ok(vh_pass(g_a, run(g_c, "kept"), &home2, NULL));
  assert_ok(vh_strict_equals(home2, obj, &same));
  assert_true(same);
  JS(g_c, "kept.n = 5; true");
  JS(g_a, "orig.n === 5");
}

/* An engine's realm is released at its disposal while other engines of the runtime remain:
 * nothing the library captured from it (intrinsics for the proxies) keeps it alive. (Before the
 * fix, the runtime's first engine stayed alive until the runtime was disposed.) */
static void test_engine_memory_released(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine first, second;
  vh_scope s;
  vh_heap_stats before, after;
  open_runtime(NULL, &rt, &first, NULL);
  assert_ok(vh_engine_new(rt, NULL, &second));
  assert_ok(vh_scope_open(first, &s));
  /* about 40 MiB of live objects, reachable only from first's global */
  assert_ok(vh_eval(first, "globalThis.keep = Array.from({ length: 400000 }, (_, i) => ({ i, s: 'x' + i, a: [i, i] })); 1",
                    VH_AUTO_LENGTH, "big.js", NULL));
  /* first is also the destination of a proxy (of another runtime's object): its handler and
   * target live in first's realm and must not keep it either */
  vh_runtime other;
  vh_engine oe;
  vh_scope so;
  vh_value passed;
  open_runtime(NULL, &other, &oe, &so);
  assert_ok(vh_pass(first, eval_ok(oe, "({ f() { return 1 } })"), &passed, NULL));
  assert_ok(set_global(first, "proxied", passed));
  assert_ok(vh_eval(first, "proxied.f()", VH_AUTO_LENGTH, "use.js", NULL));
  assert_ok(vh_scope_close(so));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_gc(rt));
  assert_ok(vh_runtime_heap_stats(rt, &before));
  assert_ok(vh_engine_dispose(first));
  assert_ok(vh_runtime_gc(rt));
  assert_ok(vh_runtime_heap_stats(rt, &after));
  if (!(after.used + 20u * 1024 * 1024 < before.used))
    fail_msg("heap used %zu -> %zu bytes after disposing the engine", before.used, after.used);
  assert_ok(vh_scope_open(second, &s));
  assert_ok(vh_eval(second, "1", VH_AUTO_LENGTH, "still.js", NULL));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
  assert_ok(vh_runtime_dispose(other));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_handler_unreachable, setup, teardown),
      cmocka_unit_test_setup_teardown(test_poisoned_destination, setup, teardown),
      cmocka_unit_test_setup_teardown(test_slow_getters_under_deadline, setup, teardown),
      cmocka_unit_test_setup_teardown(test_poisoned_source, setup, teardown),
      cmocka_unit_test_setup_teardown(test_exotic_receivers_and_lengths, setup, teardown),
      cmocka_unit_test_setup_teardown(test_poisoned_api_paths, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_kinds, setup, teardown),
      cmocka_unit_test_setup_teardown(test_registered_symbols, setup, teardown),
      cmocka_unit_test_setup_teardown(test_identity_three_runtimes, setup, teardown),
      cmocka_unit_test(test_engine_memory_released),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
