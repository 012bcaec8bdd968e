import { name } from '../other/name.js';
export function add(a, b) { return a + b; }
export const who = 'math+' + name;
