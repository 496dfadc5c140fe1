// The infrastructure role's whole document, statement by statement (Sid, effect, actions,
// resources, conditions), the read statement's frame, the state backend URL at its edges, and
// which roles get state statements. repository-permissions.test.ts pins the action sets and the
// deploy and state documents.
import {
  AwsScope,
  deployStatements,
  infrastructureStatements,
  parseStateBackend,
  readStatements,
  rolePolicy,
} from "../../components/repository-permissions";

const scope: AwsScope = {
  partition: "aws",
  accountId: "123456789012",
  regions: ["eu-west-1", "us-east-1"],
};
/** The resource in both of the scope's regions. */
const inBoth = (service: string, resource: string) => [
  `arn:aws:${service}:eu-west-1:123456789012:${resource}`,
  `arn:aws:${service}:us-east-1:123456789012:${resource}`,
];

test("the infrastructure statements, whole", () => {
  expect(infrastructureStatements(scope)).toEqual([
    {
      Sid: "Database",
      Effect: "Allow",
      Action: [
        "rds:CreateDBInstance",
        "rds:ModifyDBInstance",
        "rds:DeleteDBInstance",
        "rds:RebootDBInstance",
        "rds:CreateDBSnapshot",
        "rds:CreateDBSubnetGroup",
        "rds:ModifyDBSubnetGroup",
        "rds:DeleteDBSubnetGroup",
        "rds:CreateDBParameterGroup",
        "rds:ModifyDBParameterGroup",
        "rds:DeleteDBParameterGroup",
        "rds:AddTagsToResource",
        "rds:RemoveTagsFromResource",
      ],
      Resource: inBoth("rds", "*"),
    },
    {
      Sid: "DatabaseNetwork",
      Effect: "Allow",
      Action: [
        "ec2:CreateSecurityGroup",
        "ec2:DeleteSecurityGroup",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:AuthorizeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:ModifySecurityGroupRules",
        "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
        "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
        "ec2:CreateVpcPeeringConnection",
        "ec2:DeleteVpcPeeringConnection",
        "ec2:ModifyVpcPeeringConnectionOptions",
        "ec2:CreateRoute",
        "ec2:ReplaceRoute",
        "ec2:DeleteRoute",
        "ec2:CreateTags",
        "ec2:DeleteTags",
      ],
      Resource: [
        ...inBoth("ec2", "security-group/*"),
        ...inBoth("ec2", "security-group-rule/*"),
        ...inBoth("ec2", "vpc/*"),
        ...inBoth("ec2", "vpc-peering-connection/*"),
        ...inBoth("ec2", "route-table/*"),
      ],
    },
    {
      Sid: "Alarms",
      Effect: "Allow",
      Action: [
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
      ],
      Resource: inBoth("cloudwatch", "alarm:*"),
    },
    {
      Sid: "DatabaseLogs",
      Effect: "Allow",
      Action: [
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy",
        "logs:DeleteRetentionPolicy",
        "logs:TagResource",
        "logs:UntagResource",
        "logs:TagLogGroup",
        "logs:UntagLogGroup",
      ],
      Resource: inBoth("logs", "log-group:*"),
    },
    {
      Sid: "Notifications",
      Effect: "Allow",
      Action: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:SetTopicAttributes",
        "sns:Subscribe",
        "sns:Unsubscribe",
        "sns:SetSubscriptionAttributes",
        "sns:TagResource",
        "sns:UntagResource",
      ],
      Resource: inBoth("sns", "*"),
    },
    {
      Sid: "AlarmTopicKeysCreate",
      Effect: "Allow",
      Action: ["kms:CreateKey", "kms:TagResource"],
      Resource: "*",
      Condition: { Null: { "aws:RequestTag/slipway:environment": "false" } },
    },
    {
      Sid: "AlarmTopicKeysManage",
      Effect: "Allow",
      Action: [
        "kms:PutKeyPolicy",
        "kms:EnableKeyRotation",
        "kms:UpdateKeyDescription",
        "kms:ScheduleKeyDeletion",
        "kms:CancelKeyDeletion",
        "kms:TagResource",
        "kms:UntagResource",
      ],
      Resource: inBoth("kms", "key/*"),
      Condition: { Null: { "aws:ResourceTag/slipway:environment": "false" } },
    },
    {
      Sid: "HealthChecks",
      Effect: "Allow",
      Action: [
        "route53:CreateHealthCheck",
        "route53:UpdateHealthCheck",
        "route53:DeleteHealthCheck",
        "route53:ChangeTagsForResource",
      ],
      Resource: "*",
    },
    {
      Sid: "RdsServiceLinkedRole",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: "arn:aws:iam::123456789012:role/aws-service-role/rds.amazonaws.com/*",
      Condition: { StringEquals: { "iam:AWSServiceName": "rds.amazonaws.com" } },
    },
  ]);
});

test("the read statement: one, allowed, on every resource", () => {
  expect(readStatements().map((s) => [s.Sid, s.Effect, s.Resource])).toEqual([
    ["DescribeDeployedResources", "Allow", "*"],
  ]);
});

test("each role's document is IAM's 2012-10-17 version, its statements in order", () => {
  const state = parseStateBackend("s3://acme-state", "slipway");
  const sids = (role: Parameters<typeof rolePolicy>[0]) => {
    const policy = rolePolicy(role, scope, state);
    expect(policy.Version).toBe("2012-10-17");
    return policy.Statement.map((s) => s.Sid);
  };
  expect(sids("infrastructure")).toEqual([
    "DescribeDeployedResources",
    "Database",
    "DatabaseNetwork",
    "Alarms",
    "DatabaseLogs",
    "Notifications",
    "AlarmTopicKeysCreate",
    "AlarmTopicKeysManage",
    "HealthChecks",
    "RdsServiceLinkedRole",
    "StateList",
    "StateRead",
    "StateWrite",
    "StateLocks",
  ]);
  // The deploy roles use no state: their jobs run no Pulumi.
  expect(sids("deploy-staging")).toEqual([
    "Database",
    "CreateSnapshots",
    "TagNewSnapshots",
    "KeepSnapshots",
    "ReadAlarms",
  ]);
  expect(sids("review")).toEqual(["StateList", "StateRead", "StateWrite", "StateLocks"]);
  // Each deploy role is its own environment's.
  expect(rolePolicy("deploy-staging", scope, state).Statement).toEqual(
    deployStatements("staging", scope),
  );
  expect(rolePolicy("deploy-production", scope, state).Statement).toEqual(
    deployStatements("production", scope),
  );
});

describe("parseStateBackend at its edges", () => {
  test.each([
    ["s3://acme-state///slipway//", "slipway/"],
    ["s3://acme-state/teams//web#frag", "teams//web/"],
    ["s3://acme-state#frag", ""],
  ])("%s has the prefix %j", (url, prefix) => {
    // Strict: no kmsKeyArn key at all when none is given.
    expect(parseStateBackend(url, "slipway")).toStrictEqual({
      bucket: "acme-state",
      prefix,
      project: "slipway",
    });
  });

  test("a key is kept when given", () => {
    expect(parseStateBackend("s3://acme-state", "slipway", "arn:key")).toEqual({
      bucket: "acme-state",
      prefix: "",
      project: "slipway",
      kmsKeyArn: "arn:key",
    });
  });

  test.each(["s3://", "s3:///slipway", "x s3://acme-state", "S3://acme-state", "s3:/acme-state"])(
    "%s is not an s3:// backend URL",
    (url) => {
      expect(() => parseStateBackend(url, "slipway")).toThrow(`not an s3:// backend URL: ${url}`);
    },
  );
});
