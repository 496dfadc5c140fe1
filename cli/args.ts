// Flag parsing shared by every command: Node's parseArgs, strict, with its errors turned into
// slipway's bad-input messages (the flag, what is allowed, the fix).
import { parseArgs } from "node:util";
import { SlipwayError } from "../errors";

export type FlagSpec = Record<
  string,
  { type: "string" | "boolean"; multiple?: boolean; default?: string; short?: string }
>;

/** Parses `args` for `slipway <command>`; positionals are allowed only when asked for. */
export function parseFlags<T extends FlagSpec>(
  command: string,
  args: readonly string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    // Node's parse errors are TypeErrors with a code; their message is what the user needs.
    const message = (error as { message?: string }).message ?? String(error);
    throw SlipwayError.of(
      "arguments",
      `${message.replace(/\.$/, "")}. Allowed: ${[...Object.keys(options), "help"]
        .map((o) => `--${o}`)
        .join(", ")}. Fix: run \`slipway ${command} --help\`.`,
    );
  }
}

/** Checks a flag's value against the values it allows. */
export function oneOf<T extends string>(
  flag: string,
  value: string,
  allowed: readonly T[],
  example: T,
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw SlipwayError.of(
    flag,
    `got ${JSON.stringify(value)}. Allowed: ${allowed.join(", ")}. Fix: ${flag} ${example}`,
  );
}
