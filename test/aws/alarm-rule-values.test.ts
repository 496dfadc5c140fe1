// Every field of every alarm rule, with a non-default value for each alerting setting so a rule
// that ignored its setting (or used another's) would show; the memory table in full; and the
// warnings at their boundaries. alerting.test.ts checks the same rules as built resources.
import { INSTANCE_CLASS_MEMORY_GIB, planAlarms } from "../../components/alarm-rules";
import { alertingSchema } from "../../config/schema";

const medium = { instanceClass: "db.t4g.medium", allocatedStorageGb: 50 };

// 1.3 GiB is not a whole number of bytes (rounded); 65% of 450 connections is 292.5 (floored).
const settings = alertingSchema.parse({
  emails: ["oncall@acme.example"],
  cpuPercent: 71,
  freeStorageGb: 1.3,
  connectionsPercent: 65,
  freeableMemoryMb: 256,
  readLatencyMs: 15,
  writeLatencyMs: 35,
  latencyMs: 1500,
});

const rds = { namespace: "AWS/RDS" } as const;
const route53 = { namespace: "AWS/Route53" } as const;
const docs = (anchor: string) => `What to do: docs/alerting.md#${anchor}`;

test("production's rules, field by field, from non-default settings", () => {
  expect(planAlarms("production", settings, medium)).toEqual({
    warnings: [],
    rules: [
      {
        id: "cpu",
        nameSuffix: "db-cpu",
        ...rds,
        metricName: "CPUUtilization",
        statistic: "Average",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 71,
        periodSeconds: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        description: `Database CPU above 71% on average for 15 minutes. ${docs("cpuutilization")}`,
      },
      {
        id: "freeStorage",
        nameSuffix: "db-free-storage",
        ...rds,
        metricName: "FreeStorageSpace",
        statistic: "Minimum",
        comparisonOperator: "LessThanThreshold",
        threshold: 1395864371,
        periodSeconds: 300,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        treatMissingData: "ignore",
        description: `Database free storage below 1.3 GiB for 10 minutes. ${docs("freestoragespace")}`,
      },
      {
        id: "connections",
        nameSuffix: "db-connections",
        ...rds,
        metricName: "DatabaseConnections",
        statistic: "Maximum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 292,
        periodSeconds: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        description: `Database connections above 292 (65% of 450) in 3 of 5 minutes. ${docs("databaseconnections")}`,
      },
      {
        id: "freeableMemory",
        nameSuffix: "db-freeable-memory",
        ...rds,
        metricName: "FreeableMemory",
        statistic: "Average",
        comparisonOperator: "LessThanThreshold",
        threshold: 268435456,
        periodSeconds: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        description: `Database freeable memory below 256 MiB on average for 15 minutes. ${docs("freeablememory")}`,
      },
      {
        id: "readLatency",
        nameSuffix: "db-read-latency",
        ...rds,
        metricName: "ReadLatency",
        statistic: "Average",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0.015,
        periodSeconds: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        description: `Database disk reads slower than 15 ms on average for 15 minutes. ${docs("readlatency")}`,
      },
      {
        id: "writeLatency",
        nameSuffix: "db-write-latency",
        ...rds,
        metricName: "WriteLatency",
        statistic: "Average",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0.035,
        periodSeconds: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        description: `Database disk writes slower than 35 ms on average for 15 minutes. ${docs("writelatency")}`,
      },
      {
        id: "healthCheckStatus",
        nameSuffix: "health-check",
        ...route53,
        metricName: "HealthCheckStatus",
        statistic: "Minimum",
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        periodSeconds: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: "breaching",
        description: `The app's health check is failing: the app is down or answering errors. ${docs("healthcheckstatus")}`,
      },
      {
        id: "timeToFirstByte",
        nameSuffix: "time-to-first-byte",
        ...route53,
        metricName: "TimeToFirstByte",
        statistic: "Average",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 1500,
        periodSeconds: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: "ignore",
        description: `The app's health check took over 1500 ms to first byte in 3 of 5 minutes. ${docs("timetofirstbyte")}`,
      },
    ],
  });
});

test("the memory table: every class Postgres runs on, in GiB", () => {
  const sizes = (family: string, gibBySize: Record<string, number>) =>
    Object.entries(gibBySize).map(([size, gib]) => [`db.${family}.${size}`, gib] as const);
  const burstable = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
  const vcpus = {
    large: 2,
    xlarge: 4,
    "2xlarge": 8,
    "4xlarge": 16,
    "8xlarge": 32,
    "12xlarge": 48,
    "16xlarge": 64,
    "24xlarge": 96,
  };
  const perVcpu = (gib: number) =>
    Object.fromEntries(Object.entries(vcpus).map(([size, n]) => [size, n * gib]));
  const general = ["m5", "m5d", "m6g", "m6gd", "m6i", "m6id", "m7g", "m7i", "m8g"];
  const memory = ["r5", "r5b", "r5d", "r6g", "r6gd", "r6i", "r6id", "r7g", "r7i", "r8g"];
  expect(INSTANCE_CLASS_MEMORY_GIB).toEqual(
    Object.fromEntries([
      ...sizes("t3", burstable),
      ...sizes("t4g", burstable),
      ...general.flatMap((family) => sizes(family, perVcpu(4))),
      ...memory.flatMap((family) => sizes(family, perVcpu(8))),
    ]),
  );
});

describe("warnings at their boundaries", () => {
  const quiet = { emails: ["oncall@acme.example"] };

  test("an https endpoint alone is someone to reach: no warning", () => {
    const endpoint = alertingSchema.parse({ httpsEndpoint: "https://hooks.acme.example/a" });
    expect(planAlarms("production", endpoint, medium).warnings).toEqual([]);
  });

  test("free storage just below the allocation: no warning; at it: one", () => {
    const below = alertingSchema.parse({ ...quiet, freeStorageGb: 49.5 });
    const at = alertingSchema.parse({ ...quiet, freeStorageGb: 50 });
    expect(planAlarms("production", below, medium).warnings).toEqual([]);
    expect(planAlarms("staging", at, medium).warnings).toEqual([
      "slipway:alerting.freeStorageGb is 50, not below the 50 GiB allocated, so the " +
        "FreeStorageSpace alarm fires from the start. Fix: set it below " +
        "slipway:database.allocatedStorageGb.",
    ]);
  });

  test("freeable memory one MiB below the class's memory: no warning", () => {
    const below = alertingSchema.parse({ ...quiet, freeableMemoryMb: 4095 });
    expect(planAlarms("production", below, medium).warnings).toEqual([]);
  });

  test("staging has no freeable memory alarm, so memory at the class's is no problem there", () => {
    const at = alertingSchema.parse({ ...quiet, freeableMemoryMb: 4096 });
    expect(planAlarms("staging", at, medium).warnings).toEqual([]);
  });

  test("an unknown class leaves out only the connections alarm and its memory warning", () => {
    const huge = alertingSchema.parse({ ...quiet, freeableMemoryMb: 1048576 });
    const plan = planAlarms("production", huge, { ...medium, instanceClass: "db.x9z.large" });
    expect(plan.rules.map((r) => r.id)).toEqual([
      "cpu",
      "freeStorage",
      "freeableMemory",
      "readLatency",
      "writeLatency",
      "healthCheckStatus",
      "timeToFirstByte",
    ]);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toMatch(/^slipway:database.instanceClass is db.x9z.large, /);
  });
});
