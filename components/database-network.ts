// How the app reaches its database (`slipway:database.network`), declared as children of the
// PostgresDatabase component: the security group and its rules in every mode, and in
// private-space the peering with the app's Private Space (Heroku's peering info, the AWS peering
// request, Heroku's acceptance, routes from the database's subnets to the space).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatabaseNetwork } from "../config/schema";
import { SpaceNat, SpacePeering, SpacePeeringInfo } from "./heroku/resources";

/** Postgres's port; the security group opens only this one. */
export const POSTGRES_PORT = 5432;

/** Every IPv4 address: what `public` admits. */
export const WORLD_IPV4 = "0.0.0.0/0";

export interface DatabaseNetworkArgs {
  /** The mode (`slipway:database.network`). */
  readonly mode: DatabaseNetwork;
  /** The RDS instance identifier (`acme-web-db`): names and describes what is made here. */
  readonly identifier: string;
  /** The VPC the database lives in. */
  readonly vpcId: pulumi.Input<string>;
  /** static-egress: the blocks admitted (validated: /24 or narrower). */
  readonly allowedCidrs: readonly string[];
  /** private-space: the route tables that get a route to the space. */
  readonly routeTableIds: readonly string[];
  /** The app's Private Space (`slipway:app.space`), if it runs in one. */
  readonly space?: string;
  readonly tags: Record<string, string>;
}

/** What the instance needs from its network. */
export interface DeclaredNetwork {
  readonly securityGroup: aws.ec2.SecurityGroup;
  /** The rules that are resources of their own (static-egress with a list, public). */
  readonly ingressRules: readonly aws.vpc.SecurityGroupIngressRule[];
  /** Whether RDS gives the instance a public address (private-space: never). */
  readonly publiclyAccessible: boolean;
  /** Where the admitted addresses came from, for the warning when nothing is admitted. */
  readonly sources: "none" | "cidrs" | "space-nat" | "space-peering";
}

/**
 * Declares the network of one database under `parent`, children named `<name>-...`:
 * - private-space: no public address; 5432 from the space's dyno blocks only, over a peering
 *   connection accepted on Heroku's side and routed from `routeTableIds`.
 * - static-egress: a public address; 5432 from `allowedCidrs` only or, when there are none and
 *   the app runs in a space, from the space's NAT addresses. With neither, nothing is admitted.
 * - public: a public address; 5432 from every IPv4 address.
 */
export function declareDatabaseNetwork(
  parent: pulumi.Resource,
  name: string,
  args: DatabaseNetworkArgs,
): DeclaredNetwork {
  const { mode, space } = args;
  if (mode === "private-space") {
    if (space === undefined) throw new Error("private-space needs a space (config validation)");
    const dynoBlocks = peerWithSpace(parent, name, { ...args, space });
    const group = securityGroup(parent, name, args, [ingress(dynoBlocks, `dynos of ${space}`)]);
    return {
      securityGroup: group,
      ingressRules: [],
      publiclyAccessible: false,
      sources: "space-peering",
    };
  }
  if (mode === "static-egress" && args.allowedCidrs.length === 0 && space !== undefined) {
    const nat = new SpaceNat(`${name}-space-nat`, { space }, { parent });
    const addresses = nat.sources.apply((sources) => sources.map((ip) => `${ip}/32`));
    const group = securityGroup(parent, name, args, [ingress(addresses, `NAT of ${space}`)]);
    return {
      securityGroup: group,
      ingressRules: [],
      publiclyAccessible: true,
      sources: "space-nat",
    };
  }
  const cidrs = mode === "public" ? [WORLD_IPV4] : [...args.allowedCidrs];
  const group = securityGroup(parent, name, args);
  const ingressRules = cidrs.map(
    (cidr) =>
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-ingress-${cidr.replace(/[./]/g, "-")}`,
        {
          securityGroupId: group.id,
          ipProtocol: "tcp",
          fromPort: POSTGRES_PORT,
          toPort: POSTGRES_PORT,
          cidrIpv4: cidr,
          description: `Postgres from ${cidr} (slipway:database.network ${mode})`,
          tags: args.tags,
        },
        // AWS refuses a second rule for the same block and port, so the old one goes first.
        { parent, deleteBeforeReplace: true },
      ),
  );
  return {
    securityGroup: group,
    ingressRules,
    publiclyAccessible: cidrs.length > 0,
    sources: cidrs.length > 0 ? "cidrs" : "none",
  };
}

/** One inline rule on 5432 from a list whose length Heroku decides. */
function ingress(
  cidrBlocks: pulumi.Input<string[]>,
  from: string,
): aws.types.input.ec2.SecurityGroupIngress {
  return {
    protocol: "tcp",
    fromPort: POSTGRES_PORT,
    toPort: POSTGRES_PORT,
    cidrBlocks,
    description: `Postgres from the ${from}`,
  };
}

/**
 * The database's security group. Rules over a known list of blocks are separate resources, one
 * per block, so a change touches one rule; a list Heroku reports (dyno blocks, NAT addresses) can
 * only be one inline rule, which also makes the group's ingress exactly that list. No egress
 * rule: security groups are stateful, so replies flow anyway, and the database opens no
 * connections of its own (the provider removes AWS's default allow-all egress on create).
 */
function securityGroup(
  parent: pulumi.Resource,
  name: string,
  args: DatabaseNetworkArgs,
  inline?: aws.types.input.ec2.SecurityGroupIngress[],
): aws.ec2.SecurityGroup {
  // A prefix, not a fixed name: a new group exists before the instance moves off the old one.
  return new aws.ec2.SecurityGroup(
    `${name}-sg`,
    {
      namePrefix: `${args.identifier}-`,
      description: `Postgres ${POSTGRES_PORT} to ${args.identifier} (slipway:database.network ${args.mode})`,
      vpcId: args.vpcId,
      ...(inline === undefined ? {} : { ingress: inline }),
      tags: args.tags,
    },
    { parent },
  );
}

/**
 * Peers the database's VPC with the space's: AWS requests the connection to the VPC Heroku names,
 * Heroku accepts it (and routes its side), the database's route tables send the space's
 * addresses through it. Answers the dyno blocks the database should admit.
 */
function peerWithSpace(
  parent: pulumi.Resource,
  name: string,
  args: DatabaseNetworkArgs & { space: string },
): pulumi.Output<string[]> {
  const info = new SpacePeeringInfo(
    `${name}-space-peering-info`,
    { space: args.space },
    { parent },
  );
  const connection = new aws.ec2.VpcPeeringConnection(
    `${name}-peering`,
    {
      vpcId: args.vpcId,
      peerVpcId: info.vpcId,
      peerOwnerId: info.awsAccountId,
      peerRegion: info.awsRegion,
      // Another account's VPC: Heroku accepts, below.
      autoAccept: false,
      tags: { ...args.tags, Name: `${args.identifier} to Heroku space ${args.space}` },
    },
    { parent },
  );
  const accepted = new SpacePeering(
    `${name}-space-peering`,
    { space: args.space, pcxId: connection.id },
    { parent },
  );
  for (const routeTableId of args.routeTableIds) {
    new aws.ec2.Route(
      `${name}-route-${routeTableId}`,
      {
        routeTableId,
        destinationCidrBlock: info.vpcCidr,
        vpcPeeringConnectionId: connection.id,
      },
      // Only once Heroku has accepted: a refused connection leaves no dead route behind.
      { parent, dependsOn: [accepted] },
    );
  }
  return info.dynoCidrBlocks;
}
