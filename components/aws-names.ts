// How slipway names AWS resources after the app: pure, so the operations (promote snapshots
// the database) compute the same names without loading @pulumi/aws.

/** Longest prefix kept, so `<prefix>-db` fits RDS's 63-character identifier limit. */
export const MAX_PREFIX_LENGTH = 60;

/**
 * A prefix made safe for the strictest AWS names slipway sets (RDS identifiers: a lowercase
 * letter first, then lowercase letters, digits and single dashes, no dash at the end).
 * Heroku app names are nearly that already; this folds case and repeated dashes.
 *
 * @throws Error when nothing usable is left: the caller passed something that is not a name.
 */
export function awsName(prefix: string): string {
  const name = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .slice(0, MAX_PREFIX_LENGTH)
    .replace(/^-+|-+$/g, "");
  if (!/^[a-z]/.test(name)) {
    throw new Error(
      `namePrefix ${JSON.stringify(prefix)} must start with a letter (it names AWS resources)`,
    );
  }
  return name;
}

/** The RDS instance identifier of the database whose resources are named after `prefix`
 * (the app's name): what alarms watch and what `slipway promote` snapshots. */
export function databaseIdentifier(prefix: string): string {
  return `${awsName(prefix)}-db`;
}
