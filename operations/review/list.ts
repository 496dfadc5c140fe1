// `slipway review list`: the review stacks in the backend, each with its age, last update, app URL
// and whether an update is running.
import { openSession, ReviewContext } from "./session";
import { ReviewStackInfo } from "./stacks";

export interface ReviewStackRow extends ReviewStackInfo {
  /** Milliseconds since slipway created the stack, when its creation time is known. */
  readonly ageMs?: number;
  /** Milliseconds since its last update (or, never updated, its creation): what prune compares. */
  readonly idleMs?: number;
}

export interface ReviewListing {
  readonly backend: string;
  readonly stacks: readonly ReviewStackRow[];
}

export async function reviewList(context: ReviewContext): Promise<ReviewListing> {
  const session = await openSession(context);
  const now = session.now();
  const stacks = await session.stacks.list();
  return { backend: session.backend.url, stacks: stacks.map((s) => withAges(s, now)) };
}

/** A stack's age and idle time at `now`. */
export function withAges(stack: ReviewStackInfo, now: Date): ReviewStackRow {
  const since = stack.lastUpdate ?? stack.createdAt;
  return {
    ...stack,
    ageMs: stack.createdAt === undefined ? undefined : now.getTime() - stack.createdAt.getTime(),
    idleMs: since === undefined ? undefined : now.getTime() - since.getTime(),
  };
}
