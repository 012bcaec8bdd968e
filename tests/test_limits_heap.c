/* The heap limit holds: a single huge allocation is stopped with VH_EHEAPLIMIT (not a process
 * abort), the configured limit is back in force after every stop, a script that keeps what it
 * allocates cannot ratchet the heap up stop after stop, and strings copied in through a proxy
 * count against the receiving runtime's limit. The margin asserted is the one docs/limits.md
 * guarantees: heap used at most the limit plus max(limit / 2, 16 MiB) after a stop. */
#include "test_util.h"

#define MIB (1024u * 1024u)

static size_t margin_for(size_t limit) { return limit / 2 > 16 * MIB ? limit / 2 : 16 * MIB; }

/* Runs source in a fresh scope of e; returns the status. */
static int run(vh_engine e, const char *source) {
  vh_scope s;
  assert_ok(vh_scope_open(e, &s));
  int rc = vh_eval(e, source, VH_AUTO_LENGTH, "heap.js", NULL);
  vh_exception_discard(e);
  assert_ok(vh_scope_close(s));
  return rc;
}

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
    assert_status(VH_EHEAPLIMIT, run(e, scripts[i]));
    assert_within_margin(rt, configured);
    assert_int_equal(stats_of(rt).limit, configured);
    assert_status(VH_OK, run(e, "[1, 2, 3].map(x => x * 2).length"));
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
    assert_status(VH_EHEAPLIMIT, run(e, "(() => { const a = []; for (;;) a.push(new Array(1000).fill(1.5)); })()"));
    assert_int_equal(stats_of(rt).limit, configured);
    assert_within_margin(rt, configured);
    assert_status(VH_OK, run(e, "'fine'"));
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
  assert_status(VH_OK, run(e, "globalThis.keep = []; 0"));
  for (int i = 0; i < 10; i++) {
    assert_status(VH_EHEAPLIMIT, run(e, "for (;;) keep.push(new Array(1000).fill(1.5))"));
    assert_within_margin(rt, configured);
  }
  /* The memory is held by e's global: dispose it, collect, and the runtime is back. */
  assert_ok(vh_engine_dispose(e));
  assert_ok(vh_runtime_gc(rt));
  assert_ok(vh_engine_new(rt, NULL, &fresh));
  assert_status(VH_OK, run(fresh, "[1, 2, 3].join()"));
  assert_int_equal(stats_of(rt).limit, configured);
  assert_status(VH_EHEAPLIMIT, run(fresh, "(() => { const a = []; for (;;) a.push({ n: a.length }); })()"));
  assert_status(VH_OK, run(fresh, "'again'"));
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
  assert_ok(vh_get_int32(v, &caught));
  assert_int_equal(caught, 10);
  assert_ok(vh_scope_close(ds));
  assert_within_margin(src_rt, configured);
  assert_ok(vh_runtime_dispose(dst_rt));
  assert_ok(vh_runtime_dispose(src_rt));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_single_huge_allocation),
      cmocka_unit_test(test_limit_restored_after_each_stop),
      cmocka_unit_test(test_kept_heap_does_not_ratchet),
      cmocka_unit_test(test_proxy_copies_count),
      cmocka_unit_test(test_stops_caught_through_proxy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
