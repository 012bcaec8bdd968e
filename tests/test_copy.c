/* The copy (copy.h): structured clone between engines of one or two runtimes, with cycles and
 * shared references kept, SharedArrayBuffers on the shared path, transfer detaching the source,
 * WebAssembly.Module arriving compiled, host-class instances refused; and the byte form, whose
 * reader refuses corrupted input. */
#define VH_TEST_TWO_RUNTIMES
#include "test_util.h"

/* Runtime A with engines a and a2; runtime B with engine b. Scopes open on a, then b. */

/* Copies the completion value of source (in from) into to's global name. */
static void copy_as(vh_engine from, const char *source, vh_engine to, const char *name) {
  vh_value v = eval_ok(from, source), out;
  assert_ok(vh_engine_copy(from, v, to, NULL, &out));
  assert_ok(set_global(to, name, out));
}

static const char kEveryKind[] =
    "const o = { n: 1.5, s: 'text', big: 2n ** 70n, t: true, nil: null, u: undefined,"
    "  date: new Date(86400000), re: /a+b/gi, map: new Map([[1, 'one'], ['k', { deep: [1, 2] }]]),"
    "  set: new Set(['x', 'y']), wrapped: [new Number(3), new String('w'), new Boolean(false), Object(5n)],"
    "  err: new RangeError('bad range'), u8: new Uint8Array([1, 2, 3]), f64: new Float64Array([0.5, -1]),"
    "  dv: new DataView(new ArrayBuffer(8), 2, 4), ab: new ArrayBuffer(4), holes: [1, , 3] };"
    "o;";

static const char kCheckEveryKind[] =
    "[c.n, c.s, c.big === 2n ** 70n, c.t, c.nil, c.u, 'u' in c, c.date.getTime(), String(c.re),"
    " c.re.flags, c.map.get(1), c.map.get('k').deep.join(), [...c.set].join(),"
    " c.wrapped.map(w => typeof w + ':' + w.valueOf()).join(), c.err instanceof RangeError, c.err.message,"
    " c.u8 instanceof Uint8Array, c.u8.join(), c.f64.join(), c.dv instanceof DataView, c.dv.byteOffset,"
    " c.dv.byteLength, c.dv.buffer.byteLength, c.ab instanceof ArrayBuffer, c.ab.byteLength, 1 in c.holes,"
    " c.holes.length, Object.getPrototypeOf(c) === Object.prototype].join('|')";

static const char kExpected[] =
    "1.5|text|true|true|||true|86400000|/a+b/gi|gi|one|1,2|x,y|"
    "object:3,object:w,object:false,object:5|true|bad range|true|1,2,3|0.5,-1|true|2|4|8|true|4|"
    "false|3|true";

static void test_every_kind_across_runtimes(void **state) {
  fixture *f = *state;
  copy_as(f->a, kEveryKind, f->b, "c");
  assert_eval_string(f->b, kCheckEveryKind, kExpected);
  /* a copy: changing it changes nothing at home */
  eval_ok(f->b, "c.n = 7; c.map.set(1, 'changed')");
  assert_eval_string(f->a, "`${o.n} ${o.map.get(1)}`", "1.5 one");
}

static void test_every_kind_within_a_runtime(void **state) {
  fixture *f = *state;
  copy_as(f->a, kEveryKind, f->a2, "c");
  assert_eval_string(f->a2, kCheckEveryKind, kExpected);
  vh_value original = eval_ok(f->a, "o"), global, copy;
  assert_ok(vh_engine_global(f->a2, &global));
  assert_ok(vh_get(f->a2, global, "c", &copy));
  bool same = true;
  assert_ok(vh_strict_equals(original, copy, &same));
  assert_false(same);
}

static void test_cycles_and_shared_references_kept(void **state) {
  fixture *f = *state;
  copy_as(f->a, "const shared = { v: 1 }; const ring = { shared, list: [shared, shared] };"
                "ring.self = ring; const buf = new ArrayBuffer(8);"
                "ring.views = [new Uint8Array(buf), new Int32Array(buf, 4, 1)]; ring",
          f->b, "r");
  assert_eval_string(f->b,
                     "[r.self === r, r.shared === r.list[0], r.list[0] === r.list[1],"
                     " r.views[0].buffer === r.views[1].buffer,"
                     " (r.views[1][0] = -1, r.views[0][7])].join()",
                     "true,true,true,true,255");
}

static void test_shared_buffers_take_the_shared_path(void **state) {
  fixture *f = *state;
  vh_value sab = eval_ok(f->a, "globalThis.sab = new SharedArrayBuffer(16);"
                               "globalThis.pack = { sab, view: new Int32Array(sab, 4, 2), again: sab }; pack");
  vh_value out, out2;
  assert_ok(vh_engine_copy(f->a, sab, f->b, NULL, &out));
  assert_ok(set_global(f->b, "p", out));
  assert_eval_string(f->b, "p.sab === p.again && p.view.buffer === p.sab && p.view.byteOffset === 4 ? 'ok' : 'no'", "ok");
  /* the same memory: a write in B is seen in A */
  eval_ok(f->b, "p.view[0] = 42");
  assert_eval_string(f->a, "String(new Int32Array(sab)[1])", "42");
  /* vh_pass's identity: the same buffer copied again into B arrives as the same object, and as
   * the object vh_pass gives */
  assert_ok(vh_engine_copy(f->a, eval_ok(f->a, "sab"), f->b, NULL, &out2));
  assert_ok(set_global(f->b, "again", out2));
  vh_value passed;
  vh_pass_kind how;
  assert_ok(vh_pass(f->b, eval_ok(f->a, "sab"), &passed, &how));
  assert_ok(set_global(f->b, "passed", passed));
  assert_eval_string(f->b, "String(again === p.sab && passed === p.sab)", "true");
  /* within one runtime: the very object, as vh_pass */
  copy_as(f->a, "pack", f->a2, "q");
  assert_eval_string(f->a, "String(pack.sab === (() => 0, pack.sab))", "true");
  vh_value qv, g2;
  assert_ok(vh_engine_global(f->a2, &g2));
  assert_ok(vh_get(f->a2, g2, "q", &qv));
  vh_value qsab, orig = eval_ok(f->a, "sab");
  assert_ok(vh_get(f->a2, qv, "sab", &qsab));
  bool same = false;
  assert_ok(vh_strict_equals(qsab, orig, &same));
  assert_true(same);
}

static void test_growable_shared_view_in_a_copy(void **state) {
  fixture *f = *state;
  copy_as(f->a, "globalThis.g = new SharedArrayBuffer(8, { maxByteLength: 64 });"
                "({ track: new Uint8Array(g, 4), fixed: new Uint16Array(g, 0, 2) })",
          f->b, "v");
  assert_eval_string(f->b, "`${v.track.length} ${v.fixed.length}`", "4 2");
  eval_ok(f->a, "g.grow(32)");
  assert_eval_string(f->b, "`${v.track.length} ${v.fixed.length} ${v.track.buffer.growable}`", "28 2 true");
}

static void test_transfer_detaches_and_moves_without_copy(void **state) {
  fixture *f = *state;
  vh_value ab = eval_ok(f->a, "globalThis.big = new ArrayBuffer(1 << 20); new Uint8Array(big)[5] = 9;"
                              "globalThis.wrap = { big, view: new Uint8Array(big, 4, 4) }; big");
  void *before, *after;
  size_t n;
  assert_ok(vh_array_buffer_data(ab, &before, &n));
  vh_copy_options opts;
  assert_ok(vh_copy_options_init(&opts));
  opts.transfer = &ab;
  opts.transfer_count = 1;
  vh_value out;
  assert_ok(vh_engine_copy(f->a, eval_ok(f->a, "wrap"), f->b, &opts, &out));
  assert_ok(set_global(f->b, "w", out));
  /* detached at home, the same memory over there */
  assert_eval_string(f->a, "`${big.byteLength} ${wrap.view.length}`", "0 0");
  assert_status(VH_EDETACHED, vh_array_buffer_data(ab, &after, &n));
  vh_value moved;
  assert_ok(vh_get(f->b, out, "big", &moved));
  assert_ok(vh_array_buffer_data(moved, &after, &n));
  assert_ptr_equal(after, before);
  assert_int_equal(n, 1 << 20);
  assert_eval_string(f->b, "`${w.view[1]} ${w.view.buffer === w.big}`", "9 true");
}

static void test_transfer_list_checked(void **state) {
  fixture *f = *state;
  vh_value value = eval_ok(f->a, "globalThis.t1 = new ArrayBuffer(8); ({ t1 })");
  vh_value list[2], out;
  vh_copy_options opts;
  assert_ok(vh_copy_options_init(&opts));
  opts.transfer = list;
  memset(&out, 0, sizeof out);
  list[0] = eval_ok(f->a, "({})");
  opts.transfer_count = 1;
  assert_status(VH_ETYPE, vh_engine_copy(f->a, value, f->b, &opts, &out));
  list[0] = eval_ok(f->a, "new SharedArrayBuffer(8)");
  assert_status(VH_ETYPE, vh_engine_copy(f->a, value, f->b, &opts, &out));
  list[0] = list[1] = eval_ok(f->a, "t1");
  opts.transfer_count = 2;
  assert_status(VH_ETYPE, vh_engine_copy(f->a, value, f->b, &opts, &out));
  list[0] = eval_ok(f->b, "new ArrayBuffer(2)"); /* of the other runtime */
  opts.transfer_count = 1;
  assert_status(VH_ETYPE, vh_engine_copy(f->a, value, f->b, &opts, &out));
  opts.transfer = NULL;
  assert_status(VH_EINVAL, vh_engine_copy(f->a, value, f->b, &opts, &out));
  opts.transfer = list;
  list[0] = eval_ok(f->a, "const gone = new ArrayBuffer(4); globalThis.gone = gone; gone");
  assert_ok(vh_array_buffer_detach(f->a, list[0]));
  assert_status(VH_EDETACHED, vh_engine_copy(f->a, value, f->b, &opts, &out));
  /* nothing was detached by the failed calls */
  assert_eval_string(f->a, "String(t1.byteLength)", "8");
}

static void test_uncopyable_values_throw_data_clone_error(void **state) {
  fixture *f = *state;
  vh_value ab = eval_ok(f->a, "globalThis.keep = new ArrayBuffer(8); keep"), out;
  vh_copy_options opts;
  assert_ok(vh_copy_options_init(&opts));
  opts.transfer = &ab;
  opts.transfer_count = 1;
  assert_status(VH_EEXCEPTION, vh_engine_copy(f->a, eval_ok(f->a, "({ keep, f() {} })"), f->b, &opts, &out));
  vh_exception ex;
  assert_ok(vh_exception_take(f->a, &ex));
  vh_value name;
  assert_ok(vh_get(f->a, ex.value, "name", &name));
  char buf[64];
  assert_ok(vh_value_string_utf8(name, buf, sizeof buf, NULL));
  assert_string_equal(buf, "DataCloneError");
  vh_exception_free(&ex);
  /* the transfer did not happen */
  assert_eval_string(f->a, "String(keep.byteLength)", "8");
  /* a getter that throws: its exception, pending in the source */
  assert_status(VH_EEXCEPTION, vh_engine_copy(f->a, eval_ok(f->a, "({ get x() { throw new TypeError('no'); } })"), f->b, NULL, &out));
  assert_ok(vh_exception_take(f->a, &ex));
  assert_non_null(strstr(ex.message, "no"));
  vh_exception_free(&ex);
  assert_status(VH_EEXCEPTION, vh_engine_copy(f->a, eval_ok(f->a, "Symbol('s')"), f->b, NULL, &out));
  assert_ok(vh_exception_discard(f->a));
}

static void test_host_class_instance_is_refused(void **state) {
  fixture *f = *state;
  vh_class_def def;
  memset(&def, 0, sizeof def);
  def.struct_size = sizeof def;
  def.name = "Thing";
  vh_class cls;
  assert_ok(vh_class_define(f->ra, &def, &cls));
  vh_value inst, holder, out;
  static int native;
  assert_ok(vh_class_new_instance(f->a, cls, &native, &inst));
  assert_ok(vh_new_object(f->a, &holder));
  assert_ok(vh_set(f->a, holder, "thing", inst));
  assert_status(VH_EEXCEPTION, vh_engine_copy(f->a, holder, f->b, NULL, &out));
  vh_exception ex;
  assert_ok(vh_exception_take(f->a, &ex));
  assert_non_null(strstr(ex.message, "host class"));
  vh_exception_free(&ex);
}

/* (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)) */
static const char kWasmAdd[] =
    "new WebAssembly.Module(new Uint8Array([0,97,115,109,1,0,0,0,1,7,1,96,2,127,127,1,127,3,2,1,0,"
    "7,7,1,3,97,100,100,0,0,10,9,1,7,0,32,0,32,1,106,11]))";

static void test_wasm_module_arrives_compiled(void **state) {
  fixture *f = *state;
  char src[512];
  snprintf(src, sizeof src, "({ mod: %s })", kWasmAdd);
  copy_as(f->a, src, f->b, "m");
  assert_eval_string(f->b,
                     "String(m.mod instanceof WebAssembly.Module &&"
                     " new WebAssembly.Instance(m.mod).exports.add(40, 2))",
                     "42");
}

/* ---- bytes ------------------------------------------------------------------------------------ */

static void test_bytes_round_trip(void **state) {
  fixture *f = *state;
  uint8_t *bytes = NULL;
  size_t length = 0;
  assert_ok(vh_engine_copy_to_bytes(f->a, eval_ok(f->a, kEveryKind), &bytes, &length));
  assert_true(length > 16);
  assert_memory_equal(bytes, "VHCB\1", 5);
  vh_value out;
  assert_ok(vh_engine_copy_from_bytes(f->b, bytes, length, &out));
  assert_ok(set_global(f->b, "c", out));
  assert_eval_string(f->b, kCheckEveryKind, kExpected);
  vh_free(bytes);
}

static void test_bytes_refuse_shared_and_wasm(void **state) {
  fixture *f = *state;
  uint8_t *bytes = NULL;
  size_t length = 0;
  assert_status(VH_EEXCEPTION, vh_engine_copy_to_bytes(f->a, eval_ok(f->a, "({ s: new SharedArrayBuffer(4) })"), &bytes, &length));
  assert_ok(vh_exception_discard(f->a));
  assert_status(VH_EEXCEPTION, vh_engine_copy_to_bytes(f->a, eval_ok(f->a, "[new Int8Array(new SharedArrayBuffer(4))]"), &bytes, &length));
  assert_ok(vh_exception_discard(f->a));
  char src[512];
  snprintf(src, sizeof src, "[%s]", kWasmAdd);
  assert_status(VH_EEXCEPTION, vh_engine_copy_to_bytes(f->a, eval_ok(f->a, src), &bytes, &length));
  assert_ok(vh_exception_discard(f->a));
  assert_null(bytes);
}

static void test_corrupted_bytes_give_ebaddata(void **state) {
  fixture *f = *state;
  uint8_t *bytes;
  size_t length;
  assert_ok(vh_engine_copy_to_bytes(
      f->a, eval_ok(f->a, "const b = new ArrayBuffer(16); ({ a: [1, 'two', 3n], m: new Map([[1, {}]]),"
                          " v: new Uint32Array(b, 4, 2), d: new DataView(b) })"),
      &bytes, &length));
  vh_value out;
  memset(&out, 0, sizeof out);
  /* every truncation */
  for (size_t n = 0; n < length; n++)
    assert_status(VH_EBADDATA, vh_engine_copy_from_bytes(f->b, bytes, n, &out));
  /* the header */
  uint8_t *copy = malloc(length + 1);
  memcpy(copy, bytes, length);
  copy[0] = 'X';
  assert_status(VH_EBADDATA, vh_engine_copy_from_bytes(f->b, copy, length, &out));
  memcpy(copy, bytes, length);
  copy[4] = 2; /* a format version this library does not know */
  assert_status(VH_EBADDATA, vh_engine_copy_from_bytes(f->b, copy, length, &out));
  memcpy(copy, bytes, length);
  copy[length] = 0; /* one byte too many for the length in the header */
  assert_status(VH_EBADDATA, vh_engine_copy_from_bytes(f->b, copy, length + 1, &out));
  /* every payload byte changed, three ways: refused or read, never a crash, nothing pending */
  static const uint8_t kFlips[] = {0xff, 0x01, 0x80};
  int read = 0, refused = 0;
  for (size_t i = 16; i < length; i++)
    for (size_t k = 0; k < sizeof kFlips; k++) {
      vh_scope inner;
      memcpy(copy, bytes, length);
      copy[i] ^= kFlips[k];
      assert_ok(vh_scope_open(f->b, &inner));
      int rc = vh_engine_copy_from_bytes(f->b, copy, length, &out);
      assert_true(rc == VH_OK || rc == VH_EBADDATA);
      if (rc == VH_OK) read++; else refused++;
      bool pending = true;
      assert_ok(vh_exception_pending(f->b, &pending));
      assert_false(pending);
      assert_ok(vh_scope_close(inner));
    }
  assert_true(refused > 0);
  (void)read;
  assert_status(VH_EBADDATA, vh_engine_copy_from_bytes(f->b, NULL, 0, &out));
  assert_status(VH_EINVAL, vh_engine_copy_from_bytes(f->b, NULL, 4, &out));
  free(copy);
  vh_free(bytes);
}

static void test_view_window_checked_when_read(void **state) {
  fixture *f = *state;
  uint8_t *bytes;
  size_t length;
  /* a 4-byte buffer with a Uint8Array over all of it; then its length field made 5 */
  assert_ok(vh_engine_copy_to_bytes(f->a, eval_ok(f->a, "new Uint8Array(new ArrayBuffer(4), 1, 3)"), &bytes, &length));
  /* the view record ends with offset (1) and length (3) as V8 varints: the last two bytes */
  assert_int_equal(bytes[length - 2], 1);
  assert_int_equal(bytes[length - 1], 3);
  vh_value out;
  bytes[length - 1] = 4; /* 1 + 4 > 4 */
  assert_status(VH_EBADDATA, vh_engine_copy_from_bytes(f->b, bytes, length, &out));
  bytes[length - 1] = 3;
  bytes[length - 2] = 5; /* offset past the end */
  assert_status(VH_EBADDATA, vh_engine_copy_from_bytes(f->b, bytes, length, &out));
  bytes[length - 2] = 1;
  assert_ok(vh_engine_copy_from_bytes(f->b, bytes, length, &out));
  vh_free(bytes);
}

/* ---- the structuredClone builtin ----------------------------------------------------------------- */

static void test_structured_clone_builtin(void **state) {
  fixture *f = *state;
  assert_ok(vh_engine_install_builtins(f->a, VH_BUILTIN_STRUCTURED_CLONE));
  assert_eval_string(f->a,
                     "const src = { list: [1, 2], when: new Date(3) }; src.me = src;"
                     "const c = structuredClone(src);"
                     "[c !== src, c.me === c, c.list !== src.list, c.list.join(), c.when.getTime()].join()",
                     "true,true,true,1,2,3");
  assert_eval_string(f->a,
                     "const buf = new ArrayBuffer(8); new Uint8Array(buf)[0] = 5;"
                     "const moved = structuredClone({ buf }, { transfer: [buf] });"
                     "`${buf.byteLength} ${moved.buf.byteLength} ${new Uint8Array(moved.buf)[0]}`",
                     "0 8 5");
  assert_eval_string(f->a,
                     "const names = [];"
                     "for (const [v, o] of [[() => 1, undefined], [{}, { transfer: [{}] }],"
                     "    [1, { transfer: [buf] }], [Symbol('s'), null]])"
                     "  try { structuredClone(v, o); names.push('none'); } catch (e) { names.push(e.name); }"
                     "names.join()",
                     "DataCloneError,DataCloneError,DataCloneError,DataCloneError");
  assert_eval_string(f->a,
                     "const kinds = [];"
                     "for (const args of [[], [1, 5], [1, { transfer: 7 }]])"
                     "  try { structuredClone(...args); kinds.push('none'); } catch (e) { kinds.push(e.constructor.name); }"
                     "kinds.join()",
                     "TypeError,TypeError,TypeError");
  /* a getter's exception propagates as itself */
  assert_eval_string(f->a,
                     "try { structuredClone({ get x() { throw new RangeError('mine'); } }); 'none' }"
                     "catch (e) { e.message }",
                     "mine");
  /* not installed without the flag */
  assert_eval_string(f->a2, "typeof structuredClone", "undefined");
}

int main(void) {
  /* test_growable_shared_view_in_a_copy needs growable SharedArrayBuffers: the process opts in
   * (V8 10.2 keeps them behind an unsafe flag, docs/limits.md). */
  if (opt_in_rab_gsab() != VH_OK) return 1;
  const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
      T(test_every_kind_across_runtimes),
      T(test_every_kind_within_a_runtime),
      T(test_cycles_and_shared_references_kept),
      T(test_shared_buffers_take_the_shared_path),
      T(test_growable_shared_view_in_a_copy),
      T(test_transfer_detaches_and_moves_without_copy),
      T(test_transfer_list_checked),
      T(test_uncopyable_values_throw_data_clone_error),
      T(test_host_class_instance_is_refused),
      T(test_wasm_module_arrives_compiled),
      T(test_bytes_round_trip),
      T(test_bytes_refuse_shared_and_wasm),
      T(test_corrupted_bytes_give_ebaddata),
      T(test_view_window_checked_when_read),
      T(test_structured_clone_builtin),
#undef T
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
