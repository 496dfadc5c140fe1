// The `__provider` text each Heroku resource registers (`serializedProvider()`,
// components/heroku/resources.ts), run under the mock runtime: outside preview, the one case
// where it is bundled for real, it is the type's provider code exactly as `providerCode` bundles
// it, the text the engine tier (test/engine) runs in the SDK's host; under `slipway plan`, the
// placeholder.
import { CapturedStack, runUnderMocks } from "../../cli/plan/capture";
import { createMocks } from "../../cli/plan/mocks";
import {
  HEROKU_TYPE_PREFIX,
  HEROKU_TYPES,
  HerokuType,
  PLAN_PROVIDER_TEXT,
  providerCode,
} from "../../components/heroku/provider-code";
import {
  Addon,
  App,
  AppFeature,
  AppWebhook,
  ConfigVars,
  Formation,
  LogDrain,
  Pipeline,
  PipelineCoupling,
  ReviewAppConfig,
  SpaceNat,
  SpacePeering,
  SpacePeeringInfo,
} from "../../components/heroku/resources";
import { PCX, SPACE } from "../engine/lifecycles";

const PIPELINE_ID = "01234567-89ab-4cde-8f01-0000000000aa";

/** Every Heroku resource once, as a program: what each registers is what the engine would get. */
function everyResource(): void {
  const app = "acme-web";
  new App("app", {
    name: app,
    region: "us",
    stack: "heroku-24",
    buildpacks: [],
    maintenance: false,
    acm: false,
  });
  new ConfigVars("config", { app, vars: {}, secretVars: { S: "s" } });
  new Formation("formation", { app, formation: {} });
  new Addon("addon", { app, plan: "heroku-redis:mini" });
  new AppFeature("feature", { app, feature: "preboot", enabled: true });
  new Pipeline("pipeline", { name: app });
  new PipelineCoupling("coupling", { app, pipeline: PIPELINE_ID, stage: "staging" });
  new ReviewAppConfig("review", {
    pipeline: PIPELINE_ID,
    repo: "acme/acme-web",
    automaticReviewApps: false,
    destroyStaleApps: true,
    staleDays: 5,
    waitForCi: true,
  });
  new AppWebhook("webhook", {
    app,
    url: "https://hooks.example.com/h",
    include: ["api:release"],
    level: "notify",
  });
  new LogDrain("drain", { app, url: "https://logs.example.com/in" });
  new SpacePeeringInfo("peering-info", { space: SPACE });
  new SpaceNat("nat", { space: SPACE });
  new SpacePeering("peering", { space: SPACE, pcxId: PCX });
}

/** Each type's `__provider` text, as the program registers it. */
async function registeredProviders(preview: boolean): Promise<Record<HerokuType, string>> {
  const captured: CapturedStack = await runUnderMocks(everyResource, {
    project: "slipway",
    stack: "staging",
    config: {},
    secretKeys: [],
    mocks: createMocks({ awsRegion: "us-east-1", stackOutputs: () => undefined }),
    preview,
  });
  return Object.fromEntries(
    captured.resources
      .filter((r) => r.type.startsWith(HEROKU_TYPE_PREFIX))
      .map((r) => [r.type.slice(HEROKU_TYPE_PREFIX.length), r.inputs["__provider"] as string]),
  ) as Record<HerokuType, string>;
}

test("every type registers its provider's bundled code, once per type and process", async () => {
  const registered = await registeredProviders(false);
  expect(Object.keys(registered).sort()).toEqual([...HEROKU_TYPES].sort());
  for (const type of HEROKU_TYPES) expect(registered[type]).toBe(await providerCode(type));
  // A second program in the same process registers the same texts (bundled once, kept).
  expect(await registeredProviders(false)).toEqual(registered);
});

test("under slipway plan (the mock runtime in preview) nothing is bundled", async () => {
  const plan = await registeredProviders(true);
  expect(plan).toEqual(Object.fromEntries(HEROKU_TYPES.map((type) => [type, PLAN_PROVIDER_TEXT])));
});
