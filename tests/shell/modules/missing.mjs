import { x } from './lib/nope.js';
print('never', x);
