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
//   Array.prototype.sort   — the spec's collection (holes skipped) and write-back are JS loops;
//                            the collected values (at most kMaxElements, else a RangeError) are
//                            sorted by the original on a fresh prototype-less genuine Array.
//   Array.prototype indexOf, lastIndexOf, includes, join, reverse, forEach, every, reduce
//                          — spec steps in JS; a genuine Array of at most kDelegate elements (its
//                            length unchanged by the arguments' conversion) goes to the original
//                            with the converted arguments, the rest is a JS loop.
#include "limits/safe_builtins.h"
#include "limits/limits.h"

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
const trunc = global.Math.trunc, apply = global.Reflect.apply;
const FunctionProto = global.Function.prototype;
const uncurry = FunctionProto.bind.bind(FunctionProto.call);
const ArrayProto = global.Array.prototype, StringProto = global.String.prototype;
const originalFill = uncurry(ArrayProto.fill);
const originalSplit = uncurry(StringProto.split);
const originalSort = uncurry(ArrayProto.sort);
const originalIndexOf = uncurry(ArrayProto.indexOf);
const originalLastIndexOf = uncurry(ArrayProto.lastIndexOf);
const originalIncludes = uncurry(ArrayProto.includes);
const originalJoin = uncurry(ArrayProto.join);
const originalReverse = uncurry(ArrayProto.reverse);
const originalForEach = uncurry(ArrayProto.forEach);
const originalEvery = uncurry(ArrayProto.every);
const originalReduce = uncurry(ArrayProto.reduce);
const callFn = uncurry(FunctionProto.call);
const setPrototypeOf = ObjectFn.setPrototypeOf;
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
// ToObject(this), with V8's message for null and undefined.
function toObject(value, name) {
  if (value === undefined || value === null)
    throw new TypeErrorFn('Array.prototype.' + name + ' called on null or undefined');
  return ObjectFn(value);
}
// LengthOfArrayLike: one read of length, ToLength.
function lengthOf(O) {
  const len = +O.length;
  return len !== len || len <= 0 ? 0 : len < kMaxSafeLength ? trunc(len) : kMaxSafeLength;
}
// The original may have the work when O is a genuine Array (not a proxy: its length is a data
// property, so reading it again is not observable) no longer than kDelegate, and still of the
// length the replacement read (a conversion in between may have changed it).
function delegate(O, len) {
  return len <= kDelegate && isArray(O) && O.length === len;
}
function requireCallable(fn) {
  if (typeof fn !== 'function') throw new TypeErrorFn(`${typeof fn} is not a function`);
}

const table = {
  fill(value, start = undefined, end = undefined) {
    const O = toObject(this, 'fill');
    const len = lengthOf(O);
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
  // 23.1.3.30. The collection (SortIndexedProperties, holes skipped) and the write-back are JS
  // loops; the collected values are sorted by the original on a fresh genuine Array with no
  // prototype (no inherited setter or element sees it), which holds at most kMaxElements.
  sort(comparefn) {
    if (comparefn !== undefined && typeof comparefn !== 'function')
      throw new TypeErrorFn('The comparison function must be either a function or undefined');
    const O = toObject(this, 'sort');
    const len = lengthOf(O);
    if (len <= kDelegate && isArray(O)) return originalSort(O, comparefn);
    const items = [];
    setPrototypeOf(items, null);
    let n = 0, base = -1;
    for (let k = 0; k < len; k++) {
      if (k in O) {
        if (n === kMaxElements) throw new RangeErrorFn('Invalid array length');
        items[n++] = O[k];
      }
      if ((k & kCheckMask) === kCheckMask) base = heapCheck(base);
    }
    originalSort(items, comparefn);
    let j = 0;
    for (; j < n; j++) {
      O[j] = items[j];
      if ((j & kCheckMask) === kCheckMask) base = heapCheck(base);
    }
    for (; j < len; j++) delete O[j];
    return O;
  },
  // 23.1.3.14
  indexOf(searchElement, fromIndex = undefined) {
    const O = toObject(this, 'indexOf');
    const len = lengthOf(O);
    if (len === 0) return -1;
    let k = relativeIndex(toIntegerOrInfinity(fromIndex), len);
    if (delegate(O, len)) return originalIndexOf(O, searchElement, k);
    for (; k < len; k++)
      if (k in O && O[k] === searchElement) return k;
    return -1;
  },
  // 23.1.3.17
  lastIndexOf(searchElement, fromIndex = undefined) {
    const O = toObject(this, 'lastIndexOf');
    const len = lengthOf(O);
    if (len === 0) return -1;
    const n = arguments.length > 1 ? toIntegerOrInfinity(fromIndex) : len - 1;
    let k = n >= 0 ? (n < len - 1 ? n : len - 1) : len + n;
    if (k < 0) return -1;
    if (delegate(O, len)) return originalLastIndexOf(O, searchElement, k);
    for (; k >= 0; k--)
      if (k in O && O[k] === searchElement) return k;
    return -1;
  },
  // 23.1.3.13: every element read (no HasProperty), SameValueZero.
  includes(searchElement, fromIndex = undefined) {
    const O = toObject(this, 'includes');
    const len = lengthOf(O);
    if (len === 0) return false;
    let k = relativeIndex(toIntegerOrInfinity(fromIndex), len);
    if (delegate(O, len)) return originalIncludes(O, searchElement, k);
    const nan = searchElement !== searchElement;
    for (; k < len; k++) {
      const element = O[k];
      if (element === searchElement || (nan && element !== element)) return true;
    }
    return false;
  },
  // 23.1.3.16, with V8's own limit: a length over 2^32 - 1 is a TypeError, before the
  // separator's conversion.
  join(separator) {
    const O = toObject(this, 'join');
    const len = lengthOf(O);
    if (len > 4294967295) throw new TypeErrorFn('Invalid array length');
    const sep = separator === undefined ? ',' : `${separator}`;
    if (delegate(O, len)) return originalJoin(O, sep);
    let R = '';
    for (let k = 0; k < len; k++) {
      if (k > 0) R += sep;
      const element = O[k];
      if (element !== undefined && element !== null) R += `${element}`;
    }
    return R;
  },
  // 23.1.3.25
  reverse() {
    const O = toObject(this, 'reverse');
    const len = lengthOf(O);
    if (delegate(O, len)) return originalReverse(O);
    const middle = trunc(len / 2);
    for (let lower = 0; lower !== middle; lower++) {
      const upper = len - lower - 1;
      const lowerExists = lower in O;
      const lowerValue = lowerExists ? O[lower] : undefined;
      const upperExists = upper in O;
      const upperValue = upperExists ? O[upper] : undefined;
      if (lowerExists && upperExists) {
        O[lower] = upperValue;
        O[upper] = lowerValue;
      } else if (upperExists) {
        O[lower] = upperValue;
        delete O[upper];
      } else if (lowerExists) {
        delete O[lower];
        O[upper] = lowerValue;
      }
    }
    return O;
  },
  // 23.1.3.15
  forEach(callbackfn, thisArg = undefined) {
    const O = toObject(this, 'forEach');
    const len = lengthOf(O);
    requireCallable(callbackfn);
    if (delegate(O, len)) return originalForEach(O, callbackfn, thisArg);
    for (let k = 0; k < len; k++)
      if (k in O) callFn(callbackfn, thisArg, O[k], k, O);
    return undefined;
  },
  // 23.1.3.6
  every(callbackfn, thisArg = undefined) {
    const O = toObject(this, 'every');
    const len = lengthOf(O);
    requireCallable(callbackfn);
    if (delegate(O, len)) return originalEvery(O, callbackfn, thisArg);
    for (let k = 0; k < len; k++)
      if (k in O && !callFn(callbackfn, thisArg, O[k], k, O)) return false;
    return true;
  },
  // 23.1.3.24
  reduce(callbackfn, initialValue = undefined) {
    const O = toObject(this, 'reduce');
    const len = lengthOf(O);
    requireCallable(callbackfn);
    if (delegate(O, len)) return arguments.length > 1 ? originalReduce(O, callbackfn, initialValue)
                                                      : originalReduce(O, callbackfn);
    let k = 0, accumulator;
    if (arguments.length > 1) {
      accumulator = initialValue;
    } else {
      let present = false;
      for (; !present && k < len; k++) {
        present = k in O;
        if (present) accumulator = O[k];
      }
      if (!present) throw new TypeErrorFn('Reduce of empty array with no initial value');
    }
    for (; k < len; k++)
      if (k in O) accumulator = callFn(callbackfn, undefined, accumulator, O[k], k, O);
    return accumulator;
  },
  split(separator, limit) {
    // A primitive string shorter than V8's largest array, and null or undefined (V8's own
    // TypeError): the original. Anything else (a huge string, a String object or any other
    // receiver, whose string may be huge too) takes the spec's steps here.
    if ((typeof this === 'string' && this.length < kMaxElements) || this === undefined || this === null)
      return originalSplit(this, separator, limit);
    const O = this;
    if (separator !== undefined && separator !== null) {
      const splitter = separator[splitSymbol];
      if (splitter !== undefined && splitter !== null) {
        if (typeof splitter !== 'function') throw new TypeErrorFn('Symbol(Symbol.split) is not a function');
        return apply(splitter, separator, [O, limit]);
      }
    }
    const S = `${O}`;
    const lim = limit === undefined ? 4294967295 : limit >>> 0;
    const R = `${separator}`;
    if (lim === 0) return [];
    if (separator === undefined) return [S];
    if (S.length < kMaxElements) return originalSplit(S, R, lim);
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
// Plain assignments: each property is an own writable data property of the fresh realm, so its
// attributes stay; each function's length is its parameters before the first default.
ArrayProto.fill = table.fill;
StringProto.split = table.split;
ArrayProto.sort = table.sort;
ArrayProto.indexOf = table.indexOf;
ArrayProto.lastIndexOf = table.lastIndexOf;
ArrayProto.includes = table.includes;
ArrayProto.join = table.join;
ArrayProto.reverse = table.reverse;
ArrayProto.forEach = table.forEach;
ArrayProto.every = table.every;
ArrayProto.reduce = table.reduce;
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

int install_safe_builtins(Runtime* rt, v8::Local<v8::Context> ctx, bool keep_compiled) {
  v8::Isolate* iso = rt->isolate;
  v8::HandleScope handles(iso);
  v8::Context::Scope entered(ctx);
  v8::TryCatch quiet(iso);
  v8::Local<v8::UnboundScript> unbound;
  v8::Local<v8::Value> installer, ignored;
  v8::Local<v8::Function> check, heap;
  // Compiled once per runtime: V8's compilation cache would find it again, but only after
  // hashing the whole source on every lookup, and a full collection empties that cache.
  if (!rt->limits->safe_builtins.IsEmpty()) {
    unbound = rt->limits->safe_builtins.Get(iso);
  } else {
    v8::Local<v8::String> source = v8::String::NewFromUtf8Literal(iso, kInstaller);
    v8::Local<v8::String> name = v8::String::NewFromUtf8Literal(iso, "v8host:safe-builtins");
    v8::ScriptOrigin origin = compat::script_origin(iso, name);
    v8::ScriptCompiler::Source compiled(source, origin);
    if (!v8::ScriptCompiler::CompileUnboundScript(iso, &compiled).ToLocal(&unbound)) return VH_ENOMEM;
    if (keep_compiled) rt->limits->safe_builtins.Reset(iso, unbound);
  }
  if (!unbound->BindToCurrentContext()->Run(ctx).ToLocal(&installer) || !installer->IsFunction() ||
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
