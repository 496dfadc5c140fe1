// `slipway changes`' exit codes off its happy path: a bad --format (2, before anything is asked),
// a token Heroku refuses (2, not "could not be read"), and a bug while printing (3 with the
// trace, not taken for a Heroku or GitHub failure). promote.test.ts covers 0 and 1.
import { main } from "../../cli/main";
import { Faults } from "../heroku/fake";
import { PROJECT_DIR } from "../support/stacks";
import { envOf, PRODUCTION, usePromoteWorld } from "../operations/promote-fixture";

const world = usePromoteWorld();

async function run(args: string[], stdout: (text: string) => void = () => undefined) {
  let stderr = "";
  const io = { stdout, stderr: (t: string) => (stderr += t) };
  const code = await main(args, io, { cwd: PROJECT_DIR, env: envOf(world()) });
  return { code, stderr };
}

test("a --format changes does not know: 2, naming the flag, before Heroku is asked", async () => {
  expect(await run(["changes", "--format", "html"])).toEqual({
    code: 2,
    stderr:
      'slipway: --format: got "html". Allowed: text, json, markdown. Fix: --format markdown\n',
  });
  expect(world().heroku.fake.requests).toEqual([]);
});

test("a token Heroku refuses: 2, naming HEROKU_API_KEY", async () => {
  world().heroku.fake.fault(`GET /apps/${PRODUCTION}/releases`, Faults.unauthorized());
  const { code, stderr } = await run(["changes"]);
  expect(code).toBe(2);
  expect(stderr).toBe(
    "slipway: HEROKU_API_KEY: Heroku refused the token (401 unauthorized). Allowed: a valid " +
      "Heroku API token. Fix: export HEROKU_API_KEY=$(heroku auth:token), or a long-lived one " +
      "from `heroku authorizations:create`.\n",
  );
});

test("a bug while printing what ships: 3 with its stack trace", async () => {
  const bug = new Error("renderer broke");
  const { code, stderr } = await run(["changes"], () => {
    throw bug;
  });
  expect(code).toBe(3);
  // After the progress lines (their times vary): the trace, and nothing about Heroku or GitHub.
  const report = stderr.slice(stderr.indexOf("slipway: "));
  expect(report).toBe(
    `slipway: internal error (a bug in slipway, please report it):\n${bug.stack}\n`,
  );
});
