// The tier that runs a real `pulumi` CLI where one works: a review stack brought up and down on a
// local backend, the real engine running slipway's program and its Heroku providers against the
// Heroku fake. Where no real CLI answers `pulumi version` (these machines: only the npm launcher,
// which would download one), those tests are not registered and the reason is logged once.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { FakeHeroku, startFakeHeroku } from "../../heroku/fake";
import { reviewDown } from "../../../operations/review/down";
import type { ReviewContext } from "../../../operations/review/session";
import { reviewUp } from "../../../operations/review/up";
import { gitRepo } from "../git-repo";
import { findPulumiCli, searchFromEnvironment } from "../../support/pulumi-cli";
import { createPipeline, STANDIN } from "../../support/review";
import { PROJECT_DIR } from "../../support/stacks";

const real = findPulumiCli(searchFromEnvironment(PROJECT_DIR));

test("the review tests' stand-in pulumi, a node script, is never taken for the real CLI", () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-home-"));
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-bin-"));
  fs.symlinkSync(STANDIN, path.join(bin, "pulumi"));
  const search = searchFromEnvironment(PROJECT_DIR);
  expect(
    findPulumiCli({ ...search, path: bin, pulumiHome: home, launcherVersion: undefined }),
  ).toEqual({
    found: false,
    reason:
      `no working pulumi CLI on PATH or at ${path.join(home, "bin", "pulumi")}: ` +
      `${path.join(bin, "pulumi")} is the npm launcher, which would download the CLI`,
  });
});

if (real.found) {
  describe(`a review stack with the real CLI (${real.version})`, () => {
    jest.setTimeout(600_000);
    let fake: FakeHeroku;
    let context: ReviewContext;

    beforeAll(async () => {
      fake = await startFakeHeroku();
      const root = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-real-"));
      const dir = path.join(root, "project");
      fs.mkdirSync(dir);
      // The project as the CLI runs it, with stack files of its own (the CLI writes one).
      for (const entry of fs.readdirSync(PROJECT_DIR)) {
        if (entry === ".git" || entry === "coverage") continue;
        if (/^Pulumi\..+\.ya?ml$/.test(entry)) {
          fs.copyFileSync(path.join(PROJECT_DIR, entry), path.join(dir, entry));
        } else if (entry !== "Pulumi.yaml") {
          fs.symlinkSync(path.join(PROJECT_DIR, entry), path.join(dir, entry));
        }
      }
      fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
      const state = path.join(root, "state");
      fs.mkdirSync(state);
      const env = {
        ...process.env,
        PATH: `${path.dirname(real.binary)}${path.delimiter}${process.env["PATH"] ?? ""}`,
        PULUMI_BACKEND_URL: `file://${state}`,
        PULUMI_CONFIG_PASSPHRASE: "real-tier",
        HEROKU_API_KEY: fake.token,
        HEROKU_API_URL: fake.url,
      };
      process.env["PATH"] = env.PATH;
      process.env["HEROKU_API_KEY"] = fake.token;
      const pipelineId = await createPipeline(fake, "acme-web");
      // Production, as review stacks reference it: only its pipelineId output matters here.
      const seedDir = path.join(root, "production");
      fs.mkdirSync(seedDir);
      const production = await LocalWorkspace.createOrSelectStack(
        {
          stackName: "production",
          projectName: "slipway",
          program: () => Promise.resolve({ pipelineId }),
        },
        { workDir: seedDir, envVars: env },
      );
      await production.up();
      context = { dir, env };
    });
    afterAll(() => fake.close());

    test("review up creates the app at the review stage and deploys the commit; down destroys it and removes the stack", async () => {
      const repo = gitRepo({ Procfile: "web: npm start\n" });
      const up = await reviewUp(
        { ...context, fetch: fake.webFetch },
        { branch: "real-tier", pr: 1, sha: repo.sha, sourceDir: repo.dir },
      );
      expect([up.outcome, up.stack, up.app, up.created]).toEqual([
        "deployed",
        "review-real-tier-" + up.stack.slice(-6),
        "acme-web-pr-1",
        true,
      ]);
      const created = fake.state.app(up.app).app;
      expect(up.url).toBe(created.web_url);
      const coupling = [...fake.state.couplings.values()].find((c) => c.app.id === created.id);
      expect(coupling?.stage).toBe("review");
      expect(await reviewDown(context, { branch: "real-tier" })).toEqual({
        stack: up.stack,
        outcome: "destroyed",
        apps: [up.app],
      });
      expect(fake.state.findApp(up.app)).toBeUndefined();
    });
  });
} else {
  console.log(`the real pulumi tier is not run: ${real.reason}`);
}
