// Reads one YAML file as the Pulumi CLI would (YAML 1.2, merge keys `<<:` honoured), within
// bounds a hostile or broken file cannot push past: its size, alias expansion, nesting depth and
// one document per file. Every refusal is a plain sentence naming where in the file the problem
// is, as config paths (`slipway:app.formation`), the way schema errors name keys.
import * as fs from "node:fs";
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import { SlipwayError } from "../../errors";
import { configPath } from "../../config/validate";

/** Stack files are a few kilobytes; a megabyte bounds the time and memory a read may take. */
export const MAX_YAML_BYTES = 1024 * 1024;
/** slipway's deepest key is five levels under `config:`; 32 leaves room and bounds recursion. */
export const MAX_YAML_DEPTH = 32;
/** Aliases expand to copies: 100 (the yaml library's default) keeps a file small in memory. */
const MAX_ALIAS_COUNT = 100;

const FIX_SYNTAX = "Fix: correct the syntax there (indentation, a missing colon or quote).";

/**
 * @param file - the file to read.
 * @param label - how messages name the file (a path relative to where slipway runs).
 * @returns the document as plain data; integers beyond 2^53 as their digits.
 */
export function readYamlFile(file: string, label: string): unknown {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_YAML_BYTES) {
      throw SlipwayError.of(
        label,
        `is ${size} bytes, over the ${MAX_YAML_BYTES} bytes slipway reads from one config file. Allowed: a stack file of ordinary size. Fix: remove the oversized values; long texts belong in a file the app reads, not in config.`,
      );
    }
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if (SlipwayError.isInstance(error)) throw error;
    throw SlipwayError.of(
      label,
      `cannot be read at ${file}. Fix: run slipway from the project folder.`,
    );
  }
  return parseYaml(text, label);
}

/** Parses YAML text as `readYamlFile` does; exported for tests of the bounds. */
export function parseYaml(text: string, label: string): unknown {
  // Integers as BigInt first: one beyond 2^53 keeps its digits (as text), as the CLI keeps them.
  // Duplicate keys are found below: the library's own check compares each key with every key
  // before it in its map, which made a stack of a few thousand config vars slow to read.
  const doc = parseDocument(text, { intAsBigInt: true, merge: true, uniqueKeys: false });
  const error = doc.errors[0];
  const duplicate = firstDuplicateKey(doc.contents, 0);
  if (duplicate !== undefined && (error === undefined || duplicate < error.pos[0])) {
    refuse(doc, label, "DUPLICATE_KEY", "", duplicate, lineAndColumn(text, duplicate));
  }
  if (error) {
    const line = error.linePos?.[0];
    refuse(doc, label, error.code, error.message, error.pos[0], line);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    // The library throws only for alias expansion past the count.
    throw SlipwayError.of(
      label,
      `expands its YAML aliases (*name) into more than ${MAX_ALIAS_COUNT} copies, which slipway refuses so a small file cannot fill memory. Allowed: aliases used a few times. Fix: write the values out, or use fewer aliases.`,
    );
  }
  const deepest = depthPath(value, []);
  if (deepest.length > MAX_YAML_DEPTH) {
    throw SlipwayError.of(
      label,
      `nests values more than ${MAX_YAML_DEPTH} levels deep (under ${deepest.slice(0, 3).join(".")}...). Allowed: the depth slipway's settings have (docs/configuration.md). Fix: remove the extra nesting.`,
    );
  }
  return exactIntegers(value);
}

function refuse(
  doc: Document,
  label: string,
  code: string,
  text: string,
  offset: number,
  line: { line: number; col: number } | undefined,
): never {
  const where = line ? `line ${line.line}, column ${line.col}` : "the end of the file";
  // Where the whole file is the problem, the file is the key; else the key the error is in.
  const whole = code === "MULTIPLE_DOCS" || code === "RESOURCE_EXHAUSTION";
  const key = (whole ? undefined : keyAt(doc, offset)) ?? label;
  const context = key === label ? undefined : `${label}:`;
  const message = describeError(code, text, where);
  throw context ? new SlipwayError([{ key, message }], context) : SlipwayError.of(key, message);
}

/**
 * Where the first key written twice in one map starts, if any. Keys are equal as the library
 * compares them (scalars of the same value), in one pass per map with a set.
 */
function firstDuplicateKey(node: unknown, depth: number): number | undefined {
  if (depth > MAX_YAML_DEPTH) return undefined;
  let first: number | undefined;
  const earlier = (offset: number | undefined) =>
    offset !== undefined && (first === undefined || offset < first);
  if (isMap(node)) {
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      const key = pair.key;
      // `.nan` never equals itself in the library's check; a set would take two as one.
      if (isScalar(key) && !Number.isNaN(key.value)) {
        if (seen.has(key.value) && earlier(key.range?.[0])) first = key.range?.[0];
        seen.add(key.value);
      }
      for (const inner of [pair.key, pair.value]) {
        const found = firstDuplicateKey(inner, depth + 1);
        if (earlier(found)) first = found;
      }
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const found = firstDuplicateKey(item, depth + 1);
      if (earlier(found)) first = found;
    }
  }
  return first;
}

/** The line and column (from 1) of `offset` in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, col: offset - lineStart + 1 };
}

function describeError(code: string, text: string, where: string): string {
  const reason = (text.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
  switch (code) {
    case "DUPLICATE_KEY":
      return `is written twice in one map (${where}); YAML allows each key once, and which value would win is not defined. Fix: keep one of the two and remove the other.`;
    case "MULTIPLE_DOCS":
      return `holds more than one YAML document (a second starts at ${where}, after ---); the Pulumi CLI reads one. Fix: keep one document: remove the --- line and merge or drop what follows.`;
    case "RESOURCE_EXHAUSTION":
      return `nests values too deeply to read (${where}). Allowed: the depth slipway's settings have. Fix: remove the extra brackets or indentation.`;
    default:
      return `is not valid YAML at ${where}: ${reason}. ${FIX_SYNTAX}`;
  }
}

/** The config path (`slipway:app.formation`) of the deepest key around `offset`, if under config:. */
function keyAt(doc: Document, offset: number): string | undefined {
  const path: string[] = [];
  let node: unknown = doc.contents;
  while (path.length <= MAX_YAML_DEPTH) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && covers(p.key, p.value, offset));
      if (!pair) break;
      path.push(isScalar(pair.key) ? String(pair.key.value) : "?");
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => covers(item, item, offset));
      if (index < 0) break;
      path.push(String(index));
      node = node.items[index];
    } else break;
  }
  const [top, key, ...rest] = path;
  if (top !== "config" || key === undefined) return undefined;
  return configPath(key, rest);
}

/** Whether `offset` lies within the range from `start`'s start to `end`'s end. */
function covers(start: unknown, end: unknown, offset: number): boolean {
  const from = (start as Node | null)?.range?.[0];
  const to = ((end ?? start) as Node | null)?.range?.[2];
  return from !== undefined && to !== undefined && from <= offset && offset <= to;
}

/** The path to the deepest value, stopping past the limit so a deep value costs little. */
function depthPath(value: unknown, path: string[]): string[] {
  if (path.length > MAX_YAML_DEPTH || value === null || typeof value !== "object") return path;
  let deepest = path;
  for (const [key, inner] of Object.entries(value)) {
    const found = depthPath(inner, [...path, key]);
    if (found.length > deepest.length) deepest = found;
    if (deepest.length > MAX_YAML_DEPTH) break;
  }
  return deepest;
}

/** Integers as numbers where a number holds them exactly, as their digits where it cannot. */
function exactIntegers(value: unknown): unknown {
  if (typeof value === "bigint") {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (Array.isArray(value)) return value.map(exactIntegers);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, exactIntegers(v)]));
  }
  return value;
}
