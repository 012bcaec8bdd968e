// Library replacements for builtins whose element loops no stop reaches in V8 10.2.
//
// V8 runs some builtins' loops in C++ or CSA code that never checks its stack guard: no
// termination, deadline or heap-limit stop is seen until the loop ends. Array.prototype.fill on
// a dictionary-mode array (longer than 2^25, or sparse) or on an array-like object loops over
// every index and grows the heap without bound: in a limited runtime the process ends ("Fatal
// javascript OOM in CALL_AND_RETRY_LAST") or the heap grows far past the limit first. And
// String.prototype.split of a string of at least FixedArray::kMaxLength code units into more
// pieces than that ends the process ("invalid array length").
//
// Each engine's context gets, before any script runs in it, a replacement for each builtin of
// the table below: a JavaScript function compiled in that context, whose loops are JavaScript
// loops (V8 checks for interrupts on every back edge), and which holds the realm's own originals
// and helpers, read when the context was made (never the live global). Small and fast cases go
// to the original builtin, in bounded steps. docs/limits.md says what is still out of reach.
//
// The table (keep docs/limits.md and docs/security.md in step):
//   Array.prototype.fill   — spec steps in JS; a genuine Array (not a proxy) filled no further
//                            than index kDelegate goes to the original, the rest is a JS loop.
//   String.prototype.split — a primitive string of at least kMaxElements code units: the pieces
//                            are counted (a JS loop) and more than kMaxElements is a RangeError
//                            "Invalid array length", as V8 reports other array-size limits.
#include "limits/safe_builtins.h"

#include "core/call.h"
#include "core/stop.h"
#include "core/v8_compat.h"

namespace vh {
namespace {

// The installer: a function of the fresh realm's global object and the library's IsArray
// (true only for a genuine Array: a Proxy is not one). It replaces each property, keeping the
// original's attributes, and returns nothing. Strict code: `this` is never coerced.
//
// FixedArray::kMaxLength in a 64-bit V8 is (1 GiB - 16) / 8 = 134217726 elements; an array of
// exactly that size also fails, so the last safe size is one less.
constexpr char kInstaller[] = R"JS((function (global, isArray, heapCheck) {
'use strict';
const ObjectFn = global.Object, TypeErrorFn = global.TypeError, RangeErrorFn = global.RangeError;
const defineProperty = ObjectFn.defineProperty;
const getOwnPropertyDescriptor = ObjectFn.getOwnPropertyDescriptor;
const trunc = global.Math.trunc, apply = global.Reflect.apply;
const FunctionProto = global.Function.prototype;
const uncurry = FunctionProto.bind.bind(FunctionProto.call);
const ArrayProto = global.Array.prototype, StringProto = global.String.prototype;
const originalFill = uncurry(ArrayProto.fill);
const originalSplit = uncurry(StringProto.split);
const stringIndexOf = uncurry(StringProto.indexOf);
const splitSymbol = global.Symbol.split;
const kMaxSafeLength = 9007199254740991;
const kMaxElements = 134217725;
const kDelegate = 4096;
const kSmall = 16;
const kCheckMask = 4095;

function toIntegerOrInfinity(value) {
  const n = +value;
  return n !== n ? 0 : trunc(n) + 0;
}
function relativeIndex(relative, len) {
  if (relative < 0) return len + relative > 0 ? len + relative : 0;
  return relative < len ? relative : len;
}

const table = {
  fill(value, start, end) {
    if (this === undefined || this === null)
      throw new TypeErrorFn('Array.prototype.fill called on null or undefined');
    const O = ObjectFn(this);
    let len = +O.length;
    len = len !== len || len <= 0 ? 0 : len < kMaxSafeLength ? trunc(len) : kMaxSafeLength;
    let k = relativeIndex(toIntegerOrInfinity(start), len);
    const final = relativeIndex(end === undefined ? len : toIntegerOrInfinity(end), len);
    // A genuine Array (reading its length again is not observable, and the original sees
    // numbers only) filled up to index kDelegate: the original, whose work and allocation are
    // then bounded. Past that, V8 grows the backing store to the chunk's end on every call, and
    // in dictionary mode loops unchecked: the JS loop, whose back edges see every stop.
    if (final - k > kSmall && final <= kDelegate && isArray(O)) return originalFill(O, value, k, final);
    // Every kCheckEvery elements, the heap: a dictionary's backing store grows by doubling, and
    // one doubling may need more room than a stop grants to unwind (see heap_check).
    for (let base = -1; k < final; k++) {
      O[k] = value;
      if ((k & kCheckMask) === kCheckMask) base = heapCheck(base);
    }
    return O;
  },
  split(separator, limit) {
    if (typeof this !== 'string' || this.length < kMaxElements) return originalSplit(this, separator, limit);
    const S = this;
    if (separator !== undefined && separator !== null) {
      const splitter = separator[splitSymbol];
      if (splitter !== undefined && splitter !== null) {
        if (typeof splitter !== 'function') throw new TypeErrorFn('Symbol(Symbol.split) is not a function');
        return apply(splitter, separator, [S, limit]);
      }
    }
    const lim = limit === undefined ? 4294967295 : limit >>> 0;
    const R = `${separator}`;
    if (lim === 0) return [];
    if (separator === undefined) return [S];
    let pieces;
    if (R.length === 0) {
      pieces = lim < S.length ? lim : S.length;
    } else {
      pieces = 1;
      for (let at = stringIndexOf(S, R, 0); at !== -1 && pieces < lim && pieces <= kMaxElements;
           at = stringIndexOf(S, R, at + R.length))
        pieces++;
    }
    if (pieces > kMaxElements) throw new RangeErrorFn('Invalid array length');
    return originalSplit(S, R, lim);
  },
};
const homes = [[ArrayProto, 'fill', 1], [StringProto, 'split', 2]];
for (let i = 0; i < homes.length; i++) {
  const home = homes[i][0], name = homes[i][1];
  const replacement = table[name];
  defineProperty(replacement, 'length', {value: homes[i][2]});
  const d = getOwnPropertyDescriptor(home, name);
  d.value = replacement;
  defineProperty(home, name, d);
}
}))JS";

// IsArray without a Proxy: true only for a genuine Array (v8::Value::IsArray is a JSArray check).
void is_array(const v8::FunctionCallbackInfo<v8::Value>& info) {
  info.GetReturnValue().Set(info.Length() > 0 && info[0]->IsArray());
}

// The fill loop's heap check, heapCheck(base) -> base: base is the heap in use when the loop
// first called it (-1 before). V8 grows a dictionary's backing store by doubling, in one
// allocation it must make whole: when the heap the loop grew, taken twice more, no longer fits
// under the configured limit, the script is stopped for the heap limit now (VH_EHEAPLIMIT, seen
// at the loop's next back edge), before a growth step it has no room for ends the process.
void heap_check(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* iso = info.GetIsolate();
  Runtime* rt = runtime_of(iso);
  v8::HeapStatistics s;
  iso->GetHeapStatistics(&s);
  double used = static_cast<double>(s.used_heap_size());
  double base = info.Length() > 0 && info[0]->IsNumber() ? info[0].As<v8::Number>()->Value() : -1;
  if (!(base >= 0)) {
    info.GetReturnValue().Set(used);
    return;
  }
  double grown = used > base ? used - base : 0;
  if (rt && used + 2 * grown > static_cast<double>(rt->heap_limit)) stop_for_heap_limit(rt);
  info.GetReturnValue().Set(base);
}

}  // namespace

int install_safe_builtins(Runtime* rt, v8::Local<v8::Context> ctx) {
  v8::Isolate* iso = rt->isolate;
  v8::HandleScope handles(iso);
  v8::Context::Scope entered(ctx);
  v8::TryCatch quiet(iso);
  v8::Local<v8::String> source, name;
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> installer, ignored;
  v8::Local<v8::Function> check, heap;
  source = v8::String::NewFromUtf8Literal(iso, kInstaller);
  name = v8::String::NewFromUtf8Literal(iso, "v8host:safe-builtins");
  v8::ScriptOrigin origin = compat::script_origin(iso, name);
  if (source.IsEmpty() || !v8::Script::Compile(ctx, source, &origin).ToLocal(&script) ||
      !script->Run(ctx).ToLocal(&installer) || !installer->IsFunction() ||
      !v8::Function::New(ctx, is_array, v8::Local<v8::Value>(), 1, v8::ConstructorBehavior::kThrow,
                         v8::SideEffectType::kHasNoSideEffect)
           .ToLocal(&check) ||
      !v8::Function::New(ctx, heap_check, v8::Local<v8::Value>(), 1, v8::ConstructorBehavior::kThrow)
           .ToLocal(&heap))
    return VH_ENOMEM;
  v8::Local<v8::Value> args[] = {ctx->Global(), check, heap};
  if (!installer.As<v8::Function>()->Call(ctx, v8::Undefined(iso), 3, args).ToLocal(&ignored)) return VH_ENOMEM;
  return VH_OK;
}

void safe_builtins_external_references(std::vector<intptr_t>* out) {
  out->push_back(reinterpret_cast<intptr_t>(is_array));
  out->push_back(reinterpret_cast<intptr_t>(heap_check));
}

}  // namespace vh
