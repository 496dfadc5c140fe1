// What every review operation starts from: the review profile read from the committed stack files,
// the backend checked, the Automation API workspace opened, and a Heroku client.
import * as os from "node:os";
import { HerokuClient } from "../../heroku/client";
import { Clock, realClock } from "../clock";
import { ignoreProgress, ProgressListener } from "../progress";
import { reviewBackend, ReviewBackend } from "./backend";
import { readReviewProfile, ReviewProfile } from "./profile";
import { ReviewStacks } from "./stacks";

export interface ReviewContext {
  /** slipway's project folder. */
  readonly dir: string;
  /** The environment (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, HEROKU_API_URL, ...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly onProgress?: ProgressListener;
  /** The date, for ages and creation tags. @default the clock's */
  readonly now?: () => Date;
  /** Waits and durations of the Heroku calls and the deploy. @default the real clock */
  readonly clock?: Clock;
  /** How health probes reach the app's web URL. @default the global fetch */
  readonly fetch?: typeof fetch;
  /** The home folder the default backend lives under. @default os.homedir() */
  readonly home?: string;
  /** Heroku client options (tests: no waiting between retries). */
  readonly heroku?: ConstructorParameters<typeof HerokuClient>[0];
}

export interface ReviewSession {
  readonly profile: ReviewProfile;
  readonly backend: ReviewBackend;
  readonly stacks: ReviewStacks;
  readonly heroku: HerokuClient;
  readonly progress: ProgressListener;
  readonly now: () => Date;
  readonly clock: Clock;
}

/** Reads and checks everything first (bad input before anything runs), then opens the workspace. */
export async function openSession(context: ReviewContext): Promise<ReviewSession> {
  const profile = readReviewProfile(context.dir);
  const backend = reviewBackend(context.env, context.home ?? os.homedir());
  const progress = context.onProgress ?? ignoreProgress;
  const clock = context.clock ?? realClock;
  const now = context.now ?? (() => new Date(clock.now()));
  progress({ step: "backend", message: `review stacks in ${backend.url}` });
  const stacks = await ReviewStacks.open({ dir: context.dir, backend, onProgress: progress, now });
  const heroku = new HerokuClient({
    env: context.env,
    now: clock.now,
    sleep: clock.sleep,
    ...context.heroku,
  });
  return { profile, backend, stacks, heroku, progress, now, clock };
}
