// Pipeline and PipelineCoupling.
//
// Pipeline: owned by a team (`team`) or by the token's user. A new `name` renames it in place; a
// new `team` transfers it in place (POST /pipeline-transfers), so the apps coupled to it, from
// other stacks too, stay coupled. After an uncertain create, a pipeline found under the name is
// adopted only when it has the wanted owner and was made within the last minutes.
// PipelineCoupling: an app in one stage of a pipeline. A new `stage` moves it in place; another
// `app` or `pipeline` replaces the coupling, deleting it first (an app belongs to one pipeline).
import type * as pulumi from "@pulumi/pulumi";
import { HerokuClient, HerokuClientOptions, herokuPath } from "../../heroku/client";
import { InputChecker } from "./check";
import { ADOPT_WINDOW_MS, createdSince, defineProvider, isUuid, Props } from "./provider";

export const PIPELINE_STAGES = ["review", "development", "staging", "production"] as const;

export interface PipelineInputs extends Props {
  name: string;
  /** The owning team's name; the user owns the pipeline when absent. */
  team?: string;
}

export interface PipelineOutputs extends PipelineInputs {
  pipelineId: string;
  ownerId: string;
  ownerType: "team" | "user";
}

interface HerokuPipeline {
  id: string;
  name: string;
  created_at: string;
  owner: { id: string; type: "team" | "user" } | null;
}

export function createPipelineProvider(
  options: HerokuClientOptions = {},
): pulumi.dynamic.ResourceProvider {
  const client = () => new HerokuClient(options);
  const now = () => (options.now ?? Date.now)();

  /** The owner a pipeline gets: the team, or the account behind the token (one GET). */
  async function ownerOf(api: HerokuClient, team: string | undefined) {
    if (team === undefined) {
      const account = await api.get<{ id: string }>("/account");
      return { id: account.id, type: "user" as const };
    }
    const found = await api.get<{ id: string }>(herokuPath`/teams/${team}`);
    return { id: found.id, type: "team" as const };
  }

  const outputs = (inputs: PipelineInputs, pipeline: HerokuPipeline): PipelineOutputs => ({
    ...inputs,
    pipelineId: pipeline.id,
    ownerId: pipeline.owner?.id ?? "",
    ownerType: pipeline.owner?.type ?? "user",
  });

  return defineProvider<PipelineInputs, PipelineOutputs>({
    inputs: ["name", "team"],
    replaceOn: {},
    check: (news) =>
      new InputChecker(news)
        .string(
          "name",
          /^[a-z][a-z0-9-]{2,29}$/,
          "3-30 lowercase letters, digits and dashes, starting with a letter",
        )
        .string("team", /^[a-z0-9][a-z0-9-]*$/, "a Heroku team name", null)
        .result(),

    async create(inputs) {
      const api = client();
      const since = now() - ADOPT_WINDOW_MS;
      const owner = await ownerOf(api, inputs.team);
      const { resource } = await api.createOrAdopt<HerokuPipeline>({
        path: "/pipelines",
        body: { name: inputs.name, owner },
        lookup: herokuPath`/pipelines/${inputs.name}`,
        matches: (found) => found.owner?.id === owner.id && createdSince(found, since),
        description: `pipeline "${inputs.name}"`,
      });
      return { id: resource.id, outs: outputs(inputs, resource) };
    },

    async read(id, olds) {
      const pipeline = await client().getOrUndefined<HerokuPipeline>(herokuPath`/pipelines/${id}`);
      if (pipeline === undefined) return undefined;
      // The owner answer has an id only: a change of owner shows as the team's id (or none), so
      // the diff sees it and the next update transfers the pipeline back.
      const sameOwner = pipeline.owner?.id === olds.ownerId;
      const team = sameOwner
        ? olds.team
        : pipeline.owner?.type === "team"
          ? pipeline.owner.id
          : undefined;
      return outputs({ name: pipeline.name, team }, pipeline);
    },

    async update(id, olds, news) {
      const api = client();
      let pipeline: HerokuPipeline = {
        id,
        name: olds.name,
        created_at: "",
        owner: { id: olds.ownerId, type: olds.ownerType },
      };
      if (news.name !== olds.name) {
        pipeline = await api.patch<HerokuPipeline>(herokuPath`/pipelines/${id}`, {
          name: news.name,
        });
      }
      if (news.team !== olds.team) {
        const owner = await ownerOf(api, news.team);
        await api.post("/pipeline-transfers", { pipeline: { id }, new_owner: owner });
        pipeline = { ...pipeline, owner };
      }
      return outputs(news, pipeline);
    },

    async delete(id) {
      await client().deleteIgnoringNotFound(herokuPath`/pipelines/${id}`);
    },
  });
}

export const pipelineProvider = createPipelineProvider();

export interface PipelineCouplingInputs extends Props {
  /** The app's id (or name). */
  app: string;
  /** The pipeline's id. */
  pipeline: string;
  stage: (typeof PIPELINE_STAGES)[number];
}

interface HerokuCoupling {
  id: string;
  app: { id: string };
  pipeline: { id: string };
  stage: string;
}

export function createPipelineCouplingProvider(
  options: HerokuClientOptions = {},
): pulumi.dynamic.ResourceProvider {
  const client = () => new HerokuClient(options);
  const path = (id: string) => herokuPath`/pipeline-couplings/${id}`;

  return defineProvider<PipelineCouplingInputs, PipelineCouplingInputs>({
    inputs: ["app", "pipeline", "stage"],
    replaceOn: { app: true, pipeline: true },
    check: (news) =>
      new InputChecker(news)
        .string("app", /\S/, "an app id or name")
        .string(
          "pipeline",
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
          "a pipeline id (a UUID)",
        )
        .oneOf("stage", PIPELINE_STAGES)
        .result(),

    async create(inputs) {
      const api = client();
      const { app, pipeline, stage } = inputs;
      // The app's coupling, when it is already in this pipeline, is the one asked for.
      const { resource } = await api.createOrAdopt<HerokuCoupling>({
        path: "/pipeline-couplings",
        body: { app, pipeline, stage },
        lookup: herokuPath`/apps/${app}/pipeline-couplings`,
        matches: (found) => found.pipeline.id === pipeline,
        description: `coupling of app "${app}" to pipeline ${pipeline}`,
      });
      const coupling =
        resource.stage === stage
          ? resource
          : await api.patch<HerokuCoupling>(path(resource.id), { stage });
      return { id: coupling.id, outs: inputs };
    },

    async read(id, olds) {
      const coupling = await client().getOrUndefined<HerokuCoupling>(path(id));
      if (coupling === undefined) return undefined;
      return {
        app: isUuid(olds.app) ? coupling.app.id : olds.app,
        pipeline: coupling.pipeline.id,
        stage: coupling.stage as PipelineCouplingInputs["stage"],
      };
    },

    async update(id, _olds, news) {
      await client().patch(path(id), { stage: news.stage });
      return news;
    },

    async delete(id) {
      await client().deleteIgnoringNotFound(path(id));
    },
  });
}

export const pipelineCouplingProvider = createPipelineCouplingProvider();
