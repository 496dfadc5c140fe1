// What a promotion would ship, from Heroku to GitHub: the commits production and staging run
// (operations/release-commits.ts), then GitHub's answer between them (github/changes.ts). Shared
// by `slipway changes` and `slipway promote`. When a commit cannot be known, the answer says why
// instead of guessing, and counts as possibly holding migrations.
import type { HerokuClient } from "../heroku/client";
import type { GithubClient } from "./github/client";
import { mayHoldMigrations, whatShips, WhatShips } from "./github/changes";
import { ignoreProgress, ProgressListener } from "./progress";
import { productionSide, ReleaseCommit, stagingSide } from "./release-commits";
import type { RepositoryFacts } from "./stack-facts";

export interface ShipsRequest {
  readonly productionApp: string;
  readonly stagingApp: string;
  /** Staging's release to compare (id or version); its newest when absent. */
  readonly stagingRelease?: string;
  readonly repository: RepositoryFacts;
  readonly migrationPaths: readonly string[];
  readonly buildPaths: readonly string[];
}

export interface PromotionChanges {
  readonly production: ReleaseCommit;
  readonly staging: ReleaseCommit;
  /** GitHub's answer; `null` when a commit is unknown (see `unknown`). */
  readonly changes: WhatShips | null;
  /** Why `changes` is null, in one sentence; `null` when it is not. */
  readonly unknown: string | null;
  /** Whether the promotion may carry a migration (also when it cannot be told). */
  readonly mayHoldMigrations: boolean;
}

/** Heroku's two sides, then GitHub between them. GitHub's errors are the caller's to handle. */
export async function promotionChanges(
  client: HerokuClient,
  github: () => GithubClient,
  request: ShipsRequest,
  progress: ProgressListener = ignoreProgress,
): Promise<PromotionChanges> {
  const production = await productionSide(client, request.productionApp);
  const staging = await stagingSide(client, request.stagingApp, request.stagingRelease);
  return compareSides(github, request, production, staging, progress);
}

/** GitHub's answer between two known sides. */
export async function compareSides(
  github: () => GithubClient,
  request: ShipsRequest,
  production: ReleaseCommit,
  staging: ReleaseCommit,
  progress: ProgressListener = ignoreProgress,
): Promise<PromotionChanges> {
  const problems = [production.problem, staging.problem].filter((p): p is string => p !== null);
  if (problems.length > 0) {
    const unknown = `What ships cannot be determined: ${problems.join("; ")}.`;
    return { production, staging, changes: null, unknown, mayHoldMigrations: true };
  }
  const changes = await whatShips(
    github(),
    {
      repository: request.repository,
      base: production.commit!,
      head: staging.commit!,
      migrationPaths: request.migrationPaths,
      buildPaths: request.buildPaths,
    },
    { progress },
  );
  return {
    production,
    staging,
    changes,
    unknown: null,
    mayHoldMigrations: mayHoldMigrations(changes),
  };
}
