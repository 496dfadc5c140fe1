// IAM documents for keyless deploys from GitHub Actions, as pure functions: who may assume the
// roles (trust) and what the roles may do (permissions). Pure so tests and the policy pack can
// read them without the Pulumi runtime.

/** GitHub's OIDC issuer for Actions; the IAM condition keys are named after its host. */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials asks GitHub to put in the token. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** The GitHub environments the deploy role serves, in the order a release reaches them. */
export const DEPLOY_ENVIRONMENTS = ["staging", "production"] as const;
export type DeployEnvironment = (typeof DEPLOY_ENVIRONMENTS)[number];

/** Where the stacks' resources live: the partition, account and regions permissions cover. */
export interface AwsScope {
  readonly partition: string;
  readonly accountId: string;
  /** The stacks' region, plus us-east-1 where Route 53 health check alarms must live. */
  readonly regions: readonly string[];
}

interface Statement {
  Sid: string;
  Effect: "Allow";
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

/** The `sub` claim GitHub issues to a job that runs in `environment` of `owner/repository`. */
export function environmentSubject(owner: string, repository: string, environment: string): string {
  return `repo:${owner}/${repository}:environment:${environment}`;
}

/** The `sub` claim GitHub issues to a job run by a `pull_request` event of `owner/repository`. */
export function pullRequestSubject(owner: string, repository: string): string {
  return `repo:${owner}/${repository}:pull_request`;
}

/**
 * Trust for a role assumed through GitHub's OIDC provider: the token must be meant for STS and
 * its subject must be one of `subjects` exactly. StringEquals, not StringLike: a wildcard would
 * admit branches and environments nobody reviewed.
 */
export function githubTrustPolicy(
  providerArn: string,
  subjects: readonly string[],
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GithubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: [...subjects],
          },
        },
      },
    ],
  };
}

/**
 * Reads a plan or preview needs: describing the VPC, subnets, databases and snapshots, alarms
 * and metrics, topics, log groups and health checks, and the deploy roles themselves. No data
 * plane reads (no S3 objects, no secrets).
 */
export function readPolicy(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
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
    ],
  };
}

/**
 * What `pulumi up` of the staging and production stacks changes, and what promote needs (an RDS
 * snapshot before the release), scoped to the stacks' account and regions. IAM is left out on
 * purpose: the role cannot change its own trust or permissions, so widening them takes an
 * administrator (docs/github.md, "Bootstrap").
 */
export function deployPolicy(scope: AwsScope): PolicyDocument {
  const { partition, accountId } = scope;
  const regions = [...new Set(scope.regions)];
  const regional = (service: string, resource: string) =>
    regions.map((region) => `arn:${partition}:${service}:${region}:${accountId}:${resource}`);
  // Keys are touched only when they carry the tag every slipway AWS resource has.
  const taggedBySlipway = "slipway:environment";
  return {
    Version: "2012-10-17",
    Statement: [
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
        Sid: "DatabaseFirewall",
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
          "ec2:CreateTags",
          "ec2:DeleteTags",
        ],
        Resource: [
          ...regional("ec2", "security-group/*"),
          ...regional("ec2", "security-group-rule/*"),
          ...regional("ec2", "vpc/*"),
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
        Condition: { Null: { [`aws:RequestTag/${taggedBySlipway}`]: "false" } },
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
        Condition: { Null: { [`aws:ResourceTag/${taggedBySlipway}`]: "false" } },
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
    ],
  };
}
