// `review prune`: which review stacks are stale at an injected time (a pure choice, as a table),
// then the whole prune against the stand-in `pulumi`: exactly the stale ones destroyed, never one
// with an update running, a never-updated one counted from its creation, a failure reported.
import type { ReviewStackInfo } from "../../../operations/review/stacks";
import { choosePrune, parseDuration, reviewPrune } from "../../../operations/review/prune";
import { SlipwayError } from "../../../errors";
import { reviewWorld, ReviewWorld } from "../../support/review";

const NOW = new Date("2030-01-10T00:00:00.000Z");
const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

describe("choosing the stale stacks", () => {
  const stacks: ReviewStackInfo[] = [
    { stack: "review-old", lastUpdate: at("2030-01-01T00:00:00Z"), updateInProgress: false },
    { stack: "review-exactly-five", lastUpdate: at("2030-01-05T00:00:00Z") },
    { stack: "review-almost-five", lastUpdate: at("2030-01-05T00:00:01Z") },
    { stack: "review-busy", lastUpdate: at("2030-01-01T00:00:00Z"), updateInProgress: true },
    { stack: "review-busy-first", updateInProgress: true },
    { stack: "review-never-old", createdAt: at("2030-01-02T00:00:00Z") },
    { stack: "review-never-new", createdAt: at("2030-01-09T00:00:00Z") },
    // A last update wins over the creation time.
    {
      stack: "review-revived",
      createdAt: at("2029-01-01T00:00:00Z"),
      lastUpdate: at("2030-01-09T00:00:00Z"),
    },
    { stack: "review-unknown" },
  ];

  test("stale after five days idle: counted from the last update, or else the creation", () => {
    const choice = choosePrune(stacks, NOW, 5 * DAY);
    expect(choice.stale.map((s) => [s.stack, s.idleMs])).toEqual([
      ["review-old", 9 * DAY],
      ["review-exactly-five", 5 * DAY],
      ["review-never-old", 8 * DAY],
    ]);
    expect(choice.fresh.map((s) => [s.stack, s.idleMs])).toEqual([
      ["review-almost-five", 5 * DAY - 1000],
      ["review-never-new", DAY],
      ["review-revived", DAY],
    ]);
    expect(choice.skipped).toEqual([
      { stack: "review-busy", reason: "an update is running" },
      { stack: "review-busy-first", reason: "an update is running" },
      {
        stack: "review-unknown",
        reason:
          "never updated and no creation time recorded (not made by slipway review up?): remove " +
          "it with `slipway review down --stack review-unknown` if it is unused",
      },
    ]);
  });

  test("a shorter threshold takes more, never the busy ones", () => {
    expect(choosePrune(stacks, NOW, DAY).stale.map((s) => s.stack)).toEqual([
      "review-old",
      "review-exactly-five",
      "review-almost-five",
      "review-never-old",
      "review-never-new",
      "review-revived",
    ]);
  });

  test.each([
    ["5d", 5 * DAY],
    ["36h", 36 * 3_600_000],
    ["90m", 90 * 60_000],
    [" 1d ", DAY],
  ])("--older-than %j is %d ms", (text, ms) => {
    expect(parseDuration(text, "--older-than")).toBe(ms);
  });

  test.each(["0d", "5", "5w", "-1d", "1.5d", "", "12345d"])(
    "--older-than %j is bad input",
    (text) => {
      let error: unknown;
      try {
        parseDuration(text, "--older-than");
      } catch (e) {
        error = e;
      }
      expect(SlipwayError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(
        `--older-than: got ${JSON.stringify(text)}. Allowed: a whole number above 0 followed by d (days), h (hours) or m (minutes). Fix: --older-than 5d`,
      );
    },
  );
});

// Each CLI command is a process: generous on a loaded machine, a few seconds on an idle one.
jest.setTimeout(120_000);

describe("pruning", () => {
  let world: ReviewWorld;
  beforeAll(async () => {
    world = await reviewWorld();
    world.seed({ name: "review-stale-aaaaaa", lastUpdate: "2030-01-01T00:00:00.000Z" });
    world.seed({ name: "review-fresh-bbbbbb", lastUpdate: "2030-01-08T00:00:00.000Z" });
    world.seed({ name: "review-busy-cccccc", lastUpdate: "2030-01-01T00:00:00.000Z" });
    world.lock("review-busy-cccccc");
    world.seed({
      name: "review-never-dddddd",
      tags: { "slipway:created": "2030-01-02T00:00:00.000Z" },
    });
    world.seed({ name: "review-unknown-eeeeee" });
  });
  afterAll(() => world.close());
  beforeEach(() => world.clear());

  const context = () => ({ dir: world.dir, env: world.env, home: world.env.HOME, now: () => NOW });
  const destroys = () =>
    world
      .ran()
      .filter((r) => r.argv[0] === "destroy")
      .map((r) => r.argv[r.argv.indexOf("--stack") + 1]);

  test("a dry run says what it would destroy and destroys nothing", async () => {
    const result = await reviewPrune(context(), { dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.olderThanMs).toBe(5 * DAY);
    expect(result.stale.map((s) => s.stack)).toEqual([
      "review-never-dddddd",
      "review-stale-aaaaaa",
    ]);
    expect(result.fresh.map((s) => s.stack)).toEqual(["review-fresh-bbbbbb"]);
    expect(result.skipped.map((s) => s.stack)).toEqual([
      "review-busy-cccccc",
      "review-unknown-eeeeee",
    ]);
    expect([result.destroyed, result.failed]).toEqual([[], []]);
    expect(destroys()).toEqual([]);
  });

  test("destroys exactly the stale stacks, by default those idle for slipway:reviewApps.staleDays", async () => {
    const result = await reviewPrune(context());
    expect(result.destroyed).toEqual(["review-never-dddddd", "review-stale-aaaaaa"]);
    expect(destroys()).toEqual(["review-never-dddddd", "review-stale-aaaaaa"]);
    expect(result.failed).toEqual([]);
    expect(result.skipped.map((s) => s.stack)).toEqual([
      "review-busy-cccccc",
      "review-unknown-eeeeee",
    ]);
    const rm = world.ran().filter((r) => r.argv[1] === "rm");
    expect(rm.map((r) => r.argv)).toEqual([
      ["stack", "rm", "--yes", "review-never-dddddd"],
      ["stack", "rm", "--yes", "review-stale-aaaaaa"],
    ]);
  });

  test("a destroy that fails is reported, and the other stale stacks are still pruned", async () => {
    world.seed({ name: "review-also-ffffff", lastUpdate: "2030-01-05T00:00:00.000Z" });
    world.scenario({
      failures: { "destroy review-fresh-bbbbbb": { stderr: "error: Heroku said no" } },
    });
    const result = await reviewPrune(context(), { olderThanMs: DAY });
    world.scenario({});
    expect(result.destroyed).toEqual(["review-also-ffffff"]);
    expect(result.failed).toEqual([
      {
        stack: "review-fresh-bbbbbb",
        reason:
          "pulumi destroy of review-fresh-bbbbbb failed: error: Heroku said no\nState: the stack " +
          "may be partly destroyed; its state records what was done. Fix: correct the cause and " +
          "run the command again, or remove the stack with `slipway review down --stack review-fresh-bbbbbb`.",
      },
    ]);
  });

  test("a stale stack someone removed meanwhile is skipped, and one whose app is not a review app too", async () => {
    // Idle 40 days: stale at 30 days, when the stacks the tests above left are not.
    world.seed({ name: "review-gone-gggggg", lastUpdate: "2029-12-01T00:00:00.000Z" });
    world.seed({
      name: "review-wrong-hhhhhh",
      lastUpdate: "2029-12-01T00:00:00.000Z",
      resources: [
        {
          urn: "urn:pulumi:review-wrong-hhhhhh::slipway::pulumi-nodejs:dynamic/heroku:App::app",
          type: "pulumi-nodejs:dynamic/heroku:App",
          outputs: { name: "acme-web-loose" },
        },
      ],
    });
    // An app in no pipeline at all: not a review app, so prune must not destroy it.
    await fetch(`${world.fake.url}/apps`, {
      method: "POST",
      headers: {
        Accept: "application/vnd.heroku+json; version=3",
        Authorization: `Bearer ${world.fake.token}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ name: "acme-web-loose" }),
    });
    world.scenario({
      failures: {
        "stack export review-gone-gggggg": {
          stderr: "error: no stack named 'review-gone-gggggg' found",
        },
      },
    });
    const result = await reviewPrune(context(), { olderThanMs: 30 * DAY });
    world.scenario({});
    expect(result.stale.map((s) => s.stack)).toEqual(["review-gone-gggggg", "review-wrong-hhhhhh"]);
    expect(result.destroyed).toEqual([]);
    expect(result.skipped).toEqual([
      { stack: "review-busy-cccccc", reason: "an update is running" },
      {
        stack: "review-unknown-eeeeee",
        reason:
          "never updated and no creation time recorded (not made by slipway review up?): remove " +
          "it with `slipway review down --stack review-unknown-eeeeee` if it is unused",
      },
      { stack: "review-gone-gggggg", reason: "removed by someone else meanwhile" },
      {
        stack: "review-wrong-hhhhhh",
        reason:
          "prune: review-wrong-hhhhhh: its app acme-web-loose is in no pipeline. slipway review " +
          "removes only apps at the review stage of the pipeline (slipway:pipeline.name of " +
          "Pulumi.production.yaml); nothing was changed. Fix: check that this is the stack you " +
          "meant; a stack made by hand is removed with `pulumi destroy` and `pulumi stack rm`.",
      },
    ]);
  });

  test("a passphrase problem on one stack stops the prune as bad input, destroying nothing more", async () => {
    // Idle a year, so only these two are stale at 100 days; the first fails, the second waits.
    world.seed({ name: "review-stale2-iiiiii", lastUpdate: "2029-01-01T00:00:00.000Z" });
    world.seed({ name: "review-stale3-jjjjjj", lastUpdate: "2029-01-01T00:00:00.000Z" });
    world.scenario({
      failures: {
        "stack export review-stale2-iiiiii": {
          stderr:
            "error: getting secrets manager: incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE",
        },
      },
    });
    const error = await reviewPrune(context(), { olderThanMs: 100 * DAY }).catch((e: unknown) => e);
    world.scenario({});
    expect(SlipwayError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^PULUMI_CONFIG_PASSPHRASE: is not the passphrase/);
    expect(world.ran().filter((r) => r.argv[0] === "destroy")).toEqual([]);
  });
});
