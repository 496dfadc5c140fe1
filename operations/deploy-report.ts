// What a deploy's end means for the person on call: one paragraph that says what happened, what
// the app runs now, and what to do; and whether a person must act (the app may be worse than
// before, or in a state slipway could not see). docs/runbook.md ("Deploy") explains the same.
import { SlipwayError } from "../errors";
import {
  HerokuAdoptError,
  HerokuApiError,
  HerokuNetworkError,
  HerokuWaitError,
  isUncertainOutcome,
} from "../heroku/errors";
import type { ReleaseRef } from "../heroku/delivery";
import { SourceUploadError } from "../heroku/upload";
import type { HealthVerdict } from "./health";

export interface Summary {
  /**
   * True when the app may be left worse than before, or slipway could not see how it was left:
   * a person must act (exit 4). False when the deploy succeeded, or failed and nothing changed.
   */
  readonly needsAttention: boolean;
  /** What happened, the state the app is in, and what to do. */
  readonly summary: string;
}

export interface DeployFacts {
  readonly app: string;
  readonly sha: string;
  readonly buildId: string | null;
  readonly release: ReleaseRef | null;
  readonly previousRelease: ReleaseRef | null;
}

const short = (sha: string) => sha.slice(0, 12);
const runs = (facts: DeployFacts) =>
  facts.previousRelease ? `v${facts.previousRelease.version}` : "no release";

export const summarize = {
  deployed(facts: DeployFacts, verdict: HealthVerdict): Summary {
    return {
      needsAttention: false,
      summary: `${short(facts.sha)} is live on ${facts.app} as v${facts.release!.version} and healthy: ${verdict.reason}.`,
    };
  },

  buildFailed(facts: DeployFacts): Summary {
    return {
      needsAttention: false,
      summary:
        `the build of ${short(facts.sha)} failed on ${facts.app} (build ${facts.buildId}). Nothing ` +
        `changed: ${facts.app} still runs ${runs(facts)}. Fix what the build output above ` +
        `reports, push, and deploy again.`,
    };
  },

  releaseFailed(facts: DeployFacts, status: string): Summary {
    return {
      needsAttention: false,
      summary:
        `the release phase of v${facts.release!.version} ${status === "failed" ? "failed" : `ended ${status}`} ` +
        `on ${facts.app}, so Heroku did not deploy it: ${facts.app} still runs ${runs(facts)}. Read ` +
        `the release phase output above (usually a migration), fix it, and deploy again; if the ` +
        `release command changed the database before it failed, check the database first.`,
    };
  },

  noWebUrl(facts: DeployFacts): Summary {
    return {
      needsAttention: true,
      summary:
        `v${facts.release!.version} is live on ${facts.app}, but Heroku gives the app no web URL, ` +
        `so its health could not be checked. Check the app by hand.`,
    };
  },

  unhealthy(facts: DeployFacts, verdict: HealthVerdict): Summary {
    const back = facts.previousRelease
      ? `roll back with \`heroku releases:rollback v${facts.previousRelease.version} -a ${facts.app}\``
      : "scale the web dynos down";
    return {
      needsAttention: true,
      summary:
        `v${facts.release!.version} (${short(facts.sha)}) is live on ${facts.app} but failed its ` +
        `health check: ${verdict.reason}. deploy does not roll back, so ${facts.app} is left on ` +
        `the new release (it ran ${runs(facts)} before). Decide now: ${back}, or fix forward ` +
        `(docs/runbook.md, "Deploy").`,
    };
  },
};

/**
 * Whether a request's path is the app or one of its lists (`/apps/{app}/releases`): a 404 there
 * can only mean Heroku has no such app, where one on a release or build may mean that item.
 */
function namesOnlyTheApp(requestPath: string, app: string): boolean {
  const prefix = `/apps/${encodeURIComponent(app)}`;
  const [path] = requestPath.split("?");
  if (!path!.startsWith(prefix)) return false;
  const rest = path!.slice(prefix.length);
  return rest === "" || /^\/[a-z-]+$/.test(rest);
}

/**
 * The first Heroku answers of a deploy that mean bad input, not a failed deploy: the app does
 * not exist (or the token cannot see it), or the token is refused. Throws them as SlipwayErrors.
 */
export function preflightProblem(error: unknown, app: string): void {
  if (!HerokuApiError.isInstance(error)) return;
  if (error.status === 404 && namesOnlyTheApp(error.path, app)) {
    throw SlipwayError.of(
      "app",
      `Heroku has no app ${JSON.stringify(app)} that HEROKU_API_KEY can see. Allowed: an app the ` +
        `stack declared and \`pulumi up\` made. Fix: check the app name (the stack file's ` +
        `slipway:app.name, or --app) and the account of HEROKU_API_KEY.`,
    );
  }
  if (error.status === 401) {
    throw SlipwayError.of(
      "HEROKU_API_KEY",
      `Heroku refused the token (401 ${error.id}). Allowed: a valid Heroku API token. Fix: ` +
        `export HEROKU_API_KEY=$(heroku auth:token), or a long-lived one from \`heroku authorizations:create\`.`,
    );
  }
}

/**
 * A step that ended in an error: what it means for the app. `started` says whether the app may
 * have changed already (a build was, or may have been, created). Errors that are not about
 * Heroku or the upload (bad input, bugs) are thrown again.
 */
export function describeFailure(
  step: string,
  error: unknown,
  context: DeployFacts & { started: boolean; ci: boolean },
): Summary {
  if (!isDeliveryError(error)) throw error;
  if (HerokuApiError.isInstance(error) && error.status === 403 && error.id === "two_factor") {
    return { needsAttention: context.started, summary: twoFactor(context.app, context.ci) };
  }
  const reason = error.message;
  if (!context.started) {
    return {
      needsAttention: false,
      summary:
        `the ${step} step failed: ${reason}. Nothing changed: ${context.app} still runs ` +
        `${runs(context)}. Run the deploy again once the cause is gone.`,
    };
  }
  const build = context.buildId ? `build ${context.buildId}` : "the build";
  return {
    needsAttention: true,
    summary:
      `slipway lost track of the deploy at the ${step} step: ${reason}. ${context.app} may still ` +
      `change (${build} of ${short(context.sha)} may finish and release). Look at ` +
      `\`heroku builds -a ${context.app}\` and \`heroku releases -a ${context.app}\` before you ` +
      `deploy again; ${context.app} ran ${runs(context)} before.`,
  };
}

/** Whether an error may mean the request took effect (an answer lost, a server error). */
export function mayHaveHappened(error: unknown): boolean {
  return isUncertainOutcome(error) || error instanceof HerokuAdoptError;
}

/** Errors of talking to Heroku (or uploading to it): failures of a step, not bugs or bad input. */
export function isDeliveryError(error: unknown): error is Error {
  return (
    HerokuApiError.isInstance(error) ||
    HerokuNetworkError.isInstance(error) ||
    error instanceof HerokuWaitError ||
    error instanceof HerokuAdoptError ||
    error instanceof SourceUploadError
  );
}

/** What to do when Heroku asks for a second factor: in CI a token that needs none, else the CLI. */
export function twoFactor(app: string, ci: boolean): string {
  const fix = ci
    ? `In CI no one can answer it: give the workflow the HEROKU_API_KEY of an account that may ` +
      `deploy to ${app} without a second factor (a team bot user's long-lived token from ` +
      `\`heroku authorizations:create\`), or lift the app's two-factor requirement for deploys.`
    : `Run any Heroku CLI command on ${app} that asks for your code (the CLI then pre-authorizes ` +
      `the app for a few minutes), and run slipway again within that time.`;
  return (
    `Heroku asks for a second factor (two-factor authentication) before it lets this token ` +
    `change ${app}, and slipway never prompts. ${fix}`
  );
}
