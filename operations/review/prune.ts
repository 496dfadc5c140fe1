// `slipway review prune`: destroys the review stacks nobody has updated for a while (by default
// `slipway:reviewApps.staleDays`). A stack with an update running is never touched; one that was
// never updated counts from its creation; one whose age cannot be known is left for a person.
import { SlipwayError } from "../../errors";
import { destroyReviewStack, NotAReviewApp } from "./down";
import { ReviewFailure } from "./failure";
import { ReviewStackRow, withAges } from "./list";
import { openSession, ReviewContext } from "./session";
import { ReviewStackInfo } from "./stacks";

const UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };

export interface PruneOptions {
  /** Idle time after which a stack is stale. @default slipway:reviewApps.staleDays */
  readonly olderThanMs?: number;
  /** Only say what would be destroyed. */
  readonly dryRun?: boolean;
}

export interface Skipped {
  readonly stack: string;
  readonly reason: string;
}

export interface PruneChoice {
  readonly stale: readonly ReviewStackRow[];
  readonly fresh: readonly ReviewStackRow[];
  readonly skipped: readonly Skipped[];
}

export interface PruneResult extends PruneChoice {
  readonly olderThanMs: number;
  readonly dryRun: boolean;
  /** Stale stacks destroyed and removed (none in a dry run). */
  readonly destroyed: readonly string[];
  /** Stale stacks whose destroy failed partway: a person must look (exit 4). */
  readonly failed: readonly Skipped[];
}

/** `5d`, `36h`, `90m` in milliseconds; anything else is bad input for `flag`. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d{1,4})([dhm])$/.exec(text.trim());
  const ms = match ? Number(match[1]) * (UNITS[match[2] as string] as number) : 0;
  if (ms > 0) return ms;
  throw SlipwayError.of(
    flag,
    `got ${JSON.stringify(text)}. Allowed: a whole number above 0 followed by d (days), h (hours) or m (minutes). Fix: ${flag} 5d`,
  );
}

/** Which stacks are stale at `now`: never one with an update running or an unknown age. */
export function choosePrune(
  stacks: readonly ReviewStackInfo[],
  now: Date,
  olderThanMs: number,
): PruneChoice {
  const stale: ReviewStackRow[] = [];
  const fresh: ReviewStackRow[] = [];
  const skipped: Skipped[] = [];
  for (const stack of stacks.map((s) => withAges(s, now))) {
    if (stack.updateInProgress === true) {
      skipped.push({ stack: stack.stack, reason: "an update is running" });
    } else if (stack.idleMs === undefined) {
      skipped.push({
        stack: stack.stack,
        reason:
          "never updated and no creation time recorded (not made by slipway review up?): " +
          `remove it with \`slipway review down --stack ${stack.stack}\` if it is unused`,
      });
    } else if (stack.idleMs >= olderThanMs) {
      stale.push(stack);
    } else {
      fresh.push(stack);
    }
  }
  return { stale, fresh, skipped };
}

export async function reviewPrune(
  context: ReviewContext,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const session = await openSession(context);
  const olderThanMs = options.olderThanMs ?? session.profile.reviewApps.staleDays * UNITS["d"]!;
  const choice = choosePrune(await session.stacks.list(), session.now(), olderThanMs);
  const result = { ...choice, olderThanMs, dryRun: options.dryRun === true };
  if (options.dryRun) return { ...result, destroyed: [], failed: [] };
  const destroyed: string[] = [];
  const failed: Skipped[] = [];
  const skipped = [...choice.skipped];
  for (const { stack } of choice.stale) {
    session.progress({ step: "prune", message: `${stack} is stale: destroying it` });
    try {
      const down = await destroyReviewStack(session, stack, "prune");
      if (down.outcome === "destroyed") destroyed.push(stack);
      else skipped.push({ stack, reason: "removed by someone else meanwhile" });
    } catch (error) {
      // Passphrase and login problems stop the whole prune (bad input); the rest is per stack.
      if (NotAReviewApp.isInstance(error)) skipped.push({ stack, reason: error.message });
      else if (!ReviewFailure.isInstance(error)) throw error;
      else if (error.outcome === "unchanged") skipped.push({ stack, reason: error.message });
      else failed.push({ stack, reason: error.message });
    }
  }
  return { ...result, skipped, destroyed, failed };
}
