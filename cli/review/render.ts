// How the review subcommands show their results: a few lines of text, or one JSON document.
// Times are ISO 8601 in JSON and relative (`2d 3h ago`) in text.
import type { DownResult } from "../../operations/review/down";
import type { ReviewListing } from "../../operations/review/list";
import type { ReviewNames } from "../../operations/review/naming";
import type { PruneResult } from "../../operations/review/prune";
import type { ReviewUpResult } from "../../operations/review/up";
import { deployDocument } from "../commands/deploy";

export const REVIEW_FORMATS = ["text", "json"] as const;
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function renderNames(
  names: ReviewNames,
  input: { branch: string; pr?: number },
  format: ReviewFormat,
): string {
  if (format === "json") {
    return json({ branch: input.branch, pr: input.pr ?? null, stack: names.stack, app: names.app });
  }
  return `stack ${names.stack}\napp   ${names.app}\n`;
}

export function renderUp(result: ReviewUpResult, format: ReviewFormat): string {
  if (format === "json") {
    return json({
      outcome: result.outcome,
      needsAttention: result.needsAttention,
      summary: result.summary,
      stack: result.stack,
      app: result.app,
      url: result.url,
      sha: result.sha,
      created: result.created,
      postdeploy: result.postdeploy,
      timings: result.timings,
      deploy: deployDocument(result.deploy),
    });
  }
  const headline =
    result.outcome === "deployed"
      ? "review app up"
      : result.needsAttention
        ? "NEEDS ATTENTION"
        : "failed";
  return `${headline}: ${result.summary}\n`;
}

export function renderDown(result: DownResult, format: ReviewFormat): string {
  if (format === "json") return json(result);
  if (result.outcome === "absent") return `${result.stack} does not exist: nothing to remove\n`;
  const apps = result.apps.length > 0 ? ` (app ${result.apps.join(", ")})` : "";
  return `${result.stack} destroyed and removed${apps}\n`;
}

export function renderList(listing: ReviewListing, format: ReviewFormat): string {
  if (format === "json") {
    return json({
      backend: listing.backend,
      stacks: listing.stacks.map((s) => ({
        stack: s.stack,
        app: s.appName ?? null,
        url: s.url ?? null,
        createdAt: s.createdAt?.toISOString() ?? null,
        lastUpdate: s.lastUpdate?.toISOString() ?? null,
        ageSeconds: seconds(s.ageMs),
        idleSeconds: seconds(s.idleMs),
        updateInProgress: s.updateInProgress ?? null,
        resourceCount: s.resourceCount ?? null,
      })),
    });
  }
  if (listing.stacks.length === 0) return `no review stacks in ${listing.backend}\n`;
  const rows = listing.stacks.map((s) => [
    s.stack,
    s.appName ?? "-",
    s.ageMs === undefined ? "-" : duration(s.ageMs),
    s.lastUpdate === undefined || s.idleMs === undefined ? "never" : `${duration(s.idleMs)} ago`,
    s.updateInProgress === undefined ? "unknown" : s.updateInProgress ? "yes" : "no",
    s.url ?? "-",
  ]);
  return table(["STACK", "APP", "AGE", "LAST UPDATE", "UPDATING", "URL"], rows);
}

export function renderPrune(result: PruneResult, format: ReviewFormat): string {
  if (format === "json") {
    return json({
      olderThanSeconds: result.olderThanMs / 1000,
      dryRun: result.dryRun,
      stale: result.stale.map((s) => ({ stack: s.stack, idleSeconds: seconds(s.idleMs) })),
      destroyed: result.destroyed,
      kept: result.fresh.map((s) => ({ stack: s.stack, idleSeconds: seconds(s.idleMs) })),
      skipped: result.skipped,
      failed: result.failed,
    });
  }
  const lines = [`stale after ${duration(result.olderThanMs)} without an update`];
  for (const s of result.stale) {
    const idle = `idle ${duration(s.idleMs ?? 0)}`;
    const done = result.dryRun
      ? "would be destroyed"
      : result.destroyed.includes(s.stack)
        ? "destroyed and removed"
        : "not destroyed (below)";
    lines.push(`  ${s.stack}: ${idle}, ${done}`);
  }
  for (const s of result.fresh) lines.push(`  ${s.stack}: idle ${duration(s.idleMs ?? 0)}, kept`);
  for (const s of result.skipped) lines.push(`  ${s.stack}: skipped: ${s.reason}`);
  for (const s of result.failed) lines.push(`  ${s.stack}: FAILED: ${s.reason}`);
  if (lines.length === 1) lines.push("  no review stacks");
  return `${lines.join("\n")}\n`;
}

/** `3d 4h`, `5h 10m`, `12m`, `40s`: the two largest units. */
export function duration(ms: number): string {
  const units: [string, number][] = [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, ms);
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0 || (parts.length === 0 && unit === "s")) parts.push(`${count}${unit}`);
    rest -= count * size;
    if (parts.length === 2) break;
  }
  return parts.join(" ");
}

function seconds(ms: number | undefined): number | null {
  return ms === undefined ? null : Math.round(ms / 1000);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join("  ")
      .trimEnd();
  return `${[header, ...rows].map(line).join("\n")}\n`;
}
