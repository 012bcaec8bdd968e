// bench_copy — the copy (copy.h) against raw V8's ValueSerializer + ValueDeserializer, and
// against the proxy path.
//
// clone_small (ns per copy) — target 1.10. An object of 10 fields (numbers, strings, a boolean,
//   null, a small array, a nested object) of runtime A copied into an engine of runtime B.
//     ours: vh_engine_copy(a, obj, b, NULL, &out).
//     raw:  Context::Scope(ctx A); ValueSerializer(iso A): WriteHeader, WriteValue, Release;
//           Context::Scope(ctx B); ValueDeserializer(iso B): ReadHeader, ReadValue; free().
//   Both sides hold both runtimes for the round (ours: a scope on each; raw: Locker,
//   Isolate::Scope, HandleScope on each); results stay in the round's scope (2,000 per round).
//
// clone_1m_transfer (us per copy) — target 1.10. A new 1 MiB ArrayBuffer of A (made in the op:
//   a transfer detaches it) inside { buf } copied into B with the buffer transferred.
//     ours: vh_new_array_buffer(a, 1 MiB); vh_new_object + vh_set; vh_engine_copy with transfer.
//     raw:  ArrayBuffer::New(iso A, 1 MiB); Object::New + Set; serializer with
//           TransferArrayBuffer; GetBackingStore; Detach; deserializer with TransferArrayBuffer
//           (ArrayBuffer::New(iso B, store)).
//   stderr also shows ours for 64 MiB buffers: the transfer is O(1) in the size.
//
// copy_vs_proxy_1k (us per read-in-full) — target 0.10. A 1,000-element array of A read in full
//   by a script of B (sum of all elements). The array is built with push (packed elements, which
//   V8's serializer writes densely; a holey array such as Array.from({ length: 1000 }, f) takes
//   its per-property sparse format: 205 us instead of 62 us per copy and sum, measured 2026-12-05).
//     ours ("copy"):  vh_engine_copy(a, arr, b) then sum(copy) in B.
//     raw ("proxy"): vh_pass(b, arr) (a host proxy) then sum(proxy) in B: one crossing per
//                    element. The "raw" column is the library's own proxy path here, not V8.
//   ratio = copy / proxy: the copy must be at least 10 times faster.
#include <cmath>

#include "harness.h"

namespace {

// Copies per round. Every result stays alive in the round's scope (ours) or HandleScope (raw)
// until the round ends; at 20,000 per round the garbage collector's work on those dominated
// both sides unevenly (6.9 vs 4.7 us per copy, where perf showed the two call paths at 41 % and
// 40 % of the samples); at 2,000 the two sides' medians agree within a few per cent.
constexpr long kSmallOps = 2000;
constexpr long kTransferOps = 2000;
constexpr long kReadOps = 200;
constexpr size_t kMiB = 1 << 20;
constexpr const char* kSmall =
    "({ a: 1, b: 2.5, c: 'three', d: true, e: null, f: [1, 2, 3], g: { h: 'i' }, j: -7,"
    "   k: 'a longer string value', l: 1e10 })";
constexpr const char* kSum = "function sum(a) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; }";

struct Pair {
  vh_engine a, b;
};

// Ours and raw, both runtimes held for a round.
struct OursRound {
  vh_scope sa, sb;
  explicit OursRound(const Pair& p) {
    BENCH_VH(vh_scope_open(p.a, &sa));
    BENCH_VH(vh_scope_open(p.b, &sb));
  }
  ~OursRound() {
    vh_scope_close(sb);
    vh_scope_close(sa);
  }
};

class NullDelegate final : public v8::ValueSerializer::Delegate {
 public:
  void ThrowDataCloneError(v8::Local<v8::String> message) override {
    v8::Isolate::GetCurrent()->ThrowException(v8::Exception::Error(message));
  }
};

v8::Local<v8::Value> raw_eval(v8::Isolate* iso, v8::Local<v8::Context> ctx, const char* src) {
  v8::Context::Scope cs(ctx);
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> v;
  BENCH_CHECK(v8::Script::Compile(ctx, v8::String::NewFromUtf8(iso, src).ToLocalChecked()).ToLocal(&script));
  BENCH_CHECK(script->Run(ctx).ToLocal(&v));
  return v;
}

// One raw structured clone from (iso_a, ctx_a) into (iso_b, ctx_b), optionally transferring ab.
v8::Local<v8::Value> raw_clone(v8::Isolate* ia, v8::Local<v8::Context> ca, v8::Isolate* ib,
                               v8::Local<v8::Context> cb, v8::Local<v8::Value> v,
                               v8::Local<v8::ArrayBuffer> transfer = {}) {
  std::pair<uint8_t*, size_t> bytes;
  std::shared_ptr<v8::BackingStore> store;
  {
    v8::Isolate::Scope is(ia);
    v8::Context::Scope cs(ca);
    NullDelegate d;
    v8::ValueSerializer ser(ia, &d);
    if (!transfer.IsEmpty()) ser.TransferArrayBuffer(0, transfer);
    ser.WriteHeader();
    BENCH_CHECK(ser.WriteValue(ca, v).FromMaybe(false));
    bytes = ser.Release();
    if (!transfer.IsEmpty()) {
      store = transfer->GetBackingStore();
      transfer->Detach();
    }
  }
  v8::Local<v8::Value> out;
  {
    v8::Isolate::Scope is(ib);
    v8::Context::Scope cs(cb);
    v8::ValueDeserializer des(ib, bytes.first, bytes.second);
    if (store) des.TransferArrayBuffer(0, v8::ArrayBuffer::New(ib, store));
    BENCH_CHECK(des.ReadHeader(cb).FromMaybe(false));
    BENCH_CHECK(des.ReadValue(cb).ToLocal(&out));
  }
  std::free(bytes.first);
  return out;
}

void clone_small(const bench::Options& opt, const Pair& p, bench::RawIsolate& ra, bench::RawIsolate& rb) {
  const long ops = opt.ops(kSmallOps);
  v8::Global<v8::Context> ga, gb;
  bench::raw_context_new(ra.isolate, &ga);
  bench::raw_context_new(rb.isolate, &gb);
  bench::Figure f{
      "clone_small", "ns", 1.10,
      [&] {
        OursRound r(p);
        vh_value obj, out;
        BENCH_VH(vh_eval(p.a, kSmall, VH_AUTO_LENGTH, "small.js", &obj));
        return bench::time_per_op(ops, "ns", [&](long) { BENCH_VH(vh_engine_copy(p.a, obj, p.b, nullptr, &out)); });
      },
      [&] {
        bench::RawLock la(ra.isolate);
        bench::RawLock lb(rb.isolate);
        v8::Local<v8::Context> ca = ga.Get(ra.isolate), cb = gb.Get(rb.isolate);
        v8::Local<v8::Value> obj = raw_eval(ra.isolate, ca, kSmall);
        return bench::time_per_op(ops, "ns", [&](long) { raw_clone(ra.isolate, ca, rb.isolate, cb, obj); });
      }};
  bench::run_figure(opt, f);
  bench::raw_context_dispose(ra.isolate, &ga);
  bench::raw_context_dispose(rb.isolate, &gb);
}

double ours_transfer(const Pair& p, long ops, size_t bytes) {
  OursRound r(p);
  return bench::time_per_op(ops, "us", [&](long) {
    vh_scope s;
    BENCH_VH(vh_scope_open(p.a, &s));
    vh_value ab, wrap, out;
    BENCH_VH(vh_new_array_buffer(p.a, bytes, nullptr, &ab));
    BENCH_VH(vh_new_object(p.a, &wrap));
    BENCH_VH(vh_set(p.a, wrap, "buf", ab));
    vh_copy_options o;
    vh_copy_options_init(&o);
    o.transfer = &ab;
    o.transfer_count = 1;
    BENCH_VH(vh_engine_copy(p.a, wrap, p.b, &o, &out));
    BENCH_VH(vh_scope_close(s));
  });
}

void clone_1m_transfer(const bench::Options& opt, const Pair& p, bench::RawIsolate& ra, bench::RawIsolate& rb) {
  const long ops = opt.ops(kTransferOps);
  v8::Global<v8::Context> ga, gb;
  bench::raw_context_new(ra.isolate, &ga);
  bench::raw_context_new(rb.isolate, &gb);
  bench::Figure f{
      "clone_1m_transfer", "us", 1.10, [&] { return ours_transfer(p, ops, kMiB); },
      [&] {
        bench::RawLock la(ra.isolate);
        bench::RawLock lb(rb.isolate);
        v8::Local<v8::Context> ca = ga.Get(ra.isolate), cb = gb.Get(rb.isolate);
        v8::Local<v8::String> key = v8::String::NewFromUtf8Literal(ra.isolate, "buf");
        return bench::time_per_op(ops, "us", [&](long) {
          v8::HandleScope ha(ra.isolate);
          v8::HandleScope hb(rb.isolate);
          v8::Local<v8::ArrayBuffer> ab;
          v8::Local<v8::Object> wrap;
          {
            v8::Isolate::Scope is(ra.isolate);  // rb was entered last
            v8::Context::Scope cs(ca);
            ab = v8::ArrayBuffer::New(ra.isolate, kMiB);
            wrap = v8::Object::New(ra.isolate);
            BENCH_CHECK(wrap->Set(ca, key, ab).FromMaybe(false));
          }
          raw_clone(ra.isolate, ca, rb.isolate, cb, wrap, ab);
        });
      }};
  if (!opt.wants(f.name)) return;
  bench::run_figure(opt, f);
  double one = ours_transfer(p, ops, kMiB), big = ours_transfer(p, ops, 64 * kMiB);
  std::fprintf(stderr, "# clone_1m_transfer: ours %.2f us for 1 MiB, %.2f us for 64 MiB (x%.2f for 64x the bytes)\n",
               one, big, big / one);
  bench::raw_context_dispose(ra.isolate, &ga);
  bench::raw_context_dispose(rb.isolate, &gb);
}

void copy_vs_proxy(const bench::Options& opt, const Pair& p) {
  const long ops = opt.ops(kReadOps);
  {
    vh_scope s;
    vh_value ignored;
    BENCH_VH(vh_scope_open(p.b, &s));
    BENCH_VH(vh_eval(p.b, kSum, VH_AUTO_LENGTH, "sum.js", &ignored));
    BENCH_VH(vh_scope_close(s));
  }
  vh_ref sum_ref = bench::global_ref(p.b, "sum");
  auto read_all = [&](bool copy) {
    OursRound r(p);
    vh_value arr, sum, result;
    BENCH_VH(vh_eval(p.a, "(() => { const a = []; for (let i = 0; i < 1000; i++) a.push(i); return a; })()", VH_AUTO_LENGTH, "arr.js", &arr));
    BENCH_VH(vh_ref_get(sum_ref, &sum));
    return bench::time_per_op(ops, "us", [&](long) {
      vh_scope s;
      BENCH_VH(vh_scope_open(p.b, &s));
      vh_value there;
      if (copy)
        BENCH_VH(vh_engine_copy(p.a, arr, p.b, nullptr, &there));
      else
        BENCH_VH(vh_pass(p.b, arr, &there, nullptr));
      BENCH_VH(vh_call(p.b, sum, vh_value{}, 1, &there, &result));
      double got;
      BENCH_VH(vh_value_double(result, &got));
      BENCH_CHECK(got == 499500);
      BENCH_VH(vh_scope_close(s));
    });
  };
  bench::Figure f{"copy_vs_proxy_1k", "us", 0.10, [&] { return read_all(true); }, [&] { return read_all(false); }};
  bench::run_figure(opt, f);
  BENCH_VH(vh_ref_dispose(sum_ref));
}

}  // namespace

int main(int argc, char** argv) {
  bench::Options opt = bench::parse_options(argc, argv);
  vh_runtime rt_a = bench::start_library();
  vh_runtime rt_b;
  BENCH_VH(vh_runtime_new(nullptr, &rt_b));
  Pair p;
  BENCH_VH(vh_engine_new(rt_a, nullptr, &p.a));
  BENCH_VH(vh_engine_new(rt_b, nullptr, &p.b));
  copy_vs_proxy(opt, p);  // needs no raw isolate
  {
    bench::RawIsolate ra, rb;
    clone_small(opt, p, ra, rb);
    clone_1m_transfer(opt, p, ra, rb);
  }
  BENCH_VH(vh_runtime_dispose(rt_b));
  BENCH_VH(vh_runtime_dispose(rt_a));
  return 0;
}
