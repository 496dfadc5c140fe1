// Request counts per operation for the committed staging stack's Heroku resources (the numbers
// `npm run bench` prints): refresh is one GET per resource, a no-op diff sends nothing.
import { benchHeroku, TERRAFORM_REFRESH_CALLS } from "../../bench/heroku";
import { isolateHerokuEnv } from "./support";

isolateHerokuEnv();

test("staging: create, refresh, no-op diff and delete, counted by the fake", async () => {
  const lines: string[] = [];
  const result = await benchHeroku((line) => lines.push(line));
  expect(result).toEqual({
    resources: ["App", "ConfigVars", "Formation", "PipelineCoupling"],
    // App: POST and its buildpacks; config vars, formation, coupling: one each.
    calls: { create: 5, refresh: 4, diff: 0, delete: 3 },
    terraformSetRefresh: 6,
  });
  expect(lines).toEqual([
    "bench heroku create: 5 calls (4 staging resources: App, ConfigVars, Formation, PipelineCoupling)",
    "bench heroku refresh: 4 calls (target 4, one per resource: ok)",
    "bench heroku no-op diff: 0 calls (target 0: ok)",
    "bench heroku delete: 3 calls",
    `bench heroku refresh of app, formation, add-on, pipeline, coupling, review-app config: 6 calls (terraform-provider-heroku: ${TERRAFORM_REFRESH_CALLS})`,
  ]);
}, 20_000);
