/* One stack limit per thread, whatever runtimes the thread enters: recursion that crosses
 * runtimes (through proxies, or through host callbacks that open scopes on other runtimes) ends
 * in a RangeError, never in a crash, on threads with small and ordinary stacks. Proxy traps count
 * toward the nesting bound (VH_EDEPTH) as host callbacks do. */
#include "test_util.h"

#include <uv.h>

#define RUNTIMES 4

/* Each runtime's hop(k): measures how deep it could still recurse here, goes most of that way
 * down, then calls the next runtime's hop(k - 1) from the bottom. V8 on its own gives a runtime
 * a fresh stack budget wherever a thread first enters it, so each hop would go a full budget
 * deeper, past the end of the thread's stack. */
static const char kHop[] =
    "globalThis.hop = function (k) {"
    "  let n = 0;"
    "  function probe(d, last) { n++; return probe(d - 1, last) + 1; }"
    "  try { probe(0, null); } catch (e) {}"
    "  function dive(d, last) { return d > 0 ? dive(d - 1, last) + 1 : last(k - 1); }"
    "  return k > 0 ? dive(Math.floor(n * 0.8), next) : 'bottom';"
    "};";

typedef struct {
  vh_runtime rt[RUNTIMES];
  vh_engine e[RUNTIMES];
  int through_host; /* hop to the next runtime through a host callback instead of a proxy */
  int rc;
  char text[256];
} chain;

/* next(k) as a host function: opens a scope on the next runtime and calls its hop(k). */
static int host_next(const vh_call_info *info, vh_value *result) {
  chain *c = info->data;
  int i = 0;
  while (i < RUNTIMES && c->e[i].id_ != info->engine.id_) i++;
  vh_engine to = c->e[(i + 1) % RUNTIMES];
  vh_scope s;
  vh_value global, hop, arg, r;
  int rc = vh_scope_open(to, &s);
  if (rc != VH_OK) return rc;
  if ((rc = vh_engine_global(to, &global)) == VH_OK && (rc = vh_get(to, global, "hop", &hop)) == VH_OK &&
      (rc = vh_pass(to, info->argv[0], &arg, NULL)) == VH_OK &&
      (rc = vh_call(to, hop, (vh_value){0}, 1, &arg, &r)) == VH_OK)
    rc = vh_pass(info->engine, r, result, NULL);
  if (rc == VH_EEXCEPTION) {
    /* rethrow the other runtime's exception (a RangeError) here, by its message */
    vh_exception x;
    if (vh_exception_take(to, &x) == VH_OK) {
      vh_throw_error(info->engine, VH_ERROR_KIND_RANGE_ERROR, x.message ? x.message : "?");
      vh_exception_free(&x);
    }
  }
  vh_scope_close(s);
  return rc;
}

/* Makes the runtimes and links them, on the calling thread (the chain runs on another one, so
 * each runtime but the first is first locked by that thread deep inside the chain). */
static void make_chain(chain *c) {
  vh_scope s[RUNTIMES];
  vh_value hops[RUNTIMES], global, passed;
  for (int i = 0; i < RUNTIMES; i++) {
    assert_ok(vh_runtime_new(NULL, &c->rt[i]));
    if (c->through_host) assert_ok(vh_runtime_global_function(c->rt[i], "next", host_next, c));
    assert_ok(vh_engine_new(c->rt[i], NULL, &c->e[i]));
  }
  for (int i = 0; i < RUNTIMES; i++) {
    assert_ok(vh_scope_open(c->e[i], &s[i]));
    assert_ok(vh_eval(c->e[i], kHop, VH_AUTO_LENGTH, "hop.js", NULL));
    assert_ok(vh_eval(c->e[i], "hop", VH_AUTO_LENGTH, NULL, &hops[i]));
  }
  if (!c->through_host) {
    for (int i = 0; i < RUNTIMES; i++) {
      assert_ok(vh_pass(c->e[i], hops[(i + 1) % RUNTIMES], &passed, NULL));
      assert_ok(vh_engine_global(c->e[i], &global));
      assert_ok(vh_set(c->e[i], global, "next", passed));
    }
  }
  for (int i = RUNTIMES - 1; i >= 0; i--) assert_ok(vh_scope_close(s[i]));
}

/* The chain, on its own thread: no cmocka assertion here (they cannot unwind another thread). */
static void run_chain(void *arg) {
  chain *c = arg;
  vh_scope top;
  vh_value v;
  c->rc = vh_scope_open(c->e[0], &top);
  if (c->rc != VH_OK) return;
  c->rc = vh_eval(c->e[0], "try { String(hop(12)) } catch (e) { e.name }", VH_AUTO_LENGTH, "chain.js", &v);
  if (c->rc == VH_OK) vh_value_string_utf8(v, c->text, sizeof c->text, NULL);
  /* The runtime is unharmed. */
  if (c->rc == VH_OK) c->rc = vh_eval(c->e[0], "[1, 2].length", VH_AUTO_LENGTH, NULL, NULL);
  vh_scope_close(top);
}

static void chain_on_thread(size_t stack_size, int through_host) {
  chain c;
  memset(&c, 0, sizeof c);
  c.through_host = through_host;
  make_chain(&c);
  uv_thread_options_t options;
  options.flags = UV_THREAD_HAS_STACK_SIZE;
  options.stack_size = stack_size;
  uv_thread_t t;
  assert_int_equal(uv_thread_create_ex(&t, &options, run_chain, &c), 0);
  assert_int_equal(uv_thread_join(&t), 0);
  assert_status(VH_OK, c.rc);
  if (getenv("VH_TEST_VERBOSE")) printf("chain: %s\n", c.text);
  /* However far it got, it ended in a catchable RangeError (or reached the bottom). */
  if (strcmp(c.text, "RangeError") != 0 && strcmp(c.text, "bottom") != 0) {
    print_error("the chain ended in '%s'\n", c.text);
    fail();
  }
  for (int i = 0; i < RUNTIMES; i++) assert_ok(vh_runtime_dispose(c.rt[i]));
}

/* Through proxies, on a 2 MiB thread (a fresh budget per runtime overran it: a crash before) and
 * on a 256 KiB one. */
static void test_chain_through_proxies(void **state) {
  (void)state;
  chain_on_thread(2u << 20, 0);
  chain_on_thread(256u << 10, 0);
}

/* Through host callbacks that open scopes on the next runtime. */
static void test_chain_through_host_scopes(void **state) {
  (void)state;
  chain_on_thread(2u << 20, 1);
  chain_on_thread(256u << 10, 1);
}

/* Proxy traps count toward the nesting bound: two runtimes calling each other's functions through
 * proxies, each call a few frames of script, end in VH_EDEPTH (or V8's RangeError, whichever
 * comes first), on an ordinary 8 MiB stack. Before, traps did not count, and the C frames of
 * hundreds of traps were not bounded. */
static void test_traps_count_toward_depth(void **state) {
  (void)state;
  vh_runtime ra, rb;
  vh_engine a, b;
  vh_scope sa, sb;
  vh_value fa, fb, pa, pb, global, v;
  char text[256];
  open_two_runtimes(&ra, &a, &sa, &rb, &b, &sb);
  const char *pingpong = "(function f(n) { return n > 0 ? other(n - 1) + 1 : 0; })";
  assert_ok(vh_eval(a, pingpong, VH_AUTO_LENGTH, "a.js", &fa));
  assert_ok(vh_eval(b, pingpong, VH_AUTO_LENGTH, "b.js", &fb));
  assert_ok(vh_pass(a, fb, &pb, NULL));
  assert_ok(vh_pass(b, fa, &pa, NULL));
  assert_ok(vh_engine_global(a, &global));
  assert_ok(vh_set(a, global, "other", pb));
  assert_ok(vh_engine_global(b, &global));
  assert_ok(vh_set(b, global, "other", pa));
  assert_ok(vh_set(a, global, "f", fa));
  assert_ok(vh_eval(a, "other(100)", VH_AUTO_LENGTH, NULL, &v)); /* shallow: fine */
  assert_ok(vh_eval(a, "try { other(100000); 'no error' } catch (e) { e.message.startsWith('VH_EDEPTH') ? 'VH_EDEPTH' : e.name }",
                    VH_AUTO_LENGTH, "deep.js", &v));
  assert_ok(vh_value_string_utf8(v, text, sizeof text, NULL));
  assert_string_equal(text, "VH_EDEPTH");
  assert_ok(vh_eval(a, "other(10) + 1", VH_AUTO_LENGTH, NULL, &v));
  assert_ok(vh_scope_close(sb));
  assert_ok(vh_scope_close(sa));
  assert_ok(vh_runtime_dispose(ra));
  assert_ok(vh_runtime_dispose(rb));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_chain_through_proxies),
      cmocka_unit_test(test_chain_through_host_scopes),
      cmocka_unit_test(test_traps_count_toward_depth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
