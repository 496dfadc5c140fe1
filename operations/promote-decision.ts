// What promote does once production's new release is unhealthy: roll back to the recorded
// release, or stop and hand over to a person. Pure, so the rules read as a table
// (docs/runbook.md, "Rollback, revert or restore").

/** `--rollback`: auto (unless migrations may have shipped), always, never. */
export const ROLLBACK_MODES = ["auto", "always", "never"] as const;
export type RollbackMode = (typeof ROLLBACK_MODES)[number];

export type AfterUnhealthy =
  { readonly action: "rollback" } | { readonly action: "stop"; readonly reason: string };

/**
 * auto rolls back unless the promotion may carry a migration: the old code would then run on the
 * migrated schema, which can be worse than the unhealthy new code. always rolls back anyway,
 * never never does.
 */
export function afterUnhealthy(mode: RollbackMode, mayHoldMigrations: boolean): AfterUnhealthy {
  if (mode === "always") return { action: "rollback" };
  if (mode === "never") {
    return { action: "stop", reason: "--rollback never: promote does not roll back" };
  }
  if (!mayHoldMigrations) return { action: "rollback" };
  return {
    action: "stop",
    reason:
      "the promotion may carry database migrations, and rolling back would run the old code on " +
      "the migrated schema (--rollback auto does not)",
  };
}

/** The facts the runbook's decision needs. */
export interface DecisionFacts {
  readonly app: string;
  /** The release production ran before the promotion. */
  readonly fromVersion: number;
  /** The snapshot taken before the promotion. */
  readonly snapshotId: string | null;
  readonly databaseIdentifier: string;
}

/** The runbook's three ways out, with the commands, for a person to choose from. */
export function runbookDecision(facts: DecisionFacts): string {
  const snapshot =
    facts.snapshotId === null
      ? "no snapshot was taken"
      : `restore snapshot ${facts.snapshotId} to a new instance and switch ${facts.app} to it ` +
        `(\`aws rds restore-db-instance-from-db-snapshot --db-snapshot-identifier ${facts.snapshotId} ` +
        `--db-instance-identifier ${facts.databaseIdentifier}-restored ...\`)`;
  return (
    `Decide (docs/runbook.md, "Rollback, revert or restore"): ` +
    `ROLLBACK when the old code works on the schema as it is now ` +
    `(\`heroku releases:rollback v${facts.fromVersion} -a ${facts.app}\`); ` +
    `REVERT when it does not: revert the change on the production branch, let staging build ` +
    `it, and promote again (a fix forward goes the same way); ` +
    `RESTORE only when data was damaged: ${snapshot}.`
  );
}
