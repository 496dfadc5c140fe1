// Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI hands them to a program:
// fully qualified keys, values as strings (objects as JSON), project defaults filled in.
// Offline there is no key to decrypt secure values, so each one becomes "[secret]", marked secret.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { SECRET_PLACEHOLDER } from "../../config/limits";
import { refusePlainSecrets } from "../../config/secrets";
import { SlipwayError } from "../../errors";

export { SECRET_PLACEHOLDER };

export interface ProjectFile {
  readonly dir: string;
  readonly name: string;
  /** Values the project sets or defaults for every stack, by fully qualified key. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Keys the project declares in its `config:` block, fully qualified. */
  readonly declared: readonly string[];
}

export interface StackConfig {
  readonly stack: string;
  readonly file: string;
  /** Config as the language host passes it: fully qualified keys, string values. */
  readonly config: Readonly<Record<string, string>>;
  /** Keys whose values (or part of them) are secure: never shown. */
  readonly secretKeys: readonly string[];
  /** The same config as parsed data, for validation with exact types. */
  readonly values: Readonly<Record<string, unknown>>;
}

export function readProject(dir: string): ProjectFile {
  const file = path.join(dir, "Pulumi.yaml");
  const doc = readYaml(file, "Pulumi.yaml");
  if (!isRecord(doc) || typeof doc["name"] !== "string") {
    throw SlipwayError.of(file, "has no project name. Fix: add `name: slipway` at the top.");
  }
  const name = doc["name"];
  const config = isRecord(doc["config"]) ? doc["config"] : {};
  const defaults: Record<string, unknown> = {};
  const declared: string[] = [];
  for (const [rawKey, entry] of Object.entries(config)) {
    const key = qualify(rawKey, name);
    declared.push(key);
    if (isRecord(entry) && ("type" in entry || "default" in entry || "value" in entry)) {
      if ("value" in entry) defaults[key] = entry["value"];
      else if ("default" in entry) defaults[key] = entry["default"];
    } else {
      defaults[key] = entry;
    }
  }
  return { dir, name, defaults, declared };
}

/** The stacks that have a config file next to Pulumi.yaml, sorted by name. */
export function listStacks(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export function stackFilePath(dir: string, stack: string): string {
  const yml = path.join(dir, `Pulumi.${stack}.yml`);
  return fs.existsSync(yml) ? yml : path.join(dir, `Pulumi.${stack}.yaml`);
}

/** Reads a stack's config file (by default `Pulumi.<stack>.yaml` next to Pulumi.yaml). */
export function readStackConfig(project: ProjectFile, stack: string, file?: string): StackConfig {
  const configFile = file ?? stackFilePath(project.dir, stack);
  if (!fs.existsSync(configFile)) {
    const known = listStacks(project.dir);
    const message = file
      ? `not found. Fix: pass an existing file to --config.`
      : `not found, so there is no stack ${JSON.stringify(stack)}. Allowed: ${known.join(", ") || "(no Pulumi.<stack>.yaml files here)"}. ` +
        `Fix: pass one of them to --stack, or create the stack with \`pulumi stack init ${stack}\`.`;
    throw SlipwayError.of(
      file ? configFile : `--stack ${stack}`,
      file ? message : `${path.basename(configFile)} ${message}`,
    );
  }
  const doc = readYaml(configFile, path.basename(configFile));
  const body = doc === null || doc === undefined ? {} : doc;
  if (
    !isRecord(body) ||
    (body["config"] !== undefined && body["config"] !== null && !isRecord(body["config"]))
  ) {
    throw SlipwayError.of(
      configFile,
      "must be a YAML map with a `config:` map inside. Fix: see Pulumi.staging.yaml for the layout.",
    );
  }
  const stackValues = isRecord(body["config"]) ? body["config"] : {};
  const values: Record<string, unknown> = { ...project.defaults };
  for (const [rawKey, value] of Object.entries(stackValues)) {
    values[qualify(rawKey, project.name)] = value;
  }
  return stackConfigFromValues(stack, configFile, values);
}

/**
 * A stack's config from its parsed YAML values (fully qualified keys): secure values replaced by
 * the placeholder and marked secret, everything encoded as the language host passes it.
 */
export function stackConfigFromValues(
  stack: string,
  file: string,
  values: Readonly<Record<string, unknown>>,
): StackConfig {
  refusePlainSecrets(values, path.basename(file));
  const config: Record<string, string> = {};
  const parsed: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) {
      throw SlipwayError.of(
        `${key} in ${path.basename(file)}`,
        `has no value. Fix: give it a value or remove the line.`,
      );
    }
    const { plain, secret } = replaceSecure(value);
    if (secret) secretKeys.push(key);
    parsed[key] = plain;
    config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
  }
  return { stack, file, config, secretKeys, values: parsed };
}

function readYaml(file: string, label: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw SlipwayError.of(
      label,
      `cannot be read at ${file}. Fix: run slipway from the project folder.`,
    );
  }
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0];
    const where = line ? `line ${line.line}, column ${line.col}` : "somewhere";
    throw SlipwayError.of(
      label,
      `is not valid YAML at ${where}: ${(error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}. Fix: correct the syntax there (indentation, a missing colon or quote).`,
    );
  }
  return doc.toJS() as unknown;
}

/** `{ secure: ... }` anywhere inside a value becomes the placeholder; reports whether any did. */
function replaceSecure(value: unknown): { plain: unknown; secret: boolean } {
  if (isRecord(value)) {
    if (Object.keys(value).length === 1 && typeof value["secure"] === "string") {
      return { plain: SECRET_PLACEHOLDER, secret: true };
    }
    let secret = false;
    const plain = Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        const inner = replaceSecure(v);
        secret ||= inner.secret;
        return [k, inner.plain];
      }),
    );
    return { plain, secret };
  }
  if (Array.isArray(value)) {
    const inner = value.map(replaceSecure);
    return { plain: inner.map((i) => i.plain), secret: inner.some((i) => i.secret) };
  }
  return { plain: value, secret: false };
}

function qualify(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
