// Who may assume which role, as data: GitHub's tokens for every kind of job in both
// repositories, evaluated against every role's trust policy the way STS does (StringEquals on
// `aud` and `sub`). The matrix is the model of docs/github.md ("Who may do what").
import {
  APPLICATION_SUBJECT_CLAIMS,
  applicationSubject,
  defaultSubject,
  githubTrustPolicy,
  JobContext,
  platformWorkflowRef,
  PolicyDocument,
  roleDescription,
  RoleName,
  ROLES,
  trustedSubjects,
} from "../../components/repository-iam";

const repos = { application: "acme/acme-web", platform: "acme/slipway" };
const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

/** What GitHub knows about a job when it mints its token. */
interface Job {
  repository: string;
  /** The environment the job runs in, if any. */
  environment?: string;
  event: "push" | "pull_request" | "schedule" | "workflow_dispatch";
  ref: string;
  /** The workflow file that defines the job: `owner/repo/.github/workflows/x.yml@ref`. */
  workflow: string;
  /** Whether the repository customized its subject to APPLICATION_SUBJECT_CLAIMS. */
  customized: boolean;
  audience?: string;
}

/** The `sub` GitHub issues: its context claim, then job_workflow_ref for a customized repo. */
function subjectOf(job: Job): string {
  const context: JobContext = job.environment
    ? `environment:${job.environment}`
    : job.event === "pull_request"
      ? "pull_request"
      : `ref:${job.ref}`;
  return job.customized
    ? applicationSubject(job.repository, context, job.workflow)
    : defaultSubject(job.repository, context);
}

/** STS's decision for a web identity token against a trust policy (StringEquals, any-of lists). */
function admits(policy: PolicyDocument, job: Job): boolean {
  const claims: Record<string, string> = {
    "token.actions.githubusercontent.com:aud": job.audience ?? "sts.amazonaws.com",
    "token.actions.githubusercontent.com:sub": subjectOf(job),
  };
  return policy.Statement.some((statement) => {
    if (statement.Action !== "sts:AssumeRoleWithWebIdentity") return false;
    if (statement.Principal?.["Federated"] !== PROVIDER) return false;
    const equals = statement.Condition?.["StringEquals"] ?? {};
    return Object.entries(equals).every(([key, allowed]) =>
      [allowed].flat().includes(claims[key] ?? "\u0000"),
    );
  });
}

function rolesAdmitting(job: Job): RoleName[] {
  return ROLES.filter((role) =>
    admits(githubTrustPolicy(PROVIDER, trustedSubjects(role, repos)), job),
  );
}

const platformWorkflow = (file: string, ref = "refs/heads/main") =>
  `acme/slipway/.github/workflows/${file}@${ref}`;
const app = (job: Partial<Job>): Job => ({
  repository: "acme/acme-web",
  event: "push",
  ref: "refs/heads/main",
  workflow: platformWorkflow("deploy.yml"),
  customized: true,
  ...job,
});
const slipway = (job: Partial<Job>): Job => ({
  repository: "acme/slipway",
  event: "push",
  ref: "refs/heads/main",
  workflow: platformWorkflow("ci.yml"),
  customized: false,
  ...job,
});

describe("the trust matrix: which roles each job's token can assume", () => {
  test.each<[string, Job, RoleName[]]>([
    // The application's deploys, through slipway's deploy.yml at slipway's main branch.
    [
      "app staging deploy",
      app({ environment: "staging", ref: "refs/heads/staging" }),
      ["deploy-staging"],
    ],
    ["app production branch, staging job", app({ environment: "staging" }), ["deploy-staging"]],
    ["app production deploy", app({ environment: "production" }), ["deploy-production"]],
    [
      "app review",
      app({
        environment: "review",
        event: "pull_request",
        ref: "refs/pull/7/merge",
        workflow: platformWorkflow("review.yml"),
      }),
      ["review"],
    ],
    // The same environments through any other workflow file or ref: nothing.
    [
      "app's own workflow in production",
      app({
        environment: "production",
        workflow: "acme/acme-web/.github/workflows/deploy.yml@refs/heads/main",
      }),
      [],
    ],
    [
      "slipway's deploy.yml at another branch",
      app({
        environment: "production",
        workflow: platformWorkflow("deploy.yml", "refs/heads/feature"),
      }),
      [],
    ],
    [
      "slipway's deploy.yml at a commit",
      app({
        environment: "staging",
        workflow:
          "acme/slipway/.github/workflows/deploy.yml@0123456789abcdef0123456789abcdef01234567",
      }),
      [],
    ],
    [
      "slipway's review.yml in staging",
      app({ environment: "staging", workflow: platformWorkflow("review.yml") }),
      [],
    ],
    [
      "slipway's deploy.yml in review",
      app({ environment: "review", workflow: platformWorkflow("deploy.yml") }),
      [],
    ],
    [
      "a copy of deploy.yml in a fork of slipway",
      app({
        environment: "production",
        workflow: "evil/slipway/.github/workflows/deploy.yml@refs/heads/main",
      }),
      [],
    ],
    ["deploy.yml outside any environment", app({}), []],
    [
      "an app pull request through review.yml, no environment",
      app({
        event: "pull_request",
        ref: "refs/pull/7/merge",
        workflow: platformWorkflow("review.yml"),
      }),
      [],
    ],
    [
      "another repository's production",
      app({ repository: "acme/other-app", environment: "production" }),
      [],
    ],
    [
      "the app without its subject customization",
      app({ environment: "production", customized: false }),
      [],
    ],
    [
      "a token for another audience",
      app({ environment: "production", audience: "api://AzureADTokenExchange" }),
      [],
    ],
    // slipway's own repository.
    [
      "slipway pull request",
      slipway({ event: "pull_request", ref: "refs/pull/3/merge" }),
      ["preview"],
    ],
    [
      "slipway drift check",
      slipway({ environment: "drift", event: "schedule", workflow: platformWorkflow("drift.yml") }),
      ["preview"],
    ],
    [
      "slipway infrastructure",
      slipway({ environment: "infrastructure", workflow: platformWorkflow("infrastructure.yml") }),
      ["infrastructure"],
    ],
    ["slipway push to main, no environment", slipway({}), []],
    ["slipway job in an environment named production", slipway({ environment: "production" }), []],
    ["slipway job in an environment named staging", slipway({ environment: "staging" }), []],
    [
      "slipway with the application's subject template",
      slipway({ environment: "infrastructure", customized: true }),
      [],
    ],
    [
      "the app's repository in infrastructure",
      app({ environment: "infrastructure", customized: false }),
      [],
    ],
    [
      "the app's pull request with GitHub's default subject",
      app({ event: "pull_request", customized: false }),
      [],
    ],
  ])("%s: %j", (_name, job, roles) => {
    expect(rolesAdmitting(job)).toEqual(roles);
  });

  test("a pull request token matches only preview, in either repository", () => {
    const tokens = [slipway({ event: "pull_request" }), app({ event: "pull_request" })];
    for (const token of tokens)
      expect(rolesAdmitting(token).filter((r) => r !== "preview")).toEqual([]);
  });

  test("staging's token never matches production's role, nor production's staging's", () => {
    const staging = app({ environment: "staging" });
    const production = app({ environment: "production" });
    expect(rolesAdmitting(staging)).not.toContain("deploy-production");
    expect(rolesAdmitting(production)).not.toContain("deploy-staging");
  });

  test("no role trusts both environments, and every subject is exact", () => {
    for (const role of ROLES) {
      const subjects = trustedSubjects(role, repos);
      const both = ["staging", "production"].filter((env) =>
        subjects.some((s) => s.includes(`:environment:${env}`)),
      );
      expect(both.length).toBeLessThanOrEqual(1);
      for (const subject of subjects) expect(subject).not.toMatch(/[*?]/);
    }
  });

  test("no token of another workflow file matches a deploy role", () => {
    const files = [
      "ci.yml",
      "review.yml",
      "drift.yml",
      "infrastructure.yml",
      "deploy.yaml",
      "deploy-copy.yml",
    ];
    for (const environment of ["staging", "production"]) {
      for (const file of files) {
        const roles = rolesAdmitting(app({ environment, workflow: platformWorkflow(file) }));
        expect(roles.filter((r) => r.startsWith("deploy-"))).toEqual([]);
      }
    }
  });
});

describe("subjects", () => {
  test("the application's subject joins its claims in the template's order", () => {
    expect(APPLICATION_SUBJECT_CLAIMS).toEqual(["repo", "context", "job_workflow_ref"]);
    // GitHub's documented example of this template.
    expect(
      applicationSubject(
        "octo-org/octo-repo",
        "environment:prod",
        "octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main",
      ),
    ).toBe(
      "repo:octo-org/octo-repo:environment:prod:job_workflow_ref:octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main",
    );
  });

  test.each([
    ["acme/slipway", "pull_request", "repo:acme/slipway:pull_request"],
    [
      "Acme-Corp/web.app",
      "environment:production",
      "repo:Acme-Corp/web.app:environment:production",
    ],
    ["acme/slipway", "ref:refs/heads/main", "repo:acme/slipway:ref:refs/heads/main"],
  ] as const)("defaultSubject(%s, %s) is %s", (repository, context, subject) => {
    expect(defaultSubject(repository, context)).toBe(subject);
  });

  test("platform workflows are trusted at slipway's main branch", () => {
    expect(platformWorkflowRef("acme/slipway", "deploy.yml")).toBe(
      "acme/slipway/.github/workflows/deploy.yml@refs/heads/main",
    );
  });

  test("each role's exact subjects", () => {
    expect(Object.fromEntries(ROLES.map((role) => [role, trustedSubjects(role, repos)]))).toEqual({
      preview: ["repo:acme/slipway:pull_request", "repo:acme/slipway:environment:drift"],
      infrastructure: ["repo:acme/slipway:environment:infrastructure"],
      "deploy-staging": [
        "repo:acme/acme-web:environment:staging:job_workflow_ref:acme/slipway/.github/workflows/deploy.yml@refs/heads/main",
      ],
      "deploy-production": [
        "repo:acme/acme-web:environment:production:job_workflow_ref:acme/slipway/.github/workflows/deploy.yml@refs/heads/main",
      ],
      review: [
        "repo:acme/acme-web:environment:review:job_workflow_ref:acme/slipway/.github/workflows/review.yml@refs/heads/main",
      ],
    });
  });

  test("each role says what it is for", () => {
    expect(Object.fromEntries(ROLES.map((role) => [role, roleDescription(role, repos)]))).toEqual({
      preview: "Read only: previews of acme/slipway pull requests and its drift check",
      infrastructure:
        "pulumi up of slipway's stacks from the infrastructure environment of acme/slipway",
      "deploy-staging":
        "acme/slipway's deploy.yml in the staging environment of acme/acme-web: snapshots of the staging database",
      "deploy-production":
        "acme/slipway's deploy.yml in the production environment of acme/acme-web: snapshots of the production database",
      review:
        "acme/slipway's review.yml in the review environment of acme/acme-web: review stacks' state",
    });
  });
});

test("githubTrustPolicy admits exactly the subjects given, for STS only", () => {
  expect(githubTrustPolicy(PROVIDER, ["repo:a/b:environment:staging"])).toEqual({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GithubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: PROVIDER },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": ["repo:a/b:environment:staging"],
          },
        },
      },
    ],
  });
});
