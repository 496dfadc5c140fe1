// The test environment that lets a worker's test files share one context
// (test/support/jest-environment.js): each file after the first runs on the first one's global,
// with Node's globals, the process object and the Pulumi SDK's store made afresh for it. Run in
// a plain Node.js process (test/support/shared-context-probe.js), where jest runs environments.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { PROJECT_DIR } from "../support/project";

const PROBE = path.join(PROJECT_DIR, "test", "support", "shared-context-probe.js");

test("the next file shares the first one's context, with what a file changes made afresh", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [PROBE], {
    env: { ...process.env, HOME: "/home/dev" },
  });
  expect(JSON.parse(stdout)).toEqual({
    sameContext: true,
    sameGlobal: true,
    // Fake timers left installed, fetch and Buffer replaced: Node's own again.
    nodeGlobals: { setTimeout: true, fetch: true, Buffer: true },
    // A test routing fetch assigns it on the shared global; the value stays there.
    assignedFetchKept: true,
    ownProcess: true,
    processEnvCopied: true,
    configGlobal: "yes",
    // A new store of the SDK's own class, keeping the resource modules already registered.
    store: {
      freshStore: true,
      config: {},
      resourcePackages: [["aws", "kept"]],
      resourceModules: [["aws:rds", "kept"]],
    },
    stackResource: null,
  });
});
