import { nothere } from './lib/cfg.js';
print('never', nothere);
