// PostgresDatabase: the RDS Postgres instance of a production or staging stack, with its subnet
// group, its network (database-network.ts: the security group, and the peering with a Private
// Space), a parameter group that forces TLS, a generated master password, backups, exported logs,
// the app's own role when configured (database-role.ts), and for the app a secret DATABASE_URL
// that verifies the server plus the region's CA bundle.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CA_BUNDLE_CONFIG_VAR } from "../config/network";
import { DatabaseSettings } from "../config/schema";
import { AwsStackKind, awsTags, databaseIdentifier } from "./aws-common";
import { declareDatabaseNetwork, POSTGRES_PORT } from "./database-network";
import { declareAppRole } from "./database-role";
import { caBundleProjectPath, rdsCaBundle } from "./rds-ca";

export { POSTGRES_PORT } from "./database-network";

export const POSTGRES_DATABASE_TYPE = "slipway:aws:PostgresDatabase";

/**
 * The logs RDS exports to CloudWatch Logs: the server's, and the major-version upgrade's
 * (Security Hub RDS.9 asks for both on Postgres).
 */
export const EXPORTED_LOGS = ["postgresql", "upgrade"] as const;

/**
 * Where the app's dynos find the CA bundle: the file libpq reads by default on Heroku
 * (`$HOME/.postgresql/root.crt`, `$HOME` being `/app`), written at dyno start from the
 * DATABASE_CA_BUNDLE config var by a `.profile.d` script the app ships (docs/database.md).
 */
export const CA_BUNDLE_PATH = "/app/.postgresql/root.crt";

/** Performance Insights history kept, in days: 7 is the free tier. */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

/**
 * How each stack kind treats its database, in one place. Production refuses to be deleted or
 * replaced, keeps a final snapshot and its automated backups, and waits for the maintenance
 * window. Staging holds test data: it can be rebuilt at will and changes apply at once, so a
 * change is tried on staging the moment it merges.
 */
export const DATABASE_BEHAVIOUR: Readonly<
  Record<
    AwsStackKind,
    {
      /** Pulumi `protect` on the instance and its password. */
      readonly protect: boolean;
      readonly deletionProtection: boolean;
      readonly skipFinalSnapshot: boolean;
      readonly applyImmediately: boolean;
      /** Whether automated backups go with the instance when it is deleted. */
      readonly deleteAutomatedBackups: boolean;
      /** Retention of the exported logs in CloudWatch Logs. */
      readonly logRetentionDays: number;
    }
  >
> = {
  production: {
    protect: true,
    deletionProtection: true,
    skipFinalSnapshot: false,
    applyImmediately: false,
    deleteAutomatedBackups: false,
    logRetentionDays: 30,
  },
  staging: {
    protect: false,
    deletionProtection: false,
    skipFinalSnapshot: true,
    applyImmediately: true,
    deleteAutomatedBackups: true,
    logRetentionDays: 7,
  },
};

/**
 * The master password's shape: long, and only characters that need no escaping in a URL and
 * that RDS accepts (it refuses `/`, `@`, `"` and space), so DATABASE_URL stays easy to read.
 */
export const PASSWORD_OPTIONS = {
  length: 40,
  special: true,
  overrideSpecial: "-_.~",
  minLower: 1,
  minUpper: 1,
  minNumeric: 1,
} as const;

export interface PostgresDatabaseArgs {
  /**
   * The validated `slipway:database` settings (engine version, class, storage, backups,
   * network).
   * @default - required: `config.database` from `loadConfig()`
   */
  readonly settings: DatabaseSettings;
  /**
   * The stack's kind, which decides protection, final snapshot and when changes apply
   * (see `DATABASE_BEHAVIOUR`).
   * @default - required
   */
  readonly kind: AwsStackKind;
  /**
   * The start of every AWS name the component sets: the instance is `<prefix>-db`.
   * @default - required; the app name (`slipway:app.name`) reads best
   * @example "acme-web"
   */
  readonly namePrefix: string;
  /**
   * The stack's `aws:region`, whose RDS certificate authorities the app is given.
   * @default - required
   * @example "us-east-1"
   */
  readonly awsRegion: string;
  /**
   * The Private Space the app runs in (`slipway:app.space`): the peer in private-space, the
   * source of NAT addresses in static-egress without `allowedCidrs`.
   * @default - the app runs on the Common Runtime
   */
  readonly space?: string;
}

/** The database fields the Alerting component needs for its alarms. */
export interface AlarmedDatabase {
  /** The RDS instance identifier, the alarms' `DBInstanceIdentifier` dimension. */
  readonly instanceIdentifier: pulumi.Input<string>;
  /** The instance class, from which RDS derives max_connections. */
  readonly instanceClass: string;
  /** The storage allocated at creation, in GiB. */
  readonly allocatedStorageGb: number;
}

/** The RDS Postgres database of one stack. */
export class PostgresDatabase extends pulumi.ComponentResource implements AlarmedDatabase {
  /** The instance's host name. */
  readonly endpoint: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** The RDS instance identifier (`<prefix>-db`), for alarms, snapshots and the aws CLI. */
  readonly instanceIdentifier: pulumi.Output<string>;
  /**
   * `postgres://user:password@host:port/db?sslmode=verify-full&sslrootcert=...`, a secret: the
   * app's DATABASE_URL. It carries the app's own role when `appRole` is set, else the master
   * user (docs/database.md, The app's own role).
   */
  readonly databaseUrl: pulumi.Output<string>;
  /** Plain config vars the app needs besides DATABASE_URL: the region's CA bundle. */
  readonly configVars: Readonly<Record<string, string>>;
  readonly instanceClass: string;
  readonly allocatedStorageGb: number;

  constructor(name: string, args: PostgresDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super(POSTGRES_DATABASE_TYPE, name, {}, opts);
    const { settings, kind } = args;
    const behaviour = DATABASE_BEHAVIOUR[kind];
    const identifier = databaseIdentifier(args.namePrefix);
    const tags = awsTags(kind);
    const caBundle = rdsCaBundle(args.awsRegion, settings.caBundleFile);

    const found = this.findNetwork(settings);
    const subnetGroup = this.createSubnetGroup(name, identifier, found.subnetIds, tags);
    const network = declareDatabaseNetwork(this, name, {
      mode: settings.network,
      identifier,
      vpcId: found.vpcId,
      allowedCidrs: settings.allowedCidrs,
      routeTableIds: settings.routeTableIds,
      space: args.space,
      tags,
    });
    const warnings = databaseWarnings(settings, network.sources === "none");
    for (const warning of warnings) void pulumi.log.warn(warning, this);
    const parameterGroup = this.createParameterGroup(name, identifier, settings, tags);
    const password = new random.RandomPassword(`${name}-password`, PASSWORD_OPTIONS, {
      parent: this,
      protect: behaviour.protect,
    });
    // The postgresql log keeps its first name, so existing stacks keep their log group.
    const logGroups = EXPORTED_LOGS.map(
      (log) =>
        new aws.cloudwatch.LogGroup(
          log === "postgresql" ? `${name}-log` : `${name}-log-${log}`,
          {
            name: `/aws/rds/instance/${identifier}/${log}`,
            retentionInDays: behaviour.logRetentionDays,
            tags,
          },
          { parent: this },
        ),
    );

    // What the AWS provider replaces the instance on (its ForceNew inputs that slipway sets).
    const identity = {
      identifier,
      engine: "postgres",
      dbName: settings.databaseName,
      username: settings.username,
      storageEncrypted: true,
    } as const;
    const finalSnapshotIdentifier = behaviour.skipFinalSnapshot
      ? undefined
      : this.finalSnapshotIdentifier(name, identity);

    const instance = new aws.rds.Instance(
      `${name}-instance`,
      {
        ...identity,
        engineVersion: settings.engineVersion,
        instanceClass: settings.instanceClass,
        password: password.result,
        port: POSTGRES_PORT,
        storageType: "gp3",
        allocatedStorage: settings.allocatedStorageGb,
        maxAllocatedStorage: settings.maxAllocatedStorageGb,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [network.securityGroup.id],
        parameterGroupName: parameterGroup.name,
        publiclyAccessible: network.publiclyAccessible,
        multiAz: settings.multiAz,
        backupRetentionPeriod: settings.backupRetentionDays,
        backupWindow: settings.backupWindow,
        maintenanceWindow: settings.maintenanceWindow,
        copyTagsToSnapshot: true,
        deleteAutomatedBackups: behaviour.deleteAutomatedBackups,
        performanceInsightsEnabled: settings.performanceInsights,
        performanceInsightsRetentionPeriod: settings.performanceInsights
          ? PERFORMANCE_INSIGHTS_RETENTION_DAYS
          : undefined,
        autoMinorVersionUpgrade: true,
        // A new major version is a reviewed config change; without this RDS would refuse it.
        allowMajorVersionUpgrade: true,
        enabledCloudwatchLogsExports: [...EXPORTED_LOGS],
        deletionProtection: behaviour.deletionProtection,
        skipFinalSnapshot: behaviour.skipFinalSnapshot,
        finalSnapshotIdentifier,
        applyImmediately: behaviour.applyImmediately,
        tags,
      },
      {
        parent: this,
        protect: behaviour.protect,
        // The identifier is fixed, so a replacement must free it first.
        deleteBeforeReplace: true,
        // RDS would create the log groups itself, without retention, if it exported first.
        dependsOn: logGroups,
      },
    );

    this.endpoint = instance.address;
    this.port = instance.port;
    this.instanceIdentifier = instance.identifier;
    this.instanceClass = settings.instanceClass;
    this.allocatedStorageGb = settings.allocatedStorageGb;
    this.configVars = { [CA_BUNDLE_CONFIG_VAR]: caBundle };
    const login =
      settings.appRole === undefined
        ? { username: pulumi.output(settings.username), password: password.result }
        : declareAppRole(this, name, {
            role: settings.appRole,
            database: settings.databaseName,
            host: instance.address,
            port: instance.port,
            masterUsername: settings.username,
            masterPassword: password.result,
            caBundlePath: caBundleProjectPath(args.awsRegion, settings.caBundleFile),
            passwordOptions: PASSWORD_OPTIONS,
            reachable: [instance, ...network.ingressRules],
          });
    this.databaseUrl = pulumi.secret(
      pulumi
        .all([login.username, login.password, instance.address, instance.port])
        .apply(([username, secret, host, port]) =>
          postgresUrl({ username, password: secret, host, port, database: settings.databaseName }),
        ),
    );
    this.registerOutputs({
      endpoint: this.endpoint,
      port: this.port,
      instanceIdentifier: this.instanceIdentifier,
      databaseUrl: this.databaseUrl,
    });
  }

  /**
   * `<identifier>-final-<8 hex>`: the snapshot RDS takes when the instance is deleted. The AWS
   * provider reads the name from the instance's state at deletion, so it must be unique per
   * instance, not per stack: a fixed name makes the second deletion (a replacement, or the
   * stack re-created and deleted again) fail with DBSnapshotAlreadyExists while the first
   * snapshot is kept. The suffix is drawn once per instance: it changes exactly when one of the
   * inputs the provider replaces the instance on changes, and a re-created stack draws a new
   * one. At most 63 + 15 characters, well within RDS's 255; letters, digits, single hyphens.
   */
  private finalSnapshotIdentifier(
    name: string,
    identity: Record<string, string | boolean>,
  ): pulumi.Output<string> {
    const suffix = new random.RandomId(
      `${name}-final-snapshot`,
      {
        byteLength: 4,
        keepers: Object.fromEntries(Object.entries(identity).map(([k, v]) => [k, String(v)])),
      },
      { parent: this },
    );
    return pulumi.interpolate`${identity["identifier"]}-final-${suffix.hex}`;
  }

  /** The configured VPC and subnets, or the default VPC and its default subnets. */
  private findNetwork(settings: DatabaseSettings): {
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string[]>;
  } {
    const vpcId = settings.vpcId ?? aws.ec2.getVpcOutput({ default: true }, { parent: this }).id;
    if (settings.subnetIds.length > 0) return { vpcId, subnetIds: settings.subnetIds };
    const filters = [{ name: "vpc-id", values: [vpcId] }];
    // In the default VPC only the default subnets are sure to be the public ones AWS made.
    if (settings.vpcId === undefined) filters.push({ name: "default-for-az", values: ["true"] });
    const subnets = aws.ec2.getSubnetsOutput({ filters }, { parent: this });
    return { vpcId, subnetIds: subnets.ids };
  }

  private createSubnetGroup(
    name: string,
    identifier: string,
    subnetIds: pulumi.Input<string[]>,
    tags: Record<string, string>,
  ): aws.rds.SubnetGroup {
    // A prefix, not a fixed name: the new group exists before the instance moves off the old.
    return new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { namePrefix: `${identifier}-`, description: `Subnets of ${identifier}`, subnetIds, tags },
      { parent: this },
    );
  }

  private createParameterGroup(
    name: string,
    identifier: string,
    settings: DatabaseSettings,
    tags: Record<string, string>,
  ): aws.rds.ParameterGroup {
    // A prefix: a major upgrade needs a group of the new family before the old one goes.
    return new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        namePrefix: `${identifier}-`,
        family: parameterGroupFamily(settings.engineVersion),
        description: `${identifier}: TLS required`,
        parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "immediate" }],
        tags,
      },
      { parent: this },
    );
  }
}

/** The parameter group family of a Postgres engine version: `16.4` → `postgres16`. */
export function parameterGroupFamily(engineVersion: string): string {
  const major = engineVersion.split(".")[0] ?? engineVersion;
  return `postgres${major}`;
}

/**
 * A connection URL that asks for a verified server: `sslmode=verify-full` (TLS, a certificate
 * chaining to `sslrootcert`, and the host name matching it), which libpq and node-postgres read
 * the same way; the password is URL-encoded.
 */
export function postgresUrl(parts: {
  username: string;
  password: string;
  host: string;
  port: number;
  database: string;
}): string {
  const user = encodeURIComponent(parts.username);
  const password = encodeURIComponent(parts.password);
  const tls = `sslmode=verify-full&sslrootcert=${encodeURIComponent(CA_BUNDLE_PATH)}`;
  return `postgres://${user}:${password}@${parts.host}:${parts.port}/${parts.database}?${tls}`;
}

/**
 * Settings that are valid but likely to surprise: each becomes a `pulumi.log.warn`.
 * `admitsNothing`: the network admits no address (static-egress with no addresses and no space).
 */
export function databaseWarnings(settings: DatabaseSettings, admitsNothing = false): string[] {
  const warnings: string[] = [];
  if (admitsNothing) {
    warnings.push(
      "slipway:database.allowedCidrs is empty and the app runs in no Private Space, so nothing " +
        `can reach the database on port ${POSTGRES_PORT}, the app included. Fix: list the ` +
        "addresses of the app's static-egress add-on: pulumi config set --path " +
        "'slipway:database.allowedCidrs[0]' 192.0.2.10/32 (see docs/database.md, The network).",
    );
  }
  if (settings.engineVersion.includes(".")) {
    warnings.push(
      `slipway:database.engineVersion pins the minor version ${settings.engineVersion} while ` +
        "automatic minor upgrades are on: after AWS upgrades the instance, the next update " +
        "would try to go back. Fix: set slipway:database.engineVersion to the major version " +
        `alone ("${settings.engineVersion.split(".")[0]}") in the stack's config file.`,
    );
  }
  return warnings;
}
