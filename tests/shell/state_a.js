var counter = 1;
let lexical = 'kept';
function bump() { return ++counter; }
