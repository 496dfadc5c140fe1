// The Formation provider's rules without a server: every condition of an entry's check at its
// edge (quantity 0, a fraction, a missing or non-string size, an entry that is not an object),
// the sizes lowercased only when everything passed, the batch update between two formations,
// and which changes replace the resource.
import { createFormationProvider, formationUpdates } from "../../components/heroku/formation";

// Built inside each test, where Stryker sees its rules run (not once when the file loads).
const provider = () => createFormationProvider();
const APP = "acme-web";
const ALLOWED =
  "a map of process type to { quantity (0 or more), size (eco, basic, standard-1x, standard-2x, " +
  "performance-m, performance-l, performance-l-ram, performance-xl, performance-2xl) }";

const check = (news: Record<string, unknown>) => provider().check!({}, news);

test.each([
  [{ web: { quantity: 0, size: "eco" } }, { web: { quantity: 0, size: "eco" } }],
  [
    { web: { quantity: 1, size: "Performance-L" } },
    { web: { quantity: 1, size: "performance-l" } },
  ],
  [
    { web: { quantity: 2, size: "STANDARD-2X" }, worker: { quantity: 0, size: "Basic" } },
    { web: { quantity: 2, size: "standard-2x" }, worker: { quantity: 0, size: "basic" } },
  ],
  [{}, {}],
])("formation %j passes as %j", async (formation, checked) => {
  expect(await check({ app: APP, formation })).toStrictEqual({
    inputs: { app: APP, formation: checked },
    failures: [],
  });
});

test.each([
  [{ web: { quantity: -1, size: "eco" } }, '{"web":{"quantity":-1,"size":"eco"}}'],
  [{ web: { quantity: 1.5, size: "eco" } }, '{"web":{"quantity":1.5,"size":"eco"}}'],
  [{ web: { quantity: "1", size: "eco" } }, '{"web":{"quantity":"1","size":"eco"}}'],
  [{ web: { size: "eco" } }, '{"web":{"size":"eco"}}'],
  [{ web: { quantity: 1, size: "huge" } }, '{"web":{"quantity":1,"size":"huge"}}'],
  [{ web: { quantity: 1, size: 2 } }, '{"web":{"quantity":1,"size":2}}'],
  [{ web: { quantity: 1 } }, '{"web":{"quantity":1}}'],
  [{ web: null }, '{"web":null}'],
  [{ web: "standard-1x" }, '{"web":"standard-1x"}'],
  // A key without a value (JSON drops it from what the failure shows).
  [{ web: undefined }, "{}"],
  [{ Web: { quantity: 1, size: "eco" } }, '{"Web":{"quantity":1,"size":"eco"}}'],
])("formation %j fails, kept as given", async (formation, shown) => {
  expect(await check({ app: APP, formation })).toStrictEqual({
    inputs: { app: APP, formation },
    failures: [{ property: "formation", reason: `got ${shown}; allowed: ${ALLOWED}` }],
  });
});

// The engine's unknown string: in a preview, an input computed from another resource's output.
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

test.each([
  [UNKNOWN],
  [{ web: UNKNOWN, worker: { quantity: 1, size: "Basic" } }],
  [{ web: { quantity: 1, size: UNKNOWN } }],
])("a formation not known yet (%j) passes as given, not lowercased", async (formation) => {
  expect(await check({ app: APP, formation })).toStrictEqual({
    inputs: { app: APP, formation },
    failures: [],
  });
});

test("a failure elsewhere leaves the sizes as given", async () => {
  const formation = { web: { quantity: 1, size: "Eco" } };
  expect(await check({ app: " ", formation })).toStrictEqual({
    inputs: { app: " ", formation },
    failures: [{ property: "app", reason: 'got " "; allowed: an app id or name' }],
  });
});

test.each([
  ["nothing had", {}, { web: { quantity: 1, size: "eco" } }, [["web", 1, "eco"]]],
  ["the same", { web: { quantity: 1, size: "eco" } }, { web: { quantity: 1, size: "eco" } }, []],
  [
    "another size only",
    { web: { quantity: 1, size: "eco" } },
    { web: { quantity: 1, size: "basic" } },
    [["web", 1, "basic"]],
  ],
  [
    "a type removed, scaled to 0 at its size; a type kept unchanged",
    { web: { quantity: 2, size: "standard-2x" }, clock: { quantity: 1, size: "basic" } },
    { web: { quantity: 2, size: "standard-2x" } },
    [["clock", 0, "basic"]],
  ],
])("formationUpdates, %s", (_what, had, wanted, updates) => {
  expect(formationUpdates(had, wanted)).toStrictEqual(
    updates.map(([type, quantity, name]) => ({ type, quantity, dyno_size: { name } })),
  );
});

test.each([
  ["nothing changed", { app: APP }, false, []],
  ["another formation", { app: APP, formation: { web: { quantity: 2, size: "eco" } } }, true, []],
  ["another app", { app: "acme-web-2" }, true, ["app"]],
])("diff: %s", async (_what, change, changes, replaces) => {
  const olds = { app: APP, formation: { web: { quantity: 1, size: "eco" } } };
  expect(await provider().diff!(APP, olds, { ...olds, ...change })).toStrictEqual({
    changes,
    replaces,
    deleteBeforeReplace: true,
  });
});
