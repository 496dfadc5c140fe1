// The promote benchmark (`npm run bench`) runs a promotion that fails its health check and rolls
// back, against the fakes; its split of the wall time and its two figures are checked here, not
// the times themselves.
import { benchPromote, DEFAULT_PROMOTE_SCENARIO } from "../../bench/promote";
import { isolateHerokuEnv } from "../heroku/support";

isolateHerokuEnv();

test("a rollback is measured from the failed verdict; Heroku's share is every scripted wait", async () => {
  const lines: string[] = [];
  const scenario = {
    ...DEFAULT_PROMOTE_SCENARIO,
    pollIntervalMs: 20,
    lineDelayMs: 1,
    webLatencyMs: 2,
  };
  const bench = await benchPromote((line) => lines.push(line), scenario);
  expect(bench.outcome).toBe("rolled-back");
  expect(bench.streamsMs).toBe(5);
  expect(bench.herokuMs).toBe(bench.pollWaitsMs + bench.streamsMs + bench.answersMs);
  expect(bench.orchestrationMs).toBe(bench.wallMs - bench.herokuMs);
  // Staging's three probes and at least one of the failing check's, 2 ms each.
  expect(bench.answersMs).toBeGreaterThanOrEqual((3 + 1) * 2);
  expect(bench.answersMs % 2).toBe(0);
  expect(bench.verdictToRollbackMs).toBeGreaterThan(0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^bench promote: rolled-back in \d+\.\d\d s; failed health verdict to rollback request \d+\.\d ms \(target <= one poll interval, 20 ms: (ok|over)\); Heroku's scripted time \d+\.\d\d s \(poll waits \d+\.\d\d s, release phase stream 0\.01 s, health answers \d+\.\d\d s\); orchestration -?\d+\.\d\d s \(target <= 10\.00 s: (ok|over the target)\)$/,
  );
}, 60_000);
