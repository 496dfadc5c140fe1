// How a review operation stops without a bug: refused or failed before it changed anything, or
// failed after it changed something a person now has to look at. The command maps each to its
// exit code (1 and 4); bad input is a SlipwayError (2) and anything else a bug (3).

export type FailureOutcome = "unchanged" | "needs-attention";

export class ReviewFailure extends Error {
  readonly outcome: FailureOutcome;

  /** `message` says what happened, the state things are in, and what to do. */
  constructor(outcome: FailureOutcome, message: string) {
    super(message);
    this.name = "ReviewFailure";
    this.outcome = outcome;
  }

  static isInstance(value: unknown): value is ReviewFailure {
    return value instanceof ReviewFailure;
  }
}
