// Who may assume which AWS role, as pure functions: one role per job, each trusting exactly the
// OIDC subjects of the workflows that do that job. Pure so the trust matrix is tested as data
// (test/github/repository-iam.test.ts) and the policy pack can read the documents.
//
// Two repositories take part. slipway's own (the platform) keeps GitHub's default subject,
// `repo:<owner/name>:<context>`. The application's repository customizes its subject to end in
// `job_workflow_ref`, the workflow file (and ref) that defines the job, so a deploy role can
// require both the application's environment AND slipway's reusable workflow at slipway's main
// branch: a workflow the application writes itself, or slipway's at another ref, matches none.

/** GitHub's OIDC issuer for Actions; the IAM condition keys are named after its host. */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials asks GitHub to put in the token. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** The claims of the application repository's subject, in order (GitHub joins them in order). */
export const APPLICATION_SUBJECT_CLAIMS = ["repo", "context", "job_workflow_ref"] as const;

/**
 * slipway's branch: its own workflows run there, and the application calls its reusable
 * workflows at it (`uses: acme/slipway/.github/workflows/deploy.yml@main`). Protected like the
 * application's branches, so what deploys the application is itself reviewed code.
 */
export const PLATFORM_BRANCH = "main";

/** The reusable workflows the application's repository calls. */
export const DEPLOY_WORKFLOW = "deploy.yml";
export const REVIEW_WORKFLOW = "review.yml";

/** The application's environments a role is bound to, through one of slipway's workflows. */
type ApplicationEnvironment = "review" | "staging" | "production";

/** One role per job (docs/github.md, "Who may do what"). */
export const ROLES = [
  "preview",
  "infrastructure",
  "deploy-staging",
  "deploy-production",
  "review",
] as const;
export type RoleName = (typeof ROLES)[number];

/** The two repositories, as `owner/name`. */
export interface Repositories {
  readonly application: string;
  readonly platform: string;
}

/** A job's context claim: `environment:<name>`, `pull_request`, or `ref:<git ref>`. */
export type JobContext = `environment:${string}` | "pull_request" | `ref:${string}`;

/** The `sub` of a repository that keeps GitHub's default template. */
export function defaultSubject(repository: string, context: JobContext): string {
  return `repo:${repository}:${context}`;
}

/** The `sub` of the application's repository, built from `APPLICATION_SUBJECT_CLAIMS`. */
export function applicationSubject(
  repository: string,
  context: JobContext,
  jobWorkflowRef: string,
): string {
  return `repo:${repository}:${context}:job_workflow_ref:${jobWorkflowRef}`;
}

/** `acme/slipway/.github/workflows/deploy.yml@refs/heads/main`: a platform workflow at its branch. */
export function platformWorkflowRef(platform: string, file: string): string {
  return `${platform}/.github/workflows/${file}@refs/heads/${PLATFORM_BRANCH}`;
}

/**
 * The exact subjects a role trusts. No role trusts two environments, and none a subject with a
 * wildcard: a pattern would admit branches, environments or workflow refs nobody reviewed.
 */
export function trustedSubjects(role: RoleName, repos: Repositories): string[] {
  const { application, platform } = repos;
  const through = (environment: ApplicationEnvironment, file: string) =>
    applicationSubject(
      application,
      `environment:${environment}`,
      platformWorkflowRef(platform, file),
    );
  switch (role) {
    case "preview":
      // Read only: slipway's pull requests, and the drift check (which needs the state secret,
      // so it runs in the drift environment that only slipway's main branch reaches).
      return [
        defaultSubject(platform, "pull_request"),
        defaultSubject(platform, "environment:drift"),
      ];
    case "infrastructure":
      return [defaultSubject(platform, "environment:infrastructure")];
    case "deploy-staging":
      return [through("staging", DEPLOY_WORKFLOW)];
    case "deploy-production":
      return [through("production", DEPLOY_WORKFLOW)];
    case "review":
      return [through("review", REVIEW_WORKFLOW)];
  }
}

/** What each role is for, as its IAM description. */
export function roleDescription(role: RoleName, repos: Repositories): string {
  const { application, platform } = repos;
  switch (role) {
    case "preview":
      return `Read only: previews of ${platform} pull requests and its drift check`;
    case "infrastructure":
      return `pulumi up of slipway's stacks from the infrastructure environment of ${platform}`;
    case "deploy-staging":
    case "deploy-production": {
      const environment = role.slice("deploy-".length);
      return `${platform}'s ${DEPLOY_WORKFLOW} in the ${environment} environment of ${application}: snapshots of the ${environment} database`;
    }
    case "review":
      return `${platform}'s ${REVIEW_WORKFLOW} in the review environment of ${application}: review stacks' state`;
  }
}

interface Statement {
  Sid: string;
  Effect: "Allow";
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

/**
 * Trust for a role assumed through GitHub's OIDC provider: the token must be meant for STS and
 * its subject must be one of `subjects` exactly (StringEquals, never StringLike).
 */
export function githubTrustPolicy(
  providerArn: string,
  subjects: readonly string[],
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GithubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: [...subjects],
          },
        },
      },
    ],
  };
}

export type { Statement };
