// A throwaway git repository for the deploy tests: files committed, then changed at will.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface Repo {
  readonly dir: string;
  /** The SHA of the last commit. */
  readonly sha: string;
  git(...args: string[]): string;
  write(file: string, text: string): void;
  commit(files: Record<string, string>, message?: string): string;
}

/** A new repository with `files` in its first commit. */
export function gitRepo(files: Record<string, string>): Repo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-source-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", dir, ...args], {
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "Dev",
        GIT_AUTHOR_EMAIL: "dev@example.com",
        GIT_COMMITTER_NAME: "Dev",
        GIT_COMMITTER_EMAIL: "dev@example.com",
      },
    });
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  let sha = "";
  const commit = (changes: Record<string, string>, message = "change") => {
    for (const [file, text] of Object.entries(changes)) write(file, text);
    git("add", "--all");
    git("commit", "--quiet", "--no-gpg-sign", "-m", message);
    sha = git("rev-parse", "HEAD").trim();
    return sha;
  };
  git("init", "--quiet", "--initial-branch=main");
  commit(files, "first");
  return {
    dir,
    get sha() {
      return sha;
    },
    git,
    write,
    commit,
  };
}

/** The files of a gzipped tarball, with their contents, by path. */
export function tarballFiles(bytes: Buffer): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-tarball-"));
  const file = path.join(dir, "source.tgz");
  fs.writeFileSync(file, bytes);
  const out = path.join(dir, "out");
  fs.mkdirSync(out);
  execFileSync("tar", ["-xzf", file, "-C", out]);
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(path.join(out, at), { withFileTypes: true })) {
      const rel = at ? `${at}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else files[rel] = fs.readFileSync(path.join(out, rel), "utf8");
    }
  };
  walk("");
  return files;
}
