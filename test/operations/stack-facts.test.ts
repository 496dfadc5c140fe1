import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SlipwayError } from "../../errors";
import { hasStackFile, readStackFacts } from "../../operations/stack-facts";
import { DEFAULT_DEPLOY } from "../support/defaults";
import { PROJECT_DIR } from "../support/stacks";

const REVIEW_APPS = {
  addons: ["heroku-postgresql:essential-0"],
  size: "basic",
  staleDays: 5,
  githubConnected: false,
  waitForCi: true,
};

/** A project folder with the real Pulumi.yaml and the given stack files. */
function projectWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-facts-"));
  fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function committed(stack: string): string {
  return fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8");
}

describe("readStackFacts", () => {
  test("production: app, health path, database, region and repository from its own file", () => {
    expect(readStackFacts(PROJECT_DIR, "production")).toEqual({
      stack: "production",
      kind: "production",
      file: path.join(PROJECT_DIR, "Pulumi.production.yaml"),
      appName: "acme-web",
      healthCheckPath: "/health",
      awsRegion: "us-east-1",
      databaseIdentifier: "acme-web-db",
      productionStack: "production",
      repository: {
        owner: "acme",
        repository: "acme-web",
        productionBranch: "main",
        stagingBranch: "staging",
      },
      deploy: DEFAULT_DEPLOY,
      reviewApps: REVIEW_APPS,
    });
  });

  test("staging: its own app and database, the repository from the production stack's file", () => {
    const facts = readStackFacts(PROJECT_DIR, "staging");
    expect(facts).toMatchObject({
      kind: "staging",
      appName: "acme-web-staging",
      databaseIdentifier: "acme-web-staging-db",
      awsRegion: "us-east-1",
      productionStack: "production",
    });
    expect(facts.repository).toEqual(readStackFacts(PROJECT_DIR, "production").repository);
  });

  test("deploy settings in the file override the defaults", () => {
    const dir = projectWith({
      "Pulumi.staging.yaml": `${committed("staging")}  slipway:deploy:\n    healthChecks: 5\n    migrationPaths: [sql/]\n`,
    });
    const facts = readStackFacts(dir, "staging");
    expect(facts.deploy).toEqual({ ...DEFAULT_DEPLOY, healthChecks: 5, migrationPaths: ["sql/"] });
    // No production file in this folder: the repository is unknown, not guessed.
    expect(facts.repository).toBeUndefined();
  });

  test("a committed review stack has no database and no region", () => {
    const dir = projectWith({
      "Pulumi.production.yaml": committed("production"),
      "Pulumi.review-login.yaml": "config:\n  slipway:app:\n    name: acme-web-pr-7\n",
    });
    const facts = readStackFacts(dir, "review-login");
    expect(facts).toMatchObject({ kind: "review", appName: "acme-web-pr-7" });
    expect(facts.databaseIdentifier).toBeUndefined();
    expect(facts.awsRegion).toBeUndefined();
    expect(facts.repository?.repository).toBe("acme-web");
  });

  test("a stack without a file is bad input that names the stacks there are", () => {
    expect(() => readStackFacts(PROJECT_DIR, "qa")).toThrow(
      new SlipwayError([
        {
          key: "--stack qa",
          message:
            'Pulumi.qa.yaml not found, so there is no stack "qa". Allowed: production, staging. Fix: pass one of them to --stack, or create the stack with `pulumi stack init qa`.',
        },
      ]),
    );
    expect(hasStackFile(PROJECT_DIR, "qa")).toBe(false);
    expect(hasStackFile(PROJECT_DIR, "staging")).toBe(true);
  });

  test("an invalid stack file names the stack, the file and the key", () => {
    const dir = projectWith({
      "Pulumi.staging.yaml": committed("staging").replace(
        "healthCheckPath: /health",
        "healthCheckPath: health",
      ),
    });
    expect(() => readStackFacts(dir, "staging")).toThrow(
      /^stack staging \(Pulumi\.staging\.yaml\):\n {2}- slipway:app\.healthCheckPath: got "health"/,
    );
  });

  test("an invalid production file read for the repository says why it was read", () => {
    const dir = projectWith({
      "Pulumi.production.yaml": committed("production").replace("owner: acme", "owner: -acme"),
      "Pulumi.staging.yaml": committed("staging"),
    });
    expect(() => readStackFacts(dir, "staging")).toThrow(
      /^the production stack production \(Pulumi\.production\.yaml\), read for the application's repository:\n {2}- .*slipway:github\.owner/s,
    );
  });
});
