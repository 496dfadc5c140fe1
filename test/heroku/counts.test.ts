// Request counts per operation for the committed staging stack's Heroku resources (the numbers
// `npm run bench` prints): refresh is one GET per resource, a no-op diff sends nothing.
import { benchHeroku, TERRAFORM_REFRESH_CALLS } from "../../bench/heroku";
import { isolateHerokuEnv } from "./support";

isolateHerokuEnv();

test("staging: create, refresh, no-op diff and delete, counted by the fake", async () => {
  const lines: string[] = [];
  const result = await benchHeroku((line) => lines.push(line));
  expect(result).toEqual({
    resources: ["App", "ConfigVars", "Formation", "AppFeature", "PipelineCoupling"],
    // App: POST and its buildpacks; config vars, formation, runtime-dyno-metadata, coupling: one
    // each. Delete: the feature is switched off (one PATCH), the app's DELETE takes the rest but
    // the coupling's and the config vars'.
    calls: { create: 6, refresh: 5, diff: 0, delete: 4 },
    terraformSetRefresh: 6,
  });
  expect(lines).toEqual([
    "bench heroku create: 6 calls (5 staging resources: App, ConfigVars, Formation, AppFeature, PipelineCoupling)",
    "bench heroku refresh: 5 calls (target 5, one per resource: ok)",
    "bench heroku no-op diff: 0 calls (target 0: ok)",
    "bench heroku delete: 4 calls",
    `bench heroku refresh of app, formation, add-on, pipeline, coupling, review-app config: 6 calls (terraform-provider-heroku: ${TERRAFORM_REFRESH_CALLS})`,
  ]);
}, 120_000);
