// What a failed Pulumi CLI command means for slipway. The Automation API raises a CommandError
// holding the CLI's exit code and output; the few failures that are the user's to fix (no CLI, no
// passphrase, a backend that cannot be reached or logged into) become bad input with their fix,
// another update holding the stack is a refusal, and the rest a failure that quotes the CLI.
import { CommandError, ConcurrentUpdateError } from "@pulumi/pulumi/automation";
import { SlipwayError } from "../../errors";
import {
  ACCESS_TOKEN_ENV,
  BACKEND_URL_ENV,
  PASSPHRASE_ENV,
  PASSPHRASE_FILE_ENV,
  ReviewBackend,
} from "./backend";
import { ReviewFailure } from "./failure";

export interface CliFailure {
  readonly code?: number;
  readonly stderr: string;
  /** The CLI's own error lines (`error: ...`), or the last thing it said. */
  readonly summary: string;
}

const INSTALL_FIX =
  "Fix: install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/; in CI the " +
  "pulumi/actions action or `curl -fsSL https://get.pulumi.com | sh`) and put it on PATH.";

/** The parts of a CommandError (or any error) a message needs. */
export function cliFailure(error: unknown): CliFailure {
  const result = (error as { commandResult?: { code?: number; stderr?: string } }).commandResult;
  const stderr = result?.stderr ?? "";
  const message = error instanceof Error ? error.message : String(error);
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => l.startsWith("error:"));
  const [firstLine = ""] = message.split("\n");
  const summary = errors.length > 0 ? errors.join(" ") : (lines[lines.length - 1] ?? firstLine);
  return { code: result?.code, stderr, summary };
}

/**
 * Why opening the workspace (`pulumi version`) or reaching the backend (`pulumi whoami`) failed,
 * as bad input: the CLI missing or too old, the backend unreachable, the login refused.
 */
export function openFailure(error: unknown, backend: ReviewBackend): Error {
  const failure = cliFailure(error);
  const message = error instanceof Error ? error.message : String(error);
  // A CLI that could not be started: the SDK puts the spawn error where stderr would be.
  if (/ENOENT/.test(failure.stderr)) {
    return SlipwayError.of(
      "pulumi",
      `the Pulumi CLI is not on PATH; review stacks run it through the Automation API. ${INSTALL_FIX}`,
    );
  }
  if (!(error instanceof CommandError)) {
    // The SDK checks the version `pulumi version` prints.
    return SlipwayError.of(
      "pulumi",
      `the Pulumi CLI on PATH is not one the Automation API can drive: ${message.split("\n")[0]} ${INSTALL_FIX}`,
    );
  }
  return (
    userProblem(failure) ??
    SlipwayError.of(
      BACKEND_URL_ENV,
      `the backend ${backend.url} did not answer \`pulumi whoami\`: ${failure.summary}. Allowed: a ` +
        `backend the CLI can log into with the credentials in the environment. Fix: check ` +
        `${BACKEND_URL_ENV} and the credentials it needs (AWS for s3://, ${ACCESS_TOKEN_ENV} for Pulumi Cloud).`,
    )
  );
}

/**
 * A failed CLI command that reads or manages a stack: bad input when the cause is the user's to
 * fix, a refusal when another update holds the stack, otherwise a failure that changed nothing.
 */
export function describeCliFailure(command: string, stack: string, error: unknown): Error {
  const failure = cliFailure(error);
  const problem = userProblem(failure);
  if (problem) return problem;
  if (error instanceof ConcurrentUpdateError) return busy(stack, `\`${command}\` did not run`);
  return new ReviewFailure(
    "unchanged",
    `\`pulumi ${command.replace(/^pulumi /, "")}\` for ${stack} failed (exit ${failure.code ?? "unknown"}): ${failure.summary}`,
  );
}

/** Another update holds the stack's lock (ConcurrentUpdateError): refused, nothing changed. */
export function busy(stack: string, what: string): ReviewFailure {
  return new ReviewFailure(
    "unchanged",
    `${stack}: another update of this stack is running, so ${what}. Nothing changed. Fix: wait ` +
      "for that update to finish and run the command again (if none is running, a crashed one " +
      "left its lock: `pulumi cancel` clears it).",
  );
}

/** Passphrase and login failures, which the user fixes in the environment. */
export function userProblem(failure: CliFailure): SlipwayError | undefined {
  const text = failure.stderr;
  if (/incorrect passphrase/i.test(text)) {
    return SlipwayError.of(
      PASSPHRASE_ENV,
      `is not the passphrase the review stacks were made with (the CLI said: ${failure.summary}). ` +
        `Allowed: the backend's passphrase. Fix: export ${PASSPHRASE_ENV} with the right one ` +
        `(in CI: the review environment's secret).`,
    );
  }
  if (/passphrase must be set/i.test(text)) {
    return SlipwayError.of(
      PASSPHRASE_ENV,
      `not set, and the stack's secrets need it (the CLI said: ${failure.summary}). Fix: export ` +
        `${PASSPHRASE_ENV}=<passphrase> or ${PASSPHRASE_FILE_ENV}=<file>.`,
    );
  }
  if (new RegExp(`${ACCESS_TOKEN_ENV}|\\[401\\]|Unauthorized`).test(text)) {
    return SlipwayError.of(
      ACCESS_TOKEN_ENV,
      `the Pulumi service refused the login (the CLI said: ${failure.summary}). Allowed: a valid ` +
        `access token for the organization that holds the stacks. Fix: export ${ACCESS_TOKEN_ENV}=<token>.`,
    );
  }
  if (/problem logging in|unable to open bucket|NoSuchBucket|NoCredentialProviders/i.test(text)) {
    return SlipwayError.of(
      BACKEND_URL_ENV,
      `the backend could not be opened (the CLI said: ${failure.summary}). Allowed: a backend that ` +
        `exists, with credentials for it in the environment. Fix: check ${BACKEND_URL_ENV}, and for ` +
        `s3:// the AWS credentials (in CI: the \`review\` role).`,
    );
  }
  return undefined;
}
