import {
  mayHoldMigrations,
  whatShips,
  WhatShips,
  WhatShipsRequest,
} from "../../operations/github/changes";
import { GithubApiError } from "../../operations/github/errors";
import { SlipwayError } from "../../errors";
import type { ProgressEvent } from "../../operations/progress";
import { rejectionOf } from "../heroku/support";
import { comparisonJson } from "./fake/answers";
import { events, fake, github, REPOSITORY, useFakeGithub } from "./fake-suite";

useFakeGithub();

const REPO = "/repos/acme/acme-web";
const progress = (event: ProgressEvent) => events.push(event);
const WEB = "https://github.com/acme/acme-web";

function request(base: string, head: string): WhatShipsRequest {
  return {
    repository: REPOSITORY,
    base,
    head,
    migrationPaths: ["migrations/", "db/migrate/"],
    buildPaths: ["package-lock.json", "Procfile"],
  };
}

const compare = (base: string, head: string, page = 1, perPage = 100) =>
  `GET ${REPO}/compare/${base}...${head}?per_page=${perPage}&page=${page}`;
const pullsOf = (sha: string, perPage = 100) =>
  `GET ${REPO}/commits/${sha}/pulls?per_page=${perPage}`;

const commitEntry = (sha: string, title: string, author: string, pullRequests: number[]) => ({
  sha,
  shortSha: sha.slice(0, 7),
  title,
  author,
  url: `${WEB}/commit/${sha}`,
  pullRequests,
});

/** What whatShips answers when nothing could be listed. */
const nothingShips = (base: string, head: string, more: Partial<WhatShips>): WhatShips => ({
  repository: "acme/acme-web",
  base,
  head,
  status: "identical",
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
  ...more,
});

/** The repository most tests start from: production at `root`, four commits on staging. */
function history() {
  const repo = fake.repository;
  const root = repo.commit({ message: "Initial commit", files: ["README.md"] });
  const c1 = repo.commit({
    message: "Add users table\n\nWith an index on email.",
    files: [{ path: "migrations/001_users.sql", status: "added" }, "src/users.ts"],
  });
  const c2 = repo.commit({ message: "Users API", files: ["src/api.ts"] });
  const c3 = repo.commit({
    message: "Bump the lockfile",
    author: { name: "Release Robot", email: "robot@example.com" },
    files: ["package-lock.json"],
  });
  const c4 = repo.commit({
    message: "Seeds are not migrations",
    files: [
      { path: "db/seeds/1_admin.rb", previousPath: "db/migrate/1_admin.rb", status: "renamed" },
    ],
  });
  repo.pull({ commits: [c1, c2], title: "Users", login: "alice", base: "main" });
  repo.pull({ commits: [c4], title: "Move seeds", login: "bob", base: "staging" });
  repo.pull({ commits: [c4], title: "Still open", merged: false });
  repo.pull({ commits: [c2], title: "Backport", base: "release/1.x" });
  return { root, c1, c2, c3, c4 };
}

describe("whatShips", () => {
  test("commits, their merged pull requests into production or staging, files, migrations and build files", async () => {
    const { root, c1, c2, c3, c4 } = history();
    const result = await whatShips(github, request(root, c4), { concurrency: 1, progress });
    expect(result).toEqual<WhatShips>({
      repository: "acme/acme-web",
      base: root,
      head: c4,
      status: "ahead",
      aheadBy: 4,
      behindBy: 0,
      unknownCommits: [],
      compareUrl: `${WEB}/compare/${root}...${c4}`,
      commits: [
        commitEntry(c1, "Add users table", "octocat", [1]),
        commitEntry(c2, "Users API", "octocat", [1]),
        commitEntry(c3, "Bump the lockfile", "Release Robot", []),
        commitEntry(c4, "Seeds are not migrations", "octocat", [2]),
      ],
      pullRequests: [
        {
          number: 1,
          title: "Users",
          author: "alice",
          url: `${WEB}/pull/1`,
          mergedAt: "2025-01-06T09:02:00Z",
          baseBranch: "main",
        },
        {
          number: 2,
          title: "Move seeds",
          author: "bob",
          url: `${WEB}/pull/2`,
          mergedAt: "2025-01-06T09:04:00Z",
          baseBranch: "staging",
        },
      ],
      files: [
        { path: "migrations/001_users.sql", status: "added" },
        { path: "src/users.ts", status: "modified" },
        { path: "src/api.ts", status: "modified" },
        { path: "package-lock.json", status: "modified" },
        { path: "db/seeds/1_admin.rb", previousPath: "db/migrate/1_admin.rb", status: "renamed" },
      ],
      filesFrom: "comparison",
      migrations: [
        { path: "migrations/001_users.sql", status: "added" },
        { path: "db/seeds/1_admin.rb", previousPath: "db/migrate/1_admin.rb", status: "renamed" },
      ],
      buildFiles: [{ path: "package-lock.json", status: "modified" }],
      undetermined: [],
    });
    expect(fake.log()).toEqual([
      compare(root, c4),
      pullsOf(c1),
      pullsOf(c2),
      pullsOf(c3),
      pullsOf(c4),
    ]);
    expect(events).toEqual([
      {
        step: "changes",
        message: `comparing ${root.slice(0, 7)}...${c4.slice(0, 7)} in acme/acme-web`,
      },
      { step: "changes", message: "4 commits: looking up their pull requests" },
    ]);
    expect(mayHoldMigrations(result)).toBe(true);
  });

  test("lookups run side by side by default and keep the commits' order", async () => {
    const { root, c1, c2, c3, c4 } = history();
    const result = await whatShips(github, request(root, c4));
    expect(result.commits.map((c) => c.pullRequests)).toEqual([[1], [1], [], [2]]);
    expect(fake.log().sort()).toEqual(
      [compare(root, c4), pullsOf(c1), pullsOf(c2), pullsOf(c3), pullsOf(c4)].sort(),
    );
  });

  test("the same commit twice: nothing ships and GitHub is not asked", async () => {
    const sha = fake.repository.commit();
    const result = await whatShips(github, request(sha, sha));
    expect(result).toEqual(nothingShips(sha, sha, { status: "identical" }));
    expect(mayHoldMigrations(result)).toBe(false);
    expect(fake.log()).toEqual([]);
  });

  test("pages through the comparison until every commit is listed", async () => {
    const repo = fake.repository;
    const root = repo.commit();
    const shas = repo.line(5, { files: ["src/x.ts"] });
    const head = shas[4]!;
    const result = await whatShips(github, request(root, head), { pageSize: 2, concurrency: 1 });
    expect(result.commits.map((c) => c.sha)).toEqual(shas);
    expect(result.files).toEqual([{ path: "src/x.ts", status: "modified" }]);
    expect(result.migrations).toEqual([]);
    expect(mayHoldMigrations(result)).toBe(false);
    expect(fake.log()).toEqual([
      compare(root, head, 1, 2),
      compare(root, head, 2, 2),
      compare(root, head, 3, 2),
      ...shas.map((sha) => pullsOf(sha, 2)),
    ]);
  });

  test("a comparison whose pages run dry before its total says how many commits it listed", async () => {
    const repo = fake.repository;
    const root = repo.commit();
    const shas = repo.line(3);
    const [base, head] = [repo.get(root), repo.get(shas[2]!)];
    const hosts = { api: fake.url, web: "https://github.com" };
    const empty = comparisonJson(
      repo,
      base,
      head,
      repo.compare(base, head),
      { commits: [] },
      hosts,
    );
    fake.fault("get /repos/{owner}/{repo}/compare/{basehead}", {
      kind: "answer",
      status: 200,
      body: empty,
    });
    const result = await whatShips(github, request(root, shas[2]!), {
      pageSize: 2,
      concurrency: 1,
    });
    // The first page came back empty (scripted); the second lists the third commit, the third none.
    expect(result.commits.map((c) => c.sha)).toEqual([shas[2]]);
    expect(result.undetermined).toEqual([
      "GitHub listed 1 of the 3 commits; the others are not shown.",
    ]);
    expect(fake.log().slice(0, 3)).toEqual([
      compare(root, shas[2]!, 1, 2),
      compare(root, shas[2]!, 2, 2),
      compare(root, shas[2]!, 3, 2),
    ]);
    expect(mayHoldMigrations(result)).toBe(true);
  });

  test("production ahead of staging: behind, nothing to ship, and how far behind", async () => {
    const repo = fake.repository;
    const staging = repo.commit();
    const [, production] = repo.line(2);
    const result = await whatShips(github, request(production!, staging), { concurrency: 1 });
    expect(result).toMatchObject({
      status: "behind",
      aheadBy: 0,
      behindBy: 2,
      commits: [],
      files: [],
    });
    expect(fake.log()).toEqual([compare(production!, staging)]);
  });

  test("production and staging diverged: staging's own commits, and production's count", async () => {
    const repo = fake.repository;
    const root = repo.commit();
    const hotfix = repo.commit({ message: "Hotfix on production", files: ["src/hot.ts"] });
    const feature = repo.commit({ message: "Feature", parents: [root], files: ["src/feature.ts"] });
    const result = await whatShips(github, request(hotfix, feature), { concurrency: 1 });
    expect(result).toMatchObject({
      status: "diverged",
      aheadBy: 1,
      behindBy: 1,
      commits: [commitEntry(feature, "Feature", "octocat", [])],
      files: [{ path: "src/feature.ts", status: "modified" }],
    });
  });

  test("a commit GitHub does not know (force-pushed away): said, not guessed", async () => {
    const production = fake.repository.commit();
    const gone = "0123456789abcdef0123456789abcdef01234567";
    const result = await whatShips(github, request(production, gone));
    expect(result).toEqual(
      nothingShips(production, gone, {
        status: "unknown-commit",
        unknownCommits: [{ role: "head", sha: gone }],
      }),
    );
    expect(mayHoldMigrations(result)).toBe(true);
    expect(fake.log()).toEqual([
      compare(production, gone),
      `GET ${REPO}/commits/${production}?per_page=1`,
      `GET ${REPO}/commits/${gone}?per_page=1`,
    ]);
  });

  test("both commits unknown: both named", async () => {
    fake.repository.commit();
    const a = "a".repeat(40);
    const b = "b".repeat(40);
    const result = await whatShips(github, request(a, b));
    expect(result.unknownCommits).toEqual([
      { role: "base", sha: a },
      { role: "head", sha: b },
    ]);
  });

  test("a repository the token cannot see: bad input naming the setting and the fix", async () => {
    const sha = fake.repository.commit();
    const error = await rejectionOf<SlipwayError>(
      whatShips(github, {
        ...request(sha, "f".repeat(40)),
        repository: { ...REPOSITORY, repository: "gone" },
      }),
    );
    expect(error).toBeInstanceOf(SlipwayError);
    expect(error.message).toBe(
      "slipway:github.repository: GitHub answers 404 for acme/gone: it does not exist, or GITHUB_TOKEN cannot read it. " +
        "Allowed: the application's repository, readable with the token. Fix: correct slipway:github.owner and " +
        "slipway:github.repository in the production stack's file, or use a token that can read the repository.",
    );
    expect(fake.log()).toEqual([
      `GET /repos/acme/gone/compare/${sha}...${"f".repeat(40)}?per_page=100&page=1`,
      `GET /repos/acme/gone/commits/${sha}?per_page=1`,
    ]);
  });

  test("a 404 comparison of two commits GitHub knows is a bug to report, not a guess", async () => {
    const repo = fake.repository;
    const [base, head] = [repo.commit(), repo.commit()];
    fake.fault("get /repos/{owner}/{repo}/compare/{basehead}", {
      kind: "status",
      status: 404,
      message: "Not Found",
    });
    const error = await rejectionOf(whatShips(github, request(base, head)));
    expect(error.message).toBe(
      `GitHub could not compare ${base}...${head} in acme/acme-web but knows both commits`,
    );
  });

  test("a failure while finding the unknown commit is GitHub's failure", async () => {
    const repo = fake.repository;
    const base = repo.commit();
    fake.fault("get /repos/{owner}/{repo}/commits/{ref}", {
      kind: "status",
      status: 400,
      message: "Bad Request",
    });
    const error = await rejectionOf(whatShips(github, request(base, "c".repeat(40))));
    expect(GithubApiError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      `GitHub: GET ${REPO}/commits/${base}?per_page=1: answered 400 (Bad Request) [request id FAKE:0001]`,
    );
  });

  test("direct pushes with no pull request are listed as commits without one", async () => {
    const repo = fake.repository;
    const root = repo.commit();
    const pushed = repo.commit({ message: "Quick fix", files: ["Procfile"] });
    const result = await whatShips(github, request(root, pushed));
    expect(result.commits).toEqual([commitEntry(pushed, "Quick fix", "octocat", [])]);
    expect(result.pullRequests).toEqual([]);
    expect(result.buildFiles).toEqual([{ path: "Procfile", status: "modified" }]);
  });
});

describe("whatShips past the comparison's 300-file cap", () => {
  /** 301 files in one pull request, a renamed migration in another, and a direct commit. */
  function bigHistory() {
    const repo = fake.repository;
    const root = repo.commit();
    const many = Array.from(
      { length: 301 },
      (_, i) => `src/generated/file-${String(i).padStart(3, "0")}.ts`,
    );
    const big = repo.commit({ message: "Generate clients", files: many });
    const moved = repo.commit({
      message: "Archive an old migration",
      files: [
        { path: "archive/7_drop.sql", previousPath: "migrations/7_drop.sql", status: "renamed" },
      ],
    });
    const direct = repo.commit({ message: "Pin node", files: [".nvmrc", "db/migrate/8_add.rb"] });
    repo.pull({ commits: [big], title: "Clients", base: "main" });
    repo.pull({ commits: [moved], title: "Archive", base: "main" });
    return { root, big, moved, direct, many };
  }

  test("files come from each merged pull request and each direct commit, paged", async () => {
    const { root, big, moved, direct, many } = bigHistory();
    const result = await whatShips(github, request(root, direct), { concurrency: 1, progress });
    expect(result.filesFrom).toBe("pull-requests-and-commits");
    expect(result.files).toEqual([
      ...many.map((path) => ({ path, status: "modified" })),
      { path: "archive/7_drop.sql", previousPath: "migrations/7_drop.sql", status: "renamed" },
      { path: ".nvmrc", status: "modified" },
      { path: "db/migrate/8_add.rb", status: "modified" },
    ]);
    expect(result.migrations).toEqual([
      { path: "archive/7_drop.sql", previousPath: "migrations/7_drop.sql", status: "renamed" },
      { path: "db/migrate/8_add.rb", status: "modified" },
    ]);
    expect(result.undetermined).toEqual([]);
    expect(fake.log()).toEqual([
      compare(root, direct),
      pullsOf(big),
      pullsOf(moved),
      pullsOf(direct),
      `GET ${REPO}/pulls/1/files?per_page=100`,
      `GET ${REPO}/pulls/1/files?per_page=100&page=2`,
      `GET ${REPO}/pulls/1/files?per_page=100&page=3`,
      `GET ${REPO}/pulls/1/files?per_page=100&page=4`,
      `GET ${REPO}/pulls/2/files?per_page=100`,
      `GET ${REPO}/commits/${direct}`,
    ]);
    expect(events[2]).toEqual({
      step: "changes",
      message:
        "the comparison lists its first 300 files only: reading the files of 2 pull requests and 1 direct commits",
    });
  });

  test("a pull request or commit past GitHub's 3000-file list is reported as undetermined", async () => {
    const repo = fake.repository;
    const root = repo.commit();
    const huge = Array.from({ length: 3000 }, (_, i) => `vendor/f${i}.js`);
    const inPull = repo.commit({ message: "Vendor", files: huge });
    const direct = repo.commit({
      message: "Vendor again",
      files: huge.map((f) => f.replace("vendor", "lib")),
    });
    repo.pull({ commits: [inPull], base: "main" });
    const result = await whatShips(github, request(root, direct), { concurrency: 1 });
    expect(result.undetermined).toEqual([
      "Pull request #1 changes more than GitHub lists (3000 files); files past those are not checked for migrations.",
      `Commit ${direct.slice(0, 7)} changes more than GitHub lists (3000 files); files past those are not checked for migrations.`,
    ]);
    expect(result.files).toHaveLength(6000);
    expect(mayHoldMigrations(result)).toBe(true);
    expect(
      fake
        .log()
        .filter((l) => l.includes(`/commits/${direct}`) && !l.endsWith("/pulls?per_page=100")),
    ).toEqual([
      `GET ${REPO}/commits/${direct}`,
      ...Array.from({ length: 9 }, (_, i) => `GET ${REPO}/commits/${direct}?page=${i + 2}`),
    ]);
  });
});

describe("whatShips when GitHub fails", () => {
  test("a 5xx is retried, and the sequence shows it", async () => {
    const repo = fake.repository;
    const root = repo.commit();
    const head = repo.commit();
    fake.fault("get /repos/{owner}/{repo}/compare/{basehead}", { kind: "status", status: 502 });
    fake.fault("get /repos/{owner}/{repo}/commits/{commit_sha}/pulls", { kind: "reset" });
    const result = await whatShips(github, request(root, head));
    expect(result.commits.map((c) => c.sha)).toEqual([head]);
    expect(fake.log()).toEqual([
      compare(root, head),
      compare(root, head),
      pullsOf(head),
      pullsOf(head),
    ]);
  });

  test("a 5xx that outlasts the retries is a GithubApiError saying what GitHub answered", async () => {
    const repo = fake.repository;
    const root = repo.commit();
    const head = repo.commit();
    const bad = { kind: "status", status: 503, message: "Service Unavailable" } as const;
    fake.fault("get /repos/{owner}/{repo}/compare/{basehead}", bad, bad, bad, bad);
    const error = await rejectionOf<GithubApiError>(whatShips(github, request(root, head)));
    expect(error).toBeInstanceOf(GithubApiError);
    expect(error.message).toBe(
      `GitHub: GET ${REPO}/compare/${root}...${head}?per_page=100&page=1: answered 503 (Service Unavailable) [request id FAKE:0003]`,
    );
    expect(fake.log()).toEqual(Array.from({ length: 4 }, () => compare(root, head)));
  });

  test("a failure while listing pull requests is mapped the same way", async () => {
    const repo = fake.repository;
    const root = repo.commit();
    const head = repo.commit();
    fake.fault("get /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
      kind: "status",
      status: 403,
      message: "Resource not accessible by integration",
    });
    const error = await rejectionOf<SlipwayError>(whatShips(github, request(root, head)));
    expect(error).toBeInstanceOf(SlipwayError);
    expect(error.message).toBe(
      `GITHUB_TOKEN: GitHub refused GET ${REPO}/commits/${head}/pulls?per_page=100 (403 Resource not accessible by integration). ` +
        "Allowed: a token that can read acme/acme-web's contents and pull requests. Fix: give the token that access, or set GITHUB_TOKEN to one that has it.",
    );
  });
});
