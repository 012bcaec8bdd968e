// Shared by the $262 tests: a failed check throws, so the shell exits with 1.
function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what);
}
function checkThrows(ctor, fn, what) {
  try { fn(); } catch (e) {
    check(e instanceof ctor, what + ': threw ' + e + ', not a ' + ctor.name);
    return e;
  }
  throw new Error('check failed: ' + what + ': did not throw');
}
