import { closest, misspelledNamespaces, validateSettings } from "../../config/validate";
import { problemsOf } from "../support/config";
import { DEFAULT_DEPLOY } from "../support/defaults";

const app = { name: "acme-web-staging" };
const production = {
  app: { name: "acme-web" },
  pipeline: { name: "acme-web" },
  github: { owner: "acme", repository: "acme-web", platformRepository: "acme/slipway" },
};

// Each row: the settings, the key the message must name, and the message exactly (the value
// received, what is allowed, the fix).
const badInputs: [string, Record<string, unknown>, string, string][] = [
  [
    "typo in a top-level key",
    { app, databse: {} },
    "slipway:databse",
    "unknown key in the slipway namespace. Did you mean slipway:database? Allowed: environment, app, pipeline, database, github, alerting, reviewApps, deploy, secretConfigVars, stateSecret, reviewStateSecret, reviewHerokuApiKey. Fix: rename or remove it in the stack's config file.",
  ],
  [
    "typo in a nested key",
    { app: { ...app, fromation: {} } },
    "slipway:app.fromation",
    "unknown key in slipway:app. Did you mean slipway:app.formation? Allowed: name, region, stack, team, space, buildpacks, healthCheckPath, formation, configVars, addons, features, maintenance, acm, logDrains, webhooks. Fix: rename or remove it in the stack's config file.",
  ],
  [
    "unknown nested key with no near match",
    { app: { ...app, colour: "blue" } },
    "slipway:app.colour",
    "unknown key in slipway:app. Allowed: name, region, stack, team, space, buildpacks, healthCheckPath, formation, configVars, addons, features, maintenance, acm, logDrains, webhooks. Fix: rename or remove it in the stack's config file.",
  ],
  [
    "app name with capitals",
    { app: { name: "Acme_Web" } },
    "slipway:app.name",
    "got \"Acme_Web\": not in the allowed format. Allowed: 3-30 characters: a lowercase letter, then lowercase letters, digits or dashes, not ending in a dash (Heroku's rule). Fix: pulumi config set --path 'slipway:app.name' acme-web-staging",
  ],
  [
    "app name over 30 characters",
    { app: { name: "acme-web-staging-with-a-very-long-name" } },
    "slipway:app.name",
    "got \"acme-web-staging-with-a-very-long-name\": not in the allowed format. Allowed: 3-30 characters: a lowercase letter, then lowercase letters, digits or dashes, not ending in a dash (Heroku's rule). Fix: pulumi config set --path 'slipway:app.name' acme-web-staging",
  ],
  [
    "app name ending in a dash",
    { app: { name: "acme-web-" } },
    "slipway:app.name",
    "got \"acme-web-\": not in the allowed format. Allowed: 3-30 characters: a lowercase letter, then lowercase letters, digits or dashes, not ending in a dash (Heroku's rule). Fix: pulumi config set --path 'slipway:app.name' acme-web-staging",
  ],
  [
    "app name as a number",
    { app: { name: 42 } },
    "slipway:app.name",
    "got 42: expected string. Allowed: 3-30 characters: a lowercase letter, then lowercase letters, digits or dashes, not ending in a dash (Heroku's rule). Fix: pulumi config set --path 'slipway:app.name' acme-web-staging",
  ],
  [
    "app given as a string",
    { app: "acme-web" },
    "slipway:app",
    'got "acme-web": expected object. Allowed: an object: { name, region, stack, buildpacks, healthCheckPath, formation, configVars, ... }. Fix: set it in the stack\'s config file, for example app: { name: acme-web-staging }.',
  ],
  [
    "unknown region",
    { app: { ...app, region: "asia" } },
    "slipway:app.region",
    "got \"asia\": not one of the allowed values. Allowed: us or eu (Heroku Common Runtime regions). Fix: pulumi config set --path 'slipway:app.region' us",
  ],
  [
    "unknown heroku stack",
    { app: { ...app, stack: "cedar-14" } },
    "slipway:app.stack",
    "got \"cedar-14\": not one of the allowed values. Allowed: one of heroku-22, heroku-24. Fix: pulumi config set --path 'slipway:app.stack' heroku-24",
  ],
  [
    "unknown dyno size",
    { app: { ...app, formation: { web: { quantity: 1, size: "hobby" } } } },
    "slipway:app.formation.web.size",
    "got \"hobby\": not one of the allowed values. Allowed: one of eco, basic, standard-1x, standard-2x, performance-m, performance-l, performance-l-ram, performance-xl, performance-2xl. Fix: pulumi config set --path 'slipway:app.formation.web.size' standard-1x",
  ],
  [
    "two basic dynos",
    { app: { ...app, formation: { web: { quantity: 2, size: "basic" } } } },
    "slipway:app.formation.web.quantity",
    "got 2: basic dynos run at most 1 per process type. Allowed: a whole number of dynos from 0 to 100. Fix: pulumi config set --path 'slipway:app.formation.web.quantity' 1",
  ],
  [
    "negative dyno quantity",
    { app: { ...app, formation: { web: { quantity: -1, size: "standard-1x" } } } },
    "slipway:app.formation.web.quantity",
    "got -1: below the minimum of 0. Allowed: a whole number of dynos from 0 to 100. Fix: pulumi config set --path 'slipway:app.formation.web.quantity' 1",
  ],
  [
    "fractional dyno quantity",
    { app: { ...app, formation: { web: { quantity: 1.5, size: "standard-1x" } } } },
    "slipway:app.formation.web.quantity",
    "got 1.5: expected int. Allowed: a whole number of dynos from 0 to 100. Fix: pulumi config set --path 'slipway:app.formation.web.quantity' 1",
  ],
  [
    "process type with capitals",
    { app: { ...app, formation: { Web: { quantity: 1, size: "basic" } } } },
    "slipway:app.formation.Web",
    'got the name "Web": not allowed as a name here. Allowed: a Procfile process type (web, worker, ...). Fix: rename it in the stack\'s config file (for example web).',
  ],
  [
    "config var value not a string",
    { app: { ...app, configVars: { PORT: 3000 } } },
    "slipway:app.configVars.PORT",
    'got 3000: expected string. Allowed: a string (quote numbers and booleans in YAML). Fix: set it in the stack\'s config file, for example PORT: "3000".',
  ],
  [
    "config var name with a dash",
    { app: { ...app, configVars: { "API-URL": "x" } } },
    'slipway:app.configVars["API-URL"]',
    'got the name "API-URL": not allowed as a name here. Allowed: a config var name made of letters, digits and _. Fix: rename it in the stack\'s config file (for example NODE_ENV).',
  ],
  [
    "health check path without slash",
    { app: { ...app, healthCheckPath: "health" } },
    "slipway:app.healthCheckPath",
    "got \"health\": not in the allowed format. Allowed: a URL path starting with / that answers 200 when the app is healthy. Fix: pulumi config set --path 'slipway:app.healthCheckPath' /health",
  ],
  [
    "log drain over http",
    { app: { ...app, logDrains: ["http://logs.example.com"] } },
    "slipway:app.logDrains[0]",
    "got \"http://logs.example.com\": not a log drain URL. Allowed: an https://, syslog+tls:// or syslog:// URL, set with --secret (it carries the log service's token). Fix: pulumi config set --path 'slipway:app.logDrains[0]' syslog+tls://logs.example.com:6514",
  ],
  [
    "webhook without https",
    { app: { ...app, webhooks: [{ url: "http://hooks.example.com" }] } },
    "slipway:app.webhooks[0].url",
    "got \"http://hooks.example.com\": not an https URL. Allowed: an https:// URL that receives the webhook. Fix: pulumi config set --path 'slipway:app.webhooks[0].url' https://hooks.example.com/heroku",
  ],
  [
    "backup retention above 35",
    { app, database: { backupRetentionDays: 40 } },
    "slipway:database.backupRetentionDays",
    "got 40: above the maximum of 35. Allowed: a whole number of days from 0 to 35 (the RDS limit). Fix: pulumi config set --path 'slipway:database.backupRetentionDays' 7",
  ],
  [
    "backup retention negative",
    { app, database: { backupRetentionDays: -1 } },
    "slipway:database.backupRetentionDays",
    "got -1: below the minimum of 0. Allowed: a whole number of days from 0 to 35 (the RDS limit). Fix: pulumi config set --path 'slipway:database.backupRetentionDays' 7",
  ],
  [
    "storage above the autoscaling maximum",
    { app, database: { allocatedStorageGb: 200, maxAllocatedStorageGb: 100 } },
    "slipway:database.maxAllocatedStorageGb",
    "got 100: below allocatedStorageGb (200); storage autoscaling needs a maximum at or above the allocated size. Allowed: a whole number of GiB, at least allocatedStorageGb, at most 65536. Fix: pulumi config set --path 'slipway:database.maxAllocatedStorageGb' 100",
  ],
  [
    "storage below the gp3 minimum",
    { app, database: { allocatedStorageGb: 10 } },
    "slipway:database.allocatedStorageGb",
    "got 10: below the minimum of 20. Allowed: a whole number of GiB from 20 to 65536 (gp3 for Postgres). Fix: pulumi config set --path 'slipway:database.allocatedStorageGb' 20",
  ],
  [
    "instance class format",
    { app, database: { instanceClass: "t4g.micro" } },
    "slipway:database.instanceClass",
    "got \"t4g.micro\": not in the allowed format. Allowed: an instance class RDS for PostgreSQL offers, db.<family>.<size> with family one of t3, t4g, m5, m5d, m6g, m6gd, m6i, m6id, m6idn, m6in, m7g, m7i, m8g, r5, r5b, r5d, r6g, r6gd, r6i, r6id, r6idn, r6in, r7g, r7i, r8g, x2g, x2iedn (config/limits.ts lists the sizes). Fix: pulumi config set --path 'slipway:database.instanceClass' db.t4g.micro",
  ],
  [
    "engine version too old",
    { app, database: { engineVersion: "9.6" } },
    "slipway:database.engineVersion",
    'got "9.6": RDS does not create PostgreSQL 9 instances. Allowed: a PostgreSQL major RDS creates (13, 14, 15, 16, 17, 18), optionally with a minor it still creates (16.9); quoted, so YAML keeps it text. Fix: set it in the stack\'s config file, for example engineVersion: "16".',
  ],
  [
    "engine version as a number",
    { app, database: { engineVersion: 16 } },
    "slipway:database.engineVersion",
    'got 16: expected string. Allowed: a PostgreSQL major RDS creates (13, 14, 15, 16, 17, 18), optionally with a minor it still creates (16.9); quoted, so YAML keeps it text. Fix: set it in the stack\'s config file, for example engineVersion: "16".',
  ],
  [
    "malformed CIDR",
    { app, database: { allowedCidrs: ["10.0.0.1/33"] } },
    "slipway:database.allowedCidrs[0]",
    "got \"10.0.0.1/33\": not an IPv4 CIDR block. Allowed: an IPv4 CIDR block with its host bits clear. Fix: pulumi config set --path 'slipway:database.allowedCidrs[0]' 203.0.113.0/24",
  ],
  [
    "CIDR with host bits set",
    { app, database: { allowedCidrs: ["10.0.0.1/24"] } },
    "slipway:database.allowedCidrs[0]",
    "got \"10.0.0.1/24\": not an IPv4 CIDR block. Allowed: an IPv4 CIDR block with its host bits clear. Fix: pulumi config set --path 'slipway:database.allowedCidrs[0]' 203.0.113.0/24",
  ],
  [
    "subnets without a VPC",
    { app, database: { subnetIds: ["subnet-0abc1234def567890"] } },
    "slipway:database.vpcId",
    "got nothing: missing: subnetIds are set, so the security group needs the VPC they belong to. Allowed: a VPC id. Fix: pulumi config set --path 'slipway:database.vpcId' vpc-0abc1234def567890",
  ],
  [
    "reserved master user",
    { app, database: { username: "postgres" } },
    "slipway:database.username",
    "got \"postgres\": a name RDS reserves. Allowed: a Postgres identifier other than postgres, rdsadmin, admin, root. Fix: pulumi config set --path 'slipway:database.username' slipway",
  ],
  [
    "backup window format",
    { app, database: { backupWindow: "3am-4am" } },
    "slipway:database.backupWindow",
    "got \"3am-4am\": not in the allowed format. Allowed: hh:mm-hh:mm in UTC, at least 30 minutes, not overlapping maintenanceWindow. Fix: pulumi config set --path 'slipway:database.backupWindow' 03:00-04:00",
  ],
  [
    "malformed e-mail",
    { app, alerting: { emails: ["oncall-at-example.com"] } },
    "slipway:alerting.emails[0]",
    "got \"oncall-at-example.com\": not in the allowed format. Allowed: an e-mail address. Fix: pulumi config set --path 'slipway:alerting.emails[0]' oncall@example.com",
  ],
  [
    "cpu threshold above 100",
    { app, alerting: { cpuPercent: 120 } },
    "slipway:alerting.cpuPercent",
    "got 120: above the maximum of 100. Allowed: a whole percentage from 1 to 100. Fix: pulumi config set --path 'slipway:alerting.cpuPercent' 80",
  ],
  [
    "latency threshold too low",
    { app, alerting: { latencyMs: 5 } },
    "slipway:alerting.latencyMs",
    "got 5: below the minimum of 100. Allowed: milliseconds to first byte of the health check, from 100 to 30000. Fix: pulumi config set --path 'slipway:alerting.latencyMs' 1000",
  ],
  [
    "github owner with a leading dash",
    { app, github: { owner: "-acme" } },
    "slipway:github.owner",
    "got \"-acme\": not in the allowed format. Allowed: a GitHub user or organization: 1-39 letters, digits or single inner dashes. Fix: pulumi config set --path 'slipway:github.owner' acme",
  ],
  [
    "github repository ending in .git",
    { app, github: { repository: "acme-web.git" } },
    "slipway:github.repository",
    "got \"acme-web.git\": not a repository name GitHub accepts. Allowed: a repository name: letters, digits, ., _ or -, at most 100, not ending in .git. Fix: pulumi config set --path 'slipway:github.repository' acme-web",
  ],
  [
    "branch name with a space",
    { app, github: { productionBranch: "main branch" } },
    "slipway:github.productionBranch",
    "got \"main branch\": not a branch name git accepts. Allowed: a git branch name. Fix: pulumi config set --path 'slipway:github.productionBranch' main",
  ],
  [
    "approvals above 6",
    { app, github: { requiredApprovals: 7 } },
    "slipway:github.requiredApprovals",
    "got 7: above the maximum of 6. Allowed: a whole number from 0 to 6 (GitHub's range). Fix: pulumi config set --path 'slipway:github.requiredApprovals' 1",
  ],
  [
    "no required checks",
    { app, github: { requiredChecks: [] } },
    "slipway:github.requiredChecks",
    "got []: an empty list. Allowed: a non-empty list of the check names the application's CI reports on every pull request (its job names). Fix: set it in the stack's config file, for example requiredChecks: [lint, format, test, coverage].",
  ],
  [
    "blank required check",
    { app, github: { requiredChecks: ["lint", " "] } },
    "slipway:github.requiredChecks[1]",
    "got \"\": empty. Allowed: a status check (job) name. Fix: pulumi config set --path 'slipway:github.requiredChecks[1]' test",
  ],
  [
    "stale days above 30",
    { app, reviewApps: { staleDays: 90 } },
    "slipway:reviewApps.staleDays",
    "got 90: above the maximum of 30. Allowed: a whole number of days from 1 to 30 after which an idle review app is removed. Fix: pulumi config set --path 'slipway:reviewApps.staleDays' 5",
  ],
  [
    "unknown environment",
    { app, environment: "qa" },
    "slipway:environment",
    'got "qa": not one of the allowed values. Allowed: production, staging or review; "" (the default) takes the kind from the stack name. Fix: pulumi config set --path \'slipway:environment\' staging',
  ],
  [
    "migration path climbing out of the repository",
    { app, deploy: { migrationPaths: ["../db/"] } },
    "slipway:deploy.migrationPaths[0]",
    "got \"../db/\": not in the allowed format. Allowed: a path in the repository: a folder ending in / or a file, matched at any depth; no leading /, no .., no glob. Fix: pulumi config set --path 'slipway:deploy.migrationPaths[0]' db/migrate/",
  ],
  [
    "build path as a glob",
    { app, deploy: { buildPaths: ["*.lock"] } },
    "slipway:deploy.buildPaths[0]",
    "got \"*.lock\": not in the allowed format. Allowed: a path in the repository: a folder ending in / or a file, matched at any depth; no leading /, no .., no glob. Fix: pulumi config set --path 'slipway:deploy.buildPaths[0]' package-lock.json",
  ],
  [
    "poll interval of zero",
    { app, deploy: { pollIntervalSeconds: 0 } },
    "slipway:deploy.pollIntervalSeconds",
    "got 0: below the minimum of 1. Allowed: a whole number of seconds from 1 to 60: how often deploy and promote ask Heroku for news. Fix: pulumi config set --path 'slipway:deploy.pollIntervalSeconds' 2",
  ],
  [
    "health window past an hour",
    { app, deploy: { healthWindowSeconds: 3601 } },
    "slipway:deploy.healthWindowSeconds",
    "got 3601: above the maximum of 3600. Allowed: a whole number of seconds from 10 to 3600: how long the health check may take to pass. Fix: pulumi config set --path 'slipway:deploy.healthWindowSeconds' 300",
  ],
  [
    "health checks as a fraction",
    { app, deploy: { healthChecks: 2.5 } },
    "slipway:deploy.healthChecks",
    "got 2.5: expected int. Allowed: a whole number from 1 to 20: consecutive HTTP 200 answers that make an app healthy. Fix: pulumi config set --path 'slipway:deploy.healthChecks' 3",
  ],
  [
    "no snapshot kept",
    { app, deploy: { snapshotsKept: 0 } },
    "slipway:deploy.snapshotsKept",
    "got 0: below the minimum of 1. Allowed: a whole number from 1 to 100: how many of its own pre-promote snapshots slipway keeps (older ones of slipway's are deleted; no other snapshot is touched). Fix: pulumi config set --path 'slipway:deploy.snapshotsKept' 10",
  ],
  [
    "boolean as a string",
    { app, database: { multiAz: "yes" } },
    "slipway:database.multiAz",
    "got \"yes\": expected boolean. Allowed: true or false. Fix: pulumi config set --path 'slipway:database.multiAz' true",
  ],
];

describe("validateSettings rejects bad input with the key, the value, what is allowed and a fix", () => {
  test("the table covers at least 25 bad inputs", () => {
    expect(badInputs.length).toBeGreaterThanOrEqual(25);
  });

  test.each(badInputs)("%s", (_label, raw, key, message) => {
    const problems = problemsOf(raw);
    expect(problems.find((p) => p.key === key)?.message).toBe(message);
    expect(message).toMatch(/Fix: /);
  });
});

describe("lists that make one resource per entry take each entry once", () => {
  // Two equal entries would be two resources with one URN, which the engine refuses.
  test.each([
    [
      "alarm e-mails, compared without case as mail addresses are",
      {
        app,
        alerting: { emails: ["oncall@acme.example", "dev@acme.example", "OnCall@ACME.example"] },
      },
      {
        key: "slipway:alerting.emails",
        message:
          'got ["oncall@acme.example","dev@acme.example","OnCall@ACME.example"]: "OnCall@ACME.example" is listed twice ' +
          "(addresses are compared without case: one mailbox, one subscription). " +
          "Allowed: a list of e-mail addresses that receive alarms, each once. " +
          "Fix: set it in the stack's config file, for example emails: [oncall@example.com].",
      },
    ],
    [
      "app features",
      { app: { ...app, features: ["log-runtime-metrics", "log-runtime-metrics"] } },
      {
        key: "slipway:app.features",
        message:
          'got ["log-runtime-metrics","log-runtime-metrics"]: "log-runtime-metrics" is listed twice. ' +
          "Allowed: a list of Heroku app features to enable, each once. " +
          "Fix: set it in the stack's config file, for example features: [preboot].",
      },
    ],
    [
      "database CIDR blocks",
      { app, database: { allowedCidrs: ["10.0.0.0/8", "10.0.0.0/8"] } },
      {
        key: "slipway:database.allowedCidrs",
        message:
          'got ["10.0.0.0/8","10.0.0.0/8"]: "10.0.0.0/8" is listed twice. ' +
          "Allowed: static-egress only: the IPv4 blocks (each a /24 or narrower, each once) of " +
          "the app's static-egress add-on or Private Space NAT. " +
          "Fix: set it in the stack's config file, for example allowedCidrs: [192.0.2.10/32, 192.0.2.11/32].",
      },
    ],
  ])("%s", (_label, raw, problem) => {
    expect(problemsOf(raw)).toEqual([problem]);
  });

  test("different addresses pass", () => {
    const emails = ["oncall@acme.example", "dev@acme.example"];
    expect(
      validateSettings({ app, alerting: { emails } }, "staging").settings.alerting.emails,
    ).toEqual(emails);
  });
});

describe("validateSettings", () => {
  test("fills every default in one pass", () => {
    const { settings, kind } = validateSettings({ app }, "staging");
    expect(kind).toBe("staging");
    expect(settings.app).toEqual({
      name: "acme-web-staging",
      region: "us",
      stack: "heroku-24",
      buildpacks: ["heroku/nodejs"],
      healthCheckPath: "/health",
      formation: { web: { quantity: 1, size: "basic" } },
      configVars: {},
      addons: [],
      features: [],
      maintenance: false,
      acm: false,
      logDrains: [],
      webhooks: [],
    });
    expect(settings.database).toEqual({
      engineVersion: "16",
      instanceClass: "db.t4g.micro",
      allocatedStorageGb: 20,
      maxAllocatedStorageGb: 100,
      backupRetentionDays: 7,
      backupWindow: "03:00-04:00",
      maintenanceWindow: "sun:04:30-sun:05:30",
      multiAz: false,
      network: "static-egress",
      allowedCidrs: [],
      routeTableIds: [],
      subnetIds: [],
      databaseName: "app",
      username: "slipway",
      performanceInsights: true,
    });
    expect(settings.github.requiredChecks).toEqual(["lint", "format", "test", "coverage"]);
    expect(settings.github.requiredApprovals).toBe(1);
    expect(settings.reviewApps).toEqual({
      addons: ["heroku-postgresql:essential-0"],
      size: "basic",
      staleDays: 5,
      githubConnected: false,
      waitForCi: true,
    });
    expect(settings.alerting).toEqual({
      emails: [],
      cpuPercent: 80,
      freeStorageGb: 2,
      connectionsPercent: 80,
      freeableMemoryMb: 128,
      readLatencyMs: 20,
      writeLatencyMs: 20,
      latencyMs: 1000,
    });
    expect(settings.pipeline).toEqual({ productionStack: "production" });
    expect(settings.deploy).toEqual(DEFAULT_DEPLOY);
    expect(settings.secretConfigVars).toEqual({});
  });

  test("webhooks get their default events and level", () => {
    const { settings } = validateSettings(
      { app: { ...app, webhooks: [{ url: "https://h.example.com/x" }] } },
      "staging",
    );
    expect(settings.app.webhooks).toEqual([
      { url: "https://h.example.com/x", include: ["api:release"], level: "notify" },
    ]);
  });

  test.each([
    ["production", {}, "production", undefined],
    ["staging", {}, "staging", undefined],
    ["review-login-form", {}, "review", "login-form"],
    ["qa", { environment: "staging" }, "staging", undefined],
    ["pr-42", { environment: "review" }, "review", "pr-42"],
    ["production", { environment: "production" }, "production", undefined],
  ])("stack %s with %j is %s", (stack, extra, kind, slug) => {
    const raw = { ...(kind === "production" ? production : { app }), ...extra };
    const result = validateSettings(raw, stack);
    expect(result.kind).toBe(kind);
    expect(result.reviewSlug).toBe(slug);
  });

  test("a stack of another name must declare its kind", () => {
    expect(problemsOf({ app }, "qa")).toEqual([
      {
        key: "slipway:environment",
        message:
          'missing: the stack "qa" is not named production, staging or review-<slug>, so its kind must be declared. ' +
          "Allowed: production, staging or review. Fix: pulumi config set slipway:environment staging --stack qa",
      },
    ]);
  });

  test("a declared kind may not contradict the stack name", () => {
    const [problem] = problemsOf({ app, environment: "production" }, "staging");
    expect(problem?.key).toBe("slipway:environment");
    expect(problem?.message).toContain('says "production" but the stack is named "staging"');
  });

  test("production needs a pipeline name and both repositories", () => {
    expect(problemsOf({ app: {} }, "production").map((p) => p.key)).toEqual([
      "slipway:app.name",
      "slipway:pipeline.name",
      "slipway:github.owner",
      "slipway:github.repository",
      "slipway:github.platformRepository",
    ]);
    expect(problemsOf({ app: {} }, "production")[0]?.message).toBe(
      "missing: a production stack needs it and it has no default. Fix: pulumi config set --path 'slipway:app.name' acme-web",
    );
  });

  test("every problem is reported at once, not only the first", () => {
    const problems = problemsOf({
      app: { name: "X" },
      database: { backupRetentionDays: 99 },
      alerting: { emails: ["x"] },
    });
    expect(problems.map((p) => p.key).sort()).toEqual([
      "slipway:alerting.emails[0]",
      "slipway:app.name",
      "slipway:database.backupRetentionDays",
    ]);
  });

  test("secret values are never echoed back", () => {
    const problems = problemsOf({ app, secretConfigVars: { API_TOKEN: 12345 } }, "staging", [
      "secretConfigVars",
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain("got [secret]");
    expect(problems[0]?.message).not.toContain("12345");
    expect(problems[0]?.message).toContain("--secret");
  });

  test("the error message lists every problem on its own line", () => {
    expect(() => validateSettings({ app: { name: "X" }, databse: {} }, "staging")).toThrow(
      /^slipway:app.name: got "X".*\nslipway:databse: unknown key/s,
    );
  });

  test("a misspelled namespace is caught with the key it meant", () => {
    expect(
      misspelledNamespaces(["slipwya:app", "aws:region", "heroku:apiKey", "slipway:app"]),
    ).toEqual([
      {
        key: "slipwya:app",
        message:
          "unknown namespace, so Pulumi would pass it to no one. Did you mean slipway:app? Fix: rename the key in the stack's config file.",
      },
    ]);
  });
});

describe("closest", () => {
  test.each([
    ["databse", ["app", "database"], "database"],
    ["alertng", ["alerting", "app"], "alerting"],
    ["reviewapps", ["reviewApps"], "reviewApps"],
    ["zzz", ["database", "github"], undefined],
  ])("%s among %j is %s", (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });
});
