// What came back from one attempt, judged: the answer, or the error with what the retry rules
// need. Pure functions; the token is only used to scrub it from any text kept.
import { HerokuApiError, HerokuNetworkError, MALFORMED_RESPONSE, NetworkFailure } from "./errors";

/**
 * Which failures a request is retried on. `idempotent`: 429, 5xx, timeout, connection reset,
 * unreachable host, unreadable success body. `unsent`: only when the request surely did not take
 * effect (429, unreachable host); the default for POST, which is never retried blindly.
 */
export type RetryMode = "idempotent" | "unsent";

export interface HerokuResponse<T> {
  readonly status: number;
  /** The parsed JSON body; `undefined` when the answer had none. */
  readonly body: T;
  readonly headers: Headers;
  readonly requestId?: string;
}

/** One attempt's raw result: an HTTP answer (body read as text), or no answer. */
export type Outcome =
  | { kind: "response"; status: number; headers: Headers; text: string }
  | { kind: "network"; failure: NetworkFailure; detail: string };

export type Verdict<T> = { ok: HerokuResponse<T> } | { error: HerokuApiError | HerokuNetworkError };

/** Turns what came back into the answer or an error, with the token scrubbed from any text. */
export function judge<T>(
  outcome: Outcome,
  context: { method: string; path: string; attempts: number; elapsedMs: number },
  apiKey: string,
): Verdict<T> {
  if (outcome.kind === "network") {
    return { error: new HerokuNetworkError({ ...context, ...outcome }) };
  }
  const requestId = outcome.headers.get("request-id") ?? undefined;
  const parsed = parseJson(outcome.text);
  const success = outcome.status >= 200 && outcome.status < 300;
  if (success && parsed.ok) {
    const body = parsed.value as T;
    return { ok: { status: outcome.status, body, headers: outcome.headers, requestId } };
  }
  const fields = parsed.ok && isObject(parsed.value) ? parsed.value : {};
  const unreadable = `the body is not JSON: ${JSON.stringify(snippet(outcome.text))}`;
  const herokuMessage = typeof fields.message === "string" ? fields.message : unreadable;
  const fallbackId = success ? MALFORMED_RESPONSE : "unknown_error";
  return {
    error: new HerokuApiError({
      ...context,
      status: outcome.status,
      id: typeof fields.id === "string" ? fields.id : fallbackId,
      herokuMessage: scrub(herokuMessage, apiKey),
      url: typeof fields.url === "string" ? fields.url : undefined,
      requestId,
    }),
  };
}

export function isRetryable(error: HerokuApiError | HerokuNetworkError, mode: RetryMode): boolean {
  if (HerokuNetworkError.isInstance(error)) {
    return error.failure === "unreachable" || mode === "idempotent";
  }
  if (error.status === 429) return true;
  return mode === "idempotent" && (error.status >= 500 || error.id === MALFORMED_RESPONSE);
}

/** A short word for what went wrong, for retry events: `503`, `timeout`, `malformed_response`. */
export function reasonOf(error: HerokuApiError | HerokuNetworkError): string {
  if (HerokuNetworkError.isInstance(error)) return error.failure;
  return error.id === MALFORMED_RESPONSE ? error.id : String(error.status);
}

const UNREACHABLE_CODES = [
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
];

/** A fetch rejection: "unreachable" when the connection never opened (nothing was sent). */
export function classifyNetworkError(
  error: unknown,
  apiKey: string,
): { failure: NetworkFailure; detail: string } {
  let code: string | undefined;
  let detail = String(error); // an error's (or its innermost cause's) message replaces this
  for (let e: unknown = error; isObject(e); e = e.cause) {
    if (typeof e.code === "string") code = e.code;
    if (typeof e.message === "string") detail = e.message;
  }
  const failure = code !== undefined && UNREACHABLE_CODES.includes(code) ? "unreachable" : "reset";
  return { failure, detail: scrub(code ? `${code}: ${detail}` : detail, apiKey) };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 120 ? `${line.slice(0, 120)}...` : line;
}

function scrub(text: string, apiKey: string): string {
  return text.split(apiKey).join("[redacted]");
}
