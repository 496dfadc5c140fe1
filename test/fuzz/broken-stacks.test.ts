// Fuzz: broken stack files made by mutating the committed ones (a seeded generator, so every run
// makes the same files), each through `slipway plan`'s entry point in-process. Every one must be
// bad input: exit 2, a message naming the key that was broken, and no stack trace. A few also
// run as child processes, as a user would.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { main } from "../../cli/main";
import { PROJECT_DIR } from "../support/stacks";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Path = (string | number)[];

interface Mutant {
  readonly name: string;
  readonly stack: "production" | "staging";
  /** The stack file's text. */
  readonly text: string;
  /** What the message must name. */
  readonly key: string;
}

/** mulberry32: a small seeded generator, so the mutants are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(13);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** A config path as slipway's messages write it: `slipway:app.formation.web`, `[0]` for items. */
function keyOf([namespaced, ...rest]: Path): string {
  return (
    String(namespaced) +
    rest
      .map((p) => (typeof p === "number" ? `[${p}]` : /^\w+$/.test(p) ? `.${p}` : `["${p}"]`))
      .join("")
  );
}

function leaves(value: Json, at: Path): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...at, i]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k]));
  }
  return [at];
}

function objects(value: Json, at: Path): Path[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  return [at, ...Object.entries(value).flatMap(([k, v]) => objects(v, [...at, k]))];
}

function edit(
  config: { [key: string]: Json },
  at: Path,
  change: (parent: Json[] | { [k: string]: Json }, last: string | number) => void,
) {
  const copy = structuredClone(config);
  const parent = at
    .slice(0, -1)
    .reduce<Json>((v, p) => (v as Record<string, Json>)[p] as Json, copy);
  change(parent as { [k: string]: Json }, at[at.length - 1] as string | number);
  return copy;
}

/** Map keys that are names the user chooses: renaming one makes another valid name. */
const FREE_KEYS = /^slipway:app\.(configVars|formation)$/;
/** Text fields that take any text: a long one is still valid there. */
const FREE_TEXT = /^slipway:(app\.buildpacks|github\.requiredChecks)\[/;

function mutants(stack: "production" | "staging"): Mutant[] {
  const text = fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8");
  const config = (parse(text) as { config: { [key: string]: Json } }).config;
  const file = (values: { [key: string]: Json }) => stringify({ config: values });
  const found: Mutant[] = [];
  const add = (name: string, values: { [key: string]: Json }, key: string) =>
    found.push({ name: `${stack}: ${name}`, stack, text: file(values), key });

  for (const at of leaves(config, [])) {
    const key = keyOf(at);
    const value = at
      .slice(0)
      .reduce<Json>((v, p) => (v as Record<string, Json>)[p] as Json, config);
    // The wrong type: text where a number or boolean goes, a number where text goes.
    const wrong =
      typeof value === "string" ? Math.floor(random() * 100000) : pick(["maybe", "many", "n/a"]);
    add(
      `${key} of the wrong type`,
      edit(config, at, (p, last) => ((p as Record<string, Json>)[last] = wrong)),
      key,
    );
    if (typeof value === "number") {
      add(
        `${key} negative`,
        edit(
          config,
          at,
          (p, last) => ((p as Record<string, Json>)[last] = -1 - Math.floor(random() * 10)),
        ),
        key,
      );
    }
    if (typeof value === "string" && !FREE_TEXT.test(key)) {
      const huge = "x".repeat(40000 + Math.floor(random() * 1000));
      const hugeKey = key.startsWith("slipway:app.configVars") ? "slipway:app.configVars" : key;
      add(
        `${key} 40 kB long`,
        edit(config, at, (p, last) => ((p as Record<string, Json>)[last] = huge)),
        hugeKey,
      );
    }
  }
  for (const at of objects(config, [])) {
    const key = at.length === 0 ? "" : keyOf(at);
    if (FREE_KEYS.test(key)) continue;
    const object = at.reduce<Json>(
      (v, p) => (v as Record<string, Json>)[p] as Json,
      config,
    ) as Record<string, Json>;
    for (const name of Object.keys(object)) {
      if (at.length === 0 && !name.startsWith("slipway:") && !name.startsWith("aws:")) continue;
      // A typo: one letter doubled, or one added, somewhere in the name.
      const cut = 1 + Math.floor(random() * (name.length - 1));
      const typo = name.slice(0, cut) + pick(["x", "q", name[cut - 1] ?? "z"]) + name.slice(cut);
      const renamed = Object.fromEntries(
        Object.entries(object).map(([k, v]) => [k === name ? typo : k, v]),
      );
      const values =
        at.length === 0
          ? renamed
          : edit(config, at, (p, last) => ((p as Record<string, Json>)[last] = renamed));
      add(
        `${keyOf([...at, name])} misspelt ${typo}`,
        values,
        // slipway:app has no default, so the CLI's "missing slipway:app" comes first, naming it.
        name === "slipway:app" ? name : at.length === 0 ? typo : keyOf([...at, typo]),
      );
    }
    if (at.length > 0) {
      const unknown = pick(["Bogus", "extraSetting", "Enabled"]);
      add(
        `${key} with an unknown key`,
        edit(config, [...at, unknown], (p, last) => ((p as Record<string, Json>)[last] = "on")),
        keyOf([...at, unknown]),
      );
    }
  }
  const label = `Pulumi.${stack}.yaml`;
  const lines = text.split("\n");
  const appLine = lines.findIndex((l) => l.startsWith("  slipway:app:"));
  found.push(
    { name: `${stack}: two documents`, stack, text: `${text}---\nconfig: {}\n`, key: label },
    {
      name: `${stack}: a duplicate key`,
      stack,
      text: [...lines.slice(0, appLine + 1), "    name: twice", ...lines.slice(appLine + 1)].join(
        "\n",
      ),
      key: "slipway:app.name",
    },
    {
      name: `${stack}: deep nesting`,
      stack,
      text: `${text}  slipway:deep: ${"[".repeat(40)}${"]".repeat(40)}\n`,
      key: label,
    },
    {
      name: `${stack}: a top-level typo`,
      stack,
      text: text.replace(/^config:/m, "configs:"),
      key: "configs",
    },
  );
  return found;
}

const all = [...mutants("production"), ...mutants("staging")];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-fuzz-"));
fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
for (const stack of ["production", "staging"]) {
  fs.copyFileSync(
    path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`),
    path.join(dir, `Pulumi.${stack}.yaml`),
  );
}

function write(mutant: Mutant, index: number): string {
  const file = path.join(dir, `mutant-${index}`, `Pulumi.${mutant.stack}.yaml`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, mutant.text);
  return file;
}

function expectBadInput(result: { code: number; stdout: string; stderr: string }, key: string) {
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: "" });
  expect(result.stderr).toContain(key);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
}

test("at least 200 distinct broken stack files", () => {
  expect(new Set(all.map((m) => m.text)).size).toBeGreaterThanOrEqual(200);
});

describe("in-process", () => {
  test.each(all.map((m, i) => [m.name, m, i] as const))(
    "%s: exit 2 naming the key",
    async (_name, mutant, index) => {
      const file = write(mutant, index);
      let stdout = "";
      let stderr = "";
      const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
      const code = await main(
        ["plan", "--dir", dir, "--stack", mutant.stack, "--config", file],
        io,
        { cwd: dir },
      );
      expectBadInput({ code, stdout, stderr }, mutant.key);
    },
  );
});

describe("as child processes", () => {
  jest.setTimeout(60_000);
  // Two, side by side: each child starts node and loads the sources (seconds each).
  const few = [0, 1].map((n) => Math.floor((n * all.length) / 2) + n);
  test.concurrent.each(few.map((i) => [all[i]!.name, all[i]!, i] as const))(
    "%s",
    async (_name, mutant, index) => {
      const file = write(mutant, index);
      const bin = path.join(PROJECT_DIR, "bin", "slipway.js");
      const result = await promisify(execFile)(
        process.execPath,
        [bin, "plan", "--dir", dir, "--stack", mutant.stack, "--config", file],
        { cwd: dir },
      ).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          stdout: error.stdout,
          stderr: error.stderr,
        }),
      );
      expectBadInput(result, mutant.key);
    },
  );
});
