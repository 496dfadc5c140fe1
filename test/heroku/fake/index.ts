// An in-process fake of Heroku's Platform API on 127.0.0.1, for tests of the client, the dynamic
// providers and the delivery operations. Every request is checked as Heroku would (Accept version
// 3, bearer token, the body against the schema of its link) and every answer against the schema's
// shape; lists page with 206 + Next-Range; faults are scripted per route; requests are logged and
// counted. Beside the API, loopback hosts stand in for S3, the output streams and each app's web
// URL (outside.ts), so a whole deploy runs against it.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { DeliveryState, deliveryOf } from "./delivery-state";
import { addonHandlers } from "./handlers/addons";
import { appHandlers } from "./handlers/apps";
import { buildHandlers } from "./handlers/builds";
import { dynoHandlers } from "./handlers/dynos";
import { hookHandlers } from "./handlers/hooks";
import { pipelineHandlers } from "./handlers/pipelines";
import { spaceHandlers } from "./handlers/spaces";
import { promotionHandlers } from "./handlers/promotions";
import { releaseHandlers } from "./handlers/releases";
import { OutsideRequest, startOutside } from "./outside";
import { routerHost } from "./router";
import { storageHost } from "./storage";
import { routeToRouter } from "./web-routing";
import { Fault, FaultTarget, parseTarget, targets } from "./faults";
import { Body, FakeHttpError, Handler, HandlerResult } from "./http";
import { MAX_PAGE, pageOf } from "./paging";
import { platformSchema } from "./schema";
import { AddonService, DEFAULT_ADDON_SERVICES, FakeState } from "./state";

export { Faults } from "./faults";
export type { Fault } from "./faults";
export { WEBHOOK_SECRET_HEADER } from "./handlers/hooks";
export { RELEASE_HEADER } from "./router";
export type { DeliveryState } from "./delivery-state";
export type * from "./delivery-types";
export type * from "./state";

export const FAKE_TOKEN = "fake-heroku-token-0123456789";

export interface FakeHerokuOptions {
  /** The bearer token the fake accepts. @default FAKE_TOKEN */
  readonly token?: string;
  /** The largest page the fake serves, to force several pages in tests. @default 1000 */
  readonly pageSize?: number;
  /** The starting `RateLimit-Remaining`; each request spends one, at 0 the answer is 429. @default 4500 */
  readonly rateLimitRemaining?: number;
  /** Process types every new app's formation has. @default ["web"] */
  readonly processTypes?: readonly string[];
  /** GETs of a new add-on answered `provisioning` before `provisioned`. @default 1 */
  readonly addonProvisionPolls?: number;
  /** Add-on services and plans the fake knows. @default heroku-postgresql, heroku-redis, papertrail, scheduler */
  readonly addonServices?: Readonly<Record<string, AddonService>>;
  /** Teams that exist. @default ["acme"] */
  readonly teams?: readonly string[];
  /** The account's e-mail. @default "dev@example.com" */
  readonly email?: string;
  /** GETs of an accepted peering answered `provisioning` before `active`. @default 1 */
  readonly peeringActivationPolls?: number;
  /** The clock for timestamps. @default the real one */
  readonly now?: () => Date;
  /**
   * Compiles every served route's schema checks at start (about 0.3 s) instead of on first use
   * (10-30 ms per route): for benchmarks that time first requests. @default false
   */
  readonly precompile?: boolean;
  /** Called when a `stall` fault has taken a request, to end the client's wait (timeoutsOnStall). */
  readonly onStall?: () => void;
  /**
   * Holds the answer to a request a `delay` fault took: `answer` sends it. A test can release it
   * itself instead of waiting for a timer. @default answers after `ms` milliseconds
   */
  readonly holdAnswer?: (ms: number, answer: () => void) => void;
  /**
   * A server already listening on 127.0.0.1 for the fake to answer on, for a test that must give
   * the fake's URL to a process it starts before the fake. The fake closes it. @default its own
   */
  readonly server?: http.Server;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** The schema route (`PATCH /apps/{app}/config-vars`), when the path is one. */
  readonly route?: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The body as sent (text; `<N bytes>` for an upload), and parsed when it was JSON. */
  readonly rawBody: string;
  readonly body: unknown;
}

export interface FakeHeroku {
  /** `http://127.0.0.1:<port>`: set `HEROKU_API_URL` to it. */
  readonly url: string;
  readonly token: string;
  /** The world behind the API; change it to play drift. Replaced by `reset()`. */
  readonly state: FakeState;
  /** Sources, builds, releases, dynos, promotions, and each app's script for them. */
  readonly delivery: DeliveryState;
  /** The loopback host that answers for the apps' web URLs (router.ts). */
  readonly routerUrl: string;
  /** A fetch that sends requests to apps' web URLs to the router: pass it to health checks. */
  readonly webFetch: typeof fetch;
  readonly requests: readonly RecordedRequest[];
  /** Answers of the fake that broke the schema (a bug in the fake); stays empty. */
  readonly answerProblems: readonly string[];
  /** Queues faults for requests matching `target` (`GET /apps/{app}`, `POST /apps`, `* *`), once each. */
  fault(target: string, ...faults: Fault[]): void;
  /** Requests to `target`: a route key (`GET /apps/{app}`) or a path (`GET /apps/acme-web`). */
  count(target: string): number;
  /** Requests per route key. */
  counts(): Record<string, number>;
  setRateLimitRemaining(remaining: number): void;
  /** Forgets logged requests (state stays). */
  clearRequests(): void;
  /** A fresh world: state, requests, faults and rate limit as at start. */
  reset(): void;
  close(): Promise<void>;
}

const HANDLERS: Record<string, Handler> = {
  ...appHandlers,
  ...addonHandlers,
  ...pipelineHandlers,
  ...hookHandlers,
  ...spaceHandlers,
  ...buildHandlers,
  ...releaseHandlers,
  ...dynoHandlers,
  ...promotionHandlers,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeHeroku(options: FakeHerokuOptions = {}): Promise<FakeHeroku> {
  const schema = platformSchema();
  if (options.precompile) schema.prepare(Object.keys(HANDLERS));
  const token = options.token ?? FAKE_TOKEN;
  const pageSize = Math.min(options.pageSize ?? MAX_PAGE, MAX_PAGE);
  const requests: RecordedRequest[] = [];
  const queued: { target: FaultTarget; fault: Fault }[] = [];
  function takeFault(method: string, path: string, route?: string): Fault | undefined {
    const index = queued.findIndex((q) => targets(q.target, method, path, route));
    return index < 0 ? undefined : queued.splice(index, 1)[0]!.fault;
  }
  const record = (request: OutsideRequest, route: string | undefined) =>
    requests.push({
      method: request.method,
      path: request.url.pathname,
      query: request.url.search,
      route,
      headers: request.headers,
      rawBody: request.body.length > 0 ? `<${request.body.length} bytes>` : "",
      body: undefined,
    });
  const storage = await startOutside({ host: storageHost(() => state), record, takeFault });
  const router = await startOutside({ host: routerHost(() => state), record, takeFault });
  const newState = () =>
    new FakeState(
      {
        processTypes: options.processTypes ?? ["web"],
        addonProvisionPolls: options.addonProvisionPolls ?? 1,
        addonServices: options.addonServices ?? DEFAULT_ADDON_SERVICES,
        teams: options.teams ?? ["acme"],
        account: { email: options.email ?? "dev@example.com" },
        peeringActivationPolls: options.peeringActivationPolls ?? 1,
        storageUrl: storage.url,
      },
      options.now,
    );
  let state = newState();
  let remaining = options.rateLimitRemaining ?? 4500;
  const answerProblems: string[] = [];
  const stalled = new Set<http.ServerResponse>();

  /** Everything Heroku checks, then the handler: the answer (errors included) and its effects. */
  function answer(
    req: http.IncomingMessage,
    path: string,
    rawBody: string,
    overLimit: boolean,
  ): HandlerResult {
    const accept = req.headers.accept ?? "";
    if (!accept.includes("application/vnd.heroku+json") || !/version=3\b/.test(accept)) {
      throw new FakeHttpError(
        400,
        "missing_version",
        "Please specify a version along with Heroku's API MIME type: " +
          "`Accept: application/vnd.heroku+json; version=3`.",
      );
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      throw new FakeHttpError(401, "unauthorized", "Invalid credentials provided.");
    }
    if (overLimit) {
      throw new FakeHttpError(429, "rate_limit", "Your account reached the API rate limit.");
    }
    const method = req.method ?? "GET";
    const matched = schema.match(method, path);
    if (!matched) {
      throw new FakeHttpError(404, "not_found", `No such API endpoint: ${method} ${path}.`);
    }
    matched.route.params.forEach((param, i) => {
      if (param.idOnly && !UUID.test(matched.values[i]!)) {
        throw new FakeHttpError(404, "not_found", `Couldn't find that ${param.name} (by id).`);
      }
    });
    let body: unknown;
    if (rawBody.trim() !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        throw new FakeHttpError(400, "bad_request", "The request body is not valid JSON.");
      }
    }
    const problem = schema.checkBody(matched.route, body);
    if (problem !== undefined) throw new FakeHttpError(422, "invalid_params", problem);
    const handler = HANDLERS[matched.route.key];
    if (!handler) {
      throw new FakeHttpError(
        501,
        "not_implemented",
        `The fake does not serve ${matched.route.key}.`,
      );
    }
    const context = { route: matched.route.key, params: matched.values, headers: req.headers };
    let result = handler({ ...context, body: (body ?? {}) as Body, state });
    if (method === "GET" && Array.isArray(result.body)) {
      const page = pageOf(result.body, req.headers.range, pageSize, result.rangeAliases);
      result = {
        status: page.status,
        body: page.items,
        headers: { ...result.headers, ...page.headers },
      };
    }
    const wrong = schema.checkAnswer(matched.route, result.body);
    if (wrong !== undefined) {
      answerProblems.push(`${matched.route.key}: ${wrong}`);
      throw new FakeHttpError(500, "fake_answer_invalid", `${matched.route.key}: ${wrong}`);
    }
    return result;
  }

  function send(res: http.ServerResponse, result: HandlerResult, text?: string): void {
    res.writeHead(result.status ?? 200, {
      "Content-Type": "application/json; charset=utf-8",
      "Request-Id": randomUUID(),
      "RateLimit-Remaining": String(remaining),
      ...result.headers,
    });
    res.end(text ?? (result.body === undefined ? "" : JSON.stringify(result.body)));
  }

  function fail(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    fault: Fault,
    done?: HandlerResult,
  ) {
    if (fault.kind === "reset") {
      req.socket.destroy();
    } else if (fault.kind === "stall") {
      stalled.add(res);
      res.on("close", () => stalled.delete(res));
      options.onStall?.();
    } else if (fault.kind === "malformed") {
      const whole = JSON.stringify(done?.body ?? { id: "01234567" });
      send(res, { status: 200, body: undefined }, whole.slice(0, Math.max(1, whole.length - 2)));
    } else if (fault.kind === "status") {
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined
          ? {}
          : { "Retry-After": String(fault.retryAfterSeconds) };
      send(res, { status: fault.status, body: { id: fault.id, message: fault.message }, headers });
    }
  }

  function respond(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    raw: string,
    overLimit: boolean,
    fault?: Fault,
  ) {
    let result: HandlerResult;
    try {
      result = answer(req, path, raw, overLimit);
    } catch (error) {
      if (!(error instanceof FakeHttpError)) throw error;
      result = { status: error.status, body: { id: error.id, message: error.message } };
    }
    if (fault?.apply && fault.kind !== "delay") fail(req, res, fault, result);
    else send(res, result);
  }

  const server = options.server ?? http.createServer();
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://fake.invalid");
      const method = req.method ?? "GET";
      const route = platformSchema().match(method, url.pathname)?.route.key;
      let body: unknown;
      try {
        body = rawBody === "" ? undefined : JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      requests.push({
        method,
        path: url.pathname,
        query: url.search,
        route,
        headers: req.headers,
        rawBody,
        body,
      });
      const overLimit = remaining <= 0;
      remaining = Math.max(0, remaining - 1);
      const fault = takeFault(method, url.pathname, route);
      if (fault?.kind === "delay") {
        const answer = () => respond(req, res, url.pathname, rawBody, overLimit);
        (options.holdAnswer ?? ((ms, send) => setTimeout(send, ms)))(fault.ms, answer);
      } else if (fault && !fault.apply) {
        fail(req, res, fault);
      } else {
        respond(req, res, url.pathname, rawBody, overLimit, fault);
      }
    });
  });
  if (!server.listening) {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  }
  const { port } = server.address() as AddressInfo;

  const countOf = (target: string) => {
    const { method, path } = parseTarget(target);
    const key = `${method} ${path}`;
    return requests.filter((r) => r.route === key || `${r.method} ${r.path}` === key).length;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    get state() {
      return state;
    },
    get delivery() {
      return deliveryOf(state);
    },
    routerUrl: router.url,
    webFetch: routeToRouter(router.url),
    requests,
    answerProblems,
    fault(target, ...faults) {
      const parsed = parseTarget(target);
      for (const fault of faults) queued.push({ target: parsed, fault });
    },
    count: countOf,
    counts() {
      const all: Record<string, number> = {};
      for (const r of requests) {
        const key = r.route ?? `${r.method} ${r.path}`;
        all[key] = (all[key] ?? 0) + 1;
      }
      return all;
    },
    setRateLimitRemaining(value) {
      remaining = value;
    },
    clearRequests() {
      requests.length = 0;
    },
    reset() {
      state = newState();
      remaining = options.rateLimitRemaining ?? 4500;
      requests.length = 0;
      answerProblems.length = 0;
      queued.length = 0;
    },
    async close() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([storage.close(), router.close()]);
    },
  };
}
