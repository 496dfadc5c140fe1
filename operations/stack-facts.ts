// What the operations (deploy, changes, promote, review) need to know about a stack, read from
// the committed stack files, so the common case needs no flags: the app, its health check path,
// the database and region, the application's repository, and the `slipway:deploy` settings.
// The files are read and validated exactly as `slipway plan` reads them; flags override.
import * as fs from "node:fs";
import * as path from "node:path";
import { DeploySettings, GithubSettings, ReviewAppsSettings, StackKind } from "../config";
import { databaseIdentifier } from "../components/aws-names";
import { SlipwayError } from "../errors";
import { validateStackConfig } from "../cli/plan";
import { readProject, readStackConfig, stackFilePath } from "../cli/plan/stack-files";

/** The application's GitHub repository and its branches (from the production stack's file). */
export interface RepositoryFacts {
  readonly owner: string;
  readonly repository: string;
  readonly productionBranch: string;
  readonly stagingBranch: string;
}

export interface StackFacts {
  readonly stack: string;
  readonly kind: StackKind;
  /** The stack file the facts come from. */
  readonly file: string;
  readonly appName: string;
  /** The path the health check asks for (`/health`). */
  readonly healthCheckPath: string;
  /** `aws:region` of production and staging stacks; review stacks have no AWS resources. */
  readonly awsRegion?: string;
  /** The RDS instance identifier of production and staging stacks. */
  readonly databaseIdentifier?: string;
  /** The production stack's name as the pipeline setting gives it (`production`, `org/proj/production`). */
  readonly productionStack: string;
  /** Read from the production stack's file when this one is not production; absent when unknown. */
  readonly repository?: RepositoryFacts;
  readonly deploy: DeploySettings;
  readonly reviewApps: ReviewAppsSettings;
}

/**
 * The facts of `stack`, from `Pulumi.<stack>.yaml` in the project folder `dir`. Throws a
 * `SlipwayError` (bad input) when the stack has no file or its settings are invalid.
 */
export function readStackFacts(dir: string, stack: string): StackFacts {
  const project = readProject(dir);
  const config = readStackConfig(project, stack);
  const { kind, settings } = withFileContext(config.file, stack, () => validateStackConfig(config));
  const awsRegion = kind === "review" ? undefined : config.config["aws:region"];
  const appName = settings.app.name as string;
  return {
    stack,
    kind,
    file: config.file,
    appName,
    healthCheckPath: settings.app.healthCheckPath,
    awsRegion,
    databaseIdentifier: kind === "review" ? undefined : databaseIdentifier(appName),
    productionStack: settings.pipeline.productionStack,
    repository:
      kind === "production"
        ? repositoryOf(settings.github)
        : productionRepository(dir, settings.pipeline.productionStack),
    deploy: settings.deploy,
    reviewApps: settings.reviewApps,
  };
}

/** Whether `stack` has a committed stack file in `dir`. */
export function hasStackFile(dir: string, stack: string): boolean {
  return fs.existsSync(stackFilePath(readProject(dir), stack));
}

function repositoryOf(github: GithubSettings): RepositoryFacts | undefined {
  if (github.owner === undefined || github.repository === undefined) return undefined;
  return {
    owner: github.owner,
    repository: github.repository,
    productionBranch: github.productionBranch,
    stagingBranch: github.stagingBranch,
  };
}

/** The repository named in the production stack's file, when that file is here. */
function productionRepository(dir: string, productionStack: string): RepositoryFacts | undefined {
  const name = productionStack.split("/").pop() as string;
  if (!hasStackFile(dir, name)) return undefined;
  try {
    return readStackFacts(dir, name).repository;
  } catch (error) {
    if (!SlipwayError.isInstance(error)) throw error;
    throw error.withContext(
      `the production stack ${name} (${path.basename(stackFilePath(readProject(dir), name))}), read for the application's repository:`,
    );
  }
}

function withFileContext<T>(file: string, stack: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!SlipwayError.isInstance(error)) throw error;
    throw error.withContext(`stack ${stack} (${path.basename(file)}):`);
  }
}
