// The serialized providers as the engine gets them: each resource's `__provider` text captured
// under the mock runtime (outside preview, where it is serialized), loaded the way Pulumi's
// dynamic provider host loads it (require-from-string, `.handler()`), configured with the token,
// then driven through check, create, read, diff, update and delete against the fake.
import * as pulumi from "@pulumi/pulumi";
import { createRequire } from "node:module";
import { CapturedStack, runUnderMocks } from "../../cli/plan/capture";
import { createMocks } from "../../cli/plan/mocks";
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
  PLAN_PROVIDER_TEXT,
  ReviewAppConfig,
  SpaceNat,
  SpacePeering,
  SpacePeeringInfo,
} from "../../components/heroku/resources";
import { createApp, createPipeline, Props, useFake } from "./providers";

/** The loader Pulumi's dynamic provider host uses (it has no type declarations). */
const requireFromString = createRequire(__filename)("require-from-string") as (
  code: string,
) => unknown;

const SENTINEL = "hrku-SENTINEL-must-not-be-serialized";
const fake = useFake();
const ID = "01234567-89ab-4cde-8f01-0000000000aa";
const PCX = "pcx-0123456789abcdef0";

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
  new PipelineCoupling("coupling", { app, pipeline: ID, stage: "staging" });
  new ReviewAppConfig("review", {
    pipeline: ID,
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
  new SpacePeeringInfo("peering-info", { space: "acme-space" });
  new SpaceNat("nat", { space: "acme-space" });
  new SpacePeering("peering", { space: "acme-space", pcxId: PCX });
}

async function captureProviders(preview: boolean): Promise<Record<string, string>> {
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
      .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/heroku:"))
      .map((r) => [r.type.split(":").pop()!, r.inputs["__provider"] as string]),
  );
}

let texts: Record<string, string>;
let realEnv: NodeJS.ProcessEnv;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  process.env.HEROKU_API_KEY = SENTINEL;
  texts = await captureProviders(false);
  // Code compiled from text sees Node's own process.env, not the copy jest gives tests.
  realEnv = requireFromString("module.exports = process.env;") as NodeJS.ProcessEnv;
  saved.key = realEnv.HEROKU_API_KEY;
  saved.url = realEnv.HEROKU_API_URL;
  delete realEnv.HEROKU_API_KEY;
}, 60_000);

afterAll(async () => {
  // The token `configure` kept lives on Node's own globalThis: leave none for the next file.
  await engineLoad(texts.App!, "");
  for (const [name, value] of [
    ["HEROKU_API_KEY", saved.key],
    ["HEROKU_API_URL", saved.url],
  ] as const) {
    if (value === undefined) delete realEnv[name];
    else realEnv[name] = value;
  }
});

beforeEach(() => {
  realEnv.HEROKU_API_URL = fake().url;
});

/** Loads a provider as the engine does and hands it the token through `configure`. */
async function engineLoad(
  text: string,
  token = fake().token,
): Promise<pulumi.dynamic.ResourceProvider> {
  const provider = (
    requireFromString(text) as { handler: () => pulumi.dynamic.ResourceProvider }
  ).handler();
  await provider.configure!({
    config: {
      get: (key: string) => (key === "heroku:apiKey" ? token : undefined),
      require: () => "",
    },
  });
  return provider;
}

test("under slipway plan (mocks, preview) nothing is serialized", async () => {
  const plan = await captureProviders(true);
  expect(Object.values(plan)).toEqual(Array(13).fill(PLAN_PROVIDER_TEXT));
});

test("every provider is serialized, small and without the token", () => {
  expect(Object.keys(texts).sort()).toEqual([
    "Addon",
    "App",
    "AppFeature",
    "AppWebhook",
    "ConfigVars",
    "Formation",
    "LogDrain",
    "Pipeline",
    "PipelineCoupling",
    "ReviewAppConfig",
    "SpaceNat",
    "SpacePeering",
    "SpacePeeringInfo",
  ]);
  for (const text of Object.values(texts)) {
    expect(text).toMatch(/^exports\.handler = /m);
    expect(text).not.toContain(SENTINEL);
    expect(text).not.toContain(fake().token);
    expect(text.length).toBeLessThan(70_000);
  }
});

interface Scenario {
  /** Inputs of the create (given the app's and pipeline's ids). */
  create: (ids: { app: string; pipeline: string }) => Props;
  /** The change the update makes. */
  change: Props;
}

const SCENARIOS: Record<string, Scenario> = {
  App: { create: () => ({ name: "acme-www" }), change: { maintenance: true } },
  ConfigVars: {
    create: ({ app }) => ({ app, vars: { A: "1" }, secretVars: { S: "s" } }),
    change: { vars: { A: "2" } },
  },
  Formation: {
    create: ({ app }) => ({ app, formation: { web: { quantity: 1, size: "basic" } } }),
    change: { formation: { web: { quantity: 0, size: "basic" } } },
  },
  Addon: {
    create: ({ app }) => ({ app, plan: "heroku-postgresql:essential-0" }),
    change: { plan: "heroku-postgresql:essential-1" },
  },
  AppFeature: { create: ({ app }) => ({ app, feature: "preboot" }), change: { enabled: false } },
  Pipeline: { create: () => ({ name: "acme-pipe" }), change: { name: "acme-pipe-2" } },
  PipelineCoupling: {
    create: ({ app, pipeline }) => ({ app, pipeline, stage: "staging" }),
    change: { stage: "production" },
  },
  ReviewAppConfig: {
    create: ({ pipeline }) => ({ pipeline, repo: "acme/acme-web" }),
    change: { staleDays: 9 },
  },
  AppWebhook: {
    create: ({ app }) => ({ app, url: "https://hooks.example.com/h", include: ["api:release"] }),
    change: { level: "sync" },
  },
  LogDrain: { create: ({ app }) => ({ app, url: "https://logs.example.com/in" }), change: {} },
  // Reads only, and connections every input of which replaces: nothing changes in place.
  SpacePeeringInfo: { create: () => ({ space: "acme-space" }), change: {} },
  SpaceNat: { create: () => ({ space: "acme-space" }), change: {} },
  SpacePeering: { create: () => ({ space: "acme-space", pcxId: PCX }), change: {} },
};

test.each(Object.keys(SCENARIOS))(
  "%s: check, create, read, diff, update, delete, loaded as the engine does",
  async (type) => {
    const scenario = SCENARIOS[type]!;
    const app = await createApp(fake(), "acme-web");
    const pipeline = await createPipeline(fake(), "acme-web");
    fake().state.connectGitHub(pipeline, "acme/acme-web");
    fake().state.addSpace("acme-space");
    // AWS's request, which Heroku activates at once (the engine-loaded provider really sleeps).
    fake().state.requestPeering("acme-space", {
      pcxId: PCX,
      vpcId: "vpc-0abc1234def567890",
      cidrBlocks: ["172.31.0.0/16"],
    }).pollsUntilActive = 0;
    fake().clearRequests();
    const provider = await engineLoad(texts[type]!);
    const text = texts[type]!;

    const checked = (news: Props) => provider.check!({}, { ...news, __provider: text });
    const created = await checked(scenario.create({ app, pipeline }));
    expect(created.failures).toEqual([]);
    const { id, outs } = (await provider.create({ ...created.inputs, __provider: text })) as {
      id: string;
      outs: Props;
    };
    expect(id).toMatch(/\S/);
    const read = await provider.read!(id, { ...outs, __provider: text });
    expect(read).toEqual({ id, props: outs });
    expect(
      await provider.diff!(
        id,
        { ...outs, __provider: text },
        { ...created.inputs, __provider: "changed text" },
      ),
    ).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: true,
    });
    const changed = await checked({ ...scenario.create({ app, pipeline }), ...scenario.change });
    const diff = await provider.diff!(id, outs, changed.inputs);
    expect(diff.changes).toBe(Object.keys(scenario.change).length > 0);
    const updated = await provider.update!(id, outs, changed.inputs);
    expect(updated.outs).toMatchObject(scenario.change);
    await provider.delete!(id, updated.outs);
    expect(fake().requests.every((r) => r.headers.authorization === `Bearer ${fake().token}`)).toBe(
      true,
    );
    expect(fake().requests.length).toBeGreaterThan(1);
  },
);

test("a loaded provider without a token says how to give one, and sends nothing", async () => {
  const provider = await engineLoad(texts.App!, "");
  const error = (await provider.create({ name: "acme-web" }).catch((e: unknown) => e)) as Error;
  expect(error.message).toMatch(/^HEROKU_API_KEY: no Heroku API token: HEROKU_API_KEY is not set/);
  expect(fake().requests).toHaveLength(0);
});

test("errors from a loaded provider keep their message", async () => {
  const pipeline = await createPipeline(fake(), "acme-web");
  const provider = await engineLoad(texts.ReviewAppConfig!);
  const inputs = (await provider.check!({}, { pipeline, repo: "acme/acme-web" })).inputs as Props;
  const error = (await provider.create(inputs).catch((e: unknown) => e)) as Error;
  expect(error.message).toMatch(
    /^slipway:reviewApps\.githubConnected: Heroku answered 404 when enabling review apps/,
  );
});
