// Review stacks through Pulumi's Automation API: a LocalWorkspace on slipway's project folder, the
// Pulumi CLI underneath. Brings a stack up (created or selected, its config written, `up` streamed
// as progress), reads what a stack holds, destroys and removes it, and lists the review stacks with
// their last update, whether an update is running and the app's URL.
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ConcurrentUpdateError,
  EngineEvent,
  LocalWorkspace,
  Stack,
  StackAlreadyExistsError,
  StackNotFoundError,
  StackSettings,
  StackSummary,
} from "@pulumi/pulumi/automation";
import { HEROKU_TYPE_PREFIX } from "../../components/heroku/provider-code";
import { REVIEW_STACK } from "../../config/validate";
import { ignoreProgress, ProgressListener } from "../progress";
import { prepareBackend, ReviewBackend } from "./backend";
import { busy, cliFailure, describeCliFailure, openFailure, userProblem } from "./cli-errors";
import { ReviewFailure } from "./failure";
import { mapLimited } from "../concurrency";

/** The stack tag holding when slipway created the stack (ISO 8601), for stacks never updated. */
export const CREATED_TAG = "slipway:created";
/**
 * The stack tag holding the commit of the review app's first deploy: once set, app.json's
 * postdeploy script has run (or there was none), and later deploys do not run it again.
 */
export const FIRST_DEPLOY_TAG = "slipway:first-deploy";
/** The type token of the Heroku app resource in a stack's state. */
export const APP_RESOURCE_TYPE = `${HEROKU_TYPE_PREFIX}App`;
/** How many stacks `list` reads at once: each read is a CLI process. */
const LIST_CONCURRENCY = 4;

export interface ReviewStacksOptions {
  /** slipway's project folder (Pulumi.yaml, index.ts). */
  readonly dir: string;
  readonly backend: ReviewBackend;
  readonly onProgress?: ProgressListener;
  /** The clock, for the creation tag. @default the real one */
  readonly now?: () => Date;
}

export interface StackUp {
  /** True when this `up` created the stack. */
  readonly created: boolean;
  /** The stack's outputs (`appName`, `webUrl`, `pipelineId`, `kind`). */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Resources by what the update did to them (`create`, `update`, `same`, `delete`). */
  readonly changes: Readonly<Record<string, number>>;
}

export interface ReviewStackInfo {
  /** The stack's name (`review-<slug>`). */
  readonly stack: string;
  /** When its last update finished; absent when it was never updated or one is running. */
  readonly lastUpdate?: Date;
  /** When slipway created it (its creation tag), when known. */
  readonly createdAt?: Date;
  /** Whether an update is running; absent when the backend cannot tell (S3 and other buckets). */
  readonly updateInProgress?: boolean;
  readonly resourceCount?: number;
  readonly appName?: string;
  readonly url?: string;
}

export class ReviewStacks {
  private readonly options: ReviewStacksOptions;
  private readonly workspace: LocalWorkspace;
  private readonly progress: ProgressListener;

  private constructor(workspace: LocalWorkspace, options: ReviewStacksOptions) {
    this.workspace = workspace;
    this.options = options;
    this.progress = options.onProgress ?? ignoreProgress;
  }

  /**
   * Opens the workspace and checks the backend answers (`pulumi whoami`). A missing CLI, an
   * unreachable backend or a refused login is a `SlipwayError` with its fix.
   */
  static async open(options: ReviewStacksOptions): Promise<ReviewStacks> {
    prepareBackend(options.backend);
    let workspace: LocalWorkspace;
    try {
      workspace = await LocalWorkspace.create({
        workDir: options.dir,
        envVars: { ...options.backend.env },
      });
    } catch (error) {
      throw openFailure(error, options.backend);
    }
    try {
      await workspace.whoAmI();
    } catch (error) {
      throw openFailure(error, options.backend);
    }
    return new ReviewStacks(workspace, options);
  }

  /**
   * Creates or selects `stack`, writes `config` into its `Pulumi.<stack>.yaml`, and runs `up`,
   * streaming the CLI's output as progress. Another update running refuses (exit 1); a failed
   * update is a `ReviewFailure` that says what the engine reported.
   */
  async up(
    stack: string,
    config: Readonly<Record<string, unknown>>,
    options: { policyPacks?: readonly string[]; message?: string } = {},
  ): Promise<StackUp> {
    const { handle, created } = await this.createOrSelect(stack);
    await this.writeConfig(stack, config);
    const result = await this.streamed("up", stack, (streams) =>
      handle.up({
        ...streams,
        policyPacks: options.policyPacks ? [...options.policyPacks] : undefined,
        message: options.message,
      }),
    );
    const outputs = Object.fromEntries(
      Object.entries(result.outputs).map(([key, output]) => [key, output.value as unknown]),
    );
    return { created, outputs, changes: result.summary?.resourceChanges ?? {} };
  }

  /**
   * The Heroku apps a stack's state holds, by name; `undefined` when there is no such stack.
   * Read from the state rather than the outputs, so an update that failed halfway still counts.
   */
  async apps(stack: string): Promise<string[] | undefined> {
    let state: { deployment?: { resources?: { type?: string; outputs?: { name?: unknown } }[] } };
    try {
      state = await this.workspace.exportStack(stack);
    } catch (error) {
      if (error instanceof StackNotFoundError) return undefined;
      throw describeCliFailure("stack export", stack, error);
    }
    return (state.deployment?.resources ?? [])
      .filter((r) => r.type === APP_RESOURCE_TYPE && typeof r.outputs?.name === "string")
      .map((r) => r.outputs?.name as string);
  }

  /**
   * Destroys `stack`'s resources and removes the stack, its history and its config file. The
   * config is written first because the CLI checks it even for a destroy. Returns false when the
   * stack did not exist.
   */
  async destroy(stack: string, config: Readonly<Record<string, unknown>>): Promise<boolean> {
    let handle: Stack;
    try {
      handle = await Stack.select(stack, this.workspace);
    } catch (error) {
      if (error instanceof StackNotFoundError) return false;
      throw describeCliFailure("stack select", stack, error);
    }
    await this.writeConfig(stack, config);
    await this.streamed("destroy", stack, (streams) => handle.destroy(streams));
    this.progress({ step: "stack", message: `pulumi stack rm ${stack}` });
    try {
      await this.workspace.removeStack(stack);
    } catch (error) {
      throw describeCliFailure("stack rm", stack, error);
    }
    return true;
  }

  /** The stack's tags; `undefined` when the backend cannot read them (an older CLI). */
  async tags(stack: string): Promise<Record<string, string> | undefined> {
    try {
      return await this.workspace.listTags(stack);
    } catch (error) {
      this.progress({
        step: "stack",
        message: `could not read ${stack}'s tags (${cliFailure(error).summary})`,
      });
      return undefined;
    }
  }

  /**
   * Sets one tag. A backend that cannot tag stacks is said as progress: `could not tag <stack>
   * with <what> (<why>); <consequence>`, and the tag is left unset.
   */
  async setTag(
    stack: string,
    tag: { key: string; value: string; what: string; consequence: string },
  ): Promise<boolean> {
    try {
      await this.workspace.setTag(stack, tag.key, tag.value);
      return true;
    } catch (error) {
      this.progress({
        step: "stack",
        message: `could not tag ${stack} with ${tag.what} (${cliFailure(error).summary}); ${tag.consequence}`,
      });
      return false;
    }
  }

  /** Every review stack of the project in the backend, by name. */
  async list(): Promise<ReviewStackInfo[]> {
    let summaries: StackSummary[];
    try {
      summaries = await this.workspace.listStacks();
    } catch (error) {
      throw describeCliFailure("stack ls", "(all)", error);
    }
    const review = summaries.filter((s) => REVIEW_STACK.test(shortName(s.name)));
    return mapLimited(review, LIST_CONCURRENCY, (summary) => this.describe(summary));
  }

  private async describe(summary: StackSummary): Promise<ReviewStackInfo> {
    const stack = shortName(summary.name);
    const lastUpdate = summary.lastUpdate ? new Date(summary.lastUpdate) : undefined;
    const updateInProgress = summary.updateInProgress ?? this.lockedOnDisk(stack);
    let outputs: Record<string, unknown> = {};
    let createdAt: Date | undefined;
    try {
      if (lastUpdate !== undefined || updateInProgress === true) {
        const all = await this.workspace.stackOutputs(summary.name);
        outputs = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.value as unknown]));
      }
      if (lastUpdate === undefined) {
        const created = (await this.workspace.listTags(summary.name))[CREATED_TAG];
        createdAt = created === undefined ? undefined : new Date(created);
      }
    } catch (error) {
      throw describeCliFailure("stack output", stack, error);
    }
    return {
      stack,
      lastUpdate,
      createdAt:
        createdAt !== undefined && !Number.isNaN(createdAt.getTime()) ? createdAt : undefined,
      updateInProgress,
      resourceCount: summary.resourceCount,
      appName: typeof outputs["appName"] === "string" ? outputs["appName"] : undefined,
      url: typeof outputs["webUrl"] === "string" ? outputs["webUrl"] : undefined,
    };
  }

  /**
   * Self-managed backends do not report running updates; on a local folder the lock file an
   * update holds tells (project-scoped and older layouts). Other buckets: unknown.
   */
  private lockedOnDisk(stack: string): boolean | undefined {
    const folder = this.options.backend.folder;
    if (folder === undefined) return undefined;
    const locks = path.join(folder, ".pulumi", "locks");
    const project = this.projectName();
    return [path.join(locks, "organization", project, stack), path.join(locks, stack)].some(
      (dir) => fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith(".json")),
    );
  }

  private projectName(): string {
    const text = fs.readFileSync(path.join(this.options.dir, "Pulumi.yaml"), "utf8");
    return /^name:\s*(\S+)/m.exec(text)?.[1] ?? "slipway";
  }

  /** Selects `stack`, or creates it (tagged with the time) when it does not exist. */
  private async createOrSelect(stack: string): Promise<{ handle: Stack; created: boolean }> {
    try {
      const handle = await Stack.create(stack, this.workspace);
      this.progress({ step: "stack", message: `created stack ${stack}` });
      await this.tagCreation(stack);
      return { handle, created: true };
    } catch (error) {
      if (!(error instanceof StackAlreadyExistsError)) {
        throw describeCliFailure("stack init", stack, error);
      }
    }
    try {
      const handle = await Stack.select(stack, this.workspace);
      this.progress({ step: "stack", message: `selected stack ${stack}` });
      return { handle, created: false };
    } catch (error) {
      throw describeCliFailure("stack select", stack, error);
    }
  }

  private async tagCreation(stack: string): Promise<void> {
    const now = (this.options.now ?? (() => new Date()))();
    // An older CLI cannot tag stacks on a self-managed backend: the stack still works, and
    // prune counts its age from its first update instead.
    await this.setTag(stack, {
      key: CREATED_TAG,
      value: now.toISOString(),
      what: "its creation time",
      consequence: "prune counts its age from its first update",
    });
  }

  /**
   * Writes `config` into the stack's settings file, keeping what the CLI keeps there (the
   * passphrase's salt, the secrets provider) and every key slipway does not set.
   */
  private async writeConfig(stack: string, config: Readonly<Record<string, unknown>>) {
    let settings: StackSettings = {};
    try {
      settings = await this.workspace.stackSettings(stack);
    } catch {
      // No Pulumi.<stack>.yaml yet (a fresh checkout, or Pulumi Cloud, which writes none).
    }
    await this.workspace.saveStackSettings(stack, {
      ...settings,
      config: { ...settings.config, ...config },
    });
  }

  /**
   * Runs `up` or `destroy` with the CLI's output streamed as progress, line by line, and the
   * engine's errors collected from its event log for the failure message.
   */
  private async streamed<T>(
    operation: "up" | "destroy",
    stack: string,
    run: (streams: {
      onOutput(out: string): void;
      onEvent(event: EngineEvent): void;
    }) => Promise<T>,
  ): Promise<T> {
    this.progress({ step: "stack", message: `pulumi ${operation} ${stack}` });
    const errors: string[] = [];
    const lines = lineSplitter((line) =>
      this.progress({ step: "stack", message: line, log: true }),
    );
    try {
      return await run({ onOutput: lines.write, onEvent: (event) => collectErrors(event, errors) });
    } catch (error) {
      throw this.failed(operation, stack, error, errors);
    } finally {
      lines.flush();
    }
  }

  /** An `up` or `destroy` that failed: bad input, another update running, or a partial change. */
  private failed(operation: "up" | "destroy", stack: string, error: unknown, errors: string[]) {
    const failure = cliFailure(error);
    const problem = userProblem(failure);
    if (problem) return problem;
    if (error instanceof ConcurrentUpdateError) {
      return busy(stack, `slipway did not ${operation} it`);
    }
    const reported = errors.length > 0 ? errors.join("; ") : failure.summary;
    const state = operation === "up" ? "partly updated" : "partly destroyed";
    return new ReviewFailure(
      "needs-attention",
      `pulumi ${operation} of ${stack} failed: ${reported}\n` +
        `State: the stack may be ${state}; its state records what was done. Fix: correct the ` +
        `cause and run the command again, or remove the stack with ` +
        `\`slipway review down --stack ${stack}\`.`,
    );
  }
}

/** The stack part of a name `stack ls` prints (`review-x`, `acme/review-x`, `org/proj/review-x`). */
export function shortName(name: string): string {
  return name.split("/").pop() as string;
}

/** Engine errors, as the engine's event log reports them (diagnostics at severity error). */
function collectErrors(event: EngineEvent, into: string[]): void {
  const diagnostic = event.diagnosticEvent;
  if (diagnostic?.severity === "error") {
    const message = diagnostic.message.replace(/\n+$/, "").trim();
    if (message) into.push(diagnostic.urn ? `${resourceOf(diagnostic.urn)}: ${message}` : message);
  }
}

/** The type and name at the end of a URN. */
function resourceOf(urn: string): string {
  const parts = urn.split("::");
  return `${parts[2]?.split("$").pop() ?? ""} ${parts[3] ?? ""}`.trim();
}

/** Turns output chunks into whole lines; blank lines are dropped. */
function lineSplitter(onLine: (line: string) => void) {
  let pending = "";
  const emit = (line: string) => {
    const trimmed = line.replace(/\s+$/, "");
    if (trimmed.trim()) onLine(trimmed);
  };
  return {
    write: (chunk: string) => {
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() as string;
      lines.forEach(emit);
    },
    flush: () => {
      emit(pending);
      pending = "";
    },
  };
}
