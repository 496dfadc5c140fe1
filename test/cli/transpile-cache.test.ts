// bin/slipway.js caches transpiled sources: a damaged entry is compiled again, never run, and a
// source file keeps one entry however often it changes.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../support/stacks";

const BIN = path.join(PROJECT_DIR, "bin", "slipway.js");
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-ts-cache-"));

function help(): string {
  return execFileSync(process.execPath, [BIN, "--help"], {
    env: { ...process.env, SLIPWAY_CACHE_DIR: cacheDir },
    encoding: "utf8",
  });
}

function entries(): string[] {
  return fs.readdirSync(cacheDir).sort();
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

test("damaged entries are compiled again; stale versions of a file are removed", () => {
  const usage = help();
  expect(usage).toMatch(/^usage: slipway <command> \[options\]/);
  const first = entries();
  // One entry per TypeScript file the command loaded, each `<file hash>-<source hash>.js`.
  expect(first.length).toBeGreaterThan(5);
  for (const entry of first) expect(entry).toMatch(/^[0-9a-f]{16}-[0-9a-f]{64}\.js$/);

  // Damage every entry in a different way: truncated, a byte changed, the header removed.
  first.forEach((entry, i) => {
    const file = path.join(cacheDir, entry);
    const text = fs.readFileSync(file, "utf8");
    const damaged = [
      text.slice(0, Math.floor(text.length / 2)),
      text.replace("exports", "exp0rts"),
      text.slice(text.indexOf("\n") + 1),
    ][i % 3] as string;
    fs.writeFileSync(file, damaged);
  });
  // A stale version of the first file: same file prefix, another source hash.
  const stale = `${first[0]?.slice(0, 16)}-${"0".repeat(64)}.js`;
  fs.writeFileSync(path.join(cacheDir, stale), "throw new Error('stale entry ran');\n");

  expect(help()).toBe(usage);
  expect(entries()).toEqual(first);
  for (const entry of entries()) {
    const text = fs.readFileSync(path.join(cacheDir, entry), "utf8");
    const newline = text.indexOf("\n");
    expect(text.slice(0, newline)).toBe(`// slipway-ts sha256=${sha256(text.slice(newline + 1))}`);
  }
});
