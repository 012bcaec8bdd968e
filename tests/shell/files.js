// read, readbuffer, load, scriptArgs and arguments; paths against the working directory.
print(JSON.stringify(read('data.txt')));
const bytes = new Uint8Array(readbuffer('data.txt'));
print(readbuffer('data.txt') instanceof ArrayBuffer, bytes.length, bytes[0], bytes[bytes.length - 1]);
print(load('loaded.js'), loaded, load('./loaded.js'), loaded);
print(JSON.stringify(scriptArgs), JSON.stringify(arguments));
for (const bad of [() => read('no-such.txt'), () => readbuffer('.'), () => load('no-such.js'), () => read(1), () => read()]) {
  try { bad(); print('no throw'); } catch (e) { print(e.constructor.name, e.message); }
}
try { load('syntax_error.js'); } catch (e) { print('load threw', e.name); }
