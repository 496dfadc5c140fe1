// The client's fault matrix against the fake: for each fault and method, the outcome, the exact
// number of requests, and the waits on an injected clock. Jitter is pinned (random = 0), so each
// backoff is half its ceiling: 250, 500, 1000, 2000 ms with the default policy.
import { HerokuClient, HerokuClientOptions } from "../../heroku/client";
import { HerokuApiError, HerokuNetworkError } from "../../heroku/errors";
import { RateLimitState } from "../../heroku/retry";
import { Fault, FakeHeroku, Faults, startFakeHeroku } from "./fake";
import {
  closedPortUrl,
  FakeClock,
  fakeClock,
  isolateHerokuEnv,
  STALL_TIMEOUT_MS,
  timeoutsOnStall,
  warmUp,
} from "./support";

let fake: FakeHeroku;
let clock: FakeClock;
let rateLimit: RateLimitState;
isolateHerokuEnv();
const endStalledWait = timeoutsOnStall();

beforeAll(async () => {
  fake = await startFakeHeroku({ onStall: endStalledWait });
  await warmUp(fake);
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  process.env.HEROKU_API_KEY = fake.token;
  clock = fakeClock();
  rateLimit = {};
  await client().post("/apps", { name: "acme-web" });
  fake.clearRequests();
});

/** Long enough that a loaded machine answers within it: only stall tests shorten it. */
const ANSWER_TIMEOUT_MS = 10_000;

/** Stall faults end at the timeout; every other test keeps the long one. */
const timeoutFor = (faults: Fault[]): HerokuClientOptions =>
  faults.some((f) => f.kind === "stall") ? { timeoutMs: STALL_TIMEOUT_MS } : {};

function client(options: HerokuClientOptions = {}): HerokuClient {
  return new HerokuClient({
    baseUrl: fake.url,
    timeoutMs: ANSWER_TIMEOUT_MS,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0,
    rateLimit,
    ...options,
  });
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (error instanceof HerokuApiError) return `${error.status} ${error.id}`;
    if (error instanceof HerokuNetworkError) return error.failure;
    throw error;
  }
}

const CALLS = {
  GET: { route: "GET /apps/{app}", call: (h: HerokuClient) => h.get("/apps/acme-web") },
  PATCH: {
    route: "PATCH /apps/{app}/config-vars",
    call: (h: HerokuClient) => h.patch("/apps/acme-web/config-vars", { NODE_ENV: "production" }),
  },
  PUT: {
    route: "PUT /apps/{app}/buildpack-installations",
    call: (h: HerokuClient) =>
      h.put("/apps/acme-web/buildpack-installations", {
        updates: [{ buildpack: "heroku/nodejs" }],
      }),
  },
  DELETE: { route: "DELETE /apps/{app}", call: (h: HerokuClient) => h.delete("/apps/acme-web") },
  POST: {
    route: "POST /apps/{app}/log-drains",
    call: (h: HerokuClient) =>
      h.post("/apps/acme-web/log-drains", { url: "https://logs.example.com/1" }),
  },
};
type Method = keyof typeof CALLS;

type Row = [string, Fault[], string, number, number[]];

/** Puts the expectation in the test's title: "two 503s: ok after 3 requests". */
function titled([fault, ...rest]: Row): Row {
  return [`${fault}: ${rest[1]} after ${rest[2]} requests`, ...rest];
}

const IDEMPOTENT: Row[] = [
  ["two 503s", [Faults.unavailable(), Faults.unavailable()], "ok", 3, [250, 500]],
  ["a 500", [Faults.serverError()], "ok", 2, [250]],
  ["a 502", [Faults.serverError(502)], "ok", 2, [250]],
  ["429 with Retry-After: 2", [Faults.rateLimited(2)], "ok", 2, [2000]],
  ["429 without Retry-After", [Faults.rateLimited()], "ok", 2, [250]],
  ["503 with Retry-After: 1", [Faults.unavailable(1)], "ok", 2, [1000]],
  ["a connection reset", [Faults.reset()], "ok", 2, [250]],
  ["a stall past the timeout", [Faults.stall()], "ok", 2, [250]],
  ["a cut-off body", [Faults.malformed()], "ok", 2, [250]],
  [
    "reset, cut-off body, 503, 429",
    [Faults.reset(), Faults.malformed(), Faults.unavailable(), Faults.rateLimited(3)],
    "ok",
    5,
    [250, 500, 1000, 3000],
  ],
  ["a 401", [Faults.unauthorized()], "401 unauthorized", 1, []],
];

describe.each(["GET", "PATCH", "PUT", "DELETE"] as Method[])("%s is retried", (method) => {
  test.each(IDEMPOTENT.map(titled))("%s", async (_case, faults, expected, requests, sleeps) => {
    const { route, call } = CALLS[method];
    fake.fault(route, ...faults);
    expect(await outcome(call(client(timeoutFor(faults))))).toBe(expected);
    expect(fake.count(route)).toBe(requests);
    expect(clock.sleeps).toEqual(sleeps);
  });
});

describe("POST is never retried blindly", () => {
  const rows: Row[] = [
    ["a 503", [Faults.unavailable()], "503 service_unavailable", 1, []],
    ["a connection reset", [Faults.reset()], "reset", 1, []],
    ["a stall past the timeout", [Faults.stall()], "timeout", 1, []],
    ["a cut-off body", [Faults.malformed()], "200 malformed_response", 1, []],
    ["a 401", [Faults.unauthorized()], "401 unauthorized", 1, []],
    [
      "429 with Retry-After: 2 (refused, so nothing was created)",
      [Faults.rateLimited(2)],
      "ok",
      2,
      [2000],
    ],
  ];
  test.each(rows.map(titled))("%s", async (_case, faults, expected, requests, sleeps) => {
    fake.fault(CALLS.POST.route, ...faults);
    expect(await outcome(CALLS.POST.call(client(timeoutFor(faults))))).toBe(expected);
    expect(fake.count(CALLS.POST.route)).toBe(requests);
    expect(clock.sleeps).toEqual(sleeps);
  });

  test("an unreachable host is retried even for POST: nothing was sent", async () => {
    const url = await closedPortUrl();
    const events: string[] = [];
    const heroku = client({
      baseUrl: url,
      onRetry: (e) => events.push(`${e.method} ${e.reason} ${e.delayMs}`),
    });
    const error = (await heroku
      .post("/apps", { name: "x" })
      .catch((e: unknown) => e)) as HerokuNetworkError;
    expect(error).toBeInstanceOf(HerokuNetworkError);
    expect([error.failure, error.attempts]).toEqual(["unreachable", 5]);
    expect(error.message).toMatch(
      /^Heroku API POST \/apps could not reach the API \(ECONNREFUSED: .*\) \(gave up after 5 attempts in 3\.8 s\)$/,
    );
    expect(events).toEqual([
      "POST unreachable 250",
      "POST unreachable 500",
      "POST unreachable 1000",
      "POST unreachable 2000",
    ]);
  });
});

describe("bounds", () => {
  test("attempts: five 503s and the fifth is the error, after five requests", async () => {
    fake.fault("GET /apps/{app}", ...Array.from({ length: 6 }, () => Faults.unavailable()));
    const error = (await client()
      .get("/apps/acme-web")
      .catch((e: unknown) => e)) as HerokuApiError;
    expect([error.status, error.attempts]).toEqual([503, 5]);
    expect(error.message).toMatch(/\(gave up after 5 attempts in 3\.8 s\)$/);
    expect(fake.count("GET /apps/{app}")).toBe(5);
    expect(clock.sleeps).toEqual([250, 500, 1000, 2000]);
  });

  test("total time: no retry starts that would end past maxTotalMs", async () => {
    fake.fault(
      "GET /apps/{app}",
      Faults.rateLimited(2),
      Faults.rateLimited(2),
      Faults.rateLimited(2),
    );
    const heroku = client({ retry: { maxTotalMs: 3000 } });
    expect(await outcome(heroku.get("/apps/acme-web"))).toBe("429 rate_limit");
    expect(fake.count("GET /apps/{app}")).toBe(2);
    expect(clock.sleeps).toEqual([2000]);
  });

  test("a Retry-After longer than the whole budget is not waited for", async () => {
    fake.fault("GET /apps/{app}", Faults.rateLimited(120));
    expect(await outcome(client().get("/apps/acme-web"))).toBe("429 rate_limit");
    expect(fake.count("GET /apps/{app}")).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  test("each backoff is capped at maxDelayMs", async () => {
    fake.fault("GET /apps/{app}", Faults.unavailable(), Faults.unavailable(), Faults.unavailable());
    await client({ retry: { baseDelayMs: 500, maxDelayMs: 800 } }).get("/apps/acme-web");
    expect(clock.sleeps).toEqual([250, 400, 400]);
  });

  test("timeouts: every stalled attempt ends at timeoutMs, and the attempts are bounded", async () => {
    const timers = jest.spyOn(global, "setTimeout");
    fake.fault("GET /apps/{app}", Faults.stall(), Faults.stall(), Faults.stall());
    const error = (await client({ timeoutMs: 100, retry: { maxAttempts: 3 } })
      .get("/apps/acme-web")
      .catch((e: unknown) => e)) as HerokuNetworkError;
    // Each attempt's wait ended on its own timer (timeoutsOnStall), set to timeoutMs.
    const timeouts = timers.mock.calls.map(([, ms]) => ms);
    // Put back now, while the fake timers it wraps are installed: put back after them, it would
    // leave their setTimeout on the global.
    timers.mockRestore();
    expect([error.failure, error.attempts]).toEqual(["timeout", 3]);
    expect(error.message).toBe(
      "Heroku API GET /apps/acme-web timed out (no answer within 100 ms) (gave up after 3 attempts in 0.8 s)",
    );
    expect(timeouts).toEqual([100, 100, 100]);
    expect(fake.count("GET /apps/{app}")).toBe(3);
  });
});

describe("bodies are re-sent intact", () => {
  test.each([
    ["PATCH", "PATCH /apps/{app}/config-vars", { NODE_ENV: "production", OLD: null }],
    [
      "PUT",
      "PUT /apps/{app}/buildpack-installations",
      { updates: [{ buildpack: "heroku/nodejs" }] },
    ],
  ] as const)(
    "%s after a 503 and a reset sends the same bytes three times",
    async (method, route, body) => {
      fake.fault(route, Faults.unavailable(), Faults.reset());
      const path = route.split(" ")[1]!.replace("{app}", "acme-web");
      await client().request(method, path, { body });
      const sent = fake.requests.filter((r) => r.route === route);
      expect(sent.map((r) => r.rawBody)).toEqual(Array(3).fill(JSON.stringify(body)));
      expect(sent.map((r) => r.headers["content-type"])).toEqual(Array(3).fill("application/json"));
      expect(sent.map((r) => r.headers["content-length"])).toEqual(
        Array(3).fill(String(JSON.stringify(body).length)),
      );
    },
  );

  test("onRetry hears each retry with its reason and wait, and never the token", async () => {
    const events: unknown[] = [];
    fake.fault(
      "PATCH /apps/{app}/config-vars",
      Faults.unavailable(),
      Faults.reset(),
      Faults.malformed(),
    );
    await client({ onRetry: (e) => events.push(e) }).patch("/apps/acme-web/config-vars", {
      A: "1",
    });
    const base = { method: "PATCH", path: "/apps/acme-web/config-vars" };
    expect(events).toEqual([
      { ...base, attempt: 1, reason: "503", delayMs: 250 },
      { ...base, attempt: 2, reason: "reset", delayMs: 500 },
      { ...base, attempt: 3, reason: "malformed_response", delayMs: 1000 },
    ]);
    expect(JSON.stringify(events)).not.toContain(fake.token);
  });
});

describe("RateLimit-Remaining slows the client down before it hits 429", () => {
  test("below 200 remaining each request waits, more as the budget falls; plenty means no wait", async () => {
    const heroku = client();
    fake.setRateLimitRemaining(101);
    await heroku.get("/apps/acme-web"); // answers 100 remaining: nothing known before, no wait
    await heroku.get("/apps/acme-web"); // waits 1000 * (1 - 100/200), answers 99
    fake.setRateLimitRemaining(11);
    await heroku.get("/apps/acme-web"); // waits for 99 (505 ms), answers 10
    await heroku.get("/apps/acme-web"); // waits for 10 (950 ms), answers 9
    fake.setRateLimitRemaining(4500);
    await heroku.get("/apps/acme-web"); // waits for 9 (955 ms), answers 4499
    await heroku.get("/apps/acme-web"); // no wait
    expect(clock.sleeps).toEqual([500, 505, 950, 955]);
    expect(rateLimit.remaining).toBe(4498);
  });

  test("a remembered low count ages as Heroku refills the budget", async () => {
    fake.setRateLimitRemaining(1);
    await client().get("/apps/acme-web"); // answers 0
    fake.setRateLimitRemaining(1000);
    await clock.sleep(80_000); // 80 s refill 100 requests
    await client().get("/apps/acme-web");
    expect(clock.sleeps).toEqual([80_000, 500]);
  });

  test("a 429 after pacing is waited out once, by its Retry-After", async () => {
    rateLimit.remaining = 0;
    rateLimit.seenAtMs = clock.now();
    fake.fault("GET /apps/{app}", Faults.rateLimited(2));
    await client().get("/apps/acme-web");
    expect(clock.sleeps).toEqual([1000, 2000]);
  });
});
