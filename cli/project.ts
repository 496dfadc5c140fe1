// Where the slipway project is: the folder with Pulumi.yaml, found from where the command runs
// the way git finds its repository, so `slipway` works from any subfolder of the project.
import * as fs from "node:fs";
import * as path from "node:path";
import { SlipwayError } from "../errors";

/**
 * The project folder: `dir` when given (it must hold Pulumi.yaml), otherwise the nearest folder
 * at or above `cwd` that holds Pulumi.yaml.
 */
export function findProjectDir(cwd: string, dir?: string): string {
  if (dir !== undefined) {
    const given = path.resolve(cwd, dir);
    if (fs.existsSync(path.join(given, "Pulumi.yaml"))) return given;
    throw SlipwayError.of(
      "--dir",
      `got ${JSON.stringify(dir)}, which has no Pulumi.yaml. Allowed: the slipway project folder. Fix: --dir <the folder with Pulumi.yaml>, or leave --dir out inside the project.`,
    );
  }
  for (let folder = path.resolve(cwd); ; folder = path.dirname(folder)) {
    if (fs.existsSync(path.join(folder, "Pulumi.yaml"))) return folder;
    if (path.dirname(folder) === folder) break;
  }
  throw SlipwayError.of(
    "Pulumi.yaml",
    `not found in ${path.resolve(cwd)} or any folder above it. Allowed: running inside the slipway project. Fix: cd into the project, or pass --dir <the folder with Pulumi.yaml>.`,
  );
}
