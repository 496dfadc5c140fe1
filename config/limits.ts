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

/** Add-on plans as `service:plan` (`heroku-postgresql:essential-0`). */
export const ADDON_PLAN = /^[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9-]*)?$/;

/** Heroku app features are lowercase words joined by dashes (`preboot`, `runtime-dyno-metadata`). */
export const APP_FEATURE = /^[a-z][a-z0-9-]*$/;

/** RDS instance classes: `db.<family>.<size>` (`db.t4g.micro`, `db.m7g.large`). */
export const RDS_INSTANCE_CLASS = /^db\.[a-z][a-z0-9-]*\.[0-9]*[a-z][a-z0-9]*$/;

/** Postgres major versions RDS offers, optionally with a minor version (`16`, `16.4`). */
export const POSTGRES_VERSION = /^(1[3-9])(\.\d+)?$/;

/** RDS: `hh:mm-hh:mm` (UTC) for backups; `ddd:hh:mm-ddd:hh:mm` for maintenance. */
export const BACKUP_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
export const MAINTENANCE_WINDOW =
  /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;

/** Postgres identifiers RDS accepts for the database name and master user. */
export const POSTGRES_IDENTIFIER = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
/** Master user names RDS for PostgreSQL reserves. */
export const RESERVED_DB_USERS = ["postgres", "rdsadmin", "admin", "root"];

/** AWS ids and regions. */
export const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
export const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
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
  return [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
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
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
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
