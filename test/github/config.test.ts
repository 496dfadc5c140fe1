// Bad `slipway:github` input: refused before anything runs, naming the key, what was received,
// what is allowed and how to fix it; `slipway plan` exits 2.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { main } from "../../cli/main";
import { SlipwayError } from "../../errors";
import { validateSettings } from "../../config/validate";
import { PROJECT_DIR } from "../support/stacks";

const base = { app: { name: "acme-web" }, pipeline: { name: "acme-web" } };
const repo = { owner: "acme", repository: "acme-web", platformRepository: "acme/slipway" };

const OWNER_ALLOWED =
  "Allowed: a GitHub user or organization: 1-39 letters, digits or single inner dashes.";
const REPOSITORY_ALLOWED =
  "Allowed: a repository name: letters, digits, ., _ or -, at most 100, not ending in .git.";
const APPROVALS_ALLOWED = "Allowed: a whole number from 0 to 6 (GitHub's range).";

function problemsFor(github: Record<string, unknown>) {
  try {
    validateSettings({ ...base, github }, "production");
  } catch (error) {
    if (SlipwayError.isInstance(error)) return error.problems;
    throw error;
  }
  throw new Error("expected a SlipwayError");
}

test.each([
  // Names GitHub would refuse.
  ["owner", { ...repo, owner: "-acme" }, 'got "-acme"', OWNER_ALLOWED],
  ["owner", { ...repo, owner: "ac--me" }, 'got "ac--me"', OWNER_ALLOWED],
  ["owner", { ...repo, owner: "a".repeat(40) }, "got ", OWNER_ALLOWED],
  ["owner", { ...repo, owner: "acme/web" }, 'got "acme/web"', OWNER_ALLOWED],
  ["repository", { ...repo, repository: "acme web" }, 'got "acme web"', REPOSITORY_ALLOWED],
  ["repository", { ...repo, repository: "web.git" }, 'got "web.git"', REPOSITORY_ALLOWED],
  ["repository", { ...repo, repository: ".." }, 'got ".."', REPOSITORY_ALLOWED],
  ["repository", { ...repo, repository: "r".repeat(101) }, "got ", REPOSITORY_ALLOWED],
  // An empty list of required checks would let anything merge.
  [
    "requiredChecks",
    { ...repo, requiredChecks: [] },
    "got []",
    "Allowed: a non-empty list of the check names the application's CI reports on every pull request (its job names).",
  ],
  [
    "requiredChecks[0]",
    { ...repo, requiredChecks: [" "] },
    'got ""',
    "Allowed: a status check (job) name.",
  ],
  // GitHub takes 0 to 6 approving reviews.
  ["requiredApprovals", { ...repo, requiredApprovals: 7 }, "got 7", APPROVALS_ALLOWED],
  ["requiredApprovals", { ...repo, requiredApprovals: -1 }, "got -1", APPROVALS_ALLOWED],
  ["requiredApprovals", { ...repo, requiredApprovals: 1.5 }, "got 1.5", APPROVALS_ALLOWED],
  ["requiredApprovals", { ...repo, requiredApprovals: "2" }, 'got "2"', APPROVALS_ALLOWED],
  // slipway's own rules for the repository process.
  [
    "stagingBranch",
    { ...repo, productionBranch: "master", stagingBranch: "master" },
    'got "master": the same branch as productionBranch',
    "Allowed: a git branch name.",
  ],
  [
    "productionReviewers",
    { ...repo, productionReviewers: ["a", "b", "c", "d", "e", "f", "g"] },
    "more than 6 entries",
    "Allowed: a list of up to 6 GitHub logins (GitHub's limit), one of whom approves each production deployment.",
  ],
  [
    "oidcProviderArn",
    {
      ...repo,
      oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com",
    },
    "not the provider for GitHub Actions (token.actions.githubusercontent.com)",
    "Allowed: the ARN of an existing IAM OIDC provider for token.actions.githubusercontent.com.",
  ],
  // slipway's own repository, and where the state lives.
  [
    "platformRepository",
    { ...repo, platformRepository: "slipway" },
    'got "slipway": not an owner/repository GitHub accepts',
    "Allowed: slipway's own repository as owner/name",
  ],
  [
    "platformRepository",
    { ...repo, platformRepository: "acme/slip way" },
    'got "acme/slip way"',
    "Allowed: slipway's own repository as owner/name",
  ],
  [
    "platformRepository",
    { ...repo, platformRepository: "Acme/Acme-Web" },
    "the application's own repository; slipway lives in a repository of its own",
    "Allowed: slipway's own repository as owner/name",
  ],
  [
    "stateBackendUrl",
    { ...repo, stateBackendUrl: "https://api.pulumi.com" },
    'got "https://api.pulumi.com": not in the allowed format',
    "Allowed: the s3:// URL of the self-managed backend the stacks keep state in (PULUMI_BACKEND_URL)",
  ],
  [
    "stateBackendUrl",
    { ...repo, stateBackendUrl: "s3://Acme_State" },
    'got "s3://Acme_State"',
    "Allowed: the s3:// URL",
  ],
  [
    "stateKmsKeyArn",
    { ...repo, stateKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/pulumi" },
    'got "arn:aws:kms:us-east-1:123456789012:alias/pulumi"',
    "Allowed: the ARN of the KMS key",
  ],
])("slipway:github.%s is refused for %j", (key, github, received, allowed) => {
  const problems = problemsFor(github);
  expect(problems.map((p) => p.key)).toEqual([`slipway:github.${key}`]);
  const message = problems[0]?.message ?? "";
  expect(message).toContain(received);
  expect(message).toContain(allowed);
  expect(message).toMatch(/Fix: /);
});

test.each([
  ["owner", "acme"],
  ["repository", "acme-web"],
  ["platformRepository", "acme/slipway"],
])("a production stack without slipway:github.%s is refused", (key, example) => {
  const github: Record<string, unknown> = { ...repo };
  delete github[key];
  const problems = problemsFor(github);
  expect(problems).toEqual([
    {
      key: `slipway:github.${key}`,
      message: `missing: a production stack needs it and it has no default. Fix: pulumi config set --path 'slipway:github.${key}' ${example}`,
    },
  ]);
});

test("state in S3 with a key is accepted as given", () => {
  const github = {
    ...repo,
    stateBackendUrl: "s3://acme-pulumi-state/slipway?region=eu-west-1",
    stateKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  };
  expect(validateSettings({ ...base, github }, "production").settings.github).toEqual(
    expect.objectContaining(github),
  );
});

test("the defaults describe a repository process that passes", () => {
  const { settings } = validateSettings({ ...base, github: repo }, "production");
  expect(settings.github).toEqual({
    ...repo,
    productionBranch: "main",
    stagingBranch: "staging",
    requiredApprovals: 1,
    requiredChecks: ["lint", "format", "test", "coverage"],
    dismissStaleReviews: true,
    requireCodeOwnerReviews: false,
    requireLastPushApproval: false,
    requireConversationResolution: true,
    requireLinearHistory: false,
    enforceAdmins: true,
    productionReviewers: [],
  });
});

describe("slipway plan", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-github-"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  });

  test.each([
    [{ owner: "-acme" }, "slipway:github.owner"],
    [{ requiredChecks: [] }, "slipway:github.requiredChecks"],
    [{ requiredApprovals: 9 }, "slipway:github.requiredApprovals"],
  ])("exits 2 for %j, naming %s", async (change, key) => {
    const config = {
      "aws:region": "us-east-1",
      "slipway:app": { name: "acme-web" },
      "slipway:pipeline": { name: "acme-web" },
      "slipway:github": { ...repo, ...change },
    };
    fs.writeFileSync(path.join(dir, "Pulumi.production.yaml"), stringify({ config }));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["plan", "--dir", dir, "--stack", "production"], {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
    });
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join("")).toContain(`${key}: got `);
  });
});
