// Every field check of the Heroku providers' InputChecker at its edges: what passes, what fails
// with which exact reason, and what the checked inputs hold afterwards (defaults, absences,
// values unknown in a preview).
import { InputChecker, reasonFor } from "../../components/heroku/check";
import type { Props } from "../../components/heroku/provider";
import { UNKNOWN_VALUE } from "../../components/heroku/provider";

type Check = (c: InputChecker) => InputChecker;

const LOWER = /^[a-z]+$/;
const checks: Record<string, Check> = {
  string: (c) => c.string("s", LOWER, "lowercase letters"),
  "string with a fallback": (c) => c.string("s", LOWER, "lowercase letters", "dflt"),
  "optional string": (c) => c.string("s", LOWER, "lowercase letters", null),
  secretString: (c) => c.secretString("s", LOWER, "lowercase letters"),
  oneOf: (c) => c.oneOf("s", ["us", "eu"]),
  "oneOf with a fallback": (c) => c.oneOf("s", ["us", "eu"], "us"),
  boolean: (c) => c.boolean("s", false),
  integer: (c) => c.integer("s", 1, 30, 5),
  list: (c) => c.list("s", LOWER, "words"),
  "non-empty list": (c) => c.list("s", LOWER, "words", { nonEmpty: true }),
  "list with a fallback": (c) => c.list("s", LOWER, "words", { fallback: ["x"] }),
  "sorted list": (c) => c.list("s", LOWER, "words", { sorted: true }),
  map: (c) => c.map("s", /^[A-Z]+$/, "names to numbers", (v) => typeof v === "number"),
  "optional map": (c) =>
    c.map("s", /^[A-Z]+$/, "names to numbers", (v) => typeof v === "number", { fallback: null }),
  "map with a fallback": (c) =>
    c.map("s", /^[A-Z]+$/, "names to numbers", (v) => typeof v === "number", {
      fallback: { A: 1 },
    }),
  "secret map": (c) =>
    c.map("s", /^[A-Z]+$/, "names to numbers", (v) => typeof v === "number", { secret: true }),
};

// Each row: the check, the value given for `s` (absent when undefined), the checked inputs, and
// the failure's reason (null when it passes).
test.each<[string, unknown, Props, string | null]>([
  ["string", "abc", { s: "abc" }, null],
  ["string", "aBc", { s: "aBc" }, 'got "aBc"; allowed: lowercase letters'],
  ["string", 7, { s: 7 }, "got 7; allowed: lowercase letters"],
  ["string", undefined, {}, "got nothing; allowed: lowercase letters"],
  ["string", null, {}, "got null; allowed: lowercase letters"],
  ["string", UNKNOWN_VALUE, { s: UNKNOWN_VALUE }, null],
  ["string with a fallback", undefined, { s: "dflt" }, null],
  ["string with a fallback", null, { s: "dflt" }, null],
  ["optional string", undefined, {}, null],
  ["optional string", "x1", { s: "x1" }, 'got "x1"; allowed: lowercase letters'],
  ["secretString", "abc", { s: "abc" }, null],
  ["secretString", "S3cret", { s: "S3cret" }, 'got "[secret]"; allowed: lowercase letters'],
  ["secretString", 42, { s: 42 }, 'got "[secret]"; allowed: lowercase letters'],
  ["secretString", undefined, {}, "got nothing; allowed: lowercase letters"],
  ["oneOf", "eu", { s: "eu" }, null],
  ["oneOf", "asia", { s: "asia" }, 'got "asia"; allowed: one of us, eu'],
  ["oneOf", undefined, {}, "got nothing; allowed: one of us, eu"],
  ["oneOf with a fallback", undefined, { s: "us" }, null],
  ["boolean", true, { s: true }, null],
  ["boolean", "true", { s: "true" }, 'got "true"; allowed: true or false'],
  ["boolean", undefined, { s: false }, null],
  ["integer", 1, { s: 1 }, null],
  ["integer", 30, { s: 30 }, null],
  ["integer", 0, { s: 0 }, "got 0; allowed: a whole number from 1 to 30"],
  ["integer", 31, { s: 31 }, "got 31; allowed: a whole number from 1 to 30"],
  ["integer", 2.5, { s: 2.5 }, "got 2.5; allowed: a whole number from 1 to 30"],
  ["integer", "3", { s: "3" }, 'got "3"; allowed: a whole number from 1 to 30'],
  ["integer", undefined, { s: 5 }, null],
  ["list", ["b", "a"], { s: ["b", "a"] }, null],
  ["list", [], { s: [] }, null],
  ["list", ["a", "B"], { s: ["a", "B"] }, 'got ["a","B"]; allowed: words'],
  ["list", ["a", 1], { s: ["a", 1] }, 'got ["a",1]; allowed: words'],
  // true reads as "true", which the pattern would take: only strings count
  ["list", ["a", true], { s: ["a", true] }, 'got ["a",true]; allowed: words'],
  ["list", "a", { s: "a" }, 'got "a"; allowed: words'],
  ["list", ["a", UNKNOWN_VALUE], { s: ["a", UNKNOWN_VALUE] }, null],
  ["list", undefined, {}, "got nothing; allowed: words"],
  ["non-empty list", [], { s: [] }, "got []; allowed: words"],
  ["non-empty list", ["a"], { s: ["a"] }, null],
  ["list with a fallback", undefined, { s: ["x"] }, null],
  ["sorted list", ["c", "a", "c", "b"], { s: ["a", "b", "c"] }, null],
  ["sorted list", ["c", UNKNOWN_VALUE], { s: ["c", UNKNOWN_VALUE] }, null],
  ["sorted list", "c", { s: "c" }, 'got "c"; allowed: words'],
  ["map", { A: 1, BC: 2 }, { s: { A: 1, BC: 2 } }, null],
  ["map", {}, { s: {} }, null],
  ["map", { a: 1 }, { s: { a: 1 } }, 'got {"a":1}; allowed: names to numbers'],
  ["map", { A: "1" }, { s: { A: "1" } }, 'got {"A":"1"}; allowed: names to numbers'],
  ["map", { A: UNKNOWN_VALUE }, { s: { A: UNKNOWN_VALUE } }, null],
  ["map", [1], { s: [1] }, "got [1]; allowed: names to numbers"],
  ["map", "A=1", { s: "A=1" }, 'got "A=1"; allowed: names to numbers'],
  ["map", undefined, {}, "got nothing; allowed: names to numbers"],
  ["optional map", undefined, {}, null],
  ["map with a fallback", undefined, { s: { A: 1 } }, null],
  [
    "secret map",
    { A: "x", B: 2 },
    { s: { A: "x", B: 2 } },
    'got {"A":"[secret]","B":"[secret]"}; allowed: names to numbers',
  ],
  ["secret map", "A=x", { s: "A=x" }, 'got "[secret]"; allowed: names to numbers'],
  ["secret map", null, {}, "got null; allowed: names to numbers"],
  ["secret map", ["x"], { s: ["x"] }, 'got "[secret]"; allowed: names to numbers'],
])("%s given %j: inputs %j, failure %j", (check, given, inputs, reason) => {
  const news: Props = given === undefined ? {} : { s: given };
  const result = (checks[check] as Check)(new InputChecker(news)).result();
  expect(result).toEqual({
    inputs,
    failures: reason === null ? [] : [{ property: "s", reason }],
  });
});

test("fail adds a failure the field checks cannot express, after theirs", () => {
  const checker = new InputChecker({ a: 1 })
    .string("a", LOWER, "letters")
    .fail("region", "eu", "no region in a Private Space");
  expect(checker.failures).toEqual([
    { property: "a", reason: "got 1; allowed: letters" },
    { property: "region", reason: 'got "eu"; allowed: no region in a Private Space' },
  ]);
  expect(checker.inputs).toEqual({ a: 1 });
});

test("reasonFor says nothing for an absent value and JSON for any other", () => {
  expect([undefined, null, "", 0, false].map((v) => reasonFor(v, "x"))).toEqual([
    "got nothing; allowed: x",
    "got null; allowed: x",
    'got ""; allowed: x',
    "got 0; allowed: x",
    "got false; allowed: x",
  ]);
});
