// Which commit each side runs, for the answers the fake cannot give: an app Heroku lists no
// release for, and a slug whose commit is not a SHA.
import type { HerokuClient } from "../../heroku/client";
import { sideOf, stagingSide } from "../../operations/release-commits";

/** A client whose every answer is `body`, with the paths it was asked for. */
function answering(body: unknown): { client: HerokuClient; paths: string[] } {
  const paths: string[] = [];
  const client = {
    request: (_method: string, path: string) => {
      paths.push(path);
      return Promise.resolve({ status: 200, body, headers: new Headers() });
    },
    get: (path: string) => {
      paths.push(path);
      return Promise.resolve(body);
    },
  } as unknown as HerokuClient;
  return { client, paths };
}

test("an app with no release at all says so", async () => {
  const { client, paths } = answering([]);
  expect(await stagingSide(client, "acme-web-staging")).toEqual({
    app: "acme-web-staging",
    release: null,
    status: null,
    commit: null,
    problem: "acme-web-staging has no release",
  });
  expect(paths).toEqual(["/apps/acme-web-staging/releases"]);
});

test.each([
  [null, "the slug of v7 of acme-web names no commit"],
  ["main", 'the slug of v7 of acme-web names no commit (it says "main")'],
])("a slug whose commit is %j is reported, not guessed", async (commit, problem) => {
  const { client, paths } = answering({ id: "slug-1", commit });
  const release = {
    id: "r-7",
    version: 7,
    status: "succeeded" as const,
    current: true,
    output_stream_url: null,
    slug: { id: "slug-1" },
    description: "Deploy",
    created_at: "2025-01-06T09:00:00Z",
  };
  expect(await sideOf(client, "acme-web", release)).toEqual({
    app: "acme-web",
    release: { id: "r-7", version: 7 },
    status: "succeeded",
    commit: null,
    problem,
  });
  expect(paths).toEqual(["/apps/acme-web/slugs/slug-1"]);
});

test("a SHA in capitals is the same commit", async () => {
  const { client } = answering({ id: "slug-1", commit: "ABCDEF".padEnd(40, "0") });
  const release = {
    id: "r-7",
    version: 7,
    status: "succeeded" as const,
    current: true,
    output_stream_url: null,
    slug: { id: "slug-1" },
    description: "Deploy",
    created_at: "2025-01-06T09:00:00Z",
  };
  expect((await sideOf(client, "acme-web", release)).commit).toBe("abcdef".padEnd(40, "0"));
});
