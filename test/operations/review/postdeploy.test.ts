// app.json's postdeploy in a one-off dyno, against the fake: the requests in order, the dyno's
// output streamed, its exit status read from the router's line, a lost log, and the time bound.
import { runPostdeploy } from "../../../operations/review/postdeploy";
import { APP, useHerokuFixture } from "../../heroku/delivery-fixture";
import { released, SHA_A, sequence } from "../../heroku/delivery-support";
import { Faults } from "../../heroku/fake";

const fixture = useHerokuFixture();

beforeEach(async () => {
  const { client, fake } = fixture();
  await released(client, APP, SHA_A);
  fake.clearRequests();
});

const run = (timeoutMs?: number) => {
  const { client, clock, progress } = fixture();
  return runPostdeploy(APP, "npm run seed", {
    client,
    clock,
    progress,
    pollIntervalMs: 2_000,
    timeoutMs,
  });
};

test("runs the command detached, waits until the dyno is gone, then reads its log", async () => {
  const { fake, events, clock } = fixture();
  fake.delivery.script(APP, {
    oneOff: { startingPolls: 1, upPolls: 2, exitStatus: 0, lines: ["seeding", "3 users"] },
  });
  expect(await run()).toEqual({
    command: "npm run seed",
    dyno: "run.1001",
    exitStatus: 0,
    ms: 6_000,
  });
  expect(sequence(fake)).toEqual([
    "POST /apps/{app}/dynos",
    "GET /apps/{app}/dynos/{dyno}",
    "GET /apps/{app}/dynos/{dyno}",
    "GET /apps/{app}/dynos/{dyno}",
    "GET /apps/{app}/dynos/{dyno}",
    "POST /apps/{app}/log-sessions",
    "GET /streams/{stream}",
  ]);
  expect(fake.requests[5]!.body).toEqual({ dyno_name: "run.1001", lines: 1500, tail: false });
  expect(clock.sleeps).toEqual([2_000, 2_000, 2_000]);
  expect(events.map((e) => [e.message, e.log === true])).toEqual([
    ["run.1001 runs `npm run seed` on acme-web-staging", false],
    ["seeding", true],
    ["3 users", true],
  ]);
});

test("a non-zero exit is the process's status", async () => {
  fixture().fake.delivery.script(APP, { oneOff: { exitStatus: 127 } });
  expect((await run()).exitStatus).toBe(127);
});

test("a log that cannot be read leaves the status unknown, and says why", async () => {
  const { fake, events } = fixture();
  fake.fault("GET /streams/{stream}", Faults.serverError(500));
  expect((await run()).exitStatus).toBeNull();
  expect(events[events.length - 1]).toEqual({
    step: "postdeploy",
    message: "the dyno's log stopped (HTTP 500)",
  });
});

test("a dyno still running past the bound is a wait error naming it", async () => {
  const { fake } = fixture();
  fake.delivery.script(APP, { oneOff: { startingPolls: 1, upPolls: 10 } });
  const error = await run(5_000).catch((e: unknown) => e);
  const dyno = [...fake.delivery.oneOffs.values()][0]!.dyno;
  expect((error as Error).message).toBe(
    `Heroku: postdeploy dyno run.1001 of ${APP} was not ready after 4 s (3 polls of GET ` +
      `/apps/${APP}/dynos/${dyno.id}). It may still finish: check it in the Heroku Dashboard, then run again.`,
  );
  expect(fake.count("POST /apps/{app}/log-sessions")).toBe(0);
});
