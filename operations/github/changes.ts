// What promoting staging would ship, as GitHub knows it: the commits between production's commit
// and staging's, the merged pull requests that brought them, the files they change, with
// migrations and build-changing files flagged. It decides nothing and prints nothing; what it
// could not determine is part of the answer, never a guess.
//
// GitHub's caps shape the requests: a comparison lists 250 commits unless paged (so it is always
// paged), and at most 300 files (past that, the files come from each merged pull request and
// each direct commit, which GitHub lists up to 3000 files each).
import type { RepositoryFacts } from "../stack-facts";
import { ignoreProgress, ProgressListener } from "../progress";
import { SlipwayError } from "../../errors";
import type { GithubClient } from "./client";
import { githubFailure, isOctokitRequestError } from "./errors";
import { changesMatching } from "./paths";
import { mapLimited } from "../concurrency";

/** GitHub's documented caps. */
export const COMPARE_FILE_CAP = 300;
export const FILE_LIST_CAP = 3000;

/**
 * How production's commit (base) relates to staging's (head): `ahead` is the normal case;
 * `behind` and `diverged` mean production has commits staging lacks, which a promotion would
 * take out; `unknown-commit` means GitHub does not know one of them (force-pushed away, or
 * built from another repository).
 */
export type ComparisonStatus = "identical" | "ahead" | "behind" | "diverged" | "unknown-commit";

export interface ShippedCommit {
  readonly sha: string;
  readonly shortSha: string;
  /** The first line of its message. */
  readonly title: string;
  /** The GitHub login of its author, or the git author's name when GitHub knows no account. */
  readonly author: string;
  readonly url: string;
  /** The merged pull requests (into the production or staging branch) that brought it. */
  readonly pullRequests: readonly number[];
}

export interface ShippedPullRequest {
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly url: string;
  readonly mergedAt: string;
  /** The branch it merged into. */
  readonly baseBranch: string;
}

export interface ShippedFile {
  readonly path: string;
  /** The path before a rename. */
  readonly previousPath?: string;
  /** GitHub's status: added, removed, modified, renamed, ... */
  readonly status: string;
}

export interface WhatShips {
  /** `owner/repository`. */
  readonly repository: string;
  /** Production's commit. */
  readonly base: string;
  /** Staging's commit. */
  readonly head: string;
  readonly status: ComparisonStatus;
  /** Commits staging has that production lacks: what ships. */
  readonly aheadBy: number;
  /** Commits production has that staging lacks: what a promotion would take out. */
  readonly behindBy: number;
  /** The commits GitHub does not know, when status is `unknown-commit`. */
  readonly unknownCommits: readonly { readonly role: "base" | "head"; readonly sha: string }[];
  /** GitHub's page for the comparison; absent when there was none to ask for. */
  readonly compareUrl?: string;
  /** What ships, oldest first. */
  readonly commits: readonly ShippedCommit[];
  /** Merged pull requests of those commits, by number, each once. */
  readonly pullRequests: readonly ShippedPullRequest[];
  readonly files: readonly ShippedFile[];
  /** Where `files` comes from: the comparison, or past its cap each pull request and direct commit. */
  readonly filesFrom: "comparison" | "pull-requests-and-commits" | "none";
  /** Files under `slipway:deploy.migrationPaths`, by new or previous name. */
  readonly migrations: readonly ShippedFile[];
  /** Files under `slipway:deploy.buildPaths`. */
  readonly buildFiles: readonly ShippedFile[];
  /** What could not be determined, a sentence each; empty when the picture is complete. */
  readonly undetermined: readonly string[];
}

export interface WhatShipsRequest {
  /** The application's repository and its branches (StackFacts.repository). */
  readonly repository: RepositoryFacts;
  /** Production's commit (what runs now). */
  readonly base: string;
  /** Staging's commit (what would ship). */
  readonly head: string;
  readonly migrationPaths: readonly string[];
  readonly buildPaths: readonly string[];
}

export interface WhatShipsOptions {
  /** Items per page asked for (GitHub's most is 100). @default 100 */
  readonly pageSize?: number;
  /** Requests in flight at once when looking up each commit's pull requests. @default 4 */
  readonly concurrency?: number;
  readonly progress?: ProgressListener;
}

type Comparison = Awaited<ReturnType<typeof compareRequest>>["data"];
type ComparedCommit = Comparison["commits"][number];
type DiffEntry = NonNullable<Comparison["files"]>[number];

/**
 * Asks GitHub what ships from `base` (production) to `head` (staging). Throws a `SlipwayError`
 * when the token or the repository is wrong, a `GithubApiError` when GitHub fails.
 */
export async function whatShips(
  github: GithubClient,
  request: WhatShipsRequest,
  options: WhatShipsOptions = {},
): Promise<WhatShips> {
  const repo = { owner: request.repository.owner, repo: request.repository.repository };
  const name = `${repo.owner}/${repo.repo}`;
  const pageSize = options.pageSize ?? 100;
  const progress = options.progress ?? ignoreProgress;
  const nothing = (status: ComparisonStatus): WhatShips => ({
    repository: name,
    base: request.base,
    head: request.head,
    status,
    aheadBy: 0,
    behindBy: 0,
    unknownCommits: [],
    commits: [],
    pullRequests: [],
    files: [],
    filesFrom: "none",
    migrations: [],
    buildFiles: [],
    undetermined: [],
  });
  if (request.base === request.head) return nothing("identical");

  const call = <T>(send: () => Promise<T>): Promise<T> =>
    send().catch((error: unknown) => {
      throw failure(error, name);
    });
  progress({
    step: "changes",
    message: `comparing ${short(request.base)}...${short(request.head)} in ${name}`,
  });
  let first: Comparison;
  try {
    first = (await compareRequest(github, repo, request, 1, pageSize)).data;
  } catch (error) {
    if (!isOctokitRequestError(error) || error.status !== 404) throw failure(error, name);
    const unknownCommits = await unknownOf(github, repo, request);
    return { ...nothing("unknown-commit"), unknownCommits };
  }
  const undetermined: string[] = [];
  const listed = [...first.commits];
  for (let page = 2; listed.length < first.total_commits; page++) {
    const next = await call(() => compareRequest(github, repo, request, page, pageSize));
    if (next.data.commits.length === 0) {
      undetermined.push(
        `GitHub listed ${listed.length} of the ${first.total_commits} commits; the others are not shown.`,
      );
      break;
    }
    listed.push(...next.data.commits);
  }

  progress({
    step: "changes",
    message: `${listed.length} commits: looking up their pull requests`,
  });
  const branches = [request.repository.productionBranch, request.repository.stagingBranch];
  const pullsByCommit = await mapLimited(listed, options.concurrency ?? 4, (commit) =>
    call(() =>
      github.paginate("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
        ...repo,
        commit_sha: commit.sha,
        per_page: pageSize,
      }),
    ).then((pulls) => pulls.filter((p) => p.merged_at !== null && branches.includes(p.base.ref))),
  );
  const pullRequests = new Map<number, ShippedPullRequest>();
  for (const pull of pullsByCommit.flat()) {
    pullRequests.set(pull.number, {
      number: pull.number,
      title: pull.title,
      author: pull.user?.login ?? "ghost",
      url: pull.html_url,
      mergedAt: pull.merged_at!,
      baseBranch: pull.base.ref,
    });
  }
  const commits = listed.map((commit, i) =>
    shippedCommit(
      commit,
      pullsByCommit[i]!.map((p) => p.number),
    ),
  );

  let files = (first.files ?? []).map(shippedFile);
  let filesFrom: WhatShips["filesFrom"] = "comparison";
  if (files.length >= COMPARE_FILE_CAP) {
    filesFrom = "pull-requests-and-commits";
    const sorted = [...pullRequests.keys()].sort((a, b) => a - b);
    const direct = commits.filter((c) => c.pullRequests.length === 0);
    progress({
      step: "changes",
      message: `the comparison lists its first ${COMPARE_FILE_CAP} files only: reading the files of ${sorted.length} pull requests and ${direct.length} direct commits`,
    });
    const lists: ShippedFile[][] = [];
    for (const number of sorted) {
      const entries = await call(() =>
        github.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
          ...repo,
          pull_number: number,
          per_page: pageSize,
        }),
      );
      if (entries.length >= FILE_LIST_CAP) {
        undetermined.push(
          `Pull request #${number} changes more than GitHub lists (${FILE_LIST_CAP} files); files past those are not checked for migrations.`,
        );
      }
      lists.push(entries.map(shippedFile));
    }
    for (const commit of direct) {
      const entries = await commitFiles(github, repo, commit.sha, call);
      if (entries.length >= FILE_LIST_CAP) {
        undetermined.push(
          `Commit ${commit.shortSha} changes more than GitHub lists (${FILE_LIST_CAP} files); files past those are not checked for migrations.`,
        );
      }
      lists.push(entries.map(shippedFile));
    }
    files = uniqueFiles(lists.flat());
  }
  return {
    ...nothing(first.status),
    aheadBy: first.ahead_by,
    behindBy: first.behind_by,
    compareUrl: first.html_url,
    commits,
    pullRequests: [...pullRequests.values()].sort((a, b) => a.number - b.number),
    files,
    filesFrom,
    migrations: changesMatching(files, request.migrationPaths),
    buildFiles: changesMatching(files, request.buildPaths),
    undetermined,
  };
}

/**
 * Whether a promotion of these changes may carry a migration: one is listed, or the files
 * could not all be seen (so `--rollback auto` must not assume there is none).
 */
export function mayHoldMigrations(changes: WhatShips): boolean {
  if (changes.migrations.length > 0) return true;
  if (changes.status === "unknown-commit") return true;
  return changes.undetermined.length > 0;
}

function compareRequest(
  github: GithubClient,
  repo: { owner: string; repo: string },
  request: WhatShipsRequest,
  page: number,
  pageSize: number,
) {
  return github.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
    ...repo,
    basehead: `${request.base}...${request.head}`,
    per_page: pageSize,
    page,
  });
}

/**
 * After a comparison's 404, which of the two commits GitHub does not know: GET of an unknown
 * commit answers 422, while a 404 there means the repository itself is out of reach.
 */
async function unknownOf(
  github: GithubClient,
  repo: { owner: string; repo: string },
  request: WhatShipsRequest,
): Promise<WhatShips["unknownCommits"]> {
  const name = `${repo.owner}/${repo.repo}`;
  const unknown: { role: "base" | "head"; sha: string }[] = [];
  for (const [role, sha] of [
    ["base", request.base],
    ["head", request.head],
  ] as const) {
    try {
      await github.request("GET /repos/{owner}/{repo}/commits/{ref}", {
        ...repo,
        ref: sha,
        per_page: 1,
      });
    } catch (error) {
      if (isOctokitRequestError(error) && error.status === 422) {
        unknown.push({ role, sha });
        continue;
      }
      if (isOctokitRequestError(error) && error.status === 404) {
        throw SlipwayError.of(
          "slipway:github.repository",
          `GitHub answers 404 for ${name}: it does not exist, or GITHUB_TOKEN cannot read it. ` +
            `Allowed: the application's repository, readable with the token. Fix: correct slipway:github.owner and ` +
            `slipway:github.repository in the production stack's file, or use a token that can read the repository.`,
        );
      }
      throw failure(error, name);
    }
  }
  if (unknown.length === 0) {
    throw new Error(
      `GitHub could not compare ${request.base}...${request.head} in ${repo.owner}/${repo.repo} but knows both commits`,
    );
  }
  return unknown;
}

async function commitFiles(
  github: GithubClient,
  repo: { owner: string; repo: string },
  sha: string,
  call: <T>(send: () => Promise<T>) => Promise<T>,
): Promise<DiffEntry[]> {
  const files: DiffEntry[] = [];
  await call(async () => {
    for await (const page of github.paginate.iterator("GET /repos/{owner}/{repo}/commits/{ref}", {
      ...repo,
      ref: sha,
    })) {
      files.push(...((page.data as { files?: DiffEntry[] }).files ?? []));
    }
  });
  return files;
}

function shippedCommit(commit: ComparedCommit, pullRequests: number[]): ShippedCommit {
  return {
    sha: commit.sha,
    shortSha: short(commit.sha),
    title: commit.commit.message.split("\n", 1)[0]!,
    author: loginOf(commit.author) ?? commit.commit.author?.name ?? "unknown",
    url: commit.html_url,
    pullRequests,
  };
}

function loginOf(user: ComparedCommit["author"]): string | undefined {
  return user !== null && "login" in user ? user.login : undefined;
}

function shippedFile(entry: DiffEntry): ShippedFile {
  return entry.previous_filename === undefined
    ? { path: entry.filename, status: entry.status }
    : { path: entry.filename, previousPath: entry.previous_filename, status: entry.status };
}

/** Each path once (a path renamed from different names stays once per name). */
function uniqueFiles(files: readonly ShippedFile[]): ShippedFile[] {
  const seen = new Map<string, ShippedFile>();
  for (const file of files) {
    const key = `${file.path}\0${file.previousPath ?? ""}`;
    if (!seen.has(key)) seen.set(key, file);
  }
  return [...seen.values()];
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

/** An Octokit error as slipway's (githubFailure); anything else as it is. */
function failure(error: unknown, repository: string): unknown {
  return isOctokitRequestError(error) ? githubFailure(error, repository) : error;
}
