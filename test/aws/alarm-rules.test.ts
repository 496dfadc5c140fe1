import {
  ALARMS_BY_KIND,
  defaultMaxConnections,
  INSTANCE_CLASS_MEMORY_GIB,
  MAX_CONNECTIONS_CAP,
  planAlarms,
} from "../../components/alarm-rules";
import { alertingSchema } from "../../config/schema";

const settings = alertingSchema.parse({ emails: ["oncall@acme.example"] });
const medium = { instanceClass: "db.t4g.medium", allocatedStorageGb: 50 };

describe("which alarms each kind gets", () => {
  test("production gets every alarm; staging availability and storage", () => {
    expect(ALARMS_BY_KIND).toEqual({
      production: [
        "cpu",
        "freeStorage",
        "connections",
        "freeableMemory",
        "readLatency",
        "writeLatency",
        "healthCheckStatus",
        "timeToFirstByte",
      ],
      staging: ["freeStorage", "healthCheckStatus"],
    });
  });

  test.each(["production", "staging"] as const)("%s: rules follow the table, in order", (kind) => {
    const plan = planAlarms(kind, settings, medium);
    expect(plan.rules.map((r) => r.id)).toEqual(ALARMS_BY_KIND[kind]);
    expect(plan.warnings).toEqual([]);
  });

  test("every rule names a unique alarm and points at its section of docs/alerting.md", () => {
    const rules = planAlarms("production", settings, medium).rules;
    expect(new Set(rules.map((r) => r.nameSuffix)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(rule.description).toContain(`docs/alerting.md#${rule.metricName.toLowerCase()}`);
    }
  });

  test("only the health-check alarms are in the AWS/Route53 namespace", () => {
    const rules = planAlarms("production", settings, medium).rules;
    expect(rules.filter((r) => r.namespace === "AWS/Route53").map((r) => r.metricName)).toEqual([
      "HealthCheckStatus",
      "TimeToFirstByte",
    ]);
  });
});

describe("RDS's default max_connections", () => {
  test.each([
    ["db.t4g.micro", 112],
    ["db.t3.small", 225],
    ["db.t4g.medium", 450],
    ["db.t4g.large", 901],
    ["db.m7g.large", 901],
    ["db.m6i.xlarge", 1802],
    ["db.r6g.large", 1802],
    ["db.r7g.2xlarge", 5000],
    ["db.m5.24xlarge", MAX_CONNECTIONS_CAP],
  ])("%s: %i", (instanceClass, connections) => {
    expect(defaultMaxConnections(instanceClass)).toBe(connections);
  });

  test.each(["db.x9z.large", "db.t4g.nano", "db.serverless"])(
    "%s is not in the table",
    (instanceClass) => {
      expect(defaultMaxConnections(instanceClass)).toBeUndefined();
    },
  );

  test.each([
    ["db.t4g.micro", 1],
    ["db.t3.2xlarge", 32],
    ["db.m6g.16xlarge", 256],
    ["db.r8g.12xlarge", 384],
    ["db.r5.24xlarge", 768],
  ])("memory of %s: %i GiB", (instanceClass, gib) => {
    expect(INSTANCE_CLASS_MEMORY_GIB[instanceClass]).toBe(gib);
  });
});

describe("soft problems", () => {
  test("exact warnings, each naming the key", () => {
    const none = alertingSchema.parse({ freeStorageGb: 20, freeableMemoryMb: 4096 });
    const plan = planAlarms("production", none, {
      instanceClass: "db.z1d.large",
      allocatedStorageGb: 20,
    });
    expect(plan.warnings).toEqual([
      "slipway:alerting has no emails and no httpsEndpoint, so alarms reach no one. Fix: " +
        "pulumi config set --path 'slipway:alerting.emails[0]' oncall@example.com",
      "slipway:database.instanceClass is db.z1d.large, whose memory slipway does not know, so " +
        "the DatabaseConnections alarm is left out (its threshold is a share of max_connections, " +
        "which RDS derives from memory). Fix: use a class listed in components/alarm-rules.ts, " +
        "or add the class and its memory there.",
      "slipway:alerting.freeStorageGb is 20, not below the 20 GiB allocated, so the " +
        "FreeStorageSpace alarm fires from the start. Fix: set it below " +
        "slipway:database.allocatedStorageGb.",
    ]);
    expect(plan.rules.map((r) => r.id)).not.toContain("connections");
  });

  test("freeable memory at the class's memory is warned about", () => {
    const high = alertingSchema.parse({ emails: ["a@b.co"], freeableMemoryMb: 4096 });
    expect(planAlarms("production", high, medium).warnings).toEqual([
      "slipway:alerting.freeableMemoryMb is 4096, not below the 4096 MiB of db.t4g.medium, so " +
        "the FreeableMemory alarm fires from the start. Fix: set it to a small share of the " +
        "class's memory.",
    ]);
  });

  test("staging leaves out the connections alarm, so an unknown class is no problem there", () => {
    const plan = planAlarms("staging", settings, {
      instanceClass: "db.x9z.large",
      allocatedStorageGb: 20,
    });
    expect(plan.warnings).toEqual([]);
    expect(plan.rules.map((r) => r.id)).toEqual(["freeStorage", "healthCheckStatus"]);
  });
});
