// What the policies share, called directly: which stack a resource belongs to, which kind that
// stack is, and a policy's settings over its schema's defaults. Each case sets one input apart
// from the rest so that a rule that reads the wrong one gives another answer.
import type { PolicyResource } from "@pulumi/policy";
import {
  kindOf,
  label,
  ofType,
  settingsOf,
  stackKind,
  stackOf,
} from "../../policy/policies/common";

type Resource = Pick<PolicyResource, "urn" | "props" | "type">;
const resource = (stack: string, type: string, props: Record<string, unknown> = {}): Resource => ({
  urn: `urn:pulumi:${stack}::slipway::${type}::thing`,
  type,
  props,
});
const BUCKET = "aws:s3/bucket:Bucket";

describe("stackOf", () => {
  test.each([
    ["urn:pulumi:production::slipway::aws:s3/bucket:Bucket::b", "production"],
    ["urn:pulumi:review-login::slipway::x::y", "review-login"],
    // Only the scheme at the start is removed, not the same text further on.
    ["stack-urn:pulumi:odd::slipway::x::y", "stack-urn:pulumi:odd"],
    ["not-a-urn", "not-a-urn"],
  ])("%s -> %s", (urn, stack) => {
    expect(stackOf(urn)).toBe(stack);
  });
});

describe("kindOf", () => {
  test.each([
    ["production", BUCKET, {}, "production"],
    ["staging", BUCKET, {}, "staging"],
    ["review-login-form", BUCKET, {}, "review"],
    // A stack only named like one of the kinds is none of them.
    ["my-review-login", BUCKET, {}, undefined],
    ["production-copy", BUCKET, {}, undefined],
    ["dev", BUCKET, {}, undefined],
    // The tag wins over the stack's name, for each kind.
    ["dev", BUCKET, { tags: { "slipway:environment": "production" } }, "production"],
    ["dev", BUCKET, { tags: { "slipway:environment": "staging" } }, "staging"],
    ["production", BUCKET, { tags: { "slipway:environment": "review" } }, "review"],
    // A tag naming no kind falls back to the stack's name.
    ["staging", BUCKET, { tags: { "slipway:environment": "qa" } }, "staging"],
    // slipway's components declare the kind among their inputs; other resources' `kind` is theirs.
    ["dev", "slipway:heroku:HerokuApp", { kind: "staging" }, "staging"],
    ["dev", BUCKET, { kind: "staging" }, undefined],
    ["dev", "custom:slipway:Thing", { kind: "staging" }, undefined],
  ])("stack %s, %s with %j -> %s", (stack, type, props, kind) => {
    expect(kindOf(resource(stack, type, props))).toBe(kind);
  });
});

describe("stackKind", () => {
  const of = (...resources: Resource[]) => stackKind(resources as PolicyResource[]);

  test("the first resource that says its kind decides", () => {
    expect(
      of(
        resource("dev", BUCKET),
        resource("dev", BUCKET, { tags: { "slipway:environment": "staging" } }),
        resource("dev", BUCKET, { tags: { "slipway:environment": "production" } }),
      ),
    ).toBe("staging");
  });

  test("no resource saying it: no kind", () => {
    expect(of(resource("dev", BUCKET), resource("dev", BUCKET))).toBeUndefined();
    expect(of()).toBeUndefined();
  });
});

test("ofType keeps the resources of one type token, in order", () => {
  const a = resource("dev", BUCKET, { n: 1 });
  const b = resource("dev", "aws:sns/topic:Topic");
  const c = resource("dev", BUCKET, { n: 2 });
  expect(ofType([a, b, c] as PolicyResource[], BUCKET)).toEqual([a, c]);
});

test("label is the last part of the URN", () => {
  expect(label({ urn: "urn:pulumi:production::slipway::a$b::database-instance" })).toBe(
    "database-instance",
  );
});

describe("settingsOf", () => {
  const schema = {
    configSchema: {
      properties: {
        days: { type: "integer" as const, default: 7 },
        names: { type: "array" as const, default: ["a"] },
      },
    },
  };
  const config = (values: object) => ({ getConfig: <U extends object>() => values as U });

  test("the config's values over the schema's defaults", () => {
    expect(settingsOf(config({ days: 30 }), schema)).toEqual({ days: 30, names: ["a"] });
  });

  test("the defaults when the analyzer was given no config", () => {
    expect(settingsOf(config({}), schema)).toEqual({ days: 7, names: ["a"] });
  });

  test("a policy without a schema: the config alone", () => {
    expect(settingsOf(config({ days: 3 }), {})).toEqual({ days: 3 });
    expect(settingsOf(config({ days: 3 }), { configSchema: {} as never })).toEqual({ days: 3 });
  });
});
