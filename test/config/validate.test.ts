import { SlipwayError } from "../../errors";
import { closest, misspelledNamespaces, validateSettings } from "../../config/validate";
import { DEFAULT_DEPLOY } from "../support/defaults";

const app = { name: "acme-web-staging" };
const production = {
  app: { name: "acme-web" },
  pipeline: { name: "acme-web" },
  github: { owner: "acme", repository: "acme-web", platformRepository: "acme/slipway" },
};

function problemsOf(raw: Record<string, unknown>, stack = "staging", secretKeys: string[] = []) {
  try {
    validateSettings(raw, stack, secretKeys);
  } catch (error) {
    if (error instanceof SlipwayError) return error.problems;
    throw error;
  }
  throw new Error("expected the settings to be rejected");
}

// Each row: the settings, the key the message must name, and words the message must contain
// (the value received, what is allowed, the fix).
const badInputs: [string, Record<string, unknown>, string, string[]][] = [
  [
    "typo in a top-level key",
    { app, databse: {} },
    "slipway:databse",
    ["Did you mean slipway:database?", "Allowed: environment, app, pipeline"],
  ],
  [
    "typo in a nested key",
    { app: { ...app, fromation: {} } },
    "slipway:app.fromation",
    ["Did you mean slipway:app.formation?"],
  ],
  [
    "unknown nested key with no near match",
    { app: { ...app, colour: "blue" } },
    "slipway:app.colour",
    ["unknown key in slipway:app", "Allowed: name, region"],
  ],
  [
    "app name with capitals",
    { app: { name: "Acme_Web" } },
    "slipway:app.name",
    [
      'got "Acme_Web"',
      "3-30 characters",
      "pulumi config set --path 'slipway:app.name' acme-web-staging",
    ],
  ],
  [
    "app name over 30 characters",
    { app: { name: "acme-web-staging-with-a-very-long-name" } },
    "slipway:app.name",
    ["3-30 characters"],
  ],
  [
    "app name ending in a dash",
    { app: { name: "acme-web-" } },
    "slipway:app.name",
    ['got "acme-web-"'],
  ],
  [
    "app name as a number",
    { app: { name: 42 } },
    "slipway:app.name",
    ["got 42", "expected string"],
  ],
  [
    "app given as a string",
    { app: "acme-web" },
    "slipway:app",
    ['got "acme-web"', "expected object"],
  ],
  [
    "unknown region",
    { app: { ...app, region: "asia" } },
    "slipway:app.region",
    ['got "asia"', "not one of the allowed values", "us or eu"],
  ],
  [
    "unknown heroku stack",
    { app: { ...app, stack: "cedar-14" } },
    "slipway:app.stack",
    ["heroku-22, heroku-24"],
  ],
  [
    "unknown dyno size",
    { app: { ...app, formation: { web: { quantity: 1, size: "hobby" } } } },
    "slipway:app.formation.web.size",
    ['got "hobby"', "standard-1x"],
  ],
  [
    "two basic dynos",
    { app: { ...app, formation: { web: { quantity: 2, size: "basic" } } } },
    "slipway:app.formation.web.quantity",
    ["got 2", "basic dynos run at most 1 per process type"],
  ],
  [
    "negative dyno quantity",
    { app: { ...app, formation: { web: { quantity: -1, size: "standard-1x" } } } },
    "slipway:app.formation.web.quantity",
    ["below the minimum of 0", "0 to 100"],
  ],
  [
    "fractional dyno quantity",
    { app: { ...app, formation: { web: { quantity: 1.5, size: "standard-1x" } } } },
    "slipway:app.formation.web.quantity",
    ["got 1.5", "expected int"],
  ],
  [
    "process type with capitals",
    { app: { ...app, formation: { Web: { quantity: 1, size: "basic" } } } },
    "slipway:app.formation.Web",
    ['got the name "Web"', "Procfile process type"],
  ],
  [
    "config var value not a string",
    { app: { ...app, configVars: { PORT: 3000 } } },
    "slipway:app.configVars.PORT",
    ["got 3000", "quote numbers", 'PORT: "3000"'],
  ],
  [
    "config var name with a dash",
    { app: { ...app, configVars: { "API-URL": "x" } } },
    'slipway:app.configVars["API-URL"]',
    ['got the name "API-URL"', "letters, digits and _"],
  ],
  [
    "health check path without slash",
    { app: { ...app, healthCheckPath: "health" } },
    "slipway:app.healthCheckPath",
    ['got "health"', "starting with /"],
  ],
  [
    "log drain over http",
    { app: { ...app, logDrains: ["http://logs.example.com"] } },
    "slipway:app.logDrains[0]",
    ["not a log drain URL", "syslog+tls://"],
  ],
  [
    "webhook without https",
    { app: { ...app, webhooks: [{ url: "http://hooks.example.com" }] } },
    "slipway:app.webhooks[0].url",
    ["not an https URL"],
  ],
  [
    "backup retention above 35",
    { app, database: { backupRetentionDays: 40 } },
    "slipway:database.backupRetentionDays",
    [
      "got 40",
      "above the maximum of 35",
      "0 to 35",
      "pulumi config set --path 'slipway:database.backupRetentionDays' 7",
    ],
  ],
  [
    "backup retention negative",
    { app, database: { backupRetentionDays: -1 } },
    "slipway:database.backupRetentionDays",
    ["below the minimum of 0"],
  ],
  [
    "storage above the autoscaling maximum",
    { app, database: { allocatedStorageGb: 200, maxAllocatedStorageGb: 100 } },
    "slipway:database.maxAllocatedStorageGb",
    ["got 100", "below allocatedStorageGb (200)"],
  ],
  [
    "storage below the gp3 minimum",
    { app, database: { allocatedStorageGb: 10 } },
    "slipway:database.allocatedStorageGb",
    ["below the minimum of 20"],
  ],
  [
    "instance class format",
    { app, database: { instanceClass: "t4g.micro" } },
    "slipway:database.instanceClass",
    ['got "t4g.micro"', "db.<family>.<size>"],
  ],
  [
    "engine version too old",
    { app, database: { engineVersion: "9.6" } },
    "slipway:database.engineVersion",
    ['got "9.6"', "RDS does not create PostgreSQL 9 instances", "13, 14, 15, 16, 17, 18"],
  ],
  [
    "engine version as a number",
    { app, database: { engineVersion: 16 } },
    "slipway:database.engineVersion",
    ["got 16", "expected string"],
  ],
  [
    "malformed CIDR",
    { app, database: { allowedCidrs: ["10.0.0.1/33"] } },
    "slipway:database.allowedCidrs[0]",
    ['got "10.0.0.1/33"', "not an IPv4 CIDR block"],
  ],
  [
    "CIDR with host bits set",
    { app, database: { allowedCidrs: ["10.0.0.1/24"] } },
    "slipway:database.allowedCidrs[0]",
    ["host bits clear"],
  ],
  [
    "subnets without a VPC",
    { app, database: { subnetIds: ["subnet-0abc1234def567890"] } },
    "slipway:database.vpcId",
    ["got nothing", "needs the VPC"],
  ],
  [
    "reserved master user",
    { app, database: { username: "postgres" } },
    "slipway:database.username",
    ['got "postgres"', "a name RDS reserves"],
  ],
  [
    "backup window format",
    { app, database: { backupWindow: "3am-4am" } },
    "slipway:database.backupWindow",
    ["hh:mm-hh:mm in UTC"],
  ],
  [
    "malformed e-mail",
    { app, alerting: { emails: ["oncall-at-example.com"] } },
    "slipway:alerting.emails[0]",
    ['got "oncall-at-example.com"', "an e-mail address"],
  ],
  [
    "cpu threshold above 100",
    { app, alerting: { cpuPercent: 120 } },
    "slipway:alerting.cpuPercent",
    ["got 120", "1 to 100"],
  ],
  [
    "latency threshold too low",
    { app, alerting: { latencyMs: 5 } },
    "slipway:alerting.latencyMs",
    ["below the minimum of 100"],
  ],
  [
    "github owner with a leading dash",
    { app, github: { owner: "-acme" } },
    "slipway:github.owner",
    ['got "-acme"', "1-39 letters"],
  ],
  [
    "github repository ending in .git",
    { app, github: { repository: "acme-web.git" } },
    "slipway:github.repository",
    ["not a repository name GitHub accepts"],
  ],
  [
    "branch name with a space",
    { app, github: { productionBranch: "main branch" } },
    "slipway:github.productionBranch",
    ["not a branch name git accepts"],
  ],
  [
    "approvals above 6",
    { app, github: { requiredApprovals: 7 } },
    "slipway:github.requiredApprovals",
    ["got 7", "0 to 6"],
  ],
  [
    "no required checks",
    { app, github: { requiredChecks: [] } },
    "slipway:github.requiredChecks",
    ["got []", "an empty list", "requiredChecks: [lint, format, test, coverage]"],
  ],
  [
    "blank required check",
    { app, github: { requiredChecks: ["lint", " "] } },
    "slipway:github.requiredChecks[1]",
    ["empty"],
  ],
  [
    "stale days above 30",
    { app, reviewApps: { staleDays: 90 } },
    "slipway:reviewApps.staleDays",
    ["got 90", "1 to 30"],
  ],
  [
    "unknown environment",
    { app, environment: "qa" },
    "slipway:environment",
    ['got "qa"', "production, staging or review"],
  ],
  [
    "migration path climbing out of the repository",
    { app, deploy: { migrationPaths: ["../db/"] } },
    "slipway:deploy.migrationPaths[0]",
    ['got "../db/"', "no ..", "db/migrate/"],
  ],
  [
    "build path as a glob",
    { app, deploy: { buildPaths: ["*.lock"] } },
    "slipway:deploy.buildPaths[0]",
    ['got "*.lock"', "no glob", "package-lock.json"],
  ],
  [
    "poll interval of zero",
    { app, deploy: { pollIntervalSeconds: 0 } },
    "slipway:deploy.pollIntervalSeconds",
    ["got 0", "from 1 to 60"],
  ],
  [
    "health window past an hour",
    { app, deploy: { healthWindowSeconds: 3601 } },
    "slipway:deploy.healthWindowSeconds",
    ["got 3601", "from 10 to 3600"],
  ],
  [
    "health checks as a fraction",
    { app, deploy: { healthChecks: 2.5 } },
    "slipway:deploy.healthChecks",
    ["got 2.5", "1 to 20"],
  ],
  [
    "no snapshot kept",
    { app, deploy: { snapshotsKept: 0 } },
    "slipway:deploy.snapshotsKept",
    ["got 0", "1 to 100"],
  ],
  [
    "boolean as a string",
    { app, database: { multiAz: "yes" } },
    "slipway:database.multiAz",
    ['got "yes"', "expected boolean", "true or false"],
  ],
];

describe("validateSettings rejects bad input with the key, the value, what is allowed and a fix", () => {
  test("the table covers at least 25 bad inputs", () => {
    expect(badInputs.length).toBeGreaterThanOrEqual(25);
  });

  test.each(badInputs)("%s", (_label, raw, key, hints) => {
    const problems = problemsOf(raw);
    const problem = problems.find((p) => p.key === key);
    expect(problem).toBeDefined();
    for (const hint of hints) expect(problem?.message).toContain(hint);
    expect(problem?.message).toMatch(/Fix: /);
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
