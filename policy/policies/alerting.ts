// Alerting: in production, trouble on the database or the app reaches a person.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { HEROKU_TYPES, label, ofType, stackKind, settingsOf } from "./common";

const INSTANCE = "aws:rds/instance:Instance";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";

/** Alarms that watch `target`: they depend on it (its identifier or id feeds their dimensions). */
function alarmsOn(resources: readonly PolicyResource[], target: PolicyResource): PolicyResource[] {
  return ofType(resources, ALARM).filter((alarm) =>
    alarm.dependencies.some((d) => d.urn === target.urn),
  );
}

/** Whether some alarm on `metric` among `alarms` notifies someone. */
function hasActiveAlarm(alarms: readonly PolicyResource[], metric: string): boolean {
  return alarms.some(
    (alarm) =>
      alarm.props["metricName"] === metric &&
      ((alarm.props["alarmActions"] as unknown[] | undefined) ?? []).length > 0,
  );
}

export const productionDatabaseAlarms: StackValidationPolicy = {
  name: "production-database-alarms",
  description:
    "Every production database has CPU, storage and connection alarms that notify someone.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create Alerting for the database; set slipway:alerting.emails so the alarms reach a person.",
  configSchema: {
    properties: {
      metrics: {
        type: "array",
        items: { type: "string" },
        default: ["CPUUtilization", "FreeStorageSpace", "DatabaseConnections"],
      },
    },
  },
  validateStack: (args, report) => {
    if (stackKind(args.resources) !== "production") return;
    const { metrics } = settingsOf<{ metrics: string[] }>(args, productionDatabaseAlarms);
    for (const instance of ofType(args.resources, INSTANCE)) {
      const alarms = alarmsOn(args.resources, instance);
      const missing = metrics.filter((metric) => !hasActiveAlarm(alarms, metric));
      if (missing.length > 0)
        report(
          `${label(instance)} has no alarm with an action on ${missing.join(", ")}.`,
          instance.urn,
        );
    }
  },
};

export const productionAppAvailabilityAlarm: StackValidationPolicy = {
  name: "production-app-availability-alarm",
  description: "Every production app has a health check whose failure alarm notifies someone.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create Alerting with the app; it adds a Route53 health check and a HealthCheckStatus alarm.",
  validateStack: (args, report) => {
    if (stackKind(args.resources) !== "production") return;
    for (const app of ofType(args.resources, HEROKU_TYPES.app)) {
      const checks = ofType(args.resources, HEALTH_CHECK).filter((c) =>
        c.dependencies.some((d) => d.urn === app.urn),
      );
      const alarmed = checks.some((check) =>
        hasActiveAlarm(alarmsOn(args.resources, check), "HealthCheckStatus"),
      );
      if (!alarmed)
        report(
          `${label(app)} has no health check with a HealthCheckStatus alarm that notifies someone.`,
          app.urn,
        );
    }
  },
};

export const alertingPolicies = [productionDatabaseAlarms, productionAppAvailabilityAlarm];
