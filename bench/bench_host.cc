// bench_host — what a call from JavaScript into C costs through v8host, against a V8
// FunctionTemplate callback doing the same job. Four figures, each a JS loop of 10M calls per
// round (× --scale) run by one vh_call / Function::Call; unit: ns per call from JS to C.
//
// host_call — a C add(a, b) on the numeric fast path: vh_new_function_numeric(), set as the
//   global `add` of its engine, called as `for (let i = 0; i < n; i++) s = add(s, 1)`; the
//   loop's result (n) is read back and checked.
//     ours: a vh_numeric_function_cb: argc check, *result = args[0] + args[1] (the library checks
//           that both arguments are Numbers and throws a TypeError otherwise)
//     raw:  a FunctionTemplate callback: Length() and IsNumber() checks (a TypeError otherwise),
//           info[i].As<Number>()->Value(), GetReturnValue().Set(double)
// host_call_generic — the same add as a general vh_host_function_cb registered with
//   vh_runtime_global_function(): argc check, vh_value_double(argv[0]), vh_value_double(argv[1]),
//   vh_new_double(info->engine, a + b, result), every value checked; the raw side is the same.
// host_method — a brand-checked prototype method on the native fast path: `last = obj.nget()`
//   in the loop, obj an instance of a host class whose nget() increments and returns a counter
//   in native memory.
//     ours: vh_class_define (Counter, native method nget), instance from vh_class_new_instance;
//           nget(native, ...) sets *result = ++count (the library checks the brand first)
//     raw:  FunctionTemplate with InstanceTemplate internal field count 1, the method a
//           FunctionTemplate with a v8::Signature of the class (V8's brand check), instance from
//           InstanceTemplate()->NewInstance + SetAlignedPointerInInternalField; the callback
//           reads GetAlignedPointerFromInternalField(0), increments, GetReturnValue().Set(int32)
// host_method_generic — the same through a general method get(): vh_class_unwrap(this) +
//   vh_new_int32(++count); the raw side is the same.
//
// Both sides hold their runtime's lock around the round (ours: a vh_scope; raw: Locker,
// Isolate::Scope, HandleScope, Context::Scope) and run the very same JavaScript source. The
// ours side uses only v8host.h.
#include "harness.h"

namespace {

constexpr long kCalls = 10000000;  // JS -> C calls per round (× --scale)
constexpr double kCallTarget = 1.15;
constexpr double kMethodTarget = 1.25;

// The same script on both sides. run_add(n) === n and run_get(n) === n (the counter starts a
// round at 0) are checked from C, so neither loop's result can be optimised away.
const char kScript[] = R"JS(
function run_add(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s = add(s, 1);
  return s;
}
function run_get(n) {
  let last = 0;
  for (let i = 0; i < n; i++) last = obj.get();
  return last;
}
function run_nget(n) {
  let last = 0;
  for (let i = 0; i < n; i++) last = obj.nget();
  return last;
}
)JS";

// ---- ours ----------------------------------------------------------------------------------

// add(a, b) as a user writes it: both arguments must be Numbers.
int vh_add(const vh_call_info* info, vh_value* result) {
  if (info->argc < 2) return VH_EINVAL;
  double a, b;
  int rc = vh_value_double(info->argv[0], &a);
  if (rc != VH_OK) return rc;
  rc = vh_value_double(info->argv[1], &b);
  if (rc != VH_OK) return rc;
  return vh_new_double(info->engine, a + b, result);
}

// add(a, b) on the numeric fast path.
int vh_add_numeric(const double* args, size_t argc, double* result, void*) {
  if (argc < 2) return VH_EINVAL;
  *result = args[0] + args[1];
  return VH_OK;
}

struct Counter {
  int32_t count;
};

// Counter.prototype.nget() on the native fast path.
int vh_counter_nget(void* native, const double*, size_t, double* result, void*) {
  *result = ++static_cast<Counter*>(native)->count;
  return VH_OK;
}

// Counter.prototype.get(): the class handle comes through the class data.
int vh_counter_get(const vh_call_info* info, vh_value* result) {
  const vh_class* cls = static_cast<const vh_class*>(info->data);
  void* native;
  int rc = vh_class_unwrap(info->this_value, *cls, &native);
  if (rc != VH_OK) return rc;
  Counter* c = static_cast<Counter*>(native);
  return vh_new_int32(info->engine, ++c->count, result);
}

// One round: fn(n) through vh_call, checked to return n; ns per JS -> C call.
double ours_round(vh_engine e, vh_ref fn_ref, long n) {
  uint64_t t0 = bench::now_ns();
  vh_scope s;
  BENCH_VH(vh_scope_open(e, &s));
  vh_value fn, arg, out;
  BENCH_VH(vh_ref_get(fn_ref, &fn));
  BENCH_VH(vh_new_double(e, static_cast<double>(n), &arg));
  BENCH_VH(vh_call(e, fn, vh_value{}, 1, &arg, &out));
  double r;
  BENCH_VH(vh_value_double(out, &r));
  BENCH_CHECK(r == static_cast<double>(n));
  BENCH_VH(vh_scope_close(s));
  return static_cast<double>(bench::now_ns() - t0) / static_cast<double>(n);
}


// ---- raw -----------------------------------------------------------------------------------

void raw_throw(const v8::FunctionCallbackInfo<v8::Value>& info, const char* text) {
  v8::Isolate* iso = info.GetIsolate();
  iso->ThrowException(v8::Exception::TypeError(
      v8::String::NewFromUtf8(iso, text, v8::NewStringType::kNormal).ToLocalChecked()));
}

void raw_add(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (info.Length() < 2 || !info[0]->IsNumber() || !info[1]->IsNumber())
    return raw_throw(info, "add: two numbers expected");
  double a = info[0].As<v8::Number>()->Value();
  double b = info[1].As<v8::Number>()->Value();
  info.GetReturnValue().Set(a + b);
}

void raw_counter_get(const v8::FunctionCallbackInfo<v8::Value>& info) {
  // The signature has checked that This() is an instance of the class: it has the field.
  auto* c = static_cast<Counter*>(info.This()->GetAlignedPointerFromInternalField(0));
  if (!c) return raw_throw(info, "Illegal invocation");
  info.GetReturnValue().Set(++c->count);
}

struct RawSide {
  v8::Isolate* iso;
  v8::Global<v8::Context> context;
  v8::Global<v8::Function> run_add, run_get, run_nget;
};

// The raw context: global add (FunctionTemplate), class Counter with a signature-checked
// prototype method get, global obj with counter attached, and the script.
void raw_setup(RawSide* side, Counter* counter) {
  v8::Isolate* iso = side->iso;
  bench::RawLock lock(iso);
  v8::Local<v8::Context> ctx = v8::Context::New(iso);
  BENCH_CHECK(!ctx.IsEmpty());
  v8::Context::Scope context_scope(ctx);
  auto name = [iso](const char* s) {
    return v8::String::NewFromUtf8(iso, s, v8::NewStringType::kInternalized).ToLocalChecked();
  };
  v8::Local<v8::Object> global = ctx->Global();

  v8::Local<v8::Function> add;
  BENCH_CHECK(v8::FunctionTemplate::New(iso, raw_add)->GetFunction(ctx).ToLocal(&add));
  add->SetName(name("add"));
  BENCH_CHECK(global->Set(ctx, name("add"), add).FromMaybe(false));

  v8::Local<v8::FunctionTemplate> cls = v8::FunctionTemplate::New(iso);
  cls->SetClassName(name("Counter"));
  cls->InstanceTemplate()->SetInternalFieldCount(1);
  v8::Local<v8::Signature> brand = v8::Signature::New(iso, cls);
  v8::Local<v8::FunctionTemplate> get = v8::FunctionTemplate::New(
      iso, raw_counter_get, v8::Local<v8::Value>(), brand, 0, v8::ConstructorBehavior::kThrow);
  cls->PrototypeTemplate()->Set(name("get"), get, v8::DontEnum);
  cls->PrototypeTemplate()->Set(name("nget"), get, v8::DontEnum);  // same job under both names
  v8::Local<v8::Object> obj;
  BENCH_CHECK(cls->InstanceTemplate()->NewInstance(ctx).ToLocal(&obj));
  obj->SetAlignedPointerInInternalField(0, counter);
  BENCH_CHECK(global->Set(ctx, name("obj"), obj).FromMaybe(false));

  v8::Local<v8::Script> script;
  BENCH_CHECK(v8::Script::Compile(ctx, name(kScript)).ToLocal(&script));
  BENCH_CHECK(!script->Run(ctx).IsEmpty());
  v8::Local<v8::Value> fn;
  BENCH_CHECK(global->Get(ctx, name("run_add")).ToLocal(&fn) && fn->IsFunction());
  side->run_add.Reset(iso, fn.As<v8::Function>());
  BENCH_CHECK(global->Get(ctx, name("run_get")).ToLocal(&fn) && fn->IsFunction());
  side->run_get.Reset(iso, fn.As<v8::Function>());
  BENCH_CHECK(global->Get(ctx, name("run_nget")).ToLocal(&fn) && fn->IsFunction());
  side->run_nget.Reset(iso, fn.As<v8::Function>());
  side->context.Reset(iso, ctx);
}

double raw_round(const RawSide& side, const v8::Global<v8::Function>& fn, long n) {
  uint64_t t0 = bench::now_ns();
  {
    v8::Isolate* iso = side.iso;
    bench::RawLock lock(iso);
    v8::Local<v8::Context> ctx = side.context.Get(iso);
    v8::Context::Scope context_scope(ctx);
    v8::Local<v8::Value> arg = v8::Number::New(iso, static_cast<double>(n));
    v8::Local<v8::Value> out;
    BENCH_CHECK(fn.Get(iso)->Call(ctx, v8::Undefined(iso), 1, &arg).ToLocal(&out));
    BENCH_CHECK(out->IsNumber() && out.As<v8::Number>()->Value() == static_cast<double>(n));
  }
  return static_cast<double>(bench::now_ns() - t0) / static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
  bench::Options opt = bench::parse_options(argc, argv);
  const long n = opt.ops(kCalls);
  vh_runtime rt = bench::start_library();

  // ours: the general add registered runtime-wide before the engines exist, so both get it at
  // creation; engine ef then replaces its global add with a numeric one.
  BENCH_VH(vh_runtime_global_function(rt, "add", vh_add, nullptr));
  static vh_class counter_class;  // the class data: get() unwraps with it
  vh_method_def methods[] = {{"get", vh_counter_get}};
  vh_native_method_def native_methods[] = {{"nget", vh_counter_nget}};
  vh_class_def def{};
  def.struct_size = sizeof def;
  def.name = "Counter";
  def.methods = methods;
  def.method_count = 1;
  def.native_methods = native_methods;
  def.native_method_count = 1;
  def.data = &counter_class;
  BENCH_VH(vh_class_define(rt, &def, &counter_class));

  vh_engine eg, ef;  // eg: runtime-global add and the Counter instance; ef: numeric add
  BENCH_VH(vh_engine_new(rt, nullptr, &eg));
  BENCH_VH(vh_engine_new(rt, nullptr, &ef));
  Counter ours_counter{0}, raw_counter{0};
  {
    vh_scope s;
    BENCH_VH(vh_scope_open(eg, &s));
    vh_value obj, add;
    BENCH_VH(vh_class_new_instance(eg, counter_class, &ours_counter, &obj));
    BENCH_VH(bench::set_global(eg, "obj", obj));
    BENCH_VH(vh_eval(eg, kScript, VH_AUTO_LENGTH, "bench_host.js", nullptr));
    BENCH_VH(vh_new_function_numeric(ef, "add", vh_add_numeric, nullptr, &add));
    BENCH_VH(bench::set_global(ef, "add", add));
    BENCH_VH(vh_eval(ef, kScript, VH_AUTO_LENGTH, "bench_host.js", nullptr));
    BENCH_VH(vh_scope_close(s));
  }
  vh_ref run_add_g = bench::global_ref(eg, "run_add");
  vh_ref run_add_f = bench::global_ref(ef, "run_add");
  vh_ref run_get = bench::global_ref(eg, "run_get");
  vh_ref run_nget = bench::global_ref(eg, "run_nget");

  bench::RawIsolate raw;
  RawSide side;
  side.iso = raw.isolate;
  raw_setup(&side, &raw_counter);

  bench::run_figure(opt, {"host_call", "ns", kCallTarget,
                          [&] { return ours_round(ef, run_add_f, n); },
                          [&] { return raw_round(side, side.run_add, n); }});
  bench::run_figure(opt, {"host_call_generic", "ns", kCallTarget,
                          [&] { return ours_round(eg, run_add_g, n); },
                          [&] { return raw_round(side, side.run_add, n); }});
  bench::run_figure(opt, {"host_method", "ns", kMethodTarget,
                          [&] {
                            ours_counter.count = 0;
                            return ours_round(eg, run_nget, n);
                          },
                          [&] {
                            raw_counter.count = 0;
                            return raw_round(side, side.run_nget, n);
                          }});
  bench::run_figure(opt, {"host_method_generic", "ns", kMethodTarget,
                          [&] {
                            ours_counter.count = 0;
                            return ours_round(eg, run_get, n);
                          },
                          [&] {
                            raw_counter.count = 0;
                            return raw_round(side, side.run_get, n);
                          }});

  {
    bench::RawLock lock(raw.isolate);
    side.run_add.Reset();
    side.run_get.Reset();
    side.run_nget.Reset();
    side.context.Reset();
  }
  BENCH_VH(vh_ref_dispose(run_add_g));
  BENCH_VH(vh_ref_dispose(run_add_f));
  BENCH_VH(vh_ref_dispose(run_get));
  BENCH_VH(vh_ref_dispose(run_nget));
  BENCH_VH(vh_engine_dispose(ef));
  BENCH_VH(vh_engine_dispose(eg));
  BENCH_VH(vh_runtime_dispose(rt));  // no finalizer: ours_counter is not heap memory
  return 0;
}
