// `npm test` (scripts/parallel.js) checks the Node.js version before it starts anything else.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { PROJECT_DIR } from "../support/project";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain Node.js script
const runner = require("../../scripts/parallel") as {
  nodeVersionProblem: (version: string, env: NodeJS.ProcessEnv) => string | undefined;
  main: (names: string[], scripts: Record<string, string>) => Promise<number>;
};

const PRETEND_NODE_20 = path.join(PROJECT_DIR, "test", "support", "pretend-node-20.js");

const fix = (bin: string) =>
  "npm test: Node.js 20.20.2 is too old; slipway needs Node.js 22 or newer (@pulumi/pulumi " +
  "requires it: on older versions tests fail for that reason alone).\n" +
  `Fix: put Node.js 22 first on PATH. .ci/run installs one in ${bin} (run .ci/run once if ` +
  "that folder is missing), then:\n" +
  `  export PATH="${bin}:$PATH"\n`;

test.each([
  [{ HOME: "/home/dev" }, "/home/dev/.cache/slipway/node-22/bin"],
  [{ HOME: "/home/dev", XDG_CACHE_HOME: "/var/cache/dev" }, "/var/cache/dev/slipway/node-22/bin"],
])("Node.js 20 is refused with where .ci/run put Node.js 22 (%j)", (env, bin) => {
  expect(runner.nodeVersionProblem("20.20.2", env)).toBe(fix(bin));
});

test.each(["22.0.0", "22.23.5", "24.1.0"])("Node.js %s is accepted", (version) => {
  expect(runner.nodeVersionProblem(version, { HOME: "/home/dev" })).toBeUndefined();
});

test("under Node.js 20, npm test stops at once with exit code 2 and the fix, before lint or jest", async () => {
  // `lint` would print and take seconds; the version check answers before any script starts.
  const run = promisify(execFile)(
    process.execPath,
    ["-r", PRETEND_NODE_20, "scripts/parallel.js", "lint", "test:unit"],
    { cwd: PROJECT_DIR, env: { ...process.env, HOME: "/home/dev", XDG_CACHE_HOME: "" } },
  );
  await expect(run).rejects.toMatchObject({
    code: 2,
    stdout: "",
    stderr: fix("/home/dev/.cache/slipway/node-22/bin"),
  });
});

test("a script name package.json does not have is refused with the names it has", async () => {
  const run = promisify(execFile)(process.execPath, ["scripts/parallel.js", "lint", "tset"], {
    cwd: PROJECT_DIR,
  });
  await expect(run).rejects.toMatchObject({
    code: 2,
    stdout: "",
    stderr: expect.stringMatching(
      /^scripts\/parallel\.js: no npm script named tset; allowed: build, typecheck, lint, .*test:unit.*\n$/,
    ) as unknown,
  });
});

test("the scripts run side by side; a failed one's output is printed whole, then a line each", async () => {
  const written: string[] = [];
  const write = jest
    .spyOn(process.stdout, "write")
    .mockImplementation((chunk) => written.push(String(chunk)) > 0);
  // Each check waits for the other's file, so they finish only when they run side by side.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-parallel-"));
  const scripts = {
    first: `touch ${dir}/first; until [ -e ${dir}/second ]; do sleep 0.01; done; echo first said; exit 3`,
    second: `touch ${dir}/second; until [ -e ${dir}/first ]; do sleep 0.01; done; echo second said`,
    last: "true",
  };
  try {
    expect(await runner.main(["first", "second", "last"], scripts)).toBe(1);
  } finally {
    write.mockRestore();
    fs.rmSync(dir, { recursive: true });
  }
  expect(written.join("").replace(/\d+\.\d s/g, "N s")).toBe(
    "first said\nfirst: failed (exit code 3) in N s\nsecond: ok in N s\nlast: ok in N s\n",
  );
});

test("every script passing, the exit code is 0", async () => {
  const write = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    expect(await runner.main(["quiet", "last"], { quiet: "echo hidden", last: "true" })).toBe(0);
    expect(write.mock.calls.map(([chunk]) => String(chunk).replace(/\d+\.\d s/, "N s"))).toEqual([
      "quiet: ok in N s\n",
      "last: ok in N s\n",
    ]);
  } finally {
    write.mockRestore();
  }
});
