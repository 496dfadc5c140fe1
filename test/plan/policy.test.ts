import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  validateResourceOfType,
  validateStackResourcesOfType,
  type Policies,
} from "@pulumi/policy";
import {
  createEvaluator,
  engineProps,
  PackDefinition,
  readPolicyConfig,
  resolvePolicies,
} from "../../cli/plan/policy";
import { SlipwayError } from "../../errors";
import { Secret, UNKNOWN } from "../../cli/plan/values";
import { capture } from "../support/stacks";

const policies: Policies = [
  {
    name: "db-backups",
    description: "Databases keep backups.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { minimumDays: { type: "integer", minimum: 0, default: 7 } } },
    validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
      const { minimumDays } = args.getConfig<{ minimumDays: number }>();
      if ((db.backupRetentionPeriod ?? 0) < minimumDays)
        report(`keeps ${String(db.backupRetentionPeriod)} days; ${minimumDays} needed`);
    }),
  },
  {
    name: "db-protected",
    description: "Databases are protected.",
    validateResource: (args, report) => {
      if (args.type !== "aws:rds/instance:Instance") args.notApplicable("not a database");
      if (!args.opts.protect)
        report({
          message: "unprotected",
          name: "db-protected",
          enforcementLevel: "remediate",
        } as never);
    },
  },
  {
    name: "endpoint-known",
    description: "Reads a value unknown at plan time.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
      if (
        args.type === "aws:ec2/securityGroup:SecurityGroup" &&
        String(args.props["description"]).length === 0
      )
        report("");
    },
  },
  {
    name: "one-database",
    description: "A stack has at most one database.",
    enforcementLevel: "remediate",
    validateStack: validateStackResourcesOfType(aws.rds.Instance, (dbs, args, report) => {
      if (dbs.length > 1) report(`${dbs.length} databases`);
      const parents = args.resources
        .filter((r) => r.type === "aws:rds/instance:Instance")
        .map((r) => r.parent?.type);
      // Parents arrive linked as resource objects, as the engine hands them over.
      if (parents.some((type) => type !== "pulumi:pulumi:Stack"))
        report("a database outside the stack root");
    }),
  },
];

const pack: PackDefinition = {
  name: "test-pack",
  version: "1.2.3",
  enforcementLevel: "advisory",
  policies,
};

async function stackWith(
  dbs: { retention: number; protect: boolean }[],
  unknownDescription = false,
) {
  return capture(() => {
    dbs.forEach((db, i) => {
      new aws.rds.Instance(
        `db${i}`,
        {
          instanceClass: "db.t4g.micro",
          backupRetentionPeriod: db.retention,
          password: pulumi.secret("pw"),
        },
        { protect: db.protect },
      );
    });
    const description = unknownDescription
      ? new pulumi.StackReference("production").getOutput("d").apply(String)
      : "sg";
    new aws.ec2.SecurityGroup("sg", { description });
  });
}

describe("createEvaluator", () => {
  test("reports violations with the policy, its level, the URN and description plus message", async () => {
    const stack = await stackWith([{ retention: 3, protect: false }]);
    const violations = await createEvaluator(pack)({ ...stack, kind: "staging" });
    const dbUrn = "urn:pulumi:staging::slipway::aws:rds/instance:Instance::db0";
    expect(violations).toEqual([
      {
        policy: "db-backups",
        enforcementLevel: "mandatory",
        urn: dbUrn,
        message: "Databases keep backups.\nkeeps 3 days; 7 needed",
      },
      { policy: "db-protected", enforcementLevel: "remediate", urn: dbUrn, message: "unprotected" },
    ]);
  });

  test("passes a compliant stack", async () => {
    const stack = await stackWith([{ retention: 7, protect: true }]);
    expect(await createEvaluator(pack)({ ...stack, kind: "staging" })).toEqual([]);
  });

  test("config sets levels (per policy over all over the policy's own) and settings", async () => {
    const stack = await stackWith([
      { retention: 3, protect: false },
      { retention: 1, protect: true },
    ]);
    const violations = await createEvaluator(pack, {
      all: "advisory",
      "db-backups": { enforcementLevel: "mandatory", minimumDays: 2 },
      "db-protected": "disabled",
    })({ ...stack, kind: "staging" });
    expect(violations.map((v) => [v.policy, v.enforcementLevel, v.message])).toEqual([
      ["db-backups", "mandatory", "Databases keep backups.\nkeeps 1 days; 2 needed"],
      ["one-database", "advisory", "A stack has at most one database.\n2 databases"],
    ]);
  });

  test("remediate counts as mandatory for validation", async () => {
    const stack = await stackWith([
      { retention: 7, protect: true },
      { retention: 7, protect: true },
    ]);
    const violations = await createEvaluator(pack)({ ...stack, kind: "staging" });
    expect(violations).toEqual([
      {
        policy: "one-database",
        enforcementLevel: "mandatory",
        urn: undefined,
        message: "A stack has at most one database.\n2 databases",
      },
    ]);
  });

  test("a policy reading a value unknown at plan time is reported as the engine does, not a crash", async () => {
    const stack = await stackWith([{ retention: 7, protect: true }], true);
    const violations = await createEvaluator(pack)({ ...stack, kind: "staging" });
    expect(violations).toEqual([
      {
        policy: "endpoint-known",
        enforcementLevel: "advisory",
        urn: "urn:pulumi:staging::slipway::aws:ec2/securityGroup:SecurityGroup::sg",
        message:
          "can't run policy 'endpoint-known' from policy pack 'test-pack@v1.2.3' during preview: string value at .description can't be known during preview",
      },
    ]);
  });

  test("a policy that throws is a bug, named with the policy", async () => {
    const broken: PackDefinition = {
      ...pack,
      policies: [
        {
          name: "broken",
          description: "d",
          validateResource: () => {
            throw new Error("oops");
          },
        },
      ],
    };
    const stack = await stackWith([]);
    await expect(createEvaluator(broken)({ ...stack, kind: "staging" })).rejects.toThrow(
      "Error validating resource with policy 'broken' from policy pack 'test-pack@v1.2.3': oops",
    );
  });
});

describe("resolvePolicies", () => {
  test("fills defaults from each policy's schema", () => {
    const resolved = resolvePolicies(pack);
    expect(resolved.map((r) => [r.policy.name, r.level, r.config])).toEqual([
      ["db-backups", "mandatory", { minimumDays: 7 }],
      ["db-protected", "advisory", {}],
      ["endpoint-known", "mandatory", {}],
      ["one-database", "remediate", {}],
    ]);
  });

  test("bad config is bad input: unknown policies, levels and settings are named", () => {
    try {
      resolvePolicies(
        pack,
        {
          "db-backup": "mandatory",
          all: "strict",
          "db-backups": { minimumDays: -1, minimumDay: 3 },
        } as never,
        "--policy-config policy.json",
      );
      throw new Error("expected a SlipwayError");
    } catch (error) {
      expect(error).toBeInstanceOf(SlipwayError);
      expect((error as SlipwayError).message.split("\n")[0]).toBe("--policy-config policy.json:");
      expect((error as SlipwayError).problems).toEqual([
        {
          key: "db-backup",
          message:
            "is not a policy of the test-pack pack. Did you mean db-backups? Allowed: all, db-backups, db-protected, endpoint-known, one-database. Fix: rename or remove it.",
        },
        {
          key: "all.enforcementLevel",
          message:
            'got "strict". Allowed: advisory, mandatory, remediate, disabled. Fix: correct it in the policy config file (docs/policies.md lists each policy\'s settings).',
        },
        {
          key: "db-backups.minimumDay",
          message:
            "got 3: not a setting of the policy db-backups, so it would change nothing. Did you mean db-backups.minimumDays? Allowed: enforcementLevel, minimumDays. Fix: rename or remove it.",
        },
        {
          key: "db-backups.minimumDays",
          message:
            "got -1: must be >= 0. Fix: correct it in the policy config file (docs/policies.md lists each policy's settings).",
        },
      ]);
    }
  });

  test("settings under all are refused: all takes only a level", () => {
    expect(() =>
      resolvePolicies(pack, { all: { enforcementLevel: "advisory", minimumDays: 3 } }),
    ).toThrow(
      "all.minimumDays: got 3: not a setting of every policy (all takes only enforcementLevel), so it would change nothing. Allowed: enforcementLevel. Fix: rename or remove it.",
    );
  });
});

describe("readPolicyConfig", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-policy-config-"));
  test.each([['{"all":"mandatory"}', { all: "mandatory" }]])("reads %s", (text, expected) => {
    const file = path.join(dir, "ok.json");
    fs.writeFileSync(file, text);
    expect(readPolicyConfig(file)).toEqual(expected);
  });

  test.each([
    ["[1]", "not an object"],
    ["{", "Expected property name"],
  ])("refuses %s", (text, reason) => {
    const file = path.join(dir, "bad.json");
    fs.writeFileSync(file, text);
    expect(() => readPolicyConfig(file)).toThrow(reason);
  });

  test("a missing file is named", () => {
    expect(() => readPolicyConfig(path.join(dir, "none.json"))).toThrow(
      `--policy-config: ${path.join(dir, "none.json")} cannot be read.`,
    );
  });
});

describe("engineProps", () => {
  test("opens secrets, turns unknowns into the engine's sentinel and drops undefined", () => {
    expect(engineProps({ a: new Secret("s"), b: [UNKNOWN], c: undefined, d: null })).toEqual({
      a: "s",
      b: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"],
      d: null,
    });
  });
});
