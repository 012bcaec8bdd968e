// A real Chrome DevTools Protocol client (the npm package `ws`) against v8host-shell --inspect-brk:
// finds the target through /json/list, debugs a script (breakpoint by URL, a local read with
// Debugger.evaluateOnCallFrame, a step over), then sends garbage and drops the WebSocket while
// paused. Usage: node cdp_client.js SHELL WORKDIR. Exit status 0 when every check passed.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const path = require('path');
const WebSocket = require('ws');

const shell = process.argv[2];
const work = process.argv[3];
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

// Starts the shell on a script; resolves with the child, its output so far, and the port.
function startShell(script) {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ['--inspect-brk=0', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d) => { out.stdout += d; });
    child.stderr.on('data', (d) => {
      out.stderr += d;
      const m = /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(out.stderr);
      if (m && !out.port) { out.port = Number(m[1]); resolve({ child, out }); }
    });
    child.on('exit', (code) => { out.code = code; if (!out.port) reject(new Error('shell exited: ' + out.stderr)); });
    child.exited = new Promise((r) => child.on('exit', r));
  });
}

function getJson(port, p) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: p }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => { try { resolve(JSON.parse(body)); } catch (e) { reject(e); } });
    }).on('error', reject);
  });
}

// A CDP connection: call(method, params) resolves with the whole reply; next(method) with the
// next notification of that method; raw(text) sends anything.
function connect(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 << 20 });
    let id = 0;
    const pending = new Map(), waiters = [], events = [];
    const c = {
      ws, events, replies: [],
      call(method, params = {}) {
        const n = ++id;
        ws.send(JSON.stringify({ id: n, method, params }));
        return new Promise((r) => pending.set(n, r));
      },
      raw(text) { ws.send(text); },
      next(method) {
        const i = events.findIndex((e) => e.method === method && !e.used);
        if (i >= 0) { events[i].used = true; return Promise.resolve(events[i]); }
        return new Promise((r) => waiters.push({ method, r }));
      },
    };
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.id !== undefined && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); return; }
      if (m.id !== undefined || m.error) { c.replies.push(m);  // a parse error has no id
         if (process.env.VH_DBG) console.log('reply', JSON.stringify(m).slice(0, 200)); return; }
      if (process.env.VH_DBG && !/scriptParsed|console/.test(m.method)) console.log('event', JSON.stringify(m).slice(0, 300));
      events.push(m);
      const w = waiters.findIndex((x) => x.method === m.method);
      if (w >= 0) { m.used = true; waiters.splice(w, 1)[0].r(m); }
    });
    ws.on('open', () => resolve(c));
    ws.on('error', reject);
  });
}

function waitFor(pred, ms = 10000) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const tick = () => (pred() ? resolve(true) : Date.now() - t0 > ms ? resolve(false) : setTimeout(tick, 20));
    tick();
  });
}

async function debugSession() {
  const script = path.join(work, 'app.js');
  fs.writeFileSync(script, [
    'function add(a, b) {',          // 0
    '  const sum = a + b;',          // 1
    '  const doubled = sum * 2;',    // 2: the breakpoint
    '  return doubled;',             // 3
    '}',                             // 4
    'print("result " + add(2, 3));', // 5
    '//# sourceMappingURL=app.js.map', ''].join('\n'));
  const { child, out } = await startShell(script);
  const list = await getJson(out.port, '/json/list');
  check(Array.isArray(list) && list.length === 1 && /^ws:\/\//.test(list[0].webSocketDebuggerUrl), '/json/list lists the target');
  const version = await getJson(out.port, '/json/version');
  check(version['Protocol-Version'] && version.webSocketDebuggerUrl === list[0].webSocketDebuggerUrl, '/json/version');
  const c = await connect(list[0].webSocketDebuggerUrl);
  const contexts = c.next('Runtime.executionContextCreated');
  check(!(await c.call('Runtime.enable')).error, 'Runtime.enable');
  check((await contexts).params.context.name === 'main', 'the engine is a context named main');
  check(!(await c.call('Debugger.enable')).error, 'Debugger.enable');
  const bp = await c.call('Debugger.setBreakpointByUrl', { url: script, lineNumber: 2 });
  check(bp.result && bp.result.breakpointId, 'Debugger.setBreakpointByUrl by URL and line');
  await c.call('Runtime.runIfWaitingForDebugger');
  let paused = await c.next('Debugger.paused');
  check(paused.params.callFrames[0].location.lineNumber === 0 && paused.params.reason === 'Break on start',
        `paused on start at the first statement (line ${paused.params.callFrames[0].location.lineNumber}, ${paused.params.reason})`);
  const parsed = c.events.find((e) => e.method === 'Debugger.scriptParsed' && e.params.url === script);
  check(parsed && parsed.params.sourceMapURL === 'app.js.map', 'the script reports its URL and source map');
  await c.call('Debugger.resume');
  paused = await c.next('Debugger.paused');
  const frame = paused.params.callFrames[0];
  check(frame.location.lineNumber === 2 && paused.params.hitBreakpoints.length === 1, 'paused at the breakpoint (line 2)');
  let v = await c.call('Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression: 'sum' });
  check(v.result && v.result.result.value === 5, 'Debugger.evaluateOnCallFrame reads the local sum = 5');
  await c.call('Debugger.stepOver');
  paused = await c.next('Debugger.paused');
  check(paused.params.callFrames[0].location.lineNumber === 3, 'stepped over to line 3');
  v = await c.call('Debugger.evaluateOnCallFrame', { callFrameId: paused.params.callFrames[0].callFrameId, expression: 'doubled' });
  check(v.result && v.result.result.value === 10, 'after the step, doubled = 10');
  c.call('Debugger.resume');  // the shell may exit before its reply is read
  const code = await child.exited;
  check(code === 0 && out.stdout === 'result 10\n', `the script finished with its output (exit ${code}, ${JSON.stringify(out.stdout)})`);
  c.ws.terminate();
}

async function garbageSession() {
  const script = path.join(work, 'pause.js');
  fs.writeFileSync(script, 'var k = 41;\ndebugger;\nprint("after the pause " + (k + 1));\n');
  const { child, out } = await startShell(script);
  const list = await getJson(out.port, '/json/list');
  const c = await connect(list[0].webSocketDebuggerUrl);
  await c.call('Debugger.enable');
  await c.call('Runtime.runIfWaitingForDebugger');
  await c.next('Debugger.paused');  // on start
  await c.call('Debugger.resume');
  await c.next('Debugger.paused');  // at `debugger`
  c.raw('this is not JSON');
  c.raw('{"id": 1e99, "method": ');
  check(await waitFor(() => c.replies.filter((r) => r.error && r.error.code === -32700).length >= 2), 'invalid JSON gets -32700 error replies');
  const unknown = await c.call('No.suchMethod');
  check(unknown.error && unknown.error.code === -32601, 'an unknown method gets a -32601 error');
  const big = await c.call('Runtime.evaluate', { expression: `'${'x'.repeat(1 << 20)}'.length` });
  check(big.result && big.result.result.value === 1 << 20, 'a 1 MiB request is answered');
  c.raw('['.repeat(1 << 20));
  check(await waitFor(() => c.replies.filter((r) => r.error && r.error.code === -32700).length >= 3), '1 MiB of garbage gets a -32700 error reply');
  const still = await c.call('Runtime.evaluate', { expression: '6 * 7' });
  check(still.result && still.result.result.value === 42, 'the session still works');
  c.ws.terminate();  // drop the connection while the script is paused
  const code = await Promise.race([child.exited, new Promise((r) => setTimeout(() => r('timeout'), 20000))]);
  if (code === 'timeout') child.kill('SIGKILL');
  check(code === 0 && out.stdout === 'after the pause 42\n', `closing the WebSocket mid-pause resumes the script (exit ${code}, ${JSON.stringify(out.stdout)})`);
}

(async () => {
  const timer = setTimeout(() => { console.log('FAIL timed out'); process.exit(1); }, 60000);
  try {
    await debugSession();
    await garbageSession();
  } catch (e) {
    check(false, 'exception: ' + (e && e.stack || e));
  }
  clearTimeout(timer);
  console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
  process.exit(failures ? 1 : 0);
})();
