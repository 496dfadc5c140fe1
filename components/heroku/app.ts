// App: a Heroku app with its region, stack, buildpacks, maintenance mode and ACM.
//
// Changes: `region` and `team` replace the app (Heroku cannot move an app between regions, and a
// new owner means a new app here), deleting it first because app names are global. A new `name`
// renames it in place (PATCH): its id, add-ons and config stay, only its URLs change. `stack`,
// `buildpacks`, `maintenance` and `acm` change in place.
// Refresh is one GET of the app: buildpacks are not part of that answer, so a buildpack changed by
// hand is not seen (slipway sets them again whenever `buildpacks` changes).
import type * as pulumi from "@pulumi/pulumi";
import { HEROKU_APP_NAME, HEROKU_REGIONS, HEROKU_STACKS } from "../../config/limits";
import { HerokuClient, HerokuClientOptions, herokuPath } from "../../heroku/client";
import { InputChecker } from "./check";
import { ADOPT_WINDOW_MS, createdSince, defineProvider, initFailure, Props } from "./provider";

export interface AppInputs extends Props {
  name: string;
  region: string;
  stack: string;
  buildpacks: string[];
  maintenance: boolean;
  acm: boolean;
  team?: string;
}

export interface AppOutputs extends AppInputs {
  appId: string;
  webUrl: string;
  gitUrl: string;
}

/** The fields of Heroku's app answer the provider reads. */
export interface HerokuApp {
  id: string;
  name: string;
  created_at: string;
  region: { name: string };
  build_stack: { name: string };
  maintenance: boolean;
  acm: boolean;
  team: { name: string } | null;
  web_url: string | null;
  git_url: string;
}

export function createAppProvider(
  options: HerokuClientOptions = {},
): pulumi.dynamic.ResourceProvider {
  const client = () => new HerokuClient(options);
  const now = () => (options.now ?? Date.now)();

  const outputs = (inputs: AppInputs, app: HerokuApp): AppOutputs => ({
    ...inputs,
    appId: app.id,
    webUrl: app.web_url ?? "",
    gitUrl: app.git_url,
  });

  /** Brings an app to the wanted settings; `had` is what it has now (nothing for a new app). */
  async function converge(
    api: HerokuClient,
    app: HerokuApp,
    wanted: AppInputs,
    had: Partial<AppInputs>,
  ) {
    const patch: Props = {};
    if (wanted.name !== app.name) patch.name = wanted.name;
    if (wanted.stack !== app.build_stack.name) patch.build_stack = wanted.stack;
    if (wanted.maintenance !== app.maintenance) patch.maintenance = wanted.maintenance;
    let current = app;
    if (Object.keys(patch).length > 0) {
      current = await api.patch<HerokuApp>(herokuPath`/apps/${app.id}`, patch);
    }
    if (JSON.stringify(wanted.buildpacks) !== JSON.stringify(had.buildpacks ?? [])) {
      const updates = wanted.buildpacks.map((buildpack) => ({ buildpack }));
      await api.put(herokuPath`/apps/${app.id}/buildpack-installations`, { updates });
    }
    if (wanted.acm !== current.acm) {
      const path = herokuPath`/apps/${app.id}/acm`;
      current = await (wanted.acm ? api.post<HerokuApp>(path) : api.delete<HerokuApp>(path));
    }
    return current;
  }

  /** The inputs that describe `app` as Heroku has it (its answer has no buildpacks). */
  const settingsOf = (app: HerokuApp, buildpacks: string[]): AppInputs => ({
    name: app.name,
    region: app.region.name,
    stack: app.build_stack.name,
    buildpacks,
    maintenance: app.maintenance,
    acm: app.acm,
    team: app.team?.name,
  });

  return defineProvider<AppInputs, AppOutputs>({
    inputs: ["name", "region", "stack", "buildpacks", "maintenance", "acm", "team"],
    replaceOn: { region: true, team: true },
    check: (news) =>
      new InputChecker(news)
        .string(
          "name",
          HEROKU_APP_NAME,
          "3-30 lowercase letters, digits and dashes, starting with a letter",
        )
        .oneOf("region", HEROKU_REGIONS, "us")
        .oneOf("stack", HEROKU_STACKS, "heroku-24")
        .list("buildpacks", /\S/, "a list of buildpack names or URLs", { fallback: [] })
        .boolean("maintenance", false)
        .boolean("acm", false)
        .string("team", /^[a-z0-9][a-z0-9-]*$/, "a Heroku team name", null)
        .result(),

    async create(inputs) {
      const api = client();
      const since = now() - ADOPT_WINDOW_MS;
      const { name, region, stack, team } = inputs;
      const { resource: app } = await api.createOrAdopt<HerokuApp>({
        path: team === undefined ? "/apps" : "/teams/apps",
        body: team === undefined ? { name, region, stack } : { name, region, stack, team },
        lookup: herokuPath`/apps/${name}`,
        matches: (found) =>
          found.region.name === region && found.team?.name === team && createdSince(found, since),
        description: `app "${name}"`,
      });
      try {
        return { id: app.id, outs: outputs(inputs, await converge(api, app, inputs, {})) };
      } catch (error) {
        // The app exists: Pulumi keeps it with the settings it has, and the next `pulumi up`
        // sets the rest (buildpacks are none yet as far as it knows, so they are set again).
        throw initFailure(error, app.id, outputs(settingsOf(app, []), app));
      }
    },

    async read(id, olds) {
      const app = await client().getOrUndefined<HerokuApp>(herokuPath`/apps/${id}`);
      if (app === undefined) return undefined;
      return outputs(settingsOf(app, olds.buildpacks ?? []), app);
    },

    async update(id, olds, news) {
      const api = client();
      const had: HerokuApp = {
        id,
        name: olds.name,
        created_at: "",
        region: { name: olds.region },
        build_stack: { name: olds.stack },
        maintenance: olds.maintenance,
        acm: olds.acm,
        team: null,
        web_url: olds.webUrl,
        git_url: olds.gitUrl,
      };
      return outputs(news, await converge(api, had, news, olds));
    },

    async delete(id) {
      await client().deleteIgnoringNotFound(herokuPath`/apps/${id}`);
    },
  });
}

/** The provider every App resource uses: one per process, serialized once. */
export const appProvider = createAppProvider();
