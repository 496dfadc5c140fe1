// `slipway changes` and `slipway promote` as people and the deploy workflow run them: flags (bad
// ones exit 2), the confirmation (a terminal, --yes, or exit 2 without either), exit codes and
// the JSON document against the fakes, and the workflow's exact call as a child process.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { promoteDocument, promoteExitCode } from "../../cli/commands/promote";
import { main } from "../../cli/main";
import { promoteTarget } from "../../cli/promote-target";
import type { PromoteOutcome, PromoteResult } from "../../operations/promote";
import { routeToRouter } from "../heroku/fake/web-routing";
import { PROJECT_DIR } from "../support/stacks";
import { envOf, PRODUCTION, STAGING, usePromoteWorld } from "../operations/promote-fixture";

const BIN = path.join(PROJECT_DIR, "bin", "slipway.js");
const PRELOAD = path.join(PROJECT_DIR, "test", "support", "fake-web.js");
const FAST = ["--poll-interval", "1", "--health-checks", "1"];

const world = usePromoteWorld();
const realFetch = globalThis.fetch;
beforeEach(() => {
  const { fake } = world().heroku;
  // No real waits beyond the snapshot's one poll: the copy is made at the first look.
  fake.delivery.script(PRODUCTION, { promotion: { polls: 0 } });
  // The command probes web URLs with the global fetch: in this process, through the router.
  globalThis.fetch = routeToRouter(fake.routerUrl, realFetch);
});
afterEach(() => {
  globalThis.fetch = realFetch;
});

async function run(args: string[], options: { ask?: (q: string) => Promise<string> } = {}) {
  let stdout = "";
  let stderr = "";
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
  const env = envOf(world());
  const code = await main(args, io, { cwd: PROJECT_DIR, env, ask: options.ask });
  return { code, stdout, stderr };
}

describe("promote", () => {
  test("--yes --format json: 0, one JSON document on stdout with the shared summary fields", async () => {
    const w = world();
    const { code, stdout, stderr } = await run(["promote", "--yes", "--format", "json", ...FAST]);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([
      "outcome",
      "failedStep",
      "needsAttention",
      "summary",
      "productionApp",
      "stagingApp",
      "sourceRelease",
      "fromRelease",
      "toRelease",
      "snapshotId",
      "promotionId",
      "rolledBackTo",
      "rollbackRelease",
      "changes",
      "health",
      "timings",
    ]);
    expect(doc).toMatchObject({
      outcome: "promoted",
      failedStep: null,
      needsAttention: false,
      productionApp: PRODUCTION,
      stagingApp: STAGING,
      sourceRelease: { id: w.stagingRelease.id, version: 2 },
      fromRelease: { id: w.productionRelease.id, version: 2 },
      toRelease: { version: 3 },
      snapshotId: expect.stringMatching(/^slipway-acme-web-v2-\d{8}t\d{6}z$/) as unknown,
      promotionId: [...w.heroku.fake.delivery.promotions.keys()][0],
      rolledBackTo: null,
      rollbackRelease: null,
    });
    // The changes were shown before the snapshot, on stderr with the progress.
    expect(stderr).toContain(
      `From production ${PRODUCTION} v2 (${w.base.slice(0, 7)}), staging ${STAGING} v2 (${w.head.slice(0, 7)}).\nWhat ships to production from acme/acme-web: 1 commit, 1 pull request, 0 migrations`,
    );
    expect(stderr.indexOf("What ships")).toBeLessThan(stderr.indexOf("snapshot: creating"));
  });

  test("no terminal and no --yes: 2 before anything is asked of Heroku", async () => {
    const result = await run(["promote"]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "slipway: --yes: missing, and there is no terminal to confirm on (stdin is not a TTY). Allowed: --yes where no one can answer (CI), or a terminal. Fix: slipway promote --yes, after reading `slipway changes`.\n",
    });
    expect(world().heroku.fake.requests).toEqual([]);
  });

  test.each([
    [
      "n",
      1,
      "refused (confirm step): not confirmed. Nothing was promoted: acme-web still runs v2.",
    ],
    ["", 1, "refused (confirm step): not confirmed. Nothing was promoted: acme-web still runs v2."],
    ["y", 0, "promoted: v2 of acme-web-staging is live on acme-web as v3 and healthy"],
    [" YES ", 0, "promoted: v2 of acme-web-staging is live on acme-web as v3 and healthy"],
    [
      "yo",
      1,
      "refused (confirm step): not confirmed. Nothing was promoted: acme-web still runs v2.",
    ],
    [
      "ny",
      1,
      "refused (confirm step): not confirmed. Nothing was promoted: acme-web still runs v2.",
    ],
  ])("at a terminal, answering %j: %i", async (answer, code, last) => {
    const questions: string[] = [];
    const ask = (question: string) => {
      questions.push(question);
      return Promise.resolve(answer);
    };
    const result = await run(["promote", ...FAST], { ask });
    expect(result.code).toBe(code);
    expect(questions).toEqual([`Promote ${STAGING} v2 to ${PRODUCTION}? [y/N] `]);
    expect(result.stdout).toContain("What ships to production from acme/acme-web:");
    expect(result.stdout.split("\n").at(-2)).toMatch(new RegExp(`^${escape(last)}`));
    if (code === 1) expect(world().rds.log()).toEqual([]);
  });

  test("the new code crashes and --rollback never: 4, the snapshot and the decision printed", async () => {
    world().heroku.fake.delivery.script(PRODUCTION, { rollout: { finalState: "crashed" } });
    const result = await run(["promote", "--yes", "--rollback", "never", ...FAST]);
    expect(result.code).toBe(4);
    const last = result.stdout.split("\n").at(-2)!;
    expect(last).toMatch(
      /^NEEDS ATTENTION \(health step\): v3 is live on acme-web but failed its health check: web\.1 crashed on v3: the new release does not boot\. Not rolled back: --rollback never: promote does not roll back\. acme-web is left on v3 \(it ran v2\); the database was snapshotted as slipway-acme-web-v2-\d{8}t\d{6}z\. Decide \(docs\/runbook\.md/,
    );
  });

  test.each([
    [
      ["--rollback", "sometimes"],
      '--rollback: got "sometimes". Allowed: auto, always, never. Fix: --rollback auto',
    ],
    [["--format", "markdown"], '--format: got "markdown". Allowed: text, json. Fix: --format json'],
    [["--region", "mars"], '--region: got "mars". Allowed: an AWS region. Fix: --region us-east-1'],
    [
      ["--database", "acme--db"],
      '--database: got "acme--db". Allowed: an RDS instance identifier (a letter, then letters, digits or single hyphens, at most 63). Fix: --database acme-web-db',
    ],
    [
      ["--repository", "acme"],
      '--repository: got "acme". Allowed: owner/name of the application\'s GitHub repository. Fix: --repository acme/acme-web',
    ],
    [
      ["--staging-app", "Acme"],
      '--staging-app: got "Acme". Allowed: a Heroku app name (3-30 characters: a lowercase letter, then lowercase letters, digits or dashes, not ending in a dash). Fix: --staging-app acme-web-pr-42',
    ],
  ])("promote --yes %j: 2", async (args, message) => {
    const result = await run(["promote", "--yes", ...args]);
    expect(result).toEqual({ code: 2, stdout: "", stderr: `slipway: ${message}\n` });
  });

  test.each([
    ["promoted", 0],
    ["refused", 1],
    ["failed", 1],
    ["rolled-back", 1],
    ["needs-attention", 4],
  ] as [PromoteOutcome, number][])("outcome %s exits %i", (outcome, code) => {
    const result = { outcome } as PromoteResult;
    expect(promoteExitCode(result)).toBe(code);
    expect(promoteDocument(result).needsAttention).toBe(outcome === "needs-attention");
  });
});

describe("the target from the stack files", () => {
  test("no repository in production's file: the stack file's own error, which --repository does not skip", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-promote-"));
    for (const file of ["Pulumi.yaml", "Pulumi.staging.yaml"]) {
      fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(dir, file));
    }
    const production = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.production.yaml"), "utf8");
    fs.writeFileSync(
      path.join(dir, "Pulumi.production.yaml"),
      production.replace("    owner: acme\n", ""),
    );
    const message =
      "stack production (Pulumi.production.yaml):\n  - slipway:github.owner: missing: a production stack needs it and it has no default. Fix: pulumi config set --path 'slipway:github.owner' acme";
    expect(() => promoteTarget(dir, {})).toThrow(message);
    expect(() => promoteTarget(dir, { repository: "acme/acme-web" })).toThrow(message);
  });

  test("--repository keeps the branches of production's file", () => {
    expect(promoteTarget(PROJECT_DIR, { repository: "acme/other-web" }).repository).toEqual({
      owner: "acme",
      repository: "other-web",
      productionBranch: "main",
      stagingBranch: "staging",
    });
  });

  test("production's and staging's apps, the database, region, health paths, repository; flags override", () => {
    expect(promoteTarget(PROJECT_DIR, {})).toEqual({
      productionApp: "acme-web",
      stagingApp: "acme-web-staging",
      databaseIdentifier: "acme-web-db",
      region: "us-east-1",
      productionHealthPath: "/health",
      stagingHealthPath: "/health",
      repository: {
        owner: "acme",
        repository: "acme-web",
        productionBranch: "main",
        stagingBranch: "staging",
      },
      deploy: expect.objectContaining({
        pollIntervalSeconds: 2,
        healthWindowSeconds: 300,
        healthChecks: 3,
        snapshotsKept: 10,
        snapshotTimeoutSeconds: 1800,
      }) as unknown,
    });
    expect(
      promoteTarget(PROJECT_DIR, {
        app: "acme-eu",
        region: "eu-west-1",
        repository: "acme/eu-web",
        "health-checks": "5",
      }),
    ).toMatchObject({
      productionApp: "acme-eu",
      databaseIdentifier: "acme-eu-db",
      region: "eu-west-1",
      repository: { owner: "acme", repository: "eu-web", productionBranch: "main" },
      deploy: { healthChecks: 5 },
    });
  });
});

describe("changes", () => {
  test("Heroku failing: 1 with Heroku's answer", async () => {
    const w = world();
    w.heroku.fake.fault(`GET /apps/${PRODUCTION}/releases`, {
      kind: "status" as const,
      status: 403,
      id: "forbidden",
      message: "You do not have access to the app.",
    });
    const { code, stdout, stderr } = await run(["changes"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /^slipway: what ships could not be read: .*You do not have access to the app\./m,
    );
  });

  test.each([[PRODUCTION], [STAGING]])(
    "an app Heroku does not know (%s): 2, naming the app and the fix",
    async (app) => {
      const w = world();
      w.heroku.fake.fault(`GET /apps/${app}/releases`, {
        kind: "status" as const,
        status: 404,
        id: "not_found",
        message: "Couldn't find that app.",
      });
      const { code, stdout, stderr } = await run(["changes"]);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toContain(
        `app: Heroku has no app ${JSON.stringify(app)} that HEROKU_API_KEY can see.`,
      );
    },
  );

  test("markdown when a commit cannot be known: the caution instead of the lists", async () => {
    const w = world();
    const { fake } = w.heroku;
    const slug = fake.delivery.slugs.get(w.stagingRelease.slug!.id)!;
    slug.commit = null;
    const { code, stdout } = await run(["changes", "--format", "markdown"]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        "### What ships to production",
        "",
        `production ${PRODUCTION} v2 (${w.base.slice(0, 7)}), staging ${STAGING} v2 (commit unknown).`,
        "",
        "> [!CAUTION]",
        `> What ships cannot be determined: the slug of v2 of ${STAGING} names no commit.`,
        "",
      ].join("\n"),
    );
  });

  test("text: both sides, then what ships", async () => {
    const w = world();
    const { code, stdout } = await run(["changes"]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `From production ${PRODUCTION} v2 (${w.base.slice(0, 7)}), staging ${STAGING} v2 (${w.head.slice(0, 7)}).`,
        `What ships to production from acme/acme-web: 1 commit, 1 pull request, 0 migrations (${w.base.slice(0, 7)}...${w.head.slice(0, 7)}).`,
        `  https://github.com/acme/acme-web/compare/${w.base}...${w.head}`,
        "",
        "Pull requests (1):",
        "  #1 Users (octocat, into main) https://github.com/acme/acme-web/pull/1",
        "",
        "Commits (1):",
        `  ${w.head.slice(0, 7)} Add users (octocat) #1`,
        "",
      ].join("\n"),
    );
  });

  test("markdown: the step summary's heading first, then the sides", async () => {
    const w = world();
    const { code, stdout } = await run(["changes", "--format", "markdown"]);
    expect(code).toBe(0);
    expect(stdout.split("\n").slice(0, 4)).toEqual([
      "### What ships to production",
      "",
      `production ${PRODUCTION} v2 (${w.base.slice(0, 7)}), staging ${STAGING} v2 (${w.head.slice(0, 7)}).`,
      "",
    ]);
    expect(stdout).toContain(
      "| [#1](https://github.com/acme/acme-web/pull/1) | Users | octocat | `main` |",
    );
  });

  test("json: the sides, the verdict on migrations, GitHub's answer", async () => {
    const w = world();
    const { code, stdout } = await run(["changes", "--format", "json"]);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([
      "production",
      "staging",
      "changes",
      "unknown",
      "mayHoldMigrations",
    ]);
    expect(doc).toMatchObject({
      production: { app: PRODUCTION, release: { version: 2 }, commit: w.base, problem: null },
      staging: { app: STAGING, release: { version: 2 }, commit: w.head, problem: null },
      unknown: null,
      mayHoldMigrations: false,
      changes: { status: "ahead", aheadBy: 1 },
    });
  });

  test("a release with no slug is reported, not guessed", async () => {
    const w = world();
    const { client, fake } = w.heroku;
    await client.post("/apps", { name: "acme-web-new" });
    fake.clearRequests();
    const { code, stdout } = await run(["changes", "--staging-app", "acme-web-new"]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      `From production ${PRODUCTION} v2 (${w.base.slice(0, 7)}), staging acme-web-new v1 (commit unknown).\nWhat ships cannot be determined: v1 of acme-web-new has no slug (a container image, or the app's first release), so its commit is unknown.\n`,
    );
    expect(w.github.log()).toEqual([]);
  });

  test("GitHub refusing (the token's rate limit used up for an hour): 1 with GitHub's answer", async () => {
    const w = world();
    const reset = Math.floor(Date.now() / 1000) + 3600;
    w.github.fault("*", { kind: "rate-limit", reset });
    const { code, stdout, stderr } = await run(["changes"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      new RegExp(
        `slipway: what ships could not be read: GitHub: GET /repos/acme/acme-web/compare/${w.base}\\.\\.\\.${w.head}\\?per_page=100&page=1: the token's API rate limit is used up until ${escape(new Date(reset * 1000).toISOString())} \\(403 `,
      ),
    );
  });

  test("no GITHUB_TOKEN: 2, before Heroku is asked", async () => {
    let stderr = "";
    const io = { stdout: () => undefined, stderr: (t: string) => (stderr += t) };
    const env = { ...envOf(world()), GITHUB_TOKEN: undefined };
    const code = await main(["changes"], io, { cwd: PROJECT_DIR, env });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^slipway: GITHUB_TOKEN: not set\./);
    expect(world().heroku.fake.requests).toEqual([]);
  });
});

describe("the deploy workflow's calls as child processes", () => {
  const CHILD_TIMEOUT_MS = 120_000;

  async function slipway(args: string[]) {
    const w = world();
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ["-r", PRELOAD, BIN, ...args],
        {
          cwd: PROJECT_DIR,
          env: {
            ...process.env,
            ...envOf(w),
            SLIPWAY_FAKE_ROUTER_URL: w.heroku.fake.routerUrl,
            CI: "true",
          },
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  test(
    "promote --yes --format json: 0 and only the JSON document on stdout; without --yes (stdin a pipe): 2",
    async () => {
      const refused = await slipway(["promote"]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^slipway: --yes: missing, and there is no terminal/);
      const { code, stdout } = await slipway(["promote", "--yes", "--format", "json", ...FAST]);
      expect(code).toBe(0);
      expect((JSON.parse(stdout) as { outcome: string }).outcome).toBe("promoted");
    },
    CHILD_TIMEOUT_MS,
  );
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
