// The hosts around the Platform API that the fake stands in for, on loopback like the API: S3
// (source uploads and downloads), Heroku's output streams (build, release phase, log sessions) and
// each app's web URL. Their requests are logged with the API's, under route keys of their own
// (`PUT /sources/{source}`, `GET /streams/{stream}`, `GET web:/health`), and take scripted faults
// the same way (`fake.fault("PUT /sources/{source}", Faults.unavailable())`).
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Fault } from "./faults";
import type { StreamScript } from "./delivery-types";

/** What an outside host answers: a whole body (after `delayMs`), or a stream of lines. */
export type OutsideAnswer =
  | {
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body: string | Buffer;
      readonly delayMs?: number;
    }
  | { readonly stream: StreamScript };

export interface OutsideRequest {
  readonly method: string;
  /** The path with its query (`/sources/<id>.tgz?X-Amz-Signature=...`). */
  readonly url: URL;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface OutsideHost {
  /** The route key a request is logged and faulted under, or `undefined` for an unknown path. */
  route(method: string, url: URL): string | undefined;
  /** Handles a request (its effects happen here); called once per request. */
  answer(request: OutsideRequest, route: string | undefined): OutsideAnswer;
}

export interface OutsideOptions {
  readonly host: OutsideHost;
  /** Logs the request as the API's requests are logged. */
  readonly record: (request: OutsideRequest, route: string | undefined) => void;
  readonly takeFault: (
    method: string,
    path: string,
    route: string | undefined,
  ) => Fault | undefined;
}

export interface OutsideServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts one outside host on 127.0.0.1 and a free port. */
export async function startOutside(options: OutsideOptions): Promise<OutsideServer> {
  const stalled = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const method = req.method ?? "GET";
      const url = new URL(req.url ?? "/", "http://outside.invalid");
      const request = { method, url, headers: req.headers, body: Buffer.concat(chunks) };
      const route = options.host.route(method, url);
      options.record(request, route);
      const fault = options.takeFault(method, url.pathname, route);
      if (fault?.kind === "delay") {
        setTimeout(() => write(res, options.host.answer(request, route)), fault.ms);
        return;
      }
      if (fault?.apply) options.host.answer(request, route);
      if (fault) failWith(req, res, fault, stalled);
      else write(res, options.host.answer(request, route));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function write(res: http.ServerResponse, answer: OutsideAnswer): void {
  if ("stream" in answer) {
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
    void streamLines(res, answer.stream);
    return;
  }
  const send = () => {
    if (res.destroyed) return;
    res.writeHead(answer.status, { ...answer.headers });
    res.end(answer.body);
  };
  if (answer.delayMs) setTimeout(send, answer.delayMs);
  else send();
}

async function streamLines(res: http.ServerResponse, script: StreamScript): Promise<void> {
  if (script.lineDelayMs <= 0) {
    res.end(script.lines.map((line) => `${line}\n`).join(""));
    return;
  }
  for (const line of script.lines) {
    await new Promise((resolve) => setTimeout(resolve, script.lineDelayMs));
    if (res.destroyed) return;
    res.write(`${line}\n`);
  }
  res.end();
}

function failWith(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  fault: Fault,
  stalled: Set<http.ServerResponse>,
): void {
  if (fault.kind === "reset") {
    req.socket.destroy();
  } else if (fault.kind === "stall") {
    stalled.add(res);
    res.on("close", () => stalled.delete(res));
  } else if (fault.kind === "status") {
    const headers: Record<string, string> = { "Content-Type": "text/plain; charset=utf-8" };
    if (fault.retryAfterSeconds !== undefined) {
      headers["Retry-After"] = String(fault.retryAfterSeconds);
    }
    res.writeHead(fault.status, headers);
    res.end(`${fault.id}: ${fault.message}`);
  } else {
    // malformed: half an answer, then the connection ends.
    res.writeHead(200, { "Content-Length": "100" });
    res.end("<");
  }
}
