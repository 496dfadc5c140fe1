// The repository process as code, in both repositories: the application's production and staging
// branches and slipway's own main branch take changes only through reviewed pull requests with a
// green, up-to-date build; every job that deploys runs in a GitHub environment that only the
// right branches reach, holds only that environment's secrets, and assumes an AWS role made for
// that one job through OIDC (no keys). See docs/github.md.
import * as aws from "@pulumi/aws";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { GithubSettings } from "../config/schema";
import {
  AWS_PREVIEW_ROLE_ARN_VARIABLE,
  AWS_REGION_VARIABLE,
  AWS_ROLE_ARN_VARIABLE,
  branchLabel,
  CiCredentials,
  credentialFor,
  environmentSpecs,
  EnvironmentSpec,
  HEROKU_API_KEY_SECRET,
  missingCredentialWarnings,
  PLATFORM_REQUIRED_CHECKS,
  PULUMI_BACKEND_URL_VARIABLE,
  requireRepositories,
  splitRepository,
  stateSecretName,
} from "./repository-environments";
import {
  APPLICATION_SUBJECT_CLAIMS,
  GITHUB_OIDC_URL,
  githubTrustPolicy,
  PLATFORM_BRANCH,
  Repositories,
  roleDescription,
  RoleName,
  STS_AUDIENCE,
  trustedSubjects,
} from "./repository-iam";
import { declaredRoles, parseStateBackend, rolePolicy } from "./repository-permissions";

export const REPOSITORY_PROCESS_TYPE = "slipway:github:RepositoryProcess";

/** Route 53 publishes health check metrics only here, so the alarms on them live here too. */
const HEALTH_CHECK_ALARM_REGION = "us-east-1";

export type { CiCredentials };

export interface RepositoryProcessArgs {
  /**
   * The validated `slipway:github` settings: the application's repository (owner and
   * repository), slipway's own (platformRepository), branches, review and check rules, reviewers,
   * an existing OIDC provider, and where the state lives.
   * @default - none: pass `config.github`.
   */
  readonly settings: GithubSettings;
  /**
   * The region the stacks deploy to: the workflows' `AWS_REGION`, and the region (with
   * us-east-1) the roles' permissions cover.
   * @default - none: pass `config.awsRegion`.
   */
  readonly awsRegion: string;
  /**
   * What the environments hold as secrets. A credential not given is not declared, and a
   * warning names the environments left without it and the command that adds it.
   * @default {}
   */
  readonly credentials?: CiCredentials;
  /**
   * The GitHub token that manages both repositories (Administration, Environments, Secrets and
   * Variables read/write: docs/bootstrap.md).
   * @default - the provider reads `GITHUB_TOKEN` from the environment.
   */
  readonly githubToken?: pulumi.Input<string>;
}

/** Branch protection, environments, their secrets and one AWS role per job, for both repositories. */
export class RepositoryProcess extends pulumi.ComponentResource {
  /** The application's repository, `owner/name`. */
  readonly repository: string;
  /** slipway's own repository, `owner/name`. */
  readonly platformRepository: string;
  /** The branches protected, by repository. */
  readonly protectedBranches: Readonly<Record<string, readonly string[]>>;
  /** The GitHub environments declared, by repository. */
  readonly environments: Readonly<Record<string, readonly string[]>>;
  /** The ARN of each role declared (`review` only with state in S3: it has nothing else to do). */
  readonly roleArns: Readonly<Partial<Record<RoleName, pulumi.Output<string>>>>;
  /** The IAM OIDC provider every role trusts. */
  readonly oidcProviderArn: pulumi.Output<string>;

  private readonly settings: GithubSettings;
  private readonly providers: Record<"application" | "platform", github.Provider>;
  private readonly names: Record<"application" | "platform", string>;

  constructor(name: string, args: RepositoryProcessArgs, opts?: pulumi.ComponentResourceOptions) {
    super(REPOSITORY_PROCESS_TYPE, name, {}, opts);
    const settings = args.settings;
    this.settings = settings;
    const repos = requireRepositories(settings);
    this.repository = repos.application;
    this.platformRepository = repos.platform;
    const application = splitRepository(repos.application);
    const platform = splitRepository(repos.platform);
    this.names = { application: application.name, platform: platform.name };
    const appProvider = new github.Provider(
      `${name}-github`,
      { owner: application.owner, token: args.githubToken },
      { parent: this },
    );
    // One token for both; a second provider only when slipway lives under another owner.
    const platformProvider =
      platform.owner === application.owner
        ? appProvider
        : new github.Provider(
            `${name}-platform-github`,
            { owner: platform.owner, token: args.githubToken },
            { parent: this },
          );
    this.providers = { application: appProvider, platform: platformProvider };
    if (args.githubToken === undefined) warnNoGithubToken(this);

    this.protectBranch(`${name}-production-branch`, "application", settings.productionBranch, [
      ...settings.requiredChecks,
    ]);
    this.protectBranch(`${name}-staging-branch`, "application", settings.stagingBranch, [
      ...settings.requiredChecks,
    ]);
    this.protectBranch(`${name}-platform-branch`, "platform", PLATFORM_BRANCH, [
      ...PLATFORM_REQUIRED_CHECKS,
    ]);
    this.protectedBranches = {
      [repos.application]: [settings.productionBranch, settings.stagingBranch],
      [repos.platform]: [PLATFORM_BRANCH],
    };
    // Every subject the application's repository issues ends in the workflow that defines the
    // job, so the deploy and review roles can require slipway's own reusable workflows.
    new github.ActionsRepositoryOidcSubjectClaimCustomizationTemplate(
      `${name}-oidc-subject`,
      {
        repository: application.name,
        useDefault: false,
        includeClaimKeys: [...APPLICATION_SUBJECT_CLAIMS],
      },
      this.childOptions("application"),
    );

    this.oidcProviderArn = this.oidcProvider(name, settings.oidcProviderArn);
    this.roleArns = this.createRoles(name, repos, settings, args.awsRegion);

    const specs = environmentSpecs(settings);
    const credentials = args.credentials ?? {};
    for (const spec of specs) this.createEnvironment(name, spec, settings, credentials);
    for (const warning of missingCredentialWarnings(specs, credentials, settings)) {
      void pulumi.log.warn(`${warning} --stack ${pulumi.getStack()}`, this);
    }
    this.environments = {
      [repos.application]: specs
        .filter((s) => s.repository === "application")
        .map((s) => s.environment),
      [repos.platform]: specs.filter((s) => s.repository === "platform").map((s) => s.environment),
    };
    this.exposeVariables(name, settings, args.awsRegion);

    this.registerOutputs({
      repository: this.repository,
      platformRepository: this.platformRepository,
      protectedBranches: this.protectedBranches,
      environments: this.environments,
      roleArns: this.roleArns,
      oidcProviderArn: this.oidcProviderArn,
    });
  }

  private childOptions(
    repository: "application" | "platform",
    dependsOn?: pulumi.Resource[],
  ): pulumi.CustomResourceOptions {
    return { parent: this, provider: this.providers[repository], dependsOn };
  }

  /**
   * Classic branch protection (docs/github.md says why not rulesets): every change arrives by a
   * reviewed pull request whose required checks passed on a branch up to date with its base;
   * admins follow the same rules; history on the branch is never rewritten or deleted.
   */
  private protectBranch(
    childName: string,
    repository: "application" | "platform",
    branch: string,
    checks: string[],
  ): void {
    const settings = this.settings;
    new github.BranchProtection(
      childName,
      {
        repositoryId: this.names[repository],
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
        requiredStatusChecks: [{ strict: true, contexts: checks }],
      },
      this.childOptions(repository),
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
   * One role per job, each with the trust of `trustedSubjects` and the one permissions document
   * of `rolePolicy`; `review` only when state is in S3 (`declaredRoles`).
   */
  private createRoles(
    name: string,
    repos: Repositories,
    settings: GithubSettings,
    region: string,
  ): Partial<Record<RoleName, pulumi.Output<string>>> {
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const state =
      settings.stateBackendUrl === undefined
        ? undefined
        : parseStateBackend(settings.stateBackendUrl, pulumi.getProject(), settings.stateKmsKeyArn);
    const arns: Partial<Record<RoleName, pulumi.Output<string>>> = {};
    for (const role of declaredRoles(state)) {
      const created = new aws.iam.Role(
        `${name}-${role}`,
        {
          description: roleDescription(role, repos),
          maxSessionDuration: 3600,
          assumeRolePolicy: this.oidcProviderArn.apply((arn) =>
            JSON.stringify(githubTrustPolicy(arn, trustedSubjects(role, repos))),
          ),
        },
        { parent: this },
      );
      const policy = new aws.iam.Policy(
        `${name}-${role}`,
        {
          description: `What the ${role} role may do (slipway: components/repository-permissions.ts)`,
          policy: pulumi.all([partition, accountId]).apply(([p, account]) =>
            JSON.stringify(
              rolePolicy(
                role,
                {
                  partition: p,
                  accountId: account,
                  regions: [region, HEALTH_CHECK_ALARM_REGION],
                },
                state,
              ),
            ),
          ),
        },
        { parent: this },
      );
      new aws.iam.RolePolicyAttachment(
        `${name}-${role}-policy`,
        { role: created.name, policyArn: policy.arn },
        { parent: this },
      );
      arns[role] = created.arn;
    }
    return arns;
  }

  /**
   * An environment reachable only from its branches (custom policies naming them exactly, so a
   * branch someone protects by hand does not become a way in), with its role's ARN and its
   * secrets. The review environment admits every branch: it holds only review credentials.
   */
  private createEnvironment(
    name: string,
    spec: EnvironmentSpec,
    settings: GithubSettings,
    credentials: CiCredentials,
  ): void {
    const repository = this.names[spec.repository];
    const { environment } = spec;
    const prefix =
      spec.repository === "platform" ? `${name}-platform-${environment}` : `${name}-${environment}`;
    const reviewerIds = spec.reviewed
      ? settings.productionReviewers.map((login) =>
          github
            .getUserOutput(
              { username: login },
              { parent: this, provider: this.providers.application },
            )
            .id.apply((id) => Number(id)),
        )
      : [];
    const env = new github.RepositoryEnvironment(
      `${prefix}-environment`,
      {
        repository,
        environment,
        canAdminsBypass: !settings.enforceAdmins,
        ...(spec.branches === "all"
          ? {}
          : { deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true } }),
        ...(spec.reviewed ? { reviewers: [{ users: reviewerIds }], preventSelfReview: false } : {}),
      },
      this.childOptions(spec.repository),
    );
    // The names themselves rather than env.environment: a preview (and its policies) can read a
    // literal, while the output of an environment not yet created is unknown.
    const after = this.childOptions(spec.repository, [env]);
    if (spec.branches !== "all") {
      for (const branch of spec.branches) {
        new github.RepositoryEnvironmentDeploymentPolicy(
          `${prefix}-from-${spec.repository === "platform" ? "platform-branch" : branchLabel(branch, settings)}`,
          { repository, environment, branchPattern: branch },
          after,
        );
      }
    }
    const roleArn = this.roleArns[spec.role];
    if (roleArn !== undefined) {
      new github.ActionsEnvironmentVariable(
        `${prefix}-aws-role-arn`,
        { repository, environment, variableName: AWS_ROLE_ARN_VARIABLE, value: roleArn },
        after,
      );
    }
    const secrets: [string, string, pulumi.Input<string> | undefined][] = [
      [
        "heroku-api-key",
        HEROKU_API_KEY_SECRET,
        credentialFor(spec.herokuApiKey, "heroku", credentials),
      ],
      [
        "state-secret",
        stateSecretName(settings),
        credentialFor(spec.stateSecret, "state", credentials),
      ],
    ];
    for (const [suffix, secretName, value] of secrets) {
      if (value === undefined) continue;
      new github.ActionsEnvironmentSecret(
        `${prefix}-${suffix}`,
        { repository, environment, secretName, value: pulumi.secret(value) },
        after,
      );
    }
  }

  /** Repository-wide variables: no secrets, only where things are, so no workflow hard-codes it. */
  private exposeVariables(name: string, settings: GithubSettings, region: string): void {
    const variables: ["application" | "platform", string, string, pulumi.Input<string>][] = [
      ["application", `${name}-aws-region`, AWS_REGION_VARIABLE, region],
      ["platform", `${name}-platform-aws-region`, AWS_REGION_VARIABLE, region],
    ];
    // Pull requests of slipway run in no environment: their read-only role is repository-wide.
    const preview = this.roleArns.preview;
    if (preview !== undefined) {
      variables.push([
        "platform",
        `${name}-platform-aws-preview-role-arn`,
        AWS_PREVIEW_ROLE_ARN_VARIABLE,
        preview,
      ]);
    }
    if (settings.stateBackendUrl !== undefined) {
      for (const repository of ["application", "platform"] as const) {
        const child =
          repository === "platform"
            ? `${name}-platform-pulumi-backend-url`
            : `${name}-pulumi-backend-url`;
        variables.push([repository, child, PULUMI_BACKEND_URL_VARIABLE, settings.stateBackendUrl]);
      }
    }
    for (const [repository, child, variableName, value] of variables) {
      new github.ActionsVariable(
        child,
        { repository: this.names[repository], variableName, value },
        this.childOptions(repository),
      );
    }
  }
}

function warnNoGithubToken(process: RepositoryProcess): void {
  void pulumi.log.warn(
    `github:token is not configured: this run manages the repositories with GITHUB_TOKEN from ` +
      `the environment, and the infrastructure and drift workflows, which have no such token, ` +
      `cannot. Fix: pulumi config set --secret github:token <token> --stack ${pulumi.getStack()}`,
    process,
  );
}
