// The delivery resources as the Platform API shows them (sources, builds, releases, slugs, dynos,
// pipeline promotions and their targets, log sessions), and what a test scripts about them.

export interface IdRef {
  id: string;
}

export interface Source {
  source_blob: { get_url: string; put_url: string };
}

export interface Build {
  app: IdRef;
  buildpacks: { url: string; name: string }[] | null;
  created_at: string;
  id: string;
  output_stream_url: string;
  source_blob: {
    checksum: string | null;
    url: string;
    version: string | null;
    version_description: string | null;
  };
  release: IdRef | null;
  slug: IdRef | null;
  stack: string;
  status: "pending" | "succeeded" | "failed";
  updated_at: string;
  user: { id: string; email: string };
}

export interface Release {
  addon_plan_names: string[];
  artifacts: { type: string; id: string }[];
  app: { name: string; id: string };
  created_at: string;
  description: string;
  id: string;
  updated_at: string;
  slug: IdRef | null;
  status: "pending" | "succeeded" | "failed" | "expired";
  user: { id: string; email: string };
  version: number;
  current: boolean;
  output_stream_url: string | null;
  eligible_for_rollback: boolean;
}

export interface Slug {
  blob: { method: string; url: string };
  buildpack_provided_description: string | null;
  checksum: string | null;
  commit: string | null;
  commit_description: string | null;
  created_at: string;
  id: string;
  process_types: Record<string, string>;
  size: number | null;
  stack: { id: string; name: string };
  updated_at: string;
}

export interface Dyno {
  attach_url: string | null;
  command: string;
  created_at: string;
  id: string;
  name: string;
  release: { id: string; version: number };
  app: { name: string; id: string };
  size: string;
  state: string;
  type: string;
  updated_at: string;
}

export interface PipelinePromotion {
  created_at: string;
  id: string;
  pipeline: IdRef;
  source: { app: IdRef; release: IdRef };
  status: "pending" | "completed";
  updated_at: string | null;
}

export interface PromotionTarget {
  app: IdRef;
  error_message: string | null;
  id: string;
  pipeline_promotion: IdRef;
  release: IdRef | null;
  status: "pending" | "succeeded" | "failed";
}

export interface LogSession {
  created_at: string;
  id: string;
  logplex_url: string;
  updated_at: string;
}

/** Lines a stream serves, `lineDelayMs` apart (real time: for the benchmark's latencies). */
export interface StreamScript {
  readonly lines: readonly string[];
  readonly lineDelayMs: number;
}

/** How the next builds of an app go. */
export interface BuildScript extends StreamScript {
  readonly outcome: "succeeded" | "failed";
  /** GETs of the build answered `pending` before its outcome. */
  readonly polls: number;
}

/** The release phase (`release:` in the Procfile) of each new release of an app. */
export interface ReleasePhaseScript extends StreamScript {
  readonly outcome: "succeeded" | "failed";
  /** GETs of the release answered `pending` before its outcome. */
  readonly polls: number;
}

/** How an app's dynos move to a new release. */
export interface RolloutScript {
  /** GETs of the dyno list that still show every dyno on the previous release (preboot). */
  readonly oldPolls: number;
  /** Then GETs that show the new release's dynos `starting`. */
  readonly startingPolls: number;
  /** Then what they settle in: `up`, or `crashed` (the new code does not boot). */
  readonly finalState: "up" | "crashed";
}

/** One-off dynos (`POST /apps/{app}/dynos`): how long they live and how they end. */
export interface OneOffScript {
  readonly startingPolls: number;
  /** GETs answered `up` before the dyno is gone (404), its process finished. */
  readonly upPolls: number;
  readonly exitStatus: number;
  /** What the process prints, served by a log session of the dyno. */
  readonly lines: readonly string[];
}

/** A promotion to this app (as a target). */
export interface PromotionScript {
  /** GETs of the promotion (or its targets) before the slug is copied and the release made. */
  readonly polls: number;
  /** Fails the target with this `error_message` before any release is made. */
  readonly failure: string | null;
}

/** One answer of the app's web dynos, for the next request to its web URL. */
export interface WebAnswer {
  readonly status: number;
  /** Milliseconds before the answer (real time). @default 0 */
  readonly latencyMs?: number;
  /**
   * The release the answer names in `X-Release-Version` (`v42`); `null` names none.
   * @default the release the web dynos run, when runtime-dyno-metadata is on
   */
  readonly release?: string | null;
  /** @default `{"status":"ok"}` for 200, a Heroku error page otherwise */
  readonly body?: string;
  /** Extra headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface AppScript {
  readonly build: BuildScript;
  /** `null`: the app has no release phase, so a release succeeds when it is made. */
  readonly releasePhase: ReleasePhaseScript | null;
  readonly rollout: RolloutScript;
  readonly oneOff: OneOffScript;
  readonly promotion: PromotionScript;
}

/** A change to an app's script: each part merged over what it was (`releasePhase: null` removes it). */
export interface AppScriptPatch {
  readonly build?: Partial<BuildScript>;
  readonly releasePhase?: Partial<ReleasePhaseScript> | null;
  readonly rollout?: Partial<RolloutScript>;
  readonly oneOff?: Partial<OneOffScript>;
  readonly promotion?: Partial<PromotionScript>;
}

export const DEFAULT_SCRIPT: AppScript = {
  build: {
    outcome: "succeeded",
    polls: 1,
    lines: [
      "-----> Building on the Heroku-24 stack",
      "-----> Using buildpack: heroku/nodejs",
      "-----> Installing dependencies",
      "-----> Build succeeded!",
      "-----> Compressing...",
      "-----> Launching...",
    ],
    lineDelayMs: 0,
  },
  releasePhase: null,
  rollout: { oldPolls: 0, startingPolls: 0, finalState: "up" },
  oneOff: { startingPolls: 1, upPolls: 1, exitStatus: 0, lines: [] },
  promotion: { polls: 1, failure: null },
};

/** The release phase a script gets when a patch turns it on without saying all of it. */
export const DEFAULT_RELEASE_PHASE: ReleasePhaseScript = {
  outcome: "succeeded",
  polls: 1,
  lines: ["Running release command...", "Migrations are up to date."],
  lineDelayMs: 0,
};
