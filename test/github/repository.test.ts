// RepositoryProcess under the mock runtime: the exact inputs of every GitHub and IAM resource.
import * as pulumi from "@pulumi/pulumi";
import { CapturedStack } from "../../cli/plan/capture";
import { MOCK_ACCOUNT_ID, stableHex } from "../../cli/plan/mocks";
import { Secret } from "../../cli/plan/values";
import {
  REPOSITORY_PROCESS_TYPE,
  RepositoryProcess,
  RepositoryProcessArgs,
} from "../../components/repository";
import { deployPolicy, readPolicy } from "../../components/repository-iam";
import { githubSchema } from "../../config/schema";
import { capture, one, ofType, planStack } from "../support/stacks";

const BRANCH_PROTECTION = "github:index/branchProtection:BranchProtection";
const ENVIRONMENT = "github:index/repositoryEnvironment:RepositoryEnvironment";
const DEPLOYMENT_POLICY =
  "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy";
const SECRET = "github:index/actionsSecret:ActionsSecret";
const VARIABLE = "github:index/actionsVariable:ActionsVariable";
const OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const PROVIDER = "pulumi:providers:github";

const OIDC_ARN = `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;

function settings(overrides: Record<string, unknown> = {}) {
  return githubSchema.parse({ owner: "acme", repository: "acme-web", ...overrides });
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
        herokuApiKey: "hk-123",
        ...extra,
      });
      return {
        repository: process.repository,
        protectedBranches: process.protectedBranches,
        environments: process.environments,
        roleArn: process.roleArn,
        previewRoleArn: process.previewRoleArn,
        oidcProviderArn: process.oidcProviderArn,
      };
    },
    { stack: "production" },
  );
}

const json = (value: unknown) => JSON.parse(value as string) as unknown;
const githubUserId = (login: string) => parseInt(stableHex(7, "github-user", login), 16);

describe("RepositoryProcess", () => {
  let stack: CapturedStack;
  beforeAll(async () => {
    stack = await run();
  });

  test("protects the production and staging branches with the configured rules", () => {
    for (const [name, pattern] of [
      ["repository-production-branch", "main"],
      ["repository-staging-branch", "staging"],
    ]) {
      expect(one(stack, BRANCH_PROTECTION, name).inputs).toEqual({
        repositoryId: "acme-web",
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
        requiredStatusChecks: [{ strict: true, contexts: ["lint", "format", "test", "coverage"] }],
      });
    }
  });

  test.each([
    [0, ["test"]],
    [1, ["lint", "format", "test", "coverage"]],
    [2, ["build", "e2e"]],
    [6, ["ci / test (22.x)"]],
  ])(
    "requires %i approvals and exactly the checks %j, strict, on both branches",
    async (approvals, checks) => {
      const captured = await run({ requiredApprovals: approvals, requiredChecks: checks });
      const rules = ofType(captured, BRANCH_PROTECTION);
      expect(rules.map((r) => r.inputs["pattern"])).toEqual(
        expect.arrayContaining(["main", "staging"]),
      );
      for (const rule of rules) {
        expect(rule.inputs["requiredStatusChecks"]).toEqual([{ strict: true, contexts: checks }]);
        expect(rule.inputs["requiredPullRequestReviews"]).toEqual([
          expect.objectContaining({ requiredApprovingReviewCount: approvals }),
        ]);
      }
    },
  );

  test("turns the optional rules on from config and lets admins bypass only when told", async () => {
    const captured = await run({
      productionBranch: "master",
      stagingBranch: "develop",
      requireCodeOwnerReviews: true,
      requireLastPushApproval: true,
      dismissStaleReviews: false,
      requireConversationResolution: false,
      requireLinearHistory: true,
      enforceAdmins: false,
    });
    const rule = one(captured, BRANCH_PROTECTION, "repository-production-branch").inputs;
    expect(rule).toEqual(
      expect.objectContaining({
        pattern: "master",
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
    expect(one(captured, BRANCH_PROTECTION, "repository-staging-branch").inputs["pattern"]).toBe(
      "develop",
    );
    for (const env of ofType(captured, ENVIRONMENT)) {
      expect(env.inputs["canAdminsBypass"]).toBe(true);
    }
  });

  test("declares staging and production environments that only the right branches reach", () => {
    for (const environment of ["staging", "production"]) {
      expect(one(stack, ENVIRONMENT, `repository-${environment}-environment`).inputs).toEqual({
        repository: "acme-web",
        environment,
        canAdminsBypass: false,
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      });
    }
    const policies = ofType(stack, DEPLOYMENT_POLICY).map((p) => [p.name, p.inputs]);
    expect(Object.fromEntries(policies)).toEqual({
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
    expect(
      one(captured, ENVIRONMENT, "repository-staging-environment").inputs["reviewers"],
    ).toBeUndefined();
  });

  test("stores the Heroku API key as a secret Actions secret", () => {
    const secret = one(stack, SECRET, "repository-heroku-api-key");
    expect(secret.inputs).toEqual({
      repository: "acme-web",
      secretName: "HEROKU_API_KEY",
      value: new Secret("hk-123"),
    });
    expect(secret.inputs["value"]).toBeInstanceOf(Secret);
  });

  test("declares no Actions secret without a key, and warns how to add one", async () => {
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    try {
      const captured = await run({}, { herokuApiKey: undefined });
      expect(ofType(captured, SECRET)).toEqual([]);
      expect(warn).toHaveBeenCalledWith(
        "no Heroku API key is configured, so the HEROKU_API_KEY Actions secret is not declared " +
          "and deploy workflows cannot reach Heroku. Fix: pulumi config set --secret " +
          "heroku:apiKey <key> --stack production",
        expect.any(RepositoryProcess),
      );
    } finally {
      warn.mockRestore();
    }
  });

  test("creates GitHub's OIDC provider for STS, with no thumbprints", () => {
    expect(one(stack, OIDC, "repository-github-oidc").inputs).toEqual({
      url: "https://token.actions.githubusercontent.com",
      clientIdLists: ["sts.amazonaws.com"],
    });
  });

  test("the deploy role trusts exactly this repository's staging and production environments", () => {
    const role = one(stack, ROLE, "repository-deploy");
    expect(role.inputs["description"]).toBe(
      "GitHub Actions deploys of acme/acme-web (staging and production environments)",
    );
    expect(role.inputs["maxSessionDuration"]).toBe(3600);
    expect(json(role.inputs["assumeRolePolicy"])).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "GithubActionsOidc",
          Effect: "Allow",
          Principal: { Federated: OIDC_ARN },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": [
                "repo:acme/acme-web:environment:staging",
                "repo:acme/acme-web:environment:production",
              ],
            },
          },
        },
      ],
    });
  });

  test("the preview role trusts only this repository's pull requests", () => {
    const trust = json(one(stack, ROLE, "repository-preview").inputs["assumeRolePolicy"]);
    expect(trust).toEqual({
      Version: "2012-10-17",
      Statement: [
        expect.objectContaining({
          Principal: { Federated: OIDC_ARN },
          Condition: {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": ["repo:acme/acme-web:pull_request"],
            },
          },
        }),
      ],
    });
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

  test("permissions: read for both roles, deploy (no IAM writes) for the deploy role only", () => {
    expect(one(stack, POLICY, "repository-read").inputs).toEqual({
      description: "Read what slipway deploys, for plans and previews of acme/acme-web",
      policy: JSON.stringify(readPolicy()),
    });
    const deploy = one(stack, POLICY, "repository-deploy").inputs;
    expect(deploy["description"]).toBe(
      "Deploy slipway's stacks from acme/acme-web (no IAM changes)",
    );
    expect(json(deploy["policy"])).toEqual(
      deployPolicy({
        partition: "aws",
        accountId: MOCK_ACCOUNT_ID,
        regions: ["us-east-1", "us-east-1"],
      }),
    );
    const arnOf = (type: string, name: string) => one(stack, type, name).state["arn"];
    const nameOf = (name: string) => one(stack, ROLE, name).state["name"];
    const attachments = ofType(stack, ATTACHMENT).map((a) => [a.name, a.inputs]);
    expect(Object.fromEntries(attachments)).toEqual({
      "repository-deploy-read": {
        role: nameOf("repository-deploy"),
        policyArn: arnOf(POLICY, "repository-read"),
      },
      "repository-deploy-deploy": {
        role: nameOf("repository-deploy"),
        policyArn: arnOf(POLICY, "repository-deploy"),
      },
      "repository-preview-read": {
        role: nameOf("repository-preview"),
        policyArn: arnOf(POLICY, "repository-read"),
      },
    });
  });

  test("hands the role ARNs and the region to workflows as Actions variables", async () => {
    const captured = await run({}, { awsRegion: "eu-west-1" });
    const roleArn = (name: string) => one(captured, ROLE, name).state["arn"];
    const variables = ofType(captured, VARIABLE).map((v) => [v.name, v.inputs]);
    expect(Object.fromEntries(variables)).toEqual({
      "repository-aws-role-arn": {
        repository: "acme-web",
        variableName: "AWS_ROLE_ARN",
        value: roleArn("repository-deploy"),
      },
      "repository-aws-preview-role-arn": {
        repository: "acme-web",
        variableName: "AWS_PREVIEW_ROLE_ARN",
        value: roleArn("repository-preview"),
      },
      "repository-aws-region": {
        repository: "acme-web",
        variableName: "AWS_REGION",
        value: "eu-west-1",
      },
    });
    const deploy = json(one(captured, POLICY, "repository-deploy").inputs["policy"]) as {
      Statement: { Sid: string; Resource: unknown }[];
    };
    // The stack's region, and us-east-1 where the health check alarms and their topic live.
    expect(deploy.Statement.find((s) => s.Sid === "Database")?.Resource).toEqual([
      `arn:aws:rds:eu-west-1:${MOCK_ACCOUNT_ID}:*`,
      `arn:aws:rds:us-east-1:${MOCK_ACCOUNT_ID}:*`,
    ]);
  });

  test("manages the repository through its own provider for the owner, token kept secret", async () => {
    const captured = await run({}, { githubToken: "ghp_example" });
    const provider = one(captured, PROVIDER, "repository-github");
    expect(provider.inputs).toEqual(
      expect.objectContaining({ owner: "acme", token: new Secret("ghp_example") }),
    );
    const component = one(captured, REPOSITORY_PROCESS_TYPE, "repository");
    const children = captured.resources.filter((r) => r.parent === component.urn);
    expect(children.length).toBe(20);
    for (const child of children) {
      expect(child.name.startsWith("repository-")).toBe(true);
      expect(child.protect).toBe(false);
      if (child.type.startsWith("github:")) {
        expect(child.provider?.startsWith(`${provider.urn}::`)).toBe(true);
      }
    }
  });

  test("exposes the protected branches, environments and role ARNs", () => {
    expect(stack.outputs).toEqual({
      repository: "acme/acme-web",
      protectedBranches: ["main", "staging"],
      environments: ["staging", "production"],
      roleArn: one(stack, ROLE, "repository-deploy").state["arn"],
      previewRoleArn: one(stack, ROLE, "repository-preview").state["arn"],
      oidcProviderArn: OIDC_ARN,
    });
  });

  test.each(["owner", "repository"])(
    "stops with a SlipwayError naming slipway:github.%s when it is missing",
    async (key) => {
      await expect(run({ [key]: undefined })).rejects.toThrow(
        `slipway:github.${key}: missing: the repository process needs the repository it protects.`,
      );
    },
  );
});

test("the staging stack declares no repository process", async () => {
  const plan = await planStack("staging");
  const types = new Set(plan.resources.map((r) => r.type));
  for (const type of [REPOSITORY_PROCESS_TYPE, BRANCH_PROTECTION, ENVIRONMENT, SECRET, ROLE]) {
    expect(types.has(type)).toBe(false);
  }
});
