// Prints the values the prompt prints with examples/shell/inspect.js and with node's own
// util.inspect (REPL settings: breakLength 80) and fails on any difference. Run by ctest as
// inspect_matches_node when node is installed: node [this file] [inspect.js].
'use strict';
const util = require('util'), fs = require('fs');
const t = util.types;
const host = {
  kind(v) { return (t.isPromise(v)?1:0)|(t.isProxy(v)?2:0)|(t.isMap(v)?4:0)|(t.isSet(v)?8:0)|(t.isNativeError(v)||v instanceof Error?16:0)|(t.isArrayBuffer(v)?32:0)|(t.isSharedArrayBuffer(v)?64:0)|(t.isTypedArray(v)?128:0)|(t.isDataView(v)?256:0)|(t.isDate(v)?512:0)|(t.isRegExp(v)?1024:0); },
  promise(p) { const s = util.inspect(p); return s.includes('<pending>') ? [0] : s.includes('<rejected>') ? [2, undefined] : [1, undefined]; },
};
const api = (0, eval)(fs.readFileSync(process.argv[2], 'utf8'))(host);
class A { constructor(){ this.x = 1; } }
class B extends A {}
const o = {}; o.self = o; o.arr = [o, {o}];
const cases = [1, -0, 'a', "it's", 'a"b\'c', 'line\nx', 10n, Symbol('s'), undefined, null, true,
 [1,2,3,4,5,6,7], [1,2,3], [], {}, {a:{b:{c:{d:1}}}}, new A, new B, [new Map([[1,2],['a',{b:1}]]), new Set([1,'x'])],
 o, {f(){}, g: class C extends A {}, h: async()=>{}, s: Symbol("q"), u: undefined, n: null, b: 10n},
 [ , 1, , , 2], {['a-b']: 1, [Symbol('k')]: 2, get x(){return 1}, set y(v){}}, new Uint8Array(3), new ArrayBuffer(2),
 Object.create(null), [new Date(0), /a/g, new Number(3), new String('ab')], function named() {}, () => {}, class {},
 function* gen() {}, async function* ag() {}, Array.from({length: 30}, (_, i) => i * 100), Array.from({length: 120}, (_, i) => i),
 ['apple', 'banana', 'cherry', 'date', 'elderberry', 'fig', 'grape', 'honeydew'], {a: 1, b: 'two', c: [1, 2, {d: 3}], e: new Map()},
 new WeakMap(), Object.assign(() => {}, {p: 1}), [[1, [2, [3, [4]]]]], new Map([[{a: 1}, [1, 2]]]), {long: 'x'.repeat(70), other: 1},
 Object.assign(new A, {y: {z: [1, 2]}}), new Float64Array([1.5, -0]), [undefined, null], new DataView(new ArrayBuffer(4)),
 {[Symbol.iterator]: 1}, Object.assign([1, 2], {extra: true}), new Set(), new Map([[1, new Set([2])]]), [['a', 1], ['b', 2]],
 {e: new Error('nested')}, Object.assign(new Error('with props'), {code: 1}), [new Error('in array')], new RangeError('range'),
 new Set([[1, [2, [3]]]]), {'key with space': 1, 'x-1': 2, _ok: 3, $dollar: 4}, ["a'b", 'c"d'], [-0, 0, NaN, Infinity],
 Array.from({length: 26}, (_, i) => String.fromCharCode(97 + i).repeat(i % 5 + 1)), new Map([[new Map([[1, {a: {b: 1}}]]), 1]]),
 [function () {}, function* () {}, async () => {}], {a: [[[[1]]]]}, new Array(5), [1, , 3], Object.assign(Object.create(null), {x: 1}),
 new (class Foo extends Map {})([[1, 2]]), new Int16Array([-1, 2]), [new Date(NaN)], {date: new Date(86400000)},
];
let bad = 0;
for (const c of cases) {
  const want = util.inspect(c, {breakLength: 80}), got = api.inspect(c, false);
  if (want !== got) { bad++; console.log('WANT:\n' + want + '\nGOT:\n' + got + '\n'); }
}
const cw = util.inspect({a: [1, 'x', null]}, {colors: true}), cg = api.inspect({a: [1, 'x', null]}, true);
if (cw !== cg) { bad++; console.log(JSON.stringify(cw), JSON.stringify(cg)); }
console.log(bad + ' differ of ' + (cases.length + 1));
process.exitCode = bad ? 1 : 0;
