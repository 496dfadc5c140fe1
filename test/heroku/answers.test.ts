// How one attempt's result is judged, without a server: the answer or the exact error, which
// failures are retried in each mode, and how a fetch rejection is classified.
import {
  classifyNetworkError,
  isRetryable,
  judge,
  Outcome,
  reasonOf,
  RetryMode,
} from "../../heroku/answers";
import { HerokuApiError, HerokuNetworkError, MALFORMED_RESPONSE } from "../../heroku/errors";

const TOKEN = "tok-0123456789";
const context = { method: "GET", path: "/apps/acme-web", attempts: 1, elapsedMs: 0 };

function response(status: number, text: string, headers: Record<string, string> = {}): Outcome {
  return { kind: "response", status, headers: new Headers(headers), text };
}

/** The error's fields that the client and the providers read. */
function fieldsOf(outcome: Outcome) {
  const verdict = judge(outcome, context, TOKEN);
  if (!("error" in verdict)) throw new Error(`expected an error, got ${JSON.stringify(verdict)}`);
  const e = verdict.error as HerokuApiError;
  return { status: e.status, id: e.id, herokuMessage: e.herokuMessage, url: e.url };
}

describe("judge", () => {
  test("a success with a JSON body is the answer, with its headers and request id", () => {
    const headers = new Headers({ "request-id": "req-1" });
    const text = '{"name":"acme-web"}';
    const verdict = judge({ kind: "response", status: 200, headers, text }, context, TOKEN);
    expect("ok" in verdict && verdict.ok).toEqual({
      status: 200,
      body: { name: "acme-web" },
      headers,
      requestId: "req-1",
    });
    expect("ok" in verdict && verdict.ok.headers).toBe(headers);
  });

  test.each([
    [200, "{}", true],
    [299, "{}", true],
    [300, "{}", false],
    [199, "{}", false],
  ])("status %i is a success: %s", (status, text, success) => {
    expect("ok" in judge(response(status, text), context, TOKEN)).toBe(success);
  });

  test.each([
    ["no body", ""],
    ["only white space", " \n\t"],
  ])("a success with %s has an undefined body and no request id", (_case, text) => {
    const verdict = judge(response(204, text), context, TOKEN);
    expect("ok" in verdict && [verdict.ok.body, verdict.ok.requestId]).toEqual([
      undefined,
      undefined,
    ]);
  });

  test.each([
    [
      "Heroku's error with its id, message and url",
      response(
        422,
        '{"id":"invalid_params","message":"Name is already taken","url":"https://devcenter.heroku.com/x"}',
      ),
      {
        status: 422,
        id: "invalid_params",
        herokuMessage: "Name is already taken",
        url: "https://devcenter.heroku.com/x",
      },
    ],
    [
      "a 300 with Heroku's fields",
      response(300, '{"id":"multiple","message":"pick one"}'),
      { status: 300, id: "multiple", herokuMessage: "pick one", url: undefined },
    ],
    [
      "fields of the wrong type",
      response(500, '{"id":7,"message":["no"],"url":false}'),
      {
        status: 500,
        id: "unknown_error",
        herokuMessage:
          'the body is not JSON: "{\\"id\\":7,\\"message\\":[\\"no\\"],\\"url\\":false}"',
        url: undefined,
      },
    ],
    [
      "a JSON null",
      response(502, "null"),
      {
        status: 502,
        id: "unknown_error",
        herokuMessage: 'the body is not JSON: "null"',
        url: undefined,
      },
    ],
    [
      "a success whose body is cut off",
      response(200, '{"name":'),
      {
        status: 200,
        id: MALFORMED_RESPONSE,
        herokuMessage: 'the body is not JSON: "{\\"name\\":"',
        url: undefined,
      },
    ],
    [
      "an error page, white space folded",
      response(503, "  <h1>Down</h1>\n\n  back   soon "),
      {
        status: 503,
        id: "unknown_error",
        herokuMessage: 'the body is not JSON: "<h1>Down</h1> back soon"',
        url: undefined,
      },
    ],
    [
      "an error body of exactly 120 characters, kept whole",
      response(500, "y".repeat(120)),
      {
        status: 500,
        id: "unknown_error",
        herokuMessage: `the body is not JSON: "${"y".repeat(120)}"`,
        url: undefined,
      },
    ],
    [
      "an error body of 121 characters, cut at 120",
      response(500, "y".repeat(121)),
      {
        status: 500,
        id: "unknown_error",
        herokuMessage: `the body is not JSON: "${"y".repeat(120)}..."`,
        url: undefined,
      },
    ],
    [
      "a message that quotes the token",
      response(401, `{"id":"unauthorized","message":"bad key ${TOKEN} and ${TOKEN}"}`),
      {
        status: 401,
        id: "unauthorized",
        herokuMessage: "bad key [redacted] and [redacted]",
        url: undefined,
      },
    ],
    [
      "a body that is not JSON and quotes the token",
      response(500, `token=${TOKEN}`),
      {
        status: 500,
        id: "unknown_error",
        herokuMessage: 'the body is not JSON: "token=[redacted]"',
        url: undefined,
      },
    ],
  ])("%s", (_case, outcome, expected) => {
    expect(fieldsOf(outcome)).toEqual(expected);
  });

  test("an error keeps the request context and the request id", () => {
    const verdict = judge(
      response(404, '{"id":"not_found","message":"gone"}', { "request-id": "req-9" }),
      { method: "DELETE", path: "/apps/x", attempts: 2, elapsedMs: 1500 },
      TOKEN,
    );
    expect("error" in verdict && verdict.error.message).toBe(
      "Heroku API DELETE /apps/x answered 404 not_found: gone [request id req-9] (gave up after 2 attempts in 1.5 s)",
    );
  });

  test("no answer is a network error with the failure and its detail", () => {
    const verdict = judge(
      { kind: "network", failure: "timeout", detail: "after 30 s" },
      context,
      TOKEN,
    );
    const error = "error" in verdict ? (verdict.error as HerokuNetworkError) : undefined;
    expect([error?.name, error?.failure, error?.message]).toEqual([
      "HerokuNetworkError",
      "timeout",
      "Heroku API GET /apps/acme-web timed out (after 30 s)",
    ]);
  });
});

describe("which failures are retried", () => {
  const api = (status: number, id = "x") =>
    new HerokuApiError({ ...context, status, id, herokuMessage: "m" });
  const network = (failure: "timeout" | "reset" | "unreachable") =>
    new HerokuNetworkError({ ...context, failure, detail: "d" });

  test.each([
    ["a timeout", network("timeout"), true, false],
    ["a reset", network("reset"), true, false],
    ["an unreachable host", network("unreachable"), true, true],
    ["a 429", api(429), true, true],
    ["a 500", api(500), true, false],
    ["a 503", api(503), true, false],
    ["a 499", api(499), false, false],
    ["a 422", api(422), false, false],
    ["a 404", api(404), false, false],
    ["a success with a cut-off body", api(200, MALFORMED_RESPONSE), true, false],
  ])("%s: idempotent %s, unsent %s", (_case, error, idempotent, unsent) => {
    const modes: RetryMode[] = ["idempotent", "unsent"];
    expect(modes.map((mode) => isRetryable(error, mode))).toEqual([idempotent, unsent]);
  });

  test("the reason each retry event gives", () => {
    expect(
      [network("timeout"), network("unreachable"), api(503), api(200, MALFORMED_RESPONSE)].map(
        reasonOf,
      ),
    ).toEqual(["timeout", "unreachable", "503", MALFORMED_RESPONSE]);
  });
});

describe("classifyNetworkError", () => {
  /** A fetch rejection as undici makes it: `fetch failed` with the socket error as its cause. */
  const rejection = (code: string | undefined, message: string) =>
    new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });

  test.each([
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "UND_ERR_CONNECT_TIMEOUT",
  ])("%s: the connection never opened, so nothing was sent", (code) => {
    expect(classifyNetworkError(rejection(code, "no way"), TOKEN)).toEqual({
      failure: "unreachable",
      detail: `${code}: no way`,
    });
  });

  test.each([
    ["a reset socket", rejection("ECONNRESET", "read ECONNRESET"), "ECONNRESET: read ECONNRESET"],
    ["no code", rejection(undefined, "other side closed"), "other side closed"],
    ["a plain error", new Error("fetch failed"), "fetch failed"],
    ["not an error at all", "boom", "boom"],
    ["an object that is not an Error", { message: "socket hang up" }, "socket hang up"],
    [
      "a code on the error itself",
      Object.assign(new Error("own"), { code: "EPIPE" }),
      "EPIPE: own",
    ],
  ])("%s may have been sent: reset, %j", (_case, error, detail) => {
    expect(classifyNetworkError(error, TOKEN)).toEqual({ failure: "reset", detail });
  });

  test("the innermost code and message win, and the token is scrubbed", () => {
    const inner = Object.assign(new Error(`connect to ${TOKEN}@host`), { code: "ENOTFOUND" });
    const middle = Object.assign(new Error("middle"), { code: "ECONNRESET", cause: inner });
    expect(classifyNetworkError(new TypeError("fetch failed", { cause: middle }), TOKEN)).toEqual({
      failure: "unreachable",
      detail: "ENOTFOUND: connect to [redacted]@host",
    });
  });
});
