/* Structure-aware scripts for the API fuzz target (fuzz_api.c, op_structured): instead of raw
 * bytes or one snippet, a script built from parts the input chooses, aimed at the classes of
 * issue 12:
 *   - poison: replace or booby-trap what the library must never read after an engine is made
 *     (globalThis.Object, Object.prototype getters such as then/get/value/constructor, iterators,
 *     Function.prototype.call, Reflect, JSON, Promise.prototype.then), with throwing getters and
 *     slow ones (an endless loop: the operation's deadline stops it);
 *   - cross: drive a proxy of another runtime's object (global `p`, set by op_pass) through every
 *     kind of trap: descriptors, spread, defineProperty, keys, iteration, calls, host callbacks;
 *   - huge: one single large allocation (a string, an array, a join), the kind that a heap limit
 *     must stop with VH_EHEAPLIMIT rather than end the process.
 * Each part is wrapped in try/catch so the next one runs. The caller checks the invariants (see
 * fuzz_api.c: the heap after a stop). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "structured.h"

static const char *const kPoisons[] = {
  "Object.defineProperty(globalThis, 'Object', { get() { throw new Error('poisoned Object'); }, configurable: true });",
  "globalThis.Object = function () { for (;;); };",
  "Object.defineProperty(Object.prototype, 'then', { get() { throw 1; }, configurable: true });",
  "Object.defineProperty(Object.prototype, 'get', { get() { throw 2; }, configurable: true });",
  "Object.defineProperty(Object.prototype, 'set', { get() { for (;;); }, configurable: true });",
  "Object.defineProperty(Object.prototype, 'value', { get() { return h; }, configurable: true });",
  "Object.defineProperty(Object.prototype, 'constructor', { get() { throw 3; }, configurable: true });",
  "Object.defineProperty(Object.prototype, 'length', { get() { return 2 ** 32; }, configurable: true });",
  "Array.prototype[Symbol.iterator] = function* () { throw 4; };",
  "Function.prototype.call = Function.prototype.apply = function () { throw 5; };",
  "globalThis.Reflect = new Proxy({}, { get() { throw 6; } });",
  "JSON.stringify = () => { throw 7; };",
  "Object.prototype.toString = function () { return this; };",
  "Symbol.prototype.toString = () => { throw 8; };",
  "Promise.prototype.then = function () { throw 9; };",
  "Object.defineProperty(Object.prototype, 'enumerable', { get() { throw 10; }, configurable: true });",
  "Object.keys = Object.getOwnPropertyNames = () => { throw 11; };",
  "Object.setPrototypeOf(Object.prototype, new Proxy({}, { get(t, k) { throw k; }, has() { throw 12; } }));",
  "globalThis.Array = function () { return []; }; globalThis.Symbol = undefined;",
  "Error.prepareStackTrace = () => { throw 13; };",
};

#define PX "(typeof p === 'undefined' ? {a: 1, f() { return 2; }} : p)"
static const char *const kCross[] = {
  "Object.getOwnPropertyDescriptor(" PX ", 'a')",
  "Object.getOwnPropertyDescriptors(" PX ")",
  "({ ..." PX " })",
  "[...Object.values(" PX ")]",
  "Reflect.defineProperty(" PX ", 'q', { value: 1, configurable: true })",
  "Object.defineProperty(" PX ", 'r', { get() { return 1; }, configurable: true })",
  "Object.keys(" PX ")",
  "Reflect.ownKeys(" PX ")",
  "Object.assign({}, " PX ")",
  "[..." PX "]",
  "JSON.stringify(" PX ")",
  "String(" PX ")",
  PX " instanceof Object",
  "delete " PX ".a",
  "'a' in " PX,
  "Object.getPrototypeOf(" PX ")",
  "Object.setPrototypeOf(" PX ", null)",
  "Object.preventExtensions(" PX ")",
  "Object.isFrozen(" PX ")",
  "(" PX ").f && (" PX ").f(" PX ")",
  "new (" PX ")()",
  "h(8, " PX ")",
  "h(3, () => (" PX ").a)",
  "Array.prototype.slice.call(" PX ")",
  "(" PX ").a = (" PX ")",
  "Promise.resolve(" PX ").then(v => v)",
};

/* One allocation each, far above a 64 MiB heap. */
static const char *const kHuge[] = {
  "'x'.repeat(1 << 29).length",
  "'xy'.repeat(1 << 20).repeat(1 << 8).length",
  "new Array(2 ** 31)",
  "Array(1 << 25).join('abcdefgh').length",
  "'x'.padEnd(2 ** 29).length",
  "JSON.stringify(new Array(1 << 24).fill('xxxxxxxx')).length",
  /* Array.prototype.fill on a dictionary-backed array (a length above 2^25): the library's
   * replacement (safe_builtins.cc) fills it in a loop every stop reaches. */
  "new Array(1 << 27).fill(1.5).length",
  "globalThis.fz_keep = new Array(1 << 26).fill({}); 0",
  "new Uint8Array(2 ** 31).length",
  "String.fromCharCode.apply(null, new Array(1 << 24).fill(65)).length",
};

#define COUNT(a) (sizeof a / sizeof a[0])

static size_t append(char *buf, size_t at, size_t cap, const char *s) {
  size_t n = strlen(s);
  if (at + n >= cap) return at;
  memcpy(buf + at, s, n);
  buf[at + n] = 0;
  return at + n;
}

size_t fz_structured_script(uint8_t (*next)(void), char *buf, size_t cap) {
  size_t at = 0;
  if (cap) buf[0] = 0;
  uint8_t shape = next();
  int poisons = shape & 3, crosses = 1 + ((shape >> 2) & 3), huge = (shape >> 4) & 1;
  for (int i = 0; i < poisons; ++i) {
    at = append(buf, at, cap, "try { ");
    at = append(buf, at, cap, kPoisons[next() % COUNT(kPoisons)]);
    at = append(buf, at, cap, " } catch (e) {}\n");
  }
  for (int i = 0; i < crosses; ++i) {
    at = append(buf, at, cap, "try { ");
    at = append(buf, at, cap, kCross[next() % COUNT(kCross)]);
    at = append(buf, at, cap, " } catch (e) {}\n");
  }
#if !defined(VH_FUZZ_HUGE_ALLOCATIONS) && !defined(VH_FUZZ_KNOWN_BUGS)
  /* Single huge allocations run unless the build leaves them out (the CMake option
   * VH_FUZZ_HUGE_ALLOCATIONS, on by default). */
  huge = 0;
#endif
  if (huge) {
    /* Not wrapped: a stop (VH_EHEAPLIMIT) is what the caller checks after; a RangeError from
     * V8 ("Invalid array length", "Invalid string length") is an exception like any other. */
    at = append(buf, at, cap, kHuge[next() % COUNT(kHuge)]);
    at = append(buf, at, cap, ";\n");
  }
  return at;
}
