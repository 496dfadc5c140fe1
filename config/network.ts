// The rules of `slipway:database.network` that span several keys (the mode, its addresses, the
// app's Private Space, the app's role, which pulumi up must reach the database to create),
// checked for the stacks that create a database. Each rule is a condition and a message that
// names the key, the value, what is allowed and the fix.
import type { Problem } from "../errors";
import { cidrPrefixLength, WIDEST_PUBLIC_PREFIX } from "./limits";
import type { SlipwaySettings } from "./schema";

/** The config var that carries the RDS certificate authorities to the app (see docs/database.md). */
export const CA_BUNDLE_CONFIG_VAR = "DATABASE_CA_BUNDLE";

const DOCS = "(docs/database.md, The network)";

interface Rule {
  /** True when the settings break the rule. */
  readonly broken: (settings: SlipwaySettings) => boolean;
  readonly key: string;
  readonly message: (settings: SlipwaySettings) => string;
}

const show = (value: unknown) => JSON.stringify(value);

const RULES: readonly Rule[] = [
  {
    broken: (s) => s.database.network === "private-space" && s.app.space === undefined,
    key: "slipway:app.space",
    message: () =>
      "missing: slipway:database.network is private-space, so the app must run in a Heroku " +
      "Private Space whose VPC the database peers with. Allowed: the name of a space of the " +
      "app's team. Fix: pulumi config set --path 'slipway:app.space' acme-space, or choose " +
      `another slipway:database.network ${DOCS}.`,
  },
  {
    broken: (s) => s.database.network === "private-space" && s.database.routeTableIds.length === 0,
    key: "slipway:database.routeTableIds",
    message: () =>
      "got nothing: with private-space the database's subnets need a route to the space " +
      "through the peering connection. Allowed: the ids of the route tables of the database's " +
      "subnets (aws ec2 describe-route-tables --filters Name=vpc-id,Values=<vpc>). Fix: set it " +
      "in the stack's config file, for example routeTableIds: [rtb-0abc1234def567890].",
  },
  {
    broken: (s) => s.database.network !== "private-space" && s.database.routeTableIds.length > 0,
    key: "slipway:database.routeTableIds",
    message: (s) =>
      `got ${show(s.database.routeTableIds)}: route tables are for private-space only, and ` +
      `slipway:database.network is ${s.database.network}. Allowed: an empty list. Fix: remove ` +
      "routeTableIds from the stack's config file, or set slipway:database.network to private-space.",
  },
  {
    broken: (s) => s.database.network === "private-space" && s.database.allowedCidrs.length > 0,
    key: "slipway:database.allowedCidrs",
    message: (s) =>
      `got ${show(s.database.allowedCidrs)}: with private-space the security group admits ` +
      "only the space's dyno CIDR blocks, which Heroku reports. Allowed: an empty list. Fix: " +
      "remove allowedCidrs from the stack's config file, or set slipway:database.network to static-egress.",
  },
  {
    broken: (s) => s.database.network === "public" && s.database.allowedCidrs.length > 0,
    key: "slipway:database.allowedCidrs",
    message: (s) =>
      `got ${show(s.database.allowedCidrs)}: public opens port 5432 to every address, so a ` +
      "list narrows nothing. Allowed: an empty list. Fix: set slipway:database.network to " +
      "static-egress to admit only these addresses, or remove allowedCidrs.",
  },
  {
    broken: (s) => s.database.appRole !== undefined && !runnerMayReach(s),
    key: "slipway:database.appRole",
    message: (s) =>
      `got ${show(s.database.appRole)}: pulumi up creates the app's role by connecting to the ` +
      `database, and ${unreachableBecause(s)}, so it could not connect. Allowed: appRole with ` +
      "slipway:database.network static-egress (the address pulumi up runs from listed in " +
      "allowedCidrs) or public. Fix: pulumi config rm --path 'slipway:database.appRole' and " +
      "create the role by hand from a one-off dyno (docs/database.md, The app's own role).",
  },
];

/**
 * Whether the security group could admit the machine running `pulumi up`: only when it admits
 * addresses someone chose (allowedCidrs, or everyone); never the space's dynos or NAT alone.
 */
function runnerMayReach(settings: SlipwaySettings): boolean {
  const { network, allowedCidrs } = settings.database;
  return network === "public" || (network === "static-egress" && allowedCidrs.length > 0);
}

function unreachableBecause(settings: SlipwaySettings): string {
  if (settings.database.network === "private-space") {
    return "slipway:database.network is private-space: the database has no public address and admits only the dynos of the space";
  }
  return settings.app.space === undefined
    ? "slipway:database.allowedCidrs is empty: the security group admits no address"
    : "slipway:database.allowedCidrs is empty: the security group admits only the NAT addresses of the space";
}

/** A static-egress block wider than a /24 (0.0.0.0/0 included), for each one given. */
function wideBlocks(settings: SlipwaySettings): Problem[] {
  if (settings.database.network !== "static-egress") return [];
  return settings.database.allowedCidrs.flatMap((cidr, i) =>
    cidrPrefixLength(cidr) >= WIDEST_PUBLIC_PREFIX
      ? []
      : [
          {
            key: `slipway:database.allowedCidrs[${i}]`,
            message:
              `got ${show(cidr)}: ${cidr === "0.0.0.0/0" ? "the whole internet" : `a /${cidrPrefixLength(cidr)}, wider than a /${WIDEST_PUBLIC_PREFIX}`}` +
              ` would admit addresses nobody can name to a database on the internet. Allowed: ` +
              `blocks of /${WIDEST_PUBLIC_PREFIX} or narrower: the static-egress add-on's ` +
              "addresses (a /32 each). Fix: replace it with the add-on's addresses, or set " +
              `slipway:database.network to public if the exposure is wanted ${DOCS}.`,
          },
        ],
  );
}

/** The config var slipway sets for the CA bundle may not be set by hand as well. */
function reservedConfigVar(settings: SlipwaySettings): Problem[] {
  if (!(CA_BUNDLE_CONFIG_VAR in settings.app.configVars)) return [];
  return [
    {
      key: `slipway:app.configVars.${CA_BUNDLE_CONFIG_VAR}`,
      message:
        "is set by slipway: it carries the RDS certificate authorities of aws:region to the " +
        `app. Allowed: no ${CA_BUNDLE_CONFIG_VAR} among slipway:app.configVars. Fix: pulumi ` +
        `config rm --path 'slipway:app.configVars.${CA_BUNDLE_CONFIG_VAR}' (to ship another ` +
        "bundle, set slipway:database.caBundleFile).",
    },
  ];
}

/** Every network problem of a stack that creates a database (production or staging). */
export function databaseNetworkProblems(settings: SlipwaySettings): Problem[] {
  return [
    ...RULES.filter((rule) => rule.broken(settings)).map((rule) => ({
      key: rule.key,
      message: rule.message(settings),
    })),
    ...wideBlocks(settings),
    ...reservedConfigVar(settings),
  ];
}
