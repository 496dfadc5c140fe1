// Runs a Pulumi program in-process under the mock runtime and records every resource exactly as
// the engine would receive it: type, name, URN, parent, options and serialized inputs.
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { LOCAL_ORGANIZATION } from "../../config/stack-reference";
import { decode } from "./values";

/** One resource registration, as the engine (and a policy pack) would see it. */
export interface CapturedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The parent's URN; the stack's root resource has none. */
  readonly parent?: string;
  readonly protect: boolean;
  readonly custom: boolean;
  /** Registered by reading an existing resource (a StackReference), not by declaring one. */
  readonly read: boolean;
  readonly provider?: string;
  readonly dependencies: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: readonly string[];
  readonly retainOnDelete: boolean;
  readonly additionalSecretOutputs: readonly string[];
  /** Inputs decoded from the wire: secrets as `Secret`, unknowns as `UNKNOWN`. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** What the mocks answered: inputs plus computed outputs. */
  readonly state: Readonly<Record<string, unknown>>;
}

export interface CapturedStack {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly CapturedResource[];
  /** The stack's outputs, decoded like inputs. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** What the program passed to `pulumi.log.warn`, in order. */
  readonly warnings: readonly string[];
}

export interface MockRunOptions {
  readonly project: string;
  readonly stack: string;
  /** Config as the language host passes it: fully qualified keys, values as strings. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  readonly mocks: pulumi.runtime.Mocks;
  /** Run as a preview: outputs the mocks leave out are unknown. Defaults to true. */
  readonly preview?: boolean;
  /** What `pulumi.getOrganization()` answers; a local backend's by default. */
  readonly organization?: string;
}

type Callback = (err: unknown, response?: unknown) => void;
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  hasProtect(): boolean;
  getProtect(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  hasRetainondelete(): boolean;
  getRetainondelete(): boolean;
  getAdditionalsecretoutputsList(): string[];
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface ReadRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getProperties(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface RegisterResponse {
  getUrn(): string;
  getObject?(): { toJavaScript(): Record<string, unknown> } | undefined;
  getProperties?(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface MockMonitorLike {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  readResource(req: ReadRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(req: OutputsRequest, callback: Callback): void;
  newUrn(parent: string, type: string, name: string): string;
}

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** Runs `program` as the body of a stack under mocks and returns what it declared. */
export async function runUnderMocks(
  program: () => unknown,
  options: MockRunOptions,
): Promise<CapturedStack> {
  await pulumi.runtime.setMocks(
    options.mocks,
    options.project,
    options.stack,
    options.preview ?? true,
    options.organization ?? LOCAL_ORGANIZATION,
  );
  pulumi.runtime.setAllConfig({ ...options.config }, [...options.secretKeys]);
  const resources: CapturedResource[] = [];
  const outputs = new Map<string, Record<string, unknown>>();
  record(pulumi.runtime.getMonitor() as unknown as MockMonitorLike, resources, outputs);

  // A program that throws must fail this run, not crash the process: the SDK leaves some of the
  // rejected promises unobserved, which Node would otherwise treat as fatal.
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  const warnings: string[] = [];
  const restoreWarn = collectWarnings(warnings);
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      try {
        return await program();
      } catch (error) {
        failures.unshift(error);
        return {};
      }
    });
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    // Let rejections raised while the last registrations settled reach the handler.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", onRejection);
    restoreWarn();
  }
  if (failures.length > 0) throw failures[0];
  const root = resources.find((r) => r.type === ROOT_STACK_TYPE);
  return {
    project: options.project,
    stack: options.stack,
    resources,
    outputs: (root && outputs.get(root.urn)) ?? {},
    warnings,
  };
}

/**
 * Collects the program's warnings instead of letting the SDK print them. Without an engine the
 * SDK prints `warning: [runtime] ...` to stderr, which says nothing of the stack; the engine
 * would have received them as log records, and this run keeps them as data the same way.
 * Returns the function that puts `pulumi.log.warn` back.
 */
function collectWarnings(into: string[]): () => void {
  const original = Object.getOwnPropertyDescriptor(pulumi.log, "warn") as PropertyDescriptor;
  Object.defineProperty(pulumi.log, "warn", {
    ...original,
    value: (message: string) => {
      into.push(message);
      return Promise.resolve();
    },
  });
  return () => Object.defineProperty(pulumi.log, "warn", original);
}

/** Wraps the mock monitor so each registration is recorded once the mocks have answered. */
function record(
  monitor: MockMonitorLike,
  into: CapturedResource[],
  outputs: Map<string, Record<string, unknown>>,
): void {
  const register = monitor.registerResource.bind(monitor);
  const read = monitor.readResource.bind(monitor);
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  // URNs as the engine makes them: the parent's whole type chain, without the root stack's type.
  monitor.newUrn = (parent, type, name) => {
    const parentType = parent ? (parent.split("::")[2] ?? "") : "";
    const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
  };
  monitor.registerResourceOutputs = (req, callback) => {
    outputs.set(req.getUrn(), decodeStruct(req.getOutputs()));
    registerOutputs(req, callback);
  };
  monitor.registerResource = (req, callback) =>
    register(req, (err, response) => {
      if (!err && response) {
        const res = response as RegisterResponse;
        into.push({
          ...identity(req, res),
          protect: req.hasProtect() ? req.getProtect() : false,
          custom: req.getCustom(),
          read: false,
          deleteBeforeReplace: req.getDeletebeforereplace(),
          ignoreChanges: req.getIgnorechangesList(),
          retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : false,
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
          inputs: decodeStruct(req.getObject()),
          state: decodeStruct(res.getObject?.()),
        });
      }
      callback(err, response);
    });
  monitor.readResource = (req, callback) =>
    read(req, (err, response) => {
      if (!err && response) {
        const res = response as RegisterResponse;
        into.push({
          ...identity(req, res),
          protect: false,
          custom: true,
          read: true,
          deleteBeforeReplace: false,
          ignoreChanges: [],
          retainOnDelete: false,
          additionalSecretOutputs: [],
          inputs: decodeStruct(req.getProperties()),
          state: decodeStruct(res.getProperties?.()),
        });
      }
      callback(err, response);
    });
}

/** What a registration and a read both say about a resource: who it is and what it hangs on. */
function identity(
  req: Pick<
    ReadRequest,
    "getType" | "getName" | "getParent" | "getProvider" | "getDependenciesList"
  >,
  res: RegisterResponse,
) {
  return {
    urn: res.getUrn(),
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent() || undefined,
    provider: req.getProvider() || undefined,
    dependencies: req.getDependenciesList(),
  };
}

function decodeStruct(
  struct: { toJavaScript(): Record<string, unknown> } | undefined,
): Record<string, unknown> {
  return (decode(struct?.toJavaScript() ?? {}) ?? {}) as Record<string, unknown>;
}
