// Input checks of the Heroku providers: each failure names the property, the value received and
// what is allowed, and the checked inputs come back normalized with defaults filled in. Values
// Pulumi does not know yet (a preview) pass unchecked: they are checked again when known.
import { CheckFailure, containsUnknown, Props } from "./provider";

export class InputChecker {
  readonly failures: CheckFailure[] = [];
  /** The checked inputs: what was given, normalized, with defaults. */
  readonly inputs: Props = {};

  constructor(private readonly news: Props) {}

  /** A string matching `pattern` (required unless `fallback` is given; `null` allows absence). */
  string(key: string, pattern: RegExp, allowed: string, fallback?: string | null): this {
    return this.field(key, fallback, allowed, (v) => typeof v === "string" && pattern.test(v));
  }

  /** Like `string`, for a secret: a failure says what is allowed and never shows the value. */
  secretString(key: string, pattern: RegExp, allowed: string): this {
    const ok = (v: unknown) => typeof v === "string" && pattern.test(v);
    return this.field(key, undefined, allowed, ok, () => SECRET_SHOWN);
  }

  /** One of `values` (required unless `fallback` is given; `null` allows absence). */
  oneOf(key: string, values: readonly string[], fallback?: string | null): this {
    const allowed = values.join(", ");
    return this.field(key, fallback, `one of ${allowed}`, (v) => values.includes(v as string));
  }

  boolean(key: string, fallback: boolean): this {
    return this.field(key, fallback, "true or false", (v) => typeof v === "boolean");
  }

  /** A whole number from `min` to `max`. */
  integer(key: string, min: number, max: number, fallback: number): this {
    return this.field(
      key,
      fallback,
      `a whole number from ${min} to ${max}`,
      (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
    );
  }

  /** A list of strings matching `pattern`; `sorted` when order means nothing (webhook events). */
  list(
    key: string,
    pattern: RegExp,
    allowed: string,
    options: { fallback?: string[]; nonEmpty?: boolean; sorted?: boolean } = {},
  ): this {
    this.field(key, options.fallback, allowed, (v) => {
      if (!Array.isArray(v) || (options.nonEmpty && v.length === 0)) return false;
      return v.every(
        (item) => containsUnknown(item) || (typeof item === "string" && pattern.test(item)),
      );
    });
    const value = this.inputs[key];
    if (options.sorted && Array.isArray(value) && !containsUnknown(value)) {
      this.inputs[key] = [...new Set(value as string[])].sort();
    }
    return this;
  }

  /**
   * A map whose keys match `keyPattern` and whose values pass `valueOk`. With `secret`, a failure
   * shows the keys received and never the values.
   */
  map(
    key: string,
    keyPattern: RegExp,
    allowed: string,
    valueOk: (value: unknown) => boolean,
    options: { fallback?: Props | null; secret?: boolean } = {},
  ): this {
    const ok = (v: unknown) => {
      if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
      return Object.entries(v).every(
        ([k, item]) => keyPattern.test(k) && (containsUnknown(item) || valueOk(item)),
      );
    };
    return this.field(key, options.fallback, allowed, ok, options.secret ? hideValues : undefined);
  }

  /** Adds a failure the field checks cannot express (a key both plain and secret). */
  fail(property: string, value: unknown, allowed: string): this {
    this.failures.push({ property, reason: reasonFor(value, allowed) });
    return this;
  }

  result(): { inputs: Props; failures: CheckFailure[] } {
    return { inputs: this.inputs, failures: this.failures };
  }

  private field(
    key: string,
    fallback: unknown,
    allowed: string,
    ok: (value: unknown) => boolean,
    shown: (value: unknown) => unknown = (value) => value,
  ): this {
    const given = this.news[key];
    if (given === undefined || given === null) {
      if (fallback === undefined) this.fail(key, given, allowed);
      else if (fallback !== null) this.inputs[key] = fallback;
      return this;
    }
    if (!containsUnknown(given) && !ok(given)) this.fail(key, shown(given), allowed);
    this.inputs[key] = given;
    return this;
  }
}

/** What a failure shows in place of a secret value. */
const SECRET_SHOWN = "[secret]";

/** A map's keys with each value as `[secret]`; anything else as `[secret]`. */
function hideValues(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return SECRET_SHOWN;
  return Object.fromEntries(Object.keys(value).map((k) => [k, SECRET_SHOWN]));
}

/** `got "asia"; allowed: us or eu`. */
export function reasonFor(value: unknown, allowed: string): string {
  const got = value === undefined ? "nothing" : JSON.stringify(value);
  return `got ${got}; allowed: ${allowed}`;
}
