// `slipway promote` as a function: staging's exact release to production through the pipeline,
// the seeds' checklist in order. Refuse an unhealthy or unfinished source (or an unfinished
// production), show what ships and ask, snapshot production's database, record production's
// release, promote the release that was shown (pinned by id), watch the promotion and its target
// until the release phase ended, health check, and roll back when it fails (promote-decision.ts
// says when). The result says what happened and what state production is in; nothing here prints.
import type { HerokuClient } from "../heroku/client";
import { herokuPath } from "../heroku/client";
import { HerokuRelease, ReleaseRef, releaseRef, rollbackTo } from "../heroku/delivery";
import { HerokuApiError, isUncertainOutcome } from "../heroku/errors";
import type { RdsClient } from "./aws/rds";
import { SnapshotError } from "./aws/rds";
import { Clock, realClock } from "./clock";
import { isDeliveryError, preflightProblem, twoFactor } from "./deploy-report";
import type { GithubClient } from "./github/client";
import { GithubApiError } from "./github/errors";
import { checkHealth, HealthVerdict } from "./health";
import { afterUnhealthy, RollbackMode, runbookDecision } from "./promote-decision";
import { ignoreProgress, ProgressListener } from "./progress";
import { preflight, Preflight } from "./promote-preflight";
import { pruneSnapshots, takeSnapshot } from "./snapshot";
import type { RepositoryFacts } from "./stack-facts";
import { DEFAULT_RELEASE_TIMEOUT_MS, watchRelease } from "./watch";
import { compareSides, PromotionChanges } from "./what-ships";

export interface PromoteRequest {
  readonly productionApp: string;
  readonly stagingApp: string;
  /** `--release`: staging's release to promote (id or version); its newest when absent. */
  readonly stagingRelease?: string;
  readonly repository: RepositoryFacts;
  readonly migrationPaths: readonly string[];
  readonly buildPaths: readonly string[];
  /** Production's RDS instance (`<app>-db`) and its region. */
  readonly databaseIdentifier: string;
  readonly region: string;
  readonly productionHealthPath: string;
  readonly stagingHealthPath: string;
  readonly pollIntervalMs: number;
  readonly healthWindowMs: number;
  readonly healthChecks: number;
  readonly snapshotTimeoutSeconds: number;
  readonly snapshotsKept: number;
  readonly rollback: RollbackMode;
  /** @default DEFAULT_RELEASE_TIMEOUT_MS */
  readonly releaseTimeoutMs?: number;
}

export interface PromoteDeps {
  readonly client: HerokuClient;
  /** Made when first needed (GITHUB_TOKEN is read then). */
  readonly github: () => GithubClient;
  readonly rds: () => RdsClient;
  /** Shown what ships; resolves true to go on. The command asks, or answers for `--yes`. */
  readonly confirm: (changes: PromotionChanges) => Promise<boolean>;
  readonly clock?: Clock;
  readonly progress?: ProgressListener;
  readonly fetch?: typeof fetch;
  /** Whether slipway runs in CI (shapes the two-factor advice). */
  readonly ci?: boolean;
}

export type PromoteStep =
  | "preflight"
  | "changes"
  | "confirm"
  | "snapshot"
  | "promotion"
  | "release"
  | "health"
  | "rollback";

export type PromoteOutcome = "promoted" | "refused" | "failed" | "rolled-back" | "needs-attention";

export interface PromoteResult {
  readonly outcome: PromoteOutcome;
  /** The step it stopped at; `null` when promoted. */
  readonly failedStep: PromoteStep | null;
  /** What happened, the state production is in, and what to do. */
  readonly summary: string;
  readonly productionApp: string;
  readonly stagingApp: string;
  /** Staging's release that was shown and promoted. */
  readonly sourceRelease: ReleaseRef | null;
  /** Production's release before the promotion (the rollback target). */
  readonly fromRelease: ReleaseRef | null;
  /** Production's release the promotion made. */
  readonly toRelease: ReleaseRef | null;
  readonly snapshotId: string | null;
  readonly promotionId: string | null;
  /** The release production rolled back to, when it did. */
  readonly rolledBackTo: ReleaseRef | null;
  /** The rollback's own release (`Rollback to vN`), when one was made. */
  readonly rollbackRelease: ReleaseRef | null;
  readonly changes: PromotionChanges | null;
  readonly health: {
    readonly staging: HealthVerdict | null;
    readonly production: HealthVerdict | null;
    readonly afterRollback: HealthVerdict | null;
  };
  /** Milliseconds per step reached, and in all. */
  readonly timings: Readonly<Partial<Record<PromoteStep, number>>> & { readonly totalMs: number };
}

interface Promotion {
  readonly id: string;
  readonly status: "pending" | "completed";
}
interface PromotionTarget {
  readonly app: { readonly id: string };
  readonly status: "pending" | "succeeded" | "failed";
  readonly error_message: string | null;
  readonly release: { readonly id: string } | null;
}

/** Promotes staging to production. Bad input rejects with a `SlipwayError`. */
export async function promote(request: PromoteRequest, deps: PromoteDeps): Promise<PromoteResult> {
  const clock = deps.clock ?? realClock;
  const progress = deps.progress ?? ignoreProgress;
  const { client } = deps;
  const prod = request.productionApp;
  const start = clock.now();
  const timings: Partial<Record<PromoteStep, number>> = {};
  const facts = {
    sourceRelease: null as ReleaseRef | null,
    fromRelease: null as ReleaseRef | null,
    toRelease: null as ReleaseRef | null,
    snapshotId: null as string | null,
    promotionId: null as string | null,
    rolledBackTo: null as ReleaseRef | null,
    rollbackRelease: null as ReleaseRef | null,
    changes: null as PromotionChanges | null,
  };
  const health = {
    staging: null as HealthVerdict | null,
    production: null as HealthVerdict | null,
    afterRollback: null as HealthVerdict | null,
  };
  const end = (outcome: PromoteOutcome, failedStep: PromoteStep | null, summary: string) => ({
    outcome,
    failedStep,
    summary,
    productionApp: prod,
    stagingApp: request.stagingApp,
    ...facts,
    health: { ...health },
    timings: { ...timings, totalMs: clock.now() - start },
  });
  const timed = async <T>(step: PromoteStep, work: () => Promise<T>): Promise<T> => {
    const began = clock.now();
    try {
      return await work();
    } finally {
      timings[step] = (timings[step] ?? 0) + clock.now() - began;
    }
  };
  const runs = () => (facts.fromRelease ? `v${facts.fromRelease.version}` : "its release");
  /** A Heroku failure before anything changed: refused, production as it was. */
  const unchanged = (step: PromoteStep, error: unknown) => {
    if (!isDeliveryError(error)) throw error;
    const why = twoFactorOr(error, prod, deps.ci === true);
    return end(
      "refused",
      step,
      `the ${step} step failed: ${why}. Nothing was promoted: ${prod} still runs ${runs()}. Run promote again once the cause is gone.`,
    );
  };
  /** A Heroku failure once the promotion may have started: a person must look. */
  const lostTrack = (step: PromoteStep, error: unknown) => {
    if (!isDeliveryError(error)) throw error;
    return end(
      "needs-attention",
      step,
      `slipway lost track of the promotion at the ${step} step: ${twoFactorOr(error, prod, deps.ci === true)}. ` +
        `${prod} may be changing. Look at \`heroku releases -a ${prod}\` and \`heroku ps -a ${prod}\`; it ran ` +
        `${runs()} before${facts.snapshotId ? ` and the database was snapshotted as ${facts.snapshotId}` : ""}.`,
    );
  };
  const watchDeps = { client, clock, progress };
  const healthOf = (app: string, webUrl: string, release: ReleaseRef, path: string) =>
    checkHealth(
      {
        app,
        release,
        webUrl,
        path,
        windowMs: request.healthWindowMs,
        checks: request.healthChecks,
        intervalMs: request.pollIntervalMs,
      },
      { ...watchDeps, fetch: deps.fetch },
    );

  // 1. Preflight: the apps, the pipeline, staging's candidate and production's releases.
  let checked: Preflight;
  try {
    checked = await timed("preflight", () => preflight(client, request));
  } catch (error) {
    preflightProblem(error, request.stagingApp);
    preflightProblem(error, prod);
    return unchanged("preflight", error);
  }
  facts.sourceRelease = checked.sourceRelease;
  facts.fromRelease = checked.fromRelease;
  if (checked.refusal !== null) {
    return end("refused", "preflight", `${checked.refusal}. Nothing was promoted.`);
  }
  const { staging, production, pipelineId, stagingCurrent } = checked;
  const source = checked.sourceRelease;
  const from = checked.fromRelease;
  facts.changes = { ...checked.sides, changes: null, unknown: null, mayHoldMigrations: true };
  progress({
    step: "preflight",
    message: `${request.stagingApp} v${source.version} -> ${prod} (runs v${from.version})`,
  });

  // Staging must be healthy on the release it runs.
  try {
    const refusal = await timed("preflight", async () => {
      if (staging.web_url === null || stagingCurrent === undefined) {
        return `${request.stagingApp} has no web URL or no current release to health check`;
      }
      health.staging = await healthOf(
        request.stagingApp,
        staging.web_url,
        releaseRef(stagingCurrent),
        request.stagingHealthPath,
      );
      if (!health.staging.passed) {
        return `staging is unhealthy: ${health.staging.reason}. Fix staging before promoting it`;
      }
      return null;
    });
    if (refusal !== null) return end("refused", "preflight", `${refusal}. Nothing was promoted.`);
  } catch (error) {
    return unchanged("preflight", error);
  }

  // 2. What ships, shown and confirmed.
  try {
    facts.changes = await timed("changes", () =>
      compareSides(
        deps.github,
        request,
        facts.changes!.production,
        facts.changes!.staging,
        progress,
      ),
    );
  } catch (error) {
    if (!GithubApiError.isInstance(error)) throw error;
    // GitHub being down does not stop a promotion, but what ships is then unknown, and
    // counts as carrying migrations (no automatic rollback).
    facts.changes = {
      ...facts.changes,
      unknown: `What ships cannot be determined: ${error.message}.`,
    };
    progress({ step: "changes", message: facts.changes.unknown! });
  }
  if (!(await timed("confirm", () => deps.confirm(facts.changes!)))) {
    return end(
      "refused",
      "confirm",
      `not confirmed. Nothing was promoted: ${prod} still runs ${runs()}.`,
    );
  }

  // 3. The snapshot: no promotion without it.
  try {
    await timed("snapshot", async () => {
      const snapshot = await takeSnapshot(
        deps.rds(),
        {
          databaseIdentifier: request.databaseIdentifier,
          region: request.region,
          appName: prod,
          release: from.version,
          timeoutSeconds: request.snapshotTimeoutSeconds,
          pollIntervalSeconds: request.pollIntervalMs / 1000,
        },
        { clock, progress },
      );
      facts.snapshotId = snapshot.snapshotId;
    });
  } catch (error) {
    if (!SnapshotError.isInstance(error)) throw error;
    return end(
      "refused",
      "snapshot",
      `the snapshot of ${request.databaseIdentifier} failed: ${error.message}`,
    );
  }
  await timed("snapshot", () => prune(deps.rds(), request, prod, progress));

  // 4. The promotion, pinned to the release shown, and its target followed to the end.
  let promotion: Promotion;
  try {
    promotion = await timed("promotion", async () => {
      const answer = await client.request<Promotion>("POST", "/pipeline-promotions", {
        body: {
          pipeline: { id: pipelineId },
          source: { app: { id: staging.id }, release: { id: source.id } },
          targets: [{ app: { id: production.id } }],
        },
      });
      return answer.body;
    });
  } catch (error) {
    if (isUncertainOutcome(error)) return lostTrack("promotion", error);
    return unchanged("promotion", error);
  }
  facts.promotionId = promotion.id;
  progress({
    step: "promotion",
    message: `promotion ${promotion.id} of v${source.version} (snapshot ${facts.snapshotId})`,
  });
  const targetsPath = herokuPath`/pipeline-promotions/${promotion.id}/promotion-targets`;
  const ourTarget = (targets: PromotionTarget[]) => targets.find((t) => t.app.id === production.id);
  const pollOptions = (description: string) => ({
    description,
    intervalMs: request.pollIntervalMs,
    timeoutMs: request.releaseTimeoutMs ?? DEFAULT_RELEASE_TIMEOUT_MS,
  });
  let target: PromotionTarget | undefined;
  try {
    target = await timed("promotion", async () => {
      await client.poll<Promotion>(herokuPath`/pipeline-promotions/${promotion.id}`, {
        until: (p) => p.status !== "pending",
        ...pollOptions(`promotion ${promotion.id}`),
      });
      const targets = await client.poll<PromotionTarget[]>(targetsPath, {
        until: (all) => all.every((t) => t.release !== null || t.status !== "pending"),
        ...pollOptions(`the targets of promotion ${promotion.id}`),
      });
      return ourTarget(targets);
    });
  } catch (error) {
    return lostTrack("promotion", error);
  }
  if (target === undefined || target.release === null) {
    const why = target?.error_message ?? "Heroku made no release on it";
    return end(
      "failed",
      "promotion",
      `the promotion to ${prod} failed: ${why}. Nothing changed: ${prod} still runs ${runs()}. Run promote again once the cause is gone.`,
    );
  }

  // The release phase (migrations) of production's new release, streamed and waited for; then
  // the target itself, which is what Heroku's promotion verdict is.
  let released: HerokuRelease;
  try {
    released = await timed("release", async () => {
      const release = await watchRelease(
        prod,
        target.release!.id,
        {
          pollIntervalMs: request.pollIntervalMs,
          timeoutMs: request.releaseTimeoutMs ?? DEFAULT_RELEASE_TIMEOUT_MS,
        },
        watchDeps,
      );
      facts.toRelease = releaseRef(release);
      await client.poll<PromotionTarget[]>(targetsPath, {
        until: (all) => all.every((t) => t.status !== "pending"),
        ...pollOptions(`the targets of promotion ${promotion.id}`),
      });
      return release;
    });
  } catch (error) {
    return lostTrack("release", error);
  }
  if (released.status !== "succeeded") {
    return end(
      "failed",
      "release",
      `the release phase of v${released.version} ${released.status === "failed" ? "failed" : `ended ${released.status}`} on ${prod}, so Heroku did not deploy it: ${prod} still runs ${runs()}. Read the release phase output above (usually a migration) and fix it on staging first; if the release command changed the database before it failed, check the database (snapshot ${facts.snapshotId}).`,
    );
  }
  progress({ step: "release", message: `v${released.version} released on ${prod}` });

  // 5. Health: the promoted release serving, then N consecutive 200s.
  if (production.web_url === null) {
    return end(
      "needs-attention",
      "health",
      `v${released.version} is live on ${prod}, but Heroku gives the app no web URL, so its health could not be checked. Check the app by hand.`,
    );
  }
  try {
    health.production = await timed("health", () =>
      healthOf(prod, production.web_url!, facts.toRelease!, request.productionHealthPath),
    );
  } catch (error) {
    return lostTrack("health", error);
  }
  if (health.production.passed) {
    return end(
      "promoted",
      null,
      `v${source.version} of ${request.stagingApp} is live on ${prod} as v${released.version} and healthy: ${health.production.reason}.`,
    );
  }

  // 6. Unhealthy: roll back to the recorded release, or stop for a person.
  const unhealthy = `v${released.version} is live on ${prod} but failed its health check: ${health.production.reason}`;
  const decision = afterUnhealthy(request.rollback, facts.changes.mayHoldMigrations);
  const decide = runbookDecision({
    app: prod,
    fromVersion: from.version,
    snapshotId: facts.snapshotId,
    databaseIdentifier: request.databaseIdentifier,
  });
  if (decision.action === "stop") {
    return end(
      "needs-attention",
      "health",
      `${unhealthy}. Not rolled back: ${decision.reason}. ${prod} is left on v${released.version} (it ran ${runs()}); the database was snapshotted as ${facts.snapshotId}. ${decide}`,
    );
  }
  progress({ step: "rollback", message: `rolling ${prod} back to ${runs()}` });
  let verdict: HealthVerdict;
  try {
    const rolled = await timed("rollback", async () => {
      const made = await rollbackTo(client, prod, from, released.version);
      facts.rollbackRelease = releaseRef(made);
      return watchRelease(
        prod,
        made.id,
        {
          pollIntervalMs: request.pollIntervalMs,
          timeoutMs: request.releaseTimeoutMs ?? DEFAULT_RELEASE_TIMEOUT_MS,
        },
        watchDeps,
      );
    });
    if (rolled.status !== "succeeded") {
      return end(
        "needs-attention",
        "rollback",
        `${unhealthy}. The rollback to ${runs()} (v${rolled.version}) ${rolled.status === "failed" ? "failed in its release phase" : `ended ${rolled.status}`}, so ${prod} is still on v${released.version}. ${decide}`,
      );
    }
    facts.rolledBackTo = facts.fromRelease;
    verdict = await timed("rollback", () =>
      healthOf(prod, production.web_url!, releaseRef(rolled), request.productionHealthPath),
    );
    health.afterRollback = verdict;
  } catch (error) {
    if (!isDeliveryError(error)) throw error;
    return end(
      "needs-attention",
      "rollback",
      `${unhealthy}. The rollback to ${runs()} did not go through: ${error.message}. ${decide}`,
    );
  }
  if (!verdict.passed) {
    return end(
      "needs-attention",
      "rollback",
      `${unhealthy}. It was rolled back to ${runs()} (v${facts.rollbackRelease!.version}), which is unhealthy too: ${verdict.reason}. ${decide}`,
    );
  }
  return end(
    "rolled-back",
    "health",
    `${unhealthy}. Rolled back to ${runs()} (as v${facts.rollbackRelease!.version}), which is healthy: ${verdict.reason}. Fix the change on staging and promote again (snapshot ${facts.snapshotId} was not needed).`,
  );
}

/** slipway's older snapshots pruned; a failure here is reported and does not stop the promotion. */
async function prune(
  rds: RdsClient,
  request: PromoteRequest,
  app: string,
  progress: ProgressListener,
): Promise<void> {
  try {
    await pruneSnapshots(
      rds,
      {
        databaseIdentifier: request.databaseIdentifier,
        region: request.region,
        appName: app,
        keep: request.snapshotsKept,
      },
      { progress },
    );
  } catch (error) {
    if (!SnapshotError.isInstance(error)) throw error;
    progress({
      step: "snapshot",
      message: `older snapshots were not pruned (the promotion goes on): ${error.message}`,
    });
  }
}

function twoFactorOr(error: Error, app: string, ci: boolean): string {
  if (HerokuApiError.isInstance(error) && error.status === 403 && error.id === "two_factor") {
    return twoFactor(app, ci);
  }
  return error.message;
}
