// Flag parsing shared by every command: Node's parseArgs, strict, with its errors turned into
// slipway's bad-input messages (the flag, what is allowed, the fix). Two mistakes parseArgs lets
// through are refused too: a single-value flag given twice (parseArgs keeps the last one
// silently) and an empty value (`--stack ""`), which would otherwise fail later and obscurely.
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
  const fix = `Fix: run \`slipway ${command} --help\`.`;
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals, strict: true, tokens: true });
  } catch (error) {
    // Node's parse errors are TypeErrors with a code; their message is what the user needs.
    const message = (error as { message?: string }).message ?? String(error);
    throw SlipwayError.of(
      "arguments",
      `${message.replace(/\.$/, "")}. Allowed: ${[...Object.keys(options), "help"]
        .map((o) => `--${o}`)
        .join(", ")}. ${fix}`,
    );
  }
  const seen = new Map<string, string[]>();
  for (const token of parsed.tokens) {
    if (token.kind !== "option") continue;
    const flag = `--${token.name}`;
    if (token.value === "") {
      throw SlipwayError.of(flag, `got an empty value. Allowed: a value that is not empty. ${fix}`);
    }
    const values = seen.get(flag) ?? [];
    values.push(token.value ?? "(no value)");
    seen.set(flag, values);
    if (values.length === 2 && options[token.name]?.multiple !== true) {
      throw SlipwayError.of(
        flag,
        `given twice (${values.map((v) => JSON.stringify(v)).join(" and ")}). Allowed: once. Fix: keep the one you mean.`,
      );
    }
  }
  return { values: parsed.values, positionals: parsed.positionals };
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
