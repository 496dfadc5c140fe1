// HerokuApp and DeliveryPipeline under the mock runtime, per stack kind: exact child types, names,
// inputs, parents and protection; secret config vars stay secrets; warnings and wiring errors.
import * as pulumi from "@pulumi/pulumi";
import { CapturedResource, CapturedStack } from "../../cli/plan/capture";
import { stableUuid } from "../../cli/plan/mocks";
import { Secret } from "../../cli/plan/values";
import {
  DELIVERY_PIPELINE_TYPE,
  DeliveryPipeline,
  DeliveryPipelineArgs,
} from "../../components/delivery-pipeline";
import {
  HEROKU_APP_TYPE,
  HerokuApp,
  HerokuAppArgs,
  hostKey,
  uniqueNames,
  webhooksOf,
} from "../../components/heroku-app";
import { PLAN_PROVIDER_TEXT } from "../../components/heroku/provider-code";
import { appSchema, reviewAppsSchema } from "../../config/schema";
import type { StackKind } from "../../config/validate";
import { capture, one, ofType } from "../support/stacks";

const T = (name: string) => `pulumi-nodejs:dynamic/heroku:${name}`;
const APP_ID = stableUuid("heroku", "App", "web-app");
const P = { __provider: PLAN_PROVIDER_TEXT };

// The committed stacks' app settings (Pulumi.production.yaml, Pulumi.staging.yaml).
const production = {
  ...appSchema.parse({
    name: "acme-web",
    formation: {
      web: { quantity: 2, size: "standard-2x" },
      worker: { quantity: 1, size: "standard-1x" },
    },
    configVars: { NODE_ENV: "production", LOG_LEVEL: "info", WEB_CONCURRENCY: "2" },
    features: ["preboot"],
    acm: true,
  }),
  name: "acme-web",
};
const staging = {
  ...appSchema.parse({
    name: "acme-web-staging",
    formation: { web: { quantity: 1, size: "standard-1x" } },
    configVars: { NODE_ENV: "production", LOG_LEVEL: "debug" },
  }),
  name: "acme-web-staging",
};
const reviewApps = reviewAppsSchema.parse({});
/** A review stack's app, as the lead builds it from the review profile. */
const review = {
  ...appSchema.parse({
    name: "acme-web-pr-42",
    addons: reviewApps.addons,
    formation: { web: { quantity: 1, size: reviewApps.size } },
  }),
  name: "acme-web-pr-42",
};

async function app(stack: StackKind, args: Partial<HerokuAppArgs> = {}): Promise<CapturedStack> {
  const settings = { production, staging, review }[stack];
  return capture(() => new HerokuApp("web", { kind: stack, settings, ...args }), {
    stack: stack === "review" ? "review-pr-42" : stack,
  });
}

/** Resources by name: registration order depends on when inputs resolve. */
const byName = (resources: readonly CapturedResource[]) =>
  [...resources].sort((a, b) => a.name.localeCompare(b.name));
const children = (stack: CapturedStack, type: string) =>
  byName(stack.resources.filter((r) => r.parent === one(stack, type).urn));

describe("HerokuApp", () => {
  test("production: app, config vars, formation and preboot; app and config vars protected", async () => {
    const stack = await app("production", {
      secretConfigVars: { SESSION_SECRET: pulumi.secret("s3cret"), DATABASE_URL: "postgres://db" },
      releaseWebhookUrl: "https://hooks.example.com/releases",
    });
    const component = one(stack, HEROKU_APP_TYPE, "web");
    expect(component.inputs).toEqual({ kind: "production", appName: "acme-web" });
    expect(
      children(stack, HEROKU_APP_TYPE).map((r) => [
        r.type,
        r.name,
        r.protect,
        r.deleteBeforeReplace,
      ]),
    ).toEqual([
      [T("App"), "web-app", true, true],
      [T("ConfigVars"), "web-config", true, true],
      [T("AppFeature"), "web-feature-preboot", false, true],
      [T("AppFeature"), "web-feature-runtime-dyno-metadata", false, true],
      [T("Formation"), "web-formation", false, true],
      [T("AppWebhook"), "web-release-webhook", false, true],
    ]);
    expect(one(stack, T("App")).inputs).toEqual({
      ...P,
      name: "acme-web",
      region: "us",
      stack: "heroku-24",
      buildpacks: ["heroku/nodejs"],
      maintenance: false,
      acm: true,
    });
    const config = one(stack, T("ConfigVars"));
    expect(config.inputs).toEqual({
      ...P,
      app: APP_ID,
      vars: { NODE_ENV: "production", LOG_LEVEL: "info", WEB_CONCURRENCY: "2" },
      secretVars: {
        SESSION_SECRET: new Secret("s3cret"),
        DATABASE_URL: new Secret("postgres://db"),
      },
    });
    expect(config.additionalSecretOutputs).toEqual(["secretVars"]);
    expect(one(stack, T("Formation")).inputs).toEqual({
      ...P,
      app: APP_ID,
      formation: {
        web: { quantity: 2, size: "standard-2x" },
        worker: { quantity: 1, size: "standard-1x" },
      },
    });
    expect(one(stack, T("AppFeature"), "web-feature-preboot").inputs).toEqual({
      ...P,
      app: APP_ID,
      feature: "preboot",
      enabled: true,
    });
    const hook = one(stack, T("AppWebhook"));
    expect(hook.inputs).toEqual({
      ...P,
      app: APP_ID,
      url: "https://hooks.example.com/releases",
      include: ["api:release"],
      level: "notify",
    });
    expect(hook.additionalSecretOutputs).toEqual(["secret"]);
    expect(stack.resources.find((r) => r.urn === component.urn)?.protect).toBe(false);
  });

  test("the component's outputs are the app's name, id and web URL", async () => {
    let outputs: pulumi.Output<string[]> | undefined;
    await capture(() => {
      const web = new HerokuApp("web", { kind: "staging", settings: staging });
      outputs = pulumi.all([web.name, web.id, web.webUrl]);
    });
    const values = await new Promise<string[]>((resolve) => outputs!.apply(resolve));
    expect(values).toEqual([
      "acme-web-staging",
      stableUuid("heroku", "App", "web-app"),
      expect.stringMatching(/^https:\/\/acme-web-staging-[0-9a-f]{12}\.herokuapp\.com\/$/),
    ]);
  });

  test("staging: nothing protected, runtime dyno metadata its only feature, no webhook", async () => {
    const stack = await app("staging");
    expect(children(stack, HEROKU_APP_TYPE).map((r) => [r.type, r.name, r.protect])).toEqual([
      [T("App"), "web-app", false],
      [T("ConfigVars"), "web-config", false],
      [T("AppFeature"), "web-feature-runtime-dyno-metadata", false],
      [T("Formation"), "web-formation", false],
    ]);
    expect(one(stack, T("AppFeature")).inputs).toEqual({
      ...P,
      app: APP_ID,
      feature: "runtime-dyno-metadata",
      enabled: true,
    });
    expect(one(stack, T("ConfigVars")).inputs).toEqual({
      ...P,
      app: APP_ID,
      vars: { NODE_ENV: "production", LOG_LEVEL: "debug" },
      secretVars: {},
    });
  });

  test("runtime-dyno-metadata listed in the config is declared once", async () => {
    const stack = await capture(() => {
      new HerokuApp("web", {
        kind: "staging",
        settings: { ...staging, features: ["runtime-dyno-metadata", "preboot"] },
      });
    });
    expect(ofType(stack, T("AppFeature")).map((r) => r.name)).toEqual([
      "web-feature-runtime-dyno-metadata",
      "web-feature-preboot",
    ]);
  });

  test("review: the review add-ons and one small web dyno, nothing protected", async () => {
    const stack = await app("review");
    expect(children(stack, HEROKU_APP_TYPE).map((r) => [r.type, r.name, r.protect])).toEqual([
      [T("Addon"), "web-addon-heroku-postgresql", false],
      [T("App"), "web-app", false],
      [T("ConfigVars"), "web-config", false],
      [T("AppFeature"), "web-feature-runtime-dyno-metadata", false],
      [T("Formation"), "web-formation", false],
    ]);
    expect(one(stack, T("Addon")).inputs).toEqual({
      ...P,
      app: APP_ID,
      plan: "heroku-postgresql:essential-0",
    });
    expect(one(stack, T("Addon")).state).toMatchObject({ configVarNames: ["DATABASE_URL"] });
    expect(one(stack, T("Formation")).inputs["formation"]).toEqual({
      web: { quantity: 1, size: "basic" },
    });
  });

  test("add-ons are protected in production (their data goes with them); drains and webhooks are not", async () => {
    const settings = {
      ...production,
      addons: ["heroku-redis:mini", "heroku-redis:premium-0"],
      logDrains: ["syslog+tls://logs.example.com:6514", "https://logs.example.com/in"],
      webhooks: [
        {
          url: "https://hooks.example.com/heroku",
          include: ["api:build" as const],
          level: "sync" as const,
        },
      ],
    };
    const stack = await capture(() => new HerokuApp("web", { kind: "production", settings }), {
      stack: "production",
    });
    expect(ofType(stack, T("Addon")).map((r) => [r.name, r.protect, r.inputs["plan"]])).toEqual([
      ["web-addon-heroku-redis", true, "heroku-redis:mini"],
      ["web-addon-heroku-redis-2", true, "heroku-redis:premium-0"],
    ]);
    // Named by position (a host is part of the secret), the URL a secret in and out.
    expect(
      byName(ofType(stack, T("LogDrain"))).map((r) => [
        r.name,
        r.protect,
        r.inputs["url"],
        r.additionalSecretOutputs,
      ]),
    ).toEqual([
      ["web-drain-1", false, new Secret("syslog+tls://logs.example.com:6514"), ["url"]],
      ["web-drain-2", false, new Secret("https://logs.example.com/in"), ["url"]],
    ]);
    expect(one(stack, T("AppWebhook")).name).toBe("web-webhook-hooks-example-com");
    expect(one(stack, T("LogDrain"), "web-drain-1").state["token"]).toBe(
      `d.${stableUuid("heroku", "drain-token", "web-drain-1")}`,
    );
  });

  test("a config var both plain and secret is a mistake that names the key", async () => {
    await expect(
      app("staging", { secretConfigVars: { LOG_LEVEL: pulumi.secret("x") } }),
    ).rejects.toThrow(
      "slipway:app.configVars.LOG_LEVEL: is also a secret config var (from slipway:secretConfigVars, or DATABASE_URL, which the stack's RDS database sets). Allowed: each config var either plain or secret. Fix: pulumi config rm --path 'slipway:app.configVars.LOG_LEVEL' (keep the secret).",
    );
  });

  test("a team app passes its team", async () => {
    const stack = await capture(
      () => new HerokuApp("web", { kind: "staging", settings: { ...staging, team: "acme" } }),
    );
    expect(one(stack, T("App")).inputs["team"]).toBe("acme");
  });

  test("DATABASE_URL as a secret next to a Postgres add-on is warned about", async () => {
    const captured = await app("review", { secretConfigVars: { DATABASE_URL: "postgres://x" } });
    expect(captured.warnings).toEqual([
      expect.stringMatching(
        /^DATABASE_URL is set as a secret config var and the heroku-postgresql add-on sets it too/,
      ),
    ]);
  });

  test.each([
    ["no release webhook", [], undefined, [], undefined],
    [
      "a release webhook of its own",
      [],
      "https://r.example.com",
      [],
      { url: "https://r.example.com", include: ["api:release"], level: "notify" },
    ],
    [
      "a webhook with the release URL gets the event",
      [{ url: "https://r.example.com", include: ["api:build"], level: "sync" }],
      "https://r.example.com",
      [{ url: "https://r.example.com", include: ["api:build", "api:release"], level: "sync" }],
      undefined,
    ],
  ])("webhooksOf: %s", (_what, hooks, url, own, release) => {
    expect(webhooksOf(hooks as never, url)).toEqual(
      release ? { webhooks: own, release } : { webhooks: own },
    );
  });

  test("child names from hosts, numbered when they repeat", () => {
    expect(hostKey("syslog+tls://Logs.Example.com:6514")).toBe("logs-example-com");
    expect(hostKey("not a url")).toBe("not-a-url");
    expect(hostKey("://")).toBe("url");
    expect(uniqueNames(["a", "b", "a", "a"], (x) => x)).toEqual([
      ["a", "a"],
      ["b", "b"],
      ["a-2", "a"],
      ["a-3", "a"],
    ]);
  });
});

describe("DeliveryPipeline", () => {
  const PIPELINE_ID = stableUuid("heroku", "Pipeline", "pipeline-pipeline");

  async function pipeline(args: (web: HerokuApp) => DeliveryPipelineArgs, stack = "production") {
    let id: pulumi.Output<string> | undefined;
    const captured = await capture(
      () => {
        const web = new HerokuApp("web", { kind: "production", settings: production });
        id = new DeliveryPipeline("pipeline", args(web)).pipelineId;
      },
      { stack },
    );
    const pipelineId = await new Promise<string>((resolve) => id!.apply(resolve));
    return { captured, pipelineId };
  }

  test("production: the pipeline (protected), the production coupling and review apps once connected", async () => {
    const { captured, pipelineId } = await pipeline((web) => ({
      pipeline: { name: "acme-web", team: "acme" },
      app: web,
      stage: "production",
      reviewApps: { settings: { ...reviewApps, githubConnected: true }, repo: "acme/acme-web" },
    }));
    expect(one(captured, DELIVERY_PIPELINE_TYPE).inputs).toEqual({
      stage: "production",
      pipelineName: "acme-web",
    });
    expect(
      children(captured, DELIVERY_PIPELINE_TYPE).map((r) => [r.type, r.name, r.protect]),
    ).toEqual([
      [T("Pipeline"), "pipeline-pipeline", true],
      [T("PipelineCoupling"), "pipeline-production", false],
      [T("ReviewAppConfig"), "pipeline-review-apps", false],
    ]);
    expect(one(captured, T("Pipeline")).inputs).toEqual({ ...P, name: "acme-web", team: "acme" });
    expect(one(captured, T("PipelineCoupling")).inputs).toEqual({
      ...P,
      app: APP_ID,
      pipeline: PIPELINE_ID,
      stage: "production",
    });
    expect(one(captured, T("ReviewAppConfig")).inputs).toEqual({
      ...P,
      pipeline: PIPELINE_ID,
      repo: "acme/acme-web",
      automaticReviewApps: false,
      destroyStaleApps: true,
      staleDays: 5,
      waitForCi: true,
    });
    expect(pipelineId).toBe(PIPELINE_ID);
  });

  test("production before GitHub is connected: no review-app config, and a warning saying how", async () => {
    const { captured } = await pipeline((web) => ({
      pipeline: { name: "acme-web" },
      app: web,
      stage: "production",
      reviewApps: { settings: reviewApps, repo: "acme/acme-web" },
    }));
    expect(ofType(captured, T("ReviewAppConfig"))).toEqual([]);
    expect(one(captured, T("Pipeline")).inputs).toEqual({ ...P, name: "acme-web" });
    expect(captured.warnings).toEqual([
      "Heroku review apps stay off until pipeline acme-web is connected to GitHub (acme/acme-web): " +
        "connect it once in the Heroku Dashboard (pipeline, Settings, Connect to GitHub) or with " +
        "`heroku pipelines:connect acme-web --repo acme/acme-web`, then " +
        "`pulumi config set --path slipway:reviewApps.githubConnected true`. See docs/heroku.md.",
    ]);
  });

  test.each([
    ["staging", "staging"],
    ["review-pr-42", "review"],
  ] as const)(
    "%s couples its app (by id) into production's pipeline only",
    async (stack, stage) => {
      const fromProduction = pulumi.output("01234567-89ab-4cde-8f01-000000000042");
      const { captured, pipelineId } = await pipeline(
        () => ({ pipeline: { id: fromProduction }, app: "app-id-1", stage }),
        stack,
      );
      expect(
        children(captured, DELIVERY_PIPELINE_TYPE).map((r) => [r.type, r.name, r.protect]),
      ).toEqual([[T("PipelineCoupling"), `pipeline-${stage}`, false]]);
      expect(one(captured, T("PipelineCoupling")).inputs).toEqual({
        ...P,
        app: "app-id-1",
        pipeline: "01234567-89ab-4cde-8f01-000000000042",
        stage,
      });
      expect(pipelineId).toBe("01234567-89ab-4cde-8f01-000000000042");
    },
  );

  test("review apps need the pipeline the component creates", async () => {
    await expect(
      pipeline(() => ({
        pipeline: { id: "p" },
        app: "a",
        stage: "staging",
        reviewApps: { settings: reviewApps, repo: "acme/acme-web" },
      })),
    ).rejects.toThrow("DeliveryPipeline: reviewApps needs the pipeline this component creates");
  });
});
