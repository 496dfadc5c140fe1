// The Heroku policies on what the committed stacks never declare: a stack of no known kind, a
// coupling or feature of another app, a disabled feature, a process with no quantity or size, a
// formation or config vars resource with nothing in it. Found by mutation testing
// (docs/mutation.md).
import type { CapturedResource } from "../../cli/plan/capture";
import { patch, violationsOf } from "./support";
import type { StackValues } from "../support/stacks";

const HEROKU = "pulumi-nodejs:dynamic/heroku:";
const FORMATION = `${HEROKU}Formation`;
const second = (found: { message: string }[]) => found.map((f) => f.message.split("\n")[1]);
const review = {
  as: "review-login-form",
  edit: (values: StackValues) =>
    ((values["slipway:app"] as Record<string, unknown>)["name"] = "acme-web-pr-login"),
};
/** The resources with `name` no longer depending on the app. */
const detached = (name: string) => (resources: CapturedResource[]) =>
  resources.map((r) =>
    r.name === name
      ? { ...r, dependencies: r.dependencies.filter((d) => !d.endsWith("::app-app")) }
      : r,
  );
const setFormation = (formation: unknown) =>
  patch(FORMATION, "app-formation", (inputs) => {
    if (formation === undefined) delete inputs["formation"];
    else inputs["formation"] = formation;
  });

describe("pipeline-stages-coupled", () => {
  test("a stack of no known kind is left alone", async () => {
    // Only the app and its coupling, in a stack named neither production, staging nor review-*.
    const found = await violationsOf("pipeline-stages-coupled", "staging", {
      mutate: (resources) =>
        resources
          .filter((r) => r.type === `${HEROKU}App` || r.type === `${HEROKU}PipelineCoupling`)
          .map((r) => ({
            ...r,
            urn: r.urn.replace("urn:pulumi:staging::", "urn:pulumi:sandbox::"),
          })),
    });
    expect(found).toEqual([]);
  });

  test("a coupling at the right stage that belongs to no app couples none", async () => {
    const found = await violationsOf("pipeline-stages-coupled", "staging", {
      mutate: detached("pipeline-staging"),
    });
    expect(second(found)).toEqual(["app-app is not coupled to the pipeline at the staging stage."]);
  });
});

describe("production-web-dynos", () => {
  test("a web process with neither quantity nor size runs 0 unsized dynos", async () => {
    const found = await violationsOf("production-web-dynos", "production", {
      mutate: setFormation({ web: {} }),
    });
    expect(second(found)).toEqual([
      "Production runs 0 web dynos; at least 2 are required.",
      "Production's web dynos are unsized, which has neither preboot nor metrics; use standard-1x or larger.",
    ]);
  });

  test("a formation resource with no processes declares no web process", async () => {
    const found = await violationsOf("production-web-dynos", "production", {
      mutate: setFormation(undefined),
    });
    expect(second(found)).toEqual(["Production declares no web process."]);
  });

  test("the small sizes are tunable", async () => {
    const found = await violationsOf("production-web-dynos", "production", {
      config: { "production-web-dynos": { smallSizes: ["standard-2x"] } },
    });
    expect(second(found)).toEqual([
      "Production's web dynos are standard-2x, which has neither preboot nor metrics; use standard-1x or larger.",
    ]);
  });
});

describe("production-preboot", () => {
  test.each([
    [
      "disabled",
      patch(`${HEROKU}AppFeature`, "app-feature-preboot", (inputs) => (inputs["enabled"] = false)),
    ],
    ["of no app", detached("app-feature-preboot")],
    // A feature that depends on something, just not on the app.
    [
      "of the pipeline",
      (resources: CapturedResource[]) =>
        resources.map((r) =>
          r.name === "app-feature-preboot"
            ? { ...r, dependencies: [resources.find((p) => p.name === "pipeline-pipeline")!.urn] }
            : r,
        ),
    ],
  ])("preboot %s does not count", async (_how, mutate) => {
    const found = await violationsOf("production-preboot", "production", { mutate });
    expect(second(found)).toEqual(["app-app does not enable preboot."]);
  });
});

describe("secret-config-vars", () => {
  test("only config vars resources are read", async () => {
    const found = await violationsOf("secret-config-vars", "staging", {
      mutate: patch(`${HEROKU}App`, "app-app", (inputs) => (inputs["vars"] = { API_KEY: "x" })),
    });
    expect(found).toEqual([]);
  });

  test("a config vars resource without plain vars passes", async () => {
    const found = await violationsOf("secret-config-vars", "staging", {
      mutate: patch(`${HEROKU}ConfigVars`, "app-config", (inputs) => delete inputs["vars"]),
    });
    expect(found).toEqual([]);
  });
});

describe("review-stacks-ephemeral", () => {
  test("only formation resources are held to the sizes", async () => {
    const found = await violationsOf("review-stacks-ephemeral", "staging", {
      ...review,
      mutate: patch(`${HEROKU}App`, "app-app", (inputs) => {
        inputs["formation"] = { web: { quantity: 2, size: "performance-l" } };
      }),
    });
    expect(found).toEqual([]);
  });

  test("a process with neither quantity nor size runs 0 unsized dynos, which fails", async () => {
    const found = await violationsOf("review-stacks-ephemeral", "staging", {
      ...review,
      mutate: setFormation({ web: {} }),
    });
    expect(second(found)).toEqual([
      "web runs 0 unsized dynos; a review app runs at most one of eco, basic, standard-1x.",
    ]);
  });

  test("two dynos of an allowed size fail", async () => {
    const found = await violationsOf("review-stacks-ephemeral", "staging", {
      ...review,
      mutate: setFormation({ web: { quantity: 2, size: "basic" } }),
    });
    expect(second(found)).toEqual([
      "web runs 2 basic dynos; a review app runs at most one of eco, basic, standard-1x.",
    ]);
  });

  test("a formation resource with no processes passes", async () => {
    const found = await violationsOf("review-stacks-ephemeral", "staging", {
      ...review,
      mutate: setFormation(undefined),
    });
    expect(found).toEqual([]);
  });

  test("the sizes are tunable", async () => {
    const found = await violationsOf("review-stacks-ephemeral", "staging", {
      ...review,
      config: { "review-stacks-ephemeral": { sizes: ["eco", "standard-1x"] } },
    });
    expect(second(found)).toEqual([
      "web runs 1 basic dynos; a review app runs at most one of eco, standard-1x.",
    ]);
  });
});
