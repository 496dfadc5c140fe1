// `slipway deploy` as a function (review up calls it too): builds one commit of the application on
// one app through the Platform API and watches it go live. The steps: the tarball of the commit's
// tracked files, a source to upload it to, the build (its output streamed), the release it makes
// (its release phase streamed and waited for), then the health check. The result says what
// happened, what state the app is left in and whether a person must act; nothing here prints.
import { HerokuClient } from "../heroku/client";
import {
  createBuild,
  currentRelease,
  getApp,
  HerokuBuild,
  HerokuRelease,
  ReleaseRef,
  releaseRef,
} from "../heroku/delivery";
import { uploadNewSource } from "../heroku/upload";
import { Clock, realClock } from "./clock";
import {
  describeFailure,
  mayHaveHappened,
  preflightProblem,
  Summary,
  summarize,
} from "./deploy-report";
import { checkHealth, HealthVerdict } from "./health";
import { ignoreProgress, ProgressListener } from "./progress";
import { resolveCommit, sourceTarball } from "./source-tarball";
import {
  DEFAULT_BUILD_TIMEOUT_MS,
  DEFAULT_RELEASE_TIMEOUT_MS,
  watchBuild,
  watchRelease,
} from "./watch";

export interface DeployRequest {
  /** The stack deployed (`staging`, `review-<slug>`), for the report. */
  readonly stack: string;
  /** The Heroku app, as the stack file or the review stack names it. */
  readonly app: string;
  /** The commit to build: a SHA (or an abbreviation) of the repository at `sourceDir`. */
  readonly sha: string;
  /** The application's git checkout. */
  readonly sourceDir: string;
  /** `slipway:app.healthCheckPath`. */
  readonly healthCheckPath: string;
  readonly pollIntervalMs: number;
  readonly healthWindowMs: number;
  readonly healthChecks: number;
  /** @default DEFAULT_BUILD_TIMEOUT_MS (30 minutes) */
  readonly buildTimeoutMs?: number;
  /** @default DEFAULT_RELEASE_TIMEOUT_MS (65 minutes) */
  readonly releaseTimeoutMs?: number;
}

export interface DeployDeps {
  /** The Platform API client, made with the same clock. */
  readonly client: HerokuClient;
  /** @default the real clock */
  readonly clock?: Clock;
  readonly progress?: ProgressListener;
  /** Whether slipway runs in CI (no person to answer a prompt): shapes the two-factor advice. */
  readonly ci?: boolean;
  /** How health probes reach the app's web URL. @default the global fetch */
  readonly fetch?: typeof fetch;
}

/** The steps, in order; `failedStep` names one of them. */
export type DeployStep = "source" | "upload" | "build" | "release" | "health";

export interface DeployTimings {
  /** Milliseconds of each step reached; the whole deploy in `totalMs`. */
  readonly sourceMs: number | null;
  readonly uploadMs: number | null;
  readonly buildMs: number | null;
  readonly releaseMs: number | null;
  readonly healthMs: number | null;
  readonly totalMs: number;
}

export interface DeployResult extends Summary {
  readonly outcome: "deployed" | "failed";
  readonly stack: string;
  readonly app: string;
  /** The full SHA built. */
  readonly sha: string;
  readonly failedStep: DeployStep | null;
  readonly buildId: string | null;
  /** The release the build made (live when deployed). */
  readonly release: ReleaseRef | null;
  /** The release the app ran before. */
  readonly previousRelease: ReleaseRef | null;
  readonly webUrl: string | null;
  readonly health: HealthVerdict | null;
  readonly timings: DeployTimings;
}

/** Deploys `request.sha` to `request.app`. Bad input rejects with a `SlipwayError`. */
export async function deploy(request: DeployRequest, deps: DeployDeps): Promise<DeployResult> {
  const clock = deps.clock ?? realClock;
  const progress = deps.progress ?? ignoreProgress;
  const start = clock.now();
  const times: Record<DeployStep, number | null> = {
    source: null,
    upload: null,
    build: null,
    release: null,
    health: null,
  };
  const timed = async <T>(step: DeployStep, work: () => Promise<T>): Promise<T> => {
    const began = clock.now();
    try {
      return await work();
    } finally {
      times[step] = clock.now() - began;
    }
  };

  const sha = await resolveCommit(request.sourceDir, request.sha);
  const facts = {
    stack: request.stack,
    app: request.app,
    sha,
    buildId: null as string | null,
    release: null as ReleaseRef | null,
    previousRelease: null as ReleaseRef | null,
    webUrl: null as string | null,
    health: null as HealthVerdict | null,
  };
  const finish = (failedStep: DeployStep | null, summary: Summary): DeployResult => ({
    outcome: failedStep === null ? "deployed" : "failed",
    ...facts,
    failedStep,
    ...summary,
    timings: {
      sourceMs: times.source,
      uploadMs: times.upload,
      buildMs: times.build,
      releaseMs: times.release,
      healthMs: times.health,
      totalMs: clock.now() - start,
    },
  });
  const failed = (step: DeployStep, error: unknown, started: boolean) =>
    finish(step, describeFailure(step, error, { ...facts, started, ci: deps.ci === true }));

  // Source: the tarball, and what the app looks like now (its web URL, the release it runs).
  let tarball: Buffer;
  try {
    tarball = await timed("source", async () => {
      const bytes = await sourceTarball(request.sourceDir, sha);
      const app = await getApp(deps.client, request.app);
      facts.webUrl = app.web_url;
      const current = await currentRelease(deps.client, request.app);
      facts.previousRelease = current ? releaseRef(current) : null;
      return bytes;
    });
  } catch (error) {
    preflightProblem(error, request.app);
    return failed("source", error, false);
  }
  progress({
    step: "source",
    message: `${sha.slice(0, 12)}: ${kib(tarball.length)} of tracked files; ${request.app} runs ${
      facts.previousRelease ? `v${facts.previousRelease.version}` : "no release yet"
    }`,
  });

  // Upload: a new source, the tarball PUT to it.
  let getUrl: string;
  try {
    getUrl = await timed("upload", async () => {
      const uploaded = await uploadNewSource(deps.client, tarball, {
        sleep: (ms) => clock.sleep(ms),
        now: () => clock.now(),
      });
      return uploaded.getUrl;
    });
  } catch (error) {
    return failed("upload", error, false);
  }
  progress({ step: "upload", message: `uploaded ${kib(tarball.length)}` });

  // Build: sent once, adopted after an uncertain answer, followed to its end.
  const watch = { client: deps.client, clock, progress };
  let build: HerokuBuild;
  try {
    build = await timed("build", async () => {
      const created = await createBuild(deps.client, request.app, { url: getUrl, version: sha });
      facts.buildId = created.build.id;
      progress({
        step: "build",
        message: `${created.adopted ? "found the build" : "build"} ${created.build.id} of ${sha.slice(0, 12)} on ${request.app}`,
      });
      return watchBuild(
        request.app,
        created.build,
        {
          pollIntervalMs: request.pollIntervalMs,
          timeoutMs: request.buildTimeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS,
        },
        watch,
      );
    });
  } catch (error) {
    return failed("build", error, facts.buildId !== null || mayHaveHappened(error));
  }
  if (build.status === "failed") return finish("build", summarize.buildFailed(facts));
  progress({ step: "build", message: `build ${build.id} succeeded` });

  // Release: the one the build made, with its release phase.
  let release: HerokuRelease;
  try {
    release = await timed("release", () =>
      watchRelease(
        request.app,
        build.release!.id,
        {
          pollIntervalMs: request.pollIntervalMs,
          timeoutMs: request.releaseTimeoutMs ?? DEFAULT_RELEASE_TIMEOUT_MS,
        },
        watch,
      ),
    );
  } catch (error) {
    return failed("release", error, true);
  }
  facts.release = releaseRef(release);
  if (release.status !== "succeeded")
    return finish("release", summarize.releaseFailed(facts, release.status));
  progress({ step: "release", message: `v${release.version} released` });

  // Health: the new release serving, then N consecutive 200s.
  if (facts.webUrl === null) return finish("health", summarize.noWebUrl(facts));
  let verdict: HealthVerdict;
  try {
    verdict = await timed("health", () =>
      checkHealth(
        {
          app: request.app,
          release: facts.release!,
          webUrl: facts.webUrl!,
          path: request.healthCheckPath,
          windowMs: request.healthWindowMs,
          checks: request.healthChecks,
          intervalMs: request.pollIntervalMs,
        },
        { ...watch, fetch: deps.fetch },
      ),
    );
  } catch (error) {
    return failed("health", error, true);
  }
  facts.health = verdict;
  if (!verdict.passed) return finish("health", summarize.unhealthy(facts, verdict));
  return finish(null, summarize.deployed(facts, verdict));
}

function kib(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}
