// The policy names and resource types both database-network test files name.
export const NETWORK = "rds-network-restricted";
export const LOGS = "rds-logs-exported";
export const INSTANCE = "aws:rds/instance:Instance";
export const GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
/** The parent part of the type chain in the URN of a resource inside a PostgresDatabase. */
export const IN_DATABASE = "slipway:aws:PostgresDatabase$";
