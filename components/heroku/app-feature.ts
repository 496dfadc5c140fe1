// AppFeature: one Heroku app feature (preboot, runtime-dyno-metadata, ...) switched on or off.
// Heroku features always exist; the resource owns the switch. Deleting it switches the feature
// off (the default), which is what removing `preboot` from the config means.
// Changes: `enabled` changes in place; a new `app` or `feature` replaces the resource, switching
// the old one off first, so naming the same app another way cannot end with the feature off.
import type * as pulumi from "@pulumi/pulumi";
import { APP_FEATURE } from "../../config/limits";
import { HerokuClient, HerokuClientOptions, herokuPath } from "../../heroku/client";
import { isNotFound } from "../../heroku/errors";
import { InputChecker } from "./check";
import { defineProvider, Props } from "./provider";

export interface AppFeatureInputs extends Props {
  /** The app's id (or name). */
  app: string;
  feature: string;
  enabled: boolean;
}

interface HerokuFeature {
  id: string;
  name: string;
  enabled: boolean;
}

export function createAppFeatureProvider(
  options: HerokuClientOptions = {},
): pulumi.dynamic.ResourceProvider {
  const client = () => new HerokuClient(options);
  const path = (inputs: AppFeatureInputs) =>
    herokuPath`/apps/${inputs.app}/features/${inputs.feature}`;
  const set = (inputs: AppFeatureInputs, enabled: boolean) =>
    client().patch<HerokuFeature>(path(inputs), { enabled });

  return defineProvider<AppFeatureInputs, AppFeatureInputs>({
    inputs: ["app", "feature", "enabled"],
    replaceOn: { app: true, feature: true },
    check: (news) =>
      new InputChecker(news)
        .string("app", /\S/, "an app id or name")
        .string(
          "feature",
          APP_FEATURE,
          "a Heroku app feature name (preboot, runtime-dyno-metadata, ...)",
        )
        .boolean("enabled", true)
        .result(),

    async create(inputs) {
      const feature = await set(inputs, inputs.enabled);
      return { id: feature.id, outs: { ...inputs, enabled: feature.enabled } };
    },

    async read(_id, olds) {
      const feature = await client().getOrUndefined<HerokuFeature>(path(olds));
      return feature === undefined ? undefined : { ...olds, enabled: feature.enabled };
    },

    async update(_id, _olds, news) {
      const feature = await set(news, news.enabled);
      return { ...news, enabled: feature.enabled };
    },

    async delete(_id, olds) {
      try {
        await set(olds, false);
      } catch (error) {
        // The app is gone, and its features with it.
        if (!isNotFound(error)) throw error;
      }
    },
  });
}

export const appFeatureProvider = createAppFeatureProvider();
