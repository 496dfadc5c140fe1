// The Heroku Platform API client slipway's dynamic providers use: Node's fetch, the version 3
// Accept header, Range pagination, a timeout per attempt, bounded retries, and create-or-adopt
// for POSTs. It keeps no token and no socket: the token is read for each attempt (token.ts), so a
// client (or a provider that makes one) serializes without secrets.
import {
  HerokuAdoptError,
  HerokuApiError,
  HerokuWaitError,
  isNotFound,
  isUncertainOutcome,
  MALFORMED_RESPONSE,
} from "./errors";
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  noteRateLimit,
  paceDelayMs,
  parseRetryAfterMs,
  RateLimitState,
  realSleep,
  RetryPolicy,
  sharedRateLimitState,
} from "./retry";
import {
  classifyNetworkError,
  HerokuResponse,
  isRetryable,
  judge,
  Outcome,
  reasonOf,
  RetryMode,
} from "./answers";
import { resolveApiKey } from "./token";

export type { HerokuResponse, RetryMode } from "./answers";

export const API_URL_ENV = "HEROKU_API_URL";
export const DEFAULT_API_URL = "https://api.heroku.com";
export const ACCEPT_HEADER = "application/vnd.heroku+json; version=3";
export const USER_AGENT = "slipway-heroku-client/1 (+pulumi dynamic providers)";
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The largest page Heroku serves (`Range: ...; max=1000`). */
export const MAX_PAGE_SIZE = 1000;

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface HerokuClientOptions {
  /** The API's base URL. @default `HEROKU_API_URL` at the time of each request, else https://api.heroku.com */
  readonly baseUrl?: string;
  /** Milliseconds one attempt may take, answer body included. @default 30000 */
  readonly timeoutMs?: number;
  /** Retry bounds and pacing; fields not given keep their defaults. @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<RetryPolicy>;
  /** Waits between attempts; tests pass a fake that advances their clock. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Jitter source in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Where the last `RateLimit-Remaining` is remembered. @default one state shared by the process */
  readonly rateLimit?: RateLimitState;
  /** Told about each retry before its wait (never given the token). @default none */
  readonly onRetry?: (event: RetryEvent) => void;
  /**
   * Where `HEROKU_API_KEY` and `HEROKU_API_URL` are read, at each request: a command passes its
   * own environment. @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface RequestOptions {
  /** Sent as JSON, the same bytes on every attempt. */
  readonly body?: unknown;
  /** Extra headers (`Range`); `Authorization` is always the client's. */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default "unsent" for POST, "idempotent" for the others */
  readonly retry?: RetryMode;
}

export interface RetryEvent {
  readonly method: string;
  readonly path: string;
  /** The attempt that failed (1 for the first). */
  readonly attempt: number;
  /** `429`, `503`, `timeout`, `reset`, `unreachable`, `malformed_response`. */
  readonly reason: string;
  readonly delayMs: number;
}

export interface ListOptions {
  /** Items per page (at most 1000). @default 1000 */
  readonly pageSize?: number;
  /** The field Heroku ranges over. @default "id" */
  readonly rangeField?: string;
}

export interface CreateOrAdoptRequest<T> {
  /** Where to POST (`/apps`). */
  readonly path: string;
  readonly body: unknown;
  /** The resource's path by its unique name (`/apps/acme-web`), or a function that finds it. */
  readonly lookup: string | (() => Promise<T | undefined>);
  /** Whether a resource found under the name is the one asked for (same region, owner, ...). */
  readonly matches: (found: T) => boolean;
  /** Names the resource in messages: `app "acme-web"`. */
  readonly description: string;
}

export interface PollOptions<T> {
  /** Whether the resource is ready (`addon.state === "provisioned"`). */
  readonly until: (resource: T) => boolean;
  /** Names the resource in the timeout message: `add-on "acme-db"`. */
  readonly description: string;
  /** Milliseconds between GETs. @default 2000 */
  readonly intervalMs?: number;
  /** Milliseconds of polling after which the wait fails. @default 600000 (10 minutes) */
  readonly timeoutMs?: number;
}

export interface CreateOrAdoptResult<T> {
  readonly resource: T;
  /** True when the resource was found after an uncertain or refused create, not created now. */
  readonly adopted: boolean;
  /** The create's answer headers (`Heroku-Webhook-Secret`); absent when adopted. */
  readonly headers?: Headers;
}

export class HerokuClient {
  private readonly options: HerokuClientOptions;

  constructor(options: HerokuClientOptions = {}) {
    this.options = options;
  }

  /** The retry policy in force (defaults merged with the options). */
  get retryPolicy(): RetryPolicy {
    return { ...DEFAULT_RETRY_POLICY, ...this.options.retry };
  }

  /** GET one resource; a 404 is a `HerokuApiError` (see `getOrUndefined`). */
  async get<T>(path: string): Promise<T> {
    return (await this.request<T>("GET", path)).body;
  }

  /** GET one resource, or `undefined` when Heroku answers 404 (the resource is gone). */
  async getOrUndefined<T>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** POST, retried only when it surely did not take effect; prefer `createOrAdopt` for creates. */
  async post<T>(path: string, body?: unknown): Promise<T> {
    return (await this.request<T>("POST", path, { body })).body;
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>("PATCH", path, { body })).body;
  }

  /** PUT replaces a whole collection (buildpack installations), so it is retried like PATCH. */
  async put<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>("PUT", path, { body })).body;
  }

  async delete<T>(path: string): Promise<T> {
    return (await this.request<T>("DELETE", path)).body;
  }

  /** DELETE where a 404 means done (already gone): answers `undefined` then. */
  async deleteIgnoringNotFound<T>(path: string): Promise<T | undefined> {
    try {
      return await this.delete<T>(path);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Every item of a list, following `Next-Range` from page to page. */
  async list<T>(path: string, options: ListOptions = {}): Promise<T[]> {
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? MAX_PAGE_SIZE));
    let range = `${options.rangeField ?? "id"} ..; max=${pageSize}`;
    const items: T[] = [];
    for (;;) {
      const page = await this.request<T[]>("GET", path, { headers: { Range: range } });
      if (!Array.isArray(page.body)) {
        throw this.malformed("GET", path, page, "a list was expected");
      }
      items.push(...page.body);
      const next = page.headers.get("next-range");
      if (page.status !== 206 || !next) return items;
      if (next === range) throw this.malformed("GET", path, page, "Next-Range did not advance");
      range = next;
    }
  }

  /**
   * Creates a resource whose name is unique, without ever creating it twice. The POST is sent
   * once. When its outcome is uncertain (timeout, reset, 5xx, unreadable answer), the resource is
   * looked up by name: adopted if it `matches`, an error if it does not, and the POST is sent
   * again (within the retry bounds) if it is absent. A 409 or 422 (the name is taken) is looked
   * up the same way; any other 4xx is the error.
   */
  async createOrAdopt<T>(request: CreateOrAdoptRequest<T>): Promise<CreateOrAdoptResult<T>> {
    const policy = this.retryPolicy;
    const start = this.now();
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      try {
        const created = await this.request<T>("POST", request.path, { body: request.body });
        return { resource: created.body, adopted: false, headers: created.headers };
      } catch (error) {
        failure = error;
      }
      const taken = HerokuApiError.isInstance(failure) && [409, 422].includes(failure.status);
      if (!taken && !isUncertainOutcome(failure)) throw failure;
      const found = await this.lookup(request);
      if (found !== undefined) {
        if (request.matches(found)) return { resource: found, adopted: true };
        if (taken) throw failure;
        throw new HerokuAdoptError(request.description, failure as Error);
      }
      if (taken) throw failure;
      const delayMs = backoffDelayMs(attempt, policy, () => this.random());
      if (attempt >= policy.maxAttempts || this.now() - start + delayMs > policy.maxTotalMs) {
        throw failure;
      }
      this.options.onRetry?.({
        method: "POST",
        path: request.path,
        attempt,
        reason: reasonOf(failure as HerokuApiError),
        delayMs,
      });
      await this.sleep(delayMs);
    }
  }

  /**
   * GETs `path` every `intervalMs` until `until` accepts the resource (an add-on `provisioned`),
   * for at most `timeoutMs`; then a `HerokuWaitError`. `until` may throw to stop early (a state
   * the resource will not leave). Each GET has the usual retries; a 404 ends the wait.
   */
  async poll<T>(path: string, options: PollOptions<T>): Promise<T> {
    const intervalMs = options.intervalMs ?? 2_000;
    const timeoutMs = options.timeoutMs ?? 600_000;
    const start = this.now();
    for (let polls = 1; ; polls++) {
      const resource = await this.get<T>(path);
      if (options.until(resource)) return resource;
      const elapsedMs = this.now() - start;
      if (elapsedMs + intervalMs > timeoutMs) {
        throw new HerokuWaitError({
          description: options.description,
          path,
          polls,
          elapsedMs,
          last: resource,
        });
      }
      await this.sleep(intervalMs);
    }
  }

  /** One API call with retries per its mode; the answer, or the last failure as an error. */
  async request<T>(
    method: HttpMethod,
    path: string,
    options: RequestOptions = {},
  ): Promise<HerokuResponse<T>> {
    if (!path.startsWith("/")) throw new Error(`Heroku API path must start with "/": ${path}`);
    const mode = options.retry ?? (method === "POST" ? "unsent" : "idempotent");
    const bodyText = options.body === undefined ? undefined : JSON.stringify(options.body);
    const policy = this.retryPolicy;
    const start = this.now();
    for (let attempt = 1; ; attempt++) {
      // Pace the first try only: a retry has just waited its backoff or Retry-After.
      const pauseMs = attempt === 1 ? paceDelayMs(this.rateLimit, policy, this.now()) : 0;
      if (pauseMs > 0) await this.sleep(pauseMs);
      const apiKey = resolveApiKey(this.options.env);
      const outcome = await this.send(method, path, bodyText, options.headers, apiKey);
      if (outcome.kind === "response") {
        noteRateLimit(this.rateLimit, outcome.headers.get("ratelimit-remaining"), this.now());
      }
      const context = { method, path, attempts: attempt, elapsedMs: this.now() - start };
      const verdict = judge<T>(outcome, context, apiKey);
      if ("ok" in verdict) return verdict.ok;
      const error = verdict.error;
      if (!isRetryable(error, mode)) throw error;
      const retryAfterMs =
        outcome.kind === "response"
          ? parseRetryAfterMs(outcome.headers.get("retry-after"), this.now())
          : undefined;
      const delayMs = retryAfterMs ?? backoffDelayMs(attempt, policy, () => this.random());
      if (attempt >= policy.maxAttempts || this.now() - start + delayMs > policy.maxTotalMs) {
        throw error;
      }
      this.options.onRetry?.({ method, path, attempt, reason: reasonOf(error), delayMs });
      await this.sleep(delayMs);
    }
  }

  private async lookup<T>(request: CreateOrAdoptRequest<T>): Promise<T | undefined> {
    return typeof request.lookup === "string"
      ? this.getOrUndefined<T>(request.lookup)
      : request.lookup();
  }

  private async send(
    method: HttpMethod,
    path: string,
    bodyText: string | undefined,
    extraHeaders: Readonly<Record<string, string>> | undefined,
    apiKey: string,
  ): Promise<Outcome> {
    const baseUrl =
      this.options.baseUrl ?? (this.options.env ?? process.env)[API_URL_ENV] ?? DEFAULT_API_URL;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const headers: Record<string, string> = {
      Accept: ACCEPT_HEADER,
      "User-Agent": USER_AGENT,
      ...(bodyText === undefined ? {} : { "Content-Type": "application/json" }),
      ...extraHeaders,
      Authorization: `Bearer ${apiKey}`,
    };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(`${baseUrl.replace(/\/+$/, "")}${path}`, {
        method,
        headers,
        body: bodyText,
        signal: controller.signal,
      });
      const text = await response.text();
      return { kind: "response", status: response.status, headers: response.headers, text };
    } catch (error) {
      if (controller.signal.aborted) {
        return { kind: "network", failure: "timeout", detail: `no answer within ${timeoutMs} ms` };
      }
      return { kind: "network", ...classifyNetworkError(error, apiKey) };
    } finally {
      clearTimeout(timer);
    }
  }

  private malformed(method: string, path: string, page: HerokuResponse<unknown>, why: string) {
    return new HerokuApiError({
      method,
      path,
      attempts: 1,
      elapsedMs: 0,
      status: page.status,
      id: MALFORMED_RESPONSE,
      herokuMessage: why,
      requestId: page.requestId,
    });
  }

  private get rateLimit(): RateLimitState {
    return this.options.rateLimit ?? sharedRateLimitState();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private random(): number {
    return (this.options.random ?? Math.random)();
  }

  private sleep(ms: number): Promise<void> {
    return (this.options.sleep ?? realSleep)(ms);
  }
}

/**
 * A path with each interpolated value URI-encoded as one segment:
 * herokuPath`/apps/${name}/addons/${addon}`.
 */
export function herokuPath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce(
    (path, part, i) => path + part + (i < values.length ? encodeURIComponent(values[i]!) : ""),
    "",
  );
}
