import * as pulumi from "@pulumi/pulumi";
import {
  MOCK_ACCOUNT_ID,
  mockCall,
  mockResource,
  stableHex,
  stableUuid,
} from "../../cli/plan/mocks";
import { decode, redact, reveal, Secret, UNKNOWN } from "../../cli/plan/values";

const context = {
  awsRegion: "eu-west-1",
  stackOutputs: (name: string) => (name === "production" ? { pipelineId: "p" } : undefined),
};
const resource = (type: string, name: string, inputs: Record<string, unknown> = {}) =>
  mockResource({ type, name, inputs }, context);

describe("mockResource gives realistic, stable outputs", () => {
  test("the same resource always gets the same ids", () => {
    expect(resource("aws:ec2/securityGroup:SecurityGroup", "db-sg")).toEqual(
      resource("aws:ec2/securityGroup:SecurityGroup", "db-sg"),
    );
    expect(stableUuid("a")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(stableHex(6, "a", "b")).not.toBe(stableHex(6, "ab"));
  });

  test("a salt (the stack name in a plan) makes the same resource name differ between stacks", () => {
    const inStack = (salt: string) =>
      mockResource(
        { type: "pulumi-nodejs:dynamic/heroku:App", name: "app-app", inputs: { name: "x" } },
        { ...context, salt },
      ).id;
    expect(inStack("production")).toBe(stableUuid("production", "heroku", "App", "app-app"));
    expect(inStack("staging")).not.toBe(inStack("production"));
    expect(inStack("staging")).toBe(inStack("staging"));
  });

  test("an RDS instance has an ARN, an endpoint and a port", () => {
    const { id, state } = resource("aws:rds/instance:Instance", "db", {
      identifier: "acme-db",
      instanceClass: "db.t4g.micro",
    });
    expect(id).toBe("acme-db");
    expect(state["arn"]).toBe(`arn:aws:rds:eu-west-1:${MOCK_ACCOUNT_ID}:db:acme-db`);
    expect(state["address"]).toMatch(/^acme-db\.c[0-9a-f]{11}\.eu-west-1\.rds\.amazonaws\.com$/);
    expect(state["endpoint"]).toBe(`${String(state["address"])}:5432`);
    expect(state["port"]).toBe(5432);
    expect(state["instanceClass"]).toBe("db.t4g.micro");
  });

  test.each([
    [
      "aws:sns/topic:Topic",
      { name: "alerts" },
      "arn",
      `arn:aws:sns:eu-west-1:${MOCK_ACCOUNT_ID}:alerts`,
    ],
    [
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      { name: "cpu" },
      "arn",
      `arn:aws:cloudwatch:eu-west-1:${MOCK_ACCOUNT_ID}:alarm:cpu`,
    ],
    ["aws:iam/role:Role", { name: "deploy" }, "arn", `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/deploy`],
    [
      "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
      { url: "https://token.actions.githubusercontent.com" },
      "arn",
      `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`,
    ],
    [
      "aws:rds/parameterGroup:ParameterGroup",
      { name: "pg" },
      "arn",
      `arn:aws:rds:eu-west-1:${MOCK_ACCOUNT_ID}:pg:pg`,
    ],
    [
      "aws:rds/subnetGroup:SubnetGroup",
      { name: "sn" },
      "arn",
      `arn:aws:rds:eu-west-1:${MOCK_ACCOUNT_ID}:subgrp:sn`,
    ],
    [
      "aws:cloudwatch/logGroup:LogGroup",
      { name: "lg" },
      "arn",
      `arn:aws:logs:eu-west-1:${MOCK_ACCOUNT_ID}:log-group:lg`,
    ],
    ["aws:iam/policy:Policy", { name: "p" }, "arn", `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/p`],
    [
      "aws:sns/topicSubscription:TopicSubscription",
      { topic: "arn:t" },
      "arn",
      `arn:t:${stableUuid("aws:sns/topicSubscription:TopicSubscription", "r")}`,
    ],
    [
      "aws:route53/healthCheck:HealthCheck",
      {},
      "arn",
      `arn:aws:route53:::healthcheck/${stableUuid("aws:route53/healthCheck:HealthCheck", "r")}`,
    ],
    ["aws:s3/bucket:Bucket", {}, "arn", `arn:aws:s3:eu-west-1:${MOCK_ACCOUNT_ID}:r`],
  ])("%s", (type, inputs, key, expected) => {
    expect(resource(type, "r", inputs).state[key]).toBe(expected);
  });

  test("a Heroku app gets an id, a web URL with Heroku's random suffix and a git URL", () => {
    const { id, state } = resource("pulumi-nodejs:dynamic/heroku:App", "web", { name: "acme-web" });
    expect(id).toBe(stableUuid("heroku", "App", "web"));
    expect(state["webUrl"]).toBe(
      `https://acme-web-${stableHex(12, "web", "acme-web")}.herokuapp.com/`,
    );
    expect(state["gitUrl"]).toBe("https://git.heroku.com/acme-web.git");
  });

  test("a random id answers its bytes in every encoding the provider gives", () => {
    const { id, state } = resource("random:index/randomId:RandomId", "suffix", { byteLength: 4 });
    const hex = stableHex(8, "id", "suffix");
    const bytes = Buffer.from(hex, "hex");
    expect({ id, state }).toEqual({
      id: bytes.toString("base64url"),
      state: {
        byteLength: 4,
        hex,
        dec: String(parseInt(hex, 16)),
        b64Std: bytes.toString("base64"),
        b64Url: bytes.toString("base64url"),
      },
    });
    expect(resource("random:index/randomId:RandomId", "suffix").state["hex"]).toHaveLength(16);
  });

  test("Postgres roles, grants and default privileges get the provider's ids", () => {
    const role = { name: "acme_web", login: true };
    expect(resource("postgresql:index/role:Role", "db-app-role", role)).toEqual({
      id: "acme_web",
      state: role,
    });
    const onDatabase = { role: "acme_web", database: "app", objectType: "database" };
    expect(resource("postgresql:index/grant:Grant", "g", onDatabase)).toEqual({
      id: "acme_web_app_database",
      state: { ...onDatabase, withGrantOption: false },
    });
    const onSchema = { role: "acme_web", database: "app", schema: "public", objectType: "schema" };
    expect(resource("postgresql:index/grant:Grant", "g", onSchema).id).toBe(
      "acme_web_app_public_schema",
    );
    const defaults = {
      role: "acme_web",
      database: "app",
      schema: "public",
      owner: "slipway",
      objectType: "table",
    };
    expect(resource("postgresql:index/defaultPrivileges:DefaultPrivileges", "d", defaults)).toEqual(
      {
        id: "acme_web_app_public_slipway_table",
        state: { ...defaults, withGrantOption: false },
      },
    );
    const databaseWide = { ...defaults, schema: undefined };
    expect(
      resource("postgresql:index/defaultPrivileges:DefaultPrivileges", "d", databaseWide).id,
    ).toBe("acme_web_app_noschema_slipway_table");
  });

  test("a random password is 32 characters unless asked otherwise", () => {
    expect(
      String(resource("random:index/randomPassword:RandomPassword", "pw").state["result"]),
    ).toHaveLength(32);
    expect(
      String(
        resource("random:index/randomPassword:RandomPassword", "pw", { length: 40 }).state[
          "result"
        ],
      ),
    ).toHaveLength(40);
  });

  test("stack references answer with planned outputs, else with unknown", () => {
    expect(
      resource("pulumi:pulumi:StackReference", "production", { name: "acme/slipway/production" })
        .state["outputs"],
    ).toBe(pulumi.runtime.unknownValue);
    expect(
      resource("pulumi:pulumi:StackReference", "production", { name: "production" }).state[
        "outputs"
      ],
    ).toEqual({ pipelineId: "p" });
  });
});

describe("mockCall", () => {
  test.each([
    ["aws:index/getCallerIdentity:getCallerIdentity", {}, "accountId", MOCK_ACCOUNT_ID],
    ["aws:index/getRegion:getRegion", {}, "name", "eu-west-1"],
    ["aws:index/getPartition:getPartition", {}, "partition", "aws"],
    ["aws:ec2/getVpc:getVpc", { default: true }, "cidrBlock", "172.31.0.0/16"],
    ["github:index/getUser:getUser", { username: "octocat" }, "login", "octocat"],
  ])("%s", (token, inputs, key, expected) => {
    expect(mockCall({ token, inputs }, context)[key]).toBe(expected);
  });

  test("the default VPC has three subnets", () => {
    const ids = mockCall({ token: "aws:ec2/getSubnets:getSubnets", inputs: {} }, context)[
      "ids"
    ] as string[];
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(id).toMatch(/^subnet-[0-9a-f]{17}$/);
  });

  test("an unknown function is a bug in the mocks, said plainly", () => {
    expect(() => mockCall({ token: "aws:x/getY:getY", inputs: {} }, context)).toThrow(
      "slipway plan has no mock for the function aws:x/getY:getY; add one in cli/plan/mocks.ts",
    );
  });
});

describe("values", () => {
  const rpc = pulumi.runtime;
  test("decodes the wire format: secrets, unknowns, resource references, assets, output values", () => {
    const wire = {
      a: { [rpc.specialSigKey]: rpc.specialSecretSig, value: "s" },
      b: rpc.unknownValue,
      c: { [rpc.specialSigKey]: rpc.specialResourceSig, urn: "urn:x" },
      d: { [rpc.specialSigKey]: rpc.specialAssetSig, path: "./f" },
      e: { [rpc.specialSigKey]: rpc.specialOutputValueSig, value: 1, secret: true },
      f: { [rpc.specialSigKey]: rpc.specialOutputValueSig },
      g: [1, { h: "i" }],
    };
    expect(decode(wire)).toEqual({
      a: new Secret("s"),
      b: UNKNOWN,
      c: "urn:x",
      d: '[asset "./f"]',
      e: new Secret(1),
      f: UNKNOWN,
      g: [1, { h: "i" }],
    });
  });

  test("redact hides secrets and marks unknowns; reveal opens secrets", () => {
    const value = { a: new Secret({ b: "c" }), d: [UNKNOWN, new Secret("e")] };
    expect(redact(value)).toEqual({ a: "[secret]", d: ["[unknown]", "[secret]"] });
    expect(reveal(value)).toEqual({ a: { b: "c" }, d: [UNKNOWN, "e"] });
  });
});
