// The IAM documents for keyless deploys, as pure data: trust and least privilege.
import {
  deployPolicy,
  environmentSubject,
  githubTrustPolicy,
  pullRequestSubject,
  readPolicy,
} from "../../components/repository-iam";

const scope = { partition: "aws", accountId: "123456789012", regions: ["eu-west-1", "us-east-1"] };

test.each([
  ["acme", "acme-web", "staging", "repo:acme/acme-web:environment:staging"],
  ["Acme-Corp", "web.app", "production", "repo:Acme-Corp/web.app:environment:production"],
])("environmentSubject(%s, %s, %s) is %s", (owner, repository, environment, subject) => {
  expect(environmentSubject(owner, repository, environment)).toBe(subject);
});

test("pullRequestSubject names the repository's pull_request events", () => {
  expect(pullRequestSubject("acme", "acme-web")).toBe("repo:acme/acme-web:pull_request");
});

test("githubTrustPolicy admits exactly the subjects given, for STS only", () => {
  const arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
  expect(githubTrustPolicy(arn, ["repo:a/b:environment:staging"])).toEqual({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GithubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: arn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": ["repo:a/b:environment:staging"],
          },
        },
      },
    ],
  });
});

test("readPolicy only describes, gets and lists", () => {
  const [statement, ...rest] = readPolicy().Statement;
  expect(rest).toEqual([]);
  expect(statement?.Resource).toBe("*");
  for (const action of statement?.Action as string[]) {
    expect(action).toMatch(/^[a-z0-9]+:(Describe|Get|List)[A-Za-z*]*$/);
  }
});

describe("deployPolicy", () => {
  const policy = deployPolicy(scope);
  const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));

  test("has one statement per thing the stacks change, and promote's snapshot", () => {
    expect(Object.keys(bySid)).toEqual([
      "Database",
      "DatabaseFirewall",
      "Alarms",
      "DatabaseLogs",
      "Notifications",
      "AlarmTopicKeysCreate",
      "AlarmTopicKeysManage",
      "HealthChecks",
      "RdsServiceLinkedRole",
    ]);
    expect(bySid["Database"]?.Action).toContain("rds:CreateDBSnapshot");
  });

  test("cannot change IAM: the only IAM action creates RDS's service-linked role", () => {
    const iam = policy.Statement.flatMap((s) => [s.Action].flat()).filter((a) =>
      a.startsWith("iam:"),
    );
    expect(iam).toEqual(["iam:CreateServiceLinkedRole"]);
    expect(bySid["RdsServiceLinkedRole"]).toEqual({
      Sid: "RdsServiceLinkedRole",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: "arn:aws:iam::123456789012:role/aws-service-role/rds.amazonaws.com/*",
      Condition: { StringEquals: { "iam:AWSServiceName": "rds.amazonaws.com" } },
    });
  });

  test("scopes regional resources to the account and the regions given, once each", () => {
    expect(bySid["Database"]?.Resource).toEqual([
      "arn:aws:rds:eu-west-1:123456789012:*",
      "arn:aws:rds:us-east-1:123456789012:*",
    ]);
    expect(bySid["DatabaseFirewall"]?.Resource).toEqual([
      "arn:aws:ec2:eu-west-1:123456789012:security-group/*",
      "arn:aws:ec2:us-east-1:123456789012:security-group/*",
      "arn:aws:ec2:eu-west-1:123456789012:security-group-rule/*",
      "arn:aws:ec2:us-east-1:123456789012:security-group-rule/*",
      "arn:aws:ec2:eu-west-1:123456789012:vpc/*",
      "arn:aws:ec2:us-east-1:123456789012:vpc/*",
    ]);
    const single = deployPolicy({ ...scope, regions: ["us-east-1", "us-east-1"] });
    expect(single.Statement.find((s) => s.Sid === "Alarms")?.Resource).toEqual([
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*",
    ]);
  });

  test("uses the partition it is given", () => {
    const gov = deployPolicy({ ...scope, partition: "aws-us-gov", regions: ["us-gov-west-1"] });
    expect(gov.Statement.find((s) => s.Sid === "Notifications")?.Resource).toEqual([
      "arn:aws-us-gov:sns:us-gov-west-1:123456789012:*",
    ]);
  });

  test("touches KMS keys only when they carry slipway's tag", () => {
    expect(bySid["AlarmTopicKeysCreate"]?.Condition).toEqual({
      Null: { "aws:RequestTag/slipway:environment": "false" },
    });
    expect(bySid["AlarmTopicKeysManage"]?.Condition).toEqual({
      Null: { "aws:ResourceTag/slipway:environment": "false" },
    });
  });

  test("grants Resource * only where AWS has no ARN to scope to", () => {
    const unscoped = policy.Statement.filter((s) => s.Resource === "*").map((s) => s.Sid);
    expect(unscoped).toEqual(["AlarmTopicKeysCreate", "HealthChecks"]);
  });
});
