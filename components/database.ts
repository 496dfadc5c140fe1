// PostgresDatabase: the RDS Postgres instance of a production or staging stack, with its subnet
// group, a security group open on 5432 to the configured CIDRs only, a parameter group that
// forces TLS, a generated master password, backups, and a secret DATABASE_URL for the app.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DatabaseSettings } from "../config/schema";
import { AwsStackKind, awsName, awsTags } from "./aws-common";

export const POSTGRES_DATABASE_TYPE = "slipway:aws:PostgresDatabase";

/** Postgres's port; the security group opens only this one. */
export const POSTGRES_PORT = 5432;

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
      /** Retention of the exported postgresql log in CloudWatch Logs. */
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
  /** `postgres://user:password@host:port/db?sslmode=require`, a secret: the app's DATABASE_URL. */
  readonly databaseUrl: pulumi.Output<string>;
  readonly instanceClass: string;
  readonly allocatedStorageGb: number;

  constructor(name: string, args: PostgresDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super(POSTGRES_DATABASE_TYPE, name, {}, opts);
    const { settings, kind } = args;
    const behaviour = DATABASE_BEHAVIOUR[kind];
    const identifier = `${awsName(args.namePrefix)}-db`;
    const tags = awsTags(kind);
    for (const warning of databaseWarnings(settings)) void pulumi.log.warn(warning, this);

    const network = this.findNetwork(settings);
    const subnetGroup = this.createSubnetGroup(name, identifier, network.subnetIds, tags);
    const securityGroup = this.createSecurityGroup(name, identifier, network.vpcId, settings, tags);
    const parameterGroup = this.createParameterGroup(name, identifier, settings, tags);
    const password = new random.RandomPassword(`${name}-password`, PASSWORD_OPTIONS, {
      parent: this,
      protect: behaviour.protect,
    });
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-log`,
      {
        name: `/aws/rds/instance/${identifier}/postgresql`,
        retentionInDays: behaviour.logRetentionDays,
        tags,
      },
      { parent: this },
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
        vpcSecurityGroupIds: [securityGroup.id],
        parameterGroupName: parameterGroup.name,
        publiclyAccessible: settings.publiclyAccessible,
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
        enabledCloudwatchLogsExports: ["postgresql"],
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
        // RDS would create the log group itself, without retention, if it exported first.
        dependsOn: [logGroup],
      },
    );

    this.endpoint = instance.address;
    this.port = instance.port;
    this.instanceIdentifier = instance.identifier;
    this.instanceClass = settings.instanceClass;
    this.allocatedStorageGb = settings.allocatedStorageGb;
    this.databaseUrl = pulumi.secret(
      pulumi.all([password.result, instance.address, instance.port]).apply(([secret, host, port]) =>
        postgresUrl({
          username: settings.username,
          password: secret,
          host,
          port,
          database: settings.databaseName,
        }),
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

  /**
   * Port 5432 from each configured CIDR block, one rule per block so a change touches one
   * rule. No egress rule at all: security groups are stateful, so replies to clients flow
   * back anyway, and the database opens no connections of its own. (AWS's default allow-all
   * egress rule is removed by the provider when it creates the group.)
   */
  private createSecurityGroup(
    name: string,
    identifier: string,
    vpcId: pulumi.Input<string>,
    settings: DatabaseSettings,
    tags: Record<string, string>,
  ): aws.ec2.SecurityGroup {
    const group = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        namePrefix: `${identifier}-`,
        description: `Postgres ${POSTGRES_PORT} from slipway:database.allowedCidrs only`,
        vpcId,
        tags,
      },
      { parent: this },
    );
    for (const cidr of settings.allowedCidrs) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-ingress-${cidr.replace(/[./]/g, "-")}`,
        {
          securityGroupId: group.id,
          ipProtocol: "tcp",
          fromPort: POSTGRES_PORT,
          toPort: POSTGRES_PORT,
          cidrIpv4: cidr,
          description: `Postgres from ${cidr} (slipway:database.allowedCidrs)`,
          tags,
        },
        // AWS refuses a second rule for the same block and port, so the old one goes first.
        { parent: this, deleteBeforeReplace: true },
      );
    }
    return group;
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

/** A libpq connection URL that insists on TLS; the password is URL-encoded. */
export function postgresUrl(parts: {
  username: string;
  password: string;
  host: string;
  port: number;
  database: string;
}): string {
  const user = encodeURIComponent(parts.username);
  const password = encodeURIComponent(parts.password);
  return `postgres://${user}:${password}@${parts.host}:${parts.port}/${parts.database}?sslmode=require`;
}

/** Settings that are valid but likely to surprise: each becomes a `pulumi.log.warn`. */
export function databaseWarnings(settings: DatabaseSettings): string[] {
  const warnings: string[] = [];
  if (settings.allowedCidrs.length === 0) {
    warnings.push(
      "slipway:database.allowedCidrs is empty, so nothing can reach the database on port " +
        `${POSTGRES_PORT}, the app included. Fix: pulumi config set --path ` +
        "'slipway:database.allowedCidrs[0]' 0.0.0.0/0 (see docs/database.md for the choice).",
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
