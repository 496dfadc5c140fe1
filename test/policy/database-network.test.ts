// rds-network-restricted and rds-logs-exported against the resources the real program declares
// (the committed stacks, edited or mutated), plus edge values and unknown (preview) values.
import type { PolicyResource } from "@pulumi/policy";
import type { CapturedResource } from "../../cli/plan/capture";
import { resolvePolicies } from "../../cli/plan/policy";
import { pack } from "../../policy/policies";
import { coversPort, isWide, isWorld, permissionsOf } from "../../policy/policies/database-network";
import { SlipwayError } from "../../errors";
import { patch, urnOf, violationsOf } from "./support";
import { GROUP, IN_DATABASE, INSTANCE, LOGS, NETWORK, RULE } from "./database-network-names";

const DESCRIPTION =
  "In production no security group admits the whole internet to the database port, and a " +
  "publicly accessible database admits only blocks of 256 addresses or fewer (an IPv4 /24).";

type Db = Record<string, unknown>;
const database = (edit: (db: Db) => void) => (values: Record<string, unknown>) =>
  edit(values["slipway:database"] as Db);
const publicNetwork = database((db) => {
  db["network"] = "public";
  delete db["allowedCidrs"];
});
const ruleUrn = (stack: string, name: string) => urnOf(stack, `${IN_DATABASE}${RULE}`, name);
const instanceUrn = urnOf("production", `${IN_DATABASE}${INSTANCE}`, "database-instance");
const setRule = (name: string, change: (inputs: Record<string, unknown>) => void) =>
  patch(RULE, name, change);

describe.each(["production", "staging"])("the committed %s stack", (stack) => {
  test.each([NETWORK, LOGS])("passes %s", async (policy) => {
    expect(await violationsOf(policy, stack)).toEqual([]);
  });
});

describe(NETWORK, () => {
  test("fails production with network public, on the world-open rule", async () => {
    expect(await violationsOf(NETWORK, "production", { edit: publicNetwork })).toEqual([
      {
        policy: NETWORK,
        enforcementLevel: "mandatory",
        urn: ruleUrn("production", "database-ingress-0-0-0-0-0"),
        message:
          `${DESCRIPTION}\ndatabase-ingress-0-0-0-0-0 admits 0.0.0.0/0 to port 5432 of ` +
          "acme-web-db: the whole internet can reach the database.",
      },
    ]);
  });

  test("a waiver naming the database lets it pass; one naming another does not", async () => {
    const waived = await violationsOf(NETWORK, "production", {
      edit: publicNetwork,
      config: { [NETWORK]: { waivedDatabases: ["acme-web-db"] } },
    });
    expect(waived).toEqual([]);
    const other = await violationsOf(NETWORK, "production", {
      edit: publicNetwork,
      config: { [NETWORK]: { waivedDatabases: ["acme-api-db"] } },
    });
    expect(other.map((v) => v.urn)).toEqual([ruleUrn("production", "database-ingress-0-0-0-0-0")]);
  });

  test("staging may be public: the rule holds production", async () => {
    expect(await violationsOf(NETWORK, "staging", { edit: publicNetwork })).toEqual([]);
  });

  test("a /24 passes and a /23 fails a public database, reported on the instance", async () => {
    const widen = (cidr: string) =>
      setRule("database-ingress-192-0-2-10-32", (inputs) => (inputs["cidrIpv4"] = cidr));
    expect(await violationsOf(NETWORK, "production", { mutate: widen("198.51.100.0/24") })).toEqual(
      [],
    );
    expect(await violationsOf(NETWORK, "production", { mutate: widen("198.50.0.0/23") })).toEqual([
      {
        policy: NETWORK,
        enforcementLevel: "mandatory",
        urn: instanceUrn,
        message: `${DESCRIPTION}\nacme-web-db is publicly accessible and admits 198.50.0.0/23, wider than a /24.`,
      },
    ]);
  });

  const openRule = (name: string, port: number) =>
    setRule(name, (inputs) => {
      inputs["cidrIpv4"] = "0.0.0.0/0";
      inputs["fromPort"] = port;
      inputs["toPort"] = port;
    });
  const setInstance = (change: (inputs: Record<string, unknown>) => void) =>
    patch(INSTANCE, "database-instance", change);
  const both =
    (...steps: ((r: CapturedResource[]) => CapturedResource[])[]) =>
    (resources: CapturedResource[]) =>
      steps.reduce((rs, step) => step(rs), resources);
  const RULE_10 = "database-ingress-192-0-2-10-32";

  test.each([
    [5432, "to port 5432 of acme-web-db"],
    [6543, "to port 6543 of acme-web-db"],
  ])(
    "a database on port 6543: a world rule on %i fails (5432 always counts)",
    async (port, where) => {
      const found = await violationsOf(NETWORK, "production", {
        mutate: both(
          setInstance((inputs) => (inputs["port"] = 6543)),
          openRule(RULE_10, port),
        ),
      });
      expect(found.map((v) => v.message.split("\n")[1])).toEqual([
        `${RULE_10} admits 0.0.0.0/0 ${where}: the whole internet can reach the database.`,
      ]);
    },
  );

  test("a world rule of no database's group fails even when every database is waived", async () => {
    const found = await violationsOf(NETWORK, "production", {
      mutate: both(openRule(RULE_10, 5432), (resources) =>
        resources.map((r) => (r.name === RULE_10 ? { ...r, dependencies: [] } : r)),
      ),
      config: { [NETWORK]: { waivedDatabases: ["acme-web-db"] } },
    });
    expect(found.map((v) => [v.urn, v.message.split("\n")[1]])).toEqual([
      [
        ruleUrn("production", RULE_10),
        `${RULE_10} admits 0.0.0.0/0 to port 5432: the whole internet can reach the database.`,
      ],
    ]);
  });

  const wide = setRule(RULE_10, (inputs) => (inputs["cidrIpv4"] = "198.50.0.0/23"));

  test("a /23 on an instance without a port counts against Postgres's 5432", async () => {
    const found = await violationsOf(NETWORK, "production", {
      mutate: both(
        setInstance((inputs) => delete inputs["port"]),
        wide,
      ),
    });
    expect(found.map((v) => v.message.split("\n")[1])).toEqual([
      "acme-web-db is publicly accessible and admits 198.50.0.0/23, wider than a /24.",
    ]);
  });

  test("a /23 passes a database that is not publicly accessible, or one that is waived", async () => {
    const hidden = await violationsOf(NETWORK, "production", {
      mutate: both(
        setInstance((inputs) => (inputs["publiclyAccessible"] = false)),
        wide,
      ),
    });
    expect(hidden).toEqual([]);
    const waived = await violationsOf(NETWORK, "production", {
      mutate: wide,
      config: { [NETWORK]: { waivedDatabases: ["acme-web-db"] } },
    });
    expect(waived).toEqual([]);
  });

  test("wide blocks: two are listed, one on another port or outside the group is not", async () => {
    const RULE_11 = "database-ingress-192-0-2-11-32";
    const two = await violationsOf(NETWORK, "production", {
      mutate: both(
        wide,
        setRule(RULE_11, (inputs) => (inputs["cidrIpv4"] = "203.0.112.0/23")),
      ),
    });
    expect(two.map((v) => v.message.split("\n")[1])).toEqual([
      "acme-web-db is publicly accessible and admits 198.50.0.0/23, 203.0.112.0/23, wider than a /24.",
    ]);
    const otherPort = await violationsOf(NETWORK, "production", {
      mutate: both(
        wide,
        setRule(RULE_10, (inputs) => Object.assign(inputs, { fromPort: 443, toPort: 443 })),
      ),
    });
    expect(otherPort).toEqual([]);
    const detached = await violationsOf(NETWORK, "production", {
      mutate: both(wide, (resources) =>
        resources.map((r) => (r.name === RULE_10 ? { ...r, dependencies: [] } : r)),
      ),
    });
    expect(detached).toEqual([]);
  });

  test("::/0 on the database port fails", async () => {
    const found = await violationsOf(NETWORK, "production", {
      mutate: setRule("database-ingress-192-0-2-11-32", (inputs) => {
        delete inputs["cidrIpv4"];
        inputs["cidrIpv6"] = "::/0";
      }),
    });
    expect(found.map((v) => v.message.split("\n")[1])).toEqual([
      "database-ingress-192-0-2-11-32 admits ::/0 to port 5432 of acme-web-db: the whole internet can reach the database.",
    ]);
  });

  test("a world-open rule on another port is not the database's business", async () => {
    const found = await violationsOf(NETWORK, "production", {
      mutate: setRule("database-ingress-192-0-2-10-32", (inputs) => {
        inputs["cidrIpv4"] = "0.0.0.0/0";
        inputs["fromPort"] = 443;
        inputs["toPort"] = 443;
      }),
    });
    expect(found).toEqual([]);
  });

  test("an inline world-open rule on the group fails too, all protocols included", async () => {
    const found = await violationsOf(NETWORK, "production", {
      mutate: patch(GROUP, "database-sg", (inputs) => {
        inputs["ingress"] = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }];
      }),
    });
    expect(found.map((v) => [v.urn, v.message.split("\n")[1]])).toEqual([
      [
        urnOf("production", `${IN_DATABASE}${GROUP}`, "database-sg"),
        "database-sg admits 0.0.0.0/0 to port 5432 of acme-web-db: the whole internet can reach the database.",
      ],
    ]);
  });

  test("private-space in a preview: the dyno blocks are unknown, so it says it cannot run", async () => {
    const found = await violationsOf(NETWORK, "production", {
      edit: (values) => {
        Object.assign(values["slipway:app"] as Db, { team: "acme", space: "acme-space" });
        Object.assign(values["slipway:database"] as Db, {
          network: "private-space",
          allowedCidrs: [],
          routeTableIds: ["rtb-0abc1234def567890"],
        });
      },
    });
    expect(found).toEqual([
      {
        policy: NETWORK,
        enforcementLevel: "advisory",
        urn: undefined,
        message: expect.stringMatching(
          new RegExp(
            `^can't run policy '${NETWORK}' from policy pack 'slipway@v[0-9.]+' during preview: `,
          ),
        ) as string,
      },
    ]);
  });

  test("waivedDatabases takes RDS identifiers only", () => {
    expect(() =>
      resolvePolicies(pack, { [NETWORK]: { waivedDatabases: ["Acme_Web_DB"] } }),
    ).toThrow(SlipwayError);
    expect(() =>
      resolvePolicies(pack, { [NETWORK]: { waivedDatabases: ["Acme_Web_DB"] } }),
    ).toThrow(
      `${NETWORK}.waivedDatabases.0: got "Acme_Web_DB": must match pattern "^[a-z][a-z0-9-]{0,62}$". Fix: correct it in the policy config file (docs/policies.md lists each policy's settings).`,
    );
  });
});

describe(LOGS, () => {
  test("fails an instance that exports only the postgresql log", async () => {
    const found = await violationsOf(LOGS, "staging", {
      mutate: patch(INSTANCE, "database-instance", (inputs) => {
        inputs["enabledCloudwatchLogsExports"] = ["postgresql"];
      }),
    });
    expect(found.map((v) => [v.enforcementLevel, v.message.split("\n")[1]])).toEqual([
      ["mandatory", "Not exported: upgrade."],
    ]);
  });

  test("fails an instance that exports nothing", async () => {
    const found = await violationsOf(LOGS, "production", {
      mutate: patch(INSTANCE, "database-instance", (inputs) => {
        delete inputs["enabledCloudwatchLogsExports"];
      }),
    });
    expect(found.map((v) => v.message.split("\n")[1])).toEqual([
      "Not exported: postgresql, upgrade.",
    ]);
  });
});

describe("edge values", () => {
  test.each([
    ["0.0.0.0/0", true, true],
    ["::/0", true, true],
    ["198.51.100.0/24", false, false],
    ["198.51.100.0/23", false, true],
    ["198.51.100.0/25", false, false],
    ["198.51.100.7", false, false],
    ["2001:db8::1", false, false],
    ["192.0.2.10/32", false, false],
    ["2001:db8::/120", false, false],
    ["2001:db8::/119", false, true],
  ])("%s: world %s, wide %s", (cidr, world, wide) => {
    expect([isWorld(cidr), isWide(cidr)]).toEqual([world, wide]);
  });

  test.each([
    [{ protocol: "tcp", fromPort: 5432, toPort: 5432 }, true],
    [{ protocol: "6", fromPort: 5000, toPort: 6000 }, true],
    [{ protocol: "-1", fromPort: 0, toPort: 0 }, true],
    [{ protocol: "all", fromPort: 0, toPort: 0 }, true],
    [{ protocol: "TCP", fromPort: 5432, toPort: 5432 }, true],
    [{ protocol: "ALL", fromPort: 0, toPort: 0 }, true],
    [{ protocol: "tcp", fromPort: 5000, toPort: 5431 }, false],
    [{ protocol: "udp", fromPort: 5432, toPort: 5432 }, false],
    [{ protocol: "tcp", fromPort: 5433, toPort: 6000 }, false],
  ])("%j covers 5432: %s", (permission, covered) => {
    expect(coversPort(permission, 5432)).toBe(covered);
  });

  test("a rule resource without ports reads as 0-0; inline rules keep both families", () => {
    const group = {
      type: GROUP,
      urn: "urn:group",
      props: {
        ingress: [
          { protocol: "tcp", fromPort: 5432, toPort: 5433, ipv6CidrBlocks: ["::/0"] },
          { protocol: "6", fromPort: 1, toPort: 2, cidrBlocks: ["192.0.2.0/24", 7] },
        ],
      },
      dependencies: [],
    } as unknown as PolicyResource;
    const rule = {
      type: RULE,
      urn: "urn:rule",
      props: { ipProtocol: "-1", cidrIpv6: "2001:db8::/64" },
      dependencies: [group],
    } as unknown as PolicyResource;
    const found = permissionsOf([rule, group]);
    expect(
      found.map((p) => [p.resource.urn, p.group?.urn, p.cidrs, p.protocol, p.fromPort, p.toPort]),
    ).toEqual([
      ["urn:rule", "urn:group", ["2001:db8::/64"], "-1", 0, 0],
      ["urn:group", "urn:group", ["::/0"], "tcp", 5432, 5433],
      ["urn:group", "urn:group", ["192.0.2.0/24"], "6", 1, 2],
    ]);
  });

  test("legacy ingress rules count; their egress rules do not", () => {
    const group = { type: GROUP, props: {}, dependencies: [] } as unknown as PolicyResource;
    const legacy = (type: string) =>
      ({
        type: "aws:ec2/securityGroupRule:SecurityGroupRule",
        urn: `urn:${type}`,
        props: {
          type,
          protocol: "tcp",
          fromPort: 5432,
          toPort: 5433,
          cidrBlocks: ["0.0.0.0/0"],
          ipv6CidrBlocks: ["::/0"],
        },
        dependencies: [group],
      }) as unknown as PolicyResource;
    const found = permissionsOf([group, legacy("ingress"), legacy("egress")]);
    expect(
      found.map((p) => [p.resource.urn, p.group, p.cidrs, p.protocol, p.fromPort, p.toPort]),
    ).toEqual([["urn:ingress", group, ["0.0.0.0/0", "::/0"], "tcp", 5432, 5433]]);
  });
});
