// The deploy benchmark (`npm run bench`) runs a whole deploy against the fake and splits its wall
// time into Heroku's scripted share and slipway's own; the split is checked here, not the times.
import { benchDeploy, DEFAULT_SCENARIO } from "../../bench/deploy";
import { isolateHerokuEnv } from "../heroku/support";

isolateHerokuEnv();

test("Heroku's share is every poll wait and scripted delay; the rest is orchestration", async () => {
  const lines: string[] = [];
  const scenario = { ...DEFAULT_SCENARIO, pollIntervalMs: 10, lineDelayMs: 1, webLatencyMs: 2 };
  const bench = await benchDeploy((line) => lines.push(line), scenario);
  // Waits: the build twice, preboot's old dynos twice, between three probes twice.
  expect(bench).toMatchObject({
    outcome: "deployed",
    pollWaitsMs: 60,
    streamsMs: 25,
    answersMs: 6,
    herokuMs: 91,
  });
  expect(bench.orchestrationMs).toBe(bench.wallMs - 91);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^bench deploy: deployed in \d+\.\d\d s, of which Heroku's scripted time 0\.09 s \(poll waits 0\.06 s, output streams 0\.03 s, health answers 0\.01 s\); orchestration \d+\.\d\d s \(target <= 10\.00 s: (ok|over the target)\)$/,
  );
}, 60_000);
