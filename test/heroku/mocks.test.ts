// `slipway plan`'s mock outputs for the Heroku resources: the same outputs the providers give.
import { mockResource, stableHex, stableUuid } from "../../cli/plan/mocks";

const T = (name: string) => `pulumi-nodejs:dynamic/heroku:${name}`;
const mock = (type: string, name: string, inputs: Record<string, unknown>) =>
  mockResource(
    { type: T(type), name, inputs },
    {
      awsRegion: "us-east-1",
      stackOutputs: () => undefined,
    },
  );

test.each([
  ["ConfigVars", { app: "app-id", vars: {} }, "app-id", {}],
  ["Formation", { app: "app-id", formation: {} }, "app-id", {}],
  ["ReviewAppConfig", { pipeline: "p-id", repo: "acme/acme-web" }, "p-id", {}],
  [
    "Addon",
    { app: "a", plan: "heroku-postgresql:essential-0" },
    stableUuid("heroku", "Addon", "r"),
    {
      addonId: stableUuid("heroku", "Addon", "r"),
      name: `postgresql-${parseInt(stableHex(5, "r"), 16) % 100000}`,
      configVarNames: ["DATABASE_URL"],
    },
  ],
  [
    "Addon",
    { app: "a", plan: "scheduler", name: "acme-cron" },
    stableUuid("heroku", "Addon", "r"),
    { name: "acme-cron", configVarNames: [] },
  ],
  [
    "Pipeline",
    { name: "acme-web", team: "acme" },
    stableUuid("heroku", "Pipeline", "r"),
    {
      pipelineId: stableUuid("heroku", "Pipeline", "r"),
      ownerId: stableUuid("heroku", "owner", "acme"),
      ownerType: "team",
    },
  ],
  ["Pipeline", { name: "acme-web" }, stableUuid("heroku", "Pipeline", "r"), { ownerType: "user" }],
  [
    "AppWebhook",
    { app: "a" },
    stableUuid("heroku", "AppWebhook", "r"),
    { secret: stableHex(64, "webhook-secret", "r") },
  ],
  [
    "LogDrain",
    { app: "a" },
    stableUuid("heroku", "LogDrain", "r"),
    { token: `d.${stableUuid("heroku", "drain-token", "r")}` },
  ],
  ["AppFeature", { app: "a", feature: "preboot" }, stableUuid("heroku", "AppFeature", "r"), {}],
])("%s %j", (type, inputs, id, outputs) => {
  const result = mock(type, "r", inputs);
  expect(result.id).toBe(id);
  expect(result.state).toMatchObject({ ...inputs, ...outputs });
});
