// The program as `pulumi up` starts it: through the SDK's own runner with ts-node, not through
// slipway's CLI. Both must see the same stack.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { planStack, PROJECT_DIR } from "../support/stacks";
import { readProject, readStackConfig } from "../../cli/plan/stack-files";

const DRIVER = path.join(PROJECT_DIR, "test", "support", "language-host.js");

test.each(["production", "staging"])(
  "the language host's runner loads index.ts and declares what slipway plan declares for %s",
  async (name) => {
    const stack = readStackConfig(readProject(PROJECT_DIR), name);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [DRIVER, PROJECT_DIR, name, JSON.stringify(stack.config)],
      {
        cwd: PROJECT_DIR,
      },
    );
    const { outputs, registered } = JSON.parse(stdout) as {
      outputs: string[];
      registered: { type: string; name: string }[];
    };
    const planned = await planStack(name);
    const expected = planned.resources
      .filter((r) => r.type !== "pulumi:pulumi:Stack")
      .map((r) => ({ type: r.type, name: r.name }));
    // Registration order depends on when each resource's inputs resolve, so compare as sets.
    const key = (r: { type: string; name: string }) => `${r.type}::${r.name}`;
    expect(
      registered
        .filter((r) => r.type !== "pulumi:pulumi:Stack")
        .map(key)
        .sort(),
    ).toEqual(expected.map(key).sort());
    expect(outputs).toEqual(Object.keys(planned.outputs).sort());
  },
  240_000,
);
