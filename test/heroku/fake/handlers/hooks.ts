// App webhooks (the signing secret Heroku makes is shown once, in a response header) and log drains.
import { randomBytes } from "node:crypto";
import { created, Handler, HandlerContext, invalid, notFound, ok } from "../http";
import { AppWebhook, LogDrain, WEBHOOK_ENTITIES, WebhookRecord } from "../state";
import { appOf } from "./apps";

/** The header Heroku answers a webhook create with when it generated the secret. */
export const WEBHOOK_SECRET_HEADER = "Heroku-Webhook-Secret";

function checkInclude(include: unknown): void {
  const unknown = ((include as string[] | undefined) ?? []).filter(
    (e) => !WEBHOOK_ENTITIES.includes(e),
  );
  if (unknown.length > 0) {
    throw invalid(`include: ${unknown.join(", ")} is not an entity you can subscribe to.`);
  }
}

function webhookOf(context: HandlerContext): WebhookRecord {
  const appId = appOf(context).app.id;
  const record = context.state.webhooks.get(context.params[1]!);
  if (!record || record.webhook.app.id !== appId) throw notFound("webhook");
  return record;
}

const createWebhook: Handler = (context) => {
  const { state, body } = context;
  const app = appOf(context).app;
  checkInclude(body.include);
  const at = state.timestamp();
  const webhook: AppWebhook = {
    app: { id: app.id, name: app.name },
    created_at: at,
    id: state.newId(),
    include: body.include as string[],
    level: body.level as AppWebhook["level"],
    updated_at: at,
    url: body.url as string,
  };
  const generated = body.secret === undefined || body.secret === null;
  const secret = generated ? randomBytes(30).toString("hex") : (body.secret as string);
  const authorization = (body.authorization as string | null | undefined) ?? null;
  state.webhooks.set(webhook.id, { webhook, secret, authorization });
  return created(webhook, generated ? { [WEBHOOK_SECRET_HEADER]: secret } : undefined);
};

const updateWebhook: Handler = (context) => {
  const record = webhookOf(context);
  const body = context.body as Record<string, unknown>;
  if (body.include !== undefined) checkInclude(body.include);
  for (const key of ["include", "level", "url"] as const) {
    if (body[key] !== undefined) Object.assign(record.webhook, { [key]: body[key] });
  }
  if (body.secret !== undefined) record.secret = body.secret as string;
  if (body.authorization !== undefined) record.authorization = body.authorization as string;
  record.webhook.updated_at = context.state.timestamp();
  return ok(record.webhook);
};

const DRAIN_SCHEMES = ["https:", "syslog:", "syslog+tls:"];

function drainOf(context: HandlerContext): LogDrain {
  const appId = appOf(context).app.id;
  const wanted = context.params[1]!;
  const drain = [...context.state.drains.values()].find(
    (d) => d.app.id === appId && [d.id, d.url, d.token].includes(wanted),
  );
  if (!drain) throw notFound("log drain");
  return drain;
}

const createDrain: Handler = (context) => {
  const { state, body } = context;
  const app = appOf(context).app;
  const url = body.url as string;
  if (!URL.canParse(url) || !DRAIN_SCHEMES.includes(new URL(url).protocol)) {
    throw invalid(`Url must be a syslog, syslog+tls or https URL: ${url}.`);
  }
  const taken = [...state.drains.values()].some((d) => d.app.id === app.id && d.url === url);
  if (taken) throw invalid("Url has already been taken");
  const at = state.timestamp();
  const id = state.newId();
  const drain: LogDrain = {
    addon: null,
    app: { id: app.id, name: app.name },
    created_at: at,
    id,
    token: `d.${state.stableId(id)}`,
    updated_at: at,
    url,
  };
  state.drains.set(id, drain);
  return created(drain);
};

export const hookHandlers: Record<string, Handler> = {
  "POST /apps/{app}/webhooks": createWebhook,
  "GET /apps/{app}/webhooks": (context) => {
    const id = appOf(context).app.id;
    const mine = [...context.state.webhooks.values()].filter((w) => w.webhook.app.id === id);
    return ok(mine.map((w) => w.webhook));
  },
  "GET /apps/{app}/webhooks/{app-webhook}": (context) => ok(webhookOf(context).webhook),
  "PATCH /apps/{app}/webhooks/{app-webhook}": updateWebhook,
  "DELETE /apps/{app}/webhooks/{app-webhook}": (context) => {
    const record = webhookOf(context);
    context.state.webhooks.delete(record.webhook.id);
    return ok(record.webhook);
  },
  "POST /apps/{app}/log-drains": createDrain,
  "GET /apps/{app}/log-drains": (context) => {
    const id = appOf(context).app.id;
    return ok([...context.state.drains.values()].filter((d) => d.app.id === id));
  },
  "GET /apps/{app}/log-drains/{log-drain}": (context) => ok(drainOf(context)),
  "DELETE /apps/{app}/log-drains/{log-drain}": (context) => {
    const drain = drainOf(context);
    context.state.drains.delete(drain.id);
    return ok(drain);
  },
};
