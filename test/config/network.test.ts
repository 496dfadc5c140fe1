// slipway:database.network: the rules that span the mode, its addresses and the app's Private
// Space, with the exact messages a person reads (key, value, what is allowed, the fix).
import { databaseNetworkProblems } from "../../config/network";
import { cidrPrefixLength, WIDEST_PUBLIC_PREFIX } from "../../config/limits";
import { validateSettings } from "../../config/validate";
import { Problem } from "../../errors";
import { problemsOf as problemsIn } from "../support/config";
import { MAX_NARROW_ADDRESSES } from "../../policy/policies/database-network";

const app = { name: "acme-web-staging" };
const spaceApp = { ...app, team: "acme", space: "acme-space" };

const problemsOf = (raw: Record<string, unknown>, stack = "staging") =>
  problemsIn({ app, ...raw }, stack);

const DOCS = "(docs/database.md, The network)";

const rows: [string, Record<string, unknown>, Problem[]][] = [
  [
    "static-egress refuses the whole internet",
    { database: { allowedCidrs: ["0.0.0.0/0"] } },
    [
      {
        key: "slipway:database.allowedCidrs[0]",
        message:
          'got "0.0.0.0/0": the whole internet would admit addresses nobody can name to a ' +
          "database on the internet. Allowed: blocks of /24 or narrower: the static-egress " +
          "add-on's addresses (a /32 each). Fix: replace it with the add-on's addresses, or set " +
          `slipway:database.network to public if the exposure is wanted ${DOCS}.`,
      },
    ],
  ],
  [
    "static-egress refuses a /23, second in the list",
    { database: { network: "static-egress", allowedCidrs: ["192.0.2.10/32", "198.51.100.0/23"] } },
    [
      {
        key: "slipway:database.allowedCidrs[1]",
        message:
          'got "198.51.100.0/23": a /23, wider than a /24 would admit addresses nobody can name ' +
          "to a database on the internet. Allowed: blocks of /24 or narrower: the static-egress " +
          "add-on's addresses (a /32 each). Fix: replace it with the add-on's addresses, or set " +
          `slipway:database.network to public if the exposure is wanted ${DOCS}.`,
      },
    ],
  ],
  [
    "private-space needs the app in a space",
    { database: { network: "private-space", routeTableIds: ["rtb-0abc1234def567890"] } },
    [
      {
        key: "slipway:app.space",
        message:
          "missing: slipway:database.network is private-space, so the app must run in a Heroku " +
          "Private Space whose VPC the database peers with. Allowed: the name of a space of the " +
          "app's team. Fix: pulumi config set --path 'slipway:app.space' acme-space, or choose " +
          `another slipway:database.network ${DOCS}.`,
      },
    ],
  ],
  [
    "private-space needs route tables",
    { app: spaceApp, database: { network: "private-space" } },
    [
      {
        key: "slipway:database.routeTableIds",
        message:
          "got nothing: with private-space the database's subnets need a route to the space " +
          "through the peering connection. Allowed: the ids of the route tables of the " +
          "database's subnets (aws ec2 describe-route-tables --filters " +
          "Name=vpc-id,Values=<vpc>). Fix: set it in the stack's config file, for example " +
          "routeTableIds: [rtb-0abc1234def567890].",
      },
    ],
  ],
  [
    "private-space takes no addresses",
    {
      app: spaceApp,
      database: {
        network: "private-space",
        routeTableIds: ["rtb-0abc1234def567890"],
        allowedCidrs: ["10.0.0.0/16"],
      },
    },
    [
      {
        key: "slipway:database.allowedCidrs",
        message:
          'got ["10.0.0.0/16"]: with private-space the security group admits only the ' +
          "space's dyno CIDR blocks, which Heroku reports. Allowed: an empty list. Fix: remove " +
          "allowedCidrs from the stack's config file, or set slipway:database.network to static-egress.",
      },
    ],
  ],
  [
    "route tables outside private-space",
    { database: { allowedCidrs: ["192.0.2.10/32"], routeTableIds: ["rtb-0abc1234def567890"] } },
    [
      {
        key: "slipway:database.routeTableIds",
        message:
          'got ["rtb-0abc1234def567890"]: route tables are for private-space only, and ' +
          "slipway:database.network is static-egress. Allowed: an empty list. Fix: remove " +
          "routeTableIds from the stack's config file, or set slipway:database.network to private-space.",
      },
    ],
  ],
  [
    "public takes no addresses",
    { database: { network: "public", allowedCidrs: ["192.0.2.10/32"] } },
    [
      {
        key: "slipway:database.allowedCidrs",
        message:
          'got ["192.0.2.10/32"]: public opens port 5432 to every address, so a list narrows ' +
          "nothing. Allowed: an empty list. Fix: set slipway:database.network to static-egress " +
          "to admit only these addresses, or remove allowedCidrs.",
      },
    ],
  ],
  [
    "the CA bundle's config var is slipway's",
    { app: { ...app, configVars: { DATABASE_CA_BUNDLE: "x" } } },
    [
      {
        key: "slipway:app.configVars.DATABASE_CA_BUNDLE",
        message:
          "is set by slipway: it carries the RDS certificate authorities of aws:region to the " +
          "app. Allowed: no DATABASE_CA_BUNDLE among slipway:app.configVars. Fix: pulumi config " +
          "rm --path 'slipway:app.configVars.DATABASE_CA_BUNDLE' (to ship another bundle, set " +
          "slipway:database.caBundleFile).",
      },
    ],
  ],
  [
    "a space without its team",
    { app: { ...app, space: "acme-space" } },
    [
      {
        key: "slipway:app.team",
        message:
          'got nothing: missing: slipway:app.space is "acme-space", and a Private Space belongs ' +
          "to a team, whose app the app becomes. Allowed: a Heroku team name (lowercase " +
          "letters, digits, dashes). Fix: pulumi config set --path 'slipway:app.team' acme",
      },
    ],
  ],
  [
    "publiclyAccessible is gone, with what replaced it",
    { database: { publiclyAccessible: true } },
    [
      {
        key: "slipway:database.publiclyAccessible",
        message:
          "was replaced by slipway:database.network, which decides public access: " +
          "private-space keeps the database off the internet; static-egress and public give it " +
          "a public address. Allowed: private-space, static-egress or public in " +
          "slipway:database.network. Fix: remove publiclyAccessible from the stack's config " +
          "file and set slipway:database.network (docs/database.md, The network).",
      },
    ],
  ],
  [
    "an unknown mode",
    { database: { network: "vpn" } },
    [
      {
        key: "slipway:database.network",
        message:
          'got "vpn": not one of the allowed values. Allowed: private-space (VPC peering with ' +
          "slipway:app.space), static-egress (only allowedCidrs, or the space's NAT addresses) " +
          "or public (5432 open to the internet; see docs/database.md). Fix: pulumi config set " +
          "--path 'slipway:database.network' static-egress",
      },
    ],
  ],
  [
    "a malformed route table id",
    { database: { network: "private-space", routeTableIds: ["rt-1"] } },
    [
      {
        key: "slipway:database.routeTableIds[0]",
        message:
          'got "rt-1": not in the allowed format. Allowed: a route table id. Fix: pulumi ' +
          "config set --path 'slipway:database.routeTableIds[0]' rtb-0abc1234def567890",
      },
    ],
  ],
];

describe("slipway:database.network", () => {
  test.each(rows)("%s", (_label, raw, problems) => {
    expect(problemsOf(raw)).toEqual(problems);
  });

  test.each([
    ["a /24", { allowedCidrs: ["198.51.100.0/24"] }],
    ["two /32s", { allowedCidrs: ["192.0.2.10/32", "192.0.2.11/32"] }],
    ["public, with nothing listed", { network: "public" }],
    ["static-egress with no addresses (warned about, not refused)", {}],
  ])("accepts %s", (_label, database) => {
    expect(problemsOf({ database })).toEqual([]);
  });

  test("private-space with a space, its team and route tables is accepted", () => {
    const { settings } = validateSettings(
      {
        app: spaceApp,
        database: { network: "private-space", routeTableIds: ["rtb-0abc1234def567890"] },
      },
      "staging",
    );
    expect(settings.app.space).toBe("acme-space");
    expect(settings.database.network).toBe("private-space");
  });

  test("review stacks have no database, so its network is not checked", () => {
    expect(problemsOf({ database: { allowedCidrs: ["0.0.0.0/0"] } }, "review-login")).toEqual([]);
  });

  test("every problem of the network is reported at once", () => {
    const { settings } = validateSettings({ app }, "staging");
    const broken = {
      ...settings,
      app: { ...settings.app, configVars: { DATABASE_CA_BUNDLE: "x" } },
      database: {
        ...settings.database,
        allowedCidrs: ["0.0.0.0/0", "10.0.0.0/8"],
        routeTableIds: ["rtb-0abc1234def567890"],
      },
    };
    expect(databaseNetworkProblems(broken).map((p) => p.key)).toEqual([
      "slipway:database.routeTableIds",
      "slipway:database.allowedCidrs[0]",
      "slipway:database.allowedCidrs[1]",
      "slipway:app.configVars.DATABASE_CA_BUNDLE",
    ]);
  });

  test("config validation and the policy draw the line at the same size", () => {
    expect(2 ** (32 - WIDEST_PUBLIC_PREFIX)).toBe(MAX_NARROW_ADDRESSES);
    expect(cidrPrefixLength("198.51.100.0/24")).toBe(24);
  });
});
