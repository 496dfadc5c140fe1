// AppFeature (a switch: delete turns it off), AppWebhook (the generated secret as an output, adopt
// by URL with a new secret) and LogDrain (URL replaces, token as output).
import { createAppFeatureProvider } from "../../components/heroku/app-feature";
import {
  createAppWebhookProvider,
  createLogDrainProvider,
  WEBHOOK_SECRET_HEADER,
} from "../../components/heroku/hooks";
import { Faults, WEBHOOK_SECRET_HEADER as FAKE_SECRET_HEADER } from "./fake";
import { createApp, Driven, sent, testOptions, useFake } from "./providers";

const fake = useFake();
let appId: string;
beforeEach(async () => {
  appId = await createApp(fake(), "acme-web");
});

describe("AppFeature", () => {
  let feature: Driven;
  beforeEach(() => {
    feature = new Driven(createAppFeatureProvider(testOptions(fake())));
  });
  const preboot = () =>
    fake()
      .state.app(appId)
      .features.find((f) => f.name === "preboot")!;

  test("create, drift, update, delete switching off", async () => {
    await feature.create({ app: appId, feature: "preboot" });
    expect(sent(fake())).toEqual([`PATCH /apps/${appId}/features/preboot {"enabled":true}`]);
    expect(feature.id).toBe(preboot().id);
    expect(feature.outs).toEqual({ app: appId, feature: "preboot", enabled: true });
    preboot().enabled = false;
    fake().clearRequests();
    expect(await feature.read()).toEqual({ app: appId, feature: "preboot", enabled: false });
    expect(await feature.diff({ app: appId, feature: "preboot" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect(await feature.diff({ app: appId, feature: "runtime-dyno-metadata" })).toMatchObject({
      replaces: ["feature"],
    });
    await feature.update({ app: appId, feature: "preboot", enabled: true });
    await feature.delete();
    expect(sent(fake())).toEqual([
      `GET /apps/${appId}/features/preboot`,
      `PATCH /apps/${appId}/features/preboot {"enabled":true}`,
      `PATCH /apps/${appId}/features/preboot {"enabled":false}`,
    ]);
    expect(preboot().enabled).toBe(false);
    fake().state.apps.clear();
    await feature.delete();
    expect(await feature.read()).toBeUndefined();
  });

  test("other errors of delete are errors", async () => {
    await feature.create({ app: appId, feature: "preboot" });
    fake().fault("PATCH /apps/{app}/features/{app-feature}", Faults.unauthorized());
    await expect(feature.delete()).rejects.toThrow(/answered 401 unauthorized/);
  });
});

describe("AppWebhook", () => {
  let hook: Driven;
  beforeEach(() => {
    hook = new Driven(createAppWebhookProvider(testOptions(fake())));
  });
  const HOOK = () => ({
    app: appId,
    url: "https://hooks.example.com/heroku",
    include: ["api:release", "api:build"],
  });

  test("create keeps the secret Heroku generated, from its header", async () => {
    expect(WEBHOOK_SECRET_HEADER).toBe(FAKE_SECRET_HEADER);
    const outs = await hook.create(HOOK());
    const record = fake().state.webhooks.get(hook.id)!;
    expect(sent(fake())).toEqual([
      `POST /apps/${appId}/webhooks {"url":"https://hooks.example.com/heroku","include":["api:build","api:release"],"level":"notify"}`,
    ]);
    expect(outs).toEqual({
      ...HOOK(),
      include: ["api:build", "api:release"],
      level: "notify",
      secret: record.secret,
    });
  });

  test("refresh, drift, update in place, delete", async () => {
    await hook.create(HOOK());
    const secret = hook.outs.secret;
    fake().state.webhooks.get(hook.id)!.webhook.level = "sync";
    fake().clearRequests();
    expect(await hook.read()).toMatchObject({ level: "sync", secret });
    expect(await hook.diff({ ...HOOK(), include: ["api:build", "api:release"] })).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(await hook.diff({ ...HOOK(), app: "other" })).toMatchObject({ replaces: ["app"] });
    await hook.update({ ...HOOK(), url: "https://hooks.example.com/v2" });
    expect(hook.outs).toMatchObject({
      url: "https://hooks.example.com/v2",
      level: "notify",
      secret,
    });
    await hook.delete();
    await hook.delete();
    expect(sent(fake())).toEqual([
      `GET /apps/${appId}/webhooks/${hook.id}`,
      `PATCH /apps/${appId}/webhooks/${hook.id} {"url":"https://hooks.example.com/v2","include":["api:build","api:release"],"level":"notify"}`,
      `DELETE /apps/${appId}/webhooks/${hook.id}`,
      `DELETE /apps/${appId}/webhooks/${hook.id}`,
    ]);
    expect(await hook.read()).toBeUndefined();
  });

  test("a webhook made by an uncertain create is found by URL and given a new secret", async () => {
    fake().fault("POST /apps/{app}/webhooks", Faults.applyThen(Faults.reset()));
    await hook.create(HOOK());
    expect(fake().state.webhooks.size).toBe(1);
    const record = fake().state.webhooks.get(hook.id)!;
    expect(hook.outs.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(record.secret).toBe(hook.outs.secret);
    expect(sent(fake()).slice(1, 2)).toEqual([`GET /apps/${appId}/webhooks`]);
  });

  test("check", async () => {
    expect(await hook.failures({ app: appId, url: "http://x", include: [] })).toEqual([
      { property: "url", reason: 'got "http://x"; allowed: an https:// URL' },
      {
        property: "include",
        reason: expect.stringMatching(
          /^got \[\]; allowed: a non-empty list of api:addon-attachment/,
        ) as unknown,
      },
    ]);
  });
});

describe("LogDrain", () => {
  let drain: Driven;
  beforeEach(() => {
    drain = new Driven(createLogDrainProvider(testOptions(fake())));
  });
  const URL = "syslog+tls://logs.example.com:6514";

  test("create, refresh, replacement on URL, delete", async () => {
    const outs = await drain.create({ app: appId, url: URL });
    const record = fake().state.drains.get(drain.id)!;
    expect(outs).toEqual({ app: appId, url: URL, token: record.token });
    fake().clearRequests();
    expect(await drain.read()).toEqual(outs);
    expect(await drain.diff({ app: appId, url: "https://logs.example.com/in" })).toEqual({
      changes: true,
      replaces: ["url"],
      deleteBeforeReplace: true,
    });
    expect(await drain.update({ app: appId, url: URL })).toEqual(outs);
    await drain.delete();
    await drain.delete();
    expect(sent(fake())).toEqual([
      `GET /apps/${appId}/log-drains/${drain.id}`,
      `DELETE /apps/${appId}/log-drains/${drain.id}`,
      `DELETE /apps/${appId}/log-drains/${drain.id}`,
    ]);
    expect(await drain.read()).toBeUndefined();
  });

  test("a drain made by an uncertain create (or already there) is adopted by its URL", async () => {
    fake().fault("POST /apps/{app}/log-drains", Faults.applyThen(Faults.unavailable()));
    await drain.create({ app: appId, url: URL });
    const again = new Driven(createLogDrainProvider(testOptions(fake())));
    fake().clearRequests();
    await again.create({ app: appId, url: URL });
    expect(fake().state.drains.size).toBe(1);
    expect(again.id).toBe(drain.id);
    // The URL carries a token: the drain is found by listing, never by putting it in a path.
    expect(sent(fake())).toEqual([
      `POST /apps/${appId}/log-drains {"url":"${URL}"}`,
      `GET /apps/${appId}/log-drains`,
    ]);
  });

  test("check never shows the URL it refuses: it carries the log service's token", async () => {
    expect(await drain.failures({ app: appId, url: "ftp://user:t0k3n@logs" })).toEqual([
      {
        property: "url",
        reason: 'got "[secret]"; allowed: an https://, syslog:// or syslog+tls:// URL',
      },
    ]);
    expect(await drain.failures({ app: appId })).toEqual([
      {
        property: "url",
        reason: "got nothing; allowed: an https://, syslog:// or syslog+tls:// URL",
      },
    ]);
  });
});
