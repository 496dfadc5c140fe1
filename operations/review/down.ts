// `slipway review down`: destroys a review stack and removes it. Only a stack named `review-*`, and
// only when every Heroku app it holds is coupled to the pipeline's review stage: a stack whose app
// turns out to be staging or production (a config mistake, a hand-made stack) is refused before
// anything is touched. A stack that is already gone is success.
import { HerokuClient, herokuPath } from "../../heroku/client";
import { REVIEW_STACK } from "../../config/validate";
import { SlipwayError } from "../../errors";
import { reviewNames } from "./naming";
import { ReviewProfile, reviewStackConfig } from "./profile";
import { openSession, ReviewContext, ReviewSession } from "./session";

export type DownTarget = { readonly stack: string } | { readonly branch: string };

export interface DownResult {
  readonly stack: string;
  /** `destroyed`: resources deleted and stack removed; `absent`: there was no such stack. */
  readonly outcome: "destroyed" | "absent";
  /** The Heroku apps the stack held. */
  readonly apps: readonly string[];
}

/** Destroys and removes the review stack named by `target` (a stack name or a branch). */
export async function reviewDown(context: ReviewContext, target: DownTarget): Promise<DownResult> {
  if ("stack" in target) requireReviewStackName(target.stack, "--stack");
  const session = await openSession(context);
  const stack =
    "stack" in target
      ? target.stack
      : reviewNames({ branch: target.branch, productionApp: session.profile.productionApp }).stack;
  return destroyReviewStack(session, stack, "stack" in target ? "--stack" : "--branch");
}

/** Refuses any name that is not a review stack's (`review-<slug>`). */
export function requireReviewStackName(stack: string, flag: string): void {
  if (REVIEW_STACK.test(stack)) return;
  throw SlipwayError.of(
    flag,
    `got ${JSON.stringify(stack)}, which is not a review stack: slipway review removes only stacks ` +
      "named review-<slug>, so production and staging are out of its reach. Allowed: review- " +
      "followed by 1-40 lowercase letters, digits or dashes. Fix: pass the review stack's name " +
      "(`slipway review list` shows them), or --branch <branch>.",
  );
}

/**
 * The steps `down` and `prune` share: read the apps from the stack's state, check each is a review
 * app of the pipeline, destroy, remove. `flag` names what chose the stack, for refusals.
 */
export async function destroyReviewStack(
  session: ReviewSession,
  stack: string,
  flag: string,
): Promise<DownResult> {
  const apps = await session.stacks.apps(stack);
  if (apps === undefined) {
    session.progress({ step: "down", message: `${stack} does not exist: nothing to remove` });
    return { stack, outcome: "absent", apps: [] };
  }
  session.progress({ step: "down", message: `${stack} holds ${describeApps(apps)}` });
  for (const app of apps) await requireReviewApp(session.heroku, session.profile, app, stack, flag);
  // The CLI checks the stack's config even for a destroy; a fresh checkout has none, so it is
  // written again. Only the app's name differs between review stacks, and a destroy reads none
  // of it: a stack that never got as far as its app takes a name derived from its own.
  const appName =
    apps[0] ?? reviewNames({ branch: stack, productionApp: session.profile.productionApp }).app;
  const existed = await session.stacks.destroy(stack, reviewStackConfig(session.profile, appName));
  session.progress({
    step: "down",
    message: existed ? `${stack} destroyed and removed` : `${stack} was removed meanwhile`,
  });
  return { stack, outcome: existed ? "destroyed" : "absent", apps };
}

/** Refuses (bad input) an app that exists but is not at the review stage of the pipeline. */
async function requireReviewApp(
  heroku: HerokuClient,
  profile: ReviewProfile,
  app: string,
  stack: string,
  flag: string,
): Promise<void> {
  const coupling = await heroku.getOrUndefined<{ stage: string; pipeline: { id: string } }>(
    herokuPath`/apps/${app}/pipeline-couplings`,
  );
  if (coupling === undefined) {
    if ((await heroku.getOrUndefined(herokuPath`/apps/${app}`)) === undefined) return;
    throw refusal(stack, flag, `its app ${app} is in no pipeline`);
  }
  if (coupling.stage !== "review") {
    throw refusal(stack, flag, `its app ${app} is at the ${coupling.stage} stage of its pipeline`);
  }
  if (profile.pipelineName === undefined) return;
  const pipeline = await heroku.get<{ name: string }>(
    herokuPath`/pipelines/${coupling.pipeline.id}`,
  );
  if (pipeline.name !== profile.pipelineName) {
    throw refusal(
      stack,
      flag,
      `its app ${app} is a review app of the pipeline ${pipeline.name}, not of ${profile.pipelineName}`,
    );
  }
}

/** A stack whose app is not a review app of the pipeline: bad input, and prune skips it. */
export class NotAReviewApp extends SlipwayError {
  static isInstance(value: unknown): value is NotAReviewApp {
    return value instanceof NotAReviewApp;
  }
}

function refusal(stack: string, flag: string, why: string): NotAReviewApp {
  return new NotAReviewApp([
    {
      key: flag,
      message:
        `${stack}: ${why}. slipway review removes only apps at the review stage of the ` +
        "pipeline (slipway:pipeline.name of Pulumi.production.yaml); nothing was changed. " +
        "Fix: check that this is the stack you meant; a stack made by hand is removed with " +
        "`pulumi destroy` and `pulumi stack rm`.",
    },
  ]);
}

function describeApps(apps: readonly string[]): string {
  return apps.length === 0
    ? "no Heroku app"
    : `the app${apps.length > 1 ? "s" : ""} ${apps.join(", ")}`;
}
