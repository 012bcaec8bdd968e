// A broadcast that comes before receiveBroadcast waits for it; an agent's timers and promises
// still run after leaving(); reports arrive in the order they were sent.
$262.agent.start(`
  setTimeout(() => $262.agent.receiveBroadcast((sab, n) => {
    $262.agent.report('got ' + n + ' ' + new Int32Array(sab)[0]);
    $262.agent.leaving();
    setTimeout(() => $262.agent.report('timer after leaving'), 20);
    Promise.resolve().then(() => $262.agent.report('promise after leaving'));
  }), 20);
`);
const i32 = new Int32Array(new SharedArrayBuffer(4));
i32[0] = 99;
$262.agent.broadcast(i32.buffer, 3);
print('broadcast returned');
const got = [];
while (got.length < 3) {
  const r = $262.agent.getReport();
  if (r === null) $262.agent.sleep(1);
  else got.push(r);
}
print(got.join(' | '));
