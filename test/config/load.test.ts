import * as pulumi from "@pulumi/pulumi";
import { loadConfig, parseConfigValue, SlipwayConfig } from "../../config";
import { capture } from "../support/stacks";

async function load(stack: string, config: Record<string, unknown>, secretKeys: string[] = []) {
  let loaded: SlipwayConfig | undefined;
  await capture(
    () => {
      loaded = loadConfig();
    },
    { stack, config, secretKeys },
  );
  return loaded as SlipwayConfig;
}

async function loadError(
  stack: string,
  config: Record<string, unknown>,
  secretKeys: string[] = [],
) {
  try {
    await load(stack, config, secretKeys);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected loadConfig to fail");
}

const staging = { "slipway:app": { name: "acme-web-staging" } };
const production = {
  "slipway:app": { name: "acme-web" },
  "slipway:pipeline": { name: "acme-web" },
  "slipway:github": { owner: "acme", repository: "acme-web", platformRepository: "acme/slipway" },
};

describe("loadConfig", () => {
  test("returns one frozen object with the stack's kind and defaults", async () => {
    const config = await load("staging", staging);
    expect(config.project).toBe("slipway");
    expect(config.stack).toBe("staging");
    expect(config.kind).toBe("staging");
    expect(config.awsRegion).toBe("us-east-1");
    expect(config.app.name).toBe("acme-web-staging");
    expect(config.database?.backupRetentionDays).toBe(7);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.app.formation)).toBe(true);
    expect(() => {
      (config.app as { name: string }).name = "other";
    }).toThrow(TypeError);
  });

  test("review stacks have no RDS settings and need no AWS region", async () => {
    const config = await load("review-login-form", { ...staging, "aws:region": "not a region" });
    expect(config.kind).toBe("review");
    expect(config.reviewSlug).toBe("login-form");
    expect(config.database).toBeUndefined();
  });

  test("secret config vars become Pulumi secrets, by name", async () => {
    let value: unknown;
    let secret: boolean | undefined;
    await capture(
      async () => {
        const config = loadConfig();
        expect(Object.keys(config.secretConfigVars)).toEqual(["SESSION_SECRET"]);
        const output = config.secretConfigVars["SESSION_SECRET"] as pulumi.Output<string>;
        secret = await pulumi.isSecret(output);
        value = await new Promise((resolve) => output.apply(resolve));
      },
      {
        config: { ...staging, "slipway:secretConfigVars": { SESSION_SECRET: "s3cr3t" } },
        secretKeys: ["slipway:secretConfigVars"],
      },
    );
    expect(secret).toBe(true);
    expect(value).toBe("s3cr3t");
  });

  test("secret config vars in plain text are refused without echoing them", async () => {
    const message = await loadError("staging", {
      ...staging,
      "slipway:secretConfigVars": { SESSION_SECRET: "hunter2" },
    });
    expect(message).toBe(
      "slipway:secretConfigVars.SESSION_SECRET: holds a value in plain text, and " +
        '"slipway:secretConfigVars" looks like the name of a secret. Allowed: only a value stored ' +
        "as a secret. Fix: pulumi config set --secret --path " +
        "'slipway:secretConfigVars.SESSION_SECRET' <value>",
    );
  });

  test("pulumi up refuses a plain heroku:apiKey, github:token or log drain before anything runs", async () => {
    const message = await loadError("staging", {
      ...staging,
      "heroku:apiKey": "hk-0123",
      "github:token": "ghp_0123",
      "slipway:app": { name: "acme-web-staging", logDrains: ["https://logs.example.com/t0k3n"] },
    });
    expect(
      message
        .split("\n")
        .map((line) => line.split(": ")[0])
        .sort(),
    ).toEqual(["github:token", "heroku:apiKey", "slipway:app.logDrains[0]"]);
    expect(message).not.toMatch(/hk-0123|ghp_0123|t0k3n/);
  });

  test("the same values stored with --secret load, and CI's credentials become Pulumi secrets", async () => {
    const seen: [boolean, unknown][] = [];
    await capture(
      async () => {
        const config = loadConfig();
        expect(config.ciSecrets.reviewHerokuApiKey).toBeUndefined();
        for (const output of [config.ciSecrets.stateSecret, config.ciSecrets.reviewStateSecret]) {
          const value = output as pulumi.Output<string>;
          seen.push([
            await pulumi.isSecret(value),
            await new Promise((resolve) => value.apply(resolve)),
          ]);
        }
      },
      {
        stack: "production",
        config: {
          ...production,
          "heroku:apiKey": "hk-0123",
          "slipway:stateSecret": "passphrase",
          "slipway:reviewStateSecret": "review-passphrase",
        },
        secretKeys: ["heroku:apiKey", "slipway:stateSecret", "slipway:reviewStateSecret"],
      },
    );
    expect(seen).toEqual([
      [true, "passphrase"],
      [true, "review-passphrase"],
    ]);
  });

  test.each([
    ["", 'got ""'],
    ["Virginia", 'got "Virginia"'],
  ])("a staging stack needs a valid aws:region (%j)", async (region, received) => {
    const message = await loadError("staging", { ...staging, "aws:region": region });
    expect(message).toContain(`aws:region: ${received}: a staging stack creates its database`);
    expect(message).toContain("Fix: pulumi config set aws:region us-east-1");
  });

  test("a misspelled namespace fails the program", async () => {
    const message = await loadError("staging", { ...staging, "slipwya:database": {} });
    expect(message).toContain("slipwya:database: unknown namespace");
  });
});

describe("parseConfigValue", () => {
  test.each([
    ['{"a":1}', { a: 1 }],
    ["[1,2]", [1, 2]],
    ["{not json", "{not json"],
    ["production", "production"],
  ])("%j", (raw, parsed) => {
    expect(parseConfigValue(raw)).toEqual(parsed);
  });
});
