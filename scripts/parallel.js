// Runs npm scripts side by side (lint, format check and type check use one core each) and
// prints each one's output whole, in the order given; fails when any of them fails.
"use strict";
const { spawn } = require("node:child_process");

const run = (script) =>
  new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (data) => (output += data));
    child.stderr.on("data", (data) => (output += data));
    child.on("close", (code) => resolve({ script, code, output }));
  });

void Promise.all(process.argv.slice(2).map(run)).then((results) => {
  for (const { script, code, output } of results) {
    process.stdout.write(
      `> ${script}: ${code === 0 ? "ok" : `failed (exit code ${code})`}\n${output}`,
    );
  }
  process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
});
