// Policies against the resources the real program declares: plan a committed stack (with its
// config edited, or the captured resources changed where config cannot break a rule), then
// evaluate the pack on it exactly as `slipway plan` does.
import type { CapturedResource, CapturedStack } from "../../cli/plan/capture";
import type { Violation } from "../../cli/plan";
import { createEvaluator, PolicyConfigFile } from "../../cli/plan/policy";
import { pack } from "../../policy/policies";
import { Secret } from "../../cli/plan/values";
import { planStack, StackValues } from "../support/stacks";

export interface Case {
  /** Changes the committed stack's config values before planning. */
  edit?: (values: StackValues) => void;
  /** Changes the captured resources after planning (for rules no config can break). */
  mutate?: (resources: CapturedResource[]) => CapturedResource[];
  /** A policy config file's contents. */
  config?: PolicyConfigFile;
  /** Plan under another stack name (`review-login-form`). */
  as?: string;
}

const planned = new Map<
  string,
  Promise<CapturedStack & { kind: "production" | "staging" | "review" }>
>();

/** Violations of the whole pack on a stack (unedited plans are shared between tests). */
export async function violations(stack: string, test: Case = {}): Promise<Violation[]> {
  return evaluated(pack, stack, test);
}

async function evaluated(
  evaluatedPack: typeof pack,
  stack: string,
  test: Case,
): Promise<Violation[]> {
  const key = `${stack}:${test.as ?? ""}`;
  const plan = test.edit
    ? planStack(stack, test.edit, { as: test.as })
    : (planned.get(key) ??
      planned.set(key, planStack(stack, undefined, { as: test.as })).get(key)!);
  const captured = await plan;
  const copies = () =>
    captured.resources.map((r) => ({ ...r, inputs: copy(r.inputs) as Record<string, unknown> }));
  const resources = test.mutate ? test.mutate(copies()) : captured.resources;
  return createEvaluator(evaluatedPack, test.config)({ ...captured, resources });
}

/** A deep copy that keeps the Secret and unknown markers (structuredClone would not). */
function copy(value: unknown): unknown {
  if (value instanceof Secret) return new Secret(copy(value.value));
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)]));
  }
  return value;
}

/**
 * Only the violations of one policy, from a pack holding only that policy (same name and
 * version). Each test then runs only its policy's code, so mutation testing (docs/mutation.md)
 * reruns only that policy's tests for a change to it, rather than every policy test.
 */
export async function violationsOf(
  policy: string,
  stack: string,
  test: Case = {},
): Promise<Violation[]> {
  const only = { ...pack, policies: pack.policies.filter((p) => p.name === policy) };
  if (only.policies.length !== 1) throw new Error(`no policy named ${policy} in the pack`);
  return evaluated(only, stack, test);
}

/** The resource set with one resource's inputs patched. */
export function patch(
  type: string,
  name: string,
  change: (inputs: Record<string, unknown>) => void,
) {
  return (resources: CapturedResource[]): CapturedResource[] => {
    const target = resources.find((r) => r.type === type && r.name === name);
    if (!target)
      throw new Error(`no ${type} named ${name} among ${resources.map((r) => r.name).join(", ")}`);
    change(target.inputs);
    return resources;
  };
}

/** The resource set without the resources `drop` picks. */
export function without(drop: (r: CapturedResource) => boolean) {
  return (resources: CapturedResource[]): CapturedResource[] => resources.filter((r) => !drop(r));
}

export function urnOf(stack: string, qualifiedType: string, name: string): string {
  return `urn:pulumi:${stack}::slipway::${qualifiedType}::${name}`;
}
