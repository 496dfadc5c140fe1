// The source Heroku builds: the tracked files of one commit, as a gzipped tarball. `git archive`
// reads the commit from the object database, so the tarball holds exactly the files tracked at
// that SHA whatever the working tree holds (uncommitted edits, untracked or ignored files, another
// checked-out branch); `git ls-files` + tar would read the working tree instead. Like the tarballs
// GitHub serves (which Heroku's GitHub deploys build), it honours `export-ignore` and
// `export-subst` in .gitattributes. The files sit at the tarball's root, as Heroku expects.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { SlipwayError } from "../errors";

const run = promisify(execFile);

/** Hex digits of a commit id: an abbreviation of at least 7, or a whole SHA-1 or SHA-256. */
const SHA = /^[0-9a-f]{7,64}$/i;

/** The largest source slipway will upload (Heroku's own limit on a compressed source is lower). */
const MAX_TARBALL_BYTES = 1024 * 1024 * 1024;

async function git(dir: string, args: string[], encoding: "utf8" | "buffer" = "utf8") {
  return run("git", ["-C", dir, ...args], {
    encoding,
    maxBuffer: MAX_TARBALL_BYTES,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
  });
}

/**
 * The full SHA of `sha` in the repository at `dir`. A `SlipwayError` names `--source` when `dir`
 * is not a git repository and `--sha` when the value is not a commit there.
 */
export async function resolveCommit(dir: string, sha: string): Promise<string> {
  if (!SHA.test(sha)) {
    throw SlipwayError.of(
      "--sha",
      `got ${JSON.stringify(sha)}. Allowed: a commit id (7 to 64 hex digits). Fix: --sha "$(git rev-parse HEAD)"`,
    );
  }
  try {
    await git(dir, ["rev-parse", "--git-dir"]);
  } catch {
    throw SlipwayError.of(
      "--source",
      `${dir} is not a git repository. Allowed: the application's checkout. Fix: --source <path of the checkout>`,
    );
  }
  try {
    const { stdout } = await git(dir, ["rev-parse", "--verify", "--quiet", `${sha}^{commit}`]);
    return String(stdout).trim();
  } catch {
    throw SlipwayError.of(
      "--sha",
      `${sha} is not a commit of the repository at ${dir}. Allowed: a commit that checkout has ` +
        `(a shallow clone may lack it). Fix: git -C ${dir} fetch origin ${sha}, or pass the SHA of HEAD.`,
    );
  }
}

/** The gzipped tarball of the files tracked at `commit` (a full SHA from `resolveCommit`). */
export async function sourceTarball(dir: string, commit: string): Promise<Buffer> {
  const { stdout } = await git(dir, ["archive", "--format=tar", commit], "buffer");
  return gzipSync(stdout);
}
