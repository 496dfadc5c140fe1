#!/usr/bin/env node
"use strict";
// Runs the `slipway` command from its TypeScript source (transpiled on load by ts-node, the
// same TypeScript set-up `pulumi up` uses), so it works straight after `npm ci`.
const path = require("node:path");

const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  process.stderr.write(
    `slipway: node ${process.versions.node} is too old. Allowed: Node.js 22 or newer. ` +
      "Fix: install Node 22 LTS (or run .ci/run, which fetches one).\n",
  );
  process.exit(2);
}

require("ts-node").register({
  project: path.join(__dirname, "..", "tsconfig.json"),
  transpileOnly: true,
});
require("../cli/main")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
