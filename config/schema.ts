// The shape of slipway's stack configuration (namespace `slipway`), its defaults and its limits.
// Every field carries `allowed` (what a valid value looks like) and `example`, which the error
// messages and docs/configuration.md use. Defaults live here and nowhere else.
import { z } from "zod";
import * as limits from "./limits";

/** Text for error messages: what a valid value is, and one that works. */
export interface FieldMeta {
  allowed: string;
  example: string;
  [key: string]: unknown;
}

const meta = (allowed: string, example: string): FieldMeta => ({ allowed, example });

/**
 * Each entry once: slipway makes one resource per entry, named after it, so two equal entries
 * would be two resources with one URN, which the Pulumi engine refuses. `fold` makes equal what
 * the service treats as equal.
 */
const eachOnce =
  (fold: (entry: string) => string = (entry) => entry, why = "") =>
  (entries: string[], ctx: z.RefinementCtx<string[]>) => {
    const seen = new Set<string>();
    const repeated = entries.find((entry) => {
      const folded = fold(entry);
      if (seen.has(folded)) return true;
      seen.add(folded);
      return false;
    });
    if (repeated !== undefined) {
      ctx.addIssue({
        code: "custom",
        input: entries,
        message: `${JSON.stringify(repeated)} is listed twice${why}`,
      });
    }
  };

const appName = z
  .string()
  .regex(limits.HEROKU_APP_NAME)
  .meta(
    meta(
      "3-30 characters: a lowercase letter, then lowercase letters, digits or dashes, not ending in a dash (Heroku's rule)",
      "acme-web-staging",
    ),
  );

const httpsUrl = (what: string, example: string) =>
  z
    .string()
    .refine((v) => limits.isUrlWithProtocol(v, ["https:"]), { message: "not an https URL" })
    .meta(meta(`an https:// URL ${what}`, example));

/** Heroku's dyno tiers: the dynos of one app are all of one tier (Dev Center, "Dyno Types"). */
const tierOf = (size: limits.DynoSize) =>
  size === "eco" ? "eco" : size === "basic" ? "basic" : "professional";

const formationEntry = z
  .strictObject({
    quantity: z
      .number()
      .int()
      .min(0)
      .max(100)
      .meta(meta("a whole number of dynos from 0 to 100", "1")),
    size: z
      .enum(limits.DYNO_SIZE_NAMES as [limits.DynoSize, ...limits.DynoSize[]])
      .meta(meta(`one of ${limits.DYNO_SIZE_NAMES.join(", ")}`, "standard-1x")),
  })
  .superRefine((entry, ctx) => {
    const most = limits.DYNO_SIZES[entry.size];
    if (entry.quantity > most) {
      ctx.addIssue({
        code: "custom",
        path: ["quantity"],
        input: entry.quantity,
        message: `${entry.size} dynos run at most ${most} per process type`,
      });
    }
  })
  .meta(meta("{ quantity, size } for one process type", "{ quantity: 1, size: basic }"));

const webhook = z
  .strictObject({
    url: httpsUrl("that receives the webhook", "https://hooks.example.com/heroku"),
    include: z
      .array(
        z
          .enum(limits.WEBHOOK_EVENTS)
          .meta(meta(`one of ${limits.WEBHOOK_EVENTS.join(", ")}`, "api:release")),
      )
      .min(1)
      .default(["api:release"])
      .meta(meta("a non-empty list of Heroku webhook event types", "[api:release]")),
    level: z
      .enum(["notify", "sync"])
      .default("notify")
      .meta(meta("notify (fire and forget) or sync (retried until it answers 2xx)", "notify")),
  })
  .meta(meta("{ url, include, level }", "{ url: https://hooks.example.com/heroku }"));

export const appSchema = z
  .strictObject({
    name: appName.optional(),
    region: z
      .enum(limits.HEROKU_REGIONS)
      .default("us")
      .meta(meta("us or eu (Heroku Common Runtime regions)", "us")),
    stack: z
      .enum(limits.HEROKU_STACKS)
      .default("heroku-24")
      .meta(meta(`one of ${limits.HEROKU_STACKS.join(", ")}`, "heroku-24")),
    team: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,29}$/)
      .optional()
      .meta(meta("a Heroku team name (lowercase letters, digits, dashes)", "acme")),
    space: z
      .string()
      .regex(limits.HEROKU_SPACE_NAME)
      .optional()
      .meta(
        meta(
          "the name of a Heroku Private Space of the app's team (lowercase letters, digits, single dashes); the app is created in it",
          "acme-space",
        ),
      ),
    buildpacks: z
      .array(z.string().min(1).meta(meta("a buildpack name or URL", "heroku/nodejs")))
      .default(["heroku/nodejs"])
      .meta(meta("a list of buildpack names or URLs, in the order they run", "[heroku/nodejs]")),
    healthCheckPath: z
      .string()
      .regex(/^\/[^\s?#]*$/)
      .default("/health")
      .meta(meta("a URL path starting with / that answers 200 when the app is healthy", "/health")),
    formation: z
      .record(
        z
          .string()
          .regex(limits.PROCESS_TYPE)
          .meta(meta("a Procfile process type (web, worker, ...)", "web")),
        formationEntry,
      )
      .superRefine((formation, ctx) => {
        const tiers = new Set(Object.values(formation).map((entry) => tierOf(entry.size)));
        if (tiers.size > 1) {
          ctx.addIssue({
            code: "custom",
            input: formation,
            message: `mixes ${[...tiers].join(" and ")} dynos, and Heroku runs the dynos of an app in one tier`,
          });
        }
      })
      .default({ web: { quantity: 1, size: "basic" } })
      .meta(
        meta(
          "a map of process type to { quantity, size }, every size of one tier: eco, basic, or standard and performance (Heroku's rule)",
          "{ web: { quantity: 2, size: standard-1x } }",
        ),
      ),
    configVars: z
      .record(
        z
          .string()
          .regex(limits.CONFIG_VAR_NAME)
          .meta(meta("a config var name made of letters, digits and _", "NODE_ENV")),
        z.string().meta(meta("a string (quote numbers and booleans in YAML)", '"3000"')),
      )
      .superRefine((vars, ctx) => {
        const bytes = configVarBytes(vars);
        if (bytes > limits.HEROKU_CONFIG_VARS_MAX_BYTES) {
          ctx.addIssue({
            code: "custom",
            input: `${Object.keys(vars).length} config vars`,
            message: `${bytes} bytes of names and values, over Heroku's limit of ${limits.HEROKU_CONFIG_VARS_MAX_BYTES} bytes per app`,
          });
        }
      })
      .default({})
      .meta(
        meta(
          "a map of plain (non-secret) config var names to string values",
          "{ NODE_ENV: production }",
        ),
      ),
    addons: z
      .array(
        z
          .string()
          .regex(limits.ADDON_PLAN)
          .meta(
            meta(
              "an add-on plan as service or service:plan, each part lowercase letters and digits joined by single dashes",
              "papertrail:choklad",
            ),
          ),
      )
      .default([])
      .meta(meta("a list of Heroku add-on plans as service:plan", "[papertrail:choklad]")),
    features: z
      .array(
        z
          .enum(limits.HEROKU_APP_FEATURES)
          .meta(meta(`one of ${limits.HEROKU_APP_FEATURES.join(", ")}`, "preboot")),
      )
      .superRefine(eachOnce())
      .default([])
      .meta(meta("a list of Heroku app features to enable, each once", "[preboot]")),
    maintenance: z.boolean().default(false).meta(meta("true or false", "false")),
    acm: z
      .boolean()
      .default(false)
      .meta(meta("true or false (Automated Certificate Management; needs paid dynos)", "true")),
    logDrains: z
      .array(
        z
          .string()
          // A drain URL carries the log service's credentials, so it is always a secret, and an
          // offline plan sees only the placeholder (config/secrets.ts refuses a plain one).
          .refine(
            (v) =>
              v === limits.SECRET_PLACEHOLDER ||
              limits.isUrlWithProtocol(v, ["https:", "syslog+tls:", "syslog:"]),
            { message: "not a log drain URL" },
          )
          .meta(
            meta(
              "an https://, syslog+tls:// or syslog:// URL, set with --secret (it carries the log service's token)",
              "syslog+tls://logs.example.com:6514",
            ),
          ),
      )
      .default([])
      .meta(
        meta(
          "a list of log drain URLs, each set with pulumi config set --secret --path 'slipway:app.logDrains[0]' <url>",
          "[syslog+tls://logs.example.com:6514]",
        ),
      ),
    webhooks: z
      .array(webhook)
      .default([])
      .meta(
        meta(
          "a list of { url, include, level } app webhooks",
          "[{ url: https://hooks.example.com/heroku }]",
        ),
      ),
  })
  .superRefine((app, ctx) => {
    const sizes = Object.values(app.formation).map((entry) => entry.size);
    const hobby = sizes.find((size) => tierOf(size) !== "professional");
    app.features.forEach((feature, index) => {
      if (limits.PROFESSIONAL_ONLY_FEATURES.includes(feature) && hobby !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["features", index],
          input: feature,
          message: `${feature} needs standard or performance dynos, and slipway:app.formation runs ${hobby} dynos`,
        });
      }
    });
    if (app.acm && sizes.includes("eco")) {
      ctx.addIssue({
        code: "custom",
        path: ["acm"],
        input: true,
        message:
          "Automated Certificate Management needs basic or larger dynos, and slipway:app.formation runs eco dynos",
      });
    }
    if (app.space !== undefined && app.team === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["team"],
        input: undefined,
        message: `missing: slipway:app.space is "${app.space}", and a Private Space belongs to a team, whose app the app becomes`,
      });
    }
  })
  .prefault({})
  .meta(
    meta(
      "an object: { name, region, stack, buildpacks, healthCheckPath, formation, configVars, ... }",
      "{ name: acme-web-staging }",
    ),
  );

export const pipelineSchema = z
  .strictObject({
    name: appName
      .optional()
      .meta(
        meta("3-30 characters: lowercase letters, digits and dashes (Heroku's rule)", "acme-web"),
      ),
    productionStack: z
      .string()
      // Each part at most 100 characters, as the Pulumi CLI limits names.
      .regex(/^([A-Za-z0-9._-]{1,100}\/){0,2}[A-Za-z0-9._-]{1,100}$/)
      .default("production")
      .meta(
        meta(
          "the production stack's name, org/name or org/project/name; the running stack's organization and project fill in what is left out",
          "acme/slipway/production",
        ),
      ),
  })
  .prefault({})
  .meta(meta("an object: { name, productionStack }", "{ name: acme-web }"));

/** How the app reaches its database (docs/database.md, "The network"). */
export const DATABASE_NETWORKS = ["private-space", "static-egress", "public"] as const;
export type DatabaseNetwork = (typeof DATABASE_NETWORKS)[number];

export const databaseSchema = z
  .strictObject({
    engineVersion: z
      .string()
      .superRefine((version, ctx) => {
        const problem = limits.postgresVersionProblem(version);
        if (problem) ctx.addIssue({ code: "custom", input: version, message: problem });
      })
      .default("16")
      .meta(
        meta(
          `a PostgreSQL major RDS creates (${Object.keys(limits.RDS_POSTGRES_MAJORS).join(", ")}), optionally with a minor it still creates (16.9); quoted, so YAML keeps it text`,
          '"16"',
        ),
      ),
    instanceClass: z
      .string()
      .regex(limits.RDS_INSTANCE_CLASS, { abort: true })
      .refine(limits.isRdsPostgresInstanceClass, {
        message: "not an instance class RDS for PostgreSQL offers",
      })
      .default("db.t4g.micro")
      .meta(
        meta(
          `an instance class RDS for PostgreSQL offers, db.<family>.<size> with family one of ${Object.keys(limits.RDS_POSTGRES_INSTANCE_FAMILIES).join(", ")} (config/limits.ts lists the sizes)`,
          "db.t4g.micro",
        ),
      ),
    allocatedStorageGb: z
      .number()
      .int()
      .min(20)
      .max(65536)
      .default(20)
      .meta(meta("a whole number of GiB from 20 to 65536 (gp3 for Postgres)", "20")),
    maxAllocatedStorageGb: z
      .number()
      .int()
      .min(20)
      .max(65536)
      .default(100)
      .meta(meta("a whole number of GiB, at least allocatedStorageGb, at most 65536", "100")),
    backupRetentionDays: z
      .number()
      .int()
      .min(0)
      .max(35)
      .default(7)
      .meta(meta("a whole number of days from 0 to 35 (the RDS limit)", "7")),
    backupWindow: z
      .string()
      .regex(limits.BACKUP_WINDOW)
      .default("03:00-04:00")
      .meta(
        meta(
          "hh:mm-hh:mm in UTC, at least 30 minutes, not overlapping maintenanceWindow",
          "03:00-04:00",
        ),
      ),
    maintenanceWindow: z
      .string()
      .regex(limits.MAINTENANCE_WINDOW)
      .default("sun:04:30-sun:05:30")
      .meta(
        meta(
          "ddd:hh:mm-ddd:hh:mm in UTC, at least 30 minutes, not overlapping backupWindow",
          "sun:04:30-sun:05:30",
        ),
      ),
    multiAz: z.boolean().default(false).meta(meta("true or false", "true")),
    network: z
      .enum(DATABASE_NETWORKS)
      .default("static-egress")
      .meta(
        meta(
          "private-space (VPC peering with slipway:app.space), static-egress (only allowedCidrs, or the space's NAT addresses) or public (5432 open to the internet; see docs/database.md)",
          "static-egress",
        ),
      ),
    allowedCidrs: z
      .array(
        z
          .string()
          .refine(limits.isValidIpv4Cidr, { message: "not an IPv4 CIDR block" })
          .meta(meta("an IPv4 CIDR block with its host bits clear", "203.0.113.0/24")),
      )
      .superRefine(eachOnce())
      .default([])
      .meta(
        meta(
          "static-egress only: the IPv4 blocks (each a /24 or narrower, each once) of the app's static-egress add-on or Private Space NAT",
          "[192.0.2.10/32, 192.0.2.11/32]",
        ),
      ),
    routeTableIds: z
      .array(
        z
          .string()
          .regex(limits.ROUTE_TABLE_ID)
          .meta(meta("a route table id", "rtb-0abc1234def567890")),
      )
      .default([])
      .meta(
        meta(
          "private-space only: the route tables of the database's subnets, which get a route to the space through the peering connection",
          "[rtb-0abc1234def567890]",
        ),
      ),
    caBundleFile: z
      .string()
      .regex(limits.REPOSITORY_PATH)
      .optional()
      .meta(
        meta(
          "a PEM file in this project (relative path) holding the RDS certificate authorities of aws:region; needed only for a region slipway ships no bundle for",
          "certs/rds/ca-west-1-bundle.pem",
        ),
      ),
    vpcId: z
      .string()
      .regex(limits.VPC_ID)
      .optional()
      .meta(meta("a VPC id", "vpc-0abc1234def567890")),
    subnetIds: z
      .array(
        z.string().regex(limits.SUBNET_ID).meta(meta("a subnet id", "subnet-0abc1234def567890")),
      )
      .superRefine(eachOnce())
      .refine((ids) => ids.length === 0 || ids.length >= limits.RDS_MIN_SUBNETS, {
        message: `fewer than ${limits.RDS_MIN_SUBNETS} subnets, and an RDS subnet group needs subnets in two Availability Zones`,
      })
      .default([])
      .meta(
        meta(
          "empty (the default VPC's subnets), or the ids of at least two subnets in different availability zones, each once",
          "[subnet-0abc1234def567890, subnet-0def5678abc123456]",
        ),
      ),
    databaseName: z
      .string()
      .regex(limits.POSTGRES_IDENTIFIER)
      .default("app")
      .meta(meta("a Postgres identifier: a letter, then letters, digits or _ (at most 63)", "app")),
    username: z
      .string()
      .regex(limits.POSTGRES_IDENTIFIER)
      .refine((v) => !limits.RESERVED_DB_USERS.includes(v.toLowerCase()), {
        message: "a name RDS reserves",
      })
      .default("slipway")
      .meta(
        meta(`a Postgres identifier other than ${limits.RESERVED_DB_USERS.join(", ")}`, "slipway"),
      ),
    performanceInsights: z.boolean().default(true).meta(meta("true or false", "true")),
    appRole: z
      .string()
      .regex(limits.POSTGRES_ROLE_NAME, { abort: true })
      .refine((v) => !limits.isReservedRoleName(v), {
        message: "a name Postgres or RDS reserves (pg_*, rds*, public, postgres, ...)",
      })
      .optional()
      .meta(
        meta(
          "the Postgres role the app connects as, created by pulumi up over the network (static-egress with the runner's address in allowedCidrs, or public; docs/database.md): a lowercase letter, then lowercase letters, digits or _ (at most 63), not the master username, not pg_* or rds*; unset, the app connects as the master user",
          "acme_web",
        ),
      ),
  })
  .superRefine((db, ctx) => {
    if (db.appRole !== undefined && db.appRole === db.username.toLowerCase()) {
      ctx.addIssue({
        code: "custom",
        path: ["appRole"],
        input: db.appRole,
        message: `the master user's name (slipway:database.username), and the app's role must be another role with fewer rights`,
      });
    }
    if (db.maxAllocatedStorageGb < db.allocatedStorageGb) {
      ctx.addIssue({
        code: "custom",
        path: ["maxAllocatedStorageGb"],
        input: db.maxAllocatedStorageGb,
        message: `below allocatedStorageGb (${db.allocatedStorageGb}); storage autoscaling needs a maximum at or above the allocated size`,
      });
    }
    for (const issue of windowIssues(db.backupWindow, db.maintenanceWindow)) {
      ctx.addIssue({ code: "custom", ...issue });
    }
    if (db.subnetIds.length > 0 && db.vpcId === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["vpcId"],
        input: undefined,
        message: "missing: subnetIds are set, so the security group needs the VPC they belong to",
      });
    }
  })
  .meta(
    meta(
      "an object: { engineVersion, instanceClass, allocatedStorageGb, backupRetentionDays, ... }",
      "{ instanceClass: db.t4g.small }",
    ),
  );

/** Minutes from the week's start (Monday 00:00 UTC) of an RDS window's ends. */
function windowMinutes(window: string, weekly: boolean): [number, number] {
  const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const at = (part: string) => {
    const [day, hh, mm] = weekly ? part.split(":") : ["mon", ...part.split(":")];
    return days.indexOf(day ?? "") * 1440 + Number(hh) * 60 + Number(mm);
  };
  const [start, end] = weekly ? [window.slice(0, 9), window.slice(10)] : window.split("-");
  return [at(start ?? ""), at(end ?? "")];
}

/** Whether [start1, start1 + length1) and [start2, start2 + length2) meet on a circle of `period`. */
function meet(start1: number, length1: number, start2: number, length2: number, period: number) {
  return [-period, 0, period].some(
    (shift) => start1 < start2 + length2 + shift && start2 + shift < start1 + length1,
  );
}

const DAY = 1440;
const WEEK = 7 * DAY;
const lengthOf = (w: [number, number], period: number) =>
  (((w[1] - w[0]) % period) + period) % period;

/**
 * RDS's rules for the two windows: each lasts at least 30 minutes, and the daily backup window
 * may not overlap the weekly maintenance window on any day (CreateDBInstance).
 */
function windowIssues(backup: string, maintenance: string) {
  const issues: { path: string[]; input: string; message: string }[] = [];
  const daily = windowMinutes(backup, false);
  const weekly = windowMinutes(maintenance, true);
  const checks: [string, string, [number, number], number][] = [
    ["backupWindow", backup, daily, DAY],
    ["maintenanceWindow", maintenance, weekly, WEEK],
  ];
  for (const [field, value, window, period] of checks) {
    const minutes = lengthOf(window, period);
    if (minutes < limits.RDS_WINDOW_MIN_MINUTES) {
      issues.push({
        path: [field],
        input: value,
        message: `lasts ${minutes} minutes, and RDS needs at least ${limits.RDS_WINDOW_MIN_MINUTES}`,
      });
    }
  }
  if (issues.length > 0) return issues;
  const backupLength = lengthOf(daily, DAY);
  const maintenanceLength = lengthOf(weekly, WEEK);
  const clash = [0, 1, 2, 3, 4, 5, 6].some((day) =>
    meet(day * DAY + daily[0], backupLength, weekly[0], maintenanceLength, WEEK),
  );
  if (clash) {
    issues.push({
      path: ["backupWindow"],
      input: backup,
      message: `overlaps maintenanceWindow (${maintenance}), and RDS refuses windows that overlap`,
    });
  }
  return issues;
}

export const githubSchema = z
  .strictObject({
    owner: z
      .string()
      .regex(limits.GITHUB_OWNER)
      .optional()
      .meta(
        meta("a GitHub user or organization: 1-39 letters, digits or single inner dashes", "acme"),
      ),
    repository: z
      .string()
      .refine(limits.isValidRepositoryName, { message: "not a repository name GitHub accepts" })
      .optional()
      .meta(
        meta(
          "a repository name: letters, digits, ., _ or -, at most 100, not ending in .git",
          "acme-web",
        ),
      ),
    productionBranch: z
      .string()
      .refine(limits.isValidBranchName, { message: "not a branch name git accepts" })
      .default("main")
      .meta(meta("a git branch name", "main")),
    stagingBranch: z
      .string()
      .refine(limits.isValidBranchName, { message: "not a branch name git accepts" })
      .default("staging")
      .meta(meta("a git branch name", "staging")),
    requiredApprovals: z
      .number()
      .int()
      .min(0)
      .max(limits.GITHUB_MAX_APPROVALS)
      .default(1)
      .meta(meta("a whole number from 0 to 6 (GitHub's range)", "1")),
    requiredChecks: z
      .array(z.string().trim().min(1).meta(meta("a status check (job) name", "test")))
      .min(1)
      .default(["lint", "format", "test", "coverage"])
      .meta(
        meta(
          "a non-empty list of the check names the application's CI reports on every pull request (its job names)",
          "[lint, format, test, coverage]",
        ),
      ),
    dismissStaleReviews: z.boolean().default(true).meta(meta("true or false", "true")),
    requireCodeOwnerReviews: z.boolean().default(false).meta(meta("true or false", "false")),
    requireLastPushApproval: z.boolean().default(false).meta(meta("true or false", "false")),
    requireConversationResolution: z.boolean().default(true).meta(meta("true or false", "true")),
    requireLinearHistory: z.boolean().default(false).meta(meta("true or false", "false")),
    enforceAdmins: z.boolean().default(true).meta(meta("true or false", "true")),
    productionReviewers: z
      .array(z.string().regex(limits.GITHUB_OWNER).meta(meta("a GitHub login", "octocat")))
      .max(6)
      .default([])
      .meta(
        meta(
          "a list of up to 6 GitHub logins (GitHub's limit), one of whom approves each production deployment",
          "[octocat]",
        ),
      ),
    oidcProviderArn: z
      .string()
      .regex(limits.IAM_OIDC_PROVIDER_ARN)
      // Another issuer's provider (EKS, GitLab) would make the deploy role trust the wrong tokens.
      .refine((v) => v.endsWith(":oidc-provider/token.actions.githubusercontent.com"), {
        message: "not the provider for GitHub Actions (token.actions.githubusercontent.com)",
      })
      .optional()
      .meta(
        meta(
          "the ARN of an existing IAM OIDC provider for token.actions.githubusercontent.com",
          "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
        ),
      ),
    platformRepository: z
      .string()
      .refine(limits.isValidRepositoryPath, { message: "not an owner/repository GitHub accepts" })
      .optional()
      .meta(
        meta(
          "slipway's own repository as owner/name: its main branch is protected, its workflows get the preview and infrastructure roles, and the application's deploys trust its reusable workflows",
          "acme/slipway",
        ),
      ),
    stateBackendUrl: z
      .string()
      .regex(limits.S3_BACKEND_URL)
      .optional()
      .meta(
        meta(
          "the s3:// URL of the self-managed backend the stacks keep state in (PULUMI_BACKEND_URL); unset: Pulumi Cloud, and no role gets state access in AWS",
          "s3://acme-pulumi-state/slipway",
        ),
      ),
    stateKmsKeyArn: z
      .string()
      .regex(limits.KMS_KEY_ARN)
      .optional()
      .meta(
        meta(
          "the ARN of the KMS key of the state's awskms:// secrets provider or its bucket's encryption; roles that read state may decrypt with it, roles that write may also encrypt",
          "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ),
      ),
  })
  .superRefine((gh, ctx) => {
    if (
      gh.platformRepository !== undefined &&
      gh.platformRepository.toLowerCase() === `${gh.owner}/${gh.repository}`.toLowerCase()
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["platformRepository"],
        input: gh.platformRepository,
        message:
          "the application's own repository; slipway lives in a repository of its own, so the application's workflows cannot change what deploys them",
      });
    }
    if (gh.stagingBranch === gh.productionBranch) {
      ctx.addIssue({
        code: "custom",
        path: ["stagingBranch"],
        input: gh.stagingBranch,
        message: `the same branch as productionBranch; staging needs its own branch so a change can be tried there before production`,
      });
    }
  })
  .prefault({})
  .meta(
    meta(
      "an object: { owner, repository, platformRepository, productionBranch, stagingBranch, requiredApprovals, requiredChecks, ... }",
      "{ owner: acme, repository: acme-web, platformRepository: acme/slipway }",
    ),
  );

const percent = (example: string, fallback: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(fallback)
    .meta(meta("a whole percentage from 1 to 100", example));

export const alertingSchema = z
  .strictObject({
    emails: z
      .array(z.string().regex(limits.EMAIL).meta(meta("an e-mail address", "oncall@example.com")))
      .superRefine(
        eachOnce(
          (email) => email.toLowerCase(),
          " (addresses are compared without case: one mailbox, one subscription)",
        ),
      )
      .default([])
      .meta(
        meta("a list of e-mail addresses that receive alarms, each once", "[oncall@example.com]"),
      ),
    httpsEndpoint: httpsUrl(
      "that receives alarm notifications",
      "https://hooks.example.com/alerts",
    ).optional(),
    cpuPercent: percent("80", 80),
    freeStorageGb: z
      .number()
      .min(1)
      .max(65536)
      .default(2)
      .meta(meta("GiB of free storage below which the alarm fires, at least 1", "2")),
    connectionsPercent: percent("80", 80),
    freeableMemoryMb: z
      .number()
      .int()
      .min(16)
      .max(1048576)
      .default(128)
      .meta(meta("MiB of freeable memory below which the alarm fires, at least 16", "128")),
    readLatencyMs: z
      .number()
      .int()
      .min(1)
      .max(10000)
      .default(20)
      .meta(meta("milliseconds per read from 1 to 10000", "20")),
    writeLatencyMs: z
      .number()
      .int()
      .min(1)
      .max(10000)
      .default(20)
      .meta(meta("milliseconds per write from 1 to 10000", "20")),
    latencyMs: z
      .number()
      .int()
      .min(100)
      .max(30000)
      .default(1000)
      .meta(meta("milliseconds to first byte of the health check, from 100 to 30000", "1000")),
    releaseWebhookUrl: httpsUrl(
      "told of every release",
      "https://hooks.example.com/releases",
    ).optional(),
  })
  .prefault({})
  .meta(
    meta(
      "an object: { emails, cpuPercent, freeStorageGb, connectionsPercent, latencyMs, ... }",
      "{ emails: [oncall@example.com] }",
    ),
  );

export const reviewAppsSchema = z
  .strictObject({
    addons: z
      .array(
        z
          .string()
          .regex(limits.ADDON_PLAN)
          .meta(meta("an add-on plan as service:plan", "heroku-postgresql:essential-0")),
      )
      .default(["heroku-postgresql:essential-0"])
      .meta(
        meta(
          "add-on plans every review app gets (instead of RDS)",
          "[heroku-postgresql:essential-0]",
        ),
      ),
    size: z
      .enum(limits.DYNO_SIZE_NAMES as [limits.DynoSize, ...limits.DynoSize[]])
      .default("basic")
      .meta(meta(`the one web dyno's size: one of ${limits.DYNO_SIZE_NAMES.join(", ")}`, "basic")),
    staleDays: z
      .number()
      .int()
      .min(1)
      .max(30)
      .default(5)
      .meta(
        meta("a whole number of days from 1 to 30 after which an idle review app is removed", "5"),
      ),
    githubConnected: z
      .boolean()
      .default(false)
      .meta(
        meta(
          "true once the pipeline is connected to GitHub in the Heroku Dashboard (see docs/heroku.md)",
          "true",
        ),
      ),
    waitForCi: z.boolean().default(true).meta(meta("true or false", "true")),
  })
  .prefault({})
  .meta(
    meta("an object: { addons, size, staleDays, githubConnected, waitForCi }", "{ staleDays: 5 }"),
  );

/** A path in the application's repository: a folder (ending in `/`) or a file, no glob. */
const repositoryPath = (example: string) =>
  z
    .string()
    .regex(limits.REPOSITORY_PATH)
    .meta(
      meta(
        "a path in the repository: a folder ending in / or a file, matched at any depth; no leading /, no .., no glob",
        example,
      ),
    );

const seconds = (what: string, min: number, max: number, fallback: number) =>
  z
    .number()
    .int()
    .min(min)
    .max(max)
    .default(fallback)
    .meta(meta(`a whole number of seconds from ${min} to ${max}: ${what}`, String(fallback)));

export const deploySchema = z
  .strictObject({
    migrationPaths: z
      .array(repositoryPath("db/migrate/"))
      .default([...limits.DEFAULT_MIGRATION_PATHS])
      .meta(
        meta(
          "paths whose changes are database migrations: `slipway changes` flags them and `slipway promote --rollback auto` does not roll back past them",
          "[db/migrate/, migrations/]",
        ),
      ),
    buildPaths: z
      .array(repositoryPath("package-lock.json"))
      .default([...limits.DEFAULT_BUILD_PATHS])
      .meta(
        meta(
          "paths whose changes alter the build (lockfiles, Procfile, app.json): `slipway changes` flags them",
          "[package-lock.json, Procfile]",
        ),
      ),
    pollIntervalSeconds: seconds("how often deploy and promote ask Heroku for news", 1, 60, 2),
    healthWindowSeconds: seconds("how long the health check may take to pass", 10, 3600, 300),
    healthChecks: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(3)
      .meta(
        meta(
          "a whole number from 1 to 20: consecutive HTTP 200 answers that make an app healthy",
          "3",
        ),
      ),
    snapshotsKept: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(10)
      .meta(
        meta(
          "a whole number from 1 to 100: how many of its own pre-promote snapshots slipway keeps (older ones of slipway's are deleted; no other snapshot is touched)",
          "10",
        ),
      ),
    snapshotTimeoutSeconds: seconds(
      "how long promote waits for the pre-promote snapshot before it aborts",
      60,
      7200,
      1800,
    ),
  })
  .prefault({})
  .meta(
    meta(
      "an object: { migrationPaths, buildPaths, pollIntervalSeconds, healthWindowSeconds, healthChecks, snapshotsKept, snapshotTimeoutSeconds }",
      "{ healthChecks: 3 }",
    ),
  );

/**
 * A credential CI receives as an environment secret: set with `pulumi config set --secret`.
 * "" (Pulumi.yaml's default) is none.
 */
const ciSecret = (what: string) =>
  z
    .string()
    .optional()
    .meta(meta(`${what}, set with pulumi config set --secret`, "[secret]"));

/**
 * The stack's kind when its name does not say it. Empty by default, as Pulumi.yaml declares it:
 * the CLI treats a declared key without a default as one every stack must set.
 */
export const environmentSchema = z
  .enum(["production", "staging", "review", ""])
  .default("")
  .meta(
    meta(
      'production, staging or review; "" (the default) takes the kind from the stack name',
      "staging",
    ),
  );

export const secretConfigVarsSchema = z
  .record(
    z
      .string()
      .regex(limits.CONFIG_VAR_NAME)
      .meta(meta("a config var name made of letters, digits and _", "SESSION_SECRET")),
    z.string().meta(meta("a string stored with pulumi config set --secret", "[secret]")),
  )
  .default({})
  .meta(
    meta(
      "a map of config var names to secret values (set with --secret --path)",
      "{ SESSION_SECRET: <secret> }",
    ),
  );

/** Bytes Heroku counts for config vars: each name and value, in UTF-8. */
export function configVarBytes(vars: Readonly<Record<string, string>>): number {
  return Object.entries(vars).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value),
    0,
  );
}

/** Every key in the `slipway` namespace. A key not listed here is a typo and an error. */
export const slipwaySchema = z.strictObject({
  environment: environmentSchema,
  app: appSchema,
  pipeline: pipelineSchema,
  database: databaseSchema.prefault({}),
  github: githubSchema,
  alerting: alertingSchema,
  reviewApps: reviewAppsSchema,
  deploy: deploySchema,
  secretConfigVars: secretConfigVarsSchema,
  stateSecret: ciSecret(
    "the state credential CI uses (production stack): a Pulumi access token, or with stateBackendUrl the passphrase; it becomes PULUMI_ACCESS_TOKEN or PULUMI_CONFIG_PASSPHRASE of the staging, production, infrastructure and drift environments",
  ),
  reviewStateSecret: ciSecret(
    "the state credential of the application's review environment, which every pull request branch reaches: a token or passphrase that opens review stacks only",
  ),
  reviewHerokuApiKey: ciSecret(
    "the Heroku API key of the application's review environment: a bot that can create apps in the team and couple them to the pipeline's review stage, not touch production",
  ),
});

export type SlipwaySettings = z.infer<typeof slipwaySchema>;
export type AppSettings = z.infer<typeof appSchema>;
export type FormationSettings = AppSettings["formation"];
export type WebhookSettings = AppSettings["webhooks"][number];
export type PipelineSettings = z.infer<typeof pipelineSchema>;
export type DatabaseSettings = z.infer<typeof databaseSchema>;
export type GithubSettings = z.infer<typeof githubSchema>;
export type AlertingSettings = z.infer<typeof alertingSchema>;
export type ReviewAppsSettings = z.infer<typeof reviewAppsSchema>;
export type DeploySettings = z.infer<typeof deploySchema>;
