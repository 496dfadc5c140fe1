// DeliveryPipeline: the Heroku pipeline that carries a slug from review to staging to production.
// The production stack creates the pipeline, couples its app at `production` and, once the
// pipeline is connected to GitHub, enables review apps; staging and review stacks couple their
// app into that pipeline, whose id reaches them through a StackReference to production.
import * as pulumi from "@pulumi/pulumi";
import { ReviewAppsSettings } from "../config/schema";
import { GITHUB_CONNECTED_KEY } from "./heroku/config-keys";
import { Pipeline, PipelineCoupling, PipelineStage, ReviewAppConfig } from "./heroku/resources";
import { HerokuApp } from "./heroku-app";

export const DELIVERY_PIPELINE_TYPE = "slipway:heroku:DeliveryPipeline";

export type { PipelineStage } from "./heroku/resources";

/** The pipeline to create (production), or the id of the one production created. */
export type PipelineRef =
  { readonly name: string; readonly team?: string } | { readonly id: pulumi.Input<string> };

export interface DeliveryPipelineArgs {
  /**
   * `{ name, team? }` creates the pipeline (the production stack; it is protected, since every
   * stack's coupling hangs on it); `{ id }` joins the one production created.
   * @default - required
   * @example { id: new pulumi.StackReference("production").getOutput("pipelineId") }
   */
  readonly pipeline: PipelineRef;
  /**
   * The app to couple: a HerokuApp, or an app id.
   * @default - required
   */
  readonly app: HerokuApp | pulumi.Input<string>;
  /**
   * The pipeline stage the app sits in.
   * @default - required: production, staging or review per stack kind
   */
  readonly stage: PipelineStage;
  /**
   * Heroku review apps on the pipeline, only with `pipeline: { name }`. The config is created
   * only once `settings.githubConnected` is true (see docs/heroku.md); before that a warning
   * says how to connect the pipeline.
   * @default - review apps stay off
   */
  readonly reviewApps?: {
    readonly settings: ReviewAppsSettings;
    /** The GitHub repository as `owner/name`. */
    readonly repo: string;
  };
}

/** A Heroku pipeline (or a place in one) for one stack's app. */
export class DeliveryPipeline extends pulumi.ComponentResource {
  /** The pipeline's id: production exports it for the other stacks. */
  readonly pipelineId: pulumi.Output<string>;
  readonly coupling: PipelineCoupling;

  constructor(name: string, args: DeliveryPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    const pipelineName = "name" in args.pipeline ? args.pipeline.name : undefined;
    super(DELIVERY_PIPELINE_TYPE, name, { stage: args.stage, pipelineName }, opts);

    const pipelineId = this.pipelineIdOf(name, args.pipeline);
    const app = args.app instanceof HerokuApp ? args.app.id : args.app;
    this.coupling = new PipelineCoupling(
      `${name}-${args.stage}`,
      { app, pipeline: pipelineId, stage: args.stage },
      { parent: this },
    );
    if (args.reviewApps !== undefined) this.enableReviewApps(name, args, pipelineId);

    this.pipelineId = pulumi.output(pipelineId);
    this.registerOutputs({ pipelineId: this.pipelineId });
  }

  private pipelineIdOf(name: string, ref: PipelineRef): pulumi.Input<string> {
    if ("id" in ref) return ref.id;
    const pipeline = new Pipeline(
      `${name}-pipeline`,
      { name: ref.name, ...(ref.team === undefined ? {} : { team: ref.team }) },
      { parent: this, protect: true },
    );
    return pipeline.pipelineId;
  }

  private enableReviewApps(
    name: string,
    args: DeliveryPipelineArgs,
    pipeline: pulumi.Input<string>,
  ) {
    const { settings, repo } = args.reviewApps!;
    if (!("name" in args.pipeline)) {
      // Review apps belong to the pipeline's own stack: a wiring mistake, not a user's.
      throw new Error("DeliveryPipeline: reviewApps needs the pipeline this component creates");
    }
    if (!settings.githubConnected) {
      void pulumi.log.warn(
        `Heroku review apps stay off until pipeline ${args.pipeline.name} is connected to GitHub ` +
          `(${repo}): connect it once in the Heroku Dashboard (pipeline, Settings, Connect to ` +
          `GitHub) or with \`heroku pipelines:connect ${args.pipeline.name} --repo ${repo}\`, ` +
          `then \`pulumi config set --path ${GITHUB_CONNECTED_KEY} true\`. See docs/heroku.md.`,
        this,
      );
      return;
    }
    // slipway's review stacks are the review apps: Heroku making its own from each pull request
    // would double them, so automatic review apps stay off; stale ones are still cleaned up.
    new ReviewAppConfig(
      `${name}-review-apps`,
      {
        pipeline,
        repo,
        automaticReviewApps: false,
        destroyStaleApps: true,
        staleDays: settings.staleDays,
        waitForCi: settings.waitForCi,
      },
      { parent: this },
    );
  }
}
