setTimeout(() => { throw new Error('in a timer'); }, 1);
setTimeout(() => print('not reached'), 200);
