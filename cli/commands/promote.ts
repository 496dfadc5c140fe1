// `slipway promote`: staging's exact release to production, with the snapshot, the release
// phase, the health check and the rollback (operations/promote.ts decides; this shows). Progress
// goes out as it happens (stderr with --format json); the end is a sentence, or one JSON document
// on stdout.
import { HerokuClient } from "../../heroku/client";
import { createRdsClient, RdsClient } from "../../operations/aws/rds";
import { realClock } from "../../operations/clock";
import { createGithubClient } from "../../operations/github/client";
import { promote, PromoteResult } from "../../operations/promote";
import { ROLLBACK_MODES } from "../../operations/promote-decision";
import type { PromotionChanges } from "../../operations/what-ships";
import { SlipwayError } from "../../errors";
import { oneOf, parseFlags } from "../args";
import type { Command } from "../command";
import { EXIT } from "../exit-codes";
import { progressPrinter } from "../progress";
import { findProjectDir } from "../project";
import { promoteTarget } from "../promote-target";
import { renderPromotion } from "../render/changes";
import { TARGET_FLAGS, TARGET_OPTIONS } from "./changes";

const FORMATS = ["text", "json"] as const;

export const promoteCommand: Command = {
  name: "promote",
  summary:
    "promote staging's release to production: snapshot, release phase, health check, rollback",
  options: [
    "--yes              promote without asking (CI); without it, promote shows what ships and asks",
    "--release ID       staging's release to promote, id or version (default: its newest)",
    "--rollback MODE    auto (default: roll back unless migrations ship), always, or never",
    ...TARGET_OPTIONS,
    "--database ID      production's RDS instance (default: <production app>-db)",
    "--region REGION    the database's AWS region (default: aws:region of production)",
    "--poll-interval S  seconds between status polls and health probes (default: slipway:deploy, 2)",
    "--health-window S  seconds the health check may take (default: slipway:deploy, 300)",
    "--health-checks N  consecutive HTTP 200s that make the app healthy (default: slipway:deploy, 3)",
    "--format FORMAT    text (default) or json (one document on stdout, progress on stderr)",
  ],
  exitCodes:
    "0 promoted and healthy; 1 refused (staging unhealthy or unfinished, production busy, not " +
    "confirmed, the snapshot failed), failed with nothing changed (the release phase failed), or " +
    "rolled back and healthy; 2 bad input (also: no terminal to confirm on and no --yes); 3 internal " +
    "error; 4 a person must act (unhealthy and not rolled back, or the rollback failed)",
  async run(args, { io, cwd, env, ask }) {
    const { values } = parseFlags("promote", args, {
      ...TARGET_FLAGS,
      yes: { type: "boolean" },
      release: { type: "string" },
      rollback: { type: "string", default: "auto" },
      database: { type: "string" },
      region: { type: "string" },
      "poll-interval": { type: "string" },
      "health-window": { type: "string" },
      "health-checks": { type: "string" },
      format: { type: "string", default: "text" },
    });
    const format = oneOf("--format", values.format, FORMATS, "json");
    const rollback = oneOf("--rollback", values.rollback, ROLLBACK_MODES, "auto");
    const yes = values.yes === true;
    if (!yes && ask === undefined) {
      throw SlipwayError.of(
        "--yes",
        "missing, and there is no terminal to confirm on (stdin is not a TTY). Allowed: --yes " +
          "where no one can answer (CI), or a terminal. Fix: slipway promote --yes, after " +
          "reading `slipway changes`.",
      );
    }
    const target = promoteTarget(findProjectDir(cwd, values.dir), values);
    const write = (text: string) => (format === "json" ? io.stderr(text) : io.stdout(text));
    const clock = realClock;
    // Made now so a missing GITHUB_TOKEN is bad input before anything happens.
    const github = createGithubClient(env, { progress: progressPrinter(write) });
    let rds: RdsClient | undefined;
    const confirm = async (shipped: PromotionChanges): Promise<boolean> => {
      write(renderPromotion(shipped, "text"));
      if (yes) return true;
      const answer = await ask!(
        `Promote ${shipped.staging.app} v${shipped.staging.release!.version} to ${target.productionApp}? [y/N] `,
      );
      return /^\s*y(es)?\s*$/i.test(answer);
    };
    const result = await promote(
      {
        productionApp: target.productionApp,
        stagingApp: target.stagingApp,
        stagingRelease: values.release,
        repository: target.repository,
        migrationPaths: target.deploy.migrationPaths,
        buildPaths: target.deploy.buildPaths,
        databaseIdentifier: target.databaseIdentifier,
        region: target.region,
        productionHealthPath: target.productionHealthPath,
        stagingHealthPath: target.stagingHealthPath,
        pollIntervalMs: target.deploy.pollIntervalSeconds * 1000,
        healthWindowMs: target.deploy.healthWindowSeconds * 1000,
        healthChecks: target.deploy.healthChecks,
        snapshotTimeoutSeconds: target.deploy.snapshotTimeoutSeconds,
        snapshotsKept: target.deploy.snapshotsKept,
        rollback,
      },
      {
        client: new HerokuClient({ env, now: clock.now, sleep: clock.sleep }),
        github: () => github,
        rds: () => (rds ??= createRdsClient(target.region, env)),
        confirm,
        clock,
        progress: progressPrinter(write),
        // GitHub Actions and the other CI services set CI=true.
        ci: env.CI === "true",
      },
    );
    if (format === "json") io.stdout(`${JSON.stringify(promoteDocument(result), null, 2)}\n`);
    else io.stdout(`${headline(result)}: ${result.summary}\n`);
    return promoteExitCode(result);
  },
};

/** 0 promoted; 1 refused, failed with nothing changed, or rolled back; 4 a person must act. */
export function promoteExitCode(result: PromoteResult): number {
  switch (result.outcome) {
    case "promoted":
      return EXIT.ok;
    case "needs-attention":
      return EXIT.needsAttention;
    default:
      return EXIT.refused;
  }
}

function headline(result: PromoteResult): string {
  switch (result.outcome) {
    case "promoted":
      return "promoted";
    case "needs-attention":
      return `NEEDS ATTENTION (${result.failedStep} step)`;
    default:
      return `${result.outcome} (${result.failedStep} step)`;
  }
}

/** The `--format json` document: the fields every delivery command shares first. */
export function promoteDocument(result: PromoteResult) {
  return {
    outcome: result.outcome,
    failedStep: result.failedStep,
    needsAttention: result.outcome === "needs-attention",
    summary: result.summary,
    productionApp: result.productionApp,
    stagingApp: result.stagingApp,
    sourceRelease: result.sourceRelease,
    fromRelease: result.fromRelease,
    toRelease: result.toRelease,
    snapshotId: result.snapshotId,
    promotionId: result.promotionId,
    rolledBackTo: result.rolledBackTo,
    rollbackRelease: result.rollbackRelease,
    changes: result.changes,
    health: result.health,
    timings: result.timings,
  };
}
