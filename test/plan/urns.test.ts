// Two resources with one URN: the engine refuses the program (step_generator.go, generateURN),
// and so must slipway plan, naming the config key behind the duplicate where it can tell.
import * as pulumi from "@pulumi/pulumi";
import { planConfigs } from "../../cli/plan";
import { readProject, readStackConfig } from "../../cli/plan/stack-files";
import { duplicateUrnProblems } from "../../cli/plan/urns";
import { Alerting } from "../../components/alerting";
import { alertingSchema } from "../../config/schema";
import { SlipwayError } from "../../errors";
import { capture, capturedResource, planStack, PROJECT_DIR } from "../support/stacks";

const staging = readStackConfig(readProject(PROJECT_DIR), "staging");

class Thing extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Thing", name, {}, opts);
  }
}

async function refusal(program: () => unknown): Promise<SlipwayError> {
  try {
    await planConfigs("slipway", [staging], { program });
  } catch (error) {
    if (error instanceof SlipwayError) return error;
    throw error;
  }
  throw new Error("expected the plan to be refused");
}

test("a program that registers two resources with one URN is refused with the engine's reason", async () => {
  const error = await refusal(() => {
    new Thing("twice");
    new Thing("twice");
    new Thing("once");
  });
  const urn = "urn:pulumi:staging::slipway::test:index:Thing::twice";
  expect(error.problems).toEqual([
    {
      key: "test:index:Thing twice",
      message:
        `the Pulumi engine refuses the program with "Duplicate resource URN '${urn}'; try giving it a unique name": 2 resources are registered with it. ` +
        "Fix: give each resource a unique name in the program.",
    },
  ]);
  expect(error.message.split("\n")[0]).toBe("stack staging (Pulumi.staging.yaml):");
});

test("reads count too: two stack references of one name are one URN", async () => {
  const error = await refusal(() => {
    new pulumi.StackReference("production");
    new pulumi.StackReference("production");
  });
  expect(error.problems.map((p) => p.key)).toEqual(["pulumi:pulumi:StackReference production"]);
});

test("the same name under different parents or types is no duplicate", async () => {
  const [plan] = await planConfigs("slipway", [staging], {
    program: () => {
      const a = new Thing("a");
      new Thing("child", { parent: a });
      new pulumi.StackReference("a");
    },
  });
  expect(plan?.resources.map((r) => r.name).sort()).toEqual(["a", "a", "child", "slipway-staging"]);
});

test("a duplicate made from a repeated config value names that config key", async () => {
  // The Alerting component as it is, given settings that skipped validation.
  const settings = alertingSchema.parse({});
  const emails = ["oncall@acme.example", "dev@acme.example", "oncall@acme.example"];
  const captured = await capture(
    () =>
      new Alerting("alerting", {
        settings: { ...settings, emails },
        kind: "staging",
        namePrefix: "acme-web",
        database: {
          instanceIdentifier: "acme-web-db",
          instanceClass: "db.t4g.micro",
          allocatedStorageGb: 20,
        },
        app: {
          name: "acme-web",
          webUrl: "https://acme-web-1.herokuapp.com/",
          healthCheckPath: "/health",
        },
      }),
    { stack: "staging" },
  );
  const urn =
    "urn:pulumi:staging::slipway::slipway:aws:Alerting$aws:sns/topicSubscription:TopicSubscription::alerting-email-oncall@acme.example";
  expect(
    duplicateUrnProblems(captured.resources, {
      "aws:region": "us-east-1",
      "slipway:alerting": { emails, latencyMs: 2000 },
    }),
  ).toEqual([
    {
      key: "slipway:alerting.emails",
      message:
        `got "oncall@acme.example" more than once, and the Pulumi engine refuses the program with "Duplicate resource URN '${urn}'; try giving it a unique name": 2 resources are registered with it. ` +
        `Allowed: each value once. Fix: remove the repeated "oncall@acme.example" from slipway:alerting.emails in the stack's config file.`,
    },
  ]);
});

test.each([
  [
    "a CIDR block, named with dashes",
    "database-ingress-10-0-0-0-8",
    "10.0.0.0/8",
    "slipway:database.allowedCidrs",
  ],
  ["a list inside a map", "app-feature-preboot", "preboot", "slipway:app.features"],
  [
    "a list in a list of maps",
    "app-webhook-api:release",
    "api:release",
    "slipway:app.webhooks[0].include",
  ],
])("the key is found for %s", (_, name, value, key) => {
  const resource = capturedResource({ urn: `urn:pulumi:s::p::t::${name}`, type: "t", name });
  const values = {
    "slipway:database": { allowedCidrs: key.endsWith("allowedCidrs") ? [value, value] : [] },
    "slipway:app": {
      name: "x",
      features: key.endsWith("features") ? [value, value] : [],
      webhooks: [
        { url: "https://h.example.com", include: key.endsWith("include") ? [value, value] : [] },
      ],
    },
  };
  expect(duplicateUrnProblems([resource, resource], values).map((p) => p.key)).toEqual([key]);
});

test("two equal alarm e-mails in a stack file are refused before the program runs", async () => {
  await expect(
    planStack("staging", (values) => {
      values["slipway:alerting"] = { emails: ["oncall@acme.example", "Oncall@acme.example"] };
    }),
  ).rejects.toThrow(
    'slipway:alerting.emails: got ["oncall@acme.example","Oncall@acme.example"]: "Oncall@acme.example" is listed twice',
  );
});
