// The whole program under the mock runtime, per stack kind: what each kind declares, what is
// protected, how the stacks connect, and how secrets travel.
import type { StackPlan } from "../../cli/plan";
import { redact, Secret, UNKNOWN } from "../../cli/plan/values";
import { stableUuid } from "../../cli/plan/mocks";
import { rdsCaBundle } from "../../components/rds-ca";
import { one, ofType, planStack, StackValues } from "../support/stacks";

const list = (plan: StackPlan) => plan.resources.map((r) => `${r.type}::${r.name}`).sort();
const protectedNames = (plan: StackPlan) =>
  plan.resources
    .filter((r) => r.protect)
    .map((r) => r.name)
    .sort();
const HEROKU = "pulumi-nodejs:dynamic/heroku:";

describe("production", () => {
  let plan: StackPlan;
  beforeAll(async () => {
    plan = await planStack("production");
  });

  test("declares the app, database, pipeline, alarms and repository process", () => {
    expect(plan.kind).toBe("production");
    expect(list(plan)).toEqual([
      "aws:cloudwatch/logGroup:LogGroup::database-log",
      "aws:cloudwatch/logGroup:LogGroup::database-log-upgrade",
      "aws:cloudwatch/metricAlarm:MetricAlarm::alerting-db-connections",
      "aws:cloudwatch/metricAlarm:MetricAlarm::alerting-db-cpu",
      "aws:cloudwatch/metricAlarm:MetricAlarm::alerting-db-free-storage",
      "aws:cloudwatch/metricAlarm:MetricAlarm::alerting-db-freeable-memory",
      "aws:cloudwatch/metricAlarm:MetricAlarm::alerting-db-read-latency",
      "aws:cloudwatch/metricAlarm:MetricAlarm::alerting-db-write-latency",
      "aws:cloudwatch/metricAlarm:MetricAlarm::alerting-health-check",
      "aws:cloudwatch/metricAlarm:MetricAlarm::alerting-time-to-first-byte",
      "aws:ec2/securityGroup:SecurityGroup::database-sg",
      "aws:iam/openIdConnectProvider:OpenIdConnectProvider::repository-github-oidc",
      "aws:iam/policy:Policy::repository-deploy-production",
      "aws:iam/policy:Policy::repository-deploy-staging",
      "aws:iam/policy:Policy::repository-infrastructure",
      "aws:iam/policy:Policy::repository-preview",
      "aws:iam/policy:Policy::repository-review",
      "aws:iam/role:Role::repository-deploy-production",
      "aws:iam/role:Role::repository-deploy-staging",
      "aws:iam/role:Role::repository-infrastructure",
      "aws:iam/role:Role::repository-preview",
      "aws:iam/role:Role::repository-review",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment::repository-deploy-production-policy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment::repository-deploy-staging-policy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment::repository-infrastructure-policy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment::repository-preview-policy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment::repository-review-policy",
      "aws:kms/key:Key::alerting-key",
      "aws:rds/instance:Instance::database-instance",
      "aws:rds/parameterGroup:ParameterGroup::database-params",
      "aws:rds/subnetGroup:SubnetGroup::database-subnets",
      "aws:route53/healthCheck:HealthCheck::alerting-health-check",
      "aws:sns/topic:Topic::alerting-topic",
      "aws:sns/topicSubscription:TopicSubscription::alerting-email-oncall@acme.example",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::database-ingress-192-0-2-10-32",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::database-ingress-192-0-2-11-32",
      "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable::repository-platform-drift-aws-role-arn",
      "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable::repository-platform-infrastructure-aws-role-arn",
      "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable::repository-production-aws-role-arn",
      "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable::repository-review-aws-role-arn",
      "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable::repository-staging-aws-role-arn",
      "github:index/actionsRepositoryOidcSubjectClaimCustomizationTemplate:ActionsRepositoryOidcSubjectClaimCustomizationTemplate::repository-oidc-subject",
      "github:index/actionsVariable:ActionsVariable::repository-aws-region",
      "github:index/actionsVariable:ActionsVariable::repository-platform-aws-preview-role-arn",
      "github:index/actionsVariable:ActionsVariable::repository-platform-aws-region",
      "github:index/actionsVariable:ActionsVariable::repository-platform-pulumi-backend-url",
      "github:index/actionsVariable:ActionsVariable::repository-pulumi-backend-url",
      "github:index/branchProtection:BranchProtection::repository-platform-branch",
      "github:index/branchProtection:BranchProtection::repository-production-branch",
      "github:index/branchProtection:BranchProtection::repository-staging-branch",
      "github:index/repositoryEnvironment:RepositoryEnvironment::repository-platform-drift-environment",
      "github:index/repositoryEnvironment:RepositoryEnvironment::repository-platform-infrastructure-environment",
      "github:index/repositoryEnvironment:RepositoryEnvironment::repository-production-environment",
      "github:index/repositoryEnvironment:RepositoryEnvironment::repository-review-environment",
      "github:index/repositoryEnvironment:RepositoryEnvironment::repository-staging-environment",
      "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy::repository-platform-drift-from-platform-branch",
      "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy::repository-platform-infrastructure-from-platform-branch",
      "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy::repository-production-from-production-branch",
      "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy::repository-staging-from-production-branch",
      "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy::repository-staging-from-staging-branch",
      `${HEROKU}App::app-app`,
      `${HEROKU}AppFeature::app-feature-preboot`,
      `${HEROKU}AppFeature::app-feature-runtime-dyno-metadata`,
      `${HEROKU}ConfigVars::app-config`,
      `${HEROKU}Formation::app-formation`,
      `${HEROKU}Pipeline::pipeline-pipeline`,
      `${HEROKU}PipelineCoupling::pipeline-production`,
      "pulumi:providers:aws::alerting-us-east-1",
      "pulumi:providers:github::repository-github",
      "pulumi:pulumi:Stack::slipway-production",
      "random:index/randomId:RandomId::database-final-snapshot",
      "random:index/randomPassword:RandomPassword::database-password",
      "slipway:aws:Alerting::alerting",
      "slipway:aws:PostgresDatabase::database",
      "slipway:github:RepositoryProcess::repository",
      "slipway:heroku:DeliveryPipeline::pipeline",
      "slipway:heroku:HerokuApp::app",
    ]);
  });

  test("protects the app, its config vars, the pipeline, the database and its password, nothing else", () => {
    expect(protectedNames(plan)).toEqual([
      "app-app",
      "app-config",
      "database-instance",
      "database-password",
      "pipeline-pipeline",
    ]);
  });

  test("hands the database URL to the app as a secret, beside the plain config vars and the CA bundle", () => {
    const config = one(plan, `${HEROKU}ConfigVars`);
    const db = one(plan, "aws:rds/instance:Instance");
    const password = one(plan, "random:index/randomPassword:RandomPassword");
    expect(config.inputs["vars"]).toEqual({
      LOG_LEVEL: "info",
      NODE_ENV: "production",
      WEB_CONCURRENCY: "2",
      DATABASE_CA_BUNDLE: rdsCaBundle("us-east-1"),
    });
    const secretVars = config.inputs["secretVars"] as Record<string, unknown>;
    expect(Object.keys(secretVars)).toEqual(["DATABASE_URL"]);
    expect(secretVars["DATABASE_URL"]).toEqual(
      new Secret(
        `postgres://slipway:${String(password.state["result"])}@${String(db.state["address"])}:5432/app?sslmode=verify-full&sslrootcert=%2Fapp%2F.postgresql%2Froot.crt`,
      ),
    );
    expect(redact(config.inputs)).toMatchObject({ secretVars: { DATABASE_URL: "[secret]" } });
  });

  test("couples the app at the production stage of the pipeline it creates, and runs preboot", () => {
    const appId = stableUuid("production", "heroku", "App", "app-app");
    const pipelineId = stableUuid("production", "heroku", "Pipeline", "pipeline-pipeline");
    expect(one(plan, `${HEROKU}Pipeline`).inputs).toMatchObject({ name: "acme-web" });
    expect(one(plan, `${HEROKU}PipelineCoupling`).inputs).toMatchObject({
      app: appId,
      pipeline: pipelineId,
      stage: "production",
    });
    expect(one(plan, `${HEROKU}AppFeature`, "app-feature-preboot").inputs).toMatchObject({
      app: appId,
      feature: "preboot",
      enabled: true,
    });
    expect(one(plan, `${HEROKU}Formation`).inputs["formation"]).toEqual({
      web: { quantity: 2, size: "standard-2x" },
      worker: { quantity: 1, size: "standard-1x" },
    });
    expect(plan.outputs["pipelineId"]).toBe(pipelineId);
  });

  test("watches the app's web URL and the database instance", () => {
    const app = one(plan, `${HEROKU}App`);
    const check = one(plan, "aws:route53/healthCheck:HealthCheck");
    expect(check.inputs).toMatchObject({
      fqdn: new URL(String(app.state["webUrl"])).hostname,
      resourcePath: "/health",
    });
    expect(check.dependencies).toContain(app.urn);
    const cpu = one(plan, "aws:cloudwatch/metricAlarm:MetricAlarm", "alerting-db-cpu");
    expect(cpu.inputs["dimensions"]).toEqual({ DBInstanceIdentifier: "acme-web-db" });
  });

  test("exports what the other stacks and people need", () => {
    expect(Object.keys(plan.outputs).sort()).toEqual([
      "alertTopicArn",
      "appName",
      "databaseEndpoint",
      "databaseIdentifier",
      "healthCheckId",
      "kind",
      "pipelineId",
      "platformRepository",
      "repository",
      "roleArns",
      "webUrl",
    ]);
    expect(plan.outputs["kind"]).toBe("production");
    expect(plan.outputs["repository"]).toBe("acme/acme-web");
    expect(plan.outputs["platformRepository"]).toBe("acme/slipway");
    expect(Object.keys(plan.outputs["roleArns"] as object).sort()).toEqual([
      "deploy-production",
      "deploy-staging",
      "infrastructure",
      "preview",
      "review",
    ]);
  });
});

describe("staging", () => {
  test("joins production's pipeline at the staging stage, protects nothing and leaves GitHub alone", async () => {
    const production = await planStack("production");
    const plan = await planStack("staging");
    expect(plan.kind).toBe("staging");
    expect(protectedNames(plan)).toEqual([]);
    // Qualified from the running stack, as a local backend names it: a bare name would resolve
    // to the user's default organization on Pulumi Cloud.
    expect(one(plan, "pulumi:pulumi:StackReference")).toMatchObject({
      name: "production",
      inputs: { name: "organization/slipway/production" },
    });
    expect(one(plan, `${HEROKU}PipelineCoupling`).inputs).toMatchObject({
      pipeline: production.outputs["pipelineId"],
      stage: "staging",
    });
    expect(ofType(plan, `${HEROKU}Pipeline`)).toEqual([]);
    // Runtime dyno metadata lets the app name its release to deploy's health check.
    expect(ofType(plan, `${HEROKU}AppFeature`).map((r) => [r.name, r.inputs["feature"]])).toEqual([
      ["app-feature-runtime-dyno-metadata", "runtime-dyno-metadata"],
    ]);
    expect(plan.resources.filter((r) => r.type.startsWith("github:"))).toEqual([]);
    expect(
      ofType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["alerting-db-free-storage", "alerting-health-check"]);
  });
});

describe("the reference to production", () => {
  test("a fully qualified name stays as it is, and plan still reads production's outputs", async () => {
    const production = await planStack("production");
    const plan = await planStack("staging", (values) => {
      values["slipway:pipeline"] = { productionStack: "acme/slipway/production" };
    });
    expect(one(plan, "pulumi:pulumi:StackReference").inputs).toEqual({
      name: "acme/slipway/production",
    });
    expect(one(plan, `${HEROKU}PipelineCoupling`).inputs["pipeline"]).toBe(
      production.outputs["pipelineId"],
    );
  });

  test("another project's stack is not one plan has planned: its outputs are unknown", async () => {
    const plan = await planStack("staging", (values) => {
      values["slipway:pipeline"] = { productionStack: "acme/platform/production" };
    });
    expect(one(plan, `${HEROKU}PipelineCoupling`).inputs["pipeline"]).toBe(UNKNOWN);
  });
});

describe("review", () => {
  const reviewApp = (values: StackValues) => {
    values["slipway:app"] = { name: "acme-web-pr-login" };
  };

  test("is one app at the review stage with a Heroku Postgres add-on and one small dyno", async () => {
    const plan = await planStack("staging", reviewApp, { as: "review-login-form" });
    expect(plan.kind).toBe("review");
    expect(list(plan)).toEqual([
      `${HEROKU}Addon::app-addon-heroku-postgresql`,
      `${HEROKU}App::app-app`,
      `${HEROKU}AppFeature::app-feature-runtime-dyno-metadata`,
      `${HEROKU}ConfigVars::app-config`,
      `${HEROKU}Formation::app-formation`,
      `${HEROKU}PipelineCoupling::pipeline-review`,
      "pulumi:pulumi:Stack::slipway-review-login-form",
      "pulumi:pulumi:StackReference::production",
      "slipway:heroku:DeliveryPipeline::pipeline",
      "slipway:heroku:HerokuApp::app",
    ]);
    expect(protectedNames(plan)).toEqual([]);
    expect(one(plan, `${HEROKU}Addon`).inputs).toMatchObject({
      plan: "heroku-postgresql:essential-0",
    });
    expect(one(plan, `${HEROKU}Formation`).inputs["formation"]).toEqual({
      web: { quantity: 1, size: "basic" },
    });
    expect(one(plan, `${HEROKU}PipelineCoupling`).inputs).toMatchObject({ stage: "review" });
  });

  test("a stack of another name is whatever slipway:environment says", async () => {
    const plan = await planStack(
      "staging",
      (values) => {
        reviewApp(values);
        values["slipway:environment"] = "review";
      },
      { as: "pr-42" },
    );
    expect(plan.kind).toBe("review");
    expect(one(plan, "slipway:heroku:HerokuApp").inputs).toEqual({
      kind: "review",
      appName: "acme-web-pr-login",
    });
  });
});

describe("secrets from the stack file", () => {
  test("secure config vars reach the app as secrets and are printed as [secret]", async () => {
    const plan = await planStack("staging", (values) => {
      values["slipway:secretConfigVars"] = { SESSION_SECRET: { secure: "v1:abc" } };
    });
    const secretVars = one(plan, `${HEROKU}ConfigVars`).inputs["secretVars"] as Record<
      string,
      unknown
    >;
    expect(Object.keys(secretVars).sort()).toEqual(["DATABASE_URL", "SESSION_SECRET"]);
    expect(secretVars["SESSION_SECRET"]).toEqual(new Secret("[secret]"));
  });

  test("a plain DATABASE_URL stops the plan before anything runs, naming the plain key", async () => {
    await expect(
      planStack("staging", (values) => {
        const app = values["slipway:app"] as { configVars: Record<string, string> };
        app.configVars["DATABASE_URL"] = "postgres://elsewhere";
      }),
    ).rejects.toThrow(
      "Pulumi.staging.yaml holds secrets in plain text:\n" +
        "  - slipway:app.configVars.DATABASE_URL: is a plain config var whose name looks secret",
    );
  });

  test("plain values in secretConfigVars stop the plan, naming the key and never the value", async () => {
    const plan = planStack("staging", (values) => {
      values["slipway:secretConfigVars"] = { SESSION_SECRET: "hunter2" };
    });
    await expect(plan).rejects.toThrow(
      "  - slipway:secretConfigVars.SESSION_SECRET: holds a value in plain text",
    );
    await expect(plan).rejects.not.toThrow("hunter2");
  });
});
