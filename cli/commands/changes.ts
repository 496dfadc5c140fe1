// `slipway changes`: what promoting staging would ship to production, as text, JSON or Markdown
// (the deploy workflow appends the Markdown to its step summary). The document goes to stdout,
// progress to stderr.
import { HerokuClient } from "../../heroku/client";
import { createGithubClient } from "../../operations/github/client";
import { GithubApiError } from "../../operations/github/errors";
import { isDeliveryError, preflightProblem } from "../../operations/deploy-report";
import { promotionChanges } from "../../operations/what-ships";
import { oneOf, parseFlags } from "../args";
import type { Command } from "../command";
import { EXIT } from "../exit-codes";
import { progressPrinter } from "../progress";
import { findProjectDir } from "../project";
import { promoteTarget } from "../promote-target";
import { renderPromotion } from "../render/changes";

const FORMATS = ["text", "json", "markdown"] as const;

/** The flags `changes` and `promote` share: where things are, each defaulting to the stack files. */
export const TARGET_FLAGS = {
  dir: { type: "string" },
  app: { type: "string" },
  "staging-app": { type: "string" },
  repository: { type: "string" },
} as const;

export const TARGET_OPTIONS = [
  "--dir DIR          the slipway project folder (default: the nearest folder with Pulumi.yaml)",
  "--app NAME         the production app (default: Pulumi.production.yaml's)",
  "--staging-app NAME the staging app (default: Pulumi.staging.yaml's)",
  "--repository O/N   the application's GitHub repository (default: slipway:github of production)",
];

export const changesCommand: Command = {
  name: "changes",
  summary: "what promoting staging would ship: commits, merged pull requests, migrations flagged",
  options: [
    "--release ID       staging's release to compare (default: its newest)",
    ...TARGET_OPTIONS,
    "--format FORMAT    text (default), json, or markdown (a step summary, a PR comment)",
  ],
  exitCodes:
    "0 reported (also when a commit cannot be known: the report says why), 1 Heroku or GitHub " +
    "failed (nothing was read), 2 bad input (GITHUB_TOKEN, HEROKU_API_KEY, a flag), 3 internal error",
  async run(args, { io, cwd, env }) {
    const { values } = parseFlags("changes", args, {
      ...TARGET_FLAGS,
      release: { type: "string" },
      format: { type: "string", default: "text" },
    });
    const format = oneOf("--format", values.format, FORMATS, "markdown");
    const target = promoteTarget(findProjectDir(cwd, values.dir), values);
    const progress = progressPrinter((text) => io.stderr(text));
    const client = new HerokuClient({ env });
    // Made up front so a missing GITHUB_TOKEN is bad input before Heroku is asked anything.
    const github = createGithubClient(env, { progress });
    try {
      const shipped = await promotionChanges(
        client,
        () => github,
        {
          productionApp: target.productionApp,
          stagingApp: target.stagingApp,
          stagingRelease: values.release,
          repository: target.repository,
          migrationPaths: target.deploy.migrationPaths,
          buildPaths: target.deploy.buildPaths,
        },
        progress,
      );
      io.stdout(renderPromotion(shipped, format));
      return EXIT.ok;
    } catch (error) {
      preflightProblem(error, target.productionApp);
      preflightProblem(error, target.stagingApp);
      if (!GithubApiError.isInstance(error) && !isDeliveryError(error)) throw error;
      io.stderr(`slipway: what ships could not be read: ${error.message}\n`);
      return EXIT.refused;
    }
  },
};
