// The pack as the Pulumi CLI loads it: the SDK's policy-pack runner (what the engine's
// analyzer plugin starts for `--policy-pack policy`) compiles policy/index.ts with ts-node and
// type checking, serves the analyzer over gRPC, and answers the engine's calls.
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { pack } from "../../policy/policies";
import { PROJECT_DIR } from "../support/stacks";

/* eslint-disable @typescript-eslint/no-require-imports -- generated gRPC stubs without types */
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as {
  AnalyzerClient: new (address: string, credentials: grpc.ChannelCredentials) => Analyzer;
};
const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb") as Record<
  string,
  new () => Message
>;
const emptyProto = require("google-protobuf/google/protobuf/empty_pb") as {
  Empty: new () => unknown;
};
const structProto = require("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(value: object): unknown };
};
/* eslint-enable @typescript-eslint/no-require-imports */

type Message = Record<string, (...args: unknown[]) => unknown>;
type Callback<T> = (error: Error | null, response: T) => void;
interface Analyzer {
  getAnalyzerInfo(request: unknown, callback: Callback<Message>): void;
  analyze(request: unknown, callback: Callback<Message>): void;
  configure(request: unknown, callback: Callback<unknown>): void;
  close(): void;
}

const call = <T>(fn: (callback: Callback<T>) => void) =>
  new Promise<T>((resolve, reject) =>
    fn((error, response) => (error ? reject(error) : resolve(response))),
  );

const LEVEL_NAMES = ["advisory", "mandatory", "disabled", "remediate"];

let runner: ChildProcess;
let client: Analyzer;

beforeAll(async () => {
  runner = spawn(
    process.execPath,
    [path.join(PROJECT_DIR, "node_modules/@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."],
    {
      cwd: path.join(PROJECT_DIR, "policy"),
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const port = await new Promise<string>((resolve, reject) => {
    runner.stdout?.once("data", (data: Buffer) => resolve(data.toString().trim()));
    runner.once("exit", (code) =>
      reject(new Error(`the policy pack runner exited with ${String(code)}`)),
    );
  });
  client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 240_000);

afterAll(() => {
  client?.close();
  runner?.kill();
});

function analyzeRequest(type: string, urn: string, properties: object): unknown {
  const request = new analyzerProto["AnalyzeRequest"]!();
  request["setType"]!(type);
  request["setName"]!(urn.split("::").pop());
  request["setUrn"]!(urn);
  request["setProperties"]!(structProto.Struct.fromJavaScript(properties));
  const options = new analyzerProto["AnalyzerResourceOptions"]!();
  options["setProtect"]!(true);
  request["setOptions"]!(options);
  return request;
}

const DATABASE = "urn:pulumi:production::slipway::aws:rds/instance:Instance::database-instance";
const compliant = {
  backupRetentionPeriod: 14,
  storageEncrypted: true,
  deletionProtection: true,
  skipFinalSnapshot: false,
  finalSnapshotIdentifier: "acme-web-db-final",
  multiAz: true,
  tags: { "slipway:environment": "production" },
};

async function diagnostics(properties: object): Promise<string[]> {
  const response = await call<Message>((cb) =>
    client.analyze(analyzeRequest("aws:rds/instance:Instance", DATABASE, properties), cb),
  );
  return (response["getDiagnosticsList"]!() as Message[]).map(
    (d) =>
      `${String(d["getPolicyname"]!())} ${LEVEL_NAMES[d["getEnforcementlevel"]!() as number] ?? "?"}: ${String(d["getMessage"]!()).split("\n")[1] ?? ""}`,
  );
}

test("the runner serves the pack: its name, version and every policy with its level", async () => {
  const info = await call<Message>((cb) => client.getAnalyzerInfo(new emptyProto.Empty(), cb));
  expect(info["getName"]!()).toBe("slipway");
  expect(info["getVersion"]!()).toBe(pack.version);
  const policies = (info["getPoliciesList"]!() as Message[]).map((p) => [
    p["getName"]!(),
    LEVEL_NAMES[p["getEnforcementlevel"]!() as number],
  ]);
  expect(policies).toEqual(pack.policies.map((p) => [p.name, p.enforcementLevel]));
});

test("the engine's Analyze call gets the same verdicts slipway plan gives", async () => {
  expect(await diagnostics(compliant)).toEqual([]);
  expect(
    await diagnostics({ ...compliant, backupRetentionPeriod: 1, storageEncrypted: false }),
  ).toEqual([
    "rds-backup-retention mandatory: A production database keeps 1 days of backups; at least 7 are required.",
    "rds-storage-encrypted mandatory: storageEncrypted is not true.",
  ]);
});

test("config sent by the engine (as from --policy-pack-config) tunes the policies", async () => {
  const request = new analyzerProto["ConfigureAnalyzerRequest"]!();
  const config = request["getPolicyconfigMap"]!() as { set(key: string, value: unknown): void };
  const retention = new analyzerProto["PolicyConfig"]!();
  retention["setEnforcementlevel"]!(1);
  retention["setProperties"]!(
    structProto.Struct.fromJavaScript({ productionDays: 30, stagingDays: 1 }),
  );
  config.set("rds-backup-retention", retention);
  await call((cb) => client.configure(request, cb));
  expect(await diagnostics(compliant)).toEqual([
    "rds-backup-retention mandatory: A production database keeps 14 days of backups; at least 30 are required.",
  ]);
});
