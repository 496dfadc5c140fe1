// The pure timing rules of the client, and the small error helpers.
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  noteRateLimit,
  paceDelayMs,
  parseRetryAfterMs,
  RateLimitState,
  realSleep,
  sharedRateLimitState,
} from "../../heroku/retry";
import {
  HerokuAdoptError,
  HerokuApiError,
  HerokuNetworkError,
  isNotFound,
  isUncertainOutcome,
  MALFORMED_RESPONSE,
} from "../../heroku/errors";

const policy = DEFAULT_RETRY_POLICY;

test("the default policy", () => {
  expect(DEFAULT_RETRY_POLICY).toEqual({
    maxAttempts: 5,
    maxTotalMs: 60_000,
    baseDelayMs: 500,
    maxDelayMs: 8_000,
    slowdownBelowRemaining: 200,
    slowdownMaxDelayMs: 1_000,
    refillPerSecond: 1.25,
  });
});

test.each([
  [1, 0, 250],
  [1, 0.5, 375],
  [1, 0.999, 500],
  [2, 0, 500],
  [3, 0, 1000],
  [4, 0.5, 3000],
  [5, 0, 4000],
  [6, 0, 4000],
  [9, 0.999, 7996],
  [0, 0, 250],
])("backoff before retry %i with random %d is %i ms", (retry, random, expected) => {
  expect(backoffDelayMs(retry, policy, () => random)).toBe(expected);
});

const NOW = Date.parse("2025-09-25T12:00:00Z");
test.each([
  ["2", 2000],
  [" 0 ", 0],
  ["1.5", 1500],
  ["1.25", 1250],
  ["30", 30_000],
  ["1.5.2", undefined],
  ["Thu, 25 Sep 2025 12:00:30 GMT", 30_000],
  ["Thu, 25 Sep 2025 11:00:00 GMT", 0],
  ["soon", undefined],
  ["", undefined],
  ["-1", undefined],
  [null, undefined],
])("Retry-After %j waits %s ms", (header, expected) => {
  expect(parseRetryAfterMs(header, NOW)).toBe(expected);
});

describe("pacing by RateLimit-Remaining", () => {
  test.each([
    [undefined, 0],
    [4500, 0],
    [200, 0],
    [199, 5],
    [150, 250],
    [100, 500],
    [1, 995],
    [0, 1000],
  ])("%s remaining waits %i ms", (remaining, expected) => {
    const state: RateLimitState = remaining === undefined ? {} : { remaining, seenAtMs: NOW };
    expect(paceDelayMs(state, policy, NOW)).toBe(expected);
  });

  test("a remembered count ages by the refill rate", () => {
    const state = { remaining: 0, seenAtMs: NOW };
    expect([0, 40_000, 80_000, 160_000].map((ms) => paceDelayMs(state, policy, NOW + ms))).toEqual([
      1000, 750, 500, 0,
    ]);
  });

  test.each([
    ["42", { remaining: 42, seenAtMs: NOW }],
    [" 7 ", { remaining: 7, seenAtMs: NOW }],
    ["many", { remaining: 3, seenAtMs: 1 }],
    ["-5", { remaining: 3, seenAtMs: 1 }],
    ["5x", { remaining: 3, seenAtMs: 1 }],
    ["", { remaining: 3, seenAtMs: 1 }],
    [null, { remaining: 3, seenAtMs: 1 }],
  ])("header %j leaves the state at %j", (header, expected) => {
    const state: RateLimitState = { remaining: 3, seenAtMs: 1 };
    noteRateLimit(state, header, NOW);
    expect(state).toEqual(expected);
  });

  test("the process shares one rate-limit memory, on globalThis", () => {
    expect(sharedRateLimitState()).toBe(sharedRateLimitState());
    const slots = globalThis as unknown as Record<symbol, unknown>;
    expect(slots[Symbol.for("slipway.heroku.rateLimit")]).toBe(sharedRateLimitState());
  });

  test("realSleep resolves once its milliseconds have passed, not before", async () => {
    jest.useFakeTimers();
    try {
      let done = false;
      const sleeping = realSleep(5).then(() => (done = true));
      await jest.advanceTimersByTimeAsync(4);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
      await sleeping;
    } finally {
      jest.useRealTimers();
    }
  });
});

describe("errors", () => {
  const context = { method: "POST", path: "/apps", attempts: 1, elapsedMs: 0 };
  const api = (status: number, id = "x") =>
    new HerokuApiError({ ...context, status, id, herokuMessage: "m" });
  const network = (failure: "timeout" | "reset" | "unreachable") =>
    new HerokuNetworkError({ ...context, failure, detail: "d" });

  test.each([
    ["a timeout", network("timeout"), true],
    ["a reset", network("reset"), true],
    ["an unreachable host (nothing sent)", network("unreachable"), false],
    ["a 500", api(500), true],
    ["a 503", api(503), true],
    ["a success with a cut-off body", api(200, MALFORMED_RESPONSE), true],
    ["a 422", api(422), false],
    ["a 404", api(404), false],
    ["a 429", api(429), false],
    ["a plain Error", new Error("x"), false],
  ])("%s is uncertain: %s", (_case, error, expected) => {
    expect(isUncertainOutcome(error)).toBe(expected);
  });

  test("isNotFound is a 404 HerokuApiError only", () => {
    expect([api(404), api(410), network("reset"), undefined].map(isNotFound)).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  test("messages", () => {
    expect(api(503).message).toBe("Heroku API POST /apps answered 503 x: m");
    expect(network("timeout").message).toBe("Heroku API POST /apps timed out (d)");
    expect(new HerokuAdoptError("pipeline acme", new Error("boom")).message).toBe(
      "Heroku create of pipeline acme had an uncertain outcome (boom); pipeline acme exists but " +
        "does not match what slipway asked for, so slipway will not adopt it. Check it in the " +
        "Heroku Dashboard, then rename or delete it (or choose another name) and run again.",
    );
  });
});
