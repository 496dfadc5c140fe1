// A world for the review tests: a copy of slipway's project folder, the stand-in `pulumi` first on
// PATH (made executable here), a backend folder, the Heroku fake with production's pipeline, and
// the production stack seeded in the backend with its `pipelineId` output, as review stacks
// reference it. Everything the stand-in ran is read back from its log.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeHeroku, startFakeHeroku } from "../heroku/fake";
import { PROJECT_DIR } from "./stacks";

export const PASSPHRASE = "correct horse battery staple";
export const STANDIN = path.join(__dirname, "pulumi-standin.js");

/** One command the stand-in ran. */
export interface Ran {
  readonly argv: string[];
  readonly cwd: string;
  readonly env: Record<string, string | null>;
  readonly code: number;
  /** Milliseconds the command took, as the stand-in measured itself (its scripted latency included). */
  readonly ms: number;
}

export interface StandinScenario {
  latencyMs?: Record<string, number>;
  failures?: Record<string, { stderr: string; code?: number }>;
  tagsUnsupported?: boolean;
  version?: string;
  engineFailure?: string;
}

export interface SeededStack {
  name: string;
  outputs?: Record<string, unknown>;
  lastUpdate?: string;
  tags?: Record<string, string>;
  resources?: { urn: string; type: string; outputs: Record<string, unknown> }[];
}

export interface ReviewWorld {
  /** The project folder the workspace runs in (a copy: the stand-in writes stack files there). */
  readonly dir: string;
  /** The file backend's folder. */
  readonly state: string;
  readonly fake: FakeHeroku;
  readonly pipelineId: string;
  /** The environment a command gets (backend, passphrase, Heroku, the stand-in's files). */
  readonly env: Record<string, string>;
  /** Commands the stand-in ran since the last `clear`, `argv` without `--non-interactive`. */
  ran(): Ran[];
  clear(): void;
  scenario(scenario: StandinScenario): void;
  /** Writes a stack into the backend (the file backend unless `backendUrl` names another). */
  seed(stack: SeededStack, backendUrl?: string): void;
  /** Puts a lock file where a running update holds it. */
  lock(stack: string, backendUrl?: string): void;
  close(): Promise<void>;
}

const saved: Record<string, string | undefined> = {};

/** Sets process-wide variables (PATH for the SDK, the Heroku token for slipway's client). */
function setProcessEnv(values: Record<string, string>) {
  for (const [key, value] of Object.entries(values)) {
    if (!(key in saved)) saved[key] = process.env[key];
    process.env[key] = value;
  }
}

function restoreProcessEnv() {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
    delete saved[key];
  }
}

export async function reviewWorld(): Promise<ReviewWorld> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-review-"));
  const dir = path.join(root, "project");
  const state = path.join(root, "state");
  const bin = path.join(root, "bin");
  for (const folder of [dir, state, bin]) fs.mkdirSync(folder);
  for (const file of ["Pulumi.yaml", "Pulumi.production.yaml", "Pulumi.staging.yaml"]) {
    fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(dir, file));
  }
  fs.symlinkSync(path.join(PROJECT_DIR, "policy"), path.join(dir, "policy"));
  fs.chmodSync(STANDIN, 0o755);
  fs.symlinkSync(STANDIN, path.join(bin, "pulumi"));
  const log = path.join(root, "standin.jsonl");
  const scenarioFile = path.join(root, "scenario.json");

  const fake = await startFakeHeroku();
  const pipelineId = await createPipeline(fake, "acme-web");

  const env = {
    PATH: `${bin}${path.delimiter}${process.env["PATH"] ?? ""}`,
    HOME: root,
    PULUMI_HOME: path.join(root, ".pulumi-home"),
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    HEROKU_API_KEY: fake.token,
    HEROKU_API_URL: fake.url,
    SLIPWAY_STANDIN_LOG: log,
    SLIPWAY_STANDIN_SCENARIO: scenarioFile,
    SLIPWAY_STANDIN_STATE: path.join(root, "buckets"),
  };
  // The SDK runs `pulumi version` with the process's environment, the rest with the command's.
  setProcessEnv({
    PATH: env.PATH,
    HEROKU_API_KEY: fake.token,
    SLIPWAY_STANDIN_LOG: log,
    SLIPWAY_STANDIN_SCENARIO: scenarioFile,
  });

  // Where the stand-in keeps a backend's stacks (pulumi-standin-store.js).
  const rootOf = (url?: string) =>
    url === undefined
      ? state
      : path.join(env.SLIPWAY_STANDIN_STATE, url.replace(/[^a-z0-9]+/gi, "_"));
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  const store = require("./pulumi-standin-store") as {
    seedStack(root: string, project: string, passphrase: string, fields: SeededStack): void;
  };
  const world: ReviewWorld = {
    dir,
    state,
    fake,
    pipelineId,
    env,
    ran: () =>
      fs.existsSync(log)
        ? fs
            .readFileSync(log, "utf8")
            .trim()
            .split("\n")
            .map((line) => JSON.parse(line) as Ran)
            .map(({ argv, cwd, env: ranEnv, code, ms }) => ({
              argv: argv.filter((a) => a !== "--non-interactive"),
              cwd,
              env: ranEnv,
              code,
              ms,
            }))
        : [],
    clear: () => fs.rmSync(log, { force: true }),
    scenario: (scenario) => fs.writeFileSync(scenarioFile, JSON.stringify(scenario)),
    seed: (stack, url) => store.seedStack(rootOf(url), "slipway", PASSPHRASE, stack),
    lock: (stack, url) => {
      const locks = path.join(rootOf(url), ".pulumi", "locks", "organization", "slipway", stack);
      fs.mkdirSync(locks, { recursive: true });
      fs.writeFileSync(path.join(locks, "held-by-another.json"), "{}");
    },
    close: async () => {
      restoreProcessEnv();
      await fake.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  world.seed({
    name: "production",
    outputs: { pipelineId },
    lastUpdate: new Date(0).toISOString(),
  });
  return world;
}

/** Creates production's pipeline on the fake, as production's `pulumi up` would; its id. */
export async function createPipeline(fake: FakeHeroku, name: string): Promise<string> {
  const answer = await fetch(`${fake.url}/pipelines`, {
    method: "POST",
    headers: {
      Accept: "application/vnd.heroku+json; version=3",
      Authorization: `Bearer ${fake.token}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({ name }),
  });
  return ((await answer.json()) as { id: string }).id;
}

/** Requests slipway itself sent to the fake (not the stand-in's, which play the program's). */
export function slipwayRequests(fake: FakeHeroku): string[] {
  return fake.requests
    .filter((r) => !String(r.headers["user-agent"]).startsWith("pulumi-standin"))
    .map((r) => `${r.method} ${r.path}`);
}
