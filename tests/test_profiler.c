/* CPU profiles and heap snapshots (diagnostics.h): the output is parsed as JSON (by V8's
 * JSON.parse, in a separate engine) and checked against the format's required fields and the
 * script's known shape. */
#include "test_util.h"

typedef struct sink {
  char *data;
  size_t size, cap;
  int calls;
  int stop_with; /* non-zero: return it from the first call */
} sink;

static int collect(const char *data, size_t length, void *user) {
  sink *s = user;
  s->calls++;
  if (s->stop_with) return s->stop_with;
  if (s->size + length + 1 > s->cap) {
    s->cap = (s->size + length + 1) * 2;
    s->data = realloc(s->data, s->cap);
  }
  memcpy(s->data + s->size, data, length);
  s->size += length;
  s->data[s->size] = 0;
  return VH_OK;
}

/* Parses the collected JSON in engine e as global `doc` and evaluates check there. */
static void check_json(vh_engine e, sink *s, const char *check, const char *expected) {
  vh_value doc;
  assert_non_null(s->data);
  assert_ok(vh_json_parse(e, s->data, s->size, &doc));
  assert_ok(set_global(e, "doc", doc));
  assert_eval_string(e, check, expected);
}

static void test_cpu_profile(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e, checker;
  vh_scope s, sc;
  vh_value v;
  open_runtime(NULL, &rt, &e, NULL);
  assert_ok(vh_engine_new_private(NULL, NULL, &checker));
  assert_ok(vh_runtime_cpu_profile_start(rt, 100));
  assert_status(VH_EBUSY, vh_runtime_cpu_profile_start(rt, 100));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_eval(e,
                    "function busyLoop() { const end = Date.now() + 300; let x = 0;"
                    "  while (Date.now() < end) x += Math.sqrt(x + 1); return x; }\n"
                    "busyLoop()",
                    VH_AUTO_LENGTH, "profiled.js", &v));
  assert_ok(vh_scope_close(s));
  sink out = {0};
  assert_ok(vh_runtime_cpu_profile_stop(rt, collect, &out));
  assert_status(VH_EINVAL, vh_runtime_cpu_profile_stop(rt, collect, &out)); /* none running */
  assert_ok(vh_scope_open(checker, &sc));
  check_json(checker, &out,
             "const ids = new Set(doc.nodes.map(n => n.id));"
             "const ok = doc.nodes.every(n => Number.isInteger(n.id) && typeof n.callFrame.functionName === 'string'"
             "  && typeof n.callFrame.scriptId === 'string' && typeof n.callFrame.url === 'string'"
             "  && Number.isInteger(n.callFrame.lineNumber) && Number.isInteger(n.callFrame.columnNumber)"
             "  && Number.isInteger(n.hitCount) && Array.isArray(n.children) && n.children.every(c => ids.has(c)));"
             "const busy = doc.nodes.find(n => n.callFrame.functionName === 'busyLoop');"
             "[ok, doc.nodes[0].callFrame.functionName, doc.samples.length === doc.timeDeltas.length,"
             " doc.samples.length > 10, doc.samples.every(id => ids.has(id)), doc.endTime > doc.startTime,"
             " busy.callFrame.url, busy.callFrame.lineNumber, busy.hitCount > 0].join()",
             "true,(root),true,true,true,true,profiled.js,0,true");
  assert_ok(vh_scope_close(sc));
  free(out.data);
  /* a write callback that stops the output: its code comes back, the profile is gone */
  assert_ok(vh_runtime_cpu_profile_start(rt, 0));
  sink stop = {0};
  stop.stop_with = -1000;
  assert_int_equal(vh_runtime_cpu_profile_stop(rt, collect, &stop), -1000);
  assert_int_equal(stop.calls, 1);
  assert_status(VH_ERANGE, vh_runtime_cpu_profile_start(rt, 10));
  /* a profile still running when the runtime is disposed is stopped with it */
  assert_ok(vh_runtime_cpu_profile_start(rt, 1000));
  assert_ok(vh_runtime_dispose(rt));
  assert_ok(vh_engine_dispose(checker));
}

static void test_heap_snapshot(void **state) {
  (void)state;
  vh_runtime rt;
  vh_engine e, checker;
  vh_scope s, sc;
  vh_value v;
  open_runtime(NULL, &rt, &e, NULL);
  assert_ok(vh_engine_new_private(NULL, NULL, &checker));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_eval(e, "class MarkerThing { constructor(i) { this.i = i; } }"
                       "globalThis.kept = Array.from({ length: 37 }, (_, i) => new MarkerThing(i)); 0",
                    VH_AUTO_LENGTH, "heap.js", &v));
  assert_ok(vh_scope_close(s));
  sink out = {0};
  assert_ok(vh_runtime_heap_snapshot(rt, collect, &out));
  assert_true(out.calls >= 1);
  assert_ok(vh_scope_open(checker, &sc));
  check_json(checker, &out,
             "const m = doc.snapshot.meta, width = m.node_fields.length;"
             "const nameAt = m.node_fields.indexOf('name'), typeAt = m.node_fields.indexOf('type');"
             "const objectType = m.node_types[typeAt].indexOf('object');"
             "let markers = 0;"
             "for (let i = 0; i < doc.nodes.length; i += width)"
             "  if (doc.nodes[i + typeAt] === objectType && doc.strings[doc.nodes[i + nameAt]] === 'MarkerThing') markers++;"
             "[doc.nodes.length % width, doc.snapshot.node_count === doc.nodes.length / width,"
             " doc.edges.length % m.edge_fields.length, doc.snapshot.edge_count === doc.edges.length / m.edge_fields.length,"
             " Array.isArray(doc.strings), markers].join()",
             "0,true,0,true,true,37");
  assert_ok(vh_scope_close(sc));
  free(out.data);
  sink stop = {0};
  stop.stop_with = -1001;
  assert_int_equal(vh_runtime_heap_snapshot(rt, collect, &stop), -1001);
  assert_status(VH_EINVAL, vh_runtime_heap_snapshot(rt, NULL, NULL));
  assert_ok(vh_runtime_dispose(rt));
  assert_status(VH_EDISPOSED, vh_runtime_heap_snapshot(rt, collect, &stop));
  assert_ok(vh_engine_dispose(checker));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cpu_profile),
      cmocka_unit_test(test_heap_snapshot),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
