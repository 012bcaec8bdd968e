// bench_modules — figure module_graph: loading a 200-module ES module graph, through v8host's
// module loader against raw V8's ResolveModuleCallback doing the same job. Unit: ms per graph
// load (compile, link, evaluate all 200 modules and read the entry's export).
//
// The graph (generated in memory, deterministic, the same on both sides): modules
// /graph/m0.js .. /graph/m198.js and the entry /graph/main.js. m0..m3 import nothing; every
// later module imports 2 or 3 distinct earlier ones by relative specifier ("./m17.js"), a
// quarter of the picks going to the hubs m0..m3 so that shared dependencies (diamonds) abound,
// and exports a function f<i> and a constant c<i> computed at evaluation from its imports'
// (c<i> = (i + sum f<k>(c<k>)) mod 1000003, f<i>(x) = (3x + c<i>) mod 1000003), plus a helper
// function that is compiled but never run. One cycle: m60 imports m150 and m150 imports m60
// (each side of the cycle uses the other only inside a function, called after evaluation). The
// entry imports every module no other module imports (so all 200 are reached) and m150's cycle
// function, and exports `value`; C computes the expected value and both sides check it.
//
//   ours: one runtime with a vh_module_loader_cb (set once) that resolves the specifier against
//         the referrer and returns the source text from the in-memory table; per graph load a
//         fresh engine (vh_engine_new, untimed), then timed: vh_scope_open, vh_module_eval of
//         the entry, vh_get(namespace, "value"), vh_value_double, check,
//         vh_runtime_run_microtasks, vh_scope_close; then vh_engine_dispose (untimed).
//   raw:  one raw isolate; per graph load a fresh context (Context::New in a v8::Global, untimed)
//         with a per-context module cache in its embedder data, then timed: Locker,
//         Isolate::Scope, HandleScope, Context::Scope, TryCatch; CompileModule of the entry
//         (ScriptOrigin with is_module), InstantiateModule with a ResolveModuleCallback that
//         finds the referrer's name (identity hash -> cache entry), resolves the specifier
//         against it, looks the name up in the same table and returns the cached module or
//         compiles and caches it; Evaluate, the promise checked fulfilled,
//         GetModuleNamespace()->Get("value"), check, PerformMicrotaskCheckpoint; then the
//         context and cache are dropped (untimed).
//
// Both sides resolve with the same function and look up the same table on every import, and
// both cache compiled modules per engine/context by resolved name. Both end a load with a
// microtask checkpoint, as an embedder with explicit microtasks does after a top-level call:
// vh_module_eval queues a promise reaction job (a catch handler on the evaluation promise) that
// keeps the engine's context alive until microtasks run, so without the checkpoint ours would
// keep every dead engine (~130 KiB each) and the figure would drift with the run's length;
// a '#' line measures that. A round is 8 graph loads (× --scale) after an untimed full GC of
// the side's isolate.
#include <unordered_map>

#include "harness.h"

namespace {

constexpr int kGraphModules = 199;  // m0..m198, plus the entry: 200 modules
constexpr int kHubs = 4;            // m0..m3: no imports, a quarter of all picks
constexpr int kCycleA = 60, kCycleB = 150;
constexpr uint32_t kMod = 1000003;
constexpr long kLoadsPerRound = 8;  // × --scale
constexpr double kTarget = 1.20;
constexpr const char* kEntryName = "/graph/main.js";

// ---- the graph -----------------------------------------------------------------------------

struct Graph {
  std::unordered_map<std::string, std::string> sources;  // resolved name -> source text
  std::string entry_source;
  double expected = 0;
  size_t bytes = 0;
  int edges = 0;
};

std::string module_name(int i) { return "/graph/m" + std::to_string(i) + ".js"; }

Graph make_graph() {
  Graph g;
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  auto next = [&seed](uint32_t n) {  // deterministic, the same on every machine
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(seed >> 33) % n;
  };
  std::vector<std::vector<int>> imports(kGraphModules);
  std::vector<bool> imported(kGraphModules, false);
  for (int i = kHubs; i < kGraphModules; ++i) {
    int want = 2 + static_cast<int>(next(2));
    std::vector<int>& im = imports[i];
    while (static_cast<int>(im.size()) < want) {
      int k = next(4) == 0 ? static_cast<int>(next(kHubs)) : static_cast<int>(next(i));
      if (k == kCycleA && i == kCycleB) continue;  // the cycle's edge is added below
      if (std::find(im.begin(), im.end(), k) == im.end()) im.push_back(k);
    }
    for (int k : im) imported[k] = true;
  }

  std::vector<uint64_t> c(kGraphModules);
  auto f = [&c](int k, uint64_t x) { return (3 * x + c[k]) % kMod; };
  for (int i = 0; i < kGraphModules; ++i) {
    std::string n = std::to_string(i), s;
    uint64_t ci = static_cast<uint64_t>(i);
    for (int k : imports[i]) {
      std::string kn = std::to_string(k);
      s += "import { f" + kn + ", c" + kn + " } from \"./m" + kn + ".js\";\n";
      ci += f(k, c[k]);
    }
    c[i] = ci % kMod;
    if (i == kCycleA) s += "import { f" + std::to_string(kCycleB) + " } from \"./m150.js\";\n";
    if (i == kCycleB) s += "import { cyc" + std::to_string(kCycleA) + " } from \"./m60.js\";\n";
    s += "export const c" + n + " = (" + n;
    for (int k : imports[i]) {
      std::string kn = std::to_string(k);
      s += " + f" + kn + "(c" + kn + ")";
    }
    s += ") % " + std::to_string(kMod) + ";\n";
    s += "export function f" + n + "(x) { return (3 * x + c" + n + ") % " + std::to_string(kMod) +
         "; }\n";
    // Some ordinary code that is parsed (pre-parsed) but not run, so a module is not a one-liner.
    s += "export function describe" + n + "(items) {\n"
         "  const out = [];\n"
         "  for (const item of items) {\n"
         "    if (item && typeof item === 'object') out.push({ id: item.id, module: " + n +
         ", tag: `m" + n + ":${item.id}` });\n"
         "    else out.push({ id: String(item), module: " + n + " });\n"
         "  }\n"
         "  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));\n"
         "}\n";
    if (i == kCycleA) s += "export function cyc60() { return f150(c60); }\n";
    if (i == kCycleB) s += "export function cyc150() { return cyc60(); }\n";
    g.edges += static_cast<int>(imports[i].size()) + (i == kCycleA || i == kCycleB);
    g.bytes += s.size();
    g.sources.emplace(module_name(i), std::move(s));
  }

  // The entry: every module nobody imports, and the cycle.
  std::string& e = g.entry_source;
  std::string sum = "(0";
  uint64_t value = 0;
  for (int i = 0; i < kGraphModules; ++i) {
    if (imported[i]) continue;
    std::string n = std::to_string(i);
    e += "import { f" + n + ", c" + n + " } from \"./m" + n + ".js\";\n";
    sum += " + f" + n + "(c" + n + ")";
    value += f(i, c[i]);
    ++g.edges;
  }
  e += "import { cyc150 } from \"./m150.js\";\n";
  if (imported[kCycleB]) ++g.edges;  // else the entry already requests ./m150.js (one request)
  e += "export const value = " + sum + " + cyc150()) % " + std::to_string(kMod) + ";\n";
  value += f(kCycleB, c[kCycleA]);  // cyc150() = cyc60() = f150(c60)
  g.expected = static_cast<double>(value % kMod);
  g.bytes += e.size();
  return g;
}

// "./x" and "../x" against the referrer's directory; anything else as is. Both sides use it.
void resolve_path(const char* spec, const char* referrer, std::string* out) {
  if (std::strncmp(spec, "./", 2) != 0 && std::strncmp(spec, "../", 3) != 0) {
    out->assign(spec);
    return;
  }
  const char* slash = std::strrchr(referrer, '/');
  out->assign(referrer, slash ? static_cast<size_t>(slash - referrer) + 1 : 0);
  for (;;) {
    if (!std::strncmp(spec, "./", 2)) {
      spec += 2;
    } else if (!std::strncmp(spec, "../", 3)) {
      spec += 3;
      if (out->size() > 1) {
        out->pop_back();
        size_t up = out->rfind('/');
        out->resize(up == std::string::npos ? 0 : up + 1);
      }
    } else {
      break;
    }
  }
  out->append(spec);
}

// ---- ours ----------------------------------------------------------------------------------

struct LoaderData {
  const Graph* graph;
  std::string name;  // the resolved name, alive until the loader returns
  long calls = 0;
};

int graph_loader(vh_engine, const char* specifier, const char* referrer, vh_module_source* out,
                 void* data) {
  auto* d = static_cast<LoaderData*>(data);
  ++d->calls;
  resolve_path(specifier, referrer, &d->name);
  auto it = d->graph->sources.find(d->name);
  if (it == d->graph->sources.end()) return VH_EINVAL;
  out->resolved_name = it->first.c_str();
  out->source = it->second.data();
  out->source_length = it->second.size();
  return VH_OK;
}

// The timed part of a graph load (its own function, for profiles): the entry evaluated, its
// export checked, then the microtask checkpoint an embedder with explicit microtasks makes after
// a top-level call (without it vh_module_eval leaves a reaction job queued that keeps the
// engine's context alive: see the '#' line "kept alive" and bench/README.md).
__attribute__((noinline)) void ours_graph(vh_runtime rt, vh_engine e, const Graph& g,
                                          bool checkpoint) {
  vh_scope s;
  BENCH_VH(vh_scope_open(e, &s));
  vh_value ns, v;
  BENCH_VH(vh_module_eval(e, g.entry_source.data(), g.entry_source.size(), kEntryName, &ns));
  BENCH_VH(vh_get(e, ns, "value", &v));
  double value;
  BENCH_VH(vh_value_double(v, &value));
  BENCH_CHECK(value == g.expected);
  if (checkpoint) BENCH_VH(vh_runtime_run_microtasks(rt));
  BENCH_VH(vh_scope_close(s));
}

// One graph load in a fresh engine; returns the timed part in ns.
uint64_t ours_load(vh_runtime rt, const Graph& g, bool checkpoint = true) {
  vh_engine e;
  BENCH_VH(vh_engine_new(rt, nullptr, &e));
  uint64_t t0 = bench::now_ns();
  ours_graph(rt, e, g, checkpoint);
  uint64_t t1 = bench::now_ns();
  BENCH_VH(vh_engine_dispose(e));
  return t1 - t0;
}

// ---- raw -----------------------------------------------------------------------------------

constexpr int kRawSlot = 1;  // the context's embedder data slot holding its RawModules

struct RawEntry {
  std::string name;
  v8::Global<v8::Module> module;
};

// A context's module cache, as an embedder keeps one: by resolved name, and by identity hash
// to find a referrer's name.
struct RawModules {
  const Graph* graph;
  std::unordered_map<std::string, std::unique_ptr<RawEntry>> by_name;
  std::unordered_multimap<int, RawEntry*> by_hash;
  long compiled = 0;
};

void raw_throw(v8::Isolate* iso, const std::string& text) {
  iso->ThrowException(v8::Exception::Error(
      v8::String::NewFromUtf8(iso, text.data(), v8::NewStringType::kNormal,
                              static_cast<int>(text.size()))
          .ToLocalChecked()));
}

v8::MaybeLocal<v8::Module> raw_compile(v8::Isolate* iso, RawModules* m, const std::string& name,
                                       const std::string& source) {
  v8::Local<v8::String> text, resource;
  if (!v8::String::NewFromUtf8(iso, source.data(), v8::NewStringType::kNormal,
                               static_cast<int>(source.size()))
           .ToLocal(&text) ||
      !v8::String::NewFromUtf8(iso, name.data(), v8::NewStringType::kNormal,
                               static_cast<int>(name.size()))
           .ToLocal(&resource))
    return {};
  v8::ScriptOrigin origin(iso, resource, 0, 0, false, -1, v8::Local<v8::Value>(), false, false,
                          true);
  v8::ScriptCompiler::Source src(text, origin);
  v8::Local<v8::Module> module;
  if (!v8::ScriptCompiler::CompileModule(iso, &src).ToLocal(&module)) return {};
  auto entry = std::make_unique<RawEntry>();
  entry->name = name;
  entry->module.Reset(iso, module);
  m->by_hash.emplace(module->GetIdentityHash(), entry.get());
  m->by_name[name] = std::move(entry);
  ++m->compiled;
  return module;
}

v8::MaybeLocal<v8::Module> raw_resolve(v8::Local<v8::Context> ctx, v8::Local<v8::String> specifier,
                                       v8::Local<v8::FixedArray>, v8::Local<v8::Module> referrer) {
  v8::Isolate* iso = ctx->GetIsolate();
  auto* m = static_cast<RawModules*>(ctx->GetAlignedPointerFromEmbedderData(kRawSlot));
  const RawEntry* from = nullptr;
  auto range = m->by_hash.equal_range(referrer->GetIdentityHash());
  for (auto it = range.first; it != range.second; ++it)
    if (it->second->module == referrer) from = it->second;
  v8::String::Utf8Value spec(iso, specifier);
  std::string name;
  resolve_path(*spec, from ? from->name.c_str() : "", &name);
  auto src = m->graph->sources.find(name);  // the lookup the library's loader does
  if (src == m->graph->sources.end()) {
    raw_throw(iso, "Cannot load module '" + std::string(*spec) + "'");
    return {};
  }
  auto cached = m->by_name.find(name);
  if (cached != m->by_name.end()) return cached->second->module.Get(iso);
  return raw_compile(iso, m, src->first, src->second);
}

[[noreturn]] void raw_fail(v8::Isolate* iso, const v8::TryCatch& tc, const char* what) {
  std::string text = "no exception";
  if (tc.HasCaught()) text = *v8::String::Utf8Value(iso, tc.Exception());
  bench::fail(__FILE__, __LINE__, what, text.c_str());
}

// The timed part of a graph load (its own function, for profiles), as ours_graph().
__attribute__((noinline)) void raw_graph(v8::Isolate* iso, const v8::Global<v8::Context>& context,
                                         RawModules* modules, const Graph& g, bool checkpoint) {
  bench::RawLock lock(iso);
  v8::Local<v8::Context> ctx = context.Get(iso);
  v8::Context::Scope context_scope(ctx);
  v8::TryCatch tc(iso);
  v8::Local<v8::Module> entry;
  if (!raw_compile(iso, modules, kEntryName, g.entry_source).ToLocal(&entry))
    raw_fail(iso, tc, "compile the entry");
  if (!entry->InstantiateModule(ctx, raw_resolve).FromMaybe(false))
    raw_fail(iso, tc, "InstantiateModule");
  v8::Local<v8::Value> result;
  if (!entry->Evaluate(ctx).ToLocal(&result)) raw_fail(iso, tc, "Evaluate");
  if (result->IsPromise()) {  // always, with top-level await (V8 10.2)
    v8::Local<v8::Promise> promise = result.As<v8::Promise>();
    if (promise->State() == v8::Promise::kPending) iso->PerformMicrotaskCheckpoint();
    BENCH_CHECK(promise->State() == v8::Promise::kFulfilled);
  }
  v8::Local<v8::Value> value;
  v8::Local<v8::String> key =
      v8::String::NewFromUtf8(iso, "value", v8::NewStringType::kNormal).ToLocalChecked();
  if (!entry->GetModuleNamespace().As<v8::Object>()->Get(ctx, key).ToLocal(&value))
    raw_fail(iso, tc, "namespace.value");
  BENCH_CHECK(value->IsNumber() && value.As<v8::Number>()->Value() == g.expected);
  if (checkpoint) iso->PerformMicrotaskCheckpoint();
}

// One graph load in a fresh context; returns the timed part in ns. *compiled: modules compiled.
uint64_t raw_load(v8::Isolate* iso, const Graph& g, long* compiled, bool checkpoint = true) {
  RawModules modules;
  modules.graph = &g;
  v8::Global<v8::Context> context;
  {
    bench::RawLock lock(iso);
    v8::Local<v8::Context> ctx = v8::Context::New(iso);
    BENCH_CHECK(!ctx.IsEmpty());
    ctx->SetAlignedPointerInEmbedderData(kRawSlot, &modules);
    context.Reset(iso, ctx);
  }
  uint64_t t0 = bench::now_ns();
  raw_graph(iso, context, &modules, g, checkpoint);
  uint64_t t1 = bench::now_ns();
  {
    bench::RawLock lock(iso);
    v8::Local<v8::Context> ctx = context.Get(iso);
    ctx->SetAlignedPointerInEmbedderData(kRawSlot, nullptr);
    modules.by_hash.clear();
    modules.by_name.clear();
    context.Reset();
  }
  *compiled = modules.compiled;
  return t1 - t0;
}

// Heap in use after a full GC, in bytes.
size_t ours_heap_used(vh_runtime rt) {
  BENCH_VH(vh_runtime_gc(rt));
  vh_heap_stats h;
  BENCH_VH(vh_runtime_heap_stats(rt, &h));
  return h.used;
}
size_t raw_heap_used(v8::Isolate* iso) {
  bench::raw_gc(iso);
  bench::RawLock lock(iso);
  v8::HeapStatistics h;
  iso->GetHeapStatistics(&h);
  return h.used_heap_size();
}

}  // namespace

int main(int argc, char** argv) {
  bench::Options opt = bench::parse_options(argc, argv);
  const long loads = opt.ops(kLoadsPerRound);
  vh_runtime rt = bench::start_library();
  const Graph graph = make_graph();

  LoaderData loader{&graph, std::string(), 0};
  BENCH_VH(vh_runtime_set_module_loader(rt, graph_loader, &loader));
  bench::RawIsolate raw;
  v8::Isolate* iso = raw.isolate;

  // One load of each side first: both reach all modules (raw compiles each once), and the
  // loader is asked once per import edge.
  ours_load(rt, graph);
  long compiled = 0;
  raw_load(iso, graph, &compiled);
  BENCH_CHECK(compiled == kGraphModules + 1);
  BENCH_CHECK(loader.calls == graph.edges);
  std::fprintf(stderr, "# module_graph: %d modules, %d imports, %.1f KiB of source\n",
               kGraphModules + 1, graph.edges, static_cast<double>(graph.bytes) / 1024);

  // What a load leaves alive after a full GC when the host makes no microtask checkpoint:
  // 0 on raw V8; ours keeps every engine's context while a reaction job queued by
  // vh_module_eval waits in the microtask queue (released by the checkpoint below).
  {
    constexpr int kProbe = 4;
    size_t o0 = ours_heap_used(rt), r0 = raw_heap_used(iso);
    for (int i = 0; i < kProbe; ++i) {
      ours_load(rt, graph, false);
      raw_load(iso, graph, &compiled, false);
    }
    size_t o1 = ours_heap_used(rt), r1 = raw_heap_used(iso);
    BENCH_VH(vh_runtime_run_microtasks(rt));
    { bench::RawLock lock(iso); iso->PerformMicrotaskCheckpoint(); }
    size_t o2 = ours_heap_used(rt), r2 = raw_heap_used(iso);
    auto kib = [](size_t a, size_t b) { return (static_cast<double>(a) - static_cast<double>(b)) / 1024 / kProbe; };
    std::fprintf(stderr,
                 "# module_graph: kept alive per load without a microtask checkpoint: ours %.0f KiB,"
                 " raw %.0f KiB (after the checkpoint: ours %.0f, raw %.0f)\n",
                 kib(o1, o0), kib(r1, r0), kib(o2, o0), kib(r2, r0));
  }

  bench::Figure f{"module_graph", "ms", kTarget,
                  [&] {
                    uint64_t ns = 0;
                    for (long i = 0; i < loads; ++i) ns += ours_load(rt, graph);
                    return static_cast<double>(ns) / static_cast<double>(loads) / 1e6;
                  },
                  [&] {
                    uint64_t ns = 0;
                    for (long i = 0; i < loads; ++i) {
                      ns += raw_load(iso, graph, &compiled);
                      BENCH_CHECK(compiled == kGraphModules + 1);
                    }
                    return static_cast<double>(ns) / static_cast<double>(loads) / 1e6;
                  }};
  f.settle_ours = [&] { BENCH_VH(vh_runtime_gc(rt)); };
  f.settle_raw = [&] { bench::raw_gc(iso); };
  bench::run_figure(opt, f);

  BENCH_VH(vh_runtime_set_module_loader(rt, nullptr, nullptr));
  BENCH_VH(vh_runtime_dispose(rt));
  return 0;
}
