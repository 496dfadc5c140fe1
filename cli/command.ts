// What every `slipway` subcommand provides, and what it gets to run with.

/** Where a command writes. Tests capture both streams; the real command writes to the process. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CommandContext {
  readonly io: Io;
  /** The folder relative paths in flags start from. */
  readonly cwd: string;
  /** The environment (HEROKU_API_KEY, HEROKU_API_URL, GITHUB_TOKEN, ...): read here, not globally. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Asks a person a question and resolves with the line they type; absent when no one can
   * answer (stdin is not a terminal: CI, a pipe).
   */
  readonly ask?: (question: string) => Promise<string>;
}

export interface Command {
  readonly name: string;
  /** One line for `slipway --help`. */
  readonly summary: string;
  /** One line per flag, `--flag VALUE   what it does`, as `--help` shows them. */
  readonly options: readonly string[];
  /** What the command's exit codes mean, in one line. */
  readonly exitCodes: string;
  /** Runs the command; `--help` never reaches it. Returns the exit code. */
  run(args: readonly string[], context: CommandContext): Promise<number>;
}
