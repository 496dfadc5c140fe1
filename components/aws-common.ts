// What the AWS components (PostgresDatabase, Alerting) share: the stack kinds that own AWS
// resources, the tags every AWS resource carries, how a prefix becomes an AWS name, and the
// stack's AWS provider settings for a provider in another region.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isConfigSecret } from "../config";

/** The stack kinds that create AWS resources; review stacks use a Heroku Postgres add-on. */
export type AwsStackKind = "production" | "staging";

/** Tags on every AWS resource slipway creates, so the console and the bill say whose it is. */
export function awsTags(kind: AwsStackKind): Record<string, string> {
  return {
    "slipway:stack": `${pulumi.getProject()}/${pulumi.getStack()}`,
    "slipway:environment": kind,
  };
}

/** Longest prefix kept, so `<prefix>-db` fits RDS's 63-character identifier limit. */
export const MAX_PREFIX_LENGTH = 60;

/**
 * A prefix made safe for the strictest AWS names slipway sets (RDS identifiers: a lowercase
 * letter first, then lowercase letters, digits and single dashes, no dash at the end).
 * Heroku app names are nearly that already; this folds case and repeated dashes.
 *
 * @throws Error when nothing usable is left: the caller passed something that is not a name.
 */
export function awsName(prefix: string): string {
  const name = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .slice(0, MAX_PREFIX_LENGTH)
    .replace(/^-+|-+$/g, "");
  if (!/^[a-z]/.test(name)) {
    throw new Error(
      `namePrefix ${JSON.stringify(prefix)} must start with a letter (it names AWS resources)`,
    );
  }
  return name;
}

/**
 * The provider settings a stack can set as `aws:<key>`, read from @pulumi/aws's own config
 * module (generated from the provider's schema, so a new setting is picked up with the
 * package), except the region, which a provider for another region sets itself.
 */
export const AWS_PROVIDER_SETTINGS: readonly string[] = Object.keys(aws.config).filter(
  (key) => key !== "region" && typeof (aws.config as Record<string, unknown>)[key] !== "function",
);

/**
 * The stack's AWS provider settings (assumed roles, allowed and forbidden accounts, default
 * and ignored tags, profile, shared files, endpoints, skip flags, keys, ...) for an explicit
 * provider: without them it would act as whoever the machine's default credentials are, in
 * whichever account that is. A value stored as a secret stays a secret.
 */
export function stackProviderSettings(): aws.ProviderArgs {
  const config = aws.config as Record<string, unknown>;
  const settings: Record<string, unknown> = {};
  for (const key of AWS_PROVIDER_SETTINGS) {
    const value = config[key];
    if (value === undefined) continue;
    settings[key] = isConfigSecret(`aws:${key}`) ? pulumi.secret(value) : value;
  }
  return settings;
}
