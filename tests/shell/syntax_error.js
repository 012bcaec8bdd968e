print("never");
let = ;
