// Turns the raw `slipway:*` values of a stack into settings, or into problems a person can act on.
import { z } from "zod";
import { Problem, SlipwayError } from "../errors";
import { awsConfigProblems } from "./aws";
import { contradictions, inapplicableSections } from "./contradictions";
import { databaseNetworkProblems } from "./network";
import { SECRET_PLACEHOLDER } from "./limits";
import { FieldMeta, SlipwaySettings, slipwaySchema } from "./schema";

export const NAMESPACE = "slipway";

export type StackKind = "production" | "staging" | "review";

/** Validated settings plus what the stack name says about the stack. */
export interface ValidatedSettings {
  readonly stack: string;
  readonly kind: StackKind;
  /** For review stacks: the branch slug the stack is for (`review-<slug>`). */
  readonly reviewSlug?: string;
  readonly settings: SlipwaySettings;
}

/** Keys in the `slipway` namespace, fully qualified. */
export const SLIPWAY_KEYS = Object.keys(slipwaySchema.shape).map((k) => `${NAMESPACE}:${k}`);

/** A review stack's name: `review-<slug>`, the slug 1-40 of [a-z0-9-] starting with a letter or digit. */
export const REVIEW_STACK = /^review-([a-z0-9][a-z0-9-]{0,39})$/;

/**
 * Validates the `slipway` namespace of a stack's configuration.
 *
 * @param raw - top-level keys without the namespace (`app`, `database`) mapped to parsed values.
 * @param stack - the stack's name, which decides its kind.
 * @param secretKeys - keys (without namespace) whose values are secrets: never echoed back.
 * @param otherKeys - the stack's keys in other namespaces, checked for a misspelled `slipway`.
 * @param otherValues - those keys' values, when known: the `aws:` ones are checked too.
 * @throws SlipwayError listing every problem found, not only the first.
 */
export function validateSettings(
  raw: Readonly<Record<string, unknown>>,
  stack: string,
  // Stryker disable next-line ArrayDeclaration: equivalent, a default naming a key no slipway field has marks no value secret
  secretKeys: readonly string[] = [],
  // Stryker disable next-line ArrayDeclaration: equivalent, a default key without a namespace is never taken for a misspelled one
  otherKeys: readonly string[] = [],
  otherValues?: Readonly<Record<string, unknown>>,
): ValidatedSettings {
  const result = slipwaySchema.safeParse(raw, { reportInput: true });
  const problems: Problem[] = misspelledNamespaces(otherKeys);
  if (!result.success) {
    problems.push(...result.error.issues.flatMap((issue) => describeIssue(issue, raw, secretKeys)));
  }
  const kind = deriveKind(stack, raw["environment"], problems);
  if (kind && otherValues) problems.push(...awsConfigProblems(otherValues, kind));
  if (kind) problems.push(...inapplicableSections(raw, kind));
  if (result.success && kind) {
    problems.push(...requiredForKind(result.data, kind));
    if (kind !== "review") {
      problems.push(...databaseNetworkProblems(result.data), ...contradictions(result.data));
    }
  }
  if (problems.length > 0 || !result.success || !kind) {
    throw new SlipwayError(problems);
  }
  const reviewSlug = kind === "review" ? (REVIEW_STACK.exec(stack)?.[1] ?? stack) : undefined;
  return { stack, kind, reviewSlug, settings: result.data };
}

/** The namespaces a slipway stack's config uses: its own, and the providers' it configures. */
const KNOWN_NAMESPACES = [NAMESPACE, "aws", "heroku", "github"];

/** Namespaces a letter or two away from a known one are typos whose keys would be ignored. */
export function misspelledNamespaces(keys: readonly string[]): Problem[] {
  return keys.flatMap((key) => {
    const [namespace] = key.split(":") as [string, ...string[]];
    const near = closest(namespace, KNOWN_NAMESPACES);
    if (!key.includes(":") || KNOWN_NAMESPACES.includes(namespace) || near === undefined) return [];
    const rest = key.slice(key.indexOf(":") + 1);
    return [
      {
        key,
        message: `unknown namespace, so Pulumi would pass it to no one. Did you mean ${near}:${rest}? Fix: rename the key in the stack's config file.`,
      },
    ];
  });
}

function deriveKind(
  stack: string,
  environment: unknown,
  problems: Problem[],
): StackKind | undefined {
  const fromName: StackKind | undefined =
    stack === "production" || stack === "staging"
      ? stack
      : REVIEW_STACK.test(stack)
        ? "review"
        : undefined;
  const declared =
    environment === "production" || environment === "staging" || environment === "review"
      ? environment
      : undefined;
  // "" (the default) leaves the kind to the stack name; another value is reported by the schema.
  if (environment !== undefined && environment !== "" && declared === undefined) return undefined;
  if (fromName && declared && fromName !== declared) {
    problems.push({
      key: `${NAMESPACE}:environment`,
      message:
        `says ${JSON.stringify(declared)} but the stack is named ${JSON.stringify(stack)}, which makes it ${fromName}. ` +
        `Fix: remove slipway:environment from this stack, or name the stack for what it is.`,
    });
    return undefined;
  }
  const kind = fromName ?? declared;
  if (!kind) {
    problems.push({
      key: `${NAMESPACE}:environment`,
      message:
        `missing: the stack ${JSON.stringify(stack)} is not named production, staging or review-<slug>, ` +
        `so its kind must be declared. Allowed: production, staging or review. ` +
        `Fix: pulumi config set slipway:environment staging --stack ${stack}`,
    });
  }
  return kind;
}

/** Fields with no default that some kinds of stack cannot do without, and where they are needed. */
export const REQUIRED_FIELDS: readonly { path: string; kinds: readonly StackKind[] }[] = [
  { path: "app.name", kinds: ["production", "staging", "review"] },
  { path: "pipeline.name", kinds: ["production"] },
  { path: "github.owner", kinds: ["production"] },
  { path: "github.repository", kinds: ["production"] },
  { path: "github.platformRepository", kinds: ["production"] },
];

const REQUIRED_EXAMPLES: Record<string, string> = {
  "pipeline.name": "acme-web",
  "github.owner": "acme",
  "github.repository": "acme-web",
  "github.platformRepository": "acme/slipway",
};

function requiredForKind(settings: SlipwaySettings, kind: StackKind): Problem[] {
  const valueAt = (path: string) =>
    path
      .split(".")
      .reduce<unknown>((v, part) => (v as Record<string, unknown> | undefined)?.[part], settings);
  return REQUIRED_FIELDS.filter((f) => f.kinds.includes(kind) && valueAt(f.path) === undefined).map(
    ({ path }) => {
      const example =
        REQUIRED_EXAMPLES[path] ?? (kind === "production" ? "acme-web" : `acme-web-${kind}`);
      return {
        key: `${NAMESPACE}:${path}`,
        message:
          `missing: a ${kind} stack needs it and it has no default. ` +
          `Fix: pulumi config set --path '${NAMESPACE}:${path}' ${example}`,
      };
    },
  );
}

function describeIssue(
  issue: z.core.$ZodIssue,
  raw: Readonly<Record<string, unknown>>,
  secretKeys: readonly string[],
): Problem[] {
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((unknownKey) => unknownKeyProblem([...path, unknownKey]));
  }
  const key = qualified(path);
  const secret = path[0] !== undefined && secretKeys.includes(path[0]);
  if (issue.code === "invalid_key") {
    // A map key (a process type, a config var name) that the platform would refuse.
    const field = keyMetaAt(path.slice(0, -1));
    // Stryker disable next-line StringLiteral: equivalent, the path of a map key ends in that key, so `?? ""` never applies
    const name = path[path.length - 1] ?? "";
    return [
      {
        key,
        message:
          `got the name ${JSON.stringify(name)}: not allowed as a name here.` +
          (field ? ` Allowed: ${field.allowed}.` : "") +
          ` Fix: rename it in the stack's config file${field ? ` (for example ${field.example})` : ""}.`,
      },
    ];
  }
  const present = hasPath(raw, path);
  const received = !present ? "nothing" : secret ? "[secret]" : show(issue.input);
  const field = metaAt(path);
  const allowed = field ? ` Allowed: ${field.allowed}.` : "";
  if (issue.input === SECRET_PLACEHOLDER) {
    // Stored with --secret where plain text is needed: the value cannot be checked, or used.
    return [
      {
        key,
        message:
          `got a value stored with --secret, and this field takes plain text that slipway checks ` +
          `(it is not a secret).${allowed} Fix: drop --secret: pulumi config set --path '${key}' ${field?.example ?? "<value>"}`,
      },
    ];
  }
  const reason = explain(issue);
  return [{ key, message: `got ${received}: ${reason}.${allowed} ${fixFor(key, field, secret)}` }];
}

/** `pulumi config set --path` for a plain value; an edit of the YAML for lists, maps and quoting. */
function fixFor(key: string, field: FieldMeta | undefined, secret: boolean): string {
  const example = field?.example ?? "<value>";
  if (/^[[{"]/.test(example)) {
    return `Fix: set it in the stack's config file, for example ${key.split(/[.:]/).pop() ?? key}: ${example}.`;
  }
  return `Fix: pulumi config set --path '${key}' ${example}${secret ? " --secret" : ""}`;
}

/** Keys slipway once had, and what took their place. */
const REPLACED_KEYS: Readonly<Record<string, string>> = {
  "database.publiclyAccessible":
    "was replaced by slipway:database.network, which decides public access: private-space " +
    "keeps the database off the internet; static-egress and public give it a public address. " +
    "Allowed: private-space, static-egress or public in slipway:database.network. Fix: remove " +
    "publiclyAccessible from the stack's config file and set slipway:database.network " +
    "(docs/database.md, The network).",
};

function unknownKeyProblem(path: string[]): Problem {
  const replaced = REPLACED_KEYS[path.join(".")];
  if (replaced !== undefined) return { key: qualified(path), message: replaced };
  const parent = path.slice(0, -1);
  // Stryker disable next-line StringLiteral: equivalent, the path ends in the unknown key, so `?? ""` never applies
  const name = path[path.length - 1] ?? "";
  const candidates = keysAt(parent);
  const suggestion = closest(name, candidates);
  const where = parent.length === 0 ? `the ${NAMESPACE} namespace` : qualified(parent);
  return {
    key: qualified(path),
    message:
      `unknown key in ${where}.` +
      (suggestion ? ` Did you mean ${qualified([...parent, suggestion])}?` : "") +
      ` Allowed: ${candidates.join(", ")}. Fix: rename or remove it in the stack's config file.`,
  };
}

/** What zod found, in words; a rule of the schema's own (`custom`) says it in its message. */
export function explain(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected === "record" ? "an object" : issue.expected}`;
    case "too_big":
      return issue.origin === "array"
        ? `more than ${String(issue.maximum)} entries`
        : `above the maximum of ${String(issue.maximum)}`;
    case "too_small":
      return issue.origin === "array"
        ? Number(issue.minimum) === 1
          ? "an empty list"
          : `fewer than ${String(issue.minimum)} entries`
        : issue.origin === "string"
          ? "empty"
          : `below the minimum of ${String(issue.minimum)}`;
    case "invalid_format":
      return "not in the allowed format";
    case "invalid_value":
      return "not one of the allowed values";
    case "not_multiple_of":
      return "not a whole number";
    default:
      return issue.message;
  }
}

function qualified(path: readonly string[]): string {
  const [first, ...rest] = path;
  // Stryker disable next-line ConditionalExpression: equivalent, zod reports the namespace itself only when it is not an object, and a stack's config always is
  if (first === undefined) return NAMESPACE;
  return configPath(`${NAMESPACE}:${first}`, rest);
}

/** A path inside a config key as `pulumi config set --path` writes it: `slipway:app.logDrains[0]`. */
export function configPath(key: string, path: readonly (string | number)[]): string {
  const segment = (p: string | number) =>
    typeof p === "number" || /^\d+$/.test(p) ? `[${p}]` : /^\w+$/.test(p) ? `.${p}` : `["${p}"]`;
  return key + path.map(segment).join("");
}

function hasPath(value: unknown, path: readonly string[]): boolean {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== "object" || !(part in current)) return false;
    current = (current as Record<string, unknown>)[part];
  }
  return true;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Walks the schema along `path`, through optional/default wrappers, records and arrays. */
function schemaAt(path: readonly string[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = slipwaySchema;
  for (const part of path) {
    current = current ? unwrap(current) : undefined;
    if (current instanceof z.ZodObject)
      current = (current.shape as Record<string, z.ZodType>)[part];
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else return undefined;
  }
  return current;
}

/** The schema inside optional, default and prefault wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodDefault ||
    current instanceof z.ZodPrefault
  ) {
    current = current.def.innerType as z.ZodType;
  }
  return current;
}

/** A field's `allowed`/`example` text, wherever among its wrappers it was attached. */
export function metaOf(schema: z.ZodType | undefined): FieldMeta | undefined {
  let current = schema;
  while (current) {
    const found = current.meta() as FieldMeta | undefined;
    if (found?.allowed) return found;
    const inner = unwrap(current);
    current = inner === current ? undefined : inner;
  }
  return undefined;
}

function metaAt(path: readonly string[]): FieldMeta | undefined {
  return metaOf(schemaAt(path));
}

/** The meta of a record's key schema at `path` (what a valid map key looks like). */
function keyMetaAt(path: readonly string[]): FieldMeta | undefined {
  const schema = schemaAt(path);
  const inner = schema ? unwrap(schema) : undefined;
  if (!(inner instanceof z.ZodRecord)) return undefined;
  return (inner.keyType as z.ZodType).meta() as FieldMeta | undefined;
}

function keysAt(path: readonly string[]): string[] {
  const schema = schemaAt(path);
  const inner = schema ? unwrap(schema) : undefined;
  // Stryker disable next-line ArrayDeclaration: equivalent, zod reports unknown keys only in objects, so the parent is always one
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

/** The candidate within edit distance 2 (or a third of the word) of `word`, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  const tolerance = Math.max(2, Math.floor(word.length / 3));
  for (const candidate of candidates) {
    // The distance is at least the difference in length: a huge value costs nothing here.
    // Stryker disable next-line ConditionalExpression: equivalent in the result (the skip saves time): a candidate that much longer or shorter is further than the tolerance
    if (Math.abs(word.length - candidate.length) > tolerance) continue;
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= tolerance ? best.candidate : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
