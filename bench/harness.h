// harness.h — the shared part of the v8host benchmarks (C++; needs V8's headers for the raw
// baselines).
//
// A figure compares two ways of doing one thing in the same process, on the same V8:
//   ours  — the library, through the public C API of v8host.h only;
//   raw   — V8's C++ API directly, doing what a real embedder would have to do as well
//           (v8::Locker, Isolate::Scope, HandleScope, a v8::Global kept and Reset...).
// Each side measures one *round* and returns its figure in the figure's unit (for instance
// microseconds per operation). run_figure() runs warm-up rounds first, then alternates the two
// sides round after round, swapping which side goes first every round (ours-raw, raw-ours, ...),
// so drift of the process (GC state, page cache, CPU frequency, V8 worker threads still busy
// with the previous round) falls on both sides alike. It prints exactly one line to stdout:
//
//   RESULT name=<id> ours=<median> raw=<median> unit=<unit> ratio=<ours/raw> target=<max ratio>
//
// and a few lines starting with '#' to stderr (spread of the rounds, the paired ratio).
//
// Options every benchmark program takes (bench/run passes them through):
//   --rounds=N   measured rounds per side (default 21; env BENCH_ROUNDS)
//   --warmup=N   unrecorded rounds per side first (default 3; env BENCH_WARMUP)
//   --scale=X    multiplies the operations per round (default 1; env BENCH_SCALE), for quick
//                smoke runs (0.1) or steadier figures (2)
//   --only=NAME  run only the figure NAME (a program may hold several figures)
//   --no-settle  skip the untimed per-round settling (full GC) of figures that have one
//   --verbose    print every round's pair of figures to stderr
#pragma once

#include <v8.h>
#include <v8host.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace bench {

// ---- failing loudly ------------------------------------------------------------------------
// A benchmark that cannot do its work must not print a figure: it exits non-zero, which
// bench/run reports as a failure.

[[noreturn]] inline void fail(const char* file, int line, const char* what, const char* why) {
  std::fprintf(stderr, "bench: %s:%d: %s failed: %s\n", file, line, what, why);
  std::fflush(stdout);
  std::exit(2);
}

// Checks a v8host call: anything but VH_OK aborts the program with the code's name.
#define BENCH_VH(expr)                                                       \
  do {                                                                       \
    int bench_rc_ = (expr);                                                  \
    if (bench_rc_ != VH_OK)                                                  \
      ::bench::fail(__FILE__, __LINE__, #expr, vh_err_name(bench_rc_));      \
  } while (0)

// Checks a condition (raw V8 results, values read back).
#define BENCH_CHECK(cond)                                                         \
  do {                                                                            \
    if (!(cond)) ::bench::fail(__FILE__, __LINE__, #cond, "condition is false"); \
  } while (0)

// ---- time ----------------------------------------------------------------------------------

inline uint64_t now_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

// Nanoseconds per unit, for the units a RESULT line may carry.
inline double ns_per_unit(const char* unit) {
  if (!std::strcmp(unit, "ns")) return 1.0;
  if (!std::strcmp(unit, "us")) return 1e3;
  if (!std::strcmp(unit, "ms")) return 1e6;
  fail(__FILE__, __LINE__, "ns_per_unit", unit);
}

// Runs body() ops times and returns the mean time of one call in @p unit.
template <typename Body>
double time_per_op(long ops, const char* unit, Body&& body) {
  uint64_t t0 = now_ns();
  for (long i = 0; i < ops; ++i) body(i);
  uint64_t t1 = now_ns();
  return static_cast<double>(t1 - t0) / static_cast<double>(ops) / ns_per_unit(unit);
}

// ---- options -------------------------------------------------------------------------------

struct Options {
  int rounds = 21;
  int warmup = 3;
  double scale = 1.0;
  std::string only;
  bool settle = true;
  bool verbose = false;

  // Operations per round: the figure's default times --scale, at least 1.
  long ops(long base) const {
    long n = std::lround(static_cast<double>(base) * scale);
    return n < 1 ? 1 : n;
  }
  bool wants(const char* name) const { return only.empty() || only == name; }
};

inline Options parse_options(int argc, char** argv) {
  Options o;
  if (const char* e = std::getenv("BENCH_ROUNDS")) o.rounds = std::atoi(e);
  if (const char* e = std::getenv("BENCH_WARMUP")) o.warmup = std::atoi(e);
  if (const char* e = std::getenv("BENCH_SCALE")) o.scale = std::atof(e);
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (!std::strncmp(a, "--rounds=", 9)) {
      o.rounds = std::atoi(a + 9);
    } else if (!std::strncmp(a, "--warmup=", 9)) {
      o.warmup = std::atoi(a + 9);
    } else if (!std::strncmp(a, "--scale=", 8)) {
      o.scale = std::atof(a + 8);
    } else if (!std::strncmp(a, "--only=", 7)) {
      o.only = a + 7;
    } else if (!std::strcmp(a, "--no-settle")) {
      o.settle = false;
    } else if (!std::strcmp(a, "--verbose")) {
      o.verbose = true;
    } else {
      std::fprintf(stderr,
                   "usage: %s [--rounds=N] [--warmup=N] [--scale=X] [--only=FIGURE]"
                   " [--no-settle] [--verbose]\n", argv[0]);
      std::exit(2);
    }
  }
  if (o.rounds < 1 || o.warmup < 0 || !(o.scale > 0)) {
    std::fprintf(stderr, "%s: bad --rounds, --warmup or --scale\n", argv[0]);
    std::exit(2);
  }
  return o;
}

// ---- statistics ----------------------------------------------------------------------------

// Quantile q in [0, 1] of v, linear between neighbours (v is copied).
inline double quantile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  double pos = q * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(pos);
  size_t hi = std::min(lo + 1, v.size() - 1);
  double f = pos - static_cast<double>(lo);
  return v[lo] * (1 - f) + v[hi] * f;
}
inline double median(const std::vector<double>& v) { return quantile(v, 0.5); }

// ---- figures -------------------------------------------------------------------------------

// One round of one side: does the work, returns its figure in the figure's unit.
using Round = std::function<double()>;

struct Figure {
  const char* name;    // RESULT name=
  const char* unit;    // ns | us | ms | KiB
  double target;       // the highest acceptable ours/raw
  Round ours;          // through v8host.h only
  Round raw;           // V8's C++ API
  // Optional, untimed, run before every round of the side: brings its isolate back to the same
  // state (e.g. a full GC) so that each round starts alike instead of inheriting a random
  // share of the garbage the previous rounds left. Same means on both sides.
  std::function<void()> settle_ours = nullptr;
  std::function<void()> settle_raw = nullptr;
};

// Runs a figure as described at the top of this file and prints its RESULT line.
inline void run_figure(const Options& opt, const Figure& f) {
  if (!opt.wants(f.name)) return;
  uint64_t t0 = now_ns();
  auto ours_round = [&] {
    if (opt.settle && f.settle_ours) f.settle_ours();
    return f.ours();
  };
  auto raw_round = [&] {
    if (opt.settle && f.settle_raw) f.settle_raw();
    return f.raw();
  };
  for (int w = 0; w < opt.warmup; ++w) {
    if (w % 2 == 0) {
      ours_round();
      raw_round();
    } else {
      raw_round();
      ours_round();
    }
  }
  std::vector<double> ours, raw, paired;
  ours.reserve(opt.rounds);
  raw.reserve(opt.rounds);
  for (int r = 0; r < opt.rounds; ++r) {
    double o, w;
    if (r % 2 == 0) {
      o = ours_round();
      w = raw_round();
    } else {
      w = raw_round();
      o = ours_round();
    }
    BENCH_CHECK(o > 0 && w > 0);
    ours.push_back(o);
    raw.push_back(w);
    paired.push_back(o / w);
    if (opt.verbose)
      std::fprintf(stderr, "# %s round %d: ours %.3f raw %.3f %s\n", f.name, r, o, w, f.unit);
  }
  double om = median(ours), rm = median(raw);
  std::printf("RESULT name=%s ours=%.3f raw=%.3f unit=%s ratio=%.3f target=%.2f\n", f.name, om, rm,
              f.unit, om / rm, f.target);
  std::fflush(stdout);
  std::fprintf(stderr,
               "# %s: %d+%d rounds/side in %.1f s; ours p25..p75 %.3f..%.3f %s, raw %.3f..%.3f %s,"
               " median of paired ratios %.3f\n",
               f.name, opt.warmup, opt.rounds, static_cast<double>(now_ns() - t0) / 1e9,
               quantile(ours, 0.25), quantile(ours, 0.75), f.unit, quantile(raw, 0.25),
               quantile(raw, 0.75), f.unit, median(paired));
}

// ---- set-up shared by the programs ---------------------------------------------------------

// Starts the library (and with it V8: platform, flags) by making a runtime, which the caller
// may keep. Raw V8 calls work in this process only after this.
inline vh_runtime start_library() {
  vh_runtime rt;
  BENCH_VH(vh_runtime_new(nullptr, &rt));
  std::fprintf(stderr, "# v8host %d, V8 %s\n", vh_version(), vh_v8_version());
  return rt;
}

// A raw isolate, made as the library makes its own: default ArrayBuffer allocator, explicit
// microtasks. Only after start_library().
struct RawIsolate {
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator;
  v8::Isolate* isolate = nullptr;

  RawIsolate() {
    allocator.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = allocator.get();
    isolate = v8::Isolate::New(params);
    BENCH_CHECK(isolate != nullptr);
    isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  }
  ~RawIsolate() { isolate->Dispose(); }
  RawIsolate(const RawIsolate&) = delete;
  RawIsolate& operator=(const RawIsolate&) = delete;
};

// What an embedder holds around any use of an isolate that other threads may also use: the
// lock, the isolate entered, a handle scope. The library holds the same around each call.
struct RawLock {
  v8::Locker locker;
  v8::Isolate::Scope isolate_scope;
  v8::HandleScope handles;
  explicit RawLock(v8::Isolate* iso) : locker(iso), isolate_scope(iso), handles(iso) {}
};

// A raw context kept in a v8::Global, as an embedder keeps one between calls.
inline void raw_context_new(v8::Isolate* iso, v8::Global<v8::Context>* out) {
  RawLock lock(iso);
  v8::Local<v8::Context> ctx = v8::Context::New(iso);
  BENCH_CHECK(!ctx.IsEmpty());
  out->Reset(iso, ctx);
}

// A full garbage collection of a raw isolate, as vh_runtime_gc() does for a runtime.
inline void raw_gc(v8::Isolate* iso) {
  RawLock lock(iso);
  iso->LowMemoryNotification();
}

inline void raw_context_dispose(v8::Isolate* iso, v8::Global<v8::Context>* ctx) {
  RawLock lock(iso);
  ctx->Reset();
}

// globalThis[name] = value in engine e (vh_engine_global() then vh_set()).
inline int set_global(vh_engine e, const char* name, vh_value value) {
  vh_value global;
  int rc = vh_engine_global(e, &global);
  return rc != VH_OK ? rc : vh_set(e, global, name, value);
}

// A global of an engine (a function, typically), kept in a reference across rounds.
inline vh_ref global_ref(vh_engine e, const char* name) {
  vh_scope s;
  BENCH_VH(vh_scope_open(e, &s));
  vh_value global, fn;
  BENCH_VH(vh_engine_global(e, &global));
  BENCH_VH(vh_get(e, global, name, &fn));
  vh_ref ref;
  BENCH_VH(vh_ref_new(fn, 1, &ref));
  BENCH_VH(vh_scope_close(s));
  return ref;
}

}  // namespace bench
