// Heroku: the pipeline stages are coupled, production runs enough real dynos with preboot,
// secrets are secrets, and review stacks stay throwaway.
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { looksSecret, SECRET_NAME_PATTERNS } from "../../config/limits";
import { HEROKU_TYPES, kindOf, label, ofType, stackKind, StackKind, settingsOf } from "./common";

type Formation = Record<string, { quantity?: number; size?: string }>;

/** Each kind of stack couples its app at this stage of the pipeline. */
const STAGE_OF: Record<StackKind, string> = {
  production: "production",
  staging: "staging",
  review: "review",
};

export const pipelineStagesCoupled: StackValidationPolicy = {
  name: "pipeline-stages-coupled",
  description:
    "Each stack's app sits at its stage of the one Heroku pipeline (review, staging, production), so promotion moves the slug staging tested.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Declare the app through DeliveryPipeline with the stage of its stack; production also declares the pipeline.",
  validateStack: (args, report) => {
    const kind = stackKind(args.resources);
    if (!kind) return;
    const couplings = ofType(args.resources, HEROKU_TYPES.coupling);
    if (kind === "production" && ofType(args.resources, HEROKU_TYPES.pipeline).length === 0) {
      report("The production stack declares no Heroku pipeline.");
    }
    const apps = ofType(args.resources, HEROKU_TYPES.app);
    for (const app of apps) {
      const stages = couplings
        .filter((c) => c.dependencies.some((d) => d.urn === app.urn))
        .map((c) => c.props["stage"] as unknown);
      if (!stages.includes(STAGE_OF[kind])) {
        report(
          `${label(app)} is not coupled to the pipeline at the ${STAGE_OF[kind]} stage.`,
          app.urn,
        );
      }
    }
  },
};

export const productionWebDynos: ResourceValidationPolicy = {
  name: "production-web-dynos",
  description:
    "Production serves from at least two web dynos of a size with preboot and metrics, so a restart or deploy never leaves it without a dyno.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set slipway:app.formation.web to { quantity: 2, size: standard-1x } or larger in production.",
  configSchema: {
    properties: {
      minimumWebDynos: { type: "integer", minimum: 1, default: 2 },
      smallSizes: { type: "array", items: { type: "string" }, default: ["eco", "basic"] },
    },
  },
  validateResource: (args, report) => {
    if (args.type !== HEROKU_TYPES.formation || kindOf(args) !== "production") return;
    const { minimumWebDynos, smallSizes } = settingsOf<{
      minimumWebDynos: number;
      smallSizes: string[];
    }>(args, productionWebDynos);
    const web = (args.props["formation"] as Formation | undefined)?.["web"];
    if (!web) {
      report("Production declares no web process.");
      return;
    }
    if ((web.quantity ?? 0) < minimumWebDynos)
      report(
        `Production runs ${web.quantity ?? 0} web dynos; at least ${minimumWebDynos} are required.`,
      );
    if (web.size === undefined || smallSizes.includes(web.size)) {
      report(
        `Production's web dynos are ${web.size ?? "unsized"}, which has neither preboot nor metrics; use standard-1x or larger.`,
      );
    }
  },
};

function enabledFeatures(resources: readonly PolicyResource[], app: PolicyResource): string[] {
  return ofType(resources, HEROKU_TYPES.feature)
    .filter((f) => f.dependencies.some((d) => d.urn === app.urn) && f.props["enabled"] === true)
    .map((f) => String(f.props["feature"]));
}

export const productionPreboot: StackValidationPolicy = {
  name: "production-preboot",
  description:
    "Production apps boot new dynos before old ones stop (preboot), so deploys drop no requests.",
  enforcementLevel: "mandatory",
  remediationSteps: "Add preboot to slipway:app.features in production.",
  validateStack: (args, report) => {
    if (stackKind(args.resources) !== "production") return;
    for (const app of ofType(args.resources, HEROKU_TYPES.app)) {
      if (!enabledFeatures(args.resources, app).includes("preboot"))
        report(`${label(app)} does not enable preboot.`, app.urn);
    }
  },
};

export const secretConfigVars: ResourceValidationPolicy = {
  name: "secret-config-vars",
  description:
    "Config vars whose names look secret (a KEY, TOKEN or CREDENTIALS at the end, a SECRET, PASSWORD or PASSPHRASE anywhere, or DATABASE_URL) are Pulumi secrets, never plain text in config or state.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Move the value to slipway:secretConfigVars with `pulumi config set --secret --path 'slipway:secretConfigVars.<NAME>' <value>`.",
  configSchema: {
    properties: {
      patterns: {
        type: "array",
        items: { type: "string" },
        // The one list slipway plan and pulumi up refuse plain secrets by (config/limits.ts),
        // matched against the name as _UPPER_SNAKE_CASE_.
        default: [...SECRET_NAME_PATTERNS],
      },
    },
  },
  validateResource: (args, report) => {
    if (args.type !== HEROKU_TYPES.configVars) return;
    const { patterns } = settingsOf<{ patterns: string[] }>(args, secretConfigVars);
    const plain = Object.keys((args.props["vars"] as Record<string, unknown> | undefined) ?? {});
    const exposed = plain.filter((name) => looksSecret(name, patterns));
    if (exposed.length > 0) report(`Plain config vars that look secret: ${exposed.join(", ")}.`);
  },
};

export const reviewStacksEphemeral: StackValidationPolicy = {
  name: "review-stacks-ephemeral",
  description:
    "A review stack is throwaway: nothing protected, no RDS, one small dyno per process, coupled only at the review stage.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Build review stacks from the review profile (HerokuApp with the review add-ons, no PostgresDatabase); never protect them.",
  configSchema: {
    properties: {
      sizes: { type: "array", items: { type: "string" }, default: ["eco", "basic", "standard-1x"] },
    },
  },
  validateStack: (args, report) => {
    if (stackKind(args.resources) !== "review") return;
    const { sizes } = settingsOf<{ sizes: string[] }>(args, reviewStacksEphemeral);
    for (const resource of args.resources) {
      if (resource.opts.protect) report(`${label(resource)} is protected.`, resource.urn);
      if (resource.type === "aws:rds/instance:Instance")
        report(`${label(resource)} is an RDS database.`, resource.urn);
      if (resource.type === HEROKU_TYPES.coupling && resource.props["stage"] !== "review") {
        report(
          `${label(resource)} couples at the ${String(resource.props["stage"])} stage.`,
          resource.urn,
        );
      }
      if (resource.type === HEROKU_TYPES.formation) {
        const formation = (resource.props["formation"] as Formation | undefined) ?? {};
        for (const [process, entry] of Object.entries(formation)) {
          // Stryker disable next-line StringLiteral: equivalent unless the policy config lists "" as a size, which no Heroku dyno is named: an unsized process is then never among the sizes
          if ((entry.quantity ?? 0) > 1 || !sizes.includes(entry.size ?? "")) {
            report(
              `${process} runs ${entry.quantity ?? 0} ${entry.size ?? "unsized"} dynos; a review app runs at most one of ${sizes.join(", ")}.`,
              resource.urn,
            );
          }
        }
      }
    }
  },
};

export const herokuPolicies = [
  pipelineStagesCoupled,
  productionWebDynos,
  productionPreboot,
  secretConfigVars,
  reviewStacksEphemeral,
];
