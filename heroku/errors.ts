// Errors of the Heroku Platform API client. They carry what a provider needs to decide (status,
// Heroku's error id) and what a person needs to act (method, path, request id); never the token.

/** What went wrong on the wire when no HTTP answer came back. */
export type NetworkFailure = "timeout" | "reset" | "unreachable";

/** What the client knows about a request that failed: for messages and for adopt decisions. */
interface RequestContext {
  readonly method: string;
  readonly path: string;
  /** How many times the request was sent. */
  readonly attempts: number;
  /** Milliseconds from the first attempt to giving up. */
  readonly elapsedMs: number;
}

/** An HTTP answer from the Platform API that is not a success (or a success with a broken body). */
export class HerokuApiError extends Error {
  /** HTTP status (422, 404, 503, ...). */
  readonly status: number;
  /** Heroku's error id (`invalid_params`, `not_found`, `rate_limit`), or `malformed_response`. */
  readonly id: string;
  /** Heroku's own message, as it sent it (without the client's context). */
  readonly herokuMessage: string;
  /** Heroku's documentation link for the error, when it sent one. */
  readonly url?: string;
  /** The `Request-Id` response header: quote it to Heroku support. */
  readonly requestId?: string;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;

  constructor(
    fields: RequestContext & {
      status: number;
      id: string;
      herokuMessage: string;
      url?: string;
      requestId?: string;
    },
  ) {
    const request = fields.requestId ? ` [request id ${fields.requestId}]` : "";
    const message = describeFailure(
      fields,
      `answered ${fields.status} ${fields.id}: ${fields.herokuMessage}${request}`,
    );
    super(message);
    keepMessage(this, message);
    this.name = "HerokuApiError";
    this.status = fields.status;
    this.id = fields.id;
    this.herokuMessage = fields.herokuMessage;
    this.url = fields.url;
    this.requestId = fields.requestId;
    this.method = fields.method;
    this.path = fields.path;
    this.attempts = fields.attempts;
  }

  static isInstance(value: unknown): value is HerokuApiError {
    return value instanceof HerokuApiError;
  }
}

/** No HTTP answer: the request timed out, the connection dropped, or the host was unreachable. */
export class HerokuNetworkError extends Error {
  readonly failure: NetworkFailure;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;

  constructor(fields: RequestContext & { failure: NetworkFailure; detail: string }) {
    const message = describeFailure(fields, `${FAILURE_TEXT[fields.failure]} (${fields.detail})`);
    super(message);
    keepMessage(this, message);
    this.name = "HerokuNetworkError";
    this.failure = fields.failure;
    this.method = fields.method;
    this.path = fields.path;
    this.attempts = fields.attempts;
  }

  static isInstance(value: unknown): value is HerokuNetworkError {
    return value instanceof HerokuNetworkError;
  }
}

/** A create whose outcome was uncertain found a resource under the name that is not the one asked. */
export class HerokuAdoptError extends Error {
  /** What was being created, as the caller described it (`app "acme-web"`). */
  readonly description: string;

  constructor(description: string, cause: Error) {
    const message =
      `Heroku create of ${description} had an uncertain outcome (${cause.message}); ` +
      `${description} exists but does not match what slipway asked for, so slipway will not ` +
      `adopt it. Check it in the Heroku Dashboard, then rename or delete it (or choose another ` +
      `name) and run again.`;
    super(message, { cause });
    keepMessage(this, message);
    this.cause = cause;
    this.name = "HerokuAdoptError";
    this.description = description;
  }
}

/** A resource did not reach the state waited for (`client.poll`) in time. */
export class HerokuWaitError extends Error {
  readonly description: string;
  readonly path: string;
  readonly polls: number;
  /** The resource as the last GET answered it. */
  readonly last: unknown;

  constructor(fields: {
    description: string;
    path: string;
    polls: number;
    elapsedMs: number;
    last: unknown;
  }) {
    const message =
      `Heroku: ${fields.description} was not ready after ${Math.round(fields.elapsedMs / 1000)} s ` +
      `(${fields.polls} polls of GET ${fields.path}). It may still finish: check it in the ` +
      `Heroku Dashboard, then run again.`;
    super(message);
    keepMessage(this, message);
    this.name = "HerokuWaitError";
    this.description = fields.description;
    this.path = fields.path;
    this.polls = fields.polls;
    this.last = fields.last;
  }
}

/**
 * Sets the message (and a stack) on the error itself. Serialized into a dynamic provider, a class
 * that extends Error becomes a function calling `Error.call(this, message)`, which sets nothing:
 * without this the engine would print an empty error.
 */
export function keepMessage(error: Error, message: string): void {
  error.message = message;
  if (error.stack === undefined) Error.captureStackTrace(error, keepMessage);
}

const FAILURE_TEXT: Record<NetworkFailure, string> = {
  timeout: "timed out",
  reset: "lost its connection",
  unreachable: "could not reach the API",
};

function describeFailure(context: RequestContext, what: string): string {
  const tries =
    context.attempts > 1
      ? ` (gave up after ${context.attempts} attempts in ${(context.elapsedMs / 1000).toFixed(1)} s)`
      : "";
  return `Heroku API ${context.method} ${context.path} ${what}${tries}`;
}

/**
 * Whether a failed create may have happened anyway: no answer after the request left (timeout,
 * reset), a server error, or a success whose body could not be read.
 */
export function isUncertainOutcome(error: unknown): boolean {
  if (HerokuNetworkError.isInstance(error)) return error.failure !== "unreachable";
  if (HerokuApiError.isInstance(error)) {
    return error.status >= 500 || error.id === MALFORMED_RESPONSE;
  }
  return false;
}

/** Whether `error` is Heroku's answer that the resource does not exist. */
export function isNotFound(error: unknown): error is HerokuApiError {
  return HerokuApiError.isInstance(error) && error.status === 404;
}

/** The id of the error the client makes when an answer's body is not the JSON it should be. */
export const MALFORMED_RESPONSE = "malformed_response";
