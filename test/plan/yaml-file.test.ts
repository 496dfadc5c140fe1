// Hostile and broken YAML: each refused with a plain sentence naming the key or the file, within
// bounded time and memory; valid YAML (merge keys) read as the Pulumi CLI reads it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SlipwayError } from "../../errors";
import { MAX_YAML_BYTES, MAX_YAML_DEPTH, parseYaml, readYamlFile } from "../../cli/plan/yaml-file";

const LABEL = "Pulumi.staging.yaml";

function refusal(text: string): { context: string; key: string; message: string } {
  try {
    parseYaml(text, LABEL);
  } catch (error) {
    if (!(error instanceof SlipwayError)) throw error;
    const [first] = error.problems;
    return {
      context:
        error.message.split("\n")[0] === `${first?.key}: ${first?.message}`
          ? ""
          : (error.message.split("\n")[0] ?? ""),
      key: first?.key ?? "",
      message: first?.message ?? "",
    };
  }
  throw new Error("expected the YAML to be refused");
}

/** 9 aliases of 9 of the one before: 9^10 strings if expanded. */
function aliasBomb(): string {
  const names = "abcdefghij".split("");
  const lines = [`${names[0]}: &${names[0]} [x, x, x, x, x, x, x, x, x]`];
  for (let i = 1; i < names.length; i++) {
    const refs = Array.from({ length: 9 }, () => `*${names[i - 1]}`).join(", ");
    lines.push(`${names[i]}: &${names[i]} [${refs}]`);
  }
  return `config:\n  slipway:app:\n    name: acme\n${lines.join("\n")}\n`;
}

describe("hostile and broken YAML", () => {
  test.each([
    [
      "a duplicate key gets its own hint, naming the key as schema errors do",
      "config:\n  slipway:app:\n    name: a\n    name: b\n",
      "slipway:app.name",
      "is written twice in one map (line 4, column 5); YAML allows each key once, and which value would win is not defined. Fix: keep one of the two and remove the other.",
    ],
    [
      "a duplicate key in a flow map",
      "config:\n  slipway:app: {name: a, name: b}\n",
      "slipway:app.name",
      "is written twice in one map (line 2, column 26); YAML allows each key once, and which value would win is not defined. Fix: keep one of the two and remove the other.",
    ],
    [
      "a duplicate key in a map inside a list",
      "config:\n  slipway:alerting:\n    emails:\n      - {a: 1, a: 2}\n",
      "slipway:alerting.emails[0].a",
      "is written twice in one map (line 4, column 16); YAML allows each key once, and which value would win is not defined. Fix: keep one of the two and remove the other.",
    ],
    [
      "a duplicate key before a syntax error: the first of the two is reported",
      "config:\n  slipway:app:\n    name: a\n    name: b\n  aws:region: [\n",
      "slipway:app.name",
      "is written twice in one map (line 4, column 5); YAML allows each key once, and which value would win is not defined. Fix: keep one of the two and remove the other.",
    ],
    [
      "a syntax error before a duplicate key: the first of the two is reported",
      "config:\n  slipway:app:\n    name: [a\n    name: b\n",
      "slipway:app.name[0]",
      "is not valid YAML at line 4, column 5: Flow sequence in block collection must be sufficiently indented and end with a ]. Fix: correct the syntax there (indentation, a missing colon or quote).",
    ],
    [
      "a namespace written twice",
      "config:\n  slipway:app:\n    name: a\n  slipway:app:\n    name: b\n",
      "slipway:app",
      "is written twice in one map (line 4, column 3); YAML allows each key once, and which value would win is not defined. Fix: keep one of the two and remove the other.",
    ],
    [
      "two documents",
      "config:\n  aws:region: us-east-1\n---\nconfig: {}\n",
      LABEL,
      "holds more than one YAML document (a second starts at line 3, column 1, after ---); the Pulumi CLI reads one. Fix: keep one document: remove the --- line and merge or drop what follows.",
    ],
    [
      "a syntax error inside a key",
      "config:\n  slipway:app:\n    formation:\n      web: {quantity: 1\n",
      "slipway:app.formation.web.quantity",
      "is not valid YAML at line 5, column 1: Flow map in block collection must be sufficiently indented and end with a }. Fix: correct the syntax there (indentation, a missing colon or quote).",
    ],
    [
      "an alias bomb",
      aliasBomb(),
      LABEL,
      "expands its YAML aliases (*name) into more than 100 copies, which slipway refuses so a small file cannot fill memory. Allowed: aliases used a few times. Fix: write the values out, or use fewer aliases.",
    ],
    [
      "nesting past the depth limit",
      `config:\n  slipway:app: ${"[".repeat(MAX_YAML_DEPTH)}${"]".repeat(MAX_YAML_DEPTH)}\n`,
      LABEL,
      `nests values more than ${MAX_YAML_DEPTH} levels deep (under config.slipway:app.0...). Allowed: the depth slipway's settings have (docs/configuration.md). Fix: remove the extra nesting.`,
    ],
    [
      "nesting deep enough to exhaust the parser",
      `config:\n  slipway:app: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
      LABEL,
      "nests values too deeply to read",
    ],
  ])("%s", (_label, text, key, message) => {
    const found = refusal(text);
    expect(found.key).toBe(key);
    expect(found.message.startsWith(message)).toBe(true);
    expect(found.message).not.toMatch(
      /YAML\.parseAllDocuments|resource exhaustion|Maximum call stack/,
    );
  });

  test("a key error says which file it is in", () => {
    expect(refusal("config:\n  slipway:app:\n    name: a\n    name: b\n").context).toBe(
      `${LABEL}:`,
    );
  });

  test("merge keys (<<:) work, as YAML 1.1 merge in the Pulumi CLI's reader", () => {
    const text =
      "shared: &shared\n  NODE_ENV: production\n  LOG_LEVEL: info\n" +
      "config:\n  slipway:app:\n    configVars:\n      <<: *shared\n      LOG_LEVEL: debug\n";
    expect(parseYaml(text, LABEL)).toEqual({
      shared: { NODE_ENV: "production", LOG_LEVEL: "info" },
      config: { "slipway:app": { configVars: { NODE_ENV: "production", LOG_LEVEL: "debug" } } },
    });
  });

  test("keys the library never takes as equal pass, as they did: .nan twice, and 1 and '1'", () => {
    expect(parseYaml("a:\n  .nan: x\n  .nan: y\n  1: p\n  '1': q\n", LABEL)).toEqual({
      a: { NaN: "y", 1: "q" },
    });
  });

  test("integers past 2^53 keep their digits", () => {
    expect(parseYaml("config:\n  a:b: 9007199254740993\n", LABEL)).toEqual({
      config: { "a:b": "9007199254740993" },
    });
  });
});

describe("readYamlFile", () => {
  test("a file over the size bound is refused before it is parsed", () => {
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), "slipway-yaml-")),
      "Pulumi.big.yaml",
    );
    fs.writeFileSync(file, `config:\n  slipway:app:\n    name: "${"x".repeat(MAX_YAML_BYTES)}"\n`);
    expect(() => readYamlFile(file, "Pulumi.big.yaml")).toThrow(
      `Pulumi.big.yaml: is ${MAX_YAML_BYTES + 36} bytes, over the ${MAX_YAML_BYTES} bytes slipway reads from one config file.`,
    );
  });
});
