// Each member of $262 (test262's INTERPRETING.md). Run after assert.js.
check(typeof $262 === 'object', '$262 is an object');

// global
check($262.global === globalThis, '$262.global is the global object');

// createRealm: a new engine with its own globals and its own $262
const other = $262.createRealm();
check(typeof other === 'object' && other !== $262, 'createRealm returns another $262');
check(other.global !== globalThis, 'a new global');
check(other.global.Array !== Array, 'its own builtins');
check(typeof other.global.print === 'function' && typeof other.global.setTimeout === 'function',
      'print and the loop builtins in the new realm');
check(other.global.$262 === other, "the realm's $262");
print('createRealm ok');

// evalScript: global scope of its realm, completion value, errors of that realm
check($262.evalScript('var fromEval = 6 * 7; fromEval') === 42, 'completion value');
check(fromEval === 42, 'a var of evalScript is a global');
check(other.evalScript('var inOther = 1; typeof fromEval') === 'undefined', 'other realm, other globals');
check(other.global.inOther === 1 && typeof inOther === 'undefined', 'globals stay in their realm');
const syntax = checkThrows(other.global.SyntaxError, () => other.evalScript('let = ;'), 'SyntaxError');
check(!(syntax instanceof SyntaxError), "the other realm's SyntaxError, not ours");
checkThrows(SyntaxError, () => $262.evalScript('}'), 'SyntaxError in our realm');
const thrown = checkThrows(other.global.RangeError, () => other.evalScript('throw new RangeError("r")'),
                           'a throw propagates');
check(thrown.message === 'r', 'with its message');
check($262.evalScript('let lexicalFromEval = 5; lexicalFromEval') === 5 && lexicalFromEval === 5,
      'top-level let persists');
print('evalScript ok');

// detachArrayBuffer: the buffer and its views read as empty afterwards; using a view's
// detached buffer throws.
const buffer = new ArrayBuffer(8);
const view = new Uint8Array(buffer);
check($262.detachArrayBuffer(buffer) === null, 'returns null');
check(buffer.byteLength === 0 && view.length === 0, 'detached');
checkThrows(TypeError, () => new Uint8Array(buffer), 'a detached buffer cannot be viewed');
print('detachArrayBuffer detached');
checkThrows(TypeError, () => $262.detachArrayBuffer({}), 'not an ArrayBuffer');
checkThrows(TypeError, () => $262.detachArrayBuffer(new SharedArrayBuffer(8)), 'not detachable');

// gc
check($262.gc() === undefined, 'gc returns');
other.gc();
print('gc ok');

// agent: the main thread's side, and sleep / monotonicNow
for (const name of ['start', 'broadcast', 'getReport', 'sleep', 'monotonicNow'])
  check(typeof $262.agent[name] === 'function', 'agent.' + name);
check($262.agent.getReport() === null, 'no report yet');
const t0 = $262.agent.monotonicNow();
$262.agent.sleep(20);
const t1 = $262.agent.monotonicNow();
check(typeof t0 === 'number' && t1 - t0 >= 19, 'sleep(20) takes 20 ms: ' + (t1 - t0));
$262.agent.start('$262.agent.report(typeof $262.agent.receiveBroadcast + " " + typeof $262.agent.leaving); $262.agent.leaving();');
let report;
while ((report = $262.agent.getReport()) === null) $262.agent.sleep(1);
check(report === 'function function', 'an agent has receiveBroadcast and leaving: ' + report);
print('agent ok');
