// Runs before every test file (jest.config.js, setupFilesAfterEnv).
import { format } from "node:util";

// Stack traces. The Pulumi SDK takes traces of its own: one on every promise it creates
// (debuggablePromise, kept for its promise-leak report at exit) and one per resource
// (Resource.callsites, the source position it sends to the engine, which the mock monitor
// ignores). Jest source-maps every trace frame by frame, which made those traces a third of a
// planning test's time. They are formatted as V8 formats them instead, the promises' only when
// read; every other trace keeps jest's source-mapped frames.
type Format = (error: Error, frames: NodeJS.CallSite[]) => unknown;

const sourceMapped = Object.getOwnPropertyDescriptor(Error, "prepareStackTrace")?.value as
  Format | undefined;

const plain = (error: Error, frames: NodeJS.CallSite[]): string =>
  // V8's CallSite.toString formats a frame as V8's own traces do; @types/node does not declare it.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  `${String(error)}${frames.map((frame) => `\n    at ${frame.toString()}`).join("")}`;

/** The name of the SDK function that took the trace, if the SDK took it. */
const takenBy = (frame: NodeJS.CallSite | undefined): string | null =>
  frame?.getFileName()?.includes("/node_modules/@pulumi/pulumi/") ? frame.getFunctionName() : null;

Error.prepareStackTrace = (error, frames): unknown => {
  switch (takenBy(frames[0])) {
    case "debuggablePromise":
      return { toString: () => plain(error, frames) };
    case "callsites":
      return plain(error, frames);
    default:
      return sourceMapped ? sourceMapped(error, frames) : plain(error, frames);
  }
};

// Warnings. Without an engine, `pulumi.log.warn` prints with console.warn ("warning: ..."). The
// committed stacks warn about credentials a test machine does not have, in every test that plans
// them; tests about a warning spy on `pulumi.log.warn` and assert it. Those lines are kept out of
// jest's output; anything else printed with console.warn still shows.
const consoleWarn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (!format(...args).startsWith("warning: ")) consoleWarn(...args);
};
