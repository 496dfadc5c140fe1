// ReviewAppConfig: Heroku review apps enabled on a pipeline, from one GitHub repository.
//
// Heroku enables review apps only on a pipeline connected to GitHub, and its public API cannot
// make that connection: a person does it once. Until then Heroku answers 404, and the error says
// how (see `notConnectedError`).
// Changes: the flags and `staleDays` change in place (PATCH); another `pipeline` or `repo`
// replaces the config, disabling the old one first (a pipeline has one).
import type * as pulumi from "@pulumi/pulumi";
import { SlipwayError } from "../../errors";
import { HerokuClient, HerokuClientOptions, herokuPath } from "../../heroku/client";
import { isNotFound, keepMessage } from "../../heroku/errors";
import { InputChecker } from "./check";
import { defineProvider, Props } from "./provider";
import { GITHUB_CONNECTED_KEY } from "./config-keys";

export interface ReviewAppConfigInputs extends Props {
  /** The pipeline's id. */
  pipeline: string;
  /** The GitHub repository as `owner/name`. */
  repo: string;
  automaticReviewApps: boolean;
  destroyStaleApps: boolean;
  staleDays: number;
  waitForCi: boolean;
  baseName?: string;
}

interface HerokuReviewAppConfig {
  automatic_review_apps: boolean;
  destroy_stale_apps: boolean;
  stale_days: number;
  wait_for_ci: boolean;
  base_name: string | null;
}

const FIELDS = [
  ["automaticReviewApps", "automatic_review_apps"],
  ["destroyStaleApps", "destroy_stale_apps"],
  ["staleDays", "stale_days"],
  ["waitForCi", "wait_for_ci"],
  ["baseName", "base_name"],
] as const;

/** The API's fields for the settings that differ from `had` (all of them when `had` is empty). */
export function reviewAppConfigBody(
  wanted: ReviewAppConfigInputs,
  had: Partial<ReviewAppConfigInputs> = {},
): Props {
  const body: Props = {};
  for (const [key, field] of FIELDS) {
    if (wanted[key] !== undefined && wanted[key] !== had[key]) body[field] = wanted[key];
  }
  return body;
}

/** The error for Heroku's 404: the pipeline is not connected to GitHub, and how to connect it. */
export function notConnectedError(pipeline: string, repo: string): SlipwayError {
  const problem =
    `Heroku answered 404 when enabling review apps on pipeline ${pipeline}: the pipeline is not ` +
    `connected to the GitHub repository ${repo} (or does not exist). Got: true, but Heroku's API ` +
    `cannot make that connection, so it is one manual step. Allowed: true only once the pipeline ` +
    `is connected. Fix: in the Heroku Dashboard open the pipeline, Settings, "Connect to GitHub" ` +
    `and choose ${repo} (or run \`heroku pipelines:connect ${pipeline} --repo ${repo}\`), then ` +
    `run \`pulumi up\` again; until then set it back with ` +
    `\`pulumi config set --path ${GITHUB_CONNECTED_KEY} false\`.`;
  const error = SlipwayError.of(GITHUB_CONNECTED_KEY, problem);
  keepMessage(error, `${GITHUB_CONNECTED_KEY}: ${problem}`);
  return error;
}

export function createReviewAppConfigProvider(
  options: HerokuClientOptions = {},
): pulumi.dynamic.ResourceProvider {
  const client = () => new HerokuClient(options);
  const path = (pipeline: string) => herokuPath`/pipelines/${pipeline}/review-app-config`;

  return defineProvider<ReviewAppConfigInputs, ReviewAppConfigInputs>({
    inputs: [
      "pipeline",
      "repo",
      "automaticReviewApps",
      "destroyStaleApps",
      "staleDays",
      "waitForCi",
      "baseName",
    ],
    replaceOn: { pipeline: true, repo: true },
    check: (news) =>
      new InputChecker(news)
        .string(
          "pipeline",
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
          "a pipeline id (a UUID)",
        )
        .string("repo", /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "a GitHub repository as owner/name")
        .boolean("automaticReviewApps", false)
        .boolean("destroyStaleApps", true)
        .integer("staleDays", 1, 30, 5)
        .boolean("waitForCi", true)
        .string(
          "baseName",
          /^[a-z][a-z0-9-]{0,19}$/,
          "a lowercase prefix for review app names",
          null,
        )
        .result(),

    async create(inputs) {
      const api = client();
      const body = { repo: inputs.repo, ...reviewAppConfigBody(inputs) };
      try {
        // One config per pipeline: one found after an uncertain create is this one.
        const { resource, adopted } = await api.createOrAdopt<HerokuReviewAppConfig>({
          path: path(inputs.pipeline),
          body,
          lookup: path(inputs.pipeline),
          matches: () => true,
          description: `review app config of pipeline ${inputs.pipeline}`,
        });
        if (adopted) {
          const fix = reviewAppConfigBody(inputs, fromHeroku(inputs, resource));
          if (Object.keys(fix).length > 0) await api.patch(path(inputs.pipeline), fix);
        }
      } catch (error) {
        if (isNotFound(error)) throw notConnectedError(inputs.pipeline, inputs.repo);
        throw error;
      }
      return { id: inputs.pipeline, outs: inputs };
    },

    async read(_id, olds) {
      const config = await client().getOrUndefined<HerokuReviewAppConfig>(path(olds.pipeline));
      return config === undefined ? undefined : fromHeroku(olds, config);
    },

    async update(_id, olds, news) {
      const body = reviewAppConfigBody(news, olds);
      if (Object.keys(body).length > 0) await client().patch(path(news.pipeline), body);
      return news;
    },

    async delete(_id, olds) {
      await client().deleteIgnoringNotFound(path(olds.pipeline));
    },
  });
}

/** The inputs as Heroku has them (it shows the repository by id only, so `repo` is kept). */
function fromHeroku(
  olds: ReviewAppConfigInputs,
  config: HerokuReviewAppConfig,
): ReviewAppConfigInputs {
  return {
    pipeline: olds.pipeline,
    repo: olds.repo,
    automaticReviewApps: config.automatic_review_apps,
    destroyStaleApps: config.destroy_stale_apps,
    staleDays: config.stale_days,
    waitForCi: config.wait_for_ci,
    baseName: config.base_name ?? undefined,
  };
}

export const reviewAppConfigProvider = createReviewAppConfigProvider();
