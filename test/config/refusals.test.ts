// Issue 13's classes of refusal at the schema and cross-key level: values the services reject,
// values that contradict each other or the stack's kind. Each row: the settings, the stack, the
// key the message names and words it must carry (value received, what is allowed, the fix).
import * as awsEnums from "@pulumi/aws/types/enums";
import * as limits from "../../config/limits";
import { problemsOf as problemsIn } from "../support/config";

const app = { name: "acme-web-staging" };
const production = {
  app: { name: "acme-web" },
  pipeline: { name: "acme-web" },
  github: { owner: "acme", repository: "acme-web", platformRepository: "acme/slipway" },
};
const region = { "aws:region": "us-east-1" };

const problemsOf = (
  raw: Record<string, unknown>,
  stack = "staging",
  others: Record<string, unknown> = region,
) => problemsIn(raw, stack, [], others);

type Row = [string, Record<string, unknown>, string, string, string[], Record<string, unknown>?];

const refused: Row[] = [
  // Values the services reject.
  [
    "an RDS instance class that does not exist",
    { app, database: { instanceClass: "db.t4g.huge" } },
    "staging",
    "slipway:database.instanceClass",
    [
      'got "db.t4g.huge"',
      "not an instance class RDS for PostgreSQL offers",
      "t4g",
      "Fix: pulumi config set --path 'slipway:database.instanceClass' db.t4g.micro",
    ],
  ],
  [
    "a previous-generation class RDS refuses for PostgreSQL 13+",
    { app, database: { instanceClass: "db.m4.large" } },
    "staging",
    "slipway:database.instanceClass",
    ['got "db.m4.large"', "not an instance class RDS for PostgreSQL offers"],
  ],
  [
    "a Postgres major RDS does not create",
    { app, database: { engineVersion: "19" } },
    "staging",
    "slipway:database.engineVersion",
    ['got "19"', "RDS does not create PostgreSQL 19 instances"],
  ],
  [
    "a deprecated minor",
    { app, database: { engineVersion: "16.2" } },
    "staging",
    "slipway:database.engineVersion",
    ['got "16.2"', "RDS no longer creates 16.2 (the oldest 16.x it creates is 16.9)"],
  ],
  [
    "a backup window under 30 minutes",
    { app, database: { backupWindow: "03:00-03:15" } },
    "staging",
    "slipway:database.backupWindow",
    ['got "03:00-03:15"', "lasts 15 minutes, and RDS needs at least 30", "at least 30 minutes"],
  ],
  [
    "a maintenance window under 30 minutes, across the week's end",
    { app, database: { maintenanceWindow: "sun:23:50-mon:00:10" } },
    "staging",
    "slipway:database.maintenanceWindow",
    ['got "sun:23:50-mon:00:10"', "lasts 20 minutes"],
  ],
  [
    "backup and maintenance windows that overlap",
    { app, database: { backupWindow: "04:00-05:00", maintenanceWindow: "sun:04:30-sun:05:30" } },
    "staging",
    "slipway:database.backupWindow",
    ['got "04:00-05:00"', "overlaps maintenanceWindow (sun:04:30-sun:05:30)"],
  ],
  [
    "a backup window across midnight that overlaps Monday's maintenance",
    { app, database: { backupWindow: "23:30-00:30", maintenanceWindow: "mon:00:00-mon:01:00" } },
    "staging",
    "slipway:database.backupWindow",
    ["overlaps maintenanceWindow"],
  ],
  [
    "one subnet where RDS needs two zones",
    { app, database: { vpcId: "vpc-0abc1234", subnetIds: ["subnet-0abc1234"] } },
    "staging",
    "slipway:database.subnetIds",
    [
      'got ["subnet-0abc1234"]',
      "fewer than 2 subnets",
      "at least two subnets in different availability zones",
    ],
  ],
  [
    "the same subnet twice",
    { app, database: { vpcId: "vpc-0abc1234", subnetIds: ["subnet-0abc1234", "subnet-0abc1234"] } },
    "staging",
    "slipway:database.subnetIds",
    ['"subnet-0abc1234" is listed twice'],
  ],
  [
    "an AWS region that does not exist",
    { app },
    "staging",
    "aws:region",
    [
      'got "us-east-7"',
      "not one AWS has",
      "Did you mean us-east-1?",
      "Fix: pulumi config set aws:region us-east-1",
    ],
    { "aws:region": "us-east-7" },
  ],
  [
    "a typo in the aws namespace",
    { app },
    "staging",
    "aws:regoin",
    ["unknown key of the AWS provider", "Did you mean aws:region?", "Fix: rename or remove it"],
    { "aws:region": "us-east-1", "aws:regoin": "eu-west-1" },
  ],
  [
    "a Heroku feature that does not exist",
    { app: { ...app, features: ["preboots"] } },
    "staging",
    "slipway:app.features[0]",
    ['got "preboots"', "one of preboot, http-session-affinity"],
  ],
  [
    "preboot on basic dynos",
    { app: { ...app, features: ["preboot"] } },
    "staging",
    "slipway:app.features[0]",
    ["preboot needs standard or performance dynos", "runs basic dynos"],
  ],
  [
    "ACM on eco dynos",
    { app: { ...app, acm: true, formation: { web: { quantity: 1, size: "eco" } } } },
    "staging",
    "slipway:app.acm",
    ["Automated Certificate Management needs basic or larger dynos"],
  ],
  [
    "an add-on plan with an empty plan",
    { app: { ...app, addons: ["papertrail:"] } },
    "staging",
    "slipway:app.addons[0]",
    ['got "papertrail:"', "service or service:plan"],
  ],
  [
    "an add-on plan with a doubled dash",
    { app: { ...app, addons: ["heroku--postgresql:essential-0"] } },
    "staging",
    "slipway:app.addons[0]",
    ["single dashes"],
  ],
  [
    "two basic dynos of one process type",
    { app: { ...app, formation: { web: { quantity: 2, size: "basic" } } } },
    "staging",
    "slipway:app.formation.web.quantity",
    ["basic dynos run at most 1 per process type"],
  ],
  [
    "dynos of two tiers in one app",
    {
      app: {
        ...app,
        formation: {
          web: { quantity: 1, size: "basic" },
          worker: { quantity: 1, size: "standard-1x" },
        },
      },
    },
    "staging",
    "slipway:app.formation",
    ["mixes basic and professional dynos", "every size of one tier"],
  ],
  [
    "config vars over Heroku's 32 kB",
    { app: { ...app, configVars: { BIG: "x".repeat(32 * 1024) } } },
    "staging",
    "slipway:app.configVars",
    ['got "1 config vars"', "32771 bytes of names and values, over Heroku's limit of 32768 bytes"],
  ],
  // Values that contradict each other or the stack's kind.
  [
    "a free-storage alarm at the allocated storage",
    { app, database: { allocatedStorageGb: 20 }, alerting: { freeStorageGb: 20 } },
    "staging",
    "slipway:alerting.freeStorageGb",
    [
      "got 20: at or above slipway:database.allocatedStorageGb (20)",
      "pulumi config set --path 'slipway:alerting.freeStorageGb' 2",
    ],
  ],
  [
    "a github section planned as staging",
    { app, github: { owner: "acme" } },
    "staging",
    "slipway:github",
    [
      "is set, but a staging stack does not use it",
      "only in production stacks",
      "Fix: remove slipway:github",
    ],
  ],
  [
    "a pipeline name planned as review",
    { app, pipeline: { name: "acme-web" } },
    "review-login",
    "slipway:pipeline.name",
    ["a review stack does not use it", "Fix: pulumi config rm --path 'slipway:pipeline.name'"],
  ],
  [
    "review apps planned as staging",
    { app, reviewApps: { staleDays: 3 } },
    "staging",
    "slipway:reviewApps",
    ["only in production and review stacks"],
  ],
  [
    "a production stack naming a production stack",
    { ...production, pipeline: { name: "acme-web", productionStack: "production" } },
    "production",
    "slipway:pipeline.productionStack",
    ["a production stack does not use it"],
  ],
];

describe("refused, with the key, the value, what is allowed and the fix", () => {
  // A rest parameter: jest would take a sixth named parameter for a done callback.
  test.each(refused)("%s", (...[, raw, stack, key, words, others]: Row) => {
    const problem = problemsOf(raw, stack, others).find((p) => p.key === key);
    expect(problem?.key).toBe(key);
    for (const word of words) expect(problem?.message).toContain(word);
  });
});

describe("messages that used to mislead", () => {
  test("a secure value where plain text is needed says to drop --secret", () => {
    expect(problemsOf({ app: { name: "[secret]" } }, "staging")).toEqual([
      {
        key: "slipway:app.name",
        message:
          "got a value stored with --secret, and this field takes plain text that slipway checks " +
          "(it is not a secret). Allowed: 3-30 characters: a lowercase letter, then lowercase " +
          "letters, digits or dashes, not ending in a dash (Heroku's rule). Fix: drop --secret: " +
          "pulumi config set --path 'slipway:app.name' acme-web-staging",
      },
    ]);
  });
});

describe("accepted", () => {
  test.each([
    [
      "the committed staging values",
      { app, database: { instanceClass: "db.t4g.micro", engineVersion: "16" } },
      "staging",
    ],
    ["a current minor", { app, database: { engineVersion: "17.5" } }, "staging"],
    [
      "two subnets",
      {
        app,
        database: { vpcId: "vpc-0abc1234", subnetIds: ["subnet-0abc1234", "subnet-0def5678"] },
      },
      "staging",
    ],
    [
      "windows that touch but do not overlap",
      { app, database: { backupWindow: "03:30-04:30", maintenanceWindow: "sun:04:30-sun:05:30" } },
      "staging",
    ],
    [
      "preboot on standard dynos",
      {
        app: {
          ...app,
          features: ["preboot"],
          formation: { web: { quantity: 1, size: "standard-1x" } },
        },
      },
      "staging",
    ],
    ["a review stack without a region", { app }, "review-login"],
  ])("%s", (_label, raw, stack) => {
    expect(problemsOf(raw, stack, stack === "review-login" ? {} : region)).toEqual([]);
  });
});

describe("the lists agree with the providers' own", () => {
  test("AWS regions are @pulumi/aws's Region enum", () => {
    expect([...limits.AWS_REGIONS].sort()).toEqual(Object.values(awsEnums.Region).sort());
  });

  test("aws: keys are @pulumi/aws's config declarations", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vars = require("@pulumi/aws/config/vars") as Record<string, unknown>;
    expect([...limits.AWS_CONFIG_KEYS].sort()).toEqual(Object.keys(vars).sort());
  });

  test("every current-generation class of @pulumi/aws's rds.InstanceType that PostgreSQL runs is known", () => {
    const current = Object.values(awsEnums.rds.InstanceType).filter((c) =>
      /^db\.(t3|t4g|m5|m6g|r5|r6g)\./.test(c),
    );
    expect(current.filter((c) => !limits.isRdsPostgresInstanceClass(c))).toEqual([]);
    const previous = Object.values(awsEnums.rds.InstanceType).filter((c) =>
      /^db\.(t2|m1|m2|m3|m4|r3|r4)\./.test(c),
    );
    expect(previous.filter((c) => limits.isRdsPostgresInstanceClass(c))).toEqual([]);
  });
});
