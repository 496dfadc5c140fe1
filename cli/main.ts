// The `slipway` command. Exit codes: 0 fine, 1 a mandatory policy violation, 2 bad input,
// 3 slipway itself failed (a bug: the stack trace is printed).
import * as path from "node:path";
import { parseArgs } from "node:util";
import { SlipwayError } from "../errors";
import { pack } from "../policy/policies";
import { exitCodeFor, plan } from "./plan";
import { createEvaluator, readPolicyConfig } from "./plan/policy";
import { FORMATS, Format, render } from "./plan/render";

export const USAGE = `usage: slipway <command> [options]

commands:
  plan      run the stacks offline under the Pulumi mock runtime and check the policy pack
            --stack NAME       a stack to plan (repeatable; default: every Pulumi.<stack>.yaml)
            --config FILE      a stack config file instead of Pulumi.<stack>.yaml (one stack)
            --format FORMAT    text (default), json or markdown
            --policy-config F  policy pack config (as pulumi preview --policy-pack-config takes it)
            --dir DIR          the project folder (default: the current folder)

exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 bad input, 3 internal error
`;

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case "plan":
        return await planCommand(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw SlipwayError.of(
          "command",
          `unknown command ${JSON.stringify(command)}. Allowed: plan. Fix: run \`slipway --help\`.`,
        );
    }
  } catch (error) {
    if (SlipwayError.isInstance(error)) {
      io.stderr(`slipway: ${error.message}\n`);
      return 2;
    }
    io.stderr(
      `slipway: internal error (a bug in slipway, please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 3;
  }
}

async function planCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, {
    stack: { type: "string", multiple: true },
    config: { type: "string" },
    format: { type: "string", default: "text" },
    "policy-config": { type: "string" },
    dir: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const format = values.format as string;
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw SlipwayError.of(
      "--format",
      `got ${JSON.stringify(format)}. Allowed: ${FORMATS.join(", ")}. Fix: --format json`,
    );
  }
  const policyConfigFile = values["policy-config"] as string | undefined;
  const evaluate = createEvaluator(
    pack,
    policyConfigFile ? readPolicyConfig(policyConfigFile) : {},
  );
  const dir = path.resolve((values.dir as string | undefined) ?? process.cwd());
  const plans = await plan({
    dir,
    stacks: values.stack as string[] | undefined,
    configFile: values.config ? path.resolve(values.config as string) : undefined,
    evaluate,
  });
  io.stdout(render(plans, format as Format));
  return exitCodeFor(plans);
}

type FlagSpec = Record<
  string,
  { type: "string" | "boolean"; multiple?: boolean; default?: string; short?: string }
>;

function parseFlags(args: readonly string[], options: FlagSpec) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: false, strict: true });
  } catch (error) {
    // Node's parse errors are TypeErrors with a code; their message is what the user needs.
    const message = (error as { message?: string }).message ?? String(error);
    throw SlipwayError.of(
      "arguments",
      `${message.replace(/\.$/, "")}. Allowed: ${Object.keys(options)
        .map((o) => `--${o}`)
        .join(", ")}. Fix: run \`slipway plan --help\`.`,
    );
  }
}
