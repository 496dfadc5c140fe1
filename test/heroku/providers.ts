// Helpers for the provider tests: one fake per file, a provider driven the way the engine drives
// it (check, then create with the checked inputs; diff and update against the stored outputs).
import type * as pulumi from "@pulumi/pulumi";
import { HerokuClient, HerokuClientOptions } from "../../heroku/client";
import { FakeHeroku, startFakeHeroku } from "./fake";
import { fakeClock, isolateHerokuEnv, STALL_TIMEOUT_MS, warmUp } from "./support";

export type Props = Record<string, unknown>;

/** Starts one fake for the file; resets it and points the token at it before each test. */
export function useFake(options: Parameters<typeof startFakeHeroku>[0] = {}): () => FakeHeroku {
  let fake: FakeHeroku | undefined;
  isolateHerokuEnv();
  beforeAll(async () => {
    fake = await startFakeHeroku(options);
    await warmUp(fake);
  });
  afterAll(() => fake?.close());
  beforeEach(() => {
    fake!.reset();
    process.env.HEROKU_API_KEY = fake!.token;
  });
  return () => fake!;
}

/** Client options for tests: the fake's URL, a clock that only moves when the client waits. */
export function testOptions(fake: FakeHeroku): HerokuClientOptions & { sleeps: number[] } {
  const clock = fakeClock();
  return {
    baseUrl: fake.url,
    timeoutMs: STALL_TIMEOUT_MS * 5,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0,
    rateLimit: {},
    sleeps: clock.sleeps,
  };
}

/** A provider with the engine's calling conventions, and the last outputs remembered. */
export class Driven {
  id = "";
  outs: Props = {};

  constructor(readonly provider: pulumi.dynamic.ResourceProvider) {}

  /** The checked inputs; fails the test on check failures. */
  async check(news: Props): Promise<Props> {
    const result = await this.provider.check!({}, news);
    if (result.failures && result.failures.length > 0) {
      throw new Error(`check failed: ${JSON.stringify(result.failures)}`);
    }
    return result.inputs as Props;
  }

  async failures(news: Props): Promise<pulumi.dynamic.CheckFailure[]> {
    return (await this.provider.check!({}, news)).failures ?? [];
  }

  async create(news: Props): Promise<Props> {
    const created = await this.provider.create(await this.check(news));
    this.id = created.id;
    this.outs = created.outs as Props;
    return this.outs;
  }

  /** A refresh: the new outputs, or `undefined` when the resource is gone. */
  async read(): Promise<Props | undefined> {
    const result = await this.provider.read!(this.id, this.outs);
    if (result.id === undefined) return undefined;
    this.outs = result.props as Props;
    return this.outs;
  }

  async diff(news: Props): Promise<pulumi.dynamic.DiffResult> {
    return this.provider.diff!(this.id, this.outs, await this.check(news));
  }

  async update(news: Props): Promise<Props> {
    const result = await this.provider.update!(this.id, this.outs, await this.check(news));
    this.outs = result.outs as Props;
    return this.outs;
  }

  async delete(): Promise<void> {
    await this.provider.delete!(this.id, this.outs);
  }
}

/** Makes an app in the fake (as someone else would) and forgets the request; answers its id. */
export async function createApp(fake: FakeHeroku, name: string): Promise<string> {
  const app = await new HerokuClient({ baseUrl: fake.url }).post<{ id: string }>("/apps", { name });
  fake.clearRequests();
  return app.id;
}

/** Makes a pipeline the user owns in the fake and forgets the request; answers its id. */
export async function createPipeline(fake: FakeHeroku, name: string): Promise<string> {
  const owner = { id: fake.state.account.id, type: "user" };
  const client = new HerokuClient({ baseUrl: fake.url });
  const pipeline = await client.post<{ id: string }>("/pipelines", { name, owner });
  fake.clearRequests();
  return pipeline.id;
}

/** The bodies the fake received, as `METHOD path body`. */
export function sent(fake: FakeHeroku): string[] {
  return fake.requests.map((r) => `${r.method} ${r.path}${r.rawBody ? ` ${r.rawBody}` : ""}`);
}
