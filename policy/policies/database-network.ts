// The database's network: in production nothing admits the whole internet to the database port
// (Security Hub EC2.19), and a database with a public address admits only narrow blocks (the
// reason RDS.2 is tolerated in static-egress). A team that wants the exposure names the database.
import {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import * as aws from "@pulumi/aws";
import { label, settingsOf, stackKind } from "./common";

const INSTANCE = "aws:rds/instance:Instance";
const GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const LEGACY_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

/** Postgres's port, when an instance does not say. */
const DEFAULT_PORT = 5432;

/**
 * The most addresses a block may hold before it counts as wide: 256, an IPv4 /24 (the same limit
 * as slipway's config validation, config/limits.ts WIDEST_PUBLIC_PREFIX) or an IPv6 /120.
 */
export const MAX_NARROW_ADDRESSES = 256;

/** RDS instance identifiers, as a waiver names them. */
const IDENTIFIER_PATTERN = "^[a-z][a-z0-9-]{0,62}$";

/** One ingress permission, wherever it was declared. */
interface Permission {
  readonly resource: PolicyResource;
  /** The security group it belongs to, when the stack declares it. */
  readonly group?: PolicyResource;
  readonly cidrs: readonly string[];
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
}

const asList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/** Every ingress permission of the stack: rule resources, legacy rules and inline rules. */
export function permissionsOf(resources: readonly PolicyResource[]): Permission[] {
  const groupOf = (r: PolicyResource) => r.dependencies.find((d) => d.type === GROUP);
  const found: Permission[] = [];
  for (const resource of resources) {
    const p = resource.props;
    if (resource.type === INGRESS_RULE) {
      found.push({
        resource,
        group: groupOf(resource),
        cidrs: [p["cidrIpv4"], p["cidrIpv6"]].filter((c): c is string => typeof c === "string"),
        protocol: String(p["ipProtocol"]),
        fromPort: Number(p["fromPort"] ?? 0),
        toPort: Number(p["toPort"] ?? 0),
      });
    } else if (resource.type === LEGACY_RULE && p["type"] === "ingress") {
      found.push({
        resource,
        group: groupOf(resource),
        cidrs: [...asList(p["cidrBlocks"]), ...asList(p["ipv6CidrBlocks"])],
        protocol: String(p["protocol"]),
        fromPort: Number(p["fromPort"]),
        toPort: Number(p["toPort"]),
      });
    } else if (resource.type === GROUP) {
      for (const entry of (p["ingress"] as Record<string, unknown>[] | undefined) ?? []) {
        found.push({
          resource,
          group: resource,
          cidrs: [...asList(entry["cidrBlocks"]), ...asList(entry["ipv6CidrBlocks"])],
          protocol: String(entry["protocol"]),
          fromPort: Number(entry["fromPort"]),
          toPort: Number(entry["toPort"]),
        });
      }
    }
  }
  return found;
}

/** Whether a permission lets TCP reach `port` (all protocols included). */
export function coversPort(
  permission: Pick<Permission, "protocol" | "fromPort" | "toPort">,
  port: number,
): boolean {
  const protocol = permission.protocol.toLowerCase();
  if (protocol === "-1" || protocol === "all") return true;
  if (protocol !== "tcp" && protocol !== "6") return false;
  return permission.fromPort <= port && port <= permission.toPort;
}

/** How many addresses a CIDR block holds, as a power of two (`/24` -> 8). */
function hostBits(cidr: string): number {
  const [address, prefix] = cidr.split("/");
  const total = address?.includes(":") ? 128 : 32;
  return total - Number(prefix ?? total);
}

export const isWorld = (cidr: string) => hostBits(cidr) === (cidr.includes(":") ? 128 : 32);

/** Whether a block holds more than `MAX_NARROW_ADDRESSES` addresses. */
export const isWide = (cidr: string) => 2 ** hostBits(cidr) > MAX_NARROW_ADDRESSES;

export const rdsNetworkRestricted: StackValidationPolicy = {
  name: "rds-network-restricted",
  description:
    "In production no security group admits the whole internet to the database port, and a publicly accessible database admits only blocks of 256 addresses or fewer (an IPv4 /24).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set slipway:database.network to private-space, or to static-egress with the static-egress add-on's addresses (docs/database.md). To accept the exposure, name the database in this policy's waivedDatabases.",
  configSchema: {
    properties: {
      waivedDatabases: {
        type: "array",
        items: { type: "string", pattern: IDENTIFIER_PATTERN },
        uniqueItems: true,
        default: [],
      },
    },
  },
  validateStack: (args, report) => {
    if (stackKind(args.resources) !== "production") return;
    const { waivedDatabases } = settingsOf<{ waivedDatabases: string[] }>(
      args,
      rdsNetworkRestricted,
    );
    const instances = args.resources.filter((r) => r.type === INSTANCE);
    const portOf = (db: PolicyResource) => Number(db.props["port"] ?? DEFAULT_PORT);
    // A permission's group is always a security group, so a database's dependencies need no
    // filtering by type before they are searched for it.
    const inGroupOf = (db: PolicyResource, permission: Permission) =>
      permission.group !== undefined && db.dependencies.includes(permission.group);
    const waived = (db: PolicyResource) => waivedDatabases.includes(String(db.props["identifier"]));
    const permissions = permissionsOf(args.resources);
    const ports = new Set([DEFAULT_PORT, ...instances.map(portOf)]);

    for (const permission of permissions) {
      const world = permission.cidrs.filter(isWorld);
      const port = [...ports].find((p) => coversPort(permission, p));
      if (world.length === 0 || port === undefined) continue;
      const owners = instances.filter((db) => inGroupOf(db, permission));
      if (owners.length > 0 && owners.every(waived)) continue;
      report(
        `${label(permission.resource)} admits ${world.join(" and ")} to port ${port}` +
          (owners.length > 0
            ? ` of ${owners.map((db) => String(db.props["identifier"])).join(", ")}`
            : "") +
          ": the whole internet can reach the database.",
        permission.resource.urn,
      );
    }

    for (const db of instances.filter((i) => i.props["publiclyAccessible"] === true)) {
      if (waived(db)) continue;
      const wide = permissions
        .filter((p) => inGroupOf(db, p))
        .filter((p) => coversPort(p, portOf(db)))
        .flatMap((p) => p.cidrs.filter((c) => isWide(c) && !isWorld(c)));
      if (wide.length > 0) {
        report(
          `${String(db.props["identifier"])} is publicly accessible and admits ${wide.join(", ")}, wider than a /24.`,
          db.urn,
        );
      }
    }
  },
};

/** What RDS for PostgreSQL can export; slipway exports both. */
const POSTGRES_LOGS = ["postgresql", "upgrade"];

export const rdsLogsExported: ResourceValidationPolicy = {
  name: "rds-logs-exported",
  description:
    "Every Postgres database exports its postgresql and upgrade logs to CloudWatch Logs, where failed logins and upgrades can be read later.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set enabledCloudwatchLogsExports to [postgresql, upgrade] on the instance (PostgresDatabase does).",
  validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
    if (db.engine !== "postgres") return;
    // Stryker disable next-line ArrayDeclaration: equivalent, an element that is not a log name changes no "missing" list
    const exported = db.enabledCloudwatchLogsExports ?? [];
    const missing = POSTGRES_LOGS.filter((log) => !exported.includes(log));
    if (missing.length > 0) report(`Not exported: ${missing.join(", ")}.`);
  }),
};

export const databaseNetworkPolicies = [rdsNetworkRestricted, rdsLogsExported];
