import { patch, violationsOf, without } from "./support";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
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

  test("staging is not held to it", async () => {
    const found = await violationsOf("production-app-availability-alarm", "staging", {
      mutate: without((r) => r.type === ALARM),
    });
    expect(found).toEqual([]);
  });
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
