// Which changed files a `slipway:deploy` path list names (migrationPaths, buildPaths). The rule is
// config/limits.ts's REPOSITORY_PATH: a folder ends in `/`, and folders and files match at any
// depth, whole segments only (`migrations/` covers `apps/web/migrations/1.sql`, `Procfile` does
// not cover `Procfile.dev`). Written by hand: a glob library would accept patterns the
// config refuses and match across segment boundaries.

/** A file a comparison lists: its path, and its path before a rename. */
export interface PathChange {
  readonly path: string;
  /** Set when the file was renamed (GitHub's `previous_filename`). */
  readonly previousPath?: string;
}

/** Whether `file` (a path in the repository, no leading `/`) is, or is inside, `pattern`. */
export function matchesRepositoryPath(file: string, pattern: string): boolean {
  const folder = pattern.endsWith("/");
  const segments = pattern.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.length === 0) return false;
  const wanted = `/${segments.join("/")}${folder ? "/" : ""}`;
  const path = `/${file}`;
  return folder ? path.includes(wanted) : path.endsWith(wanted);
}

/**
 * The changes that touch any of `patterns`; a renamed file counts under its old and its new
 * name, so moving a migration out of (or into) a migrations folder is still flagged.
 */
export function changesMatching<T extends PathChange>(
  changes: readonly T[],
  patterns: readonly string[],
): T[] {
  return changes.filter((change) =>
    patterns.some(
      (pattern) =>
        matchesRepositoryPath(change.path, pattern) ||
        (change.previousPath !== undefined && matchesRepositoryPath(change.previousPath, pattern)),
    ),
  );
}
