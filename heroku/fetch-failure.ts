// What a rejected fetch means, read by shape: fetch's errors may come from another realm (a test
// runner's sandbox), where `instanceof Error` is false for them.

export interface FetchFailure {
  /** The request's AbortSignal.timeout fired. */
  readonly timedOut: boolean;
  /** `fetch failed (connect ECONNREFUSED 127.0.0.1:1)`: the message and its cause's. */
  readonly message: string;
}

export function fetchFailure(error: unknown): FetchFailure {
  const fields = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    cause?: { message?: unknown };
  };
  const message = typeof fields.message === "string" ? fields.message : String(error);
  const cause = typeof fields.cause?.message === "string" ? ` (${fields.cause.message})` : "";
  return { timedOut: fields.name === "TimeoutError", message: `${message}${cause}` };
}
