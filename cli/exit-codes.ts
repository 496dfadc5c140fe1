// The exit codes every slipway command shares (DESIGN.md, "Interfaces that hold across issues").
// Scripts and workflows branch on them, so they never change meaning.
export const EXIT = {
  /** Done: the plan is clean, the deploy or promotion succeeded. */
  ok: 0,
  /** Refused (a mandatory policy violation, an unhealthy source), or failed and safely rolled back. */
  refused: 1,
  /** Bad input: a flag, a file or a config value; the message names it and says the fix. */
  badInput: 2,
  /** A bug in slipway: the stack trace is printed. */
  internal: 3,
  /** Failed and NOT rolled back: a person must act; the message says the state and what to do. */
  needsAttention: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
