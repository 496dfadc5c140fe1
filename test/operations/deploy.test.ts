// `deploy` as a function against the fake: the exact requests of each path, the output streamed
// to progress, and what each failure leaves (nothing changed: exit 1; a person must act: 4).
import { SlipwayError } from "../../errors";
import { deploy, DeployRequest, DeployResult } from "../../operations/deploy";
import { released, SHA_A, sequence } from "../heroku/delivery-support";
import { Faults, Release } from "../heroku/fake";
import { rejectionOf } from "../heroku/support";
import { gitRepo, Repo, tarballFiles } from "./git-repo";
import { APP, useHerokuFixture } from "../heroku/delivery-fixture";

const fixture = useHerokuFixture();
const repo: Repo = gitRepo({
  "package.json": '{"name":"acme-web"}\n',
  Procfile: "web: npm start\n",
});

let v2: Release;
beforeEach(async () => {
  const { client, fake } = fixture();
  v2 = (await released(client, APP, SHA_A)).release;
  fake.clearRequests();
});

function run(request: Partial<DeployRequest> = {}, ci = false): Promise<DeployResult> {
  const { client, clock, progress, fake } = fixture();
  return deploy(
    {
      stack: "staging",
      app: APP,
      sha: repo.sha,
      sourceDir: repo.dir,
      healthCheckPath: "/health",
      pollIntervalMs: 2_000,
      healthWindowMs: 60_000,
      healthChecks: 2,
      ...request,
    },
    { client, clock, progress, fetch: fake.webFetch, ci },
  );
}

const UPLOAD = [
  "GET /apps/{app}",
  "GET /apps/{app}/releases",
  "POST /sources",
  "PUT /sources/{source}",
];
const BUILD = [
  "POST /apps/{app}/builds",
  "GET /streams/{stream}",
  "GET /apps/{app}/builds/{build}",
  "GET /apps/{app}/builds/{build}",
];

test("a deploy with a release phase and preboot: every request in order, output streamed, healthy", async () => {
  const { fake, events, clock } = fixture();
  fake.delivery.script(APP, {
    build: { lines: ["-----> Building", "-----> Launching"] },
    releasePhase: { polls: 1, lines: ["Running migrations", "done"] },
    rollout: { oldPolls: 1, startingPolls: 0 },
  });
  const result = await run();
  expect(sequence(fake)).toEqual([
    ...UPLOAD,
    ...BUILD,
    "GET /apps/{app}/releases/{release}",
    "GET /streams/{stream}",
    "GET /apps/{app}/releases/{release}",
    "GET /apps/{app}/dynos",
    "GET /apps/{app}/dynos",
    "GET web:/health",
    "GET web:/health",
  ]);
  const build = [...fake.delivery.builds.values()][1]!.build;
  // The build names the uploaded source (a get_url of this fake) and the full SHA.
  expect(fake.requests[4]!.body).toEqual({
    source_blob: { url: build.source_blob.url, version: repo.sha },
  });
  const uploaded = fake.delivery.sourceOfUrl(build.source_blob.url)!.bytes!;
  expect(tarballFiles(uploaded)).toEqual({
    "package.json": '{"name":"acme-web"}\n',
    Procfile: "web: npm start\n",
  });
  expect(events.filter((e) => e.log).map((e) => `${e.step}| ${e.message}`)).toEqual([
    "build| -----> Building",
    "build| -----> Launching",
    "release| Running migrations",
    "release| done",
  ]);
  expect(result).toMatchObject({
    outcome: "deployed",
    needsAttention: false,
    failedStep: null,
    stack: "staging",
    app: APP,
    sha: repo.sha,
    buildId: build.id,
    release: { version: 3 },
    previousRelease: { id: v2.id, version: 2 },
    webUrl: expect.stringMatching(
      /^https:\/\/acme-web-staging-[0-9a-f]{12}\.herokuapp\.com\/$/,
    ) as unknown,
    health: { passed: true },
    summary: `${repo.sha.slice(0, 12)} is live on ${APP} as v3 and healthy: 2 consecutive 200s from ${result.webUrl}health naming v3.`,
    timings: {
      sourceMs: 0,
      uploadMs: 0,
      buildMs: 2_000,
      releaseMs: 0,
      healthMs: 4_000,
      totalMs: 6_000,
    },
  });
  expect(clock.sleeps).toEqual([2_000, 2_000, 2_000]);
  expect(
    events
      .filter((e) => !e.log)
      .map((e) => `${e.step}: ${e.message}`)
      .slice(0, 6),
  ).toEqual([
    `source: ${repo.sha.slice(0, 12)}: 1 KiB of tracked files; ${APP} runs v2`,
    "upload: uploaded 1 KiB",
    `build: build ${build.id} of ${repo.sha.slice(0, 12)} on ${APP}`,
    `build: build ${build.id} succeeded`,
    "release: v3: the release phase is running",
    "release: v3 released",
  ]);
});

test("a failed build fails the build step; nothing is asked of Heroku after it", async () => {
  const { fake } = fixture();
  fake.delivery.script(APP, {
    build: { outcome: "failed", lines: ["npm ERR! missing script: build"] },
  });
  const result = await run();
  expect(sequence(fake)).toEqual([...UPLOAD, ...BUILD]);
  expect(result).toMatchObject({
    outcome: "failed",
    failedStep: "build",
    needsAttention: false,
    release: null,
    health: null,
  });
  expect(result.summary).toBe(
    `the build of ${repo.sha.slice(0, 12)} failed on ${APP} (build ${result.buildId}). Nothing changed: ${APP} still runs v2. Fix what the build output above reports, push, and deploy again.`,
  );
});

test("a failed release phase fails the release step; no health check follows", async () => {
  const { fake, events } = fixture();
  fake.delivery.script(APP, {
    releasePhase: { outcome: "failed", polls: 0, lines: ["ERROR: column exists"] },
  });
  const result = await run();
  expect(sequence(fake)).toEqual([
    ...UPLOAD,
    ...BUILD,
    "GET /apps/{app}/releases/{release}",
    "GET /streams/{stream}",
  ]);
  expect(result).toMatchObject({
    outcome: "failed",
    failedStep: "release",
    needsAttention: false,
    release: { version: 3 },
  });
  expect(result.summary).toContain(
    `the release phase of v3 failed on ${APP}, so Heroku did not deploy it: ${APP} still runs v2.`,
  );
  expect(events.filter((e) => e.log).pop()).toEqual({
    step: "release",
    message: "ERROR: column exists",
    log: true,
  });
});

test("unhealthy after the release: the new release stays live and a person must act", async () => {
  const { fake } = fixture();
  fake.delivery.answerWeb(APP, ...Array.from({ length: 40 }, () => ({ status: 500 })));
  const result = await run({ healthWindowMs: 10_000 });
  expect(result).toMatchObject({
    outcome: "failed",
    failedStep: "health",
    needsAttention: true,
    health: { passed: false },
  });
  expect(result.summary).toBe(
    `v3 (${repo.sha.slice(0, 12)}) is live on ${APP} but failed its health check: ${result.health!.reason}. deploy does not roll back, so ${APP} is left on the new release (it ran v2 before). Decide now: roll back with \`heroku releases:rollback v2 -a ${APP}\`, or fix forward (docs/runbook.md, "Deploy").`,
  );
});

test("an app without a web URL cannot be health checked: a person must look", async () => {
  const { fake } = fixture();
  fake.state.app(APP).app.web_url = null;
  const result = await run();
  expect(result).toMatchObject({
    failedStep: "health",
    needsAttention: true,
    webUrl: null,
    health: null,
  });
  expect(result.summary).toBe(
    `v3 is live on ${APP}, but Heroku gives the app no web URL, so its health could not be checked. Check the app by hand.`,
  );
  expect(sequence(fake).at(-1)).toBe("GET /apps/{app}/releases/{release}");
});

test("429s while polling the build are retried after Retry-After", async () => {
  const { fake, clock } = fixture();
  fake.fault("GET /apps/{app}/builds/{build}", Faults.rateLimited(3), Faults.rateLimited(3));
  const result = await run();
  expect(result.outcome).toBe("deployed");
  expect(clock.sleeps.slice(0, 3)).toEqual([3_000, 3_000, 2_000]);
  expect(fake.count("GET /apps/{app}/builds/{build}")).toBe(4);
});

test("a build create whose answer was lost is found and followed, never sent twice", async () => {
  const { fake, events } = fixture();
  fake.fault("POST /apps/{app}/builds", Faults.applyThen(Faults.reset()));
  const result = await run();
  expect(result.outcome).toBe("deployed");
  expect(fake.count("POST /apps/{app}/builds")).toBe(1);
  expect(sequence(fake).slice(4, 6)).toEqual(["POST /apps/{app}/builds", "GET /apps/{app}/builds"]);
  expect(events.find((e) => e.step === "build")?.message).toBe(
    `found the build ${result.buildId} of ${repo.sha.slice(0, 12)} on ${APP}`,
  );
});

test.each([
  [true, "In CI no one can answer it: give the workflow the HEROKU_API_KEY of an account"],
  [false, `Run any Heroku CLI command on ${APP} that asks for your code`],
])("a two-factor-protected app fails clearly (CI: %s)", async (ci, advice) => {
  const { fake } = fixture();
  fake.fault("POST /apps/{app}/builds", {
    kind: "status",
    status: 403,
    id: "two_factor",
    message: "This action requires a second factor.",
  });
  const result = await run({}, ci);
  expect(result).toMatchObject({ outcome: "failed", failedStep: "build", needsAttention: false });
  expect(result.summary).toContain(
    `Heroku asks for a second factor (two-factor authentication) before it lets this token change ${APP}, and slipway never prompts. ${advice}`,
  );
  expect(sequence(fake).at(-1)).toBe("POST /apps/{app}/builds");
});

test("an upload S3 refuses fails the upload step; no build is made", async () => {
  const { fake } = fixture();
  fake.fault("PUT /sources/{source}", {
    kind: "status",
    status: 403,
    id: "AccessDenied",
    message: "expired",
  });
  const result = await run();
  expect(sequence(fake)).toEqual(UPLOAD);
  expect(result).toMatchObject({
    outcome: "failed",
    failedStep: "upload",
    needsAttention: false,
    buildId: null,
  });
  expect(result.summary).toBe(
    `the upload step failed: uploading the source tarball failed: S3 answered 403 (1 attempt). Nothing changed: ${APP} still runs v2. Run the deploy again once the cause is gone.`,
  );
});

test("a build that outlasts its bound leaves the deploy unknown: a person must act", async () => {
  const { fake } = fixture();
  fake.delivery.script(APP, { build: { polls: 100 } });
  const result = await run({ buildTimeoutMs: 6_000 });
  expect(result).toMatchObject({ outcome: "failed", failedStep: "build", needsAttention: true });
  expect(fake.count("GET /apps/{app}/builds/{build}")).toBe(4);
  expect(result.summary).toContain(
    `slipway lost track of the deploy at the build step: Heroku: build ${result.buildId} of ${APP} was not ready after 6 s`,
  );
  expect(result.summary).toContain(`\`heroku builds -a ${APP}\``);
});

test("a release wait that fails after the build leaves the deploy unknown", async () => {
  const { fake } = fixture();
  fake.fault("GET /apps/{app}/releases/{release}", {
    kind: "status",
    status: 404,
    id: "not_found",
    message: "gone",
  });
  const result = await run();
  expect(result).toMatchObject({ failedStep: "release", needsAttention: true, release: null });
});

test("a dyno list that keeps failing during the health check leaves the deploy unknown", async () => {
  const { fake } = fixture();
  fake.fault("GET /apps/{app}/dynos", ...Array.from({ length: 5 }, () => Faults.unavailable()));
  const result = await run();
  expect(result).toMatchObject({
    failedStep: "health",
    needsAttention: true,
    release: { version: 3 },
  });
});

describe("bad input is a SlipwayError before anything changes", () => {
  test("an app Heroku does not know", async () => {
    const error = await rejectionOf<SlipwayError>(run({ app: "acme-nowhere" }));
    expect(error.problems[0]!.key).toBe("app");
    expect(error.problems[0]!.message).toContain(
      'Heroku has no app "acme-nowhere" that HEROKU_API_KEY can see.',
    );
    expect(sequence(fixture().fake)).toEqual(["GET /apps/{app}"]);
  });

  test("a token Heroku refuses", async () => {
    const { fake } = fixture();
    fake.fault("GET /apps/{app}", Faults.unauthorized());
    const error = await rejectionOf<SlipwayError>(run());
    expect(error.problems[0]!.key).toBe("HEROKU_API_KEY");
    expect(error.problems[0]!.message).toContain("Heroku refused the token (401 unauthorized).");
  });

  test("a SHA the checkout does not have: no request at all", async () => {
    const error = await rejectionOf<SlipwayError>(
      run({ sha: "0123456789abcdef0123456789abcdef01234567" }),
    );
    expect(error.problems[0]!.key).toBe("--sha");
    expect(fixture().fake.requests).toEqual([]);
  });

  test("a server error before the build is a failed source step that changed nothing", async () => {
    const { fake } = fixture();
    fake.fault("GET /apps/{app}", ...Array.from({ length: 5 }, () => Faults.unavailable()));
    const result = await run();
    expect(result).toMatchObject({ failedStep: "source", needsAttention: false, webUrl: null });
  });
});
