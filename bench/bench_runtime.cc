// bench_runtime — figure runtime_new: a new runtime with one engine, made and disposed.
//
//   ours: vh_runtime_new + vh_engine_new + vh_engine_dispose + vh_runtime_dispose
//   raw:  new ArrayBuffer allocator + v8::Isolate::New
//         + { Locker, Isolate::Scope, HandleScope: Context::New, kept in a v8::Global }
//         + { Locker, Isolate::Scope, HandleScope: Global::Reset } + Isolate::Dispose
//
// V8 gets slower as a process makes and drops many isolates (freed pages, the code range,
// the platform's per-isolate task runners): the harness alternates the sides round by round
// and swaps which goes first, so both see the same process state; a round is a handful of
// isolates to keep the sides close in time.
#include "harness.h"

namespace {

constexpr long kOpsPerRound = 24;  // × --scale; ~1.5-3 ms each: ~50 ms per round and side
constexpr double kTarget = 1.10;

}  // namespace

int main(int argc, char** argv) {
  bench::Options opt = bench::parse_options(argc, argv);
  // Starts V8 (the library owns the platform); this runtime is not used further.
  BENCH_VH(vh_runtime_dispose(bench::start_library()));
  const long ops = opt.ops(kOpsPerRound);

  bench::run_figure(opt, {"runtime_new", "us", kTarget,
                          [&] {
                            return bench::time_per_op(ops, "us", [&](long) {
                              vh_runtime rt;
                              vh_engine e;
                              BENCH_VH(vh_runtime_new(nullptr, &rt));
                              BENCH_VH(vh_engine_new(rt, nullptr, &e));
                              BENCH_VH(vh_engine_dispose(e));
                              BENCH_VH(vh_runtime_dispose(rt));
                            });
                          },
                          [&] {
                            return bench::time_per_op(ops, "us", [&](long) {
                              bench::RawIsolate raw;
                              v8::Global<v8::Context> ctx;
                              bench::raw_context_new(raw.isolate, &ctx);
                              bench::raw_context_dispose(raw.isolate, &ctx);
                            });  // ~RawIsolate: Isolate::Dispose, then the allocator
                          }});
  return 0;
}
