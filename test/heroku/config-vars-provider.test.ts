// The ConfigVars provider: only managed keys are ever sent; keys set by hand (and by add-ons)
// survive create, update, delete and replacement; refresh sees drift of managed keys only.
import {
  configVarsPatch,
  createConfigVarsProvider,
  managedKeys,
} from "../../components/heroku/config-vars";
import { createApp, Driven, sent, testOptions, useFake } from "./providers";

const fake = useFake();
let vars: Driven;
let appId: string;
let otherId: string;

/** Config vars slipway does not manage: set by a person and by an add-on. */
const BY_HAND = { HAND_SET: "keep me", DATABASE_URL: "postgres://addon" };

beforeEach(async () => {
  vars = new Driven(createConfigVarsProvider(testOptions(fake())));
  appId = await createApp(fake(), "acme-web");
  otherId = await createApp(fake(), "acme-web-2");
  Object.assign(fake().state.app(appId).configVars, BY_HAND);
  fake().clearRequests();
});

const liveVars = (id = appId) => fake().state.app(id).configVars;

const INPUTS = {
  vars: { NODE_ENV: "production", LOG_LEVEL: "info" },
  secretVars: { SESSION_SECRET: "s3cret" },
};

test("create sets the managed keys in one PATCH and leaves the others", async () => {
  const outs = await vars.create({ app: appId, ...INPUTS });
  expect(sent(fake())).toEqual([
    `PATCH /apps/${appId}/config-vars {"NODE_ENV":"production","LOG_LEVEL":"info","SESSION_SECRET":"s3cret"}`,
  ]);
  expect(vars.id).toBe(appId);
  expect(outs).toEqual({ app: appId, ...INPUTS });
  expect(liveVars()).toEqual({ ...BY_HAND, ...INPUTS.vars, ...INPUTS.secretVars });
});

test("nothing managed, nothing sent", async () => {
  await vars.create({ app: appId });
  await vars.update({ app: appId });
  await vars.delete();
  expect(fake().requests).toHaveLength(0);
});

test("update sends changed keys and deletes removed ones with null", async () => {
  await vars.create({ app: appId, ...INPUTS });
  fake().clearRequests();
  await vars.update({
    app: appId,
    vars: { NODE_ENV: "production", WEB_CONCURRENCY: "2" },
    secretVars: { SESSION_SECRET: "rotated" },
  });
  expect(sent(fake())).toEqual([
    `PATCH /apps/${appId}/config-vars {"LOG_LEVEL":null,"WEB_CONCURRENCY":"2","SESSION_SECRET":"rotated"}`,
  ]);
  expect(liveVars()).toEqual({
    ...BY_HAND,
    NODE_ENV: "production",
    WEB_CONCURRENCY: "2",
    SESSION_SECRET: "rotated",
  });
});

test("refresh is one GET and reports drift of managed keys only", async () => {
  await vars.create({ app: appId, ...INPUTS });
  Object.assign(liveVars(), { NODE_ENV: "staging", HAND_SET: "changed too", OTHER: "new" });
  delete liveVars().SESSION_SECRET;
  fake().clearRequests();
  expect(await vars.read()).toEqual({
    app: appId,
    vars: { NODE_ENV: "staging", LOG_LEVEL: "info" },
    secretVars: {},
  });
  expect(sent(fake())).toEqual([`GET /apps/${appId}/config-vars`]);
  expect(await vars.diff({ app: appId, ...INPUTS })).toEqual({
    changes: true,
    replaces: [],
    deleteBeforeReplace: true,
  });
  await vars.update({ app: appId, ...INPUTS });
  expect(liveVars()).toEqual({
    ...BY_HAND,
    HAND_SET: "changed too",
    OTHER: "new",
    ...INPUTS.vars,
    ...INPUTS.secretVars,
  });
});

test("delete removes the managed keys only; an app already gone counts as done", async () => {
  await vars.create({ app: appId, ...INPUTS });
  fake().clearRequests();
  await vars.delete();
  expect(sent(fake())).toEqual([
    `PATCH /apps/${appId}/config-vars {"NODE_ENV":null,"LOG_LEVEL":null,"SESSION_SECRET":null}`,
  ]);
  expect(liveVars()).toEqual(BY_HAND);
  fake().state.apps.clear();
  await vars.delete();
  expect(await vars.read()).toBeUndefined();
});

test("a new app replaces the resource; the old app keeps its hand-set keys", async () => {
  await vars.create({ app: appId, ...INPUTS });
  expect(await vars.diff({ app: otherId, ...INPUTS })).toEqual({
    changes: true,
    replaces: ["app"],
    deleteBeforeReplace: true,
  });
  // The engine deletes first, then creates the replacement.
  await vars.delete();
  const replacement = new Driven(createConfigVarsProvider(testOptions(fake())));
  await replacement.create({ app: otherId, ...INPUTS });
  expect(liveVars()).toEqual(BY_HAND);
  expect(liveVars(otherId)).toEqual({ ...INPUTS.vars, ...INPUTS.secretVars });
});

test.each([
  [
    { app: "a", vars: { "BAD-NAME": "x" } },
    "vars",
    'got {"BAD-NAME":"x"}; allowed: a map of config var names',
  ],
  [{ app: "a", vars: { PORT: 3000 } }, "vars", 'got {"PORT":3000}'],
  [
    { app: "a", vars: { X: "1" }, secretVars: { X: "2" } },
    "secretVars.X",
    'got "[secret]"; allowed: a name not also set in vars',
  ],
  [
    { app: "a", vars: { X: "1", Z: "3" }, secretVars: { Y: "2", X: "2" } },
    "secretVars.X",
    'got "[secret]"; allowed: a name not also set in vars (X is in both)',
  ],
  [{ vars: {} }, "app", "got nothing; allowed: an app id or name"],
  [
    { app: "a", secretVars: { "BAD-NAME": "2" } },
    "secretVars",
    'got {"BAD-NAME":"[secret]"}; allowed: a map of config var names',
  ],
])("check %j fails on %s without showing secret values", async (news, property, reason) => {
  const failures = await vars.failures(news);
  expect(failures).toEqual([{ property, reason: expect.stringContaining(reason) as unknown }]);
  expect(JSON.stringify(failures)).not.toContain('"2"');
});

test.each([
  ["nothing", {}, false],
  ["a plain value", { vars: { ...INPUTS.vars, LOG_LEVEL: "debug" } }, true],
  ["a secret value", { secretVars: { SESSION_SECRET: "other" } }, true],
])("a change of %s updates in place", async (_what, change, changes) => {
  await vars.create({ app: appId, ...INPUTS });
  expect(await vars.diff({ app: appId, ...INPUTS, ...change })).toEqual({
    changes,
    replaces: [],
    deleteBeforeReplace: true,
  });
});

test("the patch and managed keys are pure", () => {
  expect(managedKeys({ vars: { A: "1" }, secretVars: { B: "2" } })).toEqual(["A", "B"]);
  expect(
    configVarsPatch(
      { vars: { A: "1", B: "2" }, secretVars: { S: "x" } },
      { vars: { A: "1" }, secretVars: { S: "y", T: "z" } },
    ),
  ).toEqual({ B: null, S: "y", T: "z" });
});

test("a preview's unknown values and malformed maps pass to the other checks", async () => {
  const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  expect(await vars.failures({ app: appId, vars: unknown, secretVars: { X: "1" } })).toEqual([]);
  expect(
    (await vars.failures({ app: appId, vars: "x", secretVars: { X: "1" } })).map((f) => f.property),
  ).toEqual(["vars"]);
});
