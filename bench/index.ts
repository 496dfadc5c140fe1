// `npm run bench`: speed targets measured as ratios within one run (never as timed tests).
import { benchDeploy } from "./deploy";
import { benchHeroku } from "./heroku";
import { benchConfigVars, benchPlan } from "./plan";
import { benchReview, describeLine } from "./review";
import { benchPromote } from "./promote";
import { benchProviderText, describeProviderText } from "./provider-text";

function main(): void {
  for (const r of benchPlan(["production", "staging"])) {
    const verdict = r.ratio <= 2 ? "ok" : "over the target of 2";
    console.log(
      `bench plan ${r.stack}: ${r.planMs.toFixed(0)} ms, floor ${r.floorMs.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)} (${verdict}; first run after a change: ${r.coldMs.toFixed(0)} ms)`,
    );
  }
  const vars = benchConfigVars();
  const points = vars.points.map((p) => `${p.vars} vars ${p.ms.toFixed(0)} ms`).join(", ");
  const linear = vars.growth <= 1.5 ? "ok" : "over the target of 1.5";
  console.log(
    `bench plan config vars: ${points}; per 1,000 vars ${vars.firstStepPerThousand.toFixed(0)} ms, then ${vars.lastStepPerThousand.toFixed(0)} ms, growth ${vars.growth.toFixed(2)} (${linear}; 1 is linear)`,
  );
}

main();
benchProviderText()
  .then((r) => console.log(describeProviderText(r)))
  .then(() => benchHeroku())
  .then(() => benchDeploy())
  .then(() => benchPromote())
  .then(() => benchReview())
  .then((lines) => {
    for (const line of lines) console.log(describeLine(line));
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
