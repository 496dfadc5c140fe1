// Following a build and a release to their end: each one's output stream shown as progress log
// lines while it runs, then its status polled every interval until it is final, within a bound.
// Deploy follows both; promote and review follow releases (a promotion's, a rollback's).
import { HerokuClient, herokuPath } from "../heroku/client";
import { getRelease, HerokuBuild, HerokuRelease } from "../heroku/delivery";
import { streamOutput } from "../heroku/output-stream";
import type { Clock } from "./clock";
import { ignoreProgress, ProgressListener } from "./progress";

export interface WatchOptions {
  /** Milliseconds between status polls. */
  readonly pollIntervalMs: number;
  /** Milliseconds the whole watch may take (the stream and the polls). */
  readonly timeoutMs: number;
}

export interface WatchDeps {
  readonly client: HerokuClient;
  readonly clock: Clock;
  readonly progress?: ProgressListener;
}

/** Heroku's limit on a build is well under this; past it the build is taken as lost. */
export const DEFAULT_BUILD_TIMEOUT_MS = 30 * 60_000;
/** Heroku stops a release phase after an hour. */
export const DEFAULT_RELEASE_TIMEOUT_MS = 65 * 60_000;

/**
 * Streams the build's output (step `build`), then polls it until it failed, or succeeded and
 * names its release. Rejects with the client's errors (`HerokuWaitError` past the bound).
 */
export async function watchBuild(
  app: string,
  build: HerokuBuild,
  options: WatchOptions,
  deps: WatchDeps,
): Promise<HerokuBuild> {
  const start = deps.clock.now();
  await follow("build", build.output_stream_url, options.timeoutMs, deps.progress);
  return deps.client.poll<HerokuBuild>(herokuPath`/apps/${app}/builds/${build.id}`, {
    until: (b) => b.status === "failed" || (b.status === "succeeded" && b.release !== null),
    description: `build ${build.id} of ${app}`,
    intervalMs: options.pollIntervalMs,
    timeoutMs: Math.max(0, options.timeoutMs - (deps.clock.now() - start)),
  });
}

/**
 * Follows a release (by id or version) until its release phase ended: streams the phase's output
 * (step `release`) when it has one, then polls until the status is final (`succeeded`, `failed`
 * or `expired`).
 */
export async function watchRelease(
  app: string,
  release: string | number,
  options: WatchOptions,
  deps: WatchDeps,
): Promise<HerokuRelease> {
  const start = deps.clock.now();
  const progress = deps.progress ?? ignoreProgress;
  const first = await getRelease(deps.client, app, release);
  if (first.output_stream_url !== null) {
    // Shown even when the phase has already ended: its output is what a person needs then.
    const state = first.status === "pending" ? "is running" : `ended (${first.status})`;
    progress({ step: "release", message: `v${first.version}: the release phase ${state}` });
    await follow("release", first.output_stream_url, options.timeoutMs, progress);
  } else if (first.status === "pending") {
    await deps.clock.sleep(options.pollIntervalMs);
  }
  if (first.status !== "pending") return first;
  return deps.client.poll<HerokuRelease>(herokuPath`/apps/${app}/releases/${first.id}`, {
    until: (r) => r.status !== "pending",
    description: `release v${first.version} of ${app}`,
    intervalMs: options.pollIntervalMs,
    timeoutMs: Math.max(0, options.timeoutMs - (deps.clock.now() - start)),
  });
}

async function follow(
  step: string,
  url: string,
  timeoutMs: number,
  progress: ProgressListener = ignoreProgress,
): Promise<void> {
  const result = await streamOutput(
    url,
    (line) => progress({ step, message: line, log: true }),
    timeoutMs,
  );
  if (!result.complete) {
    progress({
      step,
      message: `the output stream stopped (${result.problem}); following the status instead`,
    });
  }
}
