/* The shared-backing-store path of vh_pass (SharedArrayBuffers and views over them crossing
 * runtimes: same memory, same kind/offset/length, growable stays growable, identity per
 * engine), vh_array_buffer_copy, and Atomics.wait/notify across two runtimes' threads. */
#define VH_TEST_TWO_RUNTIMES
#include "test_util.h"

#include <uv.h>

/* Runtime A with engine a; runtime B with engines b and b2. Each test starts with scopes open
 * on a, then b (B's scope innermost), on the main thread. */

/* Evaluates expr in engine from, passes the result into engine to (asserting the shared path)
 * and makes it to's global `name`. Returns the passed value. */
static vh_value pass_as(vh_engine from, const char *expr, vh_engine to, const char *name) {
  vh_value v = eval_ok(from, expr), out;
  vh_pass_kind how = 0;
  memset(&out, 0, sizeof out);
  assert_ok(vh_pass(to, v, &out, &how));
  assert_int_equal(how, VH_PASS_KIND_SHARED);
  assert_ok(set_global(to, name, out));
  return out;
}

/* The string completion value of source in engine e, into buf. */
static const char *eval_str(vh_engine e, const char *source, char *buf, size_t size) {
  vh_value v = eval_ok(e, source);
  assert_ok(vh_value_string_utf8(v, buf, size, NULL));
  return buf;
}

/* Asserts that source gives the same string in engines x and y. */
static void assert_same_in(vh_engine x, vh_engine y, const char *source) {
  char bx[512], by[512];
  eval_str(x, source, bx, sizeof bx);
  eval_str(y, source, by, sizeof by);
  if (strcmp(bx, by) != 0) print_error("%s: \"%s\" vs \"%s\"\n", source, bx, by);
  assert_string_equal(bx, by);
}

static const char *const kKinds[] = {
    "Int8Array",    "Uint8Array",   "Uint8ClampedArray", "Int16Array",    "Uint16Array", "Int32Array",
    "Uint32Array",  "Float32Array", "Float64Array",      "BigInt64Array", "BigUint64Array", "DataView"};
#define KIND_COUNT (sizeof kKinds / sizeof kKinds[0])

/* What a view looks like from script, the same text in either realm when the view is rebuilt
 * faithfully: its class, offset, lengths, that its buffer is the realm's `s`, that it is an
 * instance of the realm's own constructor. (V8 10.2's Symbol.toStringTag getter returns
 * undefined for views over growable/resizable buffers, so the class reads "[object Object]"
 * there, on both sides: the prototype checks are what tell the kind.) */
static void describe_view(char *buf, size_t size, const char *var, const char *kind) {
  snprintf(buf, size,
           "[Object.prototype.toString.call(%s), %s.byteOffset, %s.byteLength, %s.length,"
           " %s.buffer === s, %s instanceof %s, Object.getPrototypeOf(%s) === %s.prototype].join()",
           var, var, var, var, var, var, kind, var, kind);
}

/* Writes in one realm, reads in the other, for a view `v` (element 1 / byte offset 2). */
static void assert_writes_cross(vh_engine x, vh_engine y, const char *kind, int value) {
  char src[256], want[32];
  bool big = strncmp(kind, "Big", 3) == 0, dv = strcmp(kind, "DataView") == 0;
  if (dv)
    snprintf(src, sizeof src, "v.setInt16(2, %d); 0", value);
  else
    snprintf(src, sizeof src, "v[1] = %d%s; 0", value, big ? "n" : "");
  eval_ok(x, src);
  snprintf(want, sizeof want, "%d", value);
  assert_eval_string(y, dv ? "String(v.getInt16(2))" : "String(v[1])", want);
}

/* ---- plain SharedArrayBuffers ---------------------------------------------------------------- */

static void test_sab_same_memory(void **state) {
  fixture *f = *state;
  pass_as(f->a, "globalThis.s = new SharedArrayBuffer(16); new Uint8Array(s)[3] = 42; s", f->b, "s");
  assert_eval_string(f->b, "String(new Uint8Array(s)[3])", "42");
  eval_ok(f->b, "new Uint8Array(s)[15] = 7");
  assert_eval_string(f->a, "String(new Uint8Array(s)[15])", "7");
  /* An object of B's realm: B's own SharedArrayBuffer.prototype, not growable. */
  assert_eval_string(f->b,
                     "[s instanceof SharedArrayBuffer, s.byteLength, s.growable,"
                     " Object.getPrototypeOf(s) === SharedArrayBuffer.prototype].join()",
                     "true,16,false,true");
}

/* ---- every view kind ------------------------------------------------------------------------- */

/* Passes a view of kind over A's `s` (offset 8, 3 elements; 6 bytes for a DataView) into B as
 * `v`, and asserts it looks the same in both realms and that writes cross both ways. */
static void assert_fixed_view_crosses(fixture *f, const char *kind, int a_writes, int b_writes) {
  char src[256], desc[512];
  snprintf(src, sizeof src, "globalThis.v = new %s(s, 8, %d)", kind, strcmp(kind, "DataView") == 0 ? 6 : 3);
  pass_as(f->a, src, f->b, "v");
  describe_view(desc, sizeof desc, "v", kind);
  assert_same_in(f->a, f->b, desc);
  assert_writes_cross(f->a, f->b, kind, a_writes);
  assert_writes_cross(f->b, f->a, kind, b_writes);
}

/* Every TypedArray kind and DataView over a fixed SAB arrives as the same kind, offset and
 * length, over B's SAB for the same memory. */
static void test_view_kinds(void **state) {
  fixture *f = *state;
  pass_as(f->a, "globalThis.s = new SharedArrayBuffer(64)", f->b, "s");
  for (size_t i = 0; i < KIND_COUNT; i++) assert_fixed_view_crosses(f, kKinds[i], 100 + (int)i, 50 + (int)i);
  /* A view without offset or length over a fixed buffer: the whole buffer. */
  pass_as(f->a, "globalThis.w = new Float64Array(s)", f->b, "w");
  assert_eval_string(f->b, "[w.length, w.byteOffset, w.buffer === s].join()", "8,0,true");
}

/* The same over a growable SAB (V8 10.2 cannot make these through its C++ API: the library
 * calls the realm's constructor), fixed-length and length-tracking. */
static void test_view_kinds_growable(void **state) {
  fixture *f = *state;
  char src[256], desc[512];
  pass_as(f->a, "globalThis.s = new SharedArrayBuffer(64, { maxByteLength: 256 })", f->b, "s");
  for (size_t i = 0; i < KIND_COUNT; i++) {
    assert_fixed_view_crosses(f, kKinds[i], 10 + (int)i, 20 + (int)i);
    /* length-tracking: offset 8, no length */
    snprintf(src, sizeof src, "globalThis.v = new %s(s, 8)", kKinds[i]);
    pass_as(f->a, src, f->b, "v");
    describe_view(desc, sizeof desc, "v", kKinds[i]);
    assert_same_in(f->a, f->b, desc);
    assert_writes_cross(f->a, f->b, kKinds[i], 30 + (int)i);
  }
}

/* ---- growable SharedArrayBuffers ------------------------------------------------------------- */

static void test_growable_grow_both_sides(void **state) {
  fixture *f = *state;
  const char *shape = "[s.growable, s.maxByteLength, s.byteLength].join()";
  pass_as(f->a, "globalThis.s = new SharedArrayBuffer(16, { maxByteLength: 1024 }); s", f->b, "s");
  assert_eval_string(f->b, shape, "true,1024,16");
  eval_ok(f->a, "s.grow(100)");
  assert_eval_string(f->b, shape, "true,1024,100");
  eval_ok(f->b, "s.grow(600); new Uint8Array(s)[599] = 9");
  assert_eval_string(f->a, shape, "true,1024,600");
  assert_eval_string(f->a, "String(new Uint8Array(s)[599])", "9");
  /* Grown to the maximum on one side: the other cannot grow further either. */
  eval_ok(f->a, "s.grow(1024)");
  assert_eval_string(f->b, "try { s.grow(1025); 'grew' } catch (e) { e.name }", "RangeError");
  assert_eval_string(f->b, shape, "true,1024,1024");
}

/* Length-tracking views keep tracking after grow on either side; a fixed-length view that
 * happens to cover the whole buffer stays fixed. */
static void test_length_tracking_views(void **state) {
  fixture *f = *state;
  const char *lengths =
      "[t8.length, t64.length, tbig.length, tdv.byteLength, fixed.length, fixeddv.byteLength].join()";
  eval_ok(f->a,
          "globalThis.s = new SharedArrayBuffer(16, { maxByteLength: 256 });"
          "globalThis.t8 = new Uint8Array(s, 4); globalThis.t64 = new Float64Array(s);"
          "globalThis.tbig = new BigInt64Array(s, 8); globalThis.tdv = new DataView(s, 2);"
          "globalThis.fixed = new Uint8Array(s, 0, 16); globalThis.fixeddv = new DataView(s, 0, 16)");
  pass_as(f->a, "s", f->b, "s");
  pass_as(f->a, "t8", f->b, "t8");
  pass_as(f->a, "t64", f->b, "t64");
  pass_as(f->a, "tbig", f->b, "tbig");
  pass_as(f->a, "tdv", f->b, "tdv");
  pass_as(f->a, "fixed", f->b, "fixed");
  pass_as(f->a, "fixeddv", f->b, "fixeddv");
  assert_eval_string(f->b, lengths, "12,2,1,14,16,16");
  eval_ok(f->a, "s.grow(64)");
  assert_eval_string(f->a, lengths, "60,8,7,62,16,16");
  assert_eval_string(f->b, lengths, "60,8,7,62,16,16");
  eval_ok(f->b, "s.grow(200); t8[100] = 5; tbig[23] = -3n");
  assert_eval_string(f->a, lengths, "196,25,24,198,16,16");
  assert_eval_string(f->b, lengths, "196,25,24,198,16,16");
  assert_eval_string(f->a, "[t8[100], tbig[23]].join()", "5,-3");
  /* Passed again after the grow: still tracking, same offsets. */
  pass_as(f->a, "t8", f->b2, "t8");
  assert_eval_string(f->b2, "String(t8.length)", "196");
}

/* A growable SAB still at its maximum: views over it are rebuilt all the same. */
static void test_growable_at_maximum(void **state) {
  fixture *f = *state;
  pass_as(f->a, "globalThis.s = new SharedArrayBuffer(32, { maxByteLength: 32 })", f->b, "s");
  pass_as(f->a, "globalThis.v = new Int32Array(s, 4)", f->b, "v");
  assert_eval_string(f->b, "[s.growable, s.maxByteLength, v.length, v.byteOffset].join()", "true,32,7,4");
}

/* ---- identity -------------------------------------------------------------------------------- */

static void test_identity(void **state) {
  fixture *f = *state;
  bool eq = false;
  vh_value s = eval_ok(f->a, "globalThis.s = new SharedArrayBuffer(8); s"), v1, v2, v3, back;
  vh_pass_kind how;
  assert_ok(vh_pass(f->b, s, &v1, &how));
  assert_int_equal(how, VH_PASS_KIND_SHARED);
  assert_ok(vh_pass(f->b, s, &v2, &how));
  assert_ok(vh_strict_equals(v1, v2, &eq));
  assert_true(eq); /* the same buffer twice into one engine: the same object */
  assert_ok(vh_pass(f->b2, s, &v3, &how));
  assert_int_equal(how, VH_PASS_KIND_SHARED);
  assert_ok(vh_strict_equals(v1, v3, &eq));
  assert_false(eq); /* another engine of B: its own realm's object */
  /* Made in b2's realm although b's context is the one the open scope entered. */
  assert_ok(set_global(f->b2, "s3", v3));
  assert_eval_string(f->b2, "String(Object.getPrototypeOf(s3) === SharedArrayBuffer.prototype)", "true");
  assert_ok(set_global(f->b, "s3", v3));
  assert_eval_string(f->b, "String(Object.getPrototypeOf(s3) === SharedArrayBuffer.prototype)", "false");
  /* A view's buffer is the engine's object for that memory too. */
  assert_ok(set_global(f->b, "s", v1));
  pass_as(f->a, "new Uint16Array(s, 2, 1)", f->b, "v");
  assert_eval_string(f->b, "String(v.buffer === s)", "true");
  /* Back home: the original object. */
  assert_ok(vh_pass(f->a, v1, &back, &how));
  assert_int_equal(how, VH_PASS_KIND_SHARED);
  assert_ok(vh_strict_equals(back, s, &eq));
  assert_true(eq);
  assert_ok(vh_pass(f->a, v3, &back, &how));
  assert_ok(vh_strict_equals(back, s, &eq));
  assert_true(eq);
}

/* A SAB made in B and passed to A, then to B2 through A: B2 gets its own object, B keeps its
 * original when the A object comes back. */
static void test_identity_through_third_engine(void **state) {
  fixture *f = *state;
  bool eq = false;
  vh_value orig = eval_ok(f->b, "new SharedArrayBuffer(4)"), in_a, in_b2, back;
  assert_ok(vh_pass(f->a, orig, &in_a, NULL));
  assert_ok(vh_pass(f->b2, in_a, &in_b2, NULL));
  assert_ok(vh_pass(f->b, in_a, &back, NULL));
  assert_ok(vh_strict_equals(back, orig, &eq));
  assert_true(eq);
  assert_ok(vh_strict_equals(in_b2, orig, &eq));
  assert_false(eq);
}

/* Identity entries are weak: a passed buffer nobody holds is collected, and passing the
 * source again makes a new object over the same memory. Many short-lived buffers exercise the
 * cache's pruning (the sanitizer builds check it frees what it drops). */
static void test_identity_is_weak(void **state) {
  fixture *f = *state;
  eval_ok(f->a, "globalThis.s = new SharedArrayBuffer(8); new Uint8Array(s)[0] = 1");
  for (int round = 0; round < 3; round++) {
    vh_scope inner;
    assert_ok(vh_scope_open(f->b, &inner));
    for (int i = 0; i < 300; i++) {
      vh_value fresh = eval_ok(f->a, "new SharedArrayBuffer(16)"), out;
      assert_ok(vh_pass(f->b, fresh, &out, NULL));
    }
    assert_ok(vh_scope_close(inner));
    assert_ok(vh_runtime_gc(f->rb));
    assert_ok(vh_runtime_gc(f->ra));
  }
  pass_as(f->a, "s", f->b, "s");
  assert_eval_string(f->b, "String(new Uint8Array(s)[0])", "1");
}

/* Round-trip identity, round after round of buffers that die with their counterparts: each new
 * source comes back as itself. The caches key buffers by their store's address and keep dead
 * entries until they prune, so a new store the allocator makes at a dead entry's address must
 * still get its source registered (here V8 frees stores on a sweeper thread and the address
 * is not reused within the test; the rule is in marshal/shared.cc's remember_home). */
static void test_identity_after_store_reuse(void **state) {
  fixture *f = *state;
  for (int round = 0; round < 20; round++) {
    vh_scope inner;
    vh_value src, in_b, back;
    bool eq = false;
    assert_ok(vh_scope_open(f->b, &inner));
    src = eval_ok(f->a, "globalThis.cur = new SharedArrayBuffer(64); cur");
    assert_ok(vh_pass(f->b, src, &in_b, NULL));
    assert_ok(vh_pass(f->a, in_b, &back, NULL));
    assert_ok(vh_strict_equals(back, src, &eq));
    if (!eq) print_error("round %d: the source did not come back as itself\n", round);
    assert_true(eq);
    assert_ok(vh_scope_close(inner));
    eval_ok(f->a, "globalThis.cur = null; 0");
    assert_ok(vh_runtime_gc(f->rb));
    assert_ok(vh_runtime_gc(f->ra));
  }
}

/* Identity holds while the caches prune around live entries: half the buffers of the first
 * round are kept (in A, and their counterparts in B); in every later round all die. The caches
 * then stay the same size and prune again and again with dead entries among the kept ones:
 * pruning frees the dead ones, and must move a kept one back along its probe sequence when it
 * frees an entry in between. Afterwards every kept buffer still passes into B as the object B
 * got the first time, and B's object still comes back to A as the original. */
static void test_identity_survives_pruning(void **state) {
  fixture *f = *state;
  enum { kRounds = 30, kPerRound = 200, kKept = kPerRound / 2 };
  eval_ok(f->a, "globalThis.keep = []; 0");
  eval_ok(f->b, "globalThis.got = []; 0");
  for (int round = 0; round < kRounds; round++) {
    vh_scope inner_a, inner_b;
    assert_ok(vh_scope_open(f->a, &inner_a));
    assert_ok(vh_scope_open(f->b, &inner_b));
    for (int i = 0; i < kPerRound; i++) {
      bool kept = round == 0 && i % 2 == 0;
      vh_value src = eval_ok(f->a, kept ? "keep[keep.length] = new SharedArrayBuffer(8)"
                                        : "new SharedArrayBuffer(8)"),
               out;
      assert_ok(vh_pass(f->b, src, &out, NULL));
      if (kept) {
        assert_ok(set_global(f->b, "tmp", out));
        eval_ok(f->b, "got.push(tmp); 0");
      }
    }
    assert_ok(vh_scope_close(inner_b));
    assert_ok(vh_scope_close(inner_a));
    eval_ok(f->b, "globalThis.tmp = undefined; 0");
    assert_ok(vh_runtime_gc(f->rb));
    assert_ok(vh_runtime_gc(f->ra));
  }
  for (int i = 0; i < kKept; i++) {
    char src[64];
    vh_value source, out, back;
    bool eq = false;
    vh_scope inner_a, inner_b;
    assert_ok(vh_scope_open(f->a, &inner_a));
    assert_ok(vh_scope_open(f->b, &inner_b));
    snprintf(src, sizeof src, "keep[%d]", i);
    source = eval_ok(f->a, src);
    assert_ok(vh_pass(f->b, source, &out, NULL));
    snprintf(src, sizeof src, "got[%d]", i);
    assert_ok(vh_strict_equals(out, eval_ok(f->b, src), &eq));
    if (!eq) print_error("kept buffer %d: a new object in B\n", i);
    assert_true(eq);
    assert_ok(vh_pass(f->a, out, &back, NULL));
    assert_ok(vh_strict_equals(back, source, &eq));
    if (!eq) print_error("kept buffer %d: did not come back to A as itself\n", i);
    assert_true(eq);
    assert_ok(vh_scope_close(inner_b));
    assert_ok(vh_scope_close(inner_a));
  }
}

/* Disposing an engine drops its cache; the buffer passes into the others as before. */
static void test_dispose_engine_with_cache(void **state) {
  fixture *f = *state;
  vh_engine extra;
  vh_scope s;
  vh_value v, out;
  assert_ok(vh_engine_new(f->rb, NULL, &extra));
  assert_ok(vh_scope_open(extra, &s));
  v = eval_ok(f->a, "globalThis.s = new SharedArrayBuffer(8, { maxByteLength: 16 }); s");
  assert_ok(vh_pass(extra, v, &out, NULL));
  assert_ok(set_global(extra, "s", out));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(extra));
  pass_as(f->a, "s", f->b, "s");
  assert_eval_string(f->b, "String(s.byteLength)", "8");
}

/* The memory outlives the runtime that allocated it while another runtime still uses it. (V8
 * frees a store through the allocator of the isolate that made it: that allocator must live
 * as long as the store, i.e. be given to V8 as CreateParams::array_buffer_allocator_shared.) */
static void test_buffer_outlives_its_runtime(void **state) {
  (void)state;
  vh_runtime ra, rb;
  vh_engine a, b;
  vh_scope sa, sb;
  open_two_runtimes(&ra, &a, &sa, &rb, &b, &sb);
  pass_as(a, "globalThis.s = new SharedArrayBuffer(1024); new Uint8Array(s)[5] = 5; s", b, "s");
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_scope_close(sa));
  assert_ok(vh_runtime_dispose(ra));
  assert_ok(vh_scope_open(b, &sb));
  eval_ok(b, "new Uint8Array(s)[6] = 6");
  assert_eval_string(b, "new Uint8Array(s).slice(4, 8).join()", "0,5,6,0");
  eval_ok(b, "delete globalThis.s");
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_runtime_gc(rb));
  assert_ok(vh_runtime_dispose(rb));
}

/* ---- what is not shared ---------------------------------------------------------------------- */

/* Non-shared buffers and their views never take the shared path (today the proxy path is not
 * there and vh_pass may fail for them; once it is, they arrive as proxies). */
static void test_non_shared_not_shared(void **state) {
  fixture *f = *state;
  const char *sources[] = {"new ArrayBuffer(8)", "new Uint8Array(new ArrayBuffer(8), 2)",
                           "new Uint8Array(4)", "new DataView(new ArrayBuffer(8))",
                           "new ArrayBuffer(8, { maxByteLength: 16 })", "({ buffer: new SharedArrayBuffer(4) })",
                           "[new SharedArrayBuffer(4)]"};
  for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
    vh_value v = eval_ok(f->a, sources[i]), out;
    vh_pass_kind how = 0;
    int rc = vh_pass(f->b, v, &out, &how);
    if (rc == VH_OK) assert_int_not_equal(how, VH_PASS_KIND_SHARED);
    else assert_int_equal(how, 0); /* untouched on failure */
  }
}

/* Within one runtime a SAB or view is the very object (the direct path). */
static void test_same_runtime_is_direct(void **state) {
  fixture *f = *state;
  vh_value v = eval_ok(f->b, "new Int32Array(new SharedArrayBuffer(8))"), out;
  vh_pass_kind how = 0;
  bool eq = false;
  assert_ok(vh_pass(f->b2, v, &out, &how));
  assert_int_equal(how, VH_PASS_KIND_DIRECT);
  assert_ok(vh_strict_equals(v, out, &eq));
  assert_true(eq);
}

/* The size does not matter: 64 MiB and 1 KiB both pass (timing is in bench/bench_shared.cc). */
static void test_sizes(void **state) {
  fixture *f = *state;
  pass_as(f->a, "globalThis.big = new SharedArrayBuffer(64 * 1024 * 1024);"
                "new Uint8Array(big)[big.byteLength - 1] = 77; big", f->b, "big");
  pass_as(f->a, "new SharedArrayBuffer(1024)", f->b, "small");
  assert_eval_string(f->b, "[big.byteLength, new Uint8Array(big)[67108863], small.byteLength].join()",
                     "67108864,77,1024");
  pass_as(f->a, "new SharedArrayBuffer(0)", f->b, "empty");
  assert_eval_string(f->b, "String(empty.byteLength)", "0");
  pass_as(f->a, "new Uint8Array(new SharedArrayBuffer(0))", f->b, "none");
  assert_eval_string(f->b, "[none.length, none.buffer.byteLength].join()", "0,0");
  pass_as(f->a, "new Uint8Array(big, 64 * 1024 * 1024 - 4)", f->b, "tail");
  assert_eval_string(f->b, "[tail.length, tail[3]].join()", "4,77");
}

/* Script that replaced a constructor in the destination realm is never called: the realm's own
 * constructor is used (or the pass fails when no trustworthy one is left). */
static void test_tampered_constructors(void **state) {
  fixture *f = *state;
  vh_value v, out;
  eval_ok(f->b2, "globalThis.U8P = Uint8Array.prototype; globalThis.called = 0;"
                 "globalThis.Uint8Array = function () { called++; return {}; }");
  pass_as(f->a, "globalThis.s = new SharedArrayBuffer(8, { maxByteLength: 64 })", f->b2, "s");
  pass_as(f->a, "new Uint8Array(s, 2)", f->b2, "v");
  assert_eval_string(f->b2,
                     "[called, Object.getPrototypeOf(v) === U8P, v.length, v.buffer === s].join()",
                     "0,true,6,true");
  /* The prototype's constructor replaced too: no constructor left to trust. */
  eval_ok(f->b2, "Object.getPrototypeOf(v).constructor = globalThis.Uint8Array");
  v = eval_ok(f->a, "new Uint8Array(s, 4)");
  assert_status(VH_ETYPE, vh_pass(f->b2, v, &out, NULL));
  assert_eval_string(f->b2, "String(called)", "0");
  /* Fixed SABs never need a constructor. */
  pass_as(f->a, "new Uint8Array(new SharedArrayBuffer(8), 4)", f->b2, "w");
  assert_eval_string(f->b2, "[called, w.length].join()", "0,4");
  /* A getter on the global is not run either. */
  eval_ok(f->b2, "Object.defineProperty(globalThis, 'Int16Array', { get() { called++; return 1; } }); 0");
  pass_as(f->a, "new Int16Array(s, 2)", f->b2, "t");
  assert_eval_string(f->b2, "[called, t.length].join()", "0,3");
}

static void test_errors(void **state) {
  fixture *f = *state;
  vh_value v = eval_ok(f->a, "new SharedArrayBuffer(8)"), out;
  assert_status(VH_EINVAL, vh_pass(f->b, v, NULL, NULL));
  assert_status(VH_EINVAL, vh_array_buffer_copy(f->b, v, NULL));
  assert_status(VH_ETYPE, vh_array_buffer_copy(f->b, eval_ok(f->a, "({ byteLength: 3 })"), &out));
  assert_status(VH_ETYPE, vh_array_buffer_copy(f->b, eval_ok(f->a, "'bytes'"), &out));
  assert_status(VH_EINVAL, vh_array_buffer_copy((vh_engine){0}, v, &out));
}

/* ---- vh_array_buffer_copy -------------------------------------------------------------------- */

/* Copies `name` of engine a into engine to as `name`, and checks it is an ArrayBuffer of to. */
static void copy_as(fixture *f, const char *expr, vh_engine to, const char *name) {
  vh_value out;
  assert_ok(vh_array_buffer_copy(to, eval_ok(f->a, expr), &out));
  assert_ok(set_global(to, name, out));
  char src[128];
  snprintf(src, sizeof src, "String(%s instanceof ArrayBuffer)", name);
  assert_eval_string(to, src, "true");
}

static void test_copy(void **state) {
  fixture *f = *state;
  eval_ok(f->a, "globalThis.ab = new ArrayBuffer(8); new Uint8Array(ab).set([1,2,3,4,5,6,7,8])");
  copy_as(f, "ab", f->b, "c");
  assert_eval_string(f->b, "new Uint8Array(c).join()", "1,2,3,4,5,6,7,8");
  /* Independent memory both ways. */
  eval_ok(f->a, "new Uint8Array(ab)[0] = 99");
  eval_ok(f->b, "new Uint8Array(c)[1] = 98");
  assert_eval_string(f->b, "new Uint8Array(c).join()", "1,98,3,4,5,6,7,8");
  assert_eval_string(f->a, "new Uint8Array(ab).join()", "99,2,3,4,5,6,7,8");
  /* The bytes a view sees. */
  copy_as(f, "new Uint16Array(ab, 2, 2)", f->b, "c");
  assert_eval_string(f->b, "[c.byteLength, new Uint8Array(c).join()].join(';')", "4;3,4,5,6");
  copy_as(f, "new DataView(ab, 5)", f->b, "c");
  assert_eval_string(f->b, "new Uint8Array(c).join()", "6,7,8");
  /* On-heap typed arrays (small, made without a buffer). */
  copy_as(f, "new Int8Array([-1, 2, -3])", f->b, "c");
  assert_eval_string(f->b, "new Int8Array(c).join()", "-1,2,-3");
  /* Into the same runtime, and the same engine. */
  copy_as(f, "ab", f->a, "c");
  eval_ok(f->a, "new Uint8Array(c)[7] = 0");
  assert_eval_string(f->a, "[new Uint8Array(c)[7], new Uint8Array(ab)[7]].join()", "0,8");
  /* Empty buffers and views copy as empty buffers. */
  copy_as(f, "new ArrayBuffer(0)", f->b, "c");
  assert_eval_string(f->b, "String(c.byteLength)", "0");
  copy_as(f, "new Uint32Array(ab, 8)", f->b, "c");
  assert_eval_string(f->b, "String(c.byteLength)", "0");
}

/* A SAB and views over one copy into ordinary, independent memory. */
static void test_copy_shared(void **state) {
  fixture *f = *state;
  eval_ok(f->a, "globalThis.s = new SharedArrayBuffer(6); new Uint8Array(s).set([1,2,3,4,5,6])");
  copy_as(f, "s", f->b, "c");
  assert_eval_string(f->b, "[c instanceof SharedArrayBuffer, new Uint8Array(c).join()].join(';')",
                     "false;1,2,3,4,5,6");
  eval_ok(f->a, "new Uint8Array(s)[0] = 50");
  assert_eval_string(f->b, "String(new Uint8Array(c)[0])", "1");
  copy_as(f, "new Uint8Array(s, 4)", f->b, "c");
  assert_eval_string(f->b, "new Uint8Array(c).join()", "5,6");
  /* Growable: the current length, also through a length-tracking view. */
  eval_ok(f->a, "globalThis.g = new SharedArrayBuffer(4, { maxByteLength: 64 }); g.grow(10);"
                "new Uint8Array(g).fill(3)");
  copy_as(f, "g", f->b, "c");
  assert_eval_string(f->b, "String(c.byteLength)", "10");
  copy_as(f, "new Uint16Array(g, 2)", f->b, "c");
  assert_eval_string(f->b, "String(c.byteLength)", "8");
  copy_as(f, "globalThis.fx = new Uint16Array(g, 2, 1); g.grow(20); fx", f->b, "c");
  assert_eval_string(f->b, "String(c.byteLength)", "2");
}

/* Views over a resizable ArrayBuffer are copied as script sees them now: the API's lengths are
 * those at creation, and would read past the end of a shrunk buffer. */
static void test_copy_resizable(void **state) {
  fixture *f = *state;
  eval_ok(f->a,
          "globalThis.r = new ArrayBuffer(16, { maxByteLength: 64 });"
          "new Uint8Array(r).forEach((_, i, a) => { a[i] = i });"
          "globalThis.track = new Uint8Array(r, 4); globalThis.fixed = new Uint8Array(r, 8, 8);"
          "globalThis.dtrack = new DataView(r, 2); r.resize(10)");
  assert_eval_string(f->a, "[track.length, fixed.length, dtrack.byteLength].join()", "6,0,8");
  copy_as(f, "track", f->b, "c");
  assert_eval_string(f->b, "new Uint8Array(c).join()", "4,5,6,7,8,9");
  copy_as(f, "fixed", f->b, "c");
  assert_eval_string(f->b, "String(c.byteLength)", "0"); /* out of bounds: script sees none */
  copy_as(f, "dtrack", f->b, "c");
  assert_eval_string(f->b, "String(c.byteLength)", "8");
  copy_as(f, "r", f->b, "c");
  assert_eval_string(f->b, "String(c.byteLength)", "10");
  eval_ok(f->a, "r.resize(40)");
  copy_as(f, "track", f->b, "c");
  assert_eval_string(f->b, "String(c.byteLength)", "36");
  copy_as(f, "fixed", f->b, "c");
  assert_eval_string(f->b, "String(c.byteLength)", "8");
}

/* ---- Atomics.wait / notify across two runtimes on two threads ------------------------------- */

typedef struct atomics_job {
  vh_engine e;
  int rc[4];
  char result[32];
  int32_t woken;
} atomics_job;

/* Thread 1: waits on i32[0] (up to 10 s) in runtime A, then writes i32[1] = 7. */
static void waiter(void *arg) {
  atomics_job *j = arg;
  vh_scope s;
  vh_value v;
  j->rc[0] = vh_scope_open(j->e, &s);
  if (j->rc[0] != VH_OK) return;
  j->rc[1] = vh_eval(j->e, "const r = Atomics.wait(i32, 0, 0, 10000); i32[1] = 7; r", VH_AUTO_LENGTH,
                     "wait.js", &v);
  if (j->rc[1] == VH_OK) j->rc[2] = vh_value_string_utf8(v, j->result, sizeof j->result, NULL);
  j->rc[3] = vh_scope_close(s);
}

/* Thread 2: in runtime B, notifies i32[0] until one waiter was woken (the waiter may not be
 * waiting yet when this starts: nothing is stored, so it can only wake by this notify). */
static void notifier(void *arg) {
  atomics_job *j = arg;
  vh_scope s;
  vh_value v;
  j->rc[0] = vh_scope_open(j->e, &s);
  if (j->rc[0] != VH_OK) return;
  uv_sleep(50);
  j->woken = 0;
  for (int tries = 0; tries < 5000 && j->woken == 0; tries++) {
    j->rc[1] = vh_eval(j->e, "Atomics.notify(i32, 0, 1)", VH_AUTO_LENGTH, "notify.js", &v);
    if (j->rc[1] != VH_OK) break;
    j->rc[2] = vh_value_int32(v, &j->woken);
    if (j->woken == 0) uv_sleep(2);
  }
  j->rc[3] = vh_scope_close(s);
}

static void atomics_across_runtimes(const char *make) {
  vh_runtime ra, rb;
  vh_engine a, b;
  vh_scope sa, sb;
  uv_thread_t t1, t2;
  atomics_job w, n;
  memset(&w, 0, sizeof w);
  memset(&n, 0, sizeof n);
  assert_ok(vh_runtime_new(NULL, &ra));
  assert_ok(vh_runtime_new(NULL, &rb));
  assert_ok(vh_engine_new(ra, NULL, &a));
  assert_ok(vh_engine_new(rb, NULL, &b));
  /* The pass needs both locks on one thread: done here, before the threads start. */
  assert_ok(vh_scope_open(a, &sa));
  assert_ok(vh_scope_open(b, &sb));
  pass_as(a, make, b, "i32");
  eval_ok(a, "globalThis.i32 = i32_made");
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_scope_close(sa));
  w.e = a;
  n.e = b;
  assert_int_equal(uv_thread_create(&t1, waiter, &w), 0);
  assert_int_equal(uv_thread_create(&t2, notifier, &n), 0);
  assert_int_equal(uv_thread_join(&t2), 0);
  assert_int_equal(uv_thread_join(&t1), 0);
  for (int i = 0; i < 4; i++) {
    assert_status(VH_OK, w.rc[i]);
    assert_status(VH_OK, n.rc[i]);
  }
  assert_string_equal(w.result, "ok");
  assert_int_equal(n.woken, 1);
  assert_ok(vh_scope_open(b, &sb));
  assert_eval_string(b, "String(i32[1])", "7");
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_engine_dispose(a));
  assert_ok(vh_engine_dispose(b));
  assert_ok(vh_runtime_dispose(ra));
  assert_ok(vh_runtime_dispose(rb));
}

static void test_atomics_wait_notify(void **state) {
  (void)state;
  atomics_across_runtimes("globalThis.i32_made = new Int32Array(new SharedArrayBuffer(16))");
}

static void test_atomics_wait_notify_growable(void **state) {
  (void)state;
  atomics_across_runtimes(
      "globalThis.i32_made = new Int32Array(new SharedArrayBuffer(8, { maxByteLength: 64 }))");
}

int main(void) {
  /* Growable SharedArrayBuffer and resizable ArrayBuffer are an opt-in on V8 10.2 (unsafe there
   * for untrusted script, see docs/limits.md): these tests are about them, so this binary opts
   * in before its first runtime. On V8 11.1 and later the flag changes nothing. */
  if (opt_in_rab_gsab() != VH_OK) return 1;
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_sab_same_memory),
      T(test_view_kinds),
      T(test_view_kinds_growable),
      T(test_growable_grow_both_sides),
      T(test_length_tracking_views),
      T(test_growable_at_maximum),
      T(test_identity),
      T(test_identity_through_third_engine),
      T(test_identity_is_weak),
      T(test_identity_after_store_reuse),
      T(test_identity_survives_pruning),
      T(test_dispose_engine_with_cache),
      cmocka_unit_test(test_buffer_outlives_its_runtime),
      T(test_non_shared_not_shared),
      T(test_same_runtime_is_direct),
      T(test_sizes),
      T(test_tampered_constructors),
      T(test_errors),
      T(test_copy),
      T(test_copy_shared),
      T(test_copy_resizable),
      cmocka_unit_test(test_atomics_wait_notify),
      cmocka_unit_test(test_atomics_wait_notify_growable),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
