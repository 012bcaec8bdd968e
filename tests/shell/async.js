print('sync');
setTimeout(() => print('timeout 20'), 20);
setTimeout(() => print('timeout 0'), 0);
const id = setInterval(() => { print('interval'); clearInterval(id); }, 5);
Promise.resolve('then').then(print);
queueMicrotask(() => print('microtask'));
(async () => { await null; print('await'); })();
