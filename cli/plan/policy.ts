// Evaluates a CrossGuard policy pack on a captured stack, offline, with the semantics of
// @pulumi/policy's analyzer: enforcement levels from the pack, the policy and the config file;
// per-policy config with the schema's defaults; properties behind its unknown-checking proxy;
// a policy that touches a value unknown at plan time becomes an advisory "can't run" notice.
import * as fs from "node:fs";
import Ajv from "ajv";
import type {
  EnforcementLevel,
  Policies,
  Policy,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as policyProxy from "@pulumi/policy/proxy";
import { SlipwayError } from "../../errors";
import { closest } from "../../config/validate";
import type { CapturedResource } from "./capture";
import type { PolicyEvaluator, Violation } from "./index";
import { Secret, UNKNOWN } from "./values";

/** A policy pack as `new PolicyPack(name, args)` receives it, plus the version it publishes. */
export interface PackDefinition {
  readonly name: string;
  readonly version: string;
  readonly enforcementLevel?: EnforcementLevel;
  readonly policies: Policies;
}

/** `--policy-pack-config` file contents: per policy (or `all`) a level, or a level and properties. */
export type PolicyConfigFile = Record<string, EnforcementLevel | Record<string, unknown>>;

/** What one policy runs with after the config file is applied. */
interface ResolvedPolicy {
  readonly policy: Policy;
  readonly level: EnforcementLevel;
  readonly config: Record<string, unknown>;
}

// The proxy's exports are marked internal in its type declarations; these are the ones we use.
const { unknownCheckingProxy, UnknownValueError, unknownStringValue } = policyProxy as unknown as {
  unknownCheckingProxy: <T extends object>(value: T) => T;
  UnknownValueError: new (...args: never[]) => Error;
  unknownStringValue: string;
};

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

class NotApplicable extends Error {}

/** Reads and checks a policy config file the way `pulumi preview --policy-pack-config` takes it. */
export function readPolicyConfig(file: string): PolicyConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw SlipwayError.of(
      "--policy-config",
      `${file} cannot be read. Fix: pass an existing JSON file.`,
    );
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
      throw new Error("not an object");
    return parsed as PolicyConfigFile;
  } catch (error) {
    throw SlipwayError.of(
      "--policy-config",
      `${file} is not a JSON object (${(error as Error).message}). Allowed: { "<policy>": "<level>" or { "enforcementLevel": ..., <settings> } }. Fix: see docs/policies.md.`,
    );
  }
}

const FIX =
  "Fix: correct it in the policy config file (docs/policies.md lists each policy's settings).";

/**
 * Applies a config file to a pack: enforcement levels and validated settings with defaults.
 * A setting a policy does not declare is refused (docs/policies.md promises it): the engine
 * would pass it to the policy, which would never read it, and the author believes it applies.
 *
 * @param source - how messages name the file (`--policy-config policy.json`).
 */
export function resolvePolicies(
  pack: PackDefinition,
  file: PolicyConfigFile = {},
  source = "policy config",
): ResolvedPolicy[] {
  const names = pack.policies.map((p) => p.name);
  const problems: { key: string; message: string }[] = [];
  const levelOf = (key: string, value: unknown): EnforcementLevel | undefined => {
    if (value === undefined) return undefined;
    if (typeof value === "string" && (LEVELS as readonly string[]).includes(value))
      return value as EnforcementLevel;
    problems.push({
      key: `${key}.enforcementLevel`,
      message: `got ${JSON.stringify(value)}. Allowed: ${LEVELS.join(", ")}. ${FIX}`,
    });
    return undefined;
  };
  for (const key of Object.keys(file)) {
    if (key !== "all" && !names.includes(key)) {
      const guess = closest(key, names);
      problems.push({
        key,
        message: `is not a policy of the ${pack.name} pack.${guess ? ` Did you mean ${guess}?` : ""} Allowed: all, ${names.join(", ")}. Fix: rename or remove it.`,
      });
    }
  }
  const all = file["all"];
  if (typeof all === "object") {
    for (const setting of Object.keys(all).filter((k) => k !== "enforcementLevel")) {
      problems.push(unknownSetting("all", setting, all[setting], []));
    }
  }
  const allLevel = levelOf("all", typeof all === "object" ? all["enforcementLevel"] : all);
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
  const resolved = pack.policies.map((policy) => {
    const entry = file[policy.name];
    const { enforcementLevel, ...settings } =
      typeof entry === "object" ? entry : { enforcementLevel: entry };
    const level =
      levelOf(policy.name, enforcementLevel) ??
      allLevel ??
      policy.enforcementLevel ??
      pack.enforcementLevel ??
      "advisory";
    const config: Record<string, unknown> = { ...settings };
    const declared = Object.keys(policy.configSchema?.properties ?? {});
    for (const setting of Object.keys(settings).filter((k) => !declared.includes(k))) {
      problems.push(unknownSetting(policy.name, setting, settings[setting], declared));
    }
    if (policy.configSchema) {
      const validate = ajv.compile({ type: "object", ...policy.configSchema });
      const given = structuredClone(config);
      if (!validate(config)) {
        for (const error of validate.errors ?? []) {
          if (error.keyword === "additionalProperties") continue; // reported above
          const at = error.instancePath.split("/").slice(1);
          const value = at.reduce<unknown>(
            (v, part) => (v as Record<string, unknown> | undefined)?.[part],
            given,
          );
          problems.push({
            key: `${policy.name}${error.instancePath.replace(/\//g, ".")}`,
            message: `got ${JSON.stringify(value) ?? "nothing"}: ${error.message ?? "is invalid"}. ${FIX}`,
          });
        }
      }
    }
    return { policy, level, config };
  });
  if (problems.length > 0) throw new SlipwayError(problems, `${source}:`);
  return resolved;
}

function unknownSetting(policy: string, setting: string, value: unknown, declared: string[]) {
  const near = closest(setting, declared);
  return {
    key: `${policy}.${setting}`,
    message:
      `got ${JSON.stringify(value)}: not a setting of ${policy === "all" ? "every policy (all takes only enforcementLevel)" : `the policy ${policy}`}, so it would change nothing.` +
      (near ? ` Did you mean ${policy}.${near}?` : "") +
      ` Allowed: ${["enforcementLevel", ...declared].join(", ")}. Fix: rename or remove it.`,
  };
}

/** The evaluator `slipway plan` runs on every captured stack. */
export function createEvaluator(
  pack: PackDefinition,
  file: PolicyConfigFile = {},
  source?: string,
): PolicyEvaluator {
  const policies = resolvePolicies(pack, file, source);
  return (stack) => evaluate(pack, policies, stack.resources);
}

async function evaluate(
  pack: PackDefinition,
  policies: readonly ResolvedPolicy[],
  captured: readonly CapturedResource[],
): Promise<Violation[]> {
  const violations: Violation[] = [];
  // Each resource's properties are converted once and shared by every policy, as the analyzer
  // does with the properties of one Analyze call; per policy, plan time grew with both counts.
  const converted = new Map<CapturedResource, Record<string, unknown>>();
  const propsOf = (resource: CapturedResource) => {
    let props = converted.get(resource);
    if (props === undefined) converted.set(resource, (props = proxiedProps(resource)));
    return props;
  };
  const from = (name: string) =>
    `policy '${name}' from policy pack '${pack.name}@v${pack.version}'`;
  for (const { policy, level: configured, config } of policies) {
    if (configured === "disabled") continue;
    const level = configured === "remediate" ? "mandatory" : configured;
    const common = {
      stackTags: new Map<string, string>() as ReadonlyMap<string, string>,
      getConfig: <T extends object>() => ({ ...config }) as T,
      notApplicable: (reason?: string): never => {
        throw new NotApplicable(reason);
      },
    };
    const runOne = async (urn: string | undefined, check: (report: ReportViolation) => unknown) => {
      const report = reporter(policy, level, urn, violations);
      try {
        await check(report);
      } catch (error) {
        if (error instanceof UnknownValueError) {
          violations.push({
            policy: policy.name,
            enforcementLevel: "advisory",
            urn,
            message: `can't run ${from(policy.name)} during preview: ${error.message}`,
          });
        } else if (!(error instanceof NotApplicable)) {
          throw new Error(
            `Error validating resource with ${from(policy.name)}: ${(error as Error).message}`,
            { cause: error },
          );
        }
      }
    };
    if (isResourcePolicy(policy)) {
      const validations = ([] as unknown[]).concat(policy.validateResource ?? []) as ((
        args: ResourceValidationArgs,
        report: ReportViolation,
      ) => unknown)[];
      for (const resource of captured.filter((r) => r.parent !== undefined && !r.read)) {
        const props = propsOf(resource);
        const checks = typeChecks(resource.type, props);
        const args: ResourceValidationArgs = {
          ...common,
          type: resource.type,
          props,
          urn: resource.urn,
          name: resource.name,
          opts: options(resource),
          isType: checks.isType,
          asType: checks.asType as ResourceValidationArgs["asType"],
        };
        for (const validation of validations)
          await runOne(resource.urn, (report) => validation(args, report));
      }
    } else {
      const stackPolicy = policy as StackValidationPolicy;
      const resources = linkResources(captured);
      await runOne(undefined, (report) =>
        stackPolicy.validateStack({ ...common, resources }, report),
      );
    }
  }
  return violations;
}

function reporter(
  policy: Policy,
  level: EnforcementLevel,
  urn: string | undefined,
  into: Violation[],
): ReportViolation {
  return (message: unknown, reportedUrn?: string) => {
    if (message !== null && typeof message === "object") {
      const info = message as {
        message?: string;
        description?: string;
        urn?: string;
        name?: string;
        enforcementLevel?: EnforcementLevel;
      };
      into.push({
        policy: info.name ?? policy.name,
        enforcementLevel: info.enforcementLevel ?? level,
        urn: info.urn ?? urn,
        message: info.message ?? info.description ?? policy.description,
      });
      return;
    }
    // As the engine does: the policy's description, then what this violation adds.
    const text =
      typeof message === "string" && message.length > 0
        ? `${policy.description}\n${message}`
        : policy.description;
    into.push({
      policy: policy.name,
      enforcementLevel: level,
      urn: reportedUrn ?? urn,
      message: text,
    });
  };
}

function isResourcePolicy(policy: Policy): policy is ResourceValidationPolicy {
  return (
    "validateResource" in policy &&
    (policy as ResourceValidationPolicy).validateResource !== undefined
  );
}

/** Properties as the analyzer hands them over: secrets opened, unknowns as the engine's sentinel. */
export function engineProps(value: unknown): unknown {
  if (value === UNKNOWN) return unknownStringValue;
  if (value instanceof Secret) return engineProps(value.value);
  if (Array.isArray(value)) return value.map(engineProps);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, engineProps(v)]),
    );
  }
  return value;
}

function options(resource: CapturedResource): PolicyResourceOptions {
  return {
    protect: resource.protect,
    ignoreChanges: [...resource.ignoreChanges],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [...resource.additionalSecretOutputs],
    ...(resource.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
    ...(resource.parent ? { parent: resource.parent } : {}),
  };
}

type TypeCheck = { __pulumiType?: string; isInstance?: (o: unknown) => boolean };

function isTypeOf(type: string, resourceClass: TypeCheck): boolean {
  if (resourceClass.__pulumiType) return resourceClass.__pulumiType === type;
  return (
    typeof resourceClass.isInstance === "function" &&
    resourceClass.isInstance({ __pulumiType: type }) === true
  );
}

function proxiedProps(resource: CapturedResource): Record<string, unknown> {
  return unknownCheckingProxy(engineProps(resource.inputs) as Record<string, unknown>);
}

// The SDK's signatures are generic over resource classes; the check itself is by type token.
function typeChecks(type: string, props: Record<string, unknown>) {
  const isType = (resourceClass: unknown) => isTypeOf(type, resourceClass as TypeCheck);
  const asType = (resourceClass: unknown) => (isType(resourceClass) ? props : undefined);
  return { isType, asType };
}

function policyResource(resource: CapturedResource): PolicyResource {
  const props = proxiedProps(resource);
  const checks = typeChecks(resource.type, props);
  return {
    type: resource.type,
    props,
    urn: resource.urn,
    name: resource.name,
    opts: options(resource),
    dependencies: [],
    propertyDependencies: {},
    isType: checks.isType,
    asType: checks.asType as PolicyResource["asType"],
  };
}

/** Stack policies see every resource, with parents and dependencies as resource objects. */
function linkResources(captured: readonly CapturedResource[]): PolicyResource[] {
  const views = captured.map(policyResource);
  const byUrn = new Map(views.map((v) => [v.urn, v]));
  captured.forEach((resource, i) => {
    const view = views[i] as PolicyResource;
    if (resource.parent) view.parent = byUrn.get(resource.parent);
    view.dependencies = resource.dependencies
      .map((d) => byUrn.get(d))
      .filter((d): d is PolicyResource => d !== undefined);
  });
  return views;
}
