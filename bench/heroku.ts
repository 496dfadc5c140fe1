// `npm run bench`: Platform API calls per operation for the Heroku resources of the committed
// staging stack, counted by the fake. The resources and their inputs come from HerokuApp and
// DeliveryPipeline run under the mock runtime with Pulumi.staging.yaml's settings; each one is
// then driven through its provider the way the engine would. Targets: refresh one call per
// resource, no-op diff none. terraform-provider-heroku spends 11 calls to refresh one app,
// formation, add-on, pipeline, coupling and review-app config; the same six are counted here.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CapturedResource, runUnderMocks } from "../cli/plan/capture";
import { createMocks } from "../cli/plan/mocks";
import { readProject, readStackConfig } from "../cli/plan/stack-files";
import { reveal } from "../cli/plan/values";
import { DeliveryPipeline } from "../components/delivery-pipeline";
import { HerokuApp } from "../components/heroku-app";
import { addonProvider } from "../components/heroku/addon";
import { appProvider } from "../components/heroku/app";
import { appFeatureProvider } from "../components/heroku/app-feature";
import { API_URL_ENV } from "../heroku/client";
import { configVarsProvider } from "../components/heroku/config-vars";
import { formationProvider } from "../components/heroku/formation";
import { appWebhookProvider, logDrainProvider } from "../components/heroku/hooks";
import { pipelineCouplingProvider, pipelineProvider } from "../components/heroku/pipeline";
import { HEROKU_TYPE_PREFIX } from "../components/heroku/provider-code";
import { reviewAppConfigProvider } from "../components/heroku/review-app-config";
import { API_KEY_ENV } from "../heroku/token";
import { validateSettings } from "../config/validate";
import { FakeHeroku, startFakeHeroku } from "../test/heroku/fake";

type Props = Record<string, unknown>;
type Provider = pulumi.dynamic.ResourceProvider;

const ROOT = path.resolve(__dirname, "..");
/** Terraform's count for refreshing one app, formation, add-on, pipeline, coupling and review-app config. */
export const TERRAFORM_REFRESH_CALLS = 11;

const PROVIDERS: Record<string, Provider> = {
  App: appProvider,
  ConfigVars: configVarsProvider,
  Formation: formationProvider,
  Addon: addonProvider,
  AppFeature: appFeatureProvider,
  Pipeline: pipelineProvider,
  PipelineCoupling: pipelineCouplingProvider,
  ReviewAppConfig: reviewAppConfigProvider,
  AppWebhook: appWebhookProvider,
  LogDrain: logDrainProvider,
};

/** Stands in for production's pipeline id until the fake's pipeline exists. */
const PIPELINE_PLACEHOLDER = "00000000-0000-4000-8000-0000000000aa";

export interface HerokuBench {
  /** The resource types driven, in creation order. */
  readonly resources: readonly string[];
  readonly calls: { create: number; refresh: number; diff: number; delete: number };
  /** Refresh calls for terraform's six-resource set (app, formation, add-on, pipeline, coupling, review-app config). */
  readonly terraformSetRefresh: number;
}

/** The Heroku resources the staging stack declares, as HerokuApp and DeliveryPipeline make them. */
export async function stagingResources(): Promise<CapturedResource[]> {
  const project = readProject(ROOT);
  const stack = readStackConfig(project, "staging");
  const raw = Object.fromEntries(
    Object.entries(stack.values)
      .filter(([key]) => key.startsWith("slipway:"))
      .map(([key, value]) => [key.slice("slipway:".length), value]),
  );
  const { settings } = validateSettings(raw, "staging");
  const captured = await runUnderMocks(
    () => {
      const app = new HerokuApp("web", {
        kind: "staging",
        settings: { ...settings.app, name: settings.app.name! },
        // What the staging stack adds: the RDS database's URL, a secret.
        secretConfigVars: { DATABASE_URL: pulumi.secret("postgres://bench:bench@db:5432/app") },
        releaseWebhookUrl: settings.alerting.releaseWebhookUrl,
      });
      new DeliveryPipeline("pipeline", {
        pipeline: { id: PIPELINE_PLACEHOLDER },
        app,
        stage: "staging",
      });
    },
    {
      project: project.name,
      stack: "staging",
      config: {},
      secretKeys: [],
      mocks: createMocks({ awsRegion: "us-east-1", stackOutputs: () => undefined }),
    },
  );
  return captured.resources.filter((r) => r.type.startsWith(HEROKU_TYPE_PREFIX));
}

/** Inputs as the engine hands them to a provider: secrets opened, `__provider` left out. */
function engineInputs(resource: CapturedResource): Props {
  const inputs = reveal(resource.inputs) as Props;
  delete inputs["__provider"];
  return inputs;
}

interface Driven {
  type: string;
  provider: Provider;
  inputs: Props;
  id: string;
  outs: Props;
}

/** Counts the fake's requests made by `work`. */
async function calls(fake: FakeHeroku, work: () => Promise<void>): Promise<number> {
  fake.clearRequests();
  await work();
  return fake.requests.length;
}

async function refreshAndDiff(fake: FakeHeroku, driven: readonly Driven[]) {
  const refresh = await calls(fake, async () => {
    for (const d of driven) d.outs = (await d.provider.read!(d.id, d.outs)).props as Props;
  });
  const diff = await calls(fake, async () => {
    for (const d of driven) {
      const result = await d.provider.diff!(d.id, d.outs, d.inputs);
      if (result.changes) throw new Error(`bench: ${d.type} has changes after refresh`);
    }
  });
  return { refresh, diff };
}

/** Creates, refreshes, diffs and deletes `resources` against a fresh fake; counts each step. */
export async function driveResources(
  resources: readonly CapturedResource[],
): Promise<{ calls: HerokuBench["calls"]; driven: Driven[] }> {
  const fake = await startFakeHeroku({ precompile: true, addonProvisionPolls: 0 });
  const saved = { key: process.env[API_KEY_ENV], url: process.env[API_URL_ENV] };
  process.env[API_KEY_ENV] = fake.token;
  process.env[API_URL_ENV] = fake.url;
  try {
    // Production's pipeline, which the staging stack couples into.
    const pipelineId = await createPipeline("acme-web");
    const order = ["App", ...Object.keys(PROVIDERS).filter((t) => t !== "App")];
    const sorted = [...resources].sort(
      (a, b) => order.indexOf(typeOf(a)) - order.indexOf(typeOf(b)),
    );
    const driven: Driven[] = [];
    const ids = new Map<string, string>();
    const create = await calls(fake, async () => {
      for (const resource of sorted) {
        const type = typeOf(resource);
        const provider = PROVIDERS[type]!;
        const given = engineInputs(resource);
        for (const key of ["app", "pipeline"]) {
          const value = given[key];
          if (typeof value === "string") given[key] = ids.get(value) ?? value;
        }
        if (given.pipeline === PIPELINE_PLACEHOLDER) given.pipeline = pipelineId;
        const inputs = (await provider.check!({}, given)).inputs as Props;
        const { id, outs } = (await provider.create(inputs)) as { id: string; outs: Props };
        if (type === "App") ids.set(String(resource.state["appId"]), id);
        driven.push({ type, provider, inputs, id, outs });
      }
    });
    const { refresh, diff } = await refreshAndDiff(fake, driven);
    const deleted = await calls(fake, async () => {
      for (const d of [...driven].reverse()) await d.provider.delete!(d.id, d.outs);
    });
    return { calls: { create, refresh, diff, delete: deleted }, driven };
  } finally {
    restore(API_KEY_ENV, saved.key);
    restore(API_URL_ENV, saved.url);
    await fake.close();
  }
}

function typeOf(resource: CapturedResource): string {
  return resource.type.slice(HEROKU_TYPE_PREFIX.length);
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

async function createPipeline(name: string): Promise<string> {
  const inputs = (await pipelineProvider.check!({}, { name })).inputs as Props;
  return (await pipelineProvider.create(inputs)).id;
}

/** Refresh calls for terraform's set: one app, formation, add-on, pipeline, coupling, review-app config. */
async function terraformSetRefresh(): Promise<number> {
  const fake = await startFakeHeroku({ precompile: true, addonProvisionPolls: 0 });
  const saved = { key: process.env[API_KEY_ENV], url: process.env[API_URL_ENV] };
  process.env[API_KEY_ENV] = fake.token;
  process.env[API_URL_ENV] = fake.url;
  try {
    const make = async (provider: Provider, news: Props): Promise<Driven> => {
      const inputs = (await provider.check!({}, news)).inputs as Props;
      const { id, outs } = (await provider.create(inputs)) as { id: string; outs: Props };
      return { type: "", provider, inputs, id, outs };
    };
    const app = await make(appProvider, { name: "acme-web" });
    const pipeline = await make(pipelineProvider, { name: "acme-web" });
    fake.state.connectGitHub(pipeline.id, "acme/acme-web");
    const driven = [
      app,
      await make(formationProvider, {
        app: app.id,
        formation: { web: { quantity: 1, size: "basic" } },
      }),
      await make(addonProvider, { app: app.id, plan: "heroku-postgresql:essential-0" }),
      pipeline,
      await make(pipelineCouplingProvider, {
        app: app.id,
        pipeline: pipeline.id,
        stage: "production",
      }),
      await make(reviewAppConfigProvider, { pipeline: pipeline.id, repo: "acme/acme-web" }),
    ];
    return (await refreshAndDiff(fake, driven)).refresh;
  } finally {
    restore(API_KEY_ENV, saved.key);
    restore(API_URL_ENV, saved.url);
    await fake.close();
  }
}

/** Runs the bench and prints `bench heroku <operation>: <n> calls` lines. */
export async function benchHeroku(
  print: (line: string) => void = console.log,
): Promise<HerokuBench> {
  const resources = await stagingResources();
  const { calls: counted, driven } = await driveResources(resources);
  const terraformSet = await terraformSetRefresh();
  const n = driven.length;
  const list = driven.map((d) => d.type).join(", ");
  const verdict = (ok: boolean) => (ok ? "ok" : "over the target");
  print(`bench heroku create: ${counted.create} calls (${n} staging resources: ${list})`);
  print(
    `bench heroku refresh: ${counted.refresh} calls (target ${n}, one per resource: ${verdict(counted.refresh <= n)})`,
  );
  print(
    `bench heroku no-op diff: ${counted.diff} calls (target 0: ${verdict(counted.diff === 0)})`,
  );
  print(`bench heroku delete: ${counted.delete} calls`);
  print(
    `bench heroku refresh of app, formation, add-on, pipeline, coupling, review-app config: ` +
      `${terraformSet} calls (terraform-provider-heroku: ${TERRAFORM_REFRESH_CALLS})`,
  );
  return {
    resources: driven.map((d) => d.type),
    calls: counted,
    terraformSetRefresh: terraformSet,
  };
}
