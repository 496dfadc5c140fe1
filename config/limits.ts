// The platforms' own limits, as pure checks. They are strict because a value the platform would
// refuse fails late (mid-`pulumi up`, after other resources changed) and far from its cause.

/** Heroku app names: lowercase letter first, then letters, digits and dashes; 3-30 characters. */
export const HEROKU_APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;

/** Heroku Common Runtime regions. */
export const HEROKU_REGIONS = ["us", "eu"] as const;

/** Heroku stacks that still accept builds. */
export const HEROKU_STACKS = ["heroku-22", "heroku-24"] as const;

/**
 * Common Runtime dyno sizes, with the most dynos of one process type Heroku allows for each
 * (eco and basic run one dyno per process type; the others up to 100 by default).
 */
export const DYNO_SIZES = {
  eco: 1,
  basic: 1,
  "standard-1x": 100,
  "standard-2x": 100,
  "performance-m": 100,
  "performance-l": 100,
  "performance-l-ram": 100,
  "performance-xl": 100,
  "performance-2xl": 100,
} as const;
export type DynoSize = keyof typeof DYNO_SIZES;
export const DYNO_SIZE_NAMES = Object.keys(DYNO_SIZES) as DynoSize[];

/** Process types as Heroku names them in a Procfile. */
export const PROCESS_TYPE = /^[a-z][a-z0-9_-]{0,29}$/;

/** Config var names: Heroku accepts word characters only (`^\w+$` in its API schema). */
export const CONFIG_VAR_NAME = /^\w+$/;

/**
 * Add-on plans as `service` or `service:plan` (`heroku-postgresql:essential-0`): each part
 * lowercase words of letters and digits joined by single dashes, as Heroku's add-on services and
 * plans are named (the Platform API's `plan.name` example, `heroku-postgresql:dev`). Heroku
 * answers 422 to anything else, mid-`pulumi up`.
 */
export const ADDON_PLAN = /^[a-z0-9]+(-[a-z0-9]+)*(:[a-z0-9]+(-[a-z0-9]+)*)?$/;

/** Heroku app features are lowercase words joined by dashes (`preboot`, `runtime-dyno-metadata`). */
export const APP_FEATURE = /^[a-z][a-z0-9-]*$/;

/**
 * The app features Heroku lets an app switch on (`heroku features` and `heroku labs` list them;
 * Dev Center: "Preboot", "Dyno Metadata", "Session Affinity", "Language Runtime Metrics",
 * "Log Runtime Metrics", "Heroku Router 2.0", "DNS Service Discovery for Private Spaces").
 * `PATCH /apps/{app}/features/{name}` answers 404 for any other name.
 */
export const HEROKU_APP_FEATURES = [
  "preboot",
  "http-session-affinity",
  "http-routing-2-dot-0",
  "runtime-dyno-metadata",
  "runtime-dyno-build-metadata",
  "log-runtime-metrics",
  "runtime-heroku-metrics",
  "nodejs-language-metrics",
  "jvm-language-metrics",
  "ruby-language-metrics",
  "go-language-metrics",
  "python-language-metrics",
  "spaces-dns-discovery",
] as const;

/** Features that only work on professional dynos (Dev Center, "Preboot": Standard and Performance). */
export const PROFESSIONAL_ONLY_FEATURES: readonly string[] = ["preboot"];

/**
 * Heroku's limit on an app's config vars: keys and values together at most 32 kB (Dev Center,
 * "Configuration and Config Vars", Config var limits). Heroku refuses a PATCH that goes over.
 */
export const HEROKU_CONFIG_VARS_MAX_BYTES = 32 * 1024;

/**
 * RDS instance classes: `db.<family>.<size>` (`db.t4g.micro`, `db.m7g.large`). Only the shape;
 * RDS_POSTGRES_INSTANCE_CLASSES says which exist.
 */
export const RDS_INSTANCE_CLASS = /^db\.[a-z][a-z0-9-]*\.[0-9]*[a-z][a-z0-9]*$/;

const sizes = (...names: string[]) => names;
const GRAVITON_2 = sizes(
  "large",
  "xlarge",
  "2xlarge",
  "4xlarge",
  "8xlarge",
  "12xlarge",
  "16xlarge",
);
const INTEL_6 = [...GRAVITON_2, "24xlarge", "32xlarge"];
const GEN_7_8 = [...GRAVITON_2, "24xlarge", "48xlarge"];
const GEN_5 = [...GRAVITON_2, "24xlarge"];
const BURSTABLE = sizes("micro", "small", "medium", "large", "xlarge", "2xlarge");

/**
 * The instance classes RDS for PostgreSQL runs (13 and later), by family. From AWS's published
 * list: RDS User Guide, "Supported DB engines for DB instance classes" (PostgreSQL column) and
 * "DB instance class types". @pulumi/aws's `rds.InstanceType` enum (types/enums/rds) is a
 * convenience list, not the service's: it still has db.t2/db.m1-m4/db.r3-r4 (previous
 * generations RDS refuses for PostgreSQL 13+) and lacks db.m7g, db.r7g and newer, so it cannot be
 * the source; test/config/limits.test.ts checks that every current-generation class it lists is
 * here.
 */
export const RDS_POSTGRES_INSTANCE_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  t3: BURSTABLE,
  t4g: BURSTABLE,
  m5: GEN_5,
  m5d: GEN_5,
  m6g: GRAVITON_2,
  m6gd: GRAVITON_2,
  m6i: INTEL_6,
  m6id: INTEL_6,
  m6idn: INTEL_6,
  m6in: INTEL_6,
  m7g: GRAVITON_2,
  m7i: GEN_7_8,
  m8g: GEN_7_8,
  r5: GEN_5,
  r5b: GEN_5,
  r5d: GEN_5,
  r6g: GRAVITON_2,
  r6gd: GRAVITON_2,
  r6i: INTEL_6,
  r6id: INTEL_6,
  r6idn: INTEL_6,
  r6in: INTEL_6,
  r7g: GRAVITON_2,
  r7i: GEN_7_8,
  r8g: GEN_7_8,
  x2g: GRAVITON_2,
  x2iedn: sizes("xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge", "24xlarge", "32xlarge"),
};

/** Whether RDS for PostgreSQL offers `instanceClass` (`db.t4g.micro`). */
export function isRdsPostgresInstanceClass(instanceClass: string): boolean {
  const [prefix, family, size, ...rest] = instanceClass.split(".");
  return (
    prefix === "db" &&
    rest.length === 0 &&
    family !== undefined &&
    size !== undefined &&
    Object.hasOwn(RDS_POSTGRES_INSTANCE_FAMILIES, family) &&
    // Stryker disable next-line ArrayDeclaration: equivalent, Object.hasOwn above means the family is there, so `?? []` never applies
    (RDS_POSTGRES_INSTANCE_FAMILIES[family] ?? []).includes(size)
  );
}

/** Postgres versions as written: a major, optionally with a minor (`16`, `16.4`). */
export const POSTGRES_VERSION = /^(\d+)(\.\d+)?$/;

/**
 * The PostgreSQL majors RDS creates instances of, each with the lowest minor it still creates
 * (older minors are deprecated: RDS refuses to create them). From AWS's "Amazon RDS for
 * PostgreSQL updates" and its release calendar (PostgreSQLReleaseNotes/postgresql-versions.html,
 * postgresql-release-calendar.html), and the RDS deprecation of 14.14-14.17, 15.9-15.12,
 * 16.5-16.8 and 17.1-17.4 (no new instances since 2026-05-01). 12 and older are past Extended
 * Support's creation; 19 runs only in the Database Preview Environment.
 */
export const RDS_POSTGRES_MAJORS: Readonly<Record<string, number>> = {
  "13": 1,
  "14": 18,
  "15": 13,
  "16": 9,
  "17": 5,
  "18": 1,
};

/** Why RDS would refuse Postgres `version`, or undefined when it creates it. */
export function postgresVersionProblem(version: string): string | undefined {
  const match = POSTGRES_VERSION.exec(version);
  if (!match) return "not a Postgres version";
  // Stryker disable next-line StringLiteral: equivalent, the first group always takes part in a match, so `?? ""` never applies
  const major = match[1] ?? "";
  const lowest = RDS_POSTGRES_MAJORS[major];
  if (lowest === undefined) return `RDS does not create PostgreSQL ${major} instances`;
  const minor = match[2] === undefined ? undefined : Number(match[2].slice(1));
  if (minor !== undefined && minor < lowest) {
    return `RDS no longer creates ${version} (the oldest ${major}.x it creates is ${major}.${lowest})`;
  }
  return undefined;
}

/**
 * RDS: `hh:mm-hh:mm` (UTC) for backups; `ddd:hh:mm-ddd:hh:mm` for maintenance. Each at least 30
 * minutes, and the two may not overlap (RDS API Reference, CreateDBInstance:
 * PreferredBackupWindow and PreferredMaintenanceWindow).
 */
export const RDS_WINDOW_MIN_MINUTES = 30;
export const BACKUP_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
export const MAINTENANCE_WINDOW =
  /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;

/** Postgres identifiers RDS accepts for the database name and master user. */
export const POSTGRES_IDENTIFIER = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
/** Master user names RDS for PostgreSQL reserves. */
export const RESERVED_DB_USERS = ["postgres", "rdsadmin", "admin", "root"];

/**
 * The app's role (`slipway:database.appRole`): lowercase only, so the SQL a person types by hand
 * (docs/database.md) names it without quotes; Postgres folds unquoted names to lowercase.
 */
export const POSTGRES_ROLE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Role names that are not free: Postgres keeps `pg_*` and the words below for itself, and RDS
 * keeps its own roles (`rdsadmin`, `rds_superuser`, `rds_iam`, ...).
 */
export function isReservedRoleName(name: string): boolean {
  const words = ["public", "none", "current_user", "session_user", "current_role"];
  return (
    name.startsWith("pg_") ||
    name.startsWith("rds") ||
    words.includes(name) ||
    RESERVED_DB_USERS.includes(name)
  );
}

/**
 * AWS regions: @pulumi/aws's `Region` enum (types/enums/index.d.ts), the list the provider
 * validates `aws:region` against; test/config/limits.test.ts keeps the two equal.
 */
export const AWS_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "cn-north-1",
  "cn-northwest-1",
  "eusc-de-east-1",
  "us-gov-east-1",
  "us-gov-west-1",
  "us-iso-east-1",
  "us-iso-west-1",
  "us-isob-east-1",
  "us-isob-west-1",
  "eu-isoe-west-1",
  "us-isof-east-1",
  "us-isof-south-1",
] as const;

/**
 * The keys of the `aws` config namespace: the provider's config declarations
 * (@pulumi/aws/config/vars.d.ts); test/config/limits.test.ts keeps the two equal. Any other
 * `aws:` key is a typo the provider ignores, silently.
 */
export const AWS_CONFIG_KEYS = [
  "accessKey",
  "allowedAccountIds",
  "assumeRoleWithWebIdentity",
  "assumeRoles",
  "customCaBundle",
  "defaultTags",
  "ec2MetadataServiceEndpoint",
  "ec2MetadataServiceEndpointMode",
  "endpoints",
  "forbiddenAccountIds",
  "httpProxy",
  "httpsProxy",
  "ignoreTags",
  "insecure",
  "maxRetries",
  "noProxy",
  "profile",
  "region",
  "retryMode",
  "s3UsEast1RegionalEndpoint",
  "s3UsePathStyle",
  "secretKey",
  "sharedConfigFiles",
  "sharedCredentialsFiles",
  "skipCredentialsValidation",
  "skipMetadataApiCheck",
  "skipRegionValidation",
  "skipRequestingAccountId",
  "stsRegion",
  "tagPolicyCompliance",
  "token",
  "tokenBucketRateLimiterCapacity",
  "useDualstackEndpoint",
  "useFipsEndpoint",
  "userAgents",
] as const;

/** AWS ids. */
export const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
/** An RDS DB subnet group needs subnets in at least two Availability Zones (RDS User Guide). */
export const RDS_MIN_SUBNETS = 2;
export const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
export const ROUTE_TABLE_ID = /^rtb-[0-9a-f]{8,17}$/;

/** Heroku Private Space names (the Platform API's own pattern). */
export const HEROKU_SPACE_NAME = /^[a-z0-9](?:[a-z0-9]|-(?!-))+[a-z0-9]$/;
export const IAM_OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/.+$/;

/** GitHub logins (users and organizations): 1-39 characters, letters, digits, single dashes inside. */
export const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** GitHub repository names: letters, digits, `.`, `_`, `-`; at most 100 characters. */
export const GITHUB_REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;
/** GitHub allows 0 to 6 required approving reviews. */
export const GITHUB_MAX_APPROVALS = 6;

/** Whether `name` is a branch name git accepts (the rules of `git check-ref-format --branch`). */
export function isValidBranchName(name: string): boolean {
  if (name.length === 0 || name.length > 255) return false;
  if (name === "@" || name.startsWith("-") || name.startsWith("/") || name.endsWith("/")) {
    return false;
  }
  if (name.endsWith(".") || name.endsWith(".lock") || name.includes("..") || name.includes("@{")) {
    return false;
  }
  if (name.includes("//") || /[\s~^:?*[\\]/.test(name) || hasControlCharacter(name)) return false;
  return name.split("/").every((part) => !part.startsWith("."));
}

function hasControlCharacter(text: string): boolean {
  return [...text].some(
    (c) =>
      // Stryker disable next-line EqualityOperator: equivalent, isValidBranchName refuses a space (0x20) with \s before it asks here
      c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f,
  );
}

/** Whether `name` is a repository name GitHub accepts. */
export function isValidRepositoryName(name: string): boolean {
  return GITHUB_REPOSITORY.test(name) && name !== "." && name !== ".." && !name.endsWith(".git");
}

/** `owner/name` of a GitHub repository (`acme/slipway`). */
export function isValidRepositoryPath(path: string): boolean {
  const [owner, name, ...rest] = path.split("/");
  return (
    rest.length === 0 &&
    owner !== undefined &&
    GITHUB_OWNER.test(owner) &&
    name !== undefined &&
    isValidRepositoryName(name)
  );
}

/** A self-managed Pulumi backend in S3: `s3://bucket[/prefix][?query]` (bucket naming rules). */
export const S3_BACKEND_URL = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^?#\s]*)?(\?[^#\s]*)?$/;

/** A KMS key by ARN (not an alias: IAM grants name keys). */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;

/** Whether `cidr` is an IPv4 CIDR block with its host bits clear (`203.0.113.0/24`). */
export function isValidIpv4Cidr(cidr: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return false;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return false;
  // Stryker disable next-line ArithmeticOperator: `- o` is equivalent, it gives the address negated, and a remainder of 0 does not depend on the sign
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 2 ** (32 - prefix);
  return address % hostBits === 0;
}

/** The prefix length of an IPv4 CIDR block (`203.0.113.0/24` -> 24). */
export function cidrPrefixLength(cidr: string): number {
  return Number(cidr.split("/")[1]);
}

/**
 * The widest block a database reachable from the internet may admit: a /24 is 256 addresses,
 * about the most one static-egress provider or NAT gateway set spans. Anything wider admits
 * addresses nobody on the team can name. Config validation and the policy both use it.
 */
export const WIDEST_PUBLIC_PREFIX = 24;

/** A deliberately plain e-mail check: one `@`, a dotted domain, no spaces (what SNS accepts). */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether `url` parses and uses one of `protocols` (`https:`). */
export function isUrlWithProtocol(url: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** Heroku app webhook event types (`include` of an app webhook). */
export const WEBHOOK_EVENTS = [
  "api:addon-attachment",
  "api:addon",
  "api:app",
  "api:build",
  "api:collaborator",
  "api:domain",
  "api:dyno",
  "api:formation",
  "api:release",
  "api:sni-endpoint",
  "dyno",
] as const;

/**
 * A path in the application's repository as `slipway:deploy` names them: relative, no `..`
 * segment, no glob. A folder ends in `/`; both folders and files match at any depth, so
 * `migrations/` also covers `apps/web/migrations/` in a monorepo.
 */
export const REPOSITORY_PATH = /^(?![/])(?!(?:.*\/)?\.\.(?:\/|$))[\w.@+/-]+$/;

/** Where the common frameworks keep migrations (Knex, Sequelize, Django, Prisma: `migrations/`;
 * Rails: `db/migrate/`; Flyway: `db/migration/`; Alembic: `alembic/versions/`). */
export const DEFAULT_MIGRATION_PATHS = [
  "migrations/",
  "db/migrate/",
  "db/migration/",
  "alembic/versions/",
] as const;

/** Files whose change alters what a Heroku build produces: dependency manifests and lockfiles
 * of the official buildpacks' languages, runtime pins, the Procfile and app.json. */
export const DEFAULT_BUILD_PATHS = [
  "app.json",
  "Procfile",
  "package.json",
  "package-lock.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  ".node-version",
  ".nvmrc",
  "requirements.txt",
  "Pipfile.lock",
  "poetry.lock",
  "uv.lock",
  ".python-version",
  "runtime.txt",
  "Gemfile.lock",
  "go.mod",
  "go.sum",
  "project.toml",
] as const;

/**
 * What offline readers (`slipway plan`, the operations) see instead of a value stored with
 * `--secret`: they hold no key to decrypt it, so its format cannot be judged there.
 */
export const SECRET_PLACEHOLDER = "[secret]";

/**
 * Names that look like they hold a secret, as regular expressions over the name framed for
 * whole-word matching: UPPER_SNAKE_CASE between two underscores (`apiKey` is read as
 * `_API_KEY_`, so `_KEY_$` means "ends in the word KEY"). One list for config keys, nested
 * config fields and Heroku config var names: `slipway plan`, `pulumi up` and the
 * `secret-config-vars` policy all use it, so a name looks secret in one exactly when in the others.
 */
export const SECRET_NAME_PATTERNS: readonly string[] = [
  "_SECRET_",
  "_PASSWORD_",
  "_PASSWD_",
  "_PASSPHRASE_",
  "_TOKEN_$",
  "_KEY_$",
  "_APIKEY_$",
  "_CREDENTIALS?_$",
  "^_DATABASE_URL_$",
];

/** `apiKey`, `api-key` and `API_KEY` all become `API_KEY`; `DBPassword` becomes `DB_PASSWORD`. */
export function upperSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
}

/** Whether `name` looks like it holds a secret (`SECRET_NAME_PATTERNS`, or the patterns given). */
export function looksSecret(
  name: string,
  patterns: readonly string[] = SECRET_NAME_PATTERNS,
): boolean {
  const framed = `_${upperSnakeCase(name)}_`;
  return patterns.some((pattern) => new RegExp(pattern, "i").test(framed));
}
