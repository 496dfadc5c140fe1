// Helpers for tests of the fake's delivery routes and of the delivery operations: an app with a
// release made the way a deploy makes one (source, upload, build), without the operations.
import { gzipSync } from "node:zlib";
import type { HerokuClient } from "../../heroku/client";
import type { Build, FakeHeroku, Release, Source } from "./fake";

/** A tiny gzipped "tarball": the fake checks the gzip magic, as Heroku's fetch would fail on less. */
export const TARBALL = gzipSync(Buffer.from("a tarball"));

export const SHA_A = "a".repeat(40);
export const SHA_B = "b".repeat(40);

/** A source with `TARBALL` uploaded to it. */
export async function uploadedSource(heroku: HerokuClient): Promise<Source> {
  const source = await heroku.post<Source>("/sources");
  const put = await fetch(source.source_blob.put_url, {
    method: "PUT",
    headers: { "Content-Type": "" },
    body: TARBALL,
  });
  if (put.status !== 200) throw new Error(`upload answered ${put.status}`);
  return source;
}

/** Builds `sha` on `app` and GETs the build, then its release, until both are final. */
export async function released(
  heroku: HerokuClient,
  app: string,
  sha: string,
): Promise<{ build: Build; release: Release }> {
  const source = await uploadedSource(heroku);
  let build = await heroku.post<Build>(`/apps/${app}/builds`, {
    source_blob: { url: source.source_blob.get_url, version: sha },
  });
  while (build.status === "pending")
    build = await heroku.get<Build>(`/apps/${app}/builds/${build.id}`);
  if (build.release === null) throw new Error(`the build ${build.status}`);
  let release = await heroku.get<Release>(`/apps/${app}/releases/${build.release.id}`);
  while (release.status === "pending") {
    release = await heroku.get<Release>(`/apps/${app}/releases/${release.id}`);
  }
  return { build, release };
}

/** Each request as `METHOD route`, from `from` on (the route key, or the path when none). */
export function sequence(fake: FakeHeroku, from = 0): string[] {
  return fake.requests.slice(from).map((r) => r.route ?? `${r.method} ${r.path}`);
}

/** The text an output stream URL serves. */
export async function streamed(url: string): Promise<string[]> {
  const text = await (await fetch(url)).text();
  return text.split("\n").filter((line) => line !== "");
}
