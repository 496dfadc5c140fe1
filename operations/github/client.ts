// The GitHub REST client the operations share: @octokit/rest with its retry plugin (5xx, resets,
// timeouts) and its throttling plugin (primary and secondary rate limits), built from the
// command's environment (GITHUB_TOKEN, GITHUB_API_URL). It never prints: rate-limit waits and
// Octokit's warnings go to the caller's progress listener.
//
// The @octokit packages ship as ES modules only, and slipway compiles to CommonJS (tsconfig
// module node16), where TypeScript refuses a static import of them (TS1479). Node 22
// `require()`s an ES module, so they are loaded with `require` (jest transforms them first:
// jest.config.js) and typed through `resolution-mode: "import"`. A dynamic `import()` would not
// run under jest 29 without its experimental VM modules. They are loaded when a client is made,
// not when this file is: they take a third of a second, which `slipway plan` need not pay.
import type * as PluginRetry from "@octokit/plugin-retry" with { "resolution-mode": "import" };
import type * as PluginThrottling from "@octokit/plugin-throttling" with {
  "resolution-mode": "import",
};
import type * as Rest from "@octokit/rest" with { "resolution-mode": "import" };
import { SlipwayError } from "../../errors";
import { ignoreProgress, ProgressListener } from "../progress";

export type GithubClient = Rest.Octokit;

export const TOKEN_ENV = "GITHUB_TOKEN";
export const API_URL_ENV = "GITHUB_API_URL";
export const DEFAULT_API_URL = "https://api.github.com";
export const USER_AGENT = "slipway";
/** The REST API version slipway was written against (GitHub keeps each for two years at least). */
export const API_VERSION = "2022-11-28";

/** Statuses a retry cannot fix. 403 and 429 are the throttling plugin's: it knows rate limits. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

export interface GithubClientOptions {
  /**
   * How many milliseconds one second of the plugins' waits lasts (retry backoff of 1, 4, 9 s,
   * `Retry-After`, time to the rate limit's reset). Tests pass 1, so every wait happens in
   * order but takes milliseconds. @default 1000
   */
  readonly waitUnitMs?: number;
  /** Milliseconds one attempt may take before it counts as failed (and is retried). @default 30000 */
  readonly timeoutMs?: number;
  /** Times a request that failed with a 5xx, a reset or a timeout is sent again. @default 3 */
  readonly retries?: number;
  /** The longest rate-limit wait, in seconds, worth waiting for; longer ones fail. @default 120 */
  readonly maxRateLimitWaitSeconds?: number;
  /** Times one request waits out a rate limit (primary or secondary). @default 2 */
  readonly rateLimitRetries?: number;
  /** Told about rate-limit waits and Octokit's warnings (deprecated endpoints). @default none */
  readonly progress?: ProgressListener;
}

/**
 * A GitHub client for the token and API in `env`. Throws a `SlipwayError` naming the variable
 * when GITHUB_TOKEN is missing or GITHUB_API_URL is not an http(s) URL.
 */
export function createGithubClient(
  env: Readonly<Record<string, string | undefined>>,
  options: GithubClientOptions = {},
): GithubClient {
  const token = env[TOKEN_ENV]?.trim();
  if (!token) {
    throw SlipwayError.of(
      TOKEN_ENV,
      `not set. slipway reads commits and pull requests with it. Allowed: a token that can ` +
        `read the application's repository (contents and pull requests). Fix: export ` +
        `${TOKEN_ENV}=<token> (in GitHub Actions: env GITHUB_TOKEN: \${{ github.token }}).`,
    );
  }
  const baseUrl = apiUrlOf(env);
  const unit = options.waitUnitMs ?? 1000;
  const progress = options.progress ?? ignoreProgress;
  const maxWait = options.maxRateLimitWaitSeconds ?? 120;
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const report = (message: string) => progress({ step: "github", message });
  const waitOut =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _o: unknown, count: number) => {
      if (count >= rateLimitRetries || retryAfter > maxWait) return false;
      report(`${kind} on ${request.method} ${request.url}: waiting ${retryAfter} s`);
      return true;
    };

  /* eslint-disable @typescript-eslint/no-require-imports -- ES modules, see the top */
  const { Octokit } = require("@octokit/rest") as typeof Rest;
  const { retry } = require("@octokit/plugin-retry") as typeof PluginRetry;
  const { throttling } = require("@octokit/plugin-throttling") as typeof PluginThrottling;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const Client = Octokit.plugin(retry, throttling);
  const client = new Client({
    auth: token,
    baseUrl,
    userAgent: USER_AGENT,
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => report(message),
      // Octokit logs each failed request here; the failure itself is thrown.
      error: () => undefined,
    },
    request: { fetch: fetchWithTimeout(options.timeoutMs ?? 30_000) },
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: unit, doNotRetry: DO_NOT_RETRY },
    throttle: {
      retryAfterBaseValue: unit,
      onRateLimit: waitOut("GitHub's rate limit"),
      onSecondaryRateLimit: waitOut("GitHub's secondary rate limit"),
    },
  });
  client.hook.before("request", (request) => {
    request.headers["x-github-api-version"] = API_VERSION;
  });
  return client;
}

/** `GITHUB_API_URL` without a trailing slash, or github.com's API. */
export function apiUrlOf(env: Readonly<Record<string, string | undefined>>): string {
  const value = env[API_URL_ENV]?.trim();
  if (!value) return DEFAULT_API_URL;
  if (!URL.canParse(value) || !["http:", "https:"].includes(new URL(value).protocol)) {
    throw SlipwayError.of(
      API_URL_ENV,
      `got ${JSON.stringify(value)}. Allowed: an http(s) URL of GitHub's REST API ` +
        `(${DEFAULT_API_URL}, or https://<host>/api/v3 for GitHub Enterprise Server). ` +
        `Fix: correct it, or unset it for github.com.`,
    );
  }
  return value.replace(/\/+$/, "");
}

/**
 * fetch with a bound on each attempt. A timeout rejects with a TimeoutError, which Octokit turns
 * into a retryable failure (an AbortError it would not retry).
 */
function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}
