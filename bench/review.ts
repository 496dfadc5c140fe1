// `npm run bench`: what slipway's review commands add on top of Pulumi's and Heroku's own time,
// and how many Platform API requests slipway itself makes per command. Pulumi is the stand-in CLI
// with scripted latencies (each command measures itself); Heroku is the fake, each of slipway's
// requests delayed by a scripted latency. Overhead = wall time - the CLI's time - Heroku's
// scripted time: the Automation API, process starts, slipway's own work. Target: at most 10 s.
import { performance } from "node:perf_hooks";
import { Faults } from "../test/heroku/fake";
import { reviewDown } from "../operations/review/down";
import { reviewList } from "../operations/review/list";
import { readReviewProfile, reviewStackConfig } from "../operations/review/profile";
import { openSession, ReviewContext } from "../operations/review/session";
import { reviewWorld, ReviewWorld, slipwayRequests } from "../test/support/review";

/** Scripted latency of each Heroku request. */
export const HEROKU_LATENCY_MS = 150;
/** Scripted latencies of the CLI's commands (a real `up` or `destroy` of a review stack takes minutes). */
export const PULUMI_LATENCY_MS = { up: 3000, destroy: 2000, default: 100 };
export const OVERHEAD_TARGET_MS = 10_000;

export interface ReviewBenchLine {
  readonly command: string;
  readonly totalMs: number;
  /** Time inside the CLI, as the stand-in measured each command. */
  readonly pulumiMs: number;
  readonly cliCommands: number;
  /** Scripted Heroku time of slipway's own requests. */
  readonly herokuMs: number;
  readonly overheadMs: number;
  /** slipway's Platform API requests (the program's, made inside the CLI, not counted). */
  readonly herokuRequests: readonly string[];
}

async function measure(
  world: ReviewWorld,
  command: string,
  run: () => Promise<unknown>,
): Promise<ReviewBenchLine> {
  world.clear();
  world.fake.clearRequests();
  world.fake.fault("* *", ...Array.from({ length: 200 }, () => Faults.delay(HEROKU_LATENCY_MS)));
  const started = performance.now();
  await run();
  const totalMs = performance.now() - started;
  const ran = world.ran();
  const pulumiMs = ran.reduce((sum, r) => sum + r.ms, 0);
  const herokuRequests = slipwayRequests(world.fake);
  const herokuMs = herokuRequests.length * HEROKU_LATENCY_MS;
  return {
    command,
    totalMs,
    pulumiMs,
    cliCommands: ran.length,
    herokuMs,
    overheadMs: totalMs - pulumiMs - herokuMs,
    herokuRequests,
  };
}

export async function benchReview(): Promise<ReviewBenchLine[]> {
  const world = await reviewWorld();
  try {
    world.scenario({ latencyMs: PULUMI_LATENCY_MS });
    const context: ReviewContext = { dir: world.dir, env: world.env, home: world.env.HOME };
    const app = "acme-web-pr-42";
    // The stack `down` removes, brought up first (not timed: `review up` is timed on its own).
    const session = await openSession(context);
    await session.stacks.up(
      "review-bench-aaaaaa",
      reviewStackConfig(readReviewProfile(world.dir), app),
    );
    const lines = [
      await measure(world, "review list", () => reviewList(context)),
      await measure(world, "review down", () =>
        reviewDown(context, { stack: "review-bench-aaaaaa" }),
      ),
    ];
    return lines;
  } finally {
    await world.close();
  }
}

export function describeLine(line: ReviewBenchLine): string {
  const verdict =
    line.overheadMs <= OVERHEAD_TARGET_MS ? "ok" : `over the target of ${OVERHEAD_TARGET_MS} ms`;
  return (
    `bench ${line.command}: ${line.totalMs.toFixed(0)} ms, of which pulumi ${line.pulumiMs.toFixed(0)} ms ` +
    `(${line.cliCommands} CLI commands) and heroku ${line.herokuMs} ms; slipway's overhead ` +
    `${line.overheadMs.toFixed(0)} ms (${verdict}); heroku requests by slipway: ${line.herokuRequests.length}` +
    (line.herokuRequests.length > 0 ? ` (${line.herokuRequests.join(", ")})` : "")
  );
}
