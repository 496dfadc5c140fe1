// Property values as the engine receives them, decoded from Pulumi's wire format into plain data
// with two markers left in: secrets and values not known until the resources exist.
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "./secret";

export { Secret };

/** A value that is not known at plan time (an output of something not yet created). */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

const rpc = pulumi.runtime;
const SIG = rpc.specialSigKey;

/** Decodes one value of a serialized property struct (`Struct.toJavaScript()`). */
export function decode(value: unknown): unknown {
  if (value === rpc.unknownValue) return UNKNOWN;
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  switch (record[SIG]) {
    case rpc.specialSecretSig:
      return new Secret(decode(record["value"]));
    case rpc.specialResourceSig:
      return record["urn"];
    case rpc.specialAssetSig:
    case rpc.specialArchiveSig:
      return `[asset ${JSON.stringify(record["path"] ?? record["uri"] ?? "text")}]`;
    case rpc.specialOutputValueSig: {
      const inner = "value" in record ? decode(record["value"]) : UNKNOWN;
      return record["secret"] === true ? new Secret(inner) : inner;
    }
    default:
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decode(v)]));
  }
}

/** Plain data for printing: secrets as `[secret]`, unknowns as `[unknown]`. */
export function redact(value: unknown): unknown {
  if (value instanceof Secret) return "[secret]";
  if (value === UNKNOWN) return "[unknown]";
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
  }
  return value;
}

/** The value with secrets opened, as the engine hands inputs to a policy. Unknowns stay. */
export function reveal(value: unknown): unknown {
  if (value instanceof Secret) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}
