import type { CapturedResource } from "../../cli/plan/capture";
import { patch, violationsOf, without } from "./support";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const APP_URN =
  "urn:pulumi:production::slipway::slipway:heroku:HerokuApp$pulumi-nodejs:dynamic/heroku:App::app-app";
const INSTANCE_URN =
  "urn:pulumi:production::slipway::slipway:aws:PostgresDatabase$aws:rds/instance:Instance::database-instance";
const TOPIC_URN =
  "urn:pulumi:production::slipway::slipway:aws:Alerting$aws:sns/topic:Topic::alerting-topic";

/** A copy of the stack's resource of `type` under another name, with other dependencies. */
function copyOf(
  resources: CapturedResource[],
  type: string,
  name: string,
  dependencies: string[],
): CapturedResource {
  const original = resources.find((r) => r.type === type)!;
  return { ...original, name, urn: original.urn.replace(/::[^:]+$/, `::${name}`), dependencies };
}
const second = (found: { message: string }[]) => found.map((f) => f.message.split("\n")[1]);

describe.each(["production", "staging"])("the committed %s stack", (stack) => {
  test.each(["production-database-alarms", "production-app-availability-alarm"])(
    "passes %s",
    async (policy) => {
      expect(await violationsOf(policy, stack)).toEqual([]);
    },
  );
});

describe("production-database-alarms", () => {
  test("fails when the CPU alarm is missing", async () => {
    const found = await violationsOf("production-database-alarms", "production", {
      mutate: without((r) => r.type === ALARM && r.name === "alerting-db-cpu"),
    });
    expect(found.map((f) => [f.urn, f.message.split("\n")[1]])).toEqual([
      [
        "urn:pulumi:production::slipway::slipway:aws:PostgresDatabase$aws:rds/instance:Instance::database-instance",
        "database-instance has no alarm with an action on CPUUtilization.",
      ],
    ]);
  });

  test("fails when the connections alarm notifies no one", async () => {
    const found = await violationsOf("production-database-alarms", "production", {
      mutate: patch(ALARM, "alerting-db-connections", (inputs) => (inputs["alarmActions"] = [])),
    });
    expect(second(found)).toEqual([
      "database-instance has no alarm with an action on DatabaseConnections.",
    ]);
  });

  test("an alarm without any action list notifies no one", async () => {
    const found = await violationsOf("production-database-alarms", "production", {
      mutate: patch(ALARM, "alerting-db-connections", (inputs) => delete inputs["alarmActions"]),
    });
    expect(second(found)).toEqual([
      "database-instance has no alarm with an action on DatabaseConnections.",
    ]);
  });

  test("an alarm counts only for the database it watches", async () => {
    const found = await violationsOf("production-database-alarms", "production", {
      mutate: (resources) =>
        resources.map((r) =>
          r.name === "alerting-db-cpu"
            ? {
                ...r,
                dependencies: r.dependencies.filter((d) => !d.endsWith("::database-instance")),
              }
            : r,
        ),
    });
    expect(second(found)).toEqual([
      "database-instance has no alarm with an action on CPUUtilization.",
    ]);
  });

  test("every metric missing is named, in the configured order", async () => {
    const found = await violationsOf("production-database-alarms", "production", {
      config: {
        "production-database-alarms": {
          metrics: ["SwapUsage", "CPUUtilization", "DiskQueueDepth"],
        },
      },
    });
    expect(second(found)).toEqual([
      "database-instance has no alarm with an action on SwapUsage, DiskQueueDepth.",
    ]);
  });

  test("the metrics required are tunable", async () => {
    const found = await violationsOf("production-database-alarms", "production", {
      config: { "production-database-alarms": { metrics: ["CPUUtilization", "SwapUsage"] } },
    });
    expect(second(found)).toEqual(["database-instance has no alarm with an action on SwapUsage."]);
  });
});

describe("production-app-availability-alarm", () => {
  test("fails when no alarm watches the health check", async () => {
    const found = await violationsOf("production-app-availability-alarm", "production", {
      mutate: without((r) => r.type === ALARM && r.name === "alerting-health-check"),
    });
    expect(found.map((f) => [f.urn, f.message.split("\n")[1]])).toEqual([
      [
        "urn:pulumi:production::slipway::slipway:heroku:HerokuApp$pulumi-nodejs:dynamic/heroku:App::app-app",
        "app-app has no health check with a HealthCheckStatus alarm that notifies someone.",
      ],
    ]);
  });

  test("a health check counts only for the app it checks", async () => {
    const found = await violationsOf("production-app-availability-alarm", "production", {
      mutate: (resources) =>
        resources.map((r) =>
          r.type === HEALTH_CHECK
            ? // Another resource in place of the app: the check still depends on something.
              { ...r, dependencies: r.dependencies.map((d) => (d === APP_URN ? INSTANCE_URN : d)) }
            : r,
        ),
    });
    expect(second(found)).toEqual([
      "app-app has no health check with a HealthCheckStatus alarm that notifies someone.",
    ]);
  });

  test("one alarmed health check is enough: a second one without an alarm is no failure", async () => {
    const found = await violationsOf("production-app-availability-alarm", "production", {
      mutate: (resources) => [
        ...resources,
        copyOf(resources, HEALTH_CHECK, "spare-health-check", [APP_URN]),
      ],
    });
    expect(found).toEqual([]);
  });

  test("staging is not held to it", async () => {
    const found = await violationsOf("production-app-availability-alarm", "staging", {
      mutate: without((r) => r.type === ALARM),
    });
    expect(found).toEqual([]);
  });
});

// What an alarm, a health check or a subscription is attached to is one dependency among others
// (an unknown URN would be dropped by the evaluator, so the extra ones are real resources).
test.each([
  "production-database-alarms",
  "production-app-availability-alarm",
  "production-alarms-reach-someone",
])("%s: resources with more dependencies than the one that matters still count", async (policy) => {
  const found = await violationsOf(policy, "production", {
    mutate: (resources) =>
      resources.map((r) =>
        [ALARM, HEALTH_CHECK, SUBSCRIPTION].includes(r.type)
          ? { ...r, dependencies: [...r.dependencies, APP_URN, INSTANCE_URN] }
          : r,
      ),
  });
  expect(found).toEqual([]);
});

describe("production-alarms-reach-someone", () => {
  test("the committed production stack passes: its topic has an e-mail subscriber", async () => {
    expect(await violationsOf("production-alarms-reach-someone", "production")).toEqual([]);
  });

  test("fails when production has no e-mail and no endpoint", async () => {
    const found = await violationsOf("production-alarms-reach-someone", "production", {
      edit: (values) => {
        (values["slipway:alerting"] as Record<string, unknown>)["emails"] = [];
      },
    });
    expect(found.map((f) => [f.enforcementLevel, f.urn, f.message.split("\n")[1]])).toEqual([
      [
        "mandatory",
        "urn:pulumi:production::slipway::slipway:aws:Alerting$aws:sns/topic:Topic::alerting-topic",
        "alerting-topic receives production's alarms but has no subscription, so they reach no one.",
      ],
    ]);
  });

  test("a topic no alarm notifies needs no subscriber", async () => {
    const found = await violationsOf("production-alarms-reach-someone", "production", {
      mutate: (resources) => [...resources, copyOf(resources, TOPIC, "spare-topic", [])],
    });
    expect(found).toEqual([]);
  });

  test("a subscription counts only for the topic it subscribes to", async () => {
    const found = await violationsOf("production-alarms-reach-someone", "production", {
      mutate: (resources) => {
        const spare = copyOf(resources, TOPIC, "spare-topic", []);
        const moved = resources.map((r) =>
          r.type === SUBSCRIPTION ? { ...r, dependencies: [spare.urn] } : r,
        );
        // One alarm notifying the topic is enough to hold it to the rule, whatever the others do.
        return [...moved, spare, copyOf(resources, ALARM, "unrelated-alarm", [])];
      },
    });
    expect(found.map((f) => [f.urn, f.message.split("\n")[1]])).toEqual([
      [
        TOPIC_URN,
        "alerting-topic receives production's alarms but has no subscription, so they reach no one.",
      ],
    ]);
  });

  test("an https endpoint alone is someone", async () => {
    const found = await violationsOf("production-alarms-reach-someone", "production", {
      edit: (values) => {
        const alerting = values["slipway:alerting"] as Record<string, unknown>;
        alerting["emails"] = [];
        alerting["httpsEndpoint"] = "https://hooks.example.com/alerts";
      },
    });
    expect(found).toEqual([]);
  });

  test("staging is not held to it", async () => {
    const found = await violationsOf("production-alarms-reach-someone", "staging", {
      edit: (values) => {
        (values["slipway:alerting"] as Record<string, unknown>)["emails"] = [];
      },
    });
    expect(found).toEqual([]);
  });
});
