// The GitHub environments of both repositories as data: which branches reach each, which AWS
// role its jobs assume, which secrets it holds. Every secret a workflow reads lives in exactly
// the environments whose jobs need it; none is a repository secret a pull request could read.
import { GithubSettings } from "../config/schema";
import { PLATFORM_BRANCH, RoleName } from "./repository-iam";

/** The secret and variables the workflows in .github/workflows read. */
export const HEROKU_API_KEY_SECRET = "HEROKU_API_KEY";
export const PULUMI_ACCESS_TOKEN_SECRET = "PULUMI_ACCESS_TOKEN";
export const PULUMI_PASSPHRASE_SECRET = "PULUMI_CONFIG_PASSPHRASE";
export const AWS_ROLE_ARN_VARIABLE = "AWS_ROLE_ARN";
export const AWS_PREVIEW_ROLE_ARN_VARIABLE = "AWS_PREVIEW_ROLE_ARN";
export const AWS_REGION_VARIABLE = "AWS_REGION";
export const PULUMI_BACKEND_URL_VARIABLE = "PULUMI_BACKEND_URL";

/**
 * The checks slipway's own repository requires: the job names of `.github/workflows/ci.yml`
 * that run on every pull request (the previews run only where credentials exist, so they are
 * not required). test/github/workflows.test.ts compares the two.
 */
export const PLATFORM_REQUIRED_CHECKS = ["test"] as const;

/** Which of the configured credentials an environment receives. */
export type CredentialSet = "deploy" | "review";

export interface EnvironmentSpec {
  readonly repository: "application" | "platform";
  readonly environment: string;
  /** Branches whose jobs may run in it; `all` for the review environment of pull requests. */
  readonly branches: readonly string[] | "all";
  /** The role its jobs assume (its `AWS_ROLE_ARN` variable). */
  readonly role: RoleName;
  /** Whether it holds `HEROKU_API_KEY`, and from which credential set. */
  readonly herokuApiKey?: CredentialSet;
  /** Whether it holds the state secret, and from which credential set. */
  readonly stateSecret?: CredentialSet;
  /** Whether deploys wait for one of `productionReviewers`. */
  readonly reviewed: boolean;
}

/**
 * The application's `review` (every pull request branch: only review credentials), `staging`
 * (the staging and production branches: a production release passes through staging first) and
 * `production` (the production branch); slipway's `infrastructure` and `drift` (its main branch).
 */
export function environmentSpecs(settings: GithubSettings): EnvironmentSpec[] {
  const { stagingBranch, productionBranch } = settings;
  return [
    {
      repository: "application",
      environment: "review",
      branches: "all",
      role: "review",
      herokuApiKey: "review",
      stateSecret: "review",
      reviewed: false,
    },
    {
      repository: "application",
      environment: "staging",
      branches: [stagingBranch, productionBranch],
      role: "deploy-staging",
      herokuApiKey: "deploy",
      stateSecret: "deploy",
      reviewed: false,
    },
    {
      repository: "application",
      environment: "production",
      branches: [productionBranch],
      role: "deploy-production",
      herokuApiKey: "deploy",
      stateSecret: "deploy",
      reviewed: settings.productionReviewers.length > 0,
    },
    {
      repository: "platform",
      environment: "infrastructure",
      branches: [PLATFORM_BRANCH],
      role: "infrastructure",
      herokuApiKey: "deploy",
      stateSecret: "deploy",
      reviewed: false,
    },
    {
      // Refresh reads Heroku with the stack's own heroku:apiKey, which the state secret opens.
      repository: "platform",
      environment: "drift",
      branches: [PLATFORM_BRANCH],
      role: "preview",
      stateSecret: "deploy",
      reviewed: false,
    },
  ];
}

/** Pulumi Cloud takes a token; a self-managed backend's secrets take the passphrase. */
export function stateSecretName(settings: GithubSettings): string {
  return settings.stateBackendUrl === undefined
    ? PULUMI_ACCESS_TOKEN_SECRET
    : PULUMI_PASSPHRASE_SECRET;
}

/** `owner/name` split, for the GitHub provider (owner) and its resources (name). */
export function splitRepository(path: string): { owner: string; name: string } {
  const [owner = "", name = ""] = path.split("/");
  return { owner, name };
}
