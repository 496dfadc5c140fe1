import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// The SDK's own retry strategy with a fixed 1 ms wait (from the SDK's dependency @smithy/core).
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { SlipwayError } from "../../errors";
import { createRdsClient, RdsClient, SnapshotError } from "../../operations/aws/rds";
import type { ProgressEvent } from "../../operations/progress";
import {
  isSlipwaySnapshot,
  isValidSnapshotId,
  pruneSnapshots,
  SnapshotRequest,
  snapshotId,
  takeSnapshot,
} from "../../operations/snapshot";
import { fakeClock, FakeClock, rejectionOf } from "../heroku/support";
import {
  FAKE_ACCESS_KEY_ID,
  FAKE_SECRET_ACCESS_KEY,
  FakeRds,
  RdsFaults,
  startFakeRds,
} from "./rds-fake";
import { SNAPSHOT_ID, SNAPSHOT_REQUEST } from "./snapshot-request";

let fake: FakeRds;
let rds: RdsClient;
let clock: FakeClock;
let events: ProgressEvent[];

/** The command's environment: the fake's endpoint and static credentials, as a CI job would set them. */
const envFor = (url: string) => ({
  AWS_ENDPOINT_URL_RDS: url,
  AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: FAKE_SECRET_ACCESS_KEY,
});
/** The SDK's own retries, one millisecond apart. */
const quickRetries = () => new ConfiguredRetryStrategy(3, () => 1);

beforeAll(async () => {
  fake = await startFakeRds();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  rds = createRdsClient("eu-west-1", envFor(fake.url), { retryStrategy: quickRetries() });
  clock = fakeClock();
  events = [];
});

const START = new Date(1_700_000_000_000); // fakeClock's start: 2023-11-14T22:13:20Z
const ID = SNAPSHOT_ID;
const REQUEST = SNAPSHOT_REQUEST;
const TAGS = [
  "Tags.Tag.1.Key=slipway:created-by",
  "Tags.Tag.1.Value=slipway promote",
  "Tags.Tag.2.Key=slipway:app",
  "Tags.Tag.2.Value=acme-web",
  "Tags.Tag.3.Key=slipway:release",
  "Tags.Tag.3.Value=v42",
].join(" ");
const CREATE = `CreateDBSnapshot DBSnapshotIdentifier=${ID} DBInstanceIdentifier=acme-web-db ${TAGS}`;
const DESCRIBE = `DescribeDBSnapshots DBSnapshotIdentifier=${ID}`;

const take = (request: Partial<SnapshotRequest> = {}) =>
  takeSnapshot(rds, { ...REQUEST, ...request }, { clock, progress: (e) => events.push(e) });

describe("snapshotId", () => {
  test.each([
    ["acme-web", 42, "slipway-acme-web-v42-20231114t221320z"],
    ["a", 1, "slipway-a-v1-20231114t221320z"],
    ["acme--web-", 7, "slipway-acme-web-v7-20231114t221320z"],
    ["Acme_Web.2", 1000, "slipway-acme-web-2-v1000-20231114t221320z"],
    ["2fast", 3, "slipway-2fast-v3-20231114t221320z"],
    ["x".repeat(30), 99999, `slipway-${"x".repeat(30)}-v99999-20231114t221320z`],
  ])("%s v%i -> %s, a valid RDS identifier", (app, release, expected) => {
    const id = snapshotId(app, release, START);
    expect(id).toBe(expected);
    expect(isValidSnapshotId(id)).toBe(true);
  });

  test.each([
    ["", false],
    ["1abc", false],
    ["a--b", false],
    ["a-", false],
    ["a_b", false],
    ["a".repeat(256), false],
    ["a".repeat(255), true],
    ["a", true],
    ["A-b-1", true],
  ])("isValidSnapshotId(%j) is %s", (id, valid) => {
    expect(isValidSnapshotId(id)).toBe(valid);
  });
});

describe("takeSnapshot", () => {
  test("creates a tagged snapshot and polls until it is available", async () => {
    fake.scriptCreates({ polls: 2, ends: "available" });
    const result = await take();
    expect(result).toEqual({
      snapshotId: ID,
      arn: `arn:aws:rds:eu-west-1:123456789012:snapshot:${ID}`,
      adopted: false,
      polls: 3,
      elapsedMs: 30_000,
    });
    expect(fake.log()).toEqual([CREATE, DESCRIBE, DESCRIBE, DESCRIBE]);
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000]);
    expect(fake.requests.map((r) => [r.accessKeyId, r.region])).toEqual(
      Array.from({ length: 4 }, () => [FAKE_ACCESS_KEY_ID, "eu-west-1"]),
    );
    expect(events).toEqual([
      { step: "snapshot", message: `creating ${ID} of acme-web-db` },
      { step: "snapshot", message: `${ID}: creating (25%)` },
      { step: "snapshot", message: `${ID}: creating (50%)` },
      { step: "snapshot", message: `${ID}: available (100%)` },
      { step: "snapshot", message: `${ID} available after 30 s` },
    ]);
  });

  test("a snapshot that fails stops with its state, and nothing else is asked", async () => {
    fake.scriptCreates({ polls: 1, ends: "failed" });
    const error = await rejectionOf<SnapshotError>(take());
    expect(error).toBeInstanceOf(SnapshotError);
    expect([error.reason, error.snapshotId, error.state]).toEqual(["failed", ID, "failed"]);
    expect(error.message).toBe(
      `Snapshot ${ID} of acme-web-db ended failed instead of available. Nothing was promoted: ` +
        "production runs as before. Look at the RDS events of acme-web-db, then run promote again.",
    );
    expect(fake.log()).toEqual([CREATE, DESCRIBE, DESCRIBE]);
  });

  test("a snapshot that vanishes while being made is a failure too", async () => {
    fake.scriptCreates({ polls: 5, ends: "available" });
    fake.fault("DescribeDBSnapshots", { status: 404, code: "DBSnapshotNotFound", message: "gone" });
    const error = await rejectionOf<SnapshotError>(take());
    expect([error.reason, error.state]).toEqual(["failed", "deleted"]);
    expect(fake.log()).toEqual([CREATE, DESCRIBE]);
  });

  test("a refused status check stops the wait, naming its action", async () => {
    fake.scriptCreates({ polls: 5, ends: "available" });
    fake.fault("DescribeDBSnapshots", RdsFaults.accessDenied("rds:DescribeDBSnapshots", ID));
    const error = await rejectionOf(take());
    expect(SnapshotError.isInstance(error)).toBe(true);
    expect(
      error.message.startsWith(
        `AWS refused rds:DescribeDBSnapshots on acme-web-db (AccessDenied: `,
      ),
    ).toBe(true);
    expect(fake.log()).toEqual([CREATE, DESCRIBE]);
  });

  test("a snapshot not ready within the bound times out, saying its state and progress", async () => {
    fake.scriptCreates({ polls: 100, ends: "available" });
    const error = await rejectionOf<SnapshotError>(
      take({ timeoutSeconds: 60, pollIntervalSeconds: 25 }),
    );
    expect([error.reason, error.state]).toEqual(["timeout", "creating"]);
    expect(error.message).toBe(
      `Snapshot ${ID} of acme-web-db is still creating (50%) after 50 s, the bound of ` +
        "slipway:deploy.snapshotTimeoutSeconds (60 s). Nothing was promoted: production runs as before. " +
        "RDS keeps making the snapshot; run promote again once it is available, or raise the bound.",
    );
    expect(fake.log()).toEqual([CREATE, DESCRIBE, DESCRIBE]);
    expect(clock.sleeps).toEqual([25_000, 25_000]);
  });

  test("throttling is retried by the SDK", async () => {
    fake.fault("CreateDBSnapshot", RdsFaults.throttling());
    fake.fault("DescribeDBSnapshots", RdsFaults.throttling(), RdsFaults.serverError());
    expect((await take()).snapshotId).toBe(ID);
    expect(fake.log()).toEqual([CREATE, CREATE, DESCRIBE, DESCRIBE, DESCRIBE]);
  });

  test("a create that took but whose answer was lost is adopted, not made twice", async () => {
    fake.fault("CreateDBSnapshot", RdsFaults.serverError(true));
    const result = await take();
    expect(result.adopted).toBe(true);
    expect(fake.log()).toEqual([CREATE, CREATE, DESCRIBE]);
    expect([...fake.snapshots.keys()]).toEqual([ID]);
  });

  test("a snapshot of that name that is not slipway's is never adopted", async () => {
    fake.addSnapshot({ id: ID, instance: "acme-web-db", type: "manual", tags: [] });
    const error = await rejectionOf<SnapshotError>(take());
    expect([error.reason, error.state]).toEqual(["conflict", "available"]);
    expect(error.message).toBe(
      `A snapshot named ${ID} already exists and is not this promotion's (of acme-web-db). Nothing was promoted; run promote again in a second.`,
    );
    expect(fake.log()).toEqual([CREATE, DESCRIBE]);
  });

  test("an unknown instance is bad input naming the identifier and region", async () => {
    const error = await rejectionOf<SlipwayError>(take({ databaseIdentifier: "acme-db" }));
    expect(error).toBeInstanceOf(SlipwayError);
    expect(error.message).toBe(
      'database: RDS has no instance "acme-db" in eu-west-1 (DBInstanceNotFoundFault: DBInstance acme-db not found. ' +
        "[request id fake-0000]). Allowed: the production database's identifier (`<app>-db`, from the stack file) " +
        "in the stack's aws:region. Fix: check slipway:app.name and aws:region in the production stack's file, or " +
        "the identifier and region you passed.",
    );
  });

  test.each([
    [
      "access denied: the action, the principal AWS names, and the permissions the role needs",
      RdsFaults.accessDenied(
        "rds:CreateDBSnapshot",
        "arn:aws:rds:eu-west-1:123456789012:db:acme-web-db",
      ),
      "access-denied",
      "AWS refused rds:CreateDBSnapshot on acme-web-db (AccessDenied: User: arn:aws:sts::123456789012:assumed-role/" +
        "acme-web-deploy/GitHubActions is not authorized to perform: rds:CreateDBSnapshot on resource: " +
        "arn:aws:rds:eu-west-1:123456789012:db:acme-web-db because no identity-based policy allows the " +
        "rds:CreateDBSnapshot action [request id fake-0000]). The role promote runs as (the deploy role of slipway's " +
        "production stack, AWS_ROLE_ARN in the deploy workflow) needs rds:CreateDBSnapshot, rds:AddTagsToResource, " +
        "rds:DescribeDBSnapshots, rds:DeleteDBSnapshot on the database and slipway's snapshots.",
    ],
    [
      "quota exceeded",
      RdsFaults.quotaExceeded(),
      "quota",
      "The account's quota of manual RDS snapshots in eu-west-1 is reached (SnapshotQuotaExceededFault: Cannot " +
        "create more than 100 manual snapshots [request id fake-0000]). Delete manual snapshots nobody needs, or ask " +
        "AWS for a higher quota; slipway keeps only slipway:deploy.snapshotsKept of its own.",
    ],
    [
      "an instance that is busy",
      RdsFaults.instanceState(),
      "instance-state",
      "RDS cannot snapshot acme-web-db now (InvalidDBInstanceStateFault: Cannot create a snapshot because the " +
        "database instance acme-web-db is not currently in the available state. [request id fake-0000]): the " +
        "instance must be available. Wait for its maintenance, backup or modification to end, then run promote again.",
    ],
    [
      "any other refusal",
      { status: 400, code: "InvalidParameterCombination", message: "No." },
      "aws",
      "AWS refused rds:CreateDBSnapshot on acme-web-db (InvalidParameterCombination: No. [request id fake-0000]).",
    ],
  ])("%s", async (_what, fault, reason, message) => {
    fake.fault("CreateDBSnapshot", fault);
    const error = await rejectionOf<SnapshotError>(take());
    expect(error).toBeInstanceOf(SnapshotError);
    expect([error.reason, error.snapshotId, error.message]).toEqual([reason, ID, message]);
    expect(fake.log()).toEqual([CREATE]);
  });

  test("credentials AWS does not accept are bad input", async () => {
    fake.fault("CreateDBSnapshot", RdsFaults.invalidToken());
    const error = await rejectionOf<SlipwayError>(take());
    expect(error).toBeInstanceOf(SlipwayError);
    expect(error.message).toBe(
      "AWS credentials: AWS did not accept the credentials for rds:CreateDBSnapshot (InvalidClientTokenId: The " +
        "security token included in the request is invalid. [request id fake-0000]). Allowed: credentials the AWS " +
        "SDK's standard chain finds (in GitHub Actions, the deploy role assumed with aws-actions/configure-aws-credentials; " +
        "locally AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). Fix: provide them, and run again.",
    );
  });
});

describe("pruneSnapshots", () => {
  const slipwayTags = (app = "acme-web", release = "v1") => [
    { Key: "slipway:created-by", Value: "slipway promote" },
    { Key: "slipway:app", Value: app },
    { Key: "slipway:release", Value: release },
  ];
  const at = (day: number) => new Date(Date.UTC(2025, 0, day));
  const ours = (day: number) => ({
    id: `slipway-acme-web-v${day}-202501${String(day).padStart(2, "0")}t000000z`,
    instance: "acme-web-db",
    type: "manual" as const,
    createdAt: at(day),
    tags: slipwayTags("acme-web", `v${day}`),
  });

  test("deletes slipway's own snapshots past the newest N and nothing else", async () => {
    for (const day of [1, 2, 3, 4]) fake.addSnapshot(ours(day));
    const others = [
      // slipway's name without slipway's tags: made by hand, kept
      {
        id: "slipway-acme-web-v0-20241201t000000z",
        instance: "acme-web-db",
        type: "manual" as const,
        createdAt: at(0),
        tags: [],
      },
      // slipway's tags, another app's name
      {
        id: "slipway-acme-web-2-v1-20241201t000000z",
        instance: "acme-web-db",
        type: "manual" as const,
        createdAt: at(0),
        tags: slipwayTags("acme-web-2"),
      },
      // a person's snapshot and an automated one
      {
        id: "before-upgrade",
        instance: "acme-web-db",
        type: "manual" as const,
        createdAt: at(0),
        tags: [],
      },
      {
        id: "rds:acme-web-db-2025-01-01-00-00",
        instance: "acme-web-db",
        type: "automated" as const,
        createdAt: at(0),
        tags: slipwayTags(),
      },
      // slipway's, of another instance
      { ...ours(1), id: "slipway-acme-web-v1-20250101t000001z", instance: "other-db" },
    ];
    for (const snapshot of others) fake.addSnapshot(snapshot);
    // slipway's, still being made (stuck, or another promotion's): kept whatever its age
    fake.addSnapshot({ ...ours(0), status: "creating" });

    const result = await pruneSnapshots(
      rds,
      { databaseIdentifier: "acme-web-db", region: "eu-west-1", appName: "acme-web", keep: 2 },
      {
        progress: (e) => events.push(e),
      },
    );
    expect(result).toEqual({
      kept: [ours(4).id, ours(3).id, ours(0).id],
      deleted: [ours(2).id, ours(1).id],
    });
    expect(fake.log()).toEqual([
      "DescribeDBSnapshots DBInstanceIdentifier=acme-web-db SnapshotType=manual MaxRecords=100",
      `DeleteDBSnapshot DBSnapshotIdentifier=${ours(2).id}`,
      `DeleteDBSnapshot DBSnapshotIdentifier=${ours(1).id}`,
    ]);
    expect([...fake.snapshots.keys()].sort()).toEqual(
      [ours(0).id, ours(3).id, ours(4).id, ...others.map((o) => o.id)].sort(),
    );
    expect(events).toEqual([
      { step: "snapshot", message: `deleted ${ours(2).id} (slipway keeps its newest 2)` },
      { step: "snapshot", message: `deleted ${ours(1).id} (slipway keeps its newest 2)` },
    ]);
  });

  test("reads every page of the instance's manual snapshots", async () => {
    for (let day = 1; day <= 105; day++) {
      fake.addSnapshot({
        id: `manual-${day}`,
        instance: "acme-web-db",
        type: "manual",
        createdAt: at(1),
        tags: [],
      });
    }
    fake.addSnapshot(ours(1));
    fake.addSnapshot(ours(2));
    const result = await pruneSnapshots(rds, {
      databaseIdentifier: "acme-web-db",
      region: "eu-west-1",
      appName: "acme-web",
      keep: 1,
    });
    expect(result.deleted).toEqual([ours(1).id]);
    expect(fake.log()).toEqual([
      "DescribeDBSnapshots DBInstanceIdentifier=acme-web-db SnapshotType=manual MaxRecords=100",
      "DescribeDBSnapshots DBInstanceIdentifier=acme-web-db SnapshotType=manual MaxRecords=100 Marker=100",
      `DeleteDBSnapshot DBSnapshotIdentifier=${ours(1).id}`,
    ]);
  });

  test("a snapshot deleted meanwhile counts as deleted; a refused delete says which permission", async () => {
    for (const day of [1, 2, 3]) fake.addSnapshot(ours(day));
    fake.fault("DeleteDBSnapshot", { status: 404, code: "DBSnapshotNotFound", message: "gone" });
    fake.fault("DeleteDBSnapshot", RdsFaults.accessDenied("rds:DeleteDBSnapshot", ours(1).id));
    const request = {
      databaseIdentifier: "acme-web-db",
      region: "eu-west-1",
      appName: "acme-web",
      keep: 1,
    };
    const error = await rejectionOf<SnapshotError>(pruneSnapshots(rds, request));
    expect([error.reason, error.snapshotId]).toEqual(["access-denied", ours(1).id]);
    expect(
      error.message.startsWith(`AWS refused rds:DeleteDBSnapshot on ${ours(1).id} (AccessDenied: `),
    ).toBe(true);
    expect(fake.log().slice(1)).toEqual([
      `DeleteDBSnapshot DBSnapshotIdentifier=${ours(2).id}`,
      `DeleteDBSnapshot DBSnapshotIdentifier=${ours(1).id}`,
    ]);
  });

  test("a refused listing is mapped with its action", async () => {
    fake.fault("DescribeDBSnapshots", RdsFaults.accessDenied("rds:DescribeDBSnapshots", "*"));
    const request = {
      databaseIdentifier: "acme-web-db",
      region: "eu-west-1",
      appName: "acme-web",
      keep: 1,
    };
    const error = await rejectionOf<SnapshotError>(pruneSnapshots(rds, request));
    expect(
      error.message.startsWith(
        "AWS refused rds:DescribeDBSnapshots on acme-web-db (AccessDenied: ",
      ),
    ).toBe(true);
  });

  test("isSlipwaySnapshot needs the name, the manual type and both tags", () => {
    const snapshot = {
      DBSnapshotIdentifier: ours(1).id,
      SnapshotType: "manual",
      TagList: slipwayTags(),
    };
    expect(isSlipwaySnapshot(snapshot, "acme-web")).toBe(true);
    expect(isSlipwaySnapshot({ ...snapshot, SnapshotType: "automated" }, "acme-web")).toBe(false);
    expect(isSlipwaySnapshot({ ...snapshot, TagList: slipwayTags().slice(1) }, "acme-web")).toBe(
      false,
    );
    expect(isSlipwaySnapshot({ ...snapshot, TagList: slipwayTags("acme") }, "acme-web")).toBe(
      false,
    );
    expect(isSlipwaySnapshot(snapshot, "acme")).toBe(false);
    expect(isSlipwaySnapshot({ SnapshotType: "manual" }, "acme-web")).toBe(false);
    // slipway's tags on a name slipway did not give: a copy or a hand-made one, not slipway's
    expect(
      isSlipwaySnapshot({ ...snapshot, DBSnapshotIdentifier: "before-upgrade" }, "acme-web"),
    ).toBe(false);
    expect(isSlipwaySnapshot({ SnapshotType: "manual", TagList: slipwayTags() }, "acme-web")).toBe(
      false,
    );
  });
});

describe("createRdsClient", () => {
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
  });
  afterEach(() => {
    process.env = saved;
  });
  const send = (client: RdsClient) =>
    takeSnapshot(client, REQUEST, { clock }).then((r) => r.snapshotId);

  test("AWS_ENDPOINT_URL serves when AWS_ENDPOINT_URL_RDS is not set", async () => {
    const client = createRdsClient("eu-west-1", { ...envFor(""), AWS_ENDPOINT_URL: fake.url });
    expect(await send(client)).toBe(ID);
  });

  test("AWS_ENDPOINT_URL_RDS wins over AWS_ENDPOINT_URL", async () => {
    const client = createRdsClient("eu-west-1", {
      ...envFor(fake.url),
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
    });
    expect(await send(client)).toBe(ID);
  });

  test("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS leaves the endpoint to the SDK", () => {
    const client = createRdsClient("eu-west-1", {
      ...envFor(fake.url),
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true",
    });
    expect(client.config.endpoint).toBe(undefined);
    expect(createRdsClient("eu-west-1", envFor(fake.url)).config.endpoint).not.toBe(undefined);
  });

  test("temporary credentials carry their session token", async () => {
    await send(
      createRdsClient("eu-west-1", { ...envFor(fake.url), AWS_SESSION_TOKEN: "session-1" }),
    );
    expect(fake.requests.map((r) => r.sessionToken)).toEqual(["session-1", "session-1"]);
  });

  test("AWS_PROFILE names the profile the SDK reads its keys from", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-aws-"));
    const credentials = path.join(dir, "credentials");
    fs.writeFileSync(
      credentials,
      "[deploy]\naws_access_key_id = AKIAFROMPROFILE\naws_secret_access_key = from-profile\n",
    );
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
    process.env.AWS_CONFIG_FILE = path.join(dir, "config");
    await send(
      createRdsClient("eu-west-1", { AWS_ENDPOINT_URL_RDS: fake.url, AWS_PROFILE: "deploy" }),
    );
    expect(fake.requests[0]!.accessKeyId).toBe("AKIAFROMPROFILE");
  });

  test("without keys in the command's environment, the SDK's own chain finds them", async () => {
    process.env.AWS_ACCESS_KEY_ID = "AKIAFROMPROCESSENV";
    process.env.AWS_SECRET_ACCESS_KEY = "from-process-env";
    await send(createRdsClient("eu-west-1", { AWS_ENDPOINT_URL_RDS: fake.url }));
    expect(fake.requests[0]!.accessKeyId).toBe("AKIAFROMPROCESSENV");
  });

  test("no credentials anywhere: bad input saying where they come from", async () => {
    for (const key of Object.keys(process.env).filter((k) => k.startsWith("AWS_")))
      delete process.env[key];
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: "/nonexistent/slipway/config",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/slipway/credentials",
    });
    const error = await rejectionOf<SlipwayError>(
      send(createRdsClient("eu-west-1", { AWS_ENDPOINT_URL_RDS: fake.url })),
    );
    expect(error).toBeInstanceOf(SlipwayError);
    expect(error.message).toBe(
      "AWS credentials: no credentials found for rds:CreateDBSnapshot (CredentialsProviderError: Could not " +
        "load credentials from any providers). Allowed: credentials the AWS SDK's standard chain finds (in " +
        "GitHub Actions, the deploy role assumed with aws-actions/configure-aws-credentials; locally " +
        "AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). Fix: provide them, and run again.",
    );
    expect(fake.requests).toEqual([]);
  });
});
