// The database network per mode (slipway:database.network), as PostgresDatabase declares it:
// exact children, inputs and dependencies, with the Private Space's answers mocked the way the
// Heroku providers report them, and unknown as they are in a preview.
import * as pulumi from "@pulumi/pulumi";
import { CapturedStack, runUnderMocks } from "../../cli/plan/capture";
import { createMocks, stableHex } from "../../cli/plan/mocks";
import { UNKNOWN } from "../../cli/plan/values";
import { PostgresDatabase } from "../../components/database";
import { databaseSchema } from "../../config/schema";
import { one, ofType } from "../support/stacks";

const HEROKU = "pulumi-nodejs:dynamic/heroku:";
const DB = "aws:rds/instance:Instance";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection";
const ROUTE = "aws:ec2/route:Route";

const tags = { "slipway:environment": "production", "slipway:stack": "slipway/production" };
const defaultVpc = `vpc-${stableHex(17, "vpc", "us-east-1")}`;
const groupId = `sg-${stableHex(17, SG, "db-sg")}`;

/** What Heroku answers for the space `acme-space` (the layout of its peering docs). */
const SPACE_ANSWERS: Record<string, Record<string, unknown>> = {
  SpacePeeringInfo: {
    awsAccountId: "847227832372",
    awsRegion: "us-east-1",
    vpcId: "vpc-e291cc85",
    vpcCidr: "10.0.0.0/16",
    dynoCidrBlocks: ["10.0.128.0/20", "10.0.144.0/20"],
    unavailableCidrBlocks: ["10.1.0.0/16"],
  },
  SpaceNat: { sources: ["52.0.2.10", "52.0.2.11"] },
  SpacePeering: { status: "active", awsVpcId: defaultVpc, cidrBlocks: ["172.31.0.0/16"] },
};

/** The plan's mocks, plus the space's answers when `known` (else they stay unknown). */
function mocks(known: boolean): pulumi.runtime.Mocks {
  const base = createMocks({ awsRegion: "us-east-1", stackOutputs: () => undefined });
  return {
    call: (args) => base.call(args),
    newResource: (args) => {
      const made = base.newResource(args) as { id: string; state: Record<string, unknown> };
      if (args.type === "aws:ec2/vpcPeeringConnection:VpcPeeringConnection") {
        return { ...made, id: "pcx-0123456789abcdef0" };
      }
      const answers = SPACE_ANSWERS[args.type.slice(HEROKU.length)];
      if (!known || !args.type.startsWith(HEROKU) || answers === undefined) return made;
      return { ...made, state: { ...made.state, ...answers } };
    },
  };
}

async function plan(
  database: Record<string, unknown>,
  options: { space?: string; known?: boolean } = {},
): Promise<CapturedStack> {
  return runUnderMocks(
    () => {
      new PostgresDatabase("db", {
        settings: databaseSchema.parse(database),
        kind: "production",
        namePrefix: "acme-web",
        awsRegion: "us-east-1",
        space: options.space,
      });
    },
    {
      project: "slipway",
      stack: "production",
      config: { "aws:region": "us-east-1" },
      secretKeys: [],
      mocks: mocks(options.known ?? true),
    },
  );
}

const privateSpace = {
  network: "private-space",
  routeTableIds: ["rtb-0abc1234def567890", "rtb-0def5678abc123456"],
};

describe("private-space", () => {
  let captured: CapturedStack;
  beforeAll(async () => {
    captured = await plan(privateSpace, { space: "acme-space" });
  });

  test("the database has no public address and admits the space's dyno blocks only", () => {
    expect(one(captured, DB).inputs["publiclyAccessible"]).toBe(false);
    expect(one(captured, SG, "db-sg").inputs).toEqual({
      namePrefix: "acme-web-db-",
      description: "Postgres 5432 to acme-web-db (slipway:database.network private-space)",
      vpcId: defaultVpc,
      ingress: [
        {
          protocol: "tcp",
          fromPort: 5432,
          toPort: 5432,
          cidrBlocks: ["10.0.128.0/20", "10.0.144.0/20"],
          description: "Postgres from the dynos of acme-space",
        },
      ],
      tags,
    });
    expect(ofType(captured, INGRESS)).toEqual([]);
  });

  test("Heroku's peering info names the VPC AWS asks to peer with", () => {
    expect(one(captured, `${HEROKU}SpacePeeringInfo`, "db-space-peering-info").inputs).toEqual({
      space: "acme-space",
      __provider: "(not bundled: slipway plan runs no provider code)",
    });
    const connection = one(captured, PEERING, "db-peering");
    expect(connection.inputs).toEqual({
      vpcId: defaultVpc,
      peerVpcId: "vpc-e291cc85",
      peerOwnerId: "847227832372",
      peerRegion: "us-east-1",
      autoAccept: false,
      tags: { ...tags, Name: "acme-web-db to Heroku space acme-space" },
    });
    expect(connection.dependencies).toEqual([one(captured, `${HEROKU}SpacePeeringInfo`).urn]);
  });

  test("Heroku accepts the connection AWS requested", () => {
    const accepted = one(captured, `${HEROKU}SpacePeering`, "db-space-peering");
    expect(accepted.inputs).toEqual({
      space: "acme-space",
      pcxId: "pcx-0123456789abcdef0",
      __provider: "(not bundled: slipway plan runs no provider code)",
    });
    expect(accepted.deleteBeforeReplace).toBe(true);
  });

  test("each route table sends the space's VPC through the connection, once accepted", () => {
    const routes = ofType(captured, ROUTE);
    expect(routes.map((r) => [r.name, r.inputs])).toEqual(
      privateSpace.routeTableIds.map((routeTableId) => [
        `db-route-${routeTableId}`,
        {
          routeTableId,
          destinationCidrBlock: "10.0.0.0/16",
          vpcPeeringConnectionId: "pcx-0123456789abcdef0",
        },
      ]),
    );
    const accepted = one(captured, `${HEROKU}SpacePeering`).urn;
    for (const route of routes) expect(route.dependencies).toContain(accepted);
  });

  test("every child hangs off the database component", () => {
    const component = one(captured, "slipway:aws:PostgresDatabase").urn;
    for (const type of [`${HEROKU}SpacePeeringInfo`, `${HEROKU}SpacePeering`, PEERING, ROUTE]) {
      for (const child of ofType(captured, type)) expect(child.parent).toBe(component);
    }
  });

  test("in a preview, what Heroku has not answered yet stays unknown", async () => {
    const preview = await plan(privateSpace, { space: "acme-space", known: false });
    const connection = one(preview, PEERING).inputs;
    expect([connection["peerVpcId"], connection["peerOwnerId"], connection["peerRegion"]]).toEqual([
      UNKNOWN,
      UNKNOWN,
      UNKNOWN,
    ]);
    const ingress = one(preview, SG).inputs["ingress"] as Record<string, unknown>[];
    expect(ingress[0]?.["cidrBlocks"]).toBe(UNKNOWN);
    expect(ofType(preview, ROUTE).map((r) => r.inputs["destinationCidrBlock"])).toEqual([
      UNKNOWN,
      UNKNOWN,
    ]);
  });
});

describe("static-egress", () => {
  test("listed addresses: one rule each, and a public address", async () => {
    const captured = await plan({ allowedCidrs: ["192.0.2.10/32", "198.51.100.0/24"] });
    expect(one(captured, DB).inputs["publiclyAccessible"]).toBe(true);
    expect(ofType(captured, INGRESS).map((r) => r.inputs["cidrIpv4"])).toEqual([
      "192.0.2.10/32",
      "198.51.100.0/24",
    ]);
    expect(ofType(captured, `${HEROKU}SpaceNat`)).toEqual([]);
  });

  test("listed addresses win over the space's NAT", async () => {
    const captured = await plan({ allowedCidrs: ["192.0.2.10/32"] }, { space: "acme-space" });
    expect(ofType(captured, `${HEROKU}SpaceNat`)).toEqual([]);
    expect(ofType(captured, INGRESS).map((r) => r.inputs["cidrIpv4"])).toEqual(["192.0.2.10/32"]);
  });

  test("no addresses, an app in a space: the space's NAT addresses, each a /32", async () => {
    const captured = await plan({}, { space: "acme-space" });
    expect(one(captured, `${HEROKU}SpaceNat`, "db-space-nat").inputs).toEqual({
      space: "acme-space",
      __provider: "(not bundled: slipway plan runs no provider code)",
    });
    expect(one(captured, DB).inputs["publiclyAccessible"]).toBe(true);
    expect(one(captured, SG).inputs["ingress"]).toEqual([
      {
        protocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        cidrBlocks: ["52.0.2.10/32", "52.0.2.11/32"],
        description: "Postgres from the NAT of acme-space",
      },
    ]);
    expect(ofType(captured, INGRESS)).toEqual([]);
  });

  test("no addresses and no space: nothing admitted, no public address, a warning", async () => {
    const captured = await plan({});
    expect(one(captured, DB).inputs["publiclyAccessible"]).toBe(false);
    expect(ofType(captured, INGRESS)).toEqual([]);
    expect(one(captured, SG).inputs).not.toHaveProperty("ingress");
    expect(captured.warnings).toEqual([
      expect.stringMatching(/^slipway:database.allowedCidrs is empty and the app runs in no/),
    ]);
  });
});

test("public: every IPv4 address on 5432, and a public address", async () => {
  const captured = await plan({ network: "public" });
  expect(one(captured, DB).inputs["publiclyAccessible"]).toBe(true);
  expect(ofType(captured, INGRESS).map((r) => [r.name, r.inputs])).toEqual([
    [
      "db-ingress-0-0-0-0-0",
      {
        securityGroupId: groupId,
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        cidrIpv4: "0.0.0.0/0",
        description: "Postgres from 0.0.0.0/0 (slipway:database.network public)",
        tags,
      },
    ],
  ]);
  expect(one(captured, SG).inputs["description"]).toBe(
    "Postgres 5432 to acme-web-db (slipway:database.network public)",
  );
});
