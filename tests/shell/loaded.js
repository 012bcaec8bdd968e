var loaded = (loaded || 0) + 1;
"completion of loaded.js";
