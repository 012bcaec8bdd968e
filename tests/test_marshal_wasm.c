/* WebAssembly memory crossing runtimes (issue 12, section 4): a shared WebAssembly.Memory arrives
 * as a WebAssembly.Memory over the same memory (importable by a module of the destination), and
 * a shared memory grown in place and passed again arrives with its new length. */
#define VH_TEST_TWO_RUNTIMES
#include "test_util.h"


/* Evaluates expr in from, passes the result to to as global name; returns how it went. */
static vh_pass_kind pass_as(vh_engine from, const char *expr, vh_engine to, const char *name) {
  vh_value v = eval_ok(from, expr), out;
  vh_pass_kind how = 0;
  assert_ok(vh_pass(to, v, &out, &how));
  assert_ok(set_global(to, name, out));
  return how;
}

#define PAGE "65536"

/* memory.buffer after grow() is a new SAB over the same (grown in place) store: passed again it
 * arrives with the new length. Today the identity cache handed back the first, shorter SAB. */
static void test_grown_memory_buffer_has_new_length(void **state) {
  fixture *f = *state;
  eval_ok(f->a, "globalThis.m = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true })");
  assert_int_equal(pass_as(f->a, "m.buffer", f->b, "s1"), VH_PASS_KIND_SHARED);
  assert_eval_string(f->b, "String(s1.byteLength)", PAGE);
  eval_ok(f->a, "m.grow(2); new Uint8Array(m.buffer)[3 * " PAGE " - 1] = 7");
  assert_int_equal(pass_as(f->a, "m.buffer", f->b, "s2"), VH_PASS_KIND_SHARED);
  assert_eval_string(f->b, "[s2.byteLength, new Uint8Array(s2)[3 * " PAGE " - 1], s1.byteLength].join()",
                     "196608,7,65536");
  /* The same buffer again is the same object; passed back it is A's current buffer. */
  assert_int_equal(pass_as(f->a, "m.buffer", f->b, "s3"), VH_PASS_KIND_SHARED);
  assert_eval_string(f->b, "String(s3 === s2)", "true");
  assert_int_equal(pass_as(f->b, "s2", f->a, "back"), VH_PASS_KIND_SHARED);
  assert_eval_string(f->a, "String(back === m.buffer)", "true");
}

/* (module (import "e" "m" (memory 1 4 shared))) */
#define IMPORTING_MODULE "new Uint8Array([0,97,115,109,1,0,0,0, 2,9,1,1,101,1,109,2,3,1,4])"

/* A shared Memory arrives as a Memory of the destination over the same memory: a module there
 * imports it, grow() on either side is seen by both. Today it arrived as a proxy. */
static void test_shared_memory_arrives_as_memory(void **state) {
  fixture *f = *state;
  eval_ok(f->a, "globalThis.m = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });"
                "new Uint8Array(m.buffer)[10] = 42");
  assert_int_equal(pass_as(f->a, "m", f->b, "mm"), VH_PASS_KIND_SHARED);
  assert_eval_string(f->b,
                     "new WebAssembly.Instance(new WebAssembly.Module(" IMPORTING_MODULE "), { e: { m: mm } });"
                     "[mm instanceof WebAssembly.Memory, mm.buffer.byteLength, new Uint8Array(mm.buffer)[10],"
                     " mm.grow(1)].join()",
                     "true," PAGE ",42,1");
  /* A sees B's grow: its memory is the same one. */
  assert_eval_string(f->a, "new Uint8Array(m.buffer)[2 * " PAGE " - 1] = 9; String(m.buffer.byteLength)",
                     "131072");
  assert_eval_string(f->b, "String(new Uint8Array(mm.buffer)[2 * " PAGE " - 1])", "9");
}

/* A non-shared Memory cannot share its memory: it stays a proxy. */
static void test_unshared_memory_is_a_proxy(void **state) {
  fixture *f = *state;
  assert_int_equal(pass_as(f->a, "new WebAssembly.Memory({ initial: 1 })", f->b, "u"), VH_PASS_KIND_PROXY);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_grown_memory_buffer_has_new_length),
      T(test_shared_memory_arrives_as_memory),
      T(test_unshared_memory_is_a_proxy),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
