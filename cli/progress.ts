// Shows an operation's progress as it happens: each step with the time elapsed since the command
// started, log lines indented under it. With `--format json` this goes to stderr, so stdout
// carries the one JSON document alone.
import type { ProgressEvent, ProgressListener } from "../operations/progress";

/** A listener that writes each event as a line, timed from the moment it was made. */
export function progressPrinter(
  write: (text: string) => void,
  now: () => number = Date.now,
): ProgressListener {
  const start = now();
  return (event: ProgressEvent) => {
    if (event.log) {
      write(`           ${event.step} | ${event.message}\n`);
      return;
    }
    const seconds = ((now() - start) / 1000).toFixed(1);
    write(`[${seconds.padStart(7)}s] ${event.step}: ${event.message}\n`);
  };
}
