// `slipway review up`: a branch's review stack brought up through the Automation API (created or
// selected, the review profile plus its app name as config), then the branch's commit deployed to
// its app by the same `deploy()` as `slipway deploy` (build, release phase, health check). After
// the first deploy that succeeds, app.json's postdeploy script runs once in a one-off dyno, as
// Heroku's own review apps do; the stack's FIRST_DEPLOY_TAG records it, so later pushes skip it.
import * as path from "node:path";
import { SlipwayError } from "../../errors";
import { deploy, DeployResult } from "../deploy";
import { resolveCommit } from "../source-tarball";
import { ReviewFailure } from "./failure";
import { reviewNames } from "./naming";
import { PostdeployRun, readPostdeploy, runPostdeploy } from "./postdeploy";
import { reviewStackConfig } from "./profile";
import { openSession, ReviewContext, ReviewSession } from "./session";
import { CREATED_TAG, FIRST_DEPLOY_TAG } from "./stacks";

export interface ReviewUpRequest {
  readonly branch: string;
  readonly pr?: number;
  /** The commit to deploy (a commit of `sourceDir`). */
  readonly sha: string;
  /** The application's git checkout. */
  readonly sourceDir: string;
}

export interface ReviewUpTimings {
  /** Milliseconds of the stack's `up`, the deploy, the postdeploy script (null: not run). */
  readonly stackMs: number;
  readonly deployMs: number | null;
  readonly postdeployMs: number | null;
  readonly totalMs: number;
}

export interface ReviewUpResult {
  /** `deployed`: the commit is live and healthy, and postdeploy (if due) succeeded. */
  readonly outcome: "deployed" | "failed";
  /** A person must act (exit 4); otherwise a failure changed nothing that matters (exit 1). */
  readonly needsAttention: boolean;
  readonly summary: string;
  readonly stack: string;
  readonly app: string;
  readonly url: string | null;
  /** The full SHA deployed. */
  readonly sha: string;
  /** True when this run created the stack. */
  readonly created: boolean;
  /** The postdeploy script this run ran; null when none was due. */
  readonly postdeploy: PostdeployRun | null;
  readonly deploy: DeployResult;
  readonly timings: ReviewUpTimings;
}

/** Brings `request.branch`'s review stack up and deploys `request.sha` to it. */
export async function reviewUp(
  context: ReviewContext,
  request: ReviewUpRequest,
): Promise<ReviewUpResult> {
  // Bad input first: the commit and its app.json, before any stack is made.
  const sha = await resolveCommit(request.sourceDir, request.sha);
  const postdeployCommand = await readPostdeploy(request.sourceDir, sha);
  const session = await openSession(context);
  const { clock, profile, progress } = session;
  const start = clock.now();
  const names = reviewNames({ ...request, productionApp: profile.productionApp });

  const stackUp = await session.stacks.up(names.stack, reviewStackConfig(profile, names.app), {
    message: `slipway review up ${request.branch} at ${sha.slice(0, 12)}`,
    // The project's CrossGuard pack, as CI's updates run it: review stacks have rules of their own.
    policyPacks: [path.join(context.dir, "policy")],
  });
  const stackMs = clock.now() - start;
  const app =
    typeof stackUp.outputs["appName"] === "string" ? stackUp.outputs["appName"] : names.app;
  progress({ step: "stack", message: `${names.stack} is up: app ${app}` });

  const deployed = await deploy(
    {
      stack: names.stack,
      app,
      sha,
      sourceDir: request.sourceDir,
      healthCheckPath: profile.healthCheckPath,
      pollIntervalMs: profile.deploy.pollIntervalSeconds * 1000,
      healthWindowMs: profile.deploy.healthWindowSeconds * 1000,
      healthChecks: profile.deploy.healthChecks,
    },
    {
      client: session.heroku,
      clock,
      progress,
      ci: context.env["CI"] === "true",
      fetch: context.fetch,
    },
  );
  const url = deployed.webUrl ?? stringOr(stackUp.outputs["webUrl"]);
  const base = { stack: names.stack, app, url, sha, created: stackUp.created, deploy: deployed };
  const timings = (postdeployMs: number | null): ReviewUpTimings => ({
    stackMs,
    deployMs: deployed.timings.totalMs,
    postdeployMs,
    totalMs: clock.now() - start,
  });
  if (deployed.outcome !== "deployed") {
    return {
      ...base,
      outcome: "failed",
      needsAttention: deployed.needsAttention,
      summary: deployed.summary,
      postdeploy: null,
      timings: timings(null),
    };
  }

  const postdeploy = await firstDeploy(session, names.stack, app, sha, stackUp.created, {
    command: postdeployCommand,
  });
  const ok = postdeploy === null || postdeploy.exitStatus === 0;
  return {
    ...base,
    outcome: ok ? "deployed" : "failed",
    needsAttention: !ok,
    summary: ok
      ? `${deployed.summary}${postdeploy ? ` app.json's postdeploy (\`${postdeploy.command}\`) ran once, in ${postdeploy.dyno}.` : ""} Review app: ${url ?? "(no web URL)"}`
      : postdeployFailed(app, names.stack, postdeploy, url),
    postdeploy,
    timings: timings(postdeploy?.ms ?? null),
  };
}

/**
 * After a healthy deploy: when the stack has no FIRST_DEPLOY_TAG yet, runs the postdeploy script
 * (if app.json has one) and, when it succeeds or there is none, sets the tag. A stack without
 * tags falls back to whether this run created it.
 */
async function firstDeploy(
  session: ReviewSession,
  stack: string,
  app: string,
  sha: string,
  created: boolean,
  script: { command: string | undefined },
): Promise<PostdeployRun | null> {
  const tags = await session.stacks.tags(stack);
  // Without tags (a backend that cannot keep them, or a stack slipway did not make), only the
  // run that created the stack counts as the first deploy.
  const first =
    tags === undefined || tags[CREATED_TAG] === undefined
      ? created && tags?.[FIRST_DEPLOY_TAG] === undefined
      : tags[FIRST_DEPLOY_TAG] === undefined;
  if (!first) {
    session.progress({
      step: "postdeploy",
      message: `not the first deploy of ${app} (first: ${tags?.[FIRST_DEPLOY_TAG] ?? "an earlier run"}): postdeploy does not run again`,
    });
    return null;
  }
  let ran: PostdeployRun | null = null;
  if (script.command === undefined) {
    session.progress({ step: "postdeploy", message: "app.json has no scripts.postdeploy" });
  } else {
    try {
      ran = await runPostdeploy(app, script.command, {
        client: session.heroku,
        clock: session.clock,
        progress: session.progress,
        pollIntervalMs: session.profile.deploy.pollIntervalSeconds * 1000,
      });
    } catch (error) {
      if (SlipwayError.isInstance(error)) throw error;
      throw new ReviewFailure(
        "needs-attention",
        `the deploy is live and healthy on ${app}, but slipway could not run or follow app.json's ` +
          `postdeploy (\`${script.command}\`): ${sentence((error as Error).message)} State: ${stack} is not ` +
          "marked as deployed once, so the next `slipway review up` runs postdeploy again. Fix: " +
          `check \`heroku ps -a ${app}\` and \`heroku logs -a ${app}\` for a dyno that ran it ` +
          "before you push again.",
      );
    }
    if (ran.exitStatus !== 0) return ran;
  }
  await session.stacks.setTag(stack, {
    key: FIRST_DEPLOY_TAG,
    value: sha,
    what: "its first deploy",
    consequence: "the next review up runs postdeploy again",
  });
  return ran;
}

function postdeployFailed(
  app: string,
  stack: string,
  run: PostdeployRun,
  url: string | null,
): string {
  const how =
    run.exitStatus === null
      ? "but its log did not say how it ended"
      : `and exited with status ${run.exitStatus}`;
  return (
    `the deploy is live and healthy on ${app} (${url ?? "no web URL"}), but app.json's postdeploy ` +
    `(\`${run.command}\`) ran in ${run.dyno} ${how}. State: ${stack} is not marked as deployed ` +
    `once, so the next \`slipway review up\` runs postdeploy again. Fix: read its output above ` +
    `(or \`heroku logs --dyno ${run.dyno} -a ${app}\`), make the script succeed (and safe to run ` +
    `twice), and push.`
  );
}

/** `text` ending with a full stop, so the next sentence reads apart from it. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function stringOr(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
