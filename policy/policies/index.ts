// The slipway policy pack's policies, grouped by area. Importing this module starts nothing:
// policy/index.ts hands these to `new PolicyPack` for the Pulumi CLI, and `slipway plan`
// evaluates the same objects offline.
import * as fs from "node:fs";
import * as path from "node:path";
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { alertingPolicies } from "./alerting";
import { databasePolicies } from "./database";
import { githubPolicies } from "./github";
import { herokuPolicies } from "./heroku";

export const PACK_NAME = "slipway";

/** The version the pack publishes: policy/package.json's, which `new PolicyPack` reads too. */
function packVersion(): string {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"),
  ) as { version: string };
  return manifest.version;
}

export const pack: {
  readonly name: string;
  readonly version: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly policies: Policies;
} = {
  name: PACK_NAME,
  version: packVersion(),
  // Each policy states its own level; anything unstated only advises.
  enforcementLevel: "advisory",
  policies: [...githubPolicies, ...databasePolicies, ...herokuPolicies, ...alertingPolicies],
};
