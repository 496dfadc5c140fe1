// `slipway plan`: the stacks' programs run offline under the mock runtime, every resource
// captured, the policy pack evaluated on what was captured.
import * as path from "node:path";
import { SlipwayError } from "../../errors";
import { parseStackName } from "../../config/stack-reference";
import { NAMESPACE, StackKind, ValidatedSettings, validateSettings } from "../../config/validate";
import { CapturedStack, runUnderMocks } from "./capture";
import { createMocks } from "./mocks";
import {
  displayPath,
  listStacks,
  ProjectFile,
  readProject,
  readStackConfig,
  StackConfig,
} from "./stack-files";
import { crossStackProblems } from "./cross-stack";
import { duplicateUrnProblems } from "./urns";

export interface Violation {
  readonly policy: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
  /** The resource the violation is about; absent for stack-wide policies. */
  readonly urn?: string;
  readonly message: string;
}

export interface StackPlan extends CapturedStack {
  readonly kind: StackKind;
  readonly file: string;
  readonly violations: readonly Violation[];
}

/** Where the policy pack plugs in: given a captured stack, the violations it finds. */
export type PolicyEvaluator = (stack: CapturedStack & { kind: StackKind }) => Promise<Violation[]>;

export interface PlanOptions {
  /** The project folder (where Pulumi.yaml is). */
  readonly dir: string;
  /** Stacks to plan; every `Pulumi.<stack>.yaml` when empty. */
  readonly stacks?: readonly string[];
  /** A config file to use instead of `Pulumi.<stack>.yaml` (one stack only). */
  readonly configFile?: string;
  readonly evaluate?: PolicyEvaluator;
  /** The program: index.ts's default export. Loaded on first use when not given. */
  readonly program?: () => unknown;
}

export async function plan(options: PlanOptions): Promise<StackPlan[]> {
  const project = readProject(options.dir);
  const everyStack = (options.stacks ?? []).length === 0 && options.configFile === undefined;
  const configs = chooseStacks(options, project).map((stack) =>
    readStackConfig(project, stack, options.configFile),
  );
  const crossStack = crossStackProblems(
    [...configs, ...otherStacks(project, configs)],
    project.name,
    everyStack,
  );
  if (crossStack.length > 0) throw new SlipwayError(crossStack, "the project's stacks:");
  return planConfigs(project.name, configs, options);
}

/** Plans stacks from configs already read (tests hand in edited copies of the committed ones). */
export async function planConfigs(
  projectName: string,
  stackConfigs: readonly StackConfig[],
  options: Pick<PlanOptions, "evaluate" | "program"> & {
    /** Stacks planned before, whose outputs StackReferences may read. */
    readonly known?: readonly StackPlan[];
  } = {},
): Promise<StackPlan[]> {
  // Validate every stack's config before running anything, so bad input fails fast.
  const configs = stackConfigs.map((config) => ({
    config,
    kind: validateStackConfig(config).kind,
  }));
  const program = options.program ?? loadProgram();
  const planned = new Map<string, StackPlan>((options.known ?? []).map((p) => [p.stack, p]));
  const results: StackPlan[] = [];
  // Production first: the other stacks reference its outputs.
  const order = [...configs].sort((a, b) => rank(a.kind) - rank(b.kind));
  for (const { config, kind } of order) {
    const captured = await runStack(projectName, config, program, planned);
    const violations = options.evaluate ? await options.evaluate({ ...captured, kind }) : [];
    const result: StackPlan = { ...captured, kind, file: config.file, violations };
    planned.set(config.stack, result);
  }
  for (const { config } of configs) results.push(planned.get(config.stack) as StackPlan);
  return results;
}

/** Exit code for a plan: 1 when any stack has a mandatory violation, else 0. */
export function exitCodeFor(plans: readonly StackPlan[]): 0 | 1 {
  return plans.some((p) => p.violations.some((v) => v.enforcementLevel === "mandatory")) ? 1 : 0;
}

/**
 * The project's stack files not being planned, for the checks across stacks. A file that does
 * not read is left out: its own plan reports it, and this one is not about it.
 */
function otherStacks(project: ProjectFile, planned: readonly StackConfig[]): StackConfig[] {
  const names = new Set(planned.map((c) => c.stack));
  return listStacks(project)
    .filter((stack) => !names.has(stack))
    .flatMap((stack) => {
      try {
        return [readStackConfig(project, stack)];
      } catch (error) {
        if (SlipwayError.isInstance(error)) return [];
        throw error;
      }
    });
}

function chooseStacks(options: PlanOptions, project: ProjectFile): string[] {
  const requested = [...new Set(options.stacks ?? [])];
  if (options.configFile && requested.length > 1) {
    throw SlipwayError.of(
      "--config",
      `applies to one stack, but ${requested.length} were given with --stack. Fix: plan one stack per --config file.`,
    );
  }
  if (options.configFile && requested.length === 0) {
    const match = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(options.configFile));
    if (!match?.[1]) {
      throw SlipwayError.of(
        "--config",
        `${options.configFile} is not named Pulumi.<stack>.yaml, so the stack is unknown. Fix: add --stack NAME.`,
      );
    }
    return [match[1]];
  }
  if (requested.length > 0) return requested;
  const all = listStacks(project);
  if (all.length === 0) {
    throw SlipwayError.of(
      "--stack",
      `no Pulumi.<stack>.yaml files in ${project.stackDir}. Fix: run slipway from the project folder.`,
    );
  }
  return all;
}

/** Validates a stack file's `slipway` settings; a problem names the file and the key. */
export function validateStackConfig(config: StackConfig): ValidatedSettings {
  const raw: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  const otherValues: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config.values)) {
    if (!key.startsWith(`${NAMESPACE}:`)) {
      otherValues[key] = value;
      continue;
    }
    const name = key.slice(NAMESPACE.length + 1);
    raw[name] = value;
    if (config.secretKeys.includes(key)) secretKeys.push(name);
  }
  try {
    return validateSettings(raw, config.stack, secretKeys, Object.keys(otherValues), otherValues);
  } catch (error) {
    throw contextualize(error, config);
  }
}

async function runStack(
  project: string,
  config: StackConfig,
  program: () => unknown,
  planned: ReadonlyMap<string, StackPlan>,
): Promise<CapturedStack> {
  const awsRegion = config.config["aws:region"] ?? "us-east-1";
  const mocks = createMocks({
    awsRegion,
    salt: config.stack,
    stackOutputs: (name) => {
      // Any organization: plan cannot know the backend, and this run's stacks share one.
      const reference = parseStackName(name);
      const found =
        (reference.project ?? project) === project ? planned.get(reference.stack) : undefined;
      return found?.outputs;
    },
  });
  try {
    const captured = await runUnderMocks(program, {
      project,
      stack: config.stack,
      config: config.config,
      secretKeys: config.secretKeys,
      mocks,
    });
    const duplicates = duplicateUrnProblems(captured.resources, config.values);
    if (duplicates.length > 0) throw new SlipwayError(duplicates);
    return captured;
  } catch (error) {
    throw contextualize(error, config);
  }
}

function contextualize(error: unknown, config: StackConfig): unknown {
  return SlipwayError.isInstance(error)
    ? error.withContext(`stack ${config.stack} (${displayPath(config.file)}):`)
    : error;
}

function rank(kind: StackKind): number {
  return kind === "production" ? 0 : kind === "staging" ? 1 : 2;
}

function loadProgram(): () => unknown {
  // Loaded here rather than imported so `slipway --help` and bad flags stay fast.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("../../index") as unknown;
  if (typeof program !== "function") throw new Error("index.ts must export the program function");
  return program as () => unknown;
}
