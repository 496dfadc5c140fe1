// Values that are each valid but contradict each other or the kind of stack they are planned as:
// a stack file whose section would be ignored silently, an alarm that could never fire. Each
// rule names the key, the value, what is allowed and the fix.
import type { Problem } from "../errors";
import type { SlipwaySettings } from "./schema";
import type { StackKind } from "./validate";

/**
 * The sections (and fields) of the `slipway` namespace that only some kinds of stack read
 * (index.ts). Production owns what all environments share. `database` and `alerting` are not
 * here: a review stack may be planned from staging's file, and leaves them out by design.
 */
const APPLIES: Readonly<Record<string, readonly StackKind[]>> = {
  github: ["production"],
  reviewApps: ["production", "review"],
  "pipeline.name": ["production"],
  "pipeline.productionStack": ["staging", "review"],
  stateSecret: ["production"],
  reviewStateSecret: ["production"],
  reviewHerokuApiKey: ["production"],
};

/** Pulumi.yaml's defaults for these keys: `{}` and `""` say nothing. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  return typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;
}

function valueAt(raw: Readonly<Record<string, unknown>>, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (value, part) =>
        value !== null && typeof value === "object" && !Array.isArray(value)
          ? (value as Record<string, unknown>)[part]
          : undefined,
      raw,
    );
}

/**
 * A section written in a stack file that its kind ignores: a `slipway:github` block in a staging
 * file configures nothing, and whoever wrote it believes otherwise.
 */
export function inapplicableSections(
  raw: Readonly<Record<string, unknown>>,
  kind: StackKind,
): Problem[] {
  return Object.entries(APPLIES)
    .filter(([path, kinds]) => !kinds.includes(kind) && !isEmpty(valueAt(raw, path)))
    .map(([path, kinds]) => {
      const [section = path, field] = path.split(".");
      const key = `slipway:${path}`;
      const remove = field
        ? `pulumi config rm --path '${key}'`
        : `remove ${key} from the stack's config file`;
      return {
        key,
        message:
          `is set, but a ${kind} stack does not use it, so it would be ignored. Allowed: ` +
          `${key} only in ${kinds.join(" and ")} stacks${
            section === "github" || section === "pipeline" || section.endsWith("Secret")
              ? " (production owns what all environments share)"
              : ""
          }. Fix: ${remove}, or move it to the stack that uses it.`,
      };
    });
}

/** Settings of one stack that contradict each other, for stacks that create a database. */
export function contradictions(settings: SlipwaySettings): Problem[] {
  const problems: Problem[] = [];
  const { freeStorageGb } = settings.alerting;
  const { allocatedStorageGb } = settings.database;
  if (freeStorageGb >= allocatedStorageGb) {
    problems.push({
      key: "slipway:alerting.freeStorageGb",
      message:
        `got ${freeStorageGb}: at or above slipway:database.allocatedStorageGb ` +
        `(${allocatedStorageGb}), so the free-storage alarm would fire from the start. Allowed: ` +
        `less than the allocated storage. Fix: pulumi config set --path ` +
        `'slipway:alerting.freeStorageGb' ${Math.max(1, Math.floor(allocatedStorageGb / 10))}`,
    });
  }
  return problems;
}
