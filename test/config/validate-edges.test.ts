// The edges of config validation that the message table in validate.test.ts does not reach: the
// stack's kind when slipway:environment is "" or refused, the examples a missing field's fix
// gives per kind, values shown cut at 80 characters, `--secret` in a fix, and the helpers that
// name a path and find the key a typo meant.
import { z } from "zod";
import {
  closest,
  configPath,
  editDistance,
  explain,
  metaOf,
  misspelledNamespaces,
  validateSettings,
} from "../../config/validate";
import { problemsOf } from "../support/config";

const app = { name: "acme-web-staging" };
const production = {
  app: { name: "acme-web" },
  pipeline: { name: "acme-web" },
  github: { owner: "acme", repository: "acme-web", platformRepository: "acme/slipway" },
};

describe("the stack's kind", () => {
  test('slipway:environment "" (the default) leaves the kind to the stack name', () => {
    const result = validateSettings({ app, environment: "" }, "review-login");
    expect(result.kind).toBe("review");
    expect(result.reviewSlug).toBe("login");
  });

  test("a refused environment leaves the kind unknown, so no check of a kind runs", () => {
    // On a staging stack, reviewApps alone would be refused as a section staging does not use.
    expect(problemsOf({ app, environment: "qa", reviewApps: { staleDays: 3 } })).toEqual([
      {
        key: "slipway:environment",
        message:
          'got "qa": not one of the allowed values. Allowed: production, staging or review; "" (the default) takes the kind from the stack name. ' +
          "Fix: pulumi config set --path 'slipway:environment' staging",
      },
    ]);
  });

  test("a declared kind that contradicts the stack name, in full", () => {
    expect(problemsOf({ app, environment: "review" }, "staging")).toEqual([
      {
        key: "slipway:environment",
        message:
          'says "review" but the stack is named "staging", which makes it staging. ' +
          "Fix: remove slipway:environment from this stack, or name the stack for what it is.",
      },
    ]);
  });
});

describe("a missing app name's fix gives an example for the stack's kind", () => {
  test.each([
    ["staging", "acme-web-staging"],
    ["review-login", "acme-web-review"],
  ])("%s: %s", (stack, example) => {
    const kind = stack === "staging" ? "staging" : "review";
    expect(problemsOf({}, stack)).toEqual([
      {
        key: "slipway:app.name",
        message: `missing: a ${kind} stack needs it and it has no default. Fix: pulumi config set --path 'slipway:app.name' ${example}`,
      },
    ]);
  });

  test("production's other required fields each have their own example", () => {
    const fixes = problemsOf({ app: { name: "acme-web" } }, "production").map((p) =>
      p.message.replace(/^.*Fix: /, ""),
    );
    expect(fixes).toEqual([
      "pulumi config set --path 'slipway:pipeline.name' acme-web",
      "pulumi config set --path 'slipway:github.owner' acme",
      "pulumi config set --path 'slipway:github.repository' acme-web",
      "pulumi config set --path 'slipway:github.platformRepository' acme/slipway",
    ]);
  });
});

describe("the value received, as a message shows it", () => {
  // JSON text of at most 80 characters is shown whole; longer, its first 77 and "...". The
  // space at the end makes the path one the schema refuses.
  const path = (length: number) => `/${"h".repeat(length - 2)} `;

  test("80 characters are shown whole", () => {
    const value = path(78);
    expect(JSON.stringify(value)).toHaveLength(80);
    expect(problemsOf({ app: { ...app, healthCheckPath: value } })[0]?.message).toBe(
      `got ${JSON.stringify(value)}: not in the allowed format. Allowed: a URL path starting with / that answers 200 when the app is healthy. Fix: pulumi config set --path 'slipway:app.healthCheckPath' /health`,
    );
  });

  test("81 characters are cut to 77 and ...", () => {
    const value = path(79);
    expect(JSON.stringify(value)).toHaveLength(81);
    expect(problemsOf({ app: { ...app, healthCheckPath: value } })[0]?.message).toBe(
      `got "/${"h".repeat(75)}...: not in the allowed format. Allowed: a URL path starting with / that answers 200 when the app is healthy. Fix: pulumi config set --path 'slipway:app.healthCheckPath' /health`,
    );
  });

  test("a value under a key stored as a secret is not shown, and the fix keeps --secret", () => {
    expect(
      problemsOf({ app, database: { backupRetentionDays: 99 } }, "staging", ["database"]),
    ).toEqual([
      {
        key: "slipway:database.backupRetentionDays",
        message:
          "got [secret]: above the maximum of 35. Allowed: a whole number of days from 0 to 35 (the RDS limit). " +
          "Fix: pulumi config set --path 'slipway:database.backupRetentionDays' 7 --secret",
      },
    ]);
  });
});

describe("what zod found, in words", () => {
  const issueOf = (schema: z.ZodType, value: unknown) => {
    const result = schema.safeParse(value);
    if (result.success) throw new Error(`${JSON.stringify(value)} passed`);
    return result.error.issues[0] as z.core.$ZodIssue;
  };

  test.each([
    ["a map given as a string", z.record(z.string(), z.string()), "x", "expected an object"],
    ["a number given as a string", z.number(), "x", "expected number"],
    ["a list over its maximum", z.array(z.string()).max(2), ["a", "b", "c"], "more than 2 entries"],
    ["a number over its maximum", z.number().max(2), 3, "above the maximum of 2"],
    ["an empty list", z.array(z.string()).min(1), [], "an empty list"],
    ["a list under its minimum", z.array(z.string()).min(2), ["a"], "fewer than 2 entries"],
    ["an empty string", z.string().min(1), "", "empty"],
    ["a number under its minimum", z.number().min(2), 1, "below the minimum of 2"],
    ["a format", z.string().regex(/^a$/), "b", "not in the allowed format"],
    ["a value not in a list", z.enum(["a", "b"]), "c", "not one of the allowed values"],
    ["a step", z.number().multipleOf(1), 1.5, "not a whole number"],
    [
      "a rule of the schema's own",
      z.string().refine(() => false, { message: "refused by the rule" }),
      "x",
      "refused by the rule",
    ],
  ])("%s", (_label, schema, value, words) => {
    expect(explain(issueOf(schema, value))).toBe(words);
  });

  test("a field typed as a map names it an object in the message", () => {
    expect(problemsOf({ app: { ...app, configVars: "NODE_ENV=production" } })).toEqual([
      {
        key: "slipway:app.configVars",
        message:
          'got "NODE_ENV=production": expected an object. Allowed: a map of plain (non-secret) config var names to string values. ' +
          "Fix: set it in the stack's config file, for example configVars: { NODE_ENV: production }.",
      },
    ]);
  });

  test("a list over its maximum names its size in the message", () => {
    const reviewers = ["a", "b", "c", "d", "e", "f", "g"];
    const github = { ...production.github, productionReviewers: reviewers };
    expect(problemsOf({ ...production, github }, "production")).toEqual([
      {
        key: "slipway:github.productionReviewers",
        message:
          'got ["a","b","c","d","e","f","g"]: more than 6 entries. Allowed: a list of up to 6 GitHub logins (GitHub\'s limit), one of whom approves each production deployment. ' +
          "Fix: set it in the stack's config file, for example productionReviewers: [octocat].",
      },
    ]);
  });
});

describe("configPath writes a path as pulumi config set --path does", () => {
  test.each([
    [["logDrains", 0], "slipway:app.logDrains[0]"],
    [["logDrains", "12"], "slipway:app.logDrains[12]"],
    [["configVars", "a1"], "slipway:app.configVars.a1"],
    [["configVars", "1a"], "slipway:app.configVars.1a"],
    [["configVars", "API_URL"], "slipway:app.configVars.API_URL"],
    [["configVars", "API-URL"], 'slipway:app.configVars["API-URL"]'],
    [["configVars", "-URL"], 'slipway:app.configVars["-URL"]'],
    [["configVars", "URL-"], 'slipway:app.configVars["URL-"]'],
    [[], "slipway:app"],
  ])("%j", (path, written) => {
    expect(configPath("slipway:app", path)).toBe(written);
  });
});

describe("misspelled namespaces", () => {
  test("a namespace far from every known one, or a key without one, is left alone", () => {
    expect(misspelledNamespaces(["kubernetes:context", "slipwya", "aws:region"])).toEqual([]);
  });

  test("each misspelled key is named with what it meant", () => {
    expect(misspelledNamespaces(["herokku:apiKey", "gthub:owner"]).map((p) => p.message)).toEqual([
      "unknown namespace, so Pulumi would pass it to no one. Did you mean heroku:apiKey? Fix: rename the key in the stack's config file.",
      "unknown namespace, so Pulumi would pass it to no one. Did you mean github:owner? Fix: rename the key in the stack's config file.",
    ]);
  });
});

describe("closest and editDistance", () => {
  test.each([
    // A long word is allowed a third of its length: 3 edits for 9 to 11 letters.
    ["reviewApzzz", ["reviewApps"], "reviewApps"],
    // Exactly the tolerance away, in length and in edits.
    ["alerti", ["alerting"], "alerting"],
    // As long as a candidate but more than the tolerance away from it.
    ["xyz", ["app"], undefined],
    // The nearest wins, wherever it is in the list; on a tie, the first.
    ["app", ["app", "api"], "app"],
    ["app", ["api", "app"], "app"],
    ["apx", ["app", "apz"], "app"],
  ])("%s among %j is %s", (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });

  test.each([
    ["", "", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["abc", "abc", 0],
    ["kitten", "sitting", 3],
    ["flaw", "lawn", 2],
    ["database", "databse", 1],
    ["ab", "ba", 2],
  ])("editDistance(%j, %j) is %d", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe("metaOf: a field's allowed/example text through its wrappers", () => {
  const meta = { allowed: "a name", example: "acme" };
  test.each([
    ["on the field", z.string().meta(meta), meta],
    ["under optional and default", z.string().meta(meta).optional().default("acme"), meta],
    ["on no wrapper at all", z.string(), undefined],
    ["on none of its wrappers", z.string().optional(), undefined],
    ["no schema", undefined, undefined],
  ])("%s", (_where, schema, expected) => {
    expect(metaOf(schema)).toEqual(expected);
  });
});
