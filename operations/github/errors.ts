// What went wrong talking to GitHub, in words a person can act on. Octokit throws a RequestError
// (`name: "HttpError"`) for every failed answer, after its retry and throttling plugins gave up;
// these helpers turn one into slipway's errors: a token problem is bad input (SlipwayError, the
// fix names GITHUB_TOKEN), anything else a GithubApiError that says what GitHub answered.
import { SlipwayError } from "../../errors";
import { TOKEN_ENV } from "./client";

/** The parts of Octokit's RequestError slipway reads (the class itself is ESM-only). */
export interface OctokitRequestError {
  readonly name: "HttpError";
  readonly status: number;
  readonly message: string;
  readonly request: { readonly method: string; readonly url: string };
  readonly response?: {
    readonly headers: Readonly<Record<string, string | number | undefined>>;
    readonly data?: unknown;
  };
}

export function isOctokitRequestError(value: unknown): value is OctokitRequestError {
  const candidate = value as Partial<OctokitRequestError> | undefined;
  return (
    value instanceof Error &&
    candidate?.name === "HttpError" &&
    typeof candidate.status === "number" &&
    typeof candidate.request?.url === "string"
  );
}

/** A GitHub answer slipway could not use: a server error, a rate limit, a network failure. */
export class GithubApiError extends Error {
  /** HTTP status; 500 when no answer came back (Octokit's convention for network failures). */
  readonly status: number;
  readonly method: string;
  /** The request's path and query (`/repos/acme/web/compare/a...b?page=1`). */
  readonly path: string;
  /** GitHub's `x-github-request-id`: quote it to GitHub support. */
  readonly requestId?: string;

  constructor(fields: {
    status: number;
    method: string;
    path: string;
    detail: string;
    requestId?: string;
  }) {
    const id = fields.requestId ? ` [request id ${fields.requestId}]` : "";
    super(`GitHub: ${fields.method} ${fields.path}: ${fields.detail}${id}`);
    this.name = "GithubApiError";
    this.status = fields.status;
    this.method = fields.method;
    this.path = fields.path;
    this.requestId = fields.requestId;
  }

  static isInstance(value: unknown): value is GithubApiError {
    return value instanceof GithubApiError;
  }
}

/** The path and query of a request URL: what a message shows of it. */
function requestPath(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * The error to throw for a failed request: `SlipwayError` when the token is the problem (401, a
 * 403 that is no rate limit), else a `GithubApiError` saying what GitHub answered and, for rate
 * limits, until when.
 */
export function githubFailure(error: OctokitRequestError, repository: string): Error {
  const headers = error.response?.headers ?? {};
  const method = error.request.method;
  const path = requestPath(error.request.url);
  const requestId = header(headers, "x-github-request-id");
  const githubMessage = messageOf(error);
  const status = error.status;
  if (status === 401) {
    return SlipwayError.of(
      TOKEN_ENV,
      `GitHub refused the token (401 ${githubMessage}) for ${method} ${path}. ` +
        `Allowed: a valid token that can read ${repository}. Fix: set ${TOKEN_ENV} to a fresh ` +
        `token (in GitHub Actions: env GITHUB_TOKEN: \${{ github.token }}).`,
    );
  }
  if (status === 403 || status === 429) {
    if (header(headers, "x-ratelimit-remaining") === "0") {
      const reset = Number(header(headers, "x-ratelimit-reset"));
      const until =
        Number.isFinite(reset) && reset > 0
          ? new Date(reset * 1000).toISOString()
          : "GitHub's next reset";
      return new GithubApiError({
        status,
        method,
        path,
        requestId,
        detail: `the token's API rate limit is used up until ${until} (${status} ${githubMessage}). Run again after that time, or with a token that has its own limit.`,
      });
    }
    if (/secondary rate limit/i.test(githubMessage)) {
      return new GithubApiError({
        status,
        method,
        path,
        requestId,
        detail: `GitHub's secondary rate limit still held after the retries (${status} ${githubMessage}). Run again in a few minutes.`,
      });
    }
    if (status === 403) {
      return SlipwayError.of(
        TOKEN_ENV,
        `GitHub refused ${method} ${path} (403 ${githubMessage}). Allowed: a token that can read ` +
          `${repository}'s contents and pull requests. Fix: give the token that access, or set ` +
          `${TOKEN_ENV} to one that has it.`,
      );
    }
  }
  const detail =
    status >= 500 && error.response === undefined
      ? `no answer (${githubMessage})`
      : `answered ${status} (${githubMessage})`;
  return new GithubApiError({ status, method, path, requestId, detail });
}

function header(
  headers: Readonly<Record<string, string | number | undefined>>,
  name: string,
): string | undefined {
  const value = headers[name];
  return value === undefined ? undefined : String(value);
}

/** GitHub's own words: the `message` of its JSON error body, else Octokit's message. */
function messageOf(error: OctokitRequestError): string {
  const data = error.response?.data as { message?: unknown } | undefined;
  return typeof data?.message === "string" ? data.message : error.message;
}
