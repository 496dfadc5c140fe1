// The fake Platform API itself: it must refuse what Heroku refuses (bad Accept, bad token, bodies
// the schema rejects), page like Heroku, and fail on cue.
import { FakeHeroku, Faults, startFakeHeroku } from "./fake";
import { raw } from "./support";

let fake: FakeHeroku;
const call = (
  method: string,
  path: string,
  options: { body?: unknown; text?: string; headers?: Record<string, string> } = {},
) => raw(fake.url, method, path, { token: fake.token, ...options });

beforeAll(async () => {
  fake = await startFakeHeroku({ pageSize: 2 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());
afterEach(() => expect(fake.answerProblems).toEqual([]));

describe("what every request must carry", () => {
  test.each([
    ["no Accept header", { Accept: "" }],
    ["JSON without the Heroku type", { Accept: "application/json" }],
    ["another version", { Accept: "application/vnd.heroku+json; version=2" }],
  ])("%s is refused with 400 missing_version", async (_case, headers) => {
    const answer = await call("GET", "/apps", { headers });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ id: "missing_version" });
  });

  test.each([
    ["no Authorization header", undefined],
    ["a wrong token", "Bearer not-the-token"],
    ["a token without Bearer", "fake-heroku-token-0123456789"],
  ])("%s is refused with 401 unauthorized", async (_case, authorization) => {
    const answer = await raw(fake.url, "GET", "/apps", {
      headers: authorization === undefined ? {} : { Authorization: authorization },
    });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ id: "unauthorized", message: "Invalid credentials provided." });
  });

  test("a path the schema does not know is 404 not_found; one the fake does not serve is 501", async () => {
    expect((await call("GET", "/nothing-here")).json).toMatchObject({ id: "not_found" });
    expect((await call("GET", "/nothing-here")).status).toBe(404);
    const unserved = await call("GET", "/account/invoices");
    expect(unserved.status).toBe(501);
    expect(unserved.json).toMatchObject({ id: "not_implemented" });
  });

  test("a body that is not JSON is 400 bad_request", async () => {
    const answer = await call("POST", "/apps", {
      text: "{name: x",
      headers: { "Content-Type": "application/json" },
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ id: "bad_request" });
  });

  test("every answer carries Request-Id and RateLimit-Remaining, which falls per request", async () => {
    fake.setRateLimitRemaining(10);
    const first = await call("GET", "/apps");
    const second = await call("GET", "/apps");
    expect(first.headers.get("ratelimit-remaining")).toBe("9");
    expect(second.headers.get("ratelimit-remaining")).toBe("8");
    expect(first.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.headers.get("request-id")).not.toBe(second.headers.get("request-id"));
  });

  test("with no budget left the answer is 429 rate_limit", async () => {
    fake.setRateLimitRemaining(1);
    expect((await call("GET", "/apps")).status).toBe(200);
    const refused = await call("GET", "/apps");
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ id: "rate_limit" });
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
  });
});

describe("request bodies are checked against the schema", () => {
  test.each([
    [
      "POST",
      "/apps",
      { name: "Bad_Name" },
      'name: must match pattern "^[a-z][a-z0-9-]{1,28}[a-z0-9]$"',
    ],
    ["POST", "/apps", { name: 42 }, "name: must be string"],
    [
      "PATCH",
      "/apps/app-one/config-vars",
      { "BAD-KEY": "x" },
      "BAD-KEY: must NOT have additional properties",
    ],
    ["PATCH", "/apps/app-one/config-vars", { PORT: 3000 }, "PORT: must be string,null"],
    ["PATCH", "/apps/app-one", { maintenance: "yes" }, "maintenance: must be boolean"],
    ["POST", "/pipelines", {}, "name: must have required property"],
    [
      "POST",
      "/pipelines",
      { name: "acme", owner: { id: "x", type: "org" } },
      'owner.id: must match format "uuid"; owner.type: must match pattern "(^team$|^user$)"',
    ],
    ["POST", "/apps/app-one/addons", {}, "plan: must have required property"],
    [
      "PATCH",
      "/apps/app-one/formation",
      { updates: [{ type: "web", size: "basic" }] },
      "updates.0.size: must NOT have additional properties",
    ],
    [
      "PATCH",
      "/apps/app-one/formation",
      { updates: [{ type: "web", quantity: "2" }] },
      "updates.0.quantity: must be integer",
    ],
    [
      "POST",
      "/apps/app-one/webhooks",
      { include: ["api:release"], level: "loud", url: "https://x.test/h" },
      "level: must be equal to one of the allowed values",
    ],
    [
      "POST",
      "/apps/app-one/webhooks",
      { include: ["api:release"], level: "notify", url: "not a url" },
      'url: must match format "uri"',
    ],
    ["PATCH", "/apps/app-one/features/preboot", {}, "enabled: must have required property"],
  ])("%s %s %j is 422 invalid_params: %s", async (method, path, body, message) => {
    await call("POST", "/apps", { body: { name: "app-one" } });
    const answer = await call(method, path, { body });
    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({ id: "invalid_params", message });
  });

  test("a coupling names its pipeline by id: a name is refused by the schema", async () => {
    await call("POST", "/apps", { body: { name: "app-one" } });
    await call("POST", "/pipelines", { body: { name: "acme-web" } });
    const answer = await call("POST", "/pipeline-couplings", {
      body: { app: "app-one", pipeline: "acme-web", stage: "staging" },
    });
    expect(answer.status).toBe(422);
    expect(answer.json).toMatchObject({ message: 'pipeline: must match format "uuid"' });
  });

  test("routes whose href takes an id answer 404 to a name", async () => {
    await call("POST", "/pipelines", { body: { name: "acme-web" } });
    expect((await call("GET", "/pipelines/acme-web")).status).toBe(200);
    expect((await call("DELETE", "/pipelines/acme-web")).status).toBe(404);
  });
});

describe("paging", () => {
  beforeEach(async () => {
    for (const name of ["app-a", "app-b", "app-c", "app-d", "app-e"]) {
      await call("POST", "/apps", { body: { name } });
    }
  });

  test("lists answer 206 with Next-Range while more remain, then 200", async () => {
    const names: string[] = [];
    let range = "id ..; max=1000";
    const statuses: number[] = [];
    for (;;) {
      const page = await call("GET", "/apps", { headers: { Range: range } });
      statuses.push(page.status);
      names.push(...(page.json as { name: string }[]).map((a) => a.name));
      const next = page.headers.get("next-range");
      if (!next) break;
      range = next;
    }
    expect(statuses).toEqual([206, 206, 200]);
    expect(names).toEqual(["app-a", "app-b", "app-c", "app-d", "app-e"]);
    expect(fake.count("GET /apps")).toBe(3);
  });

  test("Next-Range excludes the last item seen and keeps max and order", async () => {
    const page = await call("GET", "/apps", { headers: { Range: "name ..; max=1, order=desc" } });
    expect(page.status).toBe(206);
    expect((page.json as { name: string }[]).map((a) => a.name)).toEqual(["app-e"]);
    expect(page.headers.get("next-range")).toBe("name ]app-e..; max=1, order=desc");
    expect(page.headers.get("content-range")).toBe("name app-e..app-e");
    const next = await call("GET", "/apps", {
      headers: { Range: "name ]app-e..app-d; max=1, order=desc" },
    });
    expect(next.status).toBe(200);
    expect((next.json as { name: string }[]).map((a) => a.name)).toEqual(["app-d"]);
  });

  test.each([
    ["an unknown field", "colour ..; max=10"],
    ["a max over 1000", "id ..; max=1001"],
    ["no range at all", "id"],
  ])("%s is 400 invalid_range", async (_case, range) => {
    const page = await call("GET", "/apps", { headers: { Range: range } });
    expect(page.status).toBe(400);
    expect(page.json).toMatchObject({ id: "invalid_range" });
  });
});

describe("scripted faults", () => {
  test("queued faults apply once each, in order, to the route they name", async () => {
    fake.fault("GET /apps/{app}", Faults.rateLimited(2), Faults.unavailable());
    await call("POST", "/apps", { body: { name: "app-one" } });
    const first = await call("GET", "/apps/app-one");
    const second = await call("GET", "/apps/app-one");
    const third = await call("GET", "/apps/app-one");
    expect([first.status, second.status, third.status]).toEqual([429, 503, 200]);
    expect(first.headers.get("retry-after")).toBe("2");
    expect(first.json).toMatchObject({ id: "rate_limit" });
    expect(second.json).toMatchObject({ id: "service_unavailable" });
    expect(fake.count("GET /apps/{app}")).toBe(3);
    expect(fake.count("GET /apps/app-one")).toBe(3);
    expect(fake.count("POST /apps")).toBe(1);
    expect(fake.counts()).toEqual({ "POST /apps": 1, "GET /apps/{app}": 3 });
  });

  test("a reset drops the connection without an answer", async () => {
    fake.fault("* *", Faults.reset());
    await expect(call("GET", "/apps")).rejects.toThrow("fetch failed");
  });

  test("a stall never answers: the client's wait ends only when it gives up", async () => {
    const client = new AbortController();
    const stalling = await startFakeHeroku({ onStall: () => client.abort() });
    try {
      stalling.fault("GET /apps", Faults.stall());
      const waiting = raw(stalling.url, "GET", "/apps", { token: stalling.token }, client.signal);
      await expect(waiting).rejects.toThrow("This operation was aborted");
      expect(stalling.count("GET /apps")).toBe(1);
    } finally {
      await stalling.close();
    }
  });

  test("a delay holds the answer for its time, then answers normally", async () => {
    const held: { ms: number; answer: () => void }[] = [];
    const delaying = await startFakeHeroku({
      holdAnswer: (ms, answer) => held.push({ ms, answer }),
    });
    try {
      delaying.fault("GET /apps", Faults.delay(20));
      let answered = false;
      const reply = raw(delaying.url, "GET", "/apps", { token: delaying.token });
      void reply.then(() => (answered = true));
      while (held.length === 0 && !answered) await new Promise((resolve) => setImmediate(resolve));
      expect([held.map((h) => h.ms), answered]).toEqual([[20], false]);
      held[0]!.answer();
      expect((await reply).status).toBe(200);
    } finally {
      await delaying.close();
    }
  });

  test("malformed answers 200 with a body that is not JSON", async () => {
    fake.fault("GET /apps", Faults.malformed());
    const answer = await call("GET", "/apps");
    expect(answer.status).toBe(200);
    expect(() => JSON.parse(answer.text) as unknown).toThrow();
  });

  test("unauthorized answers 401 even with the right token", async () => {
    fake.fault("GET /apps", Faults.unauthorized());
    expect((await call("GET", "/apps")).status).toBe(401);
  });

  test.each([
    ["a 503", Faults.unavailable(), 503],
    ["a cut-off body", Faults.malformed(), 200],
  ])("applyThen: the create happens, then the client sees %s", async (_case, fault, status) => {
    fake.fault("POST /apps", Faults.applyThen(fault));
    const answer = await call("POST", "/apps", { body: { name: "app-one" } });
    expect(answer.status).toBe(status);
    expect(fake.state.app("app-one").app.name).toBe("app-one");
  });

  test("applyThen reset: the create happens, the connection drops", async () => {
    fake.fault("POST /apps", Faults.applyThen(Faults.reset()));
    await expect(call("POST", "/apps", { body: { name: "app-one" } })).rejects.toThrow();
    expect(fake.state.findApp("app-one")?.app.name).toBe("app-one");
  });

  test("a fault target must be METHOD and path", () => {
    expect(() => fake.fault("/apps", Faults.reset())).toThrow(
      'fault target must be "METHOD /path"',
    );
  });

  test("the request log keeps method, path, headers and body exactly", async () => {
    await call("PATCH", "/apps/missing/config-vars?x=1", { body: { A: "1", B: null } });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: "PATCH",
      path: "/apps/missing/config-vars",
      query: "?x=1",
      route: "PATCH /apps/{app}/config-vars",
      rawBody: '{"A":"1","B":null}',
      body: { A: "1", B: null },
    });
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${fake.token}`);
    fake.clearRequests();
    expect(fake.requests).toHaveLength(0);
  });
});
