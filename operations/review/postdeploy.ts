// app.json's `scripts.postdeploy`, as Heroku's own review apps run it: once, in a one-off dyno,
// after the first deploy of a new review app (seed data, a search index). The script is read from
// the commit being deployed, never from the working tree; its output is streamed from the dyno's
// log session, and the router's `Process exited with status N` line says how it ended.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { SlipwayError } from "../../errors";
import { HerokuClient } from "../../heroku/client";
import { dynoLogSession, getDyno, runOneOffDyno } from "../../heroku/delivery";
import { HerokuWaitError } from "../../heroku/errors";
import { streamOutput } from "../../heroku/output-stream";
import type { Clock } from "../clock";
import { ignoreProgress, ProgressListener } from "../progress";

const run = promisify(execFile);

/** Heroku stops a review app's postdeploy script after an hour; past that it is taken as lost. */
export const POSTDEPLOY_TIMEOUT_MS = 60 * 60_000;
/** How long the dyno's log may take to stream. */
const LOG_TIMEOUT_MS = 120_000;

/**
 * `scripts.postdeploy` of app.json at `commit` in the checkout at `dir`; `undefined` when the
 * commit has no app.json or it names no postdeploy script. A file that is not valid is bad input.
 */
export async function readPostdeploy(dir: string, commit: string): Promise<string | undefined> {
  let text: string;
  try {
    ({ stdout: text } = await run("git", ["-C", dir, "show", `${commit}:app.json`], {
      encoding: "utf8",
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
    }));
  } catch {
    return undefined;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw badManifest(commit, `is not JSON (${(error as Error).message})`);
  }
  const scripts = isObject(manifest) ? manifest["scripts"] : undefined;
  if (scripts === undefined) return undefined;
  if (!isObject(scripts)) throw badManifest(commit, `has scripts ${JSON.stringify(scripts)}`);
  const postdeploy = scripts["postdeploy"];
  if (postdeploy === undefined) return undefined;
  if (typeof postdeploy === "string" && postdeploy.trim() !== "") return postdeploy;
  throw badManifest(commit, `has scripts.postdeploy ${JSON.stringify(postdeploy)}`);
}

function badManifest(commit: string, problem: string): SlipwayError {
  return SlipwayError.of(
    "app.json",
    `at ${commit.slice(0, 12)} ${problem}. Allowed: a JSON object whose scripts.postdeploy, ` +
      'when present, is a command (as Heroku reads app.json). Fix: e.g. {"scripts": ' +
      '{"postdeploy": "npm run seed"}}, commit it, and push.',
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface PostdeployRun {
  readonly command: string;
  /** The one-off dyno that ran it (`run.1234`). */
  readonly dyno: string;
  /** The process's exit status; `null` when its log did not say (a person must look). */
  readonly exitStatus: number | null;
  readonly ms: number;
}

export interface PostdeployDeps {
  readonly client: HerokuClient;
  readonly clock: Clock;
  readonly progress?: ProgressListener;
  readonly pollIntervalMs: number;
  /** @default POSTDEPLOY_TIMEOUT_MS */
  readonly timeoutMs?: number;
}

/**
 * Runs `command` in a one-off dyno of `app`, waits for the dyno to finish (polled until Heroku
 * no longer lists it), then streams its log as progress (step `postdeploy`) and reads the exit
 * status from it. Rejects with the client's errors, `HerokuWaitError` past the bound.
 */
export async function runPostdeploy(
  app: string,
  command: string,
  deps: PostdeployDeps,
): Promise<PostdeployRun> {
  const { client, clock } = deps;
  const progress = deps.progress ?? ignoreProgress;
  const timeoutMs = deps.timeoutMs ?? POSTDEPLOY_TIMEOUT_MS;
  const start = clock.now();
  const dyno = await runOneOffDyno(client, app, command);
  progress({ step: "postdeploy", message: `${dyno.name} runs \`${command}\` on ${app}` });
  for (let polls = 1; ; polls++) {
    const seen = await getDyno(client, app, dyno.id);
    if (seen === undefined) break;
    const elapsedMs = clock.now() - start;
    if (elapsedMs + deps.pollIntervalMs > timeoutMs) {
      throw new HerokuWaitError({
        description: `postdeploy dyno ${dyno.name} of ${app}`,
        path: `/apps/${app}/dynos/${dyno.id}`,
        polls,
        elapsedMs,
        last: seen,
      });
    }
    await clock.sleep(deps.pollIntervalMs);
  }
  const exitStatus = await readExitStatus(client, app, dyno.name, progress);
  return { command, dyno: dyno.name, exitStatus, ms: clock.now() - start };
}

/** Streams the dyno's log: its own lines as progress, the router's exit line as the status. */
async function readExitStatus(
  client: HerokuClient,
  app: string,
  dynoName: string,
  progress: ProgressListener,
): Promise<number | null> {
  const session = await dynoLogSession(client, app, dynoName);
  let exitStatus: number | null = null;
  const result = await streamOutput(
    session.logplex_url,
    (line) => {
      const parsed = parseLogLine(line);
      if (parsed?.dyno !== dynoName) return;
      const exited = /^Process exited with status (\d+)$/.exec(parsed.text);
      if (parsed.source === "heroku" && exited) exitStatus = Number(exited[1]);
      else if (parsed.source === "app") {
        progress({ step: "postdeploy", message: parsed.text, log: true });
      }
    },
    LOG_TIMEOUT_MS,
  );
  if (!result.complete) {
    progress({ step: "postdeploy", message: `the dyno's log stopped (${result.problem})` });
  }
  return exitStatus;
}

/** `<time> app[run.1234]: text` as Heroku's log lines read. */
export function parseLogLine(
  line: string,
): { source: string; dyno: string; text: string } | undefined {
  const match = /^\S+ (\w+)\[([^\]]+)\]: ?(.*)$/.exec(line);
  return match ? { source: match[1]!, dyno: match[2]!, text: match[3]! } : undefined;
}
