// ConfigVars: the config vars of one app that slipway manages, and only those. Keys that people,
// add-ons (DATABASE_URL of heroku-postgresql) or other tools set are never read into state, never
// changed and never deleted: every request names managed keys only. A managed key removed from
// the config is deleted (set to null); deleting the resource deletes the managed keys.
//
// `secretVars` hold Pulumi secrets: the resource lists them in `additionalSecretOutputs`, so state
// keeps them encrypted; refresh reads them back only to see drift.
// Changes: a new `app` replaces the resource (the keys move to that app; deleted first, so a
// switch between two ways of naming the same app cannot delete what was just set).
import type * as pulumi from "@pulumi/pulumi";
import { CONFIG_VAR_NAME } from "../../config/limits";
import { HerokuClient, HerokuClientOptions, herokuPath } from "../../heroku/client";
import { isNotFound } from "../../heroku/errors";
import { InputChecker } from "./check";
import { defineProvider, Props } from "./provider";

export interface ConfigVarsInputs extends Props {
  /** The app's id (or name). */
  app: string;
  vars: Record<string, string>;
  secretVars: Record<string, string>;
}

type Vars = Record<string, string | null>;

/** Every key slipway manages for these inputs. */
export function managedKeys(inputs: Pick<ConfigVarsInputs, "vars" | "secretVars">): string[] {
  return [...Object.keys(inputs.vars), ...Object.keys(inputs.secretVars)];
}

/** The one PATCH body that takes `olds` to `news`: changed keys, and removed keys as null. */
export function configVarsPatch(
  olds: Pick<ConfigVarsInputs, "vars" | "secretVars">,
  news: Pick<ConfigVarsInputs, "vars" | "secretVars">,
): Vars {
  const had: Record<string, string> = { ...olds.vars, ...olds.secretVars };
  const wanted: Record<string, string> = { ...news.vars, ...news.secretVars };
  const body: Vars = {};
  for (const key of Object.keys(had)) if (!(key in wanted)) body[key] = null;
  for (const [key, value] of Object.entries(wanted)) if (had[key] !== value) body[key] = value;
  return body;
}

export function createConfigVarsProvider(
  options: HerokuClientOptions = {},
): pulumi.dynamic.ResourceProvider {
  const client = () => new HerokuClient(options);
  const path = (app: string) => herokuPath`/apps/${app}/config-vars`;

  async function patch(app: string, body: Vars): Promise<void> {
    if (Object.keys(body).length > 0) await client().patch(path(app), body);
  }

  return defineProvider<ConfigVarsInputs, ConfigVarsInputs>({
    inputs: ["app", "vars", "secretVars"],
    replaceOn: { app: true },
    check(news) {
      const isString = (v: unknown) => typeof v === "string";
      const checker = new InputChecker(news)
        .string("app", /\S/, "an app id or name")
        .map(
          "vars",
          CONFIG_VAR_NAME,
          "a map of config var names (letters, digits, _) to strings",
          isString,
          { fallback: {} },
        )
        .map(
          "secretVars",
          CONFIG_VAR_NAME,
          "a map of config var names (letters, digits, _) to secret strings",
          isString,
          { fallback: {}, secret: true },
        );
      const { vars, secretVars } = checker.inputs;
      // Either may be unknown in a preview, or not a map (a failure already).
      const isMap = (v: unknown): v is Props =>
        typeof v === "object" &&
        // Stryker disable next-line ConditionalExpression: equivalent as `true`, neither is ever null here (a null map takes its {} fallback); the test is for the type
        v !== null;
      if (isMap(vars) && isMap(secretVars)) {
        for (const key of Object.keys(secretVars).filter((k) => k in vars)) {
          const allowed = `a name not also set in vars (${key} is in both)`;
          checker.fail(`secretVars.${key}`, "[secret]", allowed);
        }
      }
      return checker.result();
    },

    async create(inputs) {
      await patch(inputs.app, configVarsPatch({ vars: {}, secretVars: {} }, inputs));
      return { id: inputs.app, outs: inputs };
    },

    async read(_id, olds) {
      const live = await client().getOrUndefined<Record<string, string>>(path(olds.app));
      if (live === undefined) return undefined;
      const pick = (keys: Record<string, string>) =>
        Object.fromEntries(
          Object.keys(keys)
            .filter((k) => k in live)
            .map((k) => [k, live[k]!]),
        );
      return { app: olds.app, vars: pick(olds.vars), secretVars: pick(olds.secretVars) };
    },

    async update(_id, olds, news) {
      await patch(news.app, configVarsPatch(olds, news));
      return news;
    },

    async delete(_id, olds) {
      const body = Object.fromEntries(managedKeys(olds).map((key) => [key, null]));
      try {
        await patch(olds.app, body);
      } catch (error) {
        // The app is gone, and its config vars with it.
        if (!isNotFound(error)) throw error;
      }
    },
  });
}

export const configVarsProvider = createConfigVarsProvider();
