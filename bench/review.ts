// `npm run bench`: what slipway's review commands add on top of Pulumi's and Heroku's own time,
// and how many Platform API requests slipway itself makes per command. Pulumi is the stand-in CLI
// with scripted latencies (each command measures itself); Heroku is the fake, each of slipway's
// requests delayed by a scripted latency. Overhead = wall time - the CLI's time - Heroku's
// scripted time: the Automation API, process starts, slipway's own work. Target: at most 10 s.
import { performance } from "node:perf_hooks";
import { Faults } from "../test/heroku/fake";
import type { Clock } from "../operations/clock";
import { reviewDown } from "../operations/review/down";
import { reviewList } from "../operations/review/list";
import { ReviewContext } from "../operations/review/session";
import { reviewUp } from "../operations/review/up";
import { gitRepo } from "../test/operations/git-repo";
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
  /** Scripted Heroku time of slipway's own requests, and the waits between its polls. */
  readonly herokuMs: number;
  readonly overheadMs: number;
  /** slipway's Platform API requests (the program's, made inside the CLI, not counted). */
  readonly herokuRequests: readonly string[];
}

/**
 * A clock whose waits between polls pass at once and are counted as Heroku's time: the fake
 * answers at once, so a real wait would only add a figure to subtract again.
 */
function countingClock(): Clock & { waitedMs: number } {
  const clock = {
    waitedMs: 0,
    now: () => performance.now() + clock.waitedMs,
    sleep: (ms: number) => {
      clock.waitedMs += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

async function measure(
  world: ReviewWorld,
  command: string,
  run: (clock: Clock) => Promise<unknown>,
): Promise<ReviewBenchLine> {
  world.clear();
  world.fake.clearRequests();
  const clock = countingClock();
  world.fake.fault("* *", ...Array.from({ length: 200 }, () => Faults.delay(HEROKU_LATENCY_MS)));
  const started = performance.now();
  await run(clock);
  const totalMs = performance.now() - started + clock.waitedMs;
  const ran = world.ran();
  const pulumiMs = ran.reduce((sum, r) => sum + r.ms, 0);
  const herokuRequests = slipwayRequests(world.fake);
  const herokuMs = herokuRequests.length * HEROKU_LATENCY_MS + clock.waitedMs;
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
    const context = (clock: Clock): ReviewContext => ({
      dir: world.dir,
      env: world.env,
      home: world.env.HOME,
      clock,
      fetch: world.fake.webFetch,
    });
    const repo = gitRepo({
      Procfile: "web: npm start\n",
      "app.json": JSON.stringify({ scripts: { postdeploy: "npm run seed" } }),
    });
    const up = (sha: string) => (clock: Clock) =>
      reviewUp(context(clock), { branch: "bench", pr: 42, sha, sourceDir: repo.dir }).then((r) => {
        if (r.outcome !== "deployed") throw new Error(`review up ${r.outcome}: ${r.summary}`);
      });
    const first = await measure(
      world,
      "review up (first: stack created, postdeploy)",
      up(repo.sha),
    );
    const next = repo.commit({ "index.js": "console.log('next')\n" });
    const lines = [
      first,
      await measure(world, "review up (a later push)", up(next)),
      await measure(world, "review list", (clock) => reviewList(context(clock))),
      await measure(world, "review down", (clock) =>
        reviewDown(context(clock), { branch: "bench" }),
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
