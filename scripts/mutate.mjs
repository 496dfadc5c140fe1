// npm run mutate: Stryker over the modules in stryker.config.mjs, one module at a time so each run
// loads only the tests that own it, then a score per module (docs/mutation.md).
//   npm run mutate                      every module
//   npm run mutate -- iam retry         those modules
//   npm run mutate -- --mutate heroku/retry.ts[,other.ts]   those files (a module's tests if known)
//   npm run mutate -- --mutate cli/main.ts --tests test/cli/main-exits.test.ts   against those tests only
//   npm run mutate -- --changed [base]  the files in scope changed since `base` (default main)
// Exits 1 when a module scores under the target, 2 on a bad argument.
import { execFileSync } from "node:child_process";
import { globSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { Stryker } from "@stryker-mutator/core";
import { modules } from "../stryker.config.mjs";

const TARGET = 85;

/** The files a list of globs names, `!glob` removing some. */
function expand(globs) {
  const without = new Set(
    globs.filter((g) => g.startsWith("!")).flatMap((g) => globSync(g.slice(1))),
  );
  return globs
    .filter((g) => !g.startsWith("!"))
    .flatMap((g) => globSync(g))
    .filter((f) => !without.has(f))
    .sort();
}

function usage(message) {
  console.error(`mutate: ${message}`);
  console.error(`  modules: ${Object.keys(modules).join(", ")}`);
  console.error(
    "  usage: npm run mutate -- [module ...] | --mutate <file>[,<file>] [--tests <glob>[,<glob>]] | --changed [base]",
  );
  process.exit(2);
}

/** Files changed since `base`, committed or not, that the scope mutates. */
function changedFiles(base) {
  const git = (...args) =>
    execFileSync("git", args, { encoding: "utf8" }).split("\n").filter(Boolean);
  const changed = new Set([
    ...git("diff", "--name-only", `${base}...HEAD`),
    ...git("diff", "--name-only", "HEAD"),
  ]);
  return [...changed];
}

/** `file.ts` of Stryker's `file.ts:10-40` (or `file.ts:10:5-40:2`) range. */
function withoutRange(file) {
  return file.replace(/:\d+(:\d+)?-\d+(:\d+)?$/, "");
}

/** Groups files by the module that owns them; a file in no module is run on its own. */
function runsForFiles(files) {
  const owned = Object.entries(modules).map(([name, m]) => [
    name,
    m,
    new Set(expand(m.mutate.map(withoutRange))),
  ]);
  const runs = new Map();
  for (const file of files) {
    const bare = withoutRange(file);
    const owner = owned.find(([, , set]) => set.has(bare));
    const key = owner ? owner[0] : bare;
    const run = runs.get(key) ?? {
      name: key,
      mutate: [],
      testFiles: owner ? owner[1].testFiles : [],
    };
    run.mutate.push(file);
    runs.set(key, run);
  }
  return [...runs.values()];
}

function plannedRuns(args) {
  if (args[0] === "--changed") {
    const base = args[1] ?? "main";
    const inScope = new Set(
      Object.values(modules).flatMap((m) => expand(m.mutate.map(withoutRange))),
    );
    const files = changedFiles(base).filter((f) => inScope.has(f));
    if (files.length === 0) {
      console.log(`mutate: no file in scope changed since ${base}`);
      process.exit(0);
    }
    return runsForFiles(files);
  }
  if (args[0] === "--mutate") {
    if (!args[1]) usage("--mutate needs a file, e.g. --mutate heroku/retry.ts");
    const runs = runsForFiles(args[1].split(","));
    if (args[2] === undefined) return runs;
    // A narrower set of tests than the module's, for code every test of the module runs (main()).
    if (args[2] !== "--tests" || !args[3])
      usage(`after --mutate: --tests <glob>[,<glob>], not ${args.slice(2).join(" ")}`);
    // Its own name, so its reports and incremental file stay apart from the module's.
    return runs.map((run) => ({
      ...run,
      name: `${run.name}+${args[3]}`,
      testFiles: args[3].split(","),
    }));
  }
  const unknown = args.filter((a) => !(a in modules));
  if (unknown.length > 0) usage(`unknown module or option: ${unknown.join(" ")}`);
  const names = args.length > 0 ? args : Object.keys(modules);
  return names.map((name) => ({ name, ...modules[name] }));
}

/** Stryker's score: detected mutants (killed, timed out) of all valid mutants that ran or had no test. */
function score(results) {
  const count = (...statuses) => results.filter((r) => statuses.includes(r.status)).length;
  const detected = count("Killed", "Timeout");
  const undetected = count("Survived", "NoCoverage");
  const total = detected + undetected;
  return { detected, undetected, total, score: total === 0 ? 100 : (100 * detected) / total };
}

const runs = plannedRuns(process.argv.slice(2));
const scores = [];
for (const run of runs) {
  const id = run.name.replace(/[^\w.-]+/g, "_");
  console.log(`\nmutate: ${run.name}: ${run.mutate.join(" ")}`);
  // The checker type-checks the program of its tsconfig after every mutant. The project's takes
  // in every test and every file importing the mutated one (minutes each on 2 shared cores);
  // this one holds the mutated files and what they import, which is what a mutant can break.
  const tsconfig = `tsconfig.mutate-${id}.json`;
  const files = expand(run.mutate.map(withoutRange));
  writeFileSync(tsconfig, JSON.stringify({ extends: "./tsconfig.json", include: [], files }));
  const testFiles = expand(run.testFiles);
  try {
    const results = await new Stryker({
      configFile: "stryker.config.mjs",
      mutate: run.mutate,
      testFiles,
      // A mutant's run loads only the module's test files: jest's related tests (through any
      // import) take in others too, which it loads only for the name filter to skip them.
      jest: { config: { testMatch: testFiles.map((file) => `**/${file}`) } },
      tsconfigFile: tsconfig,
      incrementalFile: `reports/mutation/${id}.incremental.json`,
      jsonReporter: { fileName: `reports/mutation/${id}.json` },
      htmlReporter: { fileName: `reports/mutation/${id}.html` },
    }).runMutationTest();
    scores.push({ module: run.name, ...score(results) });
  } finally {
    rmSync(tsconfig, { force: true });
  }
}

mkdirSync("reports/mutation", { recursive: true });
writeFileSync("reports/mutation/scores.json", `${JSON.stringify(scores, null, 2)}\n`);
console.log("\nmodule                score   killed  survived  (target " + TARGET + "%)");
for (const s of scores) {
  const mark = s.score >= TARGET ? "" : "  below target";
  console.log(
    `${s.module.padEnd(20)} ${s.score.toFixed(1).padStart(6)}%  ${String(s.detected).padStart(6)}  ${String(s.undetected).padStart(8)}${mark}`,
  );
}
process.exitCode = scores.every((s) => s.score >= TARGET) ? 0 : 1;
