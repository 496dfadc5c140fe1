// Helpers for the Heroku tests: a clock that only moves when the client sleeps, raw calls to the
// fake (to check what it answers to requests the client would never send), and env handling.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { API_KEY_ENV, setConfiguredApiKey } from "../../heroku/token";
import { API_URL_ENV } from "../../heroku/client";

export interface FakeClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Every wait the client asked for, in order. */
  readonly sleeps: number[];
}

export function fakeClock(): FakeClock {
  let now = 1_700_000_000_000;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    sleeps,
  };
}

export const ACCEPT = "application/vnd.heroku+json; version=3";

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

/** One request to the fake with exactly the given headers (defaults: version 3, the token). */
export async function raw(
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; text?: string; headers?: Record<string, string>; token?: string } = {},
  signal?: AbortSignal,
): Promise<RawAnswer> {
  const headers: Record<string, string> = {
    Accept: ACCEPT,
    ...(options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` }),
    ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
    ...options.headers,
  };
  const body =
    options.text ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${url}${path}`, { method, headers, body, signal });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Saves and restores the Heroku environment variables and the configured token around tests. */
export function isolateHerokuEnv(): void {
  let saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    saved = { key: process.env[API_KEY_ENV], url: process.env[API_URL_ENV] };
    delete process.env[API_KEY_ENV];
    delete process.env[API_URL_ENV];
    setConfiguredApiKey(undefined);
  });
  afterEach(() => {
    restore(API_KEY_ENV, saved.key);
    restore(API_URL_ENV, saved.url);
    setConfiguredApiKey(undefined);
  });
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** A bare server for answers the fake never gives (HTML errors, broken paging, echoed headers). */
export async function startScriptedServer(
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback URL where nothing listens (a port that was just freed). */
export async function closedPortUrl(): Promise<string> {
  const server = await startScriptedServer(() => undefined);
  await server.close();
  return server.url;
}

/** The client timeout of tests that stall the fake. */
export const STALL_TIMEOUT_MS = 200;

/**
 * Makes the client's per-attempt timeout end when the fake stalls a request, never after real
 * time: its timer (setTimeout) becomes a jest fake timer, which the returned function (pass it
 * to startFakeHeroku as `onStall`) runs when the fake takes a request it will never answer. On a
 * loaded machine a slow answer then stays an answer instead of becoming a timeout and a retry.
 * Call at the top level of a test file; everything but setTimeout keeps real time.
 */
export function timeoutsOnStall(): () => void {
  beforeEach(() => {
    jest.useFakeTimers({
      doNotFake: [
        "Date",
        "hrtime",
        "nextTick",
        "performance",
        "queueMicrotask",
        "requestAnimationFrame",
        "cancelAnimationFrame",
        "requestIdleCallback",
        "cancelIdleCallback",
        "setImmediate",
        "clearImmediate",
        "setInterval",
        "clearInterval",
      ],
    });
  });
  afterEach(() => jest.useRealTimers());
  return () => jest.advanceTimersToNextTimer();
}

/** One request before the timed tests: Node loads its fetch implementation on first use. */
export async function warmUp(fake: { url: string; token: string }): Promise<void> {
  await fetch(`${fake.url}/account`, {
    headers: { Accept: ACCEPT, Authorization: `Bearer ${fake.token}` },
  }).then((r) => r.text());
}

/** The error `promise` rejects with (a resolution fails the test). */
export async function rejectionOf<E = Error>(promise: Promise<unknown>): Promise<E> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as E,
  );
}
