// `npm run bench`: what `slipway deploy` adds to Heroku's own time. A whole deploy (a real git
// tarball, upload, build, release phase, preboot, health check) runs against the fake with
// scripted latencies: output streams that write a line every few milliseconds, polls that find
// the build and release pending, old dynos that linger, web answers that take a while. Heroku's
// time is what the script imposes (every wait between polls, every scripted delay); the rest of
// the wall time is slipway's orchestration (and the fake's own work, so the figure is an upper
// bound). Target: at most 10 s.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HerokuClient } from "../heroku/client";
import { realClock } from "../operations/clock";
import { deploy } from "../operations/deploy";
import { startFakeHeroku } from "../test/heroku/fake";

export const ORCHESTRATION_TARGET_MS = 10_000;

export interface DeployScenario {
  readonly pollIntervalMs: number;
  readonly buildPolls: number;
  readonly buildLines: number;
  readonly releasePhasePolls: number;
  readonly releaseLines: number;
  readonly lineDelayMs: number;
  readonly prebootPolls: number;
  readonly healthChecks: number;
  readonly webLatencyMs: number;
}

/** Sizes that keep the run near two seconds while every step waits on Heroku at least once. */
export const DEFAULT_SCENARIO: DeployScenario = {
  pollIntervalMs: 200,
  buildPolls: 2,
  buildLines: 20,
  releasePhasePolls: 1,
  releaseLines: 5,
  lineDelayMs: 20,
  prebootPolls: 2,
  healthChecks: 3,
  webLatencyMs: 25,
};

export interface DeployBench {
  readonly outcome: string;
  readonly wallMs: number;
  /** What the script imposed: the waits between polls, the streams' and answers' delays. */
  readonly herokuMs: number;
  readonly pollWaitsMs: number;
  readonly streamsMs: number;
  readonly answersMs: number;
  readonly orchestrationMs: number;
}

export async function benchDeploy(
  print: (line: string) => void = console.log,
  scenario: DeployScenario = DEFAULT_SCENARIO,
): Promise<DeployBench> {
  const fake = await startFakeHeroku({ precompile: true });
  const app = "acme-web-staging";
  try {
    const env = { HEROKU_API_KEY: fake.token, HEROKU_API_URL: fake.url };
    const setup = new HerokuClient({ env });
    await setup.post("/apps", { name: app });
    await setup.patch(`/apps/${app}/features/runtime-dyno-metadata`, { enabled: true });
    const repo = sourceRepo();
    // A first deploy, unmeasured, gives the app a release for preboot to keep serving.
    await deploy(request(app, repo, scenario), { client: setup, fetch: fake.webFetch });
    const lines = (n: number, what: string) =>
      Array.from({ length: n }, (_, i) => `${what} ${i + 1}`);
    fake.delivery.script(app, {
      build: {
        polls: scenario.buildPolls,
        lines: lines(scenario.buildLines, "build"),
        lineDelayMs: scenario.lineDelayMs,
      },
      releasePhase: {
        polls: scenario.releasePhasePolls,
        lines: lines(scenario.releaseLines, "migration"),
        lineDelayMs: scenario.lineDelayMs,
      },
      rollout: { oldPolls: scenario.prebootPolls, startingPolls: 0 },
    });
    fake.delivery.answerWeb(
      app,
      ...Array.from({ length: scenario.healthChecks }, () => ({
        status: 200,
        latencyMs: scenario.webLatencyMs,
      })),
    );
    let pollWaitsMs = 0;
    const clock = {
      now: realClock.now,
      sleep: (ms: number) => {
        pollWaitsMs += ms;
        return realClock.sleep(ms);
      },
    };
    const client = new HerokuClient({ env, now: clock.now, sleep: clock.sleep });
    const start = performance.now();
    const result = await deploy(request(app, repo, scenario), {
      client,
      clock,
      fetch: fake.webFetch,
    });
    const wallMs = performance.now() - start;
    const streamsMs = (scenario.buildLines + scenario.releaseLines) * scenario.lineDelayMs;
    const answersMs = scenario.healthChecks * scenario.webLatencyMs;
    const herokuMs = pollWaitsMs + streamsMs + answersMs;
    const bench = {
      outcome: result.outcome,
      wallMs,
      herokuMs,
      pollWaitsMs,
      streamsMs,
      answersMs,
      orchestrationMs: wallMs - herokuMs,
    };
    const verdict = bench.orchestrationMs <= ORCHESTRATION_TARGET_MS ? "ok" : "over the target";
    print(
      `bench deploy: ${result.outcome} in ${seconds(wallMs)}, of which Heroku's scripted time ` +
        `${seconds(herokuMs)} (poll waits ${seconds(pollWaitsMs)}, output streams ${seconds(streamsMs)}, ` +
        `health answers ${seconds(answersMs)}); orchestration ${seconds(bench.orchestrationMs)} ` +
        `(target <= ${seconds(ORCHESTRATION_TARGET_MS)}: ${verdict})`,
    );
    return bench;
  } finally {
    await fake.close();
  }
}

function request(app: string, repo: { dir: string; sha: string }, scenario: DeployScenario) {
  return {
    stack: "staging",
    app,
    sha: repo.sha,
    sourceDir: repo.dir,
    healthCheckPath: "/health",
    pollIntervalMs: scenario.pollIntervalMs,
    healthWindowMs: 60_000,
    healthChecks: scenario.healthChecks,
  };
}

/** A small application repository: a few files in one commit. */
function sourceRepo(): { dir: string; sha: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-bench-"));
  for (const [file, text] of Object.entries({
    "package.json": '{"name":"acme-web","scripts":{"start":"node index.js"}}\n',
    "index.js":
      "require('node:http').createServer((_, res) => res.end('ok')).listen(process.env.PORT);\n",
    Procfile: "web: npm start\nrelease: npm run migrate\n",
  })) {
    fs.writeFileSync(path.join(dir, file), text);
  }
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "bench",
    GIT_AUTHOR_EMAIL: "bench@example.com",
    GIT_COMMITTER_NAME: "bench",
    GIT_COMMITTER_EMAIL: "bench@example.com",
  };
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", env });
  git("init", "--quiet");
  git("add", "--all");
  git("commit", "--quiet", "--no-gpg-sign", "-m", "bench");
  return { dir, sha: git("rev-parse", "HEAD").trim() };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
