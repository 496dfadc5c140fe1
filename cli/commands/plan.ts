// `slipway plan`: the stacks run offline under the mock runtime, the policy pack's verdict.
import * as fs from "node:fs";
import * as path from "node:path";
import { SlipwayError } from "../../errors";
import { oneOf, parseFlags } from "../args";
import type { Command } from "../command";
import { EXIT } from "../exit-codes";
import { findProjectDir } from "../project";
import { FORMATS } from "../plan/render";

export const planCommand: Command = {
  name: "plan",
  summary: "run the stacks offline under the Pulumi mock runtime and check the policy pack",
  options: [
    "--stack NAME       a stack to plan (repeatable; default: every Pulumi.<stack>.yaml)",
    "--config FILE      a stack config file instead of Pulumi.<stack>.yaml (one stack)",
    "--format FORMAT    text (default), json or markdown",
    "--policy-config F  policy pack config (as pulumi preview --policy-pack-config takes it)",
    "--dir DIR          the project folder (default: the current folder)",
  ],
  exitCodes: "0 no mandatory violation, 1 a mandatory violation, 2 bad input, 3 internal error",
  async run(args, { io, cwd }) {
    const { values } = parseFlags("plan", args, {
      stack: { type: "string", multiple: true },
      config: { type: "string" },
      format: { type: "string", default: "text" },
      "policy-config": { type: "string" },
      dir: { type: "string" },
    });
    const format = oneOf("--format", values.format, FORMATS, "json");
    // Loaded here, not at the top: `slipway --help` and the other commands need none of it.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { pack } = require("../../policy/policies") as typeof import("../../policy/policies");
    const { exitCodeFor, plan } = require("../plan") as typeof import("../plan");
    const { createEvaluator, readPolicyConfig } =
      require("../plan/policy") as typeof import("../plan/policy");
    const { render, warningLines } = require("../plan/render") as typeof import("../plan/render");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const policyConfigFile = values["policy-config"];
    const evaluate = createEvaluator(
      pack,
      policyConfigFile ? readPolicyConfig(policyConfigFile) : {},
      policyConfigFile ? `--policy-config ${policyConfigFile}` : undefined,
    );
    const configFile = values.config === undefined ? undefined : stackFile(cwd, values.config);
    const plans = await plan({
      dir: findProjectDir(cwd, values.dir),
      stacks: values.stack,
      configFile,
      evaluate,
    });
    io.stderr(warningLines(plans, format));
    io.stdout(render(plans, format));
    return exitCodeFor(plans) === 0 ? EXIT.ok : EXIT.refused;
  },
};

/** `--config`: a file, resolved from where the command runs. */
function stackFile(cwd: string, file: string): string {
  const resolved = path.resolve(cwd, file);
  if (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory()) {
    throw SlipwayError.of(
      "--config",
      `got ${JSON.stringify(file)}, which is a folder. Allowed: a stack config file. Fix: --config ${path.join(file, "Pulumi.<stack>.yaml")}.`,
    );
  }
  return resolved;
}
