// What only shows when the stacks of the project are read together: two stacks claiming one
// Heroku app name (Heroku names are global: the second create fails, or worse, adopts the
// first), and a stack referencing a production stack this project has no file for.
import * as path from "node:path";
import type { Problem } from "../../errors";
import { parseStackName } from "../../config/stack-reference";
import type { StackConfig } from "./stack-files";

function field(config: StackConfig, key: string, name: string): unknown {
  const value = config.values[key];
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/**
 * @param configs - the stacks being planned, with the project's other stack files when known.
 * @param project - the project's name: a reference to another project is not checked.
 * @param everyStack - whether `configs` holds every stack file of the project.
 */
export function crossStackProblems(
  configs: readonly StackConfig[],
  project: string,
  everyStack: boolean,
): Problem[] {
  const problems: Problem[] = [];
  const owners = new Map<string, StackConfig>();
  for (const config of configs) {
    const name = field(config, "slipway:app", "name");
    if (typeof name !== "string") continue;
    const owner = owners.get(name);
    if (owner === undefined) {
      owners.set(name, config);
      continue;
    }
    problems.push({
      key: `slipway:app.name in ${path.basename(config.file)}`,
      message:
        `got ${JSON.stringify(name)}, which stack ${owner.stack} (${path.basename(owner.file)}) ` +
        `names its app too; Heroku app names are global, so two stacks would fight over one ` +
        `app. Allowed: a name no other stack of this project uses. Fix: pulumi config set ` +
        `--path 'slipway:app.name' ${name}-${config.stack} --stack ${config.stack}`,
    });
  }
  if (!everyStack) return problems;
  const stacks = new Set(configs.map((c) => c.stack));
  for (const config of configs) {
    if (config.stack === "production" || !("slipway:app" in config.values)) continue;
    const written = field(config, "slipway:pipeline", "productionStack");
    const name = typeof written === "string" ? written : "production";
    const reference = parseStackName(name);
    if ((reference.project ?? project) !== project || stacks.has(reference.stack)) continue;
    const kind = config.values["slipway:environment"];
    if (kind === "production") continue;
    problems.push({
      key: `slipway:pipeline.productionStack in ${path.basename(config.file)}`,
      message:
        `got ${JSON.stringify(name)}${typeof written === "string" ? "" : " (the default)"}, ` +
        `but this project has no Pulumi.${reference.stack}.yaml, so the stack's pipeline ` +
        `reference would find nothing. Allowed: one of ${[...stacks].sort().join(", ")}. Fix: ` +
        `pulumi config set --path 'slipway:pipeline.productionStack' <stack> --stack ` +
        `${config.stack}, or add Pulumi.${reference.stack}.yaml.`,
    });
  }
  return problems;
}
