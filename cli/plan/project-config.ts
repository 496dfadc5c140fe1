// The Pulumi CLI's rules for the `config:` block of Pulumi.yaml and for how it meets a stack's
// config file, as `pulumi preview` and `pulumi up` apply them before the program starts: the
// project's declarations are checked when Pulumi.yaml loads (`Project.Validate` in the SDK's
// sdk/go/common/workspace/project.go), then each stack's values are merged with them and
// checked (`ValidateStackConfigAndApplyProjectConfig` in pkg/workspace/config.go). slipway plan
// applies the same rules so it refuses what the CLI refuses, quoting the CLI's reason.
//
// Written by hand: the rules live in the CLI's Go source, and no npm package carries them.
// Offline there is no key to decrypt a secure value, so its plaintext is unknown: a secure value
// counts as a string, which passes a string, integer or boolean type (the CLI would check the
// plaintext) and fails an object or array type (the CLI sees a string there too).
import { Problem, SlipwayError } from "../../errors";
import { editDistance } from "../../config/validate";

export const CONFIG_TYPES = ["string", "integer", "boolean", "array", "object"] as const;
export type ConfigType = (typeof CONFIG_TYPES)[number];

/** The element type of an `array` key, itself possibly an array. */
export interface ItemsType {
  readonly type: ConfigType;
  readonly items?: ItemsType;
}

/** One entry of Pulumi.yaml's `config:` block, as the CLI reads it. */
export interface ConfigDeclaration {
  /** The key as Pulumi.yaml writes it (`environment`, `slipway:app`): the CLI's messages use it. */
  readonly key: string;
  /** `<namespace>:<name>`, the project's name being the namespace of a bare key. */
  readonly qualified: string;
  readonly type?: ConfigType;
  readonly items?: ItemsType;
  /** Stacks must store the value encrypted. */
  readonly secret: boolean;
  /** The `default` (project keys) or `value` (other namespaces) a stack gets when it sets none. */
  readonly fallback?: unknown;
}

/** The attributes a declaration may have (the CLI's JSON schema for Pulumi.yaml). */
const ATTRIBUTES = ["default", "description", "items", "secret", "type", "value"];

/** A secure value's plaintext, which slipway plan cannot know. */
const SECRET = Symbol("secret");

/**
 * Reads Pulumi.yaml's `config:` block as the CLI does: short forms become a `default` (keys of
 * the project's namespace) or a `value` (other namespaces), then the CLI's checks run.
 *
 * @throws SlipwayError naming every declaration the CLI would refuse, with its reason.
 */
export function parseProjectConfig(project: string, block: unknown): ConfigDeclaration[] {
  if (block === undefined || block === null) return [];
  const problems: Problem[] = [];
  const declarations: ConfigDeclaration[] = [];
  if (!isRecord(block)) {
    // (A text here is the old spelling of stackConfigDir: readProject takes it so.)
    throw SlipwayError.of(
      "config in Pulumi.yaml",
      `got ${describe(block)}: the Pulumi CLI refuses the project: "#/config: expected object, string or null". Allowed: a map of config keys. Fix: declare each key under config: as key: value or key: { type, default, ... }.`,
    );
  }
  for (const [key, entry] of Object.entries(block)) {
    const refuse = (reason: string, fix: string) =>
      problems.push({
        key: `${key} in Pulumi.yaml`,
        message: `the Pulumi CLI refuses the project: "${reason}". Fix: ${fix}`,
      });
    const ownNamespace = isOwnKey(project, key);
    const entryReason = declarationShapeProblem(key, entry);
    if (entryReason) {
      refuse(entryReason, "write the entry as a value, or as a map of type, default, value, ...");
      continue;
    }
    const declared = isRecord(entry) ? entry : ownNamespace ? { default: entry } : { value: entry };
    const qualified = parseKey(key.includes(":") ? key : `${project}:${key}`);
    if (qualified === undefined) {
      refuse(keyReason(key), "write the key as <namespace>:<name>.");
      continue;
    }
    const type = declared["type"] as ConfigType | undefined;
    const items = declared["items"] as ItemsType | undefined;
    const hasDefault = present(declared["default"]);
    const hasValue = present(declared["value"]);
    const fullType = type === undefined ? undefined : typeName(type, items);
    if (hasDefault && hasValue) {
      refuse(
        `project config '${key}' cannot have both a 'default' and 'value' attribute`,
        "keep one of them.",
      );
    } else if (ownNamespace) {
      if (type === "array" && items === undefined) {
        refuse(
          `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
          "add items: { type: string } (or the element type).",
        );
      } else if (
        type !== undefined &&
        hasDefault &&
        !matchesType(type, items, declared["default"])
      ) {
        refuse(
          `The default value specified for configuration key '${key}' is not of the expected type '${fullType}'`,
          `give it a default of type ${fullType}, or change the type.`,
        );
      }
    } else if (type !== undefined) {
      refuse(
        `Configuration key '${key}' is not namespaced by the project and should not define a type`,
        "remove the type: only keys of the project's own namespace are typed.",
      );
    } else if (hasDefault) {
      refuse(
        `Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`,
        "rename default to value.",
      );
    } else if (!hasValue) {
      refuse(
        `Configuration key '${key}' is namespaced and must provide an attribute 'value'`,
        "add value: with the value every stack gets.",
      );
    }
    declarations.push({
      key,
      qualified,
      ...(type === undefined ? {} : { type }),
      ...(items === undefined ? {} : { items }),
      secret: declared["secret"] === true,
      ...(hasDefault
        ? { fallback: declared["default"] }
        : hasValue
          ? { fallback: declared["value"] }
          : {}),
    });
  }
  if (problems.length > 0) throw new SlipwayError(problems);
  return declarations;
}

/**
 * A stack's config key as the CLI reads it: a bare key gets the project's namespace, and the old
 * `<namespace>:config:<name>` form becomes `<namespace>:<name>`.
 *
 * @throws SlipwayError with the CLI's reason when the key has another shape.
 */
export function qualifyStackKey(project: string, key: string, file: string): string {
  const qualified = parseKey(key.includes(":") ? key : `${project}:${key}`);
  if (qualified === undefined) {
    throw SlipwayError.of(
      `${key} in ${file}`,
      `the Pulumi CLI refuses the stack file: "${keyReason(key)}". Fix: write the key as <namespace>:<name>, e.g. slipway:app.`,
    );
  }
  return qualified;
}

/**
 * Merges a stack's values with the project's declarations and checks them, as the CLI does
 * before it runs the program: a key of the project's namespace with neither a default nor a
 * value in Pulumi.yaml must be set by the stack, a key declared `secret` must be stored
 * encrypted, and a typed key must hold a value of its type.
 *
 * @param values - the stack file's values by fully qualified key, secure values as `{ secure }`.
 * @returns the values the program gets: the stack's, plus the declarations' defaults and values.
 * @throws SlipwayError with one problem per key, each quoting the CLI's reason.
 */
export function applyProjectConfig(
  project: string,
  stack: string,
  declarations: readonly ConfigDeclaration[],
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...values };
  // The CLI walks the declarations sorted by key as written; its first complaint comes first.
  const sorted = [...declarations].sort((a, b) => compare(a.key, b.key));
  const required = sorted.filter(
    (d) =>
      !(d.qualified in values) && d.fallback === undefined && d.qualified.startsWith(`${project}:`),
  );
  for (const d of sorted) {
    if (!(d.qualified in merged) && d.fallback !== undefined) merged[d.qualified] = d.fallback;
  }
  const problems: Problem[] = required.map((d) => ({
    key: d.qualified,
    message:
      `got nothing: the Pulumi CLI refuses the stack with "${missingReason(
        stack,
        required.map((r) => r.key),
      )}", ` +
      `as Pulumi.yaml declares the key without a default. Allowed: ${allowedFor(d)}. ` +
      `Fix: pulumi config set ${d.qualified} <value> --stack ${stack}, or give the key a default in Pulumi.yaml.`,
  }));
  for (const d of sorted) {
    if (d.type === undefined || !(d.qualified in merged)) continue;
    const value = merged[d.qualified];
    const received = hasSecure(value) ? "[secret]" : describe(value);
    if (d.secret && !hasSecure(value)) {
      problems.push({
        key: d.qualified,
        message:
          `got ${received}: the Pulumi CLI refuses the stack with "Stack '${stack}' with configuration key '${d.key}' must be encrypted as it's secret". ` +
          `Allowed: an encrypted value. Fix: pulumi config set --secret ${d.qualified} <value> --stack ${stack}`,
      });
    } else if (!matchesType(d.type, d.items, contentOf(value))) {
      const type = typeName(d.type, d.items);
      problems.push({
        key: d.qualified,
        message:
          `got ${received}: the Pulumi CLI refuses the stack with "Stack '${stack}' with configuration key '${d.key}' must be of type '${type}'". ` +
          `Allowed: ${allowedFor(d)}. Fix: set a value of type ${type} in the stack's config file` +
          (d.type === "object" || d.type === "array"
            ? ` (a secret inside it with pulumi config set --secret --path '${d.qualified}.<field>' <value>).`
            : "."),
      });
    }
  }
  if (problems.length > 0) throw new SlipwayError(problems);
  return merged;
}

/**
 * Whether `value` is of the declared type, as the CLI checks it. Values arrive as the CLI sees
 * them: a stack file's scalars as text, objects and lists as parsed JSON (numbers in them as
 * numbers), defaults as YAML parsed them.
 */
export function matchesType(type: string, items: ItemsType | undefined, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string" || value === SECRET;
    case "integer":
      return (
        value === SECRET ||
        (typeof value === "number" && Number.isInteger(value)) ||
        (typeof value === "string" && isGoInt(value))
      );
    case "boolean":
      return (
        value === SECRET || typeof value === "boolean" || value === "true" || value === "false"
      );
    case "object":
      return isRecord(value);
    default:
      return (
        Array.isArray(value) &&
        items !== undefined &&
        value.every((item) => matchesType(items.type, items.items, item))
      );
  }
}

/** `array<array<string>>`: the type name the CLI prints. */
export function typeName(type: ConfigType, items: ItemsType | undefined): string {
  return items === undefined ? type : `array<${typeName(items.type, items.items)}>`;
}

/**
 * What the CLI type-checks for one value: a scalar as the text the stack stores (`20` is "20"),
 * an object or list as JSON data, and a secure value as a string whose content is unknown here.
 */
function contentOf(value: unknown): unknown {
  if (typeof value === "number" || typeof value === "boolean") return JSON.stringify(value);
  return nestedContent(value);
}

function nestedContent(value: unknown): unknown {
  if (isSecure(value)) return SECRET;
  if (Array.isArray(value)) return value.map(nestedContent);
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nestedContent(v)]));
  }
  return value;
}

/** The CLI's message for keys a stack must set, listing all of them. */
function missingReason(stack: string, keys: readonly string[]): string {
  const quoted = [...keys].sort(compare).map((k) => `'${k}'`);
  const list =
    quoted.length === 1
      ? quoted[0]
      : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
  return `Stack '${stack}' is missing configuration ${keys.length === 1 ? "value" : "values"} ${list}`;
}

function allowedFor(d: ConfigDeclaration): string {
  const what: Record<ConfigType, string> = {
    string: "a string",
    integer: "a whole number",
    boolean: "true or false",
    object: "a map",
    array: `a list of ${d.items ? typeName(d.items.type, d.items.items) : "values"}`,
  };
  const kind = d.type === undefined ? "any value" : what[d.type];
  return d.secret ? `${kind}, encrypted` : kind;
}

/** Why the CLI's JSON schema for Pulumi.yaml refuses an entry, or undefined when it accepts it. */
function declarationShapeProblem(key: string, entry: unknown): string | undefined {
  const where = `#/config/${key}`;
  if (typeof entry === "string" || typeof entry === "boolean" || Array.isArray(entry)) return;
  if (typeof entry === "number") {
    return Number.isInteger(entry) ? undefined : `${where}: expected integer, but got number`;
  }
  if (!isRecord(entry)) return `${where}: expected string, integer, boolean, array or object`;
  for (const attribute of Object.keys(entry)) {
    if (ATTRIBUTES.includes(attribute)) continue;
    const near = nearest(attribute, ATTRIBUTES);
    return near
      ? `${where}: additionalProperties '${attribute}' not allowed; did you mean '${near}'?`
      : `${where}: additionalProperties '${attribute}' not allowed; the allowed attributes are ${ATTRIBUTES.slice(
          0,
          -1,
        )
          .map((a) => `'${a}'`)
          .join(", ")} and '${ATTRIBUTES[ATTRIBUTES.length - 1]}'`;
  }
  const { type, items, secret, description } = entry;
  if (type !== undefined && !isConfigType(type)) {
    return `${where}/type: value must be one of ${CONFIG_TYPES.map((t) => `"${t}"`).join(", ")}`;
  }
  if (secret !== undefined && typeof secret !== "boolean") {
    return `${where}/secret: expected boolean, but got ${jsonType(secret)}`;
  }
  if (description !== undefined && typeof description !== "string") {
    return `${where}/description: expected string, but got ${jsonType(description)}`;
  }
  return items === undefined ? undefined : itemsProblem(`${where}/items`, items);
}

function itemsProblem(where: string, items: unknown): string | undefined {
  if (!isRecord(items)) return `${where}: expected object, but got ${jsonType(items)}`;
  const extra = Object.keys(items).find((k) => k !== "type" && k !== "items");
  if (extra) return `${where}: additionalProperties '${extra}' not allowed`;
  if (!isConfigType(items["type"])) {
    return `${where}/type: value must be one of ${CONFIG_TYPES.map((t) => `"${t}"`).join(", ")}`;
  }
  if (items["type"] === "array" && items["items"] === undefined) {
    return `${where}: missing properties: 'items'`;
  }
  return items["items"] === undefined ? undefined : itemsProblem(`${where}/items`, items["items"]);
}

/** The CLI's suggestion for a misspelt attribute: at most two edits away, ignoring case. */
function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of [...candidates].sort(compare)) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** `<namespace>:<name>`, or undefined where the CLI's key parser fails. */
function parseKey(key: string): string | undefined {
  const parts = key.split(":");
  if (parts.length === 2) return key;
  // The old form `<namespace>:config:<name>`, from when every value sat in a `config` module.
  if (parts.length === 3 && parts[1] === "config") return `${parts[0]}:${parts[2]}`;
  return undefined;
}

function keyReason(key: string): string {
  return `could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`;
}

/** Keys the project types and may require: bare keys and `<project>:...`. */
function isOwnKey(project: string, key: string): boolean {
  return !key.includes(":") || key.startsWith(`${project}:`);
}

/** Go's strconv.Atoi: an optional sign and decimal digits, within 64 bits. */
function isGoInt(text: string): boolean {
  if (!/^[+-]?\d+$/.test(text)) return false;
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

function isConfigType(value: unknown): value is ConfigType {
  return (CONFIG_TYPES as readonly unknown[]).includes(value);
}

/** YAML's `null` and a missing attribute are the same to the CLI: no value. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export function isSecure(value: unknown): value is { secure: string } {
  return isRecord(value) && Object.keys(value).length === 1 && typeof value["secure"] === "string";
}

/** Whether a value is secure or holds a secure value anywhere inside. */
export function hasSecure(value: unknown): boolean {
  if (isSecure(value)) return true;
  if (Array.isArray(value)) return value.some(hasSecure);
  return isRecord(value) && Object.values(value).some(hasSecure);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "number" ? "number" : typeof value;
}

/** Go's string order (bytes), which `sort.Strings` uses. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
