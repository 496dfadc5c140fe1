// Secrets in plain text are refused everywhere: by name (keys, nested fields, config vars), and
// where slipway knows a value carries a credential (log drain URLs). Never echoing the value.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { main } from "../../cli/main";
import { looksSecret, SECRET_NAME_PATTERNS, upperSnakeCase } from "../../config/limits";
import { isSecureInStackFile, plainSecretProblems, refusePlainSecrets } from "../../config/secrets";
import { SlipwayError } from "../../errors";
import { PROJECT_DIR } from "../support/stacks";

const SECURE = { secure: "v1:abc" };
const inStackFile = (values: Record<string, unknown>) =>
  plainSecretProblems(values, (_key, _path, value) => isSecureInStackFile(value));

describe("looksSecret: one list of names for config keys, fields and config vars", () => {
  test.each([
    ["apiKey", "API_KEY", true],
    ["token", "TOKEN", true],
    ["GITHUB_TOKEN", "GITHUB_TOKEN", true],
    ["secretConfigVars", "SECRET_CONFIG_VARS", true],
    ["SECRET_KEY_BASE", "SECRET_KEY_BASE", true],
    ["stateSecret", "STATE_SECRET", true],
    ["reviewHerokuApiKey", "REVIEW_HEROKU_API_KEY", true],
    ["DBPassword", "DB_PASSWORD", true],
    ["db-passwd", "DB_PASSWD", true],
    ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE", true],
    ["STRIPE_APIKEY", "STRIPE_APIKEY", true],
    ["PRIVATE_KEY", "PRIVATE_KEY", true],
    ["GOOGLE_CREDENTIALS", "GOOGLE_CREDENTIALS", true],
    ["DATABASE_URL", "DATABASE_URL", true],
    ["NODE_ENV", "NODE_ENV", false],
    ["LOG_LEVEL", "LOG_LEVEL", false],
    ["WEB_CONCURRENCY", "WEB_CONCURRENCY", false],
    ["KEYBOARD_LAYOUT", "KEYBOARD_LAYOUT", false],
    ["TOKEN_URL", "TOKEN_URL", false],
    ["REDIS_URL", "REDIS_URL", false],
    ["SECRETARY_EMAIL", "SECRETARY_EMAIL", false],
    ["oidcProviderArn", "OIDC_PROVIDER_ARN", false],
    ["releaseWebhookUrl", "RELEASE_WEBHOOK_URL", false],
    ["snapshotsKept", "SNAPSHOTS_KEPT", false],
  ])("%s reads as %s: %s", (name, snake, secret) => {
    expect(upperSnakeCase(name)).toBe(snake);
    expect(looksSecret(name)).toBe(secret);
  });

  test("a list of patterns given instead replaces the built-in one", () => {
    expect(looksSecret("LICENSE", ["^_LICENSE_$"])).toBe(true);
    expect(looksSecret("licenseKey", ["_LICENSE_"])).toBe(true);
    expect(looksSecret("API_KEY", ["^_LICENSE_$"])).toBe(false);
    expect(SECRET_NAME_PATTERNS).toContain("^_DATABASE_URL_$");
  });
});

describe("plainSecretProblems, as slipway plan sees a stack file", () => {
  test("secure values and empty ones pass; secret-looking keys with plain values do not", () => {
    expect(
      inStackFile({
        "heroku:apiKey": SECURE,
        "github:token": "",
        "slipway:secretConfigVars": { SESSION_SECRET: SECURE },
        "slipway:app": { name: "acme-web", logDrains: [SECURE], configVars: { NODE_ENV: "x" } },
        "slipway:stateSecret": "[secret]",
      }),
    ).toEqual([]);
  });

  test("names each plain value by its path, says why, and gives the command; never the value", () => {
    const problems = inStackFile({
      "heroku:apiKey": "hk-0123",
      "github:token": "ghp_0123",
      "slipway:secretConfigVars": { SESSION_SECRET: "hunter2", OTHER: SECURE },
      "slipway:app": {
        name: "acme-web",
        logDrains: ["syslog+tls://logs.example.com:6514", SECURE],
      },
      "aws:region": "us-east-1",
    });
    expect(problems).toEqual([
      {
        key: "heroku:apiKey",
        message:
          'holds a value in plain text, and "heroku:apiKey" looks like the name of a secret. ' +
          "Allowed: only a value stored as a secret. Fix: pulumi config set --secret heroku:apiKey <value>",
      },
      {
        key: "github:token",
        message:
          'holds a value in plain text, and "github:token" looks like the name of a secret. ' +
          "Allowed: only a value stored as a secret. Fix: pulumi config set --secret github:token <value>",
      },
      {
        key: "slipway:secretConfigVars.SESSION_SECRET",
        message:
          'holds a value in plain text, and "slipway:secretConfigVars" looks like the name of a ' +
          "secret. Allowed: only a value stored as a secret. Fix: pulumi config set --secret " +
          "--path 'slipway:secretConfigVars.SESSION_SECRET' <value>",
      },
      {
        key: "slipway:app.logDrains[0]",
        message:
          "holds a value in plain text, and a log drain URL carries the token of the service " +
          "that receives the logs. Allowed: only a value stored as a secret. Fix: pulumi config " +
          "set --secret --path 'slipway:app.logDrains[0]' <value>",
      },
    ]);
    for (const problem of problems) {
      expect(problem.message).not.toMatch(/hk-0123|ghp_0123|hunter2|logs\.example\.com/);
    }
  });

  test("nested fields whose names look secret, in any namespace, inside lists too", () => {
    const problems = inStackFile({
      "slipway:alerting": { httpsEndpoint: "https://hooks.example.com/x" },
      "datadog:settings": { apiKey: "dd-1", site: "datadoghq.eu" },
      "custom:hooks": [
        { url: "https://x", token: "t-1" },
        { url: "https://y", token: SECURE },
      ],
    });
    expect(problems.map((p) => p.key)).toEqual([
      "datadog:settings.apiKey",
      "custom:hooks[0].token",
    ]);
  });

  test("a config var whose name looks secret is refused even when stored with --secret", () => {
    const problems = inStackFile({
      "slipway:app": {
        name: "acme-web",
        configVars: { API_TOKEN: SECURE, NODE_ENV: "production" },
      },
    });
    expect(problems).toEqual([
      {
        key: "slipway:app.configVars.API_TOKEN",
        message:
          "is a plain config var whose name looks secret, so its value would reach Heroku, the " +
          "state and every plan in plain text. Allowed: config vars with such names only in " +
          "slipway:secretConfigVars. Fix: pulumi config rm --path 'slipway:app.configVars.API_TOKEN', " +
          "then pulumi config set --secret --path 'slipway:secretConfigVars.API_TOKEN' <value>",
      },
    ]);
  });

  test("odd field names are quoted as pulumi config set --path writes them", () => {
    const problems = inStackFile({ "slipway:secretConfigVars": { "my key": "x" } });
    expect(problems.map((p) => p.key)).toEqual(['slipway:secretConfigVars["my key"]']);
  });

  test.each([
    [{ secure: "v1:abc" }, true],
    ["[secret]", true],
    [{ secure: 1 }, false],
    [{ secure: "v1:abc", other: 1 }, false],
    ["plain", false],
    [null, false],
    [["[secret]"], false],
  ])("isSecureInStackFile(%j) is %s", (value, secure) => {
    expect(isSecureInStackFile(value)).toBe(secure);
  });
});

describe("plainSecretProblems, as pulumi up sees config (secure keys, not values)", () => {
  const secretKeys =
    (...keys: string[]) =>
    (key: string) =>
      keys.includes(key);

  test("a key with any secure value counts as secret as a whole", () => {
    const values = {
      "heroku:apiKey": "hk-0123",
      "slipway:app": { name: "acme-web", logDrains: ["https://logs.example.com/x"] },
    };
    expect(plainSecretProblems(values, secretKeys("heroku:apiKey", "slipway:app"))).toEqual([]);
    expect(plainSecretProblems(values, secretKeys()).map((p) => p.key)).toEqual([
      "heroku:apiKey",
      "slipway:app.logDrains[0]",
    ]);
  });

  test("secret-looking config vars are refused whatever the key's secrecy", () => {
    const values = { "slipway:app": { name: "acme-web", configVars: { DB_PASSWORD: "x" } } };
    expect(plainSecretProblems(values, secretKeys("slipway:app")).map((p) => p.key)).toEqual([
      "slipway:app.configVars.DB_PASSWORD",
    ]);
  });

  test("values of other shapes are no one's business here", () => {
    const values = {
      "slipway:app": "not an object",
      "slipway:secretConfigVars": { A: 12 },
      "other:list": [1, true, null],
    };
    expect(plainSecretProblems(values, secretKeys())).toEqual([]);
    expect(plainSecretProblems({ "slipway:app": { configVars: [] } }, secretKeys())).toEqual([]);
  });
});

test("refusePlainSecrets throws every problem of a file at once, with the file's name", () => {
  let error: unknown;
  try {
    refusePlainSecrets({ "heroku:apiKey": "x", "github:token": "y" }, "Pulumi.production.yaml");
  } catch (caught) {
    error = caught;
  }
  expect(SlipwayError.isInstance(error)).toBe(true);
  const message = (error as SlipwayError).message.split("\n");
  expect(message[0]).toBe("Pulumi.production.yaml holds secrets in plain text:");
  expect(message.slice(1).map((line) => line.split(":").slice(0, 2).join(":"))).toEqual([
    "  - heroku:apiKey",
    "  - github:token",
  ]);
  expect(() => refusePlainSecrets({ "heroku:apiKey": SECURE }, "x")).not.toThrow();
});

describe("slipway plan", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-secrets-"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  });

  test.each([
    [{ "heroku:apiKey": "hk-plain" }, "heroku:apiKey"],
    [{ "github:token": "ghp_plain" }, "github:token"],
    [{ "slipway:stateSecret": "passphrase" }, "slipway:stateSecret"],
    [
      {
        "slipway:app": { name: "acme-web-staging", logDrains: ["https://logs.example.com/t0k3n"] },
      },
      "slipway:app.logDrains[0]",
    ],
    [
      { "slipway:app": { name: "acme-web-staging", configVars: { SENTRY_API_KEY: "abc" } } },
      "slipway:app.configVars.SENTRY_API_KEY",
    ],
  ])("exits 2 for a plain secret in the stack file (%j), naming %s", async (change, key) => {
    const config = {
      "aws:region": "us-east-1",
      "slipway:app": { name: "acme-web-staging" },
      ...change,
    };
    fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), stringify({ config }));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["plan", "--dir", dir, "--stack", "staging"], {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
    });
    expect(code).toBe(2);
    expect(out).toEqual([]);
    const text = err.join("");
    expect(text).toContain("Pulumi.staging.yaml holds secrets in plain text:");
    expect(text).toContain(`  - ${key}: `);
    expect(text).toContain("Fix: pulumi config ");
    expect(text).not.toMatch(/hk-plain|ghp_plain|passphrase"|t0k3n|abc"/);
  });

  test("a log drain stored with --secret plans, and the plan shows neither URL nor host", async () => {
    const config = {
      "aws:region": "us-east-1",
      "slipway:app": {
        name: "acme-web-staging",
        logDrains: [{ secure: "v1:AAAA" }, { secure: "v1:BBBB" }],
      },
    };
    fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), stringify({ config }));
    const out: string[] = [];
    const code = await main(["plan", "--dir", dir, "--stack", "staging", "--format", "json"], {
      stdout: (t) => out.push(t),
      stderr: () => undefined,
    });
    expect(code).toBe(0);
    const plan = JSON.parse(out.join("")) as {
      stacks: { resources: { type: string; name: string; inputs: Record<string, unknown> }[] }[];
    };
    const drains = plan.stacks[0]?.resources.filter((r) => r.type.endsWith("heroku:LogDrain"));
    expect(drains?.map((d) => [d.name, d.inputs["url"]])).toEqual([
      ["app-drain-1", "[secret]"],
      ["app-drain-2", "[secret]"],
    ]);
  });
});
