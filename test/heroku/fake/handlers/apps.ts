// Apps and what hangs off one app: ACM, buildpack installations, config vars, formation, features.
import { created, FakeHttpError, Handler, HandlerContext, invalid, notFound, ok } from "../http";
import {
  App,
  AppRecord,
  DYNO_SIZES,
  FakeState,
  FEATURES,
  Formation,
  REGIONS,
  STACKS,
} from "../state";

const CEDAR = { id: "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", name: "cedar" };

/** The app named in the path (by id or name), or Heroku's 404. */
export function appOf(context: HandlerContext): AppRecord {
  const record = context.state.findApp(context.params[0]!);
  if (!record) throw notFound("app");
  return record;
}

function touch(state: FakeState, record: AppRecord): void {
  record.app.updated_at = state.timestamp();
}

function identify<T extends { id: string; name: string }>(
  list: readonly T[],
  value: string | undefined,
  fallback: string,
  what: string,
): T {
  const wanted = value ?? fallback;
  const found = list.find((item) => item.id === wanted || item.name === wanted);
  if (!found) throw invalid(`Couldn't find that ${what}: ${wanted}.`);
  return found;
}

function urls(
  state: FakeState,
  name: string,
  app: App | undefined,
): Pick<App, "git_url" | "web_url"> {
  const hex = app?.web_url?.match(/-([0-9a-f]{12})\.herokuapp\.com/)?.[1] ?? state.hex12(name);
  return {
    git_url: `https://git.heroku.com/${name}.git`,
    web_url: `https://${name}-${hex}.herokuapp.com/`,
  };
}

function formationFor(state: FakeState, app: App, type: string): Formation {
  const basic = DYNO_SIZES.find((s) => s.name === "Basic")!;
  return {
    app: { name: app.name, id: app.id },
    command: type === "web" ? "npm start" : `npm run ${type}`,
    created_at: app.created_at,
    dyno_size: { id: basic.id, name: basic.name },
    id: state.newId(),
    quantity: type === "web" ? 1 : 0,
    size: basic.name,
    type,
    updated_at: app.created_at,
  };
}

const createApp: Handler = ({ state, body }) => {
  const name =
    (body.name as string | undefined) ?? `fake-app-${state.hex12(state.newId()).slice(0, 6)}`;
  if (state.findApp(name)) throw invalid("Name is already taken");
  const region = identify(REGIONS, body.region as string | undefined, "us", "region");
  const stack = identify(STACKS, body.stack as string | undefined, "heroku-24", "stack");
  const at = state.timestamp();
  const app: App = {
    acm: false,
    archived_at: null,
    buildpack_provided_description: null,
    build_stack: { ...stack },
    created_at: at,
    generation: { ...CEDAR },
    id: state.newId(),
    internal_routing: null,
    maintenance: false,
    name,
    owner: { email: state.account.email, id: state.account.id },
    organization: null,
    team: null,
    region: { ...region },
    released_at: null,
    repo_size: null,
    slug_size: null,
    space: null,
    stack: { ...stack },
    updated_at: at,
    ...urls(state, name, undefined),
  };
  const record: AppRecord = {
    app,
    configVars: {},
    buildpacks: [],
    formation: state.settings.processTypes.map((type) => formationFor(state, app, type)),
    features: FEATURES.map((f) => ({
      ...f,
      created_at: at,
      doc_url: `https://devcenter.heroku.com/articles/${f.name}`,
      enabled: false,
      id: state.newId(),
      state: "general",
      updated_at: at,
      feedback_email: "feedback@heroku.com",
    })),
  };
  state.apps.set(app.id, record);
  return created(app);
};

/**
 * `POST /teams/apps`: an app the team owns (its owner is the team's own account). In a Private
 * Space (`space`) the app takes the space's region; the space must be the team's.
 */
const createTeamApp: Handler = (context) => {
  const { state, body } = context;
  const team = state.findTeam(body.team as string);
  if (!team) throw invalid(`Couldn't find that team: ${String(body.team)}.`);
  const wanted = body.space as string | undefined;
  const space = wanted === undefined ? undefined : state.findSpace(wanted);
  if (wanted !== undefined && space?.space.team.id !== team.id) {
    throw invalid(`Couldn't find that space in team ${team.name}: ${wanted}.`);
  }
  if (space && body.region !== undefined) {
    throw invalid("An app in a space takes the space's region; do not pass region.");
  }
  const made = createApp({
    ...context,
    body: { ...body, team: undefined, space: undefined },
  }).body as App;
  const record = state.app(made.id);
  Object.assign(record.app, {
    team: { id: team.id, name: team.name },
    organization: { id: team.id, name: team.name },
    owner: { email: `${team.name}@herokumanager.com`, id: team.id },
    ...(space
      ? {
          space: { id: space.space.id, name: space.space.name, shield: space.space.shield },
          region: { ...space.space.region },
        }
      : {}),
  });
  return created({ ...record.app, joined: false, locked: false });
};

const updateApp: Handler = (context) => {
  const { state, body } = context;
  const record = appOf(context);
  if (typeof body.name === "string" && body.name !== record.app.name) {
    if (state.findApp(body.name)) throw invalid("Name is already taken");
    Object.assign(record.app, { name: body.name }, urls(state, body.name, record.app));
  }
  if (typeof body.maintenance === "boolean") record.app.maintenance = body.maintenance;
  if (body.build_stack !== undefined) {
    record.app.build_stack = { ...identify(STACKS, body.build_stack as string, "", "stack") };
  }
  touch(state, record);
  return ok(record.app);
};

const deleteApp: Handler = (context) => {
  const { state } = context;
  const record = appOf(context);
  const id = record.app.id;
  state.apps.delete(id);
  for (const [key, a] of state.addons) if (a.addon.app.id === id) state.addons.delete(key);
  for (const [key, c] of state.couplings) if (c.app.id === id) state.couplings.delete(key);
  for (const [key, w] of state.webhooks) if (w.webhook.app.id === id) state.webhooks.delete(key);
  for (const [key, d] of state.drains) if (d.app.id === id) state.drains.delete(key);
  return ok(record.app);
};

function setAcm(enabled: boolean): Handler {
  return (context) => {
    const record = appOf(context);
    record.app.acm = enabled;
    touch(context.state, record);
    return ok(record.app);
  };
}

const putBuildpacks: Handler = (context) => {
  const record = appOf(context);
  const updates = context.body.updates as { buildpack: string }[];
  record.buildpacks = updates.map(({ buildpack }, ordinal) => {
    const name = buildpack.replace(/^urn:buildpack:/, "");
    return { buildpack: { url: buildpack, name }, ordinal };
  });
  return ok(record.buildpacks);
};

const patchConfigVars: Handler = (context) => {
  const record = appOf(context);
  for (const [key, value] of Object.entries(context.body as Record<string, string | null>)) {
    if (value === null) delete record.configVars[key];
    else record.configVars[key] = value;
  }
  return ok(record.configVars);
};

interface FormationUpdate {
  type?: string;
  quantity?: number;
  dyno_size?: { id?: string; name?: string };
}

function applyFormation(context: HandlerContext, updates: FormationUpdate[]): Formation[] {
  const record = appOf(context);
  const planned = updates.map((update) => {
    const formation = record.formation.find((f) => f.type === update.type || f.id === update.type);
    if (!formation) {
      throw new FakeHttpError(
        404,
        "not_found",
        `Couldn't find that process type (${update.type}).`,
      );
    }
    const wanted = update.dyno_size?.id ?? update.dyno_size?.name ?? formation.dyno_size.name;
    const size = DYNO_SIZES.find(
      (s) => s.id === wanted || s.name.toLowerCase() === wanted.toLowerCase(),
    );
    if (!size) throw invalid(`Couldn't find that dyno size: ${wanted}.`);
    const quantity = update.quantity ?? formation.quantity;
    if (quantity < 0 || quantity > size.maxQuantity) {
      throw invalid(`Cannot run ${quantity} ${size.name} dynos of one process type.`);
    }
    return { formation, size, quantity };
  });
  const at = context.state.timestamp();
  return planned.map(({ formation, size, quantity }) => {
    Object.assign(formation, {
      quantity,
      size: size.name,
      dyno_size: { id: size.id, name: size.name },
      updated_at: at,
    });
    return formation;
  });
}

const formationOf = (context: HandlerContext): Formation => {
  const wanted = context.params[1]!;
  const formation = appOf(context).formation.find((f) => f.type === wanted || f.id === wanted);
  if (!formation) throw notFound("formation");
  return formation;
};

const featureOf = (context: HandlerContext) => {
  const wanted = context.params[1]!;
  const feature = appOf(context).features.find((f) => f.id === wanted || f.name === wanted);
  if (!feature) throw notFound("feature");
  return feature;
};

export const appHandlers: Record<string, Handler> = {
  "POST /apps": createApp,
  "POST /teams/apps": createTeamApp,
  "GET /apps": ({ state }) => ok([...state.apps.values()].map((r) => r.app)),
  "GET /apps/{app}": (context) => ok(appOf(context).app),
  "PATCH /apps/{app}": updateApp,
  "DELETE /apps/{app}": deleteApp,
  "POST /apps/{app}/acm": setAcm(true),
  "DELETE /apps/{app}/acm": setAcm(false),
  "PATCH /apps/{app}/acm": setAcm(true),
  "PUT /apps/{app}/buildpack-installations": putBuildpacks,
  "GET /apps/{app}/buildpack-installations": (context) => ok(appOf(context).buildpacks),
  "GET /apps/{app}/config-vars": (context) => ok(appOf(context).configVars),
  "PATCH /apps/{app}/config-vars": patchConfigVars,
  "GET /apps/{app}/formation": (context) => ok(appOf(context).formation),
  "GET /apps/{app}/formation/{formation}": (context) => ok(formationOf(context)),
  "PATCH /apps/{app}/formation": (context) =>
    ok(applyFormation(context, context.body.updates as FormationUpdate[])),
  "PATCH /apps/{app}/formation/{formation}": (context) => {
    const type = formationOf(context).type;
    return ok(applyFormation(context, [{ ...context.body, type }])[0]);
  },
  "GET /apps/{app}/features": (context) => ok(appOf(context).features),
  "GET /apps/{app}/features/{app-feature}": (context) => ok(featureOf(context)),
  "PATCH /apps/{app}/features/{app-feature}": (context) => {
    const feature = featureOf(context);
    feature.enabled = context.body.enabled as boolean;
    feature.updated_at = context.state.timestamp();
    return ok(feature);
  },
};
