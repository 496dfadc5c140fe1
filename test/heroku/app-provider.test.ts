// The App provider against the fake: check, create (personal and team apps), refresh in one GET,
// drift, in-place changes, replacement rules, delete, and adopt-after-uncertain-create.
import { createAppProvider } from "../../components/heroku/app";
import { Faults } from "./fake";
import { STACKS } from "./fake/state";
import { Driven, sent, testOptions, useFake } from "./providers";
import { rejectionOf } from "./support";

const fake = useFake();
const ACME = { name: "acme-web", buildpacks: ["heroku/nodejs"] };
let app: Driven;

beforeEach(() => {
  app = new Driven(createAppProvider(testOptions(fake())));
});

describe("check", () => {
  test("fills the defaults", async () => {
    expect(await app.check({ name: "acme-web" })).toEqual({
      name: "acme-web",
      region: "us",
      stack: "heroku-24",
      buildpacks: [],
      maintenance: false,
      acm: false,
    });
  });

  test.each([
    [{ name: "Acme_Web" }, "name", 'got "Acme_Web"; allowed: 3-30 lowercase letters'],
    [{}, "name", "got nothing; allowed: 3-30"],
    [{ name: "acme-web", region: "asia" }, "region", 'got "asia"; allowed: one of us, eu'],
    [
      { name: "acme-web", stack: "cedar-14" },
      "stack",
      'got "cedar-14"; allowed: one of heroku-22, heroku-24',
    ],
    [
      { name: "acme-web", buildpacks: "heroku/nodejs" },
      "buildpacks",
      'got "heroku/nodejs"; allowed: a list',
    ],
    [{ name: "acme-web", acm: "yes" }, "acm", 'got "yes"; allowed: true or false'],
    [{ name: "acme-web", team: "Acme Inc" }, "team", 'got "Acme Inc"; allowed: a Heroku team name'],
    [{ name: "acme-web", team: "acme inc" }, "team", 'got "acme inc"; allowed: a Heroku team name'],
  ])("%j fails on %s", async (news, property, reason) => {
    const failures = await app.failures(news);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.property).toBe(property);
    expect(failures[0]!.reason.startsWith(reason)).toBe(true);
  });

  test("a null space or region is absent: the default region, no team needed", async () => {
    expect(await app.check({ name: "acme-web", space: null, region: null })).toEqual({
      name: "acme-web",
      region: "us",
      stack: "heroku-24",
      buildpacks: [],
      maintenance: false,
      acm: false,
    });
  });

  test("a space app's null region is no region", async () => {
    expect(
      await app.check({ name: "acme-web", team: "acme", space: "acme-space", region: null }),
    ).toEqual({
      name: "acme-web",
      team: "acme",
      space: "acme-space",
      stack: "heroku-24",
      buildpacks: [],
      maintenance: false,
      acm: false,
    });
  });

  test("values not known yet (a preview) pass", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(await app.failures({ name: unknown, buildpacks: [unknown] })).toEqual([]);
  });
});

test("a create that fails once the app exists keeps it for Pulumi; the next pulumi up finishes it", async () => {
  fake().fault("PUT /apps/{app}/buildpack-installations", Faults.unauthorized());
  const error = await rejectionOf<Error & { id: string; properties: Record<string, unknown> }>(
    app.create({ ...ACME, maintenance: true }),
  );
  const id = fake().state.app("acme-web").app.id;
  const created = {
    name: "acme-web",
    region: "us",
    stack: "heroku-24",
    buildpacks: [],
    maintenance: false,
    acm: false,
    appId: id,
    webUrl: fake().state.app(id).app.web_url,
    gitUrl: "https://git.heroku.com/acme-web.git",
  };
  expect(error.message).toMatch(
    /^Heroku API PUT \/apps\/[0-9a-f-]+\/buildpack-installations answered 401/,
  );
  expect([error.id, error.properties]).toEqual([id, created]);
  // What the engine does next: an update from the outputs it kept.
  fake().clearRequests();
  app.id = error.id;
  app.outs = error.properties;
  await app.update({ ...ACME, maintenance: true });
  expect(sent(fake())).toEqual([
    `PATCH /apps/${id} {"maintenance":true}`,
    `PUT /apps/${id}/buildpack-installations {"updates":[{"buildpack":"heroku/nodejs"}]}`,
  ]);
});

test("create sends the app, its buildpacks and ACM; outputs carry ids and URLs", async () => {
  const outs = await app.create({ ...ACME, acm: true, maintenance: true });
  const id = fake().state.app("acme-web").app.id;
  expect(sent(fake())).toEqual([
    'POST /apps {"name":"acme-web","region":"us","stack":"heroku-24"}',
    `PATCH /apps/${id} {"maintenance":true}`,
    `PUT /apps/${id}/buildpack-installations {"updates":[{"buildpack":"heroku/nodejs"}]}`,
    `POST /apps/${id}/acm`,
  ]);
  expect(app.id).toBe(id);
  expect(outs).toEqual({
    ...ACME,
    region: "us",
    stack: "heroku-24",
    maintenance: true,
    acm: true,
    appId: id,
    webUrl: fake().state.app(id).app.web_url,
    gitUrl: "https://git.heroku.com/acme-web.git",
  });
  expect(
    fake()
      .state.app(id)
      .buildpacks.map((b) => b.buildpack.url),
  ).toEqual(["heroku/nodejs"]);
});

test("a team's app is created through /teams/apps and owned by the team", async () => {
  await app.create({ ...ACME, team: "acme", region: "eu" });
  expect(sent(fake())[0]).toBe(
    'POST /teams/apps {"name":"acme-web","region":"eu","stack":"heroku-24","team":"acme"}',
  );
  expect(fake().state.app("acme-web").app.team?.name).toBe("acme");
  expect(app.outs.team).toBe("acme");
});

test("refresh is one GET and sees changes made behind slipway's back", async () => {
  await app.create(ACME);
  const record = fake().state.app("acme-web");
  record.app.maintenance = true;
  record.app.build_stack = { ...STACKS.find((s) => s.name === "heroku-22")! };
  fake().clearRequests();
  const outs = await app.read();
  expect(fake().requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /apps/${app.id}`]);
  expect(outs).toMatchObject({
    maintenance: true,
    stack: "heroku-22",
    buildpacks: ["heroku/nodejs"],
  });
  // The diff puts it back in place, without a request.
  expect(await app.diff(ACME)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
  await app.update(ACME);
  expect(sent(fake()).slice(1)).toEqual([
    `PATCH /apps/${app.id} {"build_stack":"heroku-24","maintenance":false}`,
  ]);
  expect(fake().state.app(app.id).app.maintenance).toBe(false);
});

test("an app deleted by hand is gone on refresh", async () => {
  await app.create(ACME);
  fake().state.apps.clear();
  expect(await app.read()).toBeUndefined();
});

test.each([
  ["the same inputs", {}, { changes: false, replaces: [] }],
  ["a new name (a rename)", { name: "acme-www" }, { changes: true, replaces: [] }],
  ["a new stack", { stack: "heroku-22" }, { changes: true, replaces: [] }],
  ["other buildpacks", { buildpacks: ["heroku/python"] }, { changes: true, replaces: [] }],
  ["ACM on", { acm: true }, { changes: true, replaces: [] }],
  ["maintenance on", { maintenance: true }, { changes: true, replaces: [] }],
  ["another region", { region: "eu" }, { changes: true, replaces: ["region"] }],
  ["a team", { team: "acme" }, { changes: true, replaces: ["team"] }],
])("diff of %s, with no request", async (_what, change, expected) => {
  await app.create(ACME);
  fake().clearRequests();
  expect(await app.diff({ ...ACME, ...change })).toEqual({
    ...expected,
    deleteBeforeReplace: true,
  });
  expect(fake().requests).toHaveLength(0);
});

test("update renames in place, sets buildpacks and turns ACM on and off", async () => {
  await app.create(ACME);
  const id = app.id;
  fake().clearRequests();
  await app.update({
    ...ACME,
    name: "acme-www",
    buildpacks: ["heroku/nodejs", "heroku/python"],
    acm: true,
  });
  expect(app.outs).toMatchObject({
    name: "acme-www",
    appId: id,
    gitUrl: "https://git.heroku.com/acme-www.git",
    webUrl: expect.stringMatching(/^https:\/\/acme-www-[0-9a-f]{12}\.herokuapp\.com\/$/) as unknown,
  });
  await app.update({ ...ACME, name: "acme-www", buildpacks: ["heroku/nodejs", "heroku/python"] });
  expect(sent(fake())).toEqual([
    `PATCH /apps/${id} {"name":"acme-www"}`,
    `PUT /apps/${id}/buildpack-installations {"updates":[{"buildpack":"heroku/nodejs"},{"buildpack":"heroku/python"}]}`,
    `POST /apps/${id}/acm`,
    `DELETE /apps/${id}/acm`,
  ]);
  expect(fake().state.app(id).app).toMatchObject({ name: "acme-www", acm: false });
});

test("delete removes the app; an app already gone counts as deleted", async () => {
  await app.create(ACME);
  await app.delete();
  expect(fake().state.apps.size).toBe(0);
  await app.delete();
  expect(sent(fake()).slice(-2)).toEqual([`DELETE /apps/${app.id}`, `DELETE /apps/${app.id}`]);
});

describe("after an uncertain create", () => {
  test("the app Heroku made anyway is adopted when it matches", async () => {
    fake().fault("POST /apps", Faults.applyThen(Faults.unavailable()));
    await app.create(ACME);
    expect(fake().state.apps.size).toBe(1);
    expect(app.id).toBe(fake().state.app("acme-web").app.id);
    expect(sent(fake()).slice(0, 2)).toEqual([
      'POST /apps {"name":"acme-web","region":"us","stack":"heroku-24"}',
      "GET /apps/acme-web",
    ]);
  });

  test("an app under the name in another region is refused", async () => {
    await app.create(ACME);
    fake().fault("POST /apps", Faults.reset());
    const error = (await app.create({ ...ACME, region: "eu" }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(
      /^Heroku create of app "acme-web" had an uncertain outcome \(Heroku API POST \/apps lost its connection .*\); app "acme-web" exists but does not match what slipway asked for, so slipway will not adopt it\./,
    );
    expect(fake().state.app("acme-web").app.region.name).toBe("us");
  });

  test("an older app under the name (someone else's, an earlier run's) is refused", async () => {
    await app.create(ACME);
    fake().state.app("acme-web").app.created_at = "2020-01-01T00:00:00Z";
    const other = new Driven(createAppProvider({ ...testOptions(fake()), now: Date.now }));
    const error = (await other.create(ACME).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(
      /^Heroku API POST \/apps answered 422 invalid_params: Name is already taken/,
    );
  });
});

test("refresh of a team's app without a web URL, and of an app known by id only (an import)", async () => {
  await app.create({ ...ACME, team: "acme" });
  fake().state.app("acme-web").app.web_url = null;
  expect(await app.read()).toMatchObject({ team: "acme", webUrl: "" });
  app.outs = {};
  expect(await app.read()).toMatchObject({ name: "acme-web", buildpacks: [], team: "acme" });
});

test("configure hands the provider its token (no HEROKU_API_KEY needed)", async () => {
  delete process.env.HEROKU_API_KEY;
  const configured = createAppProvider(testOptions(fake()));
  await configured.configure!({
    config: {
      get: (key) => (key === "heroku:apiKey" ? fake().token : undefined),
      require: () => "",
    },
  });
  app = new Driven(configured);
  await app.create(ACME);
  expect(fake().requests[0]!.headers.authorization).toBe(`Bearer ${fake().token}`);
  await configured.configure!({ config: { get: () => undefined, require: () => "" } });
});
