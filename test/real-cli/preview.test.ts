// The real-CLI tier. Where a working `pulumi` binary exists (`pulumi version` answers and the
// resource plugins are installed), `pulumi preview` of the staging stack with the policy pack
// runs on a local backend in a copy of the project, against nothing real: Heroku is the fake
// Platform API, AWS's one call (GetCallerIdentity) a fake STS reached through `aws:endpoints`,
// with placeholder keys and the VPC and subnets given so nothing looks up the default VPC.
// Production exists in the backend with only its output (the pipeline id). The preview must
// plan the very URNs `slipway plan` plans, create them all, and pass the policy pack.
//
// Elsewhere (these machines: the npm `pulumi` package is a launcher that downloads the binary)
// the preview tests are not defined at all, and the reason is printed once; the detection that
// decides it is tested below on every machine.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import type { FakeHeroku } from "../heroku/fake";
import type { FakeSts } from "../support/fake-sts";
import {
  CliSearch,
  findPulumiCli,
  requiredPlugins,
  searchFromEnvironment,
} from "../support/pulumi-cli";

// Only the detection loads here: the fakes and the mock runtime load when the preview runs.
const PROJECT_DIR = path.resolve(__dirname, "..", "..");

const cli = findPulumiCli(searchFromEnvironment(PROJECT_DIR));
if (!cli.found) process.stderr.write(`real-CLI tier (test/real-cli) not run: ${cli.reason}\n`);

describe("finding a Pulumi CLI, which decides whether the preview runs", () => {
  const LAUNCHER_BIN = path.join(PROJECT_DIR, "node_modules", ".bin");
  const PLUGINS = [
    { name: "aws", version: "7.48.0" },
    { name: "random", version: "4.21.2" },
  ];
  const PLUGIN_LIST = JSON.stringify([
    { name: "aws", kind: "resource", version: "7.48.0" },
    { name: "random", kind: "resource", version: "4.21.2" },
  ]);

  /** A folder with an executable `pulumi` shell script of the given body. */
  function fakeCli(body: string, folder = fs.mkdtempSync(path.join(os.tmpdir(), "fake-cli-"))) {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "pulumi"), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return folder;
  }
  const answering = (plugins: string) =>
    `case "$1" in version) echo v3.270.0 ;; plugin) echo '${plugins}' ;; *) exit 9 ;; esac`;
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-home-"));
  });
  /** Where the launcher and the install script put the CLI, as the reasons list them. */
  const installs = (pulumiHome: string) =>
    [
      path.join(pulumiHome, "versions", "3.265.0", "bin", "pulumi"),
      path.join(pulumiHome, "bin", "pulumi"),
    ].join(", ");
  const search = (overrides: Partial<CliSearch>): CliSearch => ({
    path: "",
    pulumiHome: home,
    launcherVersion: "3.265.0",
    timeoutMs: 10_000,
    plugins: PLUGINS,
    ...overrides,
  });

  test("the npm launcher is recognised and never run", () => {
    expect(findPulumiCli(search({ path: LAUNCHER_BIN, pulumiHome: home }))).toEqual({
      found: false,
      reason: `no working pulumi CLI on PATH or at ${installs(home)}: ${path.join(LAUNCHER_BIN, "pulumi")} is the npm launcher, which would download the CLI`,
    });
  });

  test("nothing anywhere names every place looked at", () => {
    expect(findPulumiCli(search({ path: "", pulumiHome: home }))).toEqual({
      found: false,
      reason: `no working pulumi CLI on PATH or at ${installs(home)}: none there`,
    });
  });

  test("a binary that answers and has the plugins is used, after the launcher is passed over", () => {
    const dir = fakeCli(answering(PLUGIN_LIST));
    expect(findPulumiCli(search({ path: [LAUNCHER_BIN, dir].join(path.delimiter) }))).toEqual({
      found: true,
      binary: path.join(dir, "pulumi"),
      version: "v3.270.0",
    });
  });

  test("the launcher's earlier download counts", () => {
    const bin = path.join(home, "versions", "3.265.0", "bin");
    fakeCli(answering(PLUGIN_LIST), bin);
    expect(findPulumiCli(search({ path: LAUNCHER_BIN, pulumiHome: home }))).toEqual({
      found: true,
      binary: path.join(bin, "pulumi"),
      version: "v3.270.0",
    });
  });

  test("missing plugins are named with how to install them", () => {
    const dir = fakeCli(
      answering(JSON.stringify([{ name: "aws", kind: "resource", version: "7.0.0" }])),
    );
    expect(findPulumiCli(search({ path: dir }))).toEqual({
      found: false,
      reason: `no working pulumi CLI on PATH or at ${installs(home)}: ${path.join(dir, "pulumi")} (v3.270.0) lacks the resource plugins aws 7.48.0, random 4.21.2 (pulumi plugin install resource <name> <version>)`,
    });
  });

  test("a binary that fails, or says something else, is passed over with what it said", () => {
    const failing = fakeCli("echo 'error: could not reach api.pulumi.com' >&2; exit 1");
    const odd = fakeCli("echo hello");
    expect(findPulumiCli(search({ path: [failing, odd].join(path.delimiter) }))).toEqual({
      found: false,
      reason:
        `no working pulumi CLI on PATH or at ${installs(home)}: ${path.join(failing, "pulumi")} failed \`pulumi version\` (exit 1: error: could not reach api.pulumi.com); ` +
        `${path.join(odd, "pulumi")} answered \`pulumi version\` with "hello"`,
    });
  });

  test("a binary that hangs is given up on after the timeout", () => {
    const hanging = fakeCli("exec sleep 30");
    expect(findPulumiCli(search({ path: hanging, timeoutMs: 300 }))).toEqual({
      found: false,
      reason: `no working pulumi CLI on PATH or at ${installs(home)}: ${path.join(hanging, "pulumi")} did not answer \`pulumi version\` within 0.3 s`,
    });
  });

  test("the plugins needed are the resource packages the project depends on", () => {
    expect(requiredPlugins(PROJECT_DIR)).toEqual([
      { name: "aws", version: "7.48.0" },
      { name: "github", version: "6.15.0" },
      { name: "postgresql", version: "3.18.1" },
      { name: "random", version: "4.21.2" },
    ]);
  });

  test("the launcher's version is its package's, unless PULUMI_VERSION says otherwise", () => {
    const saved = process.env.PULUMI_VERSION;
    try {
      delete process.env.PULUMI_VERSION;
      expect(searchFromEnvironment(PROJECT_DIR).launcherVersion).toBe("3.265.0");
      process.env.PULUMI_VERSION = "3.270.0";
      expect(searchFromEnvironment(PROJECT_DIR).launcherVersion).toBe("3.270.0");
    } finally {
      if (saved === undefined) delete process.env.PULUMI_VERSION;
      else process.env.PULUMI_VERSION = saved;
    }
  });
});

if (cli.found) {
  describe(`pulumi preview of staging with the real CLI (${cli.version})`, () => {
    let heroku: FakeHeroku;
    let sts: FakeSts;
    let dir: string;
    let env: NodeJS.ProcessEnv;

    const pulumi = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          cli.binary,
          [...args, "--non-interactive"],
          { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const must = async (args: string[]) => {
      const result = await pulumi(args);
      if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")}: ${result.stderr}`);
      return result.stdout;
    };

    beforeAll(async () => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { startFakeHeroku } = require("../heroku/fake") as typeof import("../heroku/fake");
      const { startFakeSts } =
        require("../support/fake-sts") as typeof import("../support/fake-sts");
      /* eslint-enable @typescript-eslint/no-require-imports */
      heroku = await startFakeHeroku();
      sts = await startFakeSts();
      dir = prepareProject(sts.url);
      env = {
        ...withoutAws(process.env),
        // Placeholder keys for the fake STS; in the stack file plan would refuse them as plain.
        AWS_ACCESS_KEY_ID: "AKIAFAKEFAKEFAKEFAKE",
        AWS_SECRET_ACCESS_KEY: "fake-secret-key",
        PULUMI_BACKEND_URL: `file://${path.join(dir, ".state")}`,
        PULUMI_CONFIG_PASSPHRASE: "slipway-real-cli-tier",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        HEROKU_API_URL: heroku.url,
        HEROKU_API_KEY: heroku.token,
      };
      fs.mkdirSync(path.join(dir, ".state"));

      // Production as staging sees it: a stack whose only output is the pipeline's id.
      const pipeline = await createPipeline(heroku, "acme-web");
      await must(["stack", "init", "production"]);
      const deployment = JSON.parse(await must(["stack", "export", "--stack", "production"])) as {
        deployment: { resources?: unknown[] };
      };
      deployment.deployment.resources = [
        {
          urn: "urn:pulumi:production::slipway::pulumi:pulumi:Stack::slipway-production",
          custom: false,
          type: "pulumi:pulumi:Stack",
          outputs: { pipelineId: pipeline },
        },
      ];
      fs.writeFileSync(path.join(dir, "production.json"), JSON.stringify(deployment));
      await must(["stack", "import", "--stack", "production", "--file", "production.json"]);

      await must(["stack", "init", "staging"]);
    }, 300_000);

    afterAll(async () => {
      await heroku?.close();
      await sts?.close();
    });

    test("creates exactly what slipway plan plans, and the policy pack passes", async () => {
      const result = await pulumi([
        "preview",
        "--stack",
        "staging",
        "--policy-pack",
        "policy",
        "--json",
      ]);
      expect({ code: result.code, stderr: result.code === 0 ? "" : result.stderr }).toEqual({
        code: 0,
        stderr: "",
      });
      const digest = JSON.parse(result.stdout) as {
        steps: { op: string; urn: string }[];
        diagnostics?: { severity: string; message: string }[];
      };
      // The engine's own default providers are not the program's resources.
      const steps = digest.steps.filter((s) => !/::pulumi:providers:[^:]+::default/.test(s.urn));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { planStack } = require("../support/stacks") as typeof import("../support/stacks");
      const planned = await planStack("staging");
      expect(steps.map((s) => s.urn).sort()).toEqual(planned.resources.map((r) => r.urn).sort());
      const reference = planned.resources.find((r) => r.read)?.urn;
      expect(steps.filter((s) => s.op !== "create").map((s) => [s.op, s.urn])).toEqual([
        ["read", reference],
      ]);
      expect((digest.diagnostics ?? []).filter((d) => d.severity === "error")).toEqual([]);
      // The account for the alarm topic's key policy came from the fake, through aws:endpoints.
      expect(new Set(sts.actions)).toEqual(new Set(["GetCallerIdentity"]));
    }, 600_000);
  });
}

describe("the project copy the preview runs in, and its fake STS", () => {
  test("slipway plan accepts the copy's staging stack, whose AWS settings stay on this machine", async () => {
    const dir = prepareProject("http://127.0.0.1:1");
    expect(fs.lstatSync(path.join(dir, "node_modules")).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(path.join(dir, "test"))).toBe(false);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { plan } = require("../../cli/plan") as typeof import("../../cli/plan");
    const [staging] = await plan({ dir, stacks: ["staging"] });
    const of = (type: string) => staging?.resources.find((r) => r.type === type);
    expect(of("aws:rds/subnetGroup:SubnetGroup")?.inputs["subnetIds"]).toEqual([
      "subnet-0aaaaaaaaaaaaaaaa",
      "subnet-0bbbbbbbbbbbbbbbb",
    ]);
    expect(of("aws:ec2/securityGroup:SecurityGroup")?.inputs["vpcId"]).toBe(
      "vpc-0aaaaaaaaaaaaaaaa",
    );
    // The us-east-1 provider of the health-check alarms reaches the same fake.
    expect(of("pulumi:providers:aws")?.inputs).toEqual({
      region: "us-east-1",
      endpoints: '[{"sts":"http://127.0.0.1:1"}]',
      skipCredentialsValidation: "true",
      skipMetadataApiCheck: "true",
      skipRegionValidation: "true",
      skipRequestingAccountId: "true",
    });
  }, 120_000);

  test("the fake STS answers GetCallerIdentity in the Query and the JSON protocol, nothing else", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startFakeSts } = require("../support/fake-sts") as typeof import("../support/fake-sts");
    const sts = await startFakeSts();
    try {
      const query = await fetch(sts.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Action=GetCallerIdentity&Version=2011-06-15",
      });
      expect([query.status, await query.text()]).toEqual([
        200,
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/slipway-preview</Arn><UserId>AIDASLIPWAYPREVIEW</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
      ]);
      const json = await fetch(sts.url, {
        method: "POST",
        headers: { "x-amz-target": "AWSSecurityTokenServiceV20110615.GetCallerIdentity" },
        body: "{}",
      });
      expect([json.status, await json.json()]).toEqual([
        200,
        {
          Account: "123456789012",
          Arn: "arn:aws:iam::123456789012:user/slipway-preview",
          UserId: "AIDASLIPWAYPREVIEW",
        },
      ]);
      const other = await fetch(sts.url, { method: "POST", body: "Action=AssumeRole" });
      expect(other.status).toBe(400);
      expect(sts.actions).toEqual(["GetCallerIdentity", "GetCallerIdentity", "AssumeRole"]);
    } finally {
      await sts.close();
    }
  });
});

/**
 * The project in a temporary folder (sources only, sharing the installed node_modules), its
 * staging stack as committed plus what keeps AWS on this machine: the fake STS as endpoint, no credential or account checks, and a VPC and subnets given so nothing
 * looks up the default VPC.
 */
function prepareProject(stsUrl: string): string {
  const dir = copyProject();
  const file = path.join(dir, "Pulumi.staging.yaml");
  const staging = parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  const database = staging.config["slipway:database"] as Record<string, unknown>;
  staging.config = {
    ...staging.config,
    "slipway:database": {
      ...database,
      vpcId: "vpc-0aaaaaaaaaaaaaaaa",
      subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    },
    "aws:endpoints": [{ sts: stsUrl }],
    "aws:skipCredentialsValidation": true,
    "aws:skipRequestingAccountId": true,
    "aws:skipMetadataApiCheck": true,
  };
  fs.writeFileSync(file, stringify(staging));
  return dir;
}

/** The project's sources in a temporary folder, sharing the installed node_modules. */
function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-real-cli-"));
  const skipped = new Set(["node_modules", ".git", "coverage", "test", "bench", "docs", "dist"]);
  for (const entry of fs.readdirSync(PROJECT_DIR)) {
    if (skipped.has(entry) || entry.startsWith(".")) continue;
    fs.cpSync(path.join(PROJECT_DIR, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** The environment without AWS credentials or profiles, so only the stack's settings count. */
function withoutAws(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(environment).filter(([key]) => !key.startsWith("AWS_")));
}

/** Creates a pipeline in the fake as Heroku's API would, and returns its id. */
async function createPipeline(heroku: FakeHeroku, name: string): Promise<string> {
  const response = await fetch(`${heroku.url}/pipelines`, {
    method: "POST",
    headers: {
      Accept: "application/vnd.heroku+json; version=3",
      Authorization: `Bearer ${heroku.token}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({ name }),
  });
  const body = (await response.json()) as { id?: string; message?: string };
  if (!response.ok || !body.id) throw new Error(`the fake refused the pipeline: ${body.message}`);
  return body.id;
}
