// Formation: how many dynos of which size each managed process type runs, set with Heroku's batch
// update (one PATCH for all types). Process types not in the config are never touched; a type
// removed from the config is scaled to 0.
//
// Deleting the resource leaves the dynos as they are. Scaling to zero on delete would stop the app
// whenever the resource is replaced or renamed (the new one scales up, then the old one would scale
// everything down), and an app that is being deleted loses its dynos anyway.
// A process type Heroku does not know yet (no release has declared it) is skipped, not an error:
// the first `pulumi up` runs before the first deploy. It stays out of the outputs, so the next
// `pulumi up` after a deploy scales it.
// Changes: a new `app` replaces the resource; everything else changes in place.
import type * as pulumi from "@pulumi/pulumi";
import { DYNO_SIZE_NAMES, PROCESS_TYPE } from "../../config/limits";
import { HerokuClient, HerokuClientOptions, herokuPath } from "../../heroku/client";
import { isNotFound } from "../../heroku/errors";
import { InputChecker } from "./check";
import { containsUnknown, defineProvider, Props, sameValue } from "./provider";

export interface ProcessFormation {
  quantity: number;
  /** Lowercase, as slipway's config spells sizes (`standard-1x`). */
  size: string;
}

export interface FormationInputs extends Props {
  /** The app's id (or name). */
  app: string;
  formation: Record<string, ProcessFormation>;
}

export interface FormationUpdate {
  type: string;
  quantity: number;
  dyno_size: { name: string };
}

interface HerokuFormation {
  type: string;
  quantity: number;
  size: string;
}

/** The batch update that takes `had` to `wanted`: changed and new types, removed ones at 0. */
export function formationUpdates(
  had: Record<string, ProcessFormation>,
  wanted: Record<string, ProcessFormation>,
): FormationUpdate[] {
  const updates: FormationUpdate[] = [];
  for (const [type, entry] of Object.entries(wanted)) {
    if (!sameValue(had[type], entry)) {
      updates.push({ type, quantity: entry.quantity, dyno_size: { name: entry.size } });
    }
  }
  for (const [type, entry] of Object.entries(had)) {
    if (!(type in wanted)) updates.push({ type, quantity: 0, dyno_size: { name: entry.size } });
  }
  return updates;
}

export function createFormationProvider(
  options: HerokuClientOptions = {},
): pulumi.dynamic.ResourceProvider {
  const client = () => new HerokuClient(options);
  const path = (app: string) => herokuPath`/apps/${app}/formation`;

  /** Applies `updates`; the process types Heroku has not heard of yet are left out. */
  async function apply(app: string, updates: FormationUpdate[]): Promise<Set<string>> {
    const api = client();
    const missing = new Set<string>();
    if (updates.length === 0) return missing;
    try {
      await api.patch(path(app), { updates });
      return missing;
    } catch (error) {
      if (!isNotFound(error) || !/process type/i.test(error.herokuMessage)) throw error;
    }
    const known = new Set((await api.list<HerokuFormation>(path(app))).map((f) => f.type));
    const possible = updates.filter((u) => known.has(u.type));
    for (const u of updates) if (!known.has(u.type)) missing.add(u.type);
    if (possible.length > 0) await api.patch(path(app), { updates: possible });
    return missing;
  }

  const without = (formation: Record<string, ProcessFormation>, missing: Set<string>) =>
    Object.fromEntries(Object.entries(formation).filter(([type]) => !missing.has(type)));

  return defineProvider<FormationInputs, FormationInputs>({
    inputs: ["app", "formation"],
    replaceOn: { app: true },
    check(news) {
      const entryOk = (v: unknown) => {
        const entry = v as Partial<ProcessFormation> | null;
        return (
          entry !== null &&
          typeof entry === "object" &&
          Number.isInteger(entry.quantity) &&
          (entry.quantity as number) >= 0 &&
          typeof entry.size === "string" &&
          (DYNO_SIZE_NAMES as readonly string[]).includes(entry.size.toLowerCase())
        );
      };
      const checker = new InputChecker(news)
        .string("app", /\S/, "an app id or name")
        .map(
          "formation",
          PROCESS_TYPE,
          `a map of process type to { quantity (0 or more), size (${DYNO_SIZE_NAMES.join(", ")}) }`,
          entryOk,
        );
      const formation = checker.inputs.formation as Record<string, ProcessFormation> | undefined;
      // In a preview the map, or an entry of it, may not be known yet: it passes as given.
      if (formation && !containsUnknown(formation) && checker.failures.length === 0) {
        checker.inputs.formation = Object.fromEntries(
          Object.entries(formation).map(([type, e]) => [
            type,
            { quantity: e.quantity, size: e.size.toLowerCase() },
          ]),
        );
      }
      return checker.result();
    },

    async create(inputs) {
      const missing = await apply(inputs.app, formationUpdates({}, inputs.formation));
      return { id: inputs.app, outs: { ...inputs, formation: without(inputs.formation, missing) } };
    },

    async read(_id, olds) {
      const live = await client().getOrUndefined<HerokuFormation[]>(path(olds.app));
      if (live === undefined) return undefined;
      const formation: Record<string, ProcessFormation> = {};
      for (const type of Object.keys(olds.formation)) {
        const found = live.find((f) => f.type === type);
        if (found) formation[type] = { quantity: found.quantity, size: found.size.toLowerCase() };
      }
      return { app: olds.app, formation };
    },

    async update(_id, olds, news) {
      const missing = await apply(news.app, formationUpdates(olds.formation, news.formation));
      return { ...news, formation: without(news.formation, missing) };
    },

    delete: () => Promise.resolve(),
  });
}

export const formationProvider = createFormationProvider();
