// The fake's apps and what hangs off them (formation, features, add-ons) behave as Heroku's do:
// create, read by id or name, update, delete; answers are checked against the schema each time.
import type { Addon, App, Formation } from "./fake";
import { failure, fake, heroku, useFakeHeroku } from "./fake-suite";

useFakeHeroku({ processTypes: ["web", "worker"], addonProvisionPolls: 2 });

describe("apps", () => {
  test("create answers every field of the app, with Heroku's URLs", async () => {
    const app = await heroku.post<App>("/apps", {
      name: "acme-web",
      region: "eu",
      stack: "heroku-22",
    });
    expect(Object.keys(app).sort()).toEqual(
      [
        "acm",
        "archived_at",
        "build_stack",
        "buildpack_provided_description",
        "created_at",
        "generation",
        "git_url",
        "id",
        "internal_routing",
        "maintenance",
        "name",
        "organization",
        "owner",
        "region",
        "released_at",
        "repo_size",
        "slug_size",
        "space",
        "stack",
        "team",
        "updated_at",
        "web_url",
      ].sort(),
    );
    expect(app).toMatchObject({
      name: "acme-web",
      region: { name: "eu" },
      stack: { name: "heroku-22" },
      git_url: "https://git.heroku.com/acme-web.git",
      owner: { email: "dev@example.com", id: fake.state.account.id },
      acm: false,
      maintenance: false,
    });
    expect(app.web_url).toMatch(/^https:\/\/acme-web-[0-9a-f]{12}\.herokuapp\.com\/$/);
    expect(app.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(fake.requests[0]!.headers["content-type"]).toBe("application/json");
  });

  test("info by name and by id; a second create of the name is 422; an unknown app is 404", async () => {
    const app = await heroku.post<App>("/apps", { name: "acme-web" });
    expect((await heroku.get<App>(`/apps/${app.id}`)).name).toBe("acme-web");
    expect((await heroku.get<App>("/apps/acme-web")).id).toBe(app.id);
    const taken = await failure(heroku.post("/apps", { name: "acme-web" }));
    expect([taken.status, taken.id, taken.herokuMessage]).toEqual([
      422,
      "invalid_params",
      "Name is already taken",
    ]);
    expect(await heroku.getOrUndefined("/apps/nope")).toBeUndefined();
  });

  test("update renames (URLs follow, host suffix kept), maintenance, build stack; ACM on and off", async () => {
    const app = await heroku.post<App>("/apps", { name: "acme-web" });
    const suffix = app.web_url!.slice(-27);
    const renamed = await heroku.patch<App>(`/apps/${app.id}`, {
      name: "acme-site",
      maintenance: true,
      build_stack: "heroku-22",
    });
    expect(renamed).toMatchObject({
      name: "acme-site",
      maintenance: true,
      build_stack: { name: "heroku-22" },
    });
    expect(renamed.git_url).toBe("https://git.heroku.com/acme-site.git");
    expect(renamed.web_url).toBe(`https://acme-site-${suffix}`);
    expect((await heroku.post<App>("/apps/acme-site/acm")).acm).toBe(true);
    expect((await heroku.delete<App>("/apps/acme-site/acm")).acm).toBe(false);
  });

  test("delete removes the app and what hangs off it", async () => {
    const app = await heroku.post<App>("/apps", { name: "acme-web" });
    await heroku.post("/apps/acme-web/log-drains", { url: "https://logs.example.com/x" });
    await heroku.post("/apps/acme-web/addons", { plan: "papertrail" });
    expect((await heroku.delete<App>("/apps/acme-web")).id).toBe(app.id);
    expect(fake.state.apps.size + fake.state.addons.size + fake.state.drains.size).toBe(0);
    expect(await heroku.deleteIgnoringNotFound("/apps/acme-web")).toBeUndefined();
  });

  test("buildpacks are replaced as a whole, in order", async () => {
    await heroku.post("/apps", { name: "acme-web" });
    const installed = await heroku.put("/apps/acme-web/buildpack-installations", {
      updates: [{ buildpack: "heroku/nodejs" }, { buildpack: "https://example.com/bp.tgz" }],
    });
    expect(installed).toEqual([
      { buildpack: { url: "heroku/nodejs", name: "heroku/nodejs" }, ordinal: 0 },
      {
        buildpack: { url: "https://example.com/bp.tgz", name: "https://example.com/bp.tgz" },
        ordinal: 1,
      },
    ]);
    expect(await heroku.list("/apps/acme-web/buildpack-installations")).toEqual(installed);
  });

  test("config vars: PATCH sets the keys named, null deletes, others stay", async () => {
    await heroku.post("/apps", { name: "acme-web" });
    fake.state.app("acme-web").configVars.SET_BY_HAND = "keep";
    await heroku.patch("/apps/acme-web/config-vars", { A: "1", B: "2" });
    const after = await heroku.patch("/apps/acme-web/config-vars", { A: null, C: "3" });
    expect(after).toEqual({ SET_BY_HAND: "keep", B: "2", C: "3" });
    expect(await heroku.get("/apps/acme-web/config-vars")).toEqual(after);
  });
});

describe("formation and features", () => {
  beforeEach(() => heroku.post("/apps", { name: "acme-web" }));

  test("the formation lists the declared process types; a batch update sizes them (any case)", async () => {
    const before = await heroku.list<Formation>("/apps/acme-web/formation");
    expect(before.map((f) => [f.type, f.quantity, f.size])).toEqual([
      ["web", 1, "Basic"],
      ["worker", 0, "Basic"],
    ]);
    const updated = await heroku.patch<Formation[]>("/apps/acme-web/formation", {
      updates: [
        { type: "web", quantity: 2, dyno_size: { name: "standard-1x" } },
        { type: "worker", quantity: 1 },
      ],
    });
    expect(updated.map((f) => [f.type, f.quantity, f.size, f.dyno_size.name])).toEqual([
      ["web", 2, "Standard-1X", "Standard-1X"],
      ["worker", 1, "Basic", "Basic"],
    ]);
    const one = await heroku.patch<Formation>("/apps/acme-web/formation/worker", { quantity: 0 });
    expect([one.type, one.quantity]).toEqual(["worker", 0]);
    expect((await heroku.get<Formation>("/apps/acme-web/formation/web")).quantity).toBe(2);
  });

  test.each([
    [{ type: "clock", quantity: 1 }, 404, "Couldn't find that process type (clock)."],
    [
      { type: "web", quantity: 2, dyno_size: { name: "basic" } },
      422,
      "Cannot run 2 Basic dynos of one process type.",
    ],
    [{ type: "web", dyno_size: { name: "huge" } }, 422, "Couldn't find that dyno size: huge."],
  ])(
    "a batch update with %j is refused (%s) and changes nothing",
    async (update, status, message) => {
      const error = await failure(
        heroku.patch("/apps/acme-web/formation", {
          updates: [{ type: "worker", quantity: 1 }, update],
        }),
      );
      expect([error.status, error.herokuMessage]).toEqual([status, message]);
      expect(fake.state.app("acme-web").formation.map((f) => f.quantity)).toEqual([1, 0]);
    },
  );

  test("features: info by name, enable, list", async () => {
    expect(await heroku.get("/apps/acme-web/features/preboot")).toMatchObject({
      name: "preboot",
      enabled: false,
    });
    await heroku.patch("/apps/acme-web/features/preboot", { enabled: true });
    const all = await heroku.list<{ name: string; enabled: boolean }>("/apps/acme-web/features");
    expect(all.filter((f) => f.enabled).map((f) => f.name)).toEqual(["preboot"]);
    expect(await heroku.getOrUndefined("/apps/acme-web/features/warp-drive")).toBeUndefined();
  });
});

describe("add-ons", () => {
  beforeEach(() => heroku.post("/apps", { name: "acme-web" }));

  test("provisioning completes after the configured number of polls and sets the config var", async () => {
    const addon = await heroku.post<Addon>("/apps/acme-web/addons", {
      plan: "heroku-postgresql:essential-0",
    });
    expect(addon).toMatchObject({
      state: "provisioning",
      plan: { name: "heroku-postgresql:essential-0" },
      addon_service: { name: "heroku-postgresql" },
      app: { name: "acme-web" },
      config_vars: ["DATABASE_URL"],
    });
    expect(addon.name).toMatch(/^postgresql-fake-[0-9a-f]{5}$/);
    const polls = [
      (await heroku.get<Addon>(`/apps/acme-web/addons/${addon.id}`)).state,
      (await heroku.get<Addon>(`/addons/${addon.name}`)).state,
    ];
    expect(polls).toEqual(["provisioning", "provisioned"]);
    expect(fake.state.app("acme-web").configVars.DATABASE_URL).toMatch(/^postgres:\/\//);
  });

  test("plan change in place, rename; another service or an unknown plan is 422", async () => {
    const addon = await heroku.post<Addon>("/apps/acme-web/addons", {
      plan: "heroku-postgresql",
      name: "acme-db",
    });
    expect(addon.plan.name).toBe("heroku-postgresql:essential-0");
    const changed = await heroku.patch<Addon>("/apps/acme-web/addons/acme-db", {
      plan: "heroku-postgresql:essential-1",
      name: "acme-main-db",
    });
    expect([changed.id, changed.name, changed.plan.name]).toEqual([
      addon.id,
      "acme-main-db",
      "heroku-postgresql:essential-1",
    ]);
    const other = await failure(
      heroku.patch(`/apps/acme-web/addons/${addon.id}`, { plan: "heroku-redis:mini" }),
    );
    expect(other.status).toBe(422);
    const unknown = await failure(
      heroku.post("/apps/acme-web/addons", { plan: "heroku-postgresql:gigantic" }),
    );
    expect(unknown.herokuMessage).toBe(
      'Couldn\'t find either the add-on service or the add-on plan of "heroku-postgresql:gigantic".',
    );
  });

  test("delete deprovisions and removes the config var; another app's add-on is 404 here", async () => {
    const addon = await heroku.post<Addon>("/apps/acme-web/addons", { plan: "heroku-redis:mini" });
    await heroku.get(`/addons/${addon.id}`);
    await heroku.get(`/addons/${addon.id}`);
    expect(Object.keys(fake.state.app("acme-web").configVars)).toEqual(["REDIS_URL"]);
    await heroku.post("/apps", { name: "acme-other" });
    expect(await heroku.getOrUndefined(`/apps/acme-other/addons/${addon.id}`)).toBeUndefined();
    expect((await heroku.delete<Addon>(`/apps/acme-web/addons/${addon.id}`)).state).toBe(
      "deprovisioned",
    );
    expect(fake.state.app("acme-web").configVars).toEqual({});
    expect(await heroku.list("/apps/acme-web/addons")).toEqual([]);
  });
});
