// Review stack and app names: a table of branches with the exact names they get, then properties
// over many generated branch names (always valid, never shared by two branches).
import { createHash } from "node:crypto";
import { HEROKU_APP_NAME } from "../../../config/limits";
import { validateSettings } from "../../../config/validate";
import {
  branchHash,
  isPullRequestNumber,
  readableBranch,
  reviewBase,
  reviewNames,
} from "../../../operations/review/naming";

const PRODUCTION = "acme-web";

describe("names of a branch's review stack and app", () => {
  test.each([
    // plain branches
    ["main", undefined, "review-main-taemat", "acme-web-main-taemat"],
    ["login-form", undefined, "review-login-form-tghcoa", "acme-web-login-form-tghcoa"],
    ["a", undefined, "review-a-qxhxjs", "acme-web-a-qxhxjs"],
    ["9to5", undefined, "review-9to5-dbvftb", "acme-web-9to5-dbvftb"],
    // slashes, uppercase, underscores: readable alike, told apart by the hash
    [
      "feature/Login_Form",
      undefined,
      "review-feature-login-form-nnhpld",
      "acme-web-feature-login-nnhpld",
    ],
    [
      "feature/login-form",
      undefined,
      "review-feature-login-form-jsicug",
      "acme-web-feature-login-jsicug",
    ],
    [
      "Feature/Login-Form",
      undefined,
      "review-feature-login-form-fdbexg",
      "acme-web-feature-login-fdbexg",
    ],
    ["HOTFIX", undefined, "review-hotfix-rmlelv", "acme-web-hotfix-rmlelv"],
    ["hotfix", undefined, "review-hotfix-uzzlld", "acme-web-hotfix-uzzlld"],
    ["a/b", undefined, "review-a-b-rxhqpn", "acme-web-a-b-rxhqpn"],
    ["a-b", undefined, "review-a-b-ratime", "acme-web-a-b-ratime"],
    ["a_b", undefined, "review-a-b-daqnpd", "acme-web-a-b-daqnpd"],
    ["user/jane/WIP", undefined, "review-user-jane-wip-zqucjf", "acme-web-user-jane-wip-zqucjf"],
    [
      "release/2024.10",
      undefined,
      "review-release-2024-10-uwrpqh",
      "acme-web-release-2024-1-uwrpqh",
    ],
    [
      "dependabot/npm_and_yarn/lodash-4.17.21",
      undefined,
      "review-dependabot-npm-and-yarn-lodash-4-mdzqdq",
      "acme-web-dependabot-npm-mdzqdq",
    ],
    // dashes at the ends, nothing readable at all
    ["--Fix--", undefined, "review-fix-oyzqtw", "acme-web-fix-oyzqtw"],
    ["___", undefined, "review-jrkeio", "acme-web-jrkeio"],
    ["fix\ttab", undefined, "review-fix-tab-spxqsj", "acme-web-fix-tab-spxqsj"],
    // unicode: accents dropped, other scripts and emoji only in the hash
    ["crème-brûlée", undefined, "review-creme-brulee-gilesc", "acme-web-creme-brulee-gilesc"],
    ["Ünïcödé/Straße", undefined, "review-unicode-stra-e-gojmww", "acme-web-unicode-stra-e-gojmww"],
    ["日本語のブランチ", undefined, "review-bmgtii", "acme-web-bmgtii"],
    ["emoji-🚀-launch", undefined, "review-emoji-launch-iwbqzr", "acme-web-emoji-launch-iwbqzr"],
    // shell syntax is just characters
    [
      "$(touch /tmp/pwned)",
      undefined,
      "review-touch-tmp-pwned-ulbohj",
      "acme-web-touch-tmp-pwne-ulbohj",
    ],
    // very long names, and names that differ only after the cut
    [
      "254-add-error-message-on-timeout",
      undefined,
      "review-254-add-error-message-on-timeout-cyrpql",
      "acme-web-254-add-error-cyrpql",
    ],
    [
      "a".repeat(39) + "-bcdef",
      undefined,
      "review-" + "a".repeat(33) + "-ehzvau",
      "acme-web-" + "a".repeat(14) + "-ehzvau",
    ],
    [
      "x".repeat(60),
      undefined,
      "review-" + "x".repeat(33) + "-bkuecv",
      "acme-web-" + "x".repeat(14) + "-bkuecv",
    ],
    [
      "x".repeat(61),
      undefined,
      "review-" + "x".repeat(33) + "-yilepl",
      "acme-web-" + "x".repeat(14) + "-yilepl",
    ],
    [
      "feature/a-very-long-branch-name-that-goes-on-and-on-1",
      undefined,
      "review-feature-a-very-long-branch-name-t-qvtlja",
      "acme-web-feature-a-very-qvtlja",
    ],
    [
      "feature/a-very-long-branch-name-that-goes-on-and-on-2",
      undefined,
      "review-feature-a-very-long-branch-name-t-tsiofn",
      "acme-web-feature-a-very-tsiofn",
    ],
    // with a pull request number the app is named for it; the stack stays the branch's
    ["feature/login-form", 42, "review-feature-login-form-jsicug", "acme-web-pr-42"],
    ["feature/login-form", 1, "review-feature-login-form-jsicug", "acme-web-pr-1"],
    ["main", 9999999999, "review-main-taemat", "acme-web-pr-9999999999"],
    ["x".repeat(60), 123456, "review-" + "x".repeat(33) + "-bkuecv", "acme-web-pr-123456"],
  ])("%j (pull request %p): stack %s, app %s", (branch, pr, stack, app) => {
    const names = reviewNames({ branch, pr, productionApp: PRODUCTION });
    expect(names.stack).toBe(stack);
    expect(names.app).toBe(app);
    expect(names.slug).toBe(stack.slice("review-".length));
    expect(names.hash).toBe(stack.slice(-6));
    expect(names.app).toMatch(HEROKU_APP_NAME);
    expect(validateSettings({ app: { name: names.app } }, names.stack).kind).toBe("review");
  });

  test.each([
    ["acme-web-production-eu", "acme-web-product-featur-jsicug", "acme-web-product-pr-1234567890"],
    ["a--------------------b", "a-feature-login-form-jsicug", "a-pr-1234567890"],
    ["abc", "abc-feature-login-form-jsicug", "abc-pr-1234567890"],
  ])("a production app named %s gives the base of %s and %s", (productionApp, branchApp, prApp) => {
    const branch = "feature/login-form";
    expect(reviewNames({ branch, productionApp }).app).toBe(branchApp);
    expect(reviewNames({ branch, pr: 1234567890, productionApp }).app).toBe(prApp);
  });

  test("the base is the production name cut to 16 characters, without a trailing dash", () => {
    expect(reviewBase("acme-web")).toBe("acme-web");
    expect(reviewBase("acme-web-producti-on")).toBe("acme-web-product");
    expect(reviewBase("acme-web-product-x")).toBe("acme-web-product");
    expect(reviewBase("acme-web-produc-xyz")).toBe("acme-web-produc");
    expect(() => reviewBase("Acme")).toThrow('reviewBase: "Acme" is not a Heroku app name');
  });

  test("the hash is six letters from the SHA-256 of the exact branch, read as a 40-bit number", () => {
    for (const branch of ["main", "feature/Login_Form", "日本語"]) {
      let value = BigInt("0x" + createHash("sha256").update(branch).digest("hex").slice(0, 10));
      let expected = "";
      for (let i = 0; i < 6; i++) {
        expected += "abcdefghijklmnopqrstuvwxyz"[Number(value % 26n)];
        value /= 26n;
      }
      expect(branchHash(branch)).toBe(expected);
    }
  });

  test("a readable branch keeps lowercase ASCII letters and digits, joined by single dashes", () => {
    expect(readableBranch("  Feature//Ça va?  ")).toBe("feature-ca-va");
    expect(readableBranch("🚀")).toBe("");
  });

  test("pull request numbers are whole, positive and at most 10 digits", () => {
    expect([1, 42, 9999999999].map(isPullRequestNumber)).toEqual([true, true, true]);
    expect([0, -1, 1.5, 10000000000, Number.NaN].map(isPullRequestNumber)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  test("an empty branch or a bad pull request number is a caller's bug", () => {
    expect(() => reviewNames({ branch: "", productionApp: PRODUCTION })).toThrow(
      "reviewNames: the branch name is empty",
    );
    expect(() => reviewNames({ branch: "main", pr: 0, productionApp: PRODUCTION })).toThrow(
      "reviewNames: 0 is not a pull request number",
    );
  });
});

describe("properties over generated branch names", () => {
  // A seeded generator, so a failure reproduces.
  function generator(seed: number) {
    let state = seed >>> 0;
    const next = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    return { next, pick };
  }
  const ALPHABETS = [
    "abcdefghijklmnopqrstuvwxyz",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789",
    "/-_.",
    "éèüößçñ",
    "日本語ブランチ",
    "🚀✨",
    " \t$()[]{}~^:?*",
  ];

  function branches(count: number, seed: number): string[] {
    const { next, pick } = generator(seed);
    const out = new Set<string>();
    // Families that share a long readable start, differing only after any cut.
    for (let i = 0; out.size < count / 4; i++) out.add(`feature/${"shared-start-".repeat(4)}${i}`);
    for (let i = 0; out.size < count / 2; i++) out.add(`Fix/Case_${i}${i % 2 ? "/" : "-"}x`);
    while (out.size < count) {
      const length = 1 + Math.floor(next() * 80);
      let branch = "";
      for (let i = 0; i < length; i++) branch += pick([...pick(ALPHABETS)]);
      out.add(branch);
    }
    return [...out];
  }

  const generated = branches(20000, 12345);

  test("every name is valid: the Heroku app rule and slipway's review stack rule", () => {
    for (const productionApp of ["acme-web", "acme-web-production-eu", "abc"]) {
      for (const branch of generated) {
        const { stack, app } = reviewNames({ branch, productionApp });
        if (!HEROKU_APP_NAME.test(app) || !/^review-[a-z0-9][a-z0-9-]{0,39}$/.test(stack)) {
          throw new Error(`invalid names for ${JSON.stringify(branch)}: ${stack}, ${app}`);
        }
      }
    }
  });

  test("no two branches share a stack or an app, and no branch app is a pull request app", () => {
    const stacks = new Map<string, string>();
    const apps = new Map<string, string>();
    const clashes: string[][] = [];
    for (const branch of generated) {
      const { stack, app } = reviewNames({ branch, productionApp: "acme-web-production-eu" });
      const other = stacks.get(stack) ?? apps.get(app);
      if (other !== undefined) clashes.push([branch, other]);
      stacks.set(stack, branch);
      apps.set(app, branch);
    }
    expect(clashes).toEqual([]);
    expect([stacks.size, apps.size]).toEqual([generated.length, generated.length]);
    const prApps = Array.from(
      { length: 5000 },
      (_, i) =>
        reviewNames({ branch: "main", pr: i + 1, productionApp: "acme-web-production-eu" }).app,
    );
    expect(prApps.filter((app) => apps.has(app) || !HEROKU_APP_NAME.test(app))).toEqual([]);
    expect(new Set(prApps).size).toBe(5000);
  });

  test("the same branch always gets the same names", () => {
    for (const branch of generated.slice(0, 500)) {
      expect(reviewNames({ branch, productionApp: PRODUCTION })).toEqual(
        reviewNames({ branch, productionApp: PRODUCTION }),
      );
    }
  });
});
