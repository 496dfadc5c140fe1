// What each role may do, as pure functions returning IAM policy documents: exactly its job,
// scoped to the stacks' account and regions, to ARNs, or to the `slipway:environment` tag every
// slipway AWS resource carries (aws-common.ts). Pure so tests pin every action of every role.
import { AwsStackKind } from "./aws-common";
import { PolicyDocument, RoleName, ROLES, Statement } from "./repository-iam";

/** Where the stacks' resources live: the partition, account and regions permissions cover. */
export interface AwsScope {
  readonly partition: string;
  readonly accountId: string;
  /** The stacks' region, plus us-east-1 where Route 53 health check alarms must live. */
  readonly regions: readonly string[];
}

/** A self-managed backend in S3 (`slipway:github.stateBackendUrl`), as IAM sees it. */
export interface StateBackend {
  readonly bucket: string;
  /** The key prefix the backend's `.pulumi/` folder sits under: `""` or `slipway/`. */
  readonly prefix: string;
  /** The Pulumi project, the folder its stacks' files sit in. */
  readonly project: string;
  /** The key of an awskms:// secrets provider or of the bucket's encryption. */
  readonly kmsKeyArn?: string;
}

/** The tag every slipway AWS resource carries, with the stack kind as its value. */
export const ENVIRONMENT_TAG = "slipway:environment";

/** The snapshots promote creates and may delete: `slipway-<app>-v<release>-<timestamp>`. */
export const SNAPSHOT_PREFIX = "slipway-";

/** Lock files live under the stack's fully qualified name; diy backends' organization is fixed. */
const DIY_ORGANIZATION = "organization";

/** `s3://acme-state/slipway?region=us-east-1` as bucket and prefix (`slipway/`). */
export function parseStateBackend(url: string, project: string, kmsKeyArn?: string): StateBackend {
  const match = /^s3:\/\/([^/?#]+)\/?([^?#]*)/.exec(url);
  if (!match?.[1]) throw new Error(`not an s3:// backend URL: ${url}`);
  // Stryker disable next-line StringLiteral: equivalent, the second group always takes part in a match ("" at least)
  const path = (match[2] ?? "").replace(/^\/+|\/+$/g, "");
  return {
    bucket: match[1],
    prefix: path === "" ? "" : `${path}/`,
    project,
    ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
  };
}

/**
 * Reads a preview (and a plan's refresh) needs: describing the VPC and network, databases and
 * snapshots, alarms and metrics, topics, log groups, health checks, keys and the roles
 * themselves. No data plane reads (no S3 objects but the state, no secrets).
 */
export function readStatements(): Statement[] {
  return [
    {
      Sid: "DescribeDeployedResources",
      Effect: "Allow",
      Action: [
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSecurityGroupRules",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeAccountAttributes",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeRouteTables",
        "ec2:DescribeVpcPeeringConnections",
        "rds:Describe*",
        "rds:ListTagsForResource",
        "cloudwatch:DescribeAlarms",
        "cloudwatch:DescribeAlarmHistory",
        "cloudwatch:GetMetricData",
        "cloudwatch:GetMetricStatistics",
        "cloudwatch:ListMetrics",
        "cloudwatch:ListTagsForResource",
        "sns:GetTopicAttributes",
        "sns:GetSubscriptionAttributes",
        "sns:ListTopics",
        "sns:ListSubscriptionsByTopic",
        "sns:ListTagsForResource",
        "logs:DescribeLogGroups",
        "logs:ListTagsForResource",
        "logs:ListTagsLogGroup",
        "route53:GetHealthCheck",
        "route53:GetHealthCheckStatus",
        "route53:ListHealthChecks",
        "route53:ListTagsForResource",
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "kms:GetKeyRotationStatus",
        "kms:ListResourceTags",
        "iam:GetOpenIDConnectProvider",
        "iam:GetRole",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListPolicyVersions",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
      ],
      Resource: "*",
    },
  ];
}

/**
 * What `pulumi up` of the production and staging stacks changes, scoped to the stacks' account
 * and regions. IAM is left out on purpose: this role cannot change its own trust or permissions,
 * nor any other role's, so widening them takes an administrator (docs/bootstrap.md).
 */
export function infrastructureStatements(scope: AwsScope): Statement[] {
  const { partition, accountId } = scope;
  const regional = regionalArns(scope);
  return [
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
      Resource: regional("rds", "*"),
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
        // A Private Space peered with the database's VPC (slipway:database.network).
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
        ...regional("ec2", "security-group/*"),
        ...regional("ec2", "security-group-rule/*"),
        ...regional("ec2", "vpc/*"),
        ...regional("ec2", "vpc-peering-connection/*"),
        ...regional("ec2", "route-table/*"),
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
      Resource: regional("cloudwatch", "alarm:*"),
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
      Resource: regional("logs", "log-group:*"),
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
      Resource: regional("sns", "*"),
    },
    {
      // The alarm topics' own keys (CloudWatch cannot publish to the AWS-managed SNS key).
      Sid: "AlarmTopicKeysCreate",
      Effect: "Allow",
      Action: ["kms:CreateKey", "kms:TagResource"],
      Resource: "*",
      Condition: { Null: { [`aws:RequestTag/${ENVIRONMENT_TAG}`]: "false" } },
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
      Resource: regional("kms", "key/*"),
      Condition: { Null: { [`aws:ResourceTag/${ENVIRONMENT_TAG}`]: "false" } },
    },
    {
      // Route 53 health checks are global and have no ARN to scope creation to.
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
      // The first RDS instance in an account creates RDS's service-linked role.
      Sid: "RdsServiceLinkedRole",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: `arn:${partition}:iam::${accountId}:role/aws-service-role/rds.amazonaws.com/*`,
      Condition: { StringEquals: { "iam:AWSServiceName": "rds.amazonaws.com" } },
    },
  ];
}

/**
 * What `slipway deploy` and `slipway promote` need of one environment's database, and nothing
 * else: describe it, snapshot it, keep its `slipway-*` snapshots (create with tags, list,
 * delete the old ones), read the alarms. The database is the one tagged with the environment
 * (the production stack, which owns these roles, cannot know staging's identifier without a
 * StackReference back to staging, a cycle); snapshots copy their instance's tags
 * (`copyTagsToSnapshot`), so they carry the environment too. No ModifyDBInstance, no
 * DeleteDBInstance, nothing on another environment's database or snapshots.
 */
export function deployStatements(environment: AwsStackKind, scope: AwsScope): Statement[] {
  const regional = regionalArns(scope);
  const tagged = { StringEquals: { [`aws:ResourceTag/${ENVIRONMENT_TAG}`]: environment } };
  const snapshots = regional("rds", `snapshot:${SNAPSHOT_PREFIX}*`);
  return [
    {
      Sid: "Database",
      Effect: "Allow",
      Action: [
        "rds:DescribeDBInstances",
        "rds:DescribeDBSnapshots",
        "rds:ListTagsForResource",
        "rds:CreateDBSnapshot",
      ],
      Resource: regional("rds", "db:*"),
      Condition: tagged,
    },
    {
      // The snapshot side of CreateDBSnapshot: its name is the only thing known before it exists.
      Sid: "CreateSnapshots",
      Effect: "Allow",
      Action: "rds:CreateDBSnapshot",
      Resource: snapshots,
    },
    {
      // Tags given at create; never a retag of a snapshot that already belongs elsewhere.
      Sid: "TagNewSnapshots",
      Effect: "Allow",
      Action: "rds:AddTagsToResource",
      Resource: snapshots,
      Condition: {
        StringEqualsIfExists: {
          [`aws:ResourceTag/${ENVIRONMENT_TAG}`]: environment,
          [`aws:RequestTag/${ENVIRONMENT_TAG}`]: environment,
        },
      },
    },
    {
      Sid: "KeepSnapshots",
      Effect: "Allow",
      Action: ["rds:DescribeDBSnapshots", "rds:ListTagsForResource", "rds:DeleteDBSnapshot"],
      Resource: snapshots,
      Condition: tagged,
    },
    {
      // Alarm states only, to refuse a promotion while the source alarms.
      Sid: "ReadAlarms",
      Effect: "Allow",
      Action: "cloudwatch:DescribeAlarms",
      Resource: regional("cloudwatch", "alarm:*"),
    },
  ];
}

/**
 * The state of `writes` (create, update, delete, lock) and `locks` (lock only, for previews),
 * and reading every checkpoint of the project: `pulumi stack ls` reads them all, and review
 * stacks read production's through a StackReference. Outputs are readable that way; secrets
 * stay encrypted with their own stack's key or passphrase.
 */
export function stateStatements(
  state: StateBackend,
  partition: string,
  access: { readonly writes: readonly string[]; readonly locks: readonly string[] },
): Statement[] {
  const bucket = `arn:${partition}:s3:::${state.bucket}`;
  const root = `${state.prefix}.pulumi`;
  const project = state.project;
  const statements: Statement[] = [
    {
      Sid: "StateList",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucket,
      Condition: { StringLike: { "s3:prefix": [root, `${root}/*`] } },
    },
    {
      Sid: "StateRead",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: [`${bucket}/${root}/meta.yaml`, `${bucket}/${root}/stacks/${project}/*`],
    },
  ];
  if (access.writes.length > 0) {
    statements.push({
      Sid: "StateWrite",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: access.writes.flatMap((stack) => [
        `${bucket}/${root}/stacks/${project}/${stack}.*`,
        ...["history", "backups", "journal"].map(
          (folder) => `${bucket}/${root}/${folder}/${project}/${stack}/*`,
        ),
      ]),
    });
  }
  const locked = [...new Set([...access.writes, ...access.locks])];
  statements.push({
    Sid: "StateLocks",
    Effect: "Allow",
    Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
    Resource: locked.map(
      (stack) => `${bucket}/${root}/locks/${DIY_ORGANIZATION}/${project}/${stack}/*`,
    ),
  });
  if (state.kmsKeyArn !== undefined) {
    statements.push({
      Sid: "StateKey",
      Effect: "Allow",
      Action:
        access.writes.length > 0
          ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
          : ["kms:Decrypt"],
      Resource: state.kmsKeyArn,
    });
  }
  return statements;
}

/** The stacks whose state each role writes, and those it only locks (a preview). */
const STATE_ACCESS: Readonly<Record<RoleName, { writes: string[]; locks: string[] }>> = {
  preview: { writes: [], locks: ["production", "staging"] },
  infrastructure: { writes: ["production", "staging"], locks: [] },
  "deploy-staging": { writes: [], locks: [] },
  "deploy-production": { writes: [], locks: [] },
  review: { writes: ["review-*"], locks: [] },
};

/**
 * The roles worth declaring: all but `review` when state is in Pulumi Cloud, where the review
 * jobs reach it with their token alone and the role would have nothing to do.
 */
export function declaredRoles(state: StateBackend | undefined): RoleName[] {
  return ROLES.filter((role) => role !== "review" || state !== undefined);
}

/** The one permissions document of a role. */
export function rolePolicy(role: RoleName, scope: AwsScope, state?: StateBackend): PolicyDocument {
  const access = STATE_ACCESS[role];
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, the roles without state access (the deploy roles) never use stateAccess
  const usesState = state !== undefined && access.writes.length + access.locks.length > 0;
  const stateAccess = usesState ? stateStatements(state, scope.partition, access) : [];
  const chosen = ((): Statement[] => {
    switch (role) {
      case "preview":
        return [...readStatements(), ...stateAccess];
      case "infrastructure":
        return [...readStatements(), ...infrastructureStatements(scope), ...stateAccess];
      case "deploy-staging":
        return deployStatements("staging", scope);
      case "deploy-production":
        return deployStatements("production", scope);
      case "review":
        return stateAccess;
    }
  })();
  return { Version: "2012-10-17", Statement: chosen };
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` for each region, once each. */
function regionalArns(scope: AwsScope): (service: string, resource: string) => string[] {
  const regions = [...new Set(scope.regions)];
  return (service, resource) =>
    regions.map(
      (region) => `arn:${scope.partition}:${service}:${region}:${scope.accountId}:${resource}`,
    );
}
