import { SlipwayError } from "../../errors";
import { problemsOf as problemsIn } from "../support/config";
import { planStack } from "../support/stacks";

const app = { name: "acme-web-staging" };

const problemsOf = (raw: Record<string, unknown>) => problemsIn({ app, ...raw });

// Each row: the bad input, the key the message names, the settings, and the exact message (the value
// received, why, what is allowed, and the command that fixes it).
const badInputs: [string, string, Record<string, unknown>, string][] = [
  [
    "backup retention above 35 days",
    "slipway:database.backupRetentionDays",
    { database: { backupRetentionDays: 36 } },
    "got 36: above the maximum of 35. Allowed: a whole number of days from 0 to 35 (the RDS " +
      "limit). Fix: pulumi config set --path 'slipway:database.backupRetentionDays' 7",
  ],
  [
    "backup retention below 0",
    "slipway:database.backupRetentionDays",
    { database: { backupRetentionDays: -1 } },
    "got -1: below the minimum of 0. Allowed: a whole number of days from 0 to 35 (the RDS " +
      "limit). Fix: pulumi config set --path 'slipway:database.backupRetentionDays' 7",
  ],
  [
    "allocated storage above the autoscaling maximum",
    "slipway:database.maxAllocatedStorageGb",
    { database: { allocatedStorageGb: 300, maxAllocatedStorageGb: 200 } },
    "got 200: below allocatedStorageGb (300); storage autoscaling needs a maximum at or above " +
      "the allocated size. Allowed: a whole number of GiB, at least allocatedStorageGb, at most " +
      "65536. Fix: pulumi config set --path 'slipway:database.maxAllocatedStorageGb' 100",
  ],
  [
    "an instance class without the db. prefix",
    "slipway:database.instanceClass",
    { database: { instanceClass: "t4g.micro" } },
    'got "t4g.micro": not in the allowed format. Allowed: an instance class RDS for PostgreSQL offers, ' +
      "db.<family>.<size> with family one of t3, t4g, m5, m5d, m6g, m6gd, m6i, m6id, m6idn, m6in, " +
      "m7g, m7i, m8g, r5, r5b, r5d, r6g, r6gd, r6i, r6id, r6idn, r6in, r7g, r7i, r8g, x2g, x2iedn " +
      "(config/limits.ts lists the sizes). Fix: pulumi config set --path 'slipway:database.instanceClass' " +
      "db.t4g.micro",
  ],
  [
    "an instance class in capitals",
    "slipway:database.instanceClass",
    { database: { instanceClass: "db.T4G.micro" } },
    'got "db.T4G.micro": not in the allowed format. Allowed: an instance class RDS for PostgreSQL offers, ' +
      "db.<family>.<size> with family one of t3, t4g, m5, m5d, m6g, m6gd, m6i, m6id, m6idn, m6in, " +
      "m7g, m7i, m8g, r5, r5b, r5d, r6g, r6gd, r6i, r6id, r6idn, r6in, r7g, r7i, r8g, x2g, x2iedn " +
      "(config/limits.ts lists the sizes). Fix: pulumi config set --path 'slipway:database.instanceClass' " +
      "db.t4g.micro",
  ],
  [
    "a CIDR with host bits set",
    "slipway:database.allowedCidrs[0]",
    { database: { allowedCidrs: ["10.0.0.1/8"] } },
    'got "10.0.0.1/8": not an IPv4 CIDR block. Allowed: an IPv4 CIDR block with its host bits ' +
      "clear. Fix: pulumi config set --path 'slipway:database.allowedCidrs[0]' 203.0.113.0/24",
  ],
  [
    "a CIDR with an octet above 255, second in the list",
    "slipway:database.allowedCidrs[1]",
    { database: { allowedCidrs: ["0.0.0.0/0", "300.1.1.0/24"] } },
    'got "300.1.1.0/24": not an IPv4 CIDR block. Allowed: an IPv4 CIDR block with its host ' +
      "bits clear. Fix: pulumi config set --path 'slipway:database.allowedCidrs[1]' " +
      "203.0.113.0/24",
  ],
  [
    "an e-mail without @",
    "slipway:alerting.emails[0]",
    { alerting: { emails: ["oncall(at)acme.example"] } },
    'got "oncall(at)acme.example": not in the allowed format. Allowed: an e-mail address. ' +
      "Fix: pulumi config set --path 'slipway:alerting.emails[0]' oncall@example.com",
  ],
  [
    "an e-mail with a space",
    "slipway:alerting.emails[0]",
    { alerting: { emails: ["on call@acme.example"] } },
    'got "on call@acme.example": not in the allowed format. Allowed: an e-mail address. ' +
      "Fix: pulumi config set --path 'slipway:alerting.emails[0]' oncall@example.com",
  ],
];

describe("bad database and alerting settings", () => {
  test.each(badInputs)("%s: names %s", (_, key, raw, message) => {
    expect(problemsOf(raw)).toEqual([{ key, message }]);
  });

  test("slipway plan stops on them before declaring anything, naming the key", async () => {
    const plan = planStack("production", (values) => {
      (values["slipway:database"] as Record<string, unknown>)["backupRetentionDays"] = 40;
    });
    await expect(plan).rejects.toBeInstanceOf(SlipwayError);
    await expect(plan).rejects.toThrow("slipway:database.backupRetentionDays: got 40");
  });
});
