// The engine's rule that no two resources of a deployment share a URN (the step generator's
// generateURN, shared by registrations and reads), which the mock runtime does not enforce.
import { Problem } from "../../errors";
import { CapturedResource } from "./capture";

/**
 * One problem per URN registered more than once, quoting the engine's reason. When the
 * resource's name holds a value that a list in the stack's config repeats (the usual cause:
 * one resource per entry), the problem names that config key.
 *
 * @param values - the stack's config values by fully qualified key, as parsed data.
 */
export function duplicateUrnProblems(
  resources: readonly CapturedResource[],
  values: Readonly<Record<string, unknown>>,
): Problem[] {
  const counts = new Map<string, { resource: CapturedResource; count: number }>();
  for (const resource of resources) {
    const seen = counts.get(resource.urn);
    counts.set(resource.urn, { resource, count: (seen?.count ?? 0) + 1 });
  }
  const problems: Problem[] = [];
  for (const [urn, { resource, count }] of counts) {
    if (count < 2) continue;
    const reason = `the Pulumi engine refuses the program with "Duplicate resource URN '${urn}'; try giving it a unique name": ${count} resources are registered with it.`;
    const cause = repeatedConfigValue(resource.name, values);
    problems.push(
      cause
        ? {
            key: cause.key,
            message: `got ${JSON.stringify(cause.value)} more than once, and ${reason} Allowed: each value once. Fix: remove the repeated ${JSON.stringify(cause.value)} from ${cause.key} in the stack's config file.`,
          }
        : {
            key: `${resource.type} ${resource.name}`,
            message: `${reason} Fix: give each resource a unique name in the program.`,
          },
    );
  }
  return problems;
}

/** The config list that repeats a value the resource's name is made from, if there is one. */
function repeatedConfigValue(
  name: string,
  values: Readonly<Record<string, unknown>>,
): { key: string; value: string } | undefined {
  for (const [key, value] of Object.entries(values)) {
    const found = findRepeat(name, value, key);
    if (found) return found;
  }
  return undefined;
}

function findRepeat(
  name: string,
  value: unknown,
  key: string,
): { key: string; value: string } | undefined {
  if (Array.isArray(value)) {
    const repeated = value.find(
      (item, i) =>
        typeof item === "string" &&
        value.indexOf(item) !== i &&
        // Components turn `.` and `/` into `-` where a name cannot hold them (CIDR blocks).
        (name.includes(item) || name.includes(item.replace(/[./]/g, "-"))),
    ) as string | undefined;
    if (repeated !== undefined) return { key, value: repeated };
    return value.reduce<{ key: string; value: string } | undefined>(
      (found, item, i) => found ?? findRepeat(name, item, `${key}[${i}]`),
      undefined,
    );
  }
  if (value !== null && typeof value === "object") {
    for (const [field, inner] of Object.entries(value)) {
      const found = findRepeat(name, inner, `${key}.${field}`);
      if (found) return found;
    }
  }
  return undefined;
}
