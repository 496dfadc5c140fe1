// The Formation and Addon providers: the batch PATCH's exact updates, process types not released
// yet, delete leaving dynos alone; add-on provisioning polled within its bound, plan changes.
import { createAddonProvider, planSatisfies } from "../../components/heroku/addon";
import { createFormationProvider, formationUpdates } from "../../components/heroku/formation";
import { Faults } from "./fake";
import { createApp, Driven, sent, testOptions, useFake } from "./providers";
import { rejectionOf } from "./support";

const fake = useFake({ processTypes: ["web", "worker"] });
let appId: string;

beforeEach(async () => {
  appId = await createApp(fake(), "acme-web");
});

const PROD = {
  web: { quantity: 2, size: "standard-2x" },
  worker: { quantity: 1, size: "standard-1x" },
};

describe("Formation", () => {
  let formation: Driven;
  beforeEach(() => {
    formation = new Driven(createFormationProvider(testOptions(fake())));
  });
  const live = () =>
    fake()
      .state.app(appId)
      .formation.map((f) => `${f.type} ${f.quantity} ${f.size}`);

  test("create is one batch PATCH with every managed process type", async () => {
    const outs = await formation.create({ app: appId, formation: PROD });
    expect(sent(fake())).toEqual([
      `PATCH /apps/${appId}/formation {"updates":[{"type":"web","quantity":2,"dyno_size":{"name":"standard-2x"}},{"type":"worker","quantity":1,"dyno_size":{"name":"standard-1x"}}]}`,
    ]);
    expect(outs).toEqual({ app: appId, formation: PROD });
    expect(live()).toEqual(["web 2 Standard-2X", "worker 1 Standard-1X"]);
  });

  test("check lowercases sizes and names what is wrong", async () => {
    expect(
      await formation.check({
        app: appId,
        formation: { web: { quantity: 1, size: "Standard-1X" } },
      }),
    ).toEqual({
      app: appId,
      formation: { web: { quantity: 1, size: "standard-1x" } },
    });
    const [failure] = await formation.failures({
      app: appId,
      formation: { web: { quantity: -1, size: "huge" } },
    });
    expect(failure).toEqual({
      property: "formation",
      reason: expect.stringMatching(
        /^got \{"web":\{"quantity":-1,"size":"huge"\}\}; allowed: a map of process type to \{ quantity \(0 or more\), size \(eco, basic,/,
      ) as unknown,
    });
  });

  test("update sends only changed types, and scales a type removed from the config to 0", async () => {
    await formation.create({ app: appId, formation: PROD });
    fake().clearRequests();
    await formation.update({
      app: appId,
      formation: { web: { quantity: 3, size: "standard-2x" } },
    });
    expect(sent(fake())).toEqual([
      `PATCH /apps/${appId}/formation {"updates":[{"type":"web","quantity":3,"dyno_size":{"name":"standard-2x"}},{"type":"worker","quantity":0,"dyno_size":{"name":"standard-1x"}}]}`,
    ]);
    expect(formation.outs).toEqual({
      app: appId,
      formation: { web: { quantity: 3, size: "standard-2x" } },
    });
  });

  test("refresh is one GET and sees a scale made by hand; the diff needs no request", async () => {
    await formation.create({ app: appId, formation: PROD });
    fake().state.app(appId).formation[0]!.quantity = 5;
    fake().clearRequests();
    expect(await formation.read()).toEqual({
      app: appId,
      formation: { ...PROD, web: { quantity: 5, size: "standard-2x" } },
    });
    expect(await formation.diff({ app: appId, formation: PROD })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect(await formation.diff({ app: "acme-web-2", formation: PROD })).toMatchObject({
      replaces: ["app"],
    });
    expect(sent(fake())).toEqual([`GET /apps/${appId}/formation`]);
  });

  test("a process type no release has declared yet is skipped until it exists", async () => {
    const wanted = { ...PROD, clock: { quantity: 1, size: "basic" } };
    await formation.create({ app: appId, formation: wanted });
    expect(sent(fake())).toEqual([
      `PATCH /apps/${appId}/formation {"updates":[{"type":"web","quantity":2,"dyno_size":{"name":"standard-2x"}},{"type":"worker","quantity":1,"dyno_size":{"name":"standard-1x"}},{"type":"clock","quantity":1,"dyno_size":{"name":"basic"}}]}`,
      `GET /apps/${appId}/formation`,
      `PATCH /apps/${appId}/formation {"updates":[{"type":"web","quantity":2,"dyno_size":{"name":"standard-2x"}},{"type":"worker","quantity":1,"dyno_size":{"name":"standard-1x"}}]}`,
    ]);
    expect(formation.outs).toEqual({ app: appId, formation: PROD });
    expect((await formation.diff({ app: appId, formation: wanted })).changes).toBe(true);
  });

  test("other errors of the PATCH are errors", async () => {
    fake().fault("PATCH /apps/{app}/formation", Faults.unauthorized());
    await expect(formation.create({ app: appId, formation: PROD })).rejects.toThrow(
      /answered 401 unauthorized/,
    );
  });

  test("delete leaves the dynos running; an app deleted by hand is gone on refresh", async () => {
    await formation.create({ app: appId, formation: PROD });
    fake().clearRequests();
    await formation.delete();
    expect(fake().requests).toHaveLength(0);
    expect(live()).toEqual(["web 2 Standard-2X", "worker 1 Standard-1X"]);
    fake().state.apps.clear();
    expect(await formation.read()).toBeUndefined();
  });

  test("formationUpdates is pure", () => {
    expect(formationUpdates(PROD, PROD)).toEqual([]);
  });
});

describe("Addon", () => {
  const options = () => ({
    ...testOptions(fake()),
    pollIntervalMs: 1_000,
    provisionTimeoutMs: 5_000,
  });

  test("create polls until the add-on is provisioned, then reports its config vars", async () => {
    const opts = options();
    const addon = new Driven(createAddonProvider(opts));
    Object.assign(fake().state.settings, { addonProvisionPolls: 3 });
    const outs = await addon.create({ app: appId, plan: "heroku-postgresql:essential-0" });
    const made = fake().state.addon(addon.id).addon;
    expect(sent(fake())).toEqual([
      `POST /apps/${appId}/addons {"plan":"heroku-postgresql:essential-0"}`,
      `GET /apps/${appId}/addons/${made.id}`,
      `GET /apps/${appId}/addons/${made.id}`,
      `GET /apps/${appId}/addons/${made.id}`,
    ]);
    expect(opts.sleeps).toEqual([1_000, 1_000]);
    expect(outs).toEqual({
      app: appId,
      plan: "heroku-postgresql:essential-0",
      addonId: made.id,
      name: made.name,
      configVarNames: ["DATABASE_URL"],
    });
    expect(fake().state.app(appId).configVars.DATABASE_URL).toMatch(/^postgres:\/\//);
  });

  test("provisioning that outlasts the bound fails, and the error keeps the add-on's id for Pulumi", async () => {
    Object.assign(fake().state.settings, { addonProvisionPolls: 100 });
    const opts = options();
    const addon = new Driven(createAddonProvider(opts));
    const error = (await addon
      .create({ app: appId, plan: "heroku-redis:mini", name: "acme-cache" })
      .catch((e: unknown) => e)) as Error & {
      id: string;
      properties: Record<string, unknown>;
      reasons: string[];
    };
    const made = fake().state.addon("acme-cache").addon;
    expect(error.message).toBe(
      `Heroku: add-on "acme-cache" (heroku-redis:mini) was not ready after 5 s (6 polls of GET /apps/${appId}/addons/${made.id}). It may still finish: check it in the Heroku Dashboard, then run again.`,
    );
    expect(error.id).toBe(made.id);
    expect(error.properties).toMatchObject({
      addonId: made.id,
      name: "acme-cache",
      plan: "heroku-redis:mini",
    });
    expect(error.reasons).toEqual([error.message]);
    expect(fake().count("GET /apps/{app}/addons/{add-on}")).toBe(6);
    expect(opts.sleeps).toEqual([1_000, 1_000, 1_000, 1_000, 1_000]);
  });

  test("an add-on deprovisioned while it is provisioned stops the wait; it is gone, not kept", async () => {
    Object.assign(fake().state.settings, { addonProvisionPolls: 3 });
    const sleep = () => {
      fake().state.addon("acme-logs").addon.state = "deprovisioned";
      return Promise.resolve();
    };
    const addon = new Driven(createAddonProvider({ ...options(), sleep }));
    const error = await rejectionOf<Error & { id?: string }>(
      addon.create({ app: appId, plan: "papertrail:choklad", name: "acme-logs" }),
    );
    expect([error.message, error.id]).toEqual([
      'Heroku deprovisioned add-on "acme-logs" while it was being provisioned.',
      undefined,
    ]);
  });

  test("a poll that fails keeps the add-on for Pulumi; the next pulumi up waits for it", async () => {
    Object.assign(fake().state.settings, { addonProvisionPolls: 2 });
    const addon = new Driven(createAddonProvider(options()));
    fake().fault("GET /apps/{app}/addons/{add-on}", Faults.unauthorized());
    const error = await rejectionOf<Error & { id: string; properties: Record<string, unknown> }>(
      addon.create({ app: appId, plan: "heroku-redis:mini", name: "acme-cache" }),
    );
    const made = fake().state.addon("acme-cache").addon;
    expect([error.id, error.properties]).toEqual([
      made.id,
      {
        app: appId,
        plan: "heroku-redis:mini",
        name: "acme-cache",
        addonId: made.id,
        configVarNames: ["REDIS_URL"],
      },
    ]);
    expect(error.message).toMatch(/answered 401 unauthorized/);
    // What the engine does next: an update with nothing changed, from the kept outputs.
    fake().clearRequests();
    addon.id = error.id;
    addon.outs = error.properties;
    const outs = await addon.update({ app: appId, plan: "heroku-redis:mini", name: "acme-cache" });
    expect(sent(fake())).toEqual([
      `GET /apps/${appId}/addons/${made.id}`,
      `GET /apps/${appId}/addons/${made.id}`,
    ]);
    expect(outs).toEqual(error.properties);
    expect(made.state).toBe("provisioned");
  });

  test("a plan of the same service changes in place; another service replaces the add-on", async () => {
    Object.assign(fake().state.settings, { addonProvisionPolls: 0 });
    const addon = new Driven(createAddonProvider(options()));
    await addon.create({ app: appId, plan: "heroku-postgresql:essential-0" });
    fake().clearRequests();
    expect(await addon.diff({ app: appId, plan: "heroku-postgresql" })).toMatchObject({
      changes: false,
    });
    expect(await addon.diff({ app: appId, plan: "heroku-postgresql:essential-1" })).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(await addon.diff({ app: appId, plan: "heroku-redis:mini" })).toMatchObject({
      replaces: ["plan"],
    });
    expect(
      await addon.diff({ app: appId, plan: "heroku-postgresql:essential-0", config: { x: "1" } }),
    ).toMatchObject({
      replaces: ["config"],
    });
    await addon.update({ app: appId, plan: "heroku-postgresql:essential-1", name: "acme-db" });
    expect(sent(fake())).toEqual([
      `PATCH /apps/${appId}/addons/${addon.id} {"plan":"heroku-postgresql:essential-1","name":"acme-db"}`,
    ]);
    expect(addon.outs).toMatchObject({ name: "acme-db", plan: "heroku-postgresql:essential-1" });
  });

  test("refresh is one GET, sees a plan changed by hand; delete is idempotent", async () => {
    Object.assign(fake().state.settings, { addonProvisionPolls: 0 });
    const addon = new Driven(createAddonProvider(options()));
    await addon.create({ app: appId, plan: "heroku-redis:mini", name: "acme-cache" });
    fake().state.addon("acme-cache").addon.plan = {
      id: fake().state.stableId("heroku-redis:premium-0"),
      name: "heroku-redis:premium-0",
    };
    fake().clearRequests();
    expect(await addon.read()).toMatchObject({ plan: "heroku-redis:premium-0" });
    expect(sent(fake())).toEqual([`GET /apps/${appId}/addons/${addon.id}`]);
    expect(await addon.diff({ app: appId, plan: "heroku-redis:mini", name: "acme-cache" })).toEqual(
      {
        changes: true,
        replaces: [],
        deleteBeforeReplace: true,
      },
    );
    await addon.delete();
    await addon.delete();
    expect(fake().state.findAddon("acme-cache")).toBeUndefined();
    expect(await addon.read()).toBeUndefined();
  });

  test("a named add-on made anyway by an uncertain create is adopted", async () => {
    Object.assign(fake().state.settings, { addonProvisionPolls: 0 });
    const addon = new Driven(createAddonProvider(options()));
    fake().fault("POST /apps/{app}/addons", Faults.applyThen(Faults.reset()));
    await addon.create({ app: appId, plan: "scheduler:standard", name: "acme-cron" });
    expect(fake().state.addons.size).toBe(1);
    expect(addon.id).toBe(fake().state.addon("acme-cron").addon.id);
  });

  test("check and plan matching", async () => {
    const addon = new Driven(createAddonProvider());
    expect(await addon.failures({ app: appId, plan: "Postgres Big" })).toEqual([
      {
        property: "plan",
        reason:
          'got "Postgres Big"; allowed: an add-on plan as service:plan (heroku-postgresql:essential-0)',
      },
    ]);
    expect(planSatisfies("heroku-redis:mini", "heroku-redis")).toBe(true);
    expect(planSatisfies("heroku-redis:mini", "heroku-redis:premium-0")).toBe(false);
    expect(planSatisfies(undefined, "heroku-redis")).toBe(false);
  });
});

test("an update without changes sends nothing", async () => {
  const formation = new Driven(createFormationProvider(testOptions(fake())));
  await formation.create({ app: appId, formation: PROD });
  fake().clearRequests();
  await formation.update({ app: appId, formation: PROD });
  expect(fake().requests).toHaveLength(0);
});

test("an add-on with provisioning config, default waits, and a plan change without a name", async () => {
  const addon = new Driven(createAddonProvider(testOptions(fake())));
  await addon.create({
    app: appId,
    plan: "heroku-postgresql:essential-0",
    config: { version: "16" },
  });
  await addon.update({
    app: appId,
    plan: "heroku-postgresql:essential-1",
    config: { version: "16" },
  });
  expect(sent(fake())).toEqual([
    `POST /apps/${appId}/addons {"plan":"heroku-postgresql:essential-0","config":{"version":"16"}}`,
    `GET /apps/${appId}/addons/${addon.id}`,
    `PATCH /apps/${appId}/addons/${addon.id} {"plan":"heroku-postgresql:essential-1"}`,
  ]);
});
