import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SlipwayError } from "../../errors";
import {
  listStacks,
  readProject,
  readStackConfig,
  stackConfigFromValues,
} from "../../cli/plan/stack-files";

function projectDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-stack-files-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const PROJECT = `name: slipway
runtime: nodejs
config:
  slipway:environment:
    type: string
    default: ""
  slipway:database:
    type: object
    default: {}
  aws:region: us-west-2
  slipway:pipeline:
    value:
      productionStack: acme/slipway/production
`;

function problem(fn: () => unknown): { key: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof SlipwayError) return error.problems[0] as { key: string; message: string };
    throw error;
  }
  throw new Error("expected a SlipwayError");
}

describe("readProject", () => {
  test("reads the name, declared keys and project-level values and defaults", () => {
    const project = readProject(projectDir({ "Pulumi.yaml": PROJECT }));
    expect(project.name).toBe("slipway");
    expect(project.declarations).toEqual([
      {
        key: "slipway:environment",
        qualified: "slipway:environment",
        type: "string",
        secret: false,
        fallback: "",
      },
      {
        key: "slipway:database",
        qualified: "slipway:database",
        type: "object",
        secret: false,
        fallback: {},
      },
      { key: "aws:region", qualified: "aws:region", secret: false, fallback: "us-west-2" },
      {
        key: "slipway:pipeline",
        qualified: "slipway:pipeline",
        secret: false,
        fallback: { productionStack: "acme/slipway/production" },
      },
    ]);
  });

  test("a project file without a name is refused", () => {
    const dir = projectDir({ "Pulumi.yaml": "runtime: nodejs\n" });
    expect(problem(() => readProject(dir))).toEqual({
      key: path.join(dir, "Pulumi.yaml"),
      message: "has no project name. Fix: add `name: slipway` at the top.",
    });
  });

  test("a missing project file says where it was looked for", () => {
    const dir = projectDir({});
    expect(problem(() => readProject(dir)).message).toBe(
      `cannot be read at ${path.join(dir, "Pulumi.yaml")}. Fix: run slipway from the project folder.`,
    );
  });
});

describe("readStackConfig", () => {
  const dir = projectDir({
    "Pulumi.yaml": PROJECT,
    "Pulumi.staging.yaml": `config:
  aws:region: eu-west-1
  slipway:app:
    name: acme-web-staging
    formation:
      web: { quantity: 1, size: basic }
  app2: plain
  slipway:secretConfigVars:
    SESSION_SECRET:
      secure: v1:abc:def
  heroku:apiKey:
    secure: v1:xyz
  slipway:database:
    backupRetentionDays: 3
    multiAz: false
`,
    "Pulumi.production.yml": "config:\n  slipway:app:\n    name: acme-web\n",
    "Pulumi.yml-only.yml": "",
    "Pulumi.broken.yaml": "config:\n  slipway:app:\n    name: acme\n   bad: indent\n",
    "Pulumi.list.yaml": "- a\n- b\n",
    "Pulumi.empty.yaml": "",
    "Pulumi.null.yaml": "config:\n  slipway:app:\n",
  });
  const project = readProject(dir);

  test("encodes values as the language host does and hides secure values", () => {
    const stack = readStackConfig(project, "staging");
    expect(stack.file).toBe(path.join(dir, "Pulumi.staging.yaml"));
    expect(stack.config).toEqual({
      "aws:region": "eu-west-1",
      "slipway:app":
        '{"name":"acme-web-staging","formation":{"web":{"quantity":1,"size":"basic"}}}',
      "slipway:app2": "plain",
      "slipway:secretConfigVars": '{"SESSION_SECRET":"[secret]"}',
      "heroku:apiKey": "[secret]",
      "slipway:database": '{"backupRetentionDays":3,"multiAz":false}',
      "slipway:pipeline": '{"productionStack":"acme/slipway/production"}',
      "slipway:environment": "",
    });
    expect([...stack.secretKeys].sort()).toEqual(["heroku:apiKey", "slipway:secretConfigVars"]);
    expect(stack.values["slipway:database"]).toEqual({ backupRetentionDays: 3, multiAz: false });
  });

  test("a .yml stack file is none: the CLI names stack files after Pulumi.yaml", () => {
    expect(problem(() => readStackConfig(project, "production"))).toEqual({
      key: "--stack production",
      message:
        "Pulumi.production.yaml not found, and the Pulumi CLI does not read Pulumi.production.yml: it names stack files after Pulumi.yaml. Fix: rename Pulumi.production.yml to Pulumi.production.yaml.",
    });
    expect(listStacks(project)).not.toContain("yml-only");
  });

  test("an empty file is a stack with only project defaults", () => {
    expect(readStackConfig(project, "empty").config).toEqual({
      "slipway:environment": "",
      "aws:region": "us-west-2",
      "slipway:database": "{}",
      "slipway:pipeline": '{"productionStack":"acme/slipway/production"}',
    });
  });

  test("an unknown stack names the stacks that exist and how to create one", () => {
    expect(problem(() => readStackConfig(project, "qa"))).toEqual({
      key: "--stack qa",
      message:
        'Pulumi.qa.yaml not found, so there is no stack "qa". Allowed: broken, empty, list, null, staging. ' +
        "Fix: pass one of them to --stack, or create the stack with `pulumi stack init qa`.",
    });
  });

  test("a missing --config file is named", () => {
    const file = path.join(dir, "nope.yaml");
    expect(problem(() => readStackConfig(project, "staging", file))).toEqual({
      key: file,
      message: "not found. Fix: pass an existing file to --config.",
    });
  });

  test("a YAML syntax error gives the key it is in, as schema errors do, and the line", () => {
    const { key, message } = problem(() => readStackConfig(project, "broken"));
    expect(key).toBe("slipway:app.name");
    expect(message).toBe(
      "is not valid YAML at line 4, column 1: All mapping items must start at the same column. Fix: correct the syntax there (indentation, a missing colon or quote).",
    );
  });

  test("a top-level typo (configs:) names the unknown key, not a missing app name", () => {
    const file = path.join(dir, "Pulumi.typo.yaml");
    fs.writeFileSync(file, "configs:\n  slipway:app:\n    name: acme\n");
    expect(problem(() => readStackConfig(project, "typo", file))).toEqual({
      key: `configs in ${path.relative(process.cwd(), file)}`,
      message:
        "unknown top-level key of a stack file, so the Pulumi CLI would not read what is under " +
        "it. Did you mean config? Allowed: config, environment, secretsprovider, encryptedkey, " +
        "encryptionsalt. Fix: rename it to config or remove it.",
    });
  });

  test("a file that is not a map is refused", () => {
    expect(problem(() => readStackConfig(project, "list"))).toEqual({
      key: path.join(dir, "Pulumi.list.yaml"),
      message:
        "must be a YAML map with a `config:` map inside. Fix: see Pulumi.staging.yaml for the layout.",
    });
  });

  test("a key without a value is named", () => {
    expect(problem(() => readStackConfig(project, "null"))).toEqual({
      key: "slipway:app in Pulumi.null.yaml",
      message: "has no value. Fix: give it a value or remove the line.",
    });
  });
});

describe("stackConfigDir", () => {
  test("stack files are read from the folder it names", () => {
    const dir = projectDir({ "Pulumi.yaml": `${PROJECT}stackConfigDir: stacks\n` });
    fs.mkdirSync(path.join(dir, "stacks"));
    fs.writeFileSync(
      path.join(dir, "stacks", "Pulumi.qa.yaml"),
      "config:\n  aws:region: eu-west-1\n",
    );
    const project = readProject(dir);
    expect(project.stackDir).toBe(path.join(dir, "stacks"));
    expect(listStacks(project)).toEqual(["qa"]);
    expect(readStackConfig(project, "qa").config["aws:region"]).toBe("eu-west-1");
  });

  test("config: with a folder name is its old spelling, and both together are refused", () => {
    const old = readProject(projectDir({ "Pulumi.yaml": "name: slipway\nconfig: stacks\n" }));
    expect([old.stackDir.endsWith(`${path.sep}stacks`), old.declarations]).toEqual([true, []]);
    const dir = projectDir({ "Pulumi.yaml": "name: slipway\nconfig: a\nstackConfigDir: b\n" });
    expect(problem(() => readProject(dir))).toEqual({
      key: `stackConfigDir in ${path.join(dir, "Pulumi.yaml")}`,
      message:
        'the Pulumi CLI refuses the project: "Should not use both config and stackConfigDir to define the stack directory. Use only stackConfigDir instead.". Fix: remove the folder name from config:.',
    });
    const odd = projectDir({ "Pulumi.yaml": "name: slipway\nstackConfigDir: [a]\n" });
    expect(problem(() => readProject(odd)).message).toBe(
      'got ["a"]. Allowed: a folder name relative to Pulumi.yaml. Fix: stackConfigDir: stacks',
    );
  });
});

describe("listStacks and stackConfigFromValues", () => {
  test("lists .yaml stack files, not the project file", () => {
    const dir = projectDir({
      "Pulumi.yaml": PROJECT,
      "Pulumi.b.yaml": "",
      "Pulumi.a.yml": "",
      "notes.yaml": "",
    });
    expect(listStacks({ stackDir: dir })).toEqual(["b"]);
  });

  test("nested secure values inside lists mark the key secret", () => {
    const stack = stackConfigFromValues("staging", "f.yaml", {
      "slipway:x": [{ secure: "v1" }, "plain"],
      n: 3,
      b: true,
    });
    expect(stack.config).toEqual({ "slipway:x": '["[secret]","plain"]', n: "3", b: "true" });
    expect(stack.secretKeys).toEqual(["slipway:x"]);
  });
});
