// `slipway plan` against its floor: a node process that only loads @pulumi/pulumi, @pulumi/aws
// and @pulumi/github and sets the mock runtime. Both measured here, in the same run, as the
// median of several runs, so the ratio holds on any machine. Target: ratio at most 2.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
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
