// The plumbing every Heroku provider shares: equality for the local diff, values unknown in a
// preview, the input checker, and the provider's answer for a resource that is gone.
import { InputChecker } from "../../components/heroku/check";
import {
  ADOPT_WINDOW_MS,
  compact,
  createdSince,
  containsUnknown,
  defineProvider,
  diffInputs,
  initFailure,
  isUuid,
  sameValue,
  UNKNOWN_VALUE,
} from "../../components/heroku/provider";
import { rejectionOf } from "./support";

test.each([
  [{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true],
  [{ a: 1, b: undefined }, { a: 1 }, true],
  [{ a: null }, {}, true],
  [undefined, null, true],
  [[1, 2], [2, 1], false],
  [{ a: { x: "1" } }, { a: { x: "2" } }, false],
  ["a", "a", true],
])("sameValue(%j, %j) is %s", (a, b, expected) => {
  expect(sameValue(a, b)).toBe(expected);
});

test.each([
  [UNKNOWN_VALUE, true],
  [[1, UNKNOWN_VALUE], true],
  [{ a: { b: UNKNOWN_VALUE } }, true],
  [{ a: "known", b: UNKNOWN_VALUE }, true],
  // The engine's typed sentinels: bool, number, object.
  ["1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", true],
  [{ n: "3eeb2bf0-c639-47a8-9e75-3b44932eb421" }, true],
  [["dd056dcd-154b-4c76-9bd3-c8f88648b5ff"], true],
  ["01234567-89ab-4cde-8f01-000000000001", false],
  [{ a: "known" }, false],
  [null, false],
])("containsUnknown(%j) is %s", (value, expected) => {
  expect(containsUnknown(value)).toBe(expected);
});

test("compact drops undefined, deeply", () => {
  expect(compact({ a: undefined, b: [{ c: undefined, d: 1 }], e: null })).toEqual({
    b: [{ d: 1 }],
    e: null,
  });
});

test("isUuid", () => {
  expect(isUuid("01234567-89ab-4cde-8f01-000000000001")).toBe(true);
  expect(isUuid("01234567-89AB-4CDE-8F01-00000000000A")).toBe(true);
  expect(isUuid("acme-web")).toBe(false);
  expect(isUuid("x01234567-89ab-4cde-8f01-000000000001")).toBe(false);
  expect(isUuid("01234567-89ab-4cde-8f01-000000000001x")).toBe(false);
  expect(isUuid(7)).toBe(false);
});

test("createdSince: made at or after the moment counts, a millisecond before does not", () => {
  const since = Date.parse("2025-01-06T09:00:00.000Z");
  expect(
    ["2025-01-06T08:59:59.999Z", "2025-01-06T09:00:00.000Z", "2025-01-06T09:00:00.001Z"].map(
      (created_at) => createdSince({ created_at }, since),
    ),
  ).toEqual([false, true, true]);
  expect(ADOPT_WINDOW_MS).toBe(600_000);
});

describe("diffInputs", () => {
  const spec = {
    inputs: ["name", "region", "plan"],
    replaceOn: {
      region: true as const,
      plan: (olds: { plan: string }, news: { plan: string }) => olds.plan[0] !== news.plan[0],
    },
    satisfies: {
      plan: (stored: unknown, wanted: unknown) => String(stored).startsWith(String(wanted)),
    },
  };
  const olds = { name: "a", region: "us", plan: "x:1", appId: "id", __provider: "old" };

  test.each([
    [
      "nothing but outputs and the provider",
      { name: "a", region: "us", plan: "x:1", __provider: "new" },
      false,
      [],
    ],
    ["a plan the stored one satisfies", { name: "a", region: "us", plan: "x" }, false, []],
    ["a name", { name: "b", region: "us", plan: "x:1" }, true, []],
    ["a region", { name: "a", region: "eu", plan: "x:1" }, true, ["region"]],
    ["a plan by the rule", { name: "a", region: "us", plan: "y:1" }, true, ["plan"]],
    // Unknown in a preview: a change, never a replacement (the update's diff decides).
    ["an unknown region (preview)", { name: "a", region: UNKNOWN_VALUE, plan: "x:1" }, true, []],
    ["an unknown plan (preview)", { name: "a", region: "us", plan: UNKNOWN_VALUE }, true, []],
    [
      "a known region change beside an unknown plan",
      { name: "a", region: "eu", plan: UNKNOWN_VALUE },
      true,
      ["region"],
    ],
  ])("%s", (_what, news, changes, replaces) => {
    expect(diffInputs(spec as never, olds as never, news as never)).toEqual({
      changes,
      replaces,
      deleteBeforeReplace: true,
    });
  });
});

describe("InputChecker", () => {
  test.each([
    [
      "integer",
      (c: InputChecker) => c.integer("n", 1, 30, 5),
      { n: 31 },
      "got 31; allowed: a whole number from 1 to 30",
    ],
    [
      "integer",
      (c: InputChecker) => c.integer("n", 1, 30, 5),
      { n: 1.5 },
      "got 1.5; allowed: a whole number from 1 to 30",
    ],
    [
      "list",
      (c: InputChecker) => c.list("l", /^a/, "a-words", { nonEmpty: true }),
      { l: [] },
      "got []; allowed: a-words",
    ],
    [
      "list",
      (c: InputChecker) => c.list("l", /^a/, "a-words"),
      { l: ["b"] },
      'got ["b"]; allowed: a-words',
    ],
    [
      "map",
      (c: InputChecker) => c.map("m", /^\w+$/, "a map", () => true),
      { m: [] },
      "got []; allowed: a map",
    ],
    [
      "secret map",
      (c: InputChecker) => c.map("m", /^\w+$/, "a map", () => true, { secret: true }),
      { m: "s3cret" },
      'got "[secret]"; allowed: a map',
    ],
  ])("%s: %j", (_kind, run, news, reason) => {
    const checker = new InputChecker(news);
    run(checker);
    expect(checker.result().failures).toEqual([{ property: Object.keys(news)[0], reason }]);
  });

  test("defaults, optional fields and sorted lists", () => {
    const checker = new InputChecker({ l: ["b", "a", "b"] })
      .integer("n", 1, 30, 5)
      .string("o", /x/, "x", null)
      .list("l", /^[ab]$/, "a or b", { sorted: true });
    expect(checker.result()).toEqual({ inputs: { n: 5, l: ["a", "b"] }, failures: [] });
  });
});

test("a provider answers a gone resource with no id, as the engine expects", async () => {
  const provider = defineProvider({
    inputs: [],
    replaceOn: {},
    check: () => ({ inputs: {}, failures: [] }),
    create: () => Promise.resolve({ id: "x", outs: {} }),
    read: () => Promise.resolve(undefined),
    update: () => Promise.resolve({}),
    delete: () => Promise.resolve(),
  });
  expect(await provider.read!("x", { __provider: "text" })).toEqual({});
  expect(await provider.read!("x")).toEqual({});
});

describe("failed creates and updates, as the SDK's host reads them", () => {
  /** A provider whose create and update fail with `error`. */
  const failing = (error: () => Error) =>
    defineProvider({
      inputs: [],
      replaceOn: {},
      check: () => ({ inputs: {}, failures: [] }),
      create: () => Promise.reject(error()),
      read: () => Promise.resolve(undefined),
      update: () => Promise.reject(error()),
      delete: () => Promise.resolve(),
    });
  const inputs = { a: "1", __provider: "exports.handler = ..." };

  test("an init failure keeps __provider, which the host needs for every later call", async () => {
    const provider = failing(() =>
      initFailure(new Error("not ready"), "id-1", { a: "1", b: undefined }),
    );
    for (const failed of [provider.create(inputs), provider.update!("id-1", inputs, inputs)]) {
      const error = await rejectionOf<Error & Record<string, unknown>>(failed);
      expect([error.message, error.id, error.properties, error.reasons]).toEqual([
        "not ready",
        "id-1",
        { a: "1", __provider: "exports.handler = ..." },
        ["not ready"],
      ]);
    }
  });

  test("an init failure made from a thrown string keeps it as the message", () => {
    const error = initFailure("timed out", "id-2", {}) as Error & { reasons: string[] };
    expect([error.message, error.reasons]).toEqual(["timed out", ["timed out"]]);
  });

  test("any other error with an id (Heroku's error id) loses it: the host would record a resource", async () => {
    const heroku = () =>
      Object.assign(new Error("Heroku API POST /apps answered 422 invalid_params: Name is taken"), {
        id: "invalid_params",
      });
    const provider = failing(heroku);
    for (const failed of [provider.create(inputs), provider.update!("x", inputs, inputs)]) {
      const error = await rejectionOf<Error & { cause: Error & { id: string } }>(failed);
      expect(Object.keys(error)).not.toContain("id");
      expect([error.message, error.cause.id]).toEqual([
        "Heroku API POST /apps answered 422 invalid_params: Name is taken",
        "invalid_params",
      ]);
      expect(error.stack).toBe(error.cause.stack);
    }
  });

  test("errors without an id pass unchanged", async () => {
    const original = new Error("plain");
    const error = await rejectionOf(failing(() => original).create(inputs));
    expect(error).toBe(original);
  });
});
