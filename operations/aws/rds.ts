// The RDS client the operations use, and what AWS's refusals mean in words a person can act on.
// The SDK is loaded when a client is made: it takes most of a second, which `slipway plan`
// (whose command table imports every command) need not pay.
import type * as Rds from "@aws-sdk/client-rds";
import { SlipwayError } from "../../errors";

export type RdsClient = Rds.RDSClient;

/** @aws-sdk/client-rds, loaded on first use. */
export function rdsSdk(): typeof Rds {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see the top
  return require("@aws-sdk/client-rds") as typeof Rds;
}

export interface RdsClientOptions {
  /** Times the SDK sends a request that was throttled or failed with a 5xx. @default 3 (the SDK's) */
  readonly maxAttempts?: number;
  /** The SDK's retry strategy; tests pass one without waits. @default the SDK's standard one */
  readonly retryStrategy?: Rds.RDSClientConfig["retryStrategy"];
}

/**
 * An RDS client for `region`. Endpoint and credentials come from the SDK's standard chain; the
 * links of that chain that are environment variables (AWS_ENDPOINT_URL_RDS, AWS_ENDPOINT_URL,
 * AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, AWS_PROFILE) are read from the
 * command's `env`, as every other setting is, so a command run with its own environment (tests,
 * a wrapper) reaches the same AWS the SDK would. Profiles, SSO, web identity and instance roles
 * stay the SDK's.
 */
export function createRdsClient(
  region: string,
  env: Readonly<Record<string, string | undefined>>,
  options: RdsClientOptions = {},
): RdsClient {
  const endpoint =
    env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === "true"
      ? undefined
      : env.AWS_ENDPOINT_URL_RDS || env.AWS_ENDPOINT_URL || undefined;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const { RDSClient } = rdsSdk();
  return new RDSClient({
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey
      ? {
          credentials: {
            accessKeyId,
            secretAccessKey,
            sessionToken: env.AWS_SESSION_TOKEN || undefined,
          },
        }
      : {}),
    ...(env.AWS_PROFILE ? { profile: env.AWS_PROFILE } : {}),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(options.retryStrategy === undefined ? {} : { retryStrategy: options.retryStrategy }),
  });
}

/** Why a snapshot step stopped; promote aborts before promoting on any of them. */
export type SnapshotFailure =
  "timeout" | "failed" | "access-denied" | "quota" | "instance-state" | "conflict" | "aws";

/** A snapshot step that did not work out; the message says the state things are in. */
export class SnapshotError extends Error {
  readonly reason: SnapshotFailure;
  /** The snapshot it is about, when one was named. */
  readonly snapshotId?: string;
  /** The snapshot's last status seen (`creating`, `failed`), when one was seen. */
  readonly state?: string;

  constructor(
    reason: SnapshotFailure,
    message: string,
    details: { snapshotId?: string; state?: string } = {},
  ) {
    super(message);
    this.name = "SnapshotError";
    this.reason = reason;
    this.snapshotId = details.snapshotId;
    this.state = details.state;
  }

  static isInstance(value: unknown): value is SnapshotError {
    return value instanceof SnapshotError;
  }
}

/** What slipway reads from an SDK error (the service's code, its message, the request id). */
interface AwsError {
  readonly name: string;
  readonly message: string;
  readonly $metadata?: { readonly requestId?: string; readonly httpStatusCode?: number };
}

function isAwsError(value: unknown): value is AwsError {
  return value instanceof Error;
}

/** Service errors meaning the credentials themselves are missing, invalid or expired. */
const CREDENTIAL_ERRORS = new Set([
  "CredentialsProviderError",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "ExpiredToken",
  "ExpiredTokenException",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
]);
const ACCESS_DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation"]);

/** The RDS permissions promote's snapshot step needs, for access-denied messages. */
export const SNAPSHOT_PERMISSIONS = [
  "rds:CreateDBSnapshot",
  "rds:AddTagsToResource",
  "rds:DescribeDBSnapshots",
  "rds:DeleteDBSnapshot",
];

/**
 * The error to throw for a failed RDS call: `SlipwayError` for what the person running slipway
 * must set (credentials, the database's identifier), `SnapshotError` for the rest, each naming
 * the action, the resource and what AWS said.
 */
export function rdsFailure(
  error: unknown,
  context: { action: string; resource: string; region: string; snapshotId?: string },
): unknown {
  if (!isAwsError(error)) return error;
  const code = error.name;
  const id = error.$metadata?.requestId ? ` [request id ${error.$metadata.requestId}]` : "";
  const said = `${code}: ${error.message}${id}`;
  if (CREDENTIAL_ERRORS.has(code)) {
    return SlipwayError.of(
      "AWS credentials",
      `${code === "CredentialsProviderError" ? "no credentials found" : "AWS did not accept the credentials"} ` +
        `for ${context.action} (${said}). Allowed: credentials the ` +
        `AWS SDK's standard chain finds (in GitHub Actions, the deploy role assumed with ` +
        `aws-actions/configure-aws-credentials; locally AWS_PROFILE or AWS_ACCESS_KEY_ID and ` +
        `AWS_SECRET_ACCESS_KEY). Fix: provide them, and run again.`,
    );
  }
  if (code === "DBInstanceNotFound" || code === "DBInstanceNotFoundFault") {
    return SlipwayError.of(
      "database",
      `RDS has no instance ${JSON.stringify(context.resource)} in ${context.region} (${said}). ` +
        `Allowed: the production database's identifier (\`<app>-db\`, from the stack file) in the ` +
        `stack's aws:region. Fix: check slipway:app.name and aws:region in the production stack's ` +
        `file, or the identifier and region you passed.`,
    );
  }
  const details = { snapshotId: context.snapshotId };
  if (ACCESS_DENIED.has(code)) {
    return new SnapshotError(
      "access-denied",
      `AWS refused ${context.action} on ${context.resource} (${said}). The role promote runs as ` +
        `(the deploy role of slipway's production stack, AWS_ROLE_ARN in the deploy workflow) needs ` +
        `${SNAPSHOT_PERMISSIONS.join(", ")} on the database and slipway's snapshots.`,
      details,
    );
  }
  if (code === "SnapshotQuotaExceeded" || code === "SnapshotQuotaExceededFault") {
    return new SnapshotError(
      "quota",
      `The account's quota of manual RDS snapshots in ${context.region} is reached (${said}). ` +
        `Delete manual snapshots nobody needs, or ask AWS for a higher quota; slipway keeps only ` +
        `slipway:deploy.snapshotsKept of its own.`,
      details,
    );
  }
  if (code === "InvalidDBInstanceState" || code === "InvalidDBInstanceStateFault") {
    return new SnapshotError(
      "instance-state",
      `RDS cannot snapshot ${context.resource} now (${said}): the instance must be available. ` +
        `Wait for its maintenance, backup or modification to end, then run promote again.`,
      details,
    );
  }
  return new SnapshotError(
    "aws",
    `AWS refused ${context.action} on ${context.resource} (${said}).`,
    details,
  );
}
