// How a long operation tells its caller what it is doing, without printing: it reports events,
// and the command decides how (and where) to show them.

/** One thing a running operation reports. */
export interface ProgressEvent {
  /** The step it belongs to, short and stable: `build`, `release`, `health`, `snapshot`, ... */
  readonly step: string;
  /** What happened, in one line. */
  readonly message: string;
  /** A line of a log the operation streams as it comes (build output, release phase output). */
  readonly log?: boolean;
}

export type ProgressListener = (event: ProgressEvent) => void;

/** For callers that want no progress (tests that only look at the result). */
export const ignoreProgress: ProgressListener = () => undefined;
