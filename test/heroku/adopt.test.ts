// createOrAdopt: a create is sent once; after an uncertain outcome (or "name taken") the resource
// is looked up by name and adopted only when it matches what was asked.
import { CreateOrAdoptRequest, HerokuClient, HerokuClientOptions } from "../../heroku/client";
import { HerokuAdoptError, HerokuApiError, HerokuNetworkError } from "../../heroku/errors";
import { Fault, FakeHeroku, Faults, startFakeHeroku, WEBHOOK_SECRET_HEADER } from "./fake";
import type { App, AppWebhook } from "./fake";
import {
  FakeClock,
  fakeClock,
  isolateHerokuEnv,
  rejectionOf,
  STALL_TIMEOUT_MS,
  timeoutsOnStall,
  warmUp,
} from "./support";

let fake: FakeHeroku;
let clock: FakeClock;
isolateHerokuEnv();
const endStalledWait = timeoutsOnStall();

beforeAll(async () => {
  fake = await startFakeHeroku({ onStall: endStalledWait });
  await warmUp(fake);
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  process.env.HEROKU_API_KEY = fake.token;
  clock = fakeClock();
});

function client(options: HerokuClientOptions = {}): HerokuClient {
  return new HerokuClient({
    baseUrl: fake.url,
    timeoutMs: STALL_TIMEOUT_MS,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0,
    rateLimit: {},
    ...options,
  });
}

/** Create app acme-web in `us`; adopt only an app in `us`. */
function createApp(region = "us"): CreateOrAdoptRequest<App> {
  return {
    path: "/apps",
    body: { name: "acme-web", region },
    lookup: "/apps/acme-web",
    matches: (app) => app.region.name === region,
    description: 'app "acme-web"',
  };
}

/** An app made behind slipway's back (another person, an earlier run). */
async function existingApp(region: string): Promise<void> {
  await client().post("/apps", { name: "acme-web", region });
  fake.clearRequests();
}

const counts = () => [fake.count("POST /apps"), fake.count("GET /apps/{app}")];

test("a create that succeeds is not adopted and keeps its answer's headers", async () => {
  const result = await client().createOrAdopt(createApp());
  expect(result.adopted).toBe(false);
  expect(result.resource.name).toBe("acme-web");
  expect(result.headers?.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
  expect(counts()).toEqual([1, 0]);
});

test.each([
  ["a reset", Faults.reset()],
  ["a 503", Faults.unavailable()],
  ["a stall past the timeout", Faults.stall()],
  ["a cut-off body", Faults.malformed()],
] as [string, Fault][])(
  "the create happened but the client saw %s: adopted after one GET, never a second POST",
  async (_case, fault) => {
    fake.fault("POST /apps", Faults.applyThen(fault));
    const result = await client().createOrAdopt(createApp());
    expect(result).toEqual({ resource: fake.state.app("acme-web").app, adopted: true });
    expect(counts()).toEqual([1, 1]);
    expect(fake.state.apps.size).toBe(1);
  },
);

test("the create did not happen (reset before it): the lookup finds nothing, the POST is sent again", async () => {
  const events: string[] = [];
  fake.fault("POST /apps", Faults.reset());
  const result = await client({
    onRetry: (e) => events.push(`${e.reason} ${e.delayMs}`),
  }).createOrAdopt(createApp());
  expect(result.adopted).toBe(false);
  expect(counts()).toEqual([2, 1]);
  expect(clock.sleeps).toEqual([250]);
  expect(events).toEqual(["reset 250"]);
});

test("an uncertain create that finds a different resource under the name refuses to adopt it", async () => {
  await existingApp("eu");
  fake.fault("POST /apps", Faults.reset());
  const error = await rejectionOf<HerokuAdoptError>(client().createOrAdopt(createApp("us")));
  expect(error).toBeInstanceOf(HerokuAdoptError);
  expect(error.message).toMatch(
    /^Heroku create of app "acme-web" had an uncertain outcome \(Heroku API POST \/apps lost its connection \(.*\)\); app "acme-web" exists but does not match what slipway asked for, so slipway will not adopt it\. Check it in the Heroku Dashboard, then rename or delete it \(or choose another name\) and run again\.$/,
  );
  expect(error.cause).toBeInstanceOf(HerokuNetworkError);
  expect(counts()).toEqual([1, 1]);
});

test("422 name taken by a matching app: adopted (an earlier run's create that was lost)", async () => {
  await existingApp("us");
  const result = await client().createOrAdopt(createApp("us"));
  expect(result.adopted).toBe(true);
  expect(counts()).toEqual([1, 1]);
});

test.each([
  [
    "taken by an app that does not match",
    "eu",
    { name: "acme-web", region: "us" },
    "Name is already taken",
    [1, 1],
  ],
  [
    "a name Heroku refuses",
    undefined,
    { name: "Acme_Web" },
    'name: must match pattern "^[a-z][a-z0-9-]{1,28}[a-z0-9]$"',
    [1, 1],
  ],
] as const)(
  "422 %s: Heroku's error, not an adoption",
  async (_case, existing, body, message, expected) => {
    if (existing) await existingApp(existing);
    const error = await rejectionOf<HerokuApiError>(
      client().createOrAdopt({ ...createApp("us"), body }),
    );
    expect([error.status, error.id, error.herokuMessage]).toEqual([422, "invalid_params", message]);
    expect(counts()).toEqual(expected);
  },
);

test("other 4xx are the error at once, without a lookup", async () => {
  fake.fault("POST /apps", Faults.unauthorized());
  const error = await rejectionOf<HerokuApiError>(client().createOrAdopt(createApp()));
  expect(error.status).toBe(401);
  expect(counts()).toEqual([1, 0]);
});

test("a 429 on the create is waited out and sent again inside the one attempt", async () => {
  fake.fault("POST /apps", Faults.rateLimited(1));
  const result = await client().createOrAdopt(createApp());
  expect(result.adopted).toBe(false);
  expect(counts()).toEqual([2, 0]);
  expect(clock.sleeps).toEqual([1000]);
});

test("uncertain every time and never found: bounded by maxAttempts", async () => {
  fake.fault("POST /apps", ...Array.from({ length: 6 }, () => Faults.reset()));
  const error = await rejectionOf<HerokuNetworkError>(client().createOrAdopt(createApp()));
  expect(error.failure).toBe("reset");
  expect(counts()).toEqual([5, 5]);
  expect(clock.sleeps).toEqual([250, 500, 1000, 2000]);
});

test("uncertain every time and never found: bounded by maxTotalMs", async () => {
  fake.fault("POST /apps", Faults.reset(), Faults.reset(), Faults.reset());
  const error = await rejectionOf<HerokuNetworkError>(
    client({ retry: { maxTotalMs: 600 } }).createOrAdopt(createApp()),
  );
  expect(error.failure).toBe("reset");
  expect(counts()).toEqual([2, 2]);
  expect(clock.sleeps).toEqual([250]);
});

describe("a lookup function, for resources without a unique name (webhooks by URL)", () => {
  const createHook = (heroku: HerokuClient): CreateOrAdoptRequest<AppWebhook> => ({
    path: "/apps/acme-web/webhooks",
    body: { include: ["api:release"], level: "notify", url: "https://hooks.example.com/h" },
    lookup: async () =>
      (await heroku.list<AppWebhook>("/apps/acme-web/webhooks")).find(
        (w) => w.url === "https://hooks.example.com/h",
      ),
    matches: (hook) => hook.level === "notify",
    description: "webhook https://hooks.example.com/h",
  });

  beforeEach(() => existingApp("us"));

  test("created: the generated secret is in the answer's headers", async () => {
    const heroku = client();
    const result = await heroku.createOrAdopt(createHook(heroku));
    expect(result.adopted).toBe(false);
    expect(result.headers?.get(WEBHOOK_SECRET_HEADER)).toBe(
      fake.state.webhooks.get(result.resource.id)!.secret,
    );
  });

  test("adopted after a lost answer: found by the function, no headers (the secret is lost)", async () => {
    fake.fault("POST /apps/{app}/webhooks", Faults.applyThen(Faults.reset()));
    const heroku = client();
    const result = await heroku.createOrAdopt(createHook(heroku));
    expect(result.adopted).toBe(true);
    expect(result.headers).toBeUndefined();
    expect(fake.count("POST /apps/{app}/webhooks")).toBe(1);
    expect(fake.count("GET /apps/{app}/webhooks")).toBe(1);
  });
});
