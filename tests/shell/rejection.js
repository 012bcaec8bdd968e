print('before');
Promise.reject(new RangeError('nobody handles this'));
