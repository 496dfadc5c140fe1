import { crossStackProblems } from "../../cli/plan/cross-stack";
import { stackConfigFromValues } from "../../cli/plan/stack-files";

const stack = (name: string, values: Record<string, unknown>) =>
  stackConfigFromValues(name, `/project/Pulumi.${name}.yaml`, values);

const production = stack("production", { "slipway:app": { name: "acme-web" } });
const staging = (app: string, pipeline: Record<string, unknown> = {}) =>
  stack("staging", { "slipway:app": { name: app }, "slipway:pipeline": pipeline });

describe("the project's stacks read together", () => {
  test("an app name another stack uses is refused, naming both files", () => {
    expect(crossStackProblems([production, staging("acme-web")], "slipway", true)).toEqual([
      {
        key: "slipway:app.name in Pulumi.staging.yaml",
        message:
          'got "acme-web", which stack production (Pulumi.production.yaml) names its app too; ' +
          "Heroku app names are global, so two stacks would fight over one app. Allowed: a name " +
          "no other stack of this project uses. Fix: pulumi config set --path 'slipway:app.name' " +
          "acme-web-staging --stack staging",
      },
    ]);
  });

  test.each([
    ["the default", {}, '"production" (the default)', "Pulumi.production.yaml"],
    ["a name", { productionStack: "prod" }, '"prod"', "Pulumi.prod.yaml"],
    [
      "org/project/name",
      { productionStack: "acme/slipway/prod" },
      '"acme/slipway/prod"',
      "Pulumi.prod.yaml",
    ],
  ])(
    "with every stack planned, a productionStack (%s) with no file is refused",
    (_label, pipeline, shown, file) => {
      expect(crossStackProblems([staging("acme-web-staging", pipeline)], "slipway", true)).toEqual([
        {
          key: "slipway:pipeline.productionStack in Pulumi.staging.yaml",
          message:
            `got ${shown}, but this project has no ${file}, so the stack's pipeline reference ` +
            "would find nothing. Allowed: one of staging. Fix: pulumi config set --path " +
            "'slipway:pipeline.productionStack' <stack> --stack staging, or add " +
            `${file}.`,
        },
      ]);
    },
  );

  test.each([
    ["one stack planned: the other file may live elsewhere", [staging("acme-web-staging")], false],
    [
      "another project's stack",
      [staging("acme-web-staging", { productionStack: "acme/other/production" })],
      true,
    ],
    [
      "distinct names and the production file present",
      [production, staging("acme-web-staging")],
      true,
    ],
  ])("accepted: %s", (_label, configs, everyStack) => {
    expect(crossStackProblems(configs, "slipway", everyStack)).toEqual([]);
  });
});
