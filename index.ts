// The slipway program: load the stack's configuration, build the stack for its kind from the
// components, export its outputs. Components own every resource; this file only composes.
import * as pulumi from "@pulumi/pulumi";
import { Alerting } from "./components/alerting";
import { PostgresDatabase } from "./components/database";
import { DeliveryPipeline } from "./components/delivery-pipeline";
import { HerokuApp } from "./components/heroku-app";
import { RepositoryProcess } from "./components/repository";
import { DatabaseSettings, loadConfig, SlipwayConfig } from "./config";

export = function slipway() {
  const config = loadConfig();
  switch (config.kind) {
    case "production":
      return production(config);
    case "staging":
      return staging(config);
    case "review":
      return review(config);
  }
};

/** The production app, its database and alarms, the pipeline and the repository process. */
function production(config: SlipwayConfig) {
  const { database, app } = appWithDatabase(config, "production");
  const github = config.github;
  const pipeline = new DeliveryPipeline("pipeline", {
    pipeline: { name: config.pipeline.name as string, team: config.app.team },
    app,
    stage: "production",
    reviewApps: { settings: config.reviewApps, repo: `${github.owner}/${github.repository}` },
  });
  const alerting = alertingFor(config, "production", database, app);
  const repository = new RepositoryProcess("repository", {
    settings: github,
    awsRegion: config.awsRegion as string,
    herokuApiKey: new pulumi.Config("heroku").getSecret("apiKey"),
    githubToken: new pulumi.Config("github").getSecret("token"),
  });
  return {
    kind: config.kind,
    pipelineId: pipeline.pipelineId,
    appName: app.name,
    webUrl: app.webUrl,
    databaseEndpoint: database.endpoint,
    databaseIdentifier: database.instanceIdentifier,
    alertTopicArn: alerting.topicArn,
    healthCheckId: alerting.healthCheckId,
    repository: repository.repository,
    deployRoleArn: repository.roleArn,
    previewRoleArn: repository.previewRoleArn,
  };
}

/** The staging app, a smaller database and lighter alarms, coupled into production's pipeline. */
function staging(config: SlipwayConfig) {
  const { database, app } = appWithDatabase(config, "staging");
  const pipeline = new DeliveryPipeline("pipeline", {
    pipeline: { id: productionPipelineId(config) },
    app,
    stage: "staging",
  });
  const alerting = alertingFor(config, "staging", database, app);
  return {
    kind: config.kind,
    pipelineId: pipeline.pipelineId,
    appName: app.name,
    webUrl: app.webUrl,
    databaseEndpoint: database.endpoint,
    databaseIdentifier: database.instanceIdentifier,
    alertTopicArn: alerting.topicArn,
    healthCheckId: alerting.healthCheckId,
  };
}

/** One app in the pipeline's review stage with a Heroku Postgres add-on; nothing protected. */
function review(config: SlipwayConfig) {
  const app = new HerokuApp("app", {
    kind: "review",
    settings: {
      ...config.app,
      addons: [...config.reviewApps.addons],
      formation: { web: { quantity: 1, size: config.reviewApps.size } },
    },
    secretConfigVars: config.secretConfigVars,
  });
  const pipeline = new DeliveryPipeline("pipeline", {
    pipeline: { id: productionPipelineId(config) },
    app,
    stage: "review",
  });
  return {
    kind: config.kind,
    pipelineId: pipeline.pipelineId,
    appName: app.name,
    webUrl: app.webUrl,
  };
}

/** The RDS database and the app it serves; DATABASE_URL reaches the app as a secret. */
function appWithDatabase(config: SlipwayConfig, kind: "production" | "staging") {
  const database = new PostgresDatabase("database", {
    settings: config.database as DatabaseSettings,
    kind,
    namePrefix: config.app.name,
  });
  const app = new HerokuApp("app", {
    kind,
    settings: config.app,
    secretConfigVars: { ...config.secretConfigVars, DATABASE_URL: database.databaseUrl },
    releaseWebhookUrl: config.alerting.releaseWebhookUrl,
  });
  return { database, app };
}

function alertingFor(
  config: SlipwayConfig,
  kind: "production" | "staging",
  database: PostgresDatabase,
  app: HerokuApp,
) {
  return new Alerting("alerting", {
    settings: config.alerting,
    kind,
    namePrefix: config.app.name,
    database,
    app: { name: config.app.name, webUrl: app.webUrl, healthCheckPath: config.app.healthCheckPath },
  });
}

/** Production creates the pipeline; the other stacks read its id from production's outputs. */
function productionPipelineId(config: SlipwayConfig): pulumi.Output<string> {
  const production = new pulumi.StackReference(config.pipeline.productionStack);
  return production.requireOutput("pipelineId") as pulumi.Output<string>;
}
