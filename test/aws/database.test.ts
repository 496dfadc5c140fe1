import { CapturedStack } from "../../cli/plan/capture";
import { stableHex } from "../../cli/plan/mocks";
import { redact, Secret } from "../../cli/plan/values";
import { awsName } from "../../components/aws-common";
import {
  CA_BUNDLE_PATH,
  DATABASE_BEHAVIOUR,
  databaseWarnings,
  parameterGroupFamily,
  POSTGRES_DATABASE_TYPE,
  PostgresDatabase,
  postgresUrl,
} from "../../components/database";
import { databaseSchema, DatabaseSettings } from "../../config/schema";
import { rdsCaBundle } from "../../components/rds-ca";
import { capture, one, ofType } from "../support/stacks";

const DB = "aws:rds/instance:Instance";
const SUBNETS = "aws:rds/subnetGroup:SubnetGroup";
const PARAMS = "aws:rds/parameterGroup:ParameterGroup";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const LOGS = "aws:cloudwatch/logGroup:LogGroup";
const RANDOM_ID = "random:index/randomId:RandomId";

// The committed stacks' database settings (Pulumi.production.yaml, Pulumi.staging.yaml).
const production = databaseSchema.parse({
  engineVersion: "16",
  instanceClass: "db.t4g.medium",
  allocatedStorageGb: 50,
  maxAllocatedStorageGb: 200,
  backupRetentionDays: 14,
  multiAz: true,
  network: "static-egress",
  allowedCidrs: ["192.0.2.10/32", "192.0.2.11/32"],
});
const staging = databaseSchema.parse({
  instanceClass: "db.t4g.micro",
  maxAllocatedStorageGb: 50,
  backupRetentionDays: 3,
  network: "static-egress",
  allowedCidrs: ["198.51.100.10/32", "198.51.100.11/32"],
});
const VERIFY = `sslmode=verify-full&sslrootcert=${encodeURIComponent("/app/.postgresql/root.crt")}`;

const tags = (kind: string) => ({
  "slipway:environment": kind,
  "slipway:stack": `slipway/${kind}`,
});
const defaultVpc = `vpc-${stableHex(17, "vpc", "us-east-1")}`;
const defaultSubnets = ["a", "b", "c"].map(
  (zone) => `subnet-${stableHex(17, "subnet", "us-east-1", zone)}`,
);

async function plan(
  kind: "production" | "staging",
  settings: DatabaseSettings,
  namePrefix = "acme-web",
): Promise<CapturedStack> {
  return capture(
    () => {
      const db = new PostgresDatabase("db", {
        settings,
        kind,
        namePrefix,
        awsRegion: "us-east-1",
      });
      return {
        configVars: db.configVars,
        endpoint: db.endpoint,
        port: db.port,
        instanceIdentifier: db.instanceIdentifier,
        databaseUrl: db.databaseUrl,
        instanceClass: db.instanceClass,
        allocatedStorageGb: db.allocatedStorageGb,
      };
    },
    { stack: kind },
  );
}

describe("PostgresDatabase", () => {
  test.each([
    [
      "production",
      production,
      {
        allocatedStorage: 50,
        maxAllocatedStorage: 200,
        instanceClass: "db.t4g.medium",
        backupRetentionPeriod: 14,
        multiAz: true,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `acme-web-db-final-${stableHex(8, "id", "db-final-snapshot")}`,
        applyImmediately: false,
        deleteAutomatedBackups: false,
      },
    ],
    [
      "staging",
      staging,
      {
        allocatedStorage: 20,
        maxAllocatedStorage: 50,
        instanceClass: "db.t4g.micro",
        backupRetentionPeriod: 3,
        multiAz: false,
        deletionProtection: false,
        skipFinalSnapshot: true,
        applyImmediately: true,
        deleteAutomatedBackups: true,
      },
    ],
  ] as const)("%s: the instance's exact inputs", async (kind, settings, byKind) => {
    const captured = await plan(kind, settings);
    const instance = one(captured, DB, "db-instance");
    expect(redact(instance.inputs)).toEqual({
      identifier: "acme-web-db",
      engine: "postgres",
      engineVersion: "16",
      dbName: "app",
      username: "slipway",
      password: "[secret]",
      port: 5432,
      storageType: "gp3",
      storageEncrypted: true,
      dbSubnetGroupName: one(captured, SUBNETS).state["name"],
      vpcSecurityGroupIds: [`sg-${stableHex(17, SG, "db-sg")}`],
      parameterGroupName: one(captured, PARAMS).state["name"],
      publiclyAccessible: true,
      backupWindow: "03:00-04:00",
      maintenanceWindow: "sun:04:30-sun:05:30",
      copyTagsToSnapshot: true,
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 7,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: true,
      enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
      tags: tags(kind),
      ...byKind,
    });
    expect(instance.inputs["password"]).toEqual(
      new Secret(one(captured, PASSWORD).state["result"]),
    );
    expect(instance.deleteBeforeReplace).toBe(true);
    for (const log of ofType(captured, LOGS)) expect(instance.dependencies).toContain(log.urn);
  });

  test("the instance depends on its network, parameter group and password", async () => {
    const captured = await plan("production", production);
    const instance = one(captured, DB);
    for (const type of [SG, SUBNETS, PARAMS, PASSWORD]) {
      expect(instance.dependencies).toContain(one(captured, type).urn);
    }
  });

  test.each([
    ["production", true],
    ["staging", false],
  ] as const)("%s: protect is %s on the instance and password only", async (kind, protect) => {
    const captured = await plan(kind, kind === "production" ? production : staging);
    const flags = Object.fromEntries(
      captured.resources.filter((r) => r.parent !== undefined).map((r) => [r.type, r.protect]),
    );
    expect(flags).toEqual({
      [POSTGRES_DATABASE_TYPE]: false,
      [DB]: protect,
      [PASSWORD]: protect,
      [PARAMS]: false,
      [SUBNETS]: false,
      [SG]: false,
      [INGRESS]: false,
      [LOGS]: false,
      // Losing the suffix loses nothing: a new one is drawn and only the state's name changes.
      ...(kind === "production" ? { [RANDOM_ID]: false } : {}),
    });
    expect(DATABASE_BEHAVIOUR[kind].protect).toBe(protect);
  });

  test("every child is parented to the component", async () => {
    const captured = await plan("staging", staging);
    const component = one(captured, POSTGRES_DATABASE_TYPE, "db");
    const children = captured.resources.filter((r) => r.urn !== component.urn && r.parent);
    expect(children.map((r) => r.type).sort()).toEqual(
      [DB, INGRESS, INGRESS, LOGS, LOGS, PARAMS, PASSWORD, SG, SUBNETS].sort(),
    );
    expect(new Set(children.map((r) => r.parent))).toEqual(new Set([component.urn]));
  });

  test("the master password is long, secret and URL- and RDS-safe", async () => {
    const captured = await plan("production", production);
    const password = one(captured, PASSWORD, "db-password");
    expect(password.inputs).toEqual({
      length: 40,
      special: true,
      overrideSpecial: "-_.~",
      minLower: 1,
      minUpper: 1,
      minNumeric: 1,
    });
    expect(password.inputs["overrideSpecial"]).not.toMatch(/[/@" ]/);
  });

  test("the parameter group forces TLS for the engine's family", async () => {
    const captured = await plan("production", { ...production, engineVersion: "17" });
    expect(one(captured, PARAMS, "db-params").inputs).toEqual({
      namePrefix: "acme-web-db-",
      family: "postgres17",
      description: "acme-web-db: TLS required",
      parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "immediate" }],
      tags: tags("production"),
    });
  });

  test("without configured subnets: the default VPC and its subnets", async () => {
    const captured = await plan("staging", staging);
    expect(one(captured, SUBNETS, "db-subnets").inputs).toEqual({
      namePrefix: "acme-web-db-",
      description: "Subnets of acme-web-db",
      subnetIds: defaultSubnets,
      tags: tags("staging"),
    });
    expect(one(captured, SG, "db-sg").inputs).toEqual({
      namePrefix: "acme-web-db-",
      description: "Postgres 5432 to acme-web-db (slipway:database.network static-egress)",
      vpcId: defaultVpc,
      tags: tags("staging"),
    });
  });

  test("configured VPC and subnets are used as they are", async () => {
    const subnetIds = ["subnet-0abc1234def567890", "subnet-0def5678abc123456"];
    const vpcId = "vpc-0abc1234def567890";
    const captured = await plan("production", { ...production, vpcId, subnetIds });
    expect(one(captured, SUBNETS).inputs["subnetIds"]).toEqual(subnetIds);
    expect(one(captured, SG).inputs["vpcId"]).toBe(vpcId);
  });

  test("a configured VPC without subnets takes that VPC's subnets", async () => {
    const vpcId = "vpc-0abc1234def567890";
    const captured = await plan("production", { ...production, vpcId });
    expect(one(captured, SG).inputs["vpcId"]).toBe(vpcId);
    expect(one(captured, SUBNETS).inputs["subnetIds"]).toEqual(defaultSubnets);
  });

  test("one ingress rule on 5432 per configured CIDR, and no egress rule", async () => {
    const cidrs = ["203.0.113.0/24", "198.51.100.7/32"];
    const captured = await plan("production", { ...production, allowedCidrs: cidrs });
    const groupId = `sg-${stableHex(17, SG, "db-sg")}`;
    const rules = ofType(captured, INGRESS);
    expect(rules.map((r) => [r.name, r.deleteBeforeReplace, r.inputs])).toEqual(
      cidrs.map((cidr) => [
        `db-ingress-${cidr.replace(/[./]/g, "-")}`,
        true,
        {
          securityGroupId: groupId,
          ipProtocol: "tcp",
          fromPort: 5432,
          toPort: 5432,
          cidrIpv4: cidr,
          description: `Postgres from ${cidr} (slipway:database.network static-egress)`,
          tags: tags("production"),
        },
      ]),
    );
    expect(one(captured, SG).inputs).not.toHaveProperty("egress");
    expect(one(captured, SG).inputs).not.toHaveProperty("ingress");
  });

  test("Performance Insights off: no retention period is set", async () => {
    const captured = await plan("staging", { ...staging, performanceInsights: false });
    const inputs = one(captured, DB).inputs;
    expect(inputs["performanceInsightsEnabled"]).toBe(false);
    expect(inputs).not.toHaveProperty("performanceInsightsRetentionPeriod");
  });

  test.each([
    ["production", 30],
    ["staging", 7],
  ] as const)("%s: the postgresql and upgrade log groups keep %i days", async (kind, days) => {
    const captured = await plan(kind, kind === "production" ? production : staging);
    expect(ofType(captured, LOGS).map((log) => [log.name, log.inputs])).toEqual([
      [
        "db-log",
        {
          name: "/aws/rds/instance/acme-web-db/postgresql",
          retentionInDays: days,
          tags: tags(kind),
        },
      ],
      [
        "db-log-upgrade",
        { name: "/aws/rds/instance/acme-web-db/upgrade", retentionInDays: days, tags: tags(kind) },
      ],
    ]);
  });

  test("outputs: host, port, identifier, the CA bundle, and DATABASE_URL as a secret that verifies the server", async () => {
    const captured = await plan("production", production);
    const instance = one(captured, DB);
    const host = instance.state["address"] as string;
    const password = one(captured, PASSWORD).state["result"] as string;
    expect(host).toMatch(/^acme-web-db\..+\.us-east-1\.rds\.amazonaws\.com$/);
    expect(captured.outputs).toEqual({
      configVars: { DATABASE_CA_BUNDLE: rdsCaBundle("us-east-1") },
      endpoint: host,
      port: 5432,
      instanceIdentifier: "acme-web-db",
      databaseUrl: new Secret(`postgres://slipway:${password}@${host}:5432/app?${VERIFY}`),
      instanceClass: "db.t4g.medium",
      allocatedStorageGb: 50,
    });
    expect(redact(captured.outputs)).toMatchObject({ databaseUrl: "[secret]" });
  });

  describe("the final snapshot", () => {
    // RDS: 1-255 letters, digits and hyphens, a letter first, no double or trailing hyphen.
    const RDS_SNAPSHOT_IDENTIFIER = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$/;

    test("is named per instance: a random suffix the provider keeps in state until deletion", async () => {
      const captured = await plan("production", production);
      const suffix = one(captured, RANDOM_ID, "db-final-snapshot");
      expect(suffix.parent).toBe(one(captured, POSTGRES_DATABASE_TYPE).urn);
      // A new suffix exactly when the AWS provider would replace the instance: these are the
      // inputs it replaces on (ForceNew), so a replacement never reuses the old snapshot's name.
      expect(suffix.inputs).toEqual({
        byteLength: 4,
        keepers: {
          identifier: "acme-web-db",
          engine: "postgres",
          dbName: "app",
          username: "slipway",
          storageEncrypted: "true",
        },
      });
      const identifier = one(captured, DB).inputs["finalSnapshotIdentifier"];
      expect(identifier).toBe(`acme-web-db-final-${String(suffix.state["hex"])}`);
      expect(identifier).toMatch(RDS_SNAPSHOT_IDENTIFIER);
    });

    test("fits RDS's rules with the longest name prefix", async () => {
      const captured = await plan("production", production, `a${"-b".repeat(40)}`);
      const identifier = String(one(captured, DB).inputs["finalSnapshotIdentifier"]);
      expect(identifier.length).toBeLessThanOrEqual(255);
      expect(identifier).toMatch(RDS_SNAPSHOT_IDENTIFIER);
    });

    test("a change that replaces the instance draws a new suffix", async () => {
      const before = one(await plan("production", production), RANDOM_ID).inputs["keepers"];
      const after = one(await plan("production", { ...production, username: "owner" }), RANDOM_ID)
        .inputs["keepers"];
      expect(after).toEqual({ ...(before as object), username: "owner" });
    });

    test("staging takes none, so it has no suffix", async () => {
      const captured = await plan("staging", staging);
      expect(ofType(captured, RANDOM_ID)).toEqual([]);
      expect(one(captured, DB).inputs).not.toHaveProperty("finalSnapshotIdentifier");
    });
  });

  test("the name prefix is folded into a valid RDS identifier", async () => {
    const captured = await plan("staging", staging, "Acme--Web");
    expect(one(captured, DB).inputs["identifier"]).toBe("acme-web-db");
  });

  test("surprising settings are warned about, naming the key", async () => {
    const settings = { ...staging, allowedCidrs: [], engineVersion: "16.4" };
    const { warnings } = await plan("staging", settings);
    expect(warnings).toEqual(databaseWarnings(settings, true));
    expect(warnings).toHaveLength(2);
  });
});

describe("database helpers", () => {
  test.each([
    ["16", "postgres16"],
    ["16.4", "postgres16"],
    ["13", "postgres13"],
    ["17.2", "postgres17"],
  ])("parameterGroupFamily(%s) is %s", (version, family) => {
    expect(parameterGroupFamily(version)).toBe(family);
  });

  test.each([
    ["a plain password", "abcDEF123-_.~", "abcDEF123-_.~"],
    ["reserved characters are escaped", "p@ss/w:rd?#%", "p%40ss%2Fw%3Ard%3F%23%25"],
  ])("postgresUrl: %s", (_, password, encoded) => {
    expect(
      postgresUrl({
        username: "slipway",
        password,
        host: "db.example.com",
        port: 5432,
        database: "app",
      }),
    ).toBe(`postgres://slipway:${encoded}@db.example.com:5432/app?${VERIFY}`);
  });

  test.each([
    ["acme-web", "acme-web"],
    ["Acme_Web", "acme-web"],
    ["acme--web-", "acme-web"],
    ["a".repeat(70), "a".repeat(60)],
    [`${"a".repeat(59)}-b`, "a".repeat(59)],
  ])("awsName(%s) is %s", (prefix, name) => {
    expect(awsName(prefix)).toBe(name);
  });

  test.each(["", "9lives", "--"])(
    "awsName(%j) refuses a prefix without a letter first",
    (prefix) => {
      expect(() => awsName(prefix)).toThrow(
        `namePrefix ${JSON.stringify(prefix)} must start with a letter (it names AWS resources)`,
      );
    },
  );

  test("databaseWarnings: exact messages", () => {
    expect(databaseWarnings(staging)).toEqual([]);
    expect(databaseWarnings({ ...staging, engineVersion: "16.4" }, true)).toEqual([
      "slipway:database.allowedCidrs is empty and the app runs in no Private Space, so nothing " +
        "can reach the database on port 5432, the app included. Fix: list the addresses of the " +
        "app's static-egress add-on: pulumi config set --path 'slipway:database.allowedCidrs[0]' " +
        "192.0.2.10/32 (see docs/database.md, The network).",
      "slipway:database.engineVersion pins the minor version 16.4 while automatic minor " +
        "upgrades are on: after AWS upgrades the instance, the next update would try to go " +
        'back. Fix: set slipway:database.engineVersion to the major version alone ("16") in ' +
        "the stack's config file.",
    ]);
  });
});

test("the URL points drivers at the file the app's .profile.d script writes", () => {
  expect(CA_BUNDLE_PATH).toBe("/app/.postgresql/root.crt");
});
