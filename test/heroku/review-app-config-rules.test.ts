// The ReviewAppConfig provider's rules without a server: every default, each field's check at its
// edges, the body of settings that differ, and which changes replace the resource.
import {
  createReviewAppConfigProvider,
  reviewAppConfigBody,
} from "../../components/heroku/review-app-config";

// Built inside each test, where Stryker sees its rules run (not once when the file loads).
const provider = () => createReviewAppConfigProvider();
const PIPELINE = "0f3c6a52-2b7e-4c1d-9a8f-5e6d7c8b9a01";
const REPO = "acme/acme-web";
const DEFAULTS = {
  pipeline: PIPELINE,
  repo: REPO,
  automaticReviewApps: false,
  destroyStaleApps: true,
  staleDays: 5,
  waitForCi: true,
};

const check = (news: Record<string, unknown>) => provider().check!({}, news);

test("the defaults", async () => {
  expect(await check({ pipeline: PIPELINE, repo: REPO })).toStrictEqual({
    inputs: DEFAULTS,
    failures: [],
  });
});

test.each([
  [{ pipeline: PIPELINE.toUpperCase() }],
  [{ repo: "Acme-1/acme.web_2-x" }],
  [{ automaticReviewApps: true, destroyStaleApps: false, waitForCi: false }],
  [{ staleDays: 1 }],
  [{ staleDays: 30 }],
  [{ baseName: "a" }],
  [{ baseName: "acme-web-review-2026" }],
])("%j passes as given", async (given) => {
  expect(await check({ ...DEFAULTS, ...given })).toStrictEqual({
    inputs: { ...DEFAULTS, ...given },
    failures: [],
  });
});

const PIPELINE_ALLOWED = "a pipeline id (a UUID)";
const REPO_ALLOWED = "a GitHub repository as owner/name";
const BASE_ALLOWED = "a lowercase prefix for review app names";

test.each([
  [{ pipeline: "acme-web" }, "pipeline", `got "acme-web"; allowed: ${PIPELINE_ALLOWED}`],
  [{ pipeline: `x${PIPELINE}` }, "pipeline", `got "x${PIPELINE}"; allowed: ${PIPELINE_ALLOWED}`],
  [{ pipeline: `${PIPELINE}x` }, "pipeline", `got "${PIPELINE}x"; allowed: ${PIPELINE_ALLOWED}`],
  [{ repo: "acme" }, "repo", `got "acme"; allowed: ${REPO_ALLOWED}`],
  [{ repo: "acme/web/x" }, "repo", `got "acme/web/x"; allowed: ${REPO_ALLOWED}`],
  [{ repo: "acme_co/web" }, "repo", `got "acme_co/web"; allowed: ${REPO_ALLOWED}`],
  [{ repo: " acme/web" }, "repo", `got " acme/web"; allowed: ${REPO_ALLOWED}`],
  [{ repo: "acme/web app" }, "repo", `got "acme/web app"; allowed: ${REPO_ALLOWED}`],
  [{ automaticReviewApps: "yes" }, "automaticReviewApps", 'got "yes"; allowed: true or false'],
  [{ destroyStaleApps: 1 }, "destroyStaleApps", "got 1; allowed: true or false"],
  [{ waitForCi: "no" }, "waitForCi", 'got "no"; allowed: true or false'],
  [{ staleDays: 0 }, "staleDays", "got 0; allowed: a whole number from 1 to 30"],
  [{ staleDays: 31 }, "staleDays", "got 31; allowed: a whole number from 1 to 30"],
  [{ baseName: "Acme" }, "baseName", `got "Acme"; allowed: ${BASE_ALLOWED}`],
  [{ baseName: "1acme" }, "baseName", `got "1acme"; allowed: ${BASE_ALLOWED}`],
  [
    { baseName: "acme-web-review-2026x" },
    "baseName",
    `got "acme-web-review-2026x"; allowed: ${BASE_ALLOWED}`,
  ],
  [{ baseName: "acme web" }, "baseName", `got "acme web"; allowed: ${BASE_ALLOWED}`],
])("%j fails on %s", async (given, property, reason) => {
  expect((await check({ ...DEFAULTS, ...given })).failures).toStrictEqual([{ property, reason }]);
});

test("nothing given: the pipeline and repository are named as missing", async () => {
  expect((await check({})).failures).toStrictEqual([
    { property: "pipeline", reason: `got nothing; allowed: ${PIPELINE_ALLOWED}` },
    { property: "repo", reason: `got nothing; allowed: ${REPO_ALLOWED}` },
  ]);
});

test.each([
  [
    "against nothing: every setting",
    { ...DEFAULTS, baseName: "acme" },
    {},
    {
      automatic_review_apps: false,
      destroy_stale_apps: true,
      stale_days: 5,
      wait_for_ci: true,
      base_name: "acme",
    },
  ],
  ["against the same: nothing", DEFAULTS, DEFAULTS, {}],
  ["a base name no longer wanted: not sent", DEFAULTS, { ...DEFAULTS, baseName: "acme" }, {}],
  [
    "each changed setting alone",
    { ...DEFAULTS, automaticReviewApps: true, staleDays: 9, baseName: "pr" },
    { ...DEFAULTS, baseName: "acme" },
    { automatic_review_apps: true, stale_days: 9, base_name: "pr" },
  ],
  [
    "the other two",
    { ...DEFAULTS, destroyStaleApps: false, waitForCi: false },
    DEFAULTS,
    { destroy_stale_apps: false, wait_for_ci: false },
  ],
])("reviewAppConfigBody %s", (_what, wanted, had, body) => {
  expect(reviewAppConfigBody(wanted, had)).toStrictEqual(body);
});

test.each([
  ["nothing", {}, false, []],
  ["another pipeline", { pipeline: PIPELINE.replace("0f", "1f") }, true, ["pipeline"]],
  ["another repository", { repo: "acme/other" }, true, ["repo"]],
  ["automatic review apps", { automaticReviewApps: true }, true, []],
  ["destroying stale apps", { destroyStaleApps: false }, true, []],
  ["the stale days", { staleDays: 6 }, true, []],
  ["waiting for CI", { waitForCi: false }, true, []],
  ["the base name", { baseName: "acme" }, true, []],
])("diff of %s", async (_what, change, changes, replaces) => {
  expect(await provider().diff!(PIPELINE, DEFAULTS, { ...DEFAULTS, ...change })).toStrictEqual({
    changes,
    replaces,
    deleteBeforeReplace: true,
  });
});
