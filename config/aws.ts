// The `aws` namespace of a stack's config, which the AWS provider reads: a region that exists
// (for the stacks that create something in AWS) and keys the provider declares. The provider
// ignores a key it does not know, so a typo there would silently fall back to a default.
import type { Problem } from "../errors";
import { AWS_CONFIG_KEYS, AWS_REGIONS } from "./limits";
import { closest, type StackKind } from "./validate";

const NAMESPACE = "aws";

/**
 * Problems with the `aws:` keys of a stack.
 *
 * @param values - the stack's keys outside the `slipway` namespace, fully qualified, with values.
 * @param kind - review stacks create nothing in AWS and need no region.
 */
export function awsConfigProblems(
  values: Readonly<Record<string, unknown>>,
  kind: StackKind,
): Problem[] {
  const problems: Problem[] = [];
  for (const key of Object.keys(values)) {
    if (!key.startsWith(`${NAMESPACE}:`)) continue;
    const name = key.slice(NAMESPACE.length + 1);
    if ((AWS_CONFIG_KEYS as readonly string[]).includes(name)) continue;
    const near = closest(name, AWS_CONFIG_KEYS);
    problems.push({
      key,
      message:
        `unknown key of the AWS provider, which would ignore it.` +
        (near ? ` Did you mean ${NAMESPACE}:${near}?` : "") +
        ` Allowed: the provider's keys (${NAMESPACE}:region, ${NAMESPACE}:profile, ${NAMESPACE}:defaultTags, ...; @pulumi/aws's config). Fix: rename or remove it in the stack's config file.`,
    });
  }
  if (kind === "review") return problems;
  const region = values[`${NAMESPACE}:region`];
  if (typeof region !== "string" || !(AWS_REGIONS as readonly string[]).includes(region)) {
    const received = region === undefined ? "nothing" : JSON.stringify(region);
    const near =
      typeof region === "string" && region !== "" ? closest(region, AWS_REGIONS) : undefined;
    problems.push({
      key: `${NAMESPACE}:region`,
      message:
        `got ${received}: a ${kind} stack creates its database and alarms in AWS and needs a ` +
        `region${region === undefined ? "" : ", and that is not one AWS has"}.` +
        (near ? ` Did you mean ${near}?` : "") +
        ` Allowed: a region code such as us-east-1 (config/limits.ts lists them). Fix: pulumi config set aws:region ${near ?? "us-east-1"}`,
    });
  }
  return problems;
}
