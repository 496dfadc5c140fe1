// The Heroku resources slipway declares, each `pulumi-nodejs:dynamic/heroku:<Type>` carrying its
// provider's code in `__provider`, the shape `pulumi.dynamic.Resource` registers, so the engine
// runs them in its dynamic provider host. What each manages and which changes replace it is said
// in its provider's module (app.ts, config-vars.ts, ...).
//
// The base extends `CustomResource` rather than `pulumi.dynamic.Resource` so that slipway, not
// the SDK's closure serializer, writes that code: esbuild bundles the provider's module from its
// source (provider-code.ts). Under `slipway plan` (the mock runtime, in preview) no provider ever
// runs, and the code is not even bundled.
import * as pulumi from "@pulumi/pulumi";
import type { PIPELINE_STAGES } from "./pipeline";
import { HEROKU_TYPE_PREFIX, HerokuType, PLAN_PROVIDER_TEXT, providerCode } from "./provider-code";

export type PipelineStage = (typeof PIPELINE_STAGES)[number];

const texts = new Map<HerokuType, pulumi.Output<string>>();

/** The `__provider` of a type: its code, bundled once per type and process. */
export function serializedProvider(type: HerokuType): pulumi.Input<string> {
  if (isPlanRun()) return PLAN_PROVIDER_TEXT;
  let text = texts.get(type);
  if (text === undefined) {
    text = pulumi.output(providerCode(type));
    texts.set(type, text);
  }
  return text;
}

/** `slipway plan` and component tests: the mock runtime, in preview. */
function isPlanRun(): boolean {
  if (!pulumi.runtime.isDryRun()) return false;
  const monitor = pulumi.runtime.getMonitor() as { mocks?: unknown } | undefined;
  return monitor?.mocks !== undefined;
}

/** Base of the Heroku resources: the type token, `__provider`, and delete-before-replace. */
export abstract class HerokuResource extends pulumi.CustomResource {
  protected constructor(
    type: HerokuType,
    name: string,
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions = {},
    secretOutputs: string[] = [],
  ) {
    super(
      `${HEROKU_TYPE_PREFIX}${type}`,
      name,
      { ...props, __provider: serializedProvider(type) },
      {
        // Every Heroku resource is unique in its scope (the providers' diffs say so too); set
        // here as well so plans and policies see it.
        deleteBeforeReplace: true,
        ...opts,
        additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...secretOutputs],
      },
    );
  }
}

export interface AppArgs {
  name: pulumi.Input<string>;
  /** The Common Runtime region; absent for an app in a Private Space (the space's region). */
  region?: pulumi.Input<string>;
  stack: pulumi.Input<string>;
  buildpacks: pulumi.Input<pulumi.Input<string>[]>;
  maintenance: pulumi.Input<boolean>;
  acm: pulumi.Input<boolean>;
  team?: pulumi.Input<string>;
  /** The Private Space the app runs in (its team's); absent on the Common Runtime. */
  space?: pulumi.Input<string>;
}

/** A Heroku app (app.ts). */
export class App extends HerokuResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly appId: pulumi.Output<string>;
  declare readonly webUrl: pulumi.Output<string>;
  declare readonly gitUrl: pulumi.Output<string>;

  constructor(name: string, args: AppArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { appId: undefined, webUrl: undefined, gitUrl: undefined };
    super("App", name, { ...args, ...outputs }, opts);
  }
}

export interface ConfigVarsArgs {
  /** The app's id (or name). */
  app: pulumi.Input<string>;
  vars: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Stored as secrets whether or not they arrive as secrets. */
  secretVars: Readonly<Record<string, pulumi.Input<string>>>;
}

/** The config vars slipway manages on one app, and only those (config-vars.ts). */
export class ConfigVars extends HerokuResource {
  declare readonly vars: pulumi.Output<Record<string, string>>;
  declare readonly secretVars: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: ConfigVarsArgs, opts?: pulumi.CustomResourceOptions) {
    const secretVars = Object.fromEntries(
      Object.entries(args.secretVars).map(([key, value]) => [key, pulumi.secret(value)]),
    );
    super("ConfigVars", name, { app: args.app, vars: args.vars, secretVars }, opts, ["secretVars"]);
  }
}

export interface FormationArgs {
  app: pulumi.Input<string>;
  /** Process type to `{ quantity, size }`, sizes as slipway's config spells them. */
  formation: pulumi.Input<Record<string, pulumi.Input<{ quantity: number; size: string }>>>;
}

/** The dyno formation of the managed process types of one app (formation.ts). */
export class Formation extends HerokuResource {
  declare readonly formation: pulumi.Output<Record<string, { quantity: number; size: string }>>;

  constructor(name: string, args: FormationArgs, opts?: pulumi.CustomResourceOptions) {
    super("Formation", name, { ...args }, opts);
  }
}

export interface AddonArgs {
  app: pulumi.Input<string>;
  /** `service:plan`, or `service` for its default plan. */
  plan: pulumi.Input<string>;
  /** A globally unique name; Heroku makes one up when absent. */
  name?: pulumi.Input<string>;
  /** Provisioning options, only at creation. */
  config?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** An add-on of one app (addon.ts). */
export class Addon extends HerokuResource {
  declare readonly addonId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly plan: pulumi.Output<string>;
  declare readonly configVarNames: pulumi.Output<string[]>;

  constructor(name: string, args: AddonArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { addonId: undefined, name: args.name, configVarNames: undefined };
    super("Addon", name, { ...args, ...outputs }, opts);
  }
}

export interface AppFeatureArgs {
  app: pulumi.Input<string>;
  feature: pulumi.Input<string>;
  enabled: pulumi.Input<boolean>;
}

/** One feature switch of one app (app-feature.ts). */
export class AppFeature extends HerokuResource {
  declare readonly enabled: pulumi.Output<boolean>;

  constructor(name: string, args: AppFeatureArgs, opts?: pulumi.CustomResourceOptions) {
    super("AppFeature", name, { ...args }, opts);
  }
}

export interface PipelineArgs {
  name: pulumi.Input<string>;
  /** The owning team; the token's user owns the pipeline when absent. */
  team?: pulumi.Input<string>;
}

/** A Heroku pipeline (pipeline.ts). */
export class Pipeline extends HerokuResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly pipelineId: pulumi.Output<string>;

  constructor(name: string, args: PipelineArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { pipelineId: undefined, ownerId: undefined, ownerType: undefined };
    super("Pipeline", name, { ...args, ...outputs }, opts);
  }
}

export interface PipelineCouplingArgs {
  app: pulumi.Input<string>;
  /** The pipeline's id. */
  pipeline: pulumi.Input<string>;
  stage: pulumi.Input<PipelineStage>;
}

/** An app in one stage of a pipeline (pipeline.ts). */
export class PipelineCoupling extends HerokuResource {
  declare readonly stage: pulumi.Output<PipelineStage>;

  constructor(name: string, args: PipelineCouplingArgs, opts?: pulumi.CustomResourceOptions) {
    super("PipelineCoupling", name, { ...args }, opts);
  }
}

export interface ReviewAppConfigArgs {
  /** The pipeline's id. */
  pipeline: pulumi.Input<string>;
  /** The GitHub repository the pipeline is connected to, as `owner/name`. */
  repo: pulumi.Input<string>;
  automaticReviewApps: pulumi.Input<boolean>;
  destroyStaleApps: pulumi.Input<boolean>;
  staleDays: pulumi.Input<number>;
  waitForCi: pulumi.Input<boolean>;
  baseName?: pulumi.Input<string>;
}

/** Review apps of a pipeline connected to GitHub (review-app-config.ts). */
export class ReviewAppConfig extends HerokuResource {
  constructor(name: string, args: ReviewAppConfigArgs, opts?: pulumi.CustomResourceOptions) {
    super("ReviewAppConfig", name, { ...args }, opts);
  }
}

export interface AppWebhookArgs {
  app: pulumi.Input<string>;
  url: pulumi.Input<string>;
  include: pulumi.Input<pulumi.Input<string>[]>;
  level: pulumi.Input<"notify" | "sync">;
}

/** A webhook of one app; `secret` signs its deliveries (hooks.ts). */
export class AppWebhook extends HerokuResource {
  declare readonly secret: pulumi.Output<string>;

  constructor(name: string, args: AppWebhookArgs, opts?: pulumi.CustomResourceOptions) {
    super("AppWebhook", name, { ...args, secret: undefined }, opts, ["secret"]);
  }
}

export interface LogDrainArgs {
  app: pulumi.Input<string>;
  url: pulumi.Input<string>;
}

/**
 * A log drain of one app; `token` names it in log lines (hooks.ts). The URL carries the log
 * service's credentials, so it stays a secret in the state however it arrives.
 */
export class LogDrain extends HerokuResource {
  declare readonly token: pulumi.Output<string>;

  constructor(name: string, args: LogDrainArgs, opts?: pulumi.CustomResourceOptions) {
    super("LogDrain", name, { ...args, token: undefined }, opts, ["url"]);
  }
}

/** What a Private Space tells a VPC that peers with it (space.ts); reads only. */
export class SpacePeeringInfo extends HerokuResource {
  declare readonly awsAccountId: pulumi.Output<string>;
  declare readonly awsRegion: pulumi.Output<string>;
  declare readonly vpcId: pulumi.Output<string>;
  declare readonly vpcCidr: pulumi.Output<string>;
  declare readonly dynoCidrBlocks: pulumi.Output<string[]>;
  declare readonly unavailableCidrBlocks: pulumi.Output<string[]>;

  constructor(
    name: string,
    args: { space: pulumi.Input<string> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    const outputs = {
      awsAccountId: undefined,
      awsRegion: undefined,
      vpcId: undefined,
      vpcCidr: undefined,
      dynoCidrBlocks: undefined,
      unavailableCidrBlocks: undefined,
    };
    super("SpacePeeringInfo", name, { ...args, ...outputs }, opts);
  }
}

/** A Private Space's stable outbound addresses (space.ts); reads only. */
export class SpaceNat extends HerokuResource {
  declare readonly sources: pulumi.Output<string[]>;

  constructor(
    name: string,
    args: { space: pulumi.Input<string> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super("SpaceNat", name, { ...args, sources: undefined }, opts);
  }
}

export interface SpacePeeringArgs {
  space: pulumi.Input<string>;
  /** The AWS VPC peering connection requested to the space's VPC. */
  pcxId: pulumi.Input<string>;
}

/** Heroku's side of a VPC peering connection: accepted, then active (space.ts). */
export class SpacePeering extends HerokuResource {
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: SpacePeeringArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { status: undefined, awsVpcId: undefined, cidrBlocks: undefined };
    super("SpacePeering", name, { ...args, ...outputs }, opts);
  }
}
