// Throws a non-Error after a top-level await: the report names this file.
await null;
throw 5;
