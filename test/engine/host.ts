// The SDK's dynamic provider host, started and spoken to as the engine does it (the Pulumi
// repository: sdk/go/common/resource/plugin/plugin.go `newPlugin`, provider_plugin.go
// `NewProvider` and the provider calls, pkg/host/host.go `Provider`):
// - it runs `pulumi-resource-pulumi-nodejs` (the SDK ships it beside its package.json: a shell
//   script that runs `node <@pulumi/pulumi/cmd/dynamic-provider>`) in the project directory, with
//   the engine's gRPC address as its one argument, and adds to the environment the project's
//   runtime options (PULUMI_RUNTIME_<OPTION>), the project name (PULUMI_NODEJS_PROJECT,
//   PULUMI_PROJECT) and PULUMI_CONFIG (the config of the `pulumi-nodejs` namespace: none);
// - it reads the port from the plugin's first line of stdout, dials 127.0.0.1:<port>, calls
//   Handshake (the host answers UNIMPLEMENTED, so the engine learns its capabilities from
//   Configure), GetPluginInfo, then CheckConfig and Configure for the default provider;
// - the resource calls then follow the capabilities Configure announced (this module's
//   `DynamicProviderHost` methods, each citing the rule it follows).
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { parse } from "yaml";
import "./engine-strings";
import {
  annotateSecrets,
  fromStruct,
  MarshalOptions,
  Props,
  removeSecrets,
  toStruct,
} from "./wire";

/**
 * A small process that ends the host's process group when this worker goes, however it goes:
 * jest ends a worker with a signal, so no exit hook would run, and a test file whose imports fail
 * after the host started never reaches its `afterAll`. Its stdin is a pipe from this worker,
 * which the system closes when the worker exits, or `close` ends.
 */
function watchdog(pid: number): ChildProcess {
  const script = `process.stdin.on("end", () => { try { process.kill(-${pid}, "SIGKILL"); } catch {} }).resume();`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "ignore", "ignore"] });
  // Neither the process nor its pipe keeps this worker running.
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref();
  return child;
}

/** The capabilities a provider announces in its Configure answer. */
export interface Protocol {
  readonly acceptSecrets: boolean;
  readonly acceptResources: boolean;
  readonly acceptOutputs: boolean;
  readonly supportsPreview: boolean;
}

export interface Diff {
  readonly changes: "unknown" | "none" | "some";
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
  /** Keys the provider says changed, and whether it sent a detailed diff. */
  readonly diffs: string[];
  readonly detailedDiff: boolean;
}

/** A create or update the plugin reported as "created, failed to initialize". */
export class InitFailed extends Error {
  constructor(
    readonly id: string,
    readonly properties: Props,
    readonly reasons: string[],
  ) {
    super(reasons.join("; "));
  }
}

/**
 * The step the engine plans from a provider's diff (pkg/resource/deploy/step_generator.go,
 * `continueStepsFromDiff`): no change is `same`, unless the resource kept init errors from a
 * create that did not finish (an `update` tries again); a change with replace keys is a
 * `replace`, which a protected resource refuses (an error in a preview, a stop in an update);
 * any other change is an `update`.
 */
export function plannedStep(
  diff: Diff,
  protect: boolean,
  initErrors: boolean,
): "same" | "update" | "replace" | "refused: protected" {
  if (diff.changes === "unknown") {
    throw new Error(
      "DIFF_UNKNOWN: the engine would diff the inputs itself; slipway never answers it",
    );
  }
  if (diff.changes === "none") return initErrors ? "update" : "same";
  if (diff.replaces.length === 0) return "update";
  return protect ? "refused: protected" : "replace";
}

type Done<Res> = (error: grpc.ServiceError | null, response: Res) => void;

const PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";
const CHANGES = { 0: "unknown", 1: "none", 2: "some" } as const;

/** The dynamic provider host process and the engine's side of the conversation. */
export class DynamicProviderHost {
  /** Set by `configure`: what the host said it accepts. */
  protocol: Protocol | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
    /** The generated client, for calls the engine would not make. */
    readonly client: ResourceProviderClient,
  ) {}

  /** Starts the host in `projectDir` as the engine does; `env` is the engine's environment. */
  static async start(options: {
    projectDir: string;
    engineAddress: string;
    env: NodeJS.ProcessEnv;
  }): Promise<DynamicProviderHost> {
    const project = parse(
      fs.readFileSync(path.join(options.projectDir, "Pulumi.yaml"), "utf8"),
    ) as {
      name: string;
      runtime: { options?: Record<string, unknown> };
    };
    const runtimeOptions = Object.fromEntries(
      Object.entries(project.runtime.options ?? {}).map(([key, value]) => [
        `PULUMI_RUNTIME_${key.toUpperCase()}`,
        String(value),
      ]),
    ) as Record<string, string>;
    const executable = path.join(
      options.projectDir,
      "node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs",
    );
    const child = spawn(executable, [options.engineAddress], {
      cwd: options.projectDir,
      env: {
        ...options.env,
        // The script runs `node` from PATH: this Node.js, as on a machine that has only it.
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${options.env.PATH ?? ""}`,
        ...runtimeOptions,
        PULUMI_NODEJS_PROJECT: project.name,
        PULUMI_PROJECT: project.name,
        PULUMI_CONFIG: "{}",
      },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: the script's `node` child ends with it.
      detached: true,
    });
    const guard = watchdog(child.pid!);
    // Exited, and its output closed.
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    // Once the host is gone, so is its watchdog.
    void exited.then(() => guard.stdin?.end());
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const newline = stdout.indexOf("\n");
        if (newline >= 0) resolve(stdout.slice(0, newline).trim());
      });
      void exited.then(() => reject(new Error(`the host exited before its port: ${stderr}`)));
    });
    const client = new ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    await new Promise<void>((resolve, reject) =>
      client.waitForReady(Date.now() + 30_000, (error) => (error ? reject(error) : resolve())),
    );
    return new DynamicProviderHost(child, exited, client);
  }

  /** The status code of the Handshake the engine sends right after dialing. */
  handshake(engineAddress: string, projectDir: string): Promise<grpc.status> {
    const request = new rpc.ProviderHandshakeRequest()
      .setEngineAddress(engineAddress)
      .setRootDirectory(projectDir)
      .setProgramDirectory(projectDir)
      .setConfigureWithUrn(true)
      .setSupportsViews(true)
      .setInvokeWithPreview(true)
      .setAcceptsByteString(true);
    return statusOf(
      this.call<rpc.ProviderHandshakeResponse>((done) => this.client.handshake(request, done)),
    );
  }

  async pluginVersion(): Promise<string> {
    return (
      await this.call<PluginInfo>((done) => this.client.getPluginInfo(new Empty(), done))
    ).getVersion();
  }

  /** The status code of CheckConfig (UNIMPLEMENTED: the engine then keeps the config as it is). */
  checkConfig(config: Props): Promise<grpc.status> {
    const request = new rpc.CheckRequest()
      .setUrn(providerUrn())
      .setName("default")
      .setType(PROVIDER_TYPE)
      .setOlds(toStruct({}, { keepSecrets: false, keepUnknowns: false }))
      .setNews(toStruct(config, { keepSecrets: false, keepUnknowns: false }));
    return statusOf(this.call<rpc.CheckResponse>((done) => this.client.checkConfig(request, done)));
  }

  /** The status code of DiffConfig (UNIMPLEMENTED: the engine compares the config itself). */
  diffConfig(olds: Props, news: Props): Promise<grpc.status> {
    const plain = { keepSecrets: false, keepUnknowns: false };
    const request = new rpc.DiffRequest()
      .setUrn(providerUrn())
      .setId("default-id")
      .setOldInputs(toStruct(olds, plain))
      .setOlds(toStruct(olds, plain))
      .setNews(toStruct(news, plain));
    return statusOf(this.call<rpc.DiffResponse>((done) => this.client.diffConfig(request, done)));
  }

  /**
   * Configure as the engine sends it to a dynamic provider: every key of the stack's config with
   * its namespace (deploy/target.go `GetPackageConfig`), secrets inside the secret signature in
   * `args` and opened in the legacy `variables` (`<package>:config:<key>`).
   */
  async configure(config: Props): Promise<Protocol> {
    const request = new rpc.ConfigureRequest()
      .setUrn(providerUrn())
      .setName("default")
      .setType(PROVIDER_TYPE)
      .setId("default-id")
      .setAcceptsecrets(true)
      .setAcceptresources(true)
      .setSendsOldInputs(true)
      .setSendsOldInputsToDelete(true)
      .setArgs(toStruct(config, { keepSecrets: true, keepUnknowns: true }));
    for (const [key, value] of Object.entries(config)) {
      const plain = removeSecrets(value);
      request
        .getVariablesMap()
        .set(
          `pulumi-nodejs:config:${key}`,
          typeof plain === "string" ? plain : JSON.stringify(plain),
        );
    }
    const response = await this.call<rpc.ConfigureResponse>((done) =>
      this.client.configure(request, done),
    );
    this.protocol = {
      acceptSecrets: response.getAcceptsecrets(),
      acceptResources: response.getAcceptresources(),
      acceptOutputs: response.getAcceptoutputs(),
      supportsPreview: response.getSupportspreview(),
    };
    return this.protocol;
  }

  /** Check: unknowns kept only in a preview; secrets marked again on the checked inputs. */
  async check(
    urn: string,
    olds: Props,
    news: Props,
    preview: boolean,
  ): Promise<{ inputs: Props; failures: string[] }> {
    const options = this.options(preview);
    const request = named(new rpc.CheckRequest(), urn)
      .setOlds(toStruct(olds, options))
      .setNews(toStruct(news, options));
    const response = await this.call<rpc.CheckResponse>((done) => this.client.check(request, done));
    return {
      inputs: this.secretsAgain(fromStruct(response.getInputs()), news),
      failures: response.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`),
    };
  }

  /** Diff: the old inputs, the old outputs (`olds`) and the checked new inputs. */
  async diff(
    urn: string,
    id: string,
    old: { inputs: Props; outputs: Props },
    news: Props,
    preview: boolean,
  ): Promise<Diff> {
    const options = this.options(preview);
    const request = named(new rpc.DiffRequest(), urn)
      .setId(id)
      .setOldInputs(toStruct(old.inputs, options))
      .setOlds(toStruct(old.outputs, options))
      .setNews(toStruct(news, options));
    const response = await this.call<rpc.DiffResponse>((done) => this.client.diff(request, done));
    return {
      changes: CHANGES[response.getChanges()],
      replaces: response.getReplacesList(),
      deleteBeforeReplace: response.getDeletebeforereplace(),
      diffs: response.getDiffsList(),
      detailedDiff: response.getHasdetaileddiff(),
    };
  }

  /**
   * Create. In a preview, a plugin without preview support is not called: the engine answers
   * the inputs as the outputs itself (provider_plugin.go `Create`, `!protocol.supportsPreview`).
   * A partial failure is an `InitFailed` with what the engine would keep.
   */
  async create(urn: string, props: Props, preview: boolean): Promise<{ id: string; outs: Props }> {
    if (preview && !this.protocol!.supportsPreview) return { id: "", outs: props };
    const request = named(new rpc.CreateRequest(), urn)
      .setProperties(toStruct(props, this.options(preview)))
      .setPreview(preview);
    const response = await this.call<rpc.CreateResponse>((done) =>
      this.client.create(request, done),
    ).catch((error: unknown) => {
      throw this.initFailed(error, props);
    });
    return {
      id: response.getId(),
      outs: this.secretsAgain(fromStruct(response.getProperties()), props),
    };
  }

  /** Read, as a refresh sends it: the stored inputs and outputs. An empty id means gone. */
  async read(
    urn: string,
    id: string,
    old: { inputs: Props; outputs: Props },
  ): Promise<{ id: string; outs: Props }> {
    const options = this.options(false);
    const request = named(new rpc.ReadRequest(), urn)
      .setId(id)
      .setInputs(toStruct(old.inputs, options))
      .setProperties(toStruct(old.outputs, options));
    const response = await this.call<rpc.ReadResponse>((done) => this.client.read(request, done));
    return {
      id: response.getId(),
      outs: this.secretsAgain(fromStruct(response.getProperties()), old.outputs),
    };
  }

  /** Update; in a preview without preview support the engine answers the new inputs itself. */
  async update(
    urn: string,
    id: string,
    old: { inputs: Props; outputs: Props },
    news: Props,
    preview: boolean,
  ): Promise<Props> {
    if (preview && !this.protocol!.supportsPreview) return news;
    const options = this.options(preview);
    const request = named(new rpc.UpdateRequest(), urn)
      .setId(id)
      .setOldInputs(toStruct(old.inputs, options))
      .setOlds(toStruct(old.outputs, options))
      .setNews(toStruct(news, options))
      .setPreview(preview);
    const response = await this.call<rpc.UpdateResponse>((done) =>
      this.client.update(request, done),
    ).catch((error: unknown) => {
      throw this.initFailed(error, news);
    });
    return this.secretsAgain(fromStruct(response.getProperties()), news);
  }

  /** Delete, never in a preview: the stored outputs (`properties`) and inputs. */
  async delete(urn: string, id: string, old: { inputs: Props; outputs: Props }): Promise<void> {
    const options = this.options(false);
    const request = named(new rpc.DeleteRequest(), urn)
      .setId(id)
      .setOldInputs(toStruct(old.inputs, options))
      .setProperties(toStruct(old.outputs, options));
    await this.call<Empty>((done) => this.client.delete(request, done));
  }

  /** Ends the host's process group, as the engine kills a plugin and its children. */
  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode === null && this.child.pid !== undefined) {
      process.kill(-this.child.pid, "SIGTERM");
    }
    await this.exited;
  }

  private options(preview: boolean): MarshalOptions {
    return { keepSecrets: this.protocol!.acceptSecrets, keepUnknowns: preview };
  }

  private secretsAgain(outs: Props, ins: Props): Props {
    return this.protocol!.acceptSecrets ? outs : annotateSecrets(outs, ins);
  }

  /**
   * The engine's reading of a failed create or update (provider_plugin.go `parseError`): an
   * `ErrorResourceInitFailed` in the status details means the resource exists.
   */
  private initFailed(error: unknown, inputs: Props): unknown {
    const details = (error as grpc.ServiceError).metadata?.get("grpc-status-details-bin");
    if (details === undefined || details.length === 0) return error;
    const status = Status.deserializeBinary(details[0] as Buffer);
    for (const detail of status.getDetailsList()) {
      const failed = detail.unpack(
        (bytes) => rpc.ErrorResourceInitFailed.deserializeBinary(bytes),
        "pulumirpc.ErrorResourceInitFailed",
      );
      if (failed) {
        const properties = this.secretsAgain(fromStruct(failed.getProperties()), inputs);
        return new InitFailed(failed.getId(), properties, failed.getReasonsList());
      }
    }
    return error;
  }

  private call<Res>(send: (done: Done<Res>) => unknown): Promise<Res> {
    return new Promise<Res>((resolve, reject) =>
      send((error, response) => (error ? reject(error) : resolve(response))),
    );
  }
}

/** The engine's default provider for dynamic resources: its URN in a stack of slipway. */
function providerUrn(): string {
  return `urn:pulumi:production::slipway::${PROVIDER_TYPE}::default`;
}

/** Sets the URN, name and type every resource call carries. */
function named<T extends { setUrn(v: string): T; setName(v: string): T; setType(v: string): T }>(
  request: T,
  urn: string,
): T {
  const [, , type = "", name = ""] = urn.split("::");
  return request.setUrn(urn).setName(name).setType(type.split("$").pop()!);
}

/** The gRPC status a call ended with (OK when it answered). */
async function statusOf(call: Promise<unknown>): Promise<grpc.status> {
  try {
    await call;
    return grpc.status.OK;
  } catch (error) {
    return (error as grpc.ServiceError).code;
  }
}
