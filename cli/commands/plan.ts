// `slipway plan`: the stacks run offline under the mock runtime, the policy pack's verdict.
import * as path from "node:path";
import { pack } from "../../policy/policies";
import { oneOf, parseFlags } from "../args";
import type { Command } from "../command";
import { EXIT } from "../exit-codes";
import { exitCodeFor, plan } from "../plan";
import { createEvaluator, readPolicyConfig } from "../plan/policy";
import { FORMATS, render } from "../plan/render";

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
    const policyConfigFile = values["policy-config"];
    const evaluate = createEvaluator(
      pack,
      policyConfigFile ? readPolicyConfig(policyConfigFile) : {},
    );
    const plans = await plan({
      dir: path.resolve(cwd, values.dir ?? "."),
      stacks: values.stack,
      configFile: values.config ? path.resolve(cwd, values.config) : undefined,
      evaluate,
    });
    io.stdout(render(plans, format));
    return exitCodeFor(plans) === 0 ? EXIT.ok : EXIT.refused;
  },
};
