// The token never shows in anything the client produces when things go wrong: error messages,
// stacks, fields, causes, retry events, even when the server echoes it back.
import { inspect } from "node:util";
import { HerokuClient, HerokuClientOptions } from "../../heroku/client";
import { HerokuApiError } from "../../heroku/errors";
import { FakeHeroku, Faults, startFakeHeroku } from "./fake";
import type { App } from "./fake";
import {
  closedPortUrl,
  fakeClock,
  isolateHerokuEnv,
  startScriptedServer,
  STALL_TIMEOUT_MS,
  timeoutsOnStall,
  warmUp,
} from "./support";

const TOKEN = "hrku-SECRET-0123456789abcdef";
let fake: FakeHeroku;
isolateHerokuEnv();
const endStalledWait = timeoutsOnStall();

beforeAll(async () => {
  fake = await startFakeHeroku({ token: TOKEN, onStall: endStalledWait });
  await warmUp(fake);
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  process.env.HEROKU_API_KEY = TOKEN;
});

function client(options: HerokuClientOptions = {}): HerokuClient {
  const clock = fakeClock();
  return new HerokuClient({
    baseUrl: fake.url,
    timeoutMs: STALL_TIMEOUT_MS,
    now: clock.now,
    sleep: clock.sleep,
    retry: { maxAttempts: 2 },
    rateLimit: {},
    ...options,
  });
}

/** Everything an error could show: message, stack, own fields, cause, Node's inspect. */
function everything(error: unknown): string {
  const e = error as Error;
  return [
    e.message,
    e.stack,
    JSON.stringify(e, Object.getOwnPropertyNames(e)),
    String(e.cause),
    inspect(e, { depth: 10, showHidden: true }),
  ].join("\n");
}

const adoptApp = (heroku: HerokuClient) =>
  heroku.createOrAdopt<App>({
    path: "/apps",
    body: { name: "acme-web", region: "us" },
    lookup: "/apps/acme-web",
    matches: (app) => app.region.name === "us",
    description: 'app "acme-web"',
  });

test.each([
  ["401", () => (fake.fault("GET /apps", Faults.unauthorized()), client().get("/apps"))],
  ["422", () => client().post("/apps", { name: "Bad_Name" })],
  ["404", () => client().get("/apps/missing")],
  [
    "503 after retries",
    () => (
      fake.fault("GET /apps", Faults.unavailable(), Faults.unavailable()),
      client().get("/apps")
    ),
  ],
  ["reset", () => (fake.fault("POST /apps", Faults.reset()), client().post("/apps", {}))],
  ["timeout", () => (fake.fault("POST /apps", Faults.stall()), client().post("/apps", {}))],
  [
    "cut-off body",
    () => (fake.fault("POST /apps", Faults.malformed()), client().post("/apps", {})),
  ],
  ["unreachable", async () => client({ baseUrl: await closedPortUrl() }).get("/apps")],
  [
    "refused adoption",
    async () => {
      await client().post("/apps", { name: "acme-web", region: "eu" });
      fake.fault("POST /apps", Faults.reset());
      return adoptApp(client());
    },
  ],
] as [string, () => Promise<unknown>][])(
  "%s: the token is nowhere in the error",
  async (_case, run) => {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(everything(error)).not.toContain(TOKEN);
  },
);

test("a server that echoes the Authorization header gets the token redacted", async () => {
  const server = await startScriptedServer((req, res) => {
    res
      .writeHead(400)
      .end(JSON.stringify({ id: "bad_request", message: `got ${req.headers.authorization}` }));
  });
  try {
    const error = (await client({ baseUrl: server.url })
      .get("/apps")
      .catch((e: unknown) => e)) as HerokuApiError;
    expect(error.herokuMessage).toBe("got Bearer [redacted]");
    expect(everything(error)).not.toContain(TOKEN);
  } finally {
    await server.close();
  }
});

test("a client object holds no token", async () => {
  const heroku = client();
  await heroku.get("/apps");
  expect(inspect(heroku, { depth: 10, showHidden: true })).not.toContain(TOKEN);
  expect(JSON.stringify(heroku)).not.toContain(TOKEN);
});
