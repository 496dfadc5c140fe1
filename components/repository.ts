// The repository process as code: the production and staging branches take changes only through
// reviewed pull requests with a green, up-to-date build; deploys run in GitHub environments that
// only those branches reach; and CI deploys with short-lived AWS credentials (OIDC), no keys.
import * as aws from "@pulumi/aws";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { GithubSettings } from "../config/schema";
import { SlipwayError } from "../errors";
import {
  DEPLOY_ENVIRONMENTS,
  DeployEnvironment,
  deployPolicy,
  environmentSubject,
  GITHUB_OIDC_URL,
  githubTrustPolicy,
  pullRequestSubject,
  readPolicy,
  STS_AUDIENCE,
} from "./repository-iam";

export const REPOSITORY_PROCESS_TYPE = "slipway:github:RepositoryProcess";

/** Route 53 publishes health check metrics only here, so the alarms on them live here too. */
const HEALTH_CHECK_ALARM_REGION = "us-east-1";

/** The Actions secret and variables the workflows in .github/workflows read. */
export const HEROKU_API_KEY_SECRET = "HEROKU_API_KEY";
export const AWS_ROLE_ARN_VARIABLE = "AWS_ROLE_ARN";
export const AWS_PREVIEW_ROLE_ARN_VARIABLE = "AWS_PREVIEW_ROLE_ARN";
export const AWS_REGION_VARIABLE = "AWS_REGION";

export interface RepositoryProcessArgs {
  /**
   * The validated `slipway:github` settings: the repository (owner and repository must be set),
   * its production and staging branches, the review and status-check rules, the production
   * reviewers and an existing OIDC provider, if any.
   * @default - none: pass `config.github`.
   */
  readonly settings: GithubSettings;
  /**
   * The region the stacks deploy to, handed to workflows as the `AWS_REGION` variable and used
   * to scope the deploy role's permissions.
   * @default - none: pass `config.awsRegion`.
   */
  readonly awsRegion: string;
  /**
   * The Heroku API key the workflows deploy with, stored as the `HEROKU_API_KEY` Actions secret.
   * @default - no secret is declared, and a warning says how to add one (`heroku:apiKey`).
   */
  readonly herokuApiKey?: pulumi.Input<string>;
  /**
   * The GitHub token that manages the repository (Administration, Secrets, Variables and
   * Environments read/write: docs/github.md).
   * @default - the provider reads `GITHUB_TOKEN` from the environment.
   */
  readonly githubToken?: pulumi.Input<string>;
}

/** Branch protection, deploy environments and keyless deploy credentials for one repository. */
export class RepositoryProcess extends pulumi.ComponentResource {
  /** `owner/repository`. */
  readonly repository: string;
  /** The branches protected, production first. */
  readonly protectedBranches: string[];
  /** The GitHub environments declared, in the order a release reaches them. */
  readonly environments: DeployEnvironment[];
  /** The role deploy jobs assume (exposed to workflows as `AWS_ROLE_ARN`). */
  readonly roleArn: pulumi.Output<string>;
  /** The read-only role pull request previews assume (`AWS_PREVIEW_ROLE_ARN`). */
  readonly previewRoleArn: pulumi.Output<string>;
  /** The IAM OIDC provider both roles trust. */
  readonly oidcProviderArn: pulumi.Output<string>;

  private readonly provider: github.Provider;

  constructor(name: string, args: RepositoryProcessArgs, opts?: pulumi.ComponentResourceOptions) {
    super(REPOSITORY_PROCESS_TYPE, name, {}, opts);
    const settings = args.settings;
    const { owner, repository } = requireRepository(settings);
    this.repository = `${owner}/${repository}`;
    this.provider = new github.Provider(
      `${name}-github`,
      { owner, token: args.githubToken },
      { parent: this },
    );

    this.protectedBranches = [settings.productionBranch, settings.stagingBranch];
    for (const [role, branch] of [
      ["production", settings.productionBranch],
      ["staging", settings.stagingBranch],
    ] as const) {
      this.protectBranch(`${name}-${role}-branch`, repository, branch, settings);
    }

    this.environments = [...DEPLOY_ENVIRONMENTS];
    this.createEnvironments(name, repository, settings);
    this.storeHerokuApiKey(name, repository, args.herokuApiKey);

    this.oidcProviderArn = this.oidcProvider(name, settings.oidcProviderArn);
    const roles = this.createRoles(name, owner, repository, args.awsRegion);
    this.roleArn = roles.deploy;
    this.previewRoleArn = roles.preview;
    this.exposeVariables(name, repository, args.awsRegion);

    this.registerOutputs({
      repository: this.repository,
      protectedBranches: this.protectedBranches,
      environments: this.environments,
      roleArn: this.roleArn,
      previewRoleArn: this.previewRoleArn,
      oidcProviderArn: this.oidcProviderArn,
    });
  }

  private childOptions(): pulumi.CustomResourceOptions {
    return { parent: this, provider: this.provider };
  }

  /**
   * Classic branch protection (docs/github.md says why not rulesets): every change arrives by a
   * reviewed pull request whose required checks passed on a branch up to date with its base;
   * admins follow the same rules; history on the branch is never rewritten or deleted.
   */
  private protectBranch(
    childName: string,
    repository: string,
    branch: string,
    settings: GithubSettings,
  ): github.BranchProtection {
    return new github.BranchProtection(
      childName,
      {
        repositoryId: repository,
        pattern: branch,
        enforceAdmins: settings.enforceAdmins,
        allowsForcePushes: false,
        allowsDeletions: false,
        requireConversationResolution: settings.requireConversationResolution,
        requiredLinearHistory: settings.requireLinearHistory,
        requiredPullRequestReviews: [
          {
            requiredApprovingReviewCount: settings.requiredApprovals,
            dismissStaleReviews: settings.dismissStaleReviews,
            requireCodeOwnerReviews: settings.requireCodeOwnerReviews,
            requireLastPushApproval: settings.requireLastPushApproval,
          },
        ],
        requiredStatusChecks: [{ strict: true, contexts: [...settings.requiredChecks] }],
      },
      this.childOptions(),
    );
  }

  /**
   * `staging` accepts deploys from the staging and the production branch (a production release
   * passes through staging first); `production` only from the production branch. Production
   * waits for one of `productionReviewers` when any are named.
   */
  private createEnvironments(name: string, repository: string, settings: GithubSettings): void {
    const branches: Record<DeployEnvironment, string[]> = {
      staging: [settings.stagingBranch, settings.productionBranch],
      production: [settings.productionBranch],
    };
    const reviewerIds = settings.productionReviewers.map((login) =>
      github
        .getUserOutput({ username: login }, { parent: this, provider: this.provider })
        .id.apply((id) => Number(id)),
    );
    for (const environment of DEPLOY_ENVIRONMENTS) {
      const reviewed = environment === "production" && reviewerIds.length > 0;
      const env = new github.RepositoryEnvironment(
        `${name}-${environment}-environment`,
        {
          repository,
          environment,
          canAdminsBypass: !settings.enforceAdmins,
          deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
          ...(reviewed ? { reviewers: [{ users: reviewerIds }], preventSelfReview: false } : {}),
        },
        this.childOptions(),
      );
      for (const branch of branches[environment]) {
        const role = branch === settings.productionBranch ? "production" : "staging";
        new github.RepositoryEnvironmentDeploymentPolicy(
          `${name}-${environment}-from-${role}-branch`,
          // The name itself rather than env.environment: a preview (and its policies) can read a
          // literal, while the output of an environment not yet created is unknown.
          { repository, environment, branchPattern: branch },
          { ...this.childOptions(), dependsOn: [env] },
        );
      }
    }
  }

  private storeHerokuApiKey(
    name: string,
    repository: string,
    apiKey: pulumi.Input<string> | undefined,
  ): void {
    if (apiKey === undefined) {
      void pulumi.log.warn(
        `no Heroku API key is configured, so the ${HEROKU_API_KEY_SECRET} Actions secret is not ` +
          `declared and deploy workflows cannot reach Heroku. Fix: pulumi config set --secret ` +
          `heroku:apiKey <key> --stack ${pulumi.getStack()}`,
        this,
      );
      return;
    }
    new github.ActionsSecret(
      `${name}-heroku-api-key`,
      { repository, secretName: HEROKU_API_KEY_SECRET, value: pulumi.secret(apiKey) },
      this.childOptions(),
    );
  }

  /** An account holds one provider per issuer URL, so an existing one is reused by ARN. */
  private oidcProvider(name: string, existingArn: string | undefined): pulumi.Output<string> {
    if (existingArn !== undefined) return pulumi.output(existingArn);
    // No thumbprints: AWS validates GitHub's issuer against its own trusted CAs and ignores them.
    return new aws.iam.OpenIdConnectProvider(
      `${name}-github-oidc`,
      { url: GITHUB_OIDC_URL, clientIdLists: [STS_AUDIENCE] },
      { parent: this },
    ).arn;
  }

  /**
   * Two roles: `deploy` for jobs in the staging and production environments (which only the
   * protected branches reach), and a read-only `preview` for pull request previews, which run
   * outside any environment.
   */
  private createRoles(name: string, owner: string, repository: string, region: string) {
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const read = new aws.iam.Policy(
      `${name}-read`,
      {
        description: `Read what slipway deploys, for plans and previews of ${owner}/${repository}`,
        policy: JSON.stringify(readPolicy()),
      },
      { parent: this },
    );
    const write = new aws.iam.Policy(
      `${name}-deploy`,
      {
        description: `Deploy slipway's stacks from ${owner}/${repository} (no IAM changes)`,
        policy: pulumi.all([partition, accountId]).apply(([p, account]) =>
          JSON.stringify(
            deployPolicy({
              partition: p,
              accountId: account,
              regions: [region, HEALTH_CHECK_ALARM_REGION],
            }),
          ),
        ),
      },
      { parent: this },
    );
    const role = (
      suffix: string,
      description: string,
      subjects: string[],
      policies: [string, aws.iam.Policy][],
    ) => {
      const created = new aws.iam.Role(
        `${name}-${suffix}`,
        {
          description,
          maxSessionDuration: 3600,
          assumeRolePolicy: this.oidcProviderArn.apply((arn) =>
            JSON.stringify(githubTrustPolicy(arn, subjects)),
          ),
        },
        { parent: this },
      );
      for (const [policyName, policy] of policies) {
        new aws.iam.RolePolicyAttachment(
          `${name}-${suffix}-${policyName}`,
          { role: created.name, policyArn: policy.arn },
          { parent: this },
        );
      }
      return created.arn;
    };
    return {
      deploy: role(
        "deploy",
        `GitHub Actions deploys of ${owner}/${repository} (staging and production environments)`,
        DEPLOY_ENVIRONMENTS.map((env) => environmentSubject(owner, repository, env)),
        [
          ["read", read],
          ["deploy", write],
        ],
      ),
      preview: role(
        "preview",
        `GitHub Actions previews of ${owner}/${repository} pull requests (read only)`,
        [pullRequestSubject(owner, repository)],
        [["read", read]],
      ),
    };
  }

  /** The role ARNs and region as Actions variables, so no workflow hard-codes them. */
  private exposeVariables(name: string, repository: string, region: string): void {
    const variables: [string, string, pulumi.Input<string>][] = [
      ["aws-role-arn", AWS_ROLE_ARN_VARIABLE, this.roleArn],
      ["aws-preview-role-arn", AWS_PREVIEW_ROLE_ARN_VARIABLE, this.previewRoleArn],
      ["aws-region", AWS_REGION_VARIABLE, region],
    ];
    for (const [suffix, variableName, value] of variables) {
      new github.ActionsVariable(
        `${name}-${suffix}`,
        { repository, variableName, value },
        this.childOptions(),
      );
    }
  }
}

/** Owner and repository have no default; config validation requires them in production. */
function requireRepository(settings: GithubSettings): { owner: string; repository: string } {
  const missing = (["owner", "repository"] as const).filter((key) => settings[key] === undefined);
  if (missing.length > 0) {
    throw new SlipwayError(
      missing.map((key) => ({
        key: `slipway:github.${key}`,
        message:
          `missing: the repository process needs the repository it protects. ` +
          `Fix: pulumi config set --path 'slipway:github.${key}' ${key === "owner" ? "acme" : "acme-web"}`,
      })),
    );
  }
  return { owner: settings.owner as string, repository: settings.repository as string };
}
