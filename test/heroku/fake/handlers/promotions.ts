// Pipeline promotions: the source app's release (pinned by `source.release.id`, else its current
// one) is copied to each target app as a new release, which runs the target's release phase. A
// target succeeds or fails with that release; the promotion is `completed` once every target's
// copy is done (not when the release phases end, which is why callers must watch the targets).
import { deliveryOf, PromotionRecord, PromotionTargetRecord } from "../delivery-state";
import type { PipelinePromotion } from "../delivery-types";
import { created, Handler, HandlerContext, invalid, notFound, ok } from "../http";
import type { FakeState } from "../state";

function coupledApp(state: FakeState, pipelineId: string, appId: string, role: string) {
  const app = state.findApp(appId);
  if (!app) throw notFound("app");
  const coupled = [...state.couplings.values()].some(
    (c) => c.app.id === app.app.id && c.pipeline.id === pipelineId,
  );
  if (!coupled) throw invalid(`The ${role} app ${app.app.name} is not in this pipeline.`);
  return app;
}

const createPromotion: Handler = ({ state, body }) => {
  const delivery = deliveryOf(state);
  const pipeline = state.findPipeline((body.pipeline as { id: string }).id);
  if (!pipeline) throw notFound("pipeline");
  const pipelineId = pipeline.pipeline.id;
  const source = body.source as { app?: { id?: string }; release?: { id?: string } };
  if (source.app?.id === undefined) throw invalid("source.app.id is required.");
  const sourceApp = coupledApp(state, pipelineId, source.app.id, "source");
  const wanted = source.release?.id;
  const release =
    wanted === undefined
      ? delivery.currentRelease(sourceApp)
      : delivery.releasesOf(sourceApp).find((r) => r.release.id === wanted);
  if (!release) throw notFound("release");
  if (release.release.status !== "succeeded" || release.release.slug === null) {
    throw invalid(
      `Release v${release.release.version} of ${sourceApp.app.name} cannot be promoted: ` +
        `it is ${release.release.status}${release.release.slug ? "" : " and has no slug"}.`,
    );
  }
  const targetApps = (body.targets as { app: { id: string } }[]).map((t) =>
    coupledApp(state, pipelineId, t.app.id, "target"),
  );
  if (targetApps.length === 0 || targetApps.some((a) => a.app.id === sourceApp.app.id)) {
    throw invalid("targets must name at least one app of the pipeline other than the source.");
  }
  const at = state.timestamp();
  const promotion: PipelinePromotion = {
    created_at: at,
    id: state.newId(),
    pipeline: { id: pipelineId },
    source: { app: { id: sourceApp.app.id }, release: { id: release.release.id } },
    status: "pending",
    updated_at: null,
  };
  const targets: PromotionTargetRecord[] = targetApps.map((app) => {
    const script = delivery.scriptOf(app.app.id).promotion;
    return {
      target: {
        app: { id: app.app.id },
        error_message: null,
        id: state.newId(),
        pipeline_promotion: { id: promotion.id },
        release: null,
        status: "pending",
      },
      copyPolls: script.polls,
      failure: script.failure,
    };
  });
  delivery.promotions.set(promotion.id, {
    promotion,
    slugId: release.release.slug.id,
    description: `Promote ${sourceApp.app.name} v${release.release.version}`,
    targets,
  });
  return created(promotion);
};

/** One step of each pending target; with `releases`, their release phases move a step too. */
function advance(state: FakeState, record: PromotionRecord, releases: boolean): void {
  const delivery = deliveryOf(state);
  for (const entry of record.targets) {
    const { target } = entry;
    if (target.status !== "pending") continue;
    if (target.release === null) {
      if (entry.copyPolls > 0) {
        entry.copyPolls -= 1;
      } else if (entry.failure !== null) {
        Object.assign(target, { status: "failed", error_message: entry.failure });
      } else {
        const app = state.app(target.app.id);
        const made = delivery.createRelease(app, record.slugId, record.description);
        target.release = { id: made.release.id };
        settleTarget(state, entry);
      }
      continue;
    }
    const release = delivery.releases.get(target.release.id)!;
    if (releases) delivery.observeRelease(release);
    settleTarget(state, entry);
  }
  const copied = record.targets.every(
    (t) => t.target.release !== null || t.target.status !== "pending",
  );
  if (copied && record.promotion.status === "pending") {
    record.promotion.status = "completed";
    record.promotion.updated_at = state.timestamp();
  }
}

function settleTarget(state: FakeState, entry: PromotionTargetRecord): void {
  const release = deliveryOf(state).releases.get(entry.target.release!.id)!.release;
  if (release.status === "succeeded") entry.target.status = "succeeded";
  if (release.status === "failed") {
    entry.target.status = "failed";
    entry.target.error_message = `The release phase of v${release.version} failed.`;
  }
}

function promotionOf(context: HandlerContext): PromotionRecord {
  const record = deliveryOf(context.state).promotions.get(context.params[0]!);
  if (!record) throw notFound("pipeline promotion");
  return record;
}

export const promotionHandlers: Record<string, Handler> = {
  "POST /pipeline-promotions": createPromotion,
  "GET /pipeline-promotions/{pipeline-promotion}": (context) => {
    const record = promotionOf(context);
    advance(context.state, record, false);
    return ok(record.promotion);
  },
  "GET /pipeline-promotions/{pipeline-promotion}/promotion-targets": (context) => {
    const record = promotionOf(context);
    advance(context.state, record, true);
    return ok(record.targets.map((t) => t.target));
  },
};
