// The repository: nothing reaches a protected branch without review and a green, up-to-date
// build; history on it is never rewritten; admins follow the same rules in production.
import * as github from "@pulumi/github";
import {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { label, ofType, settingsOf } from "./common";

const PROTECTION = "github:index/branchProtection:BranchProtection";
const DEPLOYMENT_POLICY =
  "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy";

interface Reviews {
  requiredApprovingReviewCount?: number;
  dismissStaleReviews?: boolean;
}
interface Checks {
  strict?: boolean;
  contexts?: string[];
}

export const branchRequiredReviews: ResourceValidationPolicy = {
  name: "branch-required-reviews",
  description:
    "A protected branch takes changes only through pull requests approved by another person.",
  enforcementLevel: "mandatory",
  remediationSteps: "Raise slipway:github.requiredApprovals and keep dismissStaleReviews true.",
  configSchema: {
    properties: { minimumApprovals: { type: "integer", minimum: 0, maximum: 6, default: 1 } },
  },
  validateResource: validateResourceOfType(github.BranchProtection, (protection, args, report) => {
    const { minimumApprovals } = settingsOf<{ minimumApprovals: number }>(
      args,
      branchRequiredReviews,
    );
    const reviews = (protection.requiredPullRequestReviews?.[0] ?? {}) as Reviews;
    const approvals = reviews.requiredApprovingReviewCount ?? 0;
    if (approvals < minimumApprovals) {
      report(
        `${protection.pattern} requires ${approvals} approving reviews; at least ${minimumApprovals} are required.`,
      );
    }
    if (reviews.dismissStaleReviews !== true) {
      report(
        `${protection.pattern} keeps approvals after new commits (dismissStaleReviews is not true).`,
      );
    }
  }),
};

export const branchRequiredChecks: StackValidationPolicy = {
  name: "branch-required-checks",
  description:
    "A protected branch requires its repository's CI checks to pass on an up-to-date branch; the application's include lint, style, tests and coverage.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "List the application's CI job names in slipway:github.requiredChecks (slipway's own are its ci.yml jobs); status checks are strict.",
  configSchema: {
    properties: {
      requiredContexts: {
        type: "array",
        items: { type: "string" },
        default: ["lint", "format", "test", "coverage"],
      },
    },
  },
  validateStack: (args, report) => {
    const { requiredContexts } = settingsOf<{ requiredContexts: string[] }>(
      args,
      branchRequiredChecks,
    );
    // The application's CI runs the gates; slipway's own repository requires its own CI's jobs.
    const applications = deployingBranches(args.resources, ["production"]);
    for (const protection of ofType(args.resources, PROTECTION)) {
      const pattern = String(protection.props["pattern"]);
      const checks = (protection.props["requiredStatusChecks"] as Checks[] | undefined)?.[0] ?? {};
      const contexts = checks.contexts ?? [];
      if (contexts.length === 0) report(`${pattern} requires no status check.`, protection.urn);
      if (applications.has(String(protection.props["repositoryId"]))) {
        const missing = requiredContexts.filter((c) => !contexts.includes(c));
        if (missing.length > 0) {
          report(`${pattern} does not require ${missing.join(", ")}.`, protection.urn);
        }
      }
      if (checks.strict !== true) {
        report(
          `${pattern} lets a branch merge without being up to date (strict is not true).`,
          protection.urn,
        );
      }
    }
  },
};

export const branchHistoryPreserved: ResourceValidationPolicy = {
  name: "branch-history-preserved",
  description: "A protected branch cannot be force-pushed or deleted.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set allowsForcePushes and allowsDeletions to false.",
  validateResource: validateResourceOfType(github.BranchProtection, (protection, _args, report) => {
    if (protection.allowsForcePushes === true) report(`${protection.pattern} allows force pushes.`);
    if (protection.allowsDeletions === true) report(`${protection.pattern} can be deleted.`);
  }),
};

/** The GitHub environments whose jobs change production: the application's deploys, and
 * slipway's `pulumi up` of its stacks. */
const PRODUCTION_ENVIRONMENTS = ["production", "infrastructure"];

/** Each repository's branches that `environments` deploy from. */
function deployingBranches(
  resources: readonly PolicyResource[],
  environments: readonly string[] = PRODUCTION_ENVIRONMENTS,
): Map<string, string[]> {
  const branches = new Map<string, string[]>();
  for (const policy of ofType(resources, DEPLOYMENT_POLICY)) {
    if (!environments.includes(String(policy.props["environment"]))) continue;
    const repository = String(policy.props["repository"]);
    branches.set(repository, [
      ...(branches.get(repository) ?? []),
      String(policy.props["branchPattern"]),
    ]);
  }
  return branches;
}

function protectionsOf(
  resources: readonly PolicyResource[],
  repository: string,
  branch: string,
): PolicyResource[] {
  return ofType(resources, PROTECTION).filter(
    (p) => p.props["repositoryId"] === repository && p.props["pattern"] === branch,
  );
}

export const productionBranchProtected: StackValidationPolicy = {
  name: "production-branch-protected",
  description:
    "Every repository slipway manages protects the branches production changes from: the application's production branch and slipway's own main branch.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Declare the repositories with RepositoryProcess, which protects slipway:github.productionBranch and slipway's main branch (slipway:github.platformRepository).",
  validateStack: (args, report) => {
    for (const [repository, branches] of deployingBranches(args.resources)) {
      for (const branch of branches) {
        if (protectionsOf(args.resources, repository, branch).length === 0) {
          report(
            `${repository} deploys production from ${branch}, which has no branch protection.`,
          );
        }
      }
    }
  },
};

export const productionAdminsEnforced: StackValidationPolicy = {
  name: "production-admins-enforced",
  description:
    "Administrators follow the rules of the branches production changes from like everyone else.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set slipway:github.enforceAdmins to true.",
  validateStack: (args, report) => {
    for (const [repository, branches] of deployingBranches(args.resources)) {
      for (const branch of branches) {
        for (const protection of protectionsOf(args.resources, repository, branch)) {
          if (protection.props["enforceAdmins"] !== true) {
            report(
              `${label(protection)}: admins can bypass the rules of ${branch}.`,
              protection.urn,
            );
          }
        }
      }
    }
  },
};

export const githubPolicies = [
  branchRequiredReviews,
  branchRequiredChecks,
  branchHistoryPreserved,
  productionBranchProtected,
  productionAdminsEnforced,
];
