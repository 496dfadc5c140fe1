// What a fake route handler receives and returns, and how it answers with a Heroku error.
import type { IncomingHttpHeaders } from "node:http";
import type { FakeState } from "./state";

/** Heroku's error answer: `{ id, message }` with a status. Thrown by handlers. */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

/** A request body: a JSON object whose shape the link's schema has already checked. */
export type Body = Readonly<Record<string, unknown>>;

export interface HandlerContext {
  /** The route key (`GET /apps/{app}`). */
  readonly route: string;
  /** The placeholder values of the path, decoded, in order (`/apps/{app}/addons/{add-on}`). */
  readonly params: readonly string[];
  /** The JSON body, already checked against the link's schema (`{}` when there was none). */
  readonly body: Body;
  readonly headers: IncomingHttpHeaders;
  readonly state: FakeState;
}

export interface HandlerResult {
  /** @default 200 (201 for creates, as Heroku answers) */
  readonly status?: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Range fields Heroku accepts that are another property of the items (`started_at` of builds). */
  readonly rangeAliases?: Readonly<Record<string, string>>;
}

export type Handler = (context: HandlerContext) => HandlerResult;

export function notFound(what: string): FakeHttpError {
  return new FakeHttpError(404, "not_found", `Couldn't find that ${what}.`);
}

export function invalid(message: string): FakeHttpError {
  return new FakeHttpError(422, "invalid_params", message);
}

export function ok(body: unknown, status = 200, headers?: Record<string, string>): HandlerResult {
  return { status, body: structuredClone(body), headers };
}

export function created(body: unknown, headers?: Record<string, string>): HandlerResult {
  return ok(body, 201, headers);
}
