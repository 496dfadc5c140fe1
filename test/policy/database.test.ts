import type { CapturedResource } from "../../cli/plan/capture";
import { patch, urnOf, violationsOf } from "./support";

const INSTANCE = "aws:rds/instance:Instance";
const PARAMS = "aws:rds/parameterGroup:ParameterGroup";
const instanceUrn = (stack: string) =>
  urnOf(stack, `slipway:aws:PostgresDatabase$${INSTANCE}`, "database-instance");
type Db = Record<string, unknown>;
const database = (edit: (db: Db) => void) => (values: Record<string, unknown>) =>
  edit(values["slipway:database"] as Db);
const second = (found: { message: string }[]) => found.map((f) => f.message.split("\n")[1]);
const withoutForceSsl = patch(PARAMS, "database-params", (inputs) => {
  inputs["parameters"] = (inputs["parameters"] as { name: string }[]).filter(
    (p) => p.name !== "rds.force_ssl",
  );
});

describe.each(["production", "staging"])("the committed %s stack", (stack) => {
  test.each([
    "rds-backup-retention",
    "rds-storage-encrypted",
    "rds-production-deletion-guard",
    "rds-production-protected",
    "rds-tls-forced",
    "rds-public-requires-tls",
    "rds-production-multi-az",
    "rds-minor-version-upgrades",
  ])("passes %s", async (policy) => {
    expect(await violationsOf(policy, stack)).toEqual([]);
  });
});

describe("rds-backup-retention", () => {
  test.each([
    ["production", 6, "A production database keeps 6 days of backups; at least 7 are required."],
    ["staging", 0, "A staging database keeps 0 days of backups; at least 1 are required."],
  ])("fails %s with %i days", async (stack, days, message) => {
    const found = await violationsOf("rds-backup-retention", stack, {
      edit: database((db) => (db["backupRetentionDays"] = days)),
    });
    expect(found).toEqual([
      {
        policy: "rds-backup-retention",
        enforcementLevel: "mandatory",
        urn: instanceUrn(stack),
        message: `Automated backups are kept long enough to restore from a bad deploy or migration.\n${message}`,
      },
    ]);
  });

  // Each minimum is met exactly: a rule that wanted one day more would fail these.
  test.each([
    ["production", 7],
    ["production", 8],
    ["staging", 1],
    ["staging", 2],
  ])("passes %s with %i days", async (stack, days) => {
    const found = await violationsOf("rds-backup-retention", stack, {
      edit: database((db) => (db["backupRetentionDays"] = days)),
    });
    expect(found).toEqual([]);
  });

  // Review stacks hold no database of their own (review-stacks-ephemeral fails one), so this
  // policy leaves them to that one rather than asking a throwaway instance for backups.
  test("skips an RDS instance in a review stack, however few days it keeps", async () => {
    const found = await violationsOf("rds-backup-retention", "staging", {
      as: "review-login-form",
      edit: (values) => ((values["slipway:app"] as Db)["name"] = "acme-web-pr-login"),
      mutate: (resources) => [
        ...resources,
        {
          ...(resources[1] as CapturedResource),
          type: INSTANCE,
          name: "db",
          urn: "urn:pulumi:review-login-form::slipway::aws:rds/instance:Instance::db",
          inputs: { backupRetentionPeriod: 0 },
        },
      ],
    });
    expect(found).toEqual([]);
  });

  test("the minimums are tunable", async () => {
    const found = await violationsOf("rds-backup-retention", "production", {
      config: { "rds-backup-retention": { productionDays: 30 } },
    });
    expect(second(found)).toEqual([
      "A production database keeps 14 days of backups; at least 30 are required.",
    ]);
  });
});

describe("rds-storage-encrypted", () => {
  test("fails an unencrypted instance", async () => {
    const found = await violationsOf("rds-storage-encrypted", "staging", {
      mutate: patch(
        INSTANCE,
        "database-instance",
        (inputs) => (inputs["storageEncrypted"] = false),
      ),
    });
    expect(second(found)).toEqual(["storageEncrypted is not true."]);
  });
});

describe("rds-production-deletion-guard", () => {
  test("fails a production database that can be deleted without a final snapshot", async () => {
    const found = await violationsOf("rds-production-deletion-guard", "production", {
      mutate: patch(INSTANCE, "database-instance", (inputs) => {
        inputs["deletionProtection"] = false;
        inputs["skipFinalSnapshot"] = true;
      }),
    });
    expect(second(found)).toEqual([
      "deletionProtection is not true.",
      "No final snapshot is kept (skipFinalSnapshot must be false with a finalSnapshotIdentifier).",
    ]);
  });
});

describe("rds-production-deletion-guard, one setting at a time", () => {
  const noFinalSnapshot =
    "No final snapshot is kept (skipFinalSnapshot must be false with a finalSnapshotIdentifier).";
  test.each([
    [
      "deletionProtection false",
      { deletionProtection: false },
      ["deletionProtection is not true."],
    ],
    ["skipFinalSnapshot true", { skipFinalSnapshot: true }, [noFinalSnapshot]],
    ["no finalSnapshotIdentifier", { finalSnapshotIdentifier: "" }, [noFinalSnapshot]],
  ])("fails production with %s alone", async (_name, change, messages) => {
    const found = await violationsOf("rds-production-deletion-guard", "production", {
      mutate: patch(INSTANCE, "database-instance", (inputs) => Object.assign(inputs, change)),
    });
    expect(second(found)).toEqual(messages);
  });

  test("staging is not held to it", async () => {
    const found = await violationsOf("rds-production-deletion-guard", "staging", {
      mutate: patch(INSTANCE, "database-instance", (inputs) => {
        inputs["deletionProtection"] = false;
        inputs["skipFinalSnapshot"] = true;
      }),
    });
    expect(found).toEqual([]);
  });
});

describe("rds-production-protected", () => {
  test("fails an unprotected production instance", async () => {
    const found = await violationsOf("rds-production-protected", "production", {
      mutate: (resources) =>
        resources.map((r) => (r.type === INSTANCE ? { ...r, protect: false } : r)),
    });
    expect(found).toEqual([
      {
        policy: "rds-production-protected",
        enforcementLevel: "mandatory",
        urn: instanceUrn("production"),
        message:
          "The production database is `protect`ed, so no `pulumi up` or `destroy` can delete it.\nThe instance is not protected.",
      },
    ]);
  });
});

describe("TLS", () => {
  test("rds-tls-forced advises when the parameter group does not force TLS", async () => {
    const found = await violationsOf("rds-tls-forced", "staging", { mutate: withoutForceSsl });
    expect(found.map((f) => [f.enforcementLevel, f.urn, f.message.split("\n")[1]])).toEqual([
      ["advisory", instanceUrn("staging"), "database-instance accepts connections without TLS."],
    ]);
  });

  test("rds-public-requires-tls fails a public database without forced TLS", async () => {
    const found = await violationsOf("rds-public-requires-tls", "production", {
      mutate: withoutForceSsl,
    });
    expect(found.map((f) => [f.enforcementLevel, f.message.split("\n")[1]])).toEqual([
      ["mandatory", "database-instance is publicly accessible without forcing TLS."],
    ]);
  });

  test("rds.force_ssl must be 1: 0 does not force TLS", async () => {
    const found = await violationsOf("rds-tls-forced", "staging", {
      mutate: patch(PARAMS, "database-params", (inputs) => {
        inputs["parameters"] = [{ name: "rds.force_ssl", value: "0", applyMethod: "immediate" }];
      }),
    });
    expect(second(found)).toEqual(["database-instance accepts connections without TLS."]);
  });

  test("only rds.force_ssl counts: another parameter set to 1 does not force TLS", async () => {
    const found = await violationsOf("rds-tls-forced", "staging", {
      mutate: patch(PARAMS, "database-params", (inputs) => {
        inputs["parameters"] = [{ name: "log_connections", value: "1", applyMethod: "immediate" }];
      }),
    });
    expect(second(found)).toEqual(["database-instance accepts connections without TLS."]);
  });

  test("an instance with no parameter group does not force TLS", async () => {
    const found = await violationsOf("rds-tls-forced", "staging", {
      mutate: (resources) =>
        resources.map((r) =>
          r.type === INSTANCE
            ? {
                ...r,
                dependencies: r.dependencies.filter(
                  (urn) => !urn.endsWith(`${PARAMS}::database-params`),
                ),
              }
            : r,
        ),
    });
    expect(second(found)).toEqual(["database-instance accepts connections without TLS."]);
  });

  test("only the instance's parameter group counts, not another dependency with parameters", async () => {
    const found = await violationsOf("rds-tls-forced", "staging", {
      mutate: (resources) => {
        const instance = resources.find((r) => r.type === INSTANCE)!;
        const other = resources.find(
          (r) => instance.dependencies.includes(r.urn) && r.type !== PARAMS,
        )!;
        patch(other.type, other.name, (inputs) => {
          inputs["parameters"] = [{ name: "rds.force_ssl", value: "1" }];
        })(resources);
        return withoutForceSsl(resources);
      },
    });
    expect(second(found)).toEqual(["database-instance accepts connections without TLS."]);
  });

  test("a private database without forced TLS is only advised about", async () => {
    // static-egress with no address: the instance gets no public address.
    const edit = database((db) => (db["allowedCidrs"] = []));
    expect(
      await violationsOf("rds-public-requires-tls", "staging", { edit, mutate: withoutForceSsl }),
    ).toEqual([]);
    expect(
      await violationsOf("rds-tls-forced", "staging", { edit, mutate: withoutForceSsl }),
    ).toHaveLength(1);
  });
});

describe("advisories", () => {
  test("rds-production-multi-az advises a single-zone production database, not staging", async () => {
    const edit = database((db) => (db["multiAz"] = false));
    expect(second(await violationsOf("rds-production-multi-az", "production", { edit }))).toEqual([
      "multiAz is not true.",
    ]);
    expect(await violationsOf("rds-production-multi-az", "staging", { edit })).toEqual([]);
  });

  test("rds-minor-version-upgrades advises when minor upgrades are off", async () => {
    const found = await violationsOf("rds-minor-version-upgrades", "staging", {
      mutate: patch(
        INSTANCE,
        "database-instance",
        (inputs) => (inputs["autoMinorVersionUpgrade"] = false),
      ),
    });
    expect(found.map((f) => [f.enforcementLevel, f.message.split("\n")[1]])).toEqual([
      ["advisory", "autoMinorVersionUpgrade is false."],
    ]);
  });
});
