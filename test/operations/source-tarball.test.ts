// The source a deploy uploads: exactly the files tracked at the commit, whatever the working tree
// holds; bad --sha and --source values are bad input naming the flag.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SlipwayError } from "../../errors";
import { resolveCommit, sourceTarball } from "../../operations/source-tarball";
import { rejectionOf } from "../heroku/support";
import { gitRepo, tarballFiles } from "./git-repo";

describe("sourceTarball", () => {
  test("the tracked files at the SHA, not the working tree's edits, untracked or ignored files", async () => {
    const repo = gitRepo({
      "package.json": '{"name":"acme-web"}\n',
      "src/index.js": "console.log('v1')\n",
      ".gitignore": "node_modules/\n",
    });
    const first = repo.sha;
    repo.commit({ "src/index.js": "console.log('v2')\n", Procfile: "web: npm start\n" });
    repo.write("src/index.js", "console.log('uncommitted')\n");
    repo.write("notes.txt", "untracked\n");
    repo.write("node_modules/x/index.js", "ignored\n");
    expect(tarballFiles(await sourceTarball(repo.dir, first))).toEqual({
      ".gitignore": "node_modules/\n",
      "package.json": '{"name":"acme-web"}\n',
      "src/index.js": "console.log('v1')\n",
    });
    const second = tarballFiles(await sourceTarball(repo.dir, repo.sha));
    expect(Object.keys(second).sort()).toEqual(
      repo.git("ls-tree", "-r", "--name-only", repo.sha).trim().split("\n").sort(),
    );
    expect(second["src/index.js"]).toBe("console.log('v2')\n");
  });

  test("the tarball is gzipped, with the files at its root", async () => {
    const repo = gitRepo({ "index.js": "1\n" });
    const bytes = await sourceTarball(repo.dir, repo.sha);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(Object.keys(tarballFiles(bytes))).toEqual(["index.js"]);
  });
});

describe("resolveCommit", () => {
  const repo = gitRepo({ "index.js": "1\n" });

  test("a full SHA and an abbreviation resolve to the full SHA", async () => {
    expect(await resolveCommit(repo.dir, repo.sha)).toBe(repo.sha);
    expect(await resolveCommit(repo.dir, repo.sha.slice(0, 8))).toBe(repo.sha);
  });

  test.each([
    [
      "HEAD",
      "--sha",
      'got "HEAD". Allowed: a commit id (7 to 64 hex digits). Fix: --sha "$(git rev-parse HEAD)"',
    ],
    ["abc", "--sha", 'got "abc". Allowed: a commit id (7 to 64 hex digits).'],
    [
      "0123456789abcdef0123456789abcdef01234567",
      "--sha",
      "0123456789abcdef0123456789abcdef01234567 is not a commit of the repository at",
    ],
  ])("%s is bad input on %s", async (sha, key, message) => {
    const error = await rejectionOf<SlipwayError>(resolveCommit(repo.dir, sha));
    expect(SlipwayError.isInstance(error)).toBe(true);
    expect(error.problems[0]!.key).toBe(key);
    expect(error.problems[0]!.message).toContain(message);
  });

  test("a folder that is not a repository is bad input on --source", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-empty-"));
    const error = await rejectionOf<SlipwayError>(resolveCommit(empty, repo.sha));
    expect(error.problems).toEqual([
      {
        key: "--source",
        message: `${empty} is not a git repository. Allowed: the application's checkout. Fix: --source <path of the checkout>`,
      },
    ]);
  });
});
