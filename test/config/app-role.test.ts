// slipway:database.appRole: which names it takes, where the network lets `pulumi up` reach the
// database to create it (the exact refusals), and a committed stack planned with it turned on.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../cli/main";
import { toJson } from "../../cli/plan/render";
import { Secret } from "../../cli/plan/values";
import { isReservedRoleName } from "../../config/limits";
import { validateSettings } from "../../config/validate";
import { problemsOf as problemsIn } from "../support/config";
import { violations } from "../policy/support";
import { one, PROJECT_DIR, planStack, StackValues } from "../support/stacks";

const app = { name: "acme-web-staging" };
const spaceApp = { ...app, team: "acme", space: "acme-space" };
const cidrs = ["192.0.2.10/32"];

const problemsOf = (raw: Record<string, unknown>, stack = "staging") =>
  problemsIn({ app, ...raw }, stack);

const ALLOWED =
  "Allowed: appRole with slipway:database.network static-egress (the address pulumi up runs " +
  "from listed in allowedCidrs) or public. Fix: pulumi config rm --path " +
  "'slipway:database.appRole' and create the role by hand from a one-off dyno " +
  "(docs/database.md, The app's own role).";
const NAME_ALLOWED =
  "Allowed: the Postgres role the app connects as, created by pulumi up over the network " +
  "(static-egress with the runner's address in allowedCidrs, or public; docs/database.md): a " +
  "lowercase letter, then lowercase letters, digits or _ (at most 63), not the master " +
  "username, not pg_* or rds*; unset, the app connects as the master user. Fix: pulumi config " +
  "set --path 'slipway:database.appRole' acme_web";

describe("slipway:database.appRole", () => {
  test.each([
    ["static-egress with addresses", { allowedCidrs: cidrs }],
    ["public", { network: "public" }],
  ])("is accepted with %s", (_label, database) => {
    const { settings } = validateSettings(
      { app, database: { ...database, appRole: "acme_web" } },
      "staging",
    );
    expect(settings.database.appRole).toBe("acme_web");
  });

  test("is unset by default", () => {
    expect(validateSettings({ app }, "staging").settings.database.appRole).toBeUndefined();
  });

  test.each<[string, Record<string, unknown>, string]>([
    [
      "private-space",
      {
        app: spaceApp,
        database: {
          network: "private-space",
          routeTableIds: ["rtb-0abc1234def567890"],
          appRole: "acme_web",
        },
      },
      "slipway:database.network is private-space: the database has no public address and " +
        "admits only the dynos of the space",
    ],
    [
      "static-egress with no addresses and no space",
      { database: { appRole: "acme_web" } },
      "slipway:database.allowedCidrs is empty: the security group admits no address",
    ],
    [
      "static-egress admitting only the space's NAT",
      { app: spaceApp, database: { appRole: "acme_web" } },
      "slipway:database.allowedCidrs is empty: the security group admits only the NAT " +
        "addresses of the space",
    ],
  ])("is refused with %s: pulumi up could not reach the database", (_label, raw, because) => {
    expect(problemsOf(raw)).toEqual([
      {
        key: "slipway:database.appRole",
        message:
          `got "acme_web": pulumi up creates the app's role by connecting to the database, and ` +
          `${because}, so it could not connect. ${ALLOWED}`,
      },
    ]);
  });

  test.each([
    ["Acme_Web", "not in the allowed format"],
    ["9lives", "not in the allowed format"],
    ["acme-web", "not in the allowed format"],
    ["a".repeat(64), "not in the allowed format"],
    ["pg_app", "a name Postgres or RDS reserves (pg_*, rds*, public, postgres, ...)"],
    ["rds_app", "a name Postgres or RDS reserves (pg_*, rds*, public, postgres, ...)"],
    ["public", "a name Postgres or RDS reserves (pg_*, rds*, public, postgres, ...)"],
    ["postgres", "a name Postgres or RDS reserves (pg_*, rds*, public, postgres, ...)"],
    [
      "slipway",
      "the master user's name (slipway:database.username), and the app's role must be another role with fewer rights",
    ],
  ])("refuses the name %j", (name, reason) => {
    expect(problemsOf({ database: { allowedCidrs: cidrs, appRole: name } })).toEqual([
      {
        key: "slipway:database.appRole",
        message: `got ${JSON.stringify(name)}: ${reason}. ${NAME_ALLOWED}`,
      },
    ]);
  });

  test("the master user's name is compared without case", () => {
    const database = { allowedCidrs: cidrs, username: "Owner", appRole: "owner" };
    expect(problemsOf({ database }).map((p) => p.key)).toEqual(["slipway:database.appRole"]);
  });

  test.each([
    ["acme_web", false],
    ["app", false],
    ["rds", true],
    ["rdsadmin", true],
    ["pg_monitor", true],
    ["current_user", true],
    ["session_user", true],
    ["current_role", true],
    ["none", true],
    ["admin", true],
    ["root", true],
  ])("isReservedRoleName(%j) is %s", (name, reserved) => {
    expect(isReservedRoleName(name)).toBe(reserved);
  });

  test("a review stack has no database, so its appRole is not checked", () => {
    expect(problemsOf({ database: { appRole: "acme_web" } }, "review-login")).toEqual([]);
  });
});

describe("a committed stack with appRole", () => {
  const turnOn = (values: StackValues) => {
    (values["slipway:database"] as Record<string, unknown>)["appRole"] = "acme_web";
  };

  test("staging: the app gets the role's URL as a secret, and no password is printed", async () => {
    const plan = await planStack("staging", turnOn);
    const config = one(plan, "pulumi-nodejs:dynamic/heroku:ConfigVars");
    const password = String(
      one(plan, "random:index/randomPassword:RandomPassword", "database-app-password").state[
        "result"
      ],
    );
    const host = String(one(plan, "aws:rds/instance:Instance").state["address"]);
    expect((config.inputs["secretVars"] as Record<string, unknown>)["DATABASE_URL"]).toEqual(
      new Secret(
        `postgres://acme_web:${password}@${host}:5432/app?sslmode=verify-full&sslrootcert=%2Fapp%2F.postgresql%2Froot.crt`,
      ),
    );
    const printed = JSON.stringify(toJson([plan]));
    for (const pw of plan.resources.filter(
      (r) => r.type === "random:index/randomPassword:RandomPassword",
    )) {
      expect(printed).not.toContain(String(pw.state["result"]));
    }
    expect(plan.violations).toEqual([]);
  });

  test("production passes the pack with it on", async () => {
    expect(await violations("production", { edit: turnOn })).toEqual([]);
  });

  test("slipway plan exits 2 for private-space with appRole, naming the key, without a trace", async () => {
    const staging = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.staging.yaml"), "utf8");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-app-role-"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const broken = staging
      .replace("  slipway:app:\n", "  slipway:app:\n    team: acme\n    space: acme-space\n")
      .replace(
        /network: static-egress[\s\S]*?- 198\.51\.100\.11\/32\n/,
        "network: private-space\n    routeTableIds: [rtb-0abc1234def567890]\n    appRole: acme_web\n",
      );
    fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), broken);
    let stdout = "";
    let stderr = "";
    const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
    const code = await main(["plan", "--dir", dir, "--stack", "staging"], io, { cwd: dir });
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toBe(
      `slipway: stack staging (${path.relative(process.cwd(), path.join(dir, "Pulumi.staging.yaml"))}):\n` +
        `  - slipway:database.appRole: got "acme_web": pulumi up creates the app's role by ` +
        "connecting to the database, and slipway:database.network is private-space: the " +
        "database has no public address and admits only the dynos of the space, so it could " +
        `not connect. ${ALLOWED}\n`,
    );
  });
});
