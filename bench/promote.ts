// `npm run bench`: two figures of `slipway promote` against the fakes (Heroku, GitHub, RDS) with
// scripted latencies, in one run that fails production's health check and rolls back:
// - the time from the failed health verdict (the last probe of the failed check) to the
//   rollback request leaving slipway; target: within one poll interval;
// - what promote adds to Heroku's own time: the wall time minus every wait the script imposes
//   (poll waits, output stream lines, web answers); target: at most 10 s. GitHub's and RDS's
//   answers and the fakes' own work count as slipway's, so the figure is an upper bound.
import { createRdsClient } from "../operations/aws/rds";
import { realClock } from "../operations/clock";
import { createGithubClient } from "../operations/github/client";
import { promote } from "../operations/promote";
import { HerokuClient, HttpMethod, RequestOptions } from "../heroku/client";
import { FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY, startFakeRds } from "../test/aws/rds-fake";
import { startFakeGithub } from "../test/github/fake";
import { startFakeHeroku } from "../test/heroku/fake";
import { PRODUCTION, REQUEST, setUpPromotion, STAGING } from "../test/operations/promote-fixture";
import { ORCHESTRATION_TARGET_MS } from "./deploy";

export interface PromoteScenario {
  readonly pollIntervalMs: number;
  readonly promotionPolls: number;
  readonly releasePhasePolls: number;
  readonly releaseLines: number;
  readonly lineDelayMs: number;
  readonly prebootPolls: number;
  readonly healthChecks: number;
  readonly healthWindowMs: number;
  readonly webLatencyMs: number;
}

/** Sizes that keep the run near four seconds while every step waits on Heroku at least once. */
export const DEFAULT_PROMOTE_SCENARIO: PromoteScenario = {
  pollIntervalMs: 200,
  promotionPolls: 2,
  releasePhasePolls: 1,
  releaseLines: 5,
  lineDelayMs: 20,
  prebootPolls: 2,
  healthChecks: 3,
  healthWindowMs: 1_000,
  webLatencyMs: 25,
};

export interface PromoteBench {
  readonly outcome: string;
  readonly wallMs: number;
  /** From the failed verdict's last probe to the rollback request. */
  readonly verdictToRollbackMs: number;
  readonly herokuMs: number;
  readonly pollWaitsMs: number;
  readonly streamsMs: number;
  readonly answersMs: number;
  readonly orchestrationMs: number;
}

/** A client that notes when the rollback request (POST of a release) is sent. */
class TimedClient extends HerokuClient {
  rollbackSentAt: number | undefined;

  override request<T>(method: HttpMethod, path: string, options?: RequestOptions) {
    if (method === "POST" && path === `/apps/${PRODUCTION}/releases`) {
      this.rollbackSentAt ??= performance.now();
    }
    return super.request<T>(method, path, options);
  }
}

export async function benchPromote(
  print: (line: string) => void = console.log,
  scenario: PromoteScenario = DEFAULT_PROMOTE_SCENARIO,
): Promise<PromoteBench> {
  const heroku = await startFakeHeroku({ precompile: true });
  const github = await startFakeGithub();
  const rds = await startFakeRds();
  try {
    const env = {
      HEROKU_API_KEY: heroku.token,
      HEROKU_API_URL: heroku.url,
      GITHUB_TOKEN: github.token,
      GITHUB_API_URL: github.url,
      AWS_ENDPOINT_URL_RDS: rds.url,
      AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: FAKE_SECRET_ACCESS_KEY,
    };
    const setup = new HerokuClient({ env });
    await setup.post("/apps", { name: STAGING });
    await setup.patch(`/apps/${STAGING}/features/runtime-dyno-metadata`, { enabled: true });
    await setUpPromotion(setup, github.repository);
    const web = (n: number) =>
      Array.from({ length: n }, () => ({ status: 200, latencyMs: scenario.webLatencyMs }));
    heroku.delivery.answerWeb(STAGING, ...web(scenario.healthChecks));
    // Production fails every probe of its check; the answers left are dropped when the
    // rollback starts, so the rollback's check finds the old release healthy.
    const failing = Math.ceil(scenario.healthWindowMs / scenario.pollIntervalMs) + 1;
    heroku.delivery.answerWeb(
      PRODUCTION,
      ...Array.from({ length: failing }, () => ({ status: 500, latencyMs: scenario.webLatencyMs })),
    );
    heroku.delivery.script(PRODUCTION, {
      promotion: { polls: scenario.promotionPolls },
      releasePhase: {
        polls: scenario.releasePhasePolls,
        lines: Array.from({ length: scenario.releaseLines }, (_, i) => `migration ${i + 1}`),
        lineDelayMs: scenario.lineDelayMs,
      },
      rollout: { oldPolls: scenario.prebootPolls, startingPolls: 0 },
    });
    let pollWaitsMs = 0;
    const clock = {
      now: realClock.now,
      sleep: (ms: number) => {
        pollWaitsMs += ms;
        return realClock.sleep(ms);
      },
    };
    const client = new TimedClient({ env, now: clock.now, sleep: clock.sleep });
    let lastProbeAt = 0;
    const start = performance.now();
    const result = await promote(
      {
        ...REQUEST,
        pollIntervalMs: scenario.pollIntervalMs,
        healthWindowMs: scenario.healthWindowMs,
        healthChecks: scenario.healthChecks,
      },
      {
        client,
        clock,
        fetch: heroku.webFetch,
        github: () => createGithubClient(env),
        rds: () => createRdsClient("us-east-1", env),
        confirm: () => Promise.resolve(true),
        progress: (event) => {
          if (event.step === "health" && event.message.startsWith("GET /health: 500")) {
            lastProbeAt = performance.now();
          }
          if (event.step === "rollback") {
            while (heroku.delivery.nextWebAnswer(heroku.state.app(PRODUCTION).app.id));
          }
        },
      },
    );
    const wallMs = performance.now() - start;
    const probes = [result.health.staging, result.health.production]
      .map((verdict) => verdict?.probes.length ?? 0)
      .reduce((a, b) => a + b, 0);
    const streamsMs = scenario.releaseLines * scenario.lineDelayMs;
    const answersMs = probes * scenario.webLatencyMs;
    const herokuMs = pollWaitsMs + streamsMs + answersMs;
    const bench: PromoteBench = {
      outcome: result.outcome,
      wallMs,
      verdictToRollbackMs: (client.rollbackSentAt ?? Number.NaN) - lastProbeAt,
      herokuMs,
      pollWaitsMs,
      streamsMs,
      answersMs,
      orchestrationMs: wallMs - herokuMs,
    };
    const rollbackVerdict = bench.verdictToRollbackMs <= scenario.pollIntervalMs ? "ok" : "over";
    const verdict = bench.orchestrationMs <= ORCHESTRATION_TARGET_MS ? "ok" : "over the target";
    print(
      `bench promote: ${result.outcome} in ${seconds(wallMs)}; failed health verdict to rollback ` +
        `request ${bench.verdictToRollbackMs.toFixed(1)} ms (target <= one poll interval, ` +
        `${scenario.pollIntervalMs} ms: ${rollbackVerdict}); Heroku's scripted time ${seconds(herokuMs)} ` +
        `(poll waits ${seconds(pollWaitsMs)}, release phase stream ${seconds(streamsMs)}, health ` +
        `answers ${seconds(answersMs)}); orchestration ${seconds(bench.orchestrationMs)} (target <= ` +
        `${seconds(ORCHESTRATION_TARGET_MS)}: ${verdict})`,
    );
    return bench;
  } finally {
    await heroku.close();
    await github.close();
    await rds.close();
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
