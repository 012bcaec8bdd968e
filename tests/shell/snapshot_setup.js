// For test_shell's snapshot test: the state a --build-snapshot blob carries.
var greeting = 'from the snapshot';
function twice(x) { return 2 * x; }
