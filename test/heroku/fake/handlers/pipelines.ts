// Pipelines, their couplings and review-app config; teams and the account (pipeline owners).
import { created, FakeHttpError, Handler, HandlerContext, invalid, notFound, ok } from "../http";
import { FakeState, Pipeline, PipelineCoupling, PipelineRecord, ReviewAppConfig } from "../state";
import { appOf } from "./apps";

const CEDAR = { id: "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", name: "cedar" };

function pipelineOf(context: HandlerContext): PipelineRecord {
  const record = context.state.findPipeline(context.params[0]!);
  if (!record) throw notFound("pipeline");
  return record;
}

function ownerOf(state: FakeState, owner: Pipeline["owner"] | undefined): Pipeline["owner"] {
  if (!owner) return { id: state.account.id, type: "user" };
  const known =
    owner.type === "team" ? state.findTeam(owner.id) !== undefined : owner.id === state.account.id;
  if (!known) throw invalid(`Couldn't find that ${owner.type} owner: ${owner.id}.`);
  return { id: owner.id, type: owner.type };
}

const createPipeline: Handler = ({ state, body }) => {
  if (state.findPipeline(body.name as string)) throw invalid("Name has already been taken");
  const at = state.timestamp();
  const pipeline: Pipeline = {
    created_at: at,
    id: state.newId(),
    name: body.name as string,
    owner: ownerOf(state, body.owner as Pipeline["owner"] | undefined),
    updated_at: at,
    generation: { ...CEDAR },
  };
  state.pipelines.set(pipeline.id, { pipeline });
  return created(pipeline);
};

const updatePipeline: Handler = (context) => {
  const record = pipelineOf(context);
  const name = context.body.name as string | undefined;
  if (name !== undefined && name !== record.pipeline.name) {
    if (context.state.findPipeline(name)) throw invalid("Name has already been taken");
    record.pipeline.name = name;
  }
  record.pipeline.updated_at = context.state.timestamp();
  return ok(record.pipeline);
};

const deletePipeline: Handler = (context) => {
  const { state } = context;
  const record = pipelineOf(context);
  state.pipelines.delete(record.pipeline.id);
  for (const [key, c] of state.couplings) {
    if (c.pipeline.id === record.pipeline.id) state.couplings.delete(key);
  }
  return ok(record.pipeline);
};

/** `POST /pipeline-transfers`: a new owner (team or user) for a pipeline. */
const transferPipeline: Handler = (context) => {
  const { state, body } = context;
  const record = state.findPipeline((body.pipeline as { id: string }).id);
  if (!record) throw notFound("pipeline");
  const previous = record.pipeline.owner ?? { id: state.account.id, type: "user" as const };
  record.pipeline.owner = ownerOf(state, body.new_owner as Pipeline["owner"]);
  record.pipeline.updated_at = state.timestamp();
  return created({
    pipeline: { id: record.pipeline.id },
    previous_owner: previous,
    new_owner: record.pipeline.owner,
  });
};

function couplingOf(context: HandlerContext): PipelineCoupling {
  const coupling = context.state.couplings.get(context.params[0]!);
  if (!coupling) throw notFound("pipeline coupling");
  return coupling;
}

const createCoupling: Handler = (context) => {
  const { state, body } = context;
  const app = state.findApp(body.app as string);
  if (!app) throw notFound("app");
  const pipeline = state.findPipeline(body.pipeline as string);
  if (!pipeline) throw notFound("pipeline");
  const existing = [...state.couplings.values()].some((c) => c.app.id === app.app.id);
  if (existing) throw invalid(`${app.app.name} is already a member of a pipeline.`);
  const at = state.timestamp();
  const coupling: PipelineCoupling = {
    app: { id: app.app.id },
    created_at: at,
    id: state.newId(),
    pipeline: { id: pipeline.pipeline.id },
    stage: body.stage as string,
    updated_at: at,
  };
  state.couplings.set(coupling.id, coupling);
  return created(coupling);
};

/** The pipeline's review-app config routes: 404 until the pipeline is connected to GitHub. */
function connected(context: HandlerContext): PipelineRecord & { github: { repoId: number } } {
  const record = pipelineOf(context);
  if (!record.github) {
    throw new FakeHttpError(
      404,
      "not_found",
      "Couldn't find a GitHub repository connected to that pipeline.",
    );
  }
  return record as PipelineRecord & { github: { repoId: number } };
}

function reviewConfigOf(context: HandlerContext): ReviewAppConfig {
  const config = connected(context).reviewAppConfig;
  if (!config) throw notFound("review app configuration");
  return config;
}

const REVIEW_FIELDS = [
  "automatic_review_apps",
  "destroy_stale_apps",
  "stale_days",
  "deploy_target",
  "wait_for_ci",
  "base_name",
] as const;

const enableReviewApps: Handler = (context) => {
  const record = connected(context);
  const body = context.body as Record<string, unknown>;
  if (body.repo !== record.github?.repo) {
    throw invalid(`The pipeline is connected to ${record.github?.repo}, not ${String(body.repo)}.`);
  }
  if (record.reviewAppConfig) throw invalid("Review apps are already enabled for this pipeline.");
  const config: ReviewAppConfig = {
    repo: { id: record.github.repoId },
    automatic_review_apps: false,
    deploy_target: null,
    destroy_stale_apps: false,
    stale_days: 5,
    pipeline_id: record.pipeline.id,
    wait_for_ci: false,
    base_name: null,
  };
  record.reviewAppConfig = Object.assign(config, pick(body, REVIEW_FIELDS));
  return created(config);
};

function pick(body: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in body).map((k) => [k, body[k]]));
}

export const pipelineHandlers: Record<string, Handler> = {
  "POST /pipelines": createPipeline,
  "GET /pipelines": ({ state }) => ok([...state.pipelines.values()].map((r) => r.pipeline)),
  "GET /pipelines/{pipeline}": (context) => ok(pipelineOf(context).pipeline),
  "PATCH /pipelines/{pipeline}": updatePipeline,
  "DELETE /pipelines/{pipeline}": deletePipeline,
  "POST /pipeline-transfers": transferPipeline,
  "POST /pipeline-couplings": createCoupling,
  "GET /pipeline-couplings": ({ state }) => ok([...state.couplings.values()]),
  "GET /pipeline-couplings/{pipeline-coupling}": (context) => ok(couplingOf(context)),
  "PATCH /pipeline-couplings/{pipeline-coupling}": (context) => {
    const coupling = couplingOf(context);
    if (typeof context.body.stage === "string") coupling.stage = context.body.stage;
    coupling.updated_at = context.state.timestamp();
    return ok(coupling);
  },
  "DELETE /pipeline-couplings/{pipeline-coupling}": (context) => {
    const coupling = couplingOf(context);
    context.state.couplings.delete(coupling.id);
    return ok(coupling);
  },
  "GET /pipelines/{pipeline}/pipeline-couplings": (context) => {
    const id = pipelineOf(context).pipeline.id;
    return ok([...context.state.couplings.values()].filter((c) => c.pipeline.id === id));
  },
  "GET /apps/{app}/pipeline-couplings": (context) => {
    const id = appOf(context).app.id;
    const coupling = [...context.state.couplings.values()].find((c) => c.app.id === id);
    if (!coupling) throw notFound("pipeline coupling");
    return ok(coupling);
  },
  "POST /pipelines/{pipeline}/review-app-config": enableReviewApps,
  "GET /pipelines/{pipeline}/review-app-config": (context) => ok(reviewConfigOf(context)),
  "PATCH /pipelines/{pipeline}/review-app-config": (context) => {
    const config = reviewConfigOf(context);
    Object.assign(config, pick(context.body as Record<string, unknown>, REVIEW_FIELDS));
    return ok(config);
  },
  "DELETE /pipelines/{pipeline}/review-app-config": (context) => {
    const record = connected(context);
    const config = reviewConfigOf(context);
    delete record.reviewAppConfig;
    return ok(config);
  },
  "GET /teams": ({ state }) => ok([...state.teams.values()]),
  "GET /teams/{team}": ({ state, params }) => {
    const team = state.findTeam(params[0]!);
    if (!team) throw notFound("team");
    return ok(team);
  },
  "GET /account": ({ state }) => ok(accountJson(state)),
};

function accountJson(state: FakeState): Record<string, unknown> {
  const at = "2024-01-01T00:00:00Z";
  return {
    allow_tracking: false,
    beta: false,
    created_at: at,
    email: state.account.email,
    federated: false,
    id: state.account.id,
    identity_provider: null,
    last_login: at,
    name: "Fake Heroku User",
    sms_number: null,
    suspended_at: null,
    delinquent_at: null,
    two_factor_authentication: true,
    updated_at: at,
    verified: true,
    country_of_residence: null,
    default_organization: null,
    default_team: null,
  };
}
