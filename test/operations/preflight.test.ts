// Which first answers of Heroku are bad input (exit 2 with the fix) rather than a failed step:
// a 404 on the app or one of its lists (Heroku has no such app, or the token cannot see it) and
// a refused token. Anything else is left to the step's own report.
import { SlipwayError } from "../../errors";
import { HerokuApiError, HerokuNetworkError } from "../../heroku/errors";
import { preflightProblem } from "../../operations/deploy-report";

const APP = "acme-web";
const NO_APP =
  'Heroku has no app "acme-web" that HEROKU_API_KEY can see. Allowed: an app the stack declared ' +
  "and `pulumi up` made. Fix: check the app name (the stack file's slipway:app.name, or --app) " +
  "and the account of HEROKU_API_KEY.";

const answer = (status: number, path: string, id = "not_found") =>
  new HerokuApiError({
    method: "GET",
    path,
    attempts: 1,
    elapsedMs: 0,
    status,
    id,
    herokuMessage: "m",
  });

/** The problem `preflightProblem` throws, as `key: message`; null when it lets the error be. */
function problemOf(error: unknown): string | null {
  try {
    preflightProblem(error, APP);
    return null;
  } catch (thrown) {
    if (!(thrown instanceof SlipwayError)) throw thrown;
    return thrown.problems.map((p) => `${p.key}: ${p.message}`).join("\n");
  }
}

test.each([
  ["/apps/acme-web"],
  ["/apps/acme-web/releases"],
  ["/apps/acme-web/formation"],
  ["/apps/acme-web/dynos?limit=10"],
  ["/apps/acme-web/config-vars"],
])("a 404 on %s: Heroku has no such app", (path) => {
  expect(problemOf(answer(404, path))).toBe(`app: ${NO_APP}`);
});

test.each([
  // An item of a list: that release or build may be what is missing.
  ["/apps/acme-web/releases/v12"],
  ["/apps/acme-web/builds/01234567-89ab-4cde-8f01-000000000001"],
  // Another app whose name starts the same.
  ["/apps/acme-web2/releases"],
  ["/apps/acme-web-eu"],
  ["/pipelines/01234567-89ab-4cde-8f01-0000000000aa"],
  // A list name is lowercase words and dashes only.
  ["/apps/acme-web/Releases"],
])("a 404 on %s is left to the step", (path) => {
  expect(problemOf(answer(404, path))).toBeNull();
});

test("a refused token is bad input, whatever the path", () => {
  expect(problemOf(answer(401, "/apps/acme-web/releases/v12", "unauthorized"))).toBe(
    "HEROKU_API_KEY: Heroku refused the token (401 unauthorized). Allowed: a valid Heroku API " +
      "token. Fix: export HEROKU_API_KEY=$(heroku auth:token), or a long-lived one from " +
      "`heroku authorizations:create`.",
  );
});

test.each([
  ["another status", answer(403, "/apps/acme-web", "forbidden")],
  [
    "a network failure",
    new HerokuNetworkError({
      method: "GET",
      path: "/apps/acme-web",
      attempts: 3,
      elapsedMs: 9,
      failure: "reset",
      detail: "d",
    }),
  ],
  ["another error", new Error("boom")],
])("%s is left to the step", (_what, error) => {
  expect(problemOf(error)).toBeNull();
});
