import { UNKNOWN } from "../../cli/plan/values";
import { patch, urnOf, violationsOf, without } from "./support";

const PROTECTION = "github:index/branchProtection:BranchProtection";
const production = (name: string) =>
  urnOf("production", `slipway:github:RepositoryProcess$${PROTECTION}`, name);
type Github = { github: Record<string, unknown> };

describe("branch-required-reviews", () => {
  test("passes the committed production stack", async () => {
    expect(await violationsOf("branch-required-reviews", "production")).toEqual([]);
  });

  test("fails when no approval is required, on both protected branches", async () => {
    const found = await violationsOf("branch-required-reviews", "production", {
      edit: (v) => ((v["slipway:github"] as Github["github"]).requiredApprovals = 0),
    });
    expect(found).toEqual([
      {
        policy: "branch-required-reviews",
        enforcementLevel: "mandatory",
        urn: production("repository-production-branch"),
        message:
          "A protected branch takes changes only through pull requests approved by another person.\n" +
          "master requires 0 approving reviews; at least 1 are required.",
      },
      {
        policy: "branch-required-reviews",
        enforcementLevel: "mandatory",
        urn: production("repository-staging-branch"),
        message:
          "A protected branch takes changes only through pull requests approved by another person.\n" +
          "staging requires 0 approving reviews; at least 1 are required.",
      },
    ]);
  });

  test("fails when approvals survive new commits", async () => {
    const found = await violationsOf("branch-required-reviews", "production", {
      edit: (v) => ((v["slipway:github"] as Github["github"]).dismissStaleReviews = false),
    });
    expect(found.map((f) => f.message.split("\n")[1])).toEqual([
      "master keeps approvals after new commits (dismissStaleReviews is not true).",
      "staging keeps approvals after new commits (dismissStaleReviews is not true).",
    ]);
  });

  test.each([
    [1, 0],
    [2, 2],
    [3, 2],
  ])(
    "with minimumApprovals %i in the policy config, the committed stack has %i violations",
    async (minimum, count) => {
      const found = await violationsOf("branch-required-reviews", "production", {
        config: { "branch-required-reviews": { minimumApprovals: minimum } },
      });
      expect(found).toHaveLength(count);
    },
  );

  test("a review count unknown at plan time is reported as the engine reports it", async () => {
    const found = await violationsOf("branch-required-reviews", "production", {
      mutate: patch(PROTECTION, "repository-staging-branch", (inputs) => {
        inputs["requiredPullRequestReviews"] = [
          { requiredApprovingReviewCount: UNKNOWN, dismissStaleReviews: true },
        ];
      }),
    });
    expect(found).toEqual([
      {
        policy: "branch-required-reviews",
        enforcementLevel: "advisory",
        urn: production("repository-staging-branch"),
        message:
          "can't run policy 'branch-required-reviews' from policy pack 'slipway@v0.1.0' during preview: " +
          "string value at .requiredPullRequestReviews.0.requiredApprovingReviewCount can't be known during preview",
      },
    ]);
  });
});

describe("branch-required-checks", () => {
  test("passes the committed production stack", async () => {
    expect(await violationsOf("branch-required-checks", "production")).toEqual([]);
  });

  test("fails when CI's checks are not all required", async () => {
    const found = await violationsOf("branch-required-checks", "production", {
      edit: (v) => ((v["slipway:github"] as Github["github"]).requiredChecks = ["lint", "test"]),
    });
    expect(found.map((f) => [f.urn, f.message.split("\n")[1]])).toEqual([
      [production("repository-production-branch"), "master does not require format, coverage."],
      [production("repository-staging-branch"), "staging does not require format, coverage."],
    ]);
  });

  test("fails when a branch may merge without being up to date", async () => {
    const found = await violationsOf("branch-required-checks", "production", {
      mutate: patch(PROTECTION, "repository-production-branch", (inputs) => {
        inputs["requiredStatusChecks"] = [
          { strict: false, contexts: ["lint", "format", "test", "coverage"] },
        ];
      }),
    });
    expect(found.map((f) => f.message.split("\n")[1])).toEqual([
      "master lets a branch merge without being up to date (strict is not true).",
    ]);
  });

  test("the contexts it requires are tunable", async () => {
    const found = await violationsOf("branch-required-checks", "production", {
      config: { "branch-required-checks": { requiredContexts: ["lint", "e2e"] } },
    });
    expect(found.map((f) => f.message.split("\n")[1])).toEqual([
      "master does not require e2e.",
      "staging does not require e2e.",
    ]);
  });
});

describe("branch-history-preserved", () => {
  test("passes the committed production stack", async () => {
    expect(await violationsOf("branch-history-preserved", "production")).toEqual([]);
  });

  test("fails when a protected branch can be force-pushed or deleted", async () => {
    const found = await violationsOf("branch-history-preserved", "production", {
      mutate: patch(PROTECTION, "repository-production-branch", (inputs) => {
        inputs["allowsForcePushes"] = true;
        inputs["allowsDeletions"] = true;
      }),
    });
    expect(found.map((f) => f.message.split("\n")[1])).toEqual([
      "master allows force pushes.",
      "master can be deleted.",
    ]);
  });
});

describe("production-branch-protected", () => {
  test("passes the committed production stack", async () => {
    expect(await violationsOf("production-branch-protected", "production")).toEqual([]);
  });

  test("fails when the branch production deploys from has no protection", async () => {
    const found = await violationsOf("production-branch-protected", "production", {
      mutate: without((r) => r.type === PROTECTION && r.name === "repository-production-branch"),
    });
    expect(found).toEqual([
      {
        policy: "production-branch-protected",
        enforcementLevel: "mandatory",
        urn: undefined,
        message:
          "Every repository slipway manages protects the branch production deploys from.\n" +
          "acme-web deploys production from master, which has no branch protection.",
      },
    ]);
  });
});

describe("production-admins-enforced", () => {
  test("passes the committed production stack", async () => {
    expect(await violationsOf("production-admins-enforced", "production")).toEqual([]);
  });

  test("fails when admins may bypass the production branch's rules, and only there", async () => {
    const found = await violationsOf("production-admins-enforced", "production", {
      edit: (v) => ((v["slipway:github"] as Github["github"]).enforceAdmins = false),
    });
    expect(found).toEqual([
      {
        policy: "production-admins-enforced",
        enforcementLevel: "mandatory",
        urn: production("repository-production-branch"),
        message:
          "Administrators follow the production branch's rules like everyone else.\n" +
          "repository-production-branch: admins can bypass the rules of master.",
      },
    ]);
  });
});
