// Where the Heroku API token comes from, read at the moment of each request. Nothing here keeps
// the token in a variable that Pulumi's closure serialization could capture: a token handed over
// by a dynamic provider's `configure` lives on `globalThis` of the provider process only.
import { SlipwayError } from "../errors";
import { keepMessage } from "./errors";

/** The stack config key a dynamic provider's `configure` reads the token from. */
export const API_KEY_CONFIG_KEY = "heroku:apiKey";

/** The environment variable that holds the token; it wins over the stack config. */
export const API_KEY_ENV = "HEROKU_API_KEY";

/** The `globalThis` slot (`Symbol.for`) that holds a token handed over by `configure`. */
const CONFIGURED_SLOT = "slipway.heroku.configuredApiKey";

/** The part of Pulumi's `ConfigureRequest` this module needs. */
export interface ConfigureRequestLike {
  readonly config: { get(key: string): string | undefined };
}

/**
 * Keeps the token a dynamic provider received in `configure(req)` for this process. Call it from
 * every provider's `configure`; `HEROKU_API_KEY` still wins when it is set.
 */
export function configureApiKey(req: ConfigureRequestLike): void {
  setConfiguredApiKey(req.config.get(API_KEY_CONFIG_KEY));
}

/** Sets (or, with `undefined`, clears) the token handed over by `configure`. */
export function setConfiguredApiKey(apiKey: string | undefined): void {
  const slots = globalThis as unknown as Record<symbol, string | undefined>;
  slots[Symbol.for(CONFIGURED_SLOT)] = nonEmpty(apiKey);
}

/**
 * The token for the next request: `HEROKU_API_KEY` of `env` (default: the process's), else the
 * one from `configure`. Throws a `SlipwayError` that says how to provide one when there is neither.
 */
export function resolveApiKey(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const slots = globalThis as unknown as Record<symbol, string | undefined>;
  const apiKey = nonEmpty(env[API_KEY_ENV]) ?? nonEmpty(slots[Symbol.for(CONFIGURED_SLOT)]);
  if (apiKey !== undefined) return apiKey;
  const problem =
    `no Heroku API token: ${API_KEY_ENV} is not set and the stack config has no ` +
    `${API_KEY_CONFIG_KEY}. Allowed: a Heroku API token in either place. Fix: ` +
    `\`export ${API_KEY_ENV}=$(heroku auth:token)\`, or ` +
    `\`pulumi config set --secret ${API_KEY_CONFIG_KEY} <token>\` for the stack.`;
  const error = SlipwayError.of(API_KEY_ENV, problem);
  keepMessage(error, `${API_KEY_ENV}: ${problem}`);
  throw error;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
