// The policy pack the Pulumi CLI loads (`pulumi preview --policy-pack policy`). Constructing it
// starts the analyzer's server, so nothing else lives here: `slipway plan` imports the same
// policies from ./policies and evaluates them offline.
import { PolicyPack } from "@pulumi/policy";
import { pack } from "./policies";

new PolicyPack(pack.name, { enforcementLevel: pack.enforcementLevel, policies: pack.policies });
