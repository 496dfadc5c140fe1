// Every Heroku provider in the SDK's own dynamic provider host, started and driven as the engine
// drives it (host.ts, wire.ts), with the `__provider` text `serializedProvider()` makes, against
// the Heroku fake: the start-up calls, each provider's whole life, a preview and the update after
// it, and the faults the engine has to live with.
//
// What this relies on in the host (node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js):
// - `main` requires the engine's address as its argument and then never calls the engine;
// - `configure` keeps the config with secrets opened and answers `acceptSecrets: false`, and
//   never sets `supportsPreview`: the engine then never sends it a preview Create or Update;
// - `getProvider` loads `__provider` with require-from-string and calls the provider's own
//   `configure` once per provider text (the token reaches the providers only that way here);
// - every answer except a failed create or update gets `__provider` put back
//   (`resultIncludingProvider`); a failed create or update with an `id` is sent as
//   ErrorResourceInitFailed with the error's `properties` as they are (`grpcResponseFromError`);
// - `read` answers the id its provider returned (none: the resource is gone);
// - `create` and `update` ignore the request's `preview` flag.
//
// The host is started by early-start.ts, imported first so that it boots while the rest loads.
// Nothing here loads the SDK's index: what a resource registers as `__provider` is the text
// `providerCode` bundles (test/heroku/registered-provider.test.ts), and these tests bundle it the same way.
import { herokuServer, started } from "./early-start";
import { createRequire } from "node:module";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type * as pulumi from "@pulumi/pulumi";
import { version as sdkVersion } from "@pulumi/pulumi/version";
import {
  HEROKU_TYPE_PREFIX,
  HEROKU_TYPES,
  HerokuType,
  providerCode,
} from "../../components/heroku/provider-code";
import { HerokuClient } from "../../heroku/client";
import { Faults } from "../heroku/fake";
import { createApp, createPipeline, sent, useFake } from "../heroku/providers";
import { rejectionOf } from "../heroku/support";
import { PROJECT_DIR } from "../support/project";
import { withGoogleStringWriter, writesStringsInOneCopy } from "./engine-strings";
import { Diff, DynamicProviderHost, InitFailed, plannedStep } from "./host";
import { addSpace, DRAIN_URL, HOOK_URL, Ids, LIFECYCLES } from "./lifecycles";
import { StubEngine } from "./stub-engine";
import { Computed, Props, secret, unknown } from "./wire";

/** The loader the host uses (it has no type declarations). */
const requireFromString = createRequire(__filename)("require-from-string") as (
  code: string,
) => unknown;

const SENTINEL = "hrku-SENTINEL-must-not-be-serialized";
let engine: StubEngine;
let host: DynamicProviderHost;
let texts: Record<HerokuType, string>;
let handshake: grpc.status;

/** Every type's provider code, bundled as `serializedProvider` bundles it for `pulumi up`. */
const bundledProviders = async (): Promise<Record<HerokuType, string>> =>
  Object.fromEntries(
    await Promise.all(HEROKU_TYPES.map(async (type) => [type, await providerCode(type)])),
  ) as Record<HerokuType, string>;

// Before the fake's own beforeAll, which takes the server the host was told about.
beforeAll(async () => {
  ({ engine, host } = await started);
}, 120_000);
const fake = useFake({ server: herokuServer });

beforeAll(async () => {
  // A token in this process's environment must not end up in the bundled text.
  process.env.HEROKU_API_KEY = SENTINEL;
  texts = await bundledProviders();
  handshake = await host.handshake(engine.address, PROJECT_DIR);
  // Dynamic providers get the whole stack config, namespaces kept.
  await host.configure({
    "aws:region": "us-east-1",
    "heroku:apiKey": secret(fake().token),
    "slipway:app": { name: "acme-web" },
  });
}, 120_000);

afterAll(async () => {
  await host?.close();
  await engine?.close();
});

/** A resource as the engine keeps it in state. */
interface Resource {
  readonly type: HerokuType;
  readonly urn: string;
  readonly protect: boolean;
  id: string;
  inputs: Props;
  outputs: Props;
  initErrors: string[];
}

const urnOf = (type: HerokuType, name: string) =>
  `urn:pulumi:production::slipway::${HEROKU_TYPE_PREFIX}${type}::${name}`;

/** `pulumi up` of a new resource: Check, then Create. */
async function created(type: HerokuType, args: Props, protect = false): Promise<Resource> {
  const urn = urnOf(type, type.toLowerCase());
  const { inputs, failures } = await host.check(
    urn,
    {},
    { ...args, __provider: texts[type] },
    false,
  );
  expect(failures).toEqual([]);
  const { id, outs } = await host.create(urn, inputs, false);
  return { type, urn, protect, id, inputs, outputs: outs, initErrors: [] };
}

/**
 * A resource registered again, in a preview or an update: Check, Diff, the step the engine plans
 * and, for an update, the Update call (which a preview answers without the host).
 */
async function registered(
  resource: Resource,
  args: Props,
  preview: boolean,
): Promise<{ diff: Diff; step: string; outputs: Props }> {
  const news = { ...args, __provider: texts[resource.type] };
  const { inputs, failures } = await host.check(resource.urn, resource.inputs, news, preview);
  expect(failures).toEqual([]);
  const diff = await host.diff(resource.urn, resource.id, resource, inputs, preview);
  const step = plannedStep(diff, resource.protect, resource.initErrors.length > 0);
  if (step !== "update") return { diff, step, outputs: resource.outputs };
  const outputs = await host.update(resource.urn, resource.id, resource, inputs, preview);
  if (!preview) Object.assign(resource, { inputs, outputs, initErrors: [] });
  return { diff, step, outputs };
}

/**
 * An output as the program sees it after a registration: in a preview, a declared output the
 * engine did not answer is unknown (the SDK's `resolveProperties` in runtime/rpc.js).
 */
const seen = (outputs: Props, key: string, preview: boolean) =>
  key in outputs ? outputs[key] : preview ? unknown() : undefined;

test("the host answers the engine's start-up as the engine expects of it", async () => {
  expect(handshake).toBe(grpc.status.UNIMPLEMENTED);
  expect(await host.pluginVersion()).toBe(sdkVersion);
  expect(await host.checkConfig({ "heroku:apiKey": "x" })).toBe(grpc.status.UNIMPLEMENTED);
  expect(await host.diffConfig({}, { "heroku:apiKey": "x" })).toBe(grpc.status.UNIMPLEMENTED);
  expect(host.protocol).toEqual({
    acceptSecrets: false,
    acceptResources: false,
    acceptOutputs: false,
    supportsPreview: false,
  });
  expect(engine.logs).toEqual([]);
});

test.each(Object.keys(LIFECYCLES) as HerokuType[])(
  "%s: check, create, read, diff, update, delete, then read and delete once gone, over gRPC",
  async (type) => {
    const life = LIFECYCLES[type];
    const app = await createApp(fake(), "acme-web");
    const ids: Ids = { app, pipeline: await createPipeline(fake(), "acme-web") };
    fake().state.connectGitHub(ids.pipeline, "acme/acme-web");
    addSpace(fake());
    fake().clearRequests();
    const text = texts[type];

    const resource = await created(type, life.args(ids));
    const outputs = { ...life.outputs(fake(), ids, resource.id), __provider: text };
    expect(resource.outputs).toEqual(outputs);
    expect(await host.read(resource.urn, resource.id, resource)).toEqual({
      id: resource.id,
      outs: outputs,
    });
    expect((await registered(resource, life.args(ids), false)).step).toBe("same");
    const changes = Object.keys(life.change).length > 0;
    const update = await registered(resource, { ...life.args(ids), ...life.change }, false);
    expect(update).toEqual({
      // The host passes on only changes, replaces and deleteBeforeReplace.
      diff: {
        changes: changes ? "some" : "none",
        replaces: [],
        deleteBeforeReplace: true,
        diffs: [],
        detailedDiff: false,
      },
      step: changes ? "update" : "same",
      outputs: { ...outputs, ...life.change },
    });

    await host.delete(resource.urn, resource.id, resource);
    await host.delete(resource.urn, resource.id, resource);
    const refreshed = await host.read(resource.urn, resource.id, resource);
    expect(refreshed.id).toBe(life.gone ? "" : resource.id);
    const tokens = new Set(fake().requests.map((r) => r.headers.authorization));
    expect([...tokens]).toEqual([`Bearer ${fake().token}`]);
  },
);

test("a preview of an app change shows updates only; the update after it changes the app alone", async () => {
  // Production: the app, its config vars and add-ons, and the pipeline are protected.
  const appArgs = { name: "acme-web", buildpacks: [], maintenance: false };
  const app = await created("App", appArgs, true);
  const pipeline = await created("Pipeline", { name: "acme-web" }, true);
  const [appId, pipelineId] = [app.id, pipeline.id];
  fake().state.connectGitHub(pipelineId, "acme/acme-web");
  const children = (ids: { app: unknown; pipeline: unknown; databaseUrl: unknown }) => ({
    ConfigVars: { app: ids.app, vars: { A: "1" }, secretVars: { DATABASE_URL: ids.databaseUrl } },
    Formation: { app: ids.app, formation: { web: { quantity: 1, size: "basic" } } },
    Addon: { app: ids.app, plan: "heroku-redis:mini", name: "acme-cache" },
    AppFeature: { app: ids.app, feature: "preboot" },
    AppWebhook: { app: ids.app, url: HOOK_URL, include: ["api:release"] },
    LogDrain: { app: ids.app, url: DRAIN_URL },
    PipelineCoupling: { app: ids.app, pipeline: ids.pipeline, stage: "production" },
    ReviewAppConfig: { pipeline: ids.pipeline, repo: "acme/acme-web" },
  });
  const known = { app: appId, pipeline: pipelineId, databaseUrl: secret("postgres://db") };
  const resources = await Promise.all(
    Object.entries(children(known)).map(([type, args]) =>
      created(type as HerokuType, args, ["ConfigVars", "Addon"].includes(type)),
    ),
  );
  // The host got the secret in the clear; the engine marked the output secret again by name.
  expect(fake().state.app(appId).configVars.DATABASE_URL).toBe("postgres://db");
  expect(resources[0]!.outputs.secretVars).toEqual({ DATABASE_URL: secret("postgres://db") });
  fake().clearRequests();

  async function deploy(preview: boolean, databaseUrl: unknown) {
    const steps: Record<string, string> = {};
    const appStep = await registered(app, { ...appArgs, maintenance: true }, preview);
    const pipelineStep = await registered(pipeline, { name: "acme-web-pipeline" }, preview);
    steps.App = appStep.step;
    steps.Pipeline = pipelineStep.step;
    const ids = {
      app: seen(appStep.outputs, "appId", preview),
      pipeline: seen(pipelineStep.outputs, "pipelineId", preview),
      databaseUrl,
    };
    for (const resource of resources) {
      const args = children(ids)[resource.type as keyof ReturnType<typeof children>];
      steps[resource.type] = (await registered(resource, args, preview)).step;
    }
    return { steps, ids };
  }

  // The preview: the app's id and the pipeline's are unknown (the engine answered the update
  // previews with the inputs), and so is a new database URL. Nothing reaches Heroku.
  const preview = await deploy(true, secret(unknown()));
  expect(preview.ids).toEqual({
    app: unknown(),
    pipeline: unknown(),
    databaseUrl: secret(unknown()),
  });
  expect(preview.steps).toEqual({
    App: "update",
    Pipeline: "update",
    ConfigVars: "update",
    Formation: "update",
    Addon: "update",
    AppFeature: "update",
    AppWebhook: "update",
    LogDrain: "update",
    PipelineCoupling: "update",
    ReviewAppConfig: "update",
  });
  expect(fake().requests).toEqual([]);

  // The update: the ids are known and unchanged, so the children are the same.
  const update = await deploy(false, secret("postgres://db"));
  expect(update.ids).toEqual({ ...known, databaseUrl: secret("postgres://db") });
  expect(update.steps).toEqual({
    App: "update",
    Pipeline: "update",
    ConfigVars: "same",
    Formation: "same",
    Addon: "same",
    AppFeature: "same",
    AppWebhook: "same",
    LogDrain: "same",
    PipelineCoupling: "same",
    ReviewAppConfig: "same",
  });
  expect(sent(fake())).toEqual([
    `PATCH /apps/${appId} {"maintenance":true}`,
    `PATCH /pipelines/${pipelineId} {"name":"acme-web-pipeline"}`,
  ]);
  // About 60 calls to the host: the longest test here.
}, 180_000);

test("values the engine does not know pass check, whatever their type, and never replace", async () => {
  const appId = await createApp(fake(), "acme-web");
  const hook = await created(
    "AppWebhook",
    LIFECYCLES.AppWebhook.args({ app: appId, pipeline: "" }),
  );
  const news = {
    app: unknown(),
    url: HOOK_URL,
    include: unknown("array"),
    level: unknown(),
    __provider: texts.AppWebhook,
  };
  const { inputs, failures } = await host.check(hook.urn, hook.inputs, news, true);
  expect([inputs, failures]).toEqual([news, []]);
  expect(await host.diff(hook.urn, hook.id, hook, inputs, true)).toEqual({
    changes: "some",
    replaces: [],
    deleteBeforeReplace: true,
    diffs: [],
    detailedDiff: false,
  });
  const review = await host.check(
    urnOf("ReviewAppConfig", "review"),
    {},
    {
      pipeline: unknown(),
      repo: "acme/acme-web",
      staleDays: unknown("number"),
      waitForCi: unknown("bool"),
      __provider: texts.ReviewAppConfig,
    },
    true,
  );
  expect(review.failures).toEqual([]);
  expect(review.inputs.staleDays).toEqual(new Computed("number"));
});

test("an add-on kept after a failed create carries __provider: the engine reads, updates and deletes it", async () => {
  const appId = await createApp(fake(), "acme-web");
  Object.assign(fake().state.settings, { addonProvisionPolls: 2 });
  fake().fault("GET /apps/{app}/addons/{add-on}", Faults.unauthorized());
  const urn = urnOf("Addon", "cache");
  const args = { app: appId, plan: "heroku-redis:mini", name: "acme-cache" };
  // The failure's properties travel in a gRPC trailer, in base64. The engine's Go client takes
  // trailers up to 16 MiB; Node's HTTP/2 (this stub engine) refuses a field over 64 KiB, which
  // the provider text passed before it was compacted (compactProviderText).
  const provider = texts.Addon;
  const { inputs } = await host.check(urn, {}, { ...args, __provider: provider }, false);
  const failure = await rejectionOf<InitFailed>(host.create(urn, inputs, false));
  const made = fake().state.addon("acme-cache").addon;
  expect(failure).toBeInstanceOf(InitFailed);
  expect([failure.id, failure.properties]).toEqual([
    made.id,
    { ...args, addonId: made.id, configVarNames: ["REDIS_URL"], __provider: provider },
  ]);
  expect(failure.reasons).toEqual([
    expect.stringMatching(/^Heroku API GET \/apps\/[0-9a-f-]+\/addons\/[0-9a-f-]+ answered 401/),
  ]);

  // The engine keeps it as created, with the reasons as init errors.
  const addon: Resource = {
    type: "Addon",
    urn,
    protect: false,
    id: failure.id,
    inputs,
    outputs: failure.properties,
    initErrors: failure.reasons,
  };
  expect((await host.read(urn, addon.id, addon)).id).toBe(made.id);
  expect(made.state).toBe("provisioning");
  // The next `pulumi up` updates a resource with init errors even when nothing changed.
  expect((await registered(addon, args, false)).step).toBe("update");
  expect([made.state, addon.initErrors]).toEqual(["provisioned", []]);
  await host.delete(urn, addon.id, addon);
  expect(fake().state.findAddon("acme-cache")).toBeUndefined();
});

test("a create Heroku refuses is an error, not a resource the engine would record", async () => {
  // Someone else's app holds the name, in another region: Heroku answers 422, nothing to adopt.
  await new HerokuClient({ baseUrl: fake().url }).post("/apps", { name: "acme-web", region: "eu" });
  const urn = urnOf("App", "app");
  const { inputs } = await host.check(urn, {}, { name: "acme-web", __provider: texts.App }, false);
  const error = await rejectionOf<grpc.ServiceError>(host.create(urn, inputs, false));
  expect(error).not.toBeInstanceOf(InitFailed);
  expect([error.code, error.details]).toEqual([
    grpc.status.UNKNOWN,
    expect.stringMatching(
      /^Heroku API POST \/apps answered 422 invalid_params: Name is already taken \[request id [0-9a-f-]{36}\]$/,
    ),
  ]);
});

test("the host ignores `preview`: a preview Create, which the engine never sends it, would create", async () => {
  const urn = urnOf("App", "app");
  const { inputs } = await host.check(urn, {}, { name: "acme-web", __provider: texts.App }, false);
  expect(await host.create(urn, inputs, true)).toEqual({ id: "", outs: inputs });
  expect(fake().requests).toEqual([]);
  host.protocol = { ...host.protocol!, supportsPreview: true };
  try {
    const made = await host.create(urn, inputs, true);
    expect(made.id).toBe(fake().state.app("acme-web").app.id);
    expect(sent(fake())[0]).toBe(
      'POST /apps {"name":"acme-web","region":"us","stack":"heroku-24"}',
    );
  } finally {
    host.protocol = { ...host.protocol, supportsPreview: false };
  }
});

test("an error keeps its message on the way to the engine", async () => {
  const pipeline = await createPipeline(fake(), "acme-web");
  const resource = urnOf("ReviewAppConfig", "review");
  const news = { pipeline, repo: "acme/acme-web", __provider: texts.ReviewAppConfig };
  const { inputs } = await host.check(resource, {}, news, false);
  const error = await rejectionOf<grpc.ServiceError>(host.create(resource, inputs, false));
  expect(error.details).toMatch(
    /^slipway:reviewApps\.githubConnected: Heroku answered 404 when enabling review apps on pipeline [0-9a-f-]{36}: the pipeline is not connected/,
  );
});

test("every provider is bundled, small, stable and without the token", async () => {
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
    expect(text).not.toContain(SENTINEL);
    expect(text).not.toContain(fake().token);
    expect(text.length).toBeLessThan(20_000);
    // Source alone: no path of this machine, no coverage counters (istanbul's `cov_<hash>()`).
    expect(text).not.toContain(PROJECT_DIR);
    expect(text).not.toMatch(/\bcov_[0-9a-z]+\(\)/);
  }
  // Outside the bundle: the SDK's errors module (not its index) and Node's own modules.
  const required = (text: string) => [...new Set(text.match(/require\("[^"]+"\)/g))].sort();
  expect(required(texts.App)).toEqual(['require("@pulumi/pulumi/errors")']);
  expect(required(Object.values(texts).join("\n"))).toEqual([
    'require("@pulumi/pulumi/errors")',
    'require("node:crypto")',
  ]);
  // The host keeps one provider per text: each type's must differ, and stay the same from one
  // run to the next, or every update would show `__provider` changed.
  expect(new Set(Object.values(texts)).size).toBe(13);
  expect(await bundledProviders()).toEqual(texts);
});

test("the requests' strings are the bytes google-protobuf's own writer gives", () => {
  const struct = Struct.fromJavaScript({
    provider: texts.App.slice(0, 2000),
    text: "é ✓ 🚀 \u0000",
    empty: "",
  });
  const written = Buffer.from(struct.serializeBinary());
  expect(writesStringsInOneCopy()).toBe(true);
  expect(written).toEqual(Buffer.from(withGoogleStringWriter(() => struct.serializeBinary())));
  expect(writesStringsInOneCopy()).toBe(true);
});

test("a provider loaded without a token says how to give one, and sends nothing", async () => {
  // Loaded here as the host loads it; such code sees Node's own environment, not jest's copy.
  const realEnv = requireFromString("module.exports = process.env;") as NodeJS.ProcessEnv;
  const saved = realEnv.HEROKU_API_KEY;
  delete realEnv.HEROKU_API_KEY;
  try {
    const loaded = requireFromString(texts.App) as {
      handler: () => pulumi.dynamic.ResourceProvider;
    };
    const provider = loaded.handler();
    await provider.configure!({ config: { get: () => undefined, require: () => "" } });
    const error = await rejectionOf(provider.create({ name: "acme-web" }));
    expect(error.message).toMatch(
      /^HEROKU_API_KEY: no Heroku API token: HEROKU_API_KEY is not set and the stack config has no heroku:apiKey\./,
    );
    expect(fake().requests).toEqual([]);
  } finally {
    if (saved !== undefined) realEnv.HEROKU_API_KEY = saved;
  }
});
