// The one configuration object of a slipway stack: read once, validated, frozen.
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { SlipwayError } from "../errors";
import { plainSecretProblems } from "./secrets";
import {
  AlertingSettings,
  AppSettings,
  DatabaseSettings,
  GithubSettings,
  PipelineSettings,
  ReviewAppsSettings,
} from "./schema";
import { NAMESPACE, StackKind, validateSettings } from "./validate";

export type { StackKind } from "./validate";
export * from "./schema";

export interface SlipwayConfig {
  readonly project: string;
  readonly stack: string;
  readonly kind: StackKind;
  /** For review stacks: the branch slug (`review-<slug>`). */
  readonly reviewSlug?: string;
  /** `aws:region`, which RDS and alerting live in; review stacks create nothing in AWS. */
  readonly awsRegion?: string;
  /** The app, with its name always set (validation requires it). */
  readonly app: AppSettings & { readonly name: string };
  readonly pipeline: PipelineSettings;
  /** RDS settings; review stacks have none (they use a Heroku Postgres add-on). */
  readonly database?: DatabaseSettings;
  readonly github: GithubSettings;
  readonly alerting: AlertingSettings;
  readonly reviewApps: ReviewAppsSettings;
  /** Config vars whose values are Pulumi secrets, by name. */
  readonly secretConfigVars: Readonly<Record<string, pulumi.Output<string>>>;
  /** The credentials CI environments receive (`slipway:stateSecret`, ...), as Pulumi secrets. */
  readonly ciSecrets: CiSecrets;
}

export interface CiSecrets {
  readonly stateSecret?: pulumi.Output<string>;
  readonly reviewStateSecret?: pulumi.Output<string>;
  readonly reviewHerokuApiKey?: pulumi.Output<string>;
}

/** Reads the current stack's configuration from the Pulumi runtime and validates it once. */
export function loadConfig(): SlipwayConfig {
  const all = pulumi.runtime.allConfig();
  const parsed = Object.fromEntries(
    Object.entries(all).map(([key, value]) => [key, parseConfigValue(value)]),
  );
  // First, before any message could echo a value: the engine says only which keys hold a secure
  // value somewhere, so a key counts as secret as a whole (slipway plan checks value by value).
  const plain = plainSecretProblems(parsed, (key) => isConfigSecret(key));
  if (plain.length > 0) throw new SlipwayError(plain);
  const raw: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  const otherKeys: string[] = [];
  const otherValues: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!key.startsWith(`${NAMESPACE}:`)) {
      otherKeys.push(key);
      otherValues[key] = value;
      continue;
    }
    const name = key.slice(NAMESPACE.length + 1);
    raw[name] = value;
    if (isConfigSecret(key)) secretKeys.push(name);
  }
  const stack = pulumi.getStack();
  const { kind, reviewSlug, settings } = validateSettings(
    raw,
    stack,
    secretKeys,
    otherKeys,
    otherValues,
  );
  const awsRegion = all["aws:region"];
  const { app, database, stateSecret, reviewStateSecret, reviewHerokuApiKey, ...rest } = settings;
  // "" is Pulumi.yaml's default: no credential.
  const secret = (value: string | undefined) =>
    value === undefined || value === "" ? undefined : pulumi.secret(value);
  return deepFreeze({
    ...rest,
    ciSecrets: {
      stateSecret: secret(stateSecret),
      reviewStateSecret: secret(reviewStateSecret),
      reviewHerokuApiKey: secret(reviewHerokuApiKey),
    },
    project: pulumi.getProject(),
    stack,
    kind,
    reviewSlug,
    awsRegion,
    app: { ...app, name: app.name as string },
    database: kind === "review" ? undefined : database,
    secretConfigVars: Object.fromEntries(
      Object.entries(settings.secretConfigVars).map(([name, value]) => [
        name,
        pulumi.secret(value),
      ]),
    ),
  });
}

/** Pulumi hands config values over as strings; objects and lists arrive as JSON text. */
export function parseConfigValue(value: string): unknown {
  const trimmed = value.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

/** Whether the stack stores config `key` (fully qualified) as a secret. */
// `isConfigSecret` is exported by the runtime but left out of its type declarations.
export function isConfigSecret(key: string): boolean {
  const check = (runtimeConfig as unknown as { isConfigSecret?: (k: string) => boolean })
    .isConfigSecret;
  return check ? check(key) : false;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !pulumi.Output.isInstance(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
