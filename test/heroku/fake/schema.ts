// Heroku's Platform API hyper-schema as the fake's source of truth: every `links[]` entry becomes a
// route (method + href template), request bodies are checked against the link's `schema`, and the
// fake's own answers against its `targetSchema`, so the fake cannot drift from the real API.
import * as fs from "node:fs";
import * as path from "node:path";
import AjvDraft04 from "ajv-draft-04";
import type { ErrorObject, ValidateFunction } from "ajv";

export const SCHEMA_FILE = path.join(__dirname, "platform-api-schema.json");

interface Link {
  readonly href: string;
  readonly method: string;
  readonly schema?: unknown;
  readonly targetSchema?: unknown;
  readonly title?: string;
}

/** One placeholder of a route: `{app}` from `#/definitions/app/definitions/identity`. */
export interface RouteParam {
  readonly name: string;
  /** True when the href names `.../definitions/id`: Heroku takes the id only, not a name. */
  readonly idOnly: boolean;
}

/** One method + href of the schema. Several links can share a route (release create/rollback). */
export interface Route {
  /** `GET /apps/{app}`: the key requests are counted and faults are scripted by. */
  readonly key: string;
  readonly method: string;
  readonly params: readonly RouteParam[];
  readonly pattern: RegExp;
  /** JSON pointers (`#/definitions/app/links/0`) of the links behind this route. */
  readonly links: readonly string[];
}

type Json = Record<string, unknown>;

export class PlatformSchema {
  readonly routes: readonly Route[];
  private readonly document: Json;
  private readonly ajv: AjvDraft04;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: Json) {
    this.document = document;
    this.ajv = new AjvDraft04({
      strict: false,
      allErrors: true,
      unicodeRegExp: false,
      // The document's `$schema` is interagent's hyper-schema, which ajv does not carry.
      validateSchema: false,
      // Compiling is most of the fake's start-up: each definition is compiled once and shared by
      // the links that refer to it, and the generated code is not optimized (it runs a few
      // hundred times per test file). Neither changes what is valid or the errors' paths.
      inlineRefs: false,
      code: { optimize: false },
    });
    for (const [name, check] of Object.entries(FORMATS)) this.ajv.addFormat(name, check);
    // `example` values are documentation; some hold `id` fields ajv would read as schema ids.
    this.ajv.addSchema(withoutExamples(document) as Json, "heroku");
    this.routes = buildRoutes(document);
  }

  /** The route a request goes to, with its placeholder values decoded; most literal route wins. */
  match(method: string, urlPath: string): { route: Route; values: string[] } | undefined {
    let best: { route: Route; values: string[] } | undefined;
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(urlPath);
      if (!m) continue;
      if (best && best.route.params.length <= route.params.length) continue;
      best = { route, values: m.slice(1).map((v) => decodeURIComponent(v)) };
    }
    return best;
  }

  /** Whether any route has this method and path (to tell 404 from 405-like mistakes). */
  knowsPath(urlPath: string): boolean {
    return this.routes.some((r) => r.pattern.test(urlPath));
  }

  /**
   * Checks a request body against the route's link schemas: `undefined` when one accepts it,
   * else a message naming the offending property.
   */
  checkBody(route: Route, body: unknown): string | undefined {
    let first: string | undefined;
    for (const link of route.links) {
      if (this.pointer(`${link}/schema`) === undefined) return undefined;
      const validate = this.validator(`${link}/schema`);
      if (validate(body ?? {})) return undefined;
      first ??= describeErrors(validate.errors ?? []);
    }
    return first;
  }

  /**
   * Checks an answer against the route's `targetSchema` and that it has every property the
   * resource definition lists (Heroku always sends them all, null or not).
   */
  checkAnswer(route: Route, body: unknown): string | undefined {
    const link = route.links[0]!;
    const target = this.pointer(`${link}/targetSchema`);
    if (target === undefined) return undefined;
    const validate = this.validator(`${link}/targetSchema`);
    if (!validate(body)) return describeErrors(validate.errors ?? []);
    const { properties, list } = this.shapeOf(target);
    const items = list && Array.isArray(body) ? (body as unknown[]) : [body];
    for (const item of items) {
      const missing = properties.filter((p) => !(p in (item as Json)));
      if (missing.length > 0) return `missing properties: ${missing.join(", ")}`;
    }
    return undefined;
  }

  /** Compiles the checks of the routes with these keys now, so first requests are not slow. */
  prepare(keys: readonly string[]): void {
    for (const route of this.routes.filter((r) => keys.includes(r.key))) {
      for (const link of route.links) {
        for (const part of ["schema", "targetSchema"]) {
          if (this.pointer(`${link}/${part}`) !== undefined) this.validator(`${link}/${part}`);
        }
      }
    }
  }

  /** The properties a resource definition lists (`app` -> acm, archived_at, ...). */
  propertiesOf(definition: string): string[] {
    return Object.keys((this.pointer(`#/definitions/${definition}/properties`) as Json) ?? {});
  }

  private shapeOf(target: unknown): { properties: string[]; list: boolean } {
    const resolved = this.resolve(target) as Json;
    if (resolved.items !== undefined) {
      return { properties: this.shapeOf(resolved.items).properties, list: true };
    }
    return { properties: Object.keys((resolved.properties as Json) ?? {}), list: false };
  }

  private resolve(schema: unknown): unknown {
    let current = schema as Json;
    while (typeof current.$ref === "string") current = this.pointer(current.$ref) as Json;
    return current;
  }

  private pointer(ref: string): unknown {
    const parts = ref.replace(/^#\/?/, "").split("/").filter(Boolean);
    let node: unknown = this.document;
    for (const part of parts) {
      node = (node as Json | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    return node;
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.getSchema(`heroku${ref}`);
      if (!validate) throw new Error(`no schema at ${ref}`);
      this.compiled.set(ref, validate);
    }
    return validate;
  }
}

let loaded: PlatformSchema | undefined;

/** The schema of `platform-api-schema.json`, loaded once per test file. */
export function platformSchema(): PlatformSchema {
  loaded ??= new PlatformSchema(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as Json);
  return loaded;
}

function buildRoutes(document: Json): Route[] {
  const byKey = new Map<string, { route: Omit<Route, "links">; links: string[] }>();
  const definitions = document.definitions as Record<string, { links?: Link[] }>;
  for (const [definition, resource] of Object.entries(definitions)) {
    (resource.links ?? []).forEach((link, index) => {
      const params: RouteParam[] = [];
      const template = link.href.replace(/\{\(([^)]*)\)\}/g, (_all, encoded: string) => {
        const ref = decodeURIComponent(encoded);
        const m = /^#\/definitions\/([^/]+)\/definitions\/([^/]+)$/.exec(ref);
        params.push({ name: m?.[1] ?? ref, idOnly: m?.[2] === "id" });
        return `{${m?.[1] ?? ref}}`;
      });
      const key = `${link.method} ${template}`;
      const source = template
        .split(/\{[^}]*\}/)
        .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("([^/]+)");
      const entry = byKey.get(key) ?? {
        route: { key, method: link.method, params, pattern: new RegExp(`^${source}$`) },
        links: [],
      };
      entry.links.push(`#/definitions/${definition}/links/${index}`);
      byKey.set(key, entry);
    });
  }
  return [...byKey.values()].map(({ route, links }) => ({ ...route, links }));
}

function withoutExamples(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutExamples);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== "example")
      .map(([key, value]) => [key, withoutExamples(value)]),
  );
}

/** ajv's errors as one line that names each property: `name: must match pattern "..."`. */
function describeErrors(errors: readonly ErrorObject[]): string {
  const lines = errors
    .filter((e) => e.keyword !== "anyOf" && e.keyword !== "oneOf")
    .map((e) => {
      const params = e.params as { missingProperty?: string; additionalProperty?: string };
      const at = e.instancePath.replace(/^\//, "").replace(/\//g, ".");
      const child = params.missingProperty ?? params.additionalProperty;
      const property = [at, child].filter(Boolean).join(".") || "(body)";
      const message = child ? e.message?.replace(/ '.*'$/, "") : e.message;
      return `${property}: ${message ?? "is invalid"}`;
    });
  return [...new Set(lines)].slice(0, 3).join("; ");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const FORMATS: Record<string, (value: string) => boolean> = {
  uuid: (v) => UUID.test(v),
  uri: (v) => URL.canParse(v),
  "date-time": (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v),
  date: (v) => /^\d{4}-\d\d-\d\d$/.test(v),
  email: (v) => /^[^\s@]+@[^\s@]+$/.test(v),
  ipv4: () => true,
  ipv6: () => true,
  hostname: () => true,
  regex: () => true,
};
