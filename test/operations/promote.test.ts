// promote as a function against the fakes (Heroku, GitHub, RDS): the exact requests of each
// path, what each outcome leaves production in, and the rollback rules.
import { SlipwayError } from "../../errors";
import { Faults } from "../heroku/fake";
import { released } from "../heroku/delivery-support";
import { RdsFaults } from "../aws/rds-fake";
import {
  herokuSequence,
  PRODUCTION,
  runPromote,
  STAGING,
  usePromoteWorld,
} from "./promote-fixture";

const world = usePromoteWorld();

const PREFLIGHT = [
  "GET /apps/{app}",
  "GET /apps/{app}",
  "GET /apps/{app}/pipeline-couplings",
  "GET /apps/{app}/pipeline-couplings",
  "GET /apps/{app}/releases",
  "GET /apps/{app}/releases",
  "GET /apps/{app}/slugs/{slug}",
  "GET /apps/{app}/slugs/{slug}",
];
const STAGING_HEALTH = [
  "GET /apps/{app}/dynos",
  "GET web:/health (staging)",
  "GET web:/health (staging)",
];
const PROMOTION = [
  "POST /pipeline-promotions",
  "GET /pipeline-promotions/{pipeline-promotion}",
  "GET /pipeline-promotions/{pipeline-promotion}",
  "GET /pipeline-promotions/{pipeline-promotion}/promotion-targets",
];
const PRODUCTION_HEALTH = [
  "GET /apps/{app}/dynos",
  "GET web:/health (production)",
  "GET web:/health (production)",
];
/** Production's web answers that fail one whole check: 11 probes fit a 20 s window 2 s apart. */
const FAILED_CHECK = Array.from({ length: 11 }, () => ({ status: 500 }));

const snapshotRequests = (id: string) => [
  `CreateDBSnapshot DBSnapshotIdentifier=${id} DBInstanceIdentifier=acme-web-db Tags.Tag.1.Key=slipway:created-by Tags.Tag.1.Value=slipway promote Tags.Tag.2.Key=slipway:app Tags.Tag.2.Value=acme-web Tags.Tag.3.Key=slipway:release Tags.Tag.3.Value=v2`,
  `DescribeDBSnapshots DBSnapshotIdentifier=${id}`,
  "DescribeDBSnapshots DBInstanceIdentifier=acme-web-db SnapshotType=manual MaxRecords=100",
];

test("promoted: every request in order, pinned to staging's release, the release phase streamed, healthy", async () => {
  const w = world();
  const { fake, events } = w.heroku;
  fake.delivery.script(PRODUCTION, {
    releasePhase: { polls: 1, lines: ["Running migrations", "done"] },
    rollout: { oldPolls: 1, startingPolls: 1 },
  });
  const result = await runPromote(w);
  expect(herokuSequence(w)).toEqual([
    ...PREFLIGHT,
    ...STAGING_HEALTH,
    ...PROMOTION,
    "GET /apps/{app}/releases/{release}",
    "GET /streams/{stream}",
    "GET /pipeline-promotions/{pipeline-promotion}/promotion-targets",
    "GET /apps/{app}/dynos",
    "GET /apps/{app}/dynos",
    "GET /apps/{app}/dynos",
    "GET web:/health (production)",
    "GET web:/health (production)",
  ]);
  const post = fake.requests.find((r) => r.route === "POST /pipeline-promotions")!;
  expect(post.body).toEqual({
    pipeline: { id: w.pipelineId },
    source: {
      app: { id: fake.state.app(STAGING).app.id },
      release: { id: w.stagingRelease.id },
    },
    targets: [{ app: { id: fake.state.app(PRODUCTION).app.id } }],
  });
  const id = "slipway-acme-web-v2-20231114t221322z";
  expect(w.rds.log()).toEqual(snapshotRequests(id));
  expect(w.github.log()).toEqual([
    `GET /repos/acme/acme-web/compare/${w.base}...${w.head}?per_page=100&page=1`,
    `GET /repos/acme/acme-web/commits/${w.head}/pulls?per_page=100`,
  ]);
  expect(result).toMatchObject({
    outcome: "promoted",
    failedStep: null,
    sourceRelease: { id: w.stagingRelease.id, version: 2 },
    fromRelease: { id: w.productionRelease.id, version: 2 },
    toRelease: { version: 3 },
    snapshotId: id,
    promotionId: [...fake.delivery.promotions.keys()][0],
    rolledBackTo: null,
    rollbackRelease: null,
    health: { staging: { passed: true }, production: { passed: true }, afterRollback: null },
  });
  expect(result.summary).toBe(
    `v2 of ${STAGING} is live on ${PRODUCTION} as v3 and healthy: 2 consecutive 200s from ${result.health.production!.url} naming v3.`,
  );
  expect(result.timings).toEqual({
    preflight: 2_000,
    changes: 0,
    confirm: 0,
    snapshot: 2_000,
    promotion: 2_000,
    release: 0,
    health: 6_000,
    totalMs: 12_000,
  });
  expect(w.shown).toHaveLength(1);
  expect(w.shown[0]).toMatchObject({
    production: { commit: w.base, release: { version: 2 } },
    staging: { commit: w.head, release: { version: 2 } },
    unknown: null,
    mayHoldMigrations: false,
    changes: { status: "ahead", aheadBy: 1, pullRequests: [{ number: 1, title: "Users" }] },
  });
  expect(events.filter((e) => e.log).map((e) => `${e.step}| ${e.message}`)).toEqual([
    "release| Running migrations",
    "release| done",
  ]);
  expect(fake.delivery.currentRelease(fake.state.app(PRODUCTION))!.release.version).toBe(3);
});

test("the release shown is the one promoted, though staging released again before the answer", async () => {
  const w = world();
  const { fake, client } = w.heroku;
  const result = await runPromote(
    w,
    {},
    {
      confirm: async () => {
        await released(client, STAGING, w.head);
        return true;
      },
    },
  );
  expect(result.outcome).toBe("promoted");
  const post = fake.requests.find((r) => r.route === "POST /pipeline-promotions")!;
  expect((post.body as { source: { release: { id: string } } }).source.release).toEqual({
    id: w.stagingRelease.id,
  });
  expect(fake.delivery.currentRelease(fake.state.app(STAGING))!.release.version).toBe(3);
});

test("--release promotes the release named, by version", async () => {
  const w = world();
  const { fake, client } = w.heroku;
  await released(client, STAGING, w.head);
  fake.clearRequests();
  const result = await runPromote(w, { stagingRelease: "2" });
  expect(result).toMatchObject({ outcome: "promoted", sourceRelease: { version: 2 } });
  expect(herokuSequence(w).slice(4, 7)).toEqual([
    "GET /apps/{app}/releases",
    "GET /apps/{app}/releases/{release}",
    "GET /apps/{app}/releases",
  ]);
  const post = fake.requests.find((r) => r.route === "POST /pipeline-promotions")!;
  expect((post.body as { source: { release: { id: string } } }).source.release).toEqual({
    id: w.stagingRelease.id,
  });
});

describe("refusals: nothing is snapshotted or promoted", () => {
  test("staging's latest release failed its release phase", async () => {
    const w = world();
    const { fake, client } = w.heroku;
    fake.delivery.script(STAGING, { releasePhase: { outcome: "failed", polls: 0 } });
    await released(client, STAGING, w.head);
    fake.clearRequests();
    const result = await runPromote(w);
    expect(result).toMatchObject({
      outcome: "refused",
      failedStep: "preflight",
      sourceRelease: { version: 3 },
      snapshotId: null,
      promotionId: null,
    });
    expect(result.summary).toBe(
      "staging's latest release v3 is failed, not succeeded: only a release whose release phase succeeded is promoted. Fix staging first (slipway deploy --stack staging). Nothing was promoted.",
    );
    expect(herokuSequence(w)).toEqual(PREFLIGHT.slice(0, 5));
    expect(w.rds.log()).toEqual([]);
    expect(w.github.log()).toEqual([]);
    expect(w.shown).toEqual([]);
  });

  test("staging fails its health check", async () => {
    const w = world();
    w.heroku.fake.delivery.answerWeb(STAGING, ...FAILED_CHECK);
    const result = await runPromote(w);
    expect(result).toMatchObject({
      outcome: "refused",
      failedStep: "preflight",
      health: { staging: { passed: false }, production: null },
    });
    expect(result.summary).toBe(
      `staging is unhealthy: ${result.health.staging!.reason}. Fix staging before promoting it. Nothing was promoted.`,
    );
    expect(herokuSequence(w).filter((r) => !r.startsWith("GET web:"))).toEqual([
      ...PREFLIGHT,
      "GET /apps/{app}/dynos",
    ]);
    expect(w.rds.log()).toEqual([]);
  });

  test("production has an unfinished release", async () => {
    const w = world();
    const { fake, client } = w.heroku;
    fake.delivery.script(PRODUCTION, { releasePhase: { polls: 5 } });
    const slug = w.productionRelease.slug!.id;
    await client.post(`/apps/${PRODUCTION}/releases`, { slug, description: "by hand" });
    fake.clearRequests();
    const result = await runPromote(w);
    expect(result).toMatchObject({ outcome: "refused", failedStep: "preflight" });
    expect(result.summary).toBe(
      `${PRODUCTION} has an unfinished release, v3 (its release phase is still running). Wait for it to end (\`heroku releases -a ${PRODUCTION}\`), then promote again. Nothing was promoted.`,
    );
    expect(herokuSequence(w)).toEqual(PREFLIGHT.slice(0, 6));
  });

  test("the apps are not in one pipeline at the staging and production stages", async () => {
    const w = world();
    const coupling = [...w.heroku.fake.state.couplings.values()].find(
      (c) => c.app.id === w.heroku.fake.state.app(STAGING).app.id,
    )!;
    coupling.stage = "development";
    const result = await runPromote(w);
    expect(result.summary).toBe(
      `${STAGING} must be at the staging stage and ${PRODUCTION} at the production stage of one pipeline; Heroku has ${STAGING} at development and ${PRODUCTION} at production. Run \`pulumi up\` of the production and staging stacks, which couple them. Nothing was promoted.`,
    );
    expect(herokuSequence(w)).toEqual(PREFLIGHT.slice(0, 4));
  });

  test("not confirmed", async () => {
    const w = world();
    const result = await runPromote(w, {}, { confirm: () => Promise.resolve(false) });
    expect(result).toMatchObject({ outcome: "refused", failedStep: "confirm" });
    expect(result.summary).toBe(
      `not confirmed. Nothing was promoted: ${PRODUCTION} still runs v2.`,
    );
    expect(herokuSequence(w)).toEqual([...PREFLIGHT, ...STAGING_HEALTH]);
    expect(w.rds.log()).toEqual([]);
  });

  test.each([
    [
      "the snapshot fails",
      () => world().rds.scriptCreates({ polls: 1, ends: "failed" }),
      3,
      "ended failed instead of available",
    ],
    [
      "AWS refuses the snapshot",
      () =>
        world().rds.fault(
          "CreateDBSnapshot",
          RdsFaults.accessDenied("rds:CreateDBSnapshot", "acme-web-db"),
        ),
      1,
      "AWS refused rds:CreateDBSnapshot on acme-web-db",
    ],
  ])("%s: no promotion request follows", async (_name, script, rdsRequests, words) => {
    const w = world();
    script();
    const result = await runPromote(w);
    expect(result).toMatchObject({ outcome: "refused", failedStep: "snapshot", promotionId: null });
    expect(result.summary).toContain(words);
    expect(result.summary).toMatch(/^the snapshot of acme-web-db failed: /);
    expect(herokuSequence(w)).toEqual([...PREFLIGHT, ...STAGING_HEALTH]);
    expect(w.rds.log()).toHaveLength(rdsRequests);
  });
});

describe("after the promotion", () => {
  test("a failed release phase: Heroku keeps production on its release, no health check or rollback", async () => {
    const w = world();
    w.heroku.fake.delivery.script(PRODUCTION, {
      releasePhase: { outcome: "failed", polls: 0, lines: ["ERROR: relation exists"] },
    });
    const result = await runPromote(w);
    expect(result).toMatchObject({
      outcome: "failed",
      failedStep: "release",
      toRelease: { version: 3 },
      rolledBackTo: null,
    });
    expect(result.summary).toBe(
      `the release phase of v3 failed on ${PRODUCTION}, so Heroku did not deploy it: ${PRODUCTION} still runs v2. Read the release phase output above (usually a migration) and fix it on staging first; if the release command changed the database before it failed, check the database (snapshot ${result.snapshotId}).`,
    );
    expect(herokuSequence(w).slice(-4)).toEqual([
      "GET /pipeline-promotions/{pipeline-promotion}/promotion-targets",
      "GET /apps/{app}/releases/{release}",
      "GET /streams/{stream}",
      "GET /pipeline-promotions/{pipeline-promotion}/promotion-targets",
    ]);
  });

  test("a target Heroku fails before any release: nothing changed", async () => {
    const w = world();
    w.heroku.fake.delivery.script(PRODUCTION, {
      promotion: { polls: 0, failure: "The slug is too large." },
    });
    const result = await runPromote(w);
    expect(result).toMatchObject({ outcome: "failed", failedStep: "promotion", toRelease: null });
    expect(result.summary).toBe(
      `the promotion to ${PRODUCTION} failed: The slug is too large.. Nothing changed: ${PRODUCTION} still runs v2. Run promote again once the cause is gone.`,
    );
  });

  test("429s while polling the promotion are waited out (Retry-After) and the promotion goes on", async () => {
    const w = world();
    const { fake, clock } = w.heroku;
    fake.fault(
      "GET /pipeline-promotions/{pipeline-promotion}",
      Faults.rateLimited(5),
      Faults.rateLimited(5),
    );
    const result = await runPromote(w);
    expect(result.outcome).toBe("promoted");
    expect(fake.count("GET /pipeline-promotions/{pipeline-promotion}")).toBe(4);
    // The staging check's wait, the snapshot's, then the two Retry-Afters before the poll's own.
    expect(clock.sleeps.slice(0, 5)).toEqual([2_000, 2_000, 5_000, 5_000, 2_000]);
  });

  test("a promotion request refused by Heroku changes nothing", async () => {
    const w = world();
    w.heroku.fake.fault("POST /pipeline-promotions", {
      kind: "status",
      status: 403,
      id: "two_factor",
      message: "This action requires a second factor.",
    });
    const result = await runPromote(w, {}, { ci: true });
    expect(result).toMatchObject({ outcome: "refused", failedStep: "promotion" });
    expect(result.summary).toMatch(
      new RegExp(
        `^the promotion step failed: Heroku asks for a second factor \\(two-factor authentication\\) before it lets this token change ${PRODUCTION}, and slipway never prompts\\. In CI no one can answer it`,
      ),
    );
  });

  test("a promotion request whose answer was lost: a person must look", async () => {
    const w = world();
    w.heroku.fake.fault("POST /pipeline-promotions", Faults.applyThen(Faults.reset()));
    const result = await runPromote(w);
    expect(result).toMatchObject({ outcome: "needs-attention", failedStep: "promotion" });
    expect(result.summary).toMatch(/^slipway lost track of the promotion at the promotion step: /);
    expect(result.summary).toContain(`the database was snapshotted as ${result.snapshotId}.`);
    expect(w.heroku.fake.count("POST /pipeline-promotions")).toBe(1);
  });
});

describe("unhealthy after the promotion", () => {
  test("auto, no migrations: the rollback request follows the failed verdict at once, and back to healthy is exit 1", async () => {
    const w = world();
    const { fake } = w.heroku;
    fake.delivery.answerWeb(PRODUCTION, ...FAILED_CHECK);
    const result = await runPromote(w);
    const sequence = herokuSequence(w);
    const rollback = sequence.indexOf("POST /apps/{app}/releases");
    expect(sequence.slice(rollback - 1, rollback + 1)).toEqual([
      "GET web:/health (production)",
      "POST /apps/{app}/releases",
    ]);
    expect(sequence.slice(rollback)).toEqual([
      "POST /apps/{app}/releases",
      "GET /apps/{app}/releases/{release}",
      ...PRODUCTION_HEALTH,
    ]);
    expect(fake.requests.find((r) => r.route === "POST /apps/{app}/releases")!.body).toEqual({
      release: w.productionRelease.id,
    });
    expect(result).toMatchObject({
      outcome: "rolled-back",
      failedStep: "health",
      toRelease: { version: 3 },
      rolledBackTo: { id: w.productionRelease.id, version: 2 },
      rollbackRelease: { version: 4 },
      health: { production: { passed: false }, afterRollback: { passed: true } },
    });
    expect(result.health.production!.probes).toHaveLength(11);
    expect(result.summary).toBe(
      `v3 is live on ${PRODUCTION} but failed its health check: ${result.health.production!.reason}. Rolled back to v2 (as v4), which is healthy: ${result.health.afterRollback!.reason}. Fix the change on staging and promote again (snapshot ${result.snapshotId} was not needed).`,
    );
    expect(fake.delivery.currentRelease(fake.state.app(PRODUCTION))!.release.description).toBe(
      "Rollback to v2",
    );
  });

  test("auto with migrations: no rollback; the snapshot and the runbook's decision are given", async () => {
    const w = world();
    w.heroku.fake.delivery.answerWeb(PRODUCTION, ...FAILED_CHECK);
    const result = await runPromote(w, { migrationPaths: ["src/"] });
    expect(herokuSequence(w)).not.toContain("POST /apps/{app}/releases");
    expect(result).toMatchObject({
      outcome: "needs-attention",
      failedStep: "health",
      rolledBackTo: null,
      changes: { mayHoldMigrations: true },
    });
    const id = result.snapshotId!;
    expect(result.summary).toBe(
      `v3 is live on ${PRODUCTION} but failed its health check: ${result.health.production!.reason}. Not rolled back: the promotion may carry database migrations, and rolling back would run the old code on the migrated schema (--rollback auto does not). ${PRODUCTION} is left on v3 (it ran v2); the database was snapshotted as ${id}. Decide (docs/runbook.md, "Rollback, revert or restore"): ROLLBACK when the old code works on the schema as it is now (\`heroku releases:rollback v2 -a ${PRODUCTION}\`); REVERT when it does not: revert the change on the production branch, let staging build it, and promote again (a fix forward goes the same way); RESTORE only when data was damaged: restore snapshot ${id} to a new instance and switch ${PRODUCTION} to it (\`aws rds restore-db-instance-from-db-snapshot --db-snapshot-identifier ${id} --db-instance-identifier acme-web-db-restored ...\`).`,
    );
  });

  test("always rolls back even with migrations", async () => {
    const w = world();
    w.heroku.fake.delivery.answerWeb(PRODUCTION, ...FAILED_CHECK);
    const result = await runPromote(w, { migrationPaths: ["src/"], rollback: "always" });
    expect(result).toMatchObject({ outcome: "rolled-back", rolledBackTo: { version: 2 } });
  });

  test("never does not roll back, even without migrations", async () => {
    const w = world();
    w.heroku.fake.delivery.answerWeb(PRODUCTION, ...FAILED_CHECK);
    const result = await runPromote(w, { rollback: "never" });
    expect(result).toMatchObject({ outcome: "needs-attention", rolledBackTo: null });
    expect(result.summary).toContain(
      "Not rolled back: --rollback never: promote does not roll back.",
    );
    expect(herokuSequence(w)).not.toContain("POST /apps/{app}/releases");
  });

  test("a rollback whose release phase fails: a person must act", async () => {
    const w = world();
    const { fake } = w.heroku;
    fake.delivery.answerWeb(PRODUCTION, ...FAILED_CHECK);
    const result = await runPromote(
      w,
      {},
      {
        progress: (event) => {
          if (event.step === "rollback") {
            fake.delivery.script(PRODUCTION, { releasePhase: { outcome: "failed", polls: 0 } });
          }
        },
      },
    );
    expect(result).toMatchObject({
      outcome: "needs-attention",
      failedStep: "rollback",
      rolledBackTo: null,
      rollbackRelease: { version: 4 },
    });
    expect(result.summary).toMatch(
      new RegExp(
        `The rollback to v2 \\(v4\\) failed in its release phase, so ${PRODUCTION} is still on v3\\. Decide \\(docs/runbook\\.md`,
      ),
    );
  });

  test("a rollback Heroku refuses: a person must act", async () => {
    const w = world();
    const { fake } = w.heroku;
    fake.delivery.answerWeb(PRODUCTION, ...FAILED_CHECK);
    fake.fault("POST /apps/{app}/releases", {
      kind: "status",
      status: 422,
      id: "invalid_params",
      message: "Cannot roll back.",
    });
    const result = await runPromote(w);
    expect(result).toMatchObject({ outcome: "needs-attention", failedStep: "rollback" });
    expect(result.summary).toContain("The rollback to v2 did not go through: ");
    expect(result.summary).toContain("Cannot roll back.");
  });

  test("rolled back but unhealthy too: a person must act", async () => {
    const w = world();
    w.heroku.fake.delivery.answerWeb(PRODUCTION, ...FAILED_CHECK, ...FAILED_CHECK);
    const result = await runPromote(w);
    expect(result).toMatchObject({
      outcome: "needs-attention",
      failedStep: "rollback",
      rolledBackTo: { version: 2 },
      health: { afterRollback: { passed: false } },
    });
    expect(result.summary).toContain(
      `It was rolled back to v2 (v4), which is unhealthy too: ${result.health.afterRollback!.reason}.`,
    );
  });
});

test("GitHub down: the promotion goes on, what ships counts as unknown (so no automatic rollback)", async () => {
  const w = world();
  w.github.fault(
    "*",
    ...Array.from({ length: 4 }, () => ({ kind: "status" as const, status: 502 })),
  );
  const result = await runPromote(w);
  expect(result.outcome).toBe("promoted");
  expect(w.shown[0]).toMatchObject({ changes: null, mayHoldMigrations: true });
  expect(w.shown[0]!.unknown).toMatch(
    /^What ships cannot be determined: GitHub: GET \/repos\/acme\/acme-web\/compare\//,
  );
});

describe("edges", () => {
  test("a token Heroku refuses is bad input (SlipwayError), before anything else", async () => {
    const w = world();
    w.heroku.fake.fault("GET /apps/{app}", Faults.unauthorized());
    const error = await runPromote(w).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(SlipwayError);
    expect(error!.message).toMatch(
      /^HEROKU_API_KEY: Heroku refused the token \(401 unauthorized\)/,
    );
  });

  test("a Heroku outage in the preflight refuses; nothing changed", async () => {
    const w = world();
    w.heroku.fake.fault(
      "GET /apps/{app}/pipeline-couplings",
      ...Array.from({ length: 5 }, () => Faults.unavailable()),
    );
    const result = await runPromote(w);
    expect(result).toMatchObject({ outcome: "refused", failedStep: "preflight" });
    expect(result.summary).toMatch(
      /^the preflight step failed: .*503.*\. Nothing was promoted: acme-web still runs its release\. Run promote again once the cause is gone\.$/,
    );
  });

  test("an outage while following the promotion: a person must look", async () => {
    const w = world();
    w.heroku.fake.fault(
      "GET /pipeline-promotions/{pipeline-promotion}",
      ...Array.from({ length: 5 }, () => Faults.unavailable()),
    );
    const result = await runPromote(w);
    expect(result).toMatchObject({ outcome: "needs-attention", failedStep: "promotion" });
    expect(result.summary).toContain(
      `${PRODUCTION} may be changing. Look at \`heroku releases -a ${PRODUCTION}\` and \`heroku ps -a ${PRODUCTION}\`; it ran v2 before and the database was snapshotted as ${result.snapshotId}.`,
    );
  });

  test("a staging release with no slug is not promoted", async () => {
    const w = world();
    const { client, fake } = w.heroku;
    await client.post(`/apps/${STAGING}/releases`, { slug: w.stagingRelease.slug!.id });
    const newest = [...fake.delivery.releases.values()].pop()!;
    newest.release.slug = null;
    fake.clearRequests();
    const result = await runPromote(w);
    expect(result.summary).toBe(
      "staging's latest release v3 has no slug (a container image or the app's first release): a pipeline promotes slugs. Nothing was promoted.",
    );
  });

  test("production without a web URL: promoted but unchecked, a person must look", async () => {
    const w = world();
    w.heroku.fake.state.app(PRODUCTION).app.web_url = null;
    const result = await runPromote(w);
    expect(result).toMatchObject({ outcome: "needs-attention", failedStep: "health" });
    expect(result.summary).toBe(
      `v3 is live on ${PRODUCTION}, but Heroku gives the app no web URL, so its health could not be checked. Check the app by hand.`,
    );
  });

  test("pruning that AWS refuses is reported; the promotion goes on", async () => {
    const w = world();
    const tags = [
      { Key: "slipway:created-by", Value: "slipway promote" },
      { Key: "slipway:app", Value: PRODUCTION },
      { Key: "slipway:release", Value: "v1" },
    ];
    for (let day = 1; day <= 10; day++) {
      w.rds.addSnapshot({
        id: `slipway-acme-web-v1-202501${String(day).padStart(2, "0")}t000000z`,
        instance: "acme-web-db",
        type: "manual",
        createdAt: new Date(Date.UTC(2025, 0, day)),
        tags,
      });
    }
    w.rds.fault(
      "DeleteDBSnapshot",
      RdsFaults.accessDenied("rds:DeleteDBSnapshot", "slipway-acme-web-v1-20250101t000000z"),
    );
    const result = await runPromote(w);
    expect(result.outcome).toBe("promoted");
    expect(
      w.heroku.events.find((e) => e.message.startsWith("older snapshots were not pruned"))!.message,
    ).toMatch(
      /^older snapshots were not pruned \(the promotion goes on\): AWS refused rds:DeleteDBSnapshot on slipway-acme-web-v1-20250101t000000z/,
    );
  });
});

describe("more refusals and lost tracks", () => {
  test("the apps in different pipelines", async () => {
    const w = world();
    const { client, fake } = w.heroku;
    const other = await client.post<{ id: string }>("/pipelines", { name: "acme-other" });
    const production = fake.state.app(PRODUCTION).app.id;
    [...fake.state.couplings.values()].find((c) => c.app.id === production)!.pipeline.id = other.id;
    const result = await runPromote(w);
    expect(result.summary).toBe(
      `${STAGING} and ${PRODUCTION} are in different pipelines (${w.pipelineId} and ${other.id}). Run \`pulumi up\` of the staging stack, which couples it to production's pipeline. Nothing was promoted.`,
    );
  });

  test("production running no release among its newest", async () => {
    const w = world();
    const { fake } = w.heroku;
    fake.delivery.currentRelease(fake.state.app(PRODUCTION))!.release.current = false;
    const result = await runPromote(w);
    expect(result.summary).toBe(
      `${PRODUCTION} runs no release among its newest 20, so there is nothing to roll back to. Nothing was promoted.`,
    );
  });

  test("staging without a web URL cannot be checked, so it is not promoted", async () => {
    const w = world();
    w.heroku.fake.state.app(STAGING).app.web_url = null;
    const result = await runPromote(w);
    expect(result.summary).toBe(
      `${STAGING} has no web URL or no current release to health check. Nothing was promoted.`,
    );
    expect(herokuSequence(w)).toEqual(PREFLIGHT);
  });

  test("an outage while following the release phase: a person must look", async () => {
    const w = world();
    w.heroku.fake.fault(
      "GET /apps/{app}/releases/{release}",
      ...Array.from({ length: 5 }, () => Faults.unavailable()),
    );
    const result = await runPromote(w);
    expect(result).toMatchObject({ outcome: "needs-attention", failedStep: "release" });
    expect(result.summary).toMatch(/^slipway lost track of the promotion at the release step: /);
  });

  test("an outage while health checking production: a person must look", async () => {
    const w = world();
    w.heroku.fake.fault(
      `GET /apps/${PRODUCTION}/dynos`,
      ...Array.from({ length: 5 }, () => Faults.unavailable()),
    );
    const result = await runPromote(w);
    expect(result).toMatchObject({ outcome: "needs-attention", failedStep: "health" });
    expect(result.summary).toMatch(/^slipway lost track of the promotion at the health step: /);
  });
});
