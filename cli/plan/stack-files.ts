// Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI hands them to a program:
// fully qualified keys, values as strings (objects as JSON), project defaults filled in, after
// the CLI's checks of both files (project-config.ts).
// Offline there is no key to decrypt secure values, so each one becomes "[secret]", marked secret.
import * as fs from "node:fs";
import * as path from "node:path";
import { SECRET_PLACEHOLDER } from "../../config/limits";
import { refusePlainSecrets } from "../../config/secrets";
import { closest } from "../../config/validate";
import { SlipwayError } from "../../errors";
import {
  applyProjectConfig,
  ConfigDeclaration,
  parseProjectConfig,
  qualifyStackKey,
} from "./project-config";
import { readYamlFile } from "./yaml-file";

export { SECRET_PLACEHOLDER };

/** The top-level keys of a stack file the Pulumi CLI reads (`workspace.ProjectStack`). */
export const STACK_FILE_KEYS = [
  "config",
  "environment",
  "secretsprovider",
  "encryptedkey",
  "encryptionsalt",
];

export interface ProjectFile {
  readonly dir: string;
  /** Where the stack files are: `stackConfigDir` under the project folder, else the folder. */
  readonly stackDir: string;
  readonly name: string;
  /** The project's `config:` block: its keys, types and the defaults and values stacks get. */
  readonly declarations: readonly ConfigDeclaration[];
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
  const doc = readYamlFile(file, displayPath(file));
  if (!isRecord(doc) || typeof doc["name"] !== "string") {
    throw SlipwayError.of(file, "has no project name. Fix: add `name: slipway` at the top.");
  }
  const name = doc["name"];
  const projectProblem = projectNameProblem(name);
  if (projectProblem) {
    throw SlipwayError.of(
      `name in ${file}`,
      `got ${JSON.stringify(name)}: the Pulumi CLI refuses it: "${projectProblem}". Fix: name the project with letters, digits, -, _ and . only.`,
    );
  }
  // A text `config:` is the old spelling of stackConfigDir, as the CLI reads it.
  const oldDir = typeof doc["config"] === "string" ? doc["config"] : undefined;
  const stackConfigDir = doc["stackConfigDir"];
  if (oldDir !== undefined && stackConfigDir !== undefined) {
    throw SlipwayError.of(
      `stackConfigDir in ${file}`,
      'the Pulumi CLI refuses the project: "Should not use both config and stackConfigDir to define the stack directory. Use only stackConfigDir instead.". Fix: remove the folder name from config:.',
    );
  }
  const stackDir = oldDir ?? stackConfigDir;
  if (stackDir !== undefined && typeof stackDir !== "string") {
    throw SlipwayError.of(
      `stackConfigDir in ${file}`,
      `got ${JSON.stringify(stackDir)}. Allowed: a folder name relative to Pulumi.yaml. Fix: stackConfigDir: stacks`,
    );
  }
  return {
    dir,
    stackDir: stackDir === undefined ? dir : path.join(dir, stackDir),
    name,
    declarations: parseProjectConfig(name, oldDir === undefined ? doc["config"] : undefined),
  };
}

/**
 * The stacks that have a config file, sorted by name. As the CLI names them after the project
 * file, Pulumi.yaml: `Pulumi.<stack>.yaml` (a `.yml` file is no stack file to the CLI).
 */
export function listStacks(project: Pick<ProjectFile, "stackDir">): string[] {
  if (!fs.existsSync(project.stackDir)) return [];
  return fs
    .readdirSync(project.stackDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export function stackFilePath(project: Pick<ProjectFile, "stackDir">, stack: string): string {
  return path.join(project.stackDir, `Pulumi.${stack}.yaml`);
}

/** Reads a stack's config file (by default `Pulumi.<stack>.yaml` next to Pulumi.yaml). */
export function readStackConfig(project: ProjectFile, stack: string, file?: string): StackConfig {
  const nameProblem = stackNameProblem(stack);
  if (nameProblem) {
    throw SlipwayError.of(
      `--stack ${stack}`,
      `the Pulumi CLI refuses the name: "${nameProblem}". Fix: name the stack with letters, digits, -, _ and . only (review-login-form).`,
    );
  }
  const configFile = file ?? stackFilePath(project, stack);
  if (!fs.existsSync(configFile)) {
    const known = listStacks(project);
    const yml = configFile.replace(/\.yaml$/, ".yml");
    const message = file
      ? `not found. Fix: pass an existing file to --config.`
      : fs.existsSync(yml)
        ? `not found, and the Pulumi CLI does not read ${path.basename(yml)}: it names stack files after Pulumi.yaml. Fix: rename ${path.basename(yml)} to ${path.basename(configFile)}.`
        : `not found, so there is no stack ${JSON.stringify(stack)}. Allowed: ${known.join(", ") || "(no Pulumi.<stack>.yaml files here)"}. ` +
          `Fix: pass one of them to --stack, or create the stack with \`pulumi stack init ${stack}\`.`;
    throw SlipwayError.of(
      file ? configFile : `--stack ${stack}`,
      file ? message : `${path.basename(configFile)} ${message}`,
    );
  }
  const doc = readYamlFile(configFile, displayPath(configFile));
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
  const unknownTop = Object.keys(body).filter((key) => !STACK_FILE_KEYS.includes(key));
  if (unknownTop.length > 0) {
    throw new SlipwayError(
      unknownTop.map((key) => {
        const near = closest(key, STACK_FILE_KEYS);
        return {
          key: `${key} in ${displayPath(configFile)}`,
          message:
            `unknown top-level key of a stack file, so the Pulumi CLI would not read what is under it.` +
            (near ? ` Did you mean ${near}?` : "") +
            ` Allowed: ${STACK_FILE_KEYS.join(", ")}. Fix: rename it${near ? ` to ${near}` : ""} or remove it.`,
        };
      }),
    );
  }
  const stackValues = isRecord(body["config"]) ? body["config"] : {};
  const label = path.basename(configFile);
  const values: Record<string, unknown> = {};
  const writtenAs: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(stackValues)) {
    const key = qualifyStackKey(project.name, rawKey, label);
    if (key in writtenAs) {
      // The CLI would keep one of the two, and which one is left to chance.
      throw SlipwayError.of(
        `${key} in ${label}`,
        `set twice, as ${writtenAs[key]} and as ${rawKey}. Fix: keep one of them.`,
      );
    }
    writtenAs[key] = rawKey;
    values[key] = value;
  }
  let merged: Record<string, unknown>;
  try {
    merged = applyProjectConfig(project.name, stack, project.declarations, values);
  } catch (error) {
    throw SlipwayError.isInstance(error) ? error.withContext(`stack ${stack} (${label}):`) : error;
  }
  // Its refusals say which file holds the plain secrets.
  return stackConfigFromValues(stack, configFile, merged);
}

/** A file as messages name it: relative to where slipway runs, as schema errors name it. */
export function displayPath(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

/** The CLI's reason for refusing a stack name (`tokens.ParseStackName`), or undefined. */
export function stackNameProblem(stack: string): string | undefined {
  if (stack === "") return "a stack name may not be empty";
  if (stack.length > 100) return "a stack name cannot exceed 100 characters";
  const bad = /[^A-Za-z0-9_.-]/.exec(stack);
  return bad
    ? `a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid character '${bad[0]}' at position ${bad.index}`
    : undefined;
}

/** The CLI's reason for refusing a project name (`tokens.ValidateProjectName`), or undefined. */
function projectNameProblem(name: string): string | undefined {
  if (name === "") return "project names may not be empty";
  if (name.length > 100) return "project names are limited to 100 characters";
  return /^[A-Za-z0-9_.-]+$/.test(name)
    ? undefined
    : "project names may only contain alphanumerics, hyphens, underscores, and periods";
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
