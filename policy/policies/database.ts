// Databases: backups kept, storage encrypted, TLS forced, production guarded against deletion.
import * as aws from "@pulumi/aws";
import {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
  validateStackResourcesOfType,
} from "@pulumi/policy";
import { kindOf, label, settingsOf } from "./common";
import { databaseNetworkPolicies } from "./database-network";

const INSTANCE_TYPE = "aws:rds/instance:Instance";
const PARAMETER_GROUP_TYPE = "aws:rds/parameterGroup:ParameterGroup";

export const rdsBackupRetention: ResourceValidationPolicy = {
  name: "rds-backup-retention",
  description: "Automated backups are kept long enough to restore from a bad deploy or migration.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Raise slipway:database.backupRetentionDays (at most 35), or lower productionDays/stagingDays in the policy config.",
  configSchema: {
    properties: {
      productionDays: { type: "integer", minimum: 0, maximum: 35, default: 7 },
      stagingDays: { type: "integer", minimum: 0, maximum: 35, default: 1 },
    },
  },
  validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
    const kind = kindOf(args);
    if (kind !== "production" && kind !== "staging") return;
    const config = settingsOf<{ productionDays: number; stagingDays: number }>(
      args,
      rdsBackupRetention,
    );
    const needed = kind === "production" ? config.productionDays : config.stagingDays;
    const kept = db.backupRetentionPeriod ?? 0;
    if (kept < needed)
      report(`A ${kind} database keeps ${kept} days of backups; at least ${needed} are required.`);
  }),
};

export const rdsStorageEncrypted: ResourceValidationPolicy = {
  name: "rds-storage-encrypted",
  description: "Database storage, snapshots and backups are encrypted at rest.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set storageEncrypted: true on the instance (a new instance: restore a snapshot copy made with encryption).",
  validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
    if (db.storageEncrypted !== true) report("storageEncrypted is not true.");
  }),
};

export const rdsProductionDeletionGuard: ResourceValidationPolicy = {
  name: "rds-production-deletion-guard",
  description:
    "A production database cannot be deleted by accident and leaves a final snapshot if it is.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set deletionProtection: true, skipFinalSnapshot: false and a finalSnapshotIdentifier.",
  validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
    if (kindOf(args) !== "production") return;
    if (db.deletionProtection !== true) report("deletionProtection is not true.");
    if (db.skipFinalSnapshot !== false || !db.finalSnapshotIdentifier) {
      report(
        "No final snapshot is kept (skipFinalSnapshot must be false with a finalSnapshotIdentifier).",
      );
    }
  }),
};

export const rdsProductionProtected: ResourceValidationPolicy = {
  name: "rds-production-protected",
  description:
    "The production database is `protect`ed, so no `pulumi up` or `destroy` can delete it.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create the instance with { protect: true } (PostgresDatabase does this in production).",
  validateResource: (args, report) => {
    if (args.type !== INSTANCE_TYPE || kindOf(args) !== "production") return;
    if (!args.opts.protect) report("The instance is not protected.");
  },
};

/** Whether an instance's parameter group (one of its dependencies) sets rds.force_ssl to 1. */
function forcesTls(instance: PolicyResource): boolean {
  return instance.dependencies
    .filter((d) => d.type === PARAMETER_GROUP_TYPE)
    .some((group) =>
      // Stryker disable next-line ArrayDeclaration: equivalent, an element that is not a parameter has no name "rds.force_ssl"
      ((group.props["parameters"] as { name?: string; value?: string }[] | undefined) ?? []).some(
        (p) => p.name === "rds.force_ssl" && String(p.value) === "1",
      ),
    );
}

export const rdsTlsForced: StackValidationPolicy = {
  name: "rds-tls-forced",
  description:
    "Every database refuses unencrypted connections (rds.force_ssl=1 in its parameter group).",
  enforcementLevel: "advisory",
  remediationSteps: "Attach a parameter group with rds.force_ssl = 1 (PostgresDatabase does).",
  validateStack: validateStackResourcesOfType(aws.rds.Instance, (_dbs, args, report) => {
    // validateStackResourcesOfType hands over only the instances.
    for (const instance of args.resources) {
      if (!forcesTls(instance))
        report(`${label(instance)} accepts connections without TLS.`, instance.urn);
    }
  }),
};

export const rdsPublicRequiresTls: StackValidationPolicy = {
  name: "rds-public-requires-tls",
  description: "A database reachable from the internet forces TLS on every connection.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Attach a parameter group with rds.force_ssl = 1, or set slipway:database.publiclyAccessible to false.",
  validateStack: validateStackResourcesOfType(aws.rds.Instance, (_dbs, args, report) => {
    // validateStackResourcesOfType hands over only the instances.
    for (const instance of args.resources) {
      if (instance.props["publiclyAccessible"] === true && !forcesTls(instance)) {
        report(`${label(instance)} is publicly accessible without forcing TLS.`, instance.urn);
      }
    }
  }),
};

export const rdsProductionMultiAz: ResourceValidationPolicy = {
  name: "rds-production-multi-az",
  description: "The production database has a standby in a second availability zone.",
  enforcementLevel: "advisory",
  remediationSteps:
    "Set slipway:database.multiAz to true in the production stack (it doubles the instance cost).",
  validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
    if (kindOf(args) === "production" && db.multiAz !== true) report("multiAz is not true.");
  }),
};

export const rdsMinorVersionUpgrades: ResourceValidationPolicy = {
  name: "rds-minor-version-upgrades",
  description: "Minor Postgres versions (security fixes) are applied in the maintenance window.",
  enforcementLevel: "advisory",
  remediationSteps: "Set autoMinorVersionUpgrade: true.",
  validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
    if (db.autoMinorVersionUpgrade === false) report("autoMinorVersionUpgrade is false.");
  }),
};

export const databasePolicies = [
  rdsBackupRetention,
  rdsStorageEncrypted,
  rdsProductionDeletionGuard,
  rdsProductionProtected,
  rdsTlsForced,
  rdsPublicRequiresTls,
  rdsProductionMultiAz,
  rdsMinorVersionUpgrades,
  ...databaseNetworkPolicies,
];
