// Reads an `output_stream_url` (a build's output, a release phase's, a log session's) line by
// line as Heroku writes it. The stream is for people to watch: the build or release status from
// the API decides the outcome, so a stream that fails or is cut off is reported, not retried.
import { fetchFailure } from "./fetch-failure";

export interface StreamResult {
  /** True when the stream ended normally; false when it failed or was cut off. */
  readonly complete: boolean;
  readonly lines: number;
  /** Why it is incomplete (`HTTP 404`, `timed out after 600 s`, the network error). */
  readonly problem?: string;
}

/**
 * Streams `url`, calling `onLine` for each line (without its line break) as it arrives, for at
 * most `timeoutMs` of real time. Never throws for the stream's own failures.
 */
export async function streamOutput(
  url: string,
  onLine: (line: string) => void,
  timeoutMs: number,
): Promise<StreamResult> {
  let lines = 0;
  let pending = "";
  const emit = (line: string) => {
    lines += 1;
    onLine(line.replace(/\r$/, ""));
  };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      return { complete: false, lines, problem: `HTTP ${response.status}` };
    }
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      pending += decoder.decode(chunk as Uint8Array, { stream: true });
      const parts = pending.split("\n");
      pending = parts.pop()!;
      parts.forEach(emit);
    }
    pending += decoder.decode();
    if (pending !== "") emit(pending);
    return { complete: true, lines };
  } catch (error) {
    if (pending !== "") emit(pending);
    const failure = fetchFailure(error);
    const problem = failure.timedOut
      ? `timed out after ${Math.round(timeoutMs / 100) / 10} s`
      : failure.message;
    return { complete: false, lines, problem };
  }
}
