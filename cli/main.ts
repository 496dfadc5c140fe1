// The `slipway` command: finds the subcommand, runs it, and turns what went wrong into the shared
// exit codes (cli/exit-codes.ts): bad input is a message and 2, a bug is a stack trace and 3.
import { closest } from "../config/validate";
import { SlipwayError } from "../errors";
import type { Command, CommandContext, Io } from "./command";
import { deployCommand } from "./commands/deploy";
import { planCommand } from "./commands/plan";
import { reviewCommand } from "./commands/review";
import { EXIT } from "./exit-codes";
import { terminalAsk } from "./ask";
import { changesCommand } from "./commands/changes";
import { promoteCommand } from "./commands/promote";

export type { Io } from "./command";

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  planCommand,
  deployCommand,
  changesCommand,
  promoteCommand,
  reviewCommand,
];

const INDENT = " ".repeat(12);

function describe(command: Command): string {
  const head = `  ${command.name.padEnd(INDENT.length - 2)}${command.summary}`;
  return [head, ...command.options.map((line) => `${INDENT}${line}`)].join("\n");
}

export const USAGE = `usage: slipway <command> [options]

commands:
${COMMANDS.map(describe).join("\n")}

exit codes: 0 done, 1 refused or failed and rolled back, 2 bad input, 3 internal error,
            4 failed and not rolled back (a person must act)
run \`slipway <command> --help\` for one command, \`slipway --version\` for the version
`;

/** `slipway <command> --help`. */
export function helpFor(command: Command): string {
  return `usage: slipway ${command.name} [options]\n\n${describe(command)}\n\nexit codes: ${command.exitCodes}\n`;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export async function main(
  argv: readonly string[],
  io: Io = processIo,
  context: Partial<Omit<CommandContext, "io">> = {},
): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === "--version" || name === "-V") {
      io.stdout(`slipway ${version()}\n`);
      return EXIT.ok;
    }
    if (name === undefined || name === "help" || name === "--help" || name === "-h") {
      const topic = name === "help" ? rest[0] : undefined;
      const command = topic === undefined ? undefined : find(topic);
      io.stdout(command ? helpFor(command) : USAGE);
      return name === undefined ? EXIT.badInput : EXIT.ok;
    }
    const command = find(name);
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(helpFor(command));
      return EXIT.ok;
    }
    return await command.run(rest, {
      io,
      cwd: context.cwd ?? process.cwd(),
      env: context.env ?? process.env,
      ask: "ask" in context ? context.ask : terminalAsk(),
    });
  } catch (error) {
    if (SlipwayError.isInstance(error)) {
      io.stderr(`slipway: ${error.message}\n`);
      return EXIT.badInput;
    }
    io.stderr(
      `slipway: internal error (a bug in slipway, please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.internal;
  }
}

/** The package's version, from package.json next to the sources. */
function version(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../package.json") as { version: string }).version;
}

function find(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command;
  const names = COMMANDS.map((c) => c.name);
  const near = closest(name, names);
  throw SlipwayError.of(
    "command",
    `unknown command ${JSON.stringify(name)}.${near ? ` Did you mean ${near}?` : ""} Allowed: ${names.join(", ")}. Fix: run \`slipway --help\`.`,
  );
}
