#!/usr/bin/env node
"use strict";
// Runs the `slipway` command from its TypeScript source, so it works straight after `npm ci`.
// Each .ts file is transpiled with TypeScript's transpileModule and the project's compiler
// options (what ts-node does for `pulumi up` with transpileOnly), and the JavaScript is cached
// under node_modules/.cache (or SLIPWAY_CACHE_DIR), keyed by the source, tsconfig.json and the
// TypeScript version:
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
const cacheDir =
  process.env.SLIPWAY_CACHE_DIR || path.join(root, "node_modules", ".cache", "slipway-ts");
// V8's compiled code for every module loaded, the Pulumi SDKs above all, kept beside the
// transpiled sources: loading is most of a plan, and compiling most of loading.
Module.enableCompileCache?.(path.join(path.dirname(cacheDir), "slipway-v8"));
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

// Each cache entry starts with a line holding the SHA-256 of the JavaScript after it, so a
// truncated or corrupted entry (a full disk, a killed process, an edit by hand) is noticed and
// compiled again instead of being run. Entries are named `<file hash>-<source hash>.js`: when a
// file is compiled again, the entries of its earlier versions are removed, so the cache holds
// one entry per source file.
const HEADER = "// slipway-ts sha256=";

function sha256(text) {
  return crypto.createHash("sha256").update(text).digest("hex");
}

function readVerified(cached) {
  let text;
  try {
    text = fs.readFileSync(cached, "utf8");
  } catch {
    return undefined;
  }
  const newline = text.indexOf("\n");
  const output = text.slice(newline + 1);
  return newline > 0 && text.slice(0, newline) === `${HEADER}${sha256(output)}`
    ? output
    : undefined;
}

function store(cached, filePrefix, output) {
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    for (const entry of fs.readdirSync(cacheDir)) {
      if (entry.startsWith(filePrefix)) fs.rmSync(path.join(cacheDir, entry), { force: true });
    }
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, `${HEADER}${sha256(output)}\n${output}`);
    fs.renameSync(partial, cached);
  } catch {
    // A read-only checkout just runs uncached.
  }
}

function load(module, fileName) {
  const source = fs.readFileSync(fileName, "utf8");
  const filePrefix = `${sha256(fileName).slice(0, 16)}-`;
  const cached = path.join(cacheDir, `${filePrefix}${sha256(`${setupKey}\0${source}`)}.js`);
  let output = readVerified(cached);
  if (output === undefined) {
    compile ??= transpiler();
    output = compile(source, fileName);
    store(cached, filePrefix, output);
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
