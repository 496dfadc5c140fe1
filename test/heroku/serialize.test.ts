// Dynamic providers reach the engine as text: Pulumi serializes the provider object with every
// function and module value it captures. A provider that uses the client must serialize without
// the token, stay small, and work when loaded back, taking its token from `configure`.
import Module from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { HerokuClient, herokuPath } from "../../heroku/client";
import { configureApiKey, ConfigureRequestLike } from "../../heroku/token";
import { FakeHeroku, Faults, startFakeHeroku } from "./fake";
import type { App } from "./fake";
import { isolateHerokuEnv } from "./support";

const SENTINEL = "hrku-SENTINEL-must-not-be-serialized";
let fake: FakeHeroku;
isolateHerokuEnv();

beforeAll(async () => {
  fake = await startFakeHeroku();
});
afterAll(() => fake.close());

/** The shape of a provider the next engineer writes: configure, then CRUD through the client. */
const provider = {
  configure(req: ConfigureRequestLike): Promise<void> {
    configureApiKey(req);
    return Promise.resolve();
  },
  async read(name: string): Promise<App | undefined> {
    return new HerokuClient().getOrUndefined<App>(herokuPath`/apps/${name}`);
  },
};

/** Loads serialized text the way Pulumi's dynamic provider host does: as a module. */
function load(text: string, exportName: string): typeof provider {
  const loaded = new Module("serialized-provider") as Module & {
    _compile(code: string, file: string): void;
  };
  loaded.paths = module.paths;
  loaded._compile(text, `${__dirname}/serialized-provider.js`);
  return (loaded.exports as Record<string, typeof provider>)[exportName]!;
}

/**
 * The environment the loaded code sees. Jest gives tests a copy of `process.env` and its own
 * `globalThis`; code compiled as a plain module sees Node's real ones, as a provider host would.
 */
function realEnv(): NodeJS.ProcessEnv {
  return load("exports.env = process.env;", "env") as unknown as NodeJS.ProcessEnv;
}

test("a provider using the client serializes without the token and works when loaded back", async () => {
  process.env.HEROKU_API_KEY = SENTINEL;
  const serialized = await pulumi.runtime.serializeFunction(() => provider, {
    isFactoryFunction: true,
    allowSecrets: false,
  });
  expect(serialized.text).not.toContain(SENTINEL);
  expect(serialized.text).not.toContain(fake.token);
  expect(serialized.text.length).toBeLessThan(60_000);

  const env = realEnv();
  const saved = { key: env.HEROKU_API_KEY, url: env.HEROKU_API_URL };
  delete env.HEROKU_API_KEY;
  env.HEROKU_API_URL = fake.url;
  const loaded = load(serialized.text, serialized.exportName);
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
