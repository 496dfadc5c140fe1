// The world behind the GitHub fake: one repository's commits (a graph with parents), branches and
// pull requests, and what GitHub derives from them (a comparison, a commit's pull requests, the
// files of a commit or a pull request). Tests build it with `commit()` and `pull()`.
import * as crypto from "node:crypto";

export type FileStatus = "added" | "modified" | "removed" | "renamed";

export interface FileChange {
  readonly path: string;
  readonly status: FileStatus;
  /** The path before a rename. */
  readonly previousPath?: string;
}

/** Who wrote a commit: a GitHub user (`login`), or only a git name and e-mail. */
export interface Person {
  readonly name: string;
  readonly email: string;
  readonly login?: string;
}

export interface FakeCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly author: Person;
  readonly date: string;
  readonly files: readonly FileChange[];
}

export interface FakePull {
  readonly number: number;
  readonly title: string;
  readonly login: string;
  /** The branch it merges into. */
  readonly base: string;
  readonly head: string;
  /** When it was merged; null while open or closed unmerged. */
  readonly mergedAt: string | null;
  readonly state: "open" | "closed";
  /** Its commits, and the commit its merge made (absent while open). */
  readonly commits: readonly string[];
  readonly mergeCommit?: string;
  /** Its files as GitHub lists them: by default, its commits' files. */
  readonly files: readonly FileChange[];
}

export interface CommitInput {
  readonly message?: string;
  /** Its parents; default the last commit made, none for the first. */
  readonly parents?: readonly string[];
  readonly author?: Person;
  readonly files?: readonly (FileChange | string)[];
}

export interface PullInput {
  readonly title?: string;
  readonly login?: string;
  readonly base?: string;
  readonly head?: string;
  readonly commits: readonly string[];
  readonly mergeCommit?: string;
  /** @default true */
  readonly merged?: boolean;
  readonly files?: readonly FileChange[];
}

export const DEFAULT_AUTHOR: Person = {
  name: "Octo Cat",
  email: "octocat@example.com",
  login: "octocat",
};

export class FakeRepository {
  readonly owner: string;
  readonly name: string;
  /** Commits in the order they were made: the fake's idea of chronology. */
  readonly commits: FakeCommit[] = [];
  readonly pulls: FakePull[] = [];
  private readonly bySha = new Map<string, FakeCommit>();
  private readonly start: number;

  constructor(owner: string, name: string, start = Date.UTC(2025, 0, 6, 9)) {
    this.owner = owner;
    this.name = name;
    this.start = start;
  }

  /** Adds a commit; its SHA is derived from its message and position, so runs are repeatable. */
  commit(input: CommitInput = {}): string {
    const index = this.commits.length;
    const message = input.message ?? `Change ${index + 1}`;
    const sha = crypto.createHash("sha1").update(`${index}\0${message}`).digest("hex");
    const parents = input.parents ?? (index === 0 ? [] : [this.commits[index - 1]!.sha]);
    for (const parent of parents) this.get(parent);
    const files = (input.files ?? [`src/change-${index + 1}.ts`]).map((f) =>
      typeof f === "string" ? { path: f, status: "modified" as const } : f,
    );
    const commit: FakeCommit = {
      sha,
      parents,
      message,
      author: input.author ?? DEFAULT_AUTHOR,
      date: new Date(this.start + index * 60_000).toISOString().replace(".000Z", "Z"),
      files,
    };
    this.commits.push(commit);
    this.bySha.set(sha, commit);
    return sha;
  }

  /** `count` commits in a line after `parent` (default the last commit); their SHAs in order. */
  line(
    count: number,
    input: Omit<CommitInput, "parents" | "message"> & { parent?: string } = {},
  ): string[] {
    const shas: string[] = [];
    for (let i = 0; i < count; i++) {
      const parents = i === 0 && input.parent !== undefined ? [input.parent] : undefined;
      shas.push(this.commit({ ...input, parents }));
    }
    return shas;
  }

  /** Adds a pull request over `commits`; merged unless said otherwise. Returns its number. */
  pull(input: PullInput): number {
    const number = this.pulls.length + 1;
    const merged = input.merged ?? true;
    const last = this.get(input.commits[input.commits.length - 1]!);
    this.pulls.push({
      number,
      title: input.title ?? `Pull request ${number}`,
      login: input.login ?? "octocat",
      base: input.base ?? "main",
      head: input.head ?? `feature-${number}`,
      mergedAt: merged ? last.date : null,
      state: merged ? "closed" : "open",
      commits: input.commits,
      mergeCommit: merged ? (input.mergeCommit ?? last.sha) : undefined,
      files: input.files ?? combine(input.commits.map((sha) => this.get(sha))),
    });
    return number;
  }

  find(sha: string): FakeCommit | undefined {
    return (
      this.bySha.get(sha) ?? this.commits.find((c) => sha.length >= 7 && c.sha.startsWith(sha))
    );
  }

  get(sha: string): FakeCommit {
    const commit = this.find(sha);
    if (!commit) throw new Error(`the fake repository has no commit ${sha}`);
    return commit;
  }

  /** The pull requests GitHub associates with a commit: those containing it or merged as it. */
  pullsOf(sha: string): FakePull[] {
    return this.pulls.filter((p) => p.commits.includes(sha) || p.mergeCommit === sha);
  }

  /** What GitHub's compare computes for base...head. */
  compare(base: FakeCommit, head: FakeCommit): Comparison {
    const fromBase = this.ancestors(base.sha);
    const fromHead = this.ancestors(head.sha);
    const ahead = this.commits.filter((c) => fromHead.has(c.sha) && !fromBase.has(c.sha));
    const behind = this.commits.filter((c) => fromBase.has(c.sha) && !fromHead.has(c.sha));
    const common = this.commits.filter((c) => fromBase.has(c.sha) && fromHead.has(c.sha));
    const status =
      ahead.length === 0 && behind.length === 0
        ? "identical"
        : behind.length === 0
          ? "ahead"
          : ahead.length === 0
            ? "behind"
            : "diverged";
    return {
      status,
      ahead,
      behind,
      mergeBase: common[common.length - 1] ?? base,
      files: combine(ahead),
    };
  }

  private ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...this.get(next).parents);
    }
    return seen;
  }
}

export interface Comparison {
  readonly status: "identical" | "ahead" | "behind" | "diverged";
  readonly ahead: readonly FakeCommit[];
  readonly behind: readonly FakeCommit[];
  readonly mergeBase: FakeCommit;
  readonly files: readonly FileChange[];
}

/**
 * The net change of several commits, one entry per path as a diff between their ends shows it:
 * a file added then modified is added; added then removed is gone; a rename of a file added in
 * the range is an addition under the new name.
 */
export function combine(commits: readonly FakeCommit[]): FileChange[] {
  const net = new Map<string, FileChange>();
  for (const change of commits.flatMap((c) => c.files)) {
    const earlier = net.get(change.path);
    if (change.status === "renamed" && change.previousPath !== undefined) {
      const moved = net.get(change.previousPath);
      net.delete(change.previousPath);
      net.set(
        change.path,
        moved?.status === "added" ? { path: change.path, status: "added" } : change,
      );
    } else if (earlier?.status === "added" && change.status === "removed") {
      net.delete(change.path);
    } else if (earlier?.status === "added" || earlier?.status === "renamed") {
      net.set(change.path, earlier);
    } else {
      net.set(change.path, change);
    }
  }
  return [...net.values()];
}
