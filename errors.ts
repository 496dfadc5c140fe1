// The SDK's errors module alone: a Heroku provider's bundle loads it in the provider host, where
// the SDK's index (the Automation API and the rest) would cost a second.
import { RunError } from "@pulumi/pulumi/errors";

/** One thing wrong with what a user gave slipway: the key (or flag) it is about, and the message. */
export interface Problem {
  /** The config key with its path (`slipway:app.name`), the CLI flag (`--stack`), or the file. */
  readonly key: string;
  /** What is wrong, the value received, what is allowed and how to fix it. */
  readonly message: string;
}

/**
 * A mistake in what a user gave slipway (configuration, flags, files), as opposed to a bug.
 *
 * It extends Pulumi's RunError so `pulumi up` prints the message alone, without a stack trace;
 * the `slipway` command prints it and exits with code 2. A plain `Error` means a bug in slipway.
 */
export class SlipwayError extends RunError {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[], context?: string) {
    const lines = problems.map((p) => `${p.key}: ${p.message}`);
    const message = context
      ? [context, ...lines.map((l) => `  - ${l}`)].join("\n")
      : lines.join("\n");
    super(message);
    // Set again: inside a serialized dynamic provider the Error constructor does not set it.
    this.message = message;
    this.name = "SlipwayError";
    this.problems = problems;
  }

  /** A single problem, for the common case. */
  static of(key: string, message: string): SlipwayError {
    return new SlipwayError([{ key, message }]);
  }

  /** The same problems, with a line in front saying where they were found (a file, a stack). */
  withContext(context: string): SlipwayError {
    return new SlipwayError(this.problems, context);
  }

  static isInstance(value: unknown): value is SlipwayError {
    return value instanceof SlipwayError;
  }
}
