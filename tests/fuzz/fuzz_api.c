/* A libFuzzer target for the public API: the input is a program for a small interpreter.
 *
 * Each byte chooses an operation from a fixed list (the op table below); the bytes after it are
 * its operands. Operations make and dispose runtimes (at most 2) and engines (at most 3 per
 * runtime), open and close scopes (in and out of order), evaluate script text (from a table of
 * snippets, or raw bytes of the input: invalid UTF-8 included), make values of every type,
 * get/set/has/delete properties, call and construct, pass values between engines of one and of
 * two runtimes (direct, shared SharedArrayBuffer, host proxy), take and discard exceptions, use
 * references, promises, classes, modules, code caches, posted tasks, and re-enter all of that from
 * host callbacks. Handles are kept after their object dies and used again (stale handles).
 * Structure-aware scripts (structured.c, op_structured) poison intrinsics, drive proxies of the
 * other runtime through their traps and, with VH_FUZZ_HUGE_ALLOCATIONS, allocate single huge
 * objects.
 *
 * A call's status is accepted whatever it is (the fuzzer looks for crashes, sanitizer reports,
 * leaks and hangs), except for invariants that are cheap and certain, checked with check():
 *   - a stale handle (disposed runtime or engine, deleted reference, closed scope, used deferred,
 *     a value whose scope closed) is never accepted (VH_OK);
 *   - a live value (its scope open) is readable, at the top level;
 *   - a call that makes a value succeeds only while its runtime is locked (in our scope stack);
 *   - closing the innermost scope succeeds, closing any other fails;
 *   - a runtime is never disposed while one of our scopes (or a host callback) is open on it,
 *     an engine never while one of our scopes is open on it;
 *   - at the end, every posted task ran once and every class instance's native was finalized once;
 *   - right after a script was stopped at the heap limit (VH_EHEAPLIMIT), the runtime's heap
 *     holds at most kHeapUsedAfterStopMax.
 *
 * Work is bounded per input: at most kMaxOps operations, scripts of at most kMaxText bytes, a
 * 200 ms deadline on every live runtime around each top-level operation that may run script, a
 * heap limit of 64 MiB, and a wall-clock budget after which the rest of the input is skipped.
 * Everything is disposed at the end of each input.
 *
 * Set VH_FUZZ_TRACE=1 to print each operation and its status to stderr (decoding a reproducer).
 * Checks of known, reported library bugs are left out unless VH_FUZZ_KNOWN_BUGS is defined (so
 * that a campaign is not stopped by them); search for it below.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, getopt, under -std=c99 too */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <v8host.h>

#include "structured.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
  kMaxRt = 2,
  kMaxEng = 3,
  kMaxRecords = 16, /* scope stack: our scopes and host-callback frames */
  kVals = 16,
  kRefs = 8,
  kDefs = 4,
  kPool = 4,
  kMaxOps = 160,
  kMaxText = 128,
  kMaxCbDepth = 5,
  kDeadlineMs = 200,
  kBudgetMs = 2500,
};

/* Every runtime's heap_max_bytes. */
#define kHeapLimitBytes ((size_t)64 << 20)
/* The most a runtime's heap may hold right after a script was stopped at its limit
 * (VH_EHEAPLIMIT): the limit L plus the margin docs/limits.md documents, max(L/2, 16 MiB). */
#define kHeapStopMargin (kHeapLimitBytes / 2 > ((size_t)16 << 20) ? kHeapLimitBytes / 2 : ((size_t)16 << 20))
#define kHeapUsedAfterStopMax (kHeapLimitBytes + kHeapStopMargin)

/* ---- state ------------------------------------------------------------------------------------ */

typedef struct {
  vh_runtime h;
  int live;
  int priv;     /* made by vh_engine_new_private: engine 0 owns it */
  unsigned gen; /* bumped at every creation in this slot */
  vh_class cls;
} rt_slot;

typedef struct {
  vh_engine h;
  int live;
} eng_slot;

enum { REC_SCOPE = 1, REC_FRAME = 2 };
typedef struct {
  int kind;
  vh_scope h;   /* REC_SCOPE */
  int rt, eng;  /* rt: runtime slot (-1 unknown); eng: engine slot (-1 for frames) */
  unsigned id;  /* unique per input */
  int escapable;
} record;

typedef struct {
  vh_value v;
  unsigned scope_id; /* the record the value lives in; 0: never set */
  int rt;
} val_slot;

typedef struct {
  vh_ref h;
  int live; /* not deleted */
  int rt;
  unsigned gen;
} ref_slot;

typedef struct {
  vh_deferred h;
  int live; /* not used */
  int rt;
  unsigned gen;
} def_slot;

static struct {
  const uint8_t *p;
  size_t n, i;
  int ops;
  int cb_depth;
  int armed;
  int stop; /* budget exhausted */
  struct timespec start;
  unsigned next_id;
  unsigned next_val; /* round robin: where the next value made is kept */
  unsigned module_counter;
  rt_slot rts[kMaxRt];
  eng_slot eng[kMaxRt][kMaxEng];
  record stack[kMaxRecords];
  int nrec;
  val_slot vals[kVals];
  ref_slot refs[kRefs];
  def_slot defs[kDefs];
  /* stale handles, kept after their object died */
  vh_engine dead_eng[kPool];
  vh_runtime dead_rt[kPool];
  vh_ref dead_ref[kPool];
  vh_scope dead_scope[kPool];
  vh_deferred dead_def[kPool];
  unsigned dead_eng_n, dead_rt_n, dead_ref_n, dead_scope_n, dead_def_n;
  /* exactly-once accounting */
  long tasks_posted, tasks_run;
  long natives_made, natives_freed;
  uint8_t *cache;
  size_t cache_len;
  int cache_src;
} S;

static int g_trace = -1;

/* globalThis[name] = value: vh_engine_global() then vh_set(). */
static int set_global(vh_engine e, const char *name, vh_value value) {
  vh_value global;
  int rc = vh_engine_global(e, &global);
  return rc != VH_OK ? rc : vh_set(e, global, name, value);
}

#define TRACE(...)                                                            \
  do {                                                                        \
    if (g_trace) {                                                            \
      fprintf(stderr, "%*s", 2 * S.cb_depth, "");                             \
      fprintf(stderr, __VA_ARGS__);                                           \
    }                                                                         \
  } while (0)

/* Prints text as a C string literal body. */
static void trace_text(const char *t, size_t len) {
  for (size_t i = 0; i < len; ++i) {
    unsigned char c = (unsigned char)t[i];
    if (c == '"' || c == '\\')
      fprintf(stderr, "\\%c", c);
    else if (c >= 32 && c < 127)
      fputc(c, stderr);
    else
      fprintf(stderr, "\\x%02x", c);
  }
}

static void check(int ok, const char *what, int rc) {
  if (ok) return;
  fprintf(stderr, "\nv8host fuzz INVARIANT VIOLATED: %s (status %s)\n", what, vh_err_name(rc));
  abort();
}

/* ---- input reading ---------------------------------------------------------------------------- */

static uint8_t u8(void) { return S.i < S.n ? S.p[S.i++] : 0; }
static uint16_t u16(void) { return (uint16_t)(u8() | (u8() << 8)); }
static uint32_t u32(void) { return (uint32_t)u16() | ((uint32_t)u16() << 16); }
static uint64_t u64(void) { return (uint64_t)u32() | ((uint64_t)u32() << 32); }
static double dbl(void) {
  static const double special[] = {0.0, -0.0, 1.5, -1.0, 2147483647.0, 2147483648.0,
                                   4294967296.0, 9007199254740993.0, 1e300, -1e-300};
  uint8_t b = u8();
  if (b < 200) return special[b % 10];
  uint64_t bits = u64();
  double d;
  memcpy(&d, &bits, sizeof d); /* NaNs and infinities included */
  return d;
}

/* Up to max bytes of the input, copied into buf (not terminated); returns the length. */
static size_t text(char *buf, size_t max) {
  size_t len = u8() % (max + 1);
  size_t left = S.n - S.i;
  if (len > left) len = left;
  memcpy(buf, S.p + S.i, len);
  S.i += len;
  return len;
}

static long elapsed_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - S.start.tv_sec) * 1000L + (now.tv_nsec - S.start.tv_nsec) / 1000000L;
}

/* ---- the model -------------------------------------------------------------------------------- */

static int rt_alive(int r) { return r >= 0 && r < kMaxRt && S.rts[r].live; }
static int eng_alive(int r, int e) { return rt_alive(r) && S.eng[r][e].live; }

static int rt_in_stack(int r) {
  for (int k = 0; k < S.nrec; ++k)
    if (S.stack[k].rt == r) return 1;
  return 0;
}
static int scopes_on_engine(int r, int e) {
  int n = 0;
  for (int k = 0; k < S.nrec; ++k)
    if (S.stack[k].kind == REC_SCOPE && S.stack[k].rt == r && S.stack[k].eng == e) ++n;
  return n;
}
static int id_open(unsigned id) {
  if (id == 0) return 0;
  for (int k = 0; k < S.nrec; ++k)
    if (S.stack[k].id == id) return 1;
  return 0;
}
static int val_live(int k) { return id_open(S.vals[k].scope_id); }

static int rt_index_of(vh_runtime h) {
  for (int r = 0; r < kMaxRt; ++r)
    if (S.rts[r].live && S.rts[r].h.id_ == h.id_) return r;
  return -1;
}
static int rt_of_engine(vh_engine e) {
  vh_runtime h;
  if (vh_engine_runtime(e, &h) != VH_OK) return -1;
  return rt_index_of(h);
}

static void pool_eng(vh_engine h) { S.dead_eng[S.dead_eng_n++ % kPool] = h; }
static void pool_rt(vh_runtime h) { S.dead_rt[S.dead_rt_n++ % kPool] = h; }
static void pool_ref(vh_ref h) { S.dead_ref[S.dead_ref_n++ % kPool] = h; }
static void pool_scope(vh_scope h) { S.dead_scope[S.dead_scope_n++ % kPool] = h; }
static void pool_def(vh_deferred h) { S.dead_def[S.dead_def_n++ % kPool] = h; }

/* Before a reference slot is reused: delete the reference it holds (it becomes stale). */
static void drop_ref(int j) {
  if (!S.refs[j].live) return;
  S.refs[j].live = 0;
  if (vh_ref_dispose(S.refs[j].h) == VH_OK) pool_ref(S.refs[j].h);
}

/* After a successful disposal: the runtime and all it held are dead. */
static void mark_rt_dead(int r) {
  if (!S.rts[r].live) return;
  S.rts[r].live = 0;
  pool_rt(S.rts[r].h);
  for (int e = 0; e < kMaxEng; ++e)
    if (S.eng[r][e].live) {
      S.eng[r][e].live = 0;
      pool_eng(S.eng[r][e].h);
    }
  for (int k = 0; k < kRefs; ++k)
    if (S.refs[k].live && S.refs[k].rt == r) {
      S.refs[k].live = 0;
      pool_ref(S.refs[k].h);
    }
  for (int k = 0; k < kDefs; ++k)
    if (S.defs[k].live && S.defs[k].rt == r) {
      S.defs[k].live = 0;
      pool_def(S.defs[k].h);
    }
}

static void mark_eng_dead(int r, int e) {
  if (!S.eng[r][e].live) return;
  S.eng[r][e].live = 0;
  pool_eng(S.eng[r][e].h);
  if (S.rts[r].priv && e == 0) mark_rt_dead(r);
}

/* The record values land in: the innermost one. */
static void store(int k, vh_value v, int rt) {
  S.vals[k].v = v;
  S.vals[k].scope_id = S.nrec > 0 ? S.stack[S.nrec - 1].id : 0xFFFFFFFFu;
  S.vals[k].rt = rt;
}

/* A call made a value (VH_OK): this thread must hold the runtime, i.e. it is on our stack. */
static void made(int rc, int r, int k, vh_value v) {
  if (rc != VH_OK) return;
  /* At the top level this thread holds exactly the runtimes of our scopes. (Inside callbacks
   * the proxy machinery may hold or park others.) */
  if (S.cb_depth == 0)
    check(r < 0 || rt_in_stack(r), "a value was made in a runtime this thread has no scope on", rc);
  store(k, v, r);
}

/* Picks an engine from one byte: mostly a live one; else any slot (dead or never made), a stale
 * handle from the pool (0xF0..0xF7) or the empty handle (0xF8..). */
static vh_engine pick_eng(int *r_out, int *e_out) {
  uint8_t b = u8();
  int r = b % kMaxRt, e = (b / kMaxRt) % kMaxEng;
  if (b < 0xC0) {
    int live[kMaxRt * kMaxEng], nlive = 0;
    for (int i = 0; i < kMaxRt * kMaxEng; ++i)
      if (eng_alive(i / kMaxEng, i % kMaxEng)) live[nlive++] = i;
    if (nlive > 0) {
      r = live[b % nlive] / kMaxEng;
      e = live[b % nlive] % kMaxEng;
    }
  }
  *r_out = r;
  *e_out = e;
  if (b >= 0xF8) {
    *r_out = -1;
    *e_out = -1;
    return (vh_engine){0};
  }
  if (b >= 0xF0 && S.dead_eng_n) { /* a stale one from the pool */
    *r_out = -1;
    *e_out = -1;
    return S.dead_eng[b % kPool];
  }
  return S.eng[r][e].h;
}
/* A value slot to use: mostly one of the last few values made, sometimes any slot. */
static int pick_val(void) {
  uint8_t b = u8();
  if (b >= 0xC0) return b % kVals;
  return (int)((S.next_val + 2 * kVals - 1 - b % 6) % kVals);
}
/* The slot the next value made goes to. */
static int out_val(void) { return (int)(S.next_val++ % kVals); }

static const char *const kNames[] = {"a", "f", "p", "h", "length", "then", "constructor",
                                     "__proto__", "0", "x", "z", "prototype", "toString",
                                     "valueOf", "n", "Pt"};

static const char *pick_name(char *buf) {
  uint8_t b = u8();
  if (b < 224) return kNames[b % 16];
  size_t len = text(buf, 6);
  buf[len] = 0; /* may be shorter: an embedded NUL ends it */
  return buf;
}

/* ---- deadlines -------------------------------------------------------------------------------- */

static void arm(void) {
  if (S.cb_depth > 0) return; /* the top-level operation's deadline covers nested ones */
  for (int r = 0; r < kMaxRt; ++r)
    if (S.rts[r].live) vh_runtime_set_deadline(S.rts[r].h, kDeadlineMs);
  S.armed = 1;
}
static void disarm(void) {
  if (S.cb_depth > 0) return;
  for (int r = 0; r < kMaxRt; ++r)
    if (S.rts[r].live) vh_runtime_set_deadline(S.rts[r].h, 0);
  S.armed = 0;
}

/* ---- scripts ---------------------------------------------------------------------------------- */

#define P_ "typeof p === 'undefined' ? 0 : "
static const char *const kSnippets[] = {
  "1 + 1",
  "new SharedArrayBuffer(8)",
  "({a: 1, f() { return 1; }})",
  "while (1);",
  "{ const a = []; for (;;) a.push(new Array(1e4).fill(a.length)); }",
  "[1, 2, 3]",
  "Symbol('s')",
  "new Proxy({}, {get(t, k) { throw new Error('trap ' + String(k)); }})",
  "Promise.resolve(42)",
  "(function f(x) { return x; })",
  "globalThis",
  "new Int32Array(new SharedArrayBuffer(16))",
  "10n ** 100n",
  "throw new Error('boom')",
  "new ArrayBuffer(16)",
  "({get g() { return h(9); }, set s(v) { throw v; }})",
  P_ "p.a",
  P_ "p.f()",
  P_ "(p.a = 2, p[0] = 3, delete p.x, 'a' in p)",
  P_ "Object.keys(p).concat(Object.getOwnPropertyNames(p))",
  P_ "new Int32Array(p)[0]++",
  P_ "Atomics.add(new Int32Array(p instanceof SharedArrayBuffer ? p : new SharedArrayBuffer(8)), 0, 1)",
  P_ "p()",
  P_ "JSON.stringify(p)",
  P_ "[...p]",
  P_ "(p.then ? p.then(x => x) : p)",
  "h(0, {x: 1})",
  "h(3, () => h(3, () => 7))",
  "h(1)",
  "h()",
  "h(4)",
  "h(6)",
  "h(7)",
  "h(15)",
  "h(5)",
  "h(8, {q: 1})",
  "h(9 + 16 * 2)",
  "h(10, {})",
  "(async () => { await null; return h(12); })()",
  "function fz_mt() { queueMicrotask(fz_mt); } fz_mt(); 0",
  "new Pt(1)",
  "(() => { const o = new Pt(2); return [o.m(0), o.x, o.x = 3, Pt.s(), o.nm(1, 2)]; })()",
  "Object.create(Pt.prototype).m()",
  "[n(1, 2, 3), n('x')]",
  "new WeakRef({})",
  "new FinalizationRegistry(() => h(0)).register({}, 1)",
  "(function r() { return r(); })()",
  "new SharedArrayBuffer(8, {maxByteLength: 64})",
  P_ "(p.grow ? p.grow(32) : 0)",
  P_ "Reflect.ownKeys(p)",
  P_ "Object.setPrototypeOf(p, null)",
  P_ "new p()",
  "new Map([[1, 2]])",
  "new Date(0)",
  "/a+/g",
  "new DataView(new SharedArrayBuffer(8))",
  "'\\u{1F600}\\uD800x'",
  "import('a').then(m => m.default)",
  "new Uint8Array(1 << 20).fill(1).length",
  "Array.from({length: 1000}, (_, i) => ({i}))",
  "(() => { try { return h(3, () => { while (1); }); } catch (e) { return 1; } })()",
  P_ "(p === p && p)",
  P_ "(h(8, p), h(8, p.f))",
  P_ "Object.getOwnPropertyDescriptor(p, 'a')",
  P_ "(Object.defineProperty(p, 'z', {value: 1}), p.z)",
  P_ "String(p)",
  "new ArrayBuffer(8, {maxByteLength: 16})",
  "globalThis.p = undefined",
  "queueMicrotask(() => h(0)); 1",
  "let fz_once = 0; fz_once",
  "eval('1 +')",
  "new Error('e', {cause: h})",
  "String.fromCharCode(0xD800)",
  "[h, n, typeof Pt === 'undefined' ? 0 : Pt]",
  P_ "(p instanceof Function ? p.call(null, 1) : p.valueOf())",
  "h(16 * 3 + 11, 'kept')",
  "h(2)",
  "h(13)",
  "h(14)",
  "h(16 * 1 + 8, new SharedArrayBuffer(4))",
  "new Promise(() => {})",
  "Promise.reject(new Error('no'))",
  "(async () => { throw 1; })()",
  P_ "Promise.resolve(p).then(v => v)",
  "Pt.prototype",
  "new (class extends Pt { constructor() { super(); this.y = 1; } })()",
  "h(16 * 1 + 15)",
  P_ "h(16 * 1 + 15, p)",
};
enum { kNumSnippets = sizeof kSnippets / sizeof kSnippets[0] };

static const char *const kModules[] = {
  "import x from 'a'; export default x;",
  "import {x, g} from 'b'; export const y = x + 1;",
  "export const z = await Promise.resolve(3);",
  "import * as ns from 'cyc'; export default ns;",
  "import 'throw';",
  "import {v} from 'syn'; export default v;",
  "await new Promise(() => {});",
  "export default import.meta.url;",
  "import 'loop';",
  "import 'nowhere';",
  "export let q = h(0, 1);",
  "await import('c');",
};
enum { kNumModules = sizeof kModules / sizeof kModules[0] };

/* ---- callbacks -------------------------------------------------------------------------------- */

static void do_op(void);

/* Pushes a frame record for a host callback; 0 when the stack is full (the callback then does
 * nothing, so that the model stays exact). */
static int frame_enter(vh_engine engine) {
  if (S.nrec >= kMaxRecords) return 0;
  record *f = &S.stack[S.nrec++];
  memset(f, 0, sizeof *f);
  f->kind = REC_FRAME;
  f->rt = rt_of_engine(engine);
  f->eng = -1;
  f->id = ++S.next_id;
  ++S.cb_depth;
  return 1;
}

/* The library closes what the callback left open: so does the model, down to the frame. */
static void frame_exit(void) {
  while (S.nrec > 0) {
    record *top = &S.stack[--S.nrec];
    if (top->kind == REC_FRAME) break;
    pool_scope(top->h);
  }
  --S.cb_depth;
}

static void run_nested(void) {
  int count = u8() % 6;
  for (int i = 0; i < count && !S.stop; ++i) do_op();
}

static int host_fn(const vh_call_info *info, vh_value *result) {
  if (S.cb_depth >= kMaxCbDepth || S.stop) return VH_OK;
  int32_t mode = 0;
  if (info->argc == 0 || vh_value_int32(info->argv[0], &mode) != VH_OK) mode = u8();
  vh_value arg = info->argc > 1 ? info->argv[1] : (vh_value){0};
  int sub = (mode >> 4) & 15, rc = VH_OK, r2;
  if (!frame_enter(info->engine)) return VH_OK;
  int my_rt = S.stack[S.nrec - 1].rt;
  TRACE("callback mode %d sub %d (rt %d)\n", mode & 15, sub, my_rt);
  switch (mode & 15) {
    case 0:
      if (info->argc > 1) *result = arg;
      break;
    case 1:
      vh_throw_error(info->engine, VH_ERROR_KIND_TYPE_ERROR, "fz");
      rc = VH_EEXCEPTION;
      break;
    case 2:
      rc = VH_ETYPE;
      break;
    case 3: /* call argv[1] with the rest: re-entrant script */
      rc = vh_call(info->engine, arg, (vh_value){0}, info->argc > 2 ? info->argc - 2 : 0,
                   info->argc > 2 ? info->argv + 2 : NULL, result);
      break;
    case 4: /* return whatever a slot holds, stale values included */
      *result = S.vals[sub].v;
      break;
    case 5: { /* leave a scope open: the library closes it */
      vh_scope s;
      if (vh_scope_open(info->engine, &s) == VH_OK && S.nrec < kMaxRecords) {
        record *rec = &S.stack[S.nrec++];
        memset(rec, 0, sizeof *rec);
        rec->kind = REC_SCOPE;
        rec->h = s;
        rec->rt = my_rt;
        rec->eng = -2; /* engine unknown to the model */
        rec->id = ++S.next_id;
      }
      break;
    }
    case 6: { /* dispose our own engine while its function runs */
      r2 = vh_engine_dispose(info->engine);
      check(r2 != VH_OK, "vh_engine_dispose succeeded inside the engine's own host function", r2);
      break;
    }
    case 7: { /* dispose our own runtime from inside it */
      vh_runtime h;
      if (vh_engine_runtime(info->engine, &h) == VH_OK) {
        r2 = vh_runtime_dispose(h);
        check(r2 != VH_OK, "vh_runtime_dispose succeeded inside one of its host functions", r2);
      }
      break;
    }
    case 8: { /* pass the argument to another engine and make it that engine's p */
      int r = sub % kMaxRt, e = (sub / kMaxRt) % kMaxEng;
      vh_value out;
      r2 = vh_pass(S.eng[r][e].h, arg, &out, NULL);
      if (r2 == VH_OK) {
        set_global(S.eng[r][e].h, "p", out);
        store(sub % kVals, out, r);
      }
      rc = r2 == VH_EEXCEPTION ? r2 : VH_OK;
      break;
    }
    case 9:
      rc = vh_eval(info->engine, kSnippets[(sub * 7 + (int)u8()) % kNumSnippets], VH_AUTO_LENGTH,
                   "cb.js", result);
      break;
    case 10: {
      vh_ref ref;
      if (vh_ref_new(arg, 1, &ref) == VH_OK && my_rt >= 0) {
        ref_slot *rs = &S.refs[sub % kRefs];
        drop_ref(sub % kRefs);
        rs->h = ref;
        rs->live = 1;
        rs->rt = my_rt;
        rs->gen = my_rt >= 0 ? S.rts[my_rt].gen : 0;
      }
      break;
    }
    case 11: /* keep an argument past the callback: stale afterwards */
      if (info->argc > 1) store(sub % kVals, arg, my_rt);
      break;
    case 12: {
      vh_runtime h;
      if (vh_engine_runtime(info->engine, &h) == VH_OK) vh_runtime_run_microtasks(h);
      break;
    }
    case 13: {
      vh_runtime h;
      if (vh_engine_runtime(info->engine, &h) == VH_OK) vh_runtime_gc(h);
      break;
    }
    case 14: {
      vh_exception x;
      if (vh_exception_take(info->engine, &x) == VH_OK) vh_exception_free(&x);
      run_nested();
      break;
    }
    case 15: { /* dispose the other runtime, or run operations from the input */
      if (sub & 1) {
        run_nested();
        break;
      }
      for (int r = 0; r < kMaxRt; ++r) {
        if (r == my_rt || !S.rts[r].live) continue;
        r2 = vh_runtime_dispose(S.rts[r].h);
        check(r2 != VH_OK || !rt_in_stack(r), "runtime disposed while a scope was open on it", r2);
        if (r2 == VH_OK) mark_rt_dead(r);
      }
      break;
    }
  }
  TRACE("callback returns %s\n", vh_err_name(rc));
  frame_exit();
  return rc;
}

static int num_fn(const double *args, size_t argc, double *result, void *data) {
  (void)data;
  double sum = 0;
  for (size_t i = 0; i < argc; ++i) sum += args[i];
  *result = sum;
  return argc > 3 ? VH_ERANGE : VH_OK;
}

static int native_method(void *native, const double *args, size_t argc, double *result, void *data) {
  (void)data;
  *result = native ? (double)*(int *)native + (argc ? args[0] : 0) : -1;
  return VH_OK;
}

/* Natives of class instances come from a static pool, not malloc: a native the library drops
 * without finalizing (a known bug, see below) must not end the run as a leak. Each entry knows
 * whether the library owns it, so a second finalization is caught. */
enum { kNatives = 4096 };
static struct {
  int value; /* 7: made by the constructor; 3: by vh_class_new_instance */
  int owned;
} g_natives[kNatives];
static unsigned g_native_next;

static int *native_new(int value) {
  for (unsigned i = 0; i < kNatives; ++i) {
    unsigned j = (g_native_next + i) % kNatives;
    if (!g_natives[j].owned) {
      g_native_next = j + 1;
      g_natives[j].owned = 1;
      g_natives[j].value = value;
      return &g_natives[j].value;
    }
  }
  return NULL; /* all taken: a NULL native is allowed */
}
static void native_free(void *native) {
  if (!native) return;
  size_t j = (size_t)((char *)native - (char *)g_natives) / sizeof g_natives[0];
  check(j < kNatives && g_natives[j].owned, "a class finalizer got a native twice, or a foreign one", 0);
  g_natives[j].owned = 0;
}

static int class_ctor(const vh_call_info *info, void **native) {
  if (S.cb_depth < kMaxCbDepth && !S.stop && (u8() & 3) == 0 && frame_enter(info->engine)) {
    TRACE("class constructor runs operations\n");
    run_nested();
    frame_exit();
  }
  if (u8() == 1) return vh_throw_error(info->engine, VH_ERROR_KIND_RANGE_ERROR, "no") == VH_OK ? VH_EEXCEPTION : VH_EINVAL;
  *native = native_new(7);
  ++S.natives_made;
  return VH_OK;
}

static void class_fin(void *native, void *data) {
  (void)data;
  native_free(native);
  ++S.natives_freed;
}

static void task_fn(vh_engine engine, int status, void *data) {
  free(data);
  ++S.tasks_run;
  if (status == VH_OK) vh_eval(engine, "h(0)", VH_AUTO_LENGTH, "task.js", NULL);
}

static void interrupt_fn(vh_runtime rt, void *data) {
  if (data) vh_runtime_terminate(rt);
}

static void console_sink(vh_engine e, vh_console_level l, const char *t, size_t n, void *d) {
  (void)e, (void)l, (void)t, (void)n, (void)d;
}
static void error_sink(vh_engine e, vh_error_event ev, const vh_exception *x, void *d) {
  (void)e, (void)ev, (void)x, (void)d;
}

static int loader(vh_engine engine, const char *specifier, const char *referrer,
                  vh_module_source *out, void *data) {
  (void)engine, (void)referrer, (void)data;
  static const char *const map[][2] = {
    {"a", "export default 1; export const f = () => 2;"},
    {"b", "import x from 'a'; export {x}; export const g = typeof h;"},
    {"c", "export const y = await Promise.resolve(3);"},
    {"cyc", "import {w} from 'cyc'; export let w = 1;"},
    {"throw", "throw new Error('module');"},
    {"loop", "while (1);"},
  };
  if (strcmp(specifier, "syn") == 0) {
    out->resolved_name = "syn";
    out->source = NULL;
    return VH_OK;
  }
  for (size_t i = 0; i < sizeof map / sizeof map[0]; ++i)
    if (strcmp(specifier, map[i][0]) == 0) {
      out->resolved_name = map[i][0];
      out->source = map[i][1];
      out->source_length = VH_AUTO_LENGTH;
      return VH_OK;
    }
  return VH_EINVAL;
}

static int meta_hook(vh_engine engine, const char *name, vh_value meta, void *data) {
  (void)data;
  vh_value url;
  int rc = vh_new_string_utf8(engine, name, VH_AUTO_LENGTH, &url);
  return rc == VH_OK ? vh_set(engine, meta, "url", url) : rc;
}

static int syn_init(vh_engine engine, vh_synthetic_module module, void *data) {
  (void)data;
  vh_value v;
  int rc = vh_new_int32(engine, 5, &v);
  return rc == VH_OK ? vh_module_set_export(engine, module, "v", v) : rc;
}

/* ---- operations ------------------------------------------------------------------------------- */

static void setup_runtime(int r) {
  vh_runtime rt = S.rts[r].h;
  vh_runtime_set_console(rt, console_sink, NULL);
  vh_runtime_set_error_handler(rt, error_sink, NULL);
  vh_runtime_global_function(rt, "h", host_fn, NULL);
  vh_runtime_global_numeric(rt, "n", num_fn, NULL);
  vh_runtime_set_module_loader(rt, loader, NULL);
  vh_runtime_set_import_meta_hook(rt, meta_hook, NULL);
  static const vh_method_def methods[] = {{"m", host_fn}};
  static const vh_accessor_def accessors[] = {{"x", host_fn, host_fn}};
  static const vh_method_def statics[] = {{"s", host_fn}};
  static const vh_native_method_def natives[] = {{"nm", native_method}};
  vh_class_def def;
  memset(&def, 0, sizeof def);
  def.struct_size = sizeof def;
  def.name = "Pt";
  def.construct = class_ctor;
  def.finalize = class_fin;
  def.methods = methods;
  def.method_count = 1;
  def.accessors = accessors;
  def.accessor_count = 1;
  def.static_methods = statics;
  def.static_method_count = 1;
  def.native_methods = natives;
  def.native_method_count = 1;
  S.rts[r].cls = (vh_class){0};
  if (vh_class_define(rt, &def, &S.rts[r].cls) == VH_OK) vh_runtime_global_class(rt, S.rts[r].cls);
}

static void op_rt_new(void) {
  int r = u8() % kMaxRt;
  uint8_t flags = u8();
  if (S.rts[r].live) return;
  vh_runtime_options o;
  vh_runtime_options_init(&o);
  o.heap_max_bytes = kHeapLimitBytes;
  int rc;
  if (flags & 1) {
    vh_engine e;
    rc = vh_engine_new_private(&o, NULL, &e);
    TRACE("engine_new_private(rt %d) -> %s\n", r, vh_err_name(rc));
    if (rc != VH_OK) return;
    vh_runtime h;
    check(vh_engine_runtime(e, &h) == VH_OK, "vh_engine_runtime of a new private engine", rc);
    S.rts[r].h = h;
    S.rts[r].priv = 1;
    for (int k = 0; k < kMaxEng; ++k) S.eng[r][k].live = 0;
    S.eng[r][0].h = e;
    S.eng[r][0].live = 1;
  } else {
    rc = vh_runtime_new(&o, &S.rts[r].h);
    TRACE("runtime_new(rt %d) -> %s\n", r, vh_err_name(rc));
    if (rc != VH_OK) return;
    S.rts[r].priv = 0;
    for (int k = 0; k < kMaxEng; ++k) S.eng[r][k].live = 0;
  }
  S.rts[r].live = 1;
  ++S.rts[r].gen;
  setup_runtime(r);
  if (S.armed) vh_runtime_set_deadline(S.rts[r].h, kDeadlineMs);
}

static void op_rt_dispose(void) {
  uint8_t b = u8();
  int r = b % kMaxRt;
  vh_runtime h = (b & 0x80) && S.dead_rt_n ? S.dead_rt[b % kPool] : S.rts[r].h;
  int was_live = h.id_ == S.rts[r].h.id_ && S.rts[r].live;
  int rc = vh_runtime_dispose(h);
  TRACE("runtime_dispose(rt %d%s) -> %s\n", r, was_live ? "" : ", stale", vh_err_name(rc));
  if (rc != VH_OK) return;
  check(was_live, "vh_runtime_dispose accepted a disposed or empty runtime", rc);
  check(!rt_in_stack(r), "vh_runtime_dispose succeeded while a scope was open on the runtime", rc);
  mark_rt_dead(r);
}

static void op_eng_new(void) {
  uint8_t b = u8();
  int r = b % kMaxRt, e = (b / kMaxRt) % kMaxEng;
  vh_engine_options o;
  vh_engine_options_init(&o);
  if (b & 0x80) o.reserved_flags = 1; /* must be refused */
  if (S.eng[r][e].live) return;
  vh_engine out;
  int rc = vh_engine_new(S.rts[r].h, &o, &out);
  TRACE("engine_new(rt %d, slot %d) -> %s\n", r, e, vh_err_name(rc));
  if (rc != VH_OK) return;
  check(rt_alive(r), "vh_engine_new succeeded in a disposed runtime", rc);
  check(!(b & 0x80), "vh_engine_new accepted nonzero reserved_flags", rc);
  S.eng[r][e].h = out;
  S.eng[r][e].live = 1;
}

static void op_eng_dispose(void) {
  int r, e;
  vh_engine h = pick_eng(&r, &e);
  int rc = vh_engine_dispose(h);
  TRACE("engine_dispose(rt %d, slot %d) -> %s\n", r, e, vh_err_name(rc));
  if (rc != VH_OK) return;
  check(r >= 0 && eng_alive(r, e), "vh_engine_dispose accepted a stale engine", rc);
  check(scopes_on_engine(r, e) == 0, "vh_engine_dispose succeeded while a scope was open on it", rc);
  if (S.rts[r].priv && e == 0)
    check(!rt_in_stack(r), "a private engine was disposed while its runtime was in use", rc);
  mark_eng_dead(r, e);
}

static void op_scope_open(void) {
  int r, e;
  vh_engine h = pick_eng(&r, &e);
  int escapable = u8() & 1;
  if (S.nrec >= kMaxRecords) return;
  vh_scope s;
  int had = r >= 0 && rt_in_stack(r);
  int rc = escapable ? vh_scope_open_escapable(h, &s) : vh_scope_open(h, &s);
  TRACE("scope_open%s(rt %d, slot %d) -> %s [depth %d]\n", escapable ? "_escapable" : "", r, e,
        vh_err_name(rc), S.nrec);
  if (rc != VH_OK) return;
  check(r >= 0 && eng_alive(r, e), "vh_scope_open accepted a stale engine", rc);
  if (S.cb_depth == 0)
    check(!escapable || had, "vh_scope_open_escapable succeeded with nothing to escape into", rc);
  record *rec = &S.stack[S.nrec++];
  memset(rec, 0, sizeof *rec);
  rec->kind = REC_SCOPE;
  rec->h = s;
  rec->rt = r;
  rec->eng = e;
  rec->id = ++S.next_id;
  rec->escapable = escapable;
}

static void op_scope_close(void) {
  uint8_t b = u8();
  if (S.nrec == 0 || b >= 0xF0) {
    if (!S.dead_scope_n) return;
    int rc = vh_scope_close(S.dead_scope[b % kPool]);
    TRACE("scope_close(stale) -> %s\n", vh_err_name(rc));
    check(rc != VH_OK, "vh_scope_close accepted a closed scope", rc);
    return;
  }
  /* mostly the innermost, sometimes another */
  int k = (b & 3) ? S.nrec - 1 : b % S.nrec;
  if (S.stack[k].kind != REC_SCOPE) return;
  int rc = vh_scope_close(S.stack[k].h);
  TRACE("scope_close(depth %d of %d) -> %s\n", k, S.nrec, vh_err_name(rc));
  if (k == S.nrec - 1) {
    check(rc == VH_OK, "closing the innermost scope failed", rc);
    pool_scope(S.stack[k].h);
    --S.nrec;
  } else {
    check(rc != VH_OK, "a scope was closed while a scope opened after it is still open", rc);
  }
}

static void op_scope_escape(void) {
  uint8_t b = u8();
  int k = pick_val();
  if (S.nrec == 0) return;
  int d = (b & 1) ? S.nrec - 1 : b % S.nrec;
  if (S.stack[d].kind != REC_SCOPE) return;
  vh_value out;
  int rc = vh_scope_escape(S.stack[d].h, S.vals[k].v, &out);
  TRACE("scope_escape(depth %d, val %d) -> %s\n", d, k, vh_err_name(rc));
  if (rc != VH_OK) return;
  check(val_live(k), "vh_scope_escape accepted a value whose scope closed", rc);
  check(d > 0, "vh_scope_escape escaped out of the outermost scope", rc);
  S.vals[k].v = out;
  S.vals[k].scope_id = S.stack[d - 1].id;
}

static void op_eval(int from_input) {
  int r, e;
  vh_engine h = pick_eng(&r, &e);
  int k = out_val();
  char buf[kMaxText];
  const char *src;
  size_t len;
  if (from_input) {
    len = text(buf, sizeof buf);
    src = buf;
  } else {
    src = kSnippets[u8() % kNumSnippets];
    len = strlen(src);
  }
  vh_value out;
  arm();
  int rc = vh_eval(h, src, len, (u8() & 1) ? NULL : "fz.js", &out);
  disarm();
  if (g_trace) {
    TRACE("eval(rt %d, slot %d, \"", r, e);
    trace_text(src, len);
    fprintf(stderr, "\") -> %s\n", vh_err_name(rc));
  }
  if (rc == VH_OK) check(r >= 0 && eng_alive(r, e), "vh_eval ran in a stale engine", rc);
  made(rc, r, k, out);
}

/* A structure-aware script (structured.c): poisoned intrinsics, proxies of the other runtime
 * driven through their traps, a single huge allocation. Checks that a stop at the heap limit
 * leaves the heap within kHeapUsedAfterStopMax. */
static void op_structured(void) {
  int r, e;
  vh_engine h = pick_eng(&r, &e);
  int k = out_val();
  char buf[2048];
  size_t len = fz_structured_script(u8, buf, sizeof buf);
  vh_value out;
  arm();
  int rc = vh_eval(h, buf, len, "fz-structured.js", &out);
  disarm();
  if (g_trace) {
    TRACE("structured(rt %d, slot %d, \"", r, e);
    trace_text(buf, len);
    fprintf(stderr, "\") -> %s\n", vh_err_name(rc));
  }
  if (rc == VH_OK) check(r >= 0 && eng_alive(r, e), "vh_eval ran in a stale engine", rc);
  if (rc == VH_EHEAPLIMIT && rt_alive(r)) {
    vh_heap_stats hs;
    int rc2 = vh_runtime_heap_stats(S.rts[r].h, &hs);
    TRACE("  after the stop: used %zu, limit %zu\n", hs.used, hs.limit);
    check(rc2 == VH_OK, "vh_runtime_heap_stats of a live runtime failed", rc2);
    check(hs.used <= kHeapUsedAfterStopMax, "the heap holds more than the limit and margin after a stop", rc);
  }
  made(rc, r, k, out);
}

static void op_make(void) {
  int r, e;
  vh_engine h = pick_eng(&r, &e);
  int k = out_val();
  uint8_t kind = u8();
  vh_value out;
  int rc = VH_EINVAL;
  char buf[kMaxText + 1];
  switch (kind % 26) {
    case 0: rc = vh_new_undefined(h, &out); break;
    case 1: rc = vh_new_null(h, &out); break;
    case 2: rc = vh_new_bool(h, u8() & 1, &out); break;
    case 3: rc = vh_new_int32(h, (int32_t)u32(), &out); break;
    case 4: rc = vh_new_uint32(h, u32(), &out); break;
    case 5: rc = vh_new_int64(h, (int64_t)u64() >> (u8() % 64), &out); break;
    case 6: rc = vh_new_double(h, dbl(), &out); break;
    case 7: rc = vh_new_bigint_int64(h, (int64_t)u64(), &out); break;
    case 8: rc = vh_new_bigint_uint64(h, u64(), &out); break;
    case 9: {
      uint64_t words[4] = {u64(), u64(), u64(), u64()};
      uint8_t c = u8();
      size_t count = c < 250 ? c % 5 : (c == 250 ? 16385 : 16384);
      if (count > 4) {
        uint64_t *big = calloc(count, sizeof *big);
        if (!big) return;
        big[count - 1] = 1;
        rc = vh_new_bigint_words(h, c & 1, count, big, &out);
        free(big);
      } else {
        rc = vh_new_bigint_words(h, c & 1, count, count ? words : NULL, &out);
      }
      break;
    }
    case 10: {
      size_t len = text(buf, kMaxText);
      rc = vh_new_string_utf8(h, buf, len, &out);
      break;
    }
    case 11: {
      size_t len = text(buf, kMaxText);
      rc = vh_new_string_latin1(h, buf, len, &out);
      break;
    }
    case 12: {
      uint16_t units[kMaxText / 2];
      size_t len = text(buf, kMaxText) / 2;
      memcpy(units, buf, len * 2);
      rc = vh_new_string_utf16(h, units, len, &out);
      break;
    }
    case 13: {
      size_t len = text(buf, 16);
      buf[len] = 0;
      rc = vh_new_symbol(h, (u8() & 1) ? buf : NULL, &out);
      break;
    }
    case 14: rc = vh_new_object(h, &out); break;
    case 15: {
      /* small; large; above V8's largest fixed array (VH_ERANGE); and 160 MB of holes, past
       * heap_max_bytes (a host allocation: the limit is raised, no script is stopped) */
      static const uint32_t big[] = {1u << 16, 134217726u, 0x7FFFFFFFu, 0x80000000u, 20000000u};
      uint8_t c = u8();
      rc = vh_new_array(h, c < 200 ? c % 8 : big[c < 255 ? c % 4 : 4], &out);
      break;
    }
    case 16: rc = vh_new_date(h, dbl(), &out); break;
    case 17: rc = vh_new_function(h, (u8() & 1) ? "hf" : NULL, host_fn, NULL, &out); break;
    case 18: rc = vh_new_function_numeric(h, "nf", num_fn, NULL, &out); break;
    case 19: rc = vh_new_error(h, (vh_error_kind)(u8() % 7), "fz error", &out); break;
    case 20: {
      vh_deferred d;
      int j = u8() % kDefs;
      rc = vh_new_promise(h, &out, &d);
      if (rc == VH_OK) {
        /* one it replaces stays valid, unknown to the model, until its runtime goes */
        S.defs[j].h = d;
        S.defs[j].live = 1;
        S.defs[j].rt = r;
        S.defs[j].gen = r >= 0 ? S.rts[r].gen : 0;
      }
      break;
    }
    case 21: {
      vh_class cls = r >= 0 ? S.rts[(r + (u8() & 1)) % kMaxRt].cls : (vh_class){0};
      int *native = native_new(3);
      rc = vh_class_new_instance(h, cls, native, &out);
      if (rc == VH_OK)
        ++S.natives_made;
      else
        native_free(native);
      break;
    }
    case 22: {
      vh_class cls = r >= 0 ? S.rts[(r + (u8() & 1)) % kMaxRt].cls : (vh_class){0};
      rc = vh_class_constructor(h, cls, &out);
      break;
    }
    case 23: rc = vh_engine_global(h, &out); break;
    case 24: {
      size_t len = text(buf, kMaxText);
      arm();
      rc = vh_json_parse(h, buf, len, &out);
      disarm();
      break;
    }
    case 25: {
      int src = pick_val();
      arm();
      rc = vh_json_stringify(h, S.vals[src].v, &out);
      disarm();
      break;
    }
  }
  TRACE("make kind %d (rt %d, slot %d) -> val %d: %s\n", kind % 26, r, e, k, vh_err_name(rc));
  if (rc == VH_OK) check(r >= 0 && eng_alive(r, e), "a value was made in a stale engine", rc);
  made(rc, r, k, out);
}

/* Readers never run script. The first check is the liveness invariant. */
static void op_read(void) {
  int k = pick_val();
  uint8_t kind = u8();
  vh_value v = S.vals[k].v;
  vh_type t;
  int rc = vh_typeof(v, &t);
  int live = val_live(k);
  TRACE("read val %d kind %d: typeof -> %s %d (%s)\n", k, kind % 20, vh_err_name(rc),
        rc == VH_OK ? (int)t : 0, live ? "live" : "dead");
  check(rc != VH_OK || live, "a value whose scope closed was accepted", rc);
  if (S.cb_depth == 0 && live) check(rc == VH_OK, "a live value was refused", rc);
  union {
    bool b;
    double d;
    int32_t i;
    uint32_t u;
    int64_t l;
    uint64_t ul;
    vh_promise_status ps;
  } o;
  char buf[64];
  uint16_t ubuf[32];
  size_t len = 0, cap = u8() % 40;
  switch (kind % 20) {
    case 0: rc = vh_is(v, (vh_kind)(u8() % 15), &o.b); break;
    case 1: rc = vh_value_bool(v, &o.b); break;
    case 2: rc = vh_value_double(v, &o.d); break;
    case 3: rc = vh_value_int32(v, &o.i); break;
    case 4: rc = vh_value_uint32(v, &o.u); break;
    case 5: rc = vh_value_int64(v, &o.l); break;
    case 6: rc = vh_value_bigint_int64(v, &o.l, (u8() & 1) ? &o.b : NULL); break;
    case 7: rc = vh_value_bigint_uint64(v, &o.ul, NULL); break;
    case 8: {
      uint64_t words[4];
      size_t count = u8() % 5;
      rc = vh_value_bigint_words(v, &o.b, &count, (u8() & 1) ? words : NULL);
      break;
    }
    case 9: rc = vh_value_string_utf8(v, (u8() & 1) ? buf : NULL, cap, &len); break;
    case 10: rc = vh_value_string_utf16(v, ubuf, cap < 32 ? cap : 32, &len); break;
    case 11: rc = vh_value_string_latin1(v, buf, cap, (u8() & 1) ? &len : NULL); break;
    case 12: {
      char *s = NULL;
      rc = vh_value_string_utf8_dup(v, &s, &len);
      if (rc == VH_OK) vh_free(s);
      break;
    }
    case 13: rc = vh_value_date(v, &o.d); break;
    case 14: rc = vh_value_array_length(v, &o.u); break;
    case 15: {
      int k2 = pick_val();
      rc = vh_strict_equals(v, S.vals[k2].v, &o.b);
      if (rc == VH_OK) check(val_live(k2), "vh_strict_equals accepted a dead value", rc);
      break;
    }
    case 16: rc = vh_promise_state(v, &o.ps); break;
    case 17: {
      vh_value out;
      int k2 = out_val();
      rc = vh_promise_result(v, &out);
      made(rc, S.vals[k].rt, k2, out);
      break;
    }
    case 18: {
      void *native = NULL;
      int r = u8() % kMaxRt;
      rc = vh_class_unwrap(v, S.rts[r].cls, &native);
      if (rc == VH_OK) check(native == NULL || *(int *)native == 7 || *(int *)native == 3,
                             "vh_class_unwrap gave a pointer that is not an instance's native", rc);
      break;
    }
    case 19: {
      vh_ref ref;
      int j = u8() % kRefs;
      uint32_t count = u8() % 3;
      rc = vh_ref_new(v, count, &ref);
      if (rc == VH_OK) check(live, "vh_ref_new accepted a dead value", rc);
      if (rc == VH_OK && S.vals[k].rt >= 0) { /* else left to its runtime's disposal */
        drop_ref(j);
        S.refs[j].h = ref;
        S.refs[j].live = 1;
        S.refs[j].rt = S.vals[k].rt;
        S.refs[j].gen = S.vals[k].rt >= 0 ? S.rts[S.vals[k].rt].gen : 0;
      }
      break;
    }
  }
  if (rc == VH_OK) check(live, "a reader accepted a dead value", rc);
}

/* Properties: by name, index or key; get, set, has, delete, own keys. */
static void op_prop(void) {
  int r, e;
  vh_engine h = pick_eng(&r, &e);
  int ko = pick_val(), kk = pick_val(), kv = pick_val(), kout = out_val();
  uint8_t what = u8();
  vh_value obj = S.vals[ko].v, key = S.vals[kk].v, val = S.vals[kv].v, out;
  char nbuf[8];
  const char *name = pick_name(nbuf);
  uint32_t index = (what & 0x80) ? u32() : u8() % 4;
  bool b;
  int rc = VH_EINVAL, makes = 0;
  arm();
  switch (what % 13) {
    case 0: rc = vh_get(h, obj, name, &out); makes = 1; break;
    case 1: rc = vh_set(h, obj, name, val); break;
    case 2: rc = vh_has(h, obj, name, &b); break;
    case 3: rc = vh_delete(h, obj, name, (what & 0x40) ? &b : NULL); break;
    case 4: rc = vh_get_index(h, obj, index, &out); makes = 1; break;
    case 5: rc = vh_set_index(h, obj, index, val); break;
    case 6: rc = vh_has_index(h, obj, index, &b); break;
    case 7: rc = vh_delete_index(h, obj, index, NULL); break;
    case 8: rc = vh_get_key(h, obj, key, &out); makes = 1; break;
    case 9: rc = vh_set_key(h, obj, key, val); break;
    case 10: rc = vh_has_key(h, obj, key, &b); break;
    case 11: rc = vh_delete_key(h, obj, key, &b); break;
    case 12: rc = vh_own_keys(h, obj, u8() % 5, &out); makes = 1; break;
  }
  disarm();
  TRACE("prop op %d (rt %d, slot %d) obj %d key %d/\"%s\"/%u val %d -> %s\n", what % 13, r, e, ko,
        kk, name, index, kv, vh_err_name(rc));
  if (rc == VH_OK) {
    check(r >= 0 && eng_alive(r, e), "a property call ran in a stale engine", rc);
    check(val_live(ko), "a property call accepted a dead object", rc);
  }
  if (makes) made(rc, r, kout, out);
}

static void op_call(void) {
  int r, e;
  vh_engine h = pick_eng(&r, &e);
  int kf = pick_val(), kt = pick_val(), ko = out_val();
  uint8_t b = u8();
  size_t argc = b % 4;
  vh_value argv[3];
  for (size_t i = 0; i < 3; ++i) argv[i] = S.vals[pick_val()].v;
  vh_value self = (b & 0x10) ? S.vals[kt].v : (vh_value){0}, out;
  arm();
  int rc = (b & 0x20) ? vh_construct(h, S.vals[kf].v, argc, argc ? argv : NULL, &out)
                      : vh_call(h, S.vals[kf].v, self, argc, argc ? argv : NULL,
                                (b & 0x40) ? NULL : &out);
  disarm();
  TRACE("%s(rt %d, slot %d) fn %d argc %zu -> %s\n", (b & 0x20) ? "construct" : "call", r, e, kf,
        argc, vh_err_name(rc));
  if (rc == VH_OK) check(val_live(kf), "vh_call accepted a dead function", rc);
  if ((b & 0x20) || !(b & 0x40)) made(rc, r, ko, out);
}

static void op_pass(void) {
  int r, e;
  vh_engine to = pick_eng(&r, &e);
  int k = pick_val(), ko = out_val();
  uint8_t b = u8();
  vh_value out;
  vh_pass_kind how = 0;
  int rc;
  arm();
  if (b & 0x40)
    rc = vh_array_buffer_copy(to, S.vals[k].v, &out);
  else
    rc = vh_pass(to, S.vals[k].v, &out, (b & 1) ? &how : NULL);
  TRACE("%s(to rt %d, slot %d, val %d) -> %s how %d\n", (b & 0x40) ? "copy_array_buffer" : "pass",
        r, e, k, vh_err_name(rc), (int)how);
  if (rc == VH_OK) {
    check(val_live(k), "vh_pass accepted a dead value", rc);
    check(r >= 0 && eng_alive(r, e), "vh_pass into a stale engine", rc);
    made(rc, r, ko, out);
    if (b & 2) {
      int rc2 = set_global(to, "p", out);
      TRACE("  set_global p -> %s\n", vh_err_name(rc2));
    }
  }
  disarm();
}

static void op_exception(void) {
  int r, e;
  vh_engine h = pick_eng(&r, &e);
  uint8_t b = u8();
  int k = pick_val();
  vh_exception x;
  bool pending;
  int rc = VH_EINVAL;
  switch (b % 5) {
    case 0:
      memset(&x, 0, sizeof x);
      rc = vh_exception_take(h, &x);
      if (rc == VH_OK) {
        check(x.message != NULL, "a taken exception without a message", rc);
        made(rc, r, out_val(), x.value);
      }
      vh_exception_free(&x);
      vh_exception_free(&x);
      break;
    case 1: rc = vh_exception_discard(h); break;
    case 2: rc = vh_exception_pending(h, &pending); break;
    case 3: rc = vh_throw(h, S.vals[k].v); break;
    case 4: rc = vh_throw_error(h, (vh_error_kind)(u8() % 7), "thrown by the host"); break;
  }
  TRACE("exception op %d (rt %d, slot %d) -> %s\n", b % 5, r, e, vh_err_name(rc));
  if (rc == VH_OK && b % 5 != 2) check(r >= 0 && eng_alive(r, e), "an exception call in a stale engine", rc);
}

static int ref_live(int j) {
  return S.refs[j].live && rt_alive(S.refs[j].rt) && S.rts[S.refs[j].rt].gen == S.refs[j].gen;
}

static void op_ref(void) {
  uint8_t b = u8();
  int j = u8() % kRefs, k = pick_val();
  vh_ref ref = (b & 0x80) && S.dead_ref_n ? S.dead_ref[b % kPool] : S.refs[j].h;
  int live = !((b & 0x80) && S.dead_ref_n) && ref_live(j);
  uint32_t count;
  vh_value out;
  vh_ref out_ref;
  int rc = VH_EINVAL;
  switch (b % 5) {
    case 0: rc = vh_ref_inc(ref, (b & 8) ? &count : NULL); break;
    case 1: rc = vh_ref_dec(ref, &count); break;
    case 2:
      rc = vh_ref_get(ref, &out);
      if (rc == VH_OK) made(rc, live ? S.refs[j].rt : -1, out_val(), out);
      break;
    case 3:
      rc = vh_ref_dispose(ref);
      if (rc == VH_OK && live) {
        S.refs[j].live = 0;
        pool_ref(ref);
      }
      break;
    case 4: /* a new reference, strong or weak */
      rc = vh_ref_new(S.vals[k].v, (b >> 3) % 2, &out_ref);
      if (rc == VH_OK) check(val_live(k), "vh_ref_new accepted a dead value", rc);
      if (rc == VH_OK && S.vals[k].rt >= 0) {
        drop_ref(j);
        S.refs[j] = (ref_slot){out_ref, 1, S.vals[k].rt, S.rts[S.vals[k].rt].gen};
      }
      break;
  }
  TRACE("ref op %d (ref %d%s) -> %s\n", b % 5, j, live || b % 5 == 4 ? "" : ", stale", vh_err_name(rc));
  if (rc == VH_OK && b % 5 != 4) check(live, "a reference call accepted a deleted or disposed reference", rc);
}

static void op_runtime(void) {
  uint8_t b = u8();
  int r = u8() % kMaxRt;
  vh_runtime h = (b & 0x80) && S.dead_rt_n ? S.dead_rt[b % kPool] : S.rts[r].h;
  int live = !((b & 0x80) && S.dead_rt_n) && rt_alive(r);
  vh_heap_stats hs;
  bool alive;
  int rc = VH_EINVAL;
  arm();
  switch (b % 7) {
    case 0: rc = vh_runtime_gc(h); break;
    case 1: rc = vh_runtime_run_microtasks(h); break;
    case 2: rc = vh_runtime_heap_stats(h, &hs); break;
    case 3: rc = vh_runtime_terminate(h); break;
    case 4: rc = vh_runtime_run(h, VH_RUN_MODE_NOWAIT, (b & 8) ? &alive : NULL); break;
    case 5: rc = vh_runtime_interrupt(h, interrupt_fn, (b & 8) ? (void *)1 : NULL); break;
    case 6: rc = vh_runtime_set_deadline(h, u8() % 3); break;
  }
  disarm();
  TRACE("runtime op %d (rt %d%s) -> %s\n", b % 7, r, live ? "" : ", stale", vh_err_name(rc));
  if (rc == VH_OK) check(live, "a runtime call accepted a disposed runtime", rc);
}

static void op_promise(void) {
  int r, e;
  vh_engine h = pick_eng(&r, &e);
  uint8_t b = u8();
  int j = u8() % kDefs, k = pick_val();
  int stale = (b & 0x80) && S.dead_def_n;
  vh_deferred d = stale ? S.dead_def[b % kPool] : S.defs[j].h;
  int live = !stale && S.defs[j].live && rt_alive(S.defs[j].rt) && S.rts[S.defs[j].rt].gen == S.defs[j].gen;
  arm();
  int rc = (b & 1) ? vh_deferred_reject(h, d, S.vals[k].v) : vh_deferred_resolve(h, d, S.vals[k].v);
  disarm();
  TRACE("deferred_%s(rt %d, slot %d, def %d%s, val %d) -> %s\n", (b & 1) ? "reject" : "resolve", r,
        e, j, live ? "" : ", stale", k, vh_err_name(rc));
  if (rc == VH_OK) {
    check(live, "a used or disposed deferred was accepted", rc);
    S.defs[j].live = 0;
    pool_def(d);
  }
}

static void op_module(void) {
  int r, e;
  vh_engine h = pick_eng(&r, &e);
  uint8_t b = u8();
  int k = out_val();
  char buf[kMaxText], name[32];
  vh_value ns;
  int rc;
  if (b % 4 == 3) {
    static const char *const exports[] = {"v"};
    rc = vh_module_define_synthetic(h, "syn", exports, 1, syn_init, NULL);
    TRACE("module_define_synthetic(rt %d, slot %d) -> %s\n", r, e, vh_err_name(rc));
    return;
  }
  const char *src;
  size_t len;
  if (b % 4 == 2) {
    len = text(buf, sizeof buf);
    src = buf;
  } else {
    src = kModules[u8() % kNumModules];
    len = VH_AUTO_LENGTH;
  }
  snprintf(name, sizeof name, "m%u.mjs", (b & 0x80) ? 0u : ++S.module_counter);
  arm();
  rc = vh_module_eval(h, src, len, name, (b & 0x40) ? NULL : &ns);
  disarm();
  TRACE("module_eval(rt %d, slot %d, %s) -> %s\n", r, e, name, vh_err_name(rc));
  if (!(b & 0x40)) made(rc, r, k, ns);
}

static void op_code_cache(void) {
  int r, e;
  vh_engine h = pick_eng(&r, &e);
  uint8_t b = u8();
  int k = out_val();
  int src_index = u8() % kNumSnippets;
  if (!(b & 1) && !(b & 8)) src_index = S.cache_src; /* mostly the cache's own source */
  const char *src = kSnippets[src_index];
  int rc;
  arm();
  if (b & 1) {
    uint8_t *cache = NULL;
    size_t len = 0;
    rc = vh_code_cache_create(h, src, VH_AUTO_LENGTH, "cc.js", &cache, &len);
    if (rc == VH_OK) {
      vh_free(S.cache);
      S.cache = cache;
      S.cache_len = len;
      S.cache_src = src_index;
    }
  } else {
    /* a cache, damaged on demand: flipped bytes, truncated */
    uint8_t *copy = S.cache_len ? malloc(S.cache_len) : NULL;
    size_t len = S.cache_len;
    if (copy) {
      memcpy(copy, S.cache, len);
      int flips = u8() % 4;
      for (int i = 0; i < flips; ++i) copy[u16() % len] ^= (uint8_t)(1u << (u8() % 8));
      if (b & 2) len = u16() % (len + 1);
    }
    bool accepted;
    vh_value out;
    rc = vh_eval_with_cache(h, src, VH_AUTO_LENGTH, (b & 4) ? "other.js" : "cc.js", copy, len,
                            &accepted, &out);
    free(copy);
    made(rc, r, k, out);
  }
  disarm();
  TRACE("code_cache %s(rt %d, slot %d) -> %s\n", (b & 1) ? "create" : "eval", r, e, vh_err_name(rc));
}

static void op_post(void) {
  int r, e;
  vh_engine h = pick_eng(&r, &e);
  uint8_t b = u8();
  void *data = malloc(1);
  if (!data) return;
  int rc;
  if ((b & 1) && r >= 0 && S.cb_depth == 0 && rt_in_stack(r)) {
    /* with the runtime held it runs at once, here; without, it would wait for a loop */
    long before = S.tasks_run;
    arm();
    rc = vh_engine_post_and_wait(h, task_fn, data);
    disarm();
    if (rc == VH_OK) {
      ++S.tasks_posted;
      check(S.tasks_run == before + 1, "vh_engine_post_and_wait returned VH_OK without running the task", rc);
    } else if (S.tasks_run == before) {
      free(data);
    } else {
      ++S.tasks_posted; /* called with a failure status: it freed data */
    }
  } else {
    rc = vh_engine_post(h, task_fn, data);
    if (rc == VH_OK)
      ++S.tasks_posted;
    else
      free(data);
  }
  TRACE("post%s(rt %d, slot %d) -> %s\n", (b & 1) ? "_and_wait" : "", r, e, vh_err_name(rc));
  if (rc == VH_OK) check(r >= 0 && eng_alive(r, e), "a task was posted to a stale engine", rc);
}

static void op_globals(void) {
  int r, e;
  vh_engine h = pick_eng(&r, &e);
  uint8_t b = u8();
  int k = pick_val();
  char nbuf[8];
  int rc = VH_EINVAL;
  arm();
  switch (b % 3) {
    case 0: rc = vh_engine_install_globals(h); break;
    case 1:
      rc = vh_engine_install_builtins(h, (b >> 2) & (VH_BUILTIN_QUEUE_MICROTASK | VH_BUILTIN_CONSOLE | 8u));
      break;
    case 2: rc = set_global(h, pick_name(nbuf), S.vals[k].v); break;
  }
  disarm();
  TRACE("globals op %d (rt %d, slot %d) -> %s\n", b % 3, r, e, vh_err_name(rc));
  if (rc == VH_OK) check(r >= 0 && eng_alive(r, e), "a globals call in a stale engine", rc);
}

/* Stale handles of every kind: none may be accepted. */
static void op_stale(void) {
  uint8_t b = u8();
  int rc = VH_EINVAL;
  vh_value out;
  vh_scope s;
  switch (b % 8) {
    case 0:
      if (!S.dead_eng_n) return;
      rc = vh_scope_open(S.dead_eng[b % kPool], &s);
      break;
    case 1:
      if (!S.dead_eng_n) return;
      rc = vh_eval(S.dead_eng[b % kPool], "1", 1, NULL, &out);
      break;
    case 2: {
      vh_engine e;
      if (!S.dead_rt_n) return;
      rc = vh_engine_new(S.dead_rt[b % kPool], NULL, &e);
      break;
    }
    case 3:
      if (!S.dead_rt_n) return;
      rc = vh_runtime_global_function(S.dead_rt[b % kPool], "h", host_fn, NULL);
      break;
    case 4:
      if (!S.dead_ref_n) return;
      rc = vh_ref_get(S.dead_ref[b % kPool], &out);
      break;
    case 5:
      if (!S.dead_scope_n) return;
      rc = vh_scope_escape(S.dead_scope[b % kPool], S.vals[pick_val()].v, &out);
      break;
    case 6: {
      int k = pick_val();
      if (val_live(k)) return;
      rc = vh_pass(S.eng[u8() % kMaxRt][0].h, S.vals[k].v, &out, NULL);
      break;
    }
    case 7:
      if (!S.dead_def_n) return;
      rc = vh_deferred_resolve(S.eng[u8() % kMaxRt][0].h, S.dead_def[b % kPool], S.vals[0].v);
      break;
  }
  TRACE("stale op %d -> %s\n", b % 8, vh_err_name(rc));
  check(rc != VH_OK, "a stale handle was accepted", rc);
}

static void do_op(void) {
  if (S.i >= S.n || S.ops >= kMaxOps) {
    S.stop = S.stop || S.ops >= kMaxOps;
    return;
  }
  if (elapsed_ms() > kBudgetMs) {
    S.stop = 1;
    return;
  }
  ++S.ops;
  if (S.cb_depth == 0 && (S.ops & 3) != 0) {
    /* Most of the time, take what an earlier operation left pending, as a host would. */
    for (int r = 0; r < kMaxRt; ++r)
      for (int e = 0; e < kMaxEng; ++e) {
        bool pending = false;
        if (!eng_alive(r, e) || vh_exception_pending(S.eng[r][e].h, &pending) != VH_OK || !pending)
          continue;
        vh_exception x;
        memset(&x, 0, sizeof x);
        int rc = vh_exception_take(S.eng[r][e].h, &x);
        if (rc == VH_OK) made(rc, r, out_val(), x.value);
        vh_exception_free(&x);
      }
  }
  uint8_t op = u8();
  switch (op % 24) {
    case 0: op_rt_new(); break;
    case 1: op_rt_dispose(); break;
    case 2: op_eng_new(); break;
    case 3: op_eng_dispose(); break;
    case 4: case 5: op_scope_open(); break;
    case 6: op_scope_close(); break;
    case 7: op_scope_escape(); break;
    case 8: op_eval(0); break;
    case 9: (op & 0x80) ? op_structured() : op_eval(0); break;
    case 10: (op & 0x80) ? op_structured() : op_eval(1); break;
    case 11: op_make(); break;
    case 12: op_read(); break;
    case 13: op_prop(); break;
    case 14: op_call(); break;
    case 15: op_pass(); break;
    case 16: op_exception(); break;
    case 17: op_ref(); break;
    case 18: op_runtime(); break;
    case 19: op_promise(); break;
    case 20: op_module(); break;
    case 21: op_code_cache(); break;
    case 22: (op & 0x80) ? op_post() : op_globals(); break;
    case 23: op_stale(); break;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (g_trace < 0) {
    const char *t = getenv("VH_FUZZ_TRACE");
    g_trace = t && *t && *t != '0';
  }
  memset(&S, 0, sizeof S);
  S.p = data;
  S.n = size;
  clock_gettime(CLOCK_MONOTONIC, &S.start);

  /* The usual start, unless the first byte says otherwise (so that most inputs spend their
   * bytes on interesting operations): runtime 0 with two engines and a scope on engine 0; when
   * bit 0 is set, runtime 1 likewise, with a scope on its engine 0 inside the first. */
  if (size > 0 && (data[0] & 0xC0) != 0xC0) {
    for (int r = 0; r < ((data[0] & 1) ? 2 : 1); ++r) {
      vh_runtime_options o;
      vh_runtime_options_init(&o);
      o.heap_max_bytes = kHeapLimitBytes;
      if (vh_runtime_new(&o, &S.rts[r].h) != VH_OK) continue;
      S.rts[r].live = 1;
      S.rts[r].gen = 1;
      setup_runtime(r);
      for (int e = 0; e < 2; ++e) S.eng[r][e].live = vh_engine_new(S.rts[r].h, NULL, &S.eng[r][e].h) == VH_OK;
      vh_scope s;
      if (S.eng[r][0].live && vh_scope_open(S.eng[r][0].h, &s) == VH_OK)
        S.stack[S.nrec++] = (record){REC_SCOPE, s, r, 0, ++S.next_id, 0};
    }
    /* and a few values to work on: objects, a SharedArrayBuffer, a function, an array */
    static const char *const seeds[] = {"({a: 1, f() { return 1; }})", "new SharedArrayBuffer(8)",
                                        "(function f(x) { return x; })", "[1, 2, 3]"};
    for (int r = 0; r < kMaxRt; ++r)
      for (int j = 0; j < 4 && S.eng[r][0].live && S.nrec > 0; ++j) {
        vh_value v;
        int k = out_val();
        if (vh_eval(S.eng[r][0].h, seeds[j], VH_AUTO_LENGTH, "seed.js", &v) == VH_OK) store(k, v, r);
      }
    if (S.eng[0][0].live && S.nrec > 0) {
      vh_value v;
      vh_deferred d;
      vh_ref ref;
      int k = out_val();
      if (vh_new_promise(S.eng[0][0].h, &v, &d) == VH_OK) {
        store(k, v, 0);
        S.defs[0] = (def_slot){d, 1, 0, 1};
      }
      if (vh_ref_new(S.vals[0].v, 1, &ref) == VH_OK) S.refs[0] = (ref_slot){ref, 1, 0, 1};
    }
    S.i = 1;
  }

  while (S.i < S.n && !S.stop) do_op();

  /* Clean up: close our scopes innermost first, dispose every runtime. */
  TRACE("cleanup: %d scopes, ops %d, %ld ms\n", S.nrec, S.ops, elapsed_ms());
  check(S.cb_depth == 0, "callback depth not zero at the end", 0);
  while (S.nrec > 0) {
    record *top = &S.stack[S.nrec - 1];
    int rc = vh_scope_close(top->h);
    check(rc == VH_OK, "closing the innermost scope at cleanup failed", rc);
    --S.nrec;
  }
  for (int r = 0; r < kMaxRt; ++r) {
    if (!S.rts[r].live) continue;
    vh_runtime_set_deadline(S.rts[r].h, 0);
    int rc = vh_runtime_dispose(S.rts[r].h);
    check(rc == VH_OK, "disposing a runtime with no scope open failed at cleanup", rc);
    S.rts[r].live = 0;
  }
  vh_free(S.cache);
  S.cache = NULL;
  check(S.tasks_run == S.tasks_posted, "a posted task was not run exactly once by disposal", 0);
  check(S.natives_freed <= S.natives_made, "more natives finalized than made", 0);
#ifdef VH_FUZZ_KNOWN_BUGS
  /* Known bug: a constructor that returns VH_OK with a native after vh_throw*() or while its
   * script is being stopped (deadline, vh_runtime_terminate, heap limit) has its native dropped:
   * never attached, never finalized. */
  check(S.natives_freed == S.natives_made, "a class instance's native was never finalized", 0);
#endif
  if (S.natives_freed != S.natives_made) /* reclaim the dropped ones */
    for (unsigned i = 0; i < kNatives; ++i) g_natives[i].owned = 0;
  return 0;
}
