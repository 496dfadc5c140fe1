// Property values between the engine and a provider plugin, marshaled by the engine's rules
// (`MarshalProperties`, `UnmarshalProperties` and `annotateSecrets` in the Pulumi repository's
// sdk/go/common/resource/plugin/{rpc,provider_plugin}.go):
// - a secret goes inside the secret signature only to a plugin that accepts secrets; to any other
//   it goes as its plain value, and the engine marks the answer's values secret again by name;
// - a value not known yet goes as the unknown sentinel of its type, and only when unknowns are
//   allowed (a preview); otherwise it is left out.
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Secret } from "../../cli/plan/secret";

export { Secret };
export type Props = Record<string, unknown>;

/**
 * The engine's sentinel per kind of unknown value (`UnknownStringValue` and its siblings in
 * rpc.go). Kept here, apart from the providers' own list, so that a wrong list there fails here.
 */
const SENTINELS = {
  string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  asset: "030794c1-ac77-496b-92df-f27374a8bd58",
  archive: "e48ece36-62e2-4504-bad9-02848725956a",
  object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;
export type UnknownKind = keyof typeof SENTINELS;
const KIND_OF = new Map(
  Object.entries(SENTINELS).map(([kind, s]) => [s as string, kind as UnknownKind]),
);

/** A value the engine does not know yet (its `resource.Computed`), of a type it knows. */
export class Computed {
  constructor(readonly kind: UnknownKind = "string") {}
}

export const unknown = (kind?: UnknownKind): Computed => new Computed(kind);
export const secret = (value: unknown): Secret => new Secret(value);

export interface MarshalOptions {
  /** The plugin accepts secrets (its Configure or Handshake said so). */
  readonly keepSecrets: boolean;
  /** Unknowns are allowed: a preview. */
  readonly keepUnknowns: boolean;
}

/**
 * The key that marks a special value and the value of that key for a secret (`sig.Key` and
 * `sig.Secret` in the Pulumi repository's sdk/go/common/resource/sig). The engine's own values,
 * not the SDK's, for the same reason as the sentinels; the SDK is not even loaded here.
 */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const LEFT_OUT = Symbol("left out");

export function toStruct(props: Props, options: MarshalOptions): Struct {
  return Struct.fromJavaScript(marshal(props, options) as Record<string, never>);
}

function marshal(value: unknown, options: MarshalOptions): unknown {
  if (value instanceof Computed) {
    return options.keepUnknowns ? SENTINELS[value.kind] : LEFT_OUT;
  }
  if (value instanceof Secret) {
    const inner = marshal(value.value, options);
    return options.keepSecrets ? { [SIG]: SECRET_SIG, value: inner } : inner;
  }
  if (Array.isArray(value)) {
    return value.map((item) => marshal(item, options)).filter((item) => item !== LEFT_OUT);
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .map(([key, item]) => [key, marshal(item, options)])
        .filter(([, item]) => item !== LEFT_OUT && item !== undefined),
    );
  }
  return value;
}

/** A plugin's answer, with the engine's markers: sentinels as `Computed`, secrets as `Secret`. */
export function fromStruct(struct: Struct | undefined): Props {
  return struct === undefined ? {} : (unmarshal(struct.toJavaScript()) as Props);
}

function unmarshal(value: unknown): unknown {
  const kind = typeof value === "string" ? KIND_OF.get(value) : undefined;
  if (kind !== undefined) return new Computed(kind);
  if (Array.isArray(value)) return value.map(unmarshal);
  if (value === null || typeof value !== "object") return value;
  const record = value as Props;
  if (record[SIG] === SECRET_SIG) return new Secret(unmarshal(record["value"]));
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unmarshal(v)]));
}

const isPlainObject = (value: unknown): value is Props =>
  value !== null &&
  typeof value === "object" &&
  !Array.isArray(value) &&
  !(value instanceof Secret) &&
  !(value instanceof Computed);

function containsSecrets(value: unknown): boolean {
  if (value instanceof Secret) return true;
  if (Array.isArray(value)) return value.some(containsSecrets);
  return isPlainObject(value) && Object.values(value).some(containsSecrets);
}

/**
 * What the engine does with the answer of a plugin that does not accept secrets: each value whose
 * input of the same name held a secret becomes secret, looking into objects key by key. A value
 * the plugin answers under another name stays plain.
 */
export function annotateSecrets(outs: Props, ins: Props): Props {
  const result: Props = { ...outs };
  for (const [key, input] of Object.entries(ins)) {
    if (!(key in result)) continue;
    const output = result[key];
    if (isPlainObject(output) && isPlainObject(input)) {
      result[key] = annotateSecrets(output, input);
    } else if (!(output instanceof Secret) && containsSecrets(input)) {
      result[key] = new Secret(output);
    }
  }
  return result;
}

/** The value with secrets opened, as the engine hands it to the Configure of any plugin. */
export function removeSecrets(value: unknown): unknown {
  if (value instanceof Secret) return removeSecrets(value.value);
  if (Array.isArray(value)) return value.map(removeSecrets);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, removeSecrets(v)]));
  }
  return value;
}
