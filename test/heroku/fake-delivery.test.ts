// The fake's sources (an S3 presigned URL's rules), builds, releases, rollbacks and slugs behave as
// Heroku's do, with scripted outcomes; every answer is checked against the schema.
import * as http from "node:http";
import type { Build, Release, Slug, Source } from "./fake";
import { Faults } from "./fake";
import {
  released,
  SHA_A,
  SHA_B,
  sequence,
  streamed,
  TARBALL,
  uploadedSource,
} from "./delivery-support";
import { failure, fake, heroku, useFakeHeroku } from "./fake-suite";

useFakeHeroku({});

beforeEach(async () => {
  await heroku.post("/apps", { name: "acme-web-staging" });
});

/** A PUT with exactly these headers (a Node request, so no header is added or dropped). */
function put(url: string, headers: Record<string, string>, body = TARBALL) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = http.request(url, { method: "PUT", headers }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

describe("sources: S3 presigned URLs on loopback", () => {
  let source: Source;
  beforeEach(async () => {
    source = await heroku.post<Source>("/sources");
  });

  test("POST /sources answers a put_url and a get_url of the same key, each signed for its method", () => {
    const { put_url, get_url } = source.source_blob;
    const key = (url: string) => new URL(url).pathname;
    expect(key(put_url)).toBe(key(get_url));
    expect(key(put_url)).toMatch(/^\/sources\/[0-9a-f-]{36}\.tgz$/);
    expect(put_url).not.toBe(get_url);
    expect(put_url.startsWith("http://127.0.0.1:")).toBe(true);
  });

  test("a PUT with an empty Content-Type and a Content-Length is kept and served back by get_url", async () => {
    const answer = await put(source.source_blob.put_url, {
      "Content-Type": "",
      "Content-Length": String(TARBALL.length),
    });
    expect(answer.status).toBe(200);
    const back = await fetch(source.source_blob.get_url);
    expect(Buffer.from(await back.arrayBuffer())).toEqual(TARBALL);
    expect(sequence(fake).slice(-2)).toEqual(["PUT /sources/{source}", "GET /sources/{source}"]);
    expect(fake.requests.at(-2)!.rawBody).toBe(`<${TARBALL.length} bytes>`);
  });

  test.each([
    [
      "a Content-Type the URL was not signed for",
      { "Content-Type": "application/gzip", "Content-Length": "29" },
      403,
      "SignatureDoesNotMatch",
    ],
    [
      "no Content-Length (a chunked body)",
      { "Transfer-Encoding": "chunked" },
      411,
      "MissingContentLength",
    ],
  ])("%s is refused as S3 refuses it", async (_case, headers, status, code) => {
    const answer = await put(source.source_blob.put_url, headers);
    expect(answer.status).toBe(status);
    expect(answer.text).toContain(`<Code>${code}</Code>`);
    expect((await fetch(source.source_blob.get_url)).status).toBe(404);
  });

  test("each URL works for its own method only; an unknown key is 404", async () => {
    const wrong = await put(source.source_blob.get_url, {
      "Content-Length": String(TARBALL.length),
    });
    expect(wrong.status).toBe(403);
    await uploadedSource(heroku);
    expect((await fetch(source.source_blob.put_url)).status).toBe(403);
    const unknown = source.source_blob.get_url.replace(
      /sources\/[0-9a-f-]+/,
      "sources/00000000-0000-4000-8000-000000000000",
    );
    expect((await fetch(unknown)).status).toBe(404);
  });

  test("faults apply to uploads: a 503 first, then the upload", async () => {
    fake.fault("PUT /sources/{source}", Faults.unavailable());
    const headers = { "Content-Length": String(TARBALL.length) };
    expect((await put(source.source_blob.put_url, headers)).status).toBe(503);
    expect((await put(source.source_blob.put_url, headers)).status).toBe(200);
  });
});

describe("builds", () => {
  test("a build is pending for its scripted polls, then succeeds with a slug and the release it made", async () => {
    fake.delivery.script("acme-web-staging", { build: { polls: 2, lines: ["one", "two"] } });
    const source = await uploadedSource(heroku);
    const made = await heroku.post<Build>("/apps/acme-web-staging/builds", {
      source_blob: { url: source.source_blob.get_url, version: SHA_A },
    });
    expect(made).toMatchObject({
      status: "pending",
      release: null,
      slug: null,
      stack: "heroku-24",
    });
    expect(await streamed(made.output_stream_url)).toEqual(["one", "two"]);
    const path = `/apps/acme-web-staging/builds/${made.id}`;
    expect((await heroku.get<Build>(path)).status).toBe("pending");
    expect((await heroku.get<Build>(path)).status).toBe("pending");
    const done = await heroku.get<Build>(path);
    expect(done.status).toBe("succeeded");
    const slug = await heroku.get<Slug>(`/apps/acme-web-staging/slugs/${done.slug!.id}`);
    expect(slug).toMatchObject({ commit: SHA_A, process_types: { web: "npm start" } });
    const release = await heroku.get<Release>(
      `/apps/acme-web-staging/releases/${done.release!.id}`,
    );
    expect(release).toMatchObject({
      version: 2,
      status: "succeeded",
      current: true,
      slug: { id: slug.id },
      description: `Deploy ${SHA_A.slice(0, 8)}`,
      output_stream_url: null,
    });
  });

  test("a scripted failure fails the build and makes no release", async () => {
    fake.delivery.script("acme-web-staging", { build: { outcome: "failed", polls: 0 } });
    const source = await uploadedSource(heroku);
    const made = await heroku.post<Build>("/apps/acme-web-staging/builds", {
      source_blob: { url: source.source_blob.get_url, version: SHA_A },
    });
    const done = await heroku.get<Build>(`/apps/acme-web-staging/builds/${made.id}`);
    expect(done).toMatchObject({ status: "failed", release: null, slug: null });
    const releases = await heroku.list<Release>("/apps/acme-web-staging/releases");
    expect(releases.map((r) => [r.version, r.description, r.current])).toEqual([
      [1, "Initial release", true],
    ]);
  });

  test.each([
    ["never uploaded", false, "Unable to fetch source", "404 Not Found"],
    ["not gzipped", true, "The source is not a gzipped tarball.", ""],
  ])(
    "a source %s fails its build, saying why in the output",
    async (_case, upload, first, second) => {
      const source = await heroku.post<Source>("/sources");
      if (upload)
        await fetch(source.source_blob.put_url, {
          method: "PUT",
          headers: { "Content-Type": "" },
          body: "plain",
        });
      const made = await heroku.post<Build>("/apps/acme-web-staging/builds", {
        source_blob: { url: source.source_blob.get_url, version: SHA_A },
      });
      const lines = await streamed(made.output_stream_url);
      expect(lines[1]).toContain(first);
      expect(lines[1]).toContain(second);
      await heroku.get(`/apps/acme-web-staging/builds/${made.id}`);
      expect((await heroku.get<Build>(`/apps/acme-web-staging/builds/${made.id}`)).status).toBe(
        "failed",
      );
    },
  );

  test("a build of a URL outside the fake is taken as fetched; a build without a URL is 422", async () => {
    const made = await heroku.post<Build>("/apps/acme-web-staging/builds", {
      source_blob: { url: "https://github.com/acme/acme-web/tarball/main", version: SHA_A },
    });
    expect(made.source_blob).toEqual({
      checksum: null,
      url: "https://github.com/acme/acme-web/tarball/main",
      version: SHA_A,
      version_description: null,
    });
    expect(
      (await failure(heroku.post("/apps/acme-web-staging/builds", { source_blob: {} }))).status,
    ).toBe(422);
  });

  test("builds list newest first when ranged over started_at, as Heroku's CLI asks", async () => {
    await released(heroku, "acme-web-staging", SHA_A);
    await released(heroku, "acme-web-staging", SHA_B);
    const answer = await heroku.request<Build[]>("GET", "/apps/acme-web-staging/builds", {
      headers: { Range: "started_at ..; max=1, order=desc" },
    });
    expect(answer.status).toBe(206);
    expect(answer.body.map((b) => b.source_blob.version)).toEqual([SHA_B]);
  });
});

describe("releases", () => {
  test("v1 exists on a new app; versions order as numbers, newest first with order=desc", async () => {
    const { release } = await released(heroku, "acme-web-staging", SHA_A);
    for (let i = 0; i < 9; i++) {
      await heroku.post("/apps/acme-web-staging/releases", { release: release.id });
    }
    const newest = await heroku.request<Release[]>("GET", "/apps/acme-web-staging/releases", {
      headers: { Range: "version ..; max=3, order=desc" },
    });
    expect(newest.body.map((r) => r.version)).toEqual([11, 10, 9]);
    expect(newest.headers.get("next-range")).toBe("version ]9..; max=3, order=desc");
    expect(newest.body.map((r) => r.current)).toEqual([true, false, false]);
    expect((await heroku.get<Release>("/apps/acme-web-staging/releases/v2")).id).toBe(release.id);
    expect((await heroku.get<Release>("/apps/acme-web-staging/releases/2")).id).toBe(release.id);
  });

  test("a release phase streams its output, stays pending for its polls, and a failure keeps the old release current", async () => {
    const v2 = (await released(heroku, "acme-web-staging", SHA_A)).release;
    fake.delivery.script("acme-web-staging", {
      releasePhase: { outcome: "failed", polls: 1, lines: ["migrating", "error: relation exists"] },
    });
    const source = await uploadedSource(heroku);
    let build = await heroku.post<Build>("/apps/acme-web-staging/builds", {
      source_blob: { url: source.source_blob.get_url, version: SHA_B },
    });
    build = await heroku.get<Build>(`/apps/acme-web-staging/builds/${build.id}`);
    build = await heroku.get<Build>(`/apps/acme-web-staging/builds/${build.id}`);
    const path = `/apps/acme-web-staging/releases/${build.release!.id}`;
    const pending = await heroku.get<Release>(path);
    expect(pending).toMatchObject({ version: 3, status: "pending", current: false });
    expect(await streamed(pending.output_stream_url!)).toEqual([
      "migrating",
      "error: relation exists",
    ]);
    expect((await heroku.get<Release>(path)).status).toBe("failed");
    expect((await heroku.get<Release>(`/apps/acme-web-staging/releases/${v2.id}`)).current).toBe(
      true,
    );
    const slug = await heroku.get<Slug>(`/apps/acme-web-staging/slugs/${build.slug!.id}`);
    expect(slug.process_types).toEqual({ web: "npm start", release: "npm run migrate" });
  });

  test("rollback makes a new release of the old slug, which runs the release phase too", async () => {
    const v2 = (await released(heroku, "acme-web-staging", SHA_A)).release;
    await released(heroku, "acme-web-staging", SHA_B);
    fake.delivery.script("acme-web-staging", { releasePhase: { polls: 0 } });
    const back = await heroku.post<Release>("/apps/acme-web-staging/releases", { release: v2.id });
    expect(back).toMatchObject({
      version: 4,
      description: "Rollback to v2",
      slug: v2.slug,
      status: "pending",
    });
    expect((await heroku.get<Release>(`/apps/acme-web-staging/releases/${back.id}`)).current).toBe(
      true,
    );
  });

  test("a rollback to a release without a slug is 422; to an unknown one 404; a slug release needs the slug", async () => {
    const v1 = (await heroku.list<Release>("/apps/acme-web-staging/releases"))[0]!;
    expect(
      (await failure(heroku.post("/apps/acme-web-staging/releases", { release: v1.id }))).status,
    ).toBe(422);
    const unknown = "01234567-89ab-4cde-8f01-00000000ffff";
    expect(
      (await failure(heroku.post("/apps/acme-web-staging/releases", { release: unknown }))).status,
    ).toBe(404);
    expect(
      (await failure(heroku.post("/apps/acme-web-staging/releases", { slug: unknown }))).status,
    ).toBe(404);
    expect((await failure(heroku.get(`/apps/acme-web-staging/slugs/${unknown}`))).status).toBe(404);
  });

  test("a release of an existing slug (POST with slug) is made with its description", async () => {
    const { build } = await released(heroku, "acme-web-staging", SHA_A);
    const made = await heroku.post<Release>("/apps/acme-web-staging/releases", {
      slug: build.slug!.id,
      description: "by hand",
    });
    expect(made).toMatchObject({
      version: 3,
      description: "by hand",
      status: "succeeded",
      current: true,
    });
  });
});
