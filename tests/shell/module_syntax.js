// A module saved as .js: its top-level import makes the shell run it as a module.
import { value } from './modules/lib/cfg.js';
print('module by its syntax', value, typeof import.meta);
