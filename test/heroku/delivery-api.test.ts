// The Platform API wrappers a delivery uses, the source upload and the output streams, against
// the fake: exact requests, a create never sent twice blindly, retries where repeating is safe.
import type { Socket } from "node:net";
import { HerokuClient } from "../../heroku/client";
import {
  createBuild,
  createSource,
  currentRelease,
  getApp,
  listDynos,
  recentReleases,
  rollbackTo,
} from "../../heroku/delivery";
import { streamOutput } from "../../heroku/output-stream";
import { SourceUploadError, uploadNewSource, uploadSource } from "../../heroku/upload";
import { released, SHA_A, SHA_B, sequence, TARBALL } from "./delivery-support";
import { APP, useHerokuFixture } from "./delivery-fixture";
import { FakeHeroku, Faults, Release } from "./fake";
import { closedPortUrl, FakeClock, rejectionOf, startScriptedServer } from "./support";

const fixture = useHerokuFixture();
let fake: FakeHeroku;
let clock: FakeClock;
let heroku: HerokuClient;
beforeEach(() => {
  ({ fake, clock, client: heroku } = fixture());
});

describe("the client reads its token and API URL from the environment it is given", () => {
  test("a command's env, not the process's, with no HEROKU_API_KEY in process.env", async () => {
    expect(process.env.HEROKU_API_KEY).toBeUndefined();
    expect((await getApp(heroku, APP)).name).toBe(APP);
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${fake.token}`);
  });

  test("an env without a token is the usual bad-input error", async () => {
    const bare = new HerokuClient({ env: { HEROKU_API_URL: fake.url } });
    const error = await rejectionOf(getApp(bare, APP));
    expect(error.message).toContain("HEROKU_API_KEY: no Heroku API token");
  });
});

describe("builds: sent once, adopted after an uncertain answer", () => {
  const sourceUrl = "https://github.com/acme/acme-web/tarball/abc";

  test("a plain create", async () => {
    const { build, adopted } = await createBuild(heroku, APP, {
      url: sourceUrl,
      version: SHA_A,
    });
    expect([adopted, build.source_blob.version]).toEqual([false, SHA_A]);
    expect(fake.requests.map((r) => [r.route, r.body])).toEqual([
      ["POST /apps/{app}/builds", { source_blob: { url: sourceUrl, version: SHA_A } }],
    ]);
  });

  test("the build was made but the answer was a 500: found among the newest builds by its source URL", async () => {
    fake.fault("POST /apps/{app}/builds", Faults.applyThen(Faults.serverError()));
    const { build, adopted } = await createBuild(heroku, APP, {
      url: sourceUrl,
      version: SHA_A,
    });
    expect(adopted).toBe(true);
    expect(build.source_blob.url).toBe(sourceUrl);
    expect(sequence(fake)).toEqual(["POST /apps/{app}/builds", "GET /apps/{app}/builds"]);
    expect(fake.requests[1]!.headers.range).toBe("started_at ..; max=20, order=desc");
    expect(fake.delivery.builds.size).toBe(1);
  });

  test("no build was made (a 503 before it): the create is sent again after a backoff", async () => {
    fake.fault("POST /apps/{app}/builds", Faults.unavailable());
    const { adopted } = await createBuild(heroku, APP, {
      url: sourceUrl,
      version: SHA_A,
    });
    expect(adopted).toBe(false);
    expect(sequence(fake)).toEqual([
      "POST /apps/{app}/builds",
      "GET /apps/{app}/builds",
      "POST /apps/{app}/builds",
    ]);
    expect(clock.sleeps).toEqual([250]);
  });

  test("a build of the same source with another version is not adopted", async () => {
    await createBuild(heroku, APP, { url: sourceUrl, version: SHA_B });
    fake.fault("POST /apps/{app}/builds", Faults.reset());
    const error = await rejectionOf(createBuild(heroku, APP, { url: sourceUrl, version: SHA_A }));
    expect(error.message).toContain(
      `build of ${SHA_A.slice(0, 12)} on acme-web-staging exists but does not match`,
    );
  });
});

describe("releases", () => {
  test("the newest releases come in one request; the current one is found among them", async () => {
    await released(heroku, APP, SHA_A);
    fake.clearRequests();
    expect((await recentReleases(heroku, APP, 5)).map((r) => r.version)).toEqual([2, 1]);
    expect((await currentRelease(heroku, APP))?.version).toBe(2);
    expect(fake.requests.map((r) => r.headers.range)).toEqual([
      "version ..; max=5, order=desc",
      "version ..; max=20, order=desc",
    ]);
  });

  test("rollbackTo makes `Rollback to vN`; after a lost answer it adopts the rollback made", async () => {
    const v2 = (await released(heroku, APP, SHA_A)).release;
    await released(heroku, APP, SHA_B);
    fake.clearRequests();
    fake.fault("POST /apps/{app}/releases", Faults.applyThen(Faults.reset()));
    const back = await rollbackTo(heroku, APP, { id: v2.id, version: 2 }, 3);
    expect([back.version, back.description]).toEqual([4, "Rollback to v2"]);
    expect(sequence(fake)).toEqual(["POST /apps/{app}/releases", "GET /apps/{app}/releases"]);
    expect(fake.requests[0]!.body).toEqual({ release: v2.id });
    const versions = (await heroku.list<Release>("/apps/acme-web-staging/releases")).map(
      (r) => r.version,
    );
    expect(versions).toEqual([1, 2, 3, 4]);
  });

  test("dynos are listed with the release each runs", async () => {
    await released(heroku, APP, SHA_A);
    const [dyno] = await listDynos(heroku, APP);
    expect([dyno!.name, dyno!.type, dyno!.state, dyno!.release.version]).toEqual([
      "web.1",
      "web",
      "up",
      2,
    ]);
  });
});

describe("sources and their upload", () => {
  test("a new source, the tarball PUT with an empty Content-Type and its length", async () => {
    const { getUrl, attempts } = await uploadNewSource(heroku, TARBALL);
    expect(attempts).toBe(1);
    expect(sequence(fake)).toEqual(["POST /sources", "PUT /sources/{source}"]);
    const putRequest = fake.requests[1]!;
    expect([putRequest.headers["content-type"], putRequest.headers["content-length"]]).toEqual([
      "",
      String(TARBALL.length),
    ]);
    expect(fake.delivery.sourceOfUrl(getUrl)?.bytes).toEqual(TARBALL);
  });

  test("POST /sources is retried on a 503: an extra source does no harm", async () => {
    fake.fault("POST /sources", Faults.unavailable());
    await createSource(heroku);
    expect(sequence(fake)).toEqual(["POST /sources", "POST /sources"]);
  });

  test("a 503 and a dropped connection are retried with backoff; the bytes arrive once whole", async () => {
    const source = await createSource(heroku);
    fake.fault("PUT /sources/{source}", Faults.unavailable(), Faults.reset());
    const sleeps: number[] = [];
    const { attempts } = await uploadSource(source.source_blob.put_url, TARBALL, {
      sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
      random: () => 0,
    });
    expect([attempts, sleeps]).toEqual([3, [250, 500]]);
  });

  test("a refusal (403) is final, named with S3's code", async () => {
    const source = await createSource(heroku);
    const error = await rejectionOf<SourceUploadError>(
      uploadSource(source.source_blob.get_url, TARBALL),
    );
    expect(error).toBeInstanceOf(SourceUploadError);
    expect(error.message).toBe(
      "uploading the source tarball failed: S3 answered 403 SignatureDoesNotMatch (1 attempt)",
    );
  });

  test("retries stop at the policy's attempts", async () => {
    const source = await createSource(heroku);
    fake.fault("PUT /sources/{source}", Faults.unavailable(), Faults.unavailable());
    const error = await rejectionOf(
      uploadSource(source.source_blob.put_url, TARBALL, {
        retry: { maxAttempts: 2 },
        sleep: () => Promise.resolve(),
      }),
    );
    expect(error.message).toBe("uploading the source tarball failed: S3 answered 503 (2 attempts)");
  });
});

describe("output streams", () => {
  test("lines arrive as written, split across chunks, CRLF or not", async () => {
    const server = await startScriptedServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.write("-----> Buil");
      setTimeout(() => res.end("ding\r\nline two\nlast without newline"), 10);
    });
    const lines: string[] = [];
    const result = await streamOutput(server.url, (l) => lines.push(l), 5_000);
    await server.close();
    expect(result).toEqual({ complete: true, lines: 3 });
    expect(lines).toEqual(["-----> Building", "line two", "last without newline"]);
  });

  test("no connection and a 404 are reported, not thrown", async () => {
    const nobody = await closedPortUrl();
    expect(await streamOutput(nobody, () => undefined, 1_000)).toEqual({
      complete: false,
      lines: 0,
      problem: `fetch failed (connect ECONNREFUSED ${nobody.slice("http://".length)})`,
    });
    const server = await startScriptedServer((_req, res) => res.writeHead(404).end("gone"));
    expect(await streamOutput(server.url, () => undefined, 1_000)).toEqual({
      complete: false,
      lines: 0,
      problem: "HTTP 404",
    });
    await server.close();
  });

  test("a stream cut off keeps the lines that came and says it is incomplete", async () => {
    let socket: Socket | undefined;
    const server = await startScriptedServer((req, res) => {
      socket = req.socket;
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.write("first\nhalf a li");
      setTimeout(() => socket!.destroy(), 10);
    });
    const lines: string[] = [];
    const result = await streamOutput(server.url, (l) => lines.push(l), 5_000);
    await server.close();
    expect(lines).toEqual(["first", "half a li"]);
    expect([result.complete, result.lines]).toEqual([false, 2]);
  });

  test("a stream that outlasts its bound is cut at the bound", async () => {
    const server = await startScriptedServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.write("still building\n");
    });
    const result = await streamOutput(server.url, () => undefined, 100);
    await server.close();
    expect(result).toEqual({
      complete: false,
      lines: 1,
      problem: "timed out after 0.1 s",
    });
  });
});
