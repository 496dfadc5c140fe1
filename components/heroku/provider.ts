// What every slipway Heroku provider shares: a dynamic provider built from a small spec (check, a
// local diff, create/read/update/delete over the Platform API client). The resources that carry
// these providers are in resources.ts.
//
// Everything a provider's functions reference is serialized into the resource's state, so this
// module keeps them small and free of secrets: the token is read at call time (token.ts).
import type * as pulumi from "@pulumi/pulumi";
import { configureApiKey, ConfigureRequestLike } from "../../heroku/token";

export type Props = Record<string, unknown>;

/** The input that carries the serialized provider; no diff ever looks at it. */
export const PROVIDER_KEY = "__provider";

/** How Pulumi marks an input whose value is not known yet (during a preview). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Every way the engine marks an unknown value. The Node.js SDK sends `UNKNOWN_VALUE` for all of
 * them; the engine sends a typed one (bool, number, array, asset, archive, object) for a value
 * whose type it knows, such as another provider's output in a preview (`UnknownBoolValue` and its
 * siblings in the engine's `sdk/go/common/resource/plugin/rpc.go`).
 */
export const UNKNOWN_VALUES: readonly string[] = [
  UNKNOWN_VALUE,
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/**
 * How an input's change is applied: `true` replaces the resource; a function decides per change
 * (an add-on's plan replaces it only when the service changes).
 */
export type ReplaceRule<I, O> = true | ((olds: O, news: I) => boolean);

/** One Heroku resource type: what the generic provider calls. */
export interface ResourceSpec<I extends Props, O extends I> {
  /** The inputs the diff compares; anything else (outputs, `__provider`) never counts. */
  readonly inputs: readonly (keyof I & string)[];
  /** Inputs whose change replaces the resource; every other change updates it in place. */
  readonly replaceOn: Partial<Record<keyof I & string, ReplaceRule<I, O>>>;
  /** Per input, when the stored value already satisfies the wanted one (absent means equal). */
  readonly satisfies?: Partial<
    Record<keyof I & string, (stored: unknown, wanted: unknown) => boolean>
  >;
  /** The inputs with defaults filled in and normalized, and what is wrong with them. */
  check(news: Props): { inputs: Props; failures: CheckFailure[] };
  create(inputs: I): Promise<{ id: string; outs: O }>;
  /** The resource as Heroku has it now, from exactly one GET; `undefined` when it is gone. */
  read(id: string, olds: O): Promise<O | undefined>;
  update(id: string, olds: O, news: I): Promise<O>;
  /** Deletes the resource; answers of 404 (already gone) count as done. */
  delete(id: string, olds: O): Promise<void>;
}

/** Turns a spec into the object Pulumi's dynamic provider host drives. */
export function defineProvider<I extends Props, O extends I>(
  spec: ResourceSpec<I, O>,
): pulumi.dynamic.ResourceProvider {
  return {
    configure(req: ConfigureRequestLike): Promise<void> {
      // Done before returning, on purpose: the SDK's host caches a provider before it awaits its
      // `configure`, so a concurrent call may use the provider before the promise settles.
      configureApiKey(req);
      return Promise.resolve();
    },
    check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
      const { inputs, failures } = spec.check(withoutProvider(news));
      return Promise.resolve({ inputs, failures });
    },
    diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
      return Promise.resolve(diffInputs(spec, olds as O, news as I));
    },
    async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
      try {
        const { id, outs } = await spec.create(withoutProvider(inputs) as I);
        return { id, outs: compact(outs) };
      } catch (error) {
        throw forTheHost(error, inputs);
      }
    },
    async read(id: string, props?: Props): Promise<pulumi.dynamic.ReadResult> {
      const live = await spec.read(id, withoutProvider(props ?? {}) as O);
      // No id tells the engine the resource is gone.
      return live === undefined ? {} : { id, props: compact(live) };
    },
    async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
      try {
        const outs = await spec.update(id, withoutProvider(olds) as O, withoutProvider(news) as I);
        return { outs: compact(outs) };
      } catch (error) {
        throw forTheHost(error, news);
      }
    },
    async delete(id: string, props: Props): Promise<void> {
      await spec.delete(id, withoutProvider(props) as O);
    },
  };
}

/**
 * The local diff: no API call. Compares each input of the spec with the stored outputs (which
 * carry the inputs forward and, after a refresh, what Heroku had). Every resource answers
 * `deleteBeforeReplace`: each is unique in its scope (app and pipeline names, one coupling per
 * app, one config var per name), so a replacement created first would collide with the old one.
 *
 * A value unknown in a preview counts as a change but never as a replacement: the app's id is
 * unknown in the preview of any change to the app (the SDK's host has no preview support, so the
 * engine hands back the inputs as the app's outputs, without `appId`), and replacing every child
 * on that would be wrong and, for protected children, an error. The update's own diff decides
 * once the value is known (docs/heroku.md, "Against the engine").
 */
export function diffInputs<I extends Props, O extends I>(
  spec: Pick<ResourceSpec<I, O>, "inputs" | "replaceOn" | "satisfies">,
  olds: O,
  news: I,
): pulumi.dynamic.DiffResult {
  const changed = spec.inputs.filter((key) => {
    const satisfies = spec.satisfies?.[key];
    if (satisfies && !containsUnknown(news[key])) return !satisfies(olds[key], news[key]);
    return !sameValue(olds[key], news[key]);
  });
  const replaces = changed.filter((key) => {
    if (containsUnknown(news[key])) return false;
    const rule = spec.replaceOn[key];
    return rule === true || (rule !== undefined && rule(olds, news));
  });
  return { changes: changed.length > 0, replaces, deleteBeforeReplace: true };
}

/** Equal as JSON with sorted keys, where `null`, `undefined` and a missing key are the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value !== "object") return value;
  const record = value as Props;
  return Object.fromEntries(
    Object.keys(record)
      .filter((key) => record[key] !== null && record[key] !== undefined)
      .sort()
      .map((key) => [key, normalize(record[key])]),
  );
}

/** Whether `value` is, or holds, a value Pulumi does not know yet. */
export function containsUnknown(value: unknown): boolean {
  if (typeof value === "string") return UNKNOWN_VALUES.includes(value);
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object")
    return Object.values(value).some(containsUnknown);
  return false;
}

/** Drops keys whose value is `undefined`: the engine's wire format has no place for them. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as T;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, compact(v)]),
  ) as T;
}

/** The marker `initFailure` sets: only errors it made report a resource that exists. */
const INIT_FAILURE = "slipwayInitFailure";

/** What the SDK's host reads off an error to report a resource created but not initialized. */
interface InitFailure extends Error {
  id: string;
  properties: Props;
  reasons: string[];
}

/**
 * `error`, as the report of a resource that exists but did not become ready (an add-on still
 * provisioning, an app whose buildpacks were refused): the engine keeps it in state under `id`
 * with `outs` as its outputs and the message as its init error, so a refresh reads it, the next
 * `pulumi up` updates it and a destroy deletes it. Without this the engine forgets it exists.
 */
export function initFailure(error: unknown, id: string, outs: Props): Error {
  // Not `instanceof Error`: serialized into a provider, the client's error classes are not.
  const failure = (
    typeof error === "object" && error !== null ? error : new Error(String(error))
  ) as Error;
  return Object.assign(failure, {
    id,
    properties: outs,
    reasons: [failure.message],
    // Stryker disable next-line BooleanLiteral: equivalent, isInitFailure asks whether the key is there, not its value
    [INIT_FAILURE]: true,
  });
}

function isInitFailure(error: unknown): error is InitFailure {
  return typeof error === "object" && error !== null && INIT_FAILURE in error;
}

/**
 * A failed create or update as the SDK's host must read it. Its `grpcResponseFromError` takes any
 * error with an `id` for a resource that exists, and its `properties` for the outputs as they are:
 * without the `__provider` it adds to every other answer, and needs to load the provider for each
 * later call (read, update, delete). So an init failure gets `__provider`; any other error with an
 * `id` (a HerokuApiError's is Heroku's error id, `invalid_params`) goes on as a plain error, or
 * the engine would record a resource under that id.
 */
function forTheHost(error: unknown, inputs: Props): unknown {
  if (isInitFailure(error)) {
    error.properties = compact({ ...error.properties, [PROVIDER_KEY]: inputs[PROVIDER_KEY] });
    return error;
  }
  if (typeof error === "object" && error !== null && "id" in error) {
    const { message, stack } = error as Partial<Error>;
    const plain = new Error(String(message), { cause: error });
    plain.stack = stack;
    return plain;
  }
  return error;
}

function withoutProvider(props: Props): Props {
  const rest = { ...props };
  delete rest[PROVIDER_KEY];
  return rest;
}

/**
 * After an uncertain create, a resource found under the wanted name is adopted only when Heroku
 * made it this recently (and it matches): an older one is someone else's, or an earlier one's.
 */
export const ADOPT_WINDOW_MS = 10 * 60_000;

/** Whether Heroku says `resource` was created at or after `sinceMs`. */
export function createdSince(resource: { created_at: string }, sinceMs: number): boolean {
  return Date.parse(resource.created_at) >= sinceMs;
}

/** Whether `text` is a UUID: Heroku's ids, as opposed to names. */
export function isUuid(text: unknown): text is string {
  return (
    typeof text === "string" &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)
  );
}
