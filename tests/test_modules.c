/* ES modules: the loader, module graphs, cycles, errors with locations, dynamic import(),
 * import.meta, top-level await and synthetic modules (module.h). */
#include "test_util.h"

static vh_runtime g_rt;
static vh_engine g_e;
static vh_scope g_scope;

/* ---- an in-memory module table behind the loader -------------------------------------------- */

typedef struct mod_src {
  const char *name;
  const char *source; /* NULL: a synthetic module (or one already loaded) */
} mod_src;
/* A name the loader maps to another resolved name (e.g. to a synthetic module's). */
static const char *g_alias_from, *g_alias_to;

static const mod_src *g_table;
static int g_loader_calls;
static int g_loader_fail_code = VH_EINVAL; /* what the loader returns for an unknown name */
static char g_referrers[1024];             /* "spec<-referrer;" per call */

/* "./x" and "../x" against the referrer's directory; anything else is taken as is. */
static void resolve_path(const char *spec, const char *referrer, char *out, size_t cap) {
  if (strncmp(spec, "./", 2) != 0 && strncmp(spec, "../", 3) != 0) {
    snprintf(out, cap, "%s", spec);
    return;
  }
  char dir[256];
  snprintf(dir, sizeof dir, "%s", referrer);
  char *slash = strrchr(dir, '/');
  if (slash) slash[1] = 0;
  else dir[0] = 0;
  while (strncmp(spec, "./", 2) == 0 || strncmp(spec, "../", 3) == 0) {
    if (spec[1] == '/') {
      spec += 2;
      continue;
    }
    spec += 3;
    size_t n = strlen(dir);
    if (n > 1) {
      dir[n - 1] = 0;
      char *up = strrchr(dir, '/');
      if (up) up[1] = 0;
    }
  }
  snprintf(out, cap, "%s%s", dir, spec);
}

static int table_loader(vh_engine engine, const char *spec, const char *referrer, vh_module_source *out,
                        void *data) {
  (void)engine;
  (void)data;
  static char name[256];
  ++g_loader_calls;
  size_t used = strlen(g_referrers);
  snprintf(g_referrers + used, sizeof g_referrers - used, "%s<-%s;", spec, referrer);
  resolve_path(spec, referrer, name, sizeof name);
  for (const mod_src *m = g_table; m && m->name; ++m)
    if (strcmp(m->name, name) == 0) {
      out->resolved_name = g_alias_from && strcmp(name, g_alias_from) == 0 ? g_alias_to : name;
      out->source = m->source;
      out->source_length = VH_AUTO_LENGTH;
      return VH_OK;
    }
  return g_loader_fail_code;
}

static void use_table(const mod_src *table) {
  g_table = table;
  g_loader_calls = 0;
  g_referrers[0] = 0;
  g_loader_fail_code = VH_EINVAL;
  assert_ok(vh_runtime_set_module_loader(g_rt, table_loader, NULL));
}

/* ---- fixtures: a fresh engine (fresh module map) per test ------------------------------------- */

static int group_setup(void **state) {
  (void)state;
  return vh_runtime_new(NULL, &g_rt) == VH_OK ? 0 : -1;
}
static int group_teardown(void **state) {
  (void)state;
  return vh_runtime_dispose(g_rt) == VH_OK ? 0 : -1;
}
static int setup(void **state) {
  (void)state;
  if (vh_engine_new(g_rt, NULL, &g_e) != VH_OK) return -1;
  if (vh_runtime_set_module_loader(g_rt, NULL, NULL) != VH_OK) return -1;
  if (vh_runtime_set_import_meta_hook(g_rt, NULL, NULL) != VH_OK) return -1;
  return vh_scope_open(g_e, &g_scope) == VH_OK ? 0 : -1;
}
static int teardown(void **state) {
  (void)state;
  vh_exception_discard(g_e);
  if (vh_scope_close(g_scope) != VH_OK) return -1;
  return vh_engine_dispose(g_e) == VH_OK ? 0 : -1;
}

/* ---- helpers ---------------------------------------------------------------------------------- */

static vh_value mod_ok(const char *source, const char *name) {
  vh_value ns;
  memset(&ns, 0, sizeof ns);
  assert_ok(vh_module_eval(g_e, source, VH_AUTO_LENGTH, name, &ns));
  return ns;
}
static int32_t get_i32(vh_value obj, const char *name) {
  vh_value v;
  int32_t n = 0;
  assert_ok(vh_get(g_e, obj, name, &v));
  assert_ok(vh_value_int32(v, &n));
  return n;
}
static void assert_str_prop(vh_value obj, const char *name, const char *expected) {
  vh_value v;
  char buf[512];
  assert_ok(vh_get(g_e, obj, name, &v));
  assert_ok(vh_value_string_utf8(v, buf, sizeof buf, NULL));
  assert_string_equal(buf, expected);
}
static void assert_contains(const char *text, const char *needle) {
  if (!text || !strstr(text, needle)) fail_msg("'%s' lacks '%s'", text ? text : "(null)", needle);
}
/* Takes the pending exception; checks its message and (when given) its resource name and line. */
static void take_expect(const char *needle, const char *resource, int line) {
  vh_exception x;
  assert_ok(vh_exception_take(g_e, &x));
  assert_contains(x.message, needle);
  if (resource) {
    if (!x.resource_name) fail_msg("no resource name for '%s'", x.message);
    assert_string_equal(x.resource_name, resource);
  }
  if (line) assert_int_equal(x.line, line);
  vh_exception_free(&x);
}
#define assert_js(src) assert_js_in(g_e, src)

/* ---- basic modules and graphs ----------------------------------------------------------------- */

static void test_exports_namespace(void **state) {
  (void)state;
  vh_value ns = mod_ok("export const x = 40 + 2;\n"
                       "export default 'hi';\n"
                       "export function twice(n) { return 2 * n; }\n",
                       "/m/main.js");
  assert_int_equal(get_i32(ns, "x"), 42);
  assert_str_prop(ns, "default", "hi");
  vh_value fn, arg, out;
  int32_t n;
  assert_ok(vh_get(g_e, ns, "twice", &fn));
  assert_ok(vh_new_int32(g_e, 21, &arg));
  assert_ok(vh_call(g_e, fn, ns, 1, &arg, &out));
  assert_ok(vh_value_int32(out, &n));
  assert_int_equal(n, 42);
  /* namespace_out may be NULL; module code runs in strict mode, with `this` undefined */
  assert_ok(vh_module_eval(g_e, "globalThis.thisWas = typeof this;", VH_AUTO_LENGTH, "/m/other.js", NULL));
  assert_js("thisWas === 'undefined'");
}

static const mod_src k_graph[] = {
    {"/m/a.js", "import { b } from './b.js';\nimport { c } from './lib/c.js';\nexport const a = b + c;\n"},
    {"/m/b.js", "export const b = 10;\n"},
    {"/m/lib/c.js", "import { b } from '../b.js';\nimport { d } from './d.js';\nexport const c = b * 2 + d;\n"},
    {"/m/lib/d.js", "export const d = 1;\n"},
    {NULL, NULL},
};

static void test_graph_with_loader(void **state) {
  (void)state;
  use_table(k_graph);
  vh_value ns = mod_ok("import { a } from './a.js';\nexport const result = a;\n", "/m/main.js");
  assert_int_equal(get_i32(ns, "result"), 10 + 21);
  /* every import went through the loader, with the importing module's resolved name */
  assert_contains(g_referrers, "./a.js<-/m/main.js;");
  assert_contains(g_referrers, "./lib/c.js<-/m/a.js;");
  assert_contains(g_referrers, "../b.js<-/m/lib/c.js;");
  assert_contains(g_referrers, "./d.js<-/m/lib/c.js;");
  assert_int_equal(g_loader_calls, 5);
}

static const mod_src k_cycle[] = {
    {"/m/a.js", "import { fb } from './b.js';\n"
                "export function fa() { return 'a' + fb(); }\n"
                "export function name() { return 'A'; }\n"},
    {"/m/b.js", "import { name } from './a.js';\nexport function fb() { return name(); }\n"},
    {NULL, NULL},
};

static void test_cycle(void **state) {
  (void)state;
  use_table(k_cycle);
  vh_value ns = mod_ok("import { fa } from './a.js';\nexport const r = fa();\n", "/m/main.js");
  assert_str_prop(ns, "r", "aA");
  /* a cycle back to the module being evaluated itself */
  static const mod_src self[] = {
      {"/s/dep.js", "import { root } from './root.js';\nexport const dep = () => root + 1;\n"},
      {"/s/root.js", NULL}, /* already in the map when dep.js imports it */
      {NULL, NULL},
  };
  use_table(self);
  ns = mod_ok("import { dep } from './dep.js';\nexport const root = 41;\nexport const r = dep();\n",
              "/s/root.js");
  assert_int_equal(get_i32(ns, "r"), 42);
}

static const mod_src k_shared[] = {
    {"/m/shared.js", "globalThis.count = (globalThis.count || 0) + 1;\nexport const v = 1;\n"},
    {"/m/x.js", "import { v } from './shared.js';\nexport const x = v;\n"},
    {"/m/y.js", "import { v } from './shared.js';\nexport const y = v;\n"},
    {NULL, NULL},
};

static void test_instantiated_once(void **state) {
  (void)state;
  use_table(k_shared);
  vh_value ns = mod_ok("import { x } from './x.js';\nimport { y } from './y.js';\n"
                       "import { v } from './shared.js';\n"
                       "const again = await import('./shared.js');\n"
                       "export const same = again.v === v;\nexport const sum = x + y + v;\n",
                       "/m/main.js");
  assert_int_equal(get_i32(ns, "sum"), 3);
  assert_js("count === 1");
  vh_value same;
  bool b = false;
  assert_ok(vh_get(g_e, ns, "same", &same));
  assert_ok(vh_value_bool(same, &b));
  assert_true(b);
  /* the module of another engine is its own instance */
  vh_engine e2;
  vh_scope s2;
  assert_ok(vh_engine_new(g_rt, NULL, &e2));
  assert_ok(vh_scope_open(e2, &s2));
  assert_ok(vh_module_eval(e2, "import './shared.js';", VH_AUTO_LENGTH, "/m/main.js", NULL));
  bool one = false;
  assert_ok(vh_value_bool(eval_ok(e2, "count === 1"), &one));
  assert_true(one);
  assert_ok(vh_scope_close(s2));
  assert_ok(vh_engine_dispose(e2));
}

/* ---- errors ----------------------------------------------------------------------------------- */

static void test_failing_static_import(void **state) {
  (void)state;
  use_table(k_graph);
  g_loader_fail_code = VH_ETYPE;
  const char *src = "import { a } from './a.js';\nimport { z } from './missing.js';\nexport const r = 1;\n";
  assert_status(VH_EEXCEPTION, vh_module_eval(g_e, src, VH_AUTO_LENGTH, "/m/main.js", NULL));
  take_expect("Cannot load module './missing.js' from '/m/main.js': VH_ETYPE", NULL, 0);
  /* a module that failed to link is not in the map: its name can be evaluated again */
  vh_value ns = mod_ok("import { a } from './a.js';\nexport const r = a;\n", "/m/main.js");
  assert_int_equal(get_i32(ns, "r"), 31);
  /* without a loader, imports fail */
  assert_ok(vh_runtime_set_module_loader(g_rt, NULL, NULL));
  assert_status(VH_EEXCEPTION, vh_module_eval(g_e, "import './b.js';", VH_AUTO_LENGTH, "/m/n.js", NULL));
  take_expect("Cannot load module './b.js' from '/m/n.js'", NULL, 0);
}

static const mod_src k_bad[] = {
    {"/m/bad.js", "export const a = 1;\nexport const b = 2;\nlet = = 3;\n"},
    {"/m/throws.js", "export const a = 1;\nthrow new TypeError('thrown at load');\n"},
    {"/m/lib.js", "import './throws.js';\nexport const x = 1;\n"},
    {NULL, NULL},
};

static void test_syntax_error_in_import(void **state) {
  (void)state;
  use_table(k_bad);
  assert_status(VH_EEXCEPTION,
                vh_module_eval(g_e, "\nimport { a } from './bad.js';\n", VH_AUTO_LENGTH, "/m/main.js", NULL));
  take_expect("SyntaxError", "/m/bad.js", 3);
  /* in the evaluated module itself */
  assert_status(VH_EEXCEPTION, vh_module_eval(g_e, "export const a = 1;\n\nexport const = 2;\n",
                                              VH_AUTO_LENGTH, "/m/root.js", NULL));
  take_expect("SyntaxError", "/m/root.js", 3);
  /* an exception while evaluating an imported module keeps its location */
  assert_status(VH_EEXCEPTION, vh_module_eval(g_e, "import './lib.js';", VH_AUTO_LENGTH, "/m/m2.js", NULL));
  take_expect("thrown at load", "/m/throws.js", 2);
  /* the errored module stays errored: importing it again rethrows the same error */
  assert_status(VH_EEXCEPTION, vh_module_eval(g_e, "import './throws.js';", VH_AUTO_LENGTH, "/m/m3.js", NULL));
  take_expect("thrown at load", NULL, 0);
  /* while an exception is pending, module evaluation is refused */
  assert_status(VH_EEXCEPTION, vh_module_eval(g_e, "throw 1;", VH_AUTO_LENGTH, "/m/m4.js", NULL));
  assert_status(VH_EPENDING_EXCEPTION, vh_module_eval(g_e, "1;", VH_AUTO_LENGTH, "/m/m5.js", NULL));
  take_expect("1", NULL, 0);
}

/* ---- dynamic import ------------------------------------------------------------------------------ */

static void test_dynamic_import_fails(void **state) {
  (void)state;
  use_table(k_bad);
  vh_value ns = mod_ok("export let msg = 'none';\n"
                       "try { await import('./nope.js'); } catch (e) { msg = e.code === 'VH_EINVAL' && e.message; }\n"
                       "export let syntax = 'none';\n"
                       "try { await import('./bad.js'); } catch (e) { syntax = e.name; }\n"
                       "export let thrown = 'none';\n"
                       "try { await import('./throws.js'); } catch (e) { thrown = e.message; }\n",
                       "/m/main.js");
  assert_str_prop(ns, "msg", "Cannot load module './nope.js' from '/m/main.js': VH_EINVAL");
  assert_str_prop(ns, "syntax", "SyntaxError");
  assert_str_prop(ns, "thrown", "thrown at load");
  /* from a classic script: the referrer is the script's resource name */
  eval_ok(g_e, "globalThis.m2 = 'pending'; import('./nope.js').catch(e => { globalThis.m2 = e.message; });");
  assert_ok(vh_runtime_run_microtasks(g_rt));
  assert_js("m2 === \"Cannot load module './nope.js' from 'test.js': VH_EINVAL\"");
}

static const mod_src k_dyn[] = {
    {"/m/b.js", "export const b = 'bee';\nexport default function () { return 'dflt'; }\n"},
    {"/m/slow.js", "export const v = await Promise.resolve(6).then(x => x * 7);\n"},
    {NULL, NULL},
};

static void test_dynamic_import_ok(void **state) {
  (void)state;
  use_table(k_dyn);
  vh_value ns = mod_ok("import * as sb from './b.js';\n"
                       "const nb = await import('./b.js');\n"
                       "export const same = nb === sb;\n"
                       "export const b = nb.b + nb.default();\n"
                       "export const slow = (await import('./slow.js')).v;\n",
                       "/m/main.js");
  assert_str_prop(ns, "b", "beedflt");
  assert_int_equal(get_i32(ns, "slow"), 42);
  vh_value same;
  bool b = false;
  assert_ok(vh_get(g_e, ns, "same", &same));
  assert_ok(vh_value_bool(same, &b));
  assert_true(b);
  /* from a classic script, settled by the host's microtask run */
  vh_value p = eval_ok(g_e, "import('/m/b.js').then(ns => ns.b)");
  assert_ok(vh_runtime_run_microtasks(g_rt));
  vh_promise_status st;
  vh_value result;
  char buf[16];
  assert_ok(vh_promise_state(p, &st));
  assert_int_equal(st, VH_PROMISE_STATUS_FULFILLED);
  assert_ok(vh_promise_result(p, &result));
  assert_ok(vh_value_string_utf8(result, buf, sizeof buf, NULL));
  assert_string_equal(buf, "bee");
}

/* A module may import() itself while it evaluates: the import settles once it has finished. */
static void test_dynamic_import_self(void **state) {
  (void)state;
  static const mod_src self[] = {{"/m/self.js", NULL}, {NULL, NULL}};
  use_table(self);
  mod_ok("export const v = 3;\nglobalThis.p = import('./self.js').then(ns => ns.v);\n", "/m/self.js");
  eval_ok(g_e, "p.then(v => { globalThis.got = v; })");
  assert_ok(vh_runtime_run_microtasks(g_rt));
  assert_js("got === 3");
}

/* ---- import.meta --------------------------------------------------------------------------------- */

static int g_meta_calls;
static int meta_hook(vh_engine engine, const char *name, vh_value meta, void *data) {
  char url[300];
  vh_value v;
  ++g_meta_calls;
  snprintf(url, sizeof url, "%s%s", (const char *)data, name);
  int rc = vh_new_string_utf8(engine, url, VH_AUTO_LENGTH, &v);
  if (rc == VH_OK) rc = vh_set(engine, meta, "url", v);
  return rc;
}

static void test_import_meta(void **state) {
  (void)state;
  static const mod_src meta[] = {
      {"/m/dep.js", "export const depUrl = import.meta.url;\n"},
      {NULL, NULL},
  };
  use_table(meta);
  assert_ok(vh_runtime_set_import_meta_hook(g_rt, meta_hook, (void *)"file://"));
  g_meta_calls = 0;
  vh_value ns = mod_ok("import { depUrl } from './dep.js';\n"
                       "export const url = import.meta.url;\n"
                       "export const again = import.meta === import.meta;\n"
                       "export const dep = depUrl;\n",
                       "/m/main.js");
  assert_str_prop(ns, "url", "file:///m/main.js");
  assert_str_prop(ns, "dep", "file:///m/dep.js");
  assert_int_equal(g_meta_calls, 2); /* once per module */
  /* without a hook, import.meta is an empty object */
  assert_ok(vh_runtime_set_import_meta_hook(g_rt, NULL, NULL));
  ns = mod_ok("export const keys = Object.keys(import.meta).length;\n", "/m/plain.js");
  assert_int_equal(get_i32(ns, "keys"), 0);
}

/* ---- top-level await ----------------------------------------------------------------------------- */

static void test_top_level_await(void **state) {
  (void)state;
  static const mod_src tla[] = {
      {"/m/dep.js", "export let ready = false;\nawait null;\nready = await Promise.resolve(true);\n"},
      {NULL, NULL},
  };
  use_table(tla);
  vh_value ns = mod_ok("export const v = await new Promise(r => Promise.resolve().then(() => r(5)));\n"
                       "export const w = await Promise.resolve(1).then(x => x + 1).then(x => x * 10);\n",
                       "/m/main.js");
  assert_int_equal(get_i32(ns, "v"), 5);
  assert_int_equal(get_i32(ns, "w"), 20);
  /* an importer of an async module runs after the awaits of its dependency */
  ns = mod_ok("import { ready } from './dep.js';\nexport const r = ready;\n", "/m/user.js");
  vh_value r;
  bool b = false;
  assert_ok(vh_get(g_e, ns, "r", &r));
  assert_ok(vh_value_bool(r, &b));
  assert_true(b);
}

/* With the runtime's loop: a top-level await of a promise a posted task settles (in the module
 * and in a dependency). later(n) returns a promise; a task posted to the loop resolves it. */
static vh_deferred g_later[4];
static int32_t g_later_value[4];
static int g_later_count;
static void later_task(vh_engine engine, int status, void *data) {
  vh_value v;
  int i = (int)(intptr_t)data;
  if (status != VH_OK) return;
  if (vh_new_int32(engine, g_later_value[i], &v) == VH_OK) vh_deferred_resolve(engine, g_later[i], v);
}
static int cb_later(const vh_call_info *info, vh_value *result) {
  int i = g_later_count++;
  int rc = vh_value_int32(info->argv[0], &g_later_value[i]);
  if (rc == VH_OK) rc = vh_new_promise(info->engine, result, &g_later[i]);
  if (rc == VH_OK) rc = vh_engine_post(info->engine, later_task, (void *)(intptr_t)i);
  return rc;
}

static void test_top_level_await_loop(void **state) {
  (void)state;
  static const mod_src later[] = {
      {"/m/later.js", "export const l = await later(5);\n"},
      {NULL, NULL},
  };
  vh_value fn;
  use_table(later);
  g_later_count = 0;
  assert_ok(vh_new_function(g_e, "later", cb_later, NULL, &fn));
  assert_ok(set_global(g_e, "later", fn));
  vh_value ns = mod_ok("import { l } from './later.js';\n"
                       "export const v = l + await later(37);\n",
                       "/m/main.js");
  assert_int_equal(get_i32(ns, "v"), 42);
  assert_int_equal(g_later_count, 2);
}

static void test_top_level_await_rejected(void **state) {
  (void)state;
  assert_status(VH_EEXCEPTION, vh_module_eval(g_e, "await null;\nawait Promise.reject(new RangeError('nope'));\n",
                                              VH_AUTO_LENGTH, "/m/rej.js", NULL));
  take_expect("nope", "/m/rej.js", 2);
  /* a rejection with a non-Error value */
  assert_status(VH_EEXCEPTION, vh_module_eval(g_e, "await Promise.reject(17);", VH_AUTO_LENGTH, "/m/rej2.js", NULL));
  vh_exception x;
  int32_t n = 0;
  assert_ok(vh_exception_take(g_e, &x));
  assert_ok(vh_value_int32(x.value, &n));
  assert_int_equal(n, 17);
  vh_exception_free(&x);
  /* an await nothing can settle */
  assert_status(VH_EEXCEPTION,
                vh_module_eval(g_e, "await new Promise(() => {});", VH_AUTO_LENGTH, "/m/never.js", NULL));
  take_expect("did not settle", NULL, 0);
}

/* ---- synthetic modules --------------------------------------------------------------------------- */

static int g_init_calls;
static int g_unknown_rc, g_bad_module_rc;
static int cb_add(const vh_call_info *info, vh_value *result) {
  int32_t a = 0, b = 0;
  if (info->argc < 2) return VH_EINVAL;
  vh_value_int32(info->argv[0], &a);
  vh_value_int32(info->argv[1], &b);
  return vh_new_int32(info->engine, a + b, result);
}
static vh_synthetic_module g_kept_module; /* math_init's handle, kept past the init */
static int math_init(vh_engine engine, vh_synthetic_module module, void *data) {
  vh_value pi, add, config, k, num;
  ++g_init_calls;
  assert_string_equal((const char *)data, "math-data");
  int rc = vh_new_double(engine, 3.5, &pi);
  if (rc == VH_OK) rc = vh_module_set_export(engine, module, "pi", pi);
  if (rc == VH_OK) rc = vh_new_function(engine, "add", cb_add, NULL, &add);
  if (rc == VH_OK) rc = vh_module_set_export(engine, module, "add", add);
  if (rc == VH_OK) rc = vh_new_object(engine, &config);
  if (rc == VH_OK) rc = vh_new_int32(engine, 7, &k);
  if (rc == VH_OK) rc = vh_set(engine, config, "k", k);
  if (rc == VH_OK) rc = vh_module_set_export(engine, module, "config", config);
  g_unknown_rc = vh_module_set_export(engine, module, "nope", pi);
  if (vh_new_int32(engine, 1, &num) == VH_OK) g_bad_module_rc = vh_module_set_export(engine, (vh_synthetic_module){0}, "pi", num);
  g_kept_module = module;
  return rc;
}
static const char *const k_math_exports[] = {"pi", "add", "config"};

static void test_synthetic_module(void **state) {
  (void)state;
  static const mod_src syn[] = {{"host:math", NULL}, {NULL, NULL}};
  use_table(syn);
  g_init_calls = 0;
  assert_ok(vh_module_define_synthetic(g_e, "host:math", k_math_exports, 3, math_init, (void *)"math-data"));
  assert_int_equal(g_init_calls, 0); /* initialised when first imported */
  vh_value ns = mod_ok("import { pi, add, config } from 'host:math';\n"
                       "import * as m from 'host:math';\n"
                       "const again = await import('host:math');\n"
                       "export const r = add(2, 3) * 10 + config.k;\n"
                       "export const p = pi * 2;\n"
                       "export const same = again === m && Object.keys(m).sort().join();\n",
                       "/m/main.js");
  assert_int_equal(get_i32(ns, "r"), 57);
  assert_int_equal(get_i32(ns, "p"), 7);
  assert_str_prop(ns, "same", "add,config,pi");
  assert_int_equal(g_init_calls, 1);
  assert_int_equal(g_unknown_rc, VH_EINVAL);
  assert_int_equal(g_bad_module_rc, VH_EINVAL); /* the empty handle */
  /* reached through the loader under another specifier; and without any loader by its name */
  static const mod_src alias[] = {{"/m/math", NULL}, {NULL, NULL}};
  use_table(alias);
  g_alias_from = "/m/math";
  g_alias_to = "host:math";
  ns = mod_ok("import { pi } from './math';\nexport const p = pi;\n", "/m/two.js");
  assert_int_equal(g_loader_calls, 1);
  g_alias_from = g_alias_to = NULL;
  assert_ok(vh_runtime_set_module_loader(g_rt, NULL, NULL));
  ns = mod_ok("import { config } from 'host:math';\nexport const k = config.k;\n", "/m/three.js");
  assert_int_equal(get_i32(ns, "k"), 7);
  assert_int_equal(g_init_calls, 1);
  /* outside its init, its handle is stale; a made-up one is no module */
  vh_value v;
  assert_false(vh_value_is_empty(ns));
  assert_ok(vh_new_int32(g_e, 1, &v));
  assert_status(VH_EDISPOSED, vh_module_set_export(g_e, g_kept_module, "pi", v));
  assert_status(VH_EDISPOSED, vh_module_set_export(g_e, (vh_synthetic_module){12345}, "pi", v));
  assert_status(VH_EINVAL, vh_module_set_export(g_e, g_kept_module, NULL, v));
}

/* A loader that defines synthetic modules on demand: "host:<n>" exports value = n. */
static int value_init(vh_engine engine, vh_synthetic_module module, void *data) {
  vh_value v;
  int rc = vh_new_int32(engine, (int32_t)(intptr_t)data, &v);
  return rc == VH_OK ? vh_module_set_export(engine, module, "value", v) : rc;
}
static int lazy_loader(vh_engine engine, const char *spec, const char *referrer, vh_module_source *out,
                       void *data) {
  static const char *const names[] = {"value"};
  (void)referrer;
  (void)data;
  if (strncmp(spec, "host:", 5) != 0) return VH_ETYPE;
  int rc = vh_module_define_synthetic(engine, spec, names, 1, value_init, (void *)(intptr_t)atoi(spec + 5));
  if (rc != VH_OK && rc != VH_EINVAL) return rc; /* VH_EINVAL: defined (or loaded) already */
  out->resolved_name = spec;
  out->source = NULL;
  return VH_OK;
}

static void test_synthetic_defined_by_loader(void **state) {
  (void)state;
  assert_ok(vh_runtime_set_module_loader(g_rt, lazy_loader, NULL));
  vh_value ns = mod_ok("import { value as a } from 'host:20';\n"
                       "const { value: b } = await import('host:22');\n"
                       "export const r = a + b;\n",
                       "/m/main.js");
  assert_int_equal(get_i32(ns, "r"), 42);
}

static int fail_init(vh_engine engine, vh_synthetic_module module, void *data) {
  (void)engine;
  (void)module;
  return *(const int *)data;
}
static int throw_init(vh_engine engine, vh_synthetic_module module, void *data) {
  (void)module;
  (void)data;
  int rc = vh_throw_error(engine, VH_ERROR_KIND_TYPE_ERROR, "init threw");
  return rc == VH_OK ? VH_EEXCEPTION : rc;
}
static int eval_fail_init(vh_engine engine, vh_synthetic_module module, void *data) {
  (void)module;
  (void)data;
  vh_value v;
  return vh_eval(engine, "\n\nthrow new Error('inner eval')", VH_AUTO_LENGTH, "inner.js", &v);
}

static void test_synthetic_init_fails(void **state) {
  (void)state;
  static const int code = VH_ERANGE;
  static const char *const one[] = {"x"};
  assert_ok(vh_module_define_synthetic(g_e, "host:fail", one, 1, fail_init, (void *)&code));
  assert_ok(vh_module_define_synthetic(g_e, "host:throw", one, 1, throw_init, NULL));
  assert_ok(vh_module_define_synthetic(g_e, "host:eval", one, 1, eval_fail_init, NULL));
  assert_status(VH_EEXCEPTION, vh_module_eval(g_e, "import 'host:fail';", VH_AUTO_LENGTH, "/m/a.js", NULL));
  take_expect("Cannot initialise synthetic module 'host:fail': VH_ERANGE", NULL, 0);
  assert_status(VH_EEXCEPTION, vh_module_eval(g_e, "import 'host:throw';", VH_AUTO_LENGTH, "/m/b.js", NULL));
  take_expect("init threw", NULL, 0);
  /* a failed call's exception, returned as VH_EEXCEPTION, keeps its location */
  assert_status(VH_EEXCEPTION, vh_module_eval(g_e, "import 'host:eval';", VH_AUTO_LENGTH, "/m/c.js", NULL));
  take_expect("inner eval", "inner.js", 3);
  /* dynamically: the import rejects */
  vh_value ns = mod_ok("export let m = '';\ntry { await import('host:fail'); } catch (e) { m = e.code === 'VH_ERANGE' && e.message; }\n",
                       "/m/d.js");
  assert_str_prop(ns, "m", "Cannot initialise synthetic module 'host:fail': VH_ERANGE");
}

/* ---- misuse ---------------------------------------------------------------------------------------- */

static void test_invalid_arguments(void **state) {
  (void)state;
  static const char *const names[] = {"a", "b"};
  static const char *const dup[] = {"a", "a"};
  static const char *const null_name[] = {"a", NULL};
  vh_value ns;
  vh_runtime no_rt;
  vh_engine no_engine;
  memset(&no_rt, 0, sizeof no_rt);
  memset(&no_engine, 0, sizeof no_engine);
  assert_status(VH_EINVAL, vh_module_eval(g_e, NULL, 0, "/m/x.js", &ns));
  assert_status(VH_EINVAL, vh_module_eval(g_e, "1", VH_AUTO_LENGTH, NULL, &ns));
  assert_status(VH_EINVAL, vh_module_eval(no_engine, "1", VH_AUTO_LENGTH, "/m/x.js", &ns));
  assert_status(VH_EINVAL, vh_runtime_set_module_loader(no_rt, table_loader, NULL));
  assert_status(VH_EINVAL, vh_runtime_set_import_meta_hook(no_rt, meta_hook, NULL));
  assert_status(VH_EINVAL, vh_module_define_synthetic(g_e, NULL, names, 2, math_init, NULL));
  assert_status(VH_EINVAL, vh_module_define_synthetic(g_e, "s", NULL, 2, math_init, NULL));
  assert_status(VH_EINVAL, vh_module_define_synthetic(g_e, "s", names, 0, math_init, NULL));
  assert_status(VH_EINVAL, vh_module_define_synthetic(g_e, "s", names, 2, NULL, NULL));
  assert_status(VH_EINVAL, vh_module_define_synthetic(g_e, "s", dup, 2, math_init, NULL));
  assert_status(VH_EINVAL, vh_module_define_synthetic(g_e, "s", null_name, 2, math_init, NULL));
  vh_value v;
  assert_ok(vh_new_int32(g_e, 1, &v));
  assert_status(VH_EINVAL, vh_module_set_export(g_e, (vh_synthetic_module){1}, NULL, v));
  assert_status(VH_EINVAL, vh_module_set_export(no_engine, (vh_synthetic_module){1}, "a", v));
  /* a length of source is honoured (the rest is not module text) */
  assert_ok(vh_module_eval(g_e, "export const y = 2; garbage ((", 19, "/m/len.js", &ns));
  assert_int_equal(get_i32(ns, "y"), 2);
}

static void test_same_name_twice(void **state) {
  (void)state;
  static const char *const names[] = {"a"};
  mod_ok("export const x = 1;", "/m/once.js");
  assert_status(VH_EINVAL, vh_module_eval(g_e, "export const x = 2;", VH_AUTO_LENGTH, "/m/once.js", NULL));
  /* a name that failed at evaluation stays taken */
  assert_status(VH_EEXCEPTION, vh_module_eval(g_e, "throw new Error('x');", VH_AUTO_LENGTH, "/m/err.js", NULL));
  vh_exception_discard(g_e);
  assert_status(VH_EINVAL, vh_module_eval(g_e, "1;", VH_AUTO_LENGTH, "/m/err.js", NULL));
  /* synthetic names and module names share the map */
  assert_ok(vh_module_define_synthetic(g_e, "host:s", names, 1, math_init, NULL));
  assert_status(VH_EINVAL, vh_module_define_synthetic(g_e, "host:s", names, 1, math_init, NULL));
  assert_status(VH_EINVAL, vh_module_define_synthetic(g_e, "/m/once.js", names, 1, math_init, NULL));
  assert_status(VH_EINVAL, vh_module_eval(g_e, "1;", VH_AUTO_LENGTH, "host:s", NULL));
}

/* Without a scope, module calls are refused. */
static void test_no_scope(void **state) {
  (void)state;
  static const char *const names[] = {"a"};
  vh_engine e;
  assert_ok(vh_engine_new(g_rt, NULL, &e));
  assert_status(VH_ENOSCOPE, vh_module_eval(e, "1;", VH_AUTO_LENGTH, "/m/x.js", NULL));
  assert_status(VH_ENOSCOPE, vh_module_define_synthetic(e, "s", names, 1, math_init, NULL));
  /* the setters take the lock themselves */
  assert_ok(vh_runtime_set_module_loader(g_rt, NULL, NULL));
  assert_ok(vh_engine_dispose(e));
}

/* ---- the loader as host code ------------------------------------------------------------------- */

static vh_scope g_loader_leaked;
static int g_loader_eval_rc;
/* Builds the source with JS, leaves a scope open, and throws (the status decides). */
static int busy_loader(vh_engine engine, const char *spec, const char *referrer, vh_module_source *out,
                       void *data) {
  (void)referrer;
  static char source[128];
  vh_value v, err;
  (void)data;
  if (strcmp(spec, "gen") != 0) {
    if (vh_new_error(engine, VH_ERROR_KIND_ERROR, "loader threw", &err) == VH_OK) vh_throw(engine, err);
    return VH_ETYPE;
  }
  g_loader_eval_rc = vh_eval(engine, "'export const n = ' + (6 * 7) + ';'", VH_AUTO_LENGTH, "gen.js", &v);
  if (g_loader_eval_rc != VH_OK) return g_loader_eval_rc;
  int rc = vh_value_string_utf8(v, source, sizeof source, NULL);
  if (rc != VH_OK) return rc;
  vh_scope_open(engine, &g_loader_leaked); /* closed for the loader when it returns */
  out->resolved_name = "/gen/n.js";
  out->source = source;
  out->source_length = VH_AUTO_LENGTH;
  return VH_OK;
}

static void test_loader_runs_host_code(void **state) {
  (void)state;
  assert_ok(vh_runtime_set_module_loader(g_rt, busy_loader, NULL));
  vh_value ns = mod_ok("import { n } from 'gen';\nexport const r = n;\n"
                       "export let e = '';\ntry { await import('other'); } catch (x) { e = x.message; }\n",
                       "/m/main.js");
  assert_int_equal(g_loader_eval_rc, VH_OK);
  assert_int_equal(get_i32(ns, "r"), 42);
  assert_str_prop(ns, "e", "Cannot load module 'other' from '/m/main.js': VH_ETYPE");
  assert_status(VH_ESCOPE_CLOSED, vh_scope_close(g_loader_leaked));
  /* the caller's scope is intact */
  assert_int_equal(get_i32(ns, "r"), 42);
}

/* Disposing an engine frees its modules; its runtime goes on. */
static void test_dispose_with_modules(void **state) {
  (void)state;
  static const char *const names[] = {"a"};
  vh_engine e;
  vh_scope s;
  use_table(k_graph);
  assert_ok(vh_engine_new(g_rt, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_module_eval(e, "import './a.js';", VH_AUTO_LENGTH, "/m/main.js", NULL));
  assert_ok(vh_module_define_synthetic(e, "host:s", names, 1, math_init, NULL));
  assert_status(VH_EBUSY, vh_engine_dispose(e));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));
  /* a private engine's runtime takes its modules with it */
  assert_ok(vh_engine_new_private(NULL, NULL, &e));
  assert_ok(vh_scope_open(e, &s));
  assert_ok(vh_module_eval(e, "export const x = await 1;", VH_AUTO_LENGTH, "/m/main.js", NULL));
  assert_ok(vh_scope_close(s));
  assert_ok(vh_engine_dispose(e));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_exports_namespace, setup, teardown),
      cmocka_unit_test_setup_teardown(test_graph_with_loader, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cycle, setup, teardown),
      cmocka_unit_test_setup_teardown(test_instantiated_once, setup, teardown),
      cmocka_unit_test_setup_teardown(test_failing_static_import, setup, teardown),
      cmocka_unit_test_setup_teardown(test_syntax_error_in_import, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dynamic_import_fails, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dynamic_import_ok, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dynamic_import_self, setup, teardown),
      cmocka_unit_test_setup_teardown(test_import_meta, setup, teardown),
      cmocka_unit_test_setup_teardown(test_top_level_await, setup, teardown),
      cmocka_unit_test_setup_teardown(test_top_level_await_loop, setup, teardown),
      cmocka_unit_test_setup_teardown(test_top_level_await_rejected, setup, teardown),
      cmocka_unit_test_setup_teardown(test_synthetic_module, setup, teardown),
      cmocka_unit_test_setup_teardown(test_synthetic_defined_by_loader, setup, teardown),
      cmocka_unit_test_setup_teardown(test_synthetic_init_fails, setup, teardown),
      cmocka_unit_test_setup_teardown(test_invalid_arguments, setup, teardown),
      cmocka_unit_test_setup_teardown(test_same_name_twice, setup, teardown),
      cmocka_unit_test(test_no_scope),
      cmocka_unit_test_setup_teardown(test_loader_runs_host_code, setup, teardown),
      cmocka_unit_test(test_dispose_with_modules),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
