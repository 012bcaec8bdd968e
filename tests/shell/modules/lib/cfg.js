export const value = 'cfg';
