// The GitHub fake's own behaviour: GitHub's caps and paging, its errors, and the OpenAPI check
// that keeps its answers honest.
import { CAPS } from "./fake";
import { githubOpenApi, toJsonSchema } from "./fake/openapi";
import { combine, FakeCommit } from "./fake/repository";
import { fake, useFakeGithub } from "./fake-suite";

useFakeGithub();

async function get(path: string, token: string | null = fake.token) {
  const response = await fetch(`${fake.url}${path}`, {
    headers: token === null ? {} : { authorization: `token ${token}` },
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

const REPO = "/repos/acme/acme-web";

describe("compare", () => {
  test("unpaged: the newest 250 commits and the first 300 files", async () => {
    const repo = fake.repository;
    const root = repo.commit();
    const shas = repo.line(260, { files: [] });
    repo.commit({ files: Array.from({ length: 310 }, (_, i) => `f${i}`) });
    const head = repo.commits.at(-1)!.sha;
    const { status, body, headers } = await get(`${REPO}/compare/${root}...${head}`);
    expect(status).toBe(200);
    expect(body.total_commits).toBe(261);
    const commits = body.commits as { sha: string }[];
    expect(commits.map((c) => c.sha)).toEqual([...shas.slice(11), head]);
    expect((body.files as unknown[]).length).toBe(CAPS.compareFiles);
    expect(headers.get("link")).toBe(null);
  });

  test("paged: Link headers, and files on the first page only", async () => {
    const repo = fake.repository;
    const root = repo.commit();
    const shas = repo.line(3, { files: ["a.txt"] });
    const first = await get(`${REPO}/compare/${root}...${shas[2]}?per_page=2`);
    const url = `${fake.url}${REPO}/compare/${root}...${shas[2]}`;
    expect(first.headers.get("link")).toBe(
      `<${url}?per_page=2&page=2>; rel="next", <${url}?per_page=2&page=2>; rel="last"`,
    );
    expect((first.body.files as unknown[]).length).toBe(1);
    const second = await get(`${REPO}/compare/${root}...${shas[2]}?per_page=2&page=2`);
    expect((second.body.commits as { sha: string }[]).map((c) => c.sha)).toEqual([shas[2]]);
    expect(second.body.files).toBeUndefined();
    expect(second.headers.get("link")).toBe(
      `<${url}?per_page=2&page=1>; rel="prev", <${url}?per_page=2&page=1>; rel="first"`,
    );
  });

  test("an unknown commit is a 404, as GitHub answers it", async () => {
    const root = fake.repository.commit();
    expect(await get(`${REPO}/compare/${root}...${"0".repeat(40)}`)).toMatchObject({
      status: 404,
      body: { message: "Not Found", status: "404" },
    });
  });
});

describe("requests GitHub refuses", () => {
  test.each([
    ["no token", null, `${REPO}/commits/x`, 401, "Bad credentials"],
    ["a wrong token", "nope", `${REPO}/commits/x`, 401, "Bad credentials"],
    ["another repository", "ok", "/repos/acme/other/commits/x", 404, "Not Found"],
    ["an endpoint the fake does not serve", "ok", `${REPO}/branches`, 404, "Not Found"],
    [
      "an unknown commit",
      "ok",
      `${REPO}/commits/${"1".repeat(40)}`,
      422,
      `No commit found for SHA: ${"1".repeat(40)}`,
    ],
    [
      "an unknown commit's pulls",
      "ok",
      `${REPO}/commits/${"1".repeat(40)}/pulls`,
      422,
      `No commit found for SHA: ${"1".repeat(40)}`,
    ],
    ["an unknown pull request", "ok", `${REPO}/pulls/9/files`, 404, "Not Found"],
  ])("%s", async (_what, token, path, status, message) => {
    fake.repository.commit();
    const answer = await get(path, token === "ok" ? fake.token : token);
    expect(answer.status).toBe(status);
    expect(answer.body.message).toBe(message);
  });

  test("every answer carries the rate-limit headers", async () => {
    const sha = fake.repository.commit();
    const { headers } = await get(`${REPO}/commits/${sha}`);
    expect(headers.get("x-ratelimit-limit")).toBe("5000");
    expect(headers.get("x-ratelimit-remaining")).toBe("4999");
    expect(headers.get("x-ratelimit-used")).toBe("1");
    expect(headers.get("x-ratelimit-resource")).toBe("core");
  });
});

describe("the OpenAPI check", () => {
  const openapi = githubOpenApi();

  test("names what is wrong with an answer", () => {
    expect(
      openapi.check("get /repos/{owner}/{repo}/pulls/{pull_number}/files", 200, [
        { filename: "a" },
      ]),
    ).toBe("0.additions: must have required property 'additions'");
    expect(
      openapi.check("get /repos/{owner}/{repo}/compare/{basehead}", 200, { status: "sideways" }),
    ).toBe("url: must have required property 'url'");
  });

  test("an error status the operation does not list is checked as GitHub's basic error", () => {
    expect(
      openapi.check("get /repos/{owner}/{repo}/compare/{basehead}", 403, { message: "x" }),
    ).toBe(undefined);
    expect(openapi.check("get /repos/{owner}/{repo}/compare/{basehead}", 403, { message: 3 })).toBe(
      "message: must be string",
    );
  });

  test.each([
    [{ type: "string", nullable: true }, { type: ["string", "null"] }],
    [
      { type: "string", enum: ["a"], nullable: true },
      { type: ["string", "null"], enum: ["a", null] },
    ],
    [
      { allOf: [{ $ref: "#/x" }], nullable: true },
      { anyOf: [{ allOf: [{ $ref: "#/x" }] }, { type: "null" }] },
    ],
    [
      { type: "integer", example: 3, properties: { a: { examples: [1], type: "string" } } },
      { type: "integer", properties: { a: { type: "string" } } },
    ],
    [{ type: "string", nullable: false }, { type: "string" }],
  ])("OpenAPI 3.0 %j is JSON Schema %j", (schema, expected) => {
    expect(toJsonSchema(schema)).toEqual(expected);
  });
});

describe("combine (a range's net file changes)", () => {
  const commit = (files: FakeCommit["files"]): FakeCommit => ({
    sha: "s",
    parents: [],
    message: "m",
    author: { name: "n", email: "e" },
    date: "2025-01-01T00:00:00Z",
    files,
  });

  test.each([
    [
      "added then modified is added",
      [[{ path: "a", status: "added" }], [{ path: "a", status: "modified" }]],
      [{ path: "a", status: "added" }],
    ],
    [
      "added then removed is gone",
      [[{ path: "a", status: "added" }], [{ path: "a", status: "removed" }]],
      [],
    ],
    [
      "modified then removed is removed",
      [[{ path: "a", status: "modified" }], [{ path: "a", status: "removed" }]],
      [{ path: "a", status: "removed" }],
    ],
    [
      "added then renamed is added under the new name",
      [[{ path: "a", status: "added" }], [{ path: "b", previousPath: "a", status: "renamed" }]],
      [{ path: "b", status: "added" }],
    ],
    [
      "renamed then modified stays renamed",
      [[{ path: "b", previousPath: "a", status: "renamed" }], [{ path: "b", status: "modified" }]],
      [{ path: "b", previousPath: "a", status: "renamed" }],
    ],
  ] as const)("%s", (_what, commits, expected) => {
    expect(combine(commits.map((files) => commit(files)))).toEqual(expected);
  });
});
