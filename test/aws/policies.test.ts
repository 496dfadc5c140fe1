// The components as the lead wires them (the alarms watch the instance, the health check the
// app's web URL), checked against the slipway policy pack's database and alerting policies.
import * as pulumi from "@pulumi/pulumi";
import { CapturedStack } from "../../cli/plan/capture";
import { createEvaluator } from "../../cli/plan/policy";
import { Alerting } from "../../components/alerting";
import { PostgresDatabase } from "../../components/database";
import { alertingSchema, databaseSchema } from "../../config/schema";
import { alertingPolicies } from "../../policy/policies/alerting";
import { databasePolicies } from "../../policy/policies/database";
import { pack } from "../../policy/policies";
import { capture, one } from "../support/stacks";

/** Stands in for the Heroku app resource another component declares. */
class App extends pulumi.CustomResource {
  declare readonly webUrl: pulumi.Output<string>;
  constructor(name: string) {
    super("pulumi-nodejs:dynamic/heroku:App", name, { name, webUrl: undefined });
  }
}

const settings = {
  production: {
    database: databaseSchema.parse({
      instanceClass: "db.t4g.medium",
      backupRetentionDays: 14,
      multiAz: true,
      allowedCidrs: ["192.0.2.10/32"],
    }),
    alerting: alertingSchema.parse({ emails: ["oncall@acme.example"] }),
  },
  staging: {
    database: databaseSchema.parse({
      backupRetentionDays: 3,
      allowedCidrs: ["198.51.100.10/32"],
    }),
    alerting: alertingSchema.parse({ emails: ["oncall@acme.example"] }),
  },
};

async function wired(
  kind: "production" | "staging",
  alertingKind: "production" | "staging" = kind,
): Promise<CapturedStack> {
  return capture(
    () => {
      const app = new App("acme-web");
      const db = new PostgresDatabase("db", {
        settings: settings[kind].database,
        kind,
        namePrefix: "acme-web",
        awsRegion: "us-east-1",
      });
      new Alerting("alerting", {
        settings: settings[kind].alerting,
        kind: alertingKind,
        namePrefix: "acme-web",
        database: db,
        app: { name: "acme-web", webUrl: app.webUrl, healthCheckPath: "/health" },
      });
    },
    { stack: kind },
  );
}

const ours = new Set([...databasePolicies, ...alertingPolicies].map((p) => p.name));

describe.each(["production", "staging"] as const)("%s, wired together", (kind) => {
  let captured: CapturedStack;
  beforeAll(async () => {
    captured = await wired(kind);
  });

  test("the database and alerting policies find nothing to report", async () => {
    const violations = await createEvaluator(pack)({ ...captured, kind });
    expect(violations.filter((v) => ours.has(v.policy))).toEqual([]);
  });

  test("the alarms depend on the instance, the health check on the app", () => {
    const instance = one(captured, "aws:rds/instance:Instance");
    const healthCheck = one(captured, "aws:route53/healthCheck:HealthCheck");
    const alarms = captured.resources.filter(
      (r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm",
    );
    for (const alarm of alarms) {
      const watched = alarm.inputs["namespace"] === "AWS/RDS" ? instance : healthCheck;
      expect(alarm.dependencies).toContain(watched.urn);
    }
    expect(healthCheck.dependencies).toContain(
      one(captured, "pulumi-nodejs:dynamic/heroku:App").urn,
    );
    expect(healthCheck.inputs["fqdn"]).toMatch(/^acme-web-[0-9a-f]{12}\.herokuapp\.com$/);
  });
});

test("the staging set of alarms in a production stack is reported", async () => {
  const captured = await wired("production", "staging");
  const violations = await createEvaluator(pack)({ ...captured, kind: "production" });
  expect(violations.filter((v) => ours.has(v.policy)).map((v) => [v.policy, v.message])).toEqual([
    [
      "production-database-alarms",
      "Every production database has CPU, storage and connection alarms that notify someone.\n" +
        "db-instance has no alarm with an action on CPUUtilization, DatabaseConnections.",
    ],
  ]);
});
