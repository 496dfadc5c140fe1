// The Addon provider's rules without a server: the name and provisioning config checks at their
// edges, which stored plan satisfies a wanted one, and which changes replace the add-on.
import { createAddonProvider, planSatisfies } from "../../components/heroku/addon";

// Built inside each test, where Stryker sees its rules run (not once when the file loads).
const provider = () => createAddonProvider();
const APP = "acme-web";
const PLAN = "heroku-postgresql:essential-0";
const NAME_ALLOWED = "a letter, then letters, digits, _ or -";
const CONFIG_ALLOWED = "a map of option names (letters, digits, _) to strings";

const check = (news: Record<string, unknown>) => provider().check!({}, news);

test.each([
  [{ name: "db" }, { name: "db" }],
  [{ name: "Acme_db-1" }, { name: "Acme_db-1" }],
  [{ config: { version: "16" } }, { config: { version: "16" } }],
  [{ config: {} }, { config: {} }],
  [{ name: null, config: null }, {}],
])("%j passes", async (given, checked) => {
  expect(await check({ app: APP, plan: PLAN, ...given })).toStrictEqual({
    inputs: { app: APP, plan: PLAN, ...checked },
    failures: [],
  });
});

test.each([
  [{ name: "d" }, "name", `got "d"; allowed: ${NAME_ALLOWED}`],
  [{ name: "1db" }, "name", `got "1db"; allowed: ${NAME_ALLOWED}`],
  [{ name: "acme db" }, "name", `got "acme db"; allowed: ${NAME_ALLOWED}`],
  [{ name: "acme.db" }, "name", `got "acme.db"; allowed: ${NAME_ALLOWED}`],
  [{ config: { version: 16 } }, "config", `got {"version":16}; allowed: ${CONFIG_ALLOWED}`],
  [
    { config: { "db-version": "16" } },
    "config",
    `got {"db-version":"16"}; allowed: ${CONFIG_ALLOWED}`,
  ],
  [{ config: "version=16" }, "config", `got "version=16"; allowed: ${CONFIG_ALLOWED}`],
  [{ app: " " }, "app", 'got " "; allowed: an app id or name'],
])("%j fails on %s", async (given, property, reason) => {
  expect((await check({ app: APP, plan: PLAN, ...given })).failures).toStrictEqual([
    { property, reason },
  ]);
});

test.each([
  ["heroku-redis:mini", "heroku-redis", true],
  ["heroku-redis:mini", "heroku-redis:mini", true],
  ["heroku-redis:mini", "heroku-redis:premium-0", false],
  ["heroku-redis:mini", "heroku-redi", false],
  ["heroku-redis:mini", "heroku-redis:mini:x", false],
  [undefined, "heroku-redis", false],
  ["heroku-redis:mini", undefined, false],
  [undefined, undefined, true],
])("stored plan %j satisfies %j: %s", (stored, wanted, satisfied) => {
  expect(planSatisfies(stored, wanted)).toBe(satisfied);
});

const OLDS = { app: APP, plan: PLAN, name: "acme-db", addonId: "id", configVarNames: [] };

test.each([
  ["nothing asked differently", { plan: "heroku-postgresql" }, false, []],
  ["no name asked: Heroku's is fine", { name: undefined }, false, []],
  ["another name (in place)", { name: "acme-db-2" }, true, []],
  ["another plan of the service (in place)", { plan: "heroku-postgresql:essential-1" }, true, []],
  ["another service", { plan: "heroku-redis:mini" }, true, ["plan"]],
  ["another app", { app: "acme-web-2" }, true, ["app"]],
  ["provisioning config", { config: { version: "16" } }, true, ["config"]],
])("diff: %s", async (_what, change, changes, replaces) => {
  const news = { app: APP, plan: PLAN, name: "acme-db", ...change };
  expect(await provider().diff!("id", OLDS, news)).toStrictEqual({
    changes,
    replaces,
    deleteBeforeReplace: true,
  });
});
