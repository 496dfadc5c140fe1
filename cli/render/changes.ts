// What ships, shown: text for a terminal, JSON for scripts, Markdown for a GitHub step summary or
// a pull request comment. Shared by `slipway changes` and `slipway promote`; pure functions of
// the answer of operations/github/changes.ts.
import type { ShippedCommit, ShippedFile, WhatShips } from "../../operations/github/changes";
import type { Format } from "../plan/render";
import type { ReleaseCommit } from "../../operations/release-commits";
import type { PromotionChanges } from "../../operations/what-ships";

/** Rows a Markdown list shows before it points to the comparison (a PR comment holds 65,536 characters). */
export const MARKDOWN_ROWS = 50;

export function renderChanges(changes: WhatShips, format: Format): string {
  switch (format) {
    case "json":
      return JSON.stringify(changes, null, 2) + "\n";
    case "markdown":
      return changesMarkdown(changes);
    case "text":
      return changesText(changes);
  }
}

/**
 * What a promotion would ship, with the release and commit on each side: `slipway changes`'s
 * output, and what promote shows before it asks.
 */
export function renderPromotion(shipped: PromotionChanges, format: Format): string {
  const sides = `production ${sideText(shipped.production)}, staging ${sideText(shipped.staging)}`;
  switch (format) {
    case "json":
      return JSON.stringify(shipped, null, 2) + "\n";
    case "markdown":
      if (shipped.changes !== null) {
        const [head, ...rest] = changesMarkdown(shipped.changes).split("\n");
        return [head, "", `${inline(sides)}.`, ...rest].join("\n");
      }
      return [
        "### What ships to production",
        "",
        `${inline(sides)}.`,
        "",
        "> [!CAUTION]",
        `> ${inline(shipped.unknown!)}`,
        "",
      ].join("\n");
    case "text":
      return (
        `From ${sides}.\n` +
        (shipped.changes === null ? `${shipped.unknown}\n` : changesText(shipped.changes))
      );
  }
}

function sideText(side: ReleaseCommit): string {
  const release = side.release === null ? "(no release)" : `v${side.release.version}`;
  const commit = side.commit === null ? "commit unknown" : side.commit.slice(0, 7);
  return `${side.app} ${release} (${commit})`;
}

/** One line: the comparison's verdict and the counts (for prompts and progress). */
export function changesHeadline(changes: WhatShips): string {
  const ahead = `${changes.aheadBy} commit${changes.aheadBy === 1 ? "" : "s"}`;
  const shortBase = changes.base.slice(0, 7);
  const shortHead = changes.head.slice(0, 7);
  switch (changes.status) {
    case "identical":
      return `Nothing ships: production and staging run the same commit (${shortHead}).`;
    case "unknown-commit":
      return `What ships cannot be determined: GitHub does not know ${changes.unknownCommits
        .map(
          (c) => `${c.role === "base" ? "production's" : "staging's"} commit ${c.sha.slice(0, 7)}`,
        )
        .join(" or ")} (force-pushed away, or from another repository).`;
    case "behind":
      return `Nothing new ships, and production has ${changes.behindBy} commit${changes.behindBy === 1 ? "" : "s"} staging lacks (${shortBase} is ahead of ${shortHead}): promoting would take them out of production.`;
    case "diverged":
      return `Production and staging have diverged: staging brings ${ahead}, and promoting would take out ${changes.behindBy} commit${changes.behindBy === 1 ? "" : "s"} only production has.`;
    case "ahead":
      return `${ahead}, ${count(changes.pullRequests.length, "pull request")}, ${count(changes.migrations.length, "migration")} (${shortBase}...${shortHead}).`;
  }
}

export function changesText(changes: WhatShips): string {
  const lines = [
    `What ships to production from ${changes.repository}: ${changesHeadline(changes)}`,
  ];
  if (changes.compareUrl) lines.push(`  ${changes.compareUrl}`);
  if (changes.migrations.length > 0) {
    lines.push("", `MIGRATIONS (${changes.migrations.length}): read them before promoting`);
    lines.push(...changes.migrations.map((f) => `  ! ${fileText(f)}`));
  }
  if (changes.pullRequests.length > 0) {
    lines.push("", `Pull requests (${changes.pullRequests.length}):`);
    lines.push(
      ...changes.pullRequests.map(
        (p) => `  #${p.number} ${p.title} (${p.author}, into ${p.baseBranch}) ${p.url}`,
      ),
    );
  }
  if (changes.commits.length > 0) {
    lines.push("", `Commits (${changes.commits.length}):`);
    lines.push(
      ...changes.commits.map((c) => `  ${c.shortSha} ${c.title} (${c.author}) ${pullsText(c)}`),
    );
  }
  if (changes.buildFiles.length > 0) {
    lines.push("", `Build changes (${changes.buildFiles.length}):`);
    lines.push(...changes.buildFiles.map((f) => `  ${fileText(f)}`));
  }
  const unknown = undetermined(changes);
  if (unknown.length > 0) {
    lines.push("", "Could not be determined:", ...unknown.map((u) => `  - ${u}`));
  }
  return lines.join("\n") + "\n";
}

export function changesMarkdown(changes: WhatShips): string {
  const out = ["### What ships to production", ""];
  const range = changes.compareUrl
    ? `[\`${changes.base.slice(0, 7)}...${changes.head.slice(0, 7)}\`](${changes.compareUrl})`
    : `\`${changes.base.slice(0, 7)}...${changes.head.slice(0, 7)}\``;
  out.push(`\`${changes.repository}\` ${range}: ${inline(changesHeadline(changes))}`, "");
  if (
    changes.status === "behind" ||
    changes.status === "diverged" ||
    changes.status === "unknown-commit"
  ) {
    out.push("> [!CAUTION]", `> ${inline(changesHeadline(changes))}`, "");
  }
  if (changes.migrations.length > 0) {
    out.push(
      "> [!WARNING]",
      `> **${count(changes.migrations.length, "migration")}** ship: read them before promoting; an automatic rollback would run the old code on the migrated schema.`,
      ">",
      ...limited(changes.migrations, (f) => `- ${fileMarkdown(f)}`, changes.compareUrl).map(
        (line) => `> ${line}`,
      ),
      "",
    );
  }
  if (changes.pullRequests.length > 0) {
    out.push(
      `#### Pull requests (${changes.pullRequests.length})`,
      "",
      "| Pull request | Title | Author | Into |",
      "| --- | --- | --- | --- |",
    );
    out.push(
      ...limited(
        changes.pullRequests,
        (p) =>
          `| [#${p.number}](${p.url}) | ${inline(p.title)} | ${inline(p.author)} | \`${p.baseBranch}\` |`,
        changes.compareUrl,
      ),
      "",
    );
  }
  if (changes.commits.length > 0) {
    out.push(
      `#### Commits (${changes.commits.length})`,
      "",
      "| Commit | Title | Author | Pull request |",
      "| --- | --- | --- | --- |",
    );
    out.push(
      ...limited(
        changes.commits,
        (c) =>
          `| [\`${c.shortSha}\`](${c.url}) | ${inline(c.title)} | ${inline(c.author)} | ${c.pullRequests.length === 0 ? "none: pushed directly" : c.pullRequests.map((n) => `#${n}`).join(", ")} |`,
        changes.compareUrl,
      ),
      "",
    );
  }
  if (changes.buildFiles.length > 0) {
    out.push(`#### Build changes (${changes.buildFiles.length})`, "");
    out.push(...limited(changes.buildFiles, (f) => `- ${fileMarkdown(f)}`, changes.compareUrl), "");
  }
  const unknown = undetermined(changes);
  if (unknown.length > 0) {
    out.push("#### Could not be determined", "", ...unknown.map((u) => `- ${inline(u)}`), "");
  }
  return out.join("\n");
}

/** What the answer leaves open: the operation's notes, and the file list's source past the cap. */
function undetermined(changes: WhatShips): string[] {
  const notes = [...changes.undetermined];
  if (changes.filesFrom === "pull-requests-and-commits") {
    notes.unshift(
      "The comparison lists 300 files at most: the files shown are those of each pull request and direct commit, which may include changes undone later in the range.",
    );
  }
  return notes;
}

function limited<T>(
  items: readonly T[],
  row: (item: T) => string,
  compareUrl: string | undefined,
): string[] {
  const shown = items.slice(0, MARKDOWN_ROWS).map(row);
  if (items.length <= MARKDOWN_ROWS) return shown;
  const rest = `and ${items.length - MARKDOWN_ROWS} more`;
  return [...shown, compareUrl ? `${rest}: [see the comparison](${compareUrl})` : `${rest}.`];
}

function fileText(file: ShippedFile): string {
  return file.previousPath === undefined
    ? `${file.path} (${file.status})`
    : `${file.path} (${file.status} from ${file.previousPath})`;
}

function fileMarkdown(file: ShippedFile): string {
  return file.previousPath === undefined
    ? `\`${file.path}\` (${file.status})`
    : `\`${file.path}\` (${file.status} from \`${file.previousPath}\`)`;
}

function pullsText(commit: ShippedCommit): string {
  return commit.pullRequests.length === 0
    ? "no pull request"
    : commit.pullRequests.map((n) => `#${n}`).join(", ");
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * Text from commits and pull requests, safe in a Markdown table row: pipes, emphasis, links and
 * HTML escaped, and `@` made inert, so a comment does not notify everyone a title mentions.
 */
export function inline(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/@/g, "&#64;")
    .replace(/\s+/g, " ")
    .trim();
}
