// The health check deploy, promote and review share. Healthy means, within one window: every web
// dyno runs the expected release and is `up` (preboot keeps old dynos serving for minutes, so an
// answer before that may come from the old code), then N consecutive HTTP 200s from the app's web
// URL + health path. An answer that names its release must name the expected one: the app names
// it in the `X-Release-Version` header, or a JSON body's `releaseVersion`, carrying the value of
// HEROKU_RELEASE_VERSION (`v42`), which Heroku's runtime dyno metadata sets (docs/runbook.md).
// The verdict is data; nothing here prints.
import { HerokuClient } from "../heroku/client";
import { HerokuDyno, listDynos, ReleaseRef } from "../heroku/delivery";
import { fetchFailure } from "../heroku/fetch-failure";
import type { Clock } from "./clock";
import { ignoreProgress, ProgressListener } from "./progress";

/** The response header an app names its release in. */
export const RELEASE_HEADER = "X-Release-Version";
/** The top-level field of a JSON answer that names the release, when the header is absent. */
export const RELEASE_FIELD = "releaseVersion";

export interface HealthCheckRequest {
  readonly app: string;
  /** The release that must be serving. */
  readonly release: ReleaseRef;
  /** The app's `web_url` as the API gives it. */
  readonly webUrl: string;
  /** `slipway:app.healthCheckPath` (`/health`). */
  readonly path: string;
  /** How long the whole check may take, dyno wait included. */
  readonly windowMs: number;
  /** Consecutive HTTP 200 answers that make the app healthy. */
  readonly checks: number;
  /** The wait between dyno polls and between probes. */
  readonly intervalMs: number;
  /** Real milliseconds one probe may take. @default 10000 */
  readonly probeTimeoutMs?: number;
}

export interface HealthDeps {
  readonly client: HerokuClient;
  readonly clock: Clock;
  readonly progress?: ProgressListener;
  /** How probes reach the web URL. @default the global fetch */
  readonly fetch?: typeof fetch;
}

/** A web dyno as the check last saw it. */
export interface DynoView {
  readonly name: string;
  readonly state: string;
  readonly releaseVersion: number;
}

export interface Probe {
  /** Milliseconds since the check started. */
  readonly atMs: number;
  /** The HTTP status, or `null` when no answer came. */
  readonly status: number | null;
  readonly latencyMs: number;
  /** The release the answer named (`v42`), or `null`. */
  readonly release: string | null;
  /** A 200 that names no release or the expected one. */
  readonly ok: boolean;
  /** Why it does not count, when it does not. */
  readonly problem?: string;
}

export interface HealthVerdict {
  readonly passed: boolean;
  /** One sentence: why it passed or failed. */
  readonly reason: string;
  /** The URL probed. */
  readonly url: string;
  readonly expectedRelease: ReleaseRef;
  readonly dynos: {
    /** Whether every web dyno ran the expected release and was up. */
    readonly ready: boolean;
    readonly polls: number;
    readonly waitedMs: number;
    readonly last: readonly DynoView[];
  };
  readonly probes: readonly Probe[];
  readonly elapsedMs: number;
}

/** The URL of the health path under a web URL (`https://x.herokuapp.com/` + `/health`). */
export function healthUrl(webUrl: string, path: string): string {
  return `${webUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** Runs the check; resolves with the verdict (Heroku API failures after retries reject). */
export async function checkHealth(
  request: HealthCheckRequest,
  deps: HealthDeps,
): Promise<HealthVerdict> {
  const { clock } = deps;
  const progress = deps.progress ?? ignoreProgress;
  const start = clock.now();
  const url = healthUrl(request.webUrl, request.path);
  const expected = request.release;
  const verdict = (
    passed: boolean,
    reason: string,
    dynos: HealthVerdict["dynos"],
    probes: Probe[],
  ) => ({
    passed,
    reason,
    url,
    expectedRelease: expected,
    dynos,
    probes,
    elapsedMs: clock.now() - start,
  });
  const fits = (waitMs: number) => clock.now() - start + waitMs <= request.windowMs;

  const { reason: dynoProblem, ...dynos } = await waitForDynos(request, deps, progress, fits);
  const dynoSummary = { ...dynos, waitedMs: clock.now() - start };
  if (!dynos.ready) return verdict(false, dynoProblem, dynoSummary, []);
  progress({ step: "health", message: `every web dyno runs v${expected.version} and is up` });

  const probes: Probe[] = [];
  let streak = 0;
  for (;;) {
    const timeoutMs = request.probeTimeoutMs ?? 10_000;
    const probe = await probeOnce(deps.fetch ?? fetch, url, expected, timeoutMs, clock, start);
    probes.push(probe);
    streak = probe.ok ? streak + 1 : 0;
    progress({
      step: "health",
      message: describeProbe(request.path, probe, streak, request.checks),
    });
    if (streak >= request.checks) {
      const reason = `${request.checks} consecutive 200s from ${url} naming ${probe.release ?? "no release"}`;
      return verdict(true, reason, dynoSummary, probes);
    }
    if (!fits(request.intervalMs)) {
      const last = probes.filter((p) => !p.ok).pop();
      const why = last ? `; last failure: ${last.problem}` : "";
      const reason =
        `no ${request.checks} consecutive healthy answers from ${url} within ` +
        `${seconds(request.windowMs)} (${probes.length} probes)${why}`;
      return verdict(false, reason, dynoSummary, probes);
    }
    await clock.sleep(request.intervalMs);
  }
}

async function waitForDynos(
  request: HealthCheckRequest,
  deps: HealthDeps,
  progress: ProgressListener,
  fits: (waitMs: number) => boolean,
): Promise<{ ready: boolean; polls: number; last: DynoView[]; reason: string }> {
  const expected = request.release;
  // Stryker disable next-line StringLiteral: equivalent, any start value describeDynos never returns makes the first poll say what it sees
  let said = "";
  for (let polls = 1; ; polls++) {
    const web = (await listDynos(deps.client, request.app)).filter((d) => d.type === "web");
    const last = web.map(view);
    const crashed = web.find((d) => d.release.id === expected.id && d.state === "crashed");
    if (crashed) {
      const reason = `${crashed.name} crashed on v${expected.version}: the new release does not boot`;
      return { ready: false, polls, last, reason };
    }
    const ready =
      web.length > 0 && web.every((d) => d.release.id === expected.id && d.state === "up");
    // Stryker disable next-line StringLiteral: equivalent, checkHealth reads the reason only when the dynos are not ready
    if (ready) return { ready, polls, last, reason: "" };
    const now = describeDynos(last);
    if (now !== said) {
      progress({
        step: "health",
        message: `waiting for web dynos on v${expected.version}: ${now}`,
      });
      said = now;
    }
    if (!fits(request.intervalMs)) {
      const reason =
        `the web dynos did not all run v${expected.version} and come up within ` +
        `${seconds(request.windowMs)} (last seen: ${now})`;
      return { ready: false, polls, last, reason };
    }
    await deps.clock.sleep(request.intervalMs);
  }
}

async function probeOnce(
  send: typeof fetch,
  url: string,
  expected: ReleaseRef,
  timeoutMs: number,
  clock: Clock,
  start: number,
): Promise<Probe> {
  const sent = clock.now();
  const atMs = sent - start;
  try {
    const response = await send(url, {
      headers: { "Cache-Control": "no-cache", "User-Agent": "slipway-health-check/1" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const latencyMs = clock.now() - sent;
    const release = namedRelease(response.headers, text);
    const base = { atMs, status: response.status, latencyMs, release };
    if (response.status !== 200) return { ...base, ok: false, problem: `HTTP ${response.status}` };
    if (release !== null && versionOf(release) !== expected.version) {
      const problem = `the answer names ${release}, not v${expected.version}`;
      return { ...base, ok: false, problem };
    }
    return { ...base, ok: true };
  } catch (error) {
    const failure = fetchFailure(error);
    const problem = failure.timedOut
      ? `no answer within ${seconds(timeoutMs)}`
      : `no answer (${failure.message})`;
    return { atMs, status: null, latencyMs: clock.now() - sent, release: null, ok: false, problem };
  }
}

/** The release an answer names: the header, else a JSON body's field; `null` when neither. */
export function namedRelease(headers: Headers, body: string): string | null {
  // Headers strips the blanks around a value: a blank header reads as "".
  const header = headers.get(RELEASE_HEADER);
  if (header !== null && header !== "") return header;
  if (!headers.get("content-type")?.includes("json")) return null;
  try {
    const field = (JSON.parse(body) as Record<string, unknown> | null)?.[RELEASE_FIELD];
    return typeof field === "string" || typeof field === "number" ? String(field) : null;
  } catch {
    return null;
  }
}

/** `v42` or `42` -> 42; anything else -> NaN (never equal to a version). */
function versionOf(named: string): number {
  const m = /^v?(\d+)$/i.exec(named.trim());
  return m ? Number(m[1]) : Number.NaN;
}

function view(dyno: HerokuDyno): DynoView {
  return { name: dyno.name, state: dyno.state, releaseVersion: dyno.release.version };
}

function describeDynos(dynos: readonly DynoView[]): string {
  if (dynos.length === 0) return "no web dyno";
  return dynos.map((d) => `${d.name} ${d.state} on v${d.releaseVersion}`).join(", ");
}

function describeProbe(path: string, probe: Probe, streak: number, checks: number): string {
  const answer = probe.status === null ? "no answer" : `${probe.status}`;
  const named = probe.release ? ` naming ${probe.release}` : "";
  const problem = probe.ok ? "" : ` (${probe.problem})`;
  return `GET ${path}: ${answer} in ${probe.latencyMs} ms${named}${problem}, ${streak} of ${checks} in a row`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
