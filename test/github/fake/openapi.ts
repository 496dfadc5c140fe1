// GitHub's OpenAPI description (@octokit/openapi, api.github.com) as the fake's source of truth:
// every answer the fake gives is checked against the schema GitHub documents for that operation
// and status. The description is 13 MB; the few operations the fake serves need 40 KB of it, so
// that part is extracted once and cached under node_modules/.cache.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";

const PACKAGE_DIR = path.dirname(require.resolve("@octokit/openapi/package.json"));
const DESCRIPTION = path.join(PACKAGE_DIR, "generated", "api.github.com.json");
const CACHE_DIR = path.join(
  __dirname,
  "..",
  "..",
  "..",
  "node_modules",
  ".cache",
  "slipway-github-openapi",
);

/** The operations the fake serves, as the description names them (method, path template). */
export const OPERATIONS = [
  "get /repos/{owner}/{repo}/compare/{basehead}",
  "get /repos/{owner}/{repo}/commits/{commit_sha}/pulls",
  "get /repos/{owner}/{repo}/commits/{ref}",
  "get /repos/{owner}/{repo}/pulls/{pull_number}/files",
] as const;
export type Operation = (typeof OPERATIONS)[number];

type Json = Record<string, unknown>;

/** The part of the description the fake needs: per operation and status, the answer's schema. */
interface Extract {
  readonly responses: Record<string, Record<string, unknown>>;
  readonly schemas: Record<string, unknown>;
}

export class GithubOpenApi {
  private readonly ajv: Ajv;
  private readonly extract: Extract;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(extract: Extract) {
    this.extract = extract;
    // Keywords such as readOnly and deprecated are annotations: not strict.
    this.ajv = new Ajv({ strict: false });
    for (const [name, check] of Object.entries(FORMATS)) this.ajv.addFormat(name, check);
    this.ajv.addFormat("int64", { type: "number", validate: Number.isInteger });
    this.ajv.addSchema({ components: { schemas: extract.schemas } }, "github");
  }

  /**
   * Checks an answer: `undefined` when it fits the schema the description gives for `status`
   * (for a status the operation does not list, GitHub's basic-error), else what is wrong.
   */
  check(operation: Operation, status: number, body: unknown): string | undefined {
    const validate = this.validator(operation, status);
    if (validate(body)) return undefined;
    return describeErrors(validate.errors ?? []);
  }

  private validator(operation: Operation, status: number): ValidateFunction {
    const key = `${operation} ${status}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const schema = this.extract.responses[operation]?.[String(status)] ?? {
        $ref: "#/components/schemas/basic-error",
      };
      validate = this.ajv.compile({ $ref: `github${refOf(schema)}` } as Json);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

/** Schemas of answers are all `$ref`s to components/schemas; inline ones are added under a name. */
function refOf(schema: unknown): string {
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref !== "string")
    throw new Error(`an inline answer schema: ${JSON.stringify(schema)}`);
  return ref;
}

let loaded: GithubOpenApi | undefined;

/** The description's answers for OPERATIONS, loaded once per test file (from the cache when it can). */
export function githubOpenApi(): GithubOpenApi {
  loaded ??= new GithubOpenApi(readExtract());
  return loaded;
}

function readExtract(): Extract {
  const version = (
    JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  // Keyed by this file's text too: a change to the extraction makes a new cache entry.
  const key = crypto
    .createHash("sha256")
    .update(`${version}\0${fs.readFileSync(__filename, "utf8")}`)
    .digest("hex")
    .slice(0, 16);
  const cached = path.join(CACHE_DIR, `${key}.json`);
  try {
    return JSON.parse(fs.readFileSync(cached, "utf8")) as Extract;
  } catch {
    const extract = extractFrom(JSON.parse(fs.readFileSync(DESCRIPTION, "utf8")) as Json);
    try {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      const partial = `${cached}.${process.pid}`;
      fs.writeFileSync(partial, JSON.stringify(extract));
      fs.renameSync(partial, cached);
    } catch {
      // A read-only checkout extracts every time.
    }
    return extract;
  }
}

/**
 * The JSON answer schema of each operation per status (array answers become
 * `{ type: array, items }` schemas named after the operation), and every component schema
 * they reach through `$ref`.
 */
export function extractFrom(description: Json): Extract {
  const paths = description.paths as Record<string, Record<string, Json>>;
  const components = description.components as Record<string, Record<string, Json>>;
  const schemas: Record<string, unknown> = {};
  const responses: Record<string, Record<string, unknown>> = {};
  const reach = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(reach);
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        const name = value.replace("#/components/schemas/", "");
        if (!(name in schemas)) {
          schemas[name] = toJsonSchema(components.schemas![name]);
          reach(schemas[name]);
        }
      } else if (key !== "example" && key !== "examples") reach(value);
    }
  };
  for (const operation of OPERATIONS) {
    const [method, template] = operation.split(" ") as [string, string];
    const answers = (paths[template]?.[method]?.responses ?? {}) as Record<string, Json>;
    responses[operation] = {};
    for (const [status, answer] of Object.entries(answers)) {
      const resolved =
        typeof answer.$ref === "string"
          ? components.responses![answer.$ref.split("/").pop()!]!
          : answer;
      const schema = (resolved.content as Record<string, Json> | undefined)?.["application/json"]
        ?.schema;
      if (schema === undefined) continue;
      const named =
        typeof (schema as Json).$ref === "string"
          ? (schema as Json)
          : nameInline(schemas, operation, status, schema);
      responses[operation][status] = named;
      reach(schema);
    }
  }
  reach({ $ref: "#/components/schemas/basic-error" });
  return { responses, schemas };
}

function nameInline(
  schemas: Record<string, unknown>,
  operation: string,
  status: string,
  schema: unknown,
): Json {
  const name = `${operation.replace(/[^a-z0-9]+/gi, "-")}-${status}`;
  schemas[name] = toJsonSchema(schema);
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * An OpenAPI 3.0 schema as plain JSON Schema: `example`s dropped, and `nullable: true` turned
 * into a `null` type (or an `anyOf` with null where the schema has no type of its own, as for
 * `allOf` and `$ref` schemas; ajv's own `nullable` keyword refuses those).
 */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== "object" || node === null) return node;
  const { nullable, ...rest } = node as Json;
  const converted = Object.fromEntries(
    Object.entries(rest)
      .filter(([key]) => key !== "example" && key !== "examples")
      .map(([key, value]) => [key, toJsonSchema(value)]),
  );
  if (nullable !== true) return converted;
  if (typeof converted.type === "string") {
    const { enum: values, ...typed } = converted;
    return {
      ...typed,
      type: [converted.type, "null"],
      ...(Array.isArray(values) ? { enum: [...(values as unknown[]), null] } : {}),
    };
  }
  return { anyOf: [converted, { type: "null" }] };
}

/** ajv's errors as one line naming each property (`commits.0.sha: must be string`). */
function describeErrors(errors: readonly ErrorObject[]): string {
  const lines = errors
    .filter((e) => !["anyOf", "oneOf", "if"].includes(e.keyword))
    .map((e) => {
      const missing = (e.params as { missingProperty?: string }).missingProperty;
      const at = [e.instancePath.replace(/^\//, "").replace(/\//g, "."), missing]
        .filter(Boolean)
        .join(".");
      return `${at || "(body)"}: ${e.message ?? "is invalid"}`;
    });
  return [...new Set(lines)].slice(0, 3).join("; ");
}

const FORMATS: Record<string, (value: string) => boolean> = {
  uri: (v) => URL.canParse(v),
  "date-time": (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v),
  date: (v) => /^\d{4}-\d\d-\d\d$/.test(v),
  email: (v) => /^[^\s@]+@[^\s@]+$/.test(v),
  // Templates (`https://api.github.com/repos/o/r/git/blobs{/sha}`) are not URIs yet.
  "uri-template": (v) => URL.canParse(v.replace(/\{[^}]*\}/g, "")),
};
