// Which commit each side of a promotion runs, as Heroku knows it: production's current release
// and staging's latest (or the one asked for), each release's slug, and the commit the slug was
// built from. A release with no slug (a container image, an app's first release) or a slug with
// no commit is reported as such, never guessed.
import { HerokuClient, herokuPath } from "../heroku/client";
import {
  currentRelease,
  getRelease,
  HerokuRelease,
  recentReleases,
  ReleaseRef,
} from "../heroku/delivery";

/** One side of a promotion: the app, the release, and the commit it runs (when known). */
export interface ReleaseCommit {
  readonly app: string;
  readonly release: ReleaseRef | null;
  /** The release's status (`succeeded`, `pending`, `failed`, `expired`). */
  readonly status: HerokuRelease["status"] | null;
  /** The full SHA the release's slug was built from; `null` when it cannot be known. */
  readonly commit: string | null;
  /** Why `commit` is null, in one sentence. */
  readonly problem: string | null;
}

interface HerokuSlug {
  readonly id: string;
  readonly commit: string | null;
}

/** The release production runs now, and its commit. */
export async function productionSide(client: HerokuClient, app: string): Promise<ReleaseCommit> {
  const release = await currentRelease(client, app);
  if (release === undefined) {
    return {
      app,
      release: null,
      status: null,
      commit: null,
      problem: `${app} runs no release among its newest 20`,
    };
  }
  return sideOf(client, app, release);
}

/**
 * Staging's candidate: the release asked for (id or version), else its newest release, whatever
 * its status (promote refuses one that has not succeeded).
 */
export async function stagingSide(
  client: HerokuClient,
  app: string,
  release?: string,
): Promise<ReleaseCommit> {
  const found =
    release === undefined
      ? (await recentReleases(client, app, 1))[0]
      : await getRelease(client, app, release);
  if (found === undefined) {
    return { app, release: null, status: null, commit: null, problem: `${app} has no release` };
  }
  return sideOf(client, app, found);
}

/** A release and the commit its slug was built from (one GET of the slug when it has one). */
export async function sideOf(
  client: HerokuClient,
  app: string,
  release: HerokuRelease,
): Promise<ReleaseCommit> {
  const base = {
    app,
    release: { id: release.id, version: release.version },
    status: release.status,
  };
  if (release.slug === null) {
    return {
      ...base,
      commit: null,
      problem: `v${release.version} of ${app} has no slug (a container image, or the app's first release), so its commit is unknown`,
    };
  }
  const slug = await client.get<HerokuSlug>(herokuPath`/apps/${app}/slugs/${release.slug.id}`);
  if (slug.commit === null || !/^[0-9a-f]{40}$/i.test(slug.commit)) {
    return {
      ...base,
      commit: null,
      problem: `the slug of v${release.version} of ${app} names no commit${slug.commit === null ? "" : ` (it says ${JSON.stringify(slug.commit)})`}`,
    };
  }
  return { ...base, commit: slug.commit.toLowerCase(), problem: null };
}
