// Time for the operations: every wait and every duration goes through a Clock, so tests drive
// polls, windows and timeouts with a fake one and never wait or assert on real time.
import { realSleep } from "../heroku/retry";

export interface Clock {
  /** Milliseconds, as Date.now. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: realSleep };
