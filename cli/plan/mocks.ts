// Realistic outputs for every resource type slipway declares, so a plan reads like the real
// thing: AWS ARNs and endpoints, Heroku ids and URLs. Ids are derived from the resource's type
// and name, so the same program always plans to the same text.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { Secret, UNKNOWN } from "./values";

export const MOCK_ACCOUNT_ID = "123456789012";

export interface MockContext {
  /** The stack's `aws:region`. */
  readonly awsRegion: string;
  /**
   * Outputs of stacks planned earlier in this run, for StackReferences, by reference name: as
   * captured, secrets as `Secret` and unknowns as `UNKNOWN`.
   */
  readonly stackOutputs: (name: string) => Record<string, unknown> | undefined;
  /**
   * Mixed into every generated id, so two stacks declaring a resource of the same name (each
   * stack's `app`) get different ids, as they would for real.
   */
  readonly salt?: string;
}

type State = Record<string, unknown>;

/** A stable hex string derived from `parts`. */
export function stableHex(length: number, ...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, length);
}

/** A stable UUID (version 4 layout) derived from `parts`, like the ids Heroku hands out. */
export function stableUuid(...parts: string[]): string {
  const h = stableHex(32, ...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function createMocks(context: MockContext): pulumi.runtime.Mocks {
  return {
    newResource: (args) => mockResource(args, context),
    call: (args) => mockCall(args, context),
  };
}

export function mockResource(
  args: pulumi.runtime.MockResourceArgs,
  context: MockContext,
): { id: string; state: State } {
  const { type, name } = args;
  const inputs = (args.inputs ?? {}) as State;
  const region = context.awsRegion;
  const arn = (service: string, resource: string, regional = true) =>
    `arn:aws:${service}:${regional ? region : ""}:${MOCK_ACCOUNT_ID}:${resource}`;
  const str = (key: string, fallback: string): string => {
    const value = inputs[key];
    return typeof value === "string" ? value : fallback;
  };
  const salted = (parts: string[]) => (context.salt ? [context.salt, ...parts] : parts);
  const uuid = (...parts: string[]) => stableUuid(...salted(parts));
  const hex = (length: number) => stableHex(length, ...salted([type, name]));

  if (type === "pulumi:pulumi:StackReference") {
    const outputs = context.stackOutputs(str("name", name));
    return {
      id: str("name", name),
      state: {
        name: str("name", name),
        // A stack not planned in this run has outputs no one can know yet.
        outputs: outputs ? engineValue(outputs) : pulumi.runtime.unknownValue,
        // The engine names the secret outputs, so a program reading another one gets it plain.
        secretOutputNames: Object.keys(outputs ?? {}).filter((k) => outputs?.[k] instanceof Secret),
      },
    };
  }
  if (type.startsWith("pulumi:providers:")) {
    return { id: uuid(type, name), state: inputs };
  }
  if (type.startsWith("pulumi-nodejs:dynamic/heroku:")) {
    return mockHeroku(type.slice("pulumi-nodejs:dynamic/heroku:".length), name, inputs, salted);
  }

  switch (type) {
    case "aws:rds/instance:Instance": {
      const identifier = str("identifier", `${name}-${hex(7)}`);
      const address = `${identifier}.c${hex(11)}.${region}.rds.amazonaws.com`;
      return {
        id: identifier,
        state: {
          ...inputs,
          identifier,
          arn: arn("rds", `db:${identifier}`),
          address,
          endpoint: `${address}:5432`,
          port: 5432,
          resourceId: `db-${hex(26).toUpperCase()}`,
          hostedZoneId: "Z2R2ITUGPM61AM",
        },
      };
    }
    case "aws:rds/subnetGroup:SubnetGroup":
    case "aws:rds/parameterGroup:ParameterGroup": {
      const id = str("name", `${name}-${hex(7)}`);
      const kind = type.includes("subnet") ? "subgrp" : "pg";
      return { id, state: { ...inputs, name: id, arn: arn("rds", `${kind}:${id}`) } };
    }
    case "aws:ec2/securityGroup:SecurityGroup": {
      const id = `sg-${hex(17)}`;
      return {
        id,
        state: { ...inputs, arn: arn("ec2", `security-group/${id}`), ownerId: MOCK_ACCOUNT_ID },
      };
    }
    case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
      const id = `sgr-${hex(17)}`;
      return {
        id,
        state: { ...inputs, securityGroupRuleId: id, arn: arn("ec2", `security-group-rule/${id}`) },
      };
    }
    case "aws:kms/key:Key": {
      const keyId = uuid(type, name);
      return { id: keyId, state: { ...inputs, keyId, arn: arn("kms", `key/${keyId}`) } };
    }
    case "aws:sns/topic:Topic": {
      const topicArn = arn("sns", str("name", `${name}-${hex(7)}`));
      return { id: topicArn, state: { ...inputs, arn: topicArn } };
    }
    case "aws:sns/topicSubscription:TopicSubscription": {
      const subscriptionArn = `${str("topic", arn("sns", name))}:${uuid(type, name)}`;
      return { id: subscriptionArn, state: { ...inputs, arn: subscriptionArn } };
    }
    case "aws:cloudwatch/metricAlarm:MetricAlarm": {
      const alarmName = str("name", `${name}-${hex(7)}`);
      return {
        id: alarmName,
        state: { ...inputs, name: alarmName, arn: arn("cloudwatch", `alarm:${alarmName}`) },
      };
    }
    case "aws:cloudwatch/logGroup:LogGroup": {
      const logGroup = str("name", `${name}-${hex(7)}`);
      return {
        id: logGroup,
        state: { ...inputs, name: logGroup, arn: arn("logs", `log-group:${logGroup}`) },
      };
    }
    case "aws:route53/healthCheck:HealthCheck": {
      const id = uuid(type, name);
      return { id, state: { ...inputs, arn: `arn:aws:route53:::healthcheck/${id}` } };
    }
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
      const host = str("url", "https://token.actions.githubusercontent.com").replace(
        /^https:\/\//,
        "",
      );
      const providerArn = arn("iam", `oidc-provider/${host}`, false);
      return { id: providerArn, state: { ...inputs, arn: providerArn } };
    }
    case "aws:iam/role:Role": {
      const roleName = str("name", `${name}-${hex(7)}`);
      return {
        id: roleName,
        state: {
          ...inputs,
          name: roleName,
          arn: arn("iam", `role/${roleName}`, false),
          uniqueId: `AROA${hex(17).toUpperCase()}`,
        },
      };
    }
    case "aws:iam/policy:Policy": {
      const policyName = str("name", `${name}-${hex(7)}`);
      const policyArn = arn("iam", `policy/${policyName}`, false);
      return { id: policyArn, state: { ...inputs, name: policyName, arn: policyArn } };
    }
    case "random:index/randomPassword:RandomPassword": {
      const length = typeof inputs["length"] === "number" ? inputs["length"] : 32;
      const result = stableHex(64, ...salted(["password", name])).slice(0, length);
      return { id: "none", state: { ...inputs, result, bcryptHash: `$2a$10$${hex(53)}` } };
    }
    case "random:index/randomId:RandomId": {
      const byteLength = typeof inputs["byteLength"] === "number" ? inputs["byteLength"] : 8;
      const bytes = Buffer.from(stableHex(byteLength * 2, ...salted(["id", name])), "hex");
      const b64Url = bytes.toString("base64url");
      return {
        id: b64Url,
        state: {
          ...inputs,
          hex: bytes.toString("hex"),
          dec: BigInt(`0x${bytes.toString("hex")}`).toString(),
          b64Std: bytes.toString("base64"),
          b64Url,
        },
      };
    }
    case "github:index/branchProtection:BranchProtection":
      return { id: `BPR_${hex(16)}`, state: inputs };
    case "github:index/repositoryEnvironment:RepositoryEnvironment":
      return { id: `${str("repository", "repo")}:${str("environment", name)}`, state: inputs };
    case "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy":
      return {
        id: `${str("repository", "repo")}:${str("environment", "env")}:${parseInt(hex(7), 16)}`,
        state: inputs,
      };
    case "github:index/actionsSecret:ActionsSecret":
    case "github:index/actionsVariable:ActionsVariable": {
      const key = type.endsWith("Secret") ? str("secretName", name) : str("variableName", name);
      const at = "2026-01-01T00:00:00Z";
      return {
        id: `${str("repository", "repo")}:${key}`,
        state: { ...inputs, createdAt: at, updatedAt: at },
      };
    }
    // The Postgres provider's ids: the role's name; the grant's and default privileges' parts
    // joined by "_", as it writes them.
    case "postgresql:index/role:Role":
      return { id: str("name", name), state: inputs };
    case "postgresql:index/grant:Grant": {
      const objectType = str("objectType", "database");
      const schema = objectType === "database" ? [] : [str("schema", "public")];
      const parts = [str("role", name), str("database", "postgres"), ...schema, objectType];
      return { id: parts.join("_"), state: { ...inputs, withGrantOption: false } };
    }
    case "postgresql:index/defaultPrivileges:DefaultPrivileges": {
      const parts = [
        str("role", name),
        str("database", "postgres"),
        str("schema", "noschema"),
        str("owner", "postgres"),
        str("objectType", "table"),
      ];
      return { id: parts.join("_"), state: { ...inputs, withGrantOption: false } };
    }
    case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
      return { id: `${str("role", name)}-${hex(26)}`, state: inputs };
    default:
      return {
        id: `${name}-${hex(8)}`,
        state: {
          ...inputs,
          ...(type.startsWith("aws:") ? { arn: arn(type.split(/[:/]/)[1] ?? "aws", name) } : {}),
        },
      };
  }
}

/** A planned value as the engine would hand it over: secrets as secrets, unknowns unknown. */
function engineValue(value: unknown): unknown {
  if (value instanceof Secret) return pulumi.secret(engineValue(value.value));
  if (value === UNKNOWN) return pulumi.runtime.unknownValue;
  if (Array.isArray(value)) return value.map(engineValue);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, engineValue(v)]));
  }
  return value;
}

function mockHeroku(
  kind: string,
  name: string,
  inputs: State,
  salted: (parts: string[]) => string[],
): { id: string; state: State } {
  const id = stableUuid(...salted(["heroku", kind, name]));
  switch (kind) {
    case "App": {
      const appName = typeof inputs["name"] === "string" ? inputs["name"] : name;
      return {
        id,
        state: {
          ...inputs,
          appId: id,
          webUrl: `https://${appName}-${stableHex(12, ...salted(["web", appName]))}.herokuapp.com/`,
          gitUrl: `https://git.heroku.com/${appName}.git`,
        },
      };
    }
    case "ConfigVars":
    case "Formation":
      // Both are named by their app, as the providers do.
      return { id: text(inputs["app"], id), state: inputs };
    case "Addon": {
      const plan = text(inputs["plan"], "addon");
      const service = plan.split(":")[0] ?? plan;
      const made = `${service.replace(/^heroku-/, "")}-${parseInt(stableHex(5, ...salted([name])), 16) % 100000}`;
      return {
        id,
        state: {
          ...inputs,
          addonId: id,
          name: text(inputs["name"], made),
          configVarNames: ADDON_CONFIG_VARS[service] ?? [],
        },
      };
    }
    case "Pipeline": {
      const team = typeof inputs["team"] === "string" ? inputs["team"] : undefined;
      return {
        id,
        state: {
          ...inputs,
          pipelineId: id,
          ownerId: stableUuid(...salted(["heroku", "owner", team ?? "user"])),
          ownerType: team === undefined ? "user" : "team",
        },
      };
    }
    case "ReviewAppConfig":
      return { id: text(inputs["pipeline"], id), state: inputs };
    case "AppWebhook":
      return {
        id,
        state: { ...inputs, secret: stableHex(64, ...salted(["webhook-secret", name])) },
      };
    case "LogDrain":
      return {
        id,
        state: { ...inputs, token: `d.${stableUuid(...salted(["heroku", "drain-token", name]))}` },
      };
    default:
      return { id, state: inputs };
  }
}

/** The config vars Heroku add-ons set on their app, per service. */
const ADDON_CONFIG_VARS: Readonly<Record<string, string[]>> = {
  "heroku-postgresql": ["DATABASE_URL"],
  "heroku-redis": ["REDIS_URL"],
  papertrail: ["PAPERTRAIL_API_TOKEN"],
};

function text(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

export function mockCall(
  args: pulumi.runtime.MockCallArgs,
  context: MockContext,
): Record<string, unknown> {
  const region = context.awsRegion;
  switch (args.token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/slipway`,
        userId: "AIDASLIPWAYPLAN",
        id: MOCK_ACCOUNT_ID,
      };
    case "aws:index/getRegion:getRegion":
      return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com` };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:ec2/getVpc:getVpc":
      return {
        id: `vpc-${stableHex(17, "vpc", region)}`,
        cidrBlock: "172.31.0.0/16",
        default: true,
      };
    case "aws:ec2/getSubnets:getSubnets":
      return {
        id: region,
        ids: ["a", "b", "c"].map((zone) => `subnet-${stableHex(17, "subnet", region, zone)}`),
      };
    case "github:index/getUser:getUser": {
      const username = (args.inputs as State)["username"];
      const login = typeof username === "string" ? username : "user";
      const numericId = parseInt(stableHex(7, "github-user", login), 16);
      return { id: String(numericId), login, nodeId: `U_${stableHex(12, login)}` };
    }
    default:
      throw new Error(
        `slipway plan has no mock for the function ${args.token}; add one in cli/plan/mocks.ts`,
      );
  }
}
