// Where review stacks keep their state, and what the Pulumi CLI needs to reach it: the backend URL
// (PULUMI_BACKEND_URL, a local folder by default) and, for self-managed backends, the passphrase
// that encrypts their secrets. Checked before the CLI runs, so a missing one is bad input with its
// fix instead of a CLI error halfway through.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { SlipwayError } from "../../errors";

export const BACKEND_URL_ENV = "PULUMI_BACKEND_URL";
export const PASSPHRASE_ENV = "PULUMI_CONFIG_PASSPHRASE";
export const PASSPHRASE_FILE_ENV = "PULUMI_CONFIG_PASSPHRASE_FILE";
export const ACCESS_TOKEN_ENV = "PULUMI_ACCESS_TOKEN";

/** The folder review stacks live in when PULUMI_BACKEND_URL is not set, under the home folder. */
export const DEFAULT_STATE_DIR = path.join(".slipway", "review-state");

/**
 * `file`: a local folder; `bucket`: S3, Google Cloud Storage or Azure Blob (self-managed, like
 * `file`); `cloud`: Pulumi Cloud or a self-hosted Pulumi service (`https://`).
 */
export type BackendKind = "file" | "bucket" | "cloud";

export interface ReviewBackend {
  readonly url: string;
  readonly kind: BackendKind;
  /** True when the URL is slipway's default (the folder is created when missing). */
  readonly isDefault: boolean;
  /** For `file` backends: the folder. */
  readonly folder?: string;
  /** The environment the Pulumi CLI runs with: the caller's, with the backend settled. */
  readonly env: Readonly<Record<string, string>>;
}

const SCHEMES: Record<string, BackendKind> = {
  "file:": "file",
  "s3:": "bucket",
  "gs:": "bucket",
  "azblob:": "bucket",
  "https:": "cloud",
  "http:": "cloud",
};

const FIX_BACKEND =
  "Fix: export PULUMI_BACKEND_URL=s3://<bucket> (or https://api.pulumi.com, or file://<folder>); see docs/review-stacks.md";

/**
 * The backend review stacks use, from the environment. Throws a `SlipwayError` naming the variable
 * when the URL is not one Pulumi accepts, a `file://` folder is missing, or the passphrase (for
 * self-managed backends) or the access token (for Pulumi Cloud) is not there.
 */
export function reviewBackend(
  env: Readonly<Record<string, string | undefined>>,
  home: string = os.homedir(),
): ReviewBackend {
  const given = env[BACKEND_URL_ENV]?.trim();
  if (!given && env["CI"] === "true") {
    throw SlipwayError.of(
      BACKEND_URL_ENV,
      "not set, and this is CI (CI=true), where the default local folder is gone when the job " +
        "ends, and review stacks with it. Allowed: a shared backend. " +
        `Fix: set the variable ${BACKEND_URL_ENV} of the review environment (s3://<bucket> or https://api.pulumi.com).`,
    );
  }
  const url = given ? given : pathToFileURL(path.join(home, DEFAULT_STATE_DIR)).href;
  const kind = kindOf(url);
  const folder = kind === "file" ? fileFolder(url, home) : undefined;
  if (folder !== undefined && given && !fs.existsSync(folder)) {
    throw SlipwayError.of(
      BACKEND_URL_ENV,
      `got ${JSON.stringify(given)}, whose folder ${folder} does not exist. Allowed: an existing folder. ` +
        `Fix: mkdir -p ${folder}, or point ${BACKEND_URL_ENV} at the backend that holds the production stack.`,
    );
  }
  if (kind === "cloud") requireLogin(env, home);
  else requirePassphrase(env);
  const passed = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return {
    url,
    kind,
    isDefault: !given,
    folder,
    env: {
      ...passed,
      [BACKEND_URL_ENV]: url,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      // A fresh checkout (CI) has no Pulumi.<stack>.yaml holding the passphrase's salt: the CLI
      // then takes the secrets settings from the stack's state instead of making new ones.
      PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
    },
  };
}

/** Creates the default state folder when it is missing (a user-given folder must exist). */
export function prepareBackend(backend: ReviewBackend): void {
  if (backend.isDefault && backend.folder !== undefined) {
    fs.mkdirSync(backend.folder, { recursive: true });
  }
}

function kindOf(url: string): BackendKind {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0].toLowerCase();
  const kind = scheme === undefined ? undefined : SCHEMES[scheme];
  if (kind === undefined || !/^[a-z0-9+.-]+:\/\/./i.test(url)) {
    throw SlipwayError.of(
      BACKEND_URL_ENV,
      `got ${JSON.stringify(url)}. Allowed: file://<folder>, s3://<bucket>, gs://<bucket>, ` +
        `azblob://<container>, or https://<Pulumi Cloud or self-hosted service>. ${FIX_BACKEND}`,
    );
  }
  return kind;
}

/** The folder of a `file://` URL; Pulumi reads `~` as the home folder. */
function fileFolder(url: string, home: string): string {
  const rest = url.slice("file://".length).split("?")[0] as string;
  if (rest === "~" || rest.startsWith("~/")) return path.join(home, rest.slice(1));
  return rest.startsWith("/") ? fileURLToPath(`file://${rest}`) : path.resolve(rest);
}

function requirePassphrase(env: Readonly<Record<string, string | undefined>>): void {
  const file = env[PASSPHRASE_FILE_ENV];
  if (env[PASSPHRASE_ENV] !== undefined) return;
  if (file !== undefined && fs.existsSync(file)) return;
  const got =
    file === undefined
      ? `neither ${PASSPHRASE_ENV} nor ${PASSPHRASE_FILE_ENV} is set`
      : `${PASSPHRASE_FILE_ENV} names ${file}, which does not exist`;
  throw SlipwayError.of(
    PASSPHRASE_ENV,
    `${got}: a self-managed backend (${env[BACKEND_URL_ENV]?.trim() || "the default local folder"}) ` +
      `encrypts the stacks' secrets with a passphrase. Allowed: the passphrase the stacks were made ` +
      `with (every review stack of a backend shares it). Fix: export ${PASSPHRASE_ENV}=<passphrase> ` +
      `(in CI: a secret of the review environment).`,
  );
}

/** Pulumi Cloud needs a token: PULUMI_ACCESS_TOKEN, or the credentials `pulumi login` stored. */
function requireLogin(env: Readonly<Record<string, string | undefined>>, home: string): void {
  if (env[ACCESS_TOKEN_ENV]?.trim()) return;
  const pulumiHome = env["PULUMI_HOME"]?.trim() || path.join(home, ".pulumi");
  if (fs.existsSync(path.join(pulumiHome, "credentials.json"))) return;
  throw SlipwayError.of(
    ACCESS_TOKEN_ENV,
    `not set, and ${path.join(pulumiHome, "credentials.json")} (from \`pulumi login\`) does not exist: ` +
      `${env[BACKEND_URL_ENV]} is a Pulumi service, which needs an access token. Allowed: a Pulumi ` +
      `access token. Fix: export ${ACCESS_TOKEN_ENV}=<token> (in CI: a secret of the review environment), or run \`pulumi login\`.`,
  );
}
