// The confirmation prompt: only on a terminal, and it resolves with the line typed.
import { PassThrough } from "node:stream";
import { terminalAsk } from "../../cli/ask";

function streams(tty: boolean) {
  const input = Object.assign(new PassThrough(), { isTTY: tty }) as unknown as NodeJS.ReadStream;
  const written: string[] = [];
  const output = Object.assign(new PassThrough(), {
    isTTY: false,
  }) as unknown as NodeJS.WriteStream;
  output.on("data", (chunk: Buffer) => written.push(chunk.toString()));
  return { input, output, written };
}

test("no terminal, no prompt", () => {
  const { input, output } = streams(false);
  expect(terminalAsk(input, output)).toBeUndefined();
});

test("on a terminal: the question written, the line typed returned", async () => {
  const { input, output, written } = streams(true);
  const ask = terminalAsk(input, output)!;
  const answer = ask("Promote? [y/N] ");
  (input as unknown as PassThrough).write("yes\n");
  expect(await answer).toBe("yes");
  expect(written.join("")).toBe("Promote? [y/N] ");
});
