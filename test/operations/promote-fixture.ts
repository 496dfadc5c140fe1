// The world promote tests share: the fake Heroku with the staging app (from the delivery
// fixture), the production app, both in one pipeline, each with a release built from a commit
// of the fake GitHub repository (production at `base`, staging at `head`), and the fake RDS
// with production's database. `run` calls promote with everything pointed at the fakes.
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { createRdsClient } from "../../operations/aws/rds";
import { createGithubClient } from "../../operations/github/client";
import { promote, PromoteDeps, PromoteRequest, PromoteResult } from "../../operations/promote";
import type { PromotionChanges } from "../../operations/what-ships";
import { FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY, FakeRds, startFakeRds } from "../aws/rds-fake";
import { FakeGithub, FakeRepository, startFakeGithub } from "../github/fake";
import type { HerokuClient } from "../../heroku/client";
import { APP, HerokuFixture, useHerokuFixture } from "../heroku/delivery-fixture";
import { released } from "../heroku/delivery-support";
import type { Release } from "../heroku/fake";

export const PRODUCTION = "acme-web";
export const STAGING = APP;

export interface PromoteWorld {
  readonly heroku: HerokuFixture;
  readonly github: FakeGithub;
  readonly rds: FakeRds;
  /** Production's commit and staging's. */
  readonly base: string;
  readonly head: string;
  readonly productionRelease: Release;
  readonly stagingRelease: Release;
  readonly pipelineId: string;
  /** What `confirm` was shown, each time it was asked. */
  readonly shown: PromotionChanges[];
}

export const REQUEST: PromoteRequest = {
  productionApp: PRODUCTION,
  stagingApp: STAGING,
  repository: {
    owner: "acme",
    repository: "acme-web",
    productionBranch: "main",
    stagingBranch: "staging",
  },
  migrationPaths: ["migrations/"],
  buildPaths: ["package-lock.json"],
  databaseIdentifier: "acme-web-db",
  region: "us-east-1",
  productionHealthPath: "/health",
  stagingHealthPath: "/health",
  pollIntervalMs: 2_000,
  healthWindowMs: 20_000,
  healthChecks: 2,
  snapshotTimeoutSeconds: 600,
  snapshotsKept: 10,
  rollback: "auto",
};

/** The fakes' environment, as a CI job would set it. */
export function envOf(world: Pick<PromoteWorld, "heroku" | "github" | "rds">) {
  return {
    HEROKU_API_KEY: world.heroku.fake.token,
    HEROKU_API_URL: world.heroku.fake.url,
    GITHUB_TOKEN: world.github.token,
    GITHUB_API_URL: world.github.url,
    AWS_ENDPOINT_URL_RDS: world.rds.url,
    AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: FAKE_SECRET_ACCESS_KEY,
  };
}

/** Registers the hooks; returns the current test's world. */
export function usePromoteWorld(): () => PromoteWorld {
  const heroku = useHerokuFixture();
  let github: FakeGithub;
  let rds: FakeRds;
  let world: PromoteWorld;
  beforeAll(async () => {
    github = await startFakeGithub();
    rds = await startFakeRds();
  });
  afterAll(async () => {
    await github.close();
    await rds.close();
  });
  beforeEach(async () => {
    github.reset();
    rds.reset();
    const fixture = heroku();
    const made = await setUpPromotion(fixture.client, github.repository);
    fixture.fake.clearRequests();
    world = { heroku: fixture, github, rds, ...made, shown: [] };
  });
  afterEach(() => expect(github.answerProblems).toEqual([]));
  return () => world;
}

/**
 * What a promotion starts from, on a fake Heroku where the staging app exists: the production
 * app (runtime dyno metadata on), both coupled into one pipeline, production's release built
 * from the repository's first commit and staging's from the second (`src/users.ts`; tests
 * make it a migration through `migrationPaths`), merged through pull request #1. The benchmark uses it too.
 */
export async function setUpPromotion(
  client: HerokuClient,
  repository: FakeRepository,
): Promise<{
  base: string;
  head: string;
  productionRelease: Release;
  stagingRelease: Release;
  pipelineId: string;
}> {
  const base = repository.commit({ message: "Initial commit", files: ["README.md"] });
  const head = repository.commit({
    message: "Add users",
    files: ["src/users.ts"],
  });
  repository.pull({ title: "Users", commits: [head], base: "main" });
  await client.post("/apps", { name: PRODUCTION });
  await client.patch(`/apps/${PRODUCTION}/features/runtime-dyno-metadata`, { enabled: true });
  const pipeline = await client.post<{ id: string }>("/pipelines", { name: "acme-web" });
  for (const [app, stage] of [
    [STAGING, "staging"],
    [PRODUCTION, "production"],
  ]) {
    await client.post("/pipeline-couplings", { app, pipeline: pipeline.id, stage });
  }
  const productionRelease = (await released(client, PRODUCTION, base)).release;
  const stagingRelease = (await released(client, STAGING, head)).release;
  return { base, head, productionRelease, stagingRelease, pipelineId: pipeline.id };
}

/** promote against the world's fakes; `confirm` says yes unless given. */
export function runPromote(
  world: PromoteWorld,
  request: Partial<PromoteRequest> = {},
  deps: Partial<PromoteDeps> = {},
): Promise<PromoteResult> {
  const { client, clock, progress, fake } = world.heroku;
  const env = envOf(world);
  return promote(
    { ...REQUEST, ...request },
    {
      client,
      clock,
      progress,
      fetch: fake.webFetch,
      github: () => createGithubClient(env, { waitUnitMs: 1 }),
      rds: () =>
        createRdsClient("us-east-1", env, {
          retryStrategy: new ConfiguredRetryStrategy(3, () => 1),
        }),
      confirm: (changes) => {
        world.shown.push(changes);
        return Promise.resolve(true);
      },
      ...deps,
    },
  );
}

/** The Heroku requests of a run, as route keys, with the web probes told apart by app. */
export function herokuSequence(world: PromoteWorld): string[] {
  return world.heroku.fake.requests.map((r) => {
    const key = r.route ?? `${r.method} ${r.path}`;
    if (!key.startsWith("GET web:")) return key;
    return r.path.includes(STAGING) ? `${key} (staging)` : `${key} (production)`;
  });
}
