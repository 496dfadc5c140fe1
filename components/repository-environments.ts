// The GitHub environments of both repositories as data: which branches reach each, which AWS
// role its jobs assume, which secrets it holds. Every secret a workflow reads lives in exactly
// the environments whose jobs need it; none is a repository secret a pull request could read.
import type * as pulumi from "@pulumi/pulumi";
import { GithubSettings } from "../config/schema";
import { SlipwayError } from "../errors";
import { PLATFORM_BRANCH, Repositories, RoleName } from "./repository-iam";

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

/** The credentials CI environments receive, each a Pulumi secret end to end. */
export interface CiCredentials {
  /** `heroku:apiKey`: HEROKU_API_KEY of staging, production and infrastructure. */
  readonly herokuApiKey?: pulumi.Input<string>;
  /** `slipway:stateSecret`: the state secret of staging, production, infrastructure and drift. */
  readonly stateSecret?: pulumi.Input<string>;
  /** `slipway:reviewHerokuApiKey`: HEROKU_API_KEY of the application's review environment. */
  readonly reviewHerokuApiKey?: pulumi.Input<string>;
  /** `slipway:reviewStateSecret`: the state secret of the application's review environment. */
  readonly reviewStateSecret?: pulumi.Input<string>;
}

/** Which configured credential an environment's credential set means. */
export function credentialFor(
  set: CredentialSet | undefined,
  what: "heroku" | "state",
  credentials: CiCredentials,
): pulumi.Input<string> | undefined {
  if (set === undefined) return undefined;
  if (what === "heroku") {
    return set === "review" ? credentials.reviewHerokuApiKey : credentials.herokuApiKey;
  }
  return set === "review" ? credentials.reviewStateSecret : credentials.stateSecret;
}

/** The config key behind each credential. */
const CREDENTIAL_KEYS: Record<keyof CiCredentials, string> = {
  herokuApiKey: "heroku:apiKey",
  stateSecret: "slipway:stateSecret",
  reviewHerokuApiKey: "slipway:reviewHerokuApiKey",
  reviewStateSecret: "slipway:reviewStateSecret",
};

/**
 * One warning per credential not configured, naming the environments left without it and the
 * command that adds it (the caller appends `--stack`). State in S3 with a KMS key needs no state
 * secret: the roles decrypt through AWS.
 */
export function missingCredentialWarnings(
  specs: readonly EnvironmentSpec[],
  credentials: CiCredentials,
  settings: GithubSettings,
): string[] {
  const stateSecret = stateSecretName(settings);
  const keyless = settings.stateBackendUrl !== undefined && settings.stateKmsKeyArn !== undefined;
  const needs: [keyof CiCredentials, string, (s: EnvironmentSpec) => boolean][] = [
    ["herokuApiKey", HEROKU_API_KEY_SECRET, (s) => s.herokuApiKey === "deploy"],
    ["stateSecret", stateSecret, (s) => s.stateSecret === "deploy"],
    ["reviewHerokuApiKey", HEROKU_API_KEY_SECRET, (s) => s.herokuApiKey === "review"],
    ["reviewStateSecret", stateSecret, (s) => s.stateSecret === "review"],
  ];
  return needs
    .filter(([credential, secretName]) => {
      if (credentials[credential] !== undefined) return false;
      return !(keyless && secretName === stateSecret);
    })
    .map(([credential, secretName, reaches]) => {
      const where = specs.filter(reaches).map((s) => s.environment);
      const many = where.length > 1;
      return (
        `${CREDENTIAL_KEYS[credential]} is not configured, so the ${where.join(", ")} ` +
        `environment${many ? "s have" : " has"} no ${secretName} secret and ` +
        `${many ? "their" : "its"} jobs will fail. Fix: pulumi config set --secret ` +
        `${CREDENTIAL_KEYS[credential]} <value>`
      );
    });
}

/** The application's branches by their role, so renaming a branch keeps the child's name. */
export function branchLabel(branch: string, settings: GithubSettings): string {
  return branch === settings.productionBranch ? "production-branch" : "staging-branch";
}

/** Owner, repository and platformRepository have no default; production requires them. */
export function requireRepositories(settings: GithubSettings): Repositories {
  const examples = { owner: "acme", repository: "acme-web", platformRepository: "acme/slipway" };
  const missing = (["owner", "repository", "platformRepository"] as const).filter(
    (key) => settings[key] === undefined,
  );
  if (missing.length > 0) {
    throw new SlipwayError(
      missing.map((key) => ({
        key: `slipway:github.${key}`,
        message:
          `missing: the repository process needs both repositories it protects. ` +
          `Fix: pulumi config set --path 'slipway:github.${key}' ${examples[key]}`,
      })),
    );
  }
  return {
    application: `${settings.owner as string}/${settings.repository as string}`,
    platform: settings.platformRepository as string,
  };
}
