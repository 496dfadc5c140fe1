// Run by test/scripts/jest-environment.test.ts as a plain Node.js process, where jest itself runs
// test environments: makes a worker's first environment, leaves behind what a test file might,
// makes the next one and prints what the next file finds, as JSON.
/* global console, setTimeout, fetch, Buffer */
"use strict";
const SharedContextEnvironment = require("./jest-environment");

const projectConfig = { testEnvironmentOptions: {}, globals: { FROM_CONFIG: "yes" } };
const environment = () =>
  new SharedContextEnvironment({ projectConfig, globalConfig: {} }, { console, testPath: "x" });

/** What the Pulumi SDK keeps on the global (runtime/state.js), reduced to what is reset. */
class Store {
  resourcePackages = new Map([["aws", "kept"]]);
  resourceModules = new Map([["aws:rds", "kept"]]);
  config = {};
}

const first = environment();
const firstProcess = first.global.process;
// What a test file leaves behind: fake timers never put back, fetch replaced, a stack registered.
const fake = () => undefined;
first.global.setTimeout = fake;
first.global.fetch = fake;
first.global.Buffer = fake;
const leftStore = new Store();
leftStore.config.region = "left by the last file";
first.global.globalStore = leftStore;
first.global.stackResource = { urn: "left by the last file" };

const second = environment();
const nodeGlobals = {
  setTimeout: second.global.setTimeout === setTimeout,
  fetch: second.global.fetch === fetch,
  Buffer: second.global.Buffer === Buffer,
};
const routed = () => undefined;
second.global.fetch = routed;
const store = second.global.globalStore;

process.stdout.write(
  JSON.stringify({
    sameContext: second.context === first.context,
    sameGlobal: second.global === first.global,
    nodeGlobals,
    assignedFetchKept: second.global.fetch === routed,
    ownProcess: second.global.process !== firstProcess,
    processEnvCopied: second.global.process.env.HOME === process.env.HOME,
    configGlobal: second.global.FROM_CONFIG,
    store: {
      freshStore: store instanceof Store && store !== leftStore,
      config: store.config,
      resourcePackages: [...store.resourcePackages],
      resourceModules: [...store.resourceModules],
    },
    stackResource: second.global.stackResource ?? null,
  }),
);
