// Addon: an add-on on one app, its plan changed in place, its provisioning waited for.
//
// Create POSTs the add-on, then polls it (one GET every `pollIntervalMs`) until Heroku says
// `provisioned`, for at most `provisionTimeoutMs`. When that time runs out the add-on exists:
// the error carries its id and outputs, so Pulumi records it (as created but not ready) instead
// of forgetting it, and the next `pulumi up` finds it.
// Changes: a plan of the same service changes in place (PATCH), as does the name. A plan of
// another service, another `app` or other provisioning `config` replace the add-on, deleting it
// first: add-on names are global, and the new add-on must take over the config var (DATABASE_URL)
// the old one holds, which Heroku gives only to the first attachment.
import type * as pulumi from "@pulumi/pulumi";
import { ADDON_PLAN, CONFIG_VAR_NAME } from "../../config/limits";
import { HerokuClient, HerokuClientOptions, herokuPath } from "../../heroku/client";
import { InputChecker } from "./check";
import { defineProvider, Props } from "./provider";

export interface AddonInputs extends Props {
  /** The app's id (or name). */
  app: string;
  /** `service:plan`, or `service` for its default plan. */
  plan: string;
  /** A globally unique name; Heroku makes one up when absent. */
  name?: string;
  /** Provisioning options (`db-version`), only at creation. */
  config?: Record<string, string>;
}

export interface AddonOutputs extends AddonInputs {
  addonId: string;
  name: string;
  /** The config vars the add-on sets on the app (`DATABASE_URL`). */
  configVarNames: string[];
}

interface HerokuAddon {
  id: string;
  name: string;
  created_at: string;
  app: { id: string; name: string };
  plan: { name: string };
  state: "provisioning" | "provisioned" | "deprovisioned";
  config_vars: string[];
}

export interface AddonProviderOptions extends HerokuClientOptions {
  /** Milliseconds between polls of a provisioning add-on. @default 3000 */
  readonly pollIntervalMs?: number;
  /** Milliseconds to wait for provisioning. @default 900000 (15 minutes; Postgres can be slow) */
  readonly provisionTimeoutMs?: number;
}

const serviceOf = (plan: string) => plan.split(":")[0];

/** Whether the add-on's plan (always `service:plan`) is the one asked for (maybe just `service`). */
export function planSatisfies(stored: unknown, wanted: unknown): boolean {
  if (typeof stored !== "string" || typeof wanted !== "string") return stored === wanted;
  return wanted.includes(":") ? stored === wanted : serviceOf(stored) === wanted;
}

export function createAddonProvider(
  options: AddonProviderOptions = {},
): pulumi.dynamic.ResourceProvider {
  const client = () => new HerokuClient(options);
  const path = (app: string, addon: string) => herokuPath`/apps/${app}/addons/${addon}`;
  const outputs = (inputs: AddonInputs, addon: HerokuAddon): AddonOutputs => ({
    ...inputs,
    plan: planSatisfies(addon.plan.name, inputs.plan) ? inputs.plan : addon.plan.name,
    addonId: addon.id,
    name: addon.name,
    configVarNames: [...addon.config_vars],
  });

  return defineProvider<AddonInputs, AddonOutputs>({
    inputs: ["app", "plan", "name", "config"],
    replaceOn: {
      app: true,
      config: true,
      plan: (olds, news) => serviceOf(olds.plan) !== serviceOf(news.plan),
    },
    satisfies: {
      plan: planSatisfies,
      // Without a wanted name, the one Heroku made up is fine.
      name: (stored, wanted) => wanted === undefined || stored === wanted,
    },
    check: (news) =>
      new InputChecker(news)
        .string("app", /\S/, "an app id or name")
        .string(
          "plan",
          ADDON_PLAN,
          "an add-on plan as service:plan (heroku-postgresql:essential-0)",
        )
        .string("name", /^[a-zA-Z][A-Za-z0-9_-]+$/, "a letter, then letters, digits, _ or -", null)
        .map(
          "config",
          CONFIG_VAR_NAME,
          "a map of option names (letters, digits, _) to strings",
          (v) => typeof v === "string",
          { fallback: null },
        )
        .result(),

    async create(inputs) {
      const api = client();
      const { app, plan, name, config } = inputs;
      const body = {
        plan,
        ...(name === undefined ? {} : { name }),
        ...(config === undefined ? {} : { config }),
      };
      const created =
        name === undefined
          ? await api.post<HerokuAddon>(herokuPath`/apps/${app}/addons`, body)
          : (
              await api.createOrAdopt<HerokuAddon>({
                path: herokuPath`/apps/${app}/addons`,
                body,
                lookup: path(app, name),
                matches: (found) => planSatisfies(found.plan.name, plan),
                description: `add-on "${name}"`,
              })
            ).resource;
      if (created.state === "provisioned")
        return { id: created.id, outs: outputs(inputs, created) };
      try {
        const ready = await api.poll<HerokuAddon>(path(app, created.id), {
          until: (addon) => {
            if (addon.state === "deprovisioned") {
              throw new Error(
                `Heroku deprovisioned add-on "${addon.name}" while it was being provisioned.`,
              );
            }
            return addon.state === "provisioned";
          },
          description: `add-on "${created.name}" (${plan})`,
          intervalMs: options.pollIntervalMs ?? 3_000,
          timeoutMs: options.provisionTimeoutMs ?? 900_000,
        });
        return { id: ready.id, outs: outputs(inputs, ready) };
      } catch (error) {
        if (error instanceof Error && error.name === "HerokuWaitError") {
          // The add-on exists: let Pulumi keep it (created, failed to initialize).
          Object.assign(error, {
            id: created.id,
            properties: outputs(inputs, created),
            reasons: [error.message],
          });
        }
        throw error;
      }
    },

    async read(id, olds) {
      const addon = await client().getOrUndefined<HerokuAddon>(path(olds.app, id));
      return addon === undefined ? undefined : outputs(olds, addon);
    },

    async update(id, _olds, news) {
      const body = { plan: news.plan, ...(news.name === undefined ? {} : { name: news.name }) };
      const addon = await client().patch<HerokuAddon>(path(news.app, id), body);
      return outputs(news, addon);
    },

    async delete(id, olds) {
      await client().deleteIgnoringNotFound(path(olds.app, id));
    },
  });
}

export const addonProvider = createAddonProvider();
