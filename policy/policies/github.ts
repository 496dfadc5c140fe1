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

export const branchRequiredChecks: ResourceValidationPolicy = {
  name: "branch-required-checks",
  description:
    "A protected branch requires CI's checks (lint, style, tests, coverage) to pass on an up-to-date branch.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "List every required context in slipway:github.requiredChecks; status checks are strict.",
  configSchema: {
    properties: {
      requiredContexts: {
        type: "array",
        items: { type: "string" },
        default: ["lint", "format", "test", "coverage"],
      },
    },
  },
  validateResource: validateResourceOfType(github.BranchProtection, (protection, args, report) => {
    const { requiredContexts } = settingsOf<{ requiredContexts: string[] }>(
      args,
      branchRequiredChecks,
    );
    const checks = (protection.requiredStatusChecks?.[0] ?? {}) as Checks;
    const missing = requiredContexts.filter((c) => !(checks.contexts ?? []).includes(c));
    if (missing.length > 0) report(`${protection.pattern} does not require ${missing.join(", ")}.`);
    if (checks.strict !== true)
      report(
        `${protection.pattern} lets a branch merge without being up to date (strict is not true).`,
      );
  }),
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

/** Each repository's production branches: where its `production` environment deploys from. */
function productionBranches(resources: readonly PolicyResource[]): Map<string, string[]> {
  const branches = new Map<string, string[]>();
  for (const policy of ofType(resources, DEPLOYMENT_POLICY)) {
    if (policy.props["environment"] !== "production") continue;
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
  description: "Every repository slipway manages protects the branch production deploys from.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Declare the repository with RepositoryProcess, which protects slipway:github.productionBranch.",
  validateStack: (args, report) => {
    for (const [repository, branches] of productionBranches(args.resources)) {
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
  description: "Administrators follow the production branch's rules like everyone else.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set slipway:github.enforceAdmins to true.",
  validateStack: (args, report) => {
    for (const [repository, branches] of productionBranches(args.resources)) {
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
