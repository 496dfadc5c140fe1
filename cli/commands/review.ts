// `slipway review <subcommand>`: per-branch review stacks. Each subcommand parses its own flags,
// runs its operation (operations/review/) with progress shown as it happens (on stderr under
// `--format json`), and prints the result. A refusal or failure that changed nothing exits 1; one
// that left something for a person to look at exits 4.
import * as path from "node:path";
import { SlipwayError } from "../../errors";
import { ReviewFailure } from "../../operations/review/failure";
import { isPullRequestNumber, reviewNames } from "../../operations/review/naming";
import type { PruneResult } from "../../operations/review/prune";
import type { ReviewContext } from "../../operations/review/session";
import { FlagSpec, oneOf, parseFlags } from "../args";
import type { Command, CommandContext } from "../command";
import { EXIT } from "../exit-codes";
import { progressPrinter } from "../progress";
import { exitCodeOf } from "./deploy";
import {
  renderDown,
  renderList,
  renderNames,
  renderPrune,
  renderUp,
  REVIEW_FORMATS,
  ReviewFormat,
} from "../review/render";

type Subcommand = (args: readonly string[], context: CommandContext) => Promise<number>;

const FORMAT = { format: { type: "string", default: "text" } } as const;
const DIR = { dir: { type: "string" } } as const;

export const reviewCommand: Command = {
  name: "review",
  summary: "per-branch review stacks: name, up, down, list, prune",
  options: [
    "name --branch B [--pr N]             the branch's review stack and app names",
    "up --branch B [--pr N] --sha S [--source DIR]  bring the stack up, deploy the commit, health check",
    "down --branch B | --stack review-<slug>  destroy a review stack and remove it",
    "list                                 review stacks: age, last update, URL, updating",
    "prune [--older-than 5d] [--dry-run]  destroy stacks idle longer (default: reviewApps.staleDays)",
    "every subcommand: --format text|json, --dir DIR (the project folder)",
    "env: PULUMI_BACKEND_URL (default file://~/.slipway/review-state), PULUMI_CONFIG_PASSPHRASE,",
    "     HEROKU_API_KEY, HEROKU_API_URL",
  ],
  exitCodes:
    "0 done, 1 refused or failed with nothing changed (another update running, a failed build or " +
    "release phase), 2 bad input (a stack or app that is not a review one), 3 internal error, " +
    "4 failed partway: a person must act (an update or destroy cut short, an unhealthy deploy, a " +
    "failed postdeploy)",
  async run(args, context) {
    const [name, ...rest] = args;
    const subcommand = name === undefined ? undefined : SUBCOMMANDS[name];
    if (subcommand === undefined) {
      throw SlipwayError.of(
        "review",
        `${name === undefined ? "needs a subcommand" : `has no subcommand ${JSON.stringify(name)}`}. ` +
          `Allowed: ${Object.keys(SUBCOMMANDS).join(", ")}. Fix: slipway review list`,
      );
    }
    try {
      return await subcommand(rest, context);
    } catch (error) {
      if (!ReviewFailure.isInstance(error)) throw error;
      context.io.stderr(`slipway: ${error.message}\n`);
      return failureExitCode(error);
    }
  },
};

const SUBCOMMANDS: Record<string, Subcommand> = {
  name: reviewName,
  up: reviewUpCommand,
  down: reviewDownCommand,
  list: reviewListCommand,
  prune: reviewPruneCommand,
};

function reviewName(args: readonly string[], { io, cwd }: CommandContext): Promise<number> {
  const { values } = parse("name", args, { branch: { type: "string" }, pr: { type: "string" } });
  const format = formatOf(values.format);
  const branch = requireBranch(values.branch);
  const pr = values.pr === undefined ? undefined : pullRequest(values.pr);
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { readReviewProfile } =
    require("../../operations/review/profile") as typeof import("../../operations/review/profile");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dir = projectDir(cwd, values.dir);
  const names = reviewNames({ branch, pr, productionApp: readReviewProfile(dir).productionApp });
  io.stdout(renderNames(names, { branch, pr }, format));
  return Promise.resolve(EXIT.ok);
}

async function reviewUpCommand(args: readonly string[], context: CommandContext) {
  const { values } = parse("up", args, {
    branch: { type: "string" },
    pr: { type: "string" },
    sha: { type: "string" },
    source: { type: "string" },
  });
  const format = formatOf(values.format);
  const branch = requireBranch(values.branch);
  const pr = values.pr === undefined ? undefined : pullRequest(values.pr);
  if (values.sha === undefined) {
    throw SlipwayError.of(
      "--sha",
      'missing. Allowed: the commit to deploy (a commit of --source). Fix: --sha "$(git rev-parse HEAD)"',
    );
  }
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { reviewUp } =
    require("../../operations/review/up") as typeof import("../../operations/review/up");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const result = await reviewUp(operationContext(values.dir, format, context), {
    branch,
    pr,
    sha: values.sha,
    sourceDir: path.resolve(context.cwd, values.source ?? "."),
  });
  context.io.stdout(renderUp(result, format));
  return exitCodeOf(result);
}

async function reviewDownCommand(args: readonly string[], context: CommandContext) {
  const { values } = parse("down", args, { branch: { type: "string" }, stack: { type: "string" } });
  const format = formatOf(values.format);
  if ((values.branch === undefined) === (values.stack === undefined)) {
    throw SlipwayError.of(
      "--branch/--stack",
      `${values.branch === undefined ? "neither is given" : "both are given"}. Allowed: exactly one. Fix: slipway review down --branch <branch>, or --stack review-<slug>.`,
    );
  }
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { reviewDown } =
    require("../../operations/review/down") as typeof import("../../operations/review/down");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const target =
    values.stack !== undefined ? { stack: values.stack } : { branch: requireBranch(values.branch) };
  const result = await reviewDown(operationContext(values.dir, format, context), target);
  context.io.stdout(renderDown(result, format));
  return EXIT.ok;
}

async function reviewListCommand(args: readonly string[], context: CommandContext) {
  const { values } = parse("list", args, {});
  const format = formatOf(values.format);
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { reviewList } =
    require("../../operations/review/list") as typeof import("../../operations/review/list");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const listing = await reviewList(operationContext(values.dir, format, context));
  context.io.stdout(renderList(listing, format));
  return EXIT.ok;
}

async function reviewPruneCommand(args: readonly string[], context: CommandContext) {
  const { values } = parse("prune", args, {
    "older-than": { type: "string" },
    "dry-run": { type: "boolean" },
  });
  const format = formatOf(values.format);
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parseDuration, reviewPrune } =
    require("../../operations/review/prune") as typeof import("../../operations/review/prune");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const olderThan = values["older-than"];
  const result = await reviewPrune(operationContext(values.dir, format, context), {
    olderThanMs: olderThan === undefined ? undefined : parseDuration(olderThan, "--older-than"),
    dryRun: values["dry-run"] === true,
  });
  context.io.stdout(renderPrune(result, format));
  return pruneExitCode(result);
}

/** 1 for a failure that changed nothing, 4 for one a person must look at. */
export function failureExitCode(failure: ReviewFailure): number {
  return failure.outcome === "unchanged" ? EXIT.refused : EXIT.needsAttention;
}

/** 4 when a stale stack's destroy failed partway (a person must look), else 0. */
export function pruneExitCode(result: Pick<PruneResult, "failed">): number {
  return result.failed.length > 0 ? EXIT.needsAttention : EXIT.ok;
}

/** The subcommand's flags plus `--format` and `--dir`, which every subcommand takes. */
function parse<T extends FlagSpec>(subcommand: string, args: readonly string[], own: T) {
  return parseFlags(`review ${subcommand}`, args, { ...own, ...FORMAT, ...DIR });
}

function formatOf(value: string): ReviewFormat {
  return oneOf("--format", value, REVIEW_FORMATS, "json");
}

function requireBranch(branch: string | undefined): string {
  if (branch !== undefined && branch.trim() !== "") return branch;
  throw SlipwayError.of(
    "--branch",
    `${branch === undefined ? "missing" : "empty"}. Allowed: the branch's name as git gives it. Fix: --branch "$GITHUB_HEAD_REF"`,
  );
}

function pullRequest(value: string): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (isPullRequestNumber(number)) return number;
  throw SlipwayError.of(
    "--pr",
    `got ${JSON.stringify(value)}. Allowed: a pull request number, 1 to 9999999999. Fix: --pr 42`,
  );
}

/** The project folder: `--dir`, or where the command runs. */
function projectDir(cwd: string, dir: string | undefined): string {
  return path.resolve(cwd, dir ?? ".");
}

function operationContext(
  dir: string | undefined,
  format: ReviewFormat,
  { io, cwd, env }: CommandContext,
): ReviewContext {
  const write = (text: string) => (format === "json" ? io.stderr(text) : io.stdout(text));
  return { dir: projectDir(cwd, dir), env, onProgress: progressPrinter(write) };
}
