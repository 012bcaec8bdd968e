// bench_buffers — host memory (buffer.h) against raw V8.
//
// buffer_fill_1m (us per op) — target 1.05. The host makes a 1 MiB ArrayBuffer, fills it in
//   place from C (byte i = i * 7 mod 256) and calls a script function that sums its bytes
//   through a Uint8Array; the sum is checked.
//     ours: vh_scope_open; vh_new_array_buffer(e, 1 MiB, &data, &ab); the fill; vh_call(sum,
//           ab); vh_value_double; vh_scope_close.
//     raw:  HandleScope; ArrayBuffer::New(iso, 1 MiB); GetBackingStore()->Data(); the fill;
//           Function::Call(sum, ab); Value::NumberValue — in a context entered for the round.
//   Both sides hold their runtime's lock for the whole round (ours: an outer vh_scope; raw:
//   Locker, Isolate::Scope, HandleScope, Context::Scope) and use the same script text, so the
//   figure is what the library adds to moving 1 MiB from C into script: without buffer.h the
//   host had to go through vh_set_index per byte or a string (issue 14: 388 ms and 37 ms).
#include "harness.h"

namespace {

constexpr size_t kBytes = 1 << 20;
constexpr long kOps = 10;  // per round (× --scale); one op is about a millisecond
constexpr double kTarget = 1.05;
constexpr const char* kSumSource =
    "function sum(ab) {"
    "  const u = new Uint8Array(ab); let s = 0;"
    "  for (let i = 0; i < u.length; i++) s += u[i];"
    "  return s;"
    "}";

void fill(void* data) {
  unsigned char* p = static_cast<unsigned char*>(data);
  for (size_t i = 0; i < kBytes; ++i) p[i] = static_cast<unsigned char>(i * 7);
}

double expected_sum() {
  double s = 0;
  for (size_t i = 0; i < kBytes; ++i) s += static_cast<unsigned char>(i * 7);
  return s;
}

void buffer_fill_figure(const bench::Options& opt, vh_runtime rt, bench::RawIsolate& raw) {
  const long ops = opt.ops(kOps);
  const double want = expected_sum();

  vh_engine e;
  BENCH_VH(vh_engine_new(rt, nullptr, &e));
  {
    vh_scope s;
    BENCH_VH(vh_scope_open(e, &s));
    vh_value ignored;
    BENCH_VH(vh_eval(e, kSumSource, VH_AUTO_LENGTH, "sum.js", &ignored));
    BENCH_VH(vh_scope_close(s));
  }
  vh_ref sum_ref = bench::global_ref(e, "sum");

  v8::Isolate* iso = raw.isolate;
  v8::Global<v8::Context> raw_ctx;
  v8::Global<v8::Function> raw_sum;
  bench::raw_context_new(iso, &raw_ctx);
  {
    bench::RawLock lock(iso);
    v8::Local<v8::Context> ctx = raw_ctx.Get(iso);
    v8::Context::Scope cs(ctx);
    v8::Local<v8::Script> script;
    BENCH_CHECK(v8::Script::Compile(ctx, v8::String::NewFromUtf8(iso, kSumSource).ToLocalChecked())
                    .ToLocal(&script));
    BENCH_CHECK(!script->Run(ctx).IsEmpty());
    v8::Local<v8::Value> fn;
    BENCH_CHECK(ctx->Global()->Get(ctx, v8::String::NewFromUtf8Literal(iso, "sum")).ToLocal(&fn));
    raw_sum.Reset(iso, fn.As<v8::Function>());
  }

  bench::Figure f{
      "buffer_fill_1m", "us", kTarget,
      [&] {
        vh_scope outer;
        BENCH_VH(vh_scope_open(e, &outer));
        vh_value sum;
        BENCH_VH(vh_ref_get(sum_ref, &sum));
        double us = bench::time_per_op(ops, "us", [&](long) {
          vh_scope s;
          BENCH_VH(vh_scope_open(e, &s));
          void* data;
          vh_value ab, result;
          BENCH_VH(vh_new_array_buffer(e, kBytes, &data, &ab));
          fill(data);
          BENCH_VH(vh_call(e, sum, vh_value{}, 1, &ab, &result));
          double got;
          BENCH_VH(vh_value_double(result, &got));
          BENCH_CHECK(got == want);
          BENCH_VH(vh_scope_close(s));
        });
        BENCH_VH(vh_scope_close(outer));
        return us;
      },
      [&] {
        bench::RawLock lock(iso);
        v8::Local<v8::Context> ctx = raw_ctx.Get(iso);
        v8::Context::Scope cs(ctx);
        v8::Local<v8::Function> sum = raw_sum.Get(iso);
        return bench::time_per_op(ops, "us", [&](long) {
          v8::HandleScope hs(iso);
          v8::Local<v8::ArrayBuffer> ab = v8::ArrayBuffer::New(iso, kBytes);
          fill(ab->GetBackingStore()->Data());
          v8::Local<v8::Value> arg = ab, result;
          BENCH_CHECK(sum->Call(ctx, v8::Undefined(iso), 1, &arg).ToLocal(&result));
          BENCH_CHECK(result->NumberValue(ctx).FromJust() == want);
        });
      }};
  bench::run_figure(opt, f);
  BENCH_VH(vh_ref_dispose(sum_ref));
  raw_sum.Reset();
  bench::raw_context_dispose(iso, &raw_ctx);
}

}  // namespace

int main(int argc, char** argv) {
  bench::Options opt = bench::parse_options(argc, argv);
  vh_runtime rt = bench::start_library();
  {
    bench::RawIsolate raw;
    buffer_fill_figure(opt, rt, raw);
  }
  BENCH_VH(vh_runtime_dispose(rt));
  return 0;
}
