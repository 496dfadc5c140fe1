// Jest with V8 coverage: V8 counts coverage inside the engine, so the source stays untouched.
// Instrumenting coverage (babel/istanbul) would rewrite functions and leak its counters into
// the dynamic providers that Pulumi serializes from their source text.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  coverageProvider: "v8",
  collectCoverageFrom: [
    "index.ts",
    "errors.ts",
    "config/**/*.ts",
    "components/**/*.ts",
    "heroku/**/*.ts",
    "operations/**/*.ts",
    "policy/**/*.ts",
    "cli/**/*.ts",
  ],
  coverageThreshold: { global: { lines: 95, branches: 90, functions: 95, statements: 95 } },
  testTimeout: 30000,
  // Every core (jest leaves one idle by default, which on 2 cores halves the speed).
  maxWorkers: "100%",
  // V8 coverage returns counts for every script a worker ever compiled, and each test file
  // loads the Pulumi SDKs afresh; restarting a worker that has grown keeps that cost flat.
  workerIdleMemoryLimit: "300MB",
};
