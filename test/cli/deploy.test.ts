// `slipway deploy` as people and workflows run it: flags (every bad one exits 2 with the usual
// message), the target from the stack files, exit codes 0/1/4 against the fake Heroku, JSON
// alone on stdout with --format json, and the real command as a child process.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { deployTarget } from "../../cli/deploy-target";
import { main } from "../../cli/main";
import type { FakeHeroku } from "../heroku/fake";
import { routeToRouter } from "../heroku/fake/web-routing";
import { gitRepo } from "../operations/git-repo";
import { APP, useHerokuFixture } from "../heroku/delivery-fixture";
import { PROJECT_DIR } from "../support/stacks";

const BIN = path.join(PROJECT_DIR, "bin", "slipway.js");
const PRELOAD = path.join(PROJECT_DIR, "test", "support", "fake-web.js");
const repo = gitRepo({ "index.js": "require('http').createServer().listen(process.env.PORT)\n" });

const fixture = useHerokuFixture();
let fake: FakeHeroku;
const realFetch = globalThis.fetch;
beforeEach(() => {
  fake = fixture().fake;
  // No sleeps with a real clock: the build is done at its first poll, one probe makes it healthy.
  fake.delivery.script(APP, { build: { polls: 0 } });
  // The command probes web URLs with the global fetch: in this process, through the router.
  globalThis.fetch = routeToRouter(fake.routerUrl, realFetch);
});
afterEach(() => {
  globalThis.fetch = realFetch;
});

const env = () => ({ HEROKU_API_KEY: fake.token, HEROKU_API_URL: fake.url });
const FLAGS = [
  "--sha",
  repo.sha,
  "--source",
  repo.dir,
  "--dir",
  PROJECT_DIR,
  "--poll-interval",
  "1",
  "--health-checks",
  "1",
];

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
  const code = await main(["deploy", ...args], io, { cwd: PROJECT_DIR, env: env() });
  return { code, stdout, stderr };
}

describe("bad input exits 2 with the flag, the value, what is allowed and the fix", () => {
  test.each([
    [[], "--stack: missing. Allowed: staging, or review-<slug>. Fix: --stack staging"],
    [
      ["--stack", "production"],
      "--stack: production is never a deploy target: it only runs what staging built and tested, promoted through the pipeline. Allowed: staging, or review-<slug>. Fix: slipway deploy --stack staging --sha SHA, then slipway promote.",
    ],
    [
      ["--stack", "qa"],
      `--stack: got "qa", which has no Pulumi.qa.yaml in ${PROJECT_DIR}. Allowed: staging (or another stack with a committed file), or review-<slug>. Fix: --stack staging, or --dir <the slipway project folder>.`,
    ],
    [
      ["--stack", "review-login-form"],
      "--app: missing: the review stack review-login-form has no committed file to name its app. Allowed: the review app's name (`slipway review name` prints it). Fix: --app <name>",
    ],
    [
      ["--stack", "staging", "--app", "Acme_Web"],
      '--app: got "Acme_Web". Allowed: a Heroku app name (3-30 characters: a lowercase letter, then lowercase letters, digits or dashes, not ending in a dash). Fix: --app acme-web-pr-42',
    ],
    [
      ["--stack", "staging", "--poll-interval", "0"],
      '--poll-interval: got "0". Allowed: a whole number of seconds from 1 to 60: how often deploy and promote ask Heroku for news. Fix: --poll-interval 2',
    ],
    [
      ["--stack", "staging", "--health-window", "5m"],
      '--health-window: got "5m". Allowed: a whole number of seconds from 10 to 3600: how long the health check may take to pass. Fix: --health-window 300',
    ],
    [
      ["--stack", "staging", "--health-checks", "21"],
      '--health-checks: got "21". Allowed: a whole number from 1 to 20: consecutive HTTP 200 answers that make an app healthy. Fix: --health-checks 3',
    ],
    [
      ["--stack", "staging", "--format", "yaml"],
      '--format: got "yaml". Allowed: text, json. Fix: --format json',
    ],
    [
      ["--stack", "staging"],
      '--sha: missing. Allowed: the commit to build. Fix: --sha "$(git rev-parse HEAD)"',
    ],
    [
      ["--stack", "staging", "--force"],
      "arguments: Unknown option '--force'. Allowed: --stack, --sha, --source, --app, --dir, --poll-interval, --health-window, --health-checks, --format, --help. Fix: run `slipway deploy --help`.",
    ],
  ])("deploy %j", async (args, message) => {
    const dirArgs = args.includes("--dir") ? [] : ["--dir", PROJECT_DIR];
    expect(await run([...args, ...dirArgs])).toEqual({
      code: 2,
      stdout: "",
      stderr: `slipway: ${message}\n`,
    });
    expect(fake.requests).toEqual([]);
  });

  test("--dir and --source default to the current folder: a SHA that folder's repository lacks", async () => {
    const result = await run(["--stack", "staging", "--sha", repo.sha]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `slipway: --sha: ${repo.sha} is not a commit of the repository at ${PROJECT_DIR}. Allowed: a commit that checkout has (a shallow clone may lack it). Fix: git -C ${PROJECT_DIR} fetch origin ${repo.sha}, or pass the SHA of HEAD.\n`,
    });
  });

  test("a stack file that declares itself production is refused too", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-deploy-"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const production = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.production.yaml"), "utf8");
    fs.writeFileSync(
      path.join(dir, "Pulumi.prod-eu.yaml"),
      production.replace("config:\n", "config:\n  slipway:environment: production\n"),
    );
    const result = await run(["--stack", "prod-eu", "--dir", dir, "--sha", repo.sha]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^slipway: --stack: prod-eu is a production stack\. production is never a deploy target/,
    );
  });
});

describe("the target", () => {
  test("staging: the stack file's app, health path and slipway:deploy; flags override", () => {
    expect(deployTarget(PROJECT_DIR, { stack: "staging", "health-window": "60" })).toMatchObject({
      stack: "staging",
      app: APP,
      healthCheckPath: "/health",
      deploy: { pollIntervalSeconds: 2, healthWindowSeconds: 60, healthChecks: 3 },
    });
    expect(deployTarget(PROJECT_DIR, { stack: "staging", app: "acme-other" }).app).toBe(
      "acme-other",
    );
  });

  test("a review stack: --app, with production's health path and settings, or the defaults without a production file", () => {
    const review = { stack: "review-login-form", app: "acme-web-pr-7" };
    expect(deployTarget(PROJECT_DIR, review)).toMatchObject({
      app: "acme-web-pr-7",
      healthCheckPath: "/health",
    });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-deploy-"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(empty, "Pulumi.yaml"));
    expect(deployTarget(empty, { ...review, "health-checks": "5" })).toMatchObject({
      app: "acme-web-pr-7",
      healthCheckPath: "/health",
      deploy: { pollIntervalSeconds: 2, healthWindowSeconds: 300, healthChecks: 5 },
    });
  });
});

describe("exit codes against the fake Heroku", () => {
  test("deployed: 0, one JSON document on stdout, progress on stderr", async () => {
    const { code, stdout, stderr } = await run([
      "--stack",
      "staging",
      ...FLAGS,
      "--format",
      "json",
    ]);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([
      "outcome",
      "stack",
      "app",
      "sha",
      "failedStep",
      "needsAttention",
      "summary",
      "buildId",
      "release",
      "fromRelease",
      "toRelease",
      "snapshotId",
      "promotionId",
      "rolledBackTo",
      "webUrl",
      "health",
      "timings",
    ]);
    expect(doc).toMatchObject({
      outcome: "deployed",
      stack: "staging",
      app: APP,
      sha: repo.sha,
      failedStep: null,
      needsAttention: false,
      release: { version: 2 },
      fromRelease: { version: 1 },
      toRelease: { version: 2 },
      snapshotId: null,
      promotionId: null,
      rolledBackTo: null,
      health: { passed: true, probes: [{ status: 200, release: "v2", ok: true }] },
    });
    expect(stderr).toMatch(
      /^\[\s+\d+\.\ds\] source: [0-9a-f]{12}: 1 KiB of tracked files; acme-web-staging runs v1\n/,
    );
    expect(stderr).toContain("           build | -----> Building on the Heroku-24 stack\n");
  });

  test("a failed build: 1, the step named", async () => {
    fake.delivery.script(APP, { build: { outcome: "failed" } });
    const { code, stdout } = await run(["--stack", "staging", ...FLAGS]);
    expect(code).toBe(1);
    expect(stdout.split("\n").at(-2)).toMatch(
      /^failed \(build step\): the build of [0-9a-f]{12} failed on acme-web-staging/,
    );
  });

  test("unhealthy after the release (the new code crashes): 4, a person must act", async () => {
    fake.delivery.script(APP, { rollout: { finalState: "crashed" } });
    const { code, stdout } = await run(["--stack", "staging", ...FLAGS]);
    expect(code).toBe(4);
    expect(stdout.split("\n").at(-2)).toMatch(
      /^NEEDS ATTENTION \(health step\): v2 \([0-9a-f]{12}\) is live on acme-web-staging but failed its health check: web\.1 crashed on v2/,
    );
  });
});

describe("the real command as a child process", () => {
  // A child loads the whole CLI (the Pulumi SDK for plan included): seconds on a loaded machine.
  const CHILD_TIMEOUT_MS = 120_000;

  async function slipway(args: string[]) {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ["-r", PRELOAD, BIN, "deploy", ...args],
        {
          cwd: PROJECT_DIR,
          env: { ...process.env, ...env(), SLIPWAY_FAKE_ROUTER_URL: fake.routerUrl, CI: "true" },
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  test(
    "deployed: exit 0 and only the JSON document on stdout",
    async () => {
      const { code, stdout } = await slipway(["--stack", "staging", ...FLAGS, "--format", "json"]);
      expect(code).toBe(0);
      expect((JSON.parse(stdout) as { outcome: string }).outcome).toBe("deployed");
    },
    CHILD_TIMEOUT_MS,
  );

  test(
    "a failed release phase: exit 1, the release phase output and the step on stdout",
    async () => {
      fake.delivery.script(APP, {
        releasePhase: { outcome: "failed", polls: 0, lines: ["rake aborted!"] },
      });
      const { code, stdout, stderr } = await slipway(["--stack", "staging", ...FLAGS]);
      expect([code, stderr]).toEqual([1, ""]);
      expect(stdout).toContain("           release | rake aborted!\n");
      expect(stdout).toMatch(
        /\nfailed \(release step\): the release phase of v2 failed on acme-web-staging/,
      );
    },
    CHILD_TIMEOUT_MS,
  );
});
