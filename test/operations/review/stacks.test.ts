// Review stacks through the Automation API, driven for real up to the CLI: the SDK's own code runs
// and the stand-in `pulumi` answers each command as the CLI does. One stack's life, in order
// (created, updated, refused while locked, destroyed from a fresh checkout), then the failures:
// the exact commands, the stack file written, the progress streamed, what happened on Heroku.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { ProgressEvent } from "../../../operations/progress";
import { reviewBackend } from "../../../operations/review/backend";
import { ReviewFailure } from "../../../operations/review/failure";
import { readReviewProfile, reviewStackConfig } from "../../../operations/review/profile";
import { ReviewStacks, shortName } from "../../../operations/review/stacks";
import { reviewWorld, ReviewWorld } from "../../support/review";

const STACK = "review-login-form-tghcoa";
const APP = "acme-web-login-form-tghcoa";
const CREATED = new Date("2030-01-02T03:04:05.000Z");

// Each CLI command is a process: generous on a loaded machine, a few seconds on an idle one.
jest.setTimeout(120_000);

let world: ReviewWorld;
let stacks: ReviewStacks;
const events: ProgressEvent[] = [];
beforeAll(async () => {
  world = await reviewWorld();
  stacks = await ReviewStacks.open({
    dir: world.dir,
    backend: reviewBackend(world.env, world.env.HOME),
    onProgress: (event) => events.push(event),
    now: () => CREATED,
  });
});
afterAll(() => world.close());
beforeEach(() => {
  world.clear();
  world.scenario({});
  events.length = 0;
});

const config = () => reviewStackConfig(readReviewProfile(world.dir), APP);
const argvs = () =>
  world
    .ran()
    .map((r) => r.argv.map((a) => a.replace(/^tcp:\/\/127\.0\.0\.1:\d+$/, "tcp://<port>")));
const stackFile = path.join("<dir>", `Pulumi.${STACK}.yaml`);
const fileOf = () => stackFile.replace("<dir>", world.dir);

describe("one review stack's life", () => {
  test("a new stack is created, tagged with its creation, configured, and brought up with the policy pack", async () => {
    const up = await stacks.up(STACK, config(), { policyPacks: [path.join(world.dir, "policy")] });

    expect(argvs()).toEqual([
      ["stack", "init", STACK],
      ["stack", "tag", "set", "slipway:created", CREATED.toISOString(), "--stack", STACK],
      [
        "up",
        "--yes",
        "--skip-preview",
        "--policy-pack",
        path.join(world.dir, "policy"),
        "--exec-kind",
        "auto.local",
        "--event-log",
        "tcp://<port>",
        "--stack",
        STACK,
      ],
      ["stack", "output", "--json", "--stack", STACK],
      ["stack", "output", "--json", "--show-secrets", "--stack", STACK],
      [
        "stack",
        "history",
        "--json",
        "--show-secrets",
        "--page-size",
        "1",
        "--page",
        "1",
        "--stack",
        STACK,
      ],
    ]);
    expect(world.ran().map((r) => [r.cwd, r.code])).toEqual(Array(6).fill([world.dir, 0]));
    expect(world.ran()[2]?.env).toEqual({
      PULUMI_BACKEND_URL: `file://${world.state}`,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
      PULUMI_AUTOMATION_API: "true",
      PULUMI_CONFIG_PASSPHRASE: "(set)",
    });

    const app = world.fake.state.app(APP).app;
    expect(up).toEqual({
      created: true,
      outputs: { kind: "review", pipelineId: world.pipelineId, appName: APP, webUrl: app.web_url },
      changes: { create: 6 },
    });

    const file = parse(fs.readFileSync(fileOf(), "utf8")) as {
      encryptionsalt: string;
      config: Record<string, unknown>;
    };
    expect(file.encryptionsalt).toMatch(/^v1:/);
    expect(file.config).toEqual({
      "slipway:environment": "review",
      "slipway:app": {
        name: APP,
        region: "us",
        stack: "heroku-24",
        buildpacks: ["heroku/nodejs"],
        healthCheckPath: "/health",
      },
      "slipway:pipeline": { productionStack: "production" },
      "slipway:reviewApps": {
        addons: ["heroku-postgresql:essential-0"],
        size: "basic",
        staleDays: 5,
        githubConnected: false,
        waitForCi: true,
      },
    });

    expect(events.filter((e) => !e.log)).toEqual([
      { step: "stack", message: `created stack ${STACK}` },
      { step: "stack", message: `pulumi up ${STACK}` },
    ]);
    const lines = events.filter((e) => e.log).map((e) => e.message);
    expect(lines[0]).toBe(`Updating (${STACK})`);
    expect(lines).toContain(" +  pulumi-nodejs:dynamic/heroku:App app created (1s)");
    expect(lines).toContain("    + 6 created");
    expect(lines[lines.length - 1]).toBe("Duration: 1s");

    const coupling = [...world.fake.state.couplings.values()].find((c) => c.app.id === app.id);
    expect([coupling?.stage, coupling?.pipeline.id]).toEqual(["review", world.pipelineId]);
  });

  test("an existing stack is selected (init is refused as the CLI refuses it) and nothing is made twice", async () => {
    const up = await stacks.up(STACK, config());
    expect(argvs().slice(0, 2)).toEqual([
      ["stack", "init", STACK],
      ["stack", "select", "--stack", STACK],
    ]);
    expect(world.ran()[0]?.code).toBe(255);
    expect(up.created).toBe(false);
    expect(up.changes).toEqual({ same: 2 });
    expect(events[0]).toEqual({ step: "stack", message: `selected stack ${STACK}` });
  });

  test("while another update holds the stack, up is refused and changes nothing", async () => {
    world.lock(STACK);
    const failure = await stacks.up(STACK, config()).catch((e: unknown) => e);
    fs.rmSync(path.join(world.state, ".pulumi", "locks"), { recursive: true });
    expect((failure as ReviewFailure).outcome).toBe("unchanged");
    expect((failure as ReviewFailure).message).toBe(
      `${STACK}: another update of this stack is running, so slipway did not up it. Nothing changed. ` +
        "Fix: wait for that update to finish and run the command again (if none is running, a " +
        "crashed one left its lock: `pulumi cancel` clears it).",
    );
  });

  test("from a fresh checkout (no stack file) the stack is destroyed and removed, the salt coming from the state", async () => {
    fs.rmSync(fileOf());
    expect(await stacks.destroy(STACK, config())).toBe(true);
    expect(argvs().map((a) => a.slice(0, 2))).toEqual([
      ["stack", "select"],
      ["destroy", "--yes"],
      ["stack", "history"],
      ["stack", "rm"],
    ]);
    expect(argvs()[3]).toEqual(["stack", "rm", "--yes", STACK]);
    expect(world.ran()[1]?.env["PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER"]).toBe("true");
    expect(events.filter((e) => !e.log)).toEqual([
      { step: "stack", message: `pulumi destroy ${STACK}` },
      { step: "stack", message: `pulumi stack rm ${STACK}` },
    ]);
    expect(events.filter((e) => e.log).map((e) => e.message)).toContain("    - 6 deleted");
    expect(fs.existsSync(fileOf())).toBe(false);
    expect(world.fake.state.findApp(APP)).toBeUndefined();
  });

  test("once removed, the stack has no apps and destroying it again says it was absent", async () => {
    expect(await stacks.apps(STACK)).toBeUndefined();
    expect(await stacks.destroy(STACK, config())).toBe(false);
    expect(argvs()).toEqual([
      ["stack", "export", "--show-secrets", "--stack", STACK],
      ["stack", "select", "--stack", STACK],
    ]);
  });
});

describe("failures and partial states", () => {
  test("an engine error fails with the engine's diagnostic, and says the stack may be partly updated", async () => {
    world.scenario({ engineFailure: "Heroku refused the add-on plan" });
    const failure = await stacks.up("review-broken-aaaaaa", config()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ReviewFailure);
    expect((failure as ReviewFailure).outcome).toBe("needs-attention");
    expect((failure as ReviewFailure).message).toBe(
      "pulumi up of review-broken-aaaaaa failed: pulumi-nodejs:dynamic/heroku:Addon app-addon: " +
        "Heroku refused the add-on plan\nState: the stack may be partly updated; its state records " +
        "what was done. Fix: correct the cause and run the command again, or remove the stack " +
        "with `slipway review down --stack review-broken-aaaaaa`.",
    );
    // Its app was made before the failure: the state holds it, so down can find it.
    expect(await stacks.apps("review-broken-aaaaaa")).toEqual([APP]);
  });

  test("a failure without engine diagnostics quotes the CLI's error", async () => {
    world.scenario({
      tagsUnsupported: true,
      failures: { up: { stderr: "error: the engine crashed" } },
    });
    const failure = await stacks.up("review-untagged-aaaaaa", config()).catch((e: unknown) => e);
    expect((failure as ReviewFailure).message.split("\n")[0]).toBe(
      "pulumi up of review-untagged-aaaaaa failed: error: the engine crashed",
    );
    // A backend that cannot tag stacks: the stack is still brought up, and prune is told.
    expect(events[1]).toEqual({
      step: "stack",
      message:
        "could not tag review-untagged-aaaaaa with its creation time (error: stack tags are not " +
        "supported by this backend); prune counts its age from its first update",
    });
  });

  test("a stack's apps come from its state, even when its outputs never got written", async () => {
    world.seed({
      name: "review-half-aaaaaa",
      resources: [
        {
          urn: "urn:pulumi:review-half-aaaaaa::slipway::pulumi:pulumi:Stack::s",
          type: "pulumi:pulumi:Stack",
          outputs: {},
        },
        {
          urn: "urn:pulumi:review-half-aaaaaa::slipway::pulumi-nodejs:dynamic/heroku:App::app",
          type: "pulumi-nodejs:dynamic/heroku:App",
          outputs: { name: "acme-web-half" },
        },
      ],
    });
    expect(await stacks.apps("review-half-aaaaaa")).toEqual(["acme-web-half"]);
  });

  test("stack names from any backend's listing are reduced to the stack's own", () => {
    expect(["review-a", "acme/review-a", "acme/slipway/review-a"].map(shortName)).toEqual([
      "review-a",
      "review-a",
      "review-a",
    ]);
  });
});
