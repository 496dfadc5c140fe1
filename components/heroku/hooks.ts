// AppWebhook and LogDrain: where an app's events and logs go.
//
// AppWebhook: Heroku makes the signing secret and shows it once, in the `Heroku-Webhook-Secret`
// header of the create; it is kept as the secret output `secret`. A webhook found under its URL
// after an uncertain create is adopted and given a new secret (the first one was never seen).
// `url`, `include` and `level` change in place; another `app` replaces it, deleting it first.
// LogDrain: a new `url` (or `app`) replaces the drain, deleting it first (a URL is unique per
// app); Heroku's `token` (which identifies the drain in its log lines) is an output. The URL is a
// secret (it carries the log service's token): never in a request path or a message.
import { randomBytes } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { WEBHOOK_EVENTS } from "../../config/limits";
import { HerokuClient, HerokuClientOptions, herokuPath } from "../../heroku/client";
import { InputChecker } from "./check";
import { defineProvider, Props } from "./provider";

/** The create answer's header that holds the secret Heroku generated. */
export const WEBHOOK_SECRET_HEADER = "Heroku-Webhook-Secret";

export interface AppWebhookInputs extends Props {
  /** The app's id (or name). */
  app: string;
  url: string;
  /** The event types, sorted. */
  include: string[];
  level: "notify" | "sync";
}

export interface AppWebhookOutputs extends AppWebhookInputs {
  /** Signs each delivery (`Heroku-Webhook-Hmac-SHA256`); stored as a secret. */
  secret: string;
}

interface HerokuWebhook {
  id: string;
  url: string;
  include: string[];
  level: "notify" | "sync";
}

export function createAppWebhookProvider(
  options: HerokuClientOptions = {},
): pulumi.dynamic.ResourceProvider {
  const client = () => new HerokuClient(options);
  const list = (app: string) => herokuPath`/apps/${app}/webhooks`;
  const path = (app: string, id: string) => herokuPath`/apps/${app}/webhooks/${id}`;
  const fields = (inputs: AppWebhookInputs) => ({
    url: inputs.url,
    include: inputs.include,
    level: inputs.level,
  });

  return defineProvider<AppWebhookInputs, AppWebhookOutputs>({
    inputs: ["app", "url", "include", "level"],
    replaceOn: { app: true },
    check: (news) =>
      new InputChecker(news)
        .string("app", /\S/, "an app id or name")
        .string("url", /^https:\/\/\S+$/, "an https:// URL")
        .list(
          "include",
          /^[a-z]+(:[a-z-]+)?$/,
          `a non-empty list of ${WEBHOOK_EVENTS.join(", ")}`,
          {
            nonEmpty: true,
            sorted: true,
          },
        )
        .oneOf("level", ["notify", "sync"], "notify")
        .result(),

    async create(inputs) {
      const api = client();
      const created = await api.createOrAdopt<HerokuWebhook>({
        path: list(inputs.app),
        body: fields(inputs),
        lookup: async () =>
          (await api.list<HerokuWebhook>(list(inputs.app))).find((w) => w.url === inputs.url),
        matches: () => true,
        description: `webhook to ${inputs.url}`,
      });
      let secret = created.headers?.get(WEBHOOK_SECRET_HEADER) ?? undefined;
      if (secret === undefined) {
        secret = randomBytes(32).toString("hex");
        await api.patch(path(inputs.app, created.resource.id), { ...fields(inputs), secret });
      }
      return { id: created.resource.id, outs: { ...inputs, secret } };
    },

    async read(id, olds) {
      const hook = await client().getOrUndefined<HerokuWebhook>(path(olds.app, id));
      if (hook === undefined) return undefined;
      return { ...olds, url: hook.url, include: [...hook.include].sort(), level: hook.level };
    },

    async update(id, olds, news) {
      await client().patch(path(news.app, id), fields(news));
      return { ...news, secret: olds.secret };
    },

    async delete(id, olds) {
      await client().deleteIgnoringNotFound(path(olds.app, id));
    },
  });
}

export const appWebhookProvider = createAppWebhookProvider();

export interface LogDrainInputs extends Props {
  /** The app's id (or name). */
  app: string;
  url: string;
}

export interface LogDrainOutputs extends LogDrainInputs {
  token: string;
}

interface HerokuDrain {
  id: string;
  url: string;
  token: string;
}

export function createLogDrainProvider(
  options: HerokuClientOptions = {},
): pulumi.dynamic.ResourceProvider {
  const client = () => new HerokuClient(options);
  const path = (app: string, drain: string) => herokuPath`/apps/${app}/log-drains/${drain}`;

  return defineProvider<LogDrainInputs, LogDrainOutputs>({
    inputs: ["app", "url"],
    replaceOn: { app: true, url: true },
    check: (news) =>
      new InputChecker(news)
        .string("app", /\S/, "an app id or name")
        .secretString(
          "url",
          /^(https|syslog|syslog\+tls):\/\/\S+$/,
          "an https://, syslog:// or syslog+tls:// URL",
        )
        .result(),

    async create(inputs) {
      // The URL carries the log service's token, so it appears in no path and no message: after
      // an uncertain create, the app's drains are listed and the one with this URL adopted.
      const { resource } = await client().createOrAdopt<HerokuDrain>({
        path: herokuPath`/apps/${inputs.app}/log-drains`,
        body: { url: inputs.url },
        lookup: async () =>
          (await client().list<HerokuDrain>(herokuPath`/apps/${inputs.app}/log-drains`)).find(
            (drain) => drain.url === inputs.url,
          ),
        matches: (found) => found.url === inputs.url,
        description: `a log drain of app ${inputs.app}`,
      });
      return { id: resource.id, outs: { ...inputs, token: resource.token } };
    },

    async read(id, olds) {
      const drain = await client().getOrUndefined<HerokuDrain>(path(olds.app, id));
      return drain === undefined ? undefined : { ...olds, url: drain.url, token: drain.token };
    },

    // Both inputs replace the drain: an update has nothing to change.
    update: (_id, olds, news) => Promise.resolve({ ...news, token: olds.token }),

    async delete(id, olds) {
      await client().deleteIgnoringNotFound(path(olds.app, id));
    },
  });
}

export const logDrainProvider = createLogDrainProvider();
