// The alarms slipway sets, as data: the metric, the threshold from `slipway:alerting` turned
// into the metric's unit, how long it must hold, what missing data means, and which stack kinds
// get it. Pure (no Pulumi), so every number is tested directly; alerting.ts turns it into
// resources. docs/alerting.md explains each alarm and what to do when it fires.
import { AlertingSettings } from "../config/schema";
import { AwsStackKind } from "./aws-common";

export type AlarmId =
  | "cpu"
  | "freeStorage"
  | "connections"
  | "freeableMemory"
  | "readLatency"
  | "writeLatency"
  | "healthCheckStatus"
  | "timeToFirstByte";

/**
 * Which alarms each stack kind gets. Staging keeps availability (is the app answering?) and
 * storage (a full disk stops every write and outlives a redeploy); load and latency on a
 * staging box are noise no one acts on.
 */
export const ALARMS_BY_KIND: Readonly<Record<AwsStackKind, readonly AlarmId[]>> = {
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
};

/** One CloudWatch alarm, in the metric's own unit. */
export interface AlarmRule {
  readonly id: AlarmId;
  /** Appended to the name prefix: `acme-web-db-cpu`. */
  readonly nameSuffix: string;
  /** AWS/RDS alarms watch the database; AWS/Route53 alarms live in us-east-1. */
  readonly namespace: "AWS/RDS" | "AWS/Route53";
  readonly metricName: string;
  readonly statistic: "Average" | "Minimum" | "Maximum";
  readonly comparisonOperator: "GreaterThanThreshold" | "LessThanThreshold";
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: "breaching" | "notBreaching" | "ignore";
  /** What the alarm means, in the e-mail, with where to read what to do. */
  readonly description: string;
}

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

/** RDS for PostgreSQL's default: max_connections = LEAST(DBInstanceClassMemory/9531392, 5000). */
export const MAX_CONNECTIONS_BYTES_EACH = 9531392;
export const MAX_CONNECTIONS_CAP = 5000;

const VCPUS_BY_SIZE: Readonly<Record<string, number>> = {
  large: 2,
  xlarge: 4,
  "2xlarge": 8,
  "4xlarge": 16,
  "8xlarge": 32,
  "12xlarge": 48,
  "16xlarge": 64,
  "24xlarge": 96,
};
const BURSTABLE_GIB: Readonly<Record<string, number>> = {
  micro: 1,
  small: 2,
  medium: 4,
  large: 8,
  xlarge: 16,
  "2xlarge": 32,
};
const GENERAL_PURPOSE = ["m5", "m5d", "m6g", "m6gd", "m6i", "m6id", "m7g", "m7i", "m8g"];
const MEMORY_OPTIMIZED = ["r5", "r5b", "r5d", "r6g", "r6gd", "r6i", "r6id", "r7g", "r7i", "r8g"];

/**
 * Memory in GiB of the RDS instance classes Postgres runs on: burstable t3/t4g, general
 * purpose m (4 GiB per vCPU) and memory optimized r (8 GiB per vCPU). A class missing here
 * is still valid; only the DatabaseConnections alarm needs the number.
 */
export const INSTANCE_CLASS_MEMORY_GIB: Readonly<Record<string, number>> = Object.fromEntries([
  ...["t3", "t4g"].flatMap((family) =>
    Object.entries(BURSTABLE_GIB).map(([size, gib]) => [`db.${family}.${size}`, gib] as const),
  ),
  ...GENERAL_PURPOSE.flatMap((family) =>
    Object.entries(VCPUS_BY_SIZE).map(
      ([size, cpus]) => [`db.${family}.${size}`, cpus * 4] as const,
    ),
  ),
  ...MEMORY_OPTIMIZED.flatMap((family) =>
    Object.entries(VCPUS_BY_SIZE).map(
      ([size, cpus]) => [`db.${family}.${size}`, cpus * 8] as const,
    ),
  ),
]);

/**
 * RDS's default max_connections for a class, computed from the class's nominal memory, or
 * undefined for a class not in the table. RDS subtracts what the OS and its agents reserve
 * before dividing, so the real value is somewhat lower (check with `SHOW max_connections`).
 */
export function defaultMaxConnections(instanceClass: string): number | undefined {
  const gib = INSTANCE_CLASS_MEMORY_GIB[instanceClass];
  if (gib === undefined) return undefined;
  return Math.min(Math.floor((gib * GIB) / MAX_CONNECTIONS_BYTES_EACH), MAX_CONNECTIONS_CAP);
}

/** What the alarms need to know about the database. */
export interface AlarmedDatabaseFacts {
  readonly instanceClass: string;
  readonly allocatedStorageGb: number;
}

/** The alarms a stack gets, and the soft problems found while choosing them. */
export interface AlarmPlan {
  readonly rules: readonly AlarmRule[];
  readonly warnings: readonly string[];
}

const see = (metric: string) => `What to do: docs/alerting.md#${metric.toLowerCase()}`;

// Missing data, per alarm. RDS publishes every minute; gaps come from a stop, reboot or
// failover, which are not load, so load alarms treat gaps as fine (the health check speaks for
// availability). Free storage only moves with writes, so its alarm keeps its state across gaps.
// The health check reports every minute while it exists: silence means we cannot see the app.
// No time to first byte while the app is down; the status alarm reports that, so latency
// keeps its state rather than sending a misleading OK.
const RULES: Readonly<
  Record<AlarmId, (s: AlertingSettings, maxConnections: number) => Omit<AlarmRule, "id">>
> = {
  cpu: (s) => ({
    nameSuffix: "db-cpu",
    namespace: "AWS/RDS",
    metricName: "CPUUtilization",
    statistic: "Average",
    comparisonOperator: "GreaterThanThreshold",
    threshold: s.cpuPercent,
    periodSeconds: 300,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: "notBreaching",
    description: `Database CPU above ${s.cpuPercent}% on average for 15 minutes. ${see("CPUUtilization")}`,
  }),
  freeStorage: (s) => ({
    nameSuffix: "db-free-storage",
    namespace: "AWS/RDS",
    metricName: "FreeStorageSpace",
    statistic: "Minimum",
    comparisonOperator: "LessThanThreshold",
    threshold: Math.round(s.freeStorageGb * GIB),
    periodSeconds: 300,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    treatMissingData: "ignore",
    description: `Database free storage below ${s.freeStorageGb} GiB for 10 minutes. ${see("FreeStorageSpace")}`,
  }),
  connections: (s, maxConnections) => {
    const threshold = Math.floor((maxConnections * s.connectionsPercent) / 100);
    return {
      nameSuffix: "db-connections",
      namespace: "AWS/RDS",
      metricName: "DatabaseConnections",
      statistic: "Maximum",
      comparisonOperator: "GreaterThanThreshold",
      threshold,
      periodSeconds: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
      description:
        `Database connections above ${threshold} (${s.connectionsPercent}% of ${maxConnections}) ` +
        `in 3 of 5 minutes. ${see("DatabaseConnections")}`,
    };
  },
  freeableMemory: (s) => ({
    nameSuffix: "db-freeable-memory",
    namespace: "AWS/RDS",
    metricName: "FreeableMemory",
    statistic: "Average",
    comparisonOperator: "LessThanThreshold",
    threshold: s.freeableMemoryMb * MIB,
    periodSeconds: 300,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: "notBreaching",
    description: `Database freeable memory below ${s.freeableMemoryMb} MiB on average for 15 minutes. ${see("FreeableMemory")}`,
  }),
  readLatency: (s) => ({
    nameSuffix: "db-read-latency",
    namespace: "AWS/RDS",
    metricName: "ReadLatency",
    statistic: "Average",
    comparisonOperator: "GreaterThanThreshold",
    threshold: s.readLatencyMs / 1000,
    periodSeconds: 300,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: "notBreaching",
    description: `Database disk reads slower than ${s.readLatencyMs} ms on average for 15 minutes. ${see("ReadLatency")}`,
  }),
  writeLatency: (s) => ({
    nameSuffix: "db-write-latency",
    namespace: "AWS/RDS",
    metricName: "WriteLatency",
    statistic: "Average",
    comparisonOperator: "GreaterThanThreshold",
    threshold: s.writeLatencyMs / 1000,
    periodSeconds: 300,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: "notBreaching",
    description: `Database disk writes slower than ${s.writeLatencyMs} ms on average for 15 minutes. ${see("WriteLatency")}`,
  }),
  healthCheckStatus: () => ({
    nameSuffix: "health-check",
    namespace: "AWS/Route53",
    metricName: "HealthCheckStatus",
    statistic: "Minimum",
    comparisonOperator: "LessThanThreshold",
    threshold: 1,
    periodSeconds: 60,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: "breaching",
    description: `The app's health check is failing: the app is down or answering errors. ${see("HealthCheckStatus")}`,
  }),
  timeToFirstByte: (s) => ({
    nameSuffix: "time-to-first-byte",
    namespace: "AWS/Route53",
    metricName: "TimeToFirstByte",
    statistic: "Average",
    comparisonOperator: "GreaterThanThreshold",
    threshold: s.latencyMs,
    periodSeconds: 60,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    treatMissingData: "ignore",
    description: `The app's health check took over ${s.latencyMs} ms to first byte in 3 of 5 minutes. ${see("TimeToFirstByte")}`,
  }),
};

/** The alarms of a stack of `kind`, thresholds taken from `settings`. */
export function planAlarms(
  kind: AwsStackKind,
  settings: AlertingSettings,
  database: AlarmedDatabaseFacts,
): AlarmPlan {
  const wanted = ALARMS_BY_KIND[kind];
  const warnings: string[] = [];
  const maxConnections = defaultMaxConnections(database.instanceClass);
  const memoryGib = INSTANCE_CLASS_MEMORY_GIB[database.instanceClass];

  if (settings.emails.length === 0 && settings.httpsEndpoint === undefined) {
    warnings.push(
      "slipway:alerting has no emails and no httpsEndpoint, so alarms reach no one. Fix: " +
        "pulumi config set --path 'slipway:alerting.emails[0]' oncall@example.com",
    );
  }
  if (wanted.includes("connections") && maxConnections === undefined) {
    // A warning, not an error: the class is valid for RDS and AWS adds classes often;
    // holding up a database change because this table lags would be worse than one alarm less.
    warnings.push(
      `slipway:database.instanceClass is ${database.instanceClass}, whose memory slipway does ` +
        "not know, so the DatabaseConnections alarm is left out (its threshold is a share of " +
        "max_connections, which RDS derives from memory). Fix: use a class listed in " +
        "components/alarm-rules.ts, or add the class and its memory there.",
    );
  }
  if (wanted.includes("freeStorage") && settings.freeStorageGb >= database.allocatedStorageGb) {
    warnings.push(
      `slipway:alerting.freeStorageGb is ${settings.freeStorageGb}, not below the ` +
        `${database.allocatedStorageGb} GiB allocated, so the FreeStorageSpace alarm fires ` +
        "from the start. Fix: set it below slipway:database.allocatedStorageGb.",
    );
  }
  if (
    wanted.includes("freeableMemory") &&
    memoryGib !== undefined &&
    settings.freeableMemoryMb >= memoryGib * 1024
  ) {
    warnings.push(
      `slipway:alerting.freeableMemoryMb is ${settings.freeableMemoryMb}, not below the ` +
        `${memoryGib * 1024} MiB of ${database.instanceClass}, so the FreeableMemory alarm ` +
        "fires from the start. Fix: set it to a small share of the class's memory.",
    );
  }

  const rules = wanted
    .filter((id) => id !== "connections" || maxConnections !== undefined)
    .map((id): AlarmRule => ({ id, ...RULES[id](settings, maxConnections ?? 0) }));
  return { rules, warnings };
}
