// The client's contract without faults: headers, where the base URL and token come from (at call
// time), paging, error shapes, 404 handling.
import { ACCEPT_HEADER, HerokuClient, herokuPath, USER_AGENT } from "../../heroku/client";
import { HerokuApiError, MALFORMED_RESPONSE } from "../../heroku/errors";
import { configureApiKey } from "../../heroku/token";
import { SlipwayError } from "../../errors";
import { FakeHeroku, Faults, startFakeHeroku } from "./fake";
import type { App } from "./fake";
import { isolateHerokuEnv, rejectionOf, startScriptedServer } from "./support";

let fake: FakeHeroku;
isolateHerokuEnv();

beforeAll(async () => {
  fake = await startFakeHeroku({ pageSize: 2 });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  process.env.HEROKU_API_KEY = fake.token;
});

const client = () => new HerokuClient({ baseUrl: fake.url, retry: { maxAttempts: 1 } });

const rejection = (promise: Promise<unknown>) => rejectionOf(promise);

describe("requests", () => {
  test("every request carries version 3, the user agent and the token; bodies are JSON", async () => {
    const heroku = client();
    await heroku.post("/apps", { name: "acme-web" });
    await heroku.get("/apps/acme-web");
    const [create, info] = fake.requests;
    expect(create!.headers).toMatchObject({
      accept: ACCEPT_HEADER,
      "user-agent": USER_AGENT,
      authorization: `Bearer ${fake.token}`,
      "content-type": "application/json",
    });
    expect(create!.rawBody).toBe('{"name":"acme-web"}');
    expect(info!.headers["content-type"]).toBeUndefined();
    expect(info!.rawBody).toBe("");
  });

  test("HEROKU_API_URL and HEROKU_API_KEY are read when a request is made, not when the client is", async () => {
    delete process.env.HEROKU_API_KEY;
    const heroku = new HerokuClient({ retry: { maxAttempts: 1 } });
    process.env.HEROKU_API_URL = `${fake.url}/`;
    process.env.HEROKU_API_KEY = fake.token;
    expect(await heroku.list("/apps")).toEqual([]);
    process.env.HEROKU_API_KEY = "rotated-token";
    const refused = (await rejection(heroku.get("/apps"))) as HerokuApiError;
    expect([refused.status, refused.id]).toEqual([401, "unauthorized"]);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${fake.token}`,
      "Bearer rotated-token",
    ]);
  });

  test("without HEROKU_API_KEY the token from the provider's configure step is used", async () => {
    delete process.env.HEROKU_API_KEY;
    configureApiKey({
      config: { get: (key) => (key === "heroku:apiKey" ? fake.token : undefined) },
    });
    await client().get("/apps");
    process.env.HEROKU_API_KEY = "env-wins";
    await rejection(client().get("/apps"));
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${fake.token}`,
      "Bearer env-wins",
    ]);
  });

  test("no token at all is a SlipwayError that says how to give one, before any request", async () => {
    process.env.HEROKU_API_KEY = "  ";
    const error = await rejection(client().get("/apps"));
    expect(error).toBeInstanceOf(SlipwayError);
    expect(error.message).toBe(
      "HEROKU_API_KEY: no Heroku API token: HEROKU_API_KEY is not set and the stack config has no " +
        "heroku:apiKey. Allowed: a Heroku API token in either place. Fix: " +
        "`export HEROKU_API_KEY=$(heroku auth:token)`, or " +
        "`pulumi config set --secret heroku:apiKey <token>` for the stack.",
    );
    expect(fake.requests).toHaveLength(0);
  });

  test("a path must start with a slash", async () => {
    await expect(client().get("apps")).rejects.toThrow('Heroku API path must start with "/": apps');
  });

  test("herokuPath encodes each value as one path segment", () => {
    const drain = "syslog+tls://logs.example.com:6514";
    expect(herokuPath`/apps/${"acme-web"}/log-drains/${drain}`).toBe(
      "/apps/acme-web/log-drains/syslog%2Btls%3A%2F%2Flogs.example.com%3A6514",
    );
    expect(herokuPath`/apps/${"a/b"}`).toBe("/apps/a%2Fb");
  });
});

describe("404s and errors", () => {
  test("getOrUndefined and deleteIgnoringNotFound turn 404 into undefined, other errors stay", async () => {
    const heroku = client();
    expect(await heroku.getOrUndefined("/apps/gone")).toBeUndefined();
    expect(await heroku.deleteIgnoringNotFound("/apps/gone")).toBeUndefined();
    await heroku.post("/apps", { name: "acme-web" });
    expect((await heroku.deleteIgnoringNotFound<App>("/apps/acme-web"))?.name).toBe("acme-web");
    fake.fault("GET /apps/{app}", Faults.unauthorized());
    fake.fault("DELETE /apps/{app}", Faults.unauthorized());
    expect(((await rejection(heroku.getOrUndefined("/apps/gone"))) as HerokuApiError).status).toBe(
      401,
    );
    expect(
      ((await rejection(heroku.deleteIgnoringNotFound("/apps/gone"))) as HerokuApiError).status,
    ).toBe(401);
  });

  test("an error answer becomes a HerokuApiError with Heroku's id, message and request id", async () => {
    const heroku = client();
    await heroku.post("/apps", { name: "acme-web" });
    const error = (await rejection(heroku.post("/apps", { name: "acme-web" }))) as HerokuApiError;
    const requestId = error.requestId!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error).toMatchObject({
      name: "HerokuApiError",
      status: 422,
      id: "invalid_params",
      herokuMessage: "Name is already taken",
      method: "POST",
      path: "/apps",
      attempts: 1,
      url: undefined,
    });
    expect(error.message).toBe(
      `Heroku API POST /apps answered 422 invalid_params: Name is already taken [request id ${requestId}]`,
    );
  });

  test.each([
    [
      "an HTML error page",
      503,
      "<html><body>  Application   error </body></html>",
      "unknown_error",
      'the body is not JSON: "<html><body> Application error </body></html>"',
    ],
    [
      "a cut-off success",
      200,
      '{"id": "0123',
      MALFORMED_RESPONSE,
      'the body is not JSON: "{\\"id\\": \\"0123"',
    ],
    [
      "a long garbage body",
      500,
      "x".repeat(300),
      "unknown_error",
      `the body is not JSON: "${"x".repeat(120)}..."`,
    ],
  ])("%s is a clear error, not a crash", async (_case, status, body, id, message) => {
    const server = await startScriptedServer((_req, res) => res.writeHead(status).end(body));
    try {
      const heroku = new HerokuClient({ baseUrl: server.url, retry: { maxAttempts: 1 } });
      const error = (await rejection(heroku.get("/apps"))) as HerokuApiError;
      expect([error.status, error.id, error.herokuMessage]).toEqual([status, id, message]);
    } finally {
      await server.close();
    }
  });

  test("Heroku's documentation url is kept; an empty success body is undefined", async () => {
    const server = await startScriptedServer((req, res) => {
      if (req.method === "DELETE") return void res.writeHead(204).end();
      res.writeHead(403).end(
        JSON.stringify({
          id: "forbidden",
          message: "No.",
          url: "https://devcenter.heroku.com/x",
        }),
      );
    });
    try {
      const heroku = new HerokuClient({ baseUrl: server.url, retry: { maxAttempts: 1 } });
      expect(((await rejection(heroku.get("/apps"))) as HerokuApiError).url).toBe(
        "https://devcenter.heroku.com/x",
      );
      expect(await heroku.delete("/apps/x")).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe("list", () => {
  beforeEach(async () => {
    for (const name of ["app-a", "app-b", "app-c", "app-d", "app-e"])
      await client().post("/apps", { name });
    fake.clearRequests();
  });

  test("follows Next-Range until the last page, asking for 1000 per page", async () => {
    const apps = await client().list<App>("/apps");
    expect(apps.map((a) => a.name)).toEqual(["app-a", "app-b", "app-c", "app-d", "app-e"]);
    const ids = apps.map((a) => a.id);
    expect(fake.requests.map((r) => r.headers.range)).toEqual([
      "id ..; max=1000",
      `id ]${ids[1]}..; max=1000`,
      `id ]${ids[3]}..; max=1000`,
    ]);
  });

  test("page size and range field are options; the page size is capped at 1000", async () => {
    await client().list("/apps", { pageSize: 3, rangeField: "name" });
    await client().list("/apps", { pageSize: 5000 });
    expect(fake.requests.map((r) => r.headers.range)).toEqual([
      "name ..; max=3",
      "name ]app-b..; max=3",
      "name ]app-d..; max=3",
      "id ..; max=1000",
      expect.stringMatching(/^id \]/),
      expect.stringMatching(/^id \]/),
    ]);
  });

  test.each([
    ["a body that is not a list", {}, undefined, "a list was expected"],
    ["a Next-Range that does not move", [], "id ..; max=1000", "Next-Range did not advance"],
  ])("%s is a malformed_response error", async (_case, body, nextRange, message) => {
    const server = await startScriptedServer((_req, res) => {
      res.writeHead(nextRange ? 206 : 200, nextRange ? { "Next-Range": nextRange } : {});
      res.end(JSON.stringify(body));
    });
    try {
      const heroku = new HerokuClient({ baseUrl: server.url, retry: { maxAttempts: 1 } });
      const error = (await rejection(heroku.list("/apps"))) as HerokuApiError;
      expect([error.id, error.herokuMessage]).toEqual([MALFORMED_RESPONSE, message]);
    } finally {
      await server.close();
    }
  });
});
