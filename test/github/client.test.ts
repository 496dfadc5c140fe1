import { apiUrlOf, createGithubClient, DEFAULT_API_URL } from "../../operations/github/client";
import {
  GithubApiError,
  githubFailure,
  isOctokitRequestError,
  OctokitRequestError,
} from "../../operations/github/errors";
import { SlipwayError } from "../../errors";
import { rejectionOf } from "../heroku/support";
import { client, events, fake, github, useFakeGithub } from "./fake-suite";

useFakeGithub();

const COMPARE = "get /repos/{owner}/{repo}/compare/{basehead}" as const;

/** One comparison of two commits of the fake, as the operations ask for it. */
function compareTwo(client = github) {
  const base = fake.repository.commit();
  const head = fake.repository.commit();
  const send = () =>
    client.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
      owner: "acme",
      repo: "acme-web",
      basehead: `${base}...${head}`,
    });
  return { base, head, send, path: `/repos/acme/acme-web/compare/${base}...${head}` };
}

describe("createGithubClient", () => {
  test("sends the token, slipway's user agent and the API version it was written for", async () => {
    const { send } = compareTwo();
    expect((await send()).status).toBe(200);
    const headers = fake.requests[0]!.headers;
    expect(headers.authorization).toBe(`token ${fake.token}`);
    expect(headers["user-agent"]).toMatch(/^slipway octokit-rest\.js\//);
    expect(headers["x-github-api-version"]).toBe("2022-11-28");
  });

  test.each([undefined, "", "  "])("GITHUB_TOKEN %j: bad input naming it and the fix", (token) => {
    expect(() => createGithubClient({ GITHUB_TOKEN: token })).toThrow(
      new SlipwayError([
        {
          key: "GITHUB_TOKEN",
          message:
            "not set. slipway reads commits and pull requests with it. Allowed: a token that can read " +
            "the application's repository (contents and pull requests). Fix: export GITHUB_TOKEN=<token> " +
            "(in GitHub Actions: env GITHUB_TOKEN: ${{ github.token }}).",
        },
      ]),
    );
  });

  test.each([
    [undefined, DEFAULT_API_URL],
    ["", DEFAULT_API_URL],
    ["https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
  ])("GITHUB_API_URL %j is %s", (value, expected) => {
    expect(apiUrlOf({ GITHUB_API_URL: value })).toBe(expected);
  });

  test.each(["api.github.com", "ftp://ghe.example.com"])(
    "GITHUB_API_URL %j: bad input",
    (value) => {
      expect(() => createGithubClient({ GITHUB_TOKEN: "t", GITHUB_API_URL: value })).toThrow(
        `GITHUB_API_URL: got ${JSON.stringify(value)}. Allowed: an http(s) URL of GitHub's REST API ` +
          "(https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server). " +
          "Fix: correct it, or unset it for github.com.",
      );
    },
  );

  test("Octokit's warnings become progress events; its other logs are dropped", () => {
    github.log.warn("a deprecated endpoint");
    github.log.error("something odd");
    github.log.info("ignored");
    github.log.debug("ignored");
    expect(events).toEqual([{ step: "github", message: "a deprecated endpoint" }]);
  });
});

describe("retries and rate limits", () => {
  test("5xx and dropped connections are retried up to three times", async () => {
    const { send, path } = compareTwo();
    fake.fault(
      COMPARE,
      { kind: "status", status: 500 },
      { kind: "reset" },
      { kind: "status", status: 502 },
    );
    expect((await send()).status).toBe(200);
    expect(fake.log()).toEqual(Array.from({ length: 4 }, () => `GET ${path}`));
  });

  test("an attempt that gets no answer in time is retried", async () => {
    const { send, path } = compareTwo(client({ timeoutMs: 200 }));
    fake.fault(COMPARE, { kind: "stall" });
    expect((await send()).status).toBe(200);
    expect(fake.log()).toEqual([`GET ${path}`, `GET ${path}`]);
  });

  test("4xx answers other than rate limits are not retried", async () => {
    const { send, path } = compareTwo();
    fake.fault(COMPARE, { kind: "status", status: 422, message: "Validation Failed" });
    const error = await rejectionOf<OctokitRequestError>(send());
    expect(error.status).toBe(422);
    expect(fake.log()).toEqual([`GET ${path}`]);
  });

  test("a secondary rate limit is waited out for its Retry-After, and said", async () => {
    const { send, path } = compareTwo();
    fake.fault(COMPARE, { kind: "secondary", retryAfterSeconds: 7 });
    expect((await send()).status).toBe(200);
    expect(fake.log()).toEqual([`GET ${path}`, `GET ${path}`]);
    expect(events).toEqual([
      {
        step: "github",
        message:
          "GitHub's secondary rate limit on GET /repos/{owner}/{repo}/compare/{basehead}: waiting 7 s",
      },
    ]);
  });

  test("a secondary rate limit that holds after two waits fails with what to do", async () => {
    const { send, path } = compareTwo();
    const limit = { kind: "secondary", retryAfterSeconds: 1 } as const;
    fake.fault(COMPARE, limit, limit, limit);
    const error = await rejectionOf<OctokitRequestError>(send());
    expect(fake.log()).toEqual([`GET ${path}`, `GET ${path}`, `GET ${path}`]);
    expect(githubFailure(error, "acme/acme-web").message).toBe(
      `GitHub: GET ${path}: GitHub's secondary rate limit still held after the retries (403 You have exceeded ` +
        "a secondary rate limit. Please wait a few minutes before you try again.). Run again in a few minutes. [request id FAKE:0002]",
    );
  });

  test("a secondary rate limit asking for more than the longest wait is not waited for", async () => {
    const { send, path } = compareTwo(client({ maxRateLimitWaitSeconds: 30 }));
    fake.fault(COMPARE, { kind: "secondary", retryAfterSeconds: 31 });
    await rejectionOf(send());
    expect(fake.log()).toEqual([`GET ${path}`]);
    expect(events).toEqual([]);
  });

  test("the primary rate limit is waited out when its reset has come", async () => {
    const { send, path } = compareTwo();
    fake.fault(COMPARE, { kind: "rate-limit", reset: 1_000_000 });
    expect((await send()).status).toBe(200);
    expect(fake.log()).toEqual([`GET ${path}`, `GET ${path}`]);
    expect(events).toEqual([
      {
        step: "github",
        message: "GitHub's rate limit on GET /repos/{owner}/{repo}/compare/{basehead}: waiting 0 s",
      },
    ]);
  });

  test("the primary rate limit an hour from reset fails at once, saying until when", async () => {
    const { send, path } = compareTwo();
    const reset = Math.floor(Date.now() / 1000) + 3600;
    fake.fault(COMPARE, { kind: "rate-limit", reset });
    const error = await rejectionOf<OctokitRequestError>(send());
    expect(fake.log()).toEqual([`GET ${path}`]);
    const failure = githubFailure(error, "acme/acme-web");
    expect(failure).toBeInstanceOf(GithubApiError);
    expect(failure.message).toBe(
      `GitHub: GET ${path}: the token's API rate limit is used up until ${new Date(reset * 1000).toISOString()} ` +
        "(403 API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include " +
        "the request ID.). Run again after that time, or with a token that has its own limit. [request id FAKE:0000]",
    );
  });

  test("a token GitHub refuses: bad input naming GITHUB_TOKEN", async () => {
    const { send, path } = compareTwo(
      createGithubClient({ GITHUB_TOKEN: "wrong", GITHUB_API_URL: fake.url }, { waitUnitMs: 1 }),
    );
    const error = await rejectionOf<OctokitRequestError>(send());
    expect(fake.log()).toEqual([`GET ${path}`]);
    expect(githubFailure(error, "acme/acme-web").message).toBe(
      `GITHUB_TOKEN: GitHub refused the token (401 Bad credentials) for GET ${path}. Allowed: a valid token ` +
        "that can read acme/acme-web. Fix: set GITHUB_TOKEN to a fresh token (in GitHub Actions: env " +
        "GITHUB_TOKEN: ${{ github.token }}).",
    );
  });
});

describe("githubFailure", () => {
  const requestError = (
    status: number,
    response?: OctokitRequestError["response"],
    message = "fetch failed",
  ): OctokitRequestError =>
    Object.assign(new Error(message), {
      name: "HttpError" as const,
      status,
      request: { method: "GET", url: "https://api.github.com/repos/acme/acme-web/commits/abc" },
      response,
    });

  test("no answer at all (Octokit's status 500 without a response)", () => {
    expect(githubFailure(requestError(500), "acme/acme-web").message).toBe(
      "GitHub: GET /repos/acme/acme-web/commits/abc: no answer (fetch failed)",
    );
  });

  test("a 429 rate limit without a reset time", () => {
    const error = requestError(429, {
      headers: { "x-ratelimit-remaining": 0 },
      data: { message: "slow down" },
    });
    expect(githubFailure(error, "acme/acme-web").message).toBe(
      "GitHub: GET /repos/acme/acme-web/commits/abc: the token's API rate limit is used up until GitHub's next " +
        "reset (429 slow down). Run again after that time, or with a token that has its own limit.",
    );
  });

  test("a 429 that is no rate limit GitHub describes is reported as answered", () => {
    const error = requestError(429, { headers: {}, data: "not json" }, "Too Many Requests");
    expect(githubFailure(error, "acme/acme-web").message).toBe(
      "GitHub: GET /repos/acme/acme-web/commits/abc: answered 429 (Too Many Requests)",
    );
  });

  test("recognises Octokit's errors by shape only", () => {
    expect(isOctokitRequestError(requestError(500))).toBe(true);
    expect(isOctokitRequestError(new Error("plain"))).toBe(false);
    expect(isOctokitRequestError({ name: "HttpError", status: 500, request: { url: "x" } })).toBe(
      false,
    );
    expect(isOctokitRequestError(undefined)).toBe(false);
  });
});
