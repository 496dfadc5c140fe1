// Runs the real program under the mock runtime for a committed stack, optionally with its
// config edited first, and finds resources in what it declared.
import * as path from "node:path";
import { CapturedResource, CapturedStack, runUnderMocks } from "../../cli/plan/capture";
import { planConfigs, PolicyEvaluator, StackPlan } from "../../cli/plan";
import { createMocks } from "../../cli/plan/mocks";
import { readProject, readStackConfig, stackConfigFromValues } from "../../cli/plan/stack-files";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** Config values of a stack file, fully qualified keys (`slipway:app`), objects as objects. */
export type StackValues = Record<string, unknown>;

/**
 * Plans one committed stack (`production`, `staging`), after `edit` changes a deep copy of its
 * config values. Non-production stacks are planned after production, whose outputs they
 * reference. Pass `as` to plan the values under another stack name (`review-login-form`).
 */
export async function planStack(
  stack: string,
  edit: (values: StackValues) => void = () => undefined,
  options: { as?: string; evaluate?: PolicyEvaluator } = {},
): Promise<StackPlan> {
  const project = readProject(PROJECT_DIR);
  const base = readStackConfig(project, stack);
  const values = structuredClone(base.values) as StackValues;
  edit(values);
  const name = options.as ?? stack;
  const edited = stackConfigFromValues(name, base.file, values);
  // Other stacks read production's outputs: the committed production stack is planned once.
  const known = name === "production" ? [] : [await committedProduction()];
  const [plan] = await planConfigs(project.name, [edited], { evaluate: options.evaluate, known });
  return plan as StackPlan;
}

let production: Promise<StackPlan> | undefined;

function committedProduction(): Promise<StackPlan> {
  production ??= planStack("production");
  return production;
}

/** Runs any program (a component under test) as a stack's body, with `config` set. */
export async function capture(
  program: () => unknown,
  options: { stack?: string; config?: StackValues; secretKeys?: string[] } = {},
): Promise<CapturedStack> {
  const config = Object.fromEntries(
    Object.entries(options.config ?? {}).map(([k, v]) => [
      k,
      typeof v === "string" ? v : JSON.stringify(v),
    ]),
  );
  return runUnderMocks(program, {
    project: "slipway",
    stack: options.stack ?? "staging",
    config: { "aws:region": "us-east-1", ...config },
    secretKeys: options.secretKeys ?? [],
    mocks: createMocks({ awsRegion: "us-east-1", stackOutputs: () => undefined }),
  });
}

/** Every resource of `type`. */
export function ofType(stack: CapturedStack, type: string): CapturedResource[] {
  return stack.resources.filter((r) => r.type === type);
}

/** The one resource of `type` (and `name`, when given); fails the test when there is not exactly one. */
export function one(stack: CapturedStack, type: string, name?: string): CapturedResource {
  const found = ofType(stack, type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1) {
    const names = ofType(stack, type).map((r) => r.name);
    throw new Error(
      `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length} (${names.join(", ")})`,
    );
  }
  return found[0] as CapturedResource;
}

/** A captured resource with the engine's defaults for everything `partial` leaves out. */
export function capturedResource(
  partial: Partial<CapturedResource> & Pick<CapturedResource, "urn" | "type" | "name">,
): CapturedResource {
  return {
    protect: false,
    custom: true,
    read: false,
    dependencies: [],
    deleteBeforeReplace: false,
    ignoreChanges: [],
    retainOnDelete: false,
    additionalSecretOutputs: [],
    inputs: {},
    state: {},
    ...partial,
  };
}
