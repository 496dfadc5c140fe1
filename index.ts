// The slipway program: load the stack's configuration, build the stack for its kind from the
// components, export its outputs. Components own every resource; this file only composes.
import * as pulumi from "@pulumi/pulumi";
import { Alerting } from "./components/alerting";
import { PostgresDatabase } from "./components/database";
import {
  DeliveryPipeline,
  DeliveryPipelineArgs,
  PipelineRef,
} from "./components/delivery-pipeline";
import { HerokuApp } from "./components/heroku-app";
import { RepositoryProcess } from "./components/repository";
import { DatabaseSettings, loadConfig, SlipwayConfig } from "./config";
import { qualifyStackName } from "./config/stack-reference";

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
  const github = config.github;
  const environment = appEnvironment(
    config,
    "production",
    { name: config.pipeline.name as string, team: config.app.team },
    { settings: config.reviewApps, repo: `${github.owner}/${github.repository}` },
  );
  const repository = new RepositoryProcess("repository", {
    settings: github,
    awsRegion: config.awsRegion as string,
    credentials: {
      herokuApiKey: new pulumi.Config("heroku").getSecret("apiKey"),
      ...config.ciSecrets,
    },
    githubToken: new pulumi.Config("github").getSecret("token"),
  });
  return {
    ...environment,
    repository: repository.repository,
    platformRepository: repository.platformRepository,
    roleArns: repository.roleArns,
  };
}

/** The staging app, a smaller database and lighter alarms, coupled into production's pipeline. */
function staging(config: SlipwayConfig) {
  return appEnvironment(config, "staging", { id: productionPipelineId(config) });
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

/**
 * What production and staging share: the RDS database, the app it serves (DATABASE_URL reaches
 * it as a secret), the app's place in the pipeline, and the alarms on both.
 */
function appEnvironment(
  config: SlipwayConfig,
  kind: "production" | "staging",
  pipeline: PipelineRef,
  reviewApps?: DeliveryPipelineArgs["reviewApps"],
) {
  const database = new PostgresDatabase("database", {
    settings: config.database as DatabaseSettings,
    kind,
    namePrefix: config.app.name,
    awsRegion: config.awsRegion as string,
    space: config.app.space,
  });
  const app = new HerokuApp("app", {
    kind,
    settings: { ...config.app, configVars: { ...config.app.configVars, ...database.configVars } },
    secretConfigVars: { ...config.secretConfigVars, DATABASE_URL: database.databaseUrl },
    releaseWebhookUrl: config.alerting.releaseWebhookUrl,
  });
  const delivery = new DeliveryPipeline("pipeline", { pipeline, app, stage: kind, reviewApps });
  const alerting = new Alerting("alerting", {
    settings: config.alerting,
    kind,
    namePrefix: config.app.name,
    database,
    app: { name: config.app.name, webUrl: app.webUrl, healthCheckPath: config.app.healthCheckPath },
  });
  return {
    kind: config.kind,
    pipelineId: delivery.pipelineId,
    appName: app.name,
    webUrl: app.webUrl,
    databaseEndpoint: database.endpoint,
    databaseIdentifier: database.instanceIdentifier,
    alertTopicArn: alerting.topicArn,
    healthCheckId: alerting.healthCheckId,
  };
}

/**
 * Production creates the pipeline; the other stacks read its id from production's outputs. The
 * reference names the running stack's organization and project: a bare name would resolve to
 * the user's default organization on Pulumi Cloud.
 */
function productionPipelineId(config: SlipwayConfig): pulumi.Output<string> {
  const name = config.pipeline.productionStack;
  const production = new pulumi.StackReference(name, {
    name: qualifyStackName(name, pulumi.getOrganization(), pulumi.getProject()),
  });
  return production.requireOutput("pipelineId") as pulumi.Output<string>;
}
