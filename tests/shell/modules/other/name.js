export const name = 'other';
