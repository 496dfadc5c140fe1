#!/usr/bin/env node
"use strict";
// Runs the `slipway` command from its TypeScript source, so it works straight after `npm ci`.
// Each .ts file is transpiled with TypeScript's transpileModule and the project's compiler
// options (what ts-node does for `pulumi up` with transpileOnly), and the JavaScript is cached
// under node_modules/.cache, keyed by the source, tsconfig.json and the TypeScript version:
// after the first run, no TypeScript is loaded at all, which is most of a plan's start-up time.
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  process.stderr.write(
    `slipway: node ${process.versions.node} is too old. Allowed: Node.js 22 or newer. ` +
      "Fix: install Node 22 LTS (or run .ci/run, which fetches one).\n",
  );
  process.exit(2);
}

const root = path.join(__dirname, "..");
const cacheDir = path.join(root, "node_modules", ".cache", "slipway-ts");
const tsconfigPath = path.join(root, "tsconfig.json");
const typescriptVersion = require("typescript/package.json").version;
const setupKey = `${typescriptVersion}\0${fs.readFileSync(tsconfigPath, "utf8")}`;
let compile; // loaded on the first cache miss only

function transpiler() {
  const ts = require("typescript");
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfigPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  // No source maps: enabling them costs a quarter of a plan's run time, and an internal error's
  // stack still names the right files with lines a few off.
  const options = { ...parsed.options, sourceMap: false, inlineSourceMap: false, noEmit: false };
  return (source, fileName) =>
    ts.transpileModule(source, { compilerOptions: options, fileName }).outputText;
}

function load(module, fileName) {
  const source = fs.readFileSync(fileName, "utf8");
  const key = crypto
    .createHash("sha256")
    .update(`${setupKey}\0${fileName}\0${source}`)
    .digest("hex");
  const cached = path.join(cacheDir, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, "utf8");
  } catch {
    compile ??= transpiler();
    output = compile(source, fileName);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const partial = `${cached}.${process.pid}`;
      fs.writeFileSync(partial, output);
      fs.renameSync(partial, cached);
    } catch {
      // A read-only checkout just runs uncached.
    }
  }
  module._compile(output, fileName);
}

Module._extensions[".ts"] = (module, fileName) => {
  if (fileName.includes(`${path.sep}node_modules${path.sep}`))
    throw new Error(`slipway does not load TypeScript from dependencies: ${fileName}`);
  load(module, fileName);
};

require("../cli/main")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
