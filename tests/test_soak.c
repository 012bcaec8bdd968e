/* Soak: many cycles of the things a long-running host does over and over, with resident memory
 * bounded. Bounds, not timings: each phase warms up, measures VmRSS (rss_kib), runs its cycles,
 * collects garbage, and measures again; the growth must stay under a bound that a per-cycle leak
 * of the kind the phase can leak would exceed many times over (see each bound's comment).
 *
 *   engines:  10,000 create / evaluate / dispose cycles of engines in one runtime
 *   runtimes:    500 create / engine / evaluate / dispose cycles of runtimes
 *   proxies:  1,000,000 host-proxy operations: a loop in runtime B reading and calling through a
 *             proxy of an object of runtime A, with scopes open on both, on one thread
 *
 * Under AddressSanitizer (about 3-5 times slower) the counts are divided by kScale so the test
 * stays well under ctest's 120 s; the normal build runs the full counts. */
#include "test_util.h"

#include <uv.h>

/* Under AddressSanitizer, freed memory waits in a quarantine (256 MiB by default) that shows up
 * as RSS growth. A 16 MiB quarantine still catches use-after-free of recent frees and keeps RSS
 * meaningful (as in test_engine.c). The hook is unused in builds without ASan. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "quarantine_size_mb=16"; }

#if defined(__SANITIZE_ADDRESS__)
#define VH_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VH_UNDER_ASAN 1
#endif
#endif
#ifdef VH_UNDER_ASAN
static const int kScale = 2;
/* Freed memory waiting in the 16 MiB quarantine is resident too: added to every bound. */
static const long kSlackKiB = 16 * 1024;
#else
static const int kScale = 1;
static const long kSlackKiB = 0;
#endif

static const int kEngineCycles = 10000;
static const int kRuntimeCycles = 500;
static const long kProxyOps = 1000000;

static double seconds_since(uint64_t t0) { return (double)(uv_hrtime() - t0) / 1e9; }

static int32_t eval_int(vh_engine e, const char *src) {
  int32_t n = INT32_MIN;
  assert_ok(vh_value_int32(eval_ok(e, src), &n));
  return n;
}

/* One engine's life: made, given a global and a host function, runs a script that allocates and
 * calls back, then disposed. */
static int add_one(const vh_call_info *info, vh_value *result) {
  int32_t n = 0;
  if (info->argc < 1 || vh_value_int32(info->argv[0], &n) != VH_OK) return VH_ETYPE;
  return vh_new_int32(info->engine, n + 1, result);
}

static void engine_cycle(vh_runtime rt, int i) {
  vh_engine e;
  vh_scope s;
  vh_value fn, v;
  char src[160];
  assert_ok(vh_engine_new(rt, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_new_function(e, "addOne", add_one, NULL, &fn));
  assert_ok(set_global(e, "addOne", fn));
  assert_ok(vh_new_int32(e, i, &v));
  assert_ok(set_global(e, "i", v));
  snprintf(src, sizeof src,
           "globalThis.junk = Array.from({ length: 64 }, (_, k) => ({ k, s: 'x' + k }));"
           " addOne(i) + junk.length - 64");
  assert_int_equal(eval_int(e, src), i + 1);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));
}

static void test_engine_cycles(void **state) {
  (void)state;
  vh_runtime rt;
  long before, after;
  int cycles = kEngineCycles / kScale;
  uint64_t t0 = uv_hrtime();
  assert_ok(vh_runtime_new(NULL, &rt));
  for (int i = 0; i < 300; i++) engine_cycle(rt, i); /* warm-up */
  assert_ok(vh_runtime_gc(rt));
  before = rss_kib();
  assert_true(before > 0);
  for (int i = 0; i < cycles; i++) engine_cycle(rt, i);
  assert_ok(vh_runtime_gc(rt));
  after = rss_kib();
  assert_ok(vh_runtime_dispose(rt));
  print_message("  %d engine cycles in %.1f s: RSS %ld -> %ld KiB (%+ld KiB)\n", cycles, seconds_since(t0),
                before, after, after - before);
  /* An engine kept alive costs ~170 KiB resident (test_engine.c), so 10,000 leaked engines would
   * be ~1.7 GiB, and even a leak of 8 KiB per cycle (a forgotten table record, a host function
   * record, the context's Global) would be ~80 MiB. Allocator fragmentation and V8's code and
   * map caches settle in the warm-up and stay in the low tens of MiB: 64 MiB. */
  assert_true(after - before < 64 * 1024 + kSlackKiB);
}

static void runtime_cycle(int i) {
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  char src[96];
  open_runtime(NULL, &rt, &e, &s);
  snprintf(src, sizeof src, "[%d, 1, 2].map(x => x * 2).reduce((a, b) => a + b)", i);
  assert_int_equal(eval_int(e, src), 2 * i + 6);
  assert_ok(vh_scope_close(s));
  assert_ok(vh_runtime_dispose(rt));
}

static void test_runtime_cycles(void **state) {
  (void)state;
  long before, after;
  int cycles = kRuntimeCycles / kScale;
  uint64_t t0 = uv_hrtime();
  for (int i = 0; i < 30; i++) runtime_cycle(i); /* warm-up */
  before = rss_kib();
  assert_true(before > 0);
  for (int i = 0; i < cycles; i++) runtime_cycle(i);
  after = rss_kib();
  print_message("  %d runtime cycles in %.1f s: RSS %ld -> %ld KiB (%+ld KiB)\n", cycles, seconds_since(t0),
                before, after, after - before);
  /* A runtime with one engine kept alive costs ~870 KiB resident (test_engine.c): 500 leaked would
   * be ~425 MiB, and a leak of a tenth of one per cycle still ~42 MiB over 500. Legitimate growth
   * (malloc arenas, V8's process-wide caches) settles in the warm-up: 32 MiB. */
  assert_true(after - before < 32 * 1024 + kSlackKiB);
}

/* Runtime A holds `api`: a counter with a method and a child object; runtime B gets a proxy of it
 * as `p` and loops over it. Each iteration is four proxy operations: get `inc`, call it, get
 * `child`, get `v` (the child arrives as a proxy too, the same one each time). */
static void test_proxy_operations(void **state) {
  (void)state;
  vh_runtime ra, rb;
  vh_engine a, b;
  vh_scope sa, sb;
  vh_value api, proxy;
  vh_pass_kind how = 0;
  long before, after, iterations = kProxyOps / kScale / 4;
  const long chunk = 25000;
  char src[256];
  double sum = 0;
  uint64_t t0 = uv_hrtime();
  open_two_runtimes(&ra, &a, &sa, &rb, &b, &sb);
  api = eval_ok(a, "globalThis.api = { n: 0, inc() { return ++this.n }, child: { v: 3 } }; api");
  assert_ok(vh_pass(b, api, &proxy, &how));
  assert_int_equal(how, VH_PASS_KIND_PROXY);
  assert_ok(set_global(b, "p", proxy));
  snprintf(src, sizeof src,
           "(() => { let t = 0; for (let i = 0; i < %ld; i++) { p.inc(); t += p.child.v } return t })()",
           chunk);
  eval_ok(b, src); /* warm-up: one chunk */
  assert_ok(vh_runtime_gc(ra));
  assert_ok(vh_runtime_gc(rb));
  before = rss_kib();
  for (long done = 0; done < iterations; done += chunk) {
    double t = 0;
    assert_ok(vh_value_double(eval_ok(b, src), &t));
    assert_true(t == 3.0 * chunk);
    sum += t;
  }
  assert_ok(vh_runtime_gc(ra));
  assert_ok(vh_runtime_gc(rb));
  after = rss_kib();
  /* Nothing lost: A's counter saw every call (the warm-up chunk included). */
  long calls = ((iterations + chunk - 1) / chunk) * chunk;
  assert_int_equal(eval_int(a, "api.n"), (int32_t)(calls + chunk));
  assert_true(sum == 3.0 * (double)calls);
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_scope_close(sa));
  assert_ok(vh_runtime_dispose(rb));
  assert_ok(vh_runtime_dispose(ra));
  print_message("  %ld proxy operations in %.1f s: RSS %ld -> %ld KiB (%+ld KiB)\n", calls * 4,
                seconds_since(t0), before, after, after - before);
  /* A leak per operation of even 64 bytes (a record, a Global, a copied string) would be ~61 MiB
   * over 1,000,000 operations; one per iteration of a proxy record (~200 bytes) ~48 MiB. Both
   * heaps are collected before each measurement, so live garbage does not count: 24 MiB. */
  assert_true(after - before < 24 * 1024 + kSlackKiB);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_engine_cycles),
      cmocka_unit_test(test_runtime_cycles),
      cmocka_unit_test(test_proxy_operations),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
