// Preloaded with `node -r` to run a script as if under Node.js 20 (the version check's test).
"use strict";
Object.defineProperty(process.versions, "node", { value: "20.20.2" });
