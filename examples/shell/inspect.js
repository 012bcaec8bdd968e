// inspect.js — how the v8host-shell prompt prints values: node's util.inspect layout (depth 2,
// lines of at most 80 columns, arrays of more than six short items in columns, <ref *1> and
// [Circular *1]), written for the shell. The shell embeds this file as a C string and evaluates
// it when it makes an engine, before any user script runs: every intrinsic it uses is captured
// then, so a script that replaces Object.keys, Array.prototype.join, Map.prototype.get or the
// like cannot change or break what the prompt prints. Lists are arrays with a null prototype
// (no inherited index setters run). What JavaScript cannot tell (a promise's state, a proxy, an
// object's brand) the host passes in as functions: host.kind(v) and host.promise(v).
(function (host) {
  'use strict';
  const uncurry = Function.prototype.bind.bind(Function.prototype.call);
  const ObjectGetPrototypeOf = Object.getPrototypeOf;
  const ObjectSetPrototypeOf = Object.setPrototypeOf;
  const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const ReflectOwnKeys = Reflect.ownKeys;
  const ObjectPrototypePropertyIsEnumerable = uncurry(Object.prototype.propertyIsEnumerable);
  const ObjectPrototypeHasOwnProperty = uncurry(Object.prototype.hasOwnProperty);
  const FunctionPrototypeToString = uncurry(Function.prototype.toString);
  const StringPrototypeCharCodeAt = uncurry(String.prototype.charCodeAt);
  const StringPrototypeSlice = uncurry(String.prototype.slice);
  const StringPrototypeIndexOf = uncurry(String.prototype.indexOf);
  const StringFromCharCode = String.fromCharCode;
  const String_ = String;
  const NumberToString = uncurry(Number.prototype.toString);
  const NumberValueOf = uncurry(Number.prototype.valueOf);
  const StringValueOf = uncurry(String.prototype.valueOf);
  const BooleanValueOf = uncurry(Boolean.prototype.valueOf);
  const BigIntValueOf = uncurry(BigInt.prototype.valueOf);
  const BigIntToString = uncurry(BigInt.prototype.toString);
  const SymbolValueOf = uncurry(Symbol.prototype.valueOf);
  const SymbolToString = uncurry(Symbol.prototype.toString);
  const DateGetTime = uncurry(Date.prototype.getTime);
  const DateToISOString = uncurry(Date.prototype.toISOString);
  const RegExpToString = uncurry(RegExp.prototype.toString);
  const ErrorToString = uncurry(Error.prototype.toString);
  const MathSqrt = Math.sqrt, MathRound = Math.round, MathFloor = Math.floor;
  const MathMin = Math.min, MathMax = Math.max;
  const NumberIsNaN = Number.isNaN;
  const MapCtor = Map;
  const MapGet = uncurry(Map.prototype.get), MapSet = uncurry(Map.prototype.set);
  const MapHas = uncurry(Map.prototype.has), MapDelete = uncurry(Map.prototype.delete);
  const MapSize = uncurry(ObjectGetOwnPropertyDescriptor(Map.prototype, 'size').get);
  const SetSize = uncurry(ObjectGetOwnPropertyDescriptor(Set.prototype, 'size').get);
  const MapEntries = uncurry(Map.prototype.entries);
  const SetValues = uncurry(Set.prototype.values);
  const MapIteratorNext = uncurry(ObjectGetPrototypeOf(new Map().entries()).next);
  const SetIteratorNext = uncurry(ObjectGetPrototypeOf(new Set().values()).next);
  const TypedArrayPrototype = ObjectGetPrototypeOf(Uint8Array.prototype);
  const TypedArrayLength = uncurry(ObjectGetOwnPropertyDescriptor(TypedArrayPrototype, 'length').get);
  const TypedArrayTag = uncurry(ObjectGetOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag).get);
  const ArrayBufferByteLength = uncurry(ObjectGetOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get);
  const SharedArrayBufferByteLength = typeof SharedArrayBuffer === 'function' ?
    uncurry(ObjectGetOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get) : null;
  const DataViewByteLength = uncurry(ObjectGetOwnPropertyDescriptor(DataView.prototype, 'byteLength').get);
  const DataViewByteOffset = uncurry(ObjectGetOwnPropertyDescriptor(DataView.prototype, 'byteOffset').get);
  const DataViewBuffer = uncurry(ObjectGetOwnPropertyDescriptor(DataView.prototype, 'buffer').get);
  const Uint8ArrayCtor = Uint8Array;
  const TypedArrayBuffer = uncurry(ObjectGetOwnPropertyDescriptor(TypedArrayPrototype, 'buffer').get);
  const WeakMapHas = uncurry(WeakMap.prototype.has), WeakSetHas = uncurry(WeakSet.prototype.has);
  const AsyncFunctionPrototype = ObjectGetPrototypeOf(async function () {});
  const GeneratorFunctionPrototype = ObjectGetPrototypeOf(function* () {});
  const AsyncGeneratorFunctionPrototype = ObjectGetPrototypeOf(async function* () {});
  const ArrayIsArray = Array.isArray;
  const hostKind = host.kind, hostPromise = host.promise;
  // host.kind(v) bits (shell_inspect.c says the same).
  const K_PROMISE = 1, K_PROXY = 2, K_MAP = 4, K_SET = 8, K_ERROR = 16, K_ARRAY_BUFFER = 32,
    K_SHARED_ARRAY_BUFFER = 64, K_TYPED_ARRAY = 128, K_DATA_VIEW = 256, K_DATE = 512,
    K_REGEXP = 1024;

  const HEX = '0123456789ABCDEF';
  const list = () => ObjectSetPrototypeOf([], null);
  const push = (a, x) => { a[a.length] = x; };
  const join = (a, sep) => {
    let s = '';
    for (let i = 0; i < a.length; i++) s += (i ? sep : '') + a[i];
    return s;
  };
  const repeat = (s, n) => { let r = ''; while (n-- > 0) r += s; return r; };
  const tryCall = (f, v) => { try { f(v); return true; } catch { return false; } };

  const STYLES = {
    special: [36, 39], number: [33, 39], bigint: [33, 39], boolean: [33, 39],
    undefined: [90, 39], null: [1, 22], string: [32, 39], symbol: [32, 39], date: [35, 39],
    regexp: [31, 39], module: [4, 24],
  };
  function stylize(ctx, text, style) {
    if (!ctx.colors) return text;
    const s = STYLES[style];
    return '\x1b[' + s[0] + 'm' + text + '\x1b[' + s[1] + 'm';
  }
  // The printed width: without colour codes.
  function width(s) {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      if (StringPrototypeCharCodeAt(s, i) === 27) {
        while (i < s.length && StringPrototypeCharCodeAt(s, i) !== 109) i++;  // up to 'm'
      } else {
        n++;
      }
    }
    return n;
  }

  // Quotes as node does: single quotes, unless the text holds one and no double quote (then
  // double quotes), or holds both and no backtick (then backticks).
  function quote(s) {
    let q = 39;
    if (StringPrototypeIndexOf(s, "'") !== -1) {
      if (StringPrototypeIndexOf(s, '"') === -1) q = 34;
      else if (StringPrototypeIndexOf(s, '`') === -1 && StringPrototypeIndexOf(s, '${') === -1) q = 96;
    }
    let out = StringFromCharCode(q);
    for (let i = 0; i < s.length; i++) {
      const c = StringPrototypeCharCodeAt(s, i);
      if (c === q || c === 92) out += '\\' + StringFromCharCode(c);
      else if (c === 10) out += '\\n';
      else if (c === 9) out += '\\t';
      else if (c === 13) out += '\\r';
      else if (c === 8) out += '\\b';
      else if (c === 12) out += '\\f';
      else if (c === 11) out += '\\v';
      else if (c < 32 || c === 127) out += '\\x' + HEX[c >> 4] + HEX[c & 15];
      else out += StringFromCharCode(c);
    }
    return out + StringFromCharCode(q);
  }

  function isIdentifier(s) {
    if (s.length === 0) return false;
    for (let i = 0; i < s.length; i++) {
      const c = StringPrototypeCharCodeAt(s, i);
      const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
      if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
    }
    return true;
  }

  function formatPrimitive(ctx, v) {
    switch (typeof v) {
      case 'string': return stylize(ctx, quote(v), 'string');
      case 'number': return stylize(ctx, v === 0 && 1 / v < 0 ? '-0' : String_(v), 'number');
      case 'bigint': return stylize(ctx, BigIntToString(v) + 'n', 'bigint');
      case 'boolean': return stylize(ctx, v ? 'true' : 'false', 'boolean');
      case 'undefined': return stylize(ctx, 'undefined', 'undefined');
      case 'symbol': return stylize(ctx, SymbolToString(v), 'symbol');
      default: return stylize(ctx, 'null', 'null');  // null
    }
  }

  // The name of the first constructor on the prototype chain (own data property only: no getter
  // runs), or null.
  function constructorName(v) {
    let o = v;
    for (let i = 0; o !== null && i < 1000; i++) {
      const d = ObjectGetOwnPropertyDescriptor(o, 'constructor');
      if (d !== undefined && typeof d.value === 'function') {
        const nd = ObjectGetOwnPropertyDescriptor(d.value, 'name');
        if (nd !== undefined && typeof nd.value === 'string' && nd.value !== '') return nd.value;
      }
      o = ObjectGetPrototypeOf(o);
    }
    return null;
  }

  function functionBase(ctx, f) {
    let source = '';
    try { source = FunctionPrototypeToString(f); } catch { /* keep '' */ }
    const nd = ObjectGetOwnPropertyDescriptor(f, 'name');
    const name = nd !== undefined && typeof nd.value === 'string' ? nd.value : '';
    if (StringPrototypeSlice(source, 0, 5) === 'class' && (source.length === 5 ||
        StringPrototypeIndexOf(' {\n\t', source[5]) !== -1)) {
      let text = '[class ' + (name || '(anonymous)');
      const parent = ObjectGetPrototypeOf(f);
      if (typeof parent === 'function' && parent !== Function.prototype) {
        const pn = ObjectGetOwnPropertyDescriptor(parent, 'name');
        if (pn !== undefined && pn.value) text += ' extends ' + pn.value;
      }
      return stylize(ctx, text + ']', 'special');
    }
    const proto = ObjectGetPrototypeOf(f);
    let type = 'Function';
    if (proto === AsyncFunctionPrototype) type = 'AsyncFunction';
    else if (proto === GeneratorFunctionPrototype) type = 'GeneratorFunction';
    else if (proto === AsyncGeneratorFunctionPrototype) type = 'AsyncGeneratorFunction';
    return stylize(ctx, '[' + type + (name ? ': ' + name : ' (anonymous)') + ']', 'special');
  }

  // "name: value" of one own property; getters are shown, not run.
  function formatProperty(ctx, v, key, depth, arrayItem) {
    const d = ObjectGetOwnPropertyDescriptor(v, key);
    let text;
    if (d === undefined) {
      text = stylize(ctx, 'undefined', 'undefined');
    } else if ('value' in d) {
      ctx.indent += 2;
      text = formatValue(ctx, d.value, depth + 1);
      ctx.indent -= 2;
    } else if (d.get !== undefined) {
      text = stylize(ctx, d.set !== undefined ? '[Getter/Setter]' : '[Getter]', 'special');
    } else {
      text = stylize(ctx, d.set !== undefined ? '[Setter]' : 'undefined', d.set ? 'special' : 'undefined');
    }
    if (arrayItem) return text;
    let name;
    if (typeof key === 'symbol') name = '[' + stylize(ctx, SymbolToString(key), 'symbol') + ']';
    else if (isIdentifier(key)) name = key;
    else name = stylize(ctx, quote(key), 'string');
    return name + ': ' + text;
  }

  function isIndex(key, length) {
    if (typeof key !== 'string' || key.length === 0 || key.length > 10) return false;
    for (let i = 0; i < key.length; i++) {
      const c = StringPrototypeCharCodeAt(key, i);
      if (c < 48 || c > 57 || (i === 0 && c === 48 && key.length > 1)) return false;
    }
    return +key < length;
  }

  // The enumerable own keys (strings, then symbols), less the array indices when skipIndices.
  function enumerableKeys(v, skipIndicesBelow) {
    const keys = list();
    const all = ReflectOwnKeys(v);
    for (let i = 0; i < all.length; i++) {
      const k = all[i];
      if (typeof k === 'string' && skipIndicesBelow >= 0 && isIndex(k, skipIndicesBelow)) continue;
      if (ObjectPrototypePropertyIsEnumerable(v, k)) push(keys, k);
    }
    return keys;
  }

  function formatArrayItems(ctx, v, length, depth, output) {
    const shown = MathMin(length, 100);
    let holes = 0;
    for (let i = 0; i < shown; i++) {
      if (!ObjectPrototypeHasOwnProperty(v, i)) {
        holes++;
        continue;
      }
      if (holes) {
        push(output, stylize(ctx, '<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>', 'undefined'));
        holes = 0;
      }
      push(output, formatProperty(ctx, v, String_(i), depth, true));
    }
    if (holes) push(output, stylize(ctx, '<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>', 'undefined'));
    if (length > shown) push(output, '... ' + (length - shown) + ' more item' + (length - shown > 1 ? 's' : ''));
  }

  function groupArrayElements(ctx, output, value) {
    let totalLength = 0, maxLength = 0;
    let outputLength = output.length;
    if (value !== undefined && outputLength > 100) outputLength--;  // the "... more items"
    const separatorSpace = 2;
    const dataLen = list();
    for (let i = 0; i < outputLength; i++) {
      const len = width(output[i]);
      dataLen[i] = len;
      totalLength += len + separatorSpace;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + separatorSpace;
    if (actualMax * 3 + ctx.indent < 80 && (totalLength / actualMax > 5 || maxLength <= 6)) {
      const averageBias = MathSqrt(actualMax - totalLength / output.length);
      const biasedMax = MathMax(actualMax - 3 - averageBias, 1);
      const columns = MathMin(MathRound(MathSqrt(2.5 * biasedMax * outputLength) / biasedMax),
                              MathFloor((80 - ctx.indent) / actualMax), 12, 15);
      if (columns <= 1) return output;
      const maxLineLength = list();
      for (let i = 0; i < columns; i++) {
        let lineLength = 0;
        for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
        push(maxLineLength, lineLength + separatorSpace);
      }
      let padStart = true;
      if (value !== undefined) {
        for (let i = 0; i < outputLength; i++) {
          const d = ObjectGetOwnPropertyDescriptor(value, i);
          const t = d === undefined ? 'undefined' : typeof d.value;
          if (t !== 'number' && t !== 'bigint') { padStart = false; break; }
        }
      }
      const pad = (s, n) => padStart ? repeat(' ', n - width(s)) + s : s + repeat(' ', n - width(s));
      const grouped = list();
      for (let i = 0; i < outputLength; i += columns) {
        const max = MathMin(i + columns, outputLength);
        let str = '';
        let j = i;
        for (; j < max - 1; j++) str += pad(output[j] + ', ', maxLineLength[j - i]);
        str += padStart ? pad(output[j], maxLineLength[j - i] - separatorSpace) : output[j];
        push(grouped, str);
      }
      if (outputLength < output.length) push(grouped, output[outputLength]);
      return grouped;
    }
    return output;
  }

  function reduceToSingleString(ctx, output, base, braces, isArrayLike, depth, value) {
    const entries = output.length;
    if (isArrayLike && entries > 6) output = groupArrayElements(ctx, output, value);
    if (ctx.currentDepth - depth < 3 && entries === output.length) {
      const start = output.length + ctx.indent + braces[0].length + base.length + 10;
      let total = output.length + start;
      let fits = total + output.length <= 80;
      for (let i = 0; fits && i < output.length; i++) {
        total += width(output[i]);
        if (total > 80) fits = false;
      }
      if (fits && StringPrototypeIndexOf(base, '\n') === -1) {
        const joined = join(output, ', ');
        if (StringPrototypeIndexOf(joined, '\n') === -1)
          return (base ? base + ' ' : '') + braces[0] + ' ' + joined + ' ' + braces[1];
      }
    }
    const indentation = '\n' + repeat(' ', ctx.indent);
    return (base ? base + ' ' : '') + braces[0] + indentation + '  ' +
      join(output, ',' + indentation + '  ') + indentation + braces[1];
  }

  function formatError(ctx, e) {
    let stack = null;
    try {
      const d = ObjectGetOwnPropertyDescriptor(e, 'stack');
      if (d !== undefined && typeof d.value === 'string') stack = d.value;
    } catch { /* a proxy */ }
    if (stack === null) {
      let text;
      try { text = ErrorToString(e); } catch { text = 'Error'; }
      return '[' + text + ']';
    }
    if (StringPrototypeIndexOf(stack, '\n    at') === -1) stack = '[' + stack + ']';
    if (ctx.indent) {
      const pad = repeat(' ', ctx.indent);
      let out = '';
      for (let i = 0; i < stack.length; i++) {
        out += stack[i];
        if (stack[i] === '\n') out += pad;
      }
      stack = out;
    }
    return stack;
  }

  function formatValue(ctx, v, depth) {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return formatPrimitive(ctx, v);
    const kind = hostKind(v);
    if (kind & K_PROXY) return stylize(ctx, 'Proxy [ <target not shown> ]', 'special');
    if (MapHas(ctx.seen, v)) {
      let index = MapGet(ctx.circular, v);
      if (index === undefined) {
        index = ++ctx.circularCount;
        MapSet(ctx.circular, v, index);
      }
      return stylize(ctx, '[Circular *' + index + ']', 'special');
    }
    return formatRaw(ctx, v, depth, kind);
  }

  function formatRaw(ctx, v, depth, kind) {
    const ctorName = constructorName(v);
    const output = list();
    let keys, base = '', braces = ['{', '}'], arrayLike = false;
    const prefix = (fallback, size) => {
      const name = ctorName === null ? fallback + ' (null prototype)' : ctorName;
      return name + (size !== undefined ? '(' + size + ')' : '') + ' ';
    };
    const tooDeep = depth > 2;
    if (ArrayIsArray(v)) {
      const length = v.length;
      if (tooDeep) return stylize(ctx, '[' + (ctorName || 'Array') + ']', 'special');
      braces = [(ctorName === 'Array' ? '' : prefix('Array', length)) + '[', ']'];
      arrayLike = true;
      keys = enumerableKeys(v, length);
      MapSet(ctx.seen, v, true);
      ctx.currentDepth = depth;
      formatArrayItems(ctx, v, length, depth, output);
    } else if (typeof v === 'function') {
      base = functionBase(ctx, v);
      keys = enumerableKeys(v, -1);
      if (keys.length === 0) return base;
      if (tooDeep) return stylize(ctx, '[Function]', 'special');
    } else if (kind & K_ERROR) {
      base = formatError(ctx, v);
      keys = enumerableKeys(v, -1);
      if (keys.length === 0) return base;
      if (tooDeep) return stylize(ctx, '[' + (ctorName || 'Error') + ']', 'special');
    } else if (kind & K_TYPED_ARRAY) {
      const length = TypedArrayLength(v);
      const tag = TypedArrayTag(v);
      if (tooDeep) return stylize(ctx, '[' + (ctorName || tag) + ']', 'special');
      braces = [(ctorName === tag ? tag + '(' + length + ') ' : prefix(tag, length) + '[' + tag + '] ') + '[', ']'];
      arrayLike = true;
      keys = enumerableKeys(v, length);
      const shown = MathMin(length, 100);
      for (let i = 0; i < shown; i++) push(output, formatPrimitive(ctx, v[i]));
      if (length > shown) push(output, '... ' + (length - shown) + ' more item' + (length - shown > 1 ? 's' : ''));
    } else if (kind & (K_MAP | K_SET)) {
      const isMap = (kind & K_MAP) !== 0;
      const size = isMap ? MapSize(v) : SetSize(v);
      const tag = isMap ? 'Map' : 'Set';
      if (tooDeep) return stylize(ctx, '[' + (ctorName || tag) + ']', 'special');
      braces = [prefix(tag, size) + (ctorName === tag || ctorName === null ? '' : '[' + tag + '] ') + '{', '}'];
      keys = enumerableKeys(v, -1);
      MapSet(ctx.seen, v, true);
      ctx.currentDepth = depth;
      ctx.indent += 2;
      const it = isMap ? MapEntries(v) : SetValues(v);
      for (let step = isMap ? MapIteratorNext(it) : SetIteratorNext(it), n = 0; !step.done;
           step = isMap ? MapIteratorNext(it) : SetIteratorNext(it), n++) {
        if (n === 100) { push(output, '... ' + (size - 100) + ' more items'); break; }
        if (isMap) {
          push(output, formatValue(ctx, step.value[0], depth + 1) + ' => ' +
               formatValue(ctx, step.value[1], depth + 1));
        } else {
          push(output, formatValue(ctx, step.value, depth + 1));
        }
      }
      ctx.indent -= 2;
    } else {
      keys = enumerableKeys(v, -1);
      if (kind & K_PROMISE) {
        if (tooDeep) return stylize(ctx, '[' + (ctorName || 'Promise') + ']', 'special');
        braces = [prefix('Promise') + '{', '}'];
        const state = hostPromise(v);  // [state, result]: 0 pending, 1 fulfilled, 2 rejected
        MapSet(ctx.seen, v, true);
        ctx.currentDepth = depth;
        if (state[0] === 0) {
          push(output, stylize(ctx, '<pending>', 'special'));
        } else {
          ctx.indent += 2;
          const text = formatValue(ctx, state[1], depth + 1);
          ctx.indent -= 2;
          push(output, state[0] === 2 ? stylize(ctx, '<rejected>', 'special') + ' ' + text : text);
        }
      } else if (kind & (K_ARRAY_BUFFER | K_SHARED_ARRAY_BUFFER)) {
        const tag = kind & K_ARRAY_BUFFER ? 'ArrayBuffer' : 'SharedArrayBuffer';
        if (tooDeep) return stylize(ctx, '[' + (ctorName || tag) + ']', 'special');
        braces = [prefix(tag) + '{', '}'];
        const length = kind & K_ARRAY_BUFFER ? ArrayBufferByteLength(v) : SharedArrayBufferByteLength(v);
        const bytes = new Uint8ArrayCtor(v);
        let hex = '';
        for (let i = 0; i < MathMin(length, 50); i++)
          hex += (i ? ' ' : '') + (bytes[i] < 16 ? '0' : '') + NumberToString(bytes[i], 16);
        if (length > 50) hex += ' ... ' + (length - 50) + ' more byte' + (length - 50 > 1 ? 's' : '');
        push(output, '[Uint8Contents]: ' + stylize(ctx, '<' + hex + '>', 'special'));
        push(output, 'byteLength: ' + formatPrimitive(ctx, length));
      } else if (kind & K_DATA_VIEW) {
        if (tooDeep) return stylize(ctx, '[' + (ctorName || 'DataView') + ']', 'special');
        braces = [prefix('DataView') + '{', '}'];
        push(output, 'byteLength: ' + formatPrimitive(ctx, DataViewByteLength(v)));
        push(output, 'byteOffset: ' + formatPrimitive(ctx, DataViewByteOffset(v)));
        MapSet(ctx.seen, v, true);
        ctx.currentDepth = depth;
        ctx.indent += 2;
        push(output, 'buffer: ' + formatValue(ctx, DataViewBuffer(v), depth + 1));
        ctx.indent -= 2;
      } else if (kind & K_DATE) {
        const t = DateGetTime(v);
        base = stylize(ctx, NumberIsNaN(t) ? 'Invalid Date' : DateToISOString(v), 'date');
        if (keys.length === 0) return base;
      } else if (kind & K_REGEXP) {
        base = stylize(ctx, RegExpToString(v), 'regexp');
        if (keys.length === 0) return base;
      } else if (tryCall(NumberValueOf, v)) {
        base = '[Number: ' + formatPrimitive(ctx, NumberValueOf(v)) + ']';
      } else if (tryCall(StringValueOf, v)) {
        base = '[String: ' + formatPrimitive(ctx, StringValueOf(v)) + ']';
        keys = enumerableKeys(v, StringValueOf(v).length);
      } else if (tryCall(BooleanValueOf, v)) {
        base = '[Boolean: ' + formatPrimitive(ctx, BooleanValueOf(v)) + ']';
      } else if (tryCall(BigIntValueOf, v)) {
        base = '[BigInt: ' + formatPrimitive(ctx, BigIntValueOf(v)) + ']';
      } else if (tryCall(SymbolValueOf, v)) {
        base = '[Symbol: ' + formatPrimitive(ctx, SymbolValueOf(v)) + ']';
      } else if (tryCall((x) => WeakMapHas(x, ctx), v) || tryCall((x) => WeakSetHas(x, ctx), v)) {
        const tag = tryCall((x) => WeakMapHas(x, ctx), v) ? 'WeakMap' : 'WeakSet';
        return (ctorName === tag ? tag : prefix(tag)) + ' { ' + stylize(ctx, '<items unknown>', 'special') + ' }';
      } else {
        if (tooDeep) return stylize(ctx, '[' + (ctorName || 'Object') + ']', 'special');
        if (ctorName === null) braces[0] = '[Object: null prototype] {';
        else if (ctorName !== 'Object') braces[0] = ctorName + ' {';
      }
      if (base !== '' && keys.length === 0) return base;
    }
    if (tooDeep) return stylize(ctx, '[' + (ctorName || 'Object') + ']', 'special');
    MapSet(ctx.seen, v, true);
    ctx.currentDepth = depth;
    for (let i = 0; i < keys.length; i++) push(output, formatProperty(ctx, v, keys[i], depth, false));
    MapDelete(ctx.seen, v);
    // As node: the reference mark is part of the base, so it counts in the line's length.
    const index = MapGet(ctx.circular, v);
    if (index !== undefined) {
      const reference = stylize(ctx, '<ref *' + index + '>', 'special');
      base = base === '' ? reference : reference + ' ' + base;
    }
    if (output.length === 0) return (base ? base + ' ' : '') + braces[0] + braces[1];
    return reduceToSingleString(ctx, output, base, braces, arrayLike, depth, arrayLike ? v : undefined);
  }

  function inspect(v, colors) {
    const ctx = {
      __proto__: null, colors: !!colors, indent: 0, currentDepth: 0, circularCount: 0,
      seen: new MapCtor(), circular: new MapCtor(),
    };
    return formatValue(ctx, v, 0);
  }

  // The names that complete `prefix` on v and its prototype chain, sorted, without duplicates,
  // as a newline-separated string.
  function complete(v, prefix) {
    const seen = new MapCtor();
    const names = list();
    let o = v;
    if (o === null || o === undefined) return '';
    if (typeof o !== 'object' && typeof o !== 'function') o = ObjectGetPrototypeOf(o);
    for (let i = 0; o !== null && i < 100; i++) {
      if (hostKind(o) & K_PROXY) break;
      const keys = ReflectOwnKeys(o);
      for (let j = 0; j < keys.length; j++) {
        const k = keys[j];
        if (typeof k !== 'string' || !isIdentifier(k) || MapHas(seen, k)) continue;
        if (StringPrototypeSlice(k, 0, prefix.length) !== prefix) continue;
        MapSet(seen, k, true);
        push(names, k);
      }
      o = ObjectGetPrototypeOf(o);
    }
    for (let i = 1; i < names.length; i++) {  // insertion sort: the lists are short
      const k = names[i];
      let j = i - 1;
      while (j >= 0 && names[j] > k) { names[j + 1] = names[j]; j--; }
      names[j + 1] = k;
    }
    return join(names, '\n');
  }

  // A latin-1 string (one char per byte) as a new ArrayBuffer: readbuffer()'s bytes.
  function bytesToBuffer(s) {
    const bytes = new Uint8ArrayCtor(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = StringPrototypeCharCodeAt(s, i);
    return TypedArrayBuffer(bytes);
  }

  return { __proto__: null, inspect, complete, bytesToBuffer };
})
