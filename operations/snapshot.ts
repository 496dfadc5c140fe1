// The snapshot promote takes of production's database before it promotes: created with a name
// and tags that say it is slipway's, waited for within a bound, and slipway's own older ones
// pruned to the newest N. A snapshot slipway did not make (manual, automated, another tool's) is
// never touched: retention needs both slipway's tag and slipway's name.
import type * as Rds from "@aws-sdk/client-rds";
import { awsName } from "../components/aws-common";
import { RdsClient, rdsFailure, rdsSdk, SnapshotError } from "./aws/rds";
import { Clock, realClock } from "./clock";
import { ignoreProgress, ProgressListener } from "./progress";

export const CREATED_BY_TAG = "slipway:created-by";
export const CREATED_BY = "slipway promote";
export const APP_TAG = "slipway:app";
export const RELEASE_TAG = "slipway:release";

/** RDS's longest snapshot identifier. */
export const MAX_SNAPSHOT_ID_LENGTH = 255;

/**
 * Snapshot ids start with this for `app`: `slipway-<app>-v`. The `-v` keeps `acme` from
 * claiming the snapshots of `acme-web`.
 */
export function snapshotPrefix(app: string): string {
  return `${awsName(`slipway-${app}`)}-v`;
}

/**
 * `slipway-<app>-v<release>-<UTC time>` (`slipway-acme-web-v42-20250106t090000z`): valid for RDS
 * whatever the app is called (a letter first; letters, digits and single hyphens; no hyphen at
 * the end; at most 255 characters), lowercase as RDS stores it, and sortable by time per release.
 */
export function snapshotId(app: string, release: number, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, "z")
    .replace(/[-:]/g, "")
    .toLowerCase();
  return `${snapshotPrefix(app)}${release}-${stamp}`;
}

/** Whether RDS accepts `id` as a DB snapshot identifier. */
export function isValidSnapshotId(id: string): boolean {
  return (
    id.length <= MAX_SNAPSHOT_ID_LENGTH && // at least 1: the pattern needs a letter first
    /^[A-Za-z][A-Za-z0-9-]*$/.test(id) &&
    !id.includes("--") &&
    !id.endsWith("-")
  );
}

/** A snapshot of `app`'s made by slipway: slipway's name AND slipway's tags, both. */
export function isSlipwaySnapshot(snapshot: Rds.DBSnapshot, app: string): boolean {
  const tags = new Map((snapshot.TagList ?? []).map((t) => [t.Key, t.Value]));
  return (
    snapshot.DBSnapshotIdentifier?.startsWith(snapshotPrefix(app)) === true &&
    snapshot.SnapshotType === "manual" &&
    tags.get(CREATED_BY_TAG) === CREATED_BY &&
    tags.get(APP_TAG) === app
  );
}

export interface SnapshotRequest {
  /** The RDS instance (`<app>-db`). */
  readonly databaseIdentifier: string;
  readonly region: string;
  /** The Heroku app whose database it is (named in the id and a tag). */
  readonly appName: string;
  /** Production's current release version, the one a rollback would return to. */
  readonly release: number;
  /** How long to wait for `available` (`slipway:deploy.snapshotTimeoutSeconds`). */
  readonly timeoutSeconds: number;
  /** Seconds between status checks (`slipway:deploy.pollIntervalSeconds`). */
  readonly pollIntervalSeconds: number;
}

export interface SnapshotResult {
  readonly snapshotId: string;
  readonly arn?: string;
  /** True when the snapshot already existed as slipway's (an earlier, uncertain create). */
  readonly adopted: boolean;
  /** Status checks made after the create. */
  readonly polls: number;
  readonly elapsedMs: number;
}

export interface SnapshotOptions {
  readonly clock?: Clock;
  readonly progress?: ProgressListener;
}

/**
 * Snapshots the database and waits until RDS says `available`. Throws a `SnapshotError` when
 * the snapshot fails, disappears or is not ready within the timeout (the message says its
 * state), and as `rdsFailure` maps AWS's refusals.
 */
export async function takeSnapshot(
  rds: RdsClient,
  request: SnapshotRequest,
  options: SnapshotOptions = {},
): Promise<SnapshotResult> {
  const clock = options.clock ?? realClock;
  const progress = options.progress ?? ignoreProgress;
  const sdk = rdsSdk();
  const start = clock.now();
  const id = snapshotId(request.appName, request.release, new Date(start));
  const context = { resource: request.databaseIdentifier, region: request.region, snapshotId: id };
  const tags = [
    { Key: CREATED_BY_TAG, Value: CREATED_BY },
    { Key: APP_TAG, Value: request.appName },
    { Key: RELEASE_TAG, Value: `v${request.release}` },
  ];
  progress({ step: "snapshot", message: `creating ${id} of ${request.databaseIdentifier}` });
  let snapshot: Rds.DBSnapshot | undefined;
  let adopted = false;
  try {
    const created = await rds.send(
      new sdk.CreateDBSnapshotCommand({
        DBInstanceIdentifier: request.databaseIdentifier,
        DBSnapshotIdentifier: id,
        Tags: tags,
      }),
    );
    snapshot = created.DBSnapshot;
  } catch (error) {
    // The SDK retries a create that failed with a 5xx; if the first one took, the retry finds
    // the name taken. Adopt it only if it is this very snapshot.
    if ((error as Error).name !== "DBSnapshotAlreadyExistsFault") {
      throw rdsFailure(error, { ...context, action: "rds:CreateDBSnapshot" });
    }
    snapshot = await describe(rds, id, context);
    if (
      !snapshot ||
      snapshot.DBInstanceIdentifier !== request.databaseIdentifier ||
      !isSlipwaySnapshot(snapshot, request.appName)
    ) {
      throw new SnapshotError(
        "conflict",
        `A snapshot named ${id} already exists and is not this promotion's (of ${snapshot?.DBInstanceIdentifier ?? "an unknown instance"}). Nothing was promoted; run promote again in a second.`,
        { snapshotId: id, state: snapshot?.Status },
      );
    }
    adopted = true;
  }
  const timeoutMs = request.timeoutSeconds * 1000;
  const intervalMs = request.pollIntervalSeconds * 1000;
  for (let polls = 0; ; polls++) {
    const status = snapshot?.Status ?? "unknown";
    if (status === "available") {
      const elapsedMs = clock.now() - start;
      progress({
        step: "snapshot",
        message: `${id} available after ${Math.round(elapsedMs / 1000)} s`,
      });
      return { snapshotId: id, arn: snapshot?.DBSnapshotArn, adopted, polls, elapsedMs };
    }
    if (!["creating", "pending", "copying"].includes(status)) {
      throw new SnapshotError(
        "failed",
        `Snapshot ${id} of ${request.databaseIdentifier} ended ${status} instead of available. ` +
          `Nothing was promoted: production runs as before. Look at the RDS events of ` +
          `${request.databaseIdentifier}, then run promote again.`,
        { snapshotId: id, state: status },
      );
    }
    const elapsedMs = clock.now() - start;
    if (elapsedMs + intervalMs > timeoutMs) {
      throw new SnapshotError(
        "timeout",
        `Snapshot ${id} of ${request.databaseIdentifier} is still ${status}` +
          `${snapshot?.PercentProgress === undefined ? "" : ` (${snapshot.PercentProgress}%)`} after ` +
          `${Math.round(elapsedMs / 1000)} s, the bound of slipway:deploy.snapshotTimeoutSeconds ` +
          `(${request.timeoutSeconds} s). Nothing was promoted: production runs as before. RDS ` +
          `keeps making the snapshot; run promote again once it is available, or raise the bound.`,
        { snapshotId: id, state: status },
      );
    }
    await clock.sleep(intervalMs);
    snapshot = (await describe(rds, id, context)) ?? { Status: "deleted" };
    const percent = snapshot.PercentProgress === undefined ? "" : ` (${snapshot.PercentProgress}%)`;
    progress({ step: "snapshot", message: `${id}: ${snapshot.Status ?? "unknown"}${percent}` });
  }
}

export interface PruneRequest {
  readonly databaseIdentifier: string;
  readonly region: string;
  readonly appName: string;
  /** How many of slipway's snapshots to keep, newest first (`slipway:deploy.snapshotsKept`). */
  readonly keep: number;
}

export interface PruneResult {
  /** slipway's snapshots kept, newest first. */
  readonly kept: readonly string[];
  /** slipway's snapshots deleted, newest first. */
  readonly deleted: readonly string[];
}

/**
 * Deletes slipway's snapshots of the database beyond the newest `keep`. Only snapshots with
 * slipway's name and tags count; one not `available` yet (another promotion's) is kept.
 */
export async function pruneSnapshots(
  rds: RdsClient,
  request: PruneRequest,
  options: { readonly progress?: ProgressListener } = {},
): Promise<PruneResult> {
  const progress = options.progress ?? ignoreProgress;
  const sdk = rdsSdk();
  const context = { resource: request.databaseIdentifier, region: request.region };
  const all: Rds.DBSnapshot[] = [];
  let marker: string | undefined;
  do {
    try {
      const page = await rds.send(
        new sdk.DescribeDBSnapshotsCommand({
          DBInstanceIdentifier: request.databaseIdentifier,
          SnapshotType: "manual",
          MaxRecords: 100,
          Marker: marker,
        }),
      );
      all.push(...(page.DBSnapshots ?? []));
      marker = page.Marker;
    } catch (error) {
      throw rdsFailure(error, { ...context, action: "rds:DescribeDBSnapshots" });
    }
  } while (marker);
  const ours = all
    .filter(
      (s) =>
        // Stryker disable next-line ConditionalExpression: equivalent against RDS, which lists only the instance asked for; kept as the delete's own guard
        s.DBInstanceIdentifier === request.databaseIdentifier &&
        isSlipwaySnapshot(s, request.appName),
    )
    .sort((a, b) => createdAt(b) - createdAt(a));
  const kept: string[] = [];
  const deleted: string[] = [];
  for (const [index, snapshot] of ours.entries()) {
    const id = snapshot.DBSnapshotIdentifier!;
    if (index < request.keep || snapshot.Status !== "available") {
      kept.push(id);
      continue;
    }
    try {
      await rds.send(new sdk.DeleteDBSnapshotCommand({ DBSnapshotIdentifier: id }));
    } catch (error) {
      // Gone already is what was wanted.
      if ((error as Error).name !== "DBSnapshotNotFoundFault") {
        throw rdsFailure(error, {
          ...context,
          resource: id,
          snapshotId: id,
          action: "rds:DeleteDBSnapshot",
        });
      }
    }
    deleted.push(id);
    progress({
      step: "snapshot",
      message: `deleted ${id} (slipway keeps its newest ${request.keep})`,
    });
  }
  return { kept, deleted };
}

/** When a snapshot was taken; one still being made has no time yet and counts as newest. */
function createdAt(snapshot: Rds.DBSnapshot): number {
  return snapshot.SnapshotCreateTime?.getTime() ?? Number.POSITIVE_INFINITY;
}

async function describe(
  rds: RdsClient,
  id: string,
  context: { resource: string; region: string; snapshotId: string },
): Promise<Rds.DBSnapshot | undefined> {
  try {
    const answer = await rds.send(
      new (rdsSdk().DescribeDBSnapshotsCommand)({ DBSnapshotIdentifier: id }),
    );
    return answer.DBSnapshots?.[0];
  } catch (error) {
    if ((error as Error).name === "DBSnapshotNotFoundFault") return undefined;
    throw rdsFailure(error, { ...context, action: "rds:DescribeDBSnapshots" });
  }
}
