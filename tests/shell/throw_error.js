function fail() {
  throw new TypeError('bad thing');
}
fail();
