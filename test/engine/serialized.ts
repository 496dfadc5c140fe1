// Every Heroku provider as the engine receives it: the `__provider` text each resource registers,
// serialized by `serializedProvider()` (components/heroku/resources.ts) while the program runs
// under the mock runtime outside preview, the one case where it is serialized for real.
import { CapturedStack, runUnderMocks } from "../../cli/plan/capture";
import { createMocks } from "../../cli/plan/mocks";
import {
  Addon,
  App,
  AppFeature,
  AppWebhook,
  ConfigVars,
  Formation,
  HEROKU_TYPE_PREFIX,
  HerokuType,
  LogDrain,
  Pipeline,
  PipelineCoupling,
  ReviewAppConfig,
  SpaceNat,
  SpacePeering,
  SpacePeeringInfo,
} from "../../components/heroku/resources";
import { PCX, SPACE } from "./lifecycles";

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

/** Each type's `__provider` text; under `preview` (as `slipway plan` runs) the placeholder. */
export async function serializedProviders(preview = false): Promise<Record<HerokuType, string>> {
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
