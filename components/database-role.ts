// The app's own Postgres role (`slipway:database.appRole`), declared as children of the
// PostgresDatabase component: a Postgres provider that logs in as the master user from wherever
// `pulumi up` runs, a generated password, the role, and what the role may do in the app's
// database. Config validation (config/network.ts) allows it only where the security group can
// admit that machine.
import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/** The schema the app's tables live in: Postgres's default, where migrations create them. */
export const APP_SCHEMA = "public";

/**
 * How long the provider waits for the database to answer, in seconds: a runner the security
 * group does not admit fails after this instead of the provider's default of three minutes.
 */
export const CONNECT_TIMEOUT_SECONDS = 30;

/**
 * What the role may do, on the database and its schema. CREATE on the database lets the app
 * add a schema or a trusted extension; TEMPORARY, temporary tables; CREATE on the schema lets
 * migrations, which run as the app's role, create the tables the role then owns.
 */
export const APP_ROLE_GRANTS = [
  { suffix: "database", objectType: "database", privileges: ["CONNECT", "CREATE", "TEMPORARY"] },
  { suffix: "schema", objectType: "schema", privileges: ["CREATE", "USAGE"] },
] as const;

/**
 * What the role gets on the tables and sequences the master user creates in the schema from
 * now on (a restore run as the master user, say): the same use of the data as on its own
 * tables, without owning them. Tables made before the role existed are handed over once by
 * hand (docs/database.md): a Grant over "all tables" would be read back as missing on every
 * table the role owns, so drift.yml would report a change on every run.
 */
export const APP_ROLE_DEFAULT_PRIVILEGES = [
  {
    suffix: "tables",
    objectType: "table",
    privileges: ["DELETE", "INSERT", "REFERENCES", "SELECT", "TRIGGER", "TRUNCATE", "UPDATE"],
  },
  { suffix: "sequences", objectType: "sequence", privileges: ["SELECT", "UPDATE", "USAGE"] },
] as const;

export interface AppRoleArgs {
  /** The role's name (`slipway:database.appRole`). */
  readonly role: string;
  /** The app's database (`slipway:database.databaseName`). */
  readonly database: string;
  /** The instance's host and port, which the provider connects to. */
  readonly host: pulumi.Input<string>;
  readonly port: pulumi.Input<number>;
  /** The master user and password (a secret), which the provider logs in as. */
  readonly masterUsername: string;
  readonly masterPassword: pulumi.Input<string>;
  /** The CA bundle's path relative to the project, where the provider runs. */
  readonly caBundlePath: string;
  /** The password's shape: the master password's, so the URL needs no escaping either. */
  readonly passwordOptions: random.RandomPasswordArgs;
  /**
   * What must exist before the provider connects: the instance, and the security group rules
   * that admit the machine running `pulumi up`.
   */
  readonly reachable: pulumi.Resource[];
}

/** What the app's DATABASE_URL needs from the role. */
export interface DeclaredAppRole {
  /** The role's name, known once the role exists. */
  readonly username: pulumi.Output<string>;
  /** Its password, a secret, known once every grant is in place. */
  readonly password: pulumi.Output<string>;
}

/**
 * Declares the app's role under `parent`, children named `<name>-...`. The provider verifies the
 * server as the app does (`verify-full` against the region's RDS authorities). The role can log
 * in and nothing more: no superuser, no CREATEDB, no CREATEROLE, no replication, no bypassing
 * row security; no connection limit, since RDS keeps slots for the master user anyway
 * (rds_superuser's reserved connections).
 */
export function declareAppRole(
  parent: pulumi.Resource,
  name: string,
  args: AppRoleArgs,
): DeclaredAppRole {
  const provider = new postgresql.Provider(
    `${name}-postgres`,
    {
      host: args.host,
      port: args.port,
      database: args.database,
      username: args.masterUsername,
      password: args.masterPassword,
      sslmode: "verify-full",
      sslrootcert: args.caBundlePath,
      // The RDS master user is not a Postgres superuser; the provider then skips what needs one.
      superuser: false,
      connectTimeout: CONNECT_TIMEOUT_SECONDS,
    },
    { parent, dependsOn: args.reachable },
  );
  const password = new random.RandomPassword(`${name}-app-password`, args.passwordOptions, {
    parent,
  });
  const role = new postgresql.Role(
    `${name}-app-role`,
    {
      name: args.role,
      login: true,
      password: password.result,
      superuser: false,
      createDatabase: false,
      createRole: false,
      replication: false,
      bypassRowLevelSecurity: false,
    },
    { parent, provider },
  );
  const grants = APP_ROLE_GRANTS.map(
    (grant) =>
      new postgresql.Grant(
        `${name}-app-grant-${grant.suffix}`,
        {
          role: role.name,
          database: args.database,
          ...(grant.objectType === "schema" ? { schema: APP_SCHEMA } : {}),
          objectType: grant.objectType,
          privileges: [...grant.privileges],
        },
        { parent, provider },
      ),
  );
  const defaults = APP_ROLE_DEFAULT_PRIVILEGES.map(
    (entry) =>
      new postgresql.DefaultPrivileges(
        `${name}-app-defaults-${entry.suffix}`,
        {
          role: role.name,
          database: args.database,
          schema: APP_SCHEMA,
          owner: args.masterUsername,
          objectType: entry.objectType,
          privileges: [...entry.privileges],
        },
        { parent, provider },
      ),
  );
  // The URL waits for every grant, so the app never restarts onto a role that cannot work yet.
  const ready = pulumi.all([...grants, ...defaults].map((resource) => resource.id));
  return {
    username: role.name,
    password: pulumi.all([password.result, ready]).apply(([secret]) => secret),
  };
}
