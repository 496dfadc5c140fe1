// client.poll: waiting for Heroku's asynchronous work (add-on provisioning) with a bound.
import { HerokuClient } from "../../heroku/client";
import { HerokuApiError, HerokuWaitError } from "../../heroku/errors";
import { FakeHeroku, startFakeHeroku } from "./fake";
import type { Addon } from "./fake";
import { FakeClock, fakeClock, isolateHerokuEnv, rejectionOf } from "./support";

let fake: FakeHeroku;
let clock: FakeClock;
isolateHerokuEnv();

beforeAll(async () => {
  fake = await startFakeHeroku({ addonProvisionPolls: 3 });
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  process.env.HEROKU_API_KEY = fake.token;
  clock = fakeClock();
  await client().post("/apps", { name: "acme-web" });
});

const client = () =>
  new HerokuClient({ baseUrl: fake.url, now: clock.now, sleep: clock.sleep, rateLimit: {} });

async function addon(): Promise<{ id: string; path: string }> {
  const made = await client().post<Addon>("/apps/acme-web/addons", { plan: "heroku-postgresql" });
  fake.clearRequests();
  return { id: made.id, path: `/apps/acme-web/addons/${made.id}` };
}

const provisioned = (a: Addon) => a.state === "provisioned";

test("polls until the add-on is provisioned, waiting intervalMs between GETs", async () => {
  const { path } = await addon();
  const ready = await client().poll<Addon>(path, { until: provisioned, description: "add-on db" });
  expect(ready.state).toBe("provisioned");
  expect(fake.count("GET /apps/{app}/addons/{add-on}")).toBe(3);
  expect(clock.sleeps).toEqual([2000, 2000]);
});

test("gives up when the next wait would pass timeoutMs, with the last answer", async () => {
  const { path } = await addon();
  fake.state.addon(path.split("/").pop()!).pollsUntilProvisioned = 100;
  const error = await rejectionOf<HerokuWaitError>(
    client().poll<Addon>(path, { until: provisioned, description: 'add-on "db"', timeoutMs: 5000 }),
  );
  expect(error).toBeInstanceOf(HerokuWaitError);
  expect(error.message).toBe(
    `Heroku: add-on "db" was not ready after 4 s (3 polls of GET ${path}). It may still finish: ` +
      "check it in the Heroku Dashboard, then run again.",
  );
  expect([error.polls, (error.last as Addon).state]).toEqual([3, "provisioning"]);
  expect(clock.sleeps).toEqual([2000, 2000]);
});

test("until may throw to stop at once; a 404 ends the wait", async () => {
  const { path } = await addon();
  const stop = client().poll<Addon>(path, {
    description: "add-on db",
    until: (a) => {
      throw new Error(`stopped at ${a.state}`);
    },
  });
  await expect(stop).rejects.toThrow("stopped at provisioning");
  const gone = await rejectionOf<HerokuApiError>(
    client().poll("/apps/acme-web/addons/nope", { until: () => true, description: "x" }),
  );
  expect(gone.status).toBe(404);
});

test("without an injected clock the waits are real timers of intervalMs", async () => {
  const { path } = await addon();
  const heroku = new HerokuClient({ baseUrl: fake.url, rateLimit: {} });
  const timers = jest.spyOn(globalThis, "setTimeout");
  try {
    await heroku.poll<Addon>(path, { until: provisioned, description: "db", intervalMs: 7 });
    // Three polls (the fake provisions on the third), so two waits between them.
    expect(timers.mock.calls.filter(([, ms]) => ms === 7)).toHaveLength(2);
  } finally {
    timers.mockRestore();
  }
});
