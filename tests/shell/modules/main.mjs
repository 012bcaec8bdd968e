import { add, who } from './lib/math.js';
import { name } from '../modules/other/name.js';
import * as cfg from './lib/cfg.js';
print(add(2, 3), who, name, cfg.value);
const again = await import('./lib/math.js');
print('dynamic', again.add === add);
await new Promise((resolve) => setTimeout(resolve, 5));
print('after top-level await');
