// The Platform API calls a delivery makes, typed: sources, builds, releases (and rollback), dynos
// and the app's web URL. Thin wrappers over the client; the one judgement here is how each create
// avoids running twice (see createBuild and rollbackTo).
import { HerokuClient, herokuPath } from "./client";

/** The fields of an app deploy and health checks read. */
export interface HerokuAppInfo {
  readonly id: string;
  readonly name: string;
  /** `https://<name>-<random>.herokuapp.com/`: read it, never build it from the name. */
  readonly web_url: string | null;
}

export interface HerokuSource {
  readonly source_blob: { readonly get_url: string; readonly put_url: string };
}

export interface HerokuBuild {
  readonly id: string;
  readonly status: "pending" | "succeeded" | "failed";
  readonly output_stream_url: string;
  readonly source_blob: { readonly url: string; readonly version: string | null };
  /** Set once the build succeeded and made its release. */
  readonly release: { readonly id: string } | null;
  readonly slug: { readonly id: string } | null;
  readonly created_at: string;
}

export interface HerokuRelease {
  readonly id: string;
  readonly version: number;
  readonly status: "pending" | "succeeded" | "failed" | "expired";
  /** Whether the app runs this release now. */
  readonly current: boolean;
  /** The release phase's output while it runs; `null` when the app has no release phase. */
  readonly output_stream_url: string | null;
  readonly slug: { readonly id: string } | null;
  readonly description: string;
  readonly created_at: string;
}

export interface HerokuDyno {
  readonly id: string;
  /** `web.1`, `worker.2`, `run.1234`. */
  readonly name: string;
  readonly type: string;
  /** `starting`, `up`, `crashed`, `down`, `idle`. */
  readonly state: string;
  readonly release: { readonly id: string; readonly version: number };
}

/** A release as slipway reports it: `{ id, version }`. */
export interface ReleaseRef {
  readonly id: string;
  readonly version: number;
}

export function releaseRef(release: { id: string; version: number }): ReleaseRef {
  return { id: release.id, version: release.version };
}

export function getApp(client: HerokuClient, app: string): Promise<HerokuAppInfo> {
  return client.get<HerokuAppInfo>(herokuPath`/apps/${app}`);
}

/**
 * `POST /sources`: a place to upload one tarball. Retried like a GET: an extra source is only a
 * pair of unused URLs that expire, so a repeat cannot do harm.
 */
export async function createSource(client: HerokuClient): Promise<HerokuSource> {
  const answer = await client.request<HerokuSource>("POST", "/sources", { retry: "idempotent" });
  return answer.body;
}

/**
 * `POST /apps/{app}/builds` of the uploaded source, sent once. After an uncertain answer the
 * app's newest builds are searched for one of this very source URL (each `get_url` is unique):
 * adopted when its version is the SHA asked for, an error when it is not.
 */
export async function createBuild(
  client: HerokuClient,
  app: string,
  source: { url: string; version: string },
): Promise<{ build: HerokuBuild; adopted: boolean }> {
  const { resource, adopted } = await client.createOrAdopt<HerokuBuild>({
    path: herokuPath`/apps/${app}/builds`,
    body: { source_blob: source },
    lookup: async () =>
      (
        await newestFirst<HerokuBuild>(client, herokuPath`/apps/${app}/builds`, "started_at", 20)
      ).find((b) => b.source_blob.url === source.url),
    matches: (found) => found.source_blob.version === source.version,
    description: `build of ${source.version.slice(0, 12)} on ${app}`,
  });
  return { build: resource, adopted };
}

/** A release by id or version number. */
export function getRelease(
  client: HerokuClient,
  app: string,
  idOrVersion: string | number,
): Promise<HerokuRelease> {
  return client.get<HerokuRelease>(herokuPath`/apps/${app}/releases/${idOrVersion}`);
}

/** The app's newest releases, newest first (one request). */
export function recentReleases(
  client: HerokuClient,
  app: string,
  count = 20,
): Promise<HerokuRelease[]> {
  return newestFirst<HerokuRelease>(client, herokuPath`/apps/${app}/releases`, "version", count);
}

/** The release the app runs now, among its newest `count`; `undefined` if none of them is. */
export async function currentRelease(
  client: HerokuClient,
  app: string,
  count = 20,
): Promise<HerokuRelease | undefined> {
  return (await recentReleases(client, app, count)).find((r) => r.current);
}

/**
 * Rolls the app back to `target` (`POST /apps/{app}/releases {release}`): a new release of the
 * target's slug and config, which runs the release phase like any other. Sent once; after an
 * uncertain answer the newest releases are searched for a `Rollback to v<N>` newer than
 * `latestVersion` (the newest version before the request) and that one is adopted.
 */
export async function rollbackTo(
  client: HerokuClient,
  app: string,
  target: ReleaseRef,
  latestVersion: number,
): Promise<HerokuRelease> {
  const description = `Rollback to v${target.version}`;
  const { resource } = await client.createOrAdopt<HerokuRelease>({
    path: herokuPath`/apps/${app}/releases`,
    body: { release: target.id },
    lookup: async () =>
      (await recentReleases(client, app, 5)).find((r) => r.version > latestVersion),
    matches: (found) => found.description === description,
    description: `rollback of ${app} to v${target.version}`,
  });
  return resource;
}

export function listDynos(client: HerokuClient, app: string): Promise<HerokuDyno[]> {
  return client.list<HerokuDyno>(herokuPath`/apps/${app}/dynos`);
}

/**
 * `POST /apps/{app}/dynos`: a detached one-off dyno running `command` on the current release.
 * Sent once and never retried: a second dyno would run the command twice.
 */
export async function runOneOffDyno(
  client: HerokuClient,
  app: string,
  command: string,
): Promise<HerokuDyno> {
  const answer = await client.request<HerokuDyno>("POST", herokuPath`/apps/${app}/dynos`, {
    body: { command, attach: false, type: "run" },
  });
  return answer.body;
}

/** A dyno by id; `undefined` once it is gone (a one-off dyno whose process ended). */
export function getDyno(
  client: HerokuClient,
  app: string,
  dyno: string,
): Promise<HerokuDyno | undefined> {
  return client.getOrUndefined<HerokuDyno>(herokuPath`/apps/${app}/dynos/${dyno}`);
}

/**
 * `POST /apps/{app}/log-sessions` of one dyno's recent lines (its output and the router's
 * `Process exited with status N`); the answer's `logplex_url` streams them. Repeating it only
 * makes another session, so it is retried like a GET.
 */
export async function dynoLogSession(
  client: HerokuClient,
  app: string,
  dynoName: string,
): Promise<{ logplex_url: string }> {
  const answer = await client.request<{ logplex_url: string }>(
    "POST",
    herokuPath`/apps/${app}/log-sessions`,
    { body: { dyno_name: dynoName, lines: 1500, tail: false }, retry: "idempotent" },
  );
  return answer.body;
}

/** One page of a list, ordered by `field`, newest (largest) first. */
async function newestFirst<T>(
  client: HerokuClient,
  path: string,
  field: string,
  count: number,
): Promise<T[]> {
  const answer = await client.request<T[]>("GET", path, {
    headers: { Range: `${field} ..; max=${count}, order=desc` },
  });
  return answer.body;
}
