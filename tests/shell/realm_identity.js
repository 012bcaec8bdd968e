// An object of another realm is used here as the very object, with its own realm's prototypes.
const r = $262.createRealm();
const obj = r.evalScript('({ answer: 42 })');
print(Object.getPrototypeOf(obj) === r.global.Object.prototype);
print(Object.getPrototypeOf(obj) !== Object.prototype);
print(obj instanceof Object, obj instanceof r.global.Object);
r.global.mine = obj;
print(r.evalScript('mine') === obj, r.evalScript('mine.answer'));
const arr = r.evalScript('[1, 2, 3]');
print(Array.isArray(arr), arr instanceof Array, Object.getPrototypeOf(arr) === r.global.Array.prototype);
const f = r.evalScript('(function () { return Object; })');
print(f() === r.global.Object);
