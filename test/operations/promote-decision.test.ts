// The rollback rule as a table, and the runbook's decision as promote prints it.
import { afterUnhealthy, runbookDecision } from "../../operations/promote-decision";

const MIGRATIONS =
  "the promotion may carry database migrations, and rolling back would run the old code on the migrated schema (--rollback auto does not)";

test.each([
  ["auto", false, { action: "rollback" }],
  ["auto", true, { action: "stop", reason: MIGRATIONS }],
  ["always", false, { action: "rollback" }],
  ["always", true, { action: "rollback" }],
  ["never", false, { action: "stop", reason: "--rollback never: promote does not roll back" }],
  ["never", true, { action: "stop", reason: "--rollback never: promote does not roll back" }],
] as const)("--rollback %s, migrations %s -> %j", (mode, migrations, expected) => {
  expect(afterUnhealthy(mode, migrations)).toEqual(expected);
});

test("the decision names the rollback command, the revert path and the snapshot to restore", () => {
  expect(
    runbookDecision({
      app: "acme-web",
      fromVersion: 41,
      snapshotId: "slipway-acme-web-v41-20250106t090000z",
      databaseIdentifier: "acme-web-db",
    }),
  ).toBe(
    'Decide (docs/runbook.md, "Rollback, revert or restore"): ROLLBACK when the old code works on the schema as it is now (`heroku releases:rollback v41 -a acme-web`); REVERT when it does not: revert the change on the production branch, let staging build it, and promote again (a fix forward goes the same way); RESTORE only when data was damaged: restore snapshot slipway-acme-web-v41-20250106t090000z to a new instance and switch acme-web to it (`aws rds restore-db-instance-from-db-snapshot --db-snapshot-identifier slipway-acme-web-v41-20250106t090000z --db-instance-identifier acme-web-db-restored ...`).',
  );
  expect(
    runbookDecision({
      app: "acme-web",
      fromVersion: 41,
      snapshotId: null,
      databaseIdentifier: "acme-web-db",
    }),
  ).toMatch(/; RESTORE only when data was damaged: no snapshot was taken\.$/);
});
