import type { CapturedResource } from "../../cli/plan/capture";
import { patch, urnOf, violationsOf, without } from "./support";
import type { StackValues } from "../support/stacks";

const HEROKU = "pulumi-nodejs:dynamic/heroku:";
const second = (found: { message: string }[]) => found.map((f) => f.message.split("\n")[1]);
type App = Record<string, unknown>;
const app = (edit: (a: App) => void) => (values: StackValues) => edit(values["slipway:app"] as App);
const review = { as: "review-login-form", edit: app((a) => (a["name"] = "acme-web-pr-login")) };

describe.each([
  ["production", {}],
  ["staging", {}],
  ["review-login-form", review],
])("the committed %s stack", (stack, test) => {
  it.each([
    "pipeline-stages-coupled",
    "production-web-dynos",
    "production-preboot",
    "secret-config-vars",
    "review-stacks-ephemeral",
  ])("passes %s", async (policy) => {
    expect(
      await violationsOf(policy, stack === "review-login-form" ? "staging" : stack, test),
    ).toEqual([]);
  });
});

describe("pipeline-stages-coupled", () => {
  test("fails production without its coupling or its pipeline", async () => {
    const found = await violationsOf("pipeline-stages-coupled", "production", {
      mutate: without(
        (r) => r.type === `${HEROKU}PipelineCoupling` || r.type === `${HEROKU}Pipeline`,
      ),
    });
    expect(found.map((f) => [f.urn, f.message.split("\n")[1]])).toEqual([
      [undefined, "The production stack declares no Heroku pipeline."],
      [
        urnOf("production", `slipway:heroku:HerokuApp$${HEROKU}App`, "app-app"),
        "app-app is not coupled to the pipeline at the production stage.",
      ],
    ]);
  });

  test("fails staging coupled at the wrong stage", async () => {
    const found = await violationsOf("pipeline-stages-coupled", "staging", {
      mutate: patch(
        `${HEROKU}PipelineCoupling`,
        "pipeline-staging",
        (inputs) => (inputs["stage"] = "production"),
      ),
    });
    expect(second(found)).toEqual(["app-app is not coupled to the pipeline at the staging stage."]);
  });
});

describe("production-web-dynos", () => {
  test.each([
    [
      { quantity: 1, size: "standard-1x" },
      ["Production runs 1 web dynos; at least 2 are required."],
    ],
    [
      { quantity: 1, size: "basic" },
      [
        "Production runs 1 web dynos; at least 2 are required.",
        "Production's web dynos are basic, which has neither preboot nor metrics; use standard-1x or larger.",
      ],
    ],
  ])("fails production with web %j", async (web, messages) => {
    const found = await violationsOf("production-web-dynos", "production", {
      edit: app((a) => {
        // Heroku runs an app's dynos in one tier and preboot needs standard dynos, so a basic
        // web dyno comes with a basic worker and no preboot, or the config is refused first.
        const basic = web.size === "basic";
        const formation = a["formation"] as Record<string, Record<string, unknown>>;
        formation["web"] = web;
        if (basic) formation["worker"] = { ...formation["worker"], size: "basic" };
        if (basic) a["features"] = (a["features"] as string[]).filter((f) => f !== "preboot");
      }),
    });
    expect(second(found)).toEqual(messages);
  });

  test("fails production without a web process", async () => {
    const found = await violationsOf("production-web-dynos", "production", {
      edit: app((a) => (a["formation"] = { worker: { quantity: 2, size: "standard-1x" } })),
    });
    expect(second(found)).toEqual(["Production declares no web process."]);
  });

  test("staging may run one dyno", async () => {
    expect(await violationsOf("production-web-dynos", "staging")).toEqual([]);
  });

  test("the minimum is tunable", async () => {
    const found = await violationsOf("production-web-dynos", "production", {
      config: { "production-web-dynos": { minimumWebDynos: 3 } },
    });
    expect(second(found)).toEqual(["Production runs 2 web dynos; at least 3 are required."]);
  });
});

describe("production-preboot", () => {
  test("fails production without preboot", async () => {
    const found = await violationsOf("production-preboot", "production", {
      edit: app((a) => (a["features"] = [])),
    });
    expect(found).toEqual([
      {
        policy: "production-preboot",
        enforcementLevel: "mandatory",
        urn: urnOf("production", `slipway:heroku:HerokuApp$${HEROKU}App`, "app-app"),
        message:
          "Production apps boot new dynos before old ones stop (preboot), so deploys drop no requests.\napp-app does not enable preboot.",
      },
    ]);
  });
});

// slipway plan and pulumi up refuse such config before any resource exists (config/secrets.ts);
// the policy is the same rule again on what a program declares, so these cases set the plain
// vars on the declared resource.
describe("secret-config-vars", () => {
  const plainVars = (vars: Record<string, string>) =>
    patch(`${HEROKU}ConfigVars`, "app-config", (inputs) => (inputs["vars"] = vars));

  test("flags plain config vars whose names look secret, and only those", async () => {
    const names = [
      "STRIPE_API_KEY",
      "GITHUB_TOKEN",
      "SESSION_SECRET",
      "SECRET_KEY_BASE",
      "DB_PASSWORD",
      "NODE_ENV",
      "KEYBOARD_LAYOUT",
      "READ_DATABASE_URL_FROM",
    ];
    const found = await violationsOf("secret-config-vars", "staging", {
      mutate: plainVars(Object.fromEntries(names.map((name) => [name, "value"]))),
    });
    expect(second(found)).toEqual([
      "Plain config vars that look secret: STRIPE_API_KEY, GITHUB_TOKEN, SESSION_SECRET, SECRET_KEY_BASE, DB_PASSWORD.",
    ]);
  });

  test("a plain DATABASE_URL is flagged where no RDS database provides it (a review stack)", async () => {
    const found = await violationsOf("secret-config-vars", "staging", {
      ...review,
      mutate: plainVars({ DATABASE_URL: "postgres://u:p@h/db" }),
    });
    expect(second(found)).toEqual(["Plain config vars that look secret: DATABASE_URL."]);
  });

  test("the policy config can replace the names, as patterns over _UPPER_SNAKE_CASE_", async () => {
    const found = await violationsOf("secret-config-vars", "staging", {
      mutate: plainVars({ LICENSE: "x", apiKey: "y" }),
      config: { "secret-config-vars": { patterns: ["^_LICENSE_$", "_KEY_$"] } },
    });
    expect(second(found)).toEqual(["Plain config vars that look secret: LICENSE, apiKey."]);
  });
});

describe("review-stacks-ephemeral", () => {
  const reviewCase = (mutate: (resources: CapturedResource[]) => CapturedResource[]) => ({
    ...review,
    mutate,
  });

  test("fails a protected resource, a big formation and a coupling outside the review stage", async () => {
    const found = await violationsOf(
      "review-stacks-ephemeral",
      "staging",
      reviewCase((resources) => {
        const changed = resources.map((r) => (r.name === "app-app" ? { ...r, protect: true } : r));
        patch(
          `${HEROKU}Formation`,
          "app-formation",
          (inputs) => (inputs["formation"] = { web: { quantity: 2, size: "performance-m" } }),
        )(changed);
        return patch(
          `${HEROKU}PipelineCoupling`,
          "pipeline-review",
          (inputs) => (inputs["stage"] = "staging"),
        )(changed);
      }),
    );
    expect(second(found)).toEqual([
      "app-app is protected.",
      "web runs 2 performance-m dynos; a review app runs at most one of eco, basic, standard-1x.",
      "pipeline-review couples at the staging stage.",
    ]);
  });

  test("fails an RDS database in a review stack", async () => {
    const found = await violationsOf(
      "review-stacks-ephemeral",
      "staging",
      reviewCase((resources) => [
        ...resources,
        {
          ...(resources[1] as CapturedResource),
          type: "aws:rds/instance:Instance",
          name: "db",
          urn: "urn:pulumi:review-login-form::slipway::aws:rds/instance:Instance::db",
          protect: false,
        },
      ]),
    );
    expect(second(found)).toEqual(["db is an RDS database."]);
  });
});
