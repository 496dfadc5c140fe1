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
  // These tests pin the text Pulumi serializes from a provider's source. Under Stryker that
  // source carries the instrumenter's counters and switches, so the text (its size, what it
  // captures) describes Stryker rather than slipway; npm test runs them.
  testPathIgnorePatterns: [
    "/node_modules/",
    "/test/heroku/serialize\\.test\\.ts$",
    "/test/engine/dynamic-provider-host\\.test\\.ts$",
  ],
};
