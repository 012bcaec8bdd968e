bump();
print(counter, lexical, typeof setTimeout, typeof queueMicrotask, typeof console.log);
