// `slipway review` as a user runs it: flags, output on stdout (progress on stderr under
// --format json) and exit codes, in-process against the stand-in `pulumi` and the Heroku fake,
// and once as a child process.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { helpFor, main } from "../../cli/main";
import { reviewCommand } from "../../cli/commands/review";
import { PROJECT_DIR } from "../support/stacks";
import { reviewWorld, ReviewWorld } from "../support/review";
import { routeToRouter } from "../heroku/fake/web-routing";
import { gitRepo } from "../operations/git-repo";

jest.setTimeout(120_000);

async function run(
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd = PROJECT_DIR,
) {
  let stdout = "";
  let stderr = "";
  const code = await main(
    args,
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    { cwd, env },
  );
  return { code, stdout, stderr };
}

describe("review name", () => {
  test("prints the stack and app, from the production app in the stack files", async () => {
    expect(await run(["review", "name", "--branch", "feature/login-form", "--pr", "42"])).toEqual({
      code: 0,
      stdout: "stack review-feature-login-form-jsicug\napp   acme-web-pr-42\n",
      stderr: "",
    });
    const json = await run(["review", "name", "--branch", "main", "--format", "json"]);
    expect(JSON.parse(json.stdout)).toEqual({
      branch: "main",
      pr: null,
      stack: "review-main-taemat",
      app: "acme-web-main-taemat",
    });
  });

  test.each([
    [
      ["review"],
      "slipway: review: needs a subcommand. Allowed: name, up, down, list, prune. Fix: slipway review list\n",
    ],
    [
      ["review", "upp"],
      'slipway: review: has no subcommand "upp". Allowed: name, up, down, list, prune. Fix: slipway review list\n',
    ],
    [
      ["review", "name"],
      'slipway: --branch: missing. Allowed: the branch\'s name as git gives it. Fix: --branch "$GITHUB_HEAD_REF"\n',
    ],
    [
      ["review", "name", "--branch", " "],
      'slipway: --branch: empty. Allowed: the branch\'s name as git gives it. Fix: --branch "$GITHUB_HEAD_REF"\n',
    ],
    [
      ["review", "name", "--branch", "x", "--pr", "4a"],
      'slipway: --pr: got "4a". Allowed: a pull request number, 1 to 9999999999. Fix: --pr 42\n',
    ],
    [
      ["review", "name", "--branch", "x", "--pr", "0"],
      'slipway: --pr: got "0". Allowed: a pull request number, 1 to 9999999999. Fix: --pr 42\n',
    ],
    // Numbers to Number() but not digits only.
    [
      ["review", "name", "--branch", "x", "--pr", "+4"],
      'slipway: --pr: got "+4". Allowed: a pull request number, 1 to 9999999999. Fix: --pr 42\n',
    ],
    [
      ["review", "name", "--branch", "x", "--pr", "4e1"],
      'slipway: --pr: got "4e1". Allowed: a pull request number, 1 to 9999999999. Fix: --pr 42\n',
    ],
    [
      ["review", "name", "--branch", "x", "--format", "yaml"],
      'slipway: --format: got "yaml". Allowed: text, json. Fix: --format json\n',
    ],
    [
      ["review", "down"],
      "slipway: --branch/--stack: neither is given. Allowed: exactly one. Fix: slipway review down --branch <branch>, or --stack review-<slug>.\n",
    ],
    [
      ["review", "down", "--branch", "a", "--stack", "review-a"],
      "slipway: --branch/--stack: both are given. Allowed: exactly one. Fix: slipway review down --branch <branch>, or --stack review-<slug>.\n",
    ],
    [
      ["review", "up", "--branch", "x"],
      'slipway: --sha: missing. Allowed: the commit to deploy (a commit of --source). Fix: --sha "$(git rev-parse HEAD)"\n',
    ],
    [
      ["review", "up", "--sha", "abcdef1"],
      'slipway: --branch: missing. Allowed: the branch\'s name as git gives it. Fix: --branch "$GITHUB_HEAD_REF"\n',
    ],
    [
      ["review", "up", "--branch", "x", "--pr", "4.5", "--sha", "abcdef1"],
      'slipway: --pr: got "4.5". Allowed: a pull request number, 1 to 9999999999. Fix: --pr 42\n',
    ],
    [
      ["review", "up", "--branch", "x", "--sha", "HEAD"],
      'slipway: --sha: got "HEAD". Allowed: a commit id (7 to 64 hex digits). Fix: --sha "$(git rev-parse HEAD)"\n',
    ],
    [
      ["review", "prune", "--older-than", "soon"],
      'slipway: --older-than: got "soon". Allowed: a whole number above 0 followed by d (days), h (hours) or m (minutes). Fix: --older-than 5d\n',
    ],
  ])("%j is bad input (exit 2)", async (args, message) => {
    expect(await run(args, { PULUMI_CONFIG_PASSPHRASE: "p" })).toEqual({
      code: 2,
      stdout: "",
      stderr: message,
    });
  });

  test("help lists the subcommands", async () => {
    const help = await run(["review", "--help"]);
    expect(help).toEqual({ code: 0, stdout: helpFor(reviewCommand), stderr: "" });
    expect(help.stdout).toContain("prune [--older-than 5d] [--dry-run]");
  });

  test("as a child process, JSON alone on stdout", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        path.join(PROJECT_DIR, "bin", "slipway.js"),
        "review",
        "name",
        "--branch",
        "Feature/Login-Form",
        "--format",
        "json",
      ],
      { cwd: PROJECT_DIR },
    );
    expect(JSON.parse(stdout)).toEqual({
      branch: "Feature/Login-Form",
      pr: null,
      stack: "review-feature-login-form-fdbexg",
      app: "acme-web-feature-login-fdbexg",
    });
  });
});

describe("against a backend", () => {
  let world: ReviewWorld;
  beforeAll(async () => {
    world = await reviewWorld();
    world.seed({
      name: "review-old-aaaaaa",
      lastUpdate: "2000-01-01T00:00:00.000Z",
      outputs: { appName: "acme-web-old", webUrl: "https://acme-web-old.herokuapp.com/" },
    });
  });
  afterAll(() => world.close());

  test("down of a stack that is not a review stack exits 2 before the CLI runs", async () => {
    world.clear();
    const result = await run(
      ["review", "down", "--stack", "staging", "--dir", world.dir],
      world.env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^slipway: --stack: got "staging", which is not a review stack/);
    expect(world.ran()).toEqual([]);
  });

  test("list --format json: the document on stdout, progress on stderr", async () => {
    const result = await run(["review", "list", "--format", "json", "--dir", world.dir], world.env);
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.stdout) as {
      backend: string;
      stacks: { stack: string; url: string }[];
    };
    expect(listing.backend).toBe(`file://${world.state}`);
    expect(listing.stacks.map((s) => [s.stack, s.url])).toEqual([
      ["review-old-aaaaaa", "https://acme-web-old.herokuapp.com/"],
    ]);
    expect(result.stderr).toMatch(
      new RegExp(`^\\[ +\\d+\\.\\ds\\] backend: review stacks in file://${world.state}\\n$`),
    );
  });

  test("a down refused because another update holds the stack exits 1", async () => {
    world.lock("review-old-aaaaaa");
    const result = await run(
      ["review", "down", "--stack", "review-old-aaaaaa", "--dir", world.dir],
      world.env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "slipway: review-old-aaaaaa: another update of this stack is running, so slipway did not destroy it. Nothing changed.",
    );
  });

  test("prune exits 4 when a destroy failed partway, and says which", async () => {
    fs.rmSync(path.join(world.state, ".pulumi", "locks"), { recursive: true, force: true });
    world.scenario({ failures: { destroy: { stderr: "error: Heroku is down" } } });
    const result = await run(["review", "prune", "--dir", world.dir], world.env);
    world.scenario({});
    expect(result.code).toBe(4);
    // In text, the progress comes first on stdout, then the result.
    expect(result.stdout).toMatch(/^\[ +\d+\.\ds\] backend: review stacks in /);
    const lines = result.stdout.slice(result.stdout.indexOf("stale after")).split("\n");
    expect(lines[0]).toBe("stale after 5d without an update");
    // Idle since a fixed date: days, then the next unit that is not zero (the time of day decides).
    expect(lines[1]).toMatch(
      /^ {2}review-old-aaaaaa: idle \d+d( \d+[hms])?, not destroyed \(below\)$/,
    );
    expect(lines[2]).toBe(
      "  review-old-aaaaaa: FAILED: pulumi destroy of review-old-aaaaaa failed: error: Heroku is down",
    );
  });

  test("up --format json: the stack, app, URL, SHA and timings on stdout, progress on stderr", async () => {
    // Short waits: the command runs on the real clock.
    fs.appendFileSync(
      path.join(world.dir, "Pulumi.production.yaml"),
      "  slipway:deploy:\n    pollIntervalSeconds: 1\n    healthChecks: 1\n",
    );
    const repo = gitRepo({ Procfile: "web: npm start\n" });
    const realFetch = globalThis.fetch;
    globalThis.fetch = routeToRouter(world.fake.routerUrl, realFetch);
    let result;
    try {
      result = await run(
        ["review", "up", "--branch", "b", "--pr", "9", "--sha", repo.sha, "--source", repo.dir],
        { ...world.env, CI: "true" },
        world.dir,
      );
      result = {
        ...result,
        json: await run(
          [
            ...["review", "up", "--branch", "b", "--pr", "9", "--sha", repo.sha],
            ...["--source", repo.dir, "--format", "json"],
          ],
          world.env,
          world.dir,
        ),
      };
    } finally {
      globalThis.fetch = realFetch;
    }
    const url = world.fake.state.app("acme-web-pr-9").app.web_url;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\[ +\d+\.\ds\] backend: review stacks in /);
    const last = result.stdout.trimEnd().split("\n").pop() as string;
    expect(last.startsWith("review app up: ")).toBe(true);
    expect(last.endsWith(`Review app: ${url}`)).toBe(true);
    const { json } = result;
    expect(json.code).toBe(0);
    const document = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual([
      "outcome",
      "needsAttention",
      "summary",
      "stack",
      "app",
      "url",
      "sha",
      "created",
      "postdeploy",
      "timings",
      "deploy",
    ]);
    expect(document).toMatchObject({
      outcome: "deployed",
      stack: "review-b-srdxxy",
      app: "acme-web-pr-9",
      url,
      sha: repo.sha,
      created: false,
      postdeploy: null,
    });
    expect(Object.keys(document["timings"] as object)).toEqual([
      "stackMs",
      "deployMs",
      "postdeployMs",
      "totalMs",
    ]);
    expect(json.stderr).toContain("] stack: pulumi up review-b-srdxxy\n");
    expect(json.stderr).toContain("] health: ");
  });
});
