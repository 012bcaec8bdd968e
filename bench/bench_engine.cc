// bench_engine — figure engine_new: a new engine in an existing runtime, made and disposed.
//
//   ours: vh_engine_new(rt) + vh_engine_dispose()          (no scope open: each call takes the
//         runtime's lock itself, as it does for a host that makes engines on demand)
//   raw:  { Locker, Isolate::Scope, HandleScope: Context::New, kept in a v8::Global }
//         { Locker, Isolate::Scope, HandleScope: Global::Reset }     in an existing isolate
//
// Each side has an isolate of its own. A dead context is ~160 KiB of garbage, so garbage
// collection is a large and lumpy part of the cost: every round starts after a full GC
// (untimed; vh_runtime_gc / LowMemoryNotification), so each round collects only its own
// contexts, from the same starting state on both sides.
#include "harness.h"

namespace {

constexpr long kOpsPerRound = 150;  // × --scale; ~0.3 ms each
constexpr double kTarget = 1.10;

}  // namespace

int main(int argc, char** argv) {
  bench::Options opt = bench::parse_options(argc, argv);
  vh_runtime rt = bench::start_library();
  bench::RawIsolate raw;
  v8::Isolate* iso = raw.isolate;
  const long ops = opt.ops(kOpsPerRound);

  bench::Figure f{"engine_new", "us", kTarget,
                  [&] {
                    return bench::time_per_op(ops, "us", [&](long) {
                      vh_engine e;
                      BENCH_VH(vh_engine_new(rt, nullptr, &e));
                      BENCH_VH(vh_engine_dispose(e));
                    });
                  },
                  [&] {
                    return bench::time_per_op(ops, "us", [&](long) {
                      v8::Global<v8::Context> ctx;
                      bench::raw_context_new(iso, &ctx);
                      bench::raw_context_dispose(iso, &ctx);
                    });
                  }};
  f.settle_ours = [&] { BENCH_VH(vh_runtime_gc(rt)); };
  f.settle_raw = [&] { bench::raw_gc(iso); };
  bench::run_figure(opt, f);

  BENCH_VH(vh_runtime_dispose(rt));
  return 0;
}
