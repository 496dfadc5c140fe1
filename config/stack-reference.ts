// Stack names as the backends read them in a StackReference: `stack`, `organization/stack` or
// `organization/project/stack` (ParseStackReference of the Pulumi CLI's local and cloud backends).
// A bare name leaves the organization to the backend, and Pulumi Cloud then picks the user's
// default organization, not the running stack's: so slipway always names all three parts.

/** The three parts of a stack reference; the backend fills in what a name leaves out. */
export interface StackName {
  readonly organization?: string;
  readonly project?: string;
  readonly stack: string;
}

/** The organization a local (DIY) backend reports for every stack: it has no organizations. */
export const LOCAL_ORGANIZATION = "organization";

/** Splits `stack`, `organization/stack` or `organization/project/stack`. */
export function parseStackName(name: string): StackName {
  const parts = name.split("/");
  if (parts.length === 3) {
    return { organization: parts[0], project: parts[1], stack: parts[2] as string };
  }
  if (parts.length === 2) return { organization: parts[0], stack: parts[1] as string };
  if (parts.length === 1) return { stack: name };
  // config/schema.ts allows at most three parts; anything else is a bug in the caller.
  throw new Error(`${JSON.stringify(name)} has more than three parts`);
}

/**
 * `organization/project/stack` for a StackReference from the running stack: the parts a name
 * leaves out are the running stack's (`pulumi.getOrganization()`, `pulumi.getProject()`).
 */
export function qualifyStackName(name: string, organization: string, project: string): string {
  const parsed = parseStackName(name);
  return `${parsed.organization ?? organization}/${parsed.project ?? project}/${parsed.stack}`;
}
