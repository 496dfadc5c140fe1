import { changesHeadline, inline, MARKDOWN_ROWS, renderChanges } from "../../cli/render/changes";
import type { WhatShips } from "../../operations/github/changes";

const WEB = "https://github.com/acme/acme-web";
const BASE = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const HEAD = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

const SHIPS: WhatShips = {
  repository: "acme/acme-web",
  base: BASE,
  head: HEAD,
  status: "ahead",
  aheadBy: 2,
  behindBy: 0,
  unknownCommits: [],
  compareUrl: `${WEB}/compare/${BASE}...${HEAD}`,
  commits: [
    {
      sha: "3333333ccc",
      shortSha: "3333333",
      title: "Add users | admins @ops",
      author: "alice",
      url: `${WEB}/commit/3333333ccc`,
      pullRequests: [7],
    },
    {
      sha: HEAD,
      shortSha: "2222222",
      title: "Bump the lockfile",
      author: "Release Robot",
      url: `${WEB}/commit/${HEAD}`,
      pullRequests: [],
    },
  ],
  pullRequests: [
    {
      number: 7,
      title: "Users *and* admins",
      author: "alice",
      url: `${WEB}/pull/7`,
      mergedAt: "2025-01-06T09:02:00Z",
      baseBranch: "main",
    },
  ],
  files: [
    { path: "migrations/001_users.sql", status: "added" },
    { path: "db/seeds/1.rb", previousPath: "db/migrate/1.rb", status: "renamed" },
    { path: "package-lock.json", status: "modified" },
  ],
  filesFrom: "comparison",
  migrations: [
    { path: "migrations/001_users.sql", status: "added" },
    { path: "db/seeds/1.rb", previousPath: "db/migrate/1.rb", status: "renamed" },
  ],
  buildFiles: [{ path: "package-lock.json", status: "modified" }],
  undetermined: [],
};

const NOTHING: WhatShips = {
  ...SHIPS,
  status: "identical",
  head: BASE,
  aheadBy: 0,
  compareUrl: undefined,
  commits: [],
  pullRequests: [],
  files: [],
  filesFrom: "none",
  migrations: [],
  buildFiles: [],
};

describe("text", () => {
  test("migrations first and loud, then pull requests, commits and build changes", () => {
    expect(renderChanges(SHIPS, "text")).toBe(
      [
        "What ships to production from acme/acme-web: 2 commits, 1 pull request, 2 migrations (1111111...2222222).",
        `  ${WEB}/compare/${BASE}...${HEAD}`,
        "",
        "MIGRATIONS (2): read them before promoting",
        "  ! migrations/001_users.sql (added)",
        "  ! db/seeds/1.rb (renamed from db/migrate/1.rb)",
        "",
        "Pull requests (1):",
        `  #7 Users *and* admins (alice, into main) ${WEB}/pull/7`,
        "",
        "Commits (2):",
        "  3333333 Add users | admins @ops (alice) #7",
        "  2222222 Bump the lockfile (Release Robot) no pull request",
        "",
        "Build changes (1):",
        "  package-lock.json (modified)",
        "",
      ].join("\n"),
    );
  });

  test("nothing to ship is one line", () => {
    expect(renderChanges(NOTHING, "text")).toBe(
      "What ships to production from acme/acme-web: Nothing ships: production and staging run the same commit (1111111).\n",
    );
  });

  test("what could not be determined is listed, with the file list's source past the cap", () => {
    const capped: WhatShips = {
      ...SHIPS,
      filesFrom: "pull-requests-and-commits",
      undetermined: [
        "Pull request #7 changes more than GitHub lists (3000 files); files past those are not checked for migrations.",
      ],
    };
    expect(renderChanges(capped, "text").split("\n").slice(-5)).toEqual([
      "",
      "Could not be determined:",
      "  - The comparison lists 300 files at most: the files shown are those of each pull request and direct commit, which may include changes undone later in the range.",
      "  - Pull request #7 changes more than GitHub lists (3000 files); files past those are not checked for migrations.",
      "",
    ]);
  });
});

describe("headline", () => {
  test.each<[string, Partial<WhatShips>, string]>([
    [
      "one of each",
      { aheadBy: 1, migrations: [SHIPS.migrations[0]!] },
      "1 commit, 1 pull request, 1 migration (1111111...2222222).",
    ],
    [
      "behind",
      { status: "behind", aheadBy: 0, behindBy: 3 },
      "Nothing new ships, and production has 3 commits staging lacks (1111111 is ahead of 2222222): promoting would take them out of production.",
    ],
    [
      "behind by one",
      { status: "behind", aheadBy: 0, behindBy: 1 },
      "Nothing new ships, and production has 1 commit staging lacks (1111111 is ahead of 2222222): promoting would take them out of production.",
    ],
    [
      "diverged",
      { status: "diverged", aheadBy: 2, behindBy: 1 },
      "Production and staging have diverged: staging brings 2 commits, and promoting would take out 1 commit only production has.",
    ],
    [
      "diverged by several",
      { status: "diverged", aheadBy: 1, behindBy: 4 },
      "Production and staging have diverged: staging brings 1 commit, and promoting would take out 4 commits only production has.",
    ],
    [
      "unknown commits",
      {
        status: "unknown-commit",
        unknownCommits: [
          { role: "base", sha: BASE },
          { role: "head", sha: HEAD },
        ],
      },
      "What ships cannot be determined: GitHub does not know production's commit 1111111 or staging's commit 2222222 (force-pushed away, or from another repository).",
    ],
  ])("%s", (_what, change, expected) => {
    expect(changesHeadline({ ...SHIPS, ...change })).toBe(expected);
  });
});

describe("markdown", () => {
  test("fits a step summary and a PR comment: alert for migrations, tables, nobody mentioned", () => {
    expect(renderChanges(SHIPS, "markdown")).toBe(
      [
        "### What ships to production",
        "",
        `\`acme/acme-web\` [\`1111111...2222222\`](${WEB}/compare/${BASE}...${HEAD}): 2 commits, 1 pull request, 2 migrations (1111111...2222222).`,
        "",
        "> [!WARNING]",
        "> **2 migrations** ship: read them before promoting; an automatic rollback would run the old code on the migrated schema.",
        ">",
        "> - `migrations/001_users.sql` (added)",
        "> - `db/seeds/1.rb` (renamed from `db/migrate/1.rb`)",
        "",
        "#### Pull requests (1)",
        "",
        "| Pull request | Title | Author | Into |",
        "| --- | --- | --- | --- |",
        `| [#7](${WEB}/pull/7) | Users \\*and\\* admins | alice | \`main\` |`,
        "",
        "#### Commits (2)",
        "",
        "| Commit | Title | Author | Pull request |",
        "| --- | --- | --- | --- |",
        `| [\`3333333\`](${WEB}/commit/3333333ccc) | Add users \\| admins &#64;ops | alice | #7 |`,
        `| [\`2222222\`](${WEB}/commit/${HEAD}) | Bump the lockfile | Release Robot | none: pushed directly |`,
        "",
        "#### Build changes (1)",
        "",
        "- `package-lock.json` (modified)",
        "",
      ].join("\n"),
    );
  });

  test("a caution when production has commits staging lacks; no link without a comparison", () => {
    const lines = renderChanges({ ...NOTHING, status: "behind", behindBy: 2 }, "markdown").split(
      "\n",
    );
    expect(lines.slice(0, 6)).toEqual([
      "### What ships to production",
      "",
      "`acme/acme-web` `1111111...1111111`: Nothing new ships, and production has 2 commits staging lacks (1111111 is ahead of 1111111): promoting would take them out of production.",
      "",
      "> [!CAUTION]",
      "> Nothing new ships, and production has 2 commits staging lacks (1111111 is ahead of 1111111): promoting would take them out of production.",
    ]);
  });

  test(`long lists stop after ${MARKDOWN_ROWS} rows and point to the comparison`, () => {
    const commits = Array.from({ length: MARKDOWN_ROWS + 3 }, (_, i) => ({
      ...SHIPS.commits[1]!,
      shortSha: `c${i}`,
    }));
    const lines = renderChanges({ ...SHIPS, commits }, "markdown").split("\n");
    const rows = lines.filter((l) => l.startsWith("| [`c"));
    expect(rows).toHaveLength(MARKDOWN_ROWS);
    expect(lines).toContain(`and 3 more: [see the comparison](${WEB}/compare/${BASE}...${HEAD})`);
    const files = Array.from({ length: MARKDOWN_ROWS + 1 }, (_, i) => ({
      path: `Procfile${i}`,
      status: "added",
    }));
    const noLink = renderChanges(
      { ...SHIPS, compareUrl: undefined, buildFiles: files },
      "markdown",
    );
    expect(noLink.split("\n")).toContain("and 1 more.");
  });

  test("undetermined notes are listed", () => {
    const text = renderChanges(
      { ...SHIPS, undetermined: ["GitHub listed 5 of the 6 commits; the others are not shown."] },
      "markdown",
    );
    expect(
      text.endsWith(
        "#### Could not be determined\n\n- GitHub listed 5 of the 6 commits; the others are not shown.\n",
      ),
    ).toBe(true);
  });
});

test("json is the answer itself", () => {
  expect(JSON.parse(renderChanges(SHIPS, "json"))).toEqual(SHIPS);
});

test.each([
  ["a | b", "a \\| b"],
  [
    "*bold* _it_ `code` [link](x) <b> ~s~ \\",
    "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\<b\\> \\~s\\~ \\\\",
  ],
  ["thanks @octocat", "thanks &#64;octocat"],
  ["  two\n lines ", "two lines"],
])("inline(%j)", (text, expected) => {
  expect(inline(text)).toBe(expected);
});
