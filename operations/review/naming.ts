// The names of a branch's review stack and app: a pure function of the branch (and the pull
// request number, when there is one) and the production app's name.
//
// Stack: `review-<prefix>-<hash>`; app: `<base>-pr-<n>`, or `<base>-<prefix>-<hash>` without a
// pull request. The prefix is the branch made readable (lowercase ASCII letters, digits, dashes)
// and cut to fit; the hash is of the exact branch name, so branches that read the same once made
// readable (`Feature/X`, `feature-x`), or differ only after the cut, still get names of their own.
// The hash is letters only, so a branch app (ending in letters) never equals a pull request app
// (ending in digits).
import { createHash } from "node:crypto";
import { HEROKU_APP_NAME } from "../../config/limits";

/** The stack name rule of config/validate.ts: `review-` then 1-40 of [a-z0-9-], no leading dash. */
export const REVIEW_STACK_PREFIX = "review-";
const SLUG_MAX = 40;
const APP_MAX = 30;
/** Letters of the branch hash: 26^6 (about 3 x 10^8) values. */
export const HASH_LENGTH = 6;
/** The longest base kept from the production app's name, so every name has room for the rest. */
export const BASE_MAX = 16;
/** The longest pull request number: with the base at most 16, `<base>-pr-<n>` fits in 30. */
export const PR_MAX_DIGITS = APP_MAX - BASE_MAX - "-pr-".length;

export interface ReviewNames {
  /** `review-<slug>`. */
  readonly stack: string;
  readonly slug: string;
  /** The review app's Heroku name. */
  readonly app: string;
  /** The letters that tell this branch apart (also in the stack's name). */
  readonly hash: string;
}

export interface ReviewNameInput {
  /** The branch exactly as git names it (`feature/Login_Form`). */
  readonly branch: string;
  /** The pull request number, when the branch has one. */
  readonly pr?: number;
  /** The production app's name (a valid Heroku app name). */
  readonly productionApp: string;
}

/** The stack and app names for a branch. Deterministic; valid for any non-empty branch. */
export function reviewNames({ branch, pr, productionApp }: ReviewNameInput): ReviewNames {
  if (branch.length === 0) throw new Error("reviewNames: the branch name is empty");
  if (pr !== undefined && !isPullRequestNumber(pr)) {
    throw new Error(`reviewNames: ${pr} is not a pull request number`);
  }
  const hash = branchHash(branch);
  const readable = readableBranch(branch);
  const slug = joined(cut(readable, SLUG_MAX - HASH_LENGTH - 1), hash);
  const base = reviewBase(productionApp);
  const app =
    pr !== undefined
      ? `${base}-pr-${pr}`
      : `${base}-${joined(cut(readable, APP_MAX - base.length - HASH_LENGTH - 2), hash)}`;
  return { stack: `${REVIEW_STACK_PREFIX}${slug}`, slug, app, hash };
}

/** Whether `value` can be a pull request number in an app name (1 to 10 digits). */
export function isPullRequestNumber(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1 && String(value).length <= PR_MAX_DIGITS;
}

/** The production app's name, cut to at most 16 characters, without a trailing dash. */
export function reviewBase(productionApp: string): string {
  if (!HEROKU_APP_NAME.test(productionApp)) {
    throw new Error(`reviewBase: ${JSON.stringify(productionApp)} is not a Heroku app name`);
  }
  return cut(productionApp, BASE_MAX);
}

/**
 * The branch as lowercase ASCII letters and digits joined by single dashes: accents dropped
 * (`é` -> `e`), every other run of characters a dash, no dash at either end. May be empty.
 */
export function readableBranch(branch: string): string {
  return branch
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, ""); // one dash at most at either end: the line above joined each run
}

/** Six lowercase letters from the SHA-256 of the exact branch name. */
export function branchHash(branch: string): string {
  const digest = createHash("sha256").update(branch, "utf8").digest();
  // 40 bits hold 26^6 with room to spare; the small bias of the remainder does not matter here.
  let value = digest.readUIntBE(0, 5);
  let letters = "";
  for (let i = 0; i < HASH_LENGTH; i++) {
    letters += String.fromCharCode(97 + (value % 26));
    value = Math.floor(value / 26);
  }
  return letters;
}

/**
 * The first `max` characters of a readable name, without the dash a cut can leave at its end.
 * `max` is never below 6: BASE_MAX leaves that much of the app name to the branch.
 */
function cut(readable: string, max: number): string {
  return readable.slice(0, max).replace(/-+$/, "");
}

function joined(prefix: string, hash: string): string {
  return prefix ? `${prefix}-${hash}` : hash;
}
