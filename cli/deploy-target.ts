// What `slipway deploy` deploys to, from its flags and the committed stack files: the app, its
// health path and the `slipway:deploy` timings (flags override them). Production is refused:
// it only ever runs what staging built, through `slipway promote`.
import { z } from "zod";
import { appSchema, DeploySettings, deploySchema } from "../config";
import { HEROKU_APP_NAME } from "../config/limits";
import { metaOf, REVIEW_STACK } from "../config/validate";
import { SlipwayError } from "../errors";
import { hasStackFile, readStackFacts } from "../operations/stack-facts";

export interface DeployTarget {
  readonly stack: string;
  readonly app: string;
  readonly healthCheckPath: string;
  readonly deploy: DeploySettings;
}

export interface TargetFlags {
  readonly stack?: string;
  readonly app?: string;
  readonly "poll-interval"?: string;
  readonly "health-window"?: string;
  readonly "health-checks"?: string;
}

const PRODUCTION_REFUSED =
  "production is never a deploy target: it only runs what staging built and tested, promoted " +
  "through the pipeline. Allowed: staging, or review-<slug>. Fix: slipway deploy --stack staging " +
  "--sha SHA, then slipway promote.";

/** Resolves the target of `slipway deploy` in the project folder `dir`. */
export function deployTarget(dir: string, flags: TargetFlags): DeployTarget {
  const stack = flags.stack;
  if (stack === undefined) {
    throw SlipwayError.of(
      "--stack",
      "missing. Allowed: staging, or review-<slug>. Fix: --stack staging",
    );
  }
  if (stack === "production") throw SlipwayError.of("--stack", PRODUCTION_REFUSED);
  const app = flags.app === undefined ? undefined : appName(flags.app);
  const base = baseOf(dir, stack, app);
  return {
    stack,
    app: app ?? base.app!,
    healthCheckPath: base.healthCheckPath,
    deploy: withTimingFlags(flags, base.deploy),
  };
}

/** `slipway:deploy` with the timing flags (--poll-interval, --health-window, --health-checks) over it. */
export function withTimingFlags(flags: TargetFlags, base: DeploySettings): DeploySettings {
  const shape = deploySchema.unwrap().shape;
  return {
    ...base,
    pollIntervalSeconds: setting(
      "--poll-interval",
      flags["poll-interval"],
      shape.pollIntervalSeconds,
      base.pollIntervalSeconds,
    ),
    healthWindowSeconds: setting(
      "--health-window",
      flags["health-window"],
      shape.healthWindowSeconds,
      base.healthWindowSeconds,
    ),
    healthChecks: setting(
      "--health-checks",
      flags["health-checks"],
      shape.healthChecks,
      base.healthChecks,
    ),
  };
}

/** The stack's own file; for a review stack without one, the production file's settings. */
function baseOf(
  dir: string,
  stack: string,
  app: string | undefined,
): { app?: string; healthCheckPath: string; deploy: DeploySettings } {
  if (hasStackFile(dir, stack)) {
    const facts = readStackFacts(dir, stack);
    if (facts.kind === "production") {
      throw SlipwayError.of("--stack", `${stack} is a production stack. ${PRODUCTION_REFUSED}`);
    }
    return { app: facts.appName, healthCheckPath: facts.healthCheckPath, deploy: facts.deploy };
  }
  if (!REVIEW_STACK.test(stack)) {
    throw SlipwayError.of(
      "--stack",
      `got ${JSON.stringify(stack)}, which has no Pulumi.${stack}.yaml in ${dir}. Allowed: ` +
        `staging (or another stack with a committed file), or review-<slug>. Fix: --stack staging, ` +
        `or --dir <the slipway project folder>.`,
    );
  }
  if (app === undefined) {
    throw SlipwayError.of(
      "--app",
      `missing: the review stack ${stack} has no committed file to name its app. Allowed: the ` +
        `review app's name (\`slipway review name\` prints it). Fix: --app <name>`,
    );
  }
  if (hasStackFile(dir, "production")) {
    const facts = readStackFacts(dir, "production");
    return { healthCheckPath: facts.healthCheckPath, deploy: facts.deploy };
  }
  return {
    healthCheckPath: appSchema.unwrap().shape.healthCheckPath.parse(undefined),
    deploy: deploySchema.parse({}),
  };
}

/** A Heroku app name given as `flag`, checked. */
export function appName(value: string, flag = "--app"): string {
  if (HEROKU_APP_NAME.test(value)) return value;
  throw SlipwayError.of(
    flag,
    `got ${JSON.stringify(value)}. Allowed: a Heroku app name (3-30 characters: a lowercase ` +
      `letter, then lowercase letters, digits or dashes, not ending in a dash). Fix: ${flag} acme-web-pr-42`,
  );
}

/** A whole-number flag checked against the `slipway:deploy` field it overrides. */
function setting(flag: string, raw: string | undefined, schema: z.ZodType, fallback: number) {
  if (raw === undefined) return fallback;
  const parsed = schema.safeParse(/^\d+$/.test(raw) ? Number(raw) : raw);
  if (parsed.success) return parsed.data as number;
  const meta = metaOf(schema);
  throw SlipwayError.of(
    flag,
    `got ${JSON.stringify(raw)}. Allowed: ${meta?.allowed}. Fix: ${flag} ${meta?.example}`,
  );
}
