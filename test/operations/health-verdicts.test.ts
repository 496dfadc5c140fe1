// The health check's verdicts at their edges, against scripted dyno lists and scripted answers
// (no server): which dynos count, what each probe records, how an answer's release is read, and
// the exact reasons and progress lines. health.test.ts runs the same check against the fake Heroku.
import type { HerokuClient } from "../../heroku/client";
import type { HerokuDyno, ReleaseRef } from "../../heroku/delivery";
import { checkHealth, HealthCheckRequest, healthUrl, namedRelease } from "../../operations/health";
import { fakeClock } from "../heroku/support";

const NEW: ReleaseRef = { id: "release-new", version: 42 };
const OLD: ReleaseRef = { id: "release-old", version: 41 };
const URL = "https://acme-web.herokuapp.com/health";

const dyno = (name: string, state: string, release: ReleaseRef = NEW): HerokuDyno => ({
  id: `id-${name}`,
  name,
  type: name.split(".")[0]!,
  state,
  release,
});

interface Answer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** The fetch rejects with this instead of answering. */
  readonly error?: Error;
  /** Milliseconds of the fake clock the answer takes. */
  readonly takesMs?: number;
}

/**
 * Runs the check: each dyno poll gets the next list (the last one repeats), each probe the next
 * answer (the last one repeats). Window 10 s, 2 checks, 2 s apart unless `request` says otherwise.
 */
async function run(
  polls: HerokuDyno[][],
  answers: Answer[],
  request: Partial<HealthCheckRequest> = {},
) {
  const clock = fakeClock();
  const events: string[] = [];
  const steps: string[] = [];
  const listed: string[] = [];
  const sent: { url: string; init: RequestInit | undefined }[] = [];
  const client = {
    list: (path: string) => {
      listed.push(path);
      return Promise.resolve(polls[Math.min(listed.length, polls.length) - 1]);
    },
  } as unknown as HerokuClient;
  const fetch = async (url: string, init?: RequestInit) => {
    sent.push({ url, init });
    const answer = answers[Math.min(sent.length, answers.length) - 1]!;
    if (answer.takesMs !== undefined) await clock.sleep(answer.takesMs);
    if (answer.error !== undefined) throw answer.error;
    return new Response(answer.body ?? "", {
      status: answer.status ?? 200,
      headers: answer.headers ?? {},
    });
  };
  const verdict = await checkHealth(
    {
      app: "acme-web",
      release: NEW,
      webUrl: "https://acme-web.herokuapp.com/",
      path: "/health",
      windowMs: 10_000,
      checks: 2,
      intervalMs: 2_000,
      ...request,
    },
    {
      client,
      clock,
      progress: (e) => {
        events.push(e.message);
        steps.push(e.step);
      },
      fetch: fetch as typeof globalThis.fetch,
    },
  );
  return { verdict, events, steps, listed, sent, sleeps: clock.sleeps };
}

describe("which dynos count", () => {
  test("only web dynos: a worker crashed on the new release neither fails nor holds the check", async () => {
    const { verdict, listed } = await run(
      [[dyno("web.1", "up"), dyno("worker.1", "crashed")]],
      [{ headers: { "X-Release-Version": "v42" } }],
    );
    expect(verdict).toMatchObject({
      passed: true,
      reason: `2 consecutive 200s from ${URL} naming v42`,
      dynos: {
        ready: true,
        polls: 1,
        waitedMs: 0,
        last: [{ name: "web.1", state: "up", releaseVersion: 42 }],
      },
    });
    expect(listed).toEqual(["/apps/acme-web/dynos"]);
  });

  test("an old release's dyno that crashed is not the new release failing to boot", async () => {
    const { verdict, events } = await run(
      [
        [dyno("web.1", "crashed", OLD), dyno("web.2", "starting")],
        [dyno("web.1", "up"), dyno("web.2", "up")],
      ],
      [{}],
    );
    expect(verdict.passed).toBe(true);
    expect(verdict.dynos).toEqual({
      ready: true,
      polls: 2,
      waitedMs: 2_000,
      last: [
        { name: "web.1", state: "up", releaseVersion: 42 },
        { name: "web.2", state: "up", releaseVersion: 42 },
      ],
    });
    expect(events.slice(0, 2)).toEqual([
      "waiting for web dynos on v42: web.1 crashed on v41, web.2 starting on v42",
      "every web dyno runs v42 and is up",
    ]);
  });

  test("one web dyno up on the new release is not enough while another is still on the old one", async () => {
    const { verdict, steps } = await run(
      [
        [dyno("web.1", "up"), dyno("web.2", "up", OLD)],
        [dyno("web.1", "up"), dyno("web.2", "up")],
      ],
      [{}],
    );
    expect(verdict.dynos.polls).toBe(2);
    expect(steps).toEqual(["health", "health", "health", "health"]);
  });
});

describe("probes", () => {
  test("answers that name no release pass, and the reason says so; each probe asks uncached", async () => {
    const { verdict, events, sent } = await run([[dyno("web.1", "up")]], [{ takesMs: 150 }]);
    expect(verdict.reason).toBe(`2 consecutive 200s from ${URL} naming no release`);
    expect(verdict.probes).toEqual([
      { atMs: 0, status: 200, latencyMs: 150, release: null, ok: true },
      { atMs: 2_150, status: 200, latencyMs: 150, release: null, ok: true },
    ]);
    expect(verdict.elapsedMs).toBe(2_300);
    expect(events.slice(1)).toEqual([
      "GET /health: 200 in 150 ms, 1 of 2 in a row",
      "GET /health: 200 in 150 ms, 2 of 2 in a row",
    ]);
    expect(sent.map((s) => [s.url, s.init?.headers])).toEqual([
      [URL, { "Cache-Control": "no-cache", "User-Agent": "slipway-health-check/1" }],
      [URL, { "Cache-Control": "no-cache", "User-Agent": "slipway-health-check/1" }],
    ]);
    expect(sent.map((s) => s.init?.signal instanceof AbortSignal)).toEqual([true, true]);
  });

  test("a fetch that fails without timing out is a failed probe naming the failure", async () => {
    const refused = new TypeError("fetch failed", {
      cause: new Error("connect ECONNREFUSED 127.0.0.1:1"),
    });
    const { verdict, events } = await run(
      [[dyno("web.1", "up")]],
      [{ error: refused, takesMs: 30 }, {}],
    );
    expect(verdict.passed).toBe(true);
    expect(verdict.probes[0]).toEqual({
      atMs: 0,
      status: null,
      latencyMs: 30,
      release: null,
      ok: false,
      problem: "no answer (fetch failed (connect ECONNREFUSED 127.0.0.1:1))",
    });
    expect(events[1]).toBe(
      "GET /health: no answer in 30 ms (no answer (fetch failed (connect ECONNREFUSED 127.0.0.1:1))), 0 of 2 in a row",
    );
  });

  test("a wrong release is shown with the problem in the progress line", async () => {
    const { events } = await run(
      [[dyno("web.1", "up")]],
      [{ status: 200, headers: { "X-Release-Version": "v41" } }],
      { checks: 1, windowMs: 0 },
    );
    expect(events).toEqual([
      "every web dyno runs v42 and is up",
      "GET /health: 200 in 0 ms naming v41 (the answer names v41, not v42), 0 of 1 in a row",
    ]);
  });
});

describe("the window's reason", () => {
  test("the window closing on a healthy answer reports the last failure before it", async () => {
    const { verdict } = await run(
      [[dyno("web.1", "up")]],
      [{ status: 500 }, {}, { status: 503 }, {}],
      { checks: 3, windowMs: 6_000 },
    );
    expect(verdict.probes.map((p) => p.status)).toEqual([500, 200, 503, 200]);
    expect(verdict.reason).toBe(
      `no 3 consecutive healthy answers from ${URL} within 6 s (4 probes); last failure: HTTP 503`,
    );
  });

  test("no failure at all but too few answers in the window: the reason names no failure", async () => {
    const { verdict, sleeps } = await run([[dyno("web.1", "up")]], [{}], {
      checks: 5,
      windowMs: 4_250,
    });
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toBe(
      `no 5 consecutive healthy answers from ${URL} within 4.3 s (3 probes)`,
    );
    expect(sleeps).toEqual([2_000, 2_000]);
  });
});

describe("the release an answer names", () => {
  test.each([
    ["v42", true],
    ["V42", true],
    ["42", true],
    ["v4", false],
    ["v420", false],
    ["build-v42", false],
    ["v42-rc1", false],
    ["release-42", false],
  ])("the header %s against v42: ok %s", async (named, ok) => {
    const { verdict } = await run(
      [[dyno("web.1", "up")]],
      [{ headers: { "X-Release-Version": named } }],
      { checks: 1, windowMs: 0 },
    );
    expect(verdict.probes).toEqual([
      {
        atMs: 0,
        status: 200,
        latencyMs: 0,
        release: named,
        ok,
        ...(ok ? {} : { problem: `the answer names ${named}, not v42` }),
      },
    ]);
  });

  test("a JSON body's release is read without its surrounding blanks", async () => {
    const { verdict } = await run(
      [[dyno("web.1", "up")]],
      [{ headers: { "Content-Type": "application/json" }, body: '{"releaseVersion":" v42 "}' }],
      { checks: 1, windowMs: 0 },
    );
    expect(verdict.probes.map((p) => [p.release, p.ok])).toEqual([[" v42 ", true]]);
  });

  test.each([
    [
      { "X-Release-Version": "  ", "Content-Type": "application/json" },
      '{"releaseVersion":"v7"}',
      "v7",
    ],
    [{ "Content-Type": "application/json" }, '{"releaseVersion":true}', null],
    [{ "Content-Type": "application/json" }, "null", null],
  ])("namedRelease(%j, %s) is %s", (headers, body, named) => {
    expect(namedRelease(new Headers(headers), body)).toBe(named);
  });

  test.each([
    ["https://acme.example.com//", "//health", "https://acme.example.com/health"],
    ["https://acme.example.com///", "health", "https://acme.example.com/health"],
    ["https://acme.example.com", "api/health", "https://acme.example.com/api/health"],
  ])("healthUrl(%s, %s)", (webUrl, path, url) => {
    expect(healthUrl(webUrl, path)).toBe(url);
  });
});
