import { UNKNOWN } from "../../cli/plan/values";
import type { Violation } from "../../cli/plan";
import { patch, urnOf, violationsOf, without } from "./support";

const PROTECTION = "github:index/branchProtection:BranchProtection";
const production = (name: string) =>
  urnOf("production", `slipway:github:RepositoryProcess$${PROTECTION}`, name);
type Github = { github: Record<string, unknown> };
const github = (edit: (g: Record<string, unknown>) => void) => (v: Record<string, unknown>) =>
  edit(v["slipway:github"] as Github["github"]);
/** Each violation as [resource name, its message's second line], sorted: order is the engine's. */
const found = (violations: Violation[]) =>
  violations
    .map((v) => [v.urn?.split("::").pop(), v.message.split("\n")[1]])
    .sort((a, b) => String(a).localeCompare(String(b)));

describe("branch-required-reviews", () => {
  test("passes the committed production stack", async () => {
    expect(await violationsOf("branch-required-reviews", "production")).toEqual([]);
  });

  test("fails when no approval is required, on every protected branch of both repositories", async () => {
    const violations = await violationsOf("branch-required-reviews", "production", {
      edit: github((g) => (g["requiredApprovals"] = 0)),
    });
    expect(violations.find((v) => v.urn === production("repository-staging-branch"))).toEqual({
      policy: "branch-required-reviews",
      enforcementLevel: "mandatory",
      urn: production("repository-staging-branch"),
      message:
        "A protected branch takes changes only through pull requests approved by another person.\n" +
        "staging requires 0 approving reviews; at least 1 are required.",
    });
    expect(found(violations)).toEqual([
      ["repository-platform-branch", "main requires 0 approving reviews; at least 1 are required."],
      [
        "repository-production-branch",
        "main requires 0 approving reviews; at least 1 are required.",
      ],
      [
        "repository-staging-branch",
        "staging requires 0 approving reviews; at least 1 are required.",
      ],
    ]);
  });

  test("fails when approvals survive new commits", async () => {
    const violations = await violationsOf("branch-required-reviews", "production", {
      edit: github((g) => (g["dismissStaleReviews"] = false)),
    });
    expect(found(violations)).toEqual([
      [
        "repository-platform-branch",
        "main keeps approvals after new commits (dismissStaleReviews is not true).",
      ],
      [
        "repository-production-branch",
        "main keeps approvals after new commits (dismissStaleReviews is not true).",
      ],
      [
        "repository-staging-branch",
        "staging keeps approvals after new commits (dismissStaleReviews is not true).",
      ],
    ]);
  });

  test.each([
    [1, 0],
    [2, 3],
    [3, 3],
  ])(
    "with minimumApprovals %i in the policy config, the committed stack has %i violations",
    async (minimum, count) => {
      const violations = await violationsOf("branch-required-reviews", "production", {
        config: { "branch-required-reviews": { minimumApprovals: minimum } },
      });
      expect(violations).toHaveLength(count);
    },
  );

  test("fails a protection that declares no pull request reviews at all", async () => {
    const violations = await violationsOf("branch-required-reviews", "production", {
      mutate: patch(PROTECTION, "repository-staging-branch", (inputs) => {
        delete inputs["requiredPullRequestReviews"];
      }),
    });
    expect(found(violations)).toEqual([
      [
        "repository-staging-branch",
        "staging keeps approvals after new commits (dismissStaleReviews is not true).",
      ],
      [
        "repository-staging-branch",
        "staging requires 0 approving reviews; at least 1 are required.",
      ],
    ]);
  });

  test("a review count unknown at plan time is reported as the engine reports it", async () => {
    const violations = await violationsOf("branch-required-reviews", "production", {
      mutate: patch(PROTECTION, "repository-staging-branch", (inputs) => {
        inputs["requiredPullRequestReviews"] = [
          { requiredApprovingReviewCount: UNKNOWN, dismissStaleReviews: true },
        ];
      }),
    });
    expect(violations).toEqual([
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
  test("passes the committed production stack: the application's checks, and slipway's own", async () => {
    expect(await violationsOf("branch-required-checks", "production")).toEqual([]);
  });

  test("fails when the application's branches do not require all of CI's checks", async () => {
    const violations = await violationsOf("branch-required-checks", "production", {
      edit: github((g) => (g["requiredChecks"] = ["lint", "test"])),
    });
    expect(violations.find((v) => v.urn === production("repository-production-branch"))).toEqual({
      policy: "branch-required-checks",
      enforcementLevel: "mandatory",
      urn: production("repository-production-branch"),
      message:
        "A protected branch requires its repository's CI checks to pass on an up-to-date branch; the application's include lint, style, tests and coverage.\n" +
        "main does not require format, coverage.",
    });
    expect(found(violations)).toEqual([
      ["repository-production-branch", "main does not require format, coverage."],
      ["repository-staging-branch", "staging does not require format, coverage."],
    ]);
  });

  test("fails when a branch may merge without being up to date, in either repository", async () => {
    const notStrict = (name: string) =>
      patch(PROTECTION, name, (inputs) => {
        const [checks] = inputs["requiredStatusChecks"] as Record<string, unknown>[];
        inputs["requiredStatusChecks"] = [{ ...checks, strict: false }];
      });
    const violations = await violationsOf("branch-required-checks", "production", {
      mutate: (resources) =>
        notStrict("repository-platform-branch")(
          notStrict("repository-production-branch")(resources),
        ),
    });
    expect(found(violations)).toEqual([
      [
        "repository-platform-branch",
        "main lets a branch merge without being up to date (strict is not true).",
      ],
      [
        "repository-production-branch",
        "main lets a branch merge without being up to date (strict is not true).",
      ],
    ]);
  });

  test("fails when slipway's own branch requires no check at all", async () => {
    const violations = await violationsOf("branch-required-checks", "production", {
      mutate: patch(PROTECTION, "repository-platform-branch", (inputs) => {
        inputs["requiredStatusChecks"] = [];
      }),
    });
    expect(found(violations)).toEqual([
      [
        "repository-platform-branch",
        "main lets a branch merge without being up to date (strict is not true).",
      ],
      ["repository-platform-branch", "main requires no status check."],
    ]);
  });

  test("fails an application branch that declares no status checks at all", async () => {
    const violations = await violationsOf("branch-required-checks", "production", {
      mutate: patch(PROTECTION, "repository-staging-branch", (inputs) => {
        delete inputs["requiredStatusChecks"];
      }),
    });
    expect(found(violations)).toEqual([
      ["repository-staging-branch", "staging does not require lint, format, test, coverage."],
      [
        "repository-staging-branch",
        "staging lets a branch merge without being up to date (strict is not true).",
      ],
      ["repository-staging-branch", "staging requires no status check."],
    ]);
  });

  test("the application's contexts are tunable; slipway's own are its CI's job names", async () => {
    const violations = await violationsOf("branch-required-checks", "production", {
      config: { "branch-required-checks": { requiredContexts: ["lint", "e2e"] } },
    });
    expect(found(violations)).toEqual([
      ["repository-production-branch", "main does not require e2e."],
      ["repository-staging-branch", "staging does not require e2e."],
    ]);
  });
});

describe("branch-history-preserved", () => {
  test("passes the committed production stack", async () => {
    expect(await violationsOf("branch-history-preserved", "production")).toEqual([]);
  });

  test("fails when a protected branch can be force-pushed or deleted", async () => {
    const violations = await violationsOf("branch-history-preserved", "production", {
      mutate: patch(PROTECTION, "repository-platform-branch", (inputs) => {
        inputs["allowsForcePushes"] = true;
        inputs["allowsDeletions"] = true;
      }),
    });
    expect(found(violations)).toEqual([
      ["repository-platform-branch", "main allows force pushes."],
      ["repository-platform-branch", "main can be deleted."],
    ]);
  });
});

describe("production-branch-protected", () => {
  test("passes the committed production stack", async () => {
    expect(await violationsOf("production-branch-protected", "production")).toEqual([]);
  });

  test.each([
    [
      "repository-production-branch",
      "acme-web deploys production from main, which has no branch protection.",
    ],
    [
      "repository-platform-branch",
      "slipway deploys production from main, which has no branch protection.",
    ],
  ])("fails without %s", async (name, message) => {
    const violations = await violationsOf("production-branch-protected", "production", {
      mutate: without((r) => r.type === PROTECTION && r.name === name),
    });
    expect(violations).toEqual([
      {
        policy: "production-branch-protected",
        enforcementLevel: "mandatory",
        urn: undefined,
        message:
          "Every repository slipway manages protects the branches production changes from: the application's production branch and slipway's own main branch.\n" +
          message,
      },
    ]);
  });
  // The staging environment deploys from staging too, but it does not change production.
  test("passes without the protection of a branch only staging deploys from", async () => {
    const violations = await violationsOf("production-branch-protected", "production", {
      mutate: without((r) => r.type === PROTECTION && r.name === "repository-staging-branch"),
    });
    expect(violations).toEqual([]);
  });
});

describe("production-admins-enforced", () => {
  test("passes the committed production stack", async () => {
    expect(await violationsOf("production-admins-enforced", "production")).toEqual([]);
  });

  test("fails when admins may bypass the rules of the branches production changes from, and only there", async () => {
    const violations = await violationsOf("production-admins-enforced", "production", {
      edit: github((g) => (g["enforceAdmins"] = false)),
    });
    expect(violations.find((v) => v.urn === production("repository-production-branch"))).toEqual({
      policy: "production-admins-enforced",
      enforcementLevel: "mandatory",
      urn: production("repository-production-branch"),
      message:
        "Administrators follow the rules of the branches production changes from like everyone else.\n" +
        "repository-production-branch: admins can bypass the rules of main.",
    });
    expect(found(violations)).toEqual([
      [
        "repository-platform-branch",
        "repository-platform-branch: admins can bypass the rules of main.",
      ],
      [
        "repository-production-branch",
        "repository-production-branch: admins can bypass the rules of main.",
      ],
    ]);
  });
});
