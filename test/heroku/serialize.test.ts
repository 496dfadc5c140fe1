// Dynamic providers reach the engine as text: slipway bundles each provider's module with what it
// uses (`providerText`, components/heroku/provider-code.ts). A provider that uses the client must
// bundle without the token, stay small, and work when loaded back, taking its token from
// `configure`.
import Module from "node:module";
import * as path from "node:path";
import { providerText } from "../../components/heroku/provider-code";
import { HerokuClient } from "../../heroku/client";
import { FakeHeroku, Faults, startFakeHeroku } from "./fake";
import { isolateHerokuEnv } from "./support";
import type { sampleProvider } from "./sample-provider";

const SENTINEL = "hrku-SENTINEL-must-not-be-serialized";
let fake: FakeHeroku;
isolateHerokuEnv();

beforeAll(async () => {
  fake = await startFakeHeroku();
});
afterAll(() => fake.close());

/** Loads a provider's text the way Pulumi's dynamic provider host does: as a module. */
function load(text: string): typeof sampleProvider {
  const loaded = new Module("serialized-provider") as Module & {
    _compile(code: string, file: string): void;
  };
  loaded.paths = module.paths;
  loaded._compile(text, `${__dirname}/serialized-provider.js`);
  return (loaded.exports as { handler(): typeof sampleProvider }).handler();
}

/**
 * The environment the loaded code sees. Jest gives tests a copy of `process.env` and its own
 * `globalThis`; code compiled as a plain module sees Node's real ones, as a provider host would.
 */
function realEnv(): NodeJS.ProcessEnv {
  return load("exports.handler = () => process.env;") as unknown as NodeJS.ProcessEnv;
}

test("a provider using the client bundles without the token and works when loaded back", async () => {
  process.env.HEROKU_API_KEY = SENTINEL;
  const text = await providerText(path.join(__dirname, "sample-provider"), "sampleProvider");
  expect(text).not.toContain(SENTINEL);
  expect(text).not.toContain(fake.token);
  expect(text.length).toBeLessThan(15_000);

  const env = realEnv();
  const saved = { key: env.HEROKU_API_KEY, url: env.HEROKU_API_URL };
  delete env.HEROKU_API_KEY;
  env.HEROKU_API_URL = fake.url;
  const loaded = load(text);
  try {
    // The loaded code has Node's own Error, not jest's: compare messages, not classes.
    const missing = (await loaded.read("acme-web").catch((e: unknown) => e)) as Error;
    expect(missing.message).toMatch(
      /^HEROKU_API_KEY: no Heroku API token: HEROKU_API_KEY is not set/,
    );
    expect(fake.requests).toHaveLength(0);

    await loaded.configure({
      config: { get: (key) => (key === "heroku:apiKey" ? fake.token : undefined) },
    });
    expect(await loaded.read("acme-web")).toBeUndefined();
    process.env.HEROKU_API_KEY = fake.token;
    await new HerokuClient({ baseUrl: fake.url }).post("/apps", { name: "acme-web" });
    expect((await loaded.read("acme-web"))?.name).toBe("acme-web");

    fake.fault("GET /apps/{app}", Faults.unauthorized());
    const refused = (await loaded.read("acme-web").catch((e: unknown) => e)) as Error;
    expect(refused.message).toMatch(
      /^Heroku API GET \/apps\/acme-web answered 401 unauthorized: Invalid credentials provided\. \[request id [0-9a-f-]{36}\]$/,
    );
    expect(refused.stack).toContain("Invalid credentials provided");
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization}`)).toEqual(
      ["GET /apps/acme-web", "POST /apps", "GET /apps/acme-web", "GET /apps/acme-web"].map(
        (request) => `${request} Bearer ${fake.token}`,
      ),
    );
  } finally {
    await loaded.configure({ config: { get: () => undefined } });
    for (const [key, value] of [
      ["HEROKU_API_KEY", saved.key],
      ["HEROKU_API_URL", saved.url],
    ] as const) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
  }
});
