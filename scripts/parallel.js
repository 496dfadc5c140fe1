// `npm test`: checks the Node.js version first, then runs the npm scripts it is given side by side
// (lint, format check, type check and jest: on 2 cores, jest's workers fill the gaps the checks
// leave). The last script's output streams as it runs; the others' is printed whole when they
// fail. Then one line per script with its outcome and time. Exits non-zero when any fails.
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");

const REQUIRED_MAJOR = 22;
const PROJECT_DIR = path.join(__dirname, "..");

/** Why this Node.js cannot run the tests, with the fix; undefined when it can. */
function nodeVersionProblem(version, env) {
  const major = Number(version.split(".")[0]);
  if (major >= REQUIRED_MAJOR) return undefined;
  const cache = env.XDG_CACHE_HOME || path.join(env.HOME || "~", ".cache");
  const bin = path.join(cache, "slipway", `node-${REQUIRED_MAJOR}`, "bin");
  return (
    `npm test: Node.js ${version} is too old; slipway needs Node.js ${REQUIRED_MAJOR} or newer ` +
    `(@pulumi/pulumi requires it: on older versions tests fail for that reason alone).\n` +
    `Fix: put Node.js ${REQUIRED_MAJOR} first on PATH. .ci/run installs one in ${bin} ` +
    `(run .ci/run once if that folder is missing), then:\n` +
    `  export PATH="${bin}:$PATH"\n`
  );
}

/** Runs an npm script's command as `npm run` would, without npm's own start-up. */
function run(script, command, streamed) {
  const bin = path.join(PROJECT_DIR, "node_modules", ".bin");
  const started = Date.now();
  const child = spawn("sh", ["-c", command], {
    cwd: PROJECT_DIR,
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    stdio: streamed ? "inherit" : ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (data) => (output += data));
  child.stderr?.on("data", (data) => (output += data));
  return new Promise((resolve) =>
    child.on("close", (code) =>
      resolve({ script, code, output, seconds: (Date.now() - started) / 1000 }),
    ),
  );
}

/** Runs the npm scripts `names` (commands in `scripts`); resolves to the exit code. */
async function main(names, scripts) {
  const problem = nodeVersionProblem(process.versions.node, process.env);
  if (problem) {
    process.stderr.write(problem);
    return 2;
  }
  const unknown = names.filter((name) => scripts[name] === undefined);
  if (names.length === 0 || unknown.length > 0) {
    process.stderr.write(
      `scripts/parallel.js: no npm script named ${unknown.join(", ") || "(none given)"}; ` +
        `allowed: ${Object.keys(scripts).join(", ")}\n`,
    );
    return 2;
  }
  const results = await Promise.all(
    names.map((name, i) => run(name, scripts[name], i === names.length - 1)),
  );
  for (const { code, output } of results) if (code !== 0) process.stdout.write(output);
  for (const { script, code, seconds } of results) {
    const outcome = code === 0 ? "ok" : `failed (exit code ${code})`;
    process.stdout.write(`${script}: ${outcome} in ${seconds.toFixed(1)} s\n`);
  }
  return results.some((r) => r.code !== 0) ? 1 : 0;
}

if (require.main === module) {
  const { scripts } = require("../package.json");
  void main(process.argv.slice(2), scripts).then((code) => (process.exitCode = code));
}

module.exports = { main, nodeVersionProblem };
