import type { StackPlan } from "../../cli/plan";
import { exitCodeFor } from "../../cli/plan";
import { render, toJson } from "../../cli/plan/render";
import { Secret, UNKNOWN } from "../../cli/plan/values";
import { capturedResource } from "../support/stacks";

const ROOT = "urn:pulumi:production::slipway::pulumi:pulumi:Stack::slipway-production";
const APP_COMPONENT = "urn:pulumi:production::slipway::slipway:heroku:HerokuApp::web";

const resource = capturedResource;

const production: StackPlan = {
  project: "slipway",
  stack: "production",
  kind: "production",
  file: "Pulumi.production.yaml",
  resources: [
    resource({ urn: ROOT, type: "pulumi:pulumi:Stack", name: "slipway-production", custom: false }),
    resource({
      urn: APP_COMPONENT,
      type: "slipway:heroku:HerokuApp",
      name: "web",
      parent: ROOT,
      protect: true,
      custom: false,
    }),
    resource({
      urn: "urn:pulumi:production::slipway::slipway:heroku:HerokuApp$pulumi-nodejs:dynamic/heroku:App::web",
      type: "pulumi-nodejs:dynamic/heroku:App",
      name: "web",
      parent: APP_COMPONENT,
      protect: true,
      inputs: { name: "acme-web", __provider: "exports.handler = ...", apiUrl: UNKNOWN },
    }),
    resource({
      urn: "urn:pulumi:production::slipway::slipway:heroku:HerokuApp$pulumi-nodejs:dynamic/heroku:ConfigVars::web-config",
      type: "pulumi-nodejs:dynamic/heroku:ConfigVars",
      name: "web-config",
      parent: APP_COMPONENT,
      protect: true,
      inputs: {
        vars: { NODE_ENV: "production" },
        secretVars: { DATABASE_URL: new Secret("postgres://u:p@h/db") },
      },
    }),
    resource({
      urn: "urn:pulumi:production::slipway::aws:rds/instance:Instance::db",
      type: "aws:rds/instance:Instance",
      name: "db",
      parent: ROOT,
      protect: true,
      inputs: { identifier: "acme-web-db" },
    }),
  ],
  outputs: { webUrl: "https://acme-web.herokuapp.com/", databaseUrl: new Secret("x") },
  violations: [
    {
      policy: "heroku-preboot",
      enforcementLevel: "advisory",
      urn: APP_COMPONENT,
      message: "preboot is off | fix it",
    },
    { policy: "pipeline-couplings", enforcementLevel: "mandatory", message: "no staging coupling" },
  ],
};

const staging: StackPlan = {
  project: "slipway",
  stack: "staging",
  kind: "staging",
  file: "Pulumi.staging.yaml",
  resources: [
    resource({
      urn: "urn:pulumi:staging::slipway::pulumi:pulumi:Stack::slipway-staging",
      type: "pulumi:pulumi:Stack",
      name: "slipway-staging",
      custom: false,
    }),
  ],
  outputs: {},
  violations: [],
};

describe("render", () => {
  test("json has the DESIGN.md shape, hides secrets and the serialized provider", () => {
    const json = JSON.parse(render([production], "json")) as ReturnType<typeof toJson>;
    expect(json.stacks).toHaveLength(1);
    const [stack] = json.stacks;
    expect(Object.keys(stack ?? {})).toEqual([
      "stack",
      "kind",
      "resources",
      "violations",
      "outputs",
    ]);
    expect(stack?.resources[2]).toEqual({
      urn: "urn:pulumi:production::slipway::slipway:heroku:HerokuApp$pulumi-nodejs:dynamic/heroku:App::web",
      type: "pulumi-nodejs:dynamic/heroku:App",
      name: "web",
      parent: APP_COMPONENT,
      protect: true,
      inputs: { name: "acme-web", apiUrl: "[unknown]" },
    });
    expect(stack?.resources[0]?.parent).toBeNull();
    expect(stack?.resources[3]?.inputs).toEqual({
      vars: { NODE_ENV: "production" },
      secretVars: { DATABASE_URL: "[secret]" },
    });
    expect(stack?.violations).toEqual([
      {
        policy: "heroku-preboot",
        enforcementLevel: "advisory",
        urn: APP_COMPONENT,
        message: "preboot is off | fix it",
      },
      {
        policy: "pipeline-couplings",
        enforcementLevel: "mandatory",
        urn: null,
        message: "no staging coupling",
      },
    ]);
    expect(stack?.outputs).toEqual({
      webUrl: "https://acme-web.herokuapp.com/",
      databaseUrl: "[secret]",
    });
    expect(render([production], "json")).not.toContain("postgres://");
  });

  test("text is a tree by parent with protection marks, violations and a summary", () => {
    expect(render([production, staging], "text")).toBe(
      [
        "stack production (production): 5 resources",
        "  pulumi:pulumi:Stack slipway-production",
        "  ├─ slipway:heroku:HerokuApp web [protected]",
        "  │  ├─ pulumi-nodejs:dynamic/heroku:App web [protected]",
        "  │  └─ pulumi-nodejs:dynamic/heroku:ConfigVars web-config [protected]",
        "  └─ aws:rds/instance:Instance db [protected]",
        "  policies: 2 violations",
        "  advisory  heroku-preboot: preboot is off | fix it",
        `            at ${APP_COMPONENT}`,
        "  mandatory pipeline-couplings: no staging coupling",
        "",
        "stack staging (staging): 1 resource",
        "  pulumi:pulumi:Stack slipway-staging",
        "  policies: no violations",
        "",
        "2 stacks, 6 resources, 1 mandatory and 1 advisory violations",
        "",
      ].join("\n"),
    );
  });

  test("markdown has a summary table, a Mermaid diagram of the stages and per-stack details", () => {
    const markdown = render([production, staging], "markdown");
    expect(markdown).toContain(
      "| production | production | 5 | 1 | 1 |\n| staging | staging | 1 | 0 | 0 |",
    );
    expect(markdown).toContain(
      [
        "```mermaid",
        "flowchart LR",
        '  subgraph review["review stacks"]',
        '    review_none["one app per pull request"]',
        "  end",
        '  subgraph staging["staging"]',
        "  end",
        '  subgraph production["production"]',
        '    production_web["app acme-web"]',
        '    production_db[("RDS acme-web-db")]',
        "    production_web -.- production_db",
        "  end",
        '  review -- "merge to the staging branch" --> staging',
        '  staging -- "slipway promote" --> production',
        "```",
      ].join("\n"),
    );
    expect(markdown).toContain(
      "| advisory | `heroku-preboot` | `web` | preboot is off \\| fix it |",
    );
    expect(markdown).toContain(
      "| mandatory | `pipeline-couplings` | stack | no staging coupling |",
    );
    expect(markdown).toContain("| web | `slipway:heroku:HerokuApp` | yes |");
  });
});

describe("exitCodeFor", () => {
  test("1 when any stack has a mandatory violation, else 0", () => {
    expect(exitCodeFor([production, staging])).toBe(1);
    expect(exitCodeFor([staging])).toBe(0);
    expect(exitCodeFor([{ ...production, violations: production.violations.slice(0, 1) }])).toBe(0);
  });
});

describe("text: wrapping and counts", () => {
  test("a message's later lines keep the entry's indentation; one of each is singular", () => {
    const text = render(
      [
        {
          project: "slipway",
          stack: "production",
          kind: "production",
          file: "Pulumi.production.yaml",
          resources: [],
          outputs: {},
          violations: [
            {
              policy: "production-alarms-reach-someone",
              enforcementLevel: "mandatory",
              urn: "urn:pulumi:production::slipway::aws:sns/topic:Topic::alerting-topic",
              message: "Every topic has a subscriber.\nalerting-topic has no subscription.",
            },
          ],
        },
      ],
      "text",
    );
    expect(text.split("\n")).toEqual([
      "stack production (production): 0 resources",
      "  policies: 1 violation",
      "  mandatory production-alarms-reach-someone: Every topic has a subscriber.",
      "            alerting-topic has no subscription.",
      "            at urn:pulumi:production::slipway::aws:sns/topic:Topic::alerting-topic",
      "",
      "1 stack, 0 resources, 1 mandatory and 0 advisory violation",
      "",
    ]);
  });
});
