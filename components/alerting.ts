// Alerting: who hears about trouble, and when. An encrypted SNS topic with the configured
// recipients, CloudWatch alarms on the database (thresholds from `slipway:alerting`), and a
// Route53 health check on the app whose alarms live in us-east-1, the one region Route53
// publishes its metrics to. Which alarms a stack gets is the table in alarm-rules.ts.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertingSettings } from "../config/schema";
import { AlarmRule, planAlarms } from "./alarm-rules";
import { AwsStackKind, awsName, awsTags, stackProviderSettings } from "./aws-common";
import { AlarmedDatabase } from "./database";

export const ALERTING_TYPE = "slipway:aws:Alerting";

/** Route53 health-check metrics exist only here. */
export const ROUTE53_METRICS_REGION = "us-east-1";

/**
 * The health check on the app. Checkers probe every 30 s (the standard interval; 10 s costs
 * extra and Heroku restarts last longer than that anyway) and call the app unhealthy after 3
 * failures in a row, so a blip of under a minute and a half is not an outage. SNI is on so
 * custom domains with ACM certificates answer too.
 */
export const HEALTH_CHECK = {
  type: "HTTPS",
  port: 443,
  requestInterval: 30,
  failureThreshold: 3,
  measureLatency: true,
  enableSni: true,
} as const;

/** The app a health check watches. */
export interface MonitoredApp {
  /** The Heroku app's name, shown in the health check's Name tag. */
  readonly name: string;
  /** The app's web URL as Heroku reports it (`https://acme-web-1a2b3c4d5e6f.herokuapp.com/`). */
  readonly webUrl: pulumi.Input<string>;
  /** The path that answers 200 when the app is healthy (`slipway:app.healthCheckPath`). */
  readonly healthCheckPath: string;
}

export interface AlertingArgs {
  /**
   * The validated `slipway:alerting` settings: recipients and thresholds.
   * @default - required: `config.alerting` from `loadConfig()`
   */
  readonly settings: AlertingSettings;
  /**
   * The stack's kind, which picks the set of alarms (`ALARMS_BY_KIND` in alarm-rules.ts).
   * @default - required
   */
  readonly kind: AwsStackKind;
  /**
   * The start of every AWS name the component sets: the topic is `<prefix>-alerts`, the alarms
   * `<prefix>-db-cpu`, `<prefix>-web-health`, ...
   * @default - required; the app name (`slipway:app.name`) reads best
   */
  readonly namePrefix: string;
  /**
   * The database the alarms watch; a `PostgresDatabase` fits as it is.
   * @default - required
   */
  readonly database: AlarmedDatabase;
  /**
   * The app the health check watches.
   * @default - required
   */
  readonly app: MonitoredApp;
  /**
   * The stack's AWS region, where the topic and the database alarms live.
   * @default - the stack's `aws:region`
   */
  readonly region?: string;
}

/** The alarms and health check of one stack, and the topic they notify. */
export class Alerting extends pulumi.ComponentResource {
  /** The topic every database alarm notifies, in the stack's region. */
  readonly topicArn: pulumi.Output<string>;
  /** The topic the Route53 alarms notify: in us-east-1, so `topicArn` when the stack is there. */
  readonly healthCheckTopicArn: pulumi.Output<string>;
  readonly healthCheckId: pulumi.Output<string>;
  /** Every alarm's name, in the order of the kind's table. */
  readonly alarmNames: readonly string[];
  readonly alarmArns: pulumi.Output<string[]>;

  constructor(name: string, args: AlertingArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ALERTING_TYPE, name, {}, opts);
    const { settings } = args;
    const prefix = awsName(args.namePrefix);
    const tags = awsTags(args.kind);
    const region = args.region ?? aws.config.region;
    const plan = planAlarms(args.kind, settings, args.database);
    for (const warning of plan.warnings) void pulumi.log.warn(warning, this);

    // The stack's own provider in us-east-1: the same account, role, tags and endpoints.
    const usEast1 = new aws.Provider(
      `${name}-${ROUTE53_METRICS_REGION}`,
      { ...stackProviderSettings(), region: ROUTE53_METRICS_REGION },
      { parent: this },
    );
    const keyPolicy = pulumi
      .all([
        aws.getCallerIdentityOutput({}, { parent: this }).accountId,
        aws.getPartitionOutput({}, { parent: this }).partition,
      ])
      .apply(([accountId, partition]) => alarmTopicKeyPolicy(accountId, partition));
    const topic = this.createTopic(name, `${prefix}-alerts`, settings, keyPolicy, tags);
    const healthCheckTopic =
      region === ROUTE53_METRICS_REGION
        ? topic
        : this.createTopic(
            `${name}-${ROUTE53_METRICS_REGION}`,
            `${prefix}-alerts-${ROUTE53_METRICS_REGION}`,
            settings,
            keyPolicy,
            tags,
            usEast1,
          );
    const healthCheck = this.createHealthCheck(name, args.app, tags);

    const alarms = plan.rules.map((rule) => {
      const route53 = rule.namespace === "AWS/Route53";
      const target = route53 ? healthCheckTopic : topic;
      return this.createAlarm(
        name,
        `${prefix}-${rule.nameSuffix}`,
        rule,
        route53
          ? { HealthCheckId: healthCheck.id }
          : { DBInstanceIdentifier: args.database.instanceIdentifier },
        target,
        tags,
        route53 ? usEast1 : undefined,
      );
    });

    this.topicArn = topic.arn;
    this.healthCheckTopicArn = healthCheckTopic.arn;
    this.healthCheckId = healthCheck.id;
    this.alarmNames = plan.rules.map((rule) => `${prefix}-${rule.nameSuffix}`);
    this.alarmArns = pulumi.all(alarms.map((alarm) => alarm.arn));
    this.registerOutputs({
      topicArn: this.topicArn,
      healthCheckTopicArn: this.healthCheckTopicArn,
      healthCheckId: this.healthCheckId,
      alarmNames: this.alarmNames,
      alarmArns: this.alarmArns,
    });
  }

  /**
   * A topic encrypted with its own KMS key, and its subscriptions. Not the AWS-managed
   * `alias/aws/sns` key: its policy cannot be changed to let CloudWatch use it, and alarms
   * publishing to a topic encrypted with it fail, so no notification would ever arrive.
   */
  private createTopic(
    name: string,
    topicName: string,
    settings: AlertingSettings,
    keyPolicy: pulumi.Input<string>,
    tags: Record<string, string>,
    provider?: aws.Provider,
  ): aws.sns.Topic {
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the SNS topic ${topicName} (slipway alarms)`,
        enableKeyRotation: true,
        // It protects messages only until SNS delivers them: a short window is enough.
        deletionWindowInDays: 7,
        policy: keyPolicy,
        tags,
      },
      { parent: this, provider },
    );
    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: topicName, displayName: `${topicName} (slipway)`, kmsMasterKeyId: key.arn, tags },
      // Topic names are unique in a region, so a replacement must free the name first.
      { parent: this, provider, deleteBeforeReplace: true },
    );
    const subscriptions: [string, string, string][] = settings.emails.map((email) => [
      `email-${email}`,
      "email",
      email,
    ]);
    if (settings.httpsEndpoint !== undefined) {
      subscriptions.push(["https", "https", settings.httpsEndpoint]);
    }
    for (const [suffix, protocol, endpoint] of subscriptions) {
      new aws.sns.TopicSubscription(
        `${name}-${suffix}`,
        { topic: topic.arn, protocol, endpoint },
        { parent: this, provider },
      );
    }
    return topic;
  }

  private createHealthCheck(
    name: string,
    app: MonitoredApp,
    tags: Record<string, string>,
  ): aws.route53.HealthCheck {
    return new aws.route53.HealthCheck(
      `${name}-health-check`,
      {
        ...HEALTH_CHECK,
        fqdn: pulumi.output(app.webUrl).apply(webUrlHost),
        resourcePath: app.healthCheckPath,
        tags: { ...tags, Name: `${app.name}${app.healthCheckPath}` },
      },
      { parent: this },
    );
  }

  private createAlarm(
    name: string,
    alarmName: string,
    rule: AlarmRule,
    dimensions: Record<string, pulumi.Input<string>>,
    target: aws.sns.Topic,
    tags: Record<string, string>,
    provider?: aws.Provider,
  ): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
      `${name}-${rule.nameSuffix}`,
      {
        name: alarmName,
        alarmDescription: rule.description,
        namespace: rule.namespace,
        metricName: rule.metricName,
        dimensions,
        statistic: rule.statistic,
        comparisonOperator: rule.comparisonOperator,
        threshold: rule.threshold,
        period: rule.periodSeconds,
        evaluationPeriods: rule.evaluationPeriods,
        datapointsToAlarm: rule.datapointsToAlarm,
        treatMissingData: rule.treatMissingData,
        alarmActions: [target.arn],
        okActions: [target.arn],
        tags,
      },
      // Alarm names are unique in a region, so a replacement must free the name first.
      { parent: this, provider, deleteBeforeReplace: true },
    );
  }
}

/** The host of an app's web URL: `https://acme-web-1a2b.herokuapp.com/` → `acme-web-1a2b.herokuapp.com`. */
export function webUrlHost(webUrl: string): string {
  const url = new URL(webUrl);
  if (url.protocol !== "https:") {
    throw new Error(`the app's web URL ${webUrl} is not https; the health check probes HTTPS`);
  }
  return url.hostname;
}

/**
 * The alarm topic key's policy: the account administers the key through IAM, and CloudWatch
 * may use it to publish alarm notifications to the encrypted topic.
 */
export function alarmTopicKeyPolicy(accountId: string, partition: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
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
}
