// Jest with V8 coverage: V8 counts coverage inside the engine, so the source stays untouched.
// Instrumenting coverage (babel/istanbul) would rewrite functions and leak its counters into
// the dynamic providers that Pulumi serializes from their source text.
// Packages that ship as ES modules only (@octokit/* and three of their dependencies).
const ESM_ONLY = "(@octokit|universal-user-agent|before-after-hook|content-type)";

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "<rootDir>/test/support/jest-environment.js",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
    // Node 22 require()s ES modules, jest 29 cannot: ts-jest rewrites those packages to
    // CommonJS (transpileModule, no type check). Everything else in node_modules stays as is.
    [`/node_modules/${ESM_ONLY}/.+\\.js$`]: ["ts-jest", { tsconfig: "tsconfig.json" }],
  },
  // A file is left alone when its innermost node_modules folder holds another package.
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)(?!.*/node_modules/)`],
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
  // Coverage, the SDK's stack traces and dependency sources made cheaper (see the file).
  runtime: "<rootDir>/test/support/jest-runtime.js",
  // Plain stack traces for the SDK's own; runtime warnings kept out of the output.
  setupFilesAfterEnv: ["<rootDir>/test/support/jest-setup.ts"],
  testTimeout: 120000,
  // Every core (jest leaves one idle by default, which on 2 cores halves the speed).
  maxWorkers: "100%",
  // A worker that has grown past this is restarted, as a guard. Not lower: a worker's test files
  // share the packages it loaded (test/support/jest-environment.js), and a restart loads them
  // again (300 MB restarted one every 5 to 18 files). `jest --coverage`, warm cache, idle 2-core
  // machine: 171 s and 318 CPU s at 300 MB; 137 s and 252 CPU s at 1 GB; the same at 2 GB.
  workerIdleMemoryLimit: "1GB",
};
