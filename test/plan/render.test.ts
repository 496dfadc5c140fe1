import type { StackPlan } from "../../cli/plan";
import { exitCodeFor } from "../../cli/plan";
import { render, toJson, warningLines } from "../../cli/plan/render";
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
  warnings: [
    "slipway:github.token is not set | no branch protection",
    "db.t2.micro is old\nuse db.t4g.micro",
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
  warnings: [],
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
      "warnings",
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
    expect(stack?.warnings).toEqual([
      "slipway:github.token is not set | no branch protection",
      "db.t2.micro is old\nuse db.t4g.micro",
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
        "  warning   slipway:github.token is not set | no branch protection",
        "  warning   db.t2.micro is old",
        "            use db.t4g.micro",
        "  policies: 2 violations",
        "  advisory  heroku-preboot: preboot is off | fix it",
        `            at ${APP_COMPONENT}`,
        "  mandatory pipeline-couplings: no staging coupling",
        "",
        "stack staging (staging): 1 resource",
        "  pulumi:pulumi:Stack slipway-staging",
        "  policies: no violations",
        "",
        "2 stacks, 6 resources, 1 mandatory violation, 1 advisory, 2 warnings",
        "",
      ].join("\n"),
    );
  });

  test("markdown has a summary table, a Mermaid diagram of the stages and per-stack details", () => {
    const markdown = render([production, staging], "markdown");
    expect(markdown).toContain(
      [
        "## slipway plan",
        "",
        "2 stacks, 6 resources, 1 mandatory violation, 1 advisory, 2 warnings.",
        "",
        "Warnings:",
        "",
        "- **production**: slipway:github.token is not set \\| no branch protection",
        "- **production**: db.t2.micro is old use db.t4g.micro",
        "",
        "```mermaid",
      ].join("\n"),
    );
    expect(markdown).toContain(
      [
        "| Stack | Kind | Resources | Mandatory | Advisory | Warnings |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
        "| production | production | 5 | 1 | 1 | 2 |",
        "| staging | staging | 1 | 0 | 0 | 0 |",
      ].join("\n"),
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
          warnings: [],
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
      "1 stack, 0 resources, 1 mandatory violation, 0 advisory, 0 warnings",
      "",
    ]);
  });
});

describe("summary counts", () => {
  const violation = (enforcementLevel: "mandatory" | "advisory") => ({
    policy: "p",
    enforcementLevel,
    message: "m",
  });
  const withCounts = (mandatory: number, advisory: number, warnings: number): StackPlan => ({
    ...staging,
    violations: [
      ...Array.from({ length: mandatory }, () => violation("mandatory")),
      ...Array.from({ length: advisory }, () => violation("advisory")),
    ],
    warnings: Array.from({ length: warnings }, (_, i) => `w${i}`),
  });
  const lastLine = (plans: StackPlan[]) => render(plans, "text").trimEnd().split("\n").pop();

  test.each([
    [0, 0, 0, "1 stack, 1 resource, 0 mandatory violations, 0 advisory, 0 warnings"],
    [1, 0, 1, "1 stack, 1 resource, 1 mandatory violation, 0 advisory, 1 warning"],
    [0, 1, 2, "1 stack, 1 resource, 0 mandatory violations, 1 advisory, 2 warnings"],
    [2, 2, 0, "1 stack, 1 resource, 2 mandatory violations, 2 advisory, 0 warnings"],
  ])("%i mandatory, %i advisory, %i warnings", (mandatory, advisory, warnings, expected) => {
    expect(lastLine([withCounts(mandatory, advisory, warnings)])).toBe(expected);
  });

  test("two stacks: the counts add up", () => {
    expect(lastLine([withCounts(1, 0, 1), { ...withCounts(0, 2, 1), stack: "review-x" }])).toBe(
      "2 stacks, 2 resources, 1 mandatory violation, 2 advisory, 2 warnings",
    );
  });
});

describe("warningLines", () => {
  const plans = [production, staging, { ...staging, stack: "review-x", warnings: ["no token"] }];

  test.each(["json", "markdown"] as const)(
    "%s: stderr lines, each line of a warning named by its stack",
    (format) => {
      expect(warningLines(plans, format)).toBe(
        [
          "warning: [production] slipway:github.token is not set | no branch protection",
          "warning: [production] db.t2.micro is old",
          "warning: [production] use db.t4g.micro",
          "warning: [review-x] no token",
          "",
        ].join("\n"),
      );
    },
  );

  test("text: none, the tree shows them under their stack", () => {
    expect(warningLines(plans, "text")).toBe("");
  });
});
