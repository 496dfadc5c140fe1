// RepositoryProcess under the mock runtime: the exact inputs of every GitHub and IAM resource it
// declares in both repositories.
import { CapturedResource, CapturedStack } from "../../cli/plan/capture";
import { MOCK_ACCOUNT_ID, stableHex } from "../../cli/plan/mocks";
import { Secret } from "../../cli/plan/values";
import {
  REPOSITORY_PROCESS_TYPE,
  RepositoryProcess,
  RepositoryProcessArgs,
} from "../../components/repository";
import {
  githubTrustPolicy,
  RoleName,
  ROLES,
  trustedSubjects,
} from "../../components/repository-iam";
import { parseStateBackend, rolePolicy } from "../../components/repository-permissions";
import { githubSchema } from "../../config/schema";
import { capture, one, ofType, planStack } from "../support/stacks";

const BRANCH_PROTECTION = "github:index/branchProtection:BranchProtection";
const ENVIRONMENT = "github:index/repositoryEnvironment:RepositoryEnvironment";
const DEPLOYMENT_POLICY =
  "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy";
const SECRET = "github:index/actionsSecret:ActionsSecret";
const ENV_SECRET = "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret";
const VARIABLE = "github:index/actionsVariable:ActionsVariable";
const ENV_VARIABLE = "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable";
const SUBJECT_TEMPLATE =
  "github:index/actionsRepositoryOidcSubjectClaimCustomizationTemplate:ActionsRepositoryOidcSubjectClaimCustomizationTemplate";
const OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const PROVIDER = "pulumi:providers:github";

const OIDC_ARN = `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;
const repos = { application: "acme/acme-web", platform: "acme/slipway" };
const STATE = "s3://acme-state/slipway";

const credentials = {
  herokuApiKey: "hk-deploy",
  stateSecret: "passphrase-deploy",
  reviewHerokuApiKey: "hk-review",
  reviewStateSecret: "passphrase-review",
};

function settings(overrides: Record<string, unknown> = {}) {
  return githubSchema.parse({
    owner: "acme",
    repository: "acme-web",
    platformRepository: "acme/slipway",
    stateBackendUrl: STATE,
    ...overrides,
  });
}

async function run(
  overrides: Record<string, unknown> = {},
  extra: Partial<RepositoryProcessArgs> = {},
): Promise<CapturedStack> {
  return capture(
    () => {
      const process = new RepositoryProcess("repository", {
        settings: settings(overrides),
        awsRegion: "us-east-1",
        credentials,
        githubToken: "ghp_example",
        ...extra,
      });
      return {
        repository: process.repository,
        platformRepository: process.platformRepository,
        protectedBranches: process.protectedBranches,
        environments: process.environments,
        roleArns: process.roleArns,
        oidcProviderArn: process.oidcProviderArn,
      };
    },
    { stack: "production" },
  );
}

const json = (value: unknown) => JSON.parse(value as string) as unknown;
const githubUserId = (login: string) => parseInt(stableHex(7, "github-user", login), 16);
const byName = (resources: CapturedResource[]) =>
  Object.fromEntries(resources.map((r) => [r.name, r.inputs]));

describe("RepositoryProcess", () => {
  let stack: CapturedStack;
  beforeAll(async () => {
    stack = await run();
  });

  test("protects the application's branches with its checks, and slipway's main with slipway's", () => {
    const rule = (repositoryId: string, pattern: string, contexts: string[]) => ({
      repositoryId,
      pattern,
      enforceAdmins: true,
      allowsForcePushes: false,
      allowsDeletions: false,
      requireConversationResolution: true,
      requiredLinearHistory: false,
      requiredPullRequestReviews: [
        {
          requiredApprovingReviewCount: 1,
          dismissStaleReviews: true,
          requireCodeOwnerReviews: false,
          requireLastPushApproval: false,
        },
      ],
      requiredStatusChecks: [{ strict: true, contexts }],
    });
    const app = ["lint", "format", "test", "coverage"];
    expect(byName(ofType(stack, BRANCH_PROTECTION))).toEqual({
      "repository-production-branch": rule("acme-web", "main", app),
      "repository-staging-branch": rule("acme-web", "staging", app),
      "repository-platform-branch": rule("slipway", "main", ["test"]),
    });
  });

  test.each([
    [0, ["test"]],
    [2, ["build", "e2e"]],
    [6, ["ci / test (22.x)"]],
  ])(
    "requires %i approvals everywhere, and the checks %j on the application's branches",
    async (approvals, checks) => {
      const captured = await run({ requiredApprovals: approvals, requiredChecks: checks });
      const rules = ofType(captured, BRANCH_PROTECTION);
      expect(
        Object.fromEntries(rules.map((r) => [r.name, r.inputs["requiredStatusChecks"]])),
      ).toEqual({
        "repository-production-branch": [{ strict: true, contexts: checks }],
        "repository-staging-branch": [{ strict: true, contexts: checks }],
        "repository-platform-branch": [{ strict: true, contexts: ["test"] }],
      });
      for (const rule of rules) {
        expect(rule.inputs["requiredPullRequestReviews"]).toEqual([
          expect.objectContaining({ requiredApprovingReviewCount: approvals }),
        ]);
      }
    },
  );

  test("turns the optional rules on from config, for both repositories", async () => {
    const captured = await run({
      productionBranch: "trunk",
      stagingBranch: "develop",
      requireCodeOwnerReviews: true,
      requireLastPushApproval: true,
      dismissStaleReviews: false,
      requireConversationResolution: false,
      requireLinearHistory: true,
      enforceAdmins: false,
    });
    const patterns = ofType(captured, BRANCH_PROTECTION).map((r) => [r.name, r.inputs["pattern"]]);
    expect(Object.fromEntries(patterns)).toEqual({
      "repository-production-branch": "trunk",
      "repository-staging-branch": "develop",
      "repository-platform-branch": "main",
    });
    for (const rule of ofType(captured, BRANCH_PROTECTION)) {
      expect(rule.inputs).toEqual(
        expect.objectContaining({
          enforceAdmins: false,
          requireConversationResolution: false,
          requiredLinearHistory: true,
          requiredPullRequestReviews: [
            {
              requiredApprovingReviewCount: 1,
              dismissStaleReviews: false,
              requireCodeOwnerReviews: true,
              requireLastPushApproval: true,
            },
          ],
        }),
      );
    }
    for (const env of ofType(captured, ENVIRONMENT)) {
      expect(env.inputs["canAdminsBypass"]).toBe(true);
    }
    const policies = ofType(captured, DEPLOYMENT_POLICY).map((p) => [
      p.name,
      p.inputs["branchPattern"],
    ]);
    expect(Object.fromEntries(policies)).toEqual({
      "repository-staging-from-staging-branch": "develop",
      "repository-staging-from-production-branch": "trunk",
      "repository-production-from-production-branch": "trunk",
      "repository-platform-infrastructure-from-platform-branch": "main",
      "repository-platform-drift-from-platform-branch": "main",
    });
  });

  test("makes every subject of the application's repository end in the workflow that runs the job", () => {
    expect(one(stack, SUBJECT_TEMPLATE).inputs).toEqual({
      repository: "acme-web",
      useDefault: false,
      includeClaimKeys: ["repo", "context", "job_workflow_ref"],
    });
  });

  test("declares the environments, each reachable only from its branches", () => {
    const custom = { protectedBranches: false, customBranchPolicies: true };
    expect(byName(ofType(stack, ENVIRONMENT))).toEqual({
      "repository-review-environment": {
        repository: "acme-web",
        environment: "review",
        canAdminsBypass: false,
      },
      "repository-staging-environment": {
        repository: "acme-web",
        environment: "staging",
        canAdminsBypass: false,
        deploymentBranchPolicy: custom,
      },
      "repository-production-environment": {
        repository: "acme-web",
        environment: "production",
        canAdminsBypass: false,
        deploymentBranchPolicy: custom,
      },
      "repository-platform-infrastructure-environment": {
        repository: "slipway",
        environment: "infrastructure",
        canAdminsBypass: false,
        deploymentBranchPolicy: custom,
      },
      "repository-platform-drift-environment": {
        repository: "slipway",
        environment: "drift",
        canAdminsBypass: false,
        deploymentBranchPolicy: custom,
      },
    });
    expect(byName(ofType(stack, DEPLOYMENT_POLICY))).toEqual({
      "repository-staging-from-staging-branch": {
        repository: "acme-web",
        environment: "staging",
        branchPattern: "staging",
      },
      "repository-staging-from-production-branch": {
        repository: "acme-web",
        environment: "staging",
        branchPattern: "main",
      },
      "repository-production-from-production-branch": {
        repository: "acme-web",
        environment: "production",
        branchPattern: "main",
      },
      "repository-platform-infrastructure-from-platform-branch": {
        repository: "slipway",
        environment: "infrastructure",
        branchPattern: "main",
      },
      "repository-platform-drift-from-platform-branch": {
        repository: "slipway",
        environment: "drift",
        branchPattern: "main",
      },
    });
  });

  test("makes production wait for one of the named reviewers, looked up by login", async () => {
    const captured = await run({ productionReviewers: ["octocat", "hubot"] });
    expect(one(captured, ENVIRONMENT, "repository-production-environment").inputs).toEqual({
      repository: "acme-web",
      environment: "production",
      canAdminsBypass: false,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      reviewers: [{ users: [githubUserId("octocat"), githubUserId("hubot")] }],
      preventSelfReview: false,
    });
    const reviewed = ofType(captured, ENVIRONMENT).filter((e) => e.inputs["reviewers"]);
    expect(reviewed.map((e) => e.name)).toEqual(["repository-production-environment"]);
  });

  test("keeps every credential in the environments that need it, as secrets; none repository-wide", () => {
    expect(ofType(stack, SECRET)).toEqual([]);
    const secret = (
      repository: string,
      environment: string,
      secretName: string,
      value: string,
    ) => ({
      repository,
      environment,
      secretName,
      value: new Secret(value),
    });
    expect(byName(ofType(stack, ENV_SECRET))).toEqual({
      "repository-review-heroku-api-key": secret(
        "acme-web",
        "review",
        "HEROKU_API_KEY",
        "hk-review",
      ),
      "repository-review-state-secret": secret(
        "acme-web",
        "review",
        "PULUMI_CONFIG_PASSPHRASE",
        "passphrase-review",
      ),
      "repository-staging-heroku-api-key": secret(
        "acme-web",
        "staging",
        "HEROKU_API_KEY",
        "hk-deploy",
      ),
      "repository-staging-state-secret": secret(
        "acme-web",
        "staging",
        "PULUMI_CONFIG_PASSPHRASE",
        "passphrase-deploy",
      ),
      "repository-production-heroku-api-key": secret(
        "acme-web",
        "production",
        "HEROKU_API_KEY",
        "hk-deploy",
      ),
      "repository-production-state-secret": secret(
        "acme-web",
        "production",
        "PULUMI_CONFIG_PASSPHRASE",
        "passphrase-deploy",
      ),
      "repository-platform-infrastructure-heroku-api-key": secret(
        "slipway",
        "infrastructure",
        "HEROKU_API_KEY",
        "hk-deploy",
      ),
      "repository-platform-infrastructure-state-secret": secret(
        "slipway",
        "infrastructure",
        "PULUMI_CONFIG_PASSPHRASE",
        "passphrase-deploy",
      ),
      "repository-platform-drift-state-secret": secret(
        "slipway",
        "drift",
        "PULUMI_CONFIG_PASSPHRASE",
        "passphrase-deploy",
      ),
    });
    // Declared only once its environment exists.
    const env = one(stack, ENVIRONMENT, "repository-review-environment");
    expect(one(stack, ENV_SECRET, "repository-review-heroku-api-key").dependencies).toEqual([
      env.urn,
    ]);
  });

  test("with Pulumi Cloud, the state secret is the access token", async () => {
    const captured = await run({ stateBackendUrl: undefined });
    const names = ofType(captured, ENV_SECRET).map((s) => [s.name, s.inputs["secretName"]]);
    const states = names.filter(([name]) => String(name).endsWith("state-secret"));
    expect(Object.fromEntries(states)).toEqual({
      "repository-review-state-secret": "PULUMI_ACCESS_TOKEN",
      "repository-staging-state-secret": "PULUMI_ACCESS_TOKEN",
      "repository-production-state-secret": "PULUMI_ACCESS_TOKEN",
      "repository-platform-infrastructure-state-secret": "PULUMI_ACCESS_TOKEN",
      "repository-platform-drift-state-secret": "PULUMI_ACCESS_TOKEN",
    });
  });

  test("a credential not configured is not declared, and a warning names where it is missing", async () => {
    const captured = await run(
      { stateBackendUrl: undefined },
      { credentials: { herokuApiKey: "hk-deploy" }, githubToken: undefined },
    );
    expect(
      ofType(captured, ENV_SECRET)
        .map((s) => s.name)
        .sort(),
    ).toEqual([
      "repository-platform-infrastructure-heroku-api-key",
      "repository-production-heroku-api-key",
      "repository-staging-heroku-api-key",
    ]);
    expect(captured.warnings).toEqual([
      "github:token is not configured: this run manages the repositories with GITHUB_TOKEN from " +
        "the environment, and the infrastructure and drift workflows, which have no such token, " +
        "cannot. Fix: pulumi config set --secret github:token <token> --stack production",
      "slipway:stateSecret is not configured, so the staging, production, infrastructure, drift " +
        "environments have no PULUMI_ACCESS_TOKEN secret and their jobs will fail. Fix: pulumi " +
        "config set --secret slipway:stateSecret <value> --stack production",
      "slipway:reviewHerokuApiKey is not configured, so the review environment has no " +
        "HEROKU_API_KEY secret and its jobs will fail. Fix: pulumi config set --secret " +
        "slipway:reviewHerokuApiKey <value> --stack production",
      "slipway:reviewStateSecret is not configured, so the review environment has no " +
        "PULUMI_ACCESS_TOKEN secret and its jobs will fail. Fix: pulumi config set --secret " +
        "slipway:reviewStateSecret <value> --stack production",
    ]);
  });

  test("state in S3 with a KMS key needs no passphrase, so none is asked for", async () => {
    const { warnings } = await run(
      {
        stateKmsKeyArn:
          "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      },
      { credentials: { herokuApiKey: "hk", reviewHerokuApiKey: "hk-review" } },
    );
    expect(warnings).toEqual([]);
  });

  test("creates GitHub's OIDC provider for STS, with no thumbprints", () => {
    expect(one(stack, OIDC, "repository-github-oidc").inputs).toEqual({
      url: "https://token.actions.githubusercontent.com",
      clientIdLists: ["sts.amazonaws.com"],
    });
  });

  test.each([...ROLES])(
    "the %s role: its exact trust, its one policy, attached",
    (role: RoleName) => {
      const created = one(stack, ROLE, `repository-${role}`);
      expect(created.inputs["maxSessionDuration"]).toBe(3600);
      expect(json(created.inputs["assumeRolePolicy"])).toEqual(
        githubTrustPolicy(OIDC_ARN, trustedSubjects(role, repos)),
      );
      const policy = one(stack, POLICY, `repository-${role}`);
      expect(policy.inputs["description"]).toBe(
        `What the ${role} role may do (slipway: components/repository-permissions.ts)`,
      );
      expect(json(policy.inputs["policy"])).toEqual(
        rolePolicy(
          role,
          // The stack's region, and us-east-1 where the health check alarms and their topic live.
          { partition: "aws", accountId: MOCK_ACCOUNT_ID, regions: ["us-east-1", "us-east-1"] },
          parseStateBackend(STATE, "slipway"),
        ),
      );
      expect(one(stack, ATTACHMENT, `repository-${role}-policy`).inputs).toEqual({
        role: created.state["name"],
        policyArn: policy.state["arn"],
      });
    },
  );

  test("scopes the roles to the stack's region and us-east-1", async () => {
    const captured = await run({}, { awsRegion: "eu-west-1" });
    const deploy = json(one(captured, POLICY, "repository-deploy-staging").inputs["policy"]);
    expect(deploy).toEqual(
      rolePolicy("deploy-staging", {
        partition: "aws",
        accountId: MOCK_ACCOUNT_ID,
        regions: ["eu-west-1", "us-east-1"],
      }),
    );
  });

  test("with Pulumi Cloud there is no review role, and the review environment no role ARN", async () => {
    const captured = await run({ stateBackendUrl: undefined });
    expect(
      ofType(captured, ROLE)
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      "repository-deploy-production",
      "repository-deploy-staging",
      "repository-infrastructure",
      "repository-preview",
    ]);
    expect(
      ofType(captured, ENV_VARIABLE)
        .map((v) => v.inputs["environment"])
        .sort(),
    ).toEqual(["drift", "infrastructure", "production", "staging"]);
    expect(
      ofType(captured, VARIABLE)
        .map((v) => v.name)
        .sort(),
    ).toEqual([
      "repository-aws-region",
      "repository-platform-aws-preview-role-arn",
      "repository-platform-aws-region",
    ]);
  });

  test("reuses an existing OIDC provider by ARN instead of creating one", async () => {
    const existing = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";
    const captured = await run({ oidcProviderArn: existing });
    expect(ofType(captured, OIDC)).toEqual([]);
    for (const role of ofType(captured, ROLE)) {
      const trust = json(role.inputs["assumeRolePolicy"]) as {
        Statement: { Principal: unknown }[];
      };
      expect(trust.Statement[0]?.Principal).toEqual({ Federated: existing });
    }
    expect(captured.outputs["oidcProviderArn"]).toBe(existing);
  });

  test("hands each environment its role's ARN, and each repository the region and backend", async () => {
    const captured = await run({}, { awsRegion: "eu-west-1" });
    const arn = (role: RoleName) => one(captured, ROLE, `repository-${role}`).state["arn"];
    const variable = (repository: string, environment: string, role: RoleName) => ({
      repository,
      environment,
      variableName: "AWS_ROLE_ARN",
      value: arn(role),
    });
    expect(byName(ofType(captured, ENV_VARIABLE))).toEqual({
      "repository-review-aws-role-arn": variable("acme-web", "review", "review"),
      "repository-staging-aws-role-arn": variable("acme-web", "staging", "deploy-staging"),
      "repository-production-aws-role-arn": variable("acme-web", "production", "deploy-production"),
      "repository-platform-infrastructure-aws-role-arn": variable(
        "slipway",
        "infrastructure",
        "infrastructure",
      ),
      "repository-platform-drift-aws-role-arn": variable("slipway", "drift", "preview"),
    });
    expect(byName(ofType(captured, VARIABLE))).toEqual({
      "repository-aws-region": {
        repository: "acme-web",
        variableName: "AWS_REGION",
        value: "eu-west-1",
      },
      "repository-platform-aws-region": {
        repository: "slipway",
        variableName: "AWS_REGION",
        value: "eu-west-1",
      },
      "repository-platform-aws-preview-role-arn": {
        repository: "slipway",
        variableName: "AWS_PREVIEW_ROLE_ARN",
        value: arn("preview"),
      },
      "repository-pulumi-backend-url": {
        repository: "acme-web",
        variableName: "PULUMI_BACKEND_URL",
        value: STATE,
      },
      "repository-platform-pulumi-backend-url": {
        repository: "slipway",
        variableName: "PULUMI_BACKEND_URL",
        value: STATE,
      },
    });
  });

  test("manages both repositories through one provider for the owner, token kept secret", () => {
    const provider = one(stack, PROVIDER, "repository-github");
    expect(provider.inputs).toEqual(
      expect.objectContaining({ owner: "acme", token: new Secret("ghp_example") }),
    );
    const component = one(stack, REPOSITORY_PROCESS_TYPE, "repository");
    const children = stack.resources.filter((r) => r.parent === component.urn);
    expect(children.length).toBe(50);
    for (const child of children) {
      expect(child.name.startsWith("repository-")).toBe(true);
      expect(child.protect).toBe(false);
      if (child.type.startsWith("github:")) {
        expect(child.provider?.startsWith(`${provider.urn}::`)).toBe(true);
      }
    }
  });

  test("slipway under another owner gets a provider of its own, with the same token", async () => {
    const captured = await run({ platformRepository: "acme-platform/slipway" });
    const platform = one(captured, PROVIDER, "repository-platform-github");
    expect(platform.inputs).toEqual(
      expect.objectContaining({ owner: "acme-platform", token: new Secret("ghp_example") }),
    );
    const onPlatform = captured.resources.filter(
      (r) => r.type.startsWith("github:") && r.inputs["repository"] === "slipway",
    );
    expect(onPlatform.length).toBe(12);
    for (const resource of [
      ...onPlatform,
      one(captured, BRANCH_PROTECTION, "repository-platform-branch"),
    ]) {
      expect(resource.provider?.startsWith(`${platform.urn}::`)).toBe(true);
    }
    expect(
      one(captured, BRANCH_PROTECTION, "repository-production-branch").provider?.startsWith(
        `${one(captured, PROVIDER, "repository-github").urn}::`,
      ),
    ).toBe(true);
  });

  test("exposes the repositories, protected branches, environments and role ARNs", () => {
    const arn = (role: RoleName) => one(stack, ROLE, `repository-${role}`).state["arn"];
    expect(stack.outputs).toEqual({
      repository: "acme/acme-web",
      platformRepository: "acme/slipway",
      protectedBranches: { "acme/acme-web": ["main", "staging"], "acme/slipway": ["main"] },
      environments: {
        "acme/acme-web": ["review", "staging", "production"],
        "acme/slipway": ["infrastructure", "drift"],
      },
      roleArns: Object.fromEntries(ROLES.map((role) => [role, arn(role)])),
      oidcProviderArn: OIDC_ARN,
    });
  });

  test("stops with a SlipwayError naming every repository key that is missing", async () => {
    await expect(run({ owner: undefined, platformRepository: undefined })).rejects.toThrow(
      "slipway:github.owner: missing: the repository process needs both repositories it protects. " +
        "Fix: pulumi config set --path 'slipway:github.owner' acme\n" +
        "slipway:github.platformRepository: missing: the repository process needs both " +
        "repositories it protects. Fix: pulumi config set --path 'slipway:github.platformRepository' acme/slipway",
    );
  });
});

test("the staging stack declares no repository process", async () => {
  const plan = await planStack("staging");
  const types = new Set(plan.resources.map((r) => r.type));
  for (const type of [REPOSITORY_PROCESS_TYPE, BRANCH_PROTECTION, ENVIRONMENT, ENV_SECRET, ROLE]) {
    expect(types.has(type)).toBe(false);
  }
});
