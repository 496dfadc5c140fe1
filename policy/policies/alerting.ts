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

const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";

/**
 * An alarm's action is a topic; the topic reaches a person only through a subscription (an
 * e-mail or an https endpoint). Alarms that publish to a topic nobody subscribes to are silent,
 * which the other alarm policies cannot see: they only check that an action is set.
 */
export const productionAlarmsReachSomeone: StackValidationPolicy = {
  name: "production-alarms-reach-someone",
  description:
    "Every topic production's alarms notify has a subscriber: an e-mail address or an https endpoint.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set slipway:alerting.emails (pulumi config set --path 'slipway:alerting.emails[0]' oncall@example.com) or slipway:alerting.httpsEndpoint.",
  validateStack: (args, report) => {
    if (stackKind(args.resources) !== "production") return;
    const alarms = ofType(args.resources, ALARM);
    for (const topic of ofType(args.resources, TOPIC)) {
      const notified = alarms.some((alarm) => alarm.dependencies.some((d) => d.urn === topic.urn));
      if (!notified) continue;
      const subscribed = ofType(args.resources, SUBSCRIPTION).some((subscription) =>
        subscription.dependencies.some((d) => d.urn === topic.urn),
      );
      if (!subscribed) {
        report(
          `${label(topic)} receives production's alarms but has no subscription, so they reach no one.`,
          topic.urn,
        );
      }
    }
  },
};

export const alertingPolicies = [
  productionDatabaseAlarms,
  productionAppAvailabilityAlarm,
  productionAlarmsReachSomeone,
];
