// `slipway plan` against its floor: a node process that only loads @pulumi/pulumi, @pulumi/aws
// and @pulumi/github and sets the mock runtime. Both measured here, in the same run, as the
// median of several runs, so the ratio holds on any machine. Target: ratio at most 2.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const FLOOR_SCRIPT = `
const pulumi = require("@pulumi/pulumi");
require("@pulumi/aws");
require("@pulumi/github");
pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs }, "slipway", "floor");
`;

export interface PlanBenchResult {
  stack: string;
  /** Median of warm runs (the transpiled sources cached, as on every run after the first). */
  planMs: number;
  /** The first run after a source change: every file transpiled. */
  coldMs: number;
  floorMs: number;
  ratio: number;
}

/** Where bin/slipway.js caches transpiled sources. */
const TRANSPILE_CACHE = path.join(ROOT, "node_modules", ".cache", "slipway-ts");

/** `showWarnings`: the first run of a stack prints its warnings; repeats would print them again. */
function timeMs(args: string[], showWarnings = false): number {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", "ignore", showWarnings ? "inherit" : "ignore"],
  });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function benchPlan(stacks: readonly string[], runs = 5): PlanBenchResult[] {
  const floor = median(Array.from({ length: runs }, () => timeMs(["-e", FLOOR_SCRIPT])));
  return stacks.map((stack) => {
    const args = ["bin/slipway.js", "plan", "--stack", stack, "--format", "json"];
    fs.rmSync(TRANSPILE_CACHE, { recursive: true, force: true });
    const cold = timeMs(args, true);
    const plan = median(Array.from({ length: runs }, () => timeMs(args)));
    return { stack, planMs: plan, coldMs: cold, floorMs: floor, ratio: plan / floor };
  });
}

export interface ConfigVarsBenchResult {
  /** Config vars added to the staging stack, and the median plan time with them. */
  readonly points: readonly { vars: number; ms: number }[];
  /** Milliseconds per 1,000 vars over the first step and over the last. */
  readonly firstStepPerThousand: number;
  readonly lastStepPerThousand: number;
  /** The last step's cost per var over the first's: 1 when plan time grows linearly. */
  readonly growth: number;
}

/**
 * Plan time against the number of config vars: the staging stack with `counts` vars added
 * (short names and values, so the largest count stays under Heroku's 32 kB limit), each planned
 * from its own file. Linear growth keeps the cost per var of the last step near the first's.
 */
export function benchConfigVars(counts = [0, 1000, 4000], runs = 5): ConfigVarsBenchResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-bench-vars-"));
  const staging = fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8");
  try {
    const files = counts.map((vars) => {
      const added = Array.from({ length: vars }, (_, i) => `      V${i}: x\n`).join("");
      const file = path.join(dir, `Pulumi.staging-${vars}.yaml`);
      fs.writeFileSync(
        file,
        staging.replace(/^ {4}configVars:\n/m, (line) => line + added),
      );
      return ["bin/slipway.js", "plan", "--stack", "staging", "--config", file];
    });
    timeMs(files[0]!); // the transpile cache, warm for every count
    // Taken in turns, so a change in the machine's load falls on every count alike.
    const times = files.map((): number[] => []);
    for (let run = 0; run < runs; run++) files.forEach((args, i) => times[i]!.push(timeMs(args)));
    const points = counts.map((vars, i) => ({ vars, ms: median(times[i]!) }));
    const perThousand = (a: { vars: number; ms: number }, b: { vars: number; ms: number }) =>
      ((b.ms - a.ms) / (b.vars - a.vars)) * 1000;
    const firstStep = perThousand(points[0]!, points[1]!);
    const lastStep = perThousand(points.at(-2)!, points.at(-1)!);
    return {
      points,
      firstStepPerThousand: firstStep,
      lastStepPerThousand: lastStep,
      growth: lastStep / firstStep,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
