// takeSnapshot's wait against an RDS client that answers from a script (no server): the states it
// waits through, what an answer may leave out (a status, a progress figure, the snapshot list),
// the bound met exactly, and the names it refuses to adopt. snapshot.test.ts runs the same code
// against the fake RDS over HTTP.
import { RdsClient, SnapshotError } from "../../operations/aws/rds";
import type { ProgressEvent } from "../../operations/progress";
import { SnapshotRequest, takeSnapshot } from "../../operations/snapshot";
import { fakeClock, rejectionOf } from "../heroku/support";
import { SNAPSHOT_ID, SNAPSHOT_REQUEST } from "./snapshot-request";

const ID = SNAPSHOT_ID;
const REQUEST = SNAPSHOT_REQUEST;
const SLIPWAY_TAGS = [
  { Key: "slipway:created-by", Value: "slipway promote" },
  { Key: "slipway:app", Value: "acme-web" },
  { Key: "slipway:release", Value: "v42" },
];

/** An SDK-shaped error: the service's code is its name. */
const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });

/** Each command sent gets the next answer: an output, or an error it rejects with. */
function take(answers: (object | Error)[], request: Partial<SnapshotRequest> = {}) {
  const clock = fakeClock();
  const events: string[] = [];
  const sent: string[] = [];
  const rds = {
    send: (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`no answer scripted for ${sent.at(-1)}`);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  } as unknown as RdsClient;
  const result = takeSnapshot(
    rds,
    { ...REQUEST, ...request },
    { clock, progress: (e: ProgressEvent) => events.push(e.message) },
  );
  return { result, events, sent, sleeps: clock.sleeps };
}

const described = (snapshot: object) => ({ DBSnapshots: [snapshot] });

test("pending and copying are waited through like creating; a missing progress figure is left out", async () => {
  const { result, events, sent } = take([
    { DBSnapshot: { Status: "creating" } },
    described({ Status: "pending" }),
    described({ Status: "copying", PercentProgress: 80 }),
    described({ Status: "available", DBSnapshotArn: "arn:snapshot" }),
  ]);
  expect(await result).toEqual({
    snapshotId: ID,
    arn: "arn:snapshot",
    adopted: false,
    polls: 3,
    elapsedMs: 30_000,
  });
  expect(events).toEqual([
    `creating ${ID} of acme-web-db`,
    `${ID}: pending`,
    `${ID}: copying (80%)`,
    `${ID}: available`,
    `${ID} available after 30 s`,
  ]);
  expect(sent).toEqual([
    "CreateDBSnapshotCommand",
    "DescribeDBSnapshotsCommand",
    "DescribeDBSnapshotsCommand",
    "DescribeDBSnapshotsCommand",
  ]);
});

test("a wait that ends exactly at the bound is still made", async () => {
  const { result, sleeps } = take(
    [
      { DBSnapshot: { Status: "creating" } },
      described({ Status: "creating" }),
      described({ Status: "creating" }),
      described({ Status: "available" }),
    ],
    { timeoutSeconds: 30, pollIntervalSeconds: 10 },
  );
  expect(await result).toMatchObject({ polls: 3, elapsedMs: 30_000 });
  expect(sleeps).toEqual([10_000, 10_000, 10_000]);
});

test("a timeout without a progress figure names none", async () => {
  const { result } = take(
    [{ DBSnapshot: { Status: "creating" } }, described({ Status: "creating" })],
    {
      timeoutSeconds: 10,
      pollIntervalSeconds: 10,
    },
  );
  const error = await rejectionOf<SnapshotError>(result);
  expect([error.reason, error.state]).toEqual(["timeout", "creating"]);
  expect(error.message).toBe(
    `Snapshot ${ID} of acme-web-db is still creating after 10 s, the bound of ` +
      "slipway:deploy.snapshotTimeoutSeconds (10 s). Nothing was promoted: production runs as before. " +
      "RDS keeps making the snapshot; run promote again once it is available, or raise the bound.",
  );
});

test("a create answer without the snapshot ends as unknown", async () => {
  const { result, sent } = take([{}]);
  const error = await rejectionOf<SnapshotError>(result);
  expect([error.reason, error.state]).toEqual(["failed", "unknown"]);
  expect(error.message).toBe(
    `Snapshot ${ID} of acme-web-db ended unknown instead of available. Nothing was promoted: ` +
      "production runs as before. Look at the RDS events of acme-web-db, then run promote again.",
  );
  expect(sent).toEqual(["CreateDBSnapshotCommand"]);
});

test("a status check that names no status is reported as unknown and ends the wait", async () => {
  const { result, events } = take([{ DBSnapshot: { Status: "creating" } }, described({})]);
  const error = await rejectionOf<SnapshotError>(result);
  expect([error.reason, error.state]).toEqual(["failed", "unknown"]);
  expect(events).toEqual([`creating ${ID} of acme-web-db`, `${ID}: unknown`]);
});

test("a status check that lists no snapshots means it is gone", async () => {
  const { result } = take([{ DBSnapshot: { Status: "creating" } }, {}]);
  const error = await rejectionOf<SnapshotError>(result);
  expect([error.reason, error.state]).toEqual(["failed", "deleted"]);
});

test("a refused status check names the action, the database and the snapshot", async () => {
  const { result } = take([
    { DBSnapshot: { Status: "creating" } },
    awsError("InvalidParameterValue", "No."),
  ]);
  const error = await rejectionOf<SnapshotError>(result);
  expect([error.reason, error.snapshotId, error.message]).toEqual([
    "aws",
    ID,
    "AWS refused rds:DescribeDBSnapshots on acme-web-db (InvalidParameterValue: No.).",
  ]);
});

describe("a name already taken", () => {
  const taken = awsError("DBSnapshotAlreadyExistsFault", `DBSnapshot ${ID} already exists.`);

  test("by a snapshot no longer found: a conflict with an unknown instance", async () => {
    const { result, sent } = take([taken, awsError("DBSnapshotNotFoundFault", "gone")]);
    const error = await rejectionOf<SnapshotError>(result);
    expect([error.reason, error.snapshotId, error.state]).toEqual(["conflict", ID, undefined]);
    expect(error.message).toBe(
      `A snapshot named ${ID} already exists and is not this promotion's (of an unknown instance). ` +
        "Nothing was promoted; run promote again in a second.",
    );
    expect(sent).toEqual(["CreateDBSnapshotCommand", "DescribeDBSnapshotsCommand"]);
  });

  test("by slipway's snapshot of another instance: a conflict naming that instance", async () => {
    const { result } = take([
      taken,
      described({
        DBSnapshotIdentifier: ID,
        DBInstanceIdentifier: "other-db",
        SnapshotType: "manual",
        Status: "available",
        TagList: SLIPWAY_TAGS,
      }),
    ]);
    const error = await rejectionOf<SnapshotError>(result);
    expect([error.reason, error.state]).toEqual(["conflict", "available"]);
    expect(error.message).toBe(
      `A snapshot named ${ID} already exists and is not this promotion's (of other-db). ` +
        "Nothing was promoted; run promote again in a second.",
    );
  });

  test("by this very snapshot: adopted and waited for", async () => {
    const { result } = take([
      taken,
      described({
        DBSnapshotIdentifier: ID,
        DBInstanceIdentifier: "acme-web-db",
        SnapshotType: "manual",
        Status: "creating",
        TagList: SLIPWAY_TAGS,
      }),
      described({ Status: "available" }),
    ]);
    expect(await result).toEqual({
      snapshotId: ID,
      arn: undefined,
      adopted: true,
      polls: 1,
      elapsedMs: 10_000,
    });
  });
});
