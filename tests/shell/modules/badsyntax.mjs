import './lib/broken.js';
print('never');
