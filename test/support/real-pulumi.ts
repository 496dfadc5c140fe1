// Finds a real `pulumi` CLI for the tier of tests that run one, without the network and without
// waiting on anything: the npm `pulumi` package on PATH (node_modules/.bin) is a launcher that
// downloads the binary on first use, so it counts only when the binary it would run is already
// in its cache; every candidate must answer `pulumi version` within a few seconds.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type RealPulumi =
  { found: true; path: string; version: string } | { found: false; reason: string };

const VERSION_TIMEOUT_MS = 5000;

/** Whether `file` is the npm launcher (a node script of the `pulumi` package), not the CLI. */
export function isNpmLauncher(file: string): boolean {
  try {
    const real = fs.realpathSync(file);
    if (real.endsWith(path.join("node_modules", "pulumi", "run.js"))) return true;
    const head = fs.readFileSync(real, { encoding: "utf8", flag: "r" }).slice(0, 64);
    return head.startsWith("#!") && head.includes("node");
  } catch {
    return false;
  }
}

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Where a real binary may be: on PATH (launchers skipped), the installer's and the launcher's caches. */
export function candidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env["PULUMI_HOME"] ?? path.join(os.homedir(), ".pulumi");
  const onPath = (env["PATH"] ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, "pulumi"));
  const versions = path.join(home, "versions");
  const cached = fs.existsSync(versions)
    ? fs.readdirSync(versions).map((v) => path.join(versions, v, "bin", "pulumi"))
    : [];
  return [...onPath, path.join(home, "bin", "pulumi"), ...cached].filter(
    (file, i, all) => all.indexOf(file) === i && executable(file) && !isNpmLauncher(file),
  );
}

/** The first candidate that answers `pulumi version`, or why there is none. */
export function findRealPulumi(env: NodeJS.ProcessEnv = process.env): RealPulumi {
  const tried: string[] = [];
  for (const file of candidates(env)) {
    const answer = spawnSync(file, ["version"], {
      timeout: VERSION_TIMEOUT_MS,
      encoding: "utf8",
      env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    const version = answer.stdout?.trim() ?? "";
    if (answer.status === 0 && /^v?\d+\.\d+\.\d+/.test(version)) {
      return { found: true, path: file, version };
    }
    tried.push(`${file} (${answer.error?.message ?? `exit ${answer.status}`})`);
  }
  return {
    found: false,
    reason:
      tried.length === 0
        ? "no pulumi binary on PATH or in ~/.pulumi (the npm launcher alone would download one)"
        : `no pulumi binary answered \`pulumi version\`: ${tried.join(", ")}`,
  };
}
