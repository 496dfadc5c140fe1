// Addon: an add-on on one app, its plan changed in place, its provisioning waited for.
//
// Create POSTs the add-on, then polls it (one GET every `pollIntervalMs`) until Heroku says
// `provisioned`, for at most `provisionTimeoutMs`. When that time runs out (or a poll fails) the
// add-on exists: the error carries its id and outputs (`initFailure`), so Pulumi records it as
// created but not ready instead of forgetting it, and the next `pulumi up` waits for it again.
// Changes: a plan of the same service changes in place (PATCH), as does the name. A plan of
// another service, another `app` or other provisioning `config` replace the add-on, deleting it
// first: add-on names are global, and the new add-on must take over the config var (DATABASE_URL)
// the old one holds, which Heroku gives only to the first attachment.
import type * as pulumi from "@pulumi/pulumi";
import { ADDON_PLAN, CONFIG_VAR_NAME } from "../../config/limits";
import { HerokuClient, HerokuClientOptions, herokuPath } from "../../heroku/client";
import { InputChecker } from "./check";
import { isNotFound } from "../../heroku/errors";
import { defineProvider, initFailure, Props } from "./provider";

export interface AddonInputs extends Props {
  /** The app's id (or name). */
  app: string;
  /** `service:plan`, or `service` for its default plan. */
  plan: string;
  /** A globally unique name; Heroku makes one up when absent. */
  name?: string;
  /**
   * Provisioning options, only at creation. Their names are letters, digits and `_`: the
   * Platform API schema's pattern (`^\w+$`), which its own example, `db-version`, does not pass.
   */
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

  /**
   * The outputs once Heroku says `addon` is provisioned, polling while it provisions. The add-on
   * exists by then, so a failure (the wait running out, an error answer) is an init failure that
   * keeps it in state; only an add-on that is gone (404, deprovisioned) is a plain error.
   */
  async function provisioned(
    api: HerokuClient,
    inputs: AddonInputs,
    addon: HerokuAddon,
  ): Promise<AddonOutputs> {
    if (addon.state === "provisioned") return outputs(inputs, addon);
    let gone = false;
    try {
      const ready = await api.poll<HerokuAddon>(path(inputs.app, addon.id), {
        until: (found) => {
          if (found.state === "deprovisioned") {
            gone = true;
            throw new Error(
              `Heroku deprovisioned add-on "${found.name}" while it was being provisioned.`,
            );
          }
          return found.state === "provisioned";
        },
        description: `add-on "${addon.name}" (${inputs.plan})`,
        intervalMs: options.pollIntervalMs ?? 3_000,
        timeoutMs: options.provisionTimeoutMs ?? 900_000,
      });
      return outputs(inputs, ready);
    } catch (error) {
      if (gone || isNotFound(error)) throw error;
      throw initFailure(error, addon.id, outputs(inputs, addon));
    }
  }

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
      return { id: created.id, outs: await provisioned(api, inputs, created) };
    },

    async read(id, olds) {
      const addon = await client().getOrUndefined<HerokuAddon>(path(olds.app, id));
      return addon === undefined ? undefined : outputs(olds, addon);
    },

    async update(id, olds, news) {
      const api = client();
      const body = { plan: news.plan, ...(news.name === undefined ? {} : { name: news.name }) };
      // Nothing to change: the engine is trying again an add-on whose create did not finish.
      const unchanged =
        planSatisfies(olds.plan, news.plan) && (news.name === undefined || news.name === olds.name);
      const addon = unchanged
        ? await api.get<HerokuAddon>(path(news.app, id))
        : await api.patch<HerokuAddon>(path(news.app, id), body);
      return provisioned(api, news, addon);
    },

    async delete(id, olds) {
      await client().deleteIgnoringNotFound(path(olds.app, id));
    },
  });
}

export const addonProvider = createAddonProvider();
