// main()'s own exit codes, in-process and without running a stack: the short flags, help on a
// topic, an unknown topic, and a bug (exit 3 with the stack trace), which no command reaches on
// purpose. cli.test.ts covers the same paths through plan.
import * as path from "node:path";
import { reviewCommand } from "../../cli/commands/review";
import { helpFor, main, USAGE } from "../../cli/main";
import { PROJECT_DIR } from "../support/stacks";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION = (require("../../package.json") as { version: string }).version;

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
  const code = await main(args, io, { cwd: PROJECT_DIR, env: {} });
  return { code, stdout, stderr };
}

test.each([
  [["-V"], 0, `slipway ${VERSION}\n`],
  [["-h"], 0, USAGE],
  [["--help"], 0, USAGE],
  [["-h", "review"], 0, USAGE],
  [["help"], 0, USAGE],
  [["help", "review"], 0, helpFor(reviewCommand)],
  [["review", "-h"], 0, helpFor(reviewCommand)],
  [["review", "list", "--help"], 0, helpFor(reviewCommand)],
  [[], 2, USAGE],
])("%j exits %i with its text on stdout", async (args, code, stdout) => {
  expect(await run(args)).toEqual({ code, stdout, stderr: "" });
});

test("help on a topic that is no command is bad input, with the nearest command", async () => {
  expect(await run(["help", "reveiw"])).toEqual({
    code: 2,
    stdout: "",
    stderr:
      'slipway: command: unknown command "reveiw". Did you mean review? Allowed: plan, deploy, ' +
      "changes, promote, review. Fix: run `slipway --help`.\n",
  });
});

test("a command far from every name: no suggestion", async () => {
  expect(await run(["zzz"])).toEqual({
    code: 2,
    stdout: "",
    stderr:
      'slipway: command: unknown command "zzz". Allowed: plan, deploy, changes, promote, review. ' +
      "Fix: run `slipway --help`.\n",
  });
});

test("the folder and environment given are the command's, not the process's", async () => {
  let stderr = "";
  const io = { stdout: () => undefined, stderr: (t: string) => (stderr += t) };
  const docs = path.join(PROJECT_DIR, "docs");
  expect(await main(["review", "name", "--branch", "main"], io, { cwd: docs, env: {} })).toBe(2);
  expect(stderr).toBe(
    `slipway: docs/Pulumi.yaml: cannot be read at ${path.join(docs, "Pulumi.yaml")}. Fix: run slipway from the project folder.\n`,
  );
  stderr = "";
  // A GITHUB_TOKEN only in the given environment: promote gets past it, to Heroku's token.
  const ask = () => Promise.resolve("n");
  const env = { GITHUB_TOKEN: "t" };
  expect(await main(["promote"], io, { cwd: PROJECT_DIR, env, ask })).toBe(2);
  expect(stderr).toMatch(
    /^slipway: HEROKU_API_KEY: no Heroku API token: HEROKU_API_KEY is not set/,
  );
});

test("the command's exit code is main's", async () => {
  expect(await run(["review", "name", "--branch", "main", "--pr", "7"])).toEqual({
    code: 0,
    stdout: "stack review-main-taemat\napp   acme-web-pr-7\n",
    stderr: "",
  });
});

test("a terminal to ask on is passed through: promote asks instead of refusing for want of --yes", async () => {
  let stderr = "";
  const io = { stdout: () => undefined, stderr: (t: string) => (stderr += t) };
  const ask = () => Promise.resolve("n");
  // No GITHUB_TOKEN: refused as bad input only after the confirmation check passed.
  const code = await main(["promote"], io, { cwd: PROJECT_DIR, env: {}, ask });
  expect(code).toBe(2);
  expect(stderr).toBe(
    "slipway: GITHUB_TOKEN: not set. slipway reads commits and pull requests with it. Allowed: a " +
      "token that can read the application's repository (contents and pull requests). Fix: export " +
      "GITHUB_TOKEN=<token> (in GitHub Actions: env GITHUB_TOKEN: ${{ github.token }}).\n",
  );
});

describe("a bug is exit 3 with what was thrown", () => {
  const failing = (thrown: unknown) => {
    let stderr = "";
    const io = {
      stdout: () => {
        throw thrown;
      },
      stderr: (t: string) => (stderr += t),
    };
    return main(["--version"], io, { cwd: PROJECT_DIR, env: {} }).then((code) => ({
      code,
      stderr,
    }));
  };
  const head = "slipway: internal error (a bug in slipway, please report it):\n";

  test("an Error: its stack trace", async () => {
    const error = new Error("stdout closed");
    expect(await failing(error)).toEqual({ code: 3, stderr: `${head}${error.stack}\n` });
  });

  test("an Error without a stack: its message", async () => {
    const error = new Error("stdout closed");
    delete error.stack;
    expect(await failing(error)).toEqual({ code: 3, stderr: `${head}stdout closed\n` });
  });

  test("anything else: as text", async () => {
    expect(await failing("EPIPE")).toEqual({ code: 3, stderr: `${head}EPIPE\n` });
  });
});
