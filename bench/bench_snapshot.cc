// bench_snapshot — startup snapshots and engine reuse, each against the same work without them
// (for these figures the "raw" side is v8host without a snapshot or pool, not raw V8):
//
//   engine_new_lodash     ours: vh_engine_new in a runtime made from a blob of lodash 4.17.21
//                               loaded (+ a call of _.chunk, + vh_engine_dispose)
//                         raw:  vh_engine_new + evaluating lodash.js (+ the call, + dispose)
//                         target 0.20: at least 5x faster from the snapshot
//   runtime_new_snapshot  ours: vh_runtime_new_from_snapshot (a blob of a fresh engine) +
//                               vh_engine_new + dispose of both
//                         raw:  vh_runtime_new + vh_engine_new + dispose of both
//                         target 1.05: no slower (within noise)
//   pool_request          one request of a trivial handler (an eval of a small function call)
//                         ours: vh_pool_acquire + scope + eval + vh_pool_release (reset)
//                         raw:  vh_engine_new_private + scope + eval + vh_engine_dispose
//                         requests per second = 1e6 / the figure; target 0.50
//
// lodash.js comes from the npm registry's lodash-4.17.21.tgz, pinned by its SHA-256, fetched by
// bench/CMakeLists.txt at configure time (BENCH_LODASH_JS).
#include <fstream>
#include <sstream>

#include "harness.h"

namespace {

std::string read_file(const char* path) {
  std::ifstream f(path, std::ios::binary);
  BENCH_CHECK(f.good());
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void eval_in(vh_engine e, const std::string& source, const char* name) {
  vh_scope s;
  BENCH_VH(vh_scope_open(e, &s));
  BENCH_VH(vh_eval(e, source.data(), source.size(), name, nullptr));
  BENCH_VH(vh_scope_close(s));
}

// A blob of a builder whose engine ran setup (nothing when empty).
std::string make_blob(const std::string& setup) {
  vh_runtime rt;
  vh_engine e;
  BENCH_VH(vh_snapshot_runtime_new(nullptr, &rt));
  BENCH_VH(vh_engine_new(rt, nullptr, &e));
  if (!setup.empty()) eval_in(e, setup, "lodash.js");
  void* blob;
  size_t length;
  BENCH_VH(vh_snapshot_create(rt, e, &blob, &length));
  std::string out(static_cast<const char*>(blob), length);
  vh_free(blob);
  return out;
}

const char kUse[] = "_.chunk([1, 2, 3, 4, 5], 2).length === 3 || (() => { throw 1; })()";
const char kHandler[] = "function handle(req) { return req.n * 2; } handle({ n: 21 })";

}  // namespace

int main(int argc, char** argv) {
  bench::Options opt = bench::parse_options(argc, argv);
  BENCH_VH(vh_runtime_dispose(bench::start_library()));

  if (opt.wants("engine_new_lodash")) {
    std::string lodash = read_file(BENCH_LODASH_JS);
    std::string blob = make_blob(lodash);
    std::fprintf(stderr, "# lodash.js %zu bytes, blob %zu bytes\n", lodash.size(), blob.size());
    vh_runtime snap_rt, plain_rt;
    BENCH_VH(vh_runtime_new_from_snapshot(nullptr, blob.data(), blob.size(), &snap_rt));
    BENCH_VH(vh_runtime_new(nullptr, &plain_rt));
    const long ops = opt.ops(20);
    bench::run_figure(opt, {"engine_new_lodash", "us", 0.20,
                            [&] {
                              return bench::time_per_op(ops, "us", [&](long) {
                                vh_engine e;
                                BENCH_VH(vh_engine_new(snap_rt, nullptr, &e));
                                eval_in(e, kUse, "use.js");
                                BENCH_VH(vh_engine_dispose(e));
                              });
                            },
                            [&] {
                              return bench::time_per_op(ops, "us", [&](long) {
                                vh_engine e;
                                BENCH_VH(vh_engine_new(plain_rt, nullptr, &e));
                                eval_in(e, lodash, "lodash.js");
                                eval_in(e, kUse, "use.js");
                                BENCH_VH(vh_engine_dispose(e));
                              });
                            },
                            [&] { BENCH_VH(vh_runtime_gc(snap_rt)); },
                            [&] { BENCH_VH(vh_runtime_gc(plain_rt)); }});
    BENCH_VH(vh_runtime_dispose(snap_rt));
    BENCH_VH(vh_runtime_dispose(plain_rt));
  }

  if (opt.wants("runtime_new_snapshot")) {
    std::string blob = make_blob("");
    const long ops = opt.ops(24);
    auto one = [&](bool from_blob) {
      vh_runtime rt;
      vh_engine e;
      if (from_blob) BENCH_VH(vh_runtime_new_from_snapshot(nullptr, blob.data(), blob.size(), &rt));
      else BENCH_VH(vh_runtime_new(nullptr, &rt));
      BENCH_VH(vh_engine_new(rt, nullptr, &e));
      BENCH_VH(vh_engine_dispose(e));
      BENCH_VH(vh_runtime_dispose(rt));
    };
    bench::run_figure(opt, {"runtime_new_snapshot", "us", 1.05,
                            [&] { return bench::time_per_op(ops, "us", [&](long) { one(true); }); },
                            [&] { return bench::time_per_op(ops, "us", [&](long) { one(false); }); }});
  }

  if (opt.wants("pool_request")) {
    vh_pool_options o;
    vh_pool pool;
    BENCH_VH(vh_pool_options_init(&o));
    o.min_size = 1;
    o.max_size = 1;
    BENCH_VH(vh_pool_new(&o, &pool));
    const long ops = opt.ops(40);
    auto request = [&](vh_engine e) {
      vh_scope s;
      vh_value v;
      int32_t n = 0;
      BENCH_VH(vh_scope_open(e, &s));
      BENCH_VH(vh_eval(e, kHandler, VH_AUTO_LENGTH, "handler.js", &v));
      BENCH_VH(vh_value_int32(v, &n));
      BENCH_CHECK(n == 42);
      BENCH_VH(vh_scope_close(s));
    };
    bench::run_figure(opt, {"pool_request", "us", 0.50,
                            [&] {
                              return bench::time_per_op(ops, "us", [&](long) {
                                vh_engine e;
                                BENCH_VH(vh_pool_acquire(pool, &e));
                                request(e);
                                BENCH_VH(vh_pool_release(pool, e));
                              });
                            },
                            [&] {
                              return bench::time_per_op(ops, "us", [&](long) {
                                vh_engine e;
                                BENCH_VH(vh_engine_new_private(nullptr, nullptr, &e));
                                request(e);
                                BENCH_VH(vh_engine_dispose(e));
                              });
                            }});
    BENCH_VH(vh_pool_dispose(pool));
  }
  return 0;
}
