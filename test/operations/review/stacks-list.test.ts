// Listing review stacks through the Automation API (the stand-in `pulumi` answering `stack ls`,
// `stack output` and `stack tag ls` as each kind of backend does), and opening the workspace when
// the CLI, the backend or the passphrase is not what it should be.
import * as path from "node:path";
import { SlipwayError } from "../../../errors";
import { reviewBackend } from "../../../operations/review/backend";
import { ReviewStacks } from "../../../operations/review/stacks";
import { PASSPHRASE, reviewWorld, ReviewWorld } from "../../support/review";

// Each CLI command is a process: generous on a loaded machine, a few seconds on an idle one.
jest.setTimeout(120_000);

let world: ReviewWorld;
beforeAll(async () => {
  world = await reviewWorld();
});
afterAll(() => world.close());
beforeEach(() => {
  world.clear();
  world.scenario({});
});

function open(env: Record<string, string> = world.env) {
  return ReviewStacks.open({ dir: world.dir, backend: reviewBackend(env, world.env.HOME) });
}

const argvs = () => world.ran().map((r) => r.argv);

describe("list", () => {
  test("shows review stacks only, with last update, creation tag, URL and a lock on a local folder", async () => {
    world.seed({
      name: "review-old-aaaaaa",
      lastUpdate: "2030-01-01T00:00:00.000Z",
      outputs: { appName: "acme-web-old", webUrl: "https://acme-web-old.herokuapp.com/" },
      resources: [{ urn: "u1", type: "pulumi:pulumi:Stack", outputs: {} }],
    });
    world.seed({
      name: "review-new-bbbbbb",
      tags: { "slipway:created": "2030-01-02T00:00:00.000Z" },
    });
    world.seed({ name: "review-busy-cccccc", lastUpdate: "2030-01-01T12:00:00.000Z" });
    world.lock("review-busy-cccccc");
    const listed = await (await open()).list();
    expect(listed).toEqual([
      {
        stack: "review-busy-cccccc",
        lastUpdate: new Date("2030-01-01T12:00:00.000Z"),
        createdAt: undefined,
        updateInProgress: true,
        resourceCount: 0,
        appName: undefined,
        url: undefined,
      },
      {
        stack: "review-new-bbbbbb",
        lastUpdate: undefined,
        createdAt: new Date("2030-01-02T00:00:00.000Z"),
        updateInProgress: false,
        resourceCount: undefined,
        appName: undefined,
        url: undefined,
      },
      {
        stack: "review-old-aaaaaa",
        lastUpdate: new Date("2030-01-01T00:00:00.000Z"),
        createdAt: undefined,
        updateInProgress: false,
        resourceCount: 1,
        appName: "acme-web-old",
        url: "https://acme-web-old.herokuapp.com/",
      },
    ]);
    expect(argvs().slice(0, 3)).toEqual([
      ["version"],
      ["whoami", "--json"],
      ["stack", "ls", "--json"],
    ]);
    // Stacks are read four at a time, so in any order; production is not a review stack.
    expect(
      argvs()
        .slice(3)
        .map((a) => a.join(" "))
        .sort(),
    ).toEqual([
      "stack output --json --show-secrets --stack review-busy-cccccc",
      "stack output --json --show-secrets --stack review-old-aaaaaa",
      "stack output --json --stack review-busy-cccccc",
      "stack output --json --stack review-old-aaaaaa",
      "stack tag ls --json --stack review-new-bbbbbb",
    ]);
  });

  test("on Pulumi Cloud the service says which stacks are updating; S3 cannot tell", async () => {
    const cloudUrl = "https://api.pulumi.example";
    const cloud = { ...world.env, PULUMI_BACKEND_URL: cloudUrl, PULUMI_ACCESS_TOKEN: "pul-token" };
    world.seed({ name: "review-old-aaaaaa", lastUpdate: "2030-01-01T00:00:00.000Z" }, cloudUrl);
    world.seed({ name: "review-busy-cccccc", lastUpdate: "2030-01-01T00:00:00.000Z" }, cloudUrl);
    world.lock("review-busy-cccccc", cloudUrl);
    expect(await (await open(cloud)).list()).toEqual([
      {
        stack: "review-busy-cccccc",
        lastUpdate: undefined,
        createdAt: undefined,
        updateInProgress: true,
        resourceCount: 0,
        appName: undefined,
        url: undefined,
      },
      {
        stack: "review-old-aaaaaa",
        lastUpdate: new Date("2030-01-01T00:00:00.000Z"),
        createdAt: undefined,
        updateInProgress: false,
        resourceCount: 0,
        appName: undefined,
        url: undefined,
      },
    ]);
    const s3Url = "s3://acme-pulumi-state";
    world.seed({ name: "review-busy-cccccc", lastUpdate: "2030-01-01T00:00:00.000Z" }, s3Url);
    world.lock("review-busy-cccccc", s3Url);
    const s3 = { ...world.env, PULUMI_BACKEND_URL: s3Url };
    expect((await (await open(s3)).list()).map((s) => s.updateInProgress)).toEqual([undefined]);
  });
});

describe("opening the workspace", () => {
  test("without a pulumi CLI on PATH is bad input that says how to install it", async () => {
    const node = path.dirname(process.execPath);
    const before = process.env["PATH"];
    process.env["PATH"] = node;
    const error = await open({ ...world.env, PATH: node }).catch((e: unknown) => e);
    process.env["PATH"] = before;
    expect(SlipwayError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      "pulumi: the Pulumi CLI is not on PATH; review stacks run it through the Automation API. " +
        "Fix: install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/; in CI the " +
        "pulumi/actions action or `curl -fsSL https://get.pulumi.com | sh`) and put it on PATH.",
    );
  });

  test("a CLI too old for the Automation API is bad input", async () => {
    world.scenario({ version: "3.1.0" });
    const error = await open().catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "pulumi: the Pulumi CLI on PATH is not one the Automation API can drive: Minimum version " +
        "requirement failed. The minimum CLI version requirement is 3.2.0-alpha, your current CLI " +
        "version is v3.1.0. Please update the Pulumi CLI. Fix: install the Pulumi CLI " +
        "(https://www.pulumi.com/docs/iac/download-install/; in CI the pulumi/actions action or " +
        "`curl -fsSL https://get.pulumi.com | sh`) and put it on PATH.",
    );
  });

  test("a backend the CLI cannot open is bad input naming PULUMI_BACKEND_URL", async () => {
    world.scenario({
      failures: {
        whoami: {
          stderr: "error: problem logging in: unable to open bucket s3://acme-state: NoSuchBucket",
        },
      },
    });
    const error = await open({ ...world.env, PULUMI_BACKEND_URL: "s3://acme-state" }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe(
      "PULUMI_BACKEND_URL: the backend could not be opened (the CLI said: error: problem logging " +
        "in: unable to open bucket s3://acme-state: NoSuchBucket). Allowed: a backend that exists, " +
        "with credentials for it in the environment. Fix: check PULUMI_BACKEND_URL, and for s3:// " +
        "the AWS credentials (in CI: the `review` role).",
    );
  });

  test("any other whoami failure still names the backend", async () => {
    world.scenario({ failures: { whoami: { stderr: "error: the backend is having a bad day" } } });
    const error = await open().catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `PULUMI_BACKEND_URL: the backend file://${world.state} did not answer \`pulumi whoami\`: ` +
        "error: the backend is having a bad day. Allowed: a backend the CLI can log into with the " +
        "credentials in the environment. Fix: check PULUMI_BACKEND_URL and the credentials it " +
        "needs (AWS for s3://, PULUMI_ACCESS_TOKEN for Pulumi Cloud).",
    );
  });

  test("the wrong passphrase is bad input naming PULUMI_CONFIG_PASSPHRASE", async () => {
    world.seed({ name: "review-x-aaaaaa", lastUpdate: "2030-01-01T00:00:00.000Z" });
    const wrong = { ...world.env, PULUMI_CONFIG_PASSPHRASE: `not ${PASSPHRASE}` };
    const error = await (await open(wrong)).apps("review-x-aaaaaa").catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "PULUMI_CONFIG_PASSPHRASE: is not the passphrase the review stacks were made with (the CLI " +
        "said: error: getting secrets manager: incorrect passphrase, please set " +
        "PULUMI_CONFIG_PASSPHRASE to the correct passphrase or set PULUMI_CONFIG_PASSPHRASE_FILE " +
        "to a file containing the passphrase). Allowed: the backend's passphrase. Fix: export " +
        "PULUMI_CONFIG_PASSPHRASE with the right one (in CI: the review environment's secret).",
    );
  });
});
