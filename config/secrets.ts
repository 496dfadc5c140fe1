// Secrets written in plain text, wherever a stack's config hides them: under a key or field whose
// name looks secret (`heroku:apiKey`, `github:token`, `slipway:secretConfigVars.*`), or where
// slipway knows the value carries a credential (log drain URLs). Readers of the stack files
// (`slipway plan`, the operations) see exactly which values are secure; `pulumi up` only learns
// which keys hold a secure value somewhere, so it judges whole keys.
import { Problem, SlipwayError } from "../errors";
import { looksSecret, SECRET_PLACEHOLDER } from "./limits";
import { configPath } from "./validate";

/** A path inside one config key: field names and list indexes. */
export type ConfigPath = readonly (string | number)[];

/** Whether the value at `path` inside config `key` was stored with `--secret`. */
export type SecureTest = (key: string, path: ConfigPath, value: unknown) => boolean;

/** Lists inside a key whose every item is a credential, whatever the names around them. */
const CREDENTIAL_LISTS: readonly { key: string; field: string; why: string }[] = [
  {
    key: "slipway:app",
    field: "logDrains",
    why: "a log drain URL carries the token of the service that receives the logs",
  },
];

/** The plain config vars, whose names must not look secret (secret ones have their own key). */
const CONFIG_VARS = { key: "slipway:app", field: "configVars" };

/**
 * Every plain value that should be a secret, as problems naming the key and path (never the
 * value), what is allowed and the `pulumi config set --secret` that fixes it.
 *
 * @param values - the stack's config: fully qualified keys, objects and lists as data.
 * @param isSecure - whether a value (or a whole subtree) is stored as a secret.
 */
export function plainSecretProblems(
  values: Readonly<Record<string, unknown>>,
  isSecure: SecureTest,
): Problem[] {
  const problems = secretLookingConfigVars(values[CONFIG_VARS.key]);
  for (const [key, value] of Object.entries(values)) {
    const name = key.slice(key.indexOf(":") + 1);
    const why = looksSecret(name) ? nameReason(key) : undefined;
    walk(key, [], value, why, isSecure, problems);
  }
  return problems;
}

/** `slipway:plan` and the operations: `{ secure: ... }` in a stack file, or its placeholder. */
export function isSecureInStackFile(value: unknown): boolean {
  if (value === SECRET_PLACEHOLDER) return true;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && typeof (value as Record<string, unknown>)["secure"] === "string";
}

/** Throws a `SlipwayError` listing every plain secret of a stack file's values, if any. */
export function refusePlainSecrets(values: Readonly<Record<string, unknown>>, file: string): void {
  const problems = plainSecretProblems(values, (_key, _path, value) => isSecureInStackFile(value));
  if (problems.length > 0) {
    throw new SlipwayError(problems, `${file} holds secrets in plain text:`);
  }
}

function walk(
  key: string,
  path: ConfigPath,
  value: unknown,
  why: string | undefined,
  isSecure: SecureTest,
  problems: Problem[],
): void {
  if (isSecure(key, path, value)) return;
  if (typeof value === "string") {
    if (why !== undefined && value !== "") problems.push(plainProblem(key, path, why));
    return;
  }
  if (Array.isArray(value)) {
    const list = CREDENTIAL_LISTS.find((l) => l.key === key && sameField(path, l.field));
    value.forEach((item, index) =>
      walk(key, [...path, index], item, why ?? list?.why, isSecure, problems),
    );
    return;
  }
  if (value === null || typeof value !== "object") return;
  const configVars = key === CONFIG_VARS.key && sameField(path, CONFIG_VARS.field);
  for (const [field, inner] of Object.entries(value)) {
    // Secret-looking config vars are refused by name (secretLookingConfigVars), secure or not.
    if (configVars && looksSecret(field)) continue;
    const innerWhy = why ?? (looksSecret(field) ? nameReason(field) : undefined);
    walk(key, [...path, field], inner, innerWhy, isSecure, problems);
  }
}

/**
 * A plain config var whose name looks secret would go to Heroku, the state and the plan as plain
 * text even when its value was stored with `--secret`: it belongs in `slipway:secretConfigVars`.
 */
function secretLookingConfigVars(app: unknown): Problem[] {
  if (app === null || typeof app !== "object") return [];
  const vars = (app as Record<string, unknown>)[CONFIG_VARS.field];
  if (vars === null || typeof vars !== "object" || Array.isArray(vars)) return [];
  return Object.keys(vars)
    .filter((name) => looksSecret(name))
    .map((name) => {
      const plainPath = configPath(CONFIG_VARS.key, [CONFIG_VARS.field, name]);
      const secretPath = configPath("slipway:secretConfigVars", [name]);
      return {
        key: plainPath,
        message:
          `is a plain config var whose name looks secret, so its value would reach Heroku, the ` +
          `state and every plan in plain text. Allowed: config vars with such names only in ` +
          `slipway:secretConfigVars. Fix: pulumi config rm --path '${plainPath}', then ` +
          `pulumi config set --secret --path '${secretPath}' <value>`,
      };
    });
}

function plainProblem(key: string, path: ConfigPath, why: string): Problem {
  const where = configPath(key, path);
  const set = path.length === 0 ? `${key}` : `--path '${where}'`;
  return {
    key: where,
    message:
      `holds a value in plain text, and ${why}. Allowed: only a value stored as a secret. ` +
      `Fix: pulumi config set --secret ${set} <value>`,
  };
}

function nameReason(name: string): string {
  return `${JSON.stringify(name)} looks like the name of a secret`;
}

function sameField(path: ConfigPath, field: string): boolean {
  return path.length === 1 && path[0] === field;
}
