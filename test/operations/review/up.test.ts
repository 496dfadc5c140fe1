// `review up`: the stack brought up through the Automation API against the stand-in `pulumi`, then
// the same `deploy()` as `slipway deploy` against the Heroku fake, then app.json's postdeploy in a
// one-off dyno once per review app: the exact Heroku requests slipway sends, the CLI commands the
// SDK runs, what is recorded on the stack, and what each failure leaves.
import * as fs from "node:fs";
import * as path from "node:path";
import { SlipwayError } from "../../../errors";
import { ReviewFailure } from "../../../operations/review/failure";
import type { ProgressEvent } from "../../../operations/progress";
import { parseLogLine, readPostdeploy } from "../../../operations/review/postdeploy";
import { FIRST_DEPLOY_TAG } from "../../../operations/review/stacks";
import { reviewUp, ReviewUpResult } from "../../../operations/review/up";
import { AppScriptPatch, Faults } from "../../heroku/fake";
import { fakeClock, FakeClock } from "../../heroku/support";
import { reviewWorld, ReviewWorld } from "../../support/review";
import { gitRepo, Repo } from "../git-repo";

// Each CLI command is a process: generous on a loaded machine, a few seconds on an idle one.
jest.setTimeout(180_000);

const BRANCH = "feature/login-form";
const STACK = "review-feature-login-form-jsicug";
const APP = "acme-web-pr-42";
const APP_JSON = JSON.stringify({ scripts: { postdeploy: "npm run seed" } });

let world: ReviewWorld;
let repo: Repo;
let clock: FakeClock;
const events: ProgressEvent[] = [];
/** How the fake runs the app's builds and dynos, set once `up` has made the app. */
let script: { app: string; patch: AppScriptPatch } | undefined;

const context = () => ({
  dir: world.dir,
  env: world.env,
  home: world.env.HOME,
  clock,
  fetch: world.fake.webFetch,
  heroku: { random: () => 0 },
  onProgress: (event: ProgressEvent) => {
    events.push(event);
    if (script && event.message === `${stackOf(script.app)} is up: app ${script.app}`) {
      world.fake.delivery.script(script.app, script.patch);
    }
  },
});
const STACKS: Record<string, string> = {
  [APP]: STACK,
  "acme-web-fix-crash-xwslnn": "review-fix-crash-xwslnn",
  "acme-web-pr-77": "review-broken-vgvatk",
};
const stackOf = (app: string) => STACKS[app];

/** Slipway's own requests (not the stand-in's, which play the program), as routes. */
const requests = () =>
  world.fake.requests
    .filter((r) => !String(r.headers["user-agent"]).startsWith("pulumi-standin"))
    .map((r) => r.route ?? `${r.method} ${r.path}`);
const commands = () => world.ran().map((r) => r.argv.slice(0, 3).join(" "));
/** The stack's tags, as the stand-in keeps them in the file backend. */
const tags = (stack: string) =>
  (
    JSON.parse(
      fs.readFileSync(
        path.join(world.state, ".pulumi", "stacks", "slipway", `${stack}.json`),
        "utf8",
      ),
    ) as { tags: Record<string, string> }
  ).tags;

beforeAll(async () => {
  world = await reviewWorld();
  repo = gitRepo({
    "package.json": '{"name":"acme-web"}\n',
    Procfile: "web: npm start\n",
    "app.json": APP_JSON,
  });
});
afterAll(() => world.close());
beforeEach(() => {
  world.clear();
  world.fake.clearRequests();
  events.length = 0;
  clock = fakeClock();
  script = undefined;
});

const DEPLOY = [
  "GET /apps/{app}",
  "GET /apps/{app}/releases",
  "POST /sources",
  "PUT /sources/{source}",
  "POST /apps/{app}/builds",
  "GET /streams/{stream}",
  "GET /apps/{app}/builds/{build}",
  "GET /apps/{app}/builds/{build}",
  "GET /apps/{app}/releases/{release}",
  "GET /apps/{app}/dynos",
  "GET web:/health",
  "GET web:/health",
  "GET web:/health",
];
const POSTDEPLOY = [
  "POST /apps/{app}/dynos",
  "GET /apps/{app}/dynos/{dyno}",
  "GET /apps/{app}/dynos/{dyno}",
  "GET /apps/{app}/dynos/{dyno}",
  "POST /apps/{app}/log-sessions",
  "GET /streams/{stream}",
];

describe("a pull request's review app, pushed twice", () => {
  let first: ReviewUpResult;

  test("the first up makes the stack, deploys the commit, runs postdeploy once and records it", async () => {
    first = await reviewUp(context(), {
      branch: BRANCH,
      pr: 42,
      sha: repo.sha,
      sourceDir: repo.dir,
    });
    expect(commands()).toEqual([
      "version",
      "whoami --json",
      "stack init review-feature-login-form-jsicug",
      "stack tag set",
      "up --yes --skip-preview",
      "stack output --json",
      "stack output --json",
      "stack history --json",
      "stack tag ls",
      "stack tag set",
    ]);
    expect(requests()).toEqual([...DEPLOY, ...POSTDEPLOY]);
    const up = world.ran().find((r) => r.argv[0] === "up")!.argv;
    expect(up.slice(up.indexOf("--policy-pack"), up.indexOf("--policy-pack") + 2)).toEqual([
      "--policy-pack",
      path.join(world.dir, "policy"),
    ]);
    expect(up[up.indexOf("--message") + 1]).toBe(
      `slipway review up ${BRANCH} at ${repo.sha.slice(0, 12)}`,
    );
    const webUrl = world.fake.state.app(APP).app.web_url;
    expect(first).toMatchObject({
      outcome: "deployed",
      needsAttention: false,
      stack: STACK,
      app: APP,
      url: webUrl,
      sha: repo.sha,
      created: true,
      postdeploy: { command: "npm run seed", dyno: "run.1001", exitStatus: 0 },
    });
    expect(first.summary).toBe(
      `${first.deploy.summary} app.json's postdeploy (\`npm run seed\`) ran once, in run.1001. Review app: ${webUrl}`,
    );
    expect(first.deploy).toMatchObject({ outcome: "deployed", stack: STACK, app: APP });
    // The one-off dyno ran exactly the script, on the release just deployed.
    const dynos = [...world.fake.delivery.oneOffs.values()].map((r) => [
      r.dyno.command,
      r.dyno.release.version,
    ]);
    expect(dynos).toEqual([["npm run seed", first.deploy.release!.version]]);
    expect(world.fake.requests.find((r) => r.route === "POST /apps/{app}/dynos")?.body).toEqual({
      command: "npm run seed",
      attach: false,
      type: "run",
    });
    expect(tags(STACK)[FIRST_DEPLOY_TAG]).toBe(repo.sha);
    expect(first.timings.postdeployMs).toBe(4_000);
    expect(first.timings.deployMs).toBe(first.deploy.timings.totalMs);
    expect(first.timings.totalMs).toBe(
      first.timings.stackMs + first.timings.deployMs! + first.timings.postdeployMs!,
    );
    expect(events.filter((e) => e.step === "postdeploy").map((e) => e.message)).toEqual([
      "run.1001 runs `npm run seed` on acme-web-pr-42",
    ]);
  });

  test("the next push deploys again and does not run postdeploy", async () => {
    const sha = repo.commit({ "index.js": "console.log('v2')\n" });
    const second = await reviewUp(context(), { branch: BRANCH, pr: 42, sha, sourceDir: repo.dir });
    expect(commands()).toEqual([
      "version",
      "whoami --json",
      "stack init review-feature-login-form-jsicug",
      "stack select --stack",
      "up --yes --skip-preview",
      "stack output --json",
      "stack output --json",
      "stack history --json",
      "stack tag ls",
    ]);
    expect(requests()).toEqual(DEPLOY);
    expect(second).toMatchObject({
      outcome: "deployed",
      created: false,
      sha,
      url: first.url,
      postdeploy: null,
      timings: { postdeployMs: null },
    });
    expect(second.deploy.release!.version).toBe(first.deploy.release!.version + 1);
    expect(tags(STACK)[FIRST_DEPLOY_TAG]).toBe(first.sha);
    expect(events.filter((e) => e.step === "postdeploy").map((e) => e.message)).toEqual([
      `not the first deploy of ${APP} (first: ${first.sha}): postdeploy does not run again`,
    ]);
    expect(world.fake.delivery.oneOffs.size).toBe(1);
  });
});

describe("a branch without a pull request whose postdeploy fails", () => {
  const branch = "fix/crash";
  const app = "acme-web-fix-crash-xwslnn";

  test("the deploy is live, postdeploy's failure needs a person, and nothing is recorded", async () => {
    script = { app, patch: { oneOff: { exitStatus: 3, lines: ["seeding", "no such table"] } } };
    const result = await reviewUp(context(), { branch, sha: repo.sha, sourceDir: repo.dir });
    expect(result).toMatchObject({
      outcome: "failed",
      needsAttention: true,
      stack: "review-fix-crash-xwslnn",
      app,
      postdeploy: { command: "npm run seed", dyno: "run.1002", exitStatus: 3 },
    });
    expect(result.summary).toBe(
      `the deploy is live and healthy on ${app} (${result.url}), but app.json's postdeploy ` +
        "(`npm run seed`) ran in run.1002 and exited with status 3. State: review-fix-crash-xwslnn " +
        "is not marked as deployed once, so the next `slipway review up` runs postdeploy again. " +
        `Fix: read its output above (or \`heroku logs --dyno run.1002 -a ${app}\`), make the ` +
        "script succeed (and safe to run twice), and push.",
    );
    expect(events.filter((e) => e.step === "postdeploy" && e.log).map((e) => e.message)).toEqual([
      "seeding",
      "no such table",
    ]);
    expect(tags("review-fix-crash-xwslnn")[FIRST_DEPLOY_TAG]).toBeUndefined();
  });

  test("the next up runs it again, and once it succeeds it is recorded", async () => {
    world.fake.delivery.script(app, { oneOff: { exitStatus: 0, lines: ["seeded"] } });
    const result = await reviewUp(context(), { branch, sha: repo.sha, sourceDir: repo.dir });
    expect(result).toMatchObject({
      outcome: "deployed",
      created: false,
      postdeploy: { dyno: "run.1003", exitStatus: 0 },
    });
    expect(requests()).toEqual([...DEPLOY, ...POSTDEPLOY]);
    expect(tags("review-fix-crash-xwslnn")[FIRST_DEPLOY_TAG]).toBe(repo.sha);
  });
});

describe("postdeploy that cannot be run, and backends without tags", () => {
  test("a dyno Heroku refuses to start: the deploy is live, a person must look", async () => {
    world.fake.fault("POST /apps/{app}/dynos", Faults.serverError(500));
    const error = await reviewUp(context(), {
      branch: "seed/refused",
      pr: 88,
      sha: repo.sha,
      sourceDir: repo.dir,
    }).catch((e: unknown) => e);
    expect(ReviewFailure.isInstance(error) && error.outcome).toBe("needs-attention");
    expect((error as Error).message).toMatch(
      /^the deploy is live and healthy on acme-web-pr-88, but slipway could not run or follow app\.json's postdeploy \(`npm run seed`\): Heroku API POST \/apps\/acme-web-pr-88\/dynos answered 500 internal_server_error: Internal server error\. \[request id [0-9a-f-]+\]\. State: /,
    );
    expect((error as Error).message).toMatch(
      /State: review-seed-refused-[a-z]{6} is not marked as deployed once, so the next `slipway review up` runs postdeploy again\. Fix: check `heroku ps -a acme-web-pr-88` and `heroku logs -a acme-web-pr-88` for a dyno that ran it before you push again\.$/,
    );
    expect(world.fake.count("POST /apps/{app}/dynos")).toBe(1);
  });

  test("a backend that cannot tag stacks runs postdeploy only when up created the stack", async () => {
    world.scenario({ tagsUnsupported: true });
    const up = () =>
      reviewUp(context(), { branch: "untagged", pr: 99, sha: repo.sha, sourceDir: repo.dir });
    const first = await up();
    const second = await up();
    world.scenario({});
    expect([first.created, first.postdeploy?.exitStatus]).toEqual([true, 0]);
    expect([second.created, second.postdeploy, second.outcome]).toEqual([false, null, "deployed"]);
    expect(
      events
        .filter((e) => e.message.startsWith("could not tag"))
        .map((e) => e.message.split(" (")[0]),
    ).toEqual([
      "could not tag review-untagged-" + first.stack.slice(-6) + " with its creation time",
      "could not tag review-untagged-" + first.stack.slice(-6) + " with its first deploy",
    ]);
  });
});

describe("failures that stop before postdeploy", () => {
  test("a failed build: nothing more runs, nothing is recorded, and nobody needs to act", async () => {
    const app = "acme-web-pr-77";
    script = { app, patch: { build: { outcome: "failed" } } };
    const result = await reviewUp(context(), {
      branch: "broken",
      pr: 77,
      sha: repo.sha,
      sourceDir: repo.dir,
    });
    expect(result).toMatchObject({
      outcome: "failed",
      needsAttention: false,
      app,
      postdeploy: null,
      deploy: { failedStep: "build" },
      timings: { postdeployMs: null },
    });
    expect(result.summary).toBe(result.deploy.summary);
    expect(requests()).not.toContain("POST /apps/{app}/dynos");
    expect(commands()).not.toContain("stack tag ls");
  });

  test("a SHA that is not a commit is bad input before any stack is touched", async () => {
    const error = await reviewUp(context(), {
      branch: BRANCH,
      sha: "f".repeat(40),
      sourceDir: repo.dir,
    }).catch((e: unknown) => e);
    expect(SlipwayError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^--sha: f{40} is not a commit of the repository at /);
    expect(world.ran()).toEqual([]);
    expect(requests()).toEqual([]);
  });
});

describe("app.json", () => {
  const at = (files: Record<string, string>) => {
    const r = gitRepo({ "package.json": "{}\n", ...files });
    return readPostdeploy(r.dir, r.sha);
  };

  test.each([
    [{}, undefined],
    [{ "app.json": "{}" }, undefined],
    [{ "app.json": '{"scripts":{}}' }, undefined],
    [{ "app.json": '{"scripts":{"postdeploy":"bin/seed"}}' }, "bin/seed"],
  ])("%j: postdeploy %j", async (files, expected) => {
    expect(await at(files)).toBe(expected);
  });

  test("is read from the commit, not the working tree", async () => {
    const r = gitRepo({ "app.json": '{"scripts":{"postdeploy":"committed"}}' });
    r.write("app.json", '{"scripts":{"postdeploy":"edited"}}');
    expect(await readPostdeploy(r.dir, r.sha)).toBe("committed");
  });

  test.each([
    ["not json", /^is not JSON \(/],
    ['{"scripts":{"postdeploy":7}}', /^has scripts\.postdeploy 7$/],
    ['{"scripts":"npm run seed"}', /^has scripts "npm run seed"$/],
    ['{"scripts":{"postdeploy":" "}}', /^has scripts\.postdeploy " "$/],
  ])("%j is bad input naming app.json", async (text, problem) => {
    const r = gitRepo({ "app.json": text });
    const error = await readPostdeploy(r.dir, r.sha).catch((e: unknown) => e);
    expect(SlipwayError.isInstance(error)).toBe(true);
    const message = (error as Error).message;
    const prefix = `app.json: at ${r.sha.slice(0, 12)} `;
    expect(message.startsWith(prefix)).toBe(true);
    const rest = message.slice(prefix.length).split(". Allowed: ")[0] as string;
    expect(rest).toMatch(problem);
    expect(
      message.endsWith(
        'Fix: e.g. {"scripts": {"postdeploy": "npm run seed"}}, commit it, and push.',
      ),
    ).toBe(true);
  });

  test.each([
    [
      "2026-11-29T22:00:00+00:00 app[run.1001]: seeded 3 users",
      { source: "app", dyno: "run.1001", text: "seeded 3 users" },
    ],
    [
      "2026-11-29T22:00:00+00:00 heroku[run.1001]: Process exited with status 0",
      { source: "heroku", dyno: "run.1001", text: "Process exited with status 0" },
    ],
    ["a line of no dyno", undefined],
  ])("log line %j", (line, parsed) => {
    expect(parseLogLine(line)).toEqual(parsed);
  });
});
