print('hello', 'world');
print(1 + 1, true, null, undefined, 1.5, -0, 10n, Symbol('s'));
print([1, 2, 3], { toString() { return 'custom'; } });
print();
print('one arg');
