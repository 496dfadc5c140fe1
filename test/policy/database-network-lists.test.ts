// rds-network-restricted's lists: every database a world-open rule reaches is named, every world
// block of a rule is listed, and a rule counts for a database only through that database's own
// security group. rds-logs-exported holds Postgres only. Found by mutation testing
// (docs/mutation.md): the committed stacks hold one database and rules with one block each.
import type { PolicyResource } from "@pulumi/policy";
import type { CapturedResource } from "../../cli/plan/capture";
import { permissionsOf } from "../../policy/policies/database-network";
import { patch, urnOf, violationsOf } from "./support";
import { GROUP, IN_DATABASE, INSTANCE, LOGS, NETWORK, RULE } from "./database-network-names";

const RULE_10 = "database-ingress-192-0-2-10-32";
type Step = (resources: CapturedResource[]) => CapturedResource[];

const both =
  (...steps: Step[]) =>
  (resources: CapturedResource[]) =>
    steps.reduce((rs, step) => step(rs), resources);
const openRule10 = patch(RULE, RULE_10, (inputs) => (inputs["cidrIpv4"] = "0.0.0.0/0"));
const messages = (found: { message: string }[]) => found.map((f) => f.message.split("\n")[1]);

/** A copy of a resource under another name, with `change` applied to its inputs. */
function copyOf(
  resources: CapturedResource[],
  type: string,
  name: string,
  as: string,
  change: (inputs: Record<string, unknown>) => void = () => undefined,
): CapturedResource {
  const source = resources.find((r) => r.type === type && r.name === name)!;
  const inputs = structuredClone(source.inputs) as Record<string, unknown>;
  change(inputs);
  return { ...source, name: as, urn: source.urn.replace(/::[^:]+$/, `::${as}`), inputs };
}

/** A second database in the same security group as acme-web-db. */
const replica: Step = (resources) => [
  ...resources,
  copyOf(
    resources,
    INSTANCE,
    "database-instance",
    "replica-instance",
    (inputs) => (inputs["identifier"] = "acme-web-replica"),
  ),
];

describe(`${NETWORK}: the databases a world-open rule reaches`, () => {
  test("a rule of a group two databases share names both", async () => {
    const found = await violationsOf(NETWORK, "production", { mutate: both(replica, openRule10) });
    expect(found.map((f) => f.urn)).toEqual([
      urnOf("production", `${IN_DATABASE}${RULE}`, RULE_10),
    ]);
    expect(messages(found)).toEqual([
      `${RULE_10} admits 0.0.0.0/0 to port 5432 of acme-web-db, acme-web-replica: the whole internet can reach the database.`,
    ]);
  });

  test.each([
    [["acme-web-db"], 1],
    [["acme-web-replica"], 1],
    [["acme-web-db", "acme-web-replica"], 0],
  ])("waiving %j of the two leaves %i violations", async (waivedDatabases, count) => {
    const found = await violationsOf(NETWORK, "production", {
      mutate: both(replica, openRule10),
      config: { [NETWORK]: { waivedDatabases } },
    });
    expect(found).toHaveLength(count);
  });

  test("a rule of a group no database uses names none, and a waiver does not lift it", async () => {
    const otherGroup: Step = (resources) => {
      const group = copyOf(resources, GROUP, "database-sg", "other-sg");
      return [
        ...resources.map((r) => (r.name === RULE_10 ? { ...r, dependencies: [group.urn] } : r)),
        group,
      ];
    };
    const found = await violationsOf(NETWORK, "production", {
      mutate: both(otherGroup, openRule10),
      config: { [NETWORK]: { waivedDatabases: ["acme-web-db"] } },
    });
    expect(messages(found)).toEqual([
      `${RULE_10} admits 0.0.0.0/0 to port 5432: the whole internet can reach the database.`,
    ]);
  });

  test("a rule open to both address families lists both blocks", async () => {
    const found = await violationsOf(NETWORK, "production", {
      mutate: patch(GROUP, "database-sg", (inputs) => {
        inputs["ingress"] = [
          {
            protocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            cidrBlocks: ["0.0.0.0/0", "192.0.2.0/24"],
            ipv6CidrBlocks: ["::/0"],
          },
        ];
      }),
    });
    expect(messages(found)).toEqual([
      "database-sg admits 0.0.0.0/0 and ::/0 to port 5432 of acme-web-db: the whole internet can reach the database.",
    ]);
  });
});

describe(`${NETWORK}: a rule's security group`, () => {
  test("is the first dependency of the group's type, wherever it is listed", () => {
    const group = { type: GROUP, urn: "urn:group", props: {}, dependencies: [] };
    const other = { type: "aws:ec2/vpc:Vpc", urn: "urn:vpc", props: {}, dependencies: [] };
    const rule = {
      type: RULE,
      urn: "urn:rule",
      props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "0.0.0.0/0" },
      dependencies: [other, group],
    } as unknown as PolicyResource;
    expect(permissionsOf([rule]).map((p) => p.group?.urn)).toEqual(["urn:group"]);
  });

  test("only security groups and their rules are read, whatever another resource's inputs say", () => {
    // A network ACL has ingress entries of its own; they are not security group rules.
    const acl = {
      type: "aws:ec2/networkAcl:NetworkAcl",
      urn: "urn:acl",
      props: {
        ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlock: "0.0.0.0/0" }],
      },
      dependencies: [],
    };
    const other = {
      type: "aws:ec2/networkAclRule:NetworkAclRule",
      urn: "urn:acl-rule",
      props: { type: "ingress", protocol: "tcp", fromPort: 5432, toPort: 5432 },
      dependencies: [],
    };
    expect(permissionsOf([acl, other] as unknown as PolicyResource[])).toEqual([]);
  });
});

describe(`${LOGS} holds Postgres only`, () => {
  test("an instance of another engine that exports nothing passes", async () => {
    const found = await violationsOf(LOGS, "production", {
      mutate: patch(INSTANCE, "database-instance", (inputs) => {
        inputs["engine"] = "mysql";
        delete inputs["enabledCloudwatchLogsExports"];
      }),
    });
    expect(found).toEqual([]);
  });
});
