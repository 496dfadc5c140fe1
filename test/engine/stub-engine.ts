// A stand-in for the engine's own gRPC service (pulumirpc.Engine), whose address the engine gives
// every plugin it starts; plugins may call it to log. It records what they log.
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogRequest } from "@pulumi/pulumi/proto/engine_pb";

/** A stand-in for the engine's own gRPC service, which plugins may call to log. */
export interface StubEngine {
  readonly address: string;
  /** What plugins logged through the engine, as `severity message`. */
  readonly logs: readonly string[];
  close(): Promise<void>;
}

export async function startStubEngine(): Promise<StubEngine> {
  const logs: string[] = [];
  const server = new grpc.Server();
  const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: "not in the stub engine" }, null);
  server.addService(EngineService, {
    log: (call: grpc.ServerUnaryCall<LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
      logs.push(`${call.request.getSeverity()} ${call.request.getMessage()}`);
      callback(null, new Empty());
    },
    getRootResource: unimplemented,
    setRootResource: unimplemented,
    startDebugging: unimplemented,
    requirePulumiVersion: unimplemented,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    logs,
    close: () => {
      server.forceShutdown();
      return Promise.resolve();
    },
  };
}
