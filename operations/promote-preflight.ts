// promote's first step, which changes nothing: the two apps, both at their stage of one pipeline,
// staging's candidate release (its newest, or the one asked for) succeeded and with a slug,
// production with a current release and none still in its release phase, and the commit each
// side runs. Any of these failing is a refusal, said in one sentence.
import type { HerokuClient } from "../heroku/client";
import { herokuPath } from "../heroku/client";
import {
  getApp,
  HerokuAppInfo,
  HerokuRelease,
  recentReleases,
  ReleaseRef,
  releaseRef,
} from "../heroku/delivery";
import { ReleaseCommit, sideOf } from "./release-commits";

interface Coupling {
  readonly pipeline: { readonly id: string };
  readonly stage: string;
}

/** What promote goes on with, or why it refuses (with the releases known by then). */
export type Preflight =
  | {
      readonly refusal: string;
      readonly sourceRelease: ReleaseRef | null;
      readonly fromRelease: ReleaseRef | null;
    }
  | {
      readonly refusal: null;
      readonly staging: HerokuAppInfo;
      readonly production: HerokuAppInfo;
      readonly pipelineId: string;
      /** The release staging runs (health checked before promoting). */
      readonly stagingCurrent: HerokuRelease | undefined;
      readonly sourceRelease: ReleaseRef;
      readonly fromRelease: ReleaseRef;
      readonly sides: { readonly production: ReleaseCommit; readonly staging: ReleaseCommit };
    };

/** Reads and checks; Heroku's errors reject. */
export async function preflight(
  client: HerokuClient,
  request: { productionApp: string; stagingApp: string; stagingRelease?: string },
): Promise<Preflight> {
  const prod = request.productionApp;
  let sourceRelease: ReleaseRef | null = null;
  let fromRelease: ReleaseRef | null = null;
  const refuse = (refusal: string): Preflight => ({ refusal, sourceRelease, fromRelease });
  const staging = await getApp(client, request.stagingApp);
  const production = await getApp(client, prod);
  const couplingOf = (app: string) =>
    client.getOrUndefined<Coupling>(herokuPath`/apps/${app}/pipeline-couplings`);
  const fromStage = await couplingOf(request.stagingApp);
  const toStage = await couplingOf(prod);
  if (fromStage?.stage !== "staging" || toStage?.stage !== "production") {
    return refuse(
      `${request.stagingApp} must be at the staging stage and ${prod} at the production stage of one pipeline; Heroku has ${stageOf(request.stagingApp, fromStage)} and ${stageOf(prod, toStage)}. Run \`pulumi up\` of the production and staging stacks, which couple them`,
    );
  }
  if (fromStage.pipeline.id !== toStage.pipeline.id) {
    return refuse(
      `${request.stagingApp} and ${prod} are in different pipelines (${fromStage.pipeline.id} and ${toStage.pipeline.id}). Run \`pulumi up\` of the staging stack, which couples it to production's pipeline`,
    );
  }
  const stagingReleases = await recentReleases(client, request.stagingApp);
  const stagingCurrent = stagingReleases.find((r) => r.current);
  const candidate =
    request.stagingRelease === undefined
      ? stagingReleases[0]
      : await client.get<HerokuRelease>(
          herokuPath`/apps/${request.stagingApp}/releases/${request.stagingRelease}`,
        );
  if (candidate === undefined) return refuse(`${request.stagingApp} has no release to promote`);
  sourceRelease = releaseRef(candidate);
  const which = request.stagingRelease === undefined ? "latest release" : "release";
  if (candidate.status !== "succeeded") {
    return refuse(
      `staging's ${which} v${candidate.version} is ${candidate.status}, not succeeded: only a release whose release phase succeeded is promoted. Fix staging first (slipway deploy --stack staging)`,
    );
  }
  if (candidate.slug === null) {
    return refuse(
      `staging's ${which} v${candidate.version} has no slug (a container image or the app's first release): a pipeline promotes slugs`,
    );
  }
  const prodReleases = await recentReleases(client, prod);
  const current = prodReleases.find((r) => r.current);
  fromRelease = current ? releaseRef(current) : null;
  const unfinished = prodReleases.find((r) => r.status === "pending");
  if (unfinished) {
    return refuse(
      `${prod} has an unfinished release, v${unfinished.version} (its release phase is still running). Wait for it to end (\`heroku releases -a ${prod}\`), then promote again`,
    );
  }
  if (current === undefined) {
    return refuse(
      `${prod} runs no release among its newest 20, so there is nothing to roll back to`,
    );
  }
  return {
    refusal: null,
    staging,
    production,
    pipelineId: fromStage.pipeline.id,
    stagingCurrent,
    sourceRelease: releaseRef(candidate),
    fromRelease: releaseRef(current),
    sides: {
      production: await sideOf(client, prod, current),
      staging: await sideOf(client, request.stagingApp, candidate),
    },
  };
}

function stageOf(app: string, coupling: Coupling | undefined): string {
  return coupling === undefined ? `${app} in no pipeline` : `${app} at ${coupling.stage}`;
}
