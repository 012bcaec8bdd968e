/* Host memory (buffer.h): buffers V8 allocates for the host to fill, the data pointer of buffers
 * and views (windows, detached, resized, length-tracking), buffers and strings over host memory
 * with their free callback run exactly once. */
#define VH_TEST_FIXTURE
#include "test_util.h"

#include <stdatomic.h>
#include <time.h>

/* ---- V8-allocated buffers ---------------------------------------------------------------- */

static void test_new_array_buffer_host_fills_script_sums(void **state) {
  (void)state;
  void *data = NULL;
  vh_value ab;
  assert_ok(vh_new_array_buffer(g_e, 1000, &data, &ab));
  assert_non_null(data);
  unsigned char *bytes = data;
  for (int i = 0; i < 1000; i++) assert_int_equal(bytes[i], 0); /* zero-filled */
  for (int i = 0; i < 1000; i++) bytes[i] = (unsigned char)(i & 0xff);
  assert_ok(set_global(g_e, "ab", ab));
  assert_eval_string(g_e,
                     "let s = 0; for (const b of new Uint8Array(ab)) s += b;"
                     "`${ab instanceof ArrayBuffer} ${ab.byteLength} ${s}`",
                     "true 1000 124716");
  /* and back: script writes, the host sees it through the same pointer */
  eval_ok(g_e, "new Uint8Array(ab)[999] = 7");
  assert_int_equal(bytes[999], 7);
}

static void test_new_array_buffer_zero_length_and_no_data_pointer(void **state) {
  (void)state;
  void *data = (void *)1;
  vh_value ab, ab2;
  assert_ok(vh_new_array_buffer(g_e, 0, &data, &ab));
  assert_null(data);
  assert_ok(vh_new_array_buffer(g_e, 16, NULL, &ab2));
  size_t n = 1;
  assert_ok(vh_array_buffer_data(ab, &data, &n));
  assert_int_equal(n, 0);
  assert_ok(vh_array_buffer_data(ab2, NULL, &n));
  assert_int_equal(n, 16);
}

static void test_new_array_buffer_huge_is_an_error_not_a_crash(void **state) {
  (void)state;
  void *data = NULL;
  vh_value ab;
  memset(&ab, 0, sizeof ab);
  assert_status(VH_ERANGE, vh_new_array_buffer(g_e, VH_ARRAY_BUFFER_MAX_LENGTH + 1, &data, &ab));
#if !defined(__SANITIZE_ADDRESS__) /* ASan's allocator ends the process on such a request */
  /* 2^52 bytes: within JavaScript's range, beyond any allocator */
  assert_status(VH_ENOMEM, vh_new_array_buffer(g_e, (size_t)1 << 52, &data, &ab));
  assert_status(VH_ENOMEM, vh_new_shared_array_buffer(g_e, (size_t)1 << 52, &data, &ab));
#endif
  assert_null(data);
}

static void test_new_shared_array_buffer(void **state) {
  (void)state;
  void *data;
  vh_value sab;
  assert_ok(vh_new_shared_array_buffer(g_e, 8, &data, &sab));
  ((int32_t *)data)[1] = 42;
  assert_ok(set_global(g_e, "sab", sab));
  assert_eval_string(g_e, "`${sab instanceof SharedArrayBuffer} ${Atomics.load(new Int32Array(sab), 1)}`",
                     "true 42");
}

/* ---- the data pointer of buffers and views ------------------------------------------------- */

static void test_data_of_each_kind(void **state) {
  (void)state;
  void *data;
  size_t n;
  vh_value ab = eval_ok(g_e, "globalThis.b = new ArrayBuffer(32); new Uint8Array(b).fill(1); b");
  assert_ok(vh_array_buffer_data(ab, &data, &n));
  assert_int_equal(n, 32);
  unsigned char *base = data;

  /* a typed array's window: offset 4, 3 elements of 4 bytes */
  vh_value ta = eval_ok(g_e, "new Int32Array(b, 4, 3)");
  assert_ok(vh_array_buffer_data(ta, &data, &n));
  assert_ptr_equal(data, base + 4);
  assert_int_equal(n, 12);
  ((int32_t *)data)[2] = -5;
  assert_eval_string(g_e, "String(new Int32Array(b)[3])", "-5");

  /* a DataView's window */
  vh_value dv = eval_ok(g_e, "new DataView(b, 20, 10)");
  assert_ok(vh_array_buffer_data(dv, &data, &n));
  assert_ptr_equal(data, base + 20);
  assert_int_equal(n, 10);

  /* a SharedArrayBuffer and a view over one */
  vh_value sab = eval_ok(g_e, "globalThis.sh = new SharedArrayBuffer(16); sh");
  void *sdata;
  assert_ok(vh_array_buffer_data(sab, &sdata, &n));
  assert_int_equal(n, 16);
  vh_value sv = eval_ok(g_e, "new Uint16Array(sh, 2)");
  assert_ok(vh_array_buffer_data(sv, &data, &n));
  assert_ptr_equal(data, (char *)sdata + 2);
  assert_int_equal(n, 14);

  /* a small typed array script made, whose elements V8 may keep in its heap */
  vh_value small = eval_ok(g_e, "globalThis.t = new Uint8Array([1, 2, 3]); t");
  assert_ok(vh_array_buffer_data(small, &data, &n));
  assert_int_equal(n, 3);
  assert_memory_equal(data, "\1\2\3", 3);
  ((unsigned char *)data)[1] = 9;
  assert_eval_string(g_e, "t.join()", "1,9,3");
}

static void test_data_refuses_other_values(void **state) {
  (void)state;
  void *data = (void *)1;
  size_t n = 99;
  assert_status(VH_ETYPE, vh_array_buffer_data(eval_ok(g_e, "[1, 2]"), &data, &n));
  assert_status(VH_ETYPE, vh_array_buffer_data(eval_ok(g_e, "'bytes'"), &data, &n));
  assert_status(VH_ETYPE, vh_array_buffer_data(eval_ok(g_e, "new Proxy(new ArrayBuffer(4), {})"), &data, &n));
  assert_ptr_equal(data, (void *)1);
  assert_int_equal(n, 99);
}

static void test_data_of_detached_buffer_and_its_views(void **state) {
  (void)state;
  vh_value ab = eval_ok(g_e, "globalThis.d = new ArrayBuffer(8); d");
  vh_value view = eval_ok(g_e, "new Uint8Array(d, 2)");
  vh_value dv = eval_ok(g_e, "new DataView(d)");
  assert_ok(vh_array_buffer_detach(g_e, ab));
  void *data = (void *)1;
  size_t n = 99;
  assert_status(VH_EDETACHED, vh_array_buffer_data(ab, &data, &n));
  assert_status(VH_EDETACHED, vh_array_buffer_data(view, &data, &n));
  assert_status(VH_EDETACHED, vh_array_buffer_data(dv, &data, &n));
  assert_ptr_equal(data, (void *)1);
  assert_int_equal(n, 99);
}

static void test_data_of_resized_and_length_tracking(void **state) {
  (void)state;
  void *data;
  size_t n;
  vh_value rab = eval_ok(g_e, "globalThis.r = new ArrayBuffer(16, { maxByteLength: 64 }); r");
  vh_value tracking = eval_ok(g_e, "new Uint8Array(r, 8)");   /* length-tracking */
  vh_value fixed = eval_ok(g_e, "new Uint8Array(r, 4, 4)");
  assert_ok(vh_array_buffer_data(tracking, &data, &n));
  assert_int_equal(n, 8);
  eval_ok(g_e, "r.resize(40)");
  assert_ok(vh_array_buffer_data(rab, &data, &n));
  assert_int_equal(n, 40);
  assert_ok(vh_array_buffer_data(tracking, &data, &n));
  assert_int_equal(n, 32);
  assert_ok(vh_array_buffer_data(fixed, &data, &n));
  assert_int_equal(n, 4);
  /* shrunk below both windows: out of bounds reads as length 0 */
  eval_ok(g_e, "r.resize(2)");
  assert_ok(vh_array_buffer_data(tracking, &data, &n));
  assert_int_equal(n, 0);
  assert_null(data);
  assert_ok(vh_array_buffer_data(fixed, &data, &n));
  assert_int_equal(n, 0);

  vh_value gsab = eval_ok(g_e, "globalThis.g = new SharedArrayBuffer(8, { maxByteLength: 32 }); g");
  eval_ok(g_e, "g.grow(24)");
  assert_ok(vh_array_buffer_data(gsab, &data, &n));
  assert_int_equal(n, 24);
}

/* ---- buffers over host memory -------------------------------------------------------------- */

static atomic_int g_freed;
static void *g_freed_data;
static size_t g_freed_length;
static void *g_freed_user;

/* Counts every call; records the arguments of a call whose user is &g_freed. */
static void count_free(void *data, size_t length, void *user) {
  if (user == &g_freed) {
    g_freed_data = data;
    g_freed_length = length;
    g_freed_user = user;
  }
  atomic_fetch_add(&g_freed, 1);
  free(data);
}

static void reset_freed(void) {
  atomic_store(&g_freed, 0);
  g_freed_data = NULL;
  g_freed_length = 0;
  g_freed_user = NULL;
}

static void test_external_buffer_freed_once_at_dispose(void **state) {
  (void)state;
  reset_freed();
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  open_runtime(NULL, &rt, &e, &s);
  unsigned char *mem = malloc(64);
  for (int i = 0; i < 64; i++) mem[i] = (unsigned char)i;
  vh_value ab;
  assert_ok(vh_new_external_array_buffer(e, mem, 64, count_free, &g_freed, &ab));
  void *data;
  size_t n;
  assert_ok(vh_array_buffer_data(ab, &data, &n));
  assert_ptr_equal(data, mem); /* zero copy */
  assert_int_equal(n, 64);
  assert_ok(set_global(e, "x", ab));
  assert_eval_string(e, "String(new Uint8Array(x)[63])", "63");
  /* an empty one is handed back too (its user is NULL: not recorded) */
  vh_value empty;
  assert_ok(vh_new_external_array_buffer(e, malloc(1), 0, count_free, NULL, &empty));
  assert_ok(set_global(e, "empty", empty));
  assert_ok(vh_scope_close(s));
  assert_int_equal(atomic_load(&g_freed), 0); /* the globals still hold them */
  assert_ok(vh_runtime_dispose(rt));
  assert_int_equal(atomic_load(&g_freed), 2);
  assert_int_equal(g_freed_length, 64);
  assert_ptr_equal(g_freed_user, &g_freed);
}

static void test_external_buffer_freed_once_when_collected(void **state) {
  (void)state;
  reset_freed();
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  open_runtime(NULL, &rt, &e, &s);
  vh_value ab;
  assert_ok(vh_new_external_array_buffer(e, malloc(1 << 20), 1 << 20, count_free, NULL, &ab));
  assert_ok(vh_scope_close(s));
  /* V8 frees unreachable buffers on a background thread after a full GC: wait for it */
  for (int i = 0; i < 200 && atomic_load(&g_freed) == 0; i++) {
    assert_ok(vh_runtime_gc(rt));
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  assert_int_equal(atomic_load(&g_freed), 1);
  assert_ok(vh_runtime_dispose(rt));
  assert_int_equal(atomic_load(&g_freed), 1); /* not again */
}

static void test_external_buffer_detached_frees_it(void **state) {
  (void)state;
  reset_freed();
  vh_value ab;
  assert_ok(vh_new_external_array_buffer(g_e, malloc(8), 8, count_free, NULL, &ab));
  vh_value view = eval_ok(g_e, "globalThis.u = new Uint8Array(4); u"); /* unrelated */
  (void)view;
  assert_ok(vh_array_buffer_detach(g_e, ab));
  assert_int_equal(atomic_load(&g_freed), 1);
  assert_status(VH_EDETACHED, vh_array_buffer_data(ab, NULL, NULL));
}

static void test_external_buffer_argument_checks(void **state) {
  (void)state;
  char mem[4];
  vh_value v;
  assert_status(VH_EINVAL, vh_new_external_array_buffer(g_e, NULL, 0, NULL, NULL, &v));
  assert_status(VH_EINVAL, vh_new_external_array_buffer(g_e, mem, 4, NULL, NULL, NULL));
  assert_status(VH_ERANGE, vh_new_external_shared_array_buffer(g_e, mem, SIZE_MAX, NULL, NULL, &v));
  /* without a callback the memory stays the host's: a stack buffer is fine while the runtime
   * cannot use it any more (the scope closes and the fixture's runtime outlives nothing) */
  assert_ok(vh_new_external_array_buffer(g_e, mem, 4, NULL, NULL, &v));
  assert_ok(vh_array_buffer_detach(g_e, v));
}

static void test_external_shared_buffer_outlives_first_runtime(void **state) {
  (void)state;
  reset_freed();
  vh_runtime r1, r2;
  vh_engine e1, e2;
  vh_scope s1, s2;
  open_two_runtimes(&r1, &e1, &s1, &r2, &e2, &s2);
  int32_t *mem = calloc(4, sizeof *mem);
  vh_value sab, there;
  vh_pass_kind how;
  assert_ok(vh_new_external_shared_array_buffer(e1, mem, 16, count_free, NULL, &sab));
  assert_ok(vh_pass(e2, sab, &there, &how));
  assert_int_equal(how, VH_PASS_KIND_SHARED);
  assert_ok(set_global(e2, "s", there));
  assert_ok(vh_scope_close(s2));
  assert_ok(vh_scope_close(s1));
  assert_ok(vh_runtime_dispose(r1));
  assert_int_equal(atomic_load(&g_freed), 0); /* r2 still holds the memory */
  mem[2] = 77;
  assert_ok(vh_scope_open(e2, &s2));
  assert_eval_string(e2, "String(new Int32Array(s)[2])", "77");
  assert_ok(vh_scope_close(s2));
  assert_ok(vh_runtime_dispose(r2));
  assert_int_equal(atomic_load(&g_freed), 1);
}

/* ---- strings over host memory ------------------------------------------------------------- */

static char *dup_bytes(const char *s, size_t n) {
  char *p = malloc(n ? n : 1);
  memcpy(p, s, n);
  return p;
}

static void test_external_strings_read_and_freed_once(void **state) {
  (void)state;
  reset_freed();
  vh_runtime rt;
  vh_engine e;
  vh_scope s;
  open_runtime(NULL, &rt, &e, &s);
  vh_value a, u;
  /* "caf\xe9 " repeated: Latin-1 bytes, as long as V8 wants before keeping a string external */
  char text[64];
  for (int i = 0; i < 60; i += 5) memcpy(text + i, "caf\xe9 ", 5);
  assert_ok(vh_new_external_string_latin1(e, dup_bytes(text, 60), 60, count_free, NULL, &a));
  static const uint16_t units[] = {0x68, 0xD800, 0x20AC, 0x21};
  uint16_t *umem = malloc(sizeof units);
  memcpy(umem, units, sizeof units);
  assert_ok(vh_new_external_string_utf16(e, umem, 4, count_free, NULL, &u));
  assert_ok(set_global(e, "a", a));
  assert_ok(set_global(e, "u", u));
  assert_eval_string(e, "`${a.length} ${a.slice(0, 5)} ${a.charCodeAt(3)}`", "60 caf\xc3\xa9  233");
  uint16_t back[8];
  size_t n;
  assert_ok(vh_value_string_utf16(u, back, 8, &n));
  assert_int_equal(n, 4);
  assert_memory_equal(back, units, sizeof units); /* the lone surrogate kept */
  assert_ok(vh_scope_close(s));
  assert_int_equal(atomic_load(&g_freed), 0);
  assert_ok(vh_runtime_dispose(rt));
  assert_int_equal(atomic_load(&g_freed), 2);
}

static void test_external_string_empty_and_checks(void **state) {
  (void)state;
  reset_freed();
  vh_value v;
  assert_ok(vh_new_external_string_latin1(g_e, dup_bytes("", 0), 0, count_free, NULL, &v));
  assert_int_equal(atomic_load(&g_freed), 1); /* V8 keeps no pointer for "": freed at once */
  size_t n = 9;
  assert_ok(vh_value_string_utf8(v, NULL, 0, &n));
  assert_int_equal(n, 0);
  assert_status(VH_EINVAL, vh_new_external_string_utf16(g_e, NULL, 0, NULL, NULL, &v));
  assert_status(VH_EINVAL, vh_new_external_string_latin1(g_e, "x", 1, NULL, NULL, NULL));
  assert_status(VH_ERANGE, vh_new_external_string_latin1(g_e, "x", (size_t)1 << 30, count_free, NULL, &v));
  assert_int_equal(atomic_load(&g_freed), 1); /* a failed call does not call back */
}

int main(void) {
  /* test_data_of_resized_and_length_tracking needs resizable buffers: the process opts in (V8
   * 10.2 keeps them behind an unsafe flag, docs/limits.md). */
  if (opt_in_rab_gsab() != VH_OK) return 1;
  const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
      T(test_new_array_buffer_host_fills_script_sums),
      T(test_new_array_buffer_zero_length_and_no_data_pointer),
      T(test_new_array_buffer_huge_is_an_error_not_a_crash),
      T(test_new_shared_array_buffer),
      T(test_data_of_each_kind),
      T(test_data_refuses_other_values),
      T(test_data_of_detached_buffer_and_its_views),
      T(test_data_of_resized_and_length_tracking),
      cmocka_unit_test(test_external_buffer_freed_once_at_dispose),
      cmocka_unit_test(test_external_buffer_freed_once_when_collected),
      T(test_external_buffer_detached_frees_it),
      T(test_external_buffer_argument_checks),
      cmocka_unit_test(test_external_shared_buffer_outlives_first_runtime),
      cmocka_unit_test(test_external_strings_read_and_freed_once),
      T(test_external_string_empty_and_checks),
#undef T
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
