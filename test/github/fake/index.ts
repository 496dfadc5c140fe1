// An in-process fake of the GitHub REST API on 127.0.0.1, for the operations that read what
// ships (compare, a commit's pull requests, a pull request's files, a commit). It keeps GitHub's
// caps (250 commits in an unpaged comparison, 300 files in a comparison, 3000 per pull request
// or commit), pages with Link headers, sends the x-ratelimit-* headers, answers scripted faults
// (rate limits, secondary rate limits, 5xx, resets), and checks every answer it gives against
// GitHub's OpenAPI description (openapi.ts).
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { commitJson, comparisonJson, diffEntry, errorJson, Hosts, pullSimple } from "./answers";
import { githubOpenApi, Operation } from "./openapi";
import { FakeRepository } from "./repository";

export { FakeRepository } from "./repository";
export type { FakeCommit, FakePull, FileChange, Person } from "./repository";

export const FAKE_GITHUB_TOKEN = "ghp_fake0123456789abcdefFAKE";

/** GitHub's caps, as its REST documentation gives them. */
export const CAPS = {
  /** Commits in a comparison asked for without per_page or page. */
  unpagedCompareCommits: 250,
  /** Files in a comparison (first page only when paged). */
  compareFiles: 300,
  /** Files of a pull request, over all its pages. */
  pullFiles: 3000,
  /** Files of one commit per page, and over all pages. */
  commitFilesPerPage: 300,
  commitFiles: 3000,
} as const;

/** One scripted failure, answered instead of the request's real answer. */
export type GithubFault =
  /** A plain error status (502, 503) with GitHub's error body. */
  | { readonly kind: "status"; readonly status: number; readonly message?: string }
  /** The primary rate limit: 403, x-ratelimit-remaining 0, reset at `reset` (epoch seconds). */
  | { readonly kind: "rate-limit"; readonly reset: number }
  /** A secondary rate limit: 403 with `retry-after` (seconds) and GitHub's message. */
  | { readonly kind: "secondary"; readonly retryAfterSeconds: number }
  /** The connection is dropped without an answer. */
  | { readonly kind: "reset" }
  /** No answer at all, until the client gives up or the fake closes. */
  | { readonly kind: "stall" }
  /** This answer instead (checked against the schema like any other). */
  | { readonly kind: "answer"; readonly status: number; readonly body: unknown };

export interface RecordedRequest {
  readonly method: string;
  /** The path with its query, as sent (`/repos/acme/web/compare/a...b?per_page=100&page=1`). */
  readonly url: string;
  /** The operation the fake matched, when it matched one. */
  readonly operation?: Operation;
  readonly headers: http.IncomingHttpHeaders;
}

export interface FakeGithub {
  /** `http://127.0.0.1:<port>`: set GITHUB_API_URL to it. */
  readonly url: string;
  readonly token: string;
  /** The repository behind the API; `reset()` replaces it. */
  readonly repository: FakeRepository;
  readonly requests: readonly RecordedRequest[];
  /** Answers of the fake that broke GitHub's schema (a bug in the fake); stays empty. */
  readonly answerProblems: readonly string[];
  /** Queues faults for requests to `operation` (or every request, `*`), once each, in order. */
  fault(operation: Operation | "*", ...faults: GithubFault[]): void;
  /** `METHOD url` of every request so far. */
  log(): string[];
  /** A fresh, empty repository; requests, queued faults and the rate limit's use forgotten. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeGithubOptions {
  readonly owner?: string;
  readonly repository?: string;
  readonly token?: string;
  /** The host of `html_url` links. @default https://github.com */
  readonly webUrl?: string;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

const ROUTES: readonly { operation: Operation; pattern: RegExp }[] = [
  {
    operation: "get /repos/{owner}/{repo}/compare/{basehead}",
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/compare\/(.+)$/,
  },
  {
    operation: "get /repos/{owner}/{repo}/commits/{commit_sha}/pulls",
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/pulls$/,
  },
  {
    operation: "get /repos/{owner}/{repo}/commits/{ref}",
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)$/,
  },
  {
    operation: "get /repos/{owner}/{repo}/pulls/{pull_number}/files",
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/,
  },
];

const RATE_LIMIT = 5000;

export async function startFakeGithub(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  const openapi = githubOpenApi();
  const token = options.token ?? FAKE_GITHUB_TOKEN;
  const newRepository = () =>
    new FakeRepository(options.owner ?? "acme", options.repository ?? "acme-web");
  let repository = newRepository();
  const requests: RecordedRequest[] = [];
  const answerProblems: string[] = [];
  const queued: { operation: Operation | "*"; fault: GithubFault }[] = [];
  let used = 0;
  let url = "";
  const hosts = (): Hosts => ({ api: url, web: options.webUrl ?? "https://github.com" });

  function takeFault(operation: Operation | undefined): GithubFault | undefined {
    const index = queued.findIndex((q) => q.operation === "*" || q.operation === operation);
    return index < 0 ? undefined : queued.splice(index, 1)[0]!.fault;
  }

  function route(
    req: http.IncomingMessage,
    target: URL,
  ): { operation: Operation; values: string[] } | undefined {
    if (req.method !== "GET") return undefined;
    for (const { operation, pattern } of ROUTES) {
      const match = pattern.exec(target.pathname);
      if (match) return { operation, values: match.slice(1).map(decodeURIComponent) };
    }
    return undefined;
  }

  function answer(
    req: http.IncomingMessage,
    target: URL,
    matched: ReturnType<typeof route>,
  ): Answer {
    const auth = req.headers.authorization ?? "";
    if (auth !== `token ${token}` && auth !== `bearer ${token}` && auth !== `Bearer ${token}`) {
      return { status: 401, body: errorJson("Bad credentials", 401) };
    }
    if (!matched) return { status: 404, body: errorJson("Not Found", 404) };
    const [owner, name, value] = matched.values as [string, string, string];
    if (owner !== repository.owner || name !== repository.name) {
      return { status: 404, body: errorJson("Not Found", 404) };
    }
    const query = target.searchParams;
    switch (matched.operation) {
      case "get /repos/{owner}/{repo}/compare/{basehead}":
        return compare(value, query, target);
      case "get /repos/{owner}/{repo}/commits/{commit_sha}/pulls": {
        if (!repository.find(value)) return noCommit(value);
        const pulls = repository.pullsOf(repository.find(value)!.sha);
        return paged(
          pulls.map((p) => pullSimple(repository, p, hosts())),
          query,
          target,
          30,
          100,
        );
      }
      case "get /repos/{owner}/{repo}/commits/{ref}":
        return commit(value, query, target);
      case "get /repos/{owner}/{repo}/pulls/{pull_number}/files": {
        const pull = repository.pulls.find((p) => p.number === Number(value));
        if (!pull) return { status: 404, body: errorJson("Not Found", 404) };
        const files = pull.files
          .slice(0, CAPS.pullFiles)
          .map((f) => diffEntry(repository, pull.commits.at(-1)!, f, hosts()));
        return paged(files, query, target, 30, 100);
      }
    }
  }

  function compare(basehead: string, query: URLSearchParams, target: URL): Answer {
    const [baseRef, headRef] = basehead.split("...");
    const base = baseRef === undefined ? undefined : repository.find(baseRef);
    const head = headRef === undefined ? undefined : repository.find(headRef);
    if (!base || !head) return { status: 404, body: errorJson("Not Found", 404) };
    const comparison = repository.compare(base, head);
    const files = comparison.files.slice(0, CAPS.compareFiles);
    if (!query.has("per_page") && !query.has("page")) {
      // Unpaged: the newest 250 commits, so the last one listed is the head.
      const commits = comparison.ahead.slice(-CAPS.unpagedCompareCommits);
      return {
        status: 200,
        body: comparisonJson(repository, base, head, comparison, { commits, files }, hosts()),
      };
    }
    const { page, perPage } = pageOf(query, 30, 100);
    const commits = comparison.ahead.slice((page - 1) * perPage, page * perPage);
    const pageFiles = page === 1 ? files : undefined;
    const body = comparisonJson(
      repository,
      base,
      head,
      comparison,
      { commits, files: pageFiles },
      hosts(),
    );
    return { status: 200, body, headers: links(target, page, perPage, comparison.ahead.length) };
  }

  function commit(ref: string, query: URLSearchParams, target: URL): Answer {
    const found = repository.find(ref);
    if (!found) return noCommit(ref);
    const all = found.files.slice(0, CAPS.commitFiles);
    const page = Math.max(1, Number(query.get("page") ?? 1));
    const files = all.slice((page - 1) * CAPS.commitFilesPerPage, page * CAPS.commitFilesPerPage);
    const headers = links(target, page, CAPS.commitFilesPerPage, all.length);
    return { status: 200, body: commitJson(repository, found, hosts(), files), headers };
  }

  function paged(
    items: unknown[],
    query: URLSearchParams,
    target: URL,
    fallback: number,
    max: number,
  ): Answer {
    const { page, perPage } = pageOf(query, fallback, max);
    const body = items.slice((page - 1) * perPage, page * perPage);
    return { status: 200, body, headers: links(target, page, perPage, items.length) };
  }

  function respond(
    res: http.ServerResponse,
    operation: Operation | undefined,
    result: Answer,
  ): void {
    const problem =
      operation === undefined ? undefined : openapi.check(operation, result.status, result.body);
    if (problem !== undefined) {
      answerProblems.push(`${operation} ${result.status}: ${problem}`);
      result = { status: 500, body: errorJson(`fake answer invalid: ${problem}`, 500) };
    }
    used += 1;
    res.writeHead(result.status, {
      "content-type": "application/json; charset=utf-8",
      "x-github-request-id": `FAKE:${String(requests.length - 1).padStart(4, "0")}`,
      "x-ratelimit-limit": String(RATE_LIMIT),
      "x-ratelimit-remaining": String(Math.max(0, RATE_LIMIT - used)),
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-ratelimit-used": String(used),
      "x-ratelimit-resource": "core",
      ...result.headers,
    });
    res.end(JSON.stringify(result.body));
  }

  function fail(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    operation: Operation | undefined,
    fault: GithubFault,
  ): void {
    switch (fault.kind) {
      case "reset":
        req.socket.destroy();
        return;
      case "stall":
        return;
      case "answer":
        return respond(res, operation, { status: fault.status, body: fault.body });
      case "status":
        return respond(res, operation, {
          status: fault.status,
          body: errorJson(fault.message ?? "Server Error", fault.status),
        });
      case "rate-limit":
        return respond(res, operation, {
          status: 403,
          body: errorJson(
            "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.",
            403,
          ),
          headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(fault.reset) },
        });
      case "secondary":
        return respond(res, operation, {
          status: 403,
          body: errorJson(
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            403,
          ),
          headers: { "retry-after": String(fault.retryAfterSeconds) },
        });
    }
  }

  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const target = new URL(req.url ?? "/", url);
      const matched = route(req, target);
      requests.push({
        method: req.method ?? "GET",
        url: `${target.pathname}${target.search}`,
        operation: matched?.operation,
        headers: req.headers,
      });
      const fault = takeFault(matched?.operation);
      if (fault) return fail(req, res, matched?.operation, fault);
      respond(res, matched?.operation, answer(req, target, matched));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token,
    get repository() {
      return repository;
    },
    requests,
    answerProblems,
    fault(operation, ...faults) {
      for (const fault of faults) queued.push({ operation, fault });
    },
    log: () => requests.map((r) => `${r.method} ${r.url}`),
    reset() {
      repository = newRepository();
      requests.length = 0;
      answerProblems.length = 0;
      queued.length = 0;
      used = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function noCommit(sha: string): Answer {
  return { status: 422, body: errorJson(`No commit found for SHA: ${sha}`, 422) };
}

function pageOf(
  query: URLSearchParams,
  fallback: number,
  max: number,
): { page: number; perPage: number } {
  const page = Math.max(1, Number(query.get("page") ?? 1) || 1);
  const perPage = Math.min(max, Math.max(1, Number(query.get("per_page") ?? fallback) || fallback));
  return { page, perPage };
}

/** GitHub's Link header for page `page` of `total` items, `perPage` a page; none for one page. */
function links(target: URL, page: number, perPage: number, total: number): Record<string, string> {
  const last = Math.max(1, Math.ceil(total / perPage));
  if (last === 1) return {};
  const at = (n: number) => {
    const next = new URL(target.toString());
    next.searchParams.set("page", String(n));
    return `<${next.toString()}>`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`${at(page - 1)}; rel="prev"`, `${at(1)}; rel="first"`);
  if (page < last) parts.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  return parts.length === 0 ? {} : { link: parts.join(", ") };
}
