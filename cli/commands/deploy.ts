// `slipway deploy`: builds one commit on a staging or review app, watches the build and the
// release phase, health checks it. Progress goes out as it happens (stderr with --format json);
// the end is a sentence, or one JSON document on stdout.
import * as path from "node:path";
import { HerokuClient } from "../../heroku/client";
import { realClock } from "../../operations/clock";
import { deploy, DeployResult } from "../../operations/deploy";
import { oneOf, parseFlags } from "../args";
import type { Command } from "../command";
import { deployTarget } from "../deploy-target";
import { SlipwayError } from "../../errors";
import { EXIT } from "../exit-codes";
import { progressPrinter } from "../progress";

const FORMATS = ["text", "json"] as const;

export const deployCommand: Command = {
  name: "deploy",
  summary: "build a commit on staging or a review app, watch its release phase, health check it",
  options: [
    "--stack NAME       staging, or review-<slug> (production is refused: use promote)",
    "--sha SHA          the commit to build (a commit of --source)",
    "--source DIR       the application's git checkout (default: the current folder)",
    "--app NAME         the Heroku app (default: the stack file's; required for review stacks)",
    "--dir DIR          the slipway project folder with the stack files (default: the current folder)",
    "--poll-interval S  seconds between status polls and health probes (default: slipway:deploy, 2)",
    "--health-window S  seconds the health check may take (default: slipway:deploy, 300)",
    "--health-checks N  consecutive HTTP 200s that make the app healthy (default: slipway:deploy, 3)",
    "--format FORMAT    text (default) or json (one document on stdout, progress on stderr)",
  ],
  exitCodes:
    "0 deployed and healthy, 1 the build or release phase failed and nothing changed, 2 bad input, " +
    "3 internal error, 4 a person must act (the new release is live but unhealthy, or slipway lost track of the deploy)",
  async run(args, { io, cwd, env }) {
    const { values } = parseFlags("deploy", args, {
      stack: { type: "string" },
      sha: { type: "string" },
      source: { type: "string" },
      app: { type: "string" },
      dir: { type: "string" },
      "poll-interval": { type: "string" },
      "health-window": { type: "string" },
      "health-checks": { type: "string" },
      format: { type: "string", default: "text" },
    });
    const format = oneOf("--format", values.format, FORMATS, "json");
    // Stryker disable next-line StringLiteral: equivalent, path.resolve(cwd, "") is cwd, as "." is
    const target = deployTarget(path.resolve(cwd, values.dir ?? "."), values);
    const sha = values.sha ?? missingSha();
    const write = (text: string) => (format === "json" ? io.stderr(text) : io.stdout(text));
    const clock = realClock;
    const result = await deploy(
      {
        stack: target.stack,
        app: target.app,
        sha,
        sourceDir: path.resolve(cwd, values.source ?? "."),
        healthCheckPath: target.healthCheckPath,
        pollIntervalMs: target.deploy.pollIntervalSeconds * 1000,
        healthWindowMs: target.deploy.healthWindowSeconds * 1000,
        healthChecks: target.deploy.healthChecks,
      },
      {
        client: new HerokuClient({ env, now: clock.now, sleep: clock.sleep }),
        clock,
        progress: progressPrinter(write),
        // GitHub Actions and the other CI services set CI=true.
        ci: env.CI === "true",
      },
    );
    if (format === "json") io.stdout(`${JSON.stringify(deployDocument(result), null, 2)}\n`);
    else io.stdout(`${headline(result)}: ${result.summary}\n`);
    return exitCodeOf(result);
  },
};

function missingSha(): never {
  throw SlipwayError.of(
    "--sha",
    'missing. Allowed: the commit to build. Fix: --sha "$(git rev-parse HEAD)"',
  );
}

/** 0 deployed; 1 failed with nothing changed; 4 a person must act (deploy and review up). */
export function exitCodeOf(result: Pick<DeployResult, "outcome" | "needsAttention">): number {
  if (result.outcome === "deployed") return EXIT.ok;
  return result.needsAttention ? EXIT.needsAttention : EXIT.refused;
}

function headline(result: DeployResult): string {
  if (result.outcome === "deployed") return "deployed";
  return `${result.needsAttention ? "NEEDS ATTENTION" : "failed"} (${result.failedStep} step)`;
}

/**
 * The `--format json` document. Besides the deploy's own fields it carries the summary fields
 * every delivery command shares (fromRelease, toRelease, snapshotId, promotionId, rolledBackTo),
 * null where they do not apply.
 */
export function deployDocument(result: DeployResult) {
  return {
    outcome: result.outcome,
    stack: result.stack,
    app: result.app,
    sha: result.sha,
    failedStep: result.failedStep,
    needsAttention: result.needsAttention,
    summary: result.summary,
    buildId: result.buildId,
    release: result.release,
    fromRelease: result.previousRelease,
    toRelease: result.release,
    snapshotId: null,
    promotionId: null,
    rolledBackTo: null,
    webUrl: result.webUrl,
    health: result.health,
    timings: result.timings,
  };
}
