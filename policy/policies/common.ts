// What the policies share: which kind of stack a resource belongs to, and the type tokens of
// slipway's own resources (Heroku's are dynamic resources, so they have no SDK class to match).
import type { Policy, PolicyResource, ResourceValidationArgs } from "@pulumi/policy";

export type StackKind = "production" | "staging" | "review";

/** Dynamic resource types of slipway's Heroku provider (`pulumi-nodejs:dynamic/heroku:<Name>`). */
export const HEROKU_TYPES = {
  app: "pulumi-nodejs:dynamic/heroku:App",
  configVars: "pulumi-nodejs:dynamic/heroku:ConfigVars",
  formation: "pulumi-nodejs:dynamic/heroku:Formation",
  addon: "pulumi-nodejs:dynamic/heroku:Addon",
  feature: "pulumi-nodejs:dynamic/heroku:AppFeature",
  pipeline: "pulumi-nodejs:dynamic/heroku:Pipeline",
  coupling: "pulumi-nodejs:dynamic/heroku:PipelineCoupling",
} as const;

/** The stack a URN belongs to (`urn:pulumi:<stack>::<project>::...`). */
export function stackOf(urn: string): string {
  // Stryker disable next-line StringLiteral: equivalent, split always returns at least one part, so `?? ""` never applies
  return urn.split("::")[0]?.replace(/^urn:pulumi:/, "") ?? "";
}

/**
 * The kind of stack a resource lives in: its `slipway:environment` tag or, for slipway's
 * components, their `kind` input (so a stack with another name is still recognised), else the
 * stack's name.
 */
export function kindOf(
  resource: Pick<PolicyResource | ResourceValidationArgs, "urn" | "props" | "type">,
): StackKind | undefined {
  const tags = resource.props["tags"] as Record<string, unknown> | undefined;
  // AWS resources carry a tag; slipway's components carry the kind among their inputs.
  const declared: unknown =
    tags?.["slipway:environment"] ??
    (resource.type.startsWith("slipway:") ? (resource.props["kind"] as unknown) : undefined);
  if (declared === "production" || declared === "staging" || declared === "review") return declared;
  const stack = stackOf(resource.urn);
  if (stack === "production" || stack === "staging") return stack;
  return /^review-/.test(stack) ? "review" : undefined;
}

/** The kind of a whole stack, from any resource that says it. */
export function stackKind(resources: readonly PolicyResource[]): StackKind | undefined {
  for (const resource of resources) {
    const kind = kindOf(resource);
    if (kind) return kind;
  }
  return undefined;
}

/** Resources of a type token. */
export function ofType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
  return resources.filter((r) => r.type === type);
}

/** A resource's short name for messages: the last part of its URN. */
export function label(resource: Pick<PolicyResource, "urn">): string {
  return resource.urn.split("::").pop() ?? resource.urn;
}

/**
 * A policy's settings: what the config gives, over the defaults of its own schema. The Pulumi
 * CLI sends the defaults too, but an analyzer started without a Configure call (or by an older
 * CLI) would otherwise see no thresholds at all and pass everything.
 */
export function settingsOf<T extends object>(
  args: { getConfig<U extends object>(): U },
  policy: Pick<Policy, "configSchema">,
): T {
  const properties = (policy.configSchema?.properties ?? {}) as Record<
    string,
    { default?: unknown }
  >;
  const defaults = Object.fromEntries(
    Object.entries(properties).map(([key, schema]) => [key, schema.default]),
  );
  return { ...defaults, ...args.getConfig<object>() } as T;
}
