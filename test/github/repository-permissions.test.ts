// What each role may do, as data: the exact actions of every role, pinned, and the scoping that
// keeps a staging deploy away from production's database.
import {
  AwsScope,
  declaredRoles,
  deployStatements,
  infrastructureStatements,
  parseStateBackend,
  readStatements,
  rolePolicy,
  stateStatements,
} from "../../components/repository-permissions";
import { PolicyDocument, RoleName, ROLES } from "../../components/repository-iam";

const scope: AwsScope = {
  partition: "aws",
  accountId: "123456789012",
  regions: ["eu-west-1", "us-east-1"],
};
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const state = parseStateBackend("s3://acme-state/slipway?region=eu-west-1", "slipway", KEY);

const actionsOf = (policy: PolicyDocument) =>
  [...new Set(policy.Statement.flatMap((s) => [s.Action].flat()))].sort();

const READ = [
  "cloudwatch:DescribeAlarmHistory",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:GetMetricData",
  "cloudwatch:GetMetricStatistics",
  "cloudwatch:ListMetrics",
  "cloudwatch:ListTagsForResource",
  "ec2:DescribeAccountAttributes",
  "ec2:DescribeAvailabilityZones",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeRouteTables",
  "ec2:DescribeSecurityGroupRules",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSubnets",
  "ec2:DescribeVpcPeeringConnections",
  "ec2:DescribeVpcs",
  "iam:GetOpenIDConnectProvider",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:GetRole",
  "iam:ListAttachedRolePolicies",
  "iam:ListPolicyVersions",
  "iam:ListRolePolicies",
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListResourceTags",
  "logs:DescribeLogGroups",
  "logs:ListTagsForResource",
  "logs:ListTagsLogGroup",
  "rds:Describe*",
  "rds:ListTagsForResource",
  "route53:GetHealthCheck",
  "route53:GetHealthCheckStatus",
  "route53:ListHealthChecks",
  "route53:ListTagsForResource",
  "sns:GetSubscriptionAttributes",
  "sns:GetTopicAttributes",
  "sns:ListSubscriptionsByTopic",
  "sns:ListTagsForResource",
  "sns:ListTopics",
];

const INFRASTRUCTURE = [
  "cloudwatch:DeleteAlarms",
  "cloudwatch:PutMetricAlarm",
  "cloudwatch:TagResource",
  "cloudwatch:UntagResource",
  "ec2:AuthorizeSecurityGroupEgress",
  "ec2:AuthorizeSecurityGroupIngress",
  "ec2:CreateRoute",
  "ec2:CreateSecurityGroup",
  "ec2:CreateTags",
  "ec2:CreateVpcPeeringConnection",
  "ec2:DeleteRoute",
  "ec2:DeleteSecurityGroup",
  "ec2:DeleteTags",
  "ec2:DeleteVpcPeeringConnection",
  "ec2:ModifySecurityGroupRules",
  "ec2:ModifyVpcPeeringConnectionOptions",
  "ec2:ReplaceRoute",
  "ec2:RevokeSecurityGroupEgress",
  "ec2:RevokeSecurityGroupIngress",
  "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
  "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
  "iam:CreateServiceLinkedRole",
  "kms:CancelKeyDeletion",
  "kms:CreateKey",
  "kms:EnableKeyRotation",
  "kms:PutKeyPolicy",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateKeyDescription",
  "logs:CreateLogGroup",
  "logs:DeleteLogGroup",
  "logs:DeleteRetentionPolicy",
  "logs:PutRetentionPolicy",
  "logs:TagLogGroup",
  "logs:TagResource",
  "logs:UntagLogGroup",
  "logs:UntagResource",
  "rds:AddTagsToResource",
  "rds:CreateDBInstance",
  "rds:CreateDBParameterGroup",
  "rds:CreateDBSnapshot",
  "rds:CreateDBSubnetGroup",
  "rds:DeleteDBInstance",
  "rds:DeleteDBParameterGroup",
  "rds:DeleteDBSubnetGroup",
  "rds:ModifyDBInstance",
  "rds:ModifyDBParameterGroup",
  "rds:ModifyDBSubnetGroup",
  "rds:RebootDBInstance",
  "rds:RemoveTagsFromResource",
  "route53:ChangeTagsForResource",
  "route53:CreateHealthCheck",
  "route53:DeleteHealthCheck",
  "route53:UpdateHealthCheck",
  "sns:CreateTopic",
  "sns:DeleteTopic",
  "sns:SetSubscriptionAttributes",
  "sns:SetTopicAttributes",
  "sns:Subscribe",
  "sns:TagResource",
  "sns:Unsubscribe",
  "sns:UntagResource",
];

const DEPLOY = [
  "cloudwatch:DescribeAlarms",
  "rds:AddTagsToResource",
  "rds:CreateDBSnapshot",
  "rds:DeleteDBSnapshot",
  "rds:DescribeDBInstances",
  "rds:DescribeDBSnapshots",
  "rds:ListTagsForResource",
];

describe("the exact actions of every role", () => {
  test.each<[RoleName, string[], string[]]>([
    [
      "preview",
      READ,
      [...READ, "kms:Decrypt", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"],
    ],
    [
      "infrastructure",
      [...READ, ...INFRASTRUCTURE],
      [
        ...READ,
        ...INFRASTRUCTURE,
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
      ],
    ],
    ["deploy-staging", DEPLOY, DEPLOY],
    ["deploy-production", DEPLOY, DEPLOY],
    [
      "review",
      [],
      [
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
      ],
    ],
  ])("%s: with Pulumi Cloud, and with state in S3", (role, cloud, s3) => {
    expect(actionsOf(rolePolicy(role, scope))).toEqual([...new Set(cloud)].sort());
    expect(actionsOf(rolePolicy(role, scope, state))).toEqual([...new Set(s3)].sort());
  });

  test("no deploy role can modify or delete a database instance", () => {
    for (const role of ["deploy-staging", "deploy-production"] as const) {
      const actions = actionsOf(rolePolicy(role, scope, state));
      expect(actions).not.toContain("rds:ModifyDBInstance");
      expect(actions).not.toContain("rds:DeleteDBInstance");
      expect(actions.filter((a) => a.includes("*"))).toEqual([]);
    }
  });

  test("the review role exists only when state is in S3: it has nothing else to do", () => {
    expect(declaredRoles(undefined)).toEqual(ROLES.filter((r) => r !== "review"));
    expect(declaredRoles(state)).toEqual([...ROLES]);
  });

  test("only the infrastructure role creates anything but snapshots, and none touches IAM", () => {
    for (const role of ROLES) {
      const iam = actionsOf(rolePolicy(role, scope, state)).filter(
        (a) => a.startsWith("iam:") && !/^iam:(Get|List)/.test(a),
      );
      expect(iam).toEqual(role === "infrastructure" ? ["iam:CreateServiceLinkedRole"] : []);
    }
  });
});

describe("deploy roles: one environment's database and snapshots, by tag and name", () => {
  test("the whole staging document", () => {
    expect(deployStatements("staging", scope)).toEqual([
      {
        Sid: "Database",
        Effect: "Allow",
        Action: [
          "rds:DescribeDBInstances",
          "rds:DescribeDBSnapshots",
          "rds:ListTagsForResource",
          "rds:CreateDBSnapshot",
        ],
        Resource: [
          "arn:aws:rds:eu-west-1:123456789012:db:*",
          "arn:aws:rds:us-east-1:123456789012:db:*",
        ],
        Condition: { StringEquals: { "aws:ResourceTag/slipway:environment": "staging" } },
      },
      {
        Sid: "CreateSnapshots",
        Effect: "Allow",
        Action: "rds:CreateDBSnapshot",
        Resource: [
          "arn:aws:rds:eu-west-1:123456789012:snapshot:slipway-*",
          "arn:aws:rds:us-east-1:123456789012:snapshot:slipway-*",
        ],
      },
      {
        Sid: "TagNewSnapshots",
        Effect: "Allow",
        Action: "rds:AddTagsToResource",
        Resource: [
          "arn:aws:rds:eu-west-1:123456789012:snapshot:slipway-*",
          "arn:aws:rds:us-east-1:123456789012:snapshot:slipway-*",
        ],
        Condition: {
          StringEqualsIfExists: {
            "aws:ResourceTag/slipway:environment": "staging",
            "aws:RequestTag/slipway:environment": "staging",
          },
        },
      },
      {
        Sid: "KeepSnapshots",
        Effect: "Allow",
        Action: ["rds:DescribeDBSnapshots", "rds:ListTagsForResource", "rds:DeleteDBSnapshot"],
        Resource: [
          "arn:aws:rds:eu-west-1:123456789012:snapshot:slipway-*",
          "arn:aws:rds:us-east-1:123456789012:snapshot:slipway-*",
        ],
        Condition: { StringEquals: { "aws:ResourceTag/slipway:environment": "staging" } },
      },
      {
        Sid: "ReadAlarms",
        Effect: "Allow",
        Action: "cloudwatch:DescribeAlarms",
        Resource: [
          "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*",
          "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*",
        ],
      },
    ]);
  });

  test("production's differs only in the tag value", () => {
    const swap = (text: string) => text.replace(/"staging"/g, '"production"');
    expect(JSON.stringify(deployStatements("production", scope))).toBe(
      swap(JSON.stringify(deployStatements("staging", scope))),
    );
  });

  test("every statement that can change something is scoped by tag or to slipway's snapshot names", () => {
    for (const statement of deployStatements("production", scope)) {
      const resources = [statement.Resource].flat() as string[];
      expect(resources.every((r) => r !== "*")).toBe(true);
      const tagged = JSON.stringify(statement.Condition ?? {}).includes("slipway:environment");
      const snapshotsOnly = resources.every((r) => r.endsWith(":snapshot:slipway-*"));
      const readOnly = [statement.Action].flat().every((a) => /:(Describe|List)/.test(a));
      expect(tagged || snapshotsOnly || readOnly).toBe(true);
    }
  });
});

describe("infrastructure", () => {
  const bySid = Object.fromEntries(infrastructureStatements(scope).map((s) => [s.Sid, s]));

  test("scopes regional resources to the account and the regions given, once each", () => {
    expect(bySid["Database"]?.Resource).toEqual([
      "arn:aws:rds:eu-west-1:123456789012:*",
      "arn:aws:rds:us-east-1:123456789012:*",
    ]);
    const single = infrastructureStatements({ ...scope, regions: ["us-east-1", "us-east-1"] });
    expect(single.find((s) => s.Sid === "Alarms")?.Resource).toEqual([
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*",
    ]);
  });

  test("uses the partition it is given", () => {
    const gov = infrastructureStatements({
      ...scope,
      partition: "aws-us-gov",
      regions: ["us-gov-west-1"],
    });
    expect(gov.find((s) => s.Sid === "Notifications")?.Resource).toEqual([
      "arn:aws-us-gov:sns:us-gov-west-1:123456789012:*",
    ]);
  });

  test("creates RDS's service-linked role and nothing else in IAM", () => {
    expect(bySid["RdsServiceLinkedRole"]).toEqual({
      Sid: "RdsServiceLinkedRole",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: "arn:aws:iam::123456789012:role/aws-service-role/rds.amazonaws.com/*",
      Condition: { StringEquals: { "iam:AWSServiceName": "rds.amazonaws.com" } },
    });
  });

  test("touches KMS keys only when they carry slipway's tag; Resource * only where AWS has no ARN", () => {
    expect(bySid["AlarmTopicKeysCreate"]?.Condition).toEqual({
      Null: { "aws:RequestTag/slipway:environment": "false" },
    });
    expect(bySid["AlarmTopicKeysManage"]?.Condition).toEqual({
      Null: { "aws:ResourceTag/slipway:environment": "false" },
    });
    const unscoped = infrastructureStatements(scope)
      .filter((s) => s.Resource === "*")
      .map((s) => s.Sid);
    expect(unscoped).toEqual(["AlarmTopicKeysCreate", "HealthChecks"]);
  });

  test("reads only describe, get and list", () => {
    const [statement, ...rest] = readStatements();
    expect(rest).toEqual([]);
    expect(statement?.Resource).toBe("*");
    for (const action of statement?.Action as string[]) {
      expect(action).toMatch(/^[a-z0-9]+:(Describe|Get|List)[A-Za-z*]*$/);
    }
  });
});

describe("state in S3", () => {
  test.each([
    ["s3://acme-state", { bucket: "acme-state", prefix: "" }],
    ["s3://acme-state/", { bucket: "acme-state", prefix: "" }],
    ["s3://acme-state/slipway", { bucket: "acme-state", prefix: "slipway/" }],
    [
      "s3://acme-state/teams/web/?region=eu-west-1&awssdk=v2",
      { bucket: "acme-state", prefix: "teams/web/" },
    ],
  ])("parseStateBackend(%s)", (url, expected) => {
    expect(parseStateBackend(url, "slipway")).toEqual({ ...expected, project: "slipway" });
  });

  test("refuses what is not an s3:// URL: config validation lets none through", () => {
    expect(() => parseStateBackend("https://api.pulumi.com", "slipway")).toThrow(
      "not an s3:// backend URL: https://api.pulumi.com",
    );
  });

  test("the review role writes review stacks, reads every checkpoint, and locks its own", () => {
    expect(stateStatements(state, "aws", { writes: ["review-*"], locks: [] })).toEqual([
      {
        Sid: "StateList",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: "arn:aws:s3:::acme-state",
        Condition: { StringLike: { "s3:prefix": ["slipway/.pulumi", "slipway/.pulumi/*"] } },
      },
      {
        Sid: "StateRead",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: [
          "arn:aws:s3:::acme-state/slipway/.pulumi/meta.yaml",
          "arn:aws:s3:::acme-state/slipway/.pulumi/stacks/slipway/*",
        ],
      },
      {
        Sid: "StateWrite",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: [
          "arn:aws:s3:::acme-state/slipway/.pulumi/stacks/slipway/review-*.*",
          "arn:aws:s3:::acme-state/slipway/.pulumi/history/slipway/review-*/*",
          "arn:aws:s3:::acme-state/slipway/.pulumi/backups/slipway/review-*/*",
          "arn:aws:s3:::acme-state/slipway/.pulumi/journal/slipway/review-*/*",
        ],
      },
      {
        Sid: "StateLocks",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: ["arn:aws:s3:::acme-state/slipway/.pulumi/locks/organization/slipway/review-*/*"],
      },
      {
        Sid: "StateKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        Resource: KEY,
      },
    ]);
  });

  test("a preview locks production and staging and writes nothing; decrypts only", () => {
    const preview = rolePolicy("preview", scope, state).Statement;
    expect(preview.map((s) => s.Sid)).toEqual([
      "DescribeDeployedResources",
      "StateList",
      "StateRead",
      "StateLocks",
      "StateKey",
    ]);
    expect(preview.find((s) => s.Sid === "StateLocks")?.Resource).toEqual([
      "arn:aws:s3:::acme-state/slipway/.pulumi/locks/organization/slipway/production/*",
      "arn:aws:s3:::acme-state/slipway/.pulumi/locks/organization/slipway/staging/*",
    ]);
    expect(preview.find((s) => s.Sid === "StateKey")?.Action).toEqual(["kms:Decrypt"]);
  });

  test("without a key, no KMS grant; at the bucket's root, no prefix", () => {
    const root = parseStateBackend("s3://acme-state", "slipway");
    const statements = stateStatements(root, "aws", { writes: ["production"], locks: [] });
    expect(statements.map((s) => s.Sid)).toEqual([
      "StateList",
      "StateRead",
      "StateWrite",
      "StateLocks",
    ]);
    expect(statements[0]?.Condition).toEqual({
      StringLike: { "s3:prefix": [".pulumi", ".pulumi/*"] },
    });
  });
});
