// When and how long the Heroku client waits: bounded exponential backoff with jitter, Heroku's
// `Retry-After`, and pacing as `RateLimit-Remaining` falls. Pure functions over plain numbers, so
// tests drive them with an injected clock and they serialize small into dynamic providers.

/** How the client retries. Every bound holds at once: attempts, total time, each wait. */
export interface RetryPolicy {
  /** Most times one request is sent (the first try included). */
  readonly maxAttempts: number;
  /** Milliseconds from the first try after which no retry starts (waits included). */
  readonly maxTotalMs: number;
  /** The first backoff, doubled on each retry. */
  readonly baseDelayMs: number;
  /** The longest single backoff. */
  readonly maxDelayMs: number;
  /** Below this many remaining requests (`RateLimit-Remaining`), each request is delayed. */
  readonly slowdownBelowRemaining: number;
  /** The delay before a request when no requests remain; it shrinks linearly to 0 at the threshold. */
  readonly slowdownMaxDelayMs: number;
  /** How fast Heroku refills the budget (about 4,500 an hour), to age a remembered count. */
  readonly refillPerSecond: number;
}

/** Defaults sized for `pulumi up`: a few retries over at most a minute; timeouts apart. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxTotalMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  slowdownBelowRemaining: 200,
  slowdownMaxDelayMs: 1_000,
  refillPerSecond: 1.25,
};

/** The last `RateLimit-Remaining` the client saw, and when (clock milliseconds). */
export interface RateLimitState {
  remaining?: number;
  seenAtMs?: number;
}

/**
 * The wait before retry number `retry` (1 for the first retry): `baseDelayMs * 2^(retry-1)`,
 * capped at `maxDelayMs`, with "equal jitter" (half fixed, half random) so clients that failed
 * together do not retry together. `random` returns a number in [0, 1).
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Milliseconds a `Retry-After` header asks for: delta-seconds (`2`) or an HTTP date; `undefined`
 * when absent or unreadable.
 */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim(); // blank is neither a number nor a date below
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Reads `RateLimit-Remaining` into `state` (a missing or unreadable header changes nothing). */
export function noteRateLimit(state: RateLimitState, header: string | null, nowMs: number): void {
  if (header === null || !/^\d+$/.test(header.trim())) return;
  state.remaining = Number(header); // Number() ignores the white space the test above allows
  state.seenAtMs = nowMs;
}

/**
 * The pause before the next request: none while plenty remain; below the threshold, a delay that
 * grows linearly to `slowdownMaxDelayMs` as the remembered count (aged by the refill rate)
 * approaches zero. This spreads the last requests out instead of running into 429s.
 */
export function paceDelayMs(state: RateLimitState, policy: RetryPolicy, nowMs: number): number {
  if (state.remaining === undefined || state.seenAtMs === undefined) return 0;
  const refilled = (Math.max(0, nowMs - state.seenAtMs) / 1000) * policy.refillPerSecond;
  const remaining = state.remaining + refilled;
  const shortfall = Math.max(0, 1 - remaining / policy.slowdownBelowRemaining);
  return Math.round(policy.slowdownMaxDelayMs * shortfall);
}

/** The rate-limit memory shared by every client of this process (all providers share a budget). */
export function sharedRateLimitState(): RateLimitState {
  const slots = globalThis as unknown as Record<symbol, RateLimitState | undefined>;
  const key = Symbol.for("slipway.heroku.rateLimit");
  return (slots[key] ??= {});
}

/** A real wait. */
export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
