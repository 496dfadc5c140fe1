// The Pulumi CLI's project-config rules as slipway plan applies them. The cases are those of the
// CLI's own tests (pkg/workspace/config_project_test.go and sdk/go/common/workspace/
// project_test.go in pulumi/pulumi): the same inputs, and whether the CLI accepts them, with
// what values or with what reason.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { SlipwayError } from "../../errors";
import { matchesType, parseProjectConfig } from "../../cli/plan/project-config";
import { readProject, readStackConfig, stackNameProblem } from "../../cli/plan/stack-files";
import { PROJECT_DIR } from "../support/stacks";

/** Loads a project and one stack from their YAML, as `pulumi preview` in that folder would. */
function load(projectYaml: string, stackYaml: string, stack = "dev") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-project-config-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), projectYaml);
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stackYaml);
  return readStackConfig(readProject(dir), stack);
}

/** The problems slipway reports, or a failure when it accepts the input. */
function refusal(fn: () => unknown): { key: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof SlipwayError) return [...error.problems];
    throw error;
  }
  throw new Error("expected the input to be refused");
}

/** The CLI's reason quoted in a problem's message. */
const reasonOf = (message: string) =>
  /refuses the [a-z ]+?(?: with|:) "(.*?)"(?:, as|\. Allowed|\. Fix)/.exec(message)?.[1];

describe("stacks the CLI accepts, and the config the program then gets", () => {
  const cases: [string, string, string, Record<string, string>][] = [
    [
      "a stack value overrides a project default; the other defaults are inherited",
      "config:\n  instanceSize: t3.micro\n  instanceCount: 20\n  protect: true",
      "config:\n  test:instanceSize: t4.large",
      { "test:instanceSize": "t4.large", "test:instanceCount": "20", "test:protect": "true" },
    ],
    [
      "values of other namespaces are inherited as they are",
      'config:\n  aws:region: us-west-1\n  pulumi:disable-default-providers: ["*"]\n  instanceSize: t3.micro',
      "config:\n  test:instanceSize: t4.large",
      {
        "test:instanceSize": "t4.large",
        "aws:region": "us-west-1",
        "pulumi:disable-default-providers": '["*"]',
      },
    ],
    [
      "a stack key without a namespace is the project's",
      "config:\n  aws:region: us-west-1\n  instanceSize: t3.micro",
      "config:\n  instanceSize: t4.large",
      { "test:instanceSize": "t4.large", "aws:region": "us-west-1" },
    ],
    [
      "untyped keys take any value",
      "config:\n  instanceSize: t3.micro\n  aws:region: us-west-1",
      "config:\n  instanceSize: 9999\n  aws:region: 42",
      { "test:instanceSize": "9999", "aws:region": "42" },
    ],
    [
      "a declaration with only a default or only a value",
      "config:\n  instanceSize:\n    default: t3.micro\n  region:\n    value: us-west-1",
      "config:\n  aws:answer: 42",
      { "test:instanceSize": "t3.micro", "test:region": "us-west-1", "aws:answer": "42" },
    ],
    [
      "a stack may set keys the project does not declare",
      "config:\n  createVpc: true",
      "config:\n  instanceSize: 42",
      { "test:instanceSize": "42", "test:createVpc": "true" },
    ],
    [
      "object values reach the stack as JSON",
      "config:\n  instanceSize:\n    value:\n      hello: world\n  aws:config:\n    value:\n      region: us-west-1",
      "config:\n  aws:whatever: 42",
      {
        "test:instanceSize": '{"hello":"world"}',
        "aws:config": '{"region":"us-west-1"}',
        "aws:whatever": "42",
      },
    ],
    [
      "an integer-typed key takes a number",
      "config:\n  importantNumber:\n    type: integer",
      "config:\n  test:importantNumber: 20",
      { "test:importantNumber": "20" },
    ],
    [
      "no project config at all",
      "",
      "config:\n  hello: 21\n  world: 42\n  another: 42",
      { "test:hello": "21", "test:world": "42", "test:another": "42" },
    ],
    [
      "an integer beyond 64 bits keeps its digits",
      "",
      "config:\n  test:instanceSize: 18446744073709551615",
      { "test:instanceSize": "18446744073709551615" },
    ],
    [
      "a secret key stored encrypted",
      "config:\n  importantNumber:\n    type: integer\n    secret: true",
      "config:\n  test:importantNumber:\n    secure: djE6MjA=",
      { "test:importantNumber": "[secret]" },
    ],
  ];
  test.each(cases)("%s", (_name, config, stack, expected) => {
    expect(load(`name: test\nruntime: nodejs\n${config}\n`, stack).config).toEqual(expected);
  });
});

describe("stacks the CLI refuses, with its reason", () => {
  const cases: [string, string, string, string, string][] = [
    [
      "a value that is not of the declared array type",
      "config:\n  values:\n    type: array\n    items:\n      type: string\n    default: [value]",
      "config:\n  test:values: someValue",
      "test:values",
      "Stack 'dev' with configuration key 'values' must be of type 'array<string>'",
    ],
    [
      "text where an integer is declared",
      "config:\n  importantNumber:\n    type: integer",
      "config:\n  test:importantNumber: hello",
      "test:importantNumber",
      "Stack 'dev' with configuration key 'importantNumber' must be of type 'integer'",
    ],
    [
      "a typed key with no default that the stack does not set",
      "config:\n  values:\n    type: array\n    items:\n      type: string",
      "",
      "test:values",
      "Stack 'dev' is missing configuration value 'values'",
    ],
    [
      "a secret key stored in plain text",
      "config:\n  importantNumber:\n    type: integer\n    secret: true",
      "config:\n  test:importantNumber: 20",
      "test:importantNumber",
      "Stack 'dev' with configuration key 'importantNumber' must be encrypted as it's secret",
    ],
    [
      "a whole secure value where an object is declared (the plaintext is a string)",
      "config:\n  settings:\n    type: object",
      "config:\n  test:settings:\n    secure: djE6e30=",
      "test:settings",
      "Stack 'dev' with configuration key 'settings' must be of type 'object'",
    ],
    [
      "a list where a string is declared",
      "config:\n  name:\n    type: string",
      "config:\n  name: [a, b]",
      "test:name",
      "Stack 'dev' with configuration key 'name' must be of type 'string'",
    ],
    [
      "a map where a boolean is declared",
      "config:\n  enabled:\n    type: boolean",
      "config:\n  enabled: { on: true }",
      "test:enabled",
      "Stack 'dev' with configuration key 'enabled' must be of type 'boolean'",
    ],
    [
      "text where an object is declared",
      "config:\n  app:\n    type: object",
      "config:\n  app: acme",
      "test:app",
      "Stack 'dev' with configuration key 'app' must be of type 'object'",
    ],
  ];
  test.each(cases)("%s", (_name, config, stack, key, reason) => {
    const [problem, ...rest] = refusal(() =>
      load(`name: test\nruntime: nodejs\n${config}\n`, stack),
    );
    expect(rest).toEqual([]);
    expect(problem?.key).toBe(key);
    expect(reasonOf(problem?.message ?? "")).toBe(reason);
  });

  test("every missing key is listed, sorted, in one reason", () => {
    const two = refusal(() =>
      load(
        "name: test\nruntime: nodejs\nconfig:\n  values:\n    type: array\n    items:\n      type: string\n  another:\n    type: string\n",
        "",
      ),
    );
    expect(two.map((p) => [p.key, reasonOf(p.message)])).toEqual([
      ["test:another", "Stack 'dev' is missing configuration values 'another' and 'values'"],
      ["test:values", "Stack 'dev' is missing configuration values 'another' and 'values'"],
    ]);
    const three = refusal(() =>
      load(
        "name: test\nruntime: nodejs\nconfig:\n  world:\n    type: string\n  hello:\n    type: integer\n  values:\n    type: array\n    items:\n      type: string\n",
        "",
      ),
    );
    expect(reasonOf(three[0]?.message ?? "")).toBe(
      "Stack 'dev' is missing configuration values 'hello', 'values' and 'world'",
    );
  });

  test("the whole message: value, reason, what is allowed and the fix", () => {
    expect(
      refusal(() =>
        load(
          "name: test\nruntime: nodejs\nconfig:\n  importantNumber:\n    type: integer\n",
          "config:\n  test:importantNumber: hello\n",
        ),
      ),
    ).toEqual([
      {
        key: "test:importantNumber",
        message:
          `got "hello": the Pulumi CLI refuses the stack with "Stack 'dev' with configuration key 'importantNumber' must be of type 'integer'". ` +
          "Allowed: a whole number. Fix: set a value of type integer in the stack's config file.",
      },
    ]);
    expect(
      refusal(() =>
        load("name: test\nruntime: nodejs\nconfig:\n  region:\n    type: string\n", "config: {}\n"),
      ),
    ).toEqual([
      {
        key: "test:region",
        message:
          `got nothing: the Pulumi CLI refuses the stack with "Stack 'dev' is missing configuration value 'region'", ` +
          "as Pulumi.yaml declares the key without a default. Allowed: a string. " +
          "Fix: pulumi config set test:region <value> --stack dev, or give the key a default in Pulumi.yaml.",
      },
    ]);
    const [secret] = refusal(() =>
      load(
        "name: test\nruntime: nodejs\nconfig:\n  token:\n    type: string\n    secret: true\n",
        "config:\n  token: abc\n",
      ),
    );
    expect(secret?.message).toBe(
      `got "abc": the Pulumi CLI refuses the stack with "Stack 'dev' with configuration key 'token' must be encrypted as it's secret". ` +
        "Allowed: an encrypted value. Fix: pulumi config set --secret test:token <value> --stack dev",
    );
  });

  test("a refused stack file is named with the stack", () => {
    const error = (() => {
      try {
        load("name: test\nruntime: nodejs\nconfig:\n  a:\n    type: string\n", "");
      } catch (e) {
        return e as SlipwayError;
      }
      throw new Error("expected a refusal");
    })();
    expect(error.message.split("\n")[0]).toBe("stack dev (Pulumi.dev.yaml):");
  });
});

describe("project files the CLI refuses, with its reason", () => {
  const cases: [string, string, string][] = [
    [
      "a default that is not of the declared type",
      "instanceSize:\n    type: integer\n    default: hello",
      "The default value specified for configuration key 'instanceSize' is not of the expected type 'integer'",
    ],
    [
      "a default one array level short",
      "values:\n    type: array\n    items:\n      type: array\n      items:\n        type: string\n    default: [hello]",
      "The default value specified for configuration key 'values' is not of the expected type 'array<array<string>>'",
    ],
    [
      "a type on another namespace's key",
      "aws:region:\n    type: string\n    value:\n      region: us-west-1",
      "Configuration key 'aws:region' is not namespaced by the project and should not define a type",
    ],
    [
      "both a default and a value",
      "instanceSize:\n    type: string\n    default: t3.micro\n    value: t4.large",
      "project config 'instanceSize' cannot have both a 'default' and 'value' attribute",
    ],
    [
      "an array without its item type",
      "instanceSize:\n    type: array\n    default: [t3.micro, t4.large]",
      "The configuration key 'instanceSize' declares an array but does not specify the underlying type via the 'items' attribute",
    ],
    [
      "a default on another namespace's key",
      "aws:region:\n    default: us-west-1",
      "Configuration key 'aws:region' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?",
    ],
    [
      "another namespace's key without a value",
      "aws:region:\n    description: the region",
      "Configuration key 'aws:region' is namespaced and must provide an attribute 'value'",
    ],
    [
      "a misspelt attribute (the CLI's schema)",
      "instanceSize:\n    typ: string",
      "#/config/instanceSize: additionalProperties 'typ' not allowed; did you mean 'type'?",
    ],
    [
      "an unknown attribute far from any",
      "instanceSize:\n    required: true",
      "#/config/instanceSize: additionalProperties 'required' not allowed; the allowed attributes are 'default', 'description', 'items', 'secret', 'type' and 'value'",
    ],
    [
      "a type the schema does not know",
      "instanceSize:\n    type: number",
      '#/config/instanceSize/type: value must be one of "string", "integer", "boolean", "array", "object"',
    ],
    [
      "a secret flag that is not a boolean",
      "token:\n    type: string\n    secret: yes",
      "#/config/token/secret: expected boolean, but got string",
    ],
    [
      "a description that is not text",
      "token:\n    description: [a]",
      "#/config/token/description: expected string, but got array",
    ],
    [
      "items that are not a map",
      "list:\n    type: array\n    items: string",
      "#/config/list/items: expected object, but got string",
    ],
    [
      "items with an attribute of their own",
      "list:\n    type: array\n    items:\n      type: string\n      default: a",
      "#/config/list/items: additionalProperties 'default' not allowed",
    ],
    [
      "items of an unknown type",
      "list:\n    type: array\n    items:\n      type: text",
      '#/config/list/items/type: value must be one of "string", "integer", "boolean", "array", "object"',
    ],
    [
      "a list of lists without the inner item type",
      "list:\n    type: array\n    items:\n      type: array",
      "#/config/list/items: missing properties: 'items'",
    ],
    [
      "a list of lists of an unknown type",
      "list:\n    type: array\n    items:\n      type: array\n      items:\n        type: text",
      '#/config/list/items/items/type: value must be one of "string", "integer", "boolean", "array", "object"',
    ],
    [
      "no value at all",
      "token:",
      "#/config/token: expected string, integer, boolean, array or object",
    ],
    [
      "a fraction as a short-form default",
      "ratio: 0.5",
      "#/config/ratio: expected integer, but got number",
    ],
    [
      "a key with two colons that is not the old config form",
      "aws:x:region:\n    value: us-west-1",
      "could not parse aws:x:region as a configuration key (configuration keys should be of the form `<namespace>:<name>`)",
    ],
  ];
  test.each(cases)("%s", (_name, entry, reason) => {
    const block = parse(`${entry}\n`) as Record<string, unknown>;
    const [problem, ...rest] = refusal(() => parseProjectConfig("test", block));
    expect(rest).toEqual([]);
    expect(problem?.key).toBe(`${Object.keys(block)[0]} in Pulumi.yaml`);
    expect(reasonOf(problem?.message ?? "")).toBe(reason);
  });

  test("declarations the CLI loads: full and short forms, typed, secret, nested arrays", () => {
    const declarations = parseProjectConfig("test", {
      integerSchemaFull: { type: "integer", description: "a very important value", default: 1 },
      integerSchemaSimple: 20,
      textSchemaSimple: "t4.large",
      booleanSchemaSimple: false,
      simpleArrayOfStrings: { type: "array", items: { type: "string" }, default: ["hello"] },
      arrayOfArrays: {
        type: "array",
        items: { type: "array", items: { type: "string" } },
        default: [["hello"]],
      },
      secretString: { type: "string", secret: true },
      example: { type: "object", default: { hello: "world" } },
      "aws:region": "us-west-2",
      "aws:config:profile": { value: "acme" },
    });
    expect(declarations).toEqual([
      {
        key: "integerSchemaFull",
        qualified: "test:integerSchemaFull",
        type: "integer",
        secret: false,
        fallback: 1,
      },
      {
        key: "integerSchemaSimple",
        qualified: "test:integerSchemaSimple",
        secret: false,
        fallback: 20,
      },
      {
        key: "textSchemaSimple",
        qualified: "test:textSchemaSimple",
        secret: false,
        fallback: "t4.large",
      },
      {
        key: "booleanSchemaSimple",
        qualified: "test:booleanSchemaSimple",
        secret: false,
        fallback: false,
      },
      {
        key: "simpleArrayOfStrings",
        qualified: "test:simpleArrayOfStrings",
        type: "array",
        items: { type: "string" },
        secret: false,
        fallback: ["hello"],
      },
      {
        key: "arrayOfArrays",
        qualified: "test:arrayOfArrays",
        type: "array",
        items: { type: "array", items: { type: "string" } },
        secret: false,
        fallback: [["hello"]],
      },
      { key: "secretString", qualified: "test:secretString", type: "string", secret: true },
      {
        key: "example",
        qualified: "test:example",
        type: "object",
        secret: false,
        fallback: { hello: "world" },
      },
      { key: "aws:region", qualified: "aws:region", secret: false, fallback: "us-west-2" },
      { key: "aws:config:profile", qualified: "aws:profile", secret: false, fallback: "acme" },
    ]);
  });

  test("every refused declaration is listed", () => {
    expect(
      refusal(() =>
        parseProjectConfig("test", { a: { type: "array" }, "aws:b": { type: "string" } }),
      ).map((p) => p.key),
    ).toEqual(["a in Pulumi.yaml", "aws:b in Pulumi.yaml"]);
  });

  test("a config block that is neither a map nor a folder name", () => {
    expect(refusal(() => parseProjectConfig("test", ["a"]))).toEqual([
      {
        key: "config in Pulumi.yaml",
        message:
          'got ["a"]: the Pulumi CLI refuses the project: "#/config: expected object, string or null". Allowed: a map of config keys. Fix: declare each key under config: as key: value or key: { type, default, ... }.',
      },
    ]);
  });
});

describe("how the CLI checks a value against a type", () => {
  const items = { type: "integer" as const };
  const cases: [string, string, unknown, boolean][] = [
    ["string", "string", "t3.micro", true],
    ["string", "a number is not a string", 20, false],
    ["integer", "digits", "20", true],
    ["integer", "a sign and digits", "-7", true],
    ["integer", "a whole number", 20, true],
    ["integer", "a fraction", 1.5, false],
    ["integer", "text with a fraction", "1.5", false],
    ["integer", "text beyond 64 bits", "9223372036854775808", false],
    ["integer", "the largest 64-bit integer", "9223372036854775807", true],
    ["boolean", "text true", "true", true],
    ["boolean", "text yes", "yes", false],
    ["boolean", "a boolean", false, true],
    ["object", "a map", { a: 1 }, true],
    ["object", "a list", [1], false],
    ["array", "whole numbers", [1, "2"], true],
    ["array", "one fraction", [1, 2.5], false],
    ["array", "not a list", "1", false],
  ];
  test.each(cases)("%s: %s", (type, _name, value, expected) => {
    expect(matchesType(type, type === "array" ? items : undefined, value)).toBe(expected);
  });

  test("an array type without an item type matches nothing", () => {
    expect(matchesType("array", undefined, [])).toBe(false);
  });
});

describe("names the CLI refuses", () => {
  test.each([
    ["review-login-form", undefined],
    ["a".repeat(100), undefined],
    ["", "a stack name may not be empty"],
    ["a".repeat(101), "a stack name cannot exceed 100 characters"],
    [
      "my stack",
      "a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid character ' ' at position 2",
    ],
  ])("stack %j", (name, reason) => {
    expect(stackNameProblem(name)).toBe(reason);
  });

  test("a stack name the CLI refuses is refused before any file is read", () => {
    const project = readProject(PROJECT_DIR);
    expect(refusal(() => readStackConfig(project, "my/stack"))).toEqual([
      {
        key: "--stack my/stack",
        message:
          `the Pulumi CLI refuses the name: "a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid character '/' at position 2". ` +
          "Fix: name the stack with letters, digits, -, _ and . only (review-login-form).",
      },
    ]);
  });

  test("a project name the CLI refuses", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-project-name-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: my project\nruntime: nodejs\n");
    expect(refusal(() => readProject(dir))).toEqual([
      {
        key: `name in ${path.join(dir, "Pulumi.yaml")}`,
        message:
          'got "my project": the Pulumi CLI refuses it: "project names may only contain alphanumerics, hyphens, underscores, and periods". Fix: name the project with letters, digits, -, _ and . only.',
      },
    ]);
  });

  test("a stack key of three parts, and one key written twice", () => {
    expect(
      refusal(() => load("name: test\nruntime: nodejs\n", "config:\n  aws:x:region: us-east-1\n")),
    ).toEqual([
      {
        key: "aws:x:region in Pulumi.dev.yaml",
        message:
          'the Pulumi CLI refuses the stack file: "could not parse aws:x:region as a configuration key (configuration keys should be of the form `<namespace>:<name>`)". Fix: write the key as <namespace>:<name>, e.g. slipway:app.',
      },
    ]);
    expect(
      load("name: test\nruntime: nodejs\n", "config:\n  aws:config:region: us-east-1\n").config,
    ).toEqual({ "aws:region": "us-east-1" });
    expect(
      refusal(() => load("name: test\nruntime: nodejs\n", "config:\n  size: 1\n  test:size: 2\n")),
    ).toEqual([
      {
        key: "test:size in Pulumi.dev.yaml",
        message: "set twice, as size and as test:size. Fix: keep one of them.",
      },
    ]);
  });
});

describe("slipway's own Pulumi.yaml meets the CLI's rules", () => {
  const project = readProject(PROJECT_DIR);

  test.each(["production", "staging"])("the committed %s stack passes", (stack) => {
    expect(readStackConfig(project, stack).config["slipway:environment"]).toBe("");
  });

  test("a review stack, which sets only its app, passes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-review-"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(
      path.join(dir, "Pulumi.review-login-form.yaml"),
      "config:\n  slipway:app:\n    name: acme-web-pr-42\n",
    );
    expect(readStackConfig(readProject(dir), "review-login-form").config).toEqual({
      "slipway:environment": "",
      "slipway:app": '{"name":"acme-web-pr-42"}',
      "slipway:pipeline": "{}",
      "slipway:database": "{}",
      "slipway:github": "{}",
      "slipway:alerting": "{}",
      "slipway:reviewApps": "{}",
      "slipway:secretConfigVars": "{}",
      "slipway:deploy": "{}",
      "slipway:stateSecret": "",
      "slipway:reviewStateSecret": "",
      "slipway:reviewHerokuApiKey": "",
    });
  });

  test("a stack without its app is refused by the CLI itself", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-no-app-"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, "Pulumi.qa.yaml"), "config:\n  slipway:environment: staging\n");
    const [problem, ...rest] = refusal(() => readStackConfig(readProject(dir), "qa"));
    expect(rest).toEqual([]);
    expect(problem?.key).toBe("slipway:app");
    expect(reasonOf(problem?.message ?? "")).toBe(
      "Stack 'qa' is missing configuration value 'slipway:app'",
    );
  });
});
