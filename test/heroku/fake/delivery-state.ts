// The fake's delivery world, beside FakeState: sources and their uploaded bytes, builds, releases
// with their release phase, slugs, output streams, and each app's script (how its next builds,
// release phases, dyno rollouts and one-off dynos go). Time moves by observation: a pending
// build or release advances one step each time a GET shows it, so tests are exact and instant.
import { createHash, randomBytes } from "node:crypto";
import {
  AppScript,
  AppScriptPatch,
  Build,
  DEFAULT_RELEASE_PHASE,
  DEFAULT_SCRIPT,
  Dyno,
  OneOffScript,
  PipelinePromotion,
  PromotionTarget,
  ReleasePhaseScript,
  Release,
  Slug,
  Source,
  StreamScript,
  WebAnswer,
} from "./delivery-types";
import type { AppRecord, FakeState } from "./state";

export interface SourceRecord {
  readonly id: string;
  /** The signatures in `put_url` and `get_url`: each URL works for its own method only. */
  readonly putSignature: string;
  readonly getSignature: string;
  /** The uploaded tarball, once a PUT arrived. */
  bytes?: Buffer;
}

export interface BuildRecord {
  readonly build: Build;
  /** GETs left that answer `pending`. */
  pollsLeft: number;
  readonly outcome: "succeeded" | "failed";
}

export interface ReleaseRecord {
  readonly release: Release;
  pollsLeft: number;
  readonly phase: ReleasePhaseScript | null;
}

export interface OneOffRecord {
  readonly dyno: Dyno;
  startingPolls: number;
  upPolls: number;
  readonly script: OneOffScript;
  /** Set when a GET found the process finished: the dyno is gone (404) from then on. */
  finished: boolean;
}

export interface PromotionTargetRecord {
  readonly target: PromotionTarget;
  /** GETs left before the slug is copied and the target's release made. */
  copyPolls: number;
  readonly failure: string | null;
}

export interface PromotionRecord {
  readonly promotion: PipelinePromotion;
  /** The slug promoted, and what the new releases say they are. */
  readonly slugId: string;
  readonly description: string;
  readonly targets: readonly PromotionTargetRecord[];
}

/** How an app's dynos are moving from one release to the next (see RolloutScript). */
export interface Rollout {
  readonly from: { id: string; version: number } | null;
  readonly to: { id: string; version: number };
  oldPolls: number;
  startingPolls: number;
  readonly finalState: "up" | "crashed";
}

export class DeliveryState {
  readonly sources = new Map<string, SourceRecord>();
  readonly builds = new Map<string, BuildRecord>();
  /** Every app's releases, by id. */
  readonly releases = new Map<string, ReleaseRecord>();
  readonly slugs = new Map<string, Slug>();
  /** What each output stream URL serves, by stream id. */
  readonly streams = new Map<string, StreamScript>();
  readonly promotions = new Map<string, PromotionRecord>();
  /** One-off dynos by id, finished ones included (for their logs). */
  readonly oneOffs = new Map<string, OneOffRecord>();
  /** By app id. */
  readonly rollouts = new Map<string, Rollout>();
  private readonly scripts = new Map<string, AppScript>();
  private readonly webAnswers = new Map<string, WebAnswer[]>();

  constructor(
    readonly state: FakeState,
    /** The loopback server that stands in for S3 and Heroku's output streams. */
    readonly storageUrl: string,
  ) {}

  /** Changes how the app's next builds, releases, rollouts, one-offs and promotions go. */
  script(app: string, patch: AppScriptPatch): AppScript {
    const id = this.state.app(app).app.id;
    const was = this.scriptOf(id);
    const phase =
      patch.releasePhase === null
        ? null
        : patch.releasePhase === undefined
          ? was.releasePhase
          : { ...(was.releasePhase ?? DEFAULT_RELEASE_PHASE), ...patch.releasePhase };
    const next: AppScript = {
      build: { ...was.build, ...patch.build },
      releasePhase: phase,
      rollout: { ...was.rollout, ...patch.rollout },
      oneOff: { ...was.oneOff, ...patch.oneOff },
      promotion: { ...was.promotion, ...patch.promotion },
    };
    this.scripts.set(id, next);
    return next;
  }

  scriptOf(appId: string): AppScript {
    return this.scripts.get(appId) ?? DEFAULT_SCRIPT;
  }

  /** Queues what the app's web URL answers to its next requests, one answer each. */
  answerWeb(app: string, ...answers: WebAnswer[]): void {
    const id = this.state.app(app).app.id;
    this.webAnswers.set(id, [...(this.webAnswers.get(id) ?? []), ...answers]);
  }

  nextWebAnswer(appId: string): WebAnswer | undefined {
    return this.webAnswers.get(appId)?.shift();
  }

  streamUrl(id: string, script: StreamScript): string {
    this.streams.set(id, script);
    return `${this.storageUrl}/streams/${id}`;
  }

  createSource(): Source {
    const record: SourceRecord = {
      id: this.state.newId(),
      putSignature: randomBytes(8).toString("hex"),
      getSignature: randomBytes(8).toString("hex"),
    };
    this.sources.set(record.id, record);
    const base = `${this.storageUrl}/sources/${record.id}.tgz?X-Amz-Signature=`;
    return {
      source_blob: {
        get_url: `${base}${record.getSignature}`,
        put_url: `${base}${record.putSignature}`,
      },
    };
  }

  /** The source a `get_url` of this fake names (with its signature), if it is one. */
  sourceOfUrl(url: string): SourceRecord | undefined {
    const m = /\/sources\/([0-9a-f-]+)\.tgz\?X-Amz-Signature=([0-9a-f]+)$/.exec(url);
    const record = m ? this.sources.get(m[1]!) : undefined;
    return url.startsWith(this.storageUrl) && record?.getSignature === m?.[2] ? record : undefined;
  }

  createBuild(
    app: AppRecord,
    sourceBlob: { url: string; version?: string | null; checksum?: string | null },
    buildpacks: { url: string; name?: string }[] | undefined,
  ): Build {
    const script = this.scriptOf(app.app.id);
    const problem = this.sourceProblem(sourceBlob.url);
    const id = this.state.newId();
    const at = this.state.timestamp();
    const lines = problem ? [`-----> Fetching source`, ` !     ${problem}`] : script.build.lines;
    const build: Build = {
      app: { id: app.app.id },
      buildpacks: (buildpacks ?? app.buildpacks.map((b) => b.buildpack)).map((b) => ({
        url: b.url,
        name: b.name ?? b.url,
      })),
      created_at: at,
      id,
      output_stream_url: this.streamUrl(id, { lines, lineDelayMs: script.build.lineDelayMs }),
      source_blob: {
        checksum: sourceBlob.checksum ?? null,
        url: sourceBlob.url,
        version: sourceBlob.version ?? null,
        version_description: null,
      },
      release: null,
      slug: null,
      stack: app.app.build_stack.name,
      status: "pending",
      updated_at: at,
      user: this.user(),
    };
    const outcome = problem ? "failed" : script.build.outcome;
    this.builds.set(id, { build, pollsLeft: script.build.polls, outcome });
    return build;
  }

  /** A GET of the build: one step nearer its outcome; success makes the slug and the release. */
  observeBuild(record: BuildRecord): Build {
    const { build } = record;
    if (build.status !== "pending") return build;
    if (record.pollsLeft > 0) {
      record.pollsLeft -= 1;
      return build;
    }
    build.status = record.outcome;
    build.updated_at = this.state.timestamp();
    if (record.outcome === "succeeded") {
      const app = this.state.app(build.app.id);
      const slug = this.createSlug(app, build);
      const release = this.createRelease(
        app,
        slug.id,
        `Deploy ${(build.source_blob.version ?? "").slice(0, 8)}`,
      );
      build.slug = { id: slug.id };
      build.release = { id: release.release.id };
    }
    return build;
  }

  /** The app's releases, oldest first; a new app has v1, as on Heroku. */
  releasesOf(app: AppRecord): ReleaseRecord[] {
    const own = [...this.releases.values()].filter((r) => r.release.app.id === app.app.id);
    if (own.length > 0) return own.sort((a, b) => a.release.version - b.release.version);
    const first: Release = {
      ...this.releaseFields(app, null, "Initial release"),
      created_at: app.app.created_at,
      updated_at: app.app.created_at,
      version: 1,
      status: "succeeded",
      current: true,
    };
    const record = { release: first, pollsLeft: 0, phase: null };
    this.releases.set(first.id, record);
    return [record];
  }

  /** A release by id or version (`42`, `v42`) of the app. */
  findRelease(app: AppRecord, idOrVersion: string): ReleaseRecord | undefined {
    const version = /^v?(\d+)$/.exec(idOrVersion)?.[1];
    return this.releasesOf(app).find(
      (r) => r.release.id === idOrVersion || String(r.release.version) === version,
    );
  }

  currentRelease(app: AppRecord): ReleaseRecord | undefined {
    return this.releasesOf(app).find((r) => r.release.current);
  }

  /** A new release of `slugId` (a build, a promotion, a rollback); its release phase starts. */
  createRelease(app: AppRecord, slugId: string | null, description: string): ReleaseRecord {
    const previous = this.releasesOf(app);
    const phase = slugId === null ? null : this.scriptOf(app.app.id).releasePhase;
    const fields = this.releaseFields(app, slugId, description);
    const release: Release = {
      ...fields,
      version: previous[previous.length - 1]!.release.version + 1,
      status: "pending",
      current: false,
      output_stream_url: phase ? this.streamUrl(fields.id, phase) : null,
    };
    const record: ReleaseRecord = { release, pollsLeft: phase?.polls ?? 0, phase };
    this.releases.set(release.id, record);
    if (!phase) this.settle(app, record, "succeeded");
    return record;
  }

  /** A GET that shows the release: its release phase moves one step. */
  observeRelease(record: ReleaseRecord): Release {
    if (record.release.status !== "pending") return record.release;
    if (record.pollsLeft > 0) {
      record.pollsLeft -= 1;
      return record.release;
    }
    this.settle(this.state.app(record.release.app.id), record, record.phase!.outcome);
    return record.release;
  }

  private settle(app: AppRecord, record: ReleaseRecord, outcome: "succeeded" | "failed"): void {
    const { release } = record;
    release.status = outcome;
    release.updated_at = this.state.timestamp();
    if (outcome === "failed") return;
    const previous = this.currentRelease(app);
    for (const other of this.releasesOf(app)) other.release.current = false;
    release.current = true;
    release.eligible_for_rollback = release.slug !== null;
    app.app.released_at = release.updated_at;
    const rollout = this.scriptOf(app.app.id).rollout;
    const from = previous?.release.slug ? previous.release : null;
    this.rollouts.set(app.app.id, {
      from: from && { id: from.id, version: from.version },
      to: { id: release.id, version: release.version },
      oldPolls: from ? rollout.oldPolls : 0,
      startingPolls: rollout.startingPolls,
      finalState: rollout.finalState,
    });
  }

  private createSlug(app: AppRecord, build: Build): Slug {
    const at = this.state.timestamp();
    const id = this.state.newId();
    const processTypes = Object.fromEntries(app.formation.map((f) => [f.type, f.command]));
    if (this.scriptOf(app.app.id).releasePhase) processTypes.release = "npm run migrate";
    const slug: Slug = {
      blob: { method: "get", url: `${this.storageUrl}/slugs/${id}.tgz` },
      buildpack_provided_description: "Node.js",
      checksum: `SHA256:${createHash("sha256").update(id).digest("hex")}`,
      commit: build.source_blob.version,
      commit_description: build.source_blob.version_description,
      created_at: at,
      id,
      process_types: processTypes,
      size: 52_428_800,
      stack: { ...app.app.build_stack },
      updated_at: at,
    };
    this.slugs.set(id, slug);
    app.app.slug_size = slug.size;
    return slug;
  }

  private releaseFields(app: AppRecord, slugId: string | null, description: string) {
    const at = this.state.timestamp();
    return {
      addon_plan_names: [] as string[],
      artifacts: slugId ? [{ type: "slug", id: slugId }] : [],
      app: { name: app.app.name, id: app.app.id },
      created_at: at,
      description,
      id: this.state.newId(),
      updated_at: at,
      slug: slugId ? { id: slugId } : null,
      user: this.user(),
      output_stream_url: null,
      eligible_for_rollback: false,
    };
  }

  /** Why Heroku could not fetch the source, for a `get_url` of this fake. */
  private sourceProblem(url: string): string | undefined {
    if (!url.startsWith(this.storageUrl)) return undefined;
    const source = this.sourceOfUrl(url);
    if (!source) return `Unable to fetch source from ${url}: 403 Forbidden`;
    if (!source.bytes) return `Unable to fetch source from ${url}: 404 Not Found`;
    const gzip = source.bytes[0] === 0x1f && source.bytes[1] === 0x8b;
    return gzip ? undefined : "The source is not a gzipped tarball.";
  }

  user(): { id: string; email: string } {
    return { id: this.state.account.id, email: this.state.account.email };
  }
}

const attached = new WeakMap<FakeState, DeliveryState>();

/** The delivery world that belongs to `state`, made on first use. */
export function deliveryOf(state: FakeState): DeliveryState {
  let delivery = attached.get(state);
  if (!delivery) {
    const storageUrl = state.settings.storageUrl;
    if (storageUrl === undefined) throw new Error("the fake's state has no storage URL");
    delivery = new DeliveryState(state, storageUrl);
    attached.set(state, delivery);
  }
  return delivery;
}
