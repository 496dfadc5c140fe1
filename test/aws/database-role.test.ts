import { CapturedStack } from "../../cli/plan/capture";
import { stableUuid } from "../../cli/plan/mocks";
import { redact, Secret } from "../../cli/plan/values";
import { POSTGRES_DATABASE_TYPE, PostgresDatabase } from "../../components/database";
import { databaseSchema } from "../../config/schema";
import { capture, one, ofType } from "../support/stacks";

const PROVIDER = "pulumi:providers:postgresql";
const ROLE = "postgresql:index/role:Role";
const GRANT = "postgresql:index/grant:Grant";
const DEFAULTS = "postgresql:index/defaultPrivileges:DefaultPrivileges";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const DB = "aws:rds/instance:Instance";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const VERIFY = `sslmode=verify-full&sslrootcert=${encodeURIComponent("/app/.postgresql/root.crt")}`;

const withRole = databaseSchema.parse({
  network: "static-egress",
  allowedCidrs: ["192.0.2.10/32", "203.0.113.7/32"],
  appRole: "acme_web",
});

async function plan(
  settings = withRole,
  kind: "production" | "staging" = "staging",
): Promise<CapturedStack> {
  return capture(
    () => {
      const db = new PostgresDatabase("db", {
        settings,
        kind,
        namePrefix: "acme-web",
        awsRegion: "us-east-1",
      });
      return { databaseUrl: db.databaseUrl };
    },
    { stack: kind },
  );
}

/** The `<urn>::<id>` reference a resource's provider option becomes (the mock's id). */
const providerRef = (captured: CapturedStack) =>
  `${one(captured, PROVIDER, "db-postgres").urn}::${stableUuid(PROVIDER, "db-postgres")}`;

/** Resources of `type` by name: the registration order of siblings is not fixed. */
const byName = (captured: CapturedStack, type: string) =>
  [...ofType(captured, type)].sort((a, b) => a.name.localeCompare(b.name));

describe("the app's own role (slipway:database.appRole)", () => {
  test("the provider logs in as the master user, verifying the server, once the database admits it", async () => {
    const captured = await plan();
    const provider = one(captured, PROVIDER, "db-postgres");
    const instance = one(captured, DB);
    expect(provider.parent).toBe(one(captured, POSTGRES_DATABASE_TYPE).urn);
    expect(provider.inputs).toEqual({
      host: instance.state["address"],
      port: "5432",
      database: "app",
      username: "slipway",
      password: new Secret(one(captured, PASSWORD, "db-password").state["result"]),
      sslmode: "verify-full",
      sslrootcert: "certs/rds/us-east-1-bundle.pem",
      superuser: "false",
      connectTimeout: "30",
    });
    expect(redact(provider.inputs)).toMatchObject({ password: "[secret]" });
    // The master password, the instance and the rules admitting the runner come first.
    expect([...provider.dependencies].sort()).toEqual(
      [
        instance.urn,
        one(captured, PASSWORD, "db-password").urn,
        ...ofType(captured, INGRESS).map((rule) => rule.urn),
      ].sort(),
    );
    expect(ofType(captured, INGRESS)).toHaveLength(2);
  });

  test("the provider reads the stack's own bundle when caBundleFile is set", async () => {
    const file = "certs/rds/us-east-2-bundle.pem";
    const captured = await plan({ ...withRole, caBundleFile: file });
    expect(one(captured, PROVIDER).inputs["sslrootcert"]).toBe(file);
  });

  test("the role logs in and may do nothing else, with its own secret password", async () => {
    const captured = await plan();
    const role = one(captured, ROLE, "db-app-role");
    const password = one(captured, PASSWORD, "db-app-password");
    expect(role.inputs).toEqual({
      name: "acme_web",
      login: true,
      password: new Secret(password.state["result"]),
      superuser: false,
      createDatabase: false,
      createRole: false,
      replication: false,
      bypassRowLevelSecurity: false,
    });
    expect(role.provider).toBe(providerRef(captured));
    // The engine keeps both as secrets in state as well.
    expect(role.additionalSecretOutputs).toEqual(["password", "passwordWo"]);
    expect(password.additionalSecretOutputs).toEqual(["bcryptHash", "result"]);
    // The master password's shape (pinned in database.test.ts), so the URL needs no escaping.
    expect(password.inputs).toEqual(one(captured, PASSWORD, "db-password").inputs);
    expect(password.state["result"]).not.toBe(
      one(captured, PASSWORD, "db-password").state["result"],
    );
  });

  test("grants: connect, create and temporary tables on the database; use of and create in public", async () => {
    const captured = await plan();
    const grants = byName(captured, GRANT);
    expect(grants.map((g) => [g.name, g.inputs, g.provider])).toEqual([
      [
        "db-app-grant-database",
        {
          role: "acme_web",
          database: "app",
          objectType: "database",
          privileges: ["CONNECT", "CREATE", "TEMPORARY"],
        },
        providerRef(captured),
      ],
      [
        "db-app-grant-schema",
        {
          role: "acme_web",
          database: "app",
          schema: "public",
          objectType: "schema",
          privileges: ["CREATE", "USAGE"],
        },
        providerRef(captured),
      ],
    ]);
    const role = one(captured, ROLE);
    for (const grant of grants) expect(grant.dependencies).toContain(role.urn);
  });

  test("default privileges: tables and sequences the master user creates in public from now on", async () => {
    const captured = await plan();
    const common = { role: "acme_web", database: "app", schema: "public", owner: "slipway" };
    expect(byName(captured, DEFAULTS).map((d) => [d.name, d.inputs, d.provider])).toEqual([
      [
        "db-app-defaults-sequences",
        { ...common, objectType: "sequence", privileges: ["SELECT", "UPDATE", "USAGE"] },
        providerRef(captured),
      ],
      [
        "db-app-defaults-tables",
        {
          ...common,
          objectType: "table",
          privileges: ["DELETE", "INSERT", "REFERENCES", "SELECT", "TRIGGER", "TRUNCATE", "UPDATE"],
        },
        providerRef(captured),
      ],
    ]);
  });

  test("DATABASE_URL carries the role and its password, as a secret", async () => {
    const captured = await plan();
    const host = String(one(captured, DB).state["address"]);
    const password = String(one(captured, PASSWORD, "db-app-password").state["result"]);
    expect(captured.outputs).toEqual({
      databaseUrl: new Secret(`postgres://acme_web:${password}@${host}:5432/app?${VERIFY}`),
    });
    expect(redact(captured.outputs)).toEqual({ databaseUrl: "[secret]" });
  });

  test("no password appears in what a plan prints: every resource's inputs, the outputs", async () => {
    const captured = await plan();
    const printed = JSON.stringify(redact(captured.resources.map((r) => r.inputs)));
    for (const password of ofType(captured, PASSWORD)) {
      expect(printed).not.toContain(String(password.state["result"]));
    }
    expect(JSON.stringify(redact(captured.outputs))).toBe('{"databaseUrl":"[secret]"}');
  });

  test("public admits the runner as well: one rule, which the provider waits for", async () => {
    const captured = await plan(
      databaseSchema.parse({ network: "public", appRole: "acme_web" }),
      "production",
    );
    const rule = one(captured, INGRESS);
    expect(rule.inputs["cidrIpv4"]).toBe("0.0.0.0/0");
    expect(one(captured, PROVIDER).dependencies).toContain(rule.urn);
    // Production protects the instance and the master password, not the role's parts: removing
    // appRole must be able to delete them, and the app falls back to the master user.
    expect(
      captured.resources
        .filter(
          (r) => [PROVIDER, ROLE, GRANT, DEFAULTS].includes(r.type) || r.name === "db-app-password",
        )
        .map((r) => r.protect),
    ).toEqual([false, false, false, false, false, false, false]);
  });

  test("off by default: no Postgres resource, and DATABASE_URL carries the master user", async () => {
    const settings = databaseSchema.parse({ allowedCidrs: ["192.0.2.10/32"] });
    expect(settings.appRole).toBeUndefined();
    const captured = await plan(settings);
    expect(
      captured.resources.filter((r) => r.type.includes("postgresql")).map((r) => r.type),
    ).toEqual([]);
    expect(ofType(captured, PASSWORD).map((p) => p.name)).toEqual(["db-password"]);
    const host = String(one(captured, DB).state["address"]);
    const password = String(one(captured, PASSWORD).state["result"]);
    expect(captured.outputs).toEqual({
      databaseUrl: new Secret(`postgres://slipway:${password}@${host}:5432/app?${VERIFY}`),
    });
  });
});
