// Add-ons: create (provisioning completes after a number of polls), info, plan change, delete. A
// provisioned add-on sets its config var on the app, as Heroku's add-ons do.
import { created, Handler, HandlerContext, invalid, notFound, ok } from "../http";
import { Addon, AddonRecord, AppRecord, FakeState } from "../state";
import { appOf } from "./apps";

/** Resolves `service:plan` (or just `service`, meaning its first plan) from the fake's catalogue. */
function planOf(state: FakeState, wanted: string): { service: string; plan: string } {
  const [service = "", plan] = wanted.split(":");
  const known = state.settings.addonServices[service];
  const planName = plan ?? known?.plans[0];
  if (!known || planName === undefined || !known.plans.includes(planName)) {
    throw invalid(`Couldn't find either the add-on service or the add-on plan of "${wanted}".`);
  }
  return { service, plan: `${service}:${planName}` };
}

function configValue(state: FakeState, name: string, seed: string): string {
  const hex = state.hex12(seed);
  if (name === "DATABASE_URL") {
    return `postgres://u${hex}:p${hex}@c${hex}.compute-1.amazonaws.com:5432/d${hex}`;
  }
  if (name === "REDIS_URL") return `rediss://:p${hex}@ec2-${hex}.compute-1.amazonaws.com:6379`;
  return hex;
}

function finishProvisioning(state: FakeState, record: AddonRecord): void {
  record.addon.state = "provisioned";
  record.addon.updated_at = state.timestamp();
  const app = state.findApp(record.addon.app.id);
  for (const name of record.addon.config_vars) {
    if (app) app.configVars[name] = configValue(state, name, record.addon.id);
  }
}

/** A GET of the add-on: counts as one poll of a `provisioning` add-on. */
function observe(state: FakeState, record: AddonRecord): Addon {
  if (record.addon.state === "provisioning") {
    record.pollsUntilProvisioned -= 1;
    if (record.pollsUntilProvisioned <= 0) finishProvisioning(state, record);
  }
  return record.addon;
}

function addonOfApp(context: HandlerContext): { app: AppRecord; record: AddonRecord } {
  const app = appOf(context);
  const record = context.state.findAddon(context.params[1]!);
  if (!record || record.addon.app.id !== app.app.id) throw notFound("add-on");
  return { app, record };
}

function assertNameFree(state: FakeState, name: string, except?: string): void {
  const other = state.findAddon(name);
  if (other && other.addon.id !== except) throw invalid("Name is already taken");
}

const createAddon: Handler = (context) => {
  const { state, body } = context;
  const app = appOf(context).app;
  const { service, plan } = planOf(state, body.plan as string);
  const id = state.newId();
  const name =
    (body.name as string | undefined) ?? `${service.replace(/^heroku-/, "")}-fake-${id.slice(-5)}`;
  assertNameFree(state, name);
  const configVar = state.settings.addonServices[service]!.configVar;
  const at = state.timestamp();
  const polls = state.settings.addonProvisionPolls;
  const addon: Addon = {
    actions: [],
    addon_service: { id: state.stableId(service), name: service },
    billing_entity: { id: app.id, name: app.name, type: "app" },
    app: { id: app.id, name: app.name },
    billed_price: { cents: 0, contract: false, unit: "month" },
    config_vars: configVar ? [configVar] : [],
    created_at: at,
    id,
    name,
    plan: { id: state.stableId(plan), name: plan },
    provider_id: `resource${id.slice(-5)}@heroku.com`,
    provision_message: "",
    state: "provisioning",
    updated_at: at,
    web_url: `https://addons-sso.heroku.com/apps/${app.id}/addons/${id}`,
  };
  const record: AddonRecord = { addon, pollsUntilProvisioned: polls };
  if (polls <= 0) finishProvisioning(state, record);
  state.addons.set(id, record);
  return created(addon);
};

const updateAddon: Handler = (context) => {
  const { state, body } = context;
  const { record } = addonOfApp(context);
  const { service, plan } = planOf(state, body.plan as string);
  if (service !== record.addon.addon_service.name) {
    throw invalid(`Cannot change ${record.addon.name} from ${record.addon.plan.name} to ${plan}.`);
  }
  if (typeof body.name === "string") {
    assertNameFree(state, body.name, record.addon.id);
    record.addon.name = body.name;
  }
  record.addon.plan = { id: state.stableId(plan), name: plan };
  record.addon.updated_at = state.timestamp();
  return ok(record.addon);
};

const deleteAddon: Handler = (context) => {
  const { app, record } = addonOfApp(context);
  context.state.addons.delete(record.addon.id);
  for (const name of record.addon.config_vars) delete app.configVars[name];
  record.addon.state = "deprovisioned";
  return ok(record.addon);
};

export const addonHandlers: Record<string, Handler> = {
  "POST /apps/{app}/addons": createAddon,
  "GET /apps/{app}/addons": (context) => {
    const id = appOf(context).app.id;
    const mine = [...context.state.addons.values()].filter((r) => r.addon.app.id === id);
    return ok(mine.map((r) => observe(context.state, r)));
  },
  "GET /apps/{app}/addons/{add-on}": (context) =>
    ok(observe(context.state, addonOfApp(context).record)),
  "PATCH /apps/{app}/addons/{add-on}": updateAddon,
  "DELETE /apps/{app}/addons/{add-on}": deleteAddon,
  "GET /addons": ({ state }) => ok([...state.addons.values()].map((r) => observe(state, r))),
  "GET /addons/{add-on}": ({ state, params }) => {
    const record = state.findAddon(params[0]!);
    if (!record) throw notFound("add-on");
    return ok(observe(state, record));
  },
};
