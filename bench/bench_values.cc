// bench_values — figure value_props: 1M integer-indexed properties set on a fresh object,
// then all read back, in batches of 1000 with a scope per batch.
//
//   ours: vh_new_object; per batch vh_scope_open, 1000 × (vh_new_int32 + vh_set_index), vh_scope_close;
//         then per batch vh_scope_open, 1000 × (vh_get_index + vh_value_int32), vh_scope_close
//   raw:  Object::New; per batch a HandleScope, 1000 × obj->Set(ctx, i, Integer::New(iso, i));
//         then per batch a HandleScope, 1000 × obj->Get(ctx, i) + Int32Value(ctx)
//
// Both sides hold their runtime's lock for the whole round (ours: an outer vh_scope; raw: a
// Locker, Isolate::Scope, HandleScope and Context::Scope), as a host doing a bulk transfer
// would, and both check every value read back. Unit: ms per 1M set + 1M get.
#include "harness.h"

namespace {

constexpr long kProps = 1000000;  // per round; --scale changes the round count instead
constexpr uint32_t kBatch = 1000;
constexpr double kTarget = 1.50;

double ours_round(vh_engine e) {
  uint64_t t0 = bench::now_ns();
  vh_scope outer, s;
  BENCH_VH(vh_scope_open(e, &outer));
  vh_value obj;
  BENCH_VH(vh_new_object(e, &obj));
  for (uint32_t base = 0; base < kProps; base += kBatch) {
    BENCH_VH(vh_scope_open(e, &s));
    for (uint32_t i = base; i < base + kBatch; ++i) {
      vh_value v;
      BENCH_VH(vh_new_int32(e, static_cast<int32_t>(i), &v));
      BENCH_VH(vh_set_index(e, obj, i, v));
    }
    BENCH_VH(vh_scope_close(s));
  }
  for (uint32_t base = 0; base < kProps; base += kBatch) {
    BENCH_VH(vh_scope_open(e, &s));
    for (uint32_t i = base; i < base + kBatch; ++i) {
      vh_value v;
      int32_t n;
      BENCH_VH(vh_get_index(e, obj, i, &v));
      BENCH_VH(vh_value_int32(v, &n));
      BENCH_CHECK(n == static_cast<int32_t>(i));
    }
    BENCH_VH(vh_scope_close(s));
  }
  BENCH_VH(vh_scope_close(outer));
  return static_cast<double>(bench::now_ns() - t0) / 1e6;
}

double raw_round(v8::Isolate* iso, const v8::Global<v8::Context>& context) {
  uint64_t t0 = bench::now_ns();
  {
    bench::RawLock lock(iso);
    v8::Local<v8::Context> ctx = context.Get(iso);
    v8::Context::Scope context_scope(ctx);
    v8::Local<v8::Object> obj = v8::Object::New(iso);
    for (uint32_t base = 0; base < kProps; base += kBatch) {
      v8::HandleScope batch(iso);
      for (uint32_t i = base; i < base + kBatch; ++i)
        BENCH_CHECK(obj->Set(ctx, i, v8::Integer::New(iso, static_cast<int32_t>(i))).FromMaybe(false));
    }
    for (uint32_t base = 0; base < kProps; base += kBatch) {
      v8::HandleScope batch(iso);
      for (uint32_t i = base; i < base + kBatch; ++i) {
        v8::Local<v8::Value> v;
        int32_t n;
        BENCH_CHECK(obj->Get(ctx, i).ToLocal(&v));
        BENCH_CHECK(v->Int32Value(ctx).To(&n));
        BENCH_CHECK(n == static_cast<int32_t>(i));
      }
    }
  }
  return static_cast<double>(bench::now_ns() - t0) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  bench::Options opt = bench::parse_options(argc, argv);
  vh_runtime rt = bench::start_library();
  vh_engine e;
  BENCH_VH(vh_engine_new(rt, nullptr, &e));
  bench::RawIsolate raw;
  v8::Global<v8::Context> ctx;
  bench::raw_context_new(raw.isolate, &ctx);

  // A round is one fixed-size job (1M + 1M); --scale trades rounds instead of work per round.
  bench::Options vopt = opt;
  vopt.rounds = std::max(1, static_cast<int>(std::lround(opt.rounds * std::min(opt.scale, 1.0))));
  vopt.warmup = std::min(opt.warmup, 2);
  bench::run_figure(vopt, {"value_props", "ms", kTarget, [&] { return ours_round(e); },
                           [&] { return raw_round(raw.isolate, ctx); }});

  bench::raw_context_dispose(raw.isolate, &ctx);
  BENCH_VH(vh_engine_dispose(e));
  BENCH_VH(vh_runtime_dispose(rt));
  return 0;
}
