// App: a Heroku app with its region, stack, buildpacks, maintenance mode and ACM.
//
// Changes: `region`, `team` and `space` replace the app (Heroku cannot move an app between regions
// or spaces, and a new owner means a new app here), deleting it first because app names are
// global. An app in a Private Space takes the space's region: it has no `region` input, and the
// one Heroku reports (`virginia`) satisfies its absence. A new `name`
// renames it in place (PATCH): its id, add-ons and config stay, only its URLs change. `stack`,
// `buildpacks`, `maintenance` and `acm` change in place.
// Refresh is one GET of the app: buildpacks are not part of that answer, so a buildpack changed by
// hand is not seen (slipway sets them again whenever `buildpacks` changes).
import type * as pulumi from "@pulumi/pulumi";
import {
  HEROKU_APP_NAME,
  HEROKU_REGIONS,
  HEROKU_SPACE_NAME,
  HEROKU_STACKS,
} from "../../config/limits";
import { HerokuClient, HerokuClientOptions, herokuPath } from "../../heroku/client";
import { InputChecker } from "./check";
import { ADOPT_WINDOW_MS, createdSince, defineProvider, initFailure, Props } from "./provider";

export interface AppInputs extends Props {
  name: string;
  /** Absent for an app in a Private Space. */
  region?: string;
  stack: string;
  buildpacks: string[];
  maintenance: boolean;
  acm: boolean;
  team?: string;
  space?: string;
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
  space: { name: string } | null;
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
    space: app.space?.name,
  });

  return defineProvider<AppInputs, AppOutputs>({
    inputs: ["name", "region", "stack", "buildpacks", "maintenance", "acm", "team", "space"],
    replaceOn: { region: true, team: true, space: true },
    satisfies: {
      // A space app wants no region: the space's, whatever Heroku calls it, is the one.
      region: (stored, wanted) => wanted === undefined || stored === wanted,
    },
    check: (news) => {
      const inSpace = news["space"] !== undefined && news["space"] !== null;
      const checker = new InputChecker(news)
        .string(
          "name",
          HEROKU_APP_NAME,
          "3-30 lowercase letters, digits and dashes, starting with a letter",
        )
        .oneOf("region", HEROKU_REGIONS, inSpace ? null : "us")
        .oneOf("stack", HEROKU_STACKS, "heroku-24")
        .list("buildpacks", /\S/, "a list of buildpack names or URLs", { fallback: [] })
        .boolean("maintenance", false)
        .boolean("acm", false)
        .string("team", /^[a-z0-9][a-z0-9-]*$/, "a Heroku team name", inSpace ? undefined : null)
        .string("space", HEROKU_SPACE_NAME, "a Heroku Private Space name", null);
      if (inSpace && news["region"] !== undefined && news["region"] !== null) {
        checker.fail("region", news["region"], "no region for an app in a Private Space");
      }
      return checker.result();
    },

    async create(inputs) {
      const api = client();
      const since = now() - ADOPT_WINDOW_MS;
      const { name, region, stack, team, space } = inputs;
      // A space app takes the space's region; a space belongs to a team (check requires it).
      const body =
        space !== undefined
          ? { name, stack, team, space }
          : team === undefined
            ? { name, region, stack }
            : { name, region, stack, team };
      const { resource: app } = await api.createOrAdopt<HerokuApp>({
        path: team === undefined ? "/apps" : "/teams/apps",
        body,
        lookup: herokuPath`/apps/${name}`,
        matches: (found) =>
          (space === undefined ? found.region.name === region : found.space?.name === space) &&
          found.team?.name === team &&
          createdSince(found, since),
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
        region: { name: olds.region ?? "" },
        build_stack: { name: olds.stack },
        maintenance: olds.maintenance,
        acm: olds.acm,
        team: null,
        space: null,
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
