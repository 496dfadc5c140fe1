// The GitHub fake's answers, built from its repository model in the shapes GitHub's OpenAPI
// description gives (every required field, URLs that are URLs), so the schema check in
// openapi.ts holds. Pure functions of the model and the two base URLs.
import * as crypto from "node:crypto";
import type {
  Comparison,
  FakeCommit,
  FakePull,
  FakeRepository,
  FileChange,
  Person,
} from "./repository";

/** Where links point: the fake's own API URL, and a web host for `html_url`s. */
export interface Hosts {
  readonly api: string;
  readonly web: string;
}

type Json = Record<string, unknown>;

const CREATED = "2024-06-01T12:00:00Z";

function idOf(text: string): number {
  return parseInt(crypto.createHash("sha1").update(text).digest("hex").slice(0, 8), 16);
}

export function simpleUser(login: string, hosts: Hosts): Json {
  const url = `${hosts.api}/users/${login}`;
  return {
    login,
    id: idOf(login),
    node_id: `U_${login}`,
    avatar_url: `${hosts.web}/avatars/${login}`,
    gravatar_id: "",
    url,
    html_url: `${hosts.web}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: "User",
    site_admin: false,
  };
}

function gitUser(person: Person, date: string): Json {
  return { name: person.name, email: person.email, date };
}

function repoUrl(repo: FakeRepository, hosts: Hosts): string {
  return `${hosts.api}/repos/${repo.owner}/${repo.name}`;
}

export function diffEntry(
  repo: FakeRepository,
  ref: string,
  change: FileChange,
  hosts: Hosts,
): Json {
  const removed = change.status === "removed";
  return {
    sha: removed ? null : crypto.createHash("sha1").update(`${ref}\0${change.path}`).digest("hex"),
    filename: change.path,
    status: change.status,
    additions: removed ? 0 : 3,
    deletions: change.status === "added" ? 0 : 1,
    changes: removed ? 1 : change.status === "added" ? 3 : 4,
    blob_url: `${hosts.web}/${repo.owner}/${repo.name}/blob/${ref}/${change.path}`,
    raw_url: `${hosts.web}/${repo.owner}/${repo.name}/raw/${ref}/${change.path}`,
    contents_url: `${repoUrl(repo, hosts)}/contents/${change.path}?ref=${ref}`,
    ...(change.previousPath === undefined ? {} : { previous_filename: change.previousPath }),
  };
}

/** A commit as lists show it; with `files` (one page of them) as GET /commits/{ref} does. */
export function commitJson(
  repo: FakeRepository,
  commit: FakeCommit,
  hosts: Hosts,
  files?: readonly FileChange[],
): Json {
  const url = `${repoUrl(repo, hosts)}/commits/${commit.sha}`;
  const user = commit.author.login === undefined ? null : simpleUser(commit.author.login, hosts);
  return {
    url,
    sha: commit.sha,
    node_id: `C_${commit.sha.slice(0, 12)}`,
    html_url: `${hosts.web}/${repo.owner}/${repo.name}/commit/${commit.sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${repoUrl(repo, hosts)}/git/commits/${commit.sha}`,
      author: gitUser(commit.author, commit.date),
      committer: gitUser(commit.author, commit.date),
      message: commit.message,
      comment_count: 0,
      tree: {
        sha: crypto.createHash("sha1").update(`tree\0${commit.sha}`).digest("hex"),
        url: `${repoUrl(repo, hosts)}/git/trees/${commit.sha}`,
      },
      verification: {
        verified: false,
        reason: "unsigned",
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author: user,
    committer: user,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repoUrl(repo, hosts)}/commits/${sha}`,
      html_url: `${hosts.web}/${repo.owner}/${repo.name}/commit/${sha}`,
    })),
    ...(files === undefined
      ? {}
      : {
          stats: { total: files.length * 4, additions: files.length * 3, deletions: files.length },
          files: files.map((f) => diffEntry(repo, commit.sha, f, hosts)),
        }),
  };
}

export function repositoryJson(repo: FakeRepository, hosts: Hosts): Json {
  const url = repoUrl(repo, hosts);
  const web = `${hosts.web}/${repo.owner}/${repo.name}`;
  const templates = {
    archive_url: "{archive_format}{/ref}",
    assignees_url: "assignees{/user}",
    blobs_url: "git/blobs{/sha}",
    branches_url: "branches{/branch}",
    collaborators_url: "collaborators{/collaborator}",
    comments_url: "comments{/number}",
    commits_url: "commits{/sha}",
    compare_url: "compare/{base}...{head}",
    contents_url: "contents/{+path}",
    contributors_url: "contributors",
    deployments_url: "deployments",
    downloads_url: "downloads",
    events_url: "events",
    forks_url: "forks",
    git_commits_url: "git/commits{/sha}",
    git_refs_url: "git/refs{/sha}",
    git_tags_url: "git/tags{/sha}",
    hooks_url: "hooks",
    issue_comment_url: "issues/comments{/number}",
    issue_events_url: "issues/events{/number}",
    issues_url: "issues{/number}",
    keys_url: "keys{/key_id}",
    labels_url: "labels{/name}",
    languages_url: "languages",
    merges_url: "merges",
    milestones_url: "milestones{/number}",
    notifications_url: "notifications{?since,all,participating}",
    pulls_url: "pulls{/number}",
    releases_url: "releases{/id}",
    stargazers_url: "stargazers",
    statuses_url: "statuses/{sha}",
    subscribers_url: "subscribers",
    subscription_url: "subscription",
    tags_url: "tags",
    teams_url: "teams",
    trees_url: "git/trees{/sha}",
  };
  return {
    id: idOf(`${repo.owner}/${repo.name}`),
    node_id: `R_${repo.name}`,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: simpleUser(repo.owner, hosts),
    private: true,
    html_url: web,
    description: null,
    fork: false,
    url,
    ...Object.fromEntries(Object.entries(templates).map(([key, tail]) => [key, `${url}/${tail}`])),
    git_url: `git://example.invalid/${repo.owner}/${repo.name}.git`,
    ssh_url: `git@example.invalid:${repo.owner}/${repo.name}.git`,
    clone_url: `${web}.git`,
    svn_url: web,
    mirror_url: null,
    homepage: null,
    language: "TypeScript",
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 100,
    default_branch: "main",
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: CREATED,
    created_at: CREATED,
    updated_at: CREATED,
  };
}

export function pullSimple(repo: FakeRepository, pull: FakePull, hosts: Hosts): Json {
  const url = `${repoUrl(repo, hosts)}/pulls/${pull.number}`;
  const issue = `${repoUrl(repo, hosts)}/issues/${pull.number}`;
  const web = `${hosts.web}/${repo.owner}/${repo.name}/pull/${pull.number}`;
  const last = pull.commits[pull.commits.length - 1]!;
  const user = simpleUser(pull.login, hosts);
  const side = (ref: string, sha: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    repo: repositoryJson(repo, hosts),
    sha,
    user: simpleUser(repo.owner, hosts),
  });
  const link = (href: string) => ({ href });
  return {
    url,
    id: idOf(`${repo.name}#${pull.number}`),
    node_id: `PR_${pull.number}`,
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: issue,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${repoUrl(repo, hosts)}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${repoUrl(repo, hosts)}/statuses/${last}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user,
    body: null,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: CREATED,
    updated_at: pull.mergedAt ?? CREATED,
    closed_at: pull.mergedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommit ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pull.head, last),
    base: side(pull.base, repo.commits[0]!.sha),
    _links: {
      self: link(url),
      html: link(web),
      issue: link(issue),
      comments: link(`${issue}/comments`),
      review_comments: link(`${url}/comments`),
      review_comment: link(`${repoUrl(repo, hosts)}/pulls/comments{/number}`),
      commits: link(`${url}/commits`),
      statuses: link(`${repoUrl(repo, hosts)}/statuses/${last}`),
    },
    author_association: "MEMBER",
    auto_merge: null,
    draft: false,
  };
}

/** One page of a comparison: `commits` is the page's, `files` only on the first page (capped). */
export function comparisonJson(
  repo: FakeRepository,
  base: FakeCommit,
  head: FakeCommit,
  comparison: Comparison,
  page: { commits: readonly FakeCommit[]; files?: readonly FileChange[] },
  hosts: Hosts,
): Json {
  const web = `${hosts.web}/${repo.owner}/${repo.name}/compare`;
  return {
    url: `${repoUrl(repo, hosts)}/compare/${base.sha}...${head.sha}`,
    html_url: `${web}/${base.sha}...${head.sha}`,
    permalink_url: `${web}/${repo.owner}:${base.sha}...${repo.owner}:${head.sha}`,
    diff_url: `${web}/${base.sha}...${head.sha}.diff`,
    patch_url: `${web}/${base.sha}...${head.sha}.patch`,
    base_commit: commitJson(repo, base, hosts),
    merge_base_commit: commitJson(repo, comparison.mergeBase, hosts),
    status: comparison.status,
    ahead_by: comparison.ahead.length,
    behind_by: comparison.behind.length,
    total_commits: comparison.ahead.length,
    commits: page.commits.map((c) => commitJson(repo, c, hosts)),
    ...(page.files === undefined
      ? {}
      : { files: page.files.map((f) => diffEntry(repo, head.sha, f, hosts)) }),
  };
}

/** GitHub's error body (basic-error / validation-error). */
export function errorJson(message: string, status: number): Json {
  return {
    message,
    documentation_url: "https://docs.github.com/rest",
    status: String(status),
  };
}
