// Four agents wait on a broadcast buffer with Atomics.wait; the main thread wakes them with
// Atomics.notify and collects their reports (the classic test262 pattern).
const N = 4;
for (let i = 0; i < N; i++) {
  $262.agent.start(`
    $262.agent.receiveBroadcast(function (sab, id) {
      const i32 = new Int32Array(sab);
      Atomics.add(i32, 0, 1);
      $262.agent.report(Atomics.wait(i32, 1, 0, 10000));
      $262.agent.leaving();
    });
  `);
}
const i32 = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * 2));
$262.agent.broadcast(i32.buffer);
while (Atomics.load(i32, 0) !== N) $262.agent.sleep(1);
$262.agent.sleep(50);  // let the last one reach its wait
let woken = 0;
while (woken < N) {
  woken += Atomics.notify(i32, 1);
  if (woken < N) $262.agent.sleep(5);
}
const reports = [];
while (reports.length < N) {
  const r = $262.agent.getReport();
  if (r === null) $262.agent.sleep(1);
  else reports.push(r);
}
print('woken', woken);
print(reports.join(' '));
print($262.agent.getReport());
