// What the engine tier needs before its first test, started the moment the test file imports
// this module (its first import): the stub engine, a loopback server for the Heroku fake, and the
// dynamic provider host with that server's URL in its environment. The host takes seconds to
// start, since it loads the SDK; started here it boots while jest loads the test's other modules
// and the fake, instead of after them in `beforeAll`.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { PROJECT_DIR } from "../support/project";
import { DynamicProviderHost } from "./host";
import { startStubEngine, StubEngine } from "./stub-engine";

export interface Started {
  readonly engine: StubEngine;
  readonly host: DynamicProviderHost;
}

/** The server the test's Heroku fake answers on (`startFakeHeroku({ server })`). */
export const herokuServer = http.createServer();

async function start(): Promise<Started> {
  await new Promise<void>((resolve) => herokuServer.listen(0, "127.0.0.1", resolve));
  const { port } = herokuServer.address() as AddressInfo;
  const engine = await startStubEngine();
  // The engine's environment, without a token: the providers must get it from Configure.
  const env: NodeJS.ProcessEnv = { ...process.env, HEROKU_API_URL: `http://127.0.0.1:${port}` };
  delete env.HEROKU_API_KEY;
  const host = await DynamicProviderHost.start({
    projectDir: PROJECT_DIR,
    engineAddress: engine.address,
    env,
  }).catch(async (error: unknown) => {
    await engine.close();
    throw error;
  });
  return { engine, host };
}

/** Resolves once the host listens; a failure to start is the test file's first `beforeAll`'s. */
export const started = start();
// Awaited in that beforeAll; this keeps Node from calling a rejection unhandled before then.
started.catch(() => undefined);
