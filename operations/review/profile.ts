// The review profile: what every review stack is made from, read from the committed stack files.
// Production gives the app's build settings (region, stack, buildpacks, team), its health check
// path, its name (the base of review app names), the pipeline and `slipway:reviewApps`; the
// reference to production is the one staging uses, so review stacks find the pipeline as staging
// does. A review stack's config is that profile plus its own app name.
import { DeploySettings, ReviewAppsSettings } from "../../config";
import { SlipwayError } from "../../errors";
import { validateStackConfig } from "../../cli/plan";
import { readProject, readStackConfig } from "../../cli/plan/stack-files";
import { hasStackFile } from "../stack-facts";

export interface ReviewProfile {
  /** The production app's name: the base of review app names. */
  readonly productionApp: string;
  /** The Heroku pipeline review apps join (production's `slipway:pipeline.name`). */
  readonly pipelineName?: string;
  /** The production stack as a StackReference names it (`production`, `acme/slipway/production`). */
  readonly productionStack: string;
  readonly region: string;
  readonly stack: string;
  readonly buildpacks: readonly string[];
  readonly team?: string;
  readonly healthCheckPath: string;
  readonly reviewApps: ReviewAppsSettings;
  readonly deploy: DeploySettings;
}

/** Reads the profile from `Pulumi.production.yaml` (and `Pulumi.staging.yaml`) in `dir`. */
export function readReviewProfile(dir: string): ReviewProfile {
  if (!hasStackFile(dir, "production")) {
    throw SlipwayError.of(
      "Pulumi.production.yaml",
      `not found in ${dir}: review stacks are made from the production stack's settings. ` +
        "Fix: run slipway from its project folder, or pass --dir.",
    );
  }
  const project = readProject(dir);
  const production = settingsOf(project, "production");
  const staging = hasStackFile(dir, "staging") ? settingsOf(project, "staging") : undefined;
  const { app, pipeline, reviewApps, deploy } = production;
  return {
    productionApp: app.name as string,
    pipelineName: pipeline.name,
    productionStack: (staging ?? production).pipeline.productionStack,
    region: app.region,
    stack: app.stack,
    buildpacks: app.buildpacks,
    team: app.team,
    healthCheckPath: app.healthCheckPath,
    reviewApps,
    deploy,
  };
}

/**
 * A review stack's config, fully qualified keys to values: the app (named `appName`, built as
 * production builds), the reference to production, and the review settings. Objects stay
 * objects: they are written to `Pulumi.<stack>.yaml` as YAML, exactly typed.
 */
export function reviewStackConfig(
  profile: ReviewProfile,
  appName: string,
): Record<string, unknown> {
  return {
    // The kind follows from the name; declared too because Pulumi.yaml gives the key no default,
    // and the CLI refuses a stack that leaves such a key of the project's namespace unset.
    "slipway:environment": "review",
    "slipway:app": {
      name: appName,
      region: profile.region,
      stack: profile.stack,
      buildpacks: [...profile.buildpacks],
      healthCheckPath: profile.healthCheckPath,
      ...(profile.team === undefined ? {} : { team: profile.team }),
    },
    "slipway:pipeline": { productionStack: profile.productionStack },
    "slipway:reviewApps": { ...profile.reviewApps, addons: [...profile.reviewApps.addons] },
  };
}

/** A stack file's validated settings; a problem in it names the stack and the file. */
function settingsOf(project: ReturnType<typeof readProject>, stack: string) {
  return validateStackConfig(readStackConfig(project, stack)).settings;
}
