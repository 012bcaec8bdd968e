/* The heap limit holds: a single huge allocation is stopped with VH_EHEAPLIMIT (not a process
 * abort), the configured limit is back in force after every stop, a script that keeps what it
 * allocates cannot ratchet the heap up stop after stop, and strings copied in through a proxy
 * count against the receiving runtime's limit. The margin asserted is the one docs/limits.md
 * guarantees: heap used at most the limit plus max(limit / 2, 16 MiB) after a stop. */
#include "test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#define MIB (1024u * 1024u)

static size_t margin_for(size_t limit) { return limit / 2 > 16 * MIB ? limit / 2 : 16 * MIB; }

static vh_heap_stats stats_of(vh_runtime rt) {
  vh_heap_stats st;
  assert_ok(vh_runtime_heap_stats(rt, &st));
  return st;
}

/* After a stop: the heap used is within the documented margin of the configured limit. */
static void assert_within_margin(vh_runtime rt, size_t configured) {
  vh_heap_stats st = stats_of(rt);
  if (st.used > configured + margin_for(configured)) {
    print_error("heap used %zu MiB, limit %zu MiB + margin %zu MiB\n", st.used / MIB, configured / MIB,
                margin_for(configured) / MIB);
    fail();
  }
}

static void new_limited(size_t limit, vh_runtime *rt, vh_engine *e) {
  vh_runtime_options o;
  assert_ok(vh_runtime_options_init(&o));
  o.heap_max_bytes = limit;
  assert_ok(vh_runtime_new(&o, rt));
  assert_ok(vh_engine_new(*rt, NULL, e));
}

/* One allocation far larger than the room a stop grants (a 128 MiB string, 80 MiB arrays, a huge
 * concatenation or join) in a 16 MiB runtime: VH_EHEAPLIMIT, the limit as configured afterwards,
 * and the runtime works. (Before: "Fatal javascript OOM in Reached heap limit".) */
static void test_single_huge_allocation(void **state) {
  (void)state;
  static const char *scripts[] = {
      "(() => { const a = new Array(1e7).fill(0); const b = new Array(1e7).fill(1); return a.length + b.length })()",
      "(() => { let s = 'ab'.repeat(2**24); return (s + s + s + s).toUpperCase().length })()",
      "(() => new Array(2e6).fill('xy').join('-').length)()",
      "(() => { const s = 'x'.repeat(2**27); s.indexOf('y'); return s.toUpperCase().length })()",
      "(() => { const a = []; for (let i = 0; i < 30; i++) a.push('x'.repeat(1e7 + i).toLowerCase()); })()",
  };
  for (size_t i = 0; i < sizeof scripts / sizeof *scripts; i++) {
    vh_runtime rt;
    vh_engine e;
    new_limited(16 * MIB, &rt, &e);
    size_t configured = stats_of(rt).limit;
    assert_status(VH_EHEAPLIMIT, run_scoped(e, scripts[i]));
    assert_within_margin(rt, configured);
    assert_int_equal(stats_of(rt).limit, configured);
    assert_status(VH_OK, run_scoped(e, "[1, 2, 3].map(x => x * 2).length"));
    assert_ok(vh_runtime_dispose(rt));
  }
}

/* Stop after stop, the configured limit is in force again as soon as the call returns: the
 * stats show it, and each script is stopped at the same point. (Before: the limit stayed raised
 * by half after each stop until some later collection.) */
static void test_limit_restored_after_each_stop(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  new_limited(32 * MIB, &rt, &e);
  size_t configured = stats_of(rt).limit;
  for (int i = 0; i < 5; i++) {
    assert_status(VH_EHEAPLIMIT, run_scoped(e, "(() => { const a = []; for (;;) a.push(new Array(1000).fill(1.5)); })()"));
    assert_int_equal(stats_of(rt).limit, configured);
    assert_within_margin(rt, configured);
    assert_status(VH_OK, run_scoped(e, "'fine'"));
  }
  assert_ok(vh_runtime_dispose(rt));
}

/* A script that keeps what it allocates, stopped again and again (and a script that catches
 * nothing: a stop cannot be caught), cannot push the heap further past the limit: the runtime
 * stays stopped while it holds more than its limit. Once the host releases the engine holding it
 * and collects, the runtime works again at its configured limit. (Before: each stop raised the
 * limit by half; ten stops took a 16 MiB runtime to hundreds of MiB.) */
static void test_kept_heap_does_not_ratchet(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine anchor, e, fresh;
  /* The script runs in a second engine, the one the host will release (the runtime's first
   * engine also lends the runtime its intrinsics). */
  new_limited(16 * MIB, &rt, &anchor);
  assert_ok(vh_engine_new(rt, NULL, &e));
  size_t configured = stats_of(rt).limit;
  assert_status(VH_OK, run_scoped(e, "globalThis.keep = []; 0"));
  for (int i = 0; i < 10; i++) {
    assert_status(VH_EHEAPLIMIT, run_scoped(e, "for (;;) keep.push(new Array(1000).fill(1.5))"));
    assert_within_margin(rt, configured);
  }
  /* The memory is held by e's global: dispose it, collect, and the runtime is back. */
  assert_ok(vh_engine_dispose(e));
  assert_ok(vh_runtime_gc(rt));
  assert_ok(vh_engine_new(rt, NULL, &fresh));
  assert_status(VH_OK, run_scoped(fresh, "[1, 2, 3].join()"));
  assert_int_equal(stats_of(rt).limit, configured);
  assert_status(VH_EHEAPLIMIT, run_scoped(fresh, "(() => { const a = []; for (;;) a.push({ n: a.length }); })()"));
  assert_status(VH_OK, run_scoped(fresh, "'again'"));
  assert_ok(vh_runtime_dispose(rt));
}

/* Strings read through a proxy from a runtime without a limit are copies in the reader's heap:
 * they count against its limit, and a copy that cannot fit stops the reader with VH_EHEAPLIMIT
 * (before: a 32 MiB copy went past a 16 MiB limit, and the next ones ended the process). */
static void test_proxy_copies_count(void **state) {
  (void)state;
  vh_runtime big_rt, small_rt;
  vh_engine big, small;
  vh_scope bs, ss;
  vh_value holder, passed, global;
  open_runtime(NULL, &big_rt, &big, NULL);
  new_limited(16 * MIB, &small_rt, &small);
  size_t configured = stats_of(small_rt).limit;
  assert_ok(vh_scope_open(big, &bs));
  assert_ok(vh_eval(big, "({ big: 'x'.repeat(2**25) + 'y', small: 'z'.repeat(2**16) })", VH_AUTO_LENGTH, "big.js",
                    &holder));
  assert_ok(vh_eval(big, "1", VH_AUTO_LENGTH, NULL, NULL));
  assert_ok(vh_scope_open(small, &ss));
  assert_ok(vh_pass(small, holder, &passed, NULL));
  assert_ok(vh_engine_global(small, &global));
  assert_ok(vh_set(small, global, "holder", passed));
  /* Small copies work, and are garbage once dropped. */
  assert_ok(vh_eval(small, "let n = 0; for (let i = 0; i < 200; i++) n += holder.small.length; n", VH_AUTO_LENGTH,
                    NULL, NULL));
  assert_status(VH_EHEAPLIMIT, vh_eval(small, "const kept = []; for (;;) kept.push(holder.big); kept.length",
                                       VH_AUTO_LENGTH, "copy.js", NULL));
  assert_within_margin(small_rt, configured);
  assert_status(VH_EHEAPLIMIT, vh_eval(small, "holder.big.length", VH_AUTO_LENGTH, "copy.js", NULL));
  assert_within_margin(small_rt, configured);
  vh_value v;
  assert_ok(vh_eval(small, "holder.small.length", VH_AUTO_LENGTH, NULL, &v));
  assert_ok(vh_scope_close(ss));
  assert_ok(vh_scope_close(bs));
  assert_ok(vh_runtime_dispose(small_rt));
  assert_ok(vh_runtime_dispose(big_rt));
}

/* A destination script that catches the stops of a limited source runtime through a proxy, and
 * calls again and again, cannot ratchet the source's heap up either: the source keeps what it
 * allocates, is stopped, and stays within the margin. */
static void test_stops_caught_through_proxy(void **state) {
  (void)state;
  vh_runtime src_rt, dst_rt;
  vh_engine src, dst;
  vh_scope ss, ds;
  vh_value grow, passed, global, v;
  new_limited(16 * MIB, &src_rt, &src);
  size_t configured = stats_of(src_rt).limit;
  open_runtime(NULL, &dst_rt, &dst, &ds);
  assert_ok(vh_scope_open(src, &ss));
  assert_ok(vh_eval(src, "globalThis.keep = []; () => { for (;;) keep.push(new Array(1000).fill(1.5)); }",
                    VH_AUTO_LENGTH, "src.js", &grow));
  assert_ok(vh_pass(dst, grow, &passed, NULL));
  assert_ok(vh_engine_global(dst, &global));
  assert_ok(vh_set(dst, global, "grow", passed));
  assert_ok(vh_scope_close(ss));
  assert_ok(vh_eval(dst, "let caught = 0; for (let i = 0; i < 10; i++) try { grow() } catch (e) { caught++ } caught",
                    VH_AUTO_LENGTH, "dst.js", &v));
  int32_t caught = 0;
  assert_ok(vh_value_int32(v, &caught));
  assert_int_equal(caught, 10);
  assert_ok(vh_scope_close(ds));
  assert_within_margin(src_rt, configured);
  assert_ok(vh_runtime_dispose(dst_rt));
  assert_ok(vh_runtime_dispose(src_rt));
}

/* The scripts V8 10.2 ran in a loop no stop reaches (docs/limits.md): before the library's
 * replacements, the first ended the process ("Fatal javascript OOM in CALL_AND_RETRY_LAST"), the
 * second grew the heap past 950 MB first, the third ended it ("invalid array length"). */
static const char *kUnstoppable[] = {
    "new Array(1 << 27).fill(1.5).length",
    "Array.prototype.fill.call({length: 2 ** 27}, 0)",
    "'x'.repeat(2 ** 27).split('').length",
    "String.prototype.split.call(new String('x'.repeat(2 ** 27)), '').length",
};
static const int kUnstoppableStatus[] = {VH_EHEAPLIMIT, VH_EHEAPLIMIT, VH_EEXCEPTION, VH_EEXCEPTION};

/* Child process: one script of kUnstoppable in a 64 MiB runtime; exit 0 when it got its status
 * and the runtime works afterwards. A process end is seen by the parent as a signal. */
static int unstoppable_child(size_t i) {
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  vh_value v;
  vh_runtime_options o;
  if (vh_runtime_options_init(&o) != VH_OK) return 10;
  o.heap_max_bytes = 64 * MIB;
  if (vh_runtime_new(&o, &rt) != VH_OK || vh_engine_new(rt, NULL, &e) != VH_OK) return 11;
  if (vh_scope_open(e, &s) != VH_OK) return 12;
  int rc = vh_eval(e, kUnstoppable[i], VH_AUTO_LENGTH, "huge.js", NULL);
  if (rc != kUnstoppableStatus[i]) {
    fprintf(stderr, "%s: %s\n", kUnstoppable[i], vh_err_name(rc));
    return 13;
  }
  if (rc == VH_EEXCEPTION) {
    vh_exception ex;
    if (vh_exception_take(e, &ex) != VH_OK) return 14;
    int range = strstr(ex.message, "RangeError: Invalid array length") != NULL;
    vh_exception_free(&ex);
    if (!range) return 15;
  }
  int32_t n = 0;
  if (vh_eval(e, "[1, 2, 3].fill(7).length", VH_AUTO_LENGTH, NULL, &v) != VH_OK || vh_value_int32(v, &n) != VH_OK || n != 3)
    return 16;
  vh_scope_close(s);
  return vh_runtime_dispose(rt) == VH_OK ? 0 : 17;
}

/* Array.prototype.fill on a dictionary array and on an array-like, and a split into more pieces
 * than V8's largest array, in a 64 MiB runtime (each in a child process, so an abort is seen):
 * VH_EHEAPLIMIT for the fills, a RangeError for the split, and the runtime works afterwards. */
static const char *unstoppable_name(size_t i) { return kUnstoppable[i]; }

static void test_unstoppable_builtins_stopped(void **state) {
  (void)state;
  run_self_cases("test_limits_heap", "--unstoppable", sizeof kUnstoppable / sizeof *kUnstoppable, unstoppable_name);
}

/* A fill of a huge array-like is stopped by a deadline (before: V8's loop never looked). */
static void test_fill_stopped_by_deadline(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e;
  new_limited(512 * MIB, &rt, &e);
  assert_ok(vh_runtime_set_deadline(rt, 300));
  assert_status(VH_ETIMEDOUT, run_scoped(e, "Array.prototype.fill.call({length: 2 ** 40}, 0)"));
  assert_status(VH_OK, run_scoped(e, "[1, 2, 3].fill(0).length"));
  assert_ok(vh_runtime_dispose(rt));
}

/* The replacements keep the builtins' observable behaviour (ES2022 23.1.3.7, 22.1.3.21). */
static const char *kFillSemantics[] = {
    "Array.prototype.fill.length === 1 && Array.prototype.fill.name === 'fill'",
    "String.prototype.split.length === 2 && String.prototype.split.name === 'split'",
    "(() => { const d = Object.getOwnPropertyDescriptor(Array.prototype, 'fill');"
    "  return d.writable && !d.enumerable && d.configurable })()",
    "(() => { const d = Object.getOwnPropertyDescriptor(Array.prototype.fill, 'length');"
    "  return !d.writable && !d.enumerable && d.configurable })()",
    "!('prototype' in Array.prototype.fill) &&"
    "  (() => { try { new Array.prototype.fill(); return false } catch (e) { return e instanceof TypeError } })()",
    "[1, 2, 3, 4, 5].fill(0, 1, -1).join() === '1,0,0,0,5' && [1, 2, 3].fill(9, -2).join() === '1,9,9' &&"
    "  [1, 2, 3].fill(9, -Infinity, Infinity).join() === '9,9,9' && [1, 2, 3].fill(9, NaN, 2.9).join() === '9,9,3' &&"
    "  [1, 2, 3].fill(9, 5).join() === '1,2,3' && [1, 2, 3].fill(9, 1, '2').join() === '1,9,3'",
    "(() => { const a = new Array(10000).fill(1.5, 3); return a[2] === undefined && a[9999] === 1.5 &&"
    "  !(2 in a) && a.length === 10000 })()",
    "(() => { const o = {length: '3.7', 5: 'x'}; const r = Array.prototype.fill.call(o, 'y');"
    "  return r === o && o[0] === 'y' && o[2] === 'y' && o[3] === undefined && o[5] === 'x' })()",
    "(() => { const r = Array.prototype.fill.call(7, 1); return typeof r === 'object' && r instanceof Number })()",
    "(() => { try { Array.prototype.fill.call(null); return false } catch (e) { return e instanceof TypeError } })()",
    "(() => { const f = Object.freeze([1, 2]); try { f.fill(0); return false }"
    "  catch (e) { return e instanceof TypeError && f[0] === 1 } })()",
    "(() => { const f = Object.freeze({length: 2}); try { Array.prototype.fill.call(f, 0); return false }"
    "  catch (e) { return e instanceof TypeError } })()",
    "(() => { const log = []; const p = new Proxy([1, 2, 3], {get(t, k, r) { log.push('get ' + String(k));"
    "  return Reflect.get(t, k, r) }, set(t, k, v, r) { log.push('set ' + k); return Reflect.set(t, k, v, r) }});"
    "  p.fill(0, {valueOf() { log.push('start'); return 1 }});"
    "  return log.join() === 'get fill,get length,start,set 1,set 2' })()",
    "(() => { let n = 0; const o = {get length() { n++; return 40 }}; Array.prototype.fill.call(o, 1);"
    "  const a = [1, 2]; a.fill(0, {valueOf() { n++; return 0 }}); return n === 2 && o[39] === 1 })()",
    "(() => { const saved = Object; globalThis.Object = function () { throw 1 }; Math.trunc = null;"
    "  try { return [1, 2, 3].fill(0, 1.5).join() === '1,0,0' && 'a,b'.split(',').length === 2 }"
    "  finally { globalThis.Object = saved } })()",
    "'a,b,,c'.split(',').join('|') === 'a|b||c' && 'abc'.split('', 2).join() === 'a,b' && 'a1b'.split(/\\d/).join() === 'a,b'",
    "String.prototype.split.call(new String('a,b'), ',').join('|') === 'a|b' &&"
    "  String.prototype.split.call(12321, '2').join('|') === '1|3|1' &&"
    "  String.prototype.split.call({toString() { return 'x-y' }}, '-', 1).join() === 'x'",
    "(() => { const log = []; const sep = {[Symbol.split]: undefined, toString() { log.push('sep'); return ',' }};"
    "  const o = {toString() { log.push('this'); return 'a,b' }};"
    "  const r = String.prototype.split.call(o, sep, {valueOf() { log.push('limit'); return 5 }});"
    "  return r.join('|') === 'a|b' && log.join() === 'this,limit,sep' })()",
};

static void test_fill_semantics(void **state) {
  (void)state;
  assert_js_all_new_and_reset(kFillSemantics, sizeof kFillSemantics / sizeof *kFillSemantics);
}

/* An engine made from a snapshot has the replacements (its builder's context had them): a huge
 * array-like fill there is stopped by a deadline too, and the semantics hold. */
static void test_fill_in_snapshot_engines(void **state) {
  (void)state;
  vh_runtime loaded;
  vh_engine e;
  runtime_from_snapshot("globalThis.filled = new Array(3).fill(2)", &loaded, &e);
  assert_js_all_scoped(e, kFillSemantics, sizeof kFillSemantics / sizeof *kFillSemantics);
  assert_js_scoped(e, "filled.join() === '2,2,2'");
  assert_ok(vh_runtime_set_deadline(loaded, 300));
  assert_status(VH_ETIMEDOUT, run_scoped(e, "Array.prototype.fill.call({length: 2 ** 40}, 0)"));
  assert_ok(vh_runtime_dispose(loaded));
}

int main(int argc, char **argv) {
  int status;
  if (run_self_case(argc, argv, "--unstoppable", sizeof kUnstoppable / sizeof *kUnstoppable, unstoppable_child,
                    &status))
    return status;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_single_huge_allocation),
      cmocka_unit_test(test_limit_restored_after_each_stop),
      cmocka_unit_test(test_kept_heap_does_not_ratchet),
      cmocka_unit_test(test_proxy_copies_count),
      cmocka_unit_test(test_stops_caught_through_proxy),
      cmocka_unit_test(test_unstoppable_builtins_stopped),
      cmocka_unit_test(test_fill_stopped_by_deadline),
      cmocka_unit_test(test_fill_semantics),
      cmocka_unit_test(test_fill_in_snapshot_engines),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
