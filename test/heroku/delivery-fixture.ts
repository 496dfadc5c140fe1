// The set-up the delivery operation tests share: one fake Heroku per file, reset before each test
// with the staging app (runtime dyno metadata on), a client and health probes on a fake clock
// that moves only when the operation sleeps, and the progress events the operation reported.
import { HerokuClient } from "../../heroku/client";
import type { Clock } from "../../operations/clock";
import type { ProgressEvent } from "../../operations/progress";
import { FakeHeroku, startFakeHeroku } from "./fake";
import { FakeClock, fakeClock, isolateHerokuEnv } from "./support";

export const APP = "acme-web-staging";

export interface HerokuFixture {
  readonly fake: FakeHeroku;
  readonly clock: FakeClock & Clock;
  readonly client: HerokuClient;
  readonly events: ProgressEvent[];
  /** The progress listener that fills `events`. */
  readonly progress: (event: ProgressEvent) => void;
}

/** Registers the hooks; the returned function gives the current test's fixture. */
export function useHerokuFixture(): () => HerokuFixture {
  let fake: FakeHeroku;
  let current: HerokuFixture;
  isolateHerokuEnv();
  beforeAll(async () => {
    fake = await startFakeHeroku();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    const clock = fakeClock();
    const client = new HerokuClient({
      env: { HEROKU_API_KEY: fake.token, HEROKU_API_URL: fake.url },
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0,
      rateLimit: {},
    });
    await client.post("/apps", { name: APP });
    await client.patch(`/apps/${APP}/features/runtime-dyno-metadata`, { enabled: true });
    fake.clearRequests();
    const events: ProgressEvent[] = [];
    current = { fake, clock, client, events, progress: (event) => events.push(event) };
  });
  afterEach(() => expect(fake.answerProblems).toEqual([]));
  return () => current;
}
