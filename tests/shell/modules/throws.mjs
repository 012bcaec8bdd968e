import { value } from './lib/cfg.js';
print(value);
throw new Error('module threw');
