// The exit codes of `slipway review`'s outcomes, each one: review.test.ts reaches 0, 1 and 4
// through the stand-in pulumi, but not every outcome of every subcommand.
import { exitCodeOf } from "../../cli/commands/deploy";
import { failureExitCode, pruneExitCode } from "../../cli/commands/review";
import { ReviewFailure } from "../../operations/review/failure";

test.each([
  ["unchanged", 1],
  ["needs-attention", 4],
] as const)("a review failure that is %s exits %i", (outcome, code) => {
  expect(failureExitCode(new ReviewFailure(outcome, "what happened"))).toBe(code);
});

test.each([
  ["deployed", false, 0],
  ["failed", false, 1],
  ["failed", true, 4],
] as const)(
  "up (and deploy) %s, needing attention %s, exits %i",
  (outcome, needsAttention, code) => {
    expect(exitCodeOf({ outcome, needsAttention })).toBe(code);
  },
);

test.each([
  [[], 0],
  [[{ stack: "review-old-aaaaaa", reason: "pulumi destroy failed" }], 4],
])("prune with failed destroys %j exits %i", (failed, code) => {
  expect(pruneExitCode({ failed })).toBe(code);
});
