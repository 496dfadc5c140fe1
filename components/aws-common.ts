// What the AWS components (PostgresDatabase, Alerting) share: the stack kinds that own AWS
// resources, the tags every AWS resource carries, and the stack's AWS provider settings for a
// provider in another region. Names are in aws-names.ts, which operations read without loading
// the AWS SDK.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isConfigSecret } from "../config";

export { awsName, databaseIdentifier, MAX_PREFIX_LENGTH } from "./aws-names";

/** The stack kinds that create AWS resources; review stacks use a Heroku Postgres add-on. */
export type AwsStackKind = "production" | "staging";

/** Tags on every AWS resource slipway creates, so the console and the bill say whose it is. */
export function awsTags(kind: AwsStackKind): Record<string, string> {
  return {
    "slipway:stack": `${pulumi.getProject()}/${pulumi.getStack()}`,
    "slipway:environment": kind,
  };
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
