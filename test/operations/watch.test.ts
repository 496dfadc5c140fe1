// Watching builds and releases (deploy's, and the promotions and rollbacks promote and review
// follow): the output shown whatever state the stream is in, the status polled to its end.
import { rollbackTo } from "../../heroku/delivery";
import { watchBuild, watchRelease } from "../../operations/watch";
import { released, SHA_A, SHA_B, sequence, uploadedSource } from "../heroku/delivery-support";
import type { Build } from "../heroku/fake";
import { APP, useHerokuFixture } from "../heroku/delivery-fixture";

const fixture = useHerokuFixture();
const options = { pollIntervalMs: 1_000, timeoutMs: 60_000 };

test("a rollback without a release phase is final at the first look: one GET, no wait", async () => {
  const { client, fake, clock } = fixture();
  const v2 = (await released(client, APP, SHA_A)).release;
  await released(client, APP, SHA_B);
  const back = await rollbackTo(client, APP, { id: v2.id, version: 2 }, 3);
  fake.clearRequests();
  const watched = await watchRelease(APP, back.id, options, fixture());
  expect([watched.version, watched.status, watched.current]).toEqual([4, "succeeded", true]);
  expect(sequence(fake)).toEqual(["GET /apps/{app}/releases/{release}"]);
  expect(clock.sleeps).toEqual([]);
});

test("a release by version, pending with no output stream: a wait, then polls to the end", async () => {
  const { client, fake, clock } = fixture();
  await released(client, APP, SHA_A);
  fake.delivery.script(APP, { releasePhase: { polls: 2, outcome: "failed" } });
  const source = await uploadedSource(client);
  let build = await client.post<Build>(`/apps/${APP}/builds`, {
    source_blob: { url: source.source_blob.get_url, version: SHA_B },
  });
  build = await client.get<Build>(`/apps/${APP}/builds/${build.id}`);
  build = await client.get<Build>(`/apps/${APP}/builds/${build.id}`);
  fake.delivery.releases.get(build.release!.id)!.release.output_stream_url = null;
  fake.clearRequests();
  const watched = await watchRelease(APP, 3, options, fixture());
  expect(watched.status).toBe("failed");
  expect(sequence(fake)).toEqual([
    "GET /apps/{app}/releases/{release}",
    "GET /apps/{app}/releases/{release}",
    "GET /apps/{app}/releases/{release}",
  ]);
  expect(fake.requests[0]!.path).toBe(`/apps/${APP}/releases/3`);
  expect(clock.sleeps).toEqual([1_000, 1_000]);
});

test("a build whose output stream is gone is followed by its status, saying so", async () => {
  const { client, fake, events } = fixture();
  const source = await uploadedSource(client);
  const build = await client.post<Build>(`/apps/${APP}/builds`, {
    source_blob: { url: source.source_blob.get_url, version: SHA_A },
  });
  fake.delivery.streams.delete(build.id);
  const done = await watchBuild(APP, build, options, fixture());
  expect([done.status, done.release === null]).toEqual(["succeeded", false]);
  expect(events).toEqual([
    {
      step: "build",
      message: "the output stream stopped (HTTP 404); following the status instead",
    },
  ]);
});
