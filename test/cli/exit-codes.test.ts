// The exit codes are an interface (DESIGN.md): workflows and scripts branch on the numbers.
import { EXIT } from "../../cli/exit-codes";

test("each outcome keeps its number", () => {
  expect(EXIT).toEqual({ ok: 0, refused: 1, badInput: 2, internal: 3, needsAttention: 4 });
});
