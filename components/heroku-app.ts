// HerokuApp: the Heroku app of one stack with what hangs off it: config vars (plain and secret),
// dyno formation, add-ons, features (runtime dyno metadata always, preboot in production), log
// drains and webhooks, including the release webhook alerting asks for.
import * as pulumi from "@pulumi/pulumi";
import { AppSettings, WebhookSettings } from "../config/schema";
import type { StackKind } from "../config/validate";
import { SlipwayError } from "../errors";
import {
  Addon,
  App,
  AppFeature,
  AppWebhook,
  ConfigVars,
  Formation,
  LogDrain,
} from "./heroku/resources";

export const HEROKU_APP_TYPE = "slipway:heroku:HerokuApp";

type Child = "app" | "configVars" | "formation" | "addons" | "features" | "logDrains" | "webhooks";

/**
 * `protect` per child and stack kind, decided child by child. In production the app (its name,
 * its releases), its config vars (secrets no one could restore) and its add-ons (their data goes
 * with them) refuse deletion; formation, features, drains and webhooks are settings slipway can
 * set again at any time. Staging and review stacks are meant to be rebuilt: nothing protected.
 */
export const HEROKU_APP_PROTECTION: Readonly<Record<StackKind, Readonly<Record<Child, boolean>>>> =
  {
    production: {
      app: true,
      configVars: true,
      addons: true,
      formation: false,
      features: false,
      logDrains: false,
      webhooks: false,
    },
    staging: {
      app: false,
      configVars: false,
      addons: false,
      formation: false,
      features: false,
      logDrains: false,
      webhooks: false,
    },
    review: {
      app: false,
      configVars: false,
      addons: false,
      formation: false,
      features: false,
      logDrains: false,
      webhooks: false,
    },
  };

/**
 * Features every app gets whatever its config says. runtime-dyno-metadata sets
 * HEROKU_RELEASE_VERSION (and HEROKU_SLUG_COMMIT, ...) in the dynos, so the app can name its
 * release in its health answer and the health check can tell the new release from the old.
 */
export const ALWAYS_ON_FEATURES: readonly string[] = ["runtime-dyno-metadata"];

/** The events the release webhook reports: each release (deploy, rollback, config change). */
export const RELEASE_WEBHOOK_EVENTS: WebhookSettings["include"] = ["api:release"];

export interface HerokuAppArgs {
  /**
   * The stack's kind: decides which children are protected (`HEROKU_APP_PROTECTION`); the
   * component shows it to the engine and the policies as its own input.
   * @default - required: `config.kind`
   */
  readonly kind: StackKind;
  /**
   * The validated `slipway:app` settings, with the name set: the app, its formation, config vars,
   * add-ons, features, log drains and webhooks.
   * @default - required: `config.app`
   */
  readonly settings: AppSettings & { readonly name: string };
  /**
   * Config vars whose values are secrets (`slipway:secretConfigVars`, and DATABASE_URL from the
   * RDS database). Stored as Pulumi secrets whether or not they arrive as secrets; a name may not
   * also be in `settings.configVars`.
   * @default {}
   */
  readonly secretConfigVars?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Where Heroku reports every release (`slipway:alerting.releaseWebhookUrl`): an app webhook on
   * `api:release`. A webhook of `settings.webhooks` with the same URL gets the event instead.
   * @default - no release webhook
   * @example "https://hooks.example.com/releases"
   */
  readonly releaseWebhookUrl?: string;
}

/** One Heroku app and everything slipway manages on it. */
export class HerokuApp extends pulumi.ComponentResource {
  /** The app's name (`acme-web`). */
  readonly name: pulumi.Output<string>;
  /** The app's id: the other resources name the app by it, so a replaced app takes them along. */
  readonly id: pulumi.Output<string>;
  /** `https://<name>-<hex>.herokuapp.com/`. */
  readonly webUrl: pulumi.Output<string>;
  /** The app resource, for `dependsOn`. */
  readonly app: App;

  constructor(name: string, args: HerokuAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super(HEROKU_APP_TYPE, name, { kind: args.kind, appName: args.settings.name }, opts);
    const { settings, kind } = args;
    const protection = HEROKU_APP_PROTECTION[kind];
    const options = (child: Child) => ({ parent: this, protect: protection[child] });
    const secretConfigVars = args.secretConfigVars ?? {};
    checkConfigVars(settings, secretConfigVars);

    this.app = new App(
      `${name}-app`,
      {
        name: settings.name,
        // An app in a Private Space runs in the space's region.
        ...(settings.space === undefined ? { region: settings.region } : { space: settings.space }),
        stack: settings.stack,
        buildpacks: [...settings.buildpacks],
        maintenance: settings.maintenance,
        acm: settings.acm,
        ...(settings.team === undefined ? {} : { team: settings.team }),
      },
      options("app"),
    );
    const app = this.app.appId;
    new ConfigVars(
      `${name}-config`,
      { app, vars: { ...settings.configVars }, secretVars: { ...secretConfigVars } },
      options("configVars"),
    );
    new Formation(
      `${name}-formation`,
      { app, formation: formationOf(settings) },
      options("formation"),
    );
    for (const [key, plan] of uniqueNames(settings.addons, (plan) => plan.split(":")[0]!)) {
      new Addon(`${name}-addon-${key}`, { app, plan }, options("addons"));
    }
    for (const feature of new Set([...settings.features, ...ALWAYS_ON_FEATURES])) {
      new AppFeature(
        `${name}-feature-${feature}`,
        { app, feature, enabled: true },
        options("features"),
      );
    }
    // A drain URL carries the log service's token: a secret end to end, and named by position,
    // since its host would be a piece of it in every URN (and an offline plan cannot read it).
    settings.logDrains.forEach((url, index) => {
      new LogDrain(
        `${name}-drain-${index + 1}`,
        { app, url: pulumi.secret(url) },
        options("logDrains"),
      );
    });
    const { webhooks, release } = webhooksOf(settings.webhooks, args.releaseWebhookUrl);
    for (const [key, hook] of uniqueNames(webhooks, (h) => hostKey(h.url))) {
      new AppWebhook(`${name}-webhook-${key}`, { app, ...hook }, options("webhooks"));
    }
    if (release !== undefined) {
      new AppWebhook(`${name}-release-webhook`, { app, ...release }, options("webhooks"));
    }

    this.name = this.app.name;
    this.id = app;
    this.webUrl = this.app.webUrl;
    this.registerOutputs({ name: this.name, id: this.id, webUrl: this.webUrl });
  }
}

/** A config var is plain or secret, never both: which one Heroku would keep is a guess. */
function checkConfigVars(settings: AppSettings, secrets: Readonly<Record<string, unknown>>): void {
  for (const key of Object.keys(secrets)) {
    if (key in settings.configVars) {
      // The secret side may come from slipway:secretConfigVars or from the stack's RDS database
      // (DATABASE_URL), so the plain one is what to name and remove.
      throw SlipwayError.of(
        `slipway:app.configVars.${key}`,
        `is also a secret config var (from slipway:secretConfigVars, or DATABASE_URL, which the ` +
          `stack's RDS database sets). Allowed: each config var either plain or secret. ` +
          `Fix: pulumi config rm --path 'slipway:app.configVars.${key}' (keep the secret).`,
      );
    }
  }
  const postgres = settings.addons.some((plan) => plan.startsWith("heroku-postgresql"));
  if (postgres && "DATABASE_URL" in secrets) {
    void pulumi.log.warn(
      "DATABASE_URL is set as a secret config var and the heroku-postgresql add-on sets it too; " +
        "the add-on's database will not be the one the app uses.",
    );
  }
}

/** The formation as the provider takes it (a copy: config values are frozen). */
function formationOf(settings: AppSettings): Record<string, { quantity: number; size: string }> {
  return Object.fromEntries(
    Object.entries(settings.formation).map(([type, f]) => [
      type,
      { quantity: f.quantity, size: f.size },
    ]),
  );
}

/** The webhooks to declare: the settings' own, and the release webhook unless one has its URL. */
export function webhooksOf(
  webhooks: readonly WebhookSettings[],
  releaseWebhookUrl: string | undefined,
): { webhooks: WebhookSettings[]; release?: WebhookSettings } {
  const own = webhooks.map((hook) => {
    if (hook.url !== releaseWebhookUrl) return { ...hook, include: [...hook.include] };
    return { ...hook, include: [...new Set([...hook.include, ...RELEASE_WEBHOOK_EVENTS])] };
  });
  if (releaseWebhookUrl === undefined || webhooks.some((h) => h.url === releaseWebhookUrl)) {
    return { webhooks: own };
  }
  const release = {
    url: releaseWebhookUrl,
    include: [...RELEASE_WEBHOOK_EVENTS],
    level: "notify" as const,
  };
  return { webhooks: own, release };
}

/** `syslog+tls://logs.example.com:6514` -> `logs-example-com`: readable, stable child names. */
export function hostKey(url: string): string {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    host = url;
  }
  return (
    host
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "url"
  );
}

/** Each item with a name from `key`, the second and later with the same key numbered (`-2`). */
export function uniqueNames<T>(items: readonly T[], key: (item: T) => string): [string, T][] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const base = key(item);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return [count === 1 ? base : `${base}-${count}`, item];
  });
}
