import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CapturedResource, CapturedStack } from "../../cli/plan/capture";
import { MOCK_ACCOUNT_ID, stableUuid } from "../../cli/plan/mocks";
import { redact, Secret } from "../../cli/plan/values";
import {
  ALERTING_TYPE,
  Alerting,
  AlertingArgs,
  alarmTopicKeyPolicy,
  webUrlHost,
} from "../../components/alerting";
import { planAlarms } from "../../components/alarm-rules";
import { AWS_PROVIDER_SETTINGS } from "../../components/aws-common";
import { AlarmedDatabase } from "../../components/database";
import { alertingSchema, AlertingSettings } from "../../config/schema";
import { capture, one, ofType } from "../support/stacks";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const KEY = "aws:kms/key:Key";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const PROVIDER = "pulumi:providers:aws";

const WEB_URL = "https://acme-web-1a2b3c4d5e6f.herokuapp.com/";
// The committed stacks' alerting settings (Pulumi.production.yaml, Pulumi.staging.yaml).
const production = alertingSchema.parse({
  emails: ["oncall@acme.example"],
  cpuPercent: 80,
  freeStorageGb: 5,
  connectionsPercent: 80,
  latencyMs: 1000,
});
const staging = alertingSchema.parse({
  emails: ["oncall@acme.example"],
  freeStorageGb: 2,
  latencyMs: 2000,
});
const database: AlarmedDatabase = {
  instanceIdentifier: "acme-web-db",
  instanceClass: "db.t4g.medium",
  allocatedStorageGb: 50,
};
const tags = (kind: string) => ({
  "slipway:environment": kind,
  "slipway:stack": `slipway/${kind}`,
});
const topicArn = (name: string) => `arn:aws:sns:us-east-1:${MOCK_ACCOUNT_ID}:${name}`;
const healthCheckId = stableUuid(HEALTH_CHECK, "alerting-health-check");

async function plan(
  kind: "production" | "staging",
  settings: AlertingSettings,
  overrides: Partial<AlertingArgs> = {},
  config: Record<string, unknown> = {},
  secretKeys: string[] = [],
): Promise<CapturedStack> {
  return capture(
    () => {
      const alerting = new Alerting("alerting", {
        settings,
        kind,
        namePrefix: "acme-web",
        database,
        app: { name: "acme-web", webUrl: pulumi.output(WEB_URL), healthCheckPath: "/health" },
        ...overrides,
      });
      return {
        topicArn: alerting.topicArn,
        healthCheckTopicArn: alerting.healthCheckTopicArn,
        healthCheckId: alerting.healthCheckId,
        alarmNames: alerting.alarmNames,
        alarmArns: alerting.alarmArns,
      };
    },
    { stack: kind, config, secretKeys },
  );
}

const alarm = (captured: CapturedStack, name: string) => one(captured, ALARM, `alerting-${name}`);

/** The provider resource a registration names (`<urn>::<id>`). */
function providerOf(captured: CapturedStack, resource: CapturedResource): CapturedResource {
  const reference = resource.provider ?? "";
  const urn = reference.slice(0, reference.lastIndexOf("::"));
  const found = captured.resources.find((r) => r.urn === urn);
  if (!found) throw new Error(`no provider ${reference} for ${resource.name}`);
  return found;
}

function rdsAlarm(kind: string, suffix: string, fields: Record<string, unknown>) {
  const topic = topicArn("acme-web-alerts");
  return {
    name: `acme-web-${suffix}`,
    namespace: "AWS/RDS",
    dimensions: { DBInstanceIdentifier: "acme-web-db" },
    alarmActions: [topic],
    okActions: [topic],
    tags: tags(kind),
    ...fields,
  };
}

describe("Alerting: production", () => {
  let captured: CapturedStack;
  beforeAll(async () => {
    captured = await plan("production", production);
  });

  test("declares the topic, its key and subscription, the health check and eight alarms", () => {
    const children = captured.resources.filter((r) => r.parent?.includes(ALERTING_TYPE));
    expect(children.map((r) => [r.type, r.name])).toEqual(
      expect.arrayContaining([
        [PROVIDER, "alerting-us-east-1"],
        [KEY, "alerting-key"],
        [TOPIC, "alerting-topic"],
        [SUBSCRIPTION, "alerting-email-oncall@acme.example"],
        [HEALTH_CHECK, "alerting-health-check"],
      ]),
    );
    expect(children).toHaveLength(5 + 8);
    expect(ofType(captured, ALARM).map((r) => r.name)).toEqual([
      "alerting-db-cpu",
      "alerting-db-free-storage",
      "alerting-db-connections",
      "alerting-db-freeable-memory",
      "alerting-db-read-latency",
      "alerting-db-write-latency",
      "alerting-health-check",
      "alerting-time-to-first-byte",
    ]);
    const component = one(captured, ALERTING_TYPE, "alerting");
    expect(new Set(children.map((r) => r.parent))).toEqual(new Set([component.urn]));
    expect(children.every((r) => !r.protect)).toBe(true);
  });

  test.each([
    [
      "db-cpu",
      {
        metricName: "CPUUtilization",
        statistic: "Average",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 80,
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        alarmDescription:
          "Database CPU above 80% on average for 15 minutes. What to do: docs/alerting.md#cpuutilization",
      },
    ],
    [
      "db-free-storage",
      {
        metricName: "FreeStorageSpace",
        statistic: "Minimum",
        comparisonOperator: "LessThanThreshold",
        threshold: 5 * 1024 ** 3,
        period: 300,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        treatMissingData: "ignore",
        alarmDescription:
          "Database free storage below 5 GiB for 10 minutes. What to do: docs/alerting.md#freestoragespace",
      },
    ],
    [
      "db-connections",
      {
        metricName: "DatabaseConnections",
        statistic: "Maximum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 360,
        period: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        alarmDescription:
          "Database connections above 360 (80% of 450) in 3 of 5 minutes. What to do: docs/alerting.md#databaseconnections",
      },
    ],
    [
      "db-freeable-memory",
      {
        metricName: "FreeableMemory",
        statistic: "Average",
        comparisonOperator: "LessThanThreshold",
        threshold: 128 * 1024 ** 2,
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        alarmDescription:
          "Database freeable memory below 128 MiB on average for 15 minutes. What to do: docs/alerting.md#freeablememory",
      },
    ],
    [
      "db-read-latency",
      {
        metricName: "ReadLatency",
        statistic: "Average",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0.02,
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        alarmDescription:
          "Database disk reads slower than 20 ms on average for 15 minutes. What to do: docs/alerting.md#readlatency",
      },
    ],
    [
      "db-write-latency",
      {
        metricName: "WriteLatency",
        statistic: "Average",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0.02,
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        alarmDescription:
          "Database disk writes slower than 20 ms on average for 15 minutes. What to do: docs/alerting.md#writelatency",
      },
    ],
  ])("the %s alarm's exact inputs, on the default provider", (suffix, fields) => {
    const resource = alarm(captured, suffix);
    expect(resource.inputs).toEqual(rdsAlarm("production", suffix, fields));
    expect(resource.provider).toBeUndefined();
    expect(resource.deleteBeforeReplace).toBe(true);
  });

  test.each([
    [
      "health-check",
      {
        metricName: "HealthCheckStatus",
        statistic: "Minimum",
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        period: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: "breaching",
        alarmDescription:
          "The app's health check is failing: the app is down or answering errors. What to do: docs/alerting.md#healthcheckstatus",
      },
    ],
    [
      "time-to-first-byte",
      {
        metricName: "TimeToFirstByte",
        statistic: "Average",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 1000,
        period: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: "ignore",
        alarmDescription:
          "The app's health check took over 1000 ms to first byte in 3 of 5 minutes. What to do: docs/alerting.md#timetofirstbyte",
      },
    ],
  ])("the %s alarm's exact inputs, on the us-east-1 provider", (suffix, fields) => {
    const resource = alarm(captured, suffix);
    // The stack is in us-east-1, so the one topic serves the Route53 alarms too.
    const topic = topicArn("acme-web-alerts");
    expect(resource.inputs).toEqual({
      name: `acme-web-${suffix}`,
      namespace: "AWS/Route53",
      dimensions: { HealthCheckId: healthCheckId },
      alarmActions: [topic],
      okActions: [topic],
      tags: tags("production"),
      ...fields,
    });
    const provider = providerOf(captured, resource);
    expect(provider.type).toBe(PROVIDER);
    expect(provider.inputs["region"]).toBe("us-east-1");
    expect(provider.parent).toBe(one(captured, ALERTING_TYPE).urn);
  });

  test("the health check probes the app's host over HTTPS with latency measured", () => {
    expect(one(captured, HEALTH_CHECK).inputs).toEqual({
      type: "HTTPS",
      fqdn: "acme-web-1a2b3c4d5e6f.herokuapp.com",
      port: 443,
      resourcePath: "/health",
      requestInterval: 30,
      failureThreshold: 3,
      measureLatency: true,
      enableSni: true,
      tags: { ...tags("production"), Name: "acme-web/health" },
    });
  });

  test("the topic is encrypted with its own key, whose policy lets CloudWatch publish", () => {
    const key = one(captured, KEY, "alerting-key");
    expect(key.inputs).toEqual({
      description: "Encrypts the SNS topic acme-web-alerts (slipway alarms)",
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: alarmTopicKeyPolicy(MOCK_ACCOUNT_ID, "aws"),
      tags: tags("production"),
    });
    const topic = one(captured, TOPIC, "alerting-topic");
    expect(topic.inputs).toEqual({
      name: "acme-web-alerts",
      displayName: "acme-web-alerts (slipway)",
      kmsMasterKeyId: key.state["arn"],
      tags: tags("production"),
    });
    expect(topic.inputs["kmsMasterKeyId"]).not.toContain("alias/aws/sns");
    expect(topic.deleteBeforeReplace).toBe(true);
  });

  test("each e-mail is subscribed to the topic", () => {
    expect(one(captured, SUBSCRIPTION).inputs).toEqual({
      topic: topicArn("acme-web-alerts"),
      protocol: "email",
      endpoint: "oncall@acme.example",
    });
  });

  test("outputs: topic, health check, alarm names and ARNs", () => {
    const names = ofType(captured, ALARM).map((r) => r.inputs["name"] as string);
    expect(captured.outputs).toEqual({
      topicArn: topicArn("acme-web-alerts"),
      healthCheckTopicArn: topicArn("acme-web-alerts"),
      healthCheckId,
      alarmNames: names,
      alarmArns: names.map((n) => `arn:aws:cloudwatch:us-east-1:${MOCK_ACCOUNT_ID}:alarm:${n}`),
    });
  });
});

describe("Alerting: staging", () => {
  test("keeps availability and storage, and leaves the rest out", async () => {
    const captured = await plan("staging", staging, {
      database: { ...database, instanceClass: "db.t4g.micro", allocatedStorageGb: 20 },
    });
    expect(ofType(captured, ALARM).map((r) => r.inputs["name"])).toEqual([
      "acme-web-db-free-storage",
      "acme-web-health-check",
    ]);
    expect(alarm(captured, "db-free-storage").inputs).toEqual(
      rdsAlarm("staging", "db-free-storage", {
        metricName: "FreeStorageSpace",
        statistic: "Minimum",
        comparisonOperator: "LessThanThreshold",
        threshold: 2 * 1024 ** 3,
        period: 300,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        treatMissingData: "ignore",
        alarmDescription:
          "Database free storage below 2 GiB for 10 minutes. What to do: docs/alerting.md#freestoragespace",
      }),
    );
    const status = alarm(captured, "health-check");
    expect(status.inputs["metricName"]).toBe("HealthCheckStatus");
    expect(providerOf(captured, status).inputs["region"]).toBe("us-east-1");
    expect(one(captured, HEALTH_CHECK).inputs["fqdn"]).toBe("acme-web-1a2b3c4d5e6f.herokuapp.com");
    for (const left of ["cpu", "connections", "freeable-memory", "read-latency", "write-latency"]) {
      expect(ofType(captured, ALARM).map((r) => r.name)).not.toContain(`alerting-db-${left}`);
    }
    expect(ofType(captured, ALARM).map((r) => r.name)).not.toContain("alerting-time-to-first-byte");
  });
});

describe("Alerting: the us-east-1 provider is the stack's AWS provider in another region", () => {
  // Every provider setting a stack may set, as `pulumi config set aws:<key>` stores them.
  const settings = {
    "aws:region": "eu-west-1",
    "aws:assumeRoles": [
      { roleArn: "arn:aws:iam::111111111111:role/deploy", sessionName: "slipway" },
    ],
    "aws:allowedAccountIds": ["111111111111"],
    "aws:defaultTags": { tags: { team: "web" } },
    "aws:ignoreTags": { keyPrefixes: ["kubernetes.io/"] },
    "aws:profile": "acme",
    "aws:sharedConfigFiles": ["/etc/aws/config"],
    "aws:sharedCredentialsFiles": ["/etc/aws/credentials"],
    "aws:endpoints": [{ sts: "http://127.0.0.1:4566" }],
    "aws:skipCredentialsValidation": true,
    "aws:skipMetadataApiCheck": true,
    "aws:skipRequestingAccountId": true,
    "aws:maxRetries": 5,
    "aws:retryMode": "adaptive",
    "aws:stsRegion": "eu-west-1",
    "aws:accessKey": "AKIAEXAMPLE",
    "aws:secretKey": "wJalrXUtnFEMI",
  };

  test("every setting but the region carries over, secrets as secrets", async () => {
    const captured = await plan("production", production, {}, settings, [
      "aws:accessKey",
      "aws:secretKey",
    ]);
    expect(one(captured, PROVIDER, "alerting-us-east-1").inputs).toEqual({
      region: "us-east-1",
      assumeRoles: JSON.stringify(settings["aws:assumeRoles"]),
      allowedAccountIds: '["111111111111"]',
      defaultTags: '{"tags":{"team":"web"}}',
      ignoreTags: '{"keyPrefixes":["kubernetes.io/"]}',
      profile: "acme",
      sharedConfigFiles: '["/etc/aws/config"]',
      sharedCredentialsFiles: '["/etc/aws/credentials"]',
      endpoints: '[{"sts":"http://127.0.0.1:4566"}]',
      skipCredentialsValidation: "true",
      skipMetadataApiCheck: "true",
      skipRegionValidation: "true",
      skipRequestingAccountId: "true",
      maxRetries: "5",
      retryMode: "adaptive",
      stsRegion: "eu-west-1",
      accessKey: new Secret("AKIAEXAMPLE"),
      secretKey: new Secret("wJalrXUtnFEMI"),
    });
  });

  test("a setting stored as a secret stays one, whatever it is", async () => {
    const captured = await plan(
      "production",
      production,
      {},
      {
        "aws:forbiddenAccountIds": ["222222222222"],
        "aws:assumeRoles": [{ externalId: "s3cr3t" }],
      },
      ["aws:assumeRoles"],
    );
    const inputs = one(captured, PROVIDER, "alerting-us-east-1").inputs;
    expect(inputs["assumeRoles"]).toEqual(new Secret('[{"externalId":"s3cr3t"}]'));
    expect(inputs["forbiddenAccountIds"]).toBe('["222222222222"]');
    expect(redact(inputs)).toMatchObject({ assumeRoles: "[secret]" });
  });

  test("the settings read are every key of @pulumi/aws's config module but the region", () => {
    const keys = Object.keys(aws.config).filter(
      (k) => typeof (aws.config as Record<string, unknown>)[k] !== "function",
    );
    expect(AWS_PROVIDER_SETTINGS).toEqual(keys.filter((k) => k !== "region"));
    expect(AWS_PROVIDER_SETTINGS).toEqual(
      expect.arrayContaining(["assumeRoles", "allowedAccountIds", "defaultTags", "endpoints"]),
    );
  });
});

describe("Alerting: a stack outside us-east-1", () => {
  test.each([
    ["the region argument", { region: "eu-west-1" }, {}],
    ["the stack's aws:region", {}, { "aws:region": "eu-west-1" }],
  ])("from %s: a second topic in us-east-1 for the Route53 alarms", async (_, args, config) => {
    const captured = await plan(
      "production",
      { ...production, httpsEndpoint: "https://hooks.example.com/alerts" },
      args,
      config,
    );
    const east = one(captured, TOPIC, "alerting-us-east-1-topic");
    expect(east.inputs).toEqual({
      name: "acme-web-alerts-us-east-1",
      displayName: "acme-web-alerts-us-east-1 (slipway)",
      kmsMasterKeyId: one(captured, KEY, "alerting-us-east-1-key").state["arn"],
      tags: tags("production"),
    });
    const provider = providerOf(captured, east);
    expect(provider.inputs["region"]).toBe("us-east-1");
    expect(providerOf(captured, one(captured, KEY, "alerting-us-east-1-key"))).toBe(provider);

    const eastArn = topicArn("acme-web-alerts-us-east-1");
    const subscriptions = ofType(captured, SUBSCRIPTION).map((r) => [
      r.name,
      r.inputs,
      r.provider === undefined ? "default" : providerOf(captured, r).inputs["region"],
    ]);
    expect(subscriptions).toEqual([
      [
        "alerting-email-oncall@acme.example",
        { topic: topicArn("acme-web-alerts"), protocol: "email", endpoint: "oncall@acme.example" },
        "default",
      ],
      [
        "alerting-https",
        {
          topic: topicArn("acme-web-alerts"),
          protocol: "https",
          endpoint: "https://hooks.example.com/alerts",
        },
        "default",
      ],
      [
        "alerting-us-east-1-email-oncall@acme.example",
        { topic: eastArn, protocol: "email", endpoint: "oncall@acme.example" },
        "us-east-1",
      ],
      [
        "alerting-us-east-1-https",
        { topic: eastArn, protocol: "https", endpoint: "https://hooks.example.com/alerts" },
        "us-east-1",
      ],
    ]);
    for (const name of ["health-check", "time-to-first-byte"]) {
      const resource = alarm(captured, name);
      expect(resource.inputs["alarmActions"]).toEqual([eastArn]);
      expect(resource.inputs["okActions"]).toEqual([eastArn]);
      expect(providerOf(captured, resource)).toBe(provider);
    }
    expect(alarm(captured, "db-cpu").inputs["alarmActions"]).toEqual([topicArn("acme-web-alerts")]);
    expect(alarm(captured, "db-cpu").provider).toBeUndefined();
    expect(captured.outputs["healthCheckTopicArn"]).toBe(eastArn);
  });
});

describe("Alerting: thresholds come from config", () => {
  // Two sets of values, one plan each: every threshold in the metric's own unit.
  test.each([
    [
      { cpuPercent: 50, freeStorageGb: 1, connectionsPercent: 50, freeableMemoryMb: 256 },
      { readLatencyMs: 5, writeLatencyMs: 250, latencyMs: 2500 },
      {
        "db-cpu": 50,
        "db-free-storage": 1024 ** 3,
        "db-connections": 225,
        "db-freeable-memory": 256 * 1024 ** 2,
        "db-read-latency": 0.005,
        "db-write-latency": 0.25,
        "time-to-first-byte": 2500,
      },
    ],
    [
      { cpuPercent: 95, freeStorageGb: 2.5, connectionsPercent: 90, freeableMemoryMb: 64 },
      { readLatencyMs: 100, writeLatencyMs: 7, latencyMs: 300 },
      {
        "db-cpu": 95,
        "db-free-storage": 2.5 * 1024 ** 3,
        "db-connections": 405,
        "db-freeable-memory": 64 * 1024 ** 2,
        "db-read-latency": 0.1,
        "db-write-latency": 0.007,
        "time-to-first-byte": 300,
      },
    ],
  ])("%j %j give the thresholds %j", async (database, latency, thresholds) => {
    const settings = alertingSchema.parse({
      emails: ["oncall@acme.example"],
      ...database,
      ...latency,
    });
    const captured = await plan("production", settings);
    const actual = Object.fromEntries(
      Object.keys(thresholds).map((suffix) => [
        suffix,
        alarm(captured, suffix).inputs["threshold"],
      ]),
    );
    expect(actual).toEqual(thresholds);
    expect(alarm(captured, "health-check").inputs["threshold"]).toBe(1);
  });
});

describe("Alerting: soft problems", () => {
  test("are warned about; an unknown class leaves the connections alarm out", async () => {
    const settings = alertingSchema.parse({ freeStorageGb: 50 });
    const unknown = { ...database, instanceClass: "db.x9z.large" };
    const captured = await plan("production", settings, { database: unknown });
    expect(captured.warnings).toEqual(planAlarms("production", settings, unknown).warnings);
    expect(captured.warnings.map((message) => message.slice(0, 40))).toEqual([
      "slipway:alerting has no emails and no ht",
      "slipway:database.instanceClass is db.x9z",
      "slipway:alerting.freeStorageGb is 50, no",
    ]);
    expect(ofType(captured, ALARM).map((r) => r.name)).toEqual([
      "alerting-db-cpu",
      "alerting-db-free-storage",
      "alerting-db-freeable-memory",
      "alerting-db-read-latency",
      "alerting-db-write-latency",
      "alerting-health-check",
      "alerting-time-to-first-byte",
    ]);
    expect(ofType(captured, SUBSCRIPTION)).toEqual([]);
  });
});

describe("alerting helpers", () => {
  test.each([
    [WEB_URL, "acme-web-1a2b3c4d5e6f.herokuapp.com"],
    ["https://www.acme.example/some/path?x=1", "www.acme.example"],
    ["https://ACME.example:8443/", "acme.example"],
  ])("webUrlHost(%s) is %s", (url, host) => {
    expect(webUrlHost(url)).toBe(host);
  });

  test("webUrlHost refuses a URL that is not https", () => {
    expect(() => webUrlHost("http://acme-web.herokuapp.com/")).toThrow(
      "the app's web URL http://acme-web.herokuapp.com/ is not https; the health check probes HTTPS",
    );
    expect(() => webUrlHost("acme-web.herokuapp.com")).toThrow("Invalid URL");
  });

  test("alarmTopicKeyPolicy: the account administers, CloudWatch may encrypt and decrypt", () => {
    expect(JSON.parse(alarmTopicKeyPolicy("111122223333", "aws-us-gov"))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AccountAdministersKey",
          Effect: "Allow",
          Principal: { AWS: "arn:aws-us-gov:iam::111122223333:root" },
          Action: "kms:*",
          Resource: "*",
        },
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
        },
      ],
    });
  });
});
