// Jest as Stryker runs it (npm run mutate): the project's config (transforms included) without
// coverage, whose V8 collection Stryker replaces with its own per-test counters.
const base = require("./jest.config.js");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  collectCoverage: false,
  coverageThreshold: undefined,
  // Stryker reads its counters from the test environment in its own process: jest must run in
  // band, which it refuses while a worker memory limit is set.
  maxWorkers: 1,
  workerIdleMemoryLimit: undefined,
  // A context per test file, as jest has it: Stryker runs every mutant's tests in this one
  // process, and its counters live on the test files' global.
  testEnvironment: "node",
  // Each mutant runs the tests jest finds related to the mutated file, through the imports of the
  // files in `roots`. With only test/ there, a test reaching cli/commands/deploy.ts through
  // cli/main.ts was not found (main.ts was outside the graph): its mutants ran no test at all
  // and counted as survived. The source folders complete the graph.
  roots: ["test", "cli", "components", "config", "heroku", "operations", "policy"].map(
    (dir) => `<rootDir>/${dir}`,
  ),
  // These tests pin the text Pulumi serializes from a provider's source. Under Stryker that
  // source carries the instrumenter's counters and switches, so the text (its size, what it
  // captures) describes Stryker rather than slipway; npm test runs them.
  testPathIgnorePatterns: [
    "/node_modules/",
    "/test/heroku/serialize\\.test\\.ts$",
    "/test/engine/dynamic-provider-host\\.test\\.ts$",
  ],
};
