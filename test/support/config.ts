// What config validation refuses, for the tests of its messages.
import { validateSettings } from "../../config/validate";
import { Problem, SlipwayError } from "../../errors";

/**
 * The problems `validateSettings` finds in `raw` (a stack's slipway namespace) planned as
 * `stack`, with the stack's other config when given (`others`: aws:region and the like; without
 * it, the checks that read other namespaces are left out); none when it accepts them.
 */
export function problemsOf(
  raw: Record<string, unknown>,
  stack = "staging",
  secretKeys: readonly string[] = [],
  others?: Record<string, unknown>,
): readonly Problem[] {
  try {
    validateSettings(raw, stack, secretKeys, Object.keys(others ?? {}), others);
  } catch (error) {
    if (error instanceof SlipwayError) return error.problems;
    throw error;
  }
  return [];
}
