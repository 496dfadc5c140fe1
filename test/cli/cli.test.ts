import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { planCommand } from "../../cli/commands/plan";
import { COMMANDS, helpFor, main, USAGE } from "../../cli/main";
import { PROJECT_DIR } from "../support/stacks";

const BIN = path.join(PROJECT_DIR, "bin", "slipway.js");

/** Runs the real command as a child process, as a user or CI would. */
async function slipway(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: PROJECT_DIR,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs main() in-process with captured output, from `cwd` (the project folder by default). */
async function run(args: string[], cwd = PROJECT_DIR) {
  let stdout = "";
  let stderr = "";
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
  const code = await main(args, io, { cwd });
  return { code, stdout, stderr };
}

/** A project folder with the real Pulumi.yaml and the given stack files. */
function projectWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-cli-"));
  fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const STAGING = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.staging.yaml"), "utf8");

describe("slipway as a child process", () => {
  test("plan --format json on the committed stacks exits 0 with the JSON alone on stdout", async () => {
    const { code, stdout } = await slipway(["plan", "--format", "json"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as {
      stacks: { stack: string; kind: string; violations: unknown[] }[];
    };
    expect(json.stacks.map((s) => [s.stack, s.kind])).toEqual([
      ["production", "production"],
      ["staging", "staging"],
    ]);
    // The committed stacks break no policy, mandatory or advisory.
    expect(json.stacks.map((s) => s.violations)).toEqual([[], []]);
  });

  test("a typo in a config key exits 2 naming the file and the key, without a stack trace", async () => {
    const dir = projectWith({
      "Pulumi.staging.yaml": STAGING.replace("slipway:database:", "slipway:databse:"),
    });
    const { code, stdout, stderr } = await slipway(["plan", "--stack", "staging", "--dir", dir]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("Pulumi.staging.yaml");
    expect(stderr).toContain(
      "slipway:databse: unknown key in the slipway namespace. Did you mean slipway:database?",
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test("a mandatory violation exits 1 and is listed with its policy, level, URN and message", async () => {
    const production = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.production.yaml"), "utf8");
    const dir = projectWith({
      "Pulumi.production.yaml": production.replace("requiredApprovals: 1", "requiredApprovals: 0"),
    });
    const { code, stdout } = await run(["plan", "--dir", dir, "--format", "json"]);
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as { stacks: { violations: unknown[] }[] };
    expect(json.stacks[0]?.violations).toContainEqual({
      policy: "branch-required-reviews",
      enforcementLevel: "mandatory",
      urn: "urn:pulumi:production::slipway::slipway:github:RepositoryProcess$github:index/branchProtection:BranchProtection::repository-production-branch",
      message:
        "A protected branch takes changes only through pull requests approved by another person.\n" +
        "main requires 0 approving reviews; at least 1 are required.",
    });
  });

  test("a policy config that lowers the rule makes the same stack pass", async () => {
    const production = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.production.yaml"), "utf8");
    const dir = projectWith({
      "Pulumi.production.yaml": production.replace("requiredApprovals: 1", "requiredApprovals: 0"),
      "policy.json": JSON.stringify({ "branch-required-reviews": { minimumApprovals: 0 } }),
    });
    const { code } = await slipway([
      "plan",
      "--dir",
      dir,
      "--policy-config",
      path.join(dir, "policy.json"),
    ]);
    expect(code).toBe(0);
  });

  test("an unknown stack exits 2", async () => {
    const { code, stderr } = await slipway(["plan", "--stack", "qa"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'slipway: --stack qa: Pulumi.qa.yaml not found, so there is no stack "qa". Allowed: production, staging. ' +
        "Fix: pass one of them to --stack, or create the stack with `pulumi stack init qa`.\n",
    );
  });
});

describe("main", () => {
  test("text and markdown render, each warning named by its stack", async () => {
    const text = await run(["plan", "--stack", "production"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^stack production \(production\): \d+ resources\n/);
    // Text shows the warnings in the stack's entry, so nothing goes to stderr.
    expect(text.stderr).toBe("");
    const warnings = text.stdout
      .split("\n")
      .filter((line) => line.startsWith("  warning   "))
      .map((line) => line.slice("  warning   ".length));
    expect(warnings).toHaveLength(6);
    expect(warnings[1]).toBe(
      "github:token is not configured: this run manages the repositories with GITHUB_TOKEN from " +
        "the environment, and the infrastructure and drift workflows, which have no such token, " +
        "cannot. Fix: pulumi config set --secret github:token <token> --stack production",
    );
    expect(text.stdout).toMatch(
      /\n1 stack, \d+ resources, 0 mandatory violations, 0 advisory, 6 warnings\n$/,
    );

    const markdown = await run(["plan", "--format", "markdown"]);
    expect(markdown.stdout).toMatch(/^## slipway plan\n/);
    expect(markdown.stdout).toContain("```mermaid");
    expect(markdown.stdout).toContain(
      `\n\nWarnings:\n\n${warnings.map((w) => `- **production**: ${w}\n`).join("")}\n`,
    );
    expect(markdown.stdout).toMatch(/\| production \| production \| \d+ \| 0 \| 0 \| 6 \|\n/);
    expect(markdown.stdout).toMatch(/\| staging \| staging \| \d+ \| 0 \| 0 \| 0 \|\n/);
    expect(markdown.stderr).toBe(warnings.map((w) => `warning: [production] ${w}\n`).join(""));

    const json = await run(["plan", "--format", "json"]);
    const stacks = (JSON.parse(json.stdout) as { stacks: { stack: string; warnings: string[] }[] })
      .stacks;
    expect(stacks.map((s) => [s.stack, s.warnings])).toEqual([
      ["production", warnings],
      ["staging", []],
    ]);
    expect(json.stderr).toBe(markdown.stderr);
  });

  test.each([
    [
      ["plan", "--format", "xml"],
      'slipway: --format: got "xml". Allowed: text, json, markdown. Fix: --format json\n',
    ],
    [
      ["plan", "--colour"],
      "slipway: arguments: Unknown option '--colour'. Allowed: --stack, --config, --format, --policy-config, --dir, --help. Fix: run `slipway plan --help`.\n",
    ],
    [
      ["plna"],
      `slipway: command: unknown command "plna". Did you mean plan? Allowed: ${COMMANDS.map((c) => c.name).join(", ")}. Fix: run \`slipway --help\`.\n`,
    ],
    [
      ["launch"],
      `slipway: command: unknown command "launch". Allowed: ${COMMANDS.map((c) => c.name).join(", ")}. Fix: run \`slipway --help\`.\n`,
    ],
    [
      ["plan", "--config", "Pulumi.staging.yaml", "--stack", "a", "--stack", "b"],
      "slipway: --config: applies to one stack, but 2 were given with --stack. Fix: plan one stack per --config file.\n",
    ],
    [
      ["plan", "--config", "staging.yaml"],
      `slipway: --config: ${path.join(PROJECT_DIR, "staging.yaml")} is not named Pulumi.<stack>.yaml, so the stack is unknown. Fix: add --stack NAME.\n`,
    ],
  ])("%j exits 2 with %j", async (args, stderr) => {
    const result = await run(args);
    expect(result).toEqual({ code: 2, stdout: "", stderr });
  });

  test("--config names the stack from the file and reads that file", async () => {
    const dir = projectWith({
      // Its own app name: the project's staging stack has the committed one.
      "Pulumi.qa.yaml": STAGING.replace(
        "config:\n",
        "config:\n  slipway:environment: staging\n",
      ).replace("name: acme-web-staging", "name: acme-web-qa"),
    });
    const result = await run([
      "plan",
      "--config",
      path.join(dir, "Pulumi.qa.yaml"),
      "--format",
      "json",
    ]);
    expect(result.code).toBe(0);
    expect(
      (JSON.parse(result.stdout) as { stacks: { stack: string; kind: string }[] }).stacks.map(
        (s) => [s.stack, s.kind],
      ),
    ).toEqual([["qa", "staging"]]);
  });

  test("a folder without stack files is bad input", async () => {
    const dir = projectWith({});
    expect(await run(["plan", "--dir", dir])).toEqual({
      code: 2,
      stdout: "",
      stderr: `slipway: --stack: no Pulumi.<stack>.yaml files in ${dir}. Fix: run slipway from the project folder.\n`,
    });
  });

  test("a config error found while the program runs is bad input too, with the file", async () => {
    const dir = projectWith({
      "Pulumi.staging.yaml": STAGING.replace("aws:region: us-east-1", "aws:region: Virginia"),
    });
    // One stack named: with all planned, the missing production file would be reported first.
    const result = await run(["plan", "--dir", dir, "--stack", "staging"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^slipway: stack staging \(.*Pulumi\.staging\.yaml\):\n {2}- aws:region: got "Virginia"/,
    );
  });

  test.each([
    [
      ["plan", "--stack", ""],
      "slipway: --stack: got an empty value. Allowed: a value that is not empty. Fix: run `slipway plan --help`.\n",
    ],
    [
      ["plan", "--format=json", "--format", "text"],
      'slipway: --format: given twice ("json" and "text"). Allowed: once. Fix: keep the one you mean.\n',
    ],
    [
      ["plan", "--config", "docs"],
      'slipway: --config: got "docs", which is a folder. Allowed: a stack config file. Fix: --config docs/Pulumi.<stack>.yaml.\n',
    ],
    [
      ["plan", "--dir", "docs"],
      'slipway: --dir: got "docs", which has no Pulumi.yaml. Allowed: the slipway project folder. Fix: --dir <the folder with Pulumi.yaml>, or leave --dir out inside the project.\n',
    ],
  ])("%j is refused with exit 2", async (args, stderr) => {
    expect(await run(args)).toEqual({ code: 2, stdout: "", stderr });
  });

  test("a repeatable flag may be repeated", async () => {
    const result = await run([
      "plan",
      "--stack",
      "staging",
      "--stack",
      "staging",
      "--format",
      "json",
    ]);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { stacks: unknown[] }).stacks).toHaveLength(1);
  });

  test("the project is found from a subfolder, as git finds its repository", async () => {
    const inDocs = await run(["plan", "--stack", "staging"], path.join(PROJECT_DIR, "docs"));
    expect(inDocs.code).toBe(0);
    expect(inDocs.stdout).toMatch(/^stack staging \(staging\): \d+ resources\n/);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-nowhere-"));
    expect(await run(["plan"], outside)).toEqual({
      code: 2,
      stdout: "",
      stderr: `slipway: Pulumi.yaml: not found in ${outside} or any folder above it. Allowed: running inside the slipway project. Fix: cd into the project, or pass --dir <the folder with Pulumi.yaml>.\n`,
    });
  });

  test("--version prints the package's version", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
      version: string;
    };
    expect(await run(["--version"])).toEqual({
      code: 0,
      stdout: `slipway ${pkg.version}\n`,
      stderr: "",
    });
  });

  test("a stack file the Pulumi CLI would refuse exits 2 with the CLI's reason", async () => {
    const dir = projectWith({ "Pulumi.qa.yaml": "config:\n  slipway:app: acme-web-qa\n" });
    expect(await run(["plan", "--dir", dir])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "slipway: stack qa (Pulumi.qa.yaml):\n" +
        `  - slipway:app: got "acme-web-qa": the Pulumi CLI refuses the stack with "Stack 'qa' with configuration key 'slipway:app' must be of type 'object'". ` +
        "Allowed: a map. Fix: set a value of type object in the stack's config file " +
        "(a secret inside it with pulumi config set --secret --path 'slipway:app.<field>' <value>).\n",
    });
  });

  test("help is printed on request (exit 0) and without a command (exit 2)", async () => {
    expect(await run(["--help"])).toEqual({ code: 0, stdout: USAGE, stderr: "" });
    expect(await run(["plan", "--help"])).toEqual({
      code: 0,
      stdout: helpFor(planCommand),
      stderr: "",
    });
    expect(await run(["help", "plan"])).toEqual({
      code: 0,
      stdout: helpFor(planCommand),
      stderr: "",
    });
    expect(await run([])).toEqual({ code: 2, stdout: USAGE, stderr: "" });
  });
});
