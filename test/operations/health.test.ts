// The health check: every web dyno on the expected release and up, then N consecutive 200s that
// name no release or the expected one, within the window. Waits run on a fake clock.
import { checkHealth, HealthCheckRequest, healthUrl, namedRelease } from "../../operations/health";
import { released, SHA_A, SHA_B, sequence } from "../heroku/delivery-support";
import type { Release } from "../heroku/fake";
import { APP, useHerokuFixture } from "../heroku/delivery-fixture";

const fixture = useHerokuFixture();

let v3: Release;
beforeEach(async () => {
  const { client, fake } = fixture();
  await released(client, APP, SHA_A);
  fake.delivery.script(APP, { rollout: { oldPolls: 0, startingPolls: 0 } });
});

/** Releases v3 with this rollout, then checks health against it. */
async function check(
  rollout: { oldPolls?: number; startingPolls?: number; finalState?: "up" | "crashed" },
  request: Partial<HealthCheckRequest> = {},
) {
  const { client, fake, clock, progress } = fixture();
  fake.delivery.script(APP, { rollout });
  v3 = (await released(client, APP, SHA_B)).release;
  fake.clearRequests();
  const app = await client.get<{ web_url: string }>(`/apps/${APP}`);
  return checkHealth(
    {
      app: APP,
      release: { id: v3.id, version: v3.version },
      webUrl: app.web_url,
      path: "/health",
      windowMs: 60_000,
      checks: 3,
      intervalMs: 2_000,
      ...request,
    },
    { client, clock, progress, fetch: fake.webFetch },
  );
}

test("preboot: the old dynos keep serving for two polls, then starting, then up; then three 200s naming v3", async () => {
  const verdict = await check({ oldPolls: 2, startingPolls: 1 });
  const { fake, clock, events } = fixture();
  expect(verdict).toMatchObject({
    passed: true,
    reason: `3 consecutive 200s from ${verdict.url} naming v3`,
    dynos: {
      ready: true,
      polls: 4,
      waitedMs: 6_000,
      last: [{ name: "web.1", state: "up", releaseVersion: 3 }],
    },
    elapsedMs: 10_000,
  });
  expect(verdict.probes).toEqual([
    { atMs: 6_000, status: 200, latencyMs: 0, release: "v3", ok: true },
    { atMs: 8_000, status: 200, latencyMs: 0, release: "v3", ok: true },
    { atMs: 10_000, status: 200, latencyMs: 0, release: "v3", ok: true },
  ]);
  expect(sequence(fake).slice(1)).toEqual([
    "GET /apps/{app}/dynos",
    "GET /apps/{app}/dynos",
    "GET /apps/{app}/dynos",
    "GET /apps/{app}/dynos",
    "GET web:/health",
    "GET web:/health",
    "GET web:/health",
  ]);
  expect(clock.sleeps).toEqual([2_000, 2_000, 2_000, 2_000, 2_000]);
  expect(events.map((e) => e.message)).toEqual([
    "waiting for web dynos on v3: web.1 up on v2",
    "waiting for web dynos on v3: web.1 starting on v3",
    "every web dyno runs v3 and is up",
    "GET /health: 200 in 0 ms naming v3, 1 of 3 in a row",
    "GET /health: 200 in 0 ms naming v3, 2 of 3 in a row",
    "GET /health: 200 in 0 ms naming v3, 3 of 3 in a row",
  ]);
});

test("a 500 resets the count: 200, 500, then three 200s pass", async () => {
  fixture().fake.delivery.answerWeb(APP, { status: 200 }, { status: 500 });
  const verdict = await check({});
  expect(verdict.passed).toBe(true);
  expect(verdict.probes.map((p) => [p.status, p.ok, p.problem])).toEqual([
    [200, true, undefined],
    [500, false, "HTTP 500"],
    [200, true, undefined],
    [200, true, undefined],
    [200, true, undefined],
  ]);
});

test("answers naming another release never count; the window ends the check with the reason", async () => {
  const { fake } = fixture();
  fake.delivery.answerWeb(
    APP,
    ...Array.from({ length: 10 }, () => ({ status: 200, release: "v2" })),
  );
  const verdict = await check({}, { windowMs: 10_000 });
  expect(verdict.passed).toBe(false);
  expect(verdict.probes.map((p) => p.atMs)).toEqual([0, 2_000, 4_000, 6_000, 8_000, 10_000]);
  expect(verdict.reason).toBe(
    `no 3 consecutive healthy answers from ${verdict.url} within 10 s (6 probes); last failure: the answer names v2, not v3`,
  );
});

test("a JSON body may name the release instead of the header", async () => {
  const body = JSON.stringify({ status: "ok", releaseVersion: "v2" });
  fixture().fake.delivery.answerWeb(APP, {
    status: 200,
    release: null,
    body,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
  const verdict = await check({}, { checks: 1 });
  expect(verdict.probes[0]).toMatchObject({ release: "v2", ok: false });
  expect(verdict.probes).toHaveLength(2);
});

test("a web dyno crashed on the new release fails at once", async () => {
  const verdict = await check({ finalState: "crashed" });
  expect(verdict).toMatchObject({
    passed: false,
    reason: "web.1 crashed on v3: the new release does not boot",
    dynos: { ready: false, polls: 1 },
    probes: [],
  });
});

test("dynos still on the old release when the window closes fail the check, saying what was seen", async () => {
  const verdict = await check({ oldPolls: 10 }, { windowMs: 10_000 });
  expect(verdict.passed).toBe(false);
  expect(verdict.reason).toBe(
    "the web dynos did not all run v3 and come up within 10 s (last seen: web.1 up on v2)",
  );
  expect(verdict.dynos.polls).toBe(6);
});

test("an app with no web dyno never passes", async () => {
  const { client } = fixture();
  await client.patch(`/apps/${APP}/formation/web`, { quantity: 0 });
  const verdict = await check({}, { windowMs: 4_000 });
  expect(verdict.reason).toBe(
    "the web dynos did not all run v3 and come up within 4 s (last seen: no web dyno)",
  );
});

test("a probe that gets no answer in time is a failed probe, not an error", async () => {
  fixture().fake.delivery.answerWeb(APP, { status: 200, latencyMs: 400 });
  const verdict = await check({}, { checks: 1, probeTimeoutMs: 100 });
  expect(verdict.probes.map((p) => [p.status, p.ok, p.problem])).toEqual([
    [null, false, "no answer within 0.1 s"],
    [200, true, undefined],
  ]);
});

describe("the pieces", () => {
  test.each([
    [
      "https://acme-web-1a2b.herokuapp.com/",
      "/health",
      "https://acme-web-1a2b.herokuapp.com/health",
    ],
    ["https://acme-web-1a2b.herokuapp.com", "health", "https://acme-web-1a2b.herokuapp.com/health"],
    ["https://acme.example.com/app/", "/up?deep=1", "https://acme.example.com/app/up?deep=1"],
  ])("healthUrl(%s, %s)", (webUrl, path, url) => {
    expect(healthUrl(webUrl, path)).toBe(url);
  });

  test.each([
    [{ "X-Release-Version": " v42 " }, "", "v42"],
    [{ "Content-Type": "application/json" }, '{"releaseVersion":42}', "42"],
    [{ "Content-Type": "application/json" }, '{"status":"ok"}', null],
    [{ "Content-Type": "application/json" }, "not json", null],
    [{ "Content-Type": "text/html" }, '{"releaseVersion":"v1"}', null],
    [{}, "", null],
  ])("namedRelease(%j, %s) is %s", (headers, body, named) => {
    expect(namedRelease(new Headers(headers), body)).toBe(named);
  });
});
