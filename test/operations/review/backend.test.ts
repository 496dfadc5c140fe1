// Where review stacks live: PULUMI_BACKEND_URL (a local folder by default) and what each kind of
// backend needs before the CLI runs; how CLI failures become bad input; the review profile read
// from the committed stack files.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SlipwayError } from "../../../errors";
import { prepareBackend, reviewBackend } from "../../../operations/review/backend";
import { cliFailure, describeCliFailure, userProblem } from "../../../operations/review/cli-errors";
import { ReviewFailure } from "../../../operations/review/failure";
import { readReviewProfile, reviewStackConfig } from "../../../operations/review/profile";
import { PROJECT_DIR } from "../../support/stacks";

const home = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-backend-"));
const message = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(SlipwayError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error("expected bad input");
};

describe("the backend", () => {
  test("defaults to a folder under the home folder, made when first used", () => {
    const backend = reviewBackend({ PULUMI_CONFIG_PASSPHRASE: "p", HEROKU_API_KEY: "k" }, home);
    const folder = path.join(home, ".slipway", "review-state");
    expect(backend).toEqual({
      url: `file://${folder}`,
      kind: "file",
      isDefault: true,
      folder,
      env: {
        PULUMI_CONFIG_PASSPHRASE: "p",
        HEROKU_API_KEY: "k",
        PULUMI_BACKEND_URL: `file://${folder}`,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
      },
    });
    expect(fs.existsSync(folder)).toBe(false);
    prepareBackend(backend);
    expect(fs.statSync(folder).isDirectory()).toBe(true);
  });

  test.each([
    ["s3://acme-pulumi-state?region=us-east-1", "bucket"],
    ["gs://acme-pulumi-state", "bucket"],
    ["azblob://state", "bucket"],
    [`file://${home}`, "file"],
    ["file://~", "file"],
  ])("%s is a %s backend and needs the passphrase", (url, kind) => {
    const backend = reviewBackend({ PULUMI_BACKEND_URL: url, PULUMI_CONFIG_PASSPHRASE: "" }, home);
    expect([backend.kind, backend.isDefault, backend.url]).toEqual([kind, false, url]);
    expect(message(() => reviewBackend({ PULUMI_BACKEND_URL: url }, home))).toBe(
      `PULUMI_CONFIG_PASSPHRASE: neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set: a self-managed backend (${url}) encrypts the stacks' secrets with a passphrase. Allowed: the passphrase the stacks were made with (every review stack of a backend shares it). Fix: export PULUMI_CONFIG_PASSPHRASE=<passphrase> (in CI: a secret of the review environment).`,
    );
  });

  test("in CI there is no default: a runner's folder does not outlive the job", () => {
    expect(
      message(() =>
        reviewBackend({ CI: "true", PULUMI_BACKEND_URL: "", PULUMI_CONFIG_PASSPHRASE: "p" }, home),
      ),
    ).toBe(
      "PULUMI_BACKEND_URL: not set, and this is CI (CI=true), where the default local folder is gone when the job ends, and review stacks with it. Allowed: a shared backend. Fix: set the variable PULUMI_BACKEND_URL of the review environment (s3://<bucket> or https://api.pulumi.com).",
    );
  });

  test("a passphrase file must exist", () => {
    const file = path.join(home, "passphrase");
    expect(message(() => reviewBackend({ PULUMI_CONFIG_PASSPHRASE_FILE: file }, home))).toBe(
      `PULUMI_CONFIG_PASSPHRASE: PULUMI_CONFIG_PASSPHRASE_FILE names ${file}, which does not exist: a self-managed backend (the default local folder) encrypts the stacks' secrets with a passphrase. Allowed: the passphrase the stacks were made with (every review stack of a backend shares it). Fix: export PULUMI_CONFIG_PASSPHRASE=<passphrase> (in CI: a secret of the review environment).`,
    );
    fs.writeFileSync(file, "secret\n");
    expect(reviewBackend({ PULUMI_CONFIG_PASSPHRASE_FILE: file }, home).kind).toBe("file");
  });

  test("a folder named in PULUMI_BACKEND_URL must exist", () => {
    const missing = path.join(home, "nowhere");
    expect(
      message(() =>
        reviewBackend(
          { PULUMI_BACKEND_URL: `file://${missing}`, PULUMI_CONFIG_PASSPHRASE: "p" },
          home,
        ),
      ),
    ).toBe(
      `PULUMI_BACKEND_URL: got "file://${missing}", whose folder ${missing} does not exist. Allowed: an existing folder. Fix: mkdir -p ${missing}, or point PULUMI_BACKEND_URL at the backend that holds the production stack.`,
    );
  });

  test.each(["postgres://db/state", "acme-state", "s3:/", "ftp://x"])(
    "%s is not a backend",
    (url) => {
      expect(message(() => reviewBackend({ PULUMI_BACKEND_URL: url }, home))).toBe(
        `PULUMI_BACKEND_URL: got ${JSON.stringify(url)}. Allowed: file://<folder>, s3://<bucket>, gs://<bucket>, azblob://<container>, or https://<Pulumi Cloud or self-hosted service>. Fix: export PULUMI_BACKEND_URL=s3://<bucket> (or https://api.pulumi.com, or file://<folder>); see docs/review-stacks.md`,
      );
    },
  );

  test("Pulumi Cloud needs an access token, or the credentials pulumi login stored", () => {
    const url = "https://api.pulumi.com";
    const pulumiHome = path.join(home, "pulumi-home");
    expect(
      message(() => reviewBackend({ PULUMI_BACKEND_URL: url, PULUMI_HOME: pulumiHome }, home)),
    ).toBe(
      `PULUMI_ACCESS_TOKEN: not set, and ${pulumiHome}/credentials.json (from \`pulumi login\`) does not exist: https://api.pulumi.com is a Pulumi service, which needs an access token. Allowed: a Pulumi access token. Fix: export PULUMI_ACCESS_TOKEN=<token> (in CI: a secret of the review environment), or run \`pulumi login\`.`,
    );
    expect(
      reviewBackend({ PULUMI_BACKEND_URL: url, PULUMI_ACCESS_TOKEN: "pul-x" }, home).kind,
    ).toBe("cloud");
    fs.mkdirSync(pulumiHome);
    fs.writeFileSync(path.join(pulumiHome, "credentials.json"), "{}");
    expect(reviewBackend({ PULUMI_BACKEND_URL: url, PULUMI_HOME: pulumiHome }, home).kind).toBe(
      "cloud",
    );
  });
});

describe("CLI failures", () => {
  const failed = (stderr: string, code = 255) =>
    Object.assign(new Error(`code: ${code}`), { commandResult: { code, stderr } });

  test("the CLI's error lines are the summary; without any, its last line", () => {
    expect(cliFailure(failed("warning: x\nerror: one\nerror: two\n")).summary).toBe(
      "error: one error: two",
    );
    expect(cliFailure(failed("something odd\n\n")).summary).toBe("something odd");
    expect(cliFailure(new Error("spawn failed\nmore")).summary).toBe("spawn failed");
  });

  test.each([
    [
      "error: getting secrets manager: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables",
      "PULUMI_CONFIG_PASSPHRASE: not set",
    ],
    [
      "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions",
      "PULUMI_ACCESS_TOKEN: the Pulumi service refused the login",
    ],
    [
      "error: [401] Unauthorized: No credentials provided or are invalid.",
      "PULUMI_ACCESS_TOKEN: the Pulumi service refused the login",
    ],
    [
      "error: NoCredentialProviders: no valid providers in chain",
      "PULUMI_BACKEND_URL: the backend could not be opened",
    ],
  ])("%s is the user's to fix", (stderr, start) => {
    expect(userProblem(cliFailure(failed(stderr)))?.message.startsWith(start)).toBe(true);
  });

  test("any other failure of a read changes nothing and quotes the CLI", () => {
    const error = describeCliFailure("stack export", "review-x", failed("error: boom", 1));
    expect(error).toBeInstanceOf(ReviewFailure);
    expect([(error as ReviewFailure).outcome, error.message]).toEqual([
      "unchanged",
      "`pulumi stack export` for review-x failed (exit 1): error: boom",
    ]);
  });
});

describe("the review profile", () => {
  test("comes from production's app, pipeline and review settings, and staging's reference to production", () => {
    const profile = readReviewProfile(PROJECT_DIR);
    expect(profile).toEqual({
      productionApp: "acme-web",
      pipelineName: "acme-web",
      productionStack: "production",
      region: "us",
      stack: "heroku-24",
      buildpacks: ["heroku/nodejs"],
      team: undefined,
      healthCheckPath: "/health",
      reviewApps: {
        addons: ["heroku-postgresql:essential-0"],
        size: "basic",
        staleDays: 5,
        githubConnected: false,
        waitForCi: true,
      },
      deploy: profile.deploy,
    });
    expect(profile.deploy.healthChecks).toBe(3);
    expect(reviewStackConfig({ ...profile, team: "acme" }, "acme-web-pr-7")["slipway:app"]).toEqual(
      {
        name: "acme-web-pr-7",
        region: "us",
        stack: "heroku-24",
        buildpacks: ["heroku/nodejs"],
        healthCheckPath: "/health",
        team: "acme",
      },
    );
  });

  test("without a staging stack file, production's own reference to itself is used", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-profile-"));
    for (const file of ["Pulumi.yaml", "Pulumi.production.yaml"]) {
      fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(dir, file));
    }
    expect(readReviewProfile(dir).productionStack).toBe("production");
  });

  test("needs the production stack file", () => {
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(home, "Pulumi.yaml"));
    expect(message(() => readReviewProfile(home))).toBe(
      `Pulumi.production.yaml: not found in ${home}: review stacks are made from the production stack's settings. Fix: run slipway from its project folder, or pass --dir.`,
    );
  });
});
