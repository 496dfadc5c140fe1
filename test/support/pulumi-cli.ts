// Finds a working Pulumi CLI for the real-CLI test tier, without the network and without
// hanging. The npm `pulumi` package (a devDependency, so node_modules/.bin/pulumi is on PATH
// under npm) is a Node launcher that downloads the binary on first use: it is recognised by its
// `#!/usr/bin/env node` line and never run. A binary it downloaded earlier is in its cache
// (`$PULUMI_HOME/versions/<version>/bin`) and counts. Each candidate must answer
// `pulumi version` within a short timeout, and the resource plugins the program needs must be
// installed (a preview would otherwise try to download them).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface CliSearch {
  /** Folders searched for `pulumi`, as PATH lists them. */
  readonly path: string;
  /** Where Pulumi keeps its installs and plugins (`PULUMI_HOME`, else `~/.pulumi`). */
  readonly pulumiHome: string;
  /** The CLI version the npm launcher would run (its package version, or `PULUMI_VERSION`). */
  readonly launcherVersion?: string;
  /** How long `pulumi version` and `pulumi plugin ls` may take. */
  readonly timeoutMs: number;
  /** Resource plugins the program needs (`aws` 7.48.0, ...). */
  readonly plugins: readonly { readonly name: string; readonly version: string }[];
}

export type CliFound =
  | { readonly found: true; readonly binary: string; readonly version: string }
  | { readonly found: false; readonly reason: string };

/** The search as this machine's environment and the project's packages describe it. */
export function searchFromEnvironment(projectDir: string): CliSearch {
  const launcher = path.join(projectDir, "node_modules", "pulumi", "package.json");
  return {
    path: process.env.PATH ?? "",
    pulumiHome: process.env.PULUMI_HOME ?? path.join(os.homedir(), ".pulumi"),
    launcherVersion:
      process.env.PULUMI_VERSION ??
      (fs.existsSync(launcher) ? (readJson(launcher) as { version: string }).version : undefined),
    timeoutMs: 10_000,
    plugins: requiredPlugins(projectDir),
  };
}

/** The resource plugins of the project's dependencies (their package.json `pulumi` field). */
export function requiredPlugins(projectDir: string): { name: string; version: string }[] {
  const pkg = readJson(path.join(projectDir, "package.json")) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(pkg.dependencies ?? {}).flatMap((dependency) => {
    const file = path.join(projectDir, "node_modules", dependency, "package.json");
    const plugin = fs.existsSync(file)
      ? (readJson(file) as { pulumi?: { resource?: boolean; name?: string; version?: string } })
          .pulumi
      : undefined;
    return plugin?.resource && plugin.name && plugin.version
      ? [{ name: plugin.name, version: plugin.version }]
      : [];
  });
}

/** The first candidate that works, or why none does. */
export function findPulumiCli(search: CliSearch): CliFound {
  const seen = new Set<string>();
  const rejected: string[] = [];
  for (const candidate of candidates(search)) {
    if (!isExecutable(candidate)) continue;
    const real = fs.realpathSync(candidate);
    if (seen.has(real)) continue;
    seen.add(real);
    if (isNodeLauncher(real)) {
      rejected.push(`${candidate} is the npm launcher, which would download the CLI`);
      continue;
    }
    const answer = run(candidate, ["version"], search.timeoutMs);
    if (!answer.ok) {
      rejected.push(`${candidate} ${answer.why}`);
      continue;
    }
    const version = answer.stdout.trim();
    if (!/^v?\d+\.\d+\.\d+/.test(version)) {
      rejected.push(`${candidate} answered \`pulumi version\` with ${JSON.stringify(version)}`);
      continue;
    }
    const missing = missingPlugins(candidate, search);
    if (missing.length > 0) {
      rejected.push(
        `${candidate} (${version}) lacks the resource plugins ${missing.join(", ")} ` +
          `(pulumi plugin install resource <name> <version>)`,
      );
      continue;
    }
    return { found: true, binary: candidate, version };
  }
  return {
    found: false,
    reason: `no working pulumi CLI on PATH or at ${installs(search).join(", ")}: ${rejected.join("; ") || "none there"}`,
  };
}

/** `pulumi` in each PATH folder, then the installs the launcher and install script make. */
function candidates(search: CliSearch): string[] {
  const onPath = search.path
    .split(path.delimiter)
    .filter((dir) => dir !== "")
    .map((dir) => path.join(dir, "pulumi"));
  return [...onPath, ...installs(search)];
}

function installs(search: CliSearch): string[] {
  return [
    ...(search.launcherVersion
      ? [path.join(search.pulumiHome, "versions", search.launcherVersion, "bin", "pulumi")]
      : []),
    path.join(search.pulumiHome, "bin", "pulumi"),
  ];
}

function missingPlugins(binary: string, search: CliSearch): string[] {
  if (search.plugins.length === 0) return [];
  const answer = run(binary, ["plugin", "ls", "--json"], search.timeoutMs);
  let installed: { name?: string; kind?: string; version?: string }[] = [];
  if (answer.ok) {
    try {
      installed = JSON.parse(answer.stdout) as typeof installed;
    } catch {
      installed = [];
    }
  }
  return search.plugins
    .filter(
      (p) =>
        !installed.some(
          (i) =>
            i.kind === "resource" &&
            i.name === p.name &&
            i.version?.replace(/^v/, "") === p.version,
        ),
    )
    .map((p) => `${p.name} ${p.version}`);
}

function run(
  binary: string,
  args: string[],
  timeoutMs: number,
): { ok: true; stdout: string } | { ok: false; why: string } {
  const result = spawnSync(binary, args, {
    encoding: "utf8",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    // Offline and quiet: no update check, no prompts.
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_NON_INTERACTIVE: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const command = `\`pulumi ${args.join(" ")}\``;
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ETIMEDOUT") {
    return { ok: false, why: `did not answer ${command} within ${timeoutMs / 1000} s` };
  }
  if (result.error) return { ok: false, why: `could not start: ${result.error.message}` };
  if (result.status !== 0) {
    const said = (result.stderr || result.stdout).trim().split("\n")[0] ?? "";
    return {
      ok: false,
      why: `failed ${command} (exit ${result.status}${said ? `: ${said}` : ""})`,
    };
  }
  return { ok: true, stdout: result.stdout };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A script whose first line runs node: the npm launcher, never a CLI. */
function isNodeLauncher(file: string): boolean {
  const head = Buffer.alloc(128);
  const fd = fs.openSync(file, "r");
  try {
    const read = fs.readSync(fd, head, 0, head.length, 0);
    const firstLine = head.subarray(0, read).toString("utf8").split("\n")[0] ?? "";
    return firstLine.startsWith("#!") && /\bnode\b/.test(firstLine);
  } finally {
    fs.closeSync(fd);
  }
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
}
