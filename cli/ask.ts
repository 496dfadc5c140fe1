// Questions to the person at the terminal (promote's confirmation). Only when stdin is a
// terminal: in CI or a pipe there is no one to answer, and the command says how to go on.
import * as readline from "node:readline/promises";

/** A prompt on the terminal, or `undefined` when stdin is not one. */
export function terminalAsk(
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): ((question: string) => Promise<string>) | undefined {
  if (input.isTTY !== true) return undefined;
  return async (question) => {
    const terminal = readline.createInterface({ input, output });
    try {
      return await terminal.question(question);
    } finally {
      terminal.close();
    }
  };
}
