// `review down`: destroys and removes a review stack after checking on Heroku that every app it
// holds is at the review stage of production's pipeline. Refusals change nothing; a stack that is
// already gone is success. Run against the stand-in `pulumi` and the Heroku fake.
import { SlipwayError } from "../../../errors";
import type { ProgressEvent } from "../../../operations/progress";
import { NotAReviewApp, reviewDown } from "../../../operations/review/down";
import { readReviewProfile, reviewStackConfig } from "../../../operations/review/profile";
import { openSession, ReviewContext } from "../../../operations/review/session";
import { reviewWorld, ReviewWorld, slipwayRequests } from "../../support/review";

const BRANCH = "feature/login-form";
const STACK = "review-feature-login-form-jsicug";
const APP = "acme-web-feature-login-jsicug";

// Each CLI command is a process: generous on a loaded machine, a few seconds on an idle one.
jest.setTimeout(120_000);

let world: ReviewWorld;
const events: ProgressEvent[] = [];
const context = (): ReviewContext => ({
  dir: world.dir,
  env: world.env,
  home: world.env.HOME,
  onProgress: (event) => events.push(event),
});
const coupling = () => {
  const id = world.fake.state.app(APP).app.id;
  return [...world.fake.state.couplings.values()].find((c) => c.app.id === id);
};
const commands = () => world.ran().map((r) => r.argv.slice(0, 2).join(" "));

beforeAll(async () => {
  world = await reviewWorld();
  const session = await openSession(context());
  await session.stacks.up(STACK, reviewStackConfig(readReviewProfile(world.dir), APP));
});
afterAll(() => world.close());
beforeEach(() => {
  world.clear();
  world.fake.clearRequests();
  events.length = 0;
});

describe("refusals, before anything is touched", () => {
  test("a stack that is not a review stack, before the CLI even runs", async () => {
    const error = await reviewDown(context(), { stack: "production" }).catch((e: unknown) => e);
    expect(SlipwayError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      '--stack: got "production", which is not a review stack: slipway review removes only stacks ' +
        "named review-<slug>, so production and staging are out of its reach. Allowed: review- " +
        "followed by 1-40 lowercase letters, digits or dashes. Fix: pass the review stack's name " +
        "(`slipway review list` shows them), or --branch <branch>.",
    );
    expect(world.ran()).toEqual([]);
  });

  test.each([
    [
      "at another stage",
      () => {
        (coupling() as { stage: string }).stage = "staging";
      },
      `its app ${APP} is at the staging stage of its pipeline`,
    ],
    [
      "in another pipeline",
      () => {
        const other = [...world.fake.state.pipelines.values()][0]!.pipeline;
        world.fake.state.pipelines.set("other", {
          ...world.fake.state.pipeline(other.id),
          pipeline: { ...other, id: "0b5a41a0-0000-4000-8000-000000000001", name: "other-web" },
        });
        (coupling() as { pipeline: { id: string } }).pipeline.id =
          "0b5a41a0-0000-4000-8000-000000000001";
      },
      `its app ${APP} is a review app of the pipeline other-web, not of acme-web`,
    ],
    [
      "in no pipeline",
      () => {
        world.fake.state.couplings.delete(coupling()!.id);
      },
      `its app ${APP} is in no pipeline`,
    ],
  ])("an app %s", async (_, change, why) => {
    const before = structuredClone(coupling());
    change();
    const error = await reviewDown(context(), { branch: BRANCH }).catch((e: unknown) => e);
    if (before) world.fake.state.couplings.set(before.id, before);
    expect(NotAReviewApp.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      `--branch: ${STACK}: ${why}. slipway review removes only apps at the review stage of the ` +
        "pipeline (slipway:pipeline.name of Pulumi.production.yaml); nothing was changed. Fix: " +
        "check that this is the stack you meant; a stack made by hand is removed with `pulumi " +
        "destroy` and `pulumi stack rm`.",
    );
    expect(commands()).toEqual(["version", "whoami --json", "stack export"]);
    expect(world.fake.state.findApp(APP)?.app.name).toBe(APP);
  });
});

describe("removing", () => {
  test("by branch: the app checked on Heroku, the stack destroyed and removed", async () => {
    const result = await reviewDown(context(), { branch: BRANCH });
    expect(result).toEqual({ stack: STACK, outcome: "destroyed", apps: [APP] });
    expect(commands()).toEqual([
      "version",
      "whoami --json",
      "stack export",
      "stack select",
      "destroy --yes",
      "stack history",
      "stack rm",
    ]);
    expect(slipwayRequests(world.fake)).toEqual([
      `GET /apps/${APP}/pipeline-couplings`,
      `GET /pipelines/${world.pipelineId}`,
    ]);
    expect(world.fake.state.findApp(APP)).toBeUndefined();
    expect(events.filter((e) => !e.log)).toEqual([
      { step: "backend", message: `review stacks in file://${world.state}` },
      { step: "down", message: `${STACK} holds the app ${APP}` },
      { step: "stack", message: `pulumi destroy ${STACK}` },
      { step: "stack", message: `pulumi stack rm ${STACK}` },
      { step: "down", message: `${STACK} destroyed and removed` },
    ]);
  });

  test("a stack already gone is success, with nothing asked of Heroku", async () => {
    expect(await reviewDown(context(), { stack: STACK })).toEqual({
      stack: STACK,
      outcome: "absent",
      apps: [],
    });
    expect(commands()).toEqual(["version", "whoami --json", "stack export"]);
    expect(slipwayRequests(world.fake)).toEqual([]);
    expect(events[1]).toEqual({
      step: "down",
      message: `${STACK} does not exist: nothing to remove`,
    });
  });

  test("a stack whose app is already gone from Heroku is still destroyed", async () => {
    world.seed({
      name: "review-orphan-aaaaaa",
      lastUpdate: "2030-01-01T00:00:00.000Z",
      resources: [
        {
          urn: "urn:pulumi:review-orphan-aaaaaa::slipway::pulumi-nodejs:dynamic/heroku:App::app",
          type: "pulumi-nodejs:dynamic/heroku:App",
          outputs: { name: "acme-web-orphan" },
        },
      ],
    });
    expect(await reviewDown(context(), { stack: "review-orphan-aaaaaa" })).toEqual({
      stack: "review-orphan-aaaaaa",
      outcome: "destroyed",
      apps: ["acme-web-orphan"],
    });
    expect(slipwayRequests(world.fake)).toEqual([
      "GET /apps/acme-web-orphan/pipeline-couplings",
      "GET /apps/acme-web-orphan",
    ]);
  });

  test("a stack that never got as far as its app is destroyed with a config named after it", async () => {
    world.seed({ name: "review-empty-aaaaaa", lastUpdate: "2030-01-01T00:00:00.000Z" });
    expect(await reviewDown(context(), { stack: "review-empty-aaaaaa" })).toEqual({
      stack: "review-empty-aaaaaa",
      outcome: "destroyed",
      apps: [],
    });
    expect(events[1]).toEqual({ step: "down", message: "review-empty-aaaaaa holds no Heroku app" });
    expect(slipwayRequests(world.fake)).toEqual([]);
  });
});
