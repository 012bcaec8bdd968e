/* The library's replacements for Array.prototype sort, indexOf, lastIndexOf, includes, join,
 * reverse, forEach, every and reduce (src/limits/safe_builtins.cc, docs/limits.md "Builtins whose
 * loops no stop reaches"): a deadline stops each on a huge array-like and on a huge sparse array,
 * a sort of a huge array-like no longer ends the process, and each keeps the builtin's observable
 * behaviour (ES2022 23.1.3), in new, reset and snapshot engines alike. The expected trap orders
 * and results are V8's own builtins' (checked against node). */
#include "test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#define MIB (1024u * 1024u)

/* Scripts V8 10.2 ran in a loop no stop reaches (the first ended the process; V8's includes on
 * the sparse Array returns at once, the replacement's loop is tested here): on an array-like of
 * length 2^40 (join: 2^32 - 1, its largest) or a genuine Array of length 2^32 - 1 with one
 * element (dictionary mode). */
static const char *kHuge[] = {
    "Array.prototype.sort.call({length: 2 ** 40})",
    "Array.prototype.sort.call({length: 2 ** 40, 0: 2, 1: 1}, (a, b) => a - b)",
    "Array.prototype.indexOf.call({length: 2 ** 40}, 1)",
    "Array.prototype.lastIndexOf.call({length: 2 ** 40}, 1)",
    "Array.prototype.includes.call({length: 2 ** 40, 0: 0}, 1)",
    "Array.prototype.join.call({length: 2 ** 32 - 1}, '')",
    "Array.prototype.reverse.call({length: 2 ** 40})",
    "Array.prototype.forEach.call({length: 2 ** 40}, () => {})",
    "Array.prototype.every.call({length: 2 ** 40}, () => true)",
    "Array.prototype.reduce.call({length: 2 ** 40, 0: 0}, (a) => a)",
    "(() => { const a = []; a[2 ** 32 - 2] = 1; return a.indexOf(2) })()",
    "(() => { const a = []; a[2 ** 32 - 2] = 1; return a.lastIndexOf(2) })()",
    "(() => { const a = []; a[2 ** 32 - 2] = 1; return a.includes(2) })()",
    "(() => { const a = []; a[2 ** 32 - 2] = 1; a.reverse() })()",
    "(() => { const a = []; a[2 ** 32 - 2] = 1; a.sort() })()",
    "(() => { const a = []; a[2 ** 32 - 2] = 1; a.forEach(() => {}) })()",
};

/* Child process: kHuge[i] in a 64 MiB runtime with a 300 ms deadline; exit 0 when it returned
 * VH_ETIMEDOUT and the runtime works afterwards. A process end (V8's sort of a huge array-like
 * ended it) is seen by the parent as a signal, and so is a loop that runs on (SIGALRM). */
static int huge_child(size_t i) {
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  vh_value v;
  vh_runtime_options o;
  alarm(20); /* a loop the deadline does not stop: SIGALRM, a failure, not a stray process */
  if (vh_runtime_options_init(&o) != VH_OK) return 10;
  o.heap_max_bytes = 64 * MIB;
  if (vh_runtime_new(&o, &rt) != VH_OK || vh_engine_new(rt, NULL, &e) != VH_OK) return 11;
  if (vh_scope_open(e, &s) != VH_OK || vh_runtime_set_deadline(rt, 300) != VH_OK) return 12;
  int rc = vh_eval(e, kHuge[i], VH_AUTO_LENGTH, "huge.js", NULL);
  if (rc != VH_ETIMEDOUT) {
    fprintf(stderr, "%s: %s\n", kHuge[i], vh_err_name(rc));
    return 13;
  }
  if (vh_runtime_set_deadline(rt, 0) != VH_OK) return 14;
  int32_t n = 0;
  if (vh_eval(e, "[3, 1, 2].sort().indexOf(3)", VH_AUTO_LENGTH, NULL, &v) != VH_OK || vh_value_int32(v, &n) != VH_OK ||
      n != 2)
    return 15;
  vh_scope_close(s);
  return vh_runtime_dispose(rt) == VH_OK ? 0 : 16;
}

/* Each of kHuge in a child process: stopped by the deadline, and the runtime works afterwards. */
static const char *huge_name(size_t i) { return kHuge[i]; }

static void test_huge_loops_stopped_by_deadline(void **state) {
  (void)state;
  run_self_cases("test_safe_builtins", "--huge", sizeof kHuge / sizeof *kHuge, huge_name);
}

/* In this process too (no child): a deadline stops the sort's collection loop and an indexOf on
 * a huge array-like, and the engine works afterwards. */
static void test_huge_loops_stopped_in_process(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  assert_ok(vh_runtime_new(NULL, &rt));
  assert_ok(vh_engine_new(rt, NULL, &e));
  assert_ok(vh_runtime_set_deadline(rt, 200));
  assert_status(VH_ETIMEDOUT, run_scoped(e, "Array.prototype.sort.call({length: 2 ** 40, 5: 1})"));
  assert_ok(vh_runtime_set_deadline(rt, 200));
  assert_status(VH_ETIMEDOUT, run_scoped(e, "Array.prototype.indexOf.call({length: 2 ** 40}, 1)"));
  assert_ok(vh_runtime_set_deadline(rt, 0));
  assert_status(VH_OK, run_scoped(e, "[1, 2, 3].reverse().join()"));
  assert_ok(vh_runtime_dispose(rt));
}

#define NAMES "['sort', 'indexOf', 'lastIndexOf', 'includes', 'join', 'reverse', 'forEach', 'every', 'reduce']"
/* A proxy handler that logs get, has, set and deleteProperty: `h(log)`. */
#define TRAPS                                                                                        \
  "const h = (log) => { const o = {}; for (const t of ['get', 'has', 'set', 'deleteProperty'])"     \
  "  o[t] = (...a) => { log.push(t + ' ' + String(a[1])); return Reflect[t](...a) }; return o };"
/* The trap log of Array.prototype[name] on a proxy of target with args. */
#define LOG_OF                                                                                       \
  TRAPS "const logOf = (name, target, ...args) => { const log = []; try {"                           \
        "  Array.prototype[name].apply(new Proxy(target, h(log)), args) } catch (e) {"              \
        "  log.push('throw ' + e.constructor.name) } return log.join() };"

static const char *kSemantics[] = {
    /* length, name, attributes, not constructors */
    "(() => { const lengths = [1, 1, 1, 1, 1, 0, 1, 1, 1]; return " NAMES ".every((n, i) => {"
    "  const f = Array.prototype[n], d = Object.getOwnPropertyDescriptor(Array.prototype, n);"
    "  const l = Object.getOwnPropertyDescriptor(f, 'length');"
    "  return f.length === lengths[i] && f.name === n && d.writable && !d.enumerable && d.configurable &&"
    "    !l.writable && !l.enumerable && l.configurable && !('prototype' in f) && Object.keys(f).length === 0 &&"
    "    (() => { try { new f(() => 1); return false } catch (e) { return e instanceof TypeError } })() }) })()",
    /* null and undefined receivers: a TypeError */
    NAMES ".every(n => [null, undefined].every(r => { try { Array.prototype[n].call(r, () => 1); return false }"
    "  catch (e) { return e instanceof TypeError } }))",
    /* ToObject of a primitive receiver */
    "Array.prototype.indexOf.call('hello', 'l') === 2 && Array.prototype.lastIndexOf.call('hello', 'l') === 3 &&"
    "  Array.prototype.includes.call('hi', 'i') && Array.prototype.join.call('abc') === 'a,b,c' &&"
    "  Array.prototype.reverse.call(5) instanceof Number && Array.prototype.sort.call(true) instanceof Boolean &&"
    "  Array.prototype.reduce.call('abc', (a, c) => c + a) === 'cba' && Array.prototype.every.call('aa', c => c === 'a')",
    /* one read of length (ToLength of an object: valueOf once), then the arguments' conversion */
    "(() => { const r = " NAMES ".map(n => { const log = [];"
    "  const o = {get length() { log.push('len'); return {valueOf() { log.push('lenv'); return 3 }} }, 0: 1, 1: 2, 2: 3};"
    "  try { Array.prototype[n].call(o, n === 'sort' ? undefined : {valueOf() { log.push('arg0'); return 1 },"
    "    toString() { log.push('arg0s'); return ',' }}, {valueOf() { log.push('arg1'); return 1 }}) }"
    "  catch (e) { log.push('throw ' + e.constructor.name) } return log.join() });"
    "  return r.join(';') === 'len,lenv;len,lenv,arg1;len,lenv,arg1;len,lenv,arg1;len,lenv,arg0s;len,lenv;"
    "len,lenv,throw TypeError;len,lenv,throw TypeError;len,lenv,throw TypeError' })()",
    /* the same on a huge length, where the JS loops run (an element found early ends them) */
    "Array.prototype.indexOf.call({length: 2 ** 40, 7: 'x'}, 'x') === 7 &&"
    "  Array.prototype.lastIndexOf.call({length: 2 ** 40, 7: 'x'}, 'x', 9) === 7 &&"
    "  Array.prototype.includes.call({length: 2 ** 40, 3: NaN}, NaN) &&"
    "  !Array.prototype.every.call({length: 2 ** 40, 3: 0}, v => v) &&"
    "  Array.prototype.lastIndexOf.call({length: 2 ** 53 + 10, [2 ** 53 - 2]: 'y'}, 'y') === 2 ** 53 - 2",
    /* relative indices, on a genuine Array (the original), an array-like and a proxy (the JS loop) */
    "(() => { const a = [1, 'x', NaN, 1, undefined, -0]; const o = {length: 6};"
    "  for (let i = 0; i < a.length; i++) o[i] = a[i];"
    "  const run = (t) => [[1], [1, -3], [1, 4], [1, Infinity], [1, -Infinity], [1, 1.9], [NaN], [0], [undefined],"
    "    [1, {valueOf() { return -6 }}]].map(args => ['indexOf', 'lastIndexOf', 'includes'].map(n =>"
    "    String(Array.prototype[n].apply(t, args))).join('/')).join(' ');"
    "  const r = run(a); return r === run(o) && r === run(new Proxy(a, {})) &&"
    "    r === '0/3/true 3/3/true -1/3/false -1/3/false 0/-1/true 3/0/true -1/-1/true 5/5/true 4/4/true 0/0/true' })()",
    "[1, 1].lastIndexOf(1, undefined) === 0 && Array.prototype.lastIndexOf.call({length: 5000, 4999: undefined}) === 4999"
    "  && Array.prototype.lastIndexOf.call({length: 5000, 4999: undefined}, undefined, undefined) === -1"
    "  && [, 1].includes(undefined) && Array.prototype.includes.call({length: 5000}, undefined)"
    "  && [, 1].indexOf(undefined) === -1",
    /* a conversion that changes a genuine Array's length: the length read first counts */
    "(() => { const a = [1, 2, 3], b = [1, 2, 3], c = [1, 2, 3], d = [1, 2, 3];"
    "  return a.indexOf(4, {valueOf() { a.push(4); return 0 }}) === -1 &&"
    "    !b.includes(4, {valueOf() { b.push(4); return 0 }}) &&"
    "    c.lastIndexOf(undefined, {valueOf() { c.length = 1; return 2 }}) === -1 &&"
    "    d.join({toString() { d.length = 1; return '+' }}) === '1++' })()",
    /* the trap order of V8's builtins (node prints the same) */
    LOG_OF
    "const t = () => ({length: 5, 0: 'c', 2: 'a', 3: undefined, 4: 1});"
    "logOf('sort', t()) === 'get length,has 0,get 0,has 1,has 2,get 2,has 3,get 3,has 4,get 4,set 0,set 1,set 2,set 3,"
    "deleteProperty 4' &&"
    "logOf('sort', [4, 2, , 1]) === 'get length,has 0,get 0,has 1,get 1,has 2,has 3,get 3,set 0,set 1,set 2,"
    "deleteProperty 3' &&"
    "logOf('reverse', t()) === 'get length,has 0,get 0,has 4,get 4,set 0,set 4,has 1,has 3,get 3,set 1,deleteProperty 3' &&"
    "logOf('reverse', [4, 2, , 1]) === 'get length,has 0,get 0,has 3,get 3,set 0,set 3,has 1,get 1,has 2,"
    "deleteProperty 1,set 2' &&"
    "logOf('indexOf', t(), 1, -4) === 'get length,has 1,has 2,get 2,has 3,get 3,has 4,get 4' &&"
    "logOf('lastIndexOf', t(), 'c', -3) === 'get length,has 2,get 2,has 1,has 0,get 0' &&"
    "logOf('includes', t(), 'a') === 'get length,get 0,get 1,get 2' &&"
    "logOf('join', t()) === 'get length,get 0,get 1,get 2,get 3,get 4' &&"
    "logOf('forEach', t(), () => {}) === 'get length,has 0,get 0,has 1,has 2,get 2,has 3,get 3,has 4,get 4' &&"
    "logOf('every', t(), v => v !== undefined) === 'get length,has 0,get 0,has 1,has 2,get 2,has 3,get 3' &&"
    "logOf('reduce', t(), (a) => a) === 'get length,has 0,get 0,has 1,has 2,get 2,has 3,get 3,has 4,get 4' &&"
    "logOf('sort', t(), 5) === 'throw TypeError'",
    /* sort: holes deleted, undefined last, the comparison's result through ToNumber, stable, a
     * non-callable comparison a TypeError before length is read; the same on a genuine Array
     * past the bound, an array-like and a proxy */
    "(() => { const o = {length: 5000, 0: undefined, 1: 'b', 3: 'a', 4000: 10, 4001: 9};"
    "  const r = Array.prototype.sort.call(o);"
    "  const ok1 = r === o && o[0] === 10 && o[1] === 9 && o[2] === 'a' && o[3] === 'b' && 4 in o && o[4] === undefined"
    "    && !(5 in o) && !(4000 in o) && !(4001 in o) && o.length === 5000 && Object.keys(o).length === 6;"
    "  const a = []; for (let i = 0; i < 6000; i++) a.push({k: i % 3, i});"
    "  const b = a.slice(); Array.prototype.sort.call(new Proxy(b, {}), (x, y) => ({valueOf() { return x.k - y.k }}));"
    "  a.sort((x, y) => x.k - y.k);"
    "  let stable = true; for (let i = 1; i < 6000; i++) if (a[i].k === a[i - 1].k && a[i].i < a[i - 1].i) stable = false;"
    "  for (let i = 0; i < 6000; i++) if (a[i] !== b[i]) stable = false;"
    "  const c = [3, 2, 1]; c.length = 5000; c.sort();"
    "  let n = 0; const bad = {get length() { n++; return 2 }};"
    "  try { Array.prototype.sort.call(bad, 5) } catch (e) { n += e instanceof TypeError ? 10 : 100 }"
    "  return ok1 && stable && c.slice(0, 4).join() === '1,2,3,' && c.length === 5000 && !(3 in c) && n === 10 })()",
    /* sort and reverse: a Set or delete that fails is a TypeError */
    "(() => { const f = Object.freeze({length: 2, 0: 2, 1: 1}); const g = Object.freeze({length: 2, 0: 2});"
    "  const nc = {length: 3, 0: 2}; Object.defineProperty(nc, 2, {value: 1, writable: true});"
    "  const t = (fn) => { try { fn(); return false } catch (e) { return e instanceof TypeError } };"
    "  return t(() => Array.prototype.sort.call(f)) && t(() => Array.prototype.reverse.call(g)) &&"
    "    t(() => Array.prototype.sort.call(nc)) && nc[0] === 1 && nc[1] === 2 && nc[2] === 1 })()",
    /* reverse: element moves, holes kept, on a genuine Array past the bound and an array-like */
    "(() => { const a = []; for (let i = 0; i < 5001; i++) if (i % 3) a[i] = i; a.reverse();"
    "  let ok = a.length === 5001; for (let i = 0; i < 5001; i++) if ((i in a) !== ((5000 - i) % 3 !== 0) ||"
    "    ((i in a) && a[i] !== 5000 - i)) ok = false;"
    "  const o = Array.prototype.reverse.call({length: 4, 0: 'a', 1: 'b', 3: 'd'});"
    "  return ok && o[0] === 'd' && !(1 in o) && o[2] === 'b' && o[3] === 'a' })()",
    /* join: undefined and null are empty, the separator, a cycle, a symbol */
    "(() => { const a = [1, 2]; a.push(a); const big = {length: 5000, 0: 1, 1: null, 2: undefined, 4999: 'z'};"
    "  const s = Array.prototype.join.call(big, '-');"
    "  let sym = false; try { Array.prototype.join.call({length: 1, 0: Symbol()}) } catch (e) { sym = e instanceof TypeError }"
    "  return a.join() === '1,2,' && s.length === 4999 + 2 && s.startsWith('1---') && s.endsWith('-z') && sym &&"
    "    [1, [2, 3]].join(undefined) === '1,2,3' && [1, 2].join(null) === '1null2' &&"
    "    [1, 2].join({toString() { return '::' }}) === '1::2' && (() => { let n = 0; try {"
    "    Array.prototype.join.call({length: 2 ** 32}, {toString() { n++; return '' }}) } catch (e) {"
    "    return e instanceof TypeError && e.message === 'Invalid array length' && n === 0 } })() })()",
    /* forEach, every, reduce: thisArg, arguments, elements removed or added while running, an
     * empty reduce without an initial value, the callback not callable */
    "(() => { const t = {}; let thisOk = true, args = '';"
    "  Array.prototype.forEach.call({length: 5000, 4999: 'v'}, function (v, k, o) { thisOk = this === t;"
    "    args = v + k + typeof o }, t);"
    "  const o = {length: 5000, 0: 1, 1: 2}; const seen = [];"
    "  Array.prototype.forEach.call(o, (v, k) => { seen.push(k); if (k === 0) { delete o[1]; o[2] = 5 } });"
    "  const calls = []; const e = Array.prototype.every.call({length: 5000, 0: 1, 1: 0, 2: 1}, (v, k) => (calls.push(k), v));"
    "  const red = Array.prototype.reduce.call({length: 5000, 3: 'a', 7: 'b'}, (acc, v, k) => acc + v + k);"
    "  const red2 = Array.prototype.reduce.call({length: 5000, 3: 'a'}, (acc, v, k) => acc + v + k, 'i');"
    "  const err = (fn) => { try { fn(); return false } catch (e) { return e instanceof TypeError } };"
    "  return thisOk && args === 'v4999object' && seen.join() === '0,2' && !e && calls.join() === '0,1' &&"
    "    red === 'ab7' && red2 === 'ia3' && err(() => Array.prototype.reduce.call({length: 5000}, a => a)) &&"
    "    err(() => [].reduce(a => a)) && [5].reduce(a => 0) === 5 && err(() => Array.prototype.forEach.call({length: 5000}, 1))"
    "    && err(() => Array.prototype.every.call({length: 0})) })()",
    /* a poisoned global or prototype does not change them (the methods are called as own
     * properties of the receivers: Function.prototype.call is poisoned too) */
    "(() => { const AP = Array.prototype, O = Object, saved = [Reflect.apply, Function.prototype.call,"
    "  Function.prototype.bind, Object.setPrototypeOf, Math.trunc];"
    "  globalThis.Object = function () { throw 1 }; Reflect.apply = Function.prototype.call ="
    "  Function.prototype.bind = Math.trunc = O.setPrototypeOf = () => { throw 2 };"
    "  O.defineProperty(AP, '0', {set(v) { throw 3 }, get() { return 'P' }, configurable: true});"
    "  const m = (o) => { for (const n of " NAMES ") O.defineProperty(o, n, {value: AP[n]}); return o };"
    "  try { const o = m({length: 5000, 1: 'b', 2: 'a'}); o.sort();"
    "    return o[0] === 'a' && o[1] === 'b' && O.keys(o).join() === '0,1,length' &&"
    "      m({length: 5000, 7: 1}).indexOf(1, 1.5) === 7 && m({length: 5000, 1: 2, 3: 4}).reduce((a, b) => a + b) === 6 &&"
    "      m({length: 5000}).join().length === 4999 && [1, 2, 3].indexOf(3) === 2 && [2, 1].sort().join() === '1,2'"
    "  } finally { delete AP[0]; globalThis.Object = O; Reflect.apply = saved[0]; Function.prototype.call = saved[1];"
    "    Function.prototype.bind = saved[2]; O.setPrototypeOf = saved[3]; Math.trunc = saved[4] } })()",
    /* a length that is a BigInt or a Symbol: ToNumber's TypeError */
    "[{length: 1n}, {length: Symbol()}].every(o => { try { Array.prototype.indexOf.call(o, 1); return false }"
    "  catch (e) { return e instanceof TypeError } })",
};

static void test_semantics(void **state) {
  (void)state;
  assert_js_all_new_and_reset(kSemantics, sizeof kSemantics / sizeof *kSemantics);
}

/* An engine made from a snapshot has them (its builder's context had them): the semantics hold
 * and a deadline stops a huge sort there. */
static void test_in_snapshot_engines(void **state) {
  (void)state;
  vh_runtime loaded;
  vh_engine e;
  runtime_from_snapshot("globalThis.sorted = [3, 1, 2].sort()", &loaded, &e);
  assert_js_all_scoped(e, kSemantics, sizeof kSemantics / sizeof *kSemantics);
  assert_js_scoped(e, "sorted.join() === '1,2,3'");
  assert_ok(vh_runtime_set_deadline(loaded, 300));
  assert_status(VH_ETIMEDOUT, run_scoped(e, "Array.prototype.sort.call({length: 2 ** 40})"));
  assert_ok(vh_runtime_dispose(loaded));
}

int main(int argc, char **argv) {
  int status;
  if (run_self_case(argc, argv, "--huge", sizeof kHuge / sizeof *kHuge, huge_child, &status)) return status;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_huge_loops_stopped_by_deadline),
      cmocka_unit_test(test_huge_loops_stopped_in_process),
      cmocka_unit_test(test_semantics),
      cmocka_unit_test(test_in_snapshot_engines),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
