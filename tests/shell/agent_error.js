// An exception in an agent is reported, and the shell exits with 1 once the agent is done.
$262.agent.start(`
  $262.agent.receiveBroadcast(function () { throw new Error('agent boom'); });
`);
$262.agent.broadcast(new SharedArrayBuffer(4));
print('main done');
