// What `slipway changes` and `slipway promote` work on, from the committed stack files: the
// production and staging apps, production's database and region, both health paths, the
// application's repository and production's `slipway:deploy` settings. Flags override each.
import { databaseIdentifier } from "../components/aws-names";
import { DeploySettings } from "../config";
import { SlipwayError } from "../errors";
import { readStackFacts, RepositoryFacts } from "../operations/stack-facts";
import { appName, TargetFlags, withTimingFlags } from "./deploy-target";

export interface PromoteTarget {
  readonly productionApp: string;
  readonly stagingApp: string;
  readonly databaseIdentifier: string;
  readonly region: string;
  readonly productionHealthPath: string;
  readonly stagingHealthPath: string;
  readonly repository: RepositoryFacts;
  readonly deploy: DeploySettings;
}

export interface PromoteFlags extends TargetFlags {
  readonly "staging-app"?: string;
  readonly database?: string;
  readonly region?: string;
  readonly repository?: string;
}

/** The production and staging stacks' files are `Pulumi.production.yaml` and `Pulumi.staging.yaml`. */
export const PRODUCTION_STACK = "production";
export const STAGING_STACK = "staging";

const RDS_IDENTIFIER = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}(?<!-)$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const REPOSITORY = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/;

/** Resolves the target in the project folder `dir`. */
export function promoteTarget(dir: string, flags: PromoteFlags): PromoteTarget {
  const production = readStackFacts(dir, PRODUCTION_STACK);
  const staging = readStackFacts(dir, STAGING_STACK);
  const productionApp = flags.app === undefined ? production.appName : appName(flags.app);
  const repository = repositoryOf(flags.repository, production.repository!);
  return {
    productionApp,
    stagingApp:
      flags["staging-app"] === undefined
        ? staging.appName
        : appName(flags["staging-app"], "--staging-app"),
    databaseIdentifier:
      checked(
        "--database",
        flags.database,
        RDS_IDENTIFIER,
        "an RDS instance identifier (a letter, then letters, digits or single hyphens, at most 63)",
        "acme-web-db",
      ) ?? databaseIdentifier(productionApp),
    region:
      checked("--region", flags.region, AWS_REGION, "an AWS region", "us-east-1") ??
      production.awsRegion!,
    productionHealthPath: production.healthCheckPath,
    stagingHealthPath: staging.healthCheckPath,
    repository,
    deploy: withTimingFlags(flags, production.deploy),
  };
}

/**
 * The repository: `--repository` over the file's, with the file's branches. A production stack's
 * file always names one: readStackFacts refuses it without slipway:github.owner and repository.
 */
function repositoryOf(flag: string | undefined, fromFile: RepositoryFacts): RepositoryFacts {
  if (flag === undefined) return fromFile;
  const m = REPOSITORY.exec(flag);
  if (m === null) {
    throw SlipwayError.of(
      "--repository",
      `got ${JSON.stringify(flag)}. Allowed: owner/name of the application's GitHub repository. Fix: --repository acme/acme-web`,
    );
  }
  return { ...fromFile, owner: m[1]!, repository: m[2]! };
}

function checked(
  flag: string,
  value: string | undefined,
  pattern: RegExp,
  allowed: string,
  example: string,
): string | undefined {
  if (value === undefined || pattern.test(value)) return value;
  throw SlipwayError.of(
    flag,
    `got ${JSON.stringify(value)}. Allowed: ${allowed}. Fix: ${flag} ${example}`,
  );
}
